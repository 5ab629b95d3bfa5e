//! The start screen that asks who the user is working as, before anything of the
//! record is shown.

use crate::domain::governance::Role;

/// Draw the picker; returns the role when one is chosen.
pub fn role_picker_ui(ui: &mut egui::Ui, user: &str) -> Option<Role> {
    let mut chosen = None;
    egui::CentralPanel::default().show(ui, |ui| {
        ui.heading("Who are you working as?");
        ui.label(format!(
            "Signed in as {user}. Your role is written with your name to every entry in the audit log."
        ));
        ui.add_space(8.0);
        for role in Role::ALL {
            if ui.button(role.label()).clicked() {
                chosen = Some(role);
            }
        }
    });
    chosen
}
