//! The timeline canvas: lanes grouped by sector on one time axis
//! (`timeline_lanes`), bars for items with a duration and marks for events, a bar
//! wide enough labelled (`timeline_items`), a row of findings on top and the Tasks
//! lane below (`timeline_tasks`). The wheel or a pinch zooms about the date under
//! the pointer; `+` and `-` (and the toolbar's buttons) zoom about today, `T` puts
//! today in the middle; drag, or Left and Right, to pan. The arithmetic is
//! `time_window`'s.

use egui::{Align2, FontId, Key, Modifiers, Pos2, Rect, Sense, Stroke, pos2, vec2};

use super::person::PersonView;
pub use super::time_window::{Preset, Step, TimeWindow, ticks, ts};
use super::timeline_items::{Plot, hover_text, items_ui};
use super::timeline_lanes::{Occupancy, lane_rows, lanes_height, lanes_ui};
use super::timeline_tasks::{LaneArea, tasks_height, tasks_lane_ui};
use crate::ui::db::LoadedPerson;
use crate::ui::{ViewContext, theme};

/// The width of the lane names, left of the plot.
pub const LABEL_WIDTH: f32 = 180.0;
const AXIS_HEIGHT: f32 = 22.0;
const FINDINGS_HEIGHT: f32 = 20.0;

/// The keys that step the window, and their steps.
const KEYS: [(Key, Step); 6] = [
    (Key::Plus, Step::ZoomIn),
    (Key::Equals, Step::ZoomIn),
    (Key::Minus, Step::ZoomOut),
    (Key::T, Step::Today),
    (Key::ArrowLeft, Step::Earlier),
    (Key::ArrowRight, Step::Later),
];

/// Text drawn on the canvas made a node of the accessibility tree, with the words
/// it shows, so that a screen reader (and a test) reads what the canvas says. It
/// senses hover only: clicks and drags still go to the canvas.
pub fn canvas_text(ui: &egui::Ui, id: egui::Id, rect: Rect, text: &str) {
    ui.interact(rect, id, Sense::hover())
        .widget_info(|| egui::WidgetInfo::labeled(egui::Role::Label, true, text));
}

/// Draw the canvas and handle zoom, pan and selection.
pub fn canvas_ui(view: &mut PersonView, ui: &mut egui::Ui, ctx: &ViewContext, loaded: &LoadedPerson) {
    let now = ctx.now;
    let episodes = &loaded.record.episodes;
    keys_ui(&mut view.window, ui, ts(now));
    let occupancy = Occupancy::of(episodes, |i| view.passes_filter(i), &view.window, now);
    let rows = lane_rows(episodes, &occupancy, view.hide_empty_lanes);
    let lanes_top_offset = AXIS_HEIGHT + FINDINGS_HEIGHT;
    let height = lanes_top_offset + lanes_height(&rows) + tasks_height(&loaded.tasks) + 4.0;
    let (rect, response) = ui.allocate_exact_size(vec2(ui.available_width(), height), Sense::click_and_drag());
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Canvas, true, "Timeline"));
    let plot_left = rect.left() + LABEL_WIDTH;
    let plot_width = (rect.width() - LABEL_WIDTH).max(10.0);
    let before = view.window;
    pointer_ui(&mut view.window, ui, &response, plot_left, plot_width);
    if view.window != before {
        // The lanes were laid out for the window before: lay them out again.
        ui.ctx().request_repaint();
    }
    let plot = Plot {
        rect,
        left: plot_left,
        width: plot_width,
        lanes_top: rect.top() + lanes_top_offset,
        window: view.window,
        canvas: response.id,
    };

    ui.painter_at(rect)
        .rect_filled(rect, 0.0, ui.visuals().extreme_bg_color);
    axis_ui(ui, &plot);
    let empty_words = if rows.is_empty() {
        occupancy.empty_words(&plot.window)
    } else {
        String::new()
    };
    lanes_ui(ui, response.id, rect, plot.lanes_top, &rows, &empty_words);
    let pointer = response.hover_pos();
    let item = items_ui(view, ui, &plot, &rows, loaded, now, pointer);
    // The Tasks lane, below the sectors.
    let tasks_top = plot.lanes_top + lanes_height(&rows);
    let task = tasks_ui(ui, &plot, tasks_top, loaded, now.date(), pointer);
    let finding = findings_row_ui(ui, &plot, loaded, pointer);
    today_ui(ui, &plot, ts(now));
    hover_and_click_ui(view, &response, loaded, Hovered { item, task, finding });
}

/// The keys of [`KEYS`], without Ctrl or Cmd (Ctrl and + zooms the whole window),
/// and not while a text box has the keyboard.
fn keys_ui(window: &mut TimeWindow, ui: &egui::Ui, today: f64) {
    if ui.ctx().text_edit_focused() {
        return;
    }
    ui.input_mut(|i| {
        for (key, step) in KEYS {
            if i.consume_key(Modifiers::NONE, key) {
                window.step(step, today);
            }
        }
    });
}

/// The wheel and a pinch zoom about the date under the pointer; a drag pans.
fn pointer_ui(window: &mut TimeWindow, ui: &egui::Ui, response: &egui::Response, plot_left: f32, plot_width: f32) {
    if let Some(pos) = response.hover_pos() {
        let (scroll, pinch) = ui.input(|i| (i.smooth_scroll_delta.y, i.zoom_delta()));
        // Over the lane names, the left edge of the plot.
        let x = pos.x.clamp(plot_left, plot_left + plot_width);
        let at = window.t(x, plot_left, plot_width);
        if scroll != 0.0 {
            window.zoom_about((-f64::from(scroll) * 0.003).exp(), at);
        }
        if pinch != 1.0 {
            window.zoom_about(1.0 / f64::from(pinch), at);
        }
    }
    if response.dragged() {
        window.pan(-f64::from(response.drag_delta().x / plot_width));
    }
}

/// The time axis: a tick and its date about every 90 points, with the grid.
fn axis_ui(ui: &egui::Ui, plot: &Plot) {
    let painter = ui.painter_at(plot.rect);
    let grid = ui.visuals().widgets.noninteractive.bg_stroke.color;
    let weak = ui.visuals().weak_text_color();
    let small = FontId::proportional(theme::SMALL_SIZE);
    let rect = plot.rect;
    for (t, label) in ticks(plot.window.start, plot.window.end, plot.width) {
        let x = plot.window.x(t, plot.left, plot.width);
        painter.line_segment(
            [pos2(x, rect.top() + AXIS_HEIGHT - 4.0), pos2(x, rect.bottom())],
            Stroke::new(1.0, grid),
        );
        painter.text(
            pos2(x + 3.0, rect.top() + 3.0),
            Align2::LEFT_TOP,
            label,
            small.clone(),
            weak,
        );
    }
}

/// The findings row: a triangle on each finding's date; the one under the pointer.
/// A sealed record's findings are about hidden items, so they stay hidden too.
fn findings_row_ui(ui: &egui::Ui, plot: &Plot, loaded: &LoadedPerson, pointer: Option<Pos2>) -> Option<usize> {
    let palette = theme::of(ui);
    let rect = plot.rect;
    let fy = rect.top() + AXIS_HEIGHT + FINDINGS_HEIGHT / 2.0;
    let small = FontId::proportional(theme::SMALL_SIZE);
    ui.painter_at(rect).text(
        pos2(rect.left() + 4.0, fy),
        Align2::LEFT_CENTER,
        "Findings",
        small,
        palette.caution,
    );
    let painter = ui.painter_at(rect).with_clip_rect(plot.clip());
    let findings: &[crate::domain::Finding] = if loaded.is_sealed() { &[] } else { &loaded.findings };
    let mut hovered = None;
    for (fi, f) in findings.iter().enumerate() {
        let x = plot
            .window
            .x(ts(f.date.and_time(chrono::NaiveTime::MIN)), plot.left, plot.width);
        if x < plot.left || x > rect.right() {
            continue;
        }
        // A warning is a warm-yellow triangle, outlined so that it shows on white.
        let colour = if f.kind.is_warning() {
            palette.suspended_fill
        } else {
            palette.info
        };
        painter.add(egui::Shape::convex_polygon(
            vec![pos2(x - 6.0, fy - 6.0), pos2(x + 6.0, fy - 6.0), pos2(x, fy + 6.0)],
            colour,
            Stroke::new(1.0, palette.text),
        ));
        if pointer.is_some_and(|p| (p - pos2(x, fy)).length() < 8.0) {
            hovered = Some(fi);
        }
    }
    hovered
}

/// What is under the pointer: an item, a task's hover text, a finding.
struct Hovered {
    item: Option<usize>,
    task: Option<String>,
    finding: Option<usize>,
}

/// The hover text of what is under the pointer; a click selects the item, or the
/// items a finding is about.
fn hover_and_click_ui(view: &mut PersonView, response: &egui::Response, loaded: &LoadedPerson, hovered: Hovered) {
    let episodes = &loaded.record.episodes;
    if let Some(i) = hovered.item {
        response
            .clone()
            .on_hover_text_at_pointer(hover_text(&episodes[i], loaded));
    } else if let Some(text) = hovered.task {
        response.clone().on_hover_text_at_pointer(text);
    } else if let Some(fi) = hovered.finding {
        let f = &loaded.findings[fi];
        response
            .clone()
            .on_hover_text_at_pointer(format!("{}: {}", f.kind.label(), f.reason));
    }
    if response.clicked() {
        if let Some(i) = hovered.item {
            view.select(i);
        } else if let Some(fi) = hovered.finding {
            view.select_finding(&loaded.findings[fi], episodes);
        }
    }
}

/// The Tasks lane from `top`; the hover text of the task under the pointer.
fn tasks_ui(
    ui: &egui::Ui,
    plot: &Plot,
    top: f32,
    loaded: &LoadedPerson,
    today: chrono::NaiveDate,
    pointer: Option<Pos2>,
) -> Option<String> {
    let area = LaneArea {
        rect: Rect::from_min_size(
            pos2(plot.rect.left(), top),
            vec2(plot.rect.width(), tasks_height(&loaded.tasks)),
        ),
        plot_left: plot.left,
        plot_width: plot.width,
        window: plot.window,
        today,
        text_color: ui.visuals().text_color(),
        palette: theme::of(ui),
    };
    let painter = ui.painter_at(plot.rect);
    tasks_lane_ui(
        &painter,
        &painter.with_clip_rect(plot.clip()),
        &area,
        &loaded.tasks,
        pointer,
    )
}

/// Today's line, from the axis down, when today is in the window.
fn today_ui(ui: &egui::Ui, plot: &Plot, today: f64) {
    let x = plot.window.x(today, plot.left, plot.width);
    if x > plot.left && x < plot.rect.right() {
        let painter = ui.painter_at(plot.rect).with_clip_rect(plot.clip());
        painter.line_segment(
            [pos2(x, plot.rect.top() + AXIS_HEIGHT), pos2(x, plot.rect.bottom())],
            Stroke::new(1.5, theme::of(ui).accent.gamma_multiply(0.8)),
        );
    }
}
