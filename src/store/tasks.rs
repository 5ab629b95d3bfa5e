//! Tasks (issue 16): made, changed and listed; every change with its audit event in
//! the same transaction, and refused when made on a version another change replaced.
//! The same SQL on both engines; on a team's server the table is shared, so one
//! coordinator's "done" is every coordinator's.

use super::codec::{date_text, date_time_text, opt_date, parse_date_time};
use super::engine::{OptionalExtension, Row, params};
use super::{AuditEvent, Result, Store, StoreError};
use crate::domain::worklist::tasks::{EventItems, Owner, change_words};
use crate::domain::worklist::{Priority, Task, TaskStatus};

const TASK_COLUMNS: &str = "id, person_id, title, owner_user, owner_team, due, priority, status, notes, event_key,
     created_by, updated_at, version, event_items";

fn task_row(r: &Row<'_>) -> Result<Task> {
    let owner = match (r.get::<_, Option<String>>(3)?, r.get::<_, Option<String>>(4)?) {
        (Some(u), _) => Owner::User(u),
        (None, Some(t)) => Owner::Team(t),
        (None, None) => return Err(StoreError::Corrupt("a task without an owner".into())),
    };
    let priority = Priority::parse(&r.get::<_, String>(6)?).map_err(StoreError::Corrupt)?;
    let status = TaskStatus::parse(&r.get::<_, String>(7)?).map_err(StoreError::Corrupt)?;
    Ok(Task {
        id: r.get(0)?,
        person_id: r.get(1)?,
        title: r.get(2)?,
        owner,
        due: opt_date(r.get(5)?)?,
        priority,
        status,
        notes: r.get(8)?,
        event_key: r.get(9)?,
        created_by: r.get(10)?,
        updated_at: parse_date_time(&r.get::<_, String>(11)?)?,
        version: r.get(12)?,
        event_items: r.get::<_, Option<String>>(13)?.as_deref().and_then(EventItems::parse),
    })
}

fn owner_columns(owner: &Owner) -> (Option<&str>, Option<&str>) {
    match owner {
        Owner::User(u) => (Some(u.as_str()), None),
        Owner::Team(t) => (None, Some(t.as_str())),
    }
}

impl Store {
    /// Store a new task (its id, version and times are given here), audited in the
    /// same transaction. Returns it as stored.
    pub fn add_task(&mut self, task: &Task, audit: &AuditEvent) -> Result<Task> {
        let tx = self.conn.transaction(true)?;
        let (user, team) = owner_columns(&task.owner);
        let at = date_time_text(audit.at);
        let id: i64 = tx.query_row(
            "INSERT INTO task (person_id, title, owner_user, owner_team, due, priority, status, notes, event_key,
                               created_by, created_at, updated_by, updated_at, version, event_items)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?10, ?11, 1, ?12) RETURNING id",
            params![
                task.person_id,
                task.title,
                user,
                team,
                task.due.map(date_text),
                task.priority.code(),
                task.status.code(),
                task.notes,
                task.event_key,
                audit.actor,
                at,
                task.event_items.as_ref().map(EventItems::to_text)
            ],
            |r| r.get(0),
        )?;
        let mut event = audit.clone();
        event.detail = format!("{} (task {id})", event.detail);
        super::audit::append_audit_in(&self.audit, &tx, &event)?;
        tx.commit()?;
        self.audit.sync_anchor(&self.conn)?;
        self.task(id)?.ok_or(StoreError::NoRow)
    }

    /// Save `changed` over the stored task if it is still at `changed.version`;
    /// refused as stale otherwise. The audit event's detail is followed by the
    /// changes in words. Returns the task as stored.
    pub fn update_task(&mut self, changed: &Task, audit: &AuditEvent) -> Result<Task> {
        let tx = self.conn.transaction(true)?;
        let before = tx
            .query_row(
                &format!("SELECT {TASK_COLUMNS} FROM task WHERE id = ?1"),
                [changed.id],
                task_row,
            )
            .optional()?
            .ok_or(StoreError::NoRow)?;
        let (user, team) = owner_columns(&changed.owner);
        let updated = tx.execute(
            "UPDATE task SET title = ?3, owner_user = ?4, owner_team = ?5, due = ?6, priority = ?7, status = ?8,
                    notes = ?9, updated_by = ?10, updated_at = ?11, version = version + 1
              WHERE id = ?1 AND version = ?2",
            params![
                changed.id,
                changed.version,
                changed.title,
                user,
                team,
                changed.due.map(date_text),
                changed.priority.code(),
                changed.status.code(),
                changed.notes,
                audit.actor,
                date_time_text(audit.at)
            ],
        )?;
        if updated == 0 {
            return Err(StoreError::Stale(format!(
                "this task was changed at {} by another change; reload",
                before.updated_at.format("%H:%M")
            )));
        }
        let mut event = audit.clone();
        event.detail = format!(
            "{} (task {}): {}",
            event.detail,
            changed.id,
            change_words(&before, changed)
        );
        super::audit::append_audit_in(&self.audit, &tx, &event)?;
        tx.commit()?;
        self.audit.sync_anchor(&self.conn)?;
        self.task(changed.id)?.ok_or(StoreError::NoRow)
    }

    pub fn task(&self, id: i64) -> Result<Option<Task>> {
        self.conn
            .query_row(
                &format!("SELECT {TASK_COLUMNS} FROM task WHERE id = ?1"),
                [id],
                task_row,
            )
            .optional()
    }

    /// Every task of these people (any status), by due date then id.
    pub fn tasks_for_people(&self, people: &[i64]) -> Result<Vec<Task>> {
        let mut out = Vec::new();
        let mut stmt = self
            .conn
            .prepare_cached(&format!("SELECT {TASK_COLUMNS} FROM task WHERE person_id = ?1"))?;
        for id in people {
            for t in stmt.query_map([*id], task_row)? {
                out.push(t?);
            }
        }
        out.sort_by(|a, b| a.due.cmp(&b.due).then(a.id.cmp(&b.id)));
        Ok(out)
    }

    /// Tasks owned by `user` or by `team`, by due date then id.
    pub fn tasks_owned(&self, user: &str, team: Option<&str>) -> Result<Vec<Task>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {TASK_COLUMNS} FROM task WHERE owner_user = ?1 OR owner_team = ?2"
        ))?;
        let mut out = stmt
            .query_map(params![user, team], task_row)?
            .collect::<Result<Vec<_>>>()?;
        out.sort_by(|a, b| a.due.cmp(&b.due).then(a.id.cmp(&b.id)));
        Ok(out)
    }
}
