//! The detail pane: the selected item in full, with its provenance. Restricted items
//! (sensitive categories, and every item of a restricted person) stay placeholders
//! until the user gives a reason, which is audited; then the whole record shows until
//! it is closed.

use egui::RichText;

use super::person::PersonView;
use crate::domain::code_words::{self, ADMISSION_METHOD, ADMISSION_SOURCE, DISCHARGE_DESTINATION, DISCHARGE_METHOD};
use crate::domain::dates::fmt_date_time;
use crate::domain::governance::{COMMON_REASONS, Reason};
use crate::ui::db::LoadedPerson;
use crate::ui::{Command, theme};

/// Who has looked at this record: every open, reveal, export and matching decision on
/// it from the audit log, newest first.
fn access_ui(ui: &mut egui::Ui, loaded: &LoadedPerson) {
    ui.add_space(12.0);
    ui.heading("Who has looked at this record");
    let shown = loaded.access.len();
    let more = if shown >= crate::ui::db::ACCESS_SHOWN {
        " (the most recent)"
    } else {
        ""
    };
    let events = if shown == 1 { "event" } else { "events" };
    ui.label(RichText::new(format!("{shown} {events}{more}, from the audit log")).weak());
    egui::ScrollArea::vertical().id_salt("record-access").show(ui, |ui| {
        for e in &loaded.access {
            ui.label(format!(
                "{}  {}  {}: {}",
                fmt_date_time(e.at),
                e.actor,
                super::audit::action_words(&e.action),
                e.detail
            ));
            if let Some(r) = &e.reason {
                ui.label(RichText::new(format!("    reason: {r}")).color(theme::of(ui).restricted));
            }
        }
    });
}

/// Why the record has hidden items, a pick-list of common reasons, a box for the
/// reason, and the button that shows every restricted item of this record until it
/// is closed (audited as break-glass). The button (and Enter in the box) works only
/// when `Reason::parse` accepts the text; the hint says why not.
fn reveal_ui(view: &mut PersonView, ui: &mut egui::Ui, loaded: &LoadedPerson, commands: &mut Vec<Command>) {
    let count = loaded.restricted;
    let items = if count == 1 { "item" } else { "items" };
    let outside = loaded.relationship.needs_reason();
    let (why, then, button_text) = if outside {
        (
            "You have no recorded relationship with this person (you are not in their care team): the server \
             holds the record back."
                .to_owned(),
            "Give the reason you need to open it. It is written to the audit log as access without a recorded \
             relationship, and the record is open to you for four hours.",
            "Open the record",
        )
    } else if count == 0 {
        (
            "Items from other organisations are not shown to you.".to_owned(),
            "In an emergency, give the reason you need to see them: it is written to the audit log and flagged \
             for the information governance lead, and the whole record is open to you for four hours.",
            "Emergency access",
        )
    } else {
        let why = if loaded.record.person.is_restricted {
            "This is a restricted record: every item is hidden."
        } else {
            "Items in the sensitive categories are hidden."
        };
        (
            format!("{why} {count} restricted {items}."),
            "Give the reason you need to see them. Your reason is written to the audit log, and the items \
             stay shown until you close this record.",
            "Show restricted items",
        )
    };
    ui.label(RichText::new(why).color(theme::of(ui).restricted));
    ui.label(then);
    if let Some(o) = &loaded.objection {
        ui.label(RichText::new(o.notice()).color(theme::of(ui).restricted));
        ui.checkbox(
            &mut view.emergency,
            "Emergency: override the objection (flagged for the information governance lead)",
        );
    }
    let common = ui.label("Common reason");
    egui::ComboBox::from_id_salt("common-reasons")
        .selected_text("Choose a common reason…")
        .width(ui.available_width().min(320.0))
        .show_ui(ui, |ui| {
            for r in COMMON_REASONS {
                if ui.selectable_label(view.reason == r, r).clicked() {
                    r.clone_into(&mut view.reason);
                    view.focus_reason = true;
                }
            }
        })
        .response
        .labelled_by(common.id);
    let label = ui.label("Reason for access");
    let edit = ui
        .add(
            egui::TextEdit::singleline(&mut view.reason)
                .desired_width(f32::INFINITY)
                .hint_text("in a few words: why you need to see them"),
        )
        .labelled_by(label.id);
    if std::mem::take(&mut view.focus_reason) {
        edit.request_focus();
    }
    let parsed = Reason::parse(&view.reason);
    let entered = edit.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
    let button = ui.add_enabled(parsed.is_ok(), egui::Button::new(button_text));
    match &parsed {
        Ok(_) => ui.label(RichText::new("Press Enter or the button to show them.").weak()),
        Err(why) => ui.label(RichText::new(sentence(why)).weak()),
    };
    if let Ok(reason) = parsed
        && (button.clicked() || entered)
    {
        let kind = if (view.emergency || (count == 0 && !outside)) && loaded.objection.is_some() {
            crate::service::RevealKind::Emergency
        } else if outside {
            crate::service::RevealKind::WithoutRelationship
        } else {
            crate::service::RevealKind::BreakGlass
        };
        commands.push(Command::RevealRecord {
            person_id: loaded.record.person.id,
            reason: reason.as_str().to_owned(),
            kind,
        });
        view.emergency = false;
        view.reason.clear();
    }
}

/// A parse error as a sentence: capital first letter, full stop.
fn sentence(text: &str) -> String {
    let mut chars = text.chars();
    let first: String = chars.next().map(|c| c.to_uppercase().collect()).unwrap_or_default();
    let rest = chars.as_str();
    let stop = if rest.ends_with('.') { "" } else { "." };
    format!("{first}{rest}{stop}")
}

#[must_use]
pub fn detail_ui(view: &mut PersonView, ui: &mut egui::Ui, loaded: &LoadedPerson) -> Vec<Command> {
    let mut commands = Vec::new();
    ui.heading("Detail");
    let Some(e) = view.selected.and_then(|i| loaded.record.episodes.get(i)) else {
        if loaded.is_sealed() || (loaded.objection.is_some() && !loaded.revealed) {
            reveal_ui(view, ui, loaded, &mut commands);
        } else {
            ui.label("Select an item on the timeline or in the list.");
        }
        access_ui(ui, loaded);
        return commands;
    };
    if loaded.is_hidden(e) {
        // The lane and date, never the detail.
        ui.label(
            RichText::new("Restricted item")
                .color(theme::of(ui).restricted)
                .strong()
                .size(16.0),
        );
        egui::Grid::new("restricted-grid").num_columns(2).show(ui, |ui| {
            row(ui, "Lane", e.kind.lane().label());
            row(ui, "Date", &crate::domain::dates::fmt_date(e.start.date()));
        });
        ui.add_space(6.0);
        reveal_ui(view, ui, loaded, &mut commands);
        return commands;
    }
    egui::ScrollArea::vertical().id_salt("detail-scroll").show(ui, |ui| {
        ui.label(RichText::new(&e.title).strong().size(16.0));
        ui.label(
            RichText::new(format!("{}: {}", e.sector().label(), e.kind.label()))
                .color(theme::of(ui).sector(e.sector())),
        );
        egui::Grid::new("detail-grid")
            .num_columns(2)
            .striped(true)
            .show(ui, |ui| {
                row(ui, "Start", &fmt_date_time(e.start));
                let end = code_words::end_words(e);
                if !end.is_empty() {
                    row(ui, "End", &end);
                }
                let spell = loaded.record.spells.iter().find(|s| s.episode_id == e.id);
                row(ui, "Status", &code_words::status_words(e, spell));
                row(ui, "Organisation", e.organisation.as_deref().unwrap_or("not recorded"));
                // A stay's admission and discharge codes are in its discharge facts below.
                let in_spell = |k: &str| {
                    spell.is_some()
                        && matches!(
                            k,
                            "admission_method" | "admission_source" | "discharge_method" | "discharge_destination"
                        )
                };
                for (k, v) in e.attributes.iter().filter(|(k, _)| !in_spell(k)) {
                    row(ui, &code_words::attribute_name(k), &code_words::attribute_value(k, v));
                }
            });
        if !e.detail.is_empty() {
            ui.add_space(4.0);
            ui.label(&e.detail);
        }
        if let Some(s) = loaded.record.spells.iter().find(|s| s.episode_id == e.id) {
            ui.add_space(6.0);
            ui.label(RichText::new("Discharge").strong());
            egui::Grid::new("spell-grid").num_columns(2).show(ui, |ui| {
                row(ui, "Ward", s.ward.as_deref().unwrap_or(""));
                for (list, code) in [
                    (&ADMISSION_METHOD, &s.admission_method),
                    (&ADMISSION_SOURCE, &s.admission_source),
                    (&DISCHARGE_METHOD, &s.discharge_method),
                    (&DISCHARGE_DESTINATION, &s.discharge_destination),
                ] {
                    if let Some(code) = code.as_deref().filter(|c| !c.trim().is_empty()) {
                        row(ui, list.name, &list.say(code));
                    }
                }
                let ctr = match s.meets_criteria_to_reside {
                    Some(true) => format!(
                        "yes{}",
                        s.criteria_to_reside_code
                            .as_deref()
                            .map(|c| format!(" (criterion {c})"))
                            .unwrap_or_default()
                    ),
                    Some(false) => "no".into(),
                    None => "not recorded".into(),
                };
                row(ui, "Meets criteria to reside", &ctr);
                row(
                    ui,
                    "Discharge ready date",
                    &s.discharge_ready_date
                        .map(crate::domain::dates::fmt_date)
                        .unwrap_or_default(),
                );
                row(ui, "Pathway", &s.pathway.map(|p| p.to_string()).unwrap_or_default());
                for d in &s.delay_reasons {
                    row(
                        ui,
                        &format!("Delay ({})", d.attribution.label()),
                        &format!("{} since {}", d.description, crate::domain::dates::fmt_date(d.since)),
                    );
                }
            });
        }
        ui.add_space(6.0);
        ui.label(RichText::new("Provenance").strong());
        egui::Grid::new("provenance-grid").num_columns(2).show(ui, |ui| {
            let p = &e.provenance;
            row(ui, "Source system", &p.source);
            row(ui, "Source reference", &p.source_ref);
            row(ui, "File", &p.file_name);
            row(ui, "File SHA-256", &p.file_sha256.chars().take(16).collect::<String>());
            row(ui, "Imported", &p.imported_at.map(fmt_date_time).unwrap_or_default());
        });
    });
    commands
}

fn row(ui: &mut egui::Ui, label: &str, value: &str) {
    ui.label(RichText::new(label).weak());
    ui.label(value);
    ui.end_row();
}
