//! The small form that records the ICB's decision on a DST or Fast Track awaiting
//! one: date, decision, decision maker, note. The rule that checks it is the
//! domain's (`chc_decision::check_decision`), shown live; the service checks it
//! again when it is saved.

use chrono::NaiveDate;

use super::chc_form::{FormAction, date_field, save_row};
use crate::domain::chc::{ChcAssessment, IcbDecision};
use crate::domain::chc_decision::check_decision;
use crate::domain::dates::parse_date;

/// What the user did with the form this frame.
pub type DecisionOutcome = FormAction<IcbDecision>;

/// The form for one assessment (by its episode id).
#[derive(Debug, Clone)]
pub struct ChcDecisionForm {
    pub episode_id: i64,
    pub date: String,
    pub is_eligible: Option<bool>,
    pub decided_by: String,
    pub note: String,
}

impl ChcDecisionForm {
    /// A blank form for `episode_id`, dated today.
    pub fn new(episode_id: i64, today: NaiveDate) -> Self {
        Self {
            episode_id,
            date: today.format("%Y-%m-%d").to_string(),
            is_eligible: None,
            decided_by: String::new(),
            note: String::new(),
        }
    }

    /// The decision as typed, or what is missing or wrong.
    fn decision(&self, a: &ChcAssessment, today: NaiveDate) -> Result<IcbDecision, String> {
        let date = parse_date(&self.date).ok_or("give the date of the decision (YYYY-MM-DD)")?;
        let is_eligible = self
            .is_eligible
            .ok_or("choose the decision: eligible or not eligible")?;
        let d = IcbDecision {
            date,
            is_eligible,
            note: Some(self.note.trim().to_owned()).filter(|n| !n.is_empty()),
            decided_by: Some(self.decided_by.trim().to_owned()),
        };
        check_decision(a, &d, today)?;
        Ok(d)
    }

    /// Draw the form for assessment `a`.
    #[must_use]
    pub fn ui(&mut self, ui: &mut egui::Ui, a: &ChcAssessment, today: NaiveDate) -> DecisionOutcome {
        let mut outcome = FormAction::Open;
        egui::Frame::group(ui.style()).show(ui, |ui| {
            ui.strong("Record ICB decision");
            date_field(ui, "Decision date", &mut self.date);
            ui.horizontal(|ui| {
                ui.label("Decision");
                ui.radio_value(&mut self.is_eligible, Some(true), "Eligible");
                ui.radio_value(&mut self.is_eligible, Some(false), "Not eligible");
            });
            ui.horizontal(|ui| {
                let l = ui.label("Decision maker");
                ui.add(egui::TextEdit::singleline(&mut self.decided_by).desired_width(240.0))
                    .labelled_by(l.id);
            });
            ui.horizontal(|ui| {
                let l = ui.label("Note");
                ui.add(egui::TextEdit::singleline(&mut self.note).desired_width(360.0))
                    .labelled_by(l.id);
            });
            outcome = save_row(ui, "Save decision", self.decision(a, today));
        });
        outcome
    }
}
