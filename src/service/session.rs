//! Who is using the record and where it is kept, for the window's status bar
//! (SAFETY.md H27): on a server, everything the server says of the signed-in user;
//! on the desktop, the operating-system account and the role it chose.

use super::Service;
use crate::domain::governance::Role;
use crate::store::StorePlace;
use crate::store::access::ServerRole;

/// Who acts, in what role, and on which database: plain values, no connection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionInfo {
    /// The server's login on a server; the operating-system account on the desktop.
    pub user: String,
    /// The app role this session acts in: the server's when signed in, else the one
    /// chosen (or given with `--role`); `None` until chosen, and for the loader.
    pub role: Option<Role>,
    /// The role as the status bar names it ("Care coordinator", "Loader", …).
    pub role_label: Option<String>,
    pub team: Option<String>,
    pub organisation: Option<String>,
    pub place: SessionPlace,
}

/// Where the record is, and who decides what this user sees there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SessionPlace {
    /// Signed in to a server as one of its users: the server decides the role and
    /// what is shown. `server` is `host:port/database`.
    SignedIn { server: String },
    /// The database's owner (or a superuser) on a server: its administrator, in
    /// whatever role it names.
    ServerOwner { server: String },
    /// A desktop database file: one user, the account that owns the file.
    Desktop { file: Option<String> },
}

impl SessionInfo {
    /// Signed in to a server, so the role is the server's and is not chosen here.
    pub fn is_signed_in(&self) -> bool {
        matches!(self.place, SessionPlace::SignedIn { .. })
    }

    /// The Audit screen is shown only to a role the server (or, on the desktop, the
    /// program) lets read the whole audit log.
    pub fn sees_audit_screen(&self) -> bool {
        self.role.is_some_and(Role::sees_audit_screen)
    }
}

impl Service {
    /// Who is acting and where, as the status bar shows it: on a server, user,
    /// role, team and organisation are the server's (`store::access`).
    pub fn session_info(&self) -> SessionInfo {
        if let Some(s) = self.store.signed_in() {
            return SessionInfo {
                user: s.user.clone(),
                role: match s.role {
                    ServerRole::App(r) => Some(r),
                    ServerRole::Loader => None,
                },
                role_label: Some(s.role.label().to_owned()),
                team: s.team.clone(),
                organisation: s.organisation.clone(),
                place: SessionPlace::SignedIn {
                    server: s.server.clone(),
                },
            };
        }
        let place = match self.store.place() {
            StorePlace::Server(server) => SessionPlace::ServerOwner { server },
            StorePlace::File(file) => SessionPlace::Desktop {
                file: file.map(|f| f.display().to_string()),
            },
        };
        SessionInfo {
            user: self.actor.user.clone(),
            role: self.actor.role,
            role_label: self.actor.role.map(|r| r.label().to_owned()),
            team: None,
            organisation: None,
            place,
        }
    }
}
