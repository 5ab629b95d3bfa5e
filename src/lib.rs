//! Joined-Up Care Record: one person's NHS and social care history on one timeline.
//!
//! Layers (see `ARCHITECTURE.md`): `domain` (pure types and rules) <- `store`
//! (SQLite) and `import` (parsers) <- `service` (every operation on people's data,
//! once, with the disclosure policy and the audit) <- `ui` (egui), `cli` and
//! `feed` (live feeds: HL7 v2 over MLLP).

pub mod cli;
pub mod domain;
pub mod feed;
pub mod generate;
pub mod import;
pub mod platform;
pub mod report;
pub mod service;
pub mod store;
pub mod training;
pub mod ui;
