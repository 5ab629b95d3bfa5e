//! Benchmark: a coordinator's worklist for a caseload of 300 people over a
//! 100,000-person generated population (issue 16 asks for under 50 ms): the
//! caseload, every person's record, event detection, the seen state, disclosure
//! and the audit event of the view, through the service as the window and the
//! command line call it. Run with `cargo bench --bench worklist`.
//!
//! The population is generated once into `target/bench-data/` and reused.

#[allow(dead_code)]
mod common;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use chrono::{NaiveDate, NaiveTime};
use joinedup::domain::governance::{Actor, Role};
use joinedup::generate::{CHUNK, chunk, nhs_numbers};
use joinedup::service::Service;
use joinedup::store::Store;

use common::median;

const PEOPLE: usize = 100_000;
const CASELOAD: usize = 300;
const SEED: u64 = 7;
const RUNS: usize = 30;

fn main() {
    let as_of = NaiveDate::from_ymd_opt(2026, 11, 22).expect("date");
    let now = as_of.and_time(NaiveTime::from_hms_opt(9, 0, 0).expect("time"));
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-data");
    std::fs::create_dir_all(&dir).expect("bench dir");
    let path = dir.join(format!(
        "worklist-{PEOPLE}-seed{SEED}-g{}-s{}.db",
        joinedup::generate::VERSION,
        joinedup::store::schema_version()
    ));
    if !path.exists() {
        let partial = path.with_extension("partial");
        let _ = std::fs::remove_file(&partial);
        let started = Instant::now();
        let mut store = Store::open(&partial).expect("open");
        let numbers = nhs_numbers(SEED, PEOPLE).expect("numbers");
        for (k, part) in numbers.chunks(CHUNK).enumerate() {
            store
                .apply_import(&chunk(SEED, as_of, k * CHUNK, part), now)
                .expect("store");
        }
        println!(
            "generate and load {PEOPLE} people: {:.1} s",
            started.elapsed().as_secs_f64()
        );
        drop(store);
        std::fs::rename(&partial, &path).expect("rename");
        // The audit key and anchor are named for the file they sit beside.
        for tail in ["audit-key", "audit-anchor"] {
            let from = format!("{}.{tail}", partial.display());
            let _ = std::fs::rename(&from, format!("{}.{tail}", path.display()));
        }
    }
    let store = Store::open(&path).expect("open");
    let people = store.count_people().expect("count");
    let actor = Actor {
        user: "bench.coordinator".into(),
        role: Some(Role::CareCoordinator),
    };
    let mut service = Service::new(store, actor, false).expect("service");
    // A caseload of 300 people spread over the population (follows; idempotent).
    let step = (people as usize / CASELOAD).max(1) as i64;
    for k in 0..CASELOAD as i64 {
        service.follow(1 + k * step, None, now).expect("follow");
    }
    let mut times: Vec<Duration> = Vec::with_capacity(RUNS);
    let mut items = 0;
    for _ in 0..RUNS {
        let started = Instant::now();
        let list = service.worklist(None, as_of, now).expect("worklist");
        times.push(started.elapsed());
        items = list.items.len();
        assert_eq!(list.caseload, CASELOAD);
    }
    let med = median(times.clone());
    times.sort();
    println!(
        "worklist, {CASELOAD} people among {people}: {items} events; median {:.1} ms, worst {:.1} ms ({RUNS} runs)",
        med.as_secs_f64() * 1e3,
        times[RUNS - 1].as_secs_f64() * 1e3
    );
}
