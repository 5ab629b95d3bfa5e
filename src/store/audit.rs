//! The audit log: append-only (enforced by triggers) and hash-chained, so that a
//! removed or altered event is detected by [`Store::verify_audit`].

use chrono::NaiveDateTime;
use rusqlite::{OptionalExtension, params};
use sha2::{Digest, Sha256};

use super::codec::{date_time_text, parse_date_time};
use super::{Result, Store};

/// The hash before the first event.
const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEvent {
    pub id: i64,
    pub at: NaiveDateTime,
    pub actor: String,
    /// `open`, `search`, `import`, `export`, `break_glass`.
    pub action: String,
    pub person_id: Option<i64>,
    /// What was done, without identifying details (no names or NHS numbers).
    pub detail: String,
    pub reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuditVerification {
    Intact { events: usize },
    Broken { at_event: i64, problem: String },
}

fn event_hash(prev: &str, e: &AuditEvent) -> String {
    let mut h = Sha256::new();
    for part in [
        prev,
        &date_time_text(e.at),
        &e.actor,
        &e.action,
        &e.person_id.map(|p| p.to_string()).unwrap_or_default(),
        &e.detail,
        e.reason.as_deref().unwrap_or(""),
    ] {
        h.update(part.as_bytes());
        h.update([0u8]);
    }
    format!("{:x}", h.finalize())
}

/// Append one event inside the caller's transaction, chained to the last: the change
/// and its audit event commit together or not at all.
pub(super) fn append_in(tx: &rusqlite::Connection, event: &AuditEvent) -> Result<()> {
    let prev: String = tx
        .query_row("SELECT hash FROM audit_event ORDER BY id DESC LIMIT 1", [], |r| {
            r.get(0)
        })
        .optional()?
        .unwrap_or_else(|| GENESIS.to_owned());
    let hash = event_hash(&prev, event);
    tx.execute(
        "INSERT INTO audit_event (at, actor, action, person_id, detail, reason, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            date_time_text(event.at),
            event.actor,
            event.action,
            event.person_id,
            event.detail,
            event.reason,
            prev,
            hash
        ],
    )?;
    Ok(())
}

impl Store {
    /// Append one event, chained to the last, in a transaction of its own.
    pub fn append_audit(&mut self, event: &AuditEvent) -> Result<()> {
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        append_in(&tx, event)?;
        tx.commit()?;
        Ok(())
    }

    /// The most recent events, newest first.
    pub fn audit_events(&self, limit: usize) -> Result<Vec<AuditEvent>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, at, actor, action, person_id, detail, reason FROM audit_event ORDER BY id DESC LIMIT ?1",
        )?;
        let rows = stmt.query_map([limit as i64], read_event)?;
        rows.map(|r| finish(r?)).collect()
    }

    /// Everything done with one person's record (opened, revealed, exported, matched),
    /// newest first: the "who has looked at this record" panel.
    pub fn audit_for_person(&self, person_id: i64, limit: usize) -> Result<Vec<AuditEvent>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, at, actor, action, person_id, detail, reason FROM audit_event
             WHERE person_id = ?1 ORDER BY at DESC, id DESC LIMIT ?2",
        )?;
        let rows = stmt.query_map(rusqlite::params![person_id, limit as i64], read_event)?;
        rows.map(|r| finish(r?)).collect()
    }

    /// Walk the chain from the first event and report the first break.
    pub fn verify_audit(&self) -> Result<AuditVerification> {
        let mut stmt = self.conn.prepare(
            "SELECT id, at, actor, action, person_id, detail, reason, prev_hash, hash FROM audit_event ORDER BY id",
        )?;
        let mut rows = stmt.query([])?;
        let mut prev = GENESIS.to_owned();
        let mut count = 0;
        while let Some(r) = rows.next()? {
            let event = finish(read_event(r)?)?;
            let stored_prev: String = r.get(7)?;
            let stored_hash: String = r.get(8)?;
            if stored_prev != prev {
                return Ok(AuditVerification::Broken {
                    at_event: event.id,
                    problem: "the event does not follow the one before it (an event was removed)".into(),
                });
            }
            if event_hash(&prev, &event) != stored_hash {
                return Ok(AuditVerification::Broken {
                    at_event: event.id,
                    problem: "the event's content does not match its hash (it was altered)".into(),
                });
            }
            prev = stored_hash;
            count += 1;
        }
        Ok(AuditVerification::Intact { events: count })
    }
}

type RawEvent = (AuditEvent, String);

fn read_event(r: &rusqlite::Row) -> rusqlite::Result<RawEvent> {
    Ok((
        AuditEvent {
            id: r.get(0)?,
            at: NaiveDateTime::default(),
            actor: r.get(2)?,
            action: r.get(3)?,
            person_id: r.get(4)?,
            detail: r.get(5)?,
            reason: r.get(6)?,
        },
        r.get(1)?,
    ))
}

fn finish((mut e, at): RawEvent) -> Result<AuditEvent> {
    e.at = parse_date_time(&at)?;
    Ok(e)
}
