//! What the board's tiles and charts count, and how its rows are banded: computed
//! from the rows the table shows (after the coordinator's filters), so a figure
//! never counts people the table has hidden. Rows come here already masked
//! (`disclosure::disclose_board_row`), so nothing counted or flagged can say more
//! of a restricted stay than its row does.

use std::collections::BTreeMap;

use super::board::BoardRow;
use super::discharge::DelayBand;
use super::hospital::Attribution;

/// The bands the board colours a delay by (RULES.md 3.3, SitRep): on the day,
/// under a week, one, two and three weeks or more. Each has a label as well as a
/// colour, so the band never rests on colour alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DelayColourBand {
    /// Ready today: 0 days past the discharge ready date.
    Day0,
    Days1To6,
    Days7To13,
    Days14To20,
    Days21Plus,
}

impl DelayColourBand {
    pub const ALL: [DelayColourBand; 5] = [
        DelayColourBand::Day0,
        DelayColourBand::Days1To6,
        DelayColourBand::Days7To13,
        DelayColourBand::Days14To20,
        DelayColourBand::Days21Plus,
    ];

    /// The band of a delay in days past the discharge ready date.
    pub fn of(days: i64) -> Self {
        match days {
            i64::MIN..=0 => DelayColourBand::Day0,
            1..=6 => DelayColourBand::Days1To6,
            7..=13 => DelayColourBand::Days7To13,
            14..=20 => DelayColourBand::Days14To20,
            _ => DelayColourBand::Days21Plus,
        }
    }

    /// The colour band a SitRep reporting band falls in (the chart's bars).
    pub fn of_band(b: DelayBand) -> Self {
        match b {
            DelayBand::D0 => DelayColourBand::Day0,
            DelayBand::D1 | DelayBand::D2To3 | DelayBand::D4To6 => DelayColourBand::Days1To6,
            DelayBand::D7To13 => DelayColourBand::Days7To13,
            DelayBand::D14To20 => DelayColourBand::Days14To20,
            DelayBand::D21Plus => DelayColourBand::Days21Plus,
        }
    }

    /// The words shown with the colour.
    pub fn label(self) -> &'static str {
        match self {
            DelayColourBand::Day0 => "0 days",
            DelayColourBand::Days1To6 => "1-6 days",
            DelayColourBand::Days7To13 => "7-13 days",
            DelayColourBand::Days14To20 => "14-20 days",
            DelayColourBand::Days21Plus => "21+ days",
        }
    }

    /// Index into the theme's band flags.
    pub fn index(self) -> usize {
        self as usize
    }
}

/// The colour band of a row: none while the person meets the criteria or has no DRD.
pub fn row_band(r: &BoardRow) -> Option<DelayColourBand> {
    r.days_delayed.map(DelayColourBand::of)
}

/// The words of the "no reason recorded" flag.
pub const NO_REASON_RECORDED: &str = "No delay reason recorded";

/// A stay past its discharge ready date (one day or more) with no delay reason in
/// force. Read from the row as shown: a restricted row keeps its count of reasons
/// and its days (both already on the board), so the flag reveals nothing more.
pub fn lacks_delay_reason(r: &BoardRow) -> bool {
    r.days_delayed.is_some_and(|d| d >= 1) && r.delay_reasons.is_empty()
}

/// The tiles' and charts' figures for the rows shown.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct BoardCounts {
    pub inpatients: usize,
    pub no_longer_meeting_criteria: usize,
    /// Days after the DRD summed over everyone shown who is delayed.
    pub delayed_bed_days: i64,
    /// Delayed with no delay reason in force ([`lacks_delay_reason`]).
    pub no_reason_recorded: usize,
    /// SitRep band to the number shown no longer meeting the criteria.
    pub by_band: BTreeMap<DelayBand, usize>,
    /// Pathway ("0" to "3", or "not set") to the number shown.
    pub by_pathway: BTreeMap<String, usize>,
    /// Attribution to the number of delay reasons in force on the rows shown.
    pub by_attribution: BTreeMap<Attribution, usize>,
}

/// The pathways the chart shows, in order.
pub const PATHWAYS: [&str; 5] = ["0", "1", "2", "3", "not set"];

/// Count the rows shown. Every band, pathway and attribution is present, at 0 when
/// nothing shown falls in it.
pub fn count_rows<'a>(rows: impl IntoIterator<Item = &'a BoardRow>) -> BoardCounts {
    let mut c = BoardCounts {
        by_band: DelayBand::ALL.iter().map(|b| (*b, 0)).collect(),
        by_pathway: PATHWAYS.iter().map(|p| ((*p).to_owned(), 0)).collect(),
        by_attribution: Attribution::ALL.iter().map(|a| (*a, 0)).collect(),
        ..Default::default()
    };
    for r in rows {
        c.inpatients += 1;
        let pathway = r.pathway.map(|p| p.to_string()).unwrap_or_else(|| "not set".into());
        *c.by_pathway.entry(pathway).or_default() += 1;
        if let Some(d) = r.days_delayed {
            c.no_longer_meeting_criteria += 1;
            c.delayed_bed_days += d;
            *c.by_band.entry(DelayBand::of(d)).or_default() += 1;
        }
        if lacks_delay_reason(r) {
            c.no_reason_recorded += 1;
        }
        for d in &r.delay_reasons {
            *c.by_attribution.entry(d.attribution).or_default() += 1;
        }
    }
    c
}
