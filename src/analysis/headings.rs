//! Headings and sections (RULES.md §1). Filled in by the structure work.

use std::ops::Range;

use super::document::Document;

/// A section of the draft: its heading and everything up to the next heading of the same
/// or a higher level.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Section {
    /// 1 for the title or top-level sections.
    pub level: u8,
    /// Index of the heading block.
    pub block: usize,
    /// The heading text as written (numbering kept, Markdown markers removed).
    pub heading: Range<usize>,
    /// From the heading to the end of the section's last block.
    pub range: Range<usize>,
}

pub(crate) fn build_sections(doc: &mut Document) -> Vec<Section> {
    let _ = doc;
    Vec::new()
}
