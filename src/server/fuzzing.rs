//! Not an API: the server's document store and its position conversions, reachable from
//! outside the crate only for the fuzzers (`fuzz/`) and the property tests
//! (`tests/properties.rs`), which check guarantee 2 of ARCHITECTURE.md against them. Hidden
//! from the documentation; it may change at any time.

use tower_lsp_server::ls_types as lsp;

use super::documents::TextDocument;
use super::to_proto;
use crate::analysis::{Analysis, DocumentKind, Encoding};

/// A protocol range as `[start line, start character, end line, end character]`, the
/// characters counted in the negotiated encoding.
pub type ProtoRange = [u32; 4];

/// One open document as the server keeps it (a rope, edited in place).
pub struct Document(TextDocument);

impl Document {
    pub fn new(text: &str) -> Self {
        Document(TextDocument::new(text, 0, DocumentKind::PlainText))
    }

    /// Applies one `didChange` content change exactly as the server does: `None` replaces
    /// the whole text; a range is clamped into the document.
    pub fn edit(&mut self, range: Option<ProtoRange>, text: &str, encoding: Encoding) {
        let change = lsp::TextDocumentContentChangeEvent {
            range: range.map(|[l1, c1, l2, c2]| {
                lsp::Range::new(lsp::Position::new(l1, c1), lsp::Position::new(l2, c2))
            }),
            range_length: None,
            text: text.to_owned(),
        };
        let version = self.0.version.wrapping_add(1);
        self.0.apply_changes(vec![change], version, encoding);
    }

    pub fn text(&self) -> String {
        self.0.text()
    }
}

/// The ranges of an analysis's findings as the server publishes them in `encoding`.
pub fn diagnostic_ranges(analysis: &Analysis, encoding: Encoding) -> Vec<ProtoRange> {
    to_proto::diagnostics(analysis, encoding)
        .into_iter()
        .map(|d| {
            let (s, e) = (d.range.start, d.range.end);
            [s.line, s.character, e.line, e.character]
        })
        .collect()
}
