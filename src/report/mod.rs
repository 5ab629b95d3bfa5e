//! Printable documents made from domain values (no I/O here: callers write them).

pub mod chc_html;
