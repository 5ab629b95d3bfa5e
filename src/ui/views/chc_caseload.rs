//! The CHC screen's caseload panel: one row per open process, with separate
//! columns for name, NHS number, stage, "day N of 28" and next review. Clicking a
//! header sorts by it (ascending, descending, then the default overdue-first
//! order); the sort is kept in the CHC window's state. A restricted person's row
//! shows what every row shows (name, NHS number, the statutory clock), and their
//! record opens only through the reason flow.

use egui::RichText;
use egui_extras::{Column, TableBuilder};

use crate::domain::chc_case::CaseloadRow;
use crate::domain::chc_caseload_sort::{CaseloadColumn, CaseloadSort, sorted_indices};
use crate::domain::dates::fmt_date;
use crate::ui::{Command, theme};

/// The header's text: its name, with "(ascending)" or "(descending)" when the caseload
/// is sorted by it (the fonts have no arrow glyphs).
pub fn header_text(column: CaseloadColumn, sort: Option<CaseloadSort>) -> String {
    match sort {
        Some(s) if s.column == column && s.is_ascending => format!("{} (ascending)", column.header()),
        Some(s) if s.column == column => format!("{} (descending)", column.header()),
        _ => column.header().to_owned(),
    }
}

/// The "day N of 28" cell: the clock while undecided, the days it took once decided.
fn clock_text(r: &CaseloadRow) -> (String, bool) {
    let c = &r.case;
    match c.decided_on {
        None => (format!("day {} of 28", c.days_on_clock), c.is_overdue),
        // The decision's date is on the person's CHC page; here, how long it took.
        Some(_) => (format!("decided on day {}", c.days_on_clock), false),
    }
}

/// Draw the caseload; `sort` is the window's and changes when a header is clicked.
pub fn caseload_ui(
    ui: &mut egui::Ui,
    caseload: Option<&[CaseloadRow]>,
    open: Option<i64>,
    sort: &mut Option<CaseloadSort>,
) -> Vec<Command> {
    let mut commands = Vec::new();
    ui.heading("CHC caseload");
    let Some(rows) = caseload else {
        ui.spinner();
        return commands;
    };
    let order = sorted_indices(rows, *sort);
    ui.label(match sort {
        None => format!("{} open, overdue first", rows.len()),
        Some(s) => format!("{} open, sorted by {}", rows.len(), s.column.header()),
    });
    ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Truncate);
    let mut clicked = None;
    TableBuilder::new(ui)
        .id_salt("chc-caseload-table")
        .striped(true)
        .resizable(true)
        .column(Column::initial(120.0).at_least(90.0).clip(true))
        .column(Column::initial(165.0).at_least(90.0))
        .column(Column::initial(180.0).at_least(100.0).clip(true))
        .column(Column::initial(120.0).at_least(80.0).clip(true))
        .column(Column::remainder().at_least(95.0))
        .header(22.0, |mut h| {
            for column in CaseloadColumn::ALL {
                h.col(|ui| {
                    if header_ui(ui, column, *sort) {
                        clicked = Some(column);
                    }
                });
            }
        })
        .body(|body| {
            body.rows(22.0, order.len(), |mut row| {
                let r = &rows[order[row.index()]];
                let selected = open == Some(r.person_id);
                row.set_selected(selected);
                if row_ui(&mut row, r, selected) {
                    commands.push(Command::OpenChc(r.person_id));
                }
            });
        });
    if let Some(column) = clicked {
        *sort = CaseloadSort::after_click(*sort, column);
    }
    commands
}

/// A column's header as a frameless button; true when clicked.
fn header_ui(ui: &mut egui::Ui, column: CaseloadColumn, sort: Option<CaseloadSort>) -> bool {
    let b = egui::Button::new(RichText::new(header_text(column, sort)).strong()).frame(false);
    let hint = match sort {
        Some(s) if s.column == column && s.is_ascending => "Sorted ascending: click for descending",
        Some(s) if s.column == column => "Sorted descending: click for overdue first",
        _ => "Click to sort by this column",
    };
    ui.add(b).on_hover_text(hint).clicked()
}

/// One person's cells; true when their name was clicked.
fn row_ui(row: &mut egui_extras::TableRow<'_, '_>, r: &CaseloadRow, selected: bool) -> bool {
    let mut open = false;
    row.col(|ui| {
        // On the selected row a link would be blue on blue.
        let name = if selected {
            RichText::new(&r.name)
                .strong()
                .color(ui.visuals().selection.stroke.color)
        } else {
            RichText::new(&r.name)
        };
        open = ui.link(name).clicked();
    });
    row.col(|ui| {
        let nhs = r.nhs_number.as_ref().map(|n| n.to_string());
        ui.label(nhs.unwrap_or_else(|| "none".into()));
    });
    row.col(|ui| {
        ui.label(r.case.stage.label());
    });
    row.col(|ui| {
        let (text, late) = clock_text(r);
        late_label(ui, text, late && !selected);
    });
    row.col(|ui| {
        let text = r.case.next_review.map(fmt_date).unwrap_or_default();
        let text = if r.case.is_review_overdue {
            format!("{text} (overdue)")
        } else {
            text
        };
        late_label(ui, text, r.case.is_review_overdue && !selected);
    });
    open
}

fn late_label(ui: &mut egui::Ui, text: String, late: bool) {
    let color = if late {
        theme::of(ui).danger
    } else {
        ui.visuals().text_color()
    };
    ui.label(RichText::new(text).color(color));
}
