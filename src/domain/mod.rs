//! Pure types and rules. Nothing here touches egui, SQLite or the clock: functions
//! that depend on the date take `today` or `now` as an argument.

pub mod audit_log;
pub mod batch;
pub mod board;
pub mod board_counts;
pub mod board_export;
pub mod care_plan;
pub mod care_plan_rules;
pub mod chc;
pub mod chc_case;
pub mod chc_caseload_sort;
pub mod chc_decision;
pub mod chc_descriptors;
pub mod chc_dst;
pub mod chc_evidence;
pub mod chc_grid;
pub mod chc_outcome;
pub mod code_words;
pub mod dates;
pub mod discharge;
pub mod disclosure;
pub mod episode;
pub mod findings;
pub mod governance;
pub mod hospital;
pub mod import_preview;
pub mod matching;
pub mod name_search;
pub mod nhs_number;
pub mod person;
pub mod person_alerts;
pub mod returns;
pub mod sensitive_terms;
pub mod sharing;
pub mod timeline;
pub mod worklist;

#[cfg(test)]
mod board_counts_tests;
#[cfg(test)]
mod board_tests;
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

    /// Whether an item is held back until a reason is given (`disclosure`).
    pub fn is_restricted_item(&self, e: &Episode) -> bool {
        disclosure::is_restricted_episode(self, e)
    }

    /// How many items and plans stay hidden until a reason is given.
    pub fn restricted_count(&self) -> usize {
        disclosure::restricted_count(self)
    }

    /// The record without its restricted items, and how many were left out
    /// (`disclosure::without_restricted`).
    pub fn without_restricted(&self) -> (PersonRecord, usize) {
        disclosure::without_restricted(self)
    }
}

#[cfg(test)]
mod restricted_tests {
    use super::test_support::{episode, person};
    use super::{EpisodeKind, PersonRecord, Sensitivity};

    fn record(restricted: bool) -> PersonRecord {
        let mut p = person();
        p.is_restricted = restricted;
        let mut r = PersonRecord::new(p);
        let mut gp = episode(EpisodeKind::GpEncounter, "2026-01-05T09:00", None);
        gp.id = 1;
        let mut clinic = episode(EpisodeKind::Outpatient, "2026-02-05T09:00", None);
        clinic.id = 2;
        clinic.sensitivity = Sensitivity::SexualHealth;
        r.episodes = vec![gp, clinic];
        r
    }

    #[test]
    fn only_sensitive_items_are_restricted_in_an_open_record() {
        let r = record(false);
        assert!(!r.is_restricted_item(&r.episodes[0]));
        assert!(r.is_restricted_item(&r.episodes[1]));
        assert_eq!(r.restricted_count(), 1);
        let (kept, left_out) = r.without_restricted();
        assert_eq!(left_out, 1);
        assert_eq!(kept.episodes.iter().map(|e| e.id).collect::<Vec<_>>(), vec![1]);
    }

    #[test]
    fn every_item_of_a_restricted_person_is_restricted() {
        let r = record(true);
        assert!(r.episodes.iter().all(|e| r.is_restricted_item(e)));
        let (kept, left_out) = r.without_restricted();
        assert_eq!(left_out, 2);
        assert!(kept.episodes.is_empty());
        assert_eq!(kept.person.id, r.person.id, "the demographics stay");
    }
}
