//! Views of many people: the discharge board and the CHC caseload. Restricted rows
//! stay in every count, masked by the one policy (`domain::disclosure`).

use chrono::{NaiveDate, NaiveDateTime};

use super::{Result, Service};
use crate::domain::board::{BoardColumn, BoardRow, build_rows, sort_rows};
use crate::domain::chc_case::{CaseloadRow, caseload_order, chc_case};
use crate::domain::discharge::{BoardSummary, summarise};
use crate::domain::governance::AuditAction;

/// The discharge board as of a date: its rows (restricted rows masked) and summary.
#[derive(Debug, Clone)]
pub struct BoardData {
    pub as_of: NaiveDate,
    pub rows: Vec<BoardRow>,
    pub summary: BoardSummary,
}

impl Service {
    /// Everyone in hospital as of `as_of`, most delayed first (audited). The board
    /// may then be refreshed live (`refresh_board`) without an event each time.
    pub fn board(&mut self, as_of: NaiveDate, now: NaiveDateTime) -> Result<BoardData> {
        let board = self.board_data(as_of)?;
        let restricted = board.rows.iter().filter(|r| r.is_restricted).count();
        let detail = format!(
            "viewed the discharge board ({} inpatients, {restricted} restricted shown masked)",
            board.rows.len()
        );
        self.audit(AuditAction::ViewBoard, None, detail, None, now)?;
        self.live_views.insert(super::LiveView::Board);
        Ok(board)
    }

    /// The board as it may be shown, without an audit event of its own.
    pub(super) fn board_data(&self, as_of: NaiveDate) -> Result<BoardData> {
        let (inputs, discharged) = self.store.board_inputs(as_of)?;
        let mut rows = build_rows(&inputs, as_of);
        sort_rows(&mut rows, BoardColumn::DaysDelayed, true);
        let current: Vec<_> = inputs.iter().map(|i| &i.spell).collect();
        let summary = summarise(&current, &discharged.iter().collect::<Vec<_>>(), as_of);
        Ok(BoardData { as_of, rows, summary })
    }

    /// Everyone with an open CHC process as of `as_of`, overdue first (audited).
    pub fn chc_caseload(&mut self, as_of: NaiveDate, now: NaiveDateTime) -> Result<Vec<CaseloadRow>> {
        let rows = self.caseload_rows(as_of)?;
        let detail = format!("viewed the CHC caseload ({} open)", rows.len());
        self.audit(AuditAction::ViewCaseload, None, detail, None, now)?;
        self.live_views.insert(super::LiveView::Caseload);
        Ok(rows)
    }

    /// The caseload as it may be shown, without an audit event of its own.
    pub(super) fn caseload_rows(&self, as_of: NaiveDate) -> Result<Vec<CaseloadRow>> {
        let mut rows: Vec<CaseloadRow> = self
            .store
            .chc_people()?
            .into_iter()
            .filter_map(|p| {
                chc_case(&p.assessments, as_of).map(|case| CaseloadRow {
                    person_id: p.person_id,
                    nhs_number: p.nhs_number,
                    name: p.display_name,
                    case,
                    is_restricted: p.is_restricted,
                })
            })
            .collect();
        rows.sort_by(|a, b| caseload_order(&a.case, &b.case));
        Ok(rows)
    }
}
