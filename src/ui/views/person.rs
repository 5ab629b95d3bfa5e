//! The person screen: banner on top, the timeline canvas, findings, the
//! chronological list, and the detail pane with provenance.
//!
//! A layout that stays still: the banner has a fixed height, the toolbar is a panel
//! of its own above the discharge panel (so collapsing that panel, or a person
//! without a stay, moves no control), and the detail pane is a resizable side panel
//! whose width is kept in the window's saved state (`UiState::detail_width`).

mod toolbar;

use super::discharge_panel::DischargePanel;
use super::timeline::{Preset, TimeWindow, canvas_ui, ts};
use super::{banner, detail, timeline_list};
use crate::domain::timeline::TimelineFilter;
use crate::domain::{Episode, Finding};
use crate::ui::db::LoadedPerson;
use crate::ui::{Command, ViewContext};

/// The detail pane's width before the user has chosen one, and the least it takes.
pub const DETAIL_WIDTH: f32 = 340.0;
pub const DETAIL_MIN_WIDTH: f32 = 240.0;

pub struct PersonView {
    pub window: TimeWindow,
    pub filter: TimelineFilter,
    /// Limit the list to what the time axis shows.
    pub list_follows_axis: bool,
    /// Leave out the canvas's lanes with nothing in the window (kept between runs).
    pub hide_empty_lanes: bool,
    pub selected: Option<usize>,
    /// The reason being typed to see the restricted items.
    pub reason: String,
    /// Put the cursor in the reason box on the next frame (a common reason was chosen).
    pub focus_reason: bool,
    /// The reason is for emergency access, overriding an objection to sharing.
    pub emergency: bool,
    /// Set when the list should scroll to the selected row.
    pub scroll_to_selected: bool,
    /// The list's order, scroll and keyboard state.
    pub list: timeline_list::ListState,
    /// The detail pane's width as last drawn (the user may drag it): saved between runs.
    pub detail_width: Option<f32>,
    discharge: DischargePanel,
    shown_person: Option<i64>,
    sources: Vec<String>,
    mask: Vec<bool>,
    mask_key: Option<(TimelineFilter, i64, usize)>,
    list_rows: Vec<usize>,
    /// Bumped whenever `mask` is recomputed, so the list knows to follow.
    mask_generation: u64,
    list_key: Option<(u64, Option<(i64, i64)>)>,
    /// An item to select once this person's record is drawn: (person, item id),
    /// for a record opened from the worklist at an item.
    select_when_shown: Option<(i64, i64)>,
    /// The preset last chosen and the window it gave: shown as active until the
    /// window is zoomed or panned away from it.
    preset_shown: Option<(Preset, TimeWindow)>,
}

impl Default for PersonView {
    fn default() -> Self {
        Self {
            window: TimeWindow { start: 0.0, end: 1.0 },
            filter: TimelineFilter::default(),
            list_follows_axis: false,
            hide_empty_lanes: false,
            selected: None,
            reason: String::new(),
            emergency: false,
            focus_reason: false,
            scroll_to_selected: false,
            list: timeline_list::ListState::default(),
            detail_width: None,
            discharge: DischargePanel::default(),
            shown_person: None,
            sources: Vec::new(),
            mask: Vec::new(),
            mask_key: None,
            list_rows: Vec::new(),
            mask_generation: 0,
            list_key: None,
            select_when_shown: None,
            preset_shown: None,
        }
    }
}

impl PersonView {
    pub fn passes_filter(&self, i: usize) -> bool {
        self.mask.get(i).copied().unwrap_or(false)
    }

    pub fn select(&mut self, i: usize) {
        self.selected = Some(i);
        self.scroll_to_selected = true;
    }

    /// Select the first episode a finding is about and bring it into view.
    pub fn select_finding(&mut self, f: &Finding, episodes: &[Episode]) {
        let target = f
            .episode_ids
            .iter()
            .rev()
            .find_map(|id| episodes.iter().position(|e| e.id == *id));
        if let Some(i) = target {
            self.select(i);
        }
    }

    /// Select this item when this person's record is next drawn (it is being
    /// opened: the first draw of a person clears the selection).
    pub fn select_when_shown(&mut self, person_id: i64, episode_id: i64) {
        self.select_when_shown = Some((person_id, episode_id));
    }

    pub fn list_rows(&self) -> &[usize] {
        &self.list_rows
    }

    /// The same person's record came back newer (another user changed it): keep
    /// the selected item by its identity, not its place in the list, since items
    /// may have been added before it; and work the filter out again.
    pub fn record_refreshed(&mut self, old: &[Episode], new: &[Episode]) {
        self.selected = self
            .selected
            .and_then(|i| old.get(i))
            .and_then(|was| new.iter().position(|e| e.id == was.id));
        self.mask_key = None;
        self.list_key = None;
    }

    /// Recompute the filter mask and list rows only when their inputs change.
    fn refresh(&mut self, ctx: &ViewContext, loaded: &LoadedPerson) {
        let episodes = &loaded.record.episodes;
        let key = (self.filter.clone(), loaded.record.person.id, episodes.len());
        if self.mask_key.as_ref() != Some(&key) {
            let filter_changed = self.mask_key.as_ref().is_some_and(|k| k.0 != self.filter);
            self.mask = episodes.iter().map(|e| self.filter.matches(e, ctx.now)).collect();
            // A filter that hides the selected item clears the selection: the detail
            // pane never shows an item that the timeline and the list leave out.
            if filter_changed
                && self
                    .selected
                    .is_some_and(|i| !self.mask.get(i).copied().unwrap_or(false))
            {
                self.selected = None;
            }
            self.mask_key = Some(key);
            self.mask_generation += 1;
        }
        let range = self
            .list_follows_axis
            .then_some((self.window.start as i64, self.window.end as i64));
        let list_key = (self.mask_generation, range);
        if self.list_key.as_ref() != Some(&list_key) {
            let mut f = TimelineFilter::default();
            if let Some((a, b)) = range {
                f.from = chrono::DateTime::from_timestamp(a, 0).map(|d| d.naive_utc());
                f.to = chrono::DateTime::from_timestamp(b, 0).map(|d| d.naive_utc());
            }
            self.list_rows = (0..episodes.len())
                .filter(|i| self.mask[*i] && f.matches(&episodes[*i], ctx.now))
                .collect();
            self.list_key = Some(list_key);
        }
    }

    #[must_use]
    pub fn ui(&mut self, ui: &mut egui::Ui, ctx: &ViewContext, loaded: &LoadedPerson) -> Vec<Command> {
        let mut commands = Vec::new();
        let person_id = loaded.record.person.id;
        self.opened(ctx, loaded);
        self.refresh(ctx, loaded);
        banner::banner_panel_ui(ui, ctx, loaded, |ui| {
            commands.extend(banner::follow_ui(
                ui,
                person_id,
                loaded.is_following,
                loaded.is_allocated_to_me,
            ));
        });
        let pane = egui::Panel::right("episode-detail")
            .default_size(self.detail_width.unwrap_or(DETAIL_WIDTH))
            .min_size(DETAIL_MIN_WIDTH)
            .resizable(true)
            .show(ui, |ui| {
                commands.extend(detail::detail_ui(self, ui, loaded));
            });
        self.detail_width = Some(pane.response.rect.width());
        egui::CentralPanel::default().show(ui, |ui| commands.extend(self.central_ui(ui, ctx, loaded)));
        commands
    }

    /// A person drawn for the first time: the selection and the reason start
    /// afresh, the window at a year; an item asked for is selected.
    fn opened(&mut self, ctx: &ViewContext, loaded: &LoadedPerson) {
        let person_id = loaded.record.person.id;
        if self.shown_person != Some(person_id) {
            self.shown_person = Some(person_id);
            self.selected = None;
            // A reason typed for someone else is not a reason for this person.
            self.reason.clear();
            self.window = TimeWindow::preset(Preset::Year1, &loaded.record.episodes, ctx.now);
            self.preset_shown = Some((Preset::Year1, self.window));
            self.sources = crate::domain::timeline::organisations_and_sources(&loaded.record.episodes).1;
        }
        if let Some((p, id)) = self.select_when_shown
            && p == person_id
        {
            self.select_when_shown = None;
            if let Some(i) = loaded.record.episodes.iter().position(|e| e.id == id) {
                self.select(i);
                self.window.show(ts(loaded.record.episodes[i].start));
            }
        }
    }

    /// Under the banner, beside the detail pane: the toolbar, the findings and the
    /// list at the foot, the discharge panel, the canvas.
    #[must_use]
    fn central_ui(&mut self, ui: &mut egui::Ui, ctx: &ViewContext, loaded: &LoadedPerson) -> Vec<Command> {
        let mut commands = Vec::new();
        // The toolbar first, in a panel of its own: the discharge panel below it
        // opens and collapses without moving a button.
        egui::Panel::top("person-toolbar")
            .show_separator_line(false)
            .show(ui, |ui| commands.extend(self.toolbar_ui(ui, ctx, loaded)));
        // The findings and the list keep a share of the height (resizable, at
        // least a few rows): left what the canvas does not use, the list had a
        // row or two on a laptop screen. The canvas scrolls by its bar when it
        // does not fit (the wheel zooms it).
        egui::Panel::bottom("findings-and-list")
            .resizable(true)
            .default_size(300.0)
            .min_size(160.0)
            .show(ui, |ui| {
                timeline_list::findings_ui(self, ui, loaded);
                timeline_list::list_ui(self, ui, ctx, loaded);
            });
        // Under the toolbar, above the canvas: the discharge panel scrolls within
        // at most half of what the bottom panel leaves, so the canvas keeps a share.
        egui::ScrollArea::vertical()
            .id_salt("discharge-panel-scroll")
            .auto_shrink([false, true])
            .max_height(ui.available_height() * 0.5)
            .show(ui, |ui| commands.extend(self.discharge.ui(ui, ctx, loaded)));
        egui::ScrollArea::vertical()
            .id_salt("timeline-canvas")
            .scroll_bar_visibility(egui::scroll_area::ScrollBarVisibility::AlwaysVisible)
            .scroll_source(egui::scroll_area::ScrollSource {
                mouse_wheel: false,
                ..Default::default()
            })
            .show(ui, |ui| canvas_ui(self, ui, ctx, loaded));
        self.refresh(ctx, loaded);
        commands
    }
}
