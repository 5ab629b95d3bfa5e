//! The findings of a hostile review of the server's access rules (PostgreSQL
//! migration 0012, "Hardening"), each held by a test that repeats the attack:
//! listed with results in RELIABILITY.md ("Access on a server").
//!
//! PostgreSQL only: skips (saying why) without a server unless
//! `JOINEDUP_TEST_POSTGRES=1`.

use joinedup::domain::governance::{Reason, Role};
use joinedup::domain::sharing::ObjectionScope;
use joinedup::service::Service;
use joinedup::store::access::{NewUser, ServerRole};
use joinedup::store::{ScratchDatabase, Store};

mod common;

use common::server_team::{MARGARET, MORGAN, at, claimed, person_id, refused, today};

fn reason(text: &str) -> Reason {
    Reason::parse(text).unwrap()
}

/// An event of the signed-in user's own (`action`, no person), appended by plain
/// SQL as the program would (hash by the server's own formula), in the open
/// transaction.
fn own_event(c: &mut postgres::Transaction<'_>, action: &str) {
    let sql = "DO $$
         DECLARE head_id bigint; head text; v_at timestamp := date_trunc('second', localtimestamp);
                 v_actor text := joinedup_actor_name(); v_hash text;
         BEGIN
           SELECT id, hash INTO head_id, head FROM audit_event ORDER BY id DESC LIMIT 1;
           v_hash := encode(sha256(convert_to(head, 'UTF8') || '\\x00'::bytea ||
               convert_to(to_char(v_at, 'YYYY-MM-DD\"T\"HH24:MI:SS'), 'UTF8') || '\\x00'::bytea ||
               convert_to(v_actor, 'UTF8') || '\\x00'::bytea || convert_to('ACTION', 'UTF8') || '\\x00'::bytea ||
               '\\x00'::bytea || convert_to('by plain SQL', 'UTF8') || '\\x00'::bytea ||
               '\\x00'::bytea), 'hex');
           PERFORM joinedup_append_audit(head_id + 1, v_at, v_actor, 'ACTION', NULL, 'by plain SQL',
                                         NULL, head, v_hash, NULL, NULL);
         END $$";
    c.batch_execute(&sql.replace("ACTION", action)).unwrap();
}

#[test]
fn a_user_of_another_database_on_the_server_is_no_user_of_this_one() {
    let team = team_or_skip!("rev_crossdb");
    let Some(other) = ScratchDatabase::create("rev_crossdb_other") else {
        return;
    };
    let mut other_owner = Service::new(other.open().unwrap(), claimed("owner", None), false).unwrap();
    other_owner.seed_training(today(), at(8, 0)).unwrap();
    let iggy = other.user_name("iggy");
    other_owner
        .add_user(
            &NewUser {
                name: &iggy,
                role: ServerRole::App(Role::InformationGovernanceLead),
                team: None,
                organisation: None,
                password: None,
            },
            at(8, 1),
        )
        .unwrap();
    // The group role is the server's: Iggy is an IG lead of the other database
    // only. This one does not let him connect.
    let err = postgres::Client::connect(&team.db.url_as(&iggy), postgres::NoTls)
        .err()
        .expect("a user of another database may not connect");
    assert!(
        err.to_string().contains("permission denied") || format!("{err:?}").contains("CONNECT"),
        "{err:?}"
    );
    // Were CONNECT granted by mistake, he is still nobody here: the program refuses
    // him, and the server gives him no one.
    team.owner_sql()
        .batch_execute(&format!(
            "GRANT CONNECT ON DATABASE \"{}\" TO \"{iggy}\"",
            team.db.url().rsplit('/').next().unwrap().split('?').next().unwrap()
        ))
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let err = Store::open_server(&team.db.url_as(&iggy), dir.path())
        .err()
        .expect("refused");
    assert!(err.to_string().contains("not a user of this database"), "{err}");
    let mut c = postgres::Client::connect(&team.db.url_as(&iggy), postgres::NoTls).unwrap();
    let role: String = c.query_one("SELECT joinedup_user_role()", &[]).unwrap().get(0);
    assert_eq!(role, "none");
    let people: i64 = c
        .query_one("SELECT count(*) FROM joinedup_app.person", &[])
        .unwrap()
        .get(0);
    assert_eq!(people, 0);
    let reasons: i64 = c
        .query_one(
            "SELECT count(*) FROM joinedup_app.audit_event WHERE reason IS NOT NULL",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(reasons, 0);
    // This database goes first: while it grants Iggy CONNECT, the other one's
    // clean-up could not drop his login role.
    drop(c);
    drop(team);
}

#[test]
fn opening_a_record_shows_who_looked_never_their_reasons_nor_the_objections() {
    let mut team = team_or_skip!("rev_audit");
    let mut anna = team.sql("anna");
    let morgan = person_id(&mut anna, MORGAN);
    let margaret = person_id(&mut anna, MARGARET);
    team.service("ian")
        .record_objection(
            margaret,
            today(),
            &reason("SECRET her own words"),
            &ObjectionScope::All,
            at(9, 0),
        )
        .unwrap();
    let mut bob = team.service("bob");
    bob.reveal(margaret, &reason("SECRET police enquiry today"), today(), at(9, 1))
        .unwrap();
    // Anna opens both records, and adds herself to a "recent" list by plain SQL.
    let mut annas = team.service("anna");
    annas.open_record(morgan, today(), at(9, 2)).unwrap();
    annas.open_record(margaret, today(), at(9, 3)).unwrap();
    let leaked: Vec<String> = anna
        .query(
            "SELECT coalesce(reason, '') || detail FROM audit_event WHERE person_id IN ($1, $2) AND actor <> joinedup_actor_name()",
            &[&morgan, &margaret],
        )
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert!(
        leaked
            .iter()
            .all(|t| !t.contains("SECRET") && !t.contains("restricted item")),
        "{leaked:?}"
    );
    // Who looked at Margaret (whom Anna may see): Bob's break glass, by name and
    // time, without the reason. Of Morgan (restricted, sealed to her) nothing but
    // her own events.
    let of_morgan: Vec<String> = anna
        .query(
            "SELECT actor FROM audit_event WHERE person_id = $1 AND actor <> ''",
            &[&morgan],
        )
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert!(
        of_morgan.iter().all(|a| a.starts_with(&team.user("anna"))),
        "{of_morgan:?}"
    );
    let who: Vec<(String, String)> = anna
        .query(
            "SELECT actor, action FROM audit_event WHERE person_id = $1 AND actor <> ''",
            &[&margaret],
        )
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    assert!(
        who.iter()
            .any(|(a, act)| a.starts_with(&team.user("bob")) && act == "break_glass"),
        "{who:?}"
    );
}

#[test]
fn an_objection_hides_plans_needs_goals_actions_reviews_and_other_sources_details() {
    let mut team = team_or_skip!("rev_hidden");
    let mut anna = team.sql("anna");
    let margaret = person_id(&mut anna, MARGARET);
    let count = |c: &mut postgres::Client, sql: &str| -> i64 { c.query_one(sql, &[&margaret]).unwrap().get(0) };
    let needs_before = count(
        &mut anna,
        "SELECT count(*) FROM care_plan_need n JOIN care_plan_version v ON v.id = n.version_id
         JOIN care_plan p ON p.id = v.care_plan_id WHERE p.person_id = $1",
    );
    let raw_needs = count(
        &mut team.owner_sql(),
        "SELECT count(*) FROM care_plan_need n JOIN care_plan_version v ON v.id = n.version_id
         JOIN care_plan p ON p.id = v.care_plan_id WHERE p.person_id = $1 AND p.owner NOT LIKE 'Westmere Council%'",
    );
    assert!(raw_needs > 0, "Margaret has a hospital plan with needs");
    team.service("ian")
        .record_objection(
            margaret,
            today(),
            &reason("Does not want it shared"),
            &ObjectionScope::All,
            at(9, 0),
        )
        .unwrap();
    // The hospital plan's needs, goals and actions are not returned, by any path.
    for table in ["care_plan_need", "care_plan_goal", "care_plan_action"] {
        let owners = team
            .owner_sql()
            .query(
                &format!(
                    "SELECT x.version_id FROM {table} x JOIN care_plan_version v ON v.id = x.version_id
                     JOIN care_plan p ON p.id = v.care_plan_id WHERE p.person_id = $1 AND p.owner NOT LIKE 'Westmere Council%'"
                ),
                &[&margaret],
            )
            .unwrap();
        for r in owners {
            let version: i64 = r.get(0);
            let seen: i64 = anna
                .query_one(
                    &format!("SELECT count(*) FROM {table} WHERE version_id = $1"),
                    &[&version],
                )
                .unwrap()
                .get(0);
            assert_eq!(seen, 0, "{table} of version {version}");
        }
    }
    assert!(needs_before > 0);
    // Nor the stay's daily reviews, nor the hospital's per-source details.
    let stay: i64 = team
        .owner_sql()
        .query_one(
            "SELECT id FROM episode WHERE person_id = $1 AND kind = 'inpatient_spell' LIMIT 1",
            &[&margaret],
        )
        .unwrap()
        .get(0);
    let stay_reviews: i64 = anna
        .query_one("SELECT count(*) FROM ctr_review WHERE episode_id = $1", &[&stay])
        .unwrap()
        .get(0);
    assert_eq!(stay_reviews, 0, "the hidden stay's reviews");
    let sources: Vec<String> = anna
        .query(
            "SELECT source FROM person_demographics WHERE person_id = $1",
            &[&margaret],
        )
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert!(sources.iter().all(|s| s.starts_with("Westmere Council")), "{sources:?}");
    // And the helpers that would tell id by id what is hidden are not callable.
    let msg = refused(anna.query_one("SELECT joinedup_item_hidden($1)", &[&stay]));
    assert!(msg.contains("permission denied"), "{msg}");
}

#[test]
fn a_change_needs_an_event_of_its_kind_and_carries_the_signed_in_name() {
    let team = team_or_skip!("rev_kind");
    let mut anna = team.sql("anna");
    let spell: i64 = anna
        .query_one(
            "SELECT h.episode_id FROM hospital_spell h WHERE h.hospital <> 'restricted' ORDER BY 1 LIMIT 1",
            &[],
        )
        .unwrap()
        .get(0);
    // A search event does not cover a change to a stay.
    let mut tx = anna.transaction().unwrap();
    own_event(&mut tx, "search");
    tx.execute(
        "UPDATE hospital_spell SET next_action = 'TAMPERED', changed_by = 'sian.roberts' WHERE episode_id = $1",
        &[&spell],
    )
    .unwrap();
    let msg = refused(tx.commit());
    assert!(msg.contains("audit event of its kind"), "{msg}");
    // A teammate's worklist marks are not Anna's to write, with any event.
    let mut tx = anna.transaction().unwrap();
    own_event(&mut tx, "search");
    let msg = refused(tx.execute(
        "INSERT INTO worklist_seen VALUES ($1, 1, 'forged', 1, now(), now())",
        &[&team.user("bob")],
    ));
    assert!(
        msg.contains("writes their own") || msg.contains("check option"),
        "{msg}"
    );
    drop(tx);
    // With an event of its kind the change commits, and carries Anna's server
    // name whatever the client wrote.
    let mut tx = anna.transaction().unwrap();
    own_event(&mut tx, "change_spell");
    tx.execute(
        "UPDATE hospital_spell SET next_action = 'Ring the family', changed_by = 'sian.roberts' WHERE episode_id = $1",
        &[&spell],
    )
    .unwrap();
    tx.commit().unwrap();
    let by: String = team
        .owner_sql()
        .query_one("SELECT changed_by FROM hospital_spell WHERE episode_id = $1", &[&spell])
        .unwrap()
        .get(0);
    assert_eq!(
        by,
        format!("{} (Care coordinator, signed in to the server)", team.user("anna"))
    );
}

#[test]
fn the_loader_loads_and_does_not_set_the_rules_or_who_is_who() {
    let team = team_or_skip!("rev_loader");
    let mut lou = team.sql("lou");
    for sql in [
        "UPDATE public.meta SET value = 'off' WHERE key = 'relationship_rule'",
        "INSERT INTO public.coordinator VALUES ('ghost', 'Priya Shah (Westmere Council)', 'Discharge team')",
        "DELETE FROM public.data_seal",
        "INSERT INTO public.follow (user_name, person_id, followed_at) VALUES ('anna', 1, now())",
    ] {
        let msg = refused(lou.execute(sql, &[]));
        assert!(msg.contains("permission denied"), "{sql}: {msg}");
    }
    // One malformed objection cannot break every read.
    let msg = refused(lou.execute(
        "INSERT INTO public.sharing_objection (person_id, objected_on, reason, organisations, recorded_by, recorded_at)
         VALUES ((SELECT min(id) FROM public.person), current_date, 'x', 'not json', 'lou', now())",
        &[],
    ));
    assert!(
        msg.contains("json") || msg.contains("sharing_objection_organisations"),
        "{msg}"
    );
    let msg = refused(lou.execute(
        "INSERT INTO public.sharing_objection (person_id, objected_on, reason, organisations, recorded_by, recorded_at)
         VALUES ((SELECT min(id) FROM public.person), current_date, 'x', '{\"a\": 1}', 'lou', now())",
        &[],
    ));
    assert!(msg.contains("sharing_objection_organisations"), "{msg}");
}
