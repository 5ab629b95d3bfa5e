//! One person's record as a file another system (or this one) can read: a joined-up
//! bundle, which carries everything, or a FHIR R4 Bundle, which carries what FHIR
//! carries here. Training exports are marked (the bundle's `watermark`, FHIR's
//! `meta.tag`). The caller decides what the record holds (restricted items left
//! out unless a reason was given).

use chrono::NaiveDate;

use crate::domain::PersonRecord;
use crate::domain::governance::TRAINING_WATERMARK;

/// The file formats a record is exported in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    Native,
    Fhir,
}

/// The exported document, pretty-printed, and how many items it could not carry.
pub fn export_record(
    record: &PersonRecord,
    format: ExportFormat,
    today: NaiveDate,
    training: bool,
) -> serde_json::Result<(String, usize)> {
    match format {
        ExportFormat::Native => {
            let mut bundle = super::native::write(std::slice::from_ref(record), Some(today));
            if training {
                bundle.watermark = Some(TRAINING_WATERMARK.into());
            }
            Ok((serde_json::to_string_pretty(&bundle)?, 0))
        }
        ExportFormat::Fhir => {
            let (mut bundle, written) = super::fhir::write::bundle(std::slice::from_ref(record));
            if training {
                // FHIR's own place for a label on a whole bundle.
                bundle["meta"] = serde_json::json!({"tag": [{"code": "TRAINING", "display": TRAINING_WATERMARK}]});
            }
            Ok((serde_json::to_string_pretty(&bundle)?, written.left_out))
        }
    }
}
