//! The matching queue in the store: candidates for a record without a valid NHS
//! number, confirming a match (moving its records to the person), undoing one, and
//! "not the same person".

use crate::store::engine::{OptionalExtension, params};
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

use super::codec::{date_text, date_time_text, parse_date_time};
use super::query::PersonSummary;
use super::{AuditEvent, Result, Store, StoreError};
use crate::domain::matching::{MatchScore, offered, score};

#[derive(Debug, Clone, PartialEq)]
pub struct MatchCandidate {
    pub person: PersonSummary,
    pub score: MatchScore,
    /// The sources that state the candidate's demographics.
    pub sources: Vec<String>,
    /// The sources that state the record's (the same for every candidate of it).
    pub record_sources: Vec<String>,
}

fn source_names(p: &crate::domain::Person) -> Vec<String> {
    let mut out: Vec<String> = p.by_source.iter().map(|(s, _)| s.clone()).collect();
    out.dedup();
    out
}

#[derive(Debug, Clone, PartialEq)]
pub struct PersonLink {
    pub id: i64,
    pub from_person_id: i64,
    pub to_person_id: i64,
    pub linked_at: NaiveDateTime,
    pub linked_by: String,
    pub is_undone: bool,
}

/// What a link moved, kept so it can be undone exactly (`person_link.moved`; its
/// ids are remapped when a database is moved, `move_db`).
#[derive(Debug, Default, Serialize, Deserialize)]
pub(super) struct Moved {
    pub(super) episodes: Vec<i64>,
    pub(super) care_plans: Vec<i64>,
    pub(super) identifiers: Vec<(String, String)>,
    pub(super) demographic_sources: Vec<String>,
}

impl Store {
    /// People with a valid NHS number who may be this record, best first, each with
    /// its score and the fields that matched. Found by family name, date of birth (or
    /// with day and month swapped) or postcode, then scored.
    pub fn match_candidates(&self, person_id: i64, limit: usize) -> Result<Vec<MatchCandidate>> {
        let record = self.person_record(person_id)?.person;
        let d = &record.demographics;
        let dob = d.date_of_birth.map(date_text);
        let swapped = d.date_of_birth.and_then(|b| {
            use chrono::Datelike;
            chrono::NaiveDate::from_ymd_opt(b.year(), b.day(), b.month()).map(date_text)
        });
        let mut stmt = self.conn.prepare_cached(
            "SELECT id FROM person WHERE nhs_number IS NOT NULL AND merged_into IS NULL AND id != ?1
               AND (family_name_key = ?2 OR date_of_birth = ?3 OR date_of_birth = ?4 OR postcode = ?5)
               AND id NOT IN (SELECT candidate_id FROM match_rejection WHERE person_id = ?1)
             LIMIT 500",
        )?;
        let ids: Vec<i64> = stmt
            .query_map(
                params![
                    person_id,
                    super::codec::name_key(&d.family_name),
                    dob,
                    swapped,
                    d.postcode
                ],
                |r| r.get(0),
            )?
            .collect::<crate::store::Result<_>>()?;
        let mut out = Vec::new();
        for id in ids {
            let candidate = self.person_record(id)?.person;
            let s = score(d, &candidate.demographics);
            if offered(&s) {
                let nhs = candidate.nhs_number;
                let summary = self.find_by_nhs_number(nhs.ok_or(StoreError::NoSuchPerson(id))?)?;
                if let Some(person) = summary {
                    out.push(MatchCandidate {
                        person,
                        score: s,
                        sources: source_names(&candidate),
                        record_sources: source_names(&record),
                    });
                }
            }
        }
        out.sort_by_key(|c| std::cmp::Reverse(c.score.score));
        out.truncate(limit);
        Ok(out)
    }

    /// Confirm that `from` (a record without a valid NHS number) is `to`: its
    /// episodes, plans, identifiers and demographic statements move to `to`.
    /// `audit` is written in the same transaction.
    pub fn link_person(&mut self, from: i64, to: i64, audit: &AuditEvent) -> Result<i64> {
        let (actor, at) = (audit.actor.as_str(), audit.at);
        let tx = self.conn.transaction(true)?;
        let mut moved = Moved::default();
        let ids = |sql: &str| -> Result<Vec<i64>> {
            let mut stmt = tx.prepare(sql)?;
            let v = stmt
                .query_map([from], |r| r.get(0))?
                .collect::<crate::store::Result<Vec<i64>>>()?;
            Ok(v)
        };
        moved.episodes = ids("SELECT id FROM episode WHERE person_id = ?1")?;
        moved.care_plans = ids("SELECT id FROM care_plan WHERE person_id = ?1")?;
        {
            let mut stmt = tx.prepare("SELECT source, local_id FROM person_identifier WHERE person_id = ?1")?;
            moved.identifiers = stmt
                .query_map([from], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<crate::store::Result<_>>()?;
            let mut stmt = tx.prepare(
                "SELECT source FROM person_demographics WHERE person_id = ?1
                   AND source NOT IN (SELECT source FROM person_demographics WHERE person_id = ?2)",
            )?;
            moved.demographic_sources = stmt
                .query_map(params![from, to], |r| r.get(0))?
                .collect::<crate::store::Result<_>>()?;
        }
        tx.execute(
            "UPDATE episode SET person_id = ?2 WHERE person_id = ?1",
            params![from, to],
        )?;
        tx.execute(
            "UPDATE care_plan SET person_id = ?2 WHERE person_id = ?1",
            params![from, to],
        )?;
        tx.execute(
            "UPDATE person_identifier SET person_id = ?2 WHERE person_id = ?1",
            params![from, to],
        )?;
        for source in &moved.demographic_sources {
            tx.execute(
                "UPDATE person_demographics SET person_id = ?2 WHERE person_id = ?1 AND source = ?3",
                params![from, to, source],
            )?;
        }
        tx.execute("UPDATE person SET merged_into = ?2 WHERE id = ?1", params![from, to])?;
        // A restricted record's items stay restricted where they go: a sealed
        // envelope linked to a person seals that person's record (and stays so if
        // the link is undone: restriction is never lifted by the program).
        let from_restricted: bool =
            tx.query_row("SELECT is_restricted FROM person WHERE id = ?1", [from], |r| r.get(0))?;
        let mut audit = audit.clone();
        if from_restricted {
            tx.execute("UPDATE person SET is_restricted = 1 WHERE id = ?1", [to])?;
            let ledger = super::RestrictionLedger {
                people: [to].into(),
                plans: Default::default(),
            };
            audit.detail.push_str(&ledger.note());
        }
        tx.execute("DELETE FROM recent_person WHERE person_id = ?1", [from])?;
        let id: i64 = tx.query_row(
            "INSERT INTO person_link (from_person_id, to_person_id, linked_at, linked_by, moved) VALUES (?1, ?2, ?3, ?4, ?5)
             RETURNING id",
            params![from, to, date_time_text(at), actor, serde_json::to_string(&moved).unwrap_or_default()],
            |r| r.get(0),
        )?;
        super::audit::append_audit_in(&self.audit, &tx, &audit)?;
        tx.commit()?;
        self.audit.sync_anchor(&self.conn)?;
        Ok(id)
    }

    /// Undo a confirmed match: move back exactly what it moved.
    /// `audit` is written in the same transaction.
    pub fn undo_link(&mut self, link_id: i64, audit: &AuditEvent) -> Result<()> {
        let (actor, at) = (audit.actor.as_str(), audit.at);
        let tx = self.conn.transaction(true)?;
        let row: Option<(i64, i64, String, Option<String>)> = tx
            .query_row(
                "SELECT from_person_id, to_person_id, moved, undone_at FROM person_link WHERE id = ?1",
                [link_id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .optional()?;
        let Some((from, to, moved, undone)) = row else {
            return Err(StoreError::Corrupt(format!("no link {link_id}")));
        };
        if undone.is_some() {
            return Ok(());
        }
        let moved: Moved = serde_json::from_str(&moved).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        for id in &moved.episodes {
            tx.execute(
                "UPDATE episode SET person_id = ?2 WHERE id = ?1 AND person_id = ?3",
                params![id, from, to],
            )?;
        }
        for id in &moved.care_plans {
            tx.execute(
                "UPDATE care_plan SET person_id = ?2 WHERE id = ?1 AND person_id = ?3",
                params![id, from, to],
            )?;
        }
        for (source, local_id) in &moved.identifiers {
            tx.execute(
                "UPDATE person_identifier SET person_id = ?3 WHERE source = ?1 AND local_id = ?2",
                params![source, local_id, from],
            )?;
        }
        for source in &moved.demographic_sources {
            tx.execute(
                "UPDATE person_demographics SET person_id = ?2 WHERE person_id = ?1 AND source = ?3",
                params![to, from, source],
            )?;
        }
        tx.execute("UPDATE person SET merged_into = NULL WHERE id = ?1", [from])?;
        tx.execute(
            "UPDATE person_link SET undone_at = ?2, undone_by = ?3 WHERE id = ?1",
            params![link_id, date_time_text(at), actor],
        )?;
        super::audit::append_audit_in(&self.audit, &tx, audit)?;
        tx.commit()?;
        self.audit.sync_anchor(&self.conn)?;
        Ok(())
    }

    /// "Not the same person": the pair is not suggested again.
    /// `audit` is written in the same transaction.
    pub fn reject_match(&mut self, person_id: i64, candidate_id: i64, audit: &AuditEvent) -> Result<()> {
        let tx = self.conn.transaction(true)?;
        tx.execute(
            "INSERT INTO match_rejection (person_id, candidate_id, rejected_at, rejected_by) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (person_id, candidate_id) DO UPDATE SET rejected_at = excluded.rejected_at, rejected_by = excluded.rejected_by",
            params![person_id, candidate_id, date_time_text(audit.at), audit.actor],
        )?;
        super::audit::append_audit_in(&self.audit, &tx, audit)?;
        tx.commit()?;
        self.audit.sync_anchor(&self.conn)?;
        Ok(())
    }

    /// Confirmed matches, newest first.
    pub fn person_links(&self, limit: usize) -> Result<Vec<PersonLink>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, from_person_id, to_person_id, linked_at, linked_by, undone_at FROM person_link
             ORDER BY id DESC LIMIT ?1",
        )?;
        let rows = stmt.query_map([limit as i64], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get::<_, String>(3)?,
                r.get(4)?,
                r.get::<_, Option<String>>(5)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, from_person_id, to_person_id, at, linked_by, undone) = row?;
            out.push(PersonLink {
                id,
                from_person_id,
                to_person_id,
                linked_at: parse_date_time(&at)?,
                linked_by,
                is_undone: undone.is_some(),
            });
        }
        Ok(out)
    }
}
