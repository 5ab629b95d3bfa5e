//! PostgreSQL: connecting (with TLS through rustls), the store's SQL in
//! PostgreSQL's placeholders, parameters converted to the column's type, values
//! read by their type, and errors in one sentence.

use std::cell::RefCell;
use std::collections::HashMap;
use std::error::Error as _;

use bytes::BytesMut;
use chrono::{NaiveDate, NaiveDateTime, TimeZone};
use postgres::types::{FromSql, IsNull, ToSql, Type, to_sql_checked};

use super::{PgConn, SqlParam, Value};
use crate::store::{Result, StoreError};

impl PgConn {
    pub(super) fn new(client: postgres::Client) -> Self {
        Self {
            client: RefCell::new(client),
            statements: RefCell::new(HashMap::new()),
            signed_in: std::cell::Cell::new(None),
            group: std::cell::Cell::new(super::GroupState::None),
        }
    }

    /// A joinedup user signed in: an app role reads through the schema
    /// `joinedup_app` (the same names as the tables, holding back what this user may
    /// not see); the loader reads the tables themselves.
    pub(in crate::store) fn sign_in(&self, role: crate::store::access::ServerRole) {
        self.signed_in.set(Some(role));
        if matches!(role, crate::store::access::ServerRole::App(_)) {
            // Temporary working tables (pg_temp) are still found first.
            let _ = self
                .client
                .borrow_mut()
                .batch_execute("SET search_path = joinedup_app, public");
        }
    }

    pub(super) fn prepare(&self, sql: &str) -> Result<postgres::Statement> {
        if let Some(s) = self.statements.borrow().get(sql) {
            return Ok(s.clone());
        }
        let stmt = self
            .client
            .borrow_mut()
            .prepare(&translate(sql))
            .map_err(|e| error_in(e, sql))?;
        self.statements.borrow_mut().insert(sql.to_owned(), stmt.clone());
        Ok(stmt)
    }

    pub(super) fn execute(&self, stmt: &postgres::Statement, values: &[&dyn SqlParam]) -> Result<u64> {
        let params = bind(values);
        let refs: Vec<&(dyn ToSql + Sync)> = params.iter().map(|p| p as &(dyn ToSql + Sync)).collect();
        self.client.borrow_mut().execute(stmt, &refs).map_err(error)
    }

    pub(super) fn query(&self, stmt: &postgres::Statement, values: &[&dyn SqlParam]) -> Result<Vec<postgres::Row>> {
        let params = bind(values);
        let refs: Vec<&(dyn ToSql + Sync)> = params.iter().map(|p| p as &(dyn ToSql + Sync)).collect();
        self.client.borrow_mut().query(stmt, &refs).map_err(error)
    }

    /// The client itself, for what has no shared form (`COPY`, `LISTEN`).
    pub(in crate::store) fn client(&self) -> std::cell::RefMut<'_, postgres::Client> {
        self.client.borrow_mut()
    }
}

/// The store's SQL as PostgreSQL reads it: placeholders numbered `$1`, and
/// SQLite's planner pins, which have no meaning here, dropped (`INDEXED BY name`)
/// or read as what they pin (`CROSS JOIN … ON` fixes SQLite's join order; here it
/// is the inner join it stands for).
pub(super) fn translate(sql: &str) -> String {
    let mut out = placeholders(sql);
    while let Some(i) = out.find(" INDEXED BY ") {
        let rest = &out[i + " INDEXED BY ".len()..];
        let name_len = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        out.replace_range(i..i + " INDEXED BY ".len() + name_len, "");
    }
    out.replace("CROSS JOIN", "JOIN")
}

/// `?1` becomes `$1` outside quoted text; a bare `?` takes the next number.
pub(super) fn placeholders(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + 8);
    let mut chars = sql.chars().peekable();
    let mut quote: Option<char> = None;
    let mut next = 1;
    while let Some(c) = chars.next() {
        match (quote, c) {
            (Some(q), c) if c == q => {
                quote = None;
                out.push(c);
            }
            (Some(_), c) => out.push(c),
            (None, '\'' | '"') => {
                quote = Some(c);
                out.push(c);
            }
            (None, '?') => {
                let mut digits = String::new();
                while let Some(d) = chars.peek().filter(|d| d.is_ascii_digit()) {
                    digits.push(*d);
                    chars.next();
                }
                if digits.is_empty() {
                    digits = next.to_string();
                }
                next = digits.parse::<usize>().unwrap_or(next) + 1;
                out.push('$');
                out.push_str(&digits);
            }
            (None, c) => out.push(c),
        }
    }
    out
}

/// A parameter, converted when it is bound to the type PostgreSQL inferred for it.
#[derive(Debug)]
struct Bound(Value);

fn bind(values: &[&dyn SqlParam]) -> Vec<Bound> {
    values.iter().map(|v| Bound(v.to_value())).collect()
}

fn bad(ty: &Type, v: &Value) -> Box<dyn std::error::Error + Sync + Send> {
    format!("cannot store {v:?} as {ty}").into()
}

impl ToSql for Bound {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut BytesMut,
    ) -> std::result::Result<IsNull, Box<dyn std::error::Error + Sync + Send>> {
        match (&self.0, ty) {
            (Value::Null, _) => Ok(IsNull::Yes),
            // No date is no value: SQLite keeps '' where a row has none of its own.
            (Value::Text(s), &Type::DATE | &Type::TIMESTAMP | &Type::TIMESTAMPTZ) if s.is_empty() => Ok(IsNull::Yes),
            (Value::Int(i), &Type::INT8) => i.to_sql(ty, out),
            (Value::Int(i), &Type::INT4) => i32::try_from(*i).map_err(|_| bad(ty, &self.0))?.to_sql(ty, out),
            (Value::Int(i), &Type::INT2) => i16::try_from(*i).map_err(|_| bad(ty, &self.0))?.to_sql(ty, out),
            (Value::Int(i), &Type::BOOL) => (*i != 0).to_sql(ty, out),
            (Value::Int(i), &Type::FLOAT8) => (*i as f64).to_sql(ty, out),
            (Value::Int(i), &Type::TEXT | &Type::VARCHAR) => i.to_string().to_sql(ty, out),
            (Value::Real(r), &Type::FLOAT8) => r.to_sql(ty, out),
            (Value::Real(r), &Type::FLOAT4) => (*r as f32).to_sql(ty, out),
            (Value::Text(s), &Type::DATE) => date_of(s).ok_or_else(|| bad(ty, &self.0))?.to_sql(ty, out),
            (Value::Text(s), &Type::TIMESTAMP) => time_of(s).ok_or_else(|| bad(ty, &self.0))?.to_sql(ty, out),
            (Value::Text(s), &Type::TIMESTAMPTZ) => {
                instant(time_of(s).ok_or_else(|| bad(ty, &self.0))?).to_sql(ty, out)
            }
            (Value::Text(s), &Type::INT8) => s.parse::<i64>().map_err(|_| bad(ty, &self.0))?.to_sql(ty, out),
            (Value::Text(s), _) => s.as_str().to_sql(ty, out),
            (Value::Blob(b), &Type::BYTEA) => b.as_slice().to_sql(ty, out),
            (Value::Date(d), &Type::DATE) => d.to_sql(ty, out),
            (Value::Date(d), _) => crate::store::codec::date_text(*d).to_sql(ty, out),
            (Value::DateTime(t), &Type::TIMESTAMP) => t.to_sql(ty, out),
            (Value::DateTime(t), &Type::TIMESTAMPTZ) => instant(*t).to_sql(ty, out),
            (Value::DateTime(t), _) => crate::store::codec::date_time_text(*t).to_sql(ty, out),
            (v, _) => Err(bad(ty, v)),
        }
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    to_sql_checked!();
}

fn date_of(s: &str) -> Option<NaiveDate> {
    crate::store::codec::parse_date(s).ok()
}

fn time_of(s: &str) -> Option<NaiveDateTime> {
    crate::store::codec::parse_date_time(s)
        .ok()
        .or_else(|| date_of(s).and_then(|d| d.and_hms_opt(0, 0, 0)))
}

/// The program's clock readings are local wall times; a `timestamptz` holds the
/// instant, and reads back as the same local wall time.
fn instant(t: NaiveDateTime) -> chrono::DateTime<chrono::Utc> {
    chrono::Local
        .from_local_datetime(&t)
        .earliest()
        .map_or_else(|| t.and_utc(), |l| l.with_timezone(&chrono::Utc))
}

/// Column `idx` of a row, by its type.
pub(super) fn column(r: &postgres::Row, idx: usize) -> Result<Value> {
    r.try_get::<_, Read>(idx).map(|v| v.0).map_err(error)
}

struct Read(Value);

impl<'a> FromSql<'a> for Read {
    fn from_sql(ty: &Type, raw: &'a [u8]) -> std::result::Result<Self, Box<dyn std::error::Error + Sync + Send>> {
        Ok(Read(match *ty {
            Type::INT8 => Value::Int(i64::from_sql(ty, raw)?),
            Type::INT4 => Value::Int(i32::from_sql(ty, raw)?.into()),
            Type::INT2 => Value::Int(i16::from_sql(ty, raw)?.into()),
            Type::BOOL => Value::Int(bool::from_sql(ty, raw)?.into()),
            Type::FLOAT8 => Value::Real(f64::from_sql(ty, raw)?),
            Type::FLOAT4 => Value::Real(f32::from_sql(ty, raw)?.into()),
            Type::DATE => Value::Date(NaiveDate::from_sql(ty, raw)?),
            Type::TIMESTAMP => Value::DateTime(NaiveDateTime::from_sql(ty, raw)?),
            Type::TIMESTAMPTZ => {
                let t = chrono::DateTime::<chrono::Utc>::from_sql(ty, raw)?;
                Value::DateTime(t.with_timezone(&chrono::Local).naive_local())
            }
            Type::BYTEA => Value::Blob(raw.to_vec()),
            Type::NUMERIC => Value::Int(numeric_integer(raw).ok_or("a fractional number where a count was expected")?),
            _ => Value::Text(String::from_sql(&Type::TEXT, raw)?),
        }))
    }

    fn from_sql_null(_: &Type) -> std::result::Result<Self, Box<dyn std::error::Error + Sync + Send>> {
        Ok(Read(Value::Null))
    }

    fn accepts(_: &Type) -> bool {
        true
    }
}

/// A whole `numeric` (what `sum` of integers gives) as an integer: base-10000
/// digits, a weight, a sign.
fn numeric_integer(raw: &[u8]) -> Option<i64> {
    let word = |i: usize| raw.get(i * 2..i * 2 + 2).map(|b| i16::from_be_bytes([b[0], b[1]]));
    let (ndigits, weight, sign, _scale) = (word(0)?, word(1)?, word(2)?, word(3)?);
    let mut value: i64 = 0;
    for i in 0..ndigits.max(0) as usize {
        let digit = word(4 + i)? as i64;
        let power = weight as i64 - i as i64;
        if power < 0 {
            if digit != 0 {
                return None;
            }
            continue;
        }
        value = value.checked_add(digit.checked_mul(10_000i64.checked_pow(power as u32)?)?)?;
    }
    Some(if sign == 0x4000 { -value } else { value })
}

/// A PostgreSQL error in one sentence: the server's message when it sent one,
/// else what went wrong with the connection.
pub(in crate::store) fn error(e: postgres::Error) -> StoreError {
    use postgres::error::SqlState;
    if let Some(db) = e.as_db_error() {
        let code = db.code();
        if [
            SqlState::ADMIN_SHUTDOWN,
            SqlState::CRASH_SHUTDOWN,
            SqlState::CANNOT_CONNECT_NOW,
        ]
        .contains(code)
        {
            return StoreError::Disconnected(db.message().to_owned());
        }
        return StoreError::Server(db.message().to_owned());
    }
    let cause = e.source().map(|s| s.to_string()).unwrap_or_default();
    if e.is_closed() || cause.contains("connection") || cause.contains("Connection") {
        return StoreError::Disconnected(if cause.is_empty() { e.to_string() } else { cause });
    }
    StoreError::Server(if cause.is_empty() {
        e.to_string()
    } else {
        format!("{e}: {cause}")
    })
}

fn error_in(e: postgres::Error, sql: &str) -> StoreError {
    match error(e) {
        StoreError::Server(m) => {
            let first = sql.split_whitespace().take(6).collect::<Vec<_>>().join(" ");
            StoreError::Server(format!("{m} (in {first} …)"))
        }
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::{placeholders, translate};

    #[test]
    fn sqlite_planner_pins_are_dropped() {
        assert_eq!(
            translate("SELECT e.id FROM episode e INDEXED BY episode_open_spell WHERE e.id = ?1"),
            "SELECT e.id FROM episode e WHERE e.id = $1"
        );
        assert_eq!(
            translate("FROM t CROSS JOIN episode e ON e.id = t.id"),
            "FROM t JOIN episode e ON e.id = t.id"
        );
    }

    #[test]
    fn placeholders_are_numbered_outside_quotes() {
        let cases = [
            ("SELECT ?1, ?2", "SELECT $1, $2"),
            ("SELECT ? , ?", "SELECT $1 , $2"),
            ("WHERE a = '?1' AND b = ?1", "WHERE a = '?1' AND b = $1"),
            (
                r#"SELECT "end" FROM t WHERE x = ?12"#,
                r#"SELECT "end" FROM t WHERE x = $12"#,
            ),
        ];
        for (sql, want) in cases {
            assert_eq!(placeholders(sql), want, "{sql}");
        }
    }

    #[test]
    fn whole_numerics_read_as_integers() {
        // 12345678 = [1234, 5678], weight 1; -5 = [5], weight 0, negative.
        let pos = [0u8, 2, 0, 1, 0, 0, 0, 0, 0x04, 0xD2, 0x16, 0x2E];
        assert_eq!(super::numeric_integer(&pos), Some(12_345_678));
        let neg = [0u8, 1, 0, 0, 0x40, 0, 0, 0, 0, 5];
        assert_eq!(super::numeric_integer(&neg), Some(-5));
        let zero = [0u8, 0, 0, 0, 0, 0, 0, 0];
        assert_eq!(super::numeric_integer(&zero), Some(0));
    }
}
