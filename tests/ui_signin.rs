//! The window signed in (issue #14 item 6, SAFETY.md H27): on a server the user and
//! role are the server's, so there is no role picker, the status bar says who is
//! signed in, in what role and team, on which server, and the Audit screen is there
//! only for the role the server lets read the log. On the desktop the bar names the
//! file, its one user and the role chosen.
//!
//! The tests marked PostgreSQL skip (saying why) without a server unless
//! `JOINEDUP_TEST_POSTGRES=1`.

mod common;

use common::{config, harness_with, settle, wait_until};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use joinedup::domain::governance::{Actor, Role};
use joinedup::service::{Service, SessionInfo, SessionPlace};
use joinedup::store::access::{NewUser, ServerRole};
use joinedup::store::{ScratchDatabase, Store};
use joinedup::ui::{AppConfig, JoinedUpApp, Screen};

const PICKER: &str = "Who are you working as?";

fn at() -> chrono::NaiveDateTime {
    chrono::NaiveDate::from_ymd_opt(2026, 11, 22)
        .unwrap()
        .and_hms_opt(8, 0, 0)
        .unwrap()
}

// ---- the desktop (SQLite) ----

#[test]
fn the_desktop_status_bar_names_the_file_its_one_user_and_the_role() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("records.db");
    let store = Store::open(&file).unwrap();
    let mut h = harness_with(store, config(false, Role::CareCoordinator));
    h.get_by_label("User: tester (this computer's account)");
    h.get_by_label("Role: Care coordinator");
    h.get_by_label(&format!("Desktop database {} (single user)", file.display()));
    assert!(h.query_by_label(PICKER).is_none());
    let session = h.state().session().expect("a session").clone();
    assert!(!session.is_signed_in());
    assert_eq!(
        session.place,
        SessionPlace::Desktop {
            file: Some(file.display().to_string())
        }
    );
    settle(&mut h);
}

#[test]
fn a_coordinator_has_no_audit_button_and_cannot_navigate_there() {
    let mut h = harness_with(Store::open_in_memory().unwrap(), config(true, Role::CareCoordinator));
    h.get_by_label("Discharge board");
    assert!(h.query_by_label("Audit").is_none());
    h.state_mut().apply(joinedup::ui::Command::Navigate(Screen::Audit));
    settle(&mut h);
    assert_eq!(h.state().screen(), Screen::Search);
    h.get_by_label("Desktop database in memory (single user)");
}

#[test]
fn an_ig_lead_has_the_audit_button() {
    let mut h = harness_with(
        Store::open_in_memory().unwrap(),
        config(true, Role::InformationGovernanceLead),
    );
    h.get_by_label("Audit").click();
    settle(&mut h);
    assert_eq!(h.state().screen(), Screen::Audit);
    h.get_by_label("Role: Information governance lead");
}

#[test]
fn the_status_bar_keeps_its_height_whatever_it_says() {
    let mut h = harness_with(Store::open_in_memory().unwrap(), config(false, Role::CareCoordinator));
    let top_of_bar = |h: &Harness<'_, JoinedUpApp>| h.get_by_label("Role: Care coordinator").rect().top();
    let before = top_of_bar(&h);
    // A long message in the panel above the bar does not move the bar.
    h.state_mut().apply(joinedup::ui::Command::FindNhs(
        joinedup::domain::NhsNumber::parse("9990000018").unwrap(),
    ));
    wait_until(&mut h, "the message", |a| a.message().is_some());
    h.get_by_label_contains("No one with NHS number");
    assert_eq!(top_of_bar(&h), before);
}

// ---- the bar for a signed-in user, drawn from a session made here ----

fn signed_in_session(role: Role) -> SessionInfo {
    SessionInfo {
        user: "anna".into(),
        role: Some(role),
        role_label: Some(role.label().into()),
        team: Some("Discharge team".into()),
        organisation: Some("Westmere Council".into()),
        place: SessionPlace::SignedIn {
            server: joinedup::store::server_target("postgres://anna:secret@db.example:5433/care?password=secret"),
        },
    }
}

#[test]
fn a_signed_in_status_bar_says_user_role_team_organisation_and_server_without_password() {
    let session = signed_in_session(Role::CareCoordinator);
    let mut h = Harness::builder()
        .with_size(egui::vec2(1400.0, 200.0))
        .build_ui(move |ui| joinedup::ui::views::status_bar::status_bar_ui(ui, Some(&session), "unused"));
    h.step();
    h.get_by_label("User: anna");
    h.get_by_label("Role: Care coordinator");
    h.get_by_label("Team: Discharge team");
    h.get_by_label("Organisation: Westmere Council");
    h.get_by_label("Server: db.example:5433/care (the server decides what you see)");
    assert!(h.query_by_label_contains("secret").is_none());
    assert!(h.query_by_label_contains("(this computer's account)").is_none());
}

#[test]
fn the_audit_screen_follows_the_signed_in_role() {
    assert!(!signed_in_session(Role::CareCoordinator).sees_audit_screen());
    assert!(signed_in_session(Role::InformationGovernanceLead).sees_audit_screen());
    assert!(signed_in_session(Role::Trainer).is_signed_in());
}

// ---- signed in to a real server (PostgreSQL) ----

/// A scratch database with a coordinator, an IG lead and a loader, each a login role.
struct Server {
    db: ScratchDatabase,
    keys: Vec<tempfile::TempDir>,
}

impl Server {
    fn new(label: &str) -> Option<Self> {
        let db = ScratchDatabase::create(label)?;
        let owner_actor = Actor {
            user: "owner".into(),
            role: None,
        };
        let mut owner = Service::new(db.open().unwrap(), owner_actor, false).unwrap();
        for (short, role, team) in [
            ("anna", ServerRole::App(Role::CareCoordinator), Some("Discharge team")),
            ("ian", ServerRole::App(Role::InformationGovernanceLead), None),
            ("lou", ServerRole::Loader, None),
        ] {
            let name = db.user_name(short);
            let user = NewUser {
                name: &name,
                role,
                team,
                organisation: Some("Westmere Council"),
                password: None,
            };
            owner.add_user(&user, at()).unwrap();
        }
        Some(Self { db, keys: Vec::new() })
    }

    fn store(&mut self, short: &str) -> Store {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_server(&self.db.url_as(&self.db.user_name(short)), dir.path()).unwrap();
        self.keys.push(dir);
        store
    }

    /// The window signed in as `short`, with `--role` if given.
    fn window(&mut self, short: &str, role: Option<Role>) -> Harness<'static, JoinedUpApp> {
        let store = self.store(short);
        let config = AppConfig {
            db: joinedup::store::Location::Server(self.db.url_as(&self.db.user_name(short))),
            is_training: false,
            actor: "os-account".into(),
            role,
            theme: None,
        };
        harness_with(store, config)
    }

    /// The server part of the status bar, as the server's URL gives it.
    fn server_label(&self) -> String {
        format!(
            "Server: {} (the server decides what you see)",
            joinedup::store::server_target(self.db.url())
        )
    }
}

macro_rules! server_or_skip {
    ($label:expr) => {
        match Server::new($label) {
            Some(s) => s,
            None => return,
        }
    };
}

#[test]
fn the_session_is_the_servers_user_role_team_and_server() {
    let mut server = server_or_skip!("signin_session");
    let anna = server.db.user_name("anna");
    let claimed = Actor {
        user: "someone-else".into(),
        role: None,
    };
    let service = Service::new(server.store("anna"), claimed, false).unwrap();
    let session = service.session_info();
    assert_eq!(session.user, anna);
    assert_eq!(session.role, Some(Role::CareCoordinator));
    assert_eq!(session.role_label.as_deref(), Some("Care coordinator"));
    assert_eq!(session.team.as_deref(), Some("Discharge team"));
    assert_eq!(session.organisation.as_deref(), Some("Westmere Council"));
    let SessionPlace::SignedIn { server: target } = &session.place else {
        panic!("not signed in: {:?}", session.place)
    };
    assert_eq!(target, &joinedup::store::server_target(server.db.url()));
    assert!(!target.contains(&anna) && !target.contains('@'), "{target}");
    assert!(!session.sees_audit_screen());

    let ian = Service::new(
        server.store("ian"),
        Actor {
            user: "x".into(),
            role: None,
        },
        false,
    )
    .unwrap();
    let session = ian.session_info();
    assert_eq!(session.role, Some(Role::InformationGovernanceLead));
    assert_eq!(session.team, None);
    assert!(session.sees_audit_screen());

    // The owner is the administrator: not signed in as a user.
    let owner = Service::new(
        server.db.open().unwrap(),
        Actor {
            user: "owner".into(),
            role: None,
        },
        false,
    )
    .unwrap();
    assert!(matches!(owner.session_info().place, SessionPlace::ServerOwner { .. }));
}

#[test]
fn a_signed_in_window_has_no_picker_and_shows_who_is_signed_in() {
    let mut server = server_or_skip!("signin_window");
    let anna = server.db.user_name("anna");
    let server_label = server.server_label();

    let mut h = server.window("anna", None);
    assert!(h.query_by_label(PICKER).is_none());
    assert_eq!(h.state().role(), Some(Role::CareCoordinator));
    h.get_by_label(&format!("User: {anna}"));
    h.get_by_label("Role: Care coordinator");
    h.get_by_label("Team: Discharge team");
    h.get_by_label("Organisation: Westmere Council");
    h.get_by_label(&server_label);
    h.get_by_label("Discharge board");
    assert!(h.query_by_label("Audit").is_none());
    settle(&mut h);

    let mut h = server.window("ian", None);
    assert!(h.query_by_label(PICKER).is_none());
    h.get_by_label("Role: Information governance lead");
    h.get_by_label("Team: none recorded");
    h.get_by_label("Audit").click();
    settle(&mut h);
    assert_eq!(h.state().screen(), Screen::Audit);
}

#[test]
fn a_role_the_server_did_not_give_is_a_clear_refusal_not_a_window() {
    let mut server = server_or_skip!("signin_refused");
    let anna = server.db.user_name("anna");
    let h = server.window("anna", Some(Role::InformationGovernanceLead));
    h.get_by_label("Joined-Up Care Record cannot start");
    let fatal = h.state().fatal().expect("a refusal").to_owned();
    assert!(fatal.starts_with("The server refused this sign-in"), "{fatal}");
    assert!(
        fatal.contains(&anna) && fatal.contains("information governance lead"),
        "{fatal}"
    );
    assert!(h.query_by_label(PICKER).is_none());
    assert!(h.query_by_label("Discharge board").is_none());
    assert!(h.query_by_label("Audit").is_none());
    // Not signed in: the bar names the server without the user or password.
    h.get_by_label(&format!(
        "Not open: server {}",
        joinedup::store::server_target(server.db.url())
    ));

    // The loader is for imports and feeds, not the window.
    let mut h = server.window("lou", None);
    h.get_by_label("Joined-Up Care Record cannot start");
    assert!(h.state().fatal().is_some_and(|f| f.contains("loader")));
    assert!(h.query_by_label(PICKER).is_none());
    h.get_by_label("Role: Loader");
    settle(&mut h);
}

#[test]
fn a_role_changed_on_the_server_while_the_window_is_open_ends_it_on_reconnecting() {
    let mut server = server_or_skip!("signin_rerole");
    let anna = server.db.user_name("anna");
    let mut h = server.window("anna", None);
    h.get_by_label("Role: Care coordinator");
    // The owner makes her an IG lead, and her connection is lost.
    let owner_actor = Actor {
        user: "owner".into(),
        role: None,
    };
    let mut owner = Service::new(server.db.open().unwrap(), owner_actor, false).unwrap();
    owner
        .set_user_role(&anna, ServerRole::App(Role::InformationGovernanceLead), at())
        .unwrap();
    let mut sql = postgres::Client::connect(server.db.url(), postgres::NoTls).unwrap();
    sql.execute(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = $1",
        &[&anna],
    )
    .unwrap();
    // Connected again, the server says IG lead: the window, opened as a
    // coordinator, stops rather than show the old role or the new one's screens.
    wait_until(&mut h, "the refusal", |a| a.fatal().is_some());
    let fatal = h.state().fatal().unwrap().to_owned();
    assert!(
        fatal.contains("on connecting again") && fatal.contains("information governance lead"),
        "{fatal}"
    );
    h.get_by_label("Joined-Up Care Record cannot start");
    assert!(h.query_by_label("Audit").is_none());
    assert!(h.query_by_label("Discharge board").is_none());
}
