//! The command line: `joinedup [--db PATH] [--training] [--role ROLE] [COMMAND]`.
//!
//! With no command the window opens. Arguments are parsed and checked once, in
//! `args` (an NHS number, a date or a reason that does not parse exits 2 before
//! anything is opened); `execute` then matches the command once. Every command that
//! reads or changes people's data goes through `service`, which applies the one
//! disclosure policy and writes the audit; this module only renders and writes.

mod alerts;
pub mod args;
mod board;
mod chc;
mod generate;
mod import;
mod import_db;
mod listen;
mod output;
mod plans;
mod record;
mod returns;
mod sharing;
pub mod sharing_args;
mod users;
mod worklist;
pub mod worklist_args;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;

pub use args::{
    AuditCmd, BoardFormat, CaseloadFormat, ChcCmd, Cli, Cmd, ExportFormat, GenerateFormat, ReturnsCmd, SummaryFormat,
    UsersCmd,
};
pub use output::Output;
pub use record::{show_json, show_text};

use crate::domain::governance::{Actor, Role};
use crate::service::Service;
use crate::store::{AuditOutcome, Location, Store};

/// Where this client keeps its copies of servers' audit keys and its anchors of
/// their logs (private to the account).
pub fn server_key_dir() -> PathBuf {
    match directories::ProjectDirs::from("uk", "joinedup", "joinedup") {
        Some(dirs) => dirs.data_dir().join("servers"),
        None => PathBuf::from("joinedup-servers"),
    }
}

/// Where the database lives unless `--db` says otherwise.
pub fn default_db_path(training: bool) -> PathBuf {
    let name = if training { "training.db" } else { "joinedup.db" };
    match directories::ProjectDirs::from("uk", "joinedup", "joinedup") {
        Some(dirs) => dirs.data_dir().join(name),
        None => PathBuf::from(name),
    }
}

/// The acting user: the operating-system account, with the role they claim.
pub fn actor(role: Option<Role>) -> Actor {
    Actor {
        user: crate::platform::os_user_name(),
        role,
    }
}

pub fn run() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("JOINEDUP_LOG")
                .unwrap_or_else(|_| "warn,joinedup::feed=info".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
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

/// What every command shares: where the database is, training, who is acting.
struct Settings {
    db: Location,
    training: bool,
    role: Option<Role>,
}

impl Settings {
    /// The service on the database, training prepared when asked for.
    fn service(&self) -> anyhow::Result<Service> {
        let store = open(&self.db, self.training)?;
        Ok(Service::new(store, actor(self.role), self.training)?)
    }
}

fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}

fn now() -> chrono::NaiveDateTime {
    chrono::Local::now().naive_local()
}

fn execute(cli: Cli) -> anyhow::Result<ExitCode> {
    let settings = Settings {
        db: cli
            .db
            .clone()
            .unwrap_or_else(|| Location::File(default_db_path(cli.training))),
        training: cli.training,
        role: cli.role,
    };
    let Some(command) = cli.command else {
        let config = crate::ui::AppConfig {
            db: settings.db,
            is_training: settings.training,
            actor: actor(None).user,
            role: settings.role,
            theme: cli.theme,
        };
        crate::ui::run(config)?;
        return Ok(ExitCode::SUCCESS);
    };
    match command {
        // The rule evaluators need no database.
        Cmd::Chc {
            command: ChcCmd::Checklist { levels },
        } => Ok(chc::checklist(&levels)),
        Cmd::Chc {
            command: ChcCmd::Dst { levels },
        } => Ok(chc::dst(&levels)),
        Cmd::Chc {
            command: ChcCmd::Caseload { as_of, format },
        } => chc::caseload(&mut settings.service()?, as_of.unwrap_or_else(today), format),
        Cmd::Chc {
            command:
                ChcCmd::Decide {
                    person,
                    decision,
                    date,
                    by,
                    note,
                    assessed,
                },
        } => chc::decide(
            &mut settings.service()?,
            &person,
            chc::DecideArgs {
                is_eligible: decision == args::DecisionArg::Eligible,
                date,
                by,
                note,
                assessed,
            },
        ),
        Cmd::Generate {
            people,
            seed,
            as_of,
            out,
            format,
            force,
        } => {
            let as_of = as_of.unwrap_or_else(today);
            match out {
                Some(dir) => generate::to_files(&dir, format, people, seed, as_of, force),
                None if settings.training => {
                    anyhow::bail!("the training database holds the fixtures only; generate into its own --db")
                }
                None => generate::generate(&mut settings.service()?, people, seed, as_of),
            }
        }
        Cmd::Plans { person, json } => plans::plans(&mut settings.service()?, person, json),
        Cmd::Import {
            files,
            valid_rows_only,
            dry_run,
            rejected_csv,
            force,
        } => import::import_files(
            &mut settings.service()?,
            &files,
            import::ImportFlags {
                valid_rows_only,
                dry_run,
                rejected_csv,
                force,
            },
        ),
        Cmd::ImportDb { path, format } => import_db::import_db(&mut settings.service()?, &path, format),
        Cmd::Show { person, json } => record::show(&mut settings.service()?, person, json),
        Cmd::Export {
            person,
            out: file,
            force,
            format,
        } => record::export(&mut settings.service()?, person, file.as_deref(), force, format),
        Cmd::Print { person, out, force } => record::print(&mut settings.service()?, person, &out, force),
        Cmd::Board { as_of, format } => board::board(&mut settings.service()?, as_of.unwrap_or_else(today), format),
        Cmd::Listen {
            mllp,
            max_frame,
            watch,
            settle,
            max_file_mb,
            group_ms,
            group_max,
        } => listen::listen(
            &settings,
            listen::Feeds {
                mllp,
                options: crate::feed::ListenerOptions {
                    max_frame,
                    group_window: std::time::Duration::from_millis(group_ms),
                    group_max: group_max.max(1),
                    ..Default::default()
                },
                watch,
                settle,
                max_file_bytes: max_file_mb.saturating_mul(1 << 20),
            },
        ),
        Cmd::Returns { command } => returns::returns(&mut settings.service()?, command),
        Cmd::Users { command } => users::users(&mut settings.service()?, command),
        Cmd::CareTeam { command } => sharing::care_team(&mut settings.service()?, command),
        Cmd::Objection { command } => sharing::objection(&mut settings.service()?, command),
        Cmd::AccessRule { rule } => sharing::access_rule(&mut settings.service()?, rule.as_deref()),
        Cmd::Follow(args) => worklist::follow(&mut settings.service()?, args, true),
        Cmd::Unfollow(args) => worklist::follow(&mut settings.service()?, args, false),
        Cmd::Worklist(args) => worklist::worklist(&mut settings.service()?, args),
        Cmd::Tasks { command } => worklist::tasks(&mut settings.service()?, command),
        Cmd::Coordinator(args) => worklist::coordinator(&mut settings.service()?, args),
        Cmd::Alerts { command } => alerts::alerts(&mut settings.service()?, command),
        // Exit 0 intact, 1 broken, 4 not verifiable here (the key is missing).
        Cmd::Audit {
            command: AuditCmd::Verify,
        } => {
            let report = settings.service()?.verify_audit()?;
            for line in report.lines() {
                println!("{line}");
            }
            Ok(match report.outcome() {
                AuditOutcome::Intact => ExitCode::SUCCESS,
                AuditOutcome::Broken(_) => ExitCode::FAILURE,
                AuditOutcome::CannotVerify(_) => ExitCode::from(4),
            })
        }
    }
}

fn open(db: &Location, training: bool) -> anyhow::Result<Store> {
    let mut store = Store::open_location(db, &server_key_dir())?;
    if training {
        let now = now();
        crate::training::prepare(&mut store, now.date(), now)?;
    }
    Ok(store)
}

/// The person with this NHS number, or `None` after saying so on stderr. With a
/// reason, their restricted items are shown for this command (audited with it).
fn find_person(
    service: &mut Service,
    person: &args::PersonArgs,
) -> anyhow::Result<Option<crate::store::PersonSummary>> {
    let nhs = person.nhs;
    let found = service.find_by_nhs(nhs, now())?;
    let Some(p) = &found else {
        eprintln!("no one with NHS number {nhs} is in this database");
        return Ok(found);
    };
    if let Some(r) = &person.emergency {
        service.emergency_access(p.id, r, today(), now())?;
        return Ok(found);
    }
    if let Some(r) = &person.access_reason {
        service.open_without_relationship(p.id, r, today(), now())?;
    }
    if let Some(r) = &person.reason {
        service.reveal(p.id, r, today(), now())?;
    }
    Ok(found)
}
