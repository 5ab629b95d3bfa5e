//! Tasks (issue 16): made from a record, an event or a finding; changed; listed.
//! Every change is audited against the person in the change's transaction. A task
//! about a restricted event or person shows as "Restricted task" (title and notes
//! held back) until a reason is given for that person.

use chrono::{NaiveDate, NaiveDateTime};

use super::{Result, Service, ServiceError};
use crate::domain::disclosure::disclose_tasks;
use crate::domain::governance::AuditAction;
use crate::domain::worklist::tasks::{EventItems, Owner};
use crate::domain::worklist::{Priority, Task, TaskStatus};
use crate::domain::{NhsNumber, dates::fmt_date};

/// The longest task title, and the longest notes.
pub const TASK_TITLE_MAX: usize = 500;
pub const TASK_NOTES_MAX: usize = 100_000;

/// A task to make. `owner` None: the acting user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewTask {
    pub person_id: i64,
    pub title: String,
    pub owner: Option<Owner>,
    pub due: Option<NaiveDate>,
    pub priority: Priority,
    pub notes: String,
    /// The worklist event (its key as the worklist gave it) the task is made from.
    pub event_key: Option<String>,
}

/// Changes to a task; None leaves a field as it is. `version`: the version the
/// change was made on (None: whatever is stored now, for the command line).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TaskEdit {
    pub title: Option<String>,
    pub owner: Option<Owner>,
    pub due: Option<Option<NaiveDate>>,
    pub priority: Option<Priority>,
    pub status: Option<TaskStatus>,
    pub notes: Option<String>,
    pub version: Option<i64>,
}

/// A task as a list shows it, with its person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskLine {
    pub task: Task,
    pub nhs_number: Option<NhsNumber>,
    pub name: String,
    pub is_restricted: bool,
}

fn check_text(title: &str, notes: &str) -> Result<()> {
    let t = title.trim();
    if t.is_empty() {
        return Err(ServiceError::Refused("a task needs a title".into()));
    }
    if t.chars().count() > TASK_TITLE_MAX {
        return Err(ServiceError::Refused(format!(
            "a task's title is at most {TASK_TITLE_MAX} characters"
        )));
    }
    if notes.chars().count() > TASK_NOTES_MAX || title.chars().chain(notes.chars()).any(|c| c == '\0') {
        return Err(ServiceError::Refused(format!(
            "a task's notes are at most {TASK_NOTES_MAX} characters, with no NUL"
        )));
    }
    Ok(())
}

impl Service {
    /// Make a task, audited against its person.
    pub fn add_task(&mut self, new: NewTask, as_of: NaiveDate, now: NaiveDateTime) -> Result<Task> {
        self.check_may_change()?;
        check_text(&new.title, &new.notes)?;
        // The event's real key is kept, so the seen state and the link hold when the
        // worklist masks it.
        // Its items too, so the task stays held back as they are once the event is gone.
        let (event_key, event_items) = match &new.event_key {
            Some(k) => {
                let p = self.person_events(new.person_id, as_of)?;
                let i = p.shown.iter().position(|e| &e.key == k).ok_or_else(|| {
                    ServiceError::Refused("that event is no longer on this person's record; reload".into())
                })?;
                let real = &p.real[i];
                let items = EventItems {
                    episode_ids: real.episode_ids.clone(),
                    plan_ids: real.plan_ids.clone(),
                };
                (Some(real.key.clone()), Some(items))
            }
            None => (None, None),
        };
        let task = Task {
            id: 0,
            person_id: new.person_id,
            title: new.title.trim().to_owned(),
            owner: new.owner.unwrap_or_else(|| Owner::User(self.actor.user.clone())),
            due: new.due,
            priority: new.priority,
            status: TaskStatus::Open,
            notes: new.notes,
            event_key,
            event_items,
            created_by: self.actor.audit_name(),
            updated_at: now,
            version: 1,
        };
        let detail = format!(
            "task made for {}, due {}, priority {}{}",
            task.owner.label(),
            task.due.map(fmt_date).unwrap_or_else(|| "none".into()),
            task.priority.code(),
            if task.event_key.is_some() {
                ", from a worklist event"
            } else {
                ""
            }
        );
        let event = self.event(AuditAction::TaskCreated, Some(task.person_id), detail, None, now);
        Ok(self.store.add_task(&task, &event)?)
    }

    /// Change a task, audited against its person with the changes in words.
    pub fn update_task(&mut self, id: i64, edit: TaskEdit, now: NaiveDateTime) -> Result<Task> {
        self.check_may_change()?;
        let stored = self
            .store
            .task(id)?
            .ok_or_else(|| ServiceError::Refused(format!("there is no task {id}")))?;
        // A task held back from this user (about a restricted record or item) is not
        // changed until a reason is given, as on a server (PostgreSQL 0012): its
        // title and notes were never shown, so an edit would be made blind (hostile
        // review: the desktop let it be retitled or closed unseen).
        let p = self.person_events(stored.person_id, now.date())?;
        let revealed = self.revealed.contains(&stored.person_id);
        if disclose_tasks(&p.record, vec![stored.clone()], &p.real, &p.shown, revealed)
            .first()
            .is_some_and(|(_, hidden)| *hidden)
        {
            return Err(ServiceError::Refused(
                "this task is about a record held back from you: give a reason before changing it".into(),
            ));
        }
        let mut changed = stored.clone();
        if let Some(v) = edit.version {
            changed.version = v;
        }
        if let Some(t) = edit.title {
            changed.title = t.trim().to_owned();
        }
        if let Some(o) = edit.owner {
            changed.owner = o;
        }
        if let Some(d) = edit.due {
            changed.due = d;
        }
        if let Some(p) = edit.priority {
            changed.priority = p;
        }
        if let Some(s) = edit.status {
            changed.status = s;
        }
        if let Some(n) = edit.notes {
            changed.notes = n;
        }
        check_text(&changed.title, &changed.notes)?;
        let event = self.event(
            AuditAction::TaskChanged,
            Some(stored.person_id),
            "task changed".into(),
            None,
            now,
        );
        Ok(self.store.update_task(&changed, &event)?)
    }

    /// Tasks of one person, or owned by `owner` (a user, and their team), as they
    /// may be shown; closed ones (done, cancelled) only with `include_closed`. Audited.
    pub fn list_tasks(
        &mut self,
        person_id: Option<i64>,
        owner: Option<&str>,
        include_closed: bool,
        as_of: NaiveDate,
        now: NaiveDateTime,
    ) -> Result<Vec<TaskLine>> {
        let out = self.task_lines(person_id, owner, include_closed, as_of)?;
        let detail = match person_id {
            Some(_) => format!("listed the person's tasks: {}", out.len()),
            None => format!("listed {} task(s) of {}", out.len(), owner.unwrap_or(&self.actor.user)),
        };
        self.audit(AuditAction::ViewWorklist, person_id, detail, None, now)?;
        Ok(out)
    }

    /// [`Service::list_tasks`] without its audit event (the caller audits).
    pub(super) fn task_lines(
        &self,
        person_id: Option<i64>,
        owner: Option<&str>,
        include_closed: bool,
        as_of: NaiveDate,
    ) -> Result<Vec<TaskLine>> {
        let tasks = match person_id {
            Some(id) => self.store.tasks_for_people(&[id])?,
            None => {
                let user = owner.map(str::to_owned).unwrap_or_else(|| self.actor.user.clone());
                let team = self.store.coordinator(&user)?.and_then(|c| c.team);
                self.store.tasks_owned(&user, team.as_deref())?
            }
        };
        let mut by_person: Vec<(i64, Vec<Task>)> = Vec::new();
        for task in tasks.into_iter().filter(|t| include_closed || t.status.is_active()) {
            match by_person.iter_mut().find(|(p, _)| *p == task.person_id) {
                Some((_, list)) => list.push(task),
                None => by_person.push((task.person_id, vec![task])),
            }
        }
        let mut out = Vec::new();
        for (person_id, tasks) in by_person {
            let p = self.person_events(person_id, as_of)?;
            let revealed = self.revealed.contains(&person_id);
            for (task, hidden) in disclose_tasks(&p.record, tasks, &p.real, &p.shown, revealed) {
                out.push(TaskLine {
                    nhs_number: p.record.person.nhs_number,
                    name: p.record.person.display_name(),
                    is_restricted: hidden,
                    task,
                });
            }
        }
        out.sort_by(|a, b| a.task.due.cmp(&b.task.due).then(a.task.id.cmp(&b.task.id)));
        Ok(out)
    }
}
