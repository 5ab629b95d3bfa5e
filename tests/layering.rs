//! The layers of ARCHITECTURE.md, checked rather than hoped for: `domain` uses no
//! egui, no rusqlite and no clock; `store` and `import` never use `ui`; `store`
//! never uses `import`; `service` never uses `ui`, `cli` or `feed`; `cli`, `ui` and
//! `feed` hold no SQL and never reach the store's connection; `ui::db` never uses `ui::views`.

use std::path::{Path, PathBuf};

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("source folder") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            out.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    out
}

/// Every line in `layer` that mentions a forbidden name, outside comments.
fn violations(layer: &str, forbidden: &[&str]) -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src").join(layer);
    let mut found = Vec::new();
    for file in rust_files(&root) {
        let text = std::fs::read_to_string(&file).expect("read source");
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            for f in forbidden {
                if code.contains(f) {
                    found.push(format!("{}:{}: uses {f}", file.display(), n + 1));
                }
            }
        }
    }
    found
}

#[test]
fn domain_is_pure() {
    let v = violations(
        "domain",
        &[
            "egui",
            "eframe",
            "rusqlite",
            "Local::now",
            "Utc::now",
            "SystemTime",
            "Instant::now",
            "std::fs",
            "crate::store",
            "crate::import",
            "crate::ui",
        ],
    );
    assert!(v.is_empty(), "domain must stay pure:\n{}", v.join("\n"));
}

#[test]
fn store_does_not_reach_up() {
    let v = violations(
        "store",
        &["egui", "eframe", "crate::ui", "crate::import", "Local::now", "Utc::now"],
    );
    assert!(
        v.is_empty(),
        "store must not depend on ui, import or the clock:\n{}",
        v.join("\n")
    );
}

#[test]
fn import_does_not_use_the_ui() {
    let v = violations("import", &["egui", "eframe", "crate::ui", "Local::now", "Utc::now"]);
    assert!(
        v.is_empty(),
        "import must not depend on ui or the clock:\n{}",
        v.join("\n")
    );
}

#[test]
fn reports_use_only_the_domain() {
    let v = violations(
        "report",
        &[
            "egui",
            "eframe",
            "rusqlite",
            "crate::store",
            "crate::import",
            "crate::ui",
            "Local::now",
            "std::fs",
        ],
    );
    assert!(v.is_empty(), "report must depend on the domain only:\n{}", v.join("\n"));
}

/// Prints are made by the service from the disclosed record (SAFETY.md H44): a front
/// end only draws pages the service laid out, or writes the bytes it returned.
#[test]
fn front_ends_make_no_print_themselves() {
    for layer in ["cli", "ui"] {
        let v = violations(
            layer,
            &["record_summary", "chc_summary", "to_pdf", "write_pdf", "lay_out("],
        );
        assert!(
            v.is_empty(),
            "{layer} must print through the service:\n{}",
            v.join("\n")
        );
    }
}

#[test]
fn the_service_does_not_reach_up() {
    let v = violations("service", &["egui", "eframe", "crate::ui", "crate::cli", "crate::feed"]);
    assert!(
        v.is_empty(),
        "service must not depend on ui, cli or feed:\n{}",
        v.join("\n")
    );
}

/// SQL keywords as they start a statement in a string, and the store's raw handle.
const SQL: &[&str] = &[
    "rusqlite",
    "\"SELECT ",
    "\"INSERT ",
    "\"UPDATE ",
    "\"DELETE ",
    "\"CREATE ",
    ".connection()",
    "execute_batch",
];

#[test]
fn the_front_ends_hold_no_sql() {
    for layer in ["cli", "ui", "feed"] {
        let v = violations(layer, SQL);
        assert!(
            v.is_empty(),
            "{layer} must go through the service, not SQL:\n{}",
            v.join("\n")
        );
    }
}

#[test]
fn the_database_thread_does_not_use_the_views() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/ui");
    let mut found = Vec::new();
    for file in [root.join("db.rs")].into_iter().chain(rust_files(&root.join("db"))) {
        let text = std::fs::read_to_string(&file).expect("read source");
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            if code.contains("views::") {
                found.push(format!("{}:{}", file.display(), n + 1));
            }
        }
    }
    assert!(found.is_empty(), "ui::db must not use ui::views:\n{}", found.join("\n"));
}

#[test]
fn the_checker_finds_what_it_looks_for() {
    // Guard against a check that cannot fail: the ui layer does use egui, and the
    // store does hold SQL.
    assert!(!violations("ui", &["egui"]).is_empty());
    assert!(!violations("store", SQL).is_empty());
}
