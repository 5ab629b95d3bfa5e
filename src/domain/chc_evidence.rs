//! Evidence for a CHC domain from the merged record: the timeline items, from either
//! sector, whose title or detail mentions what the domain is about.
//!
//! How items are matched: each domain has a short list of words and phrases (below);
//! an item matches when its title or detail contains one of them, ignoring case.
//! Sensitive items are never offered as evidence. The match is a pointer for the
//! assessor, not a judgement: they read the item and decide.

use super::Episode;
use super::chc::ChcDomain;

/// The words that link an item to a domain.
pub fn keywords(domain: ChcDomain) -> &'static [&'static str] {
    match domain {
        ChcDomain::Breathing => &[
            "breath",
            "copd",
            "oxygen",
            "niv",
            "chest",
            "asthma",
            "pneumonia",
            "respiratory",
        ],
        ChcDomain::Nutrition => &[
            "nutrition",
            "weight",
            "peg",
            "swallow",
            "meals",
            "diet",
            "dehydrat",
            "malnutrition",
        ],
        ChcDomain::Continence => &["continence", "catheter", "urinary", "bladder", "bowel", "uti", "stoma"],
        ChcDomain::Skin => &[
            "pressure",
            "ulcer",
            "wound",
            "dressing",
            "skin",
            "tissue viability",
            "cellulitis",
        ],
        ChcDomain::Mobility => &[
            "fall",
            "mobility",
            "mobilis",
            "frame",
            "hoist",
            "transfer",
            "hip",
            "wheelchair",
            "fracture",
        ],
        ChcDomain::Communication => &["communication", "hearing", "speech", "aphasia", "sight", "visual"],
        ChcDomain::PsychologicalEmotional => &[
            "anxiety",
            "depress",
            "low mood",
            "mental health",
            "distress",
            "psycholog",
        ],
        ChcDomain::Cognition => &["dementia", "memory", "confusion", "delirium", "cognitive", "cognition"],
        ChcDomain::Behaviour => &["behaviour", "agitation", "aggress", "wandering", "challenging"],
        ChcDomain::DrugTherapies => &[
            "medication",
            "syringe driver",
            "insulin",
            "pain",
            "symptom control",
            "parkinson",
        ],
        ChcDomain::AlteredStatesOfConsciousness => {
            &["seizure", "epilep", "consciousness", "hypoglyc", "blackout", "collapse"]
        }
        ChcDomain::Other => &["end of life", "palliative", "tracheostomy", "ventilat"],
    }
}

/// Items of the record that bear on a domain, newest first, each with the words that
/// matched.
pub fn evidence_for(domain: ChcDomain, episodes: &[Episode]) -> Vec<(&Episode, Vec<&'static str>)> {
    let words = keywords(domain);
    let mut out: Vec<(&Episode, Vec<&'static str>)> = episodes
        .iter()
        .filter(|e| !e.sensitivity.is_sensitive())
        .filter_map(|e| {
            let text = format!("{} {}", e.title, e.detail).to_lowercase();
            let hits: Vec<&'static str> = words.iter().copied().filter(|w| text.contains(w)).collect();
            (!hits.is_empty()).then_some((e, hits))
        })
        .collect();
    out.sort_by_key(|(e, _)| std::cmp::Reverse(e.start));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::EpisodeKind;
    use crate::domain::test_support::episode;

    #[test]
    fn items_from_both_sectors_match_by_words() {
        let mut fall = episode(EpisodeKind::AeAttendance, "2026-03-01", None);
        fall.title = "A&E: fall at home".into();
        let mut frame = episode(EpisodeKind::SocialCareAssessment, "2026-03-05", None);
        frame.title = "OT assessment".into();
        frame.detail = "Walking frame supplied".into();
        let mut ulcer = episode(EpisodeKind::CommunityContact, "2026-03-07", None);
        ulcer.title = "District nurse: pressure ulcer".into();
        let mut hidden = episode(EpisodeKind::SafeguardingEnquiry, "2026-03-08", None);
        hidden.title = "Fall after a push".into();
        hidden.sensitivity = crate::domain::Sensitivity::Safeguarding;
        let all = vec![fall, frame, ulcer, hidden];
        let mobility = evidence_for(ChcDomain::Mobility, &all);
        let titles: Vec<&str> = mobility.iter().map(|(e, _)| e.title.as_str()).collect();
        assert_eq!(
            titles,
            vec!["OT assessment", "A&E: fall at home"],
            "newest first, sensitive left out"
        );
        assert_eq!(mobility[0].1, vec!["frame"]);
        assert_eq!(evidence_for(ChcDomain::Skin, &all).len(), 1);
        assert!(evidence_for(ChcDomain::Behaviour, &all).is_empty());
    }
}
