//! Synthetic hospital stays: admission methods, discharge destinations, criteria to
//! reside, discharge ready dates, pathways and delays (RULES.md 3 and 5).

use super::*;

pub(super) fn spell(
    w: &mut Writer<'_>,
    rng: &mut Rng,
    as_of: NaiveDate,
    admitted: NaiveDate,
    discharged: Option<NaiveDate>,
    age: i64,
) {
    let emergency = rng.chance(700);
    let method = if emergency {
        *rng.pick(&["21", "21", "21", "22", "23", "2A", "2B", "2D"])
    } else {
        *rng.pick(&["11", "12", "13"])
    };
    let hospital = *rng.pick(&HOSPITALS);
    let ward = *rng.pick(&WARDS);
    let pathway = match rng.below(100) {
        0..50 => 0u8,
        50..80 => 1,
        80..92 => 2,
        _ => 3,
    };
    let destination = match (pathway, discharged.is_some()) {
        (_, false) => None,
        (2, true) => Some(*rng.pick(&["29", "56"])),
        (3, true) => Some(*rng.pick(&["54", "85", "55", "56"])),
        _ => Some("19"),
    };
    // The person stops meeting the criteria to reside on the discharge ready date.
    // Most who have gone home left on it; some waited (the delay); of those still in,
    // some are ready and waiting.
    let last = discharged.unwrap_or(as_of);
    let stay = (last - admitted).num_days();
    let drd = match discharged {
        Some(d) if rng.chance(820) || stay < 2 => Some(d),
        Some(d) => Some(d - Duration::days(rng.between(1, (stay - 1).min(12)))),
        None if stay >= 2 && rng.chance(450) => {
            // Waits skew short, with a tail of long ones.
            let longest = rng.between(0, (stay - 1).min(35));
            Some(as_of - Duration::days(rng.between(0, longest)))
        }
        None => None,
    };
    let mut reviews = vec![CtrReview {
        date: admitted,
        meets: true,
        code: Some(format!("{:02}", rng.between(1, 12))),
    }];
    if let Some(drd) = drd.filter(|d| *d > admitted) {
        reviews.push(CtrReview {
            date: drd,
            meets: false,
            code: None,
        });
    }
    let delay_reasons = if discharged.is_none() && reviews.len() == 2 && pathway > 0 {
        let (code, description, attribution) = *rng.pick(&[
            ("C", "Awaiting further non-acute NHS care", Attribution::Nhs),
            ("D1", "Awaiting care home assessment", Attribution::SocialCare),
            ("E", "Awaiting care package in own home", Attribution::SocialCare),
            ("F", "Awaiting community equipment and adaptations", Attribution::Both),
            ("G", "Patient or family choice", Attribution::Other),
            ("H", "Disputes", Attribution::Both),
        ]);
        vec![DelayReason {
            id: 0,
            code: code.into(),
            description: description.into(),
            attribution,
            since: drd.unwrap_or(as_of),
            owner: None,
        }]
    } else {
        vec![]
    };
    let start = at(admitted, rng.between(0, 23) as u32);
    let end = discharged.map(|d| at(d, rng.between(10, 19) as u32).max(start + Duration::hours(2)));
    let title = if emergency {
        "Emergency admission"
    } else {
        "Elective admission"
    };
    let mut attributes = vec![(attr::ADMISSION_METHOD, method)];
    if let Some(dest) = destination {
        attributes.push((attr::DISCHARGE_DESTINATION, dest));
        attributes.push((attr::DISCHARGE_METHOD, "1"));
    }
    let entry = w.add(
        EpisodeKind::InpatientSpell,
        format!("{title}, {ward} ward"),
        start,
        end,
        hospital,
        PAS_SOURCE,
        &attributes,
    );
    entry.spell = Some(HospitalSpell {
        hospital: hospital.into(),
        ward: Some(format!("{ward} ward")),
        admitted: Some(start),
        discharged: end,
        admission_method: Some(method.into()),
        admission_source: Some("19".into()),
        discharge_method: destination.map(|_| "1".into()),
        discharge_destination: destination.map(Into::into),
        meets_criteria_to_reside: reviews.last().map(|r| r.meets),
        criteria_to_reside_code: reviews.last().and_then(|r| r.code.clone()),
        discharge_ready_date: drd,
        pathway: Some(pathway),
        delay_reasons,
        ctr_reviews: reviews,
        next_action: (discharged.is_none() && age >= 65 && pathway > 0)
            .then(|| "Confirm the package of care start date".into()),
        next_action_owner: None,
        ..Default::default()
    });
}
