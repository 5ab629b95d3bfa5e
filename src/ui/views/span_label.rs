//! Where a span's label may go and what it reads, as plain arithmetic on widths in
//! points (no egui: the canvas measures the glyphs and draws). A label sits inside
//! its own span, from its left edge (or the plot's, for a span begun before the
//! window) to the first thing drawn over it: its right end, the next item of its
//! lane, or the plot's right edge. It never reaches another lane or another item.

use crate::domain::Lane;

/// Space kept between a label and the edges of its room.
pub const LABEL_PADDING: f32 = 4.0;

/// A label shows at least this many characters of its text before the ellipsis
/// (or the whole text, when shorter): "Ho…" says something, "H…" does not.
pub const MIN_LABEL_CHARS: usize = 3;

/// The ellipsis a label cut short ends with.
pub const ELLIPSIS: char = '…';

/// An item as drawn on the canvas, in drawing order: its lane and its left and
/// right edges in points (a point event's mark included).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Placed {
    pub lane: Lane,
    pub left: f32,
    pub right: f32,
}

/// For each item, the right edge its label may reach: its own right edge, or the
/// left edge of the first item drawn after it in its lane, whichever is nearer.
/// An item drawn later is drawn over it, so a label running under it would be read
/// as the later item's. Items come in drawing order, which is start order (the
/// store sorts them); were they not, a later item to the left would only shorten
/// the room, never let a label run under another item.
pub fn label_rooms(items: &[Placed]) -> Vec<f32> {
    let mut next_left: Vec<(Lane, f32)> = Vec::new();
    let mut rooms = vec![0.0; items.len()];
    for (i, item) in items.iter().enumerate().rev() {
        let at = match next_left.iter().position(|(lane, _)| *lane == item.lane) {
            Some(at) => at,
            None => {
                next_left.push((item.lane, f32::INFINITY));
                next_left.len() - 1
            }
        };
        let slot = &mut next_left[at].1;
        rooms[i] = item.right.min(*slot);
        *slot = slot.min(item.left);
    }
    rooms
}

/// What a label reads in `room` points: the whole text when it fits; else the
/// longest start of it that fits with an ellipsis after it (trailing spaces
/// dropped), at least [`MIN_LABEL_CHARS`] characters; else nothing. `widths` are
/// the widths of the text's characters, in order; `ellipsis` the ellipsis's.
pub fn fit_label(text: &str, widths: &[f32], ellipsis: f32, room: f32) -> Option<String> {
    let whole: f32 = widths.iter().sum();
    if text.is_empty() || room <= 0.0 {
        return None;
    }
    if whole <= room {
        return Some(text.to_owned());
    }
    let mut used = ellipsis;
    let mut kept = 0;
    for w in widths {
        if used + w > room {
            break;
        }
        used += w;
        kept += 1;
    }
    let start: String = text.chars().take(kept).collect();
    let start = start.trim_end();
    if start.chars().count() < MIN_LABEL_CHARS.min(text.chars().count()) {
        return None;
    }
    Some(format!("{start}{ELLIPSIS}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every character 7 points wide, the ellipsis 8.
    fn fit(text: &str, room: f32) -> Option<String> {
        let widths = vec![7.0; text.chars().count()];
        fit_label(text, &widths, 8.0, room)
    }

    #[test]
    fn a_label_fits_whole_cut_short_or_not_at_all() {
        let title = "Home care: 3 calls a day"; // 24 characters, 168 points
        let cases: [(&str, &str, f32, Option<&str>); 9] = [
            ("room for the whole title", title, 168.0, Some(title)),
            ("more room than needed", title, 400.0, Some(title)),
            ("a point short: cut", title, 167.0, Some("Home care: 3 calls a d…")),
            (
                "cut at a space: the space dropped",
                title,
                8.0 + 7.0 * 11.0,
                Some("Home care:…"),
            ),
            ("three characters and the ellipsis", title, 29.0, Some("Hom…")),
            ("two would fit: none", title, 28.0, None),
            ("a short word whole", "GP", 14.0, Some("GP")),
            ("nothing in no room", title, 0.0, None),
            ("no text, no label", "", 100.0, None),
        ];
        for (name, text, room, expected) in cases {
            assert_eq!(fit(text, room).as_deref(), expected, "{name}");
        }
    }

    #[test]
    fn a_cut_label_never_overruns_its_room() {
        let title = "Admitted: pneumonia, then a long stay on a ward";
        for room in 0..400 {
            let room = room as f32;
            if let Some(label) = fit(title, room) {
                let width = if label.ends_with(ELLIPSIS) {
                    7.0 * (label.chars().count() - 1) as f32 + 8.0
                } else {
                    7.0 * label.chars().count() as f32
                };
                assert!(width <= room, "{label:?} is {width} in {room}");
            }
        }
    }

    #[test]
    fn a_label_stops_at_the_next_item_of_its_lane_only() {
        let at = |lane, left, right| Placed { lane, left, right };
        let items = [
            // A package from 100 to 600, a review on its lane at 300, then another
            // package from 450: the first label stops at the review's mark.
            at(Lane::Services, 100.0, 600.0),
            at(Lane::Services, 295.0, 305.0),
            at(Lane::Services, 450.0, 900.0),
            // A stay in the hospital lane over the same dates does not stop it.
            at(Lane::Hospital, 200.0, 800.0),
            // A point at the start of a span: drawn later, over the span's start.
            at(Lane::Hospital, 195.0, 205.0),
        ];
        assert_eq!(label_rooms(&items), vec![295.0, 305.0, 900.0, 195.0, 205.0]);
    }
}
