//! A message's MSH header, read on its own: who sent it (MSH-3, MSH-4), what it is
//! (MSH-9) and its control id (MSH-10), which identify it when it is sent again and
//! which its acknowledgement answers.

/// The header fields that identify a message and that its acknowledgement answers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Header {
    pub field_separator: char,
    pub encoding: String,
    pub sending_application: String,
    pub sending_facility: String,
    pub receiving_application: String,
    pub receiving_facility: String,
    /// MSH-9, e.g. `ADT^A01^ADT_A01`.
    pub message_type: String,
    /// MSH-10.
    pub control_id: String,
    pub processing_id: String,
    pub version: String,
}

impl Header {
    /// The MSH segment of `message`, if it starts with one that can be read.
    pub fn read(message: &str) -> Option<Header> {
        let msh = message.split(['\r', '\n']).next()?.trim_start_matches('\u{feff}');
        let rest = msh.strip_prefix("MSH")?;
        let separator = rest.chars().next()?;
        if separator.is_alphanumeric() {
            return None;
        }
        // MSH-1 is the separator itself, so MSH-n is field n-1 after splitting.
        let fields: Vec<&str> = rest[separator.len_utf8()..].split(separator).collect();
        let field = |n: usize| fields.get(n - 2).map(|s| s.trim().to_owned()).unwrap_or_default();
        Some(Header {
            field_separator: separator,
            encoding: field(2),
            sending_application: field(3),
            sending_facility: field(4),
            receiving_application: field(5),
            receiving_facility: field(6),
            message_type: field(9),
            control_id: field(10),
            processing_id: field(11),
            version: field(12),
        })
    }

    /// The trigger event (MSH-9.2), e.g. `A01`.
    pub fn event(&self) -> &str {
        self.message_type.split('^').nth(1).unwrap_or("")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const A01: &str =
        "MSH|^~\\&|PAS|RXX01|EPR|ICB|20261202102900||ADT^A01^ADT_A01|MSG00042|P|2.4\rEVN|A01|20261202102900\r";

    #[test]
    fn the_header_is_read_field_by_field() {
        let h = Header::read(A01).unwrap();
        assert_eq!(h.sending_application, "PAS");
        assert_eq!(h.sending_facility, "RXX01");
        assert_eq!(h.message_type, "ADT^A01^ADT_A01");
        assert_eq!(h.event(), "A01");
        assert_eq!(h.control_id, "MSG00042");
        assert_eq!(h.version, "2.4");
        assert_eq!(Header::read("PID|1"), None);
        assert_eq!(Header::read("MSHx"), None);
    }
}
