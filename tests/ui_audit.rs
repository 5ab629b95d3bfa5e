//! The audit screen (issue 17 item 9) and the trainers' panel (item 12), headless:
//! people by name and NHS number, actions in words, a date range, "Verify log"
//! saying intact, broken at event N or truncated; the training stories, a story's
//! person opened in one click, and a reset that asks first and exists only in
//! training mode.

mod common;

use common::{open_by_nhs, settle, wait_for_training, wait_until};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use joinedup::domain::governance::Role;
use joinedup::store::{AuditEvent, Store};
use joinedup::ui::{Command, JoinedUpApp, Screen};

fn training_as(role: Role) -> Harness<'static, JoinedUpApp> {
    let mut h = common::harness_with(Store::open_in_memory().expect("store"), common::config(true, role));
    wait_for_training(&mut h);
    h
}

fn type_into(h: &mut Harness<'static, JoinedUpApp>, label: &str, text: &str) {
    let field = h.get_by_label(label);
    field.focus();
    field.type_text(text);
    settle(h);
}

fn to_audit_screen(h: &mut Harness<'static, JoinedUpApp>) {
    h.get_by_label("Audit").click();
    wait_until(h, "the audit log", |a| {
        a.screen() == Screen::Audit && a.audit_log().is_some()
    });
}

#[test]
fn the_audit_screen_names_people_and_reads_a_date_range() {
    let mut h = training_as(Role::InformationGovernanceLead);
    open_by_nhs(&mut h, "9990000018");
    let margaret = h.state().person().expect("open").record.person.id;
    to_audit_screen(&mut h);
    wait_until(&mut h, "the open in the log", |a| {
        a.audit_log()
            .is_some_and(|l| l.lines.iter().any(|l| l.event.action == "open"))
    });
    // Her name and NHS number, 3-3-4, not the store's id; the action in words.
    assert!(
        h.get_all_by_label("OKAFOR, Margaret (999 000 0018)").count() >= 2,
        "the search and the open"
    );
    assert!(h.query_by_label(&format!("#{margaret}")).is_none());
    h.get_by_label("Opened record");
    assert!(h.query_by_label("open").is_none(), "no stored code");

    // A person filter by NHS number, spaced as it is shown.
    let all = h.state().audit_log().unwrap().lines.len();
    type_into(&mut h, "Find person", "999 000 0018");
    h.get_by_label_contains(&format!(" of {all} events, all dates"));
    assert!(h.query_by_label_contains(&format!("{all} of {all} events")).is_none());

    // Dates without events hold none; a date that is not one is said so.
    type_into(&mut h, "From", "01-Jan-2020");
    type_into(&mut h, "To", "31-Dec-2020");
    h.get_by_label("Show these dates").click();
    wait_until(&mut h, "the range read", |a| {
        a.audit_log().is_some_and(|l| l.range.from.is_some())
    });
    h.get_by_label("0 of 0 events, 01-Jan-2020 to 31-Dec-2020");
    assert!(h.query_by_label("OKAFOR, Margaret (999 000 0018)").is_none());
    h.get_by_label("All dates").click();
    wait_until(&mut h, "every date again", |a| {
        a.audit_log()
            .is_some_and(|l| l.range.from.is_none() && !l.lines.is_empty())
    });
    type_into(&mut h, "From", "soon");
    h.get_by_label("Show these dates").click();
    settle(&mut h);
    h.get_by_label_contains("is not a date: type it as 22-Nov-2026");

    h.get_by_label("Export CSV…");
    h.get_by_label("Verify log").click();
    wait_until(&mut h, "the verdict", |a| a.audit_verified().is_some());
    h.get_by_label_contains("Log intact: all ");
}

/// A desktop database whose log holds `n` honest events, then what an attacker
/// with plain SQLite does to it.
fn tampered(dir: &std::path::Path, attack: &str) -> Store {
    let path = dir.join("care.db");
    let mut store = Store::open(&path).unwrap();
    for n in 0..6 {
        let at = chrono::NaiveDate::from_ymd_opt(2026, 11, 22)
            .and_then(|d| d.and_hms_opt(10, n, 0))
            .unwrap();
        store
            .append_audit(&AuditEvent {
                id: 0,
                at,
                actor: "coordinator (Care coordinator)".into(),
                action: "search".into(),
                person_id: None,
                detail: format!("event {n}"),
                reason: None,
            })
            .unwrap();
    }
    drop(store);
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch("DROP TRIGGER audit_event_no_update; DROP TRIGGER audit_event_no_delete;")
        .unwrap();
    conn.execute_batch(attack).unwrap();
    drop(conn);
    Store::open(&path).unwrap()
}

#[test]
fn verify_log_says_where_the_log_is_broken_or_that_it_was_truncated() {
    for (attack, words) in [
        (
            "UPDATE audit_event SET actor = 'someone else' WHERE id = 3",
            "Log broken at event 3:",
        ),
        (
            "DELETE FROM audit_event WHERE id > 4",
            "Log truncated: events were removed from its end",
        ),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let store = tampered(dir.path(), attack);
        let mut h = common::harness_with(store, common::config(false, Role::InformationGovernanceLead));
        to_audit_screen(&mut h);
        h.get_by_label("Verify log").click();
        wait_until(&mut h, "the verdict", |a| a.audit_verified().is_some());
        h.get_by_label_contains(words);
        assert!(h.query_by_label_contains("Log intact").is_none(), "{attack}");
    }
}

#[test]
fn the_training_panel_lists_the_stories_and_opens_a_person() {
    let mut h = training_as(Role::CareCoordinator);
    h.get_by_label("Training stories").click();
    wait_until(&mut h, "the stories", |a| a.training_stories().is_some());
    assert_eq!(h.state().training_stories().unwrap().len(), 16);
    h.get_by_label("Delayed discharge, two delay reasons, the discharge plan");
    h.get_by_label("999 000 0018");
    // The person without an NHS number opens by the council's id, in one click.
    h.get_by_label("NOWAK, Wladyslaw").click();
    wait_until(&mut h, "Nowak's record", |a| {
        a.screen() == Screen::Person
            && a.person()
                .is_some_and(|p| p.record.person.demographics.family_name == "Nowak")
    });
}

#[test]
fn reset_training_data_asks_first_and_undoes_a_trainees_change() {
    let mut h = training_as(Role::CareCoordinator);
    let unmatched = h.state().overview().unwrap().unmatched.clone();
    assert_eq!(unmatched.len(), 1);
    // A trainee links Nowak to Margaret Okafor.
    open_by_nhs(&mut h, "9990000018");
    let margaret = h.state().person().unwrap().record.person.id;
    h.state_mut().apply(Command::ConfirmLink {
        from: unmatched[0].id,
        to: margaret,
    });
    wait_until(&mut h, "the link", |a| {
        a.overview().is_some_and(|o| o.unmatched.is_empty())
    });

    h.get_by_label("Training stories").click();
    wait_until(&mut h, "the stories", |a| a.training_stories().is_some());
    h.get_by_label("Reset training data…").click();
    settle(&mut h);
    h.get_by_label("Reset the training data?");
    h.get_by_label("Cancel").click();
    settle(&mut h);
    assert!(h.query_by_label("Reset the training data?").is_none());
    assert!(
        h.state().overview().unwrap().unmatched.is_empty(),
        "cancelled: nothing reset"
    );

    h.get_by_label("Reset training data…").click();
    settle(&mut h);
    h.get_by_label("Reset the training data").click();
    wait_until(&mut h, "the reset", |a| {
        a.message().is_some_and(|m| m.contains("was reset"))
            && a.overview().is_some_and(|o| o.unmatched.len() == 1)
            && a.training_stories().is_some()
    });
    assert_eq!(h.state().screen(), Screen::Training);
    assert!(h.state().person().is_none(), "the open record closed");
}

#[test]
fn outside_training_there_is_no_panel_and_no_reset() {
    let mut store = Store::open_in_memory().unwrap();
    let bundle = br#"{"format": "joinedup-bundle", "version": 1, "people": [
        {"nhs_number": "9990000018", "source": "PAS", "given_name": "Ann", "family_name": "Real"}]}"#;
    let parsed = joinedup::import::parse_bytes("real.json", bundle, Default::default()).unwrap();
    store
        .apply_import(&parsed.batch, chrono::Local::now().naive_local())
        .unwrap();
    for role in [Role::Trainer, Role::InformationGovernanceLead] {
        let mut h = common::harness_with(Store::open_in_memory().unwrap(), common::config(false, role));
        wait_until(&mut h, "overview", |a| a.overview().is_some());
        assert!(h.query_by_label("Training stories").is_none(), "{role:?}");
        assert!(h.query_by_label("Reset training data…").is_none(), "{role:?}");
    }
    let mut h = common::harness_with(store, common::config(false, Role::Trainer));
    wait_until(&mut h, "overview", |a| a.overview().is_some_and(|o| o.people == 1));
    h.state_mut().apply(Command::Navigate(Screen::Training));
    settle(&mut h);
    assert_ne!(h.state().screen(), Screen::Training);
    h.state_mut().apply(Command::ResetTraining);
    for _ in 0..30 {
        h.step();
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    assert_eq!(h.state().overview().unwrap().people, 1, "the records stay");
    assert!(h.state().training_stories().is_none());
    assert!(!h.state().message().is_some_and(|m| m.contains("was reset")));
}
