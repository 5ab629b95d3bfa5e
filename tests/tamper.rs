//! Tamper evidence (issue "Trust in one place", sections 4 and 5): an attacker who
//! has the database file opens it with plain SQLite, drops the triggers, deletes or
//! alters rows and recomputes the SHA-256 chain; `verify_audit` must say BROKEN, and
//! why. Also: an honest log verifies, an interrupted anchor write is tolerated, a
//! database without its key is not silently verified, and the files are private.

use std::path::{Path, PathBuf};

use chrono::NaiveDateTime;
use joinedup::import::{self, ImportOptions};
use joinedup::store::{AuditEvent, AuditOutcome, AuditProblemKind, AuditVerification, Store, StoreError};
use sha2::{Digest, Sha256};

fn at(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M").unwrap()
}

fn event(action: &str, n: usize) -> AuditEvent {
    AuditEvent {
        id: 0,
        at: at("2026-11-22T10:00") + chrono::Duration::minutes(n as i64),
        actor: "coordinator (Care coordinator)".into(),
        action: action.into(),
        person_id: Some(1 + (n as i64 % 3)),
        detail: format!("event {n}"),
        reason: None,
    }
}

/// A database with `n` honest events.
fn logged(dir: &Path, n: usize) -> PathBuf {
    let path = dir.join("care.db");
    let mut store = Store::open(&path).unwrap();
    for i in 0..n {
        store
            .append_audit(&event(["open", "search", "export"][i % 3], i))
            .unwrap();
    }
    path
}

fn verify(path: &Path) -> AuditVerification {
    Store::open(path).unwrap().verify_audit().unwrap()
}

fn assert_broken(v: AuditVerification, words: &str) {
    match v {
        AuditVerification::Broken { problem, .. } => assert!(problem.contains(words), "{problem}"),
        other => panic!("verified as {other:?}; expected broken ({words})"),
    }
}

/// The attacker's tools: plain SQLite on the file, and the chain's formula.
fn attacker(path: &Path) -> rusqlite::Connection {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.execute_batch("DROP TRIGGER audit_event_no_update; DROP TRIGGER audit_event_no_delete;")
        .unwrap();
    conn
}

fn chain_hash(prev: &str, parts: &[String]) -> String {
    let mut h = Sha256::new();
    h.update(prev.as_bytes());
    h.update([0u8]);
    for p in parts {
        h.update(p.as_bytes());
        h.update([0u8]);
    }
    format!("{:x}", h.finalize())
}

/// Recompute every event's prev_hash and hash, as an attacker covering an edit would.
fn recompute_chain(conn: &rusqlite::Connection) {
    let rows: Vec<(i64, Vec<String>)> = conn
        .prepare("SELECT id, at, actor, action, person_id, detail, reason FROM audit_event ORDER BY id")
        .unwrap()
        .query_map([], |r| {
            Ok((
                r.get(0)?,
                vec![
                    r.get::<_, String>(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get::<_, Option<i64>>(4)?.map(|p| p.to_string()).unwrap_or_default(),
                    r.get(5)?,
                    r.get::<_, Option<String>>(6)?.unwrap_or_default(),
                ],
            ))
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let mut prev = "0".repeat(64);
    for (id, parts) in rows {
        let hash = chain_hash(&prev, &parts);
        conn.execute(
            "UPDATE audit_event SET prev_hash = ?2, hash = ?3 WHERE id = ?1",
            rusqlite::params![id, prev, hash],
        )
        .unwrap();
        prev = hash;
    }
}

#[test]
fn an_honest_log_of_many_events_verifies() {
    let dir = tempfile::tempdir().unwrap();
    let path = logged(dir.path(), 300);
    assert_eq!(verify(&path), AuditVerification::Intact { events: 300 });
    let report = Store::open(&path).unwrap().audit_report().unwrap();
    assert_eq!(report.outcome(), AuditOutcome::Intact);
    assert_eq!(report.events_after_anchor, 0);
    assert_eq!(report.chain_only_events, 0);
}

#[test]
fn removing_the_last_events_is_truncation() {
    let dir = tempfile::tempdir().unwrap();
    let path = logged(dir.path(), 10);
    attacker(&path)
        .execute("DELETE FROM audit_event WHERE id > 8", [])
        .unwrap();
    assert_broken(verify(&path), "removed from the end");
    let report = Store::open(&path).unwrap().audit_report().unwrap();
    assert_eq!(report.problem.unwrap().kind, AuditProblemKind::Truncated);
}

#[test]
fn an_older_copy_of_the_database_put_back_is_truncation() {
    let dir = tempfile::tempdir().unwrap();
    let path = logged(dir.path(), 5);
    let older = dir.path().join("older.db");
    Store::open(&path)
        .unwrap()
        .connection()
        .execute("VACUUM INTO ?1", [older.to_str().unwrap()])
        .unwrap();
    let mut store = Store::open(&path).unwrap();
    store.append_audit(&event("break_glass", 6)).unwrap();
    drop(store);
    std::fs::rename(&older, &path).unwrap();
    let _ = std::fs::remove_file(dir.path().join("care.db-wal"));
    let _ = std::fs::remove_file(dir.path().join("care.db-shm"));
    assert_broken(verify(&path), "removed from the end");
}

#[test]
fn an_edit_with_the_chain_recomputed_is_caught_by_the_mac() {
    let dir = tempfile::tempdir().unwrap();
    let path = logged(dir.path(), 10);
    let conn = attacker(&path);
    conn.execute(
        "UPDATE audit_event SET action = 'search', reason = NULL, detail = 'nothing to see' WHERE id = 4",
        [],
    )
    .unwrap();
    recompute_chain(&conn);
    drop(conn);
    match verify(&path) {
        AuditVerification::Broken { at_event, problem } => {
            assert_eq!(at_event, 4);
            assert!(problem.contains("MAC does not verify"), "{problem}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn an_edit_of_the_last_event_with_the_chain_recomputed_is_caught() {
    let dir = tempfile::tempdir().unwrap();
    let path = logged(dir.path(), 4);
    let conn = attacker(&path);
    conn.execute("UPDATE audit_event SET person_id = 3 WHERE id = 4", [])
        .unwrap();
    recompute_chain(&conn);
    // Removing the MAC does not help either.
    conn.execute("UPDATE audit_event SET mac = NULL WHERE id = 4", [])
        .unwrap();
    drop(conn);
    match verify(&path) {
        AuditVerification::Broken { at_event, problem } => {
            assert_eq!(at_event, 4);
            assert!(problem.contains("no MAC"), "{problem}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn an_edit_or_deletion_in_the_middle_is_caught() {
    let dir = tempfile::tempdir().unwrap();
    let path = logged(dir.path(), 10);
    let conn = attacker(&path);
    conn.execute("UPDATE audit_event SET actor = 'someone else' WHERE id = 5", [])
        .unwrap();
    drop(conn);
    assert_broken(verify(&path), "altered");

    let dir = tempfile::tempdir().unwrap();
    let path = logged(dir.path(), 10);
    let conn = attacker(&path);
    conn.execute("DELETE FROM audit_event WHERE id = 5", []).unwrap();
    drop(conn);
    assert_broken(verify(&path), "removed");

    // Deleted in the middle and the chain recomputed: the MACs bind each event's id.
    let dir = tempfile::tempdir().unwrap();
    let path = logged(dir.path(), 10);
    let conn = attacker(&path);
    conn.execute("DELETE FROM audit_event WHERE id = 5", []).unwrap();
    recompute_chain(&conn);
    drop(conn);
    assert_broken(verify(&path), "MAC does not verify");
}

/// The process dies after the commit and before the anchor file is written: the
/// anchor is behind the log. That is told, not called tampering.
#[test]
fn an_anchor_behind_the_log_is_tolerated_and_reported() {
    let dir = tempfile::tempdir().unwrap();
    let path = logged(dir.path(), 3);
    let anchor = dir.path().join("care.db.audit-anchor");
    let saved = std::fs::read(&anchor).unwrap();
    let mut store = Store::open(&path).unwrap();
    store.append_audit(&event("open", 4)).unwrap();
    store.append_audit(&event("open", 5)).unwrap();
    drop(store);
    std::fs::write(&anchor, saved).unwrap();
    let store = Store::open(&path).unwrap();
    assert_eq!(store.verify_audit().unwrap(), AuditVerification::Intact { events: 5 });
    let report = store.audit_report().unwrap();
    assert_eq!(report.events_after_anchor, 2);
    assert!(
        report.lines().iter().any(|l| l.contains("after the anchor")),
        "{:?}",
        report.lines()
    );
    // The next append brings the anchor up to date.
    let mut store = store;
    store.append_audit(&event("open", 6)).unwrap();
    assert_eq!(store.audit_report().unwrap().events_after_anchor, 0);
}

#[test]
fn a_forged_or_missing_anchor_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let path = logged(dir.path(), 3);
    let anchor = dir.path().join("care.db.audit-anchor");
    let text = std::fs::read_to_string(&anchor).unwrap();
    std::fs::write(&anchor, text.replace("events 3", "events 1")).unwrap();
    assert_broken(verify(&path), "MAC does not verify");
    std::fs::remove_file(&anchor).unwrap();
    assert_broken(verify(&path), "anchor file beside the database is missing");
}

#[test]
fn a_database_without_its_key_is_not_verified_and_takes_no_events() {
    let dir = tempfile::tempdir().unwrap();
    let path = logged(dir.path(), 3);
    let key = dir.path().join("care.db.audit-key");
    let elsewhere = dir.path().join("kept-safe");
    std::fs::rename(&key, &elsewhere).unwrap();
    let mut store = Store::open(&path).unwrap();
    let report = store.audit_report().unwrap();
    match report.outcome() {
        AuditOutcome::CannotVerify(why) => assert!(why.starts_with("key missing, cannot verify MACs"), "{why}"),
        other => panic!("{other:?}"),
    }
    assert_broken(store.verify_audit().unwrap(), "key missing, cannot verify MACs");
    let err = store.append_audit(&event("open", 4)).unwrap_err();
    assert!(matches!(err, StoreError::AuditKeyMissing { .. }), "{err}");
    // Put back, everything verifies again.
    drop(store);
    std::fs::rename(&elsewhere, &key).unwrap();
    assert_eq!(verify(&path), AuditVerification::Intact { events: 3 });
    // Or, lost for good: a new key, recorded in the log; earlier events by the chain.
    std::fs::remove_file(&key).unwrap();
    let mut store = Store::open(&path).unwrap();
    store.start_new_audit_key("operator", at("2026-11-23T09:00")).unwrap();
    store.append_audit(&event("open", 5)).unwrap();
    let report = store.audit_report().unwrap();
    assert_eq!(report.outcome(), AuditOutcome::Intact);
    assert_eq!((report.events, report.chain_only_events), (5, 3));
    let events = store.audit_events(10).unwrap();
    assert_eq!(events[1].action, "audit_key_replaced");
}

#[test]
fn a_key_from_another_database_is_not_used() {
    let dir = tempfile::tempdir().unwrap();
    let path = logged(dir.path(), 2);
    let other_dir = tempfile::tempdir().unwrap();
    logged(other_dir.path(), 1);
    std::fs::copy(
        other_dir.path().join("care.db.audit-key"),
        dir.path().join("care.db.audit-key"),
    )
    .unwrap();
    assert_broken(verify(&path), "key mismatched");
}

#[test]
fn two_processes_appending_at_once_keep_one_chain() {
    let dir = tempfile::tempdir().unwrap();
    let path = logged(dir.path(), 1);
    std::thread::scope(|s| {
        for t in 0..4 {
            let path = &path;
            s.spawn(move || {
                let mut store = Store::open(path).unwrap();
                for i in 0..25 {
                    store.append_audit(&event("open", 100 * t + i)).unwrap();
                }
            });
        }
    });
    let store = Store::open(&path).unwrap();
    assert_eq!(store.verify_audit().unwrap(), AuditVerification::Intact { events: 101 });
    assert_eq!(store.audit_report().unwrap().events_after_anchor, 0);
}

// --- Data rows changed outside the program ---------------------------------------

const ADMITTED: &str = "MSH|^~\\&|PAS|NGH|JOINEDUP|WM|202610021705||ADT^A01^ADT_A01|M1|P|2.4\rEVN|A01|202610022105\rPID|1||NG12345^^^NGH^MR~9990000026^^^NHS^NH||BENNETT^HAROLD^^^MR||19380930|M\rPV1|1|I|BIRCH^^BED4^NGH|21||||||||||19|||||V1001^^^VISITID|||||||||||||||||||||||||202610022105\r";
const DISCHARGED: &str = "MSH|^~\\&|PAS|NGH|JOINEDUP|WM|202610161500||ADT^A03^ADT_A03|M3|P|2.4\rPID|1||9990000026^^^NHS||BENNETT^HAROLD\rPV1|1|I|ELM^^BED1^NGH|21||||||||||19|||||V1001^^^VISITID|||||||||||||||||1|19|||||||202610022105|202610161500\r";

/// Import `bytes` and write its audit event, as `joinedup import` does.
fn import_file(store: &mut Store, name: &str, bytes: &[u8]) -> joinedup::domain::batch::ImportSummary {
    let parsed = import::parse_bytes(name, bytes, ImportOptions::default()).unwrap();
    assert!(parsed.rejections.is_empty(), "{:?}", parsed.rejections);
    let summary = store.apply_import(&parsed.batch, at("2026-11-22T09:00")).unwrap();
    store.append_audit(&event("import", 0)).unwrap();
    summary
}

fn imported(dir: &Path) -> PathBuf {
    let path = dir.join("care.db");
    let mut store = Store::open(&path).unwrap();
    let training = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/training.json")).unwrap();
    import_file(&mut store, "training.json", &training);
    import_file(&mut store, "adt.hl7", ADMITTED.as_bytes());
    path
}

#[test]
fn an_episode_changed_outside_the_program_is_caught() {
    let dir = tempfile::tempdir().unwrap();
    let path = imported(dir.path());
    assert!(matches!(verify(&path), AuditVerification::Intact { .. }));
    let conn = rusqlite::Connection::open(&path).unwrap();
    // With the triggers in place, plain SQLite cannot change a sealed column at all.
    let refused = conn.execute("UPDATE episode SET title = 'Nothing happened' WHERE id = 3", []);
    assert!(refused.is_err(), "a sealed row changed without the program's key");
    conn.execute_batch("DROP TRIGGER episode_seal_update; DROP TRIGGER episode_seal_delete;")
        .unwrap();
    conn.execute(
        "UPDATE episode SET sensitivity = 'normal', detail = '' WHERE id = 3",
        [],
    )
    .unwrap();
    drop(conn);
    assert_broken(verify(&path), "changed, added or removed outside the program");
}

/// The restriction ledger: a restricted person, or a plan in a sensitive category,
/// made open with plain SQLite is caught (the program never lifts a restriction).
#[test]
fn a_restriction_lifted_outside_the_program_is_caught() {
    for lift in [
        "UPDATE person SET is_restricted = 0 WHERE nhs_number = '9990000093'",
        "UPDATE care_plan SET sensitivity = 'normal' WHERE sensitivity <> 'normal'",
    ] {
        let dir = tempfile::tempdir().unwrap();
        let path = imported(dir.path());
        assert!(matches!(verify(&path), AuditVerification::Intact { .. }));
        let conn = rusqlite::Connection::open(&path).unwrap();
        assert!(conn.execute(lift, []).unwrap() > 0, "{lift}");
        drop(conn);
        assert_broken(verify(&path), "is not restricted now");
    }
}

/// A restricted record linked to a person makes that person restricted: its items
/// do not open up where they go.
#[test]
fn linking_a_restricted_record_keeps_its_items_restricted() {
    let dir = tempfile::tempdir().unwrap();
    let path = imported(dir.path());
    let mut store = Store::open(&path).unwrap();
    let id = |nhs: &str| -> i64 {
        store
            .connection()
            .query_row("SELECT id FROM person WHERE nhs_number = ?1", [nhs], |r| r.get(0))
            .unwrap()
    };
    let (lisa, harold) = (id("9990000093"), id("9990000026"));
    store.link_person(lisa, harold, &event("match_confirmed", 1)).unwrap();
    let restricted: bool = store
        .connection()
        .query_row("SELECT is_restricted FROM person WHERE id = ?1", [harold], |r| r.get(0))
        .unwrap();
    assert!(restricted);
    drop(store);
    assert!(matches!(verify(&path), AuditVerification::Intact { .. }));
}

#[test]
fn an_episode_removed_outside_the_program_is_caught() {
    let dir = tempfile::tempdir().unwrap();
    let path = imported(dir.path());
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch("DROP TRIGGER episode_seal_delete;").unwrap();
    conn.execute("DELETE FROM episode WHERE id = (SELECT max(id) FROM episode)", [])
        .unwrap();
    drop(conn);
    assert_broken(verify(&path), "changed, added or removed outside the program");
}

#[test]
fn removing_a_data_seal_is_caught() {
    let dir = tempfile::tempdir().unwrap();
    let path = imported(dir.path());
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch("DELETE FROM data_seal WHERE id = 1;").unwrap();
    drop(conn);
    assert_broken(verify(&path), "data seals are not the ones the audit log made");
}

#[test]
fn legitimate_changes_keep_the_seal_true() {
    let dir = tempfile::tempdir().unwrap();
    let path = imported(dir.path());
    let mut store = Store::open(&path).unwrap();
    // A later HL7 file discharges the stored spell: the program updates the row.
    let later = import_file(&mut store, "adt-2.hl7", DISCHARGED.as_bytes());
    assert_eq!(later.episodes_updated, 1);
    // A confirmed match moves items to another person; a coordinator edits a spell.
    store
        .connection()
        .execute(
            "UPDATE episode SET person_id = (SELECT min(id) FROM person) WHERE id = 2",
            [],
        )
        .unwrap();
    store
        .connection()
        .execute("UPDATE hospital_spell SET next_action = 'Call the family'", [])
        .unwrap();
    let report = store.audit_report().unwrap();
    assert_eq!(report.outcome(), AuditOutcome::Intact, "{:?}", report.lines());
    assert!(report.sealed_items > 0);
    assert_eq!(report.unsealed_items, 0);
}

// --- Restricted disclosure via file access ---------------------------------------

#[cfg(unix)]
#[test]
fn the_database_its_journal_files_and_key_are_private() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("share").join("joinedup");
    let path = data.join("joinedup.db");
    let mut store = Store::open(&path).unwrap();
    store.append_audit(&event("open", 1)).unwrap();
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    for name in [
        "joinedup.db",
        "joinedup.db-wal",
        "joinedup.db-shm",
        "joinedup.db.audit-key",
        "joinedup.db.audit-anchor",
    ] {
        assert_eq!(mode(&data.join(name)), 0o600, "{name}");
    }
    assert_eq!(mode(&data), 0o700);
    assert_eq!(mode(&dir.path().join("share")), 0o700);
    drop(store);
    // A database made by an older version with a wider mode is tightened on open.
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    Store::open(&path).unwrap();
    assert_eq!(mode(&path), 0o600);
}

/// A user removes the database to start again: the key files beside it belonged to
/// the removed one and are set aside, not used (nor deleted).
#[test]
fn a_new_database_beside_old_key_files_starts_afresh() {
    let dir = tempfile::tempdir().unwrap();
    let path = logged(dir.path(), 3);
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    let mut store = Store::open(&path).unwrap();
    store.append_audit(&event("open", 1)).unwrap();
    assert_eq!(store.verify_audit().unwrap(), AuditVerification::Intact { events: 1 });
    assert!(dir.path().join("care.db.audit-key.removed").exists());
    assert!(dir.path().join("care.db.audit-anchor.removed").exists());
}
