//! The care plan editor (issue 17 item 4, SAFETY.md H49): on the plans screen "Edit
//! plan" opens the editor; an action's status and due date changed and a need
//! linked, Save makes the next version and the screen says which, when and by whom;
//! Cancel writes nothing. Headless, with egui_kittest.

mod common;

use common::{open_by_nhs, settle, wait_for_training, wait_until};
use egui_kittest::kittest::{NodeT, Queryable};
use joinedup::domain::care_plan::{ActionStatus, CarePlan};
use joinedup::domain::governance::Role;
use joinedup::store::Store;
use joinedup::ui::JoinedUpApp;

/// Rajesh Patel: a carer's support plan at version 2.
const PATEL: &str = "9990000085";

/// The newest version of Patel's plan, as the window holds it.
fn newest(a: &JoinedUpApp) -> Option<CarePlan> {
    a.person()?.record.care_plans.iter().max_by_key(|p| p.version).cloned()
}

/// Select all of a text field's text and type `text` over it.
fn retype(h: &mut egui_kittest::Harness<'_, JoinedUpApp>, label: &str, text: &str) {
    h.get_by_label(label).focus();
    h.step();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.step();
    h.get_by_label(label).type_text(text);
    settle(h);
}

#[test]
fn an_edited_plan_is_saved_as_the_next_version_and_cancel_writes_nothing() {
    let mut h = common::harness_with(
        Store::open_in_memory().expect("store"),
        common::config(true, Role::CareCoordinator),
    );
    wait_for_training(&mut h);
    open_by_nhs(&mut h, PATEL);
    h.get_by_label("Care plans").click();
    settle(&mut h);
    assert_eq!(newest(h.state()).map(|p| p.version), Some(2));
    h.get_by_label("Edit plan: Carer's support plan").click();
    settle(&mut h);
    h.get_by_label("Editing version 2; saving makes version 3, recorded now by you.");
    // The keyboard lands in the editor: its first goal has the focus.
    assert!(h.get_by_label("Goal 1").accesskit_node().is_focused());
    h.key_press(egui::Key::Tab);
    settle(&mut h);
    assert!(
        h.get_by_label("Remove goal 1").accesskit_node().is_focused(),
        "Tab moves through the editor"
    );
    // Night sitting (action 3): on hold, due on another day.
    h.get_by_label("Status of action 3").click();
    settle(&mut h);
    h.get_by_label("On hold").click();
    settle(&mut h);
    retype(&mut h, "Due date of action 3", "not a date");
    h.get_by_label_contains("action 3: the due date \"not a date\" is not a date");
    assert!(h.get_by_label("Save plan").accesskit_node().is_disabled());
    retype(&mut h, "Due date of action 3", "31-Dec-2030");
    // Registering as a carer (action 2) now meets the disturbed sleep.
    h.get_by_label("Action 2 meets Sleep disturbed most nights").click();
    settle(&mut h);
    assert!(!h.get_by_label("Save plan").accesskit_node().is_disabled());
    h.get_by_label("Save plan").click_accesskit();
    wait_until(&mut h, "version 3", |a| newest(a).is_some_and(|p| p.version == 3));
    let v3 = newest(h.state()).unwrap();
    let night = v3
        .actions
        .iter()
        .find(|a| a.description.starts_with("Night sitting"))
        .unwrap();
    assert_eq!(night.status, ActionStatus::OnHold);
    assert_eq!(night.due, chrono::NaiveDate::from_ymd_opt(2030, 12, 31));
    let register = v3
        .actions
        .iter()
        .find(|a| a.description.starts_with("Register"))
        .unwrap();
    assert_eq!(register.meets, vec!["N2"]);
    let today = joinedup::domain::dates::fmt_date(chrono::Local::now().date_naive());
    h.get_by_label(&format!(
        "Saved Carer's support plan: Version 3, recorded {today} by tester (Care coordinator, claimed) (Westmere hospital discharge team)"
    ));
    assert!(h.query_by_label("Save plan").is_none(), "the editor closed");

    // Cancel: the editor closes and nothing is written.
    h.get_by_label("Edit plan: Carer's support plan").click();
    settle(&mut h);
    h.get_by_label("Editing version 3; saving makes version 4, recorded now by you.");
    retype(&mut h, "Goal 1", "Something else entirely");
    h.get_by_label("Cancel").click_accesskit();
    settle(&mut h);
    assert!(h.query_by_label("Save plan").is_none(), "the editor closed");
    for _ in 0..20 {
        h.step();
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    assert_eq!(newest(h.state()).map(|p| p.version), Some(3));
    assert_eq!(newest(h.state()).unwrap().goals, v3.goals);
}
