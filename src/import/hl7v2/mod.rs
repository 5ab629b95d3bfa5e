//! HL7 v2 ADT messages (v2.3 to v2.5, NHS ITK). A file may hold many messages, which
//! are applied in order so that a cancel undoes what it cancels. The events and what
//! each does are listed in `events`. Messages that are not ADT (an ORU, say), ADT
//! events not mapped, and A29 (delete person: never applied, no one created) are
//! skipped and counted, never rejected: one such message never rejects a file.
//! File import and the live feed (`service::feed`) share this reader.
//!
//! The reader is split along its seams: `events` (one handler per kind of event),
//! `split` (text into messages and segments,
//! headers glued to a segment), `identity` (PID: the NHS number only when labelled
//! as one, local ids, demographics), `visit` (PV1: the spell a visit's messages
//! build, its admission and discharge times) and `timestamps` (HL7 date-times, with
//! offsets converted to UK local time); `errors` gives a live feed's ACK the HL7
//! error condition and location of a reason. A message is read whole before anything of
//! it is kept, so a rejected message changes nothing.

pub mod errors;
mod events;
mod header;
mod identity;
mod split;
mod timestamps;
mod visit;

pub use errors::{Condition, condition_of};
pub use header::Header;

use std::collections::{BTreeMap, HashMap};

use identity::Identity;
use visit::Visits;

use super::{ImportError, ImportOptions, Importer, Parsed, Rejection, Rejections, Source};
use crate::domain::Demographics;
use crate::domain::batch::{ImportBatch, PersonEntry, PersonKey};

/// The format's name, as its batches record it.
pub const NAME: &str = "hl7v2";

/// HL7 v2 ADT messages, a file of them or one from a feed.
pub struct Hl7v2;

impl Importer for Hl7v2 {
    fn name(&self) -> &'static str {
        NAME
    }

    fn sniff(&self, text: &str, _file_name: &str) -> bool {
        looks_like_hl7v2(text)
    }

    fn parse(&self, s: &Source) -> Result<Parsed, ImportError> {
        parse(s.file, s.sha256(), s.text, s.options)
    }
}

/// Does the text start with an HL7 v2 message header (after a BOM or an MLLP start byte)?
pub fn looks_like_hl7v2(text: &str) -> bool {
    text.trim_start_matches(['\u{feff}', '\u{b}'])
        .trim_start()
        .starts_with("MSH|")
}

/// One segment: its fields, split on `|` (MSH is numbered so MSH-9 is `fields[9]`).
pub(super) struct Segment<'a> {
    name: &'a str,
    fields: Vec<&'a str>,
}

impl<'a> Segment<'a> {
    fn parse(line: &'a str) -> Self {
        let mut fields: Vec<&str> = line.split('|').collect();
        let name = fields.first().copied().unwrap_or("");
        if name == "MSH" {
            // MSH-1 is the field separator itself.
            fields.insert(1, "|");
        }
        Self { name, fields }
    }

    fn field(&self, n: usize) -> &'a str {
        self.fields.get(n).copied().unwrap_or("")
    }

    /// Component `c` (1-based) of the first repetition of field `n`.
    fn comp(&self, n: usize, c: usize) -> &'a str {
        component(self.field(n).split('~').next().unwrap_or(""), c)
    }
}

fn component(field: &str, c: usize) -> &str {
    field.split('^').nth(c.saturating_sub(1)).unwrap_or("").trim()
}

fn non_empty(s: &str) -> Option<String> {
    (!s.trim().is_empty()).then(|| s.trim().to_owned())
}

pub fn parse(file: &str, sha256: &str, text: &str, options: ImportOptions) -> Result<Parsed, ImportError> {
    let split = split::messages(text.trim_start_matches('\u{feff}'));
    let mut reader = Reader {
        file,
        options,
        batch: ImportBatch {
            format: NAME.into(),
            file_name: file.into(),
            file_sha256: sha256.into(),
            rows_read: split.messages.len(),
            ..Default::default()
        },
        rejections: Rejections::new(file),
        people: HashMap::new(),
        visits: Visits::default(),
        skipped: BTreeMap::new(),
    };
    if split.glued > 0 {
        reader.batch.notes.push(format!(
            "{} messages began inside the segment before them (no segment separator before MSH); they were read as separate messages",
            split.glued
        ));
    }
    for (i, lines) in split.messages.iter().enumerate() {
        let location = format!("message {}", i + 1);
        if let Err(r) = reader.message(&location, lines) {
            reader.rejections.push(r);
        }
    }
    Ok(reader.finish())
}

/// What the file's messages have built so far.
struct Reader<'a> {
    file: &'a str,
    options: ImportOptions,
    batch: ImportBatch,
    rejections: Rejections,
    /// Each person's position in `batch.people`, by key.
    people: HashMap<PersonKey, usize>,
    visits: Visits,
    skipped: BTreeMap<String, usize>,
}

impl Reader<'_> {
    /// Read one message whole, then keep what it says; a rejection keeps nothing.
    fn message(&mut self, location: &str, lines: &[String]) -> Result<(), Rejection> {
        let file = self.file;
        let segments: Vec<Segment> = lines.iter().map(|l| Segment::parse(l)).collect();
        let msh = segments.iter().find(|s| s.name == "MSH");
        let msh = msh.ok_or_else(|| Rejection::new(file, location, "MSH", "the message has no MSH header"))?;
        let Some(event) = self.mapped_event(msh, location) else {
            return Ok(());
        };
        let facility = non_empty(msh.comp(4, 1)).unwrap_or_else(|| "hospital".into());
        let cx = events::Context {
            location,
            event,
            source: format!("HL7 ADT ({facility})"),
            message_ref: Some(msh.field(10).trim()).filter(|c| !c.is_empty()).unwrap_or(location),
            facility,
        };
        match events::Kind::of(event) {
            events::Kind::Visit => self.visit_event(&cx, &segments),
            events::Kind::Person => self.person_event(&cx, &segments),
            events::Kind::Merge => self.merge_event(&cx, &segments),
            events::Kind::SwapBeds => self.swap_beds(&cx, &segments),
        }
    }

    /// The ADT event of a message this reader maps; other messages are counted as
    /// skipped, by type (A29 delete person, A44/A45 move account or visit: each with a
    /// note of why).
    fn mapped_event<'s>(&mut self, msh: &Segment<'s>, location: &str) -> Option<&'s str> {
        let (message_type, event) = (msh.comp(9, 1), msh.comp(9, 2));
        let skipped = match message_type {
            "ADT" if events::Kind::is_mapped(event) => return Some(event),
            "ADT" if events::not_applied(event).is_some() => {
                let why = events::not_applied(event).unwrap_or_default();
                self.batch.notes.push(format!("{location}: {why}"));
                format!("ADT^{event}")
            }
            "ADT" => format!("ADT^{event}"),
            "" => "unknown".to_owned(),
            other => other.to_owned(),
        };
        *self.skipped.entry(skipped).or_default() += 1;
        None
    }

    /// A later message about the same person adds ids and replaces what an earlier
    /// one said, field by field.
    fn add_person(&mut self, key: &PersonKey, identity: Identity, source: &str, demographics: Demographics) {
        if let Some(&i) = self.people.get(key) {
            let existing = &mut self.batch.people[i];
            for l in identity.local_ids {
                if !existing.local_ids.contains(&l) {
                    existing.local_ids.push(l);
                }
            }
            identity::merge_demographics(&mut existing.demographics, demographics);
            return;
        }
        self.people.insert(key.clone(), self.batch.people.len());
        self.batch.people.push(PersonEntry {
            key: key.clone(),
            nhs_number: identity.nhs,
            local_ids: identity.local_ids,
            source: source.to_owned(),
            demographics,
            alerts: vec![],
            is_restricted: false,
        });
    }

    fn finish(mut self) -> Parsed {
        self.batch.episodes = self.visits.into_entries();
        if !self.skipped.is_empty() {
            let list: Vec<String> = self.skipped.iter().map(|(k, v)| format!("{v} {k}")).collect();
            self.batch
                .notes
                .push(format!("skipped (not ADT or not mapped): {}", list.join(", ")));
        }
        self.rejections.into_parsed(self.batch)
    }
}

/// The SHA-256 (hex) of an HL7 v2 message's content: its type (MSH-9) and every
/// segment after the MSH, line endings folded. The rest of the MSH (its time,
/// MSH-7) may differ in a resend of the same message.
pub fn content_sha256(text: &str) -> String {
    let text = text.trim_start_matches('\u{feff}');
    let mut segments = text.split(['\r', '\n']).filter(|s| !s.trim().is_empty());
    let msh = segments.next().unwrap_or("");
    let separator = msh.chars().nth(3).unwrap_or('|');
    let message_type = msh.split(separator).nth(8).unwrap_or("");
    let mut content = String::from(message_type);
    for s in segments {
        content.push('\r');
        content.push_str(s);
    }
    crate::import::sha256_hex(content.as_bytes())
}

#[cfg(test)]
mod tests;
