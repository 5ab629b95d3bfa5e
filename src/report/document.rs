//! A printable document before it is laid out: whose it is (printed in every
//! page's header), who printed it and when (every page's footer), and its body as
//! headed sections, paragraphs and tables. Made from values the service has
//! already disclosed; `layout` lays it out on A4 pages.

use chrono::NaiveDateTime;

use crate::domain::Person;
use crate::domain::dates::fmt_date;

/// A document to print.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// What it is: `Care record summary`.
    pub title: String,
    pub identity: Identity,
    pub imprint: Imprint,
    pub blocks: Vec<Block>,
}

/// Whose document it is: on every page, so no page can be separated from them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    /// `O'NEILL, Ann` (family name in capitals).
    pub name: String,
    /// `NHS number 999 000 0026`, or that it is not known.
    pub nhs_number: String,
    /// `Date of birth 05-Mar-1941`, or that it is not recorded.
    pub date_of_birth: String,
}

impl Identity {
    pub fn of(person: &Person) -> Self {
        Self {
            name: person.display_name(),
            // Without an NHS number the page names the record by the source's own id,
            // so a page is never of no one (hostile review).
            nhs_number: match (person.nhs_number, person.local_ids.first()) {
                (Some(n), _) => format!("NHS number {n}"),
                (None, Some(l)) => format!("NHS number not known; {} id {}", l.source, l.id),
                (None, None) => "NHS number not known".into(),
            },
            date_of_birth: match person.demographics.date_of_birth {
                Some(d) => format!("Date of birth {}", fmt_date(d)),
                None => "Date of birth not recorded".into(),
            },
        }
    }
}

/// Who printed it and when, and the training watermark.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Imprint {
    pub printed_by: String,
    pub printed_at: NaiveDateTime,
    /// Across every page (training mode).
    pub watermark: Option<String>,
}

impl Imprint {
    /// `Printed by anna on 06-Dec-2026 14:30 from the Joined-Up Care Record`.
    pub fn line(&self) -> String {
        format!(
            "Printed by {} on {} from the Joined-Up Care Record",
            self.printed_by,
            self.printed_at.format("%d-%b-%Y %H:%M")
        )
    }
}

/// One part of the body, in reading order.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A section heading, kept with what follows it.
    Heading(String),
    /// Text that wraps at the page's width.
    Paragraph(Style, String),
    /// Rows under a header row that is repeated on every page the table runs onto.
    Table(Table),
}

/// How a paragraph or a cell is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Style {
    Body,
    /// Bold: labels and the rule outcome.
    Strong,
    /// Red and bold: an alert or a flag.
    Alert,
    /// Small and grey: notes, and placeholders for what is held back.
    Muted,
}

/// A table: its columns' labels and shares of the width, then its rows.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// Column labels (empty: no header row) and shares of the width (any units).
    pub columns: Vec<(String, f32)>,
    pub rows: Vec<Vec<Cell>>,
}

impl Table {
    /// A table with a header row.
    pub fn new(columns: &[(&str, f32)]) -> Self {
        Self {
            columns: columns.iter().map(|(l, w)| ((*l).to_owned(), *w)).collect(),
            rows: Vec::new(),
        }
    }

    /// A table of label and value pairs, without a header row: `shares` of the width.
    pub fn fields(shares: &[f32]) -> Self {
        Self {
            columns: shares.iter().map(|w| (String::new(), *w)).collect(),
            rows: Vec::new(),
        }
    }

    pub fn has_header(&self) -> bool {
        self.columns.iter().any(|(l, _)| !l.is_empty())
    }

    /// A row of plain cells.
    pub fn row<S: Into<String>>(&mut self, cells: impl IntoIterator<Item = S>) {
        self.rows
            .push(cells.into_iter().map(|t| Cell::new(Style::Body, t)).collect());
    }
}

/// One cell. A cell may span the columns after it (`span` > 1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    pub style: Style,
    pub text: String,
    pub span: usize,
}

impl Cell {
    pub fn new(style: Style, text: impl Into<String>) -> Self {
        Self {
            style,
            text: text.into(),
            span: 1,
        }
    }

    pub fn label(text: impl Into<String>) -> Self {
        Self::new(Style::Strong, text)
    }

    pub fn body(text: impl Into<String>) -> Self {
        Self::new(Style::Body, text)
    }

    /// This cell across `span` columns.
    pub fn spanning(mut self, span: usize) -> Self {
        self.span = span.max(1);
        self
    }
}

impl Document {
    pub fn heading(&mut self, text: impl Into<String>) {
        self.blocks.push(Block::Heading(text.into()));
    }

    pub fn paragraph(&mut self, style: Style, text: impl Into<String>) {
        self.blocks.push(Block::Paragraph(style, text.into()));
    }

    pub fn table(&mut self, table: Table) {
        self.blocks.push(Block::Table(table));
    }
}
