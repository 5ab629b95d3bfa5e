//! Care plans from either sector (RULES.md section 7; Care Act 2014 s25).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{Provenance, Sector};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlanKind {
    CareAndSupport,
    NhsCarePlan,
    ChcCarePlan,
    DischargePlan,
    EndOfLife,
    CarerSupport,
}

impl PlanKind {
    pub fn label(self) -> &'static str {
        match self {
            PlanKind::CareAndSupport => "Care and support plan (Care Act)",
            PlanKind::NhsCarePlan => "NHS care plan",
            PlanKind::ChcCarePlan => "CHC care plan",
            PlanKind::DischargePlan => "Discharge plan",
            PlanKind::EndOfLife => "End-of-life plan",
            PlanKind::CarerSupport => "Carer's support plan",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ResponsibleParty {
    NhsBody,
    LocalAuthority,
    Provider,
    Person,
    UnpaidCarer,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Funding {
    Chc,
    Fnc,
    LocalAuthority,
    SelfFunded,
    Joint,
}

pub fn party_label(p: ResponsibleParty) -> &'static str {
    match p {
        ResponsibleParty::NhsBody => "NHS body",
        ResponsibleParty::LocalAuthority => "Local authority",
        ResponsibleParty::Provider => "Provider",
        ResponsibleParty::Person => "The person",
        ResponsibleParty::UnpaidCarer => "Unpaid carer",
    }
}

pub fn funding_label(f: Funding) -> &'static str {
    match f {
        Funding::Chc => "NHS Continuing Healthcare",
        Funding::Fnc => "NHS-funded nursing care",
        Funding::LocalAuthority => "Local authority",
        Funding::SelfFunded => "Self-funded",
        Funding::Joint => "Joint (health and social care)",
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanNeed {
    pub description: String,
    #[serde(default)]
    pub is_eligible: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanAction {
    pub description: String,
    pub responsible_party: ResponsibleParty,
    /// The named body or person ("Northgate Community Nursing", "daughter Sarah").
    #[serde(default)]
    pub responsible_name: Option<String>,
}

/// One version of a care plan.
#[derive(Debug, Clone, PartialEq)]
pub struct CarePlan {
    pub id: i64,
    pub kind: PlanKind,
    pub sector: Sector,
    pub title: String,
    pub owner: String,
    pub status: String,
    pub version: u32,
    pub start: NaiveDate,
    pub last_review: Option<NaiveDate>,
    pub next_review: Option<NaiveDate>,
    /// Goals in the person's own words.
    pub goals: Vec<String>,
    pub needs: Vec<PlanNeed>,
    pub actions: Vec<PlanAction>,
    pub funding: Option<Funding>,
    pub personal_budget_weekly: Option<f64>,
    /// A plan in a sensitive category (a safeguarding protection plan) is held back
    /// like a sensitive item (`domain::disclosure`).
    pub sensitivity: super::Sensitivity,
    /// True for the placeholder `disclosure` shows in place of a restricted plan.
    pub is_placeholder: bool,
    pub provenance: Provenance,
}

impl CarePlan {
    /// A review date that has passed as of `today`.
    pub fn is_review_overdue(&self, today: NaiveDate) -> bool {
        self.next_review.is_some_and(|d| d < today)
    }
}
