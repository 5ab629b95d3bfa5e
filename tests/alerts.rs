//! Alerts (issue 16 item 4) on both engines: a user's rules round trip (added,
//! listed, removed, each audited; another user's rule is neither listed nor
//! removable), and a change that brings a matching worklist event is told once,
//! naming the right person, while a restricted event is told only as restricted.
//! PostgreSQL cases skip without a server, unless `JOINEDUP_TEST_POSTGRES=1`.

mod common;

use chrono::{NaiveDate, NaiveDateTime};
use joinedup::domain::NhsNumber;
use joinedup::domain::disclosure::RESTRICTED_EVENT;
use joinedup::domain::worklist::alerts::{AlertPeople, parse_kinds};
use joinedup::domain::worklist::tasks::Owner;
use joinedup::domain::worklist::{EventKind, Priority};
use joinedup::service::{NewTask, Service, ServiceError};
use joinedup::store::{Changed, Coordinator};

const MARGARET: &str = "9990000018";
const LISA: &str = "9990000093";

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
}

fn at(hh: u32, mm: u32) -> NaiveDateTime {
    today().and_hms_opt(hh, mm, 0).unwrap()
}

fn coordinator(s: &mut Service, user: &str, worker: &str) {
    let who = Coordinator {
        user_name: user.into(),
        worker_name: worker.into(),
        team: Some("Westmere hospital team".into()),
    };
    s.set_coordinator(&who, at(7, 30)).unwrap();
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

fn changed(people: &[i64]) -> Changed {
    Changed {
        people: people.iter().copied().collect(),
        anyone: false,
    }
}

on_both_engines! {
    fn rules_round_trip_per_user_each_change_audited(place) {
        let mut place = place;
        let mut ann = place.client("ann");
        let mut bob = place.client("bob");
        let kinds = parse_kinds("admitted,discharged").unwrap();
        let rule = ann.add_alert_rule(kinds.clone(), AlertPeople::Team, at(8, 0)).unwrap();
        assert_eq!((rule.user.as_str(), rule.people), ("ann", AlertPeople::Team));
        let other = bob.add_alert_rule(parse_kinds("all").unwrap(), AlertPeople::Caseload, at(8, 1)).unwrap();
        let anns = ann.alert_rules().unwrap();
        assert_eq!(anns.len(), 1, "{anns:?}");
        assert_eq!((anns[0].id, &anns[0].kinds, anns[0].people), (rule.id, &kinds, AlertPeople::Team));
        // Bob's rule is his: Ann can neither see nor remove it.
        let refused = ann.remove_alert_rule(other.id, at(8, 2));
        assert!(matches!(refused, Err(ServiceError::Refused(_))), "{refused:?}");
        assert_eq!(bob.alert_rules().unwrap().len(), 1);
        ann.remove_alert_rule(rule.id, at(8, 3)).unwrap();
        assert!(ann.alert_rules().unwrap().is_empty());
        assert_eq!(count(&ann, "SELECT count(*) FROM audit_event WHERE action = 'alert_rule_added'"), 2);
        assert_eq!(count(&ann, "SELECT count(*) FROM audit_event WHERE action = 'alert_rule_removed'"), 1);
    }
}

on_both_engines! {
    fn a_matching_new_event_is_told_once_naming_its_person(place) {
        let mut place = place;
        let mut ann = place.client("ann");
        ann.seed_training(today(), at(7, 0)).unwrap();
        coordinator(&mut ann, "ann", "Sian Roberts (Westmere Council)");
        let mut bob = place.client("bob");
        coordinator(&mut bob, "bob", "Tom Asante (Westmere Council)");
        let margaret = person(&mut ann, MARGARET);
        // Every kind: what was on her record when she opened the worklist, listed or
        // not (an old A&E attendance), is not news.
        ann.add_alert_rule(parse_kinds("all").unwrap(), AlertPeople::Caseload, at(8, 0)).unwrap();
        // What is on her worklist when she opens it is not news.
        let screen = ann.worklist_screen(today(), at(8, 1)).unwrap();
        assert!(screen.list.caseload > 0);
        let quiet = ann.check_alerts(&changed(&[margaret]), today(), at(9, 0)).unwrap();
        assert!(quiet.alerts.is_empty(), "{quiet:?}");
        // Bob gives Ann a task for Margaret due today: a new "task due" event.
        bob.add_task(
            NewTask {
                person_id: margaret,
                title: "Phone the daughter about the care home visit".into(),
                owner: Some(Owner::User("ann".into())),
                due: Some(today()),
                priority: Priority::High,
                notes: String::new(),
                event_key: None,
            },
            today(),
            at(8, 5),
        )
        .unwrap();
        let told = ann.check_alerts(&changed(&[margaret]), today(), at(9, 0)).unwrap();
        assert_eq!(told.alerts.len(), 1, "{told:?}");
        let a = &told.alerts[0];
        assert_eq!((a.person_id, a.kind), (margaret, EventKind::TaskDue));
        assert_eq!(a.nhs_number.map(|n| n.digits()), Some(MARGARET.to_owned()));
        assert!(a.summary.contains("Phone the daughter"), "{a:?}");
        // Told once.
        assert!(ann.check_alerts(&changed(&[margaret]), today(), at(9, 0)).unwrap().alerts.is_empty());
        // A rule for other kinds is not told of it; nor is a user without rules.
        let mut carol = place.client("carol");
        carol.add_alert_rule(parse_kinds("admitted").unwrap(), AlertPeople::All, at(8, 6)).unwrap();
        let none = carol.check_alerts(&changed(&[margaret]), today(), at(9, 0)).unwrap();
        assert!(none.alerts.iter().all(|a| a.kind == EventKind::Admitted), "{none:?}");
        // A rule for all people, of every kind: Margaret is not on Carol's caseload, so
        // being told of her is audited against her (hostile review).
        let mut erin = place.client("erin");
        erin.add_alert_rule(parse_kinds("all").unwrap(), AlertPeople::All, at(8, 7)).unwrap();
        let told = erin.check_alerts(&changed(&[margaret]), today(), at(9, 1)).unwrap();
        assert!(told.alerts.iter().any(|a| a.person_id == margaret), "{told:?}");
        let audited: i64 = erin
            .store()
            .connection()
            .query_row(
                "SELECT count(*) FROM audit_event WHERE action = 'search' AND person_id = ?1
                   AND detail LIKE 'told of % by an alert rule for all people'",
                [margaret],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(audited, 1);
        let mut dan = place.client("dan");
        assert!(dan.check_alerts(&changed(&[margaret]), today(), at(9, 0)).unwrap().alerts.is_empty());
    }
}

on_both_engines! {
    fn a_restricted_event_is_told_only_as_restricted(place) {
        let mut place = place;
        let mut ann = place.client("ann");
        ann.seed_training(today(), at(7, 0)).unwrap();
        let lisa = person(&mut ann, LISA);
        // Everyone, every kind: Lisa's record is restricted, so what is told of her
        // events says only that there is a restricted event.
        ann.add_alert_rule(parse_kinds("all").unwrap(), AlertPeople::All, at(8, 0)).unwrap();
        let enquiry_day = NaiveDate::from_ymd_opt(2026, 9, 6).unwrap();
        let told = ann.check_alerts(&changed(&[lisa]), enquiry_day, at(9, 0)).unwrap();
        let lisas: Vec<_> = told.alerts.iter().filter(|a| a.person_id == lisa).collect();
        assert!(!lisas.is_empty(), "{told:?}");
        for a in lisas {
            assert_eq!((a.kind, a.summary.as_str()), (EventKind::Restricted, RESTRICTED_EVENT));
        }
        // A rule for the real kind is never told of the held-back enquiry.
        let mut bob = place.client("bob");
        bob.add_alert_rule(parse_kinds("safeguarding_enquiry").unwrap(), AlertPeople::All, at(8, 1)).unwrap();
        assert!(bob.check_alerts(&changed(&[lisa]), enquiry_day, at(9, 0)).unwrap().alerts.is_empty());
    }
}
