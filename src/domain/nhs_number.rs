//! The NHS number: ten digits whose last is a Modulus 11 check digit.
//!
//! Parsing is the only way to get an [`NhsNumber`], so the rest of the code can
//! trust that every value it holds passed the check (RULES.md section 1, from the
//! NHS Data Dictionary attribute *NHS NUMBER*).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A valid NHS number. Stored as its ten digits; displayed as `999 000 0018`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NhsNumber([u8; 10]);

/// Why a string is not an NHS number, in words a user can act on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NhsNumberError {
    #[error("an NHS number has 10 digits; this has {0}")]
    WrongLength(usize),
    #[error("an NHS number has only digits and spaces; found '{0}'")]
    NotADigit(char),
    #[error("no valid check digit exists for these first nine digits, so this number is never issued")]
    NoValidCheckDigit,
    /// Never says which digit would be right: a mistyped number made valid by
    /// changing its last digit is usually someone else's (SAFETY.md H33).
    #[error("the check digit does not match; check each digit against the source")]
    CheckDigitMismatch,
}

impl NhsNumber {
    /// Parse ten digits, allowing spaces or hyphens between groups (as people type them).
    pub fn parse(input: &str) -> Result<Self, NhsNumberError> {
        let mut digits = [0u8; 10];
        let mut count = 0usize;
        for c in input.trim().chars() {
            if c == ' ' || c == '-' {
                continue;
            }
            let d = c.to_digit(10).ok_or(NhsNumberError::NotADigit(c))?;
            if count < 10 {
                digits[count] = d as u8;
            }
            count += 1;
        }
        if count != 10 {
            return Err(NhsNumberError::WrongLength(count));
        }
        match check_digit(&digits[..9]) {
            None => Err(NhsNumberError::NoValidCheckDigit),
            Some(expected) if expected != digits[9] => Err(NhsNumberError::CheckDigitMismatch),
            Some(_) => Ok(Self(digits)),
        }
    }

    /// The ten digits with no spaces, as stored and exchanged (`9990000018`).
    pub fn digits(&self) -> String {
        self.0.iter().map(|d| char::from(b'0' + d)).collect()
    }

    /// True for 999 000 0000 to 999 999 9999, the range described as reserved for
    /// testing.
    ///
    /// Unconfirmed: RULES.md found this range only in secondary (Wikipedia-derived)
    /// sources; no NHS England primary text confirms it.
    pub fn is_test_range(&self) -> bool {
        self.0[..3] == [9, 9, 9]
    }
}

/// The Modulus 11 check value for the first nine digits, or `None` when it computes
/// to 10 (such numbers are never issued). Weights 10 down to 2; 11 becomes 0.
pub fn check_digit(stem: &[u8]) -> Option<u8> {
    let sum: u32 = stem.iter().zip((2..=10u32).rev()).map(|(d, w)| u32::from(*d) * w).sum();
    match 11 - (sum % 11) {
        11 => Some(0),
        10 => None,
        c => Some(c as u8),
    }
}

/// Format partial input as the user types: digits grouped 3-3-4, everything else
/// dropped, at most ten digits (NHS CUI "NHS Number Input and Display").
pub fn format_as_typed(input: &str) -> String {
    let digits: Vec<char> = input.chars().filter(char::is_ascii_digit).take(10).collect();
    let mut out = String::with_capacity(12);
    for (i, d) in digits.iter().enumerate() {
        if i == 3 || i == 6 {
            out.push(' ');
        }
        out.push(*d);
    }
    out
}

impl fmt::Display for NhsNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = self.digits();
        write!(f, "{} {} {}", &d[..3], &d[3..6], &d[6..])
    }
}

impl fmt::Debug for NhsNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "NhsNumber({})", self.digits())
    }
}

impl FromStr for NhsNumber {
    type Err = NhsNumberError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl Serialize for NhsNumber {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.digits())
    }
}

impl<'de> Deserialize<'de> for NhsNumber {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Self::parse(&s).map_err(|e| serde::de::Error::custom(format!("NHS number {s:?}: {e}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every vector in RULES.md section 1, with the expected result.
    #[test]
    fn rules_md_vectors() {
        let cases: &[(&str, Result<(), NhsNumberError>)] = &[
            ("943 476 5919", Ok(())),
            ("999 999 9999", Ok(())),
            ("999 000 0018", Ok(())),
            ("999 000 0026", Ok(())),
            ("999 000 0034", Ok(())),
            ("9990000000", Err(NhsNumberError::NoValidCheckDigit)),
            ("9990000005", Err(NhsNumberError::NoValidCheckDigit)),
            ("987 654 4321", Err(NhsNumberError::CheckDigitMismatch)),
            ("999 123 4560", Err(NhsNumberError::NoValidCheckDigit)),
            ("911 111 1124", Err(NhsNumberError::CheckDigitMismatch)),
            ("922 222 2228", Err(NhsNumberError::CheckDigitMismatch)),
            ("9912003890", Err(NhsNumberError::CheckDigitMismatch)),
            ("9912003888", Ok(())),
            ("9449305552", Ok(())),
            ("9449307539", Ok(())),
        ];
        for (input, expected) in cases {
            let got = NhsNumber::parse(input).map(|_| ());
            assert_eq!(&got, expected, "{input}");
        }
        for bad in ["9912003814", "4123456879", "8449303649"] {
            assert!(NhsNumber::parse(bad).is_err(), "{bad} must fail");
        }
    }

    #[test]
    fn worked_example_sum() {
        // 943 476 591: sum 299, remainder 2, check 9.
        assert_eq!(check_digit(&[9, 4, 3, 4, 7, 6, 5, 9, 1]), Some(9));
    }

    #[test]
    fn display_and_digits() {
        let n = NhsNumber::parse("9990000018").unwrap();
        assert_eq!(n.to_string(), "999 000 0018");
        assert_eq!(n.digits(), "9990000018");
        assert!(n.is_test_range());
        assert!(!NhsNumber::parse("943 476 5919").unwrap().is_test_range());
    }

    #[test]
    fn input_shapes() {
        assert_eq!(NhsNumber::parse("999-000-0018").unwrap().digits(), "9990000018");
        assert_eq!(NhsNumber::parse("99900000"), Err(NhsNumberError::WrongLength(8)));
        assert_eq!(NhsNumber::parse("99900000181"), Err(NhsNumberError::WrongLength(11)));
        assert_eq!(NhsNumber::parse("999000001x"), Err(NhsNumberError::NotADigit('x')));
        assert_eq!(format_as_typed("9990000"), "999 000 0");
        assert_eq!(format_as_typed("999 000 0018 77"), "999 000 0018");
    }

    #[test]
    fn serde_round_trip_rejects_invalid() {
        let n: NhsNumber = serde_json::from_str("\"9990000018\"").unwrap();
        assert_eq!(serde_json::to_string(&n).unwrap(), "\"9990000018\"");
        assert!(serde_json::from_str::<NhsNumber>("\"9876544321\"").is_err());
    }
}
