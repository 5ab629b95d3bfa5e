//! Care plan rules: when a review is due, what changed between two versions, and
//! "who does what" across every current plan from both sectors (RULES.md section 7).

use std::collections::BTreeMap;

use chrono::{Duration, Months, NaiveDate};
use serde::Serialize;

use super::care_plan::{ActionStatus, CarePlan, PlanKind, ResponsibleParty};

mod diff;
mod edit;
use diff::action_text;
pub use diff::{PlanChange, diff_versions, party_text, reworded};
pub use edit::{PlanDraft, link_changes};

/// Social care: the first review 6 to 8 weeks after a new plan, then at least every 12 months.
/// CHC: 3 months after the decision (the CHC plan's start), then every 12 months.
///
/// Unconfirmed: the 6 to 8 weeks is the statutory guidance expectation as quoted by
/// a secondary source (tri.x); the CHC cadence is from secondary sources too.
pub const SOCIAL_CARE_FIRST_REVIEW_FROM_WEEKS: i64 = 6;
pub const SOCIAL_CARE_FIRST_REVIEW_BY_WEEKS: i64 = 8;
pub const CHC_FIRST_REVIEW_MONTHS: u32 = 3;
pub const LATER_REVIEW_MONTHS: u32 = 12;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReviewState {
    NotYetDue,
    /// Inside the window (6 to 8 weeks for a new social care plan).
    Due,
    Overdue,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReviewStatus {
    pub due_by: NaiveDate,
    pub state: ReviewState,
    /// True when the date came from the plan itself rather than the rule.
    pub is_recorded: bool,
}

fn months(d: NaiveDate, m: u32) -> NaiveDate {
    d.checked_add_months(Months::new(m)).unwrap_or(d)
}

/// When the plan's next review is due as of `today`. A review date recorded on the
/// plan is used when present; otherwise the rule for the plan's kind.
pub fn review_status(plan: &CarePlan, today: NaiveDate) -> ReviewStatus {
    let is_social = matches!(plan.kind, PlanKind::CareAndSupport | PlanKind::CarerSupport);
    let (window_start, due_by) = match (plan.last_review, plan.kind) {
        (Some(last), _) => (months(last, LATER_REVIEW_MONTHS), months(last, LATER_REVIEW_MONTHS)),
        (None, _) if is_social => (
            plan.start + Duration::weeks(SOCIAL_CARE_FIRST_REVIEW_FROM_WEEKS),
            plan.start + Duration::weeks(SOCIAL_CARE_FIRST_REVIEW_BY_WEEKS),
        ),
        (None, PlanKind::ChcCarePlan) => (
            months(plan.start, CHC_FIRST_REVIEW_MONTHS),
            months(plan.start, CHC_FIRST_REVIEW_MONTHS),
        ),
        (None, _) => (
            months(plan.start, LATER_REVIEW_MONTHS),
            months(plan.start, LATER_REVIEW_MONTHS),
        ),
    };
    let (window_start, due_by, is_recorded) = match plan.next_review {
        Some(d) => (d.min(window_start), d, true),
        None => (window_start, due_by, false),
    };
    let state = if today > due_by {
        ReviewState::Overdue
    } else if today >= window_start {
        ReviewState::Due
    } else {
        ReviewState::NotYetDue
    };
    ReviewStatus {
        due_by,
        state,
        is_recorded,
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WhoDoesWhatRow {
    pub party: ResponsibleParty,
    pub responsible_name: Option<String>,
    pub action: String,
    pub plan_title: String,
    pub plan_owner: String,
    /// The needs (their descriptions) the action names as ones it meets.
    pub meets: Vec<String>,
    pub due: Option<NaiveDate>,
    pub status: ActionStatus,
    /// The due date, when it has passed as of `today` and the action is neither done
    /// nor cancelled (`PlanAction::overdue_since`).
    pub overdue_since: Option<NaiveDate>,
}

impl WhoDoesWhatRow {
    /// "Overdue since 03-Dec-2026", "Due 10-Dec-2026" or "No due date".
    pub fn due_text(&self) -> String {
        match (self.overdue_since, self.due) {
            (Some(d), _) => format!("Overdue since {}", super::dates::fmt_date(d)),
            (None, Some(d)) => format!("Due {}", super::dates::fmt_date(d)),
            (None, None) => "No due date".to_owned(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnmetNeed {
    pub need: String,
    pub plan_title: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Overlap {
    /// The need, as both plans word it.
    pub need: String,
    pub first: String,
    pub second: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct WhoDoesWhat {
    pub rows: Vec<WhoDoesWhatRow>,
    pub unmet_needs: Vec<UnmetNeed>,
    pub overlaps: Vec<Overlap>,
}

/// The current version of each plan (the highest version number per plan id) that is
/// not ended or cancelled.
pub fn current_plans(plans: &[CarePlan]) -> Vec<&CarePlan> {
    let mut latest: BTreeMap<i64, &CarePlan> = BTreeMap::new();
    for p in plans {
        let e = latest.entry(p.id).or_insert(p);
        if p.version > e.version {
            *e = p;
        }
    }
    latest
        .into_values()
        .filter(|p| {
            !matches!(
                p.status.to_lowercase().as_str(),
                "ended" | "cancelled" | "closed" | "revoked" | "completed"
            )
        })
        .collect()
}

/// Every current action by responsible party, with the needs it names; the needs no
/// action of their plan names as met (a gap); and needs worded the same in two
/// current plans that are met by different parties (a possible overlap, or each
/// assuming the other will act).
///
/// A need is met only by an explicit link (`PlanAction::meets`), recorded by the
/// plan's author: matching words gave false warnings (an action for a "profiling
/// bed" does meet "a bed at the right height"), and false warnings teach staff to
/// ignore the true ones. A plan whose source records no links shows every need as a
/// gap until it is linked.
///
/// Each row carries the action's due date and status, and is flagged overdue when
/// its due date is before `today` and it is neither done nor cancelled.
pub fn who_does_what(current: &[&CarePlan], today: NaiveDate) -> WhoDoesWhat {
    let mut out = WhoDoesWhat::default();
    for p in current {
        for a in &p.actions {
            out.rows.push(WhoDoesWhatRow {
                party: a.responsible_party,
                responsible_name: a.responsible_name.clone(),
                action: a.description.clone(),
                plan_title: p.title.clone(),
                plan_owner: p.owner.clone(),
                meets: p
                    .needs
                    .iter()
                    .filter(|n| a.meets_need(n))
                    .map(|n| n.description.clone())
                    .collect(),
                due: a.due,
                status: a.status,
                overdue_since: a.overdue_since(today),
            });
        }
        for n in &p.needs {
            if p.actions_meeting(n).next().is_none() {
                out.unmet_needs.push(UnmetNeed {
                    need: n.description.clone(),
                    plan_title: p.title.clone(),
                });
            }
        }
    }
    out.rows.sort_by(|a, b| {
        (a.party as u8)
            .cmp(&(b.party as u8))
            .then(a.responsible_name.cmp(&b.responsible_name))
            .then(a.action.cmp(&b.action))
    });
    out.overlaps = overlaps(current);
    out
}

/// The same need (worded alike, ignoring case and spacing) in two current plans,
/// met in each by a different party.
fn overlaps(current: &[&CarePlan]) -> Vec<Overlap> {
    let key = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
    let mut met: Vec<(String, &CarePlan, &super::care_plan::PlanAction)> = Vec::new();
    for p in current {
        for n in &p.needs {
            for a in p.actions_meeting(n) {
                met.push((key(&n.description), p, a));
            }
        }
    }
    let mut out = Vec::new();
    for (i, (ka, pa, a)) in met.iter().enumerate() {
        for (kb, pb, b) in met.iter().skip(i + 1) {
            let same_party = a.responsible_party == b.responsible_party && a.responsible_name == b.responsible_name;
            if ka == kb && pa.id != pb.id && !same_party {
                out.push(Overlap {
                    need: ka.clone(),
                    first: format!("{} ({})", action_text(a), pa.title),
                    second: format!("{} ({})", action_text(b), pb.title),
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod progress_tests;
#[cfg(test)]
mod tests;
