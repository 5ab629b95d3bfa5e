//! HL7 v2 acknowledgements (original mode): `MSA|AA` stored (or deliberately not
//! kept), with an `ERR` segment of severity W when a value of the person's identity
//! was left out; `MSA|AE` with an `ERR` segment of severity E for content that is
//! invalid; `MSA|AR` for a frame that cannot be read. The ERR segment gives the HL7
//! error condition (table 0357, ERR-3) and where (ERR-2), as
//! `import::hl7v2::condition_of` reads them from the reason. The ACK answers the
//! message's own header: its sender becomes the receiver, its control id (MSH-10)
//! is echoed in MSA-2, and its version and processing id are kept.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use chrono::NaiveDateTime;

pub use crate::import::hl7v2::Header;
use crate::import::hl7v2::{Condition, condition_of};

/// What the acknowledgement says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Code {
    /// Stored, or deliberately not kept (a type the record does not hold).
    Accept,
    /// Stored, a value of it left out (an NHS number failing its check digit).
    Warn(Problem),
    /// The content is invalid: kept among the rejected messages.
    Error(Problem),
    /// The frame could not be read as a message; why.
    Reject(String),
}

/// Why a message was refused or warned of, and its HL7 error condition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub text: String,
    pub condition: Condition,
}

impl Problem {
    /// `reason`, given for `message`, with the condition it says.
    pub fn of(message: &str, reason: String) -> Self {
        Self {
            condition: condition_of(message, &reason),
            text: reason,
        }
    }
}

impl Code {
    pub fn msa(&self) -> &'static str {
        match self {
            Code::Accept | Code::Warn(_) => "AA",
            Code::Error(_) => "AE",
            Code::Reject(_) => "AR",
        }
    }
}

/// The latest start of a server in this process, in milliseconds since 1970.
static LAST_START: AtomicU64 = AtomicU64::new(0);

/// The ACKs' own control ids (MSH-10) of one server's run: `<start>.<n>`, where
/// `start` is when the run began, in milliseconds since 1970 written in base 36
/// (8 characters until the year 5188), and `n` counts the run's ACKs from 1. A
/// restart begins later, so its ids are new ones, with no write per ACK (nor any
/// at all); two servers started in one process in the same millisecond are told
/// apart by making each start later than the one before. The id is at most 20
/// characters (the length of MSH-10 in HL7 v2.3 and 2.4) up to 10^11 ACKs a run.
/// A clock set back by more than the time since the last start could repeat a
/// prefix; the time is read once, at start.
#[derive(Debug)]
pub struct AckIds {
    prefix: String,
    next: AtomicU64,
}

impl AckIds {
    /// A run starting now.
    pub fn new() -> Self {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_millis() as u64);
        Self::starting_at(now)
    }

    /// A run starting at `millis` since 1970 (or just after the last start in this process).
    pub fn starting_at(millis: u64) -> Self {
        let before = LAST_START.fetch_max(millis, Ordering::SeqCst);
        let start = if before >= millis {
            LAST_START.fetch_add(1, Ordering::SeqCst) + 1
        } else {
            millis
        };
        Self {
            prefix: base36(start),
            next: AtomicU64::new(1),
        }
    }

    /// The next ACK's control id.
    pub fn next(&self) -> String {
        format!("{}.{}", self.prefix, self.next.fetch_add(1, Ordering::SeqCst))
    }
}

impl Default for AckIds {
    fn default() -> Self {
        Self::new()
    }
}

fn base36(mut n: u64) -> String {
    const DIGITS: &[u8; 36] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    let mut out = Vec::new();
    loop {
        out.push(DIGITS[(n % 36) as usize]);
        n /= 36;
        if n == 0 {
            break;
        }
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
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
    // MSA-3 (text) for an error; then ERR-2 location, ERR-3 condition (HL7 table
    // 0357), ERR-4 severity, ERR-8 the text.
    let (location, condition, severity, text) = match code {
        Code::Accept => {
            out.push('\r');
            return out;
        }
        Code::Warn(p) => (p.condition.location.as_str(), p.condition.clone(), "W", &p.text),
        Code::Error(p) => (p.condition.location.as_str(), p.condition.clone(), "E", &p.text),
        Code::Reject(why) => {
            let c = Condition {
                code: crate::import::hl7v2::errors::DATA_TYPE_ERROR,
                location: String::new(),
            };
            ("", c, "E", why)
        }
    };
    if severity == "E" {
        out.push_str(&format!("{s}{}", clean(text)));
    }
    out.push('\r');
    let component = encoding.chars().next().unwrap_or('^');
    let subcomponent = encoding.chars().nth(3).unwrap_or('&');
    out.push_str(&format!(
        "ERR{s}{}{s}{}{s}{}{component}{}{component}HL70357{s}{severity}{s}{s}{s}{s}{}",
        err_1(location, &condition, component, subcomponent),
        location.replace('^', &component.to_string()),
        condition.code,
        condition.name(),
        clean(text)
    ));
    out.push('\r');
    out
}

/// ERR-1, "error code and location" (HL7 v2.4's ELD: segment ^ sequence ^ field ^
/// code as `code&text&HL70357`). Version 2.5 keeps it only for backward compatibility
/// and moved its parts to ERR-2 and ERR-3, which are filled too; a v2.3 or v2.4
/// engine (the NHS ITK ADT messages are 2.4) reads only ERR-1.
fn err_1(location: &str, condition: &Condition, component: char, subcomponent: char) -> String {
    let mut parts: Vec<&str> = location.split('^').take(3).collect();
    parts.resize(3, "");
    format!(
        "{}{component}{}{component}{}{component}{}{subcomponent}{}{subcomponent}HL70357",
        parts[0],
        parts[1],
        parts[2],
        condition.code,
        condition.name()
    )
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
    fn ack_ids_are_new_after_a_restart_and_fit_msh_10() {
        // 2026-12-04 20:00:00 UTC (a server elsewhere in this process may have
        // started later: then each of these starts just after it).
        let at = 1_796_414_400_000;
        let prefix = |id: &str| id.split('.').next().unwrap_or("").to_owned();
        let first = AckIds::starting_at(at);
        let (one, two) = (first.next(), first.next());
        assert!(
            one.ends_with(".1") && two.ends_with(".2") && prefix(&one) == prefix(&two),
            "{one} {two}"
        );
        // A restart a second later begins anew, with ids of its own.
        let restarted = AckIds::starting_at(at + 1000).next();
        assert!(
            restarted.ends_with(".1") && prefix(&restarted) != prefix(&one),
            "{restarted}"
        );
        // Started in the same millisecond (or with the clock set back): still new.
        let again = AckIds::starting_at(at).next();
        assert!(![prefix(&one), prefix(&restarted)].contains(&prefix(&again)), "{again}");
        // 8 characters of start and up to 11 digits of count fit MSH-10's 20.
        assert_eq!(base36(at), "MX9ER280");
        assert!(format!("{}.{}", base36(at), 10u64.pow(11) - 1).len() <= 20);
        assert_eq!(
            (base36(0).as_str(), base36(35).as_str(), base36(36).as_str()),
            ("0", "Z", "10")
        );
    }

    #[test]
    fn acks_answer_the_header() {
        let h = Header::read(A01).unwrap();
        assert_eq!(
            ack(Some(&h), &Code::Accept, "ACK1", now()),
            "MSH|^~\\&|JOINEDUP|JOINEDUP|PAS|RXX01|20261202103005||ACK^A01^ACK|ACK1|P|2.4\rMSA|AA|MSG00042\r"
        );
        let e = ack(
            Some(&h),
            &Code::Error(Problem::of(A01, "PID-3: no NHS number | or local id".into())),
            "ACK2",
            now(),
        );
        assert_eq!(
            e,
            "MSH|^~\\&|JOINEDUP|JOINEDUP|PAS|RXX01|20261202103005||ACK^A01^ACK|ACK2|P|2.4\r\
             MSA|AE|MSG00042|PID-3: no NHS number \\F\\ or local id\r\
             ERR|PID^1^3^101&Required field missing&HL70357|PID^1^3|101^Required field missing^HL70357|E||||PID-3: no NHS number \\F\\ or local id\r"
        );
        let w = ack(
            Some(&h),
            &Code::Warn(Problem::of(
                "MSH|^~\\&|PAS\rPID|1||1234567890^^^NHS^NH~NG1^^^NGH^MR",
                "PID-3: NHS number \"1234567890\" is not valid".into(),
            )),
            "ACK4",
            now(),
        );
        assert!(
            w.ends_with(
                "MSA|AA|MSG00042\rERR|PID^1^3^102&Data type error&HL70357|PID^1^3|102^Data type error^HL70357|W||||PID-3: NHS number \"1234567890\" is not valid\r"
            ),
            "{w}"
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
