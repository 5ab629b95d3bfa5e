//! Hospital inpatient spells and their discharge facts (RULES.md sections 3 and 5).
//!
//! The foundation keeps what the discharge board will need; the board's rules (DRD
//! periods, delay bands, status colours) build on these types.

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

/// Who a delay reason is attributed to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Attribution {
    Nhs,
    SocialCare,
    Both,
    Other,
}

impl Attribution {
    pub const ALL: [Attribution; 4] = [
        Attribution::Nhs,
        Attribution::SocialCare,
        Attribution::Both,
        Attribution::Other,
    ];
    pub fn code(self) -> &'static str {
        match self {
            Attribution::Nhs => "nhs",
            Attribution::SocialCare => "social_care",
            Attribution::Both => "both",
            Attribution::Other => "other",
        }
    }
    pub fn from_code(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.code() == s)
    }
    pub fn label(self) -> &'static str {
        match self {
            Attribution::Nhs => "NHS",
            Attribution::SocialCare => "Social care",
            Attribution::Both => "Both",
            Attribution::Other => "Other",
        }
    }
}

/// One reason a person who no longer meets the criteria to reside is still in hospital.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DelayReason {
    /// Store id; 0 before storing.
    #[serde(default)]
    pub id: i64,
    /// A legacy code (A to I, O) or a local code; may be empty when only text is known.
    #[serde(default)]
    pub code: String,
    pub description: String,
    pub attribution: Attribution,
    pub since: NaiveDate,
    #[serde(default)]
    pub owner: Option<String>,
}

/// One review against the criteria to reside (Annex D of the discharge guidance).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CtrReview {
    pub date: NaiveDate,
    pub meets: bool,
    /// Criterion code 01 to 12 when the person meets the criteria.
    #[serde(default)]
    pub code: Option<String>,
}

/// A coordinator's change to a delay reason in words, for the audit log and the
/// change history: "attribution of 'Awaiting home care package' changed from Social
/// care to NHS".
pub fn delay_reason_change_words(before: &DelayReason, after: &DelayReason) -> String {
    let name = &before.description;
    let mut parts = Vec::new();
    if before.description != after.description {
        parts.push(format!("delay reason '{name}' renamed '{}'", after.description));
    }
    if before.code != after.code {
        parts.push(format!(
            "code of '{name}' changed from '{}' to '{}'",
            before.code, after.code
        ));
    }
    if before.attribution != after.attribution {
        parts.push(format!(
            "attribution of '{name}' changed from {} to {}",
            before.attribution.label(),
            after.attribution.label()
        ));
    }
    if before.since != after.since {
        parts.push(format!(
            "start of '{name}' changed from {} to {}",
            super::dates::fmt_date(before.since),
            super::dates::fmt_date(after.since)
        ));
    }
    if before.owner != after.owner {
        let say = |o: &Option<String>| o.clone().unwrap_or_else(|| "nobody".into());
        parts.push(format!(
            "owner of '{name}' changed from {} to {}",
            say(&before.owner),
            say(&after.owner)
        ));
    }
    if parts.is_empty() {
        format!("delay reason '{name}' saved unchanged")
    } else {
        parts.join("; ")
    }
}

/// The discharge facts of an inpatient spell. The spell itself is an
/// [`Episode`](super::Episode) of kind `InpatientSpell`; this holds the rest.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct HospitalSpell {
    /// Store id of the spell's episode.
    pub episode_id: i64,
    pub hospital: String,
    pub ward: Option<String>,
    pub admitted: Option<NaiveDateTime>,
    pub discharged: Option<NaiveDateTime>,
    /// Admission method code, e.g. `21` (RULES.md section 5).
    pub admission_method: Option<String>,
    pub admission_source: Option<String>,
    pub discharge_method: Option<String>,
    pub discharge_destination: Option<String>,
    /// Whether the person still meets the criteria to reside at the last review.
    pub meets_criteria_to_reside: Option<bool>,
    /// The criterion code (01 to 12) when known.
    pub criteria_to_reside_code: Option<String>,
    pub discharge_ready_date: Option<NaiveDate>,
    /// Discharge to Assess pathway 0 to 3.
    pub pathway: Option<u8>,
    /// Open delay reasons (closed ones are kept in the store, not here).
    pub delay_reasons: Vec<DelayReason>,
    /// Reviews against the criteria to reside, oldest first.
    pub ctr_reviews: Vec<CtrReview>,
    pub next_action: Option<String>,
    pub next_action_owner: Option<String>,
    /// The stored revision a coordinator's edit is made against.
    pub revision: Revision,
}

/// How many times a spell's stored facts have changed, and the last change: an edit
/// made against an older revision is refused, never silently overwritten.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Revision {
    pub number: i64,
    /// A coordinator's name, or the import that changed it.
    pub changed_by: Option<String>,
    pub changed_at: Option<NaiveDateTime>,
}

/// Emergency admission methods start with "2" (RULES.md section 5).
pub fn is_emergency_admission(method: &str) -> bool {
    method.trim().starts_with('2')
}

/// Elective admission methods start with "1".
pub fn is_elective_admission(method: &str) -> bool {
    method.trim().starts_with('1')
}

/// Discharge method 4 or destination 79 means the person died in hospital.
pub fn is_death_in_hospital(method: Option<&str>, destination: Option<&str>) -> bool {
    method.map(str::trim) == Some("4") || destination.map(str::trim) == Some("79")
}

/// Care-home destinations in both code lists: 54, 65, 85 (UK Core) and 55, 56
/// (current Data Dictionary).
pub fn is_care_home_destination(code: &str) -> bool {
    matches!(code.trim(), "54" | "55" | "56" | "65" | "85")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_groups() {
        for (code, emergency, elective) in [
            ("21", true, false),
            ("2A", true, false),
            ("11", false, true),
            ("81", false, false),
        ] {
            assert_eq!(is_emergency_admission(code), emergency, "{code}");
            assert_eq!(is_elective_admission(code), elective, "{code}");
        }
        for (code, care_home) in [
            ("54", true),
            ("55", true),
            ("56", true),
            ("65", true),
            ("85", true),
            ("19", false),
            ("79", false),
        ] {
            assert_eq!(is_care_home_destination(code), care_home, "{code}");
        }
        assert!(is_death_in_hospital(Some("4"), None));
        assert!(is_death_in_hospital(None, Some("79")));
        assert!(!is_death_in_hospital(Some("1"), Some("19")));
    }
}
