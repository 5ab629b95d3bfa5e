//! Group commit for a live feed: the messages that arrived within a few
//! milliseconds (from every connection) stored in ONE transaction, with one
//! durable commit and one move of the audit anchor, instead of one of each per
//! message.
//!
//! Each message keeps its own outcome. A message to store is written under a
//! savepoint: when its content contradicts what is stored ([`StoreError::Refused`])
//! only its savepoint is undone and it is recorded as rejected; the others stay.
//! A message received before, in an earlier group or earlier in this one (the
//! same MSH-3, MSH-4 and MSH-10), is answered as then and written once; so is a
//! message refused for reusing a control id, sent again (the same MSH-3, MSH-4,
//! MSH-10 and content): its resends are counted on its row, with no audit event. Every
//! message keeps its receipt row and its own audit event (the import's, sealing
//! its episodes, or "not stored"), in the group's transaction.
//!
//! Any other error (a lost connection, a full disk) fails the whole group: the
//! transaction rolls back, nothing of it is kept, and the caller acknowledges none
//! of its messages, so the senders send them again.

use super::apply::ImportWriter;
use super::audit::append_audit_in;
use super::engine::Conn;
use super::feed::{answered_before, identity_reused, insert_receipt, refused_reuse_again};
use super::{AuditEvent, AuditKey, FeedMessage, FeedOutcome, Result, Store, StoreError};
use crate::domain::batch::{ImportBatch, ImportSummary};

/// The import's audit event for one message of a group, made from what was written.
pub type GroupAudit<'a> = Box<dyn Fn(&ImportBatch, &ImportSummary) -> AuditEvent + 'a>;

/// One message of a group, as the service prepared it.
pub enum GroupMessage<'a> {
    /// A message to store: its batch, its receipt (outcome stored), its text
    /// (kept only if the store refuses it) and the import's audit event.
    Store {
        batch: Box<ImportBatch>,
        receipt: FeedMessage,
        text: String,
        audit: GroupAudit<'a>,
    },
    /// A message recorded but not stored (skipped, or rejected before writing).
    NotStored { receipt: FeedMessage },
}

/// The text of a message, as kept for a rejected one.
fn message_text(m: &GroupMessage<'_>) -> String {
    match m {
        GroupMessage::Store { text, .. } => text.clone(),
        GroupMessage::NotStored { receipt } => receipt.text.clone().unwrap_or_default(),
    }
}

impl GroupMessage<'_> {
    fn receipt(&self) -> &FeedMessage {
        match self {
            GroupMessage::Store { receipt, .. } | GroupMessage::NotStored { receipt } => receipt,
        }
    }
}

/// What became of one message of a group (in the order given).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GroupOutcome {
    /// Stored now.
    Stored(ImportSummary),
    /// Recorded as its receipt said (skipped, or rejected before writing).
    Recorded,
    /// The store refused its content (why): recorded as rejected, nothing written.
    Refused(String),
    /// Received before: answered as then, not written again.
    Again(FeedOutcome, Option<String>),
}

impl Store {
    /// Store a group of a feed's messages in one transaction, committed durably
    /// (see the module docs). `not_stored` makes the audit event of a message
    /// recorded without being stored. On `Err`, nothing of the group was kept.
    pub fn apply_feed_group(
        &mut self,
        messages: &[&GroupMessage<'_>],
        not_stored: &dyn Fn(&FeedMessage) -> AuditEvent,
    ) -> Result<Vec<GroupOutcome>> {
        let key = self.audit.clone();
        // Acknowledged means durable: on SQLite the group's commit syncs its log.
        self.conn.set_durable_commits(true)?;
        let written = write_group(&mut self.conn, &key, messages, not_stored);
        let restored = self.conn.set_durable_commits(false);
        let outcomes = written?;
        restored?;
        self.audit.sync_anchor(&self.conn)?;
        Ok(outcomes)
    }
}

fn write_group(
    conn: &mut Conn,
    key: &AuditKey,
    messages: &[&GroupMessage<'_>],
    not_stored: &dyn Fn(&FeedMessage) -> AuditEvent,
) -> Result<Vec<GroupOutcome>> {
    let tx = conn.transaction(true)?;
    tx.lock_new_items()?;
    let mut outcomes = Vec::with_capacity(messages.len());
    let mut changed = 0;
    for m in messages {
        let r = m.receipt();
        if let Some(reason) = refused_reuse_again(&tx, r)? {
            // This refused message again: answered as then, counted, one audit event.
            outcomes.push(GroupOutcome::Again(FeedOutcome::Rejected, reason));
            continue;
        }
        if identity_reused(&tx, r)? {
            // Not a resend: another message under a control id this sender used
            // before. Neither applied nor dropped unseen: rejected (AE), kept among
            // the rejected messages without the id (which names the first one).
            let why = format!(
                "MSH-10 control id {} was used before by this sender for a different message: not applied (a resend must be the same message)",
                r.control_id
            );
            let rejected = FeedMessage {
                control_id: String::new(),
                reused_control_id: Some(r.control_id.clone()),
                outcome: FeedOutcome::Rejected,
                reason: Some(why.clone()),
                text: Some(message_text(m)),
                ..r.clone()
            };
            record(key, &tx, &rejected, not_stored)?;
            outcomes.push(GroupOutcome::Refused(why));
            continue;
        }
        if let Some((outcome, reason)) = answered_before(&tx, r)? {
            outcomes.push(GroupOutcome::Again(outcome, reason));
            continue;
        }
        let outcome = match m {
            GroupMessage::NotStored { receipt } => {
                record(key, &tx, receipt, not_stored)?;
                GroupOutcome::Recorded
            }
            GroupMessage::Store {
                batch,
                receipt,
                text,
                audit,
            } => match store_one(key, &tx, batch, receipt, audit) {
                Ok(summary) => {
                    changed += summary.people_added + summary.episodes_added;
                    GroupOutcome::Stored(summary)
                }
                // The content contradicts what is stored (a discharge before the
                // stored admission, an item of another person): invalid, not a
                // store failure. Its savepoint is undone; the group goes on.
                Err(StoreError::Refused(why)) => {
                    let rejected = FeedMessage {
                        outcome: FeedOutcome::Rejected,
                        reason: Some(why.clone()),
                        text: Some(text.clone()),
                        ..receipt.clone()
                    };
                    record(key, &tx, &rejected, not_stored)?;
                    GroupOutcome::Refused(why)
                }
                Err(e) => return Err(e),
            },
        };
        outcomes.push(outcome);
    }
    tx.refresh_statistics(changed)?;
    tx.commit()?;
    Ok(outcomes)
}

/// One message's import under its own savepoint: its run, items, receipt and
/// audit event, or (dropped on an error) none of them.
fn store_one(
    key: &AuditKey,
    tx: &Conn,
    batch: &ImportBatch,
    receipt: &FeedMessage,
    audit: &GroupAudit<'_>,
) -> Result<ImportSummary> {
    let savepoint = tx.savepoint("feed_message")?;
    let mut writer = ImportWriter::start(savepoint, key.clone(), batch, receipt.received_at)?;
    writer.write(batch, &mut |_| true)?;
    insert_receipt(writer.transaction(), receipt, Some(writer.run_id()))?;
    writer.finish_in_group(batch, &**audit)
}

/// A message recorded without being stored, with its audit event.
fn record(
    key: &AuditKey,
    tx: &Conn,
    receipt: &FeedMessage,
    not_stored: &dyn Fn(&FeedMessage) -> AuditEvent,
) -> Result<()> {
    insert_receipt(tx, receipt, None)?;
    append_audit_in(key, tx, &not_stored(receipt))?;
    Ok(())
}
