//! Care plans edited in the window (issue 17 item 4, SAFETY.md H49) on both
//! engines: the next version is stored recorded by the signed-in user and audited
//! in words in the same transaction; a stale base version, a restricted plan without
//! a reason, a link to a need the plan does not have, empty words and a trainer
//! outside a training database are refused and write nothing. On a server an app
//! role writes only through the audited path (PostgreSQL 0023). PostgreSQL cases
//! skip without a server, unless `JOINEDUP_TEST_POSTGRES=1`.

mod common;

use chrono::{NaiveDate, NaiveDateTime};
use common::places::Place;
use joinedup::domain::NhsNumber;
use joinedup::domain::care_plan::{ActionStatus, CarePlan, PlanNeed};
use joinedup::domain::care_plan_rules::PlanDraft;
use joinedup::domain::governance::{Reason, Role};
use joinedup::service::{Service, ServiceError};

/// Rukhsana Patel's carer: a carer's support plan at version 2.
const PATEL: &str = "9990000085";

fn at(hh: u32, mm: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 6, 30)
        .unwrap()
        .and_hms_opt(hh, mm, 0)
        .unwrap()
}

fn imported(place: &mut Place) -> (Service, i64) {
    let mut s = place.client("ann");
    let bytes = include_bytes!("../fixtures/training.json");
    s.import_bytes("training.json", bytes, false, at(7, 0), &mut |_| true)
        .unwrap();
    let id = s
        .find_by_nhs(NhsNumber::parse(PATEL).unwrap(), at(8, 0))
        .unwrap()
        .unwrap()
        .id;
    (s, id)
}

/// The newest version of the person's one plan, as shown.
fn newest(s: &mut Service, person: i64) -> CarePlan {
    s.care_plans(person, at(8, 1)).unwrap().care_plans[0].clone()
}

fn count(s: &Service, sql: &str) -> i64 {
    s.store().connection().query_row(sql, [], |r| r.get(0)).unwrap()
}

fn refusal<T: std::fmt::Debug>(r: Result<T, ServiceError>) -> String {
    match r {
        Err(ServiceError::Refused(m)) => m,
        Err(ServiceError::Store(joinedup::store::StoreError::Stale(m))) => m,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

/// Night sitting done, due a week later, and a new need it also meets.
fn edited(plan: &CarePlan) -> PlanDraft {
    let mut d = PlanDraft::of(plan);
    let fresh = d.fresh_need_ref();
    d.needs.push(PlanNeed {
        need_ref: Some(fresh.clone()),
        description: "Keeping a job".into(),
        is_eligible: true,
    });
    let night = d
        .actions
        .iter_mut()
        .find(|a| a.description.starts_with("Night sitting"))
        .unwrap();
    night.status = ActionStatus::InProgress;
    night.due = NaiveDate::from_ymd_opt(2026, 7, 13);
    night.meets.push(fresh);
    d
}

on_both_engines! {
    fn an_edit_is_the_next_version_attributed_and_audited(place) {
        let mut place = place;
        let (mut s, patel) = imported(&mut place);
        let plan = newest(&mut s, patel);
        assert_eq!(plan.version, 2);
        let shown = s.revise_plan(patel, plan.id, &edited(&plan), 2, at(9, 30)).unwrap().record;
        let v3 = &shown.care_plans[0];
        assert_eq!(v3.version, 3);
        assert_eq!(v3.version_line(), "Version 3, recorded 30-Jun-2026 by ann (Care coordinator, claimed) (Recorded in joinedup)");
        let night = v3.actions.iter().find(|a| a.description.starts_with("Night sitting")).unwrap();
        assert_eq!((night.status, night.due), (ActionStatus::InProgress, NaiveDate::from_ymd_opt(2026, 7, 13)));
        assert_eq!(night.meets, vec!["N1", "N2", "N3"]);
        assert_eq!(v3.needs[2].need_ref.as_deref(), Some("N3"));
        // Version 2 is kept as it was.
        let v2 = shown.care_plans.iter().find(|p| p.id == plan.id && p.version == 2).unwrap();
        assert_eq!(v2, &plan);
        // One event, in words, at the time the version was recorded.
        let detail: String = s.store().connection()
            .query_row("SELECT detail FROM audit_event WHERE action = 'plan_revised'", [], |r| r.get(0))
            .unwrap();
        assert!(detail.starts_with(&format!("made version 3 of care plan #{}", plan.id)), "{detail}");
        assert!(detail.contains("need added: Keeping a job"), "{detail}");
        assert!(detail.contains("Night sitting one night a week now meets Breaks from caring, Sleep disturbed most nights, Keeping a job"), "{detail}");
        assert!(detail.contains("action progress changed"), "{detail}");
        assert_eq!(count(&s, "SELECT count(*) FROM audit_event WHERE action = 'plan_revised'"), 1);
        // The same edit again, from version 2, is stale now: nothing more is written.
        let stale = refusal(s.revise_plan(patel, plan.id, &edited(&plan), 2, at(9, 31)));
        assert!(stale.contains("at version 3 now") && stale.contains("reload"), "{stale}");
        let sql = format!("SELECT count(*) FROM care_plan_version WHERE care_plan_id = {}", plan.id);
        assert_eq!(count(&s, &sql), 3);
        assert_eq!(count(&s, "SELECT count(*) FROM audit_event WHERE action = 'plan_revised'"), 1);
    }
}

on_both_engines! {
    fn a_bad_draft_a_restricted_plan_and_a_trainer_are_refused(place) {
        let mut place = place;
        let (mut s, patel) = imported(&mut place);
        let plan = newest(&mut s, patel);
        let versions = count(&s, "SELECT count(*) FROM care_plan_version");
        // An action naming a need the plan does not have.
        let mut bad = edited(&plan);
        bad.actions[0].meets.push("N9".into());
        let link = refusal(s.revise_plan(patel, plan.id, &bad, 2, at(9, 0)));
        assert!(link.contains("meets \"N9\", which is not a need of this plan"), "{link}");
        // An action with no words.
        let mut empty = edited(&plan);
        empty.actions[1].description = "  ".into();
        let words = refusal(s.revise_plan(patel, plan.id, &empty, 2, at(9, 1)));
        assert!(words.contains("an action has no description"), "{words}");
        // Nothing changed.
        let same = refusal(s.revise_plan(patel, plan.id, &PlanDraft::of(&plan), 2, at(9, 2)));
        assert!(same.contains("nothing was changed"), "{same}");
        // A trainer outside a training database.
        let mut tess = place.client_as("tess", Role::Trainer);
        let trainer = refusal(tess.revise_plan(patel, plan.id, &edited(&plan), 2, at(9, 3)));
        assert!(trainer.contains("a trainer changes data only in a training database"), "{trainer}");
        // A restricted person's plan: refused until a reason is given.
        s.store()
            .connection()
            .execute("UPDATE person SET is_restricted = 1 WHERE nhs_number = '9990000085'", [])
            .unwrap();
        let held = refusal(s.revise_plan(patel, plan.id, &edited(&plan), 2, at(9, 4)));
        assert!(held.contains("this plan is restricted: give a reason"), "{held}");
        assert_eq!(count(&s, "SELECT count(*) FROM care_plan_version"), versions);
        assert_eq!(count(&s, "SELECT count(*) FROM audit_event WHERE action = 'plan_revised'"), 0);
        let today = NaiveDate::from_ymd_opt(2026, 6, 30).unwrap();
        s.reveal(patel, &Reason::parse("Direct care: carer's review today").unwrap(), today, at(9, 5))
            .unwrap();
        s.revise_plan(patel, plan.id, &edited(&plan), 2, at(9, 6)).unwrap();
        assert_eq!(count(&s, "SELECT count(*) FROM care_plan_version"), versions + 1);
        // Its event is listed to whoever opens the record: no title, no words of the plan.
        let detail: String = s.store().connection()
            .query_row("SELECT detail FROM audit_event WHERE action = 'plan_revised'", [], |r| r.get(0))
            .unwrap();
        assert_eq!(detail, format!("made version 3 of restricted care plan #{}: 3 change(s)", plan.id));
    }
}

/// On a server a coordinator (an app role) edits a plan shown to them through the
/// program, recorded in the server's name for them and their team; plain SQL cannot
/// add a version without its audit event, nor to a plan held back from them, nor
/// goals to a version they did not just make (PostgreSQL 0023).
#[test]
fn on_a_server_a_coordinator_revises_a_shown_plan_only_through_the_audited_path() {
    use common::server_team::{MARGARET, MORGAN, refused};
    let mut team = team_or_skip!("plan_edit_server");
    let mut anna = team.sql("anna");
    let margaret = common::server_team::person_id(&mut anna, MARGARET);
    let morgan = common::server_team::person_id(&mut anna, MORGAN);
    // Bob has Margaret's record open: the new version reaches his window.
    let mut bob = team.service("bob");
    bob.open_record(margaret, at(9, 0).date(), at(9, 0)).unwrap();
    assert_eq!(bob.changes().unwrap(), None, "nothing changed yet");
    let mut service = team.service("anna");
    let plan = service.care_plans(margaret, at(9, 0)).unwrap().care_plans[0].clone();
    let mut draft = PlanDraft::of(&plan);
    draft.actions[0].status = ActionStatus::Done;
    let shown = service
        .revise_plan(margaret, plan.id, &draft, plan.version, at(9, 1))
        .unwrap()
        .record;
    let next = &shown.care_plans[0];
    assert_eq!(next.version, plan.version + 1);
    let by = format!("{} (Care coordinator, signed in to the server)", team.user("anna"));
    assert_eq!(next.recorded.by.as_deref(), Some(by.as_str()));
    assert_eq!(next.recorded.organisation.as_deref(), Some("Discharge team"));
    assert_eq!(next.actions[0].status, ActionStatus::Done);
    let started = std::time::Instant::now();
    let heard = loop {
        if let Some(c) = bob.changes().unwrap() {
            break c;
        }
        assert!(started.elapsed().as_secs() < 2, "Bob's window heard nothing within 2 s");
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    assert!(heard.touches(margaret) && !heard.anyone, "{heard:?}");
    // Stale: the same edit from the old version is refused.
    let stale = refusal(service.revise_plan(margaret, plan.id, &draft, plan.version, at(9, 2)));
    assert!(stale.contains("reload"), "{stale}");

    // Plain SQL: a version without its audit event is refused at commit.
    let insert = "INSERT INTO care_plan_version (care_plan_id, version, status, start, imported_at, recorded_at,
                  recorded_by) VALUES ($1, $2, 'active', '2026-01-01', now(), now(), 'Someone Else')";
    let next_number = i64::from(plan.version) + 2;
    let mut tx = anna.transaction().unwrap();
    tx.execute(insert, &[&plan.id, &next_number]).unwrap();
    let unaudited = refused(tx.commit());
    assert!(
        unaudited.contains("without an audit event (plan_revised)"),
        "{unaudited}"
    );
    // A plan held back from Anna (Morgan's protection plan, no reason given).
    let held: i64 = team
        .owner_sql()
        .query_one("SELECT id FROM care_plan WHERE person_id = $1", &[&morgan])
        .unwrap()
        .get(0);
    let blind = refused(anna.execute(insert, &[&held, &2i64]));
    assert!(blind.contains("held back from you"), "{blind}");
    // Goals only of a version made in the same transaction.
    let version_id: i64 = team
        .owner_sql()
        .query_one(
            "SELECT min(id) FROM care_plan_version WHERE care_plan_id = $1",
            &[&plan.id],
        )
        .unwrap()
        .get(0);
    let goal = refused(anna.execute(
        "INSERT INTO care_plan_goal (version_id, position, text) VALUES ($1, 9, 'added unseen')",
        &[&version_id],
    ));
    assert!(
        goal.contains("only with the version made in the same transaction"),
        "{goal}"
    );
    // In one transaction with a version of her own and its event, an action naming a
    // need the version lacks, or a party no reader knows, is still refused.
    for (meets, party, words) in [
        ("[\"N9\"]", "provider", "meets only needs of its own plan version"),
        ("not json", "provider", "a list of need references"),
        ("[\"N1\"]", "the_moon", "one of the known parties"),
    ] {
        let mut tx = anna.transaction().unwrap();
        let v: i64 = tx
            .query_one(
                "INSERT INTO care_plan_version (care_plan_id, version, status, start, imported_at, recorded_at)
                 VALUES ($1, $2, 'active', '2026-01-01', now(), now()) RETURNING id",
                &[&plan.id, &next_number],
            )
            .unwrap()
            .get(0);
        tx.execute(
            "INSERT INTO care_plan_need (version_id, position, description, is_eligible, need_ref)
             VALUES ($1, 0, 'Washing', 1, 'N1')",
            &[&v],
        )
        .unwrap();
        let bad = refused(tx.execute(
            "INSERT INTO care_plan_action (version_id, position, description, responsible_party, meets, status)
             VALUES ($1, 0, 'Home care', $2, $3, 'not_started')",
            &[&v, &party, &meets],
        ));
        assert!(bad.contains(words), "{bad}");
    }
    // The recorder is the server's name for Anna, whatever the client says; one event.
    let mut owner = team.owner_sql();
    let row = owner
        .query_one(
            "SELECT recorded_by, recorded_organisation FROM care_plan_version WHERE care_plan_id = $1 AND version = $2",
            &[&plan.id, &(i64::from(plan.version) + 1)],
        )
        .unwrap();
    assert_eq!(row.get::<_, Option<String>>(0).as_deref(), Some(by.as_str()));
    let events: i64 = owner
        .query_one("SELECT count(*) FROM audit_event WHERE action = 'plan_revised'", &[])
        .unwrap()
        .get(0);
    assert_eq!(events, 1);
}
