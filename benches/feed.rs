//! Benchmark: the MLLP listener on loopback, on both engines.
//!
//! - the sustained rate over one connection, the sender waiting for each ACK (which
//!   follows the durable commit), for `JOINEDUP_BENCH_MESSAGES` ADT messages
//!   (default 3,000: admissions and discharges of distinct visits);
//! - the ACK latency (median, p99) when the sender paces 500 messages a second;
//! - for comparison, the same messages imported as one batch file.
//!
//! Needs the PostgreSQL server the tests use (`scripts/postgres.sh start`). Run
//! with `cargo bench --bench feed`.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use joinedup::domain::governance::{Actor, Role};
use joinedup::feed::mllp::frame;
use joinedup::feed::{Listener, ListenerOptions};
use joinedup::service::Service;
use joinedup::store::{ScratchDatabase, Store};

fn env(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn service(store: Store) -> Service {
    let actor = Actor {
        user: "bench".into(),
        role: Some(Role::Tester),
    };
    Service::new(store, actor, false).expect("service")
}

/// `n` messages: an A01 then an A03 for each of `n / 2` people with test-range numbers.
fn messages(n: usize, tag: &str) -> Vec<String> {
    let numbers = joinedup::generate::nhs_numbers(11, n / 2 + 1).expect("numbers");
    (0..n)
        .map(|i| {
            let p = i / 2;
            let nhs = numbers[p].digits();
            let visit = format!("{tag}V{p}");
            let id = format!("{tag}{i}");
            if i % 2 == 0 {
                format!(
                    "MSH|^~\\&|PAS|NGH|JOINEDUP|WM|202611010900||ADT^A01^ADT_A01|{id}|P|2.4\rPID|1||{nhs}^^^NHS^NH||BENCH^PERSON{p}||19400101|F\rPV1|1|I|OAK^^BED1^NGH|21|||||||||||||||{visit}^^^VISITID|||||||||||||||||||||||||202611010900\r"
                )
            } else {
                format!(
                    "MSH|^~\\&|PAS|NGH|JOINEDUP|WM|202611051500||ADT^A03^ADT_A03|{id}|P|2.4\rPID|1||{nhs}^^^NHS^NH||BENCH^PERSON{p}\rPV1|1|I|OAK^^BED1^NGH|21|||||||||||||||{visit}^^^VISITID|||||||||||||||||1|19|||||||202611010900|202611051500\r"
                )
            }
        })
        .collect()
}

fn read_ack(s: &mut TcpStream) {
    let mut got = Vec::with_capacity(256);
    let mut buf = [0u8; 512];
    while !got.ends_with(&[0x1c, 0x0d]) {
        let n = s.read(&mut buf).expect("read ack");
        assert!(n > 0, "closed before the ACK");
        got.extend_from_slice(&buf[..n]);
    }
    assert!(
        got.windows(7).any(|w| w == b"MSA|AA|"),
        "{}",
        String::from_utf8_lossy(&got)
    );
}

/// Rate over one connection, and latencies when paced at `pace` a second.
fn run(store: impl Fn() -> Store, n: usize) -> (f64, Duration, Duration) {
    let listener = Listener::bind("127.0.0.1:0", ListenerOptions::default()).expect("bind");
    let address = listener.local_addr().expect("address");
    let stop = Arc::new(AtomicBool::new(false));
    let s = service(store());
    let flag = stop.clone();
    let server = std::thread::spawn(move || listener.serve(s, flag).expect("serve"));
    let mut c = TcpStream::connect(address).expect("connect");
    c.set_nodelay(true).expect("nodelay");
    let fast = messages(n, "R");
    let started = Instant::now();
    for m in &fast {
        c.write_all(&frame(m.as_bytes())).expect("send");
        read_ack(&mut c);
    }
    let rate = n as f64 / started.elapsed().as_secs_f64();
    let paced = messages(n.min(2_000), "P");
    let gap = Duration::from_secs(1) / 500;
    let mut latencies = Vec::with_capacity(paced.len());
    let t0 = Instant::now();
    for (i, m) in paced.iter().enumerate() {
        let due = t0 + gap * i as u32;
        if let Some(wait) = due.checked_duration_since(Instant::now()) {
            std::thread::sleep(wait);
        }
        let sent = Instant::now();
        c.write_all(&frame(m.as_bytes())).expect("send");
        read_ack(&mut c);
        latencies.push(sent.elapsed());
    }
    drop(c);
    stop.store(true, Ordering::SeqCst);
    let counts = server.join().expect("server");
    assert_eq!(counts.stored as usize, n + paced.len(), "{counts:?}");
    latencies.sort();
    let median = latencies[latencies.len() / 2];
    let p99 = latencies[latencies.len() * 99 / 100];
    (rate, median, p99)
}

/// The same messages as one batch file.
fn batch_rate(store: Store, n: usize) -> f64 {
    let mut s = service(store);
    let file = messages(n, "B").join("");
    let now = chrono::Local::now().naive_local();
    let started = Instant::now();
    let imported = s
        .import_bytes("feed.hl7", file.as_bytes(), false, now, &mut |_| true)
        .expect("import");
    assert!(imported.summary.is_some(), "{:?}", imported.rejections.first());
    n as f64 / started.elapsed().as_secs_f64()
}

fn main() {
    let n = env("JOINEDUP_BENCH_MESSAGES", 3_000);
    let dir = tempfile::tempdir().expect("dir");
    println!("MLLP listener, {n} ADT messages over one loopback connection, ACK after each commit");
    println!("| measure | SQLite | PostgreSQL |");
    println!("|---|---|---|");
    let path = dir.path().join("feed.db");
    let sqlite = run(|| Store::open(&path).expect("open"), n);
    let pg_db = ScratchDatabase::create("bench_feed").expect("PostgreSQL (scripts/postgres.sh start)");
    let keys = tempfile::tempdir().expect("keys");
    let pg = run(|| Store::open_server(pg_db.url(), keys.path()).expect("open"), n);
    println!(
        "| sustained rate, one connection (messages/s) | {:.0} | {:.0} |",
        sqlite.0, pg.0
    );
    println!(
        "| ACK latency at 500/s, median | {:.2} ms | {:.2} ms |",
        ms(sqlite.1),
        ms(pg.1)
    );
    println!(
        "| ACK latency at 500/s, p99 | {:.2} ms | {:.2} ms |",
        ms(sqlite.2),
        ms(pg.2)
    );
    let b_sqlite = batch_rate(Store::open(&dir.path().join("batch.db")).expect("open"), n);
    let pg_batch = ScratchDatabase::create("bench_feed_batch").expect("PostgreSQL");
    let b_pg = batch_rate(Store::open_server(pg_batch.url(), keys.path()).expect("open"), n);
    println!("| the same messages as one batch file (messages/s) | {b_sqlite:.0} | {b_pg:.0} |");
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}
