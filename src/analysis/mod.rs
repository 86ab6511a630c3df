//! The analysis core: text → structure → findings. Pure: no I/O, no protocol types, no
//! global state. Every front end (CLI, language server, benchmarks, tests) goes through
//! [`analyze`].

pub mod diagnostic;
pub mod document;
pub mod figures;
pub(crate) mod fnv;
pub mod headings;
pub mod incremental;
mod markdown;
mod mask;
pub mod numerals;
pub(crate) mod phrase;
mod plaintext;
pub mod quotations;
pub mod sentences;
pub mod suppress;
pub mod terms;
#[cfg(test)]
pub(crate) mod testing;
pub mod text;

pub use diagnostic::{Diagnostic, Edit, Fix, Severity};
pub use document::{Block, BlockKind, Document, DocumentKind};
pub use headings::Section;
pub use incremental::AnalysisCache;
pub use text::{Encoding, LineIndex, Position};

use crate::config::Config;
use crate::rules;

/// A draft and what the rules found in it.
#[derive(Clone, Debug)]
pub struct Analysis {
    pub document: Document,
    /// Sorted by position, then rule.
    pub diagnostics: Vec<Diagnostic>,
}

impl Analysis {
    /// The analysis of `document` from its rules' findings: those its inline comments
    /// suppress dropped, the rest sorted. [`analyze`] and the incremental analysis both
    /// end here, so they order findings alike.
    pub(crate) fn new(document: Document, mut diagnostics: Vec<Diagnostic>) -> Analysis {
        diagnostics.retain(|d| {
            let line = document.lines.line_of(d.range.start);
            !document.suppressions.is_suppressed(d.rule, line)
        });
        diagnostics.sort_by(|a, b| {
            (a.range.start, a.range.end, a.rule).cmp(&(b.range.start, b.range.end, b.rule))
        });
        Analysis {
            document,
            diagnostics,
        }
    }
}

/// Reads a draft and runs every enabled rule on it.
pub fn analyze(text: &str, kind: DocumentKind, config: &Config) -> Analysis {
    let document = Document::parse(text, kind, config);
    let diagnostics = rules::run_all(&document, config);
    Analysis::new(document, diagnostics)
}
