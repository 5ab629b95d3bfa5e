//! The form to record a CHC Fast Track: no Checklist or DST, only who completed it
//! (an appropriate clinician) and the reason.

use chrono::NaiveDate;
use egui::RichText;

use crate::domain::chc::{ChcAssessment, ChcAssessmentKind, FastTrackClinician, check_fast_track};
use crate::ui::theme;

#[derive(Default)]
pub struct FastTrackForm {
    pub completed_by: String,
    pub clinician: Option<FastTrackClinician>,
    pub reason: String,
}

impl FastTrackForm {
    pub fn to_assessment(&self, today: NaiveDate) -> ChcAssessment {
        let role = self.clinician.map(|c| format!(" ({})", c.label())).unwrap_or_default();
        ChcAssessment {
            episode_id: 0,
            kind: ChcAssessmentKind::FastTrack,
            completed_on: today,
            completed_by: Some(format!("{}{role}", self.completed_by.trim())),
            domains: vec![],
            mdt_recommendation: Some(self.reason.trim().to_owned()),
            icb_decision: None,
            recorded_positive: Some(true),
            evidence: vec![],
        }
    }

    /// Draw the form. Returns Some(true) to save, Some(false) to cancel.
    pub fn ui(&mut self, ui: &mut egui::Ui) -> Option<bool> {
        let mut result = None;
        ui.heading("Record a Fast Track");
        ui.label("For a rapidly deteriorating condition that may be entering a terminal phase. It replaces the Checklist and the DST; the ICB must accept it and respond promptly.");
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
        let check = check_fast_track(&self.completed_by, self.clinician, &self.reason);
        if let Err(e) = &check {
            ui.label(RichText::new(e).color(theme::of(ui).caution));
        }
        ui.horizontal(|ui| {
            if ui
                .add_enabled(check.is_ok(), egui::Button::new("Save Fast Track"))
                .clicked()
            {
                result = Some(true);
            }
            if ui.button("Cancel").clicked() {
                result = Some(false);
            }
        });
        result
    }
}
