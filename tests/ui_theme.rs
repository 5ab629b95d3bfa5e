//! The NHS look: a light theme by default with a dark one to switch to, and the
//! patient banner after NHS Common User Interface guidance, with graded alerts and a
//! height that does not depend on what the person has recorded (SAFETY.md H32).

mod common;

use common::{open_by_nhs, settle, wait_for_training, wait_until};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use joinedup::domain::dates::{age_on, fmt_date};
use joinedup::domain::governance::Role;
use joinedup::store::Store;
use joinedup::ui::theme::ThemeChoice;
use joinedup::ui::{Command, JoinedUpApp, Screen};

fn harness() -> Harness<'static, JoinedUpApp> {
    common::harness_with(
        Store::open_in_memory().expect("store"),
        common::config(true, Role::CareCoordinator),
    )
}

/// The top of the control under the banner (Follow or Unfollow), in points.
fn below_banner_top(h: &Harness<'_, JoinedUpApp>) -> f32 {
    h.query_by_label("Follow")
        .or_else(|| h.query_by_label("Unfollow"))
        .expect("the follow button under the banner")
        .rect()
        .top()
}

#[test]
fn the_banner_names_a_training_person_as_the_nhs_guidance_does() {
    let mut h = harness();
    wait_for_training(&mut h);
    open_by_nhs(&mut h, "9990000093");
    settle(&mut h);
    let person = h.state().person().expect("loaded").record.person.clone();
    // FAMILY name in capitals, then given name; NHS number 3 3 4.
    h.get_by_label("MORGAN, Lisa");
    h.get_by_label("999 000 0093");
    // Date of birth dd-Mmm-yyyy with the age, then sex.
    let dob = person.demographics.date_of_birth.expect("a date of birth");
    let age = age_on(dob, chrono::Local::now().date_naive());
    let born = format!("{} ({age}y)", fmt_date(dob));
    assert!(born.as_bytes()[2] == b'-' && born.as_bytes()[6] == b'-', "{born}");
    h.get_by_label(&born);
    h.get_by_label("Sex");
    h.get_by_label(person.demographics.sex.label());
    // Her record is plainly restricted; her alert is held back with the rest: the
    // only "Safeguarding" is the name of the canvas's lane, drawn empty on every record.
    h.get_by_label("Restricted record: every item is hidden until a reason is given");
    let safeguarding: Vec<Option<String>> = h
        .query_all_by_label_contains("Safeguarding")
        .map(|n| n.accesskit_node().value())
        .collect();
    assert_eq!(safeguarding, vec![Some("Safeguarding".to_owned())]);
    let reason = h.get_by_label("Reason for access");
    reason.focus();
    reason.type_text("Planning a joint visit with the allocated worker");
    h.step();
    h.get_by_label("Show restricted items").click();
    wait_until(&mut h, "the reveal", |a| a.person().is_some_and(|p| p.revealed));
    // Once revealed, the safeguarding alert is graded as danger, and the banner says why it shows.
    h.get_by_label("Danger: Safeguarding: contact the allocated worker before any home visit");
    h.get_by_label("Restricted record: shown because you gave a reason, until you close it");
}

#[test]
fn lives_alone_is_not_graded_like_safeguarding_and_the_banner_height_is_fixed() {
    let mut h = harness();
    wait_for_training(&mut h);
    // Harold Bennett has no alerts.
    open_by_nhs(&mut h, "9990000026");
    settle(&mut h);
    h.get_by_label("No alerts recorded");
    let without_alerts = below_banner_top(&h);
    // Margaret Okafor has two, neither of them danger.
    h.state_mut().apply(Command::CloseRecord);
    h.state_mut().apply(Command::Navigate(Screen::Search));
    settle(&mut h);
    open_by_nhs(&mut h, "999 000 0018");
    settle(&mut h);
    h.get_by_label("Information: Lives alone");
    h.get_by_label("Information: Hard of hearing: face her when speaking");
    assert!(h.query_by_label_contains("Danger:").is_none());
    let with_alerts = below_banner_top(&h);
    assert!(
        (with_alerts - without_alerts).abs() < 0.5,
        "the controls under the banner moved: {without_alerts} then {with_alerts}"
    );
}

#[test]
fn the_window_is_light_by_default_and_switches_to_dark() {
    let mut h = harness();
    wait_for_training(&mut h);
    settle(&mut h);
    assert_eq!(h.state().theme(), ThemeChoice::Light);
    assert!(!h.ctx.global_style().visuals.dark_mode);
    assert!(h.ctx.global_style().text_styles[&egui::TextStyle::Body].size >= 14.0);
    h.get_by_label("Dark theme").click();
    settle(&mut h);
    assert_eq!(h.state().theme(), ThemeChoice::Dark);
    assert!(h.ctx.global_style().visuals.dark_mode);
    h.get_by_label("Light theme").click();
    settle(&mut h);
    assert!(!h.ctx.global_style().visuals.dark_mode);
}

#[test]
fn the_banner_is_in_the_same_place_on_every_person_screen() {
    let mut h = harness();
    wait_for_training(&mut h);
    open_by_nhs(&mut h, "9990000018");
    settle(&mut h);
    let on_record = h.get_by_label("OKAFOR, Margaret").rect();
    for screen in [Screen::Plans, Screen::Chc, Screen::Person] {
        h.state_mut().apply(Command::Navigate(screen));
        settle(&mut h);
        let here = h.get_by_label("OKAFOR, Margaret").rect();
        assert!(
            (here.top() - on_record.top()).abs() < 0.5 && (here.left() - on_record.left()).abs() < 0.5,
            "{screen:?}: the banner is at {here:?}, on the record at {on_record:?}"
        );
        h.get_by_label("Information: Lives alone");
    }
}

#[test]
fn the_active_preset_is_shown_until_the_window_moves() {
    let mut h = harness();
    wait_for_training(&mut h);
    open_by_nhs(&mut h, "9990000018");
    settle(&mut h);
    // egui gives a selected button the "toggled" state.
    let is_selected = |h: &Harness<'_, JoinedUpApp>, label: &str| {
        h.get_by_label(label).accesskit_node().toggled() == Some(egui::accesskit::Toggled::True)
    };
    // A record opens on the last year.
    assert!(is_selected(&h, "1 year"));
    assert!(!is_selected(&h, "14 days"));
    h.get_by_label("14 days").click();
    settle(&mut h);
    assert!(is_selected(&h, "14 days"));
    assert!(!is_selected(&h, "1 year"));
    // Zoomed, the window is no preset's.
    h.get_by_label("Zoom in (+)").click();
    settle(&mut h);
    assert!(!is_selected(&h, "14 days"));
}

#[test]
fn the_board_delay_bands_read_at_wcag_aa_and_differ_from_one_another() {
    use joinedup::domain::board_counts::DelayColourBand;
    use joinedup::ui::theme::{DARK, LIGHT, contrast_ratio};
    for palette in [&LIGHT, &DARK] {
        let mut fills = Vec::new();
        for band in DelayColourBand::ALL {
            let flag = palette.delay_band(band);
            let ratio = contrast_ratio(flag.text, flag.fill);
            assert!(ratio >= 4.5, "{}: {ratio:.2}:1", band.label());
            assert!(!fills.contains(&flag.fill), "{} repeats a colour", band.label());
            fills.push(flag.fill);
        }
        // Red only from two weeks: 7-13 days is not the danger red.
        assert_ne!(
            palette.delay_band(DelayColourBand::Days7To13).fill,
            palette.danger_flag.fill
        );
    }
}
