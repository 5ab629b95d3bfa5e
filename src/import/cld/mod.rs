//! Adult Social Care Client Level Data (CLD) events CSV: Request, Assessment,
//! Service and Review events become social care episodes (RULES.md 4.3).
//!
//! Columns are found by their CLD names (see `shared/data/external/cld-reference`);
//! extra columns are ignored and optional ones may be missing. The person is the
//! NHS number when it is valid, else the `LA Person Unique Identifier` under the
//! council's source (named from `LA Code` when the file has it).

mod row;

use std::collections::{BTreeMap, HashSet};

use row::Row;

use super::csv_columns::{Columns, CsvRows, fold, header_line};
use super::{ImportError, ImportOptions, Importer, Mark, Parsed, Rejection, Rejections, Sink, Source};
use crate::domain::batch::{EpisodeEntry, ImportBatch, PersonEntry, PersonKey};
use crate::domain::dates::{parse_date, parse_date_time};
use crate::domain::episode::attr;
use crate::domain::{
    Demographics, Episode, EpisodeKind, EpisodeStatus, LocalId, NhsNumber, Provenance, Sensitivity, Sex,
};

/// The format's name, as its batches record it.
pub const NAME: &str = "cld_csv";

/// The CLD events CSV, read in parts as the store writes them.
pub struct Cld;

impl Importer for Cld {
    fn name(&self) -> &'static str {
        NAME
    }

    fn sniff(&self, text: &str, _file_name: &str) -> bool {
        header_line(text).is_some_and(looks_like_cld)
    }

    fn parse(&self, s: &Source) -> Result<Parsed, ImportError> {
        parse(s.file, s.sha256(), s.text, s.options)
    }

    fn parse_in_parts(
        &self,
        s: &Source,
        chunk_rows: usize,
        sink: Sink,
    ) -> Result<(ImportBatch, Vec<Rejection>), ImportError> {
        // The rows carry no SHA-256 (their import run does), so the hash is taken
        // after the parts are handed over, while the store is still writing them.
        let (mut batch, rejections) = parse_in_chunks(s.file, "", s.text, s.options, chunk_rows, sink)?;
        batch.file_sha256 = s.sha256().to_owned();
        Ok((batch, rejections))
    }
}

const PERSON_ID: &[&str] = &["LA Person Unique Identifier"];
const EVENT_TYPE: &[&str] = &["Event Type"];
const EVENT_START: &[&str] = &["Event Start Date"];
const REQUIRED: [(&str, &[&str]); 3] = [
    ("LA Person Unique Identifier", PERSON_ID),
    ("Event Type", EVENT_TYPE),
    ("Event Start Date", EVENT_START),
];

/// Coded CLD fields kept as episode attributes: (attribute key, CLD column).
use crate::domain::returns::cld::ATTRIBUTE_COLUMNS as KEPT;

/// Does this header line look like a CLD events file?
pub fn looks_like_cld(first_line: &str) -> bool {
    let f = fold(first_line);
    f.contains("lapersonuniqueidentifier") && f.contains("eventtype")
}

pub fn parse(file: &str, sha256: &str, text: &str, options: ImportOptions) -> Result<Parsed, ImportError> {
    let mut people = Vec::new();
    let mut episodes = Vec::new();
    let (mut batch, rejections) = parse_in_chunks(file, sha256, text, options, usize::MAX, &mut |mut part| {
        people.append(&mut part.people);
        episodes.append(&mut part.episodes);
        true
    })?;
    batch.people = people;
    batch.episodes = episodes;
    Ok(Parsed { batch, rejections })
}

/// Parse in parts of `chunk_rows` rows, handing each part (its new people and its
/// items) to `sink` as soon as it is read, so a store can write it while the rest is
/// parsed. Each person comes once, in the part of their first row. Returns the
/// file's batch without people or items (its counts and notes) and the rejections.
/// When `sink` returns false, reading stops.
pub fn parse_in_chunks(
    file: &str,
    sha256: &str,
    text: &str,
    options: ImportOptions,
    chunk_rows: usize,
    sink: &mut dyn FnMut(ImportBatch) -> bool,
) -> Result<(ImportBatch, Vec<Rejection>), ImportError> {
    let (mut rows, cols) = CsvRows::open(file, text)?;
    let missing: Vec<&str> = REQUIRED
        .iter()
        .filter(|(_, names)| cols.find(names).is_none())
        .map(|(n, _)| *n)
        .collect();
    if !missing.is_empty() {
        return Err(ImportError::Invalid {
            file: file.into(),
            reason: format!("a CLD events file needs the column(s): {}", missing.join(", ")),
        });
    }
    let mut batch = ImportBatch {
        format: NAME.into(),
        file_name: file.into(),
        file_sha256: sha256.into(),
        ..Default::default()
    };
    let new_part = || ImportBatch {
        format: NAME.into(),
        file_name: file.into(),
        file_sha256: sha256.into(),
        ..Default::default()
    };
    let mut part = new_part();
    let mut part_rows = 0usize;
    let mut rejections = Rejections::new(file);
    let mut seen_people: HashSet<PersonKey> = HashSet::new();
    let mut invalid_nhs = 0usize;
    while let Some((line, record)) = rows.next_row(&mut rejections) {
        batch.rows_read += 1;
        let mut row = Row {
            location: format!("line {line}"),
            cols: &cols,
            record,
            mark: rejections.mark(),
            rejections: &mut rejections,
        };
        if let Some((person, episode)) = row.read(options, &mut invalid_nhs) {
            if seen_people.insert(person.key.clone()) {
                part.people.push(person);
            }
            part.episodes.push(episode);
        }
        part_rows += 1;
        if part_rows >= chunk_rows {
            part_rows = 0;
            if !sink(std::mem::replace(&mut part, new_part())) {
                break;
            }
        }
    }
    if !part.people.is_empty() || !part.episodes.is_empty() {
        sink(part);
    }
    if invalid_nhs > 0 {
        batch.notes.push(format!(
            "{invalid_nhs} rows had an NHS Number that fails the check digit; those people are kept under their LA Person Unique Identifier, waiting to be matched"
        ));
    }
    let rejections = rejections.finish(&mut batch);
    Ok((batch, rejections))
}

#[cfg(test)]
mod tests;
