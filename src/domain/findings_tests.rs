//! Table-driven tests for the cross-sector findings, with `today` passed in.

use chrono::NaiveDate;

use super::chc::{ChcAssessment, ChcAssessmentKind, IcbDecision};
use super::dates::parse_date;
use super::episode::attr;
use super::findings::*;
use super::test_support::{episode, person};
use super::{Episode, EpisodeKind, EpisodeStatus, PersonRecord};

fn day(s: &str) -> NaiveDate {
    parse_date(s).expect("test date")
}

fn spell(id: i64, admitted: &str, discharged: Option<&str>, method: &str) -> Episode {
    let mut e = episode(EpisodeKind::InpatientSpell, admitted, discharged);
    e.id = id;
    e.organisation = Some("Northgate General".into());
    e.attributes.insert(attr::ADMISSION_METHOD.into(), method.into());
    e
}

fn service(id: i64, title: &str, start: &str, end: Option<&str>, status: EpisodeStatus) -> Episode {
    let mut e = episode(EpisodeKind::SocialCareService, start, end);
    e.id = id;
    e.title = title.into();
    e.status = status;
    e
}

fn record(episodes: Vec<Episode>) -> PersonRecord {
    let mut r = PersonRecord::new(person());
    r.episodes = episodes;
    r
}

#[test]
fn package_not_restarted_table() {
    let today = day("2026-11-22");
    let cases: Vec<(&str, Vec<Episode>, Option<&str>)> = vec![
        (
            "suspended on admission, never restarted",
            vec![
                service(
                    1,
                    "Home care 14h/week",
                    "2026-01-05",
                    Some("2026-10-02"),
                    EpisodeStatus::Suspended,
                ),
                spell(2, "2026-10-02", Some("2026-10-20"), "21"),
            ],
            Some(
                "Home care 14h/week was active when the admission to Northgate General began on 02-Oct-2026; not restarted within 2 days of discharge on 20-Oct-2026: no service has started since: 33 days as of 22-Nov-2026",
            ),
        ),
        (
            "restarted the day after discharge",
            vec![
                service(
                    1,
                    "Home care",
                    "2026-01-05",
                    Some("2026-10-02"),
                    EpisodeStatus::Suspended,
                ),
                spell(2, "2026-10-02", Some("2026-10-20"), "21"),
                service(3, "Home care", "2026-10-21", None, EpisodeStatus::Active),
            ],
            None,
        ),
        (
            "restarted on day 2 exactly (boundary, within)",
            vec![
                service(
                    1,
                    "Home care",
                    "2026-01-05",
                    Some("2026-10-02"),
                    EpisodeStatus::Suspended,
                ),
                spell(2, "2026-10-02", Some("2026-10-20"), "21"),
                service(3, "Reablement", "2026-10-22", Some("2026-11-05"), EpisodeStatus::Ended),
            ],
            None,
        ),
        (
            "restarted on day 3 (late)",
            vec![
                service(
                    1,
                    "Home care",
                    "2026-01-05",
                    Some("2026-10-02"),
                    EpisodeStatus::Suspended,
                ),
                spell(2, "2026-10-02", Some("2026-10-20"), "21"),
                service(3, "Home care", "2026-10-23", None, EpisodeStatus::Active),
            ],
            Some(
                "Home care was active when the admission to Northgate General began on 02-Oct-2026; not restarted within 2 days of discharge on 20-Oct-2026: it restarted 3 days after discharge (Home care on 23-Oct-2026)",
            ),
        ),
        (
            "package kept running through the stay",
            vec![
                service(1, "Home care", "2026-01-05", None, EpisodeStatus::Active),
                spell(2, "2026-10-02", Some("2026-10-20"), "21"),
            ],
            None,
        ),
        (
            "no package before admission",
            vec![spell(2, "2026-10-02", Some("2026-10-20"), "21")],
            None,
        ),
        (
            "still in hospital",
            vec![
                service(
                    1,
                    "Home care",
                    "2026-01-05",
                    Some("2026-10-02"),
                    EpisodeStatus::Suspended,
                ),
                spell(2, "2026-10-02", None, "21"),
            ],
            None,
        ),
        (
            "discharged yesterday: too soon to say",
            vec![
                service(
                    1,
                    "Home care",
                    "2026-01-05",
                    Some("2026-11-10"),
                    EpisodeStatus::Suspended,
                ),
                spell(2, "2026-11-10", Some("2026-11-21"), "21"),
            ],
            None,
        ),
    ];
    for (name, episodes, expected) in cases {
        let got = packages_not_restarted(&record(episodes), today);
        assert_eq!(got.first().map(|f| f.reason.as_str()), expected, "{name}");
        assert!(got.len() <= 1, "{name}");
    }
}

/// The later service a finding names is among its items, so a restricted one holds the
/// finding back; a service starting after `today` is not named (hostile review).
#[test]
fn a_late_restart_finding_carries_the_service_it_names_and_nothing_after_today() {
    let episodes = vec![
        service(
            1,
            "Home care",
            "2026-01-05",
            Some("2026-10-02"),
            EpisodeStatus::Suspended,
        ),
        spell(2, "2026-10-02", Some("2026-10-05"), "21"),
        service(3, "Refuge placement", "2026-10-20", None, EpisodeStatus::Active),
    ];
    let found = packages_not_restarted(&record(episodes.clone()), day("2026-11-22"));
    assert_eq!(found.len(), 1);
    assert!(found[0].reason.contains("Refuge placement"), "{}", found[0].reason);
    assert!(found[0].episode_ids.contains(&3), "{:?}", found[0].episode_ids);
    // As of a day before that service started, the finding says nothing of it.
    let found = packages_not_restarted(&record(episodes), day("2026-10-09"));
    assert_eq!(found.len(), 1);
    assert!(!found[0].reason.contains("Refuge"), "{}", found[0].reason);
    assert!(
        found[0].reason.contains("no service has started since"),
        "{}",
        found[0].reason
    );
    assert!(!found[0].episode_ids.contains(&3));
}

#[test]
fn died_in_hospital_is_not_a_missed_restart() {
    let mut s = spell(2, "2026-10-02", Some("2026-10-20"), "21");
    s.attributes.insert(attr::DISCHARGE_METHOD.into(), "4".into());
    let r = record(vec![
        service(
            1,
            "Home care",
            "2026-01-05",
            Some("2026-10-02"),
            EpisodeStatus::Suspended,
        ),
        s,
    ]);
    assert!(packages_not_restarted(&r, day("2026-11-22")).is_empty());
}

#[test]
fn emergency_readmission_table() {
    let cases: Vec<(&str, Vec<Episode>, Option<&str>)> = vec![
        (
            "emergency 12 days later",
            vec![
                spell(1, "2026-05-01", Some("2026-05-08"), "21"),
                spell(2, "2026-05-20", Some("2026-05-25"), "22"),
            ],
            Some(
                "emergency admission to Northgate General on 20-May-2026, 12 days after discharge from Northgate General on 08-May-2026",
            ),
        ),
        (
            "emergency on day 30 (boundary, counts)",
            vec![
                spell(1, "2026-05-01", Some("2026-05-08"), "11"),
                spell(2, "2026-06-07", None, "21"),
            ],
            Some(
                "emergency admission to Northgate General on 07-Jun-2026, 30 days after discharge from Northgate General on 08-May-2026",
            ),
        ),
        (
            "emergency on day 31",
            vec![
                spell(1, "2026-05-01", Some("2026-05-08"), "21"),
                spell(2, "2026-06-08", None, "21"),
            ],
            None,
        ),
        (
            "elective readmission",
            vec![
                spell(1, "2026-05-01", Some("2026-05-08"), "21"),
                spell(2, "2026-05-10", Some("2026-05-11"), "12"),
            ],
            None,
        ),
        (
            "first admission only",
            vec![spell(1, "2026-05-01", Some("2026-05-08"), "21")],
            None,
        ),
    ];
    for (name, episodes, expected) in cases {
        let got = emergency_readmissions(&record(episodes));
        assert_eq!(got.first().map(|f| f.reason.as_str()), expected, "{name}");
    }
}

#[test]
fn discharge_to_service_table() {
    let today = day("2026-11-22");
    let request = |id: i64, date: &str, route: &str| {
        let mut e = episode(EpisodeKind::SocialCareRequest, date, None);
        e.id = id;
        e.attributes.insert(attr::ROUTE_OF_ACCESS.into(), route.into());
        e
    };
    let cases: Vec<(&str, Vec<Episode>, Option<&str>)> = vec![
        (
            "request during the stay, reablement 1 day after discharge",
            vec![
                spell(1, "2026-09-01", Some("2026-09-10"), "21"),
                request(2, "2026-09-07", "Discharge from Hospital"),
                service(3, "Reablement", "2026-09-11", Some("2026-10-02"), EpisodeStatus::Ended),
            ],
            Some(
                "discharged from Northgate General on 10-Sep-2026; social care request (Discharge from Hospital) on 07-Sep-2026; first service (Reablement) started on 11-Sep-2026, 1 days after discharge",
            ),
        ),
        (
            "no service yet",
            vec![
                spell(1, "2026-11-01", Some("2026-11-12"), "21"),
                request(2, "2026-11-10", "discharge from hospital"),
            ],
            Some(
                "discharged from Northgate General on 12-Nov-2026; social care request (Discharge from Hospital) on 10-Nov-2026; no service has started: 10 days since discharge as of 22-Nov-2026",
            ),
        ),
        (
            "other route of access",
            vec![
                spell(1, "2026-09-01", Some("2026-09-10"), "21"),
                request(2, "2026-09-07", "Community / Other route"),
            ],
            None,
        ),
        (
            "request long after discharge",
            vec![
                spell(1, "2026-01-01", Some("2026-01-10"), "21"),
                request(2, "2026-03-07", "Discharge from Hospital"),
            ],
            None,
        ),
        (
            "still in hospital",
            vec![
                spell(1, "2026-11-01", None, "21"),
                request(2, "2026-11-10", "Discharge from Hospital"),
            ],
            None,
        ),
    ];
    for (name, episodes, expected) in cases {
        let got = discharge_to_service(&record(episodes), today);
        assert_eq!(got.first().map(|f| f.reason.as_str()), expected, "{name}");
    }
}

#[test]
fn chc_decision_overdue_table() {
    let checklist = |date: &str, positive: bool| ChcAssessment {
        episode_id: 1,
        kind: ChcAssessmentKind::Checklist,
        completed_on: day(date),
        completed_by: None,
        domains: vec![],
        mdt_recommendation: None,
        icb_decision: None,
        recorded_positive: Some(positive),
        evidence: vec![],
    };
    let dst = |date: &str, decided: Option<&str>| ChcAssessment {
        episode_id: 2,
        kind: ChcAssessmentKind::Dst,
        completed_on: day(date),
        completed_by: None,
        domains: vec![],
        mdt_recommendation: None,
        icb_decision: decided.map(|d| IcbDecision {
            date: day(d),
            is_eligible: false,
            note: None,
            decided_by: None,
        }),
        recorded_positive: None,
        evidence: vec![],
    };
    let today = day("2026-11-22");
    let cases: Vec<(&str, Vec<ChcAssessment>, Option<&str>)> = vec![
        (
            "positive 40 days ago, nothing since",
            vec![checklist("2026-10-13", true)],
            Some("positive CHC Checklist on 13-Oct-2026: no ICB decision after 40 days (due by 10-Nov-2026)"),
        ),
        (
            "positive 28 days ago: still in time",
            vec![checklist("2026-10-25", true)],
            None,
        ),
        (
            "positive 29 days ago",
            vec![checklist("2026-10-24", true)],
            Some("positive CHC Checklist on 24-Oct-2026: no ICB decision after 29 days (due by 21-Nov-2026)"),
        ),
        ("negative checklist", vec![checklist("2026-01-01", false)], None),
        (
            "DST with decision",
            vec![checklist("2026-08-01", true), dst("2026-08-20", Some("2026-08-25"))],
            None,
        ),
        (
            "DST done, decision still awaited",
            vec![checklist("2026-08-01", true), dst("2026-08-20", None)],
            Some("positive CHC Checklist on 01-Aug-2026: no ICB decision after 113 days (due by 29-Aug-2026)"),
        ),
    ];
    for (name, chc, expected) in cases {
        let mut r = record(vec![]);
        r.chc = chc;
        let got = chc_decisions_overdue(&r, today);
        assert_eq!(got.first().map(|f| f.reason.as_str()), expected, "{name}");
    }
}
