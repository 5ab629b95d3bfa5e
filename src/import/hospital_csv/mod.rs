//! Hospital spells CSV: one row per inpatient spell or episode, with HES column
//! names (`NEWNHSNO`, `PSEUDO_HESID`, `EPIKEY`, `ADMIDATE`, `ADMIMETH`, `ADMISORC`,
//! `DISDATE`, `DISMETH`, `DISDEST`, `DISREADYDATE`, `PROCODE3`, `SEX`) or plain ones
//! (README, "Hospital spells CSV"). Episodes of one spell (same `spell_id`, or the
//! same person, admission date and provider) become one inpatient spell. Rows with
//! only a pseudonymous id are kept under it, unmatched.

mod spells;

use std::collections::BTreeMap;

use spells::{group_spells, spell_of};

use super::csv_columns::{Columns, CsvRows, fold};
use super::{ImportError, ImportOptions, Parsed, Rejection};
use crate::domain::batch::{EpisodeEntry, ImportBatch, PersonEntry, PersonKey};
use crate::domain::dates::{parse_date, parse_date_time};
use crate::domain::episode::attr;
use crate::domain::hospital::{Attribution, DelayReason, HospitalSpell, is_elective_admission, is_emergency_admission};
use crate::domain::{
    Demographics, Episode, EpisodeKind, EpisodeStatus, LocalId, NhsNumber, Provenance, Sensitivity, Sex,
};

const NHS: &[&str] = &["NEWNHSNO", "nhs_number", "NHS Number"];
const LOCAL: &[&str] = &["PSEUDO_HESID", "patient_id", "local_patient_id", "hospital_number"];
const SPELL_ID: &[&str] = &["spell_id", "SPELL"];
const EPISODE_ID: &[&str] = &["EPIKEY", "episode_id"];
const ADMITTED: &[&str] = &["ADMIDATE", "admission_date"];
const ADMISSION_METHOD: &[&str] = &["ADMIMETH", "admission_method"];
const ADMISSION_SOURCE: &[&str] = &["ADMISORC", "admission_source"];
const DISCHARGED: &[&str] = &["DISDATE", "discharge_date"];
const DISCHARGE_METHOD: &[&str] = &["DISMETH", "discharge_method"];
const EPISODE_END: &[&str] = &["EPIEND", "episode_end_date"];
const DISCHARGE_DESTINATION: &[&str] = &["DISDEST", "discharge_destination"];
const DRD: &[&str] = &["DISREADYDATE", "discharge_ready_date"];
const PROVIDER: &[&str] = &["hospital", "PROCODE3", "PROCODE", "PROCODET", "provider"];
const WARD: &[&str] = &["ward"];
const PATHWAY: &[&str] = &["pathway", "discharge_pathway"];
const CTR: &[&str] = &["criteria_to_reside", "meets_criteria_to_reside"];
const CTR_CODE: &[&str] = &["criteria_to_reside_code"];
const DELAY_REASONS: &[&str] = &["delay_reasons", "delay_reason"];
const DELAY_ATTRIBUTIONS: &[&str] = &["delay_attributions", "delay_attribution"];
const NEXT_ACTION: &[&str] = &["next_action"];
const SEX: &[&str] = &["SEX", "sex"];
const DOB: &[&str] = &["date_of_birth", "DOB"];

/// Does this header line look like a hospital spells file?
pub fn looks_like_hospital_csv(first_line: &str) -> bool {
    let headers: Vec<String> = first_line.split(',').map(fold).collect();
    let has = |names: &[&str]| names.iter().any(|n| headers.contains(&fold(n)));
    has(ADMITTED) && (has(NHS) || has(LOCAL))
}

/// One checked row, before rows are grouped into spells.
struct RowFacts {
    line: u64,
    key: PersonKey,
    person: PersonEntry,
    group: String,
    episode_ref: Option<String>,
    provider: String,
    admitted: chrono::NaiveDateTime,
    discharged: Option<chrono::NaiveDateTime>,
    fields: BTreeMap<&'static str, String>,
    drd: Option<chrono::NaiveDate>,
    pathway: Option<u8>,
    meets: Option<bool>,
    delays: Vec<DelayReason>,
}

/// HES's null dates: 1800-01-01 (not applicable) and 1801-01-01 (not known).
fn is_hes_null_date(d: chrono::NaiveDateTime) -> bool {
    use chrono::Datelike;
    d.year() <= 1801
}

pub fn parse(file: &str, sha256: &str, text: &str, options: ImportOptions) -> Result<Parsed, ImportError> {
    let (mut csv_rows, cols) = CsvRows::open(file, text)?;
    if cols.find(ADMITTED).is_none() {
        return Err(ImportError::Invalid {
            file: file.into(),
            reason: "a hospital spells file needs ADMIDATE (or admission_date)".into(),
        });
    }
    if cols.find(NHS).is_none() && cols.find(LOCAL).is_none() {
        return Err(ImportError::Invalid {
            file: file.into(),
            reason: "a hospital spells file needs NEWNHSNO (or nhs_number) or PSEUDO_HESID (or patient_id)".into(),
        });
    }
    let mut rejections = Vec::new();
    let mut rows: Vec<RowFacts> = Vec::new();
    let mut rows_read = 0;
    let mut invalid_nhs = 0;
    let mut discharge_from_episode_end = 0;
    while let Some((line, record)) = csv_rows.next_row(&mut rejections) {
        rows_read += 1;
        match read_row(
            file,
            line,
            &cols,
            record,
            options,
            &mut invalid_nhs,
            &mut discharge_from_episode_end,
        ) {
            Ok(r) => rows.push(r),
            Err(mut problems) => rejections.append(&mut problems),
        }
    }
    let mut batch = ImportBatch {
        format: "hospital_csv".into(),
        file_name: file.into(),
        file_sha256: sha256.into(),
        rows_read,
        ..Default::default()
    };
    let mut seen_people = std::collections::HashSet::new();
    for (g, episodes) in group_spells(file, rows, &mut rejections) {
        let first = &episodes[0];
        if seen_people.insert(first.key.clone()) {
            batch.people.push(first.person.clone());
        }
        batch.episodes.push(spell_of(&g, &episodes));
    }
    if discharge_from_episode_end > 0 {
        batch.notes.push(format!(
            "{discharge_from_episode_end} rows had no discharge date but a discharge method saying the person left \
             hospital (DISMETH 1 to 7); their episode end date (EPIEND) is used as the discharge date"
        ));
    }
    if invalid_nhs > 0 {
        batch.notes.push(format!(
            "{invalid_nhs} rows had an NHS number that fails the check digit; those people are kept under their local id"
        ));
    }
    let unmatched = batch.people.iter().filter(|p| p.nhs_number.is_none()).count();
    if unmatched > 0 {
        batch.notes.push(format!(
            "{unmatched} people have no valid NHS number and wait to be matched"
        ));
    }
    batch.rows_rejected = rejections.len();
    Ok(Parsed { batch, rejections })
}

fn reject(file: &str, line: u64, field: &str, reason: String) -> Rejection {
    Rejection {
        file: file.into(),
        location: format!("line {line}"),
        field: field.into(),
        reason,
    }
}

fn read_row(
    file: &str,
    line: u64,
    cols: &Columns,
    record: &csv::StringRecord,
    options: ImportOptions,
    invalid_nhs: &mut usize,
    discharge_from_episode_end: &mut usize,
) -> Result<RowFacts, Vec<Rejection>> {
    let mut problems = Vec::new();
    let get = |names: &[&str]| cols.get(record, names);
    let provider = get(PROVIDER).unwrap_or("Hospital").to_owned();
    let source = format!("Hospital spells ({provider})");
    let nhs = match get(NHS).map(NhsNumber::parse) {
        None => None,
        Some(Ok(n)) if options.test_range_only && !n.is_test_range() => {
            problems.push(reject(
                file,
                line,
                "NEWNHSNO",
                "training mode accepts only NHS numbers in the test range 999 000 0000 to 999 999 9999".into(),
            ));
            None
        }
        Some(Ok(n)) => Some(n),
        Some(Err(_)) => {
            *invalid_nhs += 1;
            None
        }
    };
    let local = get(LOCAL).map(|id| LocalId {
        source: "Hospital patient id".into(),
        id: id.into(),
    });
    let key = match (nhs, &local) {
        (Some(n), _) => PersonKey::Nhs(n),
        (None, Some(l)) => PersonKey::Local(l.clone()),
        (None, None) => {
            problems.push(reject(
                file,
                line,
                "NEWNHSNO",
                "each row needs a valid NHS number or a patient id".into(),
            ));
            return Err(problems);
        }
    };
    let admitted_text = get(ADMITTED).unwrap_or("");
    let admitted = parse_date_time(admitted_text);
    if admitted.is_some_and(is_hes_null_date) {
        problems.push(reject(
            file,
            line,
            "ADMIDATE",
            format!("{admitted_text:?} is HES's \"not known\" date, so the admission date is unknown"),
        ));
    } else if admitted.is_none() {
        problems.push(reject(
            file,
            line,
            "ADMIDATE",
            format!("{admitted_text:?} is not a date"),
        ));
    }
    let mut discharged = match get(DISCHARGED) {
        Some(v) => {
            let d = parse_date_time(v);
            if d.is_none() {
                problems.push(reject(file, line, "DISDATE", format!("{v:?} is not a date")));
            }
            // HES writes 1800-01-01 or 1801-01-01 for "not known".
            d.filter(|d| !is_hes_null_date(*d))
        }
        None => None,
    };
    // No discharge date, but the discharge method says the person left (1 to 7; 8 is
    // "not applicable: still in hospital", 9 "not known"): the spell ended, and the
    // episode's end date is the best date there is. Without this, extracts show people
    // "in hospital" for decades.
    if discharged.is_none()
        && get(DISCHARGE_METHOD).is_some_and(|m| matches!(m.trim(), "1" | "2" | "3" | "4" | "5" | "6" | "7"))
        && let Some(end) = get(EPISODE_END)
            .and_then(parse_date_time)
            .filter(|d| !is_hes_null_date(*d))
        && admitted.is_none_or(|a| end >= a)
    {
        discharged = Some(end);
        *discharge_from_episode_end += 1;
    }
    if let (Some(a), Some(d)) = (admitted, discharged)
        && d < a
    {
        problems.push(reject(file, line, "DISDATE", "discharged before admitted".into()));
    }
    let drd = match get(DRD) {
        Some(v) => {
            let d = parse_date(v);
            if d.is_none() {
                problems.push(reject(file, line, "DISREADYDATE", format!("{v:?} is not a date")));
            }
            d
        }
        None => None,
    };
    let pathway = match get(PATHWAY) {
        Some(v) => match v.trim_start_matches(['P', 'p']).parse::<u8>() {
            Ok(p) if p <= 3 => Some(p),
            _ => {
                problems.push(reject(
                    file,
                    line,
                    "pathway",
                    format!("{v:?} is not a discharge pathway (0, 1, 2 or 3)"),
                ));
                None
            }
        },
        None => None,
    };
    let meets = match get(CTR).map(str::to_lowercase).as_deref() {
        None => None,
        Some("yes" | "y" | "true" | "1") => Some(true),
        Some("no" | "n" | "false" | "0") => Some(false),
        Some(v) => {
            problems.push(reject(
                file,
                line,
                "criteria_to_reside",
                format!("{v:?} is not yes or no"),
            ));
            None
        }
    };
    let mut delays = Vec::new();
    if let Some(reasons) = get(DELAY_REASONS) {
        let attributions: Vec<&str> = get(DELAY_ATTRIBUTIONS)
            .map(|a| a.split(';').map(str::trim).collect())
            .unwrap_or_default();
        for (i, reason) in reasons.split(';').map(str::trim).filter(|r| !r.is_empty()).enumerate() {
            let a = attributions.get(i).copied().unwrap_or("other");
            let attribution = match a.to_lowercase().replace([' ', '-'], "_").as_str() {
                "nhs" => Some(Attribution::Nhs),
                "social_care" | "socialcare" | "la" => Some(Attribution::SocialCare),
                "both" => Some(Attribution::Both),
                "other" | "" => Some(Attribution::Other),
                _ => None,
            };
            let Some(attribution) = attribution else {
                problems.push(reject(
                    file,
                    line,
                    "delay_attributions",
                    format!("{a:?} is not NHS, social care, both or other"),
                ));
                continue;
            };
            let (code, description) = match reason.split_once(':') {
                Some((c, d)) if c.trim().len() <= 3 => (c.trim().to_owned(), d.trim().to_owned()),
                _ => (String::new(), reason.to_owned()),
            };
            let since = drd.or(admitted.map(|a| a.date())).unwrap_or_default();
            delays.push(DelayReason {
                id: 0,
                code,
                description,
                attribution,
                since,
                owner: None,
            });
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let admitted = admitted.ok_or_else(Vec::new)?;
    let person_ref = match &key {
        PersonKey::Nhs(n) => n.digits(),
        PersonKey::Local(l) => l.id.clone(),
    };
    let group = match get(SPELL_ID) {
        Some(id) => format!("{provider}|{id}"),
        None => format!("{person_ref}|{}|{provider}", admitted.date()),
    };
    let mut fields = BTreeMap::new();
    for (k, names) in [
        (attr::ADMISSION_METHOD, ADMISSION_METHOD),
        ("admission_source", ADMISSION_SOURCE),
        (attr::DISCHARGE_METHOD, DISCHARGE_METHOD),
        (attr::DISCHARGE_DESTINATION, DISCHARGE_DESTINATION),
        ("ward", WARD),
        ("criteria_to_reside_code", CTR_CODE),
        ("next_action", NEXT_ACTION),
    ] {
        if let Some(v) = get(names) {
            fields.insert(k, v.to_owned());
        }
    }
    let person = PersonEntry {
        key: key.clone(),
        nhs_number: nhs,
        local_ids: local.into_iter().collect(),
        source: source.clone(),
        demographics: Demographics {
            given_name: get(&["given_name", "first_name"]).unwrap_or("").into(),
            family_name: get(&["family_name", "last_name"]).unwrap_or("").into(),
            date_of_birth: get(DOB).and_then(parse_date),
            sex: match get(SEX).map(str::to_lowercase).as_deref() {
                Some("1" | "m" | "male") => Sex::Male,
                Some("2" | "f" | "female") => Sex::Female,
                Some("9" | "other") => Sex::Other,
                _ => Sex::Unknown,
            },
            postcode: get(&["postcode"]).map(str::to_owned),
            ..Default::default()
        },
        alerts: vec![],
        is_restricted: false,
    };
    Ok(RowFacts {
        line,
        key,
        person,
        group,
        episode_ref: get(EPISODE_ID).map(str::to_owned),
        provider,
        admitted,
        discharged,
        fields,
        drd,
        pathway,
        meets,
        delays,
    })
}

#[cfg(test)]
mod tests;
