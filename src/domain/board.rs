//! The discharge readiness board: one row per current inpatient, built from what the
//! store gathers, with the filters and sort orders the coordinator chooses.

use std::cmp::Ordering;

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

use super::chc::{ChcAssessment, ChcAssessmentKind};
use super::discharge::{
    BoardStatus, DelayBand, criterion_code, current_reasons, days_delayed, discharge_ready_date, length_of_stay,
    meets_criteria,
};
use super::findings::CHC_DECISION_DAYS;
use super::hospital::{Attribution, DelayReason, HospitalSpell};
use super::{Episode, EpisodeKind, EpisodeStatus, NhsNumber};

/// The person on a board row.
#[derive(Debug, Clone, PartialEq)]
pub struct BoardPerson {
    pub person_id: i64,
    pub nhs_number: Option<NhsNumber>,
    pub display_name: String,
    pub allocated_worker: Option<String>,
}

/// What the store gathers for one current inpatient.
#[derive(Debug, Clone, PartialEq)]
pub struct BoardInput {
    pub person: BoardPerson,
    pub spell: HospitalSpell,
    /// The person's social care requests and services.
    pub social_care: Vec<Episode>,
    /// Whether any social care record exists for the person.
    pub is_known_to_social_care: bool,
    pub chc: Vec<ChcAssessment>,
    /// The person is restricted, or the stay is in a sensitive category: the row is
    /// counted but its context is held back (`disclosure::disclose_board_row`).
    pub is_restricted: bool,
}

/// Social care around the admission.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct SocialCareContext {
    pub is_known: bool,
    pub active_packages: usize,
    pub suspended_packages: usize,
    pub allocated_worker: Option<String>,
    /// A request with route "Discharge from Hospital" made since admission.
    pub hospital_request_made: bool,
}

/// Where the person is in CHC, as far as the board needs to know.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct ChcStatus {
    pub checklist_done: bool,
    /// "positive", "negative", "fast track", or none.
    pub outcome: Option<String>,
    /// Days since a positive checklist with no decision yet.
    pub days_on_clock: Option<i64>,
    pub is_overdue: bool,
    pub decision: Option<String>,
}

impl ChcStatus {
    pub fn summary(&self) -> String {
        match (&self.decision, self.days_on_clock, &self.outcome) {
            (Some(d), _, _) => d.clone(),
            (None, Some(days), _) => format!("awaiting decision, day {days} of {CHC_DECISION_DAYS}"),
            (None, None, Some(o)) => format!("checklist {o}"),
            (None, None, None) => "no checklist".into(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct BoardRow {
    pub episode_id: i64,
    pub person: BoardPerson,
    pub hospital: String,
    pub ward: Option<String>,
    pub admitted: NaiveDateTime,
    pub length_of_stay: i64,
    pub meets_criteria: Option<bool>,
    pub criterion_code: Option<String>,
    pub discharge_ready_date: Option<NaiveDate>,
    pub days_delayed: Option<i64>,
    pub band: Option<DelayBand>,
    pub pathway: Option<u8>,
    pub delay_reasons: Vec<DelayReason>,
    pub social_care: SocialCareContext,
    pub chc: ChcStatus,
    pub next_action: Option<String>,
    pub next_action_owner: Option<String>,
    pub status: BoardStatus,
    /// Counted, named, and otherwise held back (`disclosure::disclose_board_row`).
    pub is_restricted: bool,
}

/// Build the board's rows as of a date; current inpatients only. Restricted rows
/// come out masked (`disclosure::disclose_board_row`).
pub fn build_rows(inputs: &[BoardInput], as_of: NaiveDate) -> Vec<BoardRow> {
    inputs
        .iter()
        .filter(|i| super::discharge::is_current(&i.spell, as_of))
        .map(|i| {
            let s = &i.spell;
            let meets = meets_criteria(s, as_of);
            let delayed = days_delayed(s, as_of);
            BoardRow {
                episode_id: s.episode_id,
                person: i.person.clone(),
                hospital: s.hospital.clone(),
                ward: s.ward.clone(),
                admitted: s.admitted.unwrap_or_default(),
                length_of_stay: length_of_stay(s, as_of).unwrap_or(0),
                meets_criteria: meets,
                criterion_code: criterion_code(s, as_of),
                discharge_ready_date: if meets == Some(true) {
                    None
                } else {
                    discharge_ready_date(s, as_of)
                },
                days_delayed: delayed,
                band: delayed.map(DelayBand::of),
                pathway: s.pathway,
                delay_reasons: current_reasons(&s.delay_reasons, as_of).cloned().collect(),
                social_care: social_care_context(i, as_of),
                chc: chc_status(&i.chc, as_of),
                next_action: s.next_action.clone(),
                next_action_owner: s.next_action_owner.clone(),
                status: BoardStatus::of(meets, delayed),
                is_restricted: i.is_restricted,
            }
        })
        // The one disclosure policy, applied as each row is made: no board output
        // (window, text, CSV, JSON) can see a restricted row's context.
        .map(super::disclosure::disclose_board_row)
        .collect()
}

fn social_care_context(i: &BoardInput, as_of: NaiveDate) -> SocialCareContext {
    let admitted = i.spell.admitted.map(|a| a.date()).unwrap_or(as_of);
    let mut c = SocialCareContext {
        is_known: i.is_known_to_social_care,
        allocated_worker: i.person.allocated_worker.clone(),
        ..Default::default()
    };
    for e in &i.social_care {
        match e.kind {
            EpisodeKind::SocialCareService if e.start.date() <= as_of => {
                let running = e.end.is_none_or(|end| end.date() >= as_of);
                match e.status {
                    // A package suspended for the admission: it ended (was suspended) on or after admission.
                    EpisodeStatus::Suspended if e.end.is_none_or(|end| end.date() >= admitted) => {
                        c.suspended_packages += 1
                    }
                    EpisodeStatus::Active | EpisodeStatus::Planned if running => c.active_packages += 1,
                    _ => {}
                }
            }
            EpisodeKind::SocialCareRequest => {
                let from_hospital = e
                    .attr(super::episode::attr::ROUTE_OF_ACCESS)
                    .is_some_and(|r| r.trim().eq_ignore_ascii_case("Discharge from Hospital"));
                if from_hospital && e.start.date() >= admitted && e.start.date() <= as_of {
                    c.hospital_request_made = true;
                }
            }
            _ => {}
        }
    }
    c
}

/// The CHC position for the board: latest checklist, the 28-day clock, a decision.
pub fn chc_status(assessments: &[ChcAssessment], as_of: NaiveDate) -> ChcStatus {
    let seen: Vec<&ChcAssessment> = assessments.iter().filter(|a| a.completed_on <= as_of).collect();
    let mut s = ChcStatus::default();
    let last_checklist = seen
        .iter()
        .filter(|a| a.kind == ChcAssessmentKind::Checklist)
        .max_by_key(|a| a.completed_on);
    if let Some(c) = last_checklist {
        s.checklist_done = true;
        let positive = c.is_positive_checklist();
        s.outcome = Some(if positive { "positive" } else { "negative" }.into());
        if positive {
            let decided = seen
                .iter()
                .find_map(|a| a.icb_decision.as_ref().filter(|d| d.date >= c.completed_on));
            match decided {
                Some(d) => s.decision = Some(if d.is_eligible { "eligible" } else { "not eligible" }.into()),
                None => {
                    let days = (as_of - c.completed_on).num_days();
                    s.days_on_clock = Some(days);
                    s.is_overdue = days > CHC_DECISION_DAYS;
                }
            }
        }
    }
    if let Some(f) = seen
        .iter()
        .filter(|a| a.kind == ChcAssessmentKind::FastTrack)
        .max_by_key(|a| a.completed_on)
    {
        s.outcome = Some("fast track".into());
        s.days_on_clock = None;
        s.is_overdue = false;
        s.decision = Some(match &f.icb_decision {
            Some(d) if d.is_eligible => "eligible (fast track)".into(),
            Some(_) => "fast track not accepted".into(),
            None => "fast track awaiting ICB".into(),
        });
    }
    s
}

/// The coordinator's filters. Empty strings and `None` mean "all".
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct BoardFilter {
    pub hospital: String,
    pub ward: String,
    pub pathway: Option<u8>,
    pub attribution: Option<Attribution>,
    pub min_days_delayed: i64,
}

impl BoardFilter {
    /// Whether the row is shown. A restricted row's hospital and ward are held back,
    /// so a filter by place keeps it (marked restricted) rather than hide a patient
    /// the ward must find and make the filtered counts too low.
    pub fn matches(&self, r: &BoardRow) -> bool {
        let place_hidden = r.is_restricted;
        (self.hospital.is_empty() || place_hidden || r.hospital == self.hospital)
            && (self.ward.is_empty() || place_hidden || r.ward.as_deref() == Some(self.ward.as_str()))
            && self.pathway.is_none_or(|p| r.pathway == Some(p))
            && self
                .attribution
                .is_none_or(|a| r.delay_reasons.iter().any(|d| d.attribution == a))
            && (self.min_days_delayed <= 0 || r.days_delayed.is_some_and(|d| d >= self.min_days_delayed))
    }
}

/// The board's columns, for sorting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum BoardColumn {
    /// The name, with the NHS number under it (not a column of its own).
    Name,
    NhsNumber,
    Hospital,
    Ward,
    Admitted,
    LengthOfStay,
    MeetsCriteria,
    DischargeReadyDate,
    #[default]
    /// The delay and its band.
    DaysDelayed,
    Pathway,
    DelayReasons,
    SocialCare,
    Chc,
    NextAction,
    /// The next action's owner.
    Owner,
}

impl BoardColumn {
    /// The table's columns in order: the name (frozen, with the NHS number under
    /// it), then what happens next and whose it is, then the rest.
    pub const ALL: [BoardColumn; 14] = [
        BoardColumn::Name,
        BoardColumn::NextAction,
        BoardColumn::Owner,
        BoardColumn::DaysDelayed,
        BoardColumn::DelayReasons,
        BoardColumn::DischargeReadyDate,
        BoardColumn::MeetsCriteria,
        BoardColumn::LengthOfStay,
        BoardColumn::Pathway,
        BoardColumn::SocialCare,
        BoardColumn::Chc,
        BoardColumn::Hospital,
        BoardColumn::Ward,
        BoardColumn::Admitted,
    ];

    pub fn label(self) -> &'static str {
        match self {
            BoardColumn::Name => "Name",
            BoardColumn::NhsNumber => "NHS number",
            BoardColumn::Hospital => "Hospital",
            BoardColumn::Ward => "Ward",
            BoardColumn::Admitted => "Admitted",
            BoardColumn::LengthOfStay => "LoS",
            BoardColumn::MeetsCriteria => "Criteria to reside",
            BoardColumn::DischargeReadyDate => "DRD",
            BoardColumn::DaysDelayed => "Delay",
            BoardColumn::Pathway => "Pathway",
            BoardColumn::DelayReasons => "Delay reasons",
            BoardColumn::SocialCare => "Social care",
            BoardColumn::Chc => "CHC",
            BoardColumn::NextAction => "Next action",
            BoardColumn::Owner => "Owner",
        }
    }
}

/// Sort rows by a column; ties keep the longest delay first, then name.
pub fn sort_rows(rows: &mut [BoardRow], column: BoardColumn, descending: bool) {
    rows.sort_by(|a, b| row_order(a, b, column, descending));
}

/// The order of two rows when sorting by `column`.
pub fn row_order(a: &BoardRow, b: &BoardRow, column: BoardColumn, descending: bool) -> Ordering {
    let o = compare(a, b, column);
    let o = if descending { o.reverse() } else { o };
    o.then_with(|| b.days_delayed.cmp(&a.days_delayed))
        .then_with(|| a.person.display_name.cmp(&b.person.display_name))
}

fn compare(a: &BoardRow, b: &BoardRow, column: BoardColumn) -> Ordering {
    match column {
        BoardColumn::Name => a.person.display_name.cmp(&b.person.display_name),
        BoardColumn::NhsNumber => a.person.nhs_number.cmp(&b.person.nhs_number),
        BoardColumn::Hospital => a.hospital.cmp(&b.hospital),
        BoardColumn::Ward => a.ward.cmp(&b.ward),
        BoardColumn::Admitted => a.admitted.cmp(&b.admitted),
        BoardColumn::LengthOfStay => a.length_of_stay.cmp(&b.length_of_stay),
        BoardColumn::MeetsCriteria => a.meets_criteria.cmp(&b.meets_criteria),
        BoardColumn::DischargeReadyDate => a.discharge_ready_date.cmp(&b.discharge_ready_date),
        BoardColumn::DaysDelayed => a.days_delayed.cmp(&b.days_delayed),
        BoardColumn::Pathway => a.pathway.cmp(&b.pathway),
        BoardColumn::DelayReasons => a.delay_reasons.len().cmp(&b.delay_reasons.len()),
        BoardColumn::SocialCare => (a.social_care.active_packages + a.social_care.suspended_packages)
            .cmp(&(b.social_care.active_packages + b.social_care.suspended_packages)),
        BoardColumn::Chc => a.chc.days_on_clock.cmp(&b.chc.days_on_clock),
        BoardColumn::NextAction => a.next_action.cmp(&b.next_action),
        BoardColumn::Owner => a.next_action_owner.cmp(&b.next_action_owner),
    }
}
