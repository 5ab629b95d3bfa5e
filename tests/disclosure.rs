//! The one disclosure policy on every command-line output format: text, JSON and
//! CSV of `show`, `plans`, `board` and `chc caseload`; reasons checked at the edge;
//! private output files; a training database that stays training.

mod common;

use common::joinedup;

use std::path::{Path, PathBuf};
use std::process::Output;

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// A database with the training people, as real records (not training mode), with
/// Margaret Okafor (in hospital) marked restricted.
fn database(dir: &Path) -> PathBuf {
    let db = dir.join("record.db");
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/training.json");
    let out = joinedup(&db, &["import", &fixture.display().to_string()]);
    assert!(out.status.success(), "{}", text(&out));
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute(
        "UPDATE person SET is_restricted = 1 WHERE nhs_number = '9990000018'",
        [],
    )
    .unwrap();
    db
}

fn audit_count(db: &Path, condition: &str) -> i64 {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.query_row(
        &format!("SELECT count(*) FROM audit_event WHERE {condition}"),
        [],
        |r| r.get(0),
    )
    .unwrap()
}

/// Words of Lisa Morgan's safeguarding plan and enquiry that must not appear
/// without a reason.
const LISA_SECRETS: [&str; 4] = ["protection", "financial abuse", "Managing money", "safeguarding"];

#[test]
fn plans_hold_back_a_restricted_persons_plans_in_text_and_json() {
    let dir = tempfile::tempdir().unwrap();
    let db = database(dir.path());
    for json in [false, true] {
        let mut args = vec!["plans", "--nhs", "9990000093"];
        if json {
            args.push("--json");
        }
        let out = joinedup(&db, &args);
        assert!(out.status.success(), "{}", text(&out));
        let shown = String::from_utf8_lossy(&out.stdout).to_lowercase();
        for secret in LISA_SECRETS {
            assert!(!shown.contains(&secret.to_lowercase()), "{secret} shown: {shown}");
        }
        assert!(shown.contains("restricted plan"), "{shown}");
    }
    let lisa: i64 = rusqlite::Connection::open(&db)
        .unwrap()
        .query_row("SELECT id FROM person WHERE nhs_number = '9990000093'", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(audit_count(&db, &format!("action = 'plans' AND person_id = {lisa}")), 2);
    let out = joinedup(
        &db,
        &[
            "plans",
            "--nhs",
            "9990000093",
            "--reason",
            "Section 42 strategy meeting",
        ],
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("Safeguarding protection plan"));
    assert_eq!(
        audit_count(
            &db,
            &format!("action = 'break_glass' AND person_id = {lisa} AND reason = 'Section 42 strategy meeting'")
        ),
        1
    );
}

#[test]
fn a_blank_or_one_word_reason_is_refused_with_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let db = database(dir.path());
    for reason in ["", "  ", "x", "because"] {
        for cmd in ["show", "export", "plans"] {
            let out = joinedup(&db, &[cmd, "--nhs", "9990000093", "--reason", reason]);
            assert_eq!(out.status.code(), Some(2), "{cmd} --reason {reason:?}: {}", text(&out));
            assert!(text(&out).contains("reason"), "{}", text(&out));
            assert!(!text(&out).to_lowercase().contains("protection"));
        }
    }
    assert_eq!(audit_count(&db, "action = 'break_glass'"), 0);
}

#[test]
fn show_holds_back_a_sealed_persons_items_address_and_alerts() {
    let dir = tempfile::tempdir().unwrap();
    let db = database(dir.path());
    for json in [false, true] {
        let mut args = vec!["show", "--nhs", "9990000093"];
        if json {
            args.push("--json");
        }
        let out = joinedup(&db, &args);
        let shown = String::from_utf8_lossy(&out.stdout).to_lowercase();
        for secret in LISA_SECRETS {
            assert!(!shown.contains(&secret.to_lowercase()), "{secret} shown: {shown}");
        }
        assert!(shown.contains("morgan"), "the person is named");
    }
    let out = joinedup(&db, &["show", "--nhs", "9990000093", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v["person"]["address"].is_null());
    assert!(v["person"]["postcode"].is_null());
    assert_eq!(v["person"]["alerts"], serde_json::json!([]));
}

#[test]
fn the_board_keeps_a_restricted_inpatient_named_and_counted_but_masked_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let db = database(dir.path());
    let conn = rusqlite::Connection::open(&db).unwrap();
    let (hospital, ward): (String, String) = conn
        .query_row(
            "SELECT h.hospital, h.ward FROM hospital_spell h JOIN episode e ON e.id = h.episode_id
             JOIN person p ON p.id = e.person_id WHERE p.nhs_number = '9990000018' AND e.end IS NULL",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    for format in ["text", "csv", "json"] {
        let out = joinedup(&db, &["board", "--as-of", "2026-06-30", "--format", format]);
        assert!(out.status.success(), "{}", text(&out));
        let shown = String::from_utf8_lossy(&out.stdout);
        let line: String = if format == "json" {
            let v: serde_json::Value = serde_json::from_str(&shown).unwrap();
            let row = v["inpatients"]
                .as_array()
                .unwrap()
                .iter()
                .find(|r| r["nhs_number"] == "9990000018")
                .expect("named on the board")
                .clone();
            assert_eq!(row["hospital"], "restricted");
            row.to_string()
        } else {
            shown
                .lines()
                .filter(|l| l.contains("OKAFOR") || l.starts_with("      "))
                .collect()
        };
        assert!(line.contains("OKAFOR"), "{format}: {line}");
        assert!(!line.contains(&ward), "{format}: ward shown: {line}");
        assert!(
            !line.contains(&hospital) || format == "text",
            "{format}: hospital shown: {line}"
        );
    }
    assert_eq!(audit_count(&db, "action = 'board'"), 3);
}

#[test]
fn the_caseload_is_audited_in_each_format() {
    let dir = tempfile::tempdir().unwrap();
    let db = database(dir.path());
    for format in ["text", "json"] {
        let out = joinedup(&db, &["chc", "caseload", "--as-of", "2026-06-30", "--format", format]);
        assert!(out.status.success(), "{}", text(&out));
    }
    assert_eq!(audit_count(&db, "action = 'caseload'"), 2);
}

#[test]
fn exports_are_private_and_never_overwrite_or_follow_a_link() {
    let dir = tempfile::tempdir().unwrap();
    let db = database(dir.path());
    let out_file = dir.path().join("harold.json");
    let path = out_file.display().to_string();
    let out = joinedup(&db, &["export", "--nhs", "9990000026", "--out", &path]);
    assert!(out.status.success(), "{}", text(&out));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&out_file).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
    let exports = audit_count(&db, "action = 'export'");
    let again = joinedup(&db, &["export", "--nhs", "9990000026", "--out", &path]);
    assert!(!again.status.success());
    assert!(text(&again).contains("--force"), "{}", text(&again));
    assert_eq!(
        audit_count(&db, "action = 'export'"),
        exports,
        "a refused file is not audited as exported"
    );
    let forced = joinedup(&db, &["export", "--nhs", "9990000026", "--out", &path, "--force"]);
    assert!(forced.status.success(), "{}", text(&forced));
    #[cfg(unix)]
    {
        let target = dir.path().join("elsewhere.txt");
        std::fs::write(&target, "keep").unwrap();
        let link = dir.path().join("link.json");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        let linked = joinedup(
            &db,
            &[
                "export",
                "--nhs",
                "9990000026",
                "--out",
                &link.display().to_string(),
                "--force",
            ],
        );
        assert!(!linked.status.success());
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "keep");
        // generate --out never writes through a link, nor over a file without --force.
        let folder = dir.path().join("generated");
        std::fs::create_dir(&folder).unwrap();
        std::os::unix::fs::symlink(&target, folder.join("hospital-spells.csv")).unwrap();
        let generated = joinedup(
            &db,
            &[
                "generate",
                "--people",
                "20",
                "--out",
                &folder.display().to_string(),
                "--format",
                "csv",
                "--force",
            ],
        );
        assert!(!generated.status.success(), "{}", text(&generated));
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "keep");
    }
}

#[test]
fn a_training_database_stays_training_without_the_flag() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("training.db");
    let seeded = joinedup(&db, &["--training", "show", "--nhs", "9990000026"]);
    assert!(seeded.status.success(), "{}", text(&seeded));
    // Opened without --training: still watermarked, and real NHS numbers refused.
    let shown = joinedup(&db, &["show", "--nhs", "9990000026"]);
    assert!(String::from_utf8_lossy(&shown.stdout).starts_with("TRAINING: "));
    let real = dir.path().join("real.json");
    std::fs::write(
        &real,
        r#"{"format": "joinedup-bundle", "version": 1, "people": [{"nhs_number": "4123456782",
            "source": "PAS", "given_name": "Real", "family_name": "Person", "episodes": []}]}"#,
    )
    .unwrap();
    let out = joinedup(&db, &["import", &real.display().to_string()]);
    assert!(!out.status.success(), "{}", text(&out));
    let conn = rusqlite::Connection::open(&db).unwrap();
    let stored: i64 = conn
        .query_row("SELECT count(*) FROM person WHERE nhs_number = '4123456782'", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(stored, 0);
    // Nor under a local id instead, from FHIR with --valid-rows-only.
    let fhir = dir.path().join("real-fhir.json");
    std::fs::write(
        &fhir,
        r#"{"resourceType": "Patient", "id": "p", "identifier": [{"system": "https://fhir.nhs.uk/Id/nhs-number",
            "value": "9434765919"}], "name": [{"family": "Realperson", "given": ["Ann"]}], "birthDate": "1950-01-01"}"#,
    )
    .unwrap();
    joinedup(&db, &["import", "--valid-rows-only", &fhir.display().to_string()]);
    let kept: i64 = conn
        .query_row(
            "SELECT count(*) FROM person WHERE family_name = 'Realperson'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(kept, 0, "a real person is not kept in a training database");
}
