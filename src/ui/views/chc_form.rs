//! The form to record a CHC Checklist or DST: each domain offers only the levels it
//! can have, the rule outcome updates live as levels are chosen, and each domain
//! shows the evidence the merged record holds for it.

use chrono::NaiveDate;
use egui::RichText;

use crate::domain::chc::{ChcAssessment, ChcAssessmentKind, ChcDomain, checklist_outcome};
use crate::domain::chc_dst::{DstLevel, DstRecommendation, allowed_levels, default_level, dst_outcome};
use crate::domain::dates::fmt_date_time;
use crate::domain::{Episode, chc_evidence};
use crate::ui::theme;

pub struct ChcForm {
    pub kind: ChcAssessmentKind,
    checklist: Vec<(ChcDomain, String)>,
    dst: Vec<(ChcDomain, Option<DstLevel>)>,
    notes: Vec<(ChcDomain, String)>,
    pub completed_by: String,
    pub mdt_recommendation: String,
}

impl ChcForm {
    pub fn new(kind: ChcAssessmentKind) -> Self {
        Self {
            kind,
            checklist: ChcDomain::CHECKLIST.iter().map(|d| (*d, "C".to_owned())).collect(),
            dst: ChcDomain::ALL.iter().map(|d| (*d, default_level(*d))).collect(),
            notes: ChcDomain::ALL.iter().map(|d| (*d, String::new())).collect(),
            completed_by: String::new(),
            mdt_recommendation: String::new(),
        }
    }

    fn domains(&self) -> Vec<ChcDomain> {
        match self.kind {
            ChcAssessmentKind::Checklist => ChcDomain::CHECKLIST.to_vec(),
            _ => ChcDomain::ALL.to_vec(),
        }
    }

    /// The rule outcome for the levels chosen so far: (reason, is it positive).
    pub fn outcome(&self) -> (String, bool) {
        match self.kind {
            ChcAssessmentKind::Checklist => {
                let o = checklist_outcome(&self.checklist);
                (o.reason, o.is_full_assessment_required)
            }
            _ => {
                let grid: Vec<(ChcDomain, DstLevel)> =
                    self.dst.iter().filter_map(|(d, l)| l.map(|l| (*d, l))).collect();
                let o = dst_outcome(&grid);
                (o.reason, o.recommendation != DstRecommendation::NotIndicated)
            }
        }
    }

    /// Set a level (tests and keyboard users); false when the domain cannot have it.
    pub fn set_level(&mut self, domain: ChcDomain, level: &str) -> bool {
        match self.kind {
            ChcAssessmentKind::Checklist => match self.checklist.iter_mut().find(|(d, _)| *d == domain) {
                Some((_, l)) if matches!(level, "A" | "B" | "C") => {
                    *l = level.to_owned();
                    true
                }
                _ => false,
            },
            _ => {
                let Some(parsed) = DstLevel::parse(level).filter(|l| allowed_levels(domain).contains(l)) else {
                    return false;
                };
                match self.dst.iter_mut().find(|(d, _)| *d == domain) {
                    Some((_, l)) => {
                        *l = Some(parsed);
                        true
                    }
                    None => false,
                }
            }
        }
    }

    /// The assessment to store.
    pub fn to_assessment(&self, today: NaiveDate) -> ChcAssessment {
        let domains: Vec<(ChcDomain, String)> = match self.kind {
            ChcAssessmentKind::Checklist => self.checklist.clone(),
            _ => self
                .dst
                .iter()
                .filter_map(|(d, l)| l.map(|l| (*d, l.letter().to_owned())))
                .collect(),
        };
        ChcAssessment {
            episode_id: 0,
            kind: self.kind,
            completed_on: today,
            completed_by: non_empty(&self.completed_by),
            evidence: self
                .notes
                .iter()
                .filter(|(d, n)| !n.trim().is_empty() && domains.iter().any(|(x, _)| x == d))
                .map(|(d, n)| (*d, n.trim().to_owned()))
                .collect(),
            domains,
            mdt_recommendation: non_empty(&self.mdt_recommendation),
            icb_decision: None,
            recorded_positive: None,
        }
    }

    /// Draw the form. Returns Some(true) to save, Some(false) to cancel.
    pub fn ui(&mut self, ui: &mut egui::Ui, episodes: &[Episode]) -> Option<bool> {
        let mut result = None;
        let what = if self.kind == ChcAssessmentKind::Checklist {
            "Checklist"
        } else {
            "Decision Support Tool"
        };
        ui.heading(format!("Record a {what}"));
        let (reason, positive) = self.outcome();
        ui.label(
            RichText::new(format!("The rules give: {reason}"))
                .strong()
                .color(if positive {
                    theme::of(ui).danger
                } else {
                    theme::of(ui).ok
                }),
        );
        ui.label(RichText::new("The rules inform; they never decide.").weak());
        egui::ScrollArea::vertical()
            .id_salt("chc-form")
            .max_height(ui.available_height() - 90.0)
            .show(ui, |ui| {
                egui::Grid::new("chc-form-grid")
                    .num_columns(3)
                    .striped(true)
                    .show(ui, |ui| {
                        for domain in self.domains() {
                            let label = if self.kind == ChcAssessmentKind::Checklist && domain.is_asterisked() {
                                format!("{} *", domain.label())
                            } else {
                                domain.label().to_owned()
                            };
                            ui.label(RichText::new(label).strong());
                            ui.horizontal(|ui| match self.kind {
                                ChcAssessmentKind::Checklist => {
                                    if let Some((_, level)) = self.checklist.iter_mut().find(|(d, _)| *d == domain) {
                                        for l in ["A", "B", "C"] {
                                            ui.radio_value(level, l.to_owned(), l).on_hover_text(domain.label());
                                        }
                                    }
                                }
                                _ => {
                                    if let Some((_, level)) = self.dst.iter_mut().find(|(d, _)| *d == domain) {
                                        for l in allowed_levels(domain) {
                                            ui.radio_value(level, Some(*l), l.label()).on_hover_text(domain.label());
                                        }
                                    }
                                }
                            });
                            ui.vertical(|ui| {
                                if let Some((_, note)) = self.notes.iter_mut().find(|(d, _)| *d == domain) {
                                    ui.add(
                                        egui::TextEdit::singleline(note)
                                            .hint_text("evidence note")
                                            .desired_width(260.0)
                                            .id_salt(("chc-note", domain.code())),
                                    );
                                }
                                let found = chc_evidence::evidence_for(domain, episodes);
                                if !found.is_empty() {
                                    let n = found.len();
                                    egui::CollapsingHeader::new(format!(
                                        "{n} {} in the record",
                                        if n == 1 { "item" } else { "items" }
                                    ))
                                    .id_salt(("chc-evidence", domain.code()))
                                    .show(ui, |ui| {
                                        for (e, words) in found.iter().take(12) {
                                            ui.label(format!(
                                                "{}  {} ({}) [matched: {}]",
                                                fmt_date_time(e.start),
                                                e.title,
                                                e.sector().label(),
                                                words.join(", ")
                                            ));
                                        }
                                    });
                                }
                            });
                            ui.end_row();
                        }
                    });
            });
        ui.horizontal(|ui| {
            let by = ui.label("Completed by");
            ui.add(egui::TextEdit::singleline(&mut self.completed_by).desired_width(220.0))
                .labelled_by(by.id);
            if self.kind == ChcAssessmentKind::Dst {
                let mdt = ui.label("MDT recommendation");
                ui.add(egui::TextEdit::singleline(&mut self.mdt_recommendation).desired_width(260.0))
                    .labelled_by(mdt.id);
            }
        });
        ui.horizontal(|ui| {
            let ready = !self.completed_by.trim().is_empty();
            if ui
                .add_enabled(ready, egui::Button::new(format!("Save {what}")))
                .clicked()
            {
                result = Some(true);
            }
            if ui.button("Cancel").clicked() {
                result = Some(false);
            }
            if !ready {
                ui.label(RichText::new("Say who completed it to save.").weak());
            }
        });
        result
    }
}

fn non_empty(s: &str) -> Option<String> {
    (!s.trim().is_empty()).then(|| s.trim().to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_and_live_outcome() {
        let mut f = ChcForm::new(ChcAssessmentKind::Dst);
        assert!(
            !f.set_level(ChcDomain::Continence, "severe"),
            "continence stops at High"
        );
        assert!(f.set_level(ChcDomain::Skin, "severe"));
        assert!(!f.outcome().1);
        assert!(f.set_level(ChcDomain::Cognition, "S"));
        assert!(
            f.outcome()
                .0
                .starts_with("clear recommendation of eligibility expected")
        );
        let a = f.to_assessment(NaiveDate::from_ymd_opt(2026, 11, 22).unwrap());
        assert!(a.domains.contains(&(ChcDomain::Skin, "S".into())));
        assert!(
            a.domains.iter().all(|(d, _)| *d != ChcDomain::Other),
            "Other left unset"
        );
    }
}
