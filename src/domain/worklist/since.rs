//! "Since I last looked": which events a user's worklist holds.
//!
//! - An event not yet seen by this user is shown when it is still open (a delay, a
//!   package not restarted, an overdue review), or when it happened on or after the
//!   day the user last looked. At a first look, or for a person followed since, that
//!   day is the day before (the "overnight" events) and everything still open.
//! - When nothing is unseen, the events of the user's last look come back marked
//!   seen, until something new happens.
//!
//! Seen state is per user. An acknowledgement is a seen event the user also said
//! they dealt with (kept in the record's history by the audit log).

use std::collections::{HashMap, HashSet};

use chrono::{Duration, NaiveDate};

use super::WorklistEvent;

/// At a first look (or a new follow), events from this many days back are shown
/// besides everything still open: overnight.
pub const FIRST_LOOK_DAYS: i64 = 1;

/// One user's state, as the store keeps it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LookState {
    /// The day of the user's last look (mark seen); None before the first.
    pub last_look: Option<NaiveDate>,
    /// The number of the last look's batch of seen events.
    pub last_batch: Option<i64>,
    /// (person id, event key) → the batch it was seen in.
    pub seen: HashMap<(i64, String), i64>,
    /// (person id, event key) acknowledged by this user.
    pub acknowledged: HashSet<(i64, String)>,
    /// People followed, with the day the follow began.
    pub followed_on: HashMap<i64, NaiveDate>,
}

/// An event as a user's worklist shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shown {
    pub event: WorklistEvent,
    pub seen: bool,
    pub acknowledged: bool,
}

/// The events of `events` (already detected for the caseload, in any order) this
/// user's worklist holds as of `today`, in worklist order (`super::order`).
pub fn select(events: Vec<WorklistEvent>, state: &LookState, today: NaiveDate) -> Vec<Shown> {
    let first_look = today - Duration::days(FIRST_LOOK_DAYS);
    let since_for = |person: i64| -> NaiveDate {
        let base = state.last_look.unwrap_or(first_look);
        match state.followed_on.get(&person) {
            Some(f) if state.last_look.is_none_or(|l| *f > l) => base.min(*f - Duration::days(FIRST_LOOK_DAYS)),
            _ => base,
        }
    };
    let key_of = |e: &WorklistEvent| (e.person_id, e.key.clone());
    let (unseen, seen): (Vec<_>, Vec<_>) = events.into_iter().partition(|e| !state.seen.contains_key(&key_of(e)));
    let mut shown: Vec<Shown> = unseen
        .into_iter()
        .filter(|e| e.is_open || e.date >= since_for(e.person_id))
        .map(|event| Shown {
            event,
            seen: false,
            acknowledged: false,
        })
        .collect();
    if shown.is_empty() {
        shown = seen
            .into_iter()
            .filter(|e| state.last_batch.is_some() && state.seen.get(&key_of(e)) == state.last_batch.as_ref())
            .map(|event| Shown {
                acknowledged: state.acknowledged.contains(&key_of(&event)),
                event,
                seen: true,
            })
            .collect();
    }
    shown.sort_by(|a, b| super::order(&a.event, &b.event));
    shown
}
