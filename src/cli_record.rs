//! `joinedup show` and `joinedup export`: one person's record, with restricted items
//! held back unless a reason is given (audited).

use std::path::Path;
use std::process::ExitCode;

use serde_json::json;

use crate::cli::{Output, audit};
use crate::domain::PersonRecord;
use crate::domain::dates::{fmt_date, fmt_date_time};
use crate::domain::findings::all_findings;
use crate::import;
use crate::store::Store;

pub(crate) fn show(
    store: &mut Store,
    nhs: &str,
    as_json: bool,
    reason: Option<String>,
    out: Output,
) -> anyhow::Result<ExitCode> {
    let Some(found) = crate::cli::find_person(store, nhs)? else {
        return Ok(ExitCode::FAILURE);
    };
    audit(
        store,
        "open",
        Some(found.id),
        "opened the record (command line)".into(),
        None,
    )?;
    let reveal = reason.is_some();
    if let Some(r) = reason {
        audit(
            store,
            "break_glass",
            Some(found.id),
            "showed restricted items (command line)".into(),
            Some(r),
        )?;
    }
    let record = store.person_record(found.id)?;
    let today = chrono::Local::now().date_naive();
    let findings = all_findings(&record, today);
    if as_json {
        out.json(show_json(&record, &findings, reveal))?;
    } else {
        out.begin_text();
        print!("{}", show_text(&record, &findings, reveal));
    }
    Ok(ExitCode::SUCCESS)
}

pub(crate) fn export(
    store: &mut Store,
    nhs: &str,
    file: Option<&Path>,
    reason: Option<String>,
    format: crate::cli::ExportFormat,
    out: Output,
) -> anyhow::Result<ExitCode> {
    let Some(found) = crate::cli::find_person(store, nhs)? else {
        return Ok(ExitCode::FAILURE);
    };
    let mut record = store.person_record(found.id)?;
    if let Some(r) = reason {
        audit(
            store,
            "break_glass",
            Some(found.id),
            "exported restricted items (command line)".into(),
            Some(r),
        )?;
    } else {
        let (kept, left_out) = record.without_restricted();
        if left_out > 0 {
            eprintln!("{left_out} restricted item(s) left out of the export; give --reason to include them (audited)");
        }
        record = kept;
    }
    let today = chrono::Local::now().date_naive();
    let kind = match format {
        crate::cli::ExportFormat::Native => import::export::ExportFormat::Native,
        crate::cli::ExportFormat::Fhir => import::export::ExportFormat::Fhir,
    };
    let (text, not_carried) = import::export::export_record(&record, kind, today, out.training)?;
    if not_carried > 0 {
        eprintln!(
            "{not_carried} item(s) have no FHIR form here and were left out (social care reviews, safeguarding, CHC); the native format carries them"
        );
    }
    match file {
        Some(path) => std::fs::write(path, text + "\n")?,
        None => println!("{text}"),
    }
    audit(
        store,
        "export",
        Some(found.id),
        format!(
            "exported the record as a {} bundle (command line)",
            match format {
                crate::cli::ExportFormat::Native => "joined-up",
                crate::cli::ExportFormat::Fhir => "FHIR",
            }
        ),
        None,
    )?;
    Ok(ExitCode::SUCCESS)
}

const HIDDEN_TITLE: &str = "restricted item hidden: give --reason to show it";

/// Findings of a restricted person are about hidden items, so they stay hidden too.
fn shown_findings<'a>(
    record: &PersonRecord,
    findings: &'a [crate::domain::Finding],
    reveal: bool,
) -> &'a [crate::domain::Finding] {
    if record.person.is_restricted && !reveal {
        &[]
    } else {
        findings
    }
}

/// The `show --json` document: a stable interface (README, "show --json").
pub fn show_json(record: &PersonRecord, findings: &[crate::domain::Finding], reveal: bool) -> serde_json::Value {
    let p = &record.person;
    let d = &p.demographics;
    let episodes: Vec<serde_json::Value> = record
        .episodes
        .iter()
        .map(|e| {
            let hidden = record.is_restricted_item(e) && !reveal;
            // A hidden item keeps its lane and dates; its title, organisation, source
            // (a clinic's own system names the clinic) and category are held back.
            let (title, organisation, source, source_ref, sensitivity) = if hidden {
                (HIDDEN_TITLE.to_owned(), None, None, None, "restricted")
            } else {
                (
                    e.title.clone(),
                    e.organisation.clone(),
                    Some(e.provenance.source.clone()),
                    Some(e.provenance.source_ref.clone()),
                    e.sensitivity.code(),
                )
            };
            json!({
                "sector": e.sector().code(),
                "kind": e.kind.code(),
                "title": title,
                "start": e.start.format("%Y-%m-%dT%H:%M:%S").to_string(),
                "end": e.end.map(|t| t.format("%Y-%m-%dT%H:%M:%S").to_string()),
                "status": e.status.code(),
                "organisation": organisation,
                "source": source,
                "source_ref": source_ref,
                "sensitivity": sensitivity,
            })
        })
        .collect();
    json!({
        "person": {
            "nhs_number": p.nhs_number.map(|n| n.digits()),
            "given_name": d.given_name,
            "family_name": d.family_name,
            "date_of_birth": d.date_of_birth.map(|x| x.to_string()),
            "date_of_death": d.date_of_death.map(|x| x.to_string()),
            "sex": crate::store::enum_code(&d.sex),
            "address": d.address,
            "postcode": d.postcode,
            "gp_practice": d.gp_practice,
            "allocated_worker": d.allocated_worker,
            "local_ids": p.local_ids,
            "alerts": p.alerts,
            "conflicts": p.conflicts().iter().map(|c| json!({"field": c.field, "values": c.values})).collect::<Vec<_>>(),
        },
        "restricted": p.is_restricted,
        "episodes": episodes,
        "findings": shown_findings(record, findings, reveal).iter().map(|f| json!({"kind": f.kind.code(), "reason": f.reason, "date": f.date.to_string()})).collect::<Vec<_>>(),
    })
}

pub fn show_text(record: &PersonRecord, findings: &[crate::domain::Finding], reveal: bool) -> String {
    use std::fmt::Write;
    let p = &record.person;
    let d = &p.demographics;
    let mut out = String::new();
    let _ = writeln!(out, "{}", p.display_name());
    let _ = writeln!(
        out,
        "NHS number {}  born {}  {}",
        p.nhs_number.map(|n| n.to_string()).unwrap_or_else(|| "none".into()),
        d.date_of_birth.map(fmt_date).unwrap_or_else(|| "not recorded".into()),
        d.postcode.as_deref().unwrap_or("")
    );
    for c in p.conflicts() {
        let values: Vec<String> = c.values.iter().map(|(s, v)| format!("{v} ({s})")).collect();
        let _ = writeln!(out, "! sources disagree on {}: {}", c.field, values.join(" vs "));
    }
    if p.is_restricted {
        let _ = writeln!(out, "! restricted record: every item is hidden until a reason is given");
    }
    let _ = writeln!(out, "\nFindings:");
    let findings = shown_findings(record, findings, reveal);
    if p.is_restricted && !reveal {
        let _ = writeln!(out, "  hidden: restricted record");
    } else if findings.is_empty() {
        let _ = writeln!(out, "  none");
    }
    for f in findings {
        let _ = writeln!(out, "  {}  {}: {}", fmt_date(f.date), f.kind.label(), f.reason);
    }
    let _ = writeln!(out, "\nTimeline ({} items):", record.episodes.len());
    for e in &record.episodes {
        let hidden = record.is_restricted_item(e) && !reveal;
        let end = e
            .end
            .filter(|t| *t > e.start)
            .map(|t| format!(" to {}", fmt_date_time(t)))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "  {}{end}  [{}] {} ({}, {})",
            fmt_date_time(e.start),
            e.kind.lane().label(),
            if hidden { HIDDEN_TITLE } else { &e.title },
            e.status.code(),
            if hidden {
                "source held back"
            } else {
                &e.provenance.source
            }
        );
    }
    out
}
