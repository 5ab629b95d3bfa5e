//! Pure types and rules. Nothing here touches egui, SQLite or the clock: functions
//! that depend on the date take `today` or `now` as an argument.

pub mod batch;
pub mod board;
pub mod board_export;
pub mod care_plan;
pub mod care_plan_rules;
pub mod chc;
pub mod chc_case;
pub mod chc_dst;
pub mod chc_evidence;
pub mod dates;
pub mod discharge;
pub mod episode;
pub mod findings;
pub mod governance;
pub mod hospital;
pub mod matching;
pub mod nhs_number;
pub mod person;
pub mod timeline;

#[cfg(test)]
mod findings_tests;
#[cfg(test)]
pub(crate) mod test_support;

pub use care_plan::CarePlan;
pub use chc::{ChcAssessment, ChcAssessmentKind, ChcDomain};
pub use episode::{Episode, EpisodeKind, EpisodeStatus, Lane, Provenance, Sector, Sensitivity};
pub use findings::{Finding, FindingKind};
pub use hospital::{DelayReason, HospitalSpell};
pub use nhs_number::NhsNumber;
pub use person::{Demographics, LocalId, Person, Sex};

/// Everything the store holds about one person: what a person view draws from.
#[derive(Debug, Clone, PartialEq)]
pub struct PersonRecord {
    pub person: Person,
    /// All episodes, in timeline order.
    pub episodes: Vec<Episode>,
    pub spells: Vec<HospitalSpell>,
    pub chc: Vec<ChcAssessment>,
    pub care_plans: Vec<CarePlan>,
}

impl PersonRecord {
    pub fn new(person: Person) -> Self {
        Self {
            person,
            episodes: Vec::new(),
            spells: Vec::new(),
            chc: Vec::new(),
            care_plans: Vec::new(),
        }
    }

    /// The record without its items in the sensitive categories (RULES.md 8), and how
    /// many were left out: what leaves the record unless someone gives a reason.
    pub fn without_sensitive(&self) -> (PersonRecord, usize) {
        let hidden: Vec<i64> = self
            .episodes
            .iter()
            .filter(|e| e.sensitivity.is_sensitive())
            .map(|e| e.id)
            .collect();
        let mut out = self.clone();
        out.episodes.retain(|e| !hidden.contains(&e.id));
        out.spells.retain(|s| !hidden.contains(&s.episode_id));
        out.chc.retain(|c| !hidden.contains(&c.episode_id));
        (out, hidden.len())
    }
}
