//! Care plan rules: when a review is due, what changed between two versions, and
//! "who does what" across every current plan from both sectors (RULES.md section 7).

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Duration, Months, NaiveDate};
use serde::Serialize;

use super::care_plan::{CarePlan, PlanKind, ResponsibleParty};

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

/// One difference between two versions of a plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlanChange {
    pub field: &'static str,
    /// "added", "removed" or "changed".
    pub change: &'static str,
    pub text: String,
}

/// What changed from `old` to `new`: goals, needs, actions (and who is responsible),
/// funding, personal budget and status.
pub fn diff_versions(old: &CarePlan, new: &CarePlan) -> Vec<PlanChange> {
    let mut out = Vec::new();
    let mut list = |field: &'static str, a: Vec<String>, b: Vec<String>| {
        for x in b.iter().filter(|x| !a.contains(x)) {
            out.push(PlanChange {
                field,
                change: "added",
                text: x.clone(),
            });
        }
        for x in a.iter().filter(|x| !b.contains(x)) {
            out.push(PlanChange {
                field,
                change: "removed",
                text: x.clone(),
            });
        }
    };
    list("goal", old.goals.clone(), new.goals.clone());
    list(
        "need",
        old.needs.iter().map(|n| n.description.clone()).collect(),
        new.needs.iter().map(|n| n.description.clone()).collect(),
    );
    // Actions: the same description with another responsible party is a change, not add + remove.
    let party = |p: &CarePlan, d: &str| {
        p.actions
            .iter()
            .find(|a| a.description == d)
            .map(|a| (a.responsible_party, a.responsible_name.clone()))
    };
    for a in &new.actions {
        match party(old, &a.description) {
            None => out.push(PlanChange {
                field: "action",
                change: "added",
                text: action_text(a),
            }),
            Some((p, n)) if p != a.responsible_party || n != a.responsible_name => out.push(PlanChange {
                field: "responsible party",
                change: "changed",
                text: format!(
                    "{}: {} -> {}",
                    a.description,
                    party_text(p, n.as_deref()),
                    party_text(a.responsible_party, a.responsible_name.as_deref())
                ),
            }),
            Some(_) => {}
        }
    }
    for a in old.actions.iter().filter(|a| party(new, &a.description).is_none()) {
        out.push(PlanChange {
            field: "action",
            change: "removed",
            text: action_text(a),
        });
    }
    if old.funding != new.funding {
        out.push(PlanChange {
            field: "funding",
            change: "changed",
            text: format!("{} -> {}", funding_text(old), funding_text(new)),
        });
    }
    if old.personal_budget_weekly != new.personal_budget_weekly {
        let money = |v: Option<f64>| v.map(|v| format!("£{v:.2} a week")).unwrap_or_else(|| "none".into());
        out.push(PlanChange {
            field: "personal budget",
            change: "changed",
            text: format!(
                "{} -> {}",
                money(old.personal_budget_weekly),
                money(new.personal_budget_weekly)
            ),
        });
    }
    if old.status != new.status {
        out.push(PlanChange {
            field: "status",
            change: "changed",
            text: format!("{} -> {}", old.status, new.status),
        });
    }
    out
}

fn funding_text(p: &CarePlan) -> String {
    p.funding
        .map(|f| super::care_plan::funding_label(f).to_owned())
        .unwrap_or_else(|| "not recorded".into())
}

pub fn party_text(p: ResponsibleParty, name: Option<&str>) -> String {
    match name {
        Some(n) => format!("{} ({n})", super::care_plan::party_label(p)),
        None => super::care_plan::party_label(p).to_owned(),
    }
}

fn action_text(a: &super::care_plan::PlanAction) -> String {
    format!(
        "{} [{}]",
        a.description,
        party_text(a.responsible_party, a.responsible_name.as_deref())
    )
}

/// Words too common to link a need to an action.
const STOP_WORDS: &[&str] = &[
    "with", "from", "that", "this", "have", "into", "help", "support", "care", "needs", "need", "daily", "week",
    "weekly", "calls", "call", "when", "their", "they", "them", "after", "every", "each", "home", "team", "service",
    "morning", "evening", "night", "visit", "visits", "days", "hours", "times", "time",
];

/// Word families that mean the same thing in plans (a need for "washing" is met by
/// "personal care").
const SYNONYMS: &[(&str, &str)] = &[
    ("washing", "personal"),
    ("wash", "personal"),
    ("dressing", "personal"),
    ("dress", "personal"),
    ("bathing", "personal"),
    ("meals", "meal"),
    ("food", "meal"),
    ("eating", "meal"),
    ("nutrition", "meal"),
    ("medicines", "medication"),
    ("tablets", "medication"),
    ("breaks", "break"),
    ("respite", "break"),
    ("sitting", "break"),
    ("transfers", "transfer"),
    ("moving", "transfer"),
    ("hoist", "transfer"),
    ("lonely", "isolation"),
    ("loneliness", "isolation"),
];

/// The content words of a text, folded to their families.
pub fn content_words(text: &str) -> BTreeSet<String> {
    text.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.len() >= 4 && !STOP_WORDS.contains(w))
        .map(|w| {
            let w = SYNONYMS
                .iter()
                .find(|(from, _)| *from == w)
                .map(|(_, to)| (*to).to_owned())
                .unwrap_or(w.to_owned());
            w.trim_end_matches('s').to_owned()
        })
        .collect()
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WhoDoesWhatRow {
    pub party: ResponsibleParty,
    pub responsible_name: Option<String>,
    pub action: String,
    pub plan_title: String,
    pub plan_owner: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnmetNeed {
    pub need: String,
    pub plan_title: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Overlap {
    pub words: Vec<String>,
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

/// Every current action by responsible party; needs that no current action in any
/// plan shares a content word with (a gap); and actions by different parties in
/// different plans that share content words (a possible overlap, or each assuming
/// the other will act).
///
/// The matching is by words, a pointer for the coordinator to check, not a
/// judgement.
pub fn who_does_what(current: &[&CarePlan]) -> WhoDoesWhat {
    let mut out = WhoDoesWhat::default();
    let mut actions: Vec<(&CarePlan, &super::care_plan::PlanAction, BTreeSet<String>)> = Vec::new();
    for p in current {
        for a in &p.actions {
            out.rows.push(WhoDoesWhatRow {
                party: a.responsible_party,
                responsible_name: a.responsible_name.clone(),
                action: a.description.clone(),
                plan_title: p.title.clone(),
                plan_owner: p.owner.clone(),
            });
            actions.push((p, a, content_words(&a.description)));
        }
    }
    out.rows.sort_by(|a, b| {
        (a.party as u8)
            .cmp(&(b.party as u8))
            .then(a.responsible_name.cmp(&b.responsible_name))
            .then(a.action.cmp(&b.action))
    });
    for p in current {
        for n in &p.needs {
            let words = content_words(&n.description);
            if !actions.iter().any(|(_, _, aw)| !aw.is_disjoint(&words)) {
                out.unmet_needs.push(UnmetNeed {
                    need: n.description.clone(),
                    plan_title: p.title.clone(),
                });
            }
        }
    }
    for (i, (pa, a, wa)) in actions.iter().enumerate() {
        for (pb, b, wb) in actions.iter().skip(i + 1) {
            if pa.id == pb.id || a.responsible_party == b.responsible_party && a.responsible_name == b.responsible_name
            {
                continue;
            }
            let shared: Vec<String> = wa.intersection(wb).cloned().collect();
            if !shared.is_empty() {
                out.overlaps.push(Overlap {
                    words: shared,
                    first: format!("{} ({})", action_text(a), pa.title),
                    second: format!("{} ({})", action_text(b), pb.title),
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests;
