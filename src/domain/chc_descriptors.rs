//! What each level of each CHC care domain means, shown when a coordinator hovers a
//! domain or a level on the Checklist and DST forms.
//!
//! Paraphrase, unconfirmed: the National Framework's Checklist (July 2022) and DST
//! (July 2022) descriptors were not retrieved in full. These are short, neutral
//! descriptions in our own words, written from the tools' structure (RULES.md 2.1
//! and 2.2: A high, B moderate, C no or low need; DST levels No needs to Priority).
//! They guide the eye and never replace the national tool, whose wording governs.

use super::chc::ChcDomain;
use super::chc_dst::DstLevel;

/// The Checklist's three columns for a domain: A (high), B (moderate), C (no or low).
/// Paraphrase, unconfirmed.
pub fn checklist_descriptions(domain: ChcDomain) -> [(&'static str, &'static str); 3] {
    use ChcDomain::*;
    let (a, b, c) = match domain {
        Breathing => (
            "Breathless at rest or on minimal effort, or needs oxygen, suction or ventilation support much of the time",
            "Breathless on moderate effort, or breathing problems that need regular treatment or monitoring",
            "Normal breathing, or breathlessness that is well managed with little or no support",
        ),
        Nutrition => (
            "Needs tube feeding, or has serious swallowing problems or weight loss needing skilled management",
            "Needs help and supervision to eat and drink, or a modified diet, to keep weight and fluids up",
            "Eats and drinks independently or with a little help such as cutting food",
        ),
        Continence => (
            "Continence care is problematic and needs timely skilled intervention (for example catheter or stoma problems)",
            "Incontinent of urine or faeces, managed with routine care and aids",
            "Continent, or continence managed independently",
        ),
        Skin => (
            "Open wounds or pressure ulcers that are not healing or need frequent skilled care",
            "Skin damage or a high risk of it, needing regular care, turning or dressings",
            "Skin intact, or minor risk managed with routine care",
        ),
        Mobility => (
            "Completely unable to move or to bear weight; at high risk of harm from falls or from being moved",
            "Needs the help of one or two carers or equipment to move, transfer or reposition",
            "Moves independently or with a little help or an aid",
        ),
        Communication => (
            "Unable to communicate needs reliably, even with every effort, so needs are anticipated",
            "Needs help, aids or time to communicate basic needs",
            "Communicates needs independently, in their preferred way",
        ),
        PsychologicalEmotional => (
            "Mood or anxiety severely affects daily life and does not respond to support",
            "Low mood, anxiety or distress that needs prompting and regular support",
            "Psychological and emotional needs are met with routine support",
        ),
        Cognition => (
            "Cognitive impairment means the person cannot recognise risk or basic needs, even with support",
            "Impairment needs supervision, prompting or help with decisions and daily risks",
            "No impairment, or impairment that needs little support",
        ),
        Behaviour => (
            "Behaviour that challenges and poses a serious or frequent risk to self, others or property",
            "Behaviour that needs a planned, predictable response to keep people safe",
            "No behaviour that challenges, or occasional behaviour that is easily managed",
        ),
        DrugTherapies => (
            "Symptoms (for example pain) need frequent, skilled review and adjustment of medication",
            "Medication or symptom control needs administration or monitoring by a carer or professional",
            "Symptoms controlled; takes medication independently or with simple prompting",
        ),
        AlteredStatesOfConsciousness => (
            "Frequent or severe episodes (for example seizures or loss of consciousness) that need skilled intervention",
            "Occasional episodes with some risk, needing a planned response",
            "No altered states of consciousness, or episodes with no risk",
        ),
        Other => (
            "(not a Checklist domain)",
            "(not a Checklist domain)",
            "(not a Checklist domain)",
        ),
    };
    [("A", a), ("B", b), ("C", c)]
}

/// What a DST level means in a domain; None for a level the domain does not have.
/// Paraphrase, unconfirmed: a domain-neutral description of each level, with the
/// domain named, rather than the DST's own per-domain wording.
pub fn dst_description(domain: ChcDomain, level: DstLevel) -> Option<String> {
    if !super::chc_dst::allowed_levels(domain).contains(&level) {
        return None;
    }
    let what = domain.label().to_lowercase();
    let text = match level {
        DstLevel::No => format!("No needs: no evident needs in {what}, or needs fully met by the person themselves"),
        DstLevel::Low => format!("Low: {what} needs met with routine care, prompting or simple aids"),
        DstLevel::Moderate => format!("Moderate: {what} needs regular help, supervision or monitoring by carers"),
        DstLevel::High => {
            format!("High: {what} needs frequent skilled care or intervention; risks must be actively managed")
        }
        DstLevel::Severe => {
            format!("Severe: {what} needs are complex or unpredictable and need skilled care to be given without delay")
        }
        DstLevel::Priority => format!(
            "Priority: {what} needs are so intense, complex or unpredictable that they threaten life or health without skilled care at all times"
        ),
    };
    Some(text)
}

/// Every description of a domain, one per line, for hovering over its name.
pub fn domain_hover(domain: ChcDomain, is_checklist: bool) -> String {
    let mut lines = vec![domain.label().to_owned()];
    if is_checklist {
        for (col, text) in checklist_descriptions(domain) {
            lines.push(format!("{col}: {text}"));
        }
    } else {
        for l in super::chc_dst::allowed_levels(domain) {
            lines.extend(dst_description(domain, *l));
        }
    }
    lines.push("Paraphrase, unconfirmed: the national tool's wording governs.".into());
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_domain_and_level_has_a_description() {
        for d in ChcDomain::CHECKLIST {
            let cols = checklist_descriptions(d);
            assert_eq!(cols.map(|(c, _)| c), ["A", "B", "C"]);
            assert!(
                cols.iter().all(|(_, t)| t.len() > 20 && !t.contains("not a Checklist")),
                "{d:?}"
            );
            assert!(domain_hover(d, true).contains("A: "), "{d:?}");
        }
        for d in ChcDomain::ALL {
            for l in DstLevel::ALL {
                let allowed = crate::domain::chc_dst::allowed_levels(d).contains(&l);
                assert_eq!(dst_description(d, l).is_some(), allowed, "{d:?} {l:?}");
            }
        }
        let cases: &[(ChcDomain, DstLevel, Option<&str>)] = &[
            (ChcDomain::Continence, DstLevel::Severe, None),
            (ChcDomain::Other, DstLevel::No, None),
            (
                ChcDomain::Breathing,
                DstLevel::Priority,
                Some("Priority: breathing needs"),
            ),
            (ChcDomain::Skin, DstLevel::Low, Some("Low: skin needs")),
        ];
        for (d, l, starts) in cases {
            let got = dst_description(*d, *l);
            assert_eq!(got.is_some(), starts.is_some(), "{d:?} {l:?}");
            if let (Some(g), Some(s)) = (got, starts) {
                assert!(g.starts_with(s), "{g}");
            }
        }
        assert!(domain_hover(ChcDomain::Other, false).starts_with("Other significant care needs\nLow:"));
    }
}
