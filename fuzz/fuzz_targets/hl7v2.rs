//! The HL7 v2 reader on arbitrary bytes, and what it reads applied to a store.
//!
//! Each input is decoded as the importers decode a file, read by
//! `import::hl7v2::parse`, passed through the limits check every import passes
//! (`import::limits`), then written to an in-memory store with `apply_import`, so
//! the store's import path (people, visits, updates, conflicts) is fuzzed too. An
//! error is a refusal, as it would be for a user; only a panic or a hang is a defect.

#![no_main]

use std::cell::RefCell;

use joinedup::import::limits::Limits;
use joinedup::import::{ImportOptions, decode_text, hl7v2};
use joinedup::store::Store;
use libfuzzer_sys::fuzz_target;

/// A fresh store every this many inputs, so it stays small and fast.
const INPUTS_PER_STORE: usize = 500;

thread_local! {
    static STORE: RefCell<Option<(Store, usize)>> = const { RefCell::new(None) };
}

fuzz_target!(|data: &[u8]| {
    let text = decode_text(data);
    // Half the inputs in training mode, which refuses NHS numbers outside the test range.
    let options = ImportOptions {
        test_range_only: data.first().is_some_and(|b| b & 1 == 1),
        ..Default::default()
    };
    let Ok(mut parsed) = hl7v2::parse("fuzz.hl7", "00", &text, options) else {
        return;
    };
    let _ = Limits::default().check(&mut parsed.batch);
    let Some(at) = joinedup::domain::dates::parse_date_time("2026-11-22T09:00") else {
        return;
    };
    STORE.with(|cell| {
        let mut slot = cell.borrow_mut();
        if slot.as_ref().is_none_or(|(_, n)| *n >= INPUTS_PER_STORE) {
            *slot = Store::open_in_memory().ok().map(|s| (s, 0));
        }
        if let Some((store, n)) = slot.as_mut() {
            *n += 1;
            let _ = store.apply_import(&parsed.batch, at);
        }
    });
});
