//! A coordinator's worklist (issue 16; DESIGN.md 2.9): the events a person's merged
//! record shows as of `today` (`events`), tasks with owners and due dates (`tasks`),
//! and which of them a user has still to look at (`since`). Pure: no SQL, egui or
//! clock.
//!
//! Each event has a stable `key` (its kind, the item it is about, and the step it
//! marks), so that a user's "seen" and "acknowledged" state survives a re-import, and
//! an escalation (a delay reaching 14 days after 7) is a new event, not the old one.

pub mod alerts;
pub mod events;
pub mod since;
pub mod tasks;

#[cfg(test)]
mod tests;

use chrono::NaiveDate;
use serde::Serialize;

pub use events::{DETECTED_KINDS, detect};
pub use since::{LookState, Shown, select};
pub use tasks::{Priority, Task, TaskStatus, task_events};

/// What happened, or what is true, that a coordinator should act on or know.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum EventKind {
    Admitted,
    Discharged,
    AeAttendance,
    /// The discharge ready date was reached (or has passed) while in hospital.
    DischargeReady,
    /// Days delayed since the discharge ready date reached 7, 14 or 21.
    Delay(u8),
    /// A delay reason attributed to social care (or to both) is in force.
    SocialCareDelayReason,
    /// A package active at admission not restarted 2 days after discharge
    /// (`findings::packages_not_restarted`).
    PackageNotRestarted,
    /// A positive CHC Checklist with no decision at day 21 or day 28 of the clock.
    ChcClock(u8),
    ReviewDue,
    ReviewOverdue,
    SafeguardingEnquiry,
    DeathRecorded,
    SourcesDisagree,
    TaskDue,
    TaskOverdue,
    /// What a restricted event shows until a reason is given (`disclosure`): never
    /// its real kind.
    Restricted,
}

impl EventKind {
    /// The code in JSON and in the seen state.
    pub fn code(self) -> String {
        match self {
            EventKind::Admitted => "admitted".into(),
            EventKind::Discharged => "discharged".into(),
            EventKind::AeAttendance => "ae_attendance".into(),
            EventKind::DischargeReady => "discharge_ready".into(),
            EventKind::Delay(d) => format!("delay_{d}_days"),
            EventKind::SocialCareDelayReason => "social_care_delay_reason".into(),
            EventKind::PackageNotRestarted => "package_not_restarted".into(),
            EventKind::ChcClock(d) => format!("chc_checklist_day_{d}"),
            EventKind::ReviewDue => "review_due".into(),
            EventKind::ReviewOverdue => "review_overdue".into(),
            EventKind::SafeguardingEnquiry => "safeguarding_enquiry".into(),
            EventKind::DeathRecorded => "death_recorded".into(),
            EventKind::SourcesDisagree => "sources_disagree".into(),
            EventKind::TaskDue => "task_due".into(),
            EventKind::TaskOverdue => "task_overdue".into(),
            EventKind::Restricted => "restricted".into(),
        }
    }

    /// How urgent this kind is. A local choice (no national rule orders these):
    /// a lost package, a long delay, a lapsed CHC clock, a safeguarding enquiry and
    /// an overdue task first.
    pub fn urgency(self) -> Urgency {
        match self {
            EventKind::PackageNotRestarted
            | EventKind::Delay(21..)
            | EventKind::ChcClock(28..)
            | EventKind::SafeguardingEnquiry
            | EventKind::TaskOverdue
            | EventKind::Restricted => Urgency::Urgent,
            EventKind::Admitted
            | EventKind::DischargeReady
            | EventKind::Delay(14..)
            | EventKind::SocialCareDelayReason
            | EventKind::ChcClock(_)
            | EventKind::ReviewOverdue
            | EventKind::DeathRecorded => Urgency::High,
            EventKind::Discharged
            | EventKind::AeAttendance
            | EventKind::Delay(_)
            | EventKind::ReviewDue
            | EventKind::SourcesDisagree
            | EventKind::TaskDue => Urgency::Routine,
        }
    }
}

/// Most urgent first (the derived order).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Urgency {
    Urgent,
    High,
    Routine,
}

impl Urgency {
    pub fn code(self) -> &'static str {
        match self {
            Urgency::Urgent => "urgent",
            Urgency::High => "high",
            Urgency::Routine => "routine",
        }
    }
}

/// Where opening an event takes the user.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Target {
    /// The record, at this timeline item.
    Episode(i64),
    /// The record's care plans, at this plan.
    Plan(i64),
    /// The record itself (a demographic conflict, a death, a task without an item).
    Record,
}

/// One event for one person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WorklistEvent {
    pub person_id: i64,
    pub kind: EventKind,
    pub date: NaiveDate,
    pub summary: String,
    /// Stable across imports: the kind, the item and the step.
    pub key: String,
    /// Still true as of `today` (a delay, a package not restarted, an overdue
    /// review): shown at a user's first look or after a new follow, not only when new.
    pub is_open: bool,
    pub target: Target,
    /// Store ids of the items the event is about (for the disclosure policy).
    pub episode_ids: Vec<i64>,
    /// Store ids of the plans the event is about.
    pub plan_ids: Vec<i64>,
}

impl WorklistEvent {
    pub fn urgency(&self) -> Urgency {
        self.kind.urgency()
    }
}

/// Most urgent first, then newest, then by person and key (a stable order).
pub fn order(a: &WorklistEvent, b: &WorklistEvent) -> std::cmp::Ordering {
    a.urgency()
        .cmp(&b.urgency())
        .then(b.date.cmp(&a.date))
        .then(a.person_id.cmp(&b.person_id))
        .then(a.key.cmp(&b.key))
}
