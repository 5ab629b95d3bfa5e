//! Watched folders (`joinedup listen --watch DIR`): a complete file is imported and
//! filed in `done/` with its report; an invalid one in `rejected/` with its reasons
//! and nothing stored; a file still growing is not taken until it is stable; a
//! `.part` file renamed into place is taken at once; a duplicate is not imported
//! twice; two folders; the stop flag; a file that fails for want of the database
//! stays and is tried again (on PostgreSQL: a cut connection, made again).
//!
//! The passes are driven with instants the test chooses, so nothing here waits for
//! the settling interval but the one test of `run` that stops it.

mod common;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use joinedup::domain::governance::{Actor, Role};
use joinedup::feed::watch::Outcome;
use joinedup::feed::{WatchOptions, Watcher};
use joinedup::service::Service;
use joinedup::store::{ScratchDatabase, Store};

const SETTLE: Duration = Duration::from_millis(200);
const RETRY: Duration = Duration::from_secs(5);

const HEADER: &str = "LA Code,LA Person Unique Identifier,NHS Number,First Name,Last Name,Event Type,Event Reference,Event Start Date,Event End Date\n";
const ROWS: &str = "W01,ASC-1,9990000026,Harold,Bennett,Review,EV-1,2026-03-01,2026-03-01\nW01,ASC-1,9990000026,Harold,Bennett,Review,EV-2,2026-04-01,2026-04-01\n";
const BAD_ROW: &str = "W01,ASC-2,,Edith,Shaw,Review,EV-3,31/02/2026,\n";
const A01: &str = "MSH|^~\\&|PAS|NGH|JOINEDUP|WM|202610021705||ADT^A01^ADT_A01|M1|P|2.4\rEVN|A01|202610022105\rPID|1||NG12345^^^NGH^MR~9990000026^^^NHS^NH||BENNETT^HAROLD^^^MR||19380930|M\rPV1|1|I|BIRCH^^BED4^NGH|21||||||||||19|||||V1001^^^VISITID|||||||||||||||||||||||||202610022105\r";

fn cld() -> String {
    format!("{HEADER}{ROWS}")
}

fn options() -> WatchOptions {
    WatchOptions {
        settle: SETTLE,
        poll: Duration::from_millis(10),
        retry: RETRY,
        ..Default::default()
    }
}

fn service_on(store: Store, role: Role) -> Service {
    let actor = Actor {
        user: "feed".into(),
        role: Some(role),
    };
    Service::new(store, actor, false).unwrap()
}

/// A database file and watched folders in one temporary folder.
struct Place {
    root: tempfile::TempDir,
}

impl Place {
    fn new() -> Self {
        Self {
            root: tempfile::tempdir().unwrap(),
        }
    }

    fn folder(&self, name: &str) -> PathBuf {
        let dir = self.root.path().join(name);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn service(&self, role: Role) -> Service {
        service_on(Store::open(&self.root.path().join("watch.db")).unwrap(), role)
    }
}

/// Before anything these tests store (the feeds' "today" counts all of it).
fn long_ago() -> chrono::NaiveDateTime {
    chrono::NaiveDate::from_ymd_opt(2000, 1, 1)
        .unwrap()
        .and_hms_opt(0, 0, 0)
        .unwrap()
}

fn count(s: &Service, sql: &str) -> i64 {
    s.store().connection().query_row(sql, [], |r| r.get(0)).unwrap()
}

fn report(file: &Path) -> serde_json::Value {
    let mut name = file.file_name().unwrap().to_os_string();
    name.push(".report.json");
    let text = std::fs::read_to_string(file.with_file_name(name)).expect("a report beside the file");
    serde_json::from_str(&text).unwrap()
}

/// The names in a folder (files only), sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut n: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .filter(|e| e.file_type().unwrap().is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    n.sort();
    n
}

#[test]
fn a_complete_file_is_imported_and_filed_in_done_with_its_report() {
    let place = Place::new();
    let dir = place.folder("in");
    let mut s = place.service(Role::Tester);
    let mut w = Watcher::new(std::slice::from_ref(&dir), options()).unwrap();
    let go = AtomicBool::new(false);
    std::fs::write(dir.join("cld.csv"), cld()).unwrap();
    let t0 = Instant::now();
    // Seen, but not yet seen to stay the same for the settling interval.
    assert!(w.scan(&mut s, t0, &go).is_empty());
    assert!(w.scan(&mut s, t0 + SETTLE / 2, &go).is_empty());
    let taken = w.scan(&mut s, t0 + SETTLE, &go);
    assert_eq!(taken.len(), 1);
    assert_eq!(taken[0].outcome, Outcome::Imported);
    let done = dir.join("done/cld.csv");
    assert_eq!(taken[0].moved_to.as_deref(), Some(done.as_path()));
    assert_eq!(
        names(&dir),
        Vec::<String>::new(),
        "nothing is left where it was dropped"
    );
    assert_eq!(std::fs::read_to_string(&done).unwrap(), cld());
    let r = report(&done);
    assert_eq!(r["outcome"], "imported");
    assert_eq!(r["format"], "cld_csv");
    assert_eq!(r["imported"]["items_added"], 2);
    assert_eq!(r["imported"]["people_added"], 1);
    assert!(
        r["line"]
            .as_str()
            .unwrap()
            .starts_with("cld.csv: 1 people added, 2 items added"),
        "{r}"
    );
    assert_eq!(r["sha256"], joinedup::import::sha256_hex(cld().as_bytes()));
    // Imported as `joinedup import` imports: one run, its audit event.
    assert_eq!(count(&s, "SELECT count(*) FROM episode"), 2);
    assert_eq!(count(&s, "SELECT count(*) FROM import_run"), 1);
    assert_eq!(count(&s, "SELECT count(*) FROM audit_event WHERE action = 'import'"), 1);
    assert_eq!(w.counts().imported, 1);
    // The folder is a feed on the Sources screen: its receipt committed with the import.
    let feeds = s.store().feed_summaries(long_ago()).unwrap();
    let full = std::fs::canonicalize(&dir).unwrap();
    assert_eq!(feeds.len(), 1);
    assert_eq!(feeds[0].feed, format!("watch {}", full.display()));
    assert_eq!((feeds[0].total, feeds[0].rejected, feeds[0].skipped), (1, 0, 0));
    assert_eq!(
        count(
            &s,
            "SELECT count(*) FROM feed_message WHERE outcome = 'stored' AND import_run_id IS NOT NULL"
        ),
        1
    );
    // The report is private to the account.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.join("done/cld.csv.report.json"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
}

#[test]
fn an_invalid_file_is_filed_in_rejected_with_its_reasons_and_nothing_is_stored() {
    let place = Place::new();
    let dir = place.folder("in");
    let mut s = place.service(Role::Tester);
    let mut w = Watcher::new(std::slice::from_ref(&dir), options()).unwrap();
    let go = AtomicBool::new(false);
    std::fs::write(dir.join("cld.csv"), format!("{HEADER}{ROWS}{BAD_ROW}")).unwrap();
    std::fs::write(dir.join("notes.txt"), "hello").unwrap();
    let t0 = Instant::now();
    assert!(w.scan(&mut s, t0, &go).is_empty());
    let taken = w.scan(&mut s, t0 + SETTLE, &go);
    assert_eq!(
        taken.iter().map(|t| t.outcome).collect::<Vec<_>>(),
        [Outcome::Rejected; 2]
    );
    let r = report(&dir.join("rejected/cld.csv"));
    assert_eq!(r["outcome"], "rejected");
    assert_eq!(r["rejected_rows"], 1);
    assert_eq!(r["rejections"][0]["location"], "line 4");
    assert!(r.get("imported").is_none());
    assert_eq!(r["line"], "cld.csv: 1 rejected; nothing imported");
    let r = report(&dir.join("rejected/notes.txt"));
    assert!(r["reason"].as_str().unwrap().contains("not recognised"), "{r}");
    assert_eq!(names(&dir.join("done")), Vec::<String>::new());
    for table in ["episode", "person", "import_run"] {
        assert_eq!(count(&s, &format!("SELECT count(*) FROM {table}")), 0, "{table}");
    }
    assert_eq!(w.counts().rejected, 2);
    // Listed among the feed's rejected messages, with the reason and never the contents.
    let listed = s.store().rejected_feed_messages(10).unwrap();
    assert_eq!(listed.len(), 2);
    assert!(listed.iter().all(|m| m.text.is_none()));
    let cld_receipt = listed.iter().find(|m| m.message_type == "cld.csv").unwrap();
    assert!(
        cld_receipt
            .reason
            .as_deref()
            .unwrap()
            .starts_with("1 rows rejected; the first: line 4")
    );
    assert_eq!(
        count(&s, "SELECT count(*) FROM audit_event WHERE action = 'feed_not_stored'"),
        2
    );
}

#[test]
fn a_file_larger_than_the_cap_is_rejected_unread_with_a_report_saying_why() {
    let place = Place::new();
    let dir = place.folder("in");
    let mut s = place.service(Role::Tester);
    let max = 1 << 20;
    let opts = WatchOptions {
        max_file_bytes: max,
        ..options()
    };
    let mut w = Watcher::new(std::slice::from_ref(&dir), opts).unwrap();
    let go = AtomicBool::new(false);
    // One byte over the cap: never read. A small file beside it: taken.
    let big = format!(
        "{HEADER}{ROWS}{}",
        " ".repeat(max as usize + 1 - HEADER.len() - ROWS.len())
    );
    std::fs::write(dir.join("big.csv"), &big).unwrap();
    std::fs::write(dir.join("fits.csv"), cld()).unwrap();
    #[cfg(unix)]
    {
        // Unreadable to prove it is not read (as root it still could be: then this
        // proves only the outcome).
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir.join("big.csv"), std::fs::Permissions::from_mode(0o200)).unwrap();
    }
    let t0 = Instant::now();
    assert!(w.scan(&mut s, t0, &go).is_empty());
    let taken = w.scan(&mut s, t0 + SETTLE, &go);
    let outcomes: Vec<_> = taken.iter().map(|t| (t.file.as_str(), t.outcome)).collect();
    assert_eq!(
        outcomes,
        [("big.csv", Outcome::Rejected), ("fits.csv", Outcome::Imported)]
    );
    assert_eq!(
        std::fs::metadata(dir.join("rejected/big.csv")).unwrap().len(),
        big.len() as u64
    );
    let r = report(&dir.join("rejected/big.csv"));
    assert_eq!(r["outcome"], "rejected");
    assert_eq!(r["size_bytes"], max + 1);
    assert_eq!(r["max_file_bytes"], max);
    let why = r["reason"].as_str().unwrap();
    assert!(
        why.contains("larger than the 1 MB") && why.contains("--max-file-mb"),
        "{why}"
    );
    assert!(r["sha256"].is_null(), "not read, so not hashed: {r}");
    let listed = s.store().rejected_feed_messages(10).unwrap();
    assert_eq!(listed.len(), 1);
    assert!(listed[0].reason.as_deref().unwrap().contains("larger than"));
    assert_eq!(w.counts().rejected, 1);
    assert_eq!(
        joinedup::feed::watch::MAX_FILE_MB,
        WatchOptions::default().max_file_bytes >> 20
    );
}

#[cfg(unix)]
#[test]
fn a_rejected_file_that_cannot_be_filed_away_is_audited_once_however_often_it_is_tried() {
    let place = Place::new();
    let dir = place.folder("in");
    let mut s = place.service(Role::Tester);
    let mut w = Watcher::new(std::slice::from_ref(&dir), options()).unwrap();
    let go = AtomicBool::new(false);
    // rejected/ made unusable after the watcher checked it (a link to nowhere in
    // its place: never taken as a dropped file).
    std::fs::remove_dir(dir.join("rejected")).unwrap();
    std::os::unix::fs::symlink(dir.join("nowhere"), dir.join("rejected")).unwrap();
    std::fs::write(dir.join("cld.csv"), format!("{HEADER}{ROWS}{BAD_ROW}")).unwrap();
    let t0 = Instant::now();
    assert!(w.scan(&mut s, t0, &go).is_empty());
    for k in 0..3 {
        let taken = w.scan(&mut s, t0 + SETTLE + RETRY * k, &go);
        assert_eq!(
            taken.iter().map(|t| t.outcome).collect::<Vec<_>>(),
            [Outcome::Failed],
            "try {k}"
        );
    }
    let events = "SELECT count(*) FROM audit_event WHERE action = 'feed_not_stored'";
    assert_eq!(count(&s, events), 1, "one event for the one failure");
    assert_eq!(count(&s, "SELECT count(*) FROM feed_message"), 1);
    assert_eq!(
        count(&s, "SELECT repeats FROM feed_message"),
        2,
        "each try still counted"
    );
    // Once rejected/ is back, it is filed away; still the one event.
    std::fs::remove_file(dir.join("rejected")).unwrap();
    std::fs::create_dir(dir.join("rejected")).unwrap();
    let taken = w.scan(&mut s, t0 + SETTLE + RETRY * 3, &go);
    assert_eq!(taken.iter().map(|t| t.outcome).collect::<Vec<_>>(), [Outcome::Rejected]);
    assert!(dir.join("rejected/cld.csv").exists());
    assert_eq!(count(&s, events), 1);
    // Another file with other contents is another failure: its own event.
    std::fs::write(dir.join("cld.csv"), format!("{HEADER}{BAD_ROW}")).unwrap();
    let t1 = t0 + SETTLE + RETRY * 4;
    w.scan(&mut s, t1, &go);
    let taken = w.scan(&mut s, t1 + SETTLE, &go);
    assert_eq!(taken.iter().map(|t| t.outcome).collect::<Vec<_>>(), [Outcome::Rejected]);
    assert_eq!(count(&s, events), 2);
}

#[test]
fn a_file_still_growing_is_not_taken_until_it_is_stable() {
    let place = Place::new();
    let dir = place.folder("in");
    let mut s = place.service(Role::Tester);
    let mut w = Watcher::new(std::slice::from_ref(&dir), options()).unwrap();
    let go = AtomicBool::new(false);
    let path = dir.join("cld.csv");
    std::fs::write(&path, HEADER).unwrap();
    let t0 = Instant::now();
    assert!(w.scan(&mut s, t0, &go).is_empty());
    // It grows: the settling interval starts again.
    use std::io::Write;
    std::fs::OpenOptions::new()
        .append(true)
        .open(&path)
        .unwrap()
        .write_all(ROWS.as_bytes())
        .unwrap();
    assert!(w.scan(&mut s, t0 + SETTLE, &go).is_empty());
    assert!(w.scan(&mut s, t0 + SETTLE + SETTLE / 2, &go).is_empty());
    assert!(path.exists());
    let taken = w.scan(&mut s, t0 + SETTLE * 2, &go);
    assert_eq!(taken.len(), 1);
    assert_eq!(report(&dir.join("done/cld.csv"))["imported"]["items_added"], 2);
    // A duplicate and a refused file are recorded there too, each with its audit event.
    std::fs::write(dir.join("again.csv"), cld()).unwrap();
    std::fs::write(dir.join("notes.txt"), "hello").unwrap();
    let t1 = t0 + SETTLE * 2 + RETRY;
    assert!(w.scan(&mut s, t1, &go).is_empty());
    let taken = w.scan(&mut s, t1 + SETTLE, &go);
    let outcomes: Vec<_> = taken.iter().map(|t| t.outcome).collect();
    assert_eq!(outcomes, [Outcome::Duplicate, Outcome::Rejected]);
    let feeds = s.store().feed_summaries(long_ago()).unwrap();
    assert_eq!((feeds[0].total, feeds[0].skipped, feeds[0].rejected), (3, 1, 1));
}

#[test]
fn a_part_file_renamed_into_place_is_taken_at_once_and_temporary_names_never() {
    let place = Place::new();
    let dir = place.folder("in");
    let mut s = place.service(Role::Tester);
    let mut w = Watcher::new(std::slice::from_ref(&dir), options()).unwrap();
    let go = AtomicBool::new(false);
    for name in [
        "cld.csv.part",
        "other.csv.tmp",
        ".hidden.csv",
        "x.filepart",
        "y.partial",
    ] {
        std::fs::write(dir.join(name), cld()).unwrap();
    }
    let t0 = Instant::now();
    assert!(w.scan(&mut s, t0, &go).is_empty());
    std::fs::rename(dir.join("cld.csv.part"), dir.join("cld.csv")).unwrap();
    // No settling interval: it appeared whole.
    let taken = w.scan(&mut s, t0, &go);
    assert_eq!(taken.len(), 1);
    assert_eq!(taken[0].file, "cld.csv");
    assert_eq!(taken[0].outcome, Outcome::Imported);
    // The temporary names stay untouched however long they wait.
    assert!(w.scan(&mut s, t0 + SETTLE * 10, &go).is_empty());
    assert_eq!(names(&dir), [".hidden.csv", "other.csv.tmp", "x.filepart", "y.partial"]);
}

#[test]
fn a_duplicate_is_reported_and_not_imported_twice_and_no_name_is_overwritten() {
    let place = Place::new();
    let dir = place.folder("in");
    let mut s = place.service(Role::Tester);
    let mut w = Watcher::new(std::slice::from_ref(&dir), options()).unwrap();
    let go = AtomicBool::new(false);
    let t0 = Instant::now();
    let mut drop_and_take = |name: &str, at: Instant| {
        std::fs::write(dir.join(name), cld()).unwrap();
        assert!(w.scan(&mut s, at, &go).is_empty());
        let taken = w.scan(&mut s, at + SETTLE, &go);
        assert_eq!(taken.len(), 1);
        taken[0].clone()
    };
    assert_eq!(drop_and_take("a.csv", t0).outcome, Outcome::Imported);
    let b = drop_and_take("b.csv", t0 + SETTLE * 2);
    assert_eq!(b.outcome, Outcome::Duplicate);
    assert!(b.line.contains("the same contents as a.csv"), "{}", b.line);
    let r = report(&dir.join("done/b.csv"));
    assert_eq!(r["outcome"], "duplicate");
    assert_eq!(r["duplicate_of"]["file"], "a.csv");
    // The same name again: a name of its own in done/, the first one kept.
    let again = drop_and_take("a.csv", t0 + SETTLE * 4);
    assert_eq!(again.outcome, Outcome::Duplicate);
    assert_eq!(again.moved_to.as_deref(), Some(dir.join("done/a-2.csv").as_path()));
    assert_eq!(report(&dir.join("done/a.csv"))["outcome"], "imported");
    assert_eq!(count(&s, "SELECT count(*) FROM import_run"), 1);
    assert_eq!(count(&s, "SELECT count(*) FROM episode"), 2);
    assert_eq!(count(&s, "SELECT count(*) FROM audit_event WHERE action = 'import'"), 1);
    assert_eq!(
        count(&s, "SELECT count(*) FROM feed_message WHERE outcome = 'skipped'"),
        2
    );
}

#[test]
fn two_watched_folders_each_file_their_own() {
    let place = Place::new();
    let (council, hospital) = (place.folder("council"), place.folder("hospital"));
    let mut s = place.service(Role::Tester);
    let mut w = Watcher::new(&[council.clone(), hospital.clone()], options()).unwrap();
    let go = AtomicBool::new(false);
    std::fs::write(council.join("cld.csv"), cld()).unwrap();
    std::fs::write(hospital.join("adt.hl7"), A01).unwrap();
    let t0 = Instant::now();
    assert!(w.scan(&mut s, t0, &go).is_empty());
    let taken = w.scan(&mut s, t0 + SETTLE, &go);
    assert_eq!(
        taken.iter().map(|t| t.outcome).collect::<Vec<_>>(),
        [Outcome::Imported; 2]
    );
    assert_eq!(names(&council.join("done")), ["cld.csv", "cld.csv.report.json"]);
    assert_eq!(names(&hospital.join("done")), ["adt.hl7", "adt.hl7.report.json"]);
    assert_eq!(report(&hospital.join("done/adt.hl7"))["format"], "hl7v2");
    assert_eq!(count(&s, "SELECT count(*) FROM hospital_spell"), 1);
    assert_eq!(w.counts().folders, 2);
    assert!(Watcher::new(&[place.root.path().join("no-such-folder")], options()).is_err());
}

#[test]
fn the_stop_flag_stops_the_watcher_after_the_file_in_hand() {
    let place = Place::new();
    let dir = place.folder("in");
    let mut s = place.service(Role::Tester);
    // Set before a pass: nothing is taken.
    let mut w = Watcher::new(std::slice::from_ref(&dir), options()).unwrap();
    std::fs::write(dir.join("cld.csv"), cld()).unwrap();
    let stopped = AtomicBool::new(true);
    let t0 = Instant::now();
    assert!(w.scan(&mut s, t0, &stopped).is_empty());
    assert!(w.scan(&mut s, t0 + SETTLE, &stopped).is_empty());
    assert!(dir.join("cld.csv").exists());
    // Running: the file is taken, then the flag stops it, with its counts.
    let running = Watcher::new(
        std::slice::from_ref(&dir),
        WatchOptions {
            settle: Duration::ZERO,
            ..options()
        },
    )
    .unwrap();
    let stop = Arc::new(AtomicBool::new(false));
    let thread = {
        let stop = stop.clone();
        std::thread::spawn(move || running.run(s, stop))
    };
    let report = dir.join("done/cld.csv.report.json");
    let deadline = Instant::now() + Duration::from_secs(60);
    while !report.exists() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(10));
    }
    stop.store(true, Ordering::SeqCst);
    let counts = thread.join().unwrap();
    assert_eq!((counts.folders, counts.imported, counts.rejected), (1, 1, 0));
}

#[test]
fn a_file_that_fails_for_want_of_the_database_stays_and_is_tried_again() {
    let place = Place::new();
    let dir = place.folder("in");
    // A trainer may not change a database that is not a training one: the service
    // refuses, which is not the file's fault.
    let mut refused = place.service(Role::Trainer);
    let mut w = Watcher::new(std::slice::from_ref(&dir), options()).unwrap();
    let go = AtomicBool::new(false);
    std::fs::write(dir.join("cld.csv"), cld()).unwrap();
    let t0 = Instant::now();
    assert!(w.scan(&mut refused, t0, &go).is_empty());
    let taken = w.scan(&mut refused, t0 + SETTLE, &go);
    assert_eq!(taken[0].outcome, Outcome::Failed);
    assert!(taken[0].moved_to.is_none());
    assert_eq!(names(&dir), ["cld.csv"]);
    assert_eq!(names(&dir.join("rejected")), Vec::<String>::new());
    // Not tried again before the retry interval; then imported.
    let mut s = place.service(Role::Tester);
    assert!(w.scan(&mut s, t0 + SETTLE * 2, &go).is_empty());
    let taken = w.scan(&mut s, t0 + SETTLE + RETRY, &go);
    assert_eq!(taken[0].outcome, Outcome::Imported);
    assert_eq!((w.counts().failed, w.counts().imported), (1, 1));
}

#[test]
fn on_postgresql_a_cut_connection_leaves_the_file_and_the_next_try_imports_it() {
    let Some(db) = ScratchDatabase::create("feed_watch") else {
        return;
    };
    let place = Place::new();
    let dir = place.folder("in");
    let keys = tempfile::tempdir().unwrap();
    let mut s = service_on(Store::open_server(db.url(), keys.path()).unwrap(), Role::Tester);
    let mut w = Watcher::new(std::slice::from_ref(&dir), options()).unwrap();
    let go = AtomicBool::new(false);
    std::fs::write(dir.join("cld.csv"), cld()).unwrap();
    let t0 = Instant::now();
    assert!(w.scan(&mut s, t0, &go).is_empty());
    // The server ends the session, as a restart or a failover would.
    let mut admin = postgres::Client::connect(db.url(), postgres::NoTls).unwrap();
    admin
        .execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
             WHERE datname = current_database() AND pid <> pg_backend_pid()",
            &[],
        )
        .unwrap();
    let taken = w.scan(&mut s, t0 + SETTLE, &go);
    assert_eq!(taken[0].outcome, Outcome::Failed, "{}", taken[0].line);
    assert_eq!(names(&dir), ["cld.csv"]);
    // The watcher connected again; the next try imports it.
    let taken = w.scan(&mut s, t0 + SETTLE + RETRY, &go);
    assert_eq!(taken[0].outcome, Outcome::Imported, "{}", taken[0].line);
    assert_eq!(count(&s, "SELECT count(*) FROM episode"), 2);
    assert_eq!(report(&dir.join("done/cld.csv"))["imported"]["items_added"], 2);
    // A duplicate and a refused file are recorded there too, each with its audit event.
    std::fs::write(dir.join("again.csv"), cld()).unwrap();
    std::fs::write(dir.join("notes.txt"), "hello").unwrap();
    let t1 = t0 + SETTLE * 2 + RETRY;
    assert!(w.scan(&mut s, t1, &go).is_empty());
    let taken = w.scan(&mut s, t1 + SETTLE, &go);
    let outcomes: Vec<_> = taken.iter().map(|t| t.outcome).collect();
    assert_eq!(outcomes, [Outcome::Duplicate, Outcome::Rejected]);
    let feeds = s.store().feed_summaries(long_ago()).unwrap();
    assert_eq!((feeds[0].total, feeds[0].skipped, feeds[0].rejected), (3, 1, 1));
}

#[test]
fn the_sources_screen_lists_the_folder_as_a_feed_with_its_rejected_file() {
    use egui_kittest::kittest::Queryable;
    let place = Place::new();
    let dir = place.folder("in");
    let mut s = place.service(Role::Tester);
    let mut w = Watcher::new(std::slice::from_ref(&dir), options()).unwrap();
    let go = AtomicBool::new(false);
    std::fs::write(dir.join("cld.csv"), cld()).unwrap();
    std::fs::write(dir.join("notes.txt"), "SECRETNAME was here").unwrap();
    let t0 = Instant::now();
    assert!(w.scan(&mut s, t0, &go).is_empty());
    assert_eq!(w.scan(&mut s, t0 + SETTLE, &go).len(), 2);
    drop(s);
    let store = Store::open(&place.root.path().join("watch.db")).unwrap();
    let mut h = common::harness_with(store, common::config(false, Role::CareCoordinator));
    common::wait_until(&mut h, "the overview", |a| {
        a.overview().is_some_and(|o| !o.feeds.is_empty())
    });
    h.get_by_label("Sources and data quality").click();
    common::wait_until(&mut h, "the sources screen", |a| {
        a.screen() == joinedup::ui::Screen::Sources
    });
    let full = std::fs::canonicalize(&dir).unwrap();
    h.get_by_label(&format!("watch {}", full.display()));
    h.get_by_label("Rejected messages (1)").click();
    for _ in 0..3 {
        h.step();
    }
    h.get_by_label("notes.txt");
    h.get_by_label("watched folder");
    let feeds = &h.state().overview().unwrap().feeds;
    assert_eq!((feeds[0].total, feeds[0].skipped, feeds[0].rejected), (2, 0, 1));
    assert!(
        h.query_by_label_contains("SECRETNAME").is_none(),
        "a rejected file's contents are not shown"
    );
}

#[test]
fn done_and_rejected_must_be_private_folders_of_the_watched_folders_own() {
    use std::os::unix::fs::PermissionsExt;
    // A symbolic link for done/ would file people's records wherever it points.
    let dir = tempfile::tempdir().unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(elsewhere.path(), dir.path().join("done")).unwrap();
    let err = Watcher::new(&[dir.path().to_path_buf()], options())
        .err()
        .expect("refused");
    assert!(err.to_string().contains("done is a symbolic link"), "{err}");
    // A file of that name is refused, naming it.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("rejected"), b"").unwrap();
    let err = Watcher::new(&[dir.path().to_path_buf()], options())
        .err()
        .expect("refused");
    assert!(err.to_string().contains("rejected exists and is not a folder"), "{err}");
    // An existing folder open to others is made private.
    let dir = tempfile::tempdir().unwrap();
    let done = dir.path().join("done");
    std::fs::create_dir(&done).unwrap();
    std::fs::set_permissions(&done, std::fs::Permissions::from_mode(0o755)).unwrap();
    Watcher::new(&[dir.path().to_path_buf()], options()).unwrap();
    assert_eq!(std::fs::metadata(&done).unwrap().permissions().mode() & 0o777, 0o700);
}
