//! People in an import: found by NHS number or local id, created when new, their
//! demographics kept per source.

use std::collections::HashMap;

use crate::store::engine::{Conn, OptionalExtension, params};
use chrono::NaiveDateTime;

use super::RunContext;
use crate::domain::Demographics;
use crate::domain::batch::{ImportSummary, PersonEntry, PersonKey};
use crate::store::Result;
use crate::store::codec::{date_text, date_time_text, enum_text, name_key};
use crate::store::name_words::write_name_words;

/// Find the person a key names, creating a bare record for an unknown one.
pub(super) fn resolve(
    tx: &Conn,
    known: &mut HashMap<PersonKey, i64>,
    key: &PersonKey,
    ctx: &RunContext,
    summary: &mut ImportSummary,
) -> Result<i64> {
    let imported_at = ctx.imported_at;
    if let Some(id) = known.get(key) {
        return Ok(*id);
    }
    let id = match find_person(tx, key)? {
        Some(id) => id,
        None => {
            let id = insert_person_row(
                tx,
                nhs_of(key).as_deref(),
                &Demographics::default(),
                &[],
                false,
                imported_at,
            )?;
            if let PersonKey::Local(l) = key {
                tx.prepare_cached(
                    "INSERT INTO person_identifier (person_id, source, local_id) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING",
                )?
                .execute(params![id, l.source, l.id])?;
            }
            summary.people_added += 1;
            id
        }
    };
    known.insert(key.clone(), id);
    Ok(id)
}

pub(super) fn nhs_of(key: &PersonKey) -> Option<String> {
    match key {
        PersonKey::Nhs(n) => Some(n.digits()),
        PersonKey::Local(_) => None,
    }
}

pub(in crate::store) fn find_person(tx: &Conn, key: &PersonKey) -> Result<Option<i64>> {
    Ok(match key {
        // Cached: an import (and its preview) asks once per person of the file.
        PersonKey::Nhs(n) => tx
            .prepare_cached("SELECT id FROM person WHERE nhs_number = ?1")?
            .query_row([n.digits()], |r| r.get(0))
            .optional()?,
        PersonKey::Local(l) => tx
            .prepare_cached("SELECT person_id FROM person_identifier WHERE source = ?1 AND local_id = ?2")?
            .query_row(params![l.source, l.id], |r| r.get(0))
            .optional()?,
    })
}

/// A person found for an entry, with what decides which of their updates apply.
struct Found {
    id: i64,
    /// Created from a reference, with no name yet.
    bare: bool,
    has_nhs_number: bool,
}

/// As [`find_person`], with the person's state, in the same round trip.
fn found_person(tx: &Conn, key: &PersonKey) -> Result<Option<Found>> {
    const STATE: &str = "p.id, CASE WHEN p.given_name = '' AND p.family_name = '' THEN 1 ELSE 0 END,
        CASE WHEN p.nhs_number IS NULL THEN 0 ELSE 1 END";
    let read = |r: &crate::store::engine::Row<'_>| {
        Ok(Found {
            id: r.get(0)?,
            bare: r.get::<_, i64>(1)? == 1,
            has_nhs_number: r.get::<_, i64>(2)? == 1,
        })
    };
    match key {
        PersonKey::Nhs(n) => tx
            .query_row(
                &format!("SELECT {STATE} FROM person p WHERE p.nhs_number = ?1"),
                [n.digits()],
                read,
            )
            .optional(),
        PersonKey::Local(l) => tx
            .query_row(
                &format!(
                    "SELECT {STATE} FROM person_identifier i JOIN person p ON p.id = i.person_id
                     WHERE i.source = ?1 AND i.local_id = ?2"
                ),
                params![l.source, l.id],
                read,
            )
            .optional(),
    }
}

/// A statement whose local id is held for someone with another NHS number than
/// the one it gives names two people (a hospital number of one patient beside the
/// NHS number of another): neither is right to file it on, so it is refused.
fn refuse_two_peoples_ids(tx: &Conn, e: &PersonEntry) -> Result<()> {
    let Some(n) = e.nhs_number else {
        return Ok(());
    };
    for l in &e.local_ids {
        let held: Option<Option<String>> = tx
            .query_row(
                "SELECT p.nhs_number FROM person_identifier i JOIN person p ON p.id = i.person_id
                 WHERE i.source = ?1 AND i.local_id = ?2",
                params![l.source, l.id],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(Some(other)) = held
            && other != n.digits()
        {
            return Err(crate::store::StoreError::Refused(format!(
                "the {} id in this statement is held for a person with another NHS number than the one it gives: two people's identifiers, not filed on either (check the identities in the source)",
                l.source
            )));
        }
    }
    Ok(())
}

pub(super) fn insert_person_row(
    tx: &Conn,
    nhs: Option<&str>,
    d: &Demographics,
    alerts: &[String],
    is_restricted: bool,
    imported_at: NaiveDateTime,
) -> Result<i64> {
    tx.prepare_cached(
        "INSERT INTO person (nhs_number, given_name, family_name, given_name_key, family_name_key,
            date_of_birth, date_of_death, sex, address, postcode, gp_practice, allocated_worker,
            alerts, is_restricted, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15) RETURNING id",
    )?
    .query_row(
        params![
            nhs,
            d.given_name,
            d.family_name,
            name_key(&d.given_name),
            name_key(&d.family_name),
            d.date_of_birth.map(date_text),
            d.date_of_death.map(date_text),
            enum_text(&d.sex),
            d.address,
            d.postcode,
            d.gp_practice,
            d.allocated_worker,
            serde_json::to_string(alerts).unwrap_or_else(|_| "[]".into()),
            is_restricted,
            date_time_text(imported_at),
        ],
        |r| r.get(0),
    )
    .and_then(|id| {
        write_name_words(tx, id, &d.given_name, &d.family_name, true)?;
        Ok(id)
    })
}

/// The stored person a statement is filed on: found by its key, then its NHS
/// number, then each of its local ids (the import's preview asks the same).
pub(in crate::store) fn find_existing(tx: &Conn, e: &PersonEntry) -> Result<Option<i64>> {
    let mut existing = find_person(tx, &e.key)?;
    if existing.is_none()
        && let Some(n) = e.nhs_number
    {
        existing = find_person(tx, &PersonKey::Nhs(n))?;
    }
    if existing.is_none() {
        for l in &e.local_ids {
            existing = find_person(tx, &PersonKey::Local(l.clone()))?;
            if existing.is_some() {
                break;
            }
        }
    }
    Ok(existing)
}

/// Returns the person's id and whether they were new. A person first seen without
/// demographics (only referenced) takes the first demographics that arrive; after
/// that each source's statement is kept beside the others.
pub(super) fn upsert_person(tx: &Conn, e: &PersonEntry, imported_at: NaiveDateTime) -> Result<(i64, bool)> {
    refuse_two_peoples_ids(tx, e)?;
    // The entry's key, then its NHS number, then each local id (each looked up
    // once: the key is often one of them).
    let mut keys = vec![e.key.clone()];
    keys.extend(e.nhs_number.map(PersonKey::Nhs));
    keys.extend(e.local_ids.iter().cloned().map(PersonKey::Local));
    let mut existing = None;
    for (i, key) in keys.iter().enumerate() {
        if keys[..i].contains(key) {
            continue;
        }
        existing = found_person(tx, key)?;
        if existing.is_some() {
            break;
        }
    }
    let (id, added) = match existing {
        Some(found) => {
            let id = found.id;
            let d = &e.demographics;
            // Fill a bare record (created from a reference) from the first real
            // statement; a record with a name is never bare again.
            let filled = if !found.bare {
                0
            } else {
                tx.prepare_cached(
                    "UPDATE person SET given_name = ?2, family_name = ?3, given_name_key = ?4, family_name_key = ?5,
                    date_of_birth = ?6, date_of_death = ?7, sex = ?8, address = ?9, postcode = ?10,
                    gp_practice = ?11, allocated_worker = ?12
                 WHERE id = ?1 AND given_name = '' AND family_name = ''
                   AND NOT EXISTS (SELECT 1 FROM person_demographics WHERE person_id = ?1)",
                )?
                .execute(params![
                    id,
                    d.given_name,
                    d.family_name,
                    name_key(&d.given_name),
                    name_key(&d.family_name),
                    d.date_of_birth.map(date_text),
                    d.date_of_death.map(date_text),
                    enum_text(&d.sex),
                    d.address,
                    d.postcode,
                    d.gp_practice,
                    d.allocated_worker,
                ])?
            };
            if filled > 0 {
                write_name_words(tx, id, &d.given_name, &d.family_name, false)?;
            }
            if e.nhs_number.is_some() && !found.has_nhs_number {
                tx.prepare_cached("UPDATE person SET nhs_number = ?2 WHERE id = ?1 AND nhs_number IS NULL")?
                    .execute(params![id, e.nhs_number.map(|n| n.digits())])?;
            }
            (id, false)
        }
        None => (
            insert_person_row(
                tx,
                e.nhs_number.map(|n| n.digits()).as_deref(),
                &e.demographics,
                &e.alerts,
                e.is_restricted,
                imported_at,
            )?,
            true,
        ),
    };
    for l in &e.local_ids {
        tx.prepare_cached(
            "INSERT INTO person_identifier (person_id, source, local_id) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING",
        )?
        .execute(params![id, l.source, l.id])?;
    }
    let d = &e.demographics;
    tx.prepare_cached(
        "INSERT INTO person_demographics (person_id, source, given_name, family_name, date_of_birth,
            date_of_death, sex, address, postcode, gp_practice, allocated_worker)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
         ON CONFLICT (person_id, source) DO UPDATE SET
            given_name = excluded.given_name, family_name = excluded.family_name,
            date_of_birth = excluded.date_of_birth, date_of_death = excluded.date_of_death,
            sex = excluded.sex, address = excluded.address, postcode = excluded.postcode,
            gp_practice = excluded.gp_practice, allocated_worker = excluded.allocated_worker",
    )?
    .execute(params![
        id,
        e.source,
        d.given_name,
        d.family_name,
        d.date_of_birth.map(date_text),
        d.date_of_death.map(date_text),
        enum_text(&d.sex),
        d.address,
        d.postcode,
        d.gp_practice,
        d.allocated_worker,
    ])?;
    if d.allocated_worker.is_some() {
        tx.prepare_cached("UPDATE person SET allocated_worker = ?2 WHERE id = ?1")?
            .execute(params![id, d.allocated_worker])?;
    }
    if !e.alerts.is_empty() {
        // Read, added to in order without repeats, written back: one text for both engines.
        let stored: String = tx
            .prepare_cached("SELECT alerts FROM person WHERE id = ?1")?
            .query_row([id], |r| r.get(0))?;
        let mut alerts: Vec<String> = serde_json::from_str(&stored).unwrap_or_default();
        let before = alerts.len();
        for alert in &e.alerts {
            if !alerts.contains(alert) {
                alerts.push(alert.clone());
            }
        }
        if alerts.len() != before {
            tx.prepare_cached("UPDATE person SET alerts = ?2 WHERE id = ?1")?
                .execute(params![
                    id,
                    serde_json::to_string(&alerts).unwrap_or_else(|_| "[]".into())
                ])?;
        }
    }
    if e.is_restricted {
        tx.prepare_cached("UPDATE person SET is_restricted = 1 WHERE id = ?1")?
            .execute([id])?;
    }
    Ok((id, added))
}
