//! The database thread. It owns the only connection the window uses; the UI sends
//! [`Request`]s and drains [`Response`]s, so no frame ever waits on SQL or file I/O.

mod importing;
mod loads;

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};

use chrono::{NaiveDate, NaiveDateTime};

use crate::domain::findings::{Finding, all_findings};
use crate::domain::{NhsNumber, PersonRecord};
use crate::import::{self, ImportOptions, Parsed};
use crate::store::{AuditEvent, ImportRun, PersonSummary, SpellChange, SpellChangeRecord, Store};
use crate::ui::views::board::BoardData;
use crate::ui::views::chc::CaseloadRow;

/// A person as the person screen needs them: the record and its findings, computed
/// once when loaded.
#[derive(Debug, Clone)]
pub struct LoadedPerson {
    pub record: PersonRecord,
    pub findings: Vec<Finding>,
    /// Coordinators' changes to the person's hospital spells, newest first.
    pub spell_changes: Vec<SpellChangeRecord>,
    /// Who has looked at this record, newest first (the audit log's events for the person).
    pub access: Vec<AuditEvent>,
    /// The user gave a reason to see the restricted items; lasts until the record is
    /// closed (the window keeps it across reloads of the same record).
    pub revealed: bool,
    /// How many items are restricted (`PersonRecord::restricted_count`), counted once
    /// when loaded rather than in every frame.
    pub restricted: usize,
}

impl LoadedPerson {
    /// Shown only as a "restricted item" placeholder: lane and date, never the detail.
    pub fn is_hidden(&self, e: &crate::domain::Episode) -> bool {
        !self.revealed && self.record.is_restricted_item(e)
    }

    /// How many restricted items are hidden now: none once a reason was given.
    pub fn hidden_count(&self) -> usize {
        if self.revealed { 0 } else { self.restricted }
    }

    /// The whole record is sealed (a restricted person) and no reason has been given.
    pub fn is_sealed(&self) -> bool {
        !self.revealed && self.record.person.is_restricted
    }
}

/// How many people the Sources screen lists in each list (sources disagree, waiting
/// to be matched); it says so when there are more.
pub const LISTED: usize = 200;

/// How many of a person's audit events the record shows.
pub const ACCESS_SHOWN: usize = 200;

/// What the sources, audit and welcome screens show.
#[derive(Debug, Clone, Default)]
pub struct Overview {
    pub people: i64,
    pub runs: Vec<ImportRun>,
    pub conflicts: Vec<PersonSummary>,
    pub unmatched: Vec<PersonSummary>,
    pub audit: Vec<AuditEvent>,
    pub links: Vec<crate::store::PersonLink>,
}

/// One file read and checked, waiting for the user's choice.
#[derive(Debug, Clone)]
pub struct ParsedFile {
    pub path: PathBuf,
    pub result: Result<Parsed, String>,
}

pub enum Request {
    Search {
        seq: u64,
        text: String,
        dob: Option<NaiveDate>,
    },
    FindNhs {
        seq: u64,
        nhs: NhsNumber,
    },
    LoadPerson {
        id: i64,
        today: NaiveDate,
        now: NaiveDateTime,
    },
    Recent,
    Overview,
    /// The user chose their role: write it to every audit event from now on.
    SetActor(String),
    ChcCaseload {
        today: NaiveDate,
    },
    FindMatches {
        person_id: i64,
    },
    Matching {
        action: MatchAction,
        now: NaiveDateTime,
    },
    RecordChc {
        person_id: i64,
        assessment: Box<crate::domain::ChcAssessment>,
        today: NaiveDate,
        now: NaiveDateTime,
    },
    ParseFiles {
        paths: Vec<PathBuf>,
        options: ImportOptions,
    },
    ApplyImport {
        files: Vec<ParsedFile>,
        now: NaiveDateTime,
    },
    Audit(AuditEvent),
    /// Items and last import per source: a scan of every item (about a second on
    /// 5 million), so asked for only by the Sources screen, not with the overview.
    Sources,
    /// Write a reveal to the audit log and send back the person's access list.
    Reveal(AuditEvent),
    Board {
        as_of: NaiveDate,
    },
    ChangeSpell {
        person_id: i64,
        episode_id: i64,
        change: SpellChange,
        today: NaiveDate,
        now: NaiveDateTime,
    },
    SeedTraining {
        today: NaiveDate,
        now: NaiveDateTime,
    },
}

pub enum Response {
    SearchResults {
        seq: u64,
        results: Vec<PersonSummary>,
    },
    NhsResult {
        seq: u64,
        nhs: NhsNumber,
        person: Option<PersonSummary>,
    },
    Person(Box<LoadedPerson>),
    /// A person's access list after a reveal was written.
    Access {
        person_id: i64,
        access: Vec<AuditEvent>,
    },
    Recent(Vec<PersonSummary>),
    Overview(Box<Overview>),
    Sources(Vec<crate::store::SourceSummary>),
    /// Reading files: `done` of `total` files, and `items` read so far from `file`.
    ImportProgress {
        done: usize,
        total: usize,
        file: String,
        items: usize,
    },
    ImportParsed(Vec<ParsedFile>),
    /// Items written so far while a file is stored.
    WriteProgress {
        done: usize,
        total: usize,
        file: String,
    },
    ImportCancelled,
    ImportApplied(Vec<(String, Result<crate::domain::batch::ImportSummary, String>)>),
    TrainingSeeded,
    Board(Box<BoardData>),
    ChcCaseload(Vec<CaseloadRow>),
    Matches {
        person_id: i64,
        candidates: Vec<crate::store::MatchCandidate>,
    },
    Error(String),
}

/// A coordinator's decision in the matching queue.
#[derive(Debug, Clone, Copy)]
pub enum MatchAction {
    Link { from: i64, to: i64 },
    Reject { person_id: i64, candidate_id: i64 },
    Undo { link_id: i64 },
}

/// The UI's end of the channels.
pub struct DbClient {
    tx: Sender<Request>,
    rx: Receiver<Response>,
    cancel: Arc<AtomicBool>,
}

impl DbClient {
    /// Start the database thread on an opened store. `wake` is called after every
    /// response so the UI repaints (it is `Context::request_repaint`).
    pub fn start(store: Store, actor: String, wake: impl Fn() + Send + 'static) -> Self {
        let (tx, req_rx) = channel::<Request>();
        let (resp_tx, rx) = channel::<Response>();
        let cancel = Arc::new(AtomicBool::new(false));
        let worker = Worker {
            store,
            actor,
            out: resp_tx,
            wake: Box::new(wake),
            cancel: cancel.clone(),
        };
        let spawned = std::thread::Builder::new()
            .name("joinedup-db".into())
            .spawn(move || worker.run(req_rx));
        if let Err(e) = spawned {
            tracing::error!("could not start the database thread: {e}");
        }
        Self { tx, rx, cancel }
    }

    pub fn send(&self, request: Request) {
        if let Request::ParseFiles { .. } | Request::ApplyImport { .. } = request {
            self.cancel.store(false, Ordering::SeqCst);
        }
        if self.tx.send(request).is_err() {
            tracing::error!("the database thread has stopped");
        }
    }

    /// Ask a running import to stop after the current file.
    pub fn cancel_import(&self) {
        self.cancel.store(true, Ordering::SeqCst);
    }

    pub fn try_recv(&self) -> Option<Response> {
        self.rx.try_recv().ok()
    }
}

struct Worker {
    store: Store,
    actor: String,
    out: Sender<Response>,
    wake: Box<dyn Fn() + Send>,
    cancel: Arc<AtomicBool>,
}

impl Worker {
    fn run(mut self, requests: Receiver<Request>) {
        while let Ok(request) = requests.recv() {
            let response = self.handle(request);
            if let Some(r) = response
                && self.out.send(r).is_err()
            {
                return;
            }
            (self.wake)();
        }
    }

    fn emit(&self, r: Response) {
        let _ = self.out.send(r);
        (self.wake)();
    }

    fn audit(&mut self, now: NaiveDateTime, action: &str, person_id: Option<i64>, detail: String) {
        let event = AuditEvent {
            id: 0,
            at: now,
            actor: self.actor.clone(),
            action: action.into(),
            person_id,
            detail,
            reason: None,
        };
        if let Err(e) = self.store.append_audit(&event) {
            tracing::error!("audit write failed: {e}");
        }
    }

    fn handle(&mut self, request: Request) -> Option<Response> {
        let now = chrono::Local::now().naive_local();
        let result: Result<Option<Response>, String> = match request {
            Request::Search { seq, text, dob } => {
                self.audit(
                    now,
                    "search",
                    None,
                    format!(
                        "name search, {} characters{}",
                        text.chars().count(),
                        if dob.is_some() { ", with date of birth" } else { "" }
                    ),
                );
                self.store
                    .search_people(&text, dob, crate::ui::views::search::SEARCH_LIMIT + 1)
                    .map(|results| Some(Response::SearchResults { seq, results }))
                    .map_err(|e| e.to_string())
            }
            Request::FindNhs { seq, nhs } => {
                self.audit(now, "search", None, "NHS number search".into());
                self.store
                    .find_by_nhs_number(nhs)
                    .map(|person| Some(Response::NhsResult { seq, nhs, person }))
                    .map_err(|e| e.to_string())
            }
            Request::LoadPerson { id, today, now } => {
                self.audit(now, "open", Some(id), "opened the record".into());
                let _ = self.store.mark_opened(id, now);
                self.load_person(id, today)
                    .map(|p| Some(Response::Person(Box::new(p))))
                    .map_err(|e| e.to_string())
            }
            Request::Recent => self
                .store
                .recent_people(10)
                .map(|r| Some(Response::Recent(r)))
                .map_err(|e| e.to_string()),
            Request::SetActor(actor) => {
                self.actor = actor;
                Ok(None)
            }
            Request::Sources => self
                .store
                .sources()
                .map(|s| Some(Response::Sources(s)))
                .map_err(|e| e.to_string()),
            Request::Overview => self
                .overview()
                .map(|o| Some(Response::Overview(Box::new(o))))
                .map_err(|e| e.to_string()),
            Request::ParseFiles { paths, options } => Ok(Some(self.parse_files(paths, options))),
            Request::ApplyImport { files, now } => Ok(Some(self.apply(files, now))),
            Request::Board { as_of } => self
                .board(as_of, now)
                .map(|b| Some(Response::Board(Box::new(b))))
                .map_err(|e| e.to_string()),
            Request::ChangeSpell {
                person_id,
                episode_id,
                change,
                today,
                now,
            } => {
                let actor = self.actor.clone();
                match self.store.change_spell(episode_id, &change, &actor, now) {
                    Ok(()) => {
                        self.audit(
                            now,
                            "change_spell",
                            Some(person_id),
                            format!("changed hospital spell #{episode_id}"),
                        );
                        self.load_person(person_id, today)
                            .map(|p| Some(Response::Person(Box::new(p))))
                            .map_err(|e| e.to_string())
                    }
                    Err(e) => Err(e.to_string()),
                }
            }
            Request::FindMatches { person_id } => self
                .store
                .match_candidates(person_id, 10)
                .map(|candidates| Some(Response::Matches { person_id, candidates }))
                .map_err(|e| e.to_string()),
            Request::Matching { action, now } => {
                let actor = self.actor.clone();
                let (result, event) = match action {
                    MatchAction::Link { from, to } => (
                        self.store.link_person(from, to, &actor, now).map(|_| ()),
                        (
                            "match_confirmed",
                            Some(to),
                            format!("linked record #{from} to this person"),
                        ),
                    ),
                    MatchAction::Reject {
                        person_id,
                        candidate_id,
                    } => (
                        self.store.reject_match(person_id, candidate_id, &actor, now),
                        (
                            "match_rejected",
                            Some(person_id),
                            format!("not the same person as #{candidate_id}"),
                        ),
                    ),
                    MatchAction::Undo { link_id } => (
                        self.store.undo_link(link_id, &actor, now),
                        ("match_undone", None, format!("undid link #{link_id}")),
                    ),
                };
                match result {
                    Ok(()) => {
                        self.audit(now, event.0, event.1, event.2);
                        self.overview()
                            .map(|o| Some(Response::Overview(Box::new(o))))
                            .map_err(|e| e.to_string())
                    }
                    Err(e) => Err(e.to_string()),
                }
            }
            Request::ChcCaseload { today } => self
                .chc_caseload(today)
                .map(|c| Some(Response::ChcCaseload(c)))
                .map_err(|e| e.to_string()),
            Request::RecordChc {
                person_id,
                assessment,
                today,
                now,
            } => {
                let actor = self.actor.clone();
                let organisation = "Recorded in joinedup";
                match self
                    .store
                    .record_chc_assessment(person_id, &assessment, organisation, &actor, now)
                {
                    Ok(episode_id) => {
                        self.audit(
                            now,
                            "record_chc",
                            Some(person_id),
                            format!("recorded CHC assessment #{episode_id}"),
                        );
                        self.load_person(person_id, today)
                            .map(|p| Some(Response::Person(Box::new(p))))
                            .map_err(|e| e.to_string())
                    }
                    Err(e) => Err(e.to_string()),
                }
            }
            Request::Audit(event) => self.store.append_audit(&event).map(|_| None).map_err(|e| e.to_string()),
            Request::Reveal(event) => {
                let person_id = event.person_id.unwrap_or_default();
                self.store
                    .append_audit(&event)
                    .and_then(|_| self.store.audit_for_person(person_id, ACCESS_SHOWN))
                    .map(|access| Some(Response::Access { person_id, access }))
                    .map_err(|e| e.to_string())
            }
            Request::SeedTraining { today, now } => crate::training::prepare(&mut self.store, today, now)
                .map(|_| Some(Response::TrainingSeeded))
                .map_err(|e| e.to_string()),
        };
        result.unwrap_or_else(|e| Some(Response::Error(e)))
    }
}
