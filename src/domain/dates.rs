//! Date display and flexible date-time input shared by every layer.
//!
//! The product shows dates as `22-Nov-2026` (DESIGN.md section 2). Inputs carry dates
//! as ISO (`2026-11-22`, `2026-11-22T14:30[:00]`), `dd/mm/yyyy`, `dd-Mmm-yyyy` or HL7
//! `yyyyMMdd[HHmm[ss]]` (DESIGN.md section 3).

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};

/// `22-Nov-2026`.
pub fn fmt_date(d: NaiveDate) -> String {
    d.format("%d-%b-%Y").to_string()
}

/// `22-Nov-2026 14:30`, or just the date when the time is midnight (date-only data).
pub fn fmt_date_time(t: NaiveDateTime) -> String {
    if t.time() == NaiveTime::MIN {
        fmt_date(t.date())
    } else {
        t.format("%d-%b-%Y %H:%M").to_string()
    }
}

/// Whole years between `dob` and `on`.
pub fn age_on(dob: NaiveDate, on: NaiveDate) -> i32 {
    on.years_since(dob).map(|y| y as i32).unwrap_or(0)
}

/// Parse a date in any accepted input form. Time parts, if present, are dropped.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    parse_date_time(s).map(|t| t.date())
}

/// Parse a date or date-time in any accepted input form; a bare date means midnight.
pub fn parse_date_time(s: &str) -> Option<NaiveDateTime> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    if let Some(t) = parse_iso_fast(s) {
        return Some(t);
    }
    for f in [
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
    ] {
        if let Ok(t) = NaiveDateTime::parse_from_str(s, f) {
            return Some(t);
        }
    }
    // ISO with offset or Z: keep the wall-clock time as written.
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(s) {
        return Some(t.naive_local());
    }
    for f in ["%Y-%m-%d", "%d/%m/%Y", "%d-%b-%Y"] {
        if let Ok(d) = NaiveDate::parse_from_str(s, f) {
            return Some(d.and_time(NaiveTime::MIN));
        }
    }
    if s.len() >= 8 && s.bytes().all(|b| b.is_ascii_digit()) {
        let d = NaiveDate::parse_from_str(&s[..8], "%Y%m%d").ok()?;
        let rest = &s[8..];
        let (h, m, sec) = match rest.len() {
            0 => (0, 0, 0),
            4 => (rest[..2].parse().ok()?, rest[2..4].parse().ok()?, 0),
            6 => (
                rest[..2].parse().ok()?,
                rest[2..4].parse().ok()?,
                rest[4..6].parse().ok()?,
            ),
            _ => return None,
        };
        return d.and_hms_opt(h, m, sec);
    }
    None
}

/// The common ISO shapes (`2026-11-22`, `2026-11-22T14:30`, `2026-11-22T14:30:05`),
/// read without trying every format in turn: imports read millions of these.
fn parse_iso_fast(s: &str) -> Option<NaiveDateTime> {
    let b = s.as_bytes();
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        let mut v = 0u32;
        for &c in b.get(r)? {
            if !c.is_ascii_digit() {
                return None;
            }
            v = v * 10 + u32::from(c - b'0');
        }
        Some(v)
    };
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let date = NaiveDate::from_ymd_opt(num(0..4)? as i32, num(5..7)?, num(8..10)?)?;
    match b.len() {
        10 => Some(date.and_time(NaiveTime::MIN)),
        16 if b[10] == b'T' && b[13] == b':' => date.and_hms_opt(num(11..13)?, num(14..16)?, 0),
        19 if b[10] == b'T' && b[13] == b':' && b[16] == b':' => {
            date.and_hms_opt(num(11..13)?, num(14..16)?, num(17..19)?)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepted_forms() {
        let d = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
        for s in [
            "2026-11-22",
            "22/11/2026",
            "22-Nov-2026",
            "20261122",
            "2026-11-22T00:00",
        ] {
            assert_eq!(parse_date(s), Some(d), "{s}");
        }
        let t = parse_date_time("202611221430").unwrap();
        assert_eq!(fmt_date_time(t), "22-Nov-2026 14:30");
        assert_eq!(fmt_date(d), "22-Nov-2026");
        assert_eq!(parse_date("31/02/2026"), None);
        assert_eq!(parse_date("2026-02-31"), None);
        assert_eq!(
            parse_date_time("2026-11-22T14:30:05").unwrap().to_string(),
            "2026-11-22 14:30:05"
        );
        assert_eq!(
            parse_date_time("2026-11-22T14:30:00+01:00").unwrap().to_string(),
            "2026-11-22 14:30:00"
        );
        assert_eq!(parse_date("tomorrow"), None);
        assert_eq!(parse_date("2026112"), None);
    }

    #[test]
    fn ages() {
        let dob = NaiveDate::from_ymd_opt(1940, 11, 23).unwrap();
        assert_eq!(age_on(dob, NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()), 85);
        assert_eq!(age_on(dob, NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()), 86);
    }
}
