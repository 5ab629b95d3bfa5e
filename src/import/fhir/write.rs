//! Person records as a FHIR R4 collection Bundle (UK Core shapes), which this
//! module's reader reads back: a Patient per person (NHS number identifier, name,
//! birth date, sex, address, GP), a Flag per alert, an Encounter per hospital,
//! A&E, outpatient, GP, community and mental health contact (class, period,
//! provider; admission method, discharge method and destination on a spell), an
//! EpisodeOfCare per social care service or package, a ServiceRequest per social
//! care request and a Task per social care or carer's assessment (the Interweave
//! profiles), and a CarePlan per plan version (goals, needs addressed, activities
//! with their performer).
//!
//! What FHIR does not carry here is left out and counted: social care reviews and
//! safeguarding enquiries, CHC assessments, and a spell's discharge facts (criteria
//! to reside, discharge ready date, pathway, delays). The CSV and native outputs
//! carry those.

use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use super::NHS_NUMBER_SYSTEM;
use crate::domain::care_plan::{PlanKind, ResponsibleParty};
use crate::domain::{EpisodeKind, EpisodeStatus, PersonRecord, Sex};

const ADMISSION_METHOD: &str = "https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-AdmissionMethod";
const DISCHARGE_METHOD: &str = "https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-DischargeMethod";
const INTERWEAVE_CONTACT: &str = "https://fhir.yhcr.nhs.uk/StructureDefinition/Interweave-SocialCareContact";
const INTERWEAVE_ASSESSMENT: &str = "https://fhir.yhcr.nhs.uk/StructureDefinition/Interweave-SocialCareAssessment";
const INTERWEAVE_ASSESSMENT_TYPE: &str = "https://fhir.yhcr.nhs.uk/Id/Interweave-SocialCareAssessmentType-1";

fn request_status(status: EpisodeStatus) -> &'static str {
    match status {
        EpisodeStatus::Completed | EpisodeStatus::Ended => "completed",
        EpisodeStatus::Cancelled => "revoked",
        EpisodeStatus::Planned => "draft",
        EpisodeStatus::Suspended => "on-hold",
        EpisodeStatus::Active => "active",
    }
}

/// What a bundle holds, and what it left out.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Written {
    pub patients: usize,
    pub resources: usize,
    /// Items with no FHIR shape here (social care reviews and safeguarding, CHC).
    pub left_out: usize,
}

/// A stable `urn:uuid:` for a key, so the same population gives the same bundle.
fn urn(kind: &str, key: &str) -> String {
    let h = Sha256::digest(format!("{kind}/{key}").as_bytes());
    let x: String = h.iter().take(16).map(|b| format!("{b:02x}")).collect();
    format!(
        "urn:uuid:{}-{}-4{}-8{}-{}",
        &x[0..8],
        &x[8..12],
        &x[13..16],
        &x[17..20],
        &x[20..32]
    )
}

pub(super) fn iso(t: chrono::NaiveDateTime) -> String {
    t.format("%Y-%m-%dT%H:%M:%S").to_string()
}

/// The records as one collection Bundle.
pub fn bundle(records: &[PersonRecord]) -> (Value, Written) {
    let mut entries = Vec::new();
    let mut written = Written::default();
    for r in records {
        entries.extend(person_entries(r, &mut written));
    }
    (
        json!({"resourceType": "Bundle", "type": "collection", "entry": entries}),
        written,
    )
}

/// The records as one collection Bundle written to `out` a person at a time, so a
/// large bundle is never held whole in memory.
pub fn write_bundle(records: &[PersonRecord], out: &mut impl std::io::Write) -> std::io::Result<Written> {
    let mut written = Written::default();
    out.write_all(br#"{"resourceType":"Bundle","type":"collection","entry":["#)?;
    let mut first = true;
    for r in records {
        for entry in person_entries(r, &mut written) {
            if !first {
                out.write_all(b",")?;
            }
            first = false;
            serde_json::to_writer(&mut *out, &entry)?;
        }
    }
    out.write_all(b"]}")?;
    Ok(written)
}

/// One person's entries: the Patient first, then what refers to it.
fn person_entries(r: &PersonRecord, written: &mut Written) -> Vec<Value> {
    let mut entries = Vec::new();
    {
        let p = &r.person;
        let d = &p.demographics;
        let key = match p.nhs_number {
            Some(n) => n.digits(),
            None => p
                .local_ids
                .first()
                .map(|l| format!("{}/{}", l.source, l.id))
                .unwrap_or_else(|| p.display_name()),
        };
        let patient_url = urn("Patient", &key);
        let mut identifier = Vec::new();
        if let Some(n) = p.nhs_number {
            identifier.push(json!({"system": NHS_NUMBER_SYSTEM, "value": n.digits()}));
        }
        for l in &p.local_ids {
            identifier.push(json!({"system": format!("urn:joinedup:local-id:{}", l.source), "value": l.id}));
        }
        let mut patient = json!({
            "resourceType": "Patient",
            "identifier": identifier,
            "name": [{"use": "official", "family": d.family_name, "given": [d.given_name]}],
            "gender": match d.sex {
                Sex::Female => "female",
                Sex::Male => "male",
                Sex::Other => "other",
                _ => "unknown",
            },
        });
        if let Some(dob) = d.date_of_birth {
            patient["birthDate"] = json!(dob.to_string());
        }
        if let Some(dod) = d.date_of_death {
            patient["deceasedDateTime"] = json!(dod.to_string());
        }
        if d.address.is_some() || d.postcode.is_some() {
            let mut address = json!({});
            if let Some(a) = &d.address {
                address["line"] = json!([a]);
            }
            if let Some(pc) = &d.postcode {
                address["postalCode"] = json!(pc);
            }
            patient["address"] = json!([address]);
        }
        if let Some(gp) = &d.gp_practice {
            patient["generalPractitioner"] = json!([{"display": gp}]);
        }
        super::security::label(&mut patient, crate::domain::Sensitivity::Normal, p.is_restricted);
        entries.push(json!({"fullUrl": patient_url, "resource": patient}));
        written.patients += 1;
        let subject = json!({"reference": patient_url});
        for alert in &p.alerts {
            entries.push(json!({"resource": {
                "resourceType": "Flag", "status": "active",
                "code": {"text": alert}, "subject": subject,
            }}));
        }
        for e in &r.episodes {
            let identifier = json!([{
                "system": format!("urn:joinedup:source:{}", e.provenance.source),
                "value": e.provenance.source_ref,
            }]);
            let mut period = json!({"start": iso(e.start)});
            if let Some(end) = e.end {
                period["end"] = json!(iso(end));
            }
            let organisation = e.organisation.as_deref().map(|o| json!({"display": o}));
            let class = match e.kind {
                EpisodeKind::InpatientSpell => Some(("IMP", "inpatient encounter")),
                EpisodeKind::AeAttendance => Some(("EMER", "emergency")),
                EpisodeKind::Outpatient | EpisodeKind::MentalHealthContact => Some(("AMB", "ambulatory")),
                EpisodeKind::GpEncounter => Some(("VR", "GP consultation")),
                EpisodeKind::CommunityContact => Some(("HH", "home health")),
                _ => None,
            };
            if let Some((code, display)) = class {
                let status = match e.status {
                    EpisodeStatus::Planned => "planned",
                    EpisodeStatus::Cancelled => "cancelled",
                    EpisodeStatus::Active | EpisodeStatus::Suspended if e.end.is_none() => "in-progress",
                    _ => "finished",
                };
                let mut encounter = json!({
                    "resourceType": "Encounter",
                    "identifier": identifier,
                    "status": status,
                    "class": {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": code, "display": display},
                    "type": [{"text": e.title}],
                    "subject": subject,
                    "period": period,
                });
                if e.kind == EpisodeKind::MentalHealthContact {
                    encounter["serviceType"] = json!({"text": "Mental health service"});
                }
                if let Some(o) = organisation {
                    encounter["serviceProvider"] = o;
                }
                if let Some(s) = r.spells.iter().find(|s| s.episode_id == e.id) {
                    let mut extension = Vec::new();
                    if let Some(m) = &s.admission_method {
                        extension
                            .push(json!({"url": ADMISSION_METHOD, "valueCodeableConcept": {"coding": [{"code": m}]}}));
                    }
                    if let Some(m) = &s.discharge_method {
                        extension
                            .push(json!({"url": DISCHARGE_METHOD, "valueCodeableConcept": {"coding": [{"code": m}]}}));
                    }
                    let mut hospitalization = json!({"extension": extension});
                    if let Some(dest) = &s.discharge_destination {
                        hospitalization["dischargeDisposition"] = json!({"coding": [{"code": dest}]});
                    }
                    encounter["hospitalization"] = hospitalization;
                }
                super::security::label(&mut encounter, e.sensitivity, r.person.is_restricted);
                entries.push(json!({"resource": encounter}));
                written.resources += 1;
            } else if e.kind == EpisodeKind::SocialCareService {
                let status = match e.status {
                    EpisodeStatus::Planned => "planned",
                    EpisodeStatus::Suspended => "onhold",
                    EpisodeStatus::Cancelled => "cancelled",
                    EpisodeStatus::Active if e.end.is_none() => "active",
                    _ => "finished",
                };
                let mut eoc = json!({
                    "resourceType": "EpisodeOfCare",
                    "identifier": identifier,
                    "status": status,
                    "type": [{"text": format!("Social care service: {}", e.title)}],
                    "patient": subject,
                    "period": period,
                });
                if let Some(o) = organisation {
                    eoc["managingOrganization"] = o;
                }
                super::security::label(&mut eoc, e.sensitivity, r.person.is_restricted);
                entries.push(json!({"resource": eoc}));
                written.resources += 1;
            } else if e.kind == EpisodeKind::SocialCareRequest {
                // An Interweave social care contact.
                let reason = e.title.strip_prefix("Request: ").unwrap_or(&e.title);
                let mut request = json!({
                    "resourceType": "ServiceRequest",
                    "meta": {"profile": [INTERWEAVE_CONTACT]},
                    "identifier": identifier,
                    "status": request_status(e.status),
                    "intent": "plan",
                    "reasonCode": [{"text": reason}],
                    "subject": subject,
                    "occurrenceDateTime": iso(e.start),
                    "authoredOn": iso(e.start),
                });
                if let Some(o) = organisation {
                    request["performer"] = json!([o]);
                }
                super::security::label(&mut request, e.sensitivity, r.person.is_restricted);
                entries.push(json!({"resource": request}));
                written.resources += 1;
            } else if matches!(e.kind, EpisodeKind::SocialCareAssessment | EpisodeKind::CarerAssessment) {
                // An Interweave social care assessment.
                let (code, display) = if e.kind == EpisodeKind::CarerAssessment {
                    ("CA", "Carers Assessment")
                } else {
                    ("SA", "Social Assessment")
                };
                let mut task = json!({
                    "resourceType": "Task",
                    "meta": {"profile": [INTERWEAVE_ASSESSMENT]},
                    "identifier": identifier,
                    "status": if e.status == EpisodeStatus::Completed || e.end.is_some() { "completed" } else { "in-progress" },
                    "intent": "plan",
                    "code": {"coding": [{"system": INTERWEAVE_ASSESSMENT_TYPE, "code": code, "display": display}], "text": e.title.strip_prefix("Assessment: ").unwrap_or(&e.title)},
                    "for": subject,
                    "authoredOn": iso(e.start),
                    "executionPeriod": period,
                });
                if let Some(o) = organisation {
                    task["owner"] = o;
                }
                super::security::label(&mut task, e.sensitivity, r.person.is_restricted);
                entries.push(json!({"resource": task}));
                written.resources += 1;
            } else {
                written.left_out += 1;
            }
        }
        for plan in &r.care_plans {
            // The reader infers the plan's kind from these words.
            let description = match plan.kind {
                PlanKind::CareAndSupport => "Care and support plan (Care Act)",
                PlanKind::CarerSupport => "Carer's support plan",
                PlanKind::ChcCarePlan => "NHS Continuing Healthcare care plan",
                PlanKind::DischargePlan => "Hospital discharge plan",
                PlanKind::EndOfLife => "End of life care plan",
                PlanKind::NhsCarePlan => "NHS care plan",
            };
            let activity: Vec<Value> = plan
                .actions
                .iter()
                .map(|a| {
                    // Which kind of body, in the reference's id, so that reading it
                    // back keeps a council's action a council's (hostile review).
                    let reference = match a.responsible_party {
                        ResponsibleParty::Person => format!("Patient/{key}"),
                        ResponsibleParty::UnpaidCarer => "RelatedPerson/carer".to_owned(),
                        ResponsibleParty::LocalAuthority => "Organization/local-authority".to_owned(),
                        ResponsibleParty::Provider => "Organization/provider".to_owned(),
                        ResponsibleParty::NhsBody => "Organization/nhs-body".to_owned(),
                    };
                    let mut performer = json!({"reference": reference});
                    if let Some(n) = &a.responsible_name {
                        performer["display"] = json!(n);
                    }
                    let reasons: Vec<Value> = a.meets.iter().map(|m| json!({"reference": format!("#need-{m}")})).collect();
                    let mut detail = json!({"status": a.status.fhir_code(), "description": a.description, "performer": [performer], "reasonReference": reasons});
                    if let Some(due) = a.due {
                        detail["scheduledPeriod"] = json!({"end": due.to_string()});
                    }
                    json!({ "detail": detail })
                })
                .collect();
            let mut care_plan = json!({
                "resourceType": "CarePlan",
                "meta": {"versionId": plan.version.to_string()},
                "identifier": [{"value": plan.provenance.source_ref}],
                "status": plan.status,
                "intent": "plan",
                "title": plan.title,
                "description": description,
                "subject": subject,
                "period": {"start": plan.start.to_string()},
                "author": {"display": plan.owner},
                "goal": plan.goals.iter().map(|g| json!({"display": g})).collect::<Vec<_>>(),
                "addresses": plan.needs.iter().map(need_reference).collect::<Vec<_>>(),
                "activity": activity,
            });
            // Each linked need is a contained Condition the activities name as their reason.
            let contained: Vec<Value> = plan
                .needs
                .iter()
                .filter_map(|n| {
                    let id = n.need_ref.as_ref()?;
                    Some(json!({"resourceType": "Condition", "id": format!("need-{id}"), "code": {"text": n.description}, "subject": subject}))
                })
                .collect();
            if !contained.is_empty() {
                care_plan["contained"] = json!(contained);
            }
            recorded_into(&mut care_plan, &plan.recorded);
            super::security::label(&mut care_plan, plan.sensitivity, r.person.is_restricted);
            entries.push(json!({"resource": care_plan}));
            written.resources += 1;
        }
    }
    entries
}

/// Who recorded the version and when, where the reader looks for them: the time as
/// `meta.lastUpdated` (an instant: the program's local wall time with its offset),
/// the person as the first `contributor` (`author` is the plan's owner). FHIR has
/// no place here for their organisation, so it is not written.
fn recorded_into(care_plan: &mut Value, recorded: &crate::domain::care_plan::VersionRecorded) {
    use chrono::TimeZone;
    if let Some(at) = recorded.at {
        let local = chrono::Local
            .from_local_datetime(&at)
            .earliest()
            .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, false));
        if let Some(t) = local {
            care_plan["meta"]["lastUpdated"] = json!(t);
        }
    }
    if let Some(by) = &recorded.by {
        care_plan["contributor"] = json!([{"display": by}]);
    }
}

/// A plan's need as `CarePlan.addresses`: its words, and a reference to its contained
/// Condition when activities can name it.
fn need_reference(n: &crate::domain::care_plan::PlanNeed) -> Value {
    match &n.need_ref {
        Some(r) => json!({"reference": format!("#need-{r}"), "display": n.description}),
        None => json!({"display": n.description}),
    }
}
