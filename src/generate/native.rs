//! The generated population as joined-up bundles (the native import format), one
//! file per chunk of people, so that a tester can load it with `import` and see
//! exactly what `generate --db` would have stored.

use std::collections::HashMap;

use crate::domain::batch::{ImportBatch, PersonKey};
use crate::domain::{Person, PersonRecord};

/// The batch as person records, in the order people first appear: one record per
/// person key (a council record without an NHS number is its own record, as an
/// import would keep it), demographics from every source that stated them.
pub fn records(batch: &ImportBatch) -> Vec<PersonRecord> {
    let mut index: HashMap<&PersonKey, usize> = HashMap::new();
    let mut out: Vec<PersonRecord> = Vec::new();
    for p in &batch.people {
        match index.get(&p.key) {
            Some(&i) => {
                let person = &mut out[i].person;
                person.by_source.push((p.source.clone(), p.demographics.clone()));
                for id in &p.local_ids {
                    if !person.local_ids.contains(id) {
                        person.local_ids.push(id.clone());
                    }
                }
            }
            None => {
                index.insert(&p.key, out.len());
                out.push(PersonRecord::new(Person {
                    id: 0,
                    nhs_number: p.nhs_number,
                    local_ids: p.local_ids.clone(),
                    demographics: p.demographics.clone(),
                    by_source: vec![(p.source.clone(), p.demographics.clone())],
                    alerts: p.alerts.clone(),
                    is_restricted: p.is_restricted,
                }));
            }
        }
    }
    // Bundles link spells and CHC assessments to their episode by id: number them.
    for (n, e) in batch.episodes.iter().enumerate() {
        let Some(&i) = index.get(&e.person) else {
            continue;
        };
        let id = n as i64 + 1;
        let record = &mut out[i];
        let mut episode = e.episode.clone();
        episode.id = id;
        record.episodes.push(episode);
        if let Some(s) = &e.spell {
            let mut s = s.clone();
            s.episode_id = id;
            record.spells.push(s);
        }
        if let Some(c) = &e.chc {
            let mut c = c.clone();
            c.episode_id = id;
            record.chc.push(c);
        }
    }
    for c in &batch.care_plans {
        if let Some(&i) = index.get(&c.person) {
            out[i].care_plans.push(c.plan.clone());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::{chunk, nhs_numbers};
    use crate::import::{ImportOptions, native};
    use chrono::NaiveDate;

    #[test]
    fn a_generated_bundle_reads_back_whole() {
        let as_of = NaiveDate::from_ymd_opt(2026, 11, 22).expect("date");
        let batch = chunk(9, as_of, 0, &nhs_numbers(9, 400).expect("numbers"));
        let bundle = native::write(&records(&batch), Some(as_of));
        let text = serde_json::to_string(&bundle).expect("JSON");
        let parsed = native::parse("population.json", "", &text, ImportOptions::default()).expect("bundle");
        assert!(parsed.rejections.is_empty(), "{:?}", &parsed.rejections[..1]);
        assert_eq!(parsed.batch.episodes.len(), batch.episodes.len());
        let count = |b: &ImportBatch, f: fn(&crate::domain::batch::EpisodeEntry) -> bool| {
            b.episodes.iter().filter(|e| f(e)).count()
        };
        assert_eq!(
            count(&parsed.batch, |e| e.spell.is_some()),
            count(&batch, |e| e.spell.is_some())
        );
        assert_eq!(
            count(&parsed.batch, |e| e.chc.is_some()),
            count(&batch, |e| e.chc.is_some())
        );
        assert!(!batch.care_plans.is_empty());
        assert_eq!(parsed.batch.care_plans.len(), batch.care_plans.len());
        // Every statement of demographics is kept, the council's differing spellings too.
        assert_eq!(parsed.batch.people.len(), batch.people.len());
    }
}
