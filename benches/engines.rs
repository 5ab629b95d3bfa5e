//! Benchmark: the two engines side by side, on one machine in one run.
//!
//! - generate and load a population (`JOINEDUP_BENCH_PEOPLE`, default 20,000);
//! - CLD import rows a second (`JOINEDUP_BENCH_ROWS`, default 200,000), each
//!   engine against its floor measured in the same run: PostgreSQL's `COPY` of
//!   the same CSV into a plain table, and SQLite's prepared inserts of the same
//!   rows into a plain table in one transaction (what the `sqlite3` shell's
//!   `.import` does);
//! - NHS number lookup and name search;
//! - a person's timeline, typical and with 10,000 items;
//! - the board;
//! - 16 concurrent clients opening random records (`JOINEDUP_BENCH_SECONDS`,
//!   default 15): throughput and p95;
//! - the process's peak memory.
//!
//! Needs the PostgreSQL server the tests use (`scripts/postgres.sh start`). Run
//! with `cargo bench --bench engines`.

#[allow(dead_code)]
mod common;

use std::time::{Duration, Instant};

use common::{as_of, env, long_history, median, ms, now};
use joinedup::domain::governance::{Actor, Role};
use joinedup::import::{ImportOptions, pipeline};
use joinedup::service::Service;
use joinedup::store::{ScratchDatabase, Store};

/// A CLD file of `rows` events for `rows / 10` people.
fn cld_csv(rows: usize) -> Vec<u8> {
    let people = (rows / 10).max(1);
    let numbers = joinedup::generate::nhs_numbers(3, people).expect("numbers");
    let events = ["Request", "Assessment", "Service", "Review"];
    let mut csv = String::with_capacity(rows * 180);
    csv.push_str("LA Code,NHS Number,LA Person Unique Identifier,First Name,Last Name,Gender,Date of Birth,Postcode,Event Type,Event Reference,Event Start Date,Event End Date,Request: Route of Access,Service Type,Service Component,Unit Cost,Cost Frequency (Unit Type),Planned units per week\n");
    for i in 0..rows {
        let p = i % people;
        let event = events[i % 4];
        let (day, month) = (1 + (i % 28), 1 + (i / 28) % 12);
        let end = if event == "Service" {
            String::new()
        } else {
            format!("2025-{month:02}-{day:02}")
        };
        csv.push_str(&format!(
            "W01,{},ASC-{p},Given{},Family{},Female,1940-01-{:02},WM{} 1AA,{event},EV-{i},2025-{month:02}-{day:02},{end},Community / Other route,Long Term Support: Community,Home Support,21.50,Hourly,{}\n",
            numbers[p].digits(),
            p % 997,
            p % 4999,
            1 + p % 28,
            p % 9,
            i % 30
        ));
    }
    csv.into_bytes()
}

const PLAIN: &str =
    "CREATE TABLE plain (la text, nhs text, local_id text, given text, family text, gender text, dob text,
    postcode text, event text, reference text, start text, finish text, route text, service text, component text,
    cost text, frequency text, units text)";

/// PostgreSQL's floor: `COPY` of the CSV into a plain table.
fn copy_floor(db: &ScratchDatabase, csv: &[u8]) -> Duration {
    use std::io::Write;
    let mut client = postgres::Client::connect(db.url(), postgres::NoTls).expect("connect");
    client.batch_execute(PLAIN).expect("plain table");
    let t = Instant::now();
    let mut w = client
        .copy_in("COPY plain FROM STDIN (FORMAT csv, HEADER)")
        .expect("copy");
    w.write_all(csv).expect("copy rows");
    w.finish().expect("copy finish");
    t.elapsed()
}

/// SQLite's floor: the rows inserted by one prepared statement in one transaction.
fn sqlite_floor(csv: &[u8]) -> Duration {
    let dir = tempfile::tempdir().expect("dir");
    let mut conn = rusqlite::Connection::open(dir.path().join("plain.db")).expect("open");
    conn.execute_batch(PLAIN).expect("plain table");
    let t = Instant::now();
    let tx = conn.transaction().expect("tx");
    {
        let mut stmt = tx
            .prepare("INSERT INTO plain VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18)")
            .expect("prepare");
        let mut reader = csv::Reader::from_reader(csv);
        for rec in reader.records() {
            let rec = rec.expect("row");
            stmt.execute(rusqlite::params_from_iter(rec.iter())).expect("insert");
        }
    }
    tx.commit().expect("commit");
    t.elapsed()
}

fn import_cld(store: &mut Store, csv: &[u8]) -> Duration {
    let t = Instant::now();
    let imported = pipeline::import_bytes(
        store,
        "bench.csv",
        csv,
        ImportOptions::default(),
        false,
        now(),
        &mut |_| true,
        &|f, s| joinedup::store::system_import_event(f, s, now()),
    )
    .expect("import");
    assert!(imported.summary.is_some());
    t.elapsed()
}

fn service(store: Store) -> Service {
    let actor = Actor {
        user: "bench".into(),
        role: Some(Role::CareCoordinator),
    };
    Service::new(store, actor, false).expect("service")
}

fn generate(s: &mut Service, people: usize) -> Duration {
    let numbers = joinedup::generate::nhs_numbers(9, people).expect("numbers");
    let t = Instant::now();
    for (k, part) in numbers.chunks(2_000).enumerate() {
        let batch = joinedup::generate::chunk(9, as_of(), k * 2_000, part);
        s.apply_batch(&batch, now(), &mut |_, _| true).expect("load");
    }
    t.elapsed()
}

struct Row {
    name: String,
    sqlite: String,
    postgres: String,
}

fn main() {
    let people = env("JOINEDUP_BENCH_PEOPLE", 20_000);
    let rows = env("JOINEDUP_BENCH_ROWS", 200_000);
    let seconds = env("JOINEDUP_BENCH_SECONDS", 15);
    let Some(server) = ScratchDatabase::create("bench") else {
        eprintln!("no PostgreSQL server: start one with scripts/postgres.sh start");
        return;
    };
    let mut table: Vec<Row> = Vec::new();
    let dir = tempfile::tempdir().expect("dir");

    // CLD import against the floors.
    let csv = cld_csv(rows);
    let floor_pg = copy_floor(&server, &csv);
    let floor_sqlite = sqlite_floor(&csv);
    let cld_sqlite = {
        let mut store = Store::open(&dir.path().join("cld.db")).expect("open");
        import_cld(&mut store, &csv)
    };
    let cld_pg = {
        let cld = ScratchDatabase::create("benchcld").expect("server");
        let mut store = cld.open().expect("open");
        import_cld(&mut store, &csv)
    };
    let rate = |d: Duration| rows as f64 / d.as_secs_f64();
    table.push(Row {
        name: format!("CLD import, {rows} rows (rows/s)"),
        sqlite: format!("{:.0}", rate(cld_sqlite)),
        postgres: format!("{:.0}", rate(cld_pg)),
    });
    table.push(Row {
        name: "  floor: plain-table load of the same rows (rows/s)".into(),
        sqlite: format!("{:.0} (prepared inserts)", rate(floor_sqlite)),
        postgres: format!("{:.0} (COPY)", rate(floor_pg)),
    });
    table.push(Row {
        name: "  import time / floor time".into(),
        sqlite: format!("{:.1}x", cld_sqlite.as_secs_f64() / floor_sqlite.as_secs_f64()),
        postgres: format!("{:.1}x", cld_pg.as_secs_f64() / floor_pg.as_secs_f64()),
    });

    // Generate and load, then read.
    let mut sqlite = service(Store::open(&dir.path().join("people.db")).expect("open"));
    let mut pg = service(server.open().expect("open"));
    let g_sqlite = generate(&mut sqlite, people);
    let g_pg = generate(&mut pg, people);
    table.push(Row {
        name: format!("generate and load {people} people"),
        sqlite: format!("{:.1} s", g_sqlite.as_secs_f64()),
        postgres: format!("{:.1} s", g_pg.as_secs_f64()),
    });
    for s in [&mut sqlite, &mut pg] {
        s.import_bytes("long.json", &long_history(), false, now(), &mut |_| true)
            .expect("long history");
    }
    let numbers = joinedup::generate::nhs_numbers(9, people).expect("numbers");
    let measure = |s: &mut Service, f: &mut dyn FnMut(&mut Service, usize)| {
        let times: Vec<Duration> = (0..200)
            .map(|i| {
                let t = Instant::now();
                f(s, i);
                t.elapsed()
            })
            .collect();
        median(times)
    };
    let mut lookup = |s: &mut Service, i: usize| {
        s.store()
            .find_by_nhs_number(numbers[i * 37 % numbers.len()])
            .expect("lookup")
            .expect("found");
    };
    table.push(Row {
        name: "NHS number lookup (median)".into(),
        sqlite: ms(measure(&mut sqlite, &mut lookup)),
        postgres: ms(measure(&mut pg, &mut lookup)),
    });
    let mut search = |s: &mut Service, i: usize| {
        let q = format!("family{}", i % 50);
        std::hint::black_box(s.store().search_people(&q, None, 50).expect("search"));
    };
    table.push(Row {
        name: "name search (median)".into(),
        sqlite: ms(measure(&mut sqlite, &mut search)),
        postgres: ms(measure(&mut pg, &mut search)),
    });
    let ids: Vec<i64> = sqlite
        .store()
        .connection()
        .query_map("SELECT id FROM person ORDER BY id", [], |r| r.get(0))
        .expect("ids");
    let mut open = |s: &mut Service, i: usize| {
        let id = ids[i * 101 % ids.len()];
        std::hint::black_box(s.store().person_record(id).expect("record"));
    };
    table.push(Row {
        name: "timeline, typical person (median)".into(),
        sqlite: ms(measure(&mut sqlite, &mut open)),
        postgres: ms(measure(&mut pg, &mut open)),
    });
    let long = |s: &Service| {
        s.store()
            .find_by_nhs_number(joinedup::domain::NhsNumber::parse("9990001014").expect("nhs"))
            .expect("find")
            .expect("found")
            .id
    };
    let (long_sqlite, long_pg) = (long(&sqlite), long(&pg));
    let mut open_long = |s: &mut Service, _: usize| {
        let id = if s.store().engine() == joinedup::store::Engine::Sqlite {
            long_sqlite
        } else {
            long_pg
        };
        std::hint::black_box(s.store().person_record(id).expect("record"));
    };
    table.push(Row {
        name: "timeline, 10,000 items (median)".into(),
        sqlite: ms(measure(&mut sqlite, &mut open_long)),
        postgres: ms(measure(&mut pg, &mut open_long)),
    });
    let board_of = |s: &mut Service| {
        let times: Vec<Duration> = (0..15)
            .map(|_| {
                let t = Instant::now();
                std::hint::black_box(s.store().board_inputs(as_of()).expect("board"));
                t.elapsed()
            })
            .collect();
        let inpatients = s.store().board_inputs(as_of()).expect("board").0.len();
        (median(times), inpatients)
    };
    let (b_sqlite, n) = board_of(&mut sqlite);
    let (b_pg, _) = board_of(&mut pg);
    table.push(Row {
        name: format!("board, {n} inpatients (median)"),
        sqlite: ms(b_sqlite),
        postgres: ms(b_pg),
    });
    drop(sqlite);
    drop(pg);

    // 16 clients at once, each its own connection.
    let concurrent = |open: &(dyn Fn() -> Store + Sync)| {
        let deadline = Instant::now() + Duration::from_secs(seconds as u64);
        let times: Vec<Duration> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..16)
                .map(|c| {
                    let ids = &ids;
                    scope.spawn(move || {
                        let mut s = service(open());
                        let mut times = Vec::new();
                        let mut i = c * 7919;
                        while Instant::now() < deadline {
                            let id = ids[i % ids.len()];
                            let t = Instant::now();
                            s.open_record(id, as_of(), now()).expect("open");
                            s.close_record(id);
                            times.push(t.elapsed());
                            i += 104_729;
                        }
                        times
                    })
                })
                .collect();
            handles.into_iter().flat_map(|h| h.join().expect("client")).collect()
        });
        let mut sorted = times.clone();
        sorted.sort();
        let p95 = sorted[sorted.len() * 95 / 100];
        (times.len() as f64 / seconds as f64, p95)
    };
    let people_db = dir.path().join("people.db");
    let (tp_sqlite, p95_sqlite) = concurrent(&|| Store::open(&people_db).expect("open"));
    let (tp_pg, p95_pg) = concurrent(&|| server.open().expect("open"));
    table.push(Row {
        name: format!("16 clients opening records for {seconds} s (opens/s)"),
        sqlite: format!("{tp_sqlite:.0}"),
        postgres: format!("{tp_pg:.0}"),
    });
    table.push(Row {
        name: "  p95 of one open (record read and audited)".into(),
        sqlite: ms(p95_sqlite),
        postgres: ms(p95_pg),
    });
    let peak = std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM"))
                .map(|l| l.split_whitespace().nth(1).unwrap_or("?").to_owned())
        })
        .unwrap_or_default();
    println!("\n| measure | SQLite | PostgreSQL |\n|---|---|---|");
    for r in &table {
        println!("| {} | {} | {} |", r.name, r.sqlite, r.postgres);
    }
    println!("\npeak memory of the whole benchmark process (both engines, all clients): {peak} kB");
}
