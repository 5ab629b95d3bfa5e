//! The live feeds panel of the Sources screen: per feed, its last message, how long
//! ago that was (a feed gone quiet is a feed to chase), messages today, skipped,
//! rejected, sent again (answered as the first time, applied once) and stored with
//! an identity warning; then the rejected and the warned messages themselves, who
//! sent them and why (never their text, which may name anyone). A watched folder is a feed too (`watch DIR`):
//! its files are its messages, a duplicate counted as skipped.

use chrono::NaiveDateTime;
use egui::RichText;

use crate::domain::dates::fmt_date_time;
use crate::store::FeedMessage;
use crate::ui::db::Overview;
use crate::ui::theme;

/// How long a feed may be quiet before the panel says so.
const QUIET_MINUTES: i64 = 60;

pub fn feeds_ui(ui: &mut egui::Ui, overview: &Overview, now: NaiveDateTime) {
    if overview.feeds.is_empty() {
        return;
    }
    ui.add_space(6.0);
    ui.label(RichText::new("Live feeds").strong());
    egui::Grid::new("feeds").striped(true).num_columns(8).show(ui, |ui| {
        for h in [
            "Feed",
            "Last message",
            "Since then",
            "Today",
            "Skipped",
            "Rejected",
            "Sent again",
            "Identity warnings",
        ] {
            ui.strong(h);
        }
        ui.end_row();
        for f in &overview.feeds {
            ui.label(&f.feed);
            ui.label(fmt_date_time(f.last_received));
            let quiet = (now - f.last_received).num_minutes();
            let since = match quiet {
                m if m < 1 => "under a minute".to_owned(),
                m if m < 120 => format!("{m} min"),
                m => format!("{} h", m / 60),
            };
            if quiet >= QUIET_MINUTES {
                ui.label(RichText::new(format!("{since} (quiet)")).color(theme::of(ui).caution));
            } else {
                ui.label(since);
            }
            ui.label(f.today.to_string());
            ui.label(f.skipped.to_string());
            ui.label(f.rejected.to_string());
            ui.label(f.repeats.to_string());
            if f.warned > 0 {
                ui.label(RichText::new(f.warned.to_string()).color(theme::of(ui).caution));
            } else {
                ui.label("0");
            }
            ui.end_row();
        }
    });
    messages_ui(
        ui,
        "Rejected messages",
        "rejected-messages",
        &overview.rejected_messages,
    );
    messages_ui(
        ui,
        "Stored with an identity warning",
        "warned-messages",
        &overview.warned_messages,
    );
}

/// A collapsed list of received messages: when, from whom, which, and why.
fn messages_ui(ui: &mut egui::Ui, title: &str, id: &str, messages: &[FeedMessage]) {
    if messages.is_empty() {
        return;
    }
    ui.add_space(4.0);
    egui::CollapsingHeader::new(format!("{title} ({})", messages.len()))
        .id_salt(id)
        .show(ui, |ui| {
            egui::Grid::new(id).striped(true).num_columns(4).show(ui, |ui| {
                for h in ["Received", "From", "Message", "Why"] {
                    ui.strong(h);
                }
                ui.end_row();
                for m in messages {
                    ui.label(fmt_date_time(m.received_at));
                    // A watched folder's file has no facility or control id: its name alone.
                    ui.label(format!("{} {}", m.sending_application, m.sending_facility).trim_end());
                    ui.label(format!("{} {}", m.message_type, m.control_id).trim_end());
                    ui.label(m.reason.as_deref().unwrap_or(""));
                    ui.end_row();
                }
            });
        });
}
