//! The form to record a CHC Fast Track: no Checklist or DST, only when and by whom
//! it was completed (an appropriate clinician) and the reason.

use chrono::NaiveDate;

use super::chc_form::{FormAction, date_field, save_row};
use crate::domain::chc::{ChcAssessment, ChcAssessmentKind, FastTrackClinician, check_fast_track};
use crate::domain::chc_grid::check_completed_on;

pub struct FastTrackForm {
    /// The date completed as typed; today at first.
    pub date: String,
    pub completed_by: String,
    pub clinician: Option<FastTrackClinician>,
    pub reason: String,
}

impl FastTrackForm {
    pub fn new(today: NaiveDate) -> Self {
        Self {
            date: today.format("%Y-%m-%d").to_string(),
            completed_by: String::new(),
            clinician: None,
            reason: String::new(),
        }
    }

    /// The Fast Track to store, or what is missing or wrong.
    pub fn to_assessment(&self, today: NaiveDate) -> Result<ChcAssessment, String> {
        check_fast_track(&self.completed_by, self.clinician, &self.reason)?;
        let completed_on = check_completed_on(&self.date, today)?;
        let role = self.clinician.map(|c| format!(" ({})", c.label())).unwrap_or_default();
        Ok(ChcAssessment {
            episode_id: 0,
            kind: ChcAssessmentKind::FastTrack,
            completed_on,
            completed_by: Some(format!("{}{role}", self.completed_by.trim())),
            domains: vec![],
            mdt_recommendation: Some(self.reason.trim().to_owned()),
            icb_decision: None,
            recorded_positive: Some(true),
            evidence: vec![],
        })
    }

    /// Draw the form.
    pub fn ui(&mut self, ui: &mut egui::Ui, today: NaiveDate) -> FormAction<ChcAssessment> {
        ui.heading("Record a Fast Track");
        ui.label("For a rapidly deteriorating condition that may be entering a terminal phase. It replaces the Checklist and the DST; the ICB must accept it and respond promptly.");
        date_field(ui, "Date completed", &mut self.date);
        ui.horizontal(|ui| {
            let by = ui.label("Completed by");
            ui.add(egui::TextEdit::singleline(&mut self.completed_by).desired_width(240.0))
                .labelled_by(by.id);
        });
        ui.horizontal(|ui| {
            ui.label("As");
            for c in [
                FastTrackClinician::RegisteredNurse,
                FastTrackClinician::RegisteredMedicalPractitioner,
            ] {
                ui.radio_value(&mut self.clinician, Some(c), c.label());
            }
        });
        let reason = ui.label("Reason");
        ui.add(
            egui::TextEdit::multiline(&mut self.reason)
                .desired_rows(3)
                .desired_width(520.0),
        )
        .labelled_by(reason.id);
        save_row(ui, "Save Fast Track", self.to_assessment(today))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fast_track_is_dated_as_typed_and_never_after_today() {
        let day = |s: &str| crate::domain::dates::parse_date(s).unwrap();
        let today = day("2026-11-22");
        let mut f = FastTrackForm::new(today);
        f.completed_by = "Dr K. Obi".into();
        f.clinician = Some(FastTrackClinician::RegisteredMedicalPractitioner);
        f.reason = "Rapid decline, likely last weeks of life".into();
        let cases: &[(&str, Result<&str, &str>)] = &[
            ("2026-11-22", Ok("2026-11-22")),
            ("2026-11-20", Ok("2026-11-20")),
            ("2026-11-23", Err("after today")),
            ("soon", Err("give the date")),
        ];
        for (typed, expect) in cases {
            f.date = (*typed).into();
            match (f.to_assessment(today), expect) {
                (Ok(a), Ok(d)) => assert_eq!(a.completed_on, day(d)),
                (Err(e), Err(part)) => assert!(e.contains(part), "{e}"),
                (got, _) => panic!("{typed}: {got:?}"),
            }
        }
    }
}
