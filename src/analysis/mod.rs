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

pub use diagnostic::{Diagnostic, Edit, Fix, Message, Severity};
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
        drop_suppressed(&document, &mut diagnostics);
        diagnostics.sort_by(finding_order);
        Analysis {
            document,
            diagnostics,
        }
    }

    /// [`Analysis::new`] of the findings `first` followed by `rest`, when `first` is
    /// usually sorted already (the incremental analysis's block-rule findings, sorted
    /// chunk by chunk): the same findings in the same order, from a merge instead of a
    /// sort of them all.
    pub(crate) fn merged(
        document: Document,
        mut first: Vec<Diagnostic>,
        mut rest: Vec<Diagnostic>,
    ) -> Analysis {
        drop_suppressed(&document, &mut first);
        drop_suppressed(&document, &mut rest);
        // A stable sort of the two lists laid end to end is a stable merge of each sorted:
        // on equal keys, `first`'s findings stay ahead.
        if !first.is_sorted_by(|a, b| finding_order(a, b).is_le()) {
            first.sort_by(finding_order);
        }
        rest.sort_by(finding_order);
        let mut diagnostics = Vec::with_capacity(first.len() + rest.len());
        let mut rest = rest.into_iter().peekable();
        for finding in first {
            while let Some(earlier) = rest.next_if(|r| finding_order(r, &finding).is_lt()) {
                diagnostics.push(earlier);
            }
            diagnostics.push(finding);
        }
        diagnostics.extend(rest);
        Analysis {
            document,
            diagnostics,
        }
    }
}

/// The order of an analysis's findings: by position, then rule.
pub(crate) fn finding_order(a: &Diagnostic, b: &Diagnostic) -> std::cmp::Ordering {
    (a.range.start, a.range.end, a.rule).cmp(&(b.range.start, b.range.end, b.rule))
}

/// Drops the findings `document`'s inline comments suppress.
fn drop_suppressed(document: &Document, diagnostics: &mut Vec<Diagnostic>) {
    if document.suppressions.is_empty() {
        return;
    }
    diagnostics.retain(|d| {
        let line = document.lines.line_of(d.range.start);
        !document.suppressions.is_suppressed(d.rule, line)
    });
}

/// Reads a draft and runs every enabled rule on it.
pub fn analyze(text: &str, kind: DocumentKind, config: &Config) -> Analysis {
    let document = Document::parse(text, kind, config);
    let diagnostics = rules::run_all(&document, config);
    Analysis::new(document, diagnostics)
}
