//! Access on a server (PostgreSQL migration 0011, SAFETY.md H16): who the signed-in
//! user is, taken from the connection and never from the command line, and the
//! owner's commands that add, list, disable and re-role users.
//!
//! A user is a PostgreSQL login role that is a member of one of joinedup's group
//! roles (`joinedup_care_coordinator`, `joinedup_trainer`, `joinedup_tester`,
//! `joinedup_ig_lead`, `joinedup_loader`). The app roles read only through the
//! views of the schema `joinedup_app`, which hold back what they may not see; the
//! store sets their `search_path` to it, so its SQL is the same for every user.
//! The owner of the tables (or a superuser) is the administrator and acts in
//! whatever role it names: nothing inside a database can stop its owner.

use crate::domain::governance::Role;
use crate::store::engine::{Conn, PgConn};
use crate::store::{AuditEvent, Result, Store, StoreError};

/// The joinedup role of a user signed in to a server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ServerRole {
    App(Role),
    /// Imports and feeds: writes the record's tables, reads everything.
    Loader,
}

impl ServerRole {
    /// The group role that grants it.
    pub fn group(self) -> &'static str {
        match self {
            ServerRole::App(Role::CareCoordinator) => "joinedup_care_coordinator",
            ServerRole::App(Role::Trainer) => "joinedup_trainer",
            ServerRole::App(Role::Tester) => "joinedup_tester",
            ServerRole::App(Role::InformationGovernanceLead) => "joinedup_ig_lead",
            ServerRole::Loader => "joinedup_loader",
        }
    }

    /// As `users add --role` takes it and `joinedup_user_role()` returns it.
    pub fn code(self) -> &'static str {
        match self {
            ServerRole::App(Role::CareCoordinator) => "care-coordinator",
            ServerRole::App(Role::Trainer) => "trainer",
            ServerRole::App(Role::Tester) => "tester",
            ServerRole::App(Role::InformationGovernanceLead) => "ig-lead",
            ServerRole::Loader => "loader",
        }
    }

    pub fn parse(text: &str) -> std::result::Result<Self, String> {
        match text.trim().to_lowercase().as_str() {
            "loader" => Ok(ServerRole::Loader),
            other => Role::parse(other)
                .map(ServerRole::App)
                .map_err(|_| format!("{text:?} is not a role: care-coordinator, trainer, tester, ig-lead or loader")),
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ServerRole::App(r) => r.label(),
            ServerRole::Loader => "Loader",
        }
    }

    const ALL: [ServerRole; 5] = [
        ServerRole::App(Role::InformationGovernanceLead),
        ServerRole::App(Role::CareCoordinator),
        ServerRole::App(Role::Trainer),
        ServerRole::App(Role::Tester),
        ServerRole::Loader,
    ];
}

/// Who the server says is signed in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedIn {
    pub user: String,
    pub role: ServerRole,
    pub team: Option<String>,
    pub organisation: Option<String>,
    /// The server and database as `host:port/database`: no user, no password.
    pub server: String,
}

impl SignedIn {
    /// The name the server writes on this user's audit events
    /// (`joinedup_actor_name()`); an event in any other name is refused.
    pub fn audit_name(&self) -> String {
        format!("{} ({}, signed in to the server)", self.user, self.role.label())
    }
}

/// The joinedup group the connection's login role belongs to, before anything else
/// is read: `None` for a superuser, the owner, or anyone outside joinedup's roles.
pub(in crate::store) fn membership(pg: &PgConn) -> Result<Option<ServerRole>> {
    let mut client = pg.client();
    let superuser: bool = client
        .query_one("SELECT rolsuper FROM pg_roles WHERE rolname = session_user", &[])
        .and_then(|r| r.try_get(0))
        .map_err(super::engine::postgres::error)?;
    if superuser {
        return Ok(None);
    }
    let groups: Vec<String> = client
        .query(
            "SELECT rolname FROM pg_roles WHERE rolname LIKE 'joinedup\\_%' AND pg_has_role(session_user, oid, 'MEMBER')",
            &[],
        )
        .map_err(super::engine::postgres::error)?
        .iter()
        .map(|r| r.get(0))
        .collect();
    Ok(ServerRole::ALL
        .into_iter()
        .find(|r| groups.iter().any(|g| g == r.group())))
}

/// Read who is signed in (after the schema is known to be current); a disabled
/// account is refused.
pub(in crate::store) fn signed_in(conn: &Conn, role: ServerRole, server: String) -> Result<SignedIn> {
    let (user, team, organisation, disabled, known): (String, Option<String>, Option<String>, bool, bool) = conn
        .query_row(
            "SELECT session_user::text, u.team, u.organisation, u.disabled_at IS NOT NULL, u.name IS NOT NULL
             FROM (SELECT 1) one LEFT JOIN app_user u ON u.name = session_user",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )?;
    // Group roles are the server's, not the database's: a user of another
    // joinedup database on the same server is no user of this one.
    if !known {
        return Err(StoreError::Connect(format!(
            "{user} is not a user of this database (ask its owner to add you with `users add`)"
        )));
    }
    if disabled {
        return Err(StoreError::Connect(format!(
            "the account {user} is disabled on this server"
        )));
    }
    Ok(SignedIn {
        user,
        role,
        team,
        organisation,
        server,
    })
}

/// One user as `users list` shows them.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct UserRow {
    pub name: String,
    pub role: Option<String>,
    pub team: Option<String>,
    pub organisation: Option<String>,
    pub can_sign_in: bool,
}

/// What `users add` is asked to make.
#[derive(Debug, Clone)]
pub struct NewUser<'a> {
    pub name: &'a str,
    pub role: ServerRole,
    pub team: Option<&'a str>,
    pub organisation: Option<&'a str>,
    /// Stored by the server as a SCRAM-SHA-256 verifier, never in clear.
    pub password: Option<&'a str>,
}

/// A user name joinedup accepts: letters, digits, `_`, `-` and `.`, starting with a
/// letter, at most 63 bytes (PostgreSQL's limit), and not one of joinedup's groups.
pub fn check_user_name(name: &str) -> std::result::Result<(), String> {
    let ok = name.len() <= 63
        && name.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
    if !ok || name.starts_with("joinedup_") || name.starts_with("pg_") {
        return Err(format!(
            "{name:?} is not a user name: letters, digits, '_', '-' or '.', starting with a letter"
        ));
    }
    Ok(())
}

impl Store {
    /// Who the server says is signed in; `None` on SQLite and for the owner.
    pub fn signed_in(&self) -> Option<&SignedIn> {
        self.signed_in.as_ref()
    }

    /// The owner's commands need the owner's connection.
    fn check_owner(&self) -> Result<()> {
        if self.engine() != crate::store::Engine::Postgres {
            return Err(StoreError::Refused(
                "users are kept on a server: give --db postgres://… (on the desktop, the account that owns the file is its one user)".into(),
            ));
        }
        if let Some(s) = &self.signed_in {
            return Err(StoreError::Refused(format!(
                "only the database owner manages users; {} is signed in as a {}",
                s.user,
                s.role.label().to_lowercase()
            )));
        }
        Ok(())
    }

    /// Add a user (a login role in the group of their role), with their team and
    /// organisation, audited in the same transaction.
    pub fn add_user(&mut self, user: &NewUser<'_>, event: &AuditEvent) -> Result<()> {
        self.check_owner()?;
        check_user_name(user.name).map_err(StoreError::Refused)?;
        let tx = self.audited_transaction()?;
        let exists: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = ?1)",
            [user.name],
            |r| r.get(0),
        )?;
        if exists {
            return Err(StoreError::Refused(format!(
                "a role named {} already exists on this server",
                user.name
            )));
        }
        tx.execute_batch("SET LOCAL password_encryption = 'scram-sha-256'")?;
        let create: String = match user.password {
            Some(pw) => tx.query_row(
                "SELECT format('CREATE ROLE %I LOGIN PASSWORD %L', ?1::text, ?2::text)",
                [user.name, pw],
                |r| r.get(0),
            )?,
            None => tx.query_row("SELECT format('CREATE ROLE %I LOGIN', ?1::text)", [user.name], |r| {
                r.get(0)
            })?,
        };
        tx.execute_batch(&create)?;
        grant_role(&tx, user.name, user.role)?;
        let search_path: String = tx.query_row(
            "SELECT format('ALTER ROLE %I IN DATABASE %I SET search_path = joinedup_app, public', ?1::text, current_database())",
            [user.name],
            |r| r.get(0),
        )?;
        tx.execute_batch(&search_path)?;
        // The database lets only its own users connect (PostgreSQL migration 12).
        let connect: String = tx.query_row(
            "SELECT format('GRANT CONNECT ON DATABASE %I TO %I', current_database(), ?1::text)",
            [user.name],
            |r| r.get(0),
        )?;
        tx.execute_batch(&connect)?;
        tx.execute(
            "INSERT INTO app_user (name, team, organisation) VALUES (?1, ?2, ?3)",
            crate::store::engine::params![user.name, user.team, user.organisation],
        )?;
        tx.append_audit(event)?;
        tx.commit()
    }

    /// Give a user another role (they keep one joinedup role at a time).
    pub fn set_user_role(&mut self, name: &str, role: ServerRole, event: &AuditEvent) -> Result<()> {
        self.check_owner()?;
        let tx = self.audited_transaction()?;
        require_user(&tx, name)?;
        grant_role(&tx, name, role)?;
        tx.append_audit(event)?;
        tx.commit()
    }

    /// Stop a user signing in, and end their open sessions.
    pub fn disable_user(&mut self, name: &str, event: &AuditEvent) -> Result<()> {
        self.check_owner()?;
        let tx = self.audited_transaction()?;
        require_user(&tx, name)?;
        let nologin: String = tx.query_row(
            "SELECT format('ALTER ROLE %I NOLOGIN; REVOKE CONNECT ON DATABASE %I FROM %I', ?1::text, current_database(), ?1::text)",
            [name],
            |r| r.get(0),
        )?;
        tx.execute_batch(&nologin)?;
        tx.execute("UPDATE app_user SET disabled_at = now() WHERE name = ?1", [name])?;
        tx.append_audit(event)?;
        tx.commit()?;
        self.conn.query_row(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE usename = ?1",
            [name],
            |r| r.get::<_, i64>(0),
        )?;
        Ok(())
    }

    /// Every user of this database, by name.
    pub fn users(&self) -> Result<Vec<UserRow>> {
        self.check_owner()?;
        let mut stmt = self.conn.prepare(
            "SELECT u.name, u.team, u.organisation, COALESCE(r.rolcanlogin, false) AND u.disabled_at IS NULL,
                    (SELECT string_agg(g.rolname, ',') FROM pg_roles g
                     WHERE g.rolname LIKE 'joinedup\\_%' AND r.oid IS NOT NULL AND pg_has_role(r.oid, g.oid, 'MEMBER'))
             FROM app_user u LEFT JOIN pg_roles r ON r.rolname = u.name ORDER BY u.name",
        )?;
        let rows = stmt.query_map([], |r| {
            let groups: Option<String> = r.get(4)?;
            let role = groups.and_then(|g| {
                ServerRole::ALL
                    .into_iter()
                    .find(|role| g.split(',').any(|x| x == role.group()))
                    .map(|role| role.code().to_owned())
            });
            Ok(UserRow {
                name: r.get(0)?,
                team: r.get(1)?,
                organisation: r.get(2)?,
                can_sign_in: r.get(3)?,
                role,
            })
        })?;
        rows.collect()
    }
}

fn require_user(conn: &Conn, name: &str) -> Result<()> {
    let known: bool = conn.query_row("SELECT EXISTS (SELECT 1 FROM app_user WHERE name = ?1)", [name], |r| {
        r.get(0)
    })?;
    if !known {
        return Err(StoreError::Refused(format!("{name} is not a user of this database")));
    }
    Ok(())
}

/// Make `role` the user's one joinedup role.
fn grant_role(conn: &Conn, name: &str, role: ServerRole) -> Result<()> {
    for other in ServerRole::ALL {
        let sql: String = conn.query_row(
            "SELECT CASE WHEN pg_has_role(?1::text, ?2::text, 'MEMBER') THEN format('REVOKE %I FROM %I', ?2::text, ?1::text) END",
            [name, other.group()],
            |r| r.get::<_, Option<String>>(0),
        )?
        .unwrap_or_default();
        if !sql.is_empty() && other != role {
            conn.execute_batch(&sql)?;
        }
    }
    let grant: String = conn.query_row(
        "SELECT format('GRANT %I TO %I', ?1::text, ?2::text)",
        [role.group(), name],
        |r| r.get(0),
    )?;
    conn.execute_batch(&grant)
}

impl Store {
    /// Record a break-glass (the event carries the reason) and, on a server, take
    /// the server's grant in the same transaction: the server then returns this
    /// person's restricted items to this user for four hours.
    pub fn break_glass(&mut self, event: &AuditEvent) -> Result<()> {
        let signed_in = self.signed_in.is_some();
        let tx = self.audited_transaction()?;
        tx.append_audit(event)?;
        if signed_in {
            tx.query_row(
                "SELECT joinedup_break_glass(?1, ?2)::text",
                crate::store::engine::params![event.person_id, event.reason],
                |r| r.get::<_, String>(0),
            )?;
        }
        tx.commit()
    }
}
