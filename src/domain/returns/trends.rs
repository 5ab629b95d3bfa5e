//! Trends over the last 30 or 90 days, for the board's chart: people delayed, bed
//! days lost by attribution, and the share discharged on their discharge ready date.
//! Definitions (and which are unconfirmed) in `docs/returns.md`.

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDate};

use super::{Figure, SpellFacts};
use crate::domain::discharge::days_delayed;
use crate::domain::hospital::Attribution;

/// What a bed day lost is attributed to when no delay reason is in force.
pub const NOT_RECORDED: &str = "not_recorded";

/// One day of the trend.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TrendDay {
    pub date: NaiveDate,
    /// Adults who no longer met the criteria to reside and were still in hospital
    /// at the end of the day.
    pub people_delayed: Figure,
    /// Bed days lost on the day (one per adult in hospital on the day after their
    /// discharge ready date), by attribution code or [`NOT_RECORDED`].
    pub bed_days_lost: BTreeMap<String, Figure>,
    /// Adults discharged on the day who had a discharge ready date.
    pub discharged_with_drd: Figure,
    /// Of them, those discharged on their discharge ready date.
    pub discharged_on_drd: Figure,
}

impl TrendDay {
    /// The share discharged on their DRD (0 to 1), or None with no such discharge.
    pub fn on_drd_share(&self) -> Option<f64> {
        let n = self.discharged_with_drd.count();
        (n > 0).then(|| self.discharged_on_drd.count() as f64 / n as f64)
    }

    pub fn bed_days_lost_total(&self) -> usize {
        self.bed_days_lost.values().map(Figure::count).sum()
    }
}

/// The attribution of a bed day lost on `day`: that of the latest reason in force
/// (latest start, then latest recorded). Unconfirmed: how the national collection
/// attributes a day with reasons of different agencies.
fn attribution_on(f: &SpellFacts, day: NaiveDate) -> String {
    f.reasons_on(day)
        .max_by_key(|r| (r.since, r.id))
        .map(|r| r.attribution.code().to_owned())
        .unwrap_or_else(|| NOT_RECORDED.to_owned())
}

/// One day's trend figures.
pub fn trend_day(facts: &[SpellFacts], day: NaiveDate) -> TrendDay {
    let mut t = TrendDay {
        date: day,
        ..Default::default()
    };
    for a in Attribution::ALL {
        t.bed_days_lost.insert(a.code().to_owned(), Figure::default());
    }
    t.bed_days_lost.insert(NOT_RECORDED.to_owned(), Figure::default());
    for f in facts.iter().filter(|f| f.in_hospital_on(day) && f.is_adult_on(day)) {
        let Some(delayed) = days_delayed(&f.spell, day) else {
            continue;
        };
        let discharged = f.discharged_on(day);
        if discharged {
            t.discharged_with_drd.add(f.link());
            if delayed == 0 {
                t.discharged_on_drd.add(f.link());
            }
        } else {
            t.people_delayed.add(f.link());
        }
        if delayed > 0 {
            t.bed_days_lost.entry(attribution_on(f, day)).or_default().add(f.link());
        }
    }
    t
}

/// The `days` days ending on `last` (oldest first).
pub fn trends(facts: &[SpellFacts], last: NaiveDate, days: i64) -> Vec<TrendDay> {
    (0..days.max(1))
        .rev()
        .map(|back| trend_day(facts, last - Duration::days(back)))
        .collect()
}

/// The share discharged on their DRD over the whole window (None with none).
pub fn window_on_drd_share(days: &[TrendDay]) -> Option<f64> {
    let with: usize = days.iter().map(|d| d.discharged_with_drd.count()).sum();
    let on: usize = days.iter().map(|d| d.discharged_on_drd.count()).sum();
    (with > 0).then(|| on as f64 / with as f64)
}

/// Bed days lost over the window by attribution.
pub fn window_bed_days(days: &[TrendDay]) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    for d in days {
        for (a, f) in &d.bed_days_lost {
            *out.entry(a.clone()).or_default() += f.count();
        }
    }
    out
}

impl TrendDay {
    pub fn disclosed(self) -> TrendDay {
        TrendDay {
            date: self.date,
            people_delayed: self.people_delayed.disclosed(),
            bed_days_lost: self
                .bed_days_lost
                .into_iter()
                .map(|(k, f)| (k, f.disclosed()))
                .collect(),
            discharged_with_drd: self.discharged_with_drd.disclosed(),
            discharged_on_drd: self.discharged_on_drd.disclosed(),
        }
    }
}
