//! Audit: who opened, searched, imported, exported or broke the glass, and when, with
//! filters for the information governance lead.

use egui_extras::{Column, TableBuilder};

use crate::domain::dates::fmt_date_time;
use crate::store::AuditEvent;

/// The audit screen's filters (UI state only).
#[derive(Debug, Default)]
pub struct AuditView {
    /// Only this action (`open`, `search`, `break_glass`, ...), or all.
    pub action: Option<String>,
    /// Part of the user name or role.
    pub who: String,
    /// A person's record number (`#12` or `12`), or empty for everyone.
    pub person: String,
    /// Only events that carry a reason (reveals, break-glass exports).
    pub with_reason_only: bool,
}

impl AuditView {
    fn keeps(&self, e: &AuditEvent) -> bool {
        let person = self.person.trim().trim_start_matches('#');
        self.action.as_ref().is_none_or(|a| &e.action == a)
            && (self.who.trim().is_empty() || e.actor.to_lowercase().contains(&self.who.trim().to_lowercase()))
            && (person.is_empty() || e.person_id.is_some_and(|p| p.to_string() == person))
            && (!self.with_reason_only || e.reason.is_some())
    }

    pub fn ui(&mut self, ui: &mut egui::Ui, events: &[AuditEvent]) {
        ui.heading("Audit");
        ui.label("Every open, search, import, export, matching decision and break-glass access, newest first (the latest 500). The log is append-only and hash-chained; `joinedup audit verify` checks it.");
        let mut actions: Vec<&str> = events.iter().map(|e| e.action.as_str()).collect();
        actions.sort_unstable();
        actions.dedup();
        ui.horizontal_wrapped(|ui| {
            ui.label("Action");
            egui::ComboBox::from_id_salt("audit-action")
                .selected_text(self.action.as_deref().map_or("All", action_words))
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut self.action, None, "All");
                    for a in &actions {
                        ui.selectable_value(&mut self.action, Some((*a).to_owned()), action_words(a));
                    }
                });
            let who = ui.label("Who");
            ui.add(egui::TextEdit::singleline(&mut self.who).desired_width(140.0))
                .labelled_by(who.id);
            let person = ui.label("Person record");
            ui.add(
                egui::TextEdit::singleline(&mut self.person)
                    .hint_text("#id")
                    .desired_width(70.0),
            )
            .labelled_by(person.id);
            ui.checkbox(&mut self.with_reason_only, "With a reason only");
        });
        let shown: Vec<&AuditEvent> = events.iter().filter(|e| self.keeps(e)).collect();
        ui.label(format!("{} of {} events", shown.len(), events.len()));
        TableBuilder::new(ui)
            .id_salt("audit-events")
            .striped(true)
            .column(Column::auto().at_least(130.0))
            .column(Column::auto().at_least(100.0))
            .column(Column::auto().at_least(90.0))
            .column(Column::auto().at_least(70.0))
            .column(Column::remainder())
            .header(20.0, |mut h| {
                for t in ["When", "Who", "Action", "Person", "Detail and reason"] {
                    h.col(|ui| {
                        ui.strong(t);
                    });
                }
            })
            .body(|body| {
                body.rows(20.0, shown.len(), |mut row| {
                    let e = shown[row.index()];
                    let detail = match &e.reason {
                        Some(r) => format!("{} (reason: {r})", e.detail),
                        None => e.detail.clone(),
                    };
                    let cells = [
                        fmt_date_time(e.at),
                        e.actor.clone(),
                        action_words(&e.action).to_owned(),
                        e.person_id.map(|p| format!("#{p}")).unwrap_or_default(),
                        detail,
                    ];
                    for c in cells {
                        row.col(|ui| {
                            ui.label(c);
                        });
                    }
                });
            });
    }
}

/// An action in plain English (`AuditAction::description`), or its code when it is
/// not one this build knows.
pub fn action_words(code: &str) -> &str {
    crate::domain::governance::AuditAction::from_code(code).map_or(code, |a| a.description())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(action: &str, actor: &str, person: Option<i64>, reason: Option<&str>) -> AuditEvent {
        AuditEvent {
            id: 0,
            at: chrono::NaiveDate::from_ymd_opt(2026, 11, 22)
                .and_then(|d| d.and_hms_opt(10, 0, 0))
                .expect("time"),
            actor: actor.into(),
            action: action.into(),
            person_id: person,
            detail: String::new(),
            reason: reason.map(Into::into),
        }
    }

    #[test]
    fn filters_combine() {
        let events = [
            event("open", "jsmith (Care coordinator)", Some(12), None),
            event(
                "break_glass",
                "jsmith (Care coordinator)",
                Some(12),
                Some("strategy meeting"),
            ),
            event("search", "ig (Information governance lead)", None, None),
            event("open", "ig (Information governance lead)", Some(7), None),
        ];
        let count = |v: &AuditView| events.iter().filter(|e| v.keeps(e)).count();
        assert_eq!(count(&AuditView::default()), 4);
        let mut v = AuditView {
            person: "#12".into(),
            ..Default::default()
        };
        assert_eq!(count(&v), 2);
        v.with_reason_only = true;
        assert_eq!(count(&v), 1);
        let v = AuditView {
            who: "governance".into(),
            action: Some("open".into()),
            ..Default::default()
        };
        assert_eq!(count(&v), 1);
    }
}
