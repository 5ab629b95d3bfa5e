//! Sources and data quality: what was imported from where, and who waits to be
//! matched to an NHS number. The whole page scrolls, so that "Confirmed matches" and
//! their Undo are reached on a small screen.

use egui::RichText;
use egui_extras::{Column, TableBuilder};

use crate::domain::dates::{fmt_date, fmt_date_time};
use crate::ui::Command;
use crate::ui::db::Overview;

#[must_use]
pub fn sources_ui(
    ui: &mut egui::Ui,
    overview: &Overview,
    by_source: Option<&[crate::store::SourceSummary]>,
    matches: &std::collections::HashMap<i64, Vec<crate::store::MatchCandidate>>,
    now: chrono::NaiveDateTime,
) -> Vec<Command> {
    egui::ScrollArea::vertical()
        .id_salt("sources-page")
        .auto_shrink([false, false])
        .show(ui, |ui| page_ui(ui, overview, by_source, matches, now))
        .inner
}

#[must_use]
fn page_ui(
    ui: &mut egui::Ui,
    overview: &Overview,
    by_source: Option<&[crate::store::SourceSummary]>,
    matches: &std::collections::HashMap<i64, Vec<crate::store::MatchCandidate>>,
    now: chrono::NaiveDateTime,
) -> Vec<Command> {
    let mut commands = Vec::new();
    ui.horizontal(|ui| {
        ui.heading("Sources and data quality");
        if ui.button("Import files…").clicked() {
            commands.push(Command::PickFilesToImport);
        }
    });
    ui.label(format!("{} people in this database.", overview.people));
    super::feeds_panel::feeds_ui(ui, overview, now);
    ui.add_space(6.0);
    ui.label(RichText::new("Source systems").strong());
    let Some(by_source) = by_source else {
        ui.horizontal(|ui| {
            ui.spinner();
            ui.label("Counting the items from each source…");
        });
        return sources_rest_ui(ui, overview, matches, commands);
    };
    egui::Grid::new("by-source")
        .striped(true)
        .num_columns(3)
        .show(ui, |ui| {
            ui.strong("Source");
            ui.strong("Items");
            ui.strong("Last import");
            ui.end_row();
            for s in by_source {
                ui.label(&s.source);
                ui.label(s.items.to_string());
                ui.label(fmt_date_time(s.last_import));
                ui.end_row();
            }
        });
    sources_rest_ui(ui, overview, matches, commands)
}

/// Below the source counts: people the sources disagree about, the matching queue,
/// the links made, and the files imported.
#[must_use]
fn sources_rest_ui(
    ui: &mut egui::Ui,
    overview: &Overview,
    matches: &std::collections::HashMap<i64, Vec<crate::store::MatchCandidate>>,
    mut commands: Vec<Command>,
) -> Vec<Command> {
    commands.extend(super::sources_disagree::disagreements_ui(ui, &overview.conflicts));
    ui.add_space(8.0);
    ui.label(RichText::new("Imports, newest first").strong());
    TableBuilder::new(ui)
        .id_salt("import-runs")
        .striped(true)
        .max_scroll_height(220.0)
        .column(Column::auto().at_least(220.0))
        .column(Column::auto().at_least(70.0))
        .column(Column::auto().at_least(130.0))
        .columns(Column::auto().at_least(70.0), 3)
        .column(Column::remainder())
        .header(20.0, |mut h| {
            for t in [
                "File",
                "Format",
                "Imported",
                "Rows read",
                "Added",
                "Rejected",
                "SHA-256",
            ] {
                h.col(|ui| {
                    ui.strong(t);
                });
            }
        })
        .body(|body| {
            body.rows(20.0, overview.runs.len(), |mut row| {
                let r = &overview.runs[row.index()];
                let cells = [
                    r.file_name.clone(),
                    r.format.clone(),
                    fmt_date_time(r.imported_at),
                    r.rows_read.to_string(),
                    r.rows_added.to_string(),
                    r.rows_rejected.to_string(),
                    r.file_sha256.chars().take(12).collect(),
                ];
                for c in cells {
                    row.col(|ui| {
                        ui.label(c);
                    });
                }
            });
        });
    ui.add_space(8.0);
    ui.label(
        RichText::new(match overview.unmatched.len() {
            n if n >= crate::ui::db::LISTED => {
                format!("Waiting to be matched: {n} or more without an NHS number; the first {n} by name are listed")
            }
            n => format!("Waiting to be matched: {n} without an NHS number"),
        })
        .strong(),
    );
    egui::ScrollArea::vertical()
        .id_salt("matching-queue")
        .max_height(320.0)
        .show(ui, |ui| {
            for p in &overview.unmatched {
                ui.horizontal(|ui| {
                    if ui.link(p.display_name()).clicked() {
                        commands.push(Command::OpenPerson(p.id));
                    }
                    ui.label(
                        p.date_of_birth
                            .map(fmt_date)
                            .unwrap_or_else(|| "date of birth not recorded".into()),
                    );
                    ui.label(p.postcode.as_deref().unwrap_or(""));
                    if ui
                        .small_button(format!("Find matches for {}", p.display_name()))
                        .clicked()
                    {
                        commands.push(Command::FindMatches(p.id));
                    }
                });
                if let Some(candidates) = matches.get(&p.id) {
                    if candidates.is_empty() {
                        ui.label(RichText::new("    No likely match among people with an NHS number.").weak());
                    }
                    for c in candidates {
                        ui.horizontal_wrapped(|ui| {
                            ui.add_space(16.0);
                            let strength = if c.score.score >= crate::domain::matching::LIKELY {
                                "likely"
                            } else {
                                "possible"
                            };
                            ui.label(
                                RichText::new(format!(
                                    "{} ({}), {} {}: score {} ({strength})",
                                    c.person.display_name(),
                                    c.person.nhs_number.map(|n| n.to_string()).unwrap_or_default(),
                                    c.person.date_of_birth.map(fmt_date).unwrap_or_default(),
                                    c.person.postcode.as_deref().unwrap_or(""),
                                    c.score.score
                                ))
                                .strong(),
                            );
                            ui.label(format!("why: {}", c.score.reasons.join("; ")));
                            if ui.button("Link to this person").clicked() {
                                commands.push(Command::LinkPerson {
                                    from: p.id,
                                    to: c.person.id,
                                });
                            }
                            if ui.button("Not the same person").clicked() {
                                commands.push(Command::RejectMatch {
                                    person_id: p.id,
                                    candidate_id: c.person.id,
                                });
                            }
                        });
                    }
                }
            }
        });
    if !overview.links.is_empty() {
        ui.add_space(8.0);
        ui.label(RichText::new("Confirmed matches").strong());
        for l in &overview.links {
            ui.horizontal(|ui| {
                ui.label(format!(
                    "{}: record #{} linked to person #{} by {}{}",
                    fmt_date_time(l.linked_at),
                    l.from_person_id,
                    l.to_person_id,
                    l.linked_by,
                    if l.is_undone { " (undone)" } else { "" }
                ));
                if !l.is_undone && ui.small_button("Undo").clicked() {
                    commands.push(Command::UndoLink(l.id));
                }
            });
        }
    }
    commands
}
