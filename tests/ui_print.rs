//! The print preview: "Print summary…" shows the PDF's pages as laid out, each with
//! the person's name, NHS number and date of birth and "Page N of M", the restricted
//! item left out; Cancel closes it with nothing saved or audited (headless,
//! egui_kittest; SAFETY.md H44).

mod common;

use common::{open_by_nhs, settle, wait_for_training, wait_until};
use egui_kittest::kittest::Queryable;
use joinedup::domain::governance::Role;
use joinedup::store::Store;

#[test]
fn the_preview_shows_the_pages_and_cancel_closes_it() {
    let mut h = common::harness_with(
        Store::open_in_memory().expect("store"),
        common::config(true, Role::CareCoordinator),
    );
    h.set_size(egui::vec2(1280.0, 900.0));
    wait_for_training(&mut h);
    // Rajesh Patel: one sexual health attendance, hidden without a reason.
    open_by_nhs(&mut h, "9990000085");
    h.get_by_label("Print summary…").click_accesskit();
    wait_until(&mut h, "the preview", |a| a.print_preview().is_some());
    let preview = h.state().print_preview().unwrap().clone();
    assert_eq!(preview.file_name, "record-summary-9990000085.pdf");
    assert_eq!(preview.restricted_left_out, 1);
    h.get_by_label("Print preview");
    h.get_by_label("Save PDF…");
    let pages = preview.laid.pages.len();
    h.get_by_label(&format!("Page 1 of {pages}"));
    assert!(h.get_all_by_label("PATEL, Rajesh").count() >= 1, "the page header");
    assert!(h.get_all_by_label_contains("NHS number 999 000 0085").count() >= 1);
    // Each line where the layout put it: the title under the name, both at the page's
    // left margin, the NHS number to the right (the PDF's places, in the window's points).
    let title = h.get_by_label("Care record summary").rect();
    let name = h
        .get_all_by_label("PATEL, Rajesh")
        .map(|n| n.rect())
        .find(|r| (r.left() - title.left()).abs() < 1.0)
        .expect("the header's name at the title's margin");
    assert!(name.top() < title.top());
    let nhs = h
        .get_by_label_contains("NHS number 999 000 0085    Date of birth")
        .rect();
    assert!(nhs.left() > name.right() + 100.0, "{nhs:?} {name:?}");
    assert!(h.query_by_label_contains("Sexual health").is_none());
    assert!(h.get_all_by_label_contains("1 restricted item(s) left out").count() >= 1);
    // The preview's lines are the PDF's lines.
    for page in &preview.laid.pages {
        assert!(page.texts().any(|t| t.contains("NHS number 999 000 0085")));
    }
    h.get_by_label("Cancel").click_accesskit();
    settle(&mut h);
    assert!(h.state().print_preview().is_none());
    assert!(h.query_by_label("Print preview").is_none());
}

/// Brenda Cole's DST, printed from the CHC screen: its preview has the domain grid.
#[test]
fn a_chc_assessment_is_previewed_from_the_chc_screen() {
    let mut h = common::harness_with(
        Store::open_in_memory().expect("store"),
        common::config(true, Role::CareCoordinator),
    );
    h.set_size(egui::vec2(1280.0, 900.0));
    wait_for_training(&mut h);
    h.get_by_label("CHC").click();
    wait_until(&mut h, "caseload", |a| a.chc_caseload().is_some());
    h.get_by_label("COLE, Brenda").click_accesskit();
    wait_until(&mut h, "Brenda Cole", |a| a.person().is_some());
    h.get_all_by_label("Print summary…")
        .next()
        .expect("a print button")
        .click_accesskit();
    wait_until(&mut h, "the preview", |a| a.print_preview().is_some());
    let preview = h.state().print_preview().unwrap();
    assert!(preview.file_name.starts_with("chc-") && preview.file_name.ends_with(".pdf"));
    let text: Vec<&str> = preview.laid.pages.iter().flat_map(|p| p.texts()).collect();
    assert!(text.iter().any(|t| t.starts_with("COLE, Brenda")), "{text:?}");
    assert!(text.iter().any(|t| t.starts_with("What the rules give:")), "{text:?}");
    h.get_by_label("Save PDF…");
    h.get_by_label("Cancel").click_accesskit();
    settle(&mut h);
    assert!(h.state().print_preview().is_none());
}
