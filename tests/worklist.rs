//! A coordinator's day (issue 16) on both engines: caseloads from the allocated
//! worker and follows, the worklist's seen state per user ("since I last looked"),
//! acknowledgements shared in a team and kept in the record's history, tasks round
//! trip (every change audited, a stale edit refused, a done task never hiding its
//! event), and restricted events as placeholders until a reason is given.
//! PostgreSQL cases skip without a server, unless `JOINEDUP_TEST_POSTGRES=1`.

mod common;

use chrono::{Duration, NaiveDate, NaiveDateTime};
use common::places::Place;
use joinedup::domain::NhsNumber;
use joinedup::domain::disclosure::RESTRICTED_EVENT;
use joinedup::domain::governance::Reason;
use joinedup::domain::worklist::tasks::Owner;
use joinedup::domain::worklist::{EventKind, Priority, TaskStatus};
use joinedup::service::{NewTask, Service, ServiceError, TaskEdit};
use joinedup::store::{Coordinator, StoreError};

const MARGARET: &str = "9990000018";
/// Tom Asante's (Bob's), not Ann's.
const HAROLD: &str = "9990000026";
const LISA: &str = "9990000093";

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
}

fn at(hh: u32, mm: u32) -> NaiveDateTime {
    today().and_hms_opt(hh, mm, 0).unwrap()
}

/// Ann (Sian Roberts) and Bob (Tom Asante), one team, on the training people.
fn team(mut place: Place) -> (Place, Service, Service) {
    let mut ann = place.client("ann");
    ann.seed_training(today(), at(7, 0)).unwrap();
    let mut bob = place.client("bob");
    for (s, user, worker) in [
        (&mut ann, "ann", "Sian Roberts (Westmere Council)"),
        (&mut bob, "bob", "Tom Asante (Westmere Council)"),
    ] {
        let who = Coordinator {
            user_name: user.into(),
            worker_name: worker.into(),
            team: Some("Westmere hospital team".into()),
        };
        s.set_coordinator(&who, at(7, 30)).unwrap();
    }
    (place, ann, bob)
}

fn person(s: &mut Service, nhs: &str) -> i64 {
    s.find_by_nhs(NhsNumber::parse(nhs).unwrap(), at(8, 0))
        .unwrap()
        .unwrap()
        .id
}

fn count(s: &Service, sql: &str) -> i64 {
    s.store().connection().query_row(sql, [], |r| r.get(0)).unwrap()
}

on_both_engines! {
    fn seen_state_is_per_user_and_the_next_day_shows_only_what_is_new(place) {
        let (_place, mut ann, mut bob) = team(place);
        let margaret = person(&mut ann, MARGARET);
        let first = ann.worklist(None, today(), at(8, 1)).unwrap();
        assert_eq!(first.user, "ann");
        assert!(first.items.iter().any(|i| i.person_id == margaret), "{first:?}");
        assert!(first.items.iter().all(|i| !i.seen));
        let marked = ann.mark_worklist_seen(today(), at(8, 2), None).unwrap();
        assert_eq!(marked.items, first.items);
        let again = ann.worklist(None, today(), at(8, 3)).unwrap();
        assert_eq!(again.items.len(), first.items.len());
        assert!(again.items.iter().all(|i| i.seen), "after a look, the same items come back seen");
        // Bob's seen state is his own.
        let bobs = bob.worklist(None, today(), at(8, 4)).unwrap();
        assert!(!bobs.items.is_empty() && bobs.items.iter().all(|i| !i.seen));
        assert!(bobs.items.iter().all(|i| i.person_id != margaret), "Margaret is Sian's, not Tom's");
        // A week later, only events not seen before are listed.
        let later = ann.worklist(None, today() + Duration::days(7), at(8, 5)).unwrap();
        let seen_keys: Vec<_> = first.items.iter().map(|i| (i.person_id, i.key.clone())).collect();
        assert!(
            later.items.iter().all(|i| i.seen || !seen_keys.contains(&(i.person_id, i.key.clone()))),
            "{later:?}"
        );
        assert_eq!(count(&ann, "SELECT count(*) FROM audit_event WHERE action = 'worklist_seen'"), 1);
        assert!(count(&ann, "SELECT count(*) FROM audit_event WHERE action = 'worklist'") >= 4);
    }
}

on_both_engines! {
    fn a_follow_adds_everything_still_open_and_an_unfollow_takes_it_away(place) {
        let (_place, mut ann, _bob) = team(place);
        let harold = person(&mut ann, HAROLD);
        ann.mark_worklist_seen(today(), at(8, 0), None).unwrap();
        assert!(ann.worklist(None, today(), at(8, 1)).unwrap().items.iter().all(|i| i.person_id != harold));
        assert!(ann.follow(harold, None, at(9, 0)).unwrap());
        assert!(!ann.follow(harold, None, at(9, 1)).unwrap(), "a second follow changes nothing");
        assert!(ann.is_following(harold).unwrap());
        let list = ann.worklist(None, today(), at(9, 2)).unwrap();
        let harolds: Vec<_> = list.items.iter().filter(|i| i.person_id == harold).collect();
        assert!(!harolds.is_empty(), "a new follow brings the person's open events: {list:?}");
        assert!(harolds.iter().all(|i| !i.seen));
        assert!(ann.unfollow(harold, None, at(9, 3)).unwrap());
        let list = ann.worklist(None, today(), at(9, 4)).unwrap();
        assert!(list.items.iter().all(|i| i.person_id != harold));
        assert_eq!(count(&ann, "SELECT count(*) FROM audit_event WHERE action IN ('follow', 'unfollow') AND actor <> 'training seed'"), 2);
    }
}

on_both_engines! {
    fn tasks_round_trip_shared_in_the_team_and_a_done_task_never_hides_its_event(place) {
        let (_place, mut ann, mut bob) = team(place);
        let margaret = person(&mut ann, MARGARET);
        let list = ann.worklist(None, today(), at(8, 1)).unwrap();
        let event = list.items.iter().find(|i| i.person_id == margaret && i.kind != EventKind::Restricted).unwrap().clone();
        let task = ann
            .add_task(
                NewTask {
                    person_id: margaret,
                    title: "Ring the home care provider about restarting".into(),
                    owner: Some(Owner::Team("Westmere hospital team".into())),
                    due: Some(today()),
                    priority: Priority::High,
                    notes: String::new(),
                    event_key: Some(event.key.clone()),
                },
                today(),
                at(8, 10),
            )
            .unwrap();
        assert_eq!((task.status, task.version), (TaskStatus::Open, 1));
        let list = ann.worklist(None, today(), at(8, 11)).unwrap();
        let shown = list.items.iter().find(|i| i.key == event.key).unwrap();
        assert_eq!(shown.task.as_ref().map(|t| t.id), Some(task.id));
        assert!(list.items.iter().any(|i| i.kind == EventKind::TaskDue && i.person_id == margaret));
        // Bob, in the team, sees the team's task and finishes it.
        let bobs = bob.list_tasks(None, None, false, today(), at(8, 20)).unwrap();
        assert!(bobs.iter().any(|l| l.task.id == task.id), "{bobs:?}");
        let done = bob
            .update_task(task.id, TaskEdit { status: Some(TaskStatus::Done), version: Some(1), ..Default::default() }, at(8, 21))
            .unwrap();
        assert_eq!((done.status, done.version), (TaskStatus::Done, 2));
        // Ann's edit on version 1 is refused, not silently over Bob's.
        let stale = ann
            .update_task(task.id, TaskEdit { notes: Some("left a message".into()), version: Some(1), ..Default::default() }, at(8, 22))
            .unwrap_err();
        assert!(matches!(stale, ServiceError::Store(StoreError::Stale(_))), "{stale:?}");
        // The event stays while the facts show it, with its task marked done.
        let list = ann.worklist(None, today(), at(8, 23)).unwrap();
        let shown = list.items.iter().find(|i| i.key == event.key).unwrap();
        assert_eq!(shown.task.as_ref().map(|t| t.status), Some(TaskStatus::Done));
        assert!(!list.items.iter().any(|i| i.kind == EventKind::TaskDue && i.task.as_ref().map(|t| t.id) == Some(task.id)));
        let mine = ann.list_tasks(Some(margaret), None, true, today(), at(8, 24)).unwrap();
        let ours: Vec<_> = mine.iter().filter(|l| l.task.id == task.id).map(|l| l.task.status).collect();
        assert_eq!(ours, vec![TaskStatus::Done]);
        assert_eq!(count(&ann, "SELECT count(*) FROM audit_event WHERE action = 'task_created' AND actor <> 'training seed'"), 1);
        assert_eq!(count(&ann, "SELECT count(*) FROM audit_event WHERE action = 'task_changed'"), 1);
        let refused = ann.add_task(
            NewTask { person_id: margaret, title: "  ".into(), owner: None, due: None, priority: Priority::Normal, notes: String::new(), event_key: None },
            today(),
            at(8, 25),
        );
        assert!(matches!(refused, Err(ServiceError::Refused(_))));
    }
}

on_both_engines! {
    fn an_acknowledgement_is_shared_in_the_team_and_kept_in_the_history(place) {
        let (_place, mut ann, mut bob) = team(place);
        let margaret = person(&mut ann, MARGARET);
        let list = ann.worklist(None, today(), at(8, 1)).unwrap();
        let event = list.items.iter().find(|i| i.person_id == margaret).unwrap().clone();
        ann.acknowledge_event(margaret, &event.key, today(), at(8, 2)).unwrap();
        let history = ann.store().audit_for_person(margaret, 50).unwrap();
        assert!(history.iter().any(|e| e.action == "worklist_acknowledged" && e.actor.starts_with("ann")));
        // Bob follows Margaret and has looked at everything: the acknowledgement is his team's.
        bob.follow(margaret, None, at(8, 3)).unwrap();
        bob.mark_worklist_seen(today(), at(8, 4), None).unwrap();
        let bobs = bob.worklist(None, today(), at(8, 5)).unwrap();
        let same = bobs.items.iter().find(|i| i.key == event.key).unwrap();
        assert!(same.acknowledged, "{same:?}");
        let refused = ann.acknowledge_event(margaret, "no_such_event:1", today(), at(8, 6));
        assert!(matches!(refused, Err(ServiceError::Refused(_))));
    }
}

on_both_engines! {
    fn restricted_events_are_placeholders_until_a_reason_is_given(place) {
        let (mut place, mut ann, _bob) = team(place);
        let lisa = person(&mut ann, LISA);
        let mut carol = place.client("carol");
        let who = Coordinator { user_name: "carol".into(), worker_name: "Daniel Cole (Westmere Council)".into(), team: None };
        carol.set_coordinator(&who, at(8, 0)).unwrap();
        // The day her safeguarding enquiry opened (the fixtures' 14 April, shifted to today's story).
        let enquiry_day = NaiveDate::from_ymd_opt(2026, 9, 6).unwrap();
        let list = carol.worklist(None, enquiry_day, at(8, 1)).unwrap();
        let lisas: Vec<_> = list.items.iter().filter(|i| i.person_id == lisa).collect();
        assert!(!lisas.is_empty(), "{list:?}");
        for i in &lisas {
            assert_eq!((i.kind, i.summary.as_str()), (EventKind::Restricted, RESTRICTED_EVENT));
            assert!(i.key.starts_with("restricted:"));
        }
        let json = list.to_json().to_string();
        assert!(!json.to_lowercase().contains("safeguarding"), "{json}");
        carol.reveal(lisa, &Reason::parse("Direct care: safeguarding concern raised today").unwrap(), today(), at(8, 2)).unwrap();
        let list = carol.worklist(None, enquiry_day, at(8, 3)).unwrap();
        let kinds: Vec<_> = list.items.iter().filter(|i| i.person_id == lisa).map(|i| i.kind).collect();
        assert!(kinds.contains(&EventKind::SafeguardingEnquiry), "{kinds:?}");
        assert!(!kinds.contains(&EventKind::Restricted), "{kinds:?}");
    }
}

on_both_engines! {
    fn the_records_tasks_lane_holds_back_a_restricted_persons_task_titles(place) {
        let (_place, mut ann, _bob) = team(place);
        let lisa = person(&mut ann, LISA);
        let margaret = person(&mut ann, MARGARET);
        for (person_id, title) in [(lisa, "Strategy meeting about the enquiry"), (margaret, "Ring the home care provider")] {
            let task = NewTask {
                person_id,
                title: title.into(),
                owner: None,
                due: Some(today()),
                priority: Priority::Normal,
                notes: "notes that name the problem".into(),
                event_key: None,
            };
            ann.add_task(task, today(), at(8, 0)).unwrap();
        }
        // Margaret's record is not restricted: her tasks read as written.
        let open = ann.open_record(margaret, today(), at(8, 1)).unwrap();
        assert!(open.tasks.iter().any(|t| t.task.title == "Ring the home care provider" && !t.is_restricted));
        // Lisa's is: the lane shows that a task is due, by whom, not what it is about.
        let open = ann.open_record(lisa, today(), at(8, 2)).unwrap();
        let lane: Vec<_> = open.tasks.iter().filter(|t| t.task.due == Some(today())).collect();
        assert!(!lane.is_empty());
        for t in &lane {
            assert_eq!(t.task.title, joinedup::domain::disclosure::RESTRICTED_TASK);
            assert!(t.task.notes.is_empty() && t.is_restricted, "{t:?}");
        }
        let reason = Reason::parse("Direct care: planning the strategy meeting").unwrap();
        let shown = ann.reveal(lisa, &reason, today(), at(8, 3)).unwrap();
        assert!(shown.tasks.iter().any(|t| t.task.title == "Strategy meeting about the enquiry"));
    }
}

/// What the worklist reads of a record (`Store::person_facts` with
/// `worklist::DETECTED_KINDS`) against the whole record: the same person, stays,
/// CHC facts and plans, the items of the detected kinds, and on each of several
/// days the same events, shown the same way.
fn check_facts_against_records(store: &joinedup::store::Store, people: &[i64], days: &[NaiveDate]) {
    use joinedup::domain::worklist::DETECTED_KINDS;
    for &id in people {
        let full = store.person_record(id).unwrap();
        for &day in days {
            let facts = store.person_facts(id, &DETECTED_KINDS, day).unwrap();
            check_facts(&facts, &full, day);
        }
    }
}

fn check_facts(facts: &joinedup::domain::PersonRecord, full: &joinedup::domain::PersonRecord, day: NaiveDate) {
    use joinedup::domain::discharge::is_current;
    use joinedup::domain::disclosure::disclose_worklist_events;
    use joinedup::domain::worklist::{DETECTED_KINDS, detect};
    let id = full.person.id;
    assert_eq!(facts.person, full.person);
    // The stays are read whole when one is current that day, else not at all.
    if facts.spells.is_empty() {
        assert!(full.spells.iter().all(|s| !is_current(s, day)), "person {id} on {day}");
    } else {
        assert_eq!(facts.spells, full.spells, "person {id} on {day}");
    }
    assert_eq!(facts.chc, full.chc, "person {id}");
    assert_eq!(facts.care_plans, full.care_plans, "person {id}");
    let items = |r: &joinedup::domain::PersonRecord| {
        r.episodes
            .iter()
            .filter(|e| DETECTED_KINDS.contains(&e.kind))
            .map(|e| (e.id, e.kind, e.start, e.end, e.status, e.attributes.clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(items(facts), items(full), "person {id}");
    assert_eq!(
        facts.episodes.len(),
        items(facts).len(),
        "person {id}: only detected kinds"
    );
    let (on_facts, on_full) = (detect(facts, day), detect(full, day));
    assert_eq!(on_facts, on_full, "person {id} on {day}");
    for revealed in [false, true] {
        assert_eq!(
            disclose_worklist_events(facts, on_facts.clone(), revealed, &|k| format!(
                "{:x}",
                k.bytes()
                    .fold(7u64, |h, b| h.wrapping_mul(31).wrapping_add(u64::from(b)))
            )),
            disclose_worklist_events(full, on_full.clone(), revealed, &|k| format!(
                "{:x}",
                k.bytes()
                    .fold(7u64, |h, b| h.wrapping_mul(31).wrapping_add(u64::from(b)))
            )),
            "person {id} on {day}"
        );
    }
}

fn days_around(day: NaiveDate) -> Vec<NaiveDate> {
    [-400, -60, -21, -7, -2, 0, 1, 3, 14, 30, 120]
        .into_iter()
        .map(|d| day + Duration::days(d))
        .collect()
}

on_both_engines! {
    fn the_worklists_facts_are_the_records_detected_kinds_without_provenance_files(place) {
        let (_place, ann, _bob) = team(place);
        let people: Vec<i64> = {
            let conn = ann.store().connection();
            let mut stmt = conn.prepare("SELECT id FROM person ORDER BY id").unwrap();
            stmt.query_map([], |r| r.get(0)).unwrap().map(|r| r.unwrap()).collect()
        };
        assert!(people.len() > 5);
        check_facts_against_records(ann.store(), &people, &days_around(today()));
    }
}

/// The same on a generated population, whose people hold every kind of item the
/// generator makes (GP, outpatient, community and mental health contacts among
/// them): leaving those out changes no event.
#[test]
fn the_worklists_facts_give_the_same_events_on_a_generated_population() {
    use joinedup::generate::{chunk, nhs_numbers};
    let dir = tempfile::tempdir().unwrap();
    let mut store = joinedup::store::Store::open(&dir.path().join("generated.db")).unwrap();
    let numbers = nhs_numbers(11, 1_500).unwrap();
    store.apply_import(&chunk(11, today(), 0, &numbers), at(6, 0)).unwrap();
    let people: Vec<i64> = {
        let mut stmt = store.connection().prepare("SELECT id FROM person ORDER BY id").unwrap();
        stmt.query_map([], |r| r.get(0)).unwrap().map(|r| r.unwrap()).collect()
    };
    assert!(people.len() >= 1_500, "{} people", people.len());
    let left_out: i64 = store
        .connection()
        .query_row(
            "SELECT count(*) FROM episode WHERE kind IN ('gp_encounter', 'outpatient', 'community_contact')",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(
        left_out > 1_000,
        "the population has items detection does not read: {left_out}"
    );
    // Both ways of reading stays are taken: people in hospital today, and people
    // whose stays are all over.
    let (mut in_hospital, mut stays_over) = (0, 0);
    for &id in &people {
        let spells = store.person_record(id).unwrap().spells;
        if spells
            .iter()
            .any(|s| joinedup::domain::discharge::is_current(s, today()))
        {
            in_hospital += 1;
        } else if !spells.is_empty() {
            stays_over += 1;
        }
    }
    assert!(
        in_hospital > 0 && stays_over > 0,
        "{in_hospital} in hospital, {stays_over} with stays over"
    );
    check_facts_against_records(&store, &people, &days_around(today()));
}

/// A person who is not restricted, with a safeguarding protection plan whose review
/// is overdue (version 1), then reviewed (version 2): the review-overdue event is gone.
fn guarded_plan(version: u32, last_review: &str, next_review: &str) -> String {
    format!(
        r#"{{"format":"joinedup-bundle","version":1,"people":[{{"nhs_number":"9990001022","source":"Westmere Council Adult Social Care",
        "given_name":"Rose","family_name":"Guarded","allocated_worker":"Sian Roberts (Westmere Council)",
        "care_plans":[{{"ref":"PP-1","kind":"care_and_support","sector":"social_care",
          "title":"Safeguarding protection plan: domestic abuse by son","owner":"Westmere Council","status":"active",
          "version":{version},"start":"2026-01-01","last_review":"{last_review}","next_review":"{next_review}",
          "sensitivity":"safeguarding"}}]}}]}}"#
    )
}

on_both_engines! {
    fn a_task_made_from_a_restricted_event_stays_held_back_once_the_event_is_gone(place) {
        // Hostile review: the task's title and notes showed once the review was done.
        let (_place, mut ann, _bob) = team(place);
        let import = |s: &mut Service, text: String, t: NaiveDateTime| {
            s.import_bytes("plan.json", text.as_bytes(), false, t, &mut |_| true).unwrap();
        };
        import(&mut ann, guarded_plan(1, "2026-05-01", "2026-11-20"), at(8, 0));
        let rose = person(&mut ann, "9990001022");
        let list = ann.worklist(None, today(), at(8, 1)).unwrap();
        let event = list.items.iter().find(|i| i.person_id == rose).expect("the review overdue, masked").clone();
        assert_eq!(event.kind, EventKind::Restricted);
        let task = NewTask {
            person_id: rose,
            title: "Check son has moved out - DA safeguarding plan review".into(),
            owner: None,
            due: Some(today()),
            priority: Priority::High,
            notes: "son seen at the address".into(),
            event_key: Some(event.key.clone()),
        };
        let made = ann.add_task(task, today(), at(8, 2)).unwrap();
        let held_back = |s: &mut Service, t: NaiveDateTime| {
            let lines = s.list_tasks(Some(rose), None, true, today(), t).unwrap();
            assert_eq!(lines.len(), 1);
            let json = serde_json::to_string(&lines[0].task).unwrap();
            (lines[0].task.title.clone(), json)
        };
        let (title, _) = held_back(&mut ann, at(8, 3));
        assert_eq!(title, joinedup::domain::disclosure::RESTRICTED_TASK);
        // The plan reviewed: no event any more; the task still says nothing of it.
        import(&mut ann, guarded_plan(2, "2026-11-21", "2027-06-01"), at(9, 0));
        let list = ann.worklist(None, today(), at(9, 1)).unwrap();
        assert!(list.items.iter().all(|i| i.kind != EventKind::ReviewOverdue || i.person_id != rose));
        let (title, json) = held_back(&mut ann, at(9, 2));
        assert_eq!(title, joinedup::domain::disclosure::RESTRICTED_TASK, "{json}");
        assert!(!json.contains("moved out") && !json.contains("seen at the address"), "{json}");
        let text = list.to_json().to_string();
        assert!(!text.contains("DA safeguarding"), "{text}");
        // Not changed blind: a held-back task is changed only once a reason is given.
        let done = TaskEdit { status: Some(TaskStatus::Done), version: Some(1), ..Default::default() };
        let refused = ann.update_task(made.id, done.clone(), at(9, 3));
        assert!(matches!(refused, Err(ServiceError::Refused(_))), "{refused:?}");
        let reason = Reason::parse("Direct care: reviewing the protection plan").unwrap();
        ann.reveal(rose, &reason, today(), at(9, 4)).unwrap();
        assert_eq!(ann.update_task(made.id, done, at(9, 5)).unwrap().status, TaskStatus::Done);
    }
}

on_both_engines! {
    fn a_record_linked_into_another_keeps_its_tasks_and_follows_on_that_person(place) {
        // Hostile review: linking a record into another lost the coordinator's follow
        // and task (the caseload dropped the merged-away record), and a task listed the
        // merged-away record's name.
        let (_place, mut ann, _bob) = team(place);
        let council = r#"{"format":"joinedup-bundle","version":1,"people":[{
            "local_ids":[{"source":"Westmere Council Adult Social Care","id":"ASC-555001"}],
            "source":"Westmere Council Adult Social Care","given_name":"Margaret","family_name":"Okafor",
            "date_of_birth":"1942-02-14","sex":"female","episodes":[]}]}"#;
        ann.import_bytes("council.json", council.as_bytes(), false, at(8, 0), &mut |_| true).unwrap();
        let margaret = person(&mut ann, MARGARET);
        let unmatched: i64 = count(&ann, "SELECT id FROM person WHERE nhs_number IS NULL");
        assert!(ann.follow(unmatched, None, at(8, 1)).unwrap());
        let task = NewTask {
            person_id: unmatched,
            title: "Visit about the day centre request".into(),
            owner: None,
            due: Some(today() - Duration::days(1)),
            priority: Priority::Normal,
            notes: String::new(),
            event_key: None,
        };
        let made = ann.add_task(task, today(), at(8, 2)).unwrap();
        ann.link_person(unmatched, margaret, at(8, 3)).unwrap();
        let list = ann.worklist(None, today(), at(8, 4)).unwrap();
        let overdue = list
            .items
            .iter()
            .find(|i| i.kind == EventKind::TaskOverdue && i.task.as_ref().map(|t| t.id) == Some(made.id))
            .expect("the overdue task stays on the worklist");
        assert_eq!(overdue.person_id, margaret);
        let lines = ann.list_tasks(Some(margaret), None, true, today(), at(8, 5)).unwrap();
        let line = lines.iter().find(|l| l.task.id == made.id).expect("on Margaret's task list");
        assert_eq!(line.nhs_number, NhsNumber::parse(MARGARET).ok());
        // The follow is Margaret's now: shown as followed, and unfollowing ends it.
        assert!(ann.is_following(margaret).unwrap());
        assert!(ann.unfollow(margaret, None, at(8, 6)).unwrap());
        assert!(!ann.is_following(margaret).unwrap());
        assert_eq!(count(&ann, "SELECT count(*) FROM follow WHERE user_name = 'ann'"), 0);
    }
}

on_both_engines! {
    fn mark_all_seen_marks_only_the_events_that_were_on_the_screen(place) {
        // Hostile review: the list was worked out again at the click, so an event
        // that arrived after the screen was drawn was marked seen unseen.
        let (_place, mut ann, _bob) = team(place);
        let list = ann.worklist(None, today(), at(8, 1)).unwrap();
        assert!(list.items.len() >= 2, "{list:?}");
        let on_screen = vec![(list.items[0].person_id, list.items[0].key.clone())];
        ann.mark_worklist_seen(today(), at(8, 2), Some(&on_screen)).unwrap();
        let after = ann.worklist(None, today(), at(8, 3)).unwrap();
        // The one on the screen is seen (or no longer listed as new); every other
        // event of the first look is still new.
        for i in &after.items {
            if i.key == on_screen[0].1 {
                assert!(i.seen, "{i:?}");
            }
        }
        for l in &list.items[1..] {
            let still = after.items.iter().find(|i| i.key == l.key).expect("still listed");
            assert!(!still.seen, "not on the screen, so not marked: {still:?}");
        }
    }
}
