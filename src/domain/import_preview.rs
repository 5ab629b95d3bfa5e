//! Who an import will bring in, before anything is written (the window's import
//! preview): each person of a checked file by name, NHS number and date of birth,
//! whether they are new or match a stored record, and how many items and care plans
//! the file holds for them.
//!
//! The preview names people, never items: a restricted item is only counted (a
//! restricted person's name, NHS number and date of birth are shown, as the
//! disclosure policy allows wherever the right person must be found). Pure: the
//! store's answer for each person is passed in.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::NhsNumber;
use super::batch::{ImportBatch, PersonEntry, PersonKey};
use super::disclosure;
use super::person::display_name;

/// What the store holds for a person of the file, looked up as the import would
/// file them (their key, NHS number, then each local id).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StoredMatch {
    pub person_id: i64,
    pub is_restricted: bool,
    /// The stored name and date of birth are the file's (or the stored record has
    /// none yet). When not, the file may name another person than the record.
    pub agrees: bool,
}

/// Whether a person of the file is new here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Filing {
    New,
    /// Matches a stored record; `agrees` as in [`StoredMatch`].
    Existing {
        agrees: bool,
    },
}

impl Filing {
    /// The words the preview shows.
    pub fn label(self) -> &'static str {
        match self {
            Filing::New => "New",
            Filing::Existing { agrees: true } => "Matches a record here",
            Filing::Existing { agrees: false } => {
                "Matches a record here whose name or date of birth differs: check before importing"
            }
        }
    }
}

/// One person of the file as the preview shows them.
#[derive(Debug, Clone, PartialEq)]
pub struct PreviewPerson {
    pub name: String,
    pub nhs_number: Option<NhsNumber>,
    /// The source's own id when the file gives no NHS number (`ASC-104417`).
    pub local_id: Option<String>,
    pub date_of_birth: Option<NaiveDate>,
    /// Restricted in the file or in the store.
    pub is_restricted: bool,
    pub filing: Filing,
    pub items: usize,
    /// Of `items`, those the disclosure policy holds back (counted, never named).
    pub restricted_items: usize,
    pub care_plans: usize,
}

/// Who one checked file will bring in.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ImportPreview {
    pub people: Vec<PreviewPerson>,
    /// Items and plans of people the file names only by a reference (no
    /// demographics): filed on a record found by that reference, or a bare new one.
    pub unnamed: Vec<PreviewPerson>,
}

impl ImportPreview {
    pub fn new_people(&self) -> usize {
        self.all().filter(|p| p.filing == Filing::New).count()
    }

    pub fn matched_people(&self) -> usize {
        self.all().filter(|p| p.filing != Filing::New).count()
    }

    /// People whose stored record disagrees with the file on name or date of birth.
    pub fn disagreements(&self) -> usize {
        self.all()
            .filter(|p| p.filing == Filing::Existing { agrees: false })
            .count()
    }

    fn all(&self) -> impl Iterator<Item = &PreviewPerson> {
        self.people.iter().chain(&self.unnamed)
    }
}

/// The keys a person entry is filed under: its key, its NHS number, its local ids.
fn keys_of(e: &PersonEntry) -> Vec<PersonKey> {
    let mut keys = vec![e.key.clone()];
    keys.extend(e.nhs_number.map(PersonKey::Nhs));
    keys.extend(e.local_ids.iter().cloned().map(PersonKey::Local));
    keys
}

fn filing(stored: Option<StoredMatch>) -> Filing {
    match stored {
        None => Filing::New,
        Some(m) => Filing::Existing { agrees: m.agrees },
    }
}

/// The keys items and plans name without a person entry for them (HL7 v2 and CLD
/// rows often carry only a reference), each once, in the file's order.
pub fn referenced_only(batch: &ImportBatch) -> Vec<PersonKey> {
    let mut seen: std::collections::HashSet<PersonKey> = batch.people.iter().flat_map(keys_of).collect();
    let named = batch
        .episodes
        .iter()
        .map(|e| &e.person)
        .chain(batch.care_plans.iter().map(|p| &p.person));
    named.filter(|k| seen.insert((*k).clone())).cloned().collect()
}

/// Each person of the preview by the keys the file names them with; a key with no
/// person entry gets a row of its own, after the named people.
struct Tally<'a> {
    people: Vec<PreviewPerson>,
    named: usize,
    index: HashMap<PersonKey, usize>,
    stored_ref: &'a dyn Fn(&PersonKey) -> Option<StoredMatch>,
}

impl Tally<'_> {
    fn person(&mut self, key: &PersonKey) -> &mut PreviewPerson {
        let i = match self.index.get(key) {
            Some(&i) => i,
            None => {
                let s = (self.stored_ref)(key);
                let (nhs_number, local_id) = match key {
                    PersonKey::Nhs(n) => (Some(*n), None),
                    PersonKey::Local(l) => (None, Some(format!("{} {}", l.source, l.id))),
                };
                self.people.push(PreviewPerson {
                    name: "(named only by this reference in the file)".to_owned(),
                    nhs_number,
                    local_id,
                    date_of_birth: None,
                    is_restricted: s.is_some_and(|s| s.is_restricted),
                    // A reference carries no name to disagree with.
                    filing: filing(s.map(|s| StoredMatch { agrees: true, ..s })),
                    items: 0,
                    restricted_items: 0,
                    care_plans: 0,
                });
                self.index.insert(key.clone(), self.people.len() - 1);
                self.people.len() - 1
            }
        };
        &mut self.people[i]
    }
}

/// The preview of `batch`. `stored[i]` is the store's answer for `batch.people[i]`,
/// `stored_ref` for a key that items name without a person entry.
pub fn preview(
    batch: &ImportBatch,
    stored: &[Option<StoredMatch>],
    stored_ref: &dyn Fn(&PersonKey) -> Option<StoredMatch>,
) -> ImportPreview {
    let people: Vec<PreviewPerson> = batch
        .people
        .iter()
        .zip(stored.iter().copied().chain(std::iter::repeat(None)))
        .map(|(e, s)| PreviewPerson {
            name: display_name(&e.demographics.given_name, &e.demographics.family_name),
            nhs_number: e.nhs_number,
            local_id: e.local_ids.first().map(|l| format!("{} {}", l.source, l.id)),
            date_of_birth: e.demographics.date_of_birth,
            is_restricted: e.is_restricted || s.is_some_and(|s| s.is_restricted),
            filing: filing(s),
            items: 0,
            restricted_items: 0,
            care_plans: 0,
        })
        .collect();
    let mut index: HashMap<PersonKey, usize> = HashMap::new();
    for (i, e) in batch.people.iter().enumerate() {
        for k in keys_of(e) {
            index.entry(k).or_insert(i);
        }
    }
    let mut tally = Tally {
        named: people.len(),
        people,
        index,
        stored_ref,
    };
    for ep in &batch.episodes {
        let p = tally.person(&ep.person);
        p.items += 1;
        if disclosure::is_restricted_item(p.is_restricted, &ep.episode) {
            p.restricted_items += 1;
        }
    }
    for plan in &batch.care_plans {
        tally.person(&plan.person).care_plans += 1;
    }
    let unnamed = tally.people.split_off(tally.named);
    ImportPreview {
        people: tally.people,
        unnamed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::batch::EpisodeEntry;
    use crate::domain::test_support;

    fn nhs(s: &str) -> NhsNumber {
        NhsNumber::parse(s).unwrap()
    }

    fn entry(number: &str, given: &str, family: &str, restricted: bool) -> PersonEntry {
        let mut d = crate::domain::Demographics {
            given_name: given.into(),
            family_name: family.into(),
            ..Default::default()
        };
        d.date_of_birth = NaiveDate::from_ymd_opt(1941, 3, 2);
        PersonEntry {
            key: PersonKey::Nhs(nhs(number)),
            nhs_number: Some(nhs(number)),
            local_ids: vec![],
            source: "test".into(),
            demographics: d,
            alerts: vec![],
            is_restricted: restricted,
        }
    }

    fn item(key: PersonKey, sensitive: bool) -> EpisodeEntry {
        let mut episode = test_support::episode(crate::domain::EpisodeKind::GpEncounter, "2026-01-05", None);
        if sensitive {
            episode.sensitivity = crate::domain::Sensitivity::SexualHealth;
        }
        EpisodeEntry {
            person: key,
            episode,
            spell: None,
            chc: None,
            replaces_existing: false,
        }
    }

    #[test]
    fn people_are_named_new_or_matched_with_their_items_counted() {
        let mut batch = ImportBatch {
            people: vec![
                entry("9990000018", "Margaret", "Okafor", false),
                entry("9990000026", "Sam", "Hill", true),
            ],
            ..Default::default()
        };
        let okafor = PersonKey::Nhs(nhs("9990000018"));
        let hill = PersonKey::Nhs(nhs("9990000026"));
        let other = PersonKey::Nhs(nhs("9990000034"));
        batch.episodes = vec![
            item(okafor.clone(), false),
            item(okafor.clone(), true),
            item(hill.clone(), false),
            item(other.clone(), false),
        ];
        let stored = [
            None,
            Some(StoredMatch {
                person_id: 7,
                is_restricted: false,
                agrees: false,
            }),
        ];
        let p = preview(&batch, &stored, &|_| None);
        assert_eq!(p.people.len(), 2);
        let (o, h) = (&p.people[0], &p.people[1]);
        assert_eq!(
            (o.name.as_str(), o.filing, o.items, o.restricted_items),
            ("OKAFOR, Margaret", Filing::New, 2, 1)
        );
        assert_eq!(h.nhs_number.map(|n| n.to_string()).as_deref(), Some("999 000 0026"));
        assert_eq!(h.filing, Filing::Existing { agrees: false });
        // Everything of a restricted person is held back, so counted restricted.
        assert_eq!((h.items, h.restricted_items, h.is_restricted), (1, 1, true));
        assert_eq!(p.unnamed.len(), 1, "a reference without a person entry");
        assert_eq!(p.unnamed[0].nhs_number, Some(nhs("9990000034")));
        assert_eq!((p.new_people(), p.matched_people(), p.disagreements()), (2, 1, 1));
        assert_eq!(referenced_only(&batch), vec![other]);
    }
}
