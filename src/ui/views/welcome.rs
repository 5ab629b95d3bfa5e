//! First run with an empty database: offer the training data or an import.

use egui::RichText;

use crate::ui::{Command, ViewContext};

#[must_use]
pub fn welcome_ui(ui: &mut egui::Ui, ctx: &ViewContext) -> Vec<Command> {
    let mut commands = Vec::new();
    ui.vertical_centered(|ui| {
        ui.add_space(60.0);
        ui.heading(RichText::new("Welcome to the Joined-Up Care Record").size(26.0));
        ui.add_space(8.0);
        ui.label("One person's NHS and social care history on a single timeline, keyed by NHS number.");
        ui.label("This database is empty. Start with the training people, or import files from your systems.");
        ui.add_space(20.0);
        if ui
            .button(RichText::new("Load the training people").size(16.0))
            .clicked()
        {
            commands.push(Command::LoadTrainingData);
        }
        ui.label(
            RichText::new("Sixteen synthetic people whose stories show every screen. Test-range NHS numbers only.")
                .weak(),
        );
        ui.add_space(12.0);
        if ui.button(RichText::new("Import files…").size(16.0)).clicked() {
            commands.push(Command::PickFilesToImport);
        }
        ui.label(
            RichText::new(
                "Or drop files on this window: joined-up bundles, FHIR R4 JSON, HL7 v2 ADT messages, CLD events and hospital spells CSVs. Who each file brings in is shown before anything is written.",
            )
            .weak(),
        );
        if ctx.is_training {
            ui.add_space(12.0);
            ui.label("Training mode: only NHS numbers in the test range 999 000 0000 to 999 999 9999 are accepted.");
        }
    });
    commands
}
