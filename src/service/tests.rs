//! The service layer's own tests: one disclosure policy behind every output, audit
//! events in the change's transaction or before output leaves, roles respected.

use chrono::{NaiveDate, NaiveDateTime};

use super::*;
use crate::domain::NhsNumber;
use crate::domain::dates::{parse_date, parse_date_time};
use crate::import::export::ExportFormat;

/// A service test on the training people, run on both engines: a private SQLite
/// database and a scratch PostgreSQL one (skipped with the reason printed when no
/// server answers; a failure instead under `JOINEDUP_TEST_POSTGRES=1`).
macro_rules! on_both_engines {
    (fn $name:ident($s:ident) $body:block) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[allow(unused_mut)]
            fn body(mut $s: Service) $body

            #[test]
            fn sqlite() {
                body(training_service())
            }

            #[test]
            fn postgres() {
                if let Some(db) = crate::store::ScratchDatabase::create(stringify!($name)) {
                    body(training_service_on(db.open().unwrap()))
                }
            }
        }
    };
}

fn today() -> NaiveDate {
    parse_date("2026-11-22").unwrap()
}

fn now() -> NaiveDateTime {
    parse_date_time("2026-11-22T10:00").unwrap()
}

fn actor(user: &str, role: Role) -> Actor {
    Actor {
        user: user.into(),
        role: Some(role),
    }
}

/// The training people on an in-memory store, as a coordinator.
fn training_service() -> Service {
    training_service_on(Store::open_in_memory().unwrap())
}

/// The training people on `store`, as a coordinator.
fn training_service_on(mut store: Store) -> Service {
    crate::training::prepare(&mut store, today(), now()).unwrap();
    Service::new(store, actor("jsmith", Role::CareCoordinator), false).unwrap()
}

fn id_of(s: &mut Service, nhs: &str) -> i64 {
    s.find_by_nhs(NhsNumber::parse(nhs).unwrap(), now())
        .unwrap()
        .unwrap()
        .id
}

fn count(s: &Service, sql: &str) -> i64 {
    s.store().connection().query_row(sql, [], |r| r.get(0)).unwrap()
}

const LISA: &str = "9990000093";

/// A small bundle of one new person with one item.
const BUNDLE: &str = r#"{"format": "joinedup-bundle", "version": 1, "people": [{
  "nhs_number": "9990001014", "source": "Test PAS", "given_name": "Ada", "family_name": "Test",
  "episodes": [{"ref": "T-1", "kind": "gp_encounter", "title": "Review", "start": "2026-11-01T09:00"}]}]}"#;
const MARGARET: &str = "9990000018";

on_both_engines! {
    fn a_training_database_is_training_however_it_is_opened(s) {
    assert!(s.is_training(), "marked inside the database");
    assert!(s.import_options().test_range_only);
    }
}

on_both_engines! {
    fn plans_of_a_restricted_person_are_placeholders_audited_against_the_person(s) {
    let lisa = id_of(&mut s, LISA);
    let shown = s.care_plans(lisa, now()).unwrap();
    assert!(!shown.care_plans.is_empty());
    for p in &shown.care_plans {
        assert!(p.is_placeholder);
        assert!(p.goals.is_empty() && p.needs.is_empty() && p.actions.is_empty());
        // No author, no date recorded, no status (SAFETY.md H46).
        assert_eq!(p.recorded, crate::domain::care_plan::VersionRecorded::default());
        assert!(p.owner.is_empty() && p.status.is_empty());
        assert!(!p.title.to_lowercase().contains("protection"), "{}", p.title);
    }
    let audited = count(
        &s,
        &format!("SELECT count(*) FROM audit_event WHERE action = 'plans' AND person_id = {lisa}"),
    );
    assert_eq!(audited, 1);
    // With a reason (audited with it), the plan shows whole.
    let reason = Reason::parse("Section 42 strategy meeting").unwrap();
    s.reveal(lisa, &reason, today(), now()).unwrap();
    let shown = s.care_plans(lisa, now()).unwrap();
    assert_eq!(shown.care_plans[0].title, "Safeguarding protection plan");
    assert_eq!(shown.care_plans[0].recorded.by.as_deref(), Some("Daniel Cole"));
    assert!(shown.care_plans[0].actions.iter().any(|a| a.due.is_some()));
    // Closed: hidden again.
    s.close_record(lisa);
    assert!(s.care_plans(lisa, now()).unwrap().care_plans[0].is_placeholder);
    }
}

on_both_engines! {
    fn a_safeguarding_plan_of_an_open_person_is_a_placeholder_too(s) {
    let lisa = id_of(&mut s, LISA);
    s.store
        .connection()
        .execute("UPDATE person SET is_restricted = 0 WHERE id = ?1", [lisa])
        .unwrap();
    let shown = s.care_plans(lisa, now()).unwrap();
    let plan = shown.care_plans.iter().find(|p| p.is_placeholder).expect("held back");
    assert_eq!(plan.sector, crate::domain::Sector::SocialCare, "its sector stays");
    }
}

on_both_engines! {
    fn the_board_keeps_a_restricted_inpatient_counted_and_named_but_masked(s) {
    let before = s.board(today(), now()).unwrap();
    let margaret = id_of(&mut s, MARGARET);
    s.store
        .connection()
        .execute("UPDATE person SET is_restricted = 1 WHERE id = ?1", [margaret])
        .unwrap();
    let after = s.board(today(), now()).unwrap();
    assert_eq!(after.rows.len(), before.rows.len(), "every count stays true");
    assert_eq!(after.summary, before.summary);
    let row = after.rows.iter().find(|r| r.person.person_id == margaret).unwrap();
    assert_eq!(row.person.display_name, "OKAFOR, Margaret");
    assert_eq!(row.hospital, "restricted");
    assert!(row.delay_reasons.iter().all(|d| d.description == "restricted"));
    assert!(row.social_care.allocated_worker.is_none());
    let csv = s
        .output(
            &OutputKind::BoardCsv {
                as_of: today(),
                rows: after.rows.clone(),
            },
            today(),
            now(),
        )
        .unwrap();
    let text = csv.text();
    let line = text.lines().find(|l| l.contains("OKAFOR")).unwrap();
    let open_row = before.rows.iter().find(|r| r.person.person_id == margaret).unwrap();
    assert!(!line.contains(&open_row.hospital), "{line}");
    }
}

on_both_engines! {
    fn the_caseload_is_audited_and_marks_restricted_people(s) {
    let rows = s.chc_caseload(today(), now()).unwrap();
    assert!(!rows.is_empty());
    assert_eq!(
        count(&s, "SELECT count(*) FROM audit_event WHERE action = 'caseload'"),
        1
    );
    }
}

on_both_engines! {
    fn an_output_is_audited_before_its_text_is_given_and_not_given_without_it(s) {
    let harold = id_of(&mut s, "9990000026");
    let what = OutputKind::Record {
        person_id: harold,
        format: ExportFormat::Native,
    };
    let before = count(&s, "SELECT count(*) FROM audit_event WHERE action = 'export'");
    s.output(&what, today(), now()).unwrap();
    assert_eq!(
        count(&s, "SELECT count(*) FROM audit_event WHERE action = 'export'"),
        before + 1
    );
    // An audit log that cannot be written: no text to write.
    let drop = match s.store.engine() {
        crate::store::Engine::Sqlite => "DROP TABLE audit_event",
        // On a server the access views and receipts depend on it.
        crate::store::Engine::Postgres => "DROP TABLE audit_event CASCADE",
    };
    s.store.connection().execute_batch(drop).unwrap();
    assert!(s.output(&what, today(), now()).is_err());
    }
}

#[test]
fn an_import_and_its_audit_event_commit_together_or_not_at_all() {
    let mut s = training_service();
    let bundle = BUNDLE;
    let items = count(&s, "SELECT count(*) FROM episode");
    // Audit events cannot be written: the import is rolled back with it.
    s.store
        .connection()
        .execute_batch(
            "CREATE TRIGGER no_audit BEFORE INSERT ON audit_event BEGIN SELECT RAISE(ABORT, 'audit refused'); END;",
        )
        .unwrap();
    assert!(
        s.import_bytes("b.json", bundle.as_bytes(), false, now(), &mut |_| true)
            .is_err()
    );
    assert_eq!(count(&s, "SELECT count(*) FROM episode"), items);
    assert_eq!(
        count(&s, "SELECT count(*) FROM import_run WHERE file_name = 'b.json'"),
        0
    );
    s.store.connection().execute_batch("DROP TRIGGER no_audit").unwrap();
    let imported = s
        .import_bytes("b.json", bundle.as_bytes(), false, now(), &mut |_| true)
        .unwrap();
    let run = imported.summary.unwrap().import_run_id;
    let audited = count(
        &s,
        &format!("SELECT count(*) FROM audit_event WHERE action = 'import' AND detail LIKE '%(import run #{run})'"),
    );
    assert_eq!(audited, 1);
}

#[test]
fn restriction_travels_with_an_export_into_another_database() {
    for format in [ExportFormat::Native, ExportFormat::Fhir] {
        let mut s = training_service();
        let lisa = id_of(&mut s, LISA);
        let reason = Reason::parse("Transfer of care to the new council").unwrap();
        s.reveal(lisa, &reason, today(), now()).unwrap();
        let what = OutputKind::Record {
            person_id: lisa,
            format,
        };
        let text = s.output(&what, today(), now()).unwrap().text().into_owned();
        let mut other = Service::new(
            Store::open_in_memory().unwrap(),
            actor("other", Role::CareCoordinator),
            false,
        )
        .unwrap();
        other
            .import_bytes("lisa.json", text.as_bytes(), false, now(), &mut |_| true)
            .unwrap();
        let there = id_of(&mut other, LISA);
        let opened = other.open_record(there, today(), now()).unwrap();
        assert!(opened.record.person.is_restricted, "{format:?}: still restricted there");
        assert!(
            opened.record.episodes.iter().all(|e| e.kind.is_placeholder()),
            "{format:?}"
        );
        assert!(opened.record.person.alerts.is_empty(), "{format:?}: alerts hidden");
    }
}

#[test]
fn recently_opened_belongs_to_the_user() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("shared.db");
    let mut first = {
        let mut store = Store::open(&path).unwrap();
        crate::training::prepare(&mut store, today(), now()).unwrap();
        Service::new(store, actor("first", Role::CareCoordinator), false).unwrap()
    };
    let lisa = id_of(&mut first, LISA);
    first.open_record(lisa, today(), now()).unwrap();
    assert_eq!(first.recent_people(10).unwrap().len(), 1);
    let second = Service::new(
        Store::open(&path).unwrap(),
        actor("second", Role::CareCoordinator),
        false,
    )
    .unwrap();
    assert!(
        second.recent_people(10).unwrap().is_empty(),
        "the second user sees nothing of the first's"
    );
}

#[test]
fn a_trainer_changes_data_only_in_a_training_database() {
    let mut store = Store::open_in_memory().unwrap();
    let bundle = BUNDLE;
    let parsed = crate::import::parse_bytes("b.json", bundle.as_bytes(), Default::default()).unwrap();
    store.apply_import(&parsed.batch, now()).unwrap();
    let mut s = Service::new(store, actor("trainer", Role::Trainer), false).unwrap();
    let refused = s.import_bytes("b.json", bundle.as_bytes(), false, now(), &mut |_| true);
    assert!(matches!(refused, Err(ServiceError::Refused(_))));
    let mut t = training_service();
    t.set_role(Role::Trainer);
    let margaret = id_of(&mut t, MARGARET);
    let record = t.open_record(margaret, today(), now()).unwrap();
    let spell = &record.record.spells[0];
    let change = crate::store::SpellChange::SetPathway(Some(1));
    assert!(
        t.change_spell(
            margaret,
            spell.episode_id,
            spell.revision.number,
            &[change],
            today(),
            now()
        )
        .is_ok()
    );
}

on_both_engines! {
    fn a_reveal_is_audited_with_its_reason_and_lasts_until_closed(s) {
    let lisa = id_of(&mut s, LISA);
    let sealed = s.open_record(lisa, today(), now()).unwrap();
    assert!(sealed.is_sealed());
    assert!(sealed.record.person.demographics.address.is_none());
    let reason = Reason::parse("Section 42 strategy meeting").unwrap();
    let open = s.reveal(lisa, &reason, today(), now()).unwrap();
    assert!(open.revealed && !open.record.episodes.iter().any(|e| e.kind.is_placeholder()));
    let with_reason = count(
        &s,
        "SELECT count(*) FROM audit_event WHERE action = 'break_glass' AND reason = 'Section 42 strategy meeting'",
    );
    assert_eq!(with_reason, 1);
    assert!(
        s.open_record(lisa, today(), now()).unwrap().revealed,
        "until it is closed"
    );
    s.close_record(lisa);
    assert!(s.open_record(lisa, today(), now()).unwrap().is_sealed());
    }
}

on_both_engines! {
    fn lists_of_people_never_show_a_restricted_persons_postcode_or_gp(s) {
    let found = s.find_by_nhs(NhsNumber::parse(LISA).unwrap(), now()).unwrap().unwrap();
    assert!(found.is_restricted);
    assert!(found.postcode.is_none() && found.gp_practice.is_none());
    let by_name = s.search_people("morgan", None, 10, now()).unwrap();
    let lisa = by_name.iter().find(|p| p.id == found.id).unwrap();
    assert!(lisa.postcode.is_none());
    s.open_record(found.id, today(), now()).unwrap();
    assert!(
        s.recent_people(5)
            .unwrap()
            .iter()
            .all(|p| p.postcode.is_none() || p.id != found.id)
    );
    let open = s
        .find_by_nhs(NhsNumber::parse(MARGARET).unwrap(), now())
        .unwrap()
        .unwrap();
    assert!(open.postcode.is_some(), "an open person's postcode is shown");
    }
}

/// Items their source did not label, from every format, are held back when their
/// kind or words name a sensitive category; another system's restriction labels are
/// honoured, an alert labelled restricted holds the whole person back.
#[test]
fn unlabelled_sensitive_items_and_labelled_alerts_are_held_back() {
    let mut s = Service::new(
        Store::open_in_memory().unwrap(),
        actor("jsmith", Role::CareCoordinator),
        false,
    )
    .unwrap();
    let native = r#"{"format": "joinedup-bundle", "version": 1, "people": [{
      "nhs_number": "9990001014", "source": "Test PAS", "given_name": "Ada", "family_name": "Test",
      "episodes": [
        {"ref": "N-1", "kind": "safeguarding_enquiry", "title": "Section 42 enquiry", "start": "2026-11-01T09:00"},
        {"ref": "N-2", "kind": "outpatient", "title": "Attendance", "start": "2026-11-02T09:00",
         "organisation": "Westmere Sexual Health Service"}]}]}"#;
    s.import_bytes("n.json", native.as_bytes(), false, now(), &mut |_| true)
        .unwrap();
    let ada = id_of(&mut s, "9990001014");
    let shown = s.open_record(ada, today(), now()).unwrap();
    assert!(
        shown.record.episodes.iter().all(|e| e.kind.is_placeholder()),
        "{:?}",
        shown.record.episodes
    );
    let fhir = r#"{"resourceType": "Bundle", "type": "collection", "entry": [
      {"fullUrl": "urn:uuid:p1", "resource": {"resourceType": "Patient",
        "identifier": [{"system": "https://fhir.nhs.uk/Id/nhs-number", "value": "9990000018"}],
        "name": [{"family": "Okafor", "given": ["Margaret"]}]}},
      {"resource": {"resourceType": "Encounter", "status": "finished",
        "meta": {"security": [{"system": "http://hl7.org/fhir/v3/Confidentiality", "code": "R"}]},
        "class": {"code": "AMB"}, "type": [{"text": "Clinic"}], "subject": {"reference": "urn:uuid:p1"},
        "period": {"start": "2026-11-03T10:00:00"}}},
      {"resource": {"resourceType": "Flag", "status": "active", "code": {"text": "Lives at a refuge"},
        "meta": {"security": [{"system": "http://terminology.hl7.org/CodeSystem/v3-Confidentiality", "code": "R"}]},
        "subject": {"reference": "urn:uuid:p1"}}}]}"#;
    s.import_bytes("f.json", fhir.as_bytes(), false, now(), &mut |_| true)
        .unwrap();
    let margaret = id_of(&mut s, MARGARET);
    let shown = s.open_record(margaret, today(), now()).unwrap();
    assert!(
        shown.record.person.is_restricted,
        "the labelled alert holds the person back"
    );
    assert!(shown.record.person.alerts.is_empty());
    assert!(shown.record.episodes.iter().all(|e| e.kind.is_placeholder()));
}

on_both_engines! {
    fn a_later_message_that_updates_an_item_keeps_the_data_seals_true(s) {
    // An admission, sealed by its import's event; then a discharge of the same visit
    // in a later file brings the item up to date (on PostgreSQL, without the
    // seal triggers SQLite has, the store swaps the row in its seal).
    let admit = "MSH|^~\\&|PAS|NGH|JOINEDUP|WM|202611020900||ADT^A01^ADT_A01|S1|P|2.4\rPID|1||9990001014^^^NHS^NH||TEST^ADA\rPV1|1|I|OAK^^^NGH|21|||||||||||||||SV1^^^VISITID|||||||||||||||||||||||||202611020900\r";
    let discharge = "MSH|^~\\&|PAS|NGH|JOINEDUP|WM|202611101500||ADT^A03^ADT_A03|S2|P|2.4\rPID|1||9990001014^^^NHS^NH||TEST^ADA\rPV1|1|I|OAK^^^NGH|21|||||||||||||||SV1^^^VISITID|||||||||||||||||1|19|||||||202611020900|202611101500\r";
    s.import_bytes("admit.hl7", admit.as_bytes(), false, now(), &mut |_| true).unwrap();
    let updated = s.import_bytes("discharge.hl7", discharge.as_bytes(), false, now(), &mut |_| true).unwrap();
    let summary = updated.summary.expect("stored");
    assert_eq!(summary.episodes_updated, 1, "{summary:?}");
    let report = s.verify_audit().unwrap();
    assert_eq!(report.outcome(), crate::store::AuditOutcome::Intact, "{:?}", report.lines());
    }
}

mod audit_log;
mod import_preview;
mod print;
