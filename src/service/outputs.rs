//! What leaves the process: a record exported (joined-up or FHIR bundle), a printable
//! summary, a CHC assessment's printable page, the board and the audit log as CSV.
//! Each is made from what the disclosure policy allows, and audited before its text
//! is returned: if the audit event cannot be written, the caller gets an error and
//! nothing to write.

use chrono::{NaiveDate, NaiveDateTime};

use super::{Result, Service, ServiceError};
use crate::domain::PersonRecord;
use crate::domain::board::BoardRow;
use crate::domain::disclosure::{disclose_findings, without_restricted};
use crate::domain::findings::all_findings;
use crate::domain::governance::{AuditAction, TRAINING_WATERMARK};
use crate::import::export::{ExportFormat, export_record};

/// What is to be written out.
#[derive(Debug, Clone, PartialEq)]
pub enum OutputKind {
    /// The record as a bundle `import` reads back, or as FHIR R4.
    Record { person_id: i64, format: ExportFormat },
    /// The record's printable summary (HTML that prints on A4).
    PrintRecord { person_id: i64 },
    /// One CHC assessment's printable page.
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
struct Release {
    /// The whole record (findings are computed on it, then disclosed).
    full: PersonRecord,
    /// What leaves: the whole record when revealed, else without restricted items.
    record: PersonRecord,
    revealed: bool,
    left_out: usize,
    /// What the audit event says about the restricted items.
    note: String,
}

/// The text to write, already audited, with what was left out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exported {
    pub text: String,
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
            OutputKind::PrintRecord { person_id } => self.print_record(*person_id, today, now),
            OutputKind::PrintChc { person_id, episode_id } => self.print_chc(*person_id, *episode_id, today, now),
            OutputKind::BoardCsv { as_of, rows } => self.board_csv(*as_of, rows, now),
            OutputKind::AuditCsv { range, filter } => self.audit_log_csv(*range, filter, today, now),
        }
    }

    /// The record as it may leave: whole when revealed, else without restricted
    /// items; read once, with what an audit event says about its restricted items.
    fn record_to_release(&self, person_id: i64) -> Result<Release> {
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
            text: text + "\n",
            file_name: file_name(&record, stem, "json"),
            restricted_left_out: left_out,
            not_carried,
        })
    }

    fn print_record(&mut self, person_id: i64, today: NaiveDate, now: NaiveDateTime) -> Result<Exported> {
        let Release {
            full,
            record,
            revealed,
            left_out,
            note,
        } = self.record_to_release(person_id)?;
        let findings = disclose_findings(&full, all_findings(&full, today), revealed);
        let html = crate::report::record_html::record_html(&record, &findings, revealed, today, self.print_watermark());
        let detail = format!("saved a printable summary of the record{note}");
        self.audit(AuditAction::Print, Some(person_id), detail, None, now)?;
        Ok(Exported {
            text: html,
            file_name: file_name(&record, "record-summary", "html"),
            restricted_left_out: left_out,
            not_carried: 0,
        })
    }

    fn print_chc(&mut self, person_id: i64, episode_id: i64, today: NaiveDate, now: NaiveDateTime) -> Result<Exported> {
        let record = self.record_to_release(person_id)?.record;
        let Some(a) = record.chc.iter().find(|a| a.episode_id == episode_id) else {
            return Err(ServiceError::Refused(
                "that CHC assessment is not in the record as shown (restricted items need a reason first)".into(),
            ));
        };
        let html = crate::report::chc_html::chc_assessment_html(&record.person, a, today, self.print_watermark());
        let name = format!("chc-{}-{}.html", crate::store::enum_code(&a.kind), a.completed_on);
        self.audit(
            AuditAction::Print,
            Some(person_id),
            format!("saved a printable CHC summary #{episode_id}"),
            None,
            now,
        )?;
        Ok(Exported {
            text: html,
            file_name: name,
            restricted_left_out: 0,
            not_carried: 0,
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
            text: csv,
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
    fn print_watermark(&self) -> Option<&'static str> {
        self.training.then_some("TRAINING")
    }
}

/// A file name for a record's output: its NHS number, else its id.
fn file_name(record: &PersonRecord, what: &str, ext: &str) -> String {
    match record.person.nhs_number {
        Some(n) => format!("{what}-{}.{ext}", n.digits()),
        None => format!("{what}-person-{}.{ext}", record.person.id),
    }
}
