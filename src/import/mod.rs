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
pub mod labels;
pub mod limits;
pub mod native;
pub mod pipeline;

use std::path::Path;

use sha2::{Digest, Sha256};

use crate::domain::batch::ImportBatch;

/// One bad row or field, with where it is and a plain reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    pub file: String,
    /// Line number, or a path inside a structured file (`people[2].episodes[4]`).
    pub location: String,
    pub field: String,
    pub reason: String,
}

impl std::fmt::Display for Rejection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}: {}: {}", self.file, self.location, self.field, self.reason)
    }
}

/// Rejected rows as CSV, for the team that sent the file: file, location, field, reason.
pub fn rejections_csv(rejections: &[Rejection]) -> String {
    let field = |s: &str| {
        let s = if s.starts_with(['=', '+', '-', '@']) {
            format!("'{s}")
        } else {
            s.to_owned()
        };
        if s.contains([',', '"', '\n', '\r']) {
            format!("\"{}\"", s.replace('"', "\"\""))
        } else {
            s
        }
    };
    let mut out = String::from("file,location,field,reason\r\n");
    for r in rejections {
        out.push_str(&format!(
            "{},{},{},{}\r\n",
            field(&r.file),
            field(&r.location),
            field(&r.field),
            field(&r.reason)
        ));
    }
    out
}

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

/// The formats we read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Native,
    Fhir,
    CldCsv,
    HospitalCsv,
    Hl7v2,
}

/// Detect the format from the content, not the file name.
pub fn detect_format(text: &str) -> Option<Format> {
    let body = text.trim_start_matches('\u{feff}').trim_start();
    if body.starts_with('{') {
        let head: String = body.chars().take(4096).collect();
        if head.contains("\"joinedup-bundle\"") {
            return Some(Format::Native);
        }
        // JSON keys may come in any order, so look through the whole text for FHIR's marker.
        return fhir::looks_like_fhir(body).then_some(Format::Fhir);
    }
    if hl7v2::looks_like_hl7v2(text) {
        return Some(Format::Hl7v2);
    }
    // A CSV header: the first line, read no further than 64 KB (a file written as one
    // long line must not be scanned whole, twice).
    let start = text.trim_start_matches('\u{feff}');
    let mut end = start.len().min(64 * 1024);
    while !start.is_char_boundary(end) {
        end -= 1;
    }
    let first_line = start[..end].lines().next().unwrap_or("");
    if cld::looks_like_cld(first_line) {
        return Some(Format::CldCsv);
    }
    if hospital_csv::looks_like_hospital_csv(first_line) {
        return Some(Format::HospitalCsv);
    }
    None
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
    parse_text(file, &sha256_hex(bytes), &decode_text(bytes), options)
}

/// One HL7 v2 message from a live feed, read as a file of that format is: the
/// same limits on text and the same labelling of sensitive items.
pub fn parse_hl7v2_message(label: &str, sha: &str, text: &str, options: ImportOptions) -> Result<Parsed, ImportError> {
    parse_as(Some(Format::Hl7v2), label, sha, text, options)
}

fn parse_text(file: &str, sha: &str, text: &str, options: ImportOptions) -> Result<Parsed, ImportError> {
    parse_as(detect_format(text), file, sha, text, options)
}

fn parse_as(
    format: Option<Format>,
    file: &str,
    sha: &str,
    text: &str,
    options: ImportOptions,
) -> Result<Parsed, ImportError> {
    let mut parsed = match format {
        Some(Format::Native) => native::parse(file, sha, text, options),
        Some(Format::Fhir) => fhir::parse(file, sha, text, options),
        Some(Format::CldCsv) => cld::parse(file, sha, text, options),
        Some(Format::HospitalCsv) => hospital_csv::parse(file, sha, text, options),
        Some(Format::Hl7v2) => hl7v2::parse(file, sha, text, options),
        None => Err(ImportError::UnknownFormat {
            file: file.to_owned(),
            hint: "expected a joinedup bundle (JSON with \"format\": \"joinedup-bundle\") FHIR R4 JSON, a CLD social care events CSV, a hospital spells CSV, or HL7 v2 ADT".into(),
        }),
    }?;
    // One check of the limits on text for every format, before anything is stored;
    // then the sensitive categories of what its source did not label.
    let mut found = limits::Limits::default().check(&mut parsed.batch);
    labels::label_sensitive(&mut parsed.batch);
    parsed.batch.rows_rejected += found.len();
    parsed.rejections.append(&mut found);
    limits::clip_report(&mut parsed.batch.notes, &mut parsed.rejections);
    Ok(parsed)
}

/// Parse bytes in parts handed to `sink` as they are read: a CLD events file in
/// parts of `chunk_rows` rows; any other format whole, as one part. Returns the
/// file's batch without people or items (format, counts, notes) and the rejections.
/// When `sink` returns false, reading stops.
pub fn parse_bytes_in_chunks(
    file: &str,
    bytes: &[u8],
    options: ImportOptions,
    chunk_rows: usize,
    sink: &mut dyn FnMut(ImportBatch) -> bool,
) -> Result<(ImportBatch, Vec<Rejection>), ImportError> {
    let text = decode_text(bytes);
    let format = detect_format(&text);
    if format == Some(Format::CldCsv) {
        // The rows carry no SHA-256 (their import run does), so the hash is taken
        // after the parts are handed over, while the store is still writing them.
        // Each part passes the limits check before the sink (the store) sees it.
        let mut limits = limits::Limits::default();
        let mut found = Vec::new();
        let (mut batch, mut rejections) =
            cld::parse_in_chunks(file, "", &text, options, chunk_rows, &mut |mut part| {
                found.append(&mut limits.check(&mut part));
                labels::label_sensitive(&mut part);
                sink(part)
            })?;
        batch.file_sha256 = sha256_hex(bytes);
        batch.rows_rejected += found.len();
        rejections.append(&mut found);
        limits::clip_report(&mut batch.notes, &mut rejections);
        return Ok((batch, rejections));
    }
    let sha = sha256_hex(bytes);
    let Parsed { mut batch, rejections } = parse_as(format, file, &sha, &text, options)?;
    drop(text);
    let part = ImportBatch {
        format: batch.format.clone(),
        file_name: batch.file_name.clone(),
        file_sha256: batch.file_sha256.clone(),
        people: std::mem::take(&mut batch.people),
        episodes: std::mem::take(&mut batch.episodes),
        care_plans: std::mem::take(&mut batch.care_plans),
        ..Default::default()
    };
    sink(part);
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

/// Rejections as `location | field | reason` lines, for tests to compare whole.
#[cfg(test)]
pub(crate) fn rejection_lines(rejections: &[Rejection]) -> Vec<String> {
    rejections
        .iter()
        .map(|r| format!("{} | {} | {}", r.location, r.field, r.reason))
        .collect()
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
        assert_eq!(detect_format(&fhir), Some(Format::Fhir));
        assert_eq!(
            detect_format("\u{feff}{\"format\": \"joinedup-bundle\"}"),
            Some(Format::Native)
        );
        assert_eq!(detect_format("{\"hello\": 1}"), None);
        let header = "LA Code,LA Person Unique Identifier,Event Type,Event Start Date\nW01,1,Review,2026-01-01\n";
        assert_eq!(detect_format(header), Some(Format::CldCsv));
    }

    #[test]
    fn unknown_format_is_a_clear_error() {
        let err = parse_bytes("notes.txt", b"hello", ImportOptions::default()).unwrap_err();
        assert!(err.to_string().starts_with("notes.txt: the format is not recognised"));
    }
}
