//! The worklist screen's part of the shell: its cached data, the alerts waiting to
//! be read (the notification and the badge), opening a record at an item, and the
//! commands of the worklist and the banner's Follow.

use super::*;
use crate::domain::worklist::Target;
use crate::service::{Alert, WorklistScreen};
use crate::ui::db::WorklistAction;
use crate::ui::views::worklist::WorklistView;

/// What the shell keeps for the worklist and its alerts.
#[derive(Default)]
pub(super) struct WorklistState {
    pub data: Option<WorklistScreen>,
    pub view: WorklistView,
    /// Alerts not yet dismissed, newest check first.
    pub alerts: Vec<Alert>,
    /// People an import brought beyond what an alert for everyone checks.
    pub not_checked: usize,
    /// A record being opened at an item: (person, where).
    pub open_at: Option<(i64, Target)>,
}

impl JoinedUpApp {
    /// The worklist screen's data, once the database thread has read it.
    pub fn worklist(&self) -> Option<&WorklistScreen> {
        self.worklist.data.as_ref()
    }

    /// Alerts not yet dismissed (the badge on the Worklist button counts them).
    pub fn alerts(&self) -> &[Alert] {
        &self.worklist.alerts
    }

    /// The first screen after a role is chosen: the worklist for a care
    /// coordinator; the other roles keep theirs.
    pub(super) fn first_screen(&mut self, role: crate::domain::governance::Role) {
        if role == crate::domain::governance::Role::CareCoordinator || self.state.screen == Screen::Worklist {
            self.apply(Command::Navigate(Screen::Worklist));
        }
    }

    pub(super) fn open_worklist(&mut self) {
        let ctx = self.view_context();
        self.send(Request::Worklist {
            as_of: ctx.today,
            now: ctx.now,
        });
    }

    pub(super) fn apply_worklist(&mut self, action: WorklistAction) {
        let ctx = self.view_context();
        self.send(Request::WorklistAction {
            action,
            as_of: ctx.today,
            now: ctx.now,
        });
    }

    /// Open a record at an item: the record first, then (once drawn) the item
    /// selected on its timeline; a plan opens the care plans screen.
    pub(super) fn open_at(&mut self, person_id: i64, target: Target) {
        self.worklist.open_at = Some((person_id, target));
        self.apply(Command::OpenPerson(person_id));
    }

    /// The opened record is here: go to the item it was opened at.
    pub(super) fn arrived_at(&mut self, person_id: i64) {
        let Some((p, target)) = self.worklist.open_at else {
            return;
        };
        if p != person_id {
            return;
        }
        self.worklist.open_at = None;
        match target {
            Target::Episode(id) => self.person_view.select_when_shown(person_id, id),
            Target::Plan(_) => self.state.screen = Screen::Plans,
            Target::Record => {}
        }
    }

    pub(super) fn follow(&mut self, person_id: i64, follow: bool) {
        let ctx = self.view_context();
        self.send(Request::Follow {
            person_id,
            follow,
            today: ctx.today,
            now: ctx.now,
        });
    }

    pub(super) fn on_alerts(&mut self, check: crate::service::AlertCheck) {
        let mut alerts = check.alerts;
        alerts.append(&mut self.worklist.alerts);
        self.worklist.alerts = alerts;
        self.worklist.not_checked += check.not_checked;
    }

    pub(super) fn dismiss_alerts(&mut self) {
        self.worklist.alerts.clear();
        self.worklist.not_checked = 0;
    }

    /// The data changed: the open worklist is read again, and the alert rules
    /// are checked against what is new.
    pub(super) fn worklist_changed(&mut self, changed: &crate::store::Changed) {
        let today = self.view_context().today;
        if self.worklist.data.is_some() {
            self.send(Request::RefreshWorklist { as_of: today });
        }
        self.send(Request::CheckAlerts {
            changed: changed.clone(),
            as_of: today,
        });
    }

    /// The Worklist button's text: with the count of alerts not yet read.
    pub(super) fn worklist_label(&self) -> String {
        match self.worklist.alerts.len() {
            0 => Screen::Worklist.label().to_owned(),
            n => format!("{} ({n} new)", Screen::Worklist.label()),
        }
    }

    pub(super) fn worklist_screen_ui(&mut self, ui: &mut egui::Ui, ctx: &ViewContext) -> Vec<Command> {
        let data = self.worklist.data.as_ref();
        let view = &mut self.worklist.view;
        let mut commands = Vec::new();
        egui::CentralPanel::default().show(ui, |ui| commands.extend(view.ui(ui, ctx, data)));
        commands
    }

    pub(super) fn alerts_panel_ui(&self, ui: &egui::Ui) -> Vec<Command> {
        crate::ui::views::alerts_panel::alerts_ui(ui.ctx(), &self.worklist.alerts, self.worklist.not_checked)
    }
}
