//! The audit screen's date range: whole days, from and to inclusive, either end
//! open. Typed in any of the input forms of `dates` and checked once.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};

use super::dates::{fmt_date, parse_date};

/// Days of the audit log to read, inclusive at both ends; `None` is open.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AuditRange {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

impl AuditRange {
    /// From the two boxes as typed (blank is open), or why not.
    pub fn parse(from: &str, to: &str) -> Result<AuditRange, String> {
        let day = |text: &str, which: &str| -> Result<Option<NaiveDate>, String> {
            let t = text.trim();
            if t.is_empty() {
                return Ok(None);
            }
            parse_date(t)
                .map(Some)
                .ok_or_else(|| format!("{which} {t:?} is not a date: type it as 22-Nov-2026 or 2026-11-22"))
        };
        let range = AuditRange {
            from: day(from, "From")?,
            to: day(to, "To")?,
        };
        if let (Some(f), Some(t)) = (range.from, range.to)
            && f > t
        {
            return Err(format!("From {} is after To {}", fmt_date(f), fmt_date(t)));
        }
        Ok(range)
    }

    /// The times the store reads between: from the start of `from` up to (not
    /// including) the start of the day after `to`.
    pub fn bounds(&self) -> (NaiveDateTime, NaiveDateTime) {
        // Open ends as dates both engines hold (PostgreSQL's timestamps stop short
        // of chrono's MIN and MAX), written as text that sorts as the time does.
        let first = NaiveDate::from_ymd_opt(1, 1, 1).unwrap_or_default();
        let last = NaiveDate::from_ymd_opt(9999, 12, 31).unwrap_or_default();
        let start = self.from.unwrap_or(first).and_time(NaiveTime::MIN);
        let end = self
            .to
            .and_then(|t| t.succ_opt())
            .unwrap_or(last)
            .and_time(NaiveTime::MIN);
        (start, end)
    }

    /// In words, for the screen and the export's audit event.
    pub fn describe(&self) -> String {
        match (self.from, self.to) {
            (None, None) => "all dates".into(),
            (Some(f), None) => format!("from {}", fmt_date(f)),
            (None, Some(t)) => format!("up to {}", fmt_date(t)),
            (Some(f), Some(t)) => format!("{} to {}", fmt_date(f), fmt_date(t)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        parse_date(s).unwrap()
    }

    #[test]
    fn a_range_is_typed_checked_and_inclusive() {
        for (from, to, want) in [
            ("", "", Ok(AuditRange::default())),
            (
                "01-Nov-2026",
                "2026-11-22",
                Ok(AuditRange {
                    from: Some(d("2026-11-01")),
                    to: Some(d("2026-11-22")),
                }),
            ),
            (
                " 22/11/2026 ",
                "",
                Ok(AuditRange {
                    from: Some(d("2026-11-22")),
                    to: None,
                }),
            ),
            ("yesterday", "", Err("From \"yesterday\" is not a date".to_owned())),
            (
                "23-Nov-2026",
                "22-Nov-2026",
                Err("From 23-Nov-2026 is after To 22-Nov-2026".to_owned()),
            ),
        ] {
            match (AuditRange::parse(from, to), want) {
                (Ok(got), Ok(want)) => assert_eq!(got, want, "{from} {to}"),
                (Err(got), Err(want)) => assert!(got.starts_with(&want), "{got}"),
                (got, want) => panic!("{from} {to}: {got:?}, wanted {want:?}"),
            }
        }
        let one_day = AuditRange::parse("22-Nov-2026", "22-Nov-2026").unwrap();
        let (start, end) = one_day.bounds();
        assert_eq!(start, d("2026-11-22").and_hms_opt(0, 0, 0).unwrap());
        assert_eq!(end, d("2026-11-23").and_hms_opt(0, 0, 0).unwrap(), "the whole of To");
        assert_eq!(one_day.describe(), "22-Nov-2026 to 22-Nov-2026");
        let (start, end) = AuditRange::default().bounds();
        assert!(start < d("1900-01-01").and_hms_opt(0, 0, 0).unwrap());
        assert!(end > d("2999-01-01").and_hms_opt(0, 0, 0).unwrap());
        assert_eq!(AuditRange::default().describe(), "all dates");
    }
}
