//! Hospital spells CSV tests: plain columns with episodes grouped into spells, every
//! error message, and the artificial HES admitted-care file.

use super::*;
use crate::import::detect;

#[test]
fn episodes_become_spells_with_discharge_facts() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/hospital-spells.csv");
    let text = std::fs::read_to_string(path).unwrap();
    assert_eq!(detect(&text, "f").map(|i| i.name()), Some("hospital_csv"));
    let p = parse("spells.csv", "00", &text, ImportOptions::default()).unwrap();
    assert_eq!(p.batch.rows_read, 6);
    let lines = crate::import::rejection_lines(&p.rejections);
    assert_eq!(
        lines,
        vec![
            "line 5 | DISDATE | discharged before admitted",
            "line 6 | NEWNHSNO | each row needs a valid NHS number or a patient id",
            "line 7 | pathway | \"7\" is not a discharge pathway (0, 1, 2 or 3)",
            "line 7 | criteria_to_reside | \"maybe\" is not yes or no",
        ]
    );
    assert_eq!(p.batch.episodes.len(), 2, "two episodes of SP-77 make one spell");
    let harold = &p.batch.episodes[0];
    let spell = harold.spell.as_ref().unwrap();
    assert_eq!(
        harold.episode.title,
        "Emergency admission to Northgate General Hospital"
    );
    assert_eq!(
        harold.episode.end.map(|d| d.to_string()).as_deref(),
        Some("2026-10-16 15:00:00")
    );
    assert_eq!(spell.ward.as_deref(), Some("Birch Ward"), "the latest episode's ward");
    assert_eq!(spell.meets_criteria_to_reside, Some(false));
    assert_eq!(spell.discharge_ready_date, parse_date("2026-10-15"));
    assert_eq!(spell.pathway, Some(1));
    assert_eq!(spell.delay_reasons.len(), 2);
    assert_eq!(spell.delay_reasons[0].code, "E");
    assert_eq!(spell.delay_reasons[0].attribution, Attribution::SocialCare);
    assert_eq!(spell.delay_reasons[1].attribution, Attribution::Nhs);
    assert_eq!(harold.episode.attr("episode_refs"), Some("EP-1 EP-2"));
    assert_eq!(harold.episode.attr(attr::DISCHARGE_DESTINATION), Some("19"));
    let edith = &p.batch.episodes[1];
    assert_eq!(edith.spell.as_ref().unwrap().pathway, Some(2), "P2 is pathway 2");
    assert_eq!(edith.episode.status, EpisodeStatus::Active);
}

#[test]
fn the_artificial_hes_admitted_care_file() {
    let Some(dir) = std::env::var_os("JOINEDUP_EXTERNAL_DATA") else {
        eprintln!("JOINEDUP_EXTERNAL_DATA is not set: skipping");
        return;
    };
    let bytes = std::fs::read(std::path::Path::new(&dir).join("artificial-hes/artificial_hes_apc_0102.csv")).unwrap();
    let text = crate::import::decode_text(&bytes);
    assert_eq!(detect(&text, "f").map(|i| i.name()), Some("hospital_csv"));
    let p = parse("artificial_hes_apc_0102.csv", "00", &text, ImportOptions::default()).unwrap();
    // Counted by reading the file: 2,075 episodes, each its own spell (no two share a
    // person, admission date and provider), 994 pseudonymous people. One row has HES's
    // "not known" admission date (1801-01-01): rejected, which leaves 993 people. 80 rows
    // have no discharge date: 74 of them say the person was discharged (DISMETH 1 to 7)
    // and take their episode end; 6 say "still in hospital" (8) and stay open.
    assert_eq!(p.rejections.len(), 1);
    assert_eq!(p.rejections[0].location, "line 1943");
    assert_eq!(p.rejections[0].field, "ADMIDATE");
    assert_eq!(p.batch.rows_read, 2075);
    assert_eq!(p.batch.episodes.len(), 2074);
    assert_eq!(p.batch.people.len(), 993);
    assert!(
        p.batch
            .notes
            .iter()
            .any(|n| n.starts_with("74 rows had no discharge date"))
    );
    assert!(
        p.batch.people.iter().all(|person| person.nhs_number.is_none()),
        "kept unmatched"
    );
    assert!(
        p.batch
            .people
            .iter()
            .all(|person| matches!(person.key, PersonKey::Local(_)))
    );
    assert_eq!(p.batch.episodes.iter().filter(|e| e.episode.end.is_none()).count(), 6);
    let first = &p.batch.episodes[0];
    assert_eq!(first.episode.start.date().to_string(), "2001-09-27");
    assert_eq!(first.episode.attr(attr::ADMISSION_METHOD), Some("28"));
    assert_eq!(first.episode.organisation.as_deref(), Some("RTA"));
}

#[test]
fn hes_extract_rows_without_a_discharge_date() {
    let text = "NEWNHSNO,EPIKEY,PROCODE,ADMIDATE,EPIEND,DISDATE,DISMETH,ADMIMETH\n\
9990000026,E1,RXX,2001-05-01,2001-05-09,,1,21\n\
9990000034,E2,RXX,2001-06-01,2001-06-03,,8,21\n\
9990000042,E3,RXX,2001-07-01,2001-07-04,1801-01-01,9,21\n\
9990000050,E4,RXX,1801-01-01,1801-01-01,,1,21\n";
    let p = parse("hes.csv", "00", text, ImportOptions::default()).unwrap();
    // A HES "not known" admission date is rejected, with the reason.
    assert_eq!(p.rejections.len(), 1);
    assert_eq!(p.rejections[0].field, "ADMIDATE");
    assert!(p.rejections[0].reason.contains("not known"));
    let ends: Vec<Option<String>> = p
        .batch
        .episodes
        .iter()
        .map(|e| e.episode.end.map(|d| d.date().to_string()))
        .collect();
    // Discharged (DISMETH 1): the episode end is the discharge date. Still in
    // hospital (8) and not known (9, null DISDATE): left open, as the file says.
    assert_eq!(ends, vec![Some("2001-05-09".into()), None, None]);
    assert!(
        p.batch
            .notes
            .iter()
            .any(|n| n.starts_with("1 rows had no discharge date"))
    );
}
