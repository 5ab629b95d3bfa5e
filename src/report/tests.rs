//! The PDF as a reader sees it: it parses, every page carries the person's
//! identity, page numbers and the imprint, tables break with their header row
//! repeated, long text wraps within the page.

use chrono::NaiveDate;

use super::layout::{Item, PAGE_WIDTH};
use super::pdf_check::check_pdf;
use super::*;
use crate::domain::test_support::person;
use crate::domain::{NhsNumber, Person};

fn zoe() -> Person {
    let mut p = person();
    p.nhs_number = Some(NhsNumber::parse("9990000026").unwrap());
    p.demographics.family_name = "Ní Bhriain".into();
    p.demographics.given_name = "Zoë".into();
    p.demographics.date_of_birth = NaiveDate::from_ymd_opt(1941, 3, 5);
    p
}

fn doc(rows: usize, watermark: Option<&str>) -> Document {
    let mut d = Document {
        title: "Care record summary".into(),
        identity: Identity::of(&zoe()),
        imprint: Imprint {
            printed_by: "anna".into(),
            printed_at: NaiveDate::from_ymd_opt(2026, 12, 6)
                .unwrap()
                .and_hms_opt(14, 30, 0)
                .unwrap(),
            watermark: watermark.map(str::to_owned),
        },
        blocks: Vec::new(),
    };
    d.heading("Timeline");
    let mut t = Table::new(&[("When", 1.0), ("Item", 3.0)]);
    for i in 0..rows {
        t.row([format!("{:02}-Jan-2026", i % 28 + 1), format!("Home visit number {i}")]);
    }
    d.table(t);
    d
}

#[test]
fn every_page_has_the_identity_page_numbers_and_imprint() {
    let bytes = to_pdf(&doc(150, None)).unwrap();
    let pdf = check_pdf(&bytes).unwrap();
    let n = pdf.pages.len();
    assert!(n >= 3, "150 rows run over several pages: {n}");
    for page in 0..n {
        let text = pdf.page_text(page);
        assert!(text.contains("NÍ BHRIAIN, Zoë"), "page {page}: {text}");
        assert!(text.contains("NHS number 999 000 0026"), "page {page}");
        assert!(text.contains("Date of birth 05-Mar-1941"), "page {page}");
        assert!(text.contains(&format!("Page {} of {n}", page + 1)), "page {page}");
        assert!(text.contains("Printed by anna on 06-Dec-2026 14:30"), "page {page}");
        // The table's header row is on every page it runs onto.
        assert!(pdf.pages[page].iter().any(|l| l == "When"), "page {page}");
        assert!(!text.contains("TRAINING"));
    }
    assert!(pdf.text().contains("Home visit number 149"));
    // Content streams are compressed, so no text is in the file as written.
    assert!(bytes.windows(12).any(|w| w == b"/FlateDecode"));
    assert!(!bytes.windows(9).any(|w| w == b"Home visi"));
}

#[test]
fn training_prints_carry_the_watermark_on_every_page() {
    let pdf = check_pdf(&to_pdf(&doc(120, Some("TRAINING"))).unwrap()).unwrap();
    assert!(pdf.pages.len() > 1);
    for page in &pdf.pages {
        assert_eq!(
            page.first().map(String::as_str),
            Some("TRAINING"),
            "drawn first, under the rest"
        );
    }
}

#[test]
fn long_text_wraps_within_the_page_and_a_tall_row_breaks() {
    let mut d = doc(1, None);
    let long =
        "The person's daughter visits on Tuesdays and Thursdays and would like to be told of any change. ".repeat(8);
    d.paragraph(Style::Body, long.clone());
    let mut t = Table::new(&[("Domain", 1.0), ("Evidence", 3.0)]);
    t.row(["Skin".to_owned(), long.repeat(12)]);
    d.table(t);
    let laid = lay_out(&d);
    assert!(laid.pages.len() >= 2, "a row taller than the room left breaks");
    for page in &laid.pages {
        for item in &page.items {
            if let Item::Text {
                x, size, weight, text, ..
            } = item
            {
                let right = x + helvetica::width(text, *weight, *size);
                assert!(right <= PAGE_WIDTH - 50.0, "{text:?} runs to {right}");
            }
        }
    }
    let lines: Vec<&str> = laid.pages[0]
        .texts()
        .filter(|t| t.starts_with("The person's"))
        .collect();
    assert!(!lines.is_empty());
    // Nothing is lost in wrapping: the words come back in order.
    let words: Vec<&str> = laid.pages[0]
        .texts()
        .skip_while(|t| !t.starts_with("The person's"))
        .take_while(|t| *t != "Domain")
        .flat_map(|t| t.split(' '))
        .collect();
    assert_eq!(words.join(" "), long.trim_end());
    assert!(laid.pages[1].texts().any(|t| t == "Evidence"), "header repeated");
}

#[test]
fn a_page_without_the_identity_is_not_written() {
    let d = doc(150, None);
    let mut laid = lay_out(&d);
    assert!(write_checked(&laid, &d.identity).is_ok());
    // A page that lost its header (a layout fault) is caught before anything is written.
    laid.pages[1]
        .items
        .retain(|i| !matches!(i, Item::Text { text, .. } if text.starts_with("NÍ BHRIAIN")));
    let err = write_checked(&laid, &d.identity).unwrap_err();
    assert!(err.to_string().contains("page 2"), "{err}");
}

#[test]
fn a_damaged_pdf_does_not_read_back() {
    let bytes = to_pdf(&doc(60, None)).unwrap();
    assert!(check_pdf(&bytes).is_ok());
    assert!(check_pdf(&bytes[..bytes.len() - 40]).is_err(), "cut short");
    let count = bytes.windows(7).position(|w| w == b"/Count ").unwrap();
    let mut wrong = bytes.clone();
    wrong[count + 7] = b'9';
    assert!(check_pdf(&wrong).is_err(), "a page count that is not the pages");
    let mut shifted = b"%PDF-1.7\n ".to_vec();
    shifted.extend_from_slice(&bytes[9..]);
    assert!(check_pdf(&shifted).is_err(), "xref offsets that point elsewhere");
}

/// The header's texts as boxes (x from, x to, baseline), for overlap checks.
fn header_boxes(page: &layout::Page) -> Vec<(String, f32, f32, f32)> {
    page.items
        .iter()
        .filter_map(|i| match i {
            Item::Text {
                x,
                y,
                size,
                weight,
                text,
                ..
            } if *y < 70.0 => Some((text.clone(), *x, x + helvetica::width(text, *weight, *size), *y)),
            _ => None,
        })
        .collect()
}

/// A long name never covers the NHS number and date of birth, and is printed whole
/// (hostile review: it ran over them on every page); a short one shares their line.
#[test]
fn a_long_name_takes_its_own_line_and_covers_nothing() {
    for family in ["Ní Bhriain", "Featherstonehaugh-Cholmondeley-Fiennes-Montague-Smythe"] {
        let mut d = doc(60, None);
        let mut p = zoe();
        p.demographics.family_name = family.into();
        p.demographics.given_name = "Alexandra Elizabeth Margaret Zoë".into();
        d.identity = Identity::of(&p);
        let laid = lay_out(&d);
        for page in &laid.pages {
            let boxes = header_boxes(page);
            for (i, a) in boxes.iter().enumerate() {
                assert!(a.2 <= PAGE_WIDTH - 50.0, "{a:?} runs off the page");
                for b in &boxes[i + 1..] {
                    let same_line = (a.3 - b.3).abs() < 8.0;
                    let apart = a.2 <= b.1 || b.2 <= a.1;
                    assert!(!same_line || apart, "{a:?} overlaps {b:?}");
                }
            }
            assert!(
                boxes.iter().any(|b| b.0 == d.identity.name),
                "the name whole: {boxes:?}"
            );
        }
        assert!(write_checked(&laid, &d.identity).is_ok(), "{family}");
    }
}

/// A record without an NHS number is named on every page by its source's own id.
#[test]
fn a_record_without_an_nhs_number_is_named_by_its_local_id_on_every_page() {
    let mut p = zoe();
    p.nhs_number = None;
    p.local_ids = vec![crate::domain::LocalId {
        source: "Westmere Council".into(),
        id: "ASC-555001".into(),
    }];
    let mut d = doc(150, None);
    d.identity = Identity::of(&p);
    let pdf = check_pdf(&write_checked(&lay_out(&d), &d.identity).unwrap()).unwrap();
    for page in 0..pdf.pages.len() {
        assert!(
            pdf.page_text(page)
                .contains("NHS number not known; Westmere Council id ASC-555001"),
            "page {page}"
        );
    }
}
