//! The MLLP framing (`feed::mllp::Framer`) on arbitrary bytes in arbitrary chunks.
//!
//! The first byte of each input picks the frame limit (1 to 256 bytes, so the
//! over-long path is reached often) and seeds the chunk sizes; the rest is the
//! stream. It is pushed in chunks of 1 to 64 bytes with a pause (`Framer::pause`,
//! a read that timed out) after some of them, and checked against the same
//! stream pushed whole with the same pauses at the same byte offsets, which must
//! give the same frames: a frame's end never depends on how the bytes were split.
//! Every frame given is within the limit, and no frame holds the start byte.
//! Only a panic, a failed check or a hang is a defect.

#![no_main]

use joinedup::feed::mllp::{Frame, Framer, START};
use libfuzzer_sys::fuzz_target;

/// Frames from `stream` cut at `cuts` (offsets, ascending), pausing after each
/// cut whose flag is set.
fn frames(limit: usize, stream: &[u8], cuts: &[(usize, bool)]) -> (Vec<Frame>, usize) {
    let mut f = Framer::new(limit);
    let mut out = Vec::new();
    let mut at = 0;
    for &(cut, pause) in cuts {
        out.extend(f.push(&stream[at..cut]));
        at = cut;
        if pause {
            out.extend(f.pause());
        }
    }
    out.extend(f.push(&stream[at..]));
    out.extend(f.pause());
    (out, f.skipped)
}

fuzz_target!(|data: &[u8]| {
    let Some((&first, stream)) = data.split_first() else {
        return;
    };
    let limit = usize::from(first) + 1;
    // Chunk sizes from a small generator seeded by the first byte.
    let mut seed = u32::from(first) | 0x9e37_0000;
    let mut cuts = Vec::new();
    let mut at = 0;
    while at < stream.len() {
        seed = seed.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
        at = (at + 1 + (seed >> 24) as usize % 64).min(stream.len());
        cuts.push((at, seed & 0x100 != 0));
    }
    let (chunked, skipped) = frames(limit, stream, &cuts);
    // Whole, with the pauses at the same offsets (and no other cut).
    let pauses: Vec<(usize, bool)> = cuts.iter().filter(|c| c.1).copied().collect();
    let (whole, skipped_whole) = frames(limit, stream, &pauses);
    assert_eq!(chunked, whole, "the frames depend on how the bytes were split");
    assert_eq!(skipped, skipped_whole);
    for f in &chunked {
        match f {
            Frame::Message(m) => {
                assert!(m.len() <= limit, "a frame of {} bytes past the limit {limit}", m.len());
                assert!(!m.contains(&START), "a frame holding a start byte");
            }
            Frame::TooLong { head, length } => {
                assert!(*length > limit, "too long at {length}, within {limit}");
                assert!(head.len() <= *length);
            }
        }
    }
});
