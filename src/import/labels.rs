//! Sensitive categories for items their source did not label, decided once for
//! every format before the store sees a batch: a safeguarding enquiry is always in
//! the safeguarding category, and any other item or plan whose words name a
//! sensitive category (`domain::sensitive_terms`: its title, organisation, detail
//! and source; a plan's title, goals, needs and actions) takes that category. A
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
        let text = format!(
            "{}\n{}\n{}\n{}",
            e.title,
            e.organisation.as_deref().unwrap_or(""),
            e.detail,
            e.provenance.source
        );
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
}
