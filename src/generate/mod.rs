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

pub mod csv;
pub mod native;

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
const FEMALE: [&str; 24] = [
    "Margaret",
    "Joan",
    "Patricia",
    "Eileen",
    "Dorothy",
    "Kathleen",
    "Sheila",
    "Barbara",
    "Jean",
    "Maureen",
    "Brenda",
    "Susan",
    "Linda",
    "Janet",
    "Christine",
    "Elizabeth",
    "Sarah",
    "Emma",
    "Rachel",
    "Amira",
    "Priya",
    "Grace",
    "Helen",
    "Ann",
];
const MALE: [&str; 24] = [
    "John", "David", "Peter", "Michael", "Brian", "Kenneth", "Harold", "Ronald", "Alan", "Derek", "Keith", "Robert",
    "William", "James", "Stephen", "Paul", "Mark", "Samuel", "Tariq", "Rajesh", "Thomas", "George", "Arthur", "Frank",
];
const FAMILY: [&str; 40] = [
    "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Robinson", "Wright", "Thompson",
    "Evans", "Walker", "White", "Roberts", "Green", "Hall", "Wood", "Jackson", "Clarke", "Patel", "Khan", "Lewis",
    "Harrison", "Bennett", "Marsh", "Morgan", "Adeyemi", "Hughes", "Edwards", "Turner", "Hill", "Moore", "Cooper",
    "Ward", "Morris", "King", "Baker", "Shaw", "Okafor",
];
const STREETS: [&str; 12] = [
    "Station Road",
    "Church Lane",
    "Mill Street",
    "Victoria Road",
    "Park Avenue",
    "The Green",
    "Manor Close",
    "Queens Road",
    "High Street",
    "Orchard Way",
    "Chapel Row",
    "Moor Lane",
];
const TOWNS: [(&str, &str); 6] = [
    ("Northgate", "NG"),
    ("Southmere", "SM"),
    ("Eastbrook", "EB"),
    ("Westholme", "WH"),
    ("Ashby Fields", "AF"),
    ("Kirkdale", "KD"),
];
const POSTCODE_LETTERS: &[u8] = b"ABDEFGHJLNPQRSTUWXYZ";

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

fn postcode(rng: &mut Rng, area: &str) -> String {
    let l1 = POSTCODE_LETTERS[rng.below(POSTCODE_LETTERS.len() as u64) as usize] as char;
    let l2 = POSTCODE_LETTERS[rng.below(POSTCODE_LETTERS.len() as u64) as usize] as char;
    format!("{area}{} {}{l1}{l2}", rng.between(1, 19), rng.between(0, 9))
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
        spell(&mut w, &mut rng, as_of, *admitted, *discharged, age);
    }

    // Social care: a request, an assessment, services and reviews (CLD events).
    if uses_social_care {
        w.key = council_key;
        social_care(&mut w, &mut rng, as_of, &stays, history_days);
        if !council_without_nhs && age >= 75 && rng.chance(40) {
            chc(&mut w, &mut rng, as_of);
        }
    }
}

fn spell(
    w: &mut Writer<'_>,
    rng: &mut Rng,
    as_of: NaiveDate,
    admitted: NaiveDate,
    discharged: Option<NaiveDate>,
    age: i64,
) {
    let emergency = rng.chance(700);
    let method = if emergency {
        *rng.pick(&["21", "21", "21", "22", "23", "2A", "2B", "2D"])
    } else {
        *rng.pick(&["11", "12", "13"])
    };
    let hospital = *rng.pick(&HOSPITALS);
    let ward = *rng.pick(&WARDS);
    let pathway = match rng.below(100) {
        0..50 => 0u8,
        50..80 => 1,
        80..92 => 2,
        _ => 3,
    };
    let destination = match (pathway, discharged.is_some()) {
        (_, false) => None,
        (2, true) => Some(*rng.pick(&["29", "56"])),
        (3, true) => Some(*rng.pick(&["54", "85", "55", "56"])),
        _ => Some("19"),
    };
    // The person stops meeting the criteria to reside on the discharge ready date.
    // Most who have gone home left on it; some waited (the delay); of those still in,
    // some are ready and waiting.
    let last = discharged.unwrap_or(as_of);
    let stay = (last - admitted).num_days();
    let drd = match discharged {
        Some(d) if rng.chance(820) || stay < 2 => Some(d),
        Some(d) => Some(d - Duration::days(rng.between(1, (stay - 1).min(12)))),
        None if stay >= 2 && rng.chance(450) => {
            // Waits skew short, with a tail of long ones.
            let longest = rng.between(0, (stay - 1).min(35));
            Some(as_of - Duration::days(rng.between(0, longest)))
        }
        None => None,
    };
    let mut reviews = vec![CtrReview {
        date: admitted,
        meets: true,
        code: Some(format!("{:02}", rng.between(1, 12))),
    }];
    if let Some(drd) = drd.filter(|d| *d > admitted) {
        reviews.push(CtrReview {
            date: drd,
            meets: false,
            code: None,
        });
    }
    let delay_reasons = if discharged.is_none() && reviews.len() == 2 && pathway > 0 {
        let (code, description, attribution) = *rng.pick(&[
            ("C", "Awaiting further non-acute NHS care", Attribution::Nhs),
            ("D1", "Awaiting care home assessment", Attribution::SocialCare),
            ("E", "Awaiting care package in own home", Attribution::SocialCare),
            ("F", "Awaiting community equipment and adaptations", Attribution::Both),
            ("G", "Patient or family choice", Attribution::Other),
            ("H", "Disputes", Attribution::Both),
        ]);
        vec![DelayReason {
            id: 0,
            code: code.into(),
            description: description.into(),
            attribution,
            since: drd.unwrap_or(as_of),
            owner: None,
        }]
    } else {
        vec![]
    };
    let start = at(admitted, rng.between(0, 23) as u32);
    let end = discharged.map(|d| at(d, rng.between(10, 19) as u32).max(start + Duration::hours(2)));
    let title = if emergency {
        "Emergency admission"
    } else {
        "Elective admission"
    };
    let mut attributes = vec![(attr::ADMISSION_METHOD, method)];
    if let Some(dest) = destination {
        attributes.push((attr::DISCHARGE_DESTINATION, dest));
        attributes.push((attr::DISCHARGE_METHOD, "1"));
    }
    let entry = w.add(
        EpisodeKind::InpatientSpell,
        format!("{title}, {ward} ward"),
        start,
        end,
        hospital,
        PAS_SOURCE,
        &attributes,
    );
    entry.spell = Some(HospitalSpell {
        hospital: hospital.into(),
        ward: Some(format!("{ward} ward")),
        admitted: Some(start),
        discharged: end,
        admission_method: Some(method.into()),
        admission_source: Some("19".into()),
        discharge_method: destination.map(|_| "1".into()),
        discharge_destination: destination.map(Into::into),
        meets_criteria_to_reside: reviews.last().map(|r| r.meets),
        criteria_to_reside_code: reviews.last().and_then(|r| r.code.clone()),
        discharge_ready_date: drd,
        pathway: Some(pathway),
        delay_reasons,
        ctr_reviews: reviews,
        next_action: (discharged.is_none() && age >= 65 && pathway > 0)
            .then(|| "Confirm the package of care start date".into()),
        next_action_owner: None,
        ..Default::default()
    });
}

fn social_care(
    w: &mut Writer<'_>,
    rng: &mut Rng,
    as_of: NaiveDate,
    stays: &[(NaiveDate, Option<NaiveDate>)],
    history_days: i64,
) {
    let council = "Synthetic County Council";
    // Someone discharged home with support starts through "Discharge from Hospital".
    let after_discharge = stays.iter().filter_map(|(_, d)| *d).find(|_| rng.chance(500));
    let (route, request_day) = match after_discharge {
        Some(d) => ("Discharge from Hospital", d + Duration::days(rng.between(0, 2))),
        None => (
            *rng.pick(&[
                "Community / Other route",
                "Community / Other route",
                "Diversion from Hospital Services",
                "Planned Entry (Transition)",
                "Self-Funder",
            ]),
            as_of - Duration::days(rng.between(30, history_days)),
        ),
    };
    if request_day >= as_of {
        return;
    }
    let outcome = if route == "Discharge from Hospital" {
        "Progress to Reablement/ST-Max"
    } else {
        "Progress to Assessment"
    };
    w.add(
        EpisodeKind::SocialCareRequest,
        format!("Request: {route}"),
        at(request_day, 10),
        Some(at(request_day, 10)),
        council,
        COUNCIL_SOURCE,
        &[(attr::ROUTE_OF_ACCESS, route), ("outcome", outcome)],
    );
    let mut day = request_day;
    if route == "Discharge from Hospital" {
        let start = day + Duration::days(rng.between(1, 7));
        if start >= as_of {
            return;
        }
        let end = start + Duration::days(rng.between(21, 42));
        w.add(
            EpisodeKind::SocialCareService,
            "Short Term Support: ST-Max".into(),
            at(start, 9),
            (end < as_of).then(|| at(end, 17)),
            council,
            COUNCIL_SOURCE,
            &[
                (attr::SERVICE_TYPE, "Short Term Support: ST-Max"),
                ("service_component", "Reablement"),
                ("delivery_mechanism", "CASSR Commissioned Support"),
            ],
        );
        day = end;
    }
    let assessed = day + Duration::days(rng.between(3, 28));
    if assessed >= as_of {
        return;
    }
    let eligible = rng.chance(750);
    w.add(
        EpisodeKind::SocialCareAssessment,
        "Care Act needs assessment".into(),
        at(assessed, 11),
        Some(at(assessed, 12)),
        council,
        COUNCIL_SOURCE,
        &[
            ("assessment_type", "Long Term Support"),
            ("eligible_needs_identified", if eligible { "Yes" } else { "No" }),
            (
                "outcome",
                if eligible {
                    "Progress to Support Planning / Services"
                } else {
                    "NFA - Information & Advice / Signposting only"
                },
            ),
        ],
    );
    if rng.chance(60) {
        w.add(
            EpisodeKind::CarerAssessment,
            "Carer's assessment".into(),
            at(assessed + Duration::days(2), 14),
            Some(at(assessed + Duration::days(2), 15)),
            council,
            COUNCIL_SOURCE,
            &[("assessment_type", "Carer")],
        );
    }
    if !eligible {
        return;
    }
    let care_home = rng.chance(150);
    let (service_type, component) = if care_home {
        ("Long Term Support: Residential Care", "Long term residential care")
    } else {
        ("Long Term Support: Community", "Home support (domiciliary)")
    };
    // The package runs from support planning; an admission suspends it, and it
    // restarts after discharge (mostly), as the readmission and restart findings expect.
    let mut start = assessed + Duration::days(rng.between(5, 20));
    let plan_start = start;
    let mut last_review = None;
    let mut part = 0;
    while start < as_of {
        part += 1;
        let stay = stays.iter().find(|(a, _)| *a > start);
        let (end, outcome, next) = match stay {
            // Still in hospital: the package is suspended, not ended (CLD counts it as ongoing).
            Some((_, None)) if !care_home => (None, "Suspended", None),
            Some((admitted, Some(discharged))) if !care_home => {
                let restart = rng.chance(850).then(|| *discharged + Duration::days(rng.between(0, 2)));
                (Some(*admitted), "Admitted to hospital", restart)
            }
            _ => (None, "Provision of service", None),
        };
        let unit_cost = if care_home { "812.00" } else { "24.50" };
        let mut attributes = vec![
            (attr::SERVICE_TYPE, service_type),
            ("service_component", component),
            ("delivery_mechanism", "CASSR Commissioned Support"),
            ("unit_cost", unit_cost),
            ("cost_frequency", if care_home { "Weekly" } else { "Hourly" }),
        ];
        if end.is_some() {
            attributes.push(("outcome", outcome));
        }
        if !care_home {
            attributes.push(("planned_units_per_week", "10.50"));
        }
        let title = if part == 1 {
            service_type.to_owned()
        } else {
            format!("{service_type} (restarted)")
        };
        let suspended = outcome == "Suspended";
        let entry = w.add(
            EpisodeKind::SocialCareService,
            title,
            at(start, 9),
            end.map(|e| at(e, 8)),
            council,
            COUNCIL_SOURCE,
            &attributes,
        );
        if suspended {
            entry.episode.status = EpisodeStatus::Suspended;
        }
        // Annual reviews while the package runs.
        let mut review = start + Duration::days(rng.between(42, 84));
        while review < end.unwrap_or(as_of) && review < as_of {
            w.add(
                EpisodeKind::SocialCareReview,
                "Care and support plan review".into(),
                at(review, 10),
                Some(at(review, 11)),
                council,
                COUNCIL_SOURCE,
                &[("review_reason", "Planned"), ("outcome", "No change in package")],
            );
            last_review = Some(review);
            review += Duration::days(365);
        }
        match next {
            Some(n) => start = n,
            None => break,
        }
    }
    if plan_start < as_of {
        care_plans(w, rng, as_of, plan_start, last_review, care_home);
    }
    if rng.chance(15) {
        let d = as_of - Duration::days(rng.between(10, 400));
        let entry = w.add(
            EpisodeKind::SafeguardingEnquiry,
            "Section 42 safeguarding enquiry".into(),
            at(d, 15),
            Some(at(d + Duration::days(rng.between(7, 40)), 12)),
            council,
            COUNCIL_SOURCE,
            &[],
        );
        entry.episode.sensitivity = Sensitivity::Safeguarding;
    }
}

/// The council's care and support plan for the package (Care Act s25), and for some
/// an NHS community nursing plan beside it, so plans from both sectors sit side by side.
fn care_plans(
    w: &mut Writer<'_>,
    rng: &mut Rng,
    as_of: NaiveDate,
    start: NaiveDate,
    last_review: Option<NaiveDate>,
    care_home: bool,
) {
    use crate::domain::care_plan::{Funding, PlanAction, PlanNeed, ResponsibleParty};
    let reviewed = last_review.unwrap_or(start);
    let action = |description: &str, party: ResponsibleParty, name: &str| PlanAction {
        description: description.into(),
        responsible_party: party,
        responsible_name: Some(name.into()),
    };
    let goal = *rng.pick(&[
        "To stay living in my own home",
        "To get washed and dressed in the morning without rushing",
        "To see my friends at the day centre on Thursdays",
        "To feel safe at night",
    ]);
    let council_plan = CarePlan {
        id: 0,
        kind: PlanKind::CareAndSupport,
        sector: Sector::SocialCare,
        title: if care_home {
            "Care and support plan: residential care".into()
        } else {
            "Care and support plan: home care".into()
        },
        owner: "Synthetic County Council adult social care".into(),
        status: "active".into(),
        version: 1,
        start,
        last_review,
        next_review: Some(reviewed + Duration::days(365)),
        goals: vec![goal.into()],
        needs: vec![
            PlanNeed {
                description: "Managing and maintaining nutrition".into(),
                is_eligible: true,
            },
            PlanNeed {
                description: "Maintaining personal hygiene".into(),
                is_eligible: true,
            },
        ],
        actions: vec![
            action(
                // Most plans meet every eligible need; some leave nutrition unaddressed,
                // which the plans screen flags.
                match (care_home, rng.chance(850)) {
                    (true, true) => "Residential care: meals and nutrition, personal hygiene",
                    (true, false) => "Residential care: personal hygiene",
                    (false, true) => "Home care twice a day: meals and nutrition, personal hygiene",
                    (false, false) => "Home care twice a day: personal hygiene",
                },
                ResponsibleParty::Provider,
                if care_home {
                    "Willow Court Care Home"
                } else {
                    "Kirkdale Home Care"
                },
            ),
            action(
                "Annual review",
                ResponsibleParty::LocalAuthority,
                "Adult social care team",
            ),
        ],
        funding: Some(if rng.chance(150) {
            Funding::SelfFunded
        } else {
            Funding::LocalAuthority
        }),
        personal_budget_weekly: (!care_home).then_some(257.25),
        provenance: Provenance {
            source: COUNCIL_SOURCE.into(),
            source_ref: format!("CSP-{}", w.index + 1),
            ..Default::default()
        },
    };
    w.batch.care_plans.push(CarePlanEntry {
        person: w.key.clone(),
        plan_ref: council_plan.provenance.source_ref.clone(),
        plan: council_plan,
    });
    if !matches!(w.key, PersonKey::Nhs(_)) || !rng.chance(400) {
        return;
    }
    let nhs_start = (as_of - Duration::days(rng.between(30, 400))).max(start);
    let nhs_plan = CarePlan {
        id: 0,
        kind: PlanKind::NhsCarePlan,
        sector: Sector::Health,
        title: "Community nursing care plan".into(),
        owner: "Synthetic Community Health Trust district nursing".into(),
        status: "active".into(),
        version: 1,
        start: nhs_start,
        last_review: None,
        next_review: Some(nhs_start + Duration::days(90)),
        goals: vec!["Heal the leg ulcer and keep my skin healthy".into()],
        needs: vec![PlanNeed {
            description: "Pressure area and leg ulcer care".into(),
            is_eligible: true,
        }],
        actions: vec![action(
            "Leg ulcer dressing and pressure area checks twice a week",
            ResponsibleParty::NhsBody,
            "District nursing team",
        )],
        funding: None,
        personal_budget_weekly: None,
        provenance: Provenance {
            source: COMMUNITY_SOURCE.into(),
            source_ref: format!("NCP-{}", w.index + 1),
            ..Default::default()
        },
    };
    w.batch.care_plans.push(CarePlanEntry {
        person: w.key.clone(),
        plan_ref: nhs_plan.provenance.source_ref.clone(),
        plan: nhs_plan,
    });
}

/// A positive Checklist, then (for most) a DST and the ICB's decision. Some are
/// still waiting, so the caseload has open and overdue cases.
fn chc(w: &mut Writer<'_>, rng: &mut Rng, as_of: NaiveDate) {
    use ChcDomain::*;
    let checked = as_of - Duration::days(rng.between(5, 300));
    let grid = vec![
        (Breathing, "A".to_owned()),
        (Mobility, "B".to_owned()),
        (Continence, "B".to_owned()),
        (Cognition, "B".to_owned()),
    ];
    let entry = w.add(
        EpisodeKind::ChcChecklist,
        "CHC Checklist".into(),
        at(checked, 10),
        None,
        "Synthetic ICB",
        CHC_SOURCE,
        &[],
    );
    entry.chc = Some(ChcAssessment {
        episode_id: 0,
        kind: ChcAssessmentKind::Checklist,
        completed_on: checked,
        completed_by: Some("Ward nurse".into()),
        domains: grid,
        mdt_recommendation: None,
        icb_decision: None,
        recorded_positive: None,
        evidence: vec![],
    });
    let dst_day = checked + Duration::days(rng.between(14, 40));
    if dst_day >= as_of || rng.chance(150) {
        return;
    }
    let eligible = rng.chance(350);
    let domains = vec![
        (Breathing, if eligible { "S" } else { "H" }.to_owned()),
        (Cognition, if eligible { "S" } else { "M" }.to_owned()),
        (Mobility, "H".to_owned()),
        (Continence, "M".to_owned()),
        (Nutrition, "L".to_owned()),
    ];
    let decided = dst_day + Duration::days(rng.between(3, 20));
    let entry = w.add(
        EpisodeKind::ChcDst,
        "CHC Decision Support Tool".into(),
        at(dst_day, 10),
        None,
        "Synthetic ICB",
        CHC_SOURCE,
        &[],
    );
    entry.chc = Some(ChcAssessment {
        episode_id: 0,
        kind: ChcAssessmentKind::Dst,
        completed_on: dst_day,
        completed_by: Some("MDT: CHC nurse assessor, social worker".into()),
        domains,
        mdt_recommendation: Some(if eligible { "Eligible" } else { "Not eligible" }.into()),
        icb_decision: (decided < as_of).then_some(IcbDecision {
            date: decided,
            is_eligible: eligible,
            note: None,
        }),
        recorded_positive: None,
        evidence: vec![],
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::chc_dst::{DstLevel, DstRecommendation, dst_outcome};
    use std::collections::HashSet;

    fn as_of() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 22).expect("date")
    }

    #[test]
    fn numbers_are_valid_distinct_and_in_the_test_range() {
        let numbers = nhs_numbers(1, 20_000).expect("enough");
        let distinct: HashSet<_> = numbers.iter().collect();
        assert_eq!(distinct.len(), 20_000);
        assert!(numbers.iter().all(|n| n.is_test_range()));
        assert!(nhs_numbers(1, 950_000).is_err());
    }

    #[test]
    fn the_same_seed_gives_the_same_people_however_it_is_chunked() {
        let numbers = nhs_numbers(7, 40).expect("enough");
        let whole = chunk(7, as_of(), 0, &numbers);
        let halves = [
            chunk(7, as_of(), 0, &numbers[..25]),
            chunk(7, as_of(), 25, &numbers[25..]),
        ];
        let joined: Vec<_> = halves.iter().flat_map(|b| b.episodes.iter().cloned()).collect();
        assert_eq!(whole.episodes, joined);
        let other = chunk(8, as_of(), 0, &nhs_numbers(8, 40).expect("enough"));
        assert_ne!(whole.people, other.people);
    }

    #[test]
    fn histories_follow_the_rules() {
        let numbers = nhs_numbers(3, 2_000).expect("enough");
        let batch = chunk(3, as_of(), 0, &numbers);
        let per_person = batch.episodes.len() as f64 / numbers.len() as f64;
        assert!(per_person > 30.0, "{per_person} episodes a person");
        let mut refs = HashSet::new();
        let mut in_hospital = 0;
        for e in &batch.episodes {
            let ep = &e.episode;
            assert!(refs.insert((ep.provenance.source.clone(), ep.provenance.source_ref.clone())));
            assert!(ep.start.date() <= as_of(), "{ep:?}");
            if let Some(end) = ep.end {
                assert!(end >= ep.start, "{ep:?}");
            }
            if let Some(s) = &e.spell {
                let method = s.admission_method.as_deref().expect("method");
                assert!(method.starts_with('1') || method.starts_with('2'));
                if let Some(drd) = s.discharge_ready_date {
                    assert!(drd >= ep.start.date());
                }
                if ep.end.is_none() {
                    in_hospital += 1;
                }
            }
            if let Some(a) = &e.chc
                && a.kind == ChcAssessmentKind::Dst
                && let Some(d) = &a.icb_decision
            {
                // The decision agrees with what the DST grid gives.
                let grid: Vec<_> = a
                    .domains
                    .iter()
                    .map(|(dom, l)| (*dom, DstLevel::parse(l).expect("level")))
                    .collect();
                let clear = dst_outcome(&grid).recommendation == DstRecommendation::ClearEligibility;
                assert_eq!(clear, d.is_eligible);
            }
        }
        assert!(in_hospital > 10, "{in_hospital} in hospital");
        let routes: HashSet<_> = batch
            .episodes
            .iter()
            .filter_map(|e| e.episode.attr(attr::ROUTE_OF_ACCESS))
            .collect();
        assert!(routes.contains("Discharge from Hospital"));
        assert!(batch.people.iter().any(|p| matches!(p.key, PersonKey::Local(_))));
        // Care plans from both sectors; most meet every eligible need, a few leave a gap.
        assert!(batch.care_plans.iter().any(|p| p.plan.sector == Sector::Health));
        let council: Vec<_> = batch
            .care_plans
            .iter()
            .filter(|p| p.plan.sector == Sector::SocialCare)
            .collect();
        let with_gaps = council
            .iter()
            .filter(|p| {
                !crate::domain::care_plan_rules::who_does_what(&[&p.plan])
                    .unmet_needs
                    .is_empty()
            })
            .count();
        assert!(
            with_gaps * 20 > council.len() && with_gaps * 4 < council.len(),
            "{with_gaps} of {}",
            council.len()
        );
        // Packages of people in hospital now are suspended, not ended.
        assert!(
            batch
                .episodes
                .iter()
                .any(|e| e.episode.status == EpisodeStatus::Suspended
                    && e.episode.kind == EpisodeKind::SocialCareService)
        );
    }
}
