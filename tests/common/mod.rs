//! What the integration tests share: running the binary, and the window under
//! egui_kittest on a store the test prepared. Each test file uses part of it.
#![allow(dead_code)]

pub mod places;
pub mod server_team;

use std::path::Path;
use std::process::{Command, Output};
use std::time::Duration;

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use joinedup::domain::governance::Role;
use joinedup::store::Store;
use joinedup::ui::{AppConfig, Command as UiCommand, JoinedUpApp, Screen};

/// Run `joinedup --db DB ARGS...`.
pub fn joinedup(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_joinedup"))
        .arg("--db")
        .arg(db)
        .args(args)
        .output()
        .expect("run joinedup")
}

/// The window's configuration for a test user `tester` in a role.
pub fn config(is_training: bool, role: Role) -> AppConfig {
    AppConfig {
        db: joinedup::store::Location::File("unused".into()),
        is_training,
        actor: "tester".into(),
        role: Some(role),
        theme: None,
    }
}

/// The window on `store`, laid out once, 1400 by 900, on "Find a person": the
/// tests written before the worklist start where the window then started (a care
/// coordinator now starts on the worklist: `harness_on_first_screen`).
pub fn harness_with(store: Store, config: AppConfig) -> Harness<'static, JoinedUpApp> {
    let mut h = harness_on_first_screen(store, config);
    if h.state().screen() == Screen::Worklist {
        h.state_mut().apply(UiCommand::Navigate(Screen::Search));
        h.step();
    }
    h
}

/// The window on `store`, laid out once, 1400 by 900, on the screen it starts on.
pub fn harness_on_first_screen(store: Store, config: AppConfig) -> Harness<'static, JoinedUpApp> {
    let app = JoinedUpApp::with_store(&egui::Context::default(), store, config, Default::default());
    let mut h = Harness::builder()
        .with_size(egui::vec2(1400.0, 900.0))
        .build_ui_state(|ui, app: &mut JoinedUpApp| app.ui_root(ui), app);
    h.step();
    h
}

/// Step until `done` holds; the database answers on its own thread. Up to a minute
/// of wall-clock time: a loaded 2-core machine (CI beside other builds) can take
/// seconds to seed the training people.
pub fn wait_until(h: &mut Harness<'_, JoinedUpApp>, what: &str, done: impl Fn(&JoinedUpApp) -> bool) {
    let start = std::time::Instant::now();
    while start.elapsed() < Duration::from_secs(60) {
        h.step();
        if done(h.state()) {
            h.step();
            return;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    panic!("timed out waiting for {what}");
}

/// Step until the training people are loaded.
pub fn wait_for_training(h: &mut Harness<'_, JoinedUpApp>) {
    wait_until(h, "training data", |a| a.overview().is_some_and(|o| o.people > 0));
}

/// A few frames, for a click or a keystroke to take effect.
pub fn settle(h: &mut Harness<'_, JoinedUpApp>) {
    for _ in 0..3 {
        h.step();
    }
}

/// Type an NHS number (spaced or not) into the search box and wait for that
/// person's record.
pub fn open_by_nhs(h: &mut Harness<'_, JoinedUpApp>, nhs: &str) {
    let search = h.get_by_label("Search by NHS number or name");
    search.focus();
    search.type_text(nhs);
    let digits: String = nhs.chars().filter(char::is_ascii_digit).collect();
    wait_until(h, "the record", |a| {
        a.person()
            .is_some_and(|p| p.record.person.nhs_number.is_some_and(|n| n.digits() == digits))
    });
}
