//! A synthetic population for testers: `joinedup generate --people N --seed S`.
//!
//! Deterministic for a seed: person `i` is drawn from its own random stream, so the
//! output does not depend on how the work is split into chunks. NHS numbers are in
//! the test range 999 000 0000 to 999 999 9999, valid by check digit and never
//! repeated. Histories follow RULES.md: admission methods and discharge
//! destinations from section 5, discharge ready dates and pathways from section 3,
//! CLD routes of access, service types and outcomes from section 4.3, CHC Checklists
//! and DSTs whose grids give the outcome the rules expect (section 2). A few people
//! come from the council without an NHS number, and a few have demographics that the
//! council spells differently, so the matching queue and the "sources disagree" list
//! have work.
//!
//! Pure: no store, no clock; the caller passes the date the population is as of.

mod chc;
pub mod csv;
mod hospital;
mod names;
pub mod native;
mod social_care;

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime};

use crate::domain::batch::{CarePlanEntry, EpisodeEntry, ImportBatch, PersonEntry, PersonKey};
use crate::domain::care_plan::PlanKind;
use crate::domain::chc::IcbDecision;
use crate::domain::discharge::CtrReview;
use crate::domain::episode::attr;
use crate::domain::hospital::Attribution;
use crate::domain::nhs_number::check_digit;
use crate::domain::{
    CarePlan, ChcAssessment, ChcAssessmentKind, ChcDomain, DelayReason, Demographics, Episode, EpisodeKind,
    EpisodeStatus, HospitalSpell, LocalId, NhsNumber, Provenance, Sector, Sensitivity, Sex,
};
use names::{FAMILY, FEMALE, MALE, STREETS, TOWNS, postcode};

/// Bumped whenever the same seed would give different people, so cached benchmark
/// databases are rebuilt.
pub const VERSION: u32 = 3;

/// People per batch: each batch is stored in one transaction.
pub const CHUNK: usize = 5_000;

pub const GP_SOURCE: &str = "Synthetic GP Systems";
pub const PAS_SOURCE: &str = "Synthetic Hospital PAS";
pub const COMMUNITY_SOURCE: &str = "Synthetic Community Health";
pub const COUNCIL_SOURCE: &str = "Synthetic County Council CLD";
pub const CHC_SOURCE: &str = "Synthetic ICB CHC Team";

const HOSPITALS: [&str; 3] = [
    "Northgate General Hospital",
    "Southmere Royal Infirmary",
    "Eastbrook Hospital",
];
const WARDS: [&str; 8] = ["Elm", "Oak", "Birch", "Cedar", "Willow", "Ash", "Beech", "Maple"];
/// SplitMix64: small, fast and good enough for synthetic data.
struct Rng(u64);

impl Rng {
    fn for_person(seed: u64, index: usize) -> Rng {
        let mut r = Rng(seed ^ (index as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15));
        r.next();
        r
    }
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    fn between(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1) as u64) as i64
    }
    /// True with probability `per_thousand / 1000`.
    fn chance(&mut self, per_thousand: u64) -> bool {
        self.below(1000) < per_thousand
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

/// The first `n` NHS numbers of the seed's sequence: test range, valid, distinct.
///
/// Walks the 1,000,000 stems `999 xxx xxx` with a stride coprime to 10^6, so no stem
/// repeats; stems whose check value is 10 are skipped. At most about 909,000 exist.
pub fn nhs_numbers(seed: u64, n: usize) -> Result<Vec<NhsNumber>, String> {
    const STEMS: u64 = 1_000_000;
    let offset = seed % STEMS;
    // Odd and not a multiple of 5, so coprime to 10^6.
    let stride = 7_919u64;
    let mut out = Vec::with_capacity(n);
    for k in 0..STEMS {
        if out.len() == n {
            break;
        }
        let stem = (offset + k * stride) % STEMS;
        let text = format!("999{stem:06}");
        let digits: Vec<u8> = text.bytes().map(|b| b - b'0').collect();
        if let Some(c) = check_digit(&digits) {
            out.push(NhsNumber::parse(&format!("{text}{c}")).map_err(|e| e.to_string())?);
        }
    }
    if out.len() < n {
        return Err(format!(
            "the test range holds only {} valid NHS numbers; ask for fewer people",
            out.len()
        ));
    }
    Ok(out)
}

/// One chunk of the population: people `first .. first + numbers.len()`.
pub fn chunk(seed: u64, as_of: NaiveDate, first: usize, numbers: &[NhsNumber]) -> ImportBatch {
    let mut batch = ImportBatch {
        format: "synthetic".into(),
        file_name: format!("synthetic seed {seed}, people {}-{}", first + 1, first + numbers.len()),
        file_sha256: String::new(),
        ..Default::default()
    };
    for (k, nhs) in numbers.iter().enumerate() {
        person(&mut batch, seed, as_of, first + k, *nhs);
    }
    batch.rows_read = batch.people.len() + batch.episodes.len();
    batch
}

fn at(d: NaiveDate, hour: u32) -> NaiveDateTime {
    d.and_time(NaiveTime::from_hms_opt(hour, 0, 0).unwrap_or(NaiveTime::MIN))
}

/// Adds episodes for one person, keeping source references unique per source.
struct Writer<'a> {
    batch: &'a mut ImportBatch,
    key: PersonKey,
    index: usize,
    n: usize,
}

impl Writer<'_> {
    /// Add a care plan for the current person; versions share the source reference.
    fn plan(&mut self, plan: CarePlan) {
        self.batch.care_plans.push(CarePlanEntry {
            person: self.key.clone(),
            plan_ref: plan.provenance.source_ref.clone(),
            plan,
        });
    }

    #[allow(clippy::too_many_arguments)]
    fn add(
        &mut self,
        kind: EpisodeKind,
        title: String,
        start: NaiveDateTime,
        end: Option<NaiveDateTime>,
        organisation: &str,
        source: &str,
        attributes: &[(&str, &str)],
    ) -> &mut EpisodeEntry {
        self.n += 1;
        let status = match (end, kind) {
            (Some(_), _) => EpisodeStatus::Ended,
            (None, EpisodeKind::InpatientSpell | EpisodeKind::SocialCareService) => EpisodeStatus::Active,
            (None, _) => EpisodeStatus::Completed,
        };
        self.batch.episodes.push(EpisodeEntry {
            person: self.key.clone(),
            episode: Episode {
                id: 0,
                kind,
                title,
                start,
                end,
                status,
                organisation: Some(organisation.to_owned()),
                detail: String::new(),
                sensitivity: Sensitivity::Normal,
                attributes: attributes
                    .iter()
                    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                    .collect::<BTreeMap<_, _>>(),
                provenance: Provenance {
                    source: source.to_owned(),
                    source_ref: format!("P{}-{}", self.index + 1, self.n),
                    ..Default::default()
                },
            },
            spell: None,
            chc: None,
            replaces_existing: false,
        });
        self.batch.episodes.last_mut().expect("just pushed")
    }
}

/// Age weighted to older people, who use both services most.
fn age(rng: &mut Rng) -> i64 {
    match rng.below(100) {
        0..15 => rng.between(18, 39),
        15..40 => rng.between(40, 64),
        40..70 => rng.between(65, 79),
        _ => rng.between(80, 99),
    }
}

fn person(batch: &mut ImportBatch, seed: u64, as_of: NaiveDate, index: usize, nhs: NhsNumber) {
    let mut rng = Rng::for_person(seed, index);
    let age = age(&mut rng);
    let sex = if rng.chance(540) { Sex::Female } else { Sex::Male };
    let given = if sex == Sex::Female {
        *rng.pick(&FEMALE)
    } else {
        *rng.pick(&MALE)
    };
    let family = *rng.pick(&FAMILY);
    let dob = as_of - Duration::days(age * 365 + rng.between(0, 364));
    let (town, area) = *rng.pick(&TOWNS);
    let demographics = Demographics {
        given_name: given.to_owned(),
        family_name: family.to_owned(),
        date_of_birth: Some(dob),
        date_of_death: None,
        sex,
        address: Some(format!("{} {}, {town}", rng.between(1, 180), rng.pick(&STREETS))),
        postcode: Some(postcode(&mut rng, area)),
        gp_practice: Some(format!("{area}{:04}", rng.between(1, 40))),
        allocated_worker: None,
    };
    let uses_social_care = (age >= 65 && rng.chance(350)) || rng.chance(30);
    // A few council records carry no NHS number: they wait in the matching queue.
    let council_without_nhs = uses_social_care && rng.chance(5);
    let key = PersonKey::Nhs(nhs);
    batch.people.push(PersonEntry {
        key: key.clone(),
        nhs_number: Some(nhs),
        local_ids: vec![],
        source: GP_SOURCE.into(),
        demographics: demographics.clone(),
        alerts: vec![],
        is_restricted: false,
    });
    let council_id = LocalId {
        source: COUNCIL_SOURCE.into(),
        id: format!("LA{:07}", index + 1),
    };
    let council_key = if council_without_nhs {
        PersonKey::Local(council_id.clone())
    } else {
        key.clone()
    };
    if uses_social_care {
        let mut council = demographics.clone();
        // A few are spelt differently by the council: the sources disagree.
        if rng.chance(20) {
            council.given_name = format!("{}e", council.given_name);
        }
        council.allocated_worker = Some(format!("Team {}", rng.between(1, 12)));
        batch.people.push(PersonEntry {
            key: council_key.clone(),
            nhs_number: (!council_without_nhs).then_some(nhs),
            local_ids: vec![council_id],
            source: COUNCIL_SOURCE.into(),
            demographics: council,
            alerts: vec![],
            is_restricted: false,
        });
    }
    let mut w = Writer {
        batch,
        key,
        index,
        n: 0,
    };
    let practice = format!("{} Medical Practice", town);
    let history_days = (age.min(40) * 365 / 4).clamp(1_825, 3_650);

    // Primary care: more contact with age.
    let base = match age {
        0..40 => 8,
        40..65 => 15,
        65..80 => 30,
        _ => 45,
    };
    for _ in 0..base + rng.between(0, base) {
        let d = as_of - Duration::days(rng.between(1, history_days));
        w.add(
            EpisodeKind::GpEncounter,
            (*rng.pick(&[
                "GP appointment",
                "GP telephone consultation",
                "Practice nurse review",
                "GP home visit",
            ]))
            .to_owned(),
            at(d, rng.between(8, 17) as u32),
            None,
            &practice,
            GP_SOURCE,
            &[],
        );
    }
    for _ in 0..rng.between(0, if age >= 65 { 6 } else { 3 }) {
        let d = as_of - Duration::days(rng.between(1, history_days));
        let attended = *rng.pick(&["5", "5", "5", "6", "3", "2"]);
        w.add(
            EpisodeKind::Outpatient,
            (*rng.pick(&[
                "Cardiology clinic",
                "Respiratory clinic",
                "Diabetes clinic",
                "Orthopaedic clinic",
            ]))
            .to_owned(),
            at(d, 10),
            None,
            HOSPITALS[rng.below(HOSPITALS.len() as u64) as usize],
            PAS_SOURCE,
            &[("attended_or_did_not_attend", attended)],
        );
    }
    if age >= 65 {
        for _ in 0..rng.between(0, 10) {
            let d = as_of - Duration::days(rng.between(1, history_days));
            w.add(
                EpisodeKind::CommunityContact,
                (*rng.pick(&["District nurse visit", "Community physiotherapy", "Falls team visit"])).to_owned(),
                at(d, 11),
                None,
                "Synthetic Community Health Trust",
                COMMUNITY_SOURCE,
                &[],
            );
        }
    }
    if rng.chance(50) {
        for _ in 0..rng.between(2, 10) {
            let d = as_of - Duration::days(rng.between(1, history_days));
            w.add(
                EpisodeKind::MentalHealthContact,
                "Community mental health team contact".into(),
                at(d, 14),
                None,
                "Synthetic Mental Health Trust",
                COMMUNITY_SOURCE,
                &[],
            );
        }
    }
    for _ in 0..rng.between(0, if age >= 80 { 4 } else { 2 }) {
        let d = as_of - Duration::days(rng.between(1, history_days));
        let t = at(d, rng.between(0, 23) as u32);
        let ae_type = *rng.pick(&["01", "01", "01", "03", "04"]);
        w.add(
            EpisodeKind::AeAttendance,
            "A&E attendance".into(),
            t,
            Some(t + Duration::hours(rng.between(1, 11))),
            HOSPITALS[rng.below(HOSPITALS.len() as u64) as usize],
            PAS_SOURCE,
            &[("emergency_care_department_type", ae_type)],
        );
    }

    // Hospital stays: past ones, and about 2 in 100 people in hospital now.
    let mut stays: Vec<(NaiveDate, Option<NaiveDate>)> = Vec::new();
    let past = match age {
        0..65 => rng.between(0, 1),
        65..80 => rng.between(0, 2),
        _ => rng.between(0, 3),
    };
    for _ in 0..past {
        let admitted = as_of - Duration::days(rng.between(20, 1_095));
        let los = if rng.chance(300) {
            rng.between(0, 2)
        } else {
            rng.between(3, 25)
        };
        let discharged = (admitted + Duration::days(los)).min(as_of - Duration::days(1));
        if stays
            .iter()
            .all(|(a, d)| discharged < *a || admitted > d.unwrap_or(as_of))
        {
            stays.push((admitted, Some(discharged)));
        }
    }
    let in_hospital_now = rng.chance(if age >= 65 { 28 } else { 8 });
    if in_hospital_now {
        let admitted = as_of - Duration::days(rng.between(1, 45));
        if stays.iter().all(|(_, d)| d.is_some_and(|d| d < admitted)) {
            stays.push((admitted, None));
        }
    }
    stays.sort();
    for (admitted, discharged) in &stays {
        hospital::spell(&mut w, &mut rng, as_of, *admitted, *discharged, age);
    }

    // Social care: a request, an assessment, services and reviews (CLD events).
    if uses_social_care {
        w.key = council_key;
        social_care::social_care(&mut w, &mut rng, as_of, &stays, history_days);
        if !council_without_nhs && age >= 75 && rng.chance(40) {
            chc::chc(&mut w, &mut rng, as_of);
        }
    }
}

#[cfg(test)]
mod tests;
