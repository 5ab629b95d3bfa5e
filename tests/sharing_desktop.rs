//! Care teams and objections on both engines as their owner sees them: on the
//! desktop (one user owns the file) and on a server's owner connection they are
//! kept, audited and listed, and nothing is held back from that one user
//! (SAFETY.md H25, H26; the server's enforcement is in tests/security_sharing.rs).

use chrono::{NaiveDate, NaiveDateTime};
use joinedup::domain::governance::{Actor, Reason, Role};
use joinedup::domain::sharing::{ObjectionScope, Relationship};
use joinedup::service::{MemberKind, Service};
use joinedup::store::{ScratchDatabase, Store};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
}

fn at(hh: u32) -> NaiveDateTime {
    today().and_hms_opt(hh, 0, 0).unwrap()
}

fn service(store: Store, role: Role) -> Service {
    let mut s = Service::new(
        store,
        Actor {
            user: "jsmith".into(),
            role: Some(role),
        },
        false,
    )
    .unwrap();
    s.seed_training(today(), at(8)).unwrap();
    s
}

fn reason(text: &str) -> Reason {
    Reason::parse(text).unwrap()
}

fn round_trip(mut s: Service, engine: &str) {
    let margaret = s.find_by_nhs_text("9990000018", at(9)).unwrap().id;
    let scope = ObjectionScope::parse(Some("Northgate General Hospital, Riverside Surgery")).unwrap();
    s.record_objection(
        margaret,
        today(),
        &reason("Does not want the hospital told"),
        &scope,
        at(9),
    )
    .unwrap();
    let objections = s.objections(margaret).unwrap();
    assert_eq!(objections.len(), 1, "{engine}");
    assert_eq!(objections[0].scope, scope, "{engine}");
    assert_eq!(objections[0].reason, "Does not want the hospital told", "{engine}");
    assert!(objections[0].in_force(), "{engine}");
    let holders = s.people_with_objections().unwrap();
    assert_eq!(holders.len(), 1, "{engine}");
    assert_eq!(
        (holders[0].person_id, holders[0].since),
        (margaret, today()),
        "{engine}"
    );
    assert_eq!(holders[0].nhs_number.as_deref(), Some("9990000018"), "{engine}");
    // One user owns the data: nothing is held back, and no notice claims otherwise.
    let loaded = s.open_record(margaret, today(), at(10)).unwrap();
    assert_eq!(loaded.relationship, Relationship::NotChecked, "{engine}");
    assert!(
        loaded.objection.is_none(),
        "{engine}: only a server enforces an objection"
    );
    assert!(
        s.open_without_relationship(margaret, &reason("Direct care: covering today"), today(), at(10))
            .is_err(),
        "{engine}: nothing to open"
    );
    assert!(s.withdraw_objection(margaret, today(), at(11)).unwrap(), "{engine}");
    assert!(
        !s.withdraw_objection(margaret, today(), at(11)).unwrap(),
        "{engine}: none in force"
    );
    assert!(!s.objections(margaret).unwrap()[0].in_force(), "{engine}");
    assert!(
        s.add_to_care_team(margaret, MemberKind::Team, " Elm   Ward ", at(12))
            .unwrap()
    );
    assert!(
        !s.add_to_care_team(margaret, MemberKind::Team, "Elm Ward", at(12))
            .unwrap()
    );
    let team = s.care_team(margaret).unwrap();
    assert_eq!(team.len(), 1, "{engine}");
    assert_eq!((team[0].kind.as_str(), team[0].member.as_str()), ("team", "Elm Ward"));
    assert!(
        s.remove_from_care_team(margaret, MemberKind::Team, "Elm Ward", at(13))
            .unwrap()
    );
    assert!(s.care_team(margaret).unwrap().is_empty(), "{engine}");
    let events: Vec<String> = s
        .store()
        .audit_for_person(margaret, 50)
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    let count = |a: &str| events.iter().filter(|e| *e == a).count();
    assert_eq!(count("objection_changed"), 2, "{engine}: {events:?}");
    assert_eq!(count("care_team_changed"), 2, "{engine}: {events:?}");
}

#[test]
fn objections_and_care_teams_round_trip_audited_on_the_desktop() {
    round_trip(
        service(Store::open_in_memory().unwrap(), Role::InformationGovernanceLead),
        "sqlite",
    );
}

#[test]
fn objections_and_care_teams_round_trip_audited_on_the_servers_owner_connection() {
    if let Some(db) = ScratchDatabase::create("sharing_owner") {
        round_trip(service(db.open().unwrap(), Role::InformationGovernanceLead), "postgres");
    }
}

#[test]
fn on_the_desktop_only_the_ig_lead_records_objections_and_changes_care_teams() {
    let mut s = service(Store::open_in_memory().unwrap(), Role::CareCoordinator);
    let margaret = s.find_by_nhs_text("9990000018", at(9)).unwrap().id;
    let err = s
        .record_objection(
            margaret,
            today(),
            &reason("Does not want it shared"),
            &ObjectionScope::All,
            at(9),
        )
        .unwrap_err();
    assert!(err.to_string().contains("information governance lead"), "{err}");
    let err = s
        .add_to_care_team(margaret, MemberKind::User, "anna", at(9))
        .unwrap_err();
    assert!(err.to_string().contains("information governance lead"), "{err}");
    let err = s
        .set_relationship_rule(joinedup::domain::sharing::RelationshipRule::Block, at(9))
        .unwrap_err();
    assert!(err.to_string().contains("owner"), "{err}");
}
