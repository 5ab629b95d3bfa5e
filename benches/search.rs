//! Benchmark: person search (SAFETY.md H33) on 100,000 people (names only, no
//! episodes), on SQLite and, with `JOINEDUP_TEST_POSTGRES=1`, on a scratch
//! PostgreSQL database: words as typed, and words that find nothing as typed and
//! fall back to close spellings. Run with `cargo bench --bench search`; figures go
//! in BENCHMARKS.md.

#[allow(dead_code)]
mod common;

use std::time::{Duration, Instant};

use chrono::{NaiveDate, NaiveTime};
use common::median;
use joinedup::domain::batch::{ImportBatch, PersonEntry, PersonKey};
use joinedup::domain::{Demographics, Sex};
use joinedup::generate::nhs_numbers;
use joinedup::store::Store;

const PEOPLE: usize = 100_000;

const FAMILY: &[&str] = &[
    "Smith",
    "Smyth",
    "Jones",
    "Williams",
    "Taylor",
    "Brown",
    "Davies",
    "Evans",
    "Wilson",
    "Thomas",
    "Johnson",
    "Roberts",
    "Robinson",
    "Thompson",
    "Wright",
    "Walker",
    "White",
    "Edwards",
    "Hughes",
    "Green",
    "Hall",
    "Lewis",
    "Harris",
    "Clarke",
    "Patel",
    "Jackson",
    "Wood",
    "Turner",
    "Martin",
    "Cooper",
    "Hill",
    "Ward",
    "Morris",
    "Moore",
    "Clark",
    "Lee",
    "King",
    "Baker",
    "Harrison",
    "Morgan",
    "Allen",
    "James",
    "Scott",
    "Phillips",
    "Watson",
    "Davis",
    "Parker",
    "Price",
    "Bennett",
    "Young",
    "Griffiths",
    "Mitchell",
    "Kelly",
    "Cook",
    "Carter",
    "Richardson",
    "Bailey",
    "Collins",
    "Bell",
    "Shaw",
    "Murphy",
    "Miller",
    "Cox",
    "Richards",
    "Khan",
    "Marshall",
    "Anderson",
    "Simpson",
    "Ellis",
    "Adams",
    "Singh",
    "Begum",
    "Wilkinson",
    "Foster",
    "Chapman",
    "Powell",
    "Webb",
    "Rogers",
    "Gray",
    "Mason",
    "Ali",
    "Hunt",
    "Hussain",
    "Campbell",
    "Matthews",
    "Owen",
    "Palmer",
    "Holmes",
    "Mills",
    "Barnes",
    "Knight",
    "Lloyd",
    "Butler",
    "Russell",
    "Barker",
    "Fisher",
    "Stevens",
    "Jenkins",
    "Murray",
    "Dixon",
    "Harvey",
    "Ní Bhriain",
    "O'Neill",
    "Okafor",
    "Müller",
    "Nowak",
    "Smith-Jones",
    "Mac an tSaoir",
    "Ó Súilleabháin",
];
const GIVEN: &[&str] = &[
    "Margaret",
    "John",
    "Mary",
    "David",
    "Susan",
    "Peter",
    "Zoë",
    "Seán",
    "Siobhán",
    "Arthur",
    "Priya",
    "Mohammed",
    "Fatima",
    "James",
    "Elizabeth",
    "Robert",
    "Patricia",
    "Michael",
    "Linda",
    "William",
    "Barbara",
    "Richard",
    "Anne",
    "Joseph",
    "Jennifer",
    "Thomas",
    "Maria",
    "Charles",
    "Dorothy",
    "Christopher",
    "Amira",
    "Kwame",
    "Chloé",
    "René",
];

fn batch(numbers: &[joinedup::domain::NhsNumber], from: usize) -> ImportBatch {
    let mut b = ImportBatch {
        format: "bench".into(),
        file_name: format!("people from {from}"),
        ..Default::default()
    };
    for (k, nhs) in numbers.iter().enumerate() {
        let i = from + k;
        b.people.push(PersonEntry {
            key: PersonKey::Nhs(*nhs),
            nhs_number: Some(*nhs),
            local_ids: vec![],
            source: "Bench".into(),
            demographics: Demographics {
                given_name: GIVEN[(i / FAMILY.len()) % GIVEN.len()].into(),
                family_name: FAMILY[i % FAMILY.len()].into(),
                date_of_birth: NaiveDate::from_ymd_opt(
                    1930 + (i % 70) as i32,
                    1 + (i % 12) as u32,
                    1 + (i % 28) as u32,
                ),
                sex: if i.is_multiple_of(2) { Sex::Female } else { Sex::Male },
                ..Default::default()
            },
            alerts: vec![],
            is_restricted: i.is_multiple_of(97),
        });
    }
    b
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1e3)
}

fn measure(engine: &str, store: &Store) {
    let typed = [
        "smith",
        "ni bhriain",
        "o'neill sean",
        "zoe okafor",
        "muller",
        "thompson m",
        "osuilleabhain",
    ];
    let close = ["smiht", "okafro", "thomsen m", "bhrian zoe", "nowack"];
    for (what, queries) in [("as typed", &typed[..]), ("close spellings", &close[..])] {
        let mut times = Vec::new();
        let mut hits = 0;
        for _ in 0..10 {
            for q in queries {
                let t = Instant::now();
                hits += store.search_people(q, None, 200).expect("search").len();
                times.push(t.elapsed());
            }
        }
        println!(
            "{engine}: name search {what} (limit 200): median {}, worst {} ({} searches, {hits} hits)",
            ms(median(times.clone())),
            ms(*times.iter().max().expect("ran")),
            times.len()
        );
    }
}

fn load(store: &mut Store) {
    let as_of = NaiveDate::from_ymd_opt(2026, 11, 22).expect("date");
    let numbers = nhs_numbers(7, PEOPLE).expect("numbers");
    let started = Instant::now();
    for (k, part) in numbers.chunks(5_000).enumerate() {
        store
            .apply_import(&batch(part, k * 5_000), as_of.and_time(NaiveTime::MIN))
            .expect("load");
    }
    println!("load {PEOPLE} people: {:.1} s", started.elapsed().as_secs_f64());
}

fn main() {
    let dir = tempfile::tempdir().expect("dir");
    let mut store = Store::open(&dir.path().join("search.db")).expect("open");
    load(&mut store);
    measure("SQLite", &store);
    if let Some(db) = joinedup::store::ScratchDatabase::create("bench_search") {
        let mut store = db.open().expect("open");
        load(&mut store);
        measure("PostgreSQL", &store);
    }
}
