//! The folded search keys of a person's names (`domain::name_search`): the whole
//! given and family names in `person.given_name_key` / `family_name_key`, and each
//! word in `person_name_word`, written wherever a person's names are written, and
//! recomputed once for every person when the folding changes (SAFETY.md H33).

use super::Result;
use super::codec::name_key;
use super::engine::{Conn, SqlParam, params};
use crate::domain::name_search::index_words;

/// The `meta` key a migration sets when every person's keys must be recomputed
/// (SQLite 0021, PostgreSQL 0017 set it); [`rekey_if_pending`] clears it.
const REKEY_PENDING: &str = "name_keys_pending";

/// Replace a person's name words with those of these names (`fresh`: a person
/// just inserted, who has none yet). One INSERT of all the words: on PostgreSQL
/// each statement is a round trip, and imports write many people.
pub(super) fn write_name_words(
    tx: &Conn,
    person_id: i64,
    given_name: &str,
    family_name: &str,
    fresh: bool,
) -> Result<()> {
    if !fresh {
        tx.prepare_cached("DELETE FROM person_name_word WHERE person_id = ?1")?
            .execute([person_id])?;
    }
    let words = index_words(given_name, family_name);
    if words.is_empty() {
        return Ok(());
    }
    let places: Vec<String> = (0..words.len()).map(|k| format!("(?1, ?{})", k + 2)).collect();
    let sql = format!(
        "INSERT INTO person_name_word (person_id, word) VALUES {} ON CONFLICT DO NOTHING",
        places.join(", ")
    );
    let mut args: Vec<&dyn SqlParam> = vec![&person_id];
    args.extend(words.iter().map(|w| w as &dyn SqlParam));
    tx.prepare_cached(&sql)?.execute(args)?;
    Ok(())
}

/// After a migration that changed the folding: every person's keys and words
/// recomputed, and the mark cleared, in one transaction, so that a crash leaves
/// the mark for the next opening. Nothing of the record itself changes (no audit
/// event: the keys are derived from names already recorded).
pub(super) fn rekey_if_pending(conn: &mut Conn) -> Result<()> {
    let tx = conn.transaction(true)?;
    let pending: i64 = tx.query_row("SELECT count(*) FROM meta WHERE key = ?1", [REKEY_PENDING], |r| {
        r.get(0)
    })?;
    if pending == 0 {
        return Ok(());
    }
    let people: Vec<(i64, String, String)> =
        tx.query_map("SELECT id, given_name, family_name FROM person ORDER BY id", [], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })?;
    let mut update = tx.prepare_cached("UPDATE person SET given_name_key = ?2, family_name_key = ?3 WHERE id = ?1")?;
    for (id, given, family) in &people {
        update.execute(params![*id, name_key(given), name_key(family)])?;
        write_name_words(&tx, *id, given, family, false)?;
    }
    drop(update);
    tx.execute("DELETE FROM meta WHERE key = ?1", [REKEY_PENDING])?;
    tracing::info!(people = people.len(), "search keys recomputed");
    tx.commit()
}
