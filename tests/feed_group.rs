//! Group commit of a live feed's messages (`Service::receive_hl7_group`, the
//! listener's store loop), on both engines: the messages that arrive together
//! share one transaction, and each keeps its own outcome. A message the store
//! refuses is undone alone (its savepoint) while the others stay; the same
//! control id twice in one group is stored once; a store failure keeps nothing
//! of the group; frames pipelined on one connection are grouped and each is
//! acknowledged, in order, after the commit.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use chrono::NaiveDateTime;
use joinedup::domain::dates::parse_date_time;
use joinedup::domain::governance::{Actor, Role};
use joinedup::feed::mllp::frame;
use joinedup::feed::{Listener, ListenerOptions};
use joinedup::service::{Received, Service};
use joinedup::store::{AuditOutcome, FeedOutcome, ScratchDatabase, Store};

fn adt(event: &str, control: &str, pid: &str, visit: &str) -> String {
    format!(
        "MSH|^~\\&|PAS|NGH|JOINEDUP|WM|202610021705||ADT^{event}|{control}|P|2.4\r{pid}\rPV1|1|I|OAK^^BED1^NGH|21|||||||||||||||{visit}^^^VISITID|||||||||||||||||||||||||202610022105\r"
    )
}

const HAROLD: &str = "PID|1||9990000026^^^NHS^NH||BENNETT^HAROLD";
const EDITH: &str = "PID|1||9990000034^^^NHS^NH||CLARKE^EDITH";
const ORU: &str = "MSH|^~\\&|LAB|NGH|JOINEDUP|WM|202610200930||ORU^R01^ORU_R01|G4|P|2.4\rPID|1||9990000026^^^NHS^NH||BENNETT^HAROLD\rOBR|1\r";
const NO_PID: &str = "MSH|^~\\&|PAS|NGH|JOINEDUP|WM|202610210930||ADT^A01^ADT_A01|G3|P|2.4\rPV1|1|I|OAK^^^NGH|22\r";

fn now() -> NaiveDateTime {
    parse_date_time("2026-10-20T09:00").unwrap()
}

fn service(store: Store) -> Service {
    let actor = Actor {
        user: "feed".into(),
        role: Some(Role::Tester),
    };
    Service::new(store, actor, false).unwrap()
}

fn count(s: &Service, sql: &str) -> i64 {
    s.store().connection().query_row(sql, [], |r| r.get(0)).unwrap()
}

macro_rules! on_both_engines {
    (fn $name:ident($store:ident) $body:block) => {
        mod $name {
            use super::*;

            fn body($store: &dyn Fn() -> Store) $body

            #[test]
            fn sqlite() {
                let dir = tempfile::tempdir().unwrap();
                let path = dir.path().join("feed.db");
                body(&|| Store::open(&path).unwrap())
            }

            #[test]
            fn postgres() {
                if let Some(db) = ScratchDatabase::create(stringify!($name)) {
                    let keys = tempfile::tempdir().unwrap();
                    body(&|| Store::open_server(db.url(), keys.path()).unwrap())
                }
            }
        }
    };
}

on_both_engines! {
    fn each_message_of_a_group_keeps_its_own_outcome(store) {
        let mut s = service(store());
        let first = adt("A01", "G1", HAROLD, "V1");
        // Edith on Harold's visit: the store refuses it after writing some of it.
        let wrong_person = adt("A01", "G2", EDITH, "V1");
        let edith = adt("A01", "G5", EDITH, "V2");
        let group = [first.as_str(), first.as_str(), wrong_person.as_str(), NO_PID, ORU, edith.as_str(), "not HL7"];
        let got = s.receive_hl7_group("test", &group, now()).unwrap();
        assert!(matches!(got[0], Received::Stored(_)), "{got:?}");
        assert_eq!(got[1], Received::Again(FeedOutcome::Stored, None), "the same control id twice in a group is stored once");
        assert!(matches!(&got[2], Received::Rejected(why) if why.contains("another person")), "{got:?}");
        assert!(matches!(got[3], Received::Rejected(_)), "{got:?}");
        assert!(matches!(got[4], Received::Skipped(_)), "{got:?}");
        assert!(matches!(got[5], Received::Stored(_)), "{got:?}");
        assert!(matches!(got[6], Received::Unreadable(_)), "{got:?}");
        // One receipt per message read, one import run per message stored.
        assert_eq!(count(&s, "SELECT count(*) FROM feed_message"), 5);
        assert_eq!(count(&s, "SELECT count(*) FROM import_run"), 2);
        assert_eq!(count(&s, "SELECT count(*) FROM hospital_spell"), 2);
        // Nothing of the refused message stayed: V1 is Harold's alone.
        assert_eq!(count(&s, "SELECT count(*) FROM episode WHERE source_ref = 'NGH|V1'"), 1);
        let rejected = s.store().rejected_feed_messages(10).unwrap();
        assert_eq!(rejected.iter().map(|m| m.control_id.as_str()).collect::<Vec<_>>(), ["G3", "G2"]);
        assert_eq!(rejected[1].text.as_deref(), Some(wrong_person.as_str()));
        // Each message's own audit event, in the group's transaction.
        assert_eq!(count(&s, "SELECT count(*) FROM audit_event WHERE action = 'import'"), 2);
        assert_eq!(count(&s, "SELECT count(*) FROM audit_event WHERE action = 'feed_not_stored'"), 3);
        let report = s.verify_audit().unwrap();
        assert!(report.outcome() == AuditOutcome::Intact, "{:?}", report.lines());
        // The whole group again (its ACKs were lost): answered as then, nothing added.
        let again = s.receive_hl7_group("test", &group, now()).unwrap();
        assert!(again[..6].iter().all(|r| matches!(r, Received::Again(..))), "{again:?}");
        assert_eq!(count(&s, "SELECT count(*) FROM feed_message"), 5);
        assert_eq!(count(&s, "SELECT count(*) FROM import_run"), 2);
    }
}

/// A store failure (here a trigger standing in for a full disk) fails the whole
/// group: nothing of it is kept, not even the messages before the failing one.
#[test]
fn a_store_failure_keeps_nothing_of_the_group() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = service(Store::open(&dir.path().join("feed.db")).unwrap());
    s.store()
        .connection()
        .execute_batch(
            "CREATE TEMP TRIGGER full_disk BEFORE INSERT ON main.feed_message WHEN NEW.control_id = 'F2'
             BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END;",
        )
        .unwrap();
    let (one, two) = (adt("A01", "F1", HAROLD, "V1"), adt("A01", "F2", EDITH, "V2"));
    assert!(s.receive_hl7_group("test", &[&one, &two], now()).is_err());
    assert_eq!(count(&s, "SELECT count(*) FROM feed_message"), 0);
    assert_eq!(count(&s, "SELECT count(*) FROM episode"), 0);
    assert_eq!(count(&s, "SELECT count(*) FROM audit_event WHERE action = 'import'"), 0);
    // Sent again once the disk has room: both stored.
    s.store().connection().execute_batch("DROP TRIGGER full_disk").unwrap();
    let got = s.receive_hl7_group("test", &[&one, &two], now()).unwrap();
    assert!(got.iter().all(|r| matches!(r, Received::Stored(_))), "{got:?}");
    assert!(s.verify_audit().unwrap().outcome() == AuditOutcome::Intact);
}

/// Read `n` framed ACKs, however they arrive; each one's MSA code and control id.
fn read_acks(c: &mut TcpStream, n: usize) -> Vec<(String, String)> {
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    let mut acks = Vec::new();
    while acks.len() < n {
        let k = c.read(&mut buf).unwrap();
        assert!(k > 0, "closed before {n} ACKs");
        got.extend_from_slice(&buf[..k]);
        while let Some(end) = got.windows(2).position(|w| w == [0x1c, 0x0d]) {
            let ack = String::from_utf8(got.drain(..end + 2).collect()).unwrap();
            let msa = ack.split('\r').find(|l| l.starts_with("MSA|")).unwrap();
            let f: Vec<&str> = msa.split('|').collect();
            acks.push((f[1].to_owned(), f[2].to_owned()));
        }
    }
    acks
}

on_both_engines! {
    fn pipelined_frames_share_groups_and_are_acked_in_order(store) {
        let listener = Listener::bind("127.0.0.1:0", ListenerOptions::default()).unwrap();
        let address = listener.local_addr().unwrap();
        let stop = Arc::new(AtomicBool::new(false));
        let (s, flag) = (service(store()), stop.clone());
        let server = std::thread::spawn(move || listener.serve(s, flag).unwrap());
        let numbers = joinedup::generate::nhs_numbers(7, 40).unwrap();
        let mut all = Vec::new();
        for (i, n) in numbers.iter().enumerate() {
            all.extend(frame(adt("A01", &format!("P{i}"), &format!("PID|1||{}^^^NHS^NH||TEST^P{i}", n.digits()), &format!("V{i}")).as_bytes()));
        }
        // The last one twice: the resend in the same read is stored once.
        all.extend(frame(adt("A01", "P39", &format!("PID|1||{}^^^NHS^NH||TEST^P39", numbers[39].digits()), "V39").as_bytes()));
        let mut c = TcpStream::connect(address).unwrap();
        c.set_read_timeout(Some(std::time::Duration::from_secs(20))).unwrap();
        c.write_all(&all).unwrap();
        let acks = read_acks(&mut c, 41);
        let expected: Vec<(String, String)> =
            (0..40).chain([39]).map(|i| ("AA".to_owned(), format!("P{i}"))).collect();
        assert_eq!(acks, expected);
        drop(c);
        stop.store(true, Ordering::SeqCst);
        let counts = server.join().unwrap();
        assert_eq!((counts.stored, counts.again), (40, 1), "{counts:?}");
        assert!(counts.groups < 41 && counts.largest_group > 1, "frames of one read share groups: {counts:?}");
        let reader = service(store());
        assert_eq!(count(&reader, "SELECT count(*) FROM hospital_spell"), 40);
        assert!(reader.verify_audit().unwrap().outcome() == AuditOutcome::Intact);
    }
}
