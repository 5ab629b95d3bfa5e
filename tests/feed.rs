//! The MLLP listener on loopback, on both engines: a message is acknowledged after
//! it is stored and a resend is never applied twice; types the record does not keep
//! are acknowledged and counted; invalid content is `AE` with an `ERR` segment and
//! kept among the rejected messages while the feed goes on; a frame that cannot be
//! read, or is too long, is `AR`; garbage between frames is skipped; several
//! connections at once; SIGTERM finishes and stops.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use joinedup::domain::governance::{Actor, Role};
use joinedup::feed::mllp::frame;
use joinedup::feed::{FeedCounts, Listener, ListenerOptions};
use joinedup::service::Service;
use joinedup::store::{ScratchDatabase, Store};

const A01: &str = "MSH|^~\\&|PAS|NGH|JOINEDUP|WM|202610021705||ADT^A01^ADT_A01|M1|P|2.4\rEVN|A01|202610022105\rPID|1||NG12345^^^NGH^MR~9990000026^^^NHS^NH||BENNETT^HAROLD^^^MR||19380930|M\rPV1|1|I|BIRCH^^BED4^NGH|21||||||||||19|||||V1001^^^VISITID|||||||||||||||||||||||||202610022105\r";
const A03: &str = "MSH|^~\\&|PAS|NGH|JOINEDUP|WM|202610161500||ADT^A03^ADT_A03|M3|P|2.4\rPID|1||9990000026^^^NHS||BENNETT^HAROLD\rPV1|1|I|ELM^^BED1^NGH|21||||||||||19|||||V1001^^^VISITID|||||||||||||||||1|19|||||||202610022105|202610161500\r";
const ORU: &str = "MSH|^~\\&|LAB|NGH|JOINEDUP|WM|202610200930||ORU^R01^ORU_R01|M7|P|2.4\rPID|1||9990000026^^^NHS^NH||BENNETT^HAROLD\rOBR|1\r";
const NO_PID: &str = "MSH|^~\\&|PAS|NGH|JOINEDUP|WM|202610210930||ADT^A01^ADT_A01|M8|P|2.4\rPV1|1|I|OAK^^^NGH|22\r";

/// Where the feed's database is, and a second client to look at it with.
enum Place {
    File(tempfile::TempDir),
    Server(ScratchDatabase, Vec<tempfile::TempDir>),
}

impl Place {
    fn store(&mut self) -> Store {
        match self {
            Place::File(dir) => Store::open(&dir.path().join("feed.db")).unwrap(),
            Place::Server(db, keys) => {
                let dir = tempfile::tempdir().unwrap();
                let store = Store::open_server(db.url(), dir.path()).unwrap();
                keys.push(dir);
                store
            }
        }
    }

    fn service(&mut self) -> Service {
        let actor = Actor {
            user: "feed".into(),
            role: Some(Role::Tester),
        };
        Service::new(self.store(), actor, false).unwrap()
    }
}

/// A running listener and how to stop it.
struct Running {
    address: String,
    stop: Arc<AtomicBool>,
    thread: std::thread::JoinHandle<FeedCounts>,
}

impl Running {
    fn start(place: &mut Place, options: ListenerOptions) -> Self {
        let listener = Listener::bind("127.0.0.1:0", options).unwrap();
        let address = listener.local_addr().unwrap().to_string();
        let stop = Arc::new(AtomicBool::new(false));
        let service = place.service();
        let s = stop.clone();
        let thread = std::thread::spawn(move || listener.serve(service, s).unwrap());
        Self { address, stop, thread }
    }

    fn connect(&self) -> TcpStream {
        let s = TcpStream::connect(&self.address).unwrap();
        s.set_read_timeout(Some(std::time::Duration::from_secs(20))).unwrap();
        s
    }

    fn stop(self) -> FeedCounts {
        self.stop.store(true, Ordering::SeqCst);
        self.thread.join().unwrap()
    }
}

/// Send `bytes` and read one framed acknowledgement (without its framing).
fn exchange(s: &mut TcpStream, bytes: &[u8]) -> String {
    s.write_all(bytes).unwrap();
    read_ack(s)
}

/// Read one framed acknowledgement (without its framing).
fn read_ack(s: &mut TcpStream) -> String {
    let mut got = Vec::new();
    let mut b = [0u8; 1];
    while !got.ends_with(&[0x1c, 0x0d]) {
        assert_eq!(s.read(&mut b).unwrap(), 1, "the connection closed before an ACK");
        got.push(b[0]);
    }
    assert_eq!(got[0], 0x0b, "an ACK is framed");
    String::from_utf8(got[1..got.len() - 2].to_vec()).unwrap()
}

/// An acknowledgement's segment `name`, if it has one.
fn segment<'a>(ack: &'a str, name: &str) -> Option<&'a str> {
    ack.split('\r').find(|l| l.starts_with(&format!("{name}|")))
}

fn msa(ack: &str) -> Vec<String> {
    let line = ack.split('\r').find(|l| l.starts_with("MSA|")).expect("an MSA segment");
    line.split('|').map(str::to_owned).collect()
}

fn count(s: &Service, sql: &str) -> i64 {
    s.store().connection().query_row(sql, [], |r| r.get(0)).unwrap()
}

macro_rules! on_both_engines {
    (fn $name:ident($place:ident) $body:block) => {
        mod $name {
            use super::*;

            fn body(mut $place: Place) $body

            #[test]
            fn sqlite() {
                body(Place::File(tempfile::tempdir().unwrap()))
            }

            #[test]
            fn postgres() {
                if let Some(db) = ScratchDatabase::create(stringify!($name)) {
                    body(Place::Server(db, Vec::new()))
                }
            }
        }
    };
}

on_both_engines! {
    fn a_message_is_acked_once_stored_and_a_resend_is_not_applied_twice(place) {
        let feed = Running::start(&mut place, ListenerOptions::default());
        let mut c = feed.connect();
        let ack = exchange(&mut c, &frame(A01.as_bytes()));
        assert_eq!(msa(&ack)[..3], ["MSA", "AA", "M1"], "{ack}");
        assert!(ack.starts_with("MSH|^~\\&|JOINEDUP|JOINEDUP|PAS|NGH|"), "{ack}");
        assert!(ack.contains("|ACK^A01^ACK|"), "{ack}");
        // Acknowledged means committed: another client sees it at once.
        let reader = place.service();
        let spells = "SELECT count(*) FROM hospital_spell";
        assert_eq!(count(&reader, spells), 1);
        let items = count(&reader, "SELECT count(*) FROM episode");
        // The ACK was lost; the sender sends M1 again: answered the same, not applied again.
        let again = exchange(&mut c, &frame(A01.as_bytes()));
        assert_eq!(msa(&again)[..3], ["MSA", "AA", "M1"]);
        assert_eq!(count(&reader, "SELECT count(*) FROM episode"), items);
        assert_eq!(count(&reader, "SELECT count(*) FROM import_run"), 1);
        // The discharge ends the same spell.
        assert_eq!(msa(&exchange(&mut c, &frame(A03.as_bytes())))[1], "AA");
        assert_eq!(count(&reader, spells), 1);
        assert_eq!(count(&reader, "SELECT count(*) FROM episode WHERE kind = 'inpatient_spell' AND \"end\" IS NOT NULL"), 1);
        // A result message: acknowledged, counted, not kept.
        assert_eq!(msa(&exchange(&mut c, &frame(ORU.as_bytes())))[..3], ["MSA", "AA", "M7"]);
        assert_eq!(count(&reader, "SELECT count(*) FROM feed_message WHERE outcome = 'skipped'"), 1);
        drop(c);
        let counts = feed.stop();
        assert_eq!((counts.stored, counts.again, counts.skipped), (2, 1, 1), "{counts:?}");
        let report = reader.verify_audit().unwrap();
        assert!(report.outcome() == joinedup::store::AuditOutcome::Intact, "{:?}", report.lines());
    }
}

on_both_engines! {
    fn invalid_content_is_ae_with_err_and_kept_while_the_feed_goes_on(place) {
        let feed = Running::start(&mut place, ListenerOptions::default());
        let mut c = feed.connect();
        let ack = exchange(&mut c, &frame(NO_PID.as_bytes()));
        let m = msa(&ack);
        assert_eq!(m[..3], ["MSA", "AE", "M8"], "{ack}");
        let err = ack.split('\r').find(|l| l.starts_with("ERR|")).expect("an ERR segment");
        // No PID segment: HL7 table 0357's 100 (a required segment missing), at PID.
        assert!(err.starts_with("ERR|PID^^^100&Segment sequence error&HL70357|PID|100^Segment sequence error^HL70357|E|"), "{err}");
        let reader = place.service();
        let rejected = reader.store().rejected_feed_messages(10).unwrap();
        assert_eq!(rejected.len(), 1);
        assert_eq!(rejected[0].control_id, "M8");
        assert_eq!(rejected[0].text.as_deref(), Some(NO_PID));
        // Sent again: the same answer, still one kept.
        assert_eq!(msa(&exchange(&mut c, &frame(NO_PID.as_bytes())))[1], "AE");
        assert_eq!(reader.store().rejected_feed_messages(10).unwrap().len(), 1);
        // The feed goes on.
        assert_eq!(msa(&exchange(&mut c, &frame(A01.as_bytes())))[1], "AA");
        drop(c);
        let counts = feed.stop();
        assert_eq!((counts.rejected, counts.again, counts.stored), (1, 1, 1), "{counts:?}");
    }
}

on_both_engines! {
    fn a_frame_ended_by_fs_alone_is_acknowledged_once_the_sender_waits(place) {
        let feed = Running::start(&mut place, ListenerOptions::default());
        let mut c = feed.connect();
        // The sender leaves out the final CR and waits for the ACK.
        let ack = exchange(&mut c, &[b"\x0b", A01.as_bytes(), b"\x1c"].concat());
        assert_eq!(msa(&ack)[..3], ["MSA", "AA", "M1"], "{ack}");
        // Without the CR and the next frame at once (garbage between frames still
        // skipped): each answered, in order.
        let two = [b"\x0b", A03.as_bytes(), b"\x1c", &frame(ORU.as_bytes()), b"junk"].concat();
        assert_eq!(msa(&exchange(&mut c, &two))[..3], ["MSA", "AA", "M3"]);
        assert_eq!(msa(&read_ack(&mut c))[..3], ["MSA", "AA", "M7"]);
        let reader = place.service();
        assert_eq!(count(&reader, "SELECT count(*) FROM episode WHERE \"end\" IS NOT NULL"), 1);
        drop(c);
        let counts = feed.stop();
        assert_eq!((counts.stored, counts.skipped, counts.garbage_bytes), (2, 1, 4), "{counts:?}");
    }
}

on_both_engines! {
    fn ack_control_ids_are_new_after_a_restart(place) {
        let mut ids = Vec::new();
        for control in ["R1", "R2"] {
            let feed = Running::start(&mut place, ListenerOptions::default());
            let mut c = feed.connect();
            for _ in 0..2 {
                let ack = exchange(&mut c, &frame(A01.replace("|M1|", &format!("|{control}|")).as_bytes()));
                let msh = segment(&ack, "MSH").expect("an MSH segment");
                ids.push(msh.split('|').nth(9).unwrap().to_owned());
            }
            drop(c);
            feed.stop();
        }
        let distinct: std::collections::HashSet<&String> = ids.iter().collect();
        assert_eq!(distinct.len(), 4, "each ACK its own MSH-10, across the restart: {ids:?}");
        assert!(ids.iter().all(|id| id.len() <= 20), "{ids:?}");
    }
}

/// An admission whose labelled NHS number fails its check digit, beside the hospital's number.
const BAD_NHS: &str = "MSH|^~\\&|PAS|NGH|JOINEDUP|WM|202610021705||ADT^A28^ADT_A05|W1|P|2.4\rPID|1||NG777^^^NGH^MR~1234567890^^^NHS^NH||SHAW^EDITH\r";

on_both_engines! {
    fn invalid_identity_data_is_said_in_the_ack_and_never_filed_under_a_guess(place) {
        let feed = Running::start(&mut place, ListenerOptions::default());
        let mut c = feed.connect();
        // Filed under the hospital's number (the NHS number left out), with a warning.
        let ack = exchange(&mut c, &frame(BAD_NHS.as_bytes()));
        assert_eq!(msa(&ack)[..3], ["MSA", "AA", "W1"], "{ack}");
        let err = segment(&ack, "ERR").expect("an ERR segment for the warning");
        assert!(err.starts_with("ERR|PID^1^3^102&Data type error&HL70357|PID^1^3|102^Data type error^HL70357|W|"), "{err}");
        assert!(err.contains("is not valid"), "{err}");
        let reader = place.service();
        assert_eq!(count(&reader, "SELECT count(*) FROM person WHERE nhs_number IS NULL"), 1);
        assert_eq!(count(&reader, "SELECT count(*) FROM person"), 1);
        let warned = "SELECT count(*) FROM feed_message WHERE control_id = 'W1' AND outcome = 'stored' AND reason LIKE 'PID-3: NHS number%not valid%'";
        assert_eq!(count(&reader, warned), 1, "the warning kept with the receipt");
        // Sent again: the same warning.
        let again = exchange(&mut c, &frame(BAD_NHS.as_bytes()));
        assert!(segment(&again, "ERR").is_some_and(|e| e.contains("|W|")), "{again}");
        // The invalid NHS number the only id: not filed at all (AE), no one created.
        let only = BAD_NHS.replace("|W1|", "|W2|").replace("NG777^^^NGH^MR~", "");
        let ack = exchange(&mut c, &frame(only.as_bytes()));
        assert_eq!(msa(&ack)[..3], ["MSA", "AE", "W2"], "{ack}");
        let err = segment(&ack, "ERR").expect("an ERR segment");
        assert!(err.starts_with("ERR|PID^1^3^102&Data type error&HL70357|PID^1^3|102^Data type error^HL70357|E|"), "{err}");
        assert_eq!(count(&reader, "SELECT count(*) FROM person"), 1);
        assert_eq!(reader.store().rejected_feed_messages(10).unwrap().len(), 1);
        // The Sources screen's feeds panel: one warned (listed, with why), one sent again.
        let warned = reader.store().warned_feed_messages(10).unwrap();
        assert_eq!(warned.len(), 1, "{warned:?}");
        assert_eq!(warned[0].control_id, "W1");
        assert!(warned[0].reason.as_deref().is_some_and(|r| r.contains("is not valid")), "{warned:?}");
        let summary = &reader.store().feed_summaries(chrono::NaiveDate::from_ymd_opt(2000, 1, 1).unwrap().into()).unwrap()[0];
        assert_eq!((summary.total, summary.warned, summary.repeats, summary.rejected), (2, 1, 1, 1), "{summary:?}");
        drop(c);
        let counts = feed.stop();
        assert_eq!((counts.stored, counts.again, counts.rejected), (1, 1, 1), "{counts:?}");
    }
}

on_both_engines! {
    fn unreadable_or_oversized_frames_are_ar_and_garbage_is_skipped(place) {
        let feed = Running::start(&mut place, ListenerOptions {
                max_frame: 400,
                ..Default::default()
            });
        let mut c = feed.connect();
        let ack = exchange(&mut c, &[b"\r\n\x00junk".as_slice(), &frame(b"hello, not HL7")].concat());
        assert_eq!(msa(&ack)[..2], ["MSA", "AR"], "{ack}");
        let big = format!("{A01}NTE|1||{}\r", "x".repeat(1000));
        let ack = exchange(&mut c, &frame(big.as_bytes()));
        let m = msa(&ack);
        assert_eq!(m[..3], ["MSA", "AR", "M1"], "its header was still read: {ack}");
        assert!(m[3].contains("longer than this server takes (400 bytes)"), "{ack}");
        // Nothing of either was kept; the next message goes in.
        let reader = place.service();
        assert_eq!(count(&reader, "SELECT count(*) FROM episode"), 0);
        assert_eq!(msa(&exchange(&mut c, &frame(A01.as_bytes())))[1], "AA");
        drop(c);
        let counts = feed.stop();
        assert_eq!((counts.unreadable, counts.stored, counts.garbage_bytes), (2, 1, 7), "{counts:?}");
    }
}

on_both_engines! {
    fn several_connections_at_once_each_get_their_own_acks(place) {
        let feed = Running::start(&mut place, ListenerOptions::default());
        let senders: Vec<_> = (0..4)
            .map(|t| {
                let mut c = feed.connect();
                std::thread::spawn(move || {
                    for i in 0..15 {
                        let id = format!("T{t}-{i}");
                        let visit = format!("V{t}{i:03}");
                        let m = A01.replace("|M1|", &format!("|{id}|")).replace("V1001", &visit);
                        let ack = exchange(&mut c, &frame(m.as_bytes()));
                        assert_eq!(msa(&ack)[..3], ["MSA".to_owned(), "AA".to_owned(), id.clone()], "{ack}");
                    }
                })
            })
            .collect();
        for s in senders {
            s.join().unwrap();
        }
        let reader = place.service();
        assert_eq!(count(&reader, "SELECT count(*) FROM hospital_spell"), 60);
        let counts = feed.stop();
        assert_eq!((counts.connections, counts.stored), (4, 60), "{counts:?}");
    }
}

#[cfg(unix)]
#[test]
fn sigterm_finishes_the_message_in_hand_and_stops() {
    use std::io::BufRead;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("feed.db");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_joinedup"))
        .arg("--db")
        .arg(&db)
        .args(["--role", "tester", "listen", "--mllp", "127.0.0.1:0"])
        .env("HOME", dir.path())
        .env("XDG_DATA_HOME", dir.path())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = std::io::BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    stderr.read_line(&mut line).unwrap();
    let address = line.trim().rsplit(' ').next().unwrap().to_owned();
    assert!(line.contains("listening for HL7 v2 over MLLP on 127.0.0.1:"), "{line}");
    let mut c = TcpStream::connect(&address).unwrap();
    c.set_read_timeout(Some(std::time::Duration::from_secs(20))).unwrap();
    assert_eq!(msa(&exchange(&mut c, &frame(A01.as_bytes())))[1], "AA");
    // SAFETY: sending a signal to our own child process.
    unsafe { libc_kill(child.id() as i32, 15) };
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{:?}", out.status);
    let counts: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(counts["stored"], 1, "{counts}");
    let store = Store::open(&db).unwrap();
    let spells: i64 = store
        .connection()
        .query_row("SELECT count(*) FROM hospital_spell", [], |r| r.get(0))
        .unwrap();
    assert_eq!(spells, 1);
}

#[cfg(unix)]
unsafe extern "C" {
    #[link_name = "kill"]
    fn libc_kill(pid: i32, sig: i32) -> i32;
}

/// The Sources screen's feeds panel: the feed's counts, and its rejected messages
/// by sender, id and reason, never their text (which names a person).
#[test]
fn the_sources_screen_shows_the_feed_and_its_rejections_without_their_text() {
    use egui_kittest::kittest::Queryable;
    let mut place = Place::File(tempfile::tempdir().unwrap());
    let feed = Running::start(&mut place, ListenerOptions::default());
    let mut c = feed.connect();
    let named = "MSH|^~\\&|PAS|NGH|JOINEDUP|WM|202610210930||ADT^A01^ADT_A01|M9|P|2.4\rPID|1||9990000026^^^NHS^NH||SECRETNAME^PERSON\r";
    assert_eq!(msa(&exchange(&mut c, &frame(named.as_bytes())))[1], "AE");
    assert_eq!(msa(&exchange(&mut c, &frame(A01.as_bytes())))[1], "AA");
    assert_eq!(msa(&exchange(&mut c, &frame(ORU.as_bytes())))[1], "AA");
    assert_eq!(msa(&exchange(&mut c, &frame(A01.as_bytes())))[1], "AA", "sent again");
    assert_eq!(
        msa(&exchange(&mut c, &frame(BAD_NHS.as_bytes())))[1],
        "AA",
        "stored, warned"
    );
    drop(c);
    feed.stop();
    let mut h = common::harness_with(place.store(), common::config(false, Role::CareCoordinator));
    common::wait_until(&mut h, "the overview", |a| {
        a.overview().is_some_and(|o| !o.feeds.is_empty())
    });
    h.get_by_label("Sources and data quality").click();
    common::wait_until(&mut h, "the sources screen", |a| {
        a.screen() == joinedup::ui::Screen::Sources
    });
    h.get_by_label("Live feeds");
    h.get_by_label("Rejected messages (1)").click();
    for _ in 0..3 {
        h.step();
    }
    h.get_by_label("ADT^A01^ADT_A01 M9");
    h.get_by_label("Sent again");
    h.get_by_label("Stored with an identity warning (1)").click();
    for _ in 0..3 {
        h.step();
    }
    h.get_by_label("ADT^A28^ADT_A05 W1");
    // The value the warning quotes (one digit from someone's NHS number) is not shown
    // to a care coordinator: the reason reads as the audit log keeps it.
    let warned = &h.state().overview().unwrap().warned_messages;
    let why = warned[0].reason.as_deref().unwrap_or("");
    assert!(why.contains("NHS number \"…\" is not valid"), "{why}");
    assert!(h.query_by_label_contains("1234567890").is_none(), "{why}");
    let feeds = &h.state().overview().unwrap().feeds;
    assert_eq!(
        (
            feeds[0].total,
            feeds[0].skipped,
            feeds[0].rejected,
            feeds[0].repeats,
            feeds[0].warned
        ),
        (4, 1, 1, 1, 1)
    );
    assert!(
        h.query_by_label_contains("SECRETNAME").is_none(),
        "a rejected message's text is not shown"
    );
    assert!(
        h.state()
            .overview()
            .unwrap()
            .rejected_messages
            .iter()
            .all(|m| m.text.is_none())
    );
}
