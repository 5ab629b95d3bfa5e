//! The time axis of the timeline: the window shown (presets, zoom, pan), the
//! conversion between time and pixels, and the tick marks. Plain arithmetic on
//! seconds, no egui: the canvas calls it with the pointer's time or today's.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime};

use crate::domain::Episode;
use crate::domain::dates::fmt_date;

const DAY: f64 = 86400.0;
/// The narrowest window zooming allows: a day.
pub const MIN_SPAN_SECONDS: f64 = DAY;
/// The widest: a century, more than anyone's record.
pub const MAX_SPAN_SECONDS: f64 = 100.0 * 365.25 * DAY;

/// Preset windows ending now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Preset {
    Hours72,
    Days14,
    Months3,
    Year1,
    All,
}

impl Preset {
    pub const ALL: [Preset; 5] = [
        Preset::Hours72,
        Preset::Days14,
        Preset::Months3,
        Preset::Year1,
        Preset::All,
    ];
    pub fn label(self) -> &'static str {
        match self {
            Preset::Hours72 => "72 hours",
            Preset::Days14 => "14 days",
            Preset::Months3 => "3 months",
            Preset::Year1 => "1 year",
            Preset::All => "All",
        }
    }
    fn duration(self) -> Option<Duration> {
        match self {
            Preset::Hours72 => Some(Duration::hours(72)),
            Preset::Days14 => Some(Duration::days(14)),
            Preset::Months3 => Some(Duration::days(92)),
            Preset::Year1 => Some(Duration::days(365)),
            Preset::All => None,
        }
    }
}

/// A step of the window from the keyboard or the toolbar: zooms are about today
/// (`TimeWindow::key_anchor`), Today puts today in the middle, a pan moves a fifth
/// of the window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    ZoomIn,
    ZoomOut,
    Today,
    Earlier,
    Later,
}

pub fn ts(t: NaiveDateTime) -> f64 {
    t.and_utc().timestamp() as f64
}

/// The time of `s` seconds since the epoch (the epoch itself for a time out of range).
pub fn from_ts(s: f64) -> NaiveDateTime {
    DateTime::from_timestamp(s as i64, 0)
        .map(|d| d.naive_utc())
        .unwrap_or_default()
}

/// The visible time window, in seconds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TimeWindow {
    pub start: f64,
    pub end: f64,
}

impl TimeWindow {
    pub fn preset(preset: Preset, episodes: &[Episode], now: NaiveDateTime) -> Self {
        let end = ts(now) + 86400.0;
        match preset.duration() {
            Some(d) => Self {
                start: ts(now - d),
                end,
            },
            None => {
                let first = episodes.iter().map(|e| ts(e.start)).fold(f64::INFINITY, f64::min);
                let first = if first.is_finite() {
                    first
                } else {
                    ts(now) - 365.0 * 86400.0
                };
                let pad = ((end - first) * 0.02).max(86400.0);
                Self {
                    start: first - pad,
                    end,
                }
            }
        }
    }

    /// Zoom by `factor` (under 1 zooms in) about the time `at`: `at` stays where it
    /// is on screen (at the same fraction across), so the date under the pointer
    /// stays under the pointer. The span is held between a day and a century; at
    /// either end a further zoom leaves the window as it is.
    pub fn zoom_about(&mut self, factor: f64, at: f64) {
        let span = self.end - self.start;
        let new_span = (span * factor).clamp(MIN_SPAN_SECONDS, MAX_SPAN_SECONDS);
        let fraction = (at - self.start) / span;
        self.start = at - new_span * fraction;
        self.end = self.start + new_span;
    }

    /// The time the keys and the toolbar's buttons zoom about: today, where it is,
    /// while today is in view; else the middle of the window, so that a zoom
    /// never throws the view away from what the user was looking at.
    pub fn key_anchor(&self, today: f64) -> f64 {
        if (self.start..=self.end).contains(&today) {
            today
        } else {
            (self.start + self.end) / 2.0
        }
    }

    /// Put `t` in the middle, keeping the span (Today, `T`).
    pub fn centre_on(&mut self, t: f64) {
        let half = (self.end - self.start) / 2.0;
        self.start = t - half;
        self.end = t + half;
    }

    /// Take a step from the keyboard or the toolbar; `today` in seconds.
    pub fn step(&mut self, step: Step, today: f64) {
        match step {
            Step::ZoomIn => self.zoom_about(0.5, self.key_anchor(today)),
            Step::ZoomOut => self.zoom_about(2.0, self.key_anchor(today)),
            Step::Today => self.centre_on(today),
            Step::Earlier => self.pan(-0.2),
            Step::Later => self.pan(0.2),
        }
    }

    pub fn pan(&mut self, fraction: f64) {
        let shift = (self.end - self.start) * fraction;
        self.start += shift;
        self.end += shift;
    }

    /// Bring time `t` into view, keeping the span: moved so `t` sits at 80% across
    /// when it was outside (an item opened from the worklist).
    pub fn show(&mut self, t: f64) {
        if t < self.start || t > self.end {
            let span = self.end - self.start;
            self.start = t - span * 0.8;
            self.end = self.start + span;
        }
    }

    pub fn x(&self, t: f64, left: f32, width: f32) -> f32 {
        left + ((t - self.start) / (self.end - self.start)) as f32 * width
    }

    pub fn t(&self, x: f32, left: f32, width: f32) -> f64 {
        self.start + f64::from((x - left) / width) * (self.end - self.start)
    }
}

/// Tick positions and labels for a window of `width` pixels: about one per 90 px.
pub fn ticks(start: f64, end: f64, width: f32) -> Vec<(f64, String)> {
    let span = end - start;
    let wanted = (f64::from(width) / 90.0).max(2.0);
    let per_tick = span / wanted;
    const HOUR: f64 = 3600.0;
    let mut out = Vec::new();
    if per_tick <= DAY * 7.0 {
        let step = [HOUR, 3.0 * HOUR, 6.0 * HOUR, 12.0 * HOUR, DAY, 2.0 * DAY, 7.0 * DAY]
            .into_iter()
            .find(|s| *s >= per_tick)
            .unwrap_or(7.0 * DAY);
        let mut t = (start / step).ceil() * step;
        while t <= end && out.len() < 500 {
            let dt = from_ts(t);
            let label = if step < DAY {
                dt.format("%d-%b %H:%M").to_string()
            } else {
                fmt_date(dt.date())
            };
            out.push((t, label));
            t += step;
        }
    } else {
        let months_per_tick = per_tick / (30.44 * DAY);
        let step = [1, 2, 3, 6, 12, 24, 60, 120]
            .into_iter()
            .find(|m| f64::from(*m) >= months_per_tick)
            .unwrap_or(120);
        let first = from_ts(start).date();
        let mut month = first.year() * 12 + first.month0() as i32 + 1;
        month = (month + step - 1) / step * step;
        while out.len() < 500 {
            let Some(d) = NaiveDate::from_ymd_opt(month.div_euclid(12), month.rem_euclid(12) as u32 + 1, 1) else {
                break;
            };
            let t = ts(d.and_time(chrono::NaiveTime::MIN));
            if t > end {
                break;
            }
            let label = if step >= 12 {
                d.format("%Y").to_string()
            } else {
                d.format("%b %Y").to_string()
            };
            out.push((t, label));
            month += step;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::dates::parse_date_time;

    /// A window of `days` days from day `from` (day 0 at the epoch).
    fn days(from: f64, days: f64) -> TimeWindow {
        TimeWindow {
            start: from * DAY,
            end: (from + days) * DAY,
        }
    }

    #[test]
    fn zoom_keeps_the_time_under_the_pointer_in_place() {
        // (window, factor, the pointer's fraction across, the span after in days)
        let cases = [
            ("in by half at a quarter", days(0.0, 1000.0), 0.5, 0.25, 500.0),
            ("out by double at the right edge", days(0.0, 1000.0), 2.0, 1.0, 2000.0),
            ("in at the left edge", days(100.0, 400.0), 0.1, 0.0, 40.0),
            ("in past a day holds a day", days(0.0, 3.0), 0.01, 0.7, 1.0),
            (
                "out past a century holds a century",
                days(0.0, 30_000.0),
                4.0,
                0.3,
                36_525.0,
            ),
        ];
        for (name, mut w, factor, fraction, span_days) in cases {
            let (left, width) = (180.0, 900.0);
            let x = left + fraction as f32 * width;
            let at = w.t(x, left, width);
            w.zoom_about(factor, at);
            let span = (w.end - w.start) / DAY;
            assert!((span - span_days).abs() < 1e-6, "{name}: span {span} days");
            assert!(
                (w.t(x, left, width) - at).abs() < 1.0,
                "{name}: the time under the pointer moved"
            );
        }
    }

    #[test]
    fn zoom_at_a_limit_leaves_the_window_as_it_is() {
        for (name, w, factor) in [
            ("a day, zoomed in", days(10.0, 1.0), 0.5),
            ("a century, zoomed out", days(0.0, 36_525.0), 2.0),
        ] {
            let mut after = w;
            after.zoom_about(factor, w.start + (w.end - w.start) * 0.37);
            assert!(
                (after.start - w.start).abs() < 1e-3 && (after.end - w.end).abs() < 1e-3,
                "{name}"
            );
        }
    }

    #[test]
    fn the_keys_zoom_about_today_while_it_is_shown() {
        let w = days(0.0, 100.0);
        // (today in days, the anchor in days)
        for (name, today, anchor) in [
            ("today in view", 90.0, 90.0),
            ("today at the right edge", 100.0, 100.0),
            ("today after the window: its middle", 400.0, 50.0),
            ("today before it: its middle", -5.0, 50.0),
        ] {
            assert!((w.key_anchor(today * DAY) / DAY - anchor).abs() < 1e-9, "{name}");
        }
        // Zoomed in about today, today stays where it was; Today puts it in the middle.
        let mut zoomed = w;
        zoomed.zoom_about(0.5, w.key_anchor(90.0 * DAY));
        assert!((zoomed.x(90.0 * DAY, 0.0, 1000.0) - 900.0).abs() < 1e-3);
        zoomed.centre_on(400.0 * DAY);
        assert!((zoomed.x(400.0 * DAY, 0.0, 1000.0) - 500.0).abs() < 1e-3);
        assert!(((zoomed.end - zoomed.start) / DAY - 50.0).abs() < 1e-9, "the span kept");
    }

    #[test]
    fn presets_end_today() {
        let now = parse_date_time("2026-11-22T12:00").unwrap();
        let w = TimeWindow::preset(Preset::Hours72, &[], now);
        assert_eq!(from_ts(w.start), parse_date_time("2026-11-19T12:00").unwrap());
    }

    #[test]
    fn ticks_adapt_to_the_span() {
        let day = 86400.0;
        assert!(ticks(0.0, 3.0 * day, 900.0)[0].1.contains(':'), "hours for 72 hours");
        let years = ticks(
            ts(parse_date_time("2011-01-01").unwrap()),
            ts(parse_date_time("2026-11-22").unwrap()),
            900.0,
        );
        assert!(years.iter().all(|(_, l)| l.len() == 4), "years for 15 years: {years:?}");
    }
}
