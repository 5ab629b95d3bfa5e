//! `joinedup coordinator|follow|unfollow|worklist|tasks` (issue 16): the worklist's
//! JSON has exactly the documented fields, `--mark-seen` makes the same items come
//! back seen, a follow adds a person, and tasks round trip.

mod common;

use common::joinedup;
use serde_json::Value;

fn json(out: &std::process::Output) -> Value {
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("JSON on stdout")
}

fn keys(v: &Value) -> Vec<String> {
    let mut k: Vec<String> = v.as_object().expect("an object").keys().cloned().collect();
    k.sort();
    k
}

#[test]
fn worklist_json_and_mark_seen() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("training.db");
    let set = joinedup(
        &db,
        &[
            "--training",
            "coordinator",
            "--worker",
            "Sian Roberts (Westmere Council)",
            "--team",
            "Westmere",
        ],
    );
    assert!(set.status.success(), "{}", String::from_utf8_lossy(&set.stderr));
    let first = json(&joinedup(&db, &["--training", "worklist", "--json"]));
    assert_eq!(keys(&first), vec!["as_of", "items", "user", "watermark"]);
    let items = first["items"].as_array().unwrap();
    assert!(!items.is_empty(), "{first}");
    for item in items {
        assert_eq!(
            keys(item),
            vec![
                "date",
                "kind",
                "name",
                "nhs_number",
                "seen",
                "summary",
                "task",
                "urgency"
            ]
        );
        assert_eq!(item["seen"], Value::Bool(false));
    }
    assert!(
        items
            .iter()
            .any(|i| i["nhs_number"] == "9990000018" && i["name"] == "OKAFOR, Margaret")
    );
    let urgencies: Vec<&str> = items.iter().map(|i| i["urgency"].as_str().unwrap()).collect();
    let rank = |u: &str| ["urgent", "high", "routine"].iter().position(|x| *x == u).unwrap();
    assert!(
        urgencies.windows(2).all(|w| rank(w[0]) <= rank(w[1])),
        "most urgent first: {urgencies:?}"
    );

    let marked = json(&joinedup(&db, &["--training", "worklist", "--json", "--mark-seen"]));
    assert_eq!(marked["items"], first["items"], "--mark-seen prints the list it marks");
    let again = json(&joinedup(&db, &["--training", "worklist", "--json"]));
    let again_items = again["items"].as_array().unwrap();
    assert_eq!(again_items.len(), items.len());
    for (a, b) in again_items.iter().zip(items) {
        assert_eq!(a["seen"], Value::Bool(true));
        assert_eq!(
            (&a["kind"], &a["date"], &a["nhs_number"]),
            (&b["kind"], &b["date"], &b["nhs_number"])
        );
    }
    let other = joinedup(
        &db,
        &["--training", "worklist", "--user", "someone-else", "--mark-seen"],
    );
    assert!(!other.status.success(), "seen state is per user");

    // A follow brings Harold's open events, unseen.
    assert!(
        joinedup(&db, &["--training", "follow", "--nhs", "999 000 0026"])
            .status
            .success()
    );
    let followed = json(&joinedup(&db, &["--training", "worklist", "--json"]));
    let harold: Vec<&Value> = followed["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["nhs_number"] == "9990000026")
        .collect();
    assert!(
        !harold.is_empty() && harold.iter().all(|i| i["seen"] == Value::Bool(false)),
        "{followed}"
    );
    assert!(
        joinedup(&db, &["--training", "unfollow", "--nhs", "9990000026"])
            .status
            .success()
    );
}

#[test]
fn tasks_add_list_update_done() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("training.db");
    let add = joinedup(
        &db,
        &[
            "--training",
            "tasks",
            "add",
            "--nhs",
            "9990000018",
            "--title",
            "Book the home care restart",
            "--team",
            "Westmere",
            "--due",
            "2026-12-01",
            "--priority",
            "high",
        ],
    );
    assert!(add.status.success(), "{}", String::from_utf8_lossy(&add.stderr));
    let list = json(&joinedup(
        &db,
        &["--training", "tasks", "list", "--nhs", "9990000018", "--json"],
    ));
    // The training seed has tasks of its own for Margaret: find ours by its title.
    let by_title = |v: &Value| -> Option<Value> {
        v["tasks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["title"] == "Book the home care restart")
            .cloned()
    };
    let task = &by_title(&list).expect("the task made");
    assert_eq!(
        (&task["title"], &task["status"], &task["priority"]),
        (&"Book the home care restart".into(), &"open".into(), &"high".into())
    );
    let id = task["id"].as_i64().unwrap().to_string();
    let update = joinedup(
        &db,
        &[
            "--training",
            "tasks",
            "update",
            &id,
            "--status",
            "in-progress",
            "--due",
            "none",
        ],
    );
    assert!(update.status.success(), "{}", String::from_utf8_lossy(&update.stderr));
    assert!(joinedup(&db, &["--training", "tasks", "done", &id]).status.success());
    let open = json(&joinedup(
        &db,
        &["--training", "tasks", "list", "--nhs", "9990000018", "--json"],
    ));
    assert!(by_title(&open).is_none(), "done tasks are not listed without --all");
    let all_tasks = json(&joinedup(
        &db,
        &["--training", "tasks", "list", "--nhs", "9990000018", "--all", "--json"],
    ));
    let mine = by_title(&all_tasks).expect("listed with --all");
    assert_eq!(
        (&mine["status"], &mine["due"], &mine["version"]),
        (&"done".into(), &Value::Null, &3.into())
    );
    let bad = joinedup(&db, &["--training", "tasks", "update", &id, "--status", "finished"]);
    assert_eq!(
        bad.status.code(),
        Some(2),
        "a bad status is refused before anything opens"
    );
}

#[test]
fn alerts_add_list_remove() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("training.db");
    let added = joinedup(
        &db,
        &[
            "--training",
            "alerts",
            "add",
            "--kinds",
            "admitted,discharged",
            "--people",
            "team",
        ],
    );
    assert!(added.status.success(), "{}", String::from_utf8_lossy(&added.stderr));
    let said = String::from_utf8_lossy(&added.stdout).to_string();
    assert!(said.contains("admitted, discharged for my team's caseload"), "{said}");
    let listed = json(&joinedup(&db, &["--training", "alerts", "list", "--json"]));
    let alerts = listed["alerts"].as_array().unwrap();
    assert_eq!(alerts.len(), 1, "{listed}");
    assert_eq!(keys(&alerts[0]), vec!["id", "kinds", "people"]);
    assert_eq!(alerts[0]["people"], "team");
    assert_eq!(alerts[0]["kinds"], serde_json::json!(["admitted", "discharged"]));
    // A kind that does not exist, or a set of people, is refused where typed (exit 2).
    let bad = joinedup(&db, &["--training", "alerts", "add", "--kinds", "admited"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("is not an event kind"));
    let bad = joinedup(
        &db,
        &["--training", "alerts", "add", "--kinds", "all", "--people", "ward"],
    );
    assert_eq!(bad.status.code(), Some(2));
    let id = alerts[0]["id"].as_i64().unwrap().to_string();
    let removed = joinedup(&db, &["--training", "alerts", "remove", &id]);
    assert!(removed.status.success(), "{}", String::from_utf8_lossy(&removed.stderr));
    let again = joinedup(&db, &["--training", "alerts", "remove", &id]);
    assert!(!again.status.success(), "a rule removed twice");
    let listed = json(&joinedup(&db, &["--training", "alerts", "list", "--json"]));
    assert!(listed["alerts"].as_array().unwrap().is_empty(), "{listed}");
}
