//! The search view's result rows (issue 17 item 8, SAFETY.md H33) under
//! egui_kittest: markers for in hospital and restricted, a restricted person's
//! address held back, and a wrong check digit never revealing the right one.

mod common;

use std::time::Duration;

use common::{wait_for_training, wait_until};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use joinedup::domain::governance::Role;
use joinedup::store::Store;
use joinedup::ui::JoinedUpApp;

fn harness() -> Harness<'static, JoinedUpApp> {
    let mut h = common::harness_with(
        Store::open_in_memory().expect("store"),
        common::config(true, Role::CareCoordinator),
    );
    wait_for_training(&mut h);
    h
}

/// Type `text` in the search box and wait for "N found".
fn search(h: &mut Harness<'static, JoinedUpApp>, text: &str) {
    let search = h.get_by_label("Search by NHS number or name");
    search.focus();
    search.type_text(text);
    wait_until(h, "search results", |_| true);
    for _ in 0..100 {
        h.step();
        if h.query_by_label_contains(" found").is_some() {
            return;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    panic!("no results for {text:?}");
}

#[test]
fn rows_carry_markers_sex_and_address() {
    let mut h = harness();
    // Margaret Okafor is on Elm Ward in the training story.
    search(&mut h, "okafor");
    h.get_by_label("OKAFOR, Margaret");
    h.get_by_label("in hospital");
    h.get_by_label("Female");
    h.get_by_label_contains("14 Mill Lane");
}

#[test]
fn restricted_person_row_says_so() {
    let mut h = harness();
    // Lisa Morgan is the training story's restricted person.
    search(&mut h, "lisa morgan");
    h.get_by_label("held back (restricted)");
    // The marker beside the name, and the address cell.
    assert_eq!(h.get_all_by_label_contains("restricted").count(), 2);
}

#[test]
fn wrong_check_digit_never_shows_the_right_one() {
    let mut h = harness();
    let search = h.get_by_label("Search by NHS number or name");
    search.focus();
    // 987 654 432 1: the right check digit would be 2.
    search.type_text("9876544321");
    h.step();
    h.step();
    h.get_by_label_contains("Not a valid NHS number");
    assert!(h.query_by_label_contains("should be").is_none());
    assert!(h.query_by_label_contains("987 654 4322").is_none());
}

/// Issue 17 item 8: a user who starts on "Find a person" types at once, without a
/// click (Ctrl+F and Ctrl+K from other screens: `tests/ui_worklist.rs`).
#[test]
fn the_search_box_has_the_keyboard_at_start() {
    let mut h = common::harness_on_first_screen(
        Store::open_in_memory().expect("store"),
        common::config(true, Role::Tester),
    );
    wait_for_training(&mut h);
    assert_eq!(h.state().screen(), joinedup::ui::Screen::Search);
    assert!(h.get_by_label("Search by NHS number or name").is_focused());
    h.get_by_label("Search by NHS number or name").type_text("9990000018");
    wait_until(&mut h, "Margaret Okafor", |a| a.person().is_some());
}
