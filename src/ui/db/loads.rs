//! What the database thread reads for the screens: a person's record with its
//! findings and access list, the discharge board, the CHC caseload, the overview.

use super::*;

impl Worker {
    pub(super) fn load_person(&self, id: i64, today: NaiveDate) -> crate::store::Result<LoadedPerson> {
        let record = self.store.person_record(id)?;
        let findings = all_findings(&record, today);
        let spell_changes = self.store.spell_changes_for_person(id)?;
        let access = self.store.audit_for_person(id, ACCESS_SHOWN)?;
        let restricted = record.restricted_count();
        Ok(LoadedPerson {
            restricted,
            record,
            findings,
            spell_changes,
            access,
            revealed: false,
        })
    }

    pub(super) fn board(&mut self, as_of: NaiveDate, now: NaiveDateTime) -> crate::store::Result<BoardData> {
        use crate::domain::board::{BoardColumn, build_rows, sort_rows};
        let (inputs, discharged) = self.store.board_inputs(as_of)?;
        let mut rows = build_rows(&inputs, as_of);
        sort_rows(&mut rows, BoardColumn::DaysDelayed, true);
        let current: Vec<_> = inputs.iter().map(|i| &i.spell).collect();
        let summary = crate::domain::discharge::summarise(&current, &discharged.iter().collect::<Vec<_>>(), as_of);
        self.audit(
            now,
            "board",
            None,
            format!("viewed the discharge board ({} inpatients)", rows.len()),
        );
        Ok(BoardData { as_of, rows, summary })
    }

    pub(super) fn chc_caseload(&self, today: NaiveDate) -> crate::store::Result<Vec<CaseloadRow>> {
        use crate::domain::chc_case::{caseload_order, chc_case};
        let mut rows: Vec<CaseloadRow> = self
            .store
            .chc_people()?
            .into_iter()
            .filter_map(|p| {
                chc_case(&p.assessments, today).map(|case| CaseloadRow {
                    person_id: p.person_id,
                    nhs_number: p.nhs_number,
                    name: p.display_name,
                    case,
                })
            })
            .collect();
        rows.sort_by(|a, b| caseload_order(&a.case, &b.case));
        Ok(rows)
    }

    pub(super) fn overview(&self) -> crate::store::Result<Overview> {
        Ok(Overview {
            people: self.store.count_people()?,
            runs: self.store.import_runs()?,
            conflicts: self.store.people_with_conflicts(super::LISTED)?,
            unmatched: self.store.unmatched_people(super::LISTED)?,
            audit: self.store.audit_events(500)?,
            links: self.store.person_links(50)?,
        })
    }
}
