//! Below the lanes: the findings, then every item in one virtualised chronological
//! list (only the visible rows are laid out).

use egui::{RichText, Sense};

use super::person::PersonView;
use crate::domain::dates::{fmt_date, fmt_date_time};
use crate::ui::db::LoadedPerson;
use crate::ui::theme;

const ROW_HEIGHT: f32 = 20.0;

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

pub fn list_ui(view: &mut PersonView, ui: &mut egui::Ui, loaded: &LoadedPerson) {
    let episodes = &loaded.record.episodes;
    let rows: Vec<usize> = view.list_rows().to_vec();
    ui.horizontal(|ui| {
        ui.label(RichText::new(format!("{} of {} items", rows.len(), episodes.len())).strong());
        ui.label(RichText::new("newest last; click a row for its detail and provenance").weak());
    });
    let mut scroll = egui::ScrollArea::vertical()
        .id_salt("episode-list")
        .auto_shrink([false, false]);
    if view.scroll_to_selected {
        if let Some(pos) = view.selected.and_then(|s| rows.iter().position(|r| *r == s)) {
            let spacing = ui.spacing().item_spacing.y;
            scroll = scroll.vertical_scroll_offset((pos as f32 * (ROW_HEIGHT + spacing) - 60.0).max(0.0));
        }
        view.scroll_to_selected = false;
    }
    scroll.show_rows(ui, ROW_HEIGHT, rows.len(), |ui, range| {
        for &i in &rows[range] {
            let e = &episodes[i];
            let hidden = loaded.is_hidden(e);
            let selected = view.selected == Some(i);
            let when = fmt_date_time(e.start);
            let text = if hidden {
                // The lane and date, never the detail (not even the organisation).
                format!(
                    "{when:<18}  {:<24}  Restricted item: give a reason to view",
                    e.kind.lane().label()
                )
            } else {
                match e.organisation.as_deref().filter(|o| !o.is_empty()) {
                    Some(org) => format!(
                        "{when:<18}  {:<24}  {}  |  {org}  |  {}",
                        e.kind.lane().label(),
                        e.title,
                        e.provenance.source
                    ),
                    None => format!(
                        "{when:<18}  {:<24}  {}  |  {}",
                        e.kind.lane().label(),
                        e.title,
                        e.provenance.source
                    ),
                }
            };
            let color = if hidden {
                theme::of(ui).restricted
            } else {
                theme::of(ui).sector(e.sector())
            };
            ui.horizontal(|ui| {
                ui.set_height(ROW_HEIGHT);
                let (rect, _) = ui.allocate_exact_size(egui::vec2(6.0, ROW_HEIGHT - 4.0), Sense::hover());
                ui.painter().rect_filled(rect, 1.0, color);
                if ui.selectable_label(selected, RichText::new(text).monospace()).clicked() {
                    view.selected = Some(i);
                }
            });
        }
    });
}
