//! HL7 v2 acknowledgements (original mode): `MSA|AA` stored (or deliberately not
//! kept), `MSA|AE` with an `ERR` segment for content that is invalid, `MSA|AR` for
//! a frame that cannot be read. The ACK answers the message's own header: its
//! sender becomes the receiver, its control id (MSH-10) is echoed in MSA-2, and its
//! version and processing id are kept.

use chrono::NaiveDateTime;

pub use crate::import::hl7v2::Header;

/// What the acknowledgement says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Code {
    /// Stored, or deliberately not kept (a type the record does not hold).
    Accept,
    /// The content is invalid: kept among the rejected messages; why.
    Error(String),
    /// The frame could not be read as a message; why.
    Reject(String),
}

impl Code {
    pub fn msa(&self) -> &'static str {
        match self {
            Code::Accept => "AA",
            Code::Error(_) => "AE",
            Code::Reject(_) => "AR",
        }
    }
}

/// The ACK for a message with header `h` (a default header when it had none that
/// could be read), sent at `now` with its own control id `ack_id`.
pub fn ack(h: Option<&Header>, code: &Code, ack_id: &str, now: NaiveDateTime) -> String {
    let default = Header {
        field_separator: '|',
        encoding: "^~\\&".into(),
        ..Default::default()
    };
    let h = h.unwrap_or(&default);
    let s = h.field_separator;
    let encoding = if h.encoding.is_empty() { "^~\\&" } else { &h.encoding };
    let clean = |t: &str| escape(t, s, encoding);
    let mut out = format!(
        "MSH{s}{encoding}{s}JOINEDUP{s}JOINEDUP{s}{}{s}{}{s}{}{s}{s}ACK^{}^ACK{s}{}{s}{}{s}{}",
        h.sending_application,
        h.sending_facility,
        now.format("%Y%m%d%H%M%S"),
        h.event(),
        ack_id,
        if h.processing_id.is_empty() {
            "P"
        } else {
            &h.processing_id
        },
        if h.version.is_empty() { "2.4" } else { &h.version },
    );
    out.push('\r');
    out.push_str(&format!("MSA{s}{}{s}{}", code.msa(), h.control_id));
    if let Code::Error(why) | Code::Reject(why) = code {
        out.push_str(&format!("{s}{}", clean(why)));
        out.push('\r');
        // ERR-3 error code (HL7 table 0357: 207 application internal error, 100
        // segment sequence error is too specific here), ERR-4 severity E, ERR-8 text.
        let err_code = if matches!(code, Code::Reject(_)) {
            "102^Data type error^HL70357"
        } else {
            "207^Application internal error^HL70357"
        };
        out.push_str(&format!("ERR{s}{s}{s}{err_code}{s}E{s}{s}{s}{s}{}", clean(why)));
    }
    out.push('\r');
    out
}

/// Text made safe to put in a field: the separator and encoding characters are
/// replaced by their HL7 escapes, and line breaks by spaces.
fn escape(text: &str, separator: char, encoding: &str) -> String {
    let mut chars = encoding.chars();
    let component = chars.next().unwrap_or('^');
    let repetition = chars.next().unwrap_or('~');
    let escape = chars.next().unwrap_or('\\');
    let subcomponent = chars.next().unwrap_or('&');
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            c if c == escape => out.push_str(&format!("{escape}E{escape}")),
            c if c == separator => out.push_str(&format!("{escape}F{escape}")),
            c if c == component => out.push_str(&format!("{escape}S{escape}")),
            c if c == repetition => out.push_str(&format!("{escape}R{escape}")),
            c if c == subcomponent => out.push_str(&format!("{escape}T{escape}")),
            '\r' | '\n' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> NaiveDateTime {
        chrono::NaiveDate::from_ymd_opt(2026, 12, 2)
            .unwrap()
            .and_hms_opt(10, 30, 5)
            .unwrap()
    }

    const A01: &str =
        "MSH|^~\\&|PAS|RXX01|EPR|ICB|20261202102900||ADT^A01^ADT_A01|MSG00042|P|2.4\rEVN|A01|20261202102900\r";

    #[test]
    fn acks_answer_the_header() {
        let h = Header::read(A01).unwrap();
        assert_eq!(
            ack(Some(&h), &Code::Accept, "ACK1", now()),
            "MSH|^~\\&|JOINEDUP|JOINEDUP|PAS|RXX01|20261202103005||ACK^A01^ACK|ACK1|P|2.4\rMSA|AA|MSG00042\r"
        );
        let e = ack(
            Some(&h),
            &Code::Error("PID-3: no NHS number | or local id".into()),
            "ACK2",
            now(),
        );
        assert_eq!(
            e,
            "MSH|^~\\&|JOINEDUP|JOINEDUP|PAS|RXX01|20261202103005||ACK^A01^ACK|ACK2|P|2.4\r\
             MSA|AE|MSG00042|PID-3: no NHS number \\F\\ or local id\r\
             ERR|||207^Application internal error^HL70357|E||||PID-3: no NHS number \\F\\ or local id\r"
        );
        let r = ack(None, &Code::Reject("not an HL7 message".into()), "ACK3", now());
        assert!(
            r.starts_with(
                "MSH|^~\\&|JOINEDUP|JOINEDUP|||20261202103005||ACK^^ACK|ACK3|P|2.4\rMSA|AR||not an HL7 message\r"
            ),
            "{r}"
        );
    }
}
