//! Prints: the record's summary, or one CHC assessment's, as an A4 PDF. The
//! document is made from the record as the disclosure policy lets it leave
//! (restricted items only with a reason given), laid out once, checked (it parses,
//! and every page carries the person's name and NHS number), then audited before
//! its bytes are returned. The window's preview shows the same pages, only for a
//! record this user has open (opening it was audited), and is not itself audited:
//! nothing leaves the process until the PDF is saved.

use chrono::{NaiveDate, NaiveDateTime};

use super::outputs::{Release, file_name};
use super::{Exported, OutputKind, Result, Service, ServiceError};
use crate::domain::disclosure::disclose_findings;
use crate::domain::findings::all_findings;
use crate::domain::governance::AuditAction;
use crate::report::{Document, Imprint, Laid, lay_out};

/// A print as the preview shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct PrintPreview {
    pub laid: Laid,
    /// The file name to offer: `record-summary-9990000026.pdf`.
    pub file_name: String,
    pub restricted_left_out: usize,
}

/// A document to print, with what its audit event says.
struct Print {
    doc: Document,
    file_name: String,
    left_out: usize,
    detail: String,
}

impl Service {
    /// The pages `what` (a print) would have, for a record this user has open.
    pub fn print_preview(&self, what: &OutputKind, today: NaiveDate, now: NaiveDateTime) -> Result<PrintPreview> {
        let person_id = match what {
            OutputKind::PrintRecord { person_id } | OutputKind::PrintChc { person_id, .. } => *person_id,
            _ => return Err(ServiceError::Refused("only a print has a preview".into())),
        };
        if !self.opened.contains(&person_id) {
            return Err(ServiceError::Refused(
                "that record is not open: a print is previewed only from the open record".into(),
            ));
        }
        let print = self.print_document(what, today, now)?;
        Ok(PrintPreview {
            laid: lay_out(&print.doc),
            file_name: print.file_name,
            restricted_left_out: print.left_out,
        })
    }

    /// `what` (a print) as PDF bytes, audited before they are returned.
    pub(super) fn print(&mut self, what: &OutputKind, today: NaiveDate, now: NaiveDateTime) -> Result<Exported> {
        let print = self.print_document(what, today, now)?;
        let bytes = crate::report::to_pdf(&print.doc)
            .map_err(|e| ServiceError::Export(anyhow::anyhow!("the print was not made: {e}")))?;
        let person_id = match what {
            OutputKind::PrintRecord { person_id } | OutputKind::PrintChc { person_id, .. } => Some(*person_id),
            _ => None,
        };
        let pages = crate::report::pdf_check::check_pdf(&bytes).map_or(0, |c| c.pages.len());
        let detail = format!("{} ({pages} page(s))", print.detail);
        self.audit(AuditAction::Print, person_id, detail, None, now)?;
        Ok(Exported {
            bytes,
            file_name: print.file_name,
            restricted_left_out: print.left_out,
            not_carried: 0,
        })
    }

    fn imprint(&self, now: NaiveDateTime) -> Imprint {
        Imprint {
            printed_by: self.actor.user.clone(),
            printed_at: now,
            watermark: self.print_watermark().map(str::to_owned),
        }
    }

    /// The one way a print's document is made, for the preview and the PDF alike.
    fn print_document(&self, what: &OutputKind, today: NaiveDate, now: NaiveDateTime) -> Result<Print> {
        match what {
            OutputKind::PrintRecord { person_id } => {
                let Release {
                    full,
                    record,
                    revealed,
                    left_out,
                    note,
                } = self.record_to_release(*person_id)?;
                let findings = disclose_findings(&full, all_findings(&full, today), revealed);
                let doc = crate::report::record_summary::record_summary(
                    &record,
                    &findings,
                    revealed,
                    left_out,
                    today,
                    self.imprint(now),
                );
                Ok(Print {
                    doc,
                    file_name: file_name(&record, "record-summary", "pdf"),
                    left_out,
                    detail: format!("printed the record summary as PDF{note}"),
                })
            }
            OutputKind::PrintChc { person_id, episode_id } => {
                let record = self.record_to_release(*person_id)?.record;
                let Some(a) = record.chc.iter().find(|a| a.episode_id == *episode_id) else {
                    return Err(ServiceError::Refused(
                        "that CHC assessment is not in the record as shown (restricted items need a reason first)"
                            .into(),
                    ));
                };
                let doc = crate::report::chc_summary::chc_summary(&record.person, a, self.imprint(now));
                Ok(Print {
                    doc,
                    file_name: format!("chc-{}-{}.pdf", crate::store::enum_code(&a.kind), a.completed_on),
                    left_out: 0,
                    detail: format!("printed the CHC summary #{episode_id} as PDF"),
                })
            }
            _ => Err(ServiceError::Refused("that output is not a print".into())),
        }
    }
}
