//! The discharge panel on a person's record while they are in hospital: where the
//! spell stands against the criteria to reside, every current delay reason, and the
//! coordinator's edits (pathway, attributions, closing and adding reasons, next
//! action).
//!
//! Changes are deliberate: the panel is read-only until "Edit"; then the edits are
//! drafts (`discharge_draft`) and nothing is sent until "Save", which sends exactly
//! what changed, or "Cancel", which sends nothing. Every control is drawn in both
//! modes, disabled while read-only, so nothing moves when the mode changes.

use chrono::NaiveDate;
use egui::RichText;

use super::board::status_color;
use super::discharge_draft::SpellDraft;
use super::discharge_reasons::{NewReasonForm, reasons_ui};
use crate::domain::dates::fmt_date;
use crate::domain::discharge::{
    BoardStatus, criterion_code, criterion_label, days_delayed, discharge_ready_date, is_current, length_of_stay,
    meets_criteria,
};
use crate::domain::hospital::HospitalSpell;
use crate::ui::db::LoadedPerson;
use crate::ui::{Command, ViewContext, theme};

/// An edit in progress on one spell: the spell as it was when "Edit" was pressed,
/// and the draft.
struct Editing {
    episode_id: i64,
    /// The stored revision the edit is made on: saving is refused if it moved on.
    revision: i64,
    base: SpellDraft,
    draft: SpellDraft,
}

/// What the mode buttons asked for this frame.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Stay,
    Edit,
    Save,
    Cancel,
}

#[derive(Default)]
pub struct DischargePanel {
    form: NewReasonForm,
    /// `Some` while the coordinator is editing; `None` is read-only.
    editing: Option<Editing>,
}

/// The spell the person is in now, if any.
pub fn current_spell(loaded: &LoadedPerson, today: NaiveDate) -> Option<&HospitalSpell> {
    loaded.record.spells.iter().rev().find(|s| is_current(s, today))
}

impl DischargePanel {
    /// Whether an edit is in progress (drafts not yet saved).
    pub fn is_editing(&self) -> bool {
        self.editing.is_some()
    }

    #[must_use]
    pub fn ui(&mut self, ui: &mut egui::Ui, ctx: &ViewContext, loaded: &LoadedPerson) -> Vec<Command> {
        let mut commands = Vec::new();
        let spell = if loaded.is_sealed() {
            None
        } else {
            current_spell(loaded, ctx.today)
        };
        let Some(spell) = spell else {
            self.editing = None;
            return commands;
        };
        if self.editing.as_ref().is_some_and(|e| e.episode_id != spell.episode_id) {
            // Another stay or another person: drafts never carry over.
            *self = Self::default();
        }
        let stored = SpellDraft::of(spell);
        let mut scratch = stored.clone();
        let Self { form, editing } = self;
        let edited_revision = editing.as_ref().map(|e| e.revision);
        let (draft, base) = match editing {
            Some(e) => (&mut e.draft, Some(&e.base)),
            None => (&mut scratch, None),
        };
        let pending = base.map_or(0, |b| draft.changes_from(b, spell, ctx.today).len());
        let stale = base.is_some_and(|b| *b != stored) || edited_revision.is_some_and(|r| r != spell.revision.number);
        let mode = Mode {
            is_editing: base.is_some(),
            pending,
            stale,
        };
        let meets = meets_criteria(spell, ctx.today);
        let status = BoardStatus::of(meets, days_delayed(spell, ctx.today));
        let title = format!(
            "In hospital: {}{}, day {} | {}",
            spell.hospital,
            spell.ward.as_deref().map(|w| format!(", {w}")).unwrap_or_default(),
            length_of_stay(spell, ctx.today).unwrap_or(0),
            status.label()
        );
        let outcome =
            egui::CollapsingHeader::new(RichText::new(title).strong().color(status_color(theme::of(ui), status)))
                .id_salt("discharge-panel")
                .default_open(true)
                .show(ui, |ui| {
                    let outcome = mode_ui(ui, mode);
                    // The facts stay at full strength; only the inputs are disabled.
                    facts_ui(ui, ctx, spell, draft, mode.is_editing);
                    reasons_ui(ui, ctx, spell, draft, mode.is_editing);
                    ui.add_enabled_ui(mode.is_editing, |ui| form.ui(ui, ctx, draft));
                    next_action_ui(ui, draft, mode.is_editing);
                    changes_log_ui(ui, loaded, spell.episode_id);
                    outcome
                })
                .body_returned
                .unwrap_or(Outcome::Stay);
        match outcome {
            Outcome::Stay => {}
            Outcome::Edit => {
                self.editing = Some(Editing {
                    episode_id: spell.episode_id,
                    revision: spell.revision.number,
                    base: stored.clone(),
                    draft: stored,
                });
            }
            Outcome::Save => {
                if let Some(e) = self.editing.take() {
                    // Saved together, in one transaction: all of them or none.
                    let changes = e.draft.changes_from(&e.base, spell, ctx.today);
                    if !changes.is_empty() {
                        commands.push(Command::ChangeSpell {
                            person_id: loaded.record.person.id,
                            episode_id: spell.episode_id,
                            revision: e.revision,
                            changes,
                        });
                    }
                }
                self.form = NewReasonForm::default();
            }
            Outcome::Cancel => *self = Self::default(),
        }
        commands
    }
}

#[derive(Clone, Copy)]
struct Mode {
    is_editing: bool,
    /// How many changes "Save" would send.
    pending: usize,
    /// The stay changed in the store since "Edit" was pressed.
    stale: bool,
}

/// "Edit", or "Save" and "Cancel" in its place, with what the mode means.
fn mode_ui(ui: &mut egui::Ui, mode: Mode) -> Outcome {
    let mut outcome = Outcome::Stay;
    let size = egui::vec2(64.0, 0.0);
    ui.horizontal_wrapped(|ui| {
        if !mode.is_editing {
            if ui
                .add(egui::Button::new("Edit").min_size(size))
                .on_hover_text("Change the pathway, delay reasons or next action")
                .clicked()
            {
                outcome = Outcome::Edit;
            }
            ui.label(RichText::new("Read-only: press Edit to change this stay.").weak());
            return;
        }
        if ui
            .add_enabled(mode.pending > 0, egui::Button::new("Save").min_size(size))
            .clicked()
        {
            outcome = Outcome::Save;
        }
        if ui.button("Cancel").clicked() {
            outcome = Outcome::Cancel;
        }
        let changes = match mode.pending {
            0 => "Editing: no changes yet".to_owned(),
            1 => "Editing: 1 change, not saved until you press Save".to_owned(),
            n => format!("Editing: {n} changes, not saved until you press Save"),
        };
        ui.label(RichText::new(changes).color(theme::of(ui).caution));
        if mode.stale {
            ui.label(
                RichText::new(
                    "This stay was changed elsewhere since you pressed Edit, so saving would be refused: \
                     press Cancel, then Edit again on what is stored now.",
                )
                .color(theme::of(ui).danger),
            );
        }
    });
    outcome
}

/// Criteria to reside, discharge ready date, days delayed and the pathway.
fn facts_ui(ui: &mut egui::Ui, ctx: &ViewContext, spell: &HospitalSpell, draft: &mut SpellDraft, is_editing: bool) {
    let meets = meets_criteria(spell, ctx.today);
    let delayed = days_delayed(spell, ctx.today);
    let status = BoardStatus::of(meets, delayed);
    ui.horizontal_wrapped(|ui| {
        match (meets, criterion_code(spell, ctx.today)) {
            (Some(true), Some(c)) => ui.label(format!("Meets the criteria to reside: {c} {}", criterion_label(&c))),
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
                    .color(status_color(theme::of(ui), status)),
            );
        }
        ui.separator();
        let label = ui.label("Pathway");
        ui.add_enabled_ui(is_editing, |ui| {
            egui::ComboBox::from_id_salt("discharge-pathway")
                .selected_text(pathway_text(draft.pathway))
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut draft.pathway, None, "not set");
                    for p in 0..=3u8 {
                        ui.selectable_value(&mut draft.pathway, Some(p), format!("Pathway {p}"));
                    }
                })
                .response
                .labelled_by(label.id);
        });
    });
}

fn pathway_text(p: Option<u8>) -> String {
    p.map(|p| format!("Pathway {p}")).unwrap_or_else(|| "not set".into())
}

fn next_action_ui(ui: &mut egui::Ui, draft: &mut SpellDraft, is_editing: bool) {
    ui.horizontal_wrapped(|ui| {
        let a = ui.label("Next action");
        ui.add_enabled(
            is_editing,
            egui::TextEdit::singleline(&mut draft.next_action).desired_width(260.0),
        )
        .labelled_by(a.id);
        let o = ui.label("Owner");
        ui.add_enabled(
            is_editing,
            egui::TextEdit::singleline(&mut draft.next_owner).desired_width(180.0),
        )
        .labelled_by(o.id);
    });
}

fn changes_log_ui(ui: &mut egui::Ui, loaded: &LoadedPerson, episode_id: i64) {
    let log: Vec<_> = loaded
        .spell_changes
        .iter()
        .filter(|c| c.episode_id == episode_id)
        .collect();
    if log.is_empty() {
        return;
    }
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
