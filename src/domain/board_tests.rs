//! Tests for the discharge board's rows, filters and sorting.

use super::board::*;
use super::chc::{ChcAssessment, ChcAssessmentKind};
use super::discharge::*;
use super::hospital::HospitalSpell;
use super::{EpisodeKind, EpisodeStatus};
use crate::domain::dates::{parse_date, parse_date_time};
use crate::domain::discharge::CtrReview;
use crate::domain::test_support::episode;

/// An inpatient at Northgate, Elm ward: no longer meeting the criteria from `drd`, or meeting them.
pub(super) fn input(name: &str, admitted: &str, drd: Option<&str>, pathway: Option<u8>) -> BoardInput {
    let reviews = match drd {
        Some(d) => vec![CtrReview {
            date: parse_date(d).unwrap(),
            meets: false,
            code: None,
        }],
        None => vec![CtrReview {
            date: parse_date(admitted).unwrap(),
            meets: true,
            code: Some("02".into()),
        }],
    };
    BoardInput {
        person: BoardPerson {
            person_id: 1,
            nhs_number: None,
            display_name: name.into(),
            allocated_worker: None,
        },
        spell: HospitalSpell {
            episode_id: 1,
            hospital: "Northgate".into(),
            ward: Some("Elm".into()),
            admitted: parse_date_time(admitted),
            pathway,
            ctr_reviews: reviews,
            ..Default::default()
        },
        social_care: vec![],
        is_known_to_social_care: false,
        chc: vec![],
        is_restricted: false,
    }
}

#[test]
fn a_restricted_row_is_counted_and_named_but_its_context_held_back() {
    let as_of = parse_date("2026-11-22").unwrap();
    let mut sealed = input("MORGAN, Lisa", "2026-11-02T10:00", Some("2026-11-12"), Some(1));
    sealed.is_restricted = true;
    sealed.spell.hospital = "Northgate Sexual Health Clinic".into();
    sealed.spell.next_action = Some("Refuge placement at 1 Hidden Lane".into());
    sealed.spell.delay_reasons = vec![crate::domain::DelayReason {
        id: 1,
        code: "E".into(),
        description: "Awaiting refuge place".into(),
        attribution: crate::domain::hospital::Attribution::SocialCare,
        since: parse_date("2026-11-12").unwrap(),
        owner: Some("Refuge team".into()),
    }];
    sealed.person.allocated_worker = Some("Jo Refuge".into());
    let open = input("OKAFOR, Margaret", "2026-11-02T10:00", Some("2026-11-12"), Some(1));
    let rows = build_rows(&[sealed, open], as_of);
    assert_eq!(rows.len(), 2, "restricted people stay on the board and in its counts");
    let r = &rows[0];
    assert_eq!(r.person.display_name, "MORGAN, Lisa", "the ward can find the patient");
    assert_eq!(r.hospital, "restricted");
    assert_eq!(r.ward.as_deref(), Some("restricted"));
    assert_eq!(r.days_delayed, rows[1].days_delayed, "the figures stay true");
    let text = format!("{r:?}");
    for secret in [
        "Sexual Health",
        "Hidden Lane",
        "refuge place",
        "Refuge team",
        "Jo Refuge",
    ] {
        assert!(!text.contains(secret), "{secret} leaked: {text}");
    }
    assert_eq!(rows[1].hospital, "Northgate", "open rows keep their context");
    // A filter by place keeps the restricted row: its place is held back, not elsewhere.
    let by_place = BoardFilter {
        hospital: "Northgate".into(),
        ward: "Elm".into(),
        ..Default::default()
    };
    assert!(rows.iter().all(|r| by_place.matches(r)));
    // The CSV and JSON say "restricted" for held-back context, never "not known".
    let json = crate::domain::board_export::row_json(r);
    assert_eq!(json["social_care"], "restricted");
    assert_eq!(json["restricted"], true);
    let csv = crate::domain::board_export::board_csv(&rows);
    let line = csv.lines().find(|l| l.contains("MORGAN")).unwrap();
    assert!(
        line.contains("restricted,restricted,restricted,restricted,restricted"),
        "{line}"
    );
}

#[test]
fn rows_filters_and_sorting() {
    let as_of = parse_date("2026-11-22").unwrap();
    let inputs = vec![
        input("A", "2026-11-01", Some("2026-11-10"), Some(1)),
        input("B", "2026-11-15", None, None),
        input("C", "2026-11-05", Some("2026-11-20"), Some(3)),
    ];
    let mut rows = build_rows(&inputs, as_of);
    assert_eq!(rows.len(), 3);
    sort_rows(&mut rows, BoardColumn::DaysDelayed, true);
    let order: Vec<&str> = rows.iter().map(|r| r.person.display_name.as_str()).collect();
    assert_eq!(order, vec!["A", "C", "B"]);
    assert_eq!(rows[0].days_delayed, Some(12));
    assert_eq!(rows[0].status, BoardStatus::LongDelay);
    assert_eq!(rows[2].criterion_code.as_deref(), Some("02"));
    let f = BoardFilter {
        pathway: Some(3),
        ..Default::default()
    };
    assert_eq!(rows.iter().filter(|r| f.matches(r)).count(), 1);
    let f = BoardFilter {
        min_days_delayed: 3,
        ..Default::default()
    };
    assert_eq!(rows.iter().filter(|r| f.matches(r)).count(), 1);
}

#[test]
fn social_care_context_around_the_admission() {
    let as_of = parse_date("2026-11-22").unwrap();
    let mut i = input("A", "2026-11-01", Some("2026-11-10"), Some(1));
    let mut suspended = episode(EpisodeKind::SocialCareService, "2025-01-01", Some("2026-11-01"));
    suspended.status = EpisodeStatus::Suspended;
    let mut request = episode(EpisodeKind::SocialCareRequest, "2026-11-08", None);
    request
        .attributes
        .insert("route_of_access".into(), "Discharge from Hospital".into());
    let old_request = episode(EpisodeKind::SocialCareRequest, "2025-01-01", None);
    i.social_care = vec![suspended, request, old_request];
    i.is_known_to_social_care = true;
    let row = &build_rows(&[i], as_of)[0];
    assert!(row.social_care.is_known);
    assert_eq!(row.social_care.suspended_packages, 1);
    assert_eq!(row.social_care.active_packages, 0);
    assert!(row.social_care.hospital_request_made);
}

#[test]
fn chc_clock_on_the_board() {
    use crate::domain::chc::IcbDecision;
    let as_of = parse_date("2026-11-22").unwrap();
    let checklist = ChcAssessment {
        episode_id: 1,
        kind: ChcAssessmentKind::Checklist,
        completed_on: parse_date("2026-10-20").unwrap(),
        completed_by: None,
        domains: vec![],
        mdt_recommendation: None,
        icb_decision: None,
        recorded_positive: Some(true),
        evidence: vec![],
    };
    let s = chc_status(std::slice::from_ref(&checklist), as_of);
    assert_eq!(s.days_on_clock, Some(33));
    assert!(s.is_overdue);
    assert_eq!(s.summary(), "awaiting decision, day 33 of 28");
    let mut dst = checklist.clone();
    dst.kind = ChcAssessmentKind::Dst;
    dst.icb_decision = Some(IcbDecision {
        date: parse_date("2026-11-01").unwrap(),
        is_eligible: true,
        note: None,
        decided_by: None,
    });
    let s = chc_status(&[checklist, dst], as_of);
    assert_eq!(s.summary(), "eligible");
    assert_eq!(chc_status(&[], as_of).summary(), "no checklist");
}
