//! Watched folders (`joinedup listen --watch DIR`): files dropped in a folder (any
//! format `joinedup import` reads) are imported once they are complete, then moved
//! to `DIR/done/` or `DIR/rejected/` with their report beside them.
//!
//! The folders are polled with `std::fs`, not watched with change notifications:
//! a file's size and modification time have to be seen to stay the same for a
//! settling interval either way (a notification says a file changed, not that its
//! writer has finished), and polling also works on the network shares that
//! overnight exports are often dropped on, where notifications do not arrive.
//!
//! A file is complete when
//! - it was renamed in: it has the identity (device and inode) of a file seen
//!   under a temporary name in the previous pass (`x.csv.part` renamed to `x.csv`),
//!   and is taken at once; or
//! - its size and modification time have stayed the same for the settling interval.
//!
//! Dotfiles, names ending in `.tmp`, `.part`, `.partial` or `.filepart`, folders and
//! symbolic links are never taken. Each file is imported none-or-all through the
//! service, exactly as `joinedup import` imports it (`take`); a file whose contents
//! were imported before (the same SHA-256) is a duplicate and is not imported again;
//! a file that fails because the database is unavailable stays where it is and is
//! tried again after [`WatchOptions::retry`]. Nothing is ever overwritten or lost
//! (`place`). Stopping (the stop flag `listen` shares with the MLLP server): the file
//! in hand is finished, then the watcher returns its counts. Logs carry counts, file
//! names and timings only, never a file's content.

mod place;
mod take;

use std::collections::{HashMap, HashSet};
use std::ffi::{OsStr, OsString};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant, SystemTime};

use crate::service::Service;

pub use take::{Outcome, Taken};

/// The largest dropped file taken by default, in MiB (`listen --max-file-mb`): a
/// file is read whole to be imported none-or-all, so a larger one (a wrong export,
/// a disk image dropped by mistake) is moved to `rejected/` unread.
pub const MAX_FILE_MB: u64 = 512;

/// Names of files still being written, never taken (compared without case).
const TEMPORARY_SUFFIXES: &[&str] = &[".tmp", ".part", ".partial", ".filepart"];

/// How the folders are watched.
#[derive(Debug, Clone)]
pub struct WatchOptions {
    /// How long a file's size and modification time must stay the same.
    pub settle: Duration,
    /// How often the folders are looked at.
    pub poll: Duration,
    /// How long a file that failed for want of the database waits before another try.
    pub retry: Duration,
    /// The largest file taken, in bytes; a larger one is rejected without being read.
    pub max_file_bytes: u64,
}

impl Default for WatchOptions {
    fn default() -> Self {
        Self {
            settle: Duration::from_secs(2),
            poll: Duration::from_millis(500),
            retry: Duration::from_secs(10),
            max_file_bytes: MAX_FILE_MB << 20,
        }
    }
}

/// What the watcher did, for its report and its log.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct WatchCounts {
    pub folders: u64,
    /// Files imported and moved to `done/`.
    pub imported: u64,
    /// Files whose contents were imported before: moved to `done/`, not imported again.
    pub duplicates: u64,
    /// Files refused (unreadable, rows rejected, or larger than the limit): moved to `rejected/`, nothing kept.
    pub rejected: u64,
    /// Tries that failed for want of the database (the file stays and is tried again).
    pub failed: u64,
}

/// A file's identity on its file system (device, inode), where there is one.
type FileId = (u64, u64);

/// What a look at a file shows of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Shape {
    size: u64,
    modified: Option<SystemTime>,
    id: Option<FileId>,
}

impl Shape {
    fn of(meta: &std::fs::Metadata) -> Self {
        Self {
            size: meta.len(),
            modified: meta.modified().ok(),
            id: file_id(meta),
        }
    }
}

#[cfg(unix)]
fn file_id(meta: &std::fs::Metadata) -> Option<FileId> {
    use std::os::unix::fs::MetadataExt;
    Some((meta.dev(), meta.ino()))
}

#[cfg(not(unix))]
fn file_id(_meta: &std::fs::Metadata) -> Option<FileId> {
    None
}

/// A file seen in a folder and not yet taken.
struct Sighting {
    shape: Shape,
    /// Since when it has looked like this.
    since: Instant,
    /// It was renamed in from a temporary name: complete now.
    renamed: bool,
    /// Not tried again before this (the database was unavailable).
    not_before: Option<Instant>,
}

/// One watched folder, its `done/` and `rejected/`, and what was seen in it.
struct Folder {
    dir: PathBuf,
    /// `watch DIR` (the folder's full path): the feed its receipts name.
    feed: String,
    done: PathBuf,
    rejected: PathBuf,
    seen: HashMap<OsString, Sighting>,
    /// Identities of the temporary files seen in the last pass.
    temporary: HashSet<FileId>,
    /// The folder could not be read at the last pass (said once, not every pass).
    unreadable: bool,
}

/// Watched folders, not yet watching.
pub struct Watcher {
    folders: Vec<Folder>,
    options: WatchOptions,
    counts: WatchCounts,
}

impl Watcher {
    /// Watch `dirs` (each an existing folder); makes their `done/` and `rejected/`
    /// folders (private to this account) if they are not there.
    pub fn new(dirs: &[PathBuf], options: WatchOptions) -> std::io::Result<Self> {
        let mut folders = Vec::new();
        for dir in dirs {
            if !dir.is_dir() {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::NotFound,
                    format!("{} is not a folder that exists", dir.display()),
                ));
            }
            let (done, rejected) = (dir.join("done"), dir.join("rejected"));
            for d in [&done, &rejected] {
                filing_folder(d)?;
            }
            let full = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.clone());
            folders.push(Folder {
                dir: dir.clone(),
                feed: format!("watch {}", full.display()),
                done,
                rejected,
                seen: HashMap::new(),
                temporary: HashSet::new(),
                unreadable: false,
            });
        }
        let counts = WatchCounts {
            folders: folders.len() as u64,
            ..Default::default()
        };
        Ok(Self {
            folders,
            options,
            counts,
        })
    }

    pub fn counts(&self) -> &WatchCounts {
        &self.counts
    }

    /// Watch until `stop` is set, importing through `service`; returns the counts.
    pub fn run(mut self, mut service: Service, stop: Arc<AtomicBool>) -> WatchCounts {
        tracing::info!(folders = self.folders.len(), "watching folders");
        while !stop.load(Ordering::SeqCst) {
            self.scan(&mut service, Instant::now(), &stop);
            let until = Instant::now() + self.options.poll;
            while !stop.load(Ordering::SeqCst) && Instant::now() < until {
                std::thread::sleep(Duration::from_millis(50).min(self.options.poll));
            }
        }
        tracing::info!(counts = ?self.counts, "watch stopped");
        self.counts
    }

    /// One pass over every folder at `now`: the files complete by then are taken,
    /// one at a time, until `stop` is set. What became of each is returned.
    pub fn scan(&mut self, service: &mut Service, now: Instant, stop: &AtomicBool) -> Vec<Taken> {
        let mut taken = Vec::new();
        for folder in &mut self.folders {
            for name in folder.complete_files(&self.options, now) {
                if stop.load(Ordering::SeqCst) {
                    return taken;
                }
                let Some(t) = folder.take(service, &name, now, &self.options) else {
                    continue;
                };
                match t.outcome {
                    Outcome::Imported => self.counts.imported += 1,
                    Outcome::Duplicate => self.counts.duplicates += 1,
                    Outcome::Rejected => self.counts.rejected += 1,
                    Outcome::Failed => self.counts.failed += 1,
                }
                taken.push(t);
            }
        }
        taken
    }
}

impl Folder {
    /// The files of this folder that are complete at `now`, by name.
    fn complete_files(&mut self, options: &WatchOptions, now: Instant) -> Vec<OsString> {
        let entries = match std::fs::read_dir(&self.dir) {
            Ok(e) => e,
            Err(e) => {
                if !self.unreadable {
                    tracing::warn!(folder = %self.dir.display(), "a watched folder could not be read: {}", e.kind());
                }
                self.unreadable = true;
                return Vec::new();
            }
        };
        self.unreadable = false;
        let mut present = HashSet::new();
        let mut temporary = HashSet::new();
        let mut complete = Vec::new();
        for entry in entries.flatten() {
            let name = entry.file_name();
            // The entry's own metadata: a symbolic link is not followed (and not taken).
            let Ok(meta) = entry.metadata() else { continue };
            if !meta.is_file() {
                continue;
            }
            let shape = Shape::of(&meta);
            if is_temporary(&name) {
                temporary.extend(shape.id);
                continue;
            }
            if self.sighted(&name, shape, now, options.settle) {
                complete.push(name.clone());
            }
            present.insert(name);
        }
        self.seen.retain(|name, _| present.contains(name));
        self.temporary = temporary;
        complete.sort();
        complete
    }

    /// Note what this pass saw of a file; whether it is complete at `now` (and not
    /// waiting to be tried again).
    fn sighted(&mut self, name: &OsStr, shape: Shape, now: Instant, settle: Duration) -> bool {
        let renamed = shape.id.is_some_and(|id| self.temporary.contains(&id));
        let sighting = self.seen.entry(name.to_owned()).or_insert(Sighting {
            shape,
            since: now,
            renamed,
            not_before: None,
        });
        if sighting.shape != shape {
            // Changed since: the settling interval starts again.
            *sighting = Sighting {
                shape,
                since: now,
                renamed: false,
                not_before: sighting.not_before,
            };
        }
        let settled = sighting.renamed || now.saturating_duration_since(sighting.since) >= settle;
        settled && sighting.not_before.is_none_or(|t| now >= t)
    }

    /// Take one complete file; `None` when it was not there to take after all.
    fn take(&mut self, service: &mut Service, name: &OsStr, now: Instant, options: &WatchOptions) -> Option<Taken> {
        let shape = self.seen.get(name)?.shape;
        let started = Instant::now();
        let size = (shape.size, options.max_file_bytes);
        let Some(taken) = take::take(service, self.places(), &self.dir.join(name), size) else {
            // Gone, or grown since it was looked at: looked at afresh next pass.
            self.seen.remove(name);
            return None;
        };
        let ms = started.elapsed().as_millis() as u64;
        // Outcomes and timings only, never the file's name: a council's export is
        // often named after the person it is about (hostile review). Its report in
        // `done/` or `rejected/` names it.
        match taken.outcome {
            Outcome::Failed => {
                tracing::warn!(
                    ms,
                    "a dropped file could not be imported for now; it stays and is tried again"
                );
                if let Some(s) = self.seen.get_mut(name) {
                    s.not_before = Some(now + options.retry);
                }
            }
            outcome => {
                tracing::info!(?outcome, ms, "dropped file taken");
                self.seen.remove(name);
            }
        }
        Some(taken)
    }

    fn places(&self) -> take::Places<'_> {
        take::Places {
            feed: &self.feed,
            done: &self.done,
            rejected: &self.rejected,
        }
    }
}

/// Whether a name is one a writer uses while it writes (or a hidden file).
fn is_temporary(name: &OsStr) -> bool {
    let name = name.to_string_lossy().to_lowercase();
    name.starts_with('.') || TEMPORARY_SUFFIXES.iter().any(|s| name.ends_with(s))
}

/// `done/` or `rejected/` of a watched folder: made private to this account, or an
/// existing one checked and tightened. A symbolic link (which would file people's
/// records wherever it points) or a file of that name is refused, naming it.
fn filing_folder(d: &std::path::Path) -> std::io::Result<()> {
    let refused = |why: &str| std::io::Error::other(format!("{} {why}", d.display()));
    match std::fs::symlink_metadata(d) {
        Ok(m) if m.file_type().is_symlink() => Err(refused(
            "is a symbolic link: done/ and rejected/ must be folders of the watched folder's own",
        )),
        Ok(m) if !m.is_dir() => Err(refused("exists and is not a folder")),
        Ok(_) => {
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                let mode = std::fs::metadata(d)?.permissions().mode();
                if mode & 0o077 != 0 {
                    std::fs::set_permissions(d, std::fs::Permissions::from_mode(0o700))
                        .map_err(|e| refused(&format!("could not be made private: {e}")))?;
                }
            }
            Ok(())
        }
        Err(_) => crate::platform::create_dirs_private(d).map_err(|e| refused(&format!("could not be made: {e}"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn temporary_names() {
        for n in [
            ".hidden.csv",
            "x.csv.part",
            "X.CSV.TMP",
            "a.partial",
            "b.filepart",
            ".~lock.x.csv#",
        ] {
            assert!(is_temporary(OsStr::new(n)), "{n}");
        }
        for n in ["x.csv", "bundle.json", "adt.hl7", "part.csv", "tmp"] {
            assert!(!is_temporary(OsStr::new(n)), "{n}");
        }
    }
}
