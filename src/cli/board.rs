//! `joinedup board`: the discharge readiness board as text, CSV or JSON, made from
//! what the service returns (restricted rows already masked).

use std::process::ExitCode;

use chrono::NaiveDate;

use super::{BoardFormat, Output};
use crate::domain::board_export::{board_csv, board_json};
use crate::domain::dates::fmt_date;
use crate::service::{BoardData, Service};

/// `board`: everyone in hospital on the date (restricted rows masked), audited.
pub(super) fn board(service: &mut Service, as_of: NaiveDate, format: BoardFormat) -> anyhow::Result<ExitCode> {
    let BoardData { rows, summary, .. } = service.board(as_of, super::now())?;
    let out = Output {
        training: service.is_training(),
    };
    match format {
        BoardFormat::Json => out.json(board_json(&rows, &summary, as_of))?,
        BoardFormat::Csv => {
            out.begin_text();
            print!("{}", board_csv(&rows));
        }
        BoardFormat::Text => {
            out.begin_text();
            println!(
                "Discharge readiness board as of {}: {} in hospital",
                fmt_date(as_of),
                rows.len()
            );
            for r in &rows {
                let delay = r
                    .days_delayed
                    .map(|d| format!("{d} days delayed"))
                    .unwrap_or_else(|| "meets criteria".into());
                println!(
                    "  {:<24} {:<12} {:<28} {:<10} pathway {:<8} {}",
                    r.person.display_name,
                    r.person.nhs_number.map(|n| n.to_string()).unwrap_or_default(),
                    r.hospital,
                    r.ward.as_deref().unwrap_or(""),
                    r.pathway.map(|p| p.to_string()).unwrap_or_else(|| "not set".into()),
                    delay
                );
                for d in &r.delay_reasons {
                    println!(
                        "      {} ({}, since {})",
                        d.description,
                        d.attribution.label(),
                        fmt_date(d.since)
                    );
                }
            }
            println!(
                "Delayed bed days {}; discharged on their DRD in the last 30 days: {}",
                summary.delayed_bed_days,
                summary
                    .discharged_on_drd_share_30d
                    .map(|s| format!("{:.0}% of {}", s * 100.0, summary.discharged_with_drd_30d))
                    .unwrap_or_else(|| "no discharges with a DRD".into())
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
