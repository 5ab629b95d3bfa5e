//! Care plans across health and social care: every current plan side by side with
//! its review status and each need with the actions linked to it, "who does what"
//! across all of them with needs no action is linked to and overlaps flagged, and a
//! comparison of any two versions of a plan.

use egui::RichText;

use super::chc_form::FormAction;
use super::plan_editor::PlanEditor;
use crate::domain::care_plan::{CarePlan, funding_label, party_label};
use crate::domain::care_plan_rules::{ReviewState, current_plans, diff_versions, review_status};
use crate::domain::dates::fmt_date;
use crate::ui::db::LoadedPerson;
use crate::ui::{Command, ViewContext, theme};

#[derive(Default)]
pub struct PlansView {
    /// The plan whose versions are compared, and the two versions.
    compare_plan: Option<i64>,
    from_version: u32,
    to_version: u32,
    shown_person: Option<i64>,
    /// The plan being edited, if any.
    editor: Option<PlanEditor>,
    /// The plan last saved from the editor and the version it was edited from:
    /// its new version's line is shown once it arrives.
    saved: Option<(i64, u32)>,
}

impl PlansView {
    #[must_use]
    pub fn ui(&mut self, ui: &mut egui::Ui, ctx: &ViewContext, person: Option<&LoadedPerson>) -> Vec<Command> {
        let mut commands = Vec::new();
        let Some(p) = person else {
            ui.heading("Care plans");
            ui.label("Open a person's record first.");
            return commands;
        };
        if self.shown_person != Some(p.record.person.id) {
            *self = Self {
                shown_person: Some(p.record.person.id),
                ..Default::default()
            };
        }
        if p.is_sealed() && !p.record.care_plans.is_empty() {
            ui.label(
                RichText::new(format!(
                    "Restricted record: its {} care plan version(s) are hidden. Open the record and give a reason to see them.",
                    p.record.care_plans.len()
                ))
                .color(theme::of(ui).restricted),
            );
        }
        let plans = &p.record.care_plans;
        self.follow_saved(plans);
        // Placeholders keep no status, so whether they are current is not known:
        // they are shown apart, and have no needs or actions for "who does what".
        let (restricted, current): (Vec<&CarePlan>, Vec<&CarePlan>) =
            current_plans(plans).into_iter().partition(|p| p.is_placeholder);
        egui::ScrollArea::vertical().id_salt("plans-page").show(ui, |ui| {
            let also = if restricted.is_empty() {
                String::new()
            } else {
                format!(", {} restricted", restricted.len())
            };
            ui.heading(format!("Care plans ({} current{also})", current.len()));
            self.saved_ui(ui, plans);
            if let Some(c) = self.editor_ui(ui, p.record.person.id) {
                commands.push(c);
            }
            if current.is_empty() && restricted.is_empty() {
                ui.label("No current care plan from either sector.");
            }
            egui::ScrollArea::horizontal()
                .id_salt("plans-side-by-side")
                .show(ui, |ui| {
                    ui.horizontal_top(|ui| {
                        for plan in &current {
                            if plan_card_ui(ui, ctx, plan) && self.editor.is_none() {
                                self.editor = Some(PlanEditor::new(plan));
                            }
                        }
                        for plan in &restricted {
                            placeholder_card_ui(ui, plan);
                        }
                    });
                });
            ui.add_space(8.0);
            super::plans_table::who_does_what_ui(ui, &current, ctx.today);
            ui.add_space(8.0);
            self.versions_ui(ui, plans);
        });
        commands
    }

    /// Once the version saved from the editor arrives, the editor closes.
    fn follow_saved(&mut self, plans: &[CarePlan]) {
        let Some((id, based_on)) = self.saved else { return };
        let arrived = plans.iter().any(|p| p.id == id && p.version > based_on);
        if arrived
            && self
                .editor
                .as_ref()
                .is_some_and(|e| e.base.id == id && e.base.version == based_on)
        {
            self.editor = None;
        }
    }

    /// "Saved: Version 3, recorded 30-Jun-2026 by …" for the version last saved.
    fn saved_ui(&self, ui: &mut egui::Ui, plans: &[CarePlan]) {
        let Some((id, based_on)) = self.saved else { return };
        if let Some(p) = plans.iter().find(|p| p.id == id && p.version > based_on) {
            ui.label(
                RichText::new(format!("Saved {}: {}", p.title, p.version_line()))
                    .color(theme::of(ui).ok)
                    .strong(),
            );
        }
    }

    /// The open editor, and the command its Save gives.
    fn editor_ui(&mut self, ui: &mut egui::Ui, person_id: i64) -> Option<Command> {
        let editor = self.editor.as_mut()?;
        match editor.ui(ui) {
            FormAction::Open => None,
            FormAction::Cancel => {
                self.editor = None;
                None
            }
            FormAction::Save(draft) => {
                editor.saving = true;
                self.saved = Some((editor.base.id, editor.base.version));
                Some(Command::RevisePlan {
                    person_id,
                    plan_id: editor.base.id,
                    based_on: editor.base.version,
                    draft: Box::new(draft),
                })
            }
        }
    }

    fn versions_ui(&mut self, ui: &mut egui::Ui, plans: &[CarePlan]) {
        ui.heading("Versions");
        let mut with_versions: Vec<(i64, &str)> = Vec::new();
        // A placeholder's versions say nothing, so they are not compared.
        let plans: Vec<&CarePlan> = plans.iter().filter(|p| !p.is_placeholder).collect();
        for p in &plans {
            if plans.iter().filter(|x| x.id == p.id).count() > 1 && !with_versions.iter().any(|(id, _)| *id == p.id) {
                with_versions.push((p.id, p.title.as_str()));
            }
        }
        if with_versions.is_empty() {
            ui.label("Every plan has one version so far.");
            return;
        }
        if self
            .compare_plan
            .is_none_or(|id| !with_versions.iter().any(|(x, _)| *x == id))
        {
            self.compare_plan = Some(with_versions[0].0);
            self.from_version = 0;
        }
        ui.horizontal(|ui| {
            ui.label("Plan");
            for (id, title) in &with_versions {
                if ui.selectable_label(self.compare_plan == Some(*id), *title).clicked() {
                    self.compare_plan = Some(*id);
                    self.from_version = 0;
                }
            }
        });
        let Some(id) = self.compare_plan else { return };
        let mut versions: Vec<&CarePlan> = plans.iter().copied().filter(|p| p.id == id).collect();
        versions.sort_by_key(|p| p.version);
        if self.from_version == 0 {
            self.from_version = versions[versions.len() - 2].version;
            self.to_version = versions[versions.len() - 1].version;
        }
        ui.horizontal(|ui| {
            ui.label("From");
            for v in &versions {
                ui.selectable_value(&mut self.from_version, v.version, format!("from v{}", v.version));
            }
            ui.separator();
            ui.label("To");
            for v in &versions {
                ui.selectable_value(&mut self.to_version, v.version, format!("to v{}", v.version));
            }
        });
        let (Some(old), Some(new)) = (
            versions.iter().find(|p| p.version == self.from_version),
            versions.iter().find(|p| p.version == self.to_version),
        ) else {
            return;
        };
        ui.label(
            RichText::new(format!(
                "What changed from version {} ({}) to version {} ({})",
                old.version,
                old.recorded.describe(),
                new.version,
                new.recorded.describe()
            ))
            .strong(),
        );
        let changes = diff_versions(old, new);
        if changes.is_empty() {
            ui.label("Nothing changed.");
        }
        for c in changes {
            let color = match c.change {
                "added" => theme::of(ui).ok,
                "removed" => theme::of(ui).danger,
                _ => theme::of(ui).caution,
            };
            ui.label(RichText::new(format!("{} {}: {}", c.field, c.change, c.text)).color(color));
        }
    }
}

/// A plan's card; true when its "Edit plan" was pressed.
fn plan_card_ui(ui: &mut egui::Ui, ctx: &ViewContext, plan: &CarePlan) -> bool {
    let mut edit = false;
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.set_width(360.0);
        ui.vertical(|ui| {
            ui.label(
                RichText::new(&plan.title)
                    .strong()
                    .size(15.0)
                    .color(theme::of(ui).sector(plan.sector)),
            );
            ui.label(format!("{} | {}", plan.kind.label(), plan.sector.label()));
            ui.label(plan.version_line());
            ui.label(format!("Owner: {} | {}", plan.owner, plan.status));
            let review = review_status(plan, ctx.today);
            let (text, color) = match review.state {
                ReviewState::Overdue => (
                    format!("Review overdue since {}", fmt_date(review.due_by)),
                    theme::of(ui).danger,
                ),
                ReviewState::Due => (
                    format!("Review due by {}", fmt_date(review.due_by)),
                    theme::of(ui).caution,
                ),
                ReviewState::NotYetDue => (
                    format!("Next review {}", fmt_date(review.due_by)),
                    ui.visuals().text_color(),
                ),
            };
            ui.label(started_line(plan));
            ui.label(RichText::new(text).strong().color(color));
            if !plan.goals.is_empty() {
                ui.label(RichText::new("Goals, in their words").strong());
                for g in &plan.goals {
                    ui.label(RichText::new(format!("\"{g}\"")).italics());
                }
            }
            needs_ui(ui, plan);
            if !plan.actions.is_empty() {
                ui.label(RichText::new("Actions").strong());
                for a in &plan.actions {
                    let who = match &a.responsible_name {
                        Some(n) => format!("{}: {n}", party_label(a.responsible_party)),
                        None => party_label(a.responsible_party).to_owned(),
                    };
                    let due = a.due.map(|d| format!(", due {}", fmt_date(d))).unwrap_or_default();
                    ui.label(format!("{} [{who}] ({}{due})", a.description, a.status.label()));
                }
            }
            if let Some(f) = plan.funding {
                ui.label(format!(
                    "Funding: {}{}",
                    funding_label(f),
                    plan.personal_budget_weekly
                        .map(|b| format!("; personal budget £{b:.2} a week"))
                        .unwrap_or_default()
                ));
            }
            ui.label(RichText::new(format!("Source: {}", plan.provenance.source)).weak());
            edit = ui.button(format!("Edit plan: {}", plan.title)).clicked();
        });
    });
    edit
}

/// Each need with the actions its plan links to it ("met by"), or, in the warning
/// colour, that no action is linked.
fn needs_ui(ui: &mut egui::Ui, plan: &CarePlan) {
    if plan.needs.is_empty() {
        return;
    }
    ui.label(RichText::new("Needs").strong());
    for n in &plan.needs {
        let eligible = if n.is_eligible { " (eligible)" } else { "" };
        ui.label(format!("{}{eligible}", n.description));
        let met_by: Vec<&str> = plan.actions_meeting(n).map(|a| a.description.as_str()).collect();
        if met_by.is_empty() {
            ui.label(
                RichText::new("    No action is linked to this need")
                    .color(theme::of(ui).danger)
                    .strong(),
            );
        } else {
            ui.label(RichText::new(format!("    met by: {}", met_by.join("; "))).weak());
        }
    }
}

/// A restricted plan: its sector and dates, nothing that names what it is about.
fn placeholder_card_ui(ui: &mut egui::Ui, plan: &CarePlan) {
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.set_width(360.0);
        ui.vertical(|ui| {
            ui.label(
                RichText::new(&plan.title)
                    .strong()
                    .size(15.0)
                    .color(theme::of(ui).restricted),
            );
            ui.label(plan.sector.label());
            ui.label(started_line(plan));
            if let Some(d) = plan.next_review {
                ui.label(format!("Next review {}", fmt_date(d)));
            }
            ui.label(
                RichText::new("Restricted: give a reason on the record to see it.").color(theme::of(ui).restricted),
            );
        });
    });
}

/// "Started 02-Jan-2026, last reviewed 02-Jul-2026": a plan card's dates line.
fn started_line(plan: &CarePlan) -> String {
    let last = plan
        .last_review
        .map(|d| format!(", last reviewed {}", fmt_date(d)))
        .unwrap_or_default();
    format!("Started {}{last}", fmt_date(plan.start))
}
