//! The two built-in PDF fonts the prints use, Helvetica and Helvetica-Bold, with
//! WinAnsiEncoding: how wide each character is (Adobe's published metrics, in
//! thousandths of the font size) and its byte in that encoding. Every PDF reader
//! has these fonts, so nothing is embedded. A character the encoding lacks (ł, ŵ,
//! a Greek or Cyrillic letter) is printed as its closest Latin letters
//! (`deunicode`), the same on the page and in the preview.

/// Regular or bold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Weight {
    Regular,
    Bold,
}

impl Weight {
    /// The PDF name of the font (`/BaseFont`).
    pub fn base_font(self) -> &'static str {
        match self {
            Weight::Regular => "Helvetica",
            Weight::Bold => "Helvetica-Bold",
        }
    }
}

/// The width of `text` (already `printable`) at `size` points.
pub fn width(text: &str, weight: Weight, size: f32) -> f32 {
    let table = match weight {
        Weight::Regular => &REGULAR,
        Weight::Bold => &BOLD,
    };
    let units: u32 = text
        .chars()
        .map(|c| win_ansi(c).map_or(0, |b| u32::from(table[usize::from(b)])))
        .sum();
    units as f32 * size / 1000.0
}

/// `text` as the fonts can print it: characters WinAnsiEncoding lacks become their
/// closest Latin letters, control characters a space.
pub fn printable(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_control() {
            out.push(' ');
        } else if win_ansi(c).is_some() {
            out.push(c);
        } else {
            let near = deunicode::deunicode_char(c).unwrap_or("?");
            out.extend(near.chars().filter(|c| win_ansi(*c).is_some()));
        }
    }
    out
}

/// `text` (already `printable`) as WinAnsiEncoding bytes.
pub fn encode(text: &str) -> Vec<u8> {
    text.chars().filter_map(win_ansi).collect()
}

/// The WinAnsiEncoding byte of `c`, if it has one (and a glyph in Helvetica).
pub fn win_ansi(c: char) -> Option<u8> {
    let code = c as u32;
    match code {
        0x20..=0x7E | 0xA1..=0xFF => u8::try_from(code).ok(),
        // No-break space and soft hyphen print as their plain forms.
        0xA0 => Some(b' '),
        _ => HIGH
            .iter()
            .position(|&h| h == c && h != '\0')
            .and_then(|i| u8::try_from(0x80 + i).ok()),
    }
}

/// Codes 0x80 to 0x9F of WinAnsiEncoding ('\0': no character).
pub(crate) const HIGH: [char; 32] = [
    '€', '\0', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\0', 'Ž', '\0', '\0', '‘', '’', '“', '”', '•',
    '–', '—', '˜', '™', 'š', '›', 'œ', '\0', 'ž', 'Ÿ',
];

// Advance widths by WinAnsiEncoding code, from Adobe's AFM files for Helvetica and
// Helvetica-Bold (thousandths of the font size).
const REGULAR: [u16; 256] = [
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 278, 278, 355, 556,
    556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278,
    278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778,
    722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, 333, 556, 556, 500, 556, 556, 278, 556, 556,
    222, 222, 500, 222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584, 0,
    556, 0, 222, 556, 333, 1000, 556, 556, 333, 1000, 667, 333, 1000, 0, 611, 0, 0, 222, 222, 333, 333, 350, 556, 1000,
    333, 1000, 500, 333, 944, 0, 500, 667, 278, 333, 556, 556, 556, 556, 260, 556, 333, 737, 370, 556, 584, 333, 737,
    333, 400, 584, 333, 333, 333, 578, 537, 278, 333, 333, 365, 556, 834, 834, 834, 611, 667, 667, 667, 667, 667, 667,
    1000, 722, 667, 667, 667, 667, 278, 278, 278, 278, 722, 722, 778, 778, 778, 778, 778, 584, 778, 722, 722, 722, 722,
    667, 667, 611, 556, 556, 556, 556, 556, 556, 889, 500, 556, 556, 556, 556, 278, 278, 278, 278, 556, 556, 556, 556,
    556, 556, 556, 584, 611, 556, 556, 556, 556, 500, 556, 500,
];

const BOLD: [u16; 256] = [
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 278, 333, 474, 556,
    556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 333,
    333, 584, 584, 584, 611, 975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722, 778, 667, 778,
    722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584, 556, 333, 556, 611, 556, 611, 556, 333, 611, 611,
    278, 278, 556, 278, 889, 611, 611, 611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584, 0,
    556, 0, 278, 556, 500, 1000, 556, 556, 333, 1000, 667, 333, 1000, 0, 611, 0, 0, 278, 278, 500, 500, 350, 556, 1000,
    333, 1000, 556, 333, 944, 0, 500, 667, 278, 333, 556, 556, 556, 556, 280, 556, 333, 737, 370, 556, 584, 333, 737,
    333, 400, 584, 333, 333, 333, 611, 556, 278, 333, 333, 365, 556, 834, 834, 834, 611, 722, 722, 722, 722, 722, 722,
    1000, 722, 667, 667, 667, 667, 278, 278, 278, 278, 722, 722, 778, 778, 778, 778, 778, 584, 778, 722, 722, 722, 722,
    667, 667, 611, 556, 556, 556, 556, 556, 556, 889, 556, 556, 556, 556, 556, 278, 278, 278, 278, 611, 611, 611, 611,
    611, 611, 611, 584, 611, 611, 611, 611, 611, 556, 611, 556,
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accented_names_print_as_they_are_and_others_as_latin() {
        assert_eq!(printable("Zoë Ní Bhriain"), "Zoë Ní Bhriain");
        assert_eq!(encode("Zoë Ní"), b"Zo\xEB N\xED".to_vec());
        assert_eq!(printable("Łukasz Dŵr"), "Lukasz Dwr");
        assert_eq!(printable("a\tb\nc"), "a b c");
        assert_eq!(encode("’€"), vec![0x92, 0x80]);
        // Helvetica: "Ann" is A (667) + n (556) + n (556).
        assert!((width("Ann", Weight::Regular, 10.0) - 17.79).abs() < 0.001);
        assert!(width("Ann", Weight::Bold, 10.0) > width("Ann", Weight::Regular, 10.0));
    }
}
