//! A feed group's transaction (`store::feed_group`): its locks taken once, outside
//! every savepoint, and its change announced once, so that its messages' imports
//! and audit events do not each take them again (a round trip each on
//! PostgreSQL). What the connection believes it holds is forgotten when the group
//! ends and at every top-level `BEGIN`, `COMMIT` or `ROLLBACK`: a lock believed
//! held that is not would let two writers fork the audit chain (SAFETY.md H48).

use super::{CHAIN_LOCK, Conn, NEW_ITEMS_LOCK};
use crate::store::Result;

/// What a feed group's transaction holds (PostgreSQL; see [`PgConn`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum GroupState {
    None,
    /// The locks are held; nothing has asked to announce a change yet.
    Held,
    /// The locks are held and a change is to be announced at the group's end.
    HeldToAnnounce,
}

impl Conn {
    /// Inside a feed group's write transaction, outside every savepoint: take the
    /// new items' lock and the audit chain's lock for the rest of the transaction
    /// in one round trip, so that its messages' imports and audit events neither
    /// take them again nor ask whether they may seal (each a round trip on
    /// PostgreSQL), and a change is announced once, at [`GroupScope::announce`].
    /// Taken outside the savepoints, the locks are not let go when a message's
    /// savepoint is rolled back. SQLite's `BEGIN IMMEDIATE` holds everything already.
    pub fn group_scope(&self) -> Result<GroupScope<'_>> {
        if let Conn::Postgres(pg) = self {
            pg.group.set(GroupState::None);
            // The group's statements are point lookups and inserts by key: their
            // plans may be kept (PostgreSQL's default) for this transaction, instead
            // of made again at every run as the connection's other queries are
            // (`pg_connect`), which cost about half of the server's time for each.
            self.execute(
                "SELECT pg_advisory_xact_lock(?1), pg_advisory_xact_lock(?2),
                        set_config('plan_cache_mode', 'auto', true)",
                [NEW_ITEMS_LOCK, CHAIN_LOCK],
            )?;
            pg.group.set(GroupState::Held);
        }
        Ok(GroupScope { conn: self })
    }
}

/// A feed group's hold on its transaction's locks ([`Conn::group_scope`]); the
/// connection forgets it when this is dropped (and at the transaction's end).
pub struct GroupScope<'c> {
    conn: &'c Conn,
}

impl GroupScope<'_> {
    /// Before the group's commit, outside every savepoint: announce the change
    /// its messages asked to announce, once.
    pub fn announce(&self) -> Result<()> {
        if let Conn::Postgres(pg) = self.conn
            && pg.group.get() == GroupState::HeldToAnnounce
        {
            pg.group.set(GroupState::None);
            self.conn.announce_change()?;
            pg.group.set(GroupState::Held);
        }
        Ok(())
    }
}

impl Drop for GroupScope<'_> {
    fn drop(&mut self) {
        if let Conn::Postgres(pg) = self.conn {
            pg.group.set(GroupState::None);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::Conn;
    use crate::store::ScratchDatabase;

    /// This backend's advisory locks.
    fn advisory_locks(c: &Conn) -> i64 {
        c.query_row(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid() AND granted",
            [],
            |r| r.get(0),
        )
        .unwrap()
    }

    #[test]
    fn a_groups_locks_outlast_its_savepoints_but_not_its_transaction() {
        let Some(db) = ScratchDatabase::create("group_scope") else {
            return;
        };
        let store = db.open().unwrap();
        let c = store.connection();
        c.execute_batch("BEGIN").unwrap();
        let scope = c.group_scope().unwrap();
        assert_eq!(advisory_locks(c), 2, "the new items' and the chain's");
        // A message's savepoint rolled back keeps them: they were taken outside it.
        let savepoint = c.savepoint("feed_message").unwrap();
        c.lock_audit_chain().unwrap();
        assert!(c.may_seal().unwrap());
        drop(savepoint);
        assert_eq!(advisory_locks(c), 2);
        c.execute_batch("COMMIT").unwrap();
        assert_eq!(advisory_locks(c), 0);
        // The group's guard still alive, its transaction over: the next
        // transaction takes the chain's lock itself.
        c.execute_batch("BEGIN").unwrap();
        c.lock_audit_chain().unwrap();
        assert_eq!(advisory_locks(c), 1, "taken again in a new transaction");
        c.execute_batch("ROLLBACK").unwrap();
        drop(scope);
    }
}
