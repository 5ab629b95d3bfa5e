//! Items in an import: episodes (with their spell or CHC facts) and care plan
//! versions, inserted once per (source, source_ref) or brought up to date.
//!
//! An item whose (source, source_ref) is already stored for another person is
//! never "already present", never updated and never moved: it stops the import
//! ([`StoreError::Refused`]), so nothing of the file is kept and the user is
//! told which spell, visit or plan it is. A spell id reused by a hospital, or a
//! visit number given to the wrong patient, would otherwise put one person's
//! discharge on another's record.
//!
//! An update never moves a stored start later: the admission time is the earliest
//! the source has told (a later file's transfer, cancelled discharge or discharge
//! may carry only its own event time, which is not the admission).

use crate::store::engine::{Conn, OptionalExtension, params};

use super::RunContext;
use crate::domain::batch::{CarePlanEntry, EpisodeEntry};
use crate::domain::{ChcAssessment, Episode, HospitalSpell};
use crate::store::audit::seal;
use crate::store::codec::{date_text, date_time_text, enum_text};
use crate::store::{Result, StoreError};

pub(super) enum Written {
    Added,
    Updated,
    AlreadyPresent,
}

fn stored_for_another_person(what: String) -> StoreError {
    refused(format!(
        "{what} is stored for another person; nothing of this file was imported"
    ))
}

/// The import stops with this reason (nothing of the file is kept).
fn refused(reason: String) -> StoreError {
    StoreError::Refused(reason)
}

/// How the user knows the item: `spell S1 (Northgate)`, `visit V1 (NGH)`.
fn named(ctx: &RunContext, e: &Episode) -> String {
    let r = &e.provenance.source_ref;
    match (ctx.format.as_str(), r.split_once('|')) {
        ("hospital_csv", Some((org, id))) => format!("spell {id} ({org})"),
        ("hl7v2", Some((org, id))) => format!("visit {id} ({org})"),
        _ => format!("{} {r:?} from {}", e.kind.code().replace('_', " "), e.provenance.source),
    }
}

/// Insert one episode and its spell or CHC facts; or, for a source that sends
/// updates, bring the stored one up to date.
pub(super) fn insert_episode(tx: &Conn, ctx: &RunContext, person_id: i64, entry: &EpisodeEntry) -> Result<Written> {
    let e = &entry.episode;
    let inserted = tx
        .prepare_cached(
            "INSERT INTO episode (person_id, sector, kind, title, start, \"end\", status, organisation, detail,
            sensitivity, attributes, source, source_ref, import_run_id, file_name, file_sha256, imported_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)
         ON CONFLICT (source, source_ref) DO NOTHING RETURNING id",
        )?
        .query_row(
            params![
                person_id,
                e.sector().code(),
                e.kind.code(),
                e.title,
                date_time_text(e.start),
                e.end.map(date_time_text),
                e.status.code(),
                e.organisation,
                e.detail,
                e.sensitivity.code(),
                serde_json::to_string(&e.attributes).unwrap_or_else(|_| "{}".into()),
                e.provenance.source,
                e.provenance.source_ref,
                ctx.run_id,
                // The file, its SHA-256 and the time are the import run's, read through
                // import_run_id: not written again on every row.
                "",
                "",
                "",
            ],
            |r| r.get::<_, i64>(0),
        )
        .optional()?;
    let Some(episode_id) = inserted else {
        let stored = Stored::read(tx, ctx, e)?;
        if stored.person_id != person_id {
            return Err(stored_for_another_person(named(ctx, e)));
        }
        return if entry.replaces_existing {
            update_episode(tx, ctx, entry, &stored)
        } else {
            Ok(Written::AlreadyPresent)
        };
    };
    if let Some(spell) = &entry.spell {
        insert_spell(tx, episode_id, spell)?;
    }
    if let Some(chc) = &entry.chc {
        insert_chc(tx, episode_id, chc)?;
    }
    Ok(Written::Added)
}

/// An episode stored before under an entry's (source, source_ref), as one read
/// finds it: one round trip on PostgreSQL for what the checks and the seal need.
pub(super) struct Stored {
    id: i64,
    person_id: i64,
    start: String,
    /// The keyed MAC of its sealed columns, where the engine has no seal triggers.
    mac: Option<[u8; 32]>,
    /// The seal that covers it (id, digest), if it is sealed.
    seal: Option<(i64, String)>,
}

impl Stored {
    fn read(tx: &Conn, ctx: &RunContext, e: &Episode) -> Result<Stored> {
        let sql = format!(
            "SELECT e.id, e.person_id, e.start, {}, {} FROM episode e WHERE e.source = ?1 AND e.source_ref = ?2",
            seal::covering_seal_of("e"),
            seal::sealed_columns_of("e"),
        );
        tx.prepare_cached(&sql)?
            .query_row(params![e.provenance.source, e.provenance.source_ref], |r| {
                Ok(Stored {
                    id: r.get(0)?,
                    person_id: r.get(1)?,
                    start: r.get(2)?,
                    seal: match (r.get::<_, Option<i64>>(3)?, r.get::<_, Option<String>>(4)?) {
                        (Some(id), Some(digest)) => Some((id, digest)),
                        _ => None,
                    },
                    mac: match tx.seals_by_trigger() {
                        true => None,
                        false => seal::row_mac_in(&ctx.key, r, 5)?,
                    },
                })
            })
    }
}

/// Bring a stored episode (and its spell) up to the state a later message gives,
/// keeping the earlier start. Nothing changes, and it counts as already present,
/// when the state is the same.
fn update_episode(tx: &Conn, ctx: &RunContext, entry: &EpisodeEntry, stored: &Stored) -> Result<Written> {
    let e = &entry.episode;
    // A later discharge before the admission already stored is refused, not stored
    // (it would move the admission earlier and end the stay before it began).
    if let Some(end) = e.end
        && date_time_text(end) < stored.start
    {
        return Err(refused(format!(
            "{} ends at {} before its admission stored at {}; nothing of this file was imported",
            named(ctx, e),
            date_time_text(end),
            stored.start
        )));
    }
    // The row as changed, to keep its seal true where the engine has no seal triggers.
    let sql = format!(
        "UPDATE episode SET title = ?3, start = CASE WHEN ?4 < start THEN ?4 ELSE start END, \"end\" = ?5,
            status = ?6, organisation = ?7, detail = ?8, attributes = ?9, import_run_id = ?10, file_name = ?11,
            file_sha256 = ?12, imported_at = ?13, kind = ?14, sector = ?15
         WHERE source = ?1 AND source_ref = ?2
           AND (title IS DISTINCT FROM ?3 OR ?4 < start OR \"end\" IS DISTINCT FROM ?5 OR status IS DISTINCT FROM ?6
                OR organisation IS DISTINCT FROM ?7 OR detail IS DISTINCT FROM ?8 OR attributes IS DISTINCT FROM ?9
                OR kind IS DISTINCT FROM ?14)
         RETURNING {}",
        seal::SEALED_COLUMNS
    );
    let after: Vec<Option<[u8; 32]>> = tx
        .prepare_cached(&sql)?
        .query_map(
            params![
                e.provenance.source,
                e.provenance.source_ref,
                e.title,
                date_time_text(e.start),
                e.end.map(date_time_text),
                e.status.code(),
                e.organisation,
                e.detail,
                serde_json::to_string(&e.attributes).unwrap_or_else(|_| "{}".into()),
                ctx.run_id,
                "",
                "",
                "",
                // HL7 A06/A07 change the kind (an A&E attendance admitted, and back).
                e.kind.code(),
                e.sector().code(),
            ],
            |r| match tx.seals_by_trigger() {
                true => Ok(None),
                false => seal::row_mac_in(&ctx.key, r, 0),
            },
        )?
        .collect::<Result<_>>()?;
    let changed = !after.is_empty();
    if let (Some(before), Some(after)) = (stored.mac, after.first().copied().flatten()) {
        seal::swap_in_seal(tx, stored.seal.clone(), before, after)?;
    }
    if let Some(s) = &entry.spell {
        let spells = tx
            .prepare_cached(
                "UPDATE hospital_spell SET hospital = ?2, ward = ?3, admission_method = ?4, admission_source = ?5,
                discharge_method = ?6, discharge_destination = ?7,
                version = version + ?8, changed_by = CASE WHEN ?8 > 0 THEN ?9 ELSE changed_by END,
                changed_at = CASE WHEN ?8 > 0 THEN ?10 ELSE changed_at END
             WHERE episode_id = ?1",
            )?
            .execute(params![
                stored.id,
                s.hospital,
                s.ward,
                s.admission_method,
                s.admission_source,
                s.discharge_method,
                s.discharge_destination,
                // A later message that changed the stay moves it to a new revision, so an
                // edit made on what was shown before it is refused.
                i64::from(changed),
                format!("the import of {}", ctx.file_name),
                ctx.imported_at_text.as_str(),
            ])?;
        // A visit that becomes an inpatient spell (HL7 A06) gains its spell facts now;
        // one that stops being one (A07) keeps them, off the board by its kind.
        if spells == 0 {
            insert_spell(tx, stored.id, s)?;
        }
    }
    Ok(if changed {
        Written::Updated
    } else {
        Written::AlreadyPresent
    })
}

pub(super) fn insert_spell(tx: &Conn, episode_id: i64, s: &HospitalSpell) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO hospital_spell (episode_id, hospital, ward, admission_method, admission_source,
            discharge_method, discharge_destination, meets_criteria_to_reside, criteria_to_reside_code,
            discharge_ready_date, pathway, next_action, next_action_owner)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
    )?
    .execute(params![
        episode_id,
        s.hospital,
        s.ward,
        s.admission_method,
        s.admission_source,
        s.discharge_method,
        s.discharge_destination,
        s.meets_criteria_to_reside,
        s.criteria_to_reside_code,
        s.discharge_ready_date.map(date_text),
        s.pathway,
        s.next_action,
        s.next_action_owner,
    ])?;
    let mut stmt = tx.prepare_cached(
        "INSERT INTO delay_reason (episode_id, code, description, attribution, since, owner)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    for r in &s.delay_reasons {
        stmt.execute(params![
            episode_id,
            r.code,
            r.description,
            r.attribution.code(),
            date_text(r.since),
            r.owner
        ])?;
    }
    let mut stmt = tx.prepare_cached(
        "INSERT INTO ctr_review (episode_id, date, meets, code) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (episode_id, date) DO UPDATE SET meets = excluded.meets, code = excluded.code",
    )?;
    for r in &s.ctr_reviews {
        stmt.execute(params![episode_id, date_text(r.date), r.meets, r.code])?;
    }
    Ok(())
}

pub(in crate::store) fn insert_chc(tx: &Conn, episode_id: i64, a: &ChcAssessment) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO chc_assessment (episode_id, kind, completed_on, completed_by, recorded_positive,
            mdt_recommendation, icb_decision_date, icb_decision_eligible, icb_decision_note,
            icb_decision_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?
    .execute(params![
        episode_id,
        enum_text(&a.kind),
        date_text(a.completed_on),
        a.completed_by,
        a.recorded_positive,
        a.mdt_recommendation,
        a.icb_decision.as_ref().map(|d| date_text(d.date)),
        a.icb_decision.as_ref().map(|d| d.is_eligible),
        a.icb_decision.as_ref().and_then(|d| d.note.clone()),
        a.icb_decision.as_ref().and_then(|d| d.decided_by.clone()),
    ])?;
    let mut stmt = tx
        .prepare_cached("INSERT INTO chc_domain_level (episode_id, domain, level, evidence) VALUES (?1, ?2, ?3, ?4)")?;
    for (domain, level) in &a.domains {
        let note = a.evidence.iter().find(|(d, _)| d == domain).map(|(_, n)| n.as_str());
        stmt.execute(params![episode_id, enum_text(domain), level, note])?;
    }
    Ok(())
}

/// Insert a care plan version; false when that version was already stored. With
/// the plan's id.
pub(super) fn insert_care_plan(
    tx: &Conn,
    ctx: &RunContext,
    person_id: i64,
    entry: &CarePlanEntry,
) -> Result<(bool, i64)> {
    let p = &entry.plan;
    tx.prepare_cached(
        "INSERT INTO care_plan (person_id, kind, sector, title, owner, source, source_ref, sensitivity)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
         ON CONFLICT (source, source_ref) DO NOTHING",
    )?
    .execute(params![
        person_id,
        enum_text(&p.kind),
        p.sector.code(),
        p.title,
        p.owner,
        p.provenance.source,
        entry.plan_ref,
        p.sensitivity.code()
    ])?;
    let (plan_id, stored): (i64, i64) = tx.query_row(
        "SELECT id, person_id FROM care_plan WHERE source = ?1 AND source_ref = ?2",
        params![p.provenance.source, entry.plan_ref],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    if stored != person_id {
        let what = format!("care plan {:?} from {}", entry.plan_ref, p.provenance.source);
        return Err(stored_for_another_person(what));
    }
    // A version number already held: the same statement adds nothing, another is
    // kept as the next version (`plan_versions`).
    let file = [
        ctx.file_name.as_str(),
        ctx.file_sha256.as_str(),
        ctx.imported_at_text.as_str(),
    ];
    let mut version = p.version;
    let version_id = loop {
        match insert_plan_version(tx, plan_id, version, p, file, true)? {
            Some(id) => break id,
            None if version == p.version => match super::plan_versions::revision_of(tx, plan_id, p)? {
                Some(next) => version = next,
                None => return Ok((false, plan_id)),
            },
            None => return Ok((false, plan_id)),
        }
    };
    insert_plan_version_items(tx, version_id, p)?;
    Ok((true, plan_id))
}

/// Insert version `version` of plan `plan_id` as `p` states it (its dates, status,
/// funding and who recorded it), with the file it came from (name, SHA-256, time:
/// empty name and digest for a version made in joinedup) but not its goals, needs
/// and actions ([`insert_plan_version_items`]). With `skip_held`, `None` when that
/// number is held. One copy for an import and an edit in the window.
pub(in crate::store) fn insert_plan_version(
    tx: &Conn,
    plan_id: i64,
    version: u32,
    p: &crate::domain::care_plan::CarePlan,
    [file_name, file_sha256, imported_at]: [&str; 3],
    skip_held: bool,
) -> Result<Option<i64>> {
    // On a server an app role inserts through its view's trigger (PostgreSQL 0023),
    // where ON CONFLICT has no index to name: an edit checks the number under the
    // new items' lock instead, and a number held fails.
    let on_conflict = if skip_held {
        "ON CONFLICT (care_plan_id, version) DO NOTHING"
    } else {
        ""
    };
    let sql = format!(
        "INSERT INTO care_plan_version (care_plan_id, version, status, start, last_review, next_review,
        funding, personal_budget_weekly, file_name, file_sha256, imported_at, recorded_at, recorded_by,
        recorded_organisation)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14) {on_conflict} RETURNING id"
    );
    tx.prepare_cached(&sql)?
        .query_row(
            params![
                plan_id,
                version,
                p.status,
                date_text(p.start),
                p.last_review.map(date_text),
                p.next_review.map(date_text),
                p.funding.as_ref().map(enum_text),
                p.personal_budget_weekly,
                file_name,
                file_sha256,
                imported_at,
                p.recorded.at.map(date_time_text),
                p.recorded.by,
                p.recorded.organisation,
            ],
            |r| r.get::<_, i64>(0),
        )
        .optional()
}

/// The goals, needs (with their references) and actions (with the needs they
/// meet, due date and status) of version `version_id`, in `p`'s order.
pub(in crate::store) fn insert_plan_version_items(
    tx: &Conn,
    version_id: i64,
    p: &crate::domain::care_plan::CarePlan,
) -> Result<()> {
    for (i, g) in p.goals.iter().enumerate() {
        tx.prepare_cached("INSERT INTO care_plan_goal (version_id, position, text) VALUES (?1, ?2, ?3)")?
            .execute(params![version_id, i as i64, g])?;
    }
    for (i, n) in p.needs.iter().enumerate() {
        tx.prepare_cached(
            "INSERT INTO care_plan_need (version_id, position, description, is_eligible, need_ref)
             VALUES (?1, ?2, ?3, ?4, ?5)",
        )?
        .execute(params![version_id, i as i64, n.description, n.is_eligible, n.need_ref])?;
    }
    for (i, a) in p.actions.iter().enumerate() {
        tx.prepare_cached(
            "INSERT INTO care_plan_action (version_id, position, description, responsible_party, responsible_name,
             meets, due, status) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?
        .execute(params![
            version_id,
            i as i64,
            a.description,
            enum_text(&a.responsible_party),
            a.responsible_name,
            crate::store::codec::meets_text(&a.meets),
            a.due.map(date_text),
            a.status.code()
        ])?;
    }
    Ok(())
}
