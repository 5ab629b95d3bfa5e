//! Care plan rules at their boundaries.

use super::*;
use crate::domain::care_plan::{Funding, PlanAction, PlanNeed};
use crate::domain::dates::parse_date;
use crate::domain::{Provenance, Sector};

fn day(s: &str) -> NaiveDate {
    parse_date(s).unwrap()
}

fn plan(id: i64, kind: PlanKind, start: &str) -> CarePlan {
    CarePlan {
        id,
        kind,
        sector: Sector::SocialCare,
        title: format!("Plan {id}"),
        owner: "Westmere Council".into(),
        status: "active".into(),
        version: 1,
        recorded: Default::default(),
        start: day(start),
        last_review: None,
        next_review: None,
        goals: vec![],
        needs: vec![],
        actions: vec![],
        funding: None,
        personal_budget_weekly: None,
        sensitivity: crate::domain::Sensitivity::Normal,
        is_placeholder: false,
        provenance: Provenance::default(),
    }
}

fn action(d: &str, p: ResponsibleParty, name: Option<&str>) -> PlanAction {
    linked(d, p, name, &[])
}

fn linked(d: &str, p: ResponsibleParty, name: Option<&str>, meets: &[&str]) -> PlanAction {
    PlanAction {
        description: d.into(),
        responsible_party: p,
        responsible_name: name.map(str::to_owned),
        meets: meets.iter().map(|m| (*m).to_owned()).collect(),
        due: None,
        status: Default::default(),
    }
}

fn need(r: &str, d: &str) -> PlanNeed {
    PlanNeed {
        need_ref: Some(r.into()),
        description: d.into(),
        is_eligible: true,
    }
}

#[test]
fn review_due_at_the_boundaries() {
    let social = plan(1, PlanKind::CareAndSupport, "2026-01-01");
    // 6 weeks is 12 Feb, 8 weeks is 26 Feb.
    let cases = [
        ("2026-02-11", ReviewState::NotYetDue),
        ("2026-02-12", ReviewState::Due),
        ("2026-02-26", ReviewState::Due),
        ("2026-02-27", ReviewState::Overdue),
    ];
    for (today, state) in cases {
        let s = review_status(&social, day(today));
        assert_eq!((s.due_by, s.state), (day("2026-02-26"), state), "{today}");
    }
    let mut reviewed = social.clone();
    reviewed.last_review = Some(day("2026-02-20"));
    assert_eq!(review_status(&reviewed, day("2027-02-20")).state, ReviewState::Due);
    assert_eq!(review_status(&reviewed, day("2027-02-21")).state, ReviewState::Overdue);

    let chc = plan(2, PlanKind::ChcCarePlan, "2026-01-31");
    let s = review_status(&chc, day("2026-04-30"));
    assert_eq!(
        (s.due_by, s.state),
        (day("2026-04-30"), ReviewState::Due),
        "3 months, month-end safe"
    );
    assert_eq!(review_status(&chc, day("2026-05-01")).state, ReviewState::Overdue);

    let mut recorded = social.clone();
    recorded.next_review = Some(day("2026-03-10"));
    let s = review_status(&recorded, day("2026-03-11"));
    assert_eq!(
        (s.due_by, s.state, s.is_recorded),
        (day("2026-03-10"), ReviewState::Overdue, true)
    );
}

#[test]
fn version_differences() {
    let mut old = plan(1, PlanKind::CareAndSupport, "2026-01-01");
    old.goals = vec!["I want to stay at home.".into()];
    old.needs = vec![need("N1", "Personal care")];
    old.actions = vec![
        action(
            "Home care twice a day",
            ResponsibleParty::Provider,
            Some("Bright Homecare"),
        ),
        action("Weekly shopping", ResponsibleParty::UnpaidCarer, Some("daughter")),
    ];
    old.funding = Some(Funding::LocalAuthority);
    old.personal_budget_weekly = Some(210.0);
    let mut new = old.clone();
    new.version = 2;
    new.goals.push("I want to get to church on Sundays.".into());
    new.actions = vec![
        action(
            "Home care twice a day",
            ResponsibleParty::Provider,
            Some("Caring Hands"),
        ),
        action("Day centre on Wednesdays", ResponsibleParty::LocalAuthority, None),
    ];
    new.funding = Some(Funding::Joint);
    new.personal_budget_weekly = Some(260.0);
    let changes: Vec<String> = diff_versions(&old, &new)
        .iter()
        .map(|c| format!("{} {}: {}", c.field, c.change, c.text))
        .collect();
    assert_eq!(
        changes,
        vec![
            "goal added: I want to get to church on Sundays.",
            "responsible party changed: Home care twice a day: Provider (Bright Homecare) -> Provider (Caring Hands)",
            "action added: Day centre on Wednesdays [Local authority]",
            "action removed: Weekly shopping [Unpaid carer (daughter)]",
            "funding changed: Local authority -> Joint (health and social care)",
            "personal budget changed: £210.00 a week -> £260.00 a week",
        ]
    );
    assert!(diff_versions(&old, &old).is_empty());
}

#[test]
fn gaps_only_where_no_action_is_linked_and_overlaps_on_one_need() {
    let mut council = plan(1, PlanKind::CareAndSupport, "2026-01-01");
    council.needs = vec![
        need("N1", "Washing and dressing"),
        need("N2", "Social isolation"),
        need("N3", "Medication on time"),
    ];
    council.actions = vec![
        linked(
            "Personal care each morning",
            ResponsibleParty::Provider,
            Some("Bright Homecare"),
            &["N1"],
        ),
        // Words shared with a need do not link it: "Social" here meets nothing.
        action("Social worker visit", ResponsibleParty::LocalAuthority, None),
        linked(
            "Prompts at the morning call",
            ResponsibleParty::Provider,
            Some("Bright Homecare"),
            &["N3"],
        ),
    ];
    let mut nhs = plan(2, PlanKind::NhsCarePlan, "2026-01-01");
    nhs.sector = Sector::Health;
    nhs.needs = vec![
        need("N1", "Medication  on time"),
        need("N2", "A bed at the right height"),
    ];
    nhs.actions = vec![
        linked(
            "Blister packs and a weekly check",
            ResponsibleParty::NhsBody,
            Some("District nurses"),
            &["N1"],
        ),
        // No shared word with its need, and yet it meets it.
        linked("Deliver profiling bed", ResponsibleParty::NhsBody, None, &["N2"]),
    ];
    let mut ended = plan(3, PlanKind::DischargePlan, "2025-01-01");
    ended.status = "ended".into();
    ended.needs = vec![need("N1", "Stairlift")];
    let all = vec![council, nhs, ended];
    let current = current_plans(&all);
    assert_eq!(current.len(), 2, "ended plans are not current");
    let w = who_does_what(&current, day("2026-06-30"));
    assert_eq!(w.rows.len(), 5);
    assert_eq!(w.rows[0].party, ResponsibleParty::NhsBody, "grouped by party");
    let unmet: Vec<&str> = w.unmet_needs.iter().map(|u| u.need.as_str()).collect();
    assert_eq!(unmet, vec!["Social isolation"]);
    let bed = w.rows.iter().find(|r| r.action == "Deliver profiling bed").unwrap();
    assert_eq!(bed.meets, vec!["A bed at the right height"]);
    assert_eq!(w.overlaps.len(), 1, "{:?}", w.overlaps);
    assert_eq!(w.overlaps[0].need, "medication on time");
    assert!(w.overlaps[0].first.contains("Prompts at the morning call"));
    assert!(w.overlaps[0].second.contains("Blister packs"));
}

#[test]
fn link_problems_name_each_bad_link() {
    let needs = vec![need("N1", "Personal care"), need("N1", "Meals")];
    let actions = vec![linked("Home care", ResponsibleParty::Provider, None, &["N1", "N9"])];
    assert_eq!(
        crate::domain::care_plan::link_problems(&needs, &actions),
        vec![
            "two needs have the reference \"N1\"".to_owned(),
            "the action \"Home care\" meets \"N9\", which is not a need of this plan".to_owned(),
        ]
    );
    assert!(crate::domain::care_plan::link_problems(&needs[..1], &actions[..0]).is_empty());
}

#[test]
fn a_reworded_line_is_a_change_not_a_removal_and_an_addition() {
    // (old, new, the change in words, or none: unrelated texts stay removed and added)
    let cases = [
        (
            "Home care 4 hours a week",
            "Home care 6 hours a week",
            Some("Home care 4 hours -> 6 hours a week"),
        ),
        (
            "Night sitting twice a week",
            "Night sitting three times a week",
            Some("Night sitting twice a -> three times a week"),
        ),
        (
            "Profiling bed",
            "Profiling bed and mattress",
            Some("Profiling bed (nothing) -> and mattress"),
        ),
        ("Weekly shopping", "Day centre on Wednesdays", None),
        ("Same words", "Same words", None),
    ];
    for (old, new, expected) in cases {
        assert_eq!(reworded(old, new).as_deref(), expected, "{old} -> {new}");
    }
}

#[test]
fn a_reworded_action_or_need_diffs_as_a_change() {
    let mut old = plan(1, PlanKind::CareAndSupport, "2026-01-01");
    old.actions = vec![action(
        "Home care 4 hours a week",
        ResponsibleParty::Provider,
        Some("Bright Homecare"),
    )];
    old.needs = vec![need("N1", "Help with washing in the morning")];
    let mut new = old.clone();
    new.version = 2;
    new.actions = vec![action(
        "Home care 6 hours a week",
        ResponsibleParty::Provider,
        Some("Caring Hands"),
    )];
    new.needs = vec![need("N1", "Help with washing morning and evening")];
    let changes: Vec<String> = diff_versions(&old, &new)
        .iter()
        .map(|c| format!("{} {}: {}", c.field, c.change, c.text))
        .collect();
    assert_eq!(
        changes,
        vec![
            "need changed: Help with washing in the morning -> morning and evening",
            "action changed: Home care 4 hours -> 6 hours a week; Provider (Bright Homecare) -> Provider (Caring Hands)",
        ]
    );
}
