//! joinedup's own file picker under egui_kittest (issue 17 item 10), for where no
//! native dialog can be shown: it lists a folder, goes into a folder and up again,
//! shows only the files that fit until told otherwise, takes a typed path, is driven
//! from the keyboard, chooses a file; to save, it names a file and replaces an
//! existing one only once confirmed.

use std::path::{Path, PathBuf};

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use joinedup::ui::views::file_picker::{FilePicker, IMPORTABLE, PickerMode, PickerOutcome};

type State = (FilePicker, Option<PickerOutcome>);

fn harness(mode: PickerMode, folder: &Path, name: &str) -> Harness<'static, State> {
    let picker = FilePicker::new(mode, Some(folder.to_path_buf()), name);
    let mut h = Harness::builder().with_size(egui::vec2(900.0, 700.0)).build_ui_state(
        |ui, state: &mut State| {
            if let Some(o) = state.0.ui(ui.ctx()) {
                state.1 = Some(o);
            }
        },
        (picker, None),
    );
    h.run_steps(3);
    h
}

/// A folder of files to import: a sub-folder, two importable files, one other.
fn folder() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("exports")).unwrap();
    std::fs::write(dir.path().join("exports/spells.csv"), "a,b\n").unwrap();
    std::fs::write(dir.path().join("people.json"), "{}").unwrap();
    std::fs::write(dir.path().join("adt.hl7"), "MSH|").unwrap();
    std::fs::write(dir.path().join("letter.docx"), "x").unwrap();
    dir
}

fn open_mode() -> PickerMode {
    PickerMode::Open {
        extensions: IMPORTABLE.to_vec(),
    }
}

fn canonical(p: PathBuf) -> PathBuf {
    std::fs::canonicalize(p).unwrap()
}

#[test]
fn lists_filters_goes_in_and_up_and_chooses_a_file() {
    let dir = folder();
    let mut h = harness(open_mode(), dir.path(), "");
    h.get_by_label("exports/");
    h.get_by_label("people.json");
    h.get_by_label("adt.hl7");
    assert!(
        h.query_by_label("letter.docx").is_none(),
        "only importable files at first"
    );
    h.get_by_label("Show only .json, .csv, .txt, .hl7 files").click();
    h.run_steps(2);
    h.get_by_label("letter.docx");

    // Into a folder and up again.
    h.get_by_label("exports/").click();
    h.run_steps(2);
    h.get_by_label("spells.csv");
    assert!(h.query_by_label("people.json").is_none());
    h.get_by_label("Up").click();
    h.run_steps(2);
    assert_eq!(h.state().0.folder(), canonical(dir.path().to_path_buf()));

    // A click selects a file, a second chooses it.
    h.get_by_label("people.json").click();
    h.run_steps(2);
    assert_eq!(h.state().1, None, "one click only selects");
    h.get_by_label("people.json").click();
    h.run_steps(2);
    assert_eq!(
        h.state().1,
        Some(PickerOutcome::Chosen(canonical(dir.path().join("people.json"))))
    );
}

#[test]
fn the_keyboard_reaches_the_list_and_enter_opens() {
    let dir = folder();
    let mut h = harness(open_mode(), dir.path(), "");
    // The first row has the keyboard when the picker opens.
    assert!(h.get_by_label("exports/").is_focused());
    h.key_press(egui::Key::Enter);
    h.run_steps(3);
    h.get_by_label("spells.csv");
    // Backspace goes up; the list has the keyboard again.
    h.key_press(egui::Key::Backspace);
    h.run_steps(3);
    h.get_by_label("people.json");
    assert!(h.get_by_label("exports/").is_focused());
    // Down moves along the list (adt.hl7, then people.json); Enter chooses.
    h.key_press(egui::Key::ArrowDown);
    h.run_steps(2);
    assert!(h.get_by_label("adt.hl7").is_focused());
    h.key_press(egui::Key::ArrowDown);
    h.run_steps(2);
    assert!(h.get_by_label("people.json").is_focused());
    h.key_press(egui::Key::Enter);
    h.run_steps(2);
    assert_eq!(
        h.state().1,
        Some(PickerOutcome::Chosen(canonical(dir.path().join("people.json"))))
    );
}

#[test]
fn a_typed_path_opens_a_folder_or_chooses_a_file_and_escape_cancels() {
    let dir = folder();
    let mut h = harness(open_mode(), dir.path(), "");
    let typed = dir.path().join("exports");
    let path = h.get_by_label("Folder or file path");
    path.focus();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.get_by_label("Folder or file path")
        .type_text(&typed.join("spells.csv").display().to_string());
    h.key_press(egui::Key::Enter);
    h.run_steps(2);
    assert_eq!(
        h.state().1,
        Some(PickerOutcome::Chosen(typed.join("spells.csv"))),
        "a file typed is chosen"
    );

    let mut h = harness(open_mode(), dir.path(), "");
    h.key_press(egui::Key::Escape);
    h.run_steps(2);
    assert_eq!(h.state().1, Some(PickerOutcome::Cancelled));
}

#[test]
fn saving_names_a_file_and_replaces_one_only_when_confirmed() {
    let dir = folder();
    let mode = PickerMode::Save { extension: "json" };
    let mut h = harness(mode.clone(), dir.path(), "people.json");
    // The name box has the keyboard, with the suggested name.
    assert!(h.get_by_label("File name").is_focused());
    h.get_by_label("Save").click();
    h.run_steps(2);
    assert_eq!(h.state().1, None, "an existing file is not replaced without asking");
    h.get_by_label_contains("people.json already exists");
    h.get_by_label("Keep it").click();
    h.run_steps(2);
    assert_eq!(h.state().1, None);
    h.get_by_label("Save").click();
    h.run_steps(2);
    h.get_by_label("Replace").click();
    h.run_steps(2);
    assert_eq!(
        h.state().1,
        Some(PickerOutcome::Chosen(
            canonical(dir.path().to_path_buf()).join("people.json")
        ))
    );

    // A new name is chosen at once.
    let mut h = harness(mode, dir.path(), "people.json");
    h.get_by_label("File name").focus();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.get_by_label("File name").type_text("record-9990000018.json");
    h.key_press(egui::Key::Enter);
    h.run_steps(2);
    assert_eq!(
        h.state().1,
        Some(PickerOutcome::Chosen(
            canonical(dir.path().to_path_buf()).join("record-9990000018.json")
        ))
    );
}
