//! How names are matched in search (SAFETY.md H33): one folding for what is stored
//! and what is typed, so that "zoe" finds "Zoë", "ni bhriain" finds "Ní Bhriain" and
//! "oneill" finds "O'Neill"; and one rule for a similar spelling ("Smyth" for
//! "Smith"): Jaro-Winkler (`strsim`) at least 0.9, or the same Double Metaphone
//! code (`rphonetic`) with Jaro-Winkler at least 0.8, which catches vowel swaps
//! such as Smith/Smyth that score just under 0.9.
//!
//! Folding transliterates with `deunicode` (accents dropped, and letters such as
//! "ø", "ß" or "æ" that have no combining mark to drop written as "o", "ss", "ae"),
//! lower-cases, drops apostrophes inside a word ("O'Neill" is "oneill") and splits
//! at anything else that is not a letter or digit (a hyphen, a space, a full stop).

/// A name's words, folded: lower-case ASCII letters and digits only.
pub fn name_words(name: &str) -> Vec<String> {
    let mut words = Vec::new();
    for token in fold_chars(name).split(' ').filter(|t| !t.is_empty()) {
        words.push(token.replace('\'', ""));
    }
    words.retain(|w| !w.is_empty());
    words
}

/// The words a stored name is found by: its folded words, and for a word with an
/// apostrophe also the part after it ("O'Neill" is found by "oneill" and "neill").
pub fn index_words(given_name: &str, family_name: &str) -> Vec<String> {
    let mut out = Vec::new();
    for name in [given_name, family_name] {
        for token in fold_chars(name).split(' ').filter(|t| !t.is_empty()) {
            out.push(token.replace('\'', ""));
            if let Some((_, tail)) = token.rsplit_once('\'')
                && tail.len() >= 2
            {
                out.push(tail.to_owned());
            }
        }
    }
    out.retain(|w| !w.is_empty());
    out.sort();
    out.dedup();
    out
}

/// A whole name folded, its words joined by single spaces: the sort and lookup key.
pub fn name_key(name: &str) -> String {
    name_words(name).join(" ")
}

/// Jaro-Winkler similarity at or above which a name word is offered as a close
/// match for a typed word.
pub const SIMILAR_AT_LEAST: f64 = 0.9;

/// Below [`SIMILAR_AT_LEAST`], a word with the same Double Metaphone code is a
/// close match when Jaro-Winkler is at least this.
pub const PHONETIC_AT_LEAST: f64 = 0.8;

/// Whether `stored` is a close spelling of the typed word `typed` (both folded) and
/// not already found by it as a prefix.
pub fn is_similar(typed: &str, stored: &str) -> bool {
    if stored.starts_with(typed) {
        return false;
    }
    let score = strsim::jaro_winkler(typed, stored);
    if score >= SIMILAR_AT_LEAST {
        return true;
    }
    // A phonetic code alone is too loose (Jane and John share one), and says little
    // about a word of one or two letters.
    if score < PHONETIC_AT_LEAST || typed.len() < 3 || stored.len() < 3 {
        return false;
    }
    use rphonetic::Encoder;
    static CODE: std::sync::LazyLock<rphonetic::DoubleMetaphone> = std::sync::LazyLock::new(Default::default);
    let (a, b) = (CODE.encode(typed), CODE.encode(stored));
    !a.is_empty() && a == b
}

/// Transliterated, lower-cased, apostrophes kept, every other separator a space.
fn fold_chars(name: &str) -> String {
    let ascii = deunicode::deunicode(name);
    ascii
        .chars()
        .map(|c| match c {
            'a'..='z' | '0'..='9' | '\'' => c,
            'A'..='Z' => c.to_ascii_lowercase(),
            '`' => '\'',
            _ => ' ',
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding() {
        for (name, key) in [
            ("Zoë", "zoe"),
            ("  Ní Bhriain ", "ni bhriain"),
            ("O'Neill", "oneill"),
            ("O\u{2019}Neill", "oneill"),
            ("Smith-Jones", "smith jones"),
            ("ØSTERGÅRD", "ostergard"),
            ("Straße", "strasse"),
            ("", ""),
        ] {
            assert_eq!(name_key(name), key, "{name}");
        }
        assert_eq!(index_words("Zoë", "Ní Bhriain"), ["bhriain", "ni", "zoe"]);
        assert_eq!(index_words("Sean", "O'Neill"), ["neill", "oneill", "sean"]);
    }

    #[test]
    fn similar_spellings() {
        for (typed, stored, similar) in [
            ("smyth", "smith", true),
            ("smith", "smyth", true),
            ("jon", "john", true),
            ("smith", "smithson", false),
            ("smith", "jones", false),
            ("okafor", "okafro", true),
            ("thompson", "tomson", true),
            ("ann", "anne", false),
            ("jane", "john", false),
        ] {
            assert_eq!(is_similar(typed, stored), similar, "{typed} ~ {stored}");
        }
    }
}
