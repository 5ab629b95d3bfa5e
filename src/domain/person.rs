//! A person: identity and demographics, possibly from several sources.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::NhsNumber;

/// An identifier a source system uses for the person (a council's LA Person Unique
/// Identifier, a hospital number, a pseudonymous HES id).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct LocalId {
    pub source: String,
    pub id: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sex {
    Female,
    Male,
    Other,
    #[default]
    Unknown,
}

impl Sex {
    pub fn label(self) -> &'static str {
        match self {
            Sex::Female => "Female",
            Sex::Male => "Male",
            Sex::Other => "Other",
            Sex::Unknown => "Not known",
        }
    }
}

/// Demographics as one source states them. Kept per source so that conflicts are
/// shown, never silently overwritten (DESIGN.md section 3).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct Demographics {
    pub given_name: String,
    pub family_name: String,
    pub date_of_birth: Option<NaiveDate>,
    pub date_of_death: Option<NaiveDate>,
    pub sex: Sex,
    pub address: Option<String>,
    pub postcode: Option<String>,
    pub gp_practice: Option<String>,
    pub allocated_worker: Option<String>,
}

/// One person as the record shows them: the first source's demographics, plus what
/// every source said.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Person {
    /// Store id; 0 for a person not yet stored.
    pub id: i64,
    pub nhs_number: Option<NhsNumber>,
    pub local_ids: Vec<LocalId>,
    pub demographics: Demographics,
    /// What each source said, by source name.
    pub by_source: Vec<(String, Demographics)>,
    /// Alerts recorded against the person (free text, for the banner).
    pub alerts: Vec<String>,
    pub is_restricted: bool,
}

/// A field on which two sources disagree, for the banner's data-quality flag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemographicConflict {
    pub field: &'static str,
    /// (source, value) for each distinct value.
    pub values: Vec<(String, String)>,
}

/// A name as the record shows it: `OKAFOR, Margaret`.
pub fn display_name(given: &str, family: &str) -> String {
    match (family.is_empty(), given.is_empty()) {
        (true, true) => "(name not recorded)".to_owned(),
        (false, true) => family.to_uppercase(),
        (true, false) => given.to_owned(),
        (false, false) => format!("{}, {given}", family.to_uppercase()),
    }
}

impl Person {
    pub fn display_name(&self) -> String {
        display_name(&self.demographics.given_name, &self.demographics.family_name)
    }

    /// Fields where the sources disagree (date of birth, names, sex, postcode, GP).
    pub fn conflicts(&self) -> Vec<DemographicConflict> {
        type Getter = fn(&Demographics) -> Option<String>;
        let fields: [(&'static str, Getter); 6] = [
            ("date of birth", |d| d.date_of_birth.map(super::dates::fmt_date)),
            ("family name", |d| non_empty(&d.family_name)),
            ("given name", |d| non_empty(&d.given_name)),
            ("sex", |d| (d.sex != Sex::Unknown).then(|| d.sex.label().to_owned())),
            ("postcode", |d| d.postcode.clone()),
            ("date of death", |d| d.date_of_death.map(super::dates::fmt_date)),
        ];
        let mut out = Vec::new();
        for (field, get) in fields {
            let mut values: Vec<(String, String)> = Vec::new();
            for (source, demo) in &self.by_source {
                if let Some(v) = get(demo) {
                    let norm = v.to_lowercase().replace(' ', "");
                    if !values.iter().any(|(_, x)| x.to_lowercase().replace(' ', "") == norm) {
                        values.push((source.clone(), v));
                    }
                }
            }
            if values.len() > 1 {
                out.push(DemographicConflict { field, values });
            }
        }
        out
    }
}

fn non_empty(s: &str) -> Option<String> {
    (!s.trim().is_empty()).then(|| s.trim().to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn demo(dob: &str) -> Demographics {
        Demographics {
            given_name: "Ann".into(),
            family_name: "Hart".into(),
            date_of_birth: super::super::dates::parse_date(dob),
            ..Default::default()
        }
    }

    #[test]
    fn conflicting_dates_of_birth_are_reported_per_source() {
        let p = Person {
            id: 1,
            nhs_number: None,
            local_ids: vec![],
            demographics: demo("1941-03-02"),
            by_source: vec![
                ("Hospital".into(), demo("1941-03-02")),
                ("Council".into(), demo("1941-02-03")),
                ("GP".into(), demo("1941-03-02")),
            ],
            alerts: vec![],
            is_restricted: false,
        };
        let c = p.conflicts();
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].field, "date of birth");
        assert_eq!(
            c[0].values,
            vec![
                ("Hospital".into(), "02-Mar-1941".into()),
                ("Council".into(), "03-Feb-1941".into())
            ]
        );
        assert_eq!(p.display_name(), "HART, Ann");
    }
}
