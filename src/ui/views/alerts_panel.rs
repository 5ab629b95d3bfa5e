//! The alerts notification: a small panel in the window's corner, over whatever
//! screen is open and without stopping it, listing the new worklist events that
//! matched the user's alert rules since they last dismissed it. Each opens the
//! record at its item. Nothing leaves the machine.

use egui::RichText;

use super::worklist::{urgency_color, urgency_label};
use crate::domain::dates::fmt_date;
use crate::domain::worklist::EventKind;
use crate::service::Alert;
use crate::ui::{Command, theme};

/// How many alerts the panel lists; the rest are counted.
const SHOWN: usize = 8;

/// Draw the notification for `alerts` (newest first); `not_checked`: people an
/// import brought that a rule for everyone could not all be checked for.
#[must_use]
pub fn alerts_ui(ctx: &egui::Context, alerts: &[Alert], not_checked: usize) -> Vec<Command> {
    let mut commands = Vec::new();
    if alerts.is_empty() && not_checked == 0 {
        return commands;
    }
    egui::Window::new(format!("Alerts ({})", alerts.len()))
        .id(egui::Id::unique("alerts-panel"))
        .anchor(egui::Align2::RIGHT_BOTTOM, egui::vec2(-12.0, -40.0))
        .resizable(false)
        .collapsible(true)
        .default_width(420.0)
        .show(ctx, |ui| {
            for a in alerts.iter().take(SHOWN) {
                ui.horizontal(|ui| {
                    ui.label(
                        RichText::new(urgency_label(a.urgency))
                            .color(urgency_color(theme::of(ui), a.urgency))
                            .strong(),
                    );
                    ui.label(fmt_date(a.date));
                    let nhs = a
                        .nhs_number
                        .map(|n| n.to_string())
                        .unwrap_or_else(|| "no NHS number".into());
                    ui.label(RichText::new(format!("{} ({nhs})", a.name)).strong());
                });
                ui.horizontal(|ui| {
                    let text = RichText::new(&a.summary);
                    ui.label(if a.kind == EventKind::Restricted {
                        text.color(theme::of(ui).restricted).italics()
                    } else {
                        text
                    });
                    if ui.small_button("Open").clicked() {
                        commands.push(Command::OpenAt {
                            person_id: a.person_id,
                            target: a.target,
                        });
                    }
                });
                ui.separator();
            }
            if alerts.len() > SHOWN {
                ui.label(format!("and {} more: see the worklist", alerts.len() - SHOWN));
            }
            if not_checked > 0 {
                ui.label(
                    RichText::new(format!(
                        "An import brought {not_checked} more people than an alert for everyone checks at once: \
                         they are not alerted on."
                    ))
                    .color(theme::of(ui).caution),
                );
            }
            ui.horizontal(|ui| {
                if ui.button("Go to worklist").clicked() {
                    commands.push(Command::Navigate(crate::ui::Screen::Worklist));
                    commands.push(Command::DismissAlerts);
                }
                if ui.button("Dismiss alerts").clicked() {
                    commands.push(Command::DismissAlerts);
                }
            });
        });
    commands
}
