//! Changes to people's data: imports, a coordinator's edits of a hospital stay, a
//! CHC assessment recorded, matching decisions. Each writes its audit event in the
//! same transaction as the change, so neither is ever kept without the other.

use chrono::{NaiveDate, NaiveDateTime};

use super::{LoadedPerson, Result, Service, ServiceError};
use crate::domain::batch::{ImportBatch, ImportSummary};
use crate::domain::governance::AuditAction;
use crate::import::ImportOptions;
use crate::store::{AuditEvent, SpellChange};

/// Where a CHC assessment recorded in the window says it came from.
const RECORDED_IN: &str = "Recorded in joinedup";

impl Service {
    /// The options every import of this user takes: in training only NHS numbers in
    /// the test range are accepted.
    pub fn import_options(&self) -> ImportOptions {
        ImportOptions {
            shift_days: 0,
            test_range_only: self.training,
        }
    }

    /// Import a file's bytes as they are parsed (`import::pipeline`), in one
    /// transaction with its audit event.
    pub fn import_bytes(
        &mut self,
        label: &str,
        bytes: &[u8],
        valid_rows_only: bool,
        now: NaiveDateTime,
        progress: &mut dyn FnMut(usize) -> bool,
    ) -> Result<crate::import::pipeline::Imported> {
        self.import_with_receipt(label, bytes, valid_rows_only, now, progress, None)
    }

    /// [`Service::import_bytes`], with a feed's receipt (a watched folder's file)
    /// committed in the import's transaction when there is one.
    pub(super) fn import_with_receipt(
        &mut self,
        label: &str,
        bytes: &[u8],
        valid_rows_only: bool,
        now: NaiveDateTime,
        progress: &mut dyn FnMut(usize) -> bool,
        receipt: Option<&crate::store::FeedMessage>,
    ) -> Result<crate::import::pipeline::Imported> {
        self.check_may_change()?;
        let options = self.import_options();
        let actor = self.audit_name();
        let audit = move |f: &ImportBatch, s: &ImportSummary| import_event(&actor, f, s, now);
        let hooks = crate::import::pipeline::Hooks {
            progress,
            audit: &audit,
            receipt,
        };
        let store = &mut self.store;
        Ok(crate::import::pipeline::import_bytes_with(
            store,
            label,
            bytes,
            options,
            valid_rows_only,
            now,
            hooks,
        )?)
    }

    /// The first import of a file with these contents (its SHA-256, hex), if any: a
    /// watched folder reports such a file as a duplicate instead of importing it again.
    pub fn imported_before(&self, sha256: &str) -> Result<Option<crate::store::ImportRun>> {
        Ok(self.store.import_run_with_sha256(sha256)?)
    }

    /// Write a batch that was read and checked already (the window shows its report
    /// first), in one transaction with its audit event.
    pub fn apply_batch(
        &mut self,
        batch: &ImportBatch,
        now: NaiveDateTime,
        progress: &mut dyn FnMut(usize, usize) -> bool,
    ) -> Result<ImportSummary> {
        self.check_may_change()?;
        if self.training
            && batch
                .people
                .iter()
                .any(|p| p.nhs_number.is_some_and(|n| !n.is_test_range()))
        {
            return Err(ServiceError::Refused(
                "this is a training database: only NHS numbers in the test range 999 000 0000 to 999 999 9999 are accepted"
                    .into(),
            ));
        }
        let actor = self.audit_name();
        let audit = move |f: &ImportBatch, s: &ImportSummary| import_event(&actor, f, s, now);
        Ok(self.store.apply_import_with(batch, now, progress, &audit)?)
    }

    /// A coordinator's changes to a hospital stay, saved together (all or none) and
    /// audited in words in the same transaction; returns the record as now shown.
    /// `revision` is the stay's revision the coordinator edited: if another change
    /// was stored since, the edit is refused ("changed by NAME at HH:MM; reload").
    pub fn change_spell(
        &mut self,
        person_id: i64,
        episode_id: i64,
        revision: i64,
        changes: &[SpellChange],
        today: NaiveDate,
        now: NaiveDateTime,
    ) -> Result<LoadedPerson> {
        self.check_may_change()?;
        let record = self.record_view(person_id, today)?;
        if !record.record.spells.iter().any(|s| s.episode_id == episode_id) {
            return Err(ServiceError::Refused(
                "that hospital stay is not in the record as shown (restricted items need a reason first)".into(),
            ));
        }
        let event = self.event(
            AuditAction::ChangeSpell,
            Some(person_id),
            format!("changed hospital stay #{episode_id}"),
            None,
            now,
        );
        self.store.change_spell(episode_id, revision, changes, &event)?;
        self.record_view(person_id, today)
    }

    /// Record a CHC Checklist, DST, Fast Track or review made in the window.
    pub fn record_chc(
        &mut self,
        person_id: i64,
        assessment: &crate::domain::ChcAssessment,
        today: NaiveDate,
        now: NaiveDateTime,
    ) -> Result<LoadedPerson> {
        self.check_may_change()?;
        crate::domain::chc_grid::check_not_after_today(assessment.completed_on, today)
            .map_err(ServiceError::Refused)?;
        crate::domain::chc_grid::check_recorded(assessment).map_err(|n| ServiceError::Refused(n.refusal()))?;
        let event = self.event(
            AuditAction::RecordChc,
            Some(person_id),
            format!("recorded a {}", crate::report::chc_html::title(assessment)),
            None,
            now,
        );
        self.store
            .record_chc_assessment(person_id, assessment, RECORDED_IN, &event)?;
        self.record_view(person_id, today)
    }

    /// Confirm that record `from` (no valid NHS number) is person `to`.
    pub fn link_person(&mut self, from: i64, to: i64, now: NaiveDateTime) -> Result<i64> {
        self.check_may_change()?;
        let event = self.event(
            AuditAction::MatchConfirmed,
            Some(to),
            format!("linked record #{from} to this person"),
            None,
            now,
        );
        Ok(self.store.link_person(from, to, &event)?)
    }

    /// "Not the same person": the pair is not suggested again.
    pub fn reject_match(&mut self, person_id: i64, candidate_id: i64, now: NaiveDateTime) -> Result<()> {
        self.check_may_change()?;
        let event = self.event(
            AuditAction::MatchRejected,
            Some(person_id),
            format!("not the same person as #{candidate_id}"),
            None,
            now,
        );
        Ok(self.store.reject_match(person_id, candidate_id, &event)?)
    }

    /// Undo a confirmed link.
    pub fn undo_link(&mut self, link_id: i64, now: NaiveDateTime) -> Result<()> {
        self.check_may_change()?;
        let event = self.event(
            AuditAction::MatchUndone,
            None,
            format!("undid link #{link_id}"),
            None,
            now,
        );
        Ok(self.store.undo_link(link_id, &event)?)
    }
}

/// The audit event an import writes in its own transaction.
fn import_event(actor: &str, file: &ImportBatch, s: &ImportSummary, at: NaiveDateTime) -> AuditEvent {
    AuditEvent {
        id: 0,
        at,
        actor: actor.to_owned(),
        action: AuditAction::Import.code().into(),
        person_id: None,
        detail: format!(
            "imported {}: {} people and {} items added, {} updated, {} already present, {} care plan versions",
            file.file_name,
            s.people_added,
            s.episodes_added,
            s.episodes_updated,
            s.episodes_already_present,
            s.care_plan_versions_added
        ),
        reason: None,
    }
}
