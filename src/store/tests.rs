//! Store tests on temporary databases: round trips, upgrades, refusal of newer schemas.

use chrono::NaiveDate;

use super::*;
use crate::domain::batch::{EpisodeEntry, ImportBatch, PersonEntry, PersonKey};
use crate::domain::dates::parse_date_time;
use crate::domain::hospital::{Attribution, DelayReason};
use crate::domain::{
    Demographics, Episode, EpisodeKind, EpisodeStatus, HospitalSpell, LocalId, NhsNumber, Provenance, Sensitivity,
};

/// A store test that runs on both engines: a private SQLite database and a scratch
/// PostgreSQL one (skipped with the reason printed when no server answers; a
/// failure instead under `JOINEDUP_TEST_POSTGRES=1`).
macro_rules! on_both_engines {
    (fn $name:ident($store:ident) $body:block) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[allow(unused_mut)]
            fn body(mut $store: Store) $body

            #[test]
            fn sqlite() {
                body(Store::open_in_memory().unwrap())
            }

            #[test]
            fn postgres() {
                if let Some(db) = crate::store::ScratchDatabase::create(stringify!($name)) {
                    body(db.open().unwrap())
                }
            }
        }
    };
}

fn nhs(s: &str) -> NhsNumber {
    NhsNumber::parse(s).unwrap()
}

fn at(s: &str) -> chrono::NaiveDateTime {
    parse_date_time(s).unwrap()
}

fn episode(kind: EpisodeKind, source_ref: &str, start: &str) -> Episode {
    Episode {
        id: 0,
        kind,
        title: kind.label().into(),
        start: at(start),
        end: None,
        status: EpisodeStatus::Active,
        organisation: Some("Northgate General".into()),
        detail: String::new(),
        sensitivity: Sensitivity::Normal,
        attributes: [("admission_method".to_string(), "21".to_string())].into(),
        provenance: Provenance {
            source: "Northgate PAS".into(),
            source_ref: source_ref.into(),
            ..Default::default()
        },
    }
}

pub(super) fn batch() -> ImportBatch {
    let key = PersonKey::Nhs(nhs("9990000018"));
    let spell = HospitalSpell {
        hospital: "Northgate General".into(),
        ward: Some("Elm".into()),
        admission_method: Some("21".into()),
        meets_criteria_to_reside: Some(false),
        discharge_ready_date: NaiveDate::from_ymd_opt(2026, 11, 15),
        pathway: Some(1),
        delay_reasons: vec![DelayReason {
            id: 0,
            code: "E".into(),
            description: "Awaiting home care package".into(),
            attribution: Attribution::SocialCare,
            since: NaiveDate::from_ymd_opt(2026, 11, 15).unwrap(),
            owner: Some("Ashford brokerage".into()),
        }],
        ..Default::default()
    };
    ImportBatch {
        format: "native".into(),
        file_name: "people.json".into(),
        file_sha256: "ab".repeat(32),
        rows_read: 3,
        rows_rejected: 0,
        people: vec![
            PersonEntry {
                key: key.clone(),
                nhs_number: Some(nhs("9990000018")),
                local_ids: vec![LocalId {
                    source: "Ashford Council".into(),
                    id: "LA-1".into(),
                }],
                source: "Northgate PAS".into(),
                demographics: Demographics {
                    given_name: "Margaret".into(),
                    family_name: "Okafor".into(),
                    date_of_birth: NaiveDate::from_ymd_opt(1938, 4, 12),
                    ..Default::default()
                },
                alerts: vec!["Lives alone".into()],
                is_restricted: false,
            },
            PersonEntry {
                key: key.clone(),
                nhs_number: Some(nhs("9990000018")),
                local_ids: vec![],
                source: "Ashford Council".into(),
                demographics: Demographics {
                    given_name: "Margaret".into(),
                    family_name: "Okafor".into(),
                    date_of_birth: NaiveDate::from_ymd_opt(1938, 12, 4),
                    ..Default::default()
                },
                alerts: vec![],
                is_restricted: false,
            },
        ],
        episodes: vec![
            EpisodeEntry {
                person: key.clone(),
                episode: episode(EpisodeKind::InpatientSpell, "SP1", "2026-11-01T10:00"),
                spell: Some(spell),
                chc: None,
                replaces_existing: false,
            },
            EpisodeEntry {
                person: key.clone(),
                episode: episode(EpisodeKind::AeAttendance, "AE1", "2026-11-01T08:00"),
                spell: None,
                chc: None,
                replaces_existing: false,
            },
            EpisodeEntry {
                person: PersonKey::Local(LocalId {
                    source: "Ashford Council".into(),
                    id: "LA-99".into(),
                }),
                episode: episode(EpisodeKind::SocialCareRequest, "REQ1", "2026-10-01"),
                spell: None,
                chc: None,
                replaces_existing: false,
            },
        ],
        care_plans: vec![],
        notes: vec![],
        warnings: vec![],
    }
}

#[test]
fn round_trip_and_idempotent_reimport() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("j.db")).unwrap();
    let now = at("2026-11-22T09:00");
    let first = store.apply_import(&batch(), now).unwrap();
    assert_eq!(
        (first.people_added, first.episodes_added, first.episodes_already_present),
        (2, 3, 0)
    );
    let again = store.apply_import(&batch(), now).unwrap();
    assert_eq!(
        (again.people_added, again.episodes_added, again.episodes_already_present),
        (0, 0, 3)
    );
    assert_eq!(store.count_people().unwrap(), 2);

    let found = store.find_by_nhs_number(nhs("999 000 0018")).unwrap().unwrap();
    let record = store.person_record(found.id).unwrap();
    assert_eq!(
        record.person.demographics.date_of_birth,
        NaiveDate::from_ymd_opt(1938, 4, 12)
    );
    assert_eq!(
        record.person.conflicts().len(),
        1,
        "two sources disagree on date of birth"
    );
    assert_eq!(record.person.alerts, vec!["Lives alone".to_string()]);
    assert_eq!(record.episodes.len(), 2);
    assert_eq!(record.episodes[0].kind, EpisodeKind::AeAttendance, "timeline order");
    assert_eq!(record.episodes[1].provenance.file_name, "people.json");
    assert_eq!(record.episodes[1].attr("admission_method"), Some("21"));
    assert_eq!(record.spells.len(), 1);
    assert_eq!(record.spells[0].delay_reasons[0].attribution, Attribution::SocialCare);
    assert_eq!(record.spells[0].pathway, Some(1));

    // The social-care-only person has no NHS number and waits for matching.
    let unmatched = store.unmatched_people(10).unwrap();
    assert_eq!(unmatched.len(), 1);
    assert_eq!(store.import_runs().unwrap().len(), 2);
}

on_both_engines! {
    fn name_search_and_recent(store) {
    store.apply_import(&batch(), at("2026-11-22")).unwrap();
    let hits = store.search_people("okaf", None, 20).unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].display_name(), "OKAFOR, Margaret");
    assert_eq!(store.search_people("marg OKAFOR", None, 20).unwrap().len(), 1);
    assert_eq!(
        store
            .search_people("okafor", NaiveDate::from_ymd_opt(1938, 4, 12), 20)
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        store
            .search_people("okafor", NaiveDate::from_ymd_opt(1950, 1, 1), 20)
            .unwrap()
            .len(),
        0
    );
    assert!(store.search_people("smith", None, 20).unwrap().is_empty());
    store.mark_opened("jsmith", hits[0].id, at("2026-11-22T10:00")).unwrap();
    assert_eq!(store.recent_people("jsmith", 5).unwrap()[0].id, hits[0].id);
    }
}

#[test]
fn upgrade_from_first_schema_keeps_data_and_backs_up() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    {
        let mut conn = rusqlite::Connection::open(&path).unwrap();
        migrations().to_version(&mut conn, 1).unwrap();
        conn.execute(
            "INSERT INTO person (nhs_number, given_name, family_name, created_at) VALUES ('9990000026', 'Ann', 'Hart', '2026-01-01T00:00:00')",
            [],
        )
        .unwrap();
    }
    let store = Store::open(&path).unwrap();
    let version: i64 = store
        .sqlite_connection()
        .unwrap()
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version as usize, schema_version());
    assert!(store.find_by_nhs_number(nhs("9990000026")).unwrap().is_some());
    assert!(
        dir.path().join("old.db.schema1.bak").exists(),
        "a backup copy is made before migrating"
    );
}

#[test]
fn newer_schema_is_refused_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("new.db");
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.pragma_update(None, "user_version", 99).unwrap();
    }
    let err = Store::open(&path).err().expect("must refuse");
    assert!(matches!(err, StoreError::TooNew { found: 99, .. }));
    assert!(err.to_string().contains("newer version of joinedup"));
}

#[test]
fn migrations_validate() {
    migrations().validate().unwrap();
}

#[test]
fn audit_chain_detects_tampering() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.db");
    let mut store = Store::open(&path).unwrap();
    for action in ["open", "search", "export"] {
        store
            .append_audit(&AuditEvent {
                id: 0,
                at: at("2026-11-22T10:00"),
                actor: "coordinator".into(),
                action: action.into(),
                person_id: Some(1),
                detail: String::new(),
                reason: None,
            })
            .unwrap();
    }
    assert_eq!(store.verify_audit().unwrap(), AuditVerification::Intact { events: 3 });
    assert!(
        store
            .connection()
            .execute("DELETE FROM audit_event WHERE id = 2", [])
            .is_err(),
        "append-only"
    );
    // Tamper underneath the triggers, as an attacker with the file would.
    store
        .connection()
        .execute_batch("DROP TRIGGER audit_event_no_update; UPDATE audit_event SET action = 'x' WHERE id = 2;")
        .unwrap();
    assert!(matches!(
        store.verify_audit().unwrap(),
        AuditVerification::Broken { at_event: 2, .. }
    ));
}

on_both_engines! {
    fn board_gathers_current_inpatients_and_logs_changes(store) {
    use crate::domain::board::{BoardColumn, build_rows, sort_rows};
    use crate::domain::discharge::{BoardStatus, summarise};
    let as_of = NaiveDate::from_ymd_opt(2026, 6, 30).unwrap();
    crate::training::prepare(&mut store, as_of, at("2026-06-30T08:00")).unwrap();
    let (inputs, discharged) = store.board_inputs(as_of).unwrap();
    let mut rows = build_rows(&inputs, as_of);
    sort_rows(&mut rows, BoardColumn::DaysDelayed, true);
    let names: Vec<(&str, Option<i64>)> = rows
        .iter()
        .map(|r| (r.person.display_name.as_str(), r.days_delayed))
        .collect();
    assert_eq!(
        names,
        vec![
            ("OKAFOR, Margaret", Some(10)),
            ("BAKER, Joan", Some(0)),
            ("REID, Thomas", None)
        ]
    );
    let margaret = &rows[0];
    assert_eq!(margaret.status, BoardStatus::LongDelay);
    assert_eq!(margaret.delay_reasons.len(), 2);
    assert!(margaret.social_care.hospital_request_made);
    assert_eq!(
        margaret.social_care.allocated_worker.as_deref(),
        Some("Sian Roberts (Westmere Council)")
    );
    // Joan relapsed into meeting the criteria; her DRD is the start of the current period.
    assert_eq!(rows[1].discharge_ready_date, NaiveDate::from_ymd_opt(2026, 6, 30));
    assert_eq!(rows[1].social_care.active_packages, 1);
    assert_eq!(rows[2].criterion_code.as_deref(), Some("03"));
    let current: Vec<&crate::domain::HospitalSpell> = inputs.iter().map(|i| &i.spell).collect();
    let discharged: Vec<&crate::domain::HospitalSpell> = discharged.iter().collect();
    let summary = summarise(&current, &discharged, as_of);
    assert_eq!(summary.inpatients, 3);
    assert_eq!(summary.delayed_bed_days, 10);
    // Discharged in the 30 days to 30 Jun with a DRD: only Patricia Walsh, 2 days after it.
    assert_eq!(summary.discharged_with_drd_30d, 1);
    assert_eq!(summary.discharged_on_drd_share_30d, Some(0.0));

    // A coordinator adds a reason, sets the pathway, then closes the first reason.
    let episode_id = margaret.episode_id;
    let reason = DelayReason {
        id: 0,
        code: "G".into(),
        description: "Family want to view a care home first".into(),
        attribution: Attribution::Other,
        since: as_of,
        owner: Some("Ward social worker".into()),
    };
    store
        .change_spell(
            episode_id,
            0,
            &[SpellChange::AddDelayReason(reason)],
            &ev("2026-06-30T10:00"),
        )
        .unwrap();
    store
        .change_spell(episode_id, 1, &[SpellChange::SetPathway(Some(2))], &ev("2026-06-30T10:01"))
        .unwrap();
    let first = margaret.delay_reasons[0].id;
    store
        .change_spell(
            episode_id,
            2,
            &[SpellChange::CloseDelayReason { id: first, on: as_of }],
            &ev("2026-06-30T10:02"),
        )
        .unwrap();
    // Changes saved together are kept together: one that cannot apply (a delay
    // reason that is not on this stay) keeps the pathway change beside it out too.
    let missing = DelayReason {
        id: 999_999,
        code: "E".into(),
        description: "not on this stay".into(),
        attribution: Attribution::Nhs,
        since: as_of,
        owner: None,
    };
    let both = [
        SpellChange::SetPathway(Some(3)),
        SpellChange::UpdateDelayReason(missing),
    ];
    assert!(store.change_spell(episode_id, 3, &both, &ev("2026-06-30T10:03")).is_err());
    let (inputs, _) = store.board_inputs(as_of).unwrap();
    let rows = build_rows(&inputs, as_of);
    let m = rows.iter().find(|r| r.episode_id == episode_id).unwrap();
    assert_eq!(m.pathway, Some(2));
    let codes: Vec<&str> = m.delay_reasons.iter().map(|r| r.code.as_str()).collect();
    assert_eq!(codes, vec!["", "G"]);
    let log = store.spell_changes(episode_id).unwrap();
    assert_eq!(log.len(), 3);
    assert_eq!(log[1].field, "pathway");
    assert_eq!(
        (log[1].old_value.as_deref(), log[1].new_value.as_deref()),
        (Some("1"), Some("2"))
    );
    assert!(log.iter().all(|l| l.actor == "coordinator"));
    // Each change wrote its audit event, in words, in the same transaction.
    let events = store.audit_events(10).unwrap();
    let details: Vec<&str> = events.iter().map(|e| e.detail.as_str()).collect();
    assert_eq!(
        details[1], "test change: pathway changed from pathway 1 to pathway 2",
        "{details:?}"
    );
    assert!(details[2].starts_with("test change: delay reason 'Family want to view a care home first' added (Other"));
    let person = store
        .find_by_nhs_number(NhsNumber::parse("9990000018").unwrap())
        .unwrap()
        .unwrap();
    assert_eq!(store.spell_changes_for_person(person.id).unwrap(), log);
    }
}

on_both_engines! {
    fn chc_assessments_recorded_in_the_app_join_the_caseload(store) {
    use crate::domain::chc::{ChcAssessment, ChcAssessmentKind, ChcDomain};
    use crate::domain::chc_case::{ChcStage, chc_case};
    let as_of = NaiveDate::from_ymd_opt(2026, 6, 30).unwrap();
    crate::training::prepare(&mut store, as_of, at("2026-06-30T08:00")).unwrap();
    let stages = |store: &Store| {
        let mut v: Vec<(String, ChcStage)> = store
            .chc_people()
            .unwrap()
            .into_iter()
            .filter_map(|p| chc_case(&p.assessments, as_of).map(|c| (p.display_name, c.stage)))
            .collect();
        v.sort();
        v
    };
    assert_eq!(
        stages(&store),
        vec![
            ("ADEYEMI, Samuel".to_string(), ChcStage::ChecklistPositive),
            ("COLE, Brenda".to_string(), ChcStage::AwaitingDecision),
            ("DOYLE, Kenneth".to_string(), ChcStage::EligibleReviewDue),
            ("WALSH, Patricia".to_string(), ChcStage::EligibleReviewDue),
        ]
    );
    let margaret = store
        .find_by_nhs_number(NhsNumber::parse("9990000018").unwrap())
        .unwrap()
        .unwrap();
    let checklist = ChcAssessment {
        episode_id: 0,
        kind: ChcAssessmentKind::Checklist,
        completed_on: as_of,
        completed_by: Some("Ward nurse".into()),
        domains: vec![(ChcDomain::Mobility, "A".into()), (ChcDomain::Cognition, "A".into())],
        mdt_recommendation: None,
        icb_decision: None,
        recorded_positive: None,
        evidence: vec![],
    };
    store
        .record_chc_assessment(margaret.id, &checklist, "Westmere ICB", &ev("2026-06-30T11:00"))
        .unwrap();
    let record = store.person_record(margaret.id).unwrap();
    assert_eq!(record.chc.len(), 1);
    assert_eq!(record.chc[0].domains, checklist.domains);
    assert!(
        record
            .episodes
            .iter()
            .any(|e| e.kind == crate::domain::EpisodeKind::ChcChecklist)
    );
    assert!(stages(&store).contains(&("OKAFOR, Margaret".to_string(), ChcStage::ChecklistPositive)));
    }
}

on_both_engines! {
    fn matching_suggests_links_and_undoes(store) {
    let as_of = NaiveDate::from_ymd_opt(2026, 6, 30).unwrap();
    crate::training::prepare(&mut store, as_of, at("2026-06-30T08:00")).unwrap();
    let nowak = store.unmatched_people(10).unwrap()[0].clone();
    assert_eq!(nowak.family_name, "Nowak");
    // The hospital knows him by NHS number, with his day and month swapped.
    let mut b = batch();
    b.people = vec![PersonEntry {
        key: PersonKey::Nhs(nhs("9990000174")),
        nhs_number: Some(nhs("9990000174")),
        local_ids: vec![],
        source: "Northgate PAS".into(),
        demographics: Demographics {
            given_name: "Wladyslaw".into(),
            family_name: "Nowak".into(),
            date_of_birth: NaiveDate::from_ymd_opt(1943, 8, 11),
            postcode: Some("WM8 2LE".into()),
            ..Default::default()
        },
        alerts: vec![],
        is_restricted: false,
    }];
    b.episodes.clear();
    store.apply_import(&b, at("2026-06-30T09:00")).unwrap();
    let candidates = store.match_candidates(nowak.id, 5).unwrap();
    assert_eq!(candidates.len(), 1);
    let c = &candidates[0];
    assert_eq!(c.person.nhs_number, Some(nhs("9990000174")));
    assert_eq!(
        c.score.reasons,
        vec![
            "family name the same",
            "given name the same",
            "date of birth with day and month swapped",
            "postcode the same"
        ]
    );
    let episodes_before = store.person_record(nowak.id).unwrap().episodes.len();
    let link = store
        .link_person(nowak.id, c.person.id, &ev("2026-06-30T10:00"))
        .unwrap();
    assert!(store.unmatched_people(10).unwrap().is_empty());
    let merged = store.person_record(c.person.id).unwrap();
    assert_eq!(
        merged.episodes.len(),
        episodes_before,
        "his council record now sits with his NHS number"
    );
    assert_eq!(
        merged.person.conflicts()[0].field,
        "date of birth",
        "the disagreement is kept and shown"
    );
    assert!(
        store
            .search_people("nowak", None, 10)
            .unwrap()
            .iter()
            .all(|p| p.id != nowak.id)
    );
    store.undo_link(link, &ev("2026-06-30T11:00")).unwrap();
    assert_eq!(store.unmatched_people(10).unwrap()[0].id, nowak.id);
    assert_eq!(store.person_record(nowak.id).unwrap().episodes.len(), episodes_before);
    assert!(store.person_record(c.person.id).unwrap().episodes.is_empty());
    assert!(store.person_links(5).unwrap()[0].is_undone);
    // "Not the same person": no longer suggested.
    store
        .reject_match(nowak.id, c.person.id, &ev("2026-06-30T12:00"))
        .unwrap();
    assert!(store.match_candidates(nowak.id, 5).unwrap().is_empty());
    }
}

on_both_engines! {
    fn a_cancelled_import_keeps_nothing(store) {
    let mut b = batch();
    // Enough episodes for progress to be reported.
    let template = b.episodes[1].clone();
    for i in 0..(2 * super::apply::PROGRESS_EVERY) {
        let mut e = template.clone();
        e.episode.provenance.source_ref = format!("BULK-{i}");
        b.episodes.push(e);
    }
    let mut calls = Vec::new();
    let audit = |f: &crate::domain::batch::ImportBatch, s: &crate::domain::batch::ImportSummary| {
        crate::store::system_import_event(f, s, at("2026-11-22T09:00"))
    };
    let result = store.apply_import_with(
        &b,
        at("2026-11-22T09:00"),
        &mut |done, total| {
            calls.push((done, total));
            false
        },
        &audit,
    );
    assert!(matches!(result, Err(StoreError::Cancelled)));
    assert_eq!(
        calls,
        vec![(super::apply::PROGRESS_EVERY, b.people.len() + b.episodes.len())]
    );
    assert_eq!(store.count_people().unwrap(), 0);
    assert!(store.import_runs().unwrap().is_empty(), "nothing of the file is kept");
    let n: i64 = store
        .connection()
        .query_row("SELECT count(*) FROM episode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 0);
    // The same file imports whole afterwards.
    let s = store.apply_import(&b, at("2026-11-22T09:05")).unwrap();
    assert_eq!(s.episodes_added, b.episodes.len());
    }
}

on_both_engines! {
    fn sources_and_people_whose_sources_disagree(store) {
    let as_of = NaiveDate::from_ymd_opt(2026, 6, 30).unwrap();
    crate::training::prepare(&mut store, as_of, at("2026-06-30T08:00")).unwrap();
    let conflicts = store.people_with_conflicts(10).unwrap();
    let names: Vec<String> = conflicts.iter().map(|p| p.display_name()).collect();
    assert_eq!(names, vec!["JENKINS, Arthur"]);
    let sources = store.sources().unwrap();
    let council = sources
        .iter()
        .find(|s| s.source == "Westmere Council Adult Social Care")
        .unwrap();
    assert!(council.items > 10);
    assert_eq!(council.last_import, at("2026-06-30T08:00"));
    }
}

/// An audit event by a coordinator at a time, for the store's audited changes.
fn ev(when: &str) -> AuditEvent {
    AuditEvent {
        id: 0,
        at: at(when),
        actor: "coordinator".into(),
        action: "change_spell".into(),
        person_id: None,
        detail: "test change".into(),
        reason: None,
    }
}

mod plans;
