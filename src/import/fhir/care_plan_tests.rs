//! CarePlan activities' due dates and statuses, and who recorded the version and
//! when (SAFETY.md H46), from small hand-written resources.

use serde_json::{Value, json};

use super::*;
use crate::domain::care_plan::ActionStatus;

fn bundle_with(care_plan: Value) -> String {
    json!({
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [
            {"fullUrl": "urn:uuid:p1", "resource": {"resourceType": "Patient", "id": "p1",
                "identifier": [{"system": "https://fhir.nhs.uk/Id/nhs-number", "value": "9990000042"}],
                "name": [{"family": "Adeyemi", "given": ["Samuel"]}], "gender": "male", "birthDate": "1955-03-14"}},
            {"resource": care_plan},
        ]
    })
    .to_string()
}

fn plan_of(care_plan: Value) -> crate::domain::CarePlan {
    let parsed = parse("plan.json", "00", &bundle_with(care_plan), ImportOptions::default()).expect("FHIR");
    assert!(parsed.rejections.is_empty(), "{:?}", parsed.rejections);
    parsed.batch.care_plans[0].plan.clone()
}

fn activity(status: Option<&str>, scheduled: Value) -> Value {
    let mut detail = json!({"description": format!("Action {status:?} {scheduled}")});
    if let Some(s) = status {
        detail["status"] = json!(s);
    }
    if let Value::Object(m) = scheduled {
        for (k, v) in m {
            detail[k] = v;
        }
    }
    json!({ "detail": detail })
}

fn care_plan(activities: Vec<Value>) -> Value {
    json!({
        "resourceType": "CarePlan", "id": "cp1", "status": "active", "intent": "plan",
        "title": "COPD community care plan",
        "subject": {"reference": "urn:uuid:p1"},
        "period": {"start": "2026-05-20"},
        "activity": activities,
    })
}

#[test]
fn each_activity_status_reads_as_documented_and_entered_in_error_is_left_out() {
    let codes = [
        "not-started",
        "scheduled",
        "in-progress",
        "on-hold",
        "completed",
        "cancelled",
        "stopped",
        "unknown",
        "entered-in-error",
    ];
    let mut activities: Vec<Value> = codes.iter().map(|c| activity(Some(c), json!({}))).collect();
    activities.push(activity(None, json!({})));
    let parsed = parse(
        "plan.json",
        "00",
        &bundle_with(care_plan(activities)),
        ImportOptions::default(),
    )
    .expect("FHIR");
    let got: Vec<ActionStatus> = parsed.batch.care_plans[0]
        .plan
        .actions
        .iter()
        .map(|a| a.status)
        .collect();
    use ActionStatus::*;
    assert_eq!(
        got,
        vec![
            NotStarted, NotStarted, InProgress, OnHold, Done, Cancelled, Cancelled, NotStarted, NotStarted
        ]
    );
    assert!(
        parsed.batch.notes.iter().any(|n| n.contains("entered in error")),
        "the activity left out is said: {:?}",
        parsed.batch.notes
    );
}

#[test]
fn a_due_date_is_the_scheduled_period_end_or_a_scheduled_string_that_is_a_date() {
    let cases = [
        (
            json!({"scheduledPeriod": {"start": "2026-05-20", "end": "2026-06-03"}}),
            Some("2026-06-03"),
        ),
        (
            json!({"scheduledPeriod": {"end": "2026-06-03T17:00:00+01:00"}}),
            Some("2026-06-03"),
        ),
        (json!({"scheduledPeriod": {"start": "2026-05-20"}}), None),
        (json!({"scheduledString": "2026-07-01"}), Some("2026-07-01")),
        (json!({"scheduledString": "01-Jul-2026"}), Some("2026-07-01")),
        (json!({"scheduledString": "every Tuesday morning"}), None),
        (json!({"scheduledString": "by the end of June"}), None),
        (
            json!({"scheduledTiming": {"repeat": {"frequency": 1, "period": 1, "periodUnit": "wk"}}}),
            None,
        ),
        (json!({}), None),
    ];
    for (scheduled, want) in cases {
        let p = plan_of(care_plan(vec![activity(Some("in-progress"), scheduled.clone())]));
        assert_eq!(p.actions[0].due.map(|d| d.to_string()).as_deref(), want, "{scheduled}");
    }
}

#[test]
fn the_version_is_recorded_when_and_by_whom_the_resource_says() {
    let mut r = care_plan(vec![]);
    r["meta"] = json!({"versionId": "3", "lastUpdated": "2026-03-12T09:15:00Z"});
    r["created"] = json!("2026-01-05");
    r["author"] = json!({"reference": "Organization/nc", "display": "Northgate Council"});
    let p = plan_of(r.clone());
    // The author is the plan's owner, never taken for who recorded the version.
    assert_eq!(p.version_line(), "Version 3, recorded 12-Mar-2026, author not given");
    assert_eq!(p.owner, "Northgate Council");

    // The contributor is who provided this version's contents; created stands in for lastUpdated.
    r["meta"] = json!({"versionId": "3"});
    r["contributor"] = json!([{"reference": "Practitioner/as", "display": "Amina Shah"}]);
    let p = plan_of(r.clone());
    assert_eq!(p.version_line(), "Version 3, recorded 05-Jan-2026 by Amina Shah");
    assert_eq!(p.owner, "Northgate Council", "the author stays the plan's owner");

    // Neither given: said so, nothing guessed (not the import time, not the owner).
    let bare = care_plan(vec![]);
    let p = plan_of(bare);
    assert_eq!(p.version_line(), "Version 1, date and author not given");
}
