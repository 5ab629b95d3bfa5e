//! HL7 v2 timestamps (TS, DTM): `yyyyMMdd[HH[mm[ss[.s[s[s[s]]]]]]][+/-zzzz]`.
//!
//! **Offsets.** The record holds local date-times without a zone, as every other
//! format gives them, so a timestamp with an offset is converted to UK local time:
//! to UTC by its offset, then to GMT or BST (BST from 01:00 UTC on the last Sunday
//! of March to 01:00 UTC on the last Sunday of October). A PAS in England writes its
//! own local time with the matching offset (`+0000` in winter, `+0100` in summer),
//! which this leaves as written; but a system that writes UTC all year, or one in
//! another zone, would otherwise be an hour or more out, enough to put a discharge
//! before its admission or an admission on the wrong day. Keeping the wall-clock
//! time as written would be right only for the first kind of sender. Without an
//! offset the time is taken as UK local time as written (HL7's default: the
//! sender's local time). The BST rule is applied to every year; before 1996 the UK's
//! rules differed, which matters only for times, not for dates of birth (read as
//! dates as written, never converted).
//!
//! **Precision.** A date-time needs at least the day; a year or a month alone is not
//! a time. Fractions of a second are dropped.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime};

/// The value as a refusal shows it: cut short, as a field may be megabytes long.
fn shown(s: &str) -> String {
    let head: String = s.chars().take(40).collect();
    let more = if head.len() < s.len() { "..." } else { "" };
    format!("{head:?}{more}")
}

fn refused(s: &str) -> String {
    format!(
        "{} is not an HL7 date-time (yyyyMMdd[HHmm[ss[.ssss]]][+zzzz])",
        shown(s)
    )
}

/// A date-time field: `Ok(None)` when empty, `Err(reason)` when it cannot be read.
pub(super) fn date_time(s: &str) -> Result<Option<NaiveDateTime>, String> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    read(s).map(Some).ok_or_else(|| refused(s))
}

/// A date field (date of birth or death): the date as written, never converted.
pub(super) fn date(s: &str) -> Result<Option<NaiveDate>, String> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    let digits = split_offset(s)
        .and_then(|(body, _)| split_fraction(body))
        .map(|(d, _)| d);
    let day = digits
        .filter(|d| matches!(d.len(), 8 | 10 | 12 | 14))
        .and_then(|d| d.get(..8));
    day.and_then(|d| NaiveDate::parse_from_str(d, "%Y%m%d").ok())
        .map(Some)
        .ok_or_else(|| format!("{} is not a real date", shown(s)))
}

fn read(s: &str) -> Option<NaiveDateTime> {
    let (body, offset_minutes) = split_offset(s)?;
    let (digits, _) = split_fraction(body)?;
    let num = |r: std::ops::Range<usize>| digits.get(r).and_then(|d| d.parse::<u32>().ok());
    let date = NaiveDate::parse_from_str(digits.get(..8)?, "%Y%m%d").ok()?;
    let (h, m, sec) = match digits.len() {
        8 => return Some(date.and_time(NaiveTime::MIN)),
        10 => (num(8..10)?, 0, 0),
        12 => (num(8..10)?, num(10..12)?, 0),
        14 => (num(8..10)?, num(10..12)?, num(12..14)?),
        _ => return None,
    };
    let written = date.and_hms_opt(h, m, sec)?;
    match offset_minutes {
        None => Some(written),
        Some(minutes) => uk_local(written.checked_sub_signed(Duration::minutes(minutes))?),
    }
    .filter(|t| t.year() <= 9999)
}

/// The text before a `+zzzz` or `-zzzz` offset, and the offset in minutes.
fn split_offset(s: &str) -> Option<(&str, Option<i64>)> {
    let Some(at) = s.find(['+', '-']) else {
        return Some((s, None));
    };
    let (body, zone) = s.split_at(at);
    let digits = zone
        .get(1..)
        .filter(|z| z.len() == 4 && z.bytes().all(|b| b.is_ascii_digit()))?;
    let (hours, minutes): (i64, i64) = (digits[..2].parse().ok()?, digits[2..].parse().ok()?);
    if hours > 14 || minutes > 59 {
        return None;
    }
    let sign = if zone.starts_with('-') { -1 } else { 1 };
    Some((body, Some(sign * (hours * 60 + minutes))))
}

/// The digits before a `.ssss` fraction (allowed only after the seconds), and the fraction.
fn split_fraction(body: &str) -> Option<(&str, &str)> {
    let (digits, fraction) = body.split_once('.').unwrap_or((body, ""));
    let all_digits = |t: &str| t.bytes().all(|b| b.is_ascii_digit());
    let fraction_ok = body.find('.').is_none() || (digits.len() == 14 && (1..=4).contains(&fraction.len()));
    (all_digits(digits) && all_digits(fraction) && fraction_ok).then_some((digits, fraction))
}

/// UK local time (GMT or BST) of a UTC time.
fn uk_local(utc: NaiveDateTime) -> Option<NaiveDateTime> {
    let year = utc.year();
    let change = |month: u32| last_sunday(year, month).and_then(|d| d.and_hms_opt(1, 0, 0));
    let (starts, ends) = (change(3)?, change(10)?);
    Some(if utc >= starts && utc < ends {
        utc + Duration::hours(1)
    } else {
        utc
    })
}

fn last_sunday(year: i32, month: u32) -> Option<NaiveDate> {
    let last = NaiveDate::from_ymd_opt(year, month + 1, 1)?.pred_opt()?;
    let back = last.weekday().num_days_from_sunday();
    last.checked_sub_signed(Duration::days(i64::from(back)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_as_text(s: &str) -> String {
        match date_time(s) {
            Ok(Some(t)) => t.to_string(),
            Ok(None) => "empty".into(),
            Err(_) => "refused".into(),
        }
    }

    #[test]
    fn forms_offsets_and_refusals() {
        for (input, expected) in [
            ("20261122", "2026-11-22 00:00:00"),
            ("2026112214", "2026-11-22 14:00:00"),
            ("202611221430", "2026-11-22 14:30:00"),
            ("20261122143005", "2026-11-22 14:30:05"),
            ("20261122143005.1", "2026-11-22 14:30:05"),
            ("20261122143005.1234+0000", "2026-11-22 14:30:05"),
            ("20261122143005+0100", "2026-11-22 13:30:05"),
            ("20260701090000+0000", "2026-07-01 10:00:00"),
            ("20260701100000+0100", "2026-07-01 10:00:00"),
            // The clocks change at 01:00 UTC: 29 March and 25 October 2026.
            ("20260329005959+0000", "2026-03-29 00:59:59"),
            ("20260329010000+0000", "2026-03-29 02:00:00"),
            ("20261025005959+0000", "2026-10-25 01:59:59"),
            ("20261025010000+0000", "2026-10-25 01:00:00"),
            ("20261231233000-0100", "2027-01-01 00:30:00"),
            ("20261122+0000", "2026-11-22 00:00:00"),
            ("", "empty"),
            ("2026", "refused"),
            ("202611", "refused"),
            ("20261345", "refused"),
            ("202611221430.5", "refused"),
            ("20261122143005.12345", "refused"),
            ("20261122143005+01", "refused"),
            ("20261122143005+2500", "refused"),
            ("2026-11-22", "refused"),
            ("20261122250000", "refused"),
            ("99991231235959-1400", "refused"),
        ] {
            assert_eq!(read_as_text(input), expected, "{input}");
        }
        assert_eq!(
            date("19890118000000+0100").unwrap().map(|d| d.to_string()).as_deref(),
            Some("1989-01-18"),
            "a date of birth is read as written"
        );
        assert!(date("19501301").is_err());
        let long = "9".repeat(1_000);
        assert!(
            date_time(&long).unwrap_err().len() < 120,
            "the reason does not repeat a huge value"
        );
    }
}
