//! Prints: a PDF made from the record as disclosed (a restricted item's text only
//! with a reason), every page carrying the person's identity, audited before its
//! bytes are given; the preview only of a record this user has open (SAFETY.md H44).

use super::*;
use crate::report::pdf_check::check_pdf;

const RAJESH: &str = "9990000085";

fn print_count(s: &Service) -> i64 {
    count(s, "SELECT count(*) FROM audit_event WHERE action = 'print'")
}

on_both_engines! {
    fn a_print_leaves_a_restricted_item_out_unless_a_reason_was_given(s) {
        let rajesh = id_of(&mut s, RAJESH);
        let what = OutputKind::PrintRecord { person_id: rajesh };
        let before = print_count(&s);
        let pdf = s.output(&what, today(), now()).unwrap();
        assert_eq!(print_count(&s), before + 1, "audited");
        assert_eq!(pdf.file_name, "record-summary-9990000085.pdf");
        assert_eq!(pdf.restricted_left_out, 1);
        let read = check_pdf(&pdf.bytes).unwrap();
        let text = read.text();
        assert!(text.contains("PATEL, Rajesh"), "{text}");
        assert!(text.contains("Carer's assessment"));
        assert!(!text.contains("Sexual health"), "neither the title nor the organisation");
        assert!(!text.contains("Routine screening"));
        assert!(text.contains("1 restricted item(s) left out"));
        assert!(text.contains("Printed by jsmith on 22-Nov-2026 10:00"));
        for page in 0..read.pages.len() {
            assert!(read.page_text(page).contains("NHS number 999 000 0085"), "page {page}");
        }
        let detail: String = s
            .store()
            .connection()
            .query_row(
                "SELECT detail FROM audit_event WHERE action = 'print' ORDER BY id DESC LIMIT 1",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert!(detail.contains("with 1 restricted item(s) left out"), "{detail}");

        let reason = Reason::parse("Planning a joint visit with the clinic").unwrap();
        s.reveal(rajesh, &reason, today(), now()).unwrap();
        let shown = s.output(&what, today(), now()).unwrap();
        let text = check_pdf(&shown.bytes).unwrap().text();
        assert!(text.contains("Sexual health clinic attendance"), "{text}");
        assert!(text.contains("a reason was given and is in the audit log"));
        assert_eq!(shown.restricted_left_out, 0);
    }
}

on_both_engines! {
    fn a_print_is_not_given_without_its_audit_event(s) {
        let rajesh = id_of(&mut s, RAJESH);
        let drop = match s.store.engine() {
            crate::store::Engine::Sqlite => "DROP TABLE audit_event",
            crate::store::Engine::Postgres => "DROP TABLE audit_event CASCADE",
        };
        s.store.connection().execute_batch(drop).unwrap();
        assert!(s.output(&OutputKind::PrintRecord { person_id: rajesh }, today(), now()).is_err());
    }
}

#[test]
fn the_preview_is_of_an_open_record_only_and_matches_the_pdf() {
    let mut s = training_service();
    let rajesh = id_of(&mut s, RAJESH);
    let what = OutputKind::PrintRecord { person_id: rajesh };
    assert!(matches!(
        s.print_preview(&what, today(), now()),
        Err(ServiceError::Refused(_))
    ));
    s.open_record(rajesh, today(), now()).unwrap();
    let before = print_count(&s);
    let preview = s.print_preview(&what, today(), now()).unwrap();
    assert_eq!(print_count(&s), before, "nothing leaves until it is saved");
    let pdf = check_pdf(&s.output(&what, today(), now()).unwrap().bytes).unwrap();
    assert_eq!(pdf.pages.len(), preview.laid.pages.len());
    // The same lines on the same pages.
    for (shown, printed) in preview.laid.pages.iter().zip(&pdf.pages) {
        let shown: Vec<&str> = shown.texts().collect();
        assert_eq!(shown, printed.iter().map(String::as_str).collect::<Vec<_>>());
    }
    s.close_record(rajesh);
    assert!(s.print_preview(&what, today(), now()).is_err(), "closed");
}

#[test]
fn a_training_print_has_the_watermark_and_a_chc_print_its_grid() {
    let mut store = Store::open_in_memory().unwrap();
    crate::training::prepare(&mut store, today(), now()).unwrap();
    let mut s = Service::new(store, actor("jsmith", Role::CareCoordinator), true).unwrap();
    let rajesh = id_of(&mut s, RAJESH);
    let pdf = s
        .output(&OutputKind::PrintRecord { person_id: rajesh }, today(), now())
        .unwrap();
    let read = check_pdf(&pdf.bytes).unwrap();
    assert!(
        read.pages
            .iter()
            .all(|p| p.first().map(String::as_str) == Some("TRAINING"))
    );

    let assessments: Vec<(i64, i64)> = s
        .store()
        .connection()
        .query_map(
            "SELECT e.person_id, c.episode_id FROM chc_assessment c JOIN episode e ON e.id = c.episode_id \
             WHERE c.kind IN ('checklist', 'dst') ORDER BY c.episode_id",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    // The first not held back (a restricted person's needs a reason first).
    let chc = assessments
        .iter()
        .find_map(|(person_id, episode_id)| {
            let what = OutputKind::PrintChc {
                person_id: *person_id,
                episode_id: *episode_id,
            };
            s.output(&what, today(), now()).ok()
        })
        .expect("a training CHC assessment");
    assert!(chc.file_name.starts_with("chc-") && chc.file_name.ends_with(".pdf"));
    let text = check_pdf(&chc.bytes).unwrap().text();
    assert!(text.contains("NHS Continuing Healthcare"), "{text}");
    assert!(text.contains("What the rules give:"));
}
