//! NHS Continuing Healthcare assessments (RULES.md section 2).
//!
//! The rules here inform and never decide: the MDT recommendation and the ICB
//! decision are recorded as given and shown beside the rule outcome.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The 12 DST care domains; the first 11 are the Checklist's.
/// The codes (`breathing`, ..., `psychological`, `altered_states`, `other`) are the
/// tester interface of `joinedup chc` and the bundle's domain names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChcDomain {
    Breathing,
    Nutrition,
    Continence,
    Skin,
    Mobility,
    Communication,
    #[serde(rename = "psychological")]
    PsychologicalEmotional,
    Cognition,
    Behaviour,
    DrugTherapies,
    #[serde(rename = "altered_states")]
    AlteredStatesOfConsciousness,
    Other,
}

impl ChcDomain {
    pub const ALL: [ChcDomain; 12] = [
        ChcDomain::Breathing,
        ChcDomain::Nutrition,
        ChcDomain::Continence,
        ChcDomain::Skin,
        ChcDomain::Mobility,
        ChcDomain::Communication,
        ChcDomain::PsychologicalEmotional,
        ChcDomain::Cognition,
        ChcDomain::Behaviour,
        ChcDomain::DrugTherapies,
        ChcDomain::AlteredStatesOfConsciousness,
        ChcDomain::Other,
    ];

    /// The domain's code, as testers type it (`psychological`, `altered_states`, ...).
    pub fn code(self) -> &'static str {
        match self {
            ChcDomain::Breathing => "breathing",
            ChcDomain::Nutrition => "nutrition",
            ChcDomain::Continence => "continence",
            ChcDomain::Skin => "skin",
            ChcDomain::Mobility => "mobility",
            ChcDomain::Communication => "communication",
            ChcDomain::PsychologicalEmotional => "psychological",
            ChcDomain::Cognition => "cognition",
            ChcDomain::Behaviour => "behaviour",
            ChcDomain::DrugTherapies => "drug_therapies",
            ChcDomain::AlteredStatesOfConsciousness => "altered_states",
            ChcDomain::Other => "other",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|d| d.code() == code.trim().to_lowercase())
    }

    pub const CHECKLIST: [ChcDomain; 11] = [
        ChcDomain::Breathing,
        ChcDomain::Nutrition,
        ChcDomain::Continence,
        ChcDomain::Skin,
        ChcDomain::Mobility,
        ChcDomain::Communication,
        ChcDomain::PsychologicalEmotional,
        ChcDomain::Cognition,
        ChcDomain::Behaviour,
        ChcDomain::DrugTherapies,
        ChcDomain::AlteredStatesOfConsciousness,
    ];

    pub fn label(self) -> &'static str {
        match self {
            ChcDomain::Breathing => "Breathing",
            ChcDomain::Nutrition => "Nutrition",
            ChcDomain::Continence => "Continence",
            ChcDomain::Skin => "Skin",
            ChcDomain::Mobility => "Mobility",
            ChcDomain::Communication => "Communication",
            ChcDomain::PsychologicalEmotional => "Psychological and emotional needs",
            ChcDomain::Cognition => "Cognition",
            ChcDomain::Behaviour => "Behaviour",
            ChcDomain::DrugTherapies => "Drug therapies and medication",
            ChcDomain::AlteredStatesOfConsciousness => "Altered states of consciousness",
            ChcDomain::Other => "Other significant care needs",
        }
    }

    /// The four asterisked Checklist domains, which carry a Priority level in the DST.
    ///
    /// Unconfirmed as to the exact asterisk rendering on the form (RULES.md 2.1 [U]).
    pub fn is_asterisked(self) -> bool {
        matches!(
            self,
            ChcDomain::Breathing
                | ChcDomain::Behaviour
                | ChcDomain::DrugTherapies
                | ChcDomain::AlteredStatesOfConsciousness
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChcAssessmentKind {
    Checklist,
    Dst,
    FastTrack,
    Review,
}

/// An ICB decision as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IcbDecision {
    pub date: NaiveDate,
    pub is_eligible: bool,
    #[serde(default)]
    pub note: Option<String>,
    /// Who at the ICB made the decision (recorded since migration 0020; an older
    /// import may not say).
    #[serde(default)]
    pub decided_by: Option<String>,
}

/// One CHC Checklist, DST, Fast Track or review.
#[derive(Debug, Clone, PartialEq)]
pub struct ChcAssessment {
    /// Store id of the assessment's episode.
    pub episode_id: i64,
    pub kind: ChcAssessmentKind,
    pub completed_on: NaiveDate,
    pub completed_by: Option<String>,
    /// Domain and the level as written: `A`/`B`/`C` for a Checklist; `N L M H S P`
    /// for a DST.
    pub domains: Vec<(ChcDomain, String)>,
    /// The MDT's recommendation (DST); for a Fast Track, the clinician's reason.
    pub mdt_recommendation: Option<String>,
    pub icb_decision: Option<IcbDecision>,
    /// A positive or negative outcome stated by the source when no domain grid came.
    pub recorded_positive: Option<bool>,
    /// The assessor's evidence note per domain, where one was written.
    pub evidence: Vec<(ChcDomain, String)>,
}

/// Who may complete a Fast Track: an appropriate clinician, meaning a registered
/// nurse or registered medical practitioner responsible for the person's diagnosis,
/// treatment or care (RULES.md 2.4; from secondary sources citing the NHS Act 2006).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FastTrackClinician {
    RegisteredNurse,
    RegisteredMedicalPractitioner,
}

impl FastTrackClinician {
    pub fn label(self) -> &'static str {
        match self {
            FastTrackClinician::RegisteredNurse => "Registered nurse",
            FastTrackClinician::RegisteredMedicalPractitioner => "Registered medical practitioner",
        }
    }
}

/// Check a Fast Track before it is recorded: who completed it, as what, and why.
/// No Checklist or DST applies; the ICB must accept a properly completed Fast Track.
pub fn check_fast_track(completed_by: &str, clinician: Option<FastTrackClinician>, reason: &str) -> Result<(), String> {
    if completed_by.trim().is_empty() {
        return Err("say who completed the Fast Track".into());
    }
    if clinician.is_none() {
        return Err("a Fast Track is completed by an appropriate clinician: a registered nurse or a registered medical practitioner".into());
    }
    if reason.trim().len() < 10 {
        return Err("give the reason: a rapidly deteriorating condition that may be entering a terminal phase".into());
    }
    Ok(())
}

/// The Checklist outcome the rules give, with its reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChecklistOutcome {
    pub is_full_assessment_required: bool,
    pub reason: String,
}

/// Apply the Checklist threshold (RULES.md 2.1): full assessment required when any of
/// 2+ A; 5+ B; 1 A and 4+ B; A in an asterisked domain.
///
/// Unconfirmed: the exact gov.uk wording was not retrieved; the rule is from
/// consistent secondary sources (West Hampshire CCG, beaconchc, Smart Care).
pub fn checklist_outcome(levels: &[(ChcDomain, String)]) -> ChecklistOutcome {
    let in_col = |col: &str| -> Vec<ChcDomain> {
        levels
            .iter()
            .filter(|(_, l)| l.trim().eq_ignore_ascii_case(col))
            .map(|(d, _)| *d)
            .collect()
    };
    let a = in_col("A");
    let b = in_col("B");
    let names = |ds: &[ChcDomain]| ds.iter().map(|d| d.label()).collect::<Vec<_>>().join(", ");
    let starred: Vec<ChcDomain> = a.iter().copied().filter(|d| d.is_asterisked()).collect();
    let reason = if !starred.is_empty() {
        Some(format!("A in {}, an asterisked domain", names(&starred)))
    } else if a.len() >= 2 {
        Some(format!("{} domains in column A: {}", a.len(), names(&a)))
    } else if b.len() >= 5 {
        Some(format!("{} domains in column B: {}", b.len(), names(&b)))
    } else if a.len() == 1 && b.len() >= 4 {
        Some(format!(
            "1 domain in column A ({}) and {} in column B: {}",
            names(&a),
            b.len(),
            names(&b)
        ))
    } else {
        None
    };
    match reason {
        Some(r) => ChecklistOutcome {
            is_full_assessment_required: true,
            reason: format!("full assessment required: {r}"),
        },
        None => ChecklistOutcome {
            is_full_assessment_required: false,
            reason: format!(
                "no full assessment required: {} in column A, {} in column B, no asterisked A",
                a.len(),
                b.len()
            ),
        },
    }
}

impl ChcAssessment {
    /// True for a Checklist that is positive: by its grid, or as recorded.
    pub fn is_positive_checklist(&self) -> bool {
        self.kind == ChcAssessmentKind::Checklist
            && if self.domains.is_empty() {
                self.recorded_positive == Some(true)
            } else {
                checklist_outcome(&self.domains).is_full_assessment_required
            }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ChcDomain::*;

    fn grid(a: &[ChcDomain], b: &[ChcDomain]) -> Vec<(ChcDomain, String)> {
        ChcDomain::CHECKLIST
            .iter()
            .map(|d| {
                let l = if a.contains(d) {
                    "A"
                } else if b.contains(d) {
                    "B"
                } else {
                    "C"
                };
                (*d, l.to_owned())
            })
            .collect()
    }

    #[test]
    fn fast_track_needs_an_appropriate_clinician_and_a_reason() {
        let nurse = Some(FastTrackClinician::RegisteredNurse);
        assert!(check_fast_track("A. Mensah", nurse, "Rapid decline, likely last weeks of life").is_ok());
        assert!(
            check_fast_track("A. Mensah", None, "Rapid decline, likely last weeks of life")
                .unwrap_err()
                .contains("appropriate clinician")
        );
        assert!(check_fast_track("", nurse, "Rapid decline").is_err());
        assert!(
            check_fast_track("A. Mensah", nurse, "ill")
                .unwrap_err()
                .starts_with("give the reason")
        );
    }

    #[test]
    fn checklist_threshold_table() {
        let cases: &[(&[ChcDomain], &[ChcDomain], bool, &str)] = &[
            (
                &[],
                &[],
                false,
                "no full assessment required: 0 in column A, 0 in column B, no asterisked A",
            ),
            (
                &[Mobility, Cognition],
                &[],
                true,
                "full assessment required: 2 domains in column A: Mobility, Cognition",
            ),
            (
                &[],
                &[Nutrition, Continence, Skin, Mobility, Cognition],
                true,
                "full assessment required: 5 domains in column B: Nutrition, Continence, Skin, Mobility, Cognition",
            ),
            (
                &[],
                &[Nutrition, Continence, Skin, Mobility],
                false,
                "no full assessment required: 0 in column A, 4 in column B, no asterisked A",
            ),
            (
                &[Skin],
                &[Nutrition, Continence, Mobility, Cognition],
                true,
                "full assessment required: 1 domain in column A (Skin) and 4 in column B: Nutrition, Continence, Mobility, Cognition",
            ),
            (
                &[Skin],
                &[Nutrition, Continence, Mobility],
                false,
                "no full assessment required: 1 in column A, 3 in column B, no asterisked A",
            ),
            (
                &[Behaviour],
                &[],
                true,
                "full assessment required: A in Behaviour, an asterisked domain",
            ),
        ];
        for (a, b, expected, reason) in cases {
            let o = checklist_outcome(&grid(a, b));
            assert_eq!(o.is_full_assessment_required, *expected, "{reason}");
            assert_eq!(o.reason, *reason);
        }
    }
}
