//! A care plan edited in the window (SAFETY.md H49): its next version, recorded by
//! the signed-in user, with an audit event saying what changed in words, in one
//! transaction. Refused for a plan held back from the user (no reason given), a
//! base version another edit has passed, or a draft with empty words or a link to
//! a need the plan does not have. On a server the app roles write through their
//! views' triggers (PostgreSQL 0023), which check the same again.

use chrono::NaiveDateTime;

use super::{LoadedPerson, Result, Service, ServiceError};
use crate::domain::care_plan::VersionRecorded;
use crate::domain::care_plan_rules::{PlanDraft, diff_versions, link_changes};
use crate::domain::disclosure::{disclose_record, is_restricted_plan};
use crate::domain::governance::AuditAction;

/// The organisation a version made in the window names when the user has no team.
pub const RECORDED_IN: &str = "Recorded in joinedup";

impl Service {
    /// Store `draft` as the next version of plan `plan_id` of person `person_id`,
    /// edited from version `based_on`; returns the record as now shown.
    pub fn revise_plan(
        &mut self,
        person_id: i64,
        plan_id: i64,
        draft: &PlanDraft,
        based_on: u32,
        now: NaiveDateTime,
    ) -> Result<LoadedPerson> {
        self.check_may_change()?;
        let full = self.store.person_record(person_id)?;
        let shown = disclose_record(&full, self.revealed.contains(&person_id));
        let Some(base) = shown.care_plans.iter().find(|p| p.id == plan_id) else {
            return Err(ServiceError::Refused(
                "that care plan is not on this person's record; reload".into(),
            ));
        };
        if base.is_placeholder {
            return Err(ServiceError::Refused(
                "this plan is restricted: give a reason to see it before editing it".into(),
            ));
        }
        if base.version != based_on {
            return Err(ServiceError::Refused(format!(
                "this plan is at version {} now, not the version {based_on} you edited: another change came first; reload",
                base.version
            )));
        }
        let recorded = VersionRecorded {
            at: Some(now),
            by: Some(self.audit_name()),
            organisation: Some(self.recording_organisation()?),
        };
        let next = draft
            .next_version(base, recorded)
            .map_err(|p| ServiceError::Refused(format!("the plan was not saved: {}", p.join("; "))))?;
        let mut words: Vec<String> = diff_versions(base, &next)
            .iter()
            .map(|c| format!("{} {}: {}", c.field, c.change, c.text))
            .collect();
        words.extend(link_changes(base, &next));
        if words.is_empty() {
            return Err(ServiceError::Refused(
                "nothing was changed: there is no new version to save".into(),
            ));
        }
        // The person's events are listed to everyone who opens the record ("who has
        // looked at this record"): a restricted plan's event names no title and no
        // words of it, only how many changes were made.
        let detail = if is_restricted_plan(&full, base) {
            format!(
                "made version {} of restricted care plan #{plan_id}: {} change(s)",
                next.version,
                words.len()
            )
        } else {
            format!(
                "made version {} of care plan #{plan_id} ({}): {}",
                next.version,
                next.title,
                words.join("; ")
            )
        };
        let event = self.event(AuditAction::PlanRevised, Some(person_id), detail, None, now);
        self.store.revise_care_plan(plan_id, based_on, &next, &event)?;
        self.record_view(person_id, now.date())
    }

    /// The user's team, else "Recorded in joinedup".
    fn recording_organisation(&self) -> Result<String> {
        let team = self.store.coordinator(&self.actor.user)?.and_then(|c| c.team);
        Ok(team.unwrap_or_else(|| RECORDED_IN.to_owned()))
    }
}
