//! NHS Continuing Healthcare: the caseload (everyone with an open process, overdue
//! first) and, for the person chosen, every Checklist, DST, Fast Track and review
//! with the rule outcome beside the MDT recommendation and the ICB decision.

use chrono::NaiveDate;
use egui::RichText;

use super::banner::banner_panel_ui;
use super::chc_caseload::caseload_ui;
use super::chc_decision_form::ChcDecisionForm;
use super::chc_form::{ChcForm, FormAction};
use super::chc_review_form::ChcReviewForm;
use super::fast_track_form::FastTrackForm;
use crate::domain::chc::{ChcAssessment, ChcAssessmentKind};
use crate::domain::chc_case::{ChcCase, chc_case};
use crate::domain::chc_caseload_sort::CaseloadSort;
use crate::domain::chc_decision::awaiting_decision;
use crate::domain::chc_outcome::{rule_outcome, title};
use crate::domain::dates::fmt_date;
use crate::ui::db::LoadedPerson;
use crate::ui::{Command, ViewContext, theme};

pub use crate::domain::chc_case::CaseloadRow;

#[derive(Default)]
pub struct ChcView {
    pub form: Option<ChcForm>,
    pub fast_track: Option<FastTrackForm>,
    /// The "Record ICB decision" form, open under the assessment it decides.
    pub decision: Option<ChcDecisionForm>,
    /// The "Record a review" form, open under the eligible case it reviews.
    pub review: Option<ChcReviewForm>,
    /// The caseload's sort (None: overdue first), kept while the window is open.
    pub sort: Option<CaseloadSort>,
}

impl ChcView {
    #[must_use]
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        ctx: &ViewContext,
        caseload: Option<&[CaseloadRow]>,
        person: Option<&LoadedPerson>,
    ) -> Vec<Command> {
        let mut commands = Vec::new();
        if let Some(p) = person {
            banner_panel_ui(ui, ctx, p, |_| {});
        }
        egui::Panel::left("chc-caseload")
            .default_size(700.0)
            .resizable(true)
            .show(ui, |ui| {
                commands.extend(caseload_ui(
                    ui,
                    caseload,
                    person.map(|p| p.record.person.id),
                    &mut self.sort,
                ));
            });
        egui::CentralPanel::default().show(ui, |ui| match person {
            Some(p) => commands.extend(self.person_ui(ui, ctx, p)),
            None => {
                ui.heading("CHC");
                ui.label("Choose someone from the caseload, or open a person's record first.");
            }
        });
        commands
    }
}

impl ChcView {
    /// The person's side: an open form, or the start buttons, the case, and every
    /// assessment with its decision form.
    fn person_ui(&mut self, ui: &mut egui::Ui, ctx: &ViewContext, p: &LoadedPerson) -> Vec<Command> {
        let mut commands = Vec::new();
        if let Some(c) = self.forms_ui(ui, ctx, p) {
            commands.push(c);
            return commands;
        }
        if self.form.is_some() || self.fast_track.is_some() {
            return commands;
        }
        self.start_buttons_ui(ui, ctx.today);
        if let Some(c) = chc_case(&p.record.chc, ctx.today) {
            case_ui(ui, &c);
            commands.extend(self.review_ui(ui, p.record.person.id, &c, ctx.today));
        } else {
            ui.label("No open CHC process.");
        }
        if p.is_sealed() && !p.record.chc.is_empty() {
            ui.label(
                RichText::new(format!(
                    "Restricted record: its {} assessment(s) are hidden. Open the record and give a reason to see them.",
                    p.record.chc.len()
                ))
                .color(theme::of(ui).restricted),
            );
            return commands;
        }
        commands.extend(self.assessments_ui(ui, p, ctx.today));
        commands
    }

    /// Every assessment, newest first, with "Record ICB decision" under one awaiting it.
    fn assessments_ui(&mut self, ui: &mut egui::Ui, p: &LoadedPerson, today: NaiveDate) -> Vec<Command> {
        let mut commands = Vec::new();
        let awaiting: Vec<i64> = awaiting_decision(&p.record.chc, today)
            .iter()
            .map(|a| a.episode_id)
            .collect();
        egui::ScrollArea::vertical().id_salt("chc-assessments").show(ui, |ui| {
            if p.record.chc.is_empty() {
                ui.label("No Checklist, DST or Fast Track is recorded for this person.");
            }
            for a in p.record.chc.iter().rev() {
                commands.extend(assessment_ui(ui, p.record.person.id, a));
                if awaiting.contains(&a.episode_id) {
                    commands.extend(self.decision_ui(ui, p.record.person.id, a, today));
                }
            }
        });
        commands
    }

    /// The Checklist/DST or Fast Track form when one is open; its Save becomes the
    /// command.
    fn forms_ui(&mut self, ui: &mut egui::Ui, ctx: &ViewContext, p: &LoadedPerson) -> Option<Command> {
        let action = if let Some(form) = &mut self.fast_track {
            form.ui(ui, ctx.today)
        } else if let Some(form) = &mut self.form {
            // A sealed record offers no evidence: its items are hidden.
            let episodes: &[crate::domain::Episode] = if p.is_sealed() { &[] } else { &p.record.episodes };
            form.ui(ui, episodes, ctx.today)
        } else {
            return None;
        };
        match action {
            FormAction::Open => None,
            FormAction::Cancel => {
                (self.form, self.fast_track) = (None, None);
                None
            }
            FormAction::Save(assessment) => {
                (self.form, self.fast_track) = (None, None);
                Some(Command::RecordChc {
                    person_id: p.record.person.id,
                    assessment: Box::new(assessment),
                })
            }
        }
    }

    fn start_buttons_ui(&mut self, ui: &mut egui::Ui, today: NaiveDate) {
        ui.horizontal(|ui| {
            if ui.button("Record a Checklist").clicked() {
                self.form = Some(ChcForm::new(ChcAssessmentKind::Checklist, today));
            }
            if ui.button("Record a DST").clicked() {
                self.form = Some(ChcForm::new(ChcAssessmentKind::Dst, today));
            }
            if ui.button("Record a Fast Track").clicked() {
                self.fast_track = Some(FastTrackForm::new(today));
            }
        });
    }

    /// For a person found eligible: "Record a review", or the review form; its Save
    /// becomes the command.
    fn review_ui(&mut self, ui: &mut egui::Ui, person_id: i64, c: &ChcCase, today: NaiveDate) -> Option<Command> {
        let decided_on = c.decided_on.filter(|_| c.next_review.is_some())?;
        let Some(form) = &mut self.review else {
            if ui.button("Record a review").clicked() {
                self.review = Some(ChcReviewForm::new(today));
            }
            return None;
        };
        match form.ui(ui, decided_on, today) {
            FormAction::Open => None,
            FormAction::Cancel => {
                self.review = None;
                None
            }
            FormAction::Save(assessment) => {
                self.review = None;
                Some(Command::RecordChc {
                    person_id,
                    assessment: Box::new(assessment),
                })
            }
        }
    }

    /// Under an assessment awaiting the ICB's decision: the button that opens the
    /// form, or the form itself; its Save becomes the command.
    fn decision_ui(
        &mut self,
        ui: &mut egui::Ui,
        person_id: i64,
        a: &ChcAssessment,
        today: NaiveDate,
    ) -> Option<Command> {
        let Some(form) = self.decision.as_mut().filter(|f| f.episode_id == a.episode_id) else {
            if ui.button("Record ICB decision").clicked() {
                self.decision = Some(ChcDecisionForm::new(a.episode_id, today));
            }
            return None;
        };
        match form.ui(ui, a, today) {
            FormAction::Open => None,
            FormAction::Cancel => {
                self.decision = None;
                None
            }
            FormAction::Save(decision) => {
                self.decision = None;
                Some(Command::RecordChcDecision {
                    person_id,
                    episode_id: a.episode_id,
                    decision,
                })
            }
        }
    }
}

fn case_ui(ui: &mut egui::Ui, c: &ChcCase) {
    let color = if c.is_overdue || c.is_review_overdue {
        theme::of(ui).danger
    } else {
        theme::of(ui).ok
    };
    let text = match (c.decided_on, c.next_review) {
        (Some(d), Some(r)) => format!(
            "{}: decided on {} after {} days; next review due {}{}",
            c.stage.label(),
            fmt_date(d),
            c.days_on_clock,
            fmt_date(r),
            if c.is_review_overdue { " (overdue)" } else { "" }
        ),
        (Some(d), None) => format!(
            "{}: decided on {} after {} days",
            c.stage.label(),
            fmt_date(d),
            c.days_on_clock
        ),
        (None, _) => format!(
            "{}: day {} of 28 since {}; decision due {}{}",
            c.stage.label(),
            c.days_on_clock,
            fmt_date(c.started_on),
            fmt_date(c.decision_due),
            if c.is_overdue { " (overdue)" } else { "" }
        ),
    };
    ui.label(RichText::new(text).strong().color(color));
}

fn assessment_ui(ui: &mut egui::Ui, person_id: i64, a: &ChcAssessment) -> Option<Command> {
    let mut command = None;
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new(format!("{} on {}", title(a), fmt_date(a.completed_on))).strong());
            if let Some(by) = &a.completed_by {
                ui.label(RichText::new(format!("by {by}")).weak());
            }
            if matches!(a.kind, ChcAssessmentKind::Checklist | ChcAssessmentKind::Dst)
                && ui.small_button("Print summary…").clicked()
            {
                command = Some(Command::PrintChc {
                    person_id,
                    episode_id: a.episode_id,
                });
            }
        });
        if let Some(outcome) = rule_outcome(a) {
            ui.label(format!("Rules: {outcome}"));
        } else if let Some(positive) = a.recorded_positive {
            ui.label(format!(
                "Recorded outcome: {}",
                if positive { "positive" } else { "negative" }
            ));
        }
        if let Some(m) = &a.mdt_recommendation {
            let what = match a.kind {
                ChcAssessmentKind::FastTrack => "Reason",
                ChcAssessmentKind::Review => "Review note",
                _ => "MDT recommendation",
            };
            ui.label(format!("{what}: {m}"));
        }
        match &a.icb_decision {
            Some(d) => {
                ui.label(format!("ICB decision: {}", crate::domain::chc_decision::describe(d)));
            }
            None if a.kind != ChcAssessmentKind::Checklist => {
                ui.label("ICB decision: not yet made");
            }
            None => {}
        }
        if let Some(note) = disagreement(a) {
            ui.label(RichText::new(note).color(theme::of(ui).caution));
        }
        if !a.domains.is_empty() {
            ui.horizontal_wrapped(|ui| {
                for (d, l) in &a.domains {
                    let note = a.evidence.iter().find(|(x, _)| x == d).map(|(_, n)| n.as_str());
                    let r = ui.label(format!("{}: {l}", d.label()));
                    if let Some(n) = note {
                        r.on_hover_text(n);
                    }
                    ui.separator();
                }
            });
        }
    });
    command
}

/// A note where the MDT or the ICB went another way from what the rules suggest.
fn disagreement(a: &ChcAssessment) -> Option<String> {
    let outcome = rule_outcome(a)?;
    let rules_say_eligible = outcome.starts_with("clear recommendation");
    let rules_say_no = outcome.starts_with("no rule indicates");
    let decided = a.icb_decision.as_ref()?;
    if decided.is_eligible && rules_say_no {
        Some("Note: the ICB found the person eligible although no rule indicated it (the rules never decide).".into())
    } else if !decided.is_eligible && rules_say_eligible {
        Some("Note: the ICB found the person not eligible against a clear rule-based recommendation; reasons should be recorded.".into())
    } else {
        None
    }
}
