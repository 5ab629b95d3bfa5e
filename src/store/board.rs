//! The discharge board's queries: every current inpatient with what the board shows
//! about them, gathered with a handful of set-based queries (not one per person);
//! and the coordinator's changes to a spell, each logged with who and when.

use std::collections::{HashMap, HashSet};

use chrono::{Duration, NaiveDate, NaiveDateTime};

use super::codec::{date_text, opt_date, opt_date_time, parse_date, parse_date_time};
use super::{Result, Store};
use crate::domain::NhsNumber;
use crate::domain::board::{BoardInput, BoardPerson};
use crate::domain::discharge::CtrReview;
use crate::domain::hospital::HospitalSpell;

/// Spells current as of a date (`?1`: the start of the next day): admitted before
/// then and not discharged by then. The two halves use the open-spell and
/// discharge-date indexes, so only current spells are read.
const FIND_CURRENT: &str = "INSERT INTO board_spell (id, person_id)
     SELECT e.id, e.person_id FROM episode e INDEXED BY episode_open_spell
     WHERE e.kind = 'inpatient_spell' AND e.end IS NULL AND e.start < ?1 AND e.status != 'cancelled'
     UNION ALL
     SELECT e.id, e.person_id FROM episode e INDEXED BY episode_spell_end
     WHERE e.kind = 'inpatient_spell' AND e.end >= ?1 AND e.start < ?1 AND e.status != 'cancelled'";

const CURRENT: &str = "e.id IN (SELECT id FROM board_spell)";

/// Episodes of the people who are current inpatients.
const OF_CURRENT_PEOPLE: &str = "e.person_id IN (SELECT person_id FROM board_spell)";

/// Spells discharged in a window (`?1` to `?2`), by the discharge-date index.
const FIND_DISCHARGED: &str = "INSERT INTO board_discharged (id)
     SELECT e.id FROM episode e INDEXED BY episode_spell_end
     WHERE e.kind = 'inpatient_spell' AND e.status != 'cancelled' AND e.end >= ?1 AND e.end < ?2";

/// One logged change to a spell: who, when, what, from and to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpellChangeRecord {
    pub episode_id: i64,
    pub at: NaiveDateTime,
    pub actor: String,
    pub field: String,
    pub old_value: Option<String>,
    pub new_value: Option<String>,
}

fn next_day(d: NaiveDate) -> String {
    format!("{}T00:00:00", date_text(d + Duration::days(1)))
}

impl Store {
    /// Everyone in hospital as of `as_of`, and the spells discharged in the 30 days
    /// before it (for the on-DRD share).
    pub fn board_inputs(&self, as_of: NaiveDate) -> Result<(Vec<BoardInput>, Vec<HospitalSpell>)> {
        let until = next_day(as_of);
        self.conn.execute_batch(
            "CREATE TEMP TABLE IF NOT EXISTS board_spell (id INTEGER PRIMARY KEY, person_id INTEGER NOT NULL);
             CREATE TEMP TABLE IF NOT EXISTS board_discharged (id INTEGER PRIMARY KEY);
             DELETE FROM board_spell;
             DELETE FROM board_discharged;",
        )?;
        self.conn.prepare_cached(FIND_CURRENT)?.execute([&until])?;
        self.conn.analyze_working_table("board_spell")?;
        let spells = self.spells_where(CURRENT, &[])?;
        let people = self.board_people()?;
        // Known to social care: any social care item (read from the index alone). The
        // board's rules need only the services and requests themselves.
        let known: HashSet<i64> = self
            .conn
            .prepare_cached(&format!(
                "SELECT DISTINCT e.person_id FROM episode e WHERE e.sector = 'social_care' AND {OF_CURRENT_PEOPLE}"
            ))?
            .query_map([], |r| r.get(0))?
            .collect::<crate::store::Result<_>>()?;
        let mut social: HashMap<i64, Vec<crate::domain::Episode>> = HashMap::new();
        let condition = format!(
            "e.sector = 'social_care' AND e.kind IN ('social_care_service', 'social_care_request') AND {OF_CURRENT_PEOPLE}"
        );
        for (person_id, e) in self.episodes_where_without_files(&condition, &[])? {
            social.entry(person_id).or_default().push(e);
        }
        let mut chc: HashMap<i64, Vec<crate::domain::ChcAssessment>> = HashMap::new();
        for (person_id, a) in self.chc_where_from_assessments(OF_CURRENT_PEOPLE, &[])? {
            chc.entry(person_id).or_default().push(a);
        }
        // Restricted people and stays in a sensitive category: counted, held back.
        let restricted: HashSet<i64> = self
            .conn
            .prepare_cached(
                "SELECT t.id FROM board_spell t CROSS JOIN episode e ON e.id = t.id
                 CROSS JOIN person p ON p.id = e.person_id
                 WHERE e.sensitivity <> 'normal' OR p.is_restricted <> 0",
            )?
            .query_map([], |r| r.get(0))?
            .collect::<crate::store::Result<_>>()?;
        let mut inputs = Vec::with_capacity(spells.len());
        for (person_id, spell) in spells {
            let Some(person) = people.get(&person_id) else { continue };
            inputs.push(BoardInput {
                is_restricted: restricted.contains(&spell.episode_id),
                person: person.clone(),
                spell,
                social_care: social.get(&person_id).cloned().unwrap_or_default(),
                is_known_to_social_care: known.contains(&person_id),
                chc: chc.get(&person_id).cloned().unwrap_or_default(),
            });
        }
        let from = format!(
            "{}T00:00:00",
            date_text(as_of - Duration::days(crate::domain::discharge::ON_DRD_WINDOW_DAYS - 1))
        );
        self.conn.prepare_cached(FIND_DISCHARGED)?.execute([&from, &until])?;
        self.conn.analyze_working_table("board_discharged")?;
        let discharged = self.discharged_drd_facts()?;
        Ok((inputs, discharged))
    }

    /// What the on-DRD share needs of each recently discharged spell: its discharge,
    /// recorded DRD and status, and its criteria-to-reside reviews. Lean on purpose:
    /// a month of discharges in a large area is thousands of spells.
    fn discharged_drd_facts(&self) -> Result<Vec<HospitalSpell>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT t.id, e.start, e.end, h.discharge_ready_date, h.meets_criteria_to_reside
             FROM board_discharged t CROSS JOIN episode e ON e.id = t.id
             CROSS JOIN hospital_spell h ON h.episode_id = t.id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Option<String>>(2)?,
                r.get::<_, Option<String>>(3)?,
                r.get::<_, Option<bool>>(4)?,
            ))
        })?;
        let mut spells: HashMap<i64, HospitalSpell> = HashMap::new();
        for row in rows {
            let (id, start, end, drd, meets) = row?;
            spells.insert(
                id,
                HospitalSpell {
                    episode_id: id,
                    admitted: Some(parse_date_time(&start)?),
                    discharged: opt_date_time(end)?,
                    discharge_ready_date: opt_date(drd)?,
                    meets_criteria_to_reside: meets,
                    ..Default::default()
                },
            );
        }
        let mut stmt = self.conn.prepare_cached(
            "SELECT r.episode_id, r.date, r.meets, r.code
             FROM board_discharged t CROSS JOIN ctr_review r ON r.episode_id = t.id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, bool>(2)?,
                r.get::<_, Option<String>>(3)?,
            ))
        })?;
        for row in rows {
            let (id, date, meets, code) = row?;
            if let Some(s) = spells.get_mut(&id) {
                s.ctr_reviews.push(CtrReview {
                    date: parse_date(&date)?,
                    meets,
                    code,
                });
            }
        }
        Ok(spells.into_values().collect())
    }

    fn board_people(&self) -> Result<HashMap<i64, BoardPerson>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT p.id, p.nhs_number, p.given_name, p.family_name, p.allocated_worker FROM person p
             WHERE p.id IN (SELECT person_id FROM board_spell)",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, Option<String>>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, Option<String>>(4)?,
            ))
        })?;
        let mut out = HashMap::new();
        for row in rows {
            let (id, nhs, given, family, worker) = row?;
            let display_name = crate::domain::person::display_name(&given, &family);
            out.insert(
                id,
                BoardPerson {
                    person_id: id,
                    nhs_number: nhs.as_deref().and_then(|n| NhsNumber::parse(n).ok()),
                    display_name,
                    allocated_worker: worker,
                },
            );
        }
        Ok(out)
    }

    /// The change log of every spell of a person, newest first.
    pub fn spell_changes_for_person(&self, person_id: i64) -> Result<Vec<SpellChangeRecord>> {
        self.spell_changes_where("e.person_id = ?1", person_id)
    }

    /// The change log of one spell, newest first.
    pub fn spell_changes(&self, episode_id: i64) -> Result<Vec<SpellChangeRecord>> {
        self.spell_changes_where("c.episode_id = ?1", episode_id)
    }

    fn spell_changes_where(&self, condition: &str, id: i64) -> Result<Vec<SpellChangeRecord>> {
        let sql = format!(
            "SELECT c.episode_id, c.at, c.actor, c.field, c.old_value, c.new_value
             FROM spell_change c JOIN episode e ON e.id = c.episode_id WHERE {condition} ORDER BY c.id DESC"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map([id], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (episode_id, at, actor, field, old_value, new_value) = row?;
            out.push(SpellChangeRecord {
                episode_id,
                at: parse_date_time(&at)?,
                actor,
                field,
                old_value,
                new_value,
            });
        }
        Ok(out)
    }
}
