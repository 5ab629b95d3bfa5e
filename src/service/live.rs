//! Keeping open views current while others change the record, and carrying on
//! after the server connection is lost.
//!
//! A refresh shows the newer state of something this user already opened, and was
//! audited for opening: a record (until it is closed), the board, the caseload. It
//! writes no event of its own (a busy feed would otherwise write one per window
//! every few seconds), and it is refused for anything not opened, so it can never
//! be a way to read a record unaudited. It applies the same disclosure as the open.

use chrono::NaiveDate;

use super::{BoardData, LiveView, LoadedPerson, Result, Service, ServiceError};
use crate::domain::chc_case::CaseloadRow;
use crate::store::Changed;

impl Service {
    /// What other users changed since the last call: `None` when nothing.
    pub fn changes(&mut self) -> Result<Option<Changed>> {
        Ok(self.store.changes_since_last_look()?)
    }

    /// The newer state of a record this user has open.
    pub fn refresh_record(&self, person_id: i64, today: NaiveDate) -> Result<LoadedPerson> {
        if !self.opened.contains(&person_id) {
            return Err(not_open("that record"));
        }
        self.record_view(person_id, today)
    }

    /// The newer state of the board this user has open.
    pub fn refresh_board(&self, as_of: NaiveDate) -> Result<BoardData> {
        if !self.live_views.contains(&LiveView::Board) {
            return Err(not_open("the discharge board"));
        }
        self.board_data(as_of)
    }

    /// The newer state of the CHC caseload this user has open.
    pub fn refresh_caseload(&self, as_of: NaiveDate) -> Result<Vec<CaseloadRow>> {
        if !self.live_views.contains(&LiveView::Caseload) {
            return Err(not_open("the CHC caseload"));
        }
        self.caseload_rows(as_of)
    }

    /// After the connection to the server was lost: connect again. What this user
    /// opened, revealed and chose stays as it was. If the server now signs this
    /// login in with another role (the owner changed it meanwhile), that is refused
    /// as a `--role` that does not match is: this session was opened in the old one.
    pub fn reconnect(&mut self) -> Result<()> {
        self.store.reconnect()?;
        if let Some(s) = self.store.signed_in() {
            self.actor = super::signed_in_actor(s, self.actor.clone())?;
        }
        Ok(())
    }
}

fn not_open(what: &str) -> ServiceError {
    ServiceError::Refused(format!(
        "{what} is not open: it is refreshed only while open, after it was opened (and audited)"
    ))
}
