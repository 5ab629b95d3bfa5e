//! The timeline canvas (issue 17 item 3) under egui_kittest: a bar wide enough
//! carries its title, cut short to its room, on its own lane; a narrow one none; a
//! restricted one only "Restricted"; the wheel and a pinch zoom about the date under
//! the pointer, the keys and buttons about today, from a day to a century; "Hide
//! empty lanes" (kept between runs) and words for a period with nothing in it; a
//! filter that hides the item selected on the canvas clears the selection. Every
//! text the canvas draws is a node of the accessibility tree, which is how these
//! tests (and a screen reader) read it.

mod common;

use chrono::{Duration, NaiveDateTime};
use common::{open_by_nhs, settle};
use egui::accesskit::Role;
use egui::{Event, Key, Rect};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use joinedup::domain::dates::fmt_date;
use joinedup::domain::governance::Role as UserRole;
use joinedup::store::Store;
use joinedup::ui::views::time_window::{MAX_SPAN_SECONDS, MIN_SPAN_SECONDS, from_ts};
use joinedup::ui::views::timeline::{LABEL_WIDTH, ts};
use joinedup::ui::views::timeline_items::RESTRICTED_LABEL;
use joinedup::ui::{JoinedUpApp, UiState};

const PRICE: &str = "9990002428";
const HOME_CARE: &str = "Home care: 4 calls a day";
const REABLEMENT: &str = "Reablement: six weeks of short visits after the fall at home";
const STAY: &str = "Admitted: fractured wrist";
const ENQUIRY: &str = "Safeguarding enquiry: financial abuse by a relative";

fn at(t: NaiveDateTime) -> String {
    t.format("%Y-%m-%dT%H:%M").to_string()
}

/// Ada Price: home care for the last 300 days (a wide bar), reablement a year ago
/// for a month (a bar too short for its long title), a two-day stay last week (a
/// sliver in a year), a GP review, and a safeguarding enquiry of 50 days
/// (restricted).
fn price_bundle(now: NaiveDateTime) -> String {
    let day = Duration::days(1);
    let episodes = [
        serde_json::json!({"ref": "RB-1", "kind": "social_care_service", "title": REABLEMENT,
            "start": at(now - day * 360), "end": at(now - day * 330), "status": "ended",
            "organisation": "Westmere Council"}),
        serde_json::json!({"ref": "SG-1", "kind": "safeguarding_enquiry", "title": ENQUIRY,
            "start": at(now - day * 200), "end": at(now - day * 150), "status": "completed",
            "organisation": "Westmere Council"}),
        serde_json::json!({"ref": "SVC-1", "kind": "social_care_service", "title": HOME_CARE,
            "start": at(now - day * 300), "status": "active", "organisation": "Westmere Council"}),
        serde_json::json!({"ref": "GP-1", "kind": "gp_encounter", "title": "GP review",
            "start": at(now - day * 100), "organisation": "Ashby Lane Surgery"}),
        serde_json::json!({"ref": "IP-1", "kind": "inpatient_spell", "title": STAY,
            "start": at(now - day * 10), "end": at(now - day * 8), "status": "completed",
            "organisation": "Northgate General Hospital"}),
    ];
    serde_json::json!({"format": "joinedup-bundle", "version": 1, "people": [{
        "nhs_number": PRICE, "source": "Westmere Council Adult Social Care", "given_name": "Ada",
        "family_name": "Price", "date_of_birth": "1941-07-19", "sex": "female", "episodes": episodes}]})
    .to_string()
}

fn harness(state: UiState) -> Harness<'static, JoinedUpApp> {
    let mut store = Store::open_in_memory().expect("store");
    let now = chrono::Local::now().naive_local();
    let bundle = price_bundle(now);
    let parsed = joinedup::import::parse_bytes("price.json", bundle.as_bytes(), Default::default()).expect("parse");
    assert!(parsed.rejections.is_empty(), "{:?}", parsed.rejections);
    store.apply_import(&parsed.batch, now).expect("import");
    let app = JoinedUpApp::with_store(
        &egui::Context::default(),
        store,
        common::config(true, UserRole::CareCoordinator),
        state,
    );
    let mut h = Harness::builder()
        // Tall enough for every lane above the list.
        .with_size(egui::vec2(1400.0, 1100.0))
        .build_ui_state(|ui, app: &mut JoinedUpApp| app.ui_root(ui), app);
    h.step();
    h.state_mut()
        .apply(joinedup::ui::Command::Navigate(joinedup::ui::Screen::Search));
    h.step();
    h
}

fn opened(state: UiState) -> Harness<'static, JoinedUpApp> {
    let mut h = harness(state);
    open_by_nhs(&mut h, PRICE);
    settle(&mut h);
    h
}

/// The canvas, as far as it is on screen (above the findings and the list).
fn canvas(h: &Harness<'static, JoinedUpApp>) -> Rect {
    let rect = h.get_by_role_and_label(Role::Canvas, "Timeline").rect();
    let below = h.get_by_label_contains("Cross-sector findings").rect().top();
    Rect::from_min_max(rect.min, egui::pos2(rect.right(), rect.bottom().min(below)))
}

/// Every text drawn on the canvas, with where it is.
fn canvas_texts(h: &Harness<'static, JoinedUpApp>) -> Vec<(String, Rect)> {
    let area = canvas(h);
    h.get_all_by_role(Role::Label)
        .filter(|n| area.contains(n.rect().center()))
        .filter_map(|n| n.accesskit_node().value().map(|v| (v, n.rect())))
        .collect()
}

fn drawn(h: &Harness<'static, JoinedUpApp>, text: &str) -> Option<Rect> {
    canvas_texts(h).into_iter().find(|(t, _)| t == text).map(|(_, r)| r)
}

fn id_of(h: &Harness<'static, JoinedUpApp>, title: &str) -> i64 {
    let person = h.state().person().expect("record");
    person
        .record
        .episodes
        .iter()
        .find(|e| e.title == title)
        .expect(title)
        .id
}

/// The plot's left edge and width on screen.
fn plot(h: &Harness<'static, JoinedUpApp>) -> (f32, f32) {
    let rect = h.get_by_role_and_label(Role::Canvas, "Timeline").rect();
    (rect.left() + LABEL_WIDTH, rect.width() - LABEL_WIDTH)
}

fn span_days(h: &Harness<'static, JoinedUpApp>) -> f64 {
    let w = h.state().person_view().window;
    (w.end - w.start) / 86400.0
}

#[test]
fn a_wide_bar_carries_its_title_on_its_lane_and_a_narrow_one_none() {
    let mut h = opened(UiState::default());
    let home_care = drawn(&h, HOME_CARE).expect("the package's whole title on its bar");
    let services = drawn(&h, "Services and packages").expect("the lane's name");
    assert!(
        (home_care.center().y - services.center().y).abs() < 1.0,
        "on the row of its own lane"
    );
    let (left, _) = plot(&h);
    assert!(home_care.left() >= left, "inside the plot, not over the lane names");
    // The month of reablement is too short for its title: cut with an ellipsis.
    let (cut, cut_at) = canvas_texts(&h)
        .into_iter()
        .find(|(t, _)| t.starts_with("Reabl"))
        .expect("the reablement bar's label");
    assert!(cut.ends_with('…') && cut.len() < REABLEMENT.len(), "{cut}");
    assert!(REABLEMENT.starts_with(cut.trim_end_matches('…')), "{cut}");
    assert!((cut_at.center().y - services.center().y).abs() < 1.0);
    // The pointer over it shows the whole title, with its period and status.
    h.hover_at(cut_at.center());
    for _ in 0..40 {
        h.step();
    }
    assert!(
        h.query_all_by_label_contains(REABLEMENT)
            .any(|n| n.accesskit_node().value().is_some_and(|v| v.contains('\n'))),
        "the hover text"
    );
    h.remove_cursor();
    h.step();
    // Two days in a year is a sliver: no label, until the window is 14 days.
    assert!(drawn(&h, STAY).is_none(), "{:?}", canvas_texts(&h));
    h.get_by_label("14 days").click();
    settle(&mut h);
    let (words, stay) = canvas_texts(&h)
        .into_iter()
        .find(|(t, _)| t.starts_with("Admitted"))
        .unwrap_or_else(|| panic!("the stay labelled at 14 days: {:?}", canvas_texts(&h)));
    assert!(STAY.starts_with(words.trim_end_matches('…')), "{words}");
    let hospital = drawn(&h, "Hospital").expect("the lane's name");
    assert!((stay.center().y - hospital.center().y).abs() < 1.0);
    assert!(
        drawn(&h, HOME_CARE).is_some(),
        "the package, begun before the window, labelled in view"
    );
}

/// Before a reason only "Restricted"; after one, what the service now discloses.
#[test]
fn a_restricted_bar_says_restricted_and_nothing_of_its_title() {
    let mut h = opened(UiState::default());
    let label = drawn(&h, RESTRICTED_LABEL).expect("the placeholder's bar labelled");
    let lane = drawn(&h, "Restricted (social care)").expect("its lane");
    assert!((label.center().y - lane.center().y).abs() < 1.0);
    // Nothing on the canvas names it (the Safeguarding lane is drawn for everyone,
    // empty): its bar's row holds its lane's name and "Restricted" only.
    let row: Vec<String> = canvas_texts(&h)
        .into_iter()
        .filter(|(_, r)| (r.center().y - lane.center().y).abs() < 1.0)
        .map(|(t, _)| t)
        .collect();
    assert_eq!(
        row,
        vec!["Restricted (social care)".to_owned(), RESTRICTED_LABEL.to_owned()]
    );
    assert!(h.query_by_label_contains("financial").is_none());
    assert!(h.query_by_label_contains("enquiry").is_none());
    // Once a reason is given, the disclosed item's bar carries its title (cut to its room).
    let area = canvas(&h);
    h.get_all_by_role(Role::Label)
        .find(|n| n.accesskit_node().value().as_deref() == Some(RESTRICTED_LABEL) && area.contains(n.rect().center()))
        .expect("the placeholder's label")
        .click();
    settle(&mut h);
    let reason = h.get_by_label("Reason for access");
    reason.focus();
    reason.type_text("Planning a joint visit with the allocated worker");
    h.step();
    h.get_by_label("Show restricted items").click();
    common::wait_until(&mut h, "the reveal", |a| a.person().is_some_and(|p| p.revealed));
    settle(&mut h);
    // On the Safeguarding lane's row, right of the lane names: the enquiry's title.
    let lane = drawn(&h, "Safeguarding").expect("the lane");
    let (left, _) = plot(&h);
    let on_bar: Vec<String> = canvas_texts(&h)
        .into_iter()
        .filter(|(_, r)| r.left() >= left && (r.center().y - lane.center().y).abs() < 1.0)
        .map(|(t, _)| t)
        .collect();
    assert_eq!(on_bar.len(), 1, "{on_bar:?}");
    assert!(ENQUIRY.starts_with(on_bar[0].trim_end_matches('…')), "{on_bar:?}");
    assert!(drawn(&h, RESTRICTED_LABEL).is_none());
}

#[test]
fn a_pinch_and_the_wheel_zoom_about_the_date_under_the_pointer() {
    let mut h = opened(UiState::default());
    let (left, width) = plot(&h);
    let y = drawn(&h, "Hospital").expect("a lane").center().y;
    let x = left + 0.3 * width;
    let before = h.state().person_view().window;
    let under = before.t(x, left, width);
    h.hover_at(egui::pos2(x, y));
    h.step();
    h.event(Event::Zoom(2.0));
    settle(&mut h);
    let after = h.state().person_view().window;
    assert!((span_days(&h) * 2.0 - (before.end - before.start) / 86400.0).abs() < 0.01);
    assert!(
        (after.t(x, left, width) - under).abs() < 60.0,
        "the date under the pointer stays"
    );
    h.event(Event::MouseWheel {
        unit: egui::MouseWheelUnit::Point,
        delta: egui::vec2(0.0, -120.0),
        phase: egui::TouchPhase::Move,
        source: egui::MouseWheelSource::Unknown,
        modifiers: egui::Modifiers::NONE,
    });
    for _ in 0..40 {
        h.step();
    }
    let wheeled = h.state().person_view().window;
    assert!(
        wheeled.end - wheeled.start > after.end - after.start,
        "the wheel down zooms out"
    );
    assert!(
        (wheeled.t(x, left, width) - under).abs() < 60.0,
        "still the same date under the pointer"
    );
}

#[test]
fn the_keys_and_buttons_zoom_about_today_from_a_day_to_a_century() {
    let mut h = opened(UiState::default());
    let today = ts(chrono::Local::now().naive_local());
    let fraction = |h: &Harness<'static, JoinedUpApp>| {
        let w = h.state().person_view().window;
        (today - w.start) / (w.end - w.start)
    };
    let (span, at) = (span_days(&h), fraction(&h));
    h.key_press(Key::Plus);
    settle(&mut h);
    assert!((span_days(&h) - span / 2.0).abs() < 0.01);
    assert!((fraction(&h) - at).abs() < 0.01, "today stays where it was");
    h.key_press(Key::T);
    settle(&mut h);
    assert!((fraction(&h) - 0.5).abs() < 0.01, "T puts today in the middle");
    for _ in 0..20 {
        h.key_press(Key::Plus);
        h.step();
    }
    settle(&mut h);
    assert!(
        (span_days(&h) - MIN_SPAN_SECONDS / 86400.0).abs() < 1e-6,
        "a day at most in"
    );
    for _ in 0..20 {
        h.key_press(Key::Minus);
        h.step();
    }
    settle(&mut h);
    assert!(
        (span_days(&h) - MAX_SPAN_SECONDS / 86400.0).abs() < 1e-3,
        "a century at most out"
    );
    // The buttons, each in the Tab order with its key in its name, take the same steps.
    let span = span_days(&h);
    let zoom_in = h.get_by_role_and_label(Role::Button, "Zoom in (+)");
    zoom_in.focus();
    h.step();
    h.key_press(Key::Enter);
    settle(&mut h);
    assert!((span_days(&h) - span / 2.0).abs() < 0.01, "Zoom in from the keyboard");
    h.get_by_role_and_label(Role::Button, "Zoom out (-)").click();
    settle(&mut h);
    assert!((span_days(&h) - span).abs() < 0.01);
    h.key_press(Key::ArrowLeft);
    settle(&mut h);
    assert!(fraction(&h) > 0.6, "Left pans to earlier");
    h.get_by_role_and_label(Role::Button, "Today (T)").click();
    settle(&mut h);
    assert!((fraction(&h) - 0.5).abs() < 0.01);
}

#[test]
fn a_period_with_nothing_in_it_says_so() {
    let mut h = opened(UiState::default());
    // A year a window, a fifth of it a press: ten presses is two years back,
    // before her first item (360 days ago).
    for _ in 0..10 {
        h.key_press(Key::ArrowLeft);
        h.step();
    }
    settle(&mut h);
    let w = h.state().person_view().window;
    let words = format!(
        "Nothing recorded between {} and {}",
        fmt_date(from_ts(w.start).date()),
        fmt_date(from_ts(w.end).date())
    );
    drawn(&h, &words).unwrap_or_else(|| panic!("{words}: {:?}", canvas_texts(&h)));
    assert!(drawn(&h, "Hospital").is_none(), "words, not blank lanes");
    // Back at today, a filter that leaves nothing: the words say it is the filter.
    h.key_press(Key::T);
    settle(&mut h);
    let organisation = h.get_by_role_and_label(Role::TextInput, "Organisation");
    organisation.focus();
    organisation.type_text("no such organisation");
    settle(&mut h);
    let texts = canvas_texts(&h);
    assert!(
        texts
            .iter()
            .any(|(t, _)| t.starts_with("Nothing between ") && t.ends_with(" matches the filters")),
        "{texts:?}"
    );
}

#[test]
fn hide_empty_lanes_leaves_out_lanes_with_nothing_shown_and_is_kept() {
    let mut h = opened(UiState::default());
    for lane in ["Hospital", "Mental health", "CHC", "Carers", "Services and packages"] {
        assert!(drawn(&h, lane).is_some(), "{lane} drawn by default");
    }
    assert!(drawn(&h, "Health").is_some());
    // From the keyboard: the toggle is in the Tab order, named.
    let toggle = h.get_by_role_and_label(Role::CheckBox, "Hide empty lanes");
    toggle.focus();
    h.step();
    h.key_press(Key::Space);
    settle(&mut h);
    assert!(h.state().person_view().hide_empty_lanes);
    for lane in ["Mental health", "CHC", "Carers", "Reviews"] {
        assert!(drawn(&h, lane).is_none(), "{lane} hidden: nothing in it");
    }
    for lane in [
        "Hospital",
        "GP and community",
        "Services and packages",
        "Restricted (social care)",
    ] {
        assert!(drawn(&h, lane).is_some(), "{lane} kept: an item in the year");
    }
    // Health: Hospital and GP kept, Mental health and CHC hidden (no Restricted
    // health lane: nothing of hers is restricted in health).
    drawn(&h, "Health (2 empty lanes hidden)").expect("the header counts what it hides");
    drawn(&h, "Social care (4 empty lanes hidden)").expect("and for social care");
    assert!(drawn(&h, HOME_CARE).is_some(), "the items stay on their lanes");
    // At 14 days only the stay and the package are in the window.
    h.get_by_label("14 days").click();
    settle(&mut h);
    assert!(drawn(&h, "GP and community").is_none());
    assert!(drawn(&h, "Restricted (social care)").is_none());

    // Kept: the saved state has it, and the next run starts with it.
    assert!(h.state().ui_state().hide_empty_lanes);
    let mut next = opened(h.state().ui_state().clone());
    settle(&mut next);
    assert!(next.state().person_view().hide_empty_lanes);
    assert!(drawn(&next, "Mental health").is_none());
}

#[test]
fn a_filter_that_hides_the_item_selected_on_the_canvas_clears_the_selection() {
    let mut h = opened(UiState::default());
    // A click on the package's label is a click on its bar.
    let area = canvas(&h);
    h.get_all_by_role(Role::Label)
        .find(|n| n.accesskit_node().value().as_deref() == Some(HOME_CARE) && area.contains(n.rect().center()))
        .expect("the package's label")
        .click();
    settle(&mut h);
    assert_eq!(
        h.state().selected_item(),
        Some(id_of(&h, HOME_CARE)),
        "selected on the canvas"
    );
    // Hiding health leaves it: still selected.
    h.get_by_role_and_label(Role::CheckBox, "Health").click();
    settle(&mut h);
    assert_eq!(h.state().selected_item(), Some(id_of(&h, HOME_CARE)));
    h.get_by_role_and_label(Role::CheckBox, "Health").click();
    settle(&mut h);
    // Hiding social care hides it: nothing selected, and its label is gone.
    h.get_by_role_and_label(Role::CheckBox, "Social care").click();
    settle(&mut h);
    assert_eq!(h.state().selected_item(), None);
    assert!(drawn(&h, HOME_CARE).is_none());
    h.get_by_label("Select an item on the timeline or in the list.");
}
