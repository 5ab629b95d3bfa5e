//! One row-mapping function per table, shared by the per-person record and the
//! cohort queries (the discharge board). Each `*_where` takes a fixed SQL condition
//! written in this crate (never user input) over the table's usual alias, and its
//! parameters.

use std::collections::HashMap;

use crate::store::engine::SqlParam;

use super::codec::*;
use super::{Result, Store, StoreError};
use crate::domain::chc::{ChcAssessment, ChcDomain, IcbDecision};
use crate::domain::discharge::CtrReview;
use crate::domain::hospital::{Attribution, DelayReason, HospitalSpell, Revision};
use crate::domain::{Episode, EpisodeKind, EpisodeStatus, Provenance, Sensitivity};

pub(super) type Args<'a> = &'a [&'a dyn SqlParam];

impl Store {
    /// Episodes (alias `e`) with their person id, ordered by person and start, with
    /// their provenance's file, SHA-256 and time (from the import run).
    pub(super) fn episodes_where(&self, condition: &str, args: Args) -> Result<Vec<(i64, Episode)>> {
        self.episodes_query(condition, args, true)
    }

    /// As [`Store::episodes_where`] without the file, SHA-256 and time of the
    /// provenance (source and source reference only): for cohort rules such as the
    /// discharge board, which never show them and need not join every row to its run.
    pub(super) fn episodes_where_without_files(&self, condition: &str, args: Args) -> Result<Vec<(i64, Episode)>> {
        self.episodes_query(condition, args, false)
    }

    /// An item's kind as stored. A placeholder's kind is never stored; it is read
    /// only from a server's views, which hold an item back from this user.
    fn stored_kind(&self, code: &str) -> Result<EpisodeKind> {
        let placeholder = || {
            [EpisodeKind::RestrictedHealth, EpisodeKind::RestrictedSocialCare]
                .into_iter()
                .find(|k| k.code() == code && self.conn.reads_through_views())
        };
        EpisodeKind::from_code(code)
            .or_else(placeholder)
            .ok_or_else(|| StoreError::Corrupt(format!("kind {code:?}")))
    }

    fn episodes_query(&self, condition: &str, args: Args, with_files: bool) -> Result<Vec<(i64, Episode)>> {
        let (files, join) = if with_files {
            (
                "COALESCE(r.file_name, e.file_name), COALESCE(r.file_sha256, e.file_sha256),
                 COALESCE(r.imported_at, e.imported_at)",
                "LEFT JOIN import_run r ON r.id = e.import_run_id",
            )
        } else {
            ("'', '', ''", "")
        };
        let sql = format!(
            "SELECT e.person_id, e.id, e.kind, e.title, e.start, e.end, e.status, e.organisation, e.detail,
                    e.sensitivity, e.attributes, e.source, e.source_ref, {files}
             FROM episode e {join}
             WHERE {condition} ORDER BY e.person_id, e.start, e.id"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(args, |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                [r.get::<_, String>(2)?, r.get(3)?, r.get(4)?],
                r.get::<_, Option<String>>(5)?,
                r.get::<_, String>(6)?,
                r.get::<_, Option<String>>(7)?,
                [r.get::<_, String>(8)?, r.get(9)?, r.get(10)?],
                [r.get::<_, String>(11)?, r.get(12)?, r.get(13)?, r.get(14)?, r.get(15)?],
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (person_id, id, [kind, title, start], end, status, organisation, [detail, sensitivity, attributes], p) =
                row?;
            let [source, source_ref, file_name, file_sha256, imported_at] = p;
            out.push((
                person_id,
                Episode {
                    id,
                    kind: self.stored_kind(&kind)?,
                    title,
                    start: parse_date_time(&start)?,
                    end: opt_date_time(end)?,
                    status: EpisodeStatus::from_code(&status)
                        .ok_or_else(|| StoreError::Corrupt(format!("status {status:?}")))?,
                    organisation,
                    detail,
                    // An unreadable sensitivity is treated as sensitive, never as normal.
                    sensitivity: Sensitivity::from_code(&sensitivity).unwrap_or(Sensitivity::Safeguarding),
                    attributes: serde_json::from_str(&attributes).unwrap_or_default(),
                    provenance: Provenance {
                        source,
                        source_ref,
                        file_name,
                        file_sha256,
                        imported_at: if imported_at.is_empty() {
                            None
                        } else {
                            Some(parse_date_time(&imported_at)?)
                        },
                    },
                },
            ));
        }
        Ok(out)
    }

    /// Spells (aliases `h`, `e`) with their person id, delay reasons and reviews.
    pub(super) fn spells_where(&self, condition: &str, args: Args) -> Result<Vec<(i64, HospitalSpell)>> {
        let sql = format!(
            "SELECT e.person_id, h.episode_id, h.hospital, h.ward, e.start, e.end, h.admission_method,
                    h.admission_source, h.discharge_method, h.discharge_destination, h.meets_criteria_to_reside,
                    h.criteria_to_reside_code, h.discharge_ready_date, h.pathway, h.next_action, h.next_action_owner,
                    h.version, h.changed_by, h.changed_at
             FROM hospital_spell h JOIN episode e ON e.id = h.episode_id
             WHERE {condition} ORDER BY e.start, h.episode_id"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(args, |r| {
            Ok((
                r.get::<_, i64>(0)?,
                HospitalSpell {
                    episode_id: r.get(1)?,
                    hospital: r.get(2)?,
                    ward: r.get(3)?,
                    admission_method: r.get(6)?,
                    admission_source: r.get(7)?,
                    discharge_method: r.get(8)?,
                    discharge_destination: r.get(9)?,
                    meets_criteria_to_reside: r.get(10)?,
                    criteria_to_reside_code: r.get(11)?,
                    pathway: r.get(13)?,
                    next_action: r.get(14)?,
                    next_action_owner: r.get(15)?,
                    ..Default::default()
                },
                r.get::<_, String>(4)?,
                r.get::<_, Option<String>>(5)?,
                r.get::<_, Option<String>>(12)?,
                (
                    r.get::<_, i64>(16)?,
                    r.get::<_, Option<String>>(17)?,
                    r.get::<_, Option<String>>(18)?,
                ),
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (person_id, mut s, start, end, drd, (number, changed_by, changed_at)) = row?;
            s.revision = Revision {
                number,
                changed_by,
                changed_at: opt_date_time(changed_at)?,
            };
            s.admitted = Some(parse_date_time(&start)?);
            s.discharged = opt_date_time(end)?;
            s.discharge_ready_date = opt_date(drd)?;
            out.push((person_id, s));
        }
        let mut reasons = self.delay_reasons_where(condition, args)?;
        let mut reviews = self.ctr_reviews_where(condition, args)?;
        for (_, s) in &mut out {
            s.delay_reasons = reasons.remove(&s.episode_id).unwrap_or_default();
            s.ctr_reviews = reviews.remove(&s.episode_id).unwrap_or_default();
        }
        Ok(out)
    }

    /// Open delay reasons of the spells matching `condition`, by spell.
    fn delay_reasons_where(&self, condition: &str, args: Args) -> Result<HashMap<i64, Vec<DelayReason>>> {
        let sql = format!(
            "SELECT d.episode_id, d.id, d.code, d.description, d.attribution, d.since, d.owner
             FROM delay_reason d
             WHERE d.closed_on IS NULL AND d.episode_id IN (SELECT e.id FROM episode e WHERE {condition})
             ORDER BY d.since, d.id"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(args, |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                [r.get::<_, String>(2)?, r.get(3)?, r.get(4)?, r.get(5)?],
                r.get::<_, Option<String>>(6)?,
            ))
        })?;
        let mut out: HashMap<i64, Vec<DelayReason>> = HashMap::new();
        for row in rows {
            let (episode_id, id, [code, description, attribution, since], owner) = row?;
            out.entry(episode_id).or_default().push(DelayReason {
                id,
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

    fn ctr_reviews_where(&self, condition: &str, args: Args) -> Result<HashMap<i64, Vec<CtrReview>>> {
        let sql = format!(
            "SELECT r.episode_id, r.date, r.meets, r.code
             FROM ctr_review r WHERE r.episode_id IN (SELECT e.id FROM episode e WHERE {condition})
             ORDER BY r.episode_id, r.date"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(args, |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, bool>(2)?,
                r.get::<_, Option<String>>(3)?,
            ))
        })?;
        let mut out: HashMap<i64, Vec<CtrReview>> = HashMap::new();
        for row in rows {
            let (episode_id, date, meets, code) = row?;
            out.entry(episode_id).or_default().push(CtrReview {
                date: parse_date(&date)?,
                meets,
                code,
            });
        }
        Ok(out)
    }

    /// CHC assessments (aliases `c`, `e`) with their person id and domain grids.
    pub(super) fn chc_where(&self, condition: &str, args: Args) -> Result<Vec<(i64, ChcAssessment)>> {
        self.chc_query(condition, args, "JOIN")
    }

    /// As [`Store::chc_where`], reading the assessment table first and looking each
    /// episode up: for a condition over many people (the board's inpatients), where
    /// walking all their episodes to find the few assessments costs far more. A
    /// `CROSS JOIN` fixes that order whatever the planner's statistics say.
    pub(super) fn chc_where_from_assessments(&self, condition: &str, args: Args) -> Result<Vec<(i64, ChcAssessment)>> {
        self.chc_query(condition, args, "CROSS JOIN")
    }

    fn chc_query(&self, condition: &str, args: Args, join: &str) -> Result<Vec<(i64, ChcAssessment)>> {
        let sql = format!(
            "SELECT e.person_id, c.episode_id, c.kind, c.completed_on, c.completed_by, c.recorded_positive,
                    c.mdt_recommendation, c.icb_decision_date, c.icb_decision_eligible, c.icb_decision_note,
                    c.icb_decision_by
             FROM chc_assessment c {join} episode e ON e.id = c.episode_id
             WHERE {condition} ORDER BY c.completed_on, c.episode_id"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(args, |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                [r.get::<_, String>(2)?, r.get(3)?],
                r.get::<_, Option<String>>(4)?,
                r.get::<_, Option<bool>>(5)?,
                [r.get::<_, Option<String>>(6)?, r.get(7)?],
                r.get::<_, Option<bool>>(8)?,
                r.get::<_, Option<String>>(9)?,
                r.get::<_, Option<String>>(10)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (
                person_id,
                episode_id,
                [kind, completed_on],
                completed_by,
                recorded_positive,
                [mdt, dec],
                eligible,
                note,
                decided_by,
            ) = row?;
            let icb_decision = opt_date(dec)?.map(|date| IcbDecision {
                date,
                is_eligible: eligible.unwrap_or(false),
                note,
                decided_by,
            });
            out.push((
                person_id,
                ChcAssessment {
                    episode_id,
                    kind: enum_from_text(&kind)?,
                    completed_on: parse_date(&completed_on)?,
                    completed_by,
                    domains: Vec::new(),
                    mdt_recommendation: mdt,
                    icb_decision,
                    recorded_positive,
                    evidence: Vec::new(),
                },
            ));
        }
        let sql = format!(
            "SELECT l.episode_id, l.domain, l.level, l.evidence FROM chc_assessment c
             {join} episode e ON e.id = c.episode_id {join} chc_domain_level l ON l.episode_id = c.episode_id
             WHERE {condition} ORDER BY l.rowid"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(args, |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?))
        })?;
        let mut grids: HashMap<i64, Vec<(ChcDomain, String)>> = HashMap::new();
        for row in rows {
            let (episode_id, domain, level) = row?;
            grids
                .entry(episode_id)
                .or_default()
                .push((enum_from_text(&domain)?, level));
        }
        for (_, a) in &mut out {
            a.domains = grids.remove(&a.episode_id).unwrap_or_default();
        }
        Ok(out)
    }
}
