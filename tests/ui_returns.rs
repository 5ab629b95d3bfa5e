//! The "Situation report" tab of the board screen under egui_kittest: the day's
//! report and trends arrive from the database thread, a count lists its people, and
//! a person opens from the list.

mod common;

use common::{wait_for_training, wait_until};
use egui_kittest::kittest::Queryable;
use joinedup::domain::governance::Role;
use joinedup::store::Store;

#[test]
fn the_situation_report_tab_lists_the_people_behind_a_count() {
    let mut h = common::harness_with(
        Store::open_in_memory().expect("store"),
        common::config(true, Role::CareCoordinator),
    );
    wait_for_training(&mut h);
    h.get_by_label("Discharge board").click();
    wait_until(&mut h, "board", |a| a.board().is_some());
    h.get_by_label("Situation report").click();
    wait_until(&mut h, "situation report", |a| a.sitrep().is_some());
    h.get_by_label("Discharge situation report");
    h.get_by_label("30 days");
    let (in_hospital, trend_days) = {
        let s = h.state().sitrep().unwrap();
        (s.sitrep.total.in_hospital.count(), s.trends.len())
    };
    assert!(in_hospital >= 3, "the board's three inpatients at least: {in_hospital}");
    assert_eq!(trend_days, 30);
    h.state_mut().select_sitrep_figure("total", "in_hospital");
    h.step();
    h.step();
    h.get_by_label_contains("in hospital (");
    h.get_by_label("OKAFOR, Margaret (9990000018)").click();
    wait_until(&mut h, "Margaret Okafor's record", |a| {
        a.person()
            .is_some_and(|p| p.record.person.demographics.family_name == "Okafor")
    });
}
