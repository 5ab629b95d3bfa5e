//! Reading one person's whole record: demographics per source, episodes in
//! timeline order, spells with their delay reasons, CHC assessments, care plans.

use crate::store::engine::{OptionalExtension, Row};

use super::codec::*;
use super::{Result, Store, StoreError};
use crate::domain::care_plan::{CarePlan, PlanAction, PlanNeed, VersionRecorded};
use crate::domain::chc::ChcAssessment;
use crate::domain::hospital::HospitalSpell;
use crate::domain::{Demographics, Episode, EpisodeKind, LocalId, NhsNumber, Person, PersonRecord, Provenance, Sector};

impl Store {
    /// Everything about one person, episodes in timeline order.
    pub fn person_record(&self, person_id: i64) -> Result<PersonRecord> {
        let person = self.person(person_id)?;
        let mut record = PersonRecord::new(person);
        record.episodes = self.episodes_for(person_id)?;
        record.spells = self.spells_for(person_id)?;
        record.chc = self.chc_for(person_id)?;
        record.care_plans = self.care_plans_for(person_id)?;
        tracing::debug!(person_id, items = record.episodes.len(), "person record read");
        Ok(record)
    }

    /// A person's record for rules that read only some kinds of item and never show
    /// provenance files (the worklist's event detection over a whole caseload, with
    /// `domain::worklist::DETECTED_KINDS`): as [`Store::person_record`], but only
    /// items of `kinds` are read, each item's provenance keeps only its source and
    /// reference (no item is joined to its import run), and the hospital stays' and
    /// CHC assessments' facts are read only when the person has such an item (or a
    /// placeholder that may be one): the stays' only when one of them is current on
    /// `stays_current_on` (admitted by that day, not discharged by it: as
    /// `domain::discharge::is_current`), as the worklist reads only current stays.
    /// Demographics and care plans are read whole.
    pub fn person_facts(
        &self,
        person_id: i64,
        kinds: &[EpisodeKind],
        stays_current_on: chrono::NaiveDate,
    ) -> Result<PersonRecord> {
        use crate::domain::EpisodeKind as K;
        let person = self.person(person_id)?;
        let mut record = PersonRecord::new(person);
        // Codes are the enum's own constant strings, never input.
        let codes: Vec<String> = kinds.iter().map(|k| format!("'{}'", k.code())).collect();
        let condition = format!("e.person_id = ?1 AND e.kind IN ({})", codes.join(", "));
        let mut episodes: Vec<Episode> = if kinds.is_empty() {
            Vec::new()
        } else {
            self.episodes_where_without_files(&condition, &[&person_id])?
                .into_iter()
                .map(|(_, e)| e)
                .collect()
        };
        crate::domain::timeline::sort_chronologically(&mut episodes);
        let has = |kinds: &[K]| {
            episodes
                .iter()
                .any(|e| kinds.contains(&e.kind) || e.kind.is_placeholder())
        };
        let current_stay = episodes.iter().any(|e| {
            e.kind.is_placeholder()
                || (e.kind == K::InpatientSpell
                    && e.start.date() <= stays_current_on
                    && e.end.is_none_or(|d| d.date() > stays_current_on))
        });
        if current_stay {
            record.spells = self.spells_for(person_id)?;
        }
        if has(&[K::ChcChecklist, K::ChcDst, K::ChcFastTrack, K::ChcReview]) {
            record.chc = self.chc_for(person_id)?;
        }
        record.episodes = episodes;
        record.care_plans = self.care_plans_for(person_id)?;
        Ok(record)
    }

    /// The person alone (demographics, what each source said, alerts), none of
    /// their items: unmasked, for the service to disclose.
    pub fn person(&self, person_id: i64) -> Result<Person> {
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
            .collect::<crate::store::Result<Vec<_>>>()?;
        let mut demo_stmt = self.conn.prepare_cached(
            "SELECT source, given_name, family_name, date_of_birth, date_of_death, sex, address, postcode,
                    gp_practice, allocated_worker
             FROM person_demographics WHERE person_id = ?1 ORDER BY rowid",
        )?;
        let by_source = demo_stmt
            .query_map([person_id], |r| Ok((r.get::<_, String>(0)?, demographics_row(r, 1)?)))?
            .collect::<crate::store::Result<Vec<_>>>()?
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
        let mut out: Vec<Episode> = self
            .episodes_where("e.person_id = ?1", &[&person_id])?
            .into_iter()
            .map(|(_, e)| e)
            .collect();
        crate::domain::timeline::sort_chronologically(&mut out);
        Ok(out)
    }

    fn spells_for(&self, person_id: i64) -> Result<Vec<HospitalSpell>> {
        Ok(self
            .spells_where("e.person_id = ?1", &[&person_id])?
            .into_iter()
            .map(|(_, s)| s)
            .collect())
    }

    fn chc_for(&self, person_id: i64) -> Result<Vec<ChcAssessment>> {
        Ok(self
            .chc_where("e.person_id = ?1", &[&person_id])?
            .into_iter()
            .map(|(_, c)| c)
            .collect())
    }

    /// Every version of every plan, newest version first within a plan.
    fn care_plans_for(&self, person_id: i64) -> Result<Vec<CarePlan>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT v.id, p.id, p.kind, p.sector, p.title, p.owner, p.source, p.source_ref, v.version, v.status,
                    v.start, v.last_review, v.next_review, v.funding, v.personal_budget_weekly,
                    v.file_name, v.file_sha256, v.imported_at, p.sensitivity, v.recorded_at, v.recorded_by,
                    v.recorded_organisation
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
                r.get::<_, String>(18)?,
                [r.get::<_, Option<String>>(19)?, r.get(20)?, r.get(21)?],
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
                sensitivity,
                [recorded_at, recorded_by, recorded_organisation],
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
                recorded: VersionRecorded {
                    at: opt_date_time(recorded_at)?,
                    by: recorded_by,
                    organisation: recorded_organisation,
                },
                start: parse_date(&start)?,
                last_review: opt_date(last_review)?,
                next_review: opt_date(next_review)?,
                goals: self.plan_goals(version_id)?,
                needs: self.plan_needs(version_id)?,
                actions: self.plan_actions(version_id)?,
                funding: funding.as_deref().map(enum_from_text).transpose()?,
                personal_budget_weekly: budget,
                sensitivity: crate::domain::Sensitivity::from_code(&sensitivity)
                    .unwrap_or(crate::domain::Sensitivity::Safeguarding),
                is_placeholder: false,
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
        stmt.query_map([version_id], |r| r.get(0))?
            .collect::<crate::store::Result<_>>()
    }

    fn plan_needs(&self, version_id: i64) -> Result<Vec<PlanNeed>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT description, is_eligible, need_ref FROM care_plan_need WHERE version_id = ?1 ORDER BY position",
        )?;
        stmt.query_map([version_id], |r| {
            Ok(PlanNeed {
                need_ref: r.get(2)?,
                description: r.get(0)?,
                is_eligible: r.get(1)?,
            })
        })?
        .collect::<crate::store::Result<_>>()
    }

    fn plan_actions(&self, version_id: i64) -> Result<Vec<PlanAction>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT description, responsible_party, responsible_name, meets, due, status FROM care_plan_action
             WHERE version_id = ?1 ORDER BY position",
        )?;
        let rows = stmt.query_map([version_id], |r| {
            Ok((
                [r.get::<_, String>(0)?, r.get(1)?, r.get(5)?],
                r.get::<_, Option<String>>(2)?,
                r.get::<_, Option<String>>(3)?,
                r.get::<_, Option<String>>(4)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let ([description, party, status], responsible_name, meets, due) = row?;
            out.push(PlanAction {
                description,
                responsible_party: enum_from_text(&party)?,
                responsible_name,
                meets: crate::store::codec::meets_from_text(meets.as_deref())?,
                due: opt_date(due)?,
                status: enum_from_text(&status)?,
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
fn demographics_row(r: &Row, first: usize) -> crate::store::Result<RawDemographics> {
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
