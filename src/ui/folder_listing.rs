//! What the built-in file picker lists: a folder's folders and files, folders first,
//! each by name as the user reads it (case folded); hidden ones (a leading dot) left
//! out. The picker's only reading of the disk, done when the folder changes, never
//! per frame.

use std::path::{Path, PathBuf};

/// One thing in a folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub name: String,
    pub is_folder: bool,
    /// A file's size in bytes.
    pub size: Option<u64>,
}

impl Entry {
    /// Whether a file's name ends in one of `extensions` (any case); a folder always
    /// matches, so that the user can go into it.
    pub fn matches(&self, extensions: &[&str]) -> bool {
        self.is_folder
            || Path::new(&self.name)
                .extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| extensions.iter().any(|x| x.eq_ignore_ascii_case(e)))
    }

    /// How the list shows it: a folder with a trailing slash, a file with its size.
    pub fn label(&self) -> String {
        if self.is_folder {
            format!("{}/", self.name)
        } else {
            self.name.clone()
        }
    }
}

/// The folders and files of `folder`, folders first, then by name.
pub fn list(folder: &Path) -> std::io::Result<Vec<Entry>> {
    let mut out = Vec::new();
    for item in std::fs::read_dir(folder)? {
        let Ok(item) = item else { continue };
        let name = item.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        // A link is listed as what it points to; a broken one is left out.
        let Ok(meta) = std::fs::metadata(item.path()) else {
            continue;
        };
        out.push(Entry {
            name,
            is_folder: meta.is_dir(),
            size: meta.is_file().then_some(meta.len()),
        });
    }
    out.sort_by(|a, b| {
        b.is_folder
            .cmp(&a.is_folder)
            .then_with(|| a.name.to_lowercase().cmp(&b.name.to_lowercase()))
            .then_with(|| a.name.cmp(&b.name))
    });
    Ok(out)
}

/// A size as people read it: `812 bytes`, `14 KB`, `3.2 MB`.
pub fn size_text(bytes: u64) -> String {
    const KB: f64 = 1024.0;
    let b = bytes as f64;
    if bytes < 1024 {
        format!("{bytes} bytes")
    } else if b < KB * KB {
        format!("{:.0} KB", b / KB)
    } else if b < KB * KB * KB {
        format!("{:.1} MB", b / KB / KB)
    } else {
        format!("{:.1} GB", b / KB / KB / KB)
    }
}

/// Where the picker starts without a folder kept from before: the user's home.
pub fn home_folder() -> PathBuf {
    directories::UserDirs::new()
        .map(|d| d.home_dir().to_path_buf())
        .or_else(|| std::env::current_dir().ok())
        .unwrap_or_else(|| PathBuf::from("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_first_then_by_name_hidden_left_out() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("zeta")).unwrap();
        std::fs::create_dir(dir.path().join(".cache")).unwrap();
        std::fs::write(dir.path().join("b.csv"), "x").unwrap();
        std::fs::write(dir.path().join("A.json"), "{}").unwrap();
        std::fs::write(dir.path().join(".hidden.json"), "{}").unwrap();
        let names: Vec<String> = list(dir.path()).unwrap().iter().map(Entry::label).collect();
        assert_eq!(names, ["zeta/", "A.json", "b.csv"]);
        let json = &list(dir.path()).unwrap()[1];
        assert_eq!(json.size, Some(2));
        assert!(json.matches(&["JSON"]));
        assert!(!json.matches(&["csv"]));
        assert_eq!(size_text(812), "812 bytes");
        assert_eq!(size_text(14 * 1024), "14 KB");
        assert_eq!(size_text(3 * 1024 * 1024 + 200 * 1024), "3.2 MB");
    }
}
