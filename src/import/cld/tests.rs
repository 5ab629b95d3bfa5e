//! CLD importer tests: hand-written rows (in Windows-1252, as councils send them),
//! every error message, and the real column list.

use super::*;
use crate::import::{decode_text, detect};

fn parsed(options: ImportOptions) -> Parsed {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/cld-events-cp1252.csv");
    let bytes = std::fs::read(path).unwrap();
    let text = decode_text(&bytes);
    assert_eq!(detect(&text, "f").map(|i| i.name()), Some("cld_csv"));
    parse("cld.csv", "00", &text, options).unwrap()
}

#[test]
fn events_people_and_every_rejection() {
    let p = parsed(ImportOptions::default());
    assert_eq!(p.batch.rows_read, 7);
    let lines = crate::import::rejection_lines(&p.rejections);
    assert_eq!(
        lines,
        vec![
            "line 6 | Event Type | \"Visit\" is not Request, Assessment, Service or Review",
            "line 7 | Event End Date | ends before it starts",
            "line 7 | Unit Cost | \"twelve\" is not a number",
            "line 8 | LA Person Unique Identifier | each row needs an LA Person Unique Identifier or a valid NHS Number",
        ]
    );
    // Harold appears once though he has two rows; Siân's name survives Windows-1252.
    let names: Vec<&str> = p
        .batch
        .people
        .iter()
        .map(|p| p.demographics.given_name.as_str())
        .collect();
    assert_eq!(names, vec!["Harold", "Siân", "Bad"]);
    assert_eq!(p.batch.episodes.len(), 4);
    let service = &p.batch.episodes[1].episode;
    assert_eq!(service.kind, EpisodeKind::SocialCareService);
    assert_eq!(
        service.status,
        EpisodeStatus::Active,
        "a service without an end date is open"
    );
    assert_eq!(service.title, "Service: Long Term Support: Community, Home Support");
    assert_eq!(service.attr("unit_cost"), Some("21.50"));
    assert_eq!(service.attr("planned_units_per_week"), Some("14"));
    assert_eq!(
        service.attr("delivery_mechanism"),
        Some("CASSR Managed Personal Budget")
    );
    assert_eq!(service.provenance.source, "Local authority W01 (CLD)");
    assert_eq!(service.provenance.source_ref, "S-1");
    assert_eq!(
        p.batch.episodes[0].episode.attr(attr::ROUTE_OF_ACCESS),
        Some("Community / Other route")
    );
    assert_eq!(p.batch.episodes[2].episode.kind, EpisodeKind::CarerAssessment);
    // An invalid NHS number is never stored as one: the person is kept under the LA id.
    let bad = p
        .batch
        .people
        .iter()
        .find(|p| p.demographics.given_name == "Bad")
        .unwrap();
    assert_eq!(bad.nhs_number, None);
    assert_eq!(
        bad.key,
        PersonKey::Local(LocalId {
            source: "Local authority W01 (CLD)".into(),
            id: "ASC-200002".into()
        })
    );
    assert!(p.batch.notes[0].starts_with("1 rows had an NHS Number that fails the check digit"));
}

#[test]
fn missing_required_column_is_a_clear_error() {
    let text = "LA Person Unique Identifier,Event Type\nA1,Request\n";
    let err = parse("x.csv", "00", text, ImportOptions::default()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "x.csv: a CLD events file needs the column(s): Event Start Date"
    );
}

#[test]
fn training_refuses_real_range_numbers() {
    let text =
        "LA Person Unique Identifier,NHS Number,Event Type,Event Start Date\nA1,943 476 5919,Request,2026-01-01\n";
    let p = parse(
        "x.csv",
        "00",
        text,
        ImportOptions {
            shift_days: 0,
            test_range_only: true,
        },
    )
    .unwrap();
    assert!(p.batch.episodes.is_empty());
    assert!(p.rejections[0].reason.contains("test range"));
}

#[test]
fn the_real_column_list_is_read_as_a_cld_header() {
    let Some(dir) = std::env::var_os("JOINEDUP_EXTERNAL_DATA") else {
        eprintln!("JOINEDUP_EXTERNAL_DATA is not set: skipping");
        return;
    };
    let list =
        std::fs::read_to_string(std::path::Path::new(&dir).join("cld-reference/cld_release1_submission_columns.txt"))
            .expect("column list");
    let columns: Vec<&str> = list
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .collect();
    assert_eq!(columns.len(), 49);
    // A file with exactly these headers and one row of each event type.
    let mut text = columns.iter().map(|c| format!("\"{c}\"")).collect::<Vec<_>>().join(",");
    text.push('\n');
    for (i, event) in ["Request", "Assessment", "Service", "Review"].iter().enumerate() {
        let row: Vec<String> = columns
            .iter()
            .map(|c| match *c {
                "LA Person Unique Identifier" => "P1".to_owned(),
                "NHS Number" => "9990000018".to_owned(),
                "Event Type" => (*event).to_owned(),
                "Event Reference" => format!("E{i}"),
                "Event Start Date" => "2026-01-0".to_owned() + &(i + 1).to_string(),
                _ => String::new(),
            })
            .collect();
        text.push_str(&row.join(","));
        text.push('\n');
    }
    assert_eq!(detect(&text, "f").map(|i| i.name()), Some("cld_csv"));
    let p = parse("real-columns.csv", "00", &text, ImportOptions::default()).unwrap();
    assert_eq!(p.rejections, vec![]);
    assert_eq!(p.batch.episodes.len(), 4);
    assert_eq!(p.batch.people.len(), 1);
}
