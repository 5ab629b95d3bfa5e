//! The database thread. It owns the only connection the window uses; the UI sends
//! [`Request`]s and drains [`Response`]s, so no frame ever waits on SQL or file I/O.

mod importing;
mod loads;
mod messages;

pub use messages::*;

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};

use chrono::{NaiveDate, NaiveDateTime};

use crate::domain::findings::all_findings;
use crate::import::{self, ImportOptions};
use crate::store::{AuditEvent, Store};
use crate::ui::views::board::BoardData;
use crate::ui::views::chc::CaseloadRow;

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
