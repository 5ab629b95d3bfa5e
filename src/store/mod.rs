//! The SQLite store: append-only migrations, typed methods named for intent, one
//! transaction per import.
//!
//! Opening sets WAL, foreign keys and a busy timeout so that two instances can work
//! on one database side by side. A database written by a newer version is refused;
//! an older one is copied to a backup file before it is migrated.

mod apply;
mod audit;
mod board;
mod chc;
mod codec;
mod matching;
mod query;
mod record;
mod rows;

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OptionalExtension};
use rusqlite_migration::{M, Migrations};

pub use apply::{ImportAudit, ImportWriter, PROGRESS_EVERY, system_import_event};
pub use audit::{AuditEvent, AuditVerification};
pub use board::{SpellChange, SpellChangeRecord};
pub use chc::{ChcPerson, RECORDED_SOURCE};
pub use codec::enum_text as enum_code;
pub use matching::{MatchCandidate, PersonLink};
pub use query::{ImportRun, PersonSummary, SourceSummary};

/// The migrations, oldest first. Append only.
const MIGRATION_SQL: &[&str] = &[
    include_str!("migrations/0001_initial.sql"),
    include_str!("migrations/0002_lookup_indexes.sql"),
    include_str!("migrations/0003_discharge_board.sql"),
    include_str!("migrations/0004_matching.sql"),
    include_str!("migrations/0005_leaner_episode_indexes.sql"),
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
}

pub type Result<T> = std::result::Result<T, StoreError>;

pub struct Store {
    conn: Connection,
}

impl Store {
    /// Open (creating if needed) the database at `path`, migrating it to the latest
    /// schema after a backup copy if it is older.
    pub fn open(path: &Path) -> Result<Self> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| StoreError::Backup {
                backup: dir.to_path_buf(),
                source: e,
            })?;
        }
        let conn = Connection::open(path)?;
        Self::configure(&conn)?;
        let found = user_version(&conn)?;
        let known = schema_version();
        if found > known {
            return Err(StoreError::TooNew { found, known });
        }
        if found > 0 && found < known {
            let backup = backup_path(path, found);
            conn.execute("VACUUM INTO ?1", [backup.to_string_lossy().as_ref()])
                .map_err(|e| StoreError::Backup {
                    backup: backup.clone(),
                    source: std::io::Error::other(e.to_string()),
                })?;
        }
        Self::finish_open(conn)
    }

    /// A private in-memory database (tests, dry runs).
    pub fn open_in_memory() -> Result<Self> {
        let conn = Connection::open_in_memory()?;
        Self::configure(&conn)?;
        Self::finish_open(conn)
    }

    fn configure(conn: &Connection) -> Result<()> {
        conn.busy_timeout(Duration::from_secs(10))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        // 64 MB of page cache: imports write into several large indexes at once.
        conn.pragma_update(None, "cache_size", -65536)?;
        Ok(())
    }

    fn finish_open(mut conn: Connection) -> Result<Self> {
        migrations().to_latest(&mut conn)?;
        Ok(Self { conn })
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

    /// Remove every person, episode, plan and import run (the audit log stays).
    /// Used to reseed the training database.
    pub fn clear_records(&mut self) -> Result<()> {
        let tx = self.conn.transaction()?;
        tx.execute_batch(
            "DELETE FROM recent_person; DELETE FROM care_plan; DELETE FROM episode;
             DELETE FROM person_identifier; DELETE FROM person_demographics; DELETE FROM person;
             DELETE FROM import_run; DELETE FROM source;",
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Direct access for tests and tooling that query with SQL.
    pub fn connection(&self) -> &Connection {
        &self.conn
    }
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
