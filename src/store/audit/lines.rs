//! Reading the log for the audit screen and its export: the events of a span of
//! time, and where the training reseed cleared every record (the people named by
//! earlier events are gone, and their ids may since name someone else).

use chrono::NaiveDateTime;

use super::{AuditEvent, finish, read_event};
use crate::domain::governance::AuditAction;
use crate::store::codec::date_time_text;
use crate::store::engine::params;
use crate::store::{Result, Store};

impl Store {
    /// The events at or after `from` and before `to`, newest first, at most `limit`.
    pub fn audit_events_between(
        &self,
        from: NaiveDateTime,
        to: NaiveDateTime,
        limit: usize,
    ) -> Result<Vec<AuditEvent>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, at, actor, action, person_id, detail, reason FROM audit_event
             WHERE at >= ?1 AND at < ?2 ORDER BY id DESC LIMIT ?3",
        )?;
        let rows = stmt.query_map(
            params![date_time_text(from), date_time_text(to), limit as i64],
            read_event,
        )?;
        rows.map(|r| finish(r?)).collect()
    }

    /// The newest event that removed every record (`records_cleared`, the training
    /// reseed), if any: a person id on an event before it is not a person here.
    pub fn last_records_cleared(&self) -> Result<Option<i64>> {
        self.conn.query_row(
            "SELECT MAX(id) FROM audit_event WHERE action = ?1",
            [AuditAction::RecordsCleared.code()],
            |r| r.get(0),
        )
    }
}
