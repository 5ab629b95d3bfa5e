//! The ICB's CHC decision recorded (issue 17 item 6, SAFETY.md H31) on both engines:
//! the round trip (stored with who decided, audited in words, the caseload's stage
//! closing), the refusals (dated before the assessment or in the future, a second
//! decision without a reason, a restricted assessment without a reason, a trainer
//! outside a training database), and on a server an app role's plain SQL, which
//! cannot change a decision without its audit event nor decide a held-back one.
//! PostgreSQL cases skip without a server, unless `JOINEDUP_TEST_POSTGRES=1`.

mod common;

use chrono::{NaiveDate, NaiveDateTime};
use common::places::Place;
use common::server_team::refused;
use joinedup::domain::NhsNumber;
use joinedup::domain::chc::{ChcAssessmentKind, IcbDecision};
use joinedup::domain::chc_case::{ChcStage, chc_case};
use joinedup::domain::governance::{Reason, Role};
use joinedup::service::{Service, ServiceError};

/// Brenda Cole: a positive Checklist on 1 June, a DST on 20 June awaiting the ICB.
const COLE: &str = "9990000166";
/// Kenneth Doyle: a DST decided eligible on 28 April.
const DOYLE: &str = "9990000158";

/// The fixtures' own date (imported as real records, not shifted).
fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 6, 30).unwrap()
}

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 6, d).unwrap()
}

fn at(hh: u32, mm: u32) -> NaiveDateTime {
    today().and_hms_opt(hh, mm, 0).unwrap()
}

/// A coordinator on a record holding the training people as real records.
fn imported(place: &mut Place) -> Service {
    let mut s = place.client("ann");
    let bytes = include_bytes!("../fixtures/training.json");
    s.import_bytes("training.json", bytes, false, at(7, 0), &mut |_| true)
        .unwrap();
    s
}

fn person(s: &mut Service, nhs: &str) -> i64 {
    s.find_by_nhs(NhsNumber::parse(nhs).unwrap(), at(8, 0))
        .unwrap()
        .unwrap()
        .id
}

fn decision(on: NaiveDate, eligible: bool, by: &str) -> IcbDecision {
    IcbDecision {
        date: on,
        is_eligible: eligible,
        note: Some("Agreed with the MDT".into()),
        decided_by: Some(by.into()),
    }
}

fn count(s: &Service, sql: &str) -> i64 {
    s.store().connection().query_row(sql, [], |r| r.get(0)).unwrap()
}

fn text(s: &Service, sql: &str) -> String {
    s.store().connection().query_row(sql, [], |r| r.get(0)).unwrap()
}

fn refusal<T: std::fmt::Debug>(r: Result<T, ServiceError>) -> String {
    match r {
        Err(ServiceError::Refused(m)) => m,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

on_both_engines! {
    fn a_decision_round_trips_audited_and_closes_the_stage(place) {
        let mut place = place;
        let mut s = imported(&mut place);
        let cole = person(&mut s, COLE);
        let stage = |s: &mut Service| {
            s.chc_caseload(today(), at(8, 1))
                .unwrap()
                .into_iter()
                .find(|r| r.person_id == cole)
                .map(|r| r.case)
        };
        assert_eq!(stage(&mut s).unwrap().stage, ChcStage::AwaitingDecision);
        let (dst, loaded) = s
            .decide_awaiting_chc(cole, None, &decision(day(28), true, " Dr A. Shah "), today(), at(9, 0))
            .unwrap();
        assert_eq!((dst.kind, dst.completed_on), (ChcAssessmentKind::Dst, day(20)));
        let stored = loaded.record.chc.iter().find(|a| a.episode_id == dst.episode_id).unwrap();
        let d = stored.icb_decision.as_ref().expect("decided");
        assert_eq!((d.date, d.is_eligible), (day(28), true));
        assert_eq!(d.decided_by.as_deref(), Some("Dr A. Shah"), "trimmed as stored");
        assert_eq!(d.note.as_deref(), Some("Agreed with the MDT"));
        // The caseload's stage closes: eligible, first review 3 months after.
        let case = stage(&mut s).unwrap();
        assert_eq!(case.stage, ChcStage::EligibleReviewDue);
        assert_eq!(case.next_review, NaiveDate::from_ymd_opt(2026, 9, 28));
        assert_eq!(chc_case(&loaded.record.chc, today()).unwrap().stage, ChcStage::EligibleReviewDue);
        // One audit event in words, with who decided.
        assert_eq!(count(&s, "SELECT count(*) FROM audit_event WHERE action = 'chc_decision_recorded'"), 1);
        let detail = text(&s, "SELECT detail FROM audit_event WHERE action = 'chc_decision_recorded'");
        assert!(
            detail.contains("Decision Support Tool of 20-Jun-2026")
                && detail.contains("eligible on 28-Jun-2026 by Dr A. Shah"),
            "{detail}"
        );
        // Nothing awaits now.
        let none = refusal(s.decide_awaiting_chc(cole, None, &decision(day(29), true, "Dr A. Shah"), today(), at(9, 1)));
        assert!(none.starts_with("no DST or Fast Track of this person awaits"), "{none}");
        // Replacing it needs a reason; the earlier decision stays in the audit detail.
        let again = refusal(s.record_chc_decision(
            cole, dst.episode_id, &decision(day(29), false, "Dr B. Jones"), None, today(), at(9, 2),
        ));
        assert!(again.contains("already recorded (eligible on 28-Jun-2026") && again.contains("give a reason"), "{again}");
        let reason = Reason::parse("ICB panel corrected the decision on appeal").unwrap();
        let loaded = s
            .record_chc_decision(cole, dst.episode_id, &decision(day(29), false, "Dr B. Jones"), Some(&reason), today(), at(9, 3))
            .unwrap();
        let d = loaded.record.chc.iter().find(|a| a.episode_id == dst.episode_id).unwrap().icb_decision.clone().unwrap();
        assert_eq!((d.is_eligible, d.decided_by.as_deref()), (false, Some("Dr B. Jones")));
        assert_eq!(stage(&mut s).unwrap().stage, ChcStage::NotEligible);
        let detail = text(&s, "SELECT detail FROM audit_event WHERE action = 'chc_decision_recorded' ORDER BY id DESC LIMIT 1");
        assert!(
            detail.contains("not eligible on 29-Jun-2026 by Dr B. Jones")
                && detail.contains("replacing the decision eligible on 28-Jun-2026 by Dr A. Shah"),
            "{detail}"
        );
        let why = text(&s, "SELECT reason FROM audit_event WHERE action = 'chc_decision_recorded' ORDER BY id DESC LIMIT 1");
        assert_eq!(why, "ICB panel corrected the decision on appeal");
        assert_eq!(count(&s, "SELECT count(*) FROM audit_event WHERE action = 'chc_decision_recorded'"), 2);
    }
}

on_both_engines! {
    fn a_wrong_decision_is_refused_and_nothing_is_written(place) {
        let mut place = place;
        let mut s = imported(&mut place);
        let cole = person(&mut s, COLE);
        let before = refusal(s.decide_awaiting_chc(cole, None, &decision(day(19), true, "Dr A. Shah"), today(), at(9, 0)));
        assert!(before.contains("before the assessment it decides (20-Jun-2026)"), "{before}");
        let future = refusal(s.decide_awaiting_chc(
            cole, None, &decision(NaiveDate::from_ymd_opt(2026, 7, 1).unwrap(), true, "Dr A. Shah"), today(), at(9, 1),
        ));
        assert!(future.contains("in the future"), "{future}");
        let nobody = refusal(s.decide_awaiting_chc(cole, None, &decision(day(28), true, "  "), today(), at(9, 2)));
        assert!(nobody.contains("say who at the ICB"), "{nobody}");
        // A Checklist is not decided by the ICB.
        let record = s.open_record(cole, today(), at(9, 3)).unwrap();
        let checklist = record.record.chc.iter().find(|a| a.kind == ChcAssessmentKind::Checklist).unwrap();
        let screening = refusal(s.record_chc_decision(
            cole, checklist.episode_id, &decision(day(28), true, "Dr A. Shah"), None, today(), at(9, 4),
        ));
        assert!(screening.contains("a Checklist only screens"), "{screening}");
        // Another person's assessment is not this person's.
        let doyle = person(&mut s, DOYLE);
        let dst = record.record.chc.iter().find(|a| a.kind == ChcAssessmentKind::Dst).unwrap();
        let wrong = refusal(s.record_chc_decision(
            doyle, dst.episode_id, &decision(day(28), true, "Dr A. Shah"), None, today(), at(9, 5),
        ));
        assert!(wrong.contains("not in the record as shown"), "{wrong}");
        // A trainer changes nothing outside a training database.
        let mut tess = place.client_as("tess", Role::Trainer);
        let trainer = refusal(tess.decide_awaiting_chc(cole, None, &decision(day(28), true, "Dr A. Shah"), today(), at(9, 6)));
        assert!(trainer.contains("a trainer changes data only in a training database"), "{trainer}");
        assert_eq!(count(&s, "SELECT count(*) FROM audit_event WHERE action = 'chc_decision_recorded'"), 0);
        assert_eq!(count(&s, "SELECT count(*) FROM chc_assessment WHERE icb_decision_by IS NOT NULL"), 0);
    }
}

on_both_engines! {
    fn a_restricted_assessment_is_decided_only_after_a_reason(place) {
        let mut place = place;
        let mut s = imported(&mut place);
        let cole = person(&mut s, COLE);
        s.store()
            .connection()
            .execute("UPDATE person SET is_restricted = 1 WHERE nhs_number = '9990000166'", [])
            .unwrap();
        let held = refusal(s.decide_awaiting_chc(cole, None, &decision(day(28), true, "Dr A. Shah"), today(), at(9, 0)));
        assert!(held.contains("give a reason to see its assessments"), "{held}");
        s.reveal(cole, &Reason::parse("Direct care: CHC assessment in progress").unwrap(), today(), at(9, 1))
            .unwrap();
        s.decide_awaiting_chc(cole, None, &decision(day(28), true, "Dr A. Shah"), today(), at(9, 2))
            .unwrap();
        assert_eq!(count(&s, "SELECT count(*) FROM audit_event WHERE action = 'chc_decision_recorded'"), 1);
    }
}

/// On a server, an app role writes a decision only through the program's path: a
/// plain UPDATE without its audit event is refused at commit, the table itself is
/// not theirs to write, and a held-back (restricted) assessment is refused by the
/// view's trigger. The program's path works, as the signed-in user.
#[test]
fn on_a_server_a_decision_is_written_only_with_its_audit_event() {
    let mut team = team_or_skip!("chc_decide_server");
    let mut owner = team.owner_sql();
    let cole = common::server_team::person_id(&mut owner, COLE);
    // Cole is another team's person: the Discharge team is added to her care team.
    owner
        .execute(
            "INSERT INTO care_team_member (person_id, member_kind, member, added_by, added_at)
             VALUES ($1, 'team', 'Discharge team', 'owner', now())",
            &[&cole],
        )
        .unwrap();
    let dst: i64 = owner
        .query_one(
            "SELECT c.episode_id FROM chc_assessment c JOIN episode e ON e.id = c.episode_id
             WHERE e.person_id = $1 AND c.kind = 'dst'",
            &[&cole],
        )
        .unwrap()
        .get(0);
    let mut anna = team.sql("anna");
    let unaudited = refused(anna.execute(
        "UPDATE chc_assessment SET icb_decision_date = '2026-11-20', icb_decision_eligible = 1,
            icb_decision_by = 'Dr A. Shah' WHERE episode_id = $1",
        &[&dst],
    ));
    assert!(unaudited.contains("every change is audited"), "{unaudited}");
    let direct = refused(anna.execute(
        "UPDATE public.chc_assessment SET icb_decision_by = 'Dr A. Shah' WHERE episode_id = $1",
        &[&dst],
    ));
    assert!(direct.contains("permission denied"), "{direct}");
    // Restricted: the view's trigger refuses it, whatever else the transaction holds.
    owner
        .execute("UPDATE person SET is_restricted = 1 WHERE id = $1", &[&cole])
        .unwrap();
    let held = refused(anna.execute(
        "UPDATE chc_assessment SET icb_decision_date = '2026-11-20', icb_decision_eligible = 1,
            icb_decision_by = 'Dr A. Shah' WHERE episode_id = $1",
        &[&dst],
    ));
    assert!(held.contains("this CHC assessment is restricted"), "{held}");
    owner
        .execute("UPDATE person SET is_restricted = 0 WHERE id = $1", &[&cole])
        .unwrap();
    let stored: Option<String> = owner
        .query_one(
            "SELECT icb_decision_by FROM chc_assessment WHERE episode_id = $1",
            &[&dst],
        )
        .unwrap()
        .get(0);
    assert_eq!(stored, None, "nothing was written");
    // Bob has the caseload open: the decision reaches his window (the audit view
    // lists it among the changes).
    let today = common::server_team::today();
    let mut bob = team.service("bob");
    bob.chc_caseload(today, common::server_team::at(8, 59)).unwrap();
    assert_eq!(bob.changes().unwrap(), None, "nothing changed yet");
    // The program's path, as Anna.
    let mut service = team.service("anna");
    let on = today.pred_opt().unwrap();
    let (decided, loaded) = service
        .decide_awaiting_chc(
            cole,
            None,
            &decision(on, true, "Dr A. Shah"),
            today,
            common::server_team::at(9, 0),
        )
        .unwrap();
    assert_eq!(decided.episode_id, dst);
    assert_eq!(
        chc_case(&loaded.record.chc, today).unwrap().stage,
        ChcStage::EligibleReviewDue
    );
    let row = owner
        .query_one(
            "SELECT c.icb_decision_by, a.actor FROM chc_assessment c, audit_event a
             WHERE c.episode_id = $1 AND a.action = 'chc_decision_recorded'",
            &[&dst],
        )
        .unwrap();
    assert_eq!(row.get::<_, Option<String>>(0).as_deref(), Some("Dr A. Shah"));
    assert!(
        row.get::<_, String>(1).contains(&team.user("anna")),
        "the signed-in user's event"
    );
    let started = std::time::Instant::now();
    let heard = loop {
        if let Some(c) = bob.changes().unwrap() {
            break c;
        }
        assert!(started.elapsed().as_secs() < 2, "Bob's window heard nothing within 2 s");
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    assert!(heard.touches(cole) && !heard.anyone, "{heard:?}");
    let caseload = bob.refresh_caseload(today).unwrap();
    let row = caseload
        .iter()
        .find(|r| r.person_id == cole)
        .expect("Cole on Bob's caseload");
    assert_eq!(row.case.stage, ChcStage::EligibleReviewDue);
}

on_both_engines! {
    fn a_review_closes_review_due_and_a_future_date_is_refused(place) {
        let mut place = place;
        let mut s = imported(&mut place);
        let doyle = person(&mut s, DOYLE);
        let review = |on: NaiveDate| joinedup::domain::chc::ChcAssessment {
            episode_id: 0,
            kind: ChcAssessmentKind::Review,
            completed_on: on,
            completed_by: Some("J. Reyes".into()),
            domains: vec![],
            mdt_recommendation: Some("Needs unchanged".into()),
            icb_decision: None,
            recorded_positive: None,
            evidence: vec![],
        };
        let stage = |s: &mut Service| {
            s.chc_caseload(today(), at(8, 1)).unwrap().into_iter().find(|r| r.person_id == doyle).map(|r| r.case)
        };
        assert_eq!(stage(&mut s).unwrap().stage, ChcStage::EligibleReviewDue);
        let tomorrow = today().succ_opt().unwrap();
        let ahead = refusal(s.record_chc(doyle, &review(tomorrow), today(), at(9, 0)));
        assert_eq!(ahead, "the date 01-Jul-2026 is after today: record an assessment once it is completed");
        assert_eq!(count(&s, "SELECT count(*) FROM episode WHERE kind = 'chc_review'"), 0, "nothing written");
        let loaded = s.record_chc(doyle, &review(day(29)), today(), at(9, 1)).unwrap();
        assert!(loaded.record.chc.iter().any(|a| a.kind == ChcAssessmentKind::Review && a.completed_on == day(29)));
        let case = stage(&mut s).unwrap();
        assert_eq!(case.stage, ChcStage::EligibleReviewed, "the review closes 'review due'");
        assert_eq!(case.next_review, NaiveDate::from_ymd_opt(2027, 6, 29), "then every 12 months");
        assert_eq!(count(&s, "SELECT count(*) FROM audit_event WHERE action = 'record_chc'"), 1);
    }
}

on_both_engines! {
    fn an_assessment_is_not_recorded_on_a_record_merged_into_another(place) {
        // The worklist and the caseload follow the person a record was merged
        // into: a Checklist left on the merged record would start a clock no one
        // sees (hostile review; SAFETY H40).
        let mut place = place;
        let mut s = imported(&mut place);
        let (cole, doyle) = (person(&mut s, COLE), person(&mut s, DOYLE));
        s.link_person(cole, doyle, at(9, 0)).unwrap();
        let checklist = joinedup::domain::chc::ChcAssessment {
            episode_id: 0,
            kind: ChcAssessmentKind::Checklist,
            completed_on: today(),
            completed_by: Some("Ward nurse".into()),
            domains: joinedup::domain::chc::ChcDomain::CHECKLIST
                .iter()
                .map(|d| (*d, "C".into()))
                .collect(),
            mdt_recommendation: None,
            icb_decision: None,
            recorded_positive: None,
            evidence: vec![],
        };
        let err = s.record_chc(cole, &checklist, today(), at(9, 5)).unwrap_err();
        assert!(err.to_string().contains("merged into"), "{err}");
        s.record_chc(doyle, &checklist, today(), at(9, 6)).unwrap();
    }
}
