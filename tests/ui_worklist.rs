//! The worklist screen under egui_kittest (issue 16): a care coordinator starts on
//! it; Open takes them to the record at the item; Follow on the banner puts a
//! person on the caseload; a change another user makes that matches an alert rule
//! shows a notification and a badge on the Worklist button.

mod common;

use chrono::Local;
use common::{settle, wait_until};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use joinedup::domain::governance::{Actor, Role};
use joinedup::domain::worklist::alerts::{AlertPeople, parse_kinds};
use joinedup::domain::worklist::tasks::Owner;
use joinedup::domain::worklist::{Priority, Target};
use joinedup::service::{NewTask, Service};
use joinedup::store::Store;
use joinedup::ui::{AppConfig, JoinedUpApp, Screen};

const SIAN: &str = "sian.roberts";

fn config(actor: &str) -> AppConfig {
    AppConfig {
        db: joinedup::store::Location::File("unused".into()),
        is_training: true,
        actor: actor.into(),
        role: Some(Role::CareCoordinator),
        theme: None,
    }
}

/// Sian Roberts, a training coordinator, on her worklist once it is read.
fn sians_worklist(store: Store) -> Harness<'static, JoinedUpApp> {
    let mut h = common::harness_on_first_screen(store, config(SIAN));
    assert_eq!(
        h.state().screen(),
        Screen::Worklist,
        "a coordinator starts on the worklist"
    );
    wait_until(&mut h, "Sian's worklist", |a| {
        a.worklist()
            .is_some_and(|w| w.list.caseload > 0 && !w.list.items.is_empty())
    });
    h
}

#[test]
fn open_on_the_worklist_opens_the_record_at_the_item() {
    let mut h = sians_worklist(Store::open_in_memory().expect("store"));
    h.get_by_label("Mark all seen");
    h.get_by_label_contains("people on your caseload");
    let items = h.state().worklist().expect("worklist").list.items.clone();
    // The first line about a timeline item (its row is on screen: the list starts there).
    let (row, item) = items
        .iter()
        .enumerate()
        .find(|(_, i)| matches!(i.target, Target::Episode(_)))
        .expect("an event about a timeline item");
    let Target::Episode(episode_id) = item.target else {
        unreachable!()
    };
    h.get_by_label_contains(&item.summary);
    let opens: Vec<_> = h.get_all_by_label("Open").collect();
    assert!(opens.len() > row, "{} Open buttons for row {row}", opens.len());
    opens[row].click();
    wait_until(&mut h, "the record at the item", |a| {
        a.screen() == Screen::Person && a.selected_item() == Some(episode_id)
    });
    let person = h.state().person().expect("record");
    assert_eq!(
        person.record.person.id, item.person_id,
        "the record of the event's person"
    );
    assert_eq!(person.record.person.display_name(), item.name);
    // The record screen shows that person, and the detail pane the item.
    h.get_by_label_contains(&item.name);
    h.get_by_label("Provenance");
}

#[test]
fn ctrl_f_or_ctrl_k_returns_to_the_search_box_from_any_screen() {
    let mut h = sians_worklist(Store::open_in_memory().expect("store"));
    for key in [egui::Key::F, egui::Key::K] {
        h.get_all_by_label("Worklist").next().expect("navigation").click();
        wait_until(&mut h, "the worklist", |a| a.screen() == Screen::Worklist);
        h.key_press_modifiers(egui::Modifiers::COMMAND, key);
        wait_until(&mut h, "the search screen", |a| a.screen() == Screen::Search);
        h.step();
        // The box has the keyboard: what is typed next goes into it.
        assert!(
            h.get_by_label("Search by NHS number or name").is_focused(),
            "Ctrl+{key:?}"
        );
        h.get_by_label("Search by NHS number or name").type_text("9990000018");
        wait_until(&mut h, "Margaret Okafor", |a| a.person().is_some());
        assert_eq!(
            h.state()
                .person()
                .expect("record")
                .record
                .person
                .demographics
                .family_name,
            "Okafor"
        );
    }
}

#[test]
fn mark_all_seen_keeps_the_list_marked_seen() {
    let mut h = sians_worklist(Store::open_in_memory().expect("store"));
    let before = h.state().worklist().expect("worklist").list.items.len();
    h.get_by_label("Mark all seen").click();
    wait_until(&mut h, "the events marked seen", |a| {
        a.worklist().is_some_and(|w| w.list.items.iter().all(|i| i.seen))
    });
    assert_eq!(h.state().worklist().expect("worklist").list.items.len(), before);
    h.get_by_label("Nothing new: these are the events of your last look");
}

#[test]
fn follow_on_the_banner_puts_the_person_on_the_worklist() {
    let store = Store::open_in_memory().expect("store");
    let mut h = common::harness_with(store, config("tom.asante"));
    common::wait_for_training(&mut h);
    // Margaret is Sian's, not Tom's.
    common::open_by_nhs(&mut h, "9990000018");
    let margaret = h.state().person().expect("record").record.person.id;
    assert!(!h.state().person().expect("record").is_following);
    h.get_by_label("Follow").click();
    wait_until(&mut h, "the follow", |a| a.person().is_some_and(|p| p.is_following));
    h.get_by_label("Unfollow");
    h.get_by_label("You follow this person: they are on your worklist");
    h.get_by_label("Worklist").click();
    wait_until(&mut h, "Tom's worklist with Margaret", |a| {
        a.worklist()
            .is_some_and(|w| w.list.items.iter().any(|i| i.person_id == margaret))
    });
}

#[test]
fn a_matching_change_by_another_user_shows_an_alert_and_a_badge() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("team.db");
    let mut h = sians_worklist(Store::open(&path).expect("store"));
    let margaret = h
        .state()
        .worklist()
        .and_then(|w| {
            w.list
                .items
                .iter()
                .find(|i| i.nhs_number.is_some_and(|n| n.digits() == "9990000018"))
        })
        .map(|i| i.person_id)
        .expect("Margaret on Sian's worklist");
    // Another client (Sian's rule, Tom's task for her), as another window would.
    let today = Local::now().date_naive();
    let now = Local::now().naive_local();
    let client = |user: &str| {
        let actor = Actor {
            user: user.into(),
            role: Some(Role::CareCoordinator),
        };
        Service::new(Store::open(&path).expect("store"), actor, true).expect("service")
    };
    client(SIAN)
        .add_alert_rule(parse_kinds("task_due").expect("kinds"), AlertPeople::Caseload, now)
        .expect("rule");
    let task = NewTask {
        person_id: margaret,
        title: "Ring the ward about the discharge letter".into(),
        owner: Some(Owner::User(SIAN.into())),
        due: Some(today),
        priority: Priority::High,
        notes: String::new(),
        event_key: None,
    };
    client("tom.asante").add_task(task, today, now).expect("task");
    wait_until(&mut h, "the alert", |a| !a.alerts().is_empty());
    settle(&mut h);
    h.get_by_label("Worklist (1 new)");
    assert!(
        h.get_all_by_label_contains("Ring the ward about the discharge letter")
            .count()
            >= 1
    );
    h.get_by_label("Dismiss alerts").click();
    settle(&mut h);
    assert!(h.state().alerts().is_empty());
    assert!(h.query_by_label("Worklist (1 new)").is_none(), "the badge clears");
}

#[test]
fn create_task_from_an_event_and_finish_a_due_task() {
    let mut h = sians_worklist(Store::open_in_memory().expect("store"));
    let first = h.state().worklist().expect("worklist").list.items[0].clone();
    h.get_all_by_label("Create task")
        .next()
        .expect("a Create task button")
        .click();
    settle(&mut h);
    let title = h.get_by_label("Task title");
    title.focus();
    title.type_text("Ring the family about the plan");
    h.get_by_label_contains("For my team (Westmere hospital discharge team)")
        .click();
    settle(&mut h);
    h.get_by_label("Save task").click();
    wait_until(&mut h, "the task beside its event", |a| {
        a.worklist().is_some_and(|w| {
            w.list.items.iter().any(|i| {
                i.key == first.key
                    && i.task.as_ref().is_some_and(|t| {
                        t.title == "Ring the family about the plan"
                            && t.owner == "team Westmere hospital discharge team"
                    })
            })
        })
    });
    // The training seed's task overdue for the team is in the due section: Done finishes it.
    let due = h.state().worklist().expect("worklist").due_tasks.clone();
    assert!(!due.is_empty(), "the seed has tasks due or overdue");
    let done_id = due[0].task.id;
    h.get_all_by_label("Done").next().expect("a Done button").click();
    wait_until(&mut h, "the task done", |a| {
        a.worklist()
            .is_some_and(|w| w.due_tasks.iter().all(|t| t.task.id != done_id))
    });
}
