//! FHIR tests: a hand-written bundle, every rejection, and the real CarePlans.

use super::*;
use crate::domain::care_plan::{PlanKind, ResponsibleParty};
use crate::domain::{Episode, EpisodeKind, EpisodeStatus, Sensitivity};

fn data(name: &str) -> String {
    std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/data")
            .join(name),
    )
    .expect("test data")
}

#[test]
fn careplan_bundle_maps_patient_goals_needs_and_performers() {
    let parsed = parse(
        "b.json",
        "00",
        &data("fhir-careplan-bundle.json"),
        ImportOptions::default(),
    )
    .unwrap();
    let b = &parsed.batch;
    assert_eq!(b.people.len(), 1);
    assert_eq!(
        b.people[0].nhs_number.map(|n| n.digits()).as_deref(),
        Some("9990000042")
    );
    assert_eq!(b.people[0].demographics.postcode.as_deref(), Some("WM3 1AZ"));
    assert_eq!(b.care_plans.len(), 1);
    let p = &b.care_plans[0];
    assert_eq!(p.person, PersonKey::Nhs(NhsNumber::parse("9990000042").unwrap()));
    assert_eq!(p.plan_ref, "CarePlan/copd-plan");
    assert_eq!(p.plan.version, 3);
    assert_eq!(p.plan.kind, PlanKind::NhsCarePlan);
    assert_eq!(p.plan.owner, "Westmere Community Respiratory Team");
    assert_eq!(
        p.plan.goals,
        vec!["I want to walk to the shop without stopping.".to_string()]
    );
    assert_eq!(p.plan.needs[0].description, "Breathlessness on exertion");
    assert_eq!(p.plan.actions[0].responsible_party, ResponsibleParty::NhsBody);
    assert_eq!(
        p.plan.actions[0].responsible_name.as_deref(),
        Some("Westmere Pulmonary Rehab")
    );
    assert_eq!(p.plan.actions[1].responsible_party, ResponsibleParty::Person);
    let rejected = crate::import::rejection_lines(&parsed.rejections);
    assert_eq!(
        rejected,
        vec!["entry[3] | subject | the plan's subject has no valid NHS number and no Patient in this file"]
    );
    assert!(
        b.notes
            .iter()
            .any(|n| n.contains("9876543219") && n.contains("not valid"))
    );
    assert!(b.notes.iter().any(|n| n == "skipped (not mapped): 1 Observation"));
    // The Encounter is an inpatient spell with its coded admission and discharge.
    assert_eq!(b.episodes.len(), 1);
    let e = &b.episodes[0];
    assert_eq!(e.episode.kind, crate::domain::EpisodeKind::InpatientSpell);
    assert_eq!(e.episode.title, "Inpatient encounter at Northgate General Hospital");
    assert_eq!(e.episode.start.to_string(), "2026-04-20 10:00:00");
    assert_eq!(e.episode.attr("admission_method"), Some("21"));
    assert_eq!(e.spell.as_ref().unwrap().discharge_destination.as_deref(), Some("19"));
    assert_eq!(e.episode.provenance.source_ref, "Encounter/adm-1");
    // The Flag is an alert on the banner.
    assert_eq!(b.people[0].alerts, vec!["Oxygen in the home: no smoking".to_string()]);
}

fn external(rel: &str) -> Option<String> {
    let dir = std::env::var_os("JOINEDUP_EXTERNAL_DATA")?;
    Some(std::fs::read_to_string(std::path::Path::new(&dir).join(rel)).expect("external file listed in SOURCES.md"))
}

#[test]
fn the_real_careplans() {
    let Some(diabetes) = external("nhse-frameworks-examples/CarePlan__CarePlan-Diabetes.json") else {
        eprintln!("JOINEDUP_EXTERNAL_DATA is not set: skipping");
        return;
    };
    // Its subject is NHS number 9876543210 (valid by check digit), but the plan has no
    // date at all (no period, created or meta.lastUpdated), so it is refused with that reason.
    let parsed = parse("diabetes.json", "00", &diabetes, ImportOptions::default()).unwrap();
    assert!(parsed.batch.care_plans.is_empty());
    assert_eq!(parsed.rejections.len(), 1);
    assert_eq!(parsed.rejections[0].field, "period.start");

    let bars = external("bars-referral-booking/process_message_request_ValidationRequest_(POST)_.json").unwrap();
    let parsed = parse("bars.json", "00", &bars, ImportOptions::default()).unwrap();
    assert_eq!(parsed.rejections, vec![]);
    // Julie Jones's NHS number 3478526985 fails the check: she is kept under the bundle's id for matching.
    assert_eq!(parsed.batch.people.len(), 1);
    let person = &parsed.batch.people[0];
    assert_eq!(person.nhs_number, None);
    assert_eq!(person.demographics.family_name, "Jones");
    assert_eq!(person.demographics.postcode.as_deref(), Some("LS10 4YU"));
    assert_eq!(
        person.key,
        PersonKey::Local(LocalId {
            source: SOURCE.into(),
            id: "urn:uuid:9589fb37-87a2-48d8-968f-b371429208a8".into()
        })
    );
    assert_eq!(parsed.batch.care_plans.len(), 1);
    let plan = &parsed.batch.care_plans[0].plan;
    assert_eq!(plan.start.to_string(), "2021-11-26");
    assert_eq!(plan.actions[0].description, "AMB new/worsening breathlessness");
    assert_eq!(parsed.batch.care_plans[0].person, person.key);
    assert_eq!(parsed.batch.rows_read, 19);
    // Her emergency Encounter is on the timeline too.
    assert_eq!(parsed.batch.episodes.len(), 1);
    assert_eq!(
        parsed.batch.episodes[0].episode.kind,
        crate::domain::EpisodeKind::AeAttendance
    );

    // Richard Smith's inpatient encounter names him only by NHS number 9871234567, which
    // fails the check digit (SOURCES.md lists it): refused with that reason, never stored.
    let richard = external("nhse-frameworks-examples/Encounter__Encounter-InpatientRichardSmith.json").unwrap();
    let parsed = parse("richard.json", "00", &richard, ImportOptions::default()).unwrap();
    assert!(parsed.batch.episodes.is_empty());
    assert_eq!(parsed.rejections[0].field, "subject");
    assert!(parsed.batch.notes[0].contains("9871234567"));
}

#[test]
fn episode_of_care_is_a_period_of_care() {
    let text = r#"{"resourceType":"Bundle","type":"collection","entry":[
 {"fullUrl":"urn:uuid:p1","resource":{"resourceType":"Patient","identifier":[{"system":"https://fhir.nhs.uk/Id/nhs-number","value":"9990000069"}]}},
 {"resource":{"resourceType":"EpisodeOfCare","id":"eoc1","status":"finished","type":[{"text":"Reablement"}],
   "patient":{"reference":"urn:uuid:p1"},"managingOrganization":{"display":"Westmere Council"},
   "period":{"start":"2026-05-30","end":"2026-06-20"}}},
 {"resource":{"resourceType":"EpisodeOfCare","status":"active","type":[{"text":"District nursing"}],
   "patient":{"reference":"urn:uuid:p1"},"period":{"start":"2026-06-01"}}},
 {"resource":{"resourceType":"EpisodeOfCare","status":"active","patient":{"reference":"urn:uuid:p1"}}}
]}"#;
    let p = parse("eoc.json", "00", text, ImportOptions::default()).unwrap();
    let kinds: Vec<_> = p
        .batch
        .episodes
        .iter()
        .map(|e| (e.episode.kind, e.episode.status, e.episode.title.clone()))
        .collect();
    assert_eq!(
        kinds,
        vec![
            (
                crate::domain::EpisodeKind::SocialCareService,
                crate::domain::EpisodeStatus::Ended,
                "Reablement".to_string()
            ),
            (
                crate::domain::EpisodeKind::CommunityContact,
                crate::domain::EpisodeStatus::Active,
                "District nursing".to_string()
            ),
        ]
    );
    assert_eq!(p.rejections[0].field, "period.start");
}

/// Conditions and questionnaires: dated, coded, sensitive ones marked, bad ones
/// rejected with a reason, refuted ones skipped and counted.
#[test]
fn conditions_and_questionnaire_responses() {
    let text = r#"{
      "resourceType": "Bundle", "type": "collection",
      "entry": [
        {"fullUrl": "urn:uuid:p1", "resource": {"resourceType": "Patient",
          "identifier": [{"system": "https://fhir.nhs.uk/Id/nhs-number", "value": "9990000042"}],
          "name": [{"family": "Adeyemi", "given": ["Samuel"]}]}},
        {"resource": {"resourceType": "Condition", "id": "copd",
          "clinicalStatus": {"coding": [{"code": "active"}]},
          "verificationStatus": {"coding": [{"code": "confirmed"}]},
          "category": [{"coding": [{"code": "problem-list-item", "display": "Problem List Item"}]}],
          "code": {"coding": [{"system": "http://snomed.info/sct", "code": "13645005",
                               "display": "Chronic obstructive lung disease"}]},
          "subject": {"reference": "urn:uuid:p1"},
          "onsetDateTime": "2019-03-12", "recorder": {"display": "Dr Amira Shah"},
          "note": [{"text": "Uses home oxygen at night."}]}},
        {"resource": {"resourceType": "Condition", "id": "chest",
          "clinicalStatus": {"coding": [{"code": "resolved"}]},
          "code": {"text": "Chest infection"},
          "subject": {"identifier": [{"system": "https://fhir.nhs.uk/Id/nhs-number", "value": "9990000042"}]},
          "onsetPeriod": {"start": "2026-01-04"}, "abatementDateTime": "2026-01-20"}},
        {"resource": {"resourceType": "Condition", "id": "sti",
          "code": {"coding": [{"display": "Chlamydia trachomatis infection"}]},
          "subject": {"reference": "urn:uuid:p1"}, "recordedDate": "2024-05-01"}},
        {"resource": {"resourceType": "Condition", "id": "wrong",
          "verificationStatus": {"coding": [{"code": "refuted"}]},
          "code": {"text": "Asthma"}, "subject": {"reference": "urn:uuid:p1"}, "onsetDateTime": "2020-01-01"}},
        {"resource": {"resourceType": "Condition", "id": "undated",
          "code": {"text": "Bleeding from ear"}, "subject": {"reference": "urn:uuid:p1"}}},
        {"resource": {"resourceType": "Questionnaire", "url": "https://example.org/Questionnaire/mrc",
          "title": "MRC dyspnoea scale"}},
        {"resource": {"resourceType": "QuestionnaireResponse", "id": "qr1", "status": "completed",
          "questionnaire": "https://example.org/Questionnaire/mrc|2",
          "subject": {"reference": "urn:uuid:p1"}, "authored": "2026-05-12T10:15:00Z",
          "item": [
            {"linkId": "1", "text": "Breathless when hurrying", "answer": [{"valueBoolean": true}]},
            {"linkId": "2", "text": "Grade", "answer": [{"valueInteger": 4}]},
            {"linkId": "3", "text": "Walking", "item": [
              {"linkId": "3.1", "text": "Stops after", "answer": [{"valueQuantity": {"value": 100, "unit": "m"}}]},
              {"linkId": "3.2", "text": "Unanswered"}]}]}},
        {"resource": {"resourceType": "QuestionnaireResponse", "id": "qr2", "status": "in-progress",
          "questionnaire": "https://example.org/Questionnaire/care-act-needs-assessment",
          "subject": {"reference": "urn:uuid:p1"}, "authored": "2026-06-01",
          "item": [{"linkId": "a", "text": "Managing nutrition", "answer": [{"valueCoding": {"code": "x", "display": "Needs help"}}]}]}}
      ]}"#;
    let parsed = parse("c.json", "00", text, ImportOptions::default()).unwrap();
    let eps: Vec<&Episode> = parsed.batch.episodes.iter().map(|e| &e.episode).collect();
    let by_ref = |r: &str| {
        *eps.iter()
            .find(|e| e.provenance.source_ref == r)
            .unwrap_or_else(|| panic!("{r}"))
    };
    let copd = by_ref("Condition/copd");
    assert_eq!(copd.kind, EpisodeKind::Condition);
    assert_eq!(copd.title, "Condition: Chronic obstructive lung disease");
    assert_eq!(copd.status, EpisodeStatus::Active);
    assert_eq!(copd.start.date().to_string(), "2019-03-12");
    assert_eq!(copd.attributes["snomed_code"], "13645005");
    assert_eq!(copd.attributes["recorded_by"], "Dr Amira Shah");
    assert_eq!(copd.attributes["category"], "Problem List Item");
    assert_eq!(copd.detail, "Uses home oxygen at night.");
    assert_eq!(copd.sensitivity, Sensitivity::Normal);
    let chest = by_ref("Condition/chest");
    assert_eq!(chest.status, EpisodeStatus::Ended);
    assert_eq!(chest.end.map(|e| e.date().to_string()).as_deref(), Some("2026-01-20"));
    assert_eq!(
        parsed
            .batch
            .episodes
            .iter()
            .find(|e| e.episode.provenance.source_ref == "Condition/chest")
            .map(|e| &e.person),
        Some(&PersonKey::Nhs(NhsNumber::parse("9990000042").unwrap())),
        "a subject identifier given as a list"
    );
    assert_eq!(by_ref("Condition/sti").sensitivity, Sensitivity::SexualHealth);
    assert!(eps.iter().all(|e| e.provenance.source_ref != "Condition/wrong"));

    let mrc = by_ref("QuestionnaireResponse/qr1");
    assert_eq!(mrc.kind, EpisodeKind::Questionnaire);
    assert_eq!(mrc.title, "Questionnaire: MRC dyspnoea scale");
    assert_eq!(mrc.status, EpisodeStatus::Completed);
    assert_eq!(
        mrc.detail,
        "Breathless when hurrying: yes\nGrade: 4\nStops after: 100 m"
    );
    assert_eq!(mrc.attributes["answers"], "3");
    let care_act = by_ref("QuestionnaireResponse/qr2");
    assert_eq!(care_act.kind, EpisodeKind::SocialCareAssessment);
    assert_eq!(care_act.title, "Questionnaire: Care act needs assessment");
    assert_eq!(care_act.status, EpisodeStatus::Active);
    assert_eq!(care_act.detail, "Managing nutrition: Needs help");

    let rejected = crate::import::rejection_lines(&parsed.rejections);
    assert_eq!(
        rejected,
        vec![
            "entry[5] | onsetDateTime | a Condition needs onsetDateTime, onsetPeriod.start or recordedDate to go on the timeline"
        ]
    );
    assert!(
        parsed
            .batch
            .notes
            .iter()
            .any(|n| n.contains("1 Condition (refuted or entered in error)")),
        "{:?}",
        parsed.batch.notes
    );
}

/// Social care as the Interweave profiles model it: a contact (ServiceRequest), an
/// assessment and a carer's assessment (Task), and a service (EpisodeOfCare) whose
/// type is an Interweave code without the usual words; other Tasks are skipped.
#[test]
fn interweave_social_care_contacts_assessments_and_services() {
    let text = data("fhir-interweave-bundle.json");
    let parsed = parse("interweave.json", "00", &text, ImportOptions::default()).unwrap();
    assert!(parsed.rejections.is_empty(), "{:?}", parsed.rejections);
    let by_ref = |r: &str| {
        parsed
            .batch
            .episodes
            .iter()
            .map(|e| &e.episode)
            .find(|e| e.provenance.source_ref == r)
            .unwrap_or_else(|| panic!("{r}"))
    };
    let contact = by_ref("ServiceRequest/c1");
    assert_eq!(contact.kind, EpisodeKind::SocialCareRequest);
    assert_eq!(contact.title, "Request: Hospital discharge");
    assert_eq!(contact.start.to_string(), "2026-05-14 11:00:00");
    assert_eq!(contact.attributes["requester_type"], "Hospital");
    assert_eq!(contact.detail, "Ward asks for a restart of his package");
    let needs = by_ref("Task/a1");
    assert_eq!(needs.kind, EpisodeKind::SocialCareAssessment);
    assert_eq!(needs.title, "Assessment: Care Act Needs Assessment");
    assert_eq!(needs.status, EpisodeStatus::Completed);
    assert_eq!(needs.end.map(|e| e.to_string()).as_deref(), Some("2026-05-15 11:30:00"));
    assert_eq!(
        needs.organisation.as_deref(),
        Some("Westmere Hospital Social Work Team")
    );
    assert_eq!(needs.attributes["outcome"], "Eligible needs");
    let carers = by_ref("Task/a2");
    assert_eq!(carers.kind, EpisodeKind::CarerAssessment);
    assert_eq!(carers.status, EpisodeStatus::Active);
    let meals = by_ref("EpisodeOfCare/s1");
    assert_eq!(meals.kind, EpisodeKind::SocialCareService, "an Interweave service type");
    assert_eq!(parsed.batch.episodes.len(), 4);
    assert!(
        parsed.batch.notes.iter().any(|n| n.contains("1 Task")),
        "{:?}",
        parsed.batch.notes
    );
}

/// An activity meets the needs it gives as its reason, and those its goals address,
/// whichever form the reference takes; an activity naming neither meets none.
#[test]
fn careplan_activities_meet_needs_by_reason_and_by_goal() {
    let parsed = parse(
        "links.json",
        "00",
        &data("fhir-careplan-links.json"),
        ImportOptions::default(),
    )
    .unwrap();
    let plan = &parsed.batch.care_plans[0].plan;
    let needs: Vec<&str> = plan.needs.iter().map(|n| n.description.as_str()).collect();
    assert_eq!(needs, vec!["Breathlessness on exertion", "Social isolation"]);
    let met: Vec<Vec<&str>> = plan
        .actions
        .iter()
        .map(|a| {
            plan.needs
                .iter()
                .filter(|n| a.meets_need(n))
                .map(|n| n.description.as_str())
                .collect()
        })
        .collect();
    assert_eq!(
        met,
        vec![
            vec!["Breathlessness on exertion"],
            vec!["Breathlessness on exertion"],
            vec![]
        ]
    );
    let w = crate::domain::care_plan_rules::who_does_what(&[plan], chrono::NaiveDate::MIN);
    let unmet: Vec<&str> = w.unmet_needs.iter().map(|u| u.need.as_str()).collect();
    assert_eq!(unmet, vec!["Social isolation"]);
}

/// Training holds no real person's number, whatever its label: an identifier of
/// another system, or the Patient's id, that is a valid NHS number outside the
/// test range refuses the person (SAFETY.md H36).
#[test]
fn training_refuses_a_real_number_under_another_system_or_as_the_id() {
    let bundle = |identifier_system: &str, id: &str| {
        format!(
            r#"{{"resourceType":"Bundle","type":"collection","entry":[{{"resource":{{"resourceType":"Patient","id":"{id}",
            "identifier":[{{"system":"https://fhir.nhs.uk/Id/nhs-number","value":"9990000018"}},
                          {{"system":"{identifier_system}","value":"9434765919"}}],
            "name":[{{"family":"Test","given":["Ada"]}}],"birthDate":"1950-01-01"}}}}]}}"#
        )
    };
    let training = ImportOptions {
        shift_days: 0,
        test_range_only: true,
    };
    for (text, options, refused) in [
        (bundle("https://hospital.example/mrn", "p1"), training, true),
        (
            bundle("https://hospital.example/mrn", "p1"),
            ImportOptions::default(),
            false,
        ),
        (bundle("https://hospital.example/mrn2", "9434765919"), training, true),
    ] {
        let p = parse("t.json", "00", &text, options).unwrap();
        assert_eq!(
            p.rejections.iter().any(|r| r.reason.contains("outside the test range")),
            refused,
            "{text} {:?}",
            p.rejections
        );
        assert_eq!(p.batch.people.is_empty(), refused, "{:?}", p.batch.people);
    }
}
