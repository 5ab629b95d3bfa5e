//! `joinedup chc ...`: the CHC rules for testers and trainers (no database needed),
//! the caseload, and the ICB's decision recorded.

use std::process::ExitCode;

use serde_json::json;

use crate::domain::chc::{ChcAssessmentKind, ChcDomain, IcbDecision, checklist_outcome};
use crate::domain::chc_case::chc_case;
use crate::domain::chc_decision::describe;
use crate::domain::chc_dst::{DstLevel, DstRecommendation, check_level, default_level, dst_outcome};
use crate::domain::chc_outcome::title;
use crate::domain::dates::fmt_date;
use crate::service::Service;

/// Parse `DOMAIN=LEVEL` arguments for one tool; the error is the message to print.
fn parse_pairs(args: &[String]) -> Result<Vec<(ChcDomain, String)>, String> {
    let mut out: Vec<(ChcDomain, String)> = Vec::new();
    for arg in args {
        let (d, l) = arg
            .split_once('=')
            .ok_or_else(|| format!("{arg:?}: expected DOMAIN=LEVEL"))?;
        let domain = ChcDomain::from_code(d).ok_or_else(|| {
            let known: Vec<&str> = ChcDomain::ALL.iter().map(|d| d.code()).collect();
            format!("{d:?} is not a CHC domain; the domains are {}", known.join(", "))
        })?;
        if out.iter().any(|(x, _)| *x == domain) {
            return Err(format!("{d} is given twice"));
        }
        out.push((domain, l.trim().to_owned()));
    }
    Ok(out)
}

/// `chc checklist`: exit 0 when a full assessment is required, 1 when not, 2 on bad input.
pub(super) fn checklist(args: &[String]) -> ExitCode {
    let pairs = match parse_pairs(args) {
        Ok(p) => p,
        Err(e) => return invalid(&e),
    };
    let mut grid = Vec::new();
    for d in ChcDomain::CHECKLIST {
        let level = pairs
            .iter()
            .find(|(x, _)| *x == d)
            .map(|(_, l)| l.to_uppercase())
            .unwrap_or_else(|| "C".into());
        if !matches!(level.as_str(), "A" | "B" | "C") {
            return invalid(&format!("{}: {level:?} is not a Checklist level (A, B or C)", d.code()));
        }
        grid.push((d, level));
    }
    if let Some((d, _)) = pairs.iter().find(|(d, _)| !ChcDomain::CHECKLIST.contains(d)) {
        return invalid(&format!(
            "{} is not a Checklist domain (it is in the DST only)",
            d.code()
        ));
    }
    let o = checklist_outcome(&grid);
    if o.is_full_assessment_required {
        println!("{}", o.reason);
        return ExitCode::SUCCESS;
    }
    negative_or_not_yet_assessed(ChcAssessmentKind::Checklist, &pairs, &o.reason, "C")
}

/// A negative outcome is said only of a whole grid: with domains left out (counted
/// at their lowest level) it is "not yet assessed", exit 3, naming them, as the form
/// says (SAFETY.md H42). A positive outcome stands: more needs can only add to it.
fn negative_or_not_yet_assessed(
    kind: ChcAssessmentKind,
    pairs: &[(ChcDomain, String)],
    reason: &str,
    lowest: &str,
) -> ExitCode {
    let chosen: Vec<ChcDomain> = pairs.iter().map(|(d, _)| *d).collect();
    match crate::domain::chc_grid::check_complete(kind, &chosen) {
        Ok(()) => {
            println!("{reason}");
            ExitCode::from(1)
        }
        Err(missing) => {
            let names: Vec<&str> = missing.missing.iter().map(|d| d.code()).collect();
            println!(
                "{}; still to choose: {} (with those at {lowest}: {reason})",
                missing.summary(),
                names.join(", ")
            );
            ExitCode::from(3)
        }
    }
}

/// `chc dst`: exit 0 for a clear recommendation of eligibility, 1 otherwise, 2 on bad input.
pub(super) fn dst(args: &[String]) -> ExitCode {
    let pairs = match parse_pairs(args) {
        Ok(p) => p,
        Err(e) => return invalid(&e),
    };
    let mut grid = Vec::new();
    for d in ChcDomain::ALL {
        let level = match pairs.iter().find(|(x, _)| *x == d) {
            Some((_, l)) => {
                let Some(level) = DstLevel::parse(l) else {
                    return invalid(&format!(
                        "{}: {l:?} is not a DST level (no, low, moderate, high, severe, priority)",
                        d.code()
                    ));
                };
                if let Err(e) = check_level(d, level) {
                    return invalid(&e);
                }
                Some(level)
            }
            None => default_level(d),
        };
        if let Some(l) = level {
            grid.push((d, l));
        }
    }
    let o = dst_outcome(&grid);
    if o.recommendation == DstRecommendation::ClearEligibility {
        println!("{}", o.reason);
        return ExitCode::SUCCESS;
    }
    // "Other significant care needs" has no "no needs" level: left out, it is none.
    let mut given = pairs.clone();
    if !given.iter().any(|(d, _)| *d == ChcDomain::Other) {
        given.push((ChcDomain::Other, String::new()));
    }
    negative_or_not_yet_assessed(ChcAssessmentKind::Dst, &given, &o.reason, "no needs")
}

fn invalid(message: &str) -> ExitCode {
    eprintln!("joinedup chc: {message}");
    ExitCode::from(2)
}

/// `chc caseload`: everyone with an open CHC process, overdue first (audited;
/// restricted people marked).
pub(super) fn caseload(
    service: &mut Service,
    as_of: chrono::NaiveDate,
    format: super::CaseloadFormat,
) -> anyhow::Result<ExitCode> {
    let rows = service.chc_caseload(as_of, super::now())?;
    let out = super::Output {
        training: service.is_training(),
    };
    if format == super::CaseloadFormat::Json {
        let v: Vec<_> = rows
            .iter()
            .map(|r| {
                let c = &r.case;
                json!({
                    "nhs_number": r.nhs_number.map(|n| n.digits()),
                    "name": r.name,
                    "stage": c.stage,
                    "started_on": c.started_on.to_string(),
                    "days_on_clock": c.days_on_clock,
                    "decision_due": c.decision_due.to_string(),
                    "is_overdue": c.is_overdue,
                    "decided_on": c.decided_on.map(|d| d.to_string()),
                    "next_review": c.next_review.map(|d| d.to_string()),
                    "is_review_overdue": c.is_review_overdue,
                    "restricted": r.is_restricted,
                })
            })
            .collect();
        out.json(json!({"as_of": as_of.to_string(), "caseload": v}))?;
    } else {
        out.begin_text();
        println!("CHC caseload as of {}: {} open", fmt_date(as_of), rows.len());
        for r in &rows {
            let c = &r.case;
            let clock = match (c.decided_on, c.next_review) {
                (Some(_), Some(d)) => format!(
                    "review due {}{}",
                    fmt_date(d),
                    if c.is_review_overdue { " (OVERDUE)" } else { "" }
                ),
                (Some(d), None) => format!("decided {} after {} days", fmt_date(d), c.days_on_clock),
                (None, _) => format!(
                    "day {} of 28{}",
                    c.days_on_clock,
                    if c.is_overdue { " (OVERDUE)" } else { "" }
                ),
            };
            println!(
                "  {:<24} {:<12} {:<34} {clock}{}",
                r.name,
                r.nhs_number.map(|n| n.to_string()).unwrap_or_default(),
                c.stage.label(),
                if r.is_restricted { "  [restricted record]" } else { "" }
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// What `chc decide` was given besides whose record.
pub(super) struct DecideArgs {
    pub is_eligible: bool,
    pub date: chrono::NaiveDate,
    pub by: String,
    pub note: Option<String>,
    pub assessed: Option<chrono::NaiveDate>,
}

/// `chc decide`: record the ICB's decision on the person's assessment awaiting one
/// (audited), then say the stage the caseload now shows.
pub(super) fn decide(
    service: &mut Service,
    person: &super::args::PersonArgs,
    args: DecideArgs,
) -> anyhow::Result<ExitCode> {
    let Some(found) = super::find_person(service, person)? else {
        return Ok(ExitCode::FAILURE);
    };
    let decision = IcbDecision {
        date: args.date,
        is_eligible: args.is_eligible,
        note: args.note,
        decided_by: Some(args.by),
    };
    let today = super::today();
    let (assessment, loaded) = service.decide_awaiting_chc(found.id, args.assessed, &decision, today, super::now())?;
    let out = super::Output {
        training: service.is_training(),
    };
    out.begin_text();
    println!(
        "Recorded the ICB decision on the {} of {}: {}",
        title(&assessment),
        fmt_date(assessment.completed_on),
        describe(&decision)
    );
    match chc_case(&loaded.record.chc, today) {
        Some(c) => println!(
            "CHC stage now: {}{}",
            c.stage.label(),
            c.next_review
                .map(|d| format!("; next review due {}", fmt_date(d)))
                .unwrap_or_default()
        ),
        None => println!("CHC stage now: no open CHC process"),
    }
    Ok(ExitCode::SUCCESS)
}
