//! The discharge readiness board: everyone in hospital, what holds them, whose
//! action it is. Summary and charts on top, filters, then a sortable table coloured
//! by status. Opening a row opens the person.

use std::collections::BTreeSet;

use egui::{Color32, RichText};
use egui_extras::{Column, TableBuilder};

use crate::domain::board::{BoardColumn, BoardFilter, BoardRow, row_order};
use crate::domain::dates::{fmt_date, fmt_date_time};
use crate::domain::discharge::{BoardStatus, criterion_label};
use crate::domain::disclosure::RESTRICTED;
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
        self.shown = shown;
        self.shown_key = Some(key);
    }

    /// The rows as shown (filtered and sorted), for the CSV export.
    pub fn shown_rows<'a>(&'a self, data: &'a BoardData) -> impl Iterator<Item = &'a BoardRow> + 'a {
        self.shown.iter().filter_map(|i| data.rows.get(*i))
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
        super::board_summary::summary_ui(ui, &data.summary);
        self.filters_ui(ui, data);
        ui.label(
            RichText::new(format!(
                "{} of {} people in hospital",
                self.shown.len(),
                data.rows.len()
            ))
            .strong(),
        );
        commands.extend(self.table_ui(ui, data));
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
            ui.label("Hospital");
            combo(ui, "board-hospital", &mut self.filter.hospital, &hospitals);
            ui.label("Ward");
            combo(ui, "board-ward", &mut self.filter.ward, &wards);
            ui.label("Pathway");
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
                });
            ui.label("Attribution");
            let label = self.filter.attribution.map(|a| a.label()).unwrap_or("All");
            egui::ComboBox::from_id_salt("board-attribution")
                .selected_text(label)
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut self.filter.attribution, None, "All");
                    for a in Attribution::ALL {
                        ui.selectable_value(&mut self.filter.attribution, Some(a), a.label());
                    }
                });
            let min = ui.label("Delayed at least (days)");
            ui.add(egui::DragValue::new(&mut self.filter.min_days_delayed).range(0..=365))
                .labelled_by(min.id);
            if self.filter != BoardFilter::default() && ui.button("Clear filters").clicked() {
                self.filter = BoardFilter::default();
            }
        });
    }

    fn table_ui(&mut self, ui: &mut egui::Ui, data: &BoardData) -> Vec<Command> {
        let mut commands = Vec::new();
        let mut clicked_sort = None;
        ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Truncate);
        egui::ScrollArea::horizontal().id_salt("board-scroll").show(ui, |ui| {
            let palette = theme::of(ui);
            TableBuilder::new(ui)
                .id_salt("board-table")
                .striped(true)
                .resizable(true)
                .column(Column::auto().at_least(220.0))
                .column(Column::auto().at_least(95.0))
                .column(Column::auto().at_least(120.0))
                .column(Column::auto().at_least(70.0))
                .column(Column::auto().at_least(90.0))
                .column(Column::auto().at_least(40.0))
                .column(Column::auto().at_least(110.0))
                .column(Column::auto().at_least(85.0))
                .column(Column::auto().at_least(55.0))
                .column(Column::auto().at_least(55.0))
                .column(Column::auto().at_least(260.0))
                .column(Column::auto().at_least(170.0))
                .column(Column::auto().at_least(150.0))
                .column(Column::remainder().at_least(160.0))
                .header(22.0, |mut h| {
                    for c in BoardColumn::ALL {
                        h.col(|ui| {
                            let arrow = if self.sort == c {
                                if self.ascending { " ^" } else { " v" }
                            } else {
                                ""
                            };
                            if ui
                                .button(RichText::new(format!("{}{arrow}", c.label())).strong())
                                .clicked()
                            {
                                clicked_sort = Some(c);
                            }
                        });
                    }
                })
                .body(|body| {
                    body.rows(24.0, self.shown.len(), |mut row| {
                        let r = &data.rows[self.shown[row.index()]];
                        let color = status_color(palette, r.status);
                        row.col(|ui| {
                            ui.horizontal(|ui| {
                                let (rect, _) = ui.allocate_exact_size(egui::vec2(6.0, 18.0), egui::Sense::hover());
                                ui.painter().rect_filled(rect, 1.0, color);
                                if ui
                                    .link(&r.person.display_name)
                                    .on_hover_text(r.status.label())
                                    .clicked()
                                {
                                    commands.push(Command::OpenPerson(r.person.person_id));
                                }
                                if r.is_restricted {
                                    ui.label(RichText::new(RESTRICTED).color(theme::of(ui).restricted).strong())
                                        .on_hover_text(
                                            "Restricted: counted here, details held back. Open the record and give a reason to see them.",
                                        );
                                }
                            });
                        });
                        row.col(|ui| {
                            ui.label(
                                r.person
                                    .nhs_number
                                    .map(|n| n.to_string())
                                    .unwrap_or_else(|| "none".into()),
                            );
                        });
                        row.col(|ui| {
                            ui.label(&r.hospital);
                        });
                        row.col(|ui| {
                            ui.label(r.ward.as_deref().unwrap_or(""));
                        });
                        row.col(|ui| {
                            ui.label(fmt_date_time(r.admitted));
                        });
                        row.col(|ui| {
                            ui.label(r.length_of_stay.to_string());
                        });
                        row.col(|ui| {
                            let text = match (r.meets_criteria, &r.criterion_code) {
                                (Some(true), Some(c)) => format!("Meets ({c})"),
                                (Some(true), None) => "Meets".into(),
                                (Some(false), _) => "No longer meets".into(),
                                (None, _) => "Not reviewed".into(),
                            };
                            let resp = ui.label(text);
                            if let Some(c) = &r.criterion_code {
                                resp.on_hover_text(criterion_label(c));
                            }
                        });
                        row.col(|ui| {
                            ui.label(r.discharge_ready_date.map(fmt_date).unwrap_or_default());
                        });
                        row.col(|ui| {
                            let text = r.days_delayed.map(|d| format!("{d} d")).unwrap_or_default();
                            ui.label(RichText::new(text).color(color).strong());
                        });
                        row.col(|ui| {
                            ui.label(r.pathway.map(|p| p.to_string()).unwrap_or_else(|| "not set".into()));
                        });
                        row.col(|ui| {
                            let text: Vec<String> = r
                                .delay_reasons
                                .iter()
                                .map(|d| format!("{} [{}]", d.description, d.attribution.label()))
                                .collect();
                            let text = text.join("; ");
                            ui.label(&text).on_hover_text(text.replace("; ", "\n"));
                        });
                        row.col(|ui| {
                            ui.label(social_care_text(r));
                        });
                        row.col(|ui| {
                            if r.is_restricted {
                                ui.label(RESTRICTED);
                                return;
                            }
                            let c = if r.chc.is_overdue {
                                theme::of(ui).danger
                            } else {
                                ui.visuals().text_color()
                            };
                            ui.label(RichText::new(r.chc.summary()).color(c));
                        });
                        row.col(|ui| {
                            let text = match (&r.next_action, &r.next_action_owner) {
                                _ if r.is_restricted => RESTRICTED.to_owned(),
                                (Some(a), Some(o)) => format!("{a} ({o})"),
                                (Some(a), None) => a.clone(),
                                _ => String::new(),
                            };
                            ui.label(text);
                        });
                    });
                });
        });
        if let Some(c) = clicked_sort {
            if self.sort == c {
                self.ascending = !self.ascending;
            } else {
                self.sort = c;
                self.ascending = false;
            }
        }
        commands
    }
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

fn combo(ui: &mut egui::Ui, id: &str, value: &mut String, options: &BTreeSet<&str>) {
    let label = if value.is_empty() {
        "All".to_owned()
    } else {
        value.clone()
    };
    egui::ComboBox::from_id_salt(id).selected_text(label).show_ui(ui, |ui| {
        ui.selectable_value(value, String::new(), "All");
        for o in options {
            ui.selectable_value(value, (*o).to_owned(), *o);
        }
    });
}
