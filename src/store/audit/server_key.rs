//! The audit key of a database on a server: kept in the database (`audit_secret`)
//! so that every client of a team MACs with the same key, with a private copy on
//! each client beside the client's own anchor of the log (the files SQLite keeps
//! beside its database), named for the database, not the machine path.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::store::engine::{Conn, OptionalExtension};
use crate::store::{Result, StoreError};

/// The meta key holding a database's random identity, which names its local files.
pub(in crate::store) const DATABASE_ID: &str = "database_id";

/// Where this client keeps its copy of the key and its anchor: `DIR/NAME-ID.server`
/// (the files themselves are `….server.audit-key` and `….server.audit-anchor`).
pub(in crate::store) fn local_stub(conn: &Conn, key_dir: &Path) -> Result<PathBuf> {
    let fresh = hex_id();
    conn.execute(
        "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO NOTHING",
        [DATABASE_ID, &fresh],
    )?;
    stub_for(conn, key_dir)
}

/// As [`local_stub`] for a signed-in user, who writes nothing: the owner has
/// opened the database before (it has its identity and its key).
pub(in crate::store) fn local_stub_read_only(conn: &Conn, key_dir: &Path) -> Result<PathBuf> {
    let known: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM meta WHERE key = ?1)",
        [DATABASE_ID],
        |r| r.get(0),
    )?;
    if !known {
        return Err(StoreError::Connect(
            "this database has not been set up: its owner must open it once before its users sign in".into(),
        ));
    }
    stub_for(conn, key_dir)
}

fn stub_for(conn: &Conn, key_dir: &Path) -> Result<PathBuf> {
    let id: String = conn.query_row("SELECT value FROM meta WHERE key = ?1", [DATABASE_ID], |r| r.get(0))?;
    let name: String = conn.query_row("SELECT current_database()", [], |r| r.get(0))?;
    let safe: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    crate::platform::create_dirs_private(key_dir).map_err(|e| StoreError::AuditFile {
        path: key_dir.to_path_buf(),
        source: e,
    })?;
    Ok(key_dir.join(format!("{safe}-{id}.server")))
}

fn key_file(stub: &Path) -> PathBuf {
    let mut name = stub.as_os_str().to_os_string();
    name.push(".audit-key");
    PathBuf::from(name)
}

/// Whether this client has ever used this server database (it keeps a copy of
/// the key from its first use on).
pub(in crate::store) fn used_before(stub: &Path) -> bool {
    key_file(stub).exists()
}

/// Bring the server's key to this client (before the key is opened).
pub(in crate::store) fn fetch(conn: &Conn, stub: &Path) -> Result<()> {
    let Some(text): Option<String> = conn
        .query_row("SELECT key_file FROM audit_secret WHERE id = 1", [], |r| r.get(0))
        .optional()?
    else {
        return Ok(());
    };
    let path = key_file(stub);
    if std::fs::read_to_string(&path).ok().as_deref() == Some(text.as_str()) {
        return Ok(());
    }
    let io = |e: std::io::Error| StoreError::AuditFile {
        path: path.clone(),
        source: e,
    };
    let _ = std::fs::remove_file(&path);
    let mut f = crate::platform::create_private_file(&path, true).map_err(io)?;
    f.write_all(text.as_bytes()).and_then(|_| f.sync_all()).map_err(io)?;
    Ok(())
}

/// Give the server this client's key when it has none (the first client of a new
/// database made it).
pub(in crate::store) fn publish(conn: &Conn, stub: &Path) -> Result<()> {
    let Ok(text) = std::fs::read_to_string(key_file(stub)) else {
        return Ok(());
    };
    conn.execute(
        "INSERT INTO audit_secret (id, key_file) VALUES (1, ?1) ON CONFLICT (id) DO NOTHING",
        [text],
    )?;
    Ok(())
}

fn hex_id() -> String {
    let mut bytes = [0u8; 8];
    if getrandom::fill(&mut bytes).is_err() {
        let t = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64);
        bytes = t.to_le_bytes();
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
