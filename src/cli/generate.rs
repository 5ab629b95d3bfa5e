//! `joinedup generate --people N --seed S [--as-of DATE] [--out DIR --format csv|native|fhir]`: a
//! synthetic population written into the database, or as the files real systems
//! send, with a progress line on the terminal.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use chrono::NaiveDate;

use crate::generate::csv::{CLD_COLUMNS, HOSPITAL_COLUMNS, write_cld, write_hospital};
use crate::generate::{CHUNK, chunk, nhs_numbers};
use crate::service::Service;

/// `generate --out DIR`: the population as files, in the format asked for.
pub(super) fn to_files(
    dir: &Path,
    format: super::GenerateFormat,
    people: usize,
    seed: u64,
    as_of: NaiveDate,
    force: bool,
) -> anyhow::Result<ExitCode> {
    // A folder made here is private; an existing one (it may be shared) is left as it is.
    if !dir.exists() {
        crate::platform::ensure_private_dir(dir)?;
    }
    match format {
        super::GenerateFormat::Csv => generate_csv(dir, people, seed, as_of, force),
        super::GenerateFormat::Native => generate_native(dir, people, seed, as_of, force),
        super::GenerateFormat::Fhir => generate_fhir(dir, people, seed, as_of, force),
    }
}

/// `generate` into the database: each part of the population is an audited import.
pub(super) fn generate(service: &mut Service, people: usize, seed: u64, as_of: NaiveDate) -> anyhow::Result<ExitCode> {
    if service.store().count_people()? > 0 {
        anyhow::bail!("this database already holds people; generate into a new database (--db NEW_FILE)");
    }
    let started = Instant::now();
    let numbers = nhs_numbers(seed, people).map_err(anyhow::Error::msg)?;
    let imported_at = chrono::Local::now().naive_local();
    let mut episodes = 0usize;
    let mut stderr = std::io::stderr();
    for (k, part) in numbers.chunks(CHUNK).enumerate() {
        let batch = chunk(seed, as_of, k * CHUNK, part);
        let summary = service.apply_batch(&batch, imported_at, &mut |_, _| true)?;
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

/// The CLD social care CSV and the hospital spells CSV of the population, in `dir`.
fn generate_csv(dir: &Path, people: usize, seed: u64, as_of: NaiveDate, force: bool) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    std::fs::create_dir_all(dir)?;
    let cld_path = dir.join("social-care-cld.csv");
    let hospital_path = dir.join("hospital-spells.csv");
    let open = |path: &Path| -> anyhow::Result<csv::Writer<std::io::BufWriter<std::fs::File>>> {
        let file = crate::platform::create_private_file(path, force).map_err(|e| anyhow::anyhow!("{e}"))?;
        Ok(csv::Writer::from_writer(std::io::BufWriter::new(file)))
    };
    let mut cld = open(&cld_path)?;
    let mut hospital = open(&hospital_path)?;
    cld.write_record(CLD_COLUMNS)?;
    hospital.write_record(HOSPITAL_COLUMNS)?;
    let numbers = nhs_numbers(seed, people).map_err(anyhow::Error::msg)?;
    let (mut cld_rows, mut spell_rows) = (0, 0);
    let mut stderr = std::io::stderr();
    for (k, part) in numbers.chunks(CHUNK).enumerate() {
        let batch = chunk(seed, as_of, k * CHUNK, part);
        cld_rows += write_cld(&mut cld, &batch)?;
        spell_rows += write_hospital(&mut hospital, &batch)?;
        let done = k * CHUNK + part.len();
        let _ = write!(
            stderr,
            "\rgenerating: {done} of {people} people, {cld_rows} CLD rows, {spell_rows} spells   "
        );
        let _ = stderr.flush();
    }
    cld.flush()?;
    hospital.flush()?;
    let _ = writeln!(stderr);
    println!(
        "wrote {cld_rows} social care events to {} and {spell_rows} spells to {} (seed {seed}, as of {as_of}) in {:.1} s",
        cld_path.display(),
        hospital_path.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}

/// Joined-up bundles of the population, one file per chunk of people, in `dir`.
fn generate_native(dir: &Path, people: usize, seed: u64, as_of: NaiveDate, force: bool) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    std::fs::create_dir_all(dir)?;
    let numbers = nhs_numbers(seed, people).map_err(anyhow::Error::msg)?;
    let (mut files, mut episodes) = (0, 0);
    let mut stderr = std::io::stderr();
    for (k, part) in numbers.chunks(CHUNK).enumerate() {
        let batch = chunk(seed, as_of, k * CHUNK, part);
        let bundle = crate::import::native::write(&crate::generate::native::records(&batch), Some(as_of));
        let path = dir.join(format!("population-{:03}.json", k + 1));
        let file = crate::platform::create_private_file(&path, force).map_err(|e| anyhow::anyhow!("{e}"))?;
        let mut writer = std::io::BufWriter::new(file);
        serde_json::to_writer(&mut writer, &bundle)?;
        writer.flush()?;
        files += 1;
        episodes += batch.episodes.len();
        let done = k * CHUNK + part.len();
        let _ = write!(
            stderr,
            "\rgenerating: {done} of {people} people, {episodes} episodes   "
        );
        let _ = stderr.flush();
    }
    let _ = writeln!(stderr);
    println!(
        "wrote {people} people and {episodes} episodes in {files} bundle files to {} (seed {seed}, as of {as_of}) in {:.1} s",
        dir.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}

/// People in each FHIR file: a FHIR bundle is read whole, so files stay a few tens of MB.
const FHIR_PEOPLE_PER_FILE: usize = 1_000;

/// FHIR R4 collection Bundles of the population, 1,000 people a file, in `dir`. What
/// FHIR does not carry here (social care reviews and safeguarding, CHC, a spell's
/// discharge facts) is left out and counted.
fn generate_fhir(dir: &Path, people: usize, seed: u64, as_of: NaiveDate, force: bool) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    std::fs::create_dir_all(dir)?;
    let numbers = nhs_numbers(seed, people).map_err(anyhow::Error::msg)?;
    let mut files = 0;
    let mut total = crate::import::fhir::write::Written::default();
    let mut stderr = std::io::stderr();
    for (k, part) in numbers.chunks(CHUNK).enumerate() {
        let batch = chunk(seed, as_of, k * CHUNK, part);
        for records in crate::generate::native::records(&batch).chunks(FHIR_PEOPLE_PER_FILE) {
            files += 1;
            let path = dir.join(format!("fhir-{files:04}.json"));
            let file = crate::platform::create_private_file(&path, force).map_err(|e| anyhow::anyhow!("{e}"))?;
            let mut writer = std::io::BufWriter::new(file);
            let written = crate::import::fhir::write::write_bundle(records, &mut writer)?;
            writer.flush()?;
            total.patients += written.patients;
            total.resources += written.resources;
            total.left_out += written.left_out;
        }
        let done = k * CHUNK + part.len();
        let _ = write!(
            stderr,
            "\rgenerating: {done} of {people} people, {} resources   ",
            total.resources
        );
        let _ = stderr.flush();
    }
    let _ = writeln!(stderr);
    println!(
        "wrote {} patients and {} other resources in {files} FHIR bundles to {} (seed {seed}, as of {as_of}) in {:.1} s; \
         {} items have no FHIR form here and were left out (social care reviews and safeguarding enquiries, CHC assessments)",
        total.patients,
        total.resources,
        dir.display(),
        started.elapsed().as_secs_f64(),
        total.left_out
    );
    Ok(ExitCode::SUCCESS)
}
