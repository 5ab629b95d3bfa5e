//! One file per screen. Views own only UI state, draw from data they are given and
//! return commands.

pub mod audit;
pub mod banner;
pub mod board;
pub mod board_summary;
pub mod chc;
pub mod chc_form;
pub mod detail;
pub mod discharge_draft;
pub mod discharge_panel;
pub mod discharge_reasons;
pub mod fast_track_form;
pub mod feeds_panel;
pub mod import_dialog;
pub mod person;
pub mod plans;
pub mod role_picker;
pub mod search;
pub mod sitrep;
pub mod sources;
pub mod status_bar;
pub mod time_window;
pub mod timeline;
pub mod timeline_list;
pub mod welcome;
