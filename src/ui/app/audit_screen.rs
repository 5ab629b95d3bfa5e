//! The audit screen's part of the shell: the log of a date range, "Verify log" and
//! the CSV export (made and audited on the database thread).

use super::*;
use crate::service::AuditLog;
use crate::store::AuditReport;
use crate::ui::views::audit::{AuditCommand, AuditView};

/// What the shell keeps for the audit screen.
#[derive(Default)]
pub(super) struct AuditState {
    pub log: Option<AuditLog>,
    pub verified: Option<Result<AuditReport, String>>,
    pub view: AuditView,
}

impl JoinedUpApp {
    /// The audit screen's events, once read.
    pub fn audit_log(&self) -> Option<&AuditLog> {
        self.audit.log.as_ref()
    }

    /// What "Verify log" found, once it has looked.
    pub fn audit_verified(&self) -> Option<&Result<AuditReport, String>> {
        self.audit.verified.as_ref()
    }

    /// Read the log again for the dates shown (all dates at first).
    pub(super) fn open_audit(&mut self) {
        let range = self.audit.log.as_ref().map(|l| l.range).unwrap_or_default();
        self.send(Request::AuditLog { range });
    }

    pub(super) fn apply_audit(&mut self, command: AuditCommand) {
        match command {
            AuditCommand::Load(range) => self.send(Request::AuditLog { range }),
            AuditCommand::Verify => {
                self.audit.verified = None;
                self.send(Request::VerifyAudit);
            }
            AuditCommand::ExportCsv { range, filter } => {
                let name = format!("audit-log-{}.csv", self.view_context().today);
                let what = OutputKind::AuditCsv { range, filter };
                self.save_in_background(name, "CSV", "csv", SaveWhat::Output(Box::new(what)));
            }
        }
    }

    pub(super) fn audit_screen_ui(&mut self, ui: &mut egui::Ui) -> Vec<Command> {
        let a = &mut self.audit;
        egui::CentralPanel::default()
            .show(ui, |ui| a.view.ui(ui, a.log.as_ref(), a.verified.as_ref()))
            .inner
    }
}
