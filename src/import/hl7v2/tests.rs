//! HL7 v2 ADT tests: a message sequence where cancels undo what they cancel, every
//! NHS number form, and the NHS ITK example messages.

use super::*;
use crate::domain::dates::parse_date_time;
use crate::domain::episode::attr;
use crate::domain::{EpisodeKind, EpisodeStatus, LocalId, NhsNumber};
use crate::import::detect;

fn sequence() -> Parsed {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/adt-sequence.hl7");
    let text = std::fs::read_to_string(path).unwrap();
    assert_eq!(detect(&text, "f").map(|i| i.name()), Some("hl7v2"));
    parse("adt.hl7", "00", &text, ImportOptions::default()).unwrap()
}

#[test]
fn messages_apply_in_order_and_cancels_undo() {
    let p = sequence();
    assert_eq!(p.batch.rows_read, 8);
    let lines = crate::import::rejection_lines(&p.rejections);
    assert_eq!(lines, vec!["message 8 | PID | an ADT^A01 message needs a PID segment"]);
    assert_eq!(p.batch.episodes.len(), 2);
    // V1001: admitted, transferred to Elm, discharged, discharge cancelled: in hospital on Elm.
    let harold = &p.batch.episodes[0];
    assert_eq!(harold.person, PersonKey::Nhs(NhsNumber::parse("9990000026").unwrap()));
    assert_eq!(harold.episode.kind, EpisodeKind::InpatientSpell);
    assert_eq!(harold.episode.status, EpisodeStatus::Active);
    assert_eq!(harold.episode.end, None, "A13 cancelled the discharge");
    assert_eq!(harold.episode.start.to_string(), "2026-10-02 21:05:00");
    assert_eq!(harold.spell.as_ref().unwrap().ward.as_deref(), Some("ELM"));
    assert_eq!(harold.episode.attr(attr::ADMISSION_METHOD), Some("21"));
    assert!(harold.replaces_existing, "later files update the stored spell");
    // V2002: admitted then cancelled (A11).
    let jane = &p.batch.episodes[1];
    assert_eq!(jane.episode.status, EpisodeStatus::Cancelled);
    assert_eq!(jane.episode.title, "Admission to NGH (cancelled)");
    // Jane's NHS number 1234567890 fails the check: kept under her hospital number.
    assert_eq!(
        jane.person,
        PersonKey::Local(LocalId {
            source: "HL7 patient id (NGH)".into(),
            id: "NG99999".into()
        })
    );
    assert!(p.batch.notes.iter().any(|n| n.contains("1234567890")));
    assert!(
        p.batch
            .notes
            .iter()
            .any(|n| n.contains("date of birth \"19501301\" is not a real date"))
    );
    assert!(
        p.batch
            .notes
            .iter()
            .any(|n| n == "skipped (not ADT or not mapped): 1 ORU")
    );
    let harold_person = p.batch.people.iter().find(|x| x.nhs_number.is_some()).unwrap();
    assert_eq!(harold_person.demographics.family_name, "Bennett");
    assert_eq!(harold_person.demographics.postcode.as_deref(), Some("WM2 8HD"));
    assert_eq!(
        harold_person.demographics.gp_practice.as_deref(),
        Some("Riverside Surgery (W99001)")
    );
    assert!(harold_person.local_ids.iter().any(|l| l.id == "NG12345"));
}

#[test]
fn a_discharge_in_a_later_file_updates_the_stored_spell() {
    let pid = "PID|1||9990000026^^^NHS^NH||BENNETT^HAROLD";
    let admit = [
        r"MSH|^~\&|PAS|NGH|X|Y|202610021705||ADT^A01|M1|P|2.4",
        pid,
        "PV1|1|I|BIRCH^^^NGH|21||||||||||19|||||V1^^^VISITID|||||||||||||||||||||||||202610022105",
    ]
    .join("\r");
    let discharge = [
        r"MSH|^~\&|PAS|NGH|X|Y|202610161500||ADT^A03|M2|P|2.4",
        pid,
        "PV1|1|I|BIRCH^^^NGH|21||||||||||19|||||V1^^^VISITID|||||||||||||||||1|19|||||||202610022105|202610161500",
    ]
    .join("\r");
    let mut store = crate::store::Store::open_in_memory().unwrap();
    let at = parse_date_time("2026-10-17T09:00").unwrap();
    let a = parse("a.hl7", "a", &admit, ImportOptions::default()).unwrap();
    assert_eq!(store.apply_import(&a.batch, at).unwrap().episodes_added, 1);
    let d = parse("d.hl7", "d", &discharge, ImportOptions::default()).unwrap();
    let s = store.apply_import(&d.batch, at).unwrap();
    assert_eq!((s.episodes_added, s.episodes_updated), (0, 1));
    let again = store.apply_import(&d.batch, at).unwrap();
    assert_eq!(
        (again.episodes_updated, again.episodes_already_present),
        (0, 1),
        "re-import changes nothing"
    );
    let id = store
        .find_by_nhs_number(NhsNumber::parse("9990000026").unwrap())
        .unwrap()
        .unwrap()
        .id;
    let record = store.person_record(id).unwrap();
    assert_eq!(record.episodes.len(), 1);
    assert_eq!(
        record.episodes[0].end.map(|d| d.to_string()).as_deref(),
        Some("2026-10-16 15:00:00")
    );
    assert_eq!(record.spells[0].discharge_destination.as_deref(), Some("19"));
}

#[test]
fn the_nhs_itk_example_messages() {
    let Some(dir) = std::env::var_os("JOINEDUP_EXTERNAL_DATA") else {
        eprintln!("JOINEDUP_EXTERNAL_DATA is not set: skipping");
        return;
    };
    let dir = std::path::Path::new(&dir).join("hl7v2-nhs-itk-adt");
    let read = |name: &str| {
        let bytes = std::fs::read(dir.join(name)).unwrap();
        parse(
            name,
            "00",
            &crate::import::decode_text(&bytes),
            ImportOptions::default(),
        )
        .unwrap()
    };
    // Every ADT example names FREDRICA SMITH by NHS number 3333333333 (valid by check digit).
    for name in [
        "A01_example.txt",
        "A03_example.txt",
        "A04_example.txt",
        "A05_Example.txt",
        "A08_example.txt",
        "A28_Example.txt",
        "A31_example.txt",
        "A40_Example.txt",
    ] {
        let p = read(name);
        assert_eq!(p.rejections, vec![], "{name}");
        assert_eq!(p.batch.people.len(), 1, "{name}");
        assert_eq!(
            p.batch.people[0].nhs_number.map(|n| n.digits()).as_deref(),
            Some("3333333333"),
            "{name}"
        );
        assert_eq!(
            p.batch.people[0].demographics.postcode.as_deref(),
            Some("YO32 5TT"),
            "{name}"
        );
    }
    let a01 = read("A01_example.txt");
    assert_eq!(a01.batch.episodes[0].episode.start.to_string(), "2010-10-20 17:16:00");
    assert_eq!(a01.batch.episodes[0].episode.attr(attr::ADMISSION_METHOD), Some("13"));
    let a03 = read("A03_example.txt");
    let e = &a03.batch.episodes[0].episode;
    assert_eq!(e.end.map(|d| d.to_string()).as_deref(), Some("2010-10-21 17:06:00"));
    assert_eq!(e.attr(attr::DISCHARGE_DESTINATION), Some("19"));
    assert_eq!(
        read("A04_example.txt").batch.episodes[0].episode.kind,
        EpisodeKind::Outpatient
    );
    assert_eq!(
        read("A05_Example.txt").batch.episodes[0].episode.status,
        EpisodeStatus::Planned
    );
    assert!(
        read("A28_Example.txt")
            .batch
            .notes
            .iter()
            .any(|n| n.contains("196513121515")),
        "month 13 is refused"
    );
    assert!(
        read("A40_Example.txt").batch.people[0]
            .local_ids
            .iter()
            .any(|l| l.id == "22789"),
        "merged id kept"
    );
    let oru = read("DHCW-Example-Pathology-Report-HL7v2ORU.txt");
    assert!(oru.batch.episodes.is_empty());
    assert!(
        oru.batch
            .notes
            .iter()
            .any(|n| n.starts_with("skipped (not ADT or not mapped): 1 ORU"))
    );
}

#[test]
fn a_message_about_a_visit_this_file_gave_to_another_patient_is_rejected() {
    let text = [
        r"MSH|^~\&|PAS|NGH|X|Y|202610021705||ADT^A01|M1|P|2.4",
        "PID|1||9990000026^^^NHS^NH||BENNETT^HAROLD",
        "PV1|1|I|BIRCH^^^NGH|21||||||||||19|||||V1^^^VISITID|||||||||||||||||||||||||202610022105",
        r"MSH|^~\&|PAS|NGH|X|Y|202610161500||ADT^A03|M2|P|2.4",
        "PID|1||9990000034^^^NHS^NH||CLARKE^EDITH",
        "PV1|1|I|BIRCH^^^NGH|21||||||||||19|||||V1^^^VISITID|||||||||||||||||1|19||||||||202610161500",
    ]
    .join("\r");
    let p = parse("v.hl7", "00", &text, ImportOptions::default()).unwrap();
    assert_eq!(
        crate::import::rejection_lines(&p.rejections),
        vec!["message 2 | PV1-19 | visit V1 is another patient's in this file"]
    );
    assert_eq!(p.batch.people.len(), 1, "the rejected message adds no one");
    assert_eq!(
        p.batch.episodes[0].episode.status,
        EpisodeStatus::Active,
        "Harold is not discharged"
    );
}
