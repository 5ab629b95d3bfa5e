//! Tests for what the board's tiles and charts count, its delay colour bands and the
//! "no delay reason recorded" flag (`board_counts`).

use super::board::*;
use super::board_tests::input;
use super::discharge::*;
use crate::domain::dates::parse_date;

fn reason(attribution: crate::domain::hospital::Attribution, since: &str) -> crate::domain::DelayReason {
    crate::domain::DelayReason {
        id: 1,
        code: "A".into(),
        description: "Awaiting a care home place".into(),
        attribution,
        since: parse_date(since).unwrap(),
        owner: None,
    }
}

#[test]
fn delay_colour_bands_follow_the_sitrep_edges() {
    use crate::domain::board_counts::DelayColourBand as B;
    for (days, band, label) in [
        (0, B::Day0, "0 days"),
        (1, B::Days1To6, "1-6 days"),
        (6, B::Days1To6, "1-6 days"),
        (7, B::Days7To13, "7-13 days"),
        (13, B::Days7To13, "7-13 days"),
        (14, B::Days14To20, "14-20 days"),
        (20, B::Days14To20, "14-20 days"),
        (21, B::Days21Plus, "21+ days"),
        (400, B::Days21Plus, "21+ days"),
    ] {
        assert_eq!(B::of(days), band, "{days} days");
        assert_eq!(band.label(), label);
        // The chart's SitRep band for the same delay falls in the same colour band.
        assert_eq!(B::of_band(DelayBand::of(days)), band, "{days} days");
    }
}

/// Five people on one day: the delays 12 (with a reason), 3 (none), 0, none (meets
/// the criteria) and 25 (a restricted stay with a reason, held back but counted).
fn five_rows() -> Vec<BoardRow> {
    use crate::domain::hospital::Attribution;
    let as_of = parse_date("2026-11-22").unwrap();
    let mut a = input("A", "2026-11-01T09:00", Some("2026-11-10"), Some(1));
    a.spell.delay_reasons = vec![reason(Attribution::SocialCare, "2026-11-10")];
    let mut b = input("B", "2026-11-10T09:00", Some("2026-11-19"), Some(2));
    // A reason not yet in force on the day does not count.
    b.spell.delay_reasons = vec![reason(Attribution::Nhs, "2026-11-23")];
    b.spell.ward = Some("Oak".into());
    let c = input("C", "2026-11-15T09:00", Some("2026-11-22"), Some(2));
    let d = input("D", "2026-11-20T09:00", None, None);
    let mut e = input("E", "2026-10-20T09:00", Some("2026-10-28"), Some(3));
    e.is_restricted = true;
    e.spell.delay_reasons = vec![reason(Attribution::Nhs, "2026-10-28")];
    build_rows(&[a, b, c, d, e], as_of)
}

#[test]
fn the_tiles_count_the_rows_the_filters_leave() {
    use crate::domain::board_counts::count_rows;
    use crate::domain::hospital::Attribution;
    let rows = five_rows();
    let days: Vec<Option<i64>> = rows.iter().map(|r| r.days_delayed).collect();
    assert_eq!(days, vec![Some(12), Some(3), Some(0), None, Some(25)]);
    struct Case {
        filter: BoardFilter,
        inpatients: usize,
        no_longer_meeting: usize,
        bed_days: i64,
        no_reason: usize,
        band_7_13: usize,
        pathway_2: usize,
        nhs_reasons: usize,
    }
    let f = |filter: BoardFilter| filter;
    for (name, c) in [
        (
            "no filter",
            Case {
                filter: f(BoardFilter::default()),
                inpatients: 5,
                no_longer_meeting: 4,
                bed_days: 40,
                no_reason: 1,
                band_7_13: 1,
                pathway_2: 2,
                nhs_reasons: 1,
            },
        ),
        (
            "pathway 2",
            Case {
                filter: f(BoardFilter {
                    pathway: Some(2),
                    ..Default::default()
                }),
                inpatients: 2,
                no_longer_meeting: 2,
                bed_days: 3,
                no_reason: 1,
                band_7_13: 0,
                pathway_2: 2,
                nhs_reasons: 0,
            },
        ),
        (
            "ward Oak keeps the restricted row",
            Case {
                filter: f(BoardFilter {
                    ward: "Oak".into(),
                    ..Default::default()
                }),
                inpatients: 2,
                no_longer_meeting: 2,
                bed_days: 28,
                no_reason: 1,
                band_7_13: 0,
                pathway_2: 1,
                nhs_reasons: 1,
            },
        ),
        (
            "delayed 7 days or more",
            Case {
                filter: f(BoardFilter {
                    min_days_delayed: 7,
                    ..Default::default()
                }),
                inpatients: 2,
                no_longer_meeting: 2,
                bed_days: 37,
                no_reason: 0,
                band_7_13: 1,
                pathway_2: 0,
                nhs_reasons: 1,
            },
        ),
        (
            "social care reasons",
            Case {
                filter: f(BoardFilter {
                    attribution: Some(Attribution::SocialCare),
                    ..Default::default()
                }),
                inpatients: 1,
                no_longer_meeting: 1,
                bed_days: 12,
                no_reason: 0,
                band_7_13: 1,
                pathway_2: 0,
                nhs_reasons: 0,
            },
        ),
    ] {
        let counts = count_rows(rows.iter().filter(|r| c.filter.matches(r)));
        assert_eq!(counts.inpatients, c.inpatients, "{name}: inpatients");
        assert_eq!(
            counts.no_longer_meeting_criteria, c.no_longer_meeting,
            "{name}: no longer meeting"
        );
        assert_eq!(counts.delayed_bed_days, c.bed_days, "{name}: bed days");
        assert_eq!(counts.no_reason_recorded, c.no_reason, "{name}: no reason");
        assert_eq!(counts.by_band[&DelayBand::D7To13], c.band_7_13, "{name}: 7-13");
        assert_eq!(counts.by_pathway["2"], c.pathway_2, "{name}: pathway 2");
        assert_eq!(
            counts.by_attribution[&Attribution::Nhs],
            c.nhs_reasons,
            "{name}: NHS reasons"
        );
        assert_eq!(
            counts.by_band.values().sum::<usize>(),
            c.no_longer_meeting,
            "{name}: bands add up"
        );
        assert_eq!(
            counts.by_pathway.values().sum::<usize>(),
            c.inpatients,
            "{name}: pathways add up"
        );
    }
}

#[test]
fn unfiltered_counts_agree_with_the_whole_board_summary() {
    use crate::domain::board_counts::count_rows;
    let as_of = parse_date("2026-11-22").unwrap();
    let inputs = vec![
        input("A", "2026-11-01T09:00", Some("2026-11-10"), Some(1)),
        input("B", "2026-11-10T09:00", Some("2026-11-19"), None),
        input("C", "2026-11-20T09:00", None, Some(0)),
    ];
    let rows = build_rows(&inputs, as_of);
    let spells: Vec<_> = inputs.iter().map(|i| &i.spell).collect();
    let whole = summarise(&spells, &[], as_of);
    let counts = count_rows(&rows);
    assert_eq!(counts.inpatients, whole.inpatients);
    assert_eq!(counts.no_longer_meeting_criteria, whole.no_longer_meeting_criteria);
    assert_eq!(counts.delayed_bed_days, whole.delayed_bed_days);
    for b in DelayBand::ALL {
        assert_eq!(counts.by_band[&b], whole.by_band[b.label()], "band {}", b.label());
    }
    for (p, n) in &whole.by_pathway {
        assert_eq!(counts.by_pathway[p], *n, "pathway {p}");
    }
}

#[test]
fn the_no_reason_flag_reads_only_what_a_restricted_row_already_shows() {
    use crate::domain::board_counts::lacks_delay_reason;
    let rows = five_rows();
    let flagged: Vec<&str> = rows
        .iter()
        .filter(|r| lacks_delay_reason(r))
        .map(|r| r.person.display_name.as_str())
        .collect();
    // Only B: past the DRD with no reason in force. C is on the day, D meets the criteria.
    assert_eq!(flagged, vec!["B"]);
    // A restricted stay with a reason: not flagged, and the flag is read from the row as
    // masked, which keeps only the count and attribution of its reasons (as the board did).
    let e = &rows[4];
    assert!(e.is_restricted && !lacks_delay_reason(e));
    assert!(e.delay_reasons.iter().all(|d| d.description == "restricted"));
    // A restricted stay with no reason is flagged from the same masked row: the flag
    // depends on nothing but its days and its reasons' count, both on the board already.
    let as_of = parse_date("2026-11-22").unwrap();
    let mut sealed = input("S", "2026-11-01T09:00", Some("2026-11-10"), None);
    sealed.is_restricted = true;
    let masked = build_rows(&[sealed.clone()], as_of).remove(0);
    sealed.is_restricted = false;
    let open = build_rows(&[sealed], as_of).remove(0);
    assert_eq!(lacks_delay_reason(&masked), lacks_delay_reason(&open));
    assert_eq!(
        (masked.days_delayed, masked.delay_reasons.len()),
        (open.days_delayed, open.delay_reasons.len())
    );
}
