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

/// The CHC screen with `name` (as the caseload shows it) opened.
fn open_on_chc(name: &str) -> egui_kittest::Harness<'static, joinedup::ui::JoinedUpApp> {
    let mut h = common::harness_with(
        Store::open_in_memory().expect("store"),
        common::config(true, Role::CareCoordinator),
    );
    wait_for_training(&mut h);
    h.get_by_label("CHC").click();
    wait_until(&mut h, "caseload", |a| a.chc_caseload().is_some());
    caseload_link(&h, name).click_accesskit();
    let family = name.split(',').next().unwrap().to_lowercase();
    wait_until(&mut h, name, |a| {
        a.person()
            .is_some_and(|p| p.record.person.demographics.family_name.to_lowercase() == family)
    });
    h
}

/// A person's name in the caseload (a link; the banner shows the open person's name).
fn caseload_link<'h>(
    h: &'h egui_kittest::Harness<'static, joinedup::ui::JoinedUpApp>,
    name: &'h str,
) -> egui_kittest::Node<'h> {
    h.get_by_role_and_label(egui::accesskit::Role::Link, name)
}

/// A caseload column's header (a button; the banner also says "NHS number").
fn header<'h>(
    h: &'h egui_kittest::Harness<'static, joinedup::ui::JoinedUpApp>,
    text: &'h str,
) -> egui_kittest::Node<'h> {
    h.get_by_role_and_label(egui::accesskit::Role::Button, text)
}

/// Replace what a text field holds with `text`.
fn retype(h: &mut egui_kittest::Harness<'static, joinedup::ui::JoinedUpApp>, label: &str, text: &str) {
    h.get_by_label(label).focus();
    h.step();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.step();
    h.get_by_label(label).type_text(text);
    settle(h);
}

#[test]
fn a_checklist_is_not_yet_assessed_until_every_domain_is_chosen() {
    let mut h = open_on_chc("COLE, Brenda");
    h.get_by_label("Record a Checklist").click();
    settle(&mut h);
    // Nothing chosen: no outcome at all, least of all a green "no full assessment".
    h.get_by_label("not yet assessed: 0 of 11 domains chosen");
    assert!(h.query_by_label_contains("no full assessment required").is_none());
    h.get_by_label_contains("still to choose: Breathing, Nutrition, Continence");
    retype(&mut h, "Completed by", "Ward nurse");
    assert!(h.get_by_label("Save Checklist").accesskit_node().is_disabled());
    // Ten of eleven domains at C: still not assessed, the last one named.
    for c in h.get_all_by_label("C").take(10) {
        c.click_accesskit();
    }
    settle(&mut h);
    h.get_by_label("not yet assessed: 10 of 11 domains chosen");
    h.get_by_label("choose a level for every domain before saving; still to choose: Altered states of consciousness");
    assert!(h.get_by_label("Save Checklist").accesskit_node().is_disabled());
    assert!(h.query_by_label_contains("no full assessment required").is_none());
    h.get_all_by_label("C")
        .nth(10)
        .expect("the eleventh C")
        .click_accesskit();
    settle(&mut h);
    h.get_by_label("The rules give: no full assessment required: 0 in column A, 0 in column B, no asterisked A");
    assert!(!h.get_by_label("Save Checklist").accesskit_node().is_disabled());
}

#[test]
fn the_assessment_date_can_be_edited_but_not_after_today() {
    let mut h = open_on_chc("COLE, Brenda");
    let today = chrono::Local::now().date_naive();
    h.get_by_label("Record a Checklist").click();
    settle(&mut h);
    for c in h.get_all_by_label("A").take(2) {
        c.click_accesskit();
    }
    for c in h.get_all_by_label("C").skip(2) {
        c.click_accesskit();
    }
    settle(&mut h);
    h.get_by_label_contains("The rules give: full assessment required");
    retype(&mut h, "Completed by", "Ward nurse");
    let tomorrow = today + chrono::Duration::days(1);
    retype(&mut h, "Assessment date", &tomorrow.format("%Y-%m-%d").to_string());
    h.get_by_label(&format!(
        "the date {} is after today: record an assessment once it is completed",
        fmt_date(tomorrow)
    ));
    assert!(h.get_by_label("Save Checklist").accesskit_node().is_disabled());
    let earlier = today - chrono::Duration::days(3);
    retype(&mut h, "Assessment date", &earlier.format("%Y-%m-%d").to_string());
    h.get_by_label("Save Checklist").click();
    wait_until(&mut h, "the Checklist stored, dated as typed", |a| {
        a.person().is_some_and(|p| {
            p.record.chc.iter().any(|c| {
                c.kind == ChcAssessmentKind::Checklist
                    && c.completed_by.as_deref() == Some("Ward nurse")
                    && c.completed_on == earlier
                    && c.domains.len() == 11
            })
        })
    });
    h.get_by_label(&format!("NHS Continuing Healthcare Checklist on {}", fmt_date(earlier)));
}

#[test]
fn the_caseload_sorts_by_a_clicked_header_and_keeps_it() {
    let mut h = open_on_chc("COLE, Brenda");
    let rows: Vec<(String, String)> = h
        .state()
        .chc_caseload()
        .unwrap()
        .iter()
        .map(|r| (r.name.clone(), r.nhs_number.map(|n| n.digits()).unwrap_or_default()))
        .collect();
    assert!(rows.len() >= 4, "{rows:?}");
    let shown_order = |h: &egui_kittest::Harness<'static, joinedup::ui::JoinedUpApp>| -> Vec<String> {
        let mut v: Vec<(f32, String)> = rows
            .iter()
            .map(|(name, _)| (caseload_link(h, name).rect().top(), name.clone()))
            .collect();
        v.sort_by(|a, b| a.0.total_cmp(&b.0));
        v.into_iter().map(|(_, n)| n).collect()
    };
    let mut by_nhs = rows.clone();
    by_nhs.sort_by(|a, b| a.1.cmp(&b.1));
    let by_nhs: Vec<String> = by_nhs.into_iter().map(|(n, _)| n).collect();
    header(&h, "NHS number").click();
    settle(&mut h);
    h.get_by_label_contains("open, sorted by NHS number");
    assert_eq!(shown_order(&h), by_nhs, "ascending by NHS number");
    header(&h, "NHS number (ascending)").click();
    settle(&mut h);
    let mut descending = by_nhs.clone();
    descending.reverse();
    assert_eq!(shown_order(&h), descending, "then descending");
    // The sort stays while another person is opened from the caseload.
    caseload_link(&h, "ADEYEMI, Samuel").click_accesskit();
    wait_until(&mut h, "Samuel Adeyemi", |a| {
        a.person()
            .is_some_and(|p| p.record.person.demographics.family_name == "Adeyemi")
    });
    header(&h, "NHS number (descending)");
    assert_eq!(shown_order(&h), descending, "kept in the window's state");
    header(&h, "Stage").click();
    settle(&mut h);
    header(&h, "Stage (ascending)");
    header(&h, "NHS number");
    header(&h, "Day N of 28");
    header(&h, "Next review");
}

#[test]
fn a_review_after_eligibility_closes_review_due() {
    let mut h = open_on_chc("WALSH, Patricia");
    h.get_by_label_contains("Eligible, review due: decided on");
    h.get_by_label("Record a review").click();
    settle(&mut h);
    h.get_by_label("say who carried out the review");
    assert!(h.get_by_label("Save review").accesskit_node().is_disabled());
    retype(&mut h, "Reviewed by", "J. Reyes");
    retype(&mut h, "Review note", "Needs unchanged; placement meets them");
    h.get_by_label("Save review").click();
    wait_until(&mut h, "the review stored", |a| {
        a.person()
            .is_some_and(|p| p.record.chc.iter().any(|c| c.kind == ChcAssessmentKind::Review))
    });
    let today = chrono::Local::now().date_naive();
    h.get_by_label(&format!("NHS Continuing Healthcare review on {}", fmt_date(today)));
    h.get_by_label("Review note: Needs unchanged; placement meets them");
    h.get_by_label_contains("Eligible, reviewed: decided on");
    assert!(h.query_by_label_contains("Eligible, review due: decided").is_none());
    wait_until(&mut h, "caseload refreshed", |a| {
        a.chc_caseload().is_some_and(|c| {
            c.iter()
                .any(|r| r.name == "WALSH, Patricia" && r.case.stage == ChcStage::EligibleReviewed)
        })
    });
}

#[test]
fn hovering_a_domain_shows_what_its_levels_mean() {
    let mut h = open_on_chc("COLE, Brenda");
    h.get_by_label("Record a DST").click();
    settle(&mut h);
    h.get_by_label("not yet assessed: 0 of 12 domains chosen");
    h.get_by_label("Mobility").hover();
    for _ in 0..60 {
        h.step();
    }
    h.get_by_label_contains("Severe: mobility needs are complex or unpredictable");
    h.get_by_label_contains("Paraphrase, unconfirmed");
}
