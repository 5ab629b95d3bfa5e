//! `joinedup returns`: the discharge situation report (a day or a week) and the CLD
//! return, rendered from what the service returns (people already masked, each
//! return audited).

use std::process::ExitCode;

use serde_json::json;

use super::{BoardFormat, CaseloadFormat, Output, ReturnsCmd};
use crate::domain::returns::cld_rules::report_text;
use crate::domain::returns::sitrep_export::{sitrep_csv, sitrep_json, sitrep_text};
use crate::domain::returns::weekly::weekly_text;
use crate::service::Service;

pub(super) fn returns(service: &mut Service, command: ReturnsCmd) -> anyhow::Result<ExitCode> {
    let out = Output {
        training: service.is_training(),
    };
    match command {
        ReturnsCmd::Sitrep { date, hospital, format } => {
            let report = service.sitrep(date, hospital.as_deref(), super::now())?;
            match format {
                BoardFormat::Json => out.json(sitrep_json(&report))?,
                BoardFormat::Csv => {
                    out.begin_text();
                    print!("{}", sitrep_csv(&report));
                }
                BoardFormat::Text => {
                    out.begin_text();
                    print!("{}", sitrep_text(&report));
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        ReturnsCmd::Weekly { date, hospital, format } => {
            let week = service.sitrep_weekly(date, hospital.as_deref(), super::now())?;
            match format {
                CaseloadFormat::Json => out.json(json!({
                    "from": week.from.to_string(),
                    "to": week.to.to_string(),
                    "days": week.days.iter().map(sitrep_json).collect::<Vec<_>>(),
                    "discharges_by_pathway": (0..4)
                        .map(|p| (p.to_string(), serde_json::Value::from(week.discharges_by_pathway[p].count())))
                        .collect::<serde_json::Map<_, _>>(),
                    "bed_days_lost": week.bed_days_lost.iter().cloned().collect::<std::collections::BTreeMap<_, _>>(),
                }))?,
                CaseloadFormat::Text => {
                    out.begin_text();
                    print!("{}", weekly_text(&week));
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        ReturnsCmd::Cld { from, to, out: path } => {
            let outcome = service.write_cld_return(from, to, &path, super::now())?;
            println!(
                "Wrote {} CLD rows ({} people, {} restricted without names) to {}",
                outcome.rows,
                outcome.people,
                outcome.restricted_people,
                path.display()
            );
            println!(
                "Left out: {} not CLD events, {} in a sensitive category, {} cancelled",
                outcome.left_out_not_cld, outcome.left_out_sensitive, outcome.left_out_cancelled
            );
            print!("{}", report_text(outcome.rows, &outcome.problems));
            Ok(if outcome.problems.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            })
        }
    }
}
