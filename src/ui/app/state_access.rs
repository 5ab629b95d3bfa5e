//! What the window holds, read by the views' tests and the harness (the open
//! person, the latest search, the board, the print preview...), and the few
//! selections a test makes as a click would.

use super::*;

impl JoinedUpApp {
    /// The window's state as it is saved between runs.
    pub fn ui_state(&self) -> &UiState {
        &self.state
    }

    pub fn screen(&self) -> Screen {
        self.state.screen
    }

    /// The open person, once loaded.
    pub fn person(&self) -> Option<&LoadedPerson> {
        match &self.person {
            Loadable::Ready(p) => Some(p),
            _ => None,
        }
    }

    /// The latest search's results (name search asks for one more than it shows).
    pub fn search_results(&self) -> Option<&[PersonSummary]> {
        self.search_results.as_deref()
    }

    /// Items per source, once the Sources screen has asked for them.
    pub fn source_summary(&self) -> Option<&[crate::store::SourceSummary]> {
        self.source_summary.as_deref()
    }

    pub fn overview(&self) -> Option<&Overview> {
        self.overview.as_ref()
    }

    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    /// The item selected on the open record (its store id).
    pub fn selected_item(&self) -> Option<i64> {
        let Loadable::Ready(p) = &self.person else { return None };
        self.person_view
            .selected
            .and_then(|i| p.record.episodes.get(i))
            .map(|e| e.id)
    }

    /// The person screen's state: its time window, filter, selection and list order.
    pub fn person_view(&self) -> &PersonView {
        &self.person_view
    }

    /// Select an item of the open record by its store id, as a click on it does.
    pub fn select_item(&mut self, episode_id: i64) {
        if let Loadable::Ready(p) = &self.person
            && let Some(i) = p.record.episodes.iter().position(|e| e.id == episode_id)
        {
            self.person_view.select(i);
        }
    }

    /// What the window says while the server connection is being made again.
    pub fn connection_notice(&self) -> Option<&str> {
        self.connection.as_deref()
    }

    /// The role chosen at start (or given on the command line).
    pub fn role(&self) -> Option<crate::domain::governance::Role> {
        self.config.role
    }

    /// The theme in use (light unless chosen otherwise).
    pub fn theme(&self) -> theme::ThemeChoice {
        self.state.theme
    }

    /// For tests: choose the board's pathway filter as the combo box would.
    pub fn set_board_pathway_filter(&mut self, pathway: Option<u8>) {
        self.board_view.filter.pathway = pathway;
    }

    /// The print preview shown, if any.
    pub fn print_preview(&self) -> Option<&crate::service::PrintPreview> {
        self.print_preview.as_deref().map(|p| &p.1)
    }

    pub fn chc_caseload(&self) -> Option<&[CaseloadRow]> {
        self.chc_caseload.as_deref()
    }

    pub fn board(&self) -> Option<&BoardData> {
        self.board.as_ref()
    }

    /// The situation report tab's data, once the database thread has made it.
    pub fn sitrep(&self) -> Option<&SitrepData> {
        self.sitrep.as_ref()
    }

    /// For tests: select a figure on the situation report tab, as a click would.
    pub fn select_sitrep_figure(&mut self, site: &str, figure: &str) {
        self.sitrep_view.select(site, figure);
    }
}
