//! The legitimate relationship and objections to sharing, enforced by the server
//! (PostgreSQL migration 0012, SAFETY.md H25 and H26): each user tries with plain
//! SQL what the program would not let them do, and the program's own paths are
//! audited as designed. Listed with results in RELIABILITY.md ("Access on a server").
//!
//! PostgreSQL only: skips (saying why) without a server unless
//! `JOINEDUP_TEST_POSTGRES=1`.

use joinedup::domain::governance::{Reason, Role};
use joinedup::domain::sharing::{ObjectionScope, Relationship, RelationshipRule};
use joinedup::service::{MemberKind, Service};
use joinedup::store::access::{NewUser, ServerRole};

mod common;

use common::server_team::{BENNETT, MARGARET, Team, at, claimed, person_id, refused, today};

fn owner(team: &Team) -> Service {
    Service::new(team.db.open().unwrap(), claimed("owner", None), false).unwrap()
}

/// Add a care coordinator of another team and organisation.
fn add_coordinator(team: &Team, short: &str, team_name: &str, organisation: &str) {
    let name = team.user(short);
    owner(team)
        .add_user(
            &NewUser {
                name: &name,
                role: ServerRole::App(Role::CareCoordinator),
                team: Some(team_name),
                organisation: Some(organisation),
                password: Some("a long enough password"),
            },
            at(8, 3),
        )
        .unwrap();
}

/// The titles a plain SQL session gets for a person's items.
fn titles(c: &mut postgres::Client, person: i64) -> Vec<String> {
    c.query("SELECT title FROM episode WHERE person_id = $1 ORDER BY id", &[&person])
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect()
}

/// The organisations of the items a plain SQL session gets for a person.
fn organisations(c: &mut postgres::Client, person: i64) -> Vec<Option<String>> {
    c.query(
        "SELECT organisation FROM episode WHERE person_id = $1 ORDER BY id",
        &[&person],
    )
    .unwrap()
    .iter()
    .map(|r| r.get(0))
    .collect()
}

fn reason(text: &str) -> Reason {
    Reason::parse(text).unwrap()
}

#[test]
fn another_teams_record_is_held_back_until_a_reason_is_given_and_the_reason_is_audited() {
    let mut team = team_or_skip!("share_team");
    let mut anna = team.sql("anna");
    let bennett = person_id(&mut anna, BENNETT);
    let margaret = person_id(&mut anna, MARGARET);
    // Sian's person (Margaret) is Anna's team's: her ordinary items come back whole.
    assert!(titles(&mut anna, margaret).iter().any(|t| t != "Restricted item"));
    // Tom's person (Bennett) is another team's: every item a placeholder, no
    // address, no worker, as a restricted person's record.
    let all = titles(&mut anna, bennett);
    assert!(!all.is_empty());
    assert!(all.iter().all(|t| t == "Restricted item"), "{all:?}");
    let p = anna
        .query_one(
            "SELECT address, allocated_worker FROM person WHERE id = $1",
            &[&bennett],
        )
        .unwrap();
    assert_eq!(p.get::<_, Option<String>>(0), None);
    assert_eq!(p.get::<_, Option<String>>(1), None);
    let why: Option<String> = anna
        .query_one("SELECT joinedup_relationship($1)", &[&margaret])
        .unwrap()
        .get(0);
    assert_eq!(why.as_deref(), Some("allocated to your team"));
    // Plain SQL cannot take the grant: a blank reason, then a reason without its
    // audit event, are refused; break glass first is refused too.
    let msg = refused(anna.query_one("SELECT joinedup_open_without_relationship($1, $2)", &[&bennett, &"  "]));
    assert!(msg.contains("a reason is needed"), "{msg}");
    let msg = refused(anna.query_one(
        "SELECT joinedup_open_without_relationship($1, $2)",
        &[&bennett, &"Direct care: covering for Tom today"],
    ));
    assert!(msg.contains("needs its audit event"), "{msg}");
    // A task about Bennett: its title and notes are held back too, and it cannot
    // be changed (the masked title would be written over the real one).
    team.owner_sql()
        .execute(
            "INSERT INTO task (person_id, title, owner_team, priority, status, notes, created_by, created_at,
                               updated_by, updated_at)
             VALUES ($1, 'Chase the home care restart', 'Other team', 'high', 'open', 'call Bright Homecare',
                     'owner', now(), 'owner', now())",
            &[&bennett],
        )
        .unwrap();
    let task = anna
        .query_one(
            "SELECT title, notes FROM task WHERE person_id = $1 AND owner_team = 'Other team'",
            &[&bennett],
        )
        .unwrap();
    assert_eq!(task.get::<_, String>(0), "Restricted task");
    assert_eq!(task.get::<_, String>(1), "");
    let msg = refused(anna.execute("UPDATE task SET status = 'done' WHERE person_id = $1", &[&bennett]));
    assert!(msg.contains("held back from you"), "{msg}");
    let mut service = team.service("anna");
    let opened = service.open_record(bennett, today(), at(10, 0)).unwrap();
    assert_eq!(opened.relationship, Relationship::None);
    assert!(opened.is_sealed());
    let err = service
        .reveal(
            bennett,
            &reason("Direct care: covering for Tom today"),
            today(),
            at(10, 1),
        )
        .expect_err("break glass needs the record opened first");
    assert!(err.to_string().contains("outside your care team"), "{err}");
    // With a reason: audited as access without a recorded relationship; Anna sees
    // Bennett's record, Bob (same team, no reason) still does not.
    let shown = service
        .open_without_relationship(
            bennett,
            &reason("Direct care: covering for Tom today"),
            today(),
            at(10, 2),
        )
        .unwrap();
    assert_eq!(shown.relationship, Relationship::ReasonGiven);
    assert!(!shown.is_sealed());
    assert!(titles(&mut anna, bennett).iter().all(|t| t != "Restricted item"));
    let mut bob = team.sql("bob");
    assert!(titles(&mut bob, bennett).iter().all(|t| t == "Restricted item"));
    let title: String = anna
        .query_one(
            "SELECT title FROM task WHERE person_id = $1 AND owner_team = 'Other team'",
            &[&bennett],
        )
        .unwrap()
        .get(0);
    assert_eq!(title, "Chase the home care restart");
    let (action, logged): (String, Option<String>) = {
        let r = team
            .owner_sql()
            .query_one(
                "SELECT action, reason FROM audit_event WHERE action = 'access_without_relationship' AND person_id = $1",
                &[&bennett],
            )
            .unwrap();
        (r.get(0), r.get(1))
    };
    assert_eq!(action, "access_without_relationship");
    assert_eq!(logged.as_deref(), Some("Direct care: covering for Tom today"));
    // Inside the team no reason is asked for, and none is taken.
    let err = service
        .open_without_relationship(margaret, &reason("Direct care: planning discharge"), today(), at(10, 3))
        .expect_err("no reason is needed in the care team");
    assert!(err.to_string().contains("care team"), "{err}");
}

#[test]
fn the_ward_and_explicit_members_make_the_care_team_and_only_the_ig_lead_changes_it() {
    let mut team = team_or_skip!("share_members");
    add_coordinator(&team, "wendy", "Elm Ward", "Northgate General Hospital");
    let mut wendy = team.sql("wendy");
    let margaret = person_id(&mut wendy, MARGARET);
    let bennett = person_id(&mut wendy, BENNETT);
    // Margaret is on Elm Ward now: Wendy's ward.
    let why: Option<String> = wendy
        .query_one("SELECT joinedup_relationship($1)", &[&margaret])
        .unwrap()
        .get(0);
    assert_eq!(why.as_deref(), Some("on your ward"));
    // Bennett was discharged: not Wendy's.
    assert!(titles(&mut wendy, bennett).iter().all(|t| t == "Restricted item"));
    // A coordinator cannot add herself to a care team, nor give herself a team.
    let msg = refused(wendy.execute(
        "INSERT INTO care_team_member (person_id, member_kind, member, added_by, added_at)
         VALUES ($1, 'user', session_user, 'me', now())",
        &[&bennett],
    ));
    assert!(msg.contains("permission denied"), "{msg}");
    let msg = refused(wendy.execute("UPDATE app_user SET team = 'Discharge team'", &[]));
    assert!(
        msg.contains("permission denied") || msg.contains("cannot update"),
        "{msg}"
    );
    let msg = refused(wendy.execute(
        "INSERT INTO coordinator (user_name, worker_name, team) VALUES (session_user, 'Tom Asante (Westmere Council)', 'x')",
        &[],
    ));
    assert!(msg.contains("permission denied"), "{msg}");
    // The IG lead's plain SQL insert without its audit event does not commit.
    let mut ian = team.sql("ian");
    let msg = refused(ian.execute(
        "INSERT INTO care_team_member (person_id, member_kind, member, added_by, added_at)
         VALUES ($1, 'user', $2, 'ian', now())",
        &[&bennett, &team.user("wendy")],
    ));
    assert!(msg.contains("every change is audited"), "{msg}");
    // Through the program the IG lead adds her, audited; a coordinator is refused.
    let err = team
        .service("anna")
        .add_to_care_team(bennett, MemberKind::User, &team.user("wendy"), at(9, 0))
        .expect_err("a coordinator does not change care teams");
    assert!(err.to_string().contains("information governance lead"), "{err}");
    let mut ig = team.service("ian");
    assert!(
        ig.add_to_care_team(bennett, MemberKind::User, &team.user("wendy"), at(9, 1))
            .unwrap()
    );
    let why: Option<String> = wendy
        .query_one("SELECT joinedup_relationship($1)", &[&bennett])
        .unwrap()
        .get(0);
    assert_eq!(why.as_deref(), Some("in the care team"));
    assert!(titles(&mut wendy, bennett).iter().any(|t| t != "Restricted item"));
    assert_eq!(ig.care_team(bennett).unwrap().len(), 1);
    assert!(
        ig.remove_from_care_team(bennett, MemberKind::User, &team.user("wendy"), at(9, 2))
            .unwrap()
    );
    assert!(titles(&mut wendy, bennett).iter().all(|t| t == "Restricted item"));
    let changes: i64 = team
        .owner_sql()
        .query_one(
            "SELECT count(*) FROM audit_event WHERE action = 'care_team_changed' AND person_id = $1",
            &[&bennett],
        )
        .unwrap()
        .get(0);
    assert_eq!(changes, 2);
}

#[test]
fn each_deployment_chooses_whether_a_reason_opens_a_record_outside_the_care_team() {
    let mut team = team_or_skip!("share_rule");
    let mut anna = team.sql("anna");
    let bennett = person_id(&mut anna, BENNETT);
    // Only the owner sets the rule.
    let msg = refused(anna.execute("UPDATE meta SET value = 'off' WHERE key = 'relationship_rule'", &[]));
    assert!(
        msg.contains("permission denied") || msg.contains("cannot update"),
        "{msg}"
    );
    let err = team
        .service("anna")
        .set_relationship_rule(RelationshipRule::Off, at(9, 0))
        .expect_err("a coordinator does not set the rule");
    assert!(err.to_string().contains("owner"), "{err}");
    let mut admin = owner(&team);
    admin.set_relationship_rule(RelationshipRule::Block, at(9, 1)).unwrap();
    assert_eq!(admin.relationship_rule().unwrap(), RelationshipRule::Block);
    let err = team
        .service("anna")
        .open_without_relationship(
            bennett,
            &reason("Direct care: covering for Tom today"),
            today(),
            at(9, 2),
        )
        .expect_err("blocked in this deployment");
    assert!(err.to_string().contains("only to its care team"), "{err}");
    assert!(titles(&mut anna, bennett).iter().all(|t| t == "Restricted item"));
    // Emergency access still opens it (audited and flagged).
    let shown = team
        .service("anna")
        .emergency_access(
            bennett,
            &reason("Emergency: found collapsed at home"),
            today(),
            at(9, 3),
        )
        .unwrap();
    assert!(shown.record.episodes.iter().all(|e| e.title != "Restricted item"));
    admin.set_relationship_rule(RelationshipRule::Off, at(9, 4)).unwrap();
    let mut bob = team.sql("bob");
    assert!(titles(&mut bob, bennett).iter().all(|t| t != "Restricted item"));
    let set: i64 = team
        .owner_sql()
        .query_one(
            "SELECT count(*) FROM audit_event WHERE action = 'relationship_rule_set'",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(set, 2);
}

#[test]
fn an_objection_hides_other_organisations_items_and_shows_only_that_it_is_in_force() {
    let mut team = team_or_skip!("share_objection");
    add_coordinator(&team, "wendy", "Elm Ward", "Northgate General Hospital");
    let mut anna = team.sql("anna");
    let mut wendy = team.sql("wendy");
    let margaret = person_id(&mut anna, MARGARET);
    let before = organisations(&mut anna, margaret).len();
    assert!(organisations(&mut wendy, margaret).len() == before);
    // Only the IG lead records an objection.
    let msg = refused(anna.execute(
        "INSERT INTO sharing_objection (person_id, objected_on, reason, recorded_by, recorded_at)
         VALUES ($1, current_date, 'x', 'anna', now())",
        &[&margaret],
    ));
    assert!(
        msg.contains("permission denied") || msg.contains("information governance lead"),
        "{msg}"
    );
    let err = team
        .service("anna")
        .record_objection(
            margaret,
            today(),
            &reason("Does not want the council told"),
            &ObjectionScope::All,
            at(9, 0),
        )
        .expect_err("a coordinator does not record objections");
    assert!(err.to_string().contains("information governance lead"), "{err}");
    let mut ig = team.service("ian");
    ig.record_objection(
        margaret,
        today(),
        &reason("Does not want her records shared between services"),
        &ObjectionScope::All,
        at(9, 1),
    )
    .unwrap();
    // Anna (Westmere Council) gets the council's items only; Wendy (the hospital)
    // the hospital's only. The rest is not returned at all, and no stay either.
    let annas = organisations(&mut anna, margaret);
    assert!(!annas.is_empty() && annas.len() < before, "{annas:?}");
    assert!(
        annas.iter().all(|o| o.as_deref() == Some("Westmere Council")),
        "{annas:?}"
    );
    let wendys = organisations(&mut wendy, margaret);
    assert!(!wendys.is_empty(), "{wendys:?}");
    assert!(
        wendys
            .iter()
            .all(|o| o.as_deref() == Some("Northgate General Hospital")),
        "{wendys:?}"
    );
    let spell: i64 = team
        .owner_sql()
        .query_one(
            "SELECT id FROM episode WHERE person_id = $1 AND kind = 'inpatient_spell' LIMIT 1",
            &[&margaret],
        )
        .unwrap()
        .get(0);
    let stays: i64 = anna
        .query_one("SELECT count(*) FROM hospital_spell WHERE episode_id = $1", &[&spell])
        .unwrap()
        .get(0);
    assert_eq!(stays, 0, "no stay of Margaret's reaches Anna");
    let msg = refused(anna.execute(
        "INSERT INTO delay_reason (episode_id, code, description, attribution, since, recorded_by, recorded_at)
         VALUES ($1, 'E', 'x', 'nhs', current_date, 'anna', now())",
        &[&spell],
    ));
    assert!(msg.contains("restricted") || msg.contains("permission"), "{msg}");
    let hidden_stays: i64 = anna
        .query_one("SELECT count(*) FROM hospital_spell", &[])
        .unwrap()
        .get(0);
    let all_stays: i64 = team
        .owner_sql()
        .query_one("SELECT count(*) FROM hospital_spell", &[])
        .unwrap()
        .get(0);
    assert!(hidden_stays < all_stays, "Margaret's stay is held back from the board");
    // That one is in force is shown, not the person's reason.
    let (on, why): (chrono::NaiveDate, String) = {
        let r = anna
            .query_one(
                "SELECT objected_on, reason FROM sharing_objection WHERE person_id = $1",
                &[&margaret],
            )
            .unwrap();
        (r.get(0), r.get(1))
    };
    assert_eq!(on, today());
    assert_eq!(why, "");
    let loaded = team.service("anna").open_record(margaret, today(), at(9, 2)).unwrap();
    let notice = loaded
        .objection
        .as_ref()
        .expect("the window shows an objection is in force")
        .notice();
    assert!(notice.contains("Objection to sharing in force"), "{notice}");
    assert!(!notice.contains("services"), "{notice}");
    // Anna cannot withdraw it or delete it.
    let msg = refused(anna.execute("UPDATE sharing_objection SET withdrawn_on = current_date", &[]));
    assert!(
        msg.contains("permission denied") || msg.contains("information governance lead"),
        "{msg}"
    );
    let msg = refused(anna.execute("DELETE FROM sharing_objection", &[]));
    assert!(msg.contains("permission denied"), "{msg}");
    // Emergency access: a blank reason is refused; with one, everything, audited and
    // on the IG lead's list of overrides.
    let msg = refused(anna.query_one("SELECT joinedup_emergency_access($1, $2)", &[&margaret, &""]));
    assert!(msg.contains("a reason is needed"), "{msg}");
    let mut annas_service = team.service("anna");
    let shown = annas_service
        .emergency_access(margaret, &reason("Emergency: unconscious in A&E"), today(), at(9, 3))
        .unwrap();
    assert_eq!(shown.record.episodes.len(), before);
    assert_eq!(organisations(&mut anna, margaret).len(), before);
    assert_eq!(
        organisations(&mut wendy, margaret).len(),
        wendys.len(),
        "Wendy's view is unchanged"
    );
    let flagged = ig.emergency_accesses(10).unwrap();
    assert_eq!(flagged.len(), 1);
    assert!(flagged[0].detail.contains("overrode the objection"), "{:?}", flagged[0]);
    assert!(
        annas_service.emergency_accesses(10).is_err(),
        "the list is the IG lead's"
    );
    // Withdrawn: everything again, for everyone.
    assert!(ig.withdraw_objection(margaret, today(), at(9, 4)).unwrap());
    assert_eq!(organisations(&mut wendy, margaret).len(), before);
}

#[test]
fn an_objection_to_named_organisations_binds_only_their_users() {
    let mut team = team_or_skip!("share_named");
    add_coordinator(&team, "wendy", "Elm Ward", "Northgate General Hospital");
    let mut anna = team.sql("anna");
    let mut wendy = team.sql("wendy");
    let margaret = person_id(&mut anna, MARGARET);
    let before = organisations(&mut anna, margaret).len();
    let scope = ObjectionScope::parse(Some("Northgate General Hospital")).unwrap();
    team.service("ian")
        .record_objection(
            margaret,
            today(),
            &reason("Does not want the hospital told"),
            &scope,
            at(9, 0),
        )
        .unwrap();
    assert_eq!(
        organisations(&mut anna, margaret).len(),
        before,
        "the council is not named"
    );
    let wendys = organisations(&mut wendy, margaret);
    assert!(wendys.len() < before);
    assert!(
        wendys
            .iter()
            .all(|o| o.as_deref() == Some("Northgate General Hospital")),
        "{wendys:?}"
    );
    // The loader (imports, feeds) is not bound: it must see what it updates.
    let mut lou = team.sql("lou");
    let loaders: i64 = lou
        .query_one("SELECT count(*) FROM public.episode WHERE person_id = $1", &[&margaret])
        .unwrap()
        .get(0);
    assert_eq!(loaders as usize, before);
}

#[test]
fn the_window_says_a_record_is_outside_the_care_team_and_opens_it_with_a_reason() {
    use egui_kittest::kittest::Queryable;
    let mut team = team_or_skip!("share_window");
    let store = team.store("anna").unwrap();
    let mut h = common::harness_with(store, common::config(true, Role::CareCoordinator));
    common::wait_for_training(&mut h);
    common::open_by_nhs(&mut h, BENNETT);
    common::settle(&mut h);
    let loaded = h.state().person().unwrap();
    assert_eq!(loaded.relationship, Relationship::None);
    assert!(loaded.record.episodes.iter().all(|e| e.title == "Restricted item"));
    h.get_by_label("Outside your care team: give a reason in the detail pane to open the record");
    let open = h.get_by_label("Open the record");
    assert!(
        egui_kittest::kittest::NodeT::accesskit_node(&open).is_disabled(),
        "no reason typed yet"
    );
    let reason_box = h.get_by_label("Reason for access");
    reason_box.focus();
    reason_box.type_text("Direct care: covering for Tom today");
    common::settle(&mut h);
    h.get_by_label("Open the record").click();
    common::wait_until(&mut h, "the record opened with a reason", |a| {
        a.person().is_some_and(|p| p.relationship == Relationship::ReasonGiven)
    });
    let loaded = h.state().person().unwrap();
    assert!(loaded.record.episodes.iter().any(|e| e.title != "Restricted item"));
    h.get_by_label("Opened without a recorded relationship, with a reason (audited)");
    let logged: i64 = team
        .owner_sql()
        .query_one(
            "SELECT count(*) FROM audit_event WHERE action = 'access_without_relationship' AND reason = $1",
            &[&"Direct care: covering for Tom today"],
        )
        .unwrap()
        .get(0);
    assert_eq!(logged, 1);
}
