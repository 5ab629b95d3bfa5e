//! The canvas's items: a bar for each item with a duration, a diamond for each
//! point event, on its own lane's row. A bar wide enough carries a label, cut short
//! with an ellipsis to the room it has (`span_label`): its title as the service
//! disclosed it, or only "Restricted" for a restricted item, whatever its title
//! holds. The hover text gives every item's full words.

use egui::{Align2, FontId, Pos2, Rect, Stroke, Vec2, pos2, vec2};

use super::person::PersonView;
use super::span_label::{ELLIPSIS, LABEL_PADDING, Placed, fit_label, label_rooms};
use super::time_window::TimeWindow;
use super::timeline::canvas_text;
use super::timeline_lanes::{SectorLanes, in_window, lane_y};
use crate::domain::Episode;
use crate::domain::code_words::{period_words, status_words};
use crate::domain::dates::fmt_date_time;
use crate::ui::db::LoadedPerson;
use crate::ui::theme;

/// What a restricted item's label reads: nothing of its title or category.
pub const RESTRICTED_LABEL: &str = "Restricted";

/// Half the height of a bar, and of a point event's diamond.
const BAR_HALF: f32 = 9.0;
const DIAMOND_HALF: f32 = 5.0;
/// Room kept at a bar's right end for the arrow of an item still open.
const ARROW_ROOM: f32 = 10.0;

/// Where the items are drawn, and on what axis.
pub struct Plot {
    /// The whole canvas, lane names included.
    pub rect: Rect,
    pub left: f32,
    pub width: f32,
    /// The top of the lanes.
    pub lanes_top: f32,
    pub window: TimeWindow,
    /// The canvas's id, for the ids of the labels' accessibility nodes.
    pub canvas: egui::Id,
}

impl Plot {
    /// Right of the lane names: where items may be drawn.
    pub fn clip(&self) -> Rect {
        Rect::from_min_max(pos2(self.left, self.rect.top()), self.rect.max)
    }
}

/// An item placed on its lane.
struct Drawn {
    index: usize,
    rect: Rect,
    is_bar: bool,
    /// Still going on (no end): an arrow at the bar's right end.
    is_open: bool,
}

/// What a bar's label says: a restricted item's is only [`RESTRICTED_LABEL`].
pub fn label_text<'a>(e: &'a Episode, loaded: &LoadedPerson) -> &'a str {
    if loaded.is_hidden(e) {
        RESTRICTED_LABEL
    } else {
        &e.title
    }
}

/// The items the filters show in the window, in drawing order, each on the row of
/// its own lane (an item whose lane is not drawn is not drawn either).
fn place(
    view: &PersonView,
    plot: &Plot,
    rows: &[SectorLanes],
    loaded: &LoadedPerson,
    now: chrono::NaiveDateTime,
) -> Vec<Drawn> {
    let mut out = Vec::new();
    for (index, e) in loaded.record.episodes.iter().enumerate() {
        if !view.passes_filter(index) {
            continue;
        }
        let Some((t0, t1)) = in_window(e, &plot.window, now) else {
            continue;
        };
        let Some(y) = lane_y(rows, e.kind.lane()) else { continue };
        let cy = plot.lanes_top + y;
        let x0 = plot.window.x(t0, plot.left, plot.width);
        let x1 = plot.window.x(t1, plot.left, plot.width);
        let is_bar = e.is_span() && x1 - x0 >= 3.0;
        let rect = if is_bar {
            Rect::from_min_max(pos2(x0, cy - BAR_HALF), pos2(x1, cy + BAR_HALF))
        } else {
            Rect::from_center_size(pos2(x0, cy), Vec2::splat(2.0 * DIAMOND_HALF))
        };
        out.push(Drawn {
            index,
            rect,
            is_bar,
            is_open: e.end.is_none(),
        });
    }
    out
}

/// Draw the items; the one under the pointer (the last drawn there, on top).
pub fn items_ui(
    view: &PersonView,
    ui: &egui::Ui,
    plot: &Plot,
    rows: &[SectorLanes],
    loaded: &LoadedPerson,
    now: chrono::NaiveDateTime,
    pointer: Option<Pos2>,
) -> Option<usize> {
    let drawn = place(view, plot, rows, loaded, now);
    let placed: Vec<Placed> = drawn
        .iter()
        .map(|d| Placed {
            lane: loaded.record.episodes[d.index].kind.lane(),
            left: d.rect.left(),
            right: d.rect.right(),
        })
        .collect();
    let rooms = label_rooms(&placed);
    let painter = ui.painter_at(plot.rect).with_clip_rect(plot.clip());
    let palette = theme::of(ui);
    let mut hovered = None;
    for (d, room) in drawn.iter().zip(rooms) {
        let e = &loaded.record.episodes[d.index];
        let fill = if loaded.is_hidden(e) {
            palette.restricted
        } else {
            palette.episode_fill(e.sector(), e.status)
        };
        if d.is_bar {
            bar_ui(ui, &painter, plot, d, room, label_text(e, loaded), fill);
        } else {
            diamond_ui(&painter, d.rect.center(), fill);
        }
        if view.selected == Some(d.index) {
            let outline = Stroke::new(2.0, ui.visuals().text_color());
            painter.rect_stroke(d.rect.expand(2.0), 3.0, outline, egui::StrokeKind::Outside);
        }
        if pointer.is_some_and(|p| d.rect.expand(2.0).contains(p)) {
            hovered = Some(d.index);
        }
    }
    hovered
}

/// A bar, its arrow while the item is still open, and its label up to `room`.
fn bar_ui(ui: &egui::Ui, painter: &egui::Painter, plot: &Plot, d: &Drawn, room: f32, text: &str, fill: egui::Color32) {
    let palette = theme::of(ui);
    painter.rect_filled(d.rect, 3.0, fill);
    if d.is_open {
        let (tip, cy) = (d.rect.right(), d.rect.center().y);
        painter.arrow(
            pos2(tip - 8.0, cy),
            vec2(8.0, 0.0),
            Stroke::new(2.0, palette.on_fill(fill)),
        );
    }
    let right = room.min(plot.rect.right()) - if d.is_open { ARROW_ROOM } else { 0.0 };
    label_ui(ui, plot, d, right, text, palette.on_fill(fill));
}

/// A point event's diamond.
fn diamond_ui(painter: &egui::Painter, at: Pos2, fill: egui::Color32) {
    let (x, cy, h) = (at.x, at.y, DIAMOND_HALF);
    painter.add(egui::Shape::convex_polygon(
        vec![pos2(x, cy - h), pos2(x + h, cy), pos2(x, cy + h), pos2(x - h, cy)],
        fill,
        Stroke::NONE,
    ));
}

/// A bar's label, from its left edge (or the plot's) to `right`, clipped to the
/// bar: none when not even a few characters fit. Each label drawn is a node in the
/// accessibility tree, with the words it shows.
fn label_ui(ui: &egui::Ui, plot: &Plot, d: &Drawn, right: f32, text: &str, colour: egui::Color32) {
    let left = d.rect.left().max(plot.left) + LABEL_PADDING;
    let room = right - LABEL_PADDING - left;
    if room <= 0.0 {
        return;
    }
    let font = FontId::proportional(theme::SMALL_SIZE);
    let (widths, ellipsis) = ui.ctx().fonts_mut(|f| {
        let widths: Vec<f32> = text.chars().map(|c| f.glyph_width(&font, c)).collect();
        (widths, f.glyph_width(&font, ELLIPSIS))
    });
    let Some(words) = fit_label(text, &widths, ellipsis, room) else {
        return;
    };
    let clip = d.rect.intersect(plot.clip());
    let painter = ui.painter_at(clip);
    let shown = painter.text(pos2(left, d.rect.center().y), Align2::LEFT_CENTER, &words, font, colour);
    canvas_text(ui, plot.canvas.with(("label", d.index)), shown.intersect(clip), &words);
}

/// What the pointer shows over an item: its title, period and kind and status in
/// words; for a restricted item its lane and dates only.
pub fn hover_text(e: &Episode, loaded: &LoadedPerson) -> String {
    if loaded.is_hidden(e) {
        let when = match e.end {
            Some(end) => format!("{} to {}", fmt_date_time(e.start), fmt_date_time(end)),
            None => fmt_date_time(e.start),
        };
        let lane = e.kind.lane().label();
        return format!("Restricted item: select it and give a reason to view\n{when}\n{lane}");
    }
    let spell = loaded.record.spells.iter().find(|s| s.episode_id == e.id);
    format!(
        "{}\n{}\n{}: {}",
        e.title,
        period_words(e),
        e.kind.label(),
        status_words(e, spell)
    )
}
