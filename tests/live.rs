//! Two coordinators on one record, on both engines: an edit made on what another
//! has changed since is refused, naming who changed it and when; an open record
//! and board show another user's change within 2 s, without an audit event of
//! their own and never for what was not opened; views are not announced as
//! changes; and a client whose server connection is cut connects again.
//! PostgreSQL cases skip (saying why) without a server, unless
//! `JOINEDUP_TEST_POSTGRES=1`.

use std::time::{Duration, Instant};

use chrono::{NaiveDate, NaiveDateTime};
use joinedup::domain::NhsNumber;
use joinedup::domain::governance::{Actor, Role};
use joinedup::service::{Service, ServiceError};
use joinedup::store::{Changed, ScratchDatabase, SpellChange, Store, StoreError};

const MARGARET: &str = "9990000018";

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
}

fn at(hh: u32, mm: u32) -> NaiveDateTime {
    today().and_hms_opt(hh, mm, 0).unwrap()
}

fn actor(user: &str) -> Actor {
    Actor {
        user: user.into(),
        role: Some(Role::CareCoordinator),
    }
}

/// Where the two clients' database is, kept alive for the test.
enum Place {
    File(tempfile::TempDir),
    Server(ScratchDatabase, Vec<tempfile::TempDir>),
}

impl Place {
    fn sqlite() -> Option<Self> {
        Some(Place::File(tempfile::tempdir().unwrap()))
    }

    fn postgres(label: &str) -> Option<Self> {
        ScratchDatabase::create(label).map(|db| Place::Server(db, Vec::new()))
    }

    /// A client of its own, with its own connection.
    fn client(&mut self, user: &str) -> Service {
        let store = match self {
            Place::File(dir) => Store::open(&dir.path().join("team.db")).unwrap(),
            Place::Server(db, keys) => {
                let dir = tempfile::tempdir().unwrap();
                let store = Store::open_server(db.url(), dir.path()).unwrap();
                keys.push(dir);
                store
            }
        };
        Service::new(store, actor(user), false).unwrap()
    }
}

/// Ann seeds the training people; Ann and Bob each open Margaret's record.
fn two_coordinators(mut place: Place) -> (Place, Service, Service, i64) {
    let mut ann = place.client("ann");
    ann.seed_training(today(), at(8, 0)).unwrap();
    let mut bob = place.client("bob");
    let margaret = ann
        .find_by_nhs(NhsNumber::parse(MARGARET).unwrap(), at(9, 0))
        .unwrap()
        .unwrap()
        .id;
    ann.open_record(margaret, today(), at(9, 0)).unwrap();
    bob.open_record(margaret, today(), at(9, 1)).unwrap();
    (place, ann, bob, margaret)
}

fn count(s: &Service, sql: &str) -> i64 {
    s.store().connection().query_row(sql, [], |r| r.get(0)).unwrap()
}

/// What `s` hears of others' changes within `limit` (polling as the window does).
fn changes_within(s: &mut Service, limit: Duration) -> Option<Changed> {
    let started = Instant::now();
    loop {
        if let Some(c) = s.changes().unwrap() {
            return Some(c);
        }
        if started.elapsed() > limit {
            return None;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

macro_rules! on_both_engines {
    (fn $name:ident($place:ident) $body:block) => {
        mod $name {
            use super::*;

            fn body($place: Place) $body

            #[test]
            fn sqlite() {
                body(Place::sqlite().unwrap())
            }

            #[test]
            fn postgres() {
                if let Some(p) = Place::postgres(stringify!($name)) {
                    body(p)
                }
            }
        }
    };
}

on_both_engines! {
    fn an_edit_on_a_stale_stay_is_refused_naming_who_changed_it(place) {
        let (_place, mut ann, mut bob, margaret) = two_coordinators(place);
        let seen = bob.refresh_record(margaret, today()).unwrap();
        let spell = seen.record.spells.iter().find(|s| s.discharged.is_none()).unwrap().clone();
        // Ann saves first, on the same revision Bob is looking at.
        ann.change_spell(margaret, spell.episode_id, spell.revision.number, &[SpellChange::SetPathway(Some(1))], today(), at(10, 7))
            .unwrap();
        let events = count(&bob, "SELECT count(*) FROM audit_event");
        let refused = bob
            .change_spell(margaret, spell.episode_id, spell.revision.number, &[SpellChange::SetPathway(Some(3))], today(), at(10, 9))
            .unwrap_err();
        assert!(matches!(refused, ServiceError::Store(StoreError::Stale(_))), "{refused:?}");
        assert_eq!(
            refused.to_string(),
            "this hospital stay was changed by ann (Care coordinator, claimed) at 10:07; reload"
        );
        // Nothing of Bob's was kept, not even an audit event.
        assert_eq!(count(&bob, "SELECT count(*) FROM audit_event"), events);
        let now_shown = bob.refresh_record(margaret, today()).unwrap();
        let stored = now_shown.record.spells.iter().find(|s| s.episode_id == spell.episode_id).unwrap();
        assert_eq!(stored.pathway, Some(1));
        assert_eq!(stored.revision.number, spell.revision.number + 1);
        // On the revision now shown, Bob's edit goes in.
        bob.change_spell(margaret, spell.episode_id, stored.revision.number, &[SpellChange::SetPathway(Some(3))], today(), at(10, 10))
            .unwrap();
    }
}

on_both_engines! {
    fn another_users_change_reaches_an_open_record_and_board_within_two_seconds(place) {
        let (_place, mut ann, mut bob, margaret) = two_coordinators(place);
        bob.board(today(), at(9, 2)).unwrap();
        assert_eq!(bob.changes().unwrap(), None, "nothing changed yet");
        let spell = ann.refresh_record(margaret, today()).unwrap().record.spells.iter()
            .find(|s| s.discharged.is_none()).unwrap().clone();
        ann.change_spell(margaret, spell.episode_id, spell.revision.number, &[SpellChange::SetPathway(Some(2))], today(), at(10, 0))
            .unwrap();
        let heard = changes_within(&mut bob, Duration::from_secs(2)).expect("heard within 2 s");
        assert!(heard.touches(margaret) && !heard.anyone, "{heard:?}");
        let events = count(&bob, "SELECT count(*) FROM audit_event");
        let refreshed = bob.refresh_record(margaret, today()).unwrap();
        let shown = refreshed.record.spells.iter().find(|s| s.episode_id == spell.episode_id).unwrap();
        assert_eq!(shown.pathway, Some(2));
        let board = bob.refresh_board(today()).unwrap();
        assert_eq!(board.rows.iter().find(|r| r.episode_id == spell.episode_id).unwrap().pathway, Some(2));
        assert_eq!(count(&bob, "SELECT count(*) FROM audit_event"), events, "a refresh writes no event");
        // Heard once, not again.
        assert_eq!(bob.changes().unwrap(), None);
    }
}

on_both_engines! {
    fn views_are_not_announced_and_an_import_is_announced_to_all(place) {
        let (_place, mut ann, mut bob, margaret) = two_coordinators(place);
        assert_eq!(bob.changes().unwrap(), None);
        ann.board(today(), at(9, 5)).unwrap();
        ann.open_record(margaret, today(), at(9, 6)).unwrap();
        ann.search_people("okafor", None, 10, at(9, 7)).unwrap();
        assert_eq!(changes_within(&mut bob, Duration::from_millis(700)), None, "views change nothing");
        let bundle = br#"{"format": "joinedup-bundle", "version": 1, "people": [{
          "nhs_number": "9990001014", "source": "Test PAS", "given_name": "Ada", "family_name": "Test",
          "episodes": [{"ref": "T-1", "kind": "gp_encounter", "title": "Review", "start": "2026-11-01T09:00"}]}]}"#;
        ann.import_bytes("ada.json", bundle, false, at(9, 8), &mut |_| true).unwrap();
        let heard = changes_within(&mut bob, Duration::from_secs(2)).expect("heard within 2 s");
        assert!(heard.anyone, "an import may touch anyone: {heard:?}");
    }
}

on_both_engines! {
    fn a_refresh_is_only_of_what_was_opened_and_audited(place) {
        let (_place, _ann, mut bob, margaret) = two_coordinators(place);
        let lisa = bob
            .find_by_nhs(NhsNumber::parse("9990000093").unwrap(), at(9, 3))
            .unwrap()
            .unwrap()
            .id;
        for refused in [
            bob.refresh_record(lisa, today()).map(|_| ()),
            bob.refresh_board(today()).map(|_| ()),
            bob.refresh_caseload(today()).map(|_| ()),
        ] {
            assert!(matches!(refused, Err(ServiceError::Refused(_))), "{refused:?}");
        }
        assert!(bob.refresh_record(margaret, today()).is_ok());
        bob.close_record(margaret);
        assert!(matches!(bob.refresh_record(margaret, today()), Err(ServiceError::Refused(_))));
    }
}

#[test]
fn a_client_whose_server_connection_is_cut_connects_again_and_hears_changes() {
    let Some(place) = Place::postgres("live_reconnect") else {
        return;
    };
    let (place, _ann, mut bob, margaret) = two_coordinators(place);
    assert_eq!(bob.changes().unwrap(), None);
    // The server ends Bob's session, as a restart or a failover would.
    let Place::Server(db, _) = &place else { unreachable!() };
    let mut admin = postgres::Client::connect(db.url(), postgres::NoTls).unwrap();
    let cut = admin
        .execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
             WHERE datname = current_database() AND pid <> pg_backend_pid()",
            &[],
        )
        .unwrap();
    assert!(cut >= 1);
    // Bob's next look fails as a lost connection, in one sentence.
    let lost = changes_within_or_error(&mut bob);
    assert!(
        matches!(lost, ServiceError::Store(StoreError::Disconnected(_))),
        "{lost:?}"
    );
    bob.reconnect().unwrap();
    // What Bob opened is still open, and he hears changes again.
    assert!(bob.refresh_record(margaret, today()).is_ok());
    assert_eq!(bob.changes().unwrap(), None);
}

fn changes_within_or_error(s: &mut Service) -> ServiceError {
    let started = Instant::now();
    loop {
        match s.changes() {
            Err(e) => return e,
            Ok(_) if started.elapsed() > Duration::from_secs(5) => panic!("the cut was never noticed"),
            Ok(_) => std::thread::sleep(Duration::from_millis(50)),
        }
    }
}
