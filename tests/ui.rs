//! Headless UI tests with egui_kittest: no display and no GPU. Widgets are found by
//! their accessible labels, as a screen reader would find them.

mod common;

use std::time::Duration;

use common::{open_by_nhs, wait_for_training, wait_until};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use joinedup::domain::governance::Role;
use joinedup::store::Store;
use joinedup::ui::{AppConfig, JoinedUpApp, Screen};

fn harness(is_training: bool) -> Harness<'static, JoinedUpApp> {
    harness_as(is_training, Role::CareCoordinator)
}

fn harness_as(is_training: bool, role: Role) -> Harness<'static, JoinedUpApp> {
    common::harness_with(
        Store::open_in_memory().expect("store"),
        common::config(is_training, role),
    )
}

#[test]
fn nhs_number_opens_the_record_with_both_sectors_and_the_finding() {
    let mut h = harness(true);
    wait_for_training(&mut h);
    h.get_by_label("TRAINING: synthetic people only, dates shifted so each story is current");
    let search = h.get_by_label("Search by NHS number or name");
    search.focus();
    search.type_text("9990000026");
    wait_until(&mut h, "Harold Bennett's record", |a| {
        a.screen() == Screen::Person && a.person().is_some()
    });
    let person = h.state().person().expect("loaded");
    assert_eq!(person.record.person.demographics.family_name, "Bennett");
    // The search box reformatted the number as it was typed.
    // Both sectors are on the list, and the finding is shown.
    h.get_by_label_contains("Admitted: chest infection, heart failure");
    assert!(
        h.get_all_by_label_contains("Home care: 2 calls a day (Bright Homecare)")
            .count()
            >= 2,
        "list row and finding"
    );
    h.get_by_label_contains("Package not restarted after discharge");
    h.get_by_label_contains("not restarted within 2 days of discharge");
    h.get_by_label("Timeline");
    // With nothing selected, the detail pane says who has looked at this record.
    h.get_by_label("Who has looked at this record");
    h.get_by_label_contains("tester (Care coordinator, claimed)  Opened a record: opened the record");
    // Clicking the finding selects its episode and the detail pane shows provenance.
    h.get_by_label_contains("not restarted within 2 days of discharge")
        .click();
    h.step();
    h.step();
    h.get_by_label("Provenance");
    assert!(
        h.get_all_by_label("Westmere Council Adult Social Care").count() >= 2,
        "the list's source column and the provenance"
    );
}

#[test]
fn invalid_nhs_number_is_explained_as_typed() {
    let mut h = harness(true);
    wait_for_training(&mut h);
    let search = h.get_by_label("Search by NHS number or name");
    search.focus();
    search.type_text("9876544321");
    h.step();
    h.step();
    h.get_by_label("Not a valid NHS number: the check digit does not match; check each digit against the source");
    assert_eq!(h.state().screen(), Screen::Search);
}

#[test]
fn name_search_lists_people_and_opens_one() {
    let mut h = harness(true);
    wait_for_training(&mut h);
    // The audit screen is for the information governance lead only.
    assert!(h.query_by_label("Audit").is_none());
    let search = h.get_by_label("Search by NHS number or name");
    search.focus();
    search.type_text("okafor");
    wait_until(&mut h, "search results", |_| true);
    for _ in 0..60 {
        h.step();
        if h.query_by_label("1 found").is_some() {
            break;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    h.get_by_label("1 found");
    h.get_by_label("OKAFOR, Margaret").click_accesskit();
    wait_until(&mut h, "Margaret Okafor's record", |a| a.person().is_some());
    h.get_by_label_contains("Admitted: fall, fractured wrist, reduced mobility")
        .click_accesskit();
    h.step();
    h.step();
    // The detail pane shows the discharge facts, with each delay's attribution.
    assert!(
        h.get_all_by_label_contains("Awaiting home care package").count() >= 2,
        "panel and detail"
    );
    h.get_by_label("Delay (Social care)");
}

/// Lisa Morgan is a restricted person: every item is a placeholder (lane and date)
/// until a reason is given; then the whole record shows until it is closed, and the
/// reveal is in the record's access list and the audit screen.
#[test]
fn a_restricted_record_stays_hidden_until_a_reason_and_until_closed() {
    let mut h = harness_as(true, Role::InformationGovernanceLead);
    wait_for_training(&mut h);
    open_by_nhs(&mut h, "9990000093");
    assert!(h.query_by_label_contains("financial abuse").is_none());
    assert!(
        h.query_by_label_contains("Community mental health team appointment")
            .is_none()
    );
    assert_eq!(
        h.get_all_by_label_contains("Restricted item: give a reason to view")
            .count(),
        3
    );
    h.get_by_label_contains("Hidden: this is a restricted record");
    // The count is of the timeline's items, as the list shows them (her plan is on the plans screen).
    h.get_by_label("This is a restricted record: every item is hidden. 3 restricted items.");
    // Her protection plan is hidden on the care plans screen too.
    h.get_by_label("Care plans").click();
    h.step();
    h.step();
    h.get_by_label_contains("Restricted record: its 1 care plan version(s) are hidden");
    assert!(h.query_by_label_contains("Safeguarding protection plan").is_none());
    h.get_by_label("Record").click();
    h.step();
    h.step();
    assert!(
        h.get_by_label("Show restricted items").accesskit_node().is_disabled(),
        "no reason yet"
    );
    let reason = h.get_by_label("Reason for access");
    reason.focus();
    reason.type_text("Planning a joint visit with the allocated worker");
    h.step();
    h.get_by_label("Show restricted items").click();
    wait_until(&mut h, "the reveal in the access list", |a| {
        a.person()
            .is_some_and(|p| p.revealed && p.access.iter().any(|e| e.action == "break_glass"))
    });
    assert_eq!(
        h.get_all_by_label_contains("Community mental health team appointment")
            .count(),
        2,
        "both appointments are listed"
    );
    h.get_by_label_contains("Safeguarding enquiry (section 42)");
    h.get_by_label("    reason: Planning a joint visit with the allocated worker");
    h.get_by_label("Restricted items shown (reason given) until you close this record");
    h.get_by_label("Care plans").click();
    h.step();
    h.step();
    h.get_by_label("Safeguarding protection plan");
    h.get_by_label("Record").click();
    h.step();
    h.step();

    // Another screen and back: still shown. Closed and opened again: hidden again.
    h.get_by_label("Find a person").click();
    h.step();
    h.step();
    h.get_by_label("Record").click();
    h.step();
    h.step();
    h.get_by_label_contains("Safeguarding enquiry (section 42)");
    h.get_by_label("Close record").click();
    h.step();
    h.step();
    assert_eq!(h.state().screen(), Screen::Search);
    assert!(h.state().person().is_none());
    open_by_nhs(&mut h, "9990000093");
    assert!(h.query_by_label_contains("Safeguarding enquiry (section 42)").is_none());
    assert_eq!(
        h.get_all_by_label_contains("Restricted item: give a reason to view")
            .count(),
        3
    );

    // The reason is in the audit log.
    h.get_by_label("Audit").click();
    wait_until(&mut h, "audit screen", |a| {
        a.audit_log()
            .is_some_and(|l| l.lines.iter().any(|l| l.event.action == "break_glass"))
    });
    h.get_by_label_contains("(reason: Planning a joint visit with the allocated worker)");
}

/// Rajesh Patel's record is open but for one sexual health attendance, which shows its
/// lane and date only until a reason is given.
#[test]
fn a_sensitive_item_in_an_open_record_is_a_placeholder() {
    let mut h = harness(true);
    wait_for_training(&mut h);
    open_by_nhs(&mut h, "9990000085");
    assert_eq!(
        h.get_all_by_label("Carer's assessment").count(),
        2,
        "its kind and its title in the list"
    );
    assert!(h.query_by_label_contains("Sexual health").is_none());
    h.get_by_label("1 restricted item hidden: select one to give a reason");
    // The record can be exported and printed from here (restricted items left out).
    h.get_by_label("Export record…");
    h.get_by_label("Export as FHIR…");
    h.get_by_label("Print summary…");
    h.get_by_label_contains("Restricted item: give a reason to view")
        .click_accesskit();
    h.step();
    h.step();
    h.get_by_label("Restricted item");
    h.get_by_label("Items in the sensitive categories are hidden. 1 restricted item.");
    let reason = h.get_by_label("Reason for access");
    reason.focus();
    reason.type_text("Carer's health check follow-up");
    h.step();
    h.get_by_label("Show restricted items").click();
    // The reason is audited on the database thread, which then sends the whole record.
    wait_until(&mut h, "the revealed record", |a| {
        a.person().is_some_and(|p| p.revealed)
    });
    assert!(
        h.get_all_by_label_contains("Sexual health clinic attendance").count() >= 2,
        "list row and detail"
    );
}

#[test]
fn every_screen_can_be_visited() {
    let mut h = harness_as(true, Role::InformationGovernanceLead);
    wait_for_training(&mut h);
    h.get_by_label("Sources and data quality").click();
    wait_until(&mut h, "sources screen", |a| a.screen() == Screen::Sources);
    // The items per source are counted when the screen opens, not at start.
    wait_until(&mut h, "items per source", |a| a.source_summary().is_some());
    let by_source = h.state().source_summary().expect("counted").to_vec();
    assert!(by_source.len() >= 5, "{by_source:?}");
    let council = by_source
        .iter()
        .find(|s| s.source == "Westmere Council Adult Social Care")
        .expect("the council's items");
    h.get_by_label(&council.items.to_string());
    h.get_by_label_contains("Waiting to be matched: 1 without an NHS number");
    h.get_by_label("Sources disagree about 1 person");
    h.get_by_label("JENKINS, Arthur");
    h.get_by_label("NOWAK, Wladyslaw").click_accesskit();
    wait_until(&mut h, "unmatched person", |a| a.person().is_some());
    h.get_by_label_contains("none: waiting to be matched");
    h.get_by_label("Audit").click();
    wait_until(&mut h, "audit screen", |a| a.screen() == Screen::Audit);
    h.get_by_label_contains("Every open, search, import");
    h.get_by_label("Record").click();
    wait_until(&mut h, "record screen", |a| a.screen() == Screen::Person);
    h.get_all_by_label("Find a person").next().expect("navigation").click();
    wait_until(&mut h, "search screen", |a| a.screen() == Screen::Search);
    h.get_by_label("Recently opened");
    h.get_by_label("NOWAK, Wladyslaw");
}

#[test]
fn empty_database_welcomes_and_loads_training_people() {
    let mut h = harness(false);
    wait_until(&mut h, "overview", |a| a.overview().is_some());
    h.get_by_label("Welcome to the Joined-Up Care Record");
    h.get_by_label("Load the training people").click();
    wait_until(&mut h, "training people", |a| {
        a.overview().is_some_and(|o| o.people >= 13)
    });
}

#[test]
fn discharge_board_filters_sorts_and_opens_a_person() {
    let mut h = harness(true);
    wait_for_training(&mut h);
    h.get_by_label("Discharge board").click();
    wait_until(&mut h, "board", |a| a.board().is_some());
    h.get_by_label("3 of 3 people in hospital");
    // Sorted by delay, longest first: Margaret Okafor (10 days, two reasons) leads.
    let names: Vec<String> = h
        .get_all_by_label_contains(", ")
        .filter_map(|n| n.accesskit_node().label())
        .filter(|l| ["OKAFOR, Margaret", "BAKER, Joan", "REID, Thomas"].contains(&l.as_str()))
        .collect();
    assert_eq!(names, vec!["OKAFOR, Margaret", "BAKER, Joan", "REID, Thomas"]);
    h.get_by_label("10 d");
    h.get_by_label_contains("Awaiting profiling bed delivery to home [NHS]");
    // Sort by name, ascending after a second click.
    h.get_by_label("Name").click_accesskit();
    h.step();
    h.step();
    h.get_by_label("Name v").click_accesskit();
    h.step();
    h.step();
    let names: Vec<String> = h
        .get_all_by_label_contains(", ")
        .filter_map(|n| n.accesskit_node().label())
        .filter(|l| ["OKAFOR, Margaret", "BAKER, Joan", "REID, Thomas"].contains(&l.as_str()))
        .collect();
    assert_eq!(names, vec!["BAKER, Joan", "OKAFOR, Margaret", "REID, Thomas"]);
    // Filter by pathway 2: only Joan Baker.
    h.state_mut().set_board_pathway_filter(Some(2));
    h.step();
    h.step();
    h.get_by_label("1 of 3 people in hospital");
    h.get_by_label("BAKER, Joan").click_accesskit();
    wait_until(&mut h, "Joan Baker's record", |a| {
        a.person()
            .is_some_and(|p| p.record.person.demographics.family_name == "Baker")
    });
    h.get_by_label_contains("In hospital: Northgate General Hospital, Oak Ward");
    h.get_by_label_contains("Ready today");
}

#[test]
fn a_coordinator_adds_a_delay_reason_from_the_record() {
    let mut h = harness(true);
    wait_for_training(&mut h);
    let search = h.get_by_label("Search by NHS number or name");
    search.focus();
    search.type_text("9990000131");
    wait_until(&mut h, "Joan Baker's record", |a| a.person().is_some());
    // Read-only until Edit; the new reason is a draft until Save.
    h.get_by_label("Edit").click();
    h.step();
    h.step();
    let reason = h.get_by_label("Reason");
    reason.focus();
    reason.type_text("Family want to visit the rehab unit first");
    h.step();
    h.get_by_label("Add reason").click();
    h.step();
    h.step();
    h.get_by_label_contains("New: Family want to visit the rehab unit first [NHS]");
    h.get_by_label("Save").click();
    wait_until(&mut h, "the new reason", |a| {
        a.person()
            .is_some_and(|p| p.record.spells.iter().any(|s| s.delay_reasons.len() == 2))
    });
    h.get_by_label_contains("Family want to visit the rehab unit first since");
    h.get_by_label("Delay reasons (2)");
}

#[test]
fn chc_caseload_and_a_dst_form_with_a_live_outcome() {
    let mut h = harness(true);
    wait_for_training(&mut h);
    h.get_by_label("CHC").click();
    wait_until(&mut h, "caseload", |a| a.chc_caseload().is_some());
    h.get_by_label("4 open, overdue first");
    h.get_by_label("day 49 of 28");
    h.get_by_label("ADEYEMI, Samuel").click_accesskit();
    wait_until(&mut h, "Samuel Adeyemi", |a| a.person().is_some());
    h.get_by_label("Rules: full assessment required: A in Breathing, an asterisked domain");
    h.get_by_label_contains("Checklist positive, awaiting DST: day 49 of 28");
    h.get_by_label("Record a DST").click();
    h.step();
    h.step();
    // No outcome until every domain is chosen (SAFETY H42): "No needs" in each, "None" in Other.
    h.get_by_label("not yet assessed: 0 of 12 domains chosen");
    for level in h.get_all_by_label("No needs") {
        level.click_accesskit();
    }
    h.get_by_label("None").click_accesskit();
    h.step();
    h.step();
    h.get_by_label("The rules give: no rule indicates eligibility: 0 Severe, 0 High, 0 Moderate");
    // Severe is offered only where a domain can have it: Breathing, Nutrition, Skin, Mobility,
    // Cognition, Behaviour, Drug therapies and Other.
    assert_eq!(h.get_all_by_label("Severe").count(), 8);
    h.get_all_by_label("Severe").nth(2).expect("Skin").click_accesskit();
    h.step();
    h.step();
    h.get_by_label_contains("The rules give: no rule indicates eligibility: 1 Severe");
    h.get_all_by_label("Severe")
        .nth(4)
        .expect("Cognition")
        .click_accesskit();
    h.step();
    h.step();
    h.get_by_label(
        "The rules give: clear recommendation of eligibility expected: Severe in 2 domains: Skin, Cognition",
    );
    let by = h.get_by_label("Completed by");
    by.focus();
    by.type_text("MDT: respiratory nurse, social worker");
    h.step();
    h.get_by_label("Save Decision Support Tool").click();
    wait_until(&mut h, "the DST stored", |a| {
        a.person().is_some_and(|p| p.record.chc.len() == 2)
    });
    h.get_by_label("Rules: clear recommendation of eligibility expected: Severe in 2 domains: Skin, Cognition");
    wait_until(&mut h, "caseload refreshed", |a| {
        a.chc_caseload().is_some_and(|c| {
            c.iter().any(|r| {
                r.name == "ADEYEMI, Samuel" && r.case.stage == joinedup::domain::chc_case::ChcStage::AwaitingDecision
            })
        })
    });
}

#[test]
fn care_plans_side_by_side_with_gaps_and_version_comparison() {
    let mut h = harness(true);
    wait_for_training(&mut h);
    let search = h.get_by_label("Search by NHS number or name");
    search.focus();
    search.type_text("9990000042");
    wait_until(&mut h, "Samuel Adeyemi", |a| a.person().is_some());
    h.get_by_label("Care plans").click();
    h.step();
    h.step();
    h.get_by_label("Care plans (2 current)");
    h.get_by_label("COPD self-management plan");
    h.get_by_label("Care and support plan");
    h.get_by_label_contains("Review overdue since");
    h.get_by_label("No action is linked to the need \"Social isolation\" (Care and support plan)");
    h.get_by_label("Every plan has one version so far.");
    // Each plan says which version it is, when it was recorded and by whom (dates
    // shift with the training story, so only the words around them are fixed).
    let line = h
        .get_by_label_contains("by Nadia Hussain (Westmere Community Health)")
        .accesskit_node()
        .value()
        .unwrap_or_default();
    assert!(line.starts_with("Version 2, recorded "), "{line}");
    h.get_by_label_contains("by Amina Shah (Westmere Council)");
    // Who does what: action, who, due and status; the council's first review, due
    // before today and not started, is flagged overdue in words.
    for header in ["Action", "Who", "Due", "Status"] {
        h.get_by_label(header);
    }
    h.get_by_label("1 action(s) overdue");
    h.get_by_label("First review of the care and support plan");
    h.get_by_label("Local authority: Westmere Council");
    let overdue = h
        .get_by_label_contains("Overdue since ")
        .accesskit_node()
        .value()
        .unwrap_or_default();
    let since = joinedup::domain::dates::parse_date(overdue.trim_start_matches("Overdue since ")).expect("a date");
    assert!(since < chrono::Local::now().date_naive(), "{overdue}");
    assert!(h.get_all_by_label("Not started").count() >= 1);
    assert!(h.get_all_by_label("In progress").count() >= 3);

    // Rajesh Patel's carer's support plan has two versions.
    h.get_all_by_label("Find a person").next().expect("navigation").click();
    wait_until(&mut h, "search", |a| a.screen() == Screen::Search);
    let search = h.get_by_label("Search by NHS number or name");
    search.focus();
    h.step();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.step();
    let search = h.get_by_label("Search by NHS number or name");
    search.type_text("9990000085");
    wait_until(&mut h, "Rajesh Patel", |a| {
        a.person()
            .is_some_and(|p| p.record.person.demographics.family_name == "Patel")
    });
    h.get_by_label("Care plans").click();
    h.step();
    h.step();
    let header = h
        .get_by_label_contains("What changed from version 1 (")
        .accesskit_node()
        .value()
        .unwrap_or_default();
    assert!(
        header.contains(" by Amina Shah (Westmere Council)) to version 2 (recorded ")
            && header.ends_with(" by Tom Asante (Westmere Council))"),
        "{header}"
    );
    h.get_by_label("action progress changed: Register as a carer at the surgery: Not started -> Done");
    h.get_by_label("goal added: I want to keep my job.");
    h.get_by_label("personal budget changed: £68.00 a week -> £94.50 a week");
    // Choose the same version on both sides: nothing changed.
    h.get_by_label("to v1").click_accesskit();
    h.step();
    h.step();
    h.get_by_label_contains("What changed from version 1 (");
    assert!(h.query_by_label_contains("to version 2 (").is_none());
    h.get_by_label("Nothing changed.");
}

#[test]
fn matching_queue_suggests_with_reasons_and_links() {
    let mut h = harness(true);
    wait_for_training(&mut h);
    h.get_by_label("Sources and data quality").click();
    wait_until(&mut h, "sources", |a| a.screen() == Screen::Sources);
    h.get_by_label("Find matches for NOWAK, Wladyslaw").click_accesskit();
    h.step();
    for _ in 0..100 {
        h.step();
        if h.query_by_label_contains("No likely match").is_some() {
            break;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    // No one in the training data is Mr Nowak with an NHS number: nothing is suggested.
    h.get_by_label_contains("No likely match among people with an NHS number.");
}

#[test]
fn a_fast_track_needs_an_appropriate_clinician_and_a_reason() {
    let mut h = harness(true);
    wait_for_training(&mut h);
    h.get_by_label("CHC").click();
    wait_until(&mut h, "caseload", |a| a.chc_caseload().is_some());
    h.get_by_label("ADEYEMI, Samuel").click_accesskit();
    wait_until(&mut h, "Samuel Adeyemi", |a| a.person().is_some());
    let before = h.state().person().expect("loaded").record.chc.len();
    h.get_by_label("Record a Fast Track").click();
    h.step();
    h.step();
    h.get_by_label("say who completed the Fast Track");
    let by = h.get_by_label("Completed by");
    by.focus();
    by.type_text("Dr R. Okafor");
    h.step();
    h.step();
    h.get_by_label_contains("a Fast Track is completed by an appropriate clinician");
    h.get_by_label("Registered medical practitioner").click_accesskit();
    h.step();
    h.step();
    let reason = h.get_by_label("Reason");
    reason.focus();
    reason.type_text("Rapid decline in breathing; likely in the last weeks of life");
    h.step();
    h.step();
    h.get_by_label("Save Fast Track").click();
    wait_until(&mut h, "the Fast Track stored", |a| {
        a.person().is_some_and(|p| p.record.chc.len() == before + 1)
    });
    h.get_by_label("Reason: Rapid decline in breathing; likely in the last weeks of life");
    let stored = h.state().person().expect("loaded");
    let fast = stored
        .record
        .chc
        .iter()
        .find(|a| a.kind == joinedup::domain::chc::ChcAssessmentKind::FastTrack)
        .expect("a fast track");
    assert_eq!(
        fast.completed_by.as_deref(),
        Some("Dr R. Okafor (Registered medical practitioner)")
    );
}

#[test]
fn a_common_name_says_there_are_more_than_shown() {
    let mut store = Store::open_in_memory().expect("store");
    let as_of = chrono::NaiveDate::from_ymd_opt(2026, 11, 22).expect("date");
    let numbers = joinedup::generate::nhs_numbers(1, 3_000).expect("numbers");
    let batch = joinedup::generate::chunk(1, as_of, 0, &numbers);
    store
        .apply_import(&batch, as_of.and_hms_opt(9, 0, 0).expect("time"))
        .expect("stored");
    let config = AppConfig {
        db: joinedup::store::Location::File("unused".into()),
        is_training: false,
        actor: "tester".into(),
        role: Some(Role::CareCoordinator),
        theme: None,
    };
    let app = JoinedUpApp::with_store(&egui::Context::default(), store, config, Default::default());
    let mut h = Harness::builder()
        .with_size(egui::vec2(1400.0, 900.0))
        .build_ui_state(|ui, app: &mut JoinedUpApp| app.ui_root(ui), app);
    h.step();
    // A care coordinator starts on the worklist.
    assert_eq!(h.state().screen(), Screen::Worklist);
    h.get_by_label("Find a person").click();
    h.step();
    h.step();
    let search = h.get_by_label("Search by NHS number or name");
    search.focus();
    search.type_text("smith");
    wait_until(&mut h, "search results", |a| {
        a.search_results().is_some_and(|r| !r.is_empty())
    });
    h.get_by_label_contains("More than 50 match; the first 50 are shown.");
}

#[test]
fn the_role_is_chosen_at_start_and_written_to_the_audit_log() {
    let store = Store::open_in_memory().expect("store");
    let config = AppConfig {
        db: joinedup::store::Location::File("unused".into()),
        is_training: true,
        actor: "jsmith".into(),
        role: None,
        theme: None,
    };
    let app = JoinedUpApp::with_store(&egui::Context::default(), store, config, Default::default());
    let mut h = Harness::builder()
        .with_size(egui::vec2(1400.0, 900.0))
        .build_ui_state(|ui, app: &mut JoinedUpApp| app.ui_root(ui), app);
    h.step();
    // Nothing of the record until a role is chosen.
    h.get_by_label("Who are you working as?");
    assert!(h.query_by_label("Search by NHS number or name").is_none());
    assert!(h.query_by_label("Discharge board").is_none());
    assert!(h.query_by_label("Import…").is_none());
    h.get_by_label("User: jsmith (this computer's account)");
    h.get_by_label("Role: not chosen yet");
    h.get_by_label("Information governance lead").click();
    h.step();
    h.step();
    assert_eq!(h.state().role(), Some(Role::InformationGovernanceLead));
    // The status bar says the role once the service has it.
    wait_until(&mut h, "the chosen role in the status bar", |a| {
        a.session()
            .is_some_and(|s| s.role == Some(Role::InformationGovernanceLead))
    });
    h.get_by_label("Role: Information governance lead");
    wait_for_training(&mut h);
    let search = h.get_by_label("Search by NHS number or name");
    search.focus();
    search.type_text("9990000026");
    wait_until(&mut h, "Harold Bennett's record", |a| a.person().is_some());
    h.get_by_label_contains("jsmith (Information governance lead, claimed)  Opened a record: opened the record");
}
