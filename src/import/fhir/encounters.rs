//! Encounter and EpisodeOfCare: contacts and periods of care on the timeline.

use std::collections::BTreeMap;

use serde_json::Value;

use super::{Reader, arr, capitalise, display_of, s};
use crate::domain::dates::parse_date_time;
use crate::domain::episode::attr;
use crate::domain::hospital::HospitalSpell;
use crate::domain::{Episode, EpisodeKind, EpisodeStatus, Provenance, Sensitivity};

impl Reader<'_> {
    /// `period.start` (needed to place the item) and `period.end` (if any); without a
    /// start, a rejection naming the resource type.
    fn period_or_reject(
        &mut self,
        r: &Value,
        kind: &str,
        location: &str,
    ) -> Option<(chrono::NaiveDateTime, Option<chrono::NaiveDateTime>)> {
        let Some(start) = s(r, &["period", "start"]).and_then(parse_date_time) else {
            self.reject(
                location,
                "period.start",
                format!("an {kind} needs period.start to go on the timeline"),
            );
            return None;
        };
        Some((start, s(r, &["period", "end"]).and_then(parse_date_time)))
    }

    /// An Encounter becomes an episode: its class says which (IMP/ACUTE/SS/NONAC an
    /// inpatient spell, EMER an A&E attendance, HH a community contact, VR a GP
    /// consultation, anything else a mental health contact when its serviceType says
    /// mental health, else an outpatient attendance).
    pub(super) fn encounter(&mut self, location: &str, full_url: Option<&str>, r: &Value) {
        let Some(person) = self.person_or_reject(r, "subject", "encounter", location) else {
            return;
        };
        let Some((start, end)) = self.period_or_reject(r, "Encounter", location) else {
            return;
        };
        let class = s(r, &["class", "code"]).unwrap_or("");
        let mental_health = r
            .get("serviceType")
            .and_then(display_of)
            .is_some_and(|t| t.to_lowercase().contains("mental health"));
        let kind = match class {
            "IMP" | "ACUTE" | "SS" | "NONAC" => EpisodeKind::InpatientSpell,
            "EMER" => EpisodeKind::AeAttendance,
            "HH" => EpisodeKind::CommunityContact,
            "VR" => EpisodeKind::GpEncounter,
            _ if mental_health => EpisodeKind::MentalHealthContact,
            _ => EpisodeKind::Outpatient,
        };
        let organisation = r
            .get("serviceProvider")
            .and_then(|p| display_of(p).or_else(|| s(p, &["identifier", "value"]).map(str::to_owned)));
        let extension_code = |v: &Value, part: &str| {
            arr(v, "extension")
                .iter()
                .find(|e| s(e, &["url"]).is_some_and(|u| u.contains(part)))
                .and_then(|e| s(e, &["valueCodeableConcept", "coding", "0", "code"]))
                .map(str::to_owned)
        };
        let hospitalization = r.get("hospitalization").cloned().unwrap_or(Value::Null);
        let admission_method = extension_code(&hospitalization, "AdmissionMethod");
        let discharge_method =
            extension_code(&hospitalization, "DischargeMethod").or_else(|| extension_code(r, "DischargeMethod"));
        let discharge_destination =
            s(&hospitalization, &["dischargeDisposition", "coding", "0", "code"]).map(str::to_owned);
        let mut attributes = BTreeMap::new();
        for (k, v) in [
            (attr::ADMISSION_METHOD, &admission_method),
            (attr::DISCHARGE_METHOD, &discharge_method),
            (attr::DISCHARGE_DESTINATION, &discharge_destination),
        ] {
            if let Some(v) = v {
                attributes.insert(k.to_owned(), v.clone());
            }
        }
        let status = match s(r, &["status"]).unwrap_or("") {
            "finished" => {
                if kind == EpisodeKind::InpatientSpell {
                    EpisodeStatus::Ended
                } else {
                    EpisodeStatus::Completed
                }
            }
            "cancelled" | "entered-in-error" => EpisodeStatus::Cancelled,
            "planned" => EpisodeStatus::Planned,
            _ => EpisodeStatus::Active,
        };
        let place = organisation.clone().unwrap_or_else(|| "a provider".into());
        let what = s(r, &["class", "display"])
            .map(str::to_owned)
            .unwrap_or_else(|| kind.label().to_owned());
        let mut title = format!("{} at {place}", capitalise(&what));
        if let Some(t) = arr(r, "type").first().and_then(display_of) {
            title = format!("{title}: {t}");
        }
        let source_ref = self.reference_of("Encounter", location, full_url, r);
        let spell = (kind == EpisodeKind::InpatientSpell).then(|| HospitalSpell {
            hospital: place.clone(),
            admitted: Some(start),
            discharged: end,
            admission_method,
            discharge_method,
            discharge_destination,
            ..Default::default()
        });
        self.push_item(
            person,
            Episode {
                id: 0,
                kind,
                title,
                start,
                end,
                status,
                organisation,
                detail: String::new(),
                sensitivity: Sensitivity::Normal,
                attributes,
                provenance: Provenance::default(),
            },
            source_ref,
            spell,
        );
    }

    /// An EpisodeOfCare is a period of care: a social care service or package when its
    /// profile or type says so (the Interweave service profile and service types, or
    /// words such as reablement, home care, residential, day support, direct payment),
    /// otherwise a community contact spanning the period.
    pub(super) fn episode_of_care(&mut self, location: &str, full_url: Option<&str>, r: &Value) {
        let Some(person) = self.person_or_reject(r, "patient", "episode of care", location) else {
            return;
        };
        let Some((start, end)) = self.period_or_reject(r, "EpisodeOfCare", location) else {
            return;
        };
        let what = arr(r, "type")
            .first()
            .and_then(display_of)
            .unwrap_or_else(|| "Episode of care".to_owned());
        let kind = if super::social_care::is_social_care_service(r, &what) {
            EpisodeKind::SocialCareService
        } else {
            EpisodeKind::CommunityContact
        };
        let status = match s(r, &["status"]).unwrap_or("") {
            "finished" => EpisodeStatus::Ended,
            "cancelled" | "entered-in-error" => EpisodeStatus::Cancelled,
            "planned" | "waitlist" => EpisodeStatus::Planned,
            "onhold" => EpisodeStatus::Suspended,
            _ => EpisodeStatus::Active,
        };
        let organisation = r
            .get("managingOrganization")
            .and_then(|o| display_of(o).or_else(|| s(o, &["identifier", "value"]).map(str::to_owned)));
        let source_ref = self.reference_of("EpisodeOfCare", location, full_url, r);
        self.push_item(
            person,
            Episode {
                id: 0,
                kind,
                title: capitalise(&what),
                start,
                end,
                status,
                organisation,
                detail: String::new(),
                sensitivity: Sensitivity::Normal,
                attributes: BTreeMap::new(),
                provenance: Provenance::default(),
            },
            source_ref,
            None,
        );
    }
}
