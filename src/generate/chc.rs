//! Synthetic NHS Continuing Healthcare: Checklists and DSTs whose grids give the outcome
//! the rules expect (RULES.md 2).

use super::*;

/// A positive Checklist, then (for most) a DST and the ICB's decision. Some are
/// still waiting, so the caseload has open and overdue cases.
pub(super) fn chc(w: &mut Writer<'_>, rng: &mut Rng, as_of: NaiveDate) {
    use ChcDomain::*;
    let checked = as_of - Duration::days(rng.between(5, 300));
    let grid = vec![
        (Breathing, "A".to_owned()),
        (Mobility, "B".to_owned()),
        (Continence, "B".to_owned()),
        (Cognition, "B".to_owned()),
    ];
    let entry = w.add(
        EpisodeKind::ChcChecklist,
        "CHC Checklist".into(),
        at(checked, 10),
        None,
        "Synthetic ICB",
        CHC_SOURCE,
        &[],
    );
    entry.chc = Some(ChcAssessment {
        episode_id: 0,
        kind: ChcAssessmentKind::Checklist,
        completed_on: checked,
        completed_by: Some("Ward nurse".into()),
        domains: grid,
        mdt_recommendation: None,
        icb_decision: None,
        recorded_positive: None,
        evidence: vec![],
    });
    let dst_day = checked + Duration::days(rng.between(14, 40));
    if dst_day >= as_of || rng.chance(150) {
        return;
    }
    let eligible = rng.chance(350);
    let domains = vec![
        (Breathing, if eligible { "S" } else { "H" }.to_owned()),
        (Cognition, if eligible { "S" } else { "M" }.to_owned()),
        (Mobility, "H".to_owned()),
        (Continence, "M".to_owned()),
        (Nutrition, "L".to_owned()),
    ];
    let decided = dst_day + Duration::days(rng.between(3, 20));
    let entry = w.add(
        EpisodeKind::ChcDst,
        "CHC Decision Support Tool".into(),
        at(dst_day, 10),
        None,
        "Synthetic ICB",
        CHC_SOURCE,
        &[],
    );
    entry.chc = Some(ChcAssessment {
        episode_id: 0,
        kind: ChcAssessmentKind::Dst,
        completed_on: dst_day,
        completed_by: Some("MDT: CHC nurse assessor, social worker".into()),
        domains,
        mdt_recommendation: Some(if eligible { "Eligible" } else { "Not eligible" }.into()),
        icb_decision: (decided < as_of).then_some(IcbDecision {
            date: decided,
            is_eligible: eligible,
            note: None,
            decided_by: None,
        }),
        recorded_positive: None,
        evidence: vec![],
    });
}
