//! Headless UI tests for "trust in one place": changes to a hospital stay are
//! deliberate (read-only until Edit, nothing sent until Save), a reason for seeing
//! restricted items is picked or typed and checked where it is typed, and
//! restricted items, plans and board rows never name what they hide.

mod common;

use std::time::Duration;

use common::{open_by_nhs, settle, wait_for_training, wait_until};
use egui_kittest::Harness;
use egui_kittest::kittest::{By, NodeT, Queryable};
use joinedup::domain::governance::{COMMON_REASONS, Role};
use joinedup::store::Store;
use joinedup::ui::{JoinedUpApp, Screen};

fn harness_with(store: Store) -> Harness<'static, JoinedUpApp> {
    common::harness_with(store, common::config(true, Role::CareCoordinator))
}

fn training_harness() -> Harness<'static, JoinedUpApp> {
    harness_with(Store::open_in_memory().expect("store"))
}

fn is_disabled(h: &Harness<'_, JoinedUpApp>, label: &str) -> bool {
    h.get_by_label(label).accesskit_node().is_disabled()
}

/// Every node whose label, value or description holds `text` (case-insensitive):
/// the whole accessibility tree, not only labels.
fn nodes_mentioning(h: &Harness<'_, JoinedUpApp>, text: &str) -> Vec<String> {
    let text = text.to_lowercase();
    h.query_all(By::new().predicate(move |n| {
        [n.label(), n.value(), n.description()]
            .into_iter()
            .flatten()
            .any(|s| s.to_lowercase().contains(&text))
    }))
    .map(|n| format!("{:?}", n.accesskit_node().label().or(n.accesskit_node().value())))
    .collect()
}

fn pathway(h: &Harness<'_, JoinedUpApp>) -> Option<u8> {
    h.state()
        .person()
        .and_then(|p| p.record.spells.iter().find(|s| s.discharged.is_none()))
        .and_then(|s| s.pathway)
}

/// Joan Baker (pathway 2, one delay reason): the panel is read-only until Edit;
/// Cancel sends nothing; Save sends what changed, and the record comes back with it
/// and with the change in "Who has looked at this record".
#[test]
fn the_discharge_panel_changes_only_on_edit_and_save() {
    let mut h = training_harness();
    wait_for_training(&mut h);
    open_by_nhs(&mut h, "9990000131");
    h.get_by_label_contains("In hospital: Northgate General Hospital, Oak Ward");
    h.get_by_label("Read-only: press Edit to change this stay.");
    for input in [
        "Pathway",
        "Next action",
        "Owner",
        "Reason",
        "Reason owner",
        "Add a reason:",
    ] {
        assert!(is_disabled(&h, input), "{input} is read-only before Edit");
    }
    assert!(h.query_by_label("Save").is_none());
    assert!(h.query_by_label("Close reason").is_none());
    assert_eq!(pathway(&h), Some(2));

    // Edit, change the pathway and the next action, then Cancel: nothing is sent.
    h.get_by_label("Edit").click();
    settle(&mut h);
    assert!(!is_disabled(&h, "Pathway"));
    assert!(is_disabled(&h, "Save"), "nothing changed yet");
    h.get_by_label("Editing: no changes yet");
    h.get_by_label("Pathway").click();
    settle(&mut h);
    h.get_by_label("Pathway 3").click();
    settle(&mut h);
    let next = h.get_by_label("Next action");
    next.focus();
    next.type_text(" and book transport");
    settle(&mut h);
    h.get_by_label("Editing: 2 changes, not saved until you press Save");
    h.get_by_label("Cancel").click();
    settle(&mut h);
    h.get_by_label("Read-only: press Edit to change this stay.");
    assert!(is_disabled(&h, "Pathway"));
    std::thread::sleep(Duration::from_millis(300));
    settle(&mut h);
    let p = h.state().person().expect("loaded");
    assert!(p.spell_changes.is_empty(), "Cancel sent nothing: {:?}", p.spell_changes);
    assert!(!p.access.iter().any(|e| e.action == "change_spell"));
    assert_eq!(pathway(&h), Some(2));
    assert_eq!(
        h.get_by_label("Pathway").accesskit_node().value().as_deref(),
        Some("Pathway 2")
    );

    // Edit again: pathway 3, close the reason, add one; Save sends them.
    h.get_by_label("Edit").click();
    settle(&mut h);
    h.get_by_label("Pathway").click();
    settle(&mut h);
    h.get_by_label("Pathway 3").click();
    settle(&mut h);
    h.get_by_label("Close reason").click();
    settle(&mut h);
    let reason = h.get_by_label("Reason");
    reason.focus();
    reason.type_text("Family want to visit the rehab unit first");
    settle(&mut h);
    h.get_by_label("Add reason").click();
    settle(&mut h);
    h.get_by_label_contains("New: Family want to visit the rehab unit first [NHS]");
    h.get_by_label("Editing: 3 changes, not saved until you press Save");
    // Still nothing stored.
    assert_eq!(pathway(&h), Some(2));
    h.get_by_label("Save").click();
    wait_until(&mut h, "the saved changes", |a| {
        a.person().is_some_and(|p| {
            p.record.spells.iter().any(|s| {
                s.pathway == Some(3)
                    && s.delay_reasons.len() == 1
                    && s.delay_reasons[0].description == "Family want to visit the rehab unit first"
            })
        })
    });
    h.get_by_label("Read-only: press Edit to change this stay.");
    assert_eq!(
        h.get_by_label("Pathway").accesskit_node().value().as_deref(),
        Some("Pathway 3")
    );
    h.get_by_label_contains("Family want to visit the rehab unit first since");
    h.get_by_label("Delay reasons (1)");
    // Saved together: one transaction, one audit event that says all three in words.
    let events: Vec<String> = h
        .state()
        .person()
        .expect("loaded")
        .access
        .iter()
        .filter(|e| e.action == "change_spell")
        .map(|e| e.detail.clone())
        .collect();
    assert_eq!(events.len(), 1, "{events:?}");
    for words in ["pathway changed from pathway 2 to pathway 3", "closed on", "added ("] {
        assert!(events[0].contains(words), "{words} missing: {}", events[0]);
    }
    h.get_by_label_contains("Changed a hospital stay's discharge facts: changed hospital stay");
}

/// Lisa Morgan is a restricted person. Before a reason, her plan is "Restricted plan"
/// and nothing on screen says "protection"; a one-word reason keeps the button
/// disabled and says why; a common reason fills the box, and Enter shows the record.
#[test]
fn a_reason_is_picked_or_typed_and_checked_where_it_is_typed() {
    let mut h = training_harness();
    wait_for_training(&mut h);
    open_by_nhs(&mut h, "9990000093");
    assert_eq!(nodes_mentioning(&h, "protection"), Vec::<String>::new());
    // The canvas draws its Safeguarding lane on every record, empty here: the
    // lane's name is the only "Safeguarding" (the hidden items are in the
    // Restricted lanes), and nothing else names one.
    let safeguarding: Vec<Option<String>> = h
        .query_all_by_label_contains("Safeguarding")
        .map(|n| n.accesskit_node().value())
        .collect();
    assert_eq!(
        safeguarding,
        vec![Some("Safeguarding".to_owned())],
        "no lane named for a hidden item"
    );
    h.get_by_label("Care plans").click();
    settle(&mut h);
    h.get_by_label("Restricted plan");
    h.get_by_label("Social care");
    h.get_by_label("Restricted: give a reason on the record to see it.");
    h.get_by_label("Care plans (0 current, 1 restricted)");
    assert!(h.query_by_label_contains("No action is linked").is_none());
    assert_eq!(nodes_mentioning(&h, "protection"), Vec::<String>::new());

    h.get_by_label("Record").click();
    settle(&mut h);
    assert!(is_disabled(&h, "Show restricted items"), "no reason yet");
    h.get_by_label_contains("A reason is needed");
    let reason = h.get_by_label("Reason for access");
    reason.focus();
    reason.type_text("safeguarding");
    settle(&mut h);
    assert!(is_disabled(&h, "Show restricted items"), "one word is not a reason");
    h.get_by_label_contains("\"safeguarding\" is too short for a reason");
    // Enter on a refused reason sends nothing.
    h.key_press(egui::Key::Enter);
    settle(&mut h);
    assert!(!h.state().person().expect("loaded").revealed);

    h.get_by_label("Common reason").click();
    settle(&mut h);
    h.get_by_label(COMMON_REASONS[0]).click();
    settle(&mut h);
    let reason = h.get_by_label("Reason for access");
    assert_eq!(reason.accesskit_node().value().as_deref(), Some(COMMON_REASONS[0]));
    assert!(reason.accesskit_node().is_focused(), "the box is ready for Enter");
    assert!(!is_disabled(&h, "Show restricted items"));
    h.key_press(egui::Key::Enter);
    wait_until(&mut h, "the reveal", |a| a.person().is_some_and(|p| p.revealed));
    h.get_by_label(&format!("    reason: {}", COMMON_REASONS[0]));
    h.get_by_label_contains("Safeguarding enquiry (section 42)");
    h.get_by_label("Care plans").click();
    settle(&mut h);
    h.get_by_label("Safeguarding protection plan");
    assert!(h.query_by_label("Restricted plan").is_none());
    assert_eq!(h.state().screen(), Screen::Plans);
}

/// A restricted inpatient stays on the board and in its counts, marked
/// "restricted", without the hospital, ward or delay reasons; opening the row opens
/// the record, where the reason flow applies.
#[test]
fn a_restricted_inpatient_is_counted_and_masked_on_the_board() {
    let mut store = Store::open_in_memory().expect("store");
    let now = chrono::Local::now().naive_local();
    joinedup::training::prepare(&mut store, now.date(), now).expect("seeded");
    store
        .connection()
        .execute(
            "UPDATE person SET is_restricted = 1 WHERE nhs_number = '9990000018'",
            [],
        )
        .expect("restricted");
    let mut h = harness_with(store);
    wait_for_training(&mut h);
    h.get_by_label("Discharge board").click();
    wait_until(&mut h, "board", |a| a.board().is_some());
    h.get_by_label("3 of 3 people in hospital");
    h.get_by_label("OKAFOR, Margaret");
    // The marker beside her name, then next action, owner (a column each since the
    // board put them first), social care, CHC, hospital and ward.
    assert_eq!(h.get_all_by_label("restricted").count(), 7, "{:?}", labels(&h));
    assert_eq!(
        h.get_all_by_label("Northgate General Hospital").count(),
        2,
        "the other two rows only"
    );
    assert!(h.query_by_label_contains("Awaiting home care package").is_none());
    assert!(h.query_by_label_contains("Awaiting profiling bed delivery").is_none());
    // Her 10 days are still counted in the summary.
    h.get_by_label("10 d");
    h.get_by_label("OKAFOR, Margaret").click_accesskit();
    wait_until(&mut h, "Margaret Okafor's record", |a| {
        a.person().is_some_and(|p| p.record.person.is_restricted)
    });
    assert_eq!(h.state().screen(), Screen::Person);
    h.get_by_label_contains("This is a restricted record: every item is hidden.");
    assert!(
        h.query_by_label_contains("In hospital:").is_none(),
        "no discharge panel before a reason"
    );
    assert!(h.query_by_label_contains("fractured wrist").is_none());
}

fn labels(h: &Harness<'_, JoinedUpApp>) -> Vec<String> {
    h.query_all(By::new().predicate(|_| true))
        .filter_map(|n| n.accesskit_node().value().or(n.accesskit_node().label()))
        .collect()
}
