//! The legitimate relationship and objections to sharing (issue 14 items 4 and 5,
//! SAFETY.md H25 and H26), once for the command line and the window. The server
//! enforces both; the service asks the server how the user stands, writes each
//! reason to the audit log in the transaction that takes the server's grant, and
//! refuses early (with the same words) what the server would refuse.

use chrono::{NaiveDate, NaiveDateTime};

use super::record::LoadedPerson;
use super::{Result, Service, ServiceError};
use crate::domain::governance::{AuditAction, Reason, Role};
use crate::domain::sharing::{Objection, ObjectionScope, Relationship, RelationshipRule};
use crate::store::sharing::{CareTeamMember, NewObjection};

/// Who is added to a care team.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MemberKind {
    User,
    Team,
}

impl MemberKind {
    pub fn code(self) -> &'static str {
        match self {
            MemberKind::User => "user",
            MemberKind::Team => "team",
        }
    }
}

/// What a reason given in the window opens (the same three as the command line's
/// `--reason`, `--access-reason` and `--emergency`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RevealKind {
    /// Break glass: the record's restricted items.
    BreakGlass,
    /// The record of someone outside the care team (not its restricted items).
    WithoutRelationship,
    /// Emergency access: everything, an objection to sharing overridden.
    Emergency,
}

impl Service {
    /// Give a reason of one of the three kinds; the record as now shown.
    pub fn reveal_as(
        &mut self,
        kind: RevealKind,
        person_id: i64,
        reason: &Reason,
        today: NaiveDate,
        now: NaiveDateTime,
    ) -> Result<LoadedPerson> {
        match kind {
            RevealKind::BreakGlass => self.reveal(person_id, reason, today, now),
            RevealKind::WithoutRelationship => self.open_without_relationship(person_id, reason, today, now),
            RevealKind::Emergency => self.emergency_access(person_id, reason, today, now),
        }
    }

    /// How the signed-in user stands with the person (`NotChecked` off a server).
    pub fn relationship(&self, person_id: i64) -> Result<Relationship> {
        Ok(self.store.relationship(person_id)?)
    }

    /// Open the record of someone outside the user's care team, giving a reason:
    /// audited as access without a recorded relationship, and open to this user for
    /// four hours (the server's grant). Refused where the deployment blocks it.
    pub fn open_without_relationship(
        &mut self,
        person_id: i64,
        reason: &Reason,
        today: NaiveDate,
        now: NaiveDateTime,
    ) -> Result<LoadedPerson> {
        match self.store.relationship(person_id)? {
            Relationship::None => {}
            Relationship::NotChecked => {
                return Err(ServiceError::Refused(
                    "no reason is needed: this record is not held back from you".into(),
                ));
            }
            Relationship::Recorded(basis) => {
                return Err(ServiceError::Refused(format!(
                    "no reason is needed: you are in this person's care team ({basis})"
                )));
            }
            Relationship::ReasonGiven => return self.record_view(person_id, today),
        }
        let event = self.event(
            AuditAction::AccessWithoutRelationship,
            Some(person_id),
            "opened the record without a recorded relationship (outside the care team) for four hours".into(),
            Some(reason),
            now,
        );
        self.store.open_without_relationship(&event)?;
        self.record_view(person_id, today)
    }

    /// Emergency break glass: everything of the person for four hours, an
    /// objection to sharing and restricted items included. Audited as emergency
    /// access, which the information governance lead's list of overrides shows.
    pub fn emergency_access(
        &mut self,
        person_id: i64,
        reason: &Reason,
        today: NaiveDate,
        now: NaiveDateTime,
    ) -> Result<LoadedPerson> {
        let objection = crate::domain::sharing::objection_in_force(&self.store.objections(person_id)?).is_some();
        let detail = if objection {
            "emergency access: overrode the objection to sharing in force, and showed restricted items, for four hours"
        } else {
            "emergency access: showed everything of the record, restricted items included, for four hours"
        };
        let event = self.event(
            AuditAction::EmergencyAccess,
            Some(person_id),
            detail.into(),
            Some(reason),
            now,
        );
        self.store.emergency_access(&event)?;
        self.revealed.insert(person_id);
        self.record_view(person_id, today)
    }

    /// The people and teams added explicitly to a person's care team.
    pub fn care_team(&self, person_id: i64) -> Result<Vec<CareTeamMember>> {
        Ok(self.store.care_team(person_id)?)
    }

    /// Add a user or team to a person's care team (the IG lead's; the server also
    /// allows its owner). False when already there: nothing is audited then.
    pub fn add_to_care_team(
        &mut self,
        person_id: i64,
        kind: MemberKind,
        member: &str,
        now: NaiveDateTime,
    ) -> Result<bool> {
        self.check_governs("changes a care team")?;
        let member = check_member(member)?;
        let detail = format!("added the {} {member} to the care team", kind.code());
        let event = self.event(AuditAction::CareTeamChanged, Some(person_id), detail, None, now);
        Ok(self
            .store
            .add_care_team_member(person_id, kind.code(), &member, &event)?)
    }

    /// Take a user or team off a person's care team. False when not there.
    pub fn remove_from_care_team(
        &mut self,
        person_id: i64,
        kind: MemberKind,
        member: &str,
        now: NaiveDateTime,
    ) -> Result<bool> {
        self.check_governs("changes a care team")?;
        let member = check_member(member)?;
        let detail = format!("took the {} {member} off the care team", kind.code());
        let event = self.event(AuditAction::CareTeamChanged, Some(person_id), detail, None, now);
        Ok(self
            .store
            .remove_care_team_member(person_id, kind.code(), &member, &event)?)
    }

    /// A person's objections to sharing, oldest first.
    pub fn objections(&self, person_id: i64) -> Result<Vec<Objection>> {
        Ok(self.store.objections(person_id)?)
    }

    /// The people with an objection in force, and since when.
    pub fn people_with_objections(&self) -> Result<Vec<crate::store::sharing::ObjectionHolder>> {
        self.check_governs("lists objections to sharing")?;
        Ok(self.store.people_with_objections()?)
    }

    /// Emergency accesses, newest first: the information governance lead's list of
    /// overrides to look into.
    pub fn emergency_accesses(&self, limit: usize) -> Result<Vec<crate::store::AuditEvent>> {
        self.check_governs("reviews emergency access")?;
        Ok(self.store.audit_events_of(AuditAction::EmergencyAccess.code(), limit)?)
    }

    /// Record that the person objected to sharing (the reason is the person's, in a
    /// few words), audited with it.
    pub fn record_objection(
        &mut self,
        person_id: i64,
        objected_on: NaiveDate,
        reason: &Reason,
        scope: &ObjectionScope,
        now: NaiveDateTime,
    ) -> Result<()> {
        self.check_governs("records an objection to sharing")?;
        let detail = format!(
            "recorded an objection to sharing made on {} (scope: {})",
            objected_on.format("%Y-%m-%d"),
            scope.describe()
        );
        let event = self.event(
            AuditAction::ObjectionChanged,
            Some(person_id),
            detail,
            Some(reason),
            now,
        );
        let new = NewObjection {
            person_id,
            objected_on,
            reason: reason.as_str(),
            scope,
        };
        Ok(self.store.record_objection(&new, &event)?)
    }

    /// Withdraw the person's objections in force from `on`. False when none was.
    pub fn withdraw_objection(&mut self, person_id: i64, on: NaiveDate, now: NaiveDateTime) -> Result<bool> {
        self.check_governs("withdraws an objection to sharing")?;
        let detail = format!("withdrew the objection to sharing from {}", on.format("%Y-%m-%d"));
        let event = self.event(AuditAction::ObjectionChanged, Some(person_id), detail, None, now);
        Ok(self.store.withdraw_objections(person_id, on, &event)?)
    }

    /// The deployment's rule for access without a relationship.
    pub fn relationship_rule(&self) -> Result<RelationshipRule> {
        Ok(self.store.relationship_rule()?)
    }

    /// Set the deployment's rule (the server's owner only), audited.
    pub fn set_relationship_rule(&mut self, rule: RelationshipRule, now: NaiveDateTime) -> Result<()> {
        let detail = format!("set the rule for access without a relationship: {}", rule.describe());
        let event = self.event(AuditAction::RelationshipRuleSet, None, detail, None, now);
        Ok(self.store.set_relationship_rule(rule, &event)?)
    }

    /// Care teams and objections are the information governance lead's (and, on a
    /// server, its owner's). The server checks the same for itself.
    fn check_governs(&self, what: &str) -> Result<()> {
        let role = match self.store.signed_in() {
            Some(s) => match s.role {
                crate::store::access::ServerRole::App(r) => Some(r),
                crate::store::access::ServerRole::Loader => None,
            },
            None if self.store.engine() == crate::store::Engine::Postgres => return Ok(()),
            None => self.actor.role,
        };
        if role == Some(Role::InformationGovernanceLead) {
            return Ok(());
        }
        Err(ServiceError::Refused(format!(
            "only the information governance lead {what}; you are signed in as {}",
            role.map(|r| r.label().to_lowercase())
                .unwrap_or_else(|| "no joinedup role".into())
        )))
    }
}

/// A user or team name as typed: trimmed, not empty, no control characters.
fn check_member(member: &str) -> Result<String> {
    let m = member.split_whitespace().collect::<Vec<_>>().join(" ");
    if m.is_empty() || m.chars().count() > 200 || m.chars().any(char::is_control) {
        return Err(ServiceError::Refused(format!("{member:?} is not a user or team name")));
    }
    Ok(m)
}
