//! A coordinator's changes to a hospital stay (delay reasons, pathway, next action):
//! several at once in one transaction, each logged with who and when, and one audit
//! event that says them all in words.

use crate::store::engine::{Conn, OptionalExtension, params};
use chrono::{NaiveDate, NaiveDateTime};

use super::codec::{date_text, date_time_text, parse_date};
use super::{AuditEvent, Result, Store, StoreError};
use crate::domain::hospital::{Attribution, DelayReason};

/// A change to a spell made by a coordinator on the board or the record.
#[derive(Debug, Clone, PartialEq)]
pub enum SpellChange {
    AddDelayReason(DelayReason),
    UpdateDelayReason(DelayReason),
    CloseDelayReason {
        id: i64,
        on: NaiveDate,
    },
    SetPathway(Option<u8>),
    SetNextAction {
        action: Option<String>,
        owner: Option<String>,
    },
}

impl Store {
    /// Apply a coordinator's changes to a spell together (all or none), logging each
    /// with who and when, and write `audit` (its detail followed by the changes in
    /// words) in the same transaction. Returns the changes in words.
    pub fn change_spell(
        &mut self,
        episode_id: i64,
        seen: i64,
        changes: &[SpellChange],
        audit: &AuditEvent,
    ) -> Result<String> {
        let tx = self.conn.transaction(true)?;
        take_revision(&tx, episode_id, seen, &audit.actor, audit.at)?;
        let mut words = Vec::with_capacity(changes.len());
        for change in changes {
            words.push(apply_change(&tx, episode_id, change, &audit.actor, audit.at)?);
        }
        let words = words.join("; ");
        let mut event = audit.clone();
        event.detail = format!("{}: {words}", event.detail);
        super::audit::append_audit_in(&self.audit, &tx, &event)?;
        tx.commit()?;
        self.audit.sync_anchor(&self.conn)?;
        Ok(words)
    }
}

/// Move the spell on from revision `seen` to the next, by `actor` at `at`: refused
/// when another change was stored since `seen` was read (optimistic concurrency; the
/// row stays locked to this transaction until it ends).
fn take_revision(tx: &Conn, episode_id: i64, seen: i64, actor: &str, at: NaiveDateTime) -> Result<()> {
    let taken: Option<i64> = tx
        .query_row(
            "UPDATE hospital_spell SET version = version + 1, changed_by = ?3, changed_at = ?4
             WHERE episode_id = ?1 AND version = ?2 RETURNING version",
            params![episode_id, seen, actor, date_time_text(at)],
            |r| r.get(0),
        )
        .optional()?;
    if taken.is_some() {
        return Ok(());
    }
    let stored: Option<(Option<String>, Option<String>)> = tx
        .query_row(
            "SELECT changed_by, changed_at FROM hospital_spell WHERE episode_id = ?1",
            [episode_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    match stored {
        None => Err(StoreError::Corrupt(format!("no hospital spell {episode_id}"))),
        Some((by, at)) => Err(StoreError::Stale(stale_message(
            by,
            at.as_deref().and_then(parse_date_time_opt),
        ))),
    }
}

/// "this hospital stay was changed by NAME at HH:MM; reload": said to a coordinator
/// whose edit was made on what they had read before that change.
pub fn stale_message(by: Option<String>, at: Option<NaiveDateTime>) -> String {
    let by = by.unwrap_or_else(|| "someone else".into());
    match at {
        Some(at) => format!(
            "this hospital stay was changed by {by} at {}; reload",
            at.format("%H:%M")
        ),
        None => format!("this hospital stay was changed by {by}; reload"),
    }
}

fn parse_date_time_opt(text: &str) -> Option<NaiveDateTime> {
    super::codec::parse_date_time(text).ok()
}

/// One change, logged; returns it in words.
fn apply_change(tx: &Conn, episode_id: i64, change: &SpellChange, actor: &str, at: NaiveDateTime) -> Result<String> {
    let words;
    let log = |field: &str, old: Option<String>, new: Option<String>| {
        tx.execute(
            "INSERT INTO spell_change (episode_id, at, actor, field, old_value, new_value)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![episode_id, date_time_text(at), actor, field, old, new],
        )
    };
    match change {
        SpellChange::AddDelayReason(r) => {
            tx.execute(
                    "INSERT INTO delay_reason (episode_id, code, description, attribution, since, owner, recorded_by, recorded_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                    params![
                        episode_id,
                        r.code,
                        r.description,
                        r.attribution.code(),
                        date_text(r.since),
                        r.owner,
                        actor,
                        date_time_text(at)
                    ],
                )?;
            log(
                "delay_reason.added",
                None,
                Some(format!("{} {} ({})", r.code, r.description, r.attribution.code())),
            )?;
            words = format!(
                "delay reason '{}' added ({}, since {})",
                r.description,
                r.attribution.label(),
                crate::domain::dates::fmt_date(r.since)
            );
        }
        SpellChange::UpdateDelayReason(r) => {
            let before: Option<DelayReason> = tx
                .query_row(
                    "SELECT code, description, attribution, since, owner FROM delay_reason
                         WHERE id = ?1 AND episode_id = ?2",
                    params![r.id, episode_id],
                    |row| {
                        Ok((
                            row.get::<_, String>(0)?,
                            row.get::<_, String>(1)?,
                            row.get::<_, String>(2)?,
                            row.get::<_, String>(3)?,
                            row.get::<_, Option<String>>(4)?,
                        ))
                    },
                )
                .optional()?
                .map(|(code, description, attribution, since, owner)| DelayReason {
                    id: r.id,
                    code,
                    description,
                    attribution: Attribution::from_code(&attribution).unwrap_or(Attribution::Other),
                    since: parse_date(&since).unwrap_or(r.since),
                    owner,
                });
            let Some(before) = before else {
                return Err(StoreError::Corrupt(format!(
                    "no delay reason {} on spell {episode_id}",
                    r.id
                )));
            };
            words = crate::domain::hospital::delay_reason_change_words(&before, r);
            let old = Some(format!(
                "{} {} ({})",
                before.code,
                before.description,
                before.attribution.code()
            ));
            tx.execute(
                "UPDATE delay_reason SET code = ?3, description = ?4, attribution = ?5, since = ?6, owner = ?7
                     WHERE id = ?1 AND episode_id = ?2",
                params![
                    r.id,
                    episode_id,
                    r.code,
                    r.description,
                    r.attribution.code(),
                    date_text(r.since),
                    r.owner
                ],
            )?;
            log(
                "delay_reason.changed",
                old,
                Some(format!("{} {} ({})", r.code, r.description, r.attribution.code())),
            )?;
        }
        SpellChange::CloseDelayReason { id, on } => {
            tx.execute(
                "UPDATE delay_reason SET closed_on = ?3, closed_by = ?4 WHERE id = ?1 AND episode_id = ?2",
                params![id, episode_id, date_text(*on), actor],
            )?;
            log("delay_reason.closed", Some(id.to_string()), Some(date_text(*on)))?;
            let what: Option<String> = tx
                .query_row("SELECT description FROM delay_reason WHERE id = ?1", [id], |r| r.get(0))
                .optional()?;
            words = format!(
                "delay reason '{}' closed on {}",
                what.unwrap_or_default(),
                crate::domain::dates::fmt_date(*on)
            );
        }
        SpellChange::SetPathway(p) => {
            let old: Option<u8> = tx.query_row(
                "SELECT pathway FROM hospital_spell WHERE episode_id = ?1",
                [episode_id],
                |r| r.get(0),
            )?;
            tx.execute(
                "UPDATE hospital_spell SET pathway = ?2 WHERE episode_id = ?1",
                params![episode_id, p],
            )?;
            log("pathway", old.map(|v| v.to_string()), p.map(|v| v.to_string()))?;
            let say = |v: Option<u8>| v.map(|v| format!("pathway {v}")).unwrap_or_else(|| "not set".into());
            words = format!("pathway changed from {} to {}", say(old), say(*p));
        }
        SpellChange::SetNextAction { action, owner } => {
            let old: Option<String> = tx.query_row(
                "SELECT next_action FROM hospital_spell WHERE episode_id = ?1",
                [episode_id],
                |r| r.get(0),
            )?;
            tx.execute(
                "UPDATE hospital_spell SET next_action = ?2, next_action_owner = ?3 WHERE episode_id = ?1",
                params![episode_id, action, owner],
            )?;
            log("next_action", old.clone(), action.clone())?;
            words = format!(
                "next action changed from '{}' to '{}'{}",
                old.unwrap_or_default(),
                action.clone().unwrap_or_default(),
                owner.as_ref().map(|o| format!(" (owner {o})")).unwrap_or_default()
            );
        }
    }
    Ok(words)
}
