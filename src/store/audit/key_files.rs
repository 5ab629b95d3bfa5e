//! The audit key's files and encodings: reading the key file, the fields of the key
//! and anchor files, writing beside a file and setting an old one aside, and the hex
//! and framing the MACs use.

use std::io::Read;
use std::path::{Path, PathBuf};

use hmac::Mac;

use super::key::{HmacSha256, KEY_HEADER};
use crate::store::{Result, StoreError};

pub(super) fn read_key_file(path: &Path) -> Result<Option<([u8; 32], i64)>> {
    let mut text = String::new();
    match std::fs::File::open(path) {
        Ok(mut f) => f.read_to_string(&mut text).map_err(|e| io_error(path, e))?,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(io_error(path, e)),
    };
    let fields = parse_fields(&text, KEY_HEADER);
    let get = |k: &str| fields.iter().find(|(f, _)| f == k).map(|(_, v)| v.as_str());
    let secret = get("secret").and_then(unhex).and_then(|b| <[u8; 32]>::try_from(b).ok());
    let macs_from = get("macs-from-event").and_then(|v| v.parse::<i64>().ok());
    match (secret, macs_from) {
        (Some(s), Some(m)) => Ok(Some((s, m))),
        _ => Err(StoreError::Corrupt(format!(
            "{} is not an audit key file",
            path.display()
        ))),
    }
}

pub(super) fn parse_fields(text: &str, header: &str) -> Vec<(String, String)> {
    let mut lines = text.lines();
    if lines.next() != Some(header) {
        return Vec::new();
    }
    lines
        .filter_map(|l| l.split_once(' '))
        .map(|(k, v)| (k.to_owned(), v.trim().to_owned()))
        .collect()
}

pub(super) fn random_secret() -> Result<[u8; 32]> {
    let mut secret = [0u8; 32];
    getrandom::fill(&mut secret).map_err(|e| StoreError::Corrupt(format!("no randomness for the audit key: {e}")))?;
    Ok(secret)
}

/// Feed one length-framed part to a MAC, so that parts cannot run into each other.
pub(super) fn frame(mac: &mut HmacSha256, part: &[u8]) {
    mac.update(&(part.len() as u64).to_le_bytes());
    mac.update(part);
}

pub(super) fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

pub(super) fn unhex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

/// Equal strings, compared in time that does not depend on where they differ.
pub(super) fn constant_time_eq(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Rename `path` (if it exists) to `path.WHY`, or `path.WHY.N` when that is taken.
pub(super) fn set_aside(path: &Path, why: &str) -> Result<()> {
    if std::fs::symlink_metadata(path).is_err() {
        return Ok(());
    }
    let mut n = 0;
    loop {
        let mut aside = path.as_os_str().to_os_string();
        aside.push(format!(".{why}"));
        if n > 0 {
            aside.push(format!(".{n}"));
        }
        let aside = PathBuf::from(aside);
        if std::fs::symlink_metadata(&aside).is_err() {
            return std::fs::rename(path, &aside).map_err(|e| io_error(path, e));
        }
        n += 1;
    }
}

pub(super) fn temp_beside(path: &Path) -> PathBuf {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let mut name = path.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(format!(".tmp-{}-{n}", std::process::id()));
    path.with_file_name(name)
}

pub(super) fn sync_dir(path: &Path) {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty())
        && let Ok(d) = std::fs::File::open(dir)
    {
        let _ = d.sync_all();
    }
}

pub(super) fn io_error(path: &Path, e: std::io::Error) -> StoreError {
    StoreError::AuditFile {
        path: path.to_path_buf(),
        source: e,
    }
}
