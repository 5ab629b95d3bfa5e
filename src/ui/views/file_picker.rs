//! joinedup's own file picker, for when no native file dialog can be shown (no
//! desktop portal, zenity or kdialog: a bare X server, a locked-down desktop): a
//! folder's folders and files (`ui::folder_listing`), up a level, a path typed,
//! only the files that fit shown. Every control has a label and the keyboard
//! reaches each: Tab or the arrow keys move along the list (the row in focus is the
//! one selected), Enter opens a folder or chooses the selected file, Backspace goes
//! up, Escape cancels. To save, a file name box; an existing file is replaced only
//! once the user confirms.

use std::path::{Path, PathBuf};

use egui::RichText;

use crate::ui::folder_listing::{self, Entry, size_text};
use crate::ui::theme;

/// What the picker is for.
#[derive(Debug, Clone, PartialEq)]
pub enum PickerMode {
    /// Choose a file to read, of these extensions (the filter, on at first).
    Open { extensions: Vec<&'static str> },
    /// Name a file to write, of this extension.
    Save { extension: &'static str },
}

/// What the user chose.
#[derive(Debug, Clone, PartialEq)]
pub enum PickerOutcome {
    /// A file to read, or a file to write (its replacement confirmed if it exists).
    Chosen(PathBuf),
    Cancelled,
}

pub struct FilePicker {
    mode: PickerMode,
    folder: PathBuf,
    listing: Result<Vec<Entry>, String>,
    selected: Option<usize>,
    /// The path box: the folder shown, or what the user typed.
    path_text: String,
    /// Show only the files of the mode's extensions.
    only_fitting: bool,
    /// Save: the file's name.
    file_name: String,
    /// Save: an existing file the user is asked about before it is replaced.
    confirm_replace: Option<PathBuf>,
    problem: Option<String>,
    /// Put the keyboard on the list (or the name box) on the next frame.
    focus_pending: bool,
}

/// The extensions the importers read.
pub const IMPORTABLE: [&str; 4] = ["json", "csv", "txt", "hl7"];

impl FilePicker {
    /// A picker opened at `folder` (the last one used, else the user's home).
    pub fn new(mode: PickerMode, folder: Option<PathBuf>, file_name: &str) -> Self {
        let mut picker = Self {
            mode,
            folder: PathBuf::new(),
            listing: Ok(Vec::new()),
            selected: None,
            path_text: String::new(),
            only_fitting: true,
            file_name: file_name.to_owned(),
            confirm_replace: None,
            problem: None,
            focus_pending: true,
        };
        let start = folder
            .filter(|f| f.is_dir())
            .unwrap_or_else(folder_listing::home_folder);
        picker.open_folder(start);
        picker
    }

    /// The folder shown: the one to keep for next time.
    pub fn folder(&self) -> &Path {
        &self.folder
    }

    fn open_folder(&mut self, folder: PathBuf) {
        let folder = std::fs::canonicalize(&folder).unwrap_or(folder);
        self.listing = folder_listing::list(&folder).map_err(|e| format!("{} cannot be read: {e}", folder.display()));
        self.path_text = folder.display().to_string();
        self.folder = folder;
        self.selected = None;
        self.problem = None;
        self.focus_pending = true;
    }

    fn go_up(&mut self) {
        if let Some(parent) = self.folder.parent().map(Path::to_path_buf) {
            self.open_folder(parent);
        }
    }

    fn extensions(&self) -> Vec<&'static str> {
        match &self.mode {
            PickerMode::Open { extensions } => extensions.clone(),
            PickerMode::Save { extension } => vec![extension],
        }
    }

    /// The entries shown, with their index in the listing.
    fn shown(&self) -> Vec<(usize, &Entry)> {
        let extensions = self.extensions();
        match &self.listing {
            Ok(entries) => entries
                .iter()
                .enumerate()
                .filter(|(_, e)| !self.only_fitting || e.matches(&extensions))
                .collect(),
            Err(_) => Vec::new(),
        }
    }

    fn title(&self) -> &'static str {
        match self.mode {
            PickerMode::Open { .. } => "Choose a file to import",
            PickerMode::Save { .. } => "Save as",
        }
    }

    /// The picker's window; `Some` once the user chose or cancelled.
    #[must_use]
    pub fn ui(&mut self, ctx: &egui::Context) -> Option<PickerOutcome> {
        let mut outcome = None;
        egui::Window::new(self.title())
            .collapsible(false)
            .resizable(true)
            .default_width(560.0)
            .show(ctx, |ui| {
                outcome = match self.confirm_replace.clone() {
                    Some(path) => self.confirm_ui(ui, &path),
                    None => self.browse_ui(ui),
                };
            });
        outcome
    }

    fn browse_ui(&mut self, ui: &mut egui::Ui) -> Option<PickerOutcome> {
        let mut outcome = None;
        let typing = ui.ctx().text_edit_focused();
        if ui.input(|i| i.key_pressed(egui::Key::Escape)) {
            return Some(PickerOutcome::Cancelled);
        }
        if !typing && ui.input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::Backspace)) {
            self.go_up();
        }
        self.path_row_ui(ui, &mut outcome);
        let extensions = self
            .extensions()
            .iter()
            .map(|e| format!(".{e}"))
            .collect::<Vec<_>>()
            .join(", ");
        ui.checkbox(&mut self.only_fitting, format!("Show only {extensions} files"));
        if let Some(p) = &self.problem {
            ui.label(RichText::new(p).color(theme::of(ui).danger));
        }
        if let Err(e) = &self.listing {
            ui.label(RichText::new(e).color(theme::of(ui).danger));
        }
        if let Some((index, was_selected)) = self.list_ui(ui) {
            outcome = outcome.or(self.activate(index, was_selected));
        }
        if let PickerMode::Save { .. } = self.mode
            && outcome.is_none()
        {
            outcome = self.file_name_ui(ui);
        }
        ui.separator();
        ui.horizontal(|ui| {
            let (verb, enabled) = match self.mode {
                PickerMode::Open { .. } => ("Open", self.selected_file().is_some()),
                PickerMode::Save { .. } => ("Save", !self.file_name.trim().is_empty()),
            };
            if ui.add_enabled(enabled, egui::Button::new(verb)).clicked() {
                outcome = match self.mode {
                    PickerMode::Open { .. } => self.selected_file().map(PickerOutcome::Chosen),
                    PickerMode::Save { .. } => self.save_here(),
                };
            }
            if ui.button("Cancel").clicked() {
                outcome = Some(PickerOutcome::Cancelled);
            }
        });
        outcome
    }

    /// Save: the file's name (Enter saves).
    fn file_name_ui(&mut self, ui: &mut egui::Ui) -> Option<PickerOutcome> {
        ui.horizontal(|ui| {
            let label = ui.label("File name");
            let name = ui
                .add(egui::TextEdit::singleline(&mut self.file_name).desired_width(320.0))
                .labelled_by(label.id);
            if self.focus_pending && self.selected.is_none() {
                name.request_focus();
                self.focus_pending = false;
            }
            if name.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
                self.save_here()
            } else {
                None
            }
        })
        .inner
    }

    /// Up, home, and the path box (Enter goes to a folder typed, or chooses a file).
    fn path_row_ui(&mut self, ui: &mut egui::Ui, outcome: &mut Option<PickerOutcome>) {
        ui.horizontal(|ui| {
            let up = ui.add_enabled(self.folder.parent().is_some(), egui::Button::new("Up"));
            if up.on_hover_text("The folder above (Backspace)").clicked() {
                self.go_up();
            }
            if ui.button("Home").on_hover_text("Your home folder").clicked() {
                self.open_folder(folder_listing::home_folder());
            }
            let label = ui.label("Folder or file path");
            let path = ui
                .add(egui::TextEdit::singleline(&mut self.path_text).desired_width(f32::INFINITY))
                .labelled_by(label.id);
            if path.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
                *outcome = self.typed_path();
            }
        });
    }

    /// The list of the folder, only its visible rows laid out. Returns the row
    /// clicked (or Enter pressed on) and whether it was selected before this frame.
    fn list_ui(&mut self, ui: &mut egui::Ui) -> Option<(usize, bool)> {
        let shown: Vec<(usize, Entry)> = self.shown().into_iter().map(|(i, e)| (i, e.clone())).collect();
        let before = self.selected;
        let mut activated = None;
        let row_height = ui.spacing().interact_size.y + ui.spacing().item_spacing.y;
        egui::ScrollArea::vertical()
            .id_salt("file-picker-list")
            .max_height(300.0)
            .auto_shrink([false, true])
            .show_rows(ui, row_height, shown.len(), |ui, range| {
                for (index, entry) in &shown[range] {
                    let selected = self.selected == Some(*index);
                    let row = ui
                        .horizontal(|ui| {
                            let row = ui.add(egui::Button::selectable(selected, entry.label()));
                            if let Some(size) = entry.size {
                                ui.label(RichText::new(size_text(size)).weak());
                            }
                            row
                        })
                        .inner;
                    if self.focus_pending && self.mode_focuses_list() && (self.selected.is_none() || selected) {
                        row.request_focus();
                        self.selected = Some(*index);
                        self.focus_pending = false;
                    }
                    if row.has_focus() && self.selected != Some(*index) {
                        self.selected = Some(*index);
                        row.scroll_to_me(None);
                    }
                    if row.clicked() {
                        activated = Some((*index, before == Some(*index)));
                    }
                }
            });
        if shown.is_empty() {
            ui.label(RichText::new("Nothing here to choose.").weak());
        }
        activated
    }

    /// Opening puts the keyboard on the list; saving on the name box.
    fn mode_focuses_list(&self) -> bool {
        matches!(self.mode, PickerMode::Open { .. })
    }

    /// A row clicked: a folder opens; a file is selected, and chosen when it was
    /// selected already (a second click, a double click, Enter on it).
    fn activate(&mut self, index: usize, was_selected: bool) -> Option<PickerOutcome> {
        let entry = self.listing.as_ref().ok()?.get(index)?.clone();
        let path = self.folder.join(&entry.name);
        if entry.is_folder {
            self.open_folder(path);
            return None;
        }
        self.selected = Some(index);
        match self.mode {
            PickerMode::Open { .. } => was_selected.then_some(PickerOutcome::Chosen(path)),
            PickerMode::Save { .. } => {
                self.file_name = entry.name;
                None
            }
        }
    }

    fn selected_file(&self) -> Option<PathBuf> {
        let entry = self.listing.as_ref().ok()?.get(self.selected?)?;
        (!entry.is_folder).then(|| self.folder.join(&entry.name))
    }

    /// The path box's Enter: a folder opens, a file is chosen (or, to save, named).
    fn typed_path(&mut self) -> Option<PickerOutcome> {
        let typed = PathBuf::from(self.path_text.trim());
        let typed = if typed.is_relative() {
            self.folder.join(typed)
        } else {
            typed
        };
        if typed.is_dir() {
            self.open_folder(typed);
            return None;
        }
        match self.mode {
            PickerMode::Open { .. } if typed.is_file() => Some(PickerOutcome::Chosen(typed)),
            PickerMode::Open { .. } => {
                self.problem = Some(format!("There is no file or folder {}.", typed.display()));
                None
            }
            PickerMode::Save { .. } => {
                let (Some(parent), Some(name)) = (typed.parent(), typed.file_name()) else {
                    return None;
                };
                if !parent.is_dir() {
                    self.problem = Some(format!("There is no folder {}.", parent.display()));
                    return None;
                }
                self.file_name = name.to_string_lossy().into_owned();
                self.open_folder(parent.to_path_buf());
                self.save_here()
            }
        }
    }

    /// Save: the named file in the folder shown, once a replacement is confirmed.
    fn save_here(&mut self) -> Option<PickerOutcome> {
        let name = self.file_name.trim();
        if name.is_empty() || name.contains(['/', '\\']) {
            self.problem = Some("Type a file name (without a folder).".into());
            return None;
        }
        let path = self.folder.join(name);
        if path.is_dir() {
            self.open_folder(path);
            return None;
        }
        if path.exists() {
            self.confirm_replace = Some(path);
            self.focus_pending = true;
            return None;
        }
        Some(PickerOutcome::Chosen(path))
    }

    fn confirm_ui(&mut self, ui: &mut egui::Ui, path: &Path) -> Option<PickerOutcome> {
        let mut outcome = None;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        ui.label(format!("{name} already exists in {}.", self.folder.display()));
        ui.label("Replace it? What it holds now is lost.");
        ui.horizontal(|ui| {
            if ui.button("Replace").clicked() {
                outcome = Some(PickerOutcome::Chosen(path.to_path_buf()));
            }
            let keep = ui.button("Keep it");
            if self.focus_pending {
                keep.request_focus();
                self.focus_pending = false;
            }
            if keep.clicked() || ui.input(|i| i.key_pressed(egui::Key::Escape)) {
                self.confirm_replace = None;
                self.focus_pending = true;
            }
        });
        outcome
    }
}
