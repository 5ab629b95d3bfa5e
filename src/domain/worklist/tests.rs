//! Table-driven tests for worklist events, with `today` passed in.

use chrono::NaiveDate;

use super::*;
use crate::domain::care_plan::{CarePlan, PlanKind};
use crate::domain::chc::{ChcAssessment, ChcAssessmentKind, ChcDomain, IcbDecision};
use crate::domain::dates::{parse_date, parse_date_time};
use crate::domain::episode::attr;
use crate::domain::hospital::{Attribution, CtrReview, DelayReason, HospitalSpell};
use crate::domain::test_support::{episode, person};
use crate::domain::{Demographics, Episode, EpisodeKind, EpisodeStatus, PersonRecord, Provenance, Sector};

fn day(s: &str) -> NaiveDate {
    parse_date(s).expect("test date")
}

fn with_id(mut e: Episode, id: i64) -> Episode {
    e.id = id;
    e.organisation = Some("Northgate General".into());
    e
}

fn spell_facts(id: i64, admitted: &str, drd: Option<&str>, reasons: Vec<DelayReason>) -> HospitalSpell {
    HospitalSpell {
        episode_id: id,
        hospital: "Northgate General".into(),
        admitted: Some(parse_date_time(admitted).expect("test date")),
        ctr_reviews: drd
            .map(|d| {
                vec![CtrReview {
                    date: day(d),
                    meets: false,
                    code: None,
                }]
            })
            .unwrap_or_default(),
        delay_reasons: reasons,
        ..Default::default()
    }
}

fn reason(id: i64, attribution: Attribution, since: &str) -> DelayReason {
    DelayReason {
        id,
        code: "C".into(),
        description: "Awaiting home care package".into(),
        attribution,
        since: day(since),
        owner: None,
    }
}

fn checklist(id: i64, on: &str, decided: Option<&str>) -> ChcAssessment {
    ChcAssessment {
        episode_id: id,
        kind: ChcAssessmentKind::Checklist,
        completed_on: day(on),
        completed_by: None,
        domains: vec![(ChcDomain::Breathing, "A".into()), (ChcDomain::Mobility, "A".into())],
        mdt_recommendation: None,
        icb_decision: decided.map(|d| IcbDecision {
            date: day(d),
            is_eligible: false,
            note: None,
            decided_by: None,
        }),
        recorded_positive: Some(true),
        evidence: vec![],
    }
}

fn plan(id: i64, start: &str, next_review: Option<&str>) -> CarePlan {
    CarePlan {
        id,
        kind: PlanKind::CareAndSupport,
        sector: Sector::SocialCare,
        title: "Care and support plan".into(),
        owner: "Westmere Council".into(),
        status: "active".into(),
        version: 1,
        recorded: Default::default(),
        start: day(start),
        last_review: None,
        next_review: next_review.map(day),
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

fn record() -> PersonRecord {
    PersonRecord::new(person())
}

/// The kinds, dates and open flags detected, sorted for comparison.
fn detected(r: &PersonRecord, today: &str) -> Vec<(String, NaiveDate, bool)> {
    let mut out: Vec<_> = detect(r, day(today))
        .into_iter()
        .map(|e| (e.kind.code(), e.date, e.is_open))
        .collect();
    out.sort();
    out
}

#[test]
fn events_table() {
    type Case = (
        &'static str,
        PersonRecord,
        &'static str,
        Vec<(&'static str, &'static str, bool)>,
    );
    let mut cases: Vec<Case> = Vec::new();

    let mut r = record();
    r.episodes = vec![with_id(
        episode(EpisodeKind::InpatientSpell, "2026-11-21T22:00", None),
        1,
    )];
    cases.push((
        "admitted, still in",
        r,
        "2026-11-22",
        vec![("admitted", "2026-11-21", true)],
    ));

    let mut r = record();
    r.episodes = vec![with_id(
        episode(EpisodeKind::InpatientSpell, "2026-11-01", Some("2026-11-21T11:00")),
        1,
    )];
    cases.push((
        "discharged (the admission is history, not open)",
        r,
        "2026-11-22",
        vec![("admitted", "2026-11-01", false), ("discharged", "2026-11-21", false)],
    ));

    let mut r = record();
    let mut died = with_id(
        episode(EpisodeKind::InpatientSpell, "2026-11-01", Some("2026-11-20")),
        1,
    );
    died.attributes.insert(attr::DISCHARGE_METHOD.into(), "4".into());
    r.episodes = vec![died];
    cases.push((
        "died in hospital: a death, not a discharge",
        r,
        "2026-11-22",
        vec![
            ("admitted", "2026-11-01", false),
            ("death_recorded", "2026-11-20", false),
        ],
    ));

    let mut r = record();
    r.episodes = vec![with_id(episode(EpisodeKind::AeAttendance, "2026-11-22T03:10", None), 4)];
    cases.push(("A&E", r, "2026-11-22", vec![("ae_attendance", "2026-11-22", false)]));

    let mut r = record();
    r.episodes = vec![with_id(episode(EpisodeKind::AeAttendance, "2026-11-23T03:10", None), 4)];
    cases.push(("an event after today is not yet", r, "2026-11-22", vec![]));

    for (label, ready, today, expected) in [
        (
            "ready today",
            "2026-11-22",
            "2026-11-22",
            vec![
                ("admitted", "2026-11-01", true),
                ("discharge_ready", "2026-11-22", true),
            ],
        ),
        (
            "6 days: no delay step yet",
            "2026-11-16",
            "2026-11-22",
            vec![
                ("admitted", "2026-11-01", true),
                ("discharge_ready", "2026-11-16", true),
            ],
        ),
        (
            "7 days",
            "2026-11-15",
            "2026-11-22",
            vec![
                ("admitted", "2026-11-01", true),
                ("delay_7_days", "2026-11-22", true),
                ("discharge_ready", "2026-11-15", true),
            ],
        ),
        (
            "21 days: all three steps",
            "2026-11-01",
            "2026-11-22",
            vec![
                ("admitted", "2026-11-01", true),
                ("delay_14_days", "2026-11-15", true),
                ("delay_21_days", "2026-11-22", true),
                ("delay_7_days", "2026-11-08", true),
                ("discharge_ready", "2026-11-01", true),
            ],
        ),
    ] {
        let mut r = record();
        r.episodes = vec![with_id(episode(EpisodeKind::InpatientSpell, "2026-11-01", None), 1)];
        r.spells = vec![spell_facts(1, "2026-11-01T10:00", Some(ready), vec![])];
        cases.push((label, r, today, expected));
    }

    for (label, attribution, expected_reason) in [
        ("delay reason: social care", Attribution::SocialCare, true),
        ("delay reason: both", Attribution::Both, true),
        (
            "delay reason: NHS only is not a social care event",
            Attribution::Nhs,
            false,
        ),
    ] {
        let mut r = record();
        r.episodes = vec![with_id(episode(EpisodeKind::InpatientSpell, "2026-11-01", None), 1)];
        r.spells = vec![spell_facts(
            1,
            "2026-11-01T10:00",
            Some("2026-11-20"),
            vec![reason(9, attribution, "2026-11-21")],
        )];
        let mut expected = vec![
            ("admitted", "2026-11-01", true),
            ("discharge_ready", "2026-11-20", true),
        ];
        if expected_reason {
            expected.push(("social_care_delay_reason", "2026-11-21", true));
        }
        cases.push((label, r, "2026-11-22", expected));
    }

    let mut r = record();
    let mut home_care = with_id(
        episode(EpisodeKind::SocialCareService, "2026-01-05", Some("2026-11-01")),
        2,
    );
    home_care.status = EpisodeStatus::Suspended;
    r.episodes = vec![
        home_care.clone(),
        with_id(
            episode(EpisodeKind::InpatientSpell, "2026-11-01", Some("2026-11-18")),
            1,
        ),
    ];
    cases.push((
        "package suspended, not restarted 2 days after discharge",
        r.clone(),
        "2026-11-22",
        vec![
            ("admitted", "2026-11-01", false),
            ("discharged", "2026-11-18", false),
            ("package_not_restarted", "2026-11-20", true),
        ],
    ));
    let mut r_later = r.clone();
    r_later
        .episodes
        .push(with_id(episode(EpisodeKind::SocialCareService, "2026-11-21", None), 3));
    cases.push((
        "restarted late: the finding stands, no longer open",
        r_later,
        "2026-11-22",
        vec![
            ("admitted", "2026-11-01", false),
            ("discharged", "2026-11-18", false),
            ("package_not_restarted", "2026-11-20", false),
        ],
    ));
    cases.push((
        "too soon to say (day 1 after discharge)",
        r,
        "2026-11-19",
        vec![("admitted", "2026-11-01", false), ("discharged", "2026-11-18", false)],
    ));

    for (label, today, decided, expected) in [
        ("CHC day 20: nothing yet", "2026-11-21", None, vec![]),
        (
            "CHC day 21",
            "2026-11-22",
            None,
            vec![("chc_checklist_day_21", "2026-11-22", true)],
        ),
        (
            "CHC day 28",
            "2026-11-29",
            None,
            vec![
                ("chc_checklist_day_21", "2026-11-22", true),
                ("chc_checklist_day_28", "2026-11-29", true),
            ],
        ),
        ("CHC decided: no clock", "2026-11-29", Some("2026-11-25"), vec![]),
    ] {
        let mut r = record();
        r.chc = vec![checklist(5, "2026-11-01", decided)];
        cases.push((label, r, today, expected));
    }

    for (label, start, next, expected) in [
        ("review not yet due", "2026-11-01", None, vec![]),
        (
            "review due (in the 6 to 8 week window)",
            "2026-10-01",
            None,
            vec![("review_due", "2026-11-22", true)],
        ),
        (
            "review overdue (a recorded date)",
            "2026-10-01",
            Some("2026-11-20"),
            vec![("review_overdue", "2026-11-21", true)],
        ),
    ] {
        let mut r = record();
        r.care_plans = vec![plan(7, start, next)];
        cases.push((label, r, "2026-11-22", expected));
    }

    let mut r = record();
    r.episodes = vec![with_id(
        episode(EpisodeKind::SafeguardingEnquiry, "2026-11-21", None),
        8,
    )];
    cases.push((
        "safeguarding enquiry open",
        r,
        "2026-11-22",
        vec![("safeguarding_enquiry", "2026-11-21", true)],
    ));

    let mut r = record();
    r.person.demographics.date_of_death = Some(day("2026-11-21"));
    cases.push((
        "date of death stated",
        r,
        "2026-11-22",
        vec![("death_recorded", "2026-11-21", false)],
    ));

    let mut r = record();
    let dob = |d: &str| Demographics {
        date_of_birth: Some(day(d)),
        ..Default::default()
    };
    r.person.by_source = vec![
        ("Hospital".into(), dob("1940-01-01")),
        ("Council".into(), dob("1941-01-01")),
    ];
    cases.push((
        "sources disagree",
        r,
        "2026-11-22",
        vec![("sources_disagree", "2026-11-22", true)],
    ));

    for (label, r, today, expected) in cases {
        let mut expected: Vec<(String, NaiveDate, bool)> = expected
            .into_iter()
            .map(|(k, d, o)| (k.to_owned(), day(d), o))
            .collect();
        expected.sort();
        assert_eq!(detected(&r, today), expected, "{label}");
    }
}

#[test]
fn keys_are_stable_and_escalation_is_a_new_event() {
    let mut r = record();
    r.episodes = vec![with_id(episode(EpisodeKind::InpatientSpell, "2026-11-01", None), 1)];
    r.spells = vec![spell_facts(1, "2026-11-01T10:00", Some("2026-11-01"), vec![])];
    let keys = |today: &str| -> Vec<String> { detect(&r, day(today)).into_iter().map(|e| e.key).collect() };
    let on_8th = keys("2026-11-08");
    let on_9th = keys("2026-11-09");
    assert_eq!(on_8th, on_9th, "the same facts a day later are the same events");
    let on_15th = keys("2026-11-15");
    assert!(
        on_15th.contains(&"delay_14_days:1:2026-11-01".to_owned()),
        "{on_15th:?}"
    );
    assert!(
        on_15th
            .iter()
            .all(|k| k == "delay_14_days:1:2026-11-01" || on_8th.contains(k))
    );
}

#[test]
fn most_urgent_first_then_newest() {
    let mut r = record();
    r.episodes = vec![
        with_id(episode(EpisodeKind::AeAttendance, "2026-11-22", None), 4),
        with_id(episode(EpisodeKind::AeAttendance, "2026-11-20", None), 5),
        with_id(episode(EpisodeKind::SafeguardingEnquiry, "2026-11-10", None), 8),
        with_id(episode(EpisodeKind::InpatientSpell, "2026-11-21", None), 1),
    ];
    let mut events = detect(&r, day("2026-11-22"));
    events.sort_by(order);
    let got: Vec<(String, NaiveDate)> = events.into_iter().map(|e| (e.kind.code(), e.date)).collect();
    assert_eq!(
        got,
        vec![
            ("safeguarding_enquiry".to_owned(), day("2026-11-10")),
            ("admitted".to_owned(), day("2026-11-21")),
            ("ae_attendance".to_owned(), day("2026-11-22")),
            ("ae_attendance".to_owned(), day("2026-11-20")),
        ]
    );
}

fn ev(person: i64, key: &str, date: &str, is_open: bool) -> WorklistEvent {
    WorklistEvent {
        person_id: person,
        kind: EventKind::AeAttendance,
        date: day(date),
        summary: String::new(),
        key: key.into(),
        is_open,
        target: Target::Record,
        episode_ids: vec![],
        plan_ids: vec![],
    }
}

#[test]
fn since_i_last_looked_table() {
    let today = day("2026-11-22");
    let events = || {
        vec![
            ev(1, "old", "2026-10-01", false),
            ev(1, "open", "2026-10-01", true),
            ev(1, "overnight", "2026-11-21", false),
            ev(2, "followed-old", "2026-11-10", false),
        ]
    };
    let seen = |keys: &[(i64, &str, i64)]| keys.iter().map(|(p, k, b)| ((*p, (*k).to_owned()), *b)).collect();
    type Case<'a> = (&'a str, LookState, Vec<(&'a str, bool)>);
    let cases: Vec<Case> = vec![
        (
            "first look: open and overnight",
            LookState::default(),
            vec![("open", false), ("overnight", false)],
        ),
        (
            "followed on the 11th, never looked: from the day before the follow",
            LookState {
                followed_on: [(2, day("2026-11-11"))].into(),
                ..Default::default()
            },
            vec![("open", false), ("overnight", false), ("followed-old", false)],
        ),
        (
            "everything seen in the last look: it comes back seen",
            LookState {
                last_look: Some(today),
                last_batch: Some(3),
                seen: seen(&[(1, "open", 3), (1, "overnight", 3)]),
                ..Default::default()
            },
            vec![("open", true), ("overnight", true)],
        ),
        (
            "something new: only the new",
            LookState {
                last_look: Some(day("2026-11-20")),
                last_batch: Some(3),
                seen: seen(&[(1, "open", 3)]),
                ..Default::default()
            },
            vec![("overnight", false)],
        ),
        (
            "seen per user: another batch's items do not come back",
            LookState {
                last_look: Some(today),
                last_batch: Some(4),
                seen: seen(&[(1, "open", 3), (1, "overnight", 4)]),
                ..Default::default()
            },
            vec![("overnight", true)],
        ),
    ];
    for (label, state, expected) in cases {
        let got: Vec<(String, bool)> = select(events(), &state, today)
            .into_iter()
            .map(|s| (s.event.key, s.seen))
            .collect();
        let mut expected: Vec<(String, bool)> = expected.into_iter().map(|(k, s)| (k.to_owned(), s)).collect();
        let mut got_sorted = got.clone();
        got_sorted.sort();
        expected.sort();
        assert_eq!(got_sorted, expected, "{label}");
    }
}

#[test]
fn tasks_due_and_overdue() {
    let task = |id: i64, due: Option<&str>, status: TaskStatus| Task {
        id,
        person_id: 1,
        title: "Ring the home care provider".into(),
        owner: tasks::Owner::User("sian".into()),
        due: due.map(day),
        priority: Priority::Normal,
        status,
        notes: String::new(),
        event_key: None,
        event_items: None,
        created_by: "sian".into(),
        updated_at: parse_date_time("2026-11-20T09:00").expect("test date"),
        version: 1,
    };
    let tasks = vec![
        task(1, Some("2026-11-22"), TaskStatus::Open),
        task(2, Some("2026-11-20"), TaskStatus::InProgress),
        task(3, Some("2026-11-20"), TaskStatus::Done),
        task(4, Some("2026-11-23"), TaskStatus::Open),
        task(5, None, TaskStatus::Open),
    ];
    let got: Vec<(String, String)> = task_events(&tasks, day("2026-11-22"))
        .into_iter()
        .map(|e| (e.urgency().code().to_owned(), e.key))
        .map(|(u, k)| (k, u))
        .collect();
    assert_eq!(
        got,
        vec![
            ("task_due:1:2026-11-22".to_owned(), "routine".to_owned()),
            ("task_overdue:2:2026-11-20".to_owned(), "urgent".to_owned()),
        ]
    );
    for (text, ok) in [
        ("open", true),
        ("in-progress", true),
        ("DONE", true),
        ("finished", false),
    ] {
        assert_eq!(TaskStatus::parse(text).is_ok(), ok, "{text}");
    }
}

#[test]
fn restricted_events_are_placeholders_until_a_reason() {
    use crate::domain::disclosure::{RESTRICTED_EVENT, disclose_worklist_events};
    let mut r = record();
    r.episodes = vec![
        with_id(episode(EpisodeKind::SafeguardingEnquiry, "2026-11-21", None), 8),
        with_id(episode(EpisodeKind::AeAttendance, "2026-11-21", None), 4),
    ];
    let today = day("2026-11-22");
    let real = detect(&r, today);
    // (label, person restricted, reason given, kinds shown in the order detected)
    let cases = [
        (
            "an enquiry is held back",
            false,
            false,
            vec!["restricted", "ae_attendance"],
        ),
        (
            "with a reason, shown",
            false,
            true,
            vec!["safeguarding_enquiry", "ae_attendance"],
        ),
        (
            "a restricted person: every event",
            true,
            false,
            vec!["restricted", "restricted"],
        ),
    ];
    let mut real_order: Vec<String> = real.iter().map(|e| e.kind.code()).collect();
    real_order.sort();
    assert_eq!(real_order, vec!["ae_attendance", "safeguarding_enquiry"]);
    for (label, restricted, revealed, expected) in cases {
        let mut r = r.clone();
        r.person.is_restricted = restricted;
        let mut events = detect(&r, today);
        events.sort_by_key(|e| e.kind != EventKind::SafeguardingEnquiry);
        let shown = disclose_worklist_events(&r, events, revealed, &|k| {
            format!(
                "{:x}",
                k.bytes()
                    .fold(7u64, |h, b| h.wrapping_mul(31).wrapping_add(u64::from(b)))
            )
        });
        let kinds: Vec<String> = shown.iter().map(|e| e.kind.code()).collect();
        assert_eq!(kinds, expected, "{label}");
        for e in shown.iter().filter(|e| e.kind == EventKind::Restricted) {
            assert_eq!(e.summary, RESTRICTED_EVENT, "{label}");
            assert!(!e.key.contains("safeguarding"), "{label}: {}", e.key);
            assert_eq!(e.urgency(), Urgency::Urgent, "{label}: every restricted event alike");
        }
    }
}

/// An event about an item the record does not hold (a detector pointing at a kind
/// that was not read) is held back, never shown (fail closed); with a reason it is.
#[test]
fn an_event_about_an_item_not_read_is_held_back() {
    use crate::domain::disclosure::{RESTRICTED_EVENT, disclose_worklist_events};
    let mut r = record();
    r.episodes = vec![with_id(episode(EpisodeKind::AeAttendance, "2026-11-21", None), 4)];
    let mut events = detect(&r, day("2026-11-22"));
    assert_eq!(events.len(), 1);
    events[0].episode_ids = vec![99];
    let shown = disclose_worklist_events(&r, events.clone(), false, &|k| {
        format!(
            "{:x}",
            k.bytes()
                .fold(7u64, |h, b| h.wrapping_mul(31).wrapping_add(u64::from(b)))
        )
    });
    assert_eq!(shown[0].kind, EventKind::Restricted);
    assert_eq!(shown[0].summary, RESTRICTED_EVENT);
    assert_eq!(
        disclose_worklist_events(&r, events, true, &|k| format!(
            "{:x}",
            k.bytes()
                .fold(7u64, |h, b| h.wrapping_mul(31).wrapping_add(u64::from(b)))
        ))[0]
            .kind,
        EventKind::AeAttendance
    );
}

/// A restricted event's masked key is the same whatever other hidden events come
/// (hostile review: an ordinal shifted when an earlier one arrived, so an
/// acknowledgement could land on another event), and two events' keys differ.
#[test]
fn a_masked_key_stays_when_another_hidden_event_arrives() {
    use crate::domain::Sensitivity;
    use crate::domain::disclosure::disclose_worklist_events;
    let tag = |k: &str| {
        format!(
            "{:x}",
            k.bytes()
                .fold(7u64, |h, b| h.wrapping_mul(31).wrapping_add(u64::from(b)))
        )
    };
    let mut later = with_id(episode(EpisodeKind::AeAttendance, "2026-11-21", None), 5);
    later.sensitivity = Sensitivity::SexualHealth;
    let mut earlier = with_id(episode(EpisodeKind::AeAttendance, "2026-11-20", None), 4);
    earlier.sensitivity = Sensitivity::SexualHealth;
    let mut r = record();
    r.episodes = vec![later.clone()];
    let alone = disclose_worklist_events(&r, detect(&r, day("2026-11-22")), false, &tag);
    r.episodes = vec![earlier, later];
    let both = disclose_worklist_events(&r, detect(&r, day("2026-11-22")), false, &tag);
    assert_eq!(alone.len(), 1);
    assert_eq!(both.len(), 2);
    assert!(both.iter().all(|e| e.kind == EventKind::Restricted));
    assert!(both.iter().any(|e| e.key == alone[0].key), "{alone:?} {both:?}");
    assert_ne!(both[0].key, both[1].key);
}
