//! The import window: progress with Cancel while files are read, then a report
//! where the user chooses to import the valid rows or nothing.

use egui::RichText;

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
pub fn import_ui(ctx: &egui::Context, state: &ImportState) -> Vec<Command> {
    let mut commands = Vec::new();
    egui::Window::new("Import")
        .collapsible(false)
        .resizable(true)
        .default_width(620.0)
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
            ImportState::Review(files) => {
                let mut valid_rows = 0;
                let mut rejected = 0;
                egui::ScrollArea::vertical().max_height(360.0).show(ui, |ui| {
                    for f in files {
                        let name = crate::import::file_label(&f.path);
                        match &f.result {
                            Ok(p) => {
                                let rows = p.batch.episodes.len() + p.batch.care_plans.len();
                                valid_rows += rows + p.batch.people.len();
                                rejected += p.rejections.len();
                                ui.label(
                                    RichText::new(format!(
                                        "{name}: {} people, {rows} items valid; {} rejected",
                                        p.batch.people.len(),
                                        p.rejections.len()
                                    ))
                                    .strong(),
                                );
                                for n in &p.batch.notes {
                                    ui.label(RichText::new(format!("  {n}")).weak());
                                }
                                for r in p.rejections.iter().take(200) {
                                    ui.label(format!("  {}: {}: {}", r.location, r.field, r.reason));
                                }
                            }
                            Err(e) => {
                                ui.label(
                                    RichText::new(format!("{name}: cannot be imported: {e}"))
                                        .color(theme::of(ui).danger),
                                );
                            }
                        }
                    }
                });
                ui.separator();
                ui.horizontal(|ui| {
                    let label = if rejected == 0 {
                        "Import".to_owned()
                    } else {
                        format!("Import valid rows ({rejected} rejected)")
                    };
                    if ui.add_enabled(valid_rows > 0, egui::Button::new(label)).clicked() {
                        commands.push(Command::ApplyImport);
                    }
                    if ui
                        .button("Cancel")
                        .on_hover_text("Import nothing from these files")
                        .clicked()
                    {
                        commands.push(Command::DiscardImport);
                    }
                    if rejected > 0 && ui.button("Save rejected rows…").clicked() {
                        commands.push(Command::SaveRejections);
                    }
                });
            }
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
                if ui.button("Close").clicked() {
                    commands.push(Command::DiscardImport);
                }
            }
        });
    commands
}
