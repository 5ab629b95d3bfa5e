//! A laid-out document as a PDF (1.7, A4 pages), written with `pdf-writer`. The
//! fonts are the built-in Helvetica and Helvetica-Bold (nothing embedded); text is
//! in WinAnsiEncoding. Each page's content stream is compressed (FlateDecode):
//! a 519-item record's 33 pages are 0.1 MB instead of 0.8 MB.

use pdf_writer::{Content, Filter, Finish, Name, Pdf, Rect, Ref, Str, TextStr};

use super::helvetica::{Weight, encode, width};
use super::layout::{Colour, Item, Laid, PAGE_HEIGHT, PAGE_WIDTH, WATERMARK, WATERMARK_ANGLE, WATERMARK_SIZE};

const REGULAR: Name<'static> = Name(b"F1");
const BOLD: Name<'static> = Name(b"F2");

/// The PDF file's bytes.
pub fn write_pdf(laid: &Laid) -> Vec<u8> {
    let mut pdf = Pdf::new();
    let catalog = Ref::new(1);
    let tree = Ref::new(2);
    let info = Ref::new(3);
    let regular = Ref::new(4);
    let bold = Ref::new(5);
    let first_page = 6;
    let page_ids: Vec<Ref> = (0..laid.pages.len())
        .map(|i| Ref::new(first_page + 2 * i as i32))
        .collect();

    pdf.catalog(catalog).pages(tree);
    pdf.pages(tree)
        .kids(page_ids.iter().copied())
        .count(laid.pages.len() as i32);
    pdf.document_info(info)
        .title(TextStr(&laid.title))
        .creator(TextStr("Joined-Up Care Record"));
    for (id, weight) in [(regular, Weight::Regular), (bold, Weight::Bold)] {
        pdf.type1_font(id)
            .base_font(Name(weight.base_font().as_bytes()))
            .encoding_predefined(Name(b"WinAnsiEncoding"));
    }
    for (page, id) in laid.pages.iter().zip(&page_ids) {
        let content_id = Ref::new(id.get() + 1);
        let mut p = pdf.page(*id);
        p.media_box(Rect::new(0.0, 0.0, PAGE_WIDTH, PAGE_HEIGHT));
        p.parent(tree);
        p.contents(content_id);
        p.resources().fonts().pair(REGULAR, regular).pair(BOLD, bold);
        p.finish();
        let content = miniz_oxide::deflate::compress_to_vec_zlib(&draw(&page.items), 6);
        pdf.stream(content_id, &content).filter(Filter::FlateDecode);
    }
    pdf.finish()
}

fn rgb(c: Colour) -> (f32, f32, f32) {
    (f32::from(c.0) / 255.0, f32::from(c.1) / 255.0, f32::from(c.2) / 255.0)
}

/// One page's content stream. The layout measures from the top; PDF from the bottom.
fn draw(items: &[Item]) -> Vec<u8> {
    let mut content = Content::new();
    content.set_line_width(0.5);
    for item in items {
        match item {
            Item::Text {
                x,
                y,
                size,
                weight,
                colour,
                text,
            } => {
                let (r, g, b) = rgb(*colour);
                content.set_fill_rgb(r, g, b);
                content.begin_text();
                content.set_font(font_name(*weight), *size);
                content.next_line(*x, PAGE_HEIGHT - y);
                content.show(Str(&encode(text)));
                content.end_text();
            }
            Item::Line { from, to, colour } => {
                let (r, g, b) = rgb(*colour);
                content.set_stroke_rgb(r, g, b);
                content.move_to(from.0, PAGE_HEIGHT - from.1);
                content.line_to(to.0, PAGE_HEIGHT - to.1);
                content.stroke();
            }
            Item::Fill { x, y, w, h, colour } => {
                let (r, g, b) = rgb(*colour);
                content.set_fill_rgb(r, g, b);
                content.rect(*x, PAGE_HEIGHT - y - h, *w, *h);
                content.fill_nonzero();
            }
            Item::Watermark(text) => {
                let (r, g, b) = rgb(WATERMARK);
                let (sin, cos) = WATERMARK_ANGLE.to_radians().sin_cos();
                let half = width(text, Weight::Bold, WATERMARK_SIZE) / 2.0;
                // Centred on the page: start half the text's width back along the slope.
                let x = PAGE_WIDTH / 2.0 - cos * half + sin * WATERMARK_SIZE / 3.0;
                let y = PAGE_HEIGHT / 2.0 - sin * half - cos * WATERMARK_SIZE / 3.0;
                content.set_fill_rgb(r, g, b);
                content.begin_text();
                content.set_font(BOLD, WATERMARK_SIZE);
                content.set_text_matrix([cos, sin, -sin, cos, x, y]);
                content.show(Str(&encode(text)));
                content.end_text();
            }
        }
    }
    content.finish().to_vec()
}

fn font_name(weight: Weight) -> Name<'static> {
    match weight {
        Weight::Regular => REGULAR,
        Weight::Bold => BOLD,
    }
}
