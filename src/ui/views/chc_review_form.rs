//! The form to record a CHC review after an eligibility decision: when, by whom,
//! and what it found. A review does not decide eligibility; changed needs call for
//! a full reassessment (RULES.md 2.4). Saved as an assessment of kind Review, it
//! closes the caseload's "review due" stage until the next review falls due.

use chrono::NaiveDate;

use super::chc_form::{FormAction, date_field, save_row};
use crate::domain::chc::{ChcAssessment, ChcAssessmentKind};
use crate::domain::chc_grid::check_completed_on;

pub struct ChcReviewForm {
    /// The date of the review as typed; today at first.
    pub date: String,
    pub completed_by: String,
    pub note: String,
}

impl ChcReviewForm {
    pub fn new(today: NaiveDate) -> Self {
        Self {
            date: today.format("%Y-%m-%d").to_string(),
            completed_by: String::new(),
            note: String::new(),
        }
    }

    /// The review to store, or what is missing or wrong. It may not be dated before
    /// the eligibility decision it follows.
    pub fn to_assessment(&self, decided_on: NaiveDate, today: NaiveDate) -> Result<ChcAssessment, String> {
        let completed_on = check_completed_on(&self.date, today)?;
        if completed_on < decided_on {
            return Err(format!(
                "a review follows the eligibility decision of {}; this date is before it",
                crate::domain::dates::fmt_date(decided_on)
            ));
        }
        let by = self.completed_by.trim();
        if by.is_empty() {
            return Err("say who carried out the review".into());
        }
        Ok(ChcAssessment {
            episode_id: 0,
            kind: ChcAssessmentKind::Review,
            completed_on,
            completed_by: Some(by.to_owned()),
            domains: vec![],
            mdt_recommendation: Some(self.note.trim().to_owned()).filter(|n| !n.is_empty()),
            icb_decision: None,
            recorded_positive: None,
            evidence: vec![],
        })
    }

    /// Draw the form.
    pub fn ui(&mut self, ui: &mut egui::Ui, decided_on: NaiveDate, today: NaiveDate) -> FormAction<ChcAssessment> {
        let mut action = FormAction::Open;
        egui::Frame::group(ui.style()).show(ui, |ui| {
            ui.strong("Record a CHC review");
            ui.label("A review checks that the care still meets the assessed needs. It does not decide eligibility: if needs have changed, record a new Checklist or DST.");
            date_field(ui, "Review date", &mut self.date);
            ui.horizontal(|ui| {
                let l = ui.label("Reviewed by");
                ui.add(egui::TextEdit::singleline(&mut self.completed_by).desired_width(240.0))
                    .labelled_by(l.id);
            });
            ui.horizontal(|ui| {
                let l = ui.label("Review note");
                ui.add(egui::TextEdit::singleline(&mut self.note).desired_width(360.0))
                    .labelled_by(l.id);
            });
            action = save_row(ui, "Save review", self.to_assessment(decided_on, today));
        });
        action
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_review_is_dated_between_the_decision_and_today_and_names_its_reviewer() {
        let day = |s: &str| crate::domain::dates::parse_date(s).unwrap();
        let (decided, today) = (day("2026-08-01"), day("2026-11-22"));
        let mut f = ChcReviewForm::new(today);
        let cases: &[(&str, &str, Result<&str, &str>)] = &[
            ("2026-11-22", "", Err("say who carried out the review")),
            ("2026-11-01", "J. Reyes", Ok("2026-11-01")),
            ("2026-07-31", "J. Reyes", Err("this date is before it")),
            ("2026-11-23", "J. Reyes", Err("after today")),
        ];
        for (date, by, expect) in cases {
            f.date = (*date).into();
            f.completed_by = (*by).into();
            match (f.to_assessment(decided, today), expect) {
                (Ok(a), Ok(d)) => assert_eq!((a.kind, a.completed_on), (ChcAssessmentKind::Review, day(d))),
                (Err(e), Err(part)) => assert!(e.contains(part), "{e}"),
                (got, _) => panic!("{date} {by}: {got:?}"),
            }
        }
    }
}
