//! Rejections: the one collector every format puts its rejected rows, records and
//! messages in (where each is, and why), and the one way a file's report counts
//! them.

use super::Parsed;
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

impl Rejection {
    pub fn new(file: &str, location: &str, field: &str, reason: impl Into<String>) -> Self {
        Self {
            file: file.to_owned(),
            location: location.to_owned(),
            field: field.to_owned(),
            reason: reason.into(),
        }
    }
}

impl std::fmt::Display for Rejection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}: {}: {}", self.file, self.location, self.field, self.reason)
    }
}

/// The rejections of one file, in the order they were found.
#[derive(Debug)]
pub struct Rejections {
    file: String,
    found: Vec<Rejection>,
}

/// How many rejections there were at some moment (see [`Rejections::since`]).
#[derive(Debug, Clone, Copy)]
pub struct Mark(usize);

impl Rejections {
    pub fn new(file: &str) -> Self {
        Self {
            file: file.to_owned(),
            found: Vec::new(),
        }
    }

    /// Reject what is at `location` (`line 12`, `entry[3]`, `message 4`), for `reason`.
    pub fn reject(&mut self, location: &str, field: &str, reason: impl Into<String>) {
        let r = Rejection::new(&self.file, location, field, reason);
        self.found.push(r);
    }

    pub fn push(&mut self, rejection: Rejection) {
        self.found.push(rejection);
    }

    pub fn mark(&self) -> Mark {
        Mark(self.found.len())
    }

    /// Was anything rejected since `mark` (the row, person or message being read)?
    pub fn since(&self, mark: Mark) -> bool {
        self.found.len() > mark.0
    }

    pub fn len(&self) -> usize {
        self.found.len()
    }

    pub fn is_empty(&self) -> bool {
        self.found.is_empty()
    }

    /// The file's report: its batch counts every rejection, the same for every format.
    pub fn finish(self, batch: &mut ImportBatch) -> Vec<Rejection> {
        batch.rows_rejected += self.found.len();
        self.found
    }

    /// The parsed file: `batch` with these rejections, counted.
    pub fn into_parsed(self, mut batch: ImportBatch) -> Parsed {
        let rejections = self.finish(&mut batch);
        Parsed { batch, rejections }
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

/// Rejections as `location | field | reason` lines, for tests to compare whole.
#[cfg(test)]
pub(crate) fn rejection_lines(rejections: &[Rejection]) -> Vec<String> {
    rejections
        .iter()
        .map(|r| format!("{} | {} | {}", r.location, r.field, r.reason))
        .collect()
}
