//! Reading a bundle's hospital spell facts (discharge, criteria to reside reviews,
//! delay reasons) and CHC assessments (domain grids checked against the levels each
//! tool allows), for `read.rs`.

use super::read::Checker;
use super::*;
use crate::domain::chc::{ChcAssessment, ChcAssessmentKind, ChcDomain, IcbDecision};
use crate::domain::chc_dst::{DstLevel, check_level};
use crate::domain::discharge::CtrReview;
use crate::domain::hospital::{Attribution, DelayReason, HospitalSpell};
use std::collections::BTreeMap;

use chrono::{NaiveDate, NaiveDateTime};

use crate::domain::EpisodeKind;
use crate::domain::care_plan::{ActionStatus, PlanAction};
use crate::domain::episode::attr;

pub(super) fn spell_of(
    ck: &mut Checker,
    s: &BundleSpell,
    start: Option<NaiveDateTime>,
    end: Option<NaiveDateTime>,
    attributes: &mut BTreeMap<String, String>,
) -> HospitalSpell {
    // Rules read the coded facts from the episode's attributes: keep them in step.
    for (k, v) in [
        (attr::ADMISSION_METHOD, &s.admission_method),
        (attr::DISCHARGE_METHOD, &s.discharge_method),
        (attr::DISCHARGE_DESTINATION, &s.discharge_destination),
    ] {
        if let Some(v) = v {
            attributes.insert(k.to_owned(), v.clone());
        }
    }
    if s.pathway.is_some_and(|p| p > 3) {
        ck.reject("spell.pathway", "the discharge pathway is 0, 1, 2 or 3");
    }
    let delay_reasons = s
        .delay_reasons
        .iter()
        .filter_map(|r| {
            let attribution = Attribution::from_code(&r.attribution);
            if attribution.is_none() {
                ck.reject(
                    "spell.delay_reasons.attribution",
                    format!("{:?} is not nhs, social_care, both or other", r.attribution),
                );
            }
            let since = ck.date("spell.delay_reasons.since", &r.since);
            Some(DelayReason {
                id: 0,
                code: r.code.clone(),
                description: r.description.clone(),
                attribution: attribution?,
                since: since?,
                owner: r.owner.clone(),
            })
        })
        .collect();
    HospitalSpell {
        episode_id: 0,
        hospital: s.hospital.clone(),
        ward: s.ward.clone(),
        admitted: start,
        discharged: end,
        admission_method: s.admission_method.clone(),
        admission_source: s.admission_source.clone(),
        discharge_method: s.discharge_method.clone(),
        discharge_destination: s.discharge_destination.clone(),
        meets_criteria_to_reside: s.meets_criteria_to_reside,
        criteria_to_reside_code: s.criteria_to_reside_code.clone(),
        discharge_ready_date: ck.opt_date("spell.discharge_ready_date", &s.discharge_ready_date),
        pathway: s.pathway,
        delay_reasons,
        ctr_reviews: s
            .criteria_to_reside_reviews
            .iter()
            .filter_map(|r| {
                Some(CtrReview {
                    date: ck.date("spell.criteria_to_reside_reviews.date", &r.date)?,
                    meets: r.meets,
                    code: r.code.clone(),
                })
            })
            .collect(),
        next_action: s.next_action.clone(),
        next_action_owner: s.next_action_owner.clone(),
        revision: Default::default(),
    }
}

pub(super) fn chc_of(
    ck: &mut Checker,
    c: &BundleChc,
    kind: EpisodeKind,
    completed_on: NaiveDate,
) -> Option<ChcAssessment> {
    let a_kind = match c.kind.as_str() {
        "checklist" => ChcAssessmentKind::Checklist,
        "dst" => ChcAssessmentKind::Dst,
        "fast_track" => ChcAssessmentKind::FastTrack,
        "review" => ChcAssessmentKind::Review,
        other => {
            ck.reject(
                "chc.kind",
                format!("{other:?} is not checklist, dst, fast_track or review"),
            );
            return None;
        }
    };
    let expected_kind = match a_kind {
        ChcAssessmentKind::Checklist => EpisodeKind::ChcChecklist,
        ChcAssessmentKind::Dst => EpisodeKind::ChcDst,
        ChcAssessmentKind::FastTrack => EpisodeKind::ChcFastTrack,
        ChcAssessmentKind::Review => EpisodeKind::ChcReview,
    };
    if kind != expected_kind {
        ck.reject(
            "chc.kind",
            format!("a {} goes on an episode of kind {}", c.kind, expected_kind.code()),
        );
    }
    let mut domains = Vec::new();
    for (name, level) in &c.domains {
        let Some(d) = ChcDomain::from_code(name) else {
            ck.reject("chc.domains", format!("unknown CHC domain {name:?}"));
            continue;
        };
        match check_grid_level(a_kind, d, level) {
            Ok(l) => domains.push((d, l)),
            Err(e) => ck.reject(&format!("chc.domains.{name}"), e),
        }
    }
    domains.sort_by_key(|(d, _)| *d);
    let icb_decision = c.icb_decision.as_ref().and_then(|d| {
        Some(IcbDecision {
            date: ck.date("chc.icb_decision.date", &d.date)?,
            is_eligible: d.eligible,
            note: d.note.clone(),
            decided_by: d.decided_by.clone(),
        })
    });
    Some(ChcAssessment {
        episode_id: 0,
        kind: a_kind,
        completed_on,
        completed_by: c.completed_by.clone(),
        domains,
        mdt_recommendation: c.mdt_recommendation.clone(),
        icb_decision,
        recorded_positive: c.positive,
        evidence: c
            .evidence
            .iter()
            .filter_map(|(name, note)| ChcDomain::from_code(name).map(|d| (d, note.clone())))
            .collect(),
    })
}

/// A Checklist level is A, B or C in one of the 11 Checklist domains; a DST level is
/// one the domain allows (stored as its letter). Anything else is rejected, not stored.
pub(super) fn check_grid_level(kind: ChcAssessmentKind, domain: ChcDomain, level: &str) -> Result<String, String> {
    match kind {
        ChcAssessmentKind::Checklist => {
            if domain == ChcDomain::Other {
                return Err("the Checklist has no \"other\" domain".into());
            }
            let l = level.trim().to_uppercase();
            if matches!(l.as_str(), "A" | "B" | "C") {
                Ok(l)
            } else {
                Err(format!("{level:?} is not a Checklist level (A, B or C)"))
            }
        }
        _ => {
            let l =
                DstLevel::parse(level).ok_or_else(|| format!("{level:?} is not a DST level (N, L, M, H, S or P)"))?;
            check_level(domain, l)?;
            Ok(l.letter().to_owned())
        }
    }
}

/// A plan's actions with their due dates (shifted like every date of the story) and
/// statuses checked; `None` when one is not valid (rejected at `actions[i]`).
pub(super) fn actions_of(ck: &mut Checker, actions: &[BundleAction]) -> Option<Vec<PlanAction>> {
    let before = ck.rejections.mark();
    let out: Vec<PlanAction> = actions
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let status = match a.status.as_deref() {
                None => ActionStatus::NotStarted,
                Some(code) => ActionStatus::from_code(code).unwrap_or_else(|| {
                    ck.reject(
                        &format!("actions[{i}].status"),
                        format!(
                            "unknown action status {code:?} (not_started, in_progress, on_hold, done or cancelled)"
                        ),
                    );
                    ActionStatus::NotStarted
                }),
            };
            PlanAction {
                description: a.description.clone(),
                responsible_party: a.responsible_party,
                responsible_name: a.responsible_name.clone(),
                meets: a.meets.clone(),
                due: ck.opt_date(&format!("actions[{i}].due"), &a.due),
                status,
            }
        })
        .collect();
    (!ck.rejections.since(before)).then_some(out)
}
