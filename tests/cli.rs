//! The command line as testers use it: import, show --json (a stable interface),
//! export round trip, audit verify.

mod common;

use common::joinedup;

use std::path::Path;
use std::process::Command;

fn fixture(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(name)
        .display()
        .to_string()
}

#[test]
fn import_show_json_export_and_verify() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cli.db");
    let out = joinedup(&db, &["import", &fixture("training.json")]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("15 people added"));
    // Importing again adds nothing.
    let again = joinedup(&db, &["import", &fixture("training.json")]);
    assert!(
        String::from_utf8_lossy(&again.stdout).contains("0 people added, 0 items added, 0 updated, 64 already present")
    );

    let out = joinedup(&db, &["show", "--nhs", "999 000 0026", "--json"]);
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(v["person"]["nhs_number"], "9990000026");
    assert_eq!(v["person"]["family_name"], "Bennett");
    assert_eq!(v["person"]["date_of_birth"], "1938-09-30");
    let episodes = v["episodes"].as_array().unwrap();
    assert!(
        episodes
            .iter()
            .any(|e| e["sector"] == "health" && e["kind"] == "inpatient_spell")
    );
    assert!(
        episodes
            .iter()
            .any(|e| e["sector"] == "social_care" && e["status"] == "suspended")
    );
    assert!(
        episodes
            .iter()
            .all(|e| e["start"].as_str().unwrap().len() == 19 && e["source_ref"].is_string())
    );
    assert!(
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["kind"] == "package_not_restarted")
    );

    // Sensitive items are hidden without a reason, and the placeholder never names
    // its category: no safeguarding kind, no safeguarding lane.
    let out = joinedup(&db, &["show", "--nhs", "9990000093", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let episodes = v["episodes"].as_array().unwrap();
    assert!(!episodes.iter().any(|e| e["kind"] == "safeguarding_enquiry"));
    let sg = episodes
        .iter()
        .find(|e| e["kind"] == "restricted_social_care_item")
        .unwrap()
        .clone();
    assert!(sg["title"].as_str().unwrap().contains("hidden"));
    assert!(!out.stdout.windows(11).any(|w| w.eq_ignore_ascii_case(b"safeguardin")));

    // Export and re-import into another database gives the same timeline.
    let bundle = dir.path().join("walsh.json");
    let out = joinedup(
        &db,
        &["export", "--nhs", "9990000050", "--out", bundle.to_str().unwrap()],
    );
    assert!(out.status.success());
    let copy = dir.path().join("copy.db");
    assert!(joinedup(&copy, &["import", bundle.to_str().unwrap()]).status.success());
    let a: serde_json::Value =
        serde_json::from_slice(&joinedup(&db, &["show", "--nhs", "9990000050", "--json"]).stdout).unwrap();
    let b: serde_json::Value =
        serde_json::from_slice(&joinedup(&copy, &["show", "--nhs", "9990000050", "--json"]).stdout).unwrap();
    assert_eq!(a["episodes"], b["episodes"]);

    let out = joinedup(&db, &["audit", "verify"]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("audit log intact"));
}

#[test]
fn bad_input_is_refused_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("bad.db");
    let errors = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/bundle-with-errors.json");
    let out = joinedup(&db, &["import", errors.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(3), "rows rejected");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("people[1]: nhs_number: not a valid NHS number"), "{err}");
    assert!(err.contains("nothing imported"), "{err}");
    let out = joinedup(&db, &["import", "--valid-rows-only", errors.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&out.stdout).contains("1 items added"));
    // A dry run writes nothing; rejected rows can be saved for the sender.
    let csv = dir.path().join("rejected.csv");
    let fresh = dir.path().join("dry.db");
    let out = joinedup(
        &fresh,
        &[
            "import",
            "--dry-run",
            "--rejected-csv",
            csv.to_str().unwrap(),
            errors.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&out.stdout).contains("nothing written"));
    let saved = std::fs::read_to_string(&csv).unwrap();
    assert!(saved.starts_with("file,location,field,reason\r\n"));
    assert_eq!(saved.lines().count(), 7, "header and six rejections");
    let out = joinedup(&fresh, &["show", "--nhs", "9990000018"]);
    assert!(!out.status.success(), "the dry run stored nobody");
    let out = joinedup(&db, &["import", "/no/such/file.json"]);
    assert_eq!(out.status.code(), Some(2), "unreadable");
    let out = joinedup(&db, &["show", "--nhs", "9876544321"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("check digit"));
    // Training mode refuses real-range NHS numbers in imports.
    let real = dir.path().join("real.json");
    std::fs::write(
        &real,
        r#"{"format": "joinedup-bundle", "version": 1, "people": [{"nhs_number": "9434765919", "source": "PAS"}]}"#,
    )
    .unwrap();
    let out = joinedup(
        &dir.path().join("t.db"),
        &["--training", "import", real.to_str().unwrap()],
    );
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("test range"));
}

#[test]
fn chc_rules_on_the_command_line() {
    let run = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_joinedup"))
            .args(args)
            .output()
            .expect("run");
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).trim().to_owned(),
        )
    };
    assert_eq!(
        run(&["chc", "checklist", "breathing=A"]),
        (
            Some(0),
            "full assessment required: A in Breathing, an asterisked domain".into()
        )
    );
    // A negative outcome with domains left out is not yet assessed (exit 3), never
    // "no full assessment required"; of a whole grid it is said (exit 1).
    let (code, text) = run(&["chc", "checklist", "mobility=A", "cognition=B"]);
    assert_eq!(code, Some(3), "{text}");
    assert!(
        text.starts_with("not yet assessed: 2 of 11 domains chosen; still to choose: breathing"),
        "{text}"
    );
    let whole: Vec<String> = [
        "breathing",
        "nutrition",
        "continence",
        "skin",
        "mobility",
        "communication",
        "psychological",
        "cognition",
        "behaviour",
        "drug_therapies",
        "altered_states",
    ]
    .iter()
    .map(|d| format!("{d}=C"))
    .collect();
    let mut args = vec!["chc", "checklist"];
    args.extend(whole.iter().map(String::as_str));
    let (code, text) = run(&args);
    assert_eq!(code, Some(1), "{text}");
    assert!(!text.contains("not yet assessed"), "{text}");
    assert_eq!(
        run(&[
            "chc",
            "checklist",
            "mobility=b",
            "cognition=B",
            "skin=B",
            "nutrition=B",
            "continence=B"
        ])
        .0,
        Some(0)
    );
    assert_eq!(run(&["chc", "dst", "skin=severe", "cognition=severe"]).0, Some(0));
    assert_eq!(run(&["chc", "dst", "behaviour=priority"]).0, Some(0));
    let (code, text) = run(&["chc", "dst", "skin=severe", "mobility=high", "continence=moderate"]);
    assert_eq!(code, Some(3));
    assert!(text.starts_with("not yet assessed: 4 of 12 domains chosen"), "{text}");
    assert!(text.contains("may indicate a primary health need"), "{text}");
    for bad in [
        vec!["chc", "dst", "altered_states=severe"],
        vec!["chc", "dst", "continence=priority"],
        vec!["chc", "dst", "other=no"],
        vec!["chc", "dst", "elbows=high"],
        vec!["chc", "checklist", "other=A"],
        vec!["chc", "checklist", "breathing=D"],
        vec!["chc", "checklist", "breathing"],
    ] {
        assert_eq!(run(&bad).0, Some(2), "{bad:?}");
    }
}

#[test]
fn chc_caseload_in_training() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let out = joinedup(&db, &["--training", "chc", "caseload", "--format", "json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let names: Vec<&str> = v["caseload"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        vec!["ADEYEMI, Samuel", "COLE, Brenda", "DOYLE, Kenneth", "WALSH, Patricia"]
    );
    assert_eq!(v["caseload"][0]["stage"], "checklist_positive");
    assert_eq!(v["caseload"][0]["days_on_clock"], 49);
    assert_eq!(v["caseload"][0]["is_overdue"], true);
}

/// DESIGN.md 5: every export and print from training mode carries a watermark.
#[test]
fn training_output_is_watermarked() {
    const MARK: &str = "TRAINING: synthetic people only, not for care decisions";
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let text = |args: &[&str]| {
        let out = joinedup(&db, args);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).to_string()
    };
    for args in [
        &["--training", "board", "--format", "csv"][..],
        &["--training", "board"][..],
        &["--training", "show", "--nhs", "9990000026"][..],
        &["--training", "plans", "--nhs", "9990000042"][..],
        &["--training", "chc", "caseload"][..],
    ] {
        assert_eq!(text(args).lines().next(), Some(MARK), "{args:?}");
    }
    for args in [
        &["--training", "board", "--format", "json"][..],
        &["--training", "show", "--nhs", "9990000026", "--json"][..],
        &["--training", "chc", "caseload", "--format", "json"][..],
        &["--training", "plans", "--nhs", "9990000042", "--json"][..],
        &["--training", "export", "--nhs", "9990000026"][..],
    ] {
        let v: serde_json::Value = serde_json::from_str(&text(args)).expect("JSON");
        assert_eq!(v["watermark"], MARK, "{args:?}");
    }
    let fhir: serde_json::Value = serde_json::from_str(&text(&[
        "--training",
        "export",
        "--nhs",
        "9990000026",
        "--format",
        "fhir",
    ]))
    .expect("JSON");
    assert_eq!(fhir["meta"]["tag"][0]["display"], MARK, "FHIR's own place for it");
    // A watermarked bundle still imports.
    let bundle = dir.path().join("harold.json");
    assert!(
        joinedup(
            &db,
            &[
                "--training",
                "export",
                "--nhs",
                "9990000026",
                "--out",
                bundle.to_str().unwrap()
            ]
        )
        .status
        .success()
    );
    let other = dir.path().join("other.db");
    let out = joinedup(&other, &["import", bundle.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    // Outside training, no watermark.
    let plain = joinedup(&other, &["board", "--format", "csv"]);
    assert!(!String::from_utf8_lossy(&plain.stdout).contains("TRAINING"));
}

#[test]
fn generate_writes_a_population_that_the_other_commands_read() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("generated.db");
    let args = ["generate", "--people", "400", "--seed", "5", "--as-of", "2026-11-22"];
    let out = joinedup(&db, &args);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let said = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(said.starts_with("generated 400 people and "), "{said}");
    // A second run would mix two populations: refused.
    let again = joinedup(&db, &args);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("already holds people"));
    // The board and the CHC caseload read what was generated.
    let board = joinedup(&db, &["board", "--as-of", "2026-11-22", "--format", "json"]);
    assert!(board.status.success());
    let v: serde_json::Value = serde_json::from_slice(&board.stdout).expect("JSON");
    assert!(v["inpatients"].as_array().is_some_and(|r| !r.is_empty()), "{v}");
    // The same seed gives the same people in another database.
    let db2 = dir.path().join("again.db");
    assert!(joinedup(&db2, &args).status.success());
    let first = joinedup(&db, &["board", "--as-of", "2026-11-22", "--format", "csv"]);
    let second = joinedup(&db2, &["board", "--as-of", "2026-11-22", "--format", "csv"]);
    assert_eq!(first.stdout, second.stdout);
}

#[test]
fn generated_csv_files_import_with_nothing_rejected() {
    let dir = tempfile::tempdir().unwrap();
    let files = dir.path().join("files");
    let db = dir.path().join("from-files.db");
    let out = joinedup(
        &db,
        &[
            "generate",
            "--people",
            "300",
            "--seed",
            "5",
            "--as-of",
            "2026-11-22",
            "--out",
            files.to_str().expect("path"),
            "--format",
            "csv",
        ],
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let said = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(said.starts_with("wrote "), "{said}");
    // No database was written by --out.
    assert!(!db.exists());
    let cld = files.join("social-care-cld.csv");
    let spells = files.join("hospital-spells.csv");
    let out = joinedup(
        &db,
        &["import", cld.to_str().expect("path"), spells.to_str().expect("path")],
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let report = String::from_utf8_lossy(&out.stdout).to_string();
    assert_eq!(report.matches(", 0 rejected").count(), 2, "{report}");
    let board = joinedup(&db, &["board", "--as-of", "2026-11-22", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&board.stdout).expect("JSON");
    assert!(v["inpatients"].as_array().is_some_and(|r| !r.is_empty()), "{v}");
}

#[test]
fn generated_bundles_import_to_the_same_board_as_generating_into_a_database() {
    let dir = tempfile::tempdir().unwrap();
    let files = dir.path().join("bundles");
    let direct = dir.path().join("direct.db");
    let imported = dir.path().join("imported.db");
    let common = ["generate", "--people", "300", "--seed", "11", "--as-of", "2026-11-22"];
    assert!(joinedup(&direct, &common).status.success());
    let mut to_files = common.to_vec();
    to_files.extend(["--out", files.to_str().expect("path"), "--format", "native"]);
    let out = joinedup(&imported, &to_files);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let bundle = files.join("population-001.json");
    let out = joinedup(&imported, &["import", bundle.to_str().expect("path")]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains(", 0 rejected"));
    let board = |db: &Path| joinedup(db, &["board", "--as-of", "2026-11-22", "--format", "csv"]).stdout;
    let (a, b) = (board(&direct), board(&imported));
    assert!(a.len() > 200, "{}", String::from_utf8_lossy(&a));
    assert_eq!(String::from_utf8_lossy(&a), String::from_utf8_lossy(&b));
    let caseload = |db: &Path| joinedup(db, &["chc", "caseload", "--as-of", "2026-11-22"]).stdout;
    assert_eq!(caseload(&direct), caseload(&imported));
}

/// `generate --format fhir` writes bundles that `import` reads with nothing rejected:
/// every person, and the same people in hospital on the board (FHIR carries the
/// spells, not their discharge facts).
#[test]
fn generated_fhir_bundles_import_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let files = dir.path().join("fhir");
    let direct = dir.path().join("direct.db");
    let imported = dir.path().join("imported.db");
    let common = ["generate", "--people", "1200", "--seed", "12", "--as-of", "2026-11-22"];
    assert!(joinedup(&direct, &common).status.success());
    let mut to_files = common.to_vec();
    to_files.extend(["--out", files.to_str().expect("path"), "--format", "fhir"]);
    let out = joinedup(&imported, &to_files);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let said = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(said.contains("in 2 FHIR bundles"), "{said}");
    let mut args = vec!["import".to_owned()];
    for f in ["fhir-0001.json", "fhir-0002.json"] {
        args.push(files.join(f).display().to_string());
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = joinedup(&imported, &args);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let said = String::from_utf8_lossy(&out.stdout).to_string();
    assert_eq!(said.matches(", 0 rejected").count(), 2, "{said}");
    let people = |db: &Path| {
        let conn = rusqlite::Connection::open(db).expect("open");
        conn.query_row("SELECT count(*) FROM person", [], |r| r.get::<_, i64>(0))
            .expect("count")
    };
    assert_eq!(people(&imported), people(&direct));
    let in_hospital = |db: &Path| {
        let out = joinedup(db, &["board", "--as-of", "2026-11-22", "--format", "json"]);
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
        let mut nhs: Vec<String> = v["inpatients"]
            .as_array()
            .expect("inpatients")
            .iter()
            .map(|r| r["nhs_number"].as_str().unwrap_or("").to_owned())
            .collect();
        nhs.sort();
        nhs
    };
    let on_board = in_hospital(&direct);
    assert!(!on_board.is_empty());
    assert_eq!(in_hospital(&imported), on_board);
}

/// `export --format fhir` writes a person's record as a FHIR Bundle that `import`
/// reads back into another database: Harold Bennett's stays, GP contacts, care
/// package and the council's request and assessment, with nothing rejected.
#[test]
fn a_record_exported_as_fhir_imports_elsewhere() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("from.db");
    assert!(joinedup(&db, &["import", &fixture("training.json")]).status.success());
    let file = dir.path().join("harold.fhir.json");
    let out = joinedup(
        &db,
        &[
            "export",
            "--nhs",
            "9990000026",
            "--format",
            "fhir",
            "--out",
            file.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let bundle: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(bundle["resourceType"], "Bundle");
    let other = dir.path().join("to.db");
    let out = joinedup(&other, &["import", file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains(", 0 rejected"));
    let kinds = |db: &Path| {
        let conn = rusqlite::Connection::open(db).expect("open");
        let mut stmt = conn
            .prepare(
                "SELECT kind, start FROM episode WHERE person_id =
                    (SELECT id FROM person WHERE nhs_number = '9990000026') ORDER BY kind, start",
            )
            .expect("prepare");
        stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))
            .expect("query")
            .collect::<Result<Vec<_>, _>>()
            .expect("rows")
    };
    // Everything of Harold's that FHIR carries here (not reviews, safeguarding or CHC).
    let carried: Vec<_> = kinds(&db)
        .into_iter()
        .filter(|(k, _)| {
            !matches!(
                k.as_str(),
                "social_care_review"
                    | "safeguarding_enquiry"
                    | "chc_checklist"
                    | "chc_dst"
                    | "chc_fast_track"
                    | "chc_review"
            )
        })
        .collect();
    assert!(carried.len() >= 5, "{carried:?}");
    assert_eq!(kinds(&other), carried);
    let show = joinedup(&other, &["show", "--nhs", "9990000026", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&show.stdout).expect("JSON");
    assert_eq!(v["person"]["family_name"], "Bennett");
    assert!(
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["kind"] == "package_not_restarted"),
        "the finding that only a merged record shows survives the trip: {}",
        v["findings"]
    );
}

/// DESIGN.md 5: nothing identifying goes to log output, even at the most verbose level.
#[test]
fn the_most_verbose_log_holds_nothing_identifying() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("log.db");
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_joinedup"))
            .env("JOINEDUP_LOG", "trace")
            .arg("--db")
            .arg(&db)
            .args(args)
            .output()
            .expect("run joinedup")
    };
    let mut log = String::new();
    let out = run(&["import", &fixture("training.json")]);
    assert!(out.status.success());
    log += &String::from_utf8_lossy(&out.stderr);
    let out = run(&["show", "--nhs", "999 000 0026", "--json"]);
    assert!(out.status.success());
    log += &String::from_utf8_lossy(&out.stderr);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    for args in [
        &["export", "--nhs", "9990000026"][..],
        &["board", "--format", "csv"][..],
        &["plans", "--nhs", "9990000026"][..],
    ] {
        let out = run(args);
        assert!(out.status.success(), "{args:?}");
        log += &String::from_utf8_lossy(&out.stderr);
    }
    // The log is on, so the check below can fail.
    assert!(log.contains("import stored"), "{log}");
    assert!(log.contains("person record read"), "{log}");
    let person = &v["person"];
    let mut identifying: Vec<String> = ["given_name", "family_name", "date_of_birth", "address", "postcode"]
        .iter()
        .map(|k| person[k].as_str().expect(k).to_owned())
        .collect();
    identifying.extend(["9990000026".into(), "999 000 0026".into(), "ASC-100512".into()]);
    for s in &identifying {
        assert!(!log.to_lowercase().contains(&s.to_lowercase()), "{s:?} is in the log");
    }
}

/// RULES.md 8: restricted items leave the record only when someone gives a reason.
/// Lisa Morgan (999 000 0093) is a restricted person: everything of hers is held back.
/// Rajesh Patel (999 000 0085) has one sexual health attendance in an open record.
#[test]
fn export_leaves_restricted_items_out_unless_a_reason_is_given() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("export.db");
    assert!(joinedup(&db, &["import", &fixture("training.json")]).status.success());

    let rajesh = joinedup(&db, &["export", "--nhs", "999 000 0085"]);
    assert!(rajesh.status.success());
    assert!(String::from_utf8_lossy(&rajesh.stderr).contains("1 restricted item(s) left out"));
    let text = String::from_utf8_lossy(&rajesh.stdout).to_string();
    assert!(text.contains("Carer's assessment"), "{text}");
    assert!(!text.contains("Sexual health"), "{text}");

    let shown = joinedup(&db, &["show", "--nhs", "999 000 0085", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&shown.stdout).expect("JSON");
    let hidden: Vec<_> = v["episodes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["sensitivity"] == "restricted")
        .collect();
    assert_eq!(hidden.len(), 1);
    assert!(
        hidden[0]["source"].is_null(),
        "the clinic's own system names the clinic"
    );
    assert_eq!(hidden[0]["start"], "2025-11-04T10:30:00", "the date stays");
    assert!(!String::from_utf8_lossy(&shown.stdout).contains("sexual_health"));
    assert!(
        hidden[0]["title"]
            .as_str()
            .unwrap()
            .starts_with("restricted item hidden")
    );
    assert!(hidden[0]["organisation"].is_null(), "the organisation is detail too");

    let plain = joinedup(&db, &["export", "--nhs", "999 000 0093"]);
    assert!(plain.status.success());
    // Three items and her safeguarding protection plan.
    assert!(String::from_utf8_lossy(&plain.stderr).contains("4 restricted item(s) left out"));
    let text = String::from_utf8_lossy(&plain.stdout).to_string();
    assert!(text.contains("\"people\""), "{text}");
    assert!(!text.contains("\"safeguarding\""), "{text}");
    assert!(!text.contains("mental health team"), "{text}");
    assert!(!text.contains("protection plan"), "{text}");
    let shown = joinedup(&db, &["show", "--nhs", "999 000 0093"]);
    let text = String::from_utf8_lossy(&shown.stdout).to_string();
    assert!(text.contains("restricted record"), "{text}");
    assert!(!text.contains("Community mental health team appointment"), "{text}");
    assert_eq!(text.matches("restricted item hidden").count(), 3, "{text}");
    let revealed = joinedup(
        &db,
        &[
            "--role",
            "ig-lead",
            "export",
            "--nhs",
            "999 000 0093",
            "--reason",
            "Section 42 strategy meeting",
        ],
    );
    assert!(revealed.status.success());
    assert!(String::from_utf8_lossy(&revealed.stdout).contains("\"safeguarding\""));
    // The reveal is in the audit log, and the chain is intact.
    let verify = joinedup(&db, &["audit", "verify"]);
    assert!(verify.status.success());
    let conn = rusqlite::Connection::open(&db).expect("open");
    let reasons: i64 = conn
        .query_row(
            "SELECT count(*) FROM audit_event WHERE action = 'break_glass' AND reason = 'Section 42 strategy meeting'
             AND actor LIKE '% (Information governance lead, claimed)'",
            [],
            |r| r.get(0),
        )
        .expect("count");
    assert_eq!(reasons, 1);
}

/// `chc decide` (issue 17 item 6): the ICB's decision recorded on the one DST
/// awaiting it, audited, and the caseload shows the next stage; a second decision,
/// or one in the future, is refused in words.
#[test]
fn chc_decide_records_the_decision_and_the_caseload_moves_on() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let today = chrono::Local::now().date_naive();
    let yesterday = (today - chrono::Duration::days(1)).format("%Y-%m-%d").to_string();
    let tomorrow = (today + chrono::Duration::days(1)).format("%Y-%m-%d").to_string();
    let decide = |date: &str| {
        joinedup(
            &db,
            &[
                "--training",
                "chc",
                "decide",
                "--nhs",
                "999 000 0166",
                "--decision",
                "eligible",
                "--date",
                date,
                "--by",
                "Dr A. Shah",
                "--note",
                "Agreed with the MDT",
            ],
        )
    };
    let future = decide(&tomorrow);
    assert!(!future.status.success());
    assert!(
        String::from_utf8_lossy(&future.stderr).contains("in the future"),
        "{future:?}"
    );
    let out = decide(&yesterday);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        said.contains("Recorded the ICB decision on the NHS Continuing Healthcare Decision Support Tool of")
            && said.contains("eligible on ")
            && said.contains("by Dr A. Shah")
            && said.contains("CHC stage now: Eligible, review due; next review due"),
        "{said}"
    );
    let out = joinedup(&db, &["--training", "chc", "caseload", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let cole = v["caseload"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "COLE, Brenda")
        .expect("Cole on the caseload")
        .clone();
    assert_eq!(cole["stage"], "eligible_review_due");
    assert_eq!(cole["decided_on"], yesterday.as_str());
    let again = decide(&yesterday);
    assert!(!again.status.success());
    assert!(
        String::from_utf8_lossy(&again.stderr).contains("no DST or Fast Track of this person awaits an ICB decision"),
        "{again:?}"
    );
    // A Checklist alone awaits no decision (Adeyemi).
    let none = joinedup(
        &db,
        &[
            "--training",
            "chc",
            "decide",
            "--nhs",
            "9990000042",
            "--decision",
            "not-eligible",
            "--date",
            &yesterday,
            "--by",
            "Dr A. Shah",
        ],
    );
    assert!(
        String::from_utf8_lossy(&none.stderr).contains("awaits an ICB decision"),
        "{none:?}"
    );
    let conn = rusqlite::Connection::open(&db).unwrap();
    let n: i64 = conn
        .query_row(
            "SELECT count(*) FROM audit_event WHERE action = 'chc_decision_recorded'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(n, 1);
}
