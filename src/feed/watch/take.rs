//! Taking one complete file from a watched folder: read it once, and judge those
//! bytes: a duplicate (its SHA-256 is an import the store knows), imported (the
//! service's `import_bytes`, the call `joinedup import` makes: one transaction with
//! its audit event, nothing kept if any row is rejected), or rejected (unreadable,
//! rows rejected, or refused by what is stored). Then it is filed away with its
//! report (`place`). A failure of the database itself is none of these: the file
//! stays where it is, to be tried again. Each file leaves a feed's receipt (for the
//! Sources screen's feeds panel): an imported one in its import's transaction, a
//! duplicate or rejected one with its own audit event.

use std::path::Path;

use chrono::NaiveDateTime;
use serde_json::{Value, json};

use super::place;
use crate::import::pipeline::{Imported, PipelineError};
use crate::service::{Service, ServiceError};
use crate::store::{FeedOutcome, StoreError};

/// The most rejections a report lists (it says how many there were in all).
const REPORT_REJECTIONS: usize = 10_000;

/// Which feed a folder is, and where its files go.
pub(super) struct Places<'a> {
    /// `watch DIR`, as the feeds panel lists it.
    pub feed: &'a str,
    pub done: &'a Path,
    pub rejected: &'a Path,
}

/// What became of a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Imported; moved to `done/`.
    Imported,
    /// Its contents were imported before; moved to `done/`, not imported again.
    Duplicate,
    /// Unreadable, rows rejected or refused; moved to `rejected/`, nothing kept.
    Rejected,
    /// The database was unavailable (or the file could not be filed away): it stays.
    Failed,
}

/// One file taken from a folder.
#[derive(Debug, Clone)]
pub struct Taken {
    /// Its name as dropped.
    pub file: String,
    pub outcome: Outcome,
    /// Where it is now (`done/…` or `rejected/…`), its report beside it as
    /// `NAME.report.json`; `None` when it stays where it was dropped.
    pub moved_to: Option<std::path::PathBuf>,
    /// One line saying what became of it.
    pub line: String,
}

/// A file judged, before it is filed away.
struct Verdict {
    outcome: Outcome,
    line: String,
    report: Value,
    /// Why it was not imported, for the feed's receipt.
    reason: String,
}

/// Take the file at `path`, seen at `size` bytes with `max` the largest taken;
/// `None` when it is gone or no longer that size (still being written after all).
pub(super) fn take(service: &mut Service, places: Places<'_>, path: &Path, (size, max): (u64, u64)) -> Option<Taken> {
    let file = crate::import::file_label(path);
    let now = chrono::Local::now().naive_local();
    if size > max {
        // Never read: filed in rejected/ as it is, the report saying why.
        let verdict = too_large(&file, size, max);
        let recorded = service.file_not_stored(places.feed, (&file, None), FeedOutcome::Rejected, &verdict.reason, now);
        if let Err(e) = recorded {
            return Some(failed(file, store_failed(service, &e).to_owned()));
        }
        return Some(file_verdict(places, path, file, None, verdict, now));
    }
    let bytes = match read_at_most(path, size) {
        Ok(Some(b)) => b,
        Ok(None) => return None,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return None,
        Err(e) => return Some(failed(file, format!("could not read the file ({})", e.kind()))),
    };
    let sha = crate::import::sha256_hex(&bytes);
    let verdict = match judge(service, places.feed, &file, &bytes, &sha, now) {
        Ok(v) => v,
        Err(why) => return Some(failed(file, why.to_owned())),
    };
    Some(file_verdict(places, path, file, Some(&sha), verdict, now))
}

/// The file's bytes if it is still `size` bytes long (reading no more than one
/// byte past that, however much it has grown); `None` if it is not.
fn read_at_most(path: &Path, size: u64) -> std::io::Result<Option<Vec<u8>>> {
    use std::io::Read;
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0).min(1 << 30));
    std::fs::File::open(path)?
        .take(size.saturating_add(1))
        .read_to_end(&mut bytes)?;
    Ok((bytes.len() as u64 == size).then_some(bytes))
}

/// A file larger than the limit: rejected unread.
fn too_large(file: &str, size: u64, max: u64) -> Verdict {
    let mib = |b: u64| b.div_ceil(1 << 20);
    let reason = format!(
        "the file is {size} bytes ({} MB), larger than the {} MB this folder takes (listen --max-file-mb); it was not read",
        mib(size),
        max >> 20
    );
    Verdict {
        outcome: Outcome::Rejected,
        line: format!("{file}: too large; not read, nothing imported"),
        report: json!({ "reason": reason, "size_bytes": size, "max_file_bytes": max }),
        reason,
    }
}

/// File the judged file away with its report.
fn file_verdict(
    places: Places<'_>,
    path: &Path,
    file: String,
    sha: Option<&str>,
    verdict: Verdict,
    now: NaiveDateTime,
) -> Taken {
    let mut report = json!({
        "file": file,
        "sha256": sha,
        "outcome": verdict.outcome,
        "line": verdict.line,
        "taken_at": now.format("%Y-%m-%dT%H:%M:%S").to_string(),
    });
    if let (Value::Object(head), Value::Object(rest)) = (&mut report, verdict.report) {
        head.extend(rest);
    }
    let dest = match verdict.outcome {
        Outcome::Rejected => places.rejected,
        _ => places.done,
    };
    let text = format!("{}\n", serde_json::to_string_pretty(&report).unwrap_or_default());
    match place::file_away(path, dest, &text) {
        Ok(to) => Taken {
            file,
            outcome: verdict.outcome,
            moved_to: Some(to),
            line: verdict.line,
        },
        Err(e) => {
            let why = format!("could not be moved to {} ({})", dest.display(), e.kind());
            failed(file, why)
        }
    }
}

/// A duplicate, imported or rejected, and recorded as such; `Err` (why, in a few
/// words) when the database could not say.
fn judge(
    service: &mut Service,
    feed: &str,
    file: &str,
    bytes: &[u8],
    sha: &str,
    now: NaiveDateTime,
) -> Result<Verdict, &'static str> {
    let verdict = match service.imported_before(sha) {
        Err(e) => return Err(store_failed(service, &e)),
        Ok(Some(run)) => duplicate(file, &run),
        Ok(None) => match service.receive_file(feed, file, bytes, now) {
            // Imported, its receipt with it.
            Ok(imported) if imported.summary.is_some() => return Ok(verdict_of(file, &imported)),
            Ok(imported) => verdict_of(file, &imported),
            Err(ServiceError::Pipeline(PipelineError::Import(e))) => refused(file, e.to_string()),
            Err(
                ServiceError::Store(StoreError::Refused(why))
                | ServiceError::Pipeline(PipelineError::Store(StoreError::Refused(why))),
            ) => refused(file, why),
            Err(e) => return Err(store_failed(service, &e)),
        },
    };
    // Not imported: recorded for the feeds panel (the reason, never the contents).
    let outcome = match verdict.outcome {
        Outcome::Duplicate => FeedOutcome::Skipped,
        _ => FeedOutcome::Rejected,
    };
    match service.file_not_stored(feed, (file, Some(sha)), outcome, &verdict.reason, now) {
        Ok(()) => Ok(verdict),
        Err(e) => Err(store_failed(service, &e)),
    }
}

fn duplicate(file: &str, run: &crate::store::ImportRun) -> Verdict {
    let when = crate::domain::dates::fmt_date_time(run.imported_at);
    let reason = format!("the same contents as {} imported {when}", run.file_name);
    Verdict {
        outcome: Outcome::Duplicate,
        line: format!("{file}: {reason}; not imported again"),
        report: json!({ "duplicate_of": {
            "file": run.file_name,
            "import_run_id": run.id,
            "imported_at": run.imported_at.format("%Y-%m-%dT%H:%M:%S").to_string(),
        }}),
        reason,
    }
}

/// The database failed: why, in a few words; a lost server connection is made
/// again (if it can be) for the next try.
fn store_failed(service: &mut Service, e: &ServiceError) -> &'static str {
    use super::super::listener::{connection_lost, failure_kind};
    if connection_lost(e)
        && let Err(again) = service.reconnect()
    {
        tracing::warn!(
            failure = failure_kind(&again),
            "the database could not be reached again yet"
        );
    }
    failure_kind(e)
}

fn verdict_of(file: &str, imported: &Imported) -> Verdict {
    let f = &imported.file;
    let mut report = json!({
        "format": f.format,
        "rows_read": f.rows_read,
        "notes": f.notes,
    });
    let outcome = match &imported.summary {
        Some(s) => {
            report["imported"] = json!({
                "import_run_id": s.import_run_id,
                "people_added": s.people_added,
                "items_added": s.episodes_added,
                "items_updated": s.episodes_updated,
                "items_already_present": s.episodes_already_present,
                "care_plan_versions_added": s.care_plan_versions_added,
            });
            Outcome::Imported
        }
        None => {
            let listed: Vec<Value> = imported
                .rejections
                .iter()
                .take(REPORT_REJECTIONS)
                .map(|r| json!({ "location": r.location, "field": r.field, "reason": r.reason }))
                .collect();
            report["rejected_rows"] = json!(imported.rejections.len());
            report["rejections"] = Value::Array(listed);
            Outcome::Rejected
        }
    };
    let reason = match imported.rejections.first() {
        Some(r) => format!(
            "{} rows rejected; the first: {}: {}: {}",
            imported.rejections.len(),
            r.location,
            r.field,
            r.reason
        ),
        None => String::new(),
    };
    Verdict {
        outcome,
        line: imported.line(file),
        report,
        reason,
    }
}

/// A file refused as a whole (unreadable, or contradicting what is stored).
fn refused(file: &str, reason: String) -> Verdict {
    Verdict {
        outcome: Outcome::Rejected,
        line: format!("{file}: refused; nothing imported"),
        report: json!({ "reason": reason }),
        reason,
    }
}

fn failed(file: String, why: String) -> Taken {
    Taken {
        line: format!("{file}: not taken for now ({why}); it stays and is tried again"),
        file,
        outcome: Outcome::Failed,
        moved_to: None,
    }
}
