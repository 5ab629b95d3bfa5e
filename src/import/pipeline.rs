//! Importing a file while it is still being parsed.
//!
//! A parser thread reads the file in parts (`parse_bytes_in_chunks`: a CLD events
//! file in parts of [`CHUNK_ROWS`] rows, any other format whole) and hands each part
//! over a bounded channel; this thread writes the parts into one open transaction.
//! Only when the whole file has been read does the import commit: if any row was
//! rejected (and the caller did not ask for the valid rows only), or the file turns
//! out to be unreadable, or the user cancels, the transaction is rolled back and the
//! database is as it was. So the rule "validate the whole file, then import all of it
//! or nothing" holds, while parsing and writing overlap on two cores. Written parts
//! go back to the parser's thread to be freed there.

use std::sync::mpsc::sync_channel;

use chrono::NaiveDateTime;

use super::{ImportError, ImportOptions, Rejection, parse_bytes_in_chunks};
use crate::domain::batch::{ImportBatch, ImportSummary};
use crate::store::{FeedMessage, Store, StoreError};

/// Rows in each part of a CLD file handed from the parser to the writer.
pub const CHUNK_ROWS: usize = 20_000;

/// What importing one file did.
#[derive(Debug)]
pub struct Imported {
    /// The file's batch without its people or items: format, counts and notes.
    pub file: ImportBatch,
    pub rejections: Vec<Rejection>,
    /// What was written, or `None` when rows were rejected and nothing was kept.
    pub summary: Option<ImportSummary>,
}

impl Imported {
    /// One line saying what importing the file called `name` did (counts only).
    pub fn line(&self, name: &str) -> String {
        match &self.summary {
            Some(s) => format!(
                "{name}: {} people added, {} items added, {} updated, {} already present, {} care plan versions added, {} rejected",
                s.people_added,
                s.episodes_added,
                s.episodes_updated,
                s.episodes_already_present,
                s.care_plan_versions_added,
                self.rejections.len()
            ),
            None => format!("{name}: {} rejected; nothing imported", self.rejections.len()),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum PipelineError {
    #[error(transparent)]
    Import(#[from] ImportError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Parse `bytes` (from a file called `file`) and write them to `store` as they are
/// parsed, in one transaction. With `valid_rows_only` false, a file with any
/// rejected row leaves nothing behind (`summary` is `None`). `progress` hears the
/// items written so far; when it returns false the import is cancelled and rolled
/// back ([`StoreError::Cancelled`]).
// The file, its options and three hooks (progress, audit, the store): a struct for
// them would only be built to be taken apart here.
#[allow(clippy::too_many_arguments)]
pub fn import_bytes(
    store: &mut Store,
    file: &str,
    bytes: &[u8],
    options: ImportOptions,
    valid_rows_only: bool,
    imported_at: NaiveDateTime,
    progress: &mut dyn FnMut(usize) -> bool,
    audit: crate::store::ImportAudit,
) -> Result<Imported, PipelineError> {
    let hooks = Hooks {
        progress,
        audit,
        receipt: None,
    };
    import_bytes_with(store, file, bytes, options, valid_rows_only, imported_at, hooks)
}

/// What an import tells and records besides its rows.
pub struct Hooks<'a> {
    /// Hears the items written so far; false cancels.
    pub progress: &'a mut dyn FnMut(usize) -> bool,
    pub audit: crate::store::ImportAudit<'a>,
    /// A feed's receipt, committed with the import (a file from a watched folder).
    pub receipt: Option<&'a FeedMessage>,
}

/// [`import_bytes`], with a feed's receipt written in the import's transaction.
pub fn import_bytes_with(
    store: &mut Store,
    file: &str,
    bytes: &[u8],
    options: ImportOptions,
    valid_rows_only: bool,
    imported_at: NaiveDateTime,
    hooks: Hooks<'_>,
) -> Result<Imported, PipelineError> {
    let Hooks {
        progress,
        audit,
        receipt,
    } = hooks;
    // Two parts in flight at most: memory stays bounded however long the file.
    let (send, receive) = sync_channel::<ImportBatch>(2);
    let (recycle, recycled) = std::sync::mpsc::channel::<ImportBatch>();
    std::thread::scope(|scope| {
        // Owned here, so returning early (a cancel, a store error) drops it: the
        // parser's next hand-over then fails and it stops, instead of waiting for ever
        // on a full channel while the scope waits for it.
        let receive = receive;
        let parser = scope.spawn(move || {
            parse_bytes_in_chunks(file, bytes, options, CHUNK_ROWS, &mut |part| {
                // Written parts are freed here, on the thread that allocated them: freeing
                // them on the writer's thread made the two threads contend for the
                // allocator's lock and halved the parser's speed.
                while let Ok(written) = recycled.try_recv() {
                    drop(written);
                }
                send.send(part).is_ok()
            })
        });
        // With rows rejected (and not the valid rows only), nothing is kept.
        let keep = |rejections: &[Rejection]| rejections.is_empty() || valid_rows_only;
        let join = || parser.join().unwrap_or_else(|p| std::panic::resume_unwind(p));
        let (file, rejections, summary) = match receive.recv() {
            // Nothing valid to write: the file is unreadable, or has no valid rows. Such
            // a file is still recorded as imported, with nothing added.
            Err(_) => {
                let (file, rejections) = join()?;
                let summary = if keep(&rejections) {
                    let writer = store.begin_import(&file, imported_at)?;
                    if let Some(m) = receipt {
                        writer.record_receipt(m)?;
                    }
                    Some(writer.finish(&file, audit)?)
                } else {
                    None
                };
                (file, rejections, summary)
            }
            // Returning early drops the channel, which stops the parser at its next part.
            Ok(first) => {
                let mut writer = store.begin_import(&first, imported_at)?;
                writer.write(&first, progress)?;
                let _ = recycle.send(first);
                for part in &receive {
                    writer.write(&part, progress)?;
                    let _ = recycle.send(part);
                }
                let (file, rejections) = join()?;
                // Dropping the writer rolls back everything written.
                let summary = if keep(&rejections) {
                    if let Some(m) = receipt {
                        writer.record_receipt(m)?;
                    }
                    Some(writer.finish(&file, audit)?)
                } else {
                    None
                };
                (file, rejections, summary)
            }
        };
        if summary.is_some() {
            // The import's audit event is committed: the anchor outside the database follows.
            store.sync_audit_anchor()?;
        }
        Ok(Imported {
            file,
            rejections,
            summary,
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at() -> NaiveDateTime {
        chrono::NaiveDate::from_ymd_opt(2026, 11, 22)
            .and_then(|d| d.and_hms_opt(9, 0, 0))
            .expect("time")
    }

    const HEADER: &str = "LA Code,LA Person Unique Identifier,NHS Number,First Name,Last Name,Event Type,Event Reference,Event Start Date,Event End Date\n";

    /// A CLD file of `rows` rows over `people` people, one rejected row at `bad` if any.
    fn cld(rows: usize, people: usize, bad: Option<usize>) -> String {
        let mut s = HEADER.to_owned();
        for i in 0..rows {
            let (date, end) = if Some(i) == bad {
                ("31/02/2026", "")
            } else {
                ("2026-03-01", "2026-03-01")
            };
            s.push_str(&format!(
                "W01,ASC-{},,Given{i},Family,Review,EV-{i},{date},{end}\n",
                i % people
            ));
        }
        s
    }

    /// Import with no progress reporting.
    fn run(store: &mut Store, name: &str, bytes: &[u8], valid_rows_only: bool) -> Result<Imported, PipelineError> {
        import_bytes(
            store,
            name,
            bytes,
            ImportOptions::default(),
            valid_rows_only,
            at(),
            &mut |_| true,
            &system_audit,
        )
    }

    fn system_audit(f: &ImportBatch, s: &crate::domain::batch::ImportSummary) -> crate::store::AuditEvent {
        crate::store::system_import_event(f, s, at())
    }

    fn count(store: &Store, sql: &str) -> i64 {
        store.connection().query_row(sql, [], |r| r.get(0)).expect("count")
    }

    #[test]
    fn parts_are_written_in_one_transaction_and_match_a_whole_import() {
        let text = cld(CHUNK_ROWS * 2 + 123, 5_000, None);
        let mut piped = Store::open_in_memory().expect("store");
        let mut ticks = 0;
        let out = import_bytes(
            &mut piped,
            "cld.csv",
            text.as_bytes(),
            ImportOptions::default(),
            false,
            at(),
            &mut |_| {
                ticks += 1;
                true
            },
            &system_audit,
        )
        .expect("import");
        let s = out.summary.expect("written");
        assert_eq!(s.episodes_added, CHUNK_ROWS * 2 + 123);
        assert_eq!(s.people_added, 5_000);
        assert!(ticks > 0, "progress was reported");
        assert_eq!(out.file.rows_read, CHUNK_ROWS * 2 + 123);

        let mut whole = Store::open_in_memory().expect("store");
        let parsed = crate::import::parse_bytes("cld.csv", text.as_bytes(), ImportOptions::default()).expect("parse");
        let s2 = whole.apply_import(&parsed.batch, at()).expect("apply");
        assert_eq!((s2.episodes_added, s2.people_added), (s.episodes_added, s.people_added));
        for sql in [
            "SELECT count(*) FROM episode",
            "SELECT count(*) FROM person",
            "SELECT count(*) FROM person_identifier",
            "SELECT count(*) FROM person_demographics",
            "SELECT rows_read FROM import_run",
        ] {
            assert_eq!(count(&piped, sql), count(&whole, sql), "{sql}");
        }
        // Every item's provenance names the file, its SHA-256 (taken after the parts
        // were handed over) and the time, through its import run.
        let person: i64 = count(&piped, "SELECT min(person_id) FROM episode");
        let record = piped.person_record(person).expect("record");
        let p = &record.episodes[0].provenance;
        assert_eq!(p.file_name, "cld.csv");
        assert_eq!(p.file_sha256, crate::import::sha256_hex(text.as_bytes()));
        assert_eq!(p.imported_at, Some(at()));
        // Importing the same file again adds nothing.
        let again = run(&mut piped, "cld.csv", text.as_bytes(), false)
            .expect("again")
            .summary
            .expect("written");
        assert_eq!(again.episodes_added, 0);
        assert_eq!(again.episodes_already_present, CHUNK_ROWS * 2 + 123);
    }

    #[test]
    fn a_rejection_late_in_the_file_leaves_nothing_behind() {
        // The bad row comes after two parts have been written.
        let text = cld(CHUNK_ROWS * 3, 100, Some(CHUNK_ROWS * 2 + 7));
        let mut store = Store::open_in_memory().expect("store");
        let out = run(&mut store, "cld.csv", text.as_bytes(), false).expect("import");
        assert!(out.summary.is_none());
        assert_eq!(out.rejections.len(), 1);
        assert_eq!(out.rejections[0].location, format!("line {}", CHUNK_ROWS * 2 + 7 + 2));
        assert_eq!(count(&store, "SELECT count(*) FROM episode"), 0);
        assert_eq!(count(&store, "SELECT count(*) FROM person"), 0);
        assert_eq!(count(&store, "SELECT count(*) FROM import_run"), 0);

        // With the valid rows only, everything else is kept.
        let out = run(&mut store, "cld.csv", text.as_bytes(), true).expect("import");
        assert_eq!(out.summary.expect("written").episodes_added, CHUNK_ROWS * 3 - 1);
    }

    #[test]
    fn cancelling_mid_file_keeps_nothing() {
        let text = cld(CHUNK_ROWS * 3, 100, None);
        let mut store = Store::open_in_memory().expect("store");
        let result = import_bytes(
            &mut store,
            "cld.csv",
            text.as_bytes(),
            ImportOptions::default(),
            false,
            at(),
            &mut |done| done < CHUNK_ROWS,
            &system_audit,
        );
        assert!(matches!(result, Err(PipelineError::Store(StoreError::Cancelled))));
        assert_eq!(count(&store, "SELECT count(*) FROM episode"), 0);
        assert_eq!(count(&store, "SELECT count(*) FROM import_run"), 0);
    }

    /// Stopping early (a cancel, a store error) while the parser still has parts to
    /// hand over must not leave it waiting on a full channel for ever.
    #[test]
    fn stopping_early_on_a_long_file_does_not_hang() {
        let text = cld(CHUNK_ROWS * 8, 100, None);
        let (done, finished) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut store = Store::open_in_memory().expect("store");
            let result = import_bytes(
                &mut store,
                "cld.csv",
                text.as_bytes(),
                ImportOptions::default(),
                false,
                at(),
                &mut |_| false,
                &system_audit,
            );
            let _ = done.send(matches!(result, Err(PipelineError::Store(StoreError::Cancelled))));
        });
        let cancelled = finished
            .recv_timeout(std::time::Duration::from_secs(120))
            .expect("the import returned instead of hanging");
        assert!(cancelled);
    }

    #[test]
    fn other_formats_and_bad_files() {
        let mut store = Store::open_in_memory().expect("store");
        let bundle = include_str!("../../fixtures/training.json");
        let out = run(&mut store, "training.json", bundle.as_bytes(), false).expect("import");
        assert_eq!(out.summary.expect("written").people_added, 15);
        let err = run(&mut store, "notes.txt", b"hello", false).unwrap_err();
        assert!(err.to_string().starts_with("notes.txt: the format is not recognised"));
        // A header and no rows: recorded, nothing added.
        let out = run(&mut store, "empty.csv", HEADER.as_bytes(), false).expect("import");
        assert_eq!(out.summary.expect("written").episodes_added, 0);
    }
}
