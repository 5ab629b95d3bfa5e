//! Real files nobody on this project wrote (`shared/data/external`), read from the
//! folder named by `JOINEDUP_EXTERNAL_DATA`. Unset: the tests say so and skip. Set
//! but missing: they fail.

use std::path::{Path, PathBuf};

use joinedup::import::{ImportOptions, parse_bytes};

fn external_dir() -> Option<PathBuf> {
    match std::env::var_os("JOINEDUP_EXTERNAL_DATA") {
        None => {
            eprintln!("JOINEDUP_EXTERNAL_DATA is not set: skipping the tests on external data");
            None
        }
        Some(d) => {
            let dir = PathBuf::from(d);
            assert!(
                dir.is_dir(),
                "JOINEDUP_EXTERNAL_DATA is set to {} but that folder does not exist",
                dir.display()
            );
            Some(dir)
        }
    }
}

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("read folder") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            out.extend(files(&path));
        } else {
            out.push(path);
        }
    }
    out.sort();
    out
}

/// Every external file is read without a panic, and what cannot be imported yet
/// is refused with an error that names the file.
#[test]
fn every_external_file_is_handled_without_a_crash() {
    let Some(dir) = external_dir() else { return };
    let all = files(&dir);
    assert!(
        all.len() > 50,
        "expected the external test data, found {} files",
        all.len()
    );
    for path in all {
        let bytes = std::fs::read(&path).expect("read");
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        match parse_bytes(&name, &bytes, ImportOptions::default()) {
            Ok(parsed) => {
                for r in &parsed.rejections {
                    assert_eq!(r.file, name, "a rejection names its file");
                    assert!(!r.reason.is_empty());
                }
            }
            Err(e) => assert!(
                e.to_string().starts_with(&name),
                "{name}: error must name the file: {e}"
            ),
        }
    }
}

/// The PDS FHIR examples: 101 Patient resources in 51 files carry 54 distinct NHS
/// numbers that pass the check digit, and one (9000000015) that fails and is never
/// stored as an NHS number (counted by reading the files).
#[test]
fn pds_patients_and_their_nhs_numbers() {
    let Some(dir) = external_dir() else { return };
    let mut valid = std::collections::BTreeSet::new();
    let mut people = 0;
    let mut invalid_noted = false;
    for path in files(&dir.join("pds-fhir-patients")) {
        let bytes = std::fs::read(&path).expect("read");
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let parsed = parse_bytes(&name, &bytes, ImportOptions::default()).expect("PDS examples are FHIR");
        for p in &parsed.batch.people {
            people += 1;
            if let Some(n) = p.nhs_number {
                valid.insert(n.digits());
            }
        }
        invalid_noted |= parsed.batch.notes.iter().any(|n| n.contains("9000000015"));
    }
    assert_eq!(people, 101);
    assert_eq!(valid.len(), 54);
    assert!(!valid.contains("9000000015"));
    assert!(invalid_noted, "the failing number is reported");
}

/// Conditions and questionnaire responses in the NHS England and Virtually Healthcare
/// examples, checked by reading the files: the BARS referral message carries one
/// active Condition ("onsetDateTime": 2023-06-26) for its patient, whose NHS number
/// fails the check digit, so it is kept under the bundle's patient reference; the
/// Kansas City Cardiomyopathy response (authored 2023-02-24) answers 7 items of the
/// 12-item questionnaire, the last the overall summary score (22), for NHS number 9876543210; the diabetes Condition has no date and is rejected.
#[test]
fn conditions_and_questionnaires_from_real_examples() {
    use joinedup::domain::EpisodeKind;
    let Some(dir) = external_dir() else { return };
    let read = |rel: &str| {
        let path = dir.join(rel);
        let bytes = std::fs::read(&path).expect("read");
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        parse_bytes(&name, &bytes, ImportOptions::default()).expect("FHIR")
    };
    let bars = read("virtually-healthcare-fhir/Bundle-Message-I12-BARS.json");
    let conditions: Vec<_> = bars
        .batch
        .episodes
        .iter()
        .filter(|e| e.episode.kind == EpisodeKind::Condition)
        .collect();
    assert_eq!(conditions.len(), 1);
    assert_eq!(conditions[0].episode.start.date().to_string(), "2023-06-26");
    assert_eq!(conditions[0].person, bars.batch.people[0].key);
    assert!(bars.rejections.is_empty());

    let kansas = read("nhse-frameworks-examples/QuestionnaireResponse__QuestionnaireResponse-Kansas12items.json");
    assert_eq!(kansas.batch.episodes.len(), 1);
    let q = &kansas.batch.episodes[0];
    assert_eq!(q.episode.kind, EpisodeKind::Questionnaire);
    assert_eq!(q.episode.start.date().to_string(), "2023-02-24");
    assert_eq!(q.episode.attributes["answers"], "7");
    assert!(
        q.episode.detail.ends_with("Overall summary score: 22"),
        "{}",
        q.episode.detail
    );
    assert_eq!(
        q.person,
        joinedup::domain::batch::PersonKey::Nhs(joinedup::domain::NhsNumber::parse("9876543210").unwrap())
    );

    let diabetes = read("nhse-frameworks-examples/Condition__Bundle-transaction-Condition-diabetes.json");
    assert!(diabetes.batch.episodes.is_empty());
    assert_eq!(diabetes.rejections.len(), 1);
    assert_eq!(diabetes.rejections[0].field, "onsetDateTime");
}

/// The Google Simulated Hospital sample feed (any file under the folder holding
/// `SIMULATOR MRN`): its PID-2 and first PID-3 repetition are the simulator's MRN
/// (`^^^SIMULATOR MRN^MRN`), ten digits of which about one in sixteen pass Modulus 11
/// (25 of 400 in the sample); the NHS number is the repetition labelled
/// `^^^NHSNBR^NHSNMBR`. No MRN may become an NHS number, and an MRN's check digit is
/// no note: only labelled NHS numbers that fail it are noted (the reader once wrote
/// about 376 notes on MRNs for this feed). Skipped, saying so, when the folder has no
/// such file.
#[test]
fn simulated_hospital_mrns_never_become_nhs_numbers() {
    let Some(dir) = external_dir() else { return };
    let feeds: Vec<(PathBuf, String)> = files(&dir)
        .into_iter()
        .filter_map(|p| {
            let text = String::from_utf8(std::fs::read(&p).ok()?).ok()?;
            text.contains("SIMULATOR MRN").then_some((p, text))
        })
        .collect();
    if feeds.is_empty() {
        eprintln!(
            "no Simulated Hospital feed (SIMULATOR MRN) under {}: skipping",
            dir.display()
        );
        return;
    }
    for (path, text) in feeds {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let parsed = parse_bytes(&name, text.as_bytes(), ImportOptions::default()).expect("HL7");
        let pid2: Vec<&str> = text
            .split(['\r', '\n'])
            .filter_map(|l| l.strip_prefix("PID|"))
            .filter_map(|l| l.split('|').nth(1))
            .filter_map(|f| f.split('^').next())
            .filter(|id| !id.is_empty())
            .collect();
        let passing = pid2
            .iter()
            .filter(|id| joinedup::domain::NhsNumber::parse(id).is_ok())
            .count();
        let labelled = |n: &str| text.contains(&format!("{n}^^^NHS")) || text.contains(&format!("{n}^^^^NH"));
        for p in &parsed.batch.people {
            if let Some(n) = p.nhs_number {
                assert!(
                    labelled(&n.digits()),
                    "{name}: {} is not labelled as an NHS number",
                    n.digits()
                );
            }
        }
        let notes = parsed.batch.notes.iter().filter(|n| n.contains("is not valid")).count();
        let labelled_failing = text
            .split(['|', '~'])
            .filter(|cx| cx.contains("^^^NHSNBR") || cx.contains("^^^NHS^"))
            .filter_map(|cx| cx.split('^').next())
            .filter(|id| joinedup::domain::NhsNumber::parse(id).is_err())
            .count();
        eprintln!(
            "{name}: {} MRNs in PID-2, {passing} pass Modulus 11; {notes} notes on invalid NHS numbers",
            pid2.len()
        );
        assert!(
            notes <= labelled_failing,
            "{name}: {notes} notes, {labelled_failing} labelled numbers fail"
        );
    }
}
