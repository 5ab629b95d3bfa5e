//! What the window and the database thread say to each other: the requests, the
//! responses, and the values they carry.

use std::path::PathBuf;

use chrono::{NaiveDate, NaiveDateTime};

use crate::domain::NhsNumber;
use crate::domain::chc_case::CaseloadRow;
use crate::domain::governance::{Reason, Role};
use crate::domain::import_preview::ImportPreview;
use crate::import::Parsed;
use crate::service::OutputKind;
pub use crate::service::{
    ACCESS_SHOWN, AlertCheck, BoardData, LISTED, LoadedPerson, NewTask, Overview, SitrepData, WorklistScreen,
};
use crate::store::{PersonSummary, SpellChange};

/// One file read and checked, waiting for the user's choice: what it holds and who
/// it will bring in (nothing of it written yet).
#[derive(Debug, Clone)]
pub struct ParsedFile {
    pub path: PathBuf,
    pub result: Result<Checked, String>,
}

/// A file that was read and checked, with its preview.
#[derive(Debug, Clone)]
pub struct Checked {
    pub parsed: Parsed,
    pub preview: ImportPreview,
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
    /// The user chose their role: write it to every audit event from now on (on a
    /// server the role stays the server's). Answered with the session as it is now.
    SetRole(Role),
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
    RevisePlan {
        person_id: i64,
        plan_id: i64,
        based_on: u32,
        draft: Box<crate::domain::care_plan_rules::PlanDraft>,
        now: NaiveDateTime,
    },
    RecordChcDecision {
        person_id: i64,
        episode_id: i64,
        decision: crate::domain::chc::IcbDecision,
        today: NaiveDate,
        now: NaiveDateTime,
    },
    /// Read and check files for the report (the service decides the options: in
    /// training only test-range NHS numbers).
    /// Read and check files and preview who they bring in; nothing is written.
    ParseFiles {
        paths: Vec<PathBuf>,
        now: NaiveDateTime,
    },
    ApplyImport {
        files: Vec<ParsedFile>,
        now: NaiveDateTime,
    },
    /// Items and last import per source: a scan of every item (about a second on
    /// 5 million), so asked for only by the Sources screen, not with the overview.
    Sources,
    /// Show a person's restricted items until the record is closed: the reason is
    /// audited, then the whole record comes back.
    Reveal {
        person_id: i64,
        reason: Reason,
        kind: crate::service::RevealKind,
        today: NaiveDate,
        now: NaiveDateTime,
    },
    /// The record was closed: its restricted items are hidden when next opened.
    CloseRecord {
        person_id: i64,
    },
    /// The pages a print would have, for the preview (only of the open record).
    PrintPreview {
        what: Box<OutputKind>,
        today: NaiveDate,
        now: NaiveDateTime,
    },
    /// Make an output (audited first), then write it to the file the user chose.
    Save {
        what: Box<OutputKind>,
        path: PathBuf,
        today: NaiveDate,
        now: NaiveDateTime,
    },
    Board {
        as_of: NaiveDate,
    },
    /// Another user changed the open record: its newer state, unaudited (it was
    /// audited when opened), keeping the view's place.
    RefreshPerson {
        id: i64,
        today: NaiveDate,
    },
    /// Another user changed the data behind the open board.
    RefreshBoard {
        as_of: NaiveDate,
    },
    /// Another user changed the data behind the open CHC caseload.
    RefreshCaseload {
        today: NaiveDate,
    },
    Sitrep {
        date: NaiveDate,
        trend_days: i64,
    },
    ChangeSpell {
        person_id: i64,
        episode_id: i64,
        revision: i64,
        changes: Vec<SpellChange>,
        today: NaiveDate,
        now: NaiveDateTime,
    },
    SeedTraining {
        today: NaiveDate,
        now: NaiveDateTime,
    },
    /// The acting user's worklist screen (audited), kept current while open.
    Worklist {
        as_of: NaiveDate,
        now: NaiveDateTime,
    },
    /// Another user changed the data behind the open worklist.
    RefreshWorklist {
        as_of: NaiveDate,
    },
    /// One change on the worklist, audited; the worklist comes back.
    WorklistAction {
        action: WorklistAction,
        as_of: NaiveDate,
        now: NaiveDateTime,
    },
    /// Follow or stop following the open record's person; the record comes back.
    Follow {
        person_id: i64,
        follow: bool,
        today: NaiveDate,
        now: NaiveDateTime,
    },
    /// The data changed: which new worklist events match the user's alert rules.
    CheckAlerts {
        changed: crate::store::Changed,
        as_of: NaiveDate,
    },
    /// The audit screen: the newest events of these dates, with their people.
    AuditLog {
        range: crate::domain::audit_log::AuditRange,
    },
    /// "Verify log": the audit log's own check.
    VerifyAudit,
    /// The trainers' panel: each training story with its person.
    TrainingStories,
    /// Rebuild the training database from the fixtures (refused outside training).
    ResetTraining {
        today: NaiveDate,
        now: NaiveDateTime,
    },
}

/// What a coordinator does from the worklist screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WorklistAction {
    /// The events (person, key as shown) on the screen when it was pressed.
    MarkAllSeen(Vec<(i64, String)>),
    MarkSeen {
        person_id: i64,
        key: String,
    },
    Acknowledge {
        person_id: i64,
        key: String,
    },
    AddTask(Box<NewTask>),
    /// Start, finish or cancel a task, made on the version shown.
    SetTaskStatus {
        id: i64,
        version: i64,
        status: crate::domain::worklist::TaskStatus,
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
    /// The newer state of the open record (another user changed it).
    PersonRefreshed(Box<LoadedPerson>),
    /// Other users changed these records since the last look.
    Changed(crate::store::Changed),
    Connection(ConnectionState),
    /// A file was written (its path and a note on what it left out), or why not.
    Saved(Result<(String, Option<String>), String>),
    /// A print's pages, for the preview before it is saved.
    PrintPreview(Box<(OutputKind, crate::service::PrintPreview)>),
    Recent(Vec<PersonSummary>),
    /// Who is acting and where, for the status bar (after the role was chosen, and
    /// after connecting to the server again).
    Session(Box<crate::service::SessionInfo>),
    /// Connecting again, the server signed this login in with another role than
    /// the window's: the database thread has stopped.
    SignInRefused(String),
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
    Sitrep(Box<SitrepData>),
    Worklist(Box<WorklistScreen>),
    /// New worklist events that match the user's alert rules.
    Alerts(AlertCheck),
    ChcCaseload(Vec<CaseloadRow>),
    AuditLog(Box<crate::service::AuditLog>),
    /// What "Verify log" found, or why it could not look.
    AuditVerified(Box<Result<crate::store::AuditReport, String>>),
    TrainingStories(Vec<crate::service::StoryLine>),
    /// The training database was rebuilt from the fixtures.
    TrainingReset,
    Matches {
        person_id: i64,
        candidates: Vec<crate::store::MatchCandidate>,
    },
    Error(String),
}

/// The database thread's connection to a team's server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConnectionState {
    /// Lost: trying again (the `attempt`th time), and why the last try failed.
    Reconnecting { attempt: u32, why: String },
    /// Connected again after being lost: what is on screen is read again.
    Reconnected,
}

/// A coordinator's decision in the matching queue.
#[derive(Debug, Clone, Copy)]
pub enum MatchAction {
    Link { from: i64, to: i64 },
    Reject { person_id: i64, candidate_id: i64 },
    Undo { link_id: i64 },
}
