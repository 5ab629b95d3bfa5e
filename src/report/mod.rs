//! Printable documents made from domain values the service has disclosed (no I/O
//! here: callers write them). A [`Document`] (headed sections, paragraphs, tables)
//! is laid out on A4 pages once (`layout`); the PDF (`pdf`) and the window's
//! preview draw those same pages.

pub mod chc_summary;
pub mod document;
pub mod helvetica;
pub mod layout;
pub mod pdf;
pub mod pdf_check;
pub mod record_summary;

pub use document::{Block, Cell, Document, Identity, Imprint, Style, Table};
pub use layout::{Laid, lay_out};

/// A document as PDF bytes, read back before it is returned: it must parse, and
/// every page must carry the person's name and NHS number (`Err` says what failed;
/// nothing is to be written then).
pub fn to_pdf(doc: &Document) -> Result<Vec<u8>, pdf_check::PdfError> {
    write_checked(&lay_out(doc), &doc.identity)
}

/// `laid` as PDF bytes, read back and checked for `identity` on every page.
fn write_checked(laid: &Laid, identity: &Identity) -> Result<Vec<u8>, pdf_check::PdfError> {
    let bytes = pdf::write_pdf(laid);
    let checked = pdf_check::check_pdf(&bytes)?;
    if checked.pages.len() != laid.pages.len() {
        return Err(format!(
            "{} pages laid out but {} written",
            laid.pages.len(),
            checked.pages.len()
        )
        .into());
    }
    let name = helvetica::printable(&identity.name);
    let nhs = helvetica::printable(&identity.nhs_number);
    for (n, page) in checked.pages.iter().enumerate() {
        let has = |what: &str| page.iter().any(|line| line.contains(what));
        if !has(&name) || !has(&nhs) {
            return Err(format!("page {} lacks the person's name or NHS number", n + 1).into());
        }
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests;
