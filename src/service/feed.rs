//! A live feed's messages (HL7 v2 from a listener), a group at a time: the
//! messages that arrived together are stored in one transaction (group commit,
//! `store::feed_group`), each keeping its own outcome and its own audit event:
//! stored with its receipt, recorded as skipped (a type the record does not keep)
//! or rejected (invalid content), and a message received before, in an earlier
//! group or earlier in the same one, answered as it was the first time, never
//! applied twice.
//!
//! An error of the store itself (a lost connection, a full disk) is returned as an
//! error, not as an outcome, and nothing of the group is kept: the listener then
//! acknowledges none of its messages, so the senders send them again; nothing is
//! acknowledged that was not stored.

use chrono::NaiveDateTime;

use super::{Result, Service};
use crate::domain::batch::{ImportBatch, ImportSummary};
use crate::domain::governance::AuditAction;
use crate::import::hl7v2::Header;
use crate::import::pipeline::Imported;
use crate::store::{AuditEvent, FeedMessage, FeedOutcome, GroupMessage, GroupOutcome};

/// Who a watched folder's files are from, in a feed's receipt (the folder is the feed).
const WATCHED_FOLDER: &str = "watched folder";

/// What became of one message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Received {
    /// Stored now.
    Stored(ImportSummary),
    /// Stored now, a value of a person's identity left out (why: `FIELD: reason`,
    /// e.g. an NHS number failing its check digit, the person filed under the
    /// hospital's own id); the warning is kept with the message's receipt.
    Warned(ImportSummary, String),
    /// Received before (the same sender and control id): answered as then.
    Again(FeedOutcome, Option<String>),
    /// Not a type the record keeps: acknowledged, counted, not stored.
    Skipped(String),
    /// Its content is invalid (why); kept among the rejected messages.
    Rejected(String),
    /// Not a message that can be read at all (no MSH header): nothing kept.
    Unreadable(String),
}

/// One message read before its group is written: what goes to the store, or
/// why it cannot be read (unreadable: nothing to keep).
type Prepared<'a> = std::result::Result<GroupMessage<'a>, String>;

impl Service {
    /// Receive one message from `feed` (e.g. `mllp 127.0.0.1:2575`) at `now`: a
    /// group of one.
    pub fn receive_hl7(&mut self, feed: &str, text: &str, now: NaiveDateTime) -> Result<Received> {
        let mut received = self.receive_hl7_group(feed, &[text], now)?;
        received
            .pop()
            .ok_or_else(|| super::ServiceError::Refused("no message".into()))
    }

    /// Receive the messages that arrived together from `feed` at `now`, stored in
    /// one transaction; their outcomes in the order given. On `Err`, nothing of
    /// the group was kept (none of them may be acknowledged).
    pub fn receive_hl7_group(&mut self, feed: &str, texts: &[&str], now: NaiveDateTime) -> Result<Vec<Received>> {
        self.check_may_change()?;
        let prepared: Vec<Prepared<'_>> = texts.iter().map(|t| self.prepare(feed, t, now)).collect();
        let messages: Vec<&GroupMessage<'_>> = prepared.iter().filter_map(|p| p.as_ref().ok()).collect();
        let base = self.event(AuditAction::FeedMessageNotStored, None, String::new(), None, now);
        let not_stored = move |m: &FeedMessage| AuditEvent {
            detail: format!(
                "{} {} from {} not stored: {}",
                m.message_type,
                m.control_id,
                m.sending_application,
                without_quoted_values(m.reason.as_deref().unwrap_or(""))
            ),
            ..base.clone()
        };
        let outcomes = self.store.apply_feed_group(&messages, &not_stored)?;
        let mut outcomes = outcomes.into_iter();
        Ok(prepared
            .iter()
            .map(|p| match p {
                Err(why) => Received::Unreadable(why.clone()),
                Ok(m) => match outcomes.next() {
                    Some(o) => received_of(m, o),
                    None => Received::Unreadable("no outcome".into()),
                },
            })
            .collect())
    }

    /// Read one message: its header, its content, and what the store is to do.
    fn prepare<'a>(&self, feed: &str, text: &str, now: NaiveDateTime) -> Prepared<'a> {
        let Some(h) = Header::read(text) else {
            return Err("the frame does not begin with an MSH segment".into());
        };
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
            content_sha256: Some(crate::import::hl7v2::content_sha256(text)),
            reused_control_id: None,
        };
        let not_stored = |outcome, why: String| {
            Ok(GroupMessage::NotStored {
                receipt: message(outcome, Some(why)),
            })
        };
        if h.control_id.is_empty() {
            let why = "MSH-10 (message control id) is empty, so a resend could not be recognised".to_owned();
            return not_stored(FeedOutcome::Rejected, why);
        }
        let label = format!("{feed} {} {}", h.message_type, h.control_id);
        let sha = crate::import::sha256_hex(text.as_bytes());
        let parsed = match crate::import::parse_hl7v2_message(&label, &sha, text, self.import_options()) {
            Ok(parsed) => parsed,
            Err(e) => return not_stored(FeedOutcome::Rejected, e.to_string()),
        };
        if let Some(r) = parsed.rejections.first() {
            return not_stored(FeedOutcome::Rejected, format!("{}: {}", r.field, r.reason));
        }
        let batch = parsed.batch;
        // Identity data left out: the message is filed under the ids that remain
        // (none left: rejected above), and the warning kept with its receipt.
        let warning = (!batch.warnings.is_empty()).then(|| batch.warnings.join("; "));
        if batch.people.is_empty() && batch.episodes.is_empty() && batch.care_plans.is_empty() {
            // An event noted and not applied (A29, A44, A45) says why; other types
            // are simply not kept (ORU, MDM and so on).
            let why = match batch.notes.first() {
                Some(note) => note.clone(),
                None => format!("{} is not a message type the record keeps", h.message_type),
            };
            return not_stored(FeedOutcome::Skipped, why);
        }
        let base = self.event(AuditAction::Import, None, String::new(), None, now);
        let sender = h.sending_application.clone();
        let warned = match batch.warnings.len() {
            0 => String::new(),
            n => format!("; {n} identity values left out (warned)"),
        };
        let audit = move |f: &ImportBatch, s: &ImportSummary| AuditEvent {
            detail: format!(
                "received {} from {}: {} people and {} items added, {} updated{warned}",
                f.file_name, sender, s.people_added, s.episodes_added, s.episodes_updated
            ),
            ..base.clone()
        };
        Ok(GroupMessage::Store {
            batch: Box::new(batch),
            receipt: message(FeedOutcome::Stored, warning),
            text: text.to_owned(),
            audit: Box::new(audit),
        })
    }

    /// A file dropped in a watched folder (`feed`, e.g. `watch /srv/drop`): imported
    /// none-or-all as [`Service::import_bytes`] imports it, with the feed's receipt
    /// in the same transaction, so the Sources screen's feeds panel lists the folder.
    pub fn receive_file(&mut self, feed: &str, file: &str, bytes: &[u8], now: NaiveDateTime) -> Result<Imported> {
        let receipt = file_receipt(feed, file, FeedOutcome::Stored, None, now);
        self.import_with_receipt(file, bytes, false, now, &mut |_| true, Some(&receipt))
    }

    /// A watched folder's file that was not imported, a duplicate (`Skipped`) or
    /// refused (`Rejected`), recorded for the feeds panel with its audit event; its
    /// contents' SHA-256 when they were read. The same file (name and SHA-256) with
    /// the same outcome again, tried again because it could not be filed away, is
    /// counted on its first record, with no other audit event.
    pub fn file_not_stored(
        &mut self,
        feed: &str,
        (file, sha256): (&str, Option<&str>),
        outcome: FeedOutcome,
        reason: &str,
        now: NaiveDateTime,
    ) -> Result<()> {
        self.check_may_change()?;
        let message = FeedMessage {
            content_sha256: sha256.map(str::to_owned),
            ..file_receipt(feed, file, outcome, Some(reason.to_owned()), now)
        };
        let detail = format!("file {file} from {feed} not stored: {}", without_quoted_values(reason));
        let event = self.event(AuditAction::FeedMessageNotStored, None, detail, None, now);
        Ok(self.store.record_feed_message(&message, &event)?)
    }
}

/// A message's outcome as the listener answers it.
fn received_of(m: &GroupMessage<'_>, outcome: GroupOutcome) -> Received {
    match (outcome, m) {
        (GroupOutcome::Stored(summary), GroupMessage::Store { receipt, .. }) => match &receipt.reason {
            Some(warning) => Received::Warned(summary, warning.clone()),
            None => Received::Stored(summary),
        },
        (GroupOutcome::Stored(summary), _) => Received::Stored(summary),
        (GroupOutcome::Again(o, why), _) => Received::Again(o, why),
        (GroupOutcome::Refused(why), _) => Received::Rejected(why),
        (GroupOutcome::Recorded, GroupMessage::NotStored { receipt }) => {
            let why = receipt.reason.clone().unwrap_or_default();
            match receipt.outcome {
                FeedOutcome::Skipped => Received::Skipped(why),
                _ => Received::Rejected(why),
            }
        }
        (GroupOutcome::Recorded, GroupMessage::Store { .. }) => Received::Rejected("not stored".into()),
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
        content_sha256: None,
        reused_control_id: None,
    }
}

/// A reason as the audit log keeps it: every quoted value (what a field held,
/// which may be a name or a diagnosis typed in the wrong field) left out, since
/// the log is kept for ever and others read it; the receipt keeps the reason whole
/// for the Sources screen, beside the rejected message's own text.
pub(super) fn without_quoted_values(reason: &str) -> String {
    let mut out = String::with_capacity(reason.len());
    let mut quoted = false;
    for c in reason.chars() {
        match (c, quoted) {
            ('"', false) => {
                out.push_str("\"…");
                quoted = true;
            }
            ('"', true) => {
                out.push('"');
                quoted = false;
            }
            (_, true) => {}
            // PostgreSQL's text holds no NUL: the event must still be written.
            ('\0', false) => out.push('\u{fffd}'),
            (c, false) => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::without_quoted_values;

    #[test]
    fn the_audit_log_keeps_no_quoted_value_of_a_rejection() {
        for (reason, kept) in [
            (
                r#"ADMIDATE: "EDITH CLARKE 9990000034 HIV+" is not a date"#,
                r#"ADMIDATE: "…" is not a date"#,
            ),
            (
                r#"PID-3: NHS number "1234567890" is not valid"#,
                r#"PID-3: NHS number "…" is not valid"#,
            ),
            (
                "MSH-10 (message control id) is empty",
                "MSH-10 (message control id) is empty",
            ),
            (r#"unterminated "quote of a name"#, r#"unterminated "…"#),
        ] {
            assert_eq!(without_quoted_values(reason), kept);
        }
    }
}
