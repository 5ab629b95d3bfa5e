//! Care teams, the legitimate relationship and objections to sharing (SQLite
//! migration 16, PostgreSQL migration 12, SAFETY.md H25 and H26). On a server the
//! views hold back a record outside the user's care team and the items an
//! objection covers; these are the store's reads and audited writes of them. Each
//! grant is taken by the server's function in the same transaction as its audit
//! event, which the function checks.

use chrono::NaiveDate;

use crate::domain::sharing::{Objection, ObjectionScope, Relationship, RelationshipRule};
use crate::store::codec::{date_text, date_time_text, parse_date};
use crate::store::engine::{OptionalExtension, params};
use crate::store::{AuditEvent, Engine, Result, Store, StoreError};

/// The meta key of the deployment's rule (PostgreSQL migration 12).
pub const META_RELATIONSHIP_RULE: &str = "relationship_rule";

/// One member of a person's care team, added explicitly.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CareTeamMember {
    /// `user` or `team`.
    pub kind: String,
    pub member: String,
    pub added_by: String,
    pub added_at: String,
}

/// A person with an objection to sharing in force (the IG lead's list).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectionHolder {
    pub person_id: i64,
    pub since: NaiveDate,
    pub nhs_number: Option<String>,
    pub name: String,
}

/// A new objection to sharing, as the information governance lead records it.
#[derive(Debug, Clone)]
pub struct NewObjection<'a> {
    pub person_id: i64,
    pub objected_on: NaiveDate,
    pub reason: &'a str,
    pub scope: &'a ObjectionScope,
}

impl Store {
    /// How the signed-in user stands with the person: `NotChecked` on SQLite, for
    /// the owner, and for the roles the server does not check.
    pub fn relationship(&self, person_id: i64) -> Result<Relationship> {
        if self.signed_in.is_none() {
            return Ok(Relationship::NotChecked);
        }
        let (basis, related): (Option<String>, bool) = self.conn.query_row(
            "SELECT joinedup_relationship(?1), joinedup_related(?1)",
            [person_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        Ok(Relationship::from_server(basis, related))
    }

    /// The deployment's rule (the default where none is set: a reason).
    pub fn relationship_rule(&self) -> Result<RelationshipRule> {
        match self.meta(META_RELATIONSHIP_RULE)? {
            Some(code) => RelationshipRule::parse(&code).map_err(StoreError::Refused),
            None => Ok(RelationshipRule::Reason),
        }
    }

    /// Set the deployment's rule: the server's owner only, audited with it.
    pub fn set_relationship_rule(&mut self, rule: RelationshipRule, event: &AuditEvent) -> Result<()> {
        if self.engine() != Engine::Postgres || self.signed_in.is_some() {
            return Err(StoreError::Refused(
                "the rule for access without a relationship is set by the server's owner (on the desktop one user owns the file)".into(),
            ));
        }
        let tx = self.audited_transaction()?;
        tx.execute(
            "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [META_RELATIONSHIP_RULE, rule.code()],
        )?;
        tx.append_audit(event)?;
        tx.commit()
    }

    /// Open a record outside the care team: the event (with its reason) and the
    /// server's grant in one transaction. Only on a server.
    pub fn open_without_relationship(&mut self, event: &AuditEvent) -> Result<()> {
        self.audited_grant(event, "joinedup_open_without_relationship")
    }

    /// Emergency access (an objection overridden): the event and the server's
    /// grant in one transaction. Only on a server.
    pub fn emergency_access(&mut self, event: &AuditEvent) -> Result<()> {
        self.audited_grant(event, "joinedup_emergency_access")
    }

    fn audited_grant(&mut self, event: &AuditEvent, function: &'static str) -> Result<()> {
        if self.signed_in.is_none() {
            return Err(StoreError::Refused(
                "there is nothing to open: only a server holds a record back from its users".into(),
            ));
        }
        let tx = self.audited_transaction()?;
        tx.append_audit(event)?;
        tx.query_row(
            &format!("SELECT {function}(?1, ?2)::text"),
            params![event.person_id, event.reason],
            |r| r.get::<_, String>(0),
        )?;
        tx.commit()
    }

    /// The people and teams added to a person's care team.
    pub fn care_team(&self, person_id: i64) -> Result<Vec<CareTeamMember>> {
        let mut stmt = self.conn.prepare(
            "SELECT member_kind, member, added_by, added_at FROM care_team_member
             WHERE person_id = ?1 ORDER BY member_kind, member",
        )?;
        let rows = stmt.query_map([person_id], |r| {
            Ok(CareTeamMember {
                kind: r.get(0)?,
                member: r.get(1)?,
                added_by: r.get(2)?,
                added_at: r.get(3)?,
            })
        })?;
        rows.collect()
    }

    /// Add a user or team to a person's care team (false when already there),
    /// audited in the same transaction.
    pub fn add_care_team_member(
        &mut self,
        person_id: i64,
        kind: &str,
        member: &str,
        event: &AuditEvent,
    ) -> Result<bool> {
        self.change_audited(
            "INSERT INTO care_team_member (person_id, member_kind, member, added_by, added_at)
             VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (person_id, member_kind, member) DO NOTHING",
            params![person_id, kind, member, event.actor, date_time_text(event.at)],
            event,
        )
    }

    /// Take a user or team off a person's care team (false when not there).
    pub fn remove_care_team_member(
        &mut self,
        person_id: i64,
        kind: &str,
        member: &str,
        event: &AuditEvent,
    ) -> Result<bool> {
        self.change_audited(
            "DELETE FROM care_team_member WHERE person_id = ?1 AND member_kind = ?2 AND member = ?3",
            params![person_id, kind, member],
            event,
        )
    }

    /// A person's objections to sharing, oldest first (their reasons and who
    /// recorded them reach the IG lead only, on a server).
    pub fn objections(&self, person_id: i64) -> Result<Vec<Objection>> {
        let mut stmt = self.conn.prepare(
            "SELECT id, person_id, objected_on, reason, organisations, recorded_by, withdrawn_on
             FROM sharing_objection WHERE person_id = ?1 ORDER BY objected_on, id",
        )?;
        let rows = stmt.query_map([person_id], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, Option<String>>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, Option<String>>(6)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, person_id, on, reason, orgs, by, withdrawn) = row?;
            out.push(Objection {
                id,
                person_id,
                objected_on: parse_date(&on)?,
                reason,
                scope: ObjectionScope::from_stored(orgs.as_deref()),
                recorded_by: by,
                withdrawn_on: withdrawn.as_deref().map(parse_date).transpose()?,
            });
        }
        Ok(out)
    }

    /// The people with an objection in force, and since when (the IG lead's list).
    pub fn people_with_objections(&self) -> Result<Vec<ObjectionHolder>> {
        let mut stmt = self.conn.prepare(
            "SELECT o.person_id, min(o.objected_on), p.nhs_number, p.family_name, p.given_name
             FROM sharing_objection o JOIN person p ON p.id = o.person_id WHERE o.withdrawn_on IS NULL
             GROUP BY o.person_id, p.nhs_number, p.family_name, p.given_name ORDER BY p.family_name, o.person_id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Option<String>>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (person_id, on, nhs, family, given) = row?;
            out.push(ObjectionHolder {
                person_id,
                since: parse_date(&on)?,
                nhs_number: nhs,
                name: format!("{}, {given}", family.to_uppercase()),
            });
        }
        Ok(out)
    }

    /// Record an objection, audited in the same transaction. On a server only the
    /// information governance lead may (the server refuses anyone else).
    pub fn record_objection(&mut self, objection: &NewObjection<'_>, event: &AuditEvent) -> Result<()> {
        let tx = self.audited_transaction()?;
        tx.execute(
            "INSERT INTO sharing_objection (person_id, objected_on, reason, organisations, recorded_by, recorded_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                objection.person_id,
                date_text(objection.objected_on),
                objection.reason,
                objection.scope.to_stored(),
                event.actor,
                date_time_text(event.at)
            ],
        )?;
        tx.append_audit(event)?;
        tx.commit()
    }

    /// Withdraw the person's objections in force (false when none was).
    pub fn withdraw_objections(&mut self, person_id: i64, on: NaiveDate, event: &AuditEvent) -> Result<bool> {
        let tx = self.audited_transaction()?;
        let withdrawn = tx.execute(
            "UPDATE sharing_objection SET withdrawn_on = ?2, withdrawn_by = ?3
             WHERE person_id = ?1 AND withdrawn_on IS NULL",
            params![person_id, date_text(on), event.actor],
        )? > 0;
        if withdrawn {
            tx.append_audit(event)?;
            tx.commit()?;
        }
        Ok(withdrawn)
    }

    /// Whether the person has a grant of emergency access for this user now (on a
    /// server), so the window can say so.
    pub fn holds_emergency_access(&self, person_id: i64) -> Result<bool> {
        if self.signed_in.is_none() {
            return Ok(false);
        }
        Ok(self
            .conn
            .query_row(
                "SELECT 1 FROM break_glass_grant WHERE person_id = ?1 AND kind = 'emergency' AND expires_at > now()",
                [person_id],
                |r| r.get::<_, i64>(0),
            )
            .optional()?
            .is_some())
    }
}
