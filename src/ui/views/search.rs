//! Find a person: one box for an NHS number (checked as you type) or a name,
//! optionally with a date of birth; results and recently opened people below.

use chrono::NaiveDate;
use egui::{Key, RichText};
use egui_extras::{Column, TableBuilder};

use crate::domain::dates::{age_on, fmt_date, parse_date};
use crate::domain::nhs_number::{NhsNumber, NhsNumberError, format_as_typed};
use crate::store::PersonSummary;
use crate::ui::{Command, ViewContext, theme};

/// Name search shows at most this many people; the database is asked for one more
/// to tell the user that there are more.
pub const SEARCH_LIMIT: usize = crate::ui::db::SEARCH_RESULTS - 1;

/// How the text in the search box reads.
#[derive(Debug, Clone, PartialEq)]
pub enum Query {
    Empty,
    /// Digits only, not yet ten, or ten that fail the check.
    NhsIncomplete {
        digits: usize,
    },
    NhsInvalid(NhsNumberError),
    Nhs(NhsNumber),
    Name {
        words: String,
        dob: Option<NaiveDate>,
    },
}

/// Read the search text: digits and spaces mean an NHS number; otherwise name words,
/// with any word that is a date taken as the date of birth.
pub fn read_query(text: &str) -> Query {
    let t = text.trim();
    if t.is_empty() {
        return Query::Empty;
    }
    if t.chars().all(|c| c.is_ascii_digit() || c == ' ' || c == '-') {
        let digits = t.chars().filter(char::is_ascii_digit).count();
        if digits < 10 {
            return Query::NhsIncomplete { digits };
        }
        return match NhsNumber::parse(t) {
            Ok(n) => Query::Nhs(n),
            Err(e) => Query::NhsInvalid(e),
        };
    }
    let mut dob = None;
    let mut words = Vec::new();
    for w in t.split_whitespace() {
        match parse_date(w) {
            Some(d) if dob.is_none() => dob = Some(d),
            _ => words.push(w),
        }
    }
    Query::Name {
        words: words.join(" "),
        dob,
    }
}

/// Seconds of no typing before a name search runs (Enter runs it at once).
const NAME_SEARCH_DELAY: f64 = 0.3;

#[derive(Default)]
pub struct SearchView {
    pub text: String,
    /// The query most recently sent, so each is sent once.
    sent: Option<Query>,
    last_edit: f64,
    selected: usize,
    request_focus: bool,
}

impl SearchView {
    pub fn focus(&mut self) {
        self.request_focus = true;
    }

    /// `results` are for the latest query; `recent` are recently opened people.
    #[must_use]
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        ctx: &ViewContext,
        results: Option<&[PersonSummary]>,
        recent: &[PersonSummary],
    ) -> Vec<Command> {
        let mut commands = Vec::new();
        ui.heading("Find a person");
        ui.label("Type an NHS number, or a name (add a date of birth to narrow it down).");
        ui.add_space(4.0);
        let edit = egui::TextEdit::singleline(&mut self.text)
            .hint_text("999 000 0026, or Okafor, or Margaret Okafor 14/02/1942")
            .desired_width(420.0);
        let label = ui.label("Search by NHS number or name");
        let response = ui.add(edit).labelled_by(label.id);
        if self.request_focus {
            response.request_focus();
            self.request_focus = false;
        }
        let now = ui.input(|i| i.time);
        if response.changed() {
            // Reformat an NHS number as it is typed: 3-3-4.
            if self.text.chars().all(|c| c.is_ascii_digit() || c == ' ') && !self.text.trim().is_empty() {
                let formatted = format_as_typed(&self.text);
                if formatted != self.text {
                    self.text = formatted;
                    if let Some(mut state) = egui::TextEdit::load_state(ui.ctx(), response.id) {
                        let end = egui::text::CCursor::new(self.text.chars().count());
                        state.cursor.set_char_range(Some(egui::text::CCursorRange::one(end)));
                        state.store(ui.ctx(), response.id);
                    }
                }
            }
            self.last_edit = now;
            self.selected = 0;
        }
        let query = read_query(&self.text);
        let entered = response.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter));
        feedback_ui(ui, &query);
        let rows: &[PersonSummary] = match (&query, results) {
            (Query::Empty, _) => &[],
            (_, Some(r)) => &r[..r.len().min(SEARCH_LIMIT)],
            _ => &[],
        };
        // Keyboard: arrows move through results, Enter opens.
        if response.has_focus() || entered {
            let (down, up) = ui.input(|i| (i.key_pressed(Key::ArrowDown), i.key_pressed(Key::ArrowUp)));
            if down && self.selected + 1 < rows.len() {
                self.selected += 1;
            }
            if up {
                self.selected = self.selected.saturating_sub(1);
            }
        }
        let refused = matches!(&query, Query::Nhs(n) if ctx.is_training && !n.is_test_range());
        if refused {
            ui.label(
                RichText::new("Training mode: only NHS numbers from 999 000 0000 to 999 999 9999 can be searched.")
                    .color(theme::of(ui).danger),
            );
        }
        match &query {
            Query::Nhs(n) if !refused && self.sent.as_ref() != Some(&query) => {
                commands.push(Command::FindNhs(*n));
                self.sent = Some(query.clone());
            }
            Query::Name { words, dob } => {
                let due = entered || now - self.last_edit >= NAME_SEARCH_DELAY;
                if self.sent.as_ref() != Some(&query) && (!words.is_empty() || dob.is_some()) {
                    if due {
                        commands.push(Command::SearchName {
                            text: words.clone(),
                            dob: *dob,
                        });
                        self.sent = Some(query.clone());
                    } else {
                        ui.ctx()
                            .request_repaint_after(std::time::Duration::from_secs_f64(NAME_SEARCH_DELAY));
                    }
                }
            }
            _ => {}
        }
        if entered
            && self.sent.as_ref() == Some(&query)
            && let Some(p) = rows.get(self.selected)
        {
            commands.push(Command::OpenPerson(p.id));
        }
        ui.add_space(8.0);
        if matches!(query, Query::Empty) {
            ui.label(RichText::new("Recently opened").strong());
            if recent.is_empty() {
                ui.label("Nobody yet. People you open appear here.");
            } else if let Some(id) = people_table(ui, "recent", ctx, recent, None) {
                commands.push(Command::OpenPerson(id));
            }
        } else if let Some(r) = results.filter(|_| self.sent.as_ref() == Some(&query)) {
            if r.is_empty() {
                ui.label("No one matches.");
            } else {
                let shown = &r[..r.len().min(SEARCH_LIMIT)];
                if r.len() > SEARCH_LIMIT {
                    ui.label(
                        RichText::new(format!(
                            "More than {SEARCH_LIMIT} match; the first {SEARCH_LIMIT} are shown. Add more of the name or a date of birth to narrow it down."
                        ))
                        .strong(),
                    );
                } else {
                    ui.label(RichText::new(format!("{} found", r.len())).strong());
                }
                if let Some(id) = people_table(ui, "results", ctx, shown, Some(self.selected)) {
                    commands.push(Command::OpenPerson(id));
                }
            }
        }
        commands
    }
}

fn feedback_ui(ui: &mut egui::Ui, query: &Query) {
    let (text, color) = match query {
        Query::Empty | Query::Name { .. } => return,
        Query::NhsIncomplete { digits } => (
            format!("NHS number: {digits} of 10 digits"),
            ui.visuals().weak_text_color(),
        ),
        Query::NhsInvalid(e) => (format!("Not a valid NHS number: {e}"), theme::of(ui).danger),
        Query::Nhs(n) => (format!("Valid NHS number {n}"), theme::of(ui).ok),
    };
    ui.label(RichText::new(text).color(color));
}

/// A table of people; returns the id of the one clicked.
fn people_table(
    ui: &mut egui::Ui,
    salt: &str,
    ctx: &ViewContext,
    people: &[PersonSummary],
    selected: Option<usize>,
) -> Option<i64> {
    let mut opened = None;
    TableBuilder::new(ui)
        .id_salt(salt)
        .striped(true)
        .column(Column::auto().at_least(200.0))
        .column(Column::auto().at_least(110.0))
        .column(Column::auto().at_least(150.0))
        .column(Column::auto().at_least(60.0))
        .column(Column::auto().at_least(200.0))
        .column(Column::remainder())
        .header(20.0, |mut h| {
            for title in [
                "Name",
                "NHS number",
                "Date of birth (age)",
                "Sex",
                "Address",
                "GP practice",
            ] {
                h.col(|ui| {
                    ui.strong(title);
                });
            }
        })
        .body(|body| {
            body.rows(22.0, people.len(), |mut row| {
                let i = row.index();
                let p = &people[i];
                let is_selected = selected == Some(i);
                row.set_selected(is_selected);
                // On the selected row's fill, text takes the selection's own colour
                // (a link's blue would vanish on NHS Blue).
                let on_row = |t: RichText, ui: &egui::Ui| match is_selected {
                    true => t.color(ui.visuals().selection.stroke.color),
                    false => t,
                };
                row.col(|ui| {
                    ui.horizontal(|ui| {
                        if ui
                            .add(egui::Link::new(on_row(RichText::new(p.display_name()), ui)))
                            .clicked()
                        {
                            opened = Some(p.id);
                        }
                        let markers = markers(p);
                        if !markers.is_empty() {
                            ui.label(on_row(RichText::new(markers.join(" · ")).small().strong(), ui));
                        }
                    });
                });
                row.col(|ui| {
                    ui.label(p.nhs_number.map(|n| n.to_string()).unwrap_or_else(|| "none".into()));
                });
                row.col(|ui| {
                    ui.label(match p.date_of_birth {
                        Some(d) => format!("{} ({})", fmt_date(d), age_on(d, p.date_of_death.unwrap_or(ctx.today))),
                        None => "not recorded".into(),
                    });
                });
                row.col(|ui| {
                    ui.label(p.sex.label());
                });
                row.col(|ui| {
                    let address = address_text(p);
                    ui.add(egui::Label::new(address.as_str()).truncate())
                        .on_hover_text(address.as_str());
                });
                row.col(|ui| {
                    ui.label(p.gp_practice.as_deref().unwrap_or(""));
                });
            });
        });
    opened
}

/// The markers a result row carries, in words.
pub fn markers(p: &PersonSummary) -> Vec<&'static str> {
    let mut out = Vec::new();
    if p.in_hospital {
        out.push("in hospital");
    }
    if p.date_of_death.is_some() {
        out.push("deceased");
    }
    if p.is_restricted {
        out.push("restricted");
    }
    if p.similar_name {
        out.push("similar name");
    }
    out
}

/// Address and postcode on one line; a restricted person's are held back before
/// they reach a list (`store::query`), and the row says so.
fn address_text(p: &PersonSummary) -> String {
    if p.is_restricted {
        return "held back (restricted)".into();
    }
    [p.address.as_deref(), p.postcode.as_deref()]
        .into_iter()
        .flatten()
        .filter(|s| !s.trim().is_empty())
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_reading() {
        assert_eq!(read_query("  "), Query::Empty);
        assert_eq!(read_query("999 000"), Query::NhsIncomplete { digits: 6 });
        assert_eq!(
            read_query("999 000 0018"),
            Query::Nhs(NhsNumber::parse("9990000018").unwrap())
        );
        assert!(matches!(read_query("9876544321"), Query::NhsInvalid(_)));
        assert_eq!(
            read_query("okafor"),
            Query::Name {
                words: "okafor".into(),
                dob: None
            }
        );
        assert_eq!(
            read_query("Margaret Okafor 14/02/1942"),
            Query::Name {
                words: "Margaret Okafor".into(),
                dob: NaiveDate::from_ymd_opt(1942, 2, 14)
            }
        );
    }
}
