//! The desktop database's audit events, carried into the target's one chain as
//! history: each appended through the target's own append (so it is chained,
//! MAC'd with the target's key and seals what it must), keeping its original
//! time, actor, action, reason and detail, the detail marked with where it came
//! from. Two things are rewritten, because they are ids the target's verify
//! acts on: the person an event is about (the target's id for them), and the
//! restriction ledger's note (`[restricted: people …; plans …]`), so that the
//! target's `audit verify` goes on checking that everyone the desktop made
//! restricted still is. Other ids in a detail ("changed hospital stay #12",
//! "import run #3") are the desktop's, as the mark says.

use crate::domain::governance::AuditAction;
use crate::store::audit::{AuditEvent, AuditKey, RestrictionLedger, append_audit_in};
use crate::store::codec::parse_date_time;
use crate::store::engine::Conn;
use crate::store::{Result, StoreError};

use super::copy::Maps;
use super::tables::Ids;

/// One event as the desktop database holds it.
struct Stored {
    id: i64,
    at: String,
    actor: String,
    action: String,
    person_id: Option<i64>,
    detail: String,
    reason: Option<String>,
}

/// Refused before anything is written: a desktop log that cleared its records
/// (a training reseed) would, carried, reset the target's restriction ledger.
pub(super) fn check_carriable(src: &Conn) -> Result<()> {
    let cleared: i64 = src.query_row(
        "SELECT count(*) FROM audit_event WHERE action = ?1",
        [AuditAction::RecordsCleared.code()],
        |r| r.get(0),
    )?;
    if cleared > 0 {
        return Err(StoreError::Refused(
            "the desktop database's records were cleared and seeded again (a training database); it cannot be moved onto a server".into(),
        ));
    }
    Ok(())
}

/// Append every desktop event, oldest first, inside the move's transaction `dst`;
/// the number carried. `origin` names the desktop database in each mark.
pub(super) fn carry_events(
    key: &AuditKey,
    src: &Conn,
    dst: &Conn,
    maps: &Maps,
    origin: &str,
    tick: &mut dyn FnMut() -> Result<()>,
) -> Result<usize> {
    let mut carried = 0;
    src.prepare("SELECT id, at, actor, action, person_id, detail, reason FROM audit_event ORDER BY id")?
        .for_each([], |r| {
            tick()?;
            let stored = Stored {
                id: r.get(0)?,
                at: r.get(1)?,
                actor: r.get(2)?,
                action: r.get(3)?,
                person_id: r.get(4)?,
                detail: r.get(5)?,
                reason: r.get(6)?,
            };
            append_audit_in(key, dst, &carried_event(&stored, maps, origin)?)?;
            carried += 1;
            Ok(())
        })?;
    Ok(carried)
}

/// The event as the target keeps it.
fn carried_event(e: &Stored, maps: &Maps, origin: &str) -> Result<AuditEvent> {
    let (text, ledger) = RestrictionLedger::split(&e.detail);
    let person_id = e.person_id.and_then(|p| maps.get(Ids::Person, p));
    let about = match (e.person_id, person_id) {
        (Some(old), None) => format!("; about desktop person #{old}, not in it now"),
        _ => String::new(),
    };
    let remapped = RestrictionLedger {
        people: ledger.people.iter().filter_map(|p| maps.get(Ids::Person, *p)).collect(),
        plans: ledger.plans.iter().filter_map(|p| maps.get(Ids::Plan, *p)).collect(),
    };
    Ok(AuditEvent {
        id: 0,
        at: parse_date_time(&e.at)?,
        actor: e.actor.clone(),
        action: e.action.clone(),
        person_id,
        detail: format!(
            "{text} [moved from {origin}: its event #{}, ids in this detail are the desktop's{about}]{}",
            e.id,
            remapped.note()
        ),
        reason: e.reason.clone(),
    })
}
