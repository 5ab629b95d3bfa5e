//! The CLD submission rules a return is checked against before it is sent: which
//! fields are mandatory, the defined code lists, and the order of dates. The report
//! lists every row that would fail submission and why.
//!
//! Sources: RULES.md 4.3 (defined lists from NHS England's replication code and the
//! ASC glossary quoting CLD Guidance R1). Unconfirmed: the official specification's
//! mandatory flags (the AGEM specification was not reachable); the mandatory fields
//! here are those the central processing cannot do without, and the per-type ones
//! the guidance describes for each event type.

use chrono::NaiveDate;
use serde::Serialize;

use super::cld::{CLD_R1_COLUMNS, column};
use crate::domain::NhsNumber;

/// Which rule a row breaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CldRule {
    Mandatory,
    CodeList,
    DateOrder,
}

impl CldRule {
    pub fn label(self) -> &'static str {
        match self {
            CldRule::Mandatory => "mandatory field",
            CldRule::CodeList => "code list",
            CldRule::DateOrder => "date order",
        }
    }
}

/// One reason a row would fail submission.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CldProblem {
    /// The row's line in the file (the header is line 1).
    pub line: usize,
    pub event_reference: String,
    pub field: String,
    pub rule: CldRule,
    pub reason: String,
}

/// Mandatory for every row.
const MANDATORY: [&str; 6] = [
    "Reporting Period Start Date",
    "Reporting Period End Date",
    "LA Person Unique Identifier",
    "Event Type",
    "Event Reference",
    "Event Start Date",
];

/// Mandatory by event type.
const MANDATORY_BY_TYPE: [(&str, &str); 4] = [
    ("Request", "Request: Route of Access"),
    ("Assessment", "Assessment Type"),
    ("Service", "Service Type"),
    ("Service", "Delivery Mechanism"),
];

const EVENT_TYPES: [&str; 4] = ["Request", "Assessment", "Service", "Review"];

const ROUTES: [&str; 9] = [
    "Planned Entry (Transition)",
    "Discharge from Hospital",
    "Diversion from Hospital Services",
    "Community / Other route",
    "Prison",
    "Self-Funder",
    "Discharge from Reablement",
    "Transfer from Other LA",
    "Self-funder with depleted funds",
];

const SERVICE_TYPES: [&str; 9] = [
    "Short Term Support: ST-Max",
    "Short Term Support: Ongoing Low Level",
    "Short Term Support: Other Short Term",
    "Long Term Support: Nursing Care",
    "Long Term Support: Residential Care",
    "Long Term Support: Community",
    "Long Term Support: Prison",
    "Carer Support: Direct to Carer",
    "Carer Support: Support involving the person cared-for",
];

const DELIVERY: [&str; 4] = [
    "Direct Payment",
    "CASSR Managed Personal Budget",
    "CASSR Commissioned Support",
    "Self-Funder Metering Only",
];

const OUTCOMES: [&str; 19] = [
    "Progress to Reablement/ST-Max",
    "Progress to Assessment",
    "Admitted to hospital",
    "Progress to Re-assessment / Unplanned Review",
    "Progress to Support Planning / Services",
    "Progress to End of Life Care",
    "No change in package",
    "Service ended as planned",
    "Progress to financial assessment",
    "Provision of service",
    "NFA - Deceased",
    "NFA - Moved to another LA",
    "NFA - 100% NHS funded care",
    "NFA - Information & Advice / Signposting only",
    "NFA - Self-funded client (Inc. 12wk disregard)",
    "NFA - Support declined",
    "NFA - Support ended: Other reason",
    "NFA - No services offered: Other reason",
    "NFA- Other",
];

const SUPPORT_REASONS: [&str; 13] = [
    "Physical Support: Access & mobility only",
    "Physical Support: Personal care support",
    "Sensory Support: Support for visual impairment",
    "Sensory Support: Support for hearing impairment",
    "Sensory Support: Support for dual impairment",
    "Support with Memory & Cognition",
    "Learning Disability Support",
    "Mental Health Support",
    "Social Support: Substance misuse support",
    "Social Support: Asylum seeker support",
    "Social Support: Support for Social Isolation/Other",
    "Social Support: Support to Carer",
    "Unknown",
];

/// Punctuation and spacing varies between scripts (RULES.md 4.3): compare letters
/// and digits only, without case.
fn normalise(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

fn in_list(v: &str, list: &[&str]) -> bool {
    let v = normalise(v);
    list.iter().any(|c| normalise(c) == v)
}

/// The checked code lists: (column, values).
fn code_lists() -> [(&'static str, &'static [&'static str]); 6] {
    [
        ("Event Type", &EVENT_TYPES),
        ("Request: Route of Access", &ROUTES),
        ("Service Type", &SERVICE_TYPES),
        ("Delivery Mechanism", &DELIVERY),
        ("Event Outcome", &OUTCOMES),
        ("Primary Support Reason", &SUPPORT_REASONS),
    ]
}

struct RowCheck<'a> {
    line: usize,
    row: &'a [String],
    problems: Vec<CldProblem>,
}

impl RowCheck<'_> {
    fn get(&self, name: &str) -> &str {
        self.row.get(column(name)).map(|s| s.trim()).unwrap_or("")
    }

    fn fail(&mut self, field: &str, rule: CldRule, reason: String) {
        let event_reference = self.get("Event Reference").to_owned();
        self.problems.push(CldProblem {
            line: self.line,
            event_reference,
            field: field.into(),
            rule,
            reason,
        });
    }

    fn date(&mut self, name: &str) -> Option<NaiveDate> {
        let v = self.get(name).to_owned();
        if v.is_empty() {
            return None;
        }
        let d = NaiveDate::parse_from_str(&v, "%Y-%m-%d").ok();
        if d.is_none() {
            self.fail(name, CldRule::DateOrder, format!("{v:?} is not a date (YYYY-MM-DD)"));
        }
        d
    }

    fn mandatory(&mut self) {
        let kind = self.get("Event Type").to_owned();
        let by_type = MANDATORY_BY_TYPE
            .iter()
            .filter(|(t, _)| normalise(t) == normalise(&kind));
        for name in MANDATORY.iter().chain(by_type.map(|(_, c)| c)) {
            if self.get(name).is_empty() {
                self.fail(name, CldRule::Mandatory, "is mandatory and empty".into());
            }
        }
        if self.get("NHS Number").is_empty() && self.get("LA Person Unique Identifier").is_empty() {
            self.fail(
                "NHS Number",
                CldRule::Mandatory,
                "the person has neither identifier".into(),
            );
        }
    }

    fn code_lists(&mut self) {
        for (name, list) in code_lists() {
            let v = self.get(name).to_owned();
            if !v.is_empty() && !in_list(&v, list) {
                self.fail(name, CldRule::CodeList, format!("{v:?} is not in the defined list"));
            }
        }
        if normalise(self.get("Delivery Mechanism")) == normalise("Self-Funder Metering Only") {
            self.fail(
                "Delivery Mechanism",
                CldRule::CodeList,
                "\"Self-Funder Metering Only\" is not to be used yet".into(),
            );
        }
        let nhs = self.get("NHS Number").to_owned();
        if !nhs.is_empty() && NhsNumber::parse(&nhs).is_err() {
            self.fail(
                "NHS Number",
                CldRule::CodeList,
                format!("{nhs:?} fails the NHS number check digit"),
            );
        }
    }

    fn date_order(&mut self) {
        let (p_start, p_end) = (
            self.date("Reporting Period Start Date"),
            self.date("Reporting Period End Date"),
        );
        let (start, end) = (self.date("Event Start Date"), self.date("Event End Date"));
        let (born, died) = (self.date("Date of Birth"), self.date("Date of Death"));
        let is_service = normalise(self.get("Event Type")) == "service";
        let has_end = !self.get("Event End Date").is_empty();
        let mut check = |ok: bool, field: &str, reason: &str| {
            if !ok {
                self.fail(field, CldRule::DateOrder, reason.into());
            }
        };
        if let (Some(a), Some(b)) = (p_start, p_end) {
            check(
                a <= b,
                "Reporting Period End Date",
                "the reporting period ends before it starts",
            );
        }
        if let (Some(s), Some(e)) = (start, end) {
            check(s <= e, "Event End Date", "the event ends before it starts");
        }
        if let (Some(s), Some(p)) = (start, p_end) {
            check(
                s <= p,
                "Event Start Date",
                "the event starts after the reporting period",
            );
        }
        if let (Some(e), Some(p)) = (end, p_start) {
            check(e >= p, "Event End Date", "the event ended before the reporting period");
        }
        if let (Some(b), Some(s)) = (born, start) {
            check(b <= s, "Date of Birth", "the person was born after the event started");
        }
        if let (Some(d), Some(s)) = (died, start) {
            check(d >= s, "Date of Death", "the event starts after the person's death");
        }
        check(
            is_service || has_end,
            "Event End Date",
            "only a service may be open; this event has no end date",
        );
    }
}

/// Check every row (rows in `CLD_R1_COLUMNS` order); the problems in row order.
pub fn validate(rows: &[Vec<String>]) -> Vec<CldProblem> {
    let mut out = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        let mut c = RowCheck {
            line: i + 2,
            row,
            problems: Vec::new(),
        };
        if row.len() != CLD_R1_COLUMNS.len() {
            c.fail(
                "(row)",
                CldRule::Mandatory,
                format!("has {} columns, not {}", row.len(), CLD_R1_COLUMNS.len()),
            );
        } else {
            c.mandatory();
            c.code_lists();
            c.date_order();
        }
        out.append(&mut c.problems);
    }
    out
}

/// The report as text: a count per rule, then every problem.
pub fn report_text(rows: usize, problems: &[CldProblem]) -> String {
    let failing: std::collections::BTreeSet<usize> = problems.iter().map(|p| p.line).collect();
    let mut out = format!(
        "CLD validation: {rows} rows, {} would fail submission ({} problems)\n",
        failing.len(),
        problems.len()
    );
    for rule in [CldRule::Mandatory, CldRule::CodeList, CldRule::DateOrder] {
        let n = problems.iter().filter(|p| p.rule == rule).count();
        out.push_str(&format!("  {}: {n}\n", rule.label()));
    }
    for p in problems {
        out.push_str(&format!(
            "  line {} (event {}): {} {}: {}\n",
            p.line,
            p.event_reference,
            p.field,
            p.rule.label(),
            p.reason
        ));
    }
    out
}
