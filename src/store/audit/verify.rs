//! Verifying the log: the chain, each event's MAC, the anchor, and the data seals.

use crate::store::engine::Conn;

use super::key::{AnchorRead, AuditKey, AuditKeyStatus};
use super::key_files::{constant_time_eq, hex};
use super::{AuditEvent, GENESIS, event_hash, finish, read_event, seal};
use crate::store::Result;

/// What [`crate::store::Store::audit_report`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditReport {
    /// Events in the log.
    pub events: usize,
    /// Events checked by the hash chain only: written before MACs began (by a version
    /// without them), or under a key that was since replaced.
    pub chain_only_events: usize,
    /// Events after the anchor's head: appended since the anchor file was last
    /// written (a crash between the commit and the anchor, or another process that
    /// has not written it yet). They are MAC'd, but their removal would not be seen.
    pub events_after_anchor: usize,
    pub key: AuditKeyStatus,
    /// Episodes covered by a data seal.
    pub sealed_items: usize,
    /// Episodes written since the last audit event, not sealed yet.
    pub unsealed_items: usize,
    /// The data seals were not checked: a signed-in user's view of the record holds
    /// restricted items back, so only the owner's connection can check them.
    pub seals_unchecked: bool,
    /// The first problem found, if any.
    pub problem: Option<AuditProblem>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditProblem {
    /// The event where it was seen, when it is about one event.
    pub at_event: Option<i64>,
    pub kind: AuditProblemKind,
    /// In plain words, for the operator.
    pub detail: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuditProblemKind {
    /// The chain is broken: an event was removed (or inserted) in the middle.
    EventRemoved,
    /// An event's content does not match its hash or its MAC.
    EventAltered,
    /// An event that should carry a MAC has none.
    MacMissing,
    /// The log holds fewer events than the anchor records, or not its head.
    Truncated,
    /// The anchor file is missing, unreadable or forged.
    AnchorInvalid,
    /// Episode rows were changed, added or removed outside the program, or a data
    /// seal was.
    DataChanged,
}

/// The verdict of a report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuditOutcome {
    Intact,
    /// The chain holds as far as it goes, but without the key the MACs, the anchor
    /// and the data seals cannot be checked.
    CannotVerify(String),
    Broken(AuditProblem),
}

impl AuditReport {
    pub fn outcome(&self) -> AuditOutcome {
        if let Some(p) = &self.problem {
            return AuditOutcome::Broken(p.clone());
        }
        match &self.key {
            AuditKeyStatus::Missing { path } => AuditOutcome::CannotVerify(format!(
                "key missing, cannot verify MACs: the audit key {} is not here (copy it from where this database came from); the hash chain of {} events holds",
                path.display(),
                self.events
            )),
            AuditKeyStatus::Mismatched { path } => AuditOutcome::CannotVerify(format!(
                "key mismatched, cannot verify MACs: {} was made for another database; the hash chain of {} events holds",
                path.display(),
                self.events
            )),
            _ => AuditOutcome::Intact,
        }
    }

    /// The report in plain lines, for `audit verify` and the audit screen.
    pub fn lines(&self) -> Vec<String> {
        let mut out = vec![match self.outcome() {
            AuditOutcome::Intact => format!("audit log intact: {} events", self.events),
            AuditOutcome::CannotVerify(why) => format!("audit log NOT VERIFIED: {why}"),
            AuditOutcome::Broken(p) => match p.at_event {
                Some(id) => format!("audit log BROKEN at event {id}: {}", p.detail),
                None => format!("audit log BROKEN: {}", p.detail),
            },
        }];
        if self.chain_only_events > 0 {
            out.push(format!(
                "{} earlier events have no MAC this key can check (written before MACs began, or under a replaced key): checked by the hash chain only",
                self.chain_only_events
            ));
        }
        if self.events_after_anchor > 0 {
            out.push(format!(
                "{} events were appended after the anchor was last written (an interrupted write, or another process): they are MAC'd, but their removal would not be seen",
                self.events_after_anchor
            ));
        }
        if self.seals_unchecked {
            out.push(
                "the data seals over the items were not checked: a signed-in user's view holds restricted items back, so the database owner checks them (audit verify on the owner's connection)"
                    .to_owned(),
            );
        }
        if self.unsealed_items > 0 {
            out.push(format!(
                "{} items written since the last audit event are not sealed yet",
                self.unsealed_items
            ));
        }
        out
    }
}

struct Walk {
    count: usize,
    chain_only: usize,
    last_id: i64,
    anchor_seen: Option<usize>,
    /// The data seals the log made and did not retire: (from, through).
    ledger: Vec<(i64, i64)>,
}

pub(super) fn report(conn: &Conn, key: &AuditKey) -> Result<AuditReport> {
    let mut report = AuditReport {
        events: 0,
        chain_only_events: 0,
        events_after_anchor: 0,
        key: key.status(),
        sealed_items: 0,
        unsealed_items: 0,
        seals_unchecked: false,
        problem: None,
    };
    let anchor = key.read_anchor();
    let (walk, problem) = walk(conn, key, &anchor)?;
    report.events = walk.count;
    report.chain_only_events = walk.chain_only;
    report.problem = problem;
    if report.problem.is_some() || key.macs_from().is_none() {
        return Ok(report);
    }
    report.problem = check_anchor(&anchor, &walk);
    if let AnchorRead::Valid(a) = &anchor {
        report.events_after_anchor = match (a.head_id, walk.anchor_seen) {
            (0, _) => walk.count,
            (_, Some(pos)) => walk.count - pos,
            (_, None) => 0,
        };
    }
    if conn.reads_through_views() {
        report.seals_unchecked = true;
        return Ok(report);
    }
    if report.problem.is_none() {
        report.problem = check_seals(conn, key, &walk, &mut report)?;
    }
    if report.problem.is_none() {
        report.problem = super::restriction::check(conn)?;
    }
    Ok(report)
}

fn walk(conn: &Conn, key: &AuditKey, anchor: &AnchorRead) -> Result<(Walk, Option<AuditProblem>)> {
    let mut stmt = conn.prepare(
        "SELECT id, at, actor, action, person_id, detail, reason, prev_hash, hash, mac, seal FROM audit_event ORDER BY id",
    )?;
    let mut rows = stmt.query([])?;
    let mut prev = GENESIS.to_owned();
    let mut w = Walk {
        count: 0,
        chain_only: 0,
        last_id: 0,
        anchor_seen: None,
        ledger: Vec::new(),
    };
    let broken = |at: i64, kind, detail: &str| {
        Some(AuditProblem {
            at_event: Some(at),
            kind,
            detail: detail.to_owned(),
        })
    };
    while let Some(r) = rows.next()? {
        let event: AuditEvent = finish(read_event(&r)?)?;
        let stored_prev: String = r.get(7)?;
        let stored_hash: String = r.get(8)?;
        let mac: Option<String> = r.get(9)?;
        let sealed: Option<String> = r.get(10)?;
        if stored_prev != prev {
            return Ok((
                w,
                broken(
                    event.id,
                    AuditProblemKind::EventRemoved,
                    "the event does not follow the one before it (an event was removed)",
                ),
            ));
        }
        if event_hash(&prev, &event) != stored_hash {
            return Ok((
                w,
                broken(
                    event.id,
                    AuditProblemKind::EventAltered,
                    "the event's content does not match its hash (it was altered)",
                ),
            ));
        }
        match key.macs_from() {
            Some(from) if event.id >= from => {
                let Some(mac) = mac else {
                    return Ok((
                        w,
                        broken(
                            event.id,
                            AuditProblemKind::MacMissing,
                            "the event has no MAC (it was written or rewritten outside the program)",
                        ),
                    ));
                };
                let expected = key
                    .event_mac(event.id, &stored_hash, sealed.as_deref())
                    .unwrap_or_default();
                if !constant_time_eq(&expected, &mac) {
                    return Ok((
                        w,
                        broken(
                            event.id,
                            AuditProblemKind::EventAltered,
                            "the event's MAC does not verify (it was altered, and the hash chain recomputed)",
                        ),
                    ));
                }
                match sealed.as_deref() {
                    Some(seal::RETIRE_ALL) => w.ledger.clear(),
                    Some(s) => w.ledger.extend(seal::parse(s)),
                    None => {}
                }
            }
            _ => w.chain_only += 1,
        }
        w.count += 1;
        w.last_id = event.id;
        if let AnchorRead::Valid(a) = anchor
            && event.id == a.head_id
        {
            if stored_hash != a.head {
                return Ok((
                    w,
                    broken(
                        event.id,
                        AuditProblemKind::Truncated,
                        "the event is not the one the anchor records as the head of the log (the log was rewritten from here)",
                    ),
                ));
            }
            w.anchor_seen = Some(w.count);
        }
        prev = stored_hash;
    }
    Ok((w, None))
}

fn check_anchor(anchor: &AnchorRead, w: &Walk) -> Option<AuditProblem> {
    let problem = |kind, detail: String| {
        Some(AuditProblem {
            at_event: None,
            kind,
            detail,
        })
    };
    match anchor {
        AnchorRead::Missing => problem(
            AuditProblemKind::AnchorInvalid,
            "the anchor file beside the database is missing, so removed events cannot be ruled out".into(),
        ),
        AnchorRead::Forged(why) => problem(
            AuditProblemKind::AnchorInvalid,
            format!("the anchor file beside the database is not valid ({why})"),
        ),
        AnchorRead::Valid(a) if a.head_id == 0 => None,
        AnchorRead::Valid(a) => match w.anchor_seen {
            None => problem(
                AuditProblemKind::Truncated,
                format!(
                    "the anchor records {} events up to event {}, but the log has {} ending at event {}: events were removed from the end",
                    a.events, a.head_id, w.count, w.last_id
                ),
            ),
            Some(pos) if pos as i64 != a.events => problem(
                AuditProblemKind::Truncated,
                format!(
                    "the anchor records {} events up to event {}, but the log has {} up to it: events were removed",
                    a.events, a.head_id, pos
                ),
            ),
            Some(_) => None,
        },
    }
}

fn check_seals(conn: &Conn, key: &AuditKey, w: &Walk, report: &mut AuditReport) -> Result<Option<AuditProblem>> {
    let stored = seal::stored_seals(conn)?;
    let problem = |detail: String| {
        Ok(Some(AuditProblem {
            at_event: None,
            kind: AuditProblemKind::DataChanged,
            detail,
        }))
    };
    let ranges: Vec<(i64, i64)> = stored.iter().map(|(f, t, _)| (*f, *t)).collect();
    if ranges != w.ledger {
        return problem(
            "the data seals are not the ones the audit log made (a seal was removed, added or moved outside the program)"
                .into(),
        );
    }
    for (from, through, digest) in &stored {
        let actual = seal::range_digest(key, conn, *from, *through)?.map(|d| hex(&d));
        if !actual.is_some_and(|a| constant_time_eq(&a, digest)) {
            return problem(format!(
                "items {from} to {through} were changed, added or removed outside the program (their seal does not verify)"
            ));
        }
    }
    let through = seal::sealed_through(conn)?;
    let count = |sql: &str| -> Result<usize> { Ok(conn.query_row(sql, [through], |r| r.get::<_, i64>(0))? as usize) };
    report.sealed_items = count("SELECT count(*) FROM episode WHERE id <= ?1")?;
    report.unsealed_items = count("SELECT count(*) FROM episode WHERE id > ?1")?;
    Ok(None)
}
