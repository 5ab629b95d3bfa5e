//! The worklist's "Create task" form: a title, an owner (me or my team), a due
//! date and a priority, for a task made from one event. The service checks the
//! title and audits the task.

use egui::RichText;

use crate::domain::dates::{fmt_date, parse_date};
use crate::domain::worklist::Priority;
use crate::domain::worklist::tasks::Owner;
use crate::service::{NewTask, WorklistItem};
use crate::ui::{ViewContext, theme};

/// What the form asks for after a frame.
pub enum FormOutcome {
    Editing,
    Save(NewTask),
    Cancel,
}

/// A task being made from a worklist event.
pub struct TaskForm {
    pub person_id: i64,
    pub event_key: String,
    /// Who and what it is about, as the worklist shows them.
    pub about: String,
    pub title: String,
    /// The user's team, if they have one.
    pub team: Option<String>,
    /// For the user's team rather than for them.
    pub for_team: bool,
    pub due: String,
    pub priority: Priority,
    error: Option<String>,
}

impl TaskForm {
    pub fn for_event(item: &WorklistItem, team: Option<String>) -> Self {
        Self {
            team,
            person_id: item.person_id,
            event_key: item.key.clone(),
            about: format!("{}: {}", item.name, item.summary),
            title: String::new(),
            for_team: false,
            due: String::new(),
            priority: Priority::Normal,
            error: None,
        }
    }

    #[must_use]
    pub fn ui(&mut self, ui: &mut egui::Ui, ctx: &ViewContext) -> FormOutcome {
        let mut outcome = FormOutcome::Editing;
        ui.label(RichText::new(format!("New task: {}", self.about)).strong());
        ui.horizontal(|ui| {
            let l = ui.label("Task title");
            ui.add(
                egui::TextEdit::singleline(&mut self.title)
                    .desired_width(320.0)
                    .hint_text("what is to be done"),
            )
            .labelled_by(l.id);
            let l = ui.label("Due");
            ui.add(
                egui::TextEdit::singleline(&mut self.due)
                    .desired_width(110.0)
                    .hint_text(fmt_date(ctx.today)),
            )
            .labelled_by(l.id);
            egui::ComboBox::from_label("Priority")
                .selected_text(self.priority.code())
                .show_ui(ui, |ui| {
                    for p in Priority::ALL {
                        ui.selectable_value(&mut self.priority, p, p.code());
                    }
                });
            let label = match &self.team {
                Some(t) => format!("For my team ({t})"),
                None => "For my team (you have none)".to_owned(),
            };
            ui.add_enabled(self.team.is_some(), egui::Checkbox::new(&mut self.for_team, label));
        });
        ui.horizontal(|ui| {
            if ui.button("Save task").clicked() {
                match self.checked() {
                    Ok(task) => outcome = FormOutcome::Save(task),
                    Err(e) => self.error = Some(e),
                }
            }
            if ui.button("Discard").clicked() {
                outcome = FormOutcome::Cancel;
            }
            if let Some(e) = &self.error {
                ui.label(RichText::new(e).color(theme::of(ui).danger));
            }
        });
        outcome
    }

    /// The task as typed, or why not.
    fn checked(&self) -> Result<NewTask, String> {
        if self.title.trim().is_empty() {
            return Err("A task needs a title.".into());
        }
        let due = match self.due.trim() {
            "" => None,
            d => Some(parse_date(d).ok_or_else(|| format!("{d:?} is not a date (e.g. 24-Nov-2026)"))?),
        };
        let owner = match (&self.team, self.for_team) {
            (Some(t), true) => Some(Owner::Team(t.clone())),
            _ => None,
        };
        Ok(NewTask {
            person_id: self.person_id,
            title: self.title.trim().to_owned(),
            owner,
            due,
            priority: self.priority,
            notes: String::new(),
            event_key: Some(self.event_key.clone()),
        })
    }
}
