//! Alerts (issue 16 item 4): a user's rules (added and removed, audited) and, when
//! the data changed, the new worklist events that match them. Events are detected
//! on each person's whole record and then disclosed exactly as the worklist
//! discloses them, and rules match the disclosed event
//! (`domain::worklist::alerts`), so an alert names the person the event is about
//! and says no more than their worklist line. Nothing leaves the machine.

use std::collections::{BTreeSet, HashSet};

use chrono::{NaiveDate, NaiveDateTime};

use super::{Result, Service, ServiceError};
use crate::domain::NhsNumber;
use crate::domain::governance::AuditAction;
use crate::domain::worklist::alerts::{AlertPeople, AlertRule, Reach, new_alerts};
use crate::domain::worklist::{EventKind, Target, Urgency};
use crate::store::Changed;

/// The most people an alert check reads for a rule for everyone after one import
/// (a bulk load brings many): the rest are not told of, and the notification says so.
pub const ALERT_PEOPLE_MAX: usize = 500;

/// One notification: a new event that matched a rule, as the worklist shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alert {
    pub person_id: i64,
    pub nhs_number: Option<NhsNumber>,
    pub name: String,
    pub kind: EventKind,
    pub date: NaiveDate,
    pub summary: String,
    pub urgency: Urgency,
    pub target: Target,
}

/// What one check found: the alerts, and people not checked (over the limit).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AlertCheck {
    pub alerts: Vec<Alert>,
    pub not_checked: usize,
}

impl Service {
    /// Add a rule for the acting user, audited.
    pub fn add_alert_rule(&mut self, kinds: Vec<String>, people: AlertPeople, now: NaiveDateTime) -> Result<AlertRule> {
        if kinds.is_empty() {
            return Err(ServiceError::Refused("an alert needs at least one event kind".into()));
        }
        let rule = AlertRule {
            id: 0,
            user: self.actor.user.clone(),
            kinds,
            people,
        };
        let detail = format!("alert added: {}", rule.describe());
        let event = self.event(AuditAction::AlertRuleAdded, None, detail, None, now);
        Ok(self.store.add_alert_rule(&rule, &event)?)
    }

    /// The acting user's rules.
    pub fn alert_rules(&self) -> Result<Vec<AlertRule>> {
        Ok(self.store.alert_rules(&self.actor.user)?)
    }

    /// Remove one of the acting user's rules, audited.
    pub fn remove_alert_rule(&mut self, id: i64, now: NaiveDateTime) -> Result<()> {
        let event = self.event(
            AuditAction::AlertRuleRemoved,
            None,
            format!("alert {id} removed"),
            None,
            now,
        );
        let user = self.actor.user.clone();
        if !self.store.remove_alert_rule(&user, id, &event)? {
            return Err(ServiceError::Refused(format!("you have no alert {id}")));
        }
        Ok(())
    }

    /// The worklist was opened: its caseload's events as they stood then, listed
    /// or not (an old A&E attendance is not news), are known.
    pub(super) fn remember_alerted(&mut self, shown: &[(i64, Vec<String>)]) {
        for (person_id, keys) in shown {
            self.alert_known
                .entry(*person_id)
                .or_default()
                .extend(keys.iter().cloned());
        }
    }

    /// After `changed`: the new events matching the acting user's rules, each told
    /// once in this session. Unaudited for the user's caseload and team, like the
    /// live refresh (it shows what their worklist would); audited against the person
    /// for anyone else (a rule for all people).
    pub fn check_alerts(&mut self, changed: &Changed, as_of: NaiveDate, now: NaiveDateTime) -> Result<AlertCheck> {
        let user = self.actor.user.clone();
        let rules = self.store.alert_rules(&user)?;
        if rules.is_empty() {
            return Ok(AlertCheck::default());
        }
        let caseload: BTreeSet<i64> = self.store.caseload(&user)?.iter().map(|c| c.person_id).collect();
        let team: BTreeSet<i64> = match self.store.coordinator(&user)?.and_then(|c| c.team) {
            Some(t) if rules.iter().any(|r| r.people != AlertPeople::Caseload) => {
                self.store.team_caseload(&t)?.iter().map(|c| c.person_id).collect()
            }
            _ => BTreeSet::new(),
        };
        let mut people: BTreeSet<i64> = caseload.union(&team).copied().filter(|p| changed.touches(*p)).collect();
        let mut not_checked = 0;
        if rules.iter().any(|r| r.people == AlertPeople::All) {
            people.extend(changed.people.iter().copied());
            let (imported, last) = self.store.people_imported_after(self.alert_last_run)?;
            self.alert_last_run = last;
            for p in imported {
                if people.len() >= ALERT_PEOPLE_MAX {
                    not_checked += 1;
                } else {
                    people.insert(p);
                }
            }
        }
        let ids: Vec<i64> = people.into_iter().collect();
        let state = self.store.look_state(&user, &ids)?;
        let mut alerts = Vec::new();
        for id in ids {
            let p = self.person_events(id, as_of)?;
            let seen: HashSet<(i64, String)> = p
                .real
                .iter()
                .zip(&p.shown)
                .filter(|(r, _)| state.seen.contains_key(&(id, r.key.clone())))
                .map(|(_, s)| (id, s.key.clone()))
                .collect();
            let reach = Reach {
                caseload: caseload.contains(&id),
                team: team.contains(&id),
            };
            let told = new_alerts(&rules, &p.shown, |_| reach, &seen, &mut self.alert_known, as_of);
            // A rule for all people tells of someone outside the user's caseload and
            // team: audited against that person, as a search that found them would be
            // (hostile review: anyone imported was named unaudited).
            if !told.is_empty() && !reach.caseload && !reach.team {
                let detail = format!("told of {} new event(s) by an alert rule for all people", told.len());
                self.audit(AuditAction::Search, Some(id), detail, None, now)?;
            }
            alerts.extend(told.into_iter().map(|e| Alert {
                person_id: id,
                nhs_number: p.record.person.nhs_number,
                name: p.record.person.display_name(),
                kind: e.kind,
                urgency: e.urgency(),
                date: e.date,
                summary: e.summary,
                target: e.target,
            }));
        }
        alerts.sort_by(|a, b| a.urgency.cmp(&b.urgency).then(b.date.cmp(&a.date)));
        Ok(AlertCheck { alerts, not_checked })
    }
}
