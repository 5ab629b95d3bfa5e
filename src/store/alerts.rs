//! Alert rules (issue 16; SQLite migration 17, PostgreSQL 13): each user's own,
//! added and removed with the audit event in the same transaction; and which people
//! an import brought items for, so that a rule for everyone is checked only for them.
//! The same SQL on both engines.

use super::codec::date_time_text;
use super::engine::{Row, params};
use super::{AuditEvent, Result, Store, StoreError};
use crate::domain::worklist::alerts::{AlertPeople, AlertRule, parse_kinds};

fn rule_row(r: &Row<'_>) -> Result<AlertRule> {
    let kinds: String = r.get(2)?;
    let people: String = r.get(3)?;
    Ok(AlertRule {
        id: r.get(0)?,
        user: r.get(1)?,
        kinds: parse_kinds(&kinds).map_err(StoreError::Corrupt)?,
        people: AlertPeople::parse(&people).map_err(StoreError::Corrupt)?,
    })
}

impl Store {
    /// Store a rule for `rule.user` (its id is given here), audited in the same
    /// transaction. Returns it as stored.
    pub fn add_alert_rule(&mut self, rule: &AlertRule, audit: &AuditEvent) -> Result<AlertRule> {
        let tx = self.conn.transaction(true)?;
        let id: i64 = tx.query_row(
            "INSERT INTO alert_rule (user_name, kinds, people, created_at) VALUES (?1, ?2, ?3, ?4) RETURNING id",
            params![
                rule.user,
                rule.kinds.join(","),
                rule.people.code(),
                date_time_text(audit.at)
            ],
            |r| r.get(0),
        )?;
        let mut event = audit.clone();
        event.detail = format!("{} (alert {id})", event.detail);
        super::audit::append_audit_in(&self.audit, &tx, &event)?;
        tx.commit()?;
        self.audit.sync_anchor(&self.conn)?;
        Ok(AlertRule { id, ..rule.clone() })
    }

    /// `user`'s rules, oldest first.
    pub fn alert_rules(&self, user: &str) -> Result<Vec<AlertRule>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT id, user_name, kinds, people FROM alert_rule WHERE user_name = ?1 ORDER BY id")?;
        stmt.query_map([user], rule_row)?.collect()
    }

    /// Remove `user`'s rule `id`, audited in the same transaction; false when they
    /// have no such rule (another user's rule is never removed).
    pub fn remove_alert_rule(&mut self, user: &str, id: i64, audit: &AuditEvent) -> Result<bool> {
        self.change_audited(
            "DELETE FROM alert_rule WHERE id = ?1 AND user_name = ?2",
            params![id, user],
            audit,
        )
    }

    /// The newest import run's id (0 when none).
    pub fn last_import_run_id(&self) -> Result<i64> {
        self.conn
            .query_row("SELECT COALESCE(MAX(id), 0) FROM import_run", [], |r| r.get(0))
    }

    /// The people (not merged into another) with items from import runs after
    /// `run_id`, and the newest run's id.
    pub fn people_imported_after(&self, run_id: i64) -> Result<(Vec<i64>, i64)> {
        let last = self.last_import_run_id()?;
        if last <= run_id {
            return Ok((Vec::new(), last));
        }
        let mut stmt = self.conn.prepare_cached(
            "SELECT DISTINCT e.person_id FROM episode e JOIN person p ON p.id = e.person_id
              WHERE e.import_run_id > ?1 AND p.merged_into IS NULL ORDER BY e.person_id",
        )?;
        let people = stmt
            .query_map([run_id], |r| r.get::<_, i64>(0))?
            .collect::<Result<_>>()?;
        Ok((people, last))
    }
}
