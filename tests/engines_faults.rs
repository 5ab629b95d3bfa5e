//! Faults on a server: PostgreSQL restarted in the middle of an import leaves
//! nothing of it, the import says the connection was lost, and the same import
//! then succeeds on a new connection. The only test in its binary, because it
//! restarts the server the other tests use. Skips (saying why) without a server or
//! without the right to restart it, unless `JOINEDUP_TEST_POSTGRES=1`.

use std::process::Command;
use std::time::Duration;

use joinedup::import::{ImportOptions, pipeline};
use joinedup::store::{ScratchDatabase, StoreError};

fn restart_server() -> Result<(), String> {
    let versions = std::fs::read_dir("/etc/postgresql").map_err(|e| format!("no /etc/postgresql: {e}"))?;
    let version = versions
        .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
        .max()
        .ok_or("no PostgreSQL cluster")?;
    let out = Command::new("pg_ctlcluster")
        .args(["--skip-systemctl-redirect", &version, "main", "restart", "-m", "fast"])
        .output()
        .map_err(|e| format!("pg_ctlcluster: {e}"))?;
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).into_owned());
    }
    Ok(())
}

fn cld(rows: usize) -> Vec<u8> {
    let numbers = joinedup::generate::nhs_numbers(21, rows / 5).unwrap();
    let mut csv = String::from(
        "LA Code,NHS Number,LA Person Unique Identifier,First Name,Last Name,Gender,Date of Birth,Postcode,Event Type,Event Reference,Event Start Date,Event End Date\n",
    );
    for i in 0..rows {
        let p = i % numbers.len();
        csv.push_str(&format!(
            "W01,{},ASC-{p},Given,Family{p},Female,1940-01-01,WM1 1AA,Assessment,EV-{i},2025-03-01,2025-03-02\n",
            numbers[p].digits()
        ));
    }
    csv.into_bytes()
}

#[test]
fn a_restart_in_the_middle_of_an_import_leaves_nothing_of_it() {
    let Some(db) = ScratchDatabase::create("faults") else {
        return;
    };
    let now = chrono::NaiveDate::from_ymd_opt(2026, 11, 22)
        .unwrap()
        .and_hms_opt(9, 0, 0)
        .unwrap();
    let bytes = cld(80_000);
    let url = db.url().to_owned();
    let keys = db.key_dir().to_path_buf();
    let (bytes_for_import, now_for_import) = (bytes.clone(), now);
    let import = std::thread::spawn(move || {
        let mut store = joinedup::store::Store::open_server(&url, &keys).unwrap();
        pipeline::import_bytes(
            &mut store,
            "events.csv",
            &bytes_for_import,
            ImportOptions::default(),
            false,
            now_for_import,
            &mut |_| true,
            &|f, s| joinedup::store::system_import_event(f, s, now_for_import),
        )
        .map(|_| ())
    });
    std::thread::sleep(Duration::from_millis(1500));
    if let Err(why) = restart_server() {
        assert!(
            !joinedup::store::engine::scratch::postgres_required(),
            "could not restart PostgreSQL: {why}"
        );
        eprintln!("skipping: could not restart PostgreSQL ({why})");
        return;
    }
    let outcome = import.join().unwrap();
    let err = outcome.expect_err("the import was cut off by the restart");
    assert!(
        matches!(err, pipeline::PipelineError::Store(StoreError::Disconnected(_))),
        "the import says the connection was lost: {err}"
    );
    assert!(
        err.to_string().contains("nothing of the change in hand was kept"),
        "{err}"
    );
    // Nothing of it is there, and the same import succeeds on a new connection.
    let mut store = db.open().unwrap();
    let count = |store: &joinedup::store::Store, sql: &str| -> i64 {
        store.connection().query_row(sql, [], |r| r.get(0)).unwrap()
    };
    assert_eq!(count(&store, "SELECT count(*) FROM episode"), 0);
    assert_eq!(count(&store, "SELECT count(*) FROM import_run"), 0);
    assert_eq!(count(&store, "SELECT count(*) FROM person"), 0);
    let done = pipeline::import_bytes(
        &mut store,
        "events.csv",
        &bytes,
        ImportOptions::default(),
        false,
        now,
        &mut |_| true,
        &|f, s| joinedup::store::system_import_event(f, s, now),
    )
    .unwrap();
    assert_eq!(done.summary.unwrap().episodes_added, 80_000);
    assert!(matches!(
        store.audit_report().unwrap().outcome(),
        joinedup::store::AuditOutcome::Intact
    ));
}
