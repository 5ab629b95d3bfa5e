//! What became of each message a live feed received (`feed_message`): stored with
//! its import in one transaction (a group of messages shares one: `feed_group.rs`), so a message is never applied twice and its
//! receipt never outlives it; skipped (a type the record does not keep) or rejected
//! (its content invalid; the text kept for the Sources screen), each with its audit
//! event in the same transaction.

use chrono::NaiveDateTime;

use super::codec::{date_time_text, enum_text};
use super::engine::{Conn, OptionalExtension, params};
use super::{Result, Store};

/// What became of a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FeedOutcome {
    Stored,
    /// Deliberately not kept: a message type the record does not hold.
    Skipped,
    /// Its content was invalid; nothing of it was kept but the text.
    Rejected,
}

/// One feed's traffic, for the Sources screen's feeds panel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedSummary {
    pub feed: String,
    pub last_received: NaiveDateTime,
    pub today: i64,
    pub skipped: i64,
    pub rejected: i64,
    pub total: i64,
    /// Messages sent again after being answered (a lost ACK, a file dropped twice):
    /// answered as the first time, applied once.
    pub repeats: i64,
    /// Messages stored with a value of the person's identity left out (an NHS
    /// number failing its check digit, say), each acknowledged `AA` with an `ERR` of
    /// severity W: the sender's data to put right.
    pub warned: i64,
}

/// One message received, as the feed's receipt records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedMessage {
    pub received_at: NaiveDateTime,
    /// Which feed, e.g. `mllp 127.0.0.1:2575`.
    pub feed: String,
    pub sending_application: String,
    pub sending_facility: String,
    /// MSH-10; empty when the message had none (then it cannot be recognised again).
    pub control_id: String,
    pub message_type: String,
    pub outcome: FeedOutcome,
    pub reason: Option<String>,
    /// The message's text: kept only for a rejected message.
    pub text: Option<String>,
    /// The SHA-256 of its content (`import::hl7v2::content_sha256`), to tell a resend of this
    /// message from another message under the same control id.
    pub content_sha256: Option<String>,
    /// The control id a message came under when it was refused for using one its
    /// sender had used for another message (its `control_id` is then empty), so
    /// that its resends are answered as it was, without another audit event.
    pub reused_control_id: Option<String>,
}

impl Store {
    /// What became of the message with this identity, if it was received before.
    pub fn feed_outcome(
        &self,
        application: &str,
        facility: &str,
        control_id: &str,
    ) -> Result<Option<(FeedOutcome, Option<String>)>> {
        outcome_in(&self.conn, application, facility, control_id)
    }

    /// Record a message not stored (skipped or rejected), with its audit event;
    /// or, when the same feed recorded it before with the same outcome (a watched
    /// folder's file of the same name and SHA-256, tried again because it could not
    /// be filed away), count it on that record, with no other audit event.
    pub fn record_feed_message(&mut self, message: &FeedMessage, audit: &super::AuditEvent) -> Result<()> {
        let tx = self.conn.transaction(true)?;
        if !counted_again(&tx, message)? {
            insert_receipt(&tx, message, None)?;
            super::audit::append_audit_in(&self.audit, &tx, audit)?;
        }
        tx.commit()?;
        self.audit.sync_anchor(&self.conn)
    }

    /// Each feed's last message and counts (`today` counts messages since `since`;
    /// a message answered again is counted once here, its resends in `repeats`).
    pub fn feed_summaries(&self, since: NaiveDateTime) -> Result<Vec<FeedSummary>> {
        self.conn.query_map(
            "SELECT feed, MAX(received_at),
                    SUM(CASE WHEN received_at >= ?1 THEN 1 ELSE 0 END),
                    SUM(CASE WHEN outcome = 'skipped' THEN 1 ELSE 0 END),
                    SUM(CASE WHEN outcome = 'rejected' THEN 1 ELSE 0 END),
                    COUNT(*), SUM(repeats),
                    SUM(CASE WHEN outcome = 'stored' AND reason IS NOT NULL THEN 1 ELSE 0 END)
             FROM feed_message GROUP BY feed ORDER BY feed",
            [date_time_text(since)],
            |r| {
                Ok(FeedSummary {
                    feed: r.get(0)?,
                    last_received: super::codec::parse_date_time(&r.get::<_, String>(1)?)?,
                    today: r.get(2)?,
                    skipped: r.get(3)?,
                    rejected: r.get(4)?,
                    total: r.get(5)?,
                    repeats: r.get(6)?,
                    warned: r.get(7)?,
                })
            },
        )
    }

    /// The rejected messages, newest first, for the Sources screen.
    pub fn rejected_feed_messages(&self, limit: usize) -> Result<Vec<FeedMessage>> {
        self.listed_feed_messages("outcome = 'rejected'", FeedOutcome::Rejected, limit)
    }

    /// The messages stored with an identity warning (their receipt's reason), newest
    /// first, for the Sources screen.
    pub fn warned_feed_messages(&self, limit: usize) -> Result<Vec<FeedMessage>> {
        self.listed_feed_messages("outcome = 'stored' AND reason IS NOT NULL", FeedOutcome::Stored, limit)
    }

    fn listed_feed_messages(&self, filter: &str, outcome: FeedOutcome, limit: usize) -> Result<Vec<FeedMessage>> {
        self.conn.query_map(
            &format!(
                "SELECT received_at, feed, sending_application, sending_facility, control_id, message_type, reason, message
                 FROM feed_message WHERE {filter} ORDER BY id DESC LIMIT ?1"
            ),
            [limit as i64],
            |r| {
                Ok(FeedMessage {
                    received_at: super::codec::parse_date_time(&r.get::<_, String>(0)?)?,
                    feed: r.get(1)?,
                    sending_application: r.get(2)?,
                    sending_facility: r.get(3)?,
                    control_id: r.get(4)?,
                    message_type: r.get(5)?,
                    outcome,
                    reason: r.get(6)?,
                    text: r.get(7)?,
                    content_sha256: None,
                    reused_control_id: None,
                })
            },
        )
    }
}

impl super::ImportWriter<'_> {
    /// Record a feed's receipt in this import's transaction: it commits with the
    /// import or not at all (a file from a watched folder).
    pub fn record_receipt(&self, message: &FeedMessage) -> Result<()> {
        insert_receipt(self.transaction(), message, Some(self.run_id()))
    }
}

/// What became of the message with this identity, read on `conn` (inside a
/// group's transaction it sees the group's messages so far).
pub(super) fn outcome_in(
    conn: &Conn,
    application: &str,
    facility: &str,
    control_id: &str,
) -> Result<Option<(FeedOutcome, Option<String>)>> {
    if control_id.is_empty() {
        return Ok(None);
    }
    let found: Option<(String, Option<String>)> = conn
        .query_row(
            "SELECT outcome, reason FROM feed_message
             WHERE sending_application = ?1 AND sending_facility = ?2 AND control_id = ?3 AND control_id <> ''",
            params![application, facility, control_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    Ok(found.and_then(|(o, reason)| outcome_of(&o).map(|o| (o, reason))))
}

/// What became of `m` when it was received before under the same identity (a
/// resend after a lost ACK), its receipt's count of resends moved on; `None` for a
/// message not seen before.
pub(super) fn answered_before(conn: &Conn, m: &FeedMessage) -> Result<Option<(FeedOutcome, Option<String>)>> {
    let before = outcome_in(conn, &m.sending_application, &m.sending_facility, &m.control_id)?;
    if before.is_some() {
        conn.prepare_cached(
            "UPDATE feed_message SET repeats = repeats + 1
             WHERE sending_application = ?1 AND sending_facility = ?2 AND control_id = ?3 AND control_id <> ''",
        )?
        .execute(params![m.sending_application, m.sending_facility, m.control_id])?;
    }
    Ok(before)
}

/// Whether a message with `m`'s identity was received before with other content:
/// then `m` is not a resend but another message under a control id used again.
pub(super) fn identity_reused(conn: &Conn, m: &FeedMessage) -> Result<bool> {
    let (Some(sha), false) = (&m.content_sha256, m.control_id.is_empty()) else {
        return Ok(false);
    };
    let stored: Option<Option<String>> = conn
        .query_row(
            "SELECT content_sha256 FROM feed_message
             WHERE sending_application = ?1 AND sending_facility = ?2 AND control_id = ?3 AND control_id <> ''",
            params![m.sending_application, m.sending_facility, m.control_id],
            |r| r.get(0),
        )
        .optional()?;
    Ok(matches!(stored, Some(Some(before)) if &before != sha))
}

/// Whether a watched folder's file not stored (no control id; its SHA-256 known)
/// was recorded before by the same feed, under the same name, with the same
/// outcome: then it is counted on that record.
fn counted_again(conn: &Conn, m: &FeedMessage) -> Result<bool> {
    let (Some(sha), true) = (&m.content_sha256, m.control_id.is_empty()) else {
        return Ok(false);
    };
    let counted = conn.execute(
        "UPDATE feed_message SET repeats = repeats + 1
         WHERE id = (SELECT MIN(id) FROM feed_message
                     WHERE feed = ?1 AND sending_application = ?2 AND message_type = ?3 AND control_id = ''
                       AND content_sha256 = ?4 AND outcome = ?5 AND reused_control_id IS NULL)",
        params![
            m.feed,
            m.sending_application,
            m.message_type,
            sha,
            enum_text(&m.outcome)
        ],
    )?;
    Ok(counted > 0)
}

/// A message refused before for reusing a control id, sent again (the same sender,
/// control id and content): its reason, once its count of resends is moved on
/// (no audit event: it was written the first time).
pub(super) fn refused_reuse_again(conn: &Conn, m: &FeedMessage) -> Result<Option<Option<String>>> {
    let (Some(sha), false) = (&m.content_sha256, m.control_id.is_empty()) else {
        return Ok(None);
    };
    let found: Option<(i64, Option<String>)> = conn
        .query_row(
            "SELECT id, reason FROM feed_message
             WHERE sending_application = ?1 AND sending_facility = ?2 AND reused_control_id = ?3
               AND content_sha256 = ?4
             ORDER BY id LIMIT 1",
            params![m.sending_application, m.sending_facility, m.control_id, sha],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let Some((id, reason)) = found else {
        return Ok(None);
    };
    conn.execute(
        "UPDATE feed_message SET repeats = repeats + 1 WHERE id = ?1",
        params![id],
    )?;
    Ok(Some(reason))
}

pub(super) fn insert_receipt(tx: &Conn, m: &FeedMessage, run: Option<i64>) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO feed_message (received_at, feed, sending_application, sending_facility, control_id,
            message_type, outcome, reason, import_run_id, message, content_sha256, reused_control_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
    )?
    .execute(params![
        date_time_text(m.received_at),
        m.feed,
        m.sending_application,
        m.sending_facility,
        m.control_id,
        m.message_type,
        enum_text(&m.outcome),
        m.reason.as_deref().map(without_nul),
        run,
        m.text.as_deref().map(without_nul),
        m.content_sha256,
        m.reused_control_id.as_deref().map(without_nul),
    ])?;
    Ok(())
}

/// A rejected message's text and reason as kept: PostgreSQL's text holds no NUL,
/// and a message refused for holding one must still be recorded (else every resend
/// of it would fail its whole group, and the feed would stop behind it).
fn without_nul(s: &str) -> String {
    s.replace('\0', "\u{fffd}")
}

fn outcome_of(code: &str) -> Option<FeedOutcome> {
    serde_json::from_value(serde_json::Value::String(code.to_owned())).ok()
}
