//! The time axis of the timeline: the window shown (presets, zoom, pan), the
//! conversion between time and pixels, and the tick marks.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime};

use crate::domain::Episode;
use crate::domain::dates::fmt_date;

/// The narrowest window zooming allows.
const MIN_SPAN_SECONDS: f64 = 3600.0;

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

pub fn ts(t: NaiveDateTime) -> f64 {
    t.and_utc().timestamp() as f64
}

fn from_ts(s: f64) -> NaiveDateTime {
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

    /// Zoom by `factor` (<1 zooms in) keeping the time at `anchor` (0..1) in place.
    pub fn zoom(&mut self, factor: f64, anchor: f64) {
        let span = (self.end - self.start) * factor;
        let span = span.clamp(MIN_SPAN_SECONDS, 80.0 * 365.0 * 86400.0);
        let at = self.start + (self.end - self.start) * anchor;
        self.start = at - span * anchor;
        self.end = self.start + span;
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
    const DAY: f64 = 86400.0;
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

    #[test]
    fn zoom_keeps_the_anchor_in_place() {
        let mut w = TimeWindow {
            start: 0.0,
            end: 1000.0 * 86400.0,
        };
        let at = w.t(250.0, 0.0, 1000.0);
        w.zoom(0.5, 0.25);
        assert!((w.t(250.0, 0.0, 1000.0) - at).abs() < 1.0);
        assert!((w.end - w.start - 500.0 * 86400.0).abs() < 1.0);
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
