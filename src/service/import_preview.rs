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
        // What the preview tells of a stored person beyond "here already" (that they
        // are restricted, or that the stored name or birth date is not the file's) is
        // audited against that person, so their record's "who has looked" shows it
        // (hostile review: a file of made-up details probed who is held, unseen).
        let told: Vec<(i64, bool, bool)> = stored
            .people
            .iter()
            .flatten()
            .chain(stored.references.values())
            .filter(|m| m.is_restricted || !m.agrees)
            .map(|m| (m.person_id, m.is_restricted, m.agrees))
            .collect();
        let mut audited = std::collections::HashSet::new();
        for (person_id, restricted, agrees) in told {
            if !audited.insert(person_id) {
                continue;
            }
            let what = match (restricted, agrees) {
                (true, true) => "restricted",
                (true, false) => "restricted, and the file's name or date of birth differs",
                _ => "the file's name or date of birth differs",
            };
            let detail = format!("import preview of {}: matched this record ({what})", batch.file_name);
            self.audit(AuditAction::Search, Some(person_id), detail, None, now)?;
        }
        Ok(shown)
    }
}
