//! What the store holds for the people of a checked file, for the import's preview:
//! read only, found as the import would file them (`apply::find_existing`).

use std::collections::HashMap;

use crate::store::engine::OptionalExtension;

use super::apply::{find_existing, find_person};
use super::codec::{name_key, opt_date};
use super::{Result, Store};
use crate::domain::batch::{ImportBatch, PersonEntry, PersonKey};
use crate::domain::import_preview::{StoredMatch, referenced_only};

/// The store's answer for each person of a batch, in order, and for each key its
/// items name without a person entry.
pub struct StoredMatches {
    pub people: Vec<Option<StoredMatch>>,
    pub references: HashMap<PersonKey, StoredMatch>,
}

impl Store {
    /// Who of `batch` is here already. Reads only.
    pub fn stored_matches(&self, batch: &ImportBatch) -> Result<StoredMatches> {
        let people = batch
            .people
            .iter()
            .map(|e| match find_existing(&self.conn, e)? {
                Some(id) => self.stored_match(id, Some(e)).map(Some),
                None => Ok(None),
            })
            .collect::<Result<Vec<_>>>()?;
        let mut references = HashMap::new();
        for key in referenced_only(batch) {
            if let Some(id) = find_person(&self.conn, &key)? {
                references.insert(key, self.stored_match(id, None)?);
            }
        }
        Ok(StoredMatches { people, references })
    }

    /// Person `id` as it stands, and whether its name and date of birth are the
    /// statement's (a record with no name yet, or a side without a date, agrees).
    fn stored_match(&self, id: i64, statement: Option<&PersonEntry>) -> Result<StoredMatch> {
        let row: Option<(String, String, Option<String>, bool)> = self
            .conn
            .prepare_cached(
                "SELECT given_name_key, family_name_key, date_of_birth, is_restricted FROM person WHERE id = ?1",
            )?
            .query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .optional()?;
        let Some((given, family, dob, is_restricted)) = row else {
            return Ok(StoredMatch {
                person_id: id,
                is_restricted: false,
                agrees: true,
            });
        };
        let agrees = match statement {
            None => true,
            Some(e) => {
                let d = &e.demographics;
                let unnamed = given.is_empty() && family.is_empty();
                let same_name = given == name_key(&d.given_name) && family == name_key(&d.family_name);
                let same_birth = match (opt_date(dob)?, d.date_of_birth) {
                    (Some(a), Some(b)) => a == b,
                    _ => true,
                };
                unnamed || (same_name && same_birth)
            }
        };
        Ok(StoredMatch {
            person_id: id,
            is_restricted,
            agrees,
        })
    }
}
