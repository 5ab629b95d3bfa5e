//! A care plan version whose number is already stored (hostile review: a FHIR
//! CarePlan without `meta.versionId` is version 1 every time, so a later statement
//! of it, an action reopened with a due date, was dropped without a word). The same
//! statement again adds nothing; a different one is kept as the plan's next version,
//! never dropped unseen.

use crate::domain::care_plan::CarePlan;
use crate::store::Result;
use crate::store::codec::{enum_text, meets_text, parse_date, parse_date_time};
use crate::store::engine::{Conn, params};

/// The version a statement `p` of plan `plan_id` is kept as, its number already held:
/// `None` when the version stored under that number, or the newest (a statement
/// kept before as the next version), says the same; else the next number.
pub(super) fn revision_of(tx: &Conn, plan_id: i64, p: &CarePlan) -> Result<Option<u32>> {
    if stored_matches(tx, plan_id, p, p.version)? {
        return Ok(None);
    }
    let newest = next_version(tx, plan_id)? - 1;
    if newest != p.version && stored_matches(tx, plan_id, p, newest)? {
        return Ok(None);
    }
    Ok(Some(newest + 1))
}

/// Whether the version stored under `version` of plan `plan_id` says what `p`
/// says: its dates, status, recorder, goals, needs and actions.
fn stored_matches(tx: &Conn, plan_id: i64, p: &CarePlan, version: u32) -> Result<bool> {
    // Each column read as the store reads it back (dates as text on both engines).
    type Head = (
        i64,
        String,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
    );
    let (id, status, start, last_review, next_review, recorded_at): Head = tx.query_row(
        "SELECT id, status, start, last_review, next_review, recorded_at
         FROM care_plan_version WHERE care_plan_id = ?1 AND version = ?2",
        params![plan_id, version],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)),
    )?;
    let (by, organisation): (Option<String>, Option<String>) = tx.query_row(
        "SELECT recorded_by, recorded_organisation FROM care_plan_version WHERE id = ?1",
        [id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let same_head = status == p.status
        && start.as_deref().map(parse_date).transpose()? == Some(p.start)
        && last_review.as_deref().map(parse_date).transpose()? == p.last_review
        && next_review.as_deref().map(parse_date).transpose()? == p.next_review
        && recorded_at.as_deref().map(parse_date_time).transpose()? == p.recorded.at
        && by == p.recorded.by
        && organisation == p.recorded.organisation;
    if !same_head {
        return Ok(false);
    }
    let mut stmt = tx.prepare_cached("SELECT text FROM care_plan_goal WHERE version_id = ?1 ORDER BY position")?;
    let goals: Vec<String> = stmt.query_map([id], |r| r.get(0))?.collect::<Result<_>>()?;
    let mut stmt =
        tx.prepare_cached("SELECT description, need_ref FROM care_plan_need WHERE version_id = ?1 ORDER BY position")?;
    let needs: Vec<(String, Option<String>)> = stmt
        .query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_>>()?;
    let mut stmt = tx.prepare_cached(
        "SELECT description, responsible_party, responsible_name, meets, due, status
         FROM care_plan_action WHERE version_id = ?1 ORDER BY position",
    )?;
    type ActionRow = (String, String, Option<String>, Option<String>, Option<String>, String);
    let actions: Vec<ActionRow> = stmt
        .query_map([id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?))
        })?
        .collect::<Result<_>>()?;
    let wanted_needs: Vec<(String, Option<String>)> = p
        .needs
        .iter()
        .map(|n| (n.description.clone(), n.need_ref.clone()))
        .collect();
    let mut wanted_actions = Vec::with_capacity(p.actions.len());
    for a in &p.actions {
        wanted_actions.push((
            a.description.clone(),
            enum_text(&a.responsible_party),
            a.responsible_name.clone(),
            meets_text(&a.meets),
            a.due,
            a.status.code().to_owned(),
        ));
    }
    let mut stored_actions = Vec::with_capacity(actions.len());
    for (d, party, name, meets, due, status) in actions {
        let due = due.as_deref().map(parse_date).transpose()?;
        stored_actions.push((d, party, name, meets, due, status));
    }
    Ok(goals == p.goals && needs == wanted_needs && stored_actions == wanted_actions)
}

/// The number after the plan's newest stored version.
fn next_version(tx: &Conn, plan_id: i64) -> Result<u32> {
    let newest: i64 = tx.query_row(
        "SELECT COALESCE(MAX(version), 0) FROM care_plan_version WHERE care_plan_id = ?1",
        [plan_id],
        |r| r.get(0),
    )?;
    Ok(newest as u32 + 1)
}
