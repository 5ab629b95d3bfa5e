//! `joinedup --db TARGET import-db DESKTOP.db [--format text|json]`: progress on
//! stderr (redrawn on one line, as `import` does), the summary on stdout.

use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use serde_json::json;

use super::SummaryFormat;
use crate::service::Service;
use crate::store::MoveSummary;

pub(super) fn import_db(service: &mut Service, path: &Path, format: SummaryFormat) -> anyhow::Result<ExitCode> {
    let name = path.display();
    let started = Instant::now();
    let mut shown_progress = false;
    let mut progress = |table: &str, done: usize| {
        eprint!("\rmoving {name}: {done} rows ({table})        ");
        shown_progress = true;
        true
    };
    let outcome = service.import_database(path, super::now(), &mut progress);
    if shown_progress {
        eprintln!();
    }
    let summary = outcome?;
    match format {
        SummaryFormat::Text => println!(
            "{} in {:.1} s",
            text(&name.to_string(), &summary),
            started.elapsed().as_secs_f64()
        ),
        SummaryFormat::Json => println!("{}", serde_json::to_string_pretty(&as_json(&summary))?),
    }
    Ok(ExitCode::SUCCESS)
}

/// The summary in one line.
fn text(name: &str, s: &MoveSummary) -> String {
    format!(
        "{name} (database id {}): moved {}; {} audit events carried as history; audit event #{}",
        s.database_id,
        s.counts(),
        s.audit_events,
        s.event_id
    )
}

fn as_json(s: &MoveSummary) -> serde_json::Value {
    json!({
        "database_id": s.database_id,
        "rows": s.tables,
        "audit_events": s.audit_events,
        "restricted_people": s.restricted_people,
        "restricted_plans": s.restricted_plans,
        "audit_event_id": s.event_id,
    })
}
