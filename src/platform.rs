//! What the operating system gives the program: the acting user, and private files.
//!
//! On a desktop the operating-system account *is* the user (DESIGN.md, "Who sees
//! what"), so the audit log's actor comes from the account's passwd entry, never
//! from `$USER` (which anyone can set). Everything the program writes that holds
//! people's data (the database, exports, prints, rejected-row CSVs) is created
//! readable by that account only: files `0600`, the data directory `0700`.

use std::fs::File;
use std::io;
use std::path::Path;

/// The operating-system account running the program, by name from the passwd
/// database (`getpwuid_r` on the real uid); `"uid 1000"` when the uid has no
/// passwd entry (containers). Never reads `$USER` or `$LOGNAME`.
#[cfg(unix)]
pub fn os_user_name() -> String {
    // SAFETY: getuid has no preconditions and cannot fail.
    let uid = unsafe { libc::getuid() };
    passwd_name(uid).unwrap_or_else(|| format!("uid {uid}"))
}

/// The account name on systems without a passwd database.
#[cfg(not(unix))]
pub fn os_user_name() -> String {
    "unknown user".to_owned()
}

#[cfg(unix)]
fn passwd_name(uid: libc::uid_t) -> Option<String> {
    let mut size = 1024usize;
    loop {
        let mut buf = vec![0u8; size];
        // SAFETY: `passwd` is plain old data, fully written by getpwuid_r on success.
        let mut pwd: libc::passwd = unsafe { std::mem::zeroed() };
        let mut result: *mut libc::passwd = std::ptr::null_mut();
        // SAFETY: every pointer is valid for the duration of the call and `buf.len()`
        // is the true length of `buf`.
        let rc = unsafe { libc::getpwuid_r(uid, &mut pwd, buf.as_mut_ptr().cast(), buf.len(), &mut result) };
        if rc == libc::ERANGE && size < (1 << 20) {
            size *= 4;
            continue;
        }
        if rc != 0 || result.is_null() || pwd.pw_name.is_null() {
            return None;
        }
        // SAFETY: on success pw_name points at a NUL-terminated string inside `buf`.
        let name = unsafe { std::ffi::CStr::from_ptr(pwd.pw_name) };
        let name = name.to_string_lossy().into_owned();
        return (!name.is_empty()).then_some(name);
    }
}

/// Create `path` for writing, readable and writable by this account only (`0600`).
///
/// Refuses a path that is a symbolic link (checked first, and again by `O_NOFOLLOW`
/// so a link made in between is refused too). Refuses to overwrite an existing file
/// unless `force`, with an error that names the file and says "use --force"; with
/// `force` the file is truncated and its mode tightened to `0600`.
pub fn create_private_file(path: &Path, force: bool) -> io::Result<File> {
    if let Ok(meta) = std::fs::symlink_metadata(path) {
        if meta.file_type().is_symlink() {
            return Err(refuse_symlink(path));
        }
        if !force {
            return Err(io::Error::new(
                io::ErrorKind::AlreadyExists,
                format!("{} already exists; use --force to overwrite it", path.display()),
            ));
        }
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true);
    if force {
        options.create(true).truncate(true);
    } else {
        // O_EXCL: a file that appeared since the check above is not overwritten.
        options.create_new(true);
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600).custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC);
    }
    let file = options.open(path).map_err(|e| match e.raw_os_error() {
        #[cfg(unix)]
        Some(libc::ELOOP) => refuse_symlink(path),
        _ if e.kind() == io::ErrorKind::AlreadyExists => io::Error::new(
            io::ErrorKind::AlreadyExists,
            format!("{} already exists; use --force to overwrite it", path.display()),
        ),
        _ => io::Error::new(e.kind(), format!("could not create {}: {e}", path.display())),
    })?;
    #[cfg(unix)]
    {
        // An existing file overwritten with --force keeps its old mode unless told.
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
    }
    Ok(file)
}

fn refuse_symlink(path: &Path) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidInput,
        format!("{} is a symbolic link; refusing to write through it", path.display()),
    )
}

/// Create the directory `path` (and missing parents) private to this account
/// (`0700`), or tighten an existing one to `0700`. Meant for the program's own data
/// directory: do not call it on a shared folder such as `/tmp`.
pub fn ensure_private_dir(path: &Path) -> io::Result<()> {
    create_dirs_private(path)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path)?.permissions().mode();
        if mode & 0o777 != 0o700 {
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o700))?;
        }
    }
    Ok(())
}

/// Create `path` and its missing parents; the ones created here are `0700`.
/// Existing directories are left as they are.
pub fn create_dirs_private(path: &Path) -> io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(path)
}

/// Tighten an existing file to `0600` (a database made by an older version, or its
/// `-wal` and `-shm` files). Missing files are fine.
pub fn make_private(path: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        match std::fs::metadata(path) {
            Ok(meta) if meta.permissions().mode() & 0o077 != 0 => {
                std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))?;
            }
            Ok(_) => {}
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(e),
        }
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

#[cfg(all(test, unix))]
mod tests {
    use std::io::Write;
    use std::os::unix::fs::PermissionsExt;

    use super::*;

    fn mode(path: &Path) -> u32 {
        std::fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn private_files_are_0600_and_not_overwritten_without_force() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("export.json");
        create_private_file(&path, false).unwrap().write_all(b"one").unwrap();
        assert_eq!(mode(&path), 0o600);
        let err = create_private_file(&path, false).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::AlreadyExists);
        let said = err.to_string();
        assert!(said.contains("export.json") && said.contains("use --force"), "{said}");
        assert_eq!(std::fs::read(&path).unwrap(), b"one", "left alone");
        // An existing file with a wider mode is overwritten with --force and tightened.
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        create_private_file(&path, true).unwrap().write_all(b"two").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"two");
        assert_eq!(mode(&path), 0o600);
    }

    #[test]
    fn private_files_refuse_symlinks_even_with_force() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("elsewhere.txt");
        std::fs::write(&target, b"keep").unwrap();
        let link = dir.path().join("print.html");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        for force in [false, true] {
            let err = create_private_file(&link, force).unwrap_err();
            assert!(err.to_string().contains("symbolic link"), "{err}");
        }
        assert_eq!(std::fs::read(&target).unwrap(), b"keep");
        // A dangling link is refused too (O_CREAT would otherwise create its target).
        let dangling = dir.path().join("dangling.csv");
        std::os::unix::fs::symlink(dir.path().join("nowhere.csv"), &dangling).unwrap();
        assert!(create_private_file(&dangling, false).is_err());
        assert!(!dir.path().join("nowhere.csv").exists());
    }

    #[test]
    fn private_dirs_are_0700() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("a").join("joinedup");
        ensure_private_dir(&data).unwrap();
        assert_eq!(mode(&data), 0o700);
        assert_eq!(mode(&dir.path().join("a")), 0o700, "parents made here are private too");
        std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o755)).unwrap();
        ensure_private_dir(&data).unwrap();
        assert_eq!(mode(&data), 0o700, "tightened");
    }

    #[test]
    fn the_user_is_the_os_account_not_the_environment() {
        let uid = std::process::Command::new("id").arg("-u").output().unwrap();
        let uid = String::from_utf8_lossy(&uid.stdout).trim().to_owned();
        let name = std::process::Command::new("id").arg("-un").output().unwrap();
        let expected = if name.status.success() {
            String::from_utf8_lossy(&name.stdout).trim().to_owned()
        } else {
            format!("uid {uid}")
        };
        assert_eq!(os_user_name(), expected);
        // A child with a forged $USER still names the account.
        let out = std::process::Command::new(std::env::current_exe().unwrap())
            .args([
                "--exact",
                "platform::tests::print_user",
                "--nocapture",
                "--include-ignored",
            ])
            .env("USER", "someone-else")
            .env("LOGNAME", "someone-else")
            .output()
            .unwrap();
        let said = String::from_utf8_lossy(&out.stdout);
        assert!(said.contains(&format!("user=[{expected}]")), "{said}");
    }

    #[test]
    #[ignore = "run by the_user_is_the_os_account_not_the_environment in a child"]
    fn print_user() {
        println!("user=[{}]", os_user_name());
    }
}
