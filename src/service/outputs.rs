//! What leaves the process: a record exported (joined-up or FHIR bundle), the
//! record's or a CHC assessment's summary as PDF (`print`), the board and the audit
//! log as CSV. Each is made from what the disclosure policy allows, and audited
//! before its bytes are returned: if the audit event cannot be written, the caller gets an error and
//! nothing to write.

use chrono::{NaiveDate, NaiveDateTime};

use super::{Result, Service, ServiceError};
use crate::domain::PersonRecord;
use crate::domain::board::BoardRow;
use crate::domain::disclosure::without_restricted;
use crate::domain::governance::{AuditAction, TRAINING_WATERMARK};
use crate::import::export::{ExportFormat, export_record};

/// What is to be written out.
#[derive(Debug, Clone, PartialEq)]
pub enum OutputKind {
    /// The record as a bundle `import` reads back, or as FHIR R4.
    Record { person_id: i64, format: ExportFormat },
    /// The record's summary as an A4 PDF.
    PrintRecord { person_id: i64 },
    /// One CHC assessment's summary as an A4 PDF.
    PrintChc { person_id: i64, episode_id: i64 },
    /// The board's rows (as shown, after filters) as CSV.
    BoardCsv { as_of: NaiveDate, rows: Vec<BoardRow> },
    /// The audit log's events of a range that a filter keeps, as CSV (the
    /// information governance lead's); read again by the service, not taken from
    /// the screen.
    AuditCsv {
        range: crate::domain::audit_log::AuditRange,
        filter: super::AuditFilter,
    },
}

/// A record as it may leave the process, read once.
pub(super) struct Release {
    /// The whole record (findings are computed on it, then disclosed).
    pub(super) full: PersonRecord,
    /// What leaves: the whole record when revealed, else without restricted items.
    pub(super) record: PersonRecord,
    pub(super) revealed: bool,
    pub(super) left_out: usize,
    /// What the audit event says about the restricted items.
    pub(super) note: String,
}

/// The file's bytes (text, or a PDF), already audited, with what was left out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exported {
    pub bytes: Vec<u8>,
    /// A file name to offer: `record-9990000026.json`.
    pub file_name: String,
    /// Restricted items left out (no reason given).
    pub restricted_left_out: usize,
    /// Items the format cannot carry (FHIR: reviews, safeguarding, CHC).
    pub not_carried: usize,
}

impl Service {
    /// Make `what`, audit it, and return its text.
    pub fn output(&mut self, what: &OutputKind, today: NaiveDate, now: NaiveDateTime) -> Result<Exported> {
        match what {
            OutputKind::Record { person_id, format } => self.export_record(*person_id, *format, today, now),
            OutputKind::PrintRecord { .. } | OutputKind::PrintChc { .. } => self.print(what, today, now),
            OutputKind::BoardCsv { as_of, rows } => self.board_csv(*as_of, rows, now),
            OutputKind::AuditCsv { range, filter } => self.audit_log_csv(*range, filter, today, now),
        }
    }

    /// The record as it may leave: whole when revealed, else without restricted
    /// items; read once, with what an audit event says about its restricted items.
    pub(super) fn record_to_release(&self, person_id: i64) -> Result<Release> {
        let full = self.store.person_record(person_id)?;
        let revealed = self.revealed.contains(&person_id);
        let (record, left_out, note) = if revealed {
            let note = match full.restricted_count() {
                0 => String::new(),
                n => format!(" including {n} restricted item(s), shown with a reason"),
            };
            (full.clone(), 0, note)
        } else {
            let (kept, left_out) = without_restricted(&full);
            let note = match left_out {
                0 => String::new(),
                n => format!(" with {n} restricted item(s) left out"),
            };
            (kept, left_out, note)
        };
        Ok(Release {
            full,
            record,
            revealed,
            left_out,
            note,
        })
    }

    fn export_record(
        &mut self,
        person_id: i64,
        format: ExportFormat,
        today: NaiveDate,
        now: NaiveDateTime,
    ) -> Result<Exported> {
        let Release {
            record, left_out, note, ..
        } = self.record_to_release(person_id)?;
        let (text, not_carried) =
            export_record(&record, format, today, self.training).map_err(|e| ServiceError::Export(e.into()))?;
        let what = match format {
            ExportFormat::Native => "joined-up bundle",
            ExportFormat::Fhir => "FHIR bundle",
        };
        let detail = format!("exported the record as a {what}{note}");
        self.audit(AuditAction::Export, Some(person_id), detail, None, now)?;
        let stem = if format == ExportFormat::Fhir {
            "record-fhir"
        } else {
            "record"
        };
        Ok(Exported {
            bytes: (text + "\n").into_bytes(),
            file_name: file_name(&record, stem, "json"),
            restricted_left_out: left_out,
            not_carried,
        })
    }

    fn board_csv(&mut self, as_of: NaiveDate, rows: &[BoardRow], now: NaiveDateTime) -> Result<Exported> {
        // Rows are masked as they are made (`build_rows`); masking again costs nothing
        // and keeps a row from any other path from leaving unmasked.
        let rows: Vec<BoardRow> = rows
            .iter()
            .cloned()
            .map(crate::domain::disclosure::disclose_board_row)
            .collect();
        let csv = self.training_marked(crate::domain::board_export::board_csv(&rows));
        self.audit(
            AuditAction::Export,
            None,
            format!("exported the discharge board ({} rows) as CSV", rows.len()),
            None,
            now,
        )?;
        Ok(Exported {
            bytes: csv.into_bytes(),
            file_name: format!("discharge-board-{as_of}.csv"),
            restricted_left_out: 0,
            not_carried: 0,
        })
    }

    /// Text and CSV made in training mode start with the watermark line.
    pub(super) fn training_marked(&self, text: String) -> String {
        if self.training {
            format!("{TRAINING_WATERMARK}\n{text}")
        } else {
            text
        }
    }

    /// Printed pages in training mode carry this watermark.
    pub(super) fn print_watermark(&self) -> Option<&'static str> {
        self.training.then_some("TRAINING")
    }
}

impl Exported {
    /// The bytes as text (CSV and JSON outputs; a PDF is not text).
    pub fn text(&self) -> std::borrow::Cow<'_, str> {
        String::from_utf8_lossy(&self.bytes)
    }
}

/// A file name for a record's output: its NHS number, else its id.
pub(super) fn file_name(record: &PersonRecord, what: &str, ext: &str) -> String {
    match record.person.nhs_number {
        Some(n) => format!("{what}-{}.{ext}", n.digits()),
        None => format!("{what}-person-{}.{ext}", record.person.id),
    }
}
