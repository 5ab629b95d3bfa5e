//! The native JSON bundle: the fixture and export format (`fixtures/README.md`).
//!
//! Raw serde types hold dates and codes as strings; [`parse`] checks every field and
//! turns the valid parts into domain values, rejecting bad people or episodes with
//! their path and a plain reason. [`write`] produces the same format from stored
//! records, so bundles round-trip.

mod read;
mod read_facts;
mod write;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub use read::parse;
pub use write::write;

use crate::domain::care_plan::{Funding, PlanKind, PlanNeed, ResponsibleParty};
use crate::domain::{LocalId, Sector, Sex};
use crate::import::{ImportError, Importer, Parsed, Source};

pub const FORMAT_TAG: &str = "joinedup-bundle";
pub const FORMAT_VERSION: u32 = 1;
/// The format's name, as its batches record it.
pub const NAME: &str = "native";

/// The joined-up bundle.
pub struct Native;

impl Importer for Native {
    fn name(&self) -> &'static str {
        NAME
    }

    /// JSON whose first 4096 characters name the format (`"joinedup-bundle"`).
    fn sniff(&self, text: &str, _file_name: &str) -> bool {
        let body = super::importer::body(text);
        let head: String = body.chars().take(4096).collect();
        body.starts_with('{') && head.contains("\"joinedup-bundle\"")
    }

    fn parse(&self, s: &Source) -> Result<Parsed, ImportError> {
        parse(s.file, s.sha256(), s.text, s.options)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Bundle {
    pub format: String,
    pub version: u32,
    /// The date the story is told as of; training shifts it to today.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub as_of: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Set on exports from training mode (`TRAINING: ...`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub watermark: Option<String>,
    pub people: Vec<BundlePerson>,
}

/// A person. (No `deny_unknown_fields` here: serde does not support it beside
/// `flatten`.)
#[derive(Debug, Clone, Serialize, Deserialize, Default)]
pub struct BundlePerson {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nhs_number: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub local_ids: Vec<LocalId>,
    /// The source system stating these demographics; also the default source of the
    /// person's episodes and plans.
    pub source: String,
    #[serde(flatten)]
    pub demographics: BundleDemographics,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub alerts: Vec<String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub restricted: bool,
    /// What other sources say about the same person (kept, and flagged if they differ).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub also_stated_by: Vec<BundleStatement>,
    #[serde(default)]
    pub episodes: Vec<BundleEpisode>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub care_plans: Vec<BundleCarePlan>,
}

#[derive(Debug, Clone, Serialize, Deserialize, Default)]
pub struct BundleDemographics {
    #[serde(default)]
    pub given_name: String,
    #[serde(default)]
    pub family_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_of_birth: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_of_death: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sex: Option<Sex>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postcode: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gp_practice: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allocated_worker: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, Default)]
pub struct BundleStatement {
    pub source: String,
    #[serde(flatten)]
    pub demographics: BundleDemographics,
}

#[derive(Debug, Clone, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct BundleEpisode {
    /// The source's own reference; unique within the source.
    #[serde(rename = "ref")]
    pub source_ref: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    pub kind: String,
    #[serde(default)]
    pub title: String,
    pub start: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organisation: Option<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub detail: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sensitivity: Option<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub attributes: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spell: Option<BundleSpell>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chc: Option<BundleChc>,
}

#[derive(Debug, Clone, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct BundleSpell {
    pub hospital: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ward: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub admission_method: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub admission_source: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discharge_method: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discharge_destination: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meets_criteria_to_reside: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub criteria_to_reside_code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discharge_ready_date: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pathway: Option<u8>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub delay_reasons: Vec<BundleDelayReason>,
    /// Reviews against the criteria to reside; the DRD is computed from them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub criteria_to_reside_reviews: Vec<BundleCtrReview>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_action: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_action_owner: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct BundleCtrReview {
    pub date: String,
    pub meets: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct BundleDelayReason {
    #[serde(default)]
    pub code: String,
    pub description: String,
    pub attribution: String,
    pub since: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct BundleChc {
    /// checklist, dst, fast_track, review
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completed_by: Option<String>,
    /// Domain (snake_case) to level: A/B/C for a Checklist, N/L/M/H/S/P for a DST.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub domains: BTreeMap<String, String>,
    /// Outcome as the source recorded it, when no domain grid came.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub positive: Option<bool>,
    /// Evidence notes by domain.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub evidence: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mdt_recommendation: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub icb_decision: Option<BundleDecision>,
}

#[derive(Debug, Clone, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct BundleDecision {
    pub date: String,
    pub eligible: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Who at the ICB made the decision.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decided_by: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BundleCarePlan {
    #[serde(rename = "ref")]
    pub plan_ref: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    pub kind: PlanKind,
    pub sector: Sector,
    pub title: String,
    pub owner: String,
    pub status: String,
    pub version: u32,
    pub start: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_review: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_review: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub goals: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub needs: Vec<PlanNeed>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub actions: Vec<BundleAction>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub funding: Option<Funding>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub personal_budget_weekly: Option<f64>,
    /// `normal` or a sensitive category (as on episodes); when absent, the title's
    /// words decide (`domain::sensitive_terms`), erring towards hiding.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sensitivity: Option<String>,
    /// When this version was recorded (a date or date-time), by whom and at which
    /// organisation, as the source says; each left out when not known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recorded_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recorded_by: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recorded_organisation: Option<String>,
}

/// A plan's action. Its due date and status are strings here, checked on reading
/// (`read_facts::actions_of`); a status left out is `not_started`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BundleAction {
    pub description: String,
    pub responsible_party: ResponsibleParty,
    #[serde(default)]
    pub responsible_name: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub meets: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due: Option<String>,
    /// `not_started`, `in_progress`, `on_hold`, `done` or `cancelled`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
}

#[cfg(test)]
mod plan_tests;
#[cfg(test)]
mod tests;
