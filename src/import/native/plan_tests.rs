//! A bundle plan's action due dates and statuses, and who recorded the version and
//! when (SAFETY.md H46), from small hand-written bundles.

use super::*;
use crate::domain::care_plan::ActionStatus;
use crate::import::{ImportOptions, rejection_lines};

fn bundle(plan_fields: &str, actions: &str) -> String {
    format!(
        r#"{{"format": "joinedup-bundle", "version": 1, "people": [
        {{"nhs_number": "9990000085", "source": "Westmere Council", "care_plans": [
          {{"ref": "CP-1", "kind": "carer_support", "sector": "social_care", "title": "Carer's support plan",
            "owner": "Westmere Council", "status": "active", "version": 2, "start": "2026-02-24"{plan_fields},
            "needs": [{{"ref": "N1", "description": "Breaks from caring", "is_eligible": true}}],
            "actions": [{actions}]}}]}}]}}"#
    )
}

fn options(shift_days: i64) -> ImportOptions {
    ImportOptions {
        test_range_only: true,
        shift_days,
    }
}

#[test]
fn due_dates_statuses_and_the_recorder_are_read_and_shifted_with_the_story() {
    let text = bundle(
        r#", "recorded_at": "2026-05-20T16:45", "recorded_by": "Tom Asante", "recorded_organisation": "Westmere Council""#,
        r#"{"description": "Sitting service", "responsible_party": "local_authority", "meets": ["N1"],
            "status": "in_progress"},
           {"description": "Register as a carer", "responsible_party": "person", "due": "2026-03-31", "status": "done"},
           {"description": "Night sitting", "responsible_party": "provider", "due": "06-Jul-2026"}"#,
    );
    let parsed = parse("b.json", "00", &text, options(10)).expect("bundle");
    assert_eq!(parsed.rejections, vec![]);
    let plan = &parsed.batch.care_plans[0].plan;
    let got: Vec<(Option<String>, ActionStatus)> = plan
        .actions
        .iter()
        .map(|a| (a.due.map(|d| d.to_string()), a.status))
        .collect();
    assert_eq!(
        got,
        vec![
            (None, ActionStatus::InProgress),
            (Some("2026-04-10".into()), ActionStatus::Done),
            // No status given: not started, so a passed due date is flagged.
            (Some("2026-07-16".into()), ActionStatus::NotStarted),
        ]
    );
    assert_eq!(
        plan.version_line(),
        "Version 2, recorded 30-May-2026 by Tom Asante (Westmere Council)"
    );
}

#[test]
fn a_bad_due_date_or_status_rejects_the_plan_with_its_place() {
    let text = bundle(
        r#", "recorded_at": "yesterday""#,
        r#"{"description": "Sitting service", "responsible_party": "local_authority", "status": "completed"},
           {"description": "Night sitting", "responsible_party": "provider", "due": "31/02/2026"}"#,
    );
    let parsed = parse("b.json", "00", &text, options(0)).expect("bundle");
    assert!(parsed.batch.care_plans.is_empty());
    let lines = rejection_lines(&parsed.rejections);
    assert_eq!(lines.len(), 3, "{lines:?}");
    assert!(
        lines[0]
            .ends_with("| recorded_at | \"yesterday\" is not a date or date-time (use 2026-11-22 or 2026-11-22T14:30)"),
        "{lines:?}"
    );
    assert!(lines[1].ends_with("| actions[0].status | unknown action status \"completed\" (not_started, in_progress, on_hold, done or cancelled)"), "{lines:?}");
    assert!(
        lines[2]
            .ends_with("| actions[1].due | \"31/02/2026\" is not a date (use 2026-11-22, 22/11/2026 or 22-Nov-2026)"),
        "{lines:?}"
    );
}

#[test]
fn an_unknown_field_on_an_action_is_an_error() {
    let text = bundle(
        "",
        r#"{"description": "Sitting service", "responsible_party": "provider", "staus": "done"}"#,
    );
    let err = parse("b.json", "00", &text, options(0)).unwrap_err();
    assert!(err.to_string().contains("unknown field `staus`"), "{err}");
}

#[test]
fn a_plan_without_the_new_fields_reads_as_before() {
    let text = bundle(
        "",
        r#"{"description": "Sitting service", "responsible_party": "provider", "meets": ["N1"]}"#,
    );
    let parsed = parse("b.json", "00", &text, options(0)).expect("bundle");
    let plan = &parsed.batch.care_plans[0].plan;
    assert_eq!(plan.actions[0].due, None);
    assert_eq!(plan.actions[0].status, ActionStatus::NotStarted);
    assert_eq!(plan.version_line(), "Version 2, date and author not given");
}
