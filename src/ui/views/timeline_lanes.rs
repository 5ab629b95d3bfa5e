//! The canvas's lanes: which are drawn, where each sits, and their names. Every
//! category lane is drawn (so an empty Safeguarding lane says nothing), a sector's
//! "Restricted" lane only when the record holds a placeholder there; with "Hide
//! empty lanes" only the lanes with an item in the window, the sector's header
//! saying how many it hides. A window with no item at all says so in words in
//! place of the lanes.

use egui::{Align2, FontId, Rect, Stroke, pos2, vec2};

use super::time_window::{TimeWindow, from_ts, ts};
use super::timeline::canvas_text;
use crate::domain::dates::fmt_date;
use crate::domain::timeline::effective_end;
use crate::domain::{Episode, Lane, Sector};
use crate::ui::theme;

pub const SECTOR_HEADER: f32 = 18.0;
pub const LANE_HEIGHT: f32 = 24.0;
/// The height of the words that stand for the lanes when the window holds nothing.
pub const EMPTY_HEIGHT: f32 = 2.0 * LANE_HEIGHT;

/// Where an item lies on the time axis (its start and its end as drawn, in
/// seconds), when any of it is in the window. The one test of "in the window" for
/// drawing and for the lanes' occupancy alike.
pub fn in_window(e: &Episode, window: &TimeWindow, now: chrono::NaiveDateTime) -> Option<(f64, f64)> {
    let (t0, t1) = (ts(e.start), ts(effective_end(e, now)));
    (t1 >= window.start && t0 <= window.end).then_some((t0, t1))
}

/// What the window holds: the lanes with an item the filters show, and whether
/// the record has anything there at all (the filters aside).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Occupancy {
    pub lanes: Vec<Lane>,
    pub is_anything_recorded: bool,
}

impl Occupancy {
    /// `shown(i)`: whether the filters show the record's `i`th item.
    pub fn of(
        episodes: &[Episode],
        shown: impl Fn(usize) -> bool,
        window: &TimeWindow,
        now: chrono::NaiveDateTime,
    ) -> Self {
        let mut out = Self::default();
        for (i, e) in episodes.iter().enumerate() {
            if in_window(e, window, now).is_none() {
                continue;
            }
            out.is_anything_recorded = true;
            let lane = e.kind.lane();
            if shown(i) && !out.lanes.contains(&lane) {
                out.lanes.push(lane);
            }
        }
        out
    }

    pub fn is_empty(&self) -> bool {
        self.lanes.is_empty()
    }

    /// What the canvas says in place of its lanes when it shows nothing: whether
    /// nothing is recorded in the period or the filters hide what is.
    pub fn empty_words(&self, window: &TimeWindow) -> String {
        let (from, to) = (
            fmt_date(from_ts(window.start).date()),
            fmt_date(from_ts(window.end).date()),
        );
        if self.is_anything_recorded {
            format!("Nothing between {from} and {to} matches the filters")
        } else {
            format!("Nothing recorded between {from} and {to}")
        }
    }
}

/// One sector's lanes as drawn, and how many empty ones are hidden.
#[derive(Debug, Clone, PartialEq)]
pub struct SectorLanes {
    pub sector: Sector,
    pub lanes: Vec<Lane>,
    pub empty_hidden: usize,
}

/// The lanes drawn, by sector; none when the window shows nothing (the words of
/// [`Occupancy::empty_words`] stand there instead).
pub fn lane_rows(episodes: &[Episode], occupancy: &Occupancy, hide_empty: bool) -> Vec<SectorLanes> {
    if occupancy.is_empty() {
        return Vec::new();
    }
    let held = |lane: Lane| episodes.iter().any(|e| e.kind.lane() == lane);
    let is_restricted = |lane: Lane| matches!(lane, Lane::RestrictedHealth | Lane::RestrictedSocialCare);
    Sector::ALL
        .iter()
        .map(|s| {
            let of_sector: Vec<Lane> = Lane::ALL
                .iter()
                .copied()
                .filter(|l| l.sector() == *s)
                .filter(|l| !is_restricted(*l) || held(*l))
                .collect();
            let lanes: Vec<Lane> = of_sector
                .iter()
                .copied()
                .filter(|l| !hide_empty || occupancy.lanes.contains(l))
                .collect();
            SectorLanes {
                sector: *s,
                empty_hidden: of_sector.len() - lanes.len(),
                lanes,
            }
        })
        .collect()
}

/// The y of a lane's centre, from the top of the lane area; none for a lane not
/// drawn (an item is never put on another lane's row).
pub fn lane_y(rows: &[SectorLanes], lane: Lane) -> Option<f32> {
    let mut y = 0.0;
    for row in rows {
        y += SECTOR_HEADER;
        for l in &row.lanes {
            if *l == lane {
                return Some(y + LANE_HEIGHT / 2.0);
            }
            y += LANE_HEIGHT;
        }
    }
    None
}

/// The height of the lane area: the lanes, or the words for an empty window.
pub fn lanes_height(rows: &[SectorLanes]) -> f32 {
    if rows.is_empty() {
        return EMPTY_HEIGHT;
    }
    rows.iter()
        .map(|r| SECTOR_HEADER + LANE_HEIGHT * r.lanes.len() as f32)
        .sum()
}

/// What a sector's header reads: its name, and the empty lanes it hides.
fn header_words(row: &SectorLanes) -> String {
    match row.empty_hidden {
        0 => row.sector.label().to_owned(),
        1 => format!("{} (1 empty lane hidden)", row.sector.label()),
        n => format!("{} ({n} empty lanes hidden)", row.sector.label()),
    }
}

/// Draw the sectors' headers, the lanes' names and stripes from `top`, across the
/// whole of `rect`; or, with no lanes, the words for an empty window.
pub fn lanes_ui(ui: &egui::Ui, canvas: egui::Id, rect: Rect, top: f32, rows: &[SectorLanes], empty_words: &str) {
    let painter = ui.painter_at(rect);
    let palette = theme::of(ui);
    let small = FontId::proportional(theme::SMALL_SIZE);
    if rows.is_empty() {
        // On a patch of the canvas's own colour: the grid does not run through the words.
        let galley = painter.layout_no_wrap(empty_words.to_owned(), FontId::proportional(14.0), palette.text);
        let at = pos2(rect.left() + 14.0, top + (EMPTY_HEIGHT - galley.size().y) / 2.0);
        let shown = Rect::from_min_size(at, galley.size());
        painter.rect_filled(shown.expand(4.0), 2.0, ui.visuals().extreme_bg_color);
        painter.galley(at, galley, palette.text);
        canvas_text(ui, canvas.with("empty period"), shown, empty_words);
        return;
    }
    let grid = ui.visuals().widgets.noninteractive.bg_stroke.color;
    let mut y = top;
    for row in rows {
        let colour = palette.sector(row.sector);
        let header = header_words(row);
        let shown = painter.text(
            pos2(rect.left() + 4.0, y + 2.0),
            Align2::LEFT_TOP,
            &header,
            small.clone(),
            colour,
        );
        canvas_text(ui, canvas.with(("sector", row.sector)), shown, &header);
        painter.line_segment([pos2(rect.left(), y), pos2(rect.right(), y)], Stroke::new(1.0, colour));
        y += SECTOR_HEADER;
        for (i, lane) in row.lanes.iter().enumerate() {
            if i % 2 == 1 {
                let stripe = Rect::from_min_size(pos2(rect.left(), y), vec2(rect.width(), LANE_HEIGHT));
                painter.rect_filled(stripe, 0.0, grid.gamma_multiply(0.25));
            }
            let colour = if matches!(lane, Lane::RestrictedHealth | Lane::RestrictedSocialCare) {
                palette.restricted
            } else {
                ui.visuals().text_color()
            };
            let at = pos2(rect.left() + 14.0, y + LANE_HEIGHT / 2.0);
            let shown = painter.text(at, Align2::LEFT_CENTER, lane.label(), small.clone(), colour);
            canvas_text(ui, canvas.with(("lane", *lane)), shown, lane.label());
            y += LANE_HEIGHT;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::EpisodeKind;
    use crate::domain::dates::parse_date_time;
    use crate::domain::test_support::episode;

    fn year(y: i32) -> TimeWindow {
        let at = |s: String| ts(parse_date_time(&s).expect("date"));
        TimeWindow {
            start: at(format!("{y}-01-01")),
            end: at(format!("{y}-12-31")),
        }
    }

    #[test]
    fn lanes_with_nothing_in_the_window_are_hidden_only_when_asked() {
        let now = parse_date_time("2026-11-22").expect("now");
        let record = vec![
            episode(EpisodeKind::InpatientSpell, "2026-03-10", Some("2026-03-20")),
            episode(EpisodeKind::SocialCareService, "2025-06-01", None),
            episode(EpisodeKind::GpEncounter, "2019-05-01", None),
            episode(EpisodeKind::RestrictedHealth, "2018-02-01", None),
        ];
        let all = |_: usize| true;
        let occupied = Occupancy::of(&record, all, &year(2026), now);
        assert_eq!(occupied.lanes, vec![Lane::Hospital, Lane::Services]);
        let names = |rows: &[SectorLanes]| -> Vec<(String, Vec<Lane>)> {
            rows.iter().map(|r| (header_words(r), r.lanes.clone())).collect()
        };
        let shown = lane_rows(&record, &occupied, false);
        assert_eq!(
            shown[0].lanes.len(),
            5,
            "every health lane and its Restricted one: {shown:?}"
        );
        assert_eq!(shown[1].lanes.len(), 5, "every social care lane, no Restricted one");
        assert_eq!(
            names(&lane_rows(&record, &occupied, true)),
            vec![
                ("Health (4 empty lanes hidden)".to_owned(), vec![Lane::Hospital]),
                ("Social care (4 empty lanes hidden)".to_owned(), vec![Lane::Services]),
            ]
        );
        // The GP review of 2019 is filtered out: its lane is empty too.
        let not_gp = |i: usize| i != 2;
        let occupied = Occupancy::of(&record, not_gp, &year(2019), now);
        assert!(occupied.is_empty() && occupied.is_anything_recorded);
        assert!(
            lane_rows(&record, &occupied, false).is_empty(),
            "words, not blank lanes"
        );
        assert_eq!(lane_y(&lane_rows(&record, &occupied, false), Lane::GpCommunity), None);
        assert_eq!(
            occupied.empty_words(&year(2019)),
            "Nothing between 01-Jan-2019 and 31-Dec-2019 matches the filters"
        );
        let nothing = Occupancy::of(&record, all, &year(2017), now);
        assert_eq!(
            nothing.empty_words(&year(2017)),
            "Nothing recorded between 01-Jan-2017 and 31-Dec-2017"
        );
    }

    #[test]
    fn an_open_package_is_in_every_window_up_to_now() {
        let now = parse_date_time("2026-11-22").expect("now");
        let record = vec![episode(EpisodeKind::SocialCareService, "2024-09-16", None)];
        for (y, inside) in [(2023, false), (2024, true), (2025, true), (2026, true), (2027, false)] {
            let occupied = Occupancy::of(&record, |_| true, &year(y), now);
            assert_eq!(!occupied.is_empty(), inside, "{y}");
        }
    }

    #[test]
    fn a_lane_sits_under_its_sector_header() {
        let rows = vec![
            SectorLanes {
                sector: Sector::Health,
                lanes: vec![Lane::Hospital, Lane::GpCommunity],
                empty_hidden: 0,
            },
            SectorLanes {
                sector: Sector::SocialCare,
                lanes: vec![Lane::Services],
                empty_hidden: 3,
            },
        ];
        assert_eq!(lane_y(&rows, Lane::Hospital), Some(SECTOR_HEADER + LANE_HEIGHT / 2.0));
        assert_eq!(
            lane_y(&rows, Lane::Services),
            Some(2.0 * SECTOR_HEADER + 2.0 * LANE_HEIGHT + LANE_HEIGHT / 2.0)
        );
        assert_eq!(lane_y(&rows, Lane::Reviews), None, "a hidden lane has no row");
        assert_eq!(lanes_height(&rows), 2.0 * SECTOR_HEADER + 3.0 * LANE_HEIGHT);
        assert_eq!(lanes_height(&[]), EMPTY_HEIGHT);
    }
}
