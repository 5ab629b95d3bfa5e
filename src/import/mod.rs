//! Importers: bytes in, a validated [`ImportBatch`] plus rejections out.
//!
//! Every importer validates the whole file before anything is written; the store
//! then applies the batch in one transaction. Formats are detected from content.

pub mod cld;
mod csv_columns;
pub mod export;
pub mod fhir;
pub mod hl7v2;
pub mod hospital_csv;
mod importer;
pub mod labels;
pub mod limits;
pub mod native;
pub mod nhs_rule;
pub mod pipeline;
mod rejections;

use std::path::Path;

use sha2::{Digest, Sha256};

use crate::domain::batch::ImportBatch;
use importer::unknown_format;
pub use importer::{IMPORTERS, Importer, Sink, Source, detect};
#[cfg(test)]
pub(crate) use rejections::rejection_lines;
pub use rejections::{Mark, Rejection, Rejections, rejections_csv};

/// A parsed file: the valid rows, and the rows that were rejected.
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed {
    pub batch: ImportBatch,
    pub rejections: Vec<Rejection>,
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{file}: could not read the file: {source}")]
    Read { file: String, source: std::io::Error },
    #[error("{file}: the format is not recognised ({hint})")]
    UnknownFormat { file: String, hint: String },
    #[error("{file}: line {line}, column {column}: {reason}")]
    Malformed {
        file: String,
        line: usize,
        column: usize,
        reason: String,
    },
    #[error("{file}: {reason}")]
    Invalid { file: String, reason: String },
}

/// Options that change how files are read.
#[derive(Debug, Clone, Copy, Default)]
pub struct ImportOptions {
    /// Days added to every date (training data is shifted so its "as of" is today).
    pub shift_days: i64,
    /// Refuse NHS numbers outside the test range (training mode).
    pub test_range_only: bool,
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    format!("{:x}", Sha256::digest(bytes))
}

/// Decode text: UTF-8 with or without a byte order mark; anything else is read as
/// Windows-1252, which is what council exports usually are.
pub fn decode_text(bytes: &[u8]) -> std::borrow::Cow<'_, str> {
    let bytes = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        // UTF-8 is read in place: no copy of a large file.
        Ok(s) => std::borrow::Cow::Borrowed(s),
        Err(_) => std::borrow::Cow::Owned(bytes.iter().map(|&b| windows_1252_char(b)).collect()),
    }
}

fn windows_1252_char(b: u8) -> char {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž', '\u{8f}', '\u{90}', '‘',
        '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9d}', 'ž', 'Ÿ',
    ];
    match b {
        0x80..=0x9F => HIGH[usize::from(b - 0x80)],
        _ => char::from(b),
    }
}

/// A file's name without its folder, for reports and provenance.
pub fn file_label(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Read and parse one file of any supported format.
pub fn parse_file(path: &Path, options: ImportOptions) -> Result<Parsed, ImportError> {
    let file = file_label(path);
    let bytes = std::fs::read(path).map_err(|e| ImportError::Read {
        file: file.clone(),
        source: e,
    })?;
    parse_bytes(&file, &bytes, options)
}

/// Parse bytes that came from a file called `file`.
pub fn parse_bytes(file: &str, bytes: &[u8], options: ImportOptions) -> Result<Parsed, ImportError> {
    let text = decode_text(bytes);
    let source = Source::new(file, bytes, &text, options);
    parse_with(detect(&text, file).ok_or_else(|| unknown_format(file))?, &source)
}

/// One HL7 v2 message from a live feed, read as a file of that format is: the
/// same limits on text and the same labelling of sensitive items.
pub fn parse_hl7v2_message(label: &str, sha: &str, text: &str, options: ImportOptions) -> Result<Parsed, ImportError> {
    parse_with(&hl7v2::Hl7v2, &Source::with_sha256(label, sha, text, options))
}

/// Parse with `importer`, then pass the one check every format's batch passes.
fn parse_with(importer: &dyn Importer, source: &Source) -> Result<Parsed, ImportError> {
    let mut parsed = importer.parse(source)?;
    let mut checks = Checks::default();
    checks.part(&mut parsed.batch);
    parsed.rejections = checks.finish(&mut parsed.batch, parsed.rejections);
    Ok(parsed)
}

/// What every format's batch passes before anything is stored, part by part: the
/// limits on text (a rejected person takes their items in later parts with them),
/// then the sensitive categories of what its source did not label.
#[derive(Default)]
struct Checks {
    limits: limits::Limits,
    found: Vec<Rejection>,
}

impl Checks {
    fn part(&mut self, part: &mut ImportBatch) {
        self.found.append(&mut self.limits.check(part));
        labels::label_sensitive(part);
    }

    /// The file's rejections and these, counted in its batch, and the report clipped.
    fn finish(mut self, batch: &mut ImportBatch, mut rejections: Vec<Rejection>) -> Vec<Rejection> {
        batch.rows_rejected += self.found.len();
        rejections.append(&mut self.found);
        limits::clip_report(&mut batch.notes, &mut rejections);
        rejections
    }
}

/// Parse bytes in parts handed to `sink` as they are read: a CLD events file in
/// parts of `chunk_rows` rows; any other format whole, as one part. Each part passes
/// the checks before `sink` (the store) sees it. Returns the file's batch without
/// people or items (format, counts, notes) and the rejections. When `sink` returns
/// false, reading stops.
pub fn parse_bytes_in_chunks(
    file: &str,
    bytes: &[u8],
    options: ImportOptions,
    chunk_rows: usize,
    sink: &mut dyn FnMut(ImportBatch) -> bool,
) -> Result<(ImportBatch, Vec<Rejection>), ImportError> {
    let text = decode_text(bytes);
    let importer = detect(&text, file).ok_or_else(|| unknown_format(file))?;
    let source = Source::new(file, bytes, &text, options);
    let mut checks = Checks::default();
    let (mut batch, rejections) = importer.parse_in_parts(&source, chunk_rows, &mut |mut part| {
        checks.part(&mut part);
        sink(part)
    })?;
    let rejections = checks.finish(&mut batch, rejections);
    Ok((batch, rejections))
}

/// Parse a whole file as [`parse_bytes`] does, telling `progress` how many items have
/// been read so far as each part is read (a CLD file every
/// [`pipeline::CHUNK_ROWS`] rows). When `progress` returns false reading stops; what
/// was read by then is returned, and the caller, who asked to stop, discards it.
pub fn parse_bytes_reporting(
    file: &str,
    bytes: &[u8],
    options: ImportOptions,
    progress: &mut dyn FnMut(usize) -> bool,
) -> Result<Parsed, ImportError> {
    let mut whole = ImportBatch::default();
    let (mut batch, rejections) =
        parse_bytes_in_chunks(file, bytes, options, pipeline::CHUNK_ROWS, &mut |mut part| {
            whole.people.append(&mut part.people);
            whole.episodes.append(&mut part.episodes);
            whole.care_plans.append(&mut part.care_plans);
            progress(whole.episodes.len() + whole.care_plans.len())
        })?;
    batch.people = whole.people;
    batch.episodes = whole.episodes;
    batch.care_plans = whole.care_plans;
    Ok(Parsed { batch, rejections })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decoding() {
        assert_eq!(decode_text(b"\xEF\xBB\xBFabc"), "abc");
        assert_eq!(decode_text(b"Caf\xe9 \x80"), "Café €");
        assert_eq!(decode_text("Café".as_bytes()), "Café");
    }

    #[test]
    fn json_is_never_taken_for_csv_and_long_lines_are_not_scanned_whole() {
        // One long line, as generated bundles are written; it names CLD columns inside.
        let mut fhir =
            String::from(r#"{"resourceType":"Bundle","entry":[{"note":"LA Person Unique Identifier,Event Type"}"#);
        fhir.push_str(&",{}".repeat(200_000));
        fhir.push_str("]}");
        assert_eq!(detect(&fhir, "f.json").map(|i| i.name()), Some("fhir"));
        assert_eq!(
            detect("\u{feff}{\"format\": \"joinedup-bundle\"}", "b.json").map(|i| i.name()),
            Some("native")
        );
        assert!(detect("{\"hello\": 1}", "h.json").is_none());
        let header = "LA Code,LA Person Unique Identifier,Event Type,Event Start Date\nW01,1,Review,2026-01-01\n";
        assert_eq!(detect(header, "c.csv").map(|i| i.name()), Some("cld_csv"));
    }

    #[test]
    fn unknown_format_is_a_clear_error() {
        let err = parse_bytes("notes.txt", b"hello", ImportOptions::default()).unwrap_err();
        assert!(err.to_string().starts_with("notes.txt: the format is not recognised"));
    }
}
