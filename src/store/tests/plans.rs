//! Care plan versions keep who recorded them and when, and their actions' due dates
//! and statuses, on both engines (SAFETY.md H46).

use super::*;
use crate::domain::batch::CarePlanEntry;
use crate::domain::care_plan::{ActionStatus, CarePlan, PlanAction, PlanKind, ResponsibleParty, VersionRecorded};

fn plan(version: u32, recorded: VersionRecorded, actions: Vec<PlanAction>) -> CarePlanEntry {
    CarePlanEntry {
        person: PersonKey::Nhs(nhs("9990000018")),
        plan_ref: "CP-OK-1".into(),
        plan: CarePlan {
            id: 0,
            kind: PlanKind::CareAndSupport,
            sector: crate::domain::Sector::SocialCare,
            title: "Care and support plan".into(),
            owner: "Ashford Council".into(),
            status: "active".into(),
            version,
            recorded,
            start: NaiveDate::from_ymd_opt(2026, 10, 1).unwrap(),
            last_review: None,
            next_review: None,
            goals: vec!["I want to go home.".into()],
            needs: vec![],
            actions,
            funding: None,
            personal_budget_weekly: None,
            sensitivity: Sensitivity::Normal,
            is_placeholder: false,
            provenance: Provenance {
                source: "Ashford Council".into(),
                source_ref: "CP-OK-1".into(),
                ..Default::default()
            },
        },
    }
}

fn action(description: &str, due: Option<&str>, status: ActionStatus) -> PlanAction {
    PlanAction {
        description: description.into(),
        responsible_party: ResponsibleParty::Provider,
        responsible_name: Some("Bright Homecare".into()),
        meets: vec![],
        due: due.map(|d| at(d).date()),
        status,
    }
}

on_both_engines! {
    fn plan_versions_keep_their_recorder_and_actions_their_due_dates_and_statuses(store) {
    let recorded = VersionRecorded {
        at: Some(at("2026-11-20T14:35")),
        by: Some("Amina Shah".into()),
        organisation: Some("Ashford Council".into()),
    };
    let actions: Vec<PlanAction> = ActionStatus::ALL
        .iter()
        .enumerate()
        .map(|(i, s)| action(&format!("Action {i}"), Some(format!("2026-12-0{}", i + 1).as_str()), *s))
        .chain([action("Weekly call", None, ActionStatus::InProgress)])
        .collect();
    let mut b = batch();
    b.care_plans = vec![
        plan(1, VersionRecorded::default(), vec![action("Weekly call", None, ActionStatus::NotStarted)]),
        plan(2, recorded.clone(), actions.clone()),
    ];
    store.apply_import(&b, at("2026-11-22T09:00")).unwrap();
    let found = store.find_by_nhs_number(nhs("9990000018")).unwrap().unwrap();
    let plans = store.person_record(found.id).unwrap().care_plans;
    assert_eq!(plans.len(), 2);
    let v2 = plans.iter().find(|p| p.version == 2).unwrap();
    assert_eq!(v2.recorded, recorded);
    assert_eq!(v2.actions, actions);
    assert_eq!(v2.version_line(), "Version 2, recorded 20-Nov-2026 by Amina Shah (Ashford Council)");
    let v1 = plans.iter().find(|p| p.version == 1).unwrap();
    assert_eq!(v1.recorded, VersionRecorded::default(), "not given stays not given");
    assert_eq!(v1.actions[0].status, ActionStatus::NotStarted);
    assert_eq!(v1.actions[0].due, None);
    }
}

on_both_engines! {
    fn an_action_status_outside_the_five_is_refused_by_the_database(store) {
    let mut b = batch();
    b.care_plans = vec![plan(1, VersionRecorded::default(), vec![action("Weekly call", None, ActionStatus::Done)])];
    store.apply_import(&b, at("2026-11-22T09:00")).unwrap();
    let refused = store
        .connection()
        .execute_batch("UPDATE care_plan_action SET status = 'completed'")
        .is_err();
    assert!(refused, "only the five statuses are stored");
    }
}

on_both_engines! {
    fn a_different_statement_under_a_version_number_held_is_kept_as_the_next_version(store) {
    // Hostile review: a FHIR CarePlan without meta.versionId is version 1 each time,
    // so a later statement (an action reopened, with a due date) was dropped unseen.
    let done = || vec![action("Home care", None, ActionStatus::Done)];
    let reopened = vec![action("Home care", Some("2026-11-20"), ActionStatus::InProgress)];
    for (plans, added) in [
        (vec![plan(1, VersionRecorded::default(), done())], 1),
        // The same statement again: nothing added.
        (vec![plan(1, VersionRecorded::default(), done())], 0),
        // Another under the same number: kept, as version 2.
        (vec![plan(1, VersionRecorded::default(), reopened.clone())], 1),
        (vec![plan(1, VersionRecorded::default(), reopened.clone())], 0),
    ] {
        let mut b = batch();
        b.care_plans = plans;
        let summary = store.apply_import(&b, at("2026-11-22T09:00")).unwrap();
        assert_eq!(summary.care_plan_versions_added, added, "{summary:?}");
    }
    let found = store.find_by_nhs_number(nhs("9990000018")).unwrap().unwrap();
    let plans = store.person_record(found.id).unwrap().care_plans;
    let versions: Vec<u32> = plans.iter().map(|p| p.version).collect();
    assert_eq!(versions.len(), 2, "{versions:?}");
    let newest = plans.iter().max_by_key(|p| p.version).unwrap();
    assert_eq!((newest.version, newest.actions.clone()), (2, reopened));
    }
}
