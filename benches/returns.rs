//! Benchmark: the returns of issue 18 on the 100,000-person population (about 5
//! million episodes): the discharge situation report for one day (target < 100 ms)
//! and the CLD return for a quarter (target < 10 s), each through the service
//! (store queries, rules, disclosure, audit). Run with `cargo bench --bench returns`.
//!
//! The population is generated once into `target/bench-data/` and reused.

// Only `median` of the shared helpers is used here.
#[allow(dead_code)]
mod common;

use std::path::PathBuf;
use std::time::Instant;

use chrono::{NaiveDate, NaiveTime};
use joinedup::domain::governance::{Actor, Role};
use joinedup::generate::{CHUNK, chunk, nhs_numbers};
use joinedup::service::Service;
use joinedup::store::Store;

use common::median;

const PEOPLE: usize = 100_000;
const SEED: u64 = 1;

fn main() {
    let as_of = NaiveDate::from_ymd_opt(2026, 11, 22).expect("date");
    let now = as_of.and_time(NaiveTime::MIN);
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-data");
    std::fs::create_dir_all(&dir).expect("bench dir");
    let path = dir.join(format!(
        "returns-{PEOPLE}-seed{SEED}-g{}-s{}.db",
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
        for ext in ["audit-key", "audit-anchor"] {
            let from = PathBuf::from(format!("{}.{ext}", partial.display()));
            if from.exists() {
                std::fs::rename(&from, format!("{}.{ext}", path.display())).expect("rename key");
            }
        }
    }
    let actor = Actor {
        user: "bench".into(),
        role: Some(Role::CareCoordinator),
    };
    let mut service = Service::new(Store::open(&path).expect("open"), actor, false).expect("service");

    let mut times = Vec::new();
    let mut in_hospital = 0;
    for _ in 0..11 {
        let t = Instant::now();
        let r = service.sitrep(as_of, None, now).expect("sitrep");
        times.push(t.elapsed());
        in_hospital = r.total.in_hospital.count();
    }
    println!(
        "sitrep for one day: {:.1} ms median of 11 ({in_hospital} adults in hospital, target < 100 ms)",
        median(times).as_secs_f64() * 1000.0
    );

    let (from, to) = (
        NaiveDate::from_ymd_opt(2026, 7, 1).expect("date"),
        NaiveDate::from_ymd_opt(2026, 9, 30).expect("date"),
    );
    let mut times = Vec::new();
    let mut rows = 0;
    let mut failing = 0;
    for _ in 0..3 {
        let t = Instant::now();
        let (text, outcome) = service.cld_return(from, to, now).expect("cld");
        times.push(t.elapsed());
        std::hint::black_box(text);
        rows = outcome.rows;
        failing = outcome
            .problems
            .iter()
            .map(|p| p.line)
            .collect::<std::collections::BTreeSet<_>>()
            .len();
    }
    println!(
        "CLD return for a quarter: {:.2} s median of 3 ({rows} rows, {failing} would fail validation, target < 10 s)",
        median(times).as_secs_f64()
    );
}
