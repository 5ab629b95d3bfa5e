//! One row of a hospital spells file, checked: whom it is about, its admission and
//! discharge, the discharge plan (ready date, pathway, criteria to reside) and the
//! delay reasons. What a row rejects goes to the file's rejections, and a row with
//! any rejection is left out.

use super::*;
use crate::domain::NhsNumber;
use crate::import::Mark;
use crate::import::nhs_rule::{self, Nhs};

/// Rows counted for the file's notes.
#[derive(Default)]
pub(super) struct Counts {
    /// Rows with an NHS number not valid (kept under the local id).
    pub invalid_nhs: usize,
    /// Rows whose discharge date is their episode's end (EPIEND).
    pub discharge_from_episode_end: usize,
}

pub(super) struct Row<'a> {
    pub line: u64,
    pub cols: &'a Columns,
    pub record: &'a csv::StringRecord,
    pub rejections: &'a mut Rejections,
}

/// Whom a row is about.
struct Who {
    nhs: Option<NhsNumber>,
    local: Option<LocalId>,
    key: PersonKey,
}

/// What a row says about the discharge plan.
struct Plan {
    drd: Option<chrono::NaiveDate>,
    pathway: Option<u8>,
    meets: Option<bool>,
}

impl<'a> Row<'a> {
    fn get(&self, names: &[&str]) -> Option<&'a str> {
        self.cols.get(self.record, names)
    }

    fn reject(&mut self, field: &str, reason: String) {
        self.rejections.reject(&format!("line {}", self.line), field, reason);
    }

    /// The row, checked, or `None` when anything of it was rejected.
    pub fn read(mut self, options: ImportOptions, counts: &mut Counts) -> Option<RowFacts> {
        let mark: Mark = self.rejections.mark();
        let provider = self.get(PROVIDER).unwrap_or("Hospital").to_owned();
        let who = self.who(options, counts)?;
        let (admitted, discharged) = self.admission_and_discharge(counts);
        let plan = self.plan();
        let delays = self.delays(plan.drd, admitted);
        if self.rejections.since(mark) {
            return None;
        }
        let admitted = admitted?;
        let person_ref = match &who.key {
            PersonKey::Nhs(n) => n.digits(),
            PersonKey::Local(l) => l.id.clone(),
        };
        let group = match self.get(SPELL_ID) {
            Some(id) => format!("{provider}|{id}"),
            None => format!("{person_ref}|{}|{provider}", admitted.date()),
        };
        Some(RowFacts {
            line: self.line,
            key: who.key.clone(),
            person: self.person(&who, &provider),
            group,
            episode_ref: self.get(EPISODE_ID).map(str::to_owned),
            provider,
            admitted,
            discharged,
            fields: self.fields(),
            drd: plan.drd,
            pathway: plan.pathway,
            meets: plan.meets,
            delays,
        })
    }

    /// The NHS number by the one rule, the patient id, and the key they are filed under.
    fn who(&mut self, options: ImportOptions, counts: &mut Counts) -> Option<Who> {
        let nhs = match nhs_rule::accept(self.get(NHS), options) {
            Nhs::Absent => None,
            Nhs::Accepted(n) => Some(n),
            Nhs::NotValid(_) => {
                counts.invalid_nhs += 1;
                None
            }
            Nhs::Refused(reason) => {
                self.reject("NEWNHSNO", reason);
                None
            }
        };
        if let Some(reason) = self
            .get(LOCAL)
            .and_then(|id| nhs_rule::refuse_local_in_training(id, options))
        {
            self.reject("PSEUDO_HESID", reason);
            return None;
        }
        let local = self.get(LOCAL).map(|id| LocalId {
            source: "Hospital patient id".into(),
            id: id.into(),
        });
        let key = match (nhs, &local) {
            (Some(n), _) => PersonKey::Nhs(n),
            (None, Some(l)) => PersonKey::Local(l.clone()),
            (None, None) => {
                self.reject("NEWNHSNO", "each row needs a valid NHS number or a patient id".into());
                return None;
            }
        };
        Some(Who { nhs, local, key })
    }

    /// The admission (a HES null date is not known) and the discharge, which an
    /// episode's end stands in for when the discharge method says the person left.
    fn admission_and_discharge(
        &mut self,
        counts: &mut Counts,
    ) -> (Option<chrono::NaiveDateTime>, Option<chrono::NaiveDateTime>) {
        let admitted_text = self.get(ADMITTED).unwrap_or("").to_owned();
        let admitted = parse_date_time(&admitted_text);
        if admitted.is_some_and(is_hes_null_date) {
            self.reject(
                "ADMIDATE",
                format!("{admitted_text:?} is HES's \"not known\" date, so the admission date is unknown"),
            );
        } else if admitted.is_none() {
            self.reject("ADMIDATE", format!("{admitted_text:?} is not a date"));
        }
        let mut discharged = match self.get(DISCHARGED).map(str::to_owned) {
            Some(v) => {
                let d = parse_date_time(&v);
                if d.is_none() {
                    self.reject("DISDATE", format!("{v:?} is not a date"));
                }
                // HES writes 1800-01-01 or 1801-01-01 for "not known".
                d.filter(|d| !is_hes_null_date(*d))
            }
            None => None,
        };
        // No discharge date, but the discharge method says the person left (1 to 7; 8 is
        // "not applicable: still in hospital", 9 "not known"): the spell ended, and the
        // episode's end date is the best date there is. Without this, extracts show people
        // "in hospital" for decades.
        if discharged.is_none()
            && self
                .get(DISCHARGE_METHOD)
                .is_some_and(|m| matches!(m.trim(), "1" | "2" | "3" | "4" | "5" | "6" | "7"))
            && let Some(end) = self
                .get(EPISODE_END)
                .and_then(parse_date_time)
                .filter(|d| !is_hes_null_date(*d))
            && admitted.is_none_or(|a| end >= a)
        {
            discharged = Some(end);
            counts.discharge_from_episode_end += 1;
        }
        if let (Some(a), Some(d)) = (admitted, discharged)
            && d < a
        {
            self.reject("DISDATE", "discharged before admitted".into());
        }
        (admitted, discharged)
    }

    /// The discharge ready date, the pathway and the criteria to reside.
    fn plan(&mut self) -> Plan {
        let drd = match self.get(DRD).map(str::to_owned) {
            Some(v) => {
                let d = parse_date(&v);
                if d.is_none() {
                    self.reject("DISREADYDATE", format!("{v:?} is not a date"));
                }
                d
            }
            None => None,
        };
        let pathway = match self.get(PATHWAY).map(str::to_owned) {
            Some(v) => match v.trim_start_matches(['P', 'p']).parse::<u8>() {
                Ok(p) if p <= 3 => Some(p),
                _ => {
                    self.reject("pathway", format!("{v:?} is not a discharge pathway (0, 1, 2 or 3)"));
                    None
                }
            },
            None => None,
        };
        let meets = match self.get(CTR).map(str::to_lowercase).as_deref() {
            None => None,
            Some("yes" | "y" | "true" | "1") => Some(true),
            Some("no" | "n" | "false" | "0") => Some(false),
            Some(v) => {
                let reason = format!("{v:?} is not yes or no");
                self.reject("criteria_to_reside", reason);
                None
            }
        };
        Plan { drd, pathway, meets }
    }

    /// The delay reasons (`code: description`, `;` between them), each with its
    /// attribution, since the ready date (else the admission).
    fn delays(&mut self, drd: Option<chrono::NaiveDate>, admitted: Option<chrono::NaiveDateTime>) -> Vec<DelayReason> {
        let mut delays = Vec::new();
        let Some(reasons) = self.get(DELAY_REASONS).map(str::to_owned) else {
            return delays;
        };
        let attributions: Vec<String> = self
            .get(DELAY_ATTRIBUTIONS)
            .map(|a| a.split(';').map(|s| s.trim().to_owned()).collect())
            .unwrap_or_default();
        for (i, reason) in reasons.split(';').map(str::trim).filter(|r| !r.is_empty()).enumerate() {
            let a = attributions.get(i).map(String::as_str).unwrap_or("other");
            let attribution = match a.to_lowercase().replace([' ', '-'], "_").as_str() {
                "nhs" => Some(Attribution::Nhs),
                "social_care" | "socialcare" | "la" => Some(Attribution::SocialCare),
                "both" => Some(Attribution::Both),
                "other" | "" => Some(Attribution::Other),
                _ => None,
            };
            let Some(attribution) = attribution else {
                let reason = format!("{a:?} is not NHS, social care, both or other");
                self.reject("delay_attributions", reason);
                continue;
            };
            let (code, description) = match reason.split_once(':') {
                Some((c, d)) if c.trim().len() <= 3 => (c.trim().to_owned(), d.trim().to_owned()),
                _ => (String::new(), reason.to_owned()),
            };
            let since = drd.or(admitted.map(|a| a.date())).unwrap_or_default();
            delays.push(DelayReason {
                id: 0,
                code,
                description,
                attribution,
                since,
                owner: None,
            });
        }
        delays
    }

    /// The coded fields kept on the spell.
    fn fields(&self) -> BTreeMap<&'static str, String> {
        let mut fields = BTreeMap::new();
        for (k, names) in [
            (attr::ADMISSION_METHOD, ADMISSION_METHOD),
            ("admission_source", ADMISSION_SOURCE),
            (attr::DISCHARGE_METHOD, DISCHARGE_METHOD),
            (attr::DISCHARGE_DESTINATION, DISCHARGE_DESTINATION),
            ("ward", WARD),
            ("criteria_to_reside_code", CTR_CODE),
            ("next_action", NEXT_ACTION),
        ] {
            if let Some(v) = self.get(names) {
                fields.insert(k, v.to_owned());
            }
        }
        fields
    }

    /// The person as this row states them.
    fn person(&self, who: &Who, provider: &str) -> PersonEntry {
        PersonEntry {
            key: who.key.clone(),
            nhs_number: who.nhs,
            local_ids: who.local.iter().cloned().collect(),
            source: format!("Hospital spells ({provider})"),
            demographics: Demographics {
                given_name: self.get(&["given_name", "first_name"]).unwrap_or("").into(),
                family_name: self.get(&["family_name", "last_name"]).unwrap_or("").into(),
                date_of_birth: self.get(DOB).and_then(parse_date),
                sex: match self.get(SEX).map(str::to_lowercase).as_deref() {
                    Some("1" | "m" | "male") => Sex::Male,
                    Some("2" | "f" | "female") => Sex::Female,
                    Some("9" | "other") => Sex::Other,
                    _ => Sex::Unknown,
                },
                postcode: self.get(&["postcode"]).map(str::to_owned),
                ..Default::default()
            },
            alerts: vec![],
            is_restricted: false,
        }
    }
}
