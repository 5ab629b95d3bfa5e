//! What a recorded CHC assessment is called and what the rules give for its grid:
//! shown on the CHC screen, printed, and written to the audit log.

use crate::domain::chc::{ChcAssessment, ChcAssessmentKind, ChcDomain, checklist_outcome};
use crate::domain::chc_dst::{DstLevel, DstRecommendation, dst_outcome};

/// The rule outcome and its reason for any kind of assessment. A negative outcome
/// of a grid its source gave in part (the domains left out read as C, or as no
/// needs) says so, with how many domains were recorded: never a bare "no full
/// assessment required" of one domain (hostile review; SAFETY.md H42).
pub fn rule_outcome(a: &ChcAssessment) -> Option<String> {
    let (reason, negative, lowest) = match a.kind {
        ChcAssessmentKind::Checklist if !a.domains.is_empty() => {
            let o = checklist_outcome(&a.domains);
            (o.reason, !o.is_full_assessment_required, "C")
        }
        ChcAssessmentKind::Dst if !a.domains.is_empty() => {
            let grid: Vec<(ChcDomain, DstLevel)> = a
                .domains
                .iter()
                .filter_map(|(d, l)| DstLevel::parse(l).map(|l| (*d, l)))
                .collect();
            let o = dst_outcome(&grid);
            (
                o.reason,
                o.recommendation != DstRecommendation::ClearEligibility,
                "no needs",
            )
        }
        _ => return None,
    };
    match crate::domain::chc_grid::check_recorded(a) {
        Err(missing) if negative => Some(format!(
            "{reason} (only {} of {} domains recorded by the source; the others read as {lowest})",
            missing.chosen, missing.of
        )),
        _ => Some(reason),
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

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn checklist(domains: &[(ChcDomain, &str)]) -> ChcAssessment {
        ChcAssessment {
            episode_id: 1,
            kind: ChcAssessmentKind::Checklist,
            completed_on: NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(),
            completed_by: None,
            domains: domains.iter().map(|(d, l)| (*d, (*l).to_owned())).collect(),
            mdt_recommendation: None,
            icb_decision: None,
            recorded_positive: None,
            evidence: vec![],
        }
    }

    #[test]
    fn a_negative_outcome_of_a_partial_grid_says_how_little_was_recorded() {
        let one = rule_outcome(&checklist(&[(ChcDomain::Breathing, "C")])).unwrap();
        assert!(
            one.contains("only 1 of 11 domains recorded by the source; the others read as C"),
            "{one}"
        );
        let whole: Vec<(ChcDomain, &str)> = ChcDomain::CHECKLIST.iter().map(|d| (*d, "C")).collect();
        let all = rule_outcome(&checklist(&whole)).unwrap();
        assert!(!all.contains("domains recorded"), "{all}");
        // A positive outcome stands on what was recorded: more needs only add to it.
        let positive = rule_outcome(&checklist(&[(ChcDomain::Breathing, "A")])).unwrap();
        assert!(!positive.contains("domains recorded"), "{positive}");
    }
}
