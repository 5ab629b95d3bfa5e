//! Confirming a link on the Sources screen: the record without an NHS number and the
//! person suggested, side by side (name, NHS number, date of birth, sex, address,
//! postcode, GP, sources), with the matcher's score and reasons. Only the two buttons
//! close it: a stray click must not decide a link. A restricted person's contact
//! details are already held back in the summaries (`disclosure::summary_contact_shown`).

use egui::RichText;

use crate::domain::dates::fmt_date;
use crate::domain::matching::LIKELY;
use crate::store::{MatchCandidate, PersonSummary};
use crate::ui::Command;

/// The heading, the button that links and the one that does not.
pub const HEADING: &str = "Link these records?";
pub const LINK: &str = "Link the records";
pub const CANCEL: &str = "Cancel";

/// One side of the comparison, as the rows read.
fn side(p: &PersonSummary, sources: &[String]) -> [String; 8] {
    let contact = |v: &Option<String>| match v {
        Some(v) if !v.trim().is_empty() => v.clone(),
        _ if p.is_restricted => "not shown (restricted)".to_owned(),
        _ => "not recorded".to_owned(),
    };
    [
        p.display_name(),
        p.nhs_number.map(|n| n.to_string()).unwrap_or_else(|| "none".to_owned()),
        p.date_of_birth
            .map(fmt_date)
            .unwrap_or_else(|| "not recorded".to_owned()),
        p.sex.label().to_owned(),
        contact(&p.address),
        contact(&p.postcode),
        contact(&p.gp_practice),
        if sources.is_empty() {
            "not recorded".to_owned()
        } else {
            sources.join(", ")
        },
    ]
}

const FIELDS: [&str; 8] = [
    "Name",
    "NHS number",
    "Date of birth",
    "Sex",
    "Address",
    "Postcode",
    "GP practice",
    "Sources",
];

/// The modal for linking `record` to the candidate; `Link` or `Cancel` as a command.
#[must_use]
pub fn confirm_link_ui(ctx: &egui::Context, record: &PersonSummary, c: &MatchCandidate) -> Vec<Command> {
    let mut commands = Vec::new();
    let (left, right) = (side(record, &c.record_sources), side(&c.person, &c.sources));
    egui::Modal::new(egui::Id::unique("confirm-link")).show(ctx, |ui| {
        ui.set_max_width(720.0);
        ui.heading(HEADING);
        egui::Grid::new("link-side-by-side")
            .striped(true)
            .num_columns(3)
            .spacing([16.0, 6.0])
            .show(ui, |ui| {
                ui.label("");
                ui.strong("This record");
                ui.strong("Suggested person");
                ui.end_row();
                for ((field, l), r) in FIELDS.iter().zip(&left).zip(&right) {
                    ui.strong(*field);
                    ui.label(l);
                    ui.label(r);
                    ui.end_row();
                }
            });
        ui.add_space(6.0);
        let strength = if c.score.score >= LIKELY { "likely" } else { "possible" };
        ui.label(RichText::new(format!("Score {} ({strength}). Why:", c.score.score)).strong());
        for reason in &c.score.reasons {
            ui.label(format!("• {reason}"));
        }
        ui.add_space(6.0);
        ui.label(format!(
            "Every item of this record will move to {} ({}). Check the NHS number, name and date of \
             birth first. The link is written to the audit log and can be undone on this screen.",
            right[0], right[1]
        ));
        ui.horizontal(|ui| {
            if ui.button(LINK).clicked() {
                commands.push(Command::ConfirmLink {
                    from: record.id,
                    to: c.person.id,
                });
            }
            if ui.button(CANCEL).clicked() {
                commands.push(Command::CancelLink);
            }
        });
    });
    commands
}
