//! Moving a desktop database onto a team's database (`joinedup import-db`): every
//! record, with its provenance, restriction flags and audit history, in one
//! transaction on the target, or nothing.
//!
//! The desktop file is opened to read only ([`Store::open_desktop_database`]): it
//! is never migrated, and nothing is written to it. Refused, each in one sentence
//! and before anything is written: a training database (either side); the source
//! being the target; a source whose audit log does not verify with its key; a
//! source with the log of a training reseed; a source already moved onto this
//! target (its identity, the `database_id` or audit key id and the hash of its
//! first event, is kept in the target's `meta`); a source person whose NHS number,
//! or local id, the target already holds (merging records on the server is later
//! work); and, found while copying, an item or plan the target already holds.
//!
//! Order inside the transaction: people (and plans) first, then the desktop's
//! audit events as history (`history.rs`: they name people and plans), then the
//! items and the rest (`tables.rs`), then the move's own event, which seals the
//! copied items under the target's key and names every restricted person and
//! plan in the restriction ledger. The source is a desktop SQLite file, so the
//! reads from it use SQLite's `rowid` for the order rows were written in; every
//! write to the target is the SQL both engines share.

mod copy;
mod history;
mod tables;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::NaiveDateTime;

use super::audit::server_key::DATABASE_ID;
use super::audit::{AuditKey, META_KEY_ID, RestrictionLedger, append_audit_in};
use super::engine::{Conn, OptionalExtension};
use super::{AuditEvent, AuditOutcome, PROGRESS_EVERY, Result, Store, StoreError};
use crate::domain::governance::AuditAction;
use copy::{Maps, copy_table};
use tables::{AFTER_HISTORY, BEFORE_HISTORY, Ids};

/// A desktop database opened to read only, to be moved.
pub struct DesktopDatabase {
    store: Store,
    path: PathBuf,
    /// Its file name, as the audit log and the summary name it.
    label: String,
}

impl DesktopDatabase {
    pub fn label(&self) -> &str {
        &self.label
    }

    /// The desktop database's own store (read only), for its checks and tests.
    pub fn store(&self) -> &Store {
        &self.store
    }
}

/// What a move copied.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MoveSummary {
    /// The desktop database's identity, as recorded on the target.
    pub database_id: String,
    /// Rows copied, by table, in the order they were copied.
    pub tables: BTreeMap<String, usize>,
    /// Its audit events, carried as history.
    pub audit_events: usize,
    pub restricted_people: usize,
    pub restricted_plans: usize,
    /// The id of the move's own audit event on the target.
    pub event_id: i64,
}

impl MoveSummary {
    /// Rows copied from one table.
    pub fn rows(&self, table: &str) -> usize {
        self.tables.get(table).copied().unwrap_or(0)
    }
}

/// The `meta` keys that record a desktop database moved onto this one.
const MOVED_DATABASE: &str = "moved_database:";
const MOVED_LOG: &str = "moved_log:";

impl Store {
    /// Open a desktop database file to read only, with its audit key beside it
    /// (`NAME.db.audit-key`). A newer schema is refused as when opening it; an older
    /// one too (reading it would need the upgrade, which writes).
    pub fn open_desktop_database(path: &Path) -> Result<DesktopDatabase> {
        let conn = Conn::Sqlite(super::engine::sqlite::open_read_only(path)?);
        let audit = AuditKey::open_read_only(&conn, path)?;
        let label = path
            .file_name()
            .map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
        Ok(DesktopDatabase {
            store: Store {
                conn,
                audit,
                watch: None,
                server: None,
                signed_in: None,
            },
            path: path.to_path_buf(),
            label,
        })
    }

    /// Move everything of `src` onto this database in one transaction, audited
    /// as `actor` at `at`; see the module docs for what is refused. `progress`
    /// hears (table, rows so far) every [`PROGRESS_EVERY`] rows; when it returns
    /// false the move stops with [`StoreError::Cancelled`] and nothing is kept.
    pub fn move_database_from(
        &mut self,
        src: &DesktopDatabase,
        actor: &str,
        at: NaiveDateTime,
        progress: &mut dyn FnMut(&str, usize) -> bool,
    ) -> Result<MoveSummary> {
        // One snapshot of the desktop file for the checks and the copy (a read
        // transaction writes nothing): a window still open on it cannot add rows
        // or events half way through.
        src.store.conn.execute_batch("BEGIN")?;
        let moved = self.move_in_snapshot(src, actor, at, progress);
        let _ = src.store.conn.execute_batch("COMMIT");
        moved
    }

    fn move_in_snapshot(
        &mut self,
        src: &DesktopDatabase,
        actor: &str,
        at: NaiveDateTime,
        progress: &mut dyn FnMut(&str, usize) -> bool,
    ) -> Result<MoveSummary> {
        let database_id = self.check_movable(src)?;
        let first_event = first_event_hash(&src.store.conn)?;
        let key = self.audit.clone();
        let tx = self.conn.transaction(true)?;
        tx.lock_new_items()?;
        check_not_moved(&tx, src, &database_id, first_event.as_deref())?;
        check_people_overlap(&src.store.conn, &tx, &src.label)?;
        let mut summary = MoveSummary {
            database_id: database_id.clone(),
            ..Default::default()
        };
        let mut maps = Maps::default();
        let mut ticks = Ticks { done: 0, progress };
        let s = &src.store.conn;
        for t in BEFORE_HISTORY {
            let n = copy_table(s, &tx, t, &mut maps, &mut || ticks.tick(t.name))?;
            summary.tables.insert(t.name.to_owned(), n);
        }
        let origin = format!("desktop database {} (database id {database_id})", src.label);
        summary.audit_events = history::carry_events(&key, s, &tx, &maps, &origin, &mut || ticks.tick("audit_event"))?;
        for t in AFTER_HISTORY {
            let n = copy_table(s, &tx, t, &mut maps, &mut || ticks.tick(t.name))?;
            summary.tables.insert(t.name.to_owned(), n);
        }
        let ledger = restricted(s, &maps)?;
        summary.restricted_people = ledger.people.len();
        summary.restricted_plans = ledger.plans.len();
        record_moved(&tx, &database_id, first_event.as_deref(), &src.label, at)?;
        tx.refresh_statistics(maps.count(Ids::Episode) + maps.count(Ids::Person))?;
        let event = move_event(actor, at, &summary, &src.label, &ledger);
        summary.event_id = append_audit_in(&key, &tx, &event)?;
        tx.commit()?;
        self.sync_audit_anchor()?;
        Ok(summary)
    }

    /// The refusals that need no transaction; the source's identity.
    fn check_movable(&self, src: &DesktopDatabase) -> Result<String> {
        let label = &src.label;
        let refuse = |why: String| Err(StoreError::Refused(why));
        if src.store.is_training_database()? {
            return refuse(format!(
                "{label} is a training database (synthetic people only); a training database is never moved onto a server"
            ));
        }
        if self.is_training_database()? {
            return refuse(
                "this is a training database; a desktop database is moved only onto a team's own database".into(),
            );
        }
        let here = self.conn.sqlite().and_then(|c| c.path()).map(PathBuf::from);
        let same_file = here.is_some_and(|h| same_path(&h, &src.path));
        let id = identity(&src.store.conn)?;
        let ours = [meta(&self.conn, DATABASE_ID)?, meta(&self.conn, META_KEY_ID)?];
        if same_file || ours.iter().flatten().any(|o| id.as_ref() == Some(o)) {
            return refuse(format!("{label} is this database itself; nothing was moved"));
        }
        match src.store.audit_report()?.outcome() {
            AuditOutcome::Intact => {}
            AuditOutcome::Broken(p) => {
                return refuse(format!(
                    "the audit log of {label} does not verify ({}); nothing was moved (run `joinedup --db {} audit verify` to see why)",
                    p.detail,
                    src.path.display()
                ));
            }
            AuditOutcome::CannotVerify(why) => {
                return refuse(format!(
                    "the audit log of {label} cannot be verified ({why}); nothing was moved"
                ));
            }
        }
        history::check_carriable(&src.store.conn)?;
        id.ok_or_else(|| StoreError::Refused(format!("{label} has no audit key id; nothing was moved")))
    }
}

/// Progress across the whole move.
struct Ticks<'p> {
    done: usize,
    progress: &'p mut dyn FnMut(&str, usize) -> bool,
}

impl Ticks<'_> {
    fn tick(&mut self, table: &str) -> Result<()> {
        self.done += 1;
        if self.done.is_multiple_of(PROGRESS_EVERY) && !(self.progress)(table, self.done) {
            return Err(StoreError::Cancelled);
        }
        Ok(())
    }
}

fn same_path(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

fn meta(conn: &Conn, key: &str) -> Result<Option<String>> {
    conn.query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
        .optional()
}

/// A database's identity: its `database_id` (a server's, or a desktop file that
/// was given one), else the id of its audit key (made with the database).
fn identity(conn: &Conn) -> Result<Option<String>> {
    Ok(meta(conn, DATABASE_ID)?.or(meta(conn, META_KEY_ID)?))
}

/// The hash of a log's first event: the same for the database's whole life,
/// even if its audit key is replaced.
fn first_event_hash(conn: &Conn) -> Result<Option<String>> {
    conn.query_row("SELECT hash FROM audit_event ORDER BY id LIMIT 1", [], |r| r.get(0))
        .optional()
}

fn check_not_moved(tx: &Conn, src: &DesktopDatabase, id: &str, first: Option<&str>) -> Result<()> {
    let mut found = meta(tx, &format!("{MOVED_DATABASE}{id}"))?;
    if found.is_none()
        && let Some(first) = first
    {
        found = meta(tx, &format!("{MOVED_LOG}{first}"))?;
    }
    match found {
        Some(when) => Err(StoreError::Refused(format!(
            "{} (database id {id}) was already moved onto this database ({when}); nothing was moved again",
            src.label
        ))),
        None => Ok(()),
    }
}

/// Refused when any source person's NHS number or local id is already on the
/// target, saying how many.
fn check_people_overlap(src: &Conn, tx: &Conn, label: &str) -> Result<()> {
    let mut nhs = 0;
    let mut probe = tx.prepare_cached("SELECT 1 FROM person WHERE nhs_number = ?1")?;
    src.prepare("SELECT nhs_number FROM person WHERE nhs_number IS NOT NULL")?
        .for_each([], |r| {
            let number: String = r.get(0)?;
            nhs += usize::from(probe.query_row([number], |_| Ok(())).optional()?.is_some());
            Ok(())
        })?;
    let mut local = 0;
    let mut probe = tx.prepare_cached("SELECT 1 FROM person_identifier WHERE source = ?1 AND local_id = ?2")?;
    src.prepare("SELECT source, local_id FROM person_identifier")?
        .for_each([], |r| {
            let (source, id): (String, String) = (r.get(0)?, r.get(1)?);
            local += usize::from(probe.query_row([source, id], |_| Ok(())).optional()?.is_some());
            Ok(())
        })?;
    let people = |n: usize| match n {
        1 => format!("1 person of {label} has an NHS number"),
        n => format!("{n} people of {label} have NHS numbers"),
    };
    let what = match (nhs, local) {
        (0, 0) => return Ok(()),
        (n, 0) => format!("{} already on this database", people(n)),
        (0, l) => format!(
            "{l} local ids (hospital numbers, council ids) of people of {label} are already held on this database"
        ),
        (n, l) => format!(
            "{} already on this database, and {l} of their local ids are held there",
            people(n)
        ),
    };
    Err(StoreError::Refused(format!(
        "{what}; nothing was moved (merging records on the server is later work)"
    )))
}

/// The people and plans the desktop database holds restricted, by their new ids.
fn restricted(src: &Conn, maps: &Maps) -> Result<RestrictionLedger> {
    let ids = |sql: &str, kind: Ids| -> Result<Vec<i64>> {
        let old: Vec<i64> = src.query_map(sql, [], |r| r.get(0))?;
        Ok(old.into_iter().filter_map(|o| maps.get(kind, o)).collect())
    };
    Ok(RestrictionLedger {
        people: ids("SELECT id FROM person WHERE is_restricted <> 0", Ids::Person)?
            .into_iter()
            .collect(),
        plans: ids("SELECT id FROM care_plan WHERE sensitivity <> 'normal'", Ids::Plan)?
            .into_iter()
            .collect(),
    })
}

fn record_moved(tx: &Conn, id: &str, first: Option<&str>, label: &str, at: NaiveDateTime) -> Result<()> {
    let value = format!("{label} on {}", crate::store::codec::date_time_text(at));
    let mut keys = vec![format!("{MOVED_DATABASE}{id}")];
    keys.extend(first.map(|f| format!("{MOVED_LOG}{f}")));
    for key in keys {
        tx.execute(
            "INSERT INTO meta (key, value) VALUES (?1, ?2)",
            [key.as_str(), value.as_str()],
        )?;
    }
    Ok(())
}

fn move_event(actor: &str, at: NaiveDateTime, s: &MoveSummary, label: &str, ledger: &RestrictionLedger) -> AuditEvent {
    AuditEvent {
        id: 0,
        at,
        actor: actor.to_owned(),
        action: AuditAction::DatabaseMoved.code().into(),
        person_id: None,
        detail: format!(
            "moved from {label} (database id {}), its audit log verified: {}; its {} carried before this one as history{}",
            s.database_id,
            s.counts(),
            counted(s.audit_events, "audit event", "audit events"),
            ledger.note()
        ),
        reason: None,
    }
}

/// `1 person`, `2 people`.
fn counted(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

impl MoveSummary {
    /// What was moved, in words: people, items, plans, links, decisions, restriction.
    pub fn counts(&self) -> String {
        let rows = |table: &str, one: &str, many: &str| counted(self.rows(table), one, many);
        format!(
            "{}, {} ({}, {}), {} ({}), {} and {}; {} and {} restricted as they were",
            rows("person", "person", "people"),
            rows("episode", "item", "items"),
            rows("hospital_spell", "hospital stay", "hospital stays"),
            rows("chc_assessment", "CHC assessment", "CHC assessments"),
            rows("care_plan", "care plan", "care plans"),
            rows("care_plan_version", "version", "versions"),
            rows("person_link", "link", "links"),
            rows("match_rejection", "match decision", "match decisions"),
            counted(self.restricted_people, "person", "people"),
            counted(self.restricted_plans, "plan", "plans"),
        )
    }
}

#[cfg(test)]
mod tests;
