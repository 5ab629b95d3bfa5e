//! The CHC screen records the ICB's decision (issue 17 item 6): for a DST awaiting
//! one, "Record ICB decision" opens a small form (date, decision, decision maker,
//! note); Save stores it, the decision shows under the DST, and the caseload moves
//! the person on. Headless, with egui_kittest.

mod common;

use common::{settle, wait_for_training, wait_until};
use egui_kittest::kittest::{NodeT, Queryable};
use joinedup::domain::chc::ChcAssessmentKind;
use joinedup::domain::chc_case::ChcStage;
use joinedup::domain::dates::fmt_date;
use joinedup::domain::governance::Role;
use joinedup::store::Store;

#[test]
fn a_coordinator_records_the_icb_decision_and_the_stage_closes() {
    let mut h = common::harness_with(
        Store::open_in_memory().expect("store"),
        common::config(true, Role::CareCoordinator),
    );
    wait_for_training(&mut h);
    h.get_by_label("CHC").click();
    wait_until(&mut h, "caseload", |a| a.chc_caseload().is_some());
    h.get_by_label("COLE, Brenda").click_accesskit();
    wait_until(&mut h, "Brenda Cole", |a| a.person().is_some());
    h.get_by_label_contains("DST done, awaiting ICB decision: day");
    h.get_by_label("ICB decision: not yet made");
    h.get_by_label("Record ICB decision").click();
    settle(&mut h);
    // Nothing is saved until the decision is chosen and the decision maker named.
    h.get_by_label("choose the decision: eligible or not eligible");
    assert!(h.get_by_label("Save decision").accesskit_node().is_disabled());
    h.get_by_label("Eligible").click_accesskit();
    settle(&mut h);
    h.get_by_label("say who at the ICB made the decision");
    let by = h.get_by_label("Decision maker");
    by.focus();
    by.type_text("Dr A. Shah");
    settle(&mut h);
    let note = h.get_by_label("Note");
    note.focus();
    note.type_text("Agreed with the MDT");
    settle(&mut h);
    h.get_by_label("Save decision").click();
    wait_until(&mut h, "the decision stored", |a| {
        a.person().is_some_and(|p| {
            p.record
                .chc
                .iter()
                .any(|c| c.kind == ChcAssessmentKind::Dst && c.icb_decision.is_some())
        })
    });
    let today = chrono::Local::now().date_naive();
    h.get_by_label(&format!(
        "ICB decision: eligible on {} by Dr A. Shah (note: Agreed with the MDT)",
        fmt_date(today)
    ));
    assert!(h.query_by_label("Record ICB decision").is_none(), "nothing awaits now");
    h.get_by_label_contains("Eligible, review due: decided on");
    wait_until(&mut h, "caseload refreshed", |a| {
        a.chc_caseload().is_some_and(|c| {
            c.iter()
                .any(|r| r.name == "COLE, Brenda" && r.case.stage == ChcStage::EligibleReviewDue)
        })
    });
}
