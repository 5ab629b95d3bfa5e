//! Linking a record without an NHS number to a person is deliberate: the window asks
//! for confirmation, names both, and Cancel links nothing (headless, egui_kittest).

mod common;

use std::time::Duration;

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use joinedup::domain::governance::Role;
use joinedup::store::Store;
use joinedup::ui::{JoinedUpApp, Screen};

/// A council record of Margaret Okafor with no NHS number: a likely match for her.
const COUNCIL_RECORD: &str = r#"{"format": "joinedup-bundle", "version": 1, "people": [{
  "local_ids": [{"source": "Westmere Council Adult Social Care", "id": "ASC-555001"}],
  "source": "Westmere Council Adult Social Care", "given_name": "Margaret", "family_name": "Okafor",
  "date_of_birth": "1942-02-14", "sex": "female", "postcode": "WM4 2QT",
  "episodes": [{"ref": "ASC-555001-R1", "kind": "social_care_request", "title": "Request: day centre",
                "start": "2026-06-01T10:00"}]}]}"#;

fn harness() -> Harness<'static, JoinedUpApp> {
    let mut store = Store::open_in_memory().expect("store");
    // Seeded as of today, as the window seeds it: it then keeps the extra record.
    let now = chrono::Local::now().naive_local();
    joinedup::training::prepare(&mut store, now.date(), now).unwrap();
    let parsed = joinedup::import::parse_bytes("council.json", COUNCIL_RECORD.as_bytes(), Default::default()).unwrap();
    assert!(parsed.rejections.is_empty(), "{:?}", parsed.rejections);
    store.apply_import(&parsed.batch, now).unwrap();
    common::harness_with(store, common::config(true, Role::CareCoordinator))
}

fn wait_until(h: &mut Harness<'_, JoinedUpApp>, what: &str, done: impl Fn(&mut Harness<'_, JoinedUpApp>) -> bool) {
    for _ in 0..600 {
        h.step();
        if done(h) {
            h.step();
            return;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    panic!("timed out waiting for {what}");
}

#[test]
fn a_link_is_confirmed_first_and_cancel_links_nothing() {
    let mut h = harness();
    wait_until(&mut h, "the overview", |h| h.state().overview().is_some());
    h.get_by_label("Sources and data quality").click();
    wait_until(&mut h, "sources", |h| h.state().screen() == Screen::Sources);
    wait_until(&mut h, "the matching queue", |h| {
        h.query_by_label("Find matches for OKAFOR, Margaret").is_some()
    });
    h.get_by_label("Find matches for OKAFOR, Margaret").click_accesskit();
    wait_until(&mut h, "a suggestion", |h| {
        h.query_by_label("Link to this person").is_some()
    });
    h.get_by_label("Link to this person").click_accesskit();
    wait_until(&mut h, "the confirmation", |h| {
        h.query_by_label("Link the records").is_some()
    });
    h.get_by_label("Link these records?");
    h.get_by_label_contains("can be undone");
    h.get_by_label("Cancel").click_accesskit();
    h.step();
    h.step();
    assert!(h.query_by_label("Link these records?").is_none());
    std::thread::sleep(Duration::from_millis(100));
    h.step();
    assert!(h.state().overview().unwrap().links.is_empty(), "Cancel linked nothing");
    h.get_by_label("Link to this person").click_accesskit();
    h.step();
    h.step();
    h.get_by_label("Link the records").click_accesskit();
    wait_until(&mut h, "the link", |h| {
        h.state().overview().is_some_and(|o| !o.links.is_empty())
    });
}
