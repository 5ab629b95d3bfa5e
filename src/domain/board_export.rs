//! The board as data for testers and for spreadsheets: JSON (`joinedup board
//! --format json`) and CSV (the same columns, written by the CLI and by the board's
//! "Export CSV" button).

use chrono::NaiveDate;
use serde_json::{Value, json};

use super::disclosure::RESTRICTED;

use super::board::BoardRow;
use super::discharge::BoardSummary;

fn reason_json(r: &super::hospital::DelayReason) -> Value {
    json!({
        "code": r.code,
        "text": r.description,
        "attribution": r.attribution.code(),
        "since": r.since.to_string(),
        "owner": r.owner,
    })
}

pub fn row_json(r: &BoardRow) -> Value {
    json!({
        "nhs_number": r.person.nhs_number.map(|n| n.digits()),
        "name": r.person.display_name,
        "hospital": r.hospital,
        "ward": r.ward,
        "admitted": r.admitted.format("%Y-%m-%dT%H:%M:%S").to_string(),
        "length_of_stay": r.length_of_stay,
        "meets_criteria_to_reside": r.meets_criteria,
        "criterion_code": r.criterion_code,
        "discharge_ready_date": r.discharge_ready_date.map(|d| d.to_string()),
        "days_delayed": r.days_delayed,
        "band": r.band.map(|b| b.label()),
        "status": r.status.label(),
        "pathway": r.pathway,
        "delay_reasons": r.delay_reasons.iter().map(reason_json).collect::<Vec<_>>(),
        // A masked row's context is held back, not "not known": saying so is honest.
        "social_care": if r.is_restricted { json!(RESTRICTED) } else { json!(r.social_care) },
        "chc": if r.is_restricted { json!(RESTRICTED) } else { json!(r.chc) },
        "next_action": r.next_action,
        "next_action_owner": r.next_action_owner,
        "restricted": r.is_restricted,
    })
}

/// The whole board: `{"as_of", "inpatients": [...], "summary": {...}}`.
pub fn board_json(rows: &[BoardRow], summary: &BoardSummary, as_of: NaiveDate) -> Value {
    json!({
        "as_of": as_of.to_string(),
        "inpatients": rows.iter().map(row_json).collect::<Vec<_>>(),
        "summary": summary,
    })
}

pub const CSV_COLUMNS: [&str; 20] = [
    "nhs_number",
    "name",
    "hospital",
    "ward",
    "admitted",
    "length_of_stay",
    "meets_criteria_to_reside",
    "criterion_code",
    "discharge_ready_date",
    "days_delayed",
    "band",
    "status",
    "pathway",
    "delay_reasons",
    "known_to_social_care",
    "active_packages",
    "suspended_packages",
    "allocated_worker",
    "chc",
    "next_action",
];

/// One CSV field as every CSV export writes it: quoted when needed, a spreadsheet
/// formula neutralised.
pub fn csv_field(s: &str) -> String {
    // OWASP's list: a spreadsheet reads a cell starting with any of these as a formula.
    let s = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_owned()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

/// The board as CSV, one row per inpatient; several delay reasons joined with "; ".
pub fn board_csv(rows: &[BoardRow]) -> String {
    let mut out = CSV_COLUMNS.join(",");
    out.push_str("\r\n");
    for r in rows {
        let reasons: Vec<String> = r
            .delay_reasons
            .iter()
            .map(|d| {
                let code = if d.code.is_empty() {
                    String::new()
                } else {
                    format!("{} ", d.code)
                };
                format!("{code}{} ({}, since {})", d.description, d.attribution.label(), d.since)
            })
            .collect();
        let next = match (&r.next_action, &r.next_action_owner) {
            (Some(a), Some(o)) => format!("{a} ({o})"),
            (Some(a), None) => a.clone(),
            _ => String::new(),
        };
        let mut fields = [
            r.person.nhs_number.map(|n| n.digits()).unwrap_or_default(),
            r.person.display_name.clone(),
            r.hospital.clone(),
            r.ward.clone().unwrap_or_default(),
            r.admitted.format("%Y-%m-%d %H:%M").to_string(),
            r.length_of_stay.to_string(),
            r.meets_criteria
                .map(|m| if m { "yes" } else { "no" }.to_owned())
                .unwrap_or_default(),
            r.criterion_code.clone().unwrap_or_default(),
            r.discharge_ready_date.map(|d| d.to_string()).unwrap_or_default(),
            r.days_delayed.map(|d| d.to_string()).unwrap_or_default(),
            r.band.map(|b| b.label().to_owned()).unwrap_or_default(),
            r.status.label().to_owned(),
            r.pathway.map(|p| p.to_string()).unwrap_or_default(),
            reasons.join("; "),
            if r.social_care.is_known { "yes" } else { "no" }.to_owned(),
            r.social_care.active_packages.to_string(),
            r.social_care.suspended_packages.to_string(),
            r.social_care.allocated_worker.clone().unwrap_or_default(),
            r.chc.summary(),
            next,
        ];
        if r.is_restricted {
            // Known to social care, packages, worker, CHC: held back, not "no".
            for f in &mut fields[14..19] {
                *f = RESTRICTED.to_owned();
            }
        }
        let line: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
        out.push_str(&line.join(","));
        out.push_str("\r\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quoting_and_formula_guard() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a, b"), "\"a, b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("=SUM(A1)"), "'=SUM(A1)");
        assert_eq!(csv_field("\t=1+1"), "'\t=1+1");
        assert_eq!(csv_field("\r=1+1"), "\"'\r=1+1\"");
    }
}
