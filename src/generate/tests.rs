//! Generator tests: numbers, determinism, and histories that follow the rules.
use super::*;
use crate::domain::chc_dst::{DstLevel, DstRecommendation, dst_outcome};
use std::collections::HashSet;

fn as_of() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 22).expect("date")
}

#[test]
fn numbers_are_valid_distinct_and_in_the_test_range() {
    let numbers = nhs_numbers(1, 20_000).expect("enough");
    let distinct: HashSet<_> = numbers.iter().collect();
    assert_eq!(distinct.len(), 20_000);
    assert!(numbers.iter().all(|n| n.is_test_range()));
    assert!(nhs_numbers(1, 950_000).is_err());
}

#[test]
fn the_same_seed_gives_the_same_people_however_it_is_chunked() {
    let numbers = nhs_numbers(7, 40).expect("enough");
    let whole = chunk(7, as_of(), 0, &numbers);
    let halves = [
        chunk(7, as_of(), 0, &numbers[..25]),
        chunk(7, as_of(), 25, &numbers[25..]),
    ];
    let joined: Vec<_> = halves.iter().flat_map(|b| b.episodes.iter().cloned()).collect();
    assert_eq!(whole.episodes, joined);
    let other = chunk(8, as_of(), 0, &nhs_numbers(8, 40).expect("enough"));
    assert_ne!(whole.people, other.people);
}

#[test]
fn histories_follow_the_rules() {
    let numbers = nhs_numbers(3, 2_000).expect("enough");
    let batch = chunk(3, as_of(), 0, &numbers);
    let per_person = batch.episodes.len() as f64 / numbers.len() as f64;
    assert!(per_person > 30.0, "{per_person} episodes a person");
    let mut refs = HashSet::new();
    let mut in_hospital = 0;
    for e in &batch.episodes {
        let ep = &e.episode;
        assert!(refs.insert((ep.provenance.source.clone(), ep.provenance.source_ref.clone())));
        assert!(ep.start.date() <= as_of(), "{ep:?}");
        if let Some(end) = ep.end {
            assert!(end >= ep.start, "{ep:?}");
        }
        if let Some(s) = &e.spell {
            let method = s.admission_method.as_deref().expect("method");
            assert!(method.starts_with('1') || method.starts_with('2'));
            if let Some(drd) = s.discharge_ready_date {
                assert!(drd >= ep.start.date());
            }
            if ep.end.is_none() {
                in_hospital += 1;
            }
        }
        if let Some(a) = &e.chc
            && a.kind == ChcAssessmentKind::Dst
            && let Some(d) = &a.icb_decision
        {
            // The decision agrees with what the DST grid gives.
            let grid: Vec<_> = a
                .domains
                .iter()
                .map(|(dom, l)| (*dom, DstLevel::parse(l).expect("level")))
                .collect();
            let clear = dst_outcome(&grid).recommendation == DstRecommendation::ClearEligibility;
            assert_eq!(clear, d.is_eligible);
        }
    }
    assert!(in_hospital > 10, "{in_hospital} in hospital");
    let routes: HashSet<_> = batch
        .episodes
        .iter()
        .filter_map(|e| e.episode.attr(attr::ROUTE_OF_ACCESS))
        .collect();
    assert!(routes.contains("Discharge from Hospital"));
    assert!(batch.people.iter().any(|p| matches!(p.key, PersonKey::Local(_))));
    // Care plans from both sectors; most meet every eligible need, a few leave a gap.
    assert!(batch.care_plans.iter().any(|p| p.plan.sector == Sector::Health));
    let council: Vec<_> = batch
        .care_plans
        .iter()
        .filter(|p| p.plan.sector == Sector::SocialCare)
        .collect();
    let with_gaps = council
        .iter()
        .filter(|p| {
            !crate::domain::care_plan_rules::who_does_what(&[&p.plan], chrono::NaiveDate::MIN)
                .unmet_needs
                .is_empty()
        })
        .count();
    assert!(
        with_gaps * 20 > council.len() && with_gaps * 4 < council.len(),
        "{with_gaps} of {}",
        council.len()
    );
    // Packages of people in hospital now are suspended, not ended.
    assert!(
        batch
            .episodes
            .iter()
            .any(|e| e.episode.status == EpisodeStatus::Suspended && e.episode.kind == EpisodeKind::SocialCareService)
    );
}
