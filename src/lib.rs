//! Joined-Up Care Record: one person's NHS and social care history on one timeline.
//!
//! Layers (see `ARCHITECTURE.md`): `domain` (pure types and rules) <- `store`
//! (SQLite) <- `import` (parsers) <- `ui` (egui) and `cli`.

pub mod cli;
mod cli_args;
mod cli_chc;
mod cli_generate;
mod cli_import;
mod cli_plans;
mod cli_record;
pub mod domain;
pub mod generate;
pub mod import;
pub mod platform;
pub mod report;
pub mod store;
pub mod training;
pub mod ui;
