//! Signing in (SAFETY.md H27): the window's user and role come from the service's
//! session, which on a server is the server's word, so the role picker is not
//! shown there; a sign-in the service refuses is a screen of its own, not a panic
//! or a blank window.

use super::*;
use crate::domain::governance::Actor;
use crate::service::{Service, ServiceError, SessionInfo};

impl JoinedUpApp {
    /// Who is acting and where, as the status bar shows it (`None` when nothing
    /// could be opened).
    pub fn session(&self) -> Option<&SessionInfo> {
        self.session.as_ref()
    }

    /// Why the window cannot start, when it cannot.
    pub fn fatal(&self) -> Option<&str> {
        self.fatal.as_deref()
    }

    /// The Audit screen and its button: on a server only where the server's role
    /// reads the whole log; on the desktop for the role chosen.
    pub(super) fn sees_audit_screen(&self) -> bool {
        match &self.session {
            Some(s) if s.is_signed_in() => s.sees_audit_screen(),
            _ => self.config.role.is_some_and(|r| r.sees_audit_screen()),
        }
    }

    /// The server no longer signs this user in as the window was opened (their role
    /// was changed while the connection was down): nothing more of the record.
    pub(super) fn signed_out(&mut self, why: &str) {
        self.connection = None;
        self.person = Loadable::Idle;
        self.fatal = Some(format!(
            "The server refused this sign-in on connecting again: {why}. Close the window and open it again."
        ));
    }

    /// What the status bar says before there is a session: the server as
    /// `host:port/database` (no user, no password), or the file.
    pub(super) fn opening_label(&self) -> String {
        match &self.config.db {
            crate::store::Location::Server(url) => format!("server {}", crate::store::server_target(url)),
            crate::store::Location::File(path) => format!("desktop database {}", path.display()),
        }
    }

    /// Whether the window asks who the user is working as: not on a server, where
    /// the role is the server's, and not before the database is open.
    pub(super) fn asks_for_role(&self) -> bool {
        self.config.role.is_none() && !self.session.as_ref().is_some_and(SessionInfo::is_signed_in)
    }
}

/// Why the window cannot start, and the session when there is one (the status bar
/// still says who was signed in).
pub(super) struct Refused {
    pub why: String,
    pub session: Option<Box<SessionInfo>>,
}

/// Start the service for the window's user: on a server the user and role become
/// the server's. Refused (a `--role` the server did not give, the loader, a
/// database that cannot be read): why, in words, and the session if there is one.
pub(super) fn sign_in(store: Store, config: &mut AppConfig) -> Result<(Service, SessionInfo), Refused> {
    let actor = Actor {
        user: config.actor.clone(),
        role: config.role,
    };
    let service = Service::new(store, actor, config.is_training).map_err(|e| Refused {
        why: start_refusal(&e),
        session: None,
    })?;
    let session = service.session_info();
    match adopt_session(config, &session) {
        Ok(()) => Ok((service, session)),
        Err(why) => Err(Refused {
            why,
            session: Some(Box::new(session)),
        }),
    }
}

/// The screen instead of the record when the window cannot start.
pub(super) fn cannot_start_ui(ui: &mut egui::Ui, why: &str) {
    egui::CentralPanel::default().show(ui, |ui| {
        ui.heading("Joined-Up Care Record cannot start");
        ui.label(RichText::new(why).color(theme::of(ui).danger));
        ui.label("Nothing of the record is shown.");
    });
}

/// Take the user and role of a signed-in session into the window's configuration:
/// the server's, whatever the command line said (a `--role` that differs was
/// refused already). The loader has no app role and is refused the window.
fn adopt_session(config: &mut AppConfig, session: &SessionInfo) -> Result<(), String> {
    if !session.is_signed_in() {
        return Ok(());
    }
    let Some(role) = session.role else {
        return Err(format!(
            "{} is signed in to the server as its loader, the account for imports and feeds \
             (joinedup import, joinedup listen). Open the window with your own account.",
            session.user
        ));
    };
    config.actor = session.user.clone();
    config.role = Some(role);
    Ok(())
}

/// What the window says when the service will not start for this user.
fn start_refusal(e: &ServiceError) -> String {
    match e {
        ServiceError::Refused(why) => format!("The server refused this sign-in: {why}."),
        e => format!("The database could not be read: {e}"),
    }
}
