//! The timeline's Tasks lane: each of the person's tasks as a point on its due
//! date, coloured by status, below the sectors' lanes. Tasks arrive as the service
//! disclosed them (a restricted person's task titles read "Restricted task").

use egui::{Align2, FontId, Pos2, Rect, Stroke, pos2, vec2};

use super::time_window::{TimeWindow, ts};
use super::worklist::status_label;
use crate::domain::dates::fmt_date;
use crate::domain::worklist::TaskStatus;
use crate::service::TaskLine;
use crate::ui::theme;

/// The lane's height, and its title's.
pub const TASKS_HEIGHT: f32 = 18.0 + 24.0;

/// The lane's height for these tasks: none when there are none.
pub fn tasks_height(tasks: &[TaskLine]) -> f32 {
    if tasks.is_empty() { 0.0 } else { TASKS_HEIGHT }
}

fn status_color(p: &theme::Palette, s: TaskStatus, overdue: bool) -> egui::Color32 {
    match s {
        _ if overdue => p.danger,
        TaskStatus::Open => p.info,
        TaskStatus::InProgress => p.caution,
        TaskStatus::Done => p.ok,
        TaskStatus::Cancelled => p.restricted,
    }
}

/// Where the lane is drawn, and on what axis.
pub struct LaneArea {
    /// The lane's whole row (title included), full width.
    pub rect: Rect,
    pub plot_left: f32,
    pub plot_width: f32,
    pub window: TimeWindow,
    pub today: chrono::NaiveDate,
    pub text_color: egui::Color32,
    pub palette: &'static theme::Palette,
}

/// Draw the lane; the hover text of the task under the pointer, if any.
pub fn tasks_lane_ui(
    painter: &egui::Painter,
    plot_painter: &egui::Painter,
    area: &LaneArea,
    tasks: &[TaskLine],
    pointer: Option<Pos2>,
) -> Option<String> {
    if tasks.is_empty() {
        return None;
    }
    let top = area.rect.top();
    painter.line_segment(
        [pos2(area.rect.left(), top), pos2(area.rect.right(), top)],
        Stroke::new(1.0, area.palette.info),
    );
    painter.text(
        pos2(area.rect.left() + 4.0, top + 2.0),
        Align2::LEFT_TOP,
        "Coordination",
        FontId::proportional(theme::SMALL_SIZE),
        area.palette.info,
    );
    let undated = tasks.iter().filter(|t| t.task.due.is_none()).count();
    let label = match undated {
        0 => "Tasks".to_owned(),
        n => format!("Tasks ({n} without a due date)"),
    };
    let cy = top + 18.0 + 12.0;
    painter.text(
        pos2(area.rect.left() + 14.0, cy),
        Align2::LEFT_CENTER,
        label,
        FontId::proportional(theme::SMALL_SIZE),
        area.text_color,
    );
    let mut hovered = None;
    for line in tasks {
        let Some(due) = line.task.due else { continue };
        let x = area.window.x(
            ts(due.and_time(chrono::NaiveTime::MIN)),
            area.plot_left,
            area.plot_width,
        );
        if x < area.plot_left || x > area.rect.right() {
            continue;
        }
        let overdue = line.task.status.is_active() && due < area.today;
        let mark = Rect::from_center_size(pos2(x, cy), vec2(10.0, 10.0));
        plot_painter.rect_filled(mark, 2.0, status_color(area.palette, line.task.status, overdue));
        if pointer.is_some_and(|p| mark.expand(2.0).contains(p)) {
            let t = &line.task;
            hovered = Some(format!(
                "Task: {}\nDue {}{}\n{}, {} priority, owner {}",
                t.title,
                fmt_date(due),
                if overdue { " (overdue)" } else { "" },
                status_label(t.status),
                t.priority.code(),
                t.owner.label()
            ));
        }
    }
    hovered
}
