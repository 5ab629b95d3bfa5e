//! A coordinator's day (issue 16): the caseload, the worklist of events since the
//! user last looked, seen and acknowledged, and follows. Events are detected by
//! `domain::worklist` on each person's whole record, chosen by the user's seen state
//! on their real keys, and then shown through the one disclosure policy
//! (`disclosure::disclose_worklist_events`): a restricted event is a placeholder
//! until a reason is given for that person.

use chrono::{NaiveDate, NaiveDateTime};
use serde_json::json;

use super::{Result, Service, ServiceError};
use crate::domain::disclosure::disclose_worklist_events;
use crate::domain::governance::AuditAction;
use crate::domain::worklist::{self, EventKind, Target, Task, Urgency, WorklistEvent};
use crate::domain::{NhsNumber, PersonRecord};
use crate::store::Coordinator;

/// A task as the worklist shows it beside its event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskRef {
    pub id: i64,
    /// "Restricted task" for a task about a restricted event, until a reason is given.
    pub title: String,
    pub status: worklist::TaskStatus,
    pub owner: String,
    pub due: Option<NaiveDate>,
}

/// One line of a worklist, as it may be shown to this user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorklistItem {
    pub person_id: i64,
    pub nhs_number: Option<NhsNumber>,
    pub name: String,
    pub kind: EventKind,
    pub date: NaiveDate,
    pub summary: String,
    pub urgency: Urgency,
    pub seen: bool,
    pub acknowledged: bool,
    /// The newest task made from this event (a done task does not hide the event).
    pub task: Option<TaskRef>,
    pub target: Target,
    /// The key to acknowledge it by (a restricted event's key names nothing).
    pub key: String,
}

/// A user's worklist as of a day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Worklist {
    pub as_of: NaiveDate,
    pub user: String,
    /// How many people are on the caseload.
    pub caseload: usize,
    pub items: Vec<WorklistItem>,
}

/// What a task reads when it is about a restricted event or person.
pub use crate::domain::disclosure::RESTRICTED_TASK;

/// An item id no record holds (ids start at 1 on both engines): an event naming it is
/// held back, as one naming an item that was not read is (`disclosure`).
const NO_ITEM: i64 = 0;

impl Worklist {
    /// The JSON the command line prints (README "Worklist JSON").
    pub fn to_json(&self) -> serde_json::Value {
        let items: Vec<_> = self
            .items
            .iter()
            .map(|i| {
                json!({
                    "nhs_number": i.nhs_number.map(|n| n.digits()),
                    "name": i.name,
                    "kind": i.kind.code(),
                    "date": i.date.format("%Y-%m-%d").to_string(),
                    "summary": i.summary,
                    "urgency": i.urgency.code(),
                    "seen": i.seen,
                    "task": i.task.as_ref().map(|t| json!({
                        "id": t.id,
                        "title": t.title,
                        "status": t.status.code(),
                        "owner": t.owner,
                        "due": t.due.map(|d| d.format("%Y-%m-%d").to_string()),
                    })),
                })
            })
            .collect();
        json!({
            "as_of": self.as_of.format("%Y-%m-%d").to_string(),
            "user": self.user,
            "items": items,
        })
    }
}

/// Every shown event's key, per caseload person.
pub(super) type ShownKeys = Vec<(i64, Vec<String>)>;

/// A worklist, its items' real keys, and every shown event's key per caseload person.
pub(super) type WorklistWithKeys = (Worklist, Vec<(i64, String)>, ShownKeys);

/// One person's events: the real ones (keys for the seen state) beside the ones
/// that may be shown, in the same order.
pub(super) struct PersonEvents {
    pub record: PersonRecord,
    pub real: Vec<WorklistEvent>,
    pub shown: Vec<WorklistEvent>,
    pub tasks: Vec<Task>,
}

impl Service {
    /// The user a worklist operation is for: `user`, or the acting user.
    fn worklist_user(&self, user: Option<&str>) -> String {
        user.map(str::to_owned).unwrap_or_else(|| self.actor.user.clone())
    }

    /// A person's events as of `as_of`: detected on the whole record, with their
    /// due tasks, then disclosed as this user may see them.
    pub(super) fn person_events(&self, person_id: i64, as_of: NaiveDate) -> Result<PersonEvents> {
        // The items detection reads, without provenance files: the worklist never shows them.
        let record = self.store.person_facts(person_id, &worklist::DETECTED_KINDS, as_of)?;
        let tasks = self.store.tasks_for_people(&[person_id])?;
        let mut real = worklist::detect(&record, as_of);
        for mut t in worklist::task_events(&tasks, as_of) {
            // A task made from an event is held back as that event is; once the event
            // is gone (a review done, a delay ended), as the items it kept from it are,
            // and when it kept none (made before they were kept), as an item the
            // record does not hold is: held back.
            let task = tasks.iter().find(|task| task_key_of(&t) == Some(task.id));
            if let Some(task) = task.filter(|task| task.event_key.is_some()) {
                let linked = real.iter().find(|e| task.event_key.as_ref() == Some(&e.key));
                match (linked, &task.event_items) {
                    (Some(e), _) => {
                        t.episode_ids = e.episode_ids.clone();
                        t.plan_ids = e.plan_ids.clone();
                        t.target = e.target;
                    }
                    (None, Some(kept)) => {
                        t.episode_ids = kept.episode_ids.clone();
                        t.plan_ids = kept.plan_ids.clone();
                    }
                    (None, None) => t.episode_ids = vec![NO_ITEM],
                }
            }
            real.push(t);
        }
        let tag = |key: &str| self.event_tag(key);
        let shown = disclose_worklist_events(&record, real.clone(), self.revealed.contains(&person_id), &tag);
        Ok(PersonEvents {
            record,
            real,
            shown,
            tasks,
        })
    }

    /// The worklist of `user` (default: the acting user) as of `as_of`, audited.
    pub fn worklist(&mut self, user: Option<&str>, as_of: NaiveDate, now: NaiveDateTime) -> Result<Worklist> {
        let user = self.worklist_user(user);
        let list = self.worklist_view(&user, as_of)?;
        let detail = format!(
            "worklist of {user} as of {}: {} people, {} events",
            as_of.format("%Y-%m-%d"),
            list.caseload,
            list.items.len()
        );
        self.audit(AuditAction::ViewWorklist, None, detail, None, now)?;
        Ok(list)
    }

    pub(super) fn worklist_view(&self, user: &str, as_of: NaiveDate) -> Result<Worklist> {
        let (list, _, _) = self.worklist_with_keys(user, as_of)?;
        Ok(list)
    }

    /// The worklist, the real key of each item (for marking them seen), and every
    /// event of the caseload as it may be shown, listed or not (person and key: what
    /// alerts take as already known when the worklist is opened).
    pub(super) fn worklist_with_keys(&self, user: &str, as_of: NaiveDate) -> Result<WorklistWithKeys> {
        let caseload = self.store.caseload(user)?;
        let ids: Vec<i64> = caseload.iter().map(|c| c.person_id).collect();
        let state = self.store.look_state(user, &ids)?;
        let mut people = std::collections::HashMap::new();
        let mut all_real = Vec::new();
        for id in &ids {
            let p = self.person_events(*id, as_of)?;
            all_real.extend(p.real.iter().cloned());
            people.insert(*id, p);
        }
        let selected = worklist::select(all_real, &state, as_of);
        let mut items = Vec::with_capacity(selected.len());
        let mut keys = Vec::with_capacity(selected.len());
        for s in selected {
            let Some(p) = people.get(&s.event.person_id) else {
                continue;
            };
            let Some(i) = p.real.iter().position(|e| e.key == s.event.key) else {
                continue;
            };
            let shown = &p.shown[i];
            keys.push((s.event.person_id, s.event.key.clone()));
            items.push(item(p, shown, &s.event, s.seen, s.acknowledged));
        }
        let shown = people
            .iter()
            .map(|(id, p)| (*id, p.shown.iter().map(|e| e.key.clone()).collect()))
            .collect();
        Ok((
            Worklist {
                as_of,
                user: user.to_owned(),
                caseload: ids.len(),
                items,
            },
            keys,
            shown,
        ))
    }

    /// Mark the events of the acting user's worklist seen (a new look), audited;
    /// returns the list as it was before (the next look shows them seen, until
    /// something new happens). Only a user's own worklist can be marked. `shown`: the
    /// events (person, key as shown) the user had in front of them; one that has
    /// come since is not marked (hostile review: "Mark all seen" marked events that
    /// arrived after the screen was drawn). `None` marks the list as it is now (the
    /// command line, which prints the list it marks).
    pub fn mark_worklist_seen(
        &mut self,
        as_of: NaiveDate,
        now: NaiveDateTime,
        shown: Option<&[(i64, String)]>,
    ) -> Result<Worklist> {
        let user = self.actor.user.clone();
        let (list, keys, _) = self.worklist_with_keys(&user, as_of)?;
        let keys: Vec<(i64, String)> = match shown {
            None => keys,
            Some(shown) => list
                .items
                .iter()
                .zip(keys)
                .filter(|(item, _)| shown.iter().any(|(p, k)| *p == item.person_id && *k == item.key))
                .map(|(_, real)| real)
                .collect(),
        };
        let detail = format!(
            "marked {} worklist event(s) seen as of {}",
            keys.len(),
            as_of.format("%Y-%m-%d")
        );
        let event = self.event(AuditAction::WorklistSeen, None, detail, None, now);
        self.store.mark_seen(&user, &keys, as_of, &event)?;
        Ok(list)
    }

    /// Acknowledge one event of a person's record (by the key the worklist gave,
    /// masked or not), audited against the person so it stays in their history.
    pub fn acknowledge_event(&mut self, person_id: i64, key: &str, as_of: NaiveDate, now: NaiveDateTime) -> Result<()> {
        self.check_may_change()?;
        let p = self.person_events(person_id, as_of)?;
        let Some(i) = p.shown.iter().position(|e| e.key == key) else {
            return Err(ServiceError::Refused(
                "that event is no longer on this person's record; reload the worklist".into(),
            ));
        };
        let shown = &p.shown[i];
        let detail = format!("acknowledged: {} ({})", shown.summary, shown.date.format("%Y-%m-%d"));
        let event = self.event(AuditAction::WorklistAcknowledged, Some(person_id), detail, None, now);
        let user = self.actor.user.clone();
        self.store.acknowledge(&user, person_id, &p.real[i].key, &event)?;
        Ok(())
    }

    /// `user` (default: the acting user) follows a person; false when already.
    pub fn follow(&mut self, person_id: i64, user: Option<&str>, now: NaiveDateTime) -> Result<bool> {
        self.check_may_change()?;
        let user = self.worklist_user(user);
        let event = self.event(
            AuditAction::Follow,
            Some(person_id),
            format!("{user} follows the person"),
            None,
            now,
        );
        Ok(self.store.follow(&user, person_id, &event)?)
    }

    /// `user` (default: the acting user) stops following a person; false when they did not.
    pub fn unfollow(&mut self, person_id: i64, user: Option<&str>, now: NaiveDateTime) -> Result<bool> {
        self.check_may_change()?;
        let user = self.worklist_user(user);
        let event = self.event(
            AuditAction::Unfollow,
            Some(person_id),
            format!("{user} stopped following the person"),
            None,
            now,
        );
        Ok(self.store.unfollow(&user, person_id, &event)?)
    }

    /// Whether the acting user follows this person (for the banner's control).
    pub fn is_following(&self, person_id: i64) -> Result<bool> {
        Ok(self.store.is_following(&self.actor.user, person_id)?)
    }

    /// Say who an account is in the sources (the allocated worker's name there) and
    /// its team, audited.
    pub fn set_coordinator(&mut self, who: &Coordinator, now: NaiveDateTime) -> Result<()> {
        self.check_may_change()?;
        if who.worker_name.trim().is_empty() {
            return Err(ServiceError::Refused(
                "the worker's name as the sources write it is needed".into(),
            ));
        }
        let detail = format!(
            "{} is {:?} in the sources{}",
            who.user_name,
            who.worker_name,
            who.team.as_deref().map(|t| format!(", team {t}")).unwrap_or_default()
        );
        let event = self.event(AuditAction::CoordinatorSet, None, detail, None, now);
        Ok(self.store.set_coordinator(who, &event)?)
    }
}

/// The worklist line for `shown` (the event as it may be shown) of `real`.
fn item(p: &PersonEvents, shown: &WorklistEvent, real: &WorklistEvent, seen: bool, acknowledged: bool) -> WorklistItem {
    let restricted = shown.kind == EventKind::Restricted;
    let task = p
        .tasks
        .iter()
        .filter(|t| t.event_key.as_deref() == Some(real.key.as_str()) || task_key_of(real) == Some(t.id))
        .max_by_key(|t| t.id)
        .map(|t| TaskRef {
            id: t.id,
            title: if restricted {
                RESTRICTED_TASK.to_owned()
            } else {
                t.title.clone()
            },
            status: t.status,
            owner: t.owner.label(),
            due: t.due,
        });
    WorklistItem {
        person_id: shown.person_id,
        nhs_number: p.record.person.nhs_number,
        name: p.record.person.display_name(),
        kind: shown.kind,
        date: shown.date,
        summary: shown.summary.clone(),
        urgency: shown.urgency(),
        seen,
        acknowledged,
        task,
        target: shown.target,
        key: shown.key.clone(),
    }
}

/// The task a task event is about (`task_due:ID:DATE`).
fn task_key_of(e: &WorklistEvent) -> Option<i64> {
    matches!(e.kind, EventKind::TaskDue | EventKind::TaskOverdue)
        .then(|| e.key.split(':').nth(1)?.parse().ok())
        .flatten()
}

impl Service {
    /// A restricted event's tag in its masked key: an HMAC-SHA-256 of its real key
    /// under this session's own random secret, 12 hex digits. The same event keeps it
    /// for the session (the window's keys go back to this same service); it cannot be
    /// worked back to the kind of event without the secret.
    fn event_tag(&self, key: &str) -> String {
        use hmac::{Hmac, Mac};
        let mut mac = Hmac::<sha2::Sha256>::new_from_slice(&self.event_secret).expect("any key length");
        mac.update(key.as_bytes());
        let out = mac.finalize().into_bytes();
        out[..6].iter().map(|b| format!("{b:02x}")).collect()
    }
}
