//! The egui application: an app shell, one file per screen under `views/`, and a
//! database thread (`db`) that owns the connection.
//!
//! Views draw from data they are given and return [`Command`]s; the app applies them,
//! usually by sending a request to the database thread.

mod app;
pub mod db;
pub mod folder_listing;
pub mod theme;
pub mod views;

use std::path::PathBuf;

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

pub use app::{AppConfig, JoinedUpApp, UiState};

use crate::domain::NhsNumber;

/// The screens of the shell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Screen {
    #[default]
    Search,
    /// A care coordinator's first screen: their caseload's events and due tasks.
    Worklist,
    Person,
    Board,
    Chc,
    Plans,
    Sources,
    Audit,
    /// The trainers' panel, in training mode only.
    Training,
}

impl Screen {
    pub const NAV: [Screen; 9] = [
        Screen::Worklist,
        Screen::Search,
        Screen::Person,
        Screen::Plans,
        Screen::Board,
        Screen::Chc,
        Screen::Sources,
        Screen::Audit,
        Screen::Training,
    ];
    pub fn label(self) -> &'static str {
        match self {
            Screen::Search => "Find a person",
            Screen::Worklist => "Worklist",
            Screen::Person => "Record",
            Screen::Board => "Discharge board",
            Screen::Chc => "CHC",
            Screen::Plans => "Care plans",
            Screen::Sources => "Sources and data quality",
            Screen::Audit => "Audit",
            Screen::Training => "Training stories",
        }
    }
}

/// What a view asks the app to do.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    Navigate(Screen),
    SearchName {
        text: String,
        dob: Option<NaiveDate>,
    },
    FindNhs(NhsNumber),
    OpenPerson(i64),
    PickFilesToImport,
    /// Choose a file to import in joinedup's own picker, not the native dialog.
    BrowseToImport,
    ImportFiles(Vec<PathBuf>),
    ApplyImport,
    /// Save the rejected rows of the files being reviewed as CSV.
    SaveRejections,
    DiscardImport,
    CancelImport,
    LoadTrainingData,
    RefreshBoard,
    /// Make the situation report for today, with trends of this many days.
    RefreshSitrep {
        trend_days: i64,
    },
    /// Show a tab of the board screen.
    BoardTab(crate::ui::views::board::BoardTab),
    /// Suggest people with an NHS number for a record without one.
    FindMatches(i64),
    /// Link a record to a person: asks for confirmation first.
    LinkPerson {
        from: i64,
        to: i64,
    },
    /// The user confirmed the link: the record's items move to the person (audited).
    ConfirmLink {
        from: i64,
        to: i64,
    },
    /// The user did not confirm the link.
    CancelLink,
    RejectMatch {
        person_id: i64,
        candidate_id: i64,
    },
    UndoLink(i64),
    /// Open a person on the CHC screen.
    OpenChc(i64),
    RecordChc {
        person_id: i64,
        assessment: Box<crate::domain::ChcAssessment>,
    },
    /// Record the ICB's decision on an assessment awaiting one.
    RecordChcDecision {
        person_id: i64,
        episode_id: i64,
        decision: crate::domain::chc::IcbDecision,
    },
    /// Save a plan's edit as its next version (`Service::revise_plan`).
    RevisePlan {
        person_id: i64,
        plan_id: i64,
        based_on: u32,
        draft: Box<crate::domain::care_plan_rules::PlanDraft>,
    },
    /// Preview a Checklist's or DST's summary as a PDF, to save it.
    PrintChc {
        person_id: i64,
        episode_id: i64,
    },
    ExportBoardCsv,
    /// A coordinator's changes to a hospital spell (delay reasons, pathway, next
    /// action), saved together.
    ChangeSpell {
        person_id: i64,
        episode_id: i64,
        /// The stored revision the edit was made on.
        revision: i64,
        changes: Vec<crate::store::SpellChange>,
    },
    /// Show the restricted items of the open record after the user gave a reason
    /// (audited as break-glass); lasts until the record is closed.
    RevealRecord {
        person_id: i64,
        reason: String,
        kind: crate::service::RevealKind,
    },
    /// Close the open record (and forget any reveal on it).
    CloseRecord,
    /// Save the open record as a joined-up or FHIR bundle (restricted items only if revealed).
    ExportRecord {
        person_id: i64,
        format: crate::import::export::ExportFormat,
    },
    /// Preview the open record's summary as a PDF, to save it (restricted items only
    /// if revealed).
    PrintRecord(i64),
    /// From the print preview: choose where to save the PDF (made and audited then).
    SavePrint,
    /// From the print preview: close it, nothing saved.
    CancelPrint,
    /// A change from the worklist screen (seen, acknowledged, a task).
    Worklist(crate::ui::db::WorklistAction),
    /// Open a person's record at an item (from the worklist or an alert).
    OpenAt {
        person_id: i64,
        target: crate::domain::worklist::Target,
    },
    /// Follow or stop following the open record's person.
    Follow {
        person_id: i64,
        follow: bool,
    },
    /// The user read the alerts: the notification closes and the badge clears.
    DismissAlerts,
    /// Use the light or the dark theme (kept with the window's state).
    SetTheme(theme::ThemeChoice),
    /// From the audit screen: read a date range, verify the log, export CSV.
    Audit(crate::ui::views::audit::AuditCommand),
    /// Rebuild the training database from the fixtures (training mode only; the
    /// user confirmed it).
    ResetTraining,
}

/// Facts every view may read: the date, the time, and the mode.
#[derive(Debug, Clone, Copy)]
pub struct ViewContext {
    pub today: NaiveDate,
    pub now: NaiveDateTime,
    pub is_training: bool,
}

/// Open the window. Blocks until it closes.
pub fn run(config: AppConfig) -> anyhow::Result<()> {
    let icon = load_icon();
    let mut viewport = egui::ViewportBuilder::default()
        .with_title("Joined-Up Care Record")
        .with_inner_size([1280.0, 820.0])
        .with_min_inner_size([800.0, 500.0])
        .with_drag_and_drop(true);
    if let Some(icon) = icon {
        viewport = viewport.with_icon(icon);
    }
    let options = eframe::NativeOptions {
        viewport,
        ..Default::default()
    };
    let app_name = if config.is_training {
        "joinedup-training"
    } else {
        "joinedup"
    };
    eframe::run_native(
        app_name,
        options,
        Box::new(move |cc| Ok(Box::new(JoinedUpApp::new(cc, config)))),
    )
    .map_err(|e| anyhow::anyhow!("could not open the window: {e}"))
}

/// The window icon, from `assets/icon.png`, decoded with `image`.
fn load_icon() -> Option<egui::IconData> {
    let bytes = include_bytes!("../../assets/icon.png");
    let image = image::load_from_memory(bytes).ok()?.into_rgba8();
    let (width, height) = image.dimensions();
    Some(egui::IconData {
        rgba: image.into_raw(),
        width,
        height,
    })
}
