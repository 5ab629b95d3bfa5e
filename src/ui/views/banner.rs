//! The patient banner, always on top once a person is open, in the same place on
//! every person screen, after NHS Common User Interface guidance: FAMILY name in
//! capitals, then given name; NHS number 3 3 4; date of birth dd-Mmm-yyyy with age;
//! sex; then the alerts, graded (`domain::person_alerts`), loudest first.
//!
//! The band has a fixed height ([`HEIGHT`]): its rows never wrap (the details row
//! truncates, with the whole text on hover; the alerts row scrolls sideways), so the
//! controls below it stay where they are whatever the person has recorded.

use egui::{RichText, ScrollArea};

use crate::domain::dates::{age_on, fmt_date};
use crate::domain::person_alerts::graded_alerts;
use crate::ui::db::LoadedPerson;
use crate::ui::theme::{self, Flag};
use crate::ui::{Command, ViewContext};

/// The banner's height inside its frame, in points: three rows that never wrap.
pub const HEIGHT: f32 = 72.0;

/// The banner as a top panel, so that it is in the same place on every person
/// screen; `below` draws what the screen puts under it (Follow on the record).
pub fn banner_panel_ui(ui: &mut egui::Ui, ctx: &ViewContext, loaded: &LoadedPerson, below: impl FnOnce(&mut egui::Ui)) {
    egui::Panel::top("person-banner").show(ui, |ui| {
        banner_ui(ui, ctx, loaded);
        below(ui);
    });
}

fn banner_ui(ui: &mut egui::Ui, ctx: &ViewContext, loaded: &LoadedPerson) {
    let palette = theme::of(ui);
    egui::Frame::new()
        .fill(palette.surface)
        .stroke(egui::Stroke::new(1.0, palette.border))
        .corner_radius(4.0)
        .inner_margin(egui::Margin::symmetric(8, 4))
        .show(ui, |ui| {
            ui.set_min_width(ui.available_width());
            ui.set_height(HEIGHT);
            ui.spacing_mut().item_spacing.y = 4.0;
            identity_row_ui(ui, ctx, loaded);
            details_row_ui(ui, loaded);
            alerts_row_ui(ui, loaded);
        });
}

/// Name, NHS number, date of birth and age, sex (and date of death).
fn identity_row_ui(ui: &mut egui::Ui, ctx: &ViewContext, loaded: &LoadedPerson) {
    let person = &loaded.record.person;
    let d = &person.demographics;
    ui.horizontal(|ui| {
        ui.label(RichText::new(person.display_name()).heading().strong());
        ui.add_space(12.0);
        ui.label(RichText::new("NHS number").weak());
        match person.nhs_number {
            Some(n) => ui.label(RichText::new(n.to_string()).strong().monospace().size(16.0)),
            None => ui.label(RichText::new("none: waiting to be matched").color(theme::of(ui).caution)),
        };
        ui.add_space(12.0);
        ui.label(RichText::new("Born").weak());
        match d.date_of_birth {
            Some(dob) => {
                let age = age_on(dob, d.date_of_death.unwrap_or(ctx.today));
                ui.label(RichText::new(format!("{} ({age}y)", fmt_date(dob))).strong())
            }
            None => ui.label("not recorded"),
        };
        if let Some(dod) = d.date_of_death {
            ui.add_space(12.0);
            ui.label(RichText::new("Died").weak());
            ui.label(RichText::new(fmt_date(dod)).strong());
        }
        ui.add_space(12.0);
        ui.label(RichText::new("Sex").weak());
        ui.label(RichText::new(d.sex.label()).strong());
    });
}

/// Address, GP, social worker and local ids on one line, cut short with the whole
/// line on hover.
fn details_row_ui(ui: &mut egui::Ui, loaded: &LoadedPerson) {
    let person = &loaded.record.person;
    let d = &person.demographics;
    let address = [d.address.as_deref(), d.postcode.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(", ");
    let mut parts = vec![
        format!(
            "Address: {}",
            if address.is_empty() { "not recorded" } else { &address }
        ),
        format!("GP: {}", d.gp_practice.as_deref().unwrap_or("not recorded")),
        format!(
            "Social worker: {}",
            d.allocated_worker.as_deref().unwrap_or("none allocated")
        ),
    ];
    if !person.local_ids.is_empty() {
        let ids: Vec<String> = person
            .local_ids
            .iter()
            .map(|l| format!("{} {}", l.source, l.id))
            .collect();
        parts.push(format!("Local ids: {}", ids.join("; ")));
    }
    let line = parts.join("   |   ");
    ui.add(egui::Label::new(line.as_str()).truncate()).on_hover_text(line);
}

/// The alerts, graded and loudest first, then the restricted state and any
/// disagreement between sources. The row scrolls sideways rather than wrapping.
fn alerts_row_ui(ui: &mut egui::Ui, loaded: &LoadedPerson) {
    let person = &loaded.record.person;
    let palette = theme::of(ui);
    let conflicts = person.conflicts();
    ScrollArea::horizontal()
        .id_salt("banner-alerts")
        .max_height(28.0)
        .show(ui, |ui| {
            ui.horizontal(|ui| {
                if person.is_restricted {
                    let text = if loaded.revealed {
                        "Restricted record: shown because you gave a reason, until you close it"
                    } else {
                        "Restricted record: every item is hidden until a reason is given"
                    };
                    flag(ui, text, palette.restricted_flag);
                }
                for (grade, alert) in graded_alerts(&person.alerts) {
                    flag(ui, &format!("{}: {alert}", grade.label()), palette.alert_flag(grade));
                }
                for c in &conflicts {
                    let values: Vec<String> = c.values.iter().map(|(s, v)| format!("{v} ({s})")).collect();
                    flag(
                        ui,
                        &format!("Sources disagree on {}: {}", c.field, values.join(" vs ")),
                        palette.caution_flag,
                    );
                }
                if person.alerts.is_empty() && !person.is_restricted && conflicts.is_empty() {
                    ui.label(RichText::new("No alerts recorded").weak());
                }
            });
        });
}

/// Follow or Unfollow: add the person to the user's caseload (their worklist), or
/// take them off it; the service audits either.
#[must_use]
pub fn follow_ui(ui: &mut egui::Ui, person_id: i64, is_following: bool, is_allocated: bool) -> Vec<Command> {
    let mut commands = Vec::new();
    ui.horizontal(|ui| {
        let (label, hover, follow) = if is_following {
            (
                "Unfollow",
                "Take this person off your worklist (unless they are allocated to you)",
                false,
            )
        } else {
            (
                "Follow",
                "Add this person to your caseload: their events come onto your worklist",
                true,
            )
        };
        if ui.button(label).on_hover_text(hover).clicked() {
            commands.push(Command::Follow { person_id, follow });
        }
        if is_allocated {
            ui.label(RichText::new("On your caseload: allocated to you in the sources").weak());
        } else if is_following {
            ui.label(RichText::new("You follow this person: they are on your worklist").weak());
        }
    });
    commands
}

fn flag(ui: &mut egui::Ui, text: &str, colours: Flag) {
    egui::Frame::new()
        .fill(colours.fill)
        .corner_radius(4.0)
        .inner_margin(egui::Margin::symmetric(6, 2))
        .show(ui, |ui| {
            ui.label(RichText::new(text).color(colours.text).strong());
        });
}
