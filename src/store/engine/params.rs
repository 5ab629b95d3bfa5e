//! Statement parameters: anything the store binds, as one trait for both engines.

use chrono::{NaiveDate, NaiveDateTime};

/// A value crossing the engine seam.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
    Blob(Vec<u8>),
    Date(NaiveDate),
    DateTime(NaiveDateTime),
}

/// A value the store can bind on either engine: SQLite takes it as it is
/// (`rusqlite::ToSql`, no copy); PostgreSQL takes its [`Value`], converted to the
/// parameter's type there.
pub trait SqlParam: rusqlite::ToSql + Sync {
    fn to_value(&self) -> Value;
}

macro_rules! int_param {
    ($($t:ty),*) => {$(
        impl SqlParam for $t {
            fn to_value(&self) -> Value {
                Value::Int(*self as i64)
            }
        }
    )*};
}
int_param!(i64, i32, u32, u16, u8);

impl SqlParam for bool {
    fn to_value(&self) -> Value {
        Value::Int(i64::from(*self))
    }
}

impl SqlParam for f64 {
    fn to_value(&self) -> Value {
        Value::Real(*self)
    }
}

impl SqlParam for str {
    fn to_value(&self) -> Value {
        Value::Text(self.to_owned())
    }
}

impl SqlParam for String {
    fn to_value(&self) -> Value {
        Value::Text(self.clone())
    }
}

impl SqlParam for Vec<u8> {
    fn to_value(&self) -> Value {
        Value::Blob(self.clone())
    }
}

impl<T: SqlParam> SqlParam for Option<T> {
    fn to_value(&self) -> Value {
        self.as_ref().map_or(Value::Null, SqlParam::to_value)
    }
}

impl<T: SqlParam + ?Sized> SqlParam for &T {
    fn to_value(&self) -> Value {
        (**self).to_value()
    }
}

impl SqlParam for Value {
    fn to_value(&self) -> Value {
        self.clone()
    }
}

impl rusqlite::ToSql for Value {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        use rusqlite::types::{ToSqlOutput, ValueRef};
        Ok(match self {
            Value::Null => ToSqlOutput::Borrowed(ValueRef::Null),
            Value::Int(i) => ToSqlOutput::Borrowed(ValueRef::Integer(*i)),
            Value::Real(r) => ToSqlOutput::Borrowed(ValueRef::Real(*r)),
            Value::Text(s) => ToSqlOutput::Borrowed(ValueRef::Text(s.as_bytes())),
            Value::Blob(b) => ToSqlOutput::Borrowed(ValueRef::Blob(b)),
            Value::Date(d) => ToSqlOutput::from(crate::store::codec::date_text(*d)),
            Value::DateTime(t) => ToSqlOutput::from(crate::store::codec::date_time_text(*t)),
        })
    }
}

/// The parameters of one statement: `params![...]`, an array, or a list built at
/// run time.
pub trait Params {
    fn refs(&self) -> Vec<&dyn SqlParam>;
}

impl Params for &[&dyn SqlParam] {
    fn refs(&self) -> Vec<&dyn SqlParam> {
        self.to_vec()
    }
}

impl Params for Vec<&dyn SqlParam> {
    fn refs(&self) -> Vec<&dyn SqlParam> {
        self.clone()
    }
}

impl Params for [&dyn SqlParam; 0] {
    fn refs(&self) -> Vec<&dyn SqlParam> {
        Vec::new()
    }
}

macro_rules! array_params {
    ($($n:literal),*) => {$(
        impl<T: SqlParam> Params for [T; $n] {
            fn refs(&self) -> Vec<&dyn SqlParam> {
                self.iter().map(|p| p as &dyn SqlParam).collect()
            }
        }
    )*};
}
array_params!(1, 2, 3, 4, 5, 6, 7, 8);
