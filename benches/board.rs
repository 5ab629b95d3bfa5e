//! Benchmark: the discharge board for 2,000 current inpatients among 100,000 people
//! (DESIGN.md section 5 asks for under 50 ms), computed from the store and laid out
//! as one egui frame. Run with `cargo bench --bench board`.
//!
//! The population is built once into `target/bench-data/` and reused.

#[allow(dead_code)]
mod common;

use std::path::{Path, PathBuf};
use std::time::Instant;

use chrono::{Duration as Days, NaiveDate, NaiveDateTime, NaiveTime};
use joinedup::domain::batch::{EpisodeEntry, ImportBatch, PersonEntry, PersonKey};
use joinedup::domain::board::{BoardColumn, build_rows, sort_rows};
use joinedup::domain::discharge::{CtrReview, summarise};
use joinedup::domain::hospital::{Attribution, DelayReason};
use joinedup::domain::nhs_number::check_digit;
use joinedup::domain::{
    Demographics, Episode, EpisodeKind, EpisodeStatus, HospitalSpell, NhsNumber, Provenance, Sensitivity, Sex,
};
use joinedup::store::Store;
use joinedup::ui::views::board::{BoardData, BoardView};

const PEOPLE: usize = 100_000;
const INPATIENTS: usize = 2_000;
const EPISODES_PER_PERSON: usize = 10;

/// A small deterministic generator (xorshift), so every run builds the same data.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn test_range_numbers(n: usize) -> Vec<NhsNumber> {
    let mut out = Vec::with_capacity(n);
    let mut stem = 1u64;
    while out.len() < n {
        let s = format!("999{stem:06}");
        let digits: Vec<u8> = s.bytes().map(|b| b - b'0').collect();
        if let Some(c) = check_digit(&digits) {
            out.push(NhsNumber::parse(&format!("{s}{c}")).expect("valid"));
        }
        stem += 1;
    }
    out
}

fn at(d: NaiveDate) -> NaiveDateTime {
    d.and_time(NaiveTime::MIN)
}

fn episode(
    kind: EpisodeKind,
    source: &str,
    source_ref: String,
    start: NaiveDateTime,
    end: Option<NaiveDateTime>,
) -> Episode {
    Episode {
        id: 0,
        kind,
        title: kind.label().to_owned(),
        start,
        end,
        status: if end.is_some() {
            EpisodeStatus::Ended
        } else {
            EpisodeStatus::Active
        },
        organisation: Some(source.to_owned()),
        detail: String::new(),
        sensitivity: Sensitivity::Normal,
        attributes: Default::default(),
        provenance: Provenance {
            source: source.to_owned(),
            source_ref,
            ..Default::default()
        },
    }
}

fn build(path: &Path, as_of: NaiveDate) {
    let started = Instant::now();
    let mut store = Store::open(path).expect("open");
    let numbers = test_range_numbers(PEOPLE);
    let mut rng = Rng(0x5eed_cafe);
    let wards = ["Elm", "Oak", "Birch", "Cedar", "Willow", "Ash", "Beech", "Maple"];
    let hospitals = [
        "Northgate General Hospital",
        "Southmere Royal Infirmary",
        "Eastbrook Hospital",
    ];
    for chunk in 0..(PEOPLE / 10_000) {
        let mut batch = ImportBatch {
            format: "bench".into(),
            file_name: format!("bench-{chunk}.json"),
            file_sha256: "0".repeat(64),
            ..Default::default()
        };
        for i in chunk * 10_000..(chunk + 1) * 10_000 {
            let key = PersonKey::Nhs(numbers[i]);
            batch.people.push(PersonEntry {
                key: key.clone(),
                nhs_number: Some(numbers[i]),
                local_ids: vec![],
                source: "Bench PAS".into(),
                demographics: Demographics {
                    given_name: format!("Given{}", i % 997),
                    family_name: format!("Family{}", i % 4_999),
                    date_of_birth: NaiveDate::from_ymd_opt(
                        1930 + (i % 60) as i32,
                        1 + (i % 12) as u32,
                        1 + (i % 28) as u32,
                    ),
                    sex: if i % 2 == 0 { Sex::Female } else { Sex::Male },
                    ..Default::default()
                },
                alerts: vec![],
                is_restricted: false,
            });
            for e in 0..EPISODES_PER_PERSON - 2 {
                let start = at(as_of - Days::days(rng.below(3_650) as i64));
                batch.episodes.push(EpisodeEntry {
                    person: key.clone(),
                    episode: episode(EpisodeKind::GpEncounter, "Bench GP", format!("GP-{i}-{e}"), start, None),
                    spell: None,
                    chc: None,
                    replaces_existing: false,
                });
            }
            if i % 3 == 0 {
                let start = at(as_of - Days::days(rng.below(700) as i64 + 30));
                batch.episodes.push(EpisodeEntry {
                    person: key.clone(),
                    episode: episode(
                        EpisodeKind::SocialCareService,
                        "Bench Council",
                        format!("SVC-{i}"),
                        start,
                        None,
                    ),
                    spell: None,
                    chc: None,
                    replaces_existing: false,
                });
            }
            // Every 50th person is in hospital now (2,000 of 100,000); others had a past stay.
            let current = i % (PEOPLE / INPATIENTS) == 0;
            let admitted = if current {
                at(as_of - Days::days(rng.below(40) as i64 + 1))
            } else {
                at(as_of - Days::days(rng.below(365) as i64 + 20))
            };
            let discharged = (!current).then(|| admitted + Days::days(rng.below(15) as i64 + 1));
            let drd = admitted.date() + Days::days(rng.below(10) as i64);
            let mut reviews = vec![CtrReview {
                date: admitted.date(),
                meets: true,
                code: Some("03".into()),
            }];
            if drd <= discharged.map(|d| d.date()).unwrap_or(as_of) && rng.below(4) != 0 {
                reviews.push(CtrReview {
                    date: drd,
                    meets: false,
                    code: None,
                });
            }
            let delay_reasons = if current && reviews.len() == 2 {
                vec![DelayReason {
                    id: 0,
                    code: "E".into(),
                    description: "Awaiting care package in own home".into(),
                    attribution: if rng.below(2) == 0 {
                        Attribution::SocialCare
                    } else {
                        Attribution::Nhs
                    },
                    since: drd,
                    owner: None,
                }]
            } else {
                vec![]
            };
            let hospital = hospitals[i % hospitals.len()];
            batch.episodes.push(EpisodeEntry {
                person: key.clone(),
                episode: episode(
                    EpisodeKind::InpatientSpell,
                    "Bench PAS",
                    format!("SP-{i}"),
                    admitted,
                    discharged,
                ),
                spell: Some(HospitalSpell {
                    hospital: hospital.into(),
                    ward: Some(wards[i % wards.len()].into()),
                    admission_method: Some("21".into()),
                    pathway: Some((rng.below(4)) as u8),
                    ctr_reviews: reviews,
                    delay_reasons,
                    ..Default::default()
                }),
                chc: None,
                replaces_existing: false,
            });
        }
        batch.rows_read = batch.people.len() + batch.episodes.len();
        store.apply_import(&batch, at(as_of)).expect("import");
    }
    eprintln!("built the population in {:.1} s", started.elapsed().as_secs_f64());
}

use common::median;

fn main() {
    let as_of = NaiveDate::from_ymd_opt(2026, 11, 22).expect("date");
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-data");
    std::fs::create_dir_all(&dir).expect("bench dir");
    let path = dir.join(format!(
        "board-{PEOPLE}-{INPATIENTS}-s{}.db",
        joinedup::store::schema_version()
    ));
    if !path.exists() {
        build(&path, as_of);
    }
    let store = Store::open(&path).expect("open");
    let people = store.count_people().expect("count");
    let episodes: i64 = store
        .connection()
        .query_row("SELECT count(*) FROM episode", [], |r| r.get(0))
        .expect("count");

    let mut query = Vec::new();
    let mut data = None;
    for _ in 0..15 {
        let t = Instant::now();
        let (inputs, discharged) = store.board_inputs(as_of).expect("board");
        let mut rows = build_rows(&inputs, as_of);
        sort_rows(&mut rows, BoardColumn::DaysDelayed, true);
        let current: Vec<_> = inputs.iter().map(|i| &i.spell).collect();
        let summary = summarise(&current, &discharged.iter().collect::<Vec<_>>(), as_of);
        query.push(t.elapsed());
        data = Some(BoardData { as_of, rows, summary });
    }
    let data = data.expect("ran");

    let mut view = BoardView::default();
    let (frames, _) = common::headless_frames(30, false, |ui| {
        let _ = view.ui(ui, Some(&data));
    });
    // The first frame builds fonts and the filter; report it and the steady state.
    let first = frames[0];
    let steady = median(frames[1..].to_vec());
    println!(
        "database: {people} people, {episodes} episodes; board: {} current inpatients",
        data.rows.len()
    );
    println!(
        "board query + rules: median {:.1} ms, min {:.1} ms (15 runs)",
        median(query.clone()).as_secs_f64() * 1e3,
        query.iter().min().expect("runs").as_secs_f64() * 1e3
    );
    println!(
        "board frame (layout, no GPU): first {:.1} ms, then median {:.2} ms (29 frames)",
        first.as_secs_f64() * 1e3,
        steady.as_secs_f64() * 1e3
    );
}
