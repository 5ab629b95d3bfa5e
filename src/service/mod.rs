//! The service layer: every operation on people's data exists once, here, for every
//! front end (the command line, the window's database thread, later a feed).
//!
//! A [`Service`] owns the store for one acting user. Each operation:
//! - applies the one disclosure policy (`domain::disclosure`) before anything leaves
//!   it, so no front end sees a restricted item it was not given a reason for;
//! - writes its audit event (`domain::governance::AuditAction`) in the same
//!   transaction as any change it makes, and before any data leaves the process
//!   (an export's text is returned only once its audit event is stored; if the
//!   event cannot be written, nothing is returned);
//! - refuses what the role may not do (a trainer changes data only in a training
//!   database; the audit log is the information governance lead's).
//!
//! A reveal ("break-glass") is a grant held by the service for this session, for one
//! person, until the record is closed: the reason is audited once, when given.

mod changes;
mod cohort;
mod feed;
mod files;
mod live;
mod move_db;
mod outputs;
mod record;
mod returns;
mod tasks;
mod worklist;

use std::collections::HashSet;

use chrono::NaiveDateTime;

pub use cohort::BoardData;
pub use feed::Received;
pub use files::{check_writable, write_private};
pub use outputs::{Exported, OutputKind};
pub use record::{ACCESS_SHOWN, LISTED, LoadedPerson, Overview};
pub use returns::{CldOutcome, MAX_TREND_DAYS, SitrepData};
pub use tasks::{NewTask, TaskEdit, TaskLine};
pub use worklist::{TaskRef, Worklist, WorklistItem};

use crate::domain::governance::{Actor, AuditAction, Reason, Role};
use crate::store::{AuditEvent, Store, StoreError};

#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The role may not do this, or the input is refused; the message says why.
    #[error("{0}")]
    Refused(String),
    #[error("no person with that number is in this database")]
    NotFound,
    #[error(transparent)]
    Export(#[from] anyhow::Error),
    #[error(transparent)]
    Pipeline(#[from] crate::import::pipeline::PipelineError),
}

pub type Result<T> = std::result::Result<T, ServiceError>;

/// One acting user's access to the record.
pub struct Service {
    store: Store,
    actor: Actor,
    training: bool,
    /// People whose restricted items this user gave a reason to see, until closed.
    revealed: HashSet<i64>,
    /// Records this user opened (audited) and has not closed: only these are
    /// refreshed live without an event of their own (`live`).
    opened: HashSet<i64>,
    /// Views of many people this user opened (audited), refreshed live likewise.
    live_views: HashSet<LiveView>,
}

/// A view of many people that is kept current while it is open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum LiveView {
    Board,
    Caseload,
}

impl Service {
    /// `training`: training mode was asked for; a database marked as training inside
    /// is treated as training whatever was asked.
    pub fn new(store: Store, actor: Actor, training: bool) -> Result<Self> {
        let training = training || store.is_training_database()?;
        Ok(Self {
            store,
            actor,
            training,
            revealed: HashSet::new(),
            opened: HashSet::new(),
            live_views: HashSet::new(),
        })
    }

    pub fn actor(&self) -> &Actor {
        &self.actor
    }

    /// The user chose (or changed) their role in the window.
    pub fn set_role(&mut self, role: Role) {
        self.actor.role = Some(role);
    }

    /// Training mode: the banner, watermarks on every output, test-range NHS numbers.
    pub fn is_training(&self) -> bool {
        self.training
    }

    /// Read-only access for tests and tools that query with SQL.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The event this user's `action` writes.
    fn event(
        &self,
        action: AuditAction,
        person_id: Option<i64>,
        detail: String,
        reason: Option<&Reason>,
        at: NaiveDateTime,
    ) -> AuditEvent {
        AuditEvent {
            id: 0,
            at,
            actor: self.actor.audit_name(),
            action: action.code().into(),
            person_id,
            detail,
            reason: reason.map(|r| r.as_str().to_owned()),
        }
    }

    /// Write an event of its own (a read: a view, a search, an export's text).
    fn audit(
        &mut self,
        action: AuditAction,
        person_id: Option<i64>,
        detail: String,
        reason: Option<&Reason>,
        at: NaiveDateTime,
    ) -> Result<()> {
        let event = self.event(action, person_id, detail, reason, at);
        self.store.append_audit(&event)?;
        Ok(())
    }

    /// Changes to people's data: refused for a trainer outside a training database.
    fn check_may_change(&self) -> Result<()> {
        if self.actor.role == Some(Role::Trainer) && !self.training {
            return Err(ServiceError::Refused(
                "a trainer changes data only in a training database (open it with --training)".into(),
            ));
        }
        Ok(())
    }

    /// The audit log's own check (`audit verify`): the chain, every event's MAC, the
    /// anchor outside the log, and the seals over imported rows.
    pub fn verify_audit(&self) -> Result<crate::store::AuditReport> {
        Ok(self.store.audit_report()?)
    }

    /// Seed (or reseed) the training database; an empty database becomes one (and
    /// is marked as training inside, for good). A database of real records is refused.
    pub fn seed_training(&mut self, today: chrono::NaiveDate, now: NaiveDateTime) -> Result<bool> {
        let seeded =
            crate::training::prepare(&mut self.store, today, now).map_err(|e| ServiceError::Refused(e.to_string()))?;
        self.training = true;
        Ok(seeded)
    }
}

#[cfg(test)]
mod tests;
