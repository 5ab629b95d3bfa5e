//! Finding columns in CSV headers by any of their accepted names, ignoring case,
//! spaces and punctuation (`Event Start Date`, `event_start_date`, `EVENTSTARTDATE`).

use std::collections::HashMap;

/// Header names folded for comparison.
pub fn fold(name: &str) -> String {
    name.trim_start_matches('\u{feff}')
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Column positions by folded name, with each lookup remembered so that a million
/// rows do not fold the same names a million times.
pub struct Columns {
    index: HashMap<String, usize>,
    /// The first name of a lookup (as written by the caller) to its answer: each list
    /// of alternative names must start with a name no other list starts with.
    found: std::cell::RefCell<HashMap<String, Option<usize>>>,
}

impl Columns {
    pub fn new(headers: &csv::StringRecord) -> Self {
        Self {
            index: headers.iter().enumerate().map(|(i, h)| (fold(h), i)).collect(),
            found: Default::default(),
        }
    }

    /// The position of the first of `names` present.
    pub fn find(&self, names: &[&str]) -> Option<usize> {
        let key = names.first().copied().unwrap_or("");
        if let Some(hit) = self.found.borrow().get(key) {
            return *hit;
        }
        let hit = names.iter().find_map(|n| self.index.get(&fold(n)).copied());
        self.found.borrow_mut().insert(key.to_owned(), hit);
        hit
    }

    /// A field's trimmed value, or None when the column is absent or the cell empty.
    pub fn get<'r>(&self, record: &'r csv::StringRecord, names: &[&str]) -> Option<&'r str> {
        let i = self.find(names)?;
        record.get(i).map(str::trim).filter(|v| !v.is_empty())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_match_whatever_their_case_and_spacing() {
        let h = csv::StringRecord::from(vec![
            "\u{feff}Event Start Date",
            "LA Person Unique Identifier",
            "ADMIDATE",
        ]);
        let c = Columns::new(&h);
        assert_eq!(c.find(&["event_start_date"]), Some(0));
        assert_eq!(c.find(&["la person unique identifier"]), Some(1));
        assert_eq!(c.find(&["admission_date", "AdmiDate"]), Some(2));
        assert_eq!(c.find(&["Event End Date"]), None);
    }
}
