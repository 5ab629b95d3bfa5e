//! `joinedup print`: the record summary as an A4 PDF, written private (0600), the
//! restricted item left out unless a reason is given, audited (SAFETY.md H44).

mod common;

use std::path::Path;

use common::joinedup;
use joinedup::report::pdf_check::check_pdf;

fn training_db(dir: &Path) -> std::path::PathBuf {
    let db = dir.join("print.db");
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/training.json");
    let out = joinedup(&db, &["import", fixture.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    db
}

/// Rajesh Patel (999 000 0085) has one sexual health attendance in an open record.
#[test]
fn print_writes_the_pdf_private_with_the_restricted_item_only_with_a_reason() {
    let dir = tempfile::tempdir().unwrap();
    let db = training_db(dir.path());
    let file = dir.path().join("rajesh.pdf");
    let out = joinedup(
        &db,
        &["print", "--nhs", "999 000 0085", "--out", file.to_str().unwrap()],
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stderr).contains("1 restricted item(s) left out of the print"));
    let bytes = std::fs::read(&file).unwrap();
    let pdf = check_pdf(&bytes).unwrap();
    let text = pdf.text();
    assert!(text.contains("Carer's assessment"), "{text}");
    assert!(!text.contains("Sexual health"), "{text}");
    for page in 0..pdf.pages.len() {
        let page_text = pdf.page_text(page);
        assert!(page_text.contains("PATEL, Rajesh"), "page {page}");
        assert!(page_text.contains("NHS number 999 000 0085"), "page {page}");
        assert!(page_text.contains(&format!("Page {} of {}", page + 1, pdf.pages.len())));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
    // An existing file is not replaced without --force, and nothing is audited then.
    let again = joinedup(
        &db,
        &["print", "--nhs", "999 000 0085", "--out", file.to_str().unwrap()],
    );
    assert!(!again.status.success());

    let shown = dir.path().join("rajesh-shown.pdf");
    let out = joinedup(
        &db,
        &[
            "print",
            "--nhs",
            "999 000 0085",
            "--out",
            shown.to_str().unwrap(),
            "--reason",
            "Planning a joint visit with the clinic",
        ],
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = check_pdf(&std::fs::read(&shown).unwrap()).unwrap().text();
    assert!(text.contains("Sexual health clinic attendance"), "{text}");

    let conn = rusqlite::Connection::open(&db).unwrap();
    let prints: i64 = conn
        .query_row("SELECT count(*) FROM audit_event WHERE action = 'print'", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(prints, 2, "each file written is audited; the refused one is not");
}
