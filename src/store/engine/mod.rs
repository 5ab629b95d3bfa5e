//! The engine seam: one connection type for the two engines the store runs on,
//! SQLite (embedded: the desktop, training, most tests) and PostgreSQL (a team's
//! shared server).
//!
//! The store's queries are written once, in the SQL both engines agree on, with
//! `?1`-style placeholders; [`Conn`] runs them on either engine. What must differ
//! lives in one place per engine: `sqlite.rs` (pragmas, the file, its migrations)
//! and `postgres.rs` (connecting, TLS, placeholders as `$1`, typed parameters,
//! its migrations, `COPY`). Nowhere else in the store asks which engine it is on,
//! except through the few capabilities named here ([`Conn::engine`]).
//!
//! Values cross the seam as [`Value`]s. Dates and times are real `date` and
//! `timestamp` columns on PostgreSQL and ISO 8601 text on SQLite; a parameter
//! given as text is converted to the column's type on PostgreSQL, and a date read
//! from PostgreSQL reads as the same text SQLite would give, so the store's
//! row-mapping code is the same for both.

mod group;
mod params;
pub(in crate::store) mod pg_connect;
pub(super) mod pg_schema;
pub(in crate::store) mod postgres;
mod row;
pub mod scratch;
pub mod signal;
pub(in crate::store) mod sqlite;

use std::cell::RefCell;
use std::collections::HashMap;

pub use group::GroupScope;
use group::GroupState;
pub use params::{Params, SqlParam, Value};
pub use row::{FromValue, Row};

use super::{Result, StoreError};

/// Which engine a connection is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

/// A connection to either engine. Reads take `&self`; the PostgreSQL client sits
/// in a `RefCell` because its calls need `&mut`, and a query's rows are fetched
/// whole before they are mapped, so no borrow outlives a call.
// One connection per store, owned for its life: the size difference does not matter.
#[allow(clippy::large_enum_variant)]
pub enum Conn {
    Sqlite(rusqlite::Connection),
    Postgres(PgConn),
}

/// A PostgreSQL client with its prepared statements, by SQL text.
pub struct PgConn {
    client: RefCell<::postgres::Client>,
    statements: RefCell<HashMap<String, ::postgres::Statement>>,
    /// Inside a feed group's transaction ([`Conn::group_scope`]): it took the
    /// new items' and the audit chain's locks once, outside every savepoint, and
    /// announces its change once before its commit. Cleared when the group ends
    /// and at every top-level `BEGIN`, `COMMIT` or `ROLLBACK` (SAFETY.md H48).
    group: std::cell::Cell<GroupState>,
    /// The joinedup role of a signed-in user (`store::access`); `None` for the owner.
    signed_in: std::cell::Cell<Option<crate::store::access::ServerRole>>,
}

impl Conn {
    pub fn engine(&self) -> Engine {
        match self {
            Conn::Sqlite(_) => Engine::Sqlite,
            Conn::Postgres(_) => Engine::Postgres,
        }
    }

    /// The SQLite connection, for what only SQLite has (pragmas, its SQL functions,
    /// tests that look at the file); `None` on PostgreSQL.
    pub fn sqlite(&self) -> Option<&rusqlite::Connection> {
        match self {
            Conn::Sqlite(c) => Some(c),
            Conn::Postgres(_) => None,
        }
    }

    /// A statement, prepared once per connection and kept.
    pub fn prepare_cached(&self, sql: &str) -> Result<Stmt<'_>> {
        Ok(match self {
            Conn::Sqlite(c) => Stmt::Sqlite(c.prepare_cached(sql)?),
            Conn::Postgres(pg) => Stmt::Postgres {
                pg,
                stmt: pg.prepare(sql)?,
            },
        })
    }

    /// As [`Conn::prepare_cached`] (every statement is kept).
    pub fn prepare(&self, sql: &str) -> Result<Stmt<'_>> {
        self.prepare_cached(sql)
    }

    /// Run one statement; the number of rows it changed.
    pub fn execute<P: Params>(&self, sql: &str, params: P) -> Result<usize> {
        self.prepare_cached(sql)?.execute(params)
    }

    /// The first row, mapped; [`StoreError::NoRow`] when there is none.
    pub fn query_row<P: Params, T>(&self, sql: &str, params: P, f: impl FnOnce(&Row<'_>) -> Result<T>) -> Result<T> {
        self.prepare_cached(sql)?.query_row(params, f)
    }

    /// Every row, mapped.
    pub fn query_map<P: Params, T>(
        &self,
        sql: &str,
        params: P,
        f: impl FnMut(&Row<'_>) -> Result<T>,
    ) -> Result<Vec<T>> {
        self.prepare_cached(sql)?.query_map(params, f)?.collect()
    }

    /// Several statements with no parameters (schema, pragmas, transaction control).
    pub fn execute_batch(&self, sql: &str) -> Result<()> {
        match self {
            Conn::Sqlite(c) => c.execute_batch(sql)?,
            Conn::Postgres(pg) => {
                if ends_or_begins_transaction(sql) {
                    // The locks a group took end with its transaction: never trusted after.
                    pg.group.set(GroupState::None);
                }
                pg.client.borrow_mut().batch_execute(sql).map_err(postgres::error)?
            }
        }
        Ok(())
    }

    /// Begin a transaction. `write` takes the write lock at once where the engine
    /// has one (SQLite's `BEGIN IMMEDIATE`), so that a transaction that reads before
    /// it writes (the audit chain's head) never loses a race; PostgreSQL's writers
    /// take a row or advisory lock where they need one instead.
    pub fn transaction(&mut self, write: bool) -> Result<Tx<'_>> {
        let begin = match (self.engine(), write) {
            (Engine::Sqlite, true) => "BEGIN IMMEDIATE",
            _ => "BEGIN",
        };
        self.execute_batch(begin)?;
        Ok(Tx {
            conn: self,
            open: true,
            kind: TxKind::Top,
        })
    }
}

/// Whether a batch of SQL begins or ends a top-level transaction (not a savepoint's
/// `ROLLBACK TO`).
fn ends_or_begins_transaction(sql: &str) -> bool {
    let first = sql.trim_start().to_ascii_uppercase();
    ["BEGIN", "START", "COMMIT", "END", "ABORT"]
        .iter()
        .any(|w| first.starts_with(w))
        || (first.starts_with("ROLLBACK") && !first.starts_with("ROLLBACK TO"))
}

/// An open transaction on a [`Conn`], or a savepoint inside one; rolled back
/// (to the savepoint) when dropped uncommitted.
pub struct Tx<'c> {
    conn: &'c Conn,
    open: bool,
    kind: TxKind,
}

enum TxKind {
    /// The transaction itself.
    Top,
    /// A savepoint, by name.
    Savepoint(&'static str),
    /// Part of the transaction around it, with nothing of its own: committing it
    /// or dropping it does nothing, and the transaction around it decides (a feed
    /// group's message when no message of the group was refused: `store::feed_group`).
    Part,
}

impl Tx<'_> {
    /// Commit the transaction, or release the savepoint into the one around it.
    pub fn commit(mut self) -> Result<()> {
        self.open = false;
        match self.kind {
            TxKind::Top => self.conn.execute_batch("COMMIT"),
            TxKind::Savepoint(name) => self.conn.execute_batch(&format!("RELEASE SAVEPOINT {name}")),
            TxKind::Part => Ok(()),
        }
    }
}

impl Conn {
    /// A savepoint named `name` inside the open transaction: what is written
    /// under it is kept by [`Tx::commit`] (when the transaction commits) or undone
    /// when it is dropped, leaving the rest of the transaction as it was. Both
    /// engines spell it alike; on PostgreSQL, rolling back to it also clears a
    /// failed statement, so the transaction goes on.
    pub fn savepoint(&self, name: &'static str) -> Result<Tx<'_>> {
        self.execute_batch(&format!("SAVEPOINT {name}"))?;
        Ok(Tx {
            conn: self,
            open: true,
            kind: TxKind::Savepoint(name),
        })
    }

    /// A part of the open transaction with nothing of its own (see [`TxKind::Part`]):
    /// what is written under it stays or goes with the transaction. For work whose
    /// failure fails the whole transaction, where a savepoint would cost two round
    /// trips on PostgreSQL for nothing.
    pub fn part(&self) -> Tx<'_> {
        Tx {
            conn: self,
            open: false,
            kind: TxKind::Part,
        }
    }

    /// Make the next commits durable on power loss as well as on a crash (on
    /// `on`), or go back to the default. SQLite in WAL mode syncs its log at a
    /// commit only with `synchronous = FULL` (the default here is `NORMAL`, which
    /// survives a crash of the process but may lose the last commits on power
    /// loss); PostgreSQL's commits are durable already. Call outside a transaction.
    pub fn set_durable_commits(&self, on: bool) -> Result<()> {
        if let Conn::Sqlite(c) = self {
            c.pragma_update(None, "synchronous", if on { "FULL" } else { "NORMAL" })?;
        }
        Ok(())
    }
}

impl std::ops::Deref for Tx<'_> {
    type Target = Conn;
    fn deref(&self) -> &Conn {
        self.conn
    }
}

impl Drop for Tx<'_> {
    fn drop(&mut self) {
        if self.open {
            let _ = match self.kind {
                TxKind::Top => self.conn.execute_batch("ROLLBACK"),
                TxKind::Savepoint(name) => self
                    .conn
                    .execute_batch(&format!("ROLLBACK TO SAVEPOINT {name}; RELEASE SAVEPOINT {name}")),
                TxKind::Part => Ok(()),
            };
        }
    }
}

/// A prepared statement on either engine.
pub enum Stmt<'c> {
    Sqlite(rusqlite::CachedStatement<'c>),
    Postgres {
        pg: &'c PgConn,
        stmt: ::postgres::Statement,
    },
}

impl Stmt<'_> {
    pub fn execute<P: Params>(&mut self, params: P) -> Result<usize> {
        let values = params.refs();
        Ok(match self {
            Stmt::Sqlite(s) => s.execute(&*sqlite::refs(&values))?,
            Stmt::Postgres { pg, stmt } => pg.execute(stmt, &values)? as usize,
        })
    }

    pub fn query_row<P: Params, T>(&mut self, params: P, f: impl FnOnce(&Row<'_>) -> Result<T>) -> Result<T> {
        let values = params.refs();
        match self {
            Stmt::Sqlite(s) => {
                let mut rows = s.query(&*sqlite::refs(&values))?;
                match rows.next()? {
                    Some(r) => f(&Row::Sqlite(r)),
                    None => Err(StoreError::NoRow),
                }
            }
            Stmt::Postgres { pg, stmt } => match pg.query(stmt, &values)?.first() {
                Some(r) => f(&Row::Postgres(r)),
                None => Err(StoreError::NoRow),
            },
        }
    }

    /// Call `f` on every row in turn, without keeping them (SQLite streams them;
    /// PostgreSQL's arrive whole); stops at the first error.
    pub fn for_each<P: Params>(&mut self, params: P, mut f: impl FnMut(&Row<'_>) -> Result<()>) -> Result<()> {
        let values = params.refs();
        match self {
            Stmt::Sqlite(s) => {
                let mut rows = s.query(&*sqlite::refs(&values))?;
                while let Some(r) = rows.next()? {
                    f(&Row::Sqlite(r))?;
                }
            }
            Stmt::Postgres { pg, stmt } => {
                for r in pg.query(stmt, &values)?.iter() {
                    f(&Row::Postgres(r))?;
                }
            }
        }
        Ok(())
    }

    /// The rows, to step through with `while let Some(r) = rows.next()?` (SQLite
    /// streams them; PostgreSQL's arrive whole).
    pub fn query<P: Params>(&mut self, params: P) -> Result<Rows<'_>> {
        let values = params.refs();
        Ok(match self {
            Stmt::Sqlite(s) => Rows::Sqlite(s.query(&*sqlite::refs(&values))?),
            Stmt::Postgres { pg, stmt } => Rows::Postgres(pg.query(stmt, &values)?.into_iter(), None),
        })
    }

    /// Every row, mapped, in order.
    pub fn query_map<P: Params, T>(
        &mut self,
        params: P,
        mut f: impl FnMut(&Row<'_>) -> Result<T>,
    ) -> Result<std::vec::IntoIter<Result<T>>> {
        let values = params.refs();
        let out: Vec<Result<T>> = match self {
            Stmt::Sqlite(s) => {
                let mut rows = s.query(&*sqlite::refs(&values))?;
                let mut out = Vec::new();
                while let Some(r) = rows.next()? {
                    out.push(f(&Row::Sqlite(r)));
                }
                out
            }
            Stmt::Postgres { pg, stmt } => pg.query(stmt, &values)?.iter().map(|r| f(&Row::Postgres(r))).collect(),
        };
        Ok(out.into_iter())
    }
}

/// Rows being stepped through.
pub enum Rows<'s> {
    Sqlite(rusqlite::Rows<'s>),
    Postgres(std::vec::IntoIter<::postgres::Row>, Option<::postgres::Row>),
}

impl Rows<'_> {
    /// The next row, or `None` after the last (a lending step, as rusqlite's: not an
    /// `Iterator`, whose items cannot borrow from it).
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> Result<Option<Row<'_>>> {
        match self {
            Rows::Sqlite(rows) => Ok(rows.next()?.map(Row::Sqlite)),
            Rows::Postgres(rows, current) => {
                *current = rows.next();
                Ok(current.as_ref().map(Row::Postgres))
            }
        }
    }
}

/// `query_row(...).optional()`: no row is `None`, not an error.
pub trait OptionalExtension<T> {
    fn optional(self) -> Result<Option<T>>;
}

impl<T> OptionalExtension<T> for Result<T> {
    fn optional(self) -> Result<Option<T>> {
        match self {
            Ok(v) => Ok(Some(v)),
            Err(StoreError::NoRow) => Ok(None),
            Err(e) => Err(e),
        }
    }
}

/// Parameters for a statement: `params![a, b, c]`, as rusqlite's macro.
#[macro_export]
#[doc(hidden)]
macro_rules! store_params {
    () => { &[] as &[&dyn $crate::store::engine::SqlParam] };
    ($($p:expr),+ $(,)?) => { &[$(&$p as &dyn $crate::store::engine::SqlParam),+] as &[&dyn $crate::store::engine::SqlParam] };
}
pub(crate) use store_params as params;

/// Begin a write transaction on a connection the caller holds by reference (the
/// statements run on it until `COMMIT` or `ROLLBACK`).
pub fn begin_write(conn: &Conn) -> Result<()> {
    conn.execute_batch(match conn.engine() {
        Engine::Sqlite => "BEGIN IMMEDIATE",
        Engine::Postgres => "BEGIN",
    })
}

/// Advisory locks (PostgreSQL); SQLite's `BEGIN IMMEDIATE` already serializes writers.
pub(super) const CHAIN_LOCK: i64 = 0x6a6f_696e_0002;
pub(super) const NEW_ITEMS_LOCK: i64 = 0x6a6f_696e_0003;

impl Conn {
    /// Inside a write transaction: hold the audit chain until commit, so that the
    /// next event is taken under a lock and the chain stays one chain whoever writes.
    pub fn lock_audit_chain(&self) -> Result<()> {
        if let Conn::Postgres(pg) = self
            && pg.group.get() == GroupState::None
        {
            self.execute("SELECT pg_advisory_xact_lock(?1)", [CHAIN_LOCK])?;
        }
        Ok(())
    }

    /// Inside a write transaction that adds episodes: hold the right to add them
    /// until commit. Episode ids are then handed out in commit order, which the data
    /// seals (ranges of ids) rely on; an import waits for another to finish.
    pub fn lock_new_items(&self) -> Result<()> {
        if let Conn::Postgres(pg) = self
            && pg.group.get() == GroupState::None
        {
            self.execute("SELECT pg_advisory_xact_lock(?1)", [NEW_ITEMS_LOCK])?;
        }
        Ok(())
    }

    /// After a bulk change of `changed` rows: keep the planner's statistics fresh.
    /// SQLite's `PRAGMA optimize` decides for itself (bounded by `analysis_limit`);
    /// PostgreSQL's autovacuum analyses a table only some time after a load, and
    /// until then plans as if it were empty, so a large import analyses its tables.
    pub fn refresh_statistics(&self, changed: usize) -> Result<()> {
        match self {
            Conn::Sqlite(c) => sqlite::optimize(c),
            Conn::Postgres(_) if changed >= 1_000 => {
                self.execute_batch("ANALYZE episode, person, person_identifier, hospital_spell, chc_assessment")
            }
            Conn::Postgres(_) => Ok(()),
        }
    }

    /// After filling a temporary working table: let the planner know its size.
    /// PostgreSQL never analyses temporary tables by itself and plans them as
    /// large, scanning every episode to join a dozen spells; SQLite needs nothing.
    pub fn analyze_working_table(&self, table: &str) -> Result<()> {
        match self {
            Conn::Sqlite(_) => Ok(()),
            Conn::Postgres(_) => self.execute_batch(&format!("ANALYZE {table}")),
        }
    }

    /// Whether the database itself keeps the data seals true when the program
    /// changes a sealed episode (SQLite's triggers call functions that hold the key
    /// on this connection); on PostgreSQL the store swaps the row in the seal.
    pub fn seals_by_trigger(&self) -> bool {
        matches!(self, Conn::Sqlite(_))
    }

    /// The joinedup role of the user signed in on this connection, on a server;
    /// `None` on SQLite and for the owner.
    pub fn server_role(&self) -> Option<crate::store::access::ServerRole> {
        match self {
            Conn::Postgres(pg) => pg.signed_in.get(),
            Conn::Sqlite(_) => None,
        }
    }

    /// Whether this connection appends to the audit log through the server's
    /// `joinedup_append_audit` (every signed-in user; only the owner writes the
    /// table itself).
    pub fn audits_through_server(&self) -> bool {
        self.server_role().is_some()
    }

    /// Whether this connection reads the record through the views that hold back
    /// restricted items (an app role): what it reads of episodes is not theirs to seal.
    pub fn reads_through_views(&self) -> bool {
        matches!(self.server_role(), Some(crate::store::access::ServerRole::App(_)))
    }

    /// Whether new episodes may be sealed now: no other transaction is adding any
    /// (one that is seals them itself when it commits), and this connection sees
    /// them as they are.
    pub fn may_seal(&self) -> Result<bool> {
        if self.reads_through_views() {
            return Ok(false);
        }
        match self {
            Conn::Sqlite(_) => Ok(true),
            // A group holds the lock itself, outside its savepoints.
            Conn::Postgres(pg) if pg.group.get() != GroupState::None => Ok(true),
            Conn::Postgres(_) => self.query_row("SELECT pg_try_advisory_xact_lock(?1)", [NEW_ITEMS_LOCK], |r| r.get(0)),
        }
    }
}
