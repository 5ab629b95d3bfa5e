//! Event detection from one person's merged record as of `today`. Where a rule
//! already exists it is reused, not copied: the discharge ready date and days
//! delayed (`discharge`), a package not restarted (`findings`), the CHC clock
//! (`chc_case`), plan reviews (`care_plan_rules`), conflicting sources (`person`).

use chrono::{Duration, NaiveDate};

use super::{EventKind, Target, WorklistEvent};
use crate::domain::care_plan_rules::{ReviewState, current_plans, review_status};
use crate::domain::chc_case::{ChcStage, chc_case};
use crate::domain::dates::fmt_date;
use crate::domain::discharge::{current_reasons, days_delayed, discharge_ready_date, is_current};
use crate::domain::findings::{CHC_DECISION_DAYS, packages_not_restarted};
use crate::domain::hospital::{Attribution, is_death_in_hospital};
use crate::domain::{EpisodeKind, EpisodeStatus, PersonRecord, episode::attr};

/// Days delayed since the discharge ready date at which an event is raised
/// (the SitRep reports 7+, 14+ and 21+ day stays; RULES.md 3.3).
pub const DELAY_STEPS: [u8; 3] = [7, 14, 21];
/// Day of the 28-day CHC clock at which a first warning is raised: a local choice,
/// a week before the ICB decision is due (unconfirmed as any national rule).
pub const CHC_WARNING_DAY: u8 = 21;

/// The item kinds event detection reads: [`detect`] and the rules it reuses
/// (`findings::packages_not_restarted` reads stays and services; the CHC clock reads
/// the assessments, which are read for a person only when they have a CHC item).
/// A caseload's records are read with only these (`Store::person_facts`), so that a
/// worklist over 300 people does not map the GP, outpatient and community contacts
/// no detector looks at. The placeholders are read too: on a server one may stand
/// for any item held back from the user.
///
/// A detector that starts to read another kind must add it here.
/// `tests/worklist.rs` holds it: on every training person and a generated
/// population, on several days, detection and disclosure over these items equal
/// those over the whole record.
pub const DETECTED_KINDS: [EpisodeKind; 10] = [
    EpisodeKind::InpatientSpell,
    EpisodeKind::AeAttendance,
    EpisodeKind::SocialCareService,
    EpisodeKind::SafeguardingEnquiry,
    EpisodeKind::ChcChecklist,
    EpisodeKind::ChcDst,
    EpisodeKind::ChcFastTrack,
    EpisodeKind::ChcReview,
    EpisodeKind::RestrictedHealth,
    EpisodeKind::RestrictedSocialCare,
];

/// Every event the record shows as of `today`, in no particular order.
pub fn detect(record: &PersonRecord, today: NaiveDate) -> Vec<WorklistEvent> {
    let mut out = Vec::new();
    hospital_events(record, today, &mut out);
    delay_events(record, today, &mut out);
    package_events(record, today, &mut out);
    chc_events(record, today, &mut out);
    review_events(record, today, &mut out);
    safeguarding_events(record, today, &mut out);
    death_events(record, today, &mut out);
    conflict_events(record, today, &mut out);
    out.retain(|e| e.date <= today);
    out
}

fn event(record: &PersonRecord, kind: EventKind, date: NaiveDate, item: &str, summary: String) -> WorklistEvent {
    WorklistEvent {
        person_id: record.person.id,
        kind,
        date,
        summary,
        key: format!("{}:{item}", kind.code()),
        is_open: false,
        target: Target::Record,
        episode_ids: Vec::new(),
        plan_ids: Vec::new(),
    }
}

fn at_episode(mut e: WorklistEvent, id: i64, is_open: bool) -> WorklistEvent {
    e.target = Target::Episode(id);
    e.episode_ids = vec![id];
    e.is_open = is_open;
    e
}

/// Admitted, discharged (not a death: that is `DeathRecorded`), A&E attendances.
fn hospital_events(record: &PersonRecord, today: NaiveDate, out: &mut Vec<WorklistEvent>) {
    for e in record.episodes.iter().filter(|e| e.status != EpisodeStatus::Cancelled) {
        let place = e.organisation.clone().unwrap_or_else(|| "hospital".into());
        match e.kind {
            EpisodeKind::InpatientSpell => {
                let in_hospital = e.end.is_none_or(|d| d.date() > today);
                let admitted = event(
                    record,
                    EventKind::Admitted,
                    e.start.date(),
                    &e.id.to_string(),
                    format!("Admitted to {place} on {}", fmt_date(e.start.date())),
                );
                out.push(at_episode(admitted, e.id, in_hospital));
                let died = is_death_in_hospital(e.attr(attr::DISCHARGE_METHOD), e.attr(attr::DISCHARGE_DESTINATION));
                if let Some(end) = e.end.filter(|_| !died) {
                    let discharged = event(
                        record,
                        EventKind::Discharged,
                        end.date(),
                        &e.id.to_string(),
                        format!("Discharged from {place} on {}", fmt_date(end.date())),
                    );
                    out.push(at_episode(discharged, e.id, false));
                }
            }
            EpisodeKind::AeAttendance => {
                let ae = event(
                    record,
                    EventKind::AeAttendance,
                    e.start.date(),
                    &e.id.to_string(),
                    format!("A&E attendance at {place} on {}", fmt_date(e.start.date())),
                );
                out.push(at_episode(ae, e.id, false));
            }
            _ => {}
        }
    }
}

/// While in hospital: the discharge ready date reached, the delay reaching each of
/// [`DELAY_STEPS`], and each delay reason in force attributed to social care.
/// Only stays current on `today` are read (`Store::person_facts` reads a person's
/// stays only when one is).
fn delay_events(record: &PersonRecord, today: NaiveDate, out: &mut Vec<WorklistEvent>) {
    for spell in record.spells.iter().filter(|s| is_current(s, today)) {
        let id = spell.episode_id;
        if let Some(drd) = discharge_ready_date(spell, today) {
            let ready = event(
                record,
                EventKind::DischargeReady,
                drd,
                &format!("{id}:{drd}"),
                format!("Ready for discharge from {} since {}", spell.hospital, fmt_date(drd)),
            );
            out.push(at_episode(ready, id, true));
            let days = days_delayed(spell, today).unwrap_or(0);
            for step in DELAY_STEPS.into_iter().filter(|s| days >= i64::from(*s)) {
                let delay = event(
                    record,
                    EventKind::Delay(step),
                    drd + Duration::days(i64::from(step)),
                    &format!("{id}:{drd}"),
                    format!(
                        "Delayed discharge: {days} days at {} since ready on {}",
                        spell.hospital,
                        fmt_date(drd)
                    ),
                );
                out.push(at_episode(delay, id, true));
            }
        }
        for r in current_reasons(&spell.delay_reasons, today)
            .filter(|r| matches!(r.attribution, Attribution::SocialCare | Attribution::Both))
        {
            let reason = event(
                record,
                EventKind::SocialCareDelayReason,
                r.since,
                &format!("{id}:{}:{}", r.id, r.since),
                format!(
                    "Delay reason attributed to {}: {} (since {})",
                    r.attribution.label().to_lowercase(),
                    r.description,
                    fmt_date(r.since)
                ),
            );
            out.push(at_episode(reason, id, true));
        }
    }
}

/// The `findings` rule, as events: open until a service has started since.
fn package_events(record: &PersonRecord, today: NaiveDate, out: &mut Vec<WorklistEvent>) {
    for f in packages_not_restarted(record, today) {
        let restarted = record.episodes.iter().any(|e| {
            e.kind == EpisodeKind::SocialCareService
                && !matches!(e.status, EpisodeStatus::Cancelled | EpisodeStatus::Suspended)
                && e.start.date() > f.date
                && e.start.date() <= today
        });
        let first = f.episode_ids.first().copied().unwrap_or(0);
        let mut e = event(
            record,
            EventKind::PackageNotRestarted,
            f.date,
            &first.to_string(),
            capitalise(&f.reason),
        );
        e.is_open = !restarted;
        e.target = Target::Episode(first);
        e.episode_ids = f.episode_ids;
        out.push(e);
    }
}

/// A positive Checklist still without a decision at day 21 and day 28 of the clock
/// (`chc_case`; a Fast Track has no 28-day clock).
fn chc_events(record: &PersonRecord, today: NaiveDate, out: &mut Vec<WorklistEvent>) {
    let Some(case) = chc_case(&record.chc, today) else {
        return;
    };
    if !matches!(case.stage, ChcStage::ChecklistPositive | ChcStage::AwaitingDecision) {
        return;
    }
    let checklist = record
        .chc
        .iter()
        .find(|a| a.completed_on == case.started_on && a.is_positive_checklist())
        .map(|a| a.episode_id)
        .unwrap_or(0);
    for day in [CHC_WARNING_DAY, CHC_DECISION_DAYS as u8] {
        if case.days_on_clock < i64::from(day) {
            continue;
        }
        let e = event(
            record,
            EventKind::ChcClock(day),
            case.started_on + Duration::days(i64::from(day)),
            &format!("{checklist}:{}", case.started_on),
            format!(
                "Positive CHC Checklist on {}: day {} of the 28-day clock, no ICB decision (due {})",
                fmt_date(case.started_on),
                case.days_on_clock,
                fmt_date(case.decision_due)
            ),
        );
        out.push(at_episode(e, checklist, true));
    }
}

/// Current plans whose review is due or overdue (`care_plan_rules::review_status`).
fn review_events(record: &PersonRecord, today: NaiveDate, out: &mut Vec<WorklistEvent>) {
    for plan in current_plans(&record.care_plans) {
        let status = review_status(plan, today);
        let (kind, date, words) = match status.state {
            ReviewState::NotYetDue => continue,
            // Inside the window the due date is still ahead: dated today, keyed by the due date.
            ReviewState::Due => (EventKind::ReviewDue, today, "due by"),
            ReviewState::Overdue => (
                EventKind::ReviewOverdue,
                status.due_by + Duration::days(1),
                "overdue since",
            ),
        };
        let mut e = event(
            record,
            kind,
            date,
            &format!("{}:{}", plan.id, status.due_by),
            format!("Review of {} {words} {}", plan.title, fmt_date(status.due_by)),
        );
        e.is_open = true;
        e.target = Target::Plan(plan.id);
        e.plan_ids = vec![plan.id];
        out.push(e);
    }
}

/// Each safeguarding enquiry (restricted until a reason is given: `disclosure`).
fn safeguarding_events(record: &PersonRecord, today: NaiveDate, out: &mut Vec<WorklistEvent>) {
    for s in record
        .episodes
        .iter()
        .filter(|e| e.kind == EpisodeKind::SafeguardingEnquiry && e.status != EpisodeStatus::Cancelled)
    {
        let open = s.end.is_none_or(|d| d.date() > today);
        let e = event(
            record,
            EventKind::SafeguardingEnquiry,
            s.start.date(),
            &s.id.to_string(),
            format!("Safeguarding enquiry opened on {}", fmt_date(s.start.date())),
        );
        out.push(at_episode(e, s.id, open));
    }
}

/// A date of death any source recorded, or a death in hospital.
fn death_events(record: &PersonRecord, _today: NaiveDate, out: &mut Vec<WorklistEvent>) {
    let stated = std::iter::once(&record.person.demographics)
        .chain(record.person.by_source.iter().map(|(_, d)| d))
        .filter_map(|d| d.date_of_death)
        .min();
    let in_hospital = record
        .episodes
        .iter()
        .filter(|e| e.kind == EpisodeKind::InpatientSpell)
        .filter(|e| is_death_in_hospital(e.attr(attr::DISCHARGE_METHOD), e.attr(attr::DISCHARGE_DESTINATION)))
        .find_map(|e| e.end.map(|d| (d.date(), e.id)));
    let (date, at) = match (stated, in_hospital) {
        (Some(d), Some((_, id))) => (d, Some(id)),
        (Some(d), None) => (d, None),
        (None, Some((d, id))) => (d, Some(id)),
        (None, None) => return,
    };
    let e = event(
        record,
        EventKind::DeathRecorded,
        date,
        "person",
        format!("Death recorded: died on {}", fmt_date(date)),
    );
    out.push(match at {
        Some(id) => at_episode(e, id, false),
        None => e,
    });
}

/// Fields on which the sources disagree. No source says when they began to
/// disagree, so the event is dated `today` and keyed by the field alone: seen once,
/// it stays seen while the same field disagrees.
fn conflict_events(record: &PersonRecord, today: NaiveDate, out: &mut Vec<WorklistEvent>) {
    for c in record.person.conflicts() {
        let sources: Vec<&str> = c.values.iter().map(|(s, _)| s.as_str()).collect();
        let mut e = event(
            record,
            EventKind::SourcesDisagree,
            today,
            &c.field.replace(' ', "_"),
            format!("Sources disagree on {}: {}", c.field, sources.join(", ")),
        );
        e.is_open = true;
        out.push(e);
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}
