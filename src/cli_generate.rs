//! `joinedup generate --people N --seed S [--as-of DATE]`: a synthetic population
//! written into the database, with a progress line on the terminal.

use std::io::Write;
use std::process::ExitCode;
use std::time::Instant;

use chrono::NaiveDate;

use crate::generate::{CHUNK, chunk, nhs_numbers};
use crate::store::Store;

pub fn generate(store: &mut Store, people: usize, seed: u64, as_of: NaiveDate) -> anyhow::Result<ExitCode> {
    if store.count_people()? > 0 {
        anyhow::bail!("this database already holds people; generate into a new database (--db NEW_FILE)");
    }
    let started = Instant::now();
    let numbers = nhs_numbers(seed, people).map_err(anyhow::Error::msg)?;
    let imported_at = chrono::Local::now().naive_local();
    let mut episodes = 0usize;
    let mut stderr = std::io::stderr();
    for (k, part) in numbers.chunks(CHUNK).enumerate() {
        let batch = chunk(seed, as_of, k * CHUNK, part);
        let summary = store.apply_import(&batch, imported_at)?;
        episodes += summary.episodes_added;
        let done = k * CHUNK + part.len();
        let elapsed = started.elapsed().as_secs_f64();
        let _ = write!(
            stderr,
            "\rgenerating: {done} of {people} people, {episodes} episodes, {elapsed:.1} s ({:.0}%)   ",
            done as f64 * 100.0 / people.max(1) as f64
        );
        let _ = stderr.flush();
    }
    let _ = writeln!(stderr);
    println!(
        "generated {people} people and {episodes} episodes (seed {seed}, as of {as_of}) in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}
