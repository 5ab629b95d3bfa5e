//! The arguments of care teams, objections to sharing and the deployment's rule
//! for access without a relationship (issue 14): `care-team`, `objection`,
//! `access-rule`.

use chrono::NaiveDate;
use clap::Subcommand;

use super::args::{date, nhs_number, reason};
use crate::domain::NhsNumber;
use crate::domain::governance::Reason;

/// A user or a team, exactly one.
#[derive(clap::Args, Debug)]
#[group(required = true, multiple = false)]
pub struct MemberArgs {
    /// A user (their login name on the server).
    #[arg(long, value_name = "NAME")]
    pub user: Option<String>,
    /// A team, as the users' `--team` names it (or a ward, or a CHC team).
    #[arg(long, value_name = "TEAM")]
    pub team: Option<String>,
}

#[derive(Subcommand, Debug)]
pub enum CareTeamCmd {
    /// Add a user or team to a person's care team (the information governance lead's).
    Add {
        #[arg(long, value_parser = nhs_number)]
        nhs: NhsNumber,
        #[command(flatten)]
        member: MemberArgs,
    },
    /// Take a user or team off a person's care team.
    Remove {
        #[arg(long, value_parser = nhs_number)]
        nhs: NhsNumber,
        #[command(flatten)]
        member: MemberArgs,
    },
    /// Who was added to a person's care team, and how you stand with the person.
    List {
        #[arg(long, value_parser = nhs_number)]
        nhs: NhsNumber,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum ObjectionCmd {
    /// Record that a person objected to sharing their record (the information governance lead's).
    Record {
        #[arg(long, value_parser = nhs_number)]
        nhs: NhsNumber,
        /// The day the person objected.
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = date)]
        date: NaiveDate,
        /// The person's reason, in a few words (kept for the IG lead only).
        #[arg(long, value_name = "REASON", value_parser = reason)]
        reason: Reason,
        /// Only these organisations, comma-separated (default: every organisation but the one
        /// an item came from).
        #[arg(long, value_name = "ORG,ORG")]
        organisations: Option<String>,
    },
    /// Withdraw a person's objection in force.
    Withdraw {
        #[arg(long, value_parser = nhs_number)]
        nhs: NhsNumber,
        /// The day it is withdrawn (default: today).
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = date)]
        date: Option<NaiveDate>,
    },
    /// A person's objections, or (without --nhs) everyone with one in force and the emergency
    /// accesses that overrode an objection.
    List {
        #[arg(long, value_parser = nhs_number)]
        nhs: Option<NhsNumber>,
        #[arg(long)]
        json: bool,
    },
}
