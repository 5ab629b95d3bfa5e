//! PostgreSQL's migrations: append-only SQL files under `migrations/postgres/`,
//! the version kept in `schema_version`, applied under an advisory lock so that
//! several clients opening a new database at once all succeed, and a database
//! written by a newer version refused.

use super::PgConn;
use crate::store::{Result, StoreError};

/// The migrations, oldest first. Append only.
pub(in crate::store) const MIGRATION_SQL: &[&str] = &[
    include_str!("../migrations/postgres/0001_schema.sql"),
    include_str!("../migrations/postgres/0002_spell_version.sql"),
    include_str!("../migrations/postgres/0005_feed_messages.sql"),
    include_str!("../migrations/postgres/0006_worklist.sql"),
    include_str!("../migrations/postgres/0007_tasks.sql"),
    include_str!("../migrations/postgres/0009_plan_need_links.sql"),
    include_str!("../migrations/postgres/0011_access.sql"),
    include_str!("../migrations/postgres/0012_relationship_and_objections.sql"),
    include_str!("../migrations/postgres/0013_alert_rules.sql"),
    include_str!("../migrations/postgres/0014_import_run_sha.sql"),
    include_str!("../migrations/postgres/0015_feed_message_content.sql"),
    include_str!("../migrations/postgres/0016_chc_decision.sql"),
    include_str!("../migrations/postgres/0017_person_name_words.sql"),
    include_str!("../migrations/postgres/0018_feed_message_reused_id.sql"),
    include_str!("../migrations/postgres/0020_app_records_chc.sql"),
    include_str!("../migrations/postgres/0021_plan_action_due_and_version_author.sql"),
    include_str!("../migrations/postgres/0022_app_views_current.sql"),
    include_str!("../migrations/postgres/0023_app_revises_plans.sql"),
];

/// The advisory lock held while migrating (any fixed number of our own).
const MIGRATION_LOCK: i64 = 0x6a6f_696e_0001;

/// Bring the schema up to date; the version found (0 for a new database).
pub(in crate::store) fn migrate(pg: &PgConn) -> Result<usize> {
    let mut client = pg.client();
    let mut tx = client.transaction().map_err(super::postgres::error)?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
        .map_err(super::postgres::error)?;
    tx.batch_execute("CREATE TABLE IF NOT EXISTS schema_version (version integer NOT NULL)")
        .map_err(super::postgres::error)?;
    let found: i32 = tx
        .query_opt("SELECT version FROM schema_version", &[])
        .map_err(super::postgres::error)?
        .map(|r| r.get(0))
        .unwrap_or(0);
    let found = usize::try_from(found).unwrap_or(0);
    let known = MIGRATION_SQL.len();
    if found > known {
        return Err(StoreError::TooNew { found, known });
    }
    if found < known {
        for sql in &MIGRATION_SQL[found..] {
            tx.batch_execute(sql).map_err(super::postgres::error)?;
        }
        tx.execute("DELETE FROM schema_version", &[])
            .map_err(super::postgres::error)?;
        tx.execute("INSERT INTO schema_version (version) VALUES ($1)", &[&(known as i32)])
            .map_err(super::postgres::error)?;
    }
    tx.commit().map_err(super::postgres::error)?;
    Ok(found)
}

/// For a signed-in user, who may not change the schema: refuse a database that is
/// older than this program (its owner upgrades it by opening it once) or newer.
pub(in crate::store) fn check_current(conn: &super::Conn) -> Result<()> {
    let known = MIGRATION_SQL.len();
    let found: Option<i64> = conn
        .query_row("SELECT version FROM schema_version", [], |r| r.get(0))
        .map(Some)
        .or_else(|e| match e {
            // Before the migration that made `joinedup_app`, a signed-in user reads nothing.
            StoreError::Server(_) | StoreError::NoRow => Ok(None),
            e => Err(e),
        })?;
    let found = found.and_then(|v| usize::try_from(v).ok()).unwrap_or(0);
    if found > known {
        return Err(StoreError::TooNew { found, known });
    }
    if found < known {
        return Err(StoreError::Connect(format!(
            "this database's schema is version {found} and this program's is {known}: its owner must open it once with this version to upgrade it"
        )));
    }
    Ok(())
}
