//! A [`Document`] laid out on A4 pages: every line placed, so the PDF and the
//! preview draw the same pages with the same line breaks. Points (1/72 inch), from
//! the page's top left corner; a text's `y` is its baseline.
//!
//! Every page has the header (the person's name, NHS number and date of birth, and
//! the document's title) and the footer (who printed it and when, "Page N of M"),
//! and in training the watermark. Text wraps at word boundaries (a word too long for
//! its column is broken); a table breaks between rows, its header row repeated on
//! each page, and a row taller than a page breaks between its lines.

use super::document::{Block, Cell, Document, Style, Table};
use super::helvetica::{Weight, printable, width};

pub const PAGE_WIDTH: f32 = 595.28;
pub const PAGE_HEIGHT: f32 = 841.89;
/// 18 mm either side.
const MARGIN: f32 = 51.0;
const CONTENT_WIDTH: f32 = PAGE_WIDTH - 2.0 * MARGIN;
const BODY_TOP: f32 = 92.0;
const BODY_BOTTOM: f32 = PAGE_HEIGHT - 64.0;
const CELL_PAD: f32 = 3.0;

/// An sRGB colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Colour(pub u8, pub u8, pub u8);

pub const TEXT: Colour = Colour(0x21, 0x2b, 0x32);
pub const BLUE: Colour = Colour(0x00, 0x5e, 0xb8);
pub const RED: Colour = Colour(0xd5, 0x28, 0x1b);
pub const GREY: Colour = Colour(0x4c, 0x62, 0x72);
pub const BORDER: Colour = Colour(0xae, 0xb7, 0xbd);
pub const SHADE: Colour = Colour(0xe8, 0xed, 0xee);
pub const WATERMARK: Colour = Colour(0xf2, 0xc8, 0xc4);

/// One thing drawn on a page.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    Text {
        x: f32,
        y: f32,
        size: f32,
        weight: Weight,
        colour: Colour,
        text: String,
    },
    Line {
        from: (f32, f32),
        to: (f32, f32),
        colour: Colour,
    },
    Fill {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        colour: Colour,
    },
    /// Large and pale, across the middle of the page, under everything else.
    Watermark(String),
}

/// The watermark's size and angle (degrees, anticlockwise).
pub const WATERMARK_SIZE: f32 = 96.0;
pub const WATERMARK_ANGLE: f32 = 35.0;

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Page {
    pub items: Vec<Item>,
}

impl Page {
    /// The page's text, line by line in drawing order (for tests and checks).
    pub fn texts(&self) -> impl Iterator<Item = &str> {
        self.items.iter().filter_map(|i| match i {
            Item::Text { text, .. } | Item::Watermark(text) => Some(text.as_str()),
            _ => None,
        })
    }
}

/// A document laid out.
#[derive(Debug, Clone, PartialEq)]
pub struct Laid {
    pub title: String,
    pub pages: Vec<Page>,
}

/// How text of a style is set: size, weight, colour.
fn font(style: Style, in_table: bool) -> (f32, Weight, Colour) {
    let size = if in_table { 9.0 } else { 10.0 };
    match style {
        Style::Body => (size, Weight::Regular, TEXT),
        Style::Strong => (size, Weight::Bold, TEXT),
        Style::Alert => (size, Weight::Bold, RED),
        Style::Muted => (8.5, Weight::Regular, GREY),
    }
}

fn leading(size: f32) -> f32 {
    size * 1.3
}

/// `text` broken into lines no wider than `max`: at spaces, and within a word too
/// long for a line. A newline in `text` always breaks.
pub fn wrap(text: &str, weight: Weight, size: f32, max: f32) -> Vec<String> {
    let mut lines = Vec::new();
    for para in text.split('\n') {
        let para = printable(para);
        let mut line = String::new();
        for word in para.split(' ').filter(|w| !w.is_empty()) {
            let candidate = if line.is_empty() {
                word.to_owned()
            } else {
                format!("{line} {word}")
            };
            if width(&candidate, weight, size) <= max {
                line = candidate;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            // A word wider than the line goes character by character.
            for c in word.chars() {
                line.push(c);
                if width(&line, weight, size) > max && line.chars().count() > 1 {
                    line.pop();
                    lines.push(std::mem::replace(&mut line, c.to_string()));
                }
            }
        }
        lines.push(line);
    }
    lines
}

/// Where the next line goes.
struct Cursor {
    pages: Vec<Page>,
    y: f32,
}

impl Cursor {
    fn room(&self) -> f32 {
        BODY_BOTTOM - self.y
    }

    fn new_page(&mut self) {
        self.pages.push(Page::default());
        self.y = BODY_TOP;
    }

    fn push(&mut self, item: Item) {
        if let Some(page) = self.pages.last_mut() {
            page.items.push(item);
        }
    }

    fn text(&mut self, x: f32, y: f32, (size, weight, colour): (f32, Weight, Colour), text: String) {
        self.push(Item::Text {
            x,
            y,
            size,
            weight,
            colour,
            text,
        });
    }

    fn line(&mut self, from: (f32, f32), to: (f32, f32)) {
        self.push(Item::Line {
            from,
            to,
            colour: BORDER,
        });
    }
}

/// Lay `doc` out on A4 pages.
pub fn lay_out(doc: &Document) -> Laid {
    let mut c = Cursor {
        pages: Vec::new(),
        y: BODY_TOP,
    };
    c.new_page();
    for (i, block) in doc.blocks.iter().enumerate() {
        match block {
            Block::Heading(text) => {
                let size = 13.0;
                // A heading is kept with at least the start of what follows it.
                let next = doc.blocks.get(i + 1).map_or(0.0, |_| 3.0 * leading(10.0));
                if c.y > BODY_TOP && c.room() < 10.0 + leading(size) + next {
                    c.new_page();
                }
                if c.y > BODY_TOP {
                    c.y += 10.0;
                }
                for line in wrap(text, Weight::Bold, size, CONTENT_WIDTH) {
                    c.y += size;
                    c.text(MARGIN, c.y, (size, Weight::Bold, BLUE), line);
                    c.y += leading(size) - size;
                }
                c.y += 3.0;
            }
            Block::Paragraph(style, text) => paragraph(&mut c, *style, text),
            Block::Table(table) => lay_table(&mut c, table),
        }
    }
    let total = c.pages.len();
    let mut pages = c.pages;
    for (n, page) in pages.iter_mut().enumerate() {
        let mut items = Vec::new();
        if let Some(w) = &doc.imprint.watermark {
            items.push(Item::Watermark(printable(w)));
        }
        items.extend(furniture(doc, n + 1, total));
        items.append(&mut page.items);
        page.items = items;
    }
    Laid {
        title: printable(&doc.title),
        pages,
    }
}

fn paragraph(c: &mut Cursor, style: Style, text: &str) {
    let f = font(style, false);
    c.y += 4.0;
    for line in wrap(text, f.1, f.0, CONTENT_WIDTH) {
        if c.room() < leading(f.0) {
            c.new_page();
        }
        c.y += f.0;
        c.text(MARGIN, c.y, f, line);
        c.y += leading(f.0) - f.0;
    }
    c.y += 2.0;
}

/// The header and footer of page `n` of `total`.
fn furniture(doc: &Document, n: usize, total: usize) -> Vec<Item> {
    let id = &doc.identity;
    let right = |text: &str, size: f32, weight: Weight| PAGE_WIDTH - MARGIN - width(text, weight, size);
    let who = printable(&format!("{}    {}", id.nhs_number, id.date_of_birth));
    let page_no = format!("Page {n} of {total}");
    let printed = printable(&doc.imprint.line());
    let text = |x: f32, y: f32, size: f32, weight: Weight, colour: Colour, text: String| Item::Text {
        x,
        y,
        size,
        weight,
        colour,
        text,
    };
    // The name and the NHS number with date of birth never overlap: a name too long
    // to sit beside them takes the line alone, made smaller to fit (never cut: the
    // print's check reads it back whole), and the title shares the second line with
    // them, cut short to the room left (hostile review: a long name covered the NHS
    // number on every page).
    let name = printable(&id.name);
    let who_x = right(&who, 10.0, Weight::Bold);
    let gap = 12.0;
    let (name_size, who_y) = if MARGIN + width(&name, Weight::Bold, 12.0) + gap <= who_x {
        (12.0, 44.0)
    } else {
        let fitted = 12.0 * CONTENT_WIDTH / width(&name, Weight::Bold, 12.0).max(1.0);
        (fitted.clamp(5.0, 12.0), 60.0)
    };
    let title = printable(&doc.title);
    let title = if who_y == 60.0 {
        fit_with_ellipsis(&title, Weight::Regular, 10.0, who_x - gap - MARGIN)
    } else {
        title
    };
    vec![
        text(MARGIN, 44.0, name_size, Weight::Bold, TEXT, name),
        text(who_x, who_y, 10.0, Weight::Bold, TEXT, who),
        text(MARGIN, 60.0, 10.0, Weight::Regular, BLUE, title),
        Item::Line {
            from: (MARGIN, 68.0),
            to: (PAGE_WIDTH - MARGIN, 68.0),
            colour: BLUE,
        },
        Item::Line {
            from: (MARGIN, PAGE_HEIGHT - 50.0),
            to: (PAGE_WIDTH - MARGIN, PAGE_HEIGHT - 50.0),
            colour: BORDER,
        },
        text(MARGIN, PAGE_HEIGHT - 38.0, 8.0, Weight::Regular, GREY, printed),
        text(
            right(&page_no, 9.0, Weight::Bold),
            PAGE_HEIGHT - 38.0,
            9.0,
            Weight::Bold,
            TEXT,
            page_no,
        ),
    ]
}

/// `text` cut short with "…" to fit `room` points, or whole if it fits.
fn fit_with_ellipsis(text: &str, weight: Weight, size: f32, room: f32) -> String {
    if width(text, weight, size) <= room {
        return text.to_owned();
    }
    let mut out: String = text.to_owned();
    while !out.is_empty() && width(&format!("{out}…"), weight, size) > room {
        out.pop();
    }
    format!("{}…", out.trim_end())
}

/// A row's cells laid out: each cell's x, width, style and lines.
struct LaidRow {
    cells: Vec<(f32, f32, Style, Vec<String>)>,
    shaded: bool,
}

impl LaidRow {
    fn new(cells: &[Cell], edges: &[f32], shaded: bool) -> Self {
        let mut out = Vec::new();
        let mut col = 0;
        for cell in cells {
            if col >= edges.len() - 1 {
                break;
            }
            let end = (col + cell.span).min(edges.len() - 1);
            let (x, w) = (edges[col], edges[end] - edges[col]);
            let f = font(cell.style, true);
            out.push((x, w, cell.style, wrap(&cell.text, f.1, f.0, w - 2.0 * CELL_PAD)));
            col = end;
        }
        Self { cells: out, shaded }
    }

    fn line_count(&self) -> usize {
        self.cells.iter().map(|c| c.3.len()).max().unwrap_or(1).max(1)
    }
}

const TABLE_LEADING: f32 = 9.0 * 1.3;

fn row_height(lines: usize) -> f32 {
    lines as f32 * TABLE_LEADING + 2.0 * CELL_PAD
}

fn lay_table(c: &mut Cursor, table: &Table) {
    let total: f32 = table.columns.iter().map(|(_, w)| w.max(0.0)).sum::<f32>().max(1.0);
    let mut edges = vec![MARGIN];
    for (_, w) in &table.columns {
        let last = edges[edges.len() - 1];
        edges.push(last + CONTENT_WIDTH * w.max(0.0) / total);
    }
    let header = table.has_header().then(|| {
        let cells: Vec<Cell> = table.columns.iter().map(|(l, _)| Cell::label(l.clone())).collect();
        LaidRow::new(&cells, &edges, true)
    });
    let header_height = header.as_ref().map_or(0.0, |h| row_height(h.line_count()));
    c.y += 4.0;
    let first = table.rows.first().map(|r| LaidRow::new(r, &edges, false));
    let first_height = first.as_ref().map_or(0.0, |r| row_height(r.line_count().min(3)));
    if c.y > BODY_TOP && c.room() < header_height + first_height {
        c.new_page();
    }
    if let Some(h) = &header {
        draw_row(c, h, &edges, 0, h.line_count());
    }
    let body_height = BODY_BOTTOM - BODY_TOP - header_height;
    for cells in &table.rows {
        let row = LaidRow::new(cells, &edges, false);
        let n = row.line_count();
        let mut start = 0;
        while start < n {
            let fit = ((c.room() - 2.0 * CELL_PAD) / TABLE_LEADING).floor().max(0.0) as usize;
            // A row that fits on a page of its own is not split; one taller is.
            let whole = row_height(n - start) <= body_height;
            if fit == 0 || (fit < n - start && whole) {
                c.new_page();
                if let Some(h) = &header {
                    draw_row(c, h, &edges, 0, h.line_count());
                }
                continue;
            }
            let take = fit.min(n - start);
            draw_row(c, &row, &edges, start, start + take);
            start += take;
        }
    }
    c.y += 4.0;
}

/// Lines `from..to` of a row, boxed, at the cursor.
fn draw_row(c: &mut Cursor, row: &LaidRow, edges: &[f32], from: usize, to: usize) {
    let top = c.y;
    let height = row_height(to - from);
    let (left, right) = (edges[0], edges[edges.len() - 1]);
    if row.shaded {
        c.push(Item::Fill {
            x: left,
            y: top,
            w: right - left,
            h: height,
            colour: SHADE,
        });
    }
    for (x, _, style, lines) in &row.cells {
        let f = font(*style, true);
        let mut y = top + CELL_PAD;
        for line in lines.iter().take(to).skip(from) {
            y += f.0;
            c.text(x + CELL_PAD, y, f, line.clone());
            y += TABLE_LEADING - f.0;
        }
    }
    c.line((left, top), (right, top));
    c.line((left, top + height), (right, top + height));
    c.line((left, top), (left, top + height));
    for (x, w, _, _) in &row.cells {
        c.line((x + w, top), (x + w, top + height));
    }
    c.y = top + height;
}
