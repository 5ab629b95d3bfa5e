//! Benchmark: the MLLP listener on loopback, on both engines.
//!
//! - the rate over one connection with the sender waiting for each ACK (which
//!   follows the durable commit), for up to 1,000 ADT messages;
//! - the sustained rate over one connection for `JOINEDUP_BENCH_MESSAGES` ADT
//!   messages (default 3,000: admissions and discharges of distinct visits), the
//!   sender keeping up to `JOINEDUP_BENCH_WINDOW` (default 100) unacknowledged, so
//!   that the listener's group commit can take several in one transaction;
//! - the ACK latency (median, p99) when the sender sends 500 messages a second
//!   without waiting for the ACKs (open loop);
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

/// Reads ACKs off a connection one frame at a time, however they arrive.
struct Acks {
    stream: TcpStream,
    got: Vec<u8>,
}

impl Acks {
    /// The next ACK, which must accept its message.
    fn next(&mut self) {
        let mut buf = [0u8; 16 * 1024];
        loop {
            if let Some(end) = self.got.windows(2).position(|w| w == [0x1c, 0x0d]) {
                let ack: Vec<u8> = self.got.drain(..end + 2).collect();
                assert!(
                    ack.windows(7).any(|w| w == b"MSA|AA|"),
                    "{}",
                    String::from_utf8_lossy(&ack)
                );
                return;
            }
            let n = self.stream.read(&mut buf).expect("read ack");
            assert!(n > 0, "closed before the ACK");
            self.got.extend_from_slice(&buf[..n]);
        }
    }
}

fn connect(address: std::net::SocketAddr) -> (TcpStream, Acks) {
    let c = TcpStream::connect(address).expect("connect");
    c.set_nodelay(true).expect("nodelay");
    let reader = c.try_clone().expect("clone");
    (
        c,
        Acks {
            stream: reader,
            got: Vec::new(),
        },
    )
}

/// Messages a second, the sender waiting for each ACK before the next message.
fn stop_and_wait(address: std::net::SocketAddr, messages: &[String]) -> f64 {
    let (mut c, mut acks) = connect(address);
    let started = Instant::now();
    for m in messages {
        c.write_all(&frame(m.as_bytes())).expect("send");
        acks.next();
    }
    messages.len() as f64 / started.elapsed().as_secs_f64()
}

/// Messages a second over one connection with up to `window` messages sent and
/// not yet acknowledged (a sender that pipelines, as integration engines can).
fn pipelined(address: std::net::SocketAddr, messages: Vec<String>, window: usize) -> f64 {
    let (mut c, mut acks) = connect(address);
    let n = messages.len();
    let (credit, credits) = std::sync::mpsc::sync_channel::<()>(window);
    for _ in 0..window {
        credit.send(()).expect("credit");
    }
    let started = Instant::now();
    let sender = std::thread::spawn(move || {
        for m in &messages {
            credits.recv().expect("credit");
            c.write_all(&frame(m.as_bytes())).expect("send");
        }
    });
    for _ in 0..n {
        acks.next();
        let _ = credit.try_send(());
    }
    sender.join().expect("sender");
    n as f64 / started.elapsed().as_secs_f64()
}

/// ACK latencies when the sender sends at `rate` a second without waiting for
/// the ACKs (open loop: a slow commit delays the ACKs, not the sending).
fn paced(address: std::net::SocketAddr, messages: Vec<String>, rate: u32) -> Vec<Duration> {
    let (mut c, mut acks) = connect(address);
    let n = messages.len();
    let (sent_at, sent) = std::sync::mpsc::channel::<Instant>();
    let gap = Duration::from_secs(1) / rate;
    let sender = std::thread::spawn(move || {
        let t0 = Instant::now();
        for (i, m) in messages.iter().enumerate() {
            let due = t0 + gap * i as u32;
            if let Some(wait) = due.checked_duration_since(Instant::now()) {
                std::thread::sleep(wait);
            }
            let _ = sent_at.send(Instant::now());
            c.write_all(&frame(m.as_bytes())).expect("send");
        }
    });
    let mut latencies = Vec::with_capacity(n);
    for _ in 0..n {
        acks.next();
        let at = sent.recv().expect("sent");
        latencies.push(at.elapsed());
    }
    sender.join().expect("sender");
    latencies.sort();
    latencies
}

struct Figures {
    stop_and_wait: f64,
    pipelined: f64,
    median: Duration,
    p99: Duration,
    groups: u64,
    largest_group: u64,
}

/// The rates over one connection, and latencies when paced at 500 a second.
fn run(store: impl Fn() -> Store, n: usize, window: usize) -> Figures {
    let listener = Listener::bind("127.0.0.1:0", ListenerOptions::default()).expect("bind");
    let address = listener.local_addr().expect("address");
    let stop = Arc::new(AtomicBool::new(false));
    let s = service(store());
    let flag = stop.clone();
    let server = std::thread::spawn(move || listener.serve(s, flag).expect("serve"));
    let waited = messages(n.min(1_000), "W");
    let stop_and_wait = stop_and_wait(address, &waited);
    let pipelined = pipelined(address, messages(n, "R"), window);
    let latencies = paced(address, messages(n.min(2_000), "P"), 500);
    stop.store(true, Ordering::SeqCst);
    let counts = server.join().expect("server");
    assert_eq!(counts.stored as usize, waited.len() + n + latencies.len(), "{counts:?}");
    Figures {
        stop_and_wait,
        pipelined,
        median: latencies[latencies.len() / 2],
        p99: latencies[latencies.len() * 99 / 100],
        groups: counts.groups,
        largest_group: counts.largest_group,
    }
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
    let window = env("JOINEDUP_BENCH_WINDOW", 100);
    let dir = tempfile::tempdir().expect("dir");
    println!("MLLP listener, {n} ADT messages over one loopback connection, ACK after the durable commit");
    println!("| measure | SQLite | PostgreSQL |");
    println!("|---|---|---|");
    let path = dir.path().join("feed.db");
    let sqlite = run(|| Store::open(&path).expect("open"), n, window);
    let pg_db = ScratchDatabase::create("bench_feed").expect("PostgreSQL (scripts/postgres.sh start)");
    let keys = tempfile::tempdir().expect("keys");
    let pg = run(
        || Store::open_server(pg_db.url(), keys.path()).expect("open"),
        n,
        window,
    );
    println!(
        "| rate, sender waiting for each ACK ({} messages; messages/s) | {:.0} | {:.0} |",
        n.min(1_000),
        sqlite.stop_and_wait,
        pg.stop_and_wait
    );
    println!(
        "| sustained rate, up to {window} unacknowledged (messages/s) | {:.0} | {:.0} |",
        sqlite.pipelined, pg.pipelined
    );
    println!(
        "| ACK latency at 500/s, median | {:.2} ms | {:.2} ms |",
        ms(sqlite.median),
        ms(pg.median)
    );
    println!(
        "| ACK latency at 500/s, p99 | {:.2} ms | {:.2} ms |",
        ms(sqlite.p99),
        ms(pg.p99)
    );
    println!(
        "| groups (transactions) for all of it; largest | {} ; {} | {} ; {} |",
        sqlite.groups, sqlite.largest_group, pg.groups, pg.largest_group
    );
    let b_sqlite = batch_rate(Store::open(&dir.path().join("batch.db")).expect("open"), n);
    let pg_batch = ScratchDatabase::create("bench_feed_batch").expect("PostgreSQL");
    let b_pg = batch_rate(Store::open_server(pg_batch.url(), keys.path()).expect("open"), n);
    println!("| the same messages as one batch file (messages/s) | {b_sqlite:.0} | {b_pg:.0} |");
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}
