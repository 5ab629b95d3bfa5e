//! The worklist screen (issue 16): a care coordinator's first screen. For their
//! caseload, the events since they last looked, most urgent first then newest, each
//! opening the record at its item; seen and acknowledged per user; tasks made from
//! an event; and the open tasks due or overdue, with Start, Done and Cancel.
//! Restricted events arrive masked from the service and are drawn as they come.

use egui::RichText;
use egui_extras::{Column, TableBuilder};

use super::worklist_task_form::{FormOutcome, TaskForm};
use crate::domain::dates::fmt_date;
use crate::domain::worklist::{EventKind, TaskStatus, Urgency};
use crate::service::{TaskLine, WorklistItem, WorklistScreen};
use crate::ui::db::WorklistAction;
use crate::ui::{Command, ViewContext, theme};

/// The worklist screen's own state: the task being made, if any.
#[derive(Default)]
pub struct WorklistView {
    pub form: Option<TaskForm>,
}

pub fn urgency_color(p: &theme::Palette, u: Urgency) -> egui::Color32 {
    match u {
        Urgency::Urgent => p.danger,
        Urgency::High => p.caution,
        Urgency::Routine => p.health,
    }
}

pub fn urgency_label(u: Urgency) -> &'static str {
    match u {
        Urgency::Urgent => "Urgent",
        Urgency::High => "High",
        Urgency::Routine => "Routine",
    }
}

fn nhs_text(n: Option<crate::domain::NhsNumber>) -> String {
    n.map(|n| n.to_string()).unwrap_or_else(|| "no NHS number".into())
}

impl WorklistView {
    #[must_use]
    pub fn ui(&mut self, ui: &mut egui::Ui, ctx: &ViewContext, data: Option<&WorklistScreen>) -> Vec<Command> {
        let mut commands = Vec::new();
        let Some(data) = data else {
            ui.heading("Worklist");
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label("Reading your caseload…");
            });
            return commands;
        };
        commands.extend(self.header_ui(ui, data));
        if let Some(form) = &mut self.form {
            match form.ui(ui, ctx) {
                FormOutcome::Save(task) => {
                    commands.push(Command::Worklist(WorklistAction::AddTask(Box::new(task))));
                    self.form = None;
                }
                FormOutcome::Cancel => self.form = None,
                FormOutcome::Editing => {}
            }
            ui.separator();
        }
        let tasks_height = if data.due_tasks.is_empty() {
            60.0
        } else {
            90.0 + 26.0 * data.due_tasks.len().min(6) as f32
        };
        let events_height = (ui.available_height() - tasks_height).max(160.0);
        ui.allocate_ui(egui::vec2(ui.available_width(), events_height), |ui| {
            commands.extend(self.events_ui(ui, data));
        });
        ui.separator();
        commands.extend(tasks_ui(ui, ctx, &data.due_tasks));
        commands
    }

    fn header_ui(&mut self, ui: &mut egui::Ui, data: &WorklistScreen) -> Vec<Command> {
        let mut commands = Vec::new();
        let list = &data.list;
        ui.horizontal(|ui| {
            ui.heading("Worklist");
            ui.label(
                RichText::new(format!(
                    "{}: {} people on your caseload, as of {}",
                    list.user,
                    list.caseload,
                    fmt_date(list.as_of)
                ))
                .weak(),
            );
        });
        ui.horizontal(|ui| {
            let unseen = list.items.iter().filter(|i| !i.seen).count();
            ui.label(if unseen > 0 {
                format!("{unseen} new since you last looked")
            } else if list.items.is_empty() {
                "Nothing new since you last looked".to_owned()
            } else {
                "Nothing new: these are the events of your last look".to_owned()
            });
            if ui
                .add_enabled(unseen > 0, egui::Button::new("Mark all seen"))
                .on_hover_text("The next look shows only what happens after this")
                .clicked()
            {
                let shown = list.items.iter().map(|i| (i.person_id, i.key.clone())).collect();
                commands.push(Command::Worklist(WorklistAction::MarkAllSeen(shown)));
            }
            if ui.button("Refresh").clicked() {
                commands.push(Command::Navigate(crate::ui::Screen::Worklist));
            }
        });
        if list.caseload == 0 {
            let how = if data.is_coordinator {
                "No one is allocated to you in the sources. Follow a person from their record's banner to add them."
            } else {
                "Your account is not set as a coordinator (joinedup coordinator --worker NAME --team TEAM), so your \
                 caseload holds only the people you follow. Follow a person from their record's banner."
            };
            ui.label(RichText::new(how).color(theme::of(ui).caution));
        }
        commands
    }

    fn events_ui(&mut self, ui: &mut egui::Ui, data: &WorklistScreen) -> Vec<Command> {
        let mut commands = Vec::new();
        let items = &data.list.items;
        if items.is_empty() {
            return commands;
        }
        ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Truncate);
        TableBuilder::new(ui)
            .id_salt("worklist-events")
            .striped(true)
            .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
            .resizable(true)
            .column(Column::exact(66.0))
            .column(Column::exact(94.0))
            .column(Column::exact(160.0).clip(true))
            // The NHS number has a column of its own, wide enough never to be cut.
            .column(Column::exact(112.0))
            .column(Column::remainder().at_least(150.0).clip(true))
            .column(Column::exact(150.0).clip(true))
            .column(Column::exact(100.0))
            .column(Column::exact(360.0))
            .header(22.0, |mut h| {
                for title in [
                    "Urgency",
                    "Date",
                    "Person",
                    "NHS number",
                    "What happened",
                    "Task",
                    "Seen",
                    "Actions",
                ] {
                    h.col(|ui| {
                        ui.label(RichText::new(title).strong());
                    });
                }
            })
            .body(|body| {
                body.rows(26.0, items.len(), |mut row| {
                    let item = &items[row.index()];
                    row.col(|ui| {
                        let u = item.urgency;
                        ui.label(
                            RichText::new(urgency_label(u))
                                .color(urgency_color(theme::of(ui), u))
                                .strong(),
                        );
                    });
                    row.col(|ui| {
                        ui.label(fmt_date(item.date));
                    });
                    row.col(|ui| {
                        ui.label(RichText::new(&item.name).strong()).on_hover_text(&item.name);
                    });
                    row.col(|ui| {
                        ui.label(RichText::new(nhs_text(item.nhs_number)).monospace());
                    });
                    row.col(|ui| {
                        let text = RichText::new(&item.summary);
                        let text = if item.kind == EventKind::Restricted {
                            text.color(theme::of(ui).restricted).italics()
                        } else {
                            text
                        };
                        ui.label(text).on_hover_text(&item.summary);
                    });
                    row.col(|ui| {
                        if let Some(t) = &item.task {
                            let due = t.due.map(|d| format!(", due {}", fmt_date(d))).unwrap_or_default();
                            ui.label(format!("{} ({}){due}", t.title, status_label(t.status)))
                                .on_hover_text(format!("Owner: {}", t.owner));
                        }
                    });
                    row.col(|ui| {
                        ui.label(if item.acknowledged {
                            "Acknowledged"
                        } else if item.seen {
                            "Seen"
                        } else {
                            "New"
                        });
                    });
                    row.col(|ui| {
                        ui.horizontal(|ui| commands.extend(self.actions_ui(ui, item, data.team.as_deref())));
                    });
                });
            });
        commands
    }

    fn actions_ui(&mut self, ui: &mut egui::Ui, item: &WorklistItem, team: Option<&str>) -> Vec<Command> {
        let mut commands = Vec::new();
        let (person_id, key) = (item.person_id, item.key.clone());
        if ui
            .button("Open")
            .on_hover_text("Open the record at this item")
            .clicked()
        {
            commands.push(Command::OpenAt {
                person_id,
                target: item.target,
            });
        }
        if ui.add_enabled(!item.seen, egui::Button::new("Mark seen")).clicked() {
            commands.push(Command::Worklist(WorklistAction::MarkSeen {
                person_id,
                key: key.clone(),
            }));
        }
        if ui
            .add_enabled(!item.acknowledged, egui::Button::new("Acknowledge"))
            .on_hover_text("Say you dealt with it: kept in the record's history")
            .clicked()
        {
            commands.push(Command::Worklist(WorklistAction::Acknowledge { person_id, key }));
        }
        if ui.button("Create task").clicked() {
            self.form = Some(TaskForm::for_event(item, team.map(str::to_owned)));
        }
        commands
    }
}

pub fn status_label(s: TaskStatus) -> &'static str {
    match s {
        TaskStatus::Open => "open",
        TaskStatus::InProgress => "in progress",
        TaskStatus::Done => "done",
        TaskStatus::Cancelled => "cancelled",
    }
}

/// The open tasks due or overdue, with Start, Done and Cancel.
#[must_use]
fn tasks_ui(ui: &mut egui::Ui, ctx: &ViewContext, tasks: &[TaskLine]) -> Vec<Command> {
    let mut commands = Vec::new();
    ui.label(RichText::new(format!("Tasks due or overdue ({})", tasks.len())).strong());
    if tasks.is_empty() {
        ui.label(RichText::new("No task of yours or your team's is due.").weak());
        return commands;
    }
    let set = |id: i64, version: i64, status: TaskStatus| {
        Command::Worklist(WorklistAction::SetTaskStatus { id, version, status })
    };
    egui::ScrollArea::vertical().id_salt("worklist-tasks").show(ui, |ui| {
        egui::Grid::new("worklist-tasks-grid")
            .striped(true)
            .num_columns(7)
            .show(ui, |ui| {
                for title in ["Due", "Person", "Task", "Owner", "Priority", "Status", ""] {
                    ui.label(RichText::new(title).strong());
                }
                ui.end_row();
                for line in tasks {
                    let t = &line.task;
                    let due = t.due.map(fmt_date).unwrap_or_default();
                    let overdue = t.due.is_some_and(|d| d < ctx.today);
                    ui.label(RichText::new(due).color(if overdue {
                        theme::of(ui).danger
                    } else {
                        theme::of(ui).health
                    }));
                    ui.label(format!("{} {}", line.name, nhs_text(line.nhs_number)));
                    let title = RichText::new(&t.title);
                    ui.label(if line.is_restricted {
                        title.color(theme::of(ui).restricted).italics()
                    } else {
                        title
                    });
                    ui.label(t.owner.label());
                    ui.label(t.priority.code());
                    ui.label(status_label(t.status));
                    ui.horizontal(|ui| {
                        if t.status == TaskStatus::Open && ui.button("Start").clicked() {
                            commands.push(set(t.id, t.version, TaskStatus::InProgress));
                        }
                        if ui.button("Done").clicked() {
                            commands.push(set(t.id, t.version, TaskStatus::Done));
                        }
                        if ui.button("Cancel").clicked() {
                            commands.push(set(t.id, t.version, TaskStatus::Cancelled));
                        }
                    });
                    ui.end_row();
                }
            });
    });
    commands
}
