//! Parity of the two engines: the same commands on a SQLite file and on a scratch
//! PostgreSQL database give the same output, byte for byte apart from the times
//! of the run. Skips (saying why) when no PostgreSQL server answers, unless
//! `JOINEDUP_TEST_POSTGRES=1`, when it fails instead.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use joinedup::store::ScratchDatabase;

/// `joinedup --db DB ARGS...` with this test's own data directory (where a client
/// keeps its copy of a server's audit key).
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

fn data(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(name).display().to_string()
}

/// The run's own times (today, as the clock said when the command ran) masked.
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
    // Durations ("in 2.5 s", "in 40 ms") are the run's too.
    let mut clean = String::with_capacity(out.len());
    for line in out.lines() {
        let cut = line
            .rfind(" in ")
            .filter(|i| {
                let t = &line[i + 4..];
                t.ends_with(" s") || t.ends_with(" ms") || t.ends_with(" s)") || t.ends_with(" ms)")
            })
            .filter(|i| line[i + 4..].starts_with(|c: char| c.is_ascii_digit()));
        clean.push_str(cut.map_or(line, |i| &line[..i]));
        clean.push('\n');
    }
    clean
}

struct Engine {
    name: &'static str,
    db: String,
    home: tempfile::TempDir,
    _file_dir: Option<tempfile::TempDir>,
    _server: Option<ScratchDatabase>,
}

impl Engine {
    /// What a command printed (both streams) and how it exited, the run's times masked.
    fn run(&self, args: &[&str]) -> String {
        let out = run(&self.db, self.home.path(), args);
        format!(
            "exit {:?}\n{}{}",
            out.status.code(),
            masked(&String::from_utf8_lossy(&out.stdout)),
            // Progress lines (redrawn with a carriage return) carry timings only.
            masked(
                &String::from_utf8_lossy(&out.stderr)
                    .lines()
                    .filter(|l| !l.contains('\r'))
                    .collect::<Vec<_>>()
                    .join("\n")
            )
        )
    }
}

fn engines(label: &str) -> Option<[Engine; 2]> {
    let server = ScratchDatabase::create(label)?;
    let file_dir = tempfile::tempdir().unwrap();
    let file: PathBuf = file_dir.path().join("records.db");
    Some([
        Engine {
            name: "SQLite",
            db: file.display().to_string(),
            home: tempfile::tempdir().unwrap(),
            _file_dir: Some(file_dir),
            _server: None,
        },
        Engine {
            name: "PostgreSQL",
            db: server.url().to_owned(),
            home: tempfile::tempdir().unwrap(),
            _file_dir: None,
            _server: Some(server),
        },
    ])
}

/// Run the same commands on both engines and compare what they print.
fn same_on_both(engines: &[Engine; 2], args: &[&str]) -> String {
    let a = engines[0].run(args);
    let b = engines[1].run(args);
    assert_eq!(
        a, b,
        "{args:?} differs between {} and {}",
        engines[0].name, engines[1].name
    );
    a
}

/// As [`same_on_both`], and it must have succeeded.
fn succeeds_alike(engines: &[Engine; 2], args: &[&str]) -> String {
    let printed = same_on_both(engines, args);
    assert!(printed.starts_with("exit Some(0)\n"), "{args:?}: {printed}");
    printed["exit Some(0)\n".len()..].to_owned()
}

#[test]
fn every_format_imports_alike_and_every_output_reads_alike() {
    let Some(engines) = engines("parity") else { return };
    let files = [
        "fixtures/training.json",
        "fixtures/long-history.json",
        "tests/data/hospital-spells.csv",
        "tests/data/cld-events-cp1252.csv",
        "tests/data/fhir-careplan-bundle.json",
        "tests/data/fhir-interweave-bundle.json",
        "tests/data/adt-sequence.hl7",
    ];
    for f in files {
        // A file with rejected rows exits non-zero, its valid rows kept: alike on both.
        let printed = same_on_both(&engines, &["import", "--valid-rows-only", &data(f)]);
        assert!(printed.contains("added"), "{f}: {printed}");
    }
    // Importing again adds nothing on either.
    same_on_both(&engines, &["import", &data("fixtures/training.json")]);

    let board = succeeds_alike(&engines, &["board", "--as-of", "2026-11-22", "--format", "json"]);
    assert!(board.contains("\"rows\"") || board.starts_with('{'), "{board}");
    same_on_both(&engines, &["board", "--as-of", "2026-11-22", "--format", "csv"]);
    same_on_both(
        &engines,
        &["chc", "caseload", "--as-of", "2026-11-22", "--format", "json"],
    );
    for nhs in ["9990000026", "9990000093", "9990000050", "9990000018"] {
        let shown = succeeds_alike(&engines, &["show", "--nhs", nhs, "--json"]);
        assert!(shown.contains(nhs), "{shown}");
        same_on_both(
            &engines,
            &["show", "--nhs", nhs, "--json", "--reason", "safeguarding review today"],
        );
        same_on_both(&engines, &["plans", "--nhs", nhs, "--json"]);
        same_on_both(&engines, &["export", "--nhs", nhs]);
        same_on_both(&engines, &["export", "--nhs", nhs, "--format", "fhir"]);
    }
    let verified = succeeds_alike(&engines, &["audit", "verify"]);
    assert!(verified.starts_with("audit log intact"), "{verified}");
}

#[test]
fn generated_populations_are_the_same_on_both() {
    let Some(engines) = engines("generate") else { return };
    succeeds_alike(
        &engines,
        &["generate", "--people", "300", "--seed", "11", "--as-of", "2026-11-22"],
    );
    same_on_both(&engines, &["board", "--as-of", "2026-11-22", "--format", "json"]);
    same_on_both(
        &engines,
        &["chc", "caseload", "--as-of", "2026-11-22", "--format", "csv"],
    );
    let verified = succeeds_alike(&engines, &["audit", "verify"]);
    assert!(verified.starts_with("audit log intact"), "{verified}");
}

#[test]
fn a_server_that_cannot_be_used_is_one_clear_sentence() {
    if ScratchDatabase::create("reachable").is_none() {
        return;
    }
    let home = tempfile::tempdir().unwrap();
    let server = joinedup::store::engine::scratch::test_server_url();
    let cases = [
        (
            joinedup::store::engine::scratch::with_database(&server, "no_such_database_here"),
            "database \"no_such_database_here\" does not exist",
        ),
        (
            "postgres://nobody_at_all@127.0.0.1:5432/test".to_owned(),
            "role \"nobody_at_all\" does not exist",
        ),
        ("postgres://root@no-such-host.invalid/test".to_owned(), "no such host"),
        (
            "postgres://root@127.0.0.1:1/test".to_owned(),
            "nothing is listening there",
        ),
        (
            "postgres://root@127.0.0.1:5432/test?sslmode=sometimes".to_owned(),
            "sslmode=sometimes is not one PostgreSQL knows",
        ),
    ];
    for (url, want) in cases {
        let out = run(&url, home.path(), &["board", "--as-of", "2026-11-22"]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{url}");
        assert!(err.contains(want), "{url}: {err}");
        assert_eq!(err.trim_end().lines().count(), 1, "one sentence: {err}");
        assert!(!err.contains("panicked") && !err.contains("Caused by"), "{err}");
    }
}

/// A server that answers the TLS request with "no" (as one without `ssl = on`
/// does): with `sslmode=require` that is one sentence, and nothing is sent in the
/// clear. The server here is a listener that speaks just that much of the protocol.
#[test]
fn tls_required_but_not_offered_is_one_clear_sentence() {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let server = std::thread::spawn(move || {
        let (mut s, _) = listener.accept().unwrap();
        let mut request = [0u8; 8];
        s.read_exact(&mut request).unwrap();
        // SSLRequest: length 8, code 80877103.
        assert_eq!(request, [0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f]);
        s.write_all(b"N").unwrap();
        let mut rest = Vec::new();
        let _ = s.read_to_end(&mut rest);
        rest
    });
    let home = tempfile::tempdir().unwrap();
    let url = format!("postgres://root:secret@127.0.0.1:{port}/test?sslmode=require");
    let out = run(&url, home.path(), &["board", "--as-of", "2026-11-22"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        err.contains("TLS is required (sslmode) but the server does not offer it"),
        "{err}"
    );
    assert_eq!(err.trim_end().lines().count(), 1, "one sentence: {err}");
    assert!(!err.contains("secret"), "the password is never said: {err}");
    let sent_after = server.join().unwrap();
    assert!(sent_after.is_empty(), "nothing was sent in the clear: {sent_after:?}");
}
