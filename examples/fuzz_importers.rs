//! A mutation fuzzer for every importer: starts from valid files of each format and
//! flips, inserts, deletes, duplicates and splices bytes, then feeds the result to
//! the importer. Any panic is a defect: the input is saved under
//! `target/fuzz-crashes/` to become a regression test.
//!
//! `cargo run --release --example fuzz_importers -- FORMAT SECONDS [SEED]`, where
//! FORMAT is one of native, fhir, hospital, cld, hl7 or all. RELIABILITY.md records
//! what ran and what it found.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use joinedup::import::{ImportOptions, parse_bytes};

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Valid inputs of each format, the starting points for mutation.
fn corpus(format: &str) -> Vec<(&'static str, Vec<u8>)> {
    let cld = "LA Code,LA Person Unique Identifier,NHS Number,First Name,Last Name,Date of Birth,Gender,Event Type,\
Event Reference,Event Start Date,Event End Date,Request: Route of Access,Service Type,Unit Cost,Planned units per week\n\
E99999999,LA1,9990000026,Harold,Bennett,1938-09-30,Male,Request,R1,2026-01-02,2026-01-02,Discharge from Hospital,,,\n\
E99999999,LA1,9990000026,Harold,Bennett,1938-09-30,Male,Service,S1,2026-01-05,,,Short Term Support: ST-Max,24.50,10.5\n\
E99999999,LA2,,Ann,Hughes,1944-02-11,Female,Assessment,A1,03/02/2026,,,,,\n";
    let all: Vec<(&str, &'static str, Vec<u8>)> = vec![
        (
            "native",
            "bundle.json",
            include_bytes!("../fixtures/training.json").to_vec(),
        ),
        (
            "fhir",
            "fhir.json",
            include_bytes!("../tests/data/fhir-careplan-bundle.json").to_vec(),
        ),
        (
            "hospital",
            "spells.csv",
            include_bytes!("../tests/data/hospital-spells.csv").to_vec(),
        ),
        (
            "cld",
            "cld.csv",
            include_bytes!("../tests/data/cld-events-cp1252.csv").to_vec(),
        ),
        ("cld", "cld.csv", cld.as_bytes().to_vec()),
        (
            "hl7",
            "adt.hl7",
            include_bytes!("../tests/data/adt-sequence.hl7").to_vec(),
        ),
    ];
    all.into_iter()
        .filter(|(f, _, _)| format == "all" || *f == format)
        .map(|(_, name, bytes)| (name, bytes))
        .collect()
}

/// Tokens that matter to the parsers, for insertion.
const TOKENS: &[&[u8]] = &[
    b"\"",
    b",",
    b"\n",
    b"\r",
    b"\r\n",
    b"|",
    b"^",
    b"~",
    b"\\",
    b"&",
    b"{",
    b"}",
    b"[",
    b"]",
    b":",
    b"null",
    b"-1",
    b"99999999999999999999",
    b"1e308",
    b"\xEF\xBB\xBF",
    b"\xC3",
    b"\xFF\xFE",
    b"2026-02-30",
    b"0000-00-00",
    b"9990000026",
    b"MSH|^~\\&|",
    b"PID|",
    b"EVN|",
    b"PV1|",
    b"\"resourceType\":\"Bundle\"",
    b"urn:uuid:",
    b"\x00",
];

fn mutate(rng: &mut Rng, seeds: &[(&str, Vec<u8>)], input: &mut Vec<u8>) {
    for _ in 0..1 + rng.below(8) {
        let len = input.len();
        match rng.below(7) {
            0 if len > 0 => {
                let i = rng.below(len);
                input[i] ^= 1 << rng.below(8);
            }
            1 if len > 0 => {
                let i = rng.below(len);
                input[i] = rng.next() as u8;
            }
            2 => {
                let t = TOKENS[rng.below(TOKENS.len())];
                let i = rng.below(len + 1);
                input.splice(i..i, t.iter().copied());
            }
            3 if len > 1 => {
                let a = rng.below(len);
                let b = (a + 1 + rng.below(64)).min(len);
                input.drain(a..b);
            }
            4 if len > 1 => {
                // Duplicate a run (repeated segments, rows, resources).
                let a = rng.below(len);
                let b = (a + 1 + rng.below(256)).min(len);
                let run: Vec<u8> = input[a..b].to_vec();
                let i = rng.below(len + 1);
                input.splice(i..i, run);
            }
            5 => {
                // Splice in part of another seed.
                let other = &seeds[rng.below(seeds.len())].1;
                if !other.is_empty() {
                    let a = rng.below(other.len());
                    let b = (a + 1 + rng.below(512)).min(other.len());
                    let i = rng.below(len + 1);
                    input.splice(i..i, other[a..b].iter().copied());
                }
            }
            _ if len > 0 => input.truncate(rng.below(len)),
            _ => {}
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let format = args.get(1).map(String::as_str).unwrap_or("all");
    let seconds: u64 = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(10);
    let seed: u64 = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(0x5eed_f00d);
    let seeds = corpus(format);
    if seeds.is_empty() {
        eprintln!("unknown format {format:?}: native, fhir, hospital, cld, hl7 or all");
        std::process::exit(2);
    }
    // Panics are caught and reported below; keep the default hook quiet.
    std::panic::set_hook(Box::new(|_| {}));
    let crashes = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/fuzz-crashes");
    let mut rng = Rng(seed | 1);
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let (mut runs, mut panics, mut accepted, mut refused) = (0u64, 0u64, 0u64, 0u64);
    while Instant::now() < deadline {
        let (name, base) = &seeds[rng.below(seeds.len())];
        let mut input = base.clone();
        mutate(&mut rng, &seeds, &mut input);
        runs += 1;
        match std::panic::catch_unwind(|| parse_bytes(name, &input, ImportOptions::default())) {
            Ok(Ok(_)) => accepted += 1,
            Ok(Err(_)) => refused += 1,
            Err(_) => {
                panics += 1;
                std::fs::create_dir_all(&crashes).expect("crash folder");
                let path = crashes.join(format!("{format}-{runs}-{name}"));
                std::fs::write(&path, &input).expect("save crash");
                println!("PANIC on {} (saved)", path.display());
            }
        }
    }
    println!(
        "{format}: {runs} inputs in {seconds} s, {accepted} read (possibly with rejected rows), {refused} refused \
         with an error, {panics} panics"
    );
    if panics > 0 {
        std::process::exit(1);
    }
}
