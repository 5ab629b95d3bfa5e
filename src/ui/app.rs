//! The app shell: owns persisted UI state, the database client and cached query
//! results; draws the chrome (training banner, navigation) and the current screen;
//! applies the commands views return.

use std::path::PathBuf;
use std::sync::mpsc::{Receiver, channel};

use egui::RichText;
use serde::{Deserialize, Serialize};

use super::db::{DbClient, LoadedPerson, MatchAction, Overview, Request, Response};
use super::views::board::{BoardData, BoardView};
use super::views::chc::{CaseloadRow, ChcView};
use super::views::import_dialog::{ImportState, import_ui};
use super::views::person::PersonView;
use super::views::plans::PlansView;
use super::views::search::SearchView;
use super::views::{audit, sources, welcome};
use super::{Command, Screen, ViewContext, theme};
use crate::domain::timeline::TimelineFilter;
use crate::import::ImportOptions;
use crate::store::{AuditEvent, PersonSummary, Store};

/// How the window was started.
#[derive(Debug, Clone)]
pub struct AppConfig {
    pub db_path: PathBuf,
    pub is_training: bool,
    /// The operating-system user, for the audit log.
    pub actor: String,
    /// The role given on the command line; without one the window asks at start.
    pub role: Option<crate::domain::governance::Role>,
}

/// UI state kept between runs (eframe storage).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct UiState {
    pub screen: Screen,
    pub filter: TimelineFilter,
    pub list_follows_axis: bool,
    pub board_filter: crate::domain::board::BoardFilter,
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
    recent: Vec<PersonSummary>,
    search_results: Option<Vec<PersonSummary>>,
    search_seq: u64,
    person: Loadable<Box<LoadedPerson>>,
    /// The record whose restricted items the user gave a reason to see, until it is closed.
    revealed_person: Option<i64>,
    search: SearchView,
    person_view: PersonView,
    board: Option<BoardData>,
    board_view: BoardView,
    audit_view: audit::AuditView,
    chc_caseload: Option<Vec<CaseloadRow>>,
    matches: std::collections::HashMap<i64, Vec<crate::store::MatchCandidate>>,
    chc_view: ChcView,
    plans_view: PlansView,
    import: Option<ImportState>,
    picker: Option<Receiver<Vec<PathBuf>>>,
    saver: Option<Receiver<Result<String, String>>>,
    message: Option<String>,
    fatal: Option<String>,
}

impl JoinedUpApp {
    /// Open the database named in `config` and start.
    pub fn new(cc: &eframe::CreationContext<'_>, config: AppConfig) -> Self {
        let state: UiState = cc
            .storage
            .and_then(|s| eframe::get_value(s, eframe::APP_KEY))
            .unwrap_or_default();
        match Store::open(&config.db_path) {
            Ok(store) => Self::with_store(&cc.egui_ctx, store, config, state),
            Err(e) => {
                let mut app = Self::empty(config, state);
                app.fatal = Some(format!("The database could not be opened: {e}"));
                app
            }
        }
    }

    /// Start on an already-open store (tests use an in-memory one).
    pub fn with_store(ctx: &egui::Context, store: Store, config: AppConfig, state: UiState) -> Self {
        let wake_ctx = ctx.clone();
        let initial_actor = match config.role {
            Some(role) => crate::domain::governance::actor(&config.actor, role),
            None => config.actor.clone(),
        };
        let db = DbClient::start(store, initial_actor, move || wake_ctx.request_repaint());
        let now = chrono::Local::now().naive_local();
        if config.is_training {
            db.send(Request::SeedTraining { today: now.date(), now });
        }
        db.send(Request::Overview);
        db.send(Request::Recent);
        let mut app = Self::empty(config, state);
        app.person_view.filter = app.state.filter.clone();
        app.person_view.list_follows_axis = app.state.list_follows_axis;
        app.board_view.filter = app.state.board_filter.clone();
        if app.state.screen == Screen::Person {
            app.state.screen = Screen::Search;
        }
        app.search.focus();
        app.db = Some(db);
        app
    }

    fn empty(config: AppConfig, state: UiState) -> Self {
        Self {
            config,
            db: None,
            state,
            overview: None,
            recent: Vec::new(),
            search_results: None,
            search_seq: 0,
            person: Loadable::Idle,
            revealed_person: None,
            search: SearchView::default(),
            person_view: PersonView::default(),
            board: None,
            board_view: BoardView::default(),
            audit_view: audit::AuditView::default(),
            chc_caseload: None,
            matches: std::collections::HashMap::new(),
            chc_view: ChcView::default(),
            plans_view: PlansView::default(),
            import: None,
            picker: None,
            saver: None,
            message: None,
            fatal: None,
        }
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

    pub fn overview(&self) -> Option<&Overview> {
        self.overview.as_ref()
    }

    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    /// The user and role written to the audit log.
    fn actor(&self) -> String {
        match self.config.role {
            Some(role) => crate::domain::governance::actor(&self.config.actor, role),
            None => self.config.actor.clone(),
        }
    }

    /// The role chosen at start (or given on the command line).
    pub fn role(&self) -> Option<crate::domain::governance::Role> {
        self.config.role
    }

    fn view_context(&self) -> ViewContext {
        let now = chrono::Local::now().naive_local();
        ViewContext {
            today: now.date(),
            now,
            is_training: self.config.is_training,
        }
    }

    fn send(&self, r: Request) {
        if let Some(db) = &self.db {
            db.send(r);
        }
    }

    /// Drain responses from the database thread, within a small time budget.
    fn receive(&mut self) {
        let Some(db) = &self.db else { return };
        let started = std::time::Instant::now();
        let mut responses = Vec::new();
        while started.elapsed() < std::time::Duration::from_millis(4) {
            match db.try_recv() {
                Some(r) => responses.push(r),
                None => break,
            }
        }
        for r in responses {
            self.on_response(r);
        }
    }

    fn on_response(&mut self, response: Response) {
        match response {
            Response::SearchResults { seq, results } if seq == self.search_seq => self.search_results = Some(results),
            Response::NhsResult { seq, person, nhs } if seq == self.search_seq => {
                self.search_results = Some(person.clone().into_iter().collect());
                match person {
                    Some(p) => self.apply(Command::OpenPerson(p.id)),
                    None => self.message = Some(format!("No one with NHS number {nhs} is in this database.")),
                }
            }
            Response::SearchResults { .. } | Response::NhsResult { .. } => {}
            Response::Person(mut p) => {
                p.revealed = self.revealed_person == Some(p.record.person.id);
                self.person = Loadable::Ready(p);
                self.send(Request::Recent);
            }
            Response::Access { person_id, access } => {
                if let Loadable::Ready(p) = &mut self.person
                    && p.record.person.id == person_id
                {
                    p.access = access;
                }
            }
            Response::Recent(r) => self.recent = r,
            Response::Overview(o) => self.overview = Some(*o),
            Response::ImportProgress {
                done,
                total,
                file,
                items,
            } => {
                self.import = Some(ImportState::Reading {
                    done,
                    total,
                    file,
                    items,
                })
            }
            Response::ImportParsed(files) => self.import = Some(ImportState::Review(files)),
            Response::WriteProgress { done, total, file } => {
                self.import = Some(ImportState::Writing { done, total, file })
            }
            Response::ImportCancelled => {
                self.import = None;
                self.message = Some("Import cancelled: nothing was written.".into());
            }
            Response::ImportApplied(results) => {
                let lines = results
                    .into_iter()
                    .map(|(name, r)| match r {
                        Ok(s) => format!(
                            "{name}: {} people and {} items added; {} items were already here.",
                            s.people_added, s.episodes_added, s.episodes_already_present
                        ),
                        Err(e) => format!("{name}: nothing written: {e}"),
                    })
                    .collect();
                self.import = Some(ImportState::Done(lines));
                self.send(Request::Overview);
            }
            Response::TrainingSeeded => {
                self.send(Request::Overview);
                if self.board.is_some() {
                    self.apply(Command::RefreshBoard);
                }
            }
            Response::ChcCaseload(rows) => self.chc_caseload = Some(rows),
            Response::Matches { person_id, candidates } => {
                self.matches.insert(person_id, candidates);
            }
            Response::Board(b) => {
                self.board = Some(*b);
                self.board_view.invalidate();
            }
            Response::Error(e) => {
                if matches!(self.person, Loadable::Loading) {
                    self.person = Loadable::Failed(e.clone());
                }
                self.message = Some(e);
            }
        }
    }

    /// Apply one command from a view.
    pub fn apply(&mut self, command: Command) {
        let ctx = self.view_context();
        match command {
            Command::Navigate(s) => {
                self.state.screen = s;
                if matches!(s, Screen::Sources | Screen::Audit) {
                    self.send(Request::Overview);
                }
                if s == Screen::Board {
                    self.send(Request::Board { as_of: ctx.today });
                }
                if s == Screen::Chc {
                    self.send(Request::ChcCaseload { today: ctx.today });
                }
                if s == Screen::Search {
                    self.search.focus();
                }
            }
            Command::SearchName { text, dob } => {
                self.search_seq += 1;
                self.send(Request::Search {
                    seq: self.search_seq,
                    text,
                    dob,
                });
            }
            Command::FindNhs(nhs) => {
                self.search_seq += 1;
                self.send(Request::FindNhs {
                    seq: self.search_seq,
                    nhs,
                });
            }
            Command::OpenPerson(id) => {
                self.close_other_record(id);
                self.person = Loadable::Loading;
                self.state.screen = Screen::Person;
                self.send(Request::LoadPerson {
                    id,
                    today: ctx.today,
                    now: ctx.now,
                });
            }
            Command::PickFilesToImport => self.pick_files(),
            Command::ImportFiles(paths) => {
                let options = ImportOptions {
                    shift_days: 0,
                    test_range_only: self.config.is_training,
                };
                self.import = Some(ImportState::Reading {
                    done: 0,
                    total: paths.len(),
                    file: String::new(),
                    items: 0,
                });
                self.send(Request::ParseFiles { paths, options });
            }
            Command::ApplyImport => {
                if let Some(ImportState::Review(files)) = self.import.take() {
                    self.import = Some(ImportState::Applying);
                    self.send(Request::ApplyImport { files, now: ctx.now });
                }
            }
            Command::DiscardImport => self.import = None,
            Command::SaveRejections => {
                if let Some(ImportState::Review(files)) = &self.import {
                    let rejections: Vec<_> = files
                        .iter()
                        .filter_map(|f| f.result.as_ref().ok())
                        .flat_map(|p| p.rejections.iter().cloned())
                        .collect();
                    let csv = crate::import::rejections_csv(&rejections);
                    self.save_in_background("rejected-rows.csv".into(), "CSV", "csv", csv);
                }
            }
            Command::CancelImport => {
                if let Some(db) = &self.db {
                    db.cancel_import();
                }
            }
            Command::FindMatches(person_id) => self.send(Request::FindMatches { person_id }),
            Command::LinkPerson { from, to } => {
                self.matches.remove(&from);
                self.send(Request::Matching {
                    action: MatchAction::Link { from, to },
                    now: ctx.now,
                });
            }
            Command::RejectMatch {
                person_id,
                candidate_id,
            } => {
                if let Some(list) = self.matches.get_mut(&person_id) {
                    list.retain(|c| c.person.id != candidate_id);
                }
                self.send(Request::Matching {
                    action: MatchAction::Reject {
                        person_id,
                        candidate_id,
                    },
                    now: ctx.now,
                });
            }
            Command::UndoLink(link_id) => self.send(Request::Matching {
                action: MatchAction::Undo { link_id },
                now: ctx.now,
            }),
            Command::OpenChc(id) => {
                self.close_other_record(id);
                self.person = Loadable::Loading;
                self.state.screen = Screen::Chc;
                self.chc_view.form = None;
                self.chc_view.fast_track = None;
                self.send(Request::LoadPerson {
                    id,
                    today: ctx.today,
                    now: ctx.now,
                });
            }
            Command::RecordChc { person_id, assessment } => {
                self.send(Request::RecordChc {
                    person_id,
                    assessment,
                    today: ctx.today,
                    now: ctx.now,
                });
                self.send(Request::ChcCaseload { today: ctx.today });
            }
            Command::PrintChc { person_id, episode_id } => self.print_chc(person_id, episode_id),
            Command::RefreshBoard => self.send(Request::Board { as_of: ctx.today }),
            Command::ExportBoardCsv => self.export_board_csv(),
            Command::ChangeSpell {
                person_id,
                episode_id,
                change,
            } => {
                self.send(Request::ChangeSpell {
                    person_id,
                    episode_id,
                    change,
                    today: ctx.today,
                    now: ctx.now,
                });
                if self.board.is_some() {
                    self.send(Request::Board { as_of: ctx.today });
                }
            }
            Command::LoadTrainingData => self.send(Request::SeedTraining {
                today: ctx.today,
                now: ctx.now,
            }),
            Command::RevealRecord { person_id, reason } => {
                let mut hidden = 0;
                if let Loadable::Ready(p) = &mut self.person
                    && p.record.person.id == person_id
                {
                    hidden = p.record.restricted_count();
                    p.revealed = true;
                }
                self.revealed_person = Some(person_id);
                self.send(Request::Reveal(AuditEvent {
                    id: 0,
                    at: ctx.now,
                    actor: self.actor(),
                    action: "break_glass".into(),
                    person_id: Some(person_id),
                    detail: format!("showed the record's {hidden} restricted item(s) until it is closed"),
                    reason: Some(reason),
                }));
            }
            Command::CloseRecord => {
                // Nothing of the closed record stays on screen, the search included.
                self.person = Loadable::Idle;
                self.revealed_person = None;
                self.search = SearchView::default();
                self.search.focus();
                self.search_results = None;
                self.state.screen = Screen::Search;
            }
        }
    }

    /// Opening another person closes the open record: a reveal does not carry over.
    fn close_other_record(&mut self, id: i64) {
        if self.revealed_person.is_some_and(|r| r != id) {
            self.revealed_person = None;
        }
    }

    /// Save the board as CSV.
    fn export_board_csv(&mut self) {
        let Some(board) = &self.board else { return };
        let rows: Vec<_> = self.board_view.shown_rows(board).cloned().collect();
        let mut csv = crate::domain::board_export::board_csv(&rows);
        if self.config.is_training {
            csv = format!("{}\n{csv}", crate::domain::governance::TRAINING_WATERMARK);
        }
        let name = format!("discharge-board-{}.csv", board.as_of);
        self.save_in_background(name, "CSV", "csv", csv);
        self.audit_export(
            None,
            format!("exported the discharge board ({} rows) as CSV", rows.len()),
        );
    }

    /// Save a printable summary of a CHC Checklist or DST (HTML that prints on A4).
    fn print_chc(&mut self, person_id: i64, episode_id: i64) {
        let Some(p) = self.person().filter(|p| p.record.person.id == person_id) else {
            return;
        };
        let Some(a) = p.record.chc.iter().find(|a| a.episode_id == episode_id) else {
            return;
        };
        let ctx = self.view_context();
        let watermark = self.config.is_training.then_some("TRAINING");
        let html = crate::report::chc_html::chc_assessment_html(&p.record.person, a, ctx.today, watermark);
        let name = format!("chc-{}-{}.html", crate::store::enum_code(&a.kind), a.completed_on);
        self.save_in_background(name, "Web page (prints on A4)", "html", html);
        self.audit_export(Some(person_id), format!("saved a printable CHC summary #{episode_id}"));
    }

    fn audit_export(&self, person_id: Option<i64>, detail: String) {
        let ctx = self.view_context();
        self.send(Request::Audit(AuditEvent {
            id: 0,
            at: ctx.now,
            actor: self.actor(),
            action: "export".into(),
            person_id,
            detail,
            reason: None,
        }));
    }

    /// Ask where to save and write the file, on a thread of its own so no frame waits.
    fn save_in_background(&mut self, name: String, filter: &'static str, ext: &'static str, contents: String) {
        let (tx, rx) = channel();
        let spawned = std::thread::Builder::new().name("save-dialog".into()).spawn(move || {
            let Some(path) = rfd::FileDialog::new()
                .set_file_name(&name)
                .add_filter(filter, &[ext])
                .save_file()
            else {
                return;
            };
            let result = std::fs::write(&path, contents)
                .map(|_| path.display().to_string())
                .map_err(|e| e.to_string());
            let _ = tx.send(result);
        });
        match spawned {
            Ok(_) => self.saver = Some(rx),
            Err(e) => self.message = Some(format!("The save dialog could not open: {e}")),
        }
    }

    /// The native file dialog runs on its own thread so no frame waits for it.
    fn pick_files(&mut self) {
        let (tx, rx) = channel();
        let spawned = std::thread::Builder::new().name("file-dialog".into()).spawn(move || {
            let files = rfd::FileDialog::new()
                .set_title("Import files")
                .add_filter("Supported files", &["json", "csv", "txt", "hl7"])
                .add_filter("All files", &["*"])
                .pick_files()
                .unwrap_or_default();
            let _ = tx.send(files);
        });
        match spawned {
            Ok(_) => self.picker = Some(rx),
            Err(e) => self.message = Some(format!("The file dialog could not open: {e}")),
        }
    }

    /// Draw everything. Called by eframe every frame, and by tests.
    pub fn ui_root(&mut self, ui: &mut egui::Ui) {
        self.receive();
        let mut commands = Vec::new();
        if let Some(rx) = &self.picker
            && let Ok(files) = rx.try_recv()
        {
            self.picker = None;
            if !files.is_empty() {
                commands.push(Command::ImportFiles(files));
            }
        }
        if let Some(rx) = &self.saver
            && let Ok(result) = rx.try_recv()
        {
            self.saver = None;
            self.message = Some(match result {
                Ok(path) => format!("Saved {path}."),
                Err(e) => format!("The file could not be saved: {e}"),
            });
        }
        let dropped: Vec<PathBuf> = ui.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_path_buf())
                .filter(|p| !p.as_os_str().is_empty())
                .collect()
        });
        if !dropped.is_empty() {
            commands.push(Command::ImportFiles(dropped));
        }
        let ctx = self.view_context();
        if self.config.is_training {
            egui::Panel::top("training-banner")
                .frame(egui::Frame::new().fill(theme::TRAINING).inner_margin(4))
                .show(ui, |ui| {
                    ui.vertical_centered(|ui| {
                        ui.label(
                            RichText::new("TRAINING: synthetic people only, dates shifted so each story is current")
                                .color(egui::Color32::BLACK)
                                .strong(),
                        );
                    });
                });
        }
        egui::Panel::bottom("status").show(ui, |ui| {
            let role = self.config.role.map(|r| r.label()).unwrap_or("role not chosen yet");
            ui.label(RichText::new(format!("{} | {role}", self.config.actor)).weak());
        });
        if self.config.role.is_none() {
            // Until a role is chosen the window shows nothing of the record.
            if let Some(role) = super::views::role_picker::role_picker_ui(ui, &self.config.actor) {
                self.config.role = Some(role);
                self.send(Request::SetActor(self.actor()));
            }
            return;
        }
        // A screen kept from an earlier session under another role.
        if self.state.screen == Screen::Audit && !self.config.role.is_some_and(|r| r.sees_audit_screen()) {
            self.state.screen = Screen::Search;
        }
        egui::Panel::top("navigation").show(ui, |ui| {
            ui.horizontal(|ui| {
                ui.label(RichText::new("Joined-Up Care Record").strong());
                ui.separator();
                for s in Screen::NAV {
                    if s == Screen::Audit && !self.config.role.is_some_and(|r| r.sees_audit_screen()) {
                        continue;
                    }
                    let enabled =
                        !matches!(s, Screen::Person | Screen::Plans) || !matches!(self.person, Loadable::Idle);
                    if ui
                        .add_enabled(enabled, egui::Button::selectable(self.state.screen == s, s.label()))
                        .clicked()
                    {
                        commands.push(Command::Navigate(s));
                    }
                }
                ui.separator();
                if ui.button("Import…").clicked() {
                    commands.push(Command::PickFilesToImport);
                }
            });
        });
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
        if let Some(fatal) = &self.fatal {
            egui::CentralPanel::default().show(ui, |ui| {
                ui.heading("Joined-Up Care Record cannot start");
                ui.label(RichText::new(fatal).color(theme::WARNING));
            });
            return;
        }
        let is_empty = self.overview.as_ref().is_some_and(|o| o.people == 0);
        match self.state.screen {
            Screen::Person => match &self.person {
                Loadable::Ready(p) => commands.extend(self.person_view.ui(ui, &ctx, p)),
                Loadable::Loading => {
                    egui::CentralPanel::default().show(ui, |ui| {
                        ui.spinner();
                    });
                }
                Loadable::Failed(e) => {
                    egui::CentralPanel::default().show(ui, |ui| {
                        ui.label(RichText::new(e).color(theme::WARNING));
                    });
                }
                Loadable::Idle => commands.push(Command::Navigate(Screen::Search)),
            },
            Screen::Search if is_empty => {
                egui::CentralPanel::default().show(ui, |ui| commands.extend(welcome::welcome_ui(ui, &ctx)));
            }
            Screen::Search => {
                let results = self.search_results.as_deref();
                let recent = &self.recent;
                let search = &mut self.search;
                egui::CentralPanel::default().show(ui, |ui| commands.extend(search.ui(ui, &ctx, results, recent)));
            }
            Screen::Board => {
                let board = self.board.as_ref();
                let view = &mut self.board_view;
                egui::CentralPanel::default().show(ui, |ui| commands.extend(view.ui(ui, board)));
            }
            Screen::Chc => {
                let caseload = self.chc_caseload.as_deref();
                let person = match &self.person {
                    Loadable::Ready(p) => Some(&**p),
                    _ => None,
                };
                commands.extend(self.chc_view.ui(ui, &ctx, caseload, person));
            }
            Screen::Plans => {
                let person = match &self.person {
                    Loadable::Ready(p) => Some(&**p),
                    _ => None,
                };
                let view = &mut self.plans_view;
                egui::CentralPanel::default().show(ui, |ui| view.ui(ui, &ctx, person));
            }
            Screen::Sources => {
                let empty = Overview::default();
                let overview = self.overview.as_ref().unwrap_or(&empty);
                let matches = &self.matches;
                egui::CentralPanel::default()
                    .show(ui, |ui| commands.extend(sources::sources_ui(ui, overview, matches)));
            }
            Screen::Audit => {
                let events = self.overview.as_ref().map(|o| o.audit.as_slice()).unwrap_or_default();
                let view = &mut self.audit_view;
                egui::CentralPanel::default().show(ui, |ui| view.ui(ui, events));
            }
        }
        if let Some(state) = &self.import {
            commands.extend(import_ui(ui.ctx(), state));
        }
        for c in commands {
            self.apply(c);
        }
        self.state.filter = self.person_view.filter.clone();
        self.state.list_follows_axis = self.person_view.list_follows_axis;
        self.state.board_filter = self.board_view.filter.clone();
    }

    /// For tests: choose the board's pathway filter as the combo box would.
    pub fn set_board_pathway_filter(&mut self, pathway: Option<u8>) {
        self.board_view.filter.pathway = pathway;
    }

    pub fn chc_caseload(&self) -> Option<&[CaseloadRow]> {
        self.chc_caseload.as_deref()
    }

    pub fn board(&self) -> Option<&BoardData> {
        self.board.as_ref()
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
