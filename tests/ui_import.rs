//! The import dialog under egui_kittest (issue 17 item 10): a file with rejected
//! rows is previewed before anything is written (who comes in, new or matched, the
//! rows rejected and why); "Cancel" keeps nothing of it, and "Import valid rows"
//! writes the valid ones and says what was done. A restricted person is named, their
//! items counted and never titled. The built-in file picker opens the file.

mod common;

use std::path::PathBuf;

use common::wait_until;
use egui_kittest::kittest::Queryable;
use joinedup::domain::governance::Role;
use joinedup::store::Store;
use joinedup::ui::Command;

fn with_errors() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/bundle-with-errors.json")
}

#[test]
fn a_file_with_rejected_rows_is_previewed_then_cancelled_or_imported() {
    let mut h = common::harness_with(
        Store::open_in_memory().expect("store"),
        common::config(false, Role::CareCoordinator),
    );
    wait_until(&mut h, "the overview", |a| a.overview().is_some());
    assert_eq!(h.state().overview().map(|o| o.people), Some(0));

    // Cancel: nothing of the file is written.
    h.state_mut().apply(Command::ImportFiles(vec![with_errors()]));
    for _ in 0..200 {
        h.step();
        if h.query_by_label("Cancel").is_some() && h.query_by_label("Import valid rows").is_some() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    h.get_by_label_contains("bundle-with-errors.json: 1 people");
    // Who comes in: the one valid person, new here; the rejected rows with reasons.
    h.get_by_label("PERSON, Valid");
    h.get_by_label("999 000 0018");
    h.get_by_label("01-Jan-1940");
    h.get_by_label("New");
    h.get_by_label_contains("Rejected rows (");
    h.get_by_label_contains("(ref E2)");
    // The window settles its size over a few frames before a click lands.
    common::settle(&mut h);
    h.get_by_label("Cancel").click();
    h.step();
    h.step();
    assert!(h.query_by_label("Import valid rows").is_none(), "the dialog is closed");
    h.state_mut().apply(Command::Navigate(joinedup::ui::Screen::Search));
    common::settle(&mut h);
    assert_eq!(h.state().overview().map(|o| o.people), Some(0), "cancel keeps nothing");

    // Import valid rows: the valid person is stored and the dialog says so at once.
    h.state_mut().apply(Command::ImportFiles(vec![with_errors()]));
    wait_for_review(&mut h);
    h.get_by_label("Import valid rows").click();
    for _ in 0..300 {
        h.step();
        if h.query_by_label("Close").is_some() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    h.get_by_label_contains("1 people and 1 items added");
    h.get_by_label("Close").click();
    wait_until(&mut h, "the person imported", |a| {
        a.overview().is_some_and(|o| o.people == 1)
    });

    // The same file again: the person is matched to the record now here.
    h.state_mut().apply(Command::ImportFiles(vec![with_errors()]));
    wait_for_review(&mut h);
    h.get_by_label("Matches a record here");
    h.get_by_label("Cancel").click();
}

/// Step until the preview's buttons show.
fn wait_for_review(h: &mut egui_kittest::Harness<'static, joinedup::ui::JoinedUpApp>) {
    for _ in 0..300 {
        h.step();
        if h.query_by_label("Import valid rows").is_some() {
            common::settle(h);
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    panic!("no preview");
}

/// A restricted person and a sensitive item: names shown, items counted, no title.
const RESTRICTED: &str = r#"{"format": "joinedup-bundle", "version": 1, "people": [
  {"nhs_number": "9990000093", "source": "Test PAS", "given_name": "Lisa", "family_name": "Morgan",
   "date_of_birth": "1982-03-09", "restricted": true,
   "episodes": [{"ref": "R-1", "kind": "social_care_request", "title": "Refuge placement request",
                 "start": "2026-11-01T09:00"}]},
  {"nhs_number": "9990001014", "source": "Test PAS", "given_name": "Ada", "family_name": "Test",
   "episodes": [{"ref": "R-2", "kind": "outpatient", "title": "Genitourinary clinic", "start": "2026-11-02T09:00",
                 "sensitivity": "sexual_health"}]}]}"#;

#[test]
fn the_preview_names_a_restricted_person_and_no_restricted_item() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("restricted.json");
    std::fs::write(&file, RESTRICTED).unwrap();
    let mut h = common::harness_with(
        Store::open_in_memory().expect("store"),
        common::config(false, Role::CareCoordinator),
    );
    wait_until(&mut h, "the overview", |a| a.overview().is_some());
    h.state_mut().apply(Command::ImportFiles(vec![file]));
    wait_for_review(&mut h);
    h.get_by_label("MORGAN, Lisa");
    h.get_by_label("999 000 0093");
    h.get_by_label("09-Mar-1982");
    h.get_by_label("Restricted");
    h.get_by_label("TEST, Ada");
    assert_eq!(
        h.get_all_by_label("1 (1 restricted)").count(),
        2,
        "both items counted as restricted"
    );
    for title in ["Refuge", "Genitourinary", "placement"] {
        assert!(h.query_by_label_contains(title).is_none(), "{title} is shown");
    }
    // The keyboard is on the choice that writes nothing; Shift+Tab reaches the import.
    assert!(h.get_by_label("Cancel").is_focused());
    h.key_press_modifiers(egui::Modifiers::SHIFT, egui::Key::Tab);
    h.step();
    assert!(h.get_by_label("Import valid rows").is_focused());
    // Escape is Cancel: nothing written.
    h.key_press(egui::Key::Escape);
    h.step();
    h.step();
    assert!(h.query_by_label("Import valid rows").is_none(), "the dialog is closed");
    h.state_mut().apply(Command::Navigate(joinedup::ui::Screen::Search));
    common::settle(&mut h);
    assert_eq!(h.state().overview().map(|o| o.people), Some(0), "cancel keeps nothing");
}

#[test]
fn the_built_in_picker_opens_a_file_for_the_preview() {
    let state = joinedup::ui::UiState {
        last_folder: Some(with_errors().parent().unwrap().to_path_buf()),
        ..Default::default()
    };
    let app = joinedup::ui::JoinedUpApp::with_store(
        &egui::Context::default(),
        Store::open_in_memory().expect("store"),
        common::config(false, Role::CareCoordinator),
        state,
    );
    let mut h = egui_kittest::Harness::builder()
        .with_size(egui::vec2(1400.0, 900.0))
        .build_ui_state(|ui, app: &mut joinedup::ui::JoinedUpApp| app.ui_root(ui), app);
    h.step();
    h.state_mut().apply(Command::BrowseToImport);
    common::settle(&mut h);
    h.get_by_label("bundle-with-errors.json").click();
    common::settle(&mut h);
    h.get_by_label("bundle-with-errors.json").click();
    wait_for_review(&mut h);
    h.get_by_label("PERSON, Valid");
    assert_eq!(
        h.state().ui_state().last_folder.as_deref(),
        std::fs::canonicalize(with_errors().parent().unwrap()).ok().as_deref(),
        "the folder is kept for next time"
    );
}

#[test]
fn rejected_rows_are_saved_through_the_built_in_picker_and_never_over_a_file_unasked() {
    let dir = tempfile::tempdir().unwrap();
    let state = joinedup::ui::UiState {
        last_folder: Some(dir.path().to_path_buf()),
        ..Default::default()
    };
    let mut app = joinedup::ui::JoinedUpApp::with_store(
        &egui::Context::default(),
        Store::open_in_memory().expect("store"),
        common::config(false, Role::CareCoordinator),
        state,
    );
    app.use_built_in_file_picker();
    let mut h = egui_kittest::Harness::builder()
        .with_size(egui::vec2(1400.0, 900.0))
        .build_ui_state(|ui, app: &mut joinedup::ui::JoinedUpApp| app.ui_root(ui), app);
    h.step();
    h.state_mut().apply(Command::ImportFiles(vec![with_errors()]));
    wait_for_review(&mut h);
    h.get_by_label("Save rejected rows…").click();
    common::settle(&mut h);
    assert!(
        h.get_by_label("File name").is_focused(),
        "the name box has the keyboard"
    );
    h.get_by_label("Save").click();
    wait_until(&mut h, "the file saved", |a| {
        a.message().is_some_and(|m| m.starts_with("Saved"))
    });
    let saved = std::fs::read_to_string(dir.path().join("rejected-rows.csv")).unwrap();
    assert!(saved.contains("(ref E2)"), "{saved}");

    // Again: the file is there, and it is kept unless "Replace" is pressed.
    std::fs::write(dir.path().join("rejected-rows.csv"), "kept").unwrap();
    h.get_by_label("Save rejected rows…").click();
    common::settle(&mut h);
    h.get_by_label("Save").click();
    common::settle(&mut h);
    h.get_by_label_contains("rejected-rows.csv already exists");
    h.get_by_label("Keep it").click();
    common::settle(&mut h);
    h.key_press(egui::Key::Escape);
    common::settle(&mut h);
    assert!(h.query_by_label("File name").is_none(), "the picker is closed");
    h.get_by_label("Import valid rows");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("rejected-rows.csv")).unwrap(),
        "kept"
    );
}
