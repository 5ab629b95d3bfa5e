//! HL7 v2 ADT messages (v2.3 to v2.5, NHS ITK): A01, A02, A03, A04, A05, A08, A11,
//! A13, A28, A31, A40. Segments are split by CR or LF; a file may hold many messages,
//! which are applied in order so that a cancel undoes what it cancels. Messages that
//! are not ADT (an ORU, say) are skipped and counted.
//!
//! The NHS number comes from PID-3 when the identifier's assigning authority or
//! type says NHS (`^^^NHS^NH`, `^^^NHS^HN`, `^^^NHS`, `^^^NHSNBR^NHSNMBR`), or from
//! PID-2; it is used only when its check digit is right. Other PID-3 identifiers are
//! kept as the hospital's local ids.

use std::collections::BTreeMap;

use super::{ImportError, ImportOptions, Parsed, Rejection};
use crate::domain::batch::{EpisodeEntry, ImportBatch, PersonEntry, PersonKey};
use crate::domain::dates::parse_date_time;
use crate::domain::episode::attr;
use crate::domain::hospital::HospitalSpell;
use crate::domain::{
    Demographics, Episode, EpisodeKind, EpisodeStatus, LocalId, NhsNumber, Provenance, Sensitivity, Sex,
};

/// Does the text start with an HL7 v2 message header?
pub fn looks_like_hl7v2(text: &str) -> bool {
    text.trim_start_matches('\u{feff}').trim_start().starts_with("MSH|")
}

/// One segment: its fields, split on `|` (MSH is numbered so MSH-9 is `fields[9]`).
struct Segment<'a> {
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

/// The spell or contact a visit's messages build up, in message order.
struct Visit {
    key: PersonKey,
    entry: EpisodeEntry,
}

pub fn parse(file: &str, sha256: &str, text: &str, options: ImportOptions) -> Result<Parsed, ImportError> {
    let text = text.trim_start_matches('\u{feff}');
    // A line that does not start a segment (`ABC|`) continues the one before: some
    // files wrap long segments.
    let mut segments_text: Vec<String> = Vec::new();
    for line in text
        .split(['\r', '\n'])
        .map(str::trim_end)
        .filter(|l| !l.trim().is_empty())
    {
        let b = line.as_bytes();
        let starts_segment = b.len() >= 4
            && b[0].is_ascii_uppercase()
            && b[1..3].iter().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
            && b[3] == b'|';
        match segments_text.last_mut() {
            Some(last) if !starts_segment => last.push_str(line),
            _ => segments_text.push(line.to_owned()),
        }
    }
    // Messages: each starts at an MSH segment.
    let mut messages: Vec<Vec<&str>> = Vec::new();
    for line in &segments_text {
        if line.starts_with("MSH|") || messages.is_empty() {
            messages.push(Vec::new());
        }
        if let Some(m) = messages.last_mut() {
            m.push(line.as_str());
        }
    }
    let mut batch = ImportBatch {
        format: "hl7v2".into(),
        file_name: file.into(),
        file_sha256: sha256.into(),
        rows_read: messages.len(),
        ..Default::default()
    };
    let mut rejections = Vec::new();
    let mut people: Vec<PersonEntry> = Vec::new();
    let mut visits: BTreeMap<String, Visit> = BTreeMap::new();
    let mut visit_order: Vec<String> = Vec::new();
    let mut skipped: BTreeMap<String, usize> = BTreeMap::new();
    for (i, lines) in messages.iter().enumerate() {
        let segments: Vec<Segment> = lines.iter().map(|l| Segment::parse(l)).collect();
        let location = format!("message {}", i + 1);
        let Some(msh) = segments.iter().find(|s| s.name == "MSH") else {
            rejections.push(reject(file, &location, "MSH", "the message has no MSH header".into()));
            continue;
        };
        let message_type = msh.comp(9, 1);
        let event = msh.comp(9, 2);
        let control_id = msh.field(10).trim().to_owned();
        if message_type != "ADT" {
            *skipped
                .entry(if message_type.is_empty() {
                    "unknown".into()
                } else {
                    message_type.to_owned()
                })
                .or_default() += 1;
            continue;
        }
        let facility = non_empty(msh.comp(4, 1)).unwrap_or_else(|| "hospital".into());
        let source = format!("HL7 ADT ({facility})");
        let message_ref = if control_id.is_empty() {
            location.clone()
        } else {
            control_id.clone()
        };
        let Some(pid) = segments.iter().find(|s| s.name == "PID") else {
            rejections.push(reject(
                file,
                &location,
                "PID",
                format!("an ADT^{event} message needs a PID segment"),
            ));
            continue;
        };
        let mut notes = Vec::new();
        let (nhs, local_ids) = identifiers(pid, &facility, options, &location, &mut notes, &mut rejections, file);
        batch.notes.append(&mut notes);
        let key = match (nhs, local_ids.first()) {
            (Some(n), _) => PersonKey::Nhs(n),
            (None, Some(l)) => PersonKey::Local(l.clone()),
            (None, None) => {
                rejections.push(reject(
                    file,
                    &location,
                    "PID-3",
                    "no NHS number and no other patient identifier".into(),
                ));
                continue;
            }
        };
        let dob_text = pid.comp(7, 1);
        let date_of_birth = if dob_text.is_empty() {
            None
        } else {
            let d = parse_date_time(dob_text).map(|t| t.date());
            if d.is_none() {
                batch.notes.push(format!(
                    "{location}: date of birth {dob_text:?} is not a real date; left out"
                ));
            }
            d
        };
        let pd1 = segments.iter().find(|s| s.name == "PD1");
        let person = PersonEntry {
            key: key.clone(),
            nhs_number: nhs,
            local_ids: local_ids.clone(),
            source: source.clone(),
            demographics: Demographics {
                given_name: title_case(pid.comp(5, 2)),
                family_name: title_case(pid.comp(5, 1)),
                date_of_birth,
                date_of_death: parse_date_time(pid.comp(29, 1)).map(|t| t.date()),
                sex: match pid.comp(8, 1) {
                    "F" | "2" => Sex::Female,
                    "M" | "1" => Sex::Male,
                    "O" | "9" => Sex::Other,
                    _ => Sex::Unknown,
                },
                address: non_empty(
                    &[pid.comp(11, 1), pid.comp(11, 2), pid.comp(11, 3)]
                        .iter()
                        .filter(|p| !p.is_empty())
                        .map(|p| title_case(p))
                        .collect::<Vec<_>>()
                        .join(", "),
                ),
                postcode: non_empty(pid.comp(11, 5)),
                gp_practice: pd1.and_then(|p| match (non_empty(p.comp(3, 1)), non_empty(p.comp(3, 3))) {
                    (Some(n), Some(c)) => Some(format!("{} ({c})", title_case(&n))),
                    (Some(n), None) => Some(title_case(&n)),
                    (None, c) => c,
                }),
                allocated_worker: None,
            },
            alerts: vec![],
            is_restricted: false,
        };
        // A later message about the same person replaces what an earlier one said.
        match people.iter_mut().find(|p| p.key == key) {
            Some(existing) => {
                for l in &person.local_ids {
                    if !existing.local_ids.contains(l) {
                        existing.local_ids.push(l.clone());
                    }
                }
                merge_demographics(&mut existing.demographics, person.demographics);
            }
            None => people.push(person),
        }
        if event == "A40" {
            // Merge: the prior identifier (MRG-1) now names this person.
            if let Some(mrg) = segments.iter().find(|s| s.name == "MRG") {
                let prior = mrg.comp(1, 1);
                if !prior.is_empty() {
                    let prior_id = LocalId {
                        source: format!("HL7 patient id ({facility})"),
                        id: prior.to_owned(),
                    };
                    if let Some(p) = people.iter_mut().find(|p| p.key == key)
                        && !p.local_ids.contains(&prior_id)
                    {
                        p.local_ids.push(prior_id);
                    }
                    batch.notes.push(format!(
                        "{location}: merge: identifier {prior} now belongs to this person"
                    ));
                }
            }
            continue;
        }
        if matches!(event, "A28" | "A31") {
            continue; // demographics only
        }
        let Some(pv1) = segments.iter().find(|s| s.name == "PV1") else {
            if matches!(event, "A08") {
                continue;
            }
            rejections.push(reject(
                file,
                &location,
                "PV1",
                format!("an ADT^{event} message needs a PV1 segment"),
            ));
            continue;
        };
        let visit_number = non_empty(pv1.comp(19, 1));
        let admitted = parse_date_time(pv1.comp(44, 1));
        let discharged = parse_date_time(pv1.comp(45, 1));
        let event_time = segments
            .iter()
            .find(|s| s.name == "EVN")
            .and_then(|e| parse_date_time(e.comp(2, 1)))
            .or_else(|| parse_date_time(msh.comp(7, 1)));
        let visit_key = match &visit_number {
            Some(v) => format!("{facility}|{v}"),
            None => format!("{facility}|message {message_ref}"),
        };
        let patient_class = pv1.comp(2, 1);
        let ward = non_empty(pv1.comp(3, 2)).or_else(|| non_empty(pv1.comp(3, 1)));
        match event {
            "A01" | "A04" | "A05" | "A02" | "A03" | "A08" | "A11" | "A13" => {}
            other => {
                *skipped.entry(format!("ADT^{other}")).or_default() += 1;
                continue;
            }
        }
        if !visits.contains_key(&visit_key) {
            let Some(start) = admitted.or(event_time) else {
                rejections.push(reject(
                    file,
                    &location,
                    "PV1-44",
                    "no admission date and no event time".into(),
                ));
                continue;
            };
            let kind = match (event, patient_class) {
                (_, "E") => EpisodeKind::AeAttendance,
                ("A04", _) | (_, "O") => EpisodeKind::Outpatient,
                _ => EpisodeKind::InpatientSpell,
            };
            visit_order.push(visit_key.clone());
            visits.insert(
                visit_key.clone(),
                Visit {
                    key: key.clone(),
                    entry: EpisodeEntry {
                        person: key.clone(),
                        episode: Episode {
                            id: 0,
                            kind,
                            title: String::new(),
                            start,
                            end: None,
                            status: if event == "A05" {
                                EpisodeStatus::Planned
                            } else {
                                EpisodeStatus::Active
                            },
                            organisation: Some(facility.clone()),
                            detail: String::new(),
                            sensitivity: Sensitivity::Normal,
                            attributes: BTreeMap::new(),
                            provenance: Provenance {
                                source: source.clone(),
                                source_ref: visit_key.clone(),
                                ..Default::default()
                            },
                        },
                        spell: (kind == EpisodeKind::InpatientSpell).then(|| HospitalSpell {
                            hospital: facility.clone(),
                            admitted: Some(start),
                            ..Default::default()
                        }),
                        chc: None,
                        replaces_existing: true,
                    },
                },
            );
        }
        let Some(visit) = visits.get_mut(&visit_key) else {
            continue;
        };
        let e = &mut visit.entry.episode;
        e.attributes
            .insert("last_message".into(), format!("ADT^{event} {message_ref}"));
        if let Some(a) = admitted {
            e.start = a;
        }
        if let Some(m) = non_empty(pv1.comp(4, 1)) {
            e.attributes.insert(attr::ADMISSION_METHOD.into(), m);
        }
        if let Some(w) = &ward {
            e.attributes.insert("ward".into(), w.clone());
        }
        match event {
            "A01" | "A04" | "A08" => {
                if e.status == EpisodeStatus::Planned || e.status == EpisodeStatus::Cancelled {
                    e.status = EpisodeStatus::Active;
                }
                if let Some(d) = discharged {
                    e.end = Some(d);
                    e.status = EpisodeStatus::Ended;
                }
            }
            "A02" => {}
            "A03" => {
                e.end = discharged.or(event_time);
                e.status = EpisodeStatus::Ended;
                if let Some(m) = non_empty(pv1.comp(36, 1)) {
                    e.attributes.insert(attr::DISCHARGE_METHOD.into(), m);
                }
                if let Some(d) = non_empty(pv1.comp(37, 1)) {
                    e.attributes.insert(attr::DISCHARGE_DESTINATION.into(), d);
                }
            }
            "A11" => e.status = EpisodeStatus::Cancelled,
            "A13" => {
                e.end = None;
                e.status = EpisodeStatus::Active;
                e.attributes.remove(attr::DISCHARGE_METHOD);
                e.attributes.remove(attr::DISCHARGE_DESTINATION);
            }
            _ => {}
        }
        e.title = match (e.kind, e.status) {
            (EpisodeKind::InpatientSpell, EpisodeStatus::Cancelled) => format!("Admission to {facility} (cancelled)"),
            (EpisodeKind::InpatientSpell, EpisodeStatus::Planned) => format!("Planned admission to {facility}"),
            (EpisodeKind::InpatientSpell, _) => format!("Admission to {facility}"),
            (EpisodeKind::AeAttendance, _) => format!("A&E attendance at {facility}"),
            _ => format!("Outpatient attendance at {facility}"),
        };
        let (end, attributes) = (e.end, e.attributes.clone());
        if let Some(spell) = &mut visit.entry.spell {
            spell.admitted = Some(visit.entry.episode.start);
            spell.discharged = end;
            spell.ward = attributes.get("ward").cloned();
            spell.admission_method = attributes.get(attr::ADMISSION_METHOD).cloned();
            spell.admission_source = non_empty(pv1.comp(14, 1)).or(spell.admission_source.take());
            spell.discharge_method = attributes.get(attr::DISCHARGE_METHOD).cloned();
            spell.discharge_destination = attributes.get(attr::DISCHARGE_DESTINATION).cloned();
        }
        let _ = &visit.key;
    }
    batch.people = people;
    for k in visit_order {
        if let Some(v) = visits.remove(&k) {
            batch.episodes.push(v.entry);
        }
    }
    if !skipped.is_empty() {
        let list: Vec<String> = skipped.iter().map(|(k, v)| format!("{v} {k}")).collect();
        batch
            .notes
            .push(format!("skipped (not ADT or not mapped): {}", list.join(", ")));
    }
    batch.rows_rejected = rejections.len();
    Ok(Parsed { batch, rejections })
}

/// A later message's demographics replace the earlier ones field by field, where it
/// says something (an A03 with only a name does not erase the address).
fn merge_demographics(old: &mut Demographics, new: Demographics) {
    if !new.given_name.is_empty() {
        old.given_name = new.given_name;
    }
    if !new.family_name.is_empty() {
        old.family_name = new.family_name;
    }
    if new.sex != Sex::Unknown {
        old.sex = new.sex;
    }
    old.date_of_birth = new.date_of_birth.or(old.date_of_birth);
    old.date_of_death = new.date_of_death.or(old.date_of_death);
    old.address = new.address.or(old.address.take());
    old.postcode = new.postcode.or(old.postcode.take());
    old.gp_practice = new.gp_practice.or(old.gp_practice.take());
}

fn reject(file: &str, location: &str, field: &str, reason: String) -> Rejection {
    Rejection {
        file: file.into(),
        location: location.into(),
        field: field.into(),
        reason,
    }
}

/// `SMITH` -> `Smith`, `MALTON GP PRACTICE` -> `Malton Gp Practice`.
fn title_case(s: &str) -> String {
    s.split(' ')
        .map(|w| {
            let mut c = w.chars();
            match c.next() {
                Some(f) => f.to_uppercase().collect::<String>() + &c.as_str().to_lowercase(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The NHS number and the other identifiers in PID-3 (all repetitions) and PID-2.
fn identifiers(
    pid: &Segment,
    facility: &str,
    options: ImportOptions,
    location: &str,
    notes: &mut Vec<String>,
    rejections: &mut Vec<Rejection>,
    file: &str,
) -> (Option<NhsNumber>, Vec<LocalId>) {
    let mut nhs = None;
    let mut local = Vec::new();
    let mut candidates: Vec<(&str, bool)> = Vec::new();
    for rep in pid.field(3).split('~').filter(|r| !r.is_empty()) {
        let id = component(rep, 1);
        let authority = component(rep, 4).to_uppercase();
        let kind = component(rep, 5).to_uppercase();
        let is_nhs = authority.starts_with("NHS") || matches!(kind.as_str(), "NH" | "NHSNMBR");
        candidates.push((id, is_nhs));
    }
    // PID-2 (patient id, external) carries the NHS number in some feeds.
    let pid2 = pid.comp(2, 1);
    if !pid2.is_empty() {
        candidates.push((pid2, true));
    }
    for (id, is_nhs) in candidates {
        if id.is_empty() {
            continue;
        }
        if is_nhs {
            match NhsNumber::parse(id) {
                Ok(n) if options.test_range_only && !n.is_test_range() => rejections.push(reject(
                    file,
                    location,
                    "PID-3",
                    "training mode accepts only NHS numbers in the test range 999 000 0000 to 999 999 9999".into(),
                )),
                Ok(n) => {
                    nhs.get_or_insert(n);
                }
                Err(e) => notes.push(format!(
                    "{location}: NHS number {id:?} is not valid ({e}), so it is not used"
                )),
            }
        } else {
            local.push(LocalId {
                source: format!("HL7 patient id ({facility})"),
                id: id.to_owned(),
            });
        }
    }
    (nhs, local)
}

#[cfg(test)]
mod tests;
