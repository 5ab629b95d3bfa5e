//! One checked file in the import window: who it will bring in (each person by
//! name, NHS number and date of birth, new or matched to a record here, with their
//! items counted) and the rows it rejected with their reasons. Restricted items are
//! counted, never named; nothing here has been written yet.

use egui::RichText;
use egui_extras::{Column, TableBuilder};

use crate::domain::dates::fmt_date;
use crate::domain::import_preview::{Filing, ImportPreview, PreviewPerson};
use crate::ui::db::Checked;
use crate::ui::theme;

const ROW_HEIGHT: f32 = 22.0;
/// The most rejected rows listed (all of them go in "Save rejected rows…").
pub const REJECTIONS_LISTED: usize = 200;

/// The heading, the people and the rejections of one file; `index` keeps each
/// file's table apart.
pub fn file_preview_ui(ui: &mut egui::Ui, index: usize, name: &str, checked: &Checked) {
    let batch = &checked.parsed.batch;
    let preview = &checked.preview;
    let items = batch.episodes.len() + batch.care_plans.len();
    ui.label(
        RichText::new(format!(
            "{name}: {} people, {items} items valid; {} rejected",
            batch.people.len(),
            checked.parsed.rejections.len()
        ))
        .strong(),
    );
    ui.label(format!(
        "{} new to this database, {} matched to a record here. Nothing is written until you choose \"Import valid rows\".",
        preview.new_people(),
        preview.matched_people()
    ));
    if preview.disagreements() > 0 {
        ui.label(
            RichText::new(format!(
                "{} of them matched to a record here with another name or date of birth: check it is the same person before importing.",
                preview.disagreements()
            ))
            .color(theme::of(ui).caution),
        );
    }
    for n in &batch.notes {
        ui.label(RichText::new(format!("  {n}")).weak());
    }
    people_ui(ui, index, preview);
    let rejections = &checked.parsed.rejections;
    if !rejections.is_empty() {
        ui.add_space(4.0);
        ui.label(RichText::new(format!("Rejected rows ({})", rejections.len())).strong());
        for r in rejections.iter().take(REJECTIONS_LISTED) {
            ui.label(format!("  {}: {}: {}", r.location, r.field, r.reason));
        }
        if rejections.len() > REJECTIONS_LISTED {
            ui.label(
                RichText::new(format!(
                    "  and {} more: \"Save rejected rows…\" keeps them all",
                    rejections.len() - REJECTIONS_LISTED
                ))
                .weak(),
            );
        }
    }
    ui.add_space(8.0);
}

/// The people, one row each (only the rows in view are laid out).
fn people_ui(ui: &mut egui::Ui, index: usize, preview: &ImportPreview) {
    // Indexed, not collected: a CLD file may bring 100,000 people, and only the rows
    // in view are laid out each frame.
    let named = preview.people.len();
    let count = named + preview.unnamed.len();
    if count == 0 {
        return;
    }
    let person = |i: usize| {
        if i < named {
            &preview.people[i]
        } else {
            &preview.unnamed[i - named]
        }
    };
    ui.push_id(("import-preview", index), |ui| {
        TableBuilder::new(ui)
            .id_salt(("import-preview-table", index))
            .striped(true)
            .max_scroll_height(240.0)
            .column(Column::initial(180.0).at_least(120.0).clip(true))
            .column(Column::exact(105.0))
            .column(Column::exact(95.0))
            .column(Column::initial(230.0).clip(true))
            .column(Column::exact(110.0))
            .column(Column::remainder().at_least(80.0))
            .header(ROW_HEIGHT, |mut h| {
                for title in ["Name", "NHS number", "Date of birth", "Record", "Items", "Care plans"] {
                    h.col(|ui| {
                        ui.label(RichText::new(title).strong());
                    });
                }
            })
            .body(|body| {
                body.rows(ROW_HEIGHT, count, |mut row| {
                    let p = person(row.index());
                    row.col(|ui| person_name_ui(ui, p));
                    row.col(|ui| {
                        ui.label(nhs_text(p));
                    });
                    row.col(|ui| {
                        ui.label(p.date_of_birth.map(fmt_date).unwrap_or_else(|| "not given".into()));
                    });
                    row.col(|ui| filing_ui(ui, p.filing));
                    row.col(|ui| {
                        ui.label(items_text(p));
                    });
                    row.col(|ui| {
                        ui.label(p.care_plans.to_string());
                    });
                });
            });
    });
}

fn person_name_ui(ui: &mut egui::Ui, p: &PreviewPerson) {
    ui.horizontal(|ui| {
        ui.label(p.name.as_str());
        if p.is_restricted {
            ui.label(RichText::new("Restricted").color(theme::of(ui).restricted).strong())
                .on_hover_text("A restricted person: their items are held back until a reason is given");
        }
    });
}

fn nhs_text(p: &PreviewPerson) -> String {
    match (&p.nhs_number, &p.local_id) {
        (Some(n), _) => n.to_string(),
        (None, Some(local)) => format!("none ({local})"),
        (None, None) => "none".into(),
    }
}

/// "New", "Matches a record here", or the flag of a match whose name or date of
/// birth differs (the whole sentence on hover).
fn filing_ui(ui: &mut egui::Ui, filing: Filing) {
    if filing == (Filing::Existing { agrees: false }) {
        ui.label(
            RichText::new("Matched: name or birth differs")
                .color(theme::of(ui).caution)
                .strong(),
        )
        .on_hover_text(filing.label());
    } else {
        ui.label(filing.label());
    }
}

/// "3" or "3 (1 restricted)": a restricted item is counted, never named.
fn items_text(p: &PreviewPerson) -> String {
    if p.restricted_items == 0 {
        p.items.to_string()
    } else {
        format!("{} ({} restricted)", p.items, p.restricted_items)
    }
}
