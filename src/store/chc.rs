//! CHC in the store: assessments a coordinator records in the app, and the caseload
//! (everyone with CHC assessments, for the domain to stage).

use crate::store::engine::{OptionalExtension, params};

use super::codec::{date_text, date_time_text};
use super::{AuditEvent, Result, Store, StoreError};
use crate::domain::chc::{ChcAssessment, ChcAssessmentKind, IcbDecision};
use crate::domain::{EpisodeKind, NhsNumber};

/// The source name for assessments recorded in the app.
pub const RECORDED_SOURCE: &str = "Recorded in joinedup";

/// One person with CHC assessments, for the caseload.
#[derive(Debug, Clone, PartialEq)]
pub struct ChcPerson {
    pub person_id: i64,
    pub nhs_number: Option<NhsNumber>,
    pub display_name: String,
    pub assessments: Vec<ChcAssessment>,
    pub is_restricted: bool,
}

impl Store {
    /// Record a Checklist, DST, Fast Track or review for a person, as an episode with
    /// its CHC facts, and `audit` (with the new episode's number), in one
    /// transaction. Returns the new episode's id.
    pub fn record_chc_assessment(
        &mut self,
        person_id: i64,
        a: &ChcAssessment,
        organisation: &str,
        audit: &AuditEvent,
    ) -> Result<i64> {
        let (actor, at) = (audit.actor.as_str(), audit.at);
        let (kind, title) = match a.kind {
            ChcAssessmentKind::Checklist => (EpisodeKind::ChcChecklist, "CHC Checklist"),
            ChcAssessmentKind::Dst => (EpisodeKind::ChcDst, "CHC Decision Support Tool"),
            ChcAssessmentKind::FastTrack => (EpisodeKind::ChcFastTrack, "CHC Fast Track"),
            ChcAssessmentKind::Review => (EpisodeKind::ChcReview, "CHC review"),
        };
        let tx = self.conn.transaction(true)?;
        tx.lock_new_items()?;
        let merged: Option<Option<i64>> = tx
            .query_row("SELECT merged_into FROM person WHERE id = ?1", [person_id], |r| {
                r.get(0)
            })
            .optional()?;
        match merged {
            None => return Err(StoreError::NoSuchPerson(person_id)),
            // The worklist and the caseload follow the person it was merged into: an
            // assessment left here would start no clock anyone sees.
            Some(Some(into)) => {
                return Err(StoreError::Refused(format!(
                    "this record was merged into person #{into}: record on the person it was merged into"
                )));
            }
            Some(None) => {}
        }
        let n: i64 = tx.query_row(
            "SELECT count(*) FROM episode WHERE source = ?1",
            [RECORDED_SOURCE],
            |r| r.get(0),
        )?;
        let source_ref = format!("CHC-{person_id}-{}-{}", at.format("%Y%m%d%H%M%S"), n + 1);
        let detail = match &a.completed_by {
            Some(by) => format!("Recorded by {actor}; completed by {by}."),
            None => format!("Recorded by {actor}."),
        };
        let episode_id: i64 = tx
            .prepare_cached(
                "INSERT INTO episode (person_id, sector, kind, title, start, \"end\", status, organisation, detail,
                sensitivity, attributes, source, source_ref, import_run_id, file_name, file_sha256, imported_at)
             VALUES (?1, 'health', ?2, ?3, ?4, NULL, 'completed', ?5, ?6, 'normal', '{}', ?7, ?8, NULL, '', '', ?9)
             RETURNING id",
            )?
            .query_row(
                params![
                    person_id,
                    kind.code(),
                    title,
                    date_time_text(a.completed_on.and_time(chrono::NaiveTime::MIN)),
                    organisation,
                    detail,
                    RECORDED_SOURCE,
                    source_ref,
                    date_time_text(at)
                ],
                |r| r.get::<_, i64>(0),
            )?;
        super::apply::insert_chc(&tx, episode_id, a)?;
        let mut event = audit.clone();
        event.detail = format!("{} #{episode_id}", event.detail);
        super::audit::append_audit_in(&self.audit, &tx, &event)?;
        tx.commit()?;
        self.audit.sync_anchor(&self.conn)?;
        Ok(episode_id)
    }

    /// Record the ICB's decision on assessment `episode_id`, and `audit`, in one
    /// transaction. `earlier` is the decision the caller saw (`None`: none was
    /// recorded): if another was stored since, nothing is written and the caller is
    /// told to reload. On a server an app role writes through the view's trigger
    /// (PostgreSQL 0016), which refuses an assessment held back from them.
    pub fn record_chc_decision(
        &mut self,
        episode_id: i64,
        earlier: Option<&IcbDecision>,
        decision: &IcbDecision,
        audit: &AuditEvent,
    ) -> Result<()> {
        let tx = self.conn.transaction(true)?;
        let stored: Option<Option<String>> = tx
            .query_row(
                "SELECT icb_decision_date FROM chc_assessment WHERE episode_id = ?1",
                [episode_id],
                |r| r.get(0),
            )
            .optional()?;
        let Some(stored) = stored else {
            return Err(StoreError::Refused(format!("no CHC assessment #{episode_id}")));
        };
        if stored != earlier.map(|d| date_text(d.date)) {
            return Err(StoreError::Stale(
                "the ICB decision on this assessment was recorded by someone else meanwhile; reload".into(),
            ));
        }
        let changed = tx.execute(
            "UPDATE chc_assessment SET icb_decision_date = ?2, icb_decision_eligible = ?3,
                icb_decision_note = ?4, icb_decision_by = ?5
             WHERE episode_id = ?1",
            params![
                episode_id,
                date_text(decision.date),
                decision.is_eligible,
                decision.note,
                decision.decided_by
            ],
        )?;
        if changed != 1 {
            return Err(StoreError::Refused(format!("no CHC assessment #{episode_id}")));
        }
        super::audit::append_audit_in(&self.audit, &tx, audit)?;
        tx.commit()?;
        self.audit.sync_anchor(&self.conn)?;
        Ok(())
    }

    /// Everyone with at least one CHC assessment, with all of their assessments.
    pub fn chc_people(&self) -> Result<Vec<ChcPerson>> {
        let mut people: std::collections::BTreeMap<i64, ChcPerson> = std::collections::BTreeMap::new();
        let mut stmt = self.conn.prepare_cached(
            "SELECT p.id, p.nhs_number, p.given_name, p.family_name, p.is_restricted FROM person p
             WHERE p.id IN (SELECT e.person_id FROM chc_assessment c JOIN episode e ON e.id = c.episode_id)",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, Option<String>>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, bool>(4)?,
            ))
        })?;
        for row in rows {
            let (id, nhs, given, family, is_restricted) = row?;
            let display_name = crate::domain::person::display_name(&given, &family);
            people.insert(
                id,
                ChcPerson {
                    person_id: id,
                    nhs_number: nhs.as_deref().and_then(|n| NhsNumber::parse(n).ok()),
                    display_name,
                    assessments: Vec::new(),
                    is_restricted,
                },
            );
        }
        for (person_id, a) in self.chc_where("1 = 1", &[])? {
            if let Some(p) = people.get_mut(&person_id) {
                p.assessments.push(a);
            }
        }
        Ok(people.into_values().collect())
    }
}
