//! The restriction ledger: every audit event that makes a person restricted, or
//! stores a plan in a sensitive category, names them in its detail
//! (`[restricted: people 12,45; plans 3]`), which its hash and MAC cover. The
//! program never lifts a restriction, so `audit verify` checks that everyone the
//! MAC'd log made restricted still is: a restricted flag or a plan's sensitivity
//! cleared outside the program (with `sqlite3`) is caught. Clearing the records (the
//! training database's reseed) starts the ledger afresh. People and plans made
//! restricted before the ledger began are not covered.

use std::collections::BTreeSet;

use crate::store::engine::{Conn, OptionalExtension};

use super::verify::{AuditProblem, AuditProblemKind};
use crate::store::Result;

const OPEN: &str = " [restricted: ";

/// What one event made restricted.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct RestrictionLedger {
    pub people: BTreeSet<i64>,
    pub plans: BTreeSet<i64>,
}

impl RestrictionLedger {
    /// The note an event's detail ends with, or nothing when nothing was restricted.
    pub fn note(&self) -> String {
        if self.people.is_empty() && self.plans.is_empty() {
            return String::new();
        }
        let list = |ids: &BTreeSet<i64>| ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
        format!("{OPEN}people {}; plans {}]", list(&self.people), list(&self.plans))
    }

    /// A detail without its note, and the ledger the note names: an event carried
    /// into another database (`move_db`) gets a note with that database's ids.
    pub(in crate::store) fn split(detail: &str) -> (&str, RestrictionLedger) {
        match detail.rfind(OPEN) {
            Some(i) => (&detail[..i], Self::parse(detail)),
            None => (detail, RestrictionLedger::default()),
        }
    }

    /// The ledger a detail names (empty when it names none).
    fn parse(detail: &str) -> RestrictionLedger {
        let mut out = RestrictionLedger::default();
        let Some(rest) = detail.rfind(OPEN).map(|i| &detail[i + OPEN.len()..]) else {
            return out;
        };
        let rest = rest.trim_end_matches(']');
        for part in rest.split("; ") {
            let (kind, ids) = part.split_once(' ').unwrap_or((part, ""));
            let ids = ids.split(',').filter_map(|x| x.trim().parse::<i64>().ok());
            match kind {
                "people" => out.people.extend(ids),
                "plans" => out.plans.extend(ids),
                _ => {}
            }
        }
        out
    }
}

/// The first person or plan the MAC'd log made restricted that no longer is.
/// Called once the chain, the MACs and the anchor have been checked.
pub(super) fn check(conn: &Conn) -> Result<Option<AuditProblem>> {
    let mut stmt = conn.prepare(
        "SELECT id, action, detail FROM audit_event WHERE mac IS NOT NULL
         AND (detail LIKE '%[restricted: %' OR action = 'records_cleared') ORDER BY id",
    )?;
    let mut rows = stmt.query([])?;
    let mut people: Vec<(i64, i64)> = Vec::new();
    let mut plans: Vec<(i64, i64)> = Vec::new();
    while let Some(r) = rows.next()? {
        let (id, action, detail): (i64, String, String) = (r.get(0)?, r.get(1)?, r.get(2)?);
        if action == crate::domain::governance::AuditAction::RecordsCleared.code() {
            people.clear();
            plans.clear();
            continue;
        }
        let ledger = RestrictionLedger::parse(&detail);
        people.extend(ledger.people.into_iter().map(|p| (id, p)));
        plans.extend(ledger.plans.into_iter().map(|p| (id, p)));
    }
    for (event, person) in people {
        let restricted: Option<bool> = conn
            .query_row("SELECT is_restricted FROM person WHERE id = ?1", [person], |r| r.get(0))
            .optional()?;
        if restricted != Some(true) {
            return Ok(Some(problem(
                event,
                format!(
                    "person #{person} was made restricted by event {event} and is not restricted now (changed outside the program)"
                ),
            )));
        }
    }
    for (event, plan) in plans {
        let sensitivity: Option<String> = conn
            .query_row("SELECT sensitivity FROM care_plan WHERE id = ?1", [plan], |r| r.get(0))
            .optional()?;
        if sensitivity.as_deref().is_none_or(|s| s == "normal") {
            return Ok(Some(problem(
                event,
                format!(
                    "care plan #{plan} was stored restricted by event {event} and is not restricted now (changed outside the program)"
                ),
            )));
        }
    }
    Ok(None)
}

fn problem(event: i64, detail: String) -> AuditProblem {
    AuditProblem {
        at_event: Some(event),
        kind: AuditProblemKind::DataChanged,
        detail,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_note_reads_back() {
        let l = RestrictionLedger {
            people: [12, 45].into(),
            plans: [3].into(),
        };
        assert_eq!(l.note(), " [restricted: people 12,45; plans 3]");
        assert_eq!(RestrictionLedger::parse(&format!("imported x{}", l.note())), l);
        assert_eq!(RestrictionLedger::default().note(), "");
        assert_eq!(RestrictionLedger::parse("imported x"), RestrictionLedger::default());
        assert_eq!(
            RestrictionLedger::split(&format!("imported x{}", l.note())),
            ("imported x", l)
        );
    }
}
