//! `joinedup show` and `joinedup export`: one person's record, with restricted items
//! held back unless a reason is given (audited).

use std::path::Path;
use std::process::ExitCode;

use serde_json::json;

use super::args::PersonArgs;
use super::{Output, find_person, now, today};
use crate::domain::dates::{fmt_date, fmt_date_time};

use crate::domain::Finding;
use crate::service::{LoadedPerson, OutputKind, Service};

/// `show`: the record as the disclosure policy allows (with a reason, audited, all
/// of it).
pub(super) fn show(service: &mut Service, person: PersonArgs, as_json: bool) -> anyhow::Result<ExitCode> {
    let Some(found) = find_person(service, &person)? else {
        return Ok(ExitCode::FAILURE);
    };
    let loaded = service.open_record(found.id, today(), now())?;
    let out = Output {
        training: service.is_training(),
    };
    if as_json {
        out.json(show_json(&loaded))?;
    } else {
        out.begin_text();
        print!("{}", show_text(&loaded));
    }
    Ok(ExitCode::SUCCESS)
}

/// `export`: the record as a bundle (restricted items only with a reason), audited
/// before it is written.
pub(super) fn export(
    service: &mut Service,
    person: PersonArgs,
    file: Option<&Path>,
    force: bool,
    format: super::ExportFormat,
) -> anyhow::Result<ExitCode> {
    let Some(found) = find_person(service, &person)? else {
        return Ok(ExitCode::FAILURE);
    };
    // A file that may not be written is refused before the export is made and
    // audited: the audit log never says a refused file was exported.
    if let Some(path) = file {
        crate::service::check_writable(path, force)?;
    }
    let format = match format {
        super::ExportFormat::Native => crate::import::export::ExportFormat::Native,
        super::ExportFormat::Fhir => crate::import::export::ExportFormat::Fhir,
    };
    let exported = service.output(
        &OutputKind::Record {
            person_id: found.id,
            format,
        },
        today(),
        now(),
    )?;
    if exported.restricted_left_out > 0 {
        eprintln!(
            "{} restricted item(s) left out of the export; give --reason to include them (audited)",
            exported.restricted_left_out
        );
    }
    if exported.not_carried > 0 {
        eprintln!(
            "{} item(s) have no FHIR form here and were left out (social care reviews, safeguarding, CHC); the native format carries them",
            exported.not_carried
        );
    }
    let out = Output {
        training: service.is_training(),
    };
    out.deliver(file, force, &exported.text())?;
    Ok(ExitCode::SUCCESS)
}

/// `print`: the record summary as a PDF (restricted items only with a reason),
/// audited before it is written: the same file the window saves.
pub(super) fn print(service: &mut Service, person: PersonArgs, file: &Path, force: bool) -> anyhow::Result<ExitCode> {
    let Some(found) = find_person(service, &person)? else {
        return Ok(ExitCode::FAILURE);
    };
    // Refused before the print is made and audited, as for `export`.
    crate::service::check_writable(file, force)?;
    let exported = service.output(&OutputKind::PrintRecord { person_id: found.id }, today(), now())?;
    if exported.restricted_left_out > 0 {
        eprintln!(
            "{} restricted item(s) left out of the print; give --reason to include them (audited)",
            exported.restricted_left_out
        );
    }
    crate::service::write_private(file, &exported.bytes, force)
        .map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
    Ok(ExitCode::SUCCESS)
}

const HIDDEN_TITLE: &str = "restricted item hidden: give --reason to show it";
/// On a server, outside the care team: the record is opened with a reason first.
const HELD_BACK_TITLE: &str = "held back: outside your care team, give --access-reason to open the record";

/// What a placeholder says: how to see it.
fn hidden_title(loaded: &LoadedPerson) -> &'static str {
    if loaded.relationship.needs_reason() {
        HELD_BACK_TITLE
    } else {
        HIDDEN_TITLE
    }
}

/// The `show --json` document: a stable interface (README, "show --json").
pub fn show_json(loaded: &LoadedPerson) -> serde_json::Value {
    let record = &loaded.record;
    let p = &record.person;
    let d = &p.demographics;
    let episodes: Vec<serde_json::Value> = record
        .episodes
        .iter()
        .map(|e| {
            // A placeholder (`domain::disclosure`) keeps its sector and dates; its
            // title, organisation, source and category are held back.
            let hidden = e.kind.is_placeholder();
            let (title, organisation, source, source_ref, sensitivity) = if hidden {
                (hidden_title(loaded).to_owned(), None, None, None, "restricted")
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
        "relationship": loaded.relationship.notice(),
        "needs_access_reason": loaded.relationship.needs_reason(),
        "objection_in_force": loaded.objection.as_ref().map(|o| o.notice()),
        "episodes": episodes,
        "findings": loaded.findings.iter().map(|f| json!({"kind": f.kind.code(), "reason": f.reason, "date": f.date.to_string()})).collect::<Vec<_>>(),
    })
}

pub fn show_text(loaded: &LoadedPerson) -> String {
    use std::fmt::Write;
    let record = &loaded.record;
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
    if loaded.is_sealed() && p.is_restricted {
        let _ = writeln!(out, "! restricted record: every item is hidden until a reason is given");
    } else if p.is_restricted {
        let _ = writeln!(out, "! restricted record: shown with a reason (audited)");
    }
    if let Some(n) = loaded.relationship.notice() {
        let hint = if loaded.relationship.needs_reason() {
            " (--access-reason)"
        } else {
            ""
        };
        let _ = writeln!(out, "! {n}{hint}");
    }
    if let Some(o) = &loaded.objection {
        let _ = writeln!(out, "! {}", o.notice());
    }
    let _ = writeln!(out, "\nFindings:");
    let findings: &[Finding] = &loaded.findings;
    if loaded.is_sealed() {
        let what = if p.is_restricted {
            "restricted record"
        } else {
            "record held back"
        };
        let _ = writeln!(out, "  hidden: {what}");
    } else if findings.is_empty() {
        let _ = writeln!(out, "  none");
    }
    for f in findings {
        let _ = writeln!(out, "  {}  {}: {}", fmt_date(f.date), f.kind.label(), f.reason);
    }
    let _ = writeln!(out, "\nTimeline ({} items):", record.episodes.len());
    for e in &record.episodes {
        let hidden = e.kind.is_placeholder();
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
            if hidden { hidden_title(loaded) } else { &e.title },
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
