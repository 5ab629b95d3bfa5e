//! The import window: progress with Cancel while files are read, then the preview
//! of who each file brings in (`import_preview`) where the user chooses "Import
//! valid rows" or "Cancel" (Escape): nothing is written before the first.

use egui::RichText;

use super::import_preview::file_preview_ui;
use crate::ui::db::ParsedFile;
use crate::ui::{Command, theme};

/// Where an import stands.
pub enum ImportState {
    /// `done` of `total` files read; `items` read so far from `file`.
    Reading {
        done: usize,
        total: usize,
        file: String,
        items: usize,
    },
    Review(Vec<ParsedFile>),
    Applying,
    Writing {
        done: usize,
        total: usize,
        file: String,
    },
    Done(Vec<String>),
}

#[must_use]
/// `takes_escape`: Escape cancels the review (not while a picker is open over it).
pub fn import_ui(ctx: &egui::Context, state: &ImportState, takes_escape: bool) -> Vec<Command> {
    let mut commands = Vec::new();
    egui::Window::new("Import")
        .collapsible(false)
        .resizable(true)
        .default_width(840.0)
        .show(ctx, |ui| match state {
            ImportState::Reading {
                done,
                total,
                file,
                items,
            } => {
                ui.label(format!("Reading and checking {file}"));
                if *items > 0 {
                    ui.label(format!("{items} items read so far"));
                }
                let fraction = if *total == 0 { 0.0 } else { *done as f32 / *total as f32 };
                ui.add(
                    egui::ProgressBar::new(fraction)
                        .text(format!("{done} of {total} files"))
                        .animate(true),
                );
                if ui.button("Cancel").clicked() {
                    commands.push(Command::CancelImport);
                }
            }
            ImportState::Review(files) => commands.extend(review_ui(ui, files, takes_escape)),
            ImportState::Writing { done, total, file } => {
                ui.label(format!("Writing {file} in one transaction"));
                let fraction = if *total == 0 { 0.0 } else { *done as f32 / *total as f32 };
                ui.add(
                    egui::ProgressBar::new(fraction)
                        .text(format!("{done} of {total} items"))
                        .animate(true),
                );
                if ui.button("Cancel").clicked() {
                    commands.push(Command::CancelImport);
                }
                ui.label(RichText::new("Cancelling keeps nothing of this file.").weak());
            }
            ImportState::Applying => {
                ui.add(
                    egui::ProgressBar::new(1.0)
                        .text("Writing to the database")
                        .animate(true),
                );
            }
            ImportState::Done(lines) => {
                for l in lines {
                    ui.label(l);
                }
                let close = ui.button("Close");
                keyboard_to(ui, &close);
                if close.clicked() || (takes_escape && ui.input(|i| i.key_pressed(egui::Key::Escape))) {
                    commands.push(Command::DiscardImport);
                }
            }
        });
    commands
}

/// The files' previews and the choice: "Import valid rows" writes them, "Cancel"
/// (or Escape) nothing.
#[must_use]
fn review_ui(ui: &mut egui::Ui, files: &[ParsedFile], takes_escape: bool) -> Vec<Command> {
    let mut commands = Vec::new();
    let mut valid_rows = 0;
    let mut rejected = 0;
    egui::ScrollArea::vertical()
        .id_salt("import-review")
        .max_height(480.0)
        .show(ui, |ui| {
            for (i, f) in files.iter().enumerate() {
                let name = crate::import::file_label(&f.path);
                match &f.result {
                    Ok(checked) => {
                        let b = &checked.parsed.batch;
                        valid_rows += b.episodes.len() + b.care_plans.len() + b.people.len();
                        rejected += checked.parsed.rejections.len();
                        file_preview_ui(ui, i, &name, checked);
                    }
                    Err(e) => {
                        ui.label(RichText::new(format!("{name}: cannot be imported: {e}")).color(theme::of(ui).danger));
                    }
                }
            }
        });
    ui.separator();
    ui.horizontal(|ui| {
        let import = ui
            .add_enabled(valid_rows > 0, egui::Button::new("Import valid rows"))
            .on_hover_text(if rejected == 0 {
                "Write every row of these files, in one transaction each".to_owned()
            } else {
                format!("Write the valid rows; the {rejected} rejected are left out")
            });
        if import.clicked() {
            commands.push(Command::ApplyImport);
        }
        let cancel = ui.button("Cancel").on_hover_text("Import nothing from these files");
        // The keyboard starts on the choice that writes nothing.
        keyboard_to(ui, &cancel);
        if cancel.clicked() || (takes_escape && ui.input(|i| i.key_pressed(egui::Key::Escape))) {
            commands.push(Command::DiscardImport);
        }
        if rejected > 0 && ui.button("Save rejected rows…").clicked() {
            commands.push(Command::SaveRejections);
        }
    });
    commands
}

/// Give `button` the keyboard when nothing has it (the window just opened, or the
/// user clicked away), so Tab and Enter work in the window without a click.
fn keyboard_to(ui: &egui::Ui, button: &egui::Response) {
    if ui.memory(|m| m.focused().is_none()) {
        button.request_focus();
    }
}
