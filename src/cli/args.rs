//! The command line's arguments (`clap`): every subcommand and its flags, as
//! `joinedup --help` shows them.

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Parser, Subcommand};

use crate::domain::NhsNumber;
use crate::domain::governance::Reason;

/// Arguments are checked where they come in ("parse, don't validate"): a bad NHS
/// number, date or reason exits 2 with a message before anything is opened.
pub(super) fn nhs_number(s: &str) -> Result<NhsNumber, String> {
    NhsNumber::parse(s).map_err(|e| format!("{s:?} is not a valid NHS number: {e}"))
}

pub(super) fn date(s: &str) -> Result<NaiveDate, String> {
    crate::domain::dates::parse_date(s).ok_or_else(|| format!("{s:?} is not a date (YYYY-MM-DD)"))
}

fn location(s: &str) -> Result<crate::store::Location, String> {
    if s.trim().is_empty() {
        return Err("give a database file or a postgres:// URL".into());
    }
    Ok(crate::store::Location::parse(s))
}

pub(super) fn reason(s: &str) -> Result<Reason, String> {
    Reason::parse(s)
}

#[derive(Parser, Debug)]
#[command(
    name = "joinedup",
    version,
    about = "Joined-Up Care Record: one person's NHS and social care history on one timeline"
)]
pub struct Cli {
    /// The database: a file (default: joinedup.db, or training.db with --training, in the user's data
    /// directory) or a team's PostgreSQL server, postgres://USER@HOST:PORT/DATABASE[?sslmode=verify-full].
    #[arg(long, global = true, value_name = "PATH|URL", env = "JOINEDUP_DB", value_parser = location)]
    pub db: Option<crate::store::Location>,
    /// Training mode: its own database seeded from the fixtures, test-range NHS numbers only.
    #[arg(long, global = true)]
    pub training: bool,
    /// Your role, written with your user name to every audit event: care-coordinator, trainer,
    /// tester or ig-lead. Without it the window asks at start.
    #[arg(long, global = true, value_name = "ROLE", value_parser = crate::domain::governance::Role::parse)]
    pub role: Option<crate::domain::governance::Role>,
    /// The window's colours: light (the NHS look, the default) or dark. The choice is kept for next time.
    #[arg(long, value_name = "light|dark", value_parser = crate::ui::theme::ThemeChoice::parse)]
    pub theme: Option<crate::ui::theme::ThemeChoice>,
    #[command(subcommand)]
    pub command: Option<Cmd>,
}

#[derive(Subcommand, Debug)]
pub enum Cmd {
    /// Import files (joined-up bundles). Validates every file first; each file is one transaction.
    Import {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Import the valid rows of a file that has rejected rows (default: import nothing from it).
        #[arg(long)]
        valid_rows_only: bool,
        /// Read and check the files and print the report, but write nothing.
        #[arg(long)]
        dry_run: bool,
        /// Write every rejected row (file, location, field, reason) to this CSV file.
        #[arg(long, value_name = "FILE")]
        rejected_csv: Option<PathBuf>,
        /// Overwrite --rejected-csv if it exists.
        #[arg(long)]
        force: bool,
    },
    /// Print a person and their merged timeline.
    Show {
        #[command(flatten)]
        person: PersonArgs,
        /// Print JSON (a stable interface; see the README).
        #[arg(long)]
        json: bool,
    },
    /// Write a person's record as a joined-up bundle (the import format). Sensitive items are
    /// left out unless a reason is given.
    Export {
        #[command(flatten)]
        person: PersonArgs,
        /// The file to write (default: standard output); created private (0600), never
        /// through a symbolic link.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// Overwrite --out if it exists.
        #[arg(long)]
        force: bool,
        /// native: a joined-up bundle (everything); fhir: a FHIR R4 collection Bundle (what
        /// FHIR carries here; the rest is counted on stderr).
        #[arg(long, default_value = "native")]
        format: ExportFormat,
    },
    /// Print a person's record summary as an A4 PDF: their name, NHS number and date of
    /// birth on every page. Restricted items are left out unless a reason is given
    /// (audited).
    Print {
        #[command(flatten)]
        person: PersonArgs,
        /// The PDF file to write; created private (0600), never through a symbolic link.
        #[arg(long, value_name = "FILE.pdf")]
        out: PathBuf,
        /// Overwrite --out if it exists.
        #[arg(long)]
        force: bool,
    },
    /// Print the discharge readiness board and its summary.
    Board {
        /// The date the board is as of (default: today).
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = date)]
        as_of: Option<NaiveDate>,
        /// text (default), csv or json.
        #[arg(long, default_value = "text")]
        format: BoardFormat,
    },
    /// A person's care plans from both sectors, with review status and who does what.
    Plans {
        #[command(flatten)]
        person: PersonArgs,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// NHS Continuing Healthcare: evaluate the rules, or list the caseload.
    Chc {
        #[command(subcommand)]
        command: ChcCmd,
    },
    /// Write a synthetic population into a new database (test-range NHS numbers only).
    Generate {
        /// How many people (at most about 900,000: the NHS number test range).
        #[arg(long, default_value_t = 10_000)]
        people: usize,
        /// The same seed always gives the same population.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// The date the population is as of (default: today).
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = date)]
        as_of: Option<NaiveDate>,
        /// Write files into this folder instead of a database, in the --format given.
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// With --out: csv writes the CLD social care CSV and the hospital spells CSV; native writes
        /// joined-up bundles, one file per 5,000 people; fhir writes FHIR R4 bundles, one file per
        /// 1,000 people. `import` reads all three.
        #[arg(long, default_value = "csv", requires = "out")]
        format: GenerateFormat,
        /// With --out: overwrite files of an earlier run (files are never written through a
        /// symbolic link, and are private, 0600).
        #[arg(long, requires = "out")]
        force: bool,
    },
    /// A server's users, managed by the database's owner (--db postgres://OWNER@…): add, list,
    /// disable, set-role. Each user is a PostgreSQL login role; the server decides what they see.
    Users {
        #[command(subcommand)]
        command: UsersCmd,
    },
    /// A person's care team beyond what the sources say (the allocated worker's team, the ward,
    /// the CHC team): add, remove, list. On a server a care coordinator outside it opens the
    /// record only with a reason.
    CareTeam {
        #[command(subcommand)]
        command: super::sharing_args::CareTeamCmd,
    },
    /// A person's objection to sharing: record, withdraw, list (the information governance
    /// lead's). On a server, items from other organisations are then not shown.
    Objection {
        #[command(subcommand)]
        command: super::sharing_args::ObjectionCmd,
    },
    /// The server's rule for a care coordinator outside a person's care team (the owner's):
    /// `reason` (open with a reason, audited; the default), `block`, or `off`. Without a rule,
    /// shows the one in force.
    AccessRule {
        #[arg(value_name = "RULE")]
        rule: Option<String>,
    },
    /// Move a desktop database file onto this database (--db, usually a team's server): every
    /// person, item, plan, link and audit event, with provenance, in one transaction, or nothing.
    /// For the information governance lead (--role ig-lead).
    ImportDb {
        /// The desktop database file (its audit key, NAME.db.audit-key, beside it); opened to
        /// read only, never changed.
        path: PathBuf,
        /// text (default) or json.
        #[arg(long, default_value = "text")]
        format: SummaryFormat,
    },
    /// Returns made from the record: the daily discharge situation report, its weekly
    /// view, and the quarterly Adult Social Care CLD return.
    Returns {
        #[command(subcommand)]
        command: ReturnsCmd,
    },
    /// Audit log tools.
    Audit {
        #[command(subcommand)]
        command: AuditCmd,
    },
    /// Run a live feed: an MLLP server taking HL7 v2 messages from a patient administration
    /// system or integration engine, and/or watched folders taking dropped files. Each message
    /// is acknowledged after it is stored (MSA|AA; with an ERR warning when a value of the
    /// person's identity was left out), or with MSA|AE and an ERR segment (HL7 table 0357 code
    /// and location) when its content is invalid, MSA|AR when it cannot be read; the messages
    /// that arrive together share one durable
    /// commit. Each dropped file is imported as `import` does, then moved to DIR/done/ or
    /// DIR/rejected/ with its report. Stops on SIGTERM or Ctrl-C after the messages or file in
    /// hand, printing what it did.
    Listen {
        /// Where to listen for HL7 v2 over MLLP, HOST:PORT [default: 127.0.0.1:2575, unless
        /// only --watch is given].
        #[arg(long, value_name = "HOST:PORT")]
        mllp: Option<String>,
        /// The longest message taken, in bytes (a longer one is answered MSA|AR).
        #[arg(long, value_name = "BYTES", default_value_t = 1 << 20)]
        max_frame: usize,
        /// A folder to watch for dropped files (the formats `import` reads); more than one
        /// allowed.
        #[arg(long, value_name = "DIR")]
        watch: Vec<PathBuf>,
        /// How long a dropped file's size and time must stay the same before it is taken
        /// (a file renamed in from a .part or .tmp name is taken at once).
        #[arg(long, value_name = "SECONDS", default_value = "2", value_parser = seconds)]
        settle: std::time::Duration,
        /// The largest dropped file taken, in megabytes (MiB); a larger one is moved to
        /// DIR/rejected/ with a report saying so, without being read.
        #[arg(long, value_name = "MB", default_value_t = crate::feed::watch::MAX_FILE_MB)]
        max_file_mb: u64,
        /// Group commit: while messages keep arriving, how long a group waits for more
        /// before its one transaction commits (a lone message is stored at once).
        #[arg(long, value_name = "MS", default_value_t = 2)]
        group_ms: u64,
        /// Group commit: the most messages stored in one transaction.
        #[arg(long, value_name = "MESSAGES", default_value_t = 500)]
        group_max: usize,
    },
    /// Follow a person: add them to your caseload (or --user's).
    Follow(super::worklist_args::FollowArgs),
    /// Stop following a person.
    Unfollow(super::worklist_args::FollowArgs),
    /// Your caseload's events since you last looked, most urgent first, then newest; tasks
    /// due or overdue among them. Restricted events are placeholders.
    Worklist(super::worklist_args::WorklistArgs),
    /// Tasks: add, list, update, done.
    Tasks {
        #[command(subcommand)]
        command: super::worklist_args::TasksCmd,
    },
    /// Say who an account is in the sources (the allocated worker's name there) and its team:
    /// the people allocated to that name are on the account's caseload.
    Coordinator(super::worklist_args::CoordinatorArgs),
    /// Alerts: which new worklist events the window tells you of (add, list, remove).
    Alerts {
        #[command(subcommand)]
        command: super::alerts::AlertsCmd,
    },
}

/// Whose record, and the reason for seeing its restricted items if one is given.
#[derive(clap::Args, Debug)]
pub struct PersonArgs {
    /// NHS number, with or without spaces.
    #[arg(long, value_parser = nhs_number)]
    pub nhs: NhsNumber,
    /// Show restricted items, giving the reason: a few words (written to the audit log).
    #[arg(long, value_name = "REASON", value_parser = reason)]
    pub reason: Option<Reason>,
    /// On a server: open the record of someone outside your care team, giving the reason
    /// (audited as access without a recorded relationship).
    #[arg(long, value_name = "REASON", value_parser = reason)]
    pub access_reason: Option<Reason>,
    /// On a server: emergency access to everything, an objection to sharing overridden,
    /// giving the emergency (audited, and flagged for the information governance lead).
    #[arg(long, value_name = "REASON", value_parser = reason, conflicts_with = "reason")]
    pub emergency: Option<Reason>,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum BoardFormat {
    Text,
    Csv,
    Json,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportFormat {
    Native,
    Fhir,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum GenerateFormat {
    Csv,
    Native,
    Fhir,
}

#[derive(Subcommand, Debug)]
pub enum ChcCmd {
    /// Evaluate a Checklist: DOMAIN=A|B|C ... (domains left out count as C). No database needed.
    /// Exit 0 when a full assessment is required, 1 when not, 2 for invalid input, 3 "not yet
    /// assessed" when it would not be but domains were left out (named).
    Checklist { levels: Vec<String> },
    /// Evaluate a DST: DOMAIN=no|low|moderate|high|severe|priority ... (left out: no needs).
    /// No database needed. Exit 0 for a clear recommendation of eligibility, 1 otherwise, 2 for invalid
    /// input, 3 "not yet assessed" when it would not be but domains were left out (named).
    Dst { levels: Vec<String> },
    /// Everyone with an open CHC process, overdue first.
    Caseload {
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = date)]
        as_of: Option<NaiveDate>,
        #[arg(long, default_value = "text")]
        format: CaseloadFormat,
    },
    /// Record the ICB's decision on the person's DST or Fast Track awaiting one
    /// (audited). Refused when none awaits, or several do (name one with --assessed).
    Decide {
        #[command(flatten)]
        person: PersonArgs,
        #[arg(long)]
        decision: DecisionArg,
        /// The date of the ICB's decision: not before the assessment, not in the future.
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = date)]
        date: NaiveDate,
        /// Who at the ICB made the decision.
        #[arg(long, value_name = "NAME")]
        by: String,
        #[arg(long, value_name = "TEXT")]
        note: Option<String>,
        /// When several assessments await a decision: the date the one decided was completed.
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = date)]
        assessed: Option<NaiveDate>,
    },
}

/// The ICB's decision, as typed.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum DecisionArg {
    Eligible,
    NotEligible,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum CaseloadFormat {
    Text,
    Json,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum SummaryFormat {
    Text,
    Json,
}

#[derive(Subcommand, Debug)]
pub enum ReturnsCmd {
    /// The discharge situation report for one day, per hospital site (restricted people
    /// counted and masked), audited.
    Sitrep {
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = date)]
        date: NaiveDate,
        /// Only this hospital site (its name, without case).
        #[arg(long, value_name = "CODE")]
        hospital: Option<String>,
        /// text (default), csv or json (the shape the README documents).
        #[arg(long, default_value = "text")]
        format: BoardFormat,
    },
    /// The seven daily reports of the week ending on --date, with the week's sums.
    Weekly {
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = date)]
        date: NaiveDate,
        #[arg(long, value_name = "CODE")]
        hospital: Option<String>,
        /// text (default) or json.
        #[arg(long, default_value = "text")]
        format: CaseloadFormat,
    },
    /// The CLD return (release 1 columns) for a reporting period, written to a new private
    /// file; prints the validation report. Exit 0 when every row passes, 1 when some would fail.
    Cld {
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = date)]
        from: NaiveDate,
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = date)]
        to: NaiveDate,
        /// The CSV file to create (never overwritten; created 0600).
        #[arg(long, value_name = "FILE.csv")]
        out: PathBuf,
    },
}

fn server_role(s: &str) -> Result<crate::store::access::ServerRole, String> {
    crate::store::access::ServerRole::parse(s)
}

#[derive(Subcommand, Debug)]
pub enum UsersCmd {
    /// Add a user `--as` care-coordinator, trainer, tester, ig-lead, or loader (imports and feeds).
    Add {
        name: String,
        /// The user's role (`--as`, since `--role` is the acting user's own).
        #[arg(long = "as", id = "as_role", value_name = "ROLE", value_parser = server_role)]
        role: crate::store::access::ServerRole,
        #[arg(long)]
        team: Option<String>,
        #[arg(long)]
        organisation: Option<String>,
        /// Read the user's password from the first line of stdin (stored as SCRAM-SHA-256). Without
        /// it the user signs in only by another method the server allows (a client certificate).
        #[arg(long)]
        password_stdin: bool,
    },
    /// The users of this database, with role, team and organisation.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Stop a user signing in (their open sessions end at once).
    Disable { name: String },
    /// Give a user another role (a user has one joinedup role at a time).
    SetRole {
        name: String,
        #[arg(long = "as", id = "as_role", value_name = "ROLE", value_parser = server_role)]
        role: crate::store::access::ServerRole,
    },
}

#[derive(Subcommand, Debug)]
pub enum AuditCmd {
    /// Check the audit log's hash chain from the first event.
    Verify,
}

/// A number of seconds (fractions allowed), not negative.
fn seconds(s: &str) -> Result<std::time::Duration, String> {
    let n: f64 = s.parse().map_err(|_| format!("{s} is not a number of seconds"))?;
    std::time::Duration::try_from_secs_f64(n).map_err(|_| format!("{s} is not a number of seconds"))
}
