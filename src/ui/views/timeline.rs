//! The timeline canvas: lanes grouped by sector on one time axis, spans for
//! episodes with a duration, marks for events, and a row of findings on top.
//! Zoom with the wheel or `+`/`-`, pan by dragging or with the arrow keys.

use egui::{Align2, FontId, Key, Rect, Sense, Stroke, Vec2, pos2, vec2};

use super::person::PersonView;
pub use super::time_window::{Preset, TimeWindow, ticks, ts};
use super::timeline_tasks::{LaneArea, tasks_height, tasks_lane_ui};
use crate::domain::code_words::{period_words, status_words};
use crate::domain::dates::fmt_date_time;
use crate::domain::timeline::effective_end;
use crate::domain::{Lane, Sector};
use crate::ui::db::LoadedPerson;
use crate::ui::{ViewContext, theme};

const LABEL_WIDTH: f32 = 180.0;
const AXIS_HEIGHT: f32 = 22.0;
const FINDINGS_HEIGHT: f32 = 20.0;
const SECTOR_HEADER: f32 = 18.0;
const LANE_HEIGHT: f32 = 24.0;

/// The lanes drawn, by sector. Every category lane is always drawn (so an empty
/// Safeguarding lane says nothing); a sector's "Restricted" lane only when the
/// record holds a placeholder there.
fn lane_rows(episodes: &[crate::domain::Episode]) -> Vec<(Sector, Vec<Lane>)> {
    let has = |lane: Lane| episodes.iter().any(|e| e.kind.lane() == lane);
    let restricted_shown = [
        (Lane::RestrictedHealth, has(Lane::RestrictedHealth)),
        (Lane::RestrictedSocialCare, has(Lane::RestrictedSocialCare)),
    ];
    Sector::ALL
        .iter()
        .map(|s| {
            let lanes = Lane::ALL
                .iter()
                .copied()
                .filter(|l| l.sector() == *s)
                .filter(|l| restricted_shown.iter().all(|(r, shown)| l != r || *shown))
                .collect();
            (*s, lanes)
        })
        .collect()
}

/// The y of each lane's centre, from the top of the lane area.
fn lane_y(rows: &[(Sector, Vec<Lane>)], lane: Lane) -> f32 {
    let mut y = 0.0;
    for (_, lanes) in rows {
        y += SECTOR_HEADER;
        for l in lanes {
            if *l == lane {
                return y + LANE_HEIGHT / 2.0;
            }
            y += LANE_HEIGHT;
        }
    }
    y
}

fn lanes_height(rows: &[(Sector, Vec<Lane>)]) -> f32 {
    rows.iter()
        .map(|(_, l)| SECTOR_HEADER + LANE_HEIGHT * l.len() as f32)
        .sum()
}

/// Draw the canvas and handle zoom, pan and selection.
pub fn canvas_ui(view: &mut PersonView, ui: &mut egui::Ui, ctx: &ViewContext, loaded: &LoadedPerson) {
    let episodes = &loaded.record.episodes;
    let rows = lane_rows(episodes);
    let height = AXIS_HEIGHT + FINDINGS_HEIGHT + lanes_height(&rows) + tasks_height(&loaded.tasks) + 4.0;
    let (rect, response) = ui.allocate_exact_size(vec2(ui.available_width(), height), Sense::click_and_drag());
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Canvas, true, "Timeline"));
    let plot_left = rect.left() + LABEL_WIDTH;
    let plot_width = (rect.width() - LABEL_WIDTH).max(10.0);
    let window = &mut view.window;

    // Zoom and pan.
    if let Some(pos) = response.hover_pos() {
        let scroll = ui.input(|i| i.smooth_scroll_delta.y);
        let pinch = ui.input(|i| i.zoom_delta());
        let anchor = f64::from(((pos.x - plot_left) / plot_width).clamp(0.0, 1.0));
        if scroll != 0.0 {
            window.zoom((-f64::from(scroll) * 0.003).exp(), anchor);
        }
        if pinch != 1.0 {
            window.zoom(1.0 / f64::from(pinch), anchor);
        }
    }
    if response.dragged() {
        window.pan(-f64::from(response.drag_delta().x / plot_width));
    }
    if !ui.ctx().text_edit_focused() {
        ui.input(|i| {
            if i.key_pressed(Key::Plus) || i.key_pressed(Key::Equals) {
                window.zoom(0.5, 0.5);
            }
            if i.key_pressed(Key::Minus) {
                window.zoom(2.0, 0.5);
            }
            if i.key_pressed(Key::ArrowLeft) {
                window.pan(-0.2);
            }
            if i.key_pressed(Key::ArrowRight) {
                window.pan(0.2);
            }
        });
    }
    let window = *window;

    let painter = ui.painter_at(rect);
    let visuals = ui.visuals();
    painter.rect_filled(rect, 0.0, visuals.extreme_bg_color);
    let text_color = visuals.text_color();
    let weak = visuals.weak_text_color();
    let grid_color = visuals.widgets.noninteractive.bg_stroke.color;
    let small = FontId::proportional(theme::SMALL_SIZE);

    // Axis and grid.
    let lanes_top = rect.top() + AXIS_HEIGHT + FINDINGS_HEIGHT;
    for (t, label) in ticks(window.start, window.end, plot_width) {
        let x = window.x(t, plot_left, plot_width);
        painter.line_segment(
            [pos2(x, rect.top() + AXIS_HEIGHT - 4.0), pos2(x, rect.bottom())],
            Stroke::new(1.0, grid_color),
        );
        painter.text(
            pos2(x + 3.0, rect.top() + 3.0),
            Align2::LEFT_TOP,
            label,
            small.clone(),
            weak,
        );
    }

    // Lane labels and backgrounds.
    let mut y = lanes_top;
    for (sector, lanes) in &rows {
        let sector = *sector;
        painter.text(
            pos2(rect.left() + 4.0, y + 2.0),
            Align2::LEFT_TOP,
            sector.label(),
            FontId::proportional(theme::SMALL_SIZE),
            theme::of(ui).sector(sector),
        );
        painter.line_segment(
            [pos2(rect.left(), y), pos2(rect.right(), y)],
            Stroke::new(1.0, theme::of(ui).sector(sector)),
        );
        y += SECTOR_HEADER;
        for (i, lane) in lanes.iter().enumerate() {
            let row = Rect::from_min_size(pos2(rect.left(), y), vec2(rect.width(), LANE_HEIGHT));
            if i % 2 == 1 {
                painter.rect_filled(row, 0.0, grid_color.gamma_multiply(0.25));
            }
            painter.text(
                pos2(rect.left() + 14.0, y + LANE_HEIGHT / 2.0),
                Align2::LEFT_CENTER,
                lane.label(),
                small.clone(),
                if matches!(lane, Lane::RestrictedHealth | Lane::RestrictedSocialCare) {
                    theme::of(ui).restricted
                } else {
                    text_color
                },
            );
            y += LANE_HEIGHT;
        }
    }

    // Items, clipped to the plot.
    let plot_painter = painter.with_clip_rect(Rect::from_min_max(pos2(plot_left, rect.top()), rect.max));
    let now = ctx.now;
    let pointer = response.hover_pos();
    let mut hovered: Option<usize> = None;
    for (i, e) in episodes.iter().enumerate() {
        if !view.passes_filter(i) {
            continue;
        }
        let (t0, t1) = (ts(e.start), ts(effective_end(e, now)));
        if t1 < window.start || t0 > window.end {
            continue;
        }
        let x0 = window.x(t0, plot_left, plot_width);
        let x1 = window.x(t1, plot_left, plot_width);
        let cy = lanes_top + lane_y(&rows, e.kind.lane());
        let hidden = loaded.is_hidden(e);
        let fill = if hidden {
            theme::of(ui).restricted
        } else {
            theme::of(ui).episode_fill(e.sector(), e.status)
        };
        let selected = view.selected == Some(i);
        let item_rect = if e.is_span() && x1 - x0 >= 3.0 {
            let r = Rect::from_min_max(pos2(x0, cy - 7.0), pos2(x1.max(x0 + 3.0), cy + 7.0));
            plot_painter.rect_filled(r, 3.0, fill);
            if e.end.is_none() {
                // Still open: an arrow at the right end.
                plot_painter.arrow(
                    pos2(x1 - 8.0, cy),
                    vec2(8.0, 0.0),
                    Stroke::new(2.0, theme::of(ui).on_fill(fill)),
                );
            }
            r
        } else {
            let r = Rect::from_center_size(pos2(x0, cy), Vec2::splat(10.0));
            plot_painter.add(egui::Shape::convex_polygon(
                vec![
                    pos2(x0, cy - 5.0),
                    pos2(x0 + 5.0, cy),
                    pos2(x0, cy + 5.0),
                    pos2(x0 - 5.0, cy),
                ],
                fill,
                Stroke::NONE,
            ));
            r
        };
        if selected {
            plot_painter.rect_stroke(
                item_rect.expand(2.0),
                3.0,
                Stroke::new(2.0, text_color),
                egui::StrokeKind::Outside,
            );
        }
        if pointer.is_some_and(|p| item_rect.expand(2.0).contains(p)) {
            hovered = Some(i);
        }
    }

    // The Tasks lane, below the sectors.
    let tasks_area = LaneArea {
        rect: Rect::from_min_size(
            pos2(rect.left(), lanes_top + lanes_height(&rows)),
            vec2(rect.width(), tasks_height(&loaded.tasks)),
        ),
        plot_left,
        plot_width,
        window,
        today: now.date(),
        text_color,
        palette: theme::of(ui),
    };
    let hovered_task = tasks_lane_ui(&painter, &plot_painter, &tasks_area, &loaded.tasks, pointer);

    // Findings row.
    let fy = rect.top() + AXIS_HEIGHT + FINDINGS_HEIGHT / 2.0;
    painter.text(
        pos2(rect.left() + 4.0, fy),
        Align2::LEFT_CENTER,
        "Findings",
        FontId::proportional(theme::SMALL_SIZE),
        theme::of(ui).caution,
    );
    let mut hovered_finding = None;
    // A sealed record's findings are about hidden items, so they stay hidden too.
    let findings: &[crate::domain::Finding] = if loaded.is_sealed() { &[] } else { &loaded.findings };
    for (fi, f) in findings.iter().enumerate() {
        let x = window.x(ts(f.date.and_time(chrono::NaiveTime::MIN)), plot_left, plot_width);
        if x < plot_left || x > rect.right() {
            continue;
        }
        // A warning is a warm-yellow triangle, outlined so that it shows on white.
        let palette = theme::of(ui);
        let color = if f.kind.is_warning() {
            palette.suspended_fill
        } else {
            palette.info
        };
        plot_painter.add(egui::Shape::convex_polygon(
            vec![pos2(x - 6.0, fy - 6.0), pos2(x + 6.0, fy - 6.0), pos2(x, fy + 6.0)],
            color,
            Stroke::new(1.0, palette.text),
        ));
        if pointer.is_some_and(|p| (p - pos2(x, fy)).length() < 8.0) {
            hovered_finding = Some(fi);
        }
    }

    // Today.
    let today_x = window.x(ts(now), plot_left, plot_width);
    if today_x > plot_left && today_x < rect.right() {
        plot_painter.line_segment(
            [pos2(today_x, rect.top() + AXIS_HEIGHT), pos2(today_x, rect.bottom())],
            Stroke::new(1.5, theme::of(ui).accent.gamma_multiply(0.8)),
        );
    }

    // Hover and click.
    if let Some(i) = hovered {
        let e = &episodes[i];
        let hidden = loaded.is_hidden(e);
        // A restricted item: its lane and dates; else its kind and status in words
        // (a suspended package reads "suspended", not as ended).
        let (title, kind, when) = if hidden {
            let when = match e.end {
                Some(end) => format!("{} to {}", fmt_date_time(e.start), fmt_date_time(end)),
                None => fmt_date_time(e.start),
            };
            (
                "Restricted item: select it and give a reason to view".to_owned(),
                e.kind.lane().label().to_owned(),
                when,
            )
        } else {
            let spell = loaded.record.spells.iter().find(|s| s.episode_id == e.id);
            (
                e.title.clone(),
                format!("{}: {}", e.kind.label(), status_words(e, spell)),
                period_words(e),
            )
        };
        response
            .clone()
            .on_hover_text_at_pointer(format!("{title}\n{when}\n{kind}"));
    } else if let Some(text) = hovered_task {
        response.clone().on_hover_text_at_pointer(text);
    } else if let Some(fi) = hovered_finding {
        let f = &loaded.findings[fi];
        response
            .clone()
            .on_hover_text_at_pointer(format!("{}: {}", f.kind.label(), f.reason));
    }
    if response.clicked() {
        if let Some(i) = hovered {
            view.select(i);
        } else if let Some(fi) = hovered_finding {
            view.select_finding(&loaded.findings[fi], episodes);
        }
    }
}
