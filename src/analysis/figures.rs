//! Figures (RULES.md §3). Filled in by the figure work.

use std::ops::Range;

use super::document::Document;
use crate::config::Config;

/// A number with its scale word, and the unit attached to it if any.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Figure {
    /// The number and any scale word: `30 trillion`, `1.2m`, `5,000억`.
    pub range: Range<usize>,
    pub block: usize,
    /// The unit's range, if the figure has one.
    pub unit: Option<Range<usize>>,
}

pub(crate) fn find(doc: &Document, config: &Config) -> Vec<Figure> {
    let _ = (doc, config);
    Vec::new()
}
