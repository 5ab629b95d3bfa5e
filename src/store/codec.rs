//! Conversions between domain values and their SQL text forms.

use chrono::{NaiveDate, NaiveDateTime};

use super::StoreError;

use chrono::{Datelike, Timelike};

// Written by hand rather than with `format`: imports write millions of these.
pub fn date_text(d: NaiveDate) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day())
}

pub fn date_time_text(t: NaiveDateTime) -> String {
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
        t.year(),
        t.month(),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

pub fn parse_date(s: &str) -> Result<NaiveDate, StoreError> {
    if let Some(d) = crate::domain::dates::parse_date(s).filter(|_| s.len() == 10) {
        return Ok(d);
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| StoreError::Corrupt(format!("bad date {s:?}")))
}

pub fn parse_date_time(s: &str) -> Result<NaiveDateTime, StoreError> {
    if let Some(t) = crate::domain::dates::parse_date_time(s).filter(|_| s.len() == 19) {
        return Ok(t);
    }
    NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S")
        .map_err(|_| StoreError::Corrupt(format!("bad date-time {s:?}")))
}

pub fn opt_date(s: Option<String>) -> Result<Option<NaiveDate>, StoreError> {
    s.as_deref().map(parse_date).transpose()
}

pub fn opt_date_time(s: Option<String>) -> Result<Option<NaiveDateTime>, StoreError> {
    s.as_deref().map(parse_date_time).transpose()
}

/// A serde enum's snake_case name, e.g. `Funding::LocalAuthority` -> `local_authority`.
pub fn enum_text<T: serde::Serialize>(v: &T) -> String {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

pub fn enum_from_text<T: serde::de::DeserializeOwned>(s: &str) -> Result<T, StoreError> {
    serde_json::from_value(serde_json::Value::String(s.to_owned()))
        .map_err(|_| StoreError::Corrupt(format!("unknown code {s:?}")))
}

/// Folded (accents, case, apostrophes: `domain::name_search`), for sorting and
/// indexed lookup.
pub fn name_key(s: &str) -> String {
    crate::domain::name_search::name_key(s)
}

/// The needs a care plan action meets, as stored: a JSON array of their references,
/// NULL for none.
pub fn meets_text(meets: &[String]) -> Option<String> {
    if meets.is_empty() {
        None
    } else {
        serde_json::to_string(meets).ok()
    }
}

/// The stored form of [`meets_text`] read back.
pub fn meets_from_text(text: Option<&str>) -> Result<Vec<String>, StoreError> {
    match text {
        None => Ok(Vec::new()),
        Some(t) => serde_json::from_str(t).map_err(|_| StoreError::Corrupt(format!("unreadable needs met {t:?}"))),
    }
}
