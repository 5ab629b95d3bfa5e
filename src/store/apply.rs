//! Applying a validated import: one transaction, idempotent on (source, source_ref).

use std::collections::HashMap;

use chrono::NaiveDateTime;
use rusqlite::{OptionalExtension, Transaction, params};

use super::codec::{date_text, date_time_text, enum_text, name_key};
use super::{Result, Store, StoreError};
use crate::domain::batch::{CarePlanEntry, EpisodeEntry, ImportBatch, ImportSummary, PersonEntry, PersonKey};
use crate::domain::{ChcAssessment, Demographics, HospitalSpell};

impl Store {
    /// Write the whole batch in one transaction, or nothing. Rows already present
    /// (same source and source reference) are counted, not added again.
    pub fn apply_import(&mut self, batch: &ImportBatch, imported_at: NaiveDateTime) -> Result<ImportSummary> {
        self.apply_import_with(batch, imported_at, &mut |_, _| true)
    }

    /// As [`Store::apply_import`], reporting progress (items written, items in all)
    /// every [`PROGRESS_EVERY`] items; when `progress` returns false the import stops
    /// and nothing of it is kept.
    pub fn apply_import_with(
        &mut self,
        batch: &ImportBatch,
        imported_at: NaiveDateTime,
        progress: &mut dyn FnMut(usize, usize) -> bool,
    ) -> Result<ImportSummary> {
        let total = batch.people.len() + batch.episodes.len() + batch.care_plans.len();
        let mut writer = self.begin_import(batch, imported_at)?;
        writer.write(batch, &mut |done| progress(done, total))?;
        writer.finish(batch)
    }

    /// Start an import written in parts (a file parsed in chunks): one transaction
    /// for all of them. `file` gives the file's name, SHA-256 and format; its
    /// people and items are not written here. Nothing is kept unless
    /// [`ImportWriter::finish`] is called: dropping the writer rolls everything back.
    pub fn begin_import(&mut self, file: &ImportBatch, imported_at: NaiveDateTime) -> Result<ImportWriter<'_>> {
        let tx = self.conn.transaction()?;
        tx.prepare_cached(
            "INSERT INTO import_run (file_name, file_sha256, format, imported_at, rows_read, rows_added, rows_rejected)
             VALUES (?1, ?2, ?3, ?4, 0, 0, 0)",
        )?
        .execute(params![
            file.file_name,
            file.file_sha256,
            file.format,
            date_time_text(imported_at)
        ])?;
        let run_id = tx.last_insert_rowid();
        Ok(ImportWriter {
            tx,
            ctx: RunContext {
                file_name: file.file_name.clone(),
                file_sha256: file.file_sha256.clone(),
                run_id,
                imported_at,
                imported_at_text: date_time_text(imported_at),
            },
            people: HashMap::new(),
            summary: ImportSummary {
                import_run_id: run_id,
                ..Default::default()
            },
            done: 0,
            format: file.format.clone(),
            started: std::time::Instant::now(),
        })
    }
}

/// One import in progress: an open transaction, and what it has written so far.
pub struct ImportWriter<'a> {
    tx: Transaction<'a>,
    ctx: RunContext,
    /// People already resolved in this import, by the key the rows name them with.
    people: HashMap<PersonKey, i64>,
    summary: ImportSummary,
    /// Items written so far (people, episodes and care plan versions).
    done: usize,
    format: String,
    started: std::time::Instant,
}

impl ImportWriter<'_> {
    /// Items written so far.
    pub fn written(&self) -> usize {
        self.done
    }

    /// Write one part: its people first, then its items. `progress` hears the
    /// running count every [`PROGRESS_EVERY`] items; when it returns false the
    /// import stops with [`StoreError::Cancelled`] and nothing of it is kept.
    pub fn write(&mut self, part: &ImportBatch, progress: &mut dyn FnMut(usize) -> bool) -> Result<()> {
        let tx = &self.tx;
        let mut tick = |done: &mut usize| -> Result<()> {
            *done += 1;
            if (*done).is_multiple_of(PROGRESS_EVERY) && !progress(*done) {
                return Err(StoreError::Cancelled);
            }
            Ok(())
        };
        for entry in &part.people {
            tick(&mut self.done)?;
            let (id, added) = upsert_person(tx, entry, self.ctx.imported_at)?;
            self.summary.people_added += usize::from(added);
            self.people.insert(entry.key.clone(), id);
        }
        for entry in &part.episodes {
            tick(&mut self.done)?;
            let person_id = resolve(tx, &mut self.people, &entry.person, &self.ctx, &mut self.summary)?;
            match insert_episode(tx, &self.ctx, person_id, entry)? {
                Written::Added => self.summary.episodes_added += 1,
                Written::Updated => self.summary.episodes_updated += 1,
                Written::AlreadyPresent => self.summary.episodes_already_present += 1,
            }
        }
        for entry in &part.care_plans {
            tick(&mut self.done)?;
            let person_id = resolve(tx, &mut self.people, &entry.person, &self.ctx, &mut self.summary)?;
            if insert_care_plan(tx, &self.ctx, person_id, entry)? {
                self.summary.care_plan_versions_added += 1;
            }
        }
        Ok(())
    }

    /// Record the file's counts (and its SHA-256, which a file parsed in parts
    /// knows only at the end) from `file`, and commit: everything written is kept.
    pub fn finish(self, file: &ImportBatch) -> Result<ImportSummary> {
        let summary = self.summary;
        self.tx
            .prepare_cached(
                "UPDATE import_run SET rows_read = ?1, rows_added = ?2, rows_rejected = ?3,
                    file_sha256 = CASE WHEN ?5 = '' THEN file_sha256 ELSE ?5 END
                 WHERE id = ?4",
            )?
            .execute(params![
                file.rows_read as i64,
                (summary.episodes_added + summary.care_plan_versions_added) as i64,
                file.rows_rejected as i64,
                self.ctx.run_id,
                file.file_sha256,
            ])?;
        // Keep the planner's statistics fresh after a bulk change, so indexes such as
        // the social-care partial index are chosen (bounded work: analysis_limit).
        self.tx
            .execute_batch("PRAGMA analysis_limit = 1000; PRAGMA optimize = 0x10002;")?;
        self.tx.commit()?;
        // Counts and timings only: nothing identifying goes to the log (DESIGN.md 5).
        tracing::info!(
            format = %self.format,
            people_added = summary.people_added,
            items_added = summary.episodes_added,
            already_present = summary.episodes_already_present,
            elapsed_ms = self.started.elapsed().as_millis() as u64,
            "import stored"
        );
        Ok(summary)
    }
}

struct RunContext {
    file_name: String,
    file_sha256: String,
    run_id: i64,
    imported_at: NaiveDateTime,
    /// When the file was imported, as stored: written once for the whole file.
    imported_at_text: String,
}

/// Find the person a key names, creating a bare record for an unknown one.
fn resolve(
    tx: &Transaction,
    known: &mut HashMap<PersonKey, i64>,
    key: &PersonKey,
    ctx: &RunContext,
    summary: &mut ImportSummary,
) -> Result<i64> {
    let imported_at = ctx.imported_at;
    if let Some(id) = known.get(key) {
        return Ok(*id);
    }
    let id = match find_person(tx, key)? {
        Some(id) => id,
        None => {
            let id = insert_person_row(
                tx,
                nhs_of(key).as_deref(),
                &Demographics::default(),
                &[],
                false,
                imported_at,
            )?;
            if let PersonKey::Local(l) = key {
                tx.prepare_cached(
                    "INSERT OR IGNORE INTO person_identifier (person_id, source, local_id) VALUES (?1, ?2, ?3)",
                )?
                .execute(params![id, l.source, l.id])?;
            }
            summary.people_added += 1;
            id
        }
    };
    known.insert(key.clone(), id);
    Ok(id)
}

fn nhs_of(key: &PersonKey) -> Option<String> {
    match key {
        PersonKey::Nhs(n) => Some(n.digits()),
        PersonKey::Local(_) => None,
    }
}

fn find_person(tx: &Transaction, key: &PersonKey) -> Result<Option<i64>> {
    Ok(match key {
        PersonKey::Nhs(n) => tx
            .query_row("SELECT id FROM person WHERE nhs_number = ?1", [n.digits()], |r| {
                r.get(0)
            })
            .optional()?,
        PersonKey::Local(l) => tx
            .query_row(
                "SELECT person_id FROM person_identifier WHERE source = ?1 AND local_id = ?2",
                params![l.source, l.id],
                |r| r.get(0),
            )
            .optional()?,
    })
}

fn insert_person_row(
    tx: &Transaction,
    nhs: Option<&str>,
    d: &Demographics,
    alerts: &[String],
    is_restricted: bool,
    imported_at: NaiveDateTime,
) -> Result<i64> {
    tx.prepare_cached(
        "INSERT INTO person (nhs_number, given_name, family_name, given_name_key, family_name_key,
            date_of_birth, date_of_death, sex, address, postcode, gp_practice, allocated_worker,
            alerts, is_restricted, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
    )?
    .execute(params![
        nhs,
        d.given_name,
        d.family_name,
        name_key(&d.given_name),
        name_key(&d.family_name),
        d.date_of_birth.map(date_text),
        d.date_of_death.map(date_text),
        enum_text(&d.sex),
        d.address,
        d.postcode,
        d.gp_practice,
        d.allocated_worker,
        serde_json::to_string(alerts).unwrap_or_else(|_| "[]".into()),
        is_restricted,
        date_time_text(imported_at),
    ])?;
    Ok(tx.last_insert_rowid())
}

/// Returns the person's id and whether they were new. A person first seen without
/// demographics (only referenced) takes the first demographics that arrive; after
/// that each source's statement is kept beside the others.
fn upsert_person(tx: &Transaction, e: &PersonEntry, imported_at: NaiveDateTime) -> Result<(i64, bool)> {
    let mut existing = find_person(tx, &e.key)?;
    if existing.is_none()
        && let Some(n) = e.nhs_number
    {
        existing = find_person(tx, &PersonKey::Nhs(n))?;
    }
    if existing.is_none() {
        for l in &e.local_ids {
            existing = find_person(tx, &PersonKey::Local(l.clone()))?;
            if existing.is_some() {
                break;
            }
        }
    }
    let (id, added) = match existing {
        Some(id) => {
            let d = &e.demographics;
            // Fill a bare record (created from a reference) from the first real statement.
            tx.prepare_cached(
                "UPDATE person SET given_name = ?2, family_name = ?3, given_name_key = ?4, family_name_key = ?5,
                    date_of_birth = ?6, date_of_death = ?7, sex = ?8, address = ?9, postcode = ?10,
                    gp_practice = ?11, allocated_worker = ?12
                 WHERE id = ?1 AND given_name = '' AND family_name = ''
                   AND NOT EXISTS (SELECT 1 FROM person_demographics WHERE person_id = ?1)",
            )?
            .execute(params![
                id,
                d.given_name,
                d.family_name,
                name_key(&d.given_name),
                name_key(&d.family_name),
                d.date_of_birth.map(date_text),
                d.date_of_death.map(date_text),
                enum_text(&d.sex),
                d.address,
                d.postcode,
                d.gp_practice,
                d.allocated_worker,
            ])?;
            if e.nhs_number.is_some() {
                tx.prepare_cached("UPDATE person SET nhs_number = ?2 WHERE id = ?1 AND nhs_number IS NULL")?
                    .execute(params![id, e.nhs_number.map(|n| n.digits())])?;
            }
            (id, false)
        }
        None => (
            insert_person_row(
                tx,
                e.nhs_number.map(|n| n.digits()).as_deref(),
                &e.demographics,
                &e.alerts,
                e.is_restricted,
                imported_at,
            )?,
            true,
        ),
    };
    for l in &e.local_ids {
        tx.prepare_cached("INSERT OR IGNORE INTO person_identifier (person_id, source, local_id) VALUES (?1, ?2, ?3)")?
            .execute(params![id, l.source, l.id])?;
    }
    let d = &e.demographics;
    tx.prepare_cached(
        "INSERT INTO person_demographics (person_id, source, given_name, family_name, date_of_birth,
            date_of_death, sex, address, postcode, gp_practice, allocated_worker)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
         ON CONFLICT (person_id, source) DO UPDATE SET
            given_name = excluded.given_name, family_name = excluded.family_name,
            date_of_birth = excluded.date_of_birth, date_of_death = excluded.date_of_death,
            sex = excluded.sex, address = excluded.address, postcode = excluded.postcode,
            gp_practice = excluded.gp_practice, allocated_worker = excluded.allocated_worker",
    )?
    .execute(params![
        id,
        e.source,
        d.given_name,
        d.family_name,
        d.date_of_birth.map(date_text),
        d.date_of_death.map(date_text),
        enum_text(&d.sex),
        d.address,
        d.postcode,
        d.gp_practice,
        d.allocated_worker,
    ])?;
    if d.allocated_worker.is_some() {
        tx.prepare_cached("UPDATE person SET allocated_worker = ?2 WHERE id = ?1")?
            .execute(params![id, d.allocated_worker])?;
    }
    for alert in &e.alerts {
        tx.prepare_cached(
            "UPDATE person SET alerts = json_insert(alerts, '$[#]', ?2)
             WHERE id = ?1 AND NOT EXISTS (SELECT 1 FROM json_each(alerts) WHERE value = ?2)",
        )?
        .execute(params![id, alert])?;
    }
    if e.is_restricted {
        tx.prepare_cached("UPDATE person SET is_restricted = 1 WHERE id = ?1")?
            .execute([id])?;
    }
    Ok((id, added))
}

/// How often (in items) an import reports progress and checks for Cancel.
pub const PROGRESS_EVERY: usize = 5_000;

enum Written {
    Added,
    Updated,
    AlreadyPresent,
}

/// Insert one episode and its spell or CHC facts; or, for a source that sends
/// updates, bring the stored one up to date.
fn insert_episode(tx: &Transaction, ctx: &RunContext, person_id: i64, entry: &EpisodeEntry) -> Result<Written> {
    let e = &entry.episode;
    let inserted = tx
        .prepare_cached(
            "INSERT INTO episode (person_id, sector, kind, title, start, end, status, organisation, detail,
            sensitivity, attributes, source, source_ref, import_run_id, file_name, file_sha256, imported_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)
         ON CONFLICT (source, source_ref) DO NOTHING",
        )?
        .execute(params![
            person_id,
            e.sector().code(),
            e.kind.code(),
            e.title,
            date_time_text(e.start),
            e.end.map(date_time_text),
            e.status.code(),
            e.organisation,
            e.detail,
            e.sensitivity.code(),
            serde_json::to_string(&e.attributes).unwrap_or_else(|_| "{}".into()),
            e.provenance.source,
            e.provenance.source_ref,
            ctx.run_id,
            // The file, its SHA-256 and the time are the import run's, read through
            // import_run_id: not written again on every row.
            "",
            "",
            "",
        ])?;
    if inserted == 0 {
        return if entry.replaces_existing {
            update_episode(tx, ctx, entry)
        } else {
            Ok(Written::AlreadyPresent)
        };
    }
    let episode_id = tx.last_insert_rowid();
    if let Some(spell) = &entry.spell {
        insert_spell(tx, episode_id, spell)?;
    }
    if let Some(chc) = &entry.chc {
        insert_chc(tx, episode_id, chc)?;
    }
    Ok(Written::Added)
}

/// Bring a stored episode (and its spell) up to the state a later message gives.
/// Nothing changes, and it counts as already present, when the state is the same.
fn update_episode(tx: &Transaction, ctx: &RunContext, entry: &EpisodeEntry) -> Result<Written> {
    let e = &entry.episode;
    let changed = tx
        .prepare_cached(
            "UPDATE episode SET title = ?3, start = ?4, end = ?5, status = ?6, organisation = ?7, detail = ?8,
            attributes = ?9, import_run_id = ?10, file_name = ?11, file_sha256 = ?12, imported_at = ?13
         WHERE source = ?1 AND source_ref = ?2
           AND (title IS NOT ?3 OR start IS NOT ?4 OR end IS NOT ?5 OR status IS NOT ?6 OR organisation IS NOT ?7
                OR detail IS NOT ?8 OR attributes IS NOT ?9)",
        )?
        .execute(params![
            e.provenance.source,
            e.provenance.source_ref,
            e.title,
            date_time_text(e.start),
            e.end.map(date_time_text),
            e.status.code(),
            e.organisation,
            e.detail,
            serde_json::to_string(&e.attributes).unwrap_or_else(|_| "{}".into()),
            ctx.run_id,
            "",
            "",
            "",
        ])?;
    if let Some(s) = &entry.spell {
        tx.prepare_cached(
            "UPDATE hospital_spell SET hospital = ?2, ward = ?3, admission_method = ?4, admission_source = ?5,
                discharge_method = ?6, discharge_destination = ?7
             WHERE episode_id = (SELECT id FROM episode WHERE source = ?1 AND source_ref = ?8)",
        )?
        .execute(params![
            e.provenance.source,
            s.hospital,
            s.ward,
            s.admission_method,
            s.admission_source,
            s.discharge_method,
            s.discharge_destination,
            e.provenance.source_ref,
        ])?;
    }
    Ok(if changed > 0 {
        Written::Updated
    } else {
        Written::AlreadyPresent
    })
}

fn insert_spell(tx: &Transaction, episode_id: i64, s: &HospitalSpell) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO hospital_spell (episode_id, hospital, ward, admission_method, admission_source,
            discharge_method, discharge_destination, meets_criteria_to_reside, criteria_to_reside_code,
            discharge_ready_date, pathway, next_action, next_action_owner)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
    )?
    .execute(params![
        episode_id,
        s.hospital,
        s.ward,
        s.admission_method,
        s.admission_source,
        s.discharge_method,
        s.discharge_destination,
        s.meets_criteria_to_reside,
        s.criteria_to_reside_code,
        s.discharge_ready_date.map(date_text),
        s.pathway,
        s.next_action,
        s.next_action_owner,
    ])?;
    let mut stmt = tx.prepare_cached(
        "INSERT INTO delay_reason (episode_id, code, description, attribution, since, owner)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    for r in &s.delay_reasons {
        stmt.execute(params![
            episode_id,
            r.code,
            r.description,
            r.attribution.code(),
            date_text(r.since),
            r.owner
        ])?;
    }
    let mut stmt =
        tx.prepare_cached("INSERT OR REPLACE INTO ctr_review (episode_id, date, meets, code) VALUES (?1, ?2, ?3, ?4)")?;
    for r in &s.ctr_reviews {
        stmt.execute(params![episode_id, date_text(r.date), r.meets, r.code])?;
    }
    Ok(())
}

pub(super) fn insert_chc(tx: &Transaction, episode_id: i64, a: &ChcAssessment) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO chc_assessment (episode_id, kind, completed_on, completed_by, recorded_positive,
            mdt_recommendation, icb_decision_date, icb_decision_eligible, icb_decision_note)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![
        episode_id,
        enum_text(&a.kind),
        date_text(a.completed_on),
        a.completed_by,
        a.recorded_positive,
        a.mdt_recommendation,
        a.icb_decision.as_ref().map(|d| date_text(d.date)),
        a.icb_decision.as_ref().map(|d| d.is_eligible),
        a.icb_decision.as_ref().and_then(|d| d.note.clone()),
    ])?;
    let mut stmt = tx
        .prepare_cached("INSERT INTO chc_domain_level (episode_id, domain, level, evidence) VALUES (?1, ?2, ?3, ?4)")?;
    for (domain, level) in &a.domains {
        let note = a.evidence.iter().find(|(d, _)| d == domain).map(|(_, n)| n.as_str());
        stmt.execute(params![episode_id, enum_text(domain), level, note])?;
    }
    Ok(())
}

/// Insert a care plan version; false when that version was already stored.
fn insert_care_plan(tx: &Transaction, ctx: &RunContext, person_id: i64, entry: &CarePlanEntry) -> Result<bool> {
    let p = &entry.plan;
    tx.prepare_cached(
        "INSERT INTO care_plan (person_id, kind, sector, title, owner, source, source_ref)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT (source, source_ref) DO NOTHING",
    )?
    .execute(params![
        person_id,
        enum_text(&p.kind),
        p.sector.code(),
        p.title,
        p.owner,
        p.provenance.source,
        entry.plan_ref
    ])?;
    let plan_id: i64 = tx.query_row(
        "SELECT id FROM care_plan WHERE source = ?1 AND source_ref = ?2",
        params![p.provenance.source, entry.plan_ref],
        |r| r.get(0),
    )?;
    let inserted = tx
        .prepare_cached(
            "INSERT INTO care_plan_version (care_plan_id, version, status, start, last_review, next_review,
            funding, personal_budget_weekly, file_name, file_sha256, imported_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
         ON CONFLICT (care_plan_id, version) DO NOTHING",
        )?
        .execute(params![
            plan_id,
            p.version,
            p.status,
            date_text(p.start),
            p.last_review.map(date_text),
            p.next_review.map(date_text),
            p.funding.as_ref().map(enum_text),
            p.personal_budget_weekly,
            ctx.file_name,
            ctx.file_sha256,
            ctx.imported_at_text,
        ])?;
    if inserted == 0 {
        return Ok(false);
    }
    let version_id = tx.last_insert_rowid();
    for (i, g) in p.goals.iter().enumerate() {
        tx.prepare_cached("INSERT INTO care_plan_goal (version_id, position, text) VALUES (?1, ?2, ?3)")?
            .execute(params![version_id, i as i64, g])?;
    }
    for (i, n) in p.needs.iter().enumerate() {
        tx.prepare_cached(
            "INSERT INTO care_plan_need (version_id, position, description, is_eligible) VALUES (?1, ?2, ?3, ?4)",
        )?
        .execute(params![version_id, i as i64, n.description, n.is_eligible])?;
    }
    for (i, a) in p.actions.iter().enumerate() {
        tx.prepare_cached(
            "INSERT INTO care_plan_action (version_id, position, description, responsible_party, responsible_name)
             VALUES (?1, ?2, ?3, ?4, ?5)",
        )?
        .execute(params![
            version_id,
            i as i64,
            a.description,
            enum_text(&a.responsible_party),
            a.responsible_name
        ])?;
    }
    Ok(true)
}
