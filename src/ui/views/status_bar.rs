//! The status bar at the foot of every screen: who is acting, in what role, on
//! which database (SAFETY.md H27). On a server every part of it is the server's
//! word (`Service::session_info`); on the desktop it names the file, its one user
//! (this computer's account) and the role chosen. It never shows a password: the
//! server is `host:port/database`.

use egui::RichText;

use crate::service::{SessionInfo, SessionPlace};

/// The bar's height, fixed so that what it says never moves the controls above it.
pub const HEIGHT: f32 = 24.0;

/// Draw the bar as a bottom panel. `opening` says what the window tried to open
/// when there is no session (the database could not be opened or signed in to):
/// a server as `host:port/database`, never with its user or password.
pub fn status_bar_ui(ui: &mut egui::Ui, session: Option<&SessionInfo>, opening: &str) {
    egui::Panel::bottom("status")
        .exact_size(HEIGHT)
        .resizable(false)
        .show(ui, |ui| {
            ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Truncate);
            ui.horizontal_centered(|ui| {
                let parts = match session {
                    Some(s) => status_parts(s),
                    None => vec![format!("Not open: {opening}")],
                };
                for (i, part) in parts.iter().enumerate() {
                    if i > 0 {
                        ui.separator();
                    }
                    ui.label(RichText::new(part).weak());
                }
            });
        });
}

/// What the bar says, one part per fact, in the order shown.
pub fn status_parts(s: &SessionInfo) -> Vec<String> {
    let role = match &s.role_label {
        Some(r) => format!("Role: {r}"),
        None => "Role: not chosen yet".to_owned(),
    };
    match &s.place {
        SessionPlace::SignedIn { server } => {
            let mut parts = vec![format!("User: {}", s.user), role];
            parts.push(format!("Team: {}", s.team.as_deref().unwrap_or("none recorded")));
            if let Some(o) = &s.organisation {
                parts.push(format!("Organisation: {o}"));
            }
            parts.push(format!("Server: {server} (the server decides what you see)"));
            parts
        }
        SessionPlace::ServerOwner { server } => vec![
            format!("User: {} (this computer's account)", s.user),
            role,
            format!("Server: {server}, as the database's owner (administrator)"),
        ],
        SessionPlace::Desktop { file } => vec![
            format!("User: {} (this computer's account)", s.user),
            role,
            format!(
                "Desktop database {} (single user)",
                file.as_deref().unwrap_or("in memory")
            ),
        ],
    }
}
