//! The plans screen's "who does what": every current action from both sectors with
//! who does it, when it is due and where it has got to, an overdue one flagged in
//! words; then the needs no action is linked to and the possible overlaps.

use chrono::NaiveDate;
use egui::RichText;
use egui_extras::{Column, TableBuilder};

use crate::domain::care_plan::{CarePlan, party_label};
use crate::domain::care_plan_rules::{WhoDoesWhatRow, who_does_what};
use crate::ui::theme;

pub fn who_does_what_ui(ui: &mut egui::Ui, current: &[&CarePlan], today: NaiveDate) {
    ui.heading("Who does what");
    let w = who_does_what(current, today);
    for u in &w.unmet_needs {
        ui.label(
            RichText::new(format!(
                "No action is linked to the need \"{}\" ({})",
                u.need, u.plan_title
            ))
            .color(theme::of(ui).danger)
            .strong(),
        );
    }
    for o in &w.overlaps {
        ui.label(
            RichText::new(format!(
                "Possible overlap on \"{}\": {} / {}",
                o.need, o.first, o.second
            ))
            .color(theme::of(ui).caution),
        );
    }
    let overdue = w.rows.iter().filter(|r| r.overdue_since.is_some()).count();
    if overdue > 0 {
        ui.label(
            RichText::new(format!("{overdue} action(s) overdue"))
                .color(theme::of(ui).danger)
                .strong(),
        );
    }
    TableBuilder::new(ui)
        .id_salt("who-does-what")
        .striped(true)
        .column(Column::auto().at_least(260.0).clip(true))
        .column(Column::auto().at_least(230.0).clip(true))
        // Wide enough for "Overdue since 26-Nov-2026" whole.
        .column(Column::auto().at_least(200.0).clip(true))
        .column(Column::auto().at_least(90.0).clip(true))
        .column(Column::auto().at_least(180.0).clip(true))
        .column(Column::remainder().at_least(160.0).clip(true))
        .header(20.0, |mut h| {
            for t in ["Action", "Who", "Due", "Status", "Meets", "Plan"] {
                h.col(|ui| {
                    ui.strong(t);
                });
            }
        })
        .body(|body| {
            body.rows(20.0, w.rows.len(), |mut row| {
                let r = &w.rows[row.index()];
                row.col(|ui| {
                    ui.label(&r.action).on_hover_text(&r.action);
                });
                row.col(|ui| {
                    ui.label(who(r));
                });
                row.col(|ui| {
                    let text = r.due_text();
                    if r.overdue_since.is_some() {
                        ui.label(RichText::new(text).color(theme::of(ui).danger).strong());
                    } else {
                        ui.label(text);
                    }
                });
                row.col(|ui| {
                    ui.label(r.status.label());
                });
                row.col(|ui| {
                    let meets = if r.meets.is_empty() {
                        "(no need linked)".to_owned()
                    } else {
                        r.meets.join("; ")
                    };
                    ui.label(&meets).on_hover_text(&meets);
                });
                row.col(|ui| {
                    ui.label(format!("{} ({})", r.plan_title, r.plan_owner));
                });
            });
        });
}

/// "Provider: Bright Homecare", or the party alone when no one is named.
fn who(r: &WhoDoesWhatRow) -> String {
    match &r.responsible_name {
        Some(n) => format!("{}: {n}", party_label(r.party)),
        None => party_label(r.party).to_owned(),
    }
}
