//! The timeline's list (issue 17 item 3) under egui_kittest: a table, newest first,
//! turned round by a toggle that is kept, opened at today, moved through with the
//! keyboard; a filter that hides the selected item clears the selection; an empty
//! list says why; codes read as words and a suspended package as suspended; a
//! restricted row shows its lane and dates, nothing else.

mod common;

use chrono::{Duration, NaiveDateTime};
use common::{open_by_nhs, settle, wait_until};
use egui::Key;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use joinedup::domain::governance::Role;
use joinedup::store::Store;
use joinedup::ui::JoinedUpApp;
use joinedup::ui::views::timeline::ts;
use joinedup::ui::views::timeline_list::RESTRICTED_ROW;

const ASHBY: &str = "9990001308";
const GP_REVIEWS: i64 = 60;
const PNEUMONIA: &str = "Admitted: pneumonia";
const CLINIC: &str = "Respiratory clinic appointment";

fn at(t: NaiveDateTime) -> String {
    t.format("%Y-%m-%dT%H:%M").to_string()
}

/// Eleanor Ashby: five years of monthly GP reviews (more than a screen of rows), a
/// stay a year ago with its discharge method, a package suspended on her admission
/// three days ago, a clinic in ten days, and a sexual health attendance (restricted).
fn ashby_bundle(now: NaiveDateTime) -> String {
    let day = Duration::days(1);
    let mut episodes: Vec<serde_json::Value> = (1..=GP_REVIEWS)
        .map(|n| {
            serde_json::json!({"ref": format!("GP-{n}"), "kind": "gp_encounter", "title": format!("GP review {n}"),
                "start": at(now - day * (30 * (GP_REVIEWS - n + 3)) as i32), "organisation": "Ashby Lane Surgery"})
        })
        .collect();
    let admitted = now - day * 3;
    episodes.extend([
        serde_json::json!({"ref": "IP-1", "kind": "inpatient_spell", "title": "Admitted: fall at home",
            "start": at(now - day * 400), "end": at(now - day * 390), "organisation": "Northgate General Hospital",
            "attributes": {"discharge_method": "1", "discharge_destination": "19"}}),
        serde_json::json!({"ref": "SVC-1", "kind": "social_care_service", "title": "Home care: 3 calls a day",
            "start": at(now - day * 700), "end": at(admitted), "status": "suspended",
            "source": "Westmere Council Adult Social Care", "organisation": "Westmere Council"}),
        serde_json::json!({"ref": "IP-2", "kind": "inpatient_spell", "title": PNEUMONIA, "start": at(admitted),
            "status": "active", "organisation": "Northgate General Hospital"}),
        serde_json::json!({"ref": "OP-1", "kind": "outpatient", "title": CLINIC, "start": at(now + day * 10),
            "status": "planned", "organisation": "Northgate General Hospital"}),
        serde_json::json!({"ref": "SH-1", "kind": "outpatient", "title": "Sexual health clinic attendance",
            "start": at(now - day * 200), "status": "completed", "sensitivity": "sexual_health",
            "organisation": "Westmere Sexual Health Service"}),
    ]);
    serde_json::json!({"format": "joinedup-bundle", "version": 1, "people": [{
        "nhs_number": ASHBY, "source": "Northgate General Hospital PAS", "given_name": "Eleanor",
        "family_name": "Ashby", "date_of_birth": "1938-04-02", "sex": "female", "episodes": episodes}]})
    .to_string()
}

/// The training people and Eleanor Ashby, on "Find a person".
fn harness() -> Harness<'static, JoinedUpApp> {
    let mut store = Store::open_in_memory().expect("store");
    let now = chrono::Local::now().naive_local();
    joinedup::training::prepare(&mut store, now.date(), now).expect("training people");
    let bundle = ashby_bundle(now);
    let parsed = joinedup::import::parse_bytes("ashby.json", bundle.as_bytes(), Default::default()).expect("parse");
    assert!(parsed.rejections.is_empty(), "{:?}", parsed.rejections);
    store.apply_import(&parsed.batch, now).expect("import");
    common::harness_with(store, common::config(true, Role::CareCoordinator))
}

fn open(h: &mut Harness<'static, JoinedUpApp>, nhs: &str) {
    open_by_nhs(h, nhs);
    settle(h);
}

/// The store id of the open record's item with this title.
fn id_of(h: &Harness<'static, JoinedUpApp>, title: &str) -> i64 {
    let person = h.state().person().expect("record");
    person
        .record
        .episodes
        .iter()
        .find(|e| e.title == title)
        .unwrap_or_else(|| panic!("{title} in the record"))
        .id
}

/// Where a row is, by its title's label.
fn y(h: &Harness<'static, JoinedUpApp>, title: &str) -> f32 {
    h.get_by_label(title).rect().center().y
}

/// A row's title in the list, not the label of its bar on the canvas above it.
fn list_row<'h>(h: &'h Harness<'static, JoinedUpApp>, title: &'h str) -> egui_kittest::Node<'h> {
    h.get_all_by_label(title)
        .max_by(|a, b| a.rect().top().total_cmp(&b.rect().top()))
        .unwrap_or_else(|| panic!("{title} in the list"))
}

fn press(h: &mut Harness<'static, JoinedUpApp>, key: Key) {
    h.key_press(key);
    settle(h);
}

#[test]
fn the_list_is_a_table_newest_first_opened_at_today() {
    let mut h = harness();
    open(&mut h, ASHBY);
    for header in ["Date", "End", "Kind", "Title", "Status", "Source"] {
        h.get_by_label(header);
    }
    assert!(!h.state().person_view().list.oldest_first, "newest first by default");
    h.get_by_label("65 of 65 items");
    // The clinic to come, then the stay going on now, then the last GP review.
    assert!(y(&h, CLINIC) < y(&h, PNEUMONIA));
    assert!(y(&h, PNEUMONIA) < y(&h, &format!("GP review {GP_REVIEWS}")));
    assert!(
        h.query_by_label("GP review 1").is_none(),
        "five years ago is scrolled out of view"
    );
    assert_eq!(h.state().selected_item(), None, "nothing selected on opening");
}

#[test]
fn the_order_toggle_turns_the_list_round_and_is_kept() {
    let mut h = harness();
    open(&mut h, ASHBY);
    h.get_by_label("Oldest first").click();
    settle(&mut h);
    assert!(h.state().person_view().list.oldest_first);
    // Still at today, now with the older reviews above.
    let last_review = format!("GP review {GP_REVIEWS}");
    assert!(y(&h, &last_review) < y(&h, PNEUMONIA));
    assert!(y(&h, PNEUMONIA) < y(&h, CLINIC));
    assert!(
        h.query_by_label("GP review 1").is_none(),
        "opened at today, not at 2011"
    );
    // The toggle keeps nothing of the keyboard: Down goes down the list, from
    // today's stay to the clinic to come.
    press(&mut h, Key::ArrowDown);
    press(&mut h, Key::ArrowDown);
    assert_eq!(h.state().selected_item(), Some(id_of(&h, CLINIC)));

    // Closed and opened again, the choice stays, and the list is at today again.
    h.get_by_label("Close record").click();
    settle(&mut h);
    open(&mut h, ASHBY);
    assert!(h.state().person_view().list.oldest_first, "the order is kept");
    assert!(y(&h, &last_review) < y(&h, PNEUMONIA));
    assert!(h.query_by_label("GP review 1").is_none());
    h.get_by_label("Newest first").click();
    settle(&mut h);
    assert!(y(&h, CLINIC) < y(&h, PNEUMONIA));
}

#[test]
fn the_keyboard_moves_the_selection_and_enter_opens_the_item() {
    let mut h = harness();
    open(&mut h, ASHBY);
    // Nothing selected: Down starts at the item nearest today.
    press(&mut h, Key::ArrowDown);
    assert_eq!(h.state().selected_item(), Some(id_of(&h, PNEUMONIA)));
    press(&mut h, Key::ArrowDown);
    let last_review = format!("GP review {GP_REVIEWS}");
    assert_eq!(h.state().selected_item(), Some(id_of(&h, &last_review)));
    press(&mut h, Key::ArrowUp);
    press(&mut h, Key::ArrowUp);
    assert_eq!(h.state().selected_item(), Some(id_of(&h, CLINIC)));
    press(&mut h, Key::ArrowUp);
    assert_eq!(
        h.state().selected_item(),
        Some(id_of(&h, CLINIC)),
        "the top stays the top"
    );

    // End: the oldest, scrolled into view; Home: the newest.
    press(&mut h, Key::End);
    assert_eq!(h.state().selected_item(), Some(id_of(&h, "GP review 1")));
    assert_eq!(
        h.get_all_by_label("GP review 1").count(),
        2,
        "its row in view, and the detail"
    );
    press(&mut h, Key::Home);
    assert_eq!(h.state().selected_item(), Some(id_of(&h, CLINIC)));

    // Page Down moves by the rows on screen, Page Up back.
    let page = h.state().person_view().list_rows().len();
    press(&mut h, Key::PageDown);
    let selected = h.state().selected_item().expect("selected");
    assert_ne!(selected, id_of(&h, CLINIC));
    assert_ne!(selected, id_of(&h, PNEUMONIA), "more than one row");
    assert_ne!(selected, id_of(&h, "GP review 1"), "not the whole list of {page}");
    press(&mut h, Key::PageUp);
    assert_eq!(h.state().selected_item(), Some(id_of(&h, CLINIC)));

    // Enter on the oldest review: the detail pane shows it, and the timeline, which
    // showed the last year, moves to it.
    press(&mut h, Key::End);
    let start = {
        let person = h.state().person().expect("record");
        let e = person
            .record
            .episodes
            .iter()
            .find(|e| e.title == "GP review 1")
            .expect("review");
        ts(e.start)
    };
    let window = h.state().person_view().window;
    assert!(start < window.start, "off the timeline before Enter");
    press(&mut h, Key::Enter);
    let window = h.state().person_view().window;
    assert!(
        window.start <= start && start <= window.end,
        "on the timeline after Enter"
    );
    h.get_by_label("Provenance");
    assert!(h.get_all_by_label("GP review 1").count() >= 2, "list row and detail");

    // Enter on a restricted item puts the cursor in the reason box.
    press(&mut h, Key::Home);
    h.get_by_label(RESTRICTED_ROW).click();
    settle(&mut h);
    h.get_by_label("Restricted item");
    press(&mut h, Key::Enter);
    assert!(h.get_by_label("Reason for access").is_focused());
}

#[test]
fn a_filter_that_hides_the_selected_item_clears_the_selection() {
    let mut h = harness();
    open(&mut h, ASHBY);
    h.get_by_label(PNEUMONIA).click();
    wait_until(&mut h, "the stay selected", |a| a.selected_item().is_some());
    let stay = id_of(&h, PNEUMONIA);
    assert_eq!(h.state().selected_item(), Some(stay));
    // Hiding social care leaves the stay: still selected.
    h.get_by_role_and_label(egui::accesskit::Role::CheckBox, "Social care")
        .click();
    settle(&mut h);
    assert_eq!(h.state().selected_item(), Some(stay));
    h.get_by_role_and_label(egui::accesskit::Role::CheckBox, "Social care")
        .click();
    settle(&mut h);
    // Hiding health hides it: nothing is selected, and the detail pane says so.
    h.get_by_role_and_label(egui::accesskit::Role::CheckBox, "Health")
        .click();
    settle(&mut h);
    assert_eq!(h.state().selected_item(), None);
    h.get_by_label("Select an item on the timeline or in the list.");
    assert!(h.query_by_label(PNEUMONIA).is_none());
}

#[test]
fn an_empty_list_says_why() {
    let mut h = harness();
    open(&mut h, ASHBY);
    let organisation = h.get_by_role_and_label(egui::accesskit::Role::TextInput, "Organisation");
    organisation.focus();
    organisation.type_text("no such organisation");
    settle(&mut h);
    h.get_by_label("0 of 65 items");
    h.get_by_label(
        "Nothing matches the filters: choose more sectors or kinds, all sources, or clear the organisation.",
    );
}

#[test]
fn codes_read_as_words_and_a_suspended_package_as_suspended() {
    let mut h = harness();
    // Harold Bennett: his home care was suspended on admission; the stay ended on
    // clinical advice (discharge method 1) to his usual place of residence (19).
    open(&mut h, "9990000026");
    let (package, stay) = {
        let person = h.state().person().expect("record");
        let find = |kind| {
            person
                .record
                .episodes
                .iter()
                .find(|e| e.kind == kind)
                .expect("item")
                .clone()
        };
        (
            find(joinedup::domain::EpisodeKind::SocialCareService),
            find(joinedup::domain::EpisodeKind::InpatientSpell),
        )
    };
    let suspended_from = format!(
        "suspended from {}",
        joinedup::domain::dates::fmt_date_time(package.end.expect("the day it stopped"))
    );
    h.get_by_label(&suspended_from);
    h.get_by_label("suspended");
    assert!(h.query_by_label("ended").is_none(), "nothing of his reads as ended");
    h.get_by_label("discharged on clinical advice");
    list_row(&h, &stay.title).click();
    settle(&mut h);
    h.get_by_label("Discharge method");
    h.get_by_label("discharged on clinical advice (1)");
    h.get_by_label("Admitted from");
    h.get_by_label("Discharged to");
    assert_eq!(
        h.get_all_by_label("usual place of residence (19)").count(),
        2,
        "admitted from and discharged to"
    );
    list_row(&h, &package.title).click();
    settle(&mut h);
    assert!(h.get_all_by_label(&suspended_from).count() >= 2, "list row and detail");
}

#[test]
fn a_restricted_row_shows_its_lane_and_dates_only() {
    let mut h = harness();
    open(&mut h, ASHBY);
    let row = h.get_by_label(RESTRICTED_ROW).rect();
    let left = h.get_by_label("Date").rect().left() - 10.0;
    let right = h.get_by_label("Detail").rect().left();
    let texts: Vec<String> = h
        .get_all_by_role(egui::accesskit::Role::Label)
        .filter(|n| {
            let r = n.rect();
            (r.center().y - row.center().y).abs() < 3.0 && r.left() >= left && r.left() < right
        })
        .filter_map(|n| n.accesskit_node().value())
        .collect();
    let person = h.state().person().expect("record");
    let placeholder = person
        .record
        .episodes
        .iter()
        .find(|e| e.kind.is_placeholder())
        .expect("the placeholder");
    assert_eq!(
        texts,
        vec![
            joinedup::domain::dates::fmt_date_time(placeholder.start),
            "Restricted (health)".to_owned(),
            RESTRICTED_ROW.to_owned(),
        ],
        "its date, lane and the placeholder's words: no kind, title, status, organisation or source"
    );
    assert!(h.query_by_label_contains("Sexual health").is_none());
    assert!(h.query_by_label("Westmere Sexual Health Service").is_none());
}
