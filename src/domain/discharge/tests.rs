//! Table-driven tests for the discharge rules, at every boundary.

use chrono::NaiveDate;

use super::*;
use crate::domain::dates::{parse_date, parse_date_time};

fn day(s: &str) -> NaiveDate {
    parse_date(s).unwrap()
}

fn review(date: &str, meets: bool) -> CtrReview {
    CtrReview {
        date: day(date),
        meets,
        code: meets.then(|| "03".to_owned()),
    }
}

fn spell(admitted: &str, discharged: Option<&str>, reviews: Vec<CtrReview>) -> HospitalSpell {
    HospitalSpell {
        admitted: parse_date_time(admitted),
        discharged: discharged.and_then(parse_date_time),
        ctr_reviews: reviews,
        ..Default::default()
    }
}

#[test]
fn discharge_ready_date_table() {
    let as_of = day("2026-11-22");
    let cases: Vec<(&str, HospitalSpell, Option<&str>, Option<i64>)> = vec![
        (
            "meets throughout",
            spell("2026-11-10", None, vec![review("2026-11-10", true)]),
            None,
            None,
        ),
        (
            "stopped meeting on the 15th",
            spell(
                "2026-11-10",
                None,
                vec![
                    review("2026-11-10", true),
                    review("2026-11-15", false),
                    review("2026-11-16", false),
                ],
            ),
            Some("2026-11-15"),
            Some(7),
        ),
        (
            "relapse: met the criteria again, then ready again",
            spell(
                "2026-11-01",
                None,
                vec![
                    review("2026-11-01", true),
                    review("2026-11-05", false),
                    review("2026-11-08", true),
                    review("2026-11-18", false),
                ],
            ),
            Some("2026-11-18"),
            Some(4),
        ),
        (
            "relapse, still meeting now",
            spell(
                "2026-11-01",
                None,
                vec![review("2026-11-05", false), review("2026-11-08", true)],
            ),
            None,
            None,
        ),
        (
            "ready today",
            spell("2026-11-10", None, vec![review("2026-11-22", false)]),
            Some("2026-11-22"),
            Some(0),
        ),
        (
            "discharged: days delayed is discharge date minus DRD",
            spell(
                "2026-10-01",
                Some("2026-10-12T14:00"),
                vec![review("2026-10-09", false)],
            ),
            Some("2026-10-09"),
            Some(3),
        ),
        (
            "discharged on the DRD",
            spell(
                "2026-10-01",
                Some("2026-10-09T17:00"),
                vec![review("2026-10-09", false)],
            ),
            Some("2026-10-09"),
            Some(0),
        ),
        (
            "a review after the as-of date is not seen",
            spell(
                "2026-11-10",
                None,
                vec![review("2026-11-10", true), review("2026-11-30", false)],
            ),
            None,
            None,
        ),
    ];
    for (name, s, drd, delayed) in cases {
        let at = s.discharged.map(|d| d.date()).unwrap_or(as_of);
        assert_eq!(discharge_ready_date(&s, at), drd.map(day), "{name}: DRD");
        assert_eq!(days_delayed(&s, as_of), delayed, "{name}: days delayed");
    }
}

#[test]
fn recorded_drd_without_reviews() {
    let mut s = spell("2026-11-01", None, vec![]);
    s.meets_criteria_to_reside = Some(false);
    s.discharge_ready_date = Some(day("2026-11-20"));
    assert_eq!(days_delayed(&s, day("2026-11-22")), Some(2));
    s.meets_criteria_to_reside = Some(true);
    assert_eq!(days_delayed(&s, day("2026-11-22")), None, "meets again: no delay");
}

#[test]
fn bands_at_every_edge() {
    let cases = [
        (0, "0"),
        (1, "1"),
        (2, "2-3"),
        (3, "2-3"),
        (4, "4-6"),
        (6, "4-6"),
        (7, "7-13"),
        (13, "7-13"),
        (14, "14-20"),
        (20, "14-20"),
        (21, "21+"),
        (400, "21+"),
    ];
    for (days, label) in cases {
        assert_eq!(DelayBand::of(days).label(), label, "{days} days");
    }
}

#[test]
fn status_at_every_edge() {
    let cases = [
        (Some(true), None, BoardStatus::MeetsCriteria),
        (Some(false), Some(0), BoardStatus::ReadyToday),
        (Some(false), Some(1), BoardStatus::Delayed),
        (Some(false), Some(6), BoardStatus::Delayed),
        (Some(false), Some(7), BoardStatus::LongDelay),
        (None, None, BoardStatus::NotReviewed),
    ];
    for (meets, days, status) in cases {
        assert_eq!(BoardStatus::of(meets, days), status, "{meets:?} {days:?}");
    }
}

#[test]
fn current_inpatients_and_length_of_stay() {
    let s = spell("2026-11-10T23:00", Some("2026-11-22T10:00"), vec![]);
    assert!(is_current(&s, day("2026-11-21")));
    assert!(!is_current(&s, day("2026-11-22")), "discharged that day");
    assert!(!is_current(&s, day("2026-11-09")), "not yet admitted");
    assert_eq!(length_of_stay(&s, day("2026-11-15")), Some(5));
    assert_eq!(length_of_stay(&s, day("2026-12-01")), Some(12));
}

#[test]
fn summary_counts() {
    let as_of = day("2026-11-22");
    let mut a = spell("2026-11-01", None, vec![review("2026-11-12", false)]);
    a.pathway = Some(1);
    a.delay_reasons = vec![
        DelayReason {
            id: 1,
            code: "E".into(),
            description: "Awaiting care package".into(),
            attribution: Attribution::SocialCare,
            since: day("2026-11-12"),
            owner: None,
        },
        DelayReason {
            id: 2,
            code: "F".into(),
            description: "Awaiting equipment".into(),
            attribution: Attribution::Nhs,
            since: day("2026-11-15"),
            owner: None,
        },
    ];
    let b = spell("2026-11-20", None, vec![review("2026-11-20", true)]);
    let on_time = spell(
        "2026-11-01",
        Some("2026-11-10T12:00"),
        vec![review("2026-11-10", false)],
    );
    let late = spell(
        "2026-11-01",
        Some("2026-11-14T12:00"),
        vec![review("2026-11-10", false)],
    );
    let too_old = spell(
        "2026-09-01",
        Some("2026-09-10T12:00"),
        vec![review("2026-09-10", false)],
    );
    let s = summarise(&[&a, &b], &[&on_time, &late, &too_old], as_of);
    assert_eq!(s.inpatients, 2);
    assert_eq!(s.no_longer_meeting_criteria, 1);
    assert_eq!(s.delayed_bed_days, 10);
    assert_eq!(s.by_band["7-13"], 1);
    assert_eq!(s.by_pathway["1"], 1);
    assert_eq!(s.by_pathway["not set"], 1);
    assert_eq!(s.by_attribution["social_care"], 1);
    assert_eq!(s.by_attribution["nhs"], 1);
    assert_eq!(s.discharged_with_drd_30d, 2);
    assert_eq!(s.discharged_on_drd_share_30d, Some(0.5));
}
