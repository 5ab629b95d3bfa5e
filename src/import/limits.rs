//! Limits on the text an import may carry, checked once for every format.
//!
//! Every parsed batch (or each part of a file parsed in parts) passes through
//! [`Limits::check`] before it reaches the store, whatever its format: a text field
//! longer than its limit, or holding a NUL byte, rejects the row (episode, care plan
//! version or person) it is in, with the file, the row's line or reference, the
//! field and the reason. A rejected person takes their items with them. Without
//! this a 200 MB first name was stored, and printed on every screen that names them.
//!
//! | text | limit |
//! |---|---|
//! | names, identifiers, codes, addresses and every other short field | [`SHORT_TEXT_MAX`] (10,000 characters) |
//! | free text: an episode's detail, a plan's goals, needs and actions, CHC evidence and notes, delay reasons, next actions | [`LONG_TEXT_MAX`] (100,000 characters) |
//! | a NUL byte (`\0`) | none allowed in any field |
//!
//! Notes and rejections are cut to [`REPORT_TEXT_MAX`] characters, as importers
//! quote the values they refuse.

use std::collections::{HashMap, HashSet};

use super::Rejection;
use crate::domain::batch::{CarePlanEntry, EpisodeEntry, ImportBatch, PersonEntry, PersonKey};

/// The longest name or other short text field, in characters.
pub const SHORT_TEXT_MAX: usize = 10_000;
/// The longest free text field (detail, goals, notes), in characters.
pub const LONG_TEXT_MAX: usize = 100_000;
/// The longest note or rejection text shown to the user, in characters.
pub const REPORT_TEXT_MAX: usize = 2_000;

/// What is wrong with a text value, if anything.
fn problem(value: &str, max: usize) -> Option<String> {
    if value.contains('\0') {
        return Some("contains a NUL byte, which no text may hold".into());
    }
    // Bytes first: a string no longer in bytes than the limit is within it.
    if value.len() > max {
        let n = value.chars().count();
        if n > max {
            return Some(format!("is {n} characters long; the limit is {max}"));
        }
    }
    None
}

/// The first problem among the fields visited: (field, reason).
#[derive(Default)]
struct Check(Option<(String, String)>);

impl Check {
    fn text(&mut self, field: &str, value: &str, max: usize) {
        if self.0.is_none()
            && let Some(reason) = problem(value, max)
        {
            self.0 = Some((clip(field, 100), reason));
        }
    }
    fn short(&mut self, field: &str, value: &str) {
        self.text(field, value, SHORT_TEXT_MAX);
    }
    fn long(&mut self, field: &str, value: &str) {
        self.text(field, value, LONG_TEXT_MAX);
    }
    fn short_opt(&mut self, field: &str, value: &Option<String>) {
        self.short(field, value.as_deref().unwrap_or(""));
    }
    fn long_opt(&mut self, field: &str, value: &Option<String>) {
        self.long(field, value.as_deref().unwrap_or(""));
    }
    fn key(&mut self, key: &PersonKey) {
        if let PersonKey::Local(l) = key {
            self.short("person's local id", &l.id);
            self.short("person's local id source", &l.source);
        }
    }
}

fn person_problem(p: &PersonEntry) -> Option<(String, String)> {
    let mut c = Check::default();
    let d = &p.demographics;
    c.key(&p.key);
    c.short("given name", &d.given_name);
    c.short("family name", &d.family_name);
    c.short_opt("address", &d.address);
    c.short_opt("postcode", &d.postcode);
    c.short_opt("GP practice", &d.gp_practice);
    c.short_opt("allocated worker", &d.allocated_worker);
    c.short("source", &p.source);
    for l in &p.local_ids {
        c.short("local id", &l.id);
        c.short("local id source", &l.source);
    }
    for a in &p.alerts {
        c.long("alert", a);
    }
    c.0
}

fn episode_problem(entry: &EpisodeEntry) -> Option<(String, String)> {
    let mut c = Check::default();
    let e = &entry.episode;
    c.key(&entry.person);
    c.short("title", &e.title);
    c.short_opt("organisation", &e.organisation);
    c.long("detail", &e.detail);
    c.short("source", &e.provenance.source);
    c.short("source reference", &e.provenance.source_ref);
    if let Some(s) = &entry.spell {
        c.short("hospital", &s.hospital);
        for (field, value) in [
            ("ward", &s.ward),
            ("admission method", &s.admission_method),
            ("admission source", &s.admission_source),
            ("discharge method", &s.discharge_method),
            ("discharge destination", &s.discharge_destination),
            ("criteria to reside code", &s.criteria_to_reside_code),
            ("next action owner", &s.next_action_owner),
        ] {
            c.short_opt(field, value);
        }
        c.long_opt("next action", &s.next_action);
        for r in &s.delay_reasons {
            c.short("delay reason code", &r.code);
            c.long("delay reason", &r.description);
            c.short_opt("delay reason owner", &r.owner);
        }
        for r in &s.ctr_reviews {
            c.short_opt("criteria to reside code", &r.code);
        }
    }
    if let Some(a) = &entry.chc {
        c.short_opt("completed by", &a.completed_by);
        c.long_opt("MDT recommendation", &a.mdt_recommendation);
        c.long_opt(
            "ICB decision note",
            &a.icb_decision.as_ref().and_then(|d| d.note.clone()),
        );
        c.short_opt(
            "ICB decision maker",
            &a.icb_decision.as_ref().and_then(|d| d.decided_by.clone()),
        );
        for (_, level) in &a.domains {
            c.short("domain level", level);
        }
        for (_, note) in &a.evidence {
            c.long("evidence", note);
        }
    }
    for (k, v) in &e.attributes {
        c.short("attribute name", k);
        c.short(k, v);
    }
    c.0
}

fn care_plan_problem(entry: &CarePlanEntry) -> Option<(String, String)> {
    let mut c = Check::default();
    let p = &entry.plan;
    c.key(&entry.person);
    c.short("plan reference", &entry.plan_ref);
    c.short("title", &p.title);
    c.short("owner", &p.owner);
    c.short("status", &p.status);
    c.short("source", &p.provenance.source);
    c.short_opt("recorded by", &p.recorded.by);
    c.short_opt("recorded organisation", &p.recorded.organisation);
    for g in &p.goals {
        c.long("goal", g);
    }
    for n in &p.needs {
        c.long("need", &n.description);
    }
    for a in &p.actions {
        c.long("action", &a.description);
        c.short_opt("responsible name", &a.responsible_name);
    }
    c.0
}

/// `text` cut to `max` characters.
fn clip(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((at, _)) => format!("{}...", &text[..at]),
        None => text.to_owned(),
    }
}

/// Where an episode came from, as the sending team would look for it.
fn episode_location(format: &str, e: &EpisodeEntry) -> String {
    let a = &e.episode.attributes;
    let source_ref = clip(&e.episode.provenance.source_ref, 200);
    match (a.get("source_lines"), a.get("last_message")) {
        (Some(lines), _) if lines.contains(' ') => format!("lines {}", clip(lines, 200)),
        (Some(line), _) => format!("line {}", clip(line, 200)),
        (None, Some(m)) => format!("visit {source_ref} (last message {})", clip(m, 200)),
        (None, None) if format == "cld_csv" => format!("event {source_ref}"),
        (None, None) => format!("ref {source_ref}"),
    }
}

fn person_label(key: &PersonKey) -> String {
    match key {
        PersonKey::Nhs(n) => format!("person with NHS number {n}"),
        PersonKey::Local(l) => format!("person {} ({})", clip(&l.id, 200), clip(&l.source, 200)),
    }
}

/// A rejected person's location and problem: where their first item was, and how
/// many items went with them.
fn with_items_left_out(
    key: &PersonKey,
    (field, reason): (String, String),
    left_out: Option<(usize, String)>,
) -> (String, (String, String)) {
    match left_out {
        Some((n, location)) => {
            let items = if n == 1 {
                "its 1 item is".to_owned()
            } else {
                format!("its {n} items are")
            };
            (location, (field, format!("{reason} ({items} left out too)")))
        }
        None => (person_label(key), (field, reason)),
    }
}

/// The limits check for one file, kept across its parts: a person rejected in one
/// part takes their items in later parts with them.
#[derive(Default)]
pub struct Limits {
    rejected_people: HashSet<PersonKey>,
}

impl Limits {
    /// Take out of `part` every row with a text field over its limit or holding a
    /// NUL, and every item of a person so taken out; the rejections say why.
    pub fn check(&mut self, part: &mut ImportBatch) -> Vec<Rejection> {
        let reject = |location: String, (field, reason): (String, String)| Rejection {
            file: part.file_name.clone(),
            location,
            field,
            reason,
        };
        let mut bad_people = Vec::new();
        part.people.retain(|p| match person_problem(p) {
            Some(problem) => {
                self.rejected_people.insert(p.key.clone());
                bad_people.push((p.key.clone(), problem));
                false
            }
            None => true,
        });
        // Items left out with their person: how many, and where the first was.
        let mut left_out: HashMap<PersonKey, (usize, String)> = HashMap::new();
        let mut items = Vec::new();
        let format = part.format.as_str();
        part.episodes.retain(|e| {
            if self.rejected_people.contains(&e.person) {
                let first = left_out
                    .entry(e.person.clone())
                    .or_insert_with(|| (0, episode_location(format, e)));
                first.0 += 1;
                return false;
            }
            let problem = episode_problem(e);
            problem
                .map(|p| items.push(reject(episode_location(format, e), p)))
                .is_none()
        });
        part.care_plans.retain(|c| {
            let location = || format!("care plan {}", clip(&c.plan_ref, 200));
            if self.rejected_people.contains(&c.person) {
                left_out.entry(c.person.clone()).or_insert_with(|| (0, location())).0 += 1;
                return false;
            }
            care_plan_problem(c)
                .map(|p| items.push(reject(location(), p)))
                .is_none()
        });
        let mut found: Vec<Rejection> = bad_people
            .into_iter()
            .map(|(key, problem)| {
                let (location, problem) = with_items_left_out(&key, problem, left_out.remove(&key));
                reject(location, problem)
            })
            .collect();
        found.append(&mut items);
        found
    }
}

/// Notes and rejections cut to [`REPORT_TEXT_MAX`] characters each.
pub fn clip_report(notes: &mut [String], rejections: &mut [Rejection]) {
    let cut = |s: &mut String| {
        if s.len() > REPORT_TEXT_MAX {
            *s = clip(s, REPORT_TEXT_MAX);
        }
    };
    notes.iter_mut().for_each(cut);
    for r in rejections {
        for s in [&mut r.file, &mut r.location, &mut r.field, &mut r.reason] {
            cut(s);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_count_characters_not_bytes() {
        assert_eq!(problem(&"é".repeat(SHORT_TEXT_MAX), SHORT_TEXT_MAX), None);
        assert_eq!(
            problem(&"é".repeat(SHORT_TEXT_MAX + 1), SHORT_TEXT_MAX).as_deref(),
            Some("is 10001 characters long; the limit is 10000")
        );
        assert!(problem("a\0b", SHORT_TEXT_MAX).is_some());
        assert_eq!(clip("abcdef", 3), "abc...");
        let mut notes = vec!["x".repeat(5_000)];
        clip_report(&mut notes, &mut []);
        assert_eq!(notes[0].chars().count(), REPORT_TEXT_MAX + 3);
    }
}
