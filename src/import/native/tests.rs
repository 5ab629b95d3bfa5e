//! Native bundle tests: the fixtures, every error message, and round trips.

use super::*;
use crate::domain::NhsNumber;
use crate::domain::PersonRecord;
use crate::domain::dates::{parse_date, parse_date_time};
use crate::domain::findings::{FindingKind, all_findings};
use crate::import::{ImportError, ImportOptions, Parsed};
use crate::store::Store;

fn parse_text(text: &str, options: ImportOptions) -> Result<Parsed, ImportError> {
    parse("test.json", "00", text, options)
}

fn data(name: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name);
    std::fs::read_to_string(path).expect("test data")
}

#[test]
fn every_error_is_reported_with_location_and_reason() {
    let parsed = parse_text(&data("bundle-with-errors.json"), ImportOptions::default()).unwrap();
    let lines = crate::import::rejection_lines(&parsed.rejections);
    assert_eq!(
        lines,
        vec![
            "people[0].episodes[1] (ref E2) | kind | unknown kind \"gp_visit\"; expected one of inpatient_spell, ae_attendance, outpatient, gp_encounter, community_contact, mental_health_contact, chc_checklist, chc_dst, chc_fast_track, chc_review, social_care_request, social_care_assessment, social_care_service, social_care_review, safeguarding_enquiry, carer_assessment, condition, questionnaire".to_string(),
            "people[0].episodes[2] (ref E3) | start | \"31/02/2026\" is not a date or date-time (use 2026-11-22 or 2026-11-22T14:30)".into(),
            "people[0].episodes[3] (ref E4) | end | ends before it starts".into(),
            "people[0].episodes[3] (ref E4) | spell.pathway | the discharge pathway is 0, 1, 2 or 3".into(),
            "people[1] | nhs_number | not a valid NHS number: the check digit does not match; check each digit against the source".into(),
            "people[2] | nhs_number | a person needs an NHS number or at least one local identifier".into(),
        ]
    );
    // The valid rows are kept for the user to choose.
    assert_eq!(parsed.batch.people.len(), 1);
    assert_eq!(parsed.batch.episodes.len(), 1);
}

#[test]
fn structural_errors_name_line_and_column() {
    let err = parse_text(
        "{\"format\": \"joinedup-bundle\", \"version\": 1, \"people\": [ {\"source\": 5} ]}",
        ImportOptions::default(),
    )
    .unwrap_err();
    assert!(err.to_string().starts_with("test.json: line 1, column "), "{err}");
    let err = parse_text(
        "{\"format\": \"joinedup-bundle\", \"version\": 9, \"people\": []}",
        ImportOptions::default(),
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "test.json: bundle version 9 is not supported (this joinedup reads version 1)"
    );
}

#[test]
fn training_mode_refuses_real_range_numbers() {
    let text = r#"{"format": "joinedup-bundle", "version": 1, "people": [
        {"nhs_number": "9434765919", "source": "PAS", "given_name": "Real", "family_name": "Range"}]}"#;
    let parsed = parse_text(
        text,
        ImportOptions {
            test_range_only: true,
            shift_days: 0,
        },
    )
    .unwrap();
    assert!(parsed.batch.people.is_empty());
    assert!(parsed.rejections[0].reason.contains("test range"));
}

#[test]
fn dates_shift_for_training() {
    let text = r#"{"format": "joinedup-bundle", "version": 1, "people": [
        {"nhs_number": "9990000018", "source": "PAS", "date_of_birth": "1940-01-01",
         "episodes": [{"ref": "A", "kind": "gp_encounter", "start": "2026-06-30T10:00"}]}]}"#;
    let parsed = parse_text(
        text,
        ImportOptions {
            test_range_only: true,
            shift_days: 145,
        },
    )
    .unwrap();
    assert_eq!(
        parsed.batch.episodes[0].episode.start.to_string(),
        "2026-11-22 10:00:00"
    );
    assert_eq!(
        parsed.batch.people[0].demographics.date_of_birth.unwrap().to_string(),
        "1940-01-01",
        "a date of birth is not shifted"
    );
}

fn fixture(name: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(name);
    std::fs::read_to_string(path).expect("fixture")
}

#[test]
fn fixtures_are_valid_and_tell_their_stories() {
    let options = ImportOptions {
        test_range_only: true,
        shift_days: 0,
    };
    let training = parse_text(&fixture("training.json"), options).unwrap();
    assert_eq!(training.rejections, vec![], "fixtures must be clean");
    let long = parse_text(&fixture("long-history.json"), options).unwrap();
    assert_eq!(long.rejections, vec![]);
    assert!(long.batch.episodes.len() >= 500);

    let mut store = Store::open_in_memory().unwrap();
    let at = parse_date_time("2026-06-30T08:00").unwrap();
    store.apply_import(&training.batch, at).unwrap();
    store.apply_import(&long.batch, at).unwrap();
    let today = parse_date("2026-06-30").unwrap();
    let findings_for = |nhs: &str| {
        let id = store
            .find_by_nhs_number(NhsNumber::parse(nhs).unwrap())
            .unwrap()
            .unwrap()
            .id;
        let record = store.person_record(id).unwrap();
        all_findings(&record, today)
            .into_iter()
            .map(|f| f.kind)
            .collect::<Vec<_>>()
    };
    assert!(
        findings_for("9990000026").contains(&FindingKind::PackageNotRestarted),
        "Harold Bennett"
    );
    assert!(
        findings_for("9990000034").contains(&FindingKind::EmergencyReadmission),
        "Edith Clarke"
    );
    assert!(
        findings_for("9990000042").contains(&FindingKind::ChcDecisionOverdue),
        "Samuel Adeyemi"
    );
    assert!(
        findings_for("9990000069").contains(&FindingKind::DischargeToService),
        "George Fitzgerald"
    );
    assert!(
        !findings_for("9990000050").contains(&FindingKind::ChcDecisionOverdue),
        "Fast Track decided"
    );
    let arthur = store
        .find_by_nhs_number(NhsNumber::parse("9990000107").unwrap())
        .unwrap()
        .unwrap();
    assert_eq!(
        store.person_record(arthur.id).unwrap().person.conflicts()[0].field,
        "date of birth"
    );
    assert_eq!(store.unmatched_people(10).unwrap()[0].family_name, "Nowak");
    let eileen = store
        .find_by_nhs_number(NhsNumber::parse("9990000115").unwrap())
        .unwrap()
        .unwrap();
    let record = store.person_record(eileen.id).unwrap();
    let years = (record.episodes.last().unwrap().start - record.episodes[0].start).num_days() / 365;
    assert!(years >= 14, "long history spans {years} years");
}

#[test]
fn reimport_adds_nothing_and_export_round_trips() {
    let options = ImportOptions {
        test_range_only: true,
        shift_days: 0,
    };
    let parsed = parse_text(&fixture("training.json"), options).unwrap();
    let mut store = Store::open_in_memory().unwrap();
    let at = parse_date_time("2026-06-30T08:00").unwrap();
    let first = store.apply_import(&parsed.batch, at).unwrap();
    let again = store.apply_import(&parsed.batch, at).unwrap();
    assert_eq!(again.episodes_added, 0);
    assert_eq!(again.episodes_already_present, first.episodes_added);
    assert_eq!(again.care_plan_versions_added, 0);

    // Export every person, import into a fresh store: the same records come back.
    let ids: Vec<i64> = store
        .connection()
        .prepare("SELECT id FROM person ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(|r| r.unwrap())
        .collect();
    let records: Vec<PersonRecord> = ids.iter().map(|id| store.person_record(*id).unwrap()).collect();
    let text = serde_json::to_string_pretty(&write(&records, parse_date("2026-06-30"))).unwrap();
    let reparsed = parse_text(&text, options).unwrap();
    assert_eq!(reparsed.rejections, vec![]);
    let mut copy = Store::open_in_memory().unwrap();
    copy.apply_import(&reparsed.batch, at).unwrap();
    for (i, id) in ids.iter().enumerate() {
        let a = &records[i];
        let b = copy.person_record(*id).unwrap();
        assert_eq!(a.person.nhs_number, b.person.nhs_number);
        assert_eq!(a.person.demographics, b.person.demographics);
        assert_eq!(a.person.by_source, b.person.by_source);
        let strip = |r: &PersonRecord| {
            r.episodes
                .iter()
                .map(|e| {
                    (
                        e.kind,
                        e.title.clone(),
                        e.start,
                        e.end,
                        e.status,
                        e.attributes.clone(),
                        e.provenance.source_ref.clone(),
                    )
                })
                .collect::<Vec<_>>()
        };
        assert_eq!(strip(a), strip(&b));
        assert_eq!(
            a.spells.iter().map(|s| s.delay_reasons.clone()).collect::<Vec<_>>(),
            b.spells.iter().map(|s| s.delay_reasons.clone()).collect::<Vec<_>>()
        );
        assert_eq!(
            a.chc.iter().map(|c| c.domains.clone()).collect::<Vec<_>>(),
            b.chc.iter().map(|c| c.domains.clone()).collect::<Vec<_>>()
        );
        assert_eq!(
            a.care_plans
                .iter()
                .map(|c| (c.goals.clone(), c.actions.clone(), c.recorded.clone()))
                .collect::<Vec<_>>(),
            b.care_plans
                .iter()
                .map(|c| (c.goals.clone(), c.actions.clone(), c.recorded.clone()))
                .collect::<Vec<_>>()
        );
    }
}
