//! The ICB's CHC decision recorded by a coordinator (issue 17 item 6, SAFETY.md H31):
//! one copy for the window (which names the assessment) and the command line (which
//! asks for the one awaiting a decision). Checked against the record as this user
//! may see it, then written with its audit event in one transaction.

use chrono::{NaiveDate, NaiveDateTime};

use super::{LoadedPerson, Result, Service, ServiceError};
use crate::domain::ChcAssessment;
use crate::domain::chc::IcbDecision;
use crate::domain::chc_decision::{check_decision, choose_awaiting, describe};
use crate::domain::chc_outcome::title;
use crate::domain::governance::{AuditAction, Reason};

impl Service {
    /// Record the ICB's decision on assessment `episode_id` of `person_id`. A
    /// decision already recorded is replaced only with `replace_reason`, and the
    /// earlier one is kept in the audit event's detail. Refused for an assessment
    /// not in the record as shown (a restricted one needs a reason first), a
    /// Checklist, a decision dated before the assessment or after `today`, and a
    /// trainer outside a training database.
    pub fn record_chc_decision(
        &mut self,
        person_id: i64,
        episode_id: i64,
        decision: &IcbDecision,
        replace_reason: Option<&Reason>,
        today: NaiveDate,
        now: NaiveDateTime,
    ) -> Result<LoadedPerson> {
        self.check_may_change()?;
        let record = self.record_view(person_id, today)?;
        let Some(assessment) = record.record.chc.iter().find(|a| a.episode_id == episode_id) else {
            return Err(ServiceError::Refused(
                "that CHC assessment is not in the record as shown (restricted items need a reason first)".into(),
            ));
        };
        let decision = tidy(decision);
        check_decision(assessment, &decision, today).map_err(ServiceError::Refused)?;
        let earlier = assessment.icb_decision.as_ref();
        let mut detail = format!(
            "recorded the ICB decision on the {} of {} #{episode_id}: {}",
            title(assessment),
            crate::domain::dates::fmt_date(assessment.completed_on),
            describe(&decision)
        );
        if let Some(e) = earlier {
            if replace_reason.is_none() {
                return Err(ServiceError::Refused(format!(
                    "an ICB decision is already recorded ({}): give a reason to replace it",
                    describe(e)
                )));
            }
            detail.push_str(&format!("; replacing the decision {}", describe(e)));
        }
        let reason = earlier.and(replace_reason);
        let event = self.event(AuditAction::ChcDecisionRecorded, Some(person_id), detail, reason, now);
        self.store.record_chc_decision(episode_id, earlier, &decision, &event)?;
        self.record_view(person_id, today)
    }

    /// Record the ICB's decision on the person's one assessment awaiting it (or the
    /// one completed on `assessed`, when several are): the command line's
    /// `chc decide`. Returns the assessment decided and the record as now shown.
    pub fn decide_awaiting_chc(
        &mut self,
        person_id: i64,
        assessed: Option<NaiveDate>,
        decision: &IcbDecision,
        today: NaiveDate,
        now: NaiveDateTime,
    ) -> Result<(ChcAssessment, LoadedPerson)> {
        self.check_may_change()?;
        let record = self.record_view(person_id, today)?;
        let chosen = choose_awaiting(&record.record.chc, assessed, today)
            .map_err(|e| {
                if record.is_sealed() {
                    ServiceError::Refused(format!(
                        "{e} as shown: this record is restricted, give a reason to see its assessments"
                    ))
                } else {
                    ServiceError::Refused(e)
                }
            })?
            .clone();
        let loaded = self.record_chc_decision(person_id, chosen.episode_id, decision, None, today, now)?;
        Ok((chosen, loaded))
    }
}

/// The decision as stored: names and note trimmed, an empty note left out.
fn tidy(d: &IcbDecision) -> IcbDecision {
    let trimmed = |s: &Option<String>| s.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned);
    IcbDecision {
        date: d.date,
        is_eligible: d.is_eligible,
        note: trimmed(&d.note),
        decided_by: trimmed(&d.decided_by),
    }
}
