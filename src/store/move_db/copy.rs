//! Copying one table of `tables.rs`: rows read from the desktop file in the order
//! they were written, inserted on the target (SQL both engines share) with the
//! target's own new ids, every column that names another row's id remapped old →
//! new. Rows go in batches of [`BATCH`] (one statement, one round trip to a
//! server); a table with ids and no unique key to match the returned ids by goes
//! one row at a time (import runs, people: few).

use std::collections::HashMap;

use crate::store::engine::{Conn, Row, SqlParam, Value};
use crate::store::{Result, StoreError};

use super::tables::{Col, Ids, OnConflict, Table};

/// Rows per insert statement.
const BATCH: usize = 200;

/// The desktop database's ids and the target's, by kind.
#[derive(Default)]
pub(super) struct Maps {
    by: HashMap<Ids, HashMap<i64, i64>>,
}

impl Maps {
    /// The target's id for a desktop id of this kind.
    pub(super) fn get(&self, ids: Ids, old: i64) -> Option<i64> {
        self.by.get(&ids).and_then(|m| m.get(&old)).copied()
    }

    fn insert(&mut self, ids: Ids, old: i64, new: i64) {
        self.by.entry(ids).or_default().insert(old, new);
    }

    /// How many rows of this kind were written.
    pub(super) fn count(&self, ids: Ids) -> usize {
        self.by.get(&ids).map_or(0, HashMap::len)
    }

    /// A column's id, remapped (NULL stays NULL); a row naming one the desktop
    /// database does not hold stops the move.
    fn remap(&self, ids: Ids, v: Value, table: &str, column: &str) -> Result<Value> {
        match v {
            Value::Null => Ok(Value::Null),
            Value::Int(old) => self.get(ids, old).map(Value::Int).ok_or_else(|| damaged(table, column)),
            _ => Err(damaged(table, column)),
        }
    }

    /// `person_link.moved` with its episode and plan ids remapped.
    fn remap_moved(&self, v: Value) -> Result<Value> {
        let bad = || damaged("person_link", "moved");
        let Value::Text(text) = v else {
            return Err(bad());
        };
        let mut moved: crate::store::matching::Moved = serde_json::from_str(&text).map_err(|_| bad())?;
        let map = |ids: Ids, list: &mut Vec<i64>| -> Result<()> {
            for id in list.iter_mut() {
                *id = self.get(ids, *id).ok_or_else(bad)?;
            }
            Ok(())
        };
        map(Ids::Episode, &mut moved.episodes)?;
        map(Ids::Plan, &mut moved.care_plans)?;
        Ok(Value::Text(serde_json::to_string(&moved).map_err(|_| bad())?))
    }
}

fn damaged(table: &str, column: &str) -> StoreError {
    StoreError::Refused(format!(
        "the desktop database is damaged ({table}.{column} names a row it does not hold); nothing was moved"
    ))
}

/// One row read from the desktop database, ready to insert.
struct Pending {
    old_id: Option<i64>,
    values: Vec<Value>,
    /// Columns set once the whole table is in: (column, kind, desktop id).
    later: Vec<(&'static str, Ids, i64)>,
}

/// A column set after the table is in: (target row, column, kind, desktop id).
type Later = (i64, &'static str, Ids, i64);

/// Copy one table from the desktop database `src` onto the target `dst` (inside
/// the move's transaction); the rows copied. `tick` is called once a row.
pub(super) fn copy_table(
    src: &Conn,
    dst: &Conn,
    t: &Table,
    maps: &mut Maps,
    tick: &mut dyn FnMut() -> Result<()>,
) -> Result<usize> {
    let names: Vec<&str> = t.columns.iter().map(|(c, _)| *c).collect();
    let id_col = if t.id.is_some() { "id, " } else { "" };
    let select = format!(
        "SELECT {id_col}{} FROM {} ORDER BY {}",
        names.join(", "),
        t.name,
        t.order
    );
    let batch = if t.id.is_some() && t.key.is_empty() { 1 } else { BATCH };
    let mut rows: Vec<Pending> = Vec::with_capacity(batch);
    let mut later: Vec<Later> = Vec::new();
    let mut copied = 0;
    src.prepare(&select)?.for_each([], |r| {
        tick()?;
        rows.push(read_row(r, t, maps)?);
        if rows.len() == batch {
            copied += write_rows(dst, t, &mut rows, maps, &mut later)?;
        }
        Ok(())
    })?;
    if !rows.is_empty() {
        copied += write_rows(dst, t, &mut rows, maps, &mut later)?;
    }
    for (row, column, ids, old) in later {
        let new = maps.get(ids, old).ok_or_else(|| damaged(t.name, column))?;
        dst.execute(
            &format!("UPDATE {} SET {column} = ?2 WHERE id = ?1", t.name),
            crate::store::engine::params![row, new],
        )?;
    }
    Ok(copied)
}

fn read_row(r: &Row<'_>, t: &Table, maps: &Maps) -> Result<Pending> {
    let offset = usize::from(t.id.is_some());
    let mut row = Pending {
        old_id: if t.id.is_some() { Some(r.get(0)?) } else { None },
        values: Vec::with_capacity(t.columns.len()),
        later: Vec::new(),
    };
    for (i, (name, col)) in t.columns.iter().enumerate() {
        let v: Value = r.get(i + offset)?;
        row.values.push(match *col {
            Col::Same => v,
            Col::Ref(ids) => maps.remap(ids, v, t.name, name)?,
            Col::MovedJson => maps.remap_moved(v)?,
            Col::Later(ids) => {
                if let Value::Int(old) = v {
                    row.later.push((*name, ids, old));
                }
                Value::Null
            }
        });
    }
    Ok(row)
}

/// `INSERT INTO t (…) VALUES (…), (…) …` for `rows` rows, returning the new ids
/// and the key they are matched by.
fn insert_sql(t: &Table, rows: usize) -> String {
    let width = t.columns.len();
    let names: Vec<&str> = t.columns.iter().map(|(c, _)| *c).collect();
    let tuples: Vec<String> = (0..rows)
        .map(|k| {
            let marks: Vec<String> = (1..=width).map(|i| format!("?{}", k * width + i)).collect();
            format!("({})", marks.join(", "))
        })
        .collect();
    let mut sql = format!(
        "INSERT INTO {} ({}) VALUES {}",
        t.name,
        names.join(", "),
        tuples.join(", ")
    );
    if !matches!(t.on_conflict, OnConflict::Fail) {
        sql.push_str(" ON CONFLICT DO NOTHING");
    }
    if t.id.is_some() {
        sql.push_str(" RETURNING id");
        for k in t.key {
            sql.push_str(", ");
            sql.push_str(k);
        }
    }
    sql
}

/// Insert the rows in hand, map their new ids, and empty `rows`; the rows written.
fn write_rows(
    dst: &Conn,
    t: &Table,
    rows: &mut Vec<Pending>,
    maps: &mut Maps,
    later: &mut Vec<Later>,
) -> Result<usize> {
    let mut stmt = dst.prepare_cached(&insert_sql(t, rows.len()))?;
    let params: Vec<&dyn SqlParam> = rows
        .iter()
        .flat_map(|p| p.values.iter().map(|v| v as &dyn SqlParam))
        .collect();
    let written = match t.id {
        None => stmt.execute(params)?,
        Some(ids) => {
            let returned: Vec<(i64, Vec<String>)> = stmt
                .query_map(params, |r| {
                    let key = (1..=t.key.len())
                        .map(|i| r.get::<_, String>(i))
                        .collect::<Result<_>>()?;
                    Ok((r.get(0)?, key))
                })?
                .collect::<Result<_>>()?;
            map_returned(t, ids, rows, &returned, maps, later)?;
            returned.len()
        }
    };
    let expected = rows.len();
    rows.clear();
    match (written < expected, t.on_conflict) {
        (true, OnConflict::Refuse(why)) => Err(StoreError::Refused(why.to_owned())),
        _ => Ok(written),
    }
}

/// Record the target's id of each row written, matched by the table's key (or, one
/// row at a time, the row's own).
fn map_returned(
    t: &Table,
    ids: Ids,
    rows: &[Pending],
    returned: &[(i64, Vec<String>)],
    maps: &mut Maps,
    later: &mut Vec<Later>,
) -> Result<()> {
    let key_of = |p: &Pending| -> Vec<String> {
        t.key
            .iter()
            .filter_map(|k| t.columns.iter().position(|(c, _)| c == k))
            .map(|i| key_text(&p.values[i]))
            .collect()
    };
    let by_key: HashMap<Vec<String>, &Pending> = if rows.len() > 1 {
        rows.iter().map(|p| (key_of(p), p)).collect()
    } else {
        HashMap::new()
    };
    for (new, key) in returned {
        let row = match rows {
            [only] => only,
            _ => by_key.get(key).copied().ok_or_else(|| damaged(t.name, "id"))?,
        };
        if let Some(old) = row.old_id {
            maps.insert(ids, old, *new);
        }
        later.extend(row.later.iter().map(|(c, k, old)| (*new, *c, *k, *old)));
    }
    Ok(())
}

/// A key column's value as the target returns it (text; a number in digits).
fn key_text(v: &Value) -> String {
    match v {
        Value::Int(i) => i.to_string(),
        Value::Text(s) => s.clone(),
        other => format!("{other:?}"),
    }
}
