//! CarePlan (with the Goals it refers to): a plan version with its goals, the needs
//! it addresses and its activities with their performers.

use chrono::NaiveDate;
use serde_json::Value;

use super::{Reader, SOURCE, arr, display_of, s};
use crate::domain::Provenance;
use crate::domain::Sector;
use crate::domain::batch::CarePlanEntry;
use crate::domain::care_plan::{
    ActionStatus, CarePlan, PlanAction, PlanKind, PlanNeed, ResponsibleParty, VersionRecorded,
};
use crate::domain::dates::{parse_date, parse_date_time};

impl Reader<'_> {
    /// The needs (by reference) an activity's detail meets: those it gives as its
    /// `reasonReference`, and those the Goals it serves (`detail.goal`) address.
    fn needs_met(&self, detail: &Value, needs: &[PlanNeed]) -> Vec<String> {
        let mut named: Vec<&str> = arr(detail, "reasonReference")
            .iter()
            .filter_map(|x| s(x, &["reference"]))
            .collect();
        for g in arr(detail, "goal") {
            if let Some(goal) = s(g, &["reference"]).and_then(|x| self.index.get(x)) {
                named.extend(arr(goal, "addresses").iter().filter_map(|x| s(x, &["reference"])));
            }
        }
        needs
            .iter()
            .filter_map(|n| n.need_ref.as_deref())
            .filter(|r| named.iter().any(|x| self.same_resource(x, r)))
            .map(str::to_owned)
            .collect()
    }

    /// Two references to one resource: the same text, or both resolving to it
    /// (a `urn:uuid:` fullUrl and `Condition/id`).
    fn same_resource(&self, a: &str, b: &str) -> bool {
        a == b
            || matches!(
                (self.index.get(a), self.index.get(b)),
                (Some(x), Some(y)) if std::ptr::eq(*x, *y)
            )
    }

    pub(super) fn care_plan(&mut self, location: &str, full_url: Option<&str>, r: &Value) {
        let Some(person) = self.person_or_reject(r, "subject", "plan", location) else {
            return;
        };
        let start = s(r, &["period", "start"])
            .or_else(|| s(r, &["created"]))
            .or_else(|| s(r, &["meta", "lastUpdated"]))
            .and_then(parse_date);
        let Some(start) = start else {
            self.reject(
                location,
                "period.start",
                "a care plan needs a start (period.start, created or meta.lastUpdated)",
            );
            return;
        };
        let title = s(r, &["title"])
            .map(str::to_owned)
            .or_else(|| arr(r, "category").first().and_then(display_of))
            .unwrap_or_else(|| "Care plan".to_owned());
        let description = format!("{title} {}", s(r, &["description"]).unwrap_or("")).to_lowercase();
        let title_for_sensitivity = description.clone();
        let kind = if description.contains("end of life") || description.contains("end-of-life") {
            PlanKind::EndOfLife
        } else if description.contains("discharge") {
            PlanKind::DischargePlan
        } else if description.contains("continuing healthcare") {
            PlanKind::ChcCarePlan
        } else if description.contains("carer") {
            PlanKind::CarerSupport
        } else if description.contains("care and support") || description.contains("social care") {
            PlanKind::CareAndSupport
        } else {
            PlanKind::NhsCarePlan
        };
        let sector = if matches!(kind, PlanKind::CareAndSupport | PlanKind::CarerSupport) {
            Sector::SocialCare
        } else {
            Sector::Health
        };
        let goals: Vec<String> = arr(r, "goal")
            .iter()
            .filter_map(|g| {
                let target = s(g, &["reference"]).and_then(|x| self.index.get(x));
                target
                    .and_then(|t| s(t, &["description", "text"]).map(str::to_owned))
                    .or_else(|| display_of(g))
            })
            .collect();
        let needs: Vec<PlanNeed> = arr(r, "addresses")
            .iter()
            .filter_map(|a| {
                let target = s(a, &["reference"]).and_then(|x| self.index.get(x));
                let description = display_of(a).or_else(|| target.and_then(|t| t.get("code")).and_then(display_of))?;
                Some(PlanNeed {
                    need_ref: s(a, &["reference"]).map(str::to_owned),
                    description,
                    is_eligible: false,
                })
            })
            .collect();
        let actions: Vec<PlanAction> = arr(r, "activity")
            .iter()
            .filter_map(|a| {
                let detail = a.get("detail");
                let description = detail
                    .and_then(|d| {
                        s(d, &["description"])
                            .map(str::to_owned)
                            .or_else(|| d.get("code").and_then(display_of))
                    })
                    .or_else(|| a.get("reference").and_then(display_of))
                    .or_else(|| arr(a, "outcomeCodeableConcept").first().and_then(display_of))?;
                let performer = detail.and_then(|d| arr(d, "performer").first());
                // The kind of performer; an Organization written by joinedup's own
                // export says which kind of body in its id.
                let party = match performer
                    .and_then(|p| s(p, &["reference"]))
                    .map(|x| x.split_once('/').unwrap_or((x, "")))
                {
                    Some(("RelatedPerson", _)) => ResponsibleParty::UnpaidCarer,
                    Some(("Patient", _)) => ResponsibleParty::Person,
                    Some(("Organization", "local-authority")) => ResponsibleParty::LocalAuthority,
                    Some(("Organization", "provider")) => ResponsibleParty::Provider,
                    _ => ResponsibleParty::NhsBody,
                };
                // An activity entered in error was never part of the plan.
                let status = ActionStatus::from_fhir(detail.and_then(|d| s(d, &["status"])).unwrap_or("unknown"))?;
                Some(PlanAction {
                    description,
                    responsible_party: party,
                    responsible_name: performer.and_then(display_of),
                    meets: detail.map(|d| self.needs_met(d, &needs)).unwrap_or_default(),
                    due: detail.and_then(due_of),
                    status,
                })
            })
            .collect();
        let entered_in_error = arr(r, "activity")
            .iter()
            .filter(|a| s(a, &["detail", "status"]) == Some("entered-in-error"))
            .count();
        for _ in 0..entered_in_error {
            self.skip("CarePlan activity entered in error");
        }
        let plan_ref = arr(r, "identifier")
            .first()
            .and_then(|i| s(i, &["value"]))
            .map(str::to_owned)
            .or_else(|| s(r, &["id"]).map(|id| format!("CarePlan/{id}")))
            .or_else(|| full_url.map(str::to_owned))
            .unwrap_or_else(|| format!("{}#{location}", self.batch.file_sha256));
        let owner = r
            .get("author")
            .and_then(display_of)
            .or_else(|| arr(r, "careTeam").first().and_then(display_of))
            .unwrap_or_else(|| "Not recorded".to_owned());
        self.batch.care_plans.push(CarePlanEntry {
            person,
            plan_ref: plan_ref.clone(),
            plan: CarePlan {
                id: 0,
                kind,
                sector,
                title,
                owner,
                status: s(r, &["status"]).unwrap_or("unknown").to_owned(),
                version: s(r, &["meta", "versionId"]).and_then(|v| v.parse().ok()).unwrap_or(1),
                recorded: recorded_of(r),
                start,
                last_review: None,
                next_review: None,
                goals,
                needs,
                actions,
                funding: None,
                personal_budget_weekly: None,
                sensitivity: crate::domain::sensitive_terms::sensitivity_of_text(&title_for_sensitivity),
                is_placeholder: false,
                provenance: Provenance {
                    source: SOURCE.into(),
                    source_ref: plan_ref,
                    ..Default::default()
                },
            },
        });
    }
}

/// An activity's due date: `detail.scheduledPeriod.end`, else `detail.scheduledString`
/// when it is a date ("every Tuesday" is not, and gives none).
fn due_of(detail: &Value) -> Option<NaiveDate> {
    s(detail, &["scheduledPeriod", "end"])
        .and_then(parse_date)
        .or_else(|| s(detail, &["scheduledString"]).and_then(parse_date))
}

/// Who recorded this version and when, as the resource gives it: the time from
/// `meta.lastUpdated`, else `created`; the person from the first `contributor`'s
/// display (who provided the contents), else `author`'s. FHIR gives no
/// organisation for them here, so none is claimed.
fn recorded_of(r: &Value) -> VersionRecorded {
    VersionRecorded {
        at: s(r, &["meta", "lastUpdated"])
            .and_then(parse_date_time)
            .or_else(|| s(r, &["created"]).and_then(parse_date_time)),
        // The contributor provided this version's contents. `author` is the plan's
        // responsible party (its owner), not who recorded it: taken as the recorder
        // it credited every version to the owner, and a joinedup export read back
        // so (hostile review).
        by: arr(r, "contributor").first().and_then(display_of),
        organisation: None,
    }
}
