//! The discharge readiness board: everyone in hospital, what holds them, whose
//! action it is. Tiles and charts on top (counted from the rows the filters leave),
//! filters, then a sortable table (`board_table`) coloured and labelled by delay
//! band. Opening a row opens the person.

use std::collections::BTreeSet;

use egui::{Color32, RichText};

use super::board_table::BoardTable;
use crate::domain::board::{BoardColumn, BoardFilter, BoardRow, row_order};
use crate::domain::board_counts::{BoardCounts, count_rows};
use crate::domain::dates::fmt_date;
use crate::domain::discharge::BoardStatus;
use crate::domain::hospital::Attribution;
use crate::ui::{Command, theme};

pub use crate::service::BoardData;

pub fn status_color(p: &theme::Palette, s: BoardStatus) -> Color32 {
    match s {
        BoardStatus::MeetsCriteria => p.health,
        BoardStatus::ReadyToday => p.ok,
        BoardStatus::Delayed => p.caution,
        BoardStatus::LongDelay => p.danger,
        BoardStatus::NotReviewed => p.restricted,
    }
}

/// The tabs of the board screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BoardTab {
    /// The discharge readiness board.
    Board,
    /// The discharge situation report and its trends (`views::sitrep`).
    Sitrep,
}

/// The tab strip above the board screen.
#[must_use]
pub fn tabs_ui(ui: &mut egui::Ui, current: BoardTab) -> Vec<Command> {
    let mut commands = Vec::new();
    ui.horizontal(|ui| {
        for (tab, label) in [
            (BoardTab::Board, "Readiness board"),
            (BoardTab::Sitrep, "Situation report"),
        ] {
            if ui.selectable_label(current == tab, label).clicked() && current != tab {
                commands.push(Command::BoardTab(tab));
            }
        }
    });
    ui.separator();
    commands
}

#[derive(Default)]
pub struct BoardView {
    pub filter: BoardFilter,
    pub sort: BoardColumn,
    pub ascending: bool,
    /// Rows after filter and sort, as indices into the data; rebuilt when inputs change.
    shown: Vec<usize>,
    shown_key: Option<(usize, chrono::NaiveDate, String, BoardColumn, bool)>,
    /// The tiles' and charts' figures, counted from the rows shown.
    counts: BoardCounts,
    /// The table's vertical scroll, shared by its frozen and scrolling halves.
    v_offset: f32,
}

impl BoardView {
    fn refresh(&mut self, data: &BoardData) {
        let key = (
            data.rows.len(),
            data.as_of,
            serde_json::to_string(&self.filter).unwrap_or_default(),
            self.sort,
            self.ascending,
        );
        if self.shown_key.as_ref() == Some(&key) {
            return;
        }
        let rows = &data.rows;
        let mut shown: Vec<usize> = (0..rows.len()).filter(|i| self.filter.matches(&rows[*i])).collect();
        shown.sort_by(|a, b| row_order(&rows[*a], &rows[*b], self.sort, !self.ascending));
        self.counts = count_rows(shown.iter().map(|i| &rows[*i]));
        self.shown = shown;
        self.shown_key = Some(key);
    }

    /// The rows as shown (filtered and sorted), for the CSV export.
    pub fn shown_rows<'a>(&'a self, data: &'a BoardData) -> impl Iterator<Item = &'a BoardRow> + 'a {
        self.shown.iter().filter_map(|i| data.rows.get(*i))
    }

    /// The tiles' and charts' figures for the rows shown.
    pub fn counts(&self) -> &BoardCounts {
        &self.counts
    }

    /// Force the next frame to rebuild the rows (new data arrived).
    pub fn invalidate(&mut self) {
        self.shown_key = None;
    }

    #[must_use]
    pub fn ui(&mut self, ui: &mut egui::Ui, data: Option<&BoardData>) -> Vec<Command> {
        let mut commands = Vec::new();
        ui.horizontal(|ui| {
            ui.heading("Discharge readiness board");
            if let Some(d) = data {
                ui.label(format!("as of {}", fmt_date(d.as_of)));
            }
            if ui.button("Refresh").clicked() {
                commands.push(Command::RefreshBoard);
            }
            if ui
                .add_enabled(data.is_some(), egui::Button::new("Export CSV…"))
                .clicked()
            {
                commands.push(Command::ExportBoardCsv);
            }
        });
        let Some(data) = data else {
            ui.spinner();
            return commands;
        };
        self.refresh(data);
        let is_filtered = self.filter != BoardFilter::default();
        super::board_summary::summary_ui(ui, &self.counts, &data.summary, is_filtered);
        self.filters_ui(ui, data);
        ui.label(
            RichText::new(format!(
                "{} of {} people in hospital",
                self.shown.len(),
                data.rows.len()
            ))
            .strong(),
        );
        let table = BoardTable {
            rows: &data.rows,
            shown: &self.shown,
            sort: self.sort,
            ascending: self.ascending,
        };
        let out = table.ui(ui, &mut self.v_offset);
        if let Some(c) = out.clicked_sort {
            if self.sort == c {
                self.ascending = !self.ascending;
            } else {
                self.sort = c;
                self.ascending = false;
            }
        }
        commands.extend(out.commands);
        commands
    }

    fn filters_ui(&mut self, ui: &mut egui::Ui, data: &BoardData) {
        let hospitals: BTreeSet<&str> = data.rows.iter().map(|r| r.hospital.as_str()).collect();
        let wards: BTreeSet<&str> = data
            .rows
            .iter()
            .filter(|r| self.filter.hospital.is_empty() || r.hospital == self.filter.hospital)
            .filter_map(|r| r.ward.as_deref())
            .collect();
        ui.horizontal_wrapped(|ui| {
            let name = ui.label("Hospital");
            combo(ui, "board-hospital", &mut self.filter.hospital, &hospitals).labelled_by(name.id);
            let name = ui.label("Ward");
            combo(ui, "board-ward", &mut self.filter.ward, &wards).labelled_by(name.id);
            let name = ui.label("Pathway");
            let label = self
                .filter
                .pathway
                .map(|p| p.to_string())
                .unwrap_or_else(|| "All".into());
            egui::ComboBox::from_id_salt("board-pathway")
                .selected_text(label)
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut self.filter.pathway, None, "All");
                    for p in 0..=3u8 {
                        ui.selectable_value(&mut self.filter.pathway, Some(p), format!("Pathway {p}"));
                    }
                })
                .response
                .labelled_by(name.id);
            let name = ui.label("Attribution");
            let label = self.filter.attribution.map(|a| a.label()).unwrap_or("All");
            egui::ComboBox::from_id_salt("board-attribution")
                .selected_text(label)
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut self.filter.attribution, None, "All");
                    for a in Attribution::ALL {
                        ui.selectable_value(&mut self.filter.attribution, Some(a), a.label());
                    }
                })
                .response
                .labelled_by(name.id);
            let min = ui.label("Delayed at least (days)");
            ui.add(egui::DragValue::new(&mut self.filter.min_days_delayed).range(0..=365))
                .labelled_by(min.id);
            if self.filter != BoardFilter::default() && ui.button("Clear filters").clicked() {
                self.filter = BoardFilter::default();
            }
        });
    }
}

fn combo(ui: &mut egui::Ui, id: &str, value: &mut String, options: &BTreeSet<&str>) -> egui::Response {
    let label = if value.is_empty() {
        "All".to_owned()
    } else {
        value.clone()
    };
    egui::ComboBox::from_id_salt(id)
        .selected_text(label)
        .show_ui(ui, |ui| {
            ui.selectable_value(value, String::new(), "All");
            for o in options {
                ui.selectable_value(value, (*o).to_owned(), *o);
            }
        })
        .response
}
