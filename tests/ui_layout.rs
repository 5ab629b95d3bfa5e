//! A layout that stays still (issue 17 item 2): the toolbar's buttons are in the
//! same place for a person with alerts and a stay in hospital as for one without,
//! collapsing the discharge panel moves no control, and the detail pane keeps the
//! width the user dragged it to, between records and between runs (headless,
//! egui_kittest, 1280 by 800).

mod common;

use common::{open_by_nhs, settle, wait_for_training};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use joinedup::domain::governance::Role;
use joinedup::store::Store;
use joinedup::ui::{Command, JoinedUpApp, Screen, UiState};

/// The controls that must not move: the toolbar's, the presets', and Follow.
const STILL: [&str; 7] = [
    "Close record",
    "Export record…",
    "Print summary…",
    "72 hours",
    "1 year",
    "All",
    "Follow",
];

/// The training window at 1280 by 800 on "Find a person", starting from `state`.
fn harness(state: UiState) -> Harness<'static, JoinedUpApp> {
    let config = common::config(true, Role::CareCoordinator);
    let app = JoinedUpApp::with_store(
        &egui::Context::default(),
        Store::open_in_memory().unwrap(),
        config,
        state,
    );
    let mut h = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .build_ui_state(|ui, app: &mut JoinedUpApp| app.ui_root(ui), app);
    h.step();
    h.state_mut().apply(Command::Navigate(Screen::Search));
    settle(&mut h);
    wait_for_training(&mut h);
    h
}

/// Where each still control is, the pointer away (a hovered button may draw larger).
fn rects(h: &mut Harness<'_, JoinedUpApp>) -> Vec<egui::Rect> {
    h.remove_cursor();
    settle(h);
    STILL.iter().map(|l| h.get_by_label(l).rect()).collect()
}

/// The same place and height (a label's width may differ by a rounding point).
fn assert_still(label: &str, a: &egui::Rect, b: &egui::Rect) {
    assert_eq!(a.min, b.min, "{label} moved: {a:?} then {b:?}");
    assert_eq!(a.height(), b.height(), "{label} changed height");
    assert!(
        (a.width() - b.width()).abs() <= 1.0,
        "{label} changed width: {a:?} then {b:?}"
    );
}

fn close(h: &mut Harness<'_, JoinedUpApp>) {
    h.get_by_label("Close record").click();
    settle(h);
}

#[test]
fn the_toolbar_is_in_the_same_place_with_or_without_alerts_and_a_stay() {
    let mut h = harness(UiState::default());
    // Okafor: two alerts and in hospital now (the discharge panel is open).
    open_by_nhs(&mut h, "9990000018");
    settle(&mut h);
    h.get_by_label_contains("Lives alone");
    h.get_by_label_contains("In hospital:");
    let with_alerts = rects(&mut h);
    close(&mut h);
    // Bennett: no alerts, not in hospital.
    open_by_nhs(&mut h, "9990000026");
    settle(&mut h);
    h.get_by_label("No alerts recorded");
    assert!(h.query_by_label_contains("In hospital:").is_none());
    let without = rects(&mut h);
    for ((label, a), b) in STILL.iter().zip(&with_alerts).zip(&without) {
        assert_still(label, a, b);
    }
}

#[test]
fn collapsing_the_discharge_panel_moves_no_control() {
    let mut h = harness(UiState::default());
    open_by_nhs(&mut h, "9990000018");
    settle(&mut h);
    h.get_by_label("Edit");
    let open = rects(&mut h);
    h.get_by_label_contains("In hospital:").click();
    settle(&mut h);
    assert!(h.query_by_label("Edit").is_none(), "the panel collapsed");
    let collapsed = rects(&mut h);
    for ((label, a), b) in STILL.iter().zip(&open).zip(&collapsed) {
        assert_still(label, a, b);
    }
}

#[test]
fn the_detail_pane_keeps_its_width_between_records_and_runs() {
    let mut h = harness(UiState {
        detail_width: Some(420.0),
        ..UiState::default()
    });
    open_by_nhs(&mut h, "9990000026");
    settle(&mut h);
    let width = |h: &Harness<'_, JoinedUpApp>| h.state().ui_state().detail_width.expect("drawn");
    assert!((width(&h) - 420.0).abs() < 1.5, "the saved width: {}", width(&h));
    // Drag the pane's edge 100 points to the left.
    let edge = egui::pos2(1280.0 - width(&h), 400.0);
    h.hover_at(edge);
    h.step();
    h.drag_at(edge);
    h.step();
    for dx in [20.0, 60.0, 100.0] {
        h.hover_at(edge - egui::vec2(dx, 0.0));
        h.step();
    }
    h.drop_at(edge - egui::vec2(100.0, 0.0));
    settle(&mut h);
    let dragged = width(&h);
    assert!(dragged > 480.0 && dragged < 530.0, "dragged to {dragged}");
    close(&mut h);
    open_by_nhs(&mut h, "9990000018");
    settle(&mut h);
    assert!((width(&h) - dragged).abs() < 0.5, "another record: {}", width(&h));
    // The next run starts from the saved state.
    let saved = h.state().ui_state().clone();
    let mut next = harness(saved);
    open_by_nhs(&mut next, "9990000026");
    settle(&mut next);
    let again = next.state().ui_state().detail_width.unwrap();
    assert!((again - dragged).abs() < 1.5, "the next run: {again}");
}
