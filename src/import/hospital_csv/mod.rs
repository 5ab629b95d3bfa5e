//! Hospital spells CSV: one row per inpatient spell or episode, with HES column
//! names (`NEWNHSNO`, `PSEUDO_HESID`, `EPIKEY`, `ADMIDATE`, `ADMIMETH`, `ADMISORC`,
//! `DISDATE`, `DISMETH`, `DISDEST`, `DISREADYDATE`, `PROCODE3`, `SEX`) or plain ones
//! (README, "Hospital spells CSV"). Episodes of one spell (same `spell_id`, or the
//! same person, admission date and provider) become one inpatient spell. Rows with
//! only a pseudonymous id are kept under it, unmatched.

mod row;
mod spells;

use std::collections::BTreeMap;

use row::{Counts, Row};
use spells::{group_spells, spell_of};

use super::csv_columns::{Columns, CsvRows, fold, header_line};
use super::{ImportError, ImportOptions, Importer, Parsed, Rejections, Source};
use crate::domain::batch::{EpisodeEntry, ImportBatch, PersonEntry, PersonKey};
use crate::domain::dates::{parse_date, parse_date_time};
use crate::domain::episode::attr;
use crate::domain::hospital::{
    Attribution, DelayReason, HospitalSpell, is_elective_admission, is_emergency_admission,
};
use crate::domain::{Demographics, Episode, EpisodeKind, EpisodeStatus, LocalId, Provenance, Sensitivity, Sex};

/// The format's name, as its batches record it.
pub const NAME: &str = "hospital_csv";

/// The hospital spells CSV.
pub struct HospitalCsv;

impl Importer for HospitalCsv {
    fn name(&self) -> &'static str {
        NAME
    }

    fn sniff(&self, text: &str, _file_name: &str) -> bool {
        header_line(text).is_some_and(looks_like_hospital_csv)
    }

    fn parse(&self, s: &Source) -> Result<Parsed, ImportError> {
        parse(s.file, s.sha256(), s.text, s.options)
    }
}

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
    let mut rejections = Rejections::new(file);
    let mut rows: Vec<RowFacts> = Vec::new();
    let mut rows_read = 0;
    let mut counts = Counts::default();
    while let Some((line, record)) = csv_rows.next_row(&mut rejections) {
        rows_read += 1;
        let row = Row {
            line,
            cols: &cols,
            record,
            rejections: &mut rejections,
        };
        if let Some(r) = row.read(options, &mut counts) {
            rows.push(r);
        }
    }
    let Counts {
        invalid_nhs,
        discharge_from_episode_end,
    } = counts;
    let mut batch = ImportBatch {
        format: NAME.into(),
        file_name: file.into(),
        file_sha256: sha256.into(),
        rows_read,
        ..Default::default()
    };
    let mut seen_people = std::collections::HashSet::new();
    for (g, episodes) in group_spells(rows, &mut rejections) {
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
    Ok(rejections.into_parsed(batch))
}

#[cfg(test)]
mod tests;
