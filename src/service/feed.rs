//! A live feed's messages, one at a time (HL7 v2 from a listener): each is stored
//! with its receipt and audit event in one transaction, or recorded as skipped (a
//! type the record does not keep) or rejected (invalid content), and a message
//! received before is answered as it was the first time, never applied twice.
//!
//! An error of the store itself (a lost connection, a full disk) is returned as an
//! error, not as an outcome: the listener then sends no acknowledgement, so the
//! sender sends the message again; nothing is acknowledged that was not stored.

use chrono::NaiveDateTime;

use super::{Result, Service};
use crate::domain::batch::{ImportBatch, ImportSummary};
use crate::domain::governance::AuditAction;
use crate::import::hl7v2::Header;
use crate::import::pipeline::Imported;
use crate::store::{FeedMessage, FeedOutcome, StoreError};

/// Who a watched folder's files are from, in a feed's receipt (the folder is the feed).
const WATCHED_FOLDER: &str = "watched folder";

/// What became of one message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Received {
    /// Stored now.
    Stored(ImportSummary),
    /// Received before (the same sender and control id): answered as then.
    Again(FeedOutcome, Option<String>),
    /// Not a type the record keeps: acknowledged, counted, not stored.
    Skipped(String),
    /// Its content is invalid (why); kept among the rejected messages.
    Rejected(String),
    /// Not a message that can be read at all (no MSH header): nothing kept.
    Unreadable(String),
}

impl Service {
    /// Receive one message from `feed` (e.g. `mllp 127.0.0.1:2575`) at `now`.
    pub fn receive_hl7(&mut self, feed: &str, text: &str, now: NaiveDateTime) -> Result<Received> {
        self.check_may_change()?;
        let Some(h) = Header::read(text) else {
            return Ok(Received::Unreadable(
                "the frame does not begin with an MSH segment".into(),
            ));
        };
        if let Some((outcome, reason)) =
            self.store
                .feed_outcome(&h.sending_application, &h.sending_facility, &h.control_id)?
        {
            return Ok(Received::Again(outcome, reason));
        }
        let message = |outcome, reason: Option<String>| FeedMessage {
            received_at: now,
            feed: feed.to_owned(),
            sending_application: h.sending_application.clone(),
            sending_facility: h.sending_facility.clone(),
            control_id: h.control_id.clone(),
            message_type: h.message_type.clone(),
            outcome,
            text: (outcome == FeedOutcome::Rejected).then(|| text.to_owned()),
            reason,
        };
        if h.control_id.is_empty() {
            let why = "MSH-10 (message control id) is empty, so a resend could not be recognised".to_owned();
            return self.not_stored(
                message(FeedOutcome::Rejected, Some(why.clone())),
                Received::Rejected(why),
                now,
            );
        }
        let label = format!("{feed} {} {}", h.message_type, h.control_id);
        let sha = crate::import::sha256_hex(text.as_bytes());
        let parsed = crate::import::hl7v2::parse(&label, &sha, text, self.import_options())
            .map_err(|e| super::ServiceError::Refused(e.to_string()))?;
        if let Some(r) = parsed.rejections.first() {
            let why = format!("{}: {}", r.field, r.reason);
            return self.not_stored(
                message(FeedOutcome::Rejected, Some(why.clone())),
                Received::Rejected(why),
                now,
            );
        }
        let batch = parsed.batch;
        if batch.people.is_empty() && batch.episodes.is_empty() && batch.care_plans.is_empty() {
            // An event noted and not applied (A29, A44, A45) says why; other types
            // are simply not kept (ORU, MDM and so on).
            let why = match batch.notes.first() {
                Some(note) => note.clone(),
                None => format!("{} is not a message type the record keeps", h.message_type),
            };
            return self.not_stored(
                message(FeedOutcome::Skipped, Some(why.clone())),
                Received::Skipped(why),
                now,
            );
        }
        let base = self.event(AuditAction::Import, None, String::new(), None, now);
        let sender = h.sending_application.clone();
        let audit = move |f: &ImportBatch, s: &ImportSummary| {
            let mut e = base.clone();
            e.detail = format!(
                "received {} from {}: {} people and {} items added, {} updated",
                f.file_name, sender, s.people_added, s.episodes_added, s.episodes_updated
            );
            e
        };
        let receipt = message(FeedOutcome::Stored, None);
        match self.store.apply_feed_message(&batch, &receipt, &audit) {
            Ok(summary) => Ok(Received::Stored(summary)),
            // The content contradicts what is stored (a discharge before the stored
            // admission, an item of another person): invalid, not a store failure.
            Err(StoreError::Refused(why)) => self.not_stored(
                message(FeedOutcome::Rejected, Some(why.clone())),
                Received::Rejected(why),
                now,
            ),
            Err(e) => {
                // Another connection may have stored the same message meanwhile.
                match self
                    .store
                    .feed_outcome(&h.sending_application, &h.sending_facility, &h.control_id)
                {
                    Ok(Some((outcome, reason))) => Ok(Received::Again(outcome, reason)),
                    _ => Err(e.into()),
                }
            }
        }
    }

    /// A file dropped in a watched folder (`feed`, e.g. `watch /srv/drop`): imported
    /// none-or-all as [`Service::import_bytes`] imports it, with the feed's receipt
    /// in the same transaction, so the Sources screen's feeds panel lists the folder.
    pub fn receive_file(&mut self, feed: &str, file: &str, bytes: &[u8], now: NaiveDateTime) -> Result<Imported> {
        let receipt = file_receipt(feed, file, FeedOutcome::Stored, None, now);
        self.import_with_receipt(file, bytes, false, now, &mut |_| true, Some(&receipt))
    }

    /// A watched folder's file that was not imported, a duplicate (`Skipped`) or
    /// refused (`Rejected`), recorded for the feeds panel with its audit event.
    pub fn file_not_stored(
        &mut self,
        feed: &str,
        file: &str,
        outcome: FeedOutcome,
        reason: &str,
        now: NaiveDateTime,
    ) -> Result<()> {
        self.check_may_change()?;
        let message = file_receipt(feed, file, outcome, Some(reason.to_owned()), now);
        let detail = format!("file {file} from {feed} not stored: {reason}");
        let event = self.event(AuditAction::FeedMessageNotStored, None, detail, None, now);
        Ok(self.store.record_feed_message(&message, &event)?)
    }

    /// Record a message that is not stored, with its audit event.
    fn not_stored(&mut self, message: FeedMessage, received: Received, now: NaiveDateTime) -> Result<Received> {
        let detail = format!(
            "{} {} from {} not stored: {}",
            message.message_type,
            message.control_id,
            message.sending_application,
            message.reason.as_deref().unwrap_or("")
        );
        let event = self.event(AuditAction::FeedMessageNotStored, None, detail, None, now);
        self.store.record_feed_message(&message, &event)?;
        Ok(received)
    }
}

/// A watched folder's file as a feed's receipt: no control id (a file has none; its
/// duplicates are known by their SHA-256), the file's name for its type, never its
/// contents.
fn file_receipt(
    feed: &str,
    file: &str,
    outcome: FeedOutcome,
    reason: Option<String>,
    now: NaiveDateTime,
) -> FeedMessage {
    FeedMessage {
        received_at: now,
        feed: feed.to_owned(),
        sending_application: WATCHED_FOLDER.to_owned(),
        sending_facility: String::new(),
        control_id: String::new(),
        message_type: file.to_owned(),
        outcome,
        reason,
        text: None,
    }
}
