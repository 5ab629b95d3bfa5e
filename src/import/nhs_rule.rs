//! The one rule for accepting an NHS number a source gives, for every format.
//!
//! Each importer finds the value (a CSV column, a bundle's field, a FHIR identifier
//! of the NHS number system, an HL7 identifier labelled as one) and asks this rule
//! what it is; only what the source's words for the record are differs by format.
//!
//! - Absent, empty or blank: no NHS number was given.
//! - Ten digits (spaces and hyphens between them allowed) with the right Modulus 11
//!   check digit: the NHS number.
//! - Anything else given is not valid and never stored. Outside training the record
//!   is kept under its local id, if its source gives one, waiting to be matched
//!   (the joined-up bundle, which joinedup writes itself, refuses it instead).
//! - In a training database only a valid number in the test range 999 000 0000 to
//!   999 999 9999 is accepted; any other number given, valid or not, refuses the
//!   record, which is never kept under a local id with a real person's details
//!   (SAFETY.md H8, H36).
//! - Where a record gives several numbers (HL7 PID-2 and PID-3's repetitions, a FHIR
//!   Patient's identifiers), two different valid ones refuse it: whose record it is
//!   cannot be known (SAFETY.md H36).

use super::ImportOptions;
use crate::domain::NhsNumber;
use crate::domain::nhs_number::NhsNumberError;

/// Why training refuses a valid number outside the test range.
pub const TRAINING_RANGE: &str =
    "training mode accepts only NHS numbers in the test range 999 000 0000 to 999 999 9999";

/// Why a record naming two different NHS numbers is refused.
pub const TWO_NUMBERS: &str = "the record names two different NHS numbers, so whose it is cannot be known";

/// What the rule makes of one value a source gives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Nhs {
    /// No number given: absent, empty or blank.
    Absent,
    Accepted(NhsNumber),
    /// Given but not an NHS number: never stored, the record kept under its local id.
    NotValid(NhsNumberError),
    /// The record is refused, for this reason (a number a training database refuses).
    Refused(String),
}

/// The rule, for one value.
pub fn accept(value: Option<&str>, options: ImportOptions) -> Nhs {
    let Some(value) = value.map(str::trim).filter(|v| !v.is_empty()) else {
        return Nhs::Absent;
    };
    match NhsNumber::parse(value) {
        Ok(n) if options.test_range_only && !n.is_test_range() => Nhs::Refused(TRAINING_RANGE.into()),
        Ok(n) => Nhs::Accepted(n),
        Err(e) if options.test_range_only => Nhs::Refused(format!("{TRAINING_RANGE}; this one is not valid: {e}")),
        Err(e) => Nhs::NotValid(e),
    }
}

/// Why training refuses a record whose other identifier holds a real person's number.
pub const TRAINING_LOCAL_ID: &str = "training mode refuses a record with an identifier that is a valid NHS number outside the test range 999 000 0000 to 999 999 9999 (a real person's number, whatever its label)";

/// In a training database, the refusal of a record one of whose other identifiers
/// (not labelled as an NHS number: an unlabelled HL7 id, a FHIR identifier of
/// another system, a resource id) is an NHS number with a right check digit outside
/// the test range (ten digits, spaces or hyphens between them allowed). Such an id is never used as an NHS number (H1: never guess),
/// but it may be a real person's, and a training database holds no real person's
/// data (SAFETY.md H8, H36). Outside training, and for anything else, `None`.
pub fn refuse_local_in_training(value: &str, options: ImportOptions) -> Option<String> {
    if !options.test_range_only {
        return None;
    }
    match NhsNumber::parse(value) {
        Ok(n) if !n.is_test_range() => Some(TRAINING_LOCAL_ID.into()),
        _ => None,
    }
}

/// The note for a number given but not valid, naming where it was.
pub fn not_used_note(location: &str, value: &str, e: &NhsNumberError) -> String {
    format!("{location}: NHS number {value:?} is not valid ({e}), so it is not used")
}

/// What the rule makes of every number one record gives, each with where it was.
#[derive(Debug, PartialEq, Eq)]
pub struct Found<'v, W> {
    pub number: Option<NhsNumber>,
    /// The values given that are not valid, and why (each is noted, none used).
    pub not_valid: Vec<(W, &'v str, NhsNumberError)>,
}

/// The rule, for every number one record gives: the one valid number, or the
/// refusal (where it was, and why) of a record with a refused number or two
/// different valid ones.
pub fn accept_each<'v, W>(
    given: impl IntoIterator<Item = (W, &'v str)>,
    options: ImportOptions,
) -> Result<Found<'v, W>, (W, String)> {
    let mut found = Found {
        number: None,
        not_valid: Vec::new(),
    };
    for (whence, value) in given {
        match accept(Some(value), options) {
            Nhs::Absent => {}
            Nhs::Accepted(n) => match found.number {
                Some(first) if first != n => return Err((whence, TWO_NUMBERS.into())),
                _ => found.number = Some(n),
            },
            Nhs::NotValid(e) => found.not_valid.push((whence, value, e)),
            Nhs::Refused(reason) => return Err((whence, reason)),
        }
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIVE: ImportOptions = ImportOptions {
        shift_days: 0,
        test_range_only: false,
    };
    const TRAINING: ImportOptions = ImportOptions {
        shift_days: 0,
        test_range_only: true,
    };

    fn number(s: &str) -> Nhs {
        Nhs::Accepted(NhsNumber::parse(s).unwrap())
    }

    #[test]
    fn training_refuses_an_other_identifier_that_is_a_real_number() {
        for (value, options, refused) in [
            // A valid number outside the test range, unlabelled: refused in training only.
            ("9434765919", TRAINING, true),
            ("9434765919", LIVE, false),
            // In the test range, or failing its check digit, or not ten digits: a local id.
            ("9990000018", TRAINING, false),
            ("9434765918", TRAINING, false),
            ("MRN943476", TRAINING, false),
            ("943476591", TRAINING, false),
            // Spaced or hyphenated as an NHS number is written: the same number.
            ("943 476 5919", TRAINING, true),
            ("943-476-5919", TRAINING, true),
        ] {
            assert_eq!(
                refuse_local_in_training(value, options).is_some(),
                refused,
                "{value} {options:?}"
            );
        }
    }

    #[test]
    fn one_rule_for_every_format() {
        let not_valid_in_training =
            |e: NhsNumberError| Nhs::Refused(format!("{TRAINING_RANGE}; this one is not valid: {e}"));
        for (value, options, expected) in [
            // Valid, in and outside the test range.
            (Some("9990000018"), LIVE, number("9990000018")),
            (Some("9434765919"), LIVE, number("9434765919")),
            (Some("9990000018"), TRAINING, number("9990000018")),
            // Spaces, hyphens and whitespace around, as people type them.
            (Some("999 000 0018"), LIVE, number("9990000018")),
            (Some("999-000-0018"), LIVE, number("9990000018")),
            (Some("  999 000 0018\t"), TRAINING, number("9990000018")),
            // A bad check digit, and a stem no check digit fits.
            (
                Some("9990000019"),
                LIVE,
                Nhs::NotValid(NhsNumberError::CheckDigitMismatch),
            ),
            (
                Some("9990000001"),
                LIVE,
                Nhs::NotValid(NhsNumberError::NoValidCheckDigit),
            ),
            // Wrong length, letters.
            (Some("999000001"), LIVE, Nhs::NotValid(NhsNumberError::WrongLength(9))),
            (
                Some("99900000181"),
                LIVE,
                Nhs::NotValid(NhsNumberError::WrongLength(11)),
            ),
            (Some("999000001x"), LIVE, Nhs::NotValid(NhsNumberError::NotADigit('x'))),
            // Outside the test range in training: refused, valid or not.
            (Some("943 476 5919"), TRAINING, Nhs::Refused(TRAINING_RANGE.into())),
            (
                Some("9434765910"),
                TRAINING,
                not_valid_in_training(NhsNumberError::CheckDigitMismatch),
            ),
            (
                Some("9990000019"),
                TRAINING,
                not_valid_in_training(NhsNumberError::CheckDigitMismatch),
            ),
            // Empty, blank or absent: none given.
            (Some(""), LIVE, Nhs::Absent),
            (Some("   "), TRAINING, Nhs::Absent),
            (None, LIVE, Nhs::Absent),
        ] {
            assert_eq!(accept(value, options), expected, "{value:?} {options:?}");
        }
    }

    #[test]
    fn several_numbers_of_one_record() {
        let given = [
            ("PID-2", "999 000 0018"),
            ("PID-3", "9990000018"),
            ("PID-3", "1234567890"),
        ];
        let found = accept_each(given, LIVE).unwrap();
        assert_eq!(found.number, NhsNumber::parse("9990000018").ok());
        assert_eq!(
            found.not_valid,
            vec![("PID-3", "1234567890", NhsNumberError::NoValidCheckDigit)]
        );
        let two = accept_each([("a", "9990000018"), ("b", "9990000026")], LIVE);
        assert_eq!(two, Err(("b", TWO_NUMBERS.to_owned())));
        let real = accept_each([("a", "9990000018"), ("b", "9434765919")], TRAINING);
        assert_eq!(real, Err(("b", TRAINING_RANGE.to_owned())));
        assert_eq!(accept_each(Vec::<(&str, &str)>::new(), LIVE).unwrap().number, None);
    }
}
