//! A coordinator's worklist state (issue 16): who each account is in the sources,
//! caseloads (allocated people and follows, per user and per team), and each user's
//! seen and acknowledged events. Every change writes its audit event in its own
//! transaction. The same SQL on both engines.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;

use super::codec::{date_text, date_time_text, parse_date, parse_date_time};
use super::engine::{OptionalExtension, params};
use super::{AuditEvent, Result, Store};
use crate::domain::worklist::LookState;

/// Who an account is in the sources: the allocated worker's name as the sources
/// write it (`Sian Roberts (Westmere Council)`), and the team it works in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Coordinator {
    pub user_name: String,
    pub worker_name: String,
    pub team: Option<String>,
}

/// One person on a caseload, and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CaseloadEntry {
    pub person_id: i64,
    /// Allocated to the user (or a team member) in the sources.
    pub is_allocated: bool,
    /// Followed (by the user, or a team member), since this day.
    pub followed_on: Option<NaiveDate>,
}

/// People allocated to a worker name (matched without regard to case), and people
/// followed, for a set of accounts. A follow of a record since linked into another
/// person's follows that person (hostile review: the person left the caseload).
const CASELOAD_SQL: &str = "
    SELECT p.id, 1, NULL FROM person p JOIN coordinator c ON lower(p.allocated_worker) = lower(c.worker_name)
     WHERE c.user_name = ?1 AND p.merged_into IS NULL
    UNION ALL
    SELECT COALESCE(p.merged_into, p.id), 0, f.followed_at FROM follow f JOIN person p ON p.id = f.person_id
     WHERE f.user_name = ?1";

const TEAM_CASELOAD_SQL: &str = "
    SELECT p.id, 1, NULL FROM person p JOIN coordinator c ON lower(p.allocated_worker) = lower(c.worker_name)
     WHERE c.team = ?1 AND p.merged_into IS NULL
    UNION ALL
    SELECT COALESCE(p.merged_into, p.id), 0, f.followed_at FROM follow f JOIN coordinator c ON c.user_name = f.user_name
      JOIN person p ON p.id = f.person_id
     WHERE c.team = ?1";

impl Store {
    /// Say who `user` is in the sources, audited in the same transaction.
    pub fn set_coordinator(&mut self, who: &Coordinator, audit: &AuditEvent) -> Result<()> {
        let tx = self.conn.transaction(true)?;
        tx.execute(
            "INSERT INTO coordinator (user_name, worker_name, team) VALUES (?1, ?2, ?3)
             ON CONFLICT (user_name) DO UPDATE SET worker_name = excluded.worker_name, team = excluded.team",
            params![who.user_name, who.worker_name, who.team],
        )?;
        super::audit::append_audit_in(&self.audit, &tx, audit)?;
        tx.commit()?;
        self.audit.sync_anchor(&self.conn)
    }

    /// Who `user` is in the sources, if set.
    pub fn coordinator(&self, user: &str) -> Result<Option<Coordinator>> {
        self.conn
            .query_row(
                "SELECT user_name, worker_name, team FROM coordinator WHERE user_name = ?1",
                [user],
                |r| {
                    Ok(Coordinator {
                        user_name: r.get(0)?,
                        worker_name: r.get(1)?,
                        team: r.get(2)?,
                    })
                },
            )
            .optional()
    }

    /// A user's caseload: allocated to them in the sources, or followed by them.
    pub fn caseload(&self, user: &str) -> Result<Vec<CaseloadEntry>> {
        self.caseload_by(CASELOAD_SQL, user)
    }

    /// A team's caseload: allocated to any of its coordinators, or followed by any.
    pub fn team_caseload(&self, team: &str) -> Result<Vec<CaseloadEntry>> {
        self.caseload_by(TEAM_CASELOAD_SQL, team)
    }

    fn caseload_by(&self, sql: &str, who: &str) -> Result<Vec<CaseloadEntry>> {
        let mut stmt = self.conn.prepare_cached(sql)?;
        let rows = stmt.query_map([who], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)? != 0,
                r.get::<_, Option<String>>(2)?,
            ))
        })?;
        let mut by_person: HashMap<i64, CaseloadEntry> = HashMap::new();
        for row in rows {
            let (person_id, allocated, followed) = row?;
            let followed_on = followed.map(|t| parse_date_time(&t).map(|t| t.date())).transpose()?;
            let entry = by_person.entry(person_id).or_insert(CaseloadEntry {
                person_id,
                is_allocated: false,
                followed_on: None,
            });
            entry.is_allocated |= allocated;
            entry.followed_on = match (entry.followed_on, followed_on) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
        }
        let mut out: Vec<_> = by_person.into_values().collect();
        out.sort_by_key(|e| e.person_id);
        Ok(out)
    }

    /// `user` follows the person from now; false when they already did. The audit
    /// event is written only for a change.
    pub fn follow(&mut self, user: &str, person_id: i64, audit: &AuditEvent) -> Result<bool> {
        self.change_audited(
            "INSERT INTO follow (user_name, person_id, followed_at) VALUES (?1, ?2, ?3)
             ON CONFLICT (user_name, person_id) DO NOTHING",
            params![user, person_id, date_time_text(audit.at)],
            audit,
        )
    }

    /// `user` stops following the person (and any record linked into theirs); false
    /// when they did not.
    pub fn unfollow(&mut self, user: &str, person_id: i64, audit: &AuditEvent) -> Result<bool> {
        self.change_audited(
            "DELETE FROM follow WHERE user_name = ?1
                AND (person_id = ?2 OR person_id IN (SELECT id FROM person WHERE merged_into = ?2))",
            params![user, person_id],
            audit,
        )
    }

    /// Whether `user` follows the person.
    pub fn is_following(&self, user: &str, person_id: i64) -> Result<bool> {
        Ok(self
            .conn
            .query_row(
                "SELECT 1 FROM follow WHERE user_name = ?1
                   AND (person_id = ?2 OR person_id IN (SELECT id FROM person WHERE merged_into = ?2))
                 LIMIT 1",
                params![user, person_id],
                |r| r.get::<_, i64>(0),
            )
            .optional()?
            .is_some())
    }

    /// `user`'s seen state for these people: their own seen events and looks, and the
    /// acknowledgements of everyone in their team (one coordinator's acknowledgement
    /// is seen by all of them), and the people they follow.
    pub fn look_state(&self, user: &str, people: &[i64]) -> Result<LookState> {
        let wanted: HashSet<i64> = people.iter().copied().collect();
        let mut state = LookState::default();
        if let Some((on, batch)) = self
            .conn
            .query_row(
                "SELECT looked_on, batch FROM worklist_look WHERE user_name = ?1",
                [user],
                |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)),
            )
            .optional()?
        {
            state.last_look = Some(parse_date(&on)?);
            state.last_batch = Some(batch);
        }
        let mut stmt = self.conn.prepare_cached(
            "SELECT person_id, event_key, batch, acknowledged_at IS NOT NULL FROM worklist_seen WHERE user_name = ?1",
        )?;
        for row in stmt.query_map([user], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, i64>(2)?,
                r.get::<_, bool>(3)?,
            ))
        })? {
            let (person, key, batch, acknowledged) = row?;
            if !wanted.contains(&person) {
                continue;
            }
            if acknowledged {
                state.acknowledged.insert((person, key.clone()));
            }
            state.seen.insert((person, key), batch);
        }
        let mut stmt = self.conn.prepare_cached(
            "SELECT s.person_id, s.event_key FROM worklist_seen s
               JOIN coordinator mate ON mate.user_name = s.user_name
               JOIN coordinator me ON me.team = mate.team
              WHERE me.user_name = ?1 AND s.user_name <> ?1 AND s.acknowledged_at IS NOT NULL",
        )?;
        for row in stmt.query_map([user], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))? {
            let key = row?;
            if wanted.contains(&key.0) {
                state.acknowledged.insert(key);
            }
        }
        let mut stmt = self.conn.prepare_cached(
            "SELECT COALESCE(p.merged_into, p.id), f.followed_at FROM follow f JOIN person p ON p.id = f.person_id
                  WHERE f.user_name = ?1",
        )?;
        for row in stmt.query_map([user], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))? {
            let (person, at) = row?;
            let on = parse_date_time(&at)?.date();
            let first = state.followed_on.entry(person).or_insert(on);
            *first = (*first).min(on);
        }
        Ok(state)
    }

    /// `user` looked at these events on `today`: they become this look's batch (the
    /// ones seen before keep their acknowledgement), audited in the same transaction.
    pub fn mark_seen(
        &mut self,
        user: &str,
        events: &[(i64, String)],
        today: NaiveDate,
        audit: &AuditEvent,
    ) -> Result<()> {
        let tx = self.conn.transaction(true)?;
        let batch: i64 = tx
            .query_row("SELECT batch FROM worklist_look WHERE user_name = ?1", [user], |r| {
                r.get::<_, i64>(0)
            })
            .optional()?
            .unwrap_or(0)
            + 1;
        tx.execute(
            "INSERT INTO worklist_look (user_name, looked_on, batch) VALUES (?1, ?2, ?3)
             ON CONFLICT (user_name) DO UPDATE SET looked_on = excluded.looked_on, batch = excluded.batch",
            params![user, date_text(today), batch],
        )?;
        {
            let mut stmt = tx.prepare_cached(
                "INSERT INTO worklist_seen (user_name, person_id, event_key, batch, seen_at) VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (user_name, person_id, event_key) DO UPDATE SET batch = excluded.batch",
            )?;
            let at = date_time_text(audit.at);
            for (person, key) in events {
                stmt.execute(params![user, *person, key.as_str(), batch, at.as_str()])?;
            }
        }
        super::audit::append_audit_in(&self.audit, &tx, audit)?;
        tx.commit()?;
        self.audit.sync_anchor(&self.conn)
    }

    /// `user` acknowledged one event (seen too, in their current look's batch);
    /// audited against the person, so it stays in the record's history.
    pub fn acknowledge(&mut self, user: &str, person_id: i64, key: &str, audit: &AuditEvent) -> Result<()> {
        let tx = self.conn.transaction(true)?;
        let batch: i64 = tx
            .query_row("SELECT batch FROM worklist_look WHERE user_name = ?1", [user], |r| {
                r.get::<_, i64>(0)
            })
            .optional()?
            .unwrap_or(0);
        let at = date_time_text(audit.at);
        tx.execute(
            "INSERT INTO worklist_seen (user_name, person_id, event_key, batch, seen_at, acknowledged_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?5)
             ON CONFLICT (user_name, person_id, event_key) DO UPDATE SET acknowledged_at = excluded.acknowledged_at",
            params![user, person_id, key, batch, at],
        )?;
        super::audit::append_audit_in(&self.audit, &tx, audit)?;
        tx.commit()?;
        self.audit.sync_anchor(&self.conn)
    }

    /// `user` saw one event (in their current look's batch, without a new look, so
    /// the rest of the list stays as it was), audited in the same transaction.
    /// False when it was seen already.
    pub fn mark_one_seen(&mut self, user: &str, person_id: i64, key: &str, audit: &AuditEvent) -> Result<bool> {
        let tx = self.conn.transaction(true)?;
        let batch: i64 = tx
            .query_row("SELECT batch FROM worklist_look WHERE user_name = ?1", [user], |r| {
                r.get::<_, i64>(0)
            })
            .optional()?
            .unwrap_or(0);
        let added = tx.execute(
            "INSERT INTO worklist_seen (user_name, person_id, event_key, batch, seen_at) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (user_name, person_id, event_key) DO NOTHING",
            params![user, person_id, key, batch, date_time_text(audit.at)],
        )? > 0;
        if added {
            super::audit::append_audit_in(&self.audit, &tx, audit)?;
        }
        tx.commit()?;
        self.audit.sync_anchor(&self.conn)?;
        Ok(added)
    }
}
