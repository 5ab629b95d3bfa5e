//! The discharge panel on a person's record while they are in hospital: where the
//! spell stands against the criteria to reside, every current delay reason, and the
//! coordinator's edits (add, change, close reasons; pathway; next action).

use chrono::NaiveDate;
use egui::RichText;

use super::board::status_color;
use crate::domain::dates::fmt_date;
use crate::domain::discharge::{
    BoardStatus, LEGACY_DELAY_CODES, criterion_code, criterion_label, days_delayed, discharge_ready_date, is_current,
    length_of_stay, meets_criteria,
};
use crate::domain::hospital::{Attribution, DelayReason, HospitalSpell};
use crate::store::SpellChange;
use crate::ui::db::LoadedPerson;
use crate::ui::{Command, ViewContext};

/// The form for a new delay reason, and drafts of the next action.
pub struct DischargePanel {
    code: String,
    description: String,
    attribution: Attribution,
    owner: String,
    next_action: String,
    next_owner: String,
    /// The spell the drafts were loaded from.
    drafts_for: Option<i64>,
}

impl Default for DischargePanel {
    fn default() -> Self {
        Self {
            code: String::new(),
            description: String::new(),
            attribution: Attribution::Nhs,
            owner: String::new(),
            next_action: String::new(),
            next_owner: String::new(),
            drafts_for: None,
        }
    }
}

/// The spell the person is in now, if any.
pub fn current_spell(loaded: &LoadedPerson, today: NaiveDate) -> Option<&HospitalSpell> {
    loaded.record.spells.iter().rev().find(|s| is_current(s, today))
}

impl DischargePanel {
    #[must_use]
    pub fn ui(&mut self, ui: &mut egui::Ui, ctx: &ViewContext, loaded: &LoadedPerson) -> Vec<Command> {
        let mut commands = Vec::new();
        if loaded.is_sealed() {
            return commands;
        }
        let Some(spell) = current_spell(loaded, ctx.today) else {
            return commands;
        };
        if self.drafts_for != Some(spell.episode_id) {
            self.next_action = spell.next_action.clone().unwrap_or_default();
            self.next_owner = spell.next_action_owner.clone().unwrap_or_default();
            self.drafts_for = Some(spell.episode_id);
        }
        let person_id = loaded.record.person.id;
        let episode_id = spell.episode_id;
        let mut change = |c: SpellChange| {
            commands.push(Command::ChangeSpell {
                person_id,
                episode_id,
                change: c,
            })
        };
        let meets = meets_criteria(spell, ctx.today);
        let delayed = days_delayed(spell, ctx.today);
        let status = BoardStatus::of(meets, delayed);
        let title = format!(
            "In hospital: {}{}, day {} | {}",
            spell.hospital,
            spell.ward.as_deref().map(|w| format!(", {w}")).unwrap_or_default(),
            length_of_stay(spell, ctx.today).unwrap_or(0),
            status.label()
        );
        egui::CollapsingHeader::new(RichText::new(title).strong().color(status_color(status)))
            .id_salt("discharge-panel")
            .default_open(true)
            .show(ui, |ui| {
                ui.horizontal_wrapped(|ui| {
                    match (meets, criterion_code(spell, ctx.today)) {
                        (Some(true), Some(c)) => {
                            ui.label(format!("Meets the criteria to reside: {c} {}", criterion_label(&c)))
                        }
                        (Some(true), None) => ui.label("Meets the criteria to reside"),
                        (Some(false), _) => ui.label("No longer meets the criteria to reside"),
                        (None, _) => ui.label("Not yet reviewed against the criteria to reside"),
                    };
                    if let Some(drd) = discharge_ready_date(spell, ctx.today).filter(|_| meets != Some(true)) {
                        ui.separator();
                        ui.label(format!("Discharge ready date {}", fmt_date(drd)));
                    }
                    if let Some(d) = delayed {
                        ui.separator();
                        ui.label(
                            RichText::new(format!("{d} days delayed"))
                                .strong()
                                .color(status_color(status)),
                        );
                    }
                    ui.separator();
                    let label = ui.label("Pathway");
                    let mut pathway = spell.pathway;
                    egui::ComboBox::from_id_salt("discharge-pathway")
                        .selected_text(pathway.map(|p| p.to_string()).unwrap_or_else(|| "not set".into()))
                        .show_ui(ui, |ui| {
                            ui.selectable_value(&mut pathway, None, "not set");
                            for p in 0..=3u8 {
                                ui.selectable_value(&mut pathway, Some(p), format!("Pathway {p}"));
                            }
                        })
                        .response
                        .labelled_by(label.id);
                    if pathway != spell.pathway {
                        change(SpellChange::SetPathway(pathway));
                    }
                });
                ui.label(RichText::new(format!("Delay reasons ({})", spell.delay_reasons.len())).strong());
                for r in &spell.delay_reasons {
                    ui.horizontal_wrapped(|ui| {
                        let code = if r.code.is_empty() {
                            String::new()
                        } else {
                            format!("{} ", r.code)
                        };
                        ui.label(format!(
                            "{code}{} [{}] since {}",
                            r.description,
                            r.attribution.label(),
                            fmt_date(r.since)
                        ));
                        if let Some(o) = &r.owner {
                            ui.label(RichText::new(format!("owner: {o}")).weak());
                        }
                        let mut attribution = r.attribution;
                        egui::ComboBox::from_id_salt(("delay-attribution", r.id))
                            .selected_text(attribution.label())
                            .show_ui(ui, |ui| {
                                for a in Attribution::ALL {
                                    ui.selectable_value(&mut attribution, a, a.label());
                                }
                            });
                        if attribution != r.attribution {
                            change(SpellChange::UpdateDelayReason(DelayReason {
                                attribution,
                                ..r.clone()
                            }));
                        }
                        if ui.small_button("Close").clicked() {
                            change(SpellChange::CloseDelayReason {
                                id: r.id,
                                on: ctx.today,
                            });
                        }
                    });
                }
                self.new_reason_ui(ui, ctx, &mut change);
                let log: Vec<_> = loaded
                    .spell_changes
                    .iter()
                    .filter(|c| c.episode_id == episode_id)
                    .collect();
                if !log.is_empty() {
                    egui::CollapsingHeader::new(format!("Changes ({})", log.len()))
                        .id_salt("spell-changes")
                        .show(ui, |ui| {
                            for c in log {
                                ui.label(format!(
                                    "{} {}: {} {} -> {}",
                                    crate::domain::dates::fmt_date_time(c.at),
                                    c.actor,
                                    c.field.replace(['_', '.'], " "),
                                    c.old_value.as_deref().unwrap_or("(none)"),
                                    c.new_value.as_deref().unwrap_or("(none)")
                                ));
                            }
                        });
                }
                ui.horizontal_wrapped(|ui| {
                    let a = ui.label("Next action");
                    ui.add(egui::TextEdit::singleline(&mut self.next_action).desired_width(260.0))
                        .labelled_by(a.id);
                    let o = ui.label("Owner");
                    ui.add(egui::TextEdit::singleline(&mut self.next_owner).desired_width(180.0))
                        .labelled_by(o.id);
                    let unchanged = Some(self.next_action.trim()) == spell.next_action.as_deref().or(Some(""))
                        && Some(self.next_owner.trim()) == spell.next_action_owner.as_deref().or(Some(""));
                    if ui
                        .add_enabled(!unchanged, egui::Button::new("Save next action"))
                        .clicked()
                    {
                        change(SpellChange::SetNextAction {
                            action: non_empty(&self.next_action),
                            owner: non_empty(&self.next_owner),
                        });
                    }
                });
            });
        commands
    }

    fn new_reason_ui(&mut self, ui: &mut egui::Ui, ctx: &ViewContext, change: &mut impl FnMut(SpellChange)) {
        ui.horizontal_wrapped(|ui| {
            ui.label("Add a reason:");
            let code_label = if self.code.is_empty() {
                "Code".to_owned()
            } else {
                self.code.clone()
            };
            egui::ComboBox::from_id_salt("new-delay-code")
                .selected_text(code_label)
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut self.code, String::new(), "No code");
                    for (code, name) in LEGACY_DELAY_CODES {
                        if ui
                            .selectable_label(self.code == code, format!("{code}: {name}"))
                            .clicked()
                        {
                            self.code = code.to_owned();
                            if self.description.is_empty() {
                                self.description = name.to_owned();
                            }
                        }
                    }
                });
            let d = ui.label("Reason");
            ui.add(egui::TextEdit::singleline(&mut self.description).desired_width(240.0))
                .labelled_by(d.id);
            egui::ComboBox::from_id_salt("new-delay-attribution")
                .selected_text(self.attribution.label())
                .show_ui(ui, |ui| {
                    for a in Attribution::ALL {
                        ui.selectable_value(&mut self.attribution, a, a.label());
                    }
                });
            let o = ui.label("Reason owner");
            ui.add(egui::TextEdit::singleline(&mut self.owner).desired_width(140.0))
                .labelled_by(o.id);
            if ui
                .add_enabled(!self.description.trim().is_empty(), egui::Button::new("Add reason"))
                .clicked()
            {
                change(SpellChange::AddDelayReason(DelayReason {
                    id: 0,
                    code: self.code.clone(),
                    description: self.description.trim().to_owned(),
                    attribution: self.attribution,
                    since: ctx.today,
                    owner: non_empty(&self.owner),
                }));
                self.code.clear();
                self.description.clear();
                self.owner.clear();
            }
        });
    }
}

fn non_empty(s: &str) -> Option<String> {
    (!s.trim().is_empty()).then(|| s.trim().to_owned())
}
