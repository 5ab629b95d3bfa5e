//! Crash safety of the live feed, on both engines: the real `joinedup listen`
//! binary is killed with SIGKILL 20 times at random moments (in a group's
//! transaction, in its commit, between a commit and its ACKs) while a sender with
//! a resend queue pipelines ADT messages at it and sends again whatever was not
//! acknowledged, after reconnecting to the restarted listener. At the end the
//! sender has an ACK for every message, every message is stored exactly once (its
//! receipt, its import run, its spell, its audit event), the database is
//! consistent (SQLite's `PRAGMA integrity_check`; on PostgreSQL, every row's
//! references found) and the audit log verifies. The PostgreSQL run has a scratch
//! database of its own, and the listener its own directory of server keys.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use joinedup::feed::mllp::frame;
use joinedup::store::{ScratchDatabase, Store};

const PEOPLE: usize = 200;
const KILLS: usize = 20;
/// Messages sent before their ACKs are awaited.
const WINDOW: usize = 8;
/// The sender's pause between windows, so that its traffic spans the kills.
const PAUSE: Duration = Duration::from_millis(15);

/// An admission then a discharge for each person: `2 * PEOPLE` messages.
fn messages() -> Vec<(String, String)> {
    let numbers = joinedup::generate::nhs_numbers(23, PEOPLE).unwrap();
    let mut all = Vec::new();
    for (p, n) in numbers.iter().enumerate() {
        let nhs = n.digits();
        all.push((format!("C{p}A"), format!(
            "MSH|^~\\&|PAS|NGH|JOINEDUP|WM|202611010900||ADT^A01^ADT_A01|C{p}A|P|2.4\rPID|1||{nhs}^^^NHS^NH||CRASH^P{p}||19400101|F\rPV1|1|I|OAK^^BED1^NGH|21|||||||||||||||CV{p}^^^VISITID|||||||||||||||||||||||||202611010900\r"
        )));
        all.push((format!("C{p}D"), format!(
            "MSH|^~\\&|PAS|NGH|JOINEDUP|WM|202611051500||ADT^A03^ADT_A03|C{p}D|P|2.4\rPID|1||{nhs}^^^NHS^NH||CRASH^P{p}\rPV1|1|I|OAK^^BED1^NGH|21|||||||||||||||CV{p}^^^VISITID|||||||||||||||||1|19|||||||202611010900|202611051500\r"
        )));
    }
    all
}

/// Where the listener's database is: a file, or a scratch database on the test
/// server with the directory the program keeps server keys under (its
/// `XDG_DATA_HOME`, so that the listener and the checks share the key).
enum Place {
    File(tempfile::TempDir),
    Server(ScratchDatabase, tempfile::TempDir),
}

impl Place {
    /// What `--db` names.
    fn db(&self) -> std::ffi::OsString {
        match self {
            Place::File(dir) => dir.path().join("feed.db").into_os_string(),
            Place::Server(db, _) => db.url().into(),
        }
    }

    /// A command of the real binary on this database.
    fn joinedup(&self) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_joinedup"));
        c.arg("--db").arg(self.db());
        if let Place::Server(_, data) = self {
            c.env("XDG_DATA_HOME", data.path());
        }
        c
    }

    /// The store, opened as the listener opens it.
    fn open(&self) -> Store {
        match self {
            Place::File(dir) => Store::open(&dir.path().join("feed.db")).unwrap(),
            Place::Server(db, data) => Store::open_server(db.url(), &data.path().join("joinedup/servers")).unwrap(),
        }
    }
}

/// Start `joinedup listen` on a free port; its child and address (read from
/// its stderr, which is then drained so that it never blocks).
fn start(place: &Place) -> (Child, SocketAddr) {
    let mut child = place
        .joinedup()
        .args(["listen", "--mllp", "127.0.0.1:0"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let address = loop {
        let line = lines.next().expect("the listener said where it listens").unwrap();
        if let Some(a) = line.strip_prefix("joinedup: listening for HL7 v2 over MLLP on ") {
            break a.trim().parse().unwrap();
        }
    };
    std::thread::spawn(move || for _ in lines {});
    (child, address)
}

/// A small deterministic generator (xorshift), so a failing run can be repeated.
struct Random(u64);

impl Random {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

/// What the sender knows: where the listener is now, and the ACKs it has had.
struct Shared {
    address: Option<SocketAddr>,
    acks: Vec<u32>,
}

/// Send every message until each is acknowledged, resending (in order) what was
/// not after any failure; true when done.
fn sender(all: Vec<(String, String)>, shared: Arc<Mutex<Shared>>, deadline: Instant) -> bool {
    let mut next = 0;
    while next < all.len() {
        if Instant::now() > deadline {
            return false;
        }
        let address = shared.lock().unwrap().address;
        let Some(mut c) = address.and_then(|a| TcpStream::connect_timeout(&a, Duration::from_millis(200)).ok()) else {
            std::thread::sleep(Duration::from_millis(20));
            continue;
        };
        c.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        // One connection: windows of messages, then their ACKs, until it fails.
        while next < all.len() {
            let window = &all[next..(next + WINDOW).min(all.len())];
            let bytes: Vec<u8> = window.iter().flat_map(|(_, m)| frame(m.as_bytes())).collect();
            if c.write_all(&bytes).is_err() {
                break;
            }
            let Some(acks) = read_acks(&mut c, window.len()) else {
                break;
            };
            let whole = acks.len() == window.len();
            for (id, code) in acks {
                assert_eq!(code, "AA", "{id}");
                assert_eq!(id, all[next].0, "ACKs come in order");
                shared.lock().unwrap().acks[next] += 1;
                next += 1;
            }
            if !whole {
                break;
            }
            std::thread::sleep(PAUSE);
        }
    }
    true
}

/// Up to `n` ACKs (control id, code); `None` when the connection fails before any.
fn read_acks(c: &mut TcpStream, n: usize) -> Option<Vec<(String, String)>> {
    let (mut got, mut acks, mut buf) = (Vec::new(), Vec::new(), [0u8; 4096]);
    while acks.len() < n {
        let k = match c.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(k) => k,
        };
        got.extend_from_slice(&buf[..k]);
        while let Some(end) = got.windows(2).position(|w| w == [0x1c, 0x0d]) {
            let ack = String::from_utf8(got.drain(..end + 2).collect()).unwrap();
            let msa = ack.split('\r').find(|l| l.starts_with("MSA|")).unwrap();
            let f: Vec<&str> = msa.split('|').collect();
            acks.push((f[2].to_owned(), f[1].to_owned()));
        }
    }
    (!acks.is_empty()).then_some(acks)
}

#[test]
fn sigkill_twenty_times_loses_nothing_acknowledged_and_applies_nothing_twice() {
    sigkill_twenty_times(Place::File(tempfile::tempdir().unwrap()));
}

#[test]
fn on_postgresql_sigkill_twenty_times_loses_nothing_acknowledged_and_applies_nothing_twice() {
    if let Some(db) = ScratchDatabase::create("feed_crash") {
        sigkill_twenty_times(Place::Server(db, tempfile::tempdir().unwrap()));
    }
}

fn sigkill_twenty_times(place: Place) {
    // The database and its audit key exist before the first kill: what is tested
    // here is the feed, not a kill while a new database is being made.
    drop(place.open());
    let all = messages();
    let n = all.len();
    let shared = Arc::new(Mutex::new(Shared {
        address: None,
        acks: vec![0; n],
    }));
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64
        | 1;
    eprintln!("seed {seed}");
    let mut random = Random(seed);
    let send = {
        let shared = shared.clone();
        let deadline = Instant::now() + Duration::from_secs(120);
        std::thread::spawn(move || sender(all, shared, deadline))
    };
    let mut acked_at_kills = Vec::new();
    let started = Instant::now();
    for _ in 0..KILLS {
        let (mut child, address) = start(&place);
        shared.lock().unwrap().address = Some(address);
        std::thread::sleep(Duration::from_millis(10 + random.below(150)));
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        let mut s = shared.lock().unwrap();
        s.address = None;
        acked_at_kills.push(s.acks.iter().filter(|&&a| a > 0).count());
    }
    eprintln!(
        "messages acknowledged at each kill: {acked_at_kills:?} ({:?} for the kills)",
        started.elapsed()
    );
    // A last listener that is left alone until the sender is done.
    let (mut child, address) = start(&place);
    shared.lock().unwrap().address = Some(address);
    let done = send.join().unwrap();
    child.kill().unwrap();
    child.wait().unwrap();
    let acks = shared.lock().unwrap().acks.clone();
    assert!(
        acked_at_kills.iter().filter(|&&a| a < n).count() >= KILLS / 2,
        "most kills came while messages were unacknowledged: {acked_at_kills:?}"
    );
    assert!(done, "the sender got an ACK for every message in time");
    assert!(acks.iter().all(|&a| a == 1), "one ACK each: {acks:?}");

    let store = place.open();
    let c = store.connection();
    let one = |sql: &str| -> i64 { c.query_row(sql, [], |r| r.get(0)).unwrap() };
    // Every message stored, each exactly once.
    assert_eq!(
        one("SELECT count(*) FROM feed_message WHERE outcome = 'stored'"),
        n as i64
    );
    assert_eq!(one("SELECT count(DISTINCT control_id) FROM feed_message"), n as i64);
    assert_eq!(one("SELECT count(*) FROM feed_message"), n as i64);
    assert_eq!(one("SELECT count(*) FROM import_run"), n as i64);
    assert_eq!(one("SELECT count(*) FROM hospital_spell"), PEOPLE as i64);
    assert_eq!(one("SELECT count(*) FROM person"), PEOPLE as i64);
    assert_eq!(
        one("SELECT count(*) FROM episode WHERE kind = 'inpatient_spell' AND \"end\" IS NOT NULL"),
        PEOPLE as i64
    );
    assert_eq!(
        one("SELECT count(*) FROM audit_event WHERE action = 'import'"),
        n as i64
    );
    // Each receipt names its own import run, and each run's audit event names it.
    assert_eq!(
        one("SELECT count(DISTINCT f.import_run_id) FROM feed_message f JOIN import_run r ON r.id = f.import_run_id"),
        n as i64
    );
    assert_eq!(
        one(
            "SELECT count(*) FROM import_run r WHERE NOT EXISTS (SELECT 1 FROM audit_event a
             WHERE a.action = 'import' AND a.detail LIKE '%(import run #' || r.id || ')%')"
        ),
        0
    );
    match &place {
        Place::File(_) => {
            let integrity: String = c.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
            assert_eq!(integrity, "ok");
        }
        Place::Server(..) => {
            // No row refers to one that is not there.
            for orphans in [
                "SELECT count(*) FROM episode e LEFT JOIN person p ON p.id = e.person_id WHERE p.id IS NULL",
                "SELECT count(*) FROM episode e LEFT JOIN import_run r ON r.id = e.import_run_id WHERE r.id IS NULL",
                "SELECT count(*) FROM hospital_spell s LEFT JOIN episode e ON e.id = s.episode_id WHERE e.id IS NULL",
                "SELECT count(*) FROM person_demographics d LEFT JOIN person p ON p.id = d.person_id WHERE p.id IS NULL",
            ] {
                assert_eq!(one(orphans), 0, "{orphans}");
            }
        }
    }
    drop(store);
    let verify = place.joinedup().args(["audit", "verify"]).output().unwrap();
    assert!(
        verify.status.success(),
        "{}{}",
        String::from_utf8_lossy(&verify.stdout),
        String::from_utf8_lossy(&verify.stderr)
    );
}
