//! The returns' queries (issue 18): the inpatient spells of a span of days with
//! every delay reason (open and closed) and the person behind each, for the sitrep,
//! its weekly view and trends; and the social care events of a reporting period
//! with their people, for the CLD return. Facts only: the rules are in
//! `domain::returns`, the disclosure policy and audit in `service::returns`. Written
//! once for both engines, with set-based queries over small working tables.

use std::collections::{HashMap, HashSet};

use chrono::{Duration, NaiveDate};

use super::codec::{date_text, enum_from_text, opt_date, parse_date};
use super::{Result, Store, StoreError};
use crate::domain::hospital::{Attribution, DelayReason};
use crate::domain::returns::cld::CldPerson;
use crate::domain::returns::{ReasonSpan, ReturnPerson, SpellFacts};
use crate::domain::{Demographics, Episode, LocalId, NhsNumber};

/// Spells in hospital at some time from `?2` (the first day's midnight) to before
/// `?1` (the midnight after the last day), by the open-spell and discharge-date
/// indexes as the board finds them.
const FIND_SPELLS: &str = "INSERT INTO return_spell (id, person_id)
     SELECT e.id, e.person_id FROM episode e INDEXED BY episode_open_spell
     WHERE e.kind = 'inpatient_spell' AND e.end IS NULL AND e.start < ?1 AND e.status != 'cancelled'
     UNION ALL
     SELECT e.id, e.person_id FROM episode e INDEXED BY episode_spell_end
     WHERE e.kind = 'inpatient_spell' AND e.end >= ?2 AND e.start < ?1 AND e.status != 'cancelled'";

/// Social care events overlapping the period (`?1`: the midnight after its last
/// day, `?2`: its first day's midnight), cancelled ones included (counted as left out).
const CLD_EVENTS: &str = "e.sector = 'social_care' AND e.start < ?1 AND (e.end IS NULL OR e.end >= ?2)";

/// The people with social care events in a period, and the events (with their
/// person's store id).
pub type CldFacts = (Vec<CldPerson>, Vec<(i64, Episode)>);

fn midnight(d: NaiveDate) -> String {
    format!("{}T00:00:00", date_text(d))
}

impl Store {
    /// Every inpatient spell in hospital at some time from `from` to `to`, with its
    /// person, reviews and every delay reason.
    pub fn return_spells(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<SpellFacts>> {
        let (until, since) = (midnight(to + Duration::days(1)), midnight(from));
        self.conn.execute_batch(
            "CREATE TEMP TABLE IF NOT EXISTS return_spell (id INTEGER PRIMARY KEY, person_id INTEGER NOT NULL);
             DELETE FROM return_spell;",
        )?;
        self.conn.prepare_cached(FIND_SPELLS)?.execute([&until, &since])?;
        self.conn.analyze_working_table("return_spell")?;
        let spells = self.spells_where("e.id IN (SELECT id FROM return_spell)", &[])?;
        let people = self.return_people()?;
        let mut reasons = self.return_reasons()?;
        let restricted: HashSet<i64> = self
            .conn
            .prepare_cached(
                "SELECT t.id FROM return_spell t CROSS JOIN episode e ON e.id = t.id
                 CROSS JOIN person p ON p.id = e.person_id
                 WHERE e.sensitivity <> 'normal' OR p.is_restricted <> 0",
            )?
            .query_map([], |r| r.get(0))?
            .collect::<Result<_>>()?;
        let mut out = Vec::with_capacity(spells.len());
        for (person_id, mut spell) in spells {
            let Some(person) = people.get(&person_id) else { continue };
            spell.delay_reasons.clear();
            out.push(SpellFacts {
                person: person.clone(),
                reasons: reasons.remove(&spell.episode_id).unwrap_or_default(),
                is_restricted: restricted.contains(&spell.episode_id),
                spell,
            });
        }
        Ok(out)
    }

    fn return_people(&self) -> Result<HashMap<i64, ReturnPerson>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT p.id, p.nhs_number, p.given_name, p.family_name, p.date_of_birth FROM person p
             WHERE p.id IN (SELECT person_id FROM return_spell)",
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
            let (id, nhs, given, family, dob) = row?;
            out.insert(
                id,
                ReturnPerson {
                    person_id: id,
                    nhs_number: nhs.as_deref().and_then(|n| NhsNumber::parse(n).ok()),
                    display_name: crate::domain::person::display_name(&given, &family),
                    date_of_birth: opt_date(dob)?,
                },
            );
        }
        Ok(out)
    }

    /// Every delay reason of the working spells, open and closed, by spell.
    fn return_reasons(&self) -> Result<HashMap<i64, Vec<ReasonSpan>>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT d.episode_id, d.id, d.code, d.description, d.attribution, d.since, d.owner, d.closed_on
             FROM return_spell t CROSS JOIN delay_reason d ON d.episode_id = t.id ORDER BY d.since, d.id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                [r.get::<_, i64>(0)?, r.get(1)?],
                [r.get::<_, String>(2)?, r.get(3)?, r.get(4)?, r.get(5)?],
                [r.get::<_, Option<String>>(6)?, r.get(7)?],
            ))
        })?;
        let mut out: HashMap<i64, Vec<ReasonSpan>> = HashMap::new();
        for row in rows {
            let ([episode_id, id], [code, description, attribution, since], [owner, closed]) = row?;
            let attribution = Attribution::from_code(&attribution)
                .ok_or_else(|| StoreError::Corrupt(format!("attribution {attribution:?}")))?;
            out.entry(episode_id).or_default().push(ReasonSpan {
                reason: DelayReason {
                    id,
                    code,
                    description,
                    attribution,
                    since: parse_date(&since)?,
                    owner,
                },
                closed_on: opt_date(closed)?,
            });
        }
        Ok(out)
    }

    /// The social care events overlapping `from` to `to` (each with its person's
    /// store id) and the people they belong to, with their local ids.
    pub fn cld_events(&self, from: NaiveDate, to: NaiveDate) -> Result<CldFacts> {
        let (until, since) = (midnight(to + Duration::days(1)), midnight(from));
        let events = self.episodes_where_without_files(CLD_EVENTS, &[&until, &since])?;
        self.conn.execute_batch(
            "CREATE TEMP TABLE IF NOT EXISTS return_cld_person (id INTEGER PRIMARY KEY);
             DELETE FROM return_cld_person;",
        )?;
        let insert =
            format!("INSERT INTO return_cld_person (id) SELECT DISTINCT e.person_id FROM episode e WHERE {CLD_EVENTS}");
        self.conn.prepare_cached(&insert)?.execute([&until, &since])?;
        self.conn.analyze_working_table("return_cld_person")?;
        let mut ids: HashMap<i64, Vec<LocalId>> = HashMap::new();
        let mut stmt = self.conn.prepare_cached(
            "SELECT i.person_id, i.source, i.local_id FROM return_cld_person t
             CROSS JOIN person_identifier i ON i.person_id = t.id ORDER BY i.person_id, i.source, i.local_id",
        )?;
        for row in stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get(2)?)))? {
            let (person_id, source, id) = row?;
            ids.entry(person_id).or_default().push(LocalId { source, id });
        }
        let people = self.cld_people(&mut ids)?;
        Ok((people, events))
    }

    fn cld_people(&self, ids: &mut HashMap<i64, Vec<LocalId>>) -> Result<Vec<CldPerson>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT p.id, p.nhs_number, p.given_name, p.family_name, p.date_of_birth, p.date_of_death, p.sex,
                    p.postcode, p.gp_practice, p.is_restricted
             FROM return_cld_person t CROSS JOIN person p ON p.id = t.id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, Option<String>>(1)?,
                [r.get::<_, String>(2)?, r.get(3)?, r.get(6)?],
                [r.get::<_, Option<String>>(4)?, r.get(5)?, r.get(7)?, r.get(8)?],
                r.get::<_, bool>(9)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, nhs, [given_name, family_name, sex], [dob, dod, postcode, gp_practice], is_restricted) = row?;
            out.push(CldPerson {
                person_id: id,
                nhs_number: nhs.as_deref().and_then(|n| NhsNumber::parse(n).ok()),
                local_ids: ids.remove(&id).unwrap_or_default(),
                demographics: Demographics {
                    given_name,
                    family_name,
                    date_of_birth: opt_date(dob)?,
                    date_of_death: opt_date(dod)?,
                    sex: enum_from_text(&sex).unwrap_or_default(),
                    address: None,
                    postcode,
                    gp_practice,
                    allocated_worker: None,
                },
                is_restricted,
            });
        }
        Ok(out)
    }
}
