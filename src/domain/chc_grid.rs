//! Before a Checklist or DST outcome is shown or saved: every domain chosen, and a
//! date that is not in the future (issue 17 item 6; SAFETY H42).
//!
//! A form that starts with every domain at "C" or "No needs" shows a green
//! "no full assessment required" before anyone has assessed anything. Here a grid
//! is "not yet assessed" until each of its domains has a level, and only then do
//! the thresholds in `chc` and `chc_dst` apply.

use chrono::NaiveDate;

use super::chc::{ChcAssessmentKind, ChcDomain};
use super::dates::{fmt_date, parse_date};

/// The domains a kind of assessment grades: 11 for the Checklist, 12 for the DST,
/// none for a Fast Track or a review.
pub fn domains_of(kind: ChcAssessmentKind) -> &'static [ChcDomain] {
    match kind {
        ChcAssessmentKind::Checklist => &ChcDomain::CHECKLIST,
        ChcAssessmentKind::Dst => &ChcDomain::ALL,
        ChcAssessmentKind::FastTrack | ChcAssessmentKind::Review => &[],
    }
}

/// A grid with domains still to choose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotYetAssessed {
    pub chosen: usize,
    pub of: usize,
    /// In the form's order.
    pub missing: Vec<ChcDomain>,
}

impl NotYetAssessed {
    /// What the form shows in place of an outcome.
    pub fn summary(&self) -> String {
        format!("not yet assessed: {} of {} domains chosen", self.chosen, self.of)
    }

    /// Why Save is refused, naming every domain still to choose.
    pub fn refusal(&self) -> String {
        let names: Vec<&str> = self.missing.iter().map(|d| d.label()).collect();
        format!(
            "choose a level for every domain before saving; still to choose: {}",
            names.join(", ")
        )
    }
}

/// Ok when every domain of `kind` is in `chosen`; otherwise what is missing.
///
/// For the DST, "Other significant care needs" has no "No needs" level: the form
/// counts it as chosen when the assessor says there are none, and stores nothing.
pub fn check_complete(kind: ChcAssessmentKind, chosen: &[ChcDomain]) -> Result<(), NotYetAssessed> {
    let all = domains_of(kind);
    let missing: Vec<ChcDomain> = all.iter().copied().filter(|d| !chosen.contains(d)).collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(NotYetAssessed {
            chosen: all.len() - missing.len(),
            of: all.len(),
            missing,
        })
    }
}

/// Ok when an assessment to be recorded grades every domain of its kind (the
/// service's check, after the form's: a grid with a domain left out would show an
/// outcome no one assessed). A DST's "Other significant care needs" is stored only
/// when it has needs, so its absence is "none".
pub fn check_recorded(a: &super::chc::ChcAssessment) -> Result<(), NotYetAssessed> {
    let mut chosen: Vec<ChcDomain> = a.domains.iter().map(|(d, _)| *d).collect();
    if a.kind == ChcAssessmentKind::Dst {
        chosen.push(ChcDomain::Other);
    }
    check_complete(a.kind, &chosen)
}

/// The date an assessment or review was completed, as typed (YYYY-MM-DD or
/// dd-Mmm-yyyy): a real date, and not after today.
pub fn check_completed_on(typed: &str, today: NaiveDate) -> Result<NaiveDate, String> {
    let date = parse_date(typed).ok_or("give the date it was completed (YYYY-MM-DD)")?;
    check_not_after_today(date, today)?;
    Ok(date)
}

/// An assessment or review is recorded once it is completed, never ahead of time
/// (the form checks it as typed; the service again when it is saved).
pub fn check_not_after_today(date: NaiveDate, today: NaiveDate) -> Result<(), String> {
    if date > today {
        return Err(format!(
            "the date {} is after today: record an assessment once it is completed",
            fmt_date(date)
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use ChcAssessmentKind::*;
    use ChcDomain::*;

    #[test]
    fn the_service_records_only_a_graded_grid() {
        let assessment = |kind, domains: &[ChcDomain]| super::super::chc::ChcAssessment {
            episode_id: 0,
            kind,
            completed_on: NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
            completed_by: None,
            domains: domains.iter().map(|d| (*d, "C".to_owned())).collect(),
            mdt_recommendation: None,
            icb_decision: None,
            recorded_positive: None,
            evidence: vec![],
        };
        let dst_without_other: Vec<ChcDomain> = ChcDomain::ALL.iter().copied().filter(|d| *d != Other).collect();
        for (kind, domains, ok) in [
            (Checklist, ChcDomain::CHECKLIST.to_vec(), true),
            (Checklist, vec![Mobility, Cognition], false),
            (Checklist, vec![], false),
            // A DST's "Other" is stored only when it has needs.
            (Dst, dst_without_other.clone(), true),
            (Dst, ChcDomain::ALL.to_vec(), true),
            (Dst, dst_without_other[1..].to_vec(), false),
            (FastTrack, vec![], true),
            (Review, vec![], true),
        ] {
            assert_eq!(
                check_recorded(&assessment(kind, &domains)).is_ok(),
                ok,
                "{kind:?} {domains:?}"
            );
        }
    }

    #[test]
    fn not_yet_assessed_until_every_domain_is_chosen() {
        let all_but = |kind: ChcAssessmentKind, gone: &[ChcDomain]| -> Vec<ChcDomain> {
            domains_of(kind).iter().copied().filter(|d| !gone.contains(d)).collect()
        };
        type Case = (ChcAssessmentKind, Vec<ChcDomain>, Option<(&'static str, &'static str)>);
        let cases: Vec<Case> = vec![
            (Checklist, all_but(Checklist, &[]), None),
            (Dst, all_but(Dst, &[]), None),
            (
                Checklist,
                vec![],
                Some((
                    "not yet assessed: 0 of 11 domains chosen",
                    "choose a level for every domain before saving; still to choose: Breathing, Nutrition, \
                     Continence, Skin, Mobility, Communication, Psychological and emotional needs, Cognition, \
                     Behaviour, Drug therapies and medication, Altered states of consciousness",
                )),
            ),
            (
                Checklist,
                all_but(Checklist, &[AlteredStatesOfConsciousness]),
                Some((
                    "not yet assessed: 10 of 11 domains chosen",
                    "choose a level for every domain before saving; still to choose: Altered states of consciousness",
                )),
            ),
            (
                Dst,
                all_but(Dst, &[Skin, Other]),
                Some((
                    "not yet assessed: 10 of 12 domains chosen",
                    "choose a level for every domain before saving; still to choose: Skin, Other significant care needs",
                )),
            ),
            // The Checklist has no "Other": a DST-only domain does not complete it.
            (
                Checklist,
                vec![Other],
                Some(("not yet assessed: 0 of 11 domains chosen", "")),
            ),
            (FastTrack, vec![], None),
            (Review, vec![], None),
        ];
        for (kind, chosen, expect) in cases {
            let got = check_complete(kind, &chosen);
            match expect {
                None => assert_eq!(got, Ok(()), "{kind:?} {chosen:?}"),
                Some((summary, refusal)) => {
                    let e = got.expect_err("incomplete");
                    assert_eq!(e.summary(), summary);
                    if !refusal.is_empty() {
                        assert_eq!(e.refusal(), refusal);
                    }
                }
            }
        }
    }

    #[test]
    fn completed_on_is_a_date_not_after_today() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
        let cases: &[(&str, Result<&str, &str>)] = &[
            ("2026-11-22", Ok("2026-11-22")),
            ("2026-11-01", Ok("2026-11-01")),
            ("01-Nov-2026", Ok("2026-11-01")),
            (
                "2026-11-23",
                Err("the date 23-Nov-2026 is after today: record an assessment once it is completed"),
            ),
            ("", Err("give the date it was completed (YYYY-MM-DD)")),
            ("2026-02-30", Err("give the date it was completed (YYYY-MM-DD)")),
        ];
        for (typed, expect) in cases {
            let got = check_completed_on(typed, today);
            match expect {
                Ok(d) => assert_eq!(got, Ok(parse_date(d).unwrap()), "{typed}"),
                Err(e) => assert_eq!(got.unwrap_err(), *e, "{typed}"),
            }
        }
    }
}
