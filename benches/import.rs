//! Benchmark: importing a CLD social care events CSV of 1,000,000 rows end to end
//! into a fresh database, two ways: pipelined as `joinedup import` does (parsed in
//! parts while earlier parts are written, one transaction), and parse-then-store as
//! the window does (the report is shown before anything is written).
//! DESIGN.md asks for at least 150,000 rows a second. Run with
//! `cargo bench --bench import`.

use std::time::Instant;

use joinedup::domain::nhs_number::check_digit;
use joinedup::import::{ImportOptions, parse_bytes, pipeline};
use joinedup::store::Store;

const ROWS: usize = 1_000_000;
const PEOPLE: usize = ROWS / 10;

fn main() {
    let mut numbers = Vec::with_capacity(PEOPLE);
    let mut stem = 1u64;
    while numbers.len() < PEOPLE {
        let s = format!("999{stem:06}");
        let digits: Vec<u8> = s.bytes().map(|b| b - b'0').collect();
        if let Some(c) = check_digit(&digits) {
            numbers.push(format!("{s}{c}"));
        }
        stem += 1;
    }
    let events = ["Request", "Assessment", "Service", "Review"];
    let mut csv = String::with_capacity(ROWS * 180);
    csv.push_str("LA Code,NHS Number,LA Person Unique Identifier,First Name,Last Name,Gender,Date of Birth,Postcode,Event Type,Event Reference,Event Start Date,Event End Date,Request: Route of Access,Service Type,Service Component,Unit Cost,Cost Frequency (Unit Type),Planned units per week\n");
    for i in 0..ROWS {
        let p = i % PEOPLE;
        let event = events[i % 4];
        let day = 1 + (i % 28);
        let month = 1 + (i / 28) % 12;
        let end = if event == "Service" {
            String::new()
        } else {
            format!("2025-{month:02}-{day:02}")
        };
        csv.push_str(&format!(
            "W01,{},ASC-{p},Given{},Family{},Female,1940-01-{:02},WM{} 1AA,{event},EV-{i},2025-{month:02}-{day:02},{end},Community / Other route,Long Term Support: Community,Home Support,21.50,Hourly,{}\n",
            numbers[p],
            p % 997,
            p % 4999,
            1 + p % 28,
            p % 9,
            i % 30
        ));
    }
    let bytes = csv.into_bytes();
    println!("generated {ROWS} CLD rows ({:.0} MB)", bytes.len() as f64 / 1e6);
    // To time `joinedup import` on the same file: JOINEDUP_BENCH_CSV=path cargo bench --bench import
    if let Some(path) = std::env::var_os("JOINEDUP_BENCH_CSV") {
        std::fs::write(&path, &bytes).expect("write the CSV");
        println!("wrote {}", std::path::Path::new(&path).display());
    }
    let now = chrono::NaiveDate::from_ymd_opt(2026, 11, 22)
        .expect("date")
        .and_hms_opt(9, 0, 0)
        .expect("time");

    // As `joinedup import` does: parsed in parts on one thread while the store writes
    // earlier parts in the same transaction, committed once the whole file is valid.
    let dir = tempfile::tempdir().expect("temp dir");
    let mut store = Store::open(&dir.path().join("pipelined.db")).expect("open");
    let t = Instant::now();
    let imported = pipeline::import_bytes(
        &mut store,
        "bench.csv",
        &bytes,
        ImportOptions::default(),
        false,
        now,
        &mut |_| true,
        &|f, s| joinedup::store::system_import_event(f, s, now),
    )
    .expect("import");
    let total = t.elapsed();
    assert_eq!(imported.summary.expect("written").episodes_added, ROWS);
    println!(
        "pipelined (joinedup import): end to end {:.2} s = {:.0} rows/s",
        total.as_secs_f64(),
        ROWS as f64 / total.as_secs_f64()
    );
    drop(store);
    drop(dir);

    // As the window does: the whole file parsed and validated for the report first,
    // then stored when the user confirms.
    let dir = tempfile::tempdir().expect("temp dir");
    let mut store = Store::open(&dir.path().join("import.db")).expect("open");
    let t = Instant::now();
    let parsed = parse_bytes("bench.csv", &bytes, ImportOptions::default()).expect("parse");
    let parse_time = t.elapsed();
    assert!(parsed.rejections.is_empty());
    let preview_time = time_preview(&store, &parsed.batch, 0);
    let t2 = Instant::now();
    let summary = store.apply_import(&parsed.batch, now).expect("apply");
    let apply_time = t2.elapsed();
    let total = t.elapsed();
    assert_eq!(summary.episodes_added, ROWS);
    println!(
        "parse first (the window): parse and validate: {:.2} s ({:.0} rows/s); preview of {PEOPLE} people, all new: {:.2} s; store in one transaction: {:.2} s; end to end: {:.2} s = {:.0} rows/s",
        parse_time.as_secs_f64(),
        ROWS as f64 / parse_time.as_secs_f64(),
        preview_time.as_secs_f64(),
        apply_time.as_secs_f64(),
        total.as_secs_f64(),
        ROWS as f64 / total.as_secs_f64()
    );
    let again = time_preview(&store, &parsed.batch, PEOPLE);
    println!(
        "the same file previewed again, every person matched: {:.2} s",
        again.as_secs_f64()
    );
}

/// The window's preview of a parsed file (the store read for each person), timed.
fn time_preview(store: &Store, batch: &joinedup::domain::batch::ImportBatch, matched: usize) -> std::time::Duration {
    let t = Instant::now();
    let stored = store.stored_matches(batch).expect("preview");
    let shown =
        joinedup::domain::import_preview::preview(batch, &stored.people, &|k| stored.references.get(k).copied());
    assert_eq!(shown.people.len(), PEOPLE);
    assert_eq!(shown.matched_people(), matched);
    t.elapsed()
}
