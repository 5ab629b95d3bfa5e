//! CSV files for the importers: columns found by any of their accepted names,
//! ignoring case, spaces and punctuation (`Event Start Date`, `event_start_date`,
//! `EVENTSTARTDATE`), and rows read one at a time with their line numbers, a row
//! that cannot be read as CSV being a rejection rather than the end of the file.

use std::collections::HashMap;

use super::{ImportError, Rejections};

/// A CSV file's rows, each with its 1-based line number.
pub struct CsvRows<'a> {
    reader: csv::Reader<&'a [u8]>,
    lines: LineCounter<'a>,
    record: csv::StringRecord,
}

impl<'a> CsvRows<'a> {
    /// Read the header line of `text` (from a file called `file`).
    pub fn open(file: &'a str, text: &'a str) -> Result<(Self, Columns), ImportError> {
        let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(text.as_bytes());
        let headers = reader.headers().map_err(|e| ImportError::Invalid {
            file: file.into(),
            reason: format!("cannot read the header line: {e}"),
        })?;
        let columns = Columns::new(headers);
        Ok((
            Self {
                reader,
                lines: LineCounter::new(text),
                record: csv::StringRecord::new(),
            },
            columns,
        ))
    }

    /// The next row and its line number; a row that cannot be read as CSV goes to
    /// `rejections` and reading goes on. `None` at the end of the file.
    pub fn next_row(&mut self, rejections: &mut Rejections) -> Option<(u64, &csv::StringRecord)> {
        loop {
            match self.reader.read_record(&mut self.record) {
                Ok(false) => return None,
                Ok(true) => break,
                Err(e) => {
                    let line = e.position().map(|p| self.lines.line_at(p.byte())).unwrap_or(0);
                    let reason = format!("the row cannot be read as CSV: {e}");
                    rejections.reject(&format!("line {line}"), "(row)", reason);
                }
            }
        }
        // Line numbers counted from byte offsets (the csv crate's own count is off with CRLF).
        let line = self
            .record
            .position()
            .map(|p| self.lines.line_at(p.byte()))
            .unwrap_or(0);
        Some((line, &self.record))
    }
}

/// Turns byte offsets into 1-based line numbers, reading forward only.
struct LineCounter<'a> {
    text: &'a [u8],
    byte: usize,
    line: u64,
}

impl<'a> LineCounter<'a> {
    fn new(text: &'a str) -> Self {
        Self {
            text: text.as_bytes(),
            byte: 0,
            line: 1,
        }
    }

    fn line_at(&mut self, byte: u64) -> u64 {
        let mut target = (byte as usize).min(self.text.len());
        // With CRLF the csv crate can place a record at the line feed before it.
        while target < self.text.len() && matches!(self.text[target], b'\r' | b'\n') {
            target += 1;
        }
        if target >= self.byte {
            self.line += self.text[self.byte..target].iter().filter(|b| **b == b'\n').count() as u64;
            self.byte = target;
        }
        self.line
    }
}

/// The header line a CSV format is sniffed by: the first line, read no further than
/// 64 KB (a file written as one long line must not be scanned whole, twice). None
/// for JSON, which is never taken for CSV whatever it names.
pub fn header_line(text: &str) -> Option<&str> {
    let start = text.trim_start_matches('\u{feff}');
    if start.trim_start().starts_with('{') {
        return None;
    }
    let mut end = start.len().min(64 * 1024);
    while !start.is_char_boundary(end) {
        end -= 1;
    }
    Some(start[..end].lines().next().unwrap_or(""))
}

/// Header names folded for comparison.
pub fn fold(name: &str) -> String {
    name.trim_start_matches('\u{feff}')
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Column positions by folded name, with each lookup remembered so that a million
/// rows do not fold the same names a million times.
pub struct Columns {
    index: HashMap<String, usize>,
    /// The first name of a lookup (as written by the caller) to its answer: each list
    /// of alternative names must start with a name no other list starts with.
    found: std::cell::RefCell<HashMap<String, Option<usize>>>,
}

impl Columns {
    pub fn new(headers: &csv::StringRecord) -> Self {
        Self {
            index: headers.iter().enumerate().map(|(i, h)| (fold(h), i)).collect(),
            found: Default::default(),
        }
    }

    /// The position of the first of `names` present.
    pub fn find(&self, names: &[&str]) -> Option<usize> {
        let key = names.first().copied().unwrap_or("");
        if let Some(hit) = self.found.borrow().get(key) {
            return *hit;
        }
        let hit = names.iter().find_map(|n| self.index.get(&fold(n)).copied());
        self.found.borrow_mut().insert(key.to_owned(), hit);
        hit
    }

    /// A field's trimmed value, or None when the column is absent or the cell empty.
    pub fn get<'r>(&self, record: &'r csv::StringRecord, names: &[&str]) -> Option<&'r str> {
        let i = self.find(names)?;
        record.get(i).map(str::trim).filter(|v| !v.is_empty())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_match_whatever_their_case_and_spacing() {
        let h = csv::StringRecord::from(vec![
            "\u{feff}Event Start Date",
            "LA Person Unique Identifier",
            "ADMIDATE",
        ]);
        let c = Columns::new(&h);
        assert_eq!(c.find(&["event_start_date"]), Some(0));
        assert_eq!(c.find(&["la person unique identifier"]), Some(1));
        assert_eq!(c.find(&["admission_date", "AdmiDate"]), Some(2));
        assert_eq!(c.find(&["Event End Date"]), None);
    }
}
