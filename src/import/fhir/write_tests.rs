//! The FHIR writer's round trip through the reader.

use super::write::*;
use crate::domain::EpisodeKind;
use crate::domain::batch::EpisodeEntry;
use crate::generate::{chunk, native::records, nhs_numbers};
use crate::import::{ImportOptions, fhir};
use chrono::NaiveDate;
use serde_json::Value;

/// A generated population written as FHIR reads back: every person, every
/// encounter and service with its kind and dates, admission and discharge codes,
/// every plan version; nothing rejected.
#[test]
fn a_generated_population_round_trips_through_fhir() {
    let as_of = NaiveDate::from_ymd_opt(2026, 11, 22).expect("date");
    let batch = chunk(4, as_of, 0, &nhs_numbers(4, 300).expect("numbers"));
    let people = records(&batch);
    let (bundle, written) = bundle(&people);
    let text = serde_json::to_string(&bundle).expect("JSON");
    // Written a person at a time, it is the same document.
    let mut streamed = Vec::new();
    assert_eq!(write_bundle(&people, &mut streamed).expect("write"), written);
    assert_eq!(serde_json::from_slice::<Value>(&streamed).expect("JSON"), bundle);
    let parsed = fhir::parse("population.json", "", &text, ImportOptions::default()).expect("FHIR");
    assert!(parsed.rejections.is_empty(), "{:?}", &parsed.rejections[..1]);
    assert_eq!(written.patients, people.len());
    assert_eq!(parsed.batch.people.len(), people.len());

    let carried = |k: EpisodeKind| {
        matches!(
            k,
            EpisodeKind::InpatientSpell
                | EpisodeKind::AeAttendance
                | EpisodeKind::Outpatient
                | EpisodeKind::MentalHealthContact
                | EpisodeKind::GpEncounter
                | EpisodeKind::CommunityContact
                | EpisodeKind::SocialCareService
                | EpisodeKind::SocialCareRequest
                | EpisodeKind::SocialCareAssessment
                | EpisodeKind::CarerAssessment
        )
    };
    let kinds = |eps: &mut dyn Iterator<Item = &EpisodeEntry>| {
        let mut v: Vec<(String, String, Option<String>)> = eps
            .map(|e| {
                (
                    e.episode.kind.code().to_owned(),
                    iso(e.episode.start),
                    // An end at the start is a point in time either way.
                    e.episode.end.filter(|end| *end > e.episode.start).map(iso),
                )
            })
            .collect();
        v.sort();
        v
    };
    let sent = kinds(&mut batch.episodes.iter().filter(|e| carried(e.episode.kind)));
    let read = kinds(&mut parsed.batch.episodes.iter());
    assert_eq!(read.len(), sent.len());
    if let Some((r, s)) = read.iter().zip(&sent).find(|(r, s)| r != s) {
        panic!("kinds and dates differ: read {r:?}, sent {s:?}");
    }
    assert_eq!(written.left_out, batch.episodes.len() - sent.len());

    let spells = |b: &crate::domain::batch::ImportBatch| {
        let mut v: Vec<_> = b
            .episodes
            .iter()
            .filter_map(|e| e.spell.as_ref())
            .map(|s| (s.admitted, s.admission_method.clone(), s.discharge_destination.clone()))
            .collect();
        v.sort();
        v
    };
    assert_eq!(spells(&parsed.batch), spells(&batch));
    assert_eq!(parsed.batch.care_plans.len(), batch.care_plans.len());
    for (a, b) in parsed.batch.care_plans.iter().zip(&batch.care_plans) {
        assert_eq!(
            (&a.plan_ref, a.plan.version, a.plan.kind),
            (&b.plan_ref, b.plan.version, b.plan.kind)
        );
        assert_eq!(a.plan.goals, b.plan.goals);
        assert_eq!(a.plan.actions.len(), b.plan.actions.len());
        // Each action's due date and status, and who recorded the version and when,
        // come back as they went (FHIR has no place for the recorder's organisation).
        // Who does each, too: a council's action stays a council's.
        let progress = |p: &crate::domain::CarePlan| {
            p.actions
                .iter()
                .map(|x| (x.due, x.status, x.responsible_party))
                .collect::<Vec<_>>()
        };
        assert_eq!(progress(&a.plan), progress(&b.plan));
        assert_eq!(
            (a.plan.recorded.at, &a.plan.recorded.by),
            (b.plan.recorded.at, &b.plan.recorded.by)
        );
        assert!(b.plan.recorded.at.is_some() && b.plan.recorded.by.is_some());
    }
    assert!(
        batch
            .care_plans
            .iter()
            .any(|p| p.plan.actions.iter().any(|x| x.due.is_some())),
        "the generator gives due dates"
    );
}
