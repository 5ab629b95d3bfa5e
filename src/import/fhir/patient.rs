//! Patient (identity and demographics, an NHS number only from its own system and
//! only as the one rule accepts it: a right check digit, one number only) and Flag (an alert on the person's banner).

use super::*;
use crate::import::nhs_rule;

impl Reader<'_> {
    /// The NHS number of a list of identifiers (those of the NHS number system), by
    /// the one rule (`nhs_rule`); a number refused, or two different ones, is a
    /// rejection at `location`.
    pub(super) fn nhs_number(&mut self, identifiers: &[Value], location: &str) -> Option<NhsNumber> {
        // Training: an identifier of another system holding a real person's number
        // refuses the record (never taken for the NHS number, never kept either).
        let other_ids = identifiers
            .iter()
            .filter(|i| s(i, &["system"]) != Some(NHS_NUMBER_SYSTEM))
            .filter_map(|i| s(i, &["value"]));
        for value in other_ids {
            if let Some(reason) = nhs_rule::refuse_local_in_training(value, self.options) {
                self.reject(location, "identifier", reason);
                return None;
            }
        }
        let given = identifiers
            .iter()
            .filter(|i| s(i, &["system"]) == Some(NHS_NUMBER_SYSTEM))
            .filter_map(|i| s(i, &["value"]))
            .map(|value| ((), value));
        match nhs_rule::accept_each(given, self.options) {
            Ok(found) => {
                for ((), value, e) in &found.not_valid {
                    self.notes.push(nhs_rule::not_used_note(location, value, e));
                }
                found.number
            }
            Err(((), reason)) => {
                self.reject(location, "identifier", reason);
                None
            }
        }
    }

    pub(super) fn patient(&mut self, location: &str, full_url: Option<&str>, r: &Value) {
        let refused = self.rejections.mark();
        let nhs = self.nhs_number(arr(r, "identifier"), location);
        if self.rejections.since(refused) {
            // A number refused (a real one in training) refuses the person: they are
            // not kept under a local id instead, with their real name and birth date.
            return;
        }
        // The id, or the fullUrl's last part (`…/Patient/9434765919`, `urn:…:9434765919`).
        let url_tail = full_url.map(|u| u.rsplit(['/', ':']).next().unwrap_or(u));
        for (field, value) in [("id", s(r, &["id"])), ("fullUrl", full_url), ("fullUrl", url_tail)] {
            if let Some(reason) = value.and_then(|v| nhs_rule::refuse_local_in_training(v, self.options)) {
                self.reject(location, field, reason);
                return;
            }
        }
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
                // A urn:uuid is the bundle's own handle, new in every message: not an id
                // worth keeping beside a valid NHS number.
                PersonKey::Nhs(_) => local_id
                    .filter(|id| !id.starts_with("urn:"))
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

    /// A Flag becomes an alert on the person's banner.
    pub(super) fn flag(&mut self, location: &str, r: &Value) {
        if s(r, &["status"]).is_some_and(|st| st != "active") {
            return;
        }
        // A flag about a place (scene safety) or anything else that is not a patient is not ours.
        let subject_type = r
            .get("subject")
            .and_then(|x| s(x, &["reference"]))
            .and_then(|x| self.index.get(x))
            .and_then(|t| s(t, &["resourceType"]));
        if subject_type.is_some_and(|t| t != "Patient") {
            self.skip("Flag (not about a patient)");
            return;
        }
        let Some(person) = self.person_or_reject(r, "subject", "flag", location) else {
            return;
        };
        let Some(text) = r.get("code").and_then(display_of) else {
            self.reject(location, "code", "a Flag needs a code with text or a display");
            return;
        };
        match self.batch.people.iter_mut().find(|p| p.key == person) {
            Some(p) => p.alerts.push(text),
            None => self.batch.people.push(PersonEntry {
                key: person.clone(),
                nhs_number: match &person {
                    PersonKey::Nhs(n) => Some(*n),
                    PersonKey::Local(_) => None,
                },
                local_ids: match &person {
                    PersonKey::Local(l) => vec![l.clone()],
                    PersonKey::Nhs(_) => vec![],
                },
                source: SOURCE.into(),
                demographics: Demographics::default(),
                alerts: vec![text],
                is_restricted: false,
            }),
        }
    }
}
