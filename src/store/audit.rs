//! The audit log: append-only (enforced by triggers), hash-chained, and MAC'd with a
//! key kept outside the database, so that [`Store::verify_audit`] detects an event
//! altered or removed anywhere, including the last ones and including an edit made
//! with the chain recomputed.
//!
//! Three things hold it together:
//! - the **chain**: each event's hash covers the one before, so a removed or
//!   altered event in the middle breaks it (all that older versions had);
//! - the **MAC** on each event (`key.rs`): HMAC-SHA256 over the event's id, hash and
//!   seal with a secret that is not in the database, so the chain cannot be
//!   recomputed after an edit by someone who has only the database file;
//! - the **anchor** (`key.rs`): a MAC'd count and head kept outside the log table,
//!   so that removing the last events (truncation) is seen.
//!
//! Each event also seals the episodes written since the one before (`seal.rs`), so
//! that verify sees an episode row changed or removed outside the program.
//!
//! # Appending inside a caller's transaction
//!
//! A change and its audit event should commit together. Either:
//! ```ignore
//! let tx = store.audited_transaction()?;   // BEGIN IMMEDIATE
//! tx.execute("UPDATE ...", [])?;           // the change (tx derefs to the Conn)
//! tx.append_audit(&event)?;                // the event, in the same transaction
//! tx.commit()?;                            // COMMIT, then the anchor file is advanced
//! ```
//! or, where another type owns the transaction (the import's `ImportWriter`):
//! ```ignore
//! let key = store.audit_key();             // before the transaction borrows the store
//! let mut writer = store.begin_import(&batch, now)?;
//! // ... write; then, on the writer's transaction, before its commit:
//! append_audit_in(&key, &tx, &event)?;
//! // ... commit; then, with the store back:
//! store.sync_audit_anchor()?;
//! ```
//! Forgetting `sync_audit_anchor` is safe (the next append moves the anchor on) but
//! leaves the events since the last anchor without truncation evidence until then.

mod key;
mod key_files;
mod lines;
mod restriction;
pub(super) mod seal;
pub(super) mod server_key;
mod verify;

use std::ops::Deref;

use crate::store::engine::{Conn, SqlParam, params};
use chrono::NaiveDateTime;
use sha2::{Digest, Sha256};

use super::codec::{date_time_text, parse_date_time};
use super::{Result, Store};

pub(super) use key::META_KEY_ID;
pub use key::{AuditKey, AuditKeyStatus};
pub use restriction::RestrictionLedger;
pub(super) use seal::register as register_seal_functions;
pub use verify::{AuditOutcome, AuditProblem, AuditProblemKind, AuditReport};

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

/// The result of [`Store::verify_audit`], kept in the shape older callers match on.
/// [`Store::audit_report`] says more (key status, anchor, data seals).
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

/// Append one event, chained to the last and MAC'd, inside the caller's
/// transaction `tx`; it also seals the episodes written since the last event.
/// Returns the event's id.
///
/// `tx` must be a transaction on the store's connection, begun with
/// `TransactionBehavior::Immediate` (or one that has already written), so that no
/// other process appends between reading the head and inserting; a deferred one
/// that lost that race fails with "database is locked" rather than forking the
/// chain. After the commit, call [`Store::sync_audit_anchor`] (or
/// [`AuditKey::sync_anchor`]) so that the anchor outside the database counts it.
///
/// Refused with [`super::StoreError::AuditKeyMissing`] when the database's key is
/// not here: the log is never extended without a MAC once MACs have begun.
pub fn append_audit_in(key: &AuditKey, tx: &Conn, event: &AuditEvent) -> Result<i64> {
    if key.macs_from().is_none() {
        return Err(key.unavailable());
    }
    tx.lock_audit_chain()?;
    // Another transaction adding episodes (an import on a server) seals its own
    // when it commits; sealing now would seal around its rows.
    let may_seal = tx.may_seal()?;
    // The head the event is chained to, and the episodes it seals, in one round
    // trip: read after the chain's lock is held, so no other event comes between.
    let sql = format!(
        "SELECT h.id, h.hash, s.last, {}
         FROM (SELECT COALESCE(MAX(through_id), 0) AS last FROM data_seal) s
         LEFT JOIN (SELECT id, hash FROM audit_event ORDER BY id DESC LIMIT 1) h ON 1 = 1
         LEFT JOIN episode e ON ?1 = 1 AND e.id > s.last",
        seal::sealed_columns_of("e")
    );
    let mut head: Option<(i64, String)> = None;
    let mut unsealed: Option<seal::Unsealed> = None;
    tx.prepare_cached(&sql)?.for_each([i64::from(may_seal)], |r| {
        if unsealed.is_none() {
            head = match (r.get::<_, Option<i64>>(0)?, r.get::<_, Option<String>>(1)?) {
                (Some(id), Some(hash)) => Some((id, hash)),
                _ => None,
            };
            unsealed = Some(seal::Unsealed::after(r.get(2)?));
        }
        if let (Some(u), Some(_)) = (unsealed.as_mut(), r.get::<_, Option<i64>>(3)?) {
            u.add(key, r, 3)?;
        }
        Ok(())
    })?;
    // The read always has a row (its first table is an aggregate's one).
    let unsealed =
        unsealed.ok_or_else(|| super::StoreError::Corrupt("the audit log's head could not be read".into()))?;
    let (id, prev) = match head {
        Some((id, hash)) => (id + 1, hash),
        None => (1, GENESIS.to_owned()),
    };
    let hash = event_hash(&prev, event);
    let sealed = unsealed.seal(key, tx)?;
    insert_event(key, tx, id, &prev, &hash, event, sealed.as_deref())?;
    // A change tells the other clients' windows at its commit (`store::live`).
    if crate::domain::governance::AuditAction::from_code(&event.action).is_some_and(|a| a.changes().is_some()) {
        tx.announce_change()?;
    }
    Ok(id)
}

fn insert_event(
    key: &AuditKey,
    tx: &Conn,
    id: i64,
    prev: &str,
    hash: &str,
    event: &AuditEvent,
    sealed: Option<&str>,
) -> Result<()> {
    let mac = key.event_mac(id, hash, sealed).ok_or_else(|| key.unavailable())?;
    // A signed-in user appends through the server, which checks the name on the
    // event is theirs, the chain and the hash (PostgreSQL migration 0011).
    let sql = if tx.audits_through_server() {
        "SELECT joinedup_append_audit(?1, ?2::timestamp, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"
    } else {
        "INSERT INTO audit_event (id, at, actor, action, person_id, detail, reason, prev_hash, hash, mac, seal)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"
    };
    tx.prepare_cached(sql)?.execute(params![
        id,
        date_time_text(event.at),
        event.actor,
        event.action,
        event.person_id,
        event.detail,
        event.reason,
        prev,
        hash,
        mac,
        sealed
    ])?;
    Ok(())
}

/// Append an event that retires every data seal (the records were cleared, or the
/// key was replaced) inside `tx`; the caller has emptied `data_seal`.
fn append_retiring_in(key: &AuditKey, tx: &Conn, event: &AuditEvent) -> Result<i64> {
    tx.lock_audit_chain()?;
    let (_, head_id, head) = key::log_head(tx)?;
    let prev = if head_id == 0 { GENESIS.to_owned() } else { head };
    let hash = event_hash(&prev, event);
    insert_event(key, tx, head_id + 1, &prev, &hash, event, Some(seal::RETIRE_ALL))?;
    Ok(head_id + 1)
}

impl AuditKey {
    /// Move the anchor file up to the log's head after a commit that appended
    /// events. It never moves back, and never past a log that no longer holds the
    /// anchored head (verify then reports the log broken).
    pub fn sync_anchor(&self, conn: &Conn) -> Result<()> {
        if !self.advance_anchor(conn)? {
            tracing::warn!("the audit anchor was not advanced: it disagrees with the log (run audit verify)");
        }
        Ok(())
    }
}

/// A write transaction (`BEGIN IMMEDIATE`) whose audit events commit with it; see
/// the module docs. Dropped without [`AuditedTransaction::commit`], it rolls back.
pub struct AuditedTransaction<'a> {
    conn: &'a Conn,
    key: &'a AuditKey,
    open: bool,
}

impl AuditedTransaction<'_> {
    /// Append `event` in this transaction (see [`append_audit_in`]).
    pub fn append_audit(&self, event: &AuditEvent) -> Result<i64> {
        append_audit_in(self.key, self.conn, event)
    }

    /// Commit, then advance the anchor outside the database.
    pub fn commit(mut self) -> Result<()> {
        self.conn.execute_batch("COMMIT")?;
        self.open = false;
        self.key.sync_anchor(self.conn)
    }
}

impl Deref for AuditedTransaction<'_> {
    type Target = Conn;
    fn deref(&self) -> &Conn {
        self.conn
    }
}

impl Drop for AuditedTransaction<'_> {
    fn drop(&mut self) {
        if self.open {
            let _ = self.conn.execute_batch("ROLLBACK");
        }
    }
}

impl Store {
    /// Append one event, chained to the last and MAC'd, in its own transaction
    /// (committed with `synchronous = FULL`, so the anchor written after it is never
    /// ahead of what survives a power cut); then advance the anchor.
    pub fn append_audit(&mut self, event: &AuditEvent) -> Result<()> {
        let audit = &self.audit;
        let conn = &mut self.conn;
        let append = |conn: &mut Conn| -> Result<()> {
            let tx = conn.transaction(true)?;
            append_audit_in(audit, &tx, event)?;
            tx.commit()
        };
        conn.set_durable_commits(true)?;
        let appended = append(conn);
        conn.set_durable_commits(false)?;
        appended?;
        self.audit.sync_anchor(&self.conn)
    }

    /// Begin a write transaction whose audit events commit with its changes.
    pub fn audited_transaction(&mut self) -> Result<AuditedTransaction<'_>> {
        crate::store::engine::begin_write(&self.conn)?;
        Ok(AuditedTransaction {
            conn: &self.conn,
            key: &self.audit,
            open: true,
        })
    }

    /// One statement, audited with `event` in its transaction when it changed a
    /// row; false, with nothing written or audited, when it changed none (a
    /// follow already there, a rule that is not the user's).
    pub(crate) fn change_audited(&mut self, sql: &str, args: &[&dyn SqlParam], event: &AuditEvent) -> Result<bool> {
        let tx = self.audited_transaction()?;
        let changed = tx.execute(sql, args)? > 0;
        if changed {
            tx.append_audit(event)?;
            tx.commit()?;
        }
        Ok(changed)
    }

    /// This database's audit key (cheap to clone), for [`append_audit_in`] where
    /// the store is borrowed by a transaction.
    pub fn audit_key(&self) -> AuditKey {
        self.audit.clone()
    }

    /// Move the anchor up to the log after a commit that appended events with
    /// [`append_audit_in`].
    pub fn sync_audit_anchor(&self) -> Result<()> {
        self.audit.sync_anchor(&self.conn)
    }

    /// Start a new audit key for a database whose key is missing (it was moved
    /// without it). Events before this one can then be checked by the chain only,
    /// and the episodes as they are now are sealed afresh; the event that records
    /// this says so. Refused when the key is present or belongs to another database.
    pub fn start_new_audit_key(&mut self, actor: &str, at: NaiveDateTime) -> Result<()> {
        let tx = self.conn.transaction(true)?;
        tx.lock_new_items()?;
        tx.lock_audit_chain()?;
        let (_, head_id, _) = key::log_head(&tx)?;
        let key = self.audit.replace_missing(&tx, head_id + 1)?;
        tx.execute("DELETE FROM data_seal", [])?;
        tx.execute(
            "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [META_KEY_ID, &key.id_text()],
        )?;
        let event = AuditEvent {
            id: 0,
            at,
            actor: actor.to_owned(),
            action: crate::domain::governance::AuditAction::AuditKeyReplaced.code().into(),
            person_id: None,
            detail: format!(
                "the audit key was missing; a new key MACs events from {} on, earlier events are checked by the hash chain only",
                head_id + 1
            ),
            reason: None,
        };
        append_retiring_in(&key, &tx, &event)?;
        tx.commit()?;
        if let Some(c) = self.conn.sqlite() {
            register_seal_functions(c, &key)?;
        }
        self.audit = key;
        self.sync_audit_anchor()
    }

    /// Inside `tx`: empty the data seals and record why, for a change that removes
    /// every episode (the training reseed).
    pub(super) fn retire_seals_in(&self, tx: &Conn, event: &AuditEvent) -> Result<()> {
        if self.audit.macs_from().is_none() {
            return Err(self.audit.unavailable());
        }
        tx.execute("DELETE FROM data_seal", [])?;
        append_retiring_in(&self.audit, tx, event)?;
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

    /// The most recent events of one action (`emergency_access`, ...), newest first.
    pub fn audit_events_of(&self, action: &str, limit: usize) -> Result<Vec<AuditEvent>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, at, actor, action, person_id, detail, reason FROM audit_event
             WHERE action = ?1 ORDER BY id DESC LIMIT ?2",
        )?;
        let rows = stmt.query_map(params![action, limit as i64], read_event)?;
        rows.map(|r| finish(r?)).collect()
    }

    /// Everything done with one person's record (opened, revealed, exported, matched),
    /// newest first: the "who has looked at this record" panel.
    pub fn audit_for_person(&self, person_id: i64, limit: usize) -> Result<Vec<AuditEvent>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, at, actor, action, person_id, detail, reason FROM audit_event
             WHERE person_id = ?1 ORDER BY at DESC, id DESC LIMIT ?2",
        )?;
        let rows = stmt.query_map(params![person_id, limit as i64], read_event)?;
        rows.map(|r| finish(r?)).collect()
    }

    /// Check the log: the chain, every event's MAC, the anchor (truncation) and the
    /// data seals. Reported in the shape older callers match on; a missing key is
    /// `Broken` with a problem that begins "key missing, cannot verify MACs".
    /// [`Store::audit_report`] tells the cases apart.
    pub fn verify_audit(&self) -> Result<AuditVerification> {
        let report = self.audit_report()?;
        Ok(match report.outcome() {
            AuditOutcome::Intact => AuditVerification::Intact { events: report.events },
            AuditOutcome::Broken(p) => AuditVerification::Broken {
                at_event: p.at_event.unwrap_or(0),
                problem: p.detail,
            },
            AuditOutcome::CannotVerify(reason) => AuditVerification::Broken {
                at_event: 0,
                problem: reason,
            },
        })
    }

    /// Everything [`Store::verify_audit`] checks, with what it found.
    pub fn audit_report(&self) -> Result<AuditReport> {
        verify::report(&self.conn, &self.audit)
    }
}

type RawEvent = (AuditEvent, String);

fn read_event(r: &crate::store::engine::Row) -> crate::store::Result<RawEvent> {
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
