//! Returns made from the record (issue 18): the daily discharge situation report
//! (`sitrep`), its weekly view (`weekly`), the trends behind it (`trends`), and the
//! quarterly Adult Social Care Client Level Data return (`cld`, checked by
//! `cld_rules`). Pure: the store gathers the facts, the service applies the one
//! disclosure policy and audits; nothing here reads the clock.
//!
//! Every figure keeps the people behind it ([`Figure`]), so a count on a return can
//! be followed back to the people it counts. Definitions and their sources, and
//! which are unconfirmed, are in `docs/returns.md`.

pub mod cld;
pub mod cld_rules;
pub mod sitrep;
pub mod sitrep_export;
pub mod trends;
pub mod weekly;

use std::collections::HashSet;

use chrono::NaiveDate;
use serde::Serialize;

use super::NhsNumber;
use super::dates::age_on;
use super::hospital::{DelayReason, HospitalSpell};

/// Age from which a person counts as an adult on the sitrep.
pub const ADULT_AGE: i32 = 18;

/// The person behind a spell, as the store finds them.
#[derive(Debug, Clone, PartialEq)]
pub struct ReturnPerson {
    pub person_id: i64,
    pub nhs_number: Option<NhsNumber>,
    pub display_name: String,
    pub date_of_birth: Option<NaiveDate>,
}

/// A delay reason with the day it was closed, if it was: a return for a past day
/// counts the reasons in force on that day.
#[derive(Debug, Clone, PartialEq)]
pub struct ReasonSpan {
    pub reason: DelayReason,
    pub closed_on: Option<NaiveDate>,
}

/// One inpatient spell with what the returns need of it.
#[derive(Debug, Clone, PartialEq)]
pub struct SpellFacts {
    pub person: ReturnPerson,
    /// The spell's discharge facts; its `delay_reasons` are not read (see `reasons`).
    pub spell: HospitalSpell,
    /// Every delay reason of the spell, open and closed.
    pub reasons: Vec<ReasonSpan>,
    /// The person is restricted or the stay is in a sensitive category: counted,
    /// and masked in the people lists (`disclosure::disclose_person_link`).
    pub is_restricted: bool,
}

impl SpellFacts {
    /// In hospital at some time on `day`: admitted on or before it and not
    /// discharged before it (a person discharged on the day was in hospital on it).
    pub fn in_hospital_on(&self, day: NaiveDate) -> bool {
        self.spell.admitted.is_some_and(|a| a.date() <= day) && self.spell.discharged.is_none_or(|d| d.date() >= day)
    }

    /// Discharged on `day`.
    pub fn discharged_on(&self, day: NaiveDate) -> bool {
        self.spell.discharged.is_some_and(|d| d.date() == day)
    }

    /// An adult on `day`: 18 or over. Unconfirmed: a person without a date of
    /// birth is counted as an adult (acute sitreps count adult beds; the record may
    /// lack the date).
    pub fn is_adult_on(&self, day: NaiveDate) -> bool {
        self.person
            .date_of_birth
            .is_none_or(|dob| age_on(dob, day) >= ADULT_AGE)
    }

    /// Delay reasons in force on `day`: started on or before it, not closed by it.
    pub fn reasons_on(&self, day: NaiveDate) -> impl Iterator<Item = &DelayReason> {
        self.reasons
            .iter()
            .filter(move |r| r.reason.since <= day && r.closed_on.is_none_or(|c| c > day))
            .map(|r| &r.reason)
    }

    /// The link to this spell's person, unmasked (the service masks it).
    pub fn link(&self) -> PersonLink {
        PersonLink {
            person_id: self.person.person_id,
            nhs_number: self.person.nhs_number.map(|n| n.digits()),
            name: Some(self.person.display_name.clone()),
            is_restricted: self.is_restricted,
        }
    }
}

/// A person behind a figure. A restricted person's link keeps only the store id
/// (which opens their record under the disclosure policy) once masked.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct PersonLink {
    pub person_id: i64,
    pub nhs_number: Option<String>,
    pub name: Option<String>,
    #[serde(rename = "restricted")]
    pub is_restricted: bool,
}

/// A count and the people it counts (each person once).
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Figure {
    pub people: Vec<PersonLink>,
    /// The store ids in `people`, so adding stays cheap on a large site.
    #[serde(skip)]
    ids: HashSet<i64>,
}

impl Figure {
    pub fn count(&self) -> usize {
        self.people.len()
    }

    /// Count a person (once, however often they are added).
    pub fn add(&mut self, link: PersonLink) {
        if self.ids.insert(link.person_id) {
            self.people.push(link);
        }
    }

    /// Everyone in `self` and `other`.
    pub fn merge(&mut self, other: &Figure) {
        for p in &other.people {
            self.add(p.clone());
        }
    }

    /// The people as the disclosure policy lets them be shown.
    pub fn disclosed(mut self) -> Figure {
        self.people = self
            .people
            .into_iter()
            .map(super::disclosure::disclose_person_link)
            .collect();
        self.people.sort();
        self
    }
}

/// The national reason categories of the acute discharge sitrep (from 2024), as
/// RULES.md 3.3 names them from the metric names. Unconfirmed: the full reason list
/// and its mapping from the legacy DTOC codes (RULES.md 9); the mapping here
/// (`ReasonCategory::of`) is this program's, from the legacy codes' wording.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum ReasonCategory {
    Capacity,
    InterfaceProcess,
    HospitalProcess,
    CareTransferHubProcess,
    WellbeingConcerns,
    /// A local code or none that does not map to a category.
    NotCategorised,
}

impl ReasonCategory {
    pub const ALL: [ReasonCategory; 6] = [
        ReasonCategory::Capacity,
        ReasonCategory::InterfaceProcess,
        ReasonCategory::HospitalProcess,
        ReasonCategory::CareTransferHubProcess,
        ReasonCategory::WellbeingConcerns,
        ReasonCategory::NotCategorised,
    ];

    /// The category of a delay reason: by its legacy code (A to I, O), else by the
    /// words of its description. Unconfirmed mapping (see the type's comment).
    pub fn of(reason: &DelayReason) -> Self {
        match reason.code.trim() {
            "C" | "Di" | "Dii" | "E" | "F" | "I" => return ReasonCategory::Capacity,
            "A" | "B" | "H" => return ReasonCategory::InterfaceProcess,
            "G" => return ReasonCategory::WellbeingConcerns,
            _ => {}
        }
        let words = reason.description.to_lowercase();
        let has = |w: &[&str]| w.iter().any(|w| words.contains(w));
        if has(&[
            "therapy review",
            "medication",
            "tto",
            "transport",
            "consultant review",
            "diagnostic",
        ]) {
            ReasonCategory::HospitalProcess
        } else if has(&["care transfer hub", "pathway confirmation", "immediate care needs"]) {
            ReasonCategory::CareTransferHubProcess
        } else if has(&["family", "choice", "carer concern", "patient concern"]) {
            ReasonCategory::WellbeingConcerns
        } else if has(&["assessment", "funding", "dispute", "referral"]) {
            ReasonCategory::InterfaceProcess
        } else if has(&[
            "package",
            "placement",
            "bed",
            "equipment",
            "home care",
            "housing",
            "care home",
        ]) {
            ReasonCategory::Capacity
        } else {
            ReasonCategory::NotCategorised
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ReasonCategory::Capacity => "Capacity",
            ReasonCategory::InterfaceProcess => "Interface process",
            ReasonCategory::HospitalProcess => "Hospital process",
            ReasonCategory::CareTransferHubProcess => "Care transfer hub process",
            ReasonCategory::WellbeingConcerns => "Wellbeing concerns",
            ReasonCategory::NotCategorised => "Not categorised",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::hospital::Attribution;

    fn reason(code: &str, description: &str) -> DelayReason {
        DelayReason {
            id: 0,
            code: code.into(),
            description: description.into(),
            attribution: Attribution::Nhs,
            since: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
            owner: None,
        }
    }

    #[test]
    fn reasons_fall_into_the_national_categories_by_code_then_words() {
        assert_eq!(ReasonCategory::of(&reason("E", "anything")), ReasonCategory::Capacity);
        assert_eq!(ReasonCategory::of(&reason("A", "")), ReasonCategory::InterfaceProcess);
        assert_eq!(ReasonCategory::of(&reason("G", "")), ReasonCategory::WellbeingConcerns);
        assert_eq!(
            ReasonCategory::of(&reason("", "Awaiting therapy review")),
            ReasonCategory::HospitalProcess
        );
        assert_eq!(
            ReasonCategory::of(&reason("", "Awaiting profiling bed delivery to home")),
            ReasonCategory::Capacity
        );
        assert_eq!(
            ReasonCategory::of(&reason("X9", "Unclear")),
            ReasonCategory::NotCategorised
        );
    }

    #[test]
    fn a_figure_counts_each_person_once() {
        let link = |id| PersonLink {
            person_id: id,
            nhs_number: None,
            name: None,
            is_restricted: false,
        };
        let mut f = Figure::default();
        f.add(link(1));
        f.add(link(1));
        f.add(link(2));
        assert_eq!(f.count(), 2);
    }
}
