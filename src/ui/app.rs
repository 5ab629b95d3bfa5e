//! The app shell: owns persisted UI state, the database client and cached query
//! results; draws the chrome (training banner, navigation) and the current screen;
//! applies the commands views return.

mod audit_screen;
mod commands;
mod file_dialogs;
mod responses;
mod screens;
mod session;
mod state_access;
mod training_panel;
mod worklist;

use std::path::PathBuf;
use std::sync::mpsc::{Receiver, channel};

use egui::RichText;
use serde::{Deserialize, Serialize};

use super::db::{
    BoardData, ConnectionState, DbClient, LoadedPerson, MatchAction, Overview, Request, Response, SitrepData,
};
use super::views::board::{BoardTab, BoardView};
use super::views::chc::ChcView;
use super::views::import_dialog::{ImportState, import_ui};
use super::views::person::PersonView;
use super::views::plans::PlansView;
use super::views::search::SearchView;
use super::views::sitrep::SitrepView;
use super::views::{sources, welcome};
use super::{Command, Screen, ViewContext, theme};
use crate::domain::chc_case::CaseloadRow;
use crate::domain::timeline::TimelineFilter;
use crate::service::OutputKind;
use crate::store::{PersonSummary, Store};

/// What a save dialog is for: an output of the record, which the database thread
/// makes, audits and writes once a file is chosen; or text of the window's own (the
/// rejected rows of an import), which the dialog's thread writes.
pub(super) enum SaveWhat {
    Output(Box<OutputKind>),
    Text(String),
}

/// What a save dialog's thread reports.
pub(super) enum DialogOutcome {
    /// A file was chosen for an output: the database thread writes it.
    Chosen(PathBuf),
    /// Text was written (its path), or could not be.
    Written(Result<String, String>),
    /// The native dialog was not shown (`file_dialogs`): the text to save, if it is
    /// text, and the file's suggested name and extension, for the built-in picker.
    NotShown {
        text: Option<String>,
        name: String,
        ext: &'static str,
    },
}

/// How the window was started.
#[derive(Debug, Clone)]
pub struct AppConfig {
    /// The database: a file, or a team's server.
    pub db: crate::store::Location,
    pub is_training: bool,
    /// The operating-system user, for the audit log.
    pub actor: String,
    /// The role given on the command line; without one the window asks at start.
    pub role: Option<crate::domain::governance::Role>,
    /// `--theme`: this theme, saved as the choice; without it the saved choice (light at first).
    pub theme: Option<theme::ThemeChoice>,
}

/// UI state kept between runs (eframe storage).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct UiState {
    pub screen: Screen,
    pub filter: TimelineFilter,
    pub list_follows_axis: bool,
    /// The timeline's list oldest first (newest first unless chosen).
    pub list_oldest_first: bool,
    /// The timeline canvas leaves out lanes with nothing in the period shown.
    pub hide_empty_lanes: bool,
    /// The person screen's detail pane width, as the user left it.
    pub detail_width: Option<f32>,
    pub board_filter: crate::domain::board::BoardFilter,
    /// Light (the default) or dark.
    pub theme: theme::ThemeChoice,
    /// The folder a file was last imported from or saved in: where the file
    /// dialogs start.
    pub last_folder: Option<PathBuf>,
}

/// A query result the UI is waiting for.
pub enum Loadable<T> {
    Idle,
    Loading,
    Ready(T),
    Failed(String),
}

pub struct JoinedUpApp {
    config: AppConfig,
    db: Option<DbClient>,
    state: UiState,
    overview: Option<Overview>,
    /// Items per source, for the Sources screen (asked for when it opens).
    source_summary: Option<Vec<crate::store::SourceSummary>>,
    recent: Vec<PersonSummary>,
    search_results: Option<Vec<PersonSummary>>,
    search_seq: u64,
    person: Loadable<Box<LoadedPerson>>,
    search: SearchView,
    person_view: PersonView,
    board: Option<BoardData>,
    board_view: BoardView,
    /// Which tab of the board screen is shown.
    board_tab: BoardTab,
    sitrep: Option<SitrepData>,
    sitrep_view: SitrepView,
    audit: audit_screen::AuditState,
    training: training_panel::TrainingState,
    chc_caseload: Option<Vec<CaseloadRow>>,
    matches: std::collections::HashMap<i64, Vec<crate::store::MatchCandidate>>,
    /// A link waiting for the user's confirmation: (record, person).
    pending_link: Option<(i64, i64)>,
    chc_view: ChcView,
    plans_view: PlansView,
    worklist: worklist::WorklistState,
    import: Option<ImportState>,
    /// The native import dialog's thread.
    picker: Option<Receiver<file_dialogs::NativePick>>,
    /// The built-in file picker, and what it is for.
    browser: Option<(super::views::file_picker::FilePicker, file_dialogs::BrowseFor)>,
    /// Whether the native file dialogs are used (false once one could not be shown).
    native_dialogs: bool,
    /// A print's pages shown before it is saved, and the print.
    print_preview: Option<Box<(OutputKind, crate::service::PrintPreview)>>,
    /// A save dialog running, and the output to make once a file is chosen.
    saver: Option<(Receiver<DialogOutcome>, Option<Box<OutputKind>>)>,
    message: Option<String>,
    /// The server connection was lost and is being made again: what the window says.
    connection: Option<String>,
    fatal: Option<String>,
    /// Who is acting and where (the status bar), from the service.
    session: Option<crate::service::SessionInfo>,
    /// The theme the context was last given, so that it is set again only on a change.
    applied_theme: Option<theme::ThemeChoice>,
}

impl JoinedUpApp {
    /// Open the database named in `config` and start.
    pub fn new(cc: &eframe::CreationContext<'_>, config: AppConfig) -> Self {
        let state: UiState = cc
            .storage
            .and_then(|s| eframe::get_value(s, eframe::APP_KEY))
            .unwrap_or_default();
        match Store::open_location(&config.db, &crate::cli::server_key_dir()) {
            Ok(store) => Self::with_store(&cc.egui_ctx, store, config, state),
            Err(e) => {
                let mut app = Self::empty(config, state);
                app.fatal = Some(format!("The database could not be opened: {e}"));
                app
            }
        }
    }

    /// Start on an already-open store (tests use an in-memory one).
    pub fn with_store(ctx: &egui::Context, store: Store, mut config: AppConfig, state: UiState) -> Self {
        let wake_ctx = ctx.clone();
        let (service, session) = match session::sign_in(store, &mut config) {
            Ok(started) => started,
            Err(session::Refused { why, session }) => {
                let mut app = Self::empty(config, state);
                app.fatal = Some(why);
                app.session = session.map(|s| *s);
                return app;
            }
        };
        // A database marked as training inside is training, however it was opened.
        config.is_training = service.is_training();
        let db = DbClient::start(service, move || wake_ctx.request_repaint());
        let now = chrono::Local::now().naive_local();
        // A signed-in user cannot write the fixtures: the server's owner seeds them.
        if config.is_training && !session.is_signed_in() {
            db.send(Request::SeedTraining { today: now.date(), now });
        }
        db.send(Request::Overview);
        db.send(Request::Recent);
        let mut app = Self::empty(config, state);
        // The first frame's context may be another (tests build the app apart from
        // their harness): ui_root installs the theme again on the context it draws in.
        theme::install(ctx, app.state.theme);
        app.person_view.filter = app.state.filter.clone();
        app.person_view.list_follows_axis = app.state.list_follows_axis;
        app.person_view.list.oldest_first = app.state.list_oldest_first;
        app.person_view.hide_empty_lanes = app.state.hide_empty_lanes;
        app.person_view.detail_width = app.state.detail_width;
        app.board_view.filter = app.state.board_filter.clone();
        if app.state.screen == Screen::Person {
            app.state.screen = Screen::Search;
        }
        app.search.focus();
        app.db = Some(db);
        app.session = Some(session);
        if let Some(role) = app.config.role {
            app.first_screen(role);
        }
        app
    }

    fn empty(config: AppConfig, mut state: UiState) -> Self {
        if let Some(choice) = config.theme {
            state.theme = choice;
        }
        Self {
            config,
            db: None,
            state,
            overview: None,
            source_summary: None,
            recent: Vec::new(),
            search_results: None,
            search_seq: 0,
            person: Loadable::Idle,
            search: SearchView::default(),
            person_view: PersonView::default(),
            board: None,
            board_view: BoardView::default(),
            board_tab: BoardTab::Board,
            sitrep: None,
            sitrep_view: SitrepView::default(),
            audit: Default::default(),
            training: Default::default(),
            chc_caseload: None,
            matches: std::collections::HashMap::new(),
            pending_link: None,
            chc_view: ChcView::default(),
            plans_view: PlansView::default(),
            worklist: Default::default(),
            import: None,
            picker: None,
            browser: None,
            native_dialogs: file_dialogs::native_dialog_possible(),
            print_preview: None,
            saver: None,
            message: None,
            connection: None,
            fatal: None,
            session: None,
            applied_theme: None,
        }
    }

    fn view_context(&self) -> ViewContext {
        let now = chrono::Local::now().naive_local();
        ViewContext {
            today: now.date(),
            now,
            is_training: self.config.is_training,
        }
    }

    fn apply_theme(&mut self, ctx: &egui::Context) {
        theme::install(ctx, self.state.theme);
        self.applied_theme = Some(self.state.theme);
        ctx.request_repaint();
    }

    fn send(&self, r: Request) {
        if let Some(db) = &self.db {
            db.send(r);
        }
    }

    /// Draw everything. Called by eframe every frame, and by tests.
    pub fn ui_root(&mut self, ui: &mut egui::Ui) {
        if self.applied_theme != Some(self.state.theme) {
            self.apply_theme(ui.ctx());
        }
        self.receive();
        let mut commands = Vec::new();
        commands.extend(self.poll_background(ui));
        let ctx = self.view_context();
        if self.config.is_training {
            egui::Panel::top("training-banner")
                .frame(egui::Frame::new().fill(theme::of(ui).warning_flag.fill).inner_margin(4))
                .show(ui, |ui| {
                    ui.vertical_centered(|ui| {
                        ui.label(
                            RichText::new("TRAINING: synthetic people only, dates shifted so each story is current")
                                .color(theme::of(ui).warning_flag.text)
                                .strong(),
                        );
                    });
                });
        }
        super::views::status_bar::status_bar_ui(ui, self.session.as_ref(), &self.opening_label());
        if let Some(fatal) = &self.fatal {
            session::cannot_start_ui(ui, fatal);
            return;
        }
        if self.asks_for_role() {
            // Until a role is chosen the window shows nothing of the record.
            if let Some(role) = super::views::role_picker::role_picker_ui(ui, &self.config.actor) {
                self.config.role = Some(role);
                self.send(Request::SetRole(role));
                self.send(Request::Recent);
                self.first_screen(role);
            }
            return;
        }
        // A screen kept from an earlier session under another role.
        if (self.state.screen == Screen::Audit && !self.sees_audit_screen())
            || (self.state.screen == Screen::Training && !self.sees_training_panel())
        {
            self.state.screen = Screen::Search;
        }
        commands.extend(self.navigation_ui(ui));
        // Ctrl+F or Ctrl+K (Cmd on a Mac) returns to the search box from any screen.
        let find = ui.input_mut(|i| {
            i.consume_key(egui::Modifiers::COMMAND, egui::Key::F)
                || i.consume_key(egui::Modifiers::COMMAND, egui::Key::K)
        });
        if find {
            commands.push(Command::Navigate(Screen::Search));
            self.search.focus();
        }
        if let Some(c) = &self.connection {
            egui::Panel::top("connection")
                .frame(egui::Frame::new().fill(theme::of(ui).caution_flag.fill).inner_margin(4))
                .show(ui, |ui| {
                    ui.label(RichText::new(c).color(theme::of(ui).caution_flag.text).strong());
                });
        }
        if let Some(m) = self.message.clone() {
            egui::Panel::bottom("message").show(ui, |ui| {
                ui.horizontal(|ui| {
                    ui.label(m);
                    if ui.small_button("Dismiss").clicked() {
                        self.message = None;
                    }
                });
            });
        }
        commands.extend(self.screen_ui(ui, &ctx));
        commands.extend(self.confirm_link_ui(ui));
        commands.extend(self.native_dialog_notice_ui(ui));
        if let Some(preview) = &self.print_preview {
            commands.extend(crate::ui::views::print_preview::print_preview_ui(ui.ctx(), &preview.1));
        }
        if let Some(state) = &self.import {
            // Escape is the picker's while it is open over the import window.
            commands.extend(import_ui(ui.ctx(), state, self.browser.is_none()));
        }
        commands.extend(self.browser_ui(ui.ctx()));
        commands.extend(self.alerts_panel_ui(ui));
        for c in commands {
            self.apply(c);
        }
        self.state.filter = self.person_view.filter.clone();
        self.state.list_follows_axis = self.person_view.list_follows_axis;
        self.state.list_oldest_first = self.person_view.list.oldest_first;
        self.state.hide_empty_lanes = self.person_view.hide_empty_lanes;
        self.state.detail_width = self.person_view.detail_width;
        self.state.board_filter = self.board_view.filter.clone();
    }

    /// A link moves a record's items to another person: it is confirmed first, with
    /// the two side by side and the matcher's reasons (`views::link_confirm`).
    fn confirm_link_ui(&self, ui: &mut egui::Ui) -> Vec<Command> {
        let Some((from, to)) = self.pending_link else {
            return Vec::new();
        };
        let record = self
            .overview
            .as_ref()
            .and_then(|o| o.unmatched.iter().find(|p| p.id == from));
        let candidate = self
            .matches
            .get(&from)
            .and_then(|c| c.iter().find(|c| c.person.id == to));
        match (record, candidate) {
            (Some(record), Some(candidate)) => {
                crate::ui::views::link_confirm::confirm_link_ui(ui.ctx(), record, candidate)
            }
            // Either is gone (refreshed away): there is nothing left to confirm.
            _ => vec![Command::CancelLink],
        }
    }
}

impl eframe::App for JoinedUpApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.ui_root(ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, eframe::APP_KEY, &self.state);
    }
}
