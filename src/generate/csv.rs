//! The generated population as the files real systems send: the CLD social care
//! CSV (R1 column names, RULES.md 4.3) and the hospital spells CSV (README,
//! "Hospital spells CSV"), so that generated data also exercises the importers.
//!
//! Only what those formats carry is written: social care events (not safeguarding
//! enquiries, which CLD excludes) and inpatient spells. GP, outpatient, community,
//! mental health, A&E and CHC items have no CSV format here.

use std::collections::HashMap;
use std::io::Write;

use crate::domain::batch::{ImportBatch, PersonEntry, PersonKey};
use crate::domain::{EpisodeKind, Sex};
use chrono::{NaiveDate, NaiveDateTime};

use super::{COUNCIL_SOURCE, GP_SOURCE};

pub const CLD_COLUMNS: [&str; 26] = [
    "LA Code",
    "LA Person Unique Identifier",
    "NHS Number",
    "First Name",
    "Last Name",
    "Date of Birth",
    "Gender",
    "Postcode",
    "GP Practice Code",
    "Client Type",
    "Event Type",
    "Event Reference",
    "Event Start Date",
    "Event End Date",
    "Event Description",
    "Event Outcome",
    "Request: Route of Access",
    "Assessment Type",
    "Eligible Needs Identified",
    "Service Type",
    "Service Component",
    "Delivery Mechanism",
    "Unit Cost",
    "Cost Frequency (Unit Type)",
    "Planned units per week",
    "Review Reason",
];

pub const HOSPITAL_COLUMNS: [&str; 22] = [
    "nhs_number",
    "spell_id",
    "hospital",
    "ward",
    "admission_date",
    "admission_method",
    "admission_source",
    "discharge_date",
    "discharge_method",
    "discharge_destination",
    "discharge_ready_date",
    "criteria_to_reside",
    "criteria_to_reside_code",
    "pathway",
    "delay_reasons",
    "delay_attributions",
    "next_action",
    "sex",
    "date_of_birth",
    "given_name",
    "family_name",
    "postcode",
];

/// The synthetic council's code in the LA Code column.
pub const LA_CODE: &str = "E99999999";

fn people_by_source<'a>(batch: &'a ImportBatch, source: &str) -> HashMap<&'a PersonKey, &'a PersonEntry> {
    batch
        .people
        .iter()
        .filter(|p| p.source == source)
        .map(|p| (&p.key, p))
        .collect()
}

/// Write the batch's social care events as CLD rows; returns the rows written.
pub fn write_cld<W: Write>(out: &mut csv::Writer<W>, batch: &ImportBatch) -> csv::Result<usize> {
    let council = people_by_source(batch, COUNCIL_SOURCE);
    let mut rows = 0;
    for e in &batch.episodes {
        let ep = &e.episode;
        let event_type = match ep.kind {
            EpisodeKind::SocialCareRequest => "Request",
            EpisodeKind::SocialCareAssessment | EpisodeKind::CarerAssessment => "Assessment",
            EpisodeKind::SocialCareService => "Service",
            EpisodeKind::SocialCareReview => "Review",
            _ => continue,
        };
        let Some(person) = council.get(&e.person) else {
            continue;
        };
        let la_id = person.local_ids.first().map(|l| l.id.as_str()).unwrap_or("");
        let d = &person.demographics;
        let a = |k: &str| ep.attr(k).unwrap_or("").to_owned();
        let record: [String; 26] = [
            LA_CODE.into(),
            la_id.into(),
            person.nhs_number.map(|n| n.digits()).unwrap_or_default(),
            d.given_name.clone(),
            d.family_name.clone(),
            d.date_of_birth.map(iso_date).unwrap_or_default(),
            sex_word(d.sex).into(),
            d.postcode.clone().unwrap_or_default(),
            d.gp_practice.clone().unwrap_or_default(),
            if ep.kind == EpisodeKind::CarerAssessment {
                "Carer"
            } else {
                "Service User"
            }
            .into(),
            event_type.into(),
            ep.provenance.source_ref.clone(),
            iso_date(ep.start.date()),
            ep.end.map(|t| iso_date(t.date())).unwrap_or_default(),
            ep.title.clone(),
            a("outcome"),
            a("route_of_access"),
            a("assessment_type"),
            a("eligible_needs_identified"),
            a("service_type"),
            a("service_component"),
            a("delivery_mechanism"),
            a("unit_cost"),
            a("cost_frequency"),
            a("planned_units_per_week"),
            a("review_reason"),
        ];
        out.write_record(&record)?;
        rows += 1;
    }
    Ok(rows)
}

/// Write the batch's inpatient spells, one row each; returns the rows written.
pub fn write_hospital<W: Write>(out: &mut csv::Writer<W>, batch: &ImportBatch) -> csv::Result<usize> {
    let gp = people_by_source(batch, GP_SOURCE);
    let mut rows = 0;
    for e in &batch.episodes {
        let (Some(spell), PersonKey::Nhs(nhs)) = (&e.spell, &e.person) else {
            continue;
        };
        let ep = &e.episode;
        let d = gp.get(&e.person).map(|p| &p.demographics);
        let opt = |v: &Option<String>| v.clone().unwrap_or_default();
        let last = spell.ctr_reviews.last();
        let record: [String; 22] = [
            nhs.digits(),
            ep.provenance.source_ref.clone(),
            spell.hospital.clone(),
            opt(&spell.ward),
            iso_time(ep.start),
            opt(&spell.admission_method),
            opt(&spell.admission_source),
            ep.end.map(iso_time).unwrap_or_default(),
            opt(&spell.discharge_method),
            opt(&spell.discharge_destination),
            spell.discharge_ready_date.map(iso_date).unwrap_or_default(),
            last.map(|r| if r.meets { "yes" } else { "no" }).unwrap_or("").into(),
            last.and_then(|r| r.code.clone()).unwrap_or_default(),
            spell.pathway.map(|p| p.to_string()).unwrap_or_default(),
            spell
                .delay_reasons
                .iter()
                .map(|r| format!("{}: {}", r.code, r.description))
                .collect::<Vec<_>>()
                .join("; "),
            spell
                .delay_reasons
                .iter()
                .map(|r| r.attribution.label().to_lowercase())
                .collect::<Vec<_>>()
                .join("; "),
            opt(&spell.next_action),
            match d.map(|d| d.sex) {
                Some(Sex::Male) => "1",
                Some(Sex::Female) => "2",
                _ => "",
            }
            .into(),
            d.and_then(|d| d.date_of_birth).map(iso_date).unwrap_or_default(),
            d.map(|d| d.given_name.clone()).unwrap_or_default(),
            d.map(|d| d.family_name.clone()).unwrap_or_default(),
            d.and_then(|d| d.postcode.clone()).unwrap_or_default(),
        ];
        out.write_record(&record)?;
        rows += 1;
    }
    Ok(rows)
}

fn iso_date(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

fn iso_time(t: NaiveDateTime) -> String {
    t.format("%Y-%m-%dT%H:%M:%S").to_string()
}

fn sex_word(sex: Sex) -> &'static str {
    match sex {
        Sex::Female => "Female",
        Sex::Male => "Male",
        Sex::Other => "Other",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::{chunk, nhs_numbers};
    use crate::import::{ImportOptions, cld, hospital_csv};

    fn write(columns: &[&str], f: impl Fn(&mut csv::Writer<Vec<u8>>) -> csv::Result<usize>) -> (String, usize) {
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(columns).expect("header");
        let rows = f(&mut w).expect("rows");
        (String::from_utf8(w.into_inner().expect("flush")).expect("utf-8"), rows)
    }

    #[test]
    fn generated_files_import_without_a_rejected_row_and_nothing_lost() {
        let as_of = NaiveDate::from_ymd_opt(2026, 11, 22).expect("date");
        let batch = chunk(4, as_of, 0, &nhs_numbers(4, 1_500).expect("numbers"));

        let (text, rows) = write(&CLD_COLUMNS, |w| write_cld(w, &batch));
        let parsed = cld::parse("cld.csv", "", &text, ImportOptions::default()).expect("CLD");
        assert!(parsed.rejections.is_empty(), "{:?}", &parsed.rejections[..1]);
        assert_eq!(parsed.batch.episodes.len(), rows);
        let social = |b: &ImportBatch, kind: EpisodeKind| b.episodes.iter().filter(|e| e.episode.kind == kind).count();
        for kind in [
            EpisodeKind::SocialCareRequest,
            EpisodeKind::SocialCareAssessment,
            EpisodeKind::CarerAssessment,
            EpisodeKind::SocialCareService,
            EpisodeKind::SocialCareReview,
        ] {
            assert_eq!(social(&parsed.batch, kind), social(&batch, kind), "{kind:?}");
        }
        // The route of access survives, for the discharge-to-social-care finding.
        let from_hospital = |b: &ImportBatch| {
            b.episodes
                .iter()
                .filter(|e| e.episode.attr("route_of_access") == Some("Discharge from Hospital"))
                .count()
        };
        assert!(from_hospital(&batch) > 0);
        assert_eq!(from_hospital(&parsed.batch), from_hospital(&batch));

        let (text, rows) = write(&HOSPITAL_COLUMNS, |w| write_hospital(w, &batch));
        let parsed = hospital_csv::parse("spells.csv", "", &text, ImportOptions::default()).expect("hospital");
        assert!(parsed.rejections.is_empty(), "{:?}", &parsed.rejections[..1]);
        let spells: Vec<_> = batch.episodes.iter().filter_map(|e| e.spell.as_ref()).collect();
        assert_eq!(rows, spells.len());
        assert_eq!(parsed.batch.episodes.len(), spells.len());
        let read: Vec<_> = parsed.batch.episodes.iter().filter_map(|e| e.spell.as_ref()).collect();
        let still_in = |s: &[&crate::domain::HospitalSpell]| s.iter().filter(|s| s.discharged.is_none()).count();
        assert_eq!(still_in(&read), still_in(&spells));
        let ready = |s: &[&crate::domain::HospitalSpell]| s.iter().filter(|s| s.discharge_ready_date.is_some()).count();
        assert_eq!(ready(&read), ready(&spells));
        let delays = |s: &[&crate::domain::HospitalSpell]| s.iter().map(|s| s.delay_reasons.len()).sum::<usize>();
        assert_eq!(delays(&read), delays(&spells));
    }
}
