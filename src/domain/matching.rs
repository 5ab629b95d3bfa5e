//! Matching a record that has no valid NHS number to people who have one: a score
//! from family name (allowing for spelling variants), given name, date of birth
//! (allowing a transposed day and month), postcode and sex, with the fields that
//! matched, so the coordinator sees why. The score suggests; a person decides.

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use super::{Demographics, Sex};

/// Scores at or above this are shown as likely matches.
pub const LIKELY: u32 = 70;
/// Candidates below this are not suggested at all: above what family name, given
/// name and sex alone can score (50), so a name and sex never suffice without a
/// date of birth or postcode that agrees (SAFETY.md H43).
pub const SUGGEST: u32 = 55;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MatchScore {
    pub score: u32,
    pub reasons: Vec<String>,
}

/// Levenshtein distance, for names typed slightly differently.
fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j + 1] + 1).min(cur[j] + 1).min(prev[j] + usize::from(ca != cb));
        }
        prev = cur;
    }
    prev[b.len()]
}

fn norm(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphabetic())
        .flat_map(char::to_lowercase)
        .collect()
}

/// A simple sound-alike key (Soundex), for spelling variants such as Smith/Smyth.
pub fn soundex(name: &str) -> String {
    let n = norm(name);
    let mut chars = n.chars();
    let Some(first) = chars.next() else {
        return String::new();
    };
    let code = |c: char| match c {
        'b' | 'f' | 'p' | 'v' => '1',
        'c' | 'g' | 'j' | 'k' | 'q' | 's' | 'x' | 'z' => '2',
        'd' | 't' => '3',
        'l' => '4',
        'm' | 'n' => '5',
        'r' => '6',
        _ => '0',
    };
    let mut out = first.to_ascii_uppercase().to_string();
    let mut last = code(first);
    for c in chars {
        let d = code(c);
        if d != '0' && d != last {
            out.push(d);
        }
        if c != 'h' && c != 'w' {
            last = d;
        }
        if out.len() == 4 {
            break;
        }
    }
    while out.len() < 4 {
        out.push('0');
    }
    out
}

fn transposed(a: NaiveDate, b: NaiveDate) -> bool {
    a.year() == b.year() && a.day() == b.month() && a.month() == b.day() && a != b
}

fn outward(postcode: &str) -> String {
    postcode.split_whitespace().next().unwrap_or("").to_uppercase()
}

/// Whether a candidate is offered to the coordinator at all.
pub fn offered(m: &MatchScore) -> bool {
    m.score >= SUGGEST
}

/// How well `candidate` matches `record`, and why.
pub fn score(record: &Demographics, candidate: &Demographics) -> MatchScore {
    let mut s = 0;
    let mut reasons = Vec::new();
    let (rf, cf) = (norm(&record.family_name), norm(&candidate.family_name));
    if !rf.is_empty() && !cf.is_empty() {
        if rf == cf {
            s += 30;
            reasons.push("family name the same".to_owned());
        } else if distance(&rf, &cf) <= 1 || soundex(&rf) == soundex(&cf) {
            s += 20;
            reasons.push(format!(
                "family name sounds alike ({} / {})",
                record.family_name, candidate.family_name
            ));
        }
    }
    let (rg, cg) = (norm(&record.given_name), norm(&candidate.given_name));
    if !rg.is_empty() && !cg.is_empty() {
        if rg == cg {
            s += 15;
            reasons.push("given name the same".to_owned());
        } else if distance(&rg, &cg) <= 1 || rg.starts_with(&cg) || cg.starts_with(&rg) {
            s += 10;
            reasons.push(format!(
                "given name close ({} / {})",
                record.given_name, candidate.given_name
            ));
        } else if rg.chars().next() == cg.chars().next() {
            s += 4;
            reasons.push("same initial".to_owned());
        }
    }
    if let (Some(a), Some(b)) = (record.date_of_birth, candidate.date_of_birth) {
        if a == b {
            s += 35;
            reasons.push("date of birth the same".to_owned());
        } else if transposed(a, b) {
            s += 25;
            reasons.push("date of birth with day and month swapped".to_owned());
        } else if a.year() == b.year() {
            s += 5;
            reasons.push("same year of birth".to_owned());
        }
    }
    if let (Some(a), Some(b)) = (&record.postcode, &candidate.postcode) {
        if a.replace(' ', "").eq_ignore_ascii_case(&b.replace(' ', "")) {
            s += 15;
            reasons.push("postcode the same".to_owned());
        } else if outward(a) == outward(b) && !outward(a).is_empty() {
            s += 5;
            reasons.push("same postcode district".to_owned());
        }
    }
    if record.sex != Sex::Unknown && record.sex == candidate.sex {
        s += 5;
        reasons.push("sex the same".to_owned());
    }
    MatchScore { score: s, reasons }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn demo(given: &str, family: &str, dob: &str, postcode: &str) -> Demographics {
        Demographics {
            given_name: given.into(),
            family_name: family.into(),
            date_of_birth: crate::domain::dates::parse_date(dob),
            postcode: Some(postcode.into()),
            sex: Sex::Male,
            ..Default::default()
        }
    }

    #[test]
    fn scores_and_reasons() {
        let record = demo("Wladyslaw", "Nowak", "1943-11-08", "WM8 2LE");
        let cases = [
            (
                demo("Wladyslaw", "Nowak", "1943-11-08", "WM8 2LE"),
                100,
                "family name the same",
            ),
            (
                demo("Wladek", "Novak", "1943-08-11", "WM8 9ZZ"),
                20 + 4 + 25 + 5 + 5,
                "family name sounds alike (Nowak / Novak)",
            ),
            (demo("Peter", "Smith", "1960-01-01", "LS1 1AA"), 5, "sex the same"),
        ];
        for (candidate, expected, first_reason) in cases {
            let m = score(&record, &candidate);
            assert_eq!(m.score, expected, "{:?}", m.reasons);
            assert_eq!(m.reasons[0], first_reason);
        }
        assert_eq!(soundex("Smith"), soundex("Smyth"));
        assert_eq!(soundex("Robert"), "R163");
        assert!(transposed(
            NaiveDate::from_ymd_opt(1950, 3, 2).unwrap(),
            NaiveDate::from_ymd_opt(1950, 2, 3).unwrap()
        ));
    }

    /// Which candidates are offered: a name and sex alone never are, whatever
    /// the spelling; with a date of birth or postcode that agrees they are.
    #[test]
    fn name_and_sex_alone_are_not_offered() {
        let record = demo("Wladyslaw", "Nowak", "1943-11-08", "WM8 2LE");
        let unknown = |mut d: Demographics| {
            d.date_of_birth = None;
            d.postcode = None;
            d
        };
        let cases = [
            (
                "name and sex only",
                unknown(demo("Wladyslaw", "Nowak", "", "")),
                50,
                false,
            ),
            (
                "sound-alike name and sex",
                unknown(demo("Wladek", "Novak", "", "")),
                29,
                false,
            ),
            (
                "name, sex, other date and place",
                demo("Wladyslaw", "Nowak", "1950-01-01", "LS1 1AA"),
                50,
                false,
            ),
            (
                "name, sex, same district",
                demo("Wladyslaw", "Nowak", "1950-01-01", "WM8 9ZZ"),
                55,
                true,
            ),
            (
                "family name and date of birth",
                demo("Anna", "Nowak", "1943-11-08", "LS1 1AA"),
                70,
                true,
            ),
            (
                "swapped date, sound-alike name",
                demo("Wladek", "Novak", "1943-08-11", "WM8 9ZZ"),
                59,
                true,
            ),
            (
                "date of birth and postcode, other name",
                demo("Anna", "Kowalska", "1943-11-08", "WM8 2LE"),
                55,
                true,
            ),
            ("sex only", demo("Peter", "Smith", "1960-01-01", "LS1 1AA"), 5, false),
        ];
        for (what, candidate, expected, shown) in cases {
            let m = score(&record, &candidate);
            assert_eq!(m.score, expected, "{what}: {:?}", m.reasons);
            assert_eq!(offered(&m), shown, "{what}: {:?}", m.reasons);
        }
    }
}
