//! Audit: who opened, searched, imported or broke the glass, and when.

use egui_extras::{Column, TableBuilder};

use crate::domain::dates::fmt_date_time;
use crate::store::AuditEvent;

pub fn audit_ui(ui: &mut egui::Ui, events: &[AuditEvent]) {
    ui.heading("Audit");
    ui.label("Every open, search, import and break-glass access, newest first. The log is append-only and hash-chained; `joinedup audit verify` checks it.");
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
            body.rows(20.0, events.len(), |mut row| {
                let e = &events[row.index()];
                let detail = match &e.reason {
                    Some(r) => format!("{} (reason: {r})", e.detail),
                    None => e.detail.clone(),
                };
                let cells = [
                    fmt_date_time(e.at),
                    e.actor.clone(),
                    e.action.clone(),
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
