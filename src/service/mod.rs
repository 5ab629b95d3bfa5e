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

mod access;
mod alerts;
mod audit_log;
mod changes;
mod chc_decision;
mod cohort;
mod feed;
mod files;
mod import_preview;
mod live;
mod move_db;
mod outputs;
mod plan_edit;
mod print;
mod record;
mod returns;
mod session;
mod sharing;
mod tasks;
mod training;
mod worklist;
mod worklist_window;

use std::collections::HashSet;

use chrono::NaiveDateTime;

pub use alerts::{ALERT_PEOPLE_MAX, Alert, AlertCheck};
pub use audit_log::{AUDIT_EXPORT_MAX, AUDIT_SHOWN, AuditFilter, AuditLine, AuditLog, AuditPerson};
pub use cohort::BoardData;
pub use feed::Received;
pub use files::{check_writable, write_private};
pub use outputs::{Exported, OutputKind};
pub use print::PrintPreview;
pub use record::{ACCESS_SHOWN, Disagreement, LISTED, LoadedPerson, Overview};
pub use returns::{CldOutcome, MAX_TREND_DAYS, SitrepData};
pub use session::{SessionInfo, SessionPlace};
pub use sharing::{MemberKind, RevealKind};
pub use tasks::{NewTask, TaskEdit, TaskLine};
pub use training::StoryLine;
pub use worklist::{TaskRef, Worklist, WorklistItem};
pub use worklist_window::WorklistScreen;

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
    /// The worklist events this user was told of or had on screen in this session,
    /// per person (alerts tell each new one once).
    alert_known: crate::domain::worklist::alerts::Known,
    /// The newest import run when alerts for everyone were last checked.
    alert_last_run: i64,
    /// This session's secret for restricted events' masked keys (`event_tag`).
    event_secret: [u8; 32],
}

/// A view of many people that is kept current while it is open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum LiveView {
    Board,
    Caseload,
    Worklist,
}

impl Service {
    /// `training`: training mode was asked for; a database marked as training inside
    /// is treated as training whatever was asked.
    ///
    /// On a server, the user and role are the server's (`store::access`): a role
    /// claimed on the command line that is not the signed-in user's is refused.
    pub fn new(store: Store, actor: Actor, training: bool) -> Result<Self> {
        let training = training || store.is_training_database()?;
        let actor = match store.signed_in() {
            Some(s) => signed_in_actor(s, actor)?,
            None => actor,
        };
        Ok(Self {
            actor,
            training,
            revealed: HashSet::new(),
            opened: HashSet::new(),
            live_views: HashSet::new(),
            alert_known: Default::default(),
            alert_last_run: store.last_import_run_id()?,
            event_secret: {
                let mut secret = [0u8; 32];
                getrandom::fill(&mut secret).map_err(|e| ServiceError::Refused(format!("no randomness: {e}")))?;
                secret
            },
            store,
        })
    }

    pub fn actor(&self) -> &Actor {
        &self.actor
    }

    /// The user chose (or changed) their role in the window; on a server the
    /// role is the server's and stays.
    pub fn set_role(&mut self, role: Role) {
        if self.store.signed_in().is_none() {
            self.actor.role = Some(role);
        }
    }

    /// Who the server says is signed in (`None` on a desktop file).
    pub fn signed_in(&self) -> Option<&crate::store::access::SignedIn> {
        self.store.signed_in()
    }

    /// The name on this user's audit events: the claimed role on a desktop, the
    /// server's sign-in on a server (which refuses any other name).
    fn audit_name(&self) -> String {
        match self.store.signed_in() {
            Some(s) => s.audit_name(),
            None => self.actor.audit_name(),
        }
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
            actor: self.audit_name(),
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
    ///
    /// On a server it is the information governance lead's: another user's view of
    /// the log holds back whose events they are, so it cannot be checked there.
    pub fn verify_audit(&self) -> Result<crate::store::AuditReport> {
        if let Some(s) = self.store.signed_in()
            && s.role != crate::store::access::ServerRole::App(Role::InformationGovernanceLead)
        {
            return Err(ServiceError::Refused(format!(
                "the audit log is checked by the information governance lead; {} is signed in as a {}",
                s.user,
                s.role.label().to_lowercase()
            )));
        }
        Ok(self.store.audit_report()?)
    }

    /// Seed (or reseed) the training database; an empty database becomes one (and
    /// is marked as training inside, for good). A database of real records is refused.
    pub fn seed_training(&mut self, today: chrono::NaiveDate, now: NaiveDateTime) -> Result<bool> {
        let seeded =
            crate::training::prepare(&mut self.store, today, now).map_err(|e| ServiceError::Refused(e.to_string()))?;
        self.training = true;
        self.stand_in_for_training_coordinator(now)?;
        Ok(seeded)
    }
}

impl Service {
    /// A trainer or coordinator runs the training window as their own computer
    /// account, which is none of the training coordinators': in a training database
    /// on the desktop only, a care coordinator's account that is not yet set as a
    /// coordinator takes the first training coordinator's place in the sources
    /// (allocated worker and team), audited, so their worklist shows that caseload.
    /// Run when the database is seeded and when the window's role is chosen.
    pub fn stand_in_for_training_coordinator(&mut self, now: NaiveDateTime) -> Result<()> {
        let (_, worker) = crate::training::TRAINING_COORDINATORS[0];
        if !self.training
            || self.store.signed_in().is_some()
            || self.actor.role != Some(Role::CareCoordinator)
            || self.store.coordinator(&self.actor.user)?.is_some()
        {
            return Ok(());
        }
        let who = crate::store::Coordinator {
            user_name: self.actor.user.clone(),
            worker_name: worker.into(),
            team: Some(crate::training::TRAINING_TEAM.into()),
        };
        self.set_coordinator(&who, now)
    }
}

/// The acting user on a server: the signed-in login and its role. A role claimed
/// (`--role`) that is not the server's is refused, not quietly replaced.
fn signed_in_actor(s: &crate::store::access::SignedIn, claimed: Actor) -> Result<Actor> {
    use crate::store::access::ServerRole;
    let role = match s.role {
        ServerRole::App(role) => Some(role),
        ServerRole::Loader => None,
    };
    if let Some(wanted) = claimed.role
        && Some(wanted) != role
    {
        return Err(ServiceError::Refused(format!(
            "the server signs you in as {}, a {}; the role {} was asked for: your information governance lead changes roles",
            s.user,
            s.role.label().to_lowercase(),
            wanted.label().to_lowercase()
        )));
    }
    Ok(Actor {
        user: s.user.clone(),
        role,
    })
}

#[cfg(test)]
mod tests;
