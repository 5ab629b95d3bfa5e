//! Writing what leaves the process: files are private to the user (0600), a
//! symbolic link is never followed, and an existing file is overwritten only when
//! the user said so (`--force`, or the window's save dialog, which asks). The file
//! rules are `platform::create_private_file`'s.

use std::io::Write;
use std::path::Path;

/// Whether `path` may be written (not a symbolic link, not an existing file without
/// `force`, in a folder that exists): asked before an output is made and audited, so
/// that a refused file leaves no audit event saying it was exported. The file is
/// then created by [`write_private`], which checks again as it opens.
pub fn check_writable(path: &Path, force: bool) -> std::io::Result<()> {
    use std::io::{Error, ErrorKind};
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => Err(Error::new(
            ErrorKind::InvalidInput,
            format!("{} is a symbolic link; refusing to write through it", path.display()),
        )),
        Ok(_) if !force => Err(Error::new(
            ErrorKind::AlreadyExists,
            format!("{} already exists; use --force to overwrite it", path.display()),
        )),
        _ => match path.parent().filter(|p| !p.as_os_str().is_empty()) {
            Some(dir) if !dir.is_dir() => Err(Error::new(
                ErrorKind::NotFound,
                format!("{} is not a folder that exists", dir.display()),
            )),
            _ => Ok(()),
        },
    }
}

/// Write `bytes` to a private file at `path`, durably.
pub fn write_private(path: &Path, bytes: impl AsRef<[u8]>, force: bool) -> std::io::Result<()> {
    let mut file = crate::platform::create_private_file(path, force)?;
    file.write_all(bytes.as_ref())?;
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
        assert!(check_writable(&out, false).is_err());
        assert!(check_writable(&out, true).is_ok());
        assert!(check_writable(&dir.path().join("no-such-folder/x.json"), false).is_err());
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
            assert!(check_writable(&link, true).is_err());
            assert_eq!(std::fs::read_to_string(&target).unwrap(), "keep");
        }
    }
}
