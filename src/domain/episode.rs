//! Episodes: every dated thing that happened to a person, from either sector.

use std::collections::BTreeMap;

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sector {
    Health,
    SocialCare,
}

impl Sector {
    pub const ALL: [Sector; 2] = [Sector::Health, Sector::SocialCare];
    pub fn label(self) -> &'static str {
        match self {
            Sector::Health => "Health",
            Sector::SocialCare => "Social care",
        }
    }
    pub fn code(self) -> &'static str {
        match self {
            Sector::Health => "health",
            Sector::SocialCare => "social_care",
        }
    }
}

/// The timeline lanes of DESIGN.md section 2.3, top to bottom.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Lane {
    Hospital,
    GpCommunity,
    MentalHealth,
    Chc,
    SocialCareRequests,
    Services,
    Reviews,
    Safeguarding,
    Carers,
    /// Health items shown as placeholders: one lane for every restricted item, so the
    /// lane never names the category (a "Safeguarding" lane would).
    RestrictedHealth,
    RestrictedSocialCare,
}

impl Lane {
    pub const ALL: [Lane; 11] = [
        Lane::Hospital,
        Lane::GpCommunity,
        Lane::MentalHealth,
        Lane::Chc,
        Lane::RestrictedHealth,
        Lane::SocialCareRequests,
        Lane::Services,
        Lane::Reviews,
        Lane::Safeguarding,
        Lane::Carers,
        Lane::RestrictedSocialCare,
    ];
    pub fn label(self) -> &'static str {
        match self {
            Lane::Hospital => "Hospital",
            Lane::GpCommunity => "GP and community",
            Lane::MentalHealth => "Mental health",
            Lane::Chc => "CHC",
            Lane::SocialCareRequests => "Requests and assessments",
            Lane::Services => "Services and packages",
            Lane::Reviews => "Reviews",
            Lane::Safeguarding => "Safeguarding",
            Lane::Carers => "Carers",
            Lane::RestrictedHealth => "Restricted (health)",
            Lane::RestrictedSocialCare => "Restricted (social care)",
        }
    }
    pub fn sector(self) -> Sector {
        match self {
            Lane::Hospital | Lane::GpCommunity | Lane::MentalHealth | Lane::Chc | Lane::RestrictedHealth => {
                Sector::Health
            }
            _ => Sector::SocialCare,
        }
    }
}

/// What kind of episode this is. Each kind belongs to one sector and one lane.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EpisodeKind {
    InpatientSpell,
    AeAttendance,
    Outpatient,
    GpEncounter,
    CommunityContact,
    MentalHealthContact,
    ChcChecklist,
    ChcDst,
    ChcFastTrack,
    ChcReview,
    SocialCareRequest,
    SocialCareAssessment,
    SocialCareService,
    SocialCareReview,
    SafeguardingEnquiry,
    CarerAssessment,
    /// A diagnosis or problem recorded by a clinician (FHIR Condition).
    Condition,
    /// A questionnaire or form completed by or about the person (FHIR QuestionnaireResponse).
    Questionnaire,
    /// A placeholder for a restricted health item (`domain::disclosure`): never
    /// stored, made only when an item is held back.
    RestrictedHealth,
    /// A placeholder for a restricted social care item.
    RestrictedSocialCare,
}

impl EpisodeKind {
    /// Every kind an item can be stored as (the placeholders are not among them:
    /// they are made only when an item is held back, never read from a file).
    pub const ALL: [EpisodeKind; 18] = [
        EpisodeKind::InpatientSpell,
        EpisodeKind::AeAttendance,
        EpisodeKind::Outpatient,
        EpisodeKind::GpEncounter,
        EpisodeKind::CommunityContact,
        EpisodeKind::MentalHealthContact,
        EpisodeKind::ChcChecklist,
        EpisodeKind::ChcDst,
        EpisodeKind::ChcFastTrack,
        EpisodeKind::ChcReview,
        EpisodeKind::SocialCareRequest,
        EpisodeKind::SocialCareAssessment,
        EpisodeKind::SocialCareService,
        EpisodeKind::SocialCareReview,
        EpisodeKind::SafeguardingEnquiry,
        EpisodeKind::CarerAssessment,
        EpisodeKind::Condition,
        EpisodeKind::Questionnaire,
    ];

    /// The placeholder kind for a restricted item of this sector.
    pub fn placeholder(sector: Sector) -> EpisodeKind {
        match sector {
            Sector::Health => EpisodeKind::RestrictedHealth,
            Sector::SocialCare => EpisodeKind::RestrictedSocialCare,
        }
    }

    /// Whether this is a placeholder for a held-back item.
    pub fn is_placeholder(self) -> bool {
        matches!(self, EpisodeKind::RestrictedHealth | EpisodeKind::RestrictedSocialCare)
    }

    pub fn lane(self) -> Lane {
        use EpisodeKind::*;
        match self {
            InpatientSpell | AeAttendance | Outpatient => Lane::Hospital,
            GpEncounter | CommunityContact | Condition | Questionnaire => Lane::GpCommunity,
            MentalHealthContact => Lane::MentalHealth,
            ChcChecklist | ChcDst | ChcFastTrack | ChcReview => Lane::Chc,
            SocialCareRequest | SocialCareAssessment => Lane::SocialCareRequests,
            SocialCareService => Lane::Services,
            SocialCareReview => Lane::Reviews,
            SafeguardingEnquiry => Lane::Safeguarding,
            CarerAssessment => Lane::Carers,
            RestrictedHealth => Lane::RestrictedHealth,
            RestrictedSocialCare => Lane::RestrictedSocialCare,
        }
    }

    pub fn sector(self) -> Sector {
        self.lane().sector()
    }

    /// The stable snake_case code used in the database, the bundle and `show --json`.
    pub fn code(self) -> &'static str {
        use EpisodeKind::*;
        match self {
            InpatientSpell => "inpatient_spell",
            AeAttendance => "ae_attendance",
            Outpatient => "outpatient",
            GpEncounter => "gp_encounter",
            CommunityContact => "community_contact",
            MentalHealthContact => "mental_health_contact",
            ChcChecklist => "chc_checklist",
            ChcDst => "chc_dst",
            ChcFastTrack => "chc_fast_track",
            ChcReview => "chc_review",
            SocialCareRequest => "social_care_request",
            SocialCareAssessment => "social_care_assessment",
            SocialCareService => "social_care_service",
            SocialCareReview => "social_care_review",
            SafeguardingEnquiry => "safeguarding_enquiry",
            CarerAssessment => "carer_assessment",
            Condition => "condition",
            Questionnaire => "questionnaire",
            RestrictedHealth => "restricted_health_item",
            RestrictedSocialCare => "restricted_social_care_item",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }

    pub fn label(self) -> &'static str {
        use EpisodeKind::*;
        match self {
            InpatientSpell => "Inpatient spell",
            AeAttendance => "A&E attendance",
            Outpatient => "Outpatient appointment",
            GpEncounter => "GP encounter",
            CommunityContact => "Community contact",
            MentalHealthContact => "Mental health contact",
            ChcChecklist => "CHC Checklist",
            ChcDst => "CHC Decision Support Tool",
            ChcFastTrack => "CHC Fast Track",
            ChcReview => "CHC review",
            SocialCareRequest => "Social care request",
            SocialCareAssessment => "Social care assessment",
            SocialCareService => "Service or package",
            SocialCareReview => "Social care review",
            SafeguardingEnquiry => "Safeguarding enquiry",
            CarerAssessment => "Carer's assessment",
            Condition => "Condition (diagnosis or problem)",
            Questionnaire => "Questionnaire or form",
            RestrictedHealth | RestrictedSocialCare => "Restricted item",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EpisodeStatus {
    Planned,
    #[default]
    Active,
    Suspended,
    Ended,
    Completed,
    Cancelled,
}

impl EpisodeStatus {
    pub const ALL: [EpisodeStatus; 6] = [
        EpisodeStatus::Planned,
        EpisodeStatus::Active,
        EpisodeStatus::Suspended,
        EpisodeStatus::Ended,
        EpisodeStatus::Completed,
        EpisodeStatus::Cancelled,
    ];
    pub fn code(self) -> &'static str {
        match self {
            EpisodeStatus::Planned => "planned",
            EpisodeStatus::Active => "active",
            EpisodeStatus::Suspended => "suspended",
            EpisodeStatus::Ended => "ended",
            EpisodeStatus::Completed => "completed",
            EpisodeStatus::Cancelled => "cancelled",
        }
    }
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }
}

/// Sensitive categories are hidden until the user gives a reason (DESIGN.md section 5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sensitivity {
    #[default]
    Normal,
    Safeguarding,
    SexualHealth,
    AssistedConception,
    TerminationOfPregnancy,
    GenderReassignment,
    /// Marked restricted by its source (a FHIR confidentiality label of R or V)
    /// without saying which category: held back all the same.
    Confidential,
}

impl Sensitivity {
    pub const ALL: [Sensitivity; 7] = [
        Sensitivity::Normal,
        Sensitivity::Safeguarding,
        Sensitivity::SexualHealth,
        Sensitivity::AssistedConception,
        Sensitivity::TerminationOfPregnancy,
        Sensitivity::GenderReassignment,
        Sensitivity::Confidential,
    ];
    pub fn code(self) -> &'static str {
        match self {
            Sensitivity::Normal => "normal",
            Sensitivity::Safeguarding => "safeguarding",
            Sensitivity::SexualHealth => "sexual_health",
            Sensitivity::AssistedConception => "assisted_conception",
            Sensitivity::TerminationOfPregnancy => "termination_of_pregnancy",
            Sensitivity::GenderReassignment => "gender_reassignment",
            Sensitivity::Confidential => "confidential",
        }
    }
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }
    pub fn is_sensitive(self) -> bool {
        self != Sensitivity::Normal
    }
}

/// Where a stored row came from (DESIGN.md section 3: nothing without provenance).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Provenance {
    /// The source system ("Northgate Hospital PAS", "Ashford Council CLD").
    pub source: String,
    /// The row or message reference within the source; unique per source.
    pub source_ref: String,
    pub file_name: String,
    pub file_sha256: String,
    pub imported_at: Option<NaiveDateTime>,
}

/// One dated item in a person's record.
#[derive(Debug, Clone, PartialEq)]
pub struct Episode {
    /// Store id; 0 before storing.
    pub id: i64,
    pub kind: EpisodeKind,
    pub title: String,
    pub start: NaiveDateTime,
    pub end: Option<NaiveDateTime>,
    pub status: EpisodeStatus,
    pub organisation: Option<String>,
    pub detail: String,
    pub sensitivity: Sensitivity,
    /// Coded facts the source gave (admission method, route of access, service
    /// type, ...). Keys are the snake_case names in `fixtures/README.md`.
    pub attributes: BTreeMap<String, String>,
    pub provenance: Provenance,
}

/// Attribute keys that rules read. Keeping them in one place keeps importers and
/// rules in step.
pub mod attr {
    pub const ADMISSION_METHOD: &str = "admission_method";
    pub const DISCHARGE_METHOD: &str = "discharge_method";
    pub const DISCHARGE_DESTINATION: &str = "discharge_destination";
    pub const ROUTE_OF_ACCESS: &str = "route_of_access";
    pub const SERVICE_TYPE: &str = "service_type";
}

impl Episode {
    pub fn sector(&self) -> Sector {
        self.kind.sector()
    }
    pub fn attr(&self, key: &str) -> Option<&str> {
        self.attributes.get(key).map(String::as_str)
    }
    /// True when the episode has a duration (drawn as a span), false for a point event.
    pub fn is_span(&self) -> bool {
        self.end.is_some_and(|e| e > self.start)
            || (self.end.is_none()
                && matches!(self.kind, EpisodeKind::InpatientSpell | EpisodeKind::SocialCareService)
                && matches!(self.status, EpisodeStatus::Active | EpisodeStatus::Suspended))
    }
}
