//! A file's text into messages, and messages into segments.
//!
//! Segments end at CR or LF (and at the MLLP frame bytes VT and FS, so a captured
//! feed reads too). A line that does not start a segment (`ABC|`) continues the one
//! before: some files wrap long segments. A message starts at each MSH segment.
//!
//! A message header glued to the end of a segment with no separator before it
//! (`...PV1|1|I|WARD\0MSH|^~\&|...` or `...|MSH|^~\&|...`) starts a new message
//! there: read as one line, it would make one message with two PIDs, and the second
//! person's facts would go to the first. The header is recognised by the file's own
//! `MSH|` and encoding characters (`MSH|^~\&|`), which a field cannot hold unescaped;
//! a control character just before it (the NUL above) is dropped.

/// The messages of a file, each a list of segment lines, and how many headers were
/// found glued to the segment before them.
pub(super) struct Messages {
    pub messages: Vec<Vec<String>>,
    pub glued: usize,
}

pub(super) fn messages(text: &str) -> Messages {
    let header = header_of(text);
    let mut segments: Vec<String> = Vec::new();
    let mut glued = 0;
    for line in text.split(['\r', '\n', '\u{b}', '\u{1c}']) {
        let parts = split_glued(line, &header);
        glued += parts.len().saturating_sub(1);
        for part in parts.into_iter().map(str::trim_end).filter(|l| !l.trim().is_empty()) {
            match segments.last_mut() {
                Some(last) if !starts_segment(part) => last.push_str(part),
                _ => segments.push(part.to_owned()),
            }
        }
    }
    let mut messages: Vec<Vec<String>> = Vec::new();
    for segment in segments {
        if segment.starts_with("MSH") || messages.is_empty() {
            messages.push(Vec::new());
        }
        if let Some(m) = messages.last_mut() {
            m.push(segment);
        }
    }
    Messages { messages, glued }
}

/// `ABC|`: three capitals or digits, the first a capital, then the field separator.
fn starts_segment(line: &str) -> bool {
    let b = line.as_bytes();
    b.len() >= 4
        && b[0].is_ascii_uppercase()
        && b[1..3].iter().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        && b[3] == b'|'
}

/// The file's message header up to MSH-2's end (`MSH|^~\&|`), from its first MSH.
fn header_of(text: &str) -> String {
    let fallback = r"MSH|^~\&|".to_owned();
    let Some(start) = text.find("MSH|") else {
        return fallback;
    };
    let rest = &text[start + 4..];
    match rest.find('|') {
        Some(end) if (1..=5).contains(&end) && !rest[..end].contains(['\r', '\n']) => {
            format!("MSH|{}|", &rest[..end])
        }
        _ => fallback,
    }
}

/// A line cut before every header that does not start it.
fn split_glued<'a>(line: &'a str, header: &str) -> Vec<&'a str> {
    let mut parts = Vec::new();
    let mut from = 0;
    for (at, _) in line.match_indices(header) {
        if at > from {
            parts.push(line[from..at].trim_end_matches(|c: char| c.is_control()));
            from = at;
        }
    }
    parts.push(&line[from..]);
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_messages_and_glued_headers() {
        let m = messages("MSH|^~\\&|A\rPID|1\nPV1|1|I|WA\r\nRD\0MSH|^~\\&|B\rPID|2|MSH|^~\\&|C\u{1c}\r");
        assert_eq!(
            m.messages,
            vec![
                vec!["MSH|^~\\&|A", "PID|1", "PV1|1|I|WARD"],
                vec!["MSH|^~\\&|B", "PID|2|"],
                vec!["MSH|^~\\&|C"],
            ]
        );
        assert_eq!(m.glued, 2);
        // Five encoding characters (v2.7) are the file's own header.
        let m = messages("MSH|^~\\&#|A\rPID|1MSH|^~\\&#|B");
        assert_eq!(m.messages.len(), 2);
        assert_eq!(
            messages("PID|1\rMSH|^~\\&|A").messages.len(),
            2,
            "a stray segment first"
        );
    }
}
