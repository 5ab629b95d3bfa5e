//! Data seals: evidence that episode rows were not changed or removed outside the
//! program.
//!
//! Each audit event seals the episodes written since the one before (ids after the
//! last seal's end, so an import's rows are sealed by the event that records it):
//! a `data_seal` row holds, for that id range, the XOR of a keyed MAC of every row's
//! sealed columns, started from a MAC of the range itself (so an emptied range does
//! not verify either). The event's own MAC covers the range, so the audit log is
//! the ledger of seals: a seal cannot be removed or moved without breaking it.
//!
//! The sealed columns are the ones that say what happened: `id`, `source`,
//! `source_ref`, `sector`, `kind`, `start`, `end`, `status`, `organisation`,
//! `title`, `detail` and `sensitivity`. Not `person_id` (a confirmed match moves
//! items to another person), not `import_run_id` (a later file that updates an item
//! takes it over), not `attributes`. Legitimate changes by the program keep the
//! seal true: triggers on UPDATE and DELETE of episodes call SQL functions that only
//! this program's connection has (they need the key) to swap the row's MAC in the
//! digest. A connection without them (the `sqlite3` shell) cannot change a sealed
//! column without dropping the triggers, and then the seal no longer verifies.
//!
//! Not covered: spells, delay reasons, CHC grids, care plans, people; rows written
//! since the last audit event (sealed by the next one, as they stand then).

use rusqlite::functions::{Context, FunctionFlags};
use rusqlite::types::ValueRef;

use crate::store::engine::{Conn, OptionalExtension, Value, params};

use super::key::{AuditKey, HmacSha256};
use super::key_files::{frame, hex, unhex};
use crate::store::Result;
use hmac::Mac;

/// The sealed columns of `episode`, in MAC order.
const SEALED: &str =
    r#"id, source, source_ref, sector, kind, start, "end", status, organisation, title, detail, sensitivity"#;
const SEALED_COUNT: usize = 12;
/// What an event's `seal` column says when it retires every seal (the records were
/// cleared, or the key was replaced).
pub(super) const RETIRE_ALL: &str = "retire all";

/// The episodes written since the last seal, as the audit event's one read finds
/// them (`audit::append_audit_in`): each row's MAC folded in as it is read, then
/// sealed in the caller's transaction by [`Unsealed::seal`].
pub(super) struct Unsealed {
    /// The last sealed id.
    last: i64,
    /// The newest unsealed id read.
    newest: i64,
    /// The XOR of the rows' MACs.
    rows: [u8; 32],
    /// A row was read without the key to MAC it.
    without_key: bool,
}

impl Unsealed {
    pub(super) fn after(last: i64) -> Self {
        Unsealed {
            last,
            newest: last,
            rows: [0; 32],
            without_key: false,
        }
    }

    /// Fold in the episode whose sealed columns ([`sealed_columns_of`]) a row
    /// holds from column `first` on (the episode's id first).
    pub(super) fn add(&mut self, key: &AuditKey, r: &crate::store::engine::Row<'_>, first: usize) -> Result<()> {
        let id: i64 = r.get(first)?;
        self.newest = self.newest.max(id);
        match row_mac_in(key, r, first)? {
            Some(mac) => xor(&mut self.rows, &mac),
            None => self.without_key = true,
        }
        Ok(())
    }

    /// Seal what was read, inside the caller's transaction (which may seal:
    /// [`Conn::may_seal`]); the seal's description for the event that records it,
    /// or `None` when there is nothing new.
    pub(super) fn seal(self, key: &AuditKey, conn: &Conn) -> Result<Option<String>> {
        if self.newest <= self.last {
            return Ok(None);
        }
        let (from, through) = (self.last + 1, self.newest);
        let Some(base) = key.hmac().filter(|_| !self.without_key) else {
            return Err(key.unavailable());
        };
        let mut digest = range_start(&base, from, through);
        xor(&mut digest, &self.rows);
        conn.execute(
            "INSERT INTO data_seal (from_id, through_id, digest) VALUES (?1, ?2, ?3)",
            params![from, through, hex(&digest)],
        )?;
        Ok(Some(describe(from, through)))
    }
}

/// The sealed columns of `episode` under the alias `alias`, in MAC order.
pub(in crate::store) fn sealed_columns_of(alias: &str) -> String {
    SEALED
        .split(", ")
        .map(|c| format!("{alias}.{c}"))
        .collect::<Vec<_>>()
        .join(", ")
}

pub(super) fn describe(from: i64, through: i64) -> String {
    format!("episodes {from}-{through}")
}

/// The range a seal description names.
pub(super) fn parse(seal: &str) -> Option<(i64, i64)> {
    let (from, through) = seal.strip_prefix("episodes ")?.split_once('-')?;
    Some((from.parse().ok()?, through.parse().ok()?))
}

/// The digest of the rows now stored with ids in `from..=through`; `None` without
/// the key.
pub(super) fn range_digest(key: &AuditKey, conn: &Conn, from: i64, through: i64) -> Result<Option<[u8; 32]>> {
    let Some(base) = key.hmac() else {
        return Ok(None);
    };
    let mut digest = range_start(&base, from, through);
    let mut stmt = conn.prepare_cached(&format!("SELECT {SEALED} FROM episode WHERE id BETWEEN ?1 AND ?2"))?;
    let mut rows = stmt.query([from, through])?;
    let mut buf = Vec::with_capacity(512);
    while let Some(r) = rows.next()? {
        buf.clear();
        for i in 0..SEALED_COUNT {
            encode_value(&mut buf, &r.get::<_, Value>(i)?);
        }
        xor(&mut digest, &row_mac(&base, &buf));
    }
    Ok(Some(digest))
}

/// The sealed columns of `episode`, in MAC order, for a statement that returns
/// them (`UPDATE episode … RETURNING {SEALED_COLUMNS}`).
pub(in crate::store) const SEALED_COLUMNS: &str = SEALED;

/// The keyed MAC of an episode's sealed columns as a row holds them from column
/// `first` on (read with [`SEALED_COLUMNS`] or [`sealed_columns_of`]); `None` without the key. Taken before
/// and after the program changes a sealed row on an engine without the seal
/// triggers, for [`swap_in_seal`].
pub(in crate::store) fn row_mac_in(
    key: &AuditKey,
    r: &crate::store::engine::Row<'_>,
    first: usize,
) -> Result<Option<[u8; 32]>> {
    let Some(base) = key.hmac() else {
        return Ok(None);
    };
    let mut buf = Vec::with_capacity(512);
    for i in first..first + SEALED_COUNT {
        encode_value(&mut buf, &r.get::<_, Value>(i)?);
    }
    Ok(Some(row_mac(&base, &buf)))
}

/// The seal that covers episode `id`, as a statement reads it beside the row
/// (`SELECT …, {covering_seal_of("e")} FROM episode e`): its id and digest,
/// `NULL` for an episode not sealed yet.
pub(in crate::store) fn covering_seal_of(alias: &str) -> String {
    let covering = format!("FROM data_seal s WHERE s.through_id >= {alias}.id AND s.from_id <= {alias}.id");
    format!(
        "(SELECT s.id {covering} ORDER BY s.through_id LIMIT 1), (SELECT s.digest {covering} ORDER BY s.through_id LIMIT 1)"
    )
}

/// After the program changed a sealed episode, whose MAC was `before` and is
/// `after` now: swap its MAC in the digest of the seal that covers it (`seal`: its
/// id and digest, read in the same transaction with [`covering_seal_of`]), as
/// SQLite's trigger (`migrations/0006`) does there, so the seal stays true.
/// PostgreSQL has no such trigger: the key never reaches the server. An unsealed
/// row (`None`) needs nothing.
pub(in crate::store) fn swap_in_seal(
    conn: &Conn,
    seal: Option<(i64, String)>,
    before: [u8; 32],
    after: [u8; 32],
) -> Result<()> {
    let Some((seal_id, digest)) = seal else {
        return Ok(());
    };
    let Some(mut digest) = unhex(&digest).and_then(|d| <[u8; 32]>::try_from(d).ok()) else {
        // A damaged digest stays damaged: verify reports it.
        return Ok(());
    };
    xor(&mut digest, &before);
    xor(&mut digest, &after);
    conn.execute(
        "UPDATE data_seal SET digest = ?2 WHERE id = ?1",
        params![seal_id, hex(&digest)],
    )?;
    Ok(())
}

/// The live seals, oldest first: (from, through, digest).
pub(super) fn stored_seals(conn: &Conn) -> Result<Vec<(i64, i64, String)>> {
    let mut stmt = conn.prepare("SELECT from_id, through_id, digest FROM data_seal ORDER BY from_id, id")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    rows.collect::<crate::store::Result<_>>()
}

/// The id of the last sealed episode.
pub(super) fn sealed_through(conn: &Conn) -> Result<i64> {
    Ok(conn
        .query_row("SELECT MAX(through_id) FROM data_seal", [], |r| {
            r.get::<_, Option<i64>>(0)
        })
        .optional()?
        .flatten()
        .unwrap_or(0))
}

fn range_start(base: &HmacSha256, from: i64, through: i64) -> [u8; 32] {
    let mut mac = base.clone();
    frame(&mut mac, b"seal range v1");
    frame(&mut mac, from.to_string().as_bytes());
    frame(&mut mac, through.to_string().as_bytes());
    mac.finalize().into_bytes().into()
}

/// Append one value to a row's encoding: a type tag, a 4-byte length, the bytes.
/// A row is encoded into one buffer and MAC'd with one update (imports seal
/// millions of rows).
/// A date or time is encoded as the text SQLite keeps, so that a row seals alike
/// on both engines.
fn encode_value(buf: &mut Vec<u8>, v: &Value) {
    let mut put = |tag: u8, bytes: &[u8]| {
        buf.push(tag);
        buf.extend_from_slice(&(bytes.len() as u32).to_le_bytes());
        buf.extend_from_slice(bytes);
    };
    match v {
        Value::Null => put(b'n', &[]),
        Value::Int(i) => put(b'i', &i.to_le_bytes()),
        Value::Real(f) => put(b'r', &f.to_bits().to_le_bytes()),
        Value::Text(t) => put(b't', t.as_bytes()),
        Value::Blob(b) => put(b'b', b),
        Value::Date(d) => put(b't', crate::store::codec::date_text(*d).as_bytes()),
        Value::DateTime(t) => put(b't', crate::store::codec::date_time_text(*t).as_bytes()),
    }
}

fn encode_ref(buf: &mut Vec<u8>, v: ValueRef<'_>) {
    encode_value(
        buf,
        &match v {
            ValueRef::Null => Value::Null,
            ValueRef::Integer(i) => Value::Int(i),
            ValueRef::Real(f) => Value::Real(f),
            ValueRef::Text(t) => Value::Text(String::from_utf8_lossy(t).into_owned()),
            ValueRef::Blob(b) => Value::Blob(b.to_vec()),
        },
    )
}

/// The keyed MAC of one row, from its encoded values.
fn row_mac(base: &HmacSha256, buf: &[u8]) -> [u8; 32] {
    let mut mac = base.clone();
    mac.update(b"episode v1\0");
    mac.update(buf);
    mac.finalize().into_bytes().into()
}

fn xor(into: &mut [u8; 32], other: &[u8]) {
    for (a, b) in into.iter_mut().zip(other) {
        *a ^= b;
    }
}

/// A row's MAC from `SEALED_COUNT` function arguments starting at `first`.
fn row_mac_of_args(base: &HmacSha256, ctx: &Context<'_>, first: usize) -> rusqlite::Result<[u8; 32]> {
    let mut buf = Vec::with_capacity(512);
    for i in first..first + SEALED_COUNT {
        encode_ref(&mut buf, ctx.get_raw(i));
    }
    Ok(row_mac(base, &buf))
}

fn digest_arg(ctx: &Context<'_>) -> rusqlite::Result<[u8; 32]> {
    let text: String = ctx.get(0)?;
    unhex(&text)
        .and_then(|b| <[u8; 32]>::try_from(b).ok())
        .ok_or_else(|| rusqlite::Error::UserFunctionError("a data seal's digest is damaged".into()))
}

/// Register the functions the seal triggers call (`migrations/0006`), bound to
/// `key`. Without the key they fail, so sealed rows cannot change unsealed.
pub(in crate::store) fn register(conn: &rusqlite::Connection, key: &AuditKey) -> Result<()> {
    // Not SQLITE_DIRECTONLY: the triggers must be able to call them.
    let flags = FunctionFlags::SQLITE_UTF8;
    let swap_key = key.clone();
    conn.create_scalar_function("joinedup_seal_swap", (1 + 2 * SEALED_COUNT) as i32, flags, move |ctx| {
        let base = swap_key
            .hmac()
            .ok_or_else(|| rusqlite::Error::UserFunctionError(Box::new(swap_key.unavailable())))?;
        let mut digest = digest_arg(ctx)?;
        xor(&mut digest, &row_mac_of_args(&base, ctx, 1)?);
        xor(&mut digest, &row_mac_of_args(&base, ctx, 1 + SEALED_COUNT)?);
        Ok(hex(&digest))
    })?;
    let remove_key = key.clone();
    conn.create_scalar_function("joinedup_seal_remove", (1 + SEALED_COUNT) as i32, flags, move |ctx| {
        let base = remove_key
            .hmac()
            .ok_or_else(|| rusqlite::Error::UserFunctionError(Box::new(remove_key.unavailable())))?;
        let mut digest = digest_arg(ctx)?;
        xor(&mut digest, &row_mac_of_args(&base, ctx, 1)?);
        Ok(hex(&digest))
    })?;
    Ok(())
}
