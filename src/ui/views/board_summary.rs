//! The board's tiles and charts: people in hospital, those no longer meeting the
//! criteria to reside, delayed bed days, delays with no reason recorded, delay
//! reasons by attribution, delays in bands (each bar in its band's colour) and
//! people by pathway. All counted from the rows the filters leave
//! (`domain::board_counts`); only the share discharged on their DRD, which counts
//! people already gone, is of the whole board, and says so.

use egui::RichText;
use egui_plot::{Bar, BarChart, Plot};

use crate::domain::board_counts::{BoardCounts, DelayColourBand, PATHWAYS};
use crate::domain::discharge::{BoardSummary, DelayBand};
use crate::domain::hospital::Attribution;
use crate::ui::theme;

pub fn summary_ui(ui: &mut egui::Ui, c: &BoardCounts, whole: &BoardSummary, is_filtered: bool) {
    ui.horizontal_wrapped(|ui| {
        figure(ui, "In hospital", c.inpatients.to_string());
        figure(ui, "No longer meet criteria", c.no_longer_meeting_criteria.to_string());
        figure(ui, "Delayed bed days", c.delayed_bed_days.to_string());
        figure(ui, "Delayed, no reason recorded", c.no_reason_recorded.to_string());
        let attribution: Vec<String> = Attribution::ALL
            .iter()
            .map(|a| format!("{} {}", a.label(), c.by_attribution.get(a).unwrap_or(&0)))
            .collect();
        figure(ui, "Delay reasons by attribution", attribution.join(" | "));
        let share = whole
            .discharged_on_drd_share_30d
            .map(|v| format!("{:.0}% of {}", v * 100.0, whole.discharged_with_drd_30d))
            .unwrap_or_else(|| "none with a DRD".into());
        let label = if is_filtered {
            "Discharged on their DRD (30 days, whole board)"
        } else {
            "Discharged on their DRD (30 days)"
        };
        figure(ui, label, share);
    });
    if is_filtered {
        ui.label(RichText::new(format!("Figures and charts count the {} people shown.", c.inpatients)).weak());
    }
    ui.horizontal(|ui| {
        let palette = theme::of(ui);
        let bands: Vec<Bar> = DelayBand::ALL
            .iter()
            .enumerate()
            .map(|(i, b)| {
                let flag = palette.delay_band(DelayColourBand::of_band(*b));
                Bar::new(i as f64, *c.by_band.get(b).unwrap_or(&0) as f64)
                    .name(format!("{} days", b.label()))
                    .fill(flag.fill)
                    .stroke(egui::Stroke::new(1.0, palette.text))
            })
            .collect();
        chart(
            ui,
            "delays-by-band",
            "Delays by band (days)",
            480.0,
            BarChart::new("Delays", bands).color(palette.caution),
            |x| {
                DelayBand::ALL
                    .get(x as usize)
                    .map(|b| b.label().to_owned())
                    .unwrap_or_default()
            },
        );
        let bars: Vec<Bar> = PATHWAYS
            .iter()
            .enumerate()
            .map(|(i, p)| Bar::new(i as f64, *c.by_pathway.get(*p).unwrap_or(&0) as f64).name(format!("Pathway {p}")))
            .collect();
        chart(
            ui,
            "people-by-pathway",
            "People by pathway",
            400.0,
            BarChart::new("People", bars).color(palette.health),
            move |x| PATHWAYS.get(x as usize).map(|p| (*p).to_owned()).unwrap_or_default(),
        );
    });
    band_key(ui);
}

/// The colour key: each delay band's flag with its words.
fn band_key(ui: &mut egui::Ui) {
    ui.horizontal_wrapped(|ui| {
        ui.label("Delay bands:");
        for b in DelayColourBand::ALL {
            let flag = theme::of(ui).delay_band(b);
            egui::Frame::new()
                .fill(flag.fill)
                .corner_radius(3.0)
                .inner_margin(egui::Margin::symmetric(6, 1))
                .show(ui, |ui| {
                    ui.label(RichText::new(b.label()).color(flag.text).strong());
                });
        }
    });
}

/// A tile: its label over its figure, read out (and found by tests) as "label: figure".
fn figure(ui: &mut egui::Ui, label: &str, value: String) {
    let spoken = format!("{label}: {value}");
    let tile = egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.vertical(|ui| {
            ui.label(RichText::new(label).weak());
            ui.label(RichText::new(value).strong().size(18.0));
        });
    });
    tile.response
        .widget_info(|| egui::WidgetInfo::labeled(egui::Role::Label, true, &spoken));
}

fn chart(
    ui: &mut egui::Ui,
    id: &str,
    title: &str,
    width: f32,
    bars: BarChart,
    x_label: impl Fn(f64) -> String + 'static,
) {
    ui.vertical(|ui| {
        ui.label(RichText::new(title).strong());
        Plot::new(id)
            .height(120.0)
            .width(width)
            .allow_drag(false)
            .allow_zoom(false)
            .allow_scroll(false)
            .allow_boxed_zoom(false)
            .show_grid([false, true])
            .include_y(0.0)
            .x_grid_spacer(egui_plot::uniform_grid_spacer(|_| [1.0, 1.0, 1.0]))
            .x_axis_formatter(move |mark, _| {
                if (mark.value - mark.value.round()).abs() < 1e-6 {
                    x_label(mark.value)
                } else {
                    String::new()
                }
            })
            .show(ui, |plot| plot.bar_chart(bars));
    });
}
