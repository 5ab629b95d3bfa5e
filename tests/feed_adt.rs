//! ADT message sequences through the live feed's service (`receive_hl7`), one
//! message per transaction as the listener sends them, on both engines: the stored
//! record matches what the sequence means.

use chrono::NaiveDateTime;
use joinedup::domain::dates::parse_date_time;
use joinedup::domain::governance::{Actor, Role};
use joinedup::service::{Received, Service};
use joinedup::store::{FeedOutcome, ScratchDatabase, Store};

const HAROLD: &str = "PID|1||9990000026^^^NHS^NH||BENNETT^HAROLD";
const EDITH: &str = "PID|1||9990000034^^^NHS^NH||CLARKE^EDITH";

/// One ADT message: `event`, control id, MSH-7, then its segments.
fn adt(event: &str, control: &str, at: &str, segments: &[&str]) -> String {
    let mut m = format!("MSH|^~\\&|PAS|NGH|JOINEDUP|WM|{at}||ADT^{event}|{control}|P|2.4\r");
    for s in segments {
        m.push_str(s);
        m.push('\r');
    }
    m
}

/// PV1 with class, point of care (ward), visit number, admitted and discharged.
fn pv1(class: &str, ward: &str, visit: &str, admitted: &str, discharged: &str) -> String {
    let mut f = vec![""; 46];
    f[0] = "PV1";
    f[1] = "1";
    f[2] = class;
    let location = format!("{ward}^^^NGH");
    f[3] = &location;
    let visit = format!("{visit}^^^VISITID");
    f[19] = &visit;
    f[44] = admitted;
    f[45] = discharged;
    f.join("|")
}

fn now() -> NaiveDateTime {
    parse_date_time("2026-10-20T09:00").unwrap()
}

fn receive(s: &mut Service, message: &str) -> Received {
    s.receive_hl7("test", message, now()).unwrap()
}

fn stored(s: &mut Service, message: &str) {
    let r = receive(s, message);
    assert!(matches!(r, Received::Stored(_)), "{r:?} for {message:?}");
}

fn count(s: &Service, sql: &str) -> i64 {
    s.store().connection().query_row(sql, [], |r| r.get(0)).unwrap()
}

fn text(s: &Service, sql: &str) -> Option<String> {
    s.store().connection().query_row(sql, [], |r| r.get(0)).unwrap()
}

fn board_wards(s: &mut Service, day: &str) -> Vec<Option<String>> {
    let as_of = chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d").unwrap();
    s.board(as_of, now())
        .unwrap()
        .rows
        .into_iter()
        .map(|r| r.ward)
        .collect()
}

macro_rules! on_both_engines {
    (fn $name:ident($s:ident) $body:block) => {
        mod $name {
            use super::*;

            fn body(mut $s: Service) $body

            fn service(store: Store) -> Service {
                let actor = Actor { user: "feed".into(), role: Some(Role::Tester) };
                Service::new(store, actor, false).unwrap()
            }

            #[test]
            fn sqlite() {
                let dir = tempfile::tempdir().unwrap();
                body(service(Store::open(&dir.path().join("adt.db")).unwrap()))
            }

            #[test]
            fn postgres() {
                if let Some(db) = ScratchDatabase::create(stringify!($name)) {
                    let keys = tempfile::tempdir().unwrap();
                    body(service(Store::open_server(db.url(), keys.path()).unwrap()))
                }
            }
        }
    };
}

on_both_engines! {
    fn cancel_admit_then_readmit_is_one_active_spell(s) {
        stored(&mut s, &adt("A01", "C1", "202610021705", &[HAROLD, &pv1("I", "BIRCH", "V1", "202610021705", "")]));
        stored(&mut s, &adt("A11", "C2", "202610021800", &[HAROLD, &pv1("I", "BIRCH", "V1", "", "")]));
        assert_eq!(text(&s, "SELECT status FROM episode").as_deref(), Some("cancelled"));
        assert!(board_wards(&mut s, "2026-10-03").is_empty(), "a cancelled admission is off the board");
        stored(&mut s, &adt("A01", "C3", "202610021900", &[HAROLD, &pv1("I", "OAK", "V1", "202610021900", "")]));
        assert_eq!(count(&s, "SELECT count(*) FROM episode"), 1);
        assert_eq!(text(&s, "SELECT status FROM episode").as_deref(), Some("active"));
        assert_eq!(board_wards(&mut s, "2026-10-03"), vec![Some("OAK".to_owned())]);
    }
}

on_both_engines! {
    fn cancel_discharge_then_a_later_discharge_is_one_spell_ending_later(s) {
        stored(&mut s, &adt("A01", "D1", "202610021705", &[HAROLD, &pv1("I", "BIRCH", "V1", "202610021705", "")]));
        stored(&mut s, &adt("A03", "D2", "202610101200", &[HAROLD, &pv1("I", "BIRCH", "V1", "", "202610101200")]));
        stored(&mut s, &adt("A13", "D3", "202610101300", &[HAROLD, &pv1("I", "BIRCH", "V1", "", "")]));
        assert_eq!(text(&s, "SELECT \"end\" FROM episode"), None, "A13 opened the spell again");
        stored(&mut s, &adt("A03", "D4", "202610151000", &[HAROLD, &pv1("I", "BIRCH", "V1", "", "202610151000")]));
        assert_eq!(count(&s, "SELECT count(*) FROM episode"), 1);
        assert_eq!(text(&s, "SELECT \"end\" FROM episode").as_deref(), Some("2026-10-15T10:00:00"));
        assert_eq!(text(&s, "SELECT start FROM episode").as_deref(), Some("2026-10-02T17:05:00"));
    }
}

on_both_engines! {
    fn a06_makes_an_ae_attendance_an_admission_on_the_board_and_a07_takes_it_off(s) {
        stored(&mut s, &adt("A04", "E1", "202610021705", &[HAROLD, &pv1("E", "ED", "V9", "202610021705", "")]));
        assert_eq!(text(&s, "SELECT kind FROM episode").as_deref(), Some("ae_attendance"));
        assert!(board_wards(&mut s, "2026-10-03").is_empty());
        stored(&mut s, &adt("A06", "E2", "202610022100", &[HAROLD, &pv1("I", "ELM", "V9", "", "")]));
        assert_eq!(count(&s, "SELECT count(*) FROM episode"), 1);
        assert_eq!(text(&s, "SELECT kind FROM episode").as_deref(), Some("inpatient_spell"));
        assert_eq!(board_wards(&mut s, "2026-10-03"), vec![Some("ELM".to_owned())]);
        assert_eq!(text(&s, "SELECT start FROM episode").as_deref(), Some("2026-10-02T17:05:00"));
        stored(&mut s, &adt("A07", "E3", "202610022200", &[HAROLD, &pv1("E", "ED", "V9", "", "")]));
        assert_eq!(text(&s, "SELECT kind FROM episode").as_deref(), Some("ae_attendance"));
        assert!(board_wards(&mut s, "2026-10-03").is_empty(), "A07 takes it off the board");
    }
}

on_both_engines! {
    fn a47_changes_the_identifier_and_later_messages_find_the_same_person(s) {
        let old = "PID|1||NG1^^^NGH^MR||DOE^JANE";
        let new = "PID|1||NG2^^^NGH^MR||DOE^JANE";
        stored(&mut s, &adt("A01", "I1", "202610021705", &[old, &pv1("I", "OAK", "V5", "202610021705", "")]));
        stored(&mut s, &adt("A47", "I2", "202610030900", &[new, "MRG|NG1^^^NGH^MR"]));
        stored(&mut s, &adt("A03", "I3", "202610051000", &[new, &pv1("I", "OAK", "V5", "", "202610051000")]));
        assert_eq!(count(&s, "SELECT count(*) FROM person"), 1);
        assert_eq!(count(&s, "SELECT count(*) FROM person_identifier"), 2);
        assert_eq!(count(&s, "SELECT count(*) FROM episode WHERE \"end\" IS NOT NULL"), 1);
    }
}

on_both_engines! {
    fn a34_without_pv1_is_stored_a29_creates_no_one_and_a_merge_joins_no_held_records(s) {
        stored(&mut s, &adt("A28", "M1", "202610021705", &["PID|1||NG1^^^NGH^MR||DOE^JANE"]));
        stored(&mut s, &adt("A28", "M2", "202610021706", &["PID|1||NG2^^^NGH^MR||DOE^JAYNE"]));
        // A merge of two records already held moves no identifier between them.
        stored(&mut s, &adt("A34", "M3", "202610021800", &["PID|1||NG2^^^NGH^MR||DOE^JANE", "MRG|NG1^^^NGH^MR"]));
        assert_eq!(count(&s, "SELECT count(*) FROM person"), 2);
        assert_eq!(count(&s, "SELECT count(DISTINCT person_id) FROM person_identifier"), 2);
        let r = receive(&mut s, &adt("A29", "M4", "202610021900", &[EDITH]));
        assert!(matches!(r, Received::Skipped(_)), "{r:?}");
        assert_eq!(count(&s, "SELECT count(*) FROM person WHERE nhs_number = '9990000034'"), 0);
        let r = receive(&mut s, &adt("A99", "M5", "202610021900", &[EDITH]));
        assert!(matches!(r, Received::Skipped(_)), "an unknown event is acknowledged and counted: {r:?}");
        assert_eq!(count(&s, "SELECT count(*) FROM feed_message WHERE outcome = 'skipped'"), 2);
    }
}

on_both_engines! {
    fn a44_and_a45_move_no_visit_between_people_and_create_no_one(s) {
        stored(&mut s, &adt("A01", "V1", "202610021705", &[HAROLD, &pv1("I", "BIRCH", "V7", "202610021705", "")]));
        // A45: the PAS says visit V7 belongs to Edith now (MRG-1 Harold's id, MRG-5 the visit).
        let mv = adt("A45", "V2", "202610030900", &[EDITH, "MRG|NG9^^^NGH^MR||||V7", &pv1("I", "BIRCH", "V7", "", "")]);
        let r = receive(&mut s, &mv);
        assert!(matches!(r, Received::Skipped(ref why) if why.contains("A45")), "{r:?}");
        let r = receive(&mut s, &adt("A44", "V3", "202610030901", &[EDITH, "MRG|NG9^^^NGH^MR|||AC1"]));
        assert!(matches!(r, Received::Skipped(ref why) if why.contains("A44")), "{r:?}");
        // The visit stays with Harold; Edith is not created by either message.
        assert_eq!(count(&s, "SELECT count(*) FROM person"), 1);
        assert_eq!(count(&s, "SELECT count(*) FROM episode"), 1);
        assert_eq!(count(&s, "SELECT count(*) FROM feed_message WHERE outcome = 'skipped'"), 2);
    }
}

on_both_engines! {
    fn a_control_id_used_again_for_another_message_is_rejected_not_dropped(s) {
        let admit = adt("A01", "T1", "202610021705", &[HAROLD, &pv1("I", "BIRCH", "V9", "202610021705", "")]);
        stored(&mut s, &admit);
        // A resend of the same message (its MSH time may differ) is answered as then.
        let resend = admit.replacen("202610021705", "202610021706", 1);
        let r = receive(&mut s, &resend);
        assert!(matches!(r, Received::Again(..)), "{r:?}");
        // Another message under the same control id (a PAS that restarted its
        // counter): not a resend, so neither applied nor acknowledged as stored.
        let discharge = adt("A03", "T1", "202610051000", &[HAROLD, &pv1("I", "BIRCH", "V9", "", "202610051000")]);
        let r = receive(&mut s, &discharge);
        assert!(matches!(r, Received::Rejected(ref why) if why.contains("used before")), "{r:?}");
        assert_eq!(count(&s, "SELECT count(*) FROM episode WHERE \"end\" IS NOT NULL"), 0);
        assert_eq!(
            count(&s, "SELECT count(*) FROM feed_message WHERE outcome = 'rejected' AND message IS NOT NULL"),
            1,
            "kept among the rejected messages"
        );
        // Resent (its ACK lost, or AE retried): answered as then, counted on its row,
        // and no more audit events than the one (the audit log does not flood).
        let not_stored = "SELECT count(*) FROM audit_event WHERE action = 'feed_not_stored'";
        assert_eq!(count(&s, not_stored), 1);
        for _ in 0..3 {
            let r = receive(&mut s, &discharge);
            assert!(
                matches!(r, Received::Again(FeedOutcome::Rejected, Some(ref why)) if why.contains("used before")),
                "{r:?}"
            );
        }
        assert_eq!(count(&s, not_stored), 1);
        assert_eq!(count(&s, "SELECT repeats FROM feed_message WHERE reused_control_id = 'T1'"), 3);
        // A third message under T1 is another failure: its own record and event.
        let transfer = adt("A02", "T1", "202610041000", &[HAROLD, &pv1("I", "OAK", "V9", "202610021705", "")]);
        assert!(matches!(receive(&mut s, &transfer), Received::Rejected(_)));
        assert_eq!(count(&s, not_stored), 2);
        assert_eq!(count(&s, "SELECT count(*) FROM feed_message WHERE reused_control_id = 'T1'"), 2);
        // Sent again under a new control id, it is applied.
        stored(&mut s, &discharge.replace("|T1|", "|T2|"));
        assert_eq!(count(&s, "SELECT count(*) FROM episode WHERE \"end\" IS NOT NULL"), 1);
    }
}

on_both_engines! {
    fn a_feeds_message_meets_the_limits_every_import_meets(s) {
        // A ward of 20,000 characters (the limit is 10,000) or holding a NUL: invalid
        // content, answered AE, nothing stored; as in a file.
        let long = "W".repeat(20_000);
        let r = receive(&mut s, &adt("A01", "L1", "202610021705", &[HAROLD, &pv1("I", &long, "V3", "202610021705", "")]));
        assert!(matches!(r, Received::Rejected(_)), "{r:?}");
        let r = receive(&mut s, &adt("A01", "L2", "202610021705", &[HAROLD, &pv1("I", "BI\0RCH", "V3", "202610021705", "")]));
        assert!(matches!(r, Received::Rejected(_)), "{r:?}");
        assert_eq!(count(&s, "SELECT count(*) FROM episode"), 0);
    }
}

on_both_engines! {
    fn one_patients_hospital_number_beside_anothers_nhs_number_is_filed_on_neither(s) {
        let harold = "PID|1||NG12345^^^NGH^MR~9990000026^^^NHS^NH||BENNETT^HAROLD";
        let margaret = "PID|1||9990000018^^^NHS^NH||OKAFOR^MARGARET";
        stored(&mut s, &adt("A28", "P1", "202610021700", &[harold]));
        stored(&mut s, &adt("A28", "P2", "202610021701", &[margaret]));
        // Harold's hospital number with Margaret's NHS number, and with an NHS number
        // the record does not hold: each is refused, nobody's record is changed.
        for (control, nhs) in [("P3", "9990000018"), ("P4", "9990000042")] {
            let mixed = format!("PID|1||NG12345^^^NGH^MR~{nhs}^^^NHS^NH||OKAFOR^MARGARET");
            let r = receive(&mut s, &adt("A01", control, "202610021705", &[&mixed, &pv1("I", "OAK", "V7777", "202610021705", "")]));
            assert!(matches!(r, Received::Rejected(ref why) if why.contains("two people's identifiers")), "{r:?}");
        }
        assert_eq!(count(&s, "SELECT count(*) FROM episode"), 0);
        assert_eq!(count(&s, "SELECT count(*) FROM person"), 2);
        // Harold by his hospital number alone is still found and filed on.
        stored(&mut s, &adt("A01", "P5", "202610021710", &["PID|1||NG12345^^^NGH^MR||BENNETT^HAROLD", &pv1("I", "OAK", "V7777", "202610021710", "")]));
        assert_eq!(
            count(&s, "SELECT count(*) FROM episode e JOIN person p ON p.id = e.person_id WHERE p.nhs_number = '9990000026'"),
            1
        );
    }
}

on_both_engines! {
    fn a17_swaps_two_patients_beds(s) {
        stored(&mut s, &adt("A01", "S1", "202610021705", &[HAROLD, &pv1("I", "BIRCH", "V1", "202610021705", "")]));
        stored(&mut s, &adt("A01", "S2", "202610021710", &[EDITH, &pv1("I", "OAK", "V2", "202610021710", "")]));
        let swap = adt("A17", "S3", "202610030900", &[
            HAROLD, &pv1("I", "OAK", "V1", "", ""), EDITH, &pv1("I", "BIRCH", "V2", "", ""),
        ]);
        stored(&mut s, &swap);
        let ward = |s: &Service, visit: &str| {
            text(s, &format!("SELECT h.ward FROM hospital_spell h JOIN episode e ON e.id = h.episode_id WHERE e.source_ref = 'NGH|{visit}'"))
        };
        assert_eq!(ward(&s, "V1").as_deref(), Some("OAK"));
        assert_eq!(ward(&s, "V2").as_deref(), Some("BIRCH"));
    }
}
