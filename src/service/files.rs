//! Writing what leaves the process: files are private to the user (0600), a
//! symbolic link is never followed, and an existing file is overwritten only when
//! the user said so (`--force`, or the window's save dialog, which asks). The file
//! rules are `platform::create_private_file`'s.

use std::io::Write;
use std::path::Path;

/// Write `text` to a private file at `path`, durably.
pub fn write_private(path: &Path, text: &str, force: bool) -> std::io::Result<()> {
    let mut file = crate::platform::create_private_file(path, force)?;
    file.write_all(text.as_bytes())?;
    file.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_no_symlinks_no_silent_overwrite() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("record.json");
        write_private(&out, "one", false).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&out).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600);
        }
        let again = write_private(&out, "two", false).unwrap_err();
        assert!(again.to_string().contains("--force"), "{again}");
        assert_eq!(std::fs::read_to_string(&out).unwrap(), "one");
        write_private(&out, "two", true).unwrap();
        assert_eq!(std::fs::read_to_string(&out).unwrap(), "two");
        #[cfg(unix)]
        {
            let target = dir.path().join("elsewhere");
            std::fs::write(&target, "keep").unwrap();
            let link = dir.path().join("link.json");
            std::os::unix::fs::symlink(&target, &link).unwrap();
            assert!(write_private(&link, "x", true).is_err());
            assert_eq!(std::fs::read_to_string(&target).unwrap(), "keep");
        }
    }
}
