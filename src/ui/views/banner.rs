//! The person banner, always on top once a person is open: who this is, and the
//! flags a coordinator must see before anything else.

use egui::{Color32, RichText};

use crate::domain::Person;
use crate::domain::dates::{age_on, fmt_date};
use crate::ui::{Command, ViewContext, theme};

pub fn banner_ui(ui: &mut egui::Ui, ctx: &ViewContext, person: &Person) {
    let d = &person.demographics;
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new(person.display_name()).heading().strong());
        ui.separator();
        ui.label("NHS number");
        match person.nhs_number {
            Some(n) => ui.label(RichText::new(n.to_string()).strong().monospace()),
            None => ui.label(RichText::new("none: waiting to be matched").color(theme::WARNING)),
        };
        ui.separator();
        ui.label("Born");
        match d.date_of_birth {
            Some(dob) => {
                let age = age_on(dob, d.date_of_death.unwrap_or(ctx.today));
                ui.label(RichText::new(format!("{} ({age})", fmt_date(dob))).strong())
            }
            None => ui.label("not recorded"),
        };
        if let Some(dod) = d.date_of_death {
            ui.separator();
            ui.label(RichText::new(format!("Died {}", fmt_date(dod))).strong());
        }
        ui.separator();
        ui.label(format!("Sex: {}", d.sex.label()));
    });
    ui.horizontal_wrapped(|ui| {
        let address = [d.address.as_deref(), d.postcode.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(", ");
        ui.label(format!(
            "Address: {}",
            if address.is_empty() { "not recorded" } else { &address }
        ));
        ui.separator();
        ui.label(format!("GP: {}", d.gp_practice.as_deref().unwrap_or("not recorded")));
        ui.separator();
        ui.label(format!(
            "Social worker: {}",
            d.allocated_worker.as_deref().unwrap_or("none allocated")
        ));
        if !person.local_ids.is_empty() {
            ui.separator();
            let ids: Vec<String> = person
                .local_ids
                .iter()
                .map(|l| format!("{} {}", l.source, l.id))
                .collect();
            ui.label(RichText::new(format!("Local ids: {}", ids.join("; "))).weak());
        }
    });
    let conflicts = person.conflicts();
    if !person.alerts.is_empty() || person.is_restricted || !conflicts.is_empty() {
        ui.horizontal_wrapped(|ui| {
            for alert in &person.alerts {
                flag(ui, &format!("Alert: {alert}"), theme::WARNING);
            }
            if person.is_restricted {
                flag(
                    ui,
                    "Restricted record: every item is hidden until a reason is given",
                    theme::RESTRICTED,
                );
            }
            for c in &conflicts {
                let values: Vec<String> = c.values.iter().map(|(s, v)| format!("{v} ({s})")).collect();
                flag(
                    ui,
                    &format!("Sources disagree on {}: {}", c.field, values.join(" vs ")),
                    theme::SUSPENDED,
                );
            }
        });
    }
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

fn flag(ui: &mut egui::Ui, text: &str, color: Color32) {
    egui::Frame::new()
        .fill(color.gamma_multiply(0.15))
        .stroke(egui::Stroke::new(1.0, color))
        .corner_radius(4.0)
        .inner_margin(egui::Margin::symmetric(6, 2))
        .show(ui, |ui| {
            ui.label(RichText::new(text).color(color).strong());
        });
}
