//! The audit key: a secret kept outside the database that MACs every audit event,
//! the anchor (how many events the log holds and its head) and the data seals.
//!
//! Files beside a database `NAME.db`, both created `0600`:
//! - `NAME.db.audit-key`: the secret and the first event it MACs (events before it
//!   were written by a version without MACs and are checked by the chain only).
//!   Written once, never changed.
//! - `NAME.db.audit-anchor`: the event count, the head event's id and hash, MAC'd;
//!   rewritten (temporary file, then rename) after each append, under an `flock` on
//!   the key file so two processes never move it backwards.
//!
//! An in-memory store (tests, dry runs) has an in-memory key and anchor.
//!
//! A database whose key file is missing (it was moved without it) opens, but its
//! log cannot be verified and it takes no audited writes (no new events, no sealed
//! changes) until the key is put back or [`crate::store::Store::start_new_audit_key`]
//! starts a new one.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use crate::store::engine::{Conn, OptionalExtension};
use hmac::{Hmac, Mac};
use sha2::Sha256;

use super::key_files::{
    constant_time_eq, frame, hex, io_error, parse_fields, random_secret, read_key_file, set_aside, sync_dir,
    temp_beside,
};
use crate::platform;
use crate::store::{Result, StoreError};

pub(super) type HmacSha256 = Hmac<Sha256>;

pub(super) const KEY_HEADER: &str = "joinedup audit key v1";
const ANCHOR_HEADER: &str = "joinedup audit anchor v1";
/// The `meta` key that names the key this database was MAC'd with (a MAC of a
/// fixed text, so it says nothing about the secret).
pub(in crate::store) const META_KEY_ID: &str = "audit_key_id";

/// The audit key of one database, shared by its connection's SQL functions.
/// Cheap to clone. Get it with [`crate::store::Store::audit_key`].
#[derive(Clone)]
pub struct AuditKey {
    inner: Arc<Inner>,
}

struct Inner {
    state: KeyState,
    files: Option<KeyFiles>,
    /// The anchor of an in-memory store.
    memory_anchor: Mutex<Option<Anchor>>,
}

#[derive(Clone)]
enum KeyState {
    Present {
        secret: [u8; 32],
        macs_from: i64,
    },
    /// The database was MAC'd with a key that is not here.
    Missing,
    /// The key file here belongs to another database.
    Mismatched,
}

#[derive(Clone)]
struct KeyFiles {
    key: PathBuf,
    anchor: PathBuf,
}

/// Where the audit key is, as [`crate::store::AuditReport`] tells it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuditKeyStatus {
    /// An in-memory store's key.
    InMemory,
    /// The key file beside the database.
    File { path: PathBuf },
    /// The database was MAC'd with a key whose file is not here.
    Missing { path: PathBuf },
    /// The key file here was made for another database.
    Mismatched { path: PathBuf },
}

impl std::fmt::Debug for AuditKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the secret.
        write!(f, "AuditKey({:?})", self.status())
    }
}

/// The count-and-head anchor: the log must hold at least `events` events, and the
/// event `head_id` must have hash `head`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Anchor {
    pub events: i64,
    pub head_id: i64,
    pub head: String,
}

/// What reading the anchor found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum AnchorRead {
    Valid(Anchor),
    Missing,
    /// Present but unreadable or with a MAC that does not verify.
    Forged(String),
}

impl AuditKey {
    /// A fresh in-memory key for an in-memory store.
    pub(in crate::store) fn in_memory() -> Result<Self> {
        Ok(Self::new(
            KeyState::Present {
                secret: random_secret()?,
                macs_from: 1,
            },
            None,
        ))
    }

    fn new(state: KeyState, files: Option<KeyFiles>) -> Self {
        Self {
            inner: Arc::new(Inner {
                state,
                files,
                memory_anchor: Mutex::new(Some(Anchor {
                    events: 0,
                    head_id: 0,
                    head: String::new(),
                })),
            }),
        }
    }

    /// Load the key beside `db_path`, or make one (with its first anchor) when this
    /// database has never had one. Called by `Store::open` after migrating.
    ///
    /// `fresh` says the file had no schema when it was opened: key files beside a
    /// new database belong to one that was removed, and are set aside (renamed
    /// `.removed`, not deleted) rather than used.
    pub(in crate::store) fn open_beside(conn: &mut Conn, db_path: &Path, fresh: bool) -> Result<Self> {
        let files = KeyFiles::beside(db_path);
        if !fresh && let Some(key) = Self::load(conn, &files)? {
            return Ok(key);
        }
        // Under the write lock, so that two processes opening a new database make
        // one key between them.
        let tx = conn.transaction(true)?;
        tx.lock_audit_chain()?;
        let meta_id: Option<String> = meta(&tx, META_KEY_ID)?;
        if (meta_id.is_some() || !fresh)
            && let Some(key) = Self::load(&tx, &files)?
        {
            return Ok(key);
        }
        if fresh && meta_id.is_none() {
            for path in [&files.key, &files.anchor] {
                set_aside(path, "removed")?;
            }
        }
        let macd: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM audit_event WHERE mac IS NOT NULL)",
            [],
            |r| r.get(0),
        )?;
        if meta_id.is_some() || macd || files.anchor.exists() {
            tracing::warn!("the audit key of this database is missing; its log cannot be verified");
            return Ok(Self::new(KeyState::Missing, Some(files)));
        }
        let (events, head_id, head) = log_head(&tx)?;
        let key = Self::new(
            KeyState::Present {
                secret: random_secret()?,
                macs_from: head_id + 1,
            },
            Some(files),
        );
        key.write_new_key_files(&Anchor { events, head_id, head })?;
        tx.execute(
            "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [META_KEY_ID, &key.key_id().unwrap_or_default()],
        )?;
        tx.commit()?;
        Ok(key)
    }

    /// The key beside a database opened to read only (a desktop database being
    /// moved): loaded when its file is there, otherwise missing (so its log does not
    /// verify); nothing is created or written.
    pub(in crate::store) fn open_read_only(conn: &Conn, db_path: &Path) -> Result<Self> {
        let files = KeyFiles::beside(db_path);
        Ok(Self::load(conn, &files)?.unwrap_or_else(|| Self::new(KeyState::Missing, Some(files))))
    }

    /// A new key for a database whose key is missing: MACs events from
    /// `macs_from` on; the anchor starts at the log as it is now.
    pub(in crate::store) fn replace_missing(&self, conn: &Conn, macs_from: i64) -> Result<Self> {
        let Some(files) = self
            .inner
            .files
            .clone()
            .filter(|_| matches!(self.inner.state, KeyState::Missing))
        else {
            return Err(self.unavailable());
        };
        // The old anchor is evidence: kept aside, not deleted.
        set_aside(&files.anchor, "before-new-key")?;
        let (events, head_id, head) = log_head(conn)?;
        let key = Self::new(
            KeyState::Present {
                secret: random_secret()?,
                macs_from,
            },
            Some(files),
        );
        key.write_new_key_files(&Anchor { events, head_id, head })?;
        Ok(key)
    }

    /// The key file beside the database, checked against the id the database
    /// recorded; `None` when there is no key file.
    fn load(conn: &Conn, files: &KeyFiles) -> Result<Option<Self>> {
        let Some((secret, macs_from)) = read_key_file(&files.key)? else {
            return Ok(None);
        };
        let key = Self::new(KeyState::Present { secret, macs_from }, Some(files.clone()));
        let id = key.key_id().unwrap_or_default();
        match meta(conn, META_KEY_ID)? {
            Some(recorded) if recorded != id => Ok(Some(Self::new(KeyState::Mismatched, Some(files.clone())))),
            Some(_) => Ok(Some(key)),
            None => {
                // A key file made just before a crash, or a database whose meta row was
                // removed: the key file, outside the database, is what counts.
                let _ = conn.execute(
                    "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
                    [META_KEY_ID, &id],
                );
                Ok(Some(key))
            }
        }
    }

    /// The anchor first, then the key (published with a hard link, so a reader sees
    /// the whole file or none): a crash between leaves a database that makes a new
    /// key on the next open.
    fn write_new_key_files(&self, anchor: &Anchor) -> Result<()> {
        let (Some(files), KeyState::Present { secret, macs_from }) = (&self.inner.files, &self.inner.state) else {
            return Ok(());
        };
        self.write_anchor_file(files, anchor)?;
        let text = format!("{KEY_HEADER}\nsecret {}\nmacs-from-event {macs_from}\n", hex(secret));
        let tmp = temp_beside(&files.key);
        let mut f = platform::create_private_file(&tmp, true).map_err(|e| io_error(&tmp, e))?;
        f.write_all(text.as_bytes())
            .and_then(|_| f.sync_all())
            .map_err(|e| io_error(&tmp, e))?;
        drop(f);
        let linked = std::fs::hard_link(&tmp, &files.key);
        let _ = std::fs::remove_file(&tmp);
        linked.map_err(|e| io_error(&files.key, e))?;
        sync_dir(&files.key);
        Ok(())
    }

    pub fn status(&self) -> AuditKeyStatus {
        match (&self.inner.state, &self.inner.files) {
            (_, None) => AuditKeyStatus::InMemory,
            (KeyState::Present { .. }, Some(f)) => AuditKeyStatus::File { path: f.key.clone() },
            (KeyState::Missing, Some(f)) => AuditKeyStatus::Missing { path: f.key.clone() },
            (KeyState::Mismatched, Some(f)) => AuditKeyStatus::Mismatched { path: f.key.clone() },
        }
    }

    /// The first event id this key MACs; events before it are checked by the chain.
    pub(super) fn macs_from(&self) -> Option<i64> {
        match self.inner.state {
            KeyState::Present { macs_from, .. } => Some(macs_from),
            _ => None,
        }
    }

    /// A MAC over `parts`, each framed by its length; `None` without the key.
    pub(super) fn hmac(&self) -> Option<HmacSha256> {
        match &self.inner.state {
            KeyState::Present { secret, .. } => HmacSha256::new_from_slice(secret).ok(),
            _ => None,
        }
    }

    /// The error for a write that needs the key when it is not here.
    pub(super) fn unavailable(&self) -> StoreError {
        match self.status() {
            AuditKeyStatus::Mismatched { path } => StoreError::AuditKeyMismatched { path },
            AuditKeyStatus::Missing { path } => StoreError::AuditKeyMissing { path },
            _ => StoreError::AuditKeyMissing { path: PathBuf::new() },
        }
    }

    /// The id the database records for this key (empty without the key).
    pub(super) fn id_text(&self) -> String {
        self.key_id().unwrap_or_default()
    }

    fn key_id(&self) -> Option<String> {
        let mut mac = self.hmac()?;
        mac.update(b"joinedup audit key id v1");
        Some(hex(&mac.finalize().into_bytes()[..16]))
    }

    pub(super) fn event_mac(&self, id: i64, hash: &str, seal: Option<&str>) -> Option<String> {
        let mut mac = self.hmac()?;
        frame(&mut mac, b"event v1");
        frame(&mut mac, id.to_string().as_bytes());
        frame(&mut mac, hash.as_bytes());
        frame(&mut mac, seal.unwrap_or("").as_bytes());
        Some(hex(&mac.finalize().into_bytes()))
    }

    fn anchor_mac(&self, a: &Anchor) -> Option<String> {
        let mut mac = self.hmac()?;
        frame(&mut mac, b"anchor v1");
        frame(&mut mac, a.events.to_string().as_bytes());
        frame(&mut mac, a.head_id.to_string().as_bytes());
        frame(&mut mac, a.head.as_bytes());
        Some(hex(&mac.finalize().into_bytes()))
    }

    pub(super) fn read_anchor(&self) -> AnchorRead {
        let Some(files) = &self.inner.files else {
            return match self.inner.memory_anchor.lock().ok().and_then(|a| a.clone()) {
                Some(a) => AnchorRead::Valid(a),
                None => AnchorRead::Missing,
            };
        };
        let text = match std::fs::read_to_string(&files.anchor) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return AnchorRead::Missing,
            Err(e) => return AnchorRead::Forged(format!("it could not be read: {e}")),
        };
        let fields = parse_fields(&text, ANCHOR_HEADER);
        let get = |k: &str| fields.iter().find(|(f, _)| f == k).map(|(_, v)| v.as_str());
        let anchor = (|| {
            Some(Anchor {
                events: get("events")?.parse().ok()?,
                head_id: get("head-id")?.parse().ok()?,
                head: get("head")?.to_owned(),
            })
        })();
        match (anchor, get("mac")) {
            (Some(a), Some(mac)) if self.anchor_mac(&a).is_some_and(|m| constant_time_eq(&m, mac)) => {
                AnchorRead::Valid(a)
            }
            (Some(_), Some(_)) if self.hmac().is_none() => AnchorRead::Forged("the key is not here".into()),
            (Some(_), Some(_)) => AnchorRead::Forged("its MAC does not verify".into()),
            _ => AnchorRead::Forged("it is not an anchor file".into()),
        }
    }

    /// Move the anchor up to the log's head, if the log still extends the anchored
    /// one (an anchor never moves back, and never past a log that lost its head).
    /// Returns false when the anchor was left as it was because it disagrees with
    /// the log (verify reports why).
    pub(super) fn advance_anchor(&self, conn: &Conn) -> Result<bool> {
        if self.hmac().is_none() {
            return Ok(false);
        }
        let _lock = self.lock()?;
        let AnchorRead::Valid(old) = self.read_anchor() else {
            return Ok(false);
        };
        if old.head_id > 0 {
            let stored: Option<String> = conn
                .query_row("SELECT hash FROM audit_event WHERE id = ?1", [old.head_id], |r| {
                    r.get(0)
                })
                .optional()?;
            if stored.as_deref() != Some(old.head.as_str()) {
                return Ok(false);
            }
        }
        // The count and the newest id in one statement, so that an event another
        // process appends meanwhile cannot make them disagree.
        let (added, newest): (i64, Option<i64>) = conn.query_row(
            "SELECT count(*), MAX(id) FROM audit_event WHERE id > ?1",
            [old.head_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let head: Option<(i64, String)> = match newest {
            Some(id) => Some((
                id,
                conn.query_row("SELECT hash FROM audit_event WHERE id = ?1", [id], |r| r.get(0))?,
            )),
            None => None,
        };
        let Some((head_id, head)) = head else {
            return Ok(true);
        };
        let new = Anchor {
            events: old.events + added,
            head_id,
            head,
        };
        match &self.inner.files {
            Some(files) => self.write_anchor_file(files, &new)?,
            None => {
                if let Ok(mut a) = self.inner.memory_anchor.lock() {
                    *a = Some(new);
                }
            }
        }
        Ok(true)
    }

    fn write_anchor_file(&self, files: &KeyFiles, a: &Anchor) -> Result<()> {
        let mac = self.anchor_mac(a).unwrap_or_default();
        let text = format!(
            "{ANCHOR_HEADER}\nevents {}\nhead-id {}\nhead {}\nmac {mac}\n",
            a.events, a.head_id, a.head
        );
        let tmp = temp_beside(&files.anchor);
        let mut f = platform::create_private_file(&tmp, true).map_err(|e| io_error(&tmp, e))?;
        f.write_all(text.as_bytes())
            .and_then(|_| f.sync_all())
            .map_err(|e| io_error(&tmp, e))?;
        drop(f);
        std::fs::rename(&tmp, &files.anchor).map_err(|e| io_error(&files.anchor, e))?;
        Ok(())
    }

    /// An exclusive `flock` on the key file while the anchor is read and rewritten.
    fn lock(&self) -> Result<Option<std::fs::File>> {
        let Some(files) = &self.inner.files else {
            return Ok(None);
        };
        let f = std::fs::File::open(&files.key).map_err(|e| io_error(&files.key, e))?;
        #[cfg(unix)]
        {
            use std::os::fd::AsRawFd;
            // SAFETY: flock on a file descriptor this function owns; released on close.
            let rc = unsafe { libc::flock(f.as_raw_fd(), libc::LOCK_EX) };
            if rc != 0 {
                return Err(io_error(&files.key, std::io::Error::last_os_error()));
            }
        }
        Ok(Some(f))
    }
}

impl AuditKey {
    /// A client's first use of a server database: anchor the log as it is now, so
    /// that from here on a truncation is caught (its events before now are checked
    /// by the chain and their MACs, under the server's key). Nothing if an anchor
    /// exists.
    pub(in crate::store) fn anchor_first_use(&self, conn: &Conn) -> Result<()> {
        let Some(files) = &self.inner.files else { return Ok(()) };
        if files.anchor.exists() || self.hmac().is_none() {
            return Ok(());
        }
        let (events, head_id, head) = log_head(conn)?;
        self.write_anchor_file(files, &Anchor { events, head_id, head })
    }
}

impl KeyFiles {
    fn beside(db: &Path) -> Self {
        let with = |suffix: &str| {
            let mut name = db.file_name().map(|n| n.to_os_string()).unwrap_or_default();
            name.push(suffix);
            db.with_file_name(name)
        };
        Self {
            key: with(".audit-key"),
            anchor: with(".audit-anchor"),
        }
    }
}

/// The number of events, the last id and its hash (0 and "" for an empty log).
pub(super) fn log_head(conn: &Conn) -> Result<(i64, i64, String)> {
    let events: i64 = conn.query_row("SELECT count(*) FROM audit_event", [], |r| r.get(0))?;
    let head: Option<(i64, String)> = conn
        .query_row("SELECT id, hash FROM audit_event ORDER BY id DESC LIMIT 1", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?;
    let (head_id, head) = head.unwrap_or((0, String::new()));
    Ok((events, head_id, head))
}

fn meta(conn: &Conn, key: &str) -> Result<Option<String>> {
    conn.query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
        .optional()
}
