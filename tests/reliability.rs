//! Crash safety and two processes on one database (DESIGN.md section 5).
//!
//! A child process imports a large file and is killed (SIGKILL) at spread-out moments;
//! each time the database must pass `PRAGMA integrity_check` and hold either none or
//! all of the file. Then an import runs in a child while this process searches and
//! opens records: nothing may fail with "database is locked".

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use joinedup::store::Store;

const ROWS: usize = 30_000;

fn write_cld(path: &Path, rows: usize, reference_prefix: &str) {
    let mut csv = String::from(
        "LA Code,NHS Number,LA Person Unique Identifier,First Name,Last Name,Event Type,Event Reference,Event Start Date,Service Type\n",
    );
    for i in 0..rows {
        let event = ["Request", "Assessment", "Service", "Review"][i % 4];
        csv.push_str(&format!(
            "W01,,ASC-{},Given{},Family{},{event},{reference_prefix}{i},2025-{:02}-{:02},Long Term Support: Community\n",
            i % 3000,
            i % 97,
            i % 3000,
            1 + i % 12,
            1 + i % 28
        ));
    }
    std::fs::write(path, csv).unwrap();
}

fn episodes_from(db: &Path, prefix: &str) -> i64 {
    let store = Store::open(db).expect("the database opens after a kill");
    let ok: String = store
        .connection()
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(ok, "ok", "integrity check after a kill");
    store
        .connection()
        .query_row(
            "SELECT count(*) FROM episode WHERE source_ref LIKE ?1",
            [format!("{prefix}%")],
            |r| r.get(0),
        )
        .unwrap()
}

#[test]
fn a_killed_import_leaves_none_or_all_of_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("crash.db");
    let file = dir.path().join("big.csv");
    write_cld(&file, ROWS, "C-");
    // How long one import takes here, so the kills spread over it.
    let probe = dir.path().join("probe.db");
    let started = Instant::now();
    let status = Command::new(env!("CARGO_BIN_EXE_joinedup"))
        .args(["--db", probe.to_str().unwrap(), "import", file.to_str().unwrap()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    let full = started.elapsed();
    let mut saw_none = false;
    let mut saw_all = false;
    for run in 0..20u32 {
        // Spread the kill points from "at once" to the end; the last two wait long enough
        // for the import to finish even on a busy machine.
        let delay = if run >= 18 {
            full.mul_f64(4.0)
        } else {
            full.mul_f64(f64::from(run) / 17.0)
        };
        let mut child = Command::new(env!("CARGO_BIN_EXE_joinedup"))
            .args(["--db", db.to_str().unwrap(), "import", file.to_str().unwrap()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(delay);
        let _ = child.kill(); // SIGKILL on Unix
        let _ = child.wait();
        let n = episodes_from(&db, "C-");
        assert!(
            n == 0 || n == ROWS as i64,
            "run {run}: {n} of {ROWS} rows: a half-imported file"
        );
        saw_none |= n == 0;
        saw_all |= n == ROWS as i64;
        if n == ROWS as i64 {
            // Start again from an empty database so later kills land mid-import too.
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
            }
        }
    }
    assert!(saw_none && saw_all, "the kills landed both before and after the commit");
}

#[test]
fn searching_while_another_process_imports() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("shared.db");
    let first = dir.path().join("first.csv");
    let second = dir.path().join("second.csv");
    write_cld(&first, 3_000, "F-");
    write_cld(&second, ROWS, "S-");
    let status = Command::new(env!("CARGO_BIN_EXE_joinedup"))
        .args(["--db", db.to_str().unwrap(), "import", first.to_str().unwrap()])
        .stdout(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    let mut child = Command::new(env!("CARGO_BIN_EXE_joinedup"))
        .args(["--db", db.to_str().unwrap(), "import", second.to_str().unwrap()])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let store = Store::open(&db).unwrap();
    let mut reads = 0;
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let hits = store
            .search_people("family1", None, 20)
            .expect("search while importing");
        if let Some(p) = hits.first() {
            store.person_record(p.id).expect("open a record while importing");
        }
        reads += 1;
        if child.try_wait().unwrap().is_some() || Instant::now() > deadline {
            break;
        }
    }
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(!String::from_utf8_lossy(&out.stderr).contains("locked"));
    assert!(reads > 1);
    assert_eq!(episodes_from(&db, "S-"), ROWS as i64);
}

/// Sixteen openers of one new file at the same moment all succeed (they used to fail
/// with "database is locked" or "table meta already exists"), in threads and in
/// separate processes, and end with one schema, one audit key and a log that verifies.
#[test]
fn sixteen_openers_of_a_new_database_all_succeed() {
    use joinedup::store::AuditVerification;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("new.db");
    let start = std::sync::Barrier::new(16);
    let failures: Vec<String> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..16)
            .map(|_| {
                s.spawn(|| {
                    start.wait();
                    // The first words are enough: a migration error quotes the whole schema.
                    Store::open(&db)
                        .map(|_| ())
                        .map_err(|e| e.to_string().chars().take(120).collect::<String>())
                })
            })
            .collect();
        handles.into_iter().filter_map(|h| h.join().unwrap().err()).collect()
    });
    assert!(
        failures.is_empty(),
        "{} of 16 opens failed: {failures:?}",
        failures.len()
    );

    let db = dir.path().join("new-by-processes.db");
    let children: Vec<_> = (0..16)
        .map(|_| {
            Command::new(env!("CARGO_BIN_EXE_joinedup"))
                .args(["--db", db.to_str().unwrap(), "audit", "verify"])
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let failed: Vec<String> = children
        .into_iter()
        .map(|c| c.wait_with_output().unwrap())
        .filter(|o| !o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stderr).chars().take(120).collect::<String>())
        .collect();
    assert!(failed.is_empty(), "{} of 16 processes failed: {failed:?}", failed.len());
    let mut store = Store::open(&db).unwrap();
    store
        .append_audit(&joinedup::store::AuditEvent {
            id: 0,
            at: chrono::NaiveDateTime::default(),
            actor: "tester".into(),
            action: "open".into(),
            person_id: None,
            detail: String::new(),
            reason: None,
        })
        .unwrap();
    assert_eq!(store.verify_audit().unwrap(), AuditVerification::Intact { events: 1 });
}
