//! The importers: one small trait each format implements (its name, a sniff of the
//! content, a parse), and the one place a file's format is found, by asking each
//! importer in turn (after atuin's shell-history importers).

use std::sync::OnceLock;

use super::{ImportError, ImportOptions, Parsed, Rejection, cld, fhir, hl7v2, hospital_csv, native};
use crate::domain::batch::ImportBatch;

/// A file as every importer reads it: decoded once (UTF-8 with or without a BOM, else
/// Windows-1252; [`super::decode_text`]), with its name and the options.
#[derive(Debug)]
pub struct Source<'a> {
    pub file: &'a str,
    pub text: &'a str,
    pub options: ImportOptions,
    bytes: &'a [u8],
    sha256: OnceLock<String>,
}

impl<'a> Source<'a> {
    /// `text` decoded from a file's `bytes`.
    pub fn new(file: &'a str, bytes: &'a [u8], text: &'a str, options: ImportOptions) -> Self {
        Self {
            file,
            text,
            options,
            bytes,
            sha256: OnceLock::new(),
        }
    }

    /// A text whose SHA-256 is known already (a feed's message, by its content).
    pub fn with_sha256(file: &'a str, sha256: &str, text: &'a str, options: ImportOptions) -> Self {
        let source = Self::new(file, text.as_bytes(), text, options);
        source.sha256.get_or_init(|| sha256.to_owned());
        source
    }

    /// The file's SHA-256 (hex), taken when first asked for: a format read in parts
    /// asks after handing them over, while the store is still writing them.
    pub fn sha256(&self) -> &str {
        self.sha256.get_or_init(|| super::sha256_hex(self.bytes))
    }
}

/// Where [`Importer::parse_in_parts`] hands each part it has read; false stops reading.
pub type Sink<'s> = &'s mut dyn FnMut(ImportBatch) -> bool;

/// One format joinedup reads.
pub trait Importer: Sync {
    /// The format's name, as its batches and import runs record it (`cld_csv`).
    fn name(&self) -> &'static str;

    /// Is `text` this format? The content decides: `file_name` is given for a format
    /// whose content cannot say, and none of today's formats looks at it.
    fn sniff(&self, text: &str, file_name: &str) -> bool;

    /// The valid rows as a batch, and the rows rejected.
    fn parse(&self, source: &Source) -> Result<Parsed, ImportError>;

    /// Parse in parts of about `chunk_rows` rows, each handed to `sink` as it is read;
    /// returns the file's batch without people or items (format, counts, notes) and
    /// the rejections. A format read whole hands over one part.
    fn parse_in_parts(
        &self,
        source: &Source,
        _chunk_rows: usize,
        sink: Sink,
    ) -> Result<(ImportBatch, Vec<Rejection>), ImportError> {
        let Parsed { mut batch, rejections } = self.parse(source)?;
        sink(take_items(&mut batch));
        Ok((batch, rejections))
    }
}

/// The batch's people and items, moved into a part of their own.
fn take_items(batch: &mut ImportBatch) -> ImportBatch {
    ImportBatch {
        format: batch.format.clone(),
        file_name: batch.file_name.clone(),
        file_sha256: batch.file_sha256.clone(),
        people: std::mem::take(&mut batch.people),
        episodes: std::mem::take(&mut batch.episodes),
        care_plans: std::mem::take(&mut batch.care_plans),
        ..Default::default()
    }
}

/// Every format, in the order they are asked: the joined-up bundle before FHIR (both
/// JSON), the CSV formats last (a JSON file is never taken for CSV).
pub static IMPORTERS: [&dyn Importer; 5] = [
    &native::Native,
    &fhir::Fhir,
    &hl7v2::Hl7v2,
    &cld::Cld,
    &hospital_csv::HospitalCsv,
];

/// The importer for this content, if any format recognises it.
pub fn detect(text: &str, file_name: &str) -> Option<&'static dyn Importer> {
    IMPORTERS.iter().copied().find(|i| i.sniff(text, file_name))
}

/// What [`detect`] found nothing for, in words.
pub fn unknown_format(file: &str) -> ImportError {
    ImportError::UnknownFormat {
        file: file.to_owned(),
        hint: "expected a joinedup bundle (JSON with \"format\": \"joinedup-bundle\") FHIR R4 JSON, a CLD social care events CSV, a hospital spells CSV, or HL7 v2 ADT".into(),
    }
}

/// The text after a byte order mark and leading white space.
pub(super) fn body(text: &str) -> &str {
    text.trim_start_matches('\u{feff}').trim_start()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_format_is_found_by_its_content_alone() {
        let cases = [
            ("{\"format\": \"joinedup-bundle\", \"people\": []}", Some("native")),
            ("\u{feff}{\"resourceType\": \"Patient\"}", Some("fhir")),
            ("MSH|^~\\&|PAS|NGH\rPID|1", Some("hl7v2")),
            ("\u{b}MSH|^~\\&|PAS|NGH", Some("hl7v2")),
            (
                "LA Code,LA Person Unique Identifier,Event Type,Event Start Date\n",
                Some("cld_csv"),
            ),
            ("NEWNHSNO,ADMIDATE\n", Some("hospital_csv")),
            // JSON that is neither bundle nor FHIR is not read as CSV, whatever it names.
            ("{\"note\": \"LA Person Unique Identifier,Event Type\"}", None),
            ("hello", None),
        ];
        for (text, name) in cases {
            // The name of the file says nothing.
            assert_eq!(detect(text, "people.csv").map(|i| i.name()), name, "{text}");
        }
        let names: Vec<&str> = IMPORTERS.iter().map(|i| i.name()).collect();
        assert_eq!(names, ["native", "fhir", "hl7v2", "cld_csv", "hospital_csv"]);
    }
}
