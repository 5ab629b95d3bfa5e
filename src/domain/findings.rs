//! Cross-sector findings: facts that only a merged record can show (DESIGN.md 2.3).
//!
//! Each finding is a pure function of the record and `today`, and carries its reason
//! in words a coordinator can check against the timeline.

use chrono::{Duration, NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

use super::dates::fmt_date;
use super::episode::attr;
use super::hospital::{is_death_in_hospital, is_emergency_admission};
use super::{ChcAssessmentKind, EpisodeKind, EpisodeStatus, PersonRecord};

/// Days after discharge within which a package active at admission should restart.
pub const RESTART_WINDOW_DAYS: i64 = 2;
/// An emergency admission this many days or fewer after a discharge is a readmission.
pub const READMISSION_WINDOW_DAYS: i64 = 30;
/// Calendar days from a positive Checklist to an ICB decision (RULES.md 2.4).
///
/// Unconfirmed: the verbatim Framework paragraph was not retrieved; secondary
/// sources (Lincolnshire ICB, farleydwek) agree on 28 days.
pub const CHC_DECISION_DAYS: i64 = 28;
/// A "Discharge from Hospital" request is linked to a discharge up to this many days before it.
pub const REQUEST_AFTER_DISCHARGE_DAYS: i64 = 14;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingKind {
    PackageNotRestarted,
    EmergencyReadmission,
    DischargeToService,
    ChcDecisionOverdue,
}

impl FindingKind {
    pub fn code(self) -> &'static str {
        match self {
            FindingKind::PackageNotRestarted => "package_not_restarted",
            FindingKind::EmergencyReadmission => "emergency_readmission",
            FindingKind::DischargeToService => "discharge_to_service",
            FindingKind::ChcDecisionOverdue => "chc_decision_overdue",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            FindingKind::PackageNotRestarted => "Package not restarted after discharge",
            FindingKind::EmergencyReadmission => "Emergency readmission within 30 days",
            FindingKind::DischargeToService => "Discharge to first social care service",
            FindingKind::ChcDecisionOverdue => "CHC decision overdue",
        }
    }
    /// Whether the finding calls for action (drawn in warning colour) or informs.
    pub fn is_warning(self) -> bool {
        self != FindingKind::DischargeToService
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    pub kind: FindingKind,
    pub date: NaiveDate,
    pub reason: String,
    /// Store ids of the episodes the finding is about.
    pub episode_ids: Vec<i64>,
}

/// Every finding for the record as of `today`, ordered by date.
pub fn all_findings(record: &PersonRecord, today: NaiveDate) -> Vec<Finding> {
    let mut out = packages_not_restarted(record, today);
    out.extend(emergency_readmissions(record));
    out.extend(discharge_to_service(record, today));
    out.extend(chc_decisions_overdue(record, today));
    out.sort_by(|a, b| a.date.cmp(&b.date).then(a.kind.cmp(&b.kind)));
    out
}

struct Stay {
    episode_id: i64,
    hospital: String,
    admitted: NaiveDateTime,
    discharged: Option<NaiveDateTime>,
    admission_method: Option<String>,
    died: bool,
}

fn stays(record: &PersonRecord) -> Vec<Stay> {
    let mut out: Vec<Stay> = record
        .episodes
        .iter()
        .filter(|e| e.kind == EpisodeKind::InpatientSpell && e.status != EpisodeStatus::Cancelled)
        .map(|e| Stay {
            episode_id: e.id,
            hospital: e.organisation.clone().unwrap_or_else(|| "hospital".to_owned()),
            admitted: e.start,
            discharged: e.end,
            admission_method: e.attr(attr::ADMISSION_METHOD).map(str::to_owned),
            died: is_death_in_hospital(e.attr(attr::DISCHARGE_METHOD), e.attr(attr::DISCHARGE_DESTINATION)),
        })
        .collect();
    out.sort_by_key(|s| s.admitted);
    out
}

/// (a) A social care service active when an admission started and not restarted, or
/// replaced by another service, within [`RESTART_WINDOW_DAYS`] of discharge.
///
/// A service "delivers" from its start to its end; a suspended service's end is the
/// day it was suspended. A service delivering at any time in the window after
/// discharge, and not itself suspended, counts as a restart or replacement.
pub fn packages_not_restarted(record: &PersonRecord, today: NaiveDate) -> Vec<Finding> {
    let services: Vec<_> = record
        .episodes
        .iter()
        .filter(|e| e.kind == EpisodeKind::SocialCareService && e.status != EpisodeStatus::Cancelled)
        .collect();
    let mut out = Vec::new();
    for stay in stays(record) {
        let Some(discharged) = stay.discharged else { continue };
        if stay.died {
            continue;
        }
        let window_end = discharged + Duration::days(RESTART_WINDOW_DAYS);
        if window_end.date() > today {
            continue; // too soon to say
        }
        let active_at_admission: Vec<_> = services
            .iter()
            .filter(|s| {
                s.start.date() <= stay.admitted.date() && s.end.is_none_or(|end| end.date() >= stay.admitted.date())
            })
            .collect();
        if active_at_admission.is_empty() {
            continue;
        }
        let restarted_in_window = services.iter().any(|s| {
            s.status != EpisodeStatus::Suspended
                && s.start.date() <= window_end.date()
                && s.end.is_none_or(|end| end.date() >= discharged.date())
        });
        if restarted_in_window {
            continue;
        }
        // Only a service started by `today`: a finding as of a day says nothing later.
        let later = services
            .iter()
            .filter(|s| s.start.date() > window_end.date() && s.start.date() <= today)
            .filter(|s| s.status != EpisodeStatus::Suspended)
            .min_by_key(|s| s.start);
        let names: Vec<&str> = active_at_admission.iter().map(|s| s.title.as_str()).collect();
        let outcome = match later {
            Some(s) => format!(
                "it restarted {} days after discharge ({} on {})",
                (s.start.date() - discharged.date()).num_days(),
                s.title,
                fmt_date(s.start.date())
            ),
            None => format!(
                "no service has started since: {} days as of {}",
                (today - discharged.date()).num_days(),
                fmt_date(today)
            ),
        };
        // Every item the reason names, the later service too: disclosure holds the
        // finding back when any of them is restricted (hostile review: a refuge
        // placement was named here while the timeline hid it).
        let mut ids = vec![stay.episode_id];
        ids.extend(active_at_admission.iter().map(|s| s.id));
        ids.extend(later.map(|s| s.id));
        out.push(Finding {
            kind: FindingKind::PackageNotRestarted,
            date: window_end.date(),
            reason: format!(
                "{} was active when the admission to {} began on {}; not restarted within {} days of discharge on {}: {}",
                names.join(", "),
                stay.hospital,
                fmt_date(stay.admitted.date()),
                RESTART_WINDOW_DAYS,
                fmt_date(discharged.date()),
                outcome
            ),
            episode_ids: ids,
        });
    }
    out
}

/// (b) An emergency admission (method starting "2") within
/// [`READMISSION_WINDOW_DAYS`] of a previous discharge that was not a death.
pub fn emergency_readmissions(record: &PersonRecord) -> Vec<Finding> {
    let stays = stays(record);
    let mut out = Vec::new();
    for (i, stay) in stays.iter().enumerate() {
        if !stay.admission_method.as_deref().is_some_and(is_emergency_admission) {
            continue;
        }
        let previous = stays[..i]
            .iter()
            .filter_map(|p| p.discharged.filter(|d| *d <= stay.admitted && !p.died).map(|d| (p, d)))
            .max_by_key(|(_, d)| *d);
        let Some((prev, discharged)) = previous else { continue };
        let gap = (stay.admitted.date() - discharged.date()).num_days();
        if gap <= READMISSION_WINDOW_DAYS {
            out.push(Finding {
                kind: FindingKind::EmergencyReadmission,
                date: stay.admitted.date(),
                reason: format!(
                    "emergency admission to {} on {}, {} days after discharge from {} on {}",
                    stay.hospital,
                    fmt_date(stay.admitted.date()),
                    gap,
                    prev.hospital,
                    fmt_date(discharged.date())
                ),
                episode_ids: vec![prev.episode_id, stay.episode_id],
            });
        }
    }
    out
}

/// (c) A hospital discharge followed by a social care request whose route of access
/// is "Discharge from Hospital", with the days until the first service started.
///
/// The request is linked to the spell it was made during, or to the latest discharge
/// up to [`REQUEST_AFTER_DISCHARGE_DAYS`] before it.
pub fn discharge_to_service(record: &PersonRecord, today: NaiveDate) -> Vec<Finding> {
    let stays = stays(record);
    let mut out = Vec::new();
    for req in record.episodes.iter().filter(|e| {
        e.kind == EpisodeKind::SocialCareRequest
            && e.attr(attr::ROUTE_OF_ACCESS)
                .is_some_and(|r| r.trim().eq_ignore_ascii_case("Discharge from Hospital"))
    }) {
        let linked = stays
            .iter()
            .filter(|s| {
                s.admitted <= req.start
                    && s.discharged
                        .is_none_or(|d| req.start <= d + Duration::days(REQUEST_AFTER_DISCHARGE_DAYS))
            })
            .max_by_key(|s| s.admitted);
        let Some(stay) = linked else { continue };
        let Some(discharged) = stay.discharged else { continue };
        let first_service = record
            .episodes
            .iter()
            .filter(|e| e.kind == EpisodeKind::SocialCareService && e.start >= req.start.min(discharged))
            .filter(|e| e.status != EpisodeStatus::Cancelled)
            .min_by_key(|e| e.start);
        let (reason_tail, date, mut ids) = match first_service {
            Some(s) => (
                format!(
                    "first service ({}) started on {}, {} days after discharge",
                    s.title,
                    fmt_date(s.start.date()),
                    (s.start.date() - discharged.date()).num_days()
                ),
                s.start.date(),
                vec![s.id],
            ),
            None => (
                format!(
                    "no service has started: {} days since discharge as of {}",
                    (today - discharged.date()).num_days(),
                    fmt_date(today)
                ),
                today,
                vec![],
            ),
        };
        ids.insert(0, req.id);
        ids.insert(0, stay.episode_id);
        out.push(Finding {
            kind: FindingKind::DischargeToService,
            date,
            reason: format!(
                "discharged from {} on {}; social care request (Discharge from Hospital) on {}; {}",
                stay.hospital,
                fmt_date(discharged.date()),
                fmt_date(req.start.date()),
                reason_tail
            ),
            episode_ids: ids,
        });
    }
    out
}

/// (d) A positive CHC Checklist with no ICB decision after [`CHC_DECISION_DAYS`]
/// calendar days. A decision recorded on any later CHC assessment (usually the DST)
/// ends the clock; a Fast Track also does, since it replaces the Checklist route.
pub fn chc_decisions_overdue(record: &PersonRecord, today: NaiveDate) -> Vec<Finding> {
    let mut out = Vec::new();
    for checklist in record.chc.iter().filter(|a| a.is_positive_checklist()) {
        let start = checklist.completed_on;
        let decided = record.chc.iter().any(|a| {
            a.icb_decision.as_ref().is_some_and(|d| d.date >= start)
                || (a.kind == ChcAssessmentKind::FastTrack && a.completed_on >= start)
        });
        let elapsed = (today - start).num_days();
        if decided || elapsed <= CHC_DECISION_DAYS {
            continue;
        }
        let due = start + Duration::days(CHC_DECISION_DAYS);
        out.push(Finding {
            kind: FindingKind::ChcDecisionOverdue,
            date: due,
            reason: format!(
                "positive CHC Checklist on {}: no ICB decision after {} days (due by {})",
                fmt_date(start),
                elapsed,
                fmt_date(due)
            ),
            episode_ids: vec![checklist.episode_id],
        });
    }
    out
}
