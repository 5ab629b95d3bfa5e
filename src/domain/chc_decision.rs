//! The ICB's decision on a CHC assessment, as a coordinator records it (issue 17
//! item 6, SAFETY.md H31): which assessment a decision belongs to, and what a
//! decision must say before it is stored. The rules never decide; this only checks
//! that what the ICB decided is recorded against the right assessment.

use chrono::NaiveDate;

use super::chc::{ChcAssessment, ChcAssessmentKind, IcbDecision};
use super::chc_case::chc_case;
use super::dates::fmt_date;

/// The longest decision maker's name and note kept (the import limits' sizes).
pub const DECIDED_BY_MAX_CHARS: usize = 200;
pub const NOTE_MAX_CHARS: usize = 2000;

/// True for an assessment the ICB decides on: a DST or a Fast Track.
pub fn is_decided_by_icb(a: &ChcAssessment) -> bool {
    matches!(a.kind, ChcAssessmentKind::Dst | ChcAssessmentKind::FastTrack)
}

/// The assessments of the person's open CHC process that await the ICB's decision,
/// oldest first: a DST or Fast Track with no decision, on or after the start of a
/// process that is not yet decided.
pub fn awaiting_decision(assessments: &[ChcAssessment], today: NaiveDate) -> Vec<&ChcAssessment> {
    let Some(case) = chc_case(assessments, today) else {
        return Vec::new();
    };
    if case.decided_on.is_some() {
        return Vec::new();
    }
    let mut open: Vec<&ChcAssessment> = assessments
        .iter()
        .filter(|a| {
            is_decided_by_icb(a)
                && a.icb_decision.is_none()
                && a.completed_on >= case.started_on
                && a.completed_on <= today
        })
        .collect();
    open.sort_by_key(|a| (a.completed_on, a.episode_id));
    open
}

/// The one assessment a decision given without naming one is for (the command
/// line's `chc decide`): the only one awaiting a decision, or the one completed on
/// `assessed` when several are. The error is the sentence to show.
pub fn choose_awaiting(
    assessments: &[ChcAssessment],
    assessed: Option<NaiveDate>,
    today: NaiveDate,
) -> Result<&ChcAssessment, String> {
    let open = awaiting_decision(assessments, today);
    let dates = || {
        open.iter()
            .map(|a| fmt_date(a.completed_on))
            .collect::<Vec<_>>()
            .join(", ")
    };
    match (open.as_slice(), assessed) {
        ([], _) => Err("no DST or Fast Track of this person awaits an ICB decision".into()),
        (_, Some(day)) => {
            let on: Vec<_> = open.iter().filter(|a| a.completed_on == day).collect();
            match on.as_slice() {
                [one] => Ok(one),
                [] => Err(format!(
                    "no assessment completed on {} awaits a decision; awaiting: {}",
                    fmt_date(day),
                    dates()
                )),
                _ => Err(format!(
                    "{} assessments completed on {} await a decision: record it in the window",
                    on.len(),
                    fmt_date(day)
                )),
            }
        }
        ([one], None) => Ok(one),
        (_, None) => Err(format!(
            "{} assessments await an ICB decision (completed {}): say which with --assessed YYYY-MM-DD",
            open.len(),
            dates()
        )),
    }
}

/// Check a decision before it is recorded against `a`: on a DST or Fast Track,
/// dated neither before the assessment nor after `today`, with who made it.
pub fn check_decision(a: &ChcAssessment, d: &IcbDecision, today: NaiveDate) -> Result<(), String> {
    if !is_decided_by_icb(a) {
        return Err("the ICB decides on a DST or a Fast Track; a Checklist only screens".into());
    }
    if d.date < a.completed_on {
        return Err(format!(
            "the decision is dated {}, before the assessment it decides ({})",
            fmt_date(d.date),
            fmt_date(a.completed_on)
        ));
    }
    if d.date > today {
        return Err(format!(
            "the decision is dated {}, in the future: record it once it is made",
            fmt_date(d.date)
        ));
    }
    match d.decided_by.as_deref().map(str::trim) {
        None | Some("") => return Err("say who at the ICB made the decision".into()),
        Some(by) if by.chars().count() > DECIDED_BY_MAX_CHARS => {
            return Err(format!(
                "the decision maker's name is longer than {DECIDED_BY_MAX_CHARS} characters"
            ));
        }
        Some(_) => {}
    }
    if d.note.as_deref().is_some_and(|n| n.chars().count() > NOTE_MAX_CHARS) {
        return Err(format!("the note is longer than {NOTE_MAX_CHARS} characters"));
    }
    Ok(())
}

/// A decision in words, for the audit log and the command line:
/// "eligible on 20-Nov-2026 by Dr A. Shah (note: agreed with the MDT)".
pub fn describe(d: &IcbDecision) -> String {
    format!(
        "{} on {}{}{}",
        if d.is_eligible { "eligible" } else { "not eligible" },
        fmt_date(d.date),
        d.decided_by.as_deref().map(|b| format!(" by {b}")).unwrap_or_default(),
        d.note.as_deref().map(|n| format!(" (note: {n})")).unwrap_or_default()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::dates::parse_date;
    use ChcAssessmentKind::*;

    fn day(s: &str) -> NaiveDate {
        parse_date(s).unwrap()
    }

    fn a(id: i64, kind: ChcAssessmentKind, on: &str, decided: Option<&str>) -> ChcAssessment {
        ChcAssessment {
            episode_id: id,
            kind,
            completed_on: day(on),
            completed_by: None,
            domains: vec![],
            mdt_recommendation: None,
            icb_decision: decided.map(|d| decision(d, "Dr A. Shah")),
            recorded_positive: (kind == Checklist).then_some(true),
            evidence: vec![],
        }
    }

    fn decision(on: &str, by: &str) -> IcbDecision {
        IcbDecision {
            date: day(on),
            is_eligible: true,
            note: None,
            decided_by: Some(by.into()),
        }
    }

    #[test]
    fn which_assessment_awaits_a_decision() {
        let today = day("2026-11-22");
        let checklist = a(1, Checklist, "2026-10-24", None);
        let dst = a(2, Dst, "2026-11-12", None);
        let both = [checklist.clone(), dst.clone()];
        assert_eq!(choose_awaiting(&both, None, today).unwrap().episode_id, 2);
        // A DST of an earlier, closed process is not this one's.
        let old = a(3, Dst, "2025-01-10", None);
        let with_old = [old, checklist.clone(), dst.clone()];
        assert_eq!(choose_awaiting(&with_old, None, today).unwrap().episode_id, 2);
        // Two open: refused unless one is named by its date.
        let second = a(4, Dst, "2026-11-20", None);
        let two = [checklist.clone(), dst.clone(), second];
        let e = choose_awaiting(&two, None, today).unwrap_err();
        assert!(e.contains("2 assessments await") && e.contains("--assessed"), "{e}");
        assert_eq!(
            choose_awaiting(&two, Some(day("2026-11-20")), today)
                .unwrap()
                .episode_id,
            4
        );
        assert!(choose_awaiting(&two, Some(day("2026-11-21")), today).is_err());
        // Decided already, or only a Checklist: none awaits.
        let decided = [checklist.clone(), a(2, Dst, "2026-11-12", Some("2026-11-15"))];
        assert!(
            choose_awaiting(&decided, None, today)
                .unwrap_err()
                .starts_with("no DST")
        );
        assert!(awaiting_decision(std::slice::from_ref(&checklist), today).is_empty());
        assert!(awaiting_decision(&[], today).is_empty());
    }

    #[test]
    fn a_decision_is_checked_before_it_is_recorded() {
        let today = day("2026-11-22");
        let dst = a(2, Dst, "2026-11-12", None);
        let cases: &[(&ChcAssessment, IcbDecision, Option<&str>)] = &[
            (&dst, decision("2026-11-20", "Dr A. Shah"), None),
            (&dst, decision("2026-11-12", "Dr A. Shah"), None),
            (&dst, decision("2026-11-22", "Dr A. Shah"), None),
            (
                &dst,
                decision("2026-11-11", "Dr A. Shah"),
                Some("before the assessment"),
            ),
            (&dst, decision("2026-11-23", "Dr A. Shah"), Some("in the future")),
            (&dst, decision("2026-11-20", "  "), Some("say who")),
            (
                &a(1, Checklist, "2026-10-24", None),
                decision("2026-11-20", "Dr A. Shah"),
                Some("a Checklist only screens"),
            ),
        ];
        for (assessment, d, expected) in cases {
            let got = check_decision(assessment, d, today);
            match expected {
                None => assert!(got.is_ok(), "{d:?}: {got:?}"),
                Some(words) => assert!(got.as_ref().unwrap_err().contains(words), "{d:?}: {got:?}"),
            }
        }
        let mut no_one = decision("2026-11-20", "x");
        no_one.decided_by = None;
        assert!(check_decision(&dst, &no_one, today).is_err());
        assert_eq!(
            describe(&decision("2026-11-20", "Dr A. Shah")),
            "eligible on 20-Nov-2026 by Dr A. Shah"
        );
    }
}
