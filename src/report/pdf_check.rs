//! Reads back a PDF this program wrote: its structure (header, cross-reference
//! table, trailer, page tree) and each page's text. The service checks every print
//! with it before the file is written: a PDF that does not parse, or a page without
//! the person's NHS number and name, is never written (SAFETY.md H44).

use super::helvetica::HIGH;

/// Why a PDF did not read back, or a print was not made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the PDF is not sound: {0}")]
pub struct PdfError(pub String);

impl From<String> for PdfError {
    fn from(why: String) -> Self {
        Self(why)
    }
}

impl From<&str> for PdfError {
    fn from(why: &str) -> Self {
        Self(why.to_owned())
    }
}

/// A PDF read back: each page's text strings, in drawing order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked {
    pub pages: Vec<Vec<String>>,
}

impl Checked {
    /// All of page `n`'s text (0-based), one string a line.
    pub fn page_text(&self, n: usize) -> String {
        self.pages.get(n).map(|p| p.join("\n")).unwrap_or_default()
    }

    /// Every page's text.
    pub fn text(&self) -> String {
        (0..self.pages.len())
            .map(|n| self.page_text(n))
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// Read `bytes` as a PDF: an error says what is wrong.
pub fn check_pdf(bytes: &[u8]) -> Result<Checked, PdfError> {
    if !bytes.starts_with(b"%PDF-1.") {
        return Err("no PDF header".into());
    }
    let end = trim_end(bytes);
    if !end.ends_with(b"%%EOF") {
        return Err("no %%EOF at the end".into());
    }
    let start = find_last(end, b"startxref").ok_or("no startxref")?;
    let xref_at = number_after(end, start + b"startxref".len()).ok_or("no xref offset")?;
    let objects = Objects {
        bytes,
        offsets: xref(bytes, xref_at)?,
    };
    let trailer = &bytes[xref_at..];
    let root = number_after(trailer, find(trailer, b"/Root").ok_or("no /Root")? + 5).ok_or("bad /Root")?;
    let catalog = objects.get(root)?;
    let tree_at = find(catalog, b"/Pages").ok_or("catalog without /Pages")? + 6;
    let tree = objects.get(number_after(catalog, tree_at).ok_or("bad /Pages")?)?;
    let count = number_after(tree, find(tree, b"/Count").ok_or("page tree without /Count")? + 6).ok_or("bad /Count")?;
    let kids_at = find(tree, b"/Kids").ok_or("page tree without /Kids")?;
    let kids_end = kids_at + find(&tree[kids_at..], b"]").ok_or("unclosed /Kids")?;
    let kids: Vec<usize> = refs(&tree[kids_at + 5..kids_end]);
    if kids.len() != count {
        return Err(format!("/Count {count} but {} pages", kids.len()).into());
    }
    let pages = kids
        .into_iter()
        .map(|kid| objects.page_content(kid).map(|c| strings_shown(&c)))
        .collect::<Result<_, _>>()?;
    Ok(Checked { pages })
}

/// The file's objects, by the cross-reference table.
struct Objects<'a> {
    bytes: &'a [u8],
    /// Each object's offset (`None`: free).
    offsets: Vec<Option<usize>>,
}

impl<'a> Objects<'a> {
    /// Object `n` from `n 0 obj` to its `endobj`.
    fn get(&self, n: usize) -> Result<&'a [u8], String> {
        let at = self
            .offsets
            .get(n)
            .copied()
            .flatten()
            .ok_or(format!("object {n} not in xref"))?;
        let body = self.bytes.get(at..).ok_or("xref offset past the end")?;
        if !body.starts_with(format!("{n} 0 obj").as_bytes()) {
            return Err(format!("xref offset of object {n} does not point at it"));
        }
        let stop = find(body, b"endobj").ok_or(format!("object {n} has no endobj"))?;
        Ok(&body[..stop])
    }

    /// Page object `kid`'s content stream, decoded.
    fn page_content(&self, kid: usize) -> Result<Vec<u8>, String> {
        let page = self.get(kid)?;
        if find(page, b"/Type /Page").is_none() || find(page, b"/MediaBox").is_none() {
            return Err(format!("object {kid} is not a page"));
        }
        let contents =
            number_after(page, find(page, b"/Contents").ok_or("page without /Contents")? + 9).ok_or("bad /Contents")?;
        let stream = self.get(contents)?;
        let dict_end = find(stream, b"stream").ok_or("contents without a stream")?;
        let mut from = dict_end + 6;
        // The data starts after the end of line that follows `stream`.
        if stream.get(from) == Some(&b'\r') {
            from += 1;
        }
        if stream.get(from) == Some(&b'\n') {
            from += 1;
        }
        let dict = &stream[..dict_end];
        let length =
            number_after(dict, find(dict, b"/Length").ok_or("stream without /Length")? + 7).ok_or("bad /Length")?;
        let data = stream
            .get(from..from + length)
            .ok_or("stream shorter than its /Length")?;
        if !trim_start(&stream[from + length..]).starts_with(b"endstream") {
            return Err(format!("object {contents}: /Length does not end at endstream"));
        }
        if find(dict, b"/FlateDecode").is_some() {
            miniz_oxide::inflate::decompress_to_vec_zlib(data).map_err(|e| format!("object {contents}: {e:?}"))
        } else {
            Ok(data.to_vec())
        }
    }
}

fn trim_end(b: &[u8]) -> &[u8] {
    let n = b.iter().rposition(|c| !c.is_ascii_whitespace()).map_or(0, |i| i + 1);
    &b[..n]
}

fn trim_start(b: &[u8]) -> &[u8] {
    let n = b.iter().position(|c| !c.is_ascii_whitespace()).unwrap_or(b.len());
    &b[n..]
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn find_last(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).rposition(|w| w == needle)
}

/// The first whole number at or after `at`, past whitespace.
fn number_after(b: &[u8], at: usize) -> Option<usize> {
    let rest = b.get(at..)?;
    let start = rest.iter().position(|c| !c.is_ascii_whitespace())?;
    let digits: Vec<u8> = rest[start..]
        .iter()
        .take_while(|c| c.is_ascii_digit())
        .copied()
        .collect();
    std::str::from_utf8(&digits).ok()?.parse().ok()
}

/// Object numbers of `N 0 R` references.
fn refs(b: &[u8]) -> Vec<usize> {
    let text = String::from_utf8_lossy(b);
    let words: Vec<&str> = text.split_whitespace().collect();
    words
        .windows(3)
        .filter(|w| w[2] == "R")
        .filter_map(|w| w[0].trim_start_matches('[').parse().ok())
        .collect()
}

/// The cross-reference table: each object's offset (`None`: free).
fn xref(bytes: &[u8], at: usize) -> Result<Vec<Option<usize>>, String> {
    let table = bytes.get(at..).ok_or("xref offset past the end")?;
    if !table.starts_with(b"xref") {
        return Err("startxref does not point at an xref table".into());
    }
    let text = String::from_utf8_lossy(&table[4..]);
    let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
    let header = lines.next().ok_or("empty xref")?;
    let (first, n) = header.split_once(' ').ok_or("bad xref subsection")?;
    let (first, n): (usize, usize) = (
        first.parse().map_err(|_| "bad xref")?,
        n.parse().map_err(|_| "bad xref")?,
    );
    let mut offsets = vec![None; first + n];
    for (i, line) in lines.take(n).enumerate() {
        let parts: Vec<&str> = line.split_whitespace().collect();
        if parts.len() != 3 {
            return Err(format!("bad xref entry {line:?}"));
        }
        if parts[2] == "n" {
            offsets[first + i] = Some(parts[0].parse().map_err(|_| "bad xref offset")?);
        }
    }
    Ok(offsets)
}

/// The strings a content stream shows (`(...) Tj` and `<...> Tj`), decoded from
/// WinAnsiEncoding.
fn strings_shown(content: &[u8]) -> Vec<String> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < content.len() {
        let (string, next) = match content[i] {
            b'(' => literal(content, i + 1),
            b'<' if content.get(i + 1) != Some(&b'<') => hex(content, i + 1),
            _ => {
                i += 1;
                continue;
            }
        };
        i = next;
        let rest = &content[i..];
        let skip = rest.iter().take_while(|c| c.is_ascii_whitespace()).count();
        if rest[skip..].starts_with(b"Tj") {
            out.push(string.iter().map(|b| win_ansi_char(*b)).collect());
        }
    }
    out
}

fn literal(b: &[u8], mut i: usize) -> (Vec<u8>, usize) {
    let mut out = Vec::new();
    let mut depth = 0;
    while i < b.len() {
        match b[i] {
            b'\\' if i + 1 < b.len() => {
                i += 1;
                match b[i] {
                    b'n' => out.push(b'\n'),
                    b'r' => out.push(b'\r'),
                    b't' => out.push(b'\t'),
                    b'b' => out.push(8),
                    b'f' => out.push(12),
                    d @ b'0'..=b'7' => {
                        let mut v = u32::from(d - b'0');
                        for _ in 0..2 {
                            match b.get(i + 1) {
                                Some(d @ b'0'..=b'7') => {
                                    v = v * 8 + u32::from(d - b'0');
                                    i += 1;
                                }
                                _ => break,
                            }
                        }
                        out.push(v as u8);
                    }
                    c => out.push(c),
                }
            }
            b'(' => {
                depth += 1;
                out.push(b'(');
            }
            b')' if depth == 0 => return (out, i + 1),
            b')' => {
                depth -= 1;
                out.push(b')');
            }
            c => out.push(c),
        }
        i += 1;
    }
    (out, i)
}

fn hex(b: &[u8], i: usize) -> (Vec<u8>, usize) {
    let end = b[i..].iter().position(|c| *c == b'>').map_or(b.len(), |p| i + p);
    let digits: Vec<u8> = b[i..end].iter().filter(|c| c.is_ascii_hexdigit()).copied().collect();
    let out = digits
        .chunks(2)
        .map(|pair| {
            let s = std::str::from_utf8(pair).unwrap_or("0");
            let v = u8::from_str_radix(s, 16).unwrap_or(0);
            if pair.len() == 1 { v << 4 } else { v }
        })
        .collect();
    (out, (end + 1).min(b.len()))
}

fn win_ansi_char(b: u8) -> char {
    match b {
        0x80..=0x9F => HIGH[usize::from(b - 0x80)],
        _ => char::from(b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_broken_file_is_refused() {
        assert!(check_pdf(b"<html></html>").is_err());
        assert!(check_pdf(b"%PDF-1.7\n%%EOF").is_err(), "no xref");
        assert_eq!(
            strings_shown(b"BT /F1 9 Tf (a\\(b\\)) Tj <5A6FEB> Tj ET"),
            vec!["a(b)", "Zoë"]
        );
    }
}
