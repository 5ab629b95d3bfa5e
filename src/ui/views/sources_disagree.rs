//! "Sources disagree" on the Sources screen: for each person the sources disagree
//! about, each field with what every source says, and the NHS number, so the
//! coordinator knows whom to correct where. The values come disclosed by the service
//! (`disclosure::disclose_conflicts`: a restricted person's address, postcode and GP
//! read "restricted").

use egui::RichText;

use crate::service::Disagreement;
use crate::ui::Command;

/// The heading: how many people, and whether the list is cut short.
pub fn heading(n: usize) -> String {
    match n {
        1 => "Sources disagree about 1 person".to_owned(),
        n if n >= crate::ui::db::LISTED => {
            format!("Sources disagree about {n} or more people; the first {n} by name are listed")
        }
        n => format!("Sources disagree about {n} people"),
    }
}

/// One source's value as the list reads it: `Westmere Council: 14-Feb-1942`.
pub fn source_value(source: &str, value: &str) -> String {
    format!("{source}: {value}")
}

#[must_use]
pub fn disagreements_ui(ui: &mut egui::Ui, people: &[Disagreement]) -> Vec<Command> {
    let mut commands = Vec::new();
    if people.is_empty() {
        return commands;
    }
    ui.add_space(6.0);
    ui.label(RichText::new(heading(people.len())).strong());
    egui::Grid::new("sources-disagree")
        .striped(true)
        .num_columns(4)
        .spacing([16.0, 4.0])
        .show(ui, |ui| {
            for h in ["Person", "NHS number", "Field", "What each source says"] {
                ui.strong(h);
            }
            ui.end_row();
            for d in people {
                let nhs = d
                    .person
                    .nhs_number
                    .map(|n| n.to_string())
                    .unwrap_or_else(|| "none".to_owned());
                for (i, c) in d.conflicts.iter().enumerate() {
                    if i == 0 {
                        let name = d.person.display_name();
                        if ui
                            .link(&name)
                            .on_hover_text("Open the record: the banner shows what each source says")
                            .clicked()
                        {
                            commands.push(Command::OpenPerson(d.person.id));
                        }
                        ui.label(&nhs);
                    } else {
                        ui.label("");
                        ui.label("");
                    }
                    ui.label(c.field);
                    ui.vertical(|ui| {
                        for (source, value) in &c.values {
                            ui.label(source_value(source, value));
                        }
                    });
                    ui.end_row();
                }
            }
        });
    commands
}
