//! Scratch databases on a PostgreSQL server, for tests and benchmarks: each is
//! created with a name no other run uses and dropped when it goes out of scope.
//!
//! The server is `JOINEDUP_TEST_POSTGRES_URL` (default
//! `postgres://root@127.0.0.1:5432/test`). When none answers, [`ScratchDatabase::create`]
//! prints why and returns `None`, so a test can skip; with
//! `JOINEDUP_TEST_POSTGRES=1` (set by `.ci/run`) it panics instead, so a missing
//! server fails the run rather than passing it quietly.

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::store::{Result, Store};

/// The server that scratch databases are made on.
pub fn test_server_url() -> String {
    std::env::var("JOINEDUP_TEST_POSTGRES_URL").unwrap_or_else(|_| "postgres://root@127.0.0.1:5432/test".into())
}

/// True when the PostgreSQL tests must run (`JOINEDUP_TEST_POSTGRES=1`).
pub fn postgres_required() -> bool {
    std::env::var("JOINEDUP_TEST_POSTGRES").is_ok_and(|v| v == "1")
}

/// A database of its own on the test server, dropped on drop.
pub struct ScratchDatabase {
    admin: String,
    name: String,
    url: String,
    keys: tempfile::TempDir,
}

static COUNTER: AtomicUsize = AtomicUsize::new(0);

impl ScratchDatabase {
    /// A new empty database, or `None` (with the reason printed) when no server
    /// answers and the PostgreSQL tests are not required.
    pub fn create(label: &str) -> Option<Self> {
        let admin = test_server_url();
        let name = format!(
            "joinedup_{}_{}_{}_{}",
            label
                .chars()
                .filter(|c| c.is_ascii_alphanumeric())
                .take(20)
                .collect::<String>()
                .to_lowercase(),
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.subsec_nanos())
        );
        let made = super::pg_connect::connect(&admin).and_then(|pg| {
            pg.client()
                .batch_execute(&format!("CREATE DATABASE {name}"))
                .map_err(super::postgres::error)
        });
        if let Err(e) = made {
            if postgres_required() {
                panic!("JOINEDUP_TEST_POSTGRES=1 but no scratch database could be made on {admin}: {e}");
            }
            eprintln!(
                "skipping the PostgreSQL part of this test: {e} (set JOINEDUP_TEST_POSTGRES=1 to make this fail)"
            );
            return None;
        }
        let url = with_database(&admin, &name);
        let keys = tempfile::tempdir().ok()?;
        Some(Self { admin, name, url, keys })
    }

    /// The scratch database's URL.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Where clients of this database keep their copy of the audit key.
    pub fn key_dir(&self) -> &Path {
        self.keys.path()
    }

    /// Open the store on it (as a client would, with its own key directory).
    pub fn open(&self) -> Result<Store> {
        Store::open_server(&self.url, self.keys.path())
    }

    /// A login role name of this database's own (`DB_short`), dropped with it.
    pub fn user_name(&self, short: &str) -> String {
        format!("{}{short}", self.user_prefix())
    }

    /// `u_LABEL_PID_N_NANOS_`: the scratch database's name, not in joinedup's own
    /// role namespace (`joinedup_…`).
    fn user_prefix(&self) -> String {
        format!("u_{}_", self.name.trim_start_matches("joinedup_"))
    }

    /// The database's URL, signing in as `user` (the test server trusts local
    /// connections, so no password is needed).
    pub fn url_as(&self, user: &str) -> String {
        let after_scheme = self.url.find("://").map_or(0, |i| i + 3);
        let rest = &self.url[after_scheme..];
        let host = rest.split_once('@').map_or(rest, |(_, h)| h);
        format!("{}{user}@{host}", &self.url[..after_scheme])
    }
}

impl Drop for ScratchDatabase {
    fn drop(&mut self) {
        if let Ok(pg) = super::pg_connect::connect(&self.admin) {
            let _ = pg
                .client()
                .batch_execute(&format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name));
            // The login roles made for it (`user_name`): roles belong to the server.
            let roles: Vec<String> = pg
                .client()
                .query(
                    "SELECT rolname FROM pg_roles WHERE starts_with(rolname, $1)",
                    &[&self.user_prefix()],
                )
                .map(|rows| rows.iter().map(|r| r.get(0)).collect())
                .unwrap_or_default();
            for role in roles {
                let _ = pg.client().batch_execute(&format!("DROP ROLE IF EXISTS \"{role}\""));
            }
        }
    }
}

/// `url` with its database name replaced by `name`.
pub fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let after_scheme = base.find("://").map_or(0, |i| i + 3);
    let path_start = base[after_scheme..].find('/').map(|i| after_scheme + i);
    let host_part = path_start.map_or(base, |i| &base[..i]);
    match query {
        Some(q) => format!("{host_part}/{name}?{q}"),
        None => format!("{host_part}/{name}"),
    }
}
