//! The delay reasons on the discharge panel: each current reason with its
//! attribution (and, while editing, closing it), the reasons added but not saved
//! yet, and the form for a new one. Everything here changes only the draft.

use egui::RichText;

use super::discharge_draft::{SpellDraft, non_empty};
use crate::domain::dates::fmt_date;
use crate::domain::discharge::LEGACY_DELAY_CODES;
use crate::domain::hospital::{Attribution, DelayReason, HospitalSpell};
use crate::ui::{ViewContext, theme};

/// The form for a new delay reason.
pub struct NewReasonForm {
    code: String,
    description: String,
    attribution: Attribution,
    owner: String,
}

impl Default for NewReasonForm {
    fn default() -> Self {
        Self {
            code: String::new(),
            description: String::new(),
            attribution: Attribution::Nhs,
            owner: String::new(),
        }
    }
}

/// Every current reason with its attribution; while editing, a button to close it
/// (or keep it after all), and the reasons added but not saved yet.
pub fn reasons_ui(
    ui: &mut egui::Ui,
    ctx: &ViewContext,
    spell: &HospitalSpell,
    draft: &mut SpellDraft,
    is_editing: bool,
) {
    let open = spell.delay_reasons.len() - draft.closed.len().min(spell.delay_reasons.len());
    ui.label(RichText::new(format!("Delay reasons ({})", open + draft.added.len())).strong());
    for r in &spell.delay_reasons {
        let is_closed = draft.closed.contains(&r.id);
        ui.horizontal_wrapped(|ui| {
            let code = if r.code.is_empty() {
                String::new()
            } else {
                format!("{} ", r.code)
            };
            let mut text = RichText::new(format!("{code}{} since {}", r.description, fmt_date(r.since)));
            if is_closed {
                text = text.strikethrough();
            }
            let label = ui.label(text);
            if let Some(o) = &r.owner {
                ui.label(RichText::new(format!("owner: {o}")).weak());
            }
            let attribution = draft.attributions.entry(r.id).or_insert(r.attribution);
            ui.add_enabled_ui(is_editing, |ui| {
                egui::ComboBox::from_id_salt(("delay-attribution", r.id))
                    .selected_text(attribution.label())
                    .show_ui(ui, |ui| {
                        for a in Attribution::ALL {
                            ui.selectable_value(attribution, a, a.label());
                        }
                    })
                    .response
                    .labelled_by(label.id);
            });
            if !is_editing {
                return;
            }
            if is_closed {
                ui.label(RichText::new(format!("closes {}", fmt_date(ctx.today))).color(theme::of(ui).caution));
                if ui.small_button("Keep reason").clicked() {
                    draft.closed.remove(&r.id);
                }
            } else if ui.small_button("Close reason").clicked() {
                draft.closed.insert(r.id);
            }
        });
    }
    let mut removed = None;
    for (i, r) in draft.added.iter().enumerate() {
        ui.horizontal_wrapped(|ui| {
            ui.label(
                RichText::new(format!(
                    "New: {}{} [{}]{}",
                    if r.code.is_empty() {
                        String::new()
                    } else {
                        format!("{} ", r.code)
                    },
                    r.description,
                    r.attribution.label(),
                    r.owner.as_deref().map(|o| format!(" owner: {o}")).unwrap_or_default()
                ))
                .color(theme::of(ui).caution),
            );
            if ui.small_button("Remove new reason").clicked() {
                removed = Some(i);
            }
        });
    }
    if let Some(i) = removed {
        draft.added.remove(i);
    }
}

impl NewReasonForm {
    /// A new reason joins the draft; it is stored only on "Save".
    pub fn ui(&mut self, ui: &mut egui::Ui, ctx: &ViewContext, draft: &mut SpellDraft) {
        ui.horizontal_wrapped(|ui| {
            let add = ui.label("Add a reason:");
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
                })
                .response
                .labelled_by(add.id);
            let d = ui.label("Reason");
            ui.add(egui::TextEdit::singleline(&mut self.description).desired_width(240.0))
                .labelled_by(d.id);
            let a = ui.label("Attributed to");
            egui::ComboBox::from_id_salt("new-delay-attribution")
                .selected_text(self.attribution.label())
                .show_ui(ui, |ui| {
                    for a in Attribution::ALL {
                        ui.selectable_value(&mut self.attribution, a, a.label());
                    }
                })
                .response
                .labelled_by(a.id);
            let o = ui.label("Reason owner");
            ui.add(egui::TextEdit::singleline(&mut self.owner).desired_width(140.0))
                .labelled_by(o.id);
            if ui
                .add_enabled(!self.description.trim().is_empty(), egui::Button::new("Add reason"))
                .clicked()
            {
                draft.added.push(DelayReason {
                    id: 0,
                    code: self.code.clone(),
                    description: self.description.trim().to_owned(),
                    attribution: self.attribution,
                    since: ctx.today,
                    owner: non_empty(&self.owner),
                });
                *self = Self::default();
            }
        });
    }
}
