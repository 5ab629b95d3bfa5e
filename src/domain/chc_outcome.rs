//! What a recorded CHC assessment is called and what the rules give for its grid:
//! shown on the CHC screen, printed, and written to the audit log.

use crate::domain::chc::{ChcAssessment, ChcAssessmentKind, ChcDomain, checklist_outcome};
use crate::domain::chc_dst::{DstLevel, dst_outcome};

/// The rule outcome and its reason for any kind of assessment.
pub fn rule_outcome(a: &ChcAssessment) -> Option<String> {
    match a.kind {
        ChcAssessmentKind::Checklist if !a.domains.is_empty() => Some(checklist_outcome(&a.domains).reason),
        ChcAssessmentKind::Dst if !a.domains.is_empty() => {
            let grid: Vec<(ChcDomain, DstLevel)> = a
                .domains
                .iter()
                .filter_map(|(d, l)| DstLevel::parse(l).map(|l| (*d, l)))
                .collect();
            Some(dst_outcome(&grid).reason)
        }
        _ => None,
    }
}

/// The assessment's full name: `NHS Continuing Healthcare Checklist`.
pub fn title(a: &ChcAssessment) -> &'static str {
    match a.kind {
        ChcAssessmentKind::Checklist => "NHS Continuing Healthcare Checklist",
        ChcAssessmentKind::Dst => "NHS Continuing Healthcare Decision Support Tool",
        ChcAssessmentKind::FastTrack => "NHS Continuing Healthcare Fast Track",
        ChcAssessmentKind::Review => "NHS Continuing Healthcare review",
    }
}
