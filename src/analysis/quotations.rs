//! Quotations (RULES.md §2). Filled in by the quotation work.

use std::ops::Range;

use super::document::Document;

/// Text between paired quote marks, or a Markdown block quote.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Quotation {
    /// The quotation with its marks (for a block quote: its text after `> `).
    pub range: Range<usize>,
    /// Index of the block it sits in.
    pub block: usize,
}

/// A quote mark with no partner in its paragraph.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QuoteMark {
    pub range: Range<usize>,
    pub block: usize,
}

pub(crate) fn find(doc: &Document) -> (Vec<Quotation>, Vec<QuoteMark>) {
    let _ = doc;
    (Vec::new(), Vec::new())
}
