//! A validated import, ready to store in one transaction.
//!
//! Importers turn bytes into an [`ImportBatch`]; the store applies it whole or not at
//! all. Living in `domain` keeps the store free of any parser.

use super::{CarePlan, ChcAssessment, Demographics, Episode, HospitalSpell, LocalId, NhsNumber};

/// How a row names its person: by NHS number when valid, else by a source's own id.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PersonKey {
    Nhs(NhsNumber),
    Local(LocalId),
}

/// A person as one source describes them.
#[derive(Debug, Clone, PartialEq)]
pub struct PersonEntry {
    pub key: PersonKey,
    pub nhs_number: Option<NhsNumber>,
    pub local_ids: Vec<LocalId>,
    /// The source system that stated these demographics.
    pub source: String,
    pub demographics: Demographics,
    pub alerts: Vec<String>,
    pub is_restricted: bool,
}

/// An episode with, for spells and CHC assessments, the facts that go with it.
#[derive(Debug, Clone, PartialEq)]
pub struct EpisodeEntry {
    pub person: PersonKey,
    pub episode: Episode,
    pub spell: Option<HospitalSpell>,
    pub chc: Option<ChcAssessment>,
    /// The source sends updates (HL7 v2: a discharge after an admission): when this
    /// source reference is already stored, bring it up to date instead of skipping it.
    pub replaces_existing: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CarePlanEntry {
    pub person: PersonKey,
    /// The plan's id in its source; versions share it.
    pub plan_ref: String,
    pub plan: CarePlan,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct ImportBatch {
    /// `native`, `cld_csv`, `hospital_csv`, `fhir`, `hl7v2`.
    pub format: String,
    pub file_name: String,
    pub file_sha256: String,
    /// Rows or messages read from the file.
    pub rows_read: usize,
    /// Rows or messages rejected (kept out of this batch).
    pub rows_rejected: usize,
    pub people: Vec<PersonEntry>,
    pub episodes: Vec<EpisodeEntry>,
    pub care_plans: Vec<CarePlanEntry>,
    /// What the reader wants the user to know that is not a rejection (an invalid
    /// NHS number kept under a local id, resource types skipped).
    pub notes: Vec<String>,
    /// Of the notes, those saying a value of a person's identity was left out, each
    /// as `FIELD: reason` (`PID-3: NHS number "…" is not valid …`): a live feed
    /// records them with the message it stored and says so in its ACK.
    pub warnings: Vec<String>,
}

/// What applying a batch did.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ImportSummary {
    pub import_run_id: i64,
    pub people_added: usize,
    pub episodes_added: usize,
    pub episodes_already_present: usize,
    /// Stored episodes brought up to date by a later message.
    pub episodes_updated: usize,
    pub care_plan_versions_added: usize,
}
