//! The import's preview: who a checked file will bring in, before anything of it is
//! written. The store is only read; the look-up of the file's people is audited as
//! a search (it says whether each of them is here already).

use chrono::NaiveDateTime;

use super::{Result, Service};
use crate::domain::batch::ImportBatch;
use crate::domain::governance::AuditAction;
use crate::domain::import_preview::{ImportPreview, preview};

impl Service {
    /// Who `batch` will bring in: each person new or matched to a stored record, with
    /// their items counted (restricted ones counted, never named). Writes no data:
    /// only the search's audit event.
    pub fn preview_import(&mut self, batch: &ImportBatch, now: NaiveDateTime) -> Result<ImportPreview> {
        self.check_may_change()?;
        let stored = self.store.stored_matches(batch)?;
        let shown = preview(batch, &stored.people, &|k| stored.references.get(k).copied());
        let detail = format!(
            "import preview of {}: {} people looked up, {} here already",
            batch.file_name,
            shown.people.len() + shown.unnamed.len(),
            shown.matched_people()
        );
        self.audit(AuditAction::Search, None, detail, None, now)?;
        Ok(shown)
    }
}
