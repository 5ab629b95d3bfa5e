//! `joinedup import FILE... [--dry-run] [--valid-rows-only] [--rejected-csv PATH]`.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::import;
use crate::service::{Service, ServiceError};

pub(super) struct ImportFlags {
    pub valid_rows_only: bool,
    pub dry_run: bool,
    pub rejected_csv: Option<PathBuf>,
    pub force: bool,
}

pub(super) fn import_files(service: &mut Service, files: &[PathBuf], flags: ImportFlags) -> anyhow::Result<ExitCode> {
    let ImportFlags {
        valid_rows_only,
        dry_run,
        rejected_csv,
        force,
    } = flags;
    let options = service.import_options();
    let mut all_rejections = Vec::new();
    // Exit codes: 0 everything imported, 3 rows were rejected, 2 a file could not be read at all.
    let mut unreadable = false;
    let mut rejected = false;
    for path in files {
        let name = path.display();
        let label = import::file_label(path);
        let bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("{}", import::ImportError::Read { file: label, source: e });
                unreadable = true;
                continue;
            }
        };
        let report = |rejections: &[import::Rejection], notes: &[String]| {
            for r in rejections {
                eprintln!("rejected: {r}");
            }
            for n in notes {
                eprintln!("note: {name}: {n}");
            }
        };
        if dry_run {
            let parsed = match import::parse_bytes(&label, &bytes, options) {
                Ok(p) => p,
                Err(e) => {
                    eprintln!("{e}");
                    unreadable = true;
                    continue;
                }
            };
            report(&parsed.rejections, &parsed.batch.notes);
            all_rejections.extend(parsed.rejections.iter().cloned());
            rejected |= !parsed.rejections.is_empty();
            let b = &parsed.batch;
            println!(
                "{name}: dry run ({}): {} read, {} people, {} items, {} care plan versions valid; {} rejected; nothing written",
                b.format,
                b.rows_read,
                b.people.len(),
                b.episodes.len(),
                b.care_plans.len(),
                parsed.rejections.len()
            );
            continue;
        }
        // Parsed and written at once, in one transaction kept only if the whole file
        // is valid (or --valid-rows-only).
        let now = chrono::Local::now().naive_local();
        let mut shown_progress = false;
        let mut progress = |done: usize| {
            eprint!("\rwriting {name}: {done} items");
            shown_progress = true;
            true
        };
        let outcome = service.import_bytes(&label, &bytes, valid_rows_only, now, &mut progress);
        if shown_progress {
            eprintln!();
        }
        let imported = match outcome {
            Ok(i) => i,
            Err(ServiceError::Pipeline(import::pipeline::PipelineError::Import(e))) => {
                eprintln!("{e}");
                unreadable = true;
                continue;
            }
            Err(e) => return Err(e.into()),
        };
        report(&imported.rejections, &imported.file.notes);
        all_rejections.extend(imported.rejections.iter().cloned());
        rejected |= !imported.rejections.is_empty();
        let line = imported.line(&name.to_string());
        if imported.summary.is_some() {
            println!("{line}");
        } else {
            eprintln!("{line} (use --valid-rows-only to import the rest)");
        }
    }
    if let Some(path) = rejected_csv {
        crate::service::write_private(&path, import::rejections_csv(&all_rejections), force)?;
        eprintln!("{} rejected rows written to {}", all_rejections.len(), path.display());
    }
    Ok(match (unreadable, rejected) {
        (true, _) => ExitCode::from(2),
        (false, true) => ExitCode::from(3),
        (false, false) => ExitCode::SUCCESS,
    })
}
