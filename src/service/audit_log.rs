//! The audit log as the audit screen and its CSV export show it: the information
//! governance lead's alone. Each event names its person by name and NHS number (as
//! lists show people: a restricted person's contact details never), never by the
//! store's id; an event from before the training reseed cleared every record names
//! no one, since its id may now be someone else's.
//!
//! Details and reasons are shown as stored: the service writes them without names
//! or NHS numbers, and a reason is what the user typed to see restricted items,
//! which is what the governance lead reviews (SAFETY H38).

use std::collections::{HashMap, HashSet};

use chrono::{NaiveDate, NaiveDateTime};

use super::{Exported, Result, Service, ServiceError};
use crate::domain::audit_log::AuditRange;
use crate::domain::board_export::csv_field;
use crate::domain::dates::fmt_date_time;
use crate::domain::governance::AuditAction;
use crate::store::{AuditEvent, PersonSummary};

/// How many events the audit screen shows: the newest of the range.
pub const AUDIT_SHOWN: usize = 500;
/// The most events one CSV export carries (the newest of the range).
pub const AUDIT_EXPORT_MAX: usize = 100_000;

/// Whom an event is about, as it may be shown.
#[derive(Debug, Clone, PartialEq)]
pub enum AuditPerson {
    /// The event is about no one (a name search, an import, the board).
    NoOne,
    /// The person as lists show them.
    Known(Box<PersonSummary>),
    /// A record removed since by the training reseed: its id is not anyone now.
    Cleared,
    /// No person with that id is here any more.
    Missing,
}

impl AuditPerson {
    /// `OKAFOR, Margaret (999 000 0018)`, or what stands for no one.
    pub fn label(&self) -> String {
        match self {
            AuditPerson::NoOne => String::new(),
            AuditPerson::Known(p) => match p.nhs_number {
                Some(n) => format!("{} ({n})", p.display_name()),
                None => format!("{} (no NHS number)", p.display_name()),
            },
            AuditPerson::Cleared => "a training record since cleared".into(),
            AuditPerson::Missing => "a record no longer here".into(),
        }
    }
}

/// One event of the log, with its person.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditLine {
    pub event: AuditEvent,
    pub person: AuditPerson,
}

impl AuditLine {
    /// The action in a few words (its code when this build does not know it).
    pub fn action_label(&self) -> &str {
        AuditAction::from_code(&self.event.action).map_or(&self.event.action, |a| a.label())
    }
}

/// What the audit screen shows: the newest events of the range.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AuditLog {
    pub range: AuditRange,
    pub lines: Vec<AuditLine>,
    /// The range holds more events than are shown.
    pub more: bool,
}

/// The audit screen's filters within the range read (and so the export's).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilter {
    /// Only this action's code (`open`, `break_glass`, ...), or all.
    pub action: Option<String>,
    /// Part of the user name or role.
    pub who: String,
    /// Part of the person's name, or of their NHS number (spaces ignored).
    pub person: String,
    /// Only events that carry a reason (reveals, break-glass exports).
    pub with_reason_only: bool,
}

impl AuditFilter {
    pub fn keeps(&self, line: &AuditLine) -> bool {
        let e = &line.event;
        let who = self.who.trim().to_lowercase();
        self.action.as_ref().is_none_or(|a| &e.action == a)
            && (who.is_empty() || e.actor.to_lowercase().contains(&who))
            && self.keeps_person(&line.person)
            && (!self.with_reason_only || e.reason.is_some())
    }

    fn keeps_person(&self, person: &AuditPerson) -> bool {
        let wanted = self.person.trim().to_lowercase();
        if wanted.is_empty() {
            return true;
        }
        let AuditPerson::Known(p) = person else { return false };
        let digits: String = wanted.chars().filter(|c| !c.is_whitespace()).collect();
        let nhs = p.nhs_number.map(|n| n.digits()).unwrap_or_default();
        p.display_name().to_lowercase().contains(&wanted)
            || format!("{} {}", p.given_name, p.family_name)
                .to_lowercase()
                .contains(&wanted)
            || (digits.chars().all(|c| c.is_ascii_digit()) && !nhs.is_empty() && nhs.contains(&digits))
    }

    /// In words, for the export's audit event ("all events" when none applies).
    fn describe(&self) -> String {
        let mut parts = Vec::new();
        if let Some(a) = &self.action {
            parts.push(format!("action {a}"));
        }
        if !self.who.trim().is_empty() {
            parts.push("by user".to_owned());
        }
        if !self.person.trim().is_empty() {
            parts.push("by person".to_owned());
        }
        if self.with_reason_only {
            parts.push("with a reason only".to_owned());
        }
        if parts.is_empty() {
            "all events".into()
        } else {
            format!("filtered: {}", parts.join(", "))
        }
    }
}

const CSV_COLUMNS: [&str; 9] = [
    "event",
    "when",
    "who",
    "action",
    "action_code",
    "person",
    "nhs_number",
    "detail",
    "reason",
];

/// The lines as CSV, one row per event.
fn audit_csv(lines: &[AuditLine]) -> String {
    let mut out = CSV_COLUMNS.join(",");
    out.push_str("\r\n");
    for l in lines {
        let (person, nhs) = match &l.person {
            AuditPerson::Known(p) => (
                p.display_name(),
                p.nhs_number.map(|n| n.to_string()).unwrap_or_default(),
            ),
            other => (other.label(), String::new()),
        };
        let e = &l.event;
        let fields = [
            e.id.to_string(),
            fmt_date_time(e.at),
            e.actor.clone(),
            l.action_label().to_owned(),
            e.action.clone(),
            person,
            nhs,
            e.detail.clone(),
            e.reason.clone().unwrap_or_default(),
        ];
        let row: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
        out.push_str(&row.join(","));
        out.push_str("\r\n");
    }
    out
}

/// The one person a person filter kept, if it kept events of exactly one: an export
/// of someone's audit trail is then audited against them (and shows in their
/// record's "who has looked" list).
fn filtered_to_one(filter: &AuditFilter, lines: &[AuditLine]) -> Option<i64> {
    if filter.person.trim().is_empty() {
        return None;
    }
    let ids: HashSet<i64> = lines
        .iter()
        .filter_map(|l| match &l.person {
            AuditPerson::Known(p) => Some(p.id),
            _ => None,
        })
        .collect();
    match ids.len() {
        1 => ids.into_iter().next(),
        _ => None,
    }
}

impl Service {
    /// The audit screen and its export are the information governance lead's (the
    /// role rule of the window's Audit button, `Role::sees_audit_screen`).
    fn check_reads_audit_log(&self) -> Result<()> {
        if self.actor.role.is_some_and(|r| r.sees_audit_screen()) {
            return Ok(());
        }
        Err(ServiceError::Refused(
            "the audit log is for the information governance lead".into(),
        ))
    }

    /// The newest events of `range` (at most [`AUDIT_SHOWN`]), each with its person.
    pub fn audit_log(&self, range: AuditRange) -> Result<AuditLog> {
        self.check_reads_audit_log()?;
        let (lines, more) = self.audit_lines(range, AUDIT_SHOWN)?;
        Ok(AuditLog { range, lines, more })
    }

    fn audit_lines(&self, range: AuditRange, limit: usize) -> Result<(Vec<AuditLine>, bool)> {
        let (from, to) = range.bounds();
        let mut events = self.store.audit_events_between(from, to, limit + 1)?;
        let more = events.len() > limit;
        events.truncate(limit);
        let cleared = self.store.last_records_cleared()?.unwrap_or(0);
        let ids: Vec<i64> = events
            .iter()
            .filter(|e| e.id > cleared)
            .filter_map(|e| e.person_id)
            .collect::<HashSet<_>>()
            .into_iter()
            .collect();
        let people: HashMap<i64, PersonSummary> =
            self.store.people_by_ids(&ids)?.into_iter().map(|p| (p.id, p)).collect();
        let lines = events
            .into_iter()
            .map(|event| {
                let person = match event.person_id {
                    None => AuditPerson::NoOne,
                    Some(_) if event.id < cleared => AuditPerson::Cleared,
                    Some(id) => people
                        .get(&id)
                        .map_or(AuditPerson::Missing, |p| AuditPerson::Known(Box::new(p.clone()))),
                };
                AuditLine { event, person }
            })
            .collect();
        Ok((lines, more))
    }

    /// The events of `range` that `filter` keeps, as CSV (training-marked in training
    /// mode), audited as an export before the text is returned.
    pub(super) fn audit_log_csv(
        &mut self,
        range: AuditRange,
        filter: &AuditFilter,
        today: NaiveDate,
        now: NaiveDateTime,
    ) -> Result<Exported> {
        self.check_reads_audit_log()?;
        let (lines, more) = self.audit_lines(range, AUDIT_EXPORT_MAX)?;
        let lines: Vec<AuditLine> = lines.into_iter().filter(|l| filter.keeps(l)).collect();
        let csv = self.training_marked(audit_csv(&lines));
        let detail = format!(
            "exported the audit log as CSV: {} events, {}, {}{}",
            lines.len(),
            range.describe(),
            filter.describe(),
            if more {
                format!(" (the newest {AUDIT_EXPORT_MAX} of the range)")
            } else {
                String::new()
            }
        );
        self.audit(AuditAction::Export, filtered_to_one(filter, &lines), detail, None, now)?;
        Ok(Exported {
            bytes: csv.into_bytes(),
            file_name: format!("audit-log-{today}.csv"),
            restricted_left_out: 0,
            not_carried: 0,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::NhsNumber;

    fn line(action: &str, actor: &str, person: Option<(&str, &str)>, reason: Option<&str>) -> AuditLine {
        let person = match person {
            None => AuditPerson::NoOne,
            Some((family, nhs)) => AuditPerson::Known(Box::new(PersonSummary {
                id: 12,
                nhs_number: NhsNumber::parse(nhs).ok(),
                given_name: "Margaret".into(),
                family_name: family.into(),
                date_of_birth: None,
                date_of_death: None,
                sex: crate::domain::person::Sex::Female,
                address: None,
                postcode: None,
                gp_practice: None,
                is_restricted: false,
                in_hospital: false,
                similar_name: false,
            })),
        };
        AuditLine {
            event: AuditEvent {
                id: 1,
                at: NaiveDate::from_ymd_opt(2026, 11, 22)
                    .and_then(|d| d.and_hms_opt(10, 0, 0))
                    .unwrap(),
                actor: actor.into(),
                action: action.into(),
                person_id: Some(12).filter(|_| !matches!(person, AuditPerson::NoOne)),
                detail: String::new(),
                reason: reason.map(Into::into),
            },
            person,
        }
    }

    #[test]
    fn filters_combine_and_find_a_person_by_name_or_nhs_number() {
        let okafor = Some(("Okafor", "9990000018"));
        let lines = [
            line("open", "jsmith (Care coordinator)", okafor, None),
            line(
                "break_glass",
                "jsmith (Care coordinator)",
                okafor,
                Some("strategy meeting"),
            ),
            line("search", "ig (Information governance lead)", None, None),
            line(
                "open",
                "ig (Information governance lead)",
                Some(("Bennett", "9990000026")),
                None,
            ),
        ];
        let count = |f: &AuditFilter| lines.iter().filter(|l| f.keeps(l)).count();
        assert_eq!(count(&AuditFilter::default()), 4);
        for person in [
            "okafor",
            "OKAFOR, Marg",
            "margaret okafor",
            "999 000 0018",
            "9990000018",
            "0018",
        ] {
            let f = AuditFilter {
                person: person.into(),
                ..Default::default()
            };
            assert_eq!(count(&f), 2, "{person}");
        }
        let mut f = AuditFilter {
            person: "okafor".into(),
            with_reason_only: true,
            ..Default::default()
        };
        assert_eq!(count(&f), 1);
        f.with_reason_only = false;
        f.who = "GOVERNANCE".into();
        assert_eq!(count(&f), 0);
        let f = AuditFilter {
            who: "governance".into(),
            action: Some("open".into()),
            ..Default::default()
        };
        assert_eq!(count(&f), 1);
        assert_eq!(lines[1].action_label(), "Break glass");
        assert_eq!(lines[0].person.label(), "OKAFOR, Margaret (999 000 0018)");
        assert_eq!(AuditPerson::Cleared.label(), "a training record since cleared");
    }
}
