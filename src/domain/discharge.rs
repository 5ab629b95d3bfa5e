//! Discharge readiness (RULES.md section 3): criteria to reside, the discharge ready
//! date, days delayed, delay bands, board status, and the board's summary figures.
//!
//! Everything takes the date it is "as of"; nothing reads the clock.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::hospital::{Attribution, DelayReason, HospitalSpell};

/// Days delayed at which the board turns from amber to red.
pub const LONG_DELAY_DAYS: i64 = 7;
/// Days after the DRD still shown as "ready today" (the DRD itself).
pub const READY_TODAY_DAYS: i64 = 0;
/// The window for "discharged on their DRD".
pub const ON_DRD_WINDOW_DAYS: i64 = 30;

/// A spell's reviews against the criteria to reside are spell facts (`hospital`);
/// the rules here read them.
pub use super::hospital::CtrReview;

/// The criteria-to-reside code list (NHS Data Dictionary, Nov 2024).
pub fn criterion_label(code: &str) -> &'static str {
    match code.trim() {
        "01" => "requires critical or high-dependency care",
        "02" => "requires oxygen therapy or NIV",
        "03" => "requires IV fluids",
        "04" => "NEWS2 greater than 3",
        "05" => "diminished consciousness where recovery is realistic",
        "06" => "acute functional impairment beyond home or community care",
        "07" => "in the last hours of life",
        "08" => "IV medication more than twice a day",
        "09" => "lower-limb surgery within 48 hours",
        "10" => "thorax-abdominal or pelvic surgery within 72 hours",
        "11" => "invasive procedure within 24 hours with risk of deterioration",
        "12" => "meets criteria, criterion not recorded",
        _ => "criterion not recognised",
    }
}

/// Legacy DTOC delay reason codes with their published names (RULES.md 3.4).
///
/// Unconfirmed: which agency each reason may be attributed to; the board lets the
/// coordinator choose the attribution for every reason.
pub const LEGACY_DELAY_CODES: [(&str, &str); 11] = [
    ("A", "Awaiting completion of assessment"),
    ("B", "Awaiting public funding"),
    ("C", "Awaiting further non-acute NHS care"),
    ("Di", "Awaiting residential home placement or availability"),
    ("Dii", "Awaiting nursing home placement or availability"),
    ("E", "Awaiting care package in own home"),
    ("F", "Awaiting community equipment and adaptations"),
    ("G", "Patient or family choice"),
    ("H", "Disputes"),
    ("I", "Housing: patients not covered by NHS and Community Care Act"),
    ("O", "Other"),
];

/// Is the spell current (admitted, not yet discharged) as of `as_of`?
pub fn is_current(spell: &HospitalSpell, as_of: NaiveDate) -> bool {
    spell.admitted.is_some_and(|a| a.date() <= as_of) && spell.discharged.is_none_or(|d| d.date() > as_of)
}

/// Length of stay in days (midnights) as of `as_of`, or to discharge.
pub fn length_of_stay(spell: &HospitalSpell, as_of: NaiveDate) -> Option<i64> {
    let admitted = spell.admitted?.date();
    let end = spell
        .discharged
        .map(|d| d.date())
        .filter(|d| *d <= as_of)
        .unwrap_or(as_of);
    Some((end - admitted).num_days().max(0))
}

/// Reviews on or before `as_of`, oldest first.
fn reviews_until(spell: &HospitalSpell, as_of: NaiveDate) -> Vec<&CtrReview> {
    let mut r: Vec<&CtrReview> = spell.ctr_reviews.iter().filter(|r| r.date <= as_of).collect();
    r.sort_by_key(|r| r.date);
    r
}

/// Whether the person meets the criteria to reside as of `as_of`: the latest review,
/// else the recorded status.
pub fn meets_criteria(spell: &HospitalSpell, as_of: NaiveDate) -> Option<bool> {
    reviews_until(spell, as_of)
        .last()
        .map(|r| r.meets)
        .or(spell.meets_criteria_to_reside)
}

/// The criterion code behind "meets", when known.
pub fn criterion_code(spell: &HospitalSpell, as_of: NaiveDate) -> Option<String> {
    match reviews_until(spell, as_of).last() {
        Some(r) if r.meets => r.code.clone(),
        Some(_) => None,
        None => spell.criteria_to_reside_code.clone(),
    }
}

/// The discharge ready date as of `as_of`: the start of the final (discharged) or
/// current (in hospital) period of not meeting the criteria to reside. A period that
/// ended because the person met the criteria again does not count. Without reviews,
/// the recorded DRD is used.
pub fn discharge_ready_date(spell: &HospitalSpell, as_of: NaiveDate) -> Option<NaiveDate> {
    let reviews = reviews_until(spell, as_of);
    if reviews.is_empty() {
        return match spell.meets_criteria_to_reside {
            Some(true) => None,
            _ => spell.discharge_ready_date.filter(|d| *d <= as_of),
        };
    }
    let mut drd = None;
    for r in reviews {
        match (r.meets, drd) {
            (true, _) => drd = None,
            (false, None) => drd = Some(r.date),
            (false, Some(_)) => {}
        }
    }
    drd
}

/// Days delayed: discharge date minus DRD for a discharged spell; `as_of` minus DRD
/// while still in hospital. None while the person meets the criteria, or has no DRD.
pub fn days_delayed(spell: &HospitalSpell, as_of: NaiveDate) -> Option<i64> {
    let discharged = spell.discharged.map(|d| d.date()).filter(|d| *d <= as_of);
    let at = discharged.unwrap_or(as_of);
    let drd = discharge_ready_date(spell, at)?;
    if discharged.is_none() && meets_criteria(spell, as_of) == Some(true) {
        return None;
    }
    Some((at - drd).num_days().max(0))
}

/// Delay bands as NHS England reports them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum DelayBand {
    #[serde(rename = "0")]
    D0,
    #[serde(rename = "1")]
    D1,
    #[serde(rename = "2-3")]
    D2To3,
    #[serde(rename = "4-6")]
    D4To6,
    #[serde(rename = "7-13")]
    D7To13,
    #[serde(rename = "14-20")]
    D14To20,
    #[serde(rename = "21+")]
    D21Plus,
}

impl DelayBand {
    pub const ALL: [DelayBand; 7] = [
        DelayBand::D0,
        DelayBand::D1,
        DelayBand::D2To3,
        DelayBand::D4To6,
        DelayBand::D7To13,
        DelayBand::D14To20,
        DelayBand::D21Plus,
    ];

    /// The band for a delay. Unconfirmed: NHS England's band edges beyond "1" and "2-3"
    /// (RULES.md 3.3 [U]); these are the edges the design asks for.
    pub fn of(days: i64) -> Self {
        match days {
            i64::MIN..=0 => DelayBand::D0,
            1 => DelayBand::D1,
            2..=3 => DelayBand::D2To3,
            4..=6 => DelayBand::D4To6,
            7..=13 => DelayBand::D7To13,
            14..=20 => DelayBand::D14To20,
            _ => DelayBand::D21Plus,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            DelayBand::D0 => "0",
            DelayBand::D1 => "1",
            DelayBand::D2To3 => "2-3",
            DelayBand::D4To6 => "4-6",
            DelayBand::D7To13 => "7-13",
            DelayBand::D14To20 => "14-20",
            DelayBand::D21Plus => "21+",
        }
    }
}

/// The board's colour for a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum BoardStatus {
    MeetsCriteria,
    ReadyToday,
    Delayed,
    LongDelay,
    /// No criteria-to-reside review and no DRD recorded.
    NotReviewed,
}

impl BoardStatus {
    pub fn of(meets: Option<bool>, days_delayed: Option<i64>) -> Self {
        match (meets, days_delayed) {
            (_, Some(d)) if d >= LONG_DELAY_DAYS => BoardStatus::LongDelay,
            (_, Some(d)) if d > READY_TODAY_DAYS => BoardStatus::Delayed,
            (_, Some(_)) => BoardStatus::ReadyToday,
            (Some(true), None) => BoardStatus::MeetsCriteria,
            _ => BoardStatus::NotReviewed,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            BoardStatus::MeetsCriteria => "Meets criteria to reside",
            BoardStatus::ReadyToday => "Ready today",
            BoardStatus::Delayed => "Delayed 1 to 6 days",
            BoardStatus::LongDelay => "Delayed 7 days or more",
            BoardStatus::NotReviewed => "Not reviewed",
        }
    }
}

/// The summary above the board.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct BoardSummary {
    pub inpatients: usize,
    pub no_longer_meeting_criteria: usize,
    /// Pathway ("0" to "3", or "not set") to the number of current inpatients.
    pub by_pathway: BTreeMap<String, usize>,
    /// Days after the DRD summed over everyone currently delayed.
    pub delayed_bed_days: i64,
    /// Of spells discharged in the last 30 days that had a DRD, the share discharged
    /// on it (0 to 1); None when there were none.
    pub discharged_on_drd_share_30d: Option<f64>,
    pub discharged_with_drd_30d: usize,
    /// Band label to the number of current inpatients no longer meeting the criteria.
    pub by_band: BTreeMap<String, usize>,
    /// Attribution to the number of current delay reasons.
    pub by_attribution: BTreeMap<String, usize>,
}

/// Summarise current spells and recently discharged ones as of `as_of`.
pub fn summarise(current: &[&HospitalSpell], discharged: &[&HospitalSpell], as_of: NaiveDate) -> BoardSummary {
    let mut s = BoardSummary {
        inpatients: current.len(),
        ..Default::default()
    };
    for b in DelayBand::ALL {
        s.by_band.insert(b.label().to_owned(), 0);
    }
    for p in ["0", "1", "2", "3", "not set"] {
        s.by_pathway.insert(p.to_owned(), 0);
    }
    for a in Attribution::ALL {
        s.by_attribution.insert(a.code().to_owned(), 0);
    }
    for spell in current {
        let pathway = spell.pathway.map(|p| p.to_string()).unwrap_or_else(|| "not set".into());
        *s.by_pathway.entry(pathway).or_default() += 1;
        if let Some(d) = days_delayed(spell, as_of) {
            s.no_longer_meeting_criteria += 1;
            s.delayed_bed_days += d;
            *s.by_band.entry(DelayBand::of(d).label().to_owned()).or_default() += 1;
        }
        for r in current_reasons(&spell.delay_reasons, as_of) {
            *s.by_attribution.entry(r.attribution.code().to_owned()).or_default() += 1;
        }
    }
    let window_start = as_of - chrono::Duration::days(ON_DRD_WINDOW_DAYS);
    let mut on_drd = 0;
    for spell in discharged {
        let Some(d) = spell.discharged.map(|d| d.date()) else {
            continue;
        };
        if d <= window_start || d > as_of {
            continue;
        }
        if let Some(days) = days_delayed(spell, as_of) {
            s.discharged_with_drd_30d += 1;
            if days == 0 {
                on_drd += 1;
            }
        }
    }
    s.discharged_on_drd_share_30d =
        (s.discharged_with_drd_30d > 0).then(|| on_drd as f64 / s.discharged_with_drd_30d as f64);
    s
}

/// Delay reasons in force on `as_of` (started on or before it).
pub fn current_reasons(reasons: &[DelayReason], as_of: NaiveDate) -> impl Iterator<Item = &DelayReason> {
    reasons.iter().filter(move |r| r.since <= as_of)
}

#[cfg(test)]
mod tests;
