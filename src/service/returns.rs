//! Returns made from the record (issue 18): the daily discharge situation report,
//! its weekly view and trends, and the quarterly CLD return. The one disclosure
//! policy applies to every people list (restricted people counted and masked,
//! `domain::disclosure::disclose_person_link`), and each return made is audited
//! before it leaves the service (`AuditAction::Sitrep`, `AuditAction::CldReturn`).

use std::path::Path;

use chrono::{Duration, NaiveDate, NaiveDateTime};

use super::{Result, Service, ServiceError};
use crate::domain::governance::AuditAction;
use crate::domain::returns::cld::{self, CldReturn};
use crate::domain::returns::cld_rules::{CldProblem, validate};
use crate::domain::returns::sitrep::{self, Sitrep};
use crate::domain::returns::trends::{self, TrendDay};
use crate::domain::returns::weekly::{self, Weekly};

/// The longest trend the board's chart asks for.
pub const MAX_TREND_DAYS: i64 = 90;

/// A CLD return as written: what the file holds and what would fail submission.
#[derive(Debug, Clone)]
pub struct CldOutcome {
    pub rows: usize,
    pub people: usize,
    pub restricted_people: usize,
    pub left_out_not_cld: usize,
    pub left_out_sensitive: usize,
    pub left_out_cancelled: usize,
    pub problems: Vec<CldProblem>,
}

/// The window's situation report tab: the day's report and its trends.
#[derive(Debug, Clone)]
pub struct SitrepData {
    pub sitrep: Sitrep,
    pub trends: Vec<TrendDay>,
}

fn masked_count(r: &Sitrep) -> usize {
    r.total.in_hospital.people.iter().filter(|p| p.is_restricted).count()
}

impl Service {
    /// The sitrep for `day` (optionally one site), people masked, audited.
    pub fn sitrep(&mut self, day: NaiveDate, hospital: Option<&str>, now: NaiveDateTime) -> Result<Sitrep> {
        let facts = self.store.return_spells(day, day)?;
        let report = sitrep::build(&facts, day, hospital).disclosed();
        let detail = format!(
            "made the discharge situation report for {day}{} ({} sites, {} in hospital, {} restricted shown masked)",
            hospital.map(|h| format!(" at {h}")).unwrap_or_default(),
            report.sites.len(),
            report.total.in_hospital.count(),
            masked_count(&report)
        );
        self.audit(AuditAction::Sitrep, None, detail, None, now)?;
        Ok(report)
    }

    /// The week ending on `last`, people masked, audited.
    pub fn sitrep_weekly(&mut self, last: NaiveDate, hospital: Option<&str>, now: NaiveDateTime) -> Result<Weekly> {
        let facts = self.store.return_spells(last - Duration::days(6), last)?;
        let week = weekly::weekly(&facts, last, hospital).disclosed();
        let detail = format!(
            "made the weekly discharge situation report for {} to {last}{}",
            week.from,
            hospital.map(|h| format!(" at {h}")).unwrap_or_default()
        );
        self.audit(AuditAction::Sitrep, None, detail, None, now)?;
        Ok(week)
    }

    /// The trends of the `days` days (1 to 90) ending on `last`, people masked, audited.
    pub fn sitrep_trends(&mut self, last: NaiveDate, days: i64, now: NaiveDateTime) -> Result<Vec<TrendDay>> {
        if !(1..=MAX_TREND_DAYS).contains(&days) {
            return Err(ServiceError::Refused(format!(
                "trends cover 1 to {MAX_TREND_DAYS} days"
            )));
        }
        let facts = self.store.return_spells(last - Duration::days(days - 1), last)?;
        let out: Vec<TrendDay> = trends::trends(&facts, last, days)
            .into_iter()
            .map(TrendDay::disclosed)
            .collect();
        let detail = format!("made the discharge trends for the {days} days to {last}");
        self.audit(AuditAction::Sitrep, None, detail, None, now)?;
        Ok(out)
    }

    /// The tab's data: the sitrep for `day` and the trends of `trend_days` to it.
    pub fn sitrep_with_trends(&mut self, day: NaiveDate, trend_days: i64, now: NaiveDateTime) -> Result<SitrepData> {
        let sitrep = self.sitrep(day, None, now)?;
        let trends = self.sitrep_trends(day, trend_days, now)?;
        Ok(SitrepData { sitrep, trends })
    }

    /// The CLD return for `from` to `to` as CSV text and its outcome, audited
    /// before the text is returned. Only council-held social care events.
    pub fn cld_return(&mut self, from: NaiveDate, to: NaiveDate, now: NaiveDateTime) -> Result<(String, CldOutcome)> {
        if to < from {
            return Err(ServiceError::Refused(
                "the reporting period ends before it starts".into(),
            ));
        }
        let (people, events) = self.store.cld_events(from, to)?;
        let r: CldReturn = cld::build(&people, &events, from, to);
        let problems = validate(&r.rows);
        let distinct: std::collections::HashSet<i64> = r.row_people.iter().copied().collect();
        let outcome = CldOutcome {
            rows: r.rows.len(),
            people: distinct.len(),
            restricted_people: r.restricted_people,
            left_out_not_cld: r.left_out_not_cld,
            left_out_sensitive: r.left_out_sensitive,
            left_out_cancelled: r.left_out_cancelled,
            problems,
        };
        let text = self.training_marked(cld::cld_csv(&r));
        let detail = format!(
            "made the CLD return for {from} to {to} ({} rows, {} people, {} restricted without names; {} rows would fail validation)",
            outcome.rows,
            outcome.people,
            outcome.restricted_people,
            outcome
                .problems
                .iter()
                .map(|p| p.line)
                .collect::<std::collections::BTreeSet<_>>()
                .len()
        );
        self.audit(AuditAction::CldReturn, None, detail, None, now)?;
        Ok((text, outcome))
    }

    /// The CLD return written to `path`: private (0600), never through a symbolic
    /// link, never over an existing file (checked before anything is audited).
    pub fn write_cld_return(
        &mut self,
        from: NaiveDate,
        to: NaiveDate,
        path: &Path,
        now: NaiveDateTime,
    ) -> Result<CldOutcome> {
        super::check_writable(path, false).map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => ServiceError::Refused(format!(
                "{} already exists; a CLD return never overwrites a file",
                path.display()
            )),
            _ => ServiceError::Refused(e.to_string()),
        })?;
        let (text, outcome) = self.cld_return(from, to, now)?;
        super::write_private(path, &text, false)
            .map_err(|e| ServiceError::Refused(format!("{}: {e}", path.display())))?;
        Ok(outcome)
    }
}
