//! Reading one person's whole record: demographics per source, episodes in
//! timeline order, spells with their delay reasons, CHC assessments, care plans.

use rusqlite::{OptionalExtension, Row};

use super::codec::*;
use super::{Result, Store, StoreError};
use crate::domain::care_plan::{CarePlan, PlanAction, PlanNeed};
use crate::domain::chc::{ChcAssessment, IcbDecision};
use crate::domain::discharge::CtrReview;
use crate::domain::hospital::{Attribution, DelayReason, HospitalSpell};
use crate::domain::{
    Demographics, Episode, EpisodeKind, EpisodeStatus, LocalId, NhsNumber, Person, PersonRecord, Provenance, Sector,
    Sensitivity,
};

impl Store {
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
            s.ctr_reviews = self.ctr_reviews_for(s.episode_id)?;
            out.push(s);
        }
        Ok(out)
    }

    fn delay_reasons_for(&self, episode_id: i64) -> Result<Vec<DelayReason>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, code, description, attribution, since, owner FROM delay_reason
             WHERE episode_id = ?1 AND closed_on IS NULL ORDER BY since, id",
        )?;
        let rows = stmt.query_map([episode_id], delay_reason_row)?;
        rows.map(|r| finish_delay_reason(r?)).collect()
    }

    fn ctr_reviews_for(&self, episode_id: i64) -> Result<Vec<CtrReview>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT date, meets, code FROM ctr_review WHERE episode_id = ?1 ORDER BY date")?;
        let rows = stmt.query_map([episode_id], |r| Ok((r.get::<_, String>(0)?, r.get(1)?, r.get(2)?)))?;
        rows.map(|r| {
            let (date, meets, code) = r?;
            Ok(CtrReview {
                date: parse_date(&date)?,
                meets,
                code,
            })
        })
        .collect()
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

/// A delay reason row before its codes and dates are checked.
pub(super) type RawDelayReason = (i64, String, String, String, String, Option<String>);

/// Reads id, code, description, attribution, since, owner.
pub(super) fn delay_reason_row(r: &Row) -> rusqlite::Result<RawDelayReason> {
    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?))
}

pub(super) fn finish_delay_reason(
    (id, code, description, attribution, since, owner): RawDelayReason,
) -> Result<DelayReason> {
    Ok(DelayReason {
        id,
        code,
        description,
        attribution: Attribution::from_code(&attribution)
            .ok_or_else(|| StoreError::Corrupt(format!("attribution {attribution:?}")))?,
        since: parse_date(&since)?,
        owner,
    })
}
