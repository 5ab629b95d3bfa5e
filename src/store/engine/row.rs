//! Reading a row on either engine: `row.get::<_, T>(i)` as in rusqlite.

use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::types::ValueRef;

use super::Value;
use crate::store::codec::{date_text, date_time_text, parse_date, parse_date_time};
use crate::store::{Result, StoreError};

/// One row of a result.
pub enum Row<'a> {
    Sqlite(&'a rusqlite::Row<'a>),
    Postgres(&'a ::postgres::Row),
}

impl Row<'_> {
    /// Column `idx`, as `T`. The first type parameter is there so that calls read
    /// as rusqlite's (`r.get::<_, String>(0)`).
    pub fn get<I: ColumnIndex, T: FromValue>(&self, idx: I) -> Result<T> {
        let idx = idx.index();
        match self {
            Row::Sqlite(r) => T::from_sqlite(r.get_ref(idx)?),
            Row::Postgres(r) => T::from_value(super::postgres::column(r, idx)?),
        }
    }
}

/// A column's position (as rusqlite's `RowIndex`, for positions only).
pub trait ColumnIndex {
    fn index(self) -> usize;
}

impl ColumnIndex for usize {
    fn index(self) -> usize {
        self
    }
}

/// A type a column can be read as.
pub trait FromValue: Sized {
    fn from_value(v: Value) -> Result<Self>;

    /// From SQLite's borrowed value (no copy for numbers).
    fn from_sqlite(v: ValueRef<'_>) -> Result<Self> {
        Self::from_value(match v {
            ValueRef::Null => Value::Null,
            ValueRef::Integer(i) => Value::Int(i),
            ValueRef::Real(r) => Value::Real(r),
            ValueRef::Text(t) => Value::Text(String::from_utf8_lossy(t).into_owned()),
            ValueRef::Blob(b) => Value::Blob(b.to_vec()),
        })
    }
}

fn wrong(want: &str, v: &Value) -> StoreError {
    StoreError::Corrupt(format!("expected {want}, found {v:?}"))
}

impl FromValue for Value {
    fn from_value(v: Value) -> Result<Self> {
        Ok(v)
    }
}

impl FromValue for i64 {
    fn from_value(v: Value) -> Result<Self> {
        match v {
            Value::Int(i) => Ok(i),
            other => Err(wrong("an integer", &other)),
        }
    }
    fn from_sqlite(v: ValueRef<'_>) -> Result<Self> {
        match v {
            ValueRef::Integer(i) => Ok(i),
            _ => Self::from_value(Value::from_sqlite(v)?),
        }
    }
}

macro_rules! narrow_int {
    ($($t:ty),*) => {$(
        impl FromValue for $t {
            fn from_value(v: Value) -> Result<Self> {
                let i = i64::from_value(v)?;
                <$t>::try_from(i).map_err(|_| StoreError::Corrupt(format!("{i} is out of range")))
            }
        }
    )*};
}
narrow_int!(i32, u32, u8, usize);

impl FromValue for bool {
    fn from_value(v: Value) -> Result<Self> {
        Ok(i64::from_value(v)? != 0)
    }
}

impl FromValue for f64 {
    fn from_value(v: Value) -> Result<Self> {
        match v {
            Value::Real(r) => Ok(r),
            Value::Int(i) => Ok(i as f64),
            other => Err(wrong("a number", &other)),
        }
    }
}

/// Text; a date or time reads as the text SQLite keeps (`2024-03-01`,
/// `2024-03-01T10:30:00`), so row mapping is the same on both engines.
impl FromValue for String {
    fn from_value(v: Value) -> Result<Self> {
        match v {
            Value::Text(s) => Ok(s),
            Value::Date(d) => Ok(date_text(d)),
            Value::DateTime(t) => Ok(date_time_text(t)),
            Value::Int(i) => Ok(i.to_string()),
            other => Err(wrong("text", &other)),
        }
    }
    fn from_sqlite(v: ValueRef<'_>) -> Result<Self> {
        match v {
            ValueRef::Text(t) => Ok(std::str::from_utf8(t)
                .map_err(|_| StoreError::Corrupt("text that is not UTF-8".into()))?
                .to_owned()),
            _ => Self::from_value(Value::from_sqlite(v)?),
        }
    }
}

impl FromValue for Vec<u8> {
    fn from_value(v: Value) -> Result<Self> {
        match v {
            Value::Blob(b) => Ok(b),
            Value::Text(s) => Ok(s.into_bytes()),
            other => Err(wrong("bytes", &other)),
        }
    }
}

impl FromValue for NaiveDate {
    fn from_value(v: Value) -> Result<Self> {
        match v {
            Value::Date(d) => Ok(d),
            Value::Text(s) => parse_date(&s),
            other => Err(wrong("a date", &other)),
        }
    }
}

impl FromValue for NaiveDateTime {
    fn from_value(v: Value) -> Result<Self> {
        match v {
            Value::DateTime(t) => Ok(t),
            Value::Text(s) => parse_date_time(&s),
            other => Err(wrong("a date and time", &other)),
        }
    }
}

impl<T: FromValue> FromValue for Option<T> {
    fn from_value(v: Value) -> Result<Self> {
        match v {
            Value::Null => Ok(None),
            v => T::from_value(v).map(Some),
        }
    }
    fn from_sqlite(v: ValueRef<'_>) -> Result<Self> {
        match v {
            ValueRef::Null => Ok(None),
            v => T::from_sqlite(v).map(Some),
        }
    }
}

impl Value {
    fn from_sqlite(v: ValueRef<'_>) -> Result<Self> {
        <Value as FromValue>::from_sqlite(v)
    }
}
