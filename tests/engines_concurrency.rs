//! Many users at once on one PostgreSQL database: two importing different files
//! while twenty others open records and the board. Nothing is lost, nobody sees an
//! error, and the audit log stays one chain. Skips (saying why) without a server,
//! unless `JOINEDUP_TEST_POSTGRES=1`.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

use chrono::{NaiveDate, NaiveDateTime};
use joinedup::domain::governance::{Actor, Role};
use joinedup::service::Service;
use joinedup::store::{AuditOutcome, ScratchDatabase, Store};

fn as_of() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
}

fn now() -> NaiveDateTime {
    as_of().and_hms_opt(10, 0, 0).unwrap()
}

/// A client of its own: its own connection and its own copy of the audit key.
fn client(db: &ScratchDatabase, user: &str, role: Role) -> (Service, tempfile::TempDir) {
    let keys = tempfile::tempdir().unwrap();
    let store = Store::open_server(db.url(), keys.path()).unwrap();
    let actor = Actor {
        user: user.into(),
        role: Some(role),
    };
    (Service::new(store, actor, false).unwrap(), keys)
}

fn count(s: &Service, sql: &str) -> i64 {
    s.store().connection().query_row(sql, [], |r| r.get(0)).unwrap()
}

#[test]
fn two_importers_and_twenty_readers_lose_nothing_and_see_no_error() {
    let Some(db) = ScratchDatabase::create("concurrency") else {
        return;
    };
    // A first population everyone reads while two more are imported.
    let numbers = joinedup::generate::nhs_numbers(5, 600).unwrap();
    let (mut first, _k) = client(&db, "setup", Role::Tester);
    let base = joinedup::generate::chunk(5, as_of(), 0, &numbers[..200]);
    first.apply_batch(&base, now(), &mut |_, _| true).unwrap();
    let people: Vec<i64> = first
        .store()
        .connection()
        .query_map("SELECT id FROM person ORDER BY id", [], |r| r.get(0))
        .unwrap();
    let items_before = count(&first, "SELECT count(*) FROM episode");
    let events_before = count(&first, "SELECT count(*) FROM audit_event");

    let files = [
        joinedup::generate::chunk(5, as_of(), 200, &numbers[200..400]),
        joinedup::generate::chunk(5, as_of(), 400, &numbers[400..600]),
    ];
    let expected_new: usize = files.iter().map(|f| f.episodes.len()).sum();
    let start = Arc::new(Barrier::new(22));
    let importing = Arc::new(AtomicUsize::new(2));
    let reads = Arc::new(AtomicUsize::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let mut threads = Vec::new();
    for (i, file) in files.into_iter().enumerate() {
        let (start, importing, url) = (start.clone(), importing.clone(), db.url().to_owned());
        let keys = tempfile::tempdir().unwrap();
        threads.push(std::thread::spawn(move || {
            let store = Store::open_server(&url, keys.path()).unwrap();
            let actor = Actor {
                user: format!("importer{i}"),
                role: Some(Role::Tester),
            };
            let mut s = Service::new(store, actor, false).unwrap();
            start.wait();
            let summary = s.apply_batch(&file, now(), &mut |_, _| true);
            importing.fetch_sub(1, Ordering::SeqCst);
            summary.map(|s| s.episodes_added).map_err(|e| e.to_string())
        }));
    }
    let mut readers = Vec::new();
    for i in 0..20 {
        let (start, importing, reads, stop, url) = (
            start.clone(),
            importing.clone(),
            reads.clone(),
            stop.clone(),
            db.url().to_owned(),
        );
        let people = people.clone();
        let keys = tempfile::tempdir().unwrap();
        readers.push(std::thread::spawn(move || -> Result<(), String> {
            let store = Store::open_server(&url, keys.path()).map_err(|e| e.to_string())?;
            let actor = Actor {
                user: format!("reader{i}"),
                role: Some(Role::CareCoordinator),
            };
            let mut s = Service::new(store, actor, false).map_err(|e| e.to_string())?;
            start.wait();
            let deadline = Instant::now() + Duration::from_secs(60);
            let mut n = i;
            // Until both imports are in, and at least a few rounds each.
            while (importing.load(Ordering::SeqCst) > 0 || n < i + 5) && Instant::now() < deadline {
                let id = people[n * 7 % people.len()];
                s.open_record(id, as_of(), now()).map_err(|e| format!("open: {e}"))?;
                s.close_record(id);
                if n % 4 == 0 {
                    s.board(as_of(), now()).map_err(|e| format!("board: {e}"))?;
                }
                reads.fetch_add(1, Ordering::Relaxed);
                n += 1;
                if stop.load(Ordering::Relaxed) {
                    break;
                }
            }
            Ok(())
        }));
    }
    let added: Vec<Result<usize, String>> = threads.into_iter().map(|t| t.join().unwrap()).collect();
    stop.store(true, Ordering::Relaxed);
    for r in readers {
        r.join().unwrap().expect("a reader saw an error");
    }
    let added: usize = added.into_iter().map(|r| r.expect("an importer saw an error")).sum();
    assert_eq!(added, expected_new, "both files are stored whole");
    assert_eq!(
        count(&first, "SELECT count(*) FROM episode") as usize,
        items_before as usize + expected_new
    );
    let events = count(&first, "SELECT count(*) FROM audit_event");
    assert!(
        events >= events_before + 2 + reads.load(Ordering::Relaxed) as i64,
        "every open and both imports are audited ({events} events)"
    );
    // One chain: ids without gaps, each event following the one before.
    let gaps = count(
        &first,
        "SELECT count(*) FROM audit_event a WHERE a.id > 1 AND NOT EXISTS
           (SELECT 1 FROM audit_event b WHERE b.id = a.id - 1 AND b.hash = a.prev_hash)",
    );
    assert_eq!(gaps, 0, "the audit log is one chain");
    let report = first.verify_audit().unwrap();
    assert!(matches!(report.outcome(), AuditOutcome::Intact), "{:?}", report.lines());
}
