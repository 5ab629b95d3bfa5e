//! The weekly view of the sitrep: the seven daily reports of a week ending on a
//! day, per site, with the week's discharges and bed days lost added up.

use chrono::{Duration, NaiveDate};

use super::sitrep::{Sitrep, build};
use super::trends::{trend_day, window_bed_days};
use super::{Figure, SpellFacts};

/// Seven days ending on `last`.
#[derive(Debug, Clone, PartialEq)]
pub struct Weekly {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// One sitrep per day, oldest first.
    pub days: Vec<Sitrep>,
    /// Everyone discharged in the week, by pathway 0 to 3 (all sites).
    pub discharges_by_pathway: [Figure; 4],
    /// Bed days lost in the week (all sites), by attribution code.
    pub bed_days_lost: Vec<(String, usize)>,
}

impl Weekly {
    pub fn disclosed(self) -> Weekly {
        Weekly {
            days: self.days.into_iter().map(Sitrep::disclosed).collect(),
            discharges_by_pathway: self.discharges_by_pathway.map(Figure::disclosed),
            ..self
        }
    }
}

/// The week ending on `last` (the seven days `last - 6` to `last`).
pub fn weekly(facts: &[SpellFacts], last: NaiveDate, hospital: Option<&str>) -> Weekly {
    let from = last - Duration::days(6);
    let dates: Vec<NaiveDate> = (0..7).map(|i| from + Duration::days(i)).collect();
    let days: Vec<Sitrep> = dates.iter().map(|d| build(facts, *d, hospital)).collect();
    let mut discharges_by_pathway: [Figure; 4] = Default::default();
    for d in &days {
        for (i, f) in d.total.discharges_by_pathway.iter().enumerate() {
            discharges_by_pathway[i].merge(f);
        }
    }
    let at_site: Vec<SpellFacts> = facts
        .iter()
        .filter(|f| hospital.is_none_or(|h| h.trim().eq_ignore_ascii_case(f.spell.hospital.trim())))
        .cloned()
        .collect();
    let trend: Vec<_> = dates.iter().map(|d| trend_day(&at_site, *d)).collect();
    Weekly {
        from,
        to: last,
        days,
        discharges_by_pathway,
        bed_days_lost: window_bed_days(&trend).into_iter().collect(),
    }
}

/// The week as text: a line per day (all sites) and the week's sums.
pub fn weekly_text(w: &Weekly) -> String {
    let mut out = format!(
        "Discharge situation report, week {} to {}\n{:<12} {:>11} {:>8} {:>10} {:>9}\n",
        crate::domain::dates::fmt_date(w.from),
        crate::domain::dates::fmt_date(w.to),
        "day",
        "in hospital",
        "no CtR",
        "discharged",
        "remaining"
    );
    for d in &w.days {
        let t = &d.total;
        out.push_str(&format!(
            "{:<12} {:>11} {:>8} {:>10} {:>9}\n",
            crate::domain::dates::fmt_date(d.date),
            t.in_hospital.count(),
            t.no_longer_meet_criteria.count(),
            t.discharged_today.count(),
            t.remaining_no_longer_meet.count()
        ));
    }
    let pathways: Vec<String> = w
        .discharges_by_pathway
        .iter()
        .enumerate()
        .map(|(p, f)| format!("P{p} {}", f.count()))
        .collect();
    out.push_str(&format!("Discharges in the week: {}\n", pathways.join(", ")));
    let lost: Vec<String> = w.bed_days_lost.iter().map(|(a, n)| format!("{a} {n}")).collect();
    out.push_str(&format!("Bed days lost in the week: {}\n", lost.join(", ")));
    out
}
