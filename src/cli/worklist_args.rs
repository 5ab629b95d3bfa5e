//! The arguments of the coordinator's day (issue 16): `follow`, `unfollow`,
//! `worklist`, `tasks`, `coordinator`. `--user` defaults to the acting user.

use chrono::NaiveDate;
use clap::Subcommand;

use super::args::{date, nhs_number};
use crate::domain::NhsNumber;
use crate::domain::worklist::{Priority, TaskStatus};

#[derive(clap::Args, Debug)]
pub struct FollowArgs {
    /// NHS number, with or without spaces.
    #[arg(long, value_parser = nhs_number)]
    pub nhs: NhsNumber,
    /// Whose caseload (default: yours).
    #[arg(long, value_name = "NAME")]
    pub user: Option<String>,
}

#[derive(clap::Args, Debug)]
pub struct WorklistArgs {
    /// Whose worklist (default: yours).
    #[arg(long, value_name = "NAME")]
    pub user: Option<String>,
    /// The day the worklist is as of (default: today).
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = date)]
    pub as_of: Option<NaiveDate>,
    /// Print JSON (a stable interface; see the README).
    #[arg(long)]
    pub json: bool,
    /// Mark the events printed seen (your own worklist only): they come back marked seen
    /// until something new happens.
    #[arg(long)]
    pub mark_seen: bool,
}

#[derive(clap::Args, Debug)]
pub struct CoordinatorArgs {
    /// The account (default: yours).
    #[arg(long, value_name = "NAME")]
    pub user: Option<String>,
    /// The allocated worker's name as the sources write it, e.g. "Sian Roberts (Westmere Council)".
    #[arg(long, value_name = "NAME")]
    pub worker: String,
    /// The team the account works in (its members share acknowledgements and team tasks).
    #[arg(long, value_name = "TEAM")]
    pub team: Option<String>,
}

fn priority(s: &str) -> Result<Priority, String> {
    Priority::parse(s)
}

fn status(s: &str) -> Result<TaskStatus, String> {
    TaskStatus::parse(s)
}

/// A new due date, or none (`--due none` clears it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Due(pub Option<NaiveDate>);

fn due(s: &str) -> Result<Due, String> {
    if s.trim().eq_ignore_ascii_case("none") {
        return Ok(Due(None));
    }
    date(s).map(|d| Due(Some(d)))
}

#[derive(Subcommand, Debug)]
pub enum TasksCmd {
    /// Make a task for a person (owner: you, unless --owner or --team).
    Add {
        #[arg(long, value_parser = nhs_number)]
        nhs: NhsNumber,
        #[arg(long)]
        title: String,
        /// The user it is for.
        #[arg(long, value_name = "NAME", conflicts_with = "team")]
        owner: Option<String>,
        /// The team it is for.
        #[arg(long, value_name = "TEAM")]
        team: Option<String>,
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = date)]
        due: Option<NaiveDate>,
        /// high, normal or low.
        #[arg(long, default_value = "normal", value_parser = priority)]
        priority: Priority,
        #[arg(long, default_value = "")]
        notes: String,
    },
    /// List tasks: a person's (--nhs), or those of a user and their team (default: yours).
    List {
        #[arg(long, value_parser = nhs_number)]
        nhs: Option<NhsNumber>,
        #[arg(long, value_name = "NAME", conflicts_with = "nhs")]
        owner: Option<String>,
        /// Include done and cancelled tasks.
        #[arg(long)]
        all: bool,
        #[arg(long)]
        json: bool,
    },
    /// Change a task.
    Update {
        id: i64,
        #[arg(long)]
        title: Option<String>,
        #[arg(long, value_name = "NAME", conflicts_with = "team")]
        owner: Option<String>,
        #[arg(long, value_name = "TEAM")]
        team: Option<String>,
        /// A date, or `none`.
        #[arg(long, value_name = "YYYY-MM-DD|none", value_parser = due)]
        due: Option<Due>,
        #[arg(long, value_parser = priority)]
        priority: Option<Priority>,
        /// open, in_progress, done or cancelled.
        #[arg(long, value_parser = status)]
        status: Option<TaskStatus>,
        #[arg(long)]
        notes: Option<String>,
    },
    /// Mark a task done.
    Done { id: i64 },
}
