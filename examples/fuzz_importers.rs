//! A mutation fuzzer for every importer: starts from valid files of each format and
//! flips, inserts, deletes, duplicates and splices bytes, then feeds the result to
//! the importer. Any panic is a defect: the input is saved under
//! `target/fuzz-crashes/` to become a regression test.
//!
//! For the JSON formats there is also a grammar-aware mode (`native-tree`,
//! `fhir-tree`): the input is parsed into a JSON tree and its values and structure
//! are mutated (a value replaced by one of another type or by an edge case, a key
//! dropped, an array element duplicated or dropped, objects swapped between places,
//! references and resource types changed, deep nesting), so almost every input gets
//! past the JSON parser into the mapping. With `--apply`, every input that reads is
//! also written to an in-memory store, so the store's import path is fuzzed too.
//! Extra FHIR seeds are read from `JOINEDUP_EXTERNAL_DATA` when it is set.
//!
//! `cargo run --release --example fuzz_importers -- FORMAT SECONDS [SEED] [--apply]`,
//! where FORMAT is one of native, fhir, hospital, cld, hl7, all, native-tree or
//! fhir-tree. RELIABILITY.md records what ran and what it found.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use joinedup::import::{ImportOptions, parse_bytes};
use serde_json::{Value, json};

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
            "fhir",
            "fhir.json",
            include_bytes!("../tests/data/fhir-interweave-bundle.json").to_vec(),
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
    let base = format.trim_end_matches("-tree");
    let mut seeds: Vec<(&'static str, Vec<u8>)> = all
        .into_iter()
        .filter(|(f, _, _)| format == "all" || *f == base)
        .map(|(_, name, bytes)| (name, bytes))
        .collect();
    if base == "fhir" {
        seeds.extend(external_fhir_seeds());
    }
    seeds
}

/// The FHIR JSON files under `JOINEDUP_EXTERNAL_DATA`, when it is set.
fn external_fhir_seeds() -> Vec<(&'static str, Vec<u8>)> {
    let Ok(root) = std::env::var("JOINEDUP_EXTERNAL_DATA") else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut stack = vec![PathBuf::from(root)];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        for e in entries.flatten() {
            let path = e.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|x| x == "json")
                && let Ok(bytes) = std::fs::read(&path)
                && bytes.len() < 200_000
                && String::from_utf8_lossy(&bytes).contains("resourceType")
            {
                out.push(("fhir.json", bytes));
            }
        }
    }
    out
}

/// Values that matter to the mappers, for replacing a value in the tree.
fn edge_value(rng: &mut Rng) -> Value {
    match rng.below(24) {
        0 => Value::Null,
        1 => json!(true),
        2 => json!(-1),
        3 => json!(1e308),
        4 => json!(u64::MAX),
        5 => json!(""),
        6 => json!("9990000026"),
        7 => json!("999 000 0026"),
        8 => json!("9990000027"),
        9 => json!("2026-02-30"),
        10 => json!("2026"),
        11 => json!("2026-13"),
        12 => json!("2026-11-22T25:61:00Z"),
        13 => json!("1800-01-01"),
        14 => json!("urn:uuid:00000000-0000-0000-0000-000000000000"),
        15 => json!("Patient/"),
        16 => json!("https://fhir.nhs.uk/Id/nhs-number"),
        17 => json!([]),
        18 => json!({}),
        19 => json!("x".repeat(rng.below(70_000))),
        20 => json!("Si\u{e2}n \u{1F600} \u{202E}"),
        21 => json!({"system": "https://fhir.nhs.uk/Id/nhs-number", "value": "9990000026"}),
        22 => json!({"reference": "urn:uuid:missing"}),
        _ => json!(rng.next() as i64),
    }
}

/// Resource types and codes worth swapping in where a string was.
const WORDS: &[&str] = &[
    "Patient",
    "Encounter",
    "EpisodeOfCare",
    "CarePlan",
    "Goal",
    "Condition",
    "Flag",
    "QuestionnaireResponse",
    "Bundle",
    "transaction",
    "collection",
    "searchset",
    "message",
    "document",
    "IMP",
    "AMB",
    "EMER",
    "HH",
    "finished",
    "in-progress",
    "cancelled",
    "entered-in-error",
    "active",
    "inpatient_spell",
    "social_care_service",
    "safeguarding",
    "joinedup-bundle",
];

/// Every path to a node in the tree, as indices into arrays and keys of objects.
fn paths(v: &Value, here: &mut Vec<PathStep>, out: &mut Vec<Vec<PathStep>>) {
    out.push(here.clone());
    match v {
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                here.push(PathStep::Index(i));
                paths(x, here, out);
                here.pop();
            }
        }
        Value::Object(o) => {
            for (k, x) in o {
                here.push(PathStep::Key(k.clone()));
                paths(x, here, out);
                here.pop();
            }
        }
        _ => {}
    }
}

#[derive(Clone)]
enum PathStep {
    Index(usize),
    Key(String),
}

fn node<'a>(v: &'a Value, path: &[PathStep]) -> Option<&'a Value> {
    let mut cur = v;
    for step in path {
        cur = match step {
            PathStep::Index(i) => cur.as_array()?.get(*i)?,
            PathStep::Key(k) => cur.as_object()?.get(k)?,
        };
    }
    Some(cur)
}

fn node_mut<'a>(v: &'a mut Value, path: &[PathStep]) -> Option<&'a mut Value> {
    let mut cur = v;
    for step in path {
        cur = match step {
            PathStep::Index(i) => cur.as_array_mut()?.get_mut(*i)?,
            PathStep::Key(k) => cur.as_object_mut()?.get_mut(k)?,
        };
    }
    Some(cur)
}

/// One to six structural mutations of a JSON tree.
fn mutate_tree(rng: &mut Rng, seeds: &[(Value, Vec<Vec<PathStep>>)], tree: &mut Value) {
    for _ in 0..1 + rng.below(6) {
        let mut all = Vec::new();
        paths(tree, &mut Vec::new(), &mut all);
        let path = all[rng.below(all.len())].clone();
        let donor = {
            let (other, other_paths) = &seeds[rng.below(seeds.len())];
            let p = &other_paths[rng.below(other_paths.len())];
            node(other, p).cloned().unwrap_or(Value::Null)
        };
        let Some(node) = node_mut(tree, &path) else { continue };
        match rng.below(9) {
            0 | 1 => *node = edge_value(rng),
            2 => *node = json!(WORDS[rng.below(WORDS.len())]),
            3 => *node = donor,
            4 => match node {
                Value::Object(o) if !o.is_empty() => {
                    let k = o.keys().nth(rng.below(o.len())).cloned().unwrap_or_default();
                    o.remove(&k);
                }
                Value::Array(a) if !a.is_empty() => {
                    a.remove(rng.below(a.len()));
                }
                _ => *node = Value::Null,
            },
            5 => match node {
                Value::Array(a) if !a.is_empty() => {
                    let x = a[rng.below(a.len())].clone();
                    for _ in 0..1 + rng.below(3) {
                        a.insert(rng.below(a.len() + 1), x.clone());
                    }
                }
                Value::Object(o) => {
                    o.insert(WORDS[rng.below(WORDS.len())].to_owned(), donor);
                }
                other => *other = json!([other.take()]),
            },
            6 => {
                // Deep nesting: the value wrapped in arrays or objects many times.
                // serde_json refuses more than 128 levels; this probes both sides of that.
                let mut x = node.take();
                for i in 0..rng.below(300) {
                    x = if i % 2 == 0 { json!([x]) } else { json!({ "a": x }) };
                }
                *node = x;
                // Walking a deep tree for the next mutation would cost more than the rest.
                return;
            }
            7 => {
                if let Value::String(s) = node {
                    // Cut, double or case-change a string (ids, dates, codes).
                    match rng.below(3) {
                        0 => s.truncate(s.char_indices().nth(rng.below(s.len() + 1)).map_or(s.len(), |(i, _)| i)),
                        1 => *s = s.repeat(2),
                        _ => *s = s.to_uppercase(),
                    }
                } else {
                    *node = json!(node.to_string());
                }
            }
            _ => {
                if let Value::Array(a) = node {
                    let n = a.len();
                    if n > 1 {
                        a.swap(rng.below(n), rng.below(n));
                    }
                    a.reverse();
                } else {
                    *node = json!(rng.below(3) as i64 - 1);
                }
            }
        }
    }
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
    let mut args: Vec<String> = std::env::args().collect();
    let apply = args.iter().any(|a| a == "--apply");
    args.retain(|a| a != "--apply");
    let format = args.get(1).map(String::as_str).unwrap_or("all");
    let seconds: u64 = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(10);
    let seed: u64 = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(0x5eed_f00d);
    let seeds = corpus(format);
    if seeds.is_empty() || (format.ends_with("-tree") && !matches!(format, "native-tree" | "fhir-tree")) {
        eprintln!("unknown format {format:?}: native, fhir, hospital, cld, hl7, all, native-tree or fhir-tree");
        std::process::exit(2);
    }
    let trees: Vec<(Value, Vec<Vec<PathStep>>)> = if format.ends_with("-tree") {
        seeds
            .iter()
            .filter_map(|(_, b)| serde_json::from_slice(b).ok())
            .map(|v: Value| {
                let mut all = Vec::new();
                paths(&v, &mut Vec::new(), &mut all);
                (v, all)
            })
            .collect()
    } else {
        Vec::new()
    };
    let mut store = apply.then(|| joinedup::store::Store::open_in_memory().expect("store"));
    let mut applied = 0u64;
    let mut slow = 0u64;
    let imported_at = chrono::NaiveDate::from_ymd_opt(2026, 11, 22)
        .and_then(|d| d.and_hms_opt(12, 0, 0))
        .expect("date");
    // Panics are caught and reported below; keep the default hook quiet.
    std::panic::set_hook(Box::new(|_| {}));
    let crashes = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/fuzz-crashes");
    let mut rng = Rng(seed | 1);
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let (mut runs, mut panics, mut accepted, mut refused) = (0u64, 0u64, 0u64, 0u64);
    while Instant::now() < deadline {
        let (name, input) = if trees.is_empty() {
            let (name, base) = &seeds[rng.below(seeds.len())];
            let mut input = base.clone();
            mutate(&mut rng, &seeds, &mut input);
            (*name, input)
        } else {
            let mut tree = trees[rng.below(trees.len())].0.clone();
            mutate_tree(&mut rng, &trees, &mut tree);
            let text = if rng.below(2) == 0 {
                serde_json::to_vec(&tree)
            } else {
                serde_json::to_vec_pretty(&tree)
            };
            let name = if format == "native-tree" {
                "bundle.json"
            } else {
                "fhir.json"
            };
            (name, text.expect("JSON"))
        };
        runs += 1;
        let started = Instant::now();
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let parsed = parse_bytes(name, &input, ImportOptions::default());
            if let (Ok(p), Some(store)) = (&parsed, store.as_mut()) {
                // A store error is a refusal, not a defect; only a panic is.
                if store.apply_import(&p.batch, imported_at).is_ok() {
                    applied += 1;
                }
            }
            parsed
        }));
        if started.elapsed() > Duration::from_millis(200) {
            // Slow inputs are defects too (a coordinator's import should not hang).
            slow += 1;
            std::fs::create_dir_all(&crashes).expect("crash folder");
            let path = crashes.join(format!("slow-{format}-{runs}-{name}"));
            std::fs::write(&path, &input).expect("save slow input");
            println!(
                "SLOW ({} ms) on {} (saved)",
                started.elapsed().as_millis(),
                path.display()
            );
        }
        if runs.is_multiple_of(2_000)
            && let Some(s) = store.as_mut()
        {
            *s = joinedup::store::Store::open_in_memory().expect("store");
        }
        match result {
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
    let stored = if apply {
        format!(", {applied} written to the store")
    } else {
        String::new()
    };
    println!(
        "{format}: {runs} inputs from {} seeds in {seconds} s, {accepted} read (possibly with rejected rows){stored}, \
         {refused} refused with an error, {panics} panics, {slow} slower than 200 ms",
        seeds.len()
    );
    if panics > 0 {
        std::process::exit(1);
    }
}
