//! The board's table: the name column frozen on the left (it stays when the rest
//! scrolls sideways), then next action and owner, then the rest. The two halves are
//! two tables kept at one vertical scroll. Every cell wraps onto two lines at most;
//! text cut beyond that shows whole on hover. A delay carries its band's colour and
//! its band's words; a delay with no reason recorded says so.

use std::sync::Arc;

use egui::{Color32, RichText};
use egui_extras::{Column, TableBuilder, TableRow};

use crate::domain::board::{BoardColumn, BoardRow};
use crate::domain::board_counts::{NO_REASON_RECORDED, lacks_delay_reason, row_band};
use crate::domain::dates::{fmt_date, fmt_date_time};
use crate::domain::discharge::{BoardStatus, criterion_label};
use crate::domain::disclosure::RESTRICTED;
use crate::ui::{Command, theme};

const ROW_HEIGHT: f32 = 40.0;
const HEADER_HEIGHT: f32 = 40.0;
const NAME_WIDTH: f32 = 150.0;
const COLUMN_GAP: f32 = 6.0;
/// Starting widths of the columns right of the name, in [`BoardColumn::ALL`] order:
/// with the name they fit a 1280-pixel window.
const WIDTHS: [f32; 13] = [
    120.0, 75.0, 72.0, 115.0, 78.0, 72.0, 38.0, 52.0, 80.0, 95.0, 80.0, 50.0, 70.0,
];

/// What the table reports back: a sort asked for, records to open.
#[derive(Default)]
pub struct TableOutput {
    pub clicked_sort: Option<BoardColumn>,
    pub commands: Vec<Command>,
}

/// The table's rows are `shown` (indices into `rows`); `v_offset` is the shared
/// vertical scroll, kept by the view between frames.
pub struct BoardTable<'a> {
    pub rows: &'a [BoardRow],
    pub shown: &'a [usize],
    pub sort: BoardColumn,
    pub ascending: bool,
}

impl BoardTable<'_> {
    pub fn ui(&self, ui: &mut egui::Ui, v_offset: &mut f32) -> TableOutput {
        let mut out = TableOutput::default();
        let offset = *v_offset;
        let mut scrolled = [offset; 2];
        ui.horizontal_top(|ui| {
            ui.spacing_mut().item_spacing.x = COLUMN_GAP;
            ui.vertical(|ui| {
                ui.set_width(NAME_WIDTH);
                scrolled[0] = self.names_ui(ui, offset, &mut out);
            });
            egui::ScrollArea::horizontal().id_salt("board-scroll").show(ui, |ui| {
                // The table lays out top-down: header, then body under it.
                ui.vertical(|ui| scrolled[1] = self.rest_ui(ui, offset, &mut out));
            });
        });
        // Whichever half was scrolled leads; the other follows on the next frame.
        let moved = if (scrolled[1] - offset).abs() > 0.1 {
            scrolled[1]
        } else {
            scrolled[0]
        };
        if (moved - offset).abs() > 0.1 {
            *v_offset = moved;
            ui.ctx().request_repaint();
        }
        out
    }

    fn builder<'b>(&self, ui: &'b mut egui::Ui, id: &str, offset: f32) -> TableBuilder<'b> {
        ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Wrap);
        TableBuilder::new(ui)
            .id_salt(id)
            .striped(true)
            .resizable(true)
            .vertical_scroll_offset(offset)
    }

    fn header(&self, ui: &mut egui::Ui, c: BoardColumn, out: &mut TableOutput) {
        let arrow = match (self.sort == c, self.ascending) {
            (false, _) => "",
            (true, true) => " ^",
            (true, false) => " v",
        };
        let text = RichText::new(format!("{}{arrow}", c.label())).strong();
        if ui.add(egui::Button::new(text).wrap()).clicked() {
            out.clicked_sort = Some(c);
        }
    }

    fn names_ui(&self, ui: &mut egui::Ui, offset: f32, out: &mut TableOutput) -> f32 {
        let table = self
            .builder(ui, "board-names", offset)
            .scroll_bar_visibility(egui::scroll_area::ScrollBarVisibility::AlwaysHidden)
            .column(Column::exact(NAME_WIDTH - COLUMN_GAP))
            .header(HEADER_HEIGHT, |mut h| {
                h.col(|ui| self.header(ui, BoardColumn::Name, out));
            });
        let scroll = table.body(|body| {
            body.rows(ROW_HEIGHT, self.shown.len(), |mut row| {
                let r = &self.rows[self.shown[row.index()]];
                row.col(|ui| name_cell(ui, r, &mut out.commands));
            });
        });
        scroll.state.clamped_offset().y
    }

    fn rest_ui(&self, ui: &mut egui::Ui, offset: f32, out: &mut TableOutput) -> f32 {
        let mut builder = self.builder(ui, "board-table", offset);
        for (i, w) in WIDTHS.iter().enumerate() {
            builder = if i + 1 == WIDTHS.len() {
                builder.column(Column::remainder().at_least(*w).clip(true))
            } else {
                builder.column(Column::initial(*w).at_least(28.0).clip(true))
            };
        }
        let table = builder.header(HEADER_HEIGHT, |mut h| {
            for c in &BoardColumn::ALL[1..] {
                h.col(|ui| self.header(ui, *c, out));
            }
        });
        let scroll = table.body(|body| {
            body.rows(ROW_HEIGHT, self.shown.len(), |row| {
                let r = &self.rows[self.shown[row.index()]];
                rest_cells(row, r);
            });
        });
        scroll.state.clamped_offset().y
    }
}

/// Text in a cell: wrapped onto two lines at most, cut with "…" beyond them, and
/// then shown whole on hover (egui's tooltip for elided text).
pub fn cell_text(ui: &mut egui::Ui, text: impl Into<RichText>) -> egui::Response {
    let text = egui::WidgetText::from(text.into());
    let mut job =
        Arc::unwrap_or_clone(text.into_layout_job(ui.style(), egui::FontSelection::Default, egui::Align::Center));
    job.wrap.max_rows = 2;
    ui.add(egui::Label::new(job).wrap())
}

/// The colour of a row's mark: its delay band's, or the status's when not delayed.
fn row_colour(p: &theme::Palette, r: &BoardRow) -> Color32 {
    match row_band(r) {
        Some(b) => p.delay_band(b).fill,
        None => super::board::status_color(p, r.status),
    }
}

fn name_cell(ui: &mut egui::Ui, r: &BoardRow, commands: &mut Vec<Command>) {
    let colour = row_colour(theme::of(ui), r);
    ui.horizontal(|ui| {
        let (rect, _) = ui.allocate_exact_size(egui::vec2(6.0, ROW_HEIGHT - 6.0), egui::Sense::hover());
        ui.painter().rect_filled(rect, 1.0, colour);
        ui.vertical(|ui| {
            ui.spacing_mut().item_spacing.y = 0.0;
            let name = egui::Link::new(RichText::new(&r.person.display_name).strong());
            let status = match (r.days_delayed, row_band(r)) {
                (Some(d), Some(b)) => format!("{d} days past the discharge ready date ({} band)", b.label()),
                _ => r.status.label().to_owned(),
            };
            if ui.add(name).on_hover_text(status).clicked() {
                commands.push(Command::OpenPerson(r.person.person_id));
            }
            ui.horizontal(|ui| {
                let nhs = r.person.nhs_number.map(|n| n.to_string());
                ui.label(RichText::new(nhs.unwrap_or_else(|| "no NHS number".into())).weak());
                if r.is_restricted {
                    ui.label(RichText::new(RESTRICTED).color(theme::of(ui).restricted).strong())
                        .on_hover_text(
                            "Restricted: counted here, details held back. Open the record and give a reason to see them.",
                        );
                }
            });
        });
    });
}

fn rest_cells(mut row: TableRow<'_, '_>, r: &BoardRow) {
    let held_back = |v: &Option<String>| match v {
        _ if r.is_restricted => RESTRICTED.to_owned(),
        Some(v) => v.clone(),
        None => String::new(),
    };
    row.col(|ui| {
        cell_text(ui, held_back(&r.next_action));
    });
    row.col(|ui| {
        cell_text(ui, held_back(&r.next_action_owner));
    });
    row.col(|ui| delay_cell(ui, r));
    row.col(|ui| reasons_cell(ui, r));
    row.col(|ui| {
        cell_text(ui, r.discharge_ready_date.map(fmt_date).unwrap_or_default());
    });
    row.col(|ui| {
        let text = match (r.meets_criteria, &r.criterion_code) {
            (Some(true), Some(c)) => format!("Meets ({c})"),
            (Some(true), None) => "Meets".into(),
            (Some(false), _) => "No longer meets".into(),
            (None, _) => "Not reviewed".into(),
        };
        let resp = cell_text(ui, text);
        if let Some(c) = &r.criterion_code {
            resp.on_hover_text(criterion_label(c));
        }
    });
    row.col(|ui| {
        cell_text(ui, r.length_of_stay.to_string());
    });
    row.col(|ui| {
        cell_text(ui, r.pathway.map(|p| p.to_string()).unwrap_or_else(|| "not set".into()));
    });
    row.col(|ui| {
        cell_text(ui, social_care_text(r));
    });
    row.col(|ui| chc_cell(ui, r));
    row.col(|ui| {
        cell_text(ui, r.hospital.as_str());
    });
    row.col(|ui| {
        cell_text(ui, r.ward.as_deref().unwrap_or(""));
    });
    row.col(|ui| {
        cell_text(ui, fmt_date_time(r.admitted));
    });
}

/// The delay in days on its band's flag, with the band in words under it.
fn delay_cell(ui: &mut egui::Ui, r: &BoardRow) {
    let (Some(days), Some(band)) = (r.days_delayed, row_band(r)) else {
        if r.status == BoardStatus::MeetsCriteria {
            cell_text(ui, RichText::new("meets criteria").weak());
        }
        return;
    };
    let flag = theme::of(ui).delay_band(band);
    ui.spacing_mut().item_spacing.y = 0.0;
    egui::Frame::new()
        .fill(flag.fill)
        .corner_radius(3.0)
        .inner_margin(egui::Margin::symmetric(4, 0))
        .show(ui, |ui| {
            ui.label(RichText::new(format!("{days} d")).color(flag.text).strong());
        });
    ui.label(band.label());
}

fn reasons_cell(ui: &mut egui::Ui, r: &BoardRow) {
    if lacks_delay_reason(r) {
        let flag = theme::of(ui).warning_flag;
        egui::Frame::new()
            .fill(flag.fill)
            .corner_radius(3.0)
            .inner_margin(egui::Margin::symmetric(4, 0))
            .show(ui, |ui| {
                cell_text(ui, RichText::new(NO_REASON_RECORDED).color(flag.text).strong()).on_hover_text(
                    "Past the discharge ready date with no delay reason in force: record one on the record.",
                );
            });
        return;
    }
    let text: Vec<String> = r
        .delay_reasons
        .iter()
        .map(|d| format!("{} [{}]", d.description, d.attribution.label()))
        .collect();
    let text = text.join("; ");
    if !text.is_empty() {
        cell_text(ui, text.as_str()).on_hover_text(text.replace("; ", "\n"));
    }
}

fn chc_cell(ui: &mut egui::Ui, r: &BoardRow) {
    if r.is_restricted {
        cell_text(ui, RESTRICTED);
        return;
    }
    let text = RichText::new(r.chc.summary());
    cell_text(
        ui,
        if r.chc.is_overdue {
            text.color(theme::of(ui).danger)
        } else {
            text
        },
    );
}

fn social_care_text(r: &BoardRow) -> String {
    if r.is_restricted {
        // Held back, not "not known".
        return RESTRICTED.into();
    }
    let s = &r.social_care;
    if !s.is_known {
        return "not known".into();
    }
    let mut parts = Vec::new();
    if s.active_packages > 0 {
        parts.push(format!("{} active", s.active_packages));
    }
    if s.suspended_packages > 0 {
        parts.push(format!("{} suspended", s.suspended_packages));
    }
    if s.hospital_request_made {
        parts.push("request made".into());
    }
    if let Some(w) = &s.allocated_worker {
        parts.push(w.split(" (").next().unwrap_or(w).to_owned());
    }
    if parts.is_empty() {
        "known".into()
    } else {
        parts.join(", ")
    }
}
