//! Filing a taken file away, never overwriting and never losing one: the file goes
//! into `done/` or `rejected/` under its own name, or, when that name or its report
//! is taken there already, with `-2`, `-3`, ... before its extension. It is linked
//! in under the new name (which fails rather than replace a file that is there),
//! its report is written beside it (a new private file), and only then is the
//! dropped name removed. A crash part way leaves the file where it was dropped as
//! well, and the next pass takes it again (a duplicate, if it was imported).

use std::io::{Error, ErrorKind};
use std::path::{Path, PathBuf};

/// How many names are tried before giving up (a folder with that many clashes is
/// not one anyone is reading).
const MAX_TRIES: u32 = 10_000;

/// Move `file` into `dest` with `report` beside it; where it is now.
pub(super) fn file_away(file: &Path, dest: &Path, report: &str) -> std::io::Result<PathBuf> {
    let name = file
        .file_name()
        .ok_or_else(|| Error::new(ErrorKind::InvalidInput, "a file without a name"))?;
    for n in 1..=MAX_TRIES {
        let target = dest.join(numbered(Path::new(name), n));
        let report_path = report_path(&target);
        if std::fs::symlink_metadata(&report_path).is_ok() {
            continue;
        }
        match std::fs::hard_link(file, &target) {
            Ok(()) => {}
            Err(e) if e.kind() == ErrorKind::AlreadyExists => continue,
            // No hard links here (some network shares): a rename, to a name checked free.
            Err(_) => {
                if std::fs::symlink_metadata(&target).is_ok() {
                    continue;
                }
                std::fs::rename(file, &target)?;
            }
        }
        crate::service::write_private(&report_path, report, false)?;
        match std::fs::remove_file(file) {
            Ok(()) => {}
            Err(e) if e.kind() == ErrorKind::NotFound => {}
            Err(e) => return Err(e),
        }
        sync_folder(dest);
        return Ok(target);
    }
    Err(Error::other(format!("no free name in {}", dest.display())))
}

/// The report's path beside a filed file: `NAME.report.json`.
pub(super) fn report_path(file: &Path) -> PathBuf {
    let mut name = file.file_name().unwrap_or_default().to_os_string();
    name.push(".report.json");
    file.with_file_name(name)
}

/// `name` for the first try, then `stem-N.ext`.
fn numbered(name: &Path, n: u32) -> PathBuf {
    if n == 1 {
        return name.to_path_buf();
    }
    let stem = name.file_stem().unwrap_or_default().to_string_lossy();
    match name.extension() {
        Some(ext) => PathBuf::from(format!("{stem}-{n}.{}", ext.to_string_lossy())),
        None => PathBuf::from(format!("{stem}-{n}")),
    }
}

/// Make the new names durable (the file's contents already are: it was complete).
fn sync_folder(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clashing_names_get_a_suffix_and_nothing_is_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("done");
        std::fs::create_dir(&dest).unwrap();
        let mut placed = Vec::new();
        for text in ["one", "two", "three"] {
            let dropped = dir.path().join("cld.csv");
            std::fs::write(&dropped, text).unwrap();
            placed.push(file_away(&dropped, &dest, text).unwrap());
            assert!(!dropped.exists());
        }
        let names: Vec<_> = placed.iter().map(|p| p.file_name().unwrap().to_owned()).collect();
        assert_eq!(names, ["cld.csv", "cld-2.csv", "cld-3.csv"]);
        for (p, text) in placed.iter().zip(["one", "two", "three"]) {
            assert_eq!(std::fs::read_to_string(p).unwrap(), text);
            assert_eq!(std::fs::read_to_string(report_path(p)).unwrap(), text);
        }
        // A report left without its file still holds its name.
        std::fs::write(dest.join("adt.report.json"), "old").unwrap();
        let dropped = dir.path().join("adt");
        std::fs::write(&dropped, "x").unwrap();
        assert_eq!(file_away(&dropped, &dest, "new").unwrap(), dest.join("adt-2"));
        assert_eq!(std::fs::read_to_string(dest.join("adt.report.json")).unwrap(), "old");
    }
}
