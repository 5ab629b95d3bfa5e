//! Where a person is in NHS Continuing Healthcare: the 28-day clock from a positive
//! Checklist to the ICB decision, the reviews after eligibility, and the stage the
//! caseload groups people by (RULES.md 2.4).

use chrono::{Months, NaiveDate};
use serde::Serialize;

use super::chc::{ChcAssessment, ChcAssessmentKind};
use super::findings::CHC_DECISION_DAYS;

/// First review after an eligibility decision.
///
/// Unconfirmed as national wording; secondary sources (beaconchc, Scope, Manchester
/// APPP) agree on 3 months, then at least every 12 months.
pub const FIRST_REVIEW_MONTHS: u32 = 3;
pub const LATER_REVIEW_MONTHS: u32 = 12;
/// A "not eligible" decision stays on the caseload this long (a local choice, so the
/// coordinator can support a request for local resolution).
pub const NOT_ELIGIBLE_SHOWN_DAYS: i64 = 90;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChcStage {
    ChecklistPositive,
    AwaitingDecision,
    FastTrackAwaitingDecision,
    EligibleReviewDue,
    /// Eligible and reviewed since the decision; the next review is not yet overdue.
    EligibleReviewed,
    NotEligible,
}

impl ChcStage {
    pub const ALL: [ChcStage; 6] = [
        ChcStage::ChecklistPositive,
        ChcStage::AwaitingDecision,
        ChcStage::FastTrackAwaitingDecision,
        ChcStage::EligibleReviewDue,
        ChcStage::EligibleReviewed,
        ChcStage::NotEligible,
    ];
    pub fn label(self) -> &'static str {
        match self {
            ChcStage::ChecklistPositive => "Checklist positive, awaiting DST",
            ChcStage::AwaitingDecision => "DST done, awaiting ICB decision",
            ChcStage::FastTrackAwaitingDecision => "Fast Track, awaiting ICB",
            ChcStage::EligibleReviewDue => "Eligible, review due",
            ChcStage::EligibleReviewed => "Eligible, reviewed",
            ChcStage::NotEligible => "Not eligible",
        }
    }
}

/// An open CHC process for one person, as of a date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChcCase {
    pub stage: ChcStage,
    /// The positive Checklist or Fast Track that started the process.
    pub started_on: NaiveDate,
    /// Days from the start to the decision, or to today while undecided.
    pub days_on_clock: i64,
    pub decision_due: NaiveDate,
    /// Past 28 days with no decision (not for Fast Track, which has no 28-day clock).
    pub is_overdue: bool,
    pub decided_on: Option<NaiveDate>,
    pub next_review: Option<NaiveDate>,
    pub is_review_overdue: bool,
}

fn add_months(d: NaiveDate, m: u32) -> NaiveDate {
    d.checked_add_months(Months::new(m)).unwrap_or(d)
}

/// The person's current CHC process as of `today`, or None when there is none open.
pub fn chc_case(assessments: &[ChcAssessment], today: NaiveDate) -> Option<ChcCase> {
    let mut seen: Vec<&ChcAssessment> = assessments.iter().filter(|a| a.completed_on <= today).collect();
    seen.sort_by_key(|a| a.completed_on);
    let start = seen
        .iter()
        .rev()
        .find(|a| a.kind == ChcAssessmentKind::FastTrack || a.is_positive_checklist())
        .copied()?;
    let is_fast_track = start.kind == ChcAssessmentKind::FastTrack;
    let started_on = start.completed_on;
    let decision_due = started_on + chrono::Duration::days(CHC_DECISION_DAYS);
    let decision = seen
        .iter()
        .filter_map(|a| a.icb_decision.as_ref())
        .filter(|d| d.date >= started_on && d.date <= today)
        .min_by_key(|d| d.date);
    let Some(decision) = decision else {
        let days = (today - started_on).num_days();
        let has_dst = seen
            .iter()
            .any(|a| a.kind == ChcAssessmentKind::Dst && a.completed_on >= started_on);
        let stage = match (is_fast_track, has_dst) {
            (true, _) => ChcStage::FastTrackAwaitingDecision,
            (false, true) => ChcStage::AwaitingDecision,
            (false, false) => ChcStage::ChecklistPositive,
        };
        return Some(ChcCase {
            stage,
            started_on,
            days_on_clock: days,
            decision_due,
            is_overdue: !is_fast_track && days > CHC_DECISION_DAYS,
            decided_on: None,
            next_review: None,
            is_review_overdue: false,
        });
    };
    let days = (decision.date - started_on).num_days();
    if !decision.is_eligible {
        if (today - decision.date).num_days() > NOT_ELIGIBLE_SHOWN_DAYS {
            return None;
        }
        return Some(ChcCase {
            stage: ChcStage::NotEligible,
            started_on,
            days_on_clock: days,
            decision_due,
            is_overdue: !is_fast_track && days > CHC_DECISION_DAYS,
            decided_on: Some(decision.date),
            next_review: None,
            is_review_overdue: false,
        });
    }
    let last_review = seen
        .iter()
        .filter(|a| a.kind == ChcAssessmentKind::Review && a.completed_on >= decision.date)
        .map(|a| a.completed_on)
        .max();
    let next_review = match last_review {
        Some(r) => add_months(r, LATER_REVIEW_MONTHS),
        None => add_months(decision.date, FIRST_REVIEW_MONTHS),
    };
    let is_review_overdue = next_review < today;
    Some(ChcCase {
        stage: if last_review.is_some() && !is_review_overdue {
            ChcStage::EligibleReviewed
        } else {
            ChcStage::EligibleReviewDue
        },
        started_on,
        days_on_clock: days,
        decision_due,
        is_overdue: !is_fast_track && days > CHC_DECISION_DAYS,
        decided_on: Some(decision.date),
        next_review: Some(next_review),
        is_review_overdue,
    })
}

/// The caseload's order: decisions overdue first, then reviews overdue, then by
/// stage, then the longest on the clock.
/// One caseload line. A restricted person stays on the caseload with name, NHS
/// number and the statutory clock (nothing in a case names a sensitive category), is
/// marked restricted, and their record opens only through the reason flow.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseloadRow {
    pub person_id: i64,
    pub nhs_number: Option<super::NhsNumber>,
    pub name: String,
    pub case: ChcCase,
    pub is_restricted: bool,
}

pub fn caseload_order(a: &ChcCase, b: &ChcCase) -> std::cmp::Ordering {
    b.is_overdue
        .cmp(&a.is_overdue)
        .then(b.is_review_overdue.cmp(&a.is_review_overdue))
        .then(a.stage.cmp(&b.stage))
        .then(b.days_on_clock.cmp(&a.days_on_clock))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::chc::IcbDecision;
    use crate::domain::dates::parse_date;

    fn day(s: &str) -> NaiveDate {
        parse_date(s).unwrap()
    }

    fn a(kind: ChcAssessmentKind, on: &str, positive: Option<bool>, decided: Option<(&str, bool)>) -> ChcAssessment {
        ChcAssessment {
            episode_id: 0,
            kind,
            completed_on: day(on),
            completed_by: None,
            domains: vec![],
            mdt_recommendation: None,
            icb_decision: decided.map(|(d, e)| IcbDecision {
                date: day(d),
                is_eligible: e,
                note: None,
                decided_by: None,
            }),
            recorded_positive: positive,
            evidence: vec![],
        }
    }

    #[test]
    fn stages_and_clock_across_month_ends() {
        use ChcAssessmentKind::*;
        let checklist = a(Checklist, "2026-01-31", Some(true), None);
        // 28 days from 31 Jan is 28 Feb: on the 28th day still in time, on the 29th overdue.
        let c = chc_case(std::slice::from_ref(&checklist), day("2026-02-28")).unwrap();
        assert_eq!(
            (c.stage, c.days_on_clock, c.is_overdue),
            (ChcStage::ChecklistPositive, 28, false)
        );
        assert_eq!(c.decision_due, day("2026-02-28"));
        let c = chc_case(std::slice::from_ref(&checklist), day("2026-03-01")).unwrap();
        assert_eq!((c.days_on_clock, c.is_overdue), (29, true));

        let dst = a(Dst, "2026-02-10", None, None);
        let c = chc_case(&[checklist.clone(), dst], day("2026-02-20")).unwrap();
        assert_eq!(c.stage, ChcStage::AwaitingDecision);

        let decided = a(Dst, "2026-02-10", None, Some(("2026-02-20", true)));
        let c = chc_case(&[checklist.clone(), decided.clone()], day("2026-03-01")).unwrap();
        assert_eq!(c.stage, ChcStage::EligibleReviewDue);
        assert_eq!(c.days_on_clock, 20);
        assert_eq!(c.next_review, Some(day("2026-05-20")), "3 months after the decision");
        let c = chc_case(&[checklist.clone(), decided.clone()], day("2026-05-21")).unwrap();
        assert!(c.is_review_overdue);
        let review = a(Review, "2026-05-15", None, None);
        let reviewed = [checklist.clone(), decided, review];
        let c = chc_case(&reviewed, day("2026-06-01")).unwrap();
        assert_eq!(c.next_review, Some(day("2027-05-15")), "then every 12 months");
        assert_eq!(c.stage, ChcStage::EligibleReviewed, "the review closes 'review due'");
        let c = chc_case(&reviewed, day("2027-05-16")).unwrap();
        assert_eq!((c.stage, c.is_review_overdue), (ChcStage::EligibleReviewDue, true));

        let refused = a(Dst, "2026-02-10", None, Some(("2026-03-10", false)));
        let c = chc_case(&[checklist.clone(), refused.clone()], day("2026-03-20")).unwrap();
        assert_eq!(
            (c.stage, c.days_on_clock, c.is_overdue),
            (ChcStage::NotEligible, 38, true)
        );
        assert!(
            chc_case(&[checklist, refused], day("2026-12-01")).is_none(),
            "old refusals leave the caseload"
        );

        let fast = a(FastTrack, "2026-04-01", None, None);
        let c = chc_case(std::slice::from_ref(&fast), day("2026-05-20")).unwrap();
        assert_eq!(c.stage, ChcStage::FastTrackAwaitingDecision);
        assert!(!c.is_overdue, "Fast Track has no 28-day clock");

        assert!(chc_case(&[a(Checklist, "2026-01-01", Some(false), None)], day("2026-03-01")).is_none());
        assert!(chc_case(&[], day("2026-03-01")).is_none());
    }
}
