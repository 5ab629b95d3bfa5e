//! Benchmark: what the server's access rules cost (PostgreSQL migrations 11 and
//! 12). The same reads on one generated population (`JOINEDUP_BENCH_PEOPLE`,
//! default 20,000), in one run, as:
//!
//! - the owner, who reads the tables (the floor: no view, no check);
//! - a care coordinator with `access-rule off` (the views' restriction and
//!   objection checks only);
//! - a care coordinator with `access-rule reason`, outside every care team (the
//!   relationship worked out for every row, every person held back: the worst case).
//!
//! Reads: a typical person's record, a record of 10,000 items, a name search and
//! the discharge board's inputs. Needs the PostgreSQL server the tests use
//! (`scripts/postgres.sh start`). Run with `cargo bench --bench access`.

#[allow(dead_code)]
mod common;

use std::time::{Duration, Instant};

use common::{as_of, env, long_history, median, ms, now};
use joinedup::domain::governance::{Actor, Role};
use joinedup::domain::sharing::RelationshipRule;
use joinedup::service::Service;
use joinedup::store::access::{NewUser, ServerRole};
use joinedup::store::{ScratchDatabase, Store};

fn service(store: Store, role: Option<Role>) -> Service {
    let actor = Actor {
        user: "bench".into(),
        role,
    };
    Service::new(store, actor, false).expect("service")
}

/// The median of `n` runs of `f`.
fn time(n: usize, mut f: impl FnMut(usize)) -> Duration {
    median(
        (0..n)
            .map(|i| {
                let t = Instant::now();
                f(i);
                t.elapsed()
            })
            .collect(),
    )
}

/// One of the reads, taken from a run's results.
type Read = fn(&Reads) -> Duration;

struct Reads {
    typical: Duration,
    long: Duration,
    search: Duration,
    board: Duration,
    inpatients: usize,
}

fn reads(s: &Service, ids: &[i64], long_id: i64) -> Reads {
    let store = s.store();
    let typical = time(200, |i| {
        std::hint::black_box(store.person_record(ids[i * 101 % ids.len()]).expect("record"));
    });
    let long = time(20, |_| {
        std::hint::black_box(store.person_record(long_id).expect("record"));
    });
    let search = time(200, |i| {
        std::hint::black_box(
            store
                .search_people(&format!("family{}", i % 50), None, 50)
                .expect("search"),
        );
    });
    let board = time(15, |_| {
        std::hint::black_box(store.board_inputs(as_of()).expect("board"));
    });
    Reads {
        typical,
        long,
        search,
        board,
        inpatients: store.board_inputs(as_of()).expect("board").0.len(),
    }
}

fn main() {
    let people = env("JOINEDUP_BENCH_PEOPLE", 20_000);
    let Some(db) = ScratchDatabase::create("bench_access") else {
        eprintln!("no PostgreSQL server: start one with scripts/postgres.sh start");
        return;
    };
    let mut owner = service(db.open().expect("open"), Some(Role::Tester));
    let numbers = joinedup::generate::nhs_numbers(9, people).expect("numbers");
    for (k, part) in numbers.chunks(2_000).enumerate() {
        let batch = joinedup::generate::chunk(9, as_of(), k * 2_000, part);
        owner.apply_batch(&batch, now(), &mut |_, _| true).expect("load");
    }
    owner
        .import_bytes("long.json", &long_history(), false, now(), &mut |_| true)
        .expect("long history");
    let name = db.user_name("cora");
    owner
        .add_user(
            &NewUser {
                name: &name,
                role: ServerRole::App(Role::CareCoordinator),
                team: Some("Bench team"),
                organisation: Some("Bench Council"),
                password: None,
            },
            now(),
        )
        .expect("user");
    let ids: Vec<i64> = owner
        .store()
        .connection()
        .query_map("SELECT id FROM person ORDER BY id", [], |r| r.get(0))
        .expect("ids");
    let long_id = owner
        .store()
        .find_by_nhs_number(joinedup::domain::NhsNumber::parse("9990001014").expect("nhs"))
        .expect("find")
        .expect("found")
        .id;
    let keys = tempfile::tempdir().expect("dir");
    let signed_in = || {
        service(
            Store::open_server(&db.url_as(&name), keys.path()).expect("sign in"),
            None,
        )
    };

    let floor = reads(&owner, &ids, long_id);
    owner.set_relationship_rule(RelationshipRule::Off, now()).expect("rule");
    let views = reads(&signed_in(), &ids, long_id);
    owner
        .set_relationship_rule(RelationshipRule::Reason, now())
        .expect("rule");
    let outside = reads(&signed_in(), &ids, long_id);

    println!(
        "\n{people} people, {} inpatients on the board\n\n| read (median) | owner (tables) | coordinator, rule off (views) | coordinator outside every care team |\n|---|---|---|---|",
        floor.inpatients
    );
    let rows: [(&str, Read); 4] = [
        ("a typical person's record", |r| r.typical),
        ("a record of 10,000 items", |r| r.long),
        ("name search (50 results)", |r| r.search),
        ("the board's inputs", |r| r.board),
    ];
    for (label, get) in rows {
        println!(
            "| {label} | {} | {} | {} |",
            ms(get(&floor)),
            ms(get(&views)),
            ms(get(&outside))
        );
    }
}
