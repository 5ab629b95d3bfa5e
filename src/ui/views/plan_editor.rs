//! The care plan editor (SAFETY.md H49): goals, needs, and actions with the needs
//! each meets, who does it, its due date and status. Save sends the draft as the
//! plan's next version (the service checks it again and records who and when);
//! Cancel writes nothing. What stops it saving is shown live, in the domain's words
//! (`PlanDraft::next_version`).

use egui::RichText;

use super::chc_form::{FormAction, save_row};
use crate::domain::care_plan::{ActionStatus, CarePlan, PlanAction, PlanNeed, ResponsibleParty, party_label};
use crate::domain::care_plan_rules::PlanDraft;
use crate::domain::dates::{fmt_date, parse_date};
use crate::ui::theme;

const PARTIES: [ResponsibleParty; 5] = [
    ResponsibleParty::NhsBody,
    ResponsibleParty::LocalAuthority,
    ResponsibleParty::Provider,
    ResponsibleParty::Person,
    ResponsibleParty::UnpaidCarer,
];

/// One action as it is being edited: the due date kept as typed.
#[derive(Debug, Clone)]
struct ActionRow {
    action: PlanAction,
    due: String,
}

/// The editor of one plan version.
#[derive(Debug, Clone)]
pub struct PlanEditor {
    pub base: CarePlan,
    goals: Vec<String>,
    needs: Vec<PlanNeed>,
    actions: Vec<ActionRow>,
    /// Save was pressed: the version is on its way (a refusal is shown in the status bar).
    pub saving: bool,
    /// Just opened: the keyboard focus moves to its first field.
    focus_first: bool,
}

impl PlanEditor {
    pub fn new(base: &CarePlan) -> Self {
        let actions = base
            .actions
            .iter()
            .map(|a| ActionRow {
                due: a.due.map(fmt_date).unwrap_or_default(),
                action: a.clone(),
            })
            .collect();
        Self {
            goals: base.goals.clone(),
            needs: base.needs.clone(),
            actions,
            base: base.clone(),
            saving: false,
            focus_first: true,
        }
    }

    /// The draft as typed, or what stops it saving.
    fn draft(&self) -> Result<PlanDraft, String> {
        let mut actions = Vec::with_capacity(self.actions.len());
        for (i, r) in self.actions.iter().enumerate() {
            let mut a = r.action.clone();
            a.due = match r.due.trim() {
                "" => None,
                typed => Some(parse_date(typed).ok_or_else(|| {
                    format!(
                        "action {}: the due date {typed:?} is not a date (YYYY-MM-DD or dd-Mmm-yyyy)",
                        i + 1
                    )
                })?),
            };
            actions.push(a);
        }
        let draft = PlanDraft {
            goals: self.goals.clone(),
            needs: self.needs.clone(),
            actions,
        };
        draft
            .next_version(&self.base, Default::default())
            .map_err(|p| p.join("; "))?;
        Ok(draft)
    }

    /// Draw the editor.
    #[must_use]
    pub fn ui(&mut self, ui: &mut egui::Ui) -> FormAction<PlanDraft> {
        let mut outcome = FormAction::Open;
        egui::Frame::group(ui.style()).show(ui, |ui| {
            ui.heading(format!("Edit plan: {}", self.base.title));
            ui.label(format!(
                "Editing version {}; saving makes version {}, recorded now by you.",
                self.base.version,
                self.base.version + 1
            ));
            self.goals_ui(ui);
            self.needs_ui(ui);
            self.actions_ui(ui);
            if self.saving {
                ui.label(RichText::new("Saving… if it is refused, the status bar says why.").weak());
            }
            outcome = save_row(ui, "Save plan", self.draft());
        });
        outcome
    }

    fn goals_ui(&mut self, ui: &mut egui::Ui) {
        ui.label(RichText::new("Goals, in their words").strong());
        let mut remove = None;
        let focus = std::mem::take(&mut self.focus_first);
        for (i, g) in self.goals.iter_mut().enumerate() {
            ui.horizontal(|ui| {
                let l = ui.label(format!("Goal {}", i + 1));
                let field = ui
                    .add(egui::TextEdit::singleline(g).desired_width(420.0))
                    .labelled_by(l.id);
                if focus && i == 0 {
                    field.request_focus();
                }
                if ui.button(format!("Remove goal {}", i + 1)).clicked() {
                    remove = Some(i);
                }
            });
        }
        if let Some(i) = remove {
            self.goals.remove(i);
        }
        let add = ui.button("Add goal");
        if focus && self.goals.is_empty() {
            add.request_focus();
        }
        if add.clicked() {
            self.goals.push(String::new());
        }
    }

    fn needs_ui(&mut self, ui: &mut egui::Ui) {
        ui.label(RichText::new("Needs").strong());
        let mut remove = None;
        for (i, n) in self.needs.iter_mut().enumerate() {
            ui.horizontal(|ui| {
                let l = ui.label(format!("Need {}", i + 1));
                ui.add(egui::TextEdit::singleline(&mut n.description).desired_width(320.0))
                    .labelled_by(l.id);
                ui.checkbox(&mut n.is_eligible, format!("Need {} is eligible", i + 1));
                if ui.button(format!("Remove need {}", i + 1)).clicked() {
                    remove = Some(i);
                }
            });
        }
        if let Some(i) = remove {
            // Its links go with it: an action never meets a need the plan does not have.
            let gone = self.needs.remove(i).need_ref;
            for r in &mut self.actions {
                r.action.meets.retain(|m| Some(m) != gone.as_ref());
            }
        }
        if ui.button("Add need").clicked() {
            let fresh = PlanDraft {
                needs: self.needs.clone(),
                ..Default::default()
            }
            .fresh_need_ref();
            self.needs.push(PlanNeed {
                need_ref: Some(fresh),
                description: String::new(),
                is_eligible: true,
            });
        }
    }

    fn actions_ui(&mut self, ui: &mut egui::Ui) {
        ui.label(RichText::new("Actions").strong());
        let mut remove = None;
        for (i, r) in self.actions.iter_mut().enumerate() {
            let n = i + 1;
            egui::Frame::group(ui.style()).show(ui, |ui| {
                ui.horizontal(|ui| {
                    let l = ui.label(format!("Action {n}"));
                    ui.add(egui::TextEdit::singleline(&mut r.action.description).desired_width(420.0))
                        .labelled_by(l.id);
                });
                ui.horizontal(|ui| {
                    egui::ComboBox::from_label(format!("Who does action {n}"))
                        .selected_text(party_label(r.action.responsible_party))
                        .show_ui(ui, |ui| {
                            for p in PARTIES {
                                ui.selectable_value(&mut r.action.responsible_party, p, party_label(p));
                            }
                        });
                    let l = ui.label(format!("Named body or person for action {n}"));
                    let mut name = r.action.responsible_name.clone().unwrap_or_default();
                    if ui
                        .add(egui::TextEdit::singleline(&mut name).desired_width(200.0))
                        .labelled_by(l.id)
                        .changed()
                    {
                        r.action.responsible_name = Some(name);
                    }
                });
                ui.horizontal(|ui| {
                    let l = ui.label(format!("Due date of action {n}"));
                    ui.add(egui::TextEdit::singleline(&mut r.due).desired_width(110.0))
                        .labelled_by(l.id);
                    ui.label(RichText::new("YYYY-MM-DD or dd-Mmm-yyyy; empty for none").weak());
                    egui::ComboBox::from_label(format!("Status of action {n}"))
                        .selected_text(r.action.status.label())
                        .show_ui(ui, |ui| {
                            for s in ActionStatus::ALL {
                                ui.selectable_value(&mut r.action.status, s, s.label());
                            }
                        });
                });
                meets_ui(ui, n, &mut r.action, &self.needs);
                if ui.button(format!("Remove action {n}")).clicked() {
                    remove = Some(i);
                }
            });
        }
        if let Some(i) = remove {
            self.actions.remove(i);
        }
        if ui.button("Add action").clicked() {
            self.actions.push(ActionRow {
                action: PlanAction {
                    description: String::new(),
                    responsible_party: ResponsibleParty::LocalAuthority,
                    responsible_name: None,
                    meets: Vec::new(),
                    due: None,
                    status: ActionStatus::NotStarted,
                },
                due: String::new(),
            });
        }
    }
}

/// The needs action `n` meets: one checkbox per need of the plan.
fn meets_ui(ui: &mut egui::Ui, n: usize, action: &mut PlanAction, needs: &[PlanNeed]) {
    ui.horizontal_wrapped(|ui| {
        if needs.is_empty() {
            ui.label(RichText::new("the plan has no needs yet").weak());
        }
        for need in needs {
            let Some(r) = &need.need_ref else { continue };
            let mut on = action.meets.contains(r);
            let words = if need.description.trim().is_empty() {
                r.clone()
            } else {
                need.description.clone()
            };
            if ui.checkbox(&mut on, format!("Action {n} meets {words}")).changed() {
                if on {
                    action.meets.push(r.clone());
                } else {
                    action.meets.retain(|m| m != r);
                }
            }
        }
        if action.meets.is_empty() {
            ui.label(RichText::new("no need linked").color(theme::of(ui).caution));
        }
    });
}
