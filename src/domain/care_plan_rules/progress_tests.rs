//! Action progress (due dates and statuses), the FHIR status mapping, and version
//! attribution (SAFETY.md H46).

use chrono::{NaiveDate, NaiveDateTime};

use super::*;
use crate::domain::care_plan::{ActionStatus, PlanAction, VersionRecorded};
use crate::domain::dates::parse_date;
use crate::domain::{Provenance, Sector};

fn day(s: &str) -> NaiveDate {
    parse_date(s).unwrap()
}

fn at(s: &str) -> NaiveDateTime {
    crate::domain::dates::parse_date_time(s).unwrap()
}

fn action(d: &str, due: Option<&str>, status: ActionStatus) -> PlanAction {
    PlanAction {
        description: d.into(),
        responsible_party: ResponsibleParty::Provider,
        responsible_name: Some("Bright Homecare".into()),
        meets: vec![],
        due: due.map(day),
        status,
    }
}

fn plan(version: u32, actions: Vec<PlanAction>, recorded: VersionRecorded) -> CarePlan {
    CarePlan {
        id: 1,
        kind: PlanKind::CareAndSupport,
        sector: Sector::SocialCare,
        title: "Care and support plan".into(),
        owner: "Northgate Council".into(),
        status: "active".into(),
        version,
        recorded,
        start: day("2026-01-05"),
        last_review: None,
        next_review: None,
        goals: vec![],
        needs: vec![],
        actions,
        funding: None,
        personal_budget_weekly: None,
        sensitivity: crate::domain::Sensitivity::Normal,
        is_placeholder: false,
        provenance: Provenance::default(),
    }
}

#[test]
fn an_action_is_overdue_only_past_its_date_and_not_done_or_cancelled() {
    use ActionStatus::*;
    let today = day("2026-12-06");
    // (due, status, overdue since)
    let cases: [(Option<&str>, ActionStatus, Option<&str>); 12] = [
        (Some("2026-12-03"), NotStarted, Some("2026-12-03")),
        (Some("2026-12-03"), InProgress, Some("2026-12-03")),
        (Some("2026-12-03"), OnHold, Some("2026-12-03")),
        (Some("2026-12-03"), Done, None),
        (Some("2026-12-03"), Cancelled, None),
        (Some("2026-12-05"), InProgress, Some("2026-12-05")),
        // Due today is not yet overdue; due tomorrow neither.
        (Some("2026-12-06"), NotStarted, None),
        (Some("2026-12-07"), NotStarted, None),
        (None, NotStarted, None),
        (None, OnHold, None),
        (Some("2025-01-31"), NotStarted, Some("2025-01-31")),
        (Some("2027-01-01"), Done, None),
    ];
    for (due, status, want) in cases {
        let a = action("Home care", due, status);
        assert_eq!(a.overdue_since(today), want.map(day), "due {due:?}, {status:?}");
    }
}

#[test]
fn who_does_what_rows_carry_due_status_and_overdue_in_words() {
    let p = plan(
        1,
        vec![
            action("Arrange home care", Some("2026-12-03"), ActionStatus::InProgress),
            action("Deliver profiling bed", Some("2026-12-10"), ActionStatus::NotStarted),
            action("Register as a carer", Some("2026-11-01"), ActionStatus::Done),
            action("Weekly call", None, ActionStatus::InProgress),
        ],
        VersionRecorded::default(),
    );
    let w = who_does_what(&[&p], day("2026-12-06"));
    let by_action = |d: &str| w.rows.iter().find(|r| r.action == d).unwrap();
    let home = by_action("Arrange home care");
    assert_eq!(home.overdue_since, Some(day("2026-12-03")));
    assert_eq!(home.due_text(), "Overdue since 03-Dec-2026");
    assert_eq!(home.status, ActionStatus::InProgress);
    assert_eq!(by_action("Deliver profiling bed").due_text(), "Due 10-Dec-2026");
    assert_eq!(by_action("Register as a carer").due_text(), "Due 01-Nov-2026");
    assert_eq!(by_action("Register as a carer").overdue_since, None);
    assert_eq!(by_action("Weekly call").due_text(), "No due date");
}

#[test]
fn every_fhir_activity_status_maps_as_documented() {
    use ActionStatus::*;
    let cases = [
        ("not-started", Some(NotStarted)),
        ("scheduled", Some(NotStarted)),
        ("in-progress", Some(InProgress)),
        ("on-hold", Some(OnHold)),
        ("completed", Some(Done)),
        ("cancelled", Some(Cancelled)),
        ("stopped", Some(Cancelled)),
        ("unknown", Some(NotStarted)),
        ("entered-in-error", None),
        ("In-Progress", Some(NotStarted)),
        ("", Some(NotStarted)),
    ];
    for (code, want) in cases {
        assert_eq!(ActionStatus::from_fhir(code), want, "{code:?}");
    }
    // What is written reads back as the same status; the stored code too.
    for s in ActionStatus::ALL {
        assert_eq!(ActionStatus::from_fhir(s.fhir_code()), Some(s));
        assert_eq!(ActionStatus::from_code(s.code()), Some(s));
    }
    assert_eq!(ActionStatus::from_code("completed"), None);
}

#[test]
fn a_version_says_when_and_by_whom_and_what_was_not_given() {
    let full = VersionRecorded {
        at: Some(at("2026-03-12T10:30")),
        by: Some("Amina Shah".into()),
        organisation: Some("Northgate Council".into()),
    };
    let cases = [
        (
            full.clone(),
            "Version 3, recorded 12-Mar-2026 by Amina Shah (Northgate Council)",
        ),
        (
            VersionRecorded {
                organisation: None,
                ..full.clone()
            },
            "Version 3, recorded 12-Mar-2026 by Amina Shah",
        ),
        (
            VersionRecorded {
                by: None,
                organisation: None,
                ..full.clone()
            },
            "Version 3, recorded 12-Mar-2026, author not given",
        ),
        (
            VersionRecorded {
                at: None,
                ..full.clone()
            },
            "Version 3, recorded by Amina Shah (Northgate Council), date not given",
        ),
        (VersionRecorded::default(), "Version 3, date and author not given"),
    ];
    for (recorded, want) in cases {
        assert_eq!(plan(3, vec![], recorded).version_line(), want);
    }
}

#[test]
fn a_change_of_due_date_or_status_diffs_as_progress_of_that_action() {
    let old = plan(
        1,
        vec![
            action(
                "Register as a carer at the surgery",
                Some("2026-03-31"),
                ActionStatus::NotStarted,
            ),
            action("Night sitting", Some("2026-07-06"), ActionStatus::NotStarted),
            action("Sitting service 4 hours a week", None, ActionStatus::InProgress),
        ],
        VersionRecorded::default(),
    );
    let new = plan(
        2,
        vec![
            action(
                "Register as a carer at the surgery",
                Some("2026-03-31"),
                ActionStatus::Done,
            ),
            action("Night sitting", Some("2026-07-20"), ActionStatus::OnHold),
            action("Sitting service 6 hours a week", None, ActionStatus::Done),
        ],
        VersionRecorded::default(),
    );
    let texts: Vec<String> = diff_versions(&old, &new)
        .into_iter()
        .filter(|c| c.field == "action progress")
        .map(|c| c.text)
        .collect();
    assert_eq!(
        texts,
        vec![
            "Register as a carer at the surgery: Not started -> Done",
            "Night sitting: due 06-Jul-2026 -> 20-Jul-2026; Not started -> On hold",
            "Sitting service 6 hours a week: In progress -> Done",
        ]
    );
}

#[test]
fn a_restricted_plans_placeholder_has_no_action_due_date_author_or_status() {
    let p = plan(
        2,
        vec![action("Weekly call", Some("2026-12-01"), ActionStatus::InProgress)],
        VersionRecorded {
            at: Some(at("2026-05-26T12:00")),
            by: Some("Daniel Cole".into()),
            organisation: Some("Westmere Council".into()),
        },
    );
    let shown = crate::domain::disclosure::placeholder_plan(&p);
    assert!(shown.actions.is_empty());
    assert_eq!(shown.recorded, VersionRecorded::default());
    assert_eq!(shown.status, "");
    assert_eq!(shown.owner, "");
    assert_eq!(shown.version_line(), "Version 2, date and author not given");
    assert!(who_does_what(&[&shown], day("2026-12-06")).rows.is_empty());
}
