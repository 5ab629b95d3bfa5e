//! Audit: who opened, searched, imported, exported or broke the glass, and when,
//! for the information governance lead: each person by name and NHS number, each
//! action in words, a date range, a CSV export (made and audited by the service)
//! and "Verify log" (the chain, the MACs and the anchor, said plainly).

use egui::RichText;
use egui_extras::{Column, TableBuilder};

use crate::domain::audit_log::AuditRange;
use crate::domain::dates::fmt_date_time;
use crate::domain::governance::AuditAction;
use crate::service::{AuditFilter, AuditLine, AuditLog};
use crate::store::{AuditOutcome, AuditProblemKind, AuditReport};
use crate::ui::{Command, theme};

/// What the audit screen asks of the shell.
#[derive(Debug, Clone, PartialEq)]
pub enum AuditCommand {
    /// Read the newest events of these dates.
    Load(AuditRange),
    /// Check the log (the chain, every MAC, the anchor, the data seals).
    Verify,
    /// Save the events of these dates that the filter keeps as CSV (audited).
    ExportCsv { range: AuditRange, filter: AuditFilter },
}

/// The audit screen's filters and date boxes (UI state only).
#[derive(Debug, Default)]
pub struct AuditView {
    pub filter: AuditFilter,
    /// The date boxes as typed.
    pub from: String,
    pub to: String,
    /// Why the dates typed were not read.
    range_error: Option<String>,
}

impl AuditView {
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        log: Option<&AuditLog>,
        verified: Option<&Result<AuditReport, String>>,
    ) -> Vec<Command> {
        let mut commands = Vec::new();
        ui.heading("Audit");
        ui.label(
            "Every open, search, import, export, matching decision and break-glass access, newest first (the \
             latest 500 of the dates chosen). The log is append-only and hash-chained: Verify log checks it.",
        );
        commands.extend(self.dates_ui(ui, log.map(|l| l.range)));
        self.filters_ui(ui, log.map_or(&[][..], |l| l.lines.as_slice()));
        ui.horizontal(|ui| {
            if let Some(l) = log
                && ui
                    .button("Export CSV…")
                    .on_hover_text("Save the events shown (these dates, these filters) as CSV; the export is audited")
                    .clicked()
            {
                commands.push(Command::Audit(AuditCommand::ExportCsv {
                    range: l.range,
                    filter: self.filter.clone(),
                }));
            }
            if ui
                .button("Verify log")
                .on_hover_text("Check the hash chain, every event's MAC and the anchor against truncation")
                .clicked()
            {
                commands.push(Command::Audit(AuditCommand::Verify));
            }
        });
        if let Some(v) = verified {
            verified_ui(ui, v);
        }
        let Some(log) = log else {
            ui.spinner();
            return commands;
        };
        let shown: Vec<&AuditLine> = log.lines.iter().filter(|l| self.filter.keeps(l)).collect();
        let more = if log.more {
            " (there are more in these dates: narrow them to see older ones)"
        } else {
            ""
        };
        ui.label(format!(
            "{} of {} events, {}{more}",
            shown.len(),
            log.lines.len(),
            log.range.describe()
        ));
        events_table(ui, &shown);
        commands
    }

    /// From and To, read when "Show these dates" is pressed.
    fn dates_ui(&mut self, ui: &mut egui::Ui, shown: Option<AuditRange>) -> Vec<Command> {
        let mut commands = Vec::new();
        ui.horizontal_wrapped(|ui| {
            for (label, text) in [("From", &mut self.from), ("To", &mut self.to)] {
                let l = ui.label(label);
                ui.add(
                    egui::TextEdit::singleline(text)
                        .hint_text("dd-Mmm-yyyy")
                        .desired_width(110.0),
                )
                .labelled_by(l.id);
            }
            if ui.button("Show these dates").clicked() {
                match AuditRange::parse(&self.from, &self.to) {
                    Ok(range) => {
                        self.range_error = None;
                        commands.push(Command::Audit(AuditCommand::Load(range)));
                    }
                    Err(e) => self.range_error = Some(e),
                }
            }
            if shown.is_some_and(|r| r != AuditRange::default()) && ui.button("All dates").clicked() {
                self.from.clear();
                self.to.clear();
                self.range_error = None;
                commands.push(Command::Audit(AuditCommand::Load(AuditRange::default())));
            }
        });
        if let Some(e) = &self.range_error {
            ui.label(RichText::new(e).color(theme::of(ui).danger));
        }
        commands
    }

    fn filters_ui(&mut self, ui: &mut egui::Ui, lines: &[AuditLine]) {
        let mut actions: Vec<&str> = lines.iter().map(|l| l.event.action.as_str()).collect();
        actions.sort_unstable();
        actions.dedup();
        let f = &mut self.filter;
        ui.horizontal_wrapped(|ui| {
            ui.label("Action");
            egui::ComboBox::from_id_salt("audit-action")
                .selected_text(f.action.as_deref().map_or("All", action_label))
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut f.action, None, "All");
                    for a in &actions {
                        ui.selectable_value(&mut f.action, Some((*a).to_owned()), action_label(a));
                    }
                });
            let who = ui.label("Who");
            ui.add(egui::TextEdit::singleline(&mut f.who).desired_width(140.0))
                .labelled_by(who.id);
            let person = ui.label("Find person");
            ui.add(
                egui::TextEdit::singleline(&mut f.person)
                    .hint_text("name or NHS number")
                    .desired_width(160.0),
            )
            .labelled_by(person.id);
            ui.checkbox(&mut f.with_reason_only, "With a reason only");
        });
    }
}

fn events_table(ui: &mut egui::Ui, shown: &[&AuditLine]) {
    TableBuilder::new(ui)
        .id_salt("audit-events")
        .striped(true)
        .column(Column::initial(130.0).at_least(120.0))
        .column(Column::initial(250.0).at_least(100.0).resizable(true).clip(true))
        .column(Column::initial(170.0).at_least(100.0).resizable(true).clip(true))
        .column(Column::initial(260.0).at_least(120.0).resizable(true).clip(true))
        .column(Column::remainder().clip(true))
        .header(20.0, |mut h| {
            for t in ["When", "Who", "Action", "Person", "Detail and reason"] {
                h.col(|ui| {
                    ui.strong(t);
                });
            }
        })
        .body(|body| {
            body.rows(20.0, shown.len(), |mut row| {
                let l = shown[row.index()];
                let e = &l.event;
                let detail = match &e.reason {
                    Some(r) => format!("{} (reason: {r})", e.detail),
                    None => e.detail.clone(),
                };
                row.col(|ui| {
                    ui.label(fmt_date_time(e.at));
                });
                // One line a row: whatever is cut shows whole on hover.
                row.col(|ui| {
                    ui.add(egui::Label::new(e.actor.as_str()).truncate())
                        .on_hover_text(e.actor.as_str());
                });
                row.col(|ui| {
                    ui.add(egui::Label::new(l.action_label()).truncate())
                        .on_hover_text(action_words(&e.action));
                });
                let person = l.person.label();
                row.col(|ui| {
                    ui.add(egui::Label::new(person.as_str()).truncate())
                        .on_hover_text(person.as_str());
                });
                row.col(|ui| {
                    ui.add(egui::Label::new(detail.as_str()).truncate())
                        .on_hover_text(detail.as_str());
                });
            });
        });
}

/// The verdict of "Verify log", with the report's other lines under it.
fn verified_ui(ui: &mut egui::Ui, verified: &Result<AuditReport, String>) {
    let palette = theme::of(ui);
    match verified {
        Ok(report) => {
            let (text, colour) = verdict(report);
            let colour = match colour {
                Tone::Ok => palette.ok,
                Tone::Caution => palette.caution,
                Tone::Danger => palette.danger,
            };
            ui.label(RichText::new(text).color(colour).strong());
            for line in report.lines().iter().skip(1) {
                ui.label(RichText::new(line).color(palette.secondary_text));
            }
        }
        Err(e) => {
            ui.label(RichText::new(format!("The log could not be checked: {e}")).color(palette.danger));
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tone {
    Ok,
    Caution,
    Danger,
}

/// The report in one plain sentence: intact, broken at event N, truncated, or
/// not verified (the key is not here).
fn verdict(report: &AuditReport) -> (String, Tone) {
    match report.outcome() {
        AuditOutcome::Intact => (format!("Log intact: all {} events check out", report.events), Tone::Ok),
        AuditOutcome::CannotVerify(why) => (format!("Log not verified: {why}"), Tone::Caution),
        AuditOutcome::Broken(p) if p.kind == AuditProblemKind::Truncated => (
            format!("Log truncated: events were removed from its end ({})", p.detail),
            Tone::Danger,
        ),
        AuditOutcome::Broken(p) => match p.at_event {
            Some(n) => (format!("Log broken at event {n}: {}", p.detail), Tone::Danger),
            None => (format!("Log broken: {}", p.detail), Tone::Danger),
        },
    }
}

/// An action's short name, or its code when this build does not know it.
fn action_label(code: &str) -> &str {
    AuditAction::from_code(code).map_or(code, |a| a.label())
}

/// An action in plain English (`AuditAction::description`), or its code when it is
/// not one this build knows.
pub fn action_words(code: &str) -> &str {
    AuditAction::from_code(code).map_or(code, |a| a.description())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{AuditKeyStatus, AuditProblem};

    fn report(problem: Option<AuditProblem>, key: AuditKeyStatus) -> AuditReport {
        AuditReport {
            events: 12,
            chain_only_events: 0,
            events_after_anchor: 0,
            key,
            sealed_items: 0,
            unsealed_items: 0,
            seals_unchecked: false,
            problem,
        }
    }

    fn problem(at_event: Option<i64>, kind: AuditProblemKind) -> Option<AuditProblem> {
        Some(AuditProblem {
            at_event,
            kind,
            detail: "what was found".into(),
        })
    }

    #[test]
    fn the_verdict_says_intact_broken_at_event_or_truncated() {
        let missing = AuditKeyStatus::Missing {
            path: "x.audit-key".into(),
        };
        for (r, words, tone) in [
            (
                report(None, AuditKeyStatus::InMemory),
                "Log intact: all 12 events check out",
                Tone::Ok,
            ),
            (
                report(
                    problem(Some(7), AuditProblemKind::EventAltered),
                    AuditKeyStatus::InMemory,
                ),
                "Log broken at event 7: what was found",
                Tone::Danger,
            ),
            (
                report(
                    problem(Some(9), AuditProblemKind::EventRemoved),
                    AuditKeyStatus::InMemory,
                ),
                "Log broken at event 9: what was found",
                Tone::Danger,
            ),
            (
                report(problem(None, AuditProblemKind::Truncated), AuditKeyStatus::InMemory),
                "Log truncated: events were removed from its end (what was found)",
                Tone::Danger,
            ),
            (
                report(problem(None, AuditProblemKind::AnchorInvalid), AuditKeyStatus::InMemory),
                "Log broken: what was found",
                Tone::Danger,
            ),
            (report(None, missing), "Log not verified: key missing", Tone::Caution),
        ] {
            let (text, t) = verdict(&r);
            assert!(text.starts_with(words), "{text}");
            assert_eq!(t, tone, "{text}");
        }
    }
}
