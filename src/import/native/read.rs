//! Reading a bundle: every field checked, bad people, episodes and plans rejected
//! with their path and a plain reason, the valid rest kept.

use chrono::{Duration, NaiveDate, NaiveDateTime};

use super::read_facts::{chc_of, spell_of};
use super::*;
use crate::domain::batch::{CarePlanEntry, EpisodeEntry, ImportBatch, PersonEntry, PersonKey};
use crate::domain::care_plan::{CarePlan, VersionRecorded};
use crate::domain::dates::{parse_date, parse_date_time};
use crate::domain::{Demographics, Episode, EpisodeKind, EpisodeStatus, Provenance, Sensitivity};
use crate::import::nhs_rule::{self, Nhs};
use crate::import::{ImportError, ImportOptions, Parsed, Rejections};

/// Checks a person, episode or plan at `location`; what it rejects goes to the
/// file's rejections.
pub(super) struct Checker {
    pub(super) location: String,
    pub(super) shift: Duration,
    pub(super) rejections: Rejections,
}

impl Checker {
    pub(super) fn reject(&mut self, field: &str, reason: impl Into<String>) {
        self.rejections.reject(&self.location, field, reason);
    }

    pub(super) fn date(&mut self, field: &str, s: &str) -> Option<NaiveDate> {
        match parse_date(s) {
            Some(d) => Some(d + self.shift),
            None => {
                self.reject(
                    field,
                    format!("{s:?} is not a date (use 2026-11-22, 22/11/2026 or 22-Nov-2026)"),
                );
                None
            }
        }
    }

    pub(super) fn opt_date(&mut self, field: &str, s: &Option<String>) -> Option<NaiveDate> {
        s.as_deref().and_then(|s| self.date(field, s))
    }

    pub(super) fn date_time(&mut self, field: &str, s: &str) -> Option<NaiveDateTime> {
        match parse_date_time(s) {
            Some(t) => Some(t + self.shift),
            None => {
                self.reject(
                    field,
                    format!("{s:?} is not a date or date-time (use 2026-11-22 or 2026-11-22T14:30)"),
                );
                None
            }
        }
    }
}

/// Parse and validate a bundle.
pub fn parse(file: &str, sha256: &str, text: &str, options: ImportOptions) -> Result<Parsed, ImportError> {
    let bundle: Bundle = serde_json::from_str(text).map_err(|e| ImportError::Malformed {
        file: file.to_owned(),
        line: e.line(),
        column: e.column(),
        reason: e.to_string().split(" at line").next().unwrap_or_default().to_owned(),
    })?;
    if bundle.format != FORMAT_TAG {
        return Err(ImportError::Invalid {
            file: file.into(),
            reason: format!("\"format\" must be \"{FORMAT_TAG}\""),
        });
    }
    if bundle.version != FORMAT_VERSION {
        return Err(ImportError::Invalid {
            file: file.into(),
            reason: format!(
                "bundle version {} is not supported (this joinedup reads version {FORMAT_VERSION})",
                bundle.version
            ),
        });
    }
    let mut batch = ImportBatch {
        format: NAME.into(),
        file_name: file.to_owned(),
        file_sha256: sha256.to_owned(),
        ..Default::default()
    };
    let mut ck = Checker {
        location: String::new(),
        shift: Duration::days(options.shift_days),
        rejections: Rejections::new(file),
    };
    for (pi, p) in bundle.people.iter().enumerate() {
        batch.rows_read += 1 + p.episodes.len() + p.care_plans.len();
        ck.location = format!("people[{pi}]");
        let Some(entries) = person_entries(&mut ck, p, options) else {
            continue;
        };
        let key = entries[0].key.clone();
        batch.people.extend(entries);
        for (ei, e) in p.episodes.iter().enumerate() {
            ck.location = format!("people[{pi}].episodes[{ei}] (ref {})", e.source_ref);
            if let Some(entry) = episode_entry(&mut ck, &key, &p.source, e) {
                batch.episodes.push(entry);
            }
        }
        for (ci, c) in p.care_plans.iter().enumerate() {
            ck.location = format!("people[{pi}].care_plans[{ci}] (ref {})", c.plan_ref);
            if let Some(entry) = care_plan_entry(&mut ck, &key, &p.source, c) {
                batch.care_plans.push(entry);
            }
        }
    }
    Ok(ck.rejections.into_parsed(batch))
}

fn demographics(ck: &mut Checker, d: &BundleDemographics) -> Demographics {
    Demographics {
        given_name: d.given_name.trim().to_owned(),
        family_name: d.family_name.trim().to_owned(),
        // A date of birth is who the person is, not an event in the story: never shifted.
        date_of_birth: d
            .date_of_birth
            .as_deref()
            .and_then(|s| ck.date("date_of_birth", s))
            .map(|d| d - ck.shift),
        date_of_death: d.date_of_death.as_deref().and_then(|s| ck.date("date_of_death", s)),
        sex: d.sex.unwrap_or_default(),
        address: d.address.clone(),
        postcode: d.postcode.clone(),
        gp_practice: d.gp_practice.clone(),
        allocated_worker: d.allocated_worker.clone(),
    }
}

fn person_entries(ck: &mut Checker, p: &BundlePerson, options: ImportOptions) -> Option<Vec<PersonEntry>> {
    let before = ck.rejections.mark();
    // The bundle is joinedup's own format: a number not valid there was damaged or
    // edited, so it refuses the person rather than leaving them to be matched.
    let nhs_number = match nhs_rule::accept(p.nhs_number.as_deref(), options) {
        Nhs::Absent => None,
        Nhs::Accepted(n) => Some(n),
        Nhs::NotValid(e) => {
            ck.reject("nhs_number", format!("not a valid NHS number: {e}"));
            None
        }
        Nhs::Refused(reason) => {
            ck.reject("nhs_number", reason);
            None
        }
    };
    if p.source.trim().is_empty() {
        ck.reject("source", "every person needs the source system that describes them");
    }
    for l in &p.local_ids {
        if let Some(reason) = nhs_rule::refuse_local_in_training(&l.id, options) {
            ck.reject("local_ids", reason);
        }
    }
    let key = match (nhs_number, p.local_ids.first()) {
        (Some(n), _) => PersonKey::Nhs(n),
        // An NHS number was given but rejected above: reject the person, once.
        (None, _) if ck.rejections.since(before) => return None,
        (None, Some(l)) => PersonKey::Local(l.clone()),
        (None, None) => {
            ck.reject(
                "nhs_number",
                "a person needs an NHS number or at least one local identifier",
            );
            return None;
        }
    };
    let first = PersonEntry {
        key: key.clone(),
        nhs_number,
        local_ids: p.local_ids.clone(),
        source: p.source.clone(),
        demographics: demographics(ck, &p.demographics),
        alerts: p.alerts.clone(),
        is_restricted: p.restricted,
    };
    let mut out = vec![first];
    for s in &p.also_stated_by {
        out.push(PersonEntry {
            key: key.clone(),
            nhs_number,
            local_ids: vec![],
            source: s.source.clone(),
            demographics: demographics(ck, &s.demographics),
            alerts: vec![],
            is_restricted: false,
        });
    }
    (!ck.rejections.since(before)).then_some(out)
}

fn episode_entry(ck: &mut Checker, key: &PersonKey, default_source: &str, e: &BundleEpisode) -> Option<EpisodeEntry> {
    let before = ck.rejections.mark();
    let kind = EpisodeKind::from_code(&e.kind);
    if kind.is_none() {
        let known: Vec<&str> = EpisodeKind::ALL.iter().map(|k| k.code()).collect();
        ck.reject(
            "kind",
            format!("unknown kind {:?}; expected one of {}", e.kind, known.join(", ")),
        );
    }
    if e.source_ref.trim().is_empty() {
        ck.reject("ref", "every episode needs its source reference");
    }
    let start = ck.date_time("start", &e.start);
    let end = e.end.as_deref().and_then(|s| ck.date_time("end", s));
    if let (Some(s), Some(en)) = (start, end)
        && en < s
    {
        ck.reject("end", "ends before it starts");
    }
    let status = match e.status.as_deref() {
        None => Some(default_status(kind, end.is_some())),
        Some(s) => {
            let st = EpisodeStatus::from_code(s);
            if st.is_none() {
                ck.reject(
                    "status",
                    format!("unknown status {s:?}; expected planned, active, suspended, ended, completed or cancelled"),
                );
            }
            st
        }
    };
    let sensitivity = match e.sensitivity.as_deref() {
        None => Some(Sensitivity::Normal),
        Some(s) => {
            let v = Sensitivity::from_code(s);
            if v.is_none() {
                ck.reject("sensitivity", format!("unknown sensitivity {s:?}"));
            }
            v
        }
    };
    let mut attributes = e.attributes.clone();
    let spell = e.spell.as_ref().map(|s| spell_of(ck, s, start, end, &mut attributes));
    let chc = match (&e.chc, kind, start) {
        (Some(c), Some(k), Some(st)) => chc_of(ck, c, k, st.date()),
        _ => None,
    };
    if ck.rejections.since(before) {
        return None;
    }
    let (kind, start, status, sensitivity) = (kind?, start?, status?, sensitivity?);
    let source = e.source.clone().unwrap_or_else(|| default_source.to_owned());
    Some(EpisodeEntry {
        person: key.clone(),
        episode: Episode {
            id: 0,
            kind,
            title: if e.title.trim().is_empty() {
                kind.label().to_owned()
            } else {
                e.title.clone()
            },
            start,
            end,
            status,
            organisation: e.organisation.clone(),
            detail: e.detail.clone(),
            sensitivity,
            attributes,
            provenance: Provenance {
                source,
                source_ref: e.source_ref.clone(),
                ..Default::default()
            },
        },
        spell,
        chc,
        replaces_existing: false,
    })
}

/// With no status given: an open spell or service is active; an ended one, or any
/// one-off contact, is ended or completed.
fn default_status(kind: Option<EpisodeKind>, has_end: bool) -> EpisodeStatus {
    let is_span_kind = matches!(kind, Some(EpisodeKind::InpatientSpell | EpisodeKind::SocialCareService));
    match (is_span_kind, has_end) {
        (true, false) => EpisodeStatus::Active,
        (true, true) => EpisodeStatus::Ended,
        (false, _) => EpisodeStatus::Completed,
    }
}

fn care_plan_entry(
    ck: &mut Checker,
    key: &PersonKey,
    default_source: &str,
    c: &BundleCarePlan,
) -> Option<CarePlanEntry> {
    let before = ck.rejections.mark();
    let start = ck.date("start", &c.start);
    let last_review = ck.opt_date("last_review", &c.last_review);
    let next_review = ck.opt_date("next_review", &c.next_review);
    let recorded_at = c.recorded_at.as_deref().and_then(|t| ck.date_time("recorded_at", t));
    let actions = super::read_facts::actions_of(ck, &c.actions);
    if ck.rejections.since(before) {
        return None;
    }
    let sensitivity = match c.sensitivity.as_deref() {
        None => crate::domain::sensitive_terms::sensitivity_of_text(&c.title),
        Some(code) => match Sensitivity::from_code(code) {
            Some(s) => s,
            None => {
                ck.reject("sensitivity", format!("unknown sensitivity {code:?}"));
                return None;
            }
        },
    };
    let source = c.source.clone().unwrap_or_else(|| default_source.to_owned());
    let actions = actions?;
    let problems = crate::domain::care_plan::link_problems(&c.needs, &actions);
    if !problems.is_empty() {
        ck.reject("actions.meets", problems.join("; "));
        return None;
    }
    Some(CarePlanEntry {
        person: key.clone(),
        plan_ref: c.plan_ref.clone(),
        plan: CarePlan {
            id: 0,
            kind: c.kind,
            sector: c.sector,
            title: c.title.clone(),
            owner: c.owner.clone(),
            status: c.status.clone(),
            version: c.version,
            recorded: VersionRecorded {
                at: recorded_at,
                by: c.recorded_by.clone(),
                organisation: c.recorded_organisation.clone(),
            },
            start: start?,
            last_review,
            next_review,
            goals: c.goals.clone(),
            needs: c.needs.clone(),
            actions,
            funding: c.funding,
            personal_budget_weekly: c.personal_budget_weekly,
            sensitivity,
            is_placeholder: false,
            provenance: Provenance {
                source,
                source_ref: c.plan_ref.clone(),
                ..Default::default()
            },
        },
    })
}
