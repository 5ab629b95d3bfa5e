//! The command line: `joinedup [--db PATH] [--training] [COMMAND]`.
//!
//! With no command the window opens. Subcommands work on the same database and are
//! the stable interface for testers (`show --json` is documented in the README).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Parser;

use crate::domain::dates::fmt_date;
use crate::store::{AuditEvent, AuditVerification, Store};

pub use crate::cli_args::{AuditCmd, BoardFormat, CaseloadFormat, ChcCmd, Cli, Cmd, ExportFormat, GenerateFormat};

/// Where the database lives unless `--db` says otherwise.
pub fn default_db_path(training: bool) -> PathBuf {
    let name = if training { "training.db" } else { "joinedup.db" };
    match directories::ProjectDirs::from("uk", "joinedup", "joinedup") {
        Some(dirs) => dirs.data_dir().join(name),
        None => PathBuf::from(name),
    }
}

/// The user name for the audit log.
pub fn actor() -> String {
    std::env::var("USER")
        .or_else(|_| std::env::var("USERNAME"))
        .unwrap_or_else(|_| "unknown".into())
}

/// The role given with `--role`, for the command line's audit events.
static ROLE: std::sync::OnceLock<crate::domain::governance::Role> = std::sync::OnceLock::new();

/// The user, and the role when one was given, as written to the audit log.
fn audit_actor() -> String {
    match ROLE.get() {
        Some(role) => crate::domain::governance::actor(&actor(), *role),
        None => actor(),
    }
}

pub fn run() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_env("JOINEDUP_LOG").unwrap_or_else(|_| "warn".into()))
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    if let Some(role) = cli.role {
        let _ = ROLE.set(role);
    }
    if cli.command.is_some() {
        restore_default_sigpipe();
    }
    match execute(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("joinedup: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// A subcommand piped into `head` should stop quietly when the reader goes away, as
/// other command-line tools do, rather than panic on a broken pipe. (Rust ignores
/// SIGPIPE by default; the window keeps that.)
fn restore_default_sigpipe() {
    #[cfg(unix)]
    // SAFETY: called once at start-up, before any other thread exists; setting a
    // signal's disposition to its default has no other effect.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

fn execute(cli: Cli) -> anyhow::Result<ExitCode> {
    let db_path = cli.db.clone().unwrap_or_else(|| default_db_path(cli.training));
    let Some(command) = cli.command else {
        let config = crate::ui::AppConfig {
            db_path,
            is_training: cli.training,
            actor: actor(),
            role: cli.role,
        };
        crate::ui::run(config)?;
        return Ok(ExitCode::SUCCESS);
    };
    // The rule evaluators need no database.
    match &command {
        Cmd::Chc {
            command: ChcCmd::Checklist { levels },
        } => return Ok(crate::cli_chc::checklist(levels)),
        Cmd::Chc {
            command: ChcCmd::Dst { levels },
        } => return Ok(crate::cli_chc::dst(levels)),
        Cmd::Generate {
            people,
            seed,
            as_of,
            out: Some(dir),
            format,
        } => {
            let as_of = parse_as_of(as_of.as_deref())?;
            return match format {
                GenerateFormat::Csv => crate::cli_generate::generate_csv(dir, *people, *seed, as_of),
                GenerateFormat::Native => crate::cli_generate::generate_native(dir, *people, *seed, as_of),
                GenerateFormat::Fhir => crate::cli_generate::generate_fhir(dir, *people, *seed, as_of),
            };
        }
        _ => {}
    }
    let mut store = open(&db_path, cli.training)?;
    let out = Output { training: cli.training };
    match command {
        Cmd::Chc {
            command: ChcCmd::Caseload { as_of, format },
        } => {
            let as_of = parse_as_of(as_of.as_deref())?;
            crate::cli_chc::caseload(&store, as_of, format == CaseloadFormat::Json, out)
        }
        Cmd::Chc { .. } => Ok(ExitCode::from(2)),
        Cmd::Plans { nhs, json } => {
            let code = crate::cli_plans::plans(&store, &nhs, json, chrono::Local::now().date_naive(), out)?;
            audit(
                &mut store,
                "open",
                None,
                "viewed care plans (command line)".into(),
                None,
            )?;
            Ok(code)
        }
        Cmd::Import {
            files,
            valid_rows_only,
            dry_run,
            rejected_csv,
        } => crate::cli_import::import_files(
            &mut store,
            &files,
            crate::cli_import::ImportFlags {
                valid_rows_only,
                dry_run,
                rejected_csv,
                training: cli.training,
            },
        ),
        Cmd::Show { nhs, json, reason } => crate::cli_record::show(&mut store, &nhs, json, reason, out),
        Cmd::Export {
            nhs,
            out: file,
            reason,
            format,
        } => crate::cli_record::export(&mut store, &nhs, file.as_deref(), reason, format, out),
        Cmd::Board { as_of, format } => board(&mut store, as_of.as_deref(), format, out),
        Cmd::Generate {
            people, seed, as_of, ..
        } => {
            if cli.training {
                anyhow::bail!("the training database holds the fixtures only; generate into its own --db");
            }
            let as_of = parse_as_of(as_of.as_deref())?;
            crate::cli_generate::generate(&mut store, people, seed, as_of)
        }
        Cmd::Audit {
            command: AuditCmd::Verify,
        } => match store.verify_audit()? {
            AuditVerification::Intact { events } => {
                println!("audit log intact: {events} events");
                Ok(ExitCode::SUCCESS)
            }
            AuditVerification::Broken { at_event, problem } => {
                println!("audit log BROKEN at event {at_event}: {problem}");
                Ok(ExitCode::FAILURE)
            }
        },
    }
}

/// The person with this NHS number, or `None` after saying why not (the number is
/// checked first).
pub(crate) fn find_person(store: &Store, nhs: &str) -> anyhow::Result<Option<crate::store::PersonSummary>> {
    let nhs =
        crate::domain::NhsNumber::parse(nhs).map_err(|e| anyhow::anyhow!("{nhs:?} is not a valid NHS number: {e}"))?;
    let found = store.find_by_nhs_number(nhs)?;
    if found.is_none() {
        eprintln!("no one with NHS number {nhs} is in this database");
    }
    Ok(found)
}

/// Where command output goes, watermarked in training mode: a first line on text and
/// CSV, a `watermark` field on JSON objects.
#[derive(Debug, Clone, Copy)]
pub struct Output {
    pub training: bool,
}

impl Output {
    /// The watermark line, printed before text or CSV output in training mode.
    pub fn begin_text(self) {
        if self.training {
            println!("{}", crate::domain::governance::TRAINING_WATERMARK);
        }
    }

    /// A JSON document, watermarked in training mode.
    pub fn json(self, mut v: serde_json::Value) -> anyhow::Result<()> {
        if self.training
            && let Some(o) = v.as_object_mut()
        {
            o.insert("watermark".into(), crate::domain::governance::TRAINING_WATERMARK.into());
        }
        println!("{}", serde_json::to_string_pretty(&v)?);
        Ok(())
    }
}

fn open(path: &Path, training: bool) -> anyhow::Result<Store> {
    let mut store = Store::open(path)?;
    if training {
        let now = chrono::Local::now().naive_local();
        crate::training::prepare(&mut store, now.date(), now)?;
    }
    Ok(store)
}

pub(crate) fn audit(
    store: &mut Store,
    action: &str,
    person_id: Option<i64>,
    detail: String,
    reason: Option<String>,
) -> anyhow::Result<()> {
    store.append_audit(&AuditEvent {
        id: 0,
        at: chrono::Local::now().naive_local(),
        actor: audit_actor(),
        action: action.into(),
        person_id,
        detail,
        reason,
    })?;
    Ok(())
}

fn parse_as_of(as_of: Option<&str>) -> anyhow::Result<chrono::NaiveDate> {
    match as_of {
        Some(s) => crate::domain::dates::parse_date(s).ok_or_else(|| anyhow::anyhow!("{s:?} is not a date")),
        None => Ok(chrono::Local::now().date_naive()),
    }
}

fn board(store: &mut Store, as_of: Option<&str>, format: BoardFormat, out: Output) -> anyhow::Result<ExitCode> {
    use crate::domain::board::{BoardColumn, build_rows, sort_rows};
    use crate::domain::board_export::{board_csv, board_json};
    use crate::domain::discharge::summarise;
    let as_of = parse_as_of(as_of)?;
    let (inputs, discharged) = store.board_inputs(as_of)?;
    let mut rows = build_rows(&inputs, as_of);
    sort_rows(&mut rows, BoardColumn::DaysDelayed, true);
    let current: Vec<_> = inputs.iter().map(|i| &i.spell).collect();
    let summary = summarise(&current, &discharged.iter().collect::<Vec<_>>(), as_of);
    audit(
        store,
        "board",
        None,
        format!("viewed the discharge board ({} inpatients)", rows.len()),
        None,
    )?;
    match format {
        BoardFormat::Json => out.json(board_json(&rows, &summary, as_of))?,
        BoardFormat::Csv => {
            out.begin_text();
            print!("{}", board_csv(&rows));
        }
        BoardFormat::Text => {
            out.begin_text();
            println!(
                "Discharge readiness board as of {}: {} in hospital",
                fmt_date(as_of),
                rows.len()
            );
            for r in &rows {
                let delay = r
                    .days_delayed
                    .map(|d| format!("{d} days delayed"))
                    .unwrap_or_else(|| "meets criteria".into());
                println!(
                    "  {:<24} {:<12} {:<28} {:<10} pathway {:<8} {}",
                    r.person.display_name,
                    r.person.nhs_number.map(|n| n.to_string()).unwrap_or_default(),
                    r.hospital,
                    r.ward.as_deref().unwrap_or(""),
                    r.pathway.map(|p| p.to_string()).unwrap_or_else(|| "not set".into()),
                    delay
                );
                for d in &r.delay_reasons {
                    println!(
                        "      {} ({}, since {})",
                        d.description,
                        d.attribution.label(),
                        fmt_date(d.since)
                    );
                }
            }
            println!(
                "Delayed bed days {}; discharged on their DRD in the last 30 days: {}",
                summary.delayed_bed_days,
                summary
                    .discharged_on_drd_share_30d
                    .map(|s| format!("{:.0}% of {}", s * 100.0, summary.discharged_with_drd_30d))
                    .unwrap_or_else(|| "no discharges with a DRD".into())
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
