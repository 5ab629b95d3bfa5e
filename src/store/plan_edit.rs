//! A plan version made in the window (SAFETY.md H49): the next version of a stored
//! plan, written with its audit event in one transaction, refused when another
//! version was stored since the one the user edited.

use super::codec::date_time_text;
use super::{AuditEvent, Result, Store, StoreError};
use crate::domain::care_plan::CarePlan;

impl Store {
    /// Store `plan` as version `based_on + 1` of plan `plan_id`, and `audit`, in one
    /// transaction; returns the new version's number. Refused (stale) when the
    /// plan's newest version is no longer `based_on`: another edit or an import came
    /// first, and the user reloads rather than overwrite what they never saw.
    pub fn revise_care_plan(
        &mut self,
        plan_id: i64,
        based_on: u32,
        plan: &CarePlan,
        audit: &AuditEvent,
    ) -> Result<u32> {
        let tx = self.conn.transaction(true)?;
        tx.lock_new_items()?;
        let newest: Option<i64> = tx.query_row(
            "SELECT MAX(version) FROM care_plan_version WHERE care_plan_id = ?1",
            [plan_id],
            |r| r.get(0),
        )?;
        let Some(newest) = newest else {
            return Err(StoreError::Refused(format!("there is no care plan #{plan_id}")));
        };
        if newest != i64::from(based_on) {
            return Err(StoreError::Stale(format!(
                "this plan is at version {newest} now, not the version {based_on} you edited: another change came first; reload"
            )));
        }
        let version = based_on + 1;
        let mut p = plan.clone();
        p.version = version;
        // Made in the window: no file, the time it was saved.
        let at = date_time_text(audit.at);
        let Some(version_id) = super::apply::insert_plan_version(&tx, plan_id, version, &p, ["", "", &at], false)?
        else {
            return Err(StoreError::Stale(format!(
                "version {version} of this plan was stored meanwhile; reload"
            )));
        };
        super::apply::insert_plan_version_items(&tx, version_id, &p)?;
        super::audit::append_audit_in(&self.audit, &tx, audit)?;
        tx.commit()?;
        self.audit.sync_anchor(&self.conn)?;
        Ok(version)
    }
}
