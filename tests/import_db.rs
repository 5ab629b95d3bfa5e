//! `import-db`: a desktop database moved onto a team's database, on both target
//! engines (a SQLite file, and a scratch PostgreSQL database when a server
//! answers; required under `JOINEDUP_TEST_POSTGRES=1`). Every person reads the
//! same on the target as on the desktop, byte for byte; the target's audit log
//! verifies; a restricted person stays restricted; the desktop file is not
//! changed; and every refusal, and a failure late in the copy, leaves the target
//! as it was.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use chrono::NaiveDateTime;
use joinedup::domain::governance::{Actor, Role};
use joinedup::domain::{ChcAssessment, ChcAssessmentKind, ChcDomain};
use joinedup::service::Service;
use joinedup::store::{ScratchDatabase, SpellChange, Store};

const AS_OF: &str = "2026-11-22";
const LISA: &str = "9990000093";
const HAROLD: &str = "9990000026";
const MARGARET: &str = "9990000018";

fn data(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(name).display().to_string()
}

/// `joinedup --db DB ARGS...` with this test's own data directory.
fn run(db: &str, home: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_joinedup"))
        .env("XDG_DATA_HOME", home)
        .env("HOME", home)
        .arg("--db")
        .arg(db)
        .args(args)
        .output()
        .expect("run joinedup")
}

fn ok(out: Output) -> String {
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(out.status.success(), "{text}{}", String::from_utf8_lossy(&out.stderr));
    text
}

/// The run's own times (today's date and the time after it: an export's time)
/// masked, as `tests/engines.rs` does.
fn masked(text: &str) -> String {
    let today = chrono::Local::now().date_naive().format("%Y-%m-%d").to_string();
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find(&today) {
        out.push_str(&rest[..i]);
        let tail = &rest[i + today.len()..];
        let time_len = tail
            .char_indices()
            .take_while(|(n, c)| *n < 9 && (c.is_ascii_digit() || *c == ':' || *c == 'T' || *c == ' '))
            .count();
        out.push_str("<run time>");
        rest = &tail[time_len..];
    }
    out.push_str(rest);
    out
}

fn now() -> NaiveDateTime {
    chrono::Local::now().naive_local()
}

/// A target: a SQLite file, or a scratch PostgreSQL database.
struct Target {
    db: String,
    home: tempfile::TempDir,
    _dir: tempfile::TempDir,
    server: Option<ScratchDatabase>,
}

impl Target {
    fn run(&self, args: &[&str]) -> Output {
        run(&self.db, self.home.path(), args)
    }

    /// Rows in the tables a move writes, and the audit log's length.
    fn fingerprint(&self) -> Vec<i64> {
        let keys = tempfile::tempdir().unwrap();
        let store = match &self.server {
            Some(s) => Store::open_server(s.url(), keys.path()).unwrap(),
            None => Store::open(Path::new(&self.db)).unwrap(),
        };
        [
            "person",
            "episode",
            "care_plan",
            "person_link",
            "audit_event",
            "meta",
            "import_run",
        ]
        .iter()
        .map(|t| {
            store
                .connection()
                .query_row(&format!("SELECT count(*) FROM {t}"), [], |r| r.get(0))
                .unwrap()
        })
        .collect()
    }

    /// `import-db PATH` as the information governance lead.
    fn import_db(&self, path: &Path, extra: &[&str]) -> Output {
        let mut args = vec!["--role", "ig-lead", "import-db", path.to_str().unwrap()];
        args.extend_from_slice(extra);
        self.run(&args)
    }
}

/// The SQLite target, and the PostgreSQL one when a server answers; each already
/// holding a person of its own (a move never assumes an empty target).
fn targets(label: &str) -> Vec<Target> {
    let mut out = Vec::new();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("team.db").display().to_string();
    out.push(Target {
        db: file,
        home: tempfile::tempdir().unwrap(),
        _dir: dir,
        server: None,
    });
    if let Some(server) = ScratchDatabase::create(label) {
        out.push(Target {
            db: server.url().to_owned(),
            home: tempfile::tempdir().unwrap(),
            _dir: tempfile::tempdir().unwrap(),
            server: Some(server),
        });
    }
    for t in &out {
        ok(t.run(&["import", &data("fixtures/long-history.json")]));
    }
    out
}

fn id_of(service: &mut Service, nhs: &str) -> i64 {
    service.find_by_nhs_text(nhs, now()).unwrap().id
}

/// A desktop database: generated people, the fixtures (a restricted person, sensitive
/// items and plans), a changed spell, a recorded CHC Checklist, a confirmed link and
/// a rejected match.
fn desktop(dir: &Path) -> PathBuf {
    let path = dir.join("desktop.db");
    let db = path.to_str().unwrap();
    let home = dir.join("home");
    ok(run(
        db,
        &home,
        &["generate", "--people", "5", "--seed", "500", "--as-of", AS_OF],
    ));
    ok(run(db, &home, &["import", &data("fixtures/training.json")]));
    let actor = Actor {
        user: "coordinator".into(),
        role: Some(Role::CareCoordinator),
    };
    let mut s = Service::new(Store::open(&path).unwrap(), actor, false).unwrap();
    let today = chrono::Local::now().date_naive();
    let margaret = id_of(&mut s, MARGARET);
    let record = s.open_record(margaret, today, now()).unwrap();
    let spell = &record.record.spells[0];
    s.change_spell(
        margaret,
        spell.episode_id,
        spell.revision.number,
        &[SpellChange::SetPathway(Some(2))],
        today,
        now(),
    )
    .unwrap();
    let checklist = ChcAssessment {
        episode_id: 0,
        kind: ChcAssessmentKind::Checklist,
        completed_on: today,
        completed_by: Some("Ward nurse".into()),
        domains: ChcDomain::CHECKLIST
            .iter()
            .map(|d| {
                (
                    *d,
                    if matches!(d, ChcDomain::Mobility | ChcDomain::Cognition) {
                        "A"
                    } else {
                        "C"
                    }
                    .into(),
                )
            })
            .collect(),
        mdt_recommendation: None,
        icb_decision: None,
        recorded_positive: None,
        evidence: vec![],
    };
    s.record_chc(margaret, &checklist, today, now()).unwrap();
    let (lisa, harold) = (id_of(&mut s, LISA), id_of(&mut s, HAROLD));
    s.link_person(lisa, harold, now()).unwrap();
    s.reject_match(margaret, harold, now()).unwrap();
    path
}

/// Every NHS number the desktop database holds.
fn nhs_numbers(path: &Path) -> Vec<String> {
    let c = rusqlite::Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
    let mut stmt = c
        .prepare("SELECT nhs_number FROM person WHERE nhs_number IS NOT NULL ORDER BY nhs_number")
        .unwrap();
    stmt.query_map([], |r| r.get(0)).unwrap().map(|r| r.unwrap()).collect()
}

fn sha(path: &Path) -> Vec<u8> {
    use sha2::Digest;
    sha2::Sha256::digest(std::fs::read(path).unwrap()).to_vec()
}

#[test]
fn a_desktop_database_reads_the_same_on_the_team_database() {
    let dir = tempfile::tempdir().unwrap();
    let path = desktop(dir.path());
    let numbers = nhs_numbers(&path);
    assert!(numbers.len() >= 10, "{numbers:?}");
    for (i, t) in targets("importdb").iter().enumerate() {
        let before = sha(&path);
        let format: &[&str] = if i == 0 { &[] } else { &["--format", "json"] };
        let moved = ok(t.import_db(&path, format));
        assert_eq!(sha(&path), before, "the desktop file is not changed");
        assert!(
            moved.contains("audit_event") || moved.contains("audit events"),
            "{moved}"
        );
        let verified = ok(t.run(&["audit", "verify"]));
        assert!(verified.starts_with("audit log intact"), "{verified}");
        let home = dir.path().join("home");
        for nhs in &numbers {
            let reason = "information governance check of the move";
            for args in [
                vec!["show", "--nhs", nhs, "--json"],
                vec!["show", "--nhs", nhs, "--json", "--reason", reason],
                vec!["plans", "--nhs", nhs, "--json", "--reason", reason],
                vec!["export", "--nhs", nhs, "--reason", reason],
            ] {
                let there = masked(&ok(t.run(&args)));
                let here = masked(&ok(run(path.to_str().unwrap(), &home, &args)));
                assert_eq!(here, there, "{args:?} differs after the move");
            }
        }
        // A restricted person (Lisa's record, linked to Harold, made him restricted) is
        // still withheld on the target without a reason, and shown with one.
        let shown = |extra: &[&str]| -> serde_json::Value {
            let mut args = vec!["show", "--nhs", HAROLD, "--json"];
            args.extend_from_slice(extra);
            serde_json::from_str(&ok(t.run(&args))).unwrap()
        };
        let hidden = shown(&[]);
        assert_eq!(hidden["restricted"], true, "{hidden}");
        let items = hidden["episodes"].as_array().unwrap();
        assert!(
            !items.is_empty() && items.iter().all(|e| e["sensitivity"] == "restricted"),
            "{hidden}"
        );
        let revealed = shown(&["--reason", "information governance check of the move"]);
        let items = revealed["episodes"].as_array().unwrap();
        assert!(items.iter().all(|e| e["sensitivity"] != "restricted"), "{revealed}");
        assert!(items.iter().any(|e| e["sensitivity"] != "normal"), "{revealed}");
        // Moving the same desktop database again is refused, and changes nothing.
        let counted = t.fingerprint();
        let again = t.import_db(&path, &[]);
        assert_refused(&again, "already moved");
        assert_eq!(t.fingerprint(), counted);
        assert!(ok(t.run(&["audit", "verify"])).starts_with("audit log intact"));
        // The moved items are sealed under the target's key: a later change outside
        // the program is caught.
        if t.server.is_none() {
            let c = rusqlite::Connection::open(&t.db).unwrap();
            c.execute_batch(
                "DROP TRIGGER episode_seal_update;
                 UPDATE episode SET title = 'changed' WHERE id = (SELECT max(id) FROM episode);",
            )
            .unwrap();
            drop(c);
            let verify = t.run(&["audit", "verify"]);
            assert!(!verify.status.success());
            let said = String::from_utf8_lossy(&verify.stdout);
            assert!(said.contains("changed, added or removed outside the program"), "{said}");
        }
    }
}

fn assert_refused(out: &Output, want: &str) {
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{want}: it succeeded");
    assert!(err.contains(want), "{want}: {err}");
    assert_eq!(err.trim_end().lines().count(), 1, "one sentence: {err}");
}

/// Each refusal says why in one sentence and leaves the target as it was.
#[test]
fn refusals_leave_the_target_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let path = desktop(dir.path());
    let home = dir.path().join("home");
    let training = dir.path().join("training.db");
    ok(run(
        training.to_str().unwrap(),
        &home,
        &["--training", "board", "--as-of", AS_OF],
    ));
    let tampered = copy_of(&path, "tampered.db");
    let c = rusqlite::Connection::open(&tampered).unwrap();
    c.execute_batch("DROP TRIGGER episode_seal_update; UPDATE episode SET title = 'changed' WHERE id = 1;")
        .unwrap();
    drop(c);
    let keyless = copy_of(&path, "keyless.db");
    std::fs::remove_file(dir.path().join("keyless.db.audit-key")).unwrap();
    for t in targets("importdbrefused") {
        let before = t.fingerprint();
        assert_refused(&t.import_db(&training, &[]), "is a training database");
        assert_refused(
            &t.import_db(&tampered, &[]),
            "the audit log of tampered.db does not verify",
        );
        assert_refused(
            &t.import_db(&keyless, &[]),
            "the audit log of keyless.db cannot be verified",
        );
        let coordinator = t.run(&["--role", "care-coordinator", "import-db", path.to_str().unwrap()]);
        assert_refused(&coordinator, "for the information governance lead");
        assert_eq!(t.fingerprint(), before);
        // A person whose NHS number the target already holds: merging is later work.
        ok(t.run(&["import", &data("fixtures/training.json")]));
        let before = t.fingerprint();
        let out = t.import_db(&path, &[]);
        assert_refused(&out, "people of desktop.db have NHS numbers already on this database");
        assert!(String::from_utf8_lossy(&out.stderr).contains("merging records on the server is later work"));
        assert_eq!(t.fingerprint(), before);
    }
    let itself = run(
        path.to_str().unwrap(),
        &home,
        &["--role", "ig-lead", "import-db", path.to_str().unwrap()],
    );
    assert_refused(&itself, "is this database itself");
}

/// A copy of a desktop database with its key and anchor beside it.
fn copy_of(path: &Path, name: &str) -> PathBuf {
    let to = path.with_file_name(name);
    for suffix in ["", ".audit-key", ".audit-anchor"] {
        let from = format!("{}{suffix}", path.display());
        std::fs::copy(&from, format!("{}{suffix}", to.display())).unwrap();
    }
    to
}

/// A row late in the copy that names a person the desktop does not hold (a match
/// decision about someone since removed outside the program): the move stops
/// there and nothing of it is kept, on either engine.
#[test]
fn a_failure_late_in_the_copy_leaves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = desktop(dir.path());
    let c = rusqlite::Connection::open(&path).unwrap();
    c.execute_batch(
        "PRAGMA foreign_keys = OFF;
         INSERT INTO match_rejection (person_id, candidate_id, rejected_at, rejected_by)
         VALUES ((SELECT min(id) FROM person), 999999, '2026-11-22T10:00:00', 'someone');",
    )
    .unwrap();
    drop(c);
    for t in targets("importdblate") {
        let before = t.fingerprint();
        assert_refused(
            &t.import_db(&path, &[]),
            "the desktop database is damaged (match_rejection.candidate_id",
        );
        assert_eq!(t.fingerprint(), before);
        assert!(ok(t.run(&["audit", "verify"])).starts_with("audit log intact"));
    }
}
