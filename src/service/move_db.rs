//! Moving a desktop database onto this one (`joinedup import-db`): a governance
//! act, so it is the information governance lead's, and never in training. The
//! store does the move and its refusals (`store::move_db`), with the move's audit
//! event in the same transaction.

use std::path::Path;

use chrono::NaiveDateTime;

use super::{Result, Service, ServiceError};
use crate::domain::governance::Role;
use crate::store::{MoveSummary, Store};

impl Service {
    /// Move the desktop database at `path` onto this database: every record with
    /// its provenance, restriction flags and audit history, in one transaction.
    /// `progress` hears (table, rows so far); when it returns false nothing is kept.
    pub fn import_database(
        &mut self,
        path: &Path,
        now: NaiveDateTime,
        progress: &mut dyn FnMut(&str, usize) -> bool,
    ) -> Result<MoveSummary> {
        self.check_may_change()?;
        if self.actor.role != Some(Role::InformationGovernanceLead) {
            return Err(ServiceError::Refused(
                "moving a desktop database onto a team's database is for the information governance lead (--role ig-lead)"
                    .into(),
            ));
        }
        if self.training {
            return Err(ServiceError::Refused(
                "this is a training database; a desktop database is moved only onto a team's own database".into(),
            ));
        }
        let source = Store::open_desktop_database(path)?;
        let actor = self.audit_name();
        Ok(self.store.move_database_from(&source, &actor, now, progress)?)
    }
}
