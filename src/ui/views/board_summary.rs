//! The board's summary figures and charts: people in hospital, those no longer
//! meeting the criteria to reside, delayed bed days, the share discharged on their
//! DRD, delay reasons by attribution, people by pathway and delays in bands.

use egui::RichText;
use egui_plot::{Bar, BarChart, Plot};

use crate::domain::discharge::{BoardSummary, DelayBand};
use crate::domain::hospital::Attribution;
use crate::ui::theme;

pub fn summary_ui(ui: &mut egui::Ui, s: &BoardSummary) {
    ui.horizontal_wrapped(|ui| {
        figure(ui, "In hospital", s.inpatients.to_string());
        figure(ui, "No longer meet criteria", s.no_longer_meeting_criteria.to_string());
        figure(ui, "Delayed bed days", s.delayed_bed_days.to_string());
        let share = s
            .discharged_on_drd_share_30d
            .map(|v| format!("{:.0}% of {}", v * 100.0, s.discharged_with_drd_30d))
            .unwrap_or_else(|| "none with a DRD".into());
        figure(ui, "Discharged on their DRD (30 days)", share);
        let attribution: Vec<String> = Attribution::ALL
            .iter()
            .map(|a| format!("{} {}", a.label(), s.by_attribution.get(a.code()).unwrap_or(&0)))
            .collect();
        figure(ui, "Delay reasons by attribution", attribution.join(" | "));
    });
    ui.horizontal(|ui| {
        let bands: Vec<Bar> = DelayBand::ALL
            .iter()
            .enumerate()
            .map(|(i, b)| {
                Bar::new(i as f64, *s.by_band.get(b.label()).unwrap_or(&0) as f64).name(format!("{} days", b.label()))
            })
            .collect();
        chart(
            ui,
            "delays-by-band",
            "Delays by band (days)",
            480.0,
            BarChart::new("Delays", bands).color(theme::of(ui).caution),
            |x| {
                DelayBand::ALL
                    .get(x as usize)
                    .map(|b| b.label().to_owned())
                    .unwrap_or_default()
            },
        );
        let pathways = ["0", "1", "2", "3", "not set"];
        let bars: Vec<Bar> = pathways
            .iter()
            .enumerate()
            .map(|(i, p)| Bar::new(i as f64, *s.by_pathway.get(*p).unwrap_or(&0) as f64).name(format!("Pathway {p}")))
            .collect();
        chart(
            ui,
            "people-by-pathway",
            "People by pathway",
            400.0,
            BarChart::new("People", bars).color(theme::of(ui).health),
            move |x| pathways.get(x as usize).map(|p| (*p).to_owned()).unwrap_or_default(),
        );
    });
}

fn figure(ui: &mut egui::Ui, label: &str, value: String) {
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.vertical(|ui| {
            ui.label(RichText::new(label).weak());
            ui.label(RichText::new(value).strong().size(18.0));
        });
    });
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
