//! Training mode: its own database, seeded from `fixtures/` with dates shifted so
//! that the fixtures' "as of" date is today, and NHS numbers limited to the test range.

use chrono::{NaiveDate, NaiveDateTime};

use crate::domain::dates::parse_date;
use crate::import::{self, ImportOptions};
use crate::store::Store;

mod stories;

pub use stories::{STORIES, StoryPerson, TrainingStory};

/// The training bundles, built into the binary so training works from any folder.
pub const FIXTURES: &[(&str, &str)] = &[
    ("training.json", include_str!("../fixtures/training.json")),
    ("long-history.json", include_str!("../fixtures/long-history.json")),
];

const META_SEEDED_ON: &str = "training_seeded_on";
const META_FIXTURES: &str = "training_fixtures_sha256";

/// The fixtures built into this binary, as one hash: a new version of the app with
/// new stories reseeds at once rather than the next day.
fn fixtures_hash() -> String {
    let all: String = FIXTURES.iter().map(|(_, text)| *text).collect();
    import::sha256_hex(all.as_bytes())
}

#[derive(Debug, thiserror::Error)]
pub enum TrainingError {
    #[error("this database holds real records, not training data; training mode uses its own database")]
    NotATrainingDatabase,
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
    #[error(transparent)]
    Import(#[from] import::ImportError),
    #[error("a training fixture is invalid: {0}")]
    BadFixture(String),
}

/// Days to add to fixture dates so that `as_of` lands on `today`.
pub fn shift_days(as_of: NaiveDate, today: NaiveDate) -> i64 {
    (today - as_of).num_days()
}

/// Seed (or reseed, once a day, or when the fixtures built into the binary have
/// changed) the training database so its story is current. Returns true when it was
/// seeded now.
pub fn prepare(store: &mut Store, today: NaiveDate, now: NaiveDateTime) -> Result<bool, TrainingError> {
    let seeded_on = store.meta(META_SEEDED_ON)?;
    let fixtures = fixtures_hash();
    if seeded_on.as_deref() == Some(today.format("%Y-%m-%d").to_string().as_str())
        && store.meta(META_FIXTURES)?.as_deref() == Some(fixtures.as_str())
    {
        return Ok(false);
    }
    if store.count_people()? > 0 && !store.is_training_database()? {
        return Err(TrainingError::NotATrainingDatabase);
    }
    seed(store, &crate::platform::os_user_name(), today, now)?;
    Ok(true)
}

/// Rebuild the training database from the fixtures now, whatever day it was last
/// seeded: every trainee's change (stays edited, tasks, links, CHC decisions) is
/// undone. Refused, with nothing changed, unless the database is marked as
/// training inside: it never clears a database of real records.
pub fn reset(store: &mut Store, actor: &str, today: NaiveDate, now: NaiveDateTime) -> Result<(), TrainingError> {
    if !store.is_training_database()? {
        return Err(TrainingError::NotATrainingDatabase);
    }
    seed(store, actor, today, now)
}

/// Clear every record (the clearing audited as `actor`'s) and import the fixtures,
/// dated for `today`.
fn seed(store: &mut Store, actor: &str, today: NaiveDate, now: NaiveDateTime) -> Result<(), TrainingError> {
    let fixtures = fixtures_hash();
    // Marked first, so that a seeding cut short still leaves a training database
    // (which refuses NHS numbers outside the test range from here on).
    store.mark_training_database().map_err(|e| match e {
        crate::store::StoreError::NotTestRange(_) => TrainingError::NotATrainingDatabase,
        e => e.into(),
    })?;
    store.clear_records(actor, now)?;
    for (name, text) in FIXTURES {
        let as_of = as_of_of(text).ok_or_else(|| TrainingError::BadFixture(format!("{name}: no as_of date")))?;
        let options = ImportOptions {
            shift_days: shift_days(as_of, today),
            test_range_only: true,
        };
        let parsed = import::parse_bytes(name, text.as_bytes(), options)?;
        if let Some(r) = parsed.rejections.first() {
            return Err(TrainingError::BadFixture(r.to_string()));
        }
        store.apply_import(&parsed.batch, now)?;
    }
    seed_worklists(store, today, now)?;
    store.set_meta(META_SEEDED_ON, &today.format("%Y-%m-%d").to_string())?;
    store.set_meta(META_FIXTURES, &fixtures)?;
    Ok(())
}

/// The training coordinators: an account for two of the fixtures' allocated workers,
/// in one team, so a trainer can show the day's loop (`worklist --user sian.roberts`).
pub const TRAINING_COORDINATORS: [(&str, &str); 2] = [
    ("sian.roberts", "Sian Roberts (Westmere Council)"),
    ("tom.asante", "Tom Asante (Westmere Council)"),
];
/// The training coordinators' team.
pub const TRAINING_TEAM: &str = "Westmere hospital discharge team";

/// Caseloads for the training coordinators (their allocated people, and a follow)
/// and a few tasks at various stages, dated from `today`, each change audited.
fn seed_worklists(store: &mut Store, today: NaiveDate, now: NaiveDateTime) -> Result<(), TrainingError> {
    use crate::domain::governance::AuditAction;
    use crate::domain::worklist::tasks::Owner;
    use crate::domain::worklist::{Priority, Task, TaskStatus};
    let event = |action: AuditAction, person_id: Option<i64>, detail: &str| crate::store::AuditEvent {
        id: 0,
        at: now,
        actor: "training seed".into(),
        action: action.code().into(),
        person_id,
        detail: detail.into(),
        reason: None,
    };
    for (user, worker) in TRAINING_COORDINATORS {
        let who = crate::store::Coordinator {
            user_name: user.into(),
            worker_name: worker.into(),
            team: Some(TRAINING_TEAM.into()),
        };
        store.set_coordinator(&who, &event(AuditAction::CoordinatorSet, None, "training coordinator"))?;
    }
    let person = |store: &Store, nhs: &str| -> Result<Option<i64>, TrainingError> {
        let Ok(n) = crate::domain::NhsNumber::parse(nhs) else {
            return Ok(None);
        };
        Ok(store.find_by_nhs_number(n)?.map(|p| p.id))
    };
    if let Some(edith) = person(store, "9990000034")? {
        store.follow(
            "sian.roberts",
            edith,
            &event(AuditAction::Follow, Some(edith), "training follow"),
        )?;
    }
    let day = |d: i64| today + chrono::Duration::days(d);
    let tasks = [
        (
            "9990000018",
            "Agree the home care restart date with the provider",
            Owner::User("sian.roberts".into()),
            Some(day(0)),
            Priority::High,
            TaskStatus::InProgress,
        ),
        (
            "9990000026",
            "Book a CHC Checklist before discharge",
            Owner::Team(TRAINING_TEAM.into()),
            Some(day(-1)),
            Priority::High,
            TaskStatus::Open,
        ),
        (
            "9990000069",
            "Check the key safe is fitted",
            Owner::User("tom.asante".into()),
            Some(day(3)),
            Priority::Normal,
            TaskStatus::Open,
        ),
        (
            "9990000018",
            "Send the discharge summary to the GP",
            Owner::User("sian.roberts".into()),
            Some(day(-2)),
            Priority::Low,
            TaskStatus::Done,
        ),
    ];
    for (nhs, title, owner, due, priority, status) in tasks {
        let Some(person_id) = person(store, nhs)? else { continue };
        let task = Task {
            id: 0,
            person_id,
            title: title.into(),
            owner,
            due,
            priority,
            status,
            notes: String::new(),
            event_key: None,
            event_items: None,
            created_by: "training seed".into(),
            updated_at: now,
            version: 1,
        };
        store.add_task(
            &task,
            &event(AuditAction::TaskCreated, Some(person_id), "training task"),
        )?;
    }
    Ok(())
}

fn as_of_of(text: &str) -> Option<NaiveDate> {
    #[derive(serde::Deserialize)]
    struct Head {
        as_of: Option<String>,
    }
    let head: Head = serde_json::from_str(text).ok()?;
    head.as_of.as_deref().and_then(parse_date)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::NhsNumber;
    use crate::domain::dates::parse_date_time;

    #[test]
    fn seeds_once_a_day_with_shifted_dates() {
        let mut store = Store::open_in_memory().unwrap();
        let today = parse_date("2026-11-22").unwrap();
        let now = parse_date_time("2026-11-22T09:00").unwrap();
        assert!(prepare(&mut store, today, now).unwrap());
        assert!(!prepare(&mut store, today, now).unwrap(), "same day: kept as it is");
        let joan = store
            .find_by_nhs_number(NhsNumber::parse("9990000131").unwrap())
            .unwrap()
            .unwrap();
        let record = store.person_record(joan.id).unwrap();
        // Joan Baker's discharge ready date is the fixtures' as-of date, so today.
        assert_eq!(record.spells[0].discharge_ready_date, Some(today));
        let people = store.count_people().unwrap();
        let tomorrow = parse_date("2026-11-23").unwrap();
        assert!(prepare(&mut store, tomorrow, now).unwrap());
        assert_eq!(store.count_people().unwrap(), people, "reseeded, not doubled");
        assert!(!prepare(&mut store, tomorrow, now).unwrap());
        // Seeded by a build with other fixtures: reseeded the same day.
        store.set_meta(META_FIXTURES, "older fixtures").unwrap();
        assert!(prepare(&mut store, tomorrow, now).unwrap());
        assert_eq!(store.count_people().unwrap(), people);
    }

    /// `import` without `--training` used to put 412 345 6782 into a training
    /// database: the database itself refuses it now, whatever the caller asked for.
    #[test]
    fn a_training_database_refuses_numbers_outside_the_test_range() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("training.db")).unwrap();
        let now = parse_date_time("2026-11-22T09:00").unwrap();
        prepare(&mut store, now.date(), now).unwrap();
        assert!(store.is_training_database().unwrap());
        let people = store.count_people().unwrap();
        let parsed = import::parse_bytes(
            "real.json",
            br#"{"format": "joinedup-bundle", "version": 1, "people": [{"nhs_number": "4123456782", "source": "PAS"}]}"#,
            ImportOptions::default(),
        )
        .unwrap();
        assert!(
            parsed.rejections.is_empty(),
            "the caller did not ask for the test range"
        );
        let err = store.apply_import(&parsed.batch, now).unwrap_err();
        assert!(err.to_string().contains("outside the test range"), "{err}");
        assert_eq!(store.count_people().unwrap(), people, "nothing of the file kept");
        // A test-range number is still taken.
        let parsed = import::parse_bytes(
            "test.json",
            br#"{"format": "joinedup-bundle", "version": 1, "people": [{"nhs_number": "9990000018", "source": "PAS"}]}"#,
            ImportOptions::default(),
        )
        .unwrap();
        store.apply_import(&parsed.batch, now).unwrap();
        // The mark stays, and survives reopening.
        assert!(store.set_meta("training", "no").is_err());
        assert!(
            store
                .connection()
                .execute("DELETE FROM meta WHERE key = 'training'", [])
                .is_err()
        );
        drop(store);
        let store = Store::open(&dir.path().join("training.db")).unwrap();
        assert!(store.is_training_database().unwrap());
        assert!(matches!(
            store.verify_audit().unwrap(),
            crate::store::AuditVerification::Intact { .. }
        ));
    }

    #[test]
    fn a_database_with_real_numbers_cannot_be_marked_training() {
        let store = Store::open_in_memory().unwrap();
        assert!(!store.is_training_database().unwrap());
        store
            .connection()
            .execute(
                "INSERT INTO person (nhs_number, created_at) VALUES ('4123456782', '2026-11-22T09:00:00')",
                [],
            )
            .unwrap();
        assert!(store.mark_training_database().is_err());
        assert!(!store.is_training_database().unwrap());
    }

    #[test]
    fn refuses_a_real_database() {
        let mut store = Store::open_in_memory().unwrap();
        let parsed = import::parse_bytes(
            "real.json",
            br#"{"format": "joinedup-bundle", "version": 1, "people": [{"nhs_number": "9434765919", "source": "PAS"}]}"#,
            ImportOptions::default(),
        )
        .unwrap();
        store
            .apply_import(&parsed.batch, parse_date_time("2026-11-22").unwrap())
            .unwrap();
        let err = prepare(
            &mut store,
            parse_date("2026-11-22").unwrap(),
            parse_date_time("2026-11-22").unwrap(),
        );
        assert!(matches!(err, Err(TrainingError::NotATrainingDatabase)));
    }
}
