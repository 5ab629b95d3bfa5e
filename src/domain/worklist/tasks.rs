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

/// The items of the event a task was made from (`WorklistEvent::episode_ids`, `plan_ids`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EventItems {
    pub episode_ids: Vec<i64>,
    pub plan_ids: Vec<i64>,
}

impl EventItems {
    /// As stored: `e:1,2;p:3`, or `e:;p:` for an event of no item (a person's).
    pub fn to_text(&self) -> String {
        let join = |ids: &[i64]| ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
        format!("e:{};p:{}", join(&self.episode_ids), join(&self.plan_ids))
    }

    /// Read back what `to_text` wrote; `None` for anything else (a task made before
    /// the items were kept has none).
    pub fn parse(text: &str) -> Option<Self> {
        let (e, p) = text.split_once(';')?;
        let ids = |part: &str, tag: &str| -> Option<Vec<i64>> {
            let list = part.strip_prefix(tag)?;
            if list.is_empty() {
                return Some(Vec::new());
            }
            list.split(',').map(|n| n.parse().ok()).collect()
        };
        Some(Self {
            episode_ids: ids(e, "e:")?,
            plan_ids: ids(p, "p:")?,
        })
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
    /// That event's items, kept when the task was made, so that the task stays held
    /// back as they are once the event is no longer detected (a review done, a
    /// delay ended): SAFETY.md H22. `None` when not kept (no event, or a task made
    /// before they were).
    #[serde(skip)]
    pub event_items: Option<EventItems>,
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

#[cfg(test)]
mod event_items_tests {
    use super::EventItems;

    #[test]
    fn kept_items_read_back_as_written_and_nothing_else_is_taken() {
        for items in [
            EventItems::default(),
            EventItems {
                episode_ids: vec![1, 22],
                plan_ids: vec![],
            },
            EventItems {
                episode_ids: vec![],
                plan_ids: vec![3],
            },
        ] {
            assert_eq!(EventItems::parse(&items.to_text()), Some(items.clone()));
        }
        for junk in ["", "e:1", "e:x;p:", "p:1;e:2", "e:1,;p:"] {
            assert_eq!(EventItems::parse(junk), None, "{junk}");
        }
    }
}
