//! The trainers' panel's part of the shell: the stories, opening a story's person,
//! and "Reset training data", none of which is offered outside training mode.

use super::*;
use crate::service::StoryLine;
use crate::ui::views::training::TrainingView;

/// What the shell keeps for the trainers' panel.
#[derive(Default)]
pub(super) struct TrainingState {
    pub stories: Option<Vec<StoryLine>>,
    pub view: TrainingView,
}

impl JoinedUpApp {
    /// The training stories with their people, once read.
    pub fn training_stories(&self) -> Option<&[StoryLine]> {
        self.training.stories.as_deref()
    }

    /// The panel is there in training mode only.
    pub(super) fn sees_training_panel(&self) -> bool {
        self.config.is_training
    }

    /// Reset is offered in training mode on a desktop database (a server's
    /// training data is its owner's).
    fn may_reset_training(&self) -> bool {
        self.config.is_training
            && !self
                .session
                .as_ref()
                .is_some_and(crate::service::SessionInfo::is_signed_in)
    }

    pub(super) fn open_training(&mut self) {
        self.send(Request::TrainingStories);
    }

    /// The user confirmed the reset: the open record closes (it is about to go),
    /// then the database thread rebuilds the training data.
    pub(super) fn reset_training(&mut self) {
        if !self.may_reset_training() {
            return;
        }
        self.apply(Command::CloseRecord);
        self.state.screen = Screen::Training;
        self.training.stories = None;
        let ctx = self.view_context();
        self.send(Request::ResetTraining {
            today: ctx.today,
            now: ctx.now,
        });
    }

    /// The training data is new: read again everything that showed the old.
    pub(super) fn on_training_reset(&mut self) {
        self.message = Some("The training data was reset: every training person is back as their story begins.".into());
        self.matches.clear();
        self.open_training();
        self.send(Request::Recent);
        self.on_changed(&crate::store::Changed {
            anyone: true,
            ..Default::default()
        });
    }

    pub(super) fn training_screen_ui(&mut self, ui: &mut egui::Ui) -> Vec<Command> {
        let may_reset = self.may_reset_training();
        let t = &mut self.training;
        egui::CentralPanel::default()
            .show(ui, |ui| t.view.ui(ui, t.stories.as_deref(), may_reset))
            .inner
    }
}
