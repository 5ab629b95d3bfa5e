//! The CHC caseload's columns and how each one sorts (issue 17 item 6). The
//! default order is `chc_case::caseload_order` (overdue first); a clicked header
//! sorts by that column, ascending then descending, with ties in default order.

use std::cmp::Ordering;

use super::chc_case::{CaseloadRow, caseload_order};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CaseloadColumn {
    Name,
    NhsNumber,
    Stage,
    /// Days on the 28-day clock; decided cases after undecided ones.
    Clock,
    NextReview,
}

impl CaseloadColumn {
    pub const ALL: [CaseloadColumn; 5] = [
        CaseloadColumn::Name,
        CaseloadColumn::NhsNumber,
        CaseloadColumn::Stage,
        CaseloadColumn::Clock,
        CaseloadColumn::NextReview,
    ];

    pub fn header(self) -> &'static str {
        match self {
            CaseloadColumn::Name => "Name",
            CaseloadColumn::NhsNumber => "NHS number",
            CaseloadColumn::Stage => "Stage",
            CaseloadColumn::Clock => "Day N of 28",
            CaseloadColumn::NextReview => "Next review",
        }
    }
}

/// A column and a direction; None in the window's state means the default order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CaseloadSort {
    pub column: CaseloadColumn,
    pub is_ascending: bool,
}

impl CaseloadSort {
    /// The sort after clicking `column`'s header: ascending first, then descending,
    /// then back to the default order.
    pub fn after_click(current: Option<CaseloadSort>, column: CaseloadColumn) -> Option<CaseloadSort> {
        match current {
            Some(s) if s.column == column && s.is_ascending => Some(CaseloadSort {
                column,
                is_ascending: false,
            }),
            Some(s) if s.column == column => None,
            _ => Some(CaseloadSort {
                column,
                is_ascending: true,
            }),
        }
    }
}

fn by_column(column: CaseloadColumn, a: &CaseloadRow, b: &CaseloadRow) -> Ordering {
    match column {
        CaseloadColumn::Name => a.name.to_lowercase().cmp(&b.name.to_lowercase()),
        // People without an NHS number last.
        CaseloadColumn::NhsNumber => match (&a.nhs_number, &b.nhs_number) {
            (Some(x), Some(y)) => x.digits().cmp(&y.digits()),
            (x, y) => y.is_some().cmp(&x.is_some()),
        },
        CaseloadColumn::Stage => a.case.stage.cmp(&b.case.stage),
        CaseloadColumn::Clock => (a.case.decided_on.is_some(), a.case.days_on_clock)
            .cmp(&(b.case.decided_on.is_some(), b.case.days_on_clock)),
        // People with no review date (undecided, not eligible) last.
        CaseloadColumn::NextReview => match (a.case.next_review, b.case.next_review) {
            (Some(x), Some(y)) => x.cmp(&y),
            (x, y) => y.is_some().cmp(&x.is_some()),
        },
    }
}

/// The rows' indices in the order asked for (the rows themselves are not copied).
pub fn sorted_indices(rows: &[CaseloadRow], sort: Option<CaseloadSort>) -> Vec<usize> {
    let mut order: Vec<usize> = (0..rows.len()).collect();
    order.sort_by(|&i, &j| {
        let (a, b) = (&rows[i], &rows[j]);
        let by = match sort {
            None => Ordering::Equal,
            Some(s) if s.is_ascending => by_column(s.column, a, b),
            Some(s) => by_column(s.column, b, a),
        };
        by.then_with(|| caseload_order(&a.case, &b.case))
    });
    order
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::NhsNumber;
    use crate::domain::chc_case::{ChcCase, ChcStage};
    use crate::domain::dates::parse_date;

    fn row(name: &str, nhs: Option<&str>, stage: ChcStage, days: i64, review: Option<&str>) -> CaseloadRow {
        let day = |s: &str| parse_date(s).unwrap();
        CaseloadRow {
            person_id: 0,
            nhs_number: nhs.map(|n| NhsNumber::parse(n).unwrap()),
            name: name.into(),
            case: ChcCase {
                stage,
                started_on: day("2026-01-01"),
                days_on_clock: days,
                decision_due: day("2026-01-29"),
                is_overdue: review.is_none() && days > 28,
                decided_on: review.map(|_| day("2026-01-20")),
                next_review: review.map(day),
                is_review_overdue: false,
            },
            is_restricted: false,
        }
    }

    #[test]
    fn each_column_sorts_both_ways() {
        use CaseloadColumn::*;
        let rows = vec![
            row("COLE, Brenda", Some("9990000034"), ChcStage::AwaitingDecision, 12, None),
            row(
                "ADEYEMI, Samuel",
                Some("9990000018"),
                ChcStage::ChecklistPositive,
                31,
                None,
            ),
            row(
                "WALSH, Patricia",
                None,
                ChcStage::EligibleReviewDue,
                20,
                Some("2026-04-20"),
            ),
            row(
                "doyle, Kenneth",
                Some("9990000026"),
                ChcStage::EligibleReviewed,
                5,
                Some("2026-03-01"),
            ),
        ];
        type Case = (Option<(CaseloadColumn, bool)>, [&'static str; 4]);
        let cases: &[Case] = &[
            (None, ["ADEYEMI", "COLE", "WALSH", "doyle"]),
            (Some((Name, true)), ["ADEYEMI", "COLE", "doyle", "WALSH"]),
            (Some((Name, false)), ["WALSH", "doyle", "COLE", "ADEYEMI"]),
            (Some((NhsNumber, true)), ["ADEYEMI", "doyle", "COLE", "WALSH"]),
            (Some((Stage, true)), ["ADEYEMI", "COLE", "WALSH", "doyle"]),
            (Some((Stage, false)), ["doyle", "WALSH", "COLE", "ADEYEMI"]),
            (Some((Clock, true)), ["COLE", "ADEYEMI", "doyle", "WALSH"]),
            (Some((Clock, false)), ["WALSH", "doyle", "ADEYEMI", "COLE"]),
            (Some((NextReview, true)), ["doyle", "WALSH", "ADEYEMI", "COLE"]),
        ];
        for (sort, expect) in cases {
            let order = sorted_indices(
                &rows,
                sort.map(|(column, is_ascending)| CaseloadSort { column, is_ascending }),
            );
            let names: Vec<&str> = order.iter().map(|i| rows[*i].name.split(',').next().unwrap()).collect();
            assert_eq!(names, expect, "{sort:?}");
        }
    }

    #[test]
    fn a_header_click_cycles_ascending_descending_default() {
        let s = CaseloadSort::after_click(None, CaseloadColumn::Stage);
        assert_eq!(s.map(|s| s.is_ascending), Some(true));
        let s = CaseloadSort::after_click(s, CaseloadColumn::Stage);
        assert_eq!(s.map(|s| s.is_ascending), Some(false));
        assert_eq!(CaseloadSort::after_click(s, CaseloadColumn::Stage), None);
        let s = CaseloadSort::after_click(s, CaseloadColumn::Name);
        assert_eq!(
            s.map(|s| (s.column, s.is_ascending)),
            Some((CaseloadColumn::Name, true))
        );
    }
}
