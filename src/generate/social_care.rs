//! Synthetic social care: CLD requests, assessments, packages suspended and restarted
//! around admissions, reviews, safeguarding, and care plans from both sectors (RULES.md
//! 4.3 and 7).

use super::*;

pub(super) fn social_care(
    w: &mut Writer<'_>,
    rng: &mut Rng,
    as_of: NaiveDate,
    stays: &[(NaiveDate, Option<NaiveDate>)],
    history_days: i64,
) {
    let council = "Synthetic County Council";
    // Someone discharged home with support starts through "Discharge from Hospital".
    let after_discharge = stays.iter().filter_map(|(_, d)| *d).find(|_| rng.chance(500));
    let (route, request_day) = match after_discharge {
        Some(d) => ("Discharge from Hospital", d + Duration::days(rng.between(0, 2))),
        None => (
            *rng.pick(&[
                "Community / Other route",
                "Community / Other route",
                "Diversion from Hospital Services",
                "Planned Entry (Transition)",
                "Self-Funder",
            ]),
            as_of - Duration::days(rng.between(30, history_days)),
        ),
    };
    if request_day >= as_of {
        return;
    }
    let outcome = if route == "Discharge from Hospital" {
        "Progress to Reablement/ST-Max"
    } else {
        "Progress to Assessment"
    };
    w.add(
        EpisodeKind::SocialCareRequest,
        format!("Request: {route}"),
        at(request_day, 10),
        Some(at(request_day, 10)),
        council,
        COUNCIL_SOURCE,
        &[(attr::ROUTE_OF_ACCESS, route), ("outcome", outcome)],
    );
    let mut day = request_day;
    if route == "Discharge from Hospital" {
        let start = day + Duration::days(rng.between(1, 7));
        if start >= as_of {
            return;
        }
        let end = start + Duration::days(rng.between(21, 42));
        w.add(
            EpisodeKind::SocialCareService,
            "Short Term Support: ST-Max".into(),
            at(start, 9),
            (end < as_of).then(|| at(end, 17)),
            council,
            COUNCIL_SOURCE,
            &[
                (attr::SERVICE_TYPE, "Short Term Support: ST-Max"),
                ("service_component", "Reablement"),
                ("delivery_mechanism", "CASSR Commissioned Support"),
            ],
        );
        day = end;
    }
    let assessed = day + Duration::days(rng.between(3, 28));
    if assessed >= as_of {
        return;
    }
    let eligible = rng.chance(750);
    w.add(
        EpisodeKind::SocialCareAssessment,
        "Care Act needs assessment".into(),
        at(assessed, 11),
        Some(at(assessed, 12)),
        council,
        COUNCIL_SOURCE,
        &[
            ("assessment_type", "Long Term Support"),
            ("eligible_needs_identified", if eligible { "Yes" } else { "No" }),
            (
                "outcome",
                if eligible {
                    "Progress to Support Planning / Services"
                } else {
                    "NFA - Information & Advice / Signposting only"
                },
            ),
        ],
    );
    if rng.chance(60) {
        w.add(
            EpisodeKind::CarerAssessment,
            "Carer's assessment".into(),
            at(assessed + Duration::days(2), 14),
            Some(at(assessed + Duration::days(2), 15)),
            council,
            COUNCIL_SOURCE,
            &[("assessment_type", "Carer")],
        );
    }
    if !eligible {
        return;
    }
    let care_home = rng.chance(150);
    let (service_type, component) = if care_home {
        ("Long Term Support: Residential Care", "Long term residential care")
    } else {
        ("Long Term Support: Community", "Home support (domiciliary)")
    };
    // The package runs from support planning; an admission suspends it, and it
    // restarts after discharge (mostly), as the readmission and restart findings expect.
    let mut start = assessed + Duration::days(rng.between(5, 20));
    let plan_start = start;
    let mut last_review = None;
    let mut part = 0;
    while start < as_of {
        part += 1;
        let stay = stays.iter().find(|(a, _)| *a > start);
        let (end, outcome, next) = match stay {
            // Still in hospital: the package is suspended, not ended (CLD counts it as ongoing).
            Some((_, None)) if !care_home => (None, "Suspended", None),
            Some((admitted, Some(discharged))) if !care_home => {
                let restart = rng.chance(850).then(|| *discharged + Duration::days(rng.between(0, 2)));
                (Some(*admitted), "Admitted to hospital", restart)
            }
            _ => (None, "Provision of service", None),
        };
        let unit_cost = if care_home { "812.00" } else { "24.50" };
        let mut attributes = vec![
            (attr::SERVICE_TYPE, service_type),
            ("service_component", component),
            ("delivery_mechanism", "CASSR Commissioned Support"),
            ("unit_cost", unit_cost),
            ("cost_frequency", if care_home { "Weekly" } else { "Hourly" }),
        ];
        if end.is_some() {
            attributes.push(("outcome", outcome));
        }
        if !care_home {
            attributes.push(("planned_units_per_week", "10.50"));
        }
        let title = if part == 1 {
            service_type.to_owned()
        } else {
            format!("{service_type} (restarted)")
        };
        let suspended = outcome == "Suspended";
        let entry = w.add(
            EpisodeKind::SocialCareService,
            title,
            at(start, 9),
            end.map(|e| at(e, 8)),
            council,
            COUNCIL_SOURCE,
            &attributes,
        );
        if suspended {
            entry.episode.status = EpisodeStatus::Suspended;
        }
        // Annual reviews while the package runs.
        let mut review = start + Duration::days(rng.between(42, 84));
        while review < end.unwrap_or(as_of) && review < as_of {
            w.add(
                EpisodeKind::SocialCareReview,
                "Care and support plan review".into(),
                at(review, 10),
                Some(at(review, 11)),
                council,
                COUNCIL_SOURCE,
                &[("review_reason", "Planned"), ("outcome", "No change in package")],
            );
            last_review = Some(review);
            review += Duration::days(365);
        }
        match next {
            Some(n) => start = n,
            None => break,
        }
    }
    if plan_start < as_of {
        care_plans(w, rng, as_of, plan_start, last_review, care_home);
    }
    if rng.chance(15) {
        let d = as_of - Duration::days(rng.between(10, 400));
        let entry = w.add(
            EpisodeKind::SafeguardingEnquiry,
            "Section 42 safeguarding enquiry".into(),
            at(d, 15),
            Some(at(d + Duration::days(rng.between(7, 40)), 12)),
            council,
            COUNCIL_SOURCE,
            &[],
        );
        entry.episode.sensitivity = Sensitivity::Safeguarding;
    }
}

/// The council's care and support plan for the package (Care Act s25), and for some
/// an NHS community nursing plan beside it, so plans from both sectors sit side by side.
fn care_plans(
    w: &mut Writer<'_>,
    rng: &mut Rng,
    as_of: NaiveDate,
    start: NaiveDate,
    last_review: Option<NaiveDate>,
    care_home: bool,
) {
    use crate::domain::care_plan::{ActionStatus, Funding, PlanAction, PlanNeed, ResponsibleParty, VersionRecorded};
    let reviewed = last_review.unwrap_or(start);
    // Services under way; the annual review due a year after the last (not drawn,
    // so the generator's draws are as they always were).
    let action = |description: &str, party: ResponsibleParty, name: &str, meets: &[&str]| PlanAction {
        description: description.into(),
        responsible_party: party,
        responsible_name: Some(name.into()),
        meets: meets.iter().map(|m| (*m).to_owned()).collect(),
        due: None,
        status: ActionStatus::InProgress,
    };
    let recorded = |on: NaiveDate, by: &str, organisation: &str| VersionRecorded {
        at: Some(on.and_time(chrono::NaiveTime::MIN)),
        by: Some(by.into()),
        organisation: Some(organisation.into()),
    };
    let need = |need_ref: &str, description: &str| PlanNeed {
        need_ref: Some(need_ref.into()),
        description: description.into(),
        is_eligible: true,
    };
    let goal = *rng.pick(&[
        "To stay living in my own home",
        "To get washed and dressed in the morning without rushing",
        "To see my friends at the day centre on Thursdays",
        "To feel safe at night",
    ]);
    // Most plans meet every eligible need; some leave nutrition unaddressed, which
    // the plans screen flags. (Drawn here, in the order it always was.)
    let with_meals = rng.chance(850);
    let council_plan = CarePlan {
        id: 0,
        kind: PlanKind::CareAndSupport,
        sector: Sector::SocialCare,
        title: if care_home {
            "Care and support plan: residential care".into()
        } else {
            "Care and support plan: home care".into()
        },
        owner: "Synthetic County Council adult social care".into(),
        status: "active".into(),
        version: 1,
        recorded: recorded(reviewed, "Adult social care team", "Synthetic County Council"),
        start,
        last_review,
        next_review: Some(reviewed + Duration::days(365)),
        goals: vec![goal.into()],
        needs: vec![
            need("N1", "Managing and maintaining nutrition"),
            need("N2", "Maintaining personal hygiene"),
        ],
        actions: vec![
            action(
                match (care_home, with_meals) {
                    (true, true) => "Residential care: meals and nutrition, personal hygiene",
                    (true, false) => "Residential care: personal hygiene",
                    (false, true) => "Home care twice a day: meals and nutrition, personal hygiene",
                    (false, false) => "Home care twice a day: personal hygiene",
                },
                ResponsibleParty::Provider,
                if care_home {
                    "Willow Court Care Home"
                } else {
                    "Kirkdale Home Care"
                },
                if with_meals { &["N1", "N2"] } else { &["N2"] },
            ),
            PlanAction {
                due: Some(reviewed + Duration::days(365)),
                status: ActionStatus::NotStarted,
                ..action(
                    "Annual review",
                    ResponsibleParty::LocalAuthority,
                    "Adult social care team",
                    &[],
                )
            },
        ],
        funding: Some(if rng.chance(150) {
            Funding::SelfFunded
        } else {
            Funding::LocalAuthority
        }),
        personal_budget_weekly: (!care_home).then_some(257.25),
        sensitivity: Sensitivity::Normal,
        is_placeholder: false,
        provenance: Provenance {
            source: COUNCIL_SOURCE.into(),
            source_ref: format!("CSP-{}", w.index + 1),
            ..Default::default()
        },
    };
    w.plan(council_plan);
    if !matches!(w.key, PersonKey::Nhs(_)) || !rng.chance(400) {
        return;
    }
    let nhs_start = (as_of - Duration::days(rng.between(30, 400))).max(start);
    let nhs_plan = CarePlan {
        id: 0,
        kind: PlanKind::NhsCarePlan,
        sector: Sector::Health,
        title: "Community nursing care plan".into(),
        owner: "Synthetic Community Health Trust district nursing".into(),
        status: "active".into(),
        version: 1,
        recorded: recorded(nhs_start, "District nursing team", "Synthetic Community Health Trust"),
        start: nhs_start,
        last_review: None,
        next_review: Some(nhs_start + Duration::days(90)),
        goals: vec!["Heal the leg ulcer and keep my skin healthy".into()],
        needs: vec![need("N1", "Pressure area and leg ulcer care")],
        actions: vec![action(
            "Leg ulcer dressing and pressure area checks twice a week",
            ResponsibleParty::NhsBody,
            "District nursing team",
            &["N1"],
        )],
        funding: None,
        personal_budget_weekly: None,
        sensitivity: Sensitivity::Normal,
        is_placeholder: false,
        provenance: Provenance {
            source: COMMUNITY_SOURCE.into(),
            source_ref: format!("NCP-{}", w.index + 1),
            ..Default::default()
        },
    };
    w.plan(nhs_plan);
}
