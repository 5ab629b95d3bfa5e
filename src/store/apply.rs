//! Applying a validated import: one transaction, idempotent on (source, source_ref).

mod bulk;
mod items;
mod people;
mod plan_versions;

use std::collections::HashMap;

use crate::store::engine::{Tx, params};
use chrono::NaiveDateTime;

use items::{Written, insert_care_plan};
pub(super) use items::{insert_chc, insert_plan_version, insert_plan_version_items};
pub(super) use people::{find_existing, find_person};
use people::{resolve, upsert_person};

use super::codec::date_time_text;
use super::{AuditEvent, Result, Store, StoreError};
use crate::domain::batch::{ImportBatch, ImportSummary, PersonKey};

/// The audit event an import writes in its own transaction, made from the file and
/// what was written (so it commits with the import or not at all).
pub type ImportAudit<'a> = &'a dyn Fn(&ImportBatch, &ImportSummary) -> AuditEvent;

/// The audit event of an import made by the program itself (tests, tools), not by a
/// user through the service layer.
pub fn system_import_event(file: &ImportBatch, s: &ImportSummary, at: NaiveDateTime) -> AuditEvent {
    AuditEvent {
        id: 0,
        at,
        actor: "joinedup (system)".into(),
        action: crate::domain::governance::AuditAction::Import.code().into(),
        person_id: None,
        detail: format!("imported {} items from a {} file", s.episodes_added, file.format),
        reason: None,
    }
}

impl Store {
    /// Write the whole batch in one transaction, or nothing, audited as the program's
    /// own import. Rows already present (same source and source reference) are
    /// counted, not added again.
    pub fn apply_import(&mut self, batch: &ImportBatch, imported_at: NaiveDateTime) -> Result<ImportSummary> {
        let audit = move |f: &ImportBatch, s: &ImportSummary| system_import_event(f, s, imported_at);
        self.apply_import_with(batch, imported_at, &mut |_, _| true, &audit)
    }

    /// As [`Store::apply_import`], reporting progress (items written, items in all)
    /// every [`PROGRESS_EVERY`] items; when `progress` returns false the import stops
    /// and nothing of it is kept. `audit` makes the event written in the import's
    /// transaction.
    pub fn apply_import_with(
        &mut self,
        batch: &ImportBatch,
        imported_at: NaiveDateTime,
        progress: &mut dyn FnMut(usize, usize) -> bool,
        audit: ImportAudit,
    ) -> Result<ImportSummary> {
        let total = batch.people.len() + batch.episodes.len() + batch.care_plans.len();
        let mut writer = self.begin_import(batch, imported_at)?;
        writer.write(batch, &mut |done| progress(done, total))?;
        let summary = writer.finish(batch, audit)?;
        self.sync_audit_anchor()?;
        Ok(summary)
    }

    /// Start an import written in parts (a file parsed in chunks): one transaction
    /// for all of them. `file` gives the file's name, SHA-256 and format; its
    /// people and items are not written here. Nothing is kept unless
    /// [`ImportWriter::finish`] is called: dropping the writer rolls everything back.
    pub fn begin_import(&mut self, file: &ImportBatch, imported_at: NaiveDateTime) -> Result<ImportWriter<'_>> {
        let key = self.audit.clone();
        let tx = self.conn.transaction(true)?;
        tx.lock_new_items()?;
        ImportWriter::start(tx, key, file, imported_at)
    }
}

impl<'a> ImportWriter<'a> {
    /// An import run written in `tx`: a transaction of its own, or a savepoint in
    /// a group of a feed's messages (`store::feed_group`), which has taken the new
    /// items' lock already.
    pub(super) fn start(
        tx: Tx<'a>,
        key: super::AuditKey,
        file: &ImportBatch,
        imported_at: NaiveDateTime,
    ) -> Result<Self> {
        // The counts the file's header knows now (all of them for a feed's message):
        // `record_run` then writes only what differs.
        let run_id: i64 = tx
            .prepare_cached(
                "INSERT INTO import_run (file_name, file_sha256, format, imported_at, rows_read, rows_added, rows_rejected)
             VALUES (?1, ?2, ?3, ?4, ?5, 0, ?6) RETURNING id",
            )?
            .query_row(
                params![
                    file.file_name,
                    file.file_sha256,
                    file.format,
                    date_time_text(imported_at),
                    file.rows_read as i64,
                    file.rows_rejected as i64
                ],
                |r| r.get(0),
            )?;
        Ok(ImportWriter {
            key: key.clone(),
            restricted: Default::default(),
            tx,
            ctx: RunContext {
                file_name: file.file_name.clone(),
                file_sha256: file.file_sha256.clone(),
                run_id,
                run_as_inserted: (file.rows_read, file.rows_rejected, file.file_sha256.clone()),
                imported_at,
                imported_at_text: date_time_text(imported_at),
                format: file.format.clone(),
                key,
            },
            people: HashMap::new(),
            summary: ImportSummary {
                import_run_id: run_id,
                ..Default::default()
            },
            done: 0,
            format: file.format.clone(),
            started: std::time::Instant::now(),
        })
    }
}

/// One import in progress: an open transaction, and what it has written so far.
pub struct ImportWriter<'a> {
    tx: Tx<'a>,
    /// The database's audit key: the import's event is MAC'd in its transaction.
    key: super::AuditKey,
    /// The people and plans this import made restricted, for the restriction ledger.
    restricted: super::audit::RestrictionLedger,
    ctx: RunContext,
    /// People already resolved in this import, by the key the rows name them with.
    people: HashMap<PersonKey, i64>,
    summary: ImportSummary,
    /// Items written so far (people, episodes and care plan versions).
    done: usize,
    format: String,
    started: std::time::Instant,
}

impl ImportWriter<'_> {
    /// The import's transaction, for what must commit with it (a feed's receipt).
    pub(super) fn transaction(&self) -> &crate::store::engine::Conn {
        &self.tx
    }

    /// The import run this import writes.
    pub(super) fn run_id(&self) -> i64 {
        self.ctx.run_id
    }

    /// Items written so far.
    pub fn written(&self) -> usize {
        self.done
    }

    /// Write one part: its people first, then its items. `progress` hears the
    /// running count every [`PROGRESS_EVERY`] items; when it returns false the
    /// import stops with [`StoreError::Cancelled`] and nothing of it is kept.
    pub fn write(&mut self, part: &ImportBatch, progress: &mut dyn FnMut(usize) -> bool) -> Result<()> {
        let tx = &self.tx;
        let mut tick = |done: &mut usize| -> Result<()> {
            *done += 1;
            if (*done).is_multiple_of(PROGRESS_EVERY) && !progress(*done) {
                return Err(StoreError::Cancelled);
            }
            Ok(())
        };
        for entry in &part.people {
            tick(&mut self.done)?;
            let (id, added) = upsert_person(tx, entry, self.ctx.imported_at)?;
            if entry.is_restricted {
                self.restricted.people.insert(id);
            }
            self.summary.people_added += usize::from(added);
            self.people.insert(entry.key.clone(), id);
        }
        let mut resolved = Vec::with_capacity(part.episodes.len());
        for entry in &part.episodes {
            let person_id = resolve(tx, &mut self.people, &entry.person, &self.ctx, &mut self.summary)?;
            resolved.push((person_id, entry));
        }
        let done = &mut self.done;
        for written in bulk::insert_episodes(tx, &self.ctx, &resolved, &mut || tick(done))? {
            match written {
                Written::Added => self.summary.episodes_added += 1,
                Written::Updated => self.summary.episodes_updated += 1,
                Written::AlreadyPresent => self.summary.episodes_already_present += 1,
            }
        }
        for entry in &part.care_plans {
            tick(&mut self.done)?;
            let person_id = resolve(tx, &mut self.people, &entry.person, &self.ctx, &mut self.summary)?;
            let (added, plan_id) = insert_care_plan(tx, &self.ctx, person_id, entry)?;
            if entry.plan.sensitivity.is_sensitive() {
                self.restricted.plans.insert(plan_id);
            }
            if added {
                self.summary.care_plan_versions_added += 1;
            }
        }
        Ok(())
    }

    /// Record the file's counts (and its SHA-256, which a file parsed in parts
    /// knows only at the end) from `file`, write the import's audit event, and commit:
    /// everything written is kept, with its audit event, or nothing is. The caller
    /// then calls [`Store::sync_audit_anchor`] (the anchor outside the database).
    pub fn finish(self, file: &ImportBatch, audit: ImportAudit) -> Result<ImportSummary> {
        // Keep the planner's statistics fresh after a bulk change, so that indexes
        // such as the social-care partial index are chosen.
        self.tx
            .refresh_statistics(self.summary.episodes_added + self.summary.people_added)?;
        self.record_run(file, audit)?;
        let summary = self.summary;
        self.tx.commit()?;
        // Counts and timings only: nothing identifying goes to the log (DESIGN.md 5).
        tracing::info!(
            format = %self.format,
            people_added = summary.people_added,
            items_added = summary.episodes_added,
            already_present = summary.episodes_already_present,
            elapsed_ms = self.started.elapsed().as_millis() as u64,
            "import stored"
        );
        Ok(summary)
    }

    /// As [`ImportWriter::finish`] for one message of a feed's group: its run's
    /// counts and audit event, then its savepoint released into the group's
    /// transaction. The statistics are refreshed and the log written once for the
    /// group, not per message.
    pub(super) fn finish_in_group(self, file: &ImportBatch, audit: ImportAudit) -> Result<ImportSummary> {
        self.record_run(file, audit)?;
        self.tx.commit()?;
        Ok(self.summary)
    }

    /// The run's counts, and its audit event, in its transaction.
    fn record_run(&self, file: &ImportBatch, audit: ImportAudit) -> Result<()> {
        let summary = &self.summary;
        let added = summary.episodes_added + summary.care_plan_versions_added;
        let (read, rejected, sha) = &self.ctx.run_as_inserted;
        // A run that added nothing and whose counts were known when it began (a
        // feed's message that updated a visit) is as it was inserted.
        let unchanged = added == 0
            && (file.rows_read, file.rows_rejected) == (*read, *rejected)
            && (file.file_sha256.is_empty() || &file.file_sha256 == sha);
        if !unchanged {
            self.tx
                .prepare_cached(
                    "UPDATE import_run SET rows_read = ?1, rows_added = ?2, rows_rejected = ?3,
                    file_sha256 = CASE WHEN ?5 = '' THEN file_sha256 ELSE ?5 END
                 WHERE id = ?4",
                )?
                .execute(params![
                    file.rows_read as i64,
                    added as i64,
                    file.rows_rejected as i64,
                    self.ctx.run_id,
                    file.file_sha256,
                ])?;
        }
        let mut event = audit(file, summary);
        event.detail = format!(
            "{} (import run #{}){}",
            event.detail,
            self.ctx.run_id,
            self.restricted.note()
        );
        super::audit::append_audit_in(&self.key, &self.tx, &event)?;
        Ok(())
    }
}

struct RunContext {
    file_name: String,
    file_sha256: String,
    run_id: i64,
    /// The run's rows read, rows rejected and SHA-256 as first inserted.
    run_as_inserted: (usize, usize, String),
    imported_at: NaiveDateTime,
    /// When the file was imported, as stored: written once for the whole file.
    imported_at_text: String,
    /// The file's format (`hl7v2`, `hospital_csv`, ...), to name its items in errors.
    format: String,
    /// The audit key, to keep the data seals true when an item is brought up to date.
    key: super::AuditKey,
}

/// How often (in items) an import reports progress and checks for Cancel.
pub const PROGRESS_EVERY: usize = 5_000;
