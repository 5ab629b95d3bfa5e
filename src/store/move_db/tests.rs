//! The move's store part: every column accounted for, a move on both engines
//! (counts, the audit log verified, restriction kept), and its refusals.

use std::collections::HashSet;

use super::tables::{AFTER_HISTORY, BEFORE_HISTORY, NOT_CARRIED};
use super::*;

#[test]
fn every_column_of_every_table_is_carried_or_said_why_not() {
    let store = Store::open_in_memory().unwrap();
    let c = store.sqlite_connection().unwrap();
    let mut stmt = c
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        .unwrap();
    let names: Vec<String> = stmt.query_map([], |r| r.get(0)).unwrap().map(|r| r.unwrap()).collect();
    let not_carried: HashSet<&str> = NOT_CARRIED.iter().map(|(t, _)| *t).collect();
    let listed: Vec<_> = BEFORE_HISTORY.iter().chain(AFTER_HISTORY).collect();
    for name in &names {
        if not_carried.contains(name.as_str()) {
            continue;
        }
        let table = listed
            .iter()
            .find(|t| t.name == name)
            .unwrap_or_else(|| panic!("table {name} is neither copied nor in NOT_CARRIED"));
        let mut info = c.prepare(&format!("PRAGMA table_info({name})")).unwrap();
        let columns: Vec<String> = info.query_map([], |r| r.get(1)).unwrap().map(|r| r.unwrap()).collect();
        let copied: HashSet<String> = table
            .columns
            .iter()
            .map(|(c, _)| c.trim_matches('"').to_owned())
            .collect();
        for column in &columns {
            assert!(
                copied.contains(column) || not_carried.contains(column.as_str()),
                "{name}.{column} is neither copied nor in NOT_CARRIED"
            );
        }
        for column in &copied {
            assert!(
                columns.contains(column),
                "{name}.{column} is copied but not in the schema"
            );
        }
    }
    for t in &listed {
        assert!(names.iter().any(|n| n == t.name), "{} is not a table", t.name);
    }
}

fn at(s: &str) -> NaiveDateTime {
    crate::domain::dates::parse_date_time(s).unwrap()
}

/// A desktop database file holding the store tests' batch, its person restricted.
fn desktop(dir: &Path) -> PathBuf {
    let path = dir.join("desktop.db");
    let mut store = Store::open(&path).unwrap();
    let mut batch = crate::store::tests::batch();
    batch.people[0].is_restricted = true;
    store.apply_import(&batch, at("2026-11-22T09:00:00")).unwrap();
    path
}

fn count(conn: &Conn, sql: &str) -> i64 {
    conn.query_row(sql, [], |r| r.get(0)).unwrap()
}

fn moves_everything(mut target: Store) {
    let dir = tempfile::tempdir().unwrap();
    let src = Store::open_desktop_database(&desktop(dir.path())).unwrap();
    let people = count(&src.store.conn, "SELECT count(*) FROM person");
    let items = count(&src.store.conn, "SELECT count(*) FROM episode");
    let events = count(&src.store.conn, "SELECT count(*) FROM audit_event");
    let restricted = count(&src.store.conn, "SELECT count(*) FROM person WHERE is_restricted = 1");
    assert!(restricted > 0, "the batch holds a restricted person");
    let s = target
        .move_database_from(
            &src,
            "ig (Information governance lead, claimed)",
            at("2026-12-01T10:00:00"),
            &mut |_, _| true,
        )
        .unwrap();
    assert_eq!(s.rows("person") as i64, people);
    assert_eq!(s.rows("episode") as i64, items);
    assert_eq!(s.audit_events as i64, events);
    assert_eq!(s.restricted_people as i64, restricted);
    let t = target.connection();
    assert_eq!(
        count(t, "SELECT count(*) FROM person WHERE is_restricted = 1"),
        restricted
    );
    assert_eq!(count(t, "SELECT count(*) FROM episode WHERE import_run_id IS NULL"), 0);
    assert!(matches!(target.audit_report().unwrap().outcome(), AuditOutcome::Intact));
    // The move's event seals every copied item.
    assert_eq!(target.audit_report().unwrap().unsealed_items, 0);
    // A second move of the same file is refused, and writes nothing.
    let before = count(target.connection(), "SELECT count(*) FROM audit_event");
    let again = target.move_database_from(&src, "ig", at("2026-12-01T11:00:00"), &mut |_, _| true);
    assert!(
        matches!(&again, Err(StoreError::Refused(m)) if m.contains("already moved")),
        "{again:?}"
    );
    assert_eq!(count(target.connection(), "SELECT count(*) FROM audit_event"), before);
}

#[test]
fn a_move_copies_everything_onto_sqlite() {
    moves_everything(Store::open_in_memory().unwrap());
}

#[test]
fn a_move_copies_everything_onto_postgres() {
    if let Some(db) = crate::store::ScratchDatabase::create("move_db_store") {
        moves_everything(db.open().unwrap());
    }
}

#[test]
fn opening_the_desktop_file_changes_nothing_and_a_newer_schema_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = desktop(dir.path());
    let before = std::fs::read(&path).unwrap();
    let src = Store::open_desktop_database(&path).unwrap();
    assert!(matches!(
        src.store.audit_report().unwrap().outcome(),
        AuditOutcome::Intact
    ));
    drop(src);
    assert_eq!(std::fs::read(&path).unwrap(), before);
    let c = rusqlite::Connection::open(&path).unwrap();
    c.pragma_update(None, "user_version", 99).unwrap();
    drop(c);
    assert!(matches!(
        Store::open_desktop_database(&path),
        Err(StoreError::TooNew { found: 99, .. })
    ));
}
