//! Condition and QuestionnaireResponse: what a clinician recorded, and forms
//! completed by or about the person, as items in the GP and community lane.

use std::collections::BTreeMap;

use serde_json::Value;

use super::{Reader, arr, display_of, s};
use crate::domain::dates::parse_date_time;
use crate::domain::sensitive_terms::sensitivity_of_text;
use crate::domain::{Episode, EpisodeKind, EpisodeStatus, Provenance};

/// At most this many answers are written into a questionnaire's detail.
const ANSWERS_SHOWN: usize = 30;

/// The code of the first coding of a CodeableConcept at `key`.
fn code_at<'a>(r: &'a Value, key: &str) -> Option<&'a str> {
    s(r, &[key, "coding", "0", "code"]).or_else(|| s(r, &[key, "text"]))
}

/// Words that make a form a social care assessment rather than a health questionnaire.
const SOCIAL_CARE_FORMS: &[&str] = &["care act", "social care", "care and support", "carer"];

impl Reader<'_> {
    /// A Condition (a diagnosis or problem) is dated from its onset, else from when it
    /// was recorded, and ended by its abatement; its SNOMED CT code, clinical and
    /// verification status, category, severity and who recorded it are kept. A refuted
    /// or entered-in-error Condition is not a fact about the person: skipped, counted.
    /// A diagnosis in a sensitive category (RULES.md 8) is marked so from its text.
    pub(super) fn condition(&mut self, location: &str, full_url: Option<&str>, r: &Value) {
        if matches!(code_at(r, "verificationStatus"), Some("refuted" | "entered-in-error")) {
            self.skip("Condition (refuted or entered in error)");
            return;
        }
        let Some(person) = self.person_or_reject(r, "subject", "condition", location) else {
            return;
        };
        let start = s(r, &["onsetDateTime"])
            .or_else(|| s(r, &["onsetPeriod", "start"]))
            .or_else(|| s(r, &["recordedDate"]))
            .and_then(parse_date_time);
        let Some(start) = start else {
            self.reject(
                location,
                "onsetDateTime",
                "a Condition needs onsetDateTime, onsetPeriod.start or recordedDate to go on the timeline",
            );
            return;
        };
        let Some(what) = r.get("code").and_then(display_of) else {
            self.reject(location, "code", "a Condition needs a code with text or a display");
            return;
        };
        let end = s(r, &["abatementDateTime"])
            .or_else(|| s(r, &["abatementPeriod", "end"]))
            .and_then(parse_date_time)
            .filter(|e| *e >= start);
        let clinical = code_at(r, "clinicalStatus");
        let status = match clinical {
            Some("resolved" | "inactive" | "remission") => EpisodeStatus::Ended,
            _ if end.is_some() => EpisodeStatus::Ended,
            _ => EpisodeStatus::Active,
        };
        let mut attributes = BTreeMap::new();
        if let Some(c) = arr(r.get("code").unwrap_or(&Value::Null), "coding")
            .iter()
            .find(|c| s(c, &["system"]) == Some("http://snomed.info/sct"))
            .and_then(|c| s(c, &["code"]))
        {
            attributes.insert("snomed_code".to_owned(), c.to_owned());
        }
        for (key, value) in [
            ("clinical_status", clinical),
            ("verification_status", code_at(r, "verificationStatus")),
        ] {
            if let Some(v) = value {
                attributes.insert(key.to_owned(), v.to_owned());
            }
        }
        if let Some(c) = arr(r, "category").first().and_then(display_of) {
            attributes.insert("category".to_owned(), c);
        }
        if let Some(v) = r.get("severity").and_then(display_of) {
            attributes.insert("severity".to_owned(), v);
        }
        if let Some(v) = r
            .get("recorder")
            .and_then(display_of)
            .or_else(|| r.get("asserter").and_then(display_of))
        {
            attributes.insert("recorded_by".to_owned(), v);
        }
        let detail = arr(r, "note")
            .iter()
            .filter_map(|n| s(n, &["text"]))
            .collect::<Vec<_>>()
            .join("\n");
        let source_ref = self.reference_of("Condition", location, full_url, r);
        self.push_item(
            person,
            Episode {
                id: 0,
                kind: EpisodeKind::Condition,
                sensitivity: sensitivity_of_text(&what),
                title: format!("Condition: {what}"),
                start,
                end,
                status,
                organisation: None,
                detail,
                attributes,
                provenance: Provenance::default(),
            },
            source_ref,
            None,
        );
    }

    /// A QuestionnaireResponse is a form completed on the date it was authored: its
    /// name (the Questionnaire's title when the file holds it, else the last part of
    /// its canonical URL), and its answers, question by question, in the detail. A
    /// social care form (Care Act, carer's) is a social care assessment. One entered
    /// in error is skipped and counted.
    pub(super) fn questionnaire_response(&mut self, location: &str, full_url: Option<&str>, r: &Value) {
        let status = s(r, &["status"]).unwrap_or("completed");
        if status == "entered-in-error" {
            self.skip("QuestionnaireResponse (entered in error)");
            return;
        }
        let Some(person) = self.person_or_reject(r, "subject", "questionnaire", location) else {
            return;
        };
        let Some(start) = s(r, &["authored"])
            .or_else(|| s(r, &["meta", "lastUpdated"]))
            .and_then(parse_date_time)
        else {
            self.reject(
                location,
                "authored",
                "a QuestionnaireResponse needs authored (or meta.lastUpdated) to go on the timeline",
            );
            return;
        };
        let canonical = s(r, &["questionnaire"]).map(|q| q.split('|').next().unwrap_or(q));
        let name = canonical
            .and_then(|url| self.questionnaire_titles.get(url).cloned())
            .or_else(|| {
                canonical.map(|url| {
                    // "care-act-needs-assessment" reads as "Care act needs assessment".
                    let last = url.trim_end_matches('/').rsplit('/').next().unwrap_or(url);
                    super::capitalise(&last.replace(['-', '_'], " "))
                })
            })
            .unwrap_or_else(|| "Questionnaire".to_owned());
        let mut answers = Vec::new();
        collect_answers(arr(r, "item"), &mut answers);
        let total = answers.len();
        let mut detail: Vec<String> = answers.into_iter().take(ANSWERS_SHOWN).collect();
        if total > ANSWERS_SHOWN {
            detail.push(format!("... and {} more answers", total - ANSWERS_SHOWN));
        }
        let lower = name.to_lowercase();
        let kind = if SOCIAL_CARE_FORMS.iter().any(|w| lower.contains(w)) {
            EpisodeKind::SocialCareAssessment
        } else {
            EpisodeKind::Questionnaire
        };
        let status = match status {
            "in-progress" => EpisodeStatus::Active,
            "stopped" => EpisodeStatus::Cancelled,
            _ => EpisodeStatus::Completed,
        };
        let mut attributes = BTreeMap::new();
        if let Some(c) = canonical {
            attributes.insert("questionnaire".to_owned(), c.to_owned());
        }
        attributes.insert("answers".to_owned(), total.to_string());
        let source_ref = self.reference_of("QuestionnaireResponse", location, full_url, r);
        let detail = detail.join("\n");
        self.push_item(
            person,
            Episode {
                id: 0,
                kind,
                sensitivity: sensitivity_of_text(&format!("{name}\n{detail}")),
                title: format!("Questionnaire: {name}"),
                start,
                end: None,
                status,
                organisation: None,
                detail,
                attributes,
                provenance: Provenance::default(),
            },
            source_ref,
            None,
        );
    }
}

/// "question: answer" for every answered item, nested items included, in order.
fn collect_answers(items: &[Value], out: &mut Vec<String>) {
    for item in items {
        let question = s(item, &["text"])
            .or_else(|| s(item, &["linkId"]))
            .unwrap_or("(question)");
        let values: Vec<String> = arr(item, "answer").iter().filter_map(answer_text).collect();
        if !values.is_empty() {
            out.push(format!("{}: {}", question.trim(), values.join("; ")));
        }
        collect_answers(arr(item, "item"), out);
        for a in arr(item, "answer") {
            collect_answers(arr(a, "item"), out);
        }
    }
}

fn answer_text(a: &Value) -> Option<String> {
    if let Some(c) = a.get("valueCoding") {
        return s(c, &["display"]).or_else(|| s(c, &["code"])).map(str::to_owned);
    }
    if let Some(q) = a.get("valueQuantity") {
        let value = q.get("value").map(|v| v.to_string())?;
        let unit = s(q, &["unit"]).or_else(|| s(q, &["code"])).unwrap_or("");
        return Some(format!("{value} {unit}").trim().to_owned());
    }
    for key in ["valueString", "valueDate", "valueDateTime", "valueTime", "valueUri"] {
        if let Some(v) = s(a, &[key]) {
            return Some(v.to_owned());
        }
    }
    for key in ["valueBoolean", "valueInteger", "valueDecimal"] {
        if let Some(v) = a.get(key).filter(|v| !v.is_null()) {
            return Some(match v.as_bool() {
                Some(true) => "yes".to_owned(),
                Some(false) => "no".to_owned(),
                None => v.to_string(),
            });
        }
    }
    a.get("valueReference").and_then(display_of)
}
