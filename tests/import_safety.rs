//! Import safety (issue "Trust in one place"): never the wrong person, never a moved
//! admission, no messages glued together, no spell moved between people, limits on
//! text. Each test holds one defect that the importers or the store once had.

use chrono::NaiveDateTime;
use joinedup::domain::NhsNumber;
use joinedup::domain::batch::ImportSummary;
use joinedup::import::{ImportOptions, Parsed, parse_bytes};
use joinedup::store::Store;

fn at() -> NaiveDateTime {
    joinedup::domain::dates::parse_date_time("2026-11-22T09:00").expect("time")
}

fn parse(name: &str, text: &str) -> Parsed {
    parse_bytes(name, text.as_bytes(), ImportOptions::default()).expect("readable")
}

fn rejections(p: &Parsed) -> Vec<String> {
    p.rejections
        .iter()
        .map(|r| format!("{} | {} | {}", r.location, r.field, r.reason))
        .collect()
}

/// Parse and store a file that must have no rejections.
fn import(store: &mut Store, name: &str, text: &str) -> ImportSummary {
    let p = parse(name, text);
    assert_eq!(rejections(&p), Vec::<String>::new(), "{name}");
    store.apply_import(&p.batch, at()).expect("stored")
}

fn nhs(s: &str) -> NhsNumber {
    NhsNumber::parse(s).expect("valid")
}

fn person_id(store: &Store, n: &str) -> Option<i64> {
    store.find_by_nhs_number(nhs(n)).expect("query").map(|p| p.id)
}

/// The stored start and end of the only episode with this source reference.
fn stored_times(store: &Store, source_ref: &str) -> (String, Option<String>) {
    store
        .connection()
        .query_row(
            "SELECT start, end FROM episode WHERE source_ref = ?1",
            [source_ref],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("stored episode")
}

fn hl7(lines: &[&str]) -> String {
    lines.join("\r")
}

const HAROLD_A01: &[&str] = &[
    r"MSH|^~\&|PAS|NGH|X|Y|202610021705||ADT^A01|M1|P|2.4",
    "EVN|A01|202610022105",
    "PID|1||9990000026^^^NHS^NH||BENNETT^HAROLD",
    "PV1|1|I|BIRCH^^^NGH|21||||||||||19|||||V1^^^VISITID|||||||||||||||||||||||||202610022105",
];

// 1. An MRN is not an NHS number, however its check digit falls.
#[test]
fn an_mrn_that_passes_the_check_digit_never_matches_anyone_by_nhs_number() {
    let mut store = Store::open_in_memory().unwrap();
    import(&mut store, "harold.hl7", &hl7(HAROLD_A01));
    let harold = person_id(&store, "9990000026").unwrap();
    let text = include_str!("data/adt-simulated-hospital.hl7");
    let p = parse("simulated.hl7", text);
    assert_eq!(rejections(&p), Vec::<String>::new());
    // The MRNs 9990000026, 9990000042 and 9990000050 pass Modulus 11; 2590157853 does not.
    // None of them is an NHS number, so neither is a note.
    assert!(
        !p.batch.notes.iter().any(|n| n.contains("not valid")),
        "{:?}",
        p.batch.notes
    );
    let numbers: Vec<String> = p
        .batch
        .people
        .iter()
        .filter_map(|x| x.nhs_number.map(|n| n.digits()))
        .collect();
    assert_eq!(numbers, vec!["9990000034"], "only the labelled NHSNBR is an NHS number");
    assert_eq!(p.batch.people.len(), 3);
    let s = store.apply_import(&p.batch, at()).unwrap();
    assert_eq!(s.episodes_added, 3);
    assert_eq!(
        store.person_record(harold).unwrap().episodes.len(),
        1,
        "Harold gained nothing from a stranger's MRN"
    );
    assert_eq!(person_id(&store, "9990000042"), None);
    assert_eq!(person_id(&store, "9990000050"), None);
    let aki = person_id(&store, "9990000034").unwrap();
    let record = store.person_record(aki).unwrap();
    assert!(
        record.person.local_ids.iter().any(|l| l.id == "9990000026"),
        "the MRN is her local id"
    );
}

// 2. The admission time is the A01's: later messages never move it later.
#[test]
fn a_later_transfer_or_cancelled_discharge_never_moves_the_stored_admission() {
    let mut store = Store::open_in_memory().unwrap();
    import(&mut store, "a01.hl7", &hl7(HAROLD_A01));
    let pid = "PID|1||9990000026^^^NHS^NH||BENNETT^HAROLD";
    let a02 = hl7(&[
        r"MSH|^~\&|PAS|NGH|X|Y|202610051000||ADT^A02|M2|P|2.4",
        "EVN|A02|202610051000",
        pid,
        "PV1|1|I|ELM^^^NGH|21||||||||||19|||||V1^^^VISITID",
    ]);
    let a03 = hl7(&[
        r"MSH|^~\&|PAS|NGH|X|Y|202610101200||ADT^A03|M3|P|2.4",
        "EVN|A03|202610101200",
        pid,
        "PV1|1|I|ELM^^^NGH|21||||||||||19|||||V1^^^VISITID|||||||||||||||||1|19||||||||202610101200",
    ]);
    let a13 = hl7(&[
        r"MSH|^~\&|PAS|NGH|X|Y|202610101300||ADT^A13|M4|P|2.4",
        "EVN|A13|202610101300",
        pid,
        "PV1|1|I|ELM^^^NGH|21||||||||||19|||||V1^^^VISITID",
    ]);
    let admitted = "2026-10-02T21:05:00".to_owned();
    import(&mut store, "a02.hl7", &a02);
    assert_eq!(
        stored_times(&store, "NGH|V1"),
        (admitted.clone(), None),
        "after the A02"
    );
    import(&mut store, "a03.hl7", &a03);
    assert_eq!(
        stored_times(&store, "NGH|V1"),
        (admitted.clone(), Some("2026-10-10T12:00:00".into())),
        "after the A03"
    );
    import(&mut store, "a13.hl7", &a13);
    assert_eq!(stored_times(&store, "NGH|V1"), (admitted, None), "after the A13");
}

// 2b. A later discharge before the stored admission is refused, never stored: it
// would move the admission earlier and end the stay before it began.
#[test]
fn a_later_discharge_before_the_stored_admission_is_refused() {
    let mut store = Store::open_in_memory().unwrap();
    import(&mut store, "a01.hl7", &hl7(HAROLD_A01));
    let early = hl7(&[
        r"MSH|^~\&|PAS|NGH|X|Y|202610011000||ADT^A03|M9|P|2.4",
        "EVN|A03|202610011000",
        "PID|1||9990000026^^^NHS^NH||BENNETT^HAROLD",
        "PV1|1|I|ELM^^^NGH|21||||||||||19|||||V1^^^VISITID|||||||||||||||||1|19|||||||||202610010900",
    ]);
    let p = parse("early.hl7", &early);
    let refused = store.apply_import(&p.batch, at()).unwrap_err().to_string();
    assert!(refused.contains("before its admission"), "{refused}");
    assert_eq!(
        stored_times(&store, "NGH|V1"),
        ("2026-10-02T21:05:00".to_owned(), None),
        "the stay is as it was"
    );
}

// 3. HL7 timestamps with offsets, fractions and less precision.
#[test]
fn hl7_timestamps_with_offsets_fractions_and_minutes_are_read() {
    for (pv1_44, expected) in [
        ("20261101090000+0000", "2026-11-01 09:00:00"),
        // +0100 in November is an hour ahead of the UK: 08:00 here.
        ("20261105090000.1234+0100", "2026-11-05 08:00:00"),
        // UTC in July is an hour behind the UK (BST): 10:00 here.
        ("20260701090000+0000", "2026-07-01 10:00:00"),
        ("20260701100000+0100", "2026-07-01 10:00:00"),
        ("20261105090000-0500", "2026-11-05 14:00:00"),
        ("202611010930", "2026-11-01 09:30:00"),
        ("20261101", "2026-11-01 00:00:00"),
    ] {
        let text = hl7(&[
            r"MSH|^~\&|PAS|NGH|X|Y|20200101000000||ADT^A01|M1|P|2.4",
            "EVN|A01|20200101000000",
            "PID|1||9990000026^^^NHS^NH||BENNETT^HAROLD",
            &format!("PV1|1|I|BIRCH^^^NGH|21||||||||||19|||||V1^^^VISITID|||||||||||||||||||||||||{pv1_44}"),
        ]);
        let p = parse("ts.hl7", &text);
        assert_eq!(rejections(&p), Vec::<String>::new(), "{pv1_44}");
        assert_eq!(p.batch.episodes[0].episode.start.to_string(), expected, "{pv1_44}");
    }
}

// 4. A discharge before its admission, or one whose time cannot be read, is rejected.
#[test]
fn a_discharge_before_its_admission_or_with_an_unreadable_time_is_rejected() {
    let pid = "PID|1||9990000026^^^NHS^NH||BENNETT^HAROLD";
    let a03 = |msh7: &str, evn: Option<&str>, pv1_45: &str| {
        let mut lines = vec![format!(r"MSH|^~\&|PAS|NGH|X|Y|{msh7}||ADT^A03|M2|P|2.4")];
        if let Some(e) = evn {
            lines.push(format!("EVN|A03|{e}"));
        }
        lines.push(pid.into());
        lines.push(format!(
            "PV1|1|I|ELM^^^NGH|21||||||||||19|||||V1^^^VISITID|||||||||||||||||1|19||||||||{pv1_45}"
        ));
        lines.join("\r")
    };
    let cases = [
        (
            a03("202610011600", None, "202610011500"),
            "message 2 | PV1-45 | discharged on 01-Oct-2026 15:00, before the admission on 02-Oct-2026 21:05",
        ),
        (
            a03("202610161600", None, "20261345"),
            "message 2 | PV1-45 | \"20261345\" is not an HL7 date-time (yyyyMMdd[HHmm[ss[.ssss]]][+zzzz])",
        ),
        (
            a03("", None, ""),
            "message 2 | PV1-45 | an A03 needs a discharge time (PV1-45), or an event time (EVN-2 or MSH-7), that can be read",
        ),
        (
            a03("", Some("tomorrow"), ""),
            "message 2 | PV1-45 | an A03 needs a discharge time (PV1-45), or an event time (EVN-2 or MSH-7), that can be read",
        ),
    ];
    for (a03, expected) in cases {
        let text = format!("{}\r{a03}", hl7(HAROLD_A01));
        let p = parse("a03.hl7", &text);
        assert_eq!(rejections(&p), vec![expected.to_owned()]);
        let e = &p.batch.episodes[0].episode;
        assert_eq!(
            (e.end, e.status.code()),
            (None, "active"),
            "the admission stands, undischarged"
        );
    }
}

// 5. Messages glued together are split, never read as one message with two PIDs.
#[test]
fn messages_run_together_without_a_segment_separator_are_split() {
    let second = [
        r"MSH|^~\&|PAS|NGH|X|Y|202610031000||ADT^A01|M2|P|2.4",
        "PID|1||9990000034^^^NHS^NH||CLARKE^EDITH",
        "PV1|1|I|OAK^^^NGH|21||||||||||19|||||V2^^^VISITID|||||||||||||||||||||||||202610031000",
    ]
    .join("\r");
    for glue in ["\u{0}", "|", ""] {
        let text = format!("{}{glue}{second}", hl7(HAROLD_A01));
        let p = parse("glued.hl7", &text);
        assert_eq!(p.batch.rows_read, 2, "{glue:?}");
        assert_eq!(rejections(&p), Vec::<String>::new(), "{glue:?}");
        let people: Vec<String> = p
            .batch
            .people
            .iter()
            .filter_map(|x| x.nhs_number.map(|n| n.digits()))
            .collect();
        assert_eq!(people, vec!["9990000026", "9990000034"], "{glue:?}");
        let wards: Vec<Option<&str>> = p
            .batch
            .episodes
            .iter()
            .map(|e| e.spell.as_ref().and_then(|s| s.ward.as_deref()))
            .collect();
        assert_eq!(wards, vec![Some("BIRCH"), Some("OAK")], "{glue:?}");
    }
}

const SPELLS_HEADER: &str = "nhs_number,spell_id,hospital,ward,admission_date\n";

// 6. A spell stored for one person never moves to, or is "already present" for, another.
#[test]
fn a_spell_id_stored_for_another_person_is_a_reported_conflict() {
    let mut store = Store::open_in_memory().unwrap();
    import(
        &mut store,
        "first.csv",
        &format!("{SPELLS_HEADER}9990000026,S1,Northgate,Birch,2026-10-02\n"),
    );
    let p = parse(
        "second.csv",
        &format!("{SPELLS_HEADER}9990000034,S1,Northgate,Oak,2026-10-05\n"),
    );
    let err = store.apply_import(&p.batch, at()).unwrap_err().to_string();
    assert!(
        err.contains("spell S1 (Northgate) is stored for another person"),
        "{err}"
    );
    assert_eq!(person_id(&store, "9990000034"), None, "nothing of the file was kept");
    let harold = person_id(&store, "9990000026").unwrap();
    assert_eq!(store.person_record(harold).unwrap().episodes.len(), 1);
    // The same for an HL7 visit number.
    let other = hl7(&[
        r"MSH|^~\&|PAS|NGH|X|Y|202610051000||ADT^A03|M9|P|2.4",
        "PID|1||9990000034^^^NHS^NH||CLARKE^EDITH",
        "PV1|1|I|ELM^^^NGH|21||||||||||19|||||V1^^^VISITID|||||||||||||||||1|19||||||||202610051000",
    ]);
    import(&mut store, "harold.hl7", &hl7(HAROLD_A01));
    let p = parse("other.hl7", &other);
    let err = store.apply_import(&p.batch, at()).unwrap_err().to_string();
    assert!(err.contains("visit V1 (NGH) is stored for another person"), "{err}");
    assert_eq!(
        stored_times(&store, "NGH|V1").1,
        None,
        "Harold is not discharged by Edith's A03"
    );
}

#[test]
fn one_spell_id_for_two_people_in_one_file_is_rejected() {
    let p = parse(
        "spells.csv",
        &format!("{SPELLS_HEADER}9990000026,S1,Northgate,Birch,2026-10-02\n9990000034,S1,Northgate,Oak,2026-10-05\n"),
    );
    assert_eq!(
        rejections(&p),
        vec!["line 3 | spell_id | spell S1 is another person's (line 2) in this file"]
    );
    assert_eq!(p.batch.episodes.len(), 1);
}

// 7. Limits on text: 10,000 characters for a short field, 100,000 for free text, no NUL.
#[test]
fn an_over_long_or_nul_text_field_rejects_its_row() {
    let long_name = "A".repeat(10_001);
    let header = "nhs_number,spell_id,hospital,ward,admission_date,given_name,family_name\n";
    let text = format!(
        "{header}9990000026,S1,Northgate,Birch,2026-10-02,{long_name},Bennett\n\
         9990000034,S2,Northgate,Oak,2026-10-05,Edith,{}\n\
         9990000042,S3,Northgate,Elm,2026-10-06,Samuel,Adeyemi\n",
        "A".repeat(10_000)
    );
    let p = parse("spells.csv", &text);
    assert_eq!(
        rejections(&p),
        vec!["line 2 | given name | is 10001 characters long; the limit is 10000 (its 1 item is left out too)"]
    );
    assert_eq!(p.batch.episodes.len(), 2);
    assert_eq!(p.batch.rows_rejected, 1);
    // HL7: a NUL in a ward.
    let text = hl7(&[
        r"MSH|^~\&|PAS|NGH|X|Y|202610021705||ADT^A01|M1|P|2.4",
        "PID|1||9990000026^^^NHS^NH||BENNETT^HAROLD",
        "PV1|1|I|BIR\u{0}CH^^^NGH|21||||||||||19|||||V1^^^VISITID|||||||||||||||||||||||||202610022105",
    ]);
    let p = parse("nul.hl7", &text);
    assert_eq!(
        rejections(&p),
        vec!["visit NGH|V1 (last message ADT^A01 M1) | ward | contains a NUL byte, which no text may hold"]
    );
    assert!(p.batch.episodes.is_empty());
    // CLD: a NUL in a name.
    let text = "LA Code,LA Person Unique Identifier,First Name,Last Name,Event Type,Event Reference,Event Start Date\n\
                W01,ASC-1,Ma\u{0}ry,Jones,Review,EV-1,2026-03-01\n";
    let p = parse("cld.csv", text);
    assert_eq!(
        rejections(&p),
        vec!["event EV-1 | given name | contains a NUL byte, which no text may hold (its 1 item is left out too)"]
    );
    // Free text: 100,000 characters of detail in a FHIR Condition is the limit; one more is not.
    for (len, rejected) in [(100_000, false), (100_001, true)] {
        let fhir = format!(
            r#"{{"resourceType":"Bundle","type":"collection","entry":[
            {{"fullUrl":"urn:uuid:p1","resource":{{"resourceType":"Patient","id":"p1",
              "identifier":[{{"system":"https://fhir.nhs.uk/Id/nhs-number","value":"9990000026"}}],
              "name":[{{"family":"Bennett","given":["Harold"]}}]}}}},
            {{"fullUrl":"urn:uuid:c1","resource":{{"resourceType":"Condition","id":"c1",
              "subject":{{"reference":"urn:uuid:p1"}},"onsetDateTime":"2026-01-01",
              "code":{{"text":"Asthma"}},"note":[{{"text":"{}"}}]}}}}]}}"#,
            "n".repeat(len)
        );
        let p = parse("fhir.json", &fhir);
        let lines = rejections(&p);
        assert_eq!(!lines.is_empty(), rejected, "{len}: {lines:?}");
    }
}

/// One person in each of the five formats, with a local id and the NHS number `n`.
fn one_person_in_each_format(n: &str) -> [(&'static str, String); 5] {
    [
        (
            "cld.csv",
            format!(
                "LA Person Unique Identifier,NHS Number,Event Type,Event Start Date,First Name\nASC-1,{n},Request,2026-01-01,Edith\n"
            ),
        ),
        (
            "spells.csv",
            format!("NEWNHSNO,PSEUDO_HESID,ADMIDATE,given_name\n{n},H1,2026-01-01,Edith\n"),
        ),
        (
            "patient.json",
            format!(
                r#"{{"resourceType":"Patient","id":"p1","name":[{{"given":["Edith"],"family":"Clarke"}}],
                "identifier":[{{"system":"https://fhir.nhs.uk/Id/nhs-number","value":"{n}"}}]}}"#
            ),
        ),
        (
            "a28.hl7",
            hl7(&[
                r"MSH|^~\&|PAS|NGH|X|Y|202610021705||ADT^A28|M1|P|2.4",
                "EVN|A28|202610022105",
                &format!("PID|1||{n}^^^NHS^NH~NG1^^^NGH^MR||CLARKE^EDITH"),
            ]),
        ),
        (
            "bundle.json",
            format!(
                r#"{{"format":"joinedup-bundle","version":1,"people":[{{"nhs_number":"{n}",
                "local_ids":[{{"source":"PAS","id":"L1"}}],"source":"PAS","given_name":"Edith"}}]}}"#
            ),
        ),
    ]
}

// 8. One NHS-number rule for every format (SAFETY.md H36).
#[test]
fn one_nhs_number_rule_for_every_format() {
    let live = ImportOptions::default();
    let training = ImportOptions {
        shift_days: 0,
        test_range_only: true,
    };
    // (number given, options, the NHS number kept, a rejection with these words)
    let cases: [(&str, ImportOptions, Option<&str>, Option<&str>); 8] = [
        ("9990000018", live, Some("9990000018"), None),
        ("999 000 0018", training, Some("9990000018"), None),
        ("", live, None, None),
        // Not valid: kept under the local id, never by the number (the bundle refuses).
        ("9990000019", live, None, None),
        ("99900000", live, None, None),
        // Training: a real number, or any number not valid, refuses the person.
        ("9434765919", training, None, Some("test range")),
        ("9434765910", training, None, Some("test range")),
        ("9990000019", training, None, Some("test range")),
    ];
    for (n, options, kept, refused) in cases {
        for (name, text) in one_person_in_each_format(n) {
            let p = parse_bytes(name, text.as_bytes(), options).expect("readable");
            let what = format!("{name} with {n:?}, training {}", options.test_range_only);
            let native_refuses = name == "bundle.json" && kept.is_none() && !n.is_empty();
            match refused.or(native_refuses.then_some("not a valid NHS number")) {
                Some(words) => {
                    assert!(p.batch.people.is_empty(), "{what}");
                    assert_eq!(p.rejections.len(), 1, "{what}: {:?}", rejections(&p));
                    assert!(p.rejections[0].reason.contains(words), "{what}: {:?}", rejections(&p));
                }
                None => {
                    assert_eq!(rejections(&p), Vec::<String>::new(), "{what}");
                    assert_eq!(p.batch.people.len(), 1, "{what}");
                    let stored = p.batch.people[0].nhs_number.map(|n| n.digits());
                    assert_eq!(stored.as_deref(), kept, "{what}");
                }
            }
        }
    }
    // Two different NHS numbers for one person: refused, in HL7 and in FHIR alike.
    let a28 = hl7(&[
        r"MSH|^~\&|PAS|NGH|X|Y|202610021705||ADT^A28|M1|P|2.4",
        "PID|1|9990000018^^^NHS^NH|9990000026^^^NHS^NH||CLARKE^EDITH",
    ]);
    let patient = r#"{"resourceType":"Patient","id":"p1","identifier":[
        {"system":"https://fhir.nhs.uk/Id/nhs-number","value":"9990000018"},
        {"system":"https://fhir.nhs.uk/Id/nhs-number","value":"9990000026"}]}"#;
    for (name, text) in [("a28.hl7", a28.as_str()), ("patient.json", patient)] {
        let p = parse(name, text);
        assert!(p.batch.people.is_empty(), "{name}");
        assert!(p.rejections[0].reason.contains("two different NHS numbers"), "{name}");
    }
}

// 9. A training database keeps no real person's NHS number under any label: a local
// id that is a valid number outside the test range refuses the record in every format
// (hostile review; SAFETY.md H36). Outside training it is a local id, never the number.
#[test]
fn training_keeps_no_real_number_under_any_label() {
    let live = ImportOptions::default();
    let training = ImportOptions {
        shift_days: 0,
        test_range_only: true,
    };
    let local = "9434765919";
    let files = [
        (
            "cld.csv",
            format!(
                "LA Person Unique Identifier,NHS Number,Event Type,Event Start Date\n{local},9990000018,Request,2026-01-01\n"
            ),
        ),
        (
            "spells.csv",
            format!("NEWNHSNO,PSEUDO_HESID,ADMIDATE\n9990000018,{local},2026-01-01\n"),
        ),
        (
            "patient.json",
            format!(
                r#"{{"resourceType":"Bundle","type":"collection","entry":[{{"fullUrl":"https://pas.example/Patient/{local}",
                "resource":{{"resourceType":"Patient","name":[{{"family":"Clarke"}}],
                "identifier":[{{"system":"https://fhir.nhs.uk/Id/nhs-number","value":"9990000018"}}]}}}}]}}"#
            ),
        ),
        (
            "a28.hl7",
            hl7(&[
                r"MSH|^~\&|PAS|NGH|X|Y|202610021705||ADT^A28|M1|P|2.4",
                &format!("PID|1||9990000018^^^NHS^NH~{local}^^^NGH^MR||CLARKE^EDITH"),
            ]),
        ),
        (
            "a40.hl7",
            hl7(&[
                r"MSH|^~\&|PAS|NGH|X|Y|202610021705||ADT^A40|M2|P|2.4",
                "PID|1||9990000018^^^NHS^NH~NG1^^^NGH^MR||CLARKE^EDITH",
                &format!("MRG|{local}^^^NGH^MR"),
            ]),
        ),
        (
            "bundle.json",
            format!(
                r#"{{"format":"joinedup-bundle","version":1,"people":[{{"nhs_number":"9990000018",
                "local_ids":[{{"source":"PAS","id":"{local}"}}],"source":"PAS","given_name":"Edith"}}]}}"#
            ),
        ),
    ];
    for (name, text) in &files {
        let p = parse_bytes(name, text.as_bytes(), training).expect("readable");
        assert!(p.batch.people.is_empty(), "{name} in training: {:?}", p.batch.people);
        assert!(
            p.rejections.iter().any(|r| r.reason.contains("outside the test range")),
            "{name}: {:?}",
            rejections(&p)
        );
        let p = parse_bytes(name, text.as_bytes(), live).expect("readable");
        assert_eq!(rejections(&p), Vec::<String>::new(), "{name} outside training");
        assert!(
            p.batch
                .people
                .iter()
                .all(|e| e.nhs_number.map(|n| n.digits()).as_deref() == Some("9990000018")),
            "{name}: the local id is never the NHS number"
        );
    }
}
