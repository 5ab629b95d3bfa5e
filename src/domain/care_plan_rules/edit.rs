//! A plan edited in the window (SAFETY.md H49): what may be saved as its next
//! version. Every goal, need and action has words, every need a reference unique in
//! the plan, and every action meets only needs the plan has (`link_problems`).

use crate::domain::care_plan::{CarePlan, PlanAction, PlanNeed, VersionRecorded, link_problems};

/// The parts of a plan a coordinator edits: goals, needs, and actions (each with
/// the needs it meets, due date and status).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PlanDraft {
    pub goals: Vec<String>,
    pub needs: Vec<PlanNeed>,
    pub actions: Vec<PlanAction>,
}

impl PlanDraft {
    /// The draft a plan version starts its editor with.
    pub fn of(plan: &CarePlan) -> PlanDraft {
        PlanDraft {
            goals: plan.goals.clone(),
            needs: plan.needs.clone(),
            actions: plan.actions.clone(),
        }
    }

    /// The next free need reference ("N3"), for a need added in the editor.
    pub fn fresh_need_ref(&self) -> String {
        let taken = |r: &str| self.needs.iter().any(|n| n.need_ref.as_deref() == Some(r));
        (1..).map(|k| format!("N{k}")).find(|r| !taken(r)).unwrap_or_default()
    }

    /// The next version of `base` this draft makes, recorded as `recorded`; or the
    /// problems that refuse it, each one plain sentence. Words are trimmed; a need
    /// without a reference is given a fresh one.
    pub fn next_version(&self, base: &CarePlan, recorded: VersionRecorded) -> Result<CarePlan, Vec<String>> {
        let mut draft = self.clone();
        let mut problems = Vec::new();
        for g in &mut draft.goals {
            *g = g.trim().to_owned();
        }
        if draft.goals.iter().any(String::is_empty) {
            problems.push("a goal has no words: write it or remove it".to_owned());
        }
        for i in 0..draft.needs.len() {
            draft.needs[i].description = draft.needs[i].description.trim().to_owned();
            if draft.needs[i].need_ref.as_deref().is_none_or(|r| r.trim().is_empty()) {
                let fresh = draft.fresh_need_ref();
                draft.needs[i].need_ref = Some(fresh);
            }
        }
        if draft.needs.iter().any(|n| n.description.is_empty()) {
            problems.push("a need has no description: describe it or remove it".to_owned());
        }
        for a in &mut draft.actions {
            a.description = a.description.trim().to_owned();
            a.responsible_name = a
                .responsible_name
                .as_deref()
                .map(str::trim)
                .filter(|n| !n.is_empty())
                .map(str::to_owned);
        }
        if draft.actions.iter().any(|a| a.description.is_empty()) {
            problems.push("an action has no description: describe it or remove it".to_owned());
        }
        problems.extend(link_problems(&draft.needs, &draft.actions));
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(CarePlan {
            version: base.version + 1,
            recorded,
            goals: draft.goals,
            needs: draft.needs,
            actions: draft.actions,
            ..base.clone()
        })
    }
}

/// The links that changed from `old` to `new`, in words, for actions in both
/// (by description): "Home care now meets Washing, Meals (was Washing)". The
/// version diff (`diff_versions`) says what else changed.
pub fn link_changes(old: &CarePlan, new: &CarePlan) -> Vec<String> {
    let names = |p: &CarePlan, a: &PlanAction| -> String {
        let met: Vec<&str> = p
            .needs
            .iter()
            .filter(|n| a.meets_need(n))
            .map(|n| n.description.as_str())
            .collect();
        if met.is_empty() {
            "no need".to_owned()
        } else {
            met.join(", ")
        }
    };
    new.actions
        .iter()
        .filter_map(|a| {
            let was = old.actions.iter().find(|o| o.description == a.description)?;
            let (before, after) = (names(old, was), names(new, a));
            (before != after).then(|| format!("{} now meets {after} (was {before})", a.description))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::care_plan::{ActionStatus, ResponsibleParty};

    fn need(r: Option<&str>, d: &str) -> PlanNeed {
        PlanNeed {
            need_ref: r.map(str::to_owned),
            description: d.into(),
            is_eligible: true,
        }
    }

    fn action(d: &str, meets: &[&str]) -> PlanAction {
        PlanAction {
            description: d.into(),
            responsible_party: ResponsibleParty::Provider,
            responsible_name: Some("  ".into()),
            meets: meets.iter().map(|m| m.to_string()).collect(),
            due: None,
            status: ActionStatus::InProgress,
        }
    }

    fn base() -> CarePlan {
        CarePlan {
            id: 7,
            kind: crate::domain::care_plan::PlanKind::CareAndSupport,
            sector: crate::domain::Sector::SocialCare,
            title: "Care and support plan".into(),
            owner: "Westmere Council".into(),
            status: "active".into(),
            version: 2,
            recorded: Default::default(),
            start: chrono::NaiveDate::from_ymd_opt(2026, 3, 1).unwrap(),
            last_review: None,
            next_review: None,
            goals: vec![],
            needs: vec![],
            actions: vec![],
            funding: None,
            personal_budget_weekly: None,
            sensitivity: crate::domain::Sensitivity::Normal,
            is_placeholder: false,
            provenance: Default::default(),
        }
    }

    #[test]
    fn a_new_need_gets_a_fresh_reference_and_blank_names_are_none() {
        let draft = PlanDraft {
            goals: vec![" Stay at home ".into()],
            needs: vec![need(Some("N1"), "Washing"), need(None, " Meals ")],
            actions: vec![action("Home care", &["N1"])],
        };
        assert_eq!(draft.fresh_need_ref(), "N2");
        let base = base();
        let next = draft.next_version(&base, VersionRecorded::default()).unwrap();
        assert_eq!(next.version, base.version + 1);
        assert_eq!(next.goals, vec!["Stay at home".to_owned()]);
        assert_eq!(next.needs[1].need_ref.as_deref(), Some("N2"));
        assert_eq!(next.needs[1].description, "Meals");
        assert_eq!(next.actions[0].responsible_name, None);
    }

    #[test]
    fn empty_words_and_a_link_to_no_need_are_refused() {
        let draft = PlanDraft {
            goals: vec!["".into()],
            needs: vec![need(Some("N1"), " ")],
            actions: vec![action("", &["N9"])],
        };
        let base = base();
        let problems = draft.next_version(&base, VersionRecorded::default()).unwrap_err();
        assert_eq!(problems.len(), 4, "{problems:?}");
        assert!(
            problems[3].contains("\"N9\", which is not a need of this plan"),
            "{problems:?}"
        );
    }
}
