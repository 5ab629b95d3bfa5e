//! The trainers' panel, in training mode only: each fixture story, what it shows,
//! its person opened in one click; and "Reset training data" (confirmed first),
//! which rebuilds the training database from the fixtures.

use egui::RichText;
use egui_extras::{Column, TableBuilder};

use crate::service::StoryLine;
use crate::ui::{Command, theme};

/// The panel's own state: whether the reset is being confirmed.
#[derive(Debug, Default)]
pub struct TrainingView {
    confirming_reset: bool,
}

impl TrainingView {
    /// `may_reset`: training mode on a desktop database (a server's training data
    /// is its owner's).
    pub fn ui(&mut self, ui: &mut egui::Ui, stories: Option<&[StoryLine]>, may_reset: bool) -> Vec<Command> {
        let mut commands = Vec::new();
        ui.heading("Training stories");
        ui.label(
            "Each training person tells one coordination story. Open one to show it; the dates are shifted so \
             that each story is current today.",
        );
        ui.horizontal(|ui| {
            if may_reset
                && ui
                    .button("Reset training data…")
                    .on_hover_text(
                        "Rebuild the training people from the fixtures, undoing every change made in training",
                    )
                    .clicked()
            {
                self.confirming_reset = true;
            }
        });
        if self.confirming_reset && may_reset {
            commands.extend(self.confirm_reset_ui(ui));
        }
        match stories {
            None => {
                ui.spinner();
            }
            Some(stories) => stories_table(ui, stories, &mut commands),
        }
        commands
    }

    /// Only the two buttons close it: a stray click must not clear the records.
    fn confirm_reset_ui(&mut self, ui: &mut egui::Ui) -> Vec<Command> {
        let mut commands = Vec::new();
        egui::Modal::new(egui::Id::unique("confirm-training-reset")).show(ui.ctx(), |ui| {
            ui.heading("Reset the training data?");
            ui.label(
                "Every training record is rebuilt from the fixtures: changes made in training (stays edited, \
                 tasks, links, CHC decisions) are undone. The reset is written to the audit log.",
            );
            ui.horizontal(|ui| {
                if ui.button("Reset the training data").clicked() {
                    self.confirming_reset = false;
                    commands.push(Command::ResetTraining);
                }
                if ui.button("Cancel").clicked() {
                    self.confirming_reset = false;
                }
            });
        });
        commands
    }
}

fn stories_table(ui: &mut egui::Ui, stories: &[StoryLine], commands: &mut Vec<Command>) {
    TableBuilder::new(ui)
        .id_salt("training-stories")
        .striped(true)
        .column(Column::auto().at_least(170.0))
        .column(Column::auto().at_least(110.0))
        .column(Column::initial(460.0).at_least(250.0).resizable(true).clip(true))
        .column(Column::remainder().at_least(250.0))
        .header(20.0, |mut h| {
            for t in ["Person", "NHS number", "Story", "Shows"] {
                h.col(|ui| {
                    ui.strong(t);
                });
            }
        })
        .body(|body| {
            // Two lines a row: a story and what it shows wrap rather than cut off.
            body.rows(36.0, stories.len(), |mut row| {
                let line = &stories[row.index()];
                row.col(|ui| match &line.person {
                    Some(p) => {
                        if ui
                            .link(line.story.name)
                            .on_hover_text(format!("Open {}'s record", line.story.name))
                            .clicked()
                        {
                            commands.push(Command::OpenPerson(p.id));
                        }
                    }
                    None => {
                        ui.label(line.story.name)
                            .on_hover_text("Not in the training database now: reset the training data");
                    }
                });
                row.col(|ui| {
                    let nhs = line.person.as_ref().and_then(|p| p.nhs_number);
                    match nhs {
                        Some(n) => ui.label(n.to_string()),
                        None => ui.label(RichText::new("none").color(theme::of(ui).secondary_text)),
                    };
                });
                for text in [line.story.story, line.story.shows] {
                    row.col(|ui| {
                        ui.add(egui::Label::new(text).wrap());
                    });
                }
            });
        });
}
