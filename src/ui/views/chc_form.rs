//! The form to record a CHC Checklist or DST: each domain offers only the levels it
//! can have, hovering a domain or a level shows what it means, the rule outcome
//! appears once every domain is chosen ("not yet assessed" until then; SAFETY H42),
//! the assessment date can be edited, and each domain shows the evidence the merged
//! record holds for it. The date field and the Save/Cancel row are shared by the
//! other CHC forms.

use chrono::NaiveDate;
use egui::RichText;

use crate::domain::chc::{ChcAssessment, ChcAssessmentKind, ChcDomain, checklist_outcome};
use crate::domain::chc_descriptors::{checklist_descriptions, domain_hover, dst_description};
use crate::domain::chc_dst::{DstLevel, DstRecommendation, allowed_levels, dst_outcome};
use crate::domain::chc_grid::{NotYetAssessed, check_complete, check_completed_on, domains_of};
use crate::domain::dates::fmt_date_time;
use crate::domain::{Episode, chc_evidence};
use crate::ui::theme;

/// What the user did with a form this frame.
#[derive(Debug, Clone, PartialEq)]
pub enum FormAction<T> {
    /// Still filling it in.
    Open,
    Save(T),
    Cancel,
}

/// A labelled date field (YYYY-MM-DD) holding the text as typed.
pub(super) fn date_field(ui: &mut egui::Ui, label: &str, text: &mut String) {
    ui.horizontal(|ui| {
        let l = ui.label(label);
        ui.add(egui::TextEdit::singleline(text).desired_width(110.0))
            .labelled_by(l.id);
        ui.label(RichText::new("YYYY-MM-DD").weak());
    });
}

/// The form's last row: what stops it saving (if anything), Save (enabled only when
/// the form checks out) and Cancel.
pub(super) fn save_row<T>(ui: &mut egui::Ui, save: &str, checked: Result<T, String>) -> FormAction<T> {
    let mut action = FormAction::Open;
    if let Err(e) = &checked {
        ui.label(RichText::new(e).color(theme::of(ui).caution));
    }
    ui.horizontal(|ui| {
        let button = ui.add_enabled(checked.is_ok(), egui::Button::new(save));
        if button.clicked()
            && let Ok(v) = checked
        {
            action = FormAction::Save(v);
        }
        if ui.button("Cancel").clicked() {
            action = FormAction::Cancel;
        }
    });
    action
}

pub struct ChcForm {
    pub kind: ChcAssessmentKind,
    /// Nothing is chosen at first: a grid is "not yet assessed" until each domain is.
    checklist: Vec<(ChcDomain, Option<&'static str>)>,
    /// `Some(None)` is "no other significant care needs", for the one domain (Other)
    /// that has no "No needs" level.
    dst: Vec<(ChcDomain, Option<Option<DstLevel>>)>,
    notes: Vec<(ChcDomain, String)>,
    /// The assessment date as typed; today at first.
    pub date: String,
    pub completed_by: String,
    pub mdt_recommendation: String,
}

impl ChcForm {
    pub fn new(kind: ChcAssessmentKind, today: NaiveDate) -> Self {
        Self {
            kind,
            checklist: ChcDomain::CHECKLIST.iter().map(|d| (*d, None)).collect(),
            dst: ChcDomain::ALL.iter().map(|d| (*d, None)).collect(),
            notes: ChcDomain::ALL.iter().map(|d| (*d, String::new())).collect(),
            date: today.format("%Y-%m-%d").to_string(),
            completed_by: String::new(),
            mdt_recommendation: String::new(),
        }
    }

    fn is_checklist(&self) -> bool {
        self.kind == ChcAssessmentKind::Checklist
    }

    /// The domains with a level (or, for Other, "none") chosen.
    fn chosen(&self) -> Vec<ChcDomain> {
        if self.is_checklist() {
            self.checklist
                .iter()
                .filter(|(_, l)| l.is_some())
                .map(|(d, _)| *d)
                .collect()
        } else {
            self.dst.iter().filter(|(_, l)| l.is_some()).map(|(d, _)| *d).collect()
        }
    }

    /// The domains and levels to store (DST: "no other needs" stores nothing).
    fn grid(&self) -> Vec<(ChcDomain, String)> {
        if self.is_checklist() {
            self.checklist
                .iter()
                .filter_map(|(d, l)| l.map(|l| (*d, l.to_owned())))
                .collect()
        } else {
            self.dst
                .iter()
                .filter_map(|(d, l)| l.flatten().map(|l| (*d, l.letter().to_owned())))
                .collect()
        }
    }

    /// The rule outcome (reason, is it positive) once every domain is chosen.
    pub fn outcome(&self) -> Result<(String, bool), NotYetAssessed> {
        check_complete(self.kind, &self.chosen())?;
        if self.is_checklist() {
            let o = checklist_outcome(&self.grid());
            return Ok((o.reason, o.is_full_assessment_required));
        }
        let grid: Vec<(ChcDomain, DstLevel)> = self
            .dst
            .iter()
            .filter_map(|(d, l)| l.flatten().map(|l| (*d, l)))
            .collect();
        let o = dst_outcome(&grid);
        Ok((o.reason, o.recommendation != DstRecommendation::NotIndicated))
    }

    /// Set a level (tests and keyboard users); false when the domain cannot have it.
    /// For a DST's "Other", `none` says there are no other significant care needs.
    pub fn set_level(&mut self, domain: ChcDomain, level: &str) -> bool {
        if self.is_checklist() {
            let col = ["A", "B", "C"].into_iter().find(|c| *c == level);
            return match (self.checklist.iter_mut().find(|(d, _)| *d == domain), col) {
                (Some((_, l)), Some(c)) => {
                    *l = Some(c);
                    true
                }
                _ => false,
            };
        }
        let parsed = if domain == ChcDomain::Other && level == "none" {
            Some(None)
        } else {
            DstLevel::parse(level)
                .filter(|l| allowed_levels(domain).contains(l))
                .map(Some)
        };
        match (self.dst.iter_mut().find(|(d, _)| *d == domain), parsed) {
            (Some((_, l)), Some(p)) => {
                *l = Some(p);
                true
            }
            _ => false,
        }
    }

    /// The assessment to store, or why it cannot be saved yet: a domain not chosen,
    /// a date missing or after today, nobody named as having completed it.
    pub fn to_assessment(&self, today: NaiveDate) -> Result<ChcAssessment, String> {
        check_complete(self.kind, &self.chosen()).map_err(|n| n.refusal())?;
        let completed_on = check_completed_on(&self.date, today)?;
        let completed_by = non_empty(&self.completed_by).ok_or("say who completed it to save")?;
        let domains = self.grid();
        Ok(ChcAssessment {
            episode_id: 0,
            kind: self.kind,
            completed_on,
            completed_by: Some(completed_by),
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
        })
    }

    /// Draw the form.
    pub fn ui(&mut self, ui: &mut egui::Ui, episodes: &[Episode], today: NaiveDate) -> FormAction<ChcAssessment> {
        let what = if self.is_checklist() {
            "Checklist"
        } else {
            "Decision Support Tool"
        };
        ui.heading(format!("Record a {what}"));
        self.outcome_ui(ui);
        ui.label(
            RichText::new("The rules inform; they never decide. Hover a domain or a level for what it means.").weak(),
        );
        egui::ScrollArea::both()
            .id_salt("chc-form")
            .max_height(ui.available_height() - 130.0)
            .show(ui, |ui| {
                egui::Grid::new("chc-form-grid")
                    .num_columns(2)
                    .striped(true)
                    .show(ui, |ui| {
                        for domain in domains_of(self.kind) {
                            self.domain_row(ui, *domain, episodes);
                            ui.end_row();
                        }
                    });
            });
        date_field(ui, "Assessment date", &mut self.date);
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
        save_row(ui, &format!("Save {what}"), self.to_assessment(today))
    }

    /// The outcome line: "not yet assessed" (never green) until every domain is chosen.
    fn outcome_ui(&self, ui: &mut egui::Ui) {
        let t = theme::of(ui);
        let (text, color) = match self.outcome() {
            Err(n) => (n.summary(), t.caution),
            Ok((reason, true)) => (format!("The rules give: {reason}"), t.danger),
            Ok((reason, false)) => (format!("The rules give: {reason}"), t.ok),
        };
        ui.label(RichText::new(text).strong().color(color));
    }

    /// One domain: its name (hover: every level's meaning), its levels (hover: that
    /// level's meaning), its evidence note and what the record holds for it.
    fn domain_row(&mut self, ui: &mut egui::Ui, domain: ChcDomain, episodes: &[Episode]) {
        let is_checklist = self.is_checklist();
        let label = if is_checklist && domain.is_asterisked() {
            format!("{} *", domain.label())
        } else {
            domain.label().to_owned()
        };
        ui.label(RichText::new(label).strong())
            .on_hover_text(domain_hover(domain, is_checklist));
        ui.vertical(|ui| {
            ui.horizontal(|ui| self.levels_ui(ui, domain));
            if let Some((_, note)) = self.notes.iter_mut().find(|(d, _)| *d == domain) {
                ui.add(
                    egui::TextEdit::singleline(note)
                        .hint_text("evidence note")
                        .desired_width(320.0)
                        .id_salt(("chc-note", domain.code())),
                );
            }
            evidence_ui(ui, domain, episodes);
        });
    }

    /// A domain's levels as radio buttons, each with its meaning on hover.
    fn levels_ui(&mut self, ui: &mut egui::Ui, domain: ChcDomain) {
        if self.is_checklist() {
            if let Some((_, level)) = self.checklist.iter_mut().find(|(d, _)| *d == domain) {
                for (col, text) in checklist_descriptions(domain) {
                    ui.radio_value(level, Some(col), col).on_hover_text(text);
                }
            }
        } else if let Some((_, level)) = self.dst.iter_mut().find(|(d, _)| *d == domain) {
            for l in allowed_levels(domain) {
                let text = dst_description(domain, *l).unwrap_or_default();
                ui.radio_value(level, Some(Some(*l)), l.label()).on_hover_text(text);
            }
            if domain == ChcDomain::Other {
                ui.radio_value(level, Some(None), "None")
                    .on_hover_text("No other significant care needs (this domain has no \"No needs\" level)");
            }
        }
    }
}

/// What the merged record holds for a domain, collapsed.
fn evidence_ui(ui: &mut egui::Ui, domain: ChcDomain, episodes: &[Episode]) {
    let found = chc_evidence::evidence_for(domain, episodes);
    if found.is_empty() {
        return;
    }
    let n = found.len();
    egui::CollapsingHeader::new(format!("{n} {} in the record", if n == 1 { "item" } else { "items" }))
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

fn non_empty(s: &str) -> Option<String> {
    (!s.trim().is_empty()).then(|| s.trim().to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        crate::domain::dates::parse_date(s).unwrap()
    }

    #[test]
    fn levels_and_live_outcome_once_every_domain_is_chosen() {
        let today = day("2026-11-22");
        let mut f = ChcForm::new(ChcAssessmentKind::Dst, today);
        f.completed_by = "MDT".into();
        assert!(
            !f.set_level(ChcDomain::Continence, "severe"),
            "continence stops at High"
        );
        assert!(f.set_level(ChcDomain::Skin, "severe"));
        assert!(f.set_level(ChcDomain::Cognition, "S"));
        assert_eq!(
            f.outcome().unwrap_err().summary(),
            "not yet assessed: 2 of 12 domains chosen"
        );
        let refused = f.to_assessment(today).unwrap_err();
        assert!(
            refused.contains("still to choose: Breathing, Nutrition, Continence"),
            "{refused}"
        );
        for d in ChcDomain::ALL {
            if !matches!(d, ChcDomain::Skin | ChcDomain::Cognition | ChcDomain::Other) {
                assert!(f.set_level(d, "no"), "{d:?}");
            }
        }
        assert_eq!(f.outcome().unwrap_err().missing, vec![ChcDomain::Other]);
        assert!(f.set_level(ChcDomain::Other, "none"));
        assert!(
            f.outcome()
                .unwrap()
                .0
                .starts_with("clear recommendation of eligibility expected")
        );
        f.date = "2026-11-23".into();
        assert!(f.to_assessment(today).unwrap_err().contains("after today"));
        f.date = "2026-11-20".into();
        let a = f.to_assessment(today).unwrap();
        assert_eq!(a.completed_on, day("2026-11-20"));
        assert!(a.domains.contains(&(ChcDomain::Skin, "S".into())));
        assert!(
            a.domains.iter().all(|(d, _)| *d != ChcDomain::Other),
            "no other needs: nothing stored"
        );
        assert_eq!(a.domains.len(), 11);
    }
}
