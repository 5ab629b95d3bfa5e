//! The training stories: who each fixture person is and what their record shows,
//! for the trainers' panel (`fixtures/README.md` tells the same stories).

/// How a story's person is found in the training database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StoryPerson {
    /// By NHS number (all in the test range).
    Nhs(&'static str),
    /// Known only to one source, by its own id.
    Local { source: &'static str, id: &'static str },
}

/// One fixture person's story.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TrainingStory {
    pub person: StoryPerson,
    /// As the record shows the name: `OKAFOR, Margaret`.
    pub name: &'static str,
    pub story: &'static str,
    /// What a trainer shows with it.
    pub shows: &'static str,
}

const COUNCIL: &str = "Westmere Council Adult Social Care";

const fn nhs(n: &'static str, name: &'static str, story: &'static str, shows: &'static str) -> TrainingStory {
    TrainingStory {
        person: StoryPerson::Nhs(n),
        name,
        story,
        shows,
    }
}

/// Every training person, in the order of `fixtures/README.md`.
pub const STORIES: [TrainingStory; 16] = [
    nhs(
        "9990000018",
        "OKAFOR, Margaret",
        "Fell at home; ready for discharge but waiting for a four-calls-a-day home care package and a profiling bed",
        "Delayed discharge, two delay reasons, the discharge plan",
    ),
    nhs(
        "9990000026",
        "BENNETT, Harold",
        "Home care suspended when admitted, never restarted after discharge; his GP hears he is struggling",
        "Finding: package not restarted",
    ),
    nhs(
        "9990000034",
        "CLARKE, Edith",
        "Discharged after delirium, back through A&E after a fall fifteen days later",
        "Finding: emergency readmission in 30 days; reablement",
    ),
    nhs(
        "9990000042",
        "ADEYEMI, Samuel",
        "COPD; a positive CHC Checklist with no decision since; NHS and council plans, the council's review overdue",
        "Finding: CHC decision overdue; plans from both sectors",
    ),
    nhs(
        "9990000050",
        "WALSH, Patricia",
        "Metastatic cancer; Fast Track accepted the next day, home with CHC-funded care",
        "Fast Track at end of life",
    ),
    nhs(
        "9990000069",
        "FITZGERALD, George",
        "Hip fracture; reablement started the day after discharge, then a weekly call",
        "Finding: discharge to first service (1 day)",
    ),
    nhs(
        "9990000077",
        "HUGHES, Dorothy",
        "Stroke; a negative CHC Checklist; discharged to a care home",
        "Care home placement (pathway 3)",
    ),
    nhs(
        "9990000085",
        "PATEL, Rajesh",
        "Cares for his mother: a carer's assessment and a direct payment for breaks",
        "Carer lane, carer's support plan; one restricted item (sexual health)",
    ),
    nhs(
        "9990000093",
        "MORGAN, Lisa",
        "Section 42 safeguarding enquiry (financial abuse), a protection plan, a restricted record",
        "Restricted record: placeholders until a reason is given, then all until closed",
    ),
    nhs(
        "9990000107",
        "JENKINS, Arthur",
        "The hospital and the council record different dates of birth",
        "Sources disagree (conflicting demographics)",
    ),
    TrainingStory {
        person: StoryPerson::Local {
            source: COUNCIL,
            id: "ASC-104417",
        },
        name: "NOWAK, Wladyslaw",
        story: "Known only to the council: a referral by a neighbour, a day centre",
        shows: "A record without an NHS number: the matching queue",
    },
    nhs(
        "9990000123",
        "REID, Thomas",
        "Sepsis, in Cedar Ward on IV antibiotics",
        "In hospital, still meets the criteria to reside",
    ),
    nhs(
        "9990000131",
        "BAKER, Joan",
        "Ready today for a community rehab bed; her home care runs on",
        "Ready today, NHS attribution (pathway 2)",
    ),
    nhs(
        "9990000158",
        "DOYLE, Kenneth",
        "Parkinson's, a grade 3 pressure ulcer; CHC eligible, in a CHC-funded nursing home",
        "DST with a clear recommendation, CHC care plan, first review due",
    ),
    nhs(
        "9990000166",
        "COLE, Brenda",
        "Agitation at night; the MDT recommends CHC eligibility, the ICB decision awaited past 28 days",
        "CHC caseload: awaiting decision, overdue",
    ),
    nhs(
        "9990000115",
        "MARSH, Eileen",
        "Type 1 diabetes; 519 contacts over 15 years in health and social care",
        "A long record (timeline, list, zoom)",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    fn key(p: &StoryPerson) -> String {
        match p {
            StoryPerson::Nhs(n) => (*n).to_owned(),
            StoryPerson::Local { source, id } => format!("{source}/{id}"),
        }
    }

    /// Every fixture person has one story, and every story names a fixture person,
    /// by the name the fixture gives them.
    #[test]
    fn every_fixture_person_has_one_story() {
        let mut people = Vec::new();
        for (_, text) in super::super::FIXTURES {
            let bundle: serde_json::Value = serde_json::from_str(text).unwrap();
            for p in bundle["people"].as_array().unwrap() {
                let key = match p["nhs_number"].as_str() {
                    Some(n) => n.to_owned(),
                    None => {
                        let id = &p["local_ids"][0];
                        format!("{}/{}", id["source"].as_str().unwrap(), id["id"].as_str().unwrap())
                    }
                };
                let name = crate::domain::person::display_name(
                    p["given_name"].as_str().unwrap_or(""),
                    p["family_name"].as_str().unwrap_or(""),
                );
                people.push((key, name));
            }
        }
        assert_eq!(people.len(), STORIES.len());
        for (person, name) in &people {
            let story = STORIES.iter().find(|s| key(&s.person) == *person);
            assert_eq!(story.map(|s| s.name), Some(name.as_str()), "{person}");
        }
        for s in STORIES {
            assert!(!s.story.is_empty() && !s.shows.is_empty(), "{}", s.name);
            if let StoryPerson::Nhs(n) = s.person {
                assert!(
                    crate::domain::NhsNumber::parse(n).is_ok_and(|n| n.is_test_range()),
                    "{n}"
                );
            }
        }
    }
}
