//! The merged timeline: episodes from every source in one order, and the filters a
//! coordinator applies to them.

use std::collections::BTreeSet;

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

use super::{Episode, EpisodeKind, Sector};

/// Put episodes from any number of sources into one chronological order: by start,
/// then the longer span first, then kind, then source reference, so the order is
/// stable whatever order the sources arrived in.
pub fn merge<I: IntoIterator<Item = Vec<Episode>>>(sources: I) -> Vec<Episode> {
    let mut all: Vec<Episode> = sources.into_iter().flatten().collect();
    sort_chronologically(&mut all);
    all
}

pub fn sort_chronologically(episodes: &mut [Episode]) {
    episodes.sort_by(|a, b| {
        a.start
            .cmp(&b.start)
            .then_with(|| b.end.cmp(&a.end))
            .then_with(|| a.kind.cmp(&b.kind))
            .then_with(|| a.provenance.source.cmp(&b.provenance.source))
            .then_with(|| a.provenance.source_ref.cmp(&b.provenance.source_ref))
    });
}

/// What the coordinator has chosen to see. Empty sets mean "all".
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct TimelineFilter {
    pub sectors: BTreeSet<Sector>,
    pub kinds: BTreeSet<EpisodeKind>,
    /// Case-insensitive substring of the organisation.
    pub organisation: String,
    /// Exact source system name; empty for all.
    pub source: String,
    pub from: Option<NaiveDateTime>,
    pub to: Option<NaiveDateTime>,
}

impl TimelineFilter {
    pub fn is_empty(&self) -> bool {
        *self == TimelineFilter::default()
    }

    /// Does this episode pass every filter? A span passes the date range if any
    /// part of it lies inside.
    pub fn matches(&self, e: &Episode, now: NaiveDateTime) -> bool {
        if !self.sectors.is_empty() && !self.sectors.contains(&e.sector()) {
            return false;
        }
        if !self.kinds.is_empty() && !self.kinds.contains(&e.kind) {
            return false;
        }
        if !self.organisation.trim().is_empty() {
            let needle = self.organisation.trim().to_lowercase();
            let org = e.organisation.as_deref().unwrap_or("").to_lowercase();
            if !org.contains(&needle) {
                return false;
            }
        }
        if !self.source.is_empty() && e.provenance.source != self.source {
            return false;
        }
        let end = effective_end(e, now);
        if self.from.is_some_and(|from| end < from) {
            return false;
        }
        if self.to.is_some_and(|to| e.start > to) {
            return false;
        }
        true
    }

    /// Indices of the episodes that pass, in their order.
    pub fn apply(&self, episodes: &[Episode], now: NaiveDateTime) -> Vec<usize> {
        episodes
            .iter()
            .enumerate()
            .filter(|(_, e)| self.matches(e, now))
            .map(|(i, _)| i)
            .collect()
    }
}

/// Where a span ends for drawing and filtering: its end, or `now` while it is still
/// open, or its start for a point event.
pub fn effective_end(e: &Episode, now: NaiveDateTime) -> NaiveDateTime {
    match e.end {
        Some(end) => end.max(e.start),
        None if e.is_span() => now.max(e.start),
        None => e.start,
    }
}

/// Which of `rows` (indices into `episodes`) is nearest `now`, as its place in
/// `rows`: an item going on now (its start to its effective end holds `now`), the
/// latest begun of them; else the one whose time is closest to `now`. For opening a
/// list at today rather than at its oldest item.
pub fn nearest_to(episodes: &[Episode], rows: &[usize], now: NaiveDateTime) -> Option<usize> {
    let distance = |e: &Episode| {
        let end = effective_end(e, now);
        if now < e.start {
            e.start - now
        } else if now > end {
            now - end
        } else {
            chrono::TimeDelta::zero()
        }
    };
    rows.iter()
        .enumerate()
        .min_by(|(_, a), (_, b)| {
            let (a, b) = (&episodes[**a], &episodes[**b]);
            distance(a).cmp(&distance(b)).then_with(|| b.start.cmp(&a.start))
        })
        .map(|(pos, _)| pos)
}

/// The distinct organisations and sources in a record, for filter menus.
pub fn organisations_and_sources(episodes: &[Episode]) -> (Vec<String>, Vec<String>) {
    let orgs: BTreeSet<String> = episodes.iter().filter_map(|e| e.organisation.clone()).collect();
    let sources: BTreeSet<String> = episodes.iter().map(|e| e.provenance.source.clone()).collect();
    (orgs.into_iter().collect(), sources.into_iter().collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::test_support::episode;

    #[test]
    fn merge_orders_across_sources() {
        let hospital = vec![
            episode(EpisodeKind::InpatientSpell, "2026-03-10", Some("2026-03-20")),
            episode(EpisodeKind::AeAttendance, "2026-01-05", None),
        ];
        let council = vec![
            episode(EpisodeKind::SocialCareService, "2025-06-01", Some("2026-03-10")),
            episode(EpisodeKind::SocialCareRequest, "2026-03-15", None),
        ];
        let merged = merge([hospital, council]);
        let kinds: Vec<EpisodeKind> = merged.iter().map(|e| e.kind).collect();
        assert_eq!(
            kinds,
            vec![
                EpisodeKind::SocialCareService,
                EpisodeKind::AeAttendance,
                EpisodeKind::InpatientSpell,
                EpisodeKind::SocialCareRequest
            ]
        );
    }

    #[test]
    fn filters_table() {
        let now = crate::domain::dates::parse_date_time("2026-11-22").unwrap();
        let mut spell = episode(EpisodeKind::InpatientSpell, "2026-03-10", Some("2026-03-20"));
        spell.organisation = Some("Northgate General Hospital".into());
        spell.provenance.source = "Northgate PAS".into();
        let mut service = episode(EpisodeKind::SocialCareService, "2025-06-01", None);
        service.organisation = Some("Ashford Council".into());
        service.provenance.source = "Ashford CLD".into();
        let all = vec![spell, service];
        let range = |a: &str, b: &str| {
            (
                crate::domain::dates::parse_date_time(a),
                crate::domain::dates::parse_date_time(b),
            )
        };
        let cases: Vec<(&str, TimelineFilter, Vec<usize>)> = vec![
            ("no filter", TimelineFilter::default(), vec![0, 1]),
            (
                "health only",
                TimelineFilter {
                    sectors: [Sector::Health].into(),
                    ..Default::default()
                },
                vec![0],
            ),
            (
                "kind",
                TimelineFilter {
                    kinds: [EpisodeKind::SocialCareService].into(),
                    ..Default::default()
                },
                vec![1],
            ),
            (
                "organisation substring",
                TimelineFilter {
                    organisation: "northgate".into(),
                    ..Default::default()
                },
                vec![0],
            ),
            (
                "source",
                TimelineFilter {
                    source: "Ashford CLD".into(),
                    ..Default::default()
                },
                vec![1],
            ),
            (
                "open span reaches now",
                {
                    let (f, t) = range("2026-10-01", "2026-11-01");
                    TimelineFilter {
                        from: f,
                        to: t,
                        ..Default::default()
                    }
                },
                vec![1],
            ),
            (
                "overlap at the edge",
                {
                    let (f, t) = range("2026-03-20", "2026-03-21");
                    TimelineFilter {
                        from: f,
                        to: t,
                        ..Default::default()
                    }
                },
                vec![0, 1],
            ),
            (
                "before everything",
                {
                    let (f, t) = range("2020-01-01", "2021-01-01");
                    TimelineFilter {
                        from: f,
                        to: t,
                        ..Default::default()
                    }
                },
                vec![],
            ),
        ];
        for (name, filter, expected) in cases {
            assert_eq!(filter.apply(&all, now), expected, "{name}");
        }
    }

    #[test]
    fn nearest_to_now() {
        let now = crate::domain::dates::parse_date_time("2026-11-22 12:00").unwrap();
        let old = episode(EpisodeKind::GpEncounter, "2011-03-01", None);
        let package = episode(EpisodeKind::SocialCareService, "2024-09-16", None);
        let stay = episode(EpisodeKind::InpatientSpell, "2026-11-18", None);
        let review = episode(EpisodeKind::SocialCareReview, "2026-11-25", None);
        let past = episode(EpisodeKind::GpEncounter, "2026-11-21", None);
        let all = vec![old, package, stay, review, past];
        for (name, rows, expected) in [
            (
                "the stay going on now, begun after the package",
                vec![0, 1, 2, 3, 4],
                Some(2),
            ),
            ("the package when the stay is filtered out", vec![0, 1, 3, 4], Some(1)),
            ("the closer of a past and a future item", vec![0, 3, 4], Some(2)),
            ("a later appointment over an old one", vec![0, 3], Some(1)),
            ("the place in the rows, not in the record", vec![4, 0], Some(0)),
            ("nothing listed", vec![], None),
        ] {
            assert_eq!(nearest_to(&all, &rows, now), expected, "{name}");
        }
    }
}
