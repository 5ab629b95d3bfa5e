//! A server's users (`joinedup users …`), managed by the database's owner, each
//! change audited in its own transaction (`store::access`).

use chrono::NaiveDateTime;

use super::{Result, Service};
use crate::domain::governance::AuditAction;
use crate::store::access::{NewUser, ServerRole, UserRow};

impl Service {
    /// Add a user: a login role in the group of `user.role`, with team and organisation.
    pub fn add_user(&mut self, user: &NewUser<'_>, now: NaiveDateTime) -> Result<()> {
        let detail = format!(
            "added the user {} as {}{}{}",
            user.name,
            user.role.code(),
            user.team.map(|t| format!(", team {t}")).unwrap_or_default(),
            user.organisation
                .map(|o| format!(", organisation {o}"))
                .unwrap_or_default()
        );
        let event = self.event(AuditAction::UserChanged, None, detail, None, now);
        Ok(self.store.add_user(user, &event)?)
    }

    /// Give a user another role.
    pub fn set_user_role(&mut self, name: &str, role: ServerRole, now: NaiveDateTime) -> Result<()> {
        let detail = format!("gave the user {name} the role {}", role.code());
        let event = self.event(AuditAction::UserChanged, None, detail, None, now);
        Ok(self.store.set_user_role(name, role, &event)?)
    }

    /// Stop a user signing in (their open sessions are ended).
    pub fn disable_user(&mut self, name: &str, now: NaiveDateTime) -> Result<()> {
        let event = self.event(
            AuditAction::UserChanged,
            None,
            format!("disabled the user {name}"),
            None,
            now,
        );
        Ok(self.store.disable_user(name, &event)?)
    }

    /// Every user of this database.
    pub fn users(&self) -> Result<Vec<UserRow>> {
        Ok(self.store.users()?)
    }
}
