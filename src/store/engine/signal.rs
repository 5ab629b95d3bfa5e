//! Hearing that another client committed a change, so a window can show it: on
//! PostgreSQL a change announces itself with `NOTIFY` (delivered at its commit) and
//! clients `LISTEN`; on SQLite, `PRAGMA data_version` moves whenever another
//! connection commits. Either way this says only *that* something was committed
//! since the last look; what changed is read from the audit log (`store::live`),
//! where every change has its event in the same transaction.

use postgres::fallible_iterator::FallibleIterator;

use super::{Conn, params};
use crate::store::Result;

/// How long a look waits on the server's socket for announcements on their way.
const SOCKET_WAIT: std::time::Duration = std::time::Duration::from_millis(5);

/// The channel changes are announced on.
const CHANNEL: &str = "joinedup_change";

/// Where a connection stood when it last looked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signal {
    /// SQLite's counter of other connections' commits.
    DataVersion(i64),
    /// Listening on PostgreSQL, as this backend (its own announcements are not news).
    Listening { backend: i32 },
}

impl Conn {
    /// Inside a change's transaction: announce it to the listening clients when it
    /// commits (nothing is delivered if it rolls back). SQLite needs nothing.
    pub fn announce_change(&self) -> Result<()> {
        match self {
            Conn::Sqlite(_) => Ok(()),
            // A feed group announces once, at its end (`Conn::group_scope`).
            Conn::Postgres(pg) if pg.group.get() != super::GroupState::None => {
                pg.group.set(super::GroupState::HeldToAnnounce);
                Ok(())
            }
            Conn::Postgres(_) => self.query_row("SELECT pg_notify(?1, '')", params![CHANNEL], |_| Ok(())),
        }
    }

    /// Start listening for other clients' changes.
    pub fn listen_for_changes(&self) -> Result<Signal> {
        match self {
            Conn::Sqlite(c) => Ok(Signal::DataVersion(
                c.query_row("PRAGMA data_version", [], |r| r.get(0))?,
            )),
            Conn::Postgres(_) => {
                self.execute_batch(&format!("LISTEN {CHANNEL}"))?;
                let backend = self.query_row("SELECT pg_backend_pid()", [], |r| r.get::<_, i32>(0))?;
                Ok(Signal::Listening { backend })
            }
        }
    }

    /// Whether another client committed since `signal` was taken (moving it on),
    /// waiting no more than a few milliseconds. A lost server connection is an error, so an idle window
    /// learns of it too.
    pub fn heard_changes(&self, signal: &mut Signal) -> Result<bool> {
        match (self, signal) {
            (Conn::Sqlite(c), Signal::DataVersion(seen)) => {
                let now: i64 = c.query_row("PRAGMA data_version", [], |r| r.get(0))?;
                let moved = now != *seen;
                *seen = now;
                Ok(moved)
            }
            (Conn::Postgres(pg), Signal::Listening { backend }) => {
                let mut client = pg.client();
                let mut heard = false;
                {
                    // A short wait, not none: the client's runtime reads the socket
                    // only while it waits, so a zero wait never sees what has arrived.
                    let mut notifications = client.notifications();
                    let mut pending = notifications.timeout_iter(SOCKET_WAIT);
                    while let Some(n) = pending.next().map_err(super::postgres::error)? {
                        heard |= n.process_id() != *backend;
                    }
                }
                if client.is_closed() {
                    return Err(crate::store::StoreError::Disconnected(
                        "the server closed the connection".into(),
                    ));
                }
                Ok(heard)
            }
            _ => Ok(false),
        }
    }
}
