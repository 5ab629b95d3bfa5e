//! What other clients changed since this one last looked, so an open window can
//! show it without being asked: the engine says *that* someone committed
//! (`engine::signal`), and the audit log says *what*: every change writes its
//! event in the same transaction, naming the person it changed.
//!
//! Reading the log here is bookkeeping, not disclosure: only person ids leave, and
//! the window then asks the service for what it may show of them.

use std::collections::BTreeSet;

use super::engine::signal::Signal;
use super::{Result, Store};
use crate::domain::governance::AuditAction;

/// Where this client stands in the stream of others' changes.
#[derive(Debug, Clone, Copy)]
pub(super) struct Watch {
    signal: Signal,
    /// The last audit event read.
    last_event: i64,
}

/// What changed since the last look.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changed {
    /// The people whose records changed.
    pub people: BTreeSet<i64>,
    /// Anyone's record may have changed (an import, a link between records).
    pub anyone: bool,
}

impl Changed {
    /// Whether `person_id`'s record is among the changed.
    pub fn touches(&self, person_id: i64) -> bool {
        self.anyone || self.people.contains(&person_id)
    }
}

impl Store {
    /// Start watching for other clients' changes (again after a reconnection).
    pub fn watch_changes(&mut self) -> Result<()> {
        let signal = self.conn.listen_for_changes()?;
        let last_event = self.last_audit_id()?;
        self.watch = Some(Watch { signal, last_event });
        Ok(())
    }

    /// What was changed since the last call (or since watching began): `None` when
    /// nothing. Cheap when nothing was committed: one pragma or one socket read.
    pub fn changes_since_last_look(&mut self) -> Result<Option<Changed>> {
        if self.watch.is_none() {
            self.watch_changes()?;
        }
        let Some(watch) = self.watch.as_mut() else {
            return Ok(None);
        };
        if !self.conn.heard_changes(&mut watch.signal)? {
            return Ok(None);
        }
        let after = watch.last_event;
        let mut changed = Changed::default();
        let mut last = after;
        let mut stmt = self
            .conn
            .prepare_cached("SELECT id, action, person_id FROM audit_event WHERE id > ?1 ORDER BY id")?;
        let mut rows = stmt.query([after])?;
        while let Some(row) = rows.next()? {
            last = row.get(0)?;
            let action: String = row.get(1)?;
            let person: Option<i64> = row.get(2)?;
            match (AuditAction::from_code(&action).and_then(AuditAction::changes), person) {
                (Some(true), Some(p)) => {
                    changed.people.insert(p);
                }
                (Some(_), _) => changed.anyone = true,
                (None, _) => {}
            }
        }
        drop(rows);
        drop(stmt);
        if let Some(w) = self.watch.as_mut() {
            w.last_event = last;
        }
        Ok((changed.anyone || !changed.people.is_empty()).then_some(changed))
    }

    fn last_audit_id(&self) -> Result<i64> {
        self.conn
            .query_row("SELECT COALESCE(MAX(id), 0) FROM audit_event", [], |r| r.get(0))
    }
}
