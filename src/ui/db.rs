//! The database thread. It owns the window's [`Service`] (and so its only
//! connection); the UI sends [`Request`]s and drains [`Response`]s, so no frame ever
//! waits on SQL or file I/O. Every request is one service operation: the disclosure
//! policy and the audit live there, not here.

mod importing;
mod messages;

pub use messages::*;

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, channel};
use std::time::Duration;

use chrono::NaiveDateTime;

use crate::import;
use crate::service::{Service, ServiceError};

/// How many people a name search returns: one more than the search screen shows,
/// so it can say there are more.
pub const SEARCH_RESULTS: usize = 51;

/// How often an idle database thread looks for other users' changes: well within
/// the 2 s in which another coordinator's change must show.
pub const LIVE_POLL: Duration = Duration::from_millis(500);

/// The longest wait between attempts to reach a server again.
const RECONNECT_WAIT_MAX: Duration = Duration::from_secs(5);

/// The UI's end of the channels.
pub struct DbClient {
    tx: Sender<Request>,
    rx: Receiver<Response>,
    cancel: Arc<AtomicBool>,
}

impl DbClient {
    /// Start the database thread on a service. `wake` is called after every
    /// response so the UI repaints (it is `Context::request_repaint`).
    pub fn start(service: Service, wake: impl Fn() + Send + 'static) -> Self {
        let (tx, req_rx) = channel::<Request>();
        let (resp_tx, rx) = channel::<Response>();
        let cancel = Arc::new(AtomicBool::new(false));
        let worker = Worker {
            service,
            out: resp_tx,
            wake: Box::new(wake),
            cancel: cancel.clone(),
            stopped: false,
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
    service: Service,
    out: Sender<Response>,
    wake: Box<dyn Fn() + Send>,
    cancel: Arc<AtomicBool>,
    /// The server refused this user's session on reconnecting: nothing more is done.
    stopped: bool,
}

type Handled = Result<Option<Response>, ServiceError>;

impl Worker {
    fn run(mut self, requests: Receiver<Request>) {
        // Watch from the start, so no change made while the window opens is missed.
        let _ = self.look_for_changes();
        let mut last_look = std::time::Instant::now();
        loop {
            // Look for others' changes every LIVE_POLL, busy or idle.
            let wait = LIVE_POLL.saturating_sub(last_look.elapsed());
            let response = match requests.recv_timeout(wait) {
                Ok(request) => self.handle(request),
                Err(RecvTimeoutError::Timeout) => None,
                Err(RecvTimeoutError::Disconnected) => return,
            };
            if let Some(r) = response
                && self.out.send(r).is_err()
            {
                return;
            }
            if last_look.elapsed() >= LIVE_POLL {
                last_look = std::time::Instant::now();
                if let Some(r) = self.look_for_changes()
                    && self.out.send(r).is_err()
                {
                    return;
                }
            }
            (self.wake)();
            if self.stopped {
                return;
            }
        }
    }

    /// Idle: what other users changed, for the window to refresh what it shows.
    fn look_for_changes(&mut self) -> Option<Response> {
        match self.service.changes() {
            Ok(changed) => changed.map(Response::Changed),
            Err(e) if is_disconnected(&e) => {
                self.reconnect(e.to_string());
                None
            }
            Err(e) => {
                tracing::warn!("could not look for other users' changes: {e}");
                None
            }
        }
    }

    /// The server connection was lost: say so and try again, waiting longer each
    /// time (up to a few seconds), until it answers or the window closes. Requests
    /// made meanwhile wait in the channel and are answered once connected.
    fn reconnect(&mut self, mut why: String) {
        let mut wait = Duration::from_millis(250);
        for attempt in 1.. {
            let state = ConnectionState::Reconnecting {
                attempt,
                why: why.clone(),
            };
            if self.out.send(Response::Connection(state)).is_err() {
                return;
            }
            (self.wake)();
            std::thread::sleep(wait);
            match self.service.reconnect() {
                Ok(()) => {
                    self.emit(Response::Session(Box::new(self.service.session_info())));
                    self.emit(Response::Connection(ConnectionState::Reconnected));
                    return;
                }
                // Signed in again, but not as this window's user and role: stop.
                Err(ServiceError::Refused(why)) => {
                    self.emit(Response::SignInRefused(why));
                    self.stopped = true;
                    return;
                }
                Err(e) => why = e.to_string(),
            }
            wait = (wait * 2).min(RECONNECT_WAIT_MAX);
        }
    }

    fn emit(&self, r: Response) {
        let _ = self.out.send(r);
        (self.wake)();
    }

    fn person(p: crate::service::LoadedPerson) -> Option<Response> {
        Some(Response::Person(Box::new(p)))
    }

    fn handle(&mut self, request: Request) -> Option<Response> {
        let now = chrono::Local::now().naive_local();
        let s = &mut self.service;
        let result: Handled = match request {
            Request::Search { seq, text, dob } => s
                .search_people(&text, dob, SEARCH_RESULTS, now)
                .map(|results| Some(Response::SearchResults { seq, results })),
            Request::FindNhs { seq, nhs } => s
                .find_by_nhs(nhs, now)
                .map(|person| Some(Response::NhsResult { seq, nhs, person })),
            Request::LoadPerson { id, today, now } => s.open_record(id, today, now).map(Self::person),
            Request::Recent => s.recent_people(10).map(|r| Some(Response::Recent(r))),
            Request::SetRole(role) => {
                s.set_role(role);
                s.stand_in_for_training_coordinator(now)
                    .map(|()| Some(Response::Session(Box::new(s.session_info()))))
            }
            Request::Sources => s.sources().map(|v| Some(Response::Sources(v))),
            Request::Overview => s.overview(now.date()).map(|o| Some(Response::Overview(Box::new(o)))),
            Request::ParseFiles { paths, now } => Ok(Some(self.parse_files(paths, now))),
            Request::ApplyImport { files, now } => Ok(Some(self.apply(files, now))),
            Request::Board { as_of } => s.board(as_of, now).map(|b| Some(Response::Board(Box::new(b)))),
            Request::Sitrep { date, trend_days } => s
                .sitrep_with_trends(date, trend_days, now)
                .map(|r| Some(Response::Sitrep(Box::new(r)))),
            Request::ChangeSpell {
                person_id,
                episode_id,
                revision,
                changes,
                today,
                now,
            } => s
                .change_spell(person_id, episode_id, revision, &changes, today, now)
                .map(Self::person),
            Request::FindMatches { person_id } => s
                .match_candidates(person_id, 10)
                .map(|candidates| Some(Response::Matches { person_id, candidates })),
            Request::Matching { action, now } => self.matching(action, now),
            Request::ChcCaseload { today } => s.chc_caseload(today, now).map(|c| Some(Response::ChcCaseload(c))),
            Request::RecordChc {
                person_id,
                assessment,
                today,
                now,
            } => s.record_chc(person_id, &assessment, today, now).map(Self::person),
            Request::RevisePlan {
                person_id,
                plan_id,
                based_on,
                draft,
                now,
            } => s
                .revise_plan(person_id, plan_id, &draft, based_on, now)
                .map(Self::person),
            Request::RecordChcDecision {
                person_id,
                episode_id,
                decision,
                today,
                now,
            } => s
                .record_chc_decision(person_id, episode_id, &decision, None, today, now)
                .map(Self::person),
            Request::Reveal {
                person_id,
                reason,
                kind,
                today,
                now,
            } => s.reveal_as(kind, person_id, &reason, today, now).map(Self::person),
            Request::CloseRecord { person_id } => {
                s.close_record(person_id);
                Ok(None)
            }
            Request::PrintPreview { what, today, now } => s
                .print_preview(&what, today, now)
                .map(|p| Some(Response::PrintPreview(Box::new((*what, p))))),
            Request::Save { what, path, today, now } => {
                Ok(Some(Response::Saved(Self::save(s, &what, path, today, now))))
            }
            Request::SeedTraining { today, now } => s.seed_training(today, now).map(|_| Some(Response::TrainingSeeded)),
            Request::RefreshPerson { id, today } => s
                .refresh_record(id, today)
                .map(|p| Some(Response::PersonRefreshed(Box::new(p)))),
            Request::RefreshBoard { as_of } => s.refresh_board(as_of).map(|b| Some(Response::Board(Box::new(b)))),
            Request::RefreshCaseload { today } => s.refresh_caseload(today).map(|c| Some(Response::ChcCaseload(c))),
            Request::Worklist { as_of, now } => s
                .worklist_screen(as_of, now)
                .map(|w| Some(Response::Worklist(Box::new(w)))),
            Request::RefreshWorklist { as_of } => s
                .refresh_worklist_screen(as_of)
                .map(|w| Some(Response::Worklist(Box::new(w)))),
            Request::WorklistAction { action, as_of, now } => Self::worklist_action(s, action, as_of, now),
            Request::Follow {
                person_id,
                follow,
                today,
                now,
            } => s
                .set_following(person_id, follow, today, now)
                .map(|p| Some(Response::PersonRefreshed(Box::new(p)))),
            Request::AuditLog { range } => s.audit_log(range).map(|l| Some(Response::AuditLog(Box::new(l)))),
            Request::VerifyAudit => Ok(Some(Response::AuditVerified(Box::new(
                s.verify_audit().map_err(|e| e.to_string()),
            )))),
            Request::TrainingStories => s.training_stories().map(|t| Some(Response::TrainingStories(t))),
            Request::ResetTraining { today, now } => {
                s.reset_training(today, now).map(|()| Some(Response::TrainingReset))
            }
            Request::CheckAlerts { changed, as_of } => s
                .check_alerts(&changed, as_of, chrono::Local::now().naive_local())
                .map(|c| (!c.alerts.is_empty() || c.not_checked > 0).then_some(Response::Alerts(c))),
        };
        match result {
            Ok(response) => response,
            Err(e) if is_disconnected(&e) => {
                // Whatever was in hand was not kept: say so, then connect again.
                self.emit(Response::Error(e.to_string()));
                self.reconnect(e.to_string());
                None
            }
            Err(e) => Some(Response::Error(e.to_string())),
        }
    }

    fn matching(&mut self, action: MatchAction, now: NaiveDateTime) -> Handled {
        let s = &mut self.service;
        match action {
            MatchAction::Link { from, to } => s.link_person(from, to, now).map(|_| ()),
            MatchAction::Reject {
                person_id,
                candidate_id,
            } => s.reject_match(person_id, candidate_id, now),
            MatchAction::Undo { link_id } => s.undo_link(link_id, now),
        }?;
        s.overview(now.date()).map(|o| Some(Response::Overview(Box::new(o))))
    }

    /// One change from the worklist screen (audited by the service), then the
    /// worklist as it is now.
    fn worklist_action(
        s: &mut Service,
        action: WorklistAction,
        as_of: chrono::NaiveDate,
        now: NaiveDateTime,
    ) -> Handled {
        match action {
            WorklistAction::MarkAllSeen(shown) => s.mark_worklist_seen(as_of, now, Some(&shown)).map(|_| ()),
            WorklistAction::MarkSeen { person_id, key } => s.mark_event_seen(person_id, &key, as_of, now),
            WorklistAction::Acknowledge { person_id, key } => s.acknowledge_event(person_id, &key, as_of, now),
            WorklistAction::AddTask(task) => s.add_task(*task, as_of, now).map(|_| ()),
            WorklistAction::SetTaskStatus { id, version, status } => {
                let edit = crate::service::TaskEdit {
                    status: Some(status),
                    version: Some(version),
                    ..Default::default()
                };
                s.update_task(id, edit, now).map(|_| ())
            }
        }?;
        s.refresh_worklist_screen(as_of)
            .map(|w| Some(Response::Worklist(Box::new(w))))
    }

    /// The output is audited before the file is written; if the audit fails, no file.
    fn save(
        s: &mut Service,
        what: &crate::service::OutputKind,
        path: PathBuf,
        today: chrono::NaiveDate,
        now: NaiveDateTime,
    ) -> Result<(String, Option<String>), String> {
        let exported = s.output(what, today, now).map_err(|e| e.to_string())?;
        // The save dialog has asked before replacing a file.
        crate::service::write_private(&path, &exported.bytes, true).map_err(|e| e.to_string())?;
        let mut notes = Vec::new();
        if exported.restricted_left_out > 0 {
            notes.push(format!(
                "{} restricted item(s) left out: give a reason on the record to include them.",
                exported.restricted_left_out
            ));
        }
        if exported.not_carried > 0 {
            notes.push(format!(
                "{} item(s) have no FHIR form here (social care reviews, safeguarding, CHC) and are not in the FHIR file.",
                exported.not_carried
            ));
        }
        let note = (!notes.is_empty()).then(|| notes.join(" "));
        Ok((path.display().to_string(), note))
    }
}

/// The server connection was lost (as opposed to a refusal or a bad input).
fn is_disconnected(e: &ServiceError) -> bool {
    matches!(e, ServiceError::Store(crate::store::StoreError::Disconnected(_)))
}
