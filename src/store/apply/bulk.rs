//! Bulk writing on PostgreSQL: a part's episodes arrive by binary `COPY` into a
//! staging table inside the import's one transaction, and move into `episode` in
//! one statement. Items already stored (the same source and reference, or a later
//! message about an item earlier in the same part) then take the row-by-row path
//! with all its checks: an item stored for another person stops the import, an
//! update keeps the earlier start. So the none-or-all guarantee, idempotency and
//! provenance are the same as SQLite's; only the number of round trips differs.

use std::collections::HashMap;

use postgres::binary_copy::BinaryCopyInWriter;
use postgres::types::Type;

use super::RunContext;
use super::items::{Written, insert_episode, insert_spell};
use crate::domain::batch::EpisodeEntry;
use crate::store::engine::Conn;
use crate::store::{Result, StoreError};

const STAGE: &str = "CREATE TEMP TABLE IF NOT EXISTS episode_stage (
        seq bigint, person_id bigint, sector text, kind text, title text, start timestamp, \"end\" timestamp,
        status text, organisation text, detail text, sensitivity text, attributes text, source text, source_ref text
    ) ON COMMIT DELETE ROWS;
    TRUNCATE episode_stage;";

const COPY: &str = "COPY episode_stage (seq, person_id, sector, kind, title, start, \"end\", status, organisation,
    detail, sensitivity, attributes, source, source_ref) FROM STDIN BINARY";

const MOVE: &str = "INSERT INTO episode (person_id, sector, kind, title, start, \"end\", status, organisation, detail,
        sensitivity, attributes, source, source_ref, import_run_id, file_name, file_sha256)
    SELECT person_id, sector, kind, title, start, \"end\", status, organisation, detail, sensitivity, attributes,
        source, source_ref, ?1, '', ''
    FROM episode_stage ORDER BY seq
    ON CONFLICT (source, source_ref) DO NOTHING
    RETURNING id, source, source_ref";

const TYPES: [Type; 14] = [
    Type::INT8,
    Type::INT8,
    Type::TEXT,
    Type::TEXT,
    Type::TEXT,
    Type::TIMESTAMP,
    Type::TIMESTAMP,
    Type::TEXT,
    Type::TEXT,
    Type::TEXT,
    Type::TEXT,
    Type::TEXT,
    Type::TEXT,
    Type::TEXT,
];

fn copy_error(e: postgres::Error) -> StoreError {
    crate::store::engine::postgres::error(e)
}

/// Fewer entries than this are inserted one by one on PostgreSQL too. Staging costs
/// a `TRUNCATE` of the temporary table, a new file each time (about 3 ms measured
/// under `cargo bench --bench feed`), more than the round trips it saves for the
/// one to three items of a live feed's message; a file's thousands of rows gain.
const STAGED_FROM: usize = 32;

/// Write `entries` (each with its person's id), in order; what became of each.
/// `tick` hears each entry as it goes (and may stop the import). On SQLite, where
/// a statement costs no round trip, and for a few entries, each is inserted as it
/// comes.
pub(super) fn insert_episodes(
    tx: &Conn,
    ctx: &RunContext,
    entries: &[(i64, &EpisodeEntry)],
    tick: &mut dyn FnMut() -> Result<()>,
) -> Result<Vec<Written>> {
    let (Conn::Postgres(pg), true) = (tx, entries.len() >= STAGED_FROM) else {
        let mut out = Vec::with_capacity(entries.len());
        for (person_id, entry) in entries {
            tick()?;
            out.push(insert_episode(tx, ctx, *person_id, entry)?);
        }
        return Ok(out);
    };
    tx.execute_batch(STAGE)?;
    {
        let mut client = pg.client();
        let sink = client.copy_in(COPY).map_err(copy_error)?;
        let mut writer = BinaryCopyInWriter::new(sink, &TYPES);
        for (seq, (person_id, entry)) in entries.iter().enumerate() {
            tick()?;
            let e = &entry.episode;
            let attributes = serde_json::to_string(&e.attributes).unwrap_or_else(|_| "{}".into());
            writer
                .write(&[
                    &(seq as i64),
                    person_id,
                    &e.sector().code(),
                    &e.kind.code(),
                    &e.title,
                    &e.start,
                    &e.end,
                    &e.status.code(),
                    &e.organisation,
                    &e.detail,
                    &e.sensitivity.code(),
                    &attributes,
                    &e.provenance.source,
                    &e.provenance.source_ref,
                ])
                .map_err(copy_error)?;
        }
        writer.finish().map_err(copy_error)?;
    }
    let mut inserted: HashMap<(String, String), i64> = HashMap::new();
    tx.prepare_cached(MOVE)?.for_each([ctx.run_id], |r| {
        inserted.insert((r.get(1)?, r.get(2)?), r.get(0)?);
        Ok(())
    })?;
    let mut out = Vec::with_capacity(entries.len());
    for (person_id, entry) in entries {
        let e = &entry.episode;
        // The first entry with a reference is the one inserted; later ones about the
        // same item are updates, as they would be row by row.
        match inserted.remove(&(e.provenance.source.clone(), e.provenance.source_ref.clone())) {
            Some(episode_id) => {
                if let Some(spell) = &entry.spell {
                    insert_spell(tx, episode_id, spell)?;
                }
                if let Some(chc) = &entry.chc {
                    super::items::insert_chc(tx, episode_id, chc)?;
                }
                out.push(Written::Added);
            }
            None => out.push(insert_episode(tx, ctx, *person_id, entry)?),
        }
    }
    Ok(out)
}
