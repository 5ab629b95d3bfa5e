//! Finding people by name (SAFETY.md H33): every typed word, folded as stored
//! names are (`domain::name_search`), must start some word of the person's given
//! or family names, looked up through the `person_name_word` index. When that
//! finds fewer than a handful, close spellings of the typed words (Jaro-Winkler or
//! Double Metaphone, among the stored words with the same first letter) are tried
//! too, and the people they find are marked as a similar name.

use chrono::NaiveDate;

use super::codec::date_text;
use super::engine::SqlParam;
use super::query::{SUMMARY_COLUMNS, finish_summary, summary_row};
use super::{PersonSummary, Result, Store};
use crate::domain::name_search::{is_similar, name_words};

/// Fewer exact results than this and close spellings are offered as well.
pub const SIMILAR_BELOW: usize = 5;

/// At most this many close spellings are tried for one typed word, closest first.
const SIMILAR_WORDS_EACH: usize = 20;

/// A typed word: found as a prefix of a name word, or as one of these whole words.
struct Term {
    prefix: String,
    alternatives: Vec<String>,
}

impl Store {
    /// Name search: every word must start some word of the given or family names
    /// (accents, case and apostrophes do not count); a date of birth narrows it.
    /// Close spellings follow when the words as typed find fewer than
    /// [`SIMILAR_BELOW`], marked [`PersonSummary::similar_name`].
    pub fn search_people(&self, text: &str, dob: Option<NaiveDate>, limit: usize) -> Result<Vec<PersonSummary>> {
        let words = name_words(text);
        if words.is_empty() && dob.is_none() {
            return Ok(Vec::new());
        }
        let exact: Vec<Term> = words
            .iter()
            .map(|w| Term {
                prefix: w.clone(),
                alternatives: Vec::new(),
            })
            .collect();
        let mut found = self.people_by_terms(&exact, dob, limit)?;
        let exact_count = found.len();
        if !words.is_empty() && exact_count < SIMILAR_BELOW && exact_count < limit {
            let mut close = Vec::new();
            for w in &words {
                close.push(Term {
                    prefix: w.clone(),
                    alternatives: self.similar_words(w)?,
                });
            }
            if close.iter().any(|t| !t.alternatives.is_empty()) {
                let more = self.people_by_terms(&close, dob, limit + exact_count)?;
                for mut p in more {
                    if found.len() < limit && !found.iter().any(|f| f.id == p.id) {
                        p.similar_name = true;
                        found.push(p);
                    }
                }
            }
        }
        tracing::debug!(
            words = words.len(),
            with_date_of_birth = dob.is_some(),
            results = found.len(),
            similar = found.len() - exact_count,
            "name search"
        );
        Ok(found)
    }

    /// Stored name words that are close spellings of `typed`, among those with its
    /// first letter (an index range), closest first.
    fn similar_words(&self, typed: &str) -> Result<Vec<String>> {
        let Some(first) = typed.chars().next().filter(|_| typed.len() >= 3) else {
            return Ok(Vec::new());
        };
        let words: Vec<String> = self.conn.query_map(
            "SELECT DISTINCT word FROM person_name_word WHERE word >= ?1 AND word < ?2",
            [first.to_string(), format!("{first}\u{10ffff}")],
            |r| r.get(0),
        )?;
        let mut close: Vec<(f64, String)> = words
            .into_iter()
            .filter(|w| is_similar(typed, w))
            .map(|w| (strsim::jaro_winkler(typed, &w), w))
            .collect();
        close.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        Ok(close.into_iter().take(SIMILAR_WORDS_EACH).map(|(_, w)| w).collect())
    }

    /// People for whom every term matches some name word. The first term goes
    /// through the word index; the others are checked per person found.
    fn people_by_terms(&self, terms: &[Term], dob: Option<NaiveDate>, limit: usize) -> Result<Vec<PersonSummary>> {
        let mut sql = format!("SELECT {SUMMARY_COLUMNS} FROM person p WHERE p.merged_into IS NULL");
        let mut args: Vec<String> = Vec::new();
        for (i, t) in terms.iter().enumerate() {
            args.push(t.prefix.clone());
            args.push(format!("{}\u{10ffff}", t.prefix));
            let (a, b) = (args.len() - 1, args.len());
            let mut matches = format!("(w.word >= ?{a} AND w.word < ?{b})");
            if !t.alternatives.is_empty() {
                // Always the same number of places (padded with a word no name has), so
                // that the statements kept prepared stay few.
                let mut list = Vec::new();
                for k in 0..SIMILAR_WORDS_EACH {
                    args.push(t.alternatives.get(k).cloned().unwrap_or_default());
                    list.push(format!("?{}", args.len()));
                }
                matches.push_str(&format!(" OR w.word IN ({})", list.join(", ")));
            }
            if i == 0 {
                sql.push_str(&format!(
                    " AND p.id IN (SELECT w.person_id FROM person_name_word w WHERE {matches})"
                ));
            } else {
                sql.push_str(&format!(
                    " AND EXISTS (SELECT 1 FROM person_name_word w WHERE w.person_id = p.id AND ({matches}))"
                ));
            }
        }
        if let Some(d) = dob {
            args.push(date_text(d));
            sql.push_str(&format!(" AND p.date_of_birth = ?{}", args.len()));
        }
        sql.push_str(&format!(
            " ORDER BY p.family_name_key, p.given_name_key, p.date_of_birth, p.id LIMIT {limit}"
        ));
        let params: Vec<&dyn SqlParam> = args.iter().map(|a| a as &dyn SqlParam).collect();
        let rows = self.conn.query_map(&sql, params, summary_row)?;
        rows.into_iter().map(finish_summary).collect()
    }
}
