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

pub mod access;
mod alerts;
mod apply;
mod audit;
mod board;
mod chc;
mod codec;
pub mod engine;
mod feed;
mod feed_group;
mod import_preview;
mod live;
mod matching;
mod move_db;
mod name_words;
mod plan_edit;
mod query;
mod record;
mod returns;
mod rows;
mod search;
pub mod sharing;
mod spell_changes;
mod tasks;
mod worklist;

use std::path::{Path, PathBuf};

pub use apply::{ImportAudit, ImportWriter, PROGRESS_EVERY, system_import_event};
pub use audit::{
    AuditEvent, AuditKey, AuditKeyStatus, AuditOutcome, AuditProblem, AuditProblemKind, AuditReport, AuditVerification,
    AuditedTransaction, RestrictionLedger, append_audit_in,
};
pub use board::SpellChangeRecord;
pub use chc::{ChcPerson, RECORDED_SOURCE};
pub use codec::enum_text as enum_code;
pub use engine::pg_connect::{Location, server_target, without_password};
pub use engine::scratch::ScratchDatabase;
pub use engine::sqlite::migrations;
pub use engine::{Conn, Engine};
pub use feed::{FeedMessage, FeedOutcome, FeedSummary};
pub use feed_group::{GroupAudit, GroupMessage, GroupOutcome};
pub use import_preview::StoredMatches;
pub use live::Changed;
pub use matching::{MatchCandidate, PersonLink};
pub use move_db::{DesktopDatabase, MoveSummary};
pub use query::{ImportRun, PersonSummary, SourceSummary};
pub use spell_changes::SpellChange;
pub use worklist::{CaseloadEntry, Coordinator};

use engine::OptionalExtension;

/// The SQLite schema version this build writes.
pub fn schema_version() -> usize {
    engine::sqlite::MIGRATION_SQL.len()
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
    /// The server refused a statement; its message.
    #[error("the database server said: {0}")]
    Server(String),
    /// The connection to the server was lost; nothing of what was in hand was kept.
    #[error("the connection to the database server was lost ({0}); nothing of the change in hand was kept")]
    Disconnected(String),
    /// The server could not be reached, or refused us; one sentence saying why.
    #[error("{0}")]
    Connect(String),
    /// An edit made against a revision that is no longer the stored one: refused,
    /// never silently overwriting the other change. The message says whose it was.
    #[error("{0}")]
    Stale(String),
    /// A query that must find a row found none.
    #[error("a stored row that should be there is missing")]
    NoRow,
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
    conn: Conn,
    audit: AuditKey,
    /// Where this client stands among other clients' changes (`live`).
    watch: Option<live::Watch>,
    /// A server store's address and key directory, to connect again after the
    /// connection was lost.
    server: Option<(String, PathBuf)>,
    /// Who the server says is signed in, when it is a joinedup user rather than the
    /// owner (`access`): then the server, not this program, decides what is shown.
    signed_in: Option<access::SignedIn>,
}

impl Store {
    /// Open (creating if needed) the database at `path`, migrating it to the latest
    /// schema after a backup copy if it is older. Its audit key is read from (or, for
    /// a database that never had one, created as) `NAME.db.audit-key` beside it.
    pub fn open(path: &Path) -> Result<Self> {
        let (conn, found) = engine::sqlite::open(path)?;
        let mut conn = Conn::Sqlite(conn);
        name_words::rekey_if_pending(&mut conn)?;
        let audit = AuditKey::open_beside(&mut conn, path, found == 0)?;
        Self::finish_open(conn, audit)
    }

    /// A private in-memory database (tests, dry runs), with an in-memory audit key.
    pub fn open_in_memory() -> Result<Self> {
        let mut conn = Conn::Sqlite(engine::sqlite::open_in_memory()?);
        name_words::rekey_if_pending(&mut conn)?;
        Self::finish_open(conn, AuditKey::in_memory()?)
    }

    /// Open a database on a PostgreSQL server (`postgres://…`), creating its schema
    /// or bringing it up to date. The audit key is the server's (every client of a
    /// team MACs with the same key); this client keeps a copy of it and its own
    /// anchor of the log in `key_dir`.
    pub fn open_server(url: &str, key_dir: &Path) -> Result<Self> {
        let pg = engine::pg_connect::connect(url)?;
        let Some(role) = access::membership(&pg)? else {
            return Self::open_server_as_owner(pg, url, key_dir);
        };
        // A signed-in user reads through the views that hold back what they may not
        // see, and changes nothing of the schema, the key or the meta table.
        pg.sign_in(role);
        let conn = Conn::Postgres(pg);
        engine::pg_schema::check_current(&conn)?;
        let signed_in = access::signed_in(&conn, role, server_target(url))?;
        let local = audit::server_key::local_stub_read_only(&conn, key_dir)?;
        let used_before = audit::server_key::used_before(&local);
        audit::server_key::fetch(&conn, &local)?;
        let audit = AuditKey::open_read_only(&conn, &local)?;
        if !used_before {
            audit.anchor_first_use(&conn)?;
        }
        let mut store = Self::finish_open(conn, audit)?;
        store.server = Some((url.to_owned(), key_dir.to_owned()));
        store.signed_in = Some(signed_in);
        Ok(store)
    }

    /// The owner's (or a superuser's) connection: it creates the schema or brings
    /// it up to date, and publishes the audit key.
    fn open_server_as_owner(pg: engine::PgConn, url: &str, key_dir: &Path) -> Result<Self> {
        let found = engine::pg_schema::migrate(&pg)?;
        let mut conn = Conn::Postgres(pg);
        name_words::rekey_if_pending(&mut conn)?;
        let local = audit::server_key::local_stub(&conn, key_dir)?;
        let used_before = audit::server_key::used_before(&local);
        audit::server_key::fetch(&conn, &local)?;
        let audit = AuditKey::open_beside(&mut conn, &local, found == 0)?;
        audit::server_key::publish(&conn, &local)?;
        if !used_before {
            // A new client of the team's database starts its own anchor here; one that
            // had a key copy and lost its anchor is not trusted anew (verify says so).
            audit.anchor_first_use(&conn)?;
        }
        let mut store = Self::finish_open(conn, audit)?;
        store.server = Some((url.to_owned(), key_dir.to_owned()));
        Ok(store)
    }

    /// After the server connection was lost: connect again as this store was
    /// opened, checking the schema and the audit key afresh, and watch for changes
    /// again if this store was watching. A file store never loses its connection.
    pub fn reconnect(&mut self) -> Result<()> {
        let Some((url, key_dir)) = self.server.clone() else {
            return Ok(());
        };
        let watching = self.watch.is_some();
        *self = Self::open_server(&url, &key_dir)?;
        if watching {
            self.watch_changes()?;
        }
        Ok(())
    }

    /// Open a file or a server, as the user named it.
    pub fn open_location(location: &Location, key_dir: &Path) -> Result<Self> {
        match location {
            Location::File(path) => Self::open(path),
            Location::Server(url) => Self::open_server(url, key_dir),
        }
    }

    /// Which engine this store is on.
    pub fn engine(&self) -> Engine {
        self.conn.engine()
    }

    fn finish_open(conn: Conn, audit: AuditKey) -> Result<Self> {
        if let Some(c) = conn.sqlite() {
            audit::register_seal_functions(c, &audit)?;
        }
        Ok(Self {
            conn,
            audit,
            watch: None,
            server: None,
            signed_in: None,
        })
    }

    /// A value from the `meta` table.
    pub fn meta(&self, key: &str) -> Result<Option<String>> {
        self.conn
            .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
            .optional()
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
        engine::begin_write(&self.conn)?;
        let cleared = (|| -> Result<()> {
            self.conn.lock_new_items()?;
            self.conn.execute_batch(
                "DELETE FROM recent_person; DELETE FROM care_plan; DELETE FROM episode; DELETE FROM person_link;
                 DELETE FROM person_identifier; DELETE FROM person_demographics; DELETE FROM person;
                 DELETE FROM feed_message; DELETE FROM import_run; DELETE FROM source;",
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

    /// Direct access for tests and tooling that query with SQL, on either engine.
    pub fn connection(&self) -> &Conn {
        &self.conn
    }

    /// Where this store is, for the status bar: a server as `host:port/database`
    /// (never a user or password), or the desktop file (`None` for an in-memory one).
    pub fn place(&self) -> StorePlace {
        match (&self.server, self.conn.sqlite()) {
            (Some((url, _)), _) => StorePlace::Server(server_target(url)),
            (None, Some(c)) => StorePlace::File(c.path().filter(|p| !p.is_empty()).map(PathBuf::from)),
            (None, None) => StorePlace::File(None),
        }
    }

    /// The SQLite connection, for tests and tooling that look at the file itself;
    /// `None` on PostgreSQL.
    pub fn sqlite_connection(&self) -> Option<&rusqlite::Connection> {
        self.conn.sqlite()
    }
}

/// Where a store is (`Store::place`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StorePlace {
    /// A team's server, as `host:port/database`.
    Server(String),
    /// A desktop file; `None` in memory.
    File(Option<PathBuf>),
}

/// The `meta` key that marks a training database.
const TRAINING_META: &str = "training";

#[cfg(test)]
mod tests;
