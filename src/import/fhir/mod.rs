//! FHIR R4 JSON (UK Core): a Bundle of any type, or a single resource.
//!
//! This module maps Patient (identity and demographics) and CarePlan (with Goal
//! where the bundle holds it) and counts every other resource type as skipped, not
//! as an error. References are resolved inside the bundle by `fullUrl` (including
//! `urn:uuid:`) and by `Type/id`; a subject given only as an identifier is matched by
//! its NHS number. An NHS number is taken only from the system
//! `https://fhir.nhs.uk/Id/nhs-number` and only when its check digit is right;
//! otherwise the patient is kept under its local identifier, waiting to be matched.

use std::collections::{BTreeMap, HashMap};

use serde_json::Value;

use super::{ImportError, ImportOptions, Parsed, Rejection};
use crate::domain::batch::{CarePlanEntry, ImportBatch, PersonEntry, PersonKey};
use crate::domain::care_plan::{CarePlan, PlanAction, PlanKind, PlanNeed, ResponsibleParty};
use crate::domain::dates::parse_date;
use crate::domain::{Demographics, LocalId, NhsNumber, Provenance, Sector, Sex};

pub const NHS_NUMBER_SYSTEM: &str = "https://fhir.nhs.uk/Id/nhs-number";
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
    file: &'a str,
    options: ImportOptions,
    /// fullUrl or Type/id to resource.
    index: HashMap<String, &'a Value>,
    /// Patient key (fullUrl or Type/id) to the person key chosen for it.
    patients: HashMap<String, PersonKey>,
    batch: ImportBatch,
    rejections: Vec<Rejection>,
    notes: Vec<String>,
    skipped: BTreeMap<String, usize>,
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
        file,
        options,
        index: HashMap::new(),
        patients: HashMap::new(),
        batch: ImportBatch {
            format: "fhir".into(),
            file_name: file.to_owned(),
            file_sha256: sha256.to_owned(),
            rows_read: resources.len(),
            ..Default::default()
        },
        rejections: Vec::new(),
        notes: Vec::new(),
        skipped: BTreeMap::new(),
    };
    for (_, full_url, r) in &resources {
        for key in keys_of(full_url.as_deref(), r) {
            reader.index.insert(key, r);
        }
    }
    // Patients first, so plans can refer to them whatever the order.
    for (loc, full_url, r) in &resources {
        if s(r, &["resourceType"]) == Some("Patient") {
            reader.patient(loc, full_url.as_deref(), r);
        }
    }
    for (loc, full_url, r) in &resources {
        match s(r, &["resourceType"]).unwrap_or("(none)") {
            "Patient" => {}
            "CarePlan" => reader.care_plan(loc, full_url.as_deref(), r),
            // Goals are read through the plans that refer to them.
            "Goal" => {}
            other => *reader.skipped.entry(other.to_owned()).or_default() += 1,
        }
    }
    reader.batch.rows_rejected = reader.rejections.len();
    let mut parsed = Parsed {
        batch: reader.batch,
        rejections: reader.rejections,
    };
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
        self.rejections.push(Rejection {
            file: self.file.to_owned(),
            location: location.to_owned(),
            field: field.to_owned(),
            reason: reason.into(),
        });
    }

    /// A valid NHS number from a list of identifiers, or why there is none.
    fn nhs_number(&mut self, identifiers: &[Value], location: &str) -> Option<NhsNumber> {
        let value = identifiers
            .iter()
            .find(|i| s(i, &["system"]) == Some(NHS_NUMBER_SYSTEM))
            .and_then(|i| s(i, &["value"]))?;
        match NhsNumber::parse(value) {
            Ok(n) if self.options.test_range_only && !n.is_test_range() => {
                self.reject(
                    location,
                    "identifier",
                    "training mode accepts only NHS numbers in the test range 999 000 0000 to 999 999 9999",
                );
                None
            }
            Ok(n) => Some(n),
            Err(e) => {
                self.notes.push(format!(
                    "{location}: NHS number {value:?} is not valid ({e}), so it is not used"
                ));
                None
            }
        }
    }

    fn patient(&mut self, location: &str, full_url: Option<&str>, r: &Value) {
        let nhs = self.nhs_number(arr(r, "identifier"), location);
        let local_id = full_url
            .map(str::to_owned)
            .or_else(|| s(r, &["id"]).map(|id| format!("Patient/{id}")));
        let key = match (nhs, &local_id) {
            (Some(n), _) => PersonKey::Nhs(n),
            (None, Some(id)) => {
                self.notes.push(format!(
                    "{location}: no valid NHS number; kept under {id}, waiting to be matched"
                ));
                PersonKey::Local(LocalId {
                    source: SOURCE.into(),
                    id: id.clone(),
                })
            }
            (None, None) => {
                self.reject(
                    location,
                    "identifier",
                    "a Patient needs a valid NHS number or an id to be kept",
                );
                return;
            }
        };
        let name = arr(r, "name")
            .iter()
            .find(|n| s(n, &["use"]) == Some("official"))
            .or_else(|| arr(r, "name").first());
        let demographics = Demographics {
            given_name: name.and_then(|n| s(n, &["given", "0"])).unwrap_or("").to_owned(),
            family_name: name.and_then(|n| s(n, &["family"])).unwrap_or("").to_owned(),
            date_of_birth: s(r, &["birthDate"]).and_then(parse_date),
            date_of_death: s(r, &["deceasedDateTime"]).and_then(parse_date),
            sex: match s(r, &["gender"]) {
                Some("female") => Sex::Female,
                Some("male") => Sex::Male,
                Some("other") => Sex::Other,
                _ => Sex::Unknown,
            },
            address: arr(r, "address")
                .first()
                .and_then(|a| s(a, &["text"]).or_else(|| s(a, &["line", "0"])))
                .map(str::to_owned),
            postcode: arr(r, "address")
                .first()
                .and_then(|a| s(a, &["postalCode"]))
                .map(str::to_owned),
            gp_practice: arr(r, "generalPractitioner").first().and_then(|g| {
                display_of(g)
                    .or_else(|| s(g, &["identifier", "value"]).map(str::to_owned))
                    .or_else(|| {
                        let target = self.index.get(s(g, &["reference"])?)?;
                        s(target, &["name"]).map(str::to_owned)
                    })
            }),
            allocated_worker: None,
        };
        for k in keys_of(full_url, r) {
            self.patients.insert(k, key.clone());
        }
        self.batch.people.push(PersonEntry {
            key: key.clone(),
            nhs_number: nhs,
            local_ids: match &key {
                PersonKey::Local(l) => vec![l.clone()],
                PersonKey::Nhs(_) => local_id
                    .map(|id| LocalId {
                        source: SOURCE.into(),
                        id,
                    })
                    .into_iter()
                    .collect(),
            },
            source: SOURCE.into(),
            demographics,
            alerts: vec![],
            is_restricted: false,
        });
    }

    /// The person a reference (subject, patient) names.
    fn person_of(&mut self, reference: Option<&Value>, location: &str) -> Option<PersonKey> {
        let reference = reference?;
        if let Some(key) = s(reference, &["reference"]).and_then(|r| self.patients.get(r)) {
            return Some(key.clone());
        }
        let identifier = reference.get("identifier").cloned().into_iter().collect::<Vec<_>>();
        self.nhs_number(&identifier, location).map(PersonKey::Nhs)
    }

    fn care_plan(&mut self, location: &str, full_url: Option<&str>, r: &Value) {
        let Some(person) = self.person_of(r.get("subject"), location) else {
            self.reject(
                location,
                "subject",
                "the plan's subject has no valid NHS number and no Patient in this file",
            );
            return;
        };
        let start = s(r, &["period", "start"])
            .or_else(|| s(r, &["created"]))
            .or_else(|| s(r, &["meta", "lastUpdated"]))
            .and_then(parse_date);
        let Some(start) = start else {
            self.reject(
                location,
                "period.start",
                "a care plan needs a start (period.start, created or meta.lastUpdated)",
            );
            return;
        };
        let title = s(r, &["title"])
            .map(str::to_owned)
            .or_else(|| arr(r, "category").first().and_then(display_of))
            .unwrap_or_else(|| "Care plan".to_owned());
        let description = format!("{title} {}", s(r, &["description"]).unwrap_or("")).to_lowercase();
        let kind = if description.contains("end of life") || description.contains("end-of-life") {
            PlanKind::EndOfLife
        } else if description.contains("discharge") {
            PlanKind::DischargePlan
        } else if description.contains("continuing healthcare") {
            PlanKind::ChcCarePlan
        } else if description.contains("carer") {
            PlanKind::CarerSupport
        } else if description.contains("care and support") || description.contains("social care") {
            PlanKind::CareAndSupport
        } else {
            PlanKind::NhsCarePlan
        };
        let sector = if matches!(kind, PlanKind::CareAndSupport | PlanKind::CarerSupport) {
            Sector::SocialCare
        } else {
            Sector::Health
        };
        let goals: Vec<String> = arr(r, "goal")
            .iter()
            .filter_map(|g| {
                let target = s(g, &["reference"]).and_then(|x| self.index.get(x));
                target
                    .and_then(|t| s(t, &["description", "text"]).map(str::to_owned))
                    .or_else(|| display_of(g))
            })
            .collect();
        let needs: Vec<PlanNeed> = arr(r, "addresses")
            .iter()
            .filter_map(|a| {
                display_of(a).map(|d| PlanNeed {
                    description: d,
                    is_eligible: false,
                })
            })
            .collect();
        let actions: Vec<PlanAction> = arr(r, "activity")
            .iter()
            .filter_map(|a| {
                let detail = a.get("detail");
                let description = detail
                    .and_then(|d| {
                        s(d, &["description"])
                            .map(str::to_owned)
                            .or_else(|| d.get("code").and_then(display_of))
                    })
                    .or_else(|| a.get("reference").and_then(display_of))
                    .or_else(|| arr(a, "outcomeCodeableConcept").first().and_then(display_of))?;
                let performer = detail.and_then(|d| arr(d, "performer").first());
                let party = match performer
                    .and_then(|p| s(p, &["reference"]))
                    .map(|x| x.split('/').next().unwrap_or(x))
                {
                    Some("RelatedPerson") => ResponsibleParty::UnpaidCarer,
                    Some("Patient") => ResponsibleParty::Person,
                    _ => ResponsibleParty::NhsBody,
                };
                Some(PlanAction {
                    description,
                    responsible_party: party,
                    responsible_name: performer.and_then(display_of),
                })
            })
            .collect();
        let plan_ref = arr(r, "identifier")
            .first()
            .and_then(|i| s(i, &["value"]))
            .map(str::to_owned)
            .or_else(|| s(r, &["id"]).map(|id| format!("CarePlan/{id}")))
            .or_else(|| full_url.map(str::to_owned))
            .unwrap_or_else(|| format!("{}#{location}", self.batch.file_sha256));
        let owner = r
            .get("author")
            .and_then(display_of)
            .or_else(|| arr(r, "careTeam").first().and_then(display_of))
            .unwrap_or_else(|| "Not recorded".to_owned());
        self.batch.care_plans.push(CarePlanEntry {
            person,
            plan_ref: plan_ref.clone(),
            plan: CarePlan {
                id: 0,
                kind,
                sector,
                title,
                owner,
                status: s(r, &["status"]).unwrap_or("unknown").to_owned(),
                version: s(r, &["meta", "versionId"]).and_then(|v| v.parse().ok()).unwrap_or(1),
                start,
                last_review: None,
                next_review: None,
                goals,
                needs,
                actions,
                funding: None,
                personal_budget_weekly: None,
                provenance: Provenance {
                    source: SOURCE.into(),
                    source_ref: plan_ref,
                    ..Default::default()
                },
            },
        });
    }
}

#[cfg(test)]
mod tests;
