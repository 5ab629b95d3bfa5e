//! The audit screen's log and its CSV export (IG lead only, names and NHS numbers
//! instead of ids, audited as an export, training-marked), and training reset.

use super::*;
use crate::domain::audit_log::AuditRange;
use crate::domain::governance::TRAINING_WATERMARK;
use crate::service::{AuditFilter, AuditPerson};

const MARGARET: &str = "9990000018";

on_both_engines! {
    fn the_audit_log_names_people_and_its_csv_export_is_audited(s) {
        s.set_role(Role::InformationGovernanceLead);
        let margaret = id_of(&mut s, MARGARET);
        s.open_record(margaret, today(), now()).unwrap();
        let log = s.audit_log(AuditRange::default()).unwrap();
        let open = log
            .lines
            .iter()
            .find(|l| l.event.action == "open" && l.event.person_id == Some(margaret))
            .expect("the open");
        assert_eq!(open.person.label(), "OKAFOR, Margaret (999 000 0018)");
        assert_eq!(open.action_label(), "Opened record");
        // A day before anything happened holds nothing.
        let before = AuditRange::parse("", "21-Nov-2026").unwrap();
        assert!(s.audit_log(before).unwrap().lines.is_empty());
        let on_the_day = AuditRange::parse("22-Nov-2026", "22-Nov-2026").unwrap();
        assert_eq!(s.audit_log(on_the_day).unwrap().lines.len(), log.lines.len());

        let exports = count(&s, "SELECT count(*) FROM audit_event WHERE action = 'export'");
        let filter = AuditFilter {
            person: "okafor".into(),
            ..Default::default()
        };
        let what = OutputKind::AuditCsv { range: AuditRange::default(), filter };
        let csv = s.output(&what, today(), now()).unwrap();
        let text = csv.text();
        let mut lines = text.lines();
        assert_eq!(lines.next(), Some(TRAINING_WATERMARK), "the watermark first");
        assert_eq!(lines.next(), Some("event,when,who,action,action_code,person,nhs_number,detail,reason"));
        let rows: Vec<&str> = lines.collect();
        assert!(!rows.is_empty());
        assert!(rows.iter().all(|r| r.contains("\"OKAFOR, Margaret\",999 000 0018")), "{rows:?}");
        assert!(rows.iter().any(|r| r.contains(",Opened record,open,")), "{rows:?}");
        assert_eq!(csv.file_name, "audit-log-2026-11-22.csv");
        // Audited as an export, before the text came back.
        assert_eq!(count(&s, "SELECT count(*) FROM audit_event WHERE action = 'export'"), exports + 1);
        let newest = &s.audit_log(AuditRange::default()).unwrap().lines[0];
        assert_eq!(newest.event.action, "export");
        assert!(newest.event.detail.starts_with(&format!("exported the audit log as CSV: {} events", rows.len())), "{}", newest.event.detail);
        assert!(newest.event.detail.contains("filtered: by person"), "{}", newest.event.detail);
        // An export of one person's trail is audited against them.
        assert_eq!(newest.event.person_id, Some(margaret));
        assert!(matches!(&newest.person, AuditPerson::Known(p) if p.id == margaret));
    }
}

#[test]
fn only_the_governance_lead_reads_or_exports_the_log() {
    let mut s = training_service();
    let events = count(&s, "SELECT count(*) FROM audit_event");
    assert!(matches!(
        s.audit_log(AuditRange::default()),
        Err(ServiceError::Refused(_))
    ));
    let what = OutputKind::AuditCsv {
        range: AuditRange::default(),
        filter: AuditFilter::default(),
    };
    assert!(matches!(s.output(&what, today(), now()), Err(ServiceError::Refused(_))));
    assert_eq!(
        count(&s, "SELECT count(*) FROM audit_event"),
        events,
        "nothing audited, nothing made"
    );
    // Outside training mode there is no watermark.
    let mut store = Store::open_in_memory().unwrap();
    let parsed = crate::import::parse_bytes("b.json", BUNDLE.as_bytes(), Default::default()).unwrap();
    store.apply_import(&parsed.batch, now()).unwrap();
    let mut ig = Service::new(store, actor("ig", Role::InformationGovernanceLead), false).unwrap();
    let csv = ig.output(&what, today(), now()).unwrap();
    assert!(csv.text().starts_with("event,when,who,"), "{}", csv.text());
}

/// After a reset the records are new: an earlier event's person id may now be
/// someone else's, so it names no one.
#[test]
fn a_reset_undoes_trainees_changes_and_earlier_events_name_no_one() {
    let mut s = training_service();
    let people = s.store().count_people().unwrap();
    let tasks = count(&s, "SELECT count(*) FROM task");
    let margaret = id_of(&mut s, MARGARET);
    s.open_record(margaret, today(), now()).unwrap();
    let nowak = s
        .store()
        .find_by_local_id("Westmere Council Adult Social Care", "ASC-104417")
        .unwrap()
        .unwrap();
    s.link_person(nowak.id, margaret, now()).unwrap();
    s.add_task(
        crate::service::NewTask {
            person_id: margaret,
            title: "A trainee's task".into(),
            owner: None,
            due: None,
            priority: crate::domain::worklist::Priority::Normal,
            notes: String::new(),
            event_key: None,
        },
        today(),
        now(),
    )
    .unwrap();
    assert_eq!(s.store().unmatched_people(10).unwrap().len(), 0);

    s.reset_training(today(), now()).unwrap();
    assert_eq!(s.store().count_people().unwrap(), people);
    assert_eq!(
        count(&s, "SELECT count(*) FROM task"),
        tasks,
        "the trainee's task is gone"
    );
    assert_eq!(count(&s, "SELECT count(*) FROM person_link"), 0);
    let unmatched = s.store().unmatched_people(10).unwrap();
    assert_eq!(unmatched.len(), 1, "Nowak waits to be matched again");
    let cleared = count(
        &s,
        "SELECT count(*) FROM audit_event WHERE action = 'records_cleared' AND actor = 'jsmith (Care coordinator, claimed)'",
    );
    assert_eq!(cleared, 1, "the reset is audited as the user's");
    assert_eq!(s.verify_audit().unwrap().outcome(), crate::store::AuditOutcome::Intact);

    s.set_role(Role::InformationGovernanceLead);
    let log = s.audit_log(AuditRange::default()).unwrap();
    let old_open = log
        .lines
        .iter()
        .find(|l| l.event.action == "open" && l.event.person_id == Some(margaret))
        .expect("the open before the reset");
    assert_eq!(old_open.person, AuditPerson::Cleared);
    assert_eq!(old_open.person.label(), "a training record since cleared");

    // Every story's person is there again, Nowak by the council's id.
    let stories = s.training_stories().unwrap();
    assert_eq!(stories.len(), crate::training::STORIES.len());
    for line in &stories {
        assert_eq!(
            line.person.as_ref().map(|p| p.display_name()).as_deref(),
            Some(line.story.name)
        );
    }
}

#[test]
fn reset_and_stories_are_refused_outside_training_mode() {
    let mut store = Store::open_in_memory().unwrap();
    let parsed = crate::import::parse_bytes("b.json", BUNDLE.as_bytes(), Default::default()).unwrap();
    store.apply_import(&parsed.batch, now()).unwrap();
    let people = store.count_people().unwrap();
    for role in Role::ALL {
        let mut s = Service::new(Store::open_in_memory().unwrap(), actor("someone", role), false).unwrap();
        assert!(
            matches!(s.reset_training(today(), now()), Err(ServiceError::Refused(_))),
            "{role:?}"
        );
    }
    let mut s = Service::new(store, actor("trainer", Role::Trainer), false).unwrap();
    let events = count(&s, "SELECT count(*) FROM audit_event");
    assert!(matches!(
        s.reset_training(today(), now()),
        Err(ServiceError::Refused(_))
    ));
    assert!(matches!(s.training_stories(), Err(ServiceError::Refused(_))));
    assert_eq!(s.store().count_people().unwrap(), people, "the real records stay");
    assert_eq!(count(&s, "SELECT count(*) FROM audit_event"), events);
    // Nor does the training module clear a database not marked as training.
    let mut store = Store::open_in_memory().unwrap();
    store.apply_import(&parsed.batch, now()).unwrap();
    assert!(crate::training::reset(&mut store, "trainer", today(), now()).is_err());
    assert_eq!(store.count_people().unwrap(), people);
}
