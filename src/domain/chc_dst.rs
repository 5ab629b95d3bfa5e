//! The Decision Support Tool: the levels each of the 12 domains allows, and the
//! rule-based recommendation with its reason (RULES.md section 2.2).
//!
//! The rules inform, they never decide: the MDT recommends and the ICB decides.

use serde::{Deserialize, Serialize};

use super::chc::ChcDomain;

/// DST levels, lowest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DstLevel {
    No,
    Low,
    Moderate,
    High,
    Severe,
    Priority,
}

impl DstLevel {
    pub const ALL: [DstLevel; 6] = [
        DstLevel::No,
        DstLevel::Low,
        DstLevel::Moderate,
        DstLevel::High,
        DstLevel::Severe,
        DstLevel::Priority,
    ];

    /// `no|low|moderate|high|severe|priority` (the CLI), or the letters N L M H S P (forms, bundles).
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_lowercase().as_str() {
            "no" | "n" | "no needs" | "none" => Some(DstLevel::No),
            "low" | "l" => Some(DstLevel::Low),
            "moderate" | "m" => Some(DstLevel::Moderate),
            "high" | "h" => Some(DstLevel::High),
            "severe" | "s" => Some(DstLevel::Severe),
            "priority" | "p" => Some(DstLevel::Priority),
            _ => None,
        }
    }

    pub fn letter(self) -> &'static str {
        match self {
            DstLevel::No => "N",
            DstLevel::Low => "L",
            DstLevel::Moderate => "M",
            DstLevel::High => "H",
            DstLevel::Severe => "S",
            DstLevel::Priority => "P",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            DstLevel::No => "No needs",
            DstLevel::Low => "Low",
            DstLevel::Moderate => "Moderate",
            DstLevel::High => "High",
            DstLevel::Severe => "Severe",
            DstLevel::Priority => "Priority",
        }
    }
}

/// The levels a domain can have (RULES.md 2.2 table).
///
/// Unconfirmed: Altered states of consciousness having no Severe level, Nutrition
/// reaching Severe (one secondary source says High), and the "Other" row (RULES.md
/// section 9 lists these as gaps).
pub fn allowed_levels(domain: ChcDomain) -> &'static [DstLevel] {
    use DstLevel::*;
    match domain {
        ChcDomain::Breathing | ChcDomain::Behaviour | ChcDomain::DrugTherapies => {
            &[No, Low, Moderate, High, Severe, Priority]
        }
        ChcDomain::Nutrition | ChcDomain::Skin | ChcDomain::Mobility | ChcDomain::Cognition => {
            &[No, Low, Moderate, High, Severe]
        }
        ChcDomain::Continence | ChcDomain::Communication | ChcDomain::PsychologicalEmotional => {
            &[No, Low, Moderate, High]
        }
        ChcDomain::AlteredStatesOfConsciousness => &[No, Low, Moderate, High, Priority],
        ChcDomain::Other => &[Low, Moderate, High, Severe],
    }
}

/// Check a level for a domain, with the reason when it is not allowed.
pub fn check_level(domain: ChcDomain, level: DstLevel) -> Result<(), String> {
    if allowed_levels(domain).contains(&level) {
        Ok(())
    } else {
        let allowed: Vec<&str> = allowed_levels(domain).iter().map(|l| l.label()).collect();
        Err(format!(
            "{} cannot be {}; its levels are {}",
            domain.label(),
            level.label(),
            allowed.join(", ")
        ))
    }
}

/// The level a domain takes when the DST leaves it out: "No needs", or for "Other"
/// (which has no "No needs" level) nothing at all.
pub fn default_level(domain: ChcDomain) -> Option<DstLevel> {
    (domain != ChcDomain::Other).then_some(DstLevel::No)
}

/// One Severe plus needs in at least this many other domains "may indicate" a
/// primary health need.
///
/// Unconfirmed: the DST says "a number of other domains"; this working threshold
/// (needs at Moderate or above in two others) is ours, for the MDT's attention only.
pub const SEVERE_PLUS_OTHERS: usize = 2;
/// This many domains at High, or at High and Moderate together, "may indicate" a
/// primary health need. Unconfirmed working thresholds, as above.
pub const MANY_HIGH: usize = 3;
pub const MANY_HIGH_OR_MODERATE: usize = 6;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DstRecommendation {
    /// Priority in a domain that has it, or Severe in two or more domains.
    ClearEligibility,
    /// A judgement for the MDT, never a decision.
    MayIndicatePrimaryHealthNeed,
    NotIndicated,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DstOutcome {
    pub recommendation: DstRecommendation,
    pub reason: String,
}

/// Apply the DST rules to a grid of levels (domains left out count as their default).
///
/// Unconfirmed: the verbatim DST paragraph was not retrieved; the rule follows
/// consistent secondary sources (West Hampshire CCG, careadvocate, chcfunding.uk).
pub fn dst_outcome(levels: &[(ChcDomain, DstLevel)]) -> DstOutcome {
    let at = |l: DstLevel| -> Vec<ChcDomain> { levels.iter().filter(|(_, x)| *x == l).map(|(d, _)| *d).collect() };
    let names = |ds: &[ChcDomain]| ds.iter().map(|d| d.label()).collect::<Vec<_>>().join(", ");
    let priority = at(DstLevel::Priority);
    let severe = at(DstLevel::Severe);
    let high = at(DstLevel::High);
    let moderate = at(DstLevel::Moderate);
    if !priority.is_empty() {
        return DstOutcome {
            recommendation: DstRecommendation::ClearEligibility,
            reason: format!(
                "clear recommendation of eligibility expected: Priority in {}",
                names(&priority)
            ),
        };
    }
    if severe.len() >= 2 {
        return DstOutcome {
            recommendation: DstRecommendation::ClearEligibility,
            reason: format!(
                "clear recommendation of eligibility expected: Severe in {} domains: {}",
                severe.len(),
                names(&severe)
            ),
        };
    }
    let may = |why: String| DstOutcome {
        recommendation: DstRecommendation::MayIndicatePrimaryHealthNeed,
        reason: format!("may indicate a primary health need, for the MDT's judgement: {why}"),
    };
    let others = high.len() + moderate.len();
    if severe.len() == 1 && others >= SEVERE_PLUS_OTHERS {
        return may(format!(
            "Severe in {} with needs in {others} other domains",
            names(&severe)
        ));
    }
    if high.len() >= MANY_HIGH {
        return may(format!("High in {} domains: {}", high.len(), names(&high)));
    }
    if others >= MANY_HIGH_OR_MODERATE {
        return may(format!(
            "{} domains at High and {} at Moderate",
            high.len(),
            moderate.len()
        ));
    }
    DstOutcome {
        recommendation: DstRecommendation::NotIndicated,
        reason: format!(
            "no rule indicates eligibility: {} Severe, {} High, {} Moderate",
            severe.len(),
            high.len(),
            moderate.len()
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ChcDomain::*;
    use DstLevel::*;

    #[test]
    fn every_domain_allows_exactly_its_levels() {
        let expect = |d: ChcDomain, max: DstLevel, has_no: bool, skip_severe: bool| {
            let mut v: Vec<DstLevel> = DstLevel::ALL.into_iter().filter(|l| *l <= max).collect();
            if !has_no {
                v.retain(|l| *l != No);
            }
            if skip_severe {
                v.retain(|l| *l != Severe);
            }
            assert_eq!(allowed_levels(d), v.as_slice(), "{d:?}");
        };
        for d in [Breathing, Behaviour, DrugTherapies] {
            expect(d, Priority, true, false);
        }
        for d in [Nutrition, Skin, Mobility, Cognition] {
            expect(d, Severe, true, false);
        }
        for d in [Continence, Communication, PsychologicalEmotional] {
            expect(d, High, true, false);
        }
        expect(AlteredStatesOfConsciousness, Priority, true, true);
        expect(Other, Severe, false, false);
        assert!(check_level(Continence, Severe).is_err());
        assert_eq!(
            check_level(AlteredStatesOfConsciousness, Severe).unwrap_err(),
            "Altered states of consciousness cannot be Severe; its levels are No needs, Low, Moderate, High, Priority"
        );
        assert!(check_level(Other, No).is_err());
    }

    #[test]
    fn dst_thresholds_and_just_below() {
        type Case<'a> = (&'a [(ChcDomain, DstLevel)], DstRecommendation, &'a str);
        let cases: &[Case] = &[
            (
                &[(Breathing, Priority)],
                DstRecommendation::ClearEligibility,
                "clear recommendation of eligibility expected: Priority in Breathing",
            ),
            (
                &[(Skin, Severe), (Mobility, Severe)],
                DstRecommendation::ClearEligibility,
                "clear recommendation of eligibility expected: Severe in 2 domains: Skin, Mobility",
            ),
            (
                &[(Skin, Severe), (Mobility, High), (Cognition, Moderate)],
                DstRecommendation::MayIndicatePrimaryHealthNeed,
                "may indicate a primary health need, for the MDT's judgement: Severe in Skin with needs in 2 other domains",
            ),
            (
                &[(Skin, Severe), (Mobility, High)],
                DstRecommendation::NotIndicated,
                "no rule indicates eligibility: 1 Severe, 1 High, 0 Moderate",
            ),
            (
                &[(Skin, High), (Mobility, High), (Cognition, High)],
                DstRecommendation::MayIndicatePrimaryHealthNeed,
                "may indicate a primary health need, for the MDT's judgement: High in 3 domains: Skin, Mobility, Cognition",
            ),
            (
                &[
                    (Skin, High),
                    (Mobility, High),
                    (Cognition, Moderate),
                    (Nutrition, Moderate),
                    (Continence, Moderate),
                    (Behaviour, Moderate),
                ],
                DstRecommendation::MayIndicatePrimaryHealthNeed,
                "may indicate a primary health need, for the MDT's judgement: 2 domains at High and 4 at Moderate",
            ),
            (
                &[
                    (Skin, High),
                    (Mobility, High),
                    (Cognition, Moderate),
                    (Nutrition, Moderate),
                    (Continence, Moderate),
                ],
                DstRecommendation::NotIndicated,
                "no rule indicates eligibility: 0 Severe, 2 High, 3 Moderate",
            ),
            (
                &[],
                DstRecommendation::NotIndicated,
                "no rule indicates eligibility: 0 Severe, 0 High, 0 Moderate",
            ),
        ];
        for (levels, rec, reason) in cases {
            let o = dst_outcome(levels);
            assert_eq!(o.recommendation, *rec, "{reason}");
            assert_eq!(o.reason, *reason);
        }
    }

    #[test]
    fn level_words_and_letters() {
        assert_eq!(DstLevel::parse("severe"), Some(Severe));
        assert_eq!(DstLevel::parse("P"), Some(Priority));
        assert_eq!(DstLevel::parse("no"), Some(No));
        assert_eq!(DstLevel::parse("extreme"), None);
    }
}
