//! Files asked for: the native dialog (rfd) on a thread of its own so no frame
//! waits, or joinedup's own picker (`views::file_picker`) where no native dialog can
//! be shown.
//!
//! rfd says nothing when it cannot show a dialog: with no desktop portal and no
//! zenity it returns "nothing chosen", as a cancel does. So the window decides
//! before asking (`native_dialog_possible`: on Linux a session bus for the portal or
//! zenity on the PATH), and a native dialog that comes back empty sooner than a
//! person could cancel it (`NOT_SHOWN_WITHIN`) is taken as not shown: the built-in
//! picker opens instead, and is used from then on. While a native dialog is open for
//! an import the window offers "Browse in joinedup…" beside it, for a dialog that
//! never appeared.

use std::path::Path;
use std::time::{Duration, Instant};

use super::*;
use crate::ui::views::file_picker::{FilePicker, IMPORTABLE, PickerMode, PickerOutcome};

/// A native dialog that returns nothing sooner than this was never on screen.
const NOT_SHOWN_WITHIN: Duration = Duration::from_millis(400);

/// What the built-in picker was opened for.
pub(super) enum BrowseFor {
    Import,
    Save(SaveWhat),
}

/// What the native import dialog's thread reports.
pub(super) struct NativePick {
    pub files: Vec<PathBuf>,
    /// False when it came back empty at once: no dialog was shown.
    pub shown: bool,
}

/// Whether a native file dialog can be shown here. `JOINEDUP_FILE_DIALOG=builtin`
/// (or `native`) decides it outright.
pub(super) fn native_dialog_possible() -> bool {
    if let Some(choice) = std::env::var_os("JOINEDUP_FILE_DIALOG") {
        return choice != "builtin";
    }
    if cfg!(any(target_os = "windows", target_os = "macos")) {
        return true;
    }
    let bus = std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some_and(|a| !a.is_empty())
        || std::env::var_os("XDG_RUNTIME_DIR").is_some_and(|d| Path::new(&d).join("bus").exists());
    bus || on_path("zenity") || on_path("kdialog")
}

fn on_path(program: &str) -> bool {
    std::env::var_os("PATH").is_some_and(|paths| std::env::split_paths(&paths).any(|d| d.join(program).is_file()))
}

impl JoinedUpApp {
    /// Use joinedup's own file picker for imports and saves, as on a desktop where no
    /// native dialog can be shown (tests; `JOINEDUP_FILE_DIALOG=builtin` at start).
    pub fn use_built_in_file_picker(&mut self) {
        self.native_dialogs = false;
    }

    /// Files to import: the native dialog where one can be shown, else the built-in picker.
    pub(super) fn pick_files(&mut self) {
        if !self.native_dialogs {
            self.browse(
                BrowseFor::Import,
                PickerMode::Open {
                    extensions: IMPORTABLE.to_vec(),
                },
                "",
            );
            return;
        }
        let (tx, rx) = channel();
        let folder = self.state.last_folder.clone();
        let spawned = std::thread::Builder::new().name("file-dialog".into()).spawn(move || {
            let asked = Instant::now();
            let mut dialog = rfd::FileDialog::new()
                .set_title("Import files")
                .add_filter("Supported files", &IMPORTABLE)
                .add_filter("All files", &["*"]);
            if let Some(folder) = folder {
                dialog = dialog.set_directory(folder);
            }
            let files = dialog.pick_files().unwrap_or_default();
            let shown = !files.is_empty() || asked.elapsed() >= NOT_SHOWN_WITHIN;
            let _ = tx.send(NativePick { files, shown });
        });
        match spawned {
            Ok(_) => self.picker = Some(rx),
            Err(e) => self.message = Some(format!("The file dialog could not open: {e}")),
        }
    }

    /// The built-in picker for an import, whatever the native dialog is doing (its
    /// answer, if it comes, is ignored).
    pub(super) fn browse_to_import(&mut self) {
        self.picker = None;
        self.browse(
            BrowseFor::Import,
            PickerMode::Open {
                extensions: IMPORTABLE.to_vec(),
            },
            "",
        );
    }

    fn browse(&mut self, purpose: BrowseFor, mode: PickerMode, file_name: &str) {
        let picker = FilePicker::new(mode, self.state.last_folder.clone(), file_name);
        self.browser = Some((picker, purpose));
    }

    /// The native import dialog's answer: files to import, or (not shown) the built-in picker.
    pub(super) fn native_pick(&mut self, pick: NativePick) -> Vec<Command> {
        self.picker = None;
        if !pick.shown {
            self.native_dialogs = false;
            self.browse_to_import();
            return Vec::new();
        }
        if let Some(folder) = pick.files.first().and_then(|f| f.parent()) {
            self.state.last_folder = Some(folder.to_path_buf());
        }
        if pick.files.is_empty() {
            Vec::new()
        } else {
            vec![Command::ImportFiles(pick.files)]
        }
    }

    /// Ask where to save: the native dialog on a thread of its own so no frame waits,
    /// or the built-in picker. An output goes to the database thread once a file is
    /// chosen; text is written on a thread (privately).
    pub(super) fn save_in_background(&mut self, name: String, filter: &'static str, ext: &'static str, what: SaveWhat) {
        if !self.native_dialogs {
            self.browse(BrowseFor::Save(what), PickerMode::Save { extension: ext }, &name);
            return;
        }
        let (tx, rx) = channel();
        let (text, output) = match what {
            SaveWhat::Text(t) => (Some(t), None),
            SaveWhat::Output(o) => (None, Some(o)),
        };
        let folder = self.state.last_folder.clone();
        let spawned = std::thread::Builder::new().name("save-dialog".into()).spawn(move || {
            let asked = Instant::now();
            let mut dialog = rfd::FileDialog::new().set_file_name(&name).add_filter(filter, &[ext]);
            if let Some(folder) = folder {
                dialog = dialog.set_directory(folder);
            }
            let Some(path) = dialog.save_file() else {
                if asked.elapsed() < NOT_SHOWN_WITHIN {
                    let _ = tx.send(DialogOutcome::NotShown { text, name, ext });
                }
                return;
            };
            let outcome = match text {
                Some(t) => DialogOutcome::Written(write_text(&path, &t)),
                None => DialogOutcome::Chosen(path),
            };
            let _ = tx.send(outcome);
        });
        match spawned {
            Ok(_) => self.saver = Some((rx, output)),
            Err(e) => self.message = Some(format!("The save dialog could not open: {e}")),
        }
    }

    /// The native save dialog was not shown: the built-in picker asks instead.
    pub(super) fn save_not_shown(
        &mut self,
        text: Option<String>,
        output: Option<Box<OutputKind>>,
        name: &str,
        ext: &'static str,
    ) {
        self.native_dialogs = false;
        let what = match (text, output) {
            (Some(t), _) => SaveWhat::Text(t),
            (None, Some(o)) => SaveWhat::Output(o),
            (None, None) => return,
        };
        self.browse(BrowseFor::Save(what), PickerMode::Save { extension: ext }, name);
    }

    /// The built-in picker's window, and what is done with its choice.
    pub(super) fn browser_ui(&mut self, ctx: &egui::Context) -> Vec<Command> {
        let Some((picker, _)) = &mut self.browser else {
            return Vec::new();
        };
        let Some(outcome) = picker.ui(ctx) else {
            return Vec::new();
        };
        let folder = picker.folder().to_path_buf();
        let Some((_, purpose)) = self.browser.take() else {
            return Vec::new();
        };
        let PickerOutcome::Chosen(path) = outcome else {
            return Vec::new();
        };
        self.state.last_folder = Some(folder);
        ctx.request_repaint();
        match purpose {
            BrowseFor::Import => vec![Command::ImportFiles(vec![path])],
            BrowseFor::Save(SaveWhat::Output(what)) => {
                let view = self.view_context();
                // The picker confirmed a replacement; made and audited on the database thread.
                self.send(Request::Save {
                    what,
                    path,
                    today: view.today,
                    now: view.now,
                });
                Vec::new()
            }
            BrowseFor::Save(SaveWhat::Text(text)) => {
                let (tx, rx) = channel();
                let spawned = std::thread::Builder::new().name("save-file".into()).spawn(move || {
                    let _ = tx.send(DialogOutcome::Written(write_text(&path, &text)));
                });
                match spawned {
                    Ok(_) => self.saver = Some((rx, None)),
                    Err(e) => self.message = Some(format!("The file could not be saved: {e}")),
                }
                Vec::new()
            }
        }
    }

    /// While a native import dialog is open: the built-in picker, for a dialog that
    /// never appeared.
    pub(super) fn native_dialog_notice_ui(&self, ui: &mut egui::Ui) -> Vec<Command> {
        let mut commands = Vec::new();
        if self.picker.is_none() {
            return commands;
        }
        egui::Panel::bottom("native-dialog").show(ui, |ui| {
            ui.horizontal(|ui| {
                ui.label("A file dialog is open. If none appeared:");
                if ui.button("Browse in joinedup…").clicked() {
                    commands.push(Command::BrowseToImport);
                }
            });
        });
        commands
    }
}

/// Text written privately; the dialog (native or built-in) confirmed a replacement.
fn write_text(path: &Path, text: &str) -> Result<String, String> {
    crate::service::write_private(path, text, true)
        .map(|_| path.display().to_string())
        .map_err(|e| e.to_string())
}
