//! Tasks: a title, a person, an owner (a user or a team), a due date, a priority, a
//! status and notes. A task made from an event keeps the event's key, so the worklist
//! shows the task beside the event; finishing the task never hides the event while
//! the facts still show it.

use chrono::{NaiveDate, NaiveDateTime};
use serde::Serialize;

use super::{EventKind, Target, WorklistEvent};
use crate::domain::dates::fmt_date;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Priority {
    High,
    Normal,
    Low,
}

impl Priority {
    pub const ALL: [Priority; 3] = [Priority::High, Priority::Normal, Priority::Low];
    pub fn code(self) -> &'static str {
        match self {
            Priority::High => "high",
            Priority::Normal => "normal",
            Priority::Low => "low",
        }
    }
    pub fn parse(s: &str) -> Result<Priority, String> {
        Self::ALL
            .into_iter()
            .find(|p| p.code() == s.trim().to_lowercase())
            .ok_or_else(|| format!("{s:?} is not a priority: high, normal or low"))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskStatus {
    Open,
    InProgress,
    Done,
    Cancelled,
}

impl TaskStatus {
    pub const ALL: [TaskStatus; 4] = [
        TaskStatus::Open,
        TaskStatus::InProgress,
        TaskStatus::Done,
        TaskStatus::Cancelled,
    ];
    pub fn code(self) -> &'static str {
        match self {
            TaskStatus::Open => "open",
            TaskStatus::InProgress => "in_progress",
            TaskStatus::Done => "done",
            TaskStatus::Cancelled => "cancelled",
        }
    }
    /// `open`, `in_progress` (or `in-progress`), `done`, `cancelled`.
    pub fn parse(s: &str) -> Result<TaskStatus, String> {
        let s2 = s.trim().to_lowercase().replace('-', "_");
        Self::ALL
            .into_iter()
            .find(|t| t.code() == s2)
            .ok_or_else(|| format!("{s:?} is not a task status: open, in_progress, done or cancelled"))
    }
    /// Still to do.
    pub fn is_active(self) -> bool {
        matches!(self, TaskStatus::Open | TaskStatus::InProgress)
    }
}

/// Who a task is for: a user, or a team (everyone in it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Owner {
    User(String),
    Team(String),
}

impl Owner {
    pub fn label(&self) -> String {
        match self {
            Owner::User(u) => u.clone(),
            Owner::Team(t) => format!("team {t}"),
        }
    }
}

/// One task as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Task {
    pub id: i64,
    pub person_id: i64,
    pub title: String,
    pub owner: Owner,
    pub due: Option<NaiveDate>,
    pub priority: Priority,
    pub status: TaskStatus,
    pub notes: String,
    /// The event or finding the task was made from (`WorklistEvent::key`).
    pub event_key: Option<String>,
    pub created_by: String,
    pub updated_at: NaiveDateTime,
    /// Bumped on every change: an update made on an older version is refused.
    pub version: i64,
}

/// Tasks due today or overdue, still to do, as worklist events.
pub fn task_events(tasks: &[Task], today: NaiveDate) -> Vec<WorklistEvent> {
    tasks
        .iter()
        .filter(|t| t.status.is_active())
        .filter_map(|t| {
            let due = t.due.filter(|d| *d <= today)?;
            let kind = if due < today {
                EventKind::TaskOverdue
            } else {
                EventKind::TaskDue
            };
            let words = if due < today { "overdue since" } else { "due" };
            Some(WorklistEvent {
                person_id: t.person_id,
                kind,
                date: due,
                summary: format!("Task {words} {}: {} ({})", fmt_date(due), t.title, t.owner.label()),
                key: format!("{}:{}:{due}", kind.code(), t.id),
                is_open: true,
                target: Target::Record,
                episode_ids: Vec::new(),
                plan_ids: Vec::new(),
            })
        })
        .collect()
}

/// What changed between two versions of a task, in words for the audit log.
pub fn change_words(before: &Task, after: &Task) -> String {
    let mut parts = Vec::new();
    if before.title != after.title {
        parts.push(format!("title changed to {:?}", after.title));
    }
    if before.owner != after.owner {
        parts.push(format!(
            "owner changed from {} to {}",
            before.owner.label(),
            after.owner.label()
        ));
    }
    if before.due != after.due {
        let say = |d: Option<NaiveDate>| d.map(fmt_date).unwrap_or_else(|| "none".into());
        parts.push(format!("due changed from {} to {}", say(before.due), say(after.due)));
    }
    if before.priority != after.priority {
        parts.push(format!(
            "priority changed from {} to {}",
            before.priority.code(),
            after.priority.code()
        ));
    }
    if before.status != after.status {
        parts.push(format!(
            "status changed from {} to {}",
            before.status.code(),
            after.status.code()
        ));
    }
    if before.notes != after.notes {
        parts.push("notes changed".into());
    }
    if parts.is_empty() {
        "saved unchanged".into()
    } else {
        parts.join("; ")
    }
}
