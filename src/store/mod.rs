//! The SQLite store: append-only migrations, typed methods named for intent, one
//! transaction per import.
//!
//! Opening sets WAL, foreign keys and a busy timeout so that two instances can work
//! on one database side by side. A database written by a newer version is refused;
//! an older one is copied to a backup file before it is migrated. Migrations run
//! under the database's write lock, with the schema version read again inside it,
//! so that several processes opening one new file at once all succeed.
//!
//! The database, its `-wal` and `-shm` files, and the audit key and anchor beside it
//! are private to the account (`0600`); directories made for it are `0700`.

mod apply;
mod audit;
mod board;
mod chc;
mod codec;
mod matching;
mod query;
mod record;
mod rows;
mod spell_changes;

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OptionalExtension};
use rusqlite_migration::{M, Migrations};

pub use apply::{ImportAudit, ImportWriter, PROGRESS_EVERY, system_import_event};
pub use audit::{
    AuditEvent, AuditKey, AuditKeyStatus, AuditOutcome, AuditProblem, AuditProblemKind, AuditReport, AuditVerification,
    AuditedTransaction, RestrictionLedger, append_audit_in,
};
pub use board::SpellChangeRecord;
pub use chc::{ChcPerson, RECORDED_SOURCE};
pub use codec::enum_text as enum_code;
pub use matching::{MatchCandidate, PersonLink};
pub use query::{ImportRun, PersonSummary, SourceSummary};
pub use spell_changes::SpellChange;

/// The migrations, oldest first. Append only.
const MIGRATION_SQL: &[&str] = &[
    include_str!("migrations/0001_initial.sql"),
    include_str!("migrations/0002_lookup_indexes.sql"),
    include_str!("migrations/0003_discharge_board.sql"),
    include_str!("migrations/0004_matching.sql"),
    include_str!("migrations/0005_leaner_episode_indexes.sql"),
    include_str!("migrations/0006_audit_trust.sql"),
    include_str!("migrations/0007_plan_sensitivity_and_recent_by_user.sql"),
];

pub fn migrations() -> Migrations<'static> {
    Migrations::new(MIGRATION_SQL.iter().map(|sql| M::up(sql)).collect())
}

/// The schema version this build writes.
pub fn schema_version() -> usize {
    MIGRATION_SQL.len()
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The import stops, nothing of it kept: an item stored for another person, a
    /// discharge before the admission stored for it. The reason names the item.
    #[error("{0}")]
    Refused(String),
    #[error(
        "this database was written by a newer version of joinedup (schema {found}, this version knows up to {known}); update joinedup to open it"
    )]
    TooNew { found: usize, known: usize },
    #[error("could not back up the database before upgrading it to {backup}: {source}")]
    Backup { backup: PathBuf, source: std::io::Error },
    #[error("database error: {0}")]
    Sql(#[from] rusqlite::Error),
    #[error("database migration failed: {0}")]
    Migration(#[from] rusqlite_migration::Error),
    #[error("stored data is damaged: {0}")]
    Corrupt(String),
    #[error("no person with id {0}")]
    NoSuchPerson(i64),
    #[error("the import was cancelled; nothing of it was kept")]
    Cancelled,
    #[error(
        "the audit key {} is missing, so nothing audited can be written to this database: put the key file back from where the database came from, or start a new audit key (earlier events are then checked by the hash chain only)",
        path.display()
    )]
    AuditKeyMissing { path: PathBuf },
    #[error(
        "the audit key {} belongs to another database; move it away and put this database's key back",
        path.display()
    )]
    AuditKeyMismatched { path: PathBuf },
    #[error("could not write {}: {source}", path.display())]
    AuditFile { path: PathBuf, source: std::io::Error },
    #[error("{0}")]
    NotTestRange(String),
}

pub type Result<T> = std::result::Result<T, StoreError>;

pub struct Store {
    conn: Connection,
    audit: AuditKey,
}

/// How long opening waits for another process that holds the write lock (an
/// import, a migration) before giving up.
const LOCK_WAIT: Duration = Duration::from_secs(10);

impl Store {
    /// Open (creating if needed) the database at `path`, migrating it to the latest
    /// schema after a backup copy if it is older. Its audit key is read from (or, for
    /// a database that never had one, created as) `NAME.db.audit-key` beside it.
    pub fn open(path: &Path) -> Result<Self> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            crate::platform::create_dirs_private(dir).map_err(|e| StoreError::Backup {
                backup: dir.to_path_buf(),
                source: e,
            })?;
        }
        make_private_files(path)?;
        let mut conn = Connection::open(path)?;
        Self::configure(&conn)?;
        let found = user_version(&conn)?;
        let known = schema_version();
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
        let audit = AuditKey::open_beside(&mut conn, path, found == 0)?;
        Self::finish_open(conn, audit)
    }

    /// A private in-memory database (tests, dry runs), with an in-memory audit key.
    pub fn open_in_memory() -> Result<Self> {
        let mut conn = Connection::open_in_memory()?;
        Self::configure(&conn)?;
        migrate(&mut conn)?;
        Self::finish_open(conn, AuditKey::in_memory()?)
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

    fn finish_open(conn: Connection, audit: AuditKey) -> Result<Self> {
        audit::register_seal_functions(&conn, &audit)?;
        Ok(Self { conn, audit })
    }

    /// A value from the `meta` table.
    pub fn meta(&self, key: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
            .optional()?)
    }

    pub fn set_meta(&self, key: &str, value: &str) -> Result<()> {
        self.conn.execute(
            "INSERT INTO meta (key, value) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [key, value],
        )?;
        Ok(())
    }

    /// Remove every person, episode, plan and import run (the audit log stays), and
    /// record that in the audit log in the same transaction (the data seals of the
    /// removed items are retired with it). Used to reseed the training database.
    pub fn clear_records(&mut self, actor: &str, at: chrono::NaiveDateTime) -> Result<()> {
        self.conn.execute_batch("BEGIN IMMEDIATE")?;
        let cleared = (|| -> Result<()> {
            self.conn.execute_batch(
                "DELETE FROM recent_person; DELETE FROM care_plan; DELETE FROM episode;
                 DELETE FROM person_identifier; DELETE FROM person_demographics; DELETE FROM person;
                 DELETE FROM import_run; DELETE FROM source;",
            )?;
            let event = AuditEvent {
                id: 0,
                at,
                actor: actor.to_owned(),
                action: crate::domain::governance::AuditAction::RecordsCleared.code().into(),
                person_id: None,
                detail: "every record was removed (training reseed)".into(),
                reason: None,
            };
            self.retire_seals_in(&self.conn, &event)?;
            self.conn.execute_batch("COMMIT")?;
            Ok(())
        })();
        if cleared.is_err() {
            let _ = self.conn.execute_batch("ROLLBACK");
        }
        cleared?;
        self.sync_audit_anchor()
    }

    /// True when this database is a training database (meta `training` = `yes`):
    /// show the training banner and watermark whatever the command line said.
    /// Such a database refuses NHS numbers outside the test range
    /// 999 000 0000 to 999 999 9999 (a trigger on `person`, whoever imports).
    pub fn is_training_database(&self) -> Result<bool> {
        Ok(self.meta(TRAINING_META)?.as_deref() == Some("yes"))
    }

    /// Mark this database as a training database, for good. Refused when it holds
    /// an NHS number outside the test range (it holds real records).
    pub fn mark_training_database(&self) -> Result<()> {
        let real: i64 = self.conn.query_row(
            "SELECT count(*) FROM person WHERE nhs_number IS NOT NULL AND substr(nhs_number, 1, 3) <> '999'",
            [],
            |r| r.get(0),
        )?;
        if real > 0 {
            return Err(StoreError::NotTestRange(format!(
                "this database holds {real} people with NHS numbers outside the test range; it cannot become a training database"
            )));
        }
        self.set_meta(TRAINING_META, "yes")
    }

    /// Direct access for tests and tooling that query with SQL.
    pub fn connection(&self) -> &Connection {
        &self.conn
    }
}

/// The `meta` key that marks a training database.
const TRAINING_META: &str = "training";

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
    let known = schema_version();
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
fn make_private_files(path: &Path) -> Result<()> {
    let io = |e: std::io::Error| StoreError::AuditFile {
        path: path.to_path_buf(),
        source: e,
    };
    let mut options = std::fs::OpenOptions::new();
    options.read(true).write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    drop(options.open(path).map_err(io)?);
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

#[cfg(test)]
mod tests;
