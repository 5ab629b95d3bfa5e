//! Benchmark: the quality bars of DESIGN.md section 5 on a generated population of
//! 100,000 people (about 5 million episodes), plus one person with 10,000 episodes.
//! Run with `cargo bench --bench scale`; figures go in BENCHMARKS.md.
//!
//! The database is generated once into `target/bench-data/` (that run reports the
//! generate-and-load time) and reused.

#[allow(dead_code)]
mod common;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use chrono::{Duration as Days, NaiveDate, NaiveTime};
use joinedup::domain::batch::{EpisodeEntry, ImportBatch, PersonEntry, PersonKey};
use joinedup::domain::board::{BoardColumn, build_rows, sort_rows};
use joinedup::domain::discharge::summarise;
use joinedup::domain::findings::all_findings;
use joinedup::domain::{Demographics, Episode, EpisodeKind, EpisodeStatus, NhsNumber, Provenance, Sex};
use joinedup::generate::{CHUNK, chunk, nhs_numbers};
use joinedup::store::Store;
use joinedup::ui::ViewContext;
use joinedup::ui::db::LoadedPerson;
use joinedup::ui::views::person::PersonView;

const PEOPLE: usize = 100_000;
const SEED: u64 = 1;
const LONG: usize = 10_000;

fn ms(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1e3)
}

/// The person with a long history: 10,000 items over 15 years from two sectors.
fn long_history(nhs: NhsNumber, as_of: NaiveDate) -> ImportBatch {
    let key = PersonKey::Nhs(nhs);
    let mut batch = ImportBatch {
        format: "bench".into(),
        file_name: "long history".into(),
        ..Default::default()
    };
    batch.people.push(PersonEntry {
        key: key.clone(),
        nhs_number: Some(nhs),
        local_ids: vec![],
        source: "Bench".into(),
        demographics: Demographics {
            given_name: "Longhistory".into(),
            family_name: "Benchmark".into(),
            date_of_birth: NaiveDate::from_ymd_opt(1940, 3, 1),
            sex: Sex::Female,
            ..Default::default()
        },
        alerts: vec![],
        is_restricted: false,
    });
    let kinds = [
        EpisodeKind::GpEncounter,
        EpisodeKind::CommunityContact,
        EpisodeKind::Outpatient,
        EpisodeKind::SocialCareReview,
        EpisodeKind::SocialCareAssessment,
    ];
    for i in 0..LONG {
        let day = as_of - Days::days((i * 5_475 / LONG) as i64);
        let kind = kinds[i % kinds.len()];
        batch.episodes.push(EpisodeEntry {
            person: key.clone(),
            episode: Episode {
                id: 0,
                kind,
                title: kind.label().into(),
                start: day.and_time(NaiveTime::from_hms_opt(10, 0, 0).expect("time")),
                end: None,
                status: EpisodeStatus::Completed,
                organisation: Some("Bench".into()),
                detail: String::new(),
                sensitivity: Default::default(),
                attributes: Default::default(),
                provenance: Provenance {
                    source: "Bench".into(),
                    source_ref: format!("L{i}"),
                    ..Default::default()
                },
            },
            spell: None,
            chc: None,
            replaces_existing: false,
        });
    }
    batch
}

fn rss_kb(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

use common::median;

fn main() {
    let as_of = NaiveDate::from_ymd_opt(2026, 11, 22).expect("date");
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-data");
    std::fs::create_dir_all(&dir).expect("bench dir");
    let path = dir.join(format!(
        "scale-{PEOPLE}-seed{SEED}-g{}-s{}.db",
        joinedup::generate::VERSION,
        joinedup::store::schema_version()
    ));
    let numbers = nhs_numbers(SEED, PEOPLE + 1).expect("numbers");
    let long_nhs = numbers[PEOPLE];
    if !path.exists() {
        let partial = path.with_extension("partial");
        let _ = std::fs::remove_file(&partial);
        let started = Instant::now();
        let mut store = Store::open(&partial).expect("open");
        let now = as_of.and_time(NaiveTime::MIN);
        for (k, part) in numbers[..PEOPLE].chunks(CHUNK).enumerate() {
            store
                .apply_import(&chunk(SEED, as_of, k * CHUNK, part), now)
                .expect("store");
        }
        println!(
            "generate and load {PEOPLE} people: {:.1} s",
            started.elapsed().as_secs_f64()
        );
        store.apply_import(&long_history(long_nhs, as_of), now).expect("long");
        drop(store);
        std::fs::rename(&partial, &path).expect("rename");
    }

    let rss_before = rss_kb("VmRSS:");
    let store = Store::open(&path).expect("open");
    let people = store.count_people().expect("count");
    let episodes: i64 = store
        .connection()
        .query_row("SELECT count(*) FROM episode", [], |r| r.get(0))
        .expect("count");
    println!("database: {people} people, {episodes} episodes");

    // NHS number lookup: 2,000 numbers spread over the population.
    let mut lookups = Vec::new();
    for k in 0..2_000 {
        let nhs = numbers[(k * 7_919) % PEOPLE];
        let t = Instant::now();
        let found = store.find_by_nhs_number(nhs).expect("lookup");
        lookups.push(t.elapsed());
        assert!(found.is_some());
    }
    println!(
        "NHS number lookup: median {} (2,000 lookups)",
        ms(median(lookups.clone()))
    );

    // Name search: family name, family and given name, given name alone.
    let queries = [
        "Bennett",
        "smith j",
        "Patel Priya",
        "Margaret",
        "Okafor",
        "wright s",
        "Khan",
        "Hughes Arthur",
    ];
    let mut searches = Vec::new();
    let mut hits = 0;
    for _ in 0..10 {
        for q in queries {
            let t = Instant::now();
            hits += store.search_people(q, None, 200).expect("search").len();
            searches.push(t.elapsed());
        }
    }
    println!(
        "name search (limit 200): median {}, worst {} ({} searches, {} hits)",
        ms(median(searches.clone())),
        ms(*searches.iter().max().expect("ran")),
        searches.len(),
        hits
    );

    // A typical person's timeline: the record and its findings.
    let mut typical = Vec::new();
    let mut items = 0;
    for k in 0..300 {
        let nhs = numbers[(k * 331) % PEOPLE];
        let id = store.find_by_nhs_number(nhs).expect("lookup").expect("found").id;
        let t = Instant::now();
        let record = store.person_record(id).expect("record");
        let findings = all_findings(&record, as_of);
        typical.push(t.elapsed());
        items += record.episodes.len();
        std::hint::black_box(findings);
    }
    println!(
        "typical person's timeline (record + findings): median {} (300 people, {:.0} items on average)",
        ms(median(typical)),
        items as f64 / 300.0
    );

    let long_id = store.find_by_nhs_number(long_nhs).expect("lookup").expect("found").id;
    let mut long = Vec::new();
    let mut loaded = None;
    for _ in 0..15 {
        let t = Instant::now();
        let record = store.person_record(long_id).expect("record");
        let findings = all_findings(&record, as_of);
        long.push(t.elapsed());
        loaded = Some(LoadedPerson {
            record,
            findings,
            spell_changes: vec![],
            access: vec![],
            revealed: false,
            restricted: 0,
            relationship: joinedup::domain::sharing::Relationship::NotChecked,
            objection: None,
            is_following: false,
            is_allocated_to_me: false,
            tasks: vec![],
        });
    }
    let loaded = loaded.expect("loaded");
    println!(
        "timeline of a person with {} items: median {} (15 runs)",
        loaded.record.episodes.len(),
        ms(median(long))
    );

    // The discharge board.
    let mut board = Vec::new();
    let mut inpatients = 0;
    for _ in 0..10 {
        let t = Instant::now();
        let (inputs, discharged) = store.board_inputs(as_of).expect("board");
        let mut rows = build_rows(&inputs, as_of);
        sort_rows(&mut rows, BoardColumn::DaysDelayed, true);
        let current: Vec<_> = inputs.iter().map(|i| &i.spell).collect();
        let summary = summarise(&current, &discharged.iter().collect::<Vec<_>>(), as_of);
        board.push(t.elapsed());
        inpatients = rows.len();
        std::hint::black_box(summary);
    }
    println!(
        "discharge board ({inpatients} in hospital): median {} (10 runs)",
        ms(median(board))
    );

    // One frame of the person screen with the 10,000-item timeline: layout and
    // tessellation, all the CPU work of a frame (no GPU).
    let view_ctx = ViewContext {
        today: as_of,
        now: as_of.and_time(NaiveTime::from_hms_opt(12, 0, 0).expect("time")),
        is_training: false,
    };
    let mut view = PersonView::default();
    let (frames, shapes) = common::headless_frames(40, true, |ui| {
        let _ = view.ui(ui, &view_ctx, &loaded);
    });
    println!(
        "person screen frame with {} items: first {}, then median {} (39 frames; {shapes} shapes drawn)",
        loaded.record.episodes.len(),
        ms(frames[0]),
        ms(median(frames[1..].to_vec()))
    );

    let rss = rss_kb("VmRSS:");
    let peak = rss_kb("VmHWM:");
    println!(
        "memory: resident {} MB before opening, {} MB now, peak {} MB",
        rss_before.unwrap_or(0) / 1024,
        rss.unwrap_or(0) / 1024,
        peak.unwrap_or(0) / 1024
    );
}
