//! The "Situation report" tab of the board screen: today's discharge situation
//! report per hospital site, each count a button that lists the people behind it
//! (restricted people masked by the service), and the trends of the last 30 or 90
//! days (people delayed, bed days lost by attribution, share discharged on their
//! discharge ready date).

use egui::RichText;
use egui_plot::{Corner, Legend, Line, Plot, PlotPoints, Points};

use crate::domain::dates::fmt_date;
use crate::domain::returns::sitrep::SiteFigures;
use crate::domain::returns::trends::TrendDay;
use crate::domain::returns::{Figure, PersonLink};
use crate::service::SitrepData;
use crate::ui::{Command, theme};

/// The trend windows the tab offers (days).
pub const TREND_WINDOWS: [i64; 2] = [30, 90];

/// The tab's own state: the trend window, and the figure whose people are listed.
pub struct SitrepView {
    pub trend_days: i64,
    /// (site, figure name) selected.
    selected: Option<(String, String)>,
}

impl Default for SitrepView {
    fn default() -> Self {
        SitrepView {
            trend_days: TREND_WINDOWS[0],
            selected: None,
        }
    }
}

impl SitrepView {
    /// Select a figure's people, as a click on its count does (for tests).
    pub fn select(&mut self, site: &str, figure: &str) {
        self.selected = Some((site.to_owned(), figure.to_owned()));
    }

    #[must_use]
    pub fn ui(&mut self, ui: &mut egui::Ui, data: Option<&SitrepData>) -> Vec<Command> {
        let mut commands = Vec::new();
        ui.horizontal(|ui| {
            ui.heading("Discharge situation report");
            if let Some(d) = data {
                ui.label(format!("for {}", fmt_date(d.sitrep.date)));
            }
            for days in TREND_WINDOWS {
                if ui
                    .selectable_label(self.trend_days == days, format!("{days} days"))
                    .clicked()
                {
                    self.trend_days = days;
                    commands.push(Command::RefreshSitrep { trend_days: days });
                }
            }
            if ui.button("Refresh").clicked() {
                commands.push(Command::RefreshSitrep {
                    trend_days: self.trend_days,
                });
            }
        });
        let Some(data) = data else {
            ui.spinner();
            return commands;
        };
        egui::ScrollArea::vertical().show(ui, |ui| {
            trends_ui(ui, &data.trends);
            ui.separator();
            ui.horizontal_top(|ui| {
                for site in data.sitrep.sites.iter().chain(std::iter::once(&data.sitrep.total)) {
                    self.site_ui(ui, site);
                }
                ui.group(|ui| {
                    ui.vertical(|ui| commands.extend(self.people_ui(ui, data)));
                });
            });
        });
        commands
    }

    fn site_ui(&mut self, ui: &mut egui::Ui, site: &SiteFigures) {
        ui.group(|ui| {
            ui.vertical(|ui| {
                ui.label(RichText::new(&site.hospital).strong());
                egui::Grid::new(("sitrep-site", &site.hospital))
                    .striped(true)
                    .show(ui, |ui| {
                        let mut rows = site.named_figures();
                        rows.extend(
                            site.delay_reasons
                                .iter()
                                .map(|((c, a), f)| (format!("{} ({})", c.label(), a.label()), f)),
                        );
                        for (name, figure) in rows {
                            ui.label(name.replace('_', " "));
                            let chosen = self.selected.as_ref() == Some(&(site.hospital.clone(), name.clone()));
                            if ui.selectable_label(chosen, figure.count().to_string()).clicked() {
                                self.selected = Some((site.hospital.clone(), name));
                            }
                            ui.end_row();
                        }
                    });
            });
        });
    }

    /// The people behind the selected figure; opening one opens their record.
    fn people_ui(&self, ui: &mut egui::Ui, data: &SitrepData) -> Vec<Command> {
        let mut commands = Vec::new();
        let Some((site, name)) = &self.selected else {
            ui.label("Select a count to see the people behind it.");
            return commands;
        };
        let Some(figure) = find_figure(data, site, name) else {
            return commands;
        };
        ui.label(RichText::new(format!("{site}: {} ({})", name.replace('_', " "), figure.count())).strong());
        for p in &figure.people {
            ui.horizontal(|ui| {
                let label = person_label(p);
                if ui.link(label).clicked() {
                    commands.push(Command::OpenPerson(p.person_id));
                }
                if p.is_restricted {
                    ui.label(RichText::new("restricted").color(theme::of(ui).restricted));
                }
            });
        }
        commands
    }
}

/// What a person link reads: name and NHS number, or the placeholder for a masked one.
pub fn person_label(p: &PersonLink) -> String {
    match (&p.name, &p.nhs_number) {
        (Some(n), Some(nhs)) => format!("{n} ({nhs})"),
        (Some(n), None) => n.clone(),
        _ => crate::domain::disclosure::RESTRICTED_PERSON.to_owned(),
    }
}

fn find_figure<'a>(data: &'a SitrepData, site: &str, name: &str) -> Option<&'a Figure> {
    let s = data
        .sitrep
        .sites
        .iter()
        .chain(std::iter::once(&data.sitrep.total))
        .find(|s| s.hospital == site)?;
    s.named_figures()
        .into_iter()
        .find(|(n, _)| n == name)
        .map(|(_, f)| f)
        .or_else(|| {
            s.delay_reasons
                .iter()
                .find(|((c, a), _)| format!("{} ({})", c.label(), a.label()) == name)
                .map(|(_, f)| f)
        })
}

/// The trend charts: people delayed and bed days lost by attribution per day, and
/// the share discharged on their DRD (per cent, days with discharges only).
fn trends_ui(ui: &mut egui::Ui, days: &[TrendDay]) {
    let Some(first) = days.first().map(|d| d.date) else {
        return;
    };
    let x = |d: &TrendDay| (d.date - first).num_days() as f64;
    let span = days.len() as f64 - 1.0;
    ui.label(RichText::new(format!("Trends since {}", fmt_date(first))).strong());
    ui.horizontal(|ui| {
        let width = (ui.available_width() / 2.0 - 8.0).max(200.0);
        let palette = theme::of(ui);
        plot(ui, "sitrep-trend-delays", width, (first, span, None), |plot| {
            let delayed: Vec<[f64; 2]> = days.iter().map(|d| [x(d), d.people_delayed.count() as f64]).collect();
            let delayed = Line::new("People delayed", PlotPoints::from(delayed));
            plot.line(delayed.color(palette.danger).width(2.5));
            for a in days[0].bed_days_lost.keys() {
                let points: Vec<[f64; 2]> = days
                    .iter()
                    .map(|d| [x(d), d.bed_days_lost.get(a).map(Figure::count).unwrap_or(0) as f64])
                    .collect();
                let name = format!("Bed days lost: {}", a.replace('_', " "));
                plot.line(Line::new(name, PlotPoints::from(points)).color(attribution_color(palette, a)));
            }
        });
        plot(ui, "sitrep-trend-on-drd", width, (first, span, Some(100.0)), |plot| {
            let share: Vec<[f64; 2]> = days
                .iter()
                .filter_map(|d| d.on_drd_share().map(|s| [x(d), s * 100.0]))
                .collect();
            let name = "% discharged on their DRD";
            plot.points(
                Points::new(name, PlotPoints::from(share.clone()))
                    .radius(3.0)
                    .color(palette.ok),
            );
            plot.line(Line::new(name, PlotPoints::from(share)).color(palette.ok));
        });
    });
}

/// A line colour per attribution code, the same on every day.
fn attribution_color(p: &theme::Palette, code: &str) -> egui::Color32 {
    match code {
        "nhs" => p.health,
        "social_care" => p.social_care,
        "both" => p.caution,
        "other" => p.info,
        _ => p.restricted,
    }
}

/// A trend chart: days on x from the first day (labelled by date) to `span`, and y
/// from 0 (to `top` when given).
fn plot<'a>(
    ui: &mut egui::Ui,
    id: &str,
    width: f32,
    (first, span, top): (chrono::NaiveDate, f64, Option<f64>),
    add: impl FnOnce(&mut egui_plot::PlotUi<'a>) + 'a,
) {
    let mut p = Plot::new(id)
        .height(170.0)
        .width(width)
        .legend(Legend::default().position(Corner::LeftTop))
        .allow_drag(false)
        .allow_zoom(false)
        .allow_scroll(false)
        .allow_boxed_zoom(false)
        .include_x(0.0)
        .include_x(span)
        .include_y(0.0)
        .x_axis_formatter(move |mark, _| {
            if (mark.value - mark.value.round()).abs() > 1e-6 {
                return String::new();
            }
            let d = first + chrono::Duration::days(mark.value.round() as i64);
            d.format("%d-%b").to_string()
        });
    if let Some(top) = top {
        p = p.include_y(top);
    }
    p.show(ui, add);
}
