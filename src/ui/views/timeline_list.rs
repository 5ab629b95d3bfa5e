//! Below the lanes: the findings, then every item in one table (`egui_extras`,
//! resizable columns, only the visible rows laid out): newest first unless the
//! user turns it round, opened at the item nearest today, and moved through with
//! the keyboard. Each row shows what the service disclosed: a restricted item's
//! row is its lane and dates, nothing of its kind, title, status, organisation or
//! source.

use egui::{Align, Key, Modifiers, RichText, Sense};
use egui_extras::{Column, TableBuilder};

use super::person::PersonView;
use super::timeline::ts;
use crate::domain::Episode;
use crate::domain::code_words::{end_words, status_words};
use crate::domain::dates::{fmt_date, fmt_date_time};
use crate::domain::timeline::nearest_to;
use crate::ui::db::LoadedPerson;
use crate::ui::{ViewContext, theme};

/// What a restricted row says in place of its title.
pub const RESTRICTED_ROW: &str = "Restricted item: give a reason to view";

/// The list's own state in the person view.
#[derive(Debug, Default)]
pub struct ListState {
    /// Oldest first when the user chose it; newest first by default (kept between
    /// runs in the window's saved state).
    pub oldest_first: bool,
    /// Bring this row (its place in the list as shown) into view on the next frame.
    scroll_to: Option<usize>,
    /// How many rows the list showed last frame: what Page Up and Page Down move by.
    page_rows: usize,
    /// The person whose list has been opened at today.
    opened_for: Option<i64>,
}

pub fn findings_ui(view: &mut PersonView, ui: &mut egui::Ui, loaded: &LoadedPerson) {
    let title = if loaded.is_sealed() {
        "Cross-sector findings".to_owned()
    } else {
        format!("Cross-sector findings ({})", loaded.findings.len())
    };
    egui::CollapsingHeader::new(RichText::new(title).strong())
        .id_salt("findings")
        .default_open(true)
        .show(ui, |ui| {
            if loaded.is_sealed() {
                ui.label(
                    RichText::new("Hidden: this is a restricted record. Give a reason to see it.")
                        .color(theme::of(ui).restricted),
                );
                return;
            }
            if loaded.findings.is_empty() {
                ui.label("None: nothing in the merged record needs attention.");
            }
            for f in &loaded.findings {
                let color = if f.kind.is_warning() {
                    theme::of(ui).caution
                } else {
                    theme::of(ui).info
                };
                ui.horizontal_wrapped(|ui| {
                    ui.label(RichText::new(f.kind.label()).color(color).strong());
                    ui.label(fmt_date(f.date));
                    let reason = ui.add(egui::Label::new(&f.reason).sense(Sense::click()));
                    if reason.on_hover_text("Select the items this finding is about").clicked() {
                        view.select_finding(f, &loaded.record.episodes);
                    }
                });
            }
        });
}

/// A keyboard move of the selection through the list as shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Move {
    Up,
    Down,
    PageUp,
    PageDown,
    Home,
    End,
}

impl Move {
    const KEYS: [(Key, Move); 6] = [
        (Key::ArrowUp, Move::Up),
        (Key::ArrowDown, Move::Down),
        (Key::PageUp, Move::PageUp),
        (Key::PageDown, Move::PageDown),
        (Key::Home, Move::Home),
        (Key::End, Move::End),
    ];

    /// The row this move reaches from `from` (none selected: from `start`), in a
    /// list of `len` rows with `page` rows on screen.
    fn target(self, from: Option<usize>, start: usize, len: usize, page: usize) -> usize {
        let last = len.saturating_sub(1);
        let Some(at) = from else {
            return match self {
                Move::Home => 0,
                Move::End => last,
                _ => start.min(last),
            };
        };
        match self {
            Move::Up => at.saturating_sub(1),
            Move::Down => (at + 1).min(last),
            Move::PageUp => at.saturating_sub(page.max(1)),
            Move::PageDown => (at + page.max(1)).min(last),
            Move::Home => 0,
            Move::End => last,
        }
    }
}

/// The list's rows in the order shown: indices into the record's items.
fn shown_rows(view: &PersonView) -> Vec<usize> {
    let rows = view.list_rows();
    if view.list.oldest_first {
        rows.to_vec()
    } else {
        rows.iter().rev().copied().collect()
    }
}

pub fn list_ui(view: &mut PersonView, ui: &mut egui::Ui, ctx: &ViewContext, loaded: &LoadedPerson) {
    let episodes = &loaded.record.episodes;
    let mut shown = shown_rows(view);
    if heading_ui(view, ui, shown.len(), episodes.len()) {
        shown.reverse();
        view.scroll_to_selected = true;
    }
    let at_today = nearest_to(episodes, &shown, ctx.now).unwrap_or(0);
    let position = |view: &PersonView| view.selected.and_then(|s| shown.iter().position(|r| *r == s));
    if view.list.opened_for != Some(loaded.record.person.id) {
        view.list.opened_for = Some(loaded.record.person.id);
        view.list.scroll_to = Some(at_today);
    }
    if std::mem::take(&mut view.scroll_to_selected) {
        view.list.scroll_to = position(view).or(Some(at_today));
    }
    if shown.is_empty() {
        empty_ui(view, ui, episodes.len());
        return;
    }
    keys_ui(view, ui, loaded, &shown, position(view), at_today);
    table_ui(view, ui, loaded, &shown);
}

/// The count, the order toggle and the keys. True when the order was turned round.
fn heading_ui(view: &mut PersonView, ui: &mut egui::Ui, shown: usize, all: usize) -> bool {
    let before = view.list.oldest_first;
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new(format!("{shown} of {all} items")).strong());
        ui.selectable_value(&mut view.list.oldest_first, false, "Newest first");
        ui.selectable_value(&mut view.list.oldest_first, true, "Oldest first");
        ui.label(
            RichText::new(
                "Up, Down, Page Up, Page Down, Home and End move the selection; Enter shows it on the timeline",
            )
            .weak(),
        );
    });
    before != view.list.oldest_first
}

/// When the filters (or the period shown) leave nothing, say so and why.
fn empty_ui(view: &PersonView, ui: &mut egui::Ui, all: usize) {
    let why = if all == 0 {
        "No items in this record."
    } else if view.list_follows_axis && (0..all).any(|i| view.passes_filter(i)) {
        "Nothing in the period shown: zoom out, choose a longer period, or untick \"List only the shown period\"."
    } else {
        "Nothing matches the filters: choose more sectors or kinds, all sources, or clear the organisation."
    };
    ui.add_space(8.0);
    ui.label(RichText::new(why).strong());
}

/// Up, Down, Page Up, Page Down, Home and End move the selection; Enter shows the
/// selected item on the timeline (and, for a restricted one, puts the cursor in the
/// reason box of the detail pane). Not while a box or another control has the keyboard.
fn keys_ui(
    view: &mut PersonView,
    ui: &mut egui::Ui,
    loaded: &LoadedPerson,
    shown: &[usize],
    at: Option<usize>,
    start: usize,
) {
    if ui.ctx().text_edit_focused() || ui.memory(|m| m.focused().is_some()) {
        return;
    }
    let pressed = ui.input_mut(|i| {
        Move::KEYS
            .into_iter()
            .find(|(key, _)| i.consume_key(Modifiers::NONE, *key))
            .map(|(_, m)| m)
    });
    if let Some(m) = pressed {
        let to = m.target(at, start, shown.len(), view.list.page_rows);
        view.selected = Some(shown[to]);
        view.list.scroll_to = Some(to);
    }
    if ui.input_mut(|i| i.consume_key(Modifiers::NONE, Key::Enter))
        && let Some(e) = view.selected.and_then(|i| loaded.record.episodes.get(i))
    {
        view.window.show(ts(e.start));
        view.focus_reason = loaded.is_hidden(e);
    }
}

fn table_ui(view: &mut PersonView, ui: &mut egui::Ui, loaded: &LoadedPerson, shown: &[usize]) {
    let row_height = ui.text_style_height(&egui::TextStyle::Body) + 6.0;
    // Every column starts inside the width there is (each then resizable): the
    // title widest, the date wide enough for a date and time.
    let width = ui.available_width();
    let mut table = TableBuilder::new(ui)
        .id_salt("episode-table")
        .striped(true)
        .resizable(true)
        .sense(Sense::CLICK)
        .auto_shrink([false, false])
        .min_scrolled_height(0.0)
        .cell_layout(egui::Layout::left_to_right(Align::Center));
    for share in [0.155, 0.13, 0.135, 0.24, 0.13, 0.105] {
        table = table.column(Column::initial((width * share).max(60.0)).at_least(50.0).clip(true));
    }
    table = table.column(Column::remainder().at_least(50.0).clip(true));
    if let Some(pos) = view.list.scroll_to.take() {
        table = table.scroll_to_row(pos, Some(Align::Center));
    }
    let mut clicked = None;
    let out = table
        .header(row_height, |mut header| {
            for name in ["Date", "End", "Kind", "Title", "Status", "Organisation", "Source"] {
                header.col(|ui| {
                    ui.strong(name);
                });
            }
        })
        .body(|body| {
            body.rows(row_height, shown.len(), |mut row| {
                let i = shown[row.index()];
                row.set_selected(view.selected == Some(i));
                if row_ui(&mut row, cells_of(&loaded.record.episodes[i], loaded)) || row.response().clicked() {
                    clicked = Some(i);
                }
            });
        });
    let spacing = ui.spacing().item_spacing.y;
    view.list.page_rows = ((out.inner_rect.height() / (row_height + spacing)).floor() as usize).max(1);
    if let Some(i) = clicked {
        view.selected = Some(i);
    }
}

/// One row's cells as they may be shown, with its colour.
struct Cells {
    colour: CellColour,
    texts: [String; 7],
}

#[derive(Clone, Copy)]
enum CellColour {
    Sector(crate::domain::Sector),
    Restricted,
}

/// What a row shows: everything of a disclosed item (codes in words, a suspended
/// package "suspended"); of a placeholder only its lane and dates.
fn cells_of(e: &Episode, loaded: &LoadedPerson) -> Cells {
    let start = fmt_date_time(e.start);
    if loaded.is_hidden(e) {
        let end = e
            .end
            .filter(|end| *end > e.start)
            .map(fmt_date_time)
            .unwrap_or_default();
        return Cells {
            colour: CellColour::Restricted,
            texts: [
                start,
                end,
                e.kind.lane().label().to_owned(),
                RESTRICTED_ROW.to_owned(),
                String::new(),
                String::new(),
                String::new(),
            ],
        };
    }
    let spell = loaded.record.spells.iter().find(|s| s.episode_id == e.id);
    Cells {
        colour: CellColour::Sector(e.sector()),
        texts: [
            start,
            end_words(e),
            e.kind.label().to_owned(),
            e.title.clone(),
            status_words(e, spell),
            e.organisation.clone().unwrap_or_default(),
            e.provenance.source.clone(),
        ],
    }
}

/// Draw a row's cells; true when one was clicked. A cell cut short shows its whole
/// text on hover; the first carries the sector's colour (or the restricted one).
fn row_ui(row: &mut egui_extras::TableRow<'_, '_>, cells: Cells) -> bool {
    let mut clicked = false;
    for (n, text) in cells.texts.into_iter().enumerate() {
        row.col(|ui| {
            let palette = theme::of(ui);
            let colour = match cells.colour {
                CellColour::Sector(s) => palette.sector(s),
                CellColour::Restricted => palette.restricted,
            };
            if n == 0 {
                let (rect, _) = ui.allocate_exact_size(egui::vec2(5.0, ui.available_height() - 6.0), Sense::hover());
                ui.painter().rect_filled(rect, 1.0, colour);
            }
            if text.is_empty() {
                return;
            }
            let text = match cells.colour {
                CellColour::Restricted if n == 3 => RichText::new(text).color(colour),
                _ => RichText::new(text),
            };
            let label = egui::Label::new(text).truncate().selectable(false).sense(Sense::CLICK);
            clicked |= ui.add(label).clicked();
        });
    }
    clicked
}
