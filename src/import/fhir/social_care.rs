//! Social care in FHIR, as the Interweave shared care record profiles model it
//! (`shared/data/external/interweave-socialcare-reference`): a contact or request
//! is a ServiceRequest (ReferralRequest in STU3), an assessment is a Task, and a
//! service is an EpisodeOfCare (read in `encounters.rs`, which asks
//! [`is_social_care_service`] here). A resource is taken as social care when its
//! `meta.profile` names the Interweave profile or its codes come from the
//! Interweave code systems; other Tasks and ServiceRequests are skipped and counted.

use std::collections::BTreeMap;

use serde_json::Value;

use super::{Reader, arr, display_of, s};
use crate::domain::dates::parse_date_time;
use crate::domain::{Episode, EpisodeKind, EpisodeStatus, Provenance, Sensitivity};

/// `meta.profile` entries, and the systems of the codings under `keys`.
fn profiles_and_systems<'a>(r: &'a Value, keys: &[&str]) -> Vec<&'a str> {
    let mut out: Vec<&str> = arr(r.get("meta").unwrap_or(&Value::Null), "profile")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    for key in keys {
        let concepts: Vec<&Value> = match r.get(*key) {
            Some(Value::Array(list)) => list.iter().collect(),
            Some(one) => vec![one],
            None => vec![],
        };
        for c in concepts {
            out.extend(arr(c, "coding").iter().filter_map(|cd| s(cd, &["system"])));
        }
    }
    out
}

fn mentions(r: &Value, keys: &[&str], part: &str) -> bool {
    profiles_and_systems(r, keys).iter().any(|p| p.contains(part))
}

/// Service types that are social care whatever the profile says (the Interweave
/// service type names, and the words councils use).
const SERVICE_WORDS: &[&str] = &[
    "social care",
    "reablement",
    "home care",
    "home support",
    "care package",
    "residential",
    "nursing care",
    "domiciliary",
    "day support",
    "day care",
    "day centre",
    "meals",
    "direct payment",
    "shared lives",
    "supported living",
    "respite",
];

/// Whether an EpisodeOfCare is a social care service or package.
pub(super) fn is_social_care_service(r: &Value, type_text: &str) -> bool {
    let lower = type_text.to_lowercase();
    mentions(r, &["type"], "SocialCareService") || SERVICE_WORDS.iter().any(|w| lower.contains(w))
}

impl Reader<'_> {
    /// An Interweave social care assessment (a Task): the assessment, or a carer's
    /// assessment, from when it started (else when it was recorded) to when it
    /// finished, with its type, outcome and the team doing it.
    pub(super) fn task(&mut self, location: &str, full_url: Option<&str>, r: &Value) {
        if !mentions(r, &["code"], "SocialCareAssessment") {
            self.skip("Task");
            return;
        }
        let status = s(r, &["status"]).unwrap_or("");
        if status == "entered-in-error" {
            self.skip("Task (entered in error)");
            return;
        }
        let field = if r.get("for").is_some() { "for" } else { "subject" };
        let Some(person) = self.person_or_reject(r, field, "assessment", location) else {
            return;
        };
        let Some(start) = s(r, &["executionPeriod", "start"])
            .or_else(|| s(r, &["authoredOn"]))
            .and_then(parse_date_time)
        else {
            self.reject(
                location,
                "executionPeriod.start",
                "an assessment needs executionPeriod.start or authoredOn to go on the timeline",
            );
            return;
        };
        let what = r
            .get("code")
            .and_then(display_of)
            .unwrap_or_else(|| "Social care assessment".to_owned());
        let code = s(r, &["code", "coding", "0", "code"]);
        let carers = code == Some("CA") || what.to_lowercase().contains("carer");
        let mut attributes = BTreeMap::new();
        if let Some(c) = code {
            attributes.insert("assessment_type".to_owned(), c.to_owned());
        }
        if let Some(outcome) = arr(r, "extension")
            .iter()
            .find(|e| s(e, &["url"]).is_some_and(|u| u.contains("AssessmentOutcome")))
            .and_then(|e| e.get("valueCodeableConcept"))
            .and_then(display_of)
        {
            attributes.insert("outcome".to_owned(), outcome);
        }
        let status = match status {
            "completed" => EpisodeStatus::Completed,
            "cancelled" | "rejected" | "failed" => EpisodeStatus::Cancelled,
            "draft" | "requested" => EpisodeStatus::Planned,
            _ => EpisodeStatus::Active,
        };
        let source_ref = self.reference_of("Task", location, full_url, r);
        self.push_item(
            person,
            Episode {
                id: 0,
                kind: if carers {
                    EpisodeKind::CarerAssessment
                } else {
                    EpisodeKind::SocialCareAssessment
                },
                title: format!("Assessment: {what}"),
                start,
                end: s(r, &["executionPeriod", "end"]).and_then(parse_date_time),
                status,
                organisation: r.get("owner").and_then(display_of),
                detail: s(r, &["description"]).unwrap_or("").to_owned(),
                sensitivity: Sensitivity::Normal,
                attributes,
                provenance: Provenance::default(),
            },
            source_ref,
            None,
        );
    }

    /// An Interweave social care contact (a ServiceRequest, or an STU3
    /// ReferralRequest): a request for support on the date it was made, with its
    /// reason and who made it.
    pub(super) fn service_request(&mut self, location: &str, full_url: Option<&str>, r: &Value) {
        let social = mentions(r, &["reasonCode", "category"], "SocialCare")
            || arr(r, "category")
                .iter()
                .filter_map(display_of)
                .any(|c| c.to_lowercase().contains("social care"));
        if !social {
            let kind = s(r, &["resourceType"]).unwrap_or("ServiceRequest").to_owned();
            self.skip(kind);
            return;
        }
        let status = s(r, &["status"]).unwrap_or("");
        if status == "entered-in-error" {
            self.skip("ServiceRequest (entered in error)");
            return;
        }
        let Some(person) = self.person_or_reject(r, "subject", "request", location) else {
            return;
        };
        let Some(start) = s(r, &["occurrenceDateTime"])
            .or_else(|| s(r, &["authoredOn"]))
            .and_then(parse_date_time)
        else {
            self.reject(
                location,
                "occurrenceDateTime",
                "a request needs occurrenceDateTime or authoredOn to go on the timeline",
            );
            return;
        };
        let reason = arr(r, "reasonCode")
            .first()
            .and_then(display_of)
            .unwrap_or_else(|| "request for support".to_owned());
        let mut attributes = BTreeMap::new();
        if let Some(t) = arr(r, "extension")
            .iter()
            .find(|e| s(e, &["url"]).is_some_and(|u| u.contains("RequesterType")))
            .and_then(|e| e.get("valueCodeableConcept"))
            .and_then(display_of)
        {
            attributes.insert("requester_type".to_owned(), t);
        }
        let status = match status {
            "completed" => EpisodeStatus::Completed,
            "revoked" | "cancelled" => EpisodeStatus::Cancelled,
            "draft" => EpisodeStatus::Planned,
            "on-hold" => EpisodeStatus::Suspended,
            _ => EpisodeStatus::Active,
        };
        let source_ref = self.reference_of("ServiceRequest", location, full_url, r);
        self.push_item(
            person,
            Episode {
                id: 0,
                kind: EpisodeKind::SocialCareRequest,
                title: format!("Request: {reason}"),
                start,
                end: None,
                status,
                organisation: r.get("performer").and_then(|p| match p {
                    Value::Array(list) => list.first().and_then(display_of),
                    one => display_of(one),
                }),
                detail: s(r, &["patientInstruction"]).unwrap_or("").to_owned(),
                sensitivity: Sensitivity::Normal,
                attributes,
                provenance: Provenance::default(),
            },
            source_ref,
            None,
        );
    }
}
