//! What the window and the database thread say to each other: the requests, the
//! responses, and the values they carry.

use std::path::PathBuf;

use chrono::{NaiveDate, NaiveDateTime};

use crate::domain::NhsNumber;
use crate::domain::PersonRecord;
use crate::domain::findings::Finding;
use crate::import::{ImportOptions, Parsed};
use crate::store::{AuditEvent, ImportRun, PersonSummary, SpellChange, SpellChangeRecord};
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
