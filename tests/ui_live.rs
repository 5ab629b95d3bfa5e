//! The window while another coordinator works on the same database: their change
//! shows on the open record without a click, keeping the selected item; an edit
//! begun before it is marked stale, and saving it is refused naming who changed
//! the stay and when.

mod common;

use common::{open_by_nhs, settle, wait_for_training, wait_until};
use egui_kittest::kittest::Queryable;
use joinedup::domain::NhsNumber;
use joinedup::domain::governance::{Actor, Role};
use joinedup::service::Service;
use joinedup::store::{SpellChange, Store};
use joinedup::ui::JoinedUpApp;

const JOAN: &str = "9990000131";

fn pathway(a: &JoinedUpApp) -> Option<u8> {
    a.person()
        .and_then(|p| p.record.spells.iter().find(|s| s.discharged.is_none()))
        .and_then(|s| s.pathway)
}

/// Ann, at another desk: her own connection to the same file.
fn ann_changes_joan(ann: &mut Service, pathway: u8, hh: u32) {
    let today = chrono::Local::now().date_naive();
    let now = today.and_hms_opt(hh, 0, 0).unwrap();
    let joan = ann
        .find_by_nhs(NhsNumber::parse(JOAN).unwrap(), now)
        .unwrap()
        .unwrap()
        .id;
    let record = ann.open_record(joan, today, now).unwrap();
    let spell = record.record.spells.iter().find(|s| s.discharged.is_none()).unwrap();
    ann.change_spell(
        joan,
        spell.episode_id,
        spell.revision.number,
        &[SpellChange::SetPathway(Some(pathway))],
        today,
        now,
    )
    .unwrap();
}

#[test]
fn another_coordinators_change_shows_live_and_a_stale_edit_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("team.db");
    let mut h = common::harness_with(Store::open(&path).unwrap(), common::config(true, Role::CareCoordinator));
    wait_for_training(&mut h);
    let mut ann = Service::new(
        Store::open(&path).unwrap(),
        Actor {
            user: "ann".into(),
            role: Some(Role::CareCoordinator),
        },
        true,
    )
    .unwrap();
    open_by_nhs(&mut h, JOAN);
    assert_eq!(pathway(h.state()), Some(2));
    let spell_item = h.state().person().unwrap().record.spells[0].episode_id;
    h.state_mut().select_item(spell_item);
    settle(&mut h);
    assert_eq!(h.state().selected_item(), Some(spell_item));

    // Ann changes the pathway: the window shows it by itself, on the same item.
    ann_changes_joan(&mut ann, 3, 10);
    wait_until(&mut h, "Ann's change", |a| pathway(a) == Some(3));
    assert_eq!(h.state().selected_item(), Some(spell_item), "the selection stays");
    assert!(h.state().message().is_none(), "{:?}", h.state().message());

    // Bob starts an edit; Ann changes the stay again meanwhile.
    h.get_by_label("Edit").click();
    settle(&mut h);
    ann_changes_joan(&mut ann, 1, 11);
    wait_until(&mut h, "Ann's second change", |a| pathway(a) == Some(1));
    h.get_by_label_contains("This stay was changed elsewhere since you pressed Edit");
    h.get_by_label("Next action").focus();
    h.get_by_label("Next action").type_text(" and ring the daughter");
    settle(&mut h);
    h.get_by_label("Save").click();
    wait_until(&mut h, "the refusal", |a| a.message().is_some());
    let said = h.state().message().unwrap().to_owned();
    assert!(
        said.contains("changed by ann (Care coordinator, claimed) at 11:00; reload"),
        "{said}"
    );
    assert_eq!(pathway(h.state()), Some(1), "Ann's change stands");
}

/// The server ends the window's session (a restart, a failover): the window says
/// it is reconnecting, connects again by itself and carries on with the record.
#[test]
fn the_window_says_reconnecting_and_carries_on_when_the_server_drops_it() {
    let Some(db) = joinedup::store::ScratchDatabase::create("ui_reconnect") else {
        return;
    };
    let mut h = common::harness_with(db.open().unwrap(), common::config(true, Role::CareCoordinator));
    wait_for_training(&mut h);
    open_by_nhs(&mut h, JOAN);
    let mut admin = postgres::Client::connect(db.url(), postgres::NoTls).unwrap();
    let cut = admin
        .execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
             WHERE datname = current_database() AND pid <> pg_backend_pid()",
            &[],
        )
        .unwrap();
    assert!(cut >= 1);
    wait_until(&mut h, "the reconnecting notice", |a| {
        a.connection_notice()
            .is_some_and(|n| n.starts_with("Reconnecting to the database server (attempt 1)"))
    });
    wait_until(&mut h, "the connection again", |a| a.connection_notice().is_none());
    assert_eq!(h.state().message(), Some("Connected to the database server again."));
    // The record is still open and can be changed.
    assert_eq!(pathway(h.state()), Some(2));
    h.get_by_label("Edit").click();
    settle(&mut h);
    h.get_by_label("Next action").focus();
    h.get_by_label("Next action").type_text(" today");
    settle(&mut h);
    h.get_by_label("Save").click();
    wait_until(&mut h, "the saved change", |a| {
        a.person().is_some_and(|p| !p.spell_changes.is_empty())
    });
}
