//! What an acknowledgement's ERR segment says of a reason a message was not stored
//! (or was stored with a warning): the HL7 v2 error condition (table 0357, ERR-3)
//! and where in the message (ERR-2, `segment^sequence^field`). The reasons the
//! reader and the store give begin with the field they are about (`PID-3: …`,
//! `PV1: …`, `MSH-10 …`); the message itself says whether that field was empty.
//!
//! | condition | when |
//! | --- | --- |
//! | 100 segment sequence error | a required segment missing, or the wrong segments (A17's two PID/PV1 pairs) |
//! | 101 required field missing | the field named is empty or absent |
//! | 102 data type error | the field holds a value that is not valid (a date that is not one, an NHS number failing its check digit, a value too long) |
//! | 103 table value not found | a coded field (`CODED`) holds a value not in its table |
//! | 205 duplicate key identifier | a control id used before for another message; a visit or an id held for another person |
//! | 207 application internal error | only when none of these can be said |

use super::Segment;

pub const SEGMENT_SEQUENCE_ERROR: u16 = 100;
pub const REQUIRED_FIELD_MISSING: u16 = 101;
pub const DATA_TYPE_ERROR: u16 = 102;
pub const TABLE_VALUE_NOT_FOUND: u16 = 103;
pub const DUPLICATE_KEY_IDENTIFIER: u16 = 205;
pub const APPLICATION_INTERNAL_ERROR: u16 = 207;

/// Fields whose value comes from a table: MSH-9 message type, MSH-11 processing
/// id, MSH-12 version, EVN-1 event, PID-8 sex, PV1-2 patient class, PV1-4
/// admission type, PV1-14 admit source, PV1-36 discharge disposition.
const CODED: &[(&str, usize)] = &[
    ("MSH", 9),
    ("MSH", 11),
    ("MSH", 12),
    ("EVN", 1),
    ("PID", 8),
    ("PV1", 2),
    ("PV1", 4),
    ("PV1", 14),
    ("PV1", 36),
];

/// An error condition of HL7 table 0357, and where it is (ERR-2; empty when the
/// reason names no field).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Condition {
    pub code: u16,
    pub location: String,
}

impl Condition {
    /// The code's name in table 0357.
    pub fn name(&self) -> &'static str {
        match self.code {
            SEGMENT_SEQUENCE_ERROR => "Segment sequence error",
            REQUIRED_FIELD_MISSING => "Required field missing",
            DATA_TYPE_ERROR => "Data type error",
            TABLE_VALUE_NOT_FOUND => "Table value not found",
            DUPLICATE_KEY_IDENTIFIER => "Duplicate key identifier",
            _ => "Application internal error",
        }
    }
}

/// The condition of `reason`, given for `message`.
pub fn condition_of(message: &str, reason: &str) -> Condition {
    let named = leading_field(reason);
    let at = |segment: &str, field: Option<usize>| match field {
        Some(n) => format!("{segment}^1^{n}"),
        None => segment.to_owned(),
    };
    let condition = |code, location| Condition { code, location };
    if let Some(location) = key_conflict(reason) {
        let location = named.map(|(s, f)| at(s, f)).unwrap_or_else(|| location.to_owned());
        return condition(DUPLICATE_KEY_IDENTIFIER, location);
    }
    match named {
        Some((segment, None)) => condition(SEGMENT_SEQUENCE_ERROR, at(segment, None)),
        Some((segment, Some(n))) => {
            let code = match field_value(message, segment, n) {
                None => REQUIRED_FIELD_MISSING,
                Some(_) if CODED.contains(&(segment, n)) => TABLE_VALUE_NOT_FOUND,
                Some(_) => DATA_TYPE_ERROR,
            };
            condition(code, at(segment, Some(n)))
        }
        // The store's refusals, and the limits every import meets, name no HL7 field.
        None if reason.contains("before its admission") => condition(DATA_TYPE_ERROR, "PV1^1^45".into()),
        None if reason.contains("characters long") || reason.contains("NUL byte") => {
            condition(DATA_TYPE_ERROR, String::new())
        }
        None => condition(APPLICATION_INTERNAL_ERROR, String::new()),
    }
}

/// A reason saying a key is held already (by another message or person), with
/// the location to give when the reason names no field.
fn key_conflict(reason: &str) -> Option<&'static str> {
    if reason.contains("was used before by this sender") {
        Some("MSH^1^10")
    } else if reason.contains("two people's identifiers") {
        Some("PID^1^3")
    } else if reason.contains("is stored for another person") || reason.contains("another patient's") {
        Some("PV1^1^19")
    } else {
        None
    }
}

/// The field a reason begins with: `PID-3: …` is (`PID`, 3), `PV1: …` (`PV1`, none).
fn leading_field(reason: &str) -> Option<(&str, Option<usize>)> {
    let token = reason.split([':', ' ', '(']).next()?;
    let (segment, field) = match token.split_once('-') {
        Some((s, f)) => (s, Some(f.parse::<usize>().ok()?)),
        None => (token, None),
    };
    let mut chars = segment.chars();
    let is_segment = segment.len() == 3
        && chars.next().is_some_and(|c| c.is_ascii_uppercase())
        && chars.all(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
    is_segment.then_some((segment, field))
}

/// Field `n` of the first `segment` in `message`, if it is there and not empty.
fn field_value<'a>(message: &'a str, segment: &str, n: usize) -> Option<&'a str> {
    let line = message
        .split(['\r', '\n'])
        .map(Segment::parse)
        .find(|s| s.name == segment)?;
    let value = line.field(n);
    (!value.trim().is_empty() && value.trim() != "\"\"").then_some(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    const A01: &str = "MSH|^~\\&|PAS|NGH|JOINEDUP|WM|202610021705||ADT^A01^ADT_A01|M1|P|2.4\rPID|1||1234567890^^^NHS^NH||BENNETT^HAROLD||1938x930\rPV1|1|Q|BIRCH^^^NGH|21\r";

    fn of(reason: &str) -> (u16, String) {
        let c = condition_of(A01, reason);
        (c.code, c.location)
    }

    #[test]
    fn each_reason_has_the_condition_that_fits_and_its_location() {
        let cases = [
            ("PID-3: no usable patient identifier (…)", 102, "PID^1^3"),
            ("PID-7: date of birth is not a date; left out", 102, "PID^1^7"),
            ("PV1-44: no admission date and no event time", 101, "PV1^1^44"),
            (
                "PV1-2: patient class \"Q\" is not one this reader knows",
                103,
                "PV1^1^2",
            ),
            (
                "MSH-10 (message control id) is empty, so a resend could not be recognised",
                102,
                "MSH^1^10",
            ),
            ("EVN: an ADT^A01 message needs an EVN segment", 100, "EVN"),
            ("MRG: an ADT^A40 message needs an MRG segment", 100, "MRG"),
            (
                "MSH-10 control id M1 was used before by this sender for a different message: not applied",
                205,
                "MSH^1^10",
            ),
            ("PV1-19: visit V1 is another patient's in this file", 205, "PV1^1^19"),
            (
                "the NGH id in this statement is held for a person with another NHS number than the one it gives: two people's identifiers, not filed on either",
                205,
                "PID^1^3",
            ),
            (
                "visit V1 (NGH) is stored for another person; nothing of this file was imported",
                205,
                "PV1^1^19",
            ),
            (
                "visit V1 (NGH) ends at 2026-10-01 before its admission stored at 2026-10-02",
                102,
                "PV1^1^45",
            ),
            ("ward: is 20000 characters long; the limit is 10000", 102, ""),
            ("something no one foresaw", 207, ""),
        ];
        for (reason, code, location) in cases {
            assert_eq!(of(reason), (code, location.to_owned()), "{reason}");
        }
        let missing = condition_of(&A01.replace("|M1|", "||"), "MSH-10 (message control id) is empty");
        assert_eq!((missing.code, missing.name()), (101, "Required field missing"));
    }
}
