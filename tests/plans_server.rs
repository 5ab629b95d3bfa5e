//! Care plans on a server (SAFETY.md H46): a plan held back from a coordinator
//! names no recorder, date or action through the app roles' views (plain SQL, as
//! `psql` would have it, and the program); a plan shown keeps who recorded each
//! version and each action's due date and status.
//!
//! PostgreSQL only: skips (saying why) without a server unless
//! `JOINEDUP_TEST_POSTGRES=1`.

use joinedup::domain::care_plan::{ActionStatus, VersionRecorded};

mod common;

use common::server_team::{MARGARET, MORGAN, at, person_id};

#[test]
fn a_held_back_plan_names_no_recorder_date_or_action_and_a_shown_one_keeps_them() {
    let mut team = team_or_skip!("plans_recorded");
    let mut anna = team.sql("anna");
    let morgan = person_id(&mut anna, MORGAN);
    let margaret = person_id(&mut anna, MARGARET);
    let recorded = |c: &mut postgres::Client, person: i64| -> Vec<(Option<String>, Option<String>, bool)> {
        c.query(
            "SELECT v.recorded_by, v.recorded_organisation, v.recorded_at IS NOT NULL
             FROM care_plan_version v JOIN care_plan p ON p.id = v.care_plan_id WHERE p.person_id = $1",
            &[&person],
        )
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2)))
        .collect()
    };
    let actions = |c: &mut postgres::Client, person: i64| -> Vec<(Option<chrono::NaiveDate>, String)> {
        c.query(
            "SELECT a.due, a.status FROM care_plan_action a JOIN care_plan_version v ON v.id = a.version_id
             JOIN care_plan p ON p.id = v.care_plan_id WHERE p.person_id = $1",
            &[&person],
        )
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect()
    };
    // The owner sees Morgan's protection plan whole; Anna, without a reason, nothing of it.
    let mut owner = team.owner_sql();
    assert_eq!(
        recorded(&mut owner, morgan),
        vec![(Some("Daniel Cole".into()), Some("Westmere Council".into()), true)]
    );
    assert!(!actions(&mut owner, morgan).is_empty());
    assert_eq!(recorded(&mut anna, morgan), vec![(None, None, false)]);
    assert!(actions(&mut anna, morgan).is_empty());
    // Margaret's discharge plan is shown to her care team: recorder, due dates, statuses.
    assert_eq!(
        recorded(&mut anna, margaret),
        vec![(
            Some("Grace Mensah".into()),
            Some("Northgate General Hospital".into()),
            true
        )]
    );
    let mut seen = actions(&mut anna, margaret);
    seen.sort_by_key(|(due, _)| *due);
    let statuses: Vec<&str> = seen.iter().map(|(_, s)| s.as_str()).collect();
    assert_eq!(statuses, vec!["in_progress", "not_started"]);
    assert!(seen.iter().all(|(due, _)| due.is_some()));

    // The program, signed in as Anna, shows the same.
    let mut service = team.service("anna");
    let plans = service.care_plans(morgan, at(9, 0)).unwrap().care_plans;
    assert!(plans.iter().all(|p| p.is_placeholder && p.actions.is_empty()));
    assert!(plans.iter().all(|p| p.recorded == VersionRecorded::default()));
    let plans = service.care_plans(margaret, at(9, 0)).unwrap().care_plans;
    let plan = &plans[0];
    assert!(
        plan.version_line()
            .ends_with(" by Grace Mensah (Northgate General Hospital)"),
        "{}",
        plan.version_line()
    );
    let mut statuses: Vec<ActionStatus> = plan.actions.iter().map(|a| a.status).collect();
    statuses.sort_by_key(|s| s.code());
    assert_eq!(statuses, vec![ActionStatus::InProgress, ActionStatus::NotStarted]);
}
