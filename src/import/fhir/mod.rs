//! FHIR R4 JSON (UK Core): a Bundle of any type, or a single resource.
//!
//! This module maps Patient (identity and demographics), EpisodeOfCare (a period
//! of care), Encounter (an episode,
//! its class choosing the kind; admission method and discharge destination from
//! `hospitalization`), Flag (an alert on the banner) and CarePlan (with Goal where
//! the bundle holds it), Condition and QuestionnaireResponse (`clinical.rs`), and
//! counts every other resource type as skipped, not as an error. References are resolved inside the bundle by `fullUrl` (including
//! `urn:uuid:`) and by `Type/id`; a subject given only as an identifier is matched by
//! its NHS number. An NHS number is taken only from the system
//! `https://fhir.nhs.uk/Id/nhs-number` and only when its check digit is right;
//! otherwise the patient is kept under its local identifier, waiting to be matched.

mod care_plan;
mod clinical;
mod encounters;
mod patient;
mod security;
mod social_care;
pub mod write;

use std::collections::{BTreeMap, HashMap};

use serde_json::Value;

use super::{ImportError, ImportOptions, Importer, Parsed, Rejections, Source};
use crate::domain::batch::{ImportBatch, PersonEntry, PersonKey};
use crate::domain::dates::parse_date;
use crate::domain::{Demographics, LocalId, NhsNumber, Sex};

pub const NHS_NUMBER_SYSTEM: &str = "https://fhir.nhs.uk/Id/nhs-number";
/// The format's name, as its batches record it.
pub const NAME: &str = "fhir";

/// FHIR R4 JSON: a Bundle or a single resource.
pub struct Fhir;

impl Importer for Fhir {
    fn name(&self) -> &'static str {
        NAME
    }

    fn sniff(&self, text: &str, _file_name: &str) -> bool {
        // JSON keys may come in any order, so look through the whole text for the marker.
        looks_like_fhir(super::importer::body(text))
    }

    fn parse(&self, s: &Source) -> Result<Parsed, ImportError> {
        parse(s.file, s.sha256(), s.text, s.options)
    }
}
/// The source name for identities and plans read from FHIR files.
pub const SOURCE: &str = "FHIR";

/// Is this text a FHIR resource or bundle (and not a joined-up bundle)?
pub fn looks_like_fhir(head: &str) -> bool {
    head.starts_with('{') && head.contains("\"resourceType\"")
}

fn s<'a>(v: &'a Value, path: &[&str]) -> Option<&'a str> {
    let mut cur = v;
    for p in path {
        cur = match p.parse::<usize>() {
            Ok(i) => cur.get(i)?,
            Err(_) => cur.get(*p)?,
        };
    }
    cur.as_str().filter(|x| !x.trim().is_empty())
}

fn arr<'a>(v: &'a Value, key: &str) -> &'a [Value] {
    v.get(key).and_then(Value::as_array).map(Vec::as_slice).unwrap_or(&[])
}

/// The first display text a CodeableConcept or reference-like value offers.
fn display_of(v: &Value) -> Option<String> {
    s(v, &["display"])
        .or_else(|| s(v, &["text"]))
        .or_else(|| s(v, &["coding", "0", "display"]))
        .or_else(|| s(v, &["concept", "text"]))
        .or_else(|| s(v, &["concept", "coding", "0", "display"]))
        .map(str::to_owned)
}

struct Reader<'a> {
    options: ImportOptions,
    /// fullUrl or Type/id to resource.
    index: HashMap<String, &'a Value>,
    /// Patient key (fullUrl or Type/id) to the person key chosen for it.
    patients: HashMap<String, PersonKey>,
    batch: ImportBatch,
    rejections: Rejections,
    notes: Vec<String>,
    skipped: BTreeMap<String, usize>,
    /// Questionnaire canonical URL to its title, for the responses that name it.
    questionnaire_titles: HashMap<String, String>,
}

/// Parse and map a FHIR file.
pub fn parse(file: &str, sha256: &str, text: &str, options: ImportOptions) -> Result<Parsed, ImportError> {
    let root: Value = serde_json::from_str(text).map_err(|e| ImportError::Malformed {
        file: file.to_owned(),
        line: e.line(),
        column: e.column(),
        reason: e.to_string().split(" at line").next().unwrap_or_default().to_owned(),
    })?;
    let Some(kind) = s(&root, &["resourceType"]) else {
        return Err(ImportError::Invalid {
            file: file.into(),
            reason: "no resourceType: not a FHIR resource".into(),
        });
    };
    // (location, resource) pairs in file order.
    let mut resources: Vec<(String, Option<String>, &Value)> = Vec::new();
    if kind == "Bundle" {
        for (i, e) in arr(&root, "entry").iter().enumerate() {
            if let Some(r) = e.get("resource") {
                resources.push((format!("entry[{i}]"), s(e, &["fullUrl"]).map(str::to_owned), r));
            }
        }
    } else {
        resources.push((kind.to_owned(), None, &root));
    }
    let mut reader = Reader {
        options,
        index: HashMap::new(),
        patients: HashMap::new(),
        batch: ImportBatch {
            format: NAME.into(),
            file_name: file.to_owned(),
            file_sha256: sha256.to_owned(),
            rows_read: resources.len(),
            ..Default::default()
        },
        rejections: Rejections::new(file),
        notes: Vec::new(),
        skipped: BTreeMap::new(),
        questionnaire_titles: HashMap::new(),
    };
    for (_, full_url, r) in &resources {
        for key in keys_of(full_url.as_deref(), r) {
            reader.index.insert(key, r);
        }
        if s(r, &["resourceType"]) == Some("Questionnaire")
            && let (Some(url), Some(title)) = (s(r, &["url"]), s(r, &["title"]).or_else(|| s(r, &["name"])))
        {
            reader.questionnaire_titles.insert(url.to_owned(), title.to_owned());
        }
    }
    // Patients first, so plans can refer to them whatever the order.
    for (loc, full_url, r) in &resources {
        if s(r, &["resourceType"]) == Some("Patient") {
            reader.patient(loc, full_url.as_deref(), r);
            if security::read(r).0 {
                reader.restrict_patient(full_url.as_deref(), r);
            }
        }
    }
    for (loc, full_url, r) in &resources {
        let (episodes, plans) = (reader.batch.episodes.len(), reader.batch.care_plans.len());
        match s(r, &["resourceType"]).unwrap_or("(none)") {
            "Patient" => {}
            "CarePlan" => reader.care_plan(loc, full_url.as_deref(), r),
            "Encounter" => reader.encounter(loc, full_url.as_deref(), r),
            "EpisodeOfCare" => reader.episode_of_care(loc, full_url.as_deref(), r),
            "Flag" => {
                reader.flag(loc, r);
                // An alert its source marks restricted ("lives at a refuge") has no
                // placeholder of its own: the whole person is held back instead.
                if security::read(r).0
                    && let Some(person) = reader.person_of(r.get("subject"), loc)
                {
                    for p in &mut reader.batch.people {
                        if p.key == person {
                            p.is_restricted = true;
                        }
                    }
                }
            }
            "Task" => reader.task(loc, full_url.as_deref(), r),
            "ServiceRequest" | "ReferralRequest" => reader.service_request(loc, full_url.as_deref(), r),
            "Condition" => reader.condition(loc, full_url.as_deref(), r),
            "QuestionnaireResponse" => reader.questionnaire_response(loc, full_url.as_deref(), r),
            // Read through the responses that name them.
            "Questionnaire" => {}
            // Goals are read through the plans that refer to them.
            "Goal" => {}
            other => reader.skip(other),
        }
        // Restriction travels with the data: what this resource made keeps its labels.
        for e in &mut reader.batch.episodes[episodes..] {
            e.episode.sensitivity = security::sensitivity_of(r, e.episode.sensitivity);
        }
        for p in &mut reader.batch.care_plans[plans..] {
            p.plan.sensitivity = security::sensitivity_of(r, p.plan.sensitivity);
        }
    }
    let mut parsed = reader.rejections.into_parsed(reader.batch);
    parsed.batch.rows_read = resources.len();
    let skipped: Vec<String> = reader.skipped.iter().map(|(k, v)| format!("{v} {k}")).collect();
    if !skipped.is_empty() {
        reader
            .notes
            .push(format!("skipped (not mapped): {}", skipped.join(", ")));
    }
    parsed.batch.notes = reader.notes;
    Ok(parsed)
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

fn keys_of(full_url: Option<&str>, r: &Value) -> Vec<String> {
    let mut keys = Vec::new();
    if let Some(u) = full_url {
        keys.push(u.to_owned());
    }
    if let (Some(t), Some(id)) = (s(r, &["resourceType"]), s(r, &["id"])) {
        keys.push(format!("{t}/{id}"));
    }
    keys
}

impl Reader<'_> {
    fn reject(&mut self, location: &str, field: &str, reason: impl Into<String>) {
        self.rejections.reject(location, field, reason);
    }

    /// A resource not mapped (or not a fact about the person), counted by kind in the
    /// file's notes.
    fn skip(&mut self, what: impl Into<String>) {
        *self.skipped.entry(what.into()).or_default() += 1;
    }

    /// An item from FHIR under its source reference (and, for a hospital stay, its
    /// spell). A later version of the same resource (a discharge, a correction, a
    /// resolved condition) updates the stored one.
    /// A Patient labelled restricted: the person it made is a restricted person.
    fn restrict_patient(&mut self, full_url: Option<&str>, r: &Value) {
        let keys: Vec<PersonKey> = keys_of(full_url, r)
            .iter()
            .filter_map(|k| self.patients.get(k).cloned())
            .collect();
        for p in &mut self.batch.people {
            if keys.contains(&p.key) {
                p.is_restricted = true;
            }
        }
    }

    fn push_item(
        &mut self,
        person: PersonKey,
        mut episode: crate::domain::Episode,
        source_ref: String,
        spell: Option<crate::domain::HospitalSpell>,
    ) {
        episode.provenance = crate::domain::Provenance {
            source: SOURCE.into(),
            source_ref,
            ..Default::default()
        };
        self.batch.episodes.push(crate::domain::batch::EpisodeEntry {
            person,
            episode,
            spell,
            chc: None,
            replaces_existing: true,
        });
    }

    /// The person `r`'s `field` (subject or patient) names; when there is none, a
    /// rejection saying so about the `what` (the encounter, the plan...).
    fn person_or_reject(&mut self, r: &Value, field: &str, what: &str, location: &str) -> Option<PersonKey> {
        let person = self.person_of(r.get(field), location);
        if person.is_none() {
            self.reject(
                location,
                field,
                format!("the {what}'s {field} has no valid NHS number and no Patient in this file"),
            );
        }
        person
    }

    /// The person a reference (subject, patient) names.
    fn person_of(&mut self, reference: Option<&Value>, location: &str) -> Option<PersonKey> {
        let reference = reference?;
        if let Some(key) = s(reference, &["reference"]).and_then(|r| self.patients.get(r)) {
            return Some(key.clone());
        }
        // One Identifier, as FHIR says; some senders give a list.
        let identifier = match reference.get("identifier") {
            Some(Value::Array(list)) => list.clone(),
            Some(one) => vec![one.clone()],
            None => Vec::new(),
        };
        self.nhs_number(&identifier, location).map(PersonKey::Nhs)
    }

    /// The source's reference for a resource: its first identifier, `Type/id`, the
    /// bundle's `fullUrl`, or failing those the file and position.
    fn reference_of(&self, kind: &str, location: &str, full_url: Option<&str>, r: &Value) -> String {
        arr(r, "identifier")
            .first()
            .and_then(|i| s(i, &["value"]))
            .map(str::to_owned)
            .or_else(|| s(r, &["id"]).map(|id| format!("{kind}/{id}")))
            .or_else(|| full_url.map(str::to_owned))
            .unwrap_or_else(|| format!("{}#{location}", self.batch.file_sha256))
    }
}

#[cfg(test)]
mod care_plan_tests;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod write_tests;
