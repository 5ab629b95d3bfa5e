//! One row of a CLD events file, checked: whom it is about (the NHS number by the
//! one rule, else the council's person id), the kind of event, its dates, and the
//! episode it becomes.

use chrono::{NaiveDate, NaiveDateTime};

use super::*;
use crate::import::nhs_rule::{self, Nhs};

/// One row being read; what it rejects goes to the file's rejections.
pub(super) struct Row<'a> {
    pub location: String,
    pub cols: &'a Columns,
    pub record: &'a csv::StringRecord,
    pub rejections: &'a mut Rejections,
    /// The file's rejections before this row: any after reject the row.
    pub mark: Mark,
}

impl Row<'_> {
    fn get(&self, name: &str) -> Option<&str> {
        self.cols.get(self.record, &[name])
    }

    fn reject(&mut self, field: &str, reason: impl Into<String>) {
        self.rejections.reject(&self.location, field, reason);
    }

    fn date(&mut self, field: &str) -> Option<chrono::NaiveDate> {
        let v = self.get(field)?;
        let d = parse_date(v);
        if d.is_none() {
            self.reject(
                field,
                format!("{v:?} is not a date (use 2026-11-22, 22/11/2026 or 22-Nov-2026)"),
            );
        }
        d
    }

    pub fn read(&mut self, options: ImportOptions, invalid_nhs: &mut usize) -> Option<(PersonEntry, EpisodeEntry)> {
        let who = self.who(options, invalid_nhs)?;
        let (kind, event_type, assessment_type) = self.kind()?;
        let (start_text, start, end) = self.event_dates();
        self.check_numbers();
        let dates = (self.date("Date of Birth"), self.date("Date of Death"));
        if self.rejections.since(self.mark) {
            return None;
        }
        let start = start?;
        let mut attributes = BTreeMap::new();
        for (key, column) in KEPT {
            if let Some(v) = self.get(column) {
                attributes.insert((*key).to_owned(), v.to_owned());
            }
        }
        let title = title(kind, &assessment_type, &attributes);
        let status = match (kind, end) {
            (EpisodeKind::SocialCareService, None) => EpisodeStatus::Active,
            (EpisodeKind::SocialCareService, Some(_)) => EpisodeStatus::Ended,
            _ => EpisodeStatus::Completed,
        };
        let person_ref = match &who.key {
            PersonKey::Nhs(n) => n.digits(),
            PersonKey::Local(l) => l.id.clone(),
        };
        // CLD's Event Reference identifies the event; without one, the row's content does.
        let source_ref = self.get("Event Reference").map(str::to_owned).unwrap_or_else(|| {
            format!(
                "{person_ref}|{}|{}|{}",
                event_type.to_lowercase(),
                start_text,
                crate::import::sha256_hex(title.as_bytes())
            )
        });
        let person = self.person(&who, dates);
        let episode = Episode {
            id: 0,
            kind,
            title,
            start,
            end: end.map(|d| d.and_time(chrono::NaiveTime::MIN)),
            status,
            organisation: self
                .get("LA Name")
                .map(str::to_owned)
                .or_else(|| Some(who.source.replace(" (CLD)", ""))),
            detail: self.get("Event Description").unwrap_or("").into(),
            sensitivity: Sensitivity::Normal,
            attributes,
            provenance: Provenance {
                source: who.source,
                source_ref,
                ..Default::default()
            },
        };
        Some((
            person,
            EpisodeEntry {
                person: who.key,
                episode,
                spell: None,
                chc: None,
                replaces_existing: false,
            },
        ))
    }

    /// Whom the row is about: the council's source, the person's local id, their NHS
    /// number by the one rule, and the key they are filed under.
    fn who(&mut self, options: ImportOptions, invalid_nhs: &mut usize) -> Option<Who> {
        let source = match self.get("LA Code") {
            Some(code) => format!("Local authority {code} (CLD)"),
            None => "Local authority social care (CLD)".to_owned(),
        };
        let local_id = self.get("LA Person Unique Identifier");
        if let Some(reason) = local_id.and_then(|id| nhs_rule::refuse_local_in_training(id, options)) {
            self.reject("LA Person Unique Identifier", reason);
            return None;
        }
        let local = local_id.map(|id| LocalId {
            source: source.clone(),
            id: id.into(),
        });
        let nhs = match nhs_rule::accept(self.get("NHS Number"), options) {
            Nhs::Absent => None,
            Nhs::Accepted(n) => Some(n),
            Nhs::NotValid(_) => {
                *invalid_nhs += 1;
                None
            }
            Nhs::Refused(reason) => {
                self.reject("NHS Number", reason);
                return None;
            }
        };
        let key = match (nhs, &local) {
            (Some(n), _) => PersonKey::Nhs(n),
            (None, Some(l)) => PersonKey::Local(l.clone()),
            (None, None) => {
                self.reject(
                    "LA Person Unique Identifier",
                    "each row needs an LA Person Unique Identifier or a valid NHS Number",
                );
                return None;
            }
        };
        Some(Who {
            source,
            local,
            nhs,
            key,
        })
    }

    /// The event's start (as written, and read) and end; an end before the start is
    /// a rejection.
    fn event_dates(&mut self) -> (String, Option<NaiveDateTime>, Option<NaiveDate>) {
        let start_text = self.get("Event Start Date").unwrap_or("").to_owned();
        let start = parse_date_time(&start_text);
        if start.is_none() {
            self.reject("Event Start Date", format!("{start_text:?} is not a date"));
        }
        let end = self.date("Event End Date");
        if let (Some(s), Some(e)) = (start, end)
            && e < s.date()
        {
            self.reject("Event End Date", "ends before it starts");
        }
        (start_text, start, end)
    }

    fn check_numbers(&mut self) {
        for numeric in ["Unit Cost", "Planned units per week"] {
            if let Some(v) = self.get(numeric)
                && v.replace([',', '£'], "").parse::<f64>().is_err()
            {
                self.reject(numeric, format!("{v:?} is not a number"));
            }
        }
    }

    /// The kind of event, with the event type and assessment type as written.
    fn kind(&mut self) -> Option<(EpisodeKind, String, String)> {
        let event_type = self.get("Event Type").unwrap_or("").to_owned();
        let assessment_type = self.get("Assessment Type").unwrap_or("").to_owned();
        let kind = match event_type.trim().to_lowercase().as_str() {
            "request" => EpisodeKind::SocialCareRequest,
            "assessment" if assessment_type.to_lowercase().contains("carer") => EpisodeKind::CarerAssessment,
            "assessment" => EpisodeKind::SocialCareAssessment,
            "service" => EpisodeKind::SocialCareService,
            "review" => EpisodeKind::SocialCareReview,
            _ => {
                self.reject(
                    "Event Type",
                    format!("{event_type:?} is not Request, Assessment, Service or Review"),
                );
                return None;
            }
        };
        Some((kind, event_type, assessment_type))
    }

    /// The person as this row states them; `dates` of birth and death.
    fn person(&self, who: &Who, (dob, dod): (Option<NaiveDate>, Option<NaiveDate>)) -> PersonEntry {
        PersonEntry {
            key: who.key.clone(),
            nhs_number: who.nhs,
            local_ids: who.local.iter().cloned().collect(),
            source: who.source.clone(),
            demographics: Demographics {
                given_name: self.get("First Name").unwrap_or("").into(),
                family_name: self.get("Last Name").unwrap_or("").into(),
                date_of_birth: dob,
                date_of_death: dod,
                sex: match self.get("Gender").map(str::to_lowercase).as_deref() {
                    Some("female" | "f") => Sex::Female,
                    Some("male" | "m") => Sex::Male,
                    Some("other" | "non-binary" | "indeterminate") => Sex::Other,
                    _ => Sex::Unknown,
                },
                address: None,
                postcode: self.get("Postcode").map(str::to_owned),
                gp_practice: match (self.get("GP Practice Name"), self.get("GP Practice Code")) {
                    (Some(n), Some(c)) => Some(format!("{n} ({c})")),
                    (Some(n), None) => Some(n.into()),
                    (None, Some(c)) => Some(c.into()),
                    (None, None) => None,
                },
                allocated_worker: None,
            },
            alerts: vec![],
            is_restricted: false,
        }
    }
}

/// Whom a row is about.
struct Who {
    source: String,
    local: Option<LocalId>,
    nhs: Option<NhsNumber>,
    key: PersonKey,
}

/// An event's title from its kind and kept attributes.
fn title(kind: EpisodeKind, assessment_type: &str, attributes: &BTreeMap<String, String>) -> String {
    let detail_part = |k: &str| attributes.get(k).cloned();
    match kind {
        EpisodeKind::SocialCareRequest => {
            format!(
                "Request: {}",
                detail_part(attr::ROUTE_OF_ACCESS).unwrap_or_else(|| "route not recorded".into())
            )
        }
        EpisodeKind::SocialCareAssessment | EpisodeKind::CarerAssessment => {
            if assessment_type.is_empty() {
                "Assessment".into()
            } else {
                format!("Assessment: {assessment_type}")
            }
        }
        EpisodeKind::SocialCareService => {
            let parts: Vec<String> = [detail_part(attr::SERVICE_TYPE), detail_part("service_component")]
                .into_iter()
                .flatten()
                .collect();
            if parts.is_empty() {
                "Service".into()
            } else {
                format!("Service: {}", parts.join(", "))
            }
        }
        _ => format!(
            "Review{}",
            detail_part("review_reason")
                .map(|r| format!(": {r}"))
                .unwrap_or_default()
        ),
    }
}
