//! SQLite: the file (private, WAL, a busy timeout), its pragmas, its migrations
//! (`rusqlite_migration`, the version in `user_version`) and the backup copy made
//! before an upgrade.

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::Connection;
use rusqlite_migration::{M, Migrations};

use super::SqlParam;
use crate::store::{Result, StoreError};

/// The migrations, oldest first. Append only.
pub(in crate::store) const MIGRATION_SQL: &[&str] = &[
    include_str!("../migrations/0001_initial.sql"),
    include_str!("../migrations/0002_lookup_indexes.sql"),
    include_str!("../migrations/0003_discharge_board.sql"),
    include_str!("../migrations/0004_matching.sql"),
    include_str!("../migrations/0005_leaner_episode_indexes.sql"),
    include_str!("../migrations/0006_audit_trust.sql"),
    include_str!("../migrations/0007_plan_sensitivity_and_recent_by_user.sql"),
    include_str!("../migrations/0008_spell_version.sql"),
    include_str!("../migrations/0011_feed_messages.sql"),
    include_str!("../migrations/0012_worklist.sql"),
    include_str!("../migrations/0013_tasks.sql"),
    include_str!("../migrations/0015_plan_need_links.sql"),
    include_str!("../migrations/0016_care_team_and_objections.sql"),
    include_str!("../migrations/0017_alert_rules.sql"),
    include_str!("../migrations/0018_import_run_sha.sql"),
    include_str!("../migrations/0019_feed_message_content.sql"),
    include_str!("../migrations/0020_chc_decision_maker.sql"),
    include_str!("../migrations/0021_person_name_words.sql"),
    include_str!("../migrations/0022_feed_message_reused_id.sql"),
    include_str!("../migrations/0023_plan_action_due_and_version_author.sql"),
    include_str!("../migrations/0024_task_event_items.sql"),
];

pub fn migrations() -> Migrations<'static> {
    Migrations::new(MIGRATION_SQL.iter().map(|sql| M::up(sql)).collect())
}

/// The parameters as rusqlite takes them (no copy).
pub(super) fn refs<'a>(values: &[&'a dyn SqlParam]) -> Vec<&'a dyn rusqlite::ToSql> {
    values.iter().map(|v| *v as &dyn rusqlite::ToSql).collect()
}

/// How long opening waits for another process that holds the write lock (an
/// import, a migration) before giving up.
const LOCK_WAIT: Duration = Duration::from_secs(10);

/// Open (creating if needed) the file, private to the account, migrated to the
/// latest schema after a backup copy if it is older. Also returns the schema
/// version found (0 for a new file).
pub(in crate::store) fn open(path: &Path) -> Result<(Connection, usize)> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        crate::platform::create_dirs_private(dir).map_err(|e| StoreError::Backup {
            backup: dir.to_path_buf(),
            source: e,
        })?;
    }
    make_private_files(path)?;
    let mut conn = Connection::open(path)?;
    configure(&conn)?;
    let found = user_version(&conn)?;
    let known = MIGRATION_SQL.len();
    if found > known {
        return Err(StoreError::TooNew { found, known });
    }
    if found > 0 && found < known {
        let backup = backup_path(path, found);
        if let Err(e) = conn.execute("VACUUM INTO ?1", [backup.to_string_lossy().as_ref()]) {
            // Another process may have migrated (and backed up) meanwhile.
            if user_version(&conn)? < known {
                return Err(StoreError::Backup {
                    backup: backup.clone(),
                    source: std::io::Error::other(e.to_string()),
                });
            }
        }
    }
    migrate(&mut conn)?;
    Ok((conn, found))
}

/// Open an existing file to read only, never migrating, creating or changing it
/// (a desktop database being moved onto a server). A file written by a newer
/// version is refused as [`StoreError::TooNew`]; one written by an older version
/// as [`StoreError::Refused`] (reading it would need the upgrade that opening it
/// normally makes, which would change it).
pub(in crate::store) fn open_read_only(path: &Path) -> Result<Connection> {
    if !path.is_file() {
        return Err(StoreError::Refused(format!(
            "{} is not a database file",
            path.display()
        )));
    }
    let flags = rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags)?;
    conn.busy_timeout(LOCK_WAIT)?;
    conn.pragma_update(None, "query_only", "ON")?;
    let found = user_version(&conn)?;
    let known = MIGRATION_SQL.len();
    if found > known {
        return Err(StoreError::TooNew { found, known });
    }
    if found == 0 {
        return Err(StoreError::Refused(format!(
            "{} is not a joinedup database",
            path.display()
        )));
    }
    if found < known {
        return Err(StoreError::Refused(format!(
            "{} was written by an older version of joinedup (schema {found}); open it once with this version (which upgrades it, keeping a backup) and move it then",
            path.display()
        )));
    }
    Ok(conn)
}

/// A private in-memory database (tests, dry runs).
pub(in crate::store) fn open_in_memory() -> Result<Connection> {
    let mut conn = Connection::open_in_memory()?;
    configure(&conn)?;
    migrate(&mut conn)?;
    Ok(conn)
}

fn configure(conn: &Connection) -> Result<()> {
    conn.busy_timeout(LOCK_WAIT)?;
    set_wal(conn)?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    // 64 MB of page cache: imports write into several large indexes at once.
    conn.pragma_update(None, "cache_size", -65536)?;
    Ok(())
}

/// Keep the planner's statistics fresh after a bulk change, so that partial
/// indexes are chosen (bounded work: `analysis_limit`).
pub(in crate::store) fn optimize(conn: &Connection) -> Result<()> {
    conn.execute_batch("PRAGMA analysis_limit = 1000; PRAGMA optimize = 0x10002;")?;
    Ok(())
}

/// True when `e` is SQLite saying another connection holds a lock.
fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
    )
}

/// Switch to WAL. Changing the journal mode of a new file needs a lock the busy
/// handler does not always wait for, so retry while another opener holds it.
fn set_wal(conn: &Connection) -> Result<()> {
    let deadline = std::time::Instant::now() + LOCK_WAIT;
    loop {
        match conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get::<_, String>(0)) {
            Ok(mode) if mode.eq_ignore_ascii_case("wal") || mode.eq_ignore_ascii_case("memory") => return Ok(()),
            Ok(_) if std::time::Instant::now() < deadline => {}
            Err(e) if is_busy(&e) && std::time::Instant::now() < deadline => {}
            Ok(mode) => {
                return Err(StoreError::Corrupt(format!(
                    "the database stayed in journal mode {mode:?}; another program may hold it open"
                )));
            }
            Err(e) => return Err(e.into()),
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Bring the schema to the latest version under the write lock, reading the
/// version again inside it: another process may have migrated while this one
/// waited. The migrations are `MIGRATION_SQL` (validated by `migrations()`).
fn migrate(conn: &mut Connection) -> Result<()> {
    let known = MIGRATION_SQL.len();
    if user_version(conn)? == known {
        return Ok(());
    }
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let found = user_version(&tx)?;
    if found > known {
        return Err(StoreError::TooNew { found, known });
    }
    for sql in &MIGRATION_SQL[found..] {
        tx.execute_batch(sql)?;
    }
    tx.pragma_update(None, "user_version", known as i64)?;
    tx.commit()?;
    Ok(())
}

/// The database file created `0600` before SQLite opens it (SQLite gives its
/// `-wal` and `-shm` files the database's mode); an older, wider one tightened.
///
/// An existing file is never opened here: closing any descriptor of a file drops
/// every POSIX lock this process holds on it, so opening a second store on a file
/// another store of this process has open (`listen --mllp --watch`) would leave
/// the first one unlocked, and another process closing its connection would then
/// delete the write-ahead log under it, committed transactions and all.
fn make_private_files(path: &Path) -> Result<()> {
    let io = |e: std::io::Error| StoreError::AuditFile {
        path: path.to_path_buf(),
        source: e,
    };
    let mut options = std::fs::OpenOptions::new();
    options.read(true).write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    match options.open(path) {
        Ok(created) => drop(created),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
        Err(e) => return Err(io(e)),
    }
    for suffix in ["", "-wal", "-shm"] {
        let mut name = path.as_os_str().to_os_string();
        name.push(suffix);
        crate::platform::make_private(Path::new(&name)).map_err(io)?;
    }
    Ok(())
}

fn user_version(conn: &Connection) -> Result<usize> {
    let v: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    Ok(usize::try_from(v).unwrap_or(0))
}

fn backup_path(path: &Path, from_version: usize) -> PathBuf {
    let mut name = path.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(format!(".schema{from_version}.bak"));
    let mut candidate = path.with_file_name(&name);
    let mut n = 1;
    while candidate.exists() {
        let mut numbered = name.clone();
        numbered.push(format!(".{n}"));
        candidate = path.with_file_name(numbered);
        n += 1;
    }
    candidate
}
