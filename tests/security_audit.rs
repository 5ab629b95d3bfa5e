//! The audit screen's log and the trainers' reset on a team's server: the log and
//! its export are the signed-in information governance lead's, read through the
//! server's views with people named; a coordinator is refused both; no one resets
//! a server's training data from the window (its owner seeds it).

mod common;

use common::server_team::{MARGARET, at, today};
use joinedup::domain::NhsNumber;
use joinedup::domain::audit_log::AuditRange;
use joinedup::domain::governance::TRAINING_WATERMARK;
use joinedup::service::{AuditFilter, OutputKind, ServiceError};

#[test]
fn on_a_server_the_ig_lead_reads_and_exports_the_log_and_no_one_resets_training() {
    let mut team = team_or_skip!("sec_audit");
    let mut anna = team.service("anna");
    let margaret = anna
        .find_by_nhs(NhsNumber::parse(MARGARET).unwrap(), at(9, 0))
        .unwrap()
        .unwrap()
        .id;
    anna.open_record(margaret, today(), at(9, 1)).unwrap();
    assert!(matches!(
        anna.audit_log(AuditRange::default()),
        Err(ServiceError::Refused(_))
    ));
    let all = OutputKind::AuditCsv {
        range: AuditRange::default(),
        filter: AuditFilter::default(),
    };
    assert!(matches!(
        anna.output(&all, today(), at(9, 2)),
        Err(ServiceError::Refused(_))
    ));
    assert!(matches!(
        anna.reset_training(today(), at(9, 2)),
        Err(ServiceError::Refused(_))
    ));

    let mut ian = team.service("ian");
    let log = ian.audit_log(AuditRange::default()).unwrap();
    let open = log
        .lines
        .iter()
        .find(|l| l.event.action == "open" && l.event.person_id == Some(margaret))
        .expect("Anna's open");
    assert_eq!(open.person.label(), "OKAFOR, Margaret (999 000 0018)");
    assert!(open.event.actor.contains(&team.user("anna")), "{}", open.event.actor);
    let csv = ian.output(&all, today(), at(9, 3)).unwrap();
    assert!(
        csv.text().starts_with(TRAINING_WATERMARK),
        "a training database's export is marked"
    );
    assert!(csv.text().contains("\"OKAFOR, Margaret\",999 000 0018"));
    assert!(matches!(
        ian.reset_training(today(), at(9, 4)),
        Err(ServiceError::Refused(_))
    ));
    assert_eq!(ian.training_stories().unwrap().len(), 16);
}
