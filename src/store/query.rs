//! Typed read queries: people, a person's whole record, import runs, recent people.

use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::{OptionalExtension, Row, params};

use super::codec::*;
use super::{Result, Store, StoreError};
use crate::domain::care_plan::{CarePlan, PlanAction, PlanNeed};
use crate::domain::chc::{ChcAssessment, IcbDecision};
use crate::domain::hospital::{Attribution, DelayReason, HospitalSpell};
use crate::domain::{
    Demographics, Episode, EpisodeKind, EpisodeStatus, LocalId, NhsNumber, Person, PersonRecord, Provenance, Sector,
    Sensitivity,
};

/// One line of a search result.
#[derive(Debug, Clone, PartialEq)]
pub struct PersonSummary {
    pub id: i64,
    pub nhs_number: Option<NhsNumber>,
    pub given_name: String,
    pub family_name: String,
    pub date_of_birth: Option<NaiveDate>,
    pub date_of_death: Option<NaiveDate>,
    pub postcode: Option<String>,
    pub gp_practice: Option<String>,
}

impl PersonSummary {
    pub fn display_name(&self) -> String {
        match (self.family_name.is_empty(), self.given_name.is_empty()) {
            (true, true) => "(name not recorded)".to_owned(),
            (false, true) => self.family_name.to_uppercase(),
            (true, false) => self.given_name.clone(),
            (false, false) => format!("{}, {}", self.family_name.to_uppercase(), self.given_name),
        }
    }
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

const SUMMARY_COLUMNS: &str =
    "p.id, p.nhs_number, p.given_name, p.family_name, p.date_of_birth, p.date_of_death, p.postcode, p.gp_practice";

/// A summary row before its NHS number and dates are checked.
type RawSummary = (PersonSummary, Option<String>, Option<String>, Option<String>);

fn summary_row(r: &Row) -> rusqlite::Result<RawSummary> {
    Ok((
        PersonSummary {
            id: r.get(0)?,
            nhs_number: None,
            given_name: r.get(2)?,
            family_name: r.get(3)?,
            date_of_birth: None,
            date_of_death: None,
            postcode: r.get(6)?,
            gp_practice: r.get(7)?,
        },
        r.get(1)?,
        r.get(4)?,
        r.get(5)?,
    ))
}

fn finish_summary((mut s, nhs, dob, dod): RawSummary) -> Result<PersonSummary> {
    s.nhs_number = nhs.as_deref().and_then(|n| NhsNumber::parse(n).ok());
    s.date_of_birth = opt_date(dob)?;
    s.date_of_death = opt_date(dod)?;
    Ok(s)
}

impl Store {
    pub fn count_people(&self) -> Result<i64> {
        Ok(self.conn.query_row("SELECT count(*) FROM person", [], |r| r.get(0))?)
    }

    pub fn find_by_nhs_number(&self, nhs: NhsNumber) -> Result<Option<PersonSummary>> {
        let sql = format!("SELECT {SUMMARY_COLUMNS} FROM person p WHERE p.nhs_number = ?1");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        stmt.query_row([nhs.digits()], summary_row)
            .optional()?
            .map(finish_summary)
            .transpose()
    }

    /// Name search: every word must start the family or given name (case-insensitive).
    /// The first word uses the name indexes; a date of birth narrows further.
    pub fn search_people(&self, text: &str, dob: Option<NaiveDate>, limit: usize) -> Result<Vec<PersonSummary>> {
        let words: Vec<String> = text
            .split_whitespace()
            .map(|w| name_key(w.trim_matches(',')))
            .filter(|w| !w.is_empty())
            .collect();
        if words.is_empty() && dob.is_none() {
            return Ok(Vec::new());
        }
        let mut sql = format!("SELECT {SUMMARY_COLUMNS} FROM person p WHERE 1 = 1");
        let mut args: Vec<String> = Vec::new();
        for (i, w) in words.iter().enumerate() {
            let hi = format!("{w}\u{10ffff}");
            args.push(w.clone());
            args.push(hi);
            let (a, b) = (args.len() - 1, args.len());
            if i == 0 {
                sql.push_str(&format!(
                    " AND p.id IN (SELECT id FROM person WHERE family_name_key >= ?{a} AND family_name_key < ?{b}
                       UNION SELECT id FROM person WHERE given_name_key >= ?{a} AND given_name_key < ?{b})"
                ));
            } else {
                sql.push_str(&format!(
                    " AND ((p.family_name_key >= ?{a} AND p.family_name_key < ?{b}) OR (p.given_name_key >= ?{a} AND p.given_name_key < ?{b}))"
                ));
            }
        }
        if let Some(d) = dob {
            args.push(date_text(d));
            sql.push_str(&format!(" AND p.date_of_birth = ?{}", args.len()));
        }
        sql.push_str(&format!(
            " ORDER BY p.family_name_key, p.given_name_key, p.date_of_birth LIMIT {limit}"
        ));
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(args.iter()), summary_row)?;
        rows.map(|r| finish_summary(r?)).collect()
    }

    /// People opened most recently, newest first.
    pub fn recent_people(&self, limit: usize) -> Result<Vec<PersonSummary>> {
        let sql = format!(
            "SELECT {SUMMARY_COLUMNS} FROM recent_person r JOIN person p ON p.id = r.person_id
             ORDER BY r.opened_at DESC, r.rowid DESC LIMIT {limit}"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map([], summary_row)?;
        rows.map(|r| finish_summary(r?)).collect()
    }

    pub fn mark_opened(&self, person_id: i64, at: NaiveDateTime) -> Result<()> {
        self.conn.execute(
            "INSERT INTO recent_person (person_id, opened_at) VALUES (?1, ?2)
             ON CONFLICT (person_id) DO UPDATE SET opened_at = excluded.opened_at",
            params![person_id, date_time_text(at)],
        )?;
        Ok(())
    }

    pub fn import_runs(&self) -> Result<Vec<ImportRun>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, file_name, file_sha256, format, imported_at, rows_read, rows_added, rows_rejected
             FROM import_run ORDER BY id DESC",
        )?;
        let rows = stmt.query_map([], |r| {
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
        })?;
        rows.map(|r| {
            let (mut run, at) = r?;
            run.imported_at = parse_date_time(&at)?;
            Ok(run)
        })
        .collect()
    }

    /// The episode counts per source system, for the sources screen.
    pub fn episode_counts_by_source(&self) -> Result<Vec<(String, i64)>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT source, count(*) FROM episode GROUP BY source ORDER BY source")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// People with no NHS number, waiting to be matched.
    pub fn unmatched_people(&self, limit: usize) -> Result<Vec<PersonSummary>> {
        let sql = format!(
            "SELECT {SUMMARY_COLUMNS} FROM person p WHERE p.nhs_number IS NULL
             ORDER BY p.family_name_key, p.given_name_key LIMIT {limit}"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map([], summary_row)?;
        rows.map(|r| finish_summary(r?)).collect()
    }

    /// Everything about one person, episodes in timeline order.
    pub fn person_record(&self, person_id: i64) -> Result<PersonRecord> {
        let person = self.person(person_id)?;
        let mut record = PersonRecord::new(person);
        record.episodes = self.episodes_for(person_id)?;
        record.spells = self.spells_for(person_id)?;
        record.chc = self.chc_for(person_id)?;
        record.care_plans = self.care_plans_for(person_id)?;
        Ok(record)
    }

    fn person(&self, person_id: i64) -> Result<Person> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT nhs_number, given_name, family_name, date_of_birth, date_of_death, sex, address, postcode,
                    gp_practice, allocated_worker, alerts, is_restricted
             FROM person WHERE id = ?1",
        )?;
        let row = stmt
            .query_row([person_id], |r| {
                Ok((
                    r.get::<_, Option<String>>(0)?,
                    demographics_row(r, 1)?,
                    r.get::<_, String>(10)?,
                    r.get::<_, bool>(11)?,
                ))
            })
            .optional()?
            .ok_or(StoreError::NoSuchPerson(person_id))?;
        let (nhs, demo, alerts, is_restricted) = row;
        let mut ids_stmt = self
            .conn
            .prepare_cached("SELECT source, local_id FROM person_identifier WHERE person_id = ?1 ORDER BY source")?;
        let local_ids = ids_stmt
            .query_map([person_id], |r| {
                Ok(LocalId {
                    source: r.get(0)?,
                    id: r.get(1)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut demo_stmt = self.conn.prepare_cached(
            "SELECT source, given_name, family_name, date_of_birth, date_of_death, sex, address, postcode,
                    gp_practice, allocated_worker
             FROM person_demographics WHERE person_id = ?1 ORDER BY rowid",
        )?;
        let by_source = demo_stmt
            .query_map([person_id], |r| Ok((r.get::<_, String>(0)?, demographics_row(r, 1)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?
            .into_iter()
            .map(|(s, d)| Ok((s, d.finish()?)))
            .collect::<Result<Vec<_>>>()?;
        Ok(Person {
            id: person_id,
            nhs_number: nhs.as_deref().and_then(|n| NhsNumber::parse(n).ok()),
            local_ids,
            demographics: demo.finish()?,
            by_source,
            alerts: serde_json::from_str(&alerts).unwrap_or_default(),
            is_restricted,
        })
    }

    fn episodes_for(&self, person_id: i64) -> Result<Vec<Episode>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, kind, title, start, end, status, organisation, detail, sensitivity, attributes,
                    source, source_ref, file_name, file_sha256, imported_at
             FROM episode WHERE person_id = ?1 ORDER BY start, id",
        )?;
        let rows = stmt.query_map([person_id], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                [r.get::<_, String>(1)?, r.get(2)?, r.get(3)?],
                r.get::<_, Option<String>>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, Option<String>>(6)?,
                [r.get::<_, String>(7)?, r.get(8)?, r.get(9)?],
                [r.get::<_, String>(10)?, r.get(11)?, r.get(12)?, r.get(13)?, r.get(14)?],
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, [kind, title, start], end, status, organisation, [detail, sensitivity, attributes], prov) = row?;
            let [source, source_ref, file_name, file_sha256, imported_at] = prov;
            out.push(Episode {
                id,
                kind: EpisodeKind::from_code(&kind).ok_or_else(|| StoreError::Corrupt(format!("kind {kind:?}")))?,
                title,
                start: parse_date_time(&start)?,
                end: opt_date_time(end)?,
                status: EpisodeStatus::from_code(&status)
                    .ok_or_else(|| StoreError::Corrupt(format!("status {status:?}")))?,
                organisation,
                detail,
                sensitivity: Sensitivity::from_code(&sensitivity).unwrap_or(Sensitivity::Safeguarding),
                attributes: serde_json::from_str(&attributes).unwrap_or_default(),
                provenance: Provenance {
                    source,
                    source_ref,
                    file_name,
                    file_sha256,
                    imported_at: Some(parse_date_time(&imported_at)?),
                },
            });
        }
        crate::domain::timeline::sort_chronologically(&mut out);
        Ok(out)
    }

    fn spells_for(&self, person_id: i64) -> Result<Vec<HospitalSpell>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT h.episode_id, h.hospital, h.ward, e.start, e.end, h.admission_method, h.admission_source,
                    h.discharge_method, h.discharge_destination, h.meets_criteria_to_reside,
                    h.criteria_to_reside_code, h.discharge_ready_date, h.pathway, h.next_action, h.next_action_owner
             FROM hospital_spell h JOIN episode e ON e.id = h.episode_id
             WHERE e.person_id = ?1 ORDER BY e.start",
        )?;
        let rows = stmt.query_map([person_id], |r| {
            Ok((
                HospitalSpell {
                    episode_id: r.get(0)?,
                    hospital: r.get(1)?,
                    ward: r.get(2)?,
                    admission_method: r.get(5)?,
                    admission_source: r.get(6)?,
                    discharge_method: r.get(7)?,
                    discharge_destination: r.get(8)?,
                    meets_criteria_to_reside: r.get(9)?,
                    criteria_to_reside_code: r.get(10)?,
                    pathway: r.get(12)?,
                    next_action: r.get(13)?,
                    next_action_owner: r.get(14)?,
                    ..Default::default()
                },
                r.get::<_, String>(3)?,
                r.get::<_, Option<String>>(4)?,
                r.get::<_, Option<String>>(11)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (mut s, start, end, drd) = row?;
            s.admitted = Some(parse_date_time(&start)?);
            s.discharged = opt_date_time(end)?;
            s.discharge_ready_date = opt_date(drd)?;
            s.delay_reasons = self.delay_reasons_for(s.episode_id)?;
            out.push(s);
        }
        Ok(out)
    }

    fn delay_reasons_for(&self, episode_id: i64) -> Result<Vec<DelayReason>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT code, description, attribution, since, owner FROM delay_reason
             WHERE episode_id = ?1 AND closed_on IS NULL ORDER BY since, id",
        )?;
        let rows = stmt.query_map([episode_id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get(4)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (code, description, attribution, since, owner) = row?;
            out.push(DelayReason {
                code,
                description,
                attribution: Attribution::from_code(&attribution)
                    .ok_or_else(|| StoreError::Corrupt(format!("attribution {attribution:?}")))?,
                since: parse_date(&since)?,
                owner,
            });
        }
        Ok(out)
    }

    fn chc_for(&self, person_id: i64) -> Result<Vec<ChcAssessment>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT c.episode_id, c.kind, c.completed_on, c.completed_by, c.recorded_positive, c.mdt_recommendation,
                    c.icb_decision_date, c.icb_decision_eligible, c.icb_decision_note
             FROM chc_assessment c JOIN episode e ON e.id = c.episode_id
             WHERE e.person_id = ?1 ORDER BY c.completed_on, c.episode_id",
        )?;
        let rows = stmt.query_map([person_id], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, Option<String>>(3)?,
                r.get::<_, Option<bool>>(4)?,
                r.get::<_, Option<String>>(5)?,
                r.get::<_, Option<String>>(6)?,
                r.get::<_, Option<bool>>(7)?,
                r.get::<_, Option<String>>(8)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (episode_id, kind, completed_on, completed_by, recorded_positive, mdt, dec_date, eligible, note) = row?;
            let icb_decision = opt_date(dec_date)?.map(|date| IcbDecision {
                date,
                is_eligible: eligible.unwrap_or(false),
                note,
            });
            let mut dom = self
                .conn
                .prepare_cached("SELECT domain, level FROM chc_domain_level WHERE episode_id = ?1 ORDER BY rowid")?;
            let domains = dom
                .query_map([episode_id], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?
                .collect::<rusqlite::Result<Vec<_>>>()?
                .into_iter()
                .map(|(d, l)| Ok((enum_from_text(&d)?, l)))
                .collect::<Result<Vec<_>>>()?;
            out.push(ChcAssessment {
                episode_id,
                kind: enum_from_text(&kind)?,
                completed_on: parse_date(&completed_on)?,
                completed_by,
                domains,
                mdt_recommendation: mdt,
                icb_decision,
                recorded_positive,
            });
        }
        Ok(out)
    }

    /// Every version of every plan, newest version first within a plan.
    fn care_plans_for(&self, person_id: i64) -> Result<Vec<CarePlan>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT v.id, p.id, p.kind, p.sector, p.title, p.owner, p.source, p.source_ref, v.version, v.status,
                    v.start, v.last_review, v.next_review, v.funding, v.personal_budget_weekly,
                    v.file_name, v.file_sha256, v.imported_at
             FROM care_plan p JOIN care_plan_version v ON v.care_plan_id = p.id
             WHERE p.person_id = ?1 ORDER BY p.id, v.version DESC",
        )?;
        let rows = stmt.query_map([person_id], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                [
                    r.get::<_, String>(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                    r.get(7)?,
                ],
                r.get::<_, u32>(8)?,
                r.get::<_, String>(9)?,
                r.get::<_, String>(10)?,
                [r.get::<_, Option<String>>(11)?, r.get(12)?, r.get(13)?],
                r.get::<_, Option<f64>>(14)?,
                [r.get::<_, String>(15)?, r.get(16)?, r.get(17)?],
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (
                version_id,
                plan_id,
                [kind, sector, title, owner, source, source_ref],
                version,
                status,
                start,
                opt,
                budget,
                file,
            ) = row?;
            let [last_review, next_review, funding] = opt;
            let [file_name, file_sha256, imported_at] = file;
            out.push(CarePlan {
                id: plan_id,
                kind: enum_from_text(&kind)?,
                sector: if sector == "health" {
                    Sector::Health
                } else {
                    Sector::SocialCare
                },
                title,
                owner,
                status,
                version,
                start: parse_date(&start)?,
                last_review: opt_date(last_review)?,
                next_review: opt_date(next_review)?,
                goals: self.plan_goals(version_id)?,
                needs: self.plan_needs(version_id)?,
                actions: self.plan_actions(version_id)?,
                funding: funding.as_deref().map(enum_from_text).transpose()?,
                personal_budget_weekly: budget,
                provenance: Provenance {
                    source,
                    source_ref,
                    file_name,
                    file_sha256,
                    imported_at: Some(parse_date_time(&imported_at)?),
                },
            });
        }
        Ok(out)
    }

    fn plan_goals(&self, version_id: i64) -> Result<Vec<String>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT text FROM care_plan_goal WHERE version_id = ?1 ORDER BY position")?;
        Ok(stmt
            .query_map([version_id], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?)
    }

    fn plan_needs(&self, version_id: i64) -> Result<Vec<PlanNeed>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT description, is_eligible FROM care_plan_need WHERE version_id = ?1 ORDER BY position",
        )?;
        Ok(stmt
            .query_map([version_id], |r| {
                Ok(PlanNeed {
                    description: r.get(0)?,
                    is_eligible: r.get(1)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?)
    }

    fn plan_actions(&self, version_id: i64) -> Result<Vec<PlanAction>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT description, responsible_party, responsible_name FROM care_plan_action
             WHERE version_id = ?1 ORDER BY position",
        )?;
        let rows = stmt.query_map([version_id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Option<String>>(2)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (description, party, responsible_name) = row?;
            out.push(PlanAction {
                description,
                responsible_party: enum_from_text(&party)?,
                responsible_name,
            });
        }
        Ok(out)
    }
}

/// Demographic columns read raw; dates are parsed afterwards so errors surface as
/// store errors, not SQL errors.
struct RawDemographics {
    d: Demographics,
    dob: Option<String>,
    dod: Option<String>,
    sex: String,
}

impl RawDemographics {
    fn finish(mut self) -> Result<Demographics> {
        self.d.date_of_birth = opt_date(self.dob)?;
        self.d.date_of_death = opt_date(self.dod)?;
        self.d.sex = enum_from_text(&self.sex).unwrap_or_default();
        Ok(self.d)
    }
}

/// Reads given, family, dob, dod, sex, address, postcode, gp, worker from `first` on.
fn demographics_row(r: &Row, first: usize) -> rusqlite::Result<RawDemographics> {
    Ok(RawDemographics {
        d: Demographics {
            given_name: r.get(first)?,
            family_name: r.get(first + 1)?,
            address: r.get(first + 5)?,
            postcode: r.get(first + 6)?,
            gp_practice: r.get(first + 7)?,
            allocated_worker: r.get(first + 8)?,
            ..Default::default()
        },
        dob: r.get(first + 2)?,
        dod: r.get(first + 3)?,
        sex: r.get(first + 4)?,
    })
}
