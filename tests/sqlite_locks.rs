//! Two stores of one process on one SQLite file (`listen --mllp --watch` opens
//! one for each feed): opening the second must not drop the first one's POSIX
//! locks. It did (the file was opened and closed to make it private, and closing
//! any descriptor drops the process's locks); another process closing its own
//! connection then deleted the write-ahead log under the listener, and messages
//! already acknowledged were lost (found by a hostile review; SAFETY H30).

use std::path::Path;
use std::process::Command;

use joinedup::domain::governance::{Actor, Role};
use joinedup::service::Service;
use joinedup::store::Store;

fn another_process_opens_and_closes(db: &Path) {
    // Python's sqlite3 module: a reader from outside, as a backup script or a
    // database browser would be.
    let status = Command::new("python3")
        .arg("-c")
        .arg("import sqlite3, sys\nc = sqlite3.connect(sys.argv[1])\nc.execute('SELECT count(*) FROM sqlite_master').fetchall()\nc.close()")
        .arg(db)
        .status()
        .expect("python3 is on the machine (it reads the database as another process)");
    assert!(status.success());
}

#[test]
fn a_second_store_on_the_file_keeps_the_first_ones_write_ahead_log() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("shared.db");
    let wal = dir.path().join("shared.db-wal");
    let actor = Actor {
        user: "tess".into(),
        role: Some(Role::Tester),
    };
    let mut first = Service::new(Store::open(&db).unwrap(), actor.clone(), false).unwrap();
    let now = chrono::NaiveDate::from_ymd_opt(2026, 11, 22)
        .unwrap()
        .and_hms_opt(9, 0, 0)
        .unwrap();
    first.seed_training(now.date(), now).unwrap();
    let second = Service::new(Store::open(&db).unwrap(), actor, false).unwrap();
    assert!(wal.exists(), "the write-ahead log while both stores are open");
    another_process_opens_and_closes(&db);
    assert!(
        wal.exists(),
        "another process's close deleted the write-ahead log under this process's open stores"
    );
    drop(second);
    // What the first store committed is still there for a new connection.
    let people: i64 = Store::open(&db)
        .unwrap()
        .connection()
        .query_row("SELECT count(*) FROM person", [], |r| r.get(0))
        .unwrap();
    assert!(people > 0);
}
