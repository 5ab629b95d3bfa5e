//! Sensitive categories for items their source did not label, decided once for
//! every format before the store sees a batch: a safeguarding enquiry is always in
//! the safeguarding category, and any other item or plan whose words name a
//! sensitive category (`domain::sensitive_terms`: its title, organisation, detail
//! and source, and a CHC assessment's notes; a plan's title, goals, needs, actions,
//! who does them and who recorded the version) takes that category. A
//! label the source gave is kept. The word list errs towards hiding (a false match
//! costs a reason typed) and is not the national code list (RULES.md 8).

use crate::domain::batch::ImportBatch;
use crate::domain::sensitive_terms::sensitivity_of_text;
use crate::domain::{EpisodeKind, Sensitivity};

/// Label every unlabelled item and plan of `batch` that falls in a sensitive category.
pub fn label_sensitive(batch: &mut ImportBatch) {
    for entry in &mut batch.episodes {
        let e = &mut entry.episode;
        if e.sensitivity.is_sensitive() {
            continue;
        }
        if e.kind == EpisodeKind::SafeguardingEnquiry {
            e.sensitivity = Sensitivity::Safeguarding;
            continue;
        }
        let mut text = format!(
            "{}\n{}\n{}\n{}\n",
            e.title,
            e.organisation.as_deref().unwrap_or(""),
            e.detail,
            e.provenance.source
        );
        // A CHC assessment's own words go where the item goes (the CHC screen and
        // its print): the evidence notes, the MDT's recommendation, the ICB's note
        // and who decided (hostile review: a note naming domestic abuse printed).
        if let Some(a) = &entry.chc {
            for (_, note) in &a.evidence {
                text.push_str(note);
                text.push('\n');
            }
            for t in [&a.mdt_recommendation, &a.completed_by].into_iter().flatten() {
                text.push_str(t);
                text.push('\n');
            }
            if let Some(d) = &a.icb_decision {
                for t in [&d.note, &d.decided_by].into_iter().flatten() {
                    text.push_str(t);
                    text.push('\n');
                }
            }
        }
        e.sensitivity = sensitivity_of_text(&text);
    }
    for entry in &mut batch.care_plans {
        let p = &mut entry.plan;
        if p.sensitivity.is_sensitive() {
            continue;
        }
        let mut text = format!("{}\n{}\n", p.title, p.owner);
        for g in &p.goals {
            text.push_str(g);
            text.push('\n');
        }
        for n in &p.needs {
            text.push_str(&n.description);
            text.push('\n');
        }
        for a in &p.actions {
            text.push_str(&a.description);
            text.push('\n');
            // Who does it ("Westmere Sexual Health Clinic") names a category too.
            if let Some(name) = &a.responsible_name {
                text.push_str(name);
                text.push('\n');
            }
        }
        // And who recorded the version, and where (hostile review: a refuge as the
        // recorder's organisation was shown and printed without a reason).
        for t in [&p.recorded.by, &p.recorded.organisation].into_iter().flatten() {
            text.push_str(t);
            text.push('\n');
        }
        p.sensitivity = sensitivity_of_text(&text);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::batch::{EpisodeEntry, PersonKey};
    use crate::domain::test_support::episode;

    fn entry(kind: EpisodeKind, title: &str, organisation: Option<&str>) -> EpisodeEntry {
        let mut e = episode(kind, "2026-06-01T10:00", None);
        e.title = title.into();
        e.organisation = organisation.map(str::to_owned);
        EpisodeEntry {
            person: PersonKey::Nhs(crate::domain::NhsNumber::parse("9990000018").unwrap()),
            episode: e,
            spell: None,
            chc: None,
            replaces_existing: false,
        }
    }

    #[test]
    fn unlabelled_items_take_the_category_their_kind_or_words_name() {
        let mut batch = ImportBatch {
            episodes: vec![
                entry(EpisodeKind::SafeguardingEnquiry, "Enquiry", None),
                entry(
                    EpisodeKind::Outpatient,
                    "Attendance",
                    Some("Westmere Sexual Health Service"),
                ),
                entry(
                    EpisodeKind::Outpatient,
                    "Genitourinary medicine clinic - chlamydia treatment",
                    None,
                ),
                entry(
                    EpisodeKind::GpEncounter,
                    "Review: osteoarthritis",
                    Some("Riverside Surgery"),
                ),
            ],
            ..Default::default()
        };
        label_sensitive(&mut batch);
        let got: Vec<Sensitivity> = batch.episodes.iter().map(|e| e.episode.sensitivity).collect();
        assert_eq!(
            got,
            vec![
                Sensitivity::Safeguarding,
                Sensitivity::SexualHealth,
                Sensitivity::SexualHealth,
                Sensitivity::Normal
            ]
        );
    }

    /// The words a hostile review got past the check: a CHC evidence note, an action's
    /// "who does it", a plan version's recorder organisation.
    #[test]
    fn chc_notes_and_a_plans_people_are_read_too() {
        use crate::domain::care_plan::{
            ActionStatus, CarePlan, PlanAction, PlanKind, ResponsibleParty, VersionRecorded,
        };
        use crate::domain::chc::{ChcAssessment, ChcAssessmentKind, ChcDomain};
        let mut chc = entry(EpisodeKind::ChcDst, "Decision Support Tool", Some("Northgate ICB"));
        chc.chc = Some(ChcAssessment {
            episode_id: 0,
            kind: ChcAssessmentKind::Dst,
            completed_on: chrono::NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(),
            completed_by: None,
            domains: vec![(ChcDomain::Behaviour, "H".into())],
            mdt_recommendation: None,
            icb_decision: None,
            recorded_positive: None,
            evidence: vec![(ChcDomain::Behaviour, "Disclosed domestic abuse by partner".into())],
        });
        let plan = |action_by: Option<&str>, recorded_at: Option<&str>| CarePlan {
            id: 0,
            kind: PlanKind::CareAndSupport,
            sector: crate::domain::Sector::SocialCare,
            title: "Care and support plan".into(),
            owner: "Westmere Council".into(),
            status: "active".into(),
            version: 1,
            recorded: VersionRecorded {
                at: None,
                by: None,
                organisation: recorded_at.map(str::to_owned),
            },
            start: chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
            last_review: None,
            next_review: None,
            goals: vec![],
            needs: vec![],
            actions: vec![PlanAction {
                description: "Weekly appointment".into(),
                responsible_party: ResponsibleParty::NhsBody,
                responsible_name: action_by.map(str::to_owned),
                meets: vec![],
                due: None,
                status: ActionStatus::NotStarted,
            }],
            funding: None,
            personal_budget_weekly: None,
            sensitivity: Sensitivity::Normal,
            is_placeholder: false,
            provenance: Default::default(),
        };
        let person = PersonKey::Nhs(crate::domain::NhsNumber::parse("9990000018").unwrap());
        let mut batch = ImportBatch {
            episodes: vec![chc],
            care_plans: [
                plan(Some("Westmere Sexual Health Clinic"), None),
                plan(None, Some("Domestic Abuse Refuge Service")),
                plan(Some("Northgate Community Nursing"), Some("Westmere Council")),
            ]
            .into_iter()
            .map(|plan| crate::domain::batch::CarePlanEntry {
                person: person.clone(),
                plan_ref: "P1".into(),
                plan,
            })
            .collect(),
            ..Default::default()
        };
        label_sensitive(&mut batch);
        assert_eq!(batch.episodes[0].episode.sensitivity, Sensitivity::Safeguarding);
        let got: Vec<Sensitivity> = batch.care_plans.iter().map(|p| p.plan.sensitivity).collect();
        assert_eq!(
            got,
            vec![
                Sensitivity::SexualHealth,
                Sensitivity::Safeguarding,
                Sensitivity::Normal
            ]
        );
    }
}
