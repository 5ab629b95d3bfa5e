//! The window's worklist screen (issue 16): the worklist with the user's open tasks
//! due or overdue, one event marked seen, a follow from the banner answered with
//! the record, and the live refresh of an open worklist. Everything goes through
//! the same disclosure as `worklist` and `tasks`.

use chrono::{NaiveDate, NaiveDateTime};

use super::{LiveView, LoadedPerson, Result, Service, ServiceError, TaskLine, Worklist};
use crate::domain::governance::AuditAction;

/// What the worklist screen shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorklistScreen {
    pub list: Worklist,
    /// Tasks still to do, due on or before `list.as_of`, owned by the user or their
    /// team, soonest first.
    pub due_tasks: Vec<TaskLine>,
    /// The user is a coordinator (set with `joinedup coordinator`): without that,
    /// the caseload holds only the people they follow.
    pub is_coordinator: bool,
    /// The user's team, if set (a task can be for the team).
    pub team: Option<String>,
}

impl Service {
    /// The acting user's worklist screen as of `as_of`, audited once; it is then
    /// kept current while open (`refresh_worklist_screen`).
    pub fn worklist_screen(&mut self, as_of: NaiveDate, now: NaiveDateTime) -> Result<WorklistScreen> {
        let (screen, shown) = self.worklist_screen_view(as_of)?;
        let detail = format!(
            "worklist of {} as of {}: {} people, {} events, {} task(s) due",
            screen.list.user,
            as_of.format("%Y-%m-%d"),
            screen.list.caseload,
            screen.list.items.len(),
            screen.due_tasks.len()
        );
        self.audit(AuditAction::ViewWorklist, None, detail, None, now)?;
        self.live_views.insert(LiveView::Worklist);
        self.remember_alerted(&shown);
        Ok(screen)
    }

    /// The newer state of the worklist screen this user has open, unaudited (it
    /// was audited when opened).
    pub fn refresh_worklist_screen(&self, as_of: NaiveDate) -> Result<WorklistScreen> {
        if !self.live_views.contains(&LiveView::Worklist) {
            return Err(ServiceError::Refused(
                "the worklist is not open: it is refreshed only while open, after it was opened (and audited)".into(),
            ));
        }
        Ok(self.worklist_screen_view(as_of)?.0)
    }

    /// The screen, and every shown event of the caseload (for alerts' baseline).
    fn worklist_screen_view(&self, as_of: NaiveDate) -> Result<(WorklistScreen, super::worklist::ShownKeys)> {
        let user = self.actor.user.clone();
        let (list, _, shown) = self.worklist_with_keys(&user, as_of)?;
        let due_tasks = self
            .task_lines(None, Some(&user), false, as_of)?
            .into_iter()
            .filter(|t| t.task.due.is_some_and(|d| d <= as_of))
            .collect();
        let coordinator = self.store.coordinator(&user)?;
        let screen = WorklistScreen {
            list,
            due_tasks,
            is_coordinator: coordinator.is_some(),
            team: coordinator.and_then(|c| c.team),
        };
        Ok((screen, shown))
    }

    /// Mark one event of the acting user's worklist seen (by the key the worklist
    /// gave, masked or not), audited against the person. The rest of the list stays.
    pub fn mark_event_seen(&mut self, person_id: i64, key: &str, as_of: NaiveDate, now: NaiveDateTime) -> Result<()> {
        let p = self.person_events(person_id, as_of)?;
        let Some(i) = p.shown.iter().position(|e| e.key == key) else {
            return Err(ServiceError::Refused(
                "that event is no longer on this person's record; reload the worklist".into(),
            ));
        };
        let shown = &p.shown[i];
        let detail = format!("saw: {} ({})", shown.summary, shown.date.format("%Y-%m-%d"));
        let event = self.event(AuditAction::WorklistSeen, Some(person_id), detail, None, now);
        let user = self.actor.user.clone();
        self.store.mark_one_seen(&user, person_id, &p.real[i].key, &event)?;
        Ok(())
    }

    /// Follow or stop following the person of the open record (the banner's
    /// button), audited; returns the record as now shown.
    pub fn set_following(
        &mut self,
        person_id: i64,
        follow: bool,
        today: NaiveDate,
        now: NaiveDateTime,
    ) -> Result<LoadedPerson> {
        if follow {
            self.follow(person_id, None, now)?;
        } else {
            self.unfollow(person_id, None, now)?;
        }
        self.record_view(person_id, today)
    }
}
