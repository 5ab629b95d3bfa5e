//! The server is the security boundary (PostgreSQL migration 0011, SAFETY.md H16):
//! each role signs in as its own login and tries every bypass with plain SQL, as a
//! user with `psql` would. Every attempt is refused, or audited as designed; the
//! list, with results, is in RELIABILITY.md ("Access on a server").
//!
//! PostgreSQL only: skips (saying why) without a server unless
//! `JOINEDUP_TEST_POSTGRES=1`.

use joinedup::domain::NhsNumber;
use joinedup::domain::governance::{Reason, Role};
use joinedup::service::{Service, ServiceError};
use joinedup::store::access::{NewUser, ServerRole};
use joinedup::store::{ScratchDatabase, SpellChange};

mod common;

use common::server_team::{MARGARET, MORGAN, at, claimed, person_id, refused, today};

#[test]
fn restricted_items_are_placeholders_from_the_server_and_the_tables_are_closed() {
    let team = team_or_skip!("sec_read");
    let mut anna = team.sql("anna");
    let morgan = person_id(&mut anna, MORGAN);
    let rows = anna
        .query(
            "SELECT kind, title, sensitivity, organisation, detail FROM episode WHERE person_id = $1",
            &[&morgan],
        )
        .unwrap();
    assert!(!rows.is_empty());
    for r in &rows {
        assert_eq!(r.get::<_, String>(1), "Restricted item");
        assert_eq!(r.get::<_, String>(2), "confidential");
        assert_eq!(r.get::<_, Option<String>>(3), None);
        assert_eq!(r.get::<_, String>(4), "");
        assert!(r.get::<_, String>(0).starts_with("restricted_") || r.get::<_, String>(0) == "inpatient_spell");
    }
    // A restricted person's address, postcode, worker and alerts are held back.
    let p = anna
        .query_one(
            "SELECT address, postcode, allocated_worker, alerts FROM person WHERE id = $1",
            &[&morgan],
        )
        .unwrap();
    assert_eq!(p.get::<_, Option<String>>(0), None);
    assert_eq!(p.get::<_, Option<String>>(1), None);
    assert_eq!(p.get::<_, Option<String>>(2), None);
    assert_eq!(p.get::<_, String>(3), "[]");
    let sources: i64 = anna
        .query_one(
            "SELECT count(*) FROM person_demographics WHERE person_id = $1",
            &[&morgan],
        )
        .unwrap()
        .get(0);
    assert_eq!(
        sources, 0,
        "a restricted person's per-source details (a refuge's address) are held back"
    );
    // A safeguarding item of an unrestricted person is a placeholder too.
    let margaret = person_id(&mut anna, MARGARET);
    let titles: Vec<String> = anna
        .query(
            "SELECT title FROM episode WHERE person_id = $1 AND sensitivity <> 'normal'",
            &[&margaret],
        )
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert!(titles.iter().all(|t| t == "Restricted item"), "{titles:?}");
    // The tables themselves are closed to every app role, whatever the search path.
    for short in ["anna", "ian", "tess"] {
        let mut c = team.sql(short);
        for table in [
            "episode",
            "person",
            "audit_event",
            "care_plan",
            "hospital_spell",
            "break_glass_grant",
        ] {
            let msg = refused(c.query(&format!("SELECT * FROM public.{table} LIMIT 1"), &[]));
            assert!(msg.contains("permission denied"), "{short} read public.{table}: {msg}");
        }
    }
}

#[test]
fn no_direct_writes_and_the_audit_log_cannot_be_changed() {
    let team = team_or_skip!("sec_write");
    let mut anna = team.sql("anna");
    for sql in [
        "UPDATE episode SET title = 'x'",
        "UPDATE public.episode SET title = 'x'",
        "DELETE FROM episode",
        "INSERT INTO person (nhs_number, created_at) VALUES ('9990000999', now())",
        "UPDATE person SET is_restricted = 0",
        "DELETE FROM audit_event",
        "UPDATE audit_event SET detail = ''",
        "DELETE FROM public.audit_event",
        "UPDATE public.audit_event SET detail = ''",
        "TRUNCATE public.audit_event",
        "INSERT INTO public.audit_event (id, at, actor, action, prev_hash, hash) VALUES (999, now(), 'x', 'open', '', '')",
        "INSERT INTO break_glass_grant (user_name, person_id, reason, expires_at) SELECT session_user, id, 'because I can', now() + interval '1 day' FROM person",
        "UPDATE app_user SET disabled_at = NULL",
        "DELETE FROM audit_receipt",
    ] {
        let msg = refused(anna.batch_execute(sql));
        assert!(
            msg.contains("permission denied") || msg.contains("cannot") || msg.contains("not"),
            "{sql}: {msg}"
        );
    }
    // The loader writes the record's tables, never the audit log or the users.
    let mut lou = team.sql("lou");
    for sql in [
        "DELETE FROM audit_event",
        "UPDATE audit_event SET detail = ''",
        "TRUNCATE audit_event",
        "INSERT INTO audit_event (id, at, actor, action, prev_hash, hash) VALUES (999, now(), 'x', 'open', '', '')",
        "UPDATE app_user SET disabled_at = NULL",
        "INSERT INTO break_glass_grant (user_name, person_id, reason, expires_at) SELECT session_user, id, 'because I can', now() + interval '1 day' FROM person",
    ] {
        let msg = refused(lou.batch_execute(sql));
        assert!(msg.contains("permission denied"), "loader: {sql}: {msg}");
    }
    // Not even the owner changes the log (the triggers of version 1).
    let mut owner = team.owner_sql();
    for sql in [
        "DELETE FROM audit_event",
        "UPDATE audit_event SET detail = ''",
        "TRUNCATE audit_event CASCADE",
    ] {
        let msg = refused(owner.batch_execute(sql));
        assert!(msg.contains("append-only"), "owner: {sql}: {msg}");
    }
}

#[test]
fn a_change_commits_only_with_its_audit_event_and_never_on_a_held_back_stay() {
    let mut team = team_or_skip!("sec_change");
    let mut anna = team.sql("anna");
    let (open_spell, hidden_spell): (i64, Option<i64>) = {
        let visible: i64 = anna
            .query_one(
                "SELECT h.episode_id FROM hospital_spell h WHERE h.hospital <> 'restricted' ORDER BY 1 LIMIT 1",
                &[],
            )
            .unwrap()
            .get(0);
        let hidden = anna
            .query_opt(
                "SELECT episode_id FROM hospital_spell WHERE hospital = 'restricted' ORDER BY 1 LIMIT 1",
                &[],
            )
            .unwrap()
            .map(|r| r.get(0));
        (visible, hidden)
    };
    // Without an audit event in the transaction, the change is refused at commit.
    let msg = refused(anna.batch_execute(&format!(
        "UPDATE hospital_spell SET next_action = 'ring the family' WHERE episode_id = {open_spell}"
    )));
    assert!(msg.contains("without an audit event"), "{msg}");
    let msg = refused(anna.batch_execute(&format!(
        "INSERT INTO delay_reason (episode_id, description, attribution, since) VALUES ({open_spell}, 'x', 'nhs', '2026-11-01')"
    )));
    assert!(msg.contains("without an audit event"), "{msg}");
    if let Some(hidden) = hidden_spell {
        let msg = refused(anna.batch_execute(&format!(
            "UPDATE hospital_spell SET next_action = 'x' WHERE episode_id = {hidden}"
        )));
        assert!(msg.contains("restricted"), "{msg}");
    }
    // Through the program (its audit event in the same transaction) it commits.
    let mut service = team.service("anna");
    let person: i64 = anna
        .query_one("SELECT person_id FROM episode WHERE id = $1", &[&open_spell])
        .unwrap()
        .get(0);
    let loaded = service.open_record(person, today(), at(10, 0)).unwrap();
    let revision = loaded
        .record
        .spells
        .iter()
        .find(|s| s.episode_id == open_spell)
        .unwrap()
        .revision
        .number;
    let change = SpellChange::SetNextAction {
        action: Some("ring the family".into()),
        owner: Some("Anna".into()),
    };
    service
        .change_spell(person, open_spell, revision, &[change], today(), at(10, 1))
        .unwrap();
    let stored: String = team
        .owner_sql()
        .query_one(
            "SELECT next_action FROM hospital_spell WHERE episode_id = $1",
            &[&open_spell],
        )
        .unwrap()
        .get(0);
    assert_eq!(stored, "ring the family");
    // A trainer changes nothing outside a training database: this one is training,
    // so the server lets the trainer's audited change through too (checked below
    // on a database that is not).
    let actors: Vec<String> = team
        .owner_sql()
        .query("SELECT actor FROM audit_event WHERE action = 'change_spell'", &[])
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(
        actors,
        vec![format!(
            "{} (Care coordinator, signed in to the server)",
            team.user("anna")
        )]
    );
}

#[test]
fn no_one_writes_the_log_in_another_name_or_off_the_chain() {
    let mut team = team_or_skip!("sec_name");
    let mut anna = team.sql("anna");
    let head = anna
        .query_one("SELECT id, hash FROM audit_event ORDER BY id DESC LIMIT 1", &[])
        .unwrap();
    let (id, prev): (i64, String) = (head.get(0), head.get(1));
    let ian = team.user("ian");
    let append = |c: &mut postgres::Client, id: i64, actor: &str, action: &str, prev: &str, hash: &str| {
        c.execute(
            "SELECT joinedup_append_audit($1, now()::timestamp(0), $2, $3, NULL, '', NULL, $4, $5, NULL, NULL)",
            &[&id, &actor, &action, &prev, &hash],
        )
    };
    let other = format!("{ian} (Information governance lead, signed in to the server)");
    let msg = refused(append(&mut anna, id + 1, &other, "open", &prev, "00"));
    assert!(msg.contains("in the name of the user signed in"), "{msg}");
    let own = format!("{} (Care coordinator, signed in to the server)", team.user("anna"));
    let msg = refused(append(&mut anna, id + 1, &own, "open", &prev, "00"));
    assert!(msg.contains("hash is not its own"), "{msg}");
    let msg = refused(append(&mut anna, id + 5, &own, "open", &prev, "00"));
    assert!(msg.contains("does not continue the log"), "{msg}");
    let msg = refused(append(&mut anna, id + 1, &own, "import", &prev, "00"));
    assert!(msg.contains("may not record import"), "{msg}");
    // SET ROLE cannot take another app role, nor the owner's.
    for target in ["joinedup_ig_lead", "joinedup_loader", "root", "postgres"] {
        let msg = refused(anna.batch_execute(&format!("SET ROLE {target}")));
        assert!(
            msg.contains("permission denied") || msg.contains("does not exist"),
            "{target}: {msg}"
        );
    }
    // Claiming another role on the command line is refused, not obeyed.
    let store = team.store("anna").unwrap();
    let err = Service::new(store, claimed("anyone", Some(Role::InformationGovernanceLead)), false)
        .err()
        .expect("a claimed role that is not the server's is refused");
    assert!(
        matches!(err, ServiceError::Refused(ref m) if m.contains("the server signs you in as")),
        "{err}"
    );
    // The name on the program's events is the server's, whatever the OS user says.
    let service = team.service("anna");
    assert_eq!(service.actor().user, team.user("anna"));
    assert_eq!(service.actor().role, Some(Role::CareCoordinator));
}

#[test]
fn break_glass_needs_a_reason_and_its_event_and_shows_the_items_to_that_user_only() {
    let mut team = team_or_skip!("sec_glass");
    let mut anna = team.sql("anna");
    let morgan = person_id(&mut anna, MORGAN);
    for reason in ["", "   ", "x", "because"] {
        let msg = refused(anna.query_one("SELECT joinedup_break_glass($1, $2)", &[&morgan, &reason]));
        assert!(msg.contains("a reason is needed"), "{reason:?}: {msg}");
    }
    let msg = refused(anna.query_one(
        "SELECT joinedup_break_glass($1, $2)",
        &[&morgan, &"Direct care: planning discharge"],
    ));
    assert!(msg.contains("needs its audit event"), "{msg}");
    // Through the program: the reason is audited and the server grants Anna, not Bob.
    let mut service = team.service("anna");
    let reason = Reason::parse("Direct care: planning discharge").unwrap();
    let shown = service.reveal(morgan, &reason, today(), at(11, 0)).unwrap();
    assert!(shown.record.episodes.iter().all(|e| e.title != "Restricted item"));
    let anna_titles: Vec<String> = anna
        .query("SELECT title FROM episode WHERE person_id = $1", &[&morgan])
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert!(anna_titles.iter().all(|t| t != "Restricted item"), "{anna_titles:?}");
    let mut bob = team.sql("bob");
    let bob_titles: Vec<String> = bob
        .query("SELECT title FROM episode WHERE person_id = $1", &[&morgan])
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert!(bob_titles.iter().all(|t| t == "Restricted item"), "{bob_titles:?}");
    let (reason_logged, expires_in): (Option<String>, f64) = {
        let mut owner = team.owner_sql();
        let r = owner
            .query_one(
                "SELECT e.reason, extract(epoch FROM g.expires_at - g.granted_at)::float8
                 FROM audit_event e JOIN break_glass_grant g ON g.person_id = e.person_id
                 WHERE e.action = 'break_glass'",
                &[],
            )
            .unwrap();
        (r.get(0), r.get(1))
    };
    assert_eq!(reason_logged.as_deref(), Some("Direct care: planning discharge"));
    assert_eq!(expires_in, 4.0 * 3600.0);
    // An expired grant shows nothing again.
    team.owner_sql()
        .batch_execute("UPDATE break_glass_grant SET expires_at = now() - interval '1 second'")
        .unwrap();
    let again: String = anna
        .query_one("SELECT title FROM episode WHERE person_id = $1 LIMIT 1", &[&morgan])
        .unwrap()
        .get(0);
    assert_eq!(again, "Restricted item");
}

#[test]
fn the_audit_log_is_the_ig_leads_and_others_see_only_their_open_records_access() {
    let mut team = team_or_skip!("sec_audit");
    let mut anna = team.service("anna");
    let morgan = anna
        .find_by_nhs(NhsNumber::parse(MORGAN).unwrap(), at(9, 0))
        .unwrap()
        .unwrap()
        .id;
    anna.open_record(morgan, today(), at(9, 1)).unwrap();
    let margaret = anna
        .find_by_nhs(NhsNumber::parse(MARGARET).unwrap(), at(9, 2))
        .unwrap()
        .unwrap()
        .id;
    anna.open_record(margaret, today(), at(9, 3)).unwrap();
    // Bob opened Margaret only: he sees who looked at Margaret, not at Morgan.
    let mut bob_service = team.service("bob");
    bob_service.open_record(margaret, today(), at(9, 4)).unwrap();
    let mut bob = team.sql("bob");
    let seen = |c: &mut postgres::Client, person: i64| -> Vec<String> {
        c.query(
            "SELECT actor FROM audit_event WHERE person_id = $1 AND actor <> '' ORDER BY id",
            &[&person],
        )
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect()
    };
    let on_margaret = seen(&mut bob, margaret);
    assert!(
        on_margaret.iter().any(|a| a.starts_with(&team.user("anna"))),
        "{on_margaret:?}"
    );
    assert!(seen(&mut bob, morgan).is_empty(), "Bob did not open Morgan's record");
    let blank: i64 = bob
        .query_one("SELECT count(*) FROM audit_event WHERE actor = '' AND detail = ''", &[])
        .unwrap()
        .get(0);
    assert!(blank > 0, "the rest of the log is the chain only");
    // The IG lead reads all of it, and verifies it; a coordinator cannot.
    let mut ian = team.sql("ian");
    let annas = seen(&mut ian, morgan)
        .into_iter()
        .filter(|a| a.starts_with(&team.user("anna")))
        .count();
    assert_eq!(annas, 2, "Anna's search and open of Morgan");
    let ian_service = team.service("ian");
    let report = ian_service.verify_audit().unwrap();
    assert!(report.problem.is_none(), "{:?}", report.problem);
    assert!(report.seals_unchecked);
    let err = anna.verify_audit().expect_err("a coordinator does not verify the log");
    assert!(err.to_string().contains("information governance lead"), "{err}");
    // The owner's verify checks the data seals too.
    let owner = Service::new(team.db.open().unwrap(), claimed("owner", None), false).unwrap();
    let full = owner.verify_audit().unwrap();
    assert!(full.problem.is_none(), "{:?}", full.problem);
    assert!(!full.seals_unchecked);
}

#[test]
fn users_are_managed_by_the_owner_and_a_disabled_user_cannot_sign_in() {
    let mut team = team_or_skip!("sec_users");
    let mut anna = team.service("anna");
    let new = team.user("eve");
    let user = NewUser {
        name: &new,
        role: ServerRole::App(Role::InformationGovernanceLead),
        team: None,
        organisation: None,
        password: None,
    };
    let err = anna.add_user(&user, at(9, 0)).expect_err("only the owner adds users");
    assert!(err.to_string().contains("only the database owner"), "{err}");
    let mut owner = Service::new(team.db.open().unwrap(), claimed("owner", None), false).unwrap();
    let users = owner.users().unwrap();
    let anna_row = users.iter().find(|u| u.name == team.user("anna")).unwrap();
    assert_eq!(anna_row.role.as_deref(), Some("care-coordinator"));
    assert_eq!(anna_row.team.as_deref(), Some("Discharge team"));
    // The password is kept as a SCRAM verifier.
    let verifier: String = team
        .owner_sql()
        .query_one(
            "SELECT rolpassword FROM pg_authid WHERE rolname = $1",
            &[&team.user("anna")],
        )
        .unwrap()
        .get(0);
    assert!(verifier.starts_with("SCRAM-SHA-256$"), "{verifier}");
    owner
        .set_user_role(&team.user("bob"), ServerRole::App(Role::Tester), at(9, 1))
        .unwrap();
    assert_eq!(team.service("bob").actor().role, Some(Role::Tester));
    owner.disable_user(&team.user("bob"), at(9, 2)).unwrap();
    let err = team.store("bob").err().expect("a disabled user cannot sign in");
    assert!(
        err.to_string().contains("not permitted to log in") || err.to_string().contains("disabled"),
        "{err}"
    );
    let events: i64 = team
        .owner_sql()
        .query_one("SELECT count(*) FROM audit_event WHERE action = 'user_changed'", &[])
        .unwrap()
        .get(0);
    assert_eq!(events, 5 + 2, "each user added, re-roled and disabled is audited");
}

#[test]
fn a_trainer_changes_nothing_outside_a_training_database() {
    let Some(db) = ScratchDatabase::create("sec_trainer") else {
        return;
    };
    let mut owner = Service::new(db.open().unwrap(), claimed("owner", None), false).unwrap();
    let bundle = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/training.json")).unwrap();
    owner
        .import_bytes("training.json", &bundle, false, at(8, 0), &mut |_| true)
        .unwrap();
    let name = db.user_name("tess");
    owner
        .add_user(
            &NewUser {
                name: &name,
                role: ServerRole::App(Role::Trainer),
                team: None,
                organisation: None,
                password: None,
            },
            at(8, 1),
        )
        .unwrap();
    let mut tess = postgres::Client::connect(&db.url_as(&name), postgres::NoTls).unwrap();
    let spell: i64 = tess
        .query_one(
            "SELECT episode_id FROM hospital_spell WHERE hospital <> 'restricted' LIMIT 1",
            &[],
        )
        .unwrap()
        .get(0);
    let msg = refused(tess.batch_execute(&format!(
        "UPDATE hospital_spell SET next_action = 'x' WHERE episode_id = {spell}"
    )));
    assert!(msg.contains("training database"), "{msg}");
}

#[test]
fn a_rejected_feed_message_text_is_the_ig_leads() {
    let team = team_or_skip!("sec_feed");
    team.owner_sql()
        .batch_execute(
            "INSERT INTO feed_message (received_at, feed, sending_application, sending_facility, control_id,
                                       message_type, outcome, reason, message)
             VALUES (now(), 'mllp', 'PAS', 'RXX', 'c1', 'ADT^A01', 'rejected', 'bad date', 'PID|||9990000093||MORGAN^LISA')",
        )
        .unwrap();
    let mut anna = team.sql("anna");
    let text: Option<String> = anna.query_one("SELECT message FROM feed_message", &[]).unwrap().get(0);
    assert_eq!(text, None);
    let mut ian = team.sql("ian");
    let text: Option<String> = ian.query_one("SELECT message FROM feed_message", &[]).unwrap().get(0);
    assert!(text.unwrap().contains("MORGAN"));
}

/// The Sources screen's overview (people, imports, feeds with their resends and
/// identity warnings) works for an app user on a server (hostile review: the app's
/// view lacked the columns added since, so it failed for everyone), and a reason's
/// quoted value is the IG lead's alone.
#[test]
fn the_sources_overview_works_for_app_users_and_quoted_values_are_the_ig_leads() {
    let mut team = team_or_skip!("sec_feed_overview");
    team.owner_sql()
        .batch_execute(
            "INSERT INTO feed_message (received_at, feed, sending_application, sending_facility, control_id,
                                       message_type, outcome, reason, repeats)
             VALUES (now(), 'mllp', 'PAS', 'RXX', 'w1', 'ADT^A28', 'stored',
                     'PID-3: NHS number \"9434765918\" is not valid', 2)",
        )
        .unwrap();
    let overview = team.service("anna").overview(today()).unwrap();
    assert_eq!((overview.feeds[0].repeats, overview.feeds[0].warned), (2, 1));
    let why = overview.warned_messages[0].reason.clone().unwrap();
    assert_eq!(why, "PID-3: NHS number \"…\" is not valid");
    let mut anna = team.sql("anna");
    let raw: String = anna.query_one("SELECT reason FROM feed_message", &[]).unwrap().get(0);
    assert!(!raw.contains("9434765918"), "{raw}");
    let overview = team.service("ian").overview(today()).unwrap();
    let why = overview.warned_messages[0].reason.clone().unwrap();
    assert!(why.contains("9434765918"), "the IG lead sees it whole: {why}");
}

#[test]
fn alert_rules_are_each_users_own_and_change_only_with_their_audit_event() {
    use joinedup::domain::worklist::alerts::{AlertPeople, parse_kinds};
    let mut team = team_or_skip!("sec_alerts");
    // Through the program, as each signed-in coordinator.
    let mut anna = team.service("anna");
    let rule = anna
        .add_alert_rule(parse_kinds("admitted,discharged").unwrap(), AlertPeople::Team, at(9, 0))
        .unwrap();
    assert_eq!(rule.user, team.user("anna"));
    let mut bob = team.service("bob");
    assert!(bob.alert_rules().unwrap().is_empty(), "Anna's rule is hers");
    assert!(bob.remove_alert_rule(rule.id, at(9, 1)).is_err());
    // With plain SQL, a user sees only their own rules, cannot write one in
    // another's name, and no change commits without its audit event.
    let mut bob_sql = team.sql("bob");
    let seen: i64 = bob_sql
        .query_one("SELECT count(*) FROM alert_rule", &[])
        .unwrap()
        .get(0);
    assert_eq!(seen, 0);
    let msg = refused(bob_sql.batch_execute(&format!(
        "INSERT INTO alert_rule (user_name, kinds, people, created_at) VALUES ('{}', 'all', 'all', now())",
        team.user("anna")
    )));
    assert!(
        msg.contains("writes their own") || msg.contains("check option"),
        "{msg}"
    );
    let msg = refused(bob_sql.batch_execute(&format!(
        "INSERT INTO alert_rule (user_name, kinds, people, created_at) VALUES ('{}', 'all', 'all', now())",
        team.user("bob")
    )));
    assert!(msg.contains("without an audit event"), "{msg}");
    let mut anna_sql = team.sql("anna");
    let msg = refused(anna_sql.batch_execute(&format!("DELETE FROM alert_rule WHERE id = {}", rule.id)));
    assert!(msg.contains("without an audit event"), "{msg}");
    let msg = refused(anna_sql.batch_execute("SELECT count(*) FROM public.alert_rule"));
    assert!(msg.contains("permission denied"), "{msg}");
    anna.remove_alert_rule(rule.id, at(9, 2)).unwrap();
    let left: i64 = team
        .owner_sql()
        .query_one("SELECT count(*) FROM alert_rule", &[])
        .unwrap()
        .get(0);
    assert_eq!(left, 0);
}

/// A coordinator signed in to the server records a CHC Checklist (PostgreSQL 0020,
/// SAFETY.md H40): through the program it is stored with its `record_chc` event;
/// with plain SQL nothing else gets in: no item without its event, no other kind
/// or source, no facts on an item not made in the same transaction, nothing on a
/// restricted record without a reason.
#[test]
fn a_coordinator_records_a_chc_checklist_on_the_server_only_with_its_audit_event() {
    use joinedup::domain::chc::{ChcAssessment, ChcAssessmentKind, ChcDomain};
    let mut team = team_or_skip!("sec_chc_record");
    let mut anna_sql = team.sql("anna");
    let margaret = person_id(&mut anna_sql, MARGARET);
    let morgan = person_id(&mut anna_sql, MORGAN);
    let checklist = ChcAssessment {
        episode_id: 0,
        kind: ChcAssessmentKind::Checklist,
        completed_on: today(),
        completed_by: Some("Ward nurse".into()),
        domains: ChcDomain::CHECKLIST
            .iter()
            .map(|d| {
                (
                    *d,
                    if matches!(d, ChcDomain::Mobility | ChcDomain::Cognition) {
                        "A"
                    } else {
                        "C"
                    }
                    .into(),
                )
            })
            .collect(),
        mdt_recommendation: None,
        icb_decision: None,
        recorded_positive: None,
        evidence: vec![(ChcDomain::Mobility, "Needs two to transfer".into())],
    };
    let mut anna = team.service("anna");
    let loaded = anna.record_chc(margaret, &checklist, today(), at(10, 0)).unwrap();
    let stored = loaded
        .record
        .chc
        .iter()
        .find(|a| a.completed_by.as_deref() == Some("Ward nurse"))
        .expect("the recorded Checklist is in the record as shown");
    assert_eq!(stored.domains.len(), 11);
    let mut owner = team.owner_sql();
    let row = owner
        .query_one(
            "SELECT e.source, e.sensitivity, e.person_id, (SELECT count(*) FROM chc_domain_level l WHERE l.episode_id = e.id)
             FROM episode e WHERE e.id = $1",
            &[&stored.episode_id],
        )
        .unwrap();
    assert_eq!(row.get::<_, String>(0), "Recorded in joinedup");
    assert_eq!(row.get::<_, String>(1), "normal");
    assert_eq!(row.get::<_, i64>(2), margaret);
    assert_eq!(row.get::<_, i64>(3), 11);
    let evidence: Vec<Option<String>> = owner
        .query(
            "SELECT evidence FROM chc_domain_level WHERE episode_id = $1 ORDER BY domain",
            &[&stored.episode_id],
        )
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(evidence.len(), 11);
    assert_eq!(
        evidence.iter().flatten().collect::<Vec<_>>(),
        vec!["Needs two to transfer"],
        "the one evidence note, on its domain"
    );
    let actors: Vec<String> = owner
        .query("SELECT actor FROM audit_event WHERE action = 'record_chc'", &[])
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(
        actors,
        vec![format!(
            "{} (Care coordinator, signed in to the server)",
            team.user("anna")
        )]
    );

    // Plain SQL: an item without its audit event is refused at commit.
    let insert = |person: i64, kind: &str, source: &str| {
        format!(
            "INSERT INTO episode (person_id, sector, kind, title, start, status, organisation, detail, sensitivity,
                 attributes, source, source_ref, file_name, file_sha256, imported_at)
             VALUES ({person}, 'health', '{kind}', 'x', '2026-11-22T00:00:00', 'completed', 'ward', '', 'normal', '{{}}',
                 '{source}', 'sql-{kind}-{person}', '', '', '2026-11-22T10:00:00')"
        )
    };
    let msg = refused(anna_sql.batch_execute(&insert(margaret, "chc_checklist", "Recorded in joinedup")));
    assert!(msg.contains("without an audit event"), "{msg}");
    let msg = refused(anna_sql.batch_execute(&insert(margaret, "gp_encounter", "Recorded in joinedup")));
    assert!(msg.contains("only a CHC"), "{msg}");
    let msg = refused(anna_sql.batch_execute(&insert(margaret, "chc_checklist", "Northgate General Hospital PAS")));
    assert!(msg.contains("recorded in joinedup"), "{msg}");
    // Morgan is restricted: nothing is recorded on the record without a reason.
    let msg = refused(anna_sql.batch_execute(&insert(morgan, "chc_checklist", "Recorded in joinedup")));
    assert!(msg.contains("restricted"), "{msg}");
    let by_program = anna.record_chc(morgan, &checklist, today(), at(10, 5));
    assert!(by_program.is_err(), "recorded on a restricted record without a reason");
    // Facts only for an item made in the same transaction: not on an earlier one.
    let msg = refused(anna_sql.batch_execute(&format!(
        "INSERT INTO chc_domain_level (episode_id, domain, level) VALUES ({}, 'breathing', 'C')",
        stored.episode_id
    )));
    assert!(msg.contains("same transaction"), "{msg}");
    let msg = refused(anna_sql.batch_execute(&format!(
        "INSERT INTO chc_assessment (episode_id, kind, completed_on) VALUES ({}, 'checklist', '2026-11-22')",
        stored.episode_id
    )));
    assert!(msg.contains("same transaction"), "{msg}");
    // Inside one transaction (rolled back: it has no audit event), what the
    // triggers write and refuse (the hostile review's findings).
    {
        let mut tx = anna_sql.transaction().unwrap();
        tx.batch_execute(&insert(margaret, "chc_dst", "Recorded in joinedup"))
            .unwrap();
        let (item, organisation): (i64, String) = {
            let row = tx
                .query_one(
                    "SELECT id, organisation FROM episode WHERE source_ref = $1",
                    &[&format!("sql-chc_dst-{margaret}")],
                )
                .unwrap();
            (row.get(0), row.get(1))
        };
        // An organisation naming a team would make it the person's care team.
        assert_eq!(organisation, "Recorded in joinedup");
        let tries = [
            (
                format!(
                    "INSERT INTO chc_assessment (episode_id, kind, completed_on, icb_decision_date, icb_decision_eligible)
                     VALUES ({item}, 'dst', '2026-11-22', '1999-01-01', 1)"
                ),
                "ICB decision is recorded on its own",
            ),
            (
                format!("INSERT INTO chc_assessment (episode_id, kind, completed_on) VALUES ({item}, 'checklist', '2026-11-22')"),
                "of its item's kind",
            ),
            (
                format!("INSERT INTO chc_assessment (episode_id, kind, completed_on) VALUES ({item}, 'dst', '2099-01-01')"),
                "on or before today",
            ),
            (
                format!("INSERT INTO chc_domain_level (episode_id, domain, level) VALUES ({item}, 'telepathy', 'S')"),
                "known domains",
            ),
            (
                format!("INSERT INTO chc_domain_level (episode_id, domain, level) VALUES ({item}, 'skin', 'A')"),
                "known domains",
            ),
        ];
        for (sql, says) in tries {
            let mut attempt = tx.transaction().unwrap();
            let msg = refused(attempt.batch_execute(&sql));
            assert!(msg.contains(says), "{sql}: {msg}");
            attempt.rollback().unwrap();
        }
        let future = insert(margaret, "chc_checklist", "Recorded in joinedup")
            .replace("2026-11-22T00:00:00", "2099-01-01T00:00:00");
        let mut attempt = tx.transaction().unwrap();
        let msg = refused(attempt.batch_execute(&future));
        assert!(msg.contains("on or before today"), "{msg}");
        attempt.rollback().unwrap();
        tx.rollback().unwrap();
    }
    let count: i64 = owner
        .query_one(
            "SELECT count(*) FROM episode WHERE source = 'Recorded in joinedup'",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(count, 1, "only the program's Checklist was stored");
}
