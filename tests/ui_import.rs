//! The import dialog under egui_kittest (issue 17 item 10): a file with rejected
//! rows is previewed before anything is written; "Cancel" keeps nothing of it, and
//! "Import valid rows" writes the valid ones and says what was done.

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
        if h.query_by_label("Cancel").is_some() && h.query_by_label_contains("Import valid rows").is_some() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    h.get_by_label_contains("bundle-with-errors.json: 1 people");
    h.get_by_label_contains("Import valid rows (");
    h.get_by_label("Cancel").click();
    h.step();
    h.step();
    assert!(
        h.query_by_label_contains("Import valid rows").is_none(),
        "the dialog is closed"
    );
    h.state_mut().apply(Command::Navigate(joinedup::ui::Screen::Search));
    common::settle(&mut h);
    assert_eq!(h.state().overview().map(|o| o.people), Some(0), "cancel keeps nothing");

    // Import valid rows: the valid person is stored and the dialog says so at once.
    h.state_mut().apply(Command::ImportFiles(vec![with_errors()]));
    for _ in 0..200 {
        h.step();
        if h.query_by_label_contains("Import valid rows").is_some() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    h.get_by_label_contains("Import valid rows (").click();
    for _ in 0..300 {
        h.step();
        if h.query_by_label("Close").is_some() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    h.get_by_label("Close").click();
    wait_until(&mut h, "the person imported", |a| {
        a.overview().is_some_and(|o| o.people == 1)
    });
}
