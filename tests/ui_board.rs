//! The discharge readiness board a coordinator would choose (issue 17 item 5): the
//! name first and frozen, then next action and owner; every column fits at 1280
//! pixels; a delay's band in colour and words; a delay with no reason flagged; the
//! tiles counting the rows the filters leave; a restricted stay no more disclosed
//! than before (SAFETY.md H41).

use chrono::NaiveDate;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use joinedup::domain::DelayReason;
use joinedup::domain::board::{BoardFilter, BoardInput, BoardPerson, build_rows};
use joinedup::domain::board_counts::{DelayColourBand, NO_REASON_RECORDED};
use joinedup::domain::discharge::{CtrReview, summarise};
use joinedup::domain::hospital::{Attribution, HospitalSpell};
use joinedup::ui::theme::{self, ThemeChoice};
use joinedup::ui::views::board::{BoardData, BoardView};

const AS_OF: &str = "2026-11-22";

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// One inpatient admitted on 1 November, pathway 1 on Elm Ward, `delayed` days past a
/// DRD (none: meets the criteria), with a delay reason or not.
fn stay(id: i64, name: &str, nhs: &str, delayed: Option<i64>, reason: Option<&str>) -> BoardInput {
    let as_of = day(AS_OF);
    let review = match delayed {
        Some(d) => CtrReview {
            date: as_of - chrono::Duration::days(d),
            meets: false,
            code: None,
        },
        None => CtrReview {
            date: day("2026-11-01"),
            meets: true,
            code: Some("02".into()),
        },
    };
    BoardInput {
        person: BoardPerson {
            person_id: id,
            nhs_number: Some(nhs.parse().unwrap()),
            display_name: name.into(),
            allocated_worker: None,
        },
        spell: HospitalSpell {
            episode_id: id,
            hospital: "Northgate General Hospital".into(),
            ward: Some("Elm Ward".into()),
            admitted: day("2026-10-20").and_hms_opt(9, 0, 0),
            pathway: Some(1),
            ctr_reviews: vec![review],
            next_action: Some(format!("Next step for {name}")),
            next_action_owner: Some("Westmere brokerage".into()),
            delay_reasons: reason
                .map(|r| DelayReason {
                    id,
                    code: "A".into(),
                    description: r.into(),
                    attribution: Attribution::SocialCare,
                    since: as_of - chrono::Duration::days(delayed.unwrap_or(0)),
                    owner: Some("Brokerage team".into()),
                })
                .into_iter()
                .collect(),
            ..Default::default()
        },
        social_care: vec![],
        is_known_to_social_care: false,
        chc: vec![],
        is_restricted: false,
    }
}

fn board(inputs: &[BoardInput]) -> BoardData {
    let as_of = day(AS_OF);
    let spells: Vec<_> = inputs.iter().map(|i| &i.spell).collect();
    BoardData {
        as_of,
        rows: build_rows(inputs, as_of),
        summary: summarise(&spells, &[], as_of),
    }
}

/// Five people, one in each delay band; ADAMS (3 days) has no reason recorded.
fn five_bands() -> Vec<BoardInput> {
    let mut adams = stay(2, "ADAMS, Ruth", "9990000026", Some(3), None);
    adams.spell.pathway = Some(2);
    vec![
        stay(1, "OKAFOR, Margaret", "9990000018", Some(0), Some("Awaiting home care")),
        adams,
        stay(3, "BAKER, Joan", "9990000131", Some(10), Some("Awaiting a rehab bed")),
        stay(4, "REID, Thomas", "9990000123", Some(15), Some("Awaiting equipment")),
        stay(
            5,
            "CHEN, Li",
            "9990000093",
            Some(25),
            Some("Awaiting a care home place"),
        ),
    ]
}

fn harness(data: BoardData, width: f32) -> Harness<'static, (BoardView, BoardData)> {
    // Narrow windows wrap the tiles and charts onto more lines: give the table room.
    let height = if width < 1000.0 { 1400.0 } else { 800.0 };
    let mut h = Harness::builder().with_size(egui::vec2(width, height)).build_ui_state(
        |ui, (view, data): &mut (BoardView, BoardData)| {
            let _ = view.ui(ui, Some(data));
        },
        (BoardView::default(), data),
    );
    theme::install(&h.ctx, ThemeChoice::Light);
    h.ctx.set_theme(egui::Theme::Light);
    for _ in 0..4 {
        h.step();
    }
    h
}

/// A column's header button.
fn header(h: &Harness<'_, (BoardView, BoardData)>, label: &str) -> egui::Rect {
    h.get_by_role_and_label(egui::accesskit::Role::Button, label).rect()
}

#[test]
fn the_name_comes_first_then_next_action_and_owner_and_everything_fits_at_1280() {
    let h = harness(board(&five_bands()), 1280.0);
    let order = [
        "Name",
        "Next action",
        "Owner",
        "Delay v",
        "Delay reasons",
        "DRD",
        "Criteria to reside",
        "LoS",
        "Pathway",
        "Social care",
        "CHC",
        "Hospital",
        "Ward",
        "Admitted",
    ];
    let lefts: Vec<f32> = order.iter().map(|l| header(&h, l).left()).collect();
    assert!(lefts.windows(2).all(|w| w[0] < w[1]), "columns out of order: {lefts:?}");
    for l in order {
        let r = header(&h, l);
        assert!(r.right() <= 1280.0, "{l} is cut off at 1280 px: {r:?}");
    }
}

#[test]
fn cut_text_shows_whole_on_hover() {
    let long = "Brokerage to confirm a provider for four calls a day, double-handed, from Monday, key safe fitted";
    let mut inputs = five_bands();
    inputs[0].spell.next_action = Some(long.into());
    let mut h = harness(board(&inputs), 1280.0);
    h.ctx.all_styles_mut(|s| s.interaction.tooltip_delay = 0.0);
    let cell = h.get_by_label(long).rect();
    assert!(
        cell.width() <= 130.0 && cell.height() < 45.0,
        "cut to two lines: {cell:?}"
    );
    h.event(egui::Event::PointerMoved(cell.center()));
    for _ in 0..6 {
        h.step();
    }
    assert_eq!(h.get_all_by_label(long).count(), 2, "the whole text in a tooltip");
}

#[test]
fn the_frozen_names_scroll_with_their_rows() {
    let inputs: Vec<BoardInput> = (0..40)
        .map(|i| {
            stay(
                100 + i,
                &format!("PERSON, Number {i:02}"),
                "9990000042",
                Some(i),
                Some("Awaiting"),
            )
        })
        .collect();
    let mut h = harness(board(&inputs), 1280.0);
    // Longest delay first: number 39 leads and number 00, last, is not yet drawn.
    h.get_by_label("PERSON, Number 39");
    assert!(h.query_by_label("PERSON, Number 00").is_none());
    let over_table = header(&h, "Owner").center() + egui::vec2(0.0, 100.0);
    h.event(egui::Event::PointerMoved(over_table));
    for _ in 0..20 {
        h.event(egui::Event::MouseWheel {
            unit: egui::MouseWheelUnit::Point,
            delta: egui::vec2(0.0, -300.0),
            modifiers: egui::Modifiers::NONE,
            phase: egui::TouchPhase::Move,
            source: egui::MouseWheelSource::Unknown,
        });
        h.step();
    }
    for _ in 0..20 {
        h.step();
    }
    // Scrolled over the right half, number 00 comes into view, its frozen name level
    // with its own next action.
    let name = h.get_by_label("PERSON, Number 00").rect();
    let action = h.get_by_label("Next step for PERSON, Number 00").rect();
    assert!(name.bottom() <= 800.0, "scrolled to the end: {name:?}");
    assert!(
        (name.top() - action.top()).abs() < 2.0,
        "name {name:?}, its action {action:?}"
    );
    // Scrolled back over the frozen names, the rest follows.
    h.event(egui::Event::PointerMoved(name.center()));
    for _ in 0..20 {
        h.event(egui::Event::MouseWheel {
            unit: egui::MouseWheelUnit::Point,
            delta: egui::vec2(0.0, 300.0),
            modifiers: egui::Modifiers::NONE,
            phase: egui::TouchPhase::Move,
            source: egui::MouseWheelSource::Unknown,
        });
        h.step();
    }
    for _ in 0..20 {
        h.step();
    }
    let name = h.get_by_label("PERSON, Number 39").rect();
    let action = h.get_by_label("Next step for PERSON, Number 39").rect();
    assert!(
        (name.top() - action.top()).abs() < 2.0,
        "name {name:?}, its action {action:?}"
    );
}

#[test]
fn the_name_column_stays_when_the_table_scrolls_sideways() {
    let mut h = harness(board(&five_bands()), 760.0);
    let name_before = h.get_by_label("OKAFOR, Margaret").rect();
    let admitted = header(&h, "Admitted");
    assert!(
        admitted.right() > 760.0,
        "at 760 px the last column is off screen: {admitted:?}"
    );
    let over_table = header(&h, "Owner").center() + egui::vec2(0.0, 60.0);
    h.event(egui::Event::PointerMoved(over_table));
    for _ in 0..10 {
        h.event(egui::Event::MouseWheel {
            unit: egui::MouseWheelUnit::Point,
            delta: egui::vec2(-200.0, 0.0),
            modifiers: egui::Modifiers::NONE,
            phase: egui::TouchPhase::Move,
            source: egui::MouseWheelSource::Unknown,
        });
        h.step();
    }
    for _ in 0..10 {
        h.step();
    }
    let admitted_after = header(&h, "Admitted");
    assert!(
        admitted_after.left() < admitted.left() - 50.0,
        "the table scrolled: {admitted:?} then {admitted_after:?}"
    );
    let name_after = h.get_by_label("OKAFOR, Margaret").rect();
    assert!(
        (name_after.left() - name_before.left()).abs() < 0.5,
        "the name column moved: {name_before:?} then {name_after:?}"
    );
}

#[test]
fn each_delay_shows_its_band_in_words_and_a_delay_without_a_reason_is_flagged() {
    let h = harness(board(&five_bands()), 1280.0);
    // Each band's words: once in the colour key, once on its row.
    for b in DelayColourBand::ALL {
        assert_eq!(h.get_all_by_label(b.label()).count(), 2, "{}", b.label());
    }
    for d in ["0 d", "3 d", "10 d", "15 d", "25 d"] {
        h.get_by_label(d);
    }
    // Five fills, one per band: not one red for everything over 7 days.
    let fills: std::collections::BTreeSet<[u8; 4]> = DelayColourBand::ALL
        .iter()
        .map(|b| theme::LIGHT.delay_band(*b).fill.to_array())
        .collect();
    assert_eq!(fills.len(), 5);
    // Only Ruth Adams is past her DRD with no reason, and it says so in words.
    assert_eq!(h.get_all_by_label(NO_REASON_RECORDED).count(), 1);
    let flag = h.get_by_label(NO_REASON_RECORDED).rect();
    let adams = h.get_by_label("ADAMS, Ruth").rect();
    assert!(
        (flag.center().y - adams.center().y).abs() < 20.0,
        "flag {flag:?}, row {adams:?}"
    );
    h.get_by_label("Delayed, no reason recorded: 1");
}

#[test]
fn the_tiles_follow_the_filters() {
    let mut h = harness(board(&five_bands()), 1280.0);
    h.get_by_label("In hospital: 5");
    h.get_by_label("No longer meet criteria: 5");
    h.get_by_label("Delayed bed days: 53");
    h.get_by_label("Delay reasons by attribution: NHS 0 | Social care 4 | Both 0 | Other 0");
    h.state_mut().0.filter = BoardFilter {
        min_days_delayed: 7,
        ..Default::default()
    };
    for _ in 0..3 {
        h.step();
    }
    h.get_by_label("3 of 5 people in hospital");
    h.get_by_label("In hospital: 3");
    h.get_by_label("Delayed bed days: 50");
    h.get_by_label("Delayed, no reason recorded: 0");
    h.get_by_label("Delay reasons by attribution: NHS 0 | Social care 3 | Both 0 | Other 0");
    h.get_by_label("Figures and charts count the 3 people shown.");
    let counts = h.state().0.counts().clone();
    assert_eq!(counts.inpatients, 3);
    assert_eq!(
        counts.by_pathway["2"], 0,
        "Ruth Adams (pathway 2, 3 days) is filtered out"
    );
    assert!(h.query_by_label("ADAMS, Ruth").is_none());
}

#[test]
fn a_restricted_stay_without_a_reason_is_flagged_and_shows_nothing_more() {
    let mut sealed = stay(7, "MORGAN, Lisa", "9990000107", Some(9), None);
    sealed.is_restricted = true;
    sealed.spell.hospital = "Northgate Sexual Health Clinic".into();
    sealed.spell.ward = Some("Hidden Ward".into());
    sealed.spell.next_action = Some("Refuge placement at 1 Hidden Lane".into());
    sealed.spell.next_action_owner = Some("Refuge team".into());
    let mut sealed_with_reason = stay(8, "PATEL, Anil", "9990000077", Some(4), Some("Awaiting refuge place"));
    sealed_with_reason.is_restricted = true;
    let h = harness(board(&[sealed, sealed_with_reason]), 1280.0);
    // Named, with the NHS number, and marked restricted, as the board did before.
    h.get_by_label("MORGAN, Lisa");
    h.get_by_label("999 000 0107");
    // The flag is shown for the stay with no reason, from its days and reason count only.
    assert_eq!(h.get_all_by_label(NO_REASON_RECORDED).count(), 1);
    let flag = h.get_by_label(NO_REASON_RECORDED).rect();
    let morgan = h.get_by_label("MORGAN, Lisa").rect();
    assert!((flag.center().y - morgan.center().y).abs() < 20.0);
    // Nothing of the stays behind the restriction is anywhere in the window.
    let labels: Vec<String> = h
        .get_all_by_label_contains("")
        .filter_map(|n| n.accesskit_node().label())
        .collect();
    for secret in [
        "Sexual Health",
        "Hidden",
        "Refuge",
        "refuge place",
        "Brokerage team",
        "Westmere",
        "Next step",
    ] {
        assert!(
            labels.iter().all(|l| !l.contains(secret)),
            "{secret} shown on the board: {labels:?}"
        );
    }
    assert!(h.get_all_by_label("restricted").count() >= 8, "{labels:?}");
    h.get_by_label("restricted [Social care]");
}
