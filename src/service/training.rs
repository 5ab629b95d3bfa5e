//! Training mode's own operations: the trainers' panel (each fixture story with its
//! person) and resetting the training database to the fixtures. Neither is there
//! outside training mode (SAFETY H39).

use chrono::{NaiveDate, NaiveDateTime};

use super::{Result, Service, ServiceError};
use crate::store::PersonSummary;
use crate::training::{STORIES, StoryPerson, TrainingStory};

/// One training story, with its person as the search lists them (`None` when the
/// person is not in the database: reset it to bring them back).
#[derive(Debug, Clone, PartialEq)]
pub struct StoryLine {
    pub story: TrainingStory,
    pub person: Option<PersonSummary>,
}

impl Service {
    /// Refused outside training mode.
    fn check_training(&self, what: &str) -> Result<()> {
        if self.training {
            return Ok(());
        }
        Err(ServiceError::Refused(format!(
            "{what} is for training mode only (start with --training)"
        )))
    }

    /// In training mode, on a desktop database (a server's training database is
    /// its owner's to seed).
    fn check_may_reset(&self) -> Result<()> {
        let what = "Resetting the training data";
        self.check_training(what)?;
        if self.store.signed_in().is_some() {
            return Err(ServiceError::Refused(format!(
                "{what} is not offered on a server: its owner seeds the training data"
            )));
        }
        Ok(())
    }

    /// Every training story and its person, for the trainers' panel.
    pub fn training_stories(&self) -> Result<Vec<StoryLine>> {
        self.check_training("The training stories panel")?;
        STORIES
            .iter()
            .map(|story| {
                let person = match story.person {
                    StoryPerson::Nhs(n) => match crate::domain::NhsNumber::parse(n) {
                        Ok(n) => self.store.find_by_nhs_number(n)?,
                        Err(_) => None,
                    },
                    StoryPerson::Local { source, id } => self.store.find_by_local_id(source, id)?,
                };
                Ok(StoryLine { story: *story, person })
            })
            .collect()
    }

    /// Rebuild the training database from the fixtures, undoing every trainee's
    /// change; the clearing is audited as this user's. Refused outside training
    /// mode, on a server, and on a database not marked as training inside.
    pub fn reset_training(&mut self, today: NaiveDate, now: NaiveDateTime) -> Result<()> {
        self.check_may_reset()?;
        let actor = self.audit_name();
        crate::training::reset(&mut self.store, &actor, today, now)
            .map_err(|e| ServiceError::Refused(e.to_string()))?;
        // Nothing of the old records is held open or revealed.
        self.revealed.clear();
        self.opened.clear();
        self.alert_known = Default::default();
        self.alert_last_run = self.store.last_import_run_id()?;
        self.stand_in_for_training_coordinator(now)
    }
}
