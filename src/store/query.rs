//! Typed read queries for finding people: by NHS number, by name, recently opened,
//! waiting to be matched; and the import runs for the sources screen.

use crate::store::engine::{OptionalExtension, Row, params};
use chrono::{NaiveDate, NaiveDateTime};

use super::codec::*;
use super::{Result, Store};
use crate::domain::NhsNumber;
use crate::domain::person::Sex;

/// One line of a search result.
#[derive(Debug, Clone, PartialEq)]
pub struct PersonSummary {
    pub id: i64,
    pub nhs_number: Option<NhsNumber>,
    pub given_name: String,
    pub family_name: String,
    pub date_of_birth: Option<NaiveDate>,
    pub date_of_death: Option<NaiveDate>,
    pub sex: Sex,
    pub address: Option<String>,
    pub postcode: Option<String>,
    pub gp_practice: Option<String>,
    /// A restricted person: address, postcode and GP are held back in every list
    /// (`domain::disclosure::summary_contact_shown`).
    pub is_restricted: bool,
    /// An inpatient spell with no end is open now.
    pub in_hospital: bool,
    /// Found by a close spelling of a typed word, not the words as typed
    /// (`Store::search_people`): shown as "similar name".
    pub similar_name: bool,
}

impl PersonSummary {
    pub fn display_name(&self) -> String {
        crate::domain::person::display_name(&self.given_name, &self.family_name)
    }
}

/// One source system, for the sources screen.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceSummary {
    pub source: String,
    pub items: i64,
    pub last_import: NaiveDateTime,
}

/// One imported file, for the sources screen.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportRun {
    pub id: i64,
    pub file_name: String,
    pub file_sha256: String,
    pub format: String,
    pub imported_at: NaiveDateTime,
    pub rows_read: i64,
    pub rows_added: i64,
    pub rows_rejected: i64,
}

pub(super) const SUMMARY_COLUMNS: &str =
    "p.id, p.nhs_number, p.given_name, p.family_name, p.date_of_birth, p.date_of_death, p.postcode, p.gp_practice,
     p.is_restricted, p.sex, p.address,
     EXISTS (SELECT 1 FROM episode e WHERE e.person_id = p.id AND e.kind = 'inpatient_spell'
             AND e.end IS NULL AND e.status != 'cancelled')";

/// A summary row before its NHS number, dates and sex are checked.
pub(super) type RawSummary = (PersonSummary, Option<String>, Option<String>, Option<String>, String);

pub(super) fn summary_row(r: &Row) -> crate::store::Result<RawSummary> {
    Ok((
        PersonSummary {
            id: r.get(0)?,
            nhs_number: None,
            given_name: r.get(2)?,
            family_name: r.get(3)?,
            date_of_birth: None,
            date_of_death: None,
            sex: Sex::Unknown,
            address: r.get(10)?,
            postcode: r.get(6)?,
            gp_practice: r.get(7)?,
            is_restricted: r.get(8)?,
            in_hospital: r.get(11)?,
            similar_name: false,
        },
        r.get(1)?,
        r.get(4)?,
        r.get(5)?,
        r.get(9)?,
    ))
}

pub(super) fn finish_summary((mut s, nhs, dob, dod, sex): RawSummary) -> Result<PersonSummary> {
    s.nhs_number = nhs.as_deref().and_then(|n| NhsNumber::parse(n).ok());
    s.date_of_birth = opt_date(dob)?;
    s.date_of_death = opt_date(dod)?;
    s.sex = enum_from_text(&sex)?;
    // Lists of people (search results, recent, the matching queue) are made here
    // only: a restricted person's contact details never reach one.
    if !crate::domain::disclosure::summary_contact_shown(s.is_restricted) {
        s.address = None;
        s.postcode = None;
        s.gp_practice = None;
    }
    Ok(s)
}

impl Store {
    pub fn count_people(&self) -> Result<i64> {
        self.conn
            .query_row("SELECT count(*) FROM person WHERE merged_into IS NULL", [], |r| {
                r.get(0)
            })
    }

    pub fn find_by_nhs_number(&self, nhs: NhsNumber) -> Result<Option<PersonSummary>> {
        let sql = format!("SELECT {SUMMARY_COLUMNS} FROM person p WHERE p.nhs_number = ?1");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let found = stmt
            .query_row([nhs.digits()], summary_row)
            .optional()?
            .map(finish_summary)
            .transpose()?;
        tracing::debug!(found = found.is_some(), "NHS number lookup");
        Ok(found)
    }

    /// People this user opened most recently, newest first: "recently opened"
    /// belongs to the user, not the workstation.
    pub fn recent_people(&self, user: &str, limit: usize) -> Result<Vec<PersonSummary>> {
        let sql = format!(
            "SELECT {SUMMARY_COLUMNS} FROM recent_person r JOIN person p ON p.id = r.person_id
             WHERE r.user_name = ?1 ORDER BY r.opened_at DESC, r.rowid DESC LIMIT {limit}"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map([user], summary_row)?;
        rows.map(|r| finish_summary(r?)).collect()
    }

    pub fn mark_opened(&self, user: &str, person_id: i64, at: NaiveDateTime) -> Result<()> {
        self.conn.execute(
            "INSERT INTO recent_person (user_name, person_id, opened_at) VALUES (?1, ?2, ?3)
             ON CONFLICT (user_name, person_id) DO UPDATE SET opened_at = excluded.opened_at",
            params![user, person_id, date_time_text(at)],
        )?;
        Ok(())
    }

    pub fn import_runs(&self) -> Result<Vec<ImportRun>> {
        let sql = format!("SELECT {IMPORT_RUN_COLUMNS} FROM import_run ORDER BY id DESC");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map([], import_run_row)?;
        rows.map(|r| finish_import_run(r?)).collect()
    }

    /// The first import of a file with this SHA-256 (hex), if there was one: a file
    /// dropped in a watched folder again is then a duplicate.
    pub fn import_run_with_sha256(&self, sha256: &str) -> Result<Option<ImportRun>> {
        let sql = format!("SELECT {IMPORT_RUN_COLUMNS} FROM import_run WHERE file_sha256 = ?1 ORDER BY id LIMIT 1");
        let found = self.conn.query_row(&sql, [sha256], import_run_row).optional()?;
        found.map(finish_import_run).transpose()
    }

    /// Per source system: how many items it holds and when it last sent some.
    pub fn sources(&self) -> Result<Vec<SourceSummary>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT e.source, count(*), max(COALESCE(r.imported_at, e.imported_at))
                 FROM episode e LEFT JOIN import_run r ON r.id = e.import_run_id
                 GROUP BY e.source ORDER BY e.source",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?, r.get::<_, String>(2)?))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (source, items, last) = row?;
            out.push(SourceSummary {
                source,
                items,
                last_import: parse_date_time(&last)?,
            });
        }
        Ok(out)
    }

    /// People whose sources disagree on date of birth, names or postcode (at most `limit`).
    pub fn people_with_conflicts(&self, limit: usize) -> Result<Vec<PersonSummary>> {
        let sql = format!(
            "SELECT {SUMMARY_COLUMNS} FROM person p WHERE p.merged_into IS NULL AND p.id IN (
                SELECT person_id FROM person_demographics GROUP BY person_id
                HAVING count(DISTINCT date_of_birth) > 1
                    OR count(DISTINCT lower(NULLIF(family_name, ''))) > 1
                    OR count(DISTINCT lower(NULLIF(given_name, ''))) > 1
                    OR count(DISTINCT replace(upper(postcode), ' ', '')) > 1)
             ORDER BY p.family_name_key, p.given_name_key LIMIT {limit}"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map([], summary_row)?;
        rows.map(|r| finish_summary(r?)).collect()
    }

    /// The person a source knows by its own id (`ASC-104417` in the council's
    /// system), where that record went if it was linked to another.
    pub fn find_by_local_id(&self, source: &str, local_id: &str) -> Result<Option<PersonSummary>> {
        let sql = format!(
            "SELECT {SUMMARY_COLUMNS} FROM person_identifier i JOIN person p ON p.id = i.person_id
             WHERE i.source = ?1 AND i.local_id = ?2"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        stmt.query_row([source, local_id], summary_row)
            .optional()?
            .map(finish_summary)
            .transpose()
    }

    /// The people with these ids that are here (in no particular order), as lists
    /// show them (a restricted person's contact details held back).
    pub fn people_by_ids(&self, ids: &[i64]) -> Result<Vec<PersonSummary>> {
        let mut out = Vec::with_capacity(ids.len());
        // In chunks, so that the statement stays short for a long log.
        for chunk in ids.chunks(200) {
            let list = chunk.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
            let sql = format!("SELECT {SUMMARY_COLUMNS} FROM person p WHERE p.id IN ({list})");
            let mut stmt = self.conn.prepare(&sql)?;
            let rows = stmt.query_map([], summary_row)?;
            for r in rows {
                out.push(finish_summary(r?)?);
            }
        }
        Ok(out)
    }

    /// People with no NHS number, waiting to be matched.
    pub fn unmatched_people(&self, limit: usize) -> Result<Vec<PersonSummary>> {
        let sql = format!(
            "SELECT {SUMMARY_COLUMNS} FROM person p WHERE p.nhs_number IS NULL AND p.merged_into IS NULL
             ORDER BY p.family_name_key, p.given_name_key LIMIT {limit}"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map([], summary_row)?;
        rows.map(|r| finish_summary(r?)).collect()
    }
}

const IMPORT_RUN_COLUMNS: &str =
    "id, file_name, file_sha256, format, imported_at, rows_read, rows_added, rows_rejected";

/// An import run's row, its time still text.
fn import_run_row(r: &Row) -> Result<(ImportRun, String)> {
    Ok((
        ImportRun {
            id: r.get(0)?,
            file_name: r.get(1)?,
            file_sha256: r.get(2)?,
            format: r.get(3)?,
            imported_at: NaiveDateTime::default(),
            rows_read: r.get(5)?,
            rows_added: r.get(6)?,
            rows_rejected: r.get(7)?,
        },
        r.get::<_, String>(4)?,
    ))
}

fn finish_import_run((mut run, at): (ImportRun, String)) -> Result<ImportRun> {
    run.imported_at = parse_date_time(&at)?;
    Ok(run)
}
