//! The person screen's toolbar: the record's actions (close, export, print) with
//! what is held back, then the presets, zoom and filters. A panel of its own above
//! the discharge panel, so nothing below it moves a button.

use egui::RichText;

use super::PersonView;
use crate::domain::{EpisodeKind, Sector};
use crate::ui::db::LoadedPerson;
use crate::ui::views::timeline::{Preset, Step, TimeWindow, ts};
use crate::ui::{Command, ViewContext, theme};

impl PersonView {
    #[must_use]
    pub(super) fn toolbar_ui(&mut self, ui: &mut egui::Ui, ctx: &ViewContext, loaded: &LoadedPerson) -> Vec<Command> {
        let mut commands = Vec::new();
        ui.horizontal(|ui| {
            if ui
                .button("Close record")
                .on_hover_text("Close this record; restricted items are hidden again when it is next opened")
                .clicked()
            {
                commands.push(Command::CloseRecord);
            }
            let person_id = loaded.record.person.id;
            let leaves_out = if loaded.hidden_count() == 0 {
                ""
            } else {
                " Restricted items are left out unless you give a reason first."
            };
            if ui
                .button("Export record…")
                .on_hover_text(format!(
                    "Save the record as a joined-up bundle that can be imported again.{leaves_out}"
                ))
                .clicked()
            {
                commands.push(Command::ExportRecord {
                    person_id,
                    format: crate::import::export::ExportFormat::Native,
                });
            }
            if ui
                .button("Export as FHIR…")
                .on_hover_text(format!(
                    "Save the record as a FHIR R4 bundle for another system (social care reviews, safeguarding and CHC stay out).{leaves_out}"
                ))
                .clicked()
            {
                commands.push(Command::ExportRecord {
                    person_id,
                    format: crate::import::export::ExportFormat::Fhir,
                });
            }
            if ui
                .button("Print summary…")
                .on_hover_text(format!("Preview the record summary as an A4 PDF, then save it.{leaves_out}"))
                .clicked()
            {
                commands.push(Command::PrintRecord(person_id));
            }
            let hidden = loaded.hidden_count();
            if let Some(o) = &loaded.objection {
                ui.label(RichText::new(o.notice()).color(theme::of(ui).restricted))
                    .on_hover_text("The server does not send these items at all; only emergency access shows them.");
            }
            if loaded.relationship.needs_reason() {
                ui.label(
                    RichText::new("Outside your care team: give a reason in the detail pane to open the record")
                        .color(theme::of(ui).restricted),
                );
            } else if let Some(n) = loaded.relationship.notice() {
                ui.label(RichText::new(n).weak());
            }
            if loaded.revealed {
                ui.label(
                    RichText::new("Restricted items shown (reason given) until you close this record")
                        .color(theme::of(ui).restricted),
                );
            } else if hidden > 0 {
                let items = if hidden == 1 { "item" } else { "items" };
                let how = if loaded.is_sealed() {
                    "give a reason in the detail pane"
                } else {
                    "select one to give a reason"
                };
                ui.label(RichText::new(format!("{hidden} restricted {items} hidden: {how}")).color(theme::of(ui).restricted));
            }
        });
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new("Show").strong());
            for p in Preset::ALL {
                let is_active = self.preset_shown == Some((p, self.window));
                if ui.add(egui::Button::new(p.label()).selected(is_active)).clicked() {
                    self.window = TimeWindow::preset(p, &loaded.record.episodes, ctx.now);
                    self.preset_shown = Some((p, self.window));
                }
            }
            self.zoom_ui(ui, ctx);
            ui.separator();
            for s in Sector::ALL {
                let mut on = self.filter.sectors.is_empty() || self.filter.sectors.contains(&s);
                if ui.checkbox(&mut on, s.label()).changed() {
                    if self.filter.sectors.is_empty() {
                        self.filter.sectors = Sector::ALL.into_iter().collect();
                    }
                    if on {
                        self.filter.sectors.insert(s);
                    } else {
                        self.filter.sectors.remove(&s);
                    }
                    if self.filter.sectors.len() == Sector::ALL.len() {
                        self.filter.sectors.clear();
                    }
                }
            }
            let kinds_label = if self.filter.kinds.is_empty() {
                "All kinds".to_owned()
            } else {
                format!("{} kinds", self.filter.kinds.len())
            };
            egui::ComboBox::from_id_salt("kind-filter")
                .selected_text(kinds_label)
                .show_ui(ui, |ui| {
                    if ui.button("All kinds").clicked() {
                        self.filter.kinds.clear();
                    }
                    for k in EpisodeKind::ALL {
                        let mut on = self.filter.kinds.contains(&k);
                        if ui.checkbox(&mut on, k.label()).changed() {
                            if on {
                                self.filter.kinds.insert(k);
                            } else {
                                self.filter.kinds.remove(&k);
                            }
                        }
                    }
                });
            let source_label = if self.filter.source.is_empty() {
                "All sources".to_owned()
            } else {
                self.filter.source.clone()
            };
            egui::ComboBox::from_id_salt("source-filter")
                .selected_text(source_label)
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut self.filter.source, String::new(), "All sources");
                    for s in &self.sources {
                        ui.selectable_value(&mut self.filter.source, s.clone(), s);
                    }
                });
            let org_label = ui.label("Organisation");
            ui.add(
                egui::TextEdit::singleline(&mut self.filter.organisation)
                    .desired_width(120.0)
                    .hint_text("any"),
            )
            .labelled_by(org_label.id);
            ui.checkbox(&mut self.list_follows_axis, "List only the shown period");
        });
        commands
    }

    /// The canvas's zoom and lanes, each a control in the Tab order with its key
    /// in its name: the same steps as the keys (`TimeWindow::step`).
    fn zoom_ui(&mut self, ui: &mut egui::Ui, ctx: &ViewContext) {
        let steps = [
            (
                "Zoom in (+)",
                Step::ZoomIn,
                "Zoom in about today (the middle when today is not shown); the wheel zooms about the pointer",
            ),
            (
                "Zoom out (-)",
                Step::ZoomOut,
                "Zoom out about today (the middle when today is not shown); the wheel zooms about the pointer",
            ),
            ("Today (T)", Step::Today, "Put today in the middle of the timeline"),
        ];
        for (name, step, hint) in steps {
            if ui.button(name).on_hover_text(hint).clicked() {
                self.window.step(step, ts(ctx.now));
            }
        }
        ui.checkbox(&mut self.hide_empty_lanes, "Hide empty lanes")
            .on_hover_text("Leave out the lanes with nothing in the period shown");
    }
}
