//! Small builders for domain tests.

use super::dates::parse_date_time;
use super::{Demographics, Episode, EpisodeKind, EpisodeStatus, Person, Provenance, Sensitivity};

pub fn episode(kind: EpisodeKind, start: &str, end: Option<&str>) -> Episode {
    Episode {
        id: 0,
        kind,
        title: kind.label().to_owned(),
        start: parse_date_time(start).expect("test date"),
        end: end.map(|e| parse_date_time(e).expect("test date")),
        status: if end.is_some() {
            EpisodeStatus::Ended
        } else {
            EpisodeStatus::Active
        },
        organisation: None,
        detail: String::new(),
        sensitivity: Sensitivity::Normal,
        attributes: Default::default(),
        provenance: Provenance {
            source: "Test".into(),
            source_ref: start.into(),
            ..Default::default()
        },
    }
}

pub fn person() -> Person {
    Person {
        id: 1,
        nhs_number: None,
        local_ids: vec![],
        demographics: Demographics::default(),
        by_source: vec![],
        alerts: vec![],
        is_restricted: false,
    }
}
