//! Writing a bundle from stored records, in the format `read` accepts.

use chrono::{NaiveDate, NaiveDateTime};

use super::*;
use crate::domain::{Demographics, PersonRecord};

fn date_s(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

fn date_time_s(t: NaiveDateTime) -> String {
    if t.time() == chrono::NaiveTime::MIN {
        date_s(t.date())
    } else {
        t.format("%Y-%m-%dT%H:%M").to_string()
    }
}

fn demographics_out(d: &Demographics) -> BundleDemographics {
    BundleDemographics {
        given_name: d.given_name.clone(),
        family_name: d.family_name.clone(),
        date_of_birth: d.date_of_birth.map(date_s),
        date_of_death: d.date_of_death.map(date_s),
        sex: Some(d.sex),
        address: d.address.clone(),
        postcode: d.postcode.clone(),
        gp_practice: d.gp_practice.clone(),
        allocated_worker: d.allocated_worker.clone(),
    }
}

/// A bundle holding the given records, in the format [`parse`] reads.
pub fn write(records: &[PersonRecord], as_of: Option<NaiveDate>) -> Bundle {
    let people = records.iter().map(person_out).collect();
    Bundle {
        format: FORMAT_TAG.into(),
        version: FORMAT_VERSION,
        as_of: as_of.map(date_s),
        description: None,
        watermark: None,
        people,
    }
}

fn person_out(r: &PersonRecord) -> BundlePerson {
    let p = &r.person;
    let (first_source, first) = p
        .by_source
        .first()
        .cloned()
        .unwrap_or_else(|| ("joinedup".to_owned(), p.demographics.clone()));
    let episodes = r
        .episodes
        .iter()
        .map(|e| {
            let spell = r.spells.iter().find(|s| s.episode_id == e.id).map(|s| BundleSpell {
                hospital: s.hospital.clone(),
                ward: s.ward.clone(),
                admission_method: s.admission_method.clone(),
                admission_source: s.admission_source.clone(),
                discharge_method: s.discharge_method.clone(),
                discharge_destination: s.discharge_destination.clone(),
                meets_criteria_to_reside: s.meets_criteria_to_reside,
                criteria_to_reside_code: s.criteria_to_reside_code.clone(),
                discharge_ready_date: s.discharge_ready_date.map(date_s),
                pathway: s.pathway,
                delay_reasons: s
                    .delay_reasons
                    .iter()
                    .map(|d| BundleDelayReason {
                        code: d.code.clone(),
                        description: d.description.clone(),
                        attribution: d.attribution.code().into(),
                        since: date_s(d.since),
                        owner: d.owner.clone(),
                    })
                    .collect(),
                criteria_to_reside_reviews: s
                    .ctr_reviews
                    .iter()
                    .map(|r| BundleCtrReview {
                        date: date_s(r.date),
                        meets: r.meets,
                        code: r.code.clone(),
                    })
                    .collect(),
                next_action: s.next_action.clone(),
                next_action_owner: s.next_action_owner.clone(),
            });
            let chc = r.chc.iter().find(|c| c.episode_id == e.id).map(|c| BundleChc {
                kind: crate::store::enum_code(&c.kind),
                completed_by: c.completed_by.clone(),
                domains: c
                    .domains
                    .iter()
                    .map(|(d, l)| (crate::store::enum_code(d), l.clone()))
                    .collect(),
                positive: c.recorded_positive,
                evidence: c
                    .evidence
                    .iter()
                    .map(|(d, n)| (d.code().to_owned(), n.clone()))
                    .collect(),
                mdt_recommendation: c.mdt_recommendation.clone(),
                icb_decision: c.icb_decision.as_ref().map(|d| BundleDecision {
                    date: date_s(d.date),
                    eligible: d.is_eligible,
                    note: d.note.clone(),
                    decided_by: d.decided_by.clone(),
                }),
            });
            BundleEpisode {
                source_ref: e.provenance.source_ref.clone(),
                source: Some(e.provenance.source.clone()),
                kind: e.kind.code().into(),
                title: e.title.clone(),
                start: date_time_s(e.start),
                end: e.end.map(date_time_s),
                status: Some(e.status.code().into()),
                organisation: e.organisation.clone(),
                detail: e.detail.clone(),
                sensitivity: Some(e.sensitivity.code().into()),
                attributes: e.attributes.clone(),
                spell,
                chc,
            }
        })
        .collect();
    let care_plans = r
        .care_plans
        .iter()
        .map(|c| BundleCarePlan {
            plan_ref: c.provenance.source_ref.clone(),
            source: Some(c.provenance.source.clone()),
            kind: c.kind,
            sector: c.sector,
            title: c.title.clone(),
            owner: c.owner.clone(),
            status: c.status.clone(),
            version: c.version,
            start: date_s(c.start),
            last_review: c.last_review.map(date_s),
            next_review: c.next_review.map(date_s),
            goals: c.goals.clone(),
            needs: c.needs.clone(),
            actions: c.actions.iter().map(action_out).collect(),
            funding: c.funding,
            personal_budget_weekly: c.personal_budget_weekly,
            sensitivity: Some(c.sensitivity.code().into()),
            recorded_at: c.recorded.at.map(date_time_s),
            recorded_by: c.recorded.by.clone(),
            recorded_organisation: c.recorded.organisation.clone(),
        })
        .collect();
    BundlePerson {
        nhs_number: p.nhs_number.map(|n| n.digits()),
        local_ids: p.local_ids.clone(),
        source: first_source,
        demographics: demographics_out(&first),
        alerts: p.alerts.clone(),
        restricted: p.is_restricted,
        also_stated_by: p
            .by_source
            .iter()
            .skip(1)
            .map(|(s, d)| BundleStatement {
                source: s.clone(),
                demographics: demographics_out(d),
            })
            .collect(),
        episodes,
        care_plans,
    }
}

fn action_out(a: &crate::domain::care_plan::PlanAction) -> BundleAction {
    BundleAction {
        description: a.description.clone(),
        responsible_party: a.responsible_party,
        responsible_name: a.responsible_name.clone(),
        meets: a.meets.clone(),
        due: a.due.map(date_s),
        status: Some(a.status.code().into()),
    }
}
