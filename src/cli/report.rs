//! What the output formats render: each checked draft with its findings, and positions in
//! the units people and CI tools count (1-based lines, Unicode-character columns).

use std::ops::Range;
use std::path::PathBuf;

use serde::Serialize;

use crate::analysis::{Analysis, Diagnostic, Encoding, Severity};

/// One checked draft.
pub struct FileReport {
    /// The path as reports show it.
    pub path: PathBuf,
    pub analysis: Analysis,
}

/// A range as 1-based lines and columns, columns counted in Unicode characters; the end is
/// exclusive (the column just after the last character).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Location {
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
}

impl FileReport {
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.analysis.diagnostics
    }

    /// The path with `/` separators, as URIs and CI annotations want it.
    pub fn slash_path(&self) -> String {
        let path = self.path.to_string_lossy();
        if std::path::MAIN_SEPARATOR == '/' {
            path.into_owned()
        } else {
            path.replace(std::path::MAIN_SEPARATOR, "/")
        }
    }

    pub fn location(&self, range: &Range<usize>) -> Location {
        let document = &self.analysis.document;
        let at = |offset| {
            document
                .lines
                .position(&document.text, offset, Encoding::Utf32)
        };
        let (start, end) = (at(range.start), at(range.end));
        Location {
            line: start.line + 1,
            column: start.column + 1,
            end_line: end.line + 1,
            end_column: end.column + 1,
        }
    }
}

/// Counts of findings by severity, indexed by the severity's discriminant (the order of
/// [`Severity::ALL`]).
#[derive(Clone, Copy, Debug, Default)]
pub struct Tally([usize; Severity::ALL.len()]);

impl Tally {
    pub fn of(files: &[FileReport]) -> Self {
        let mut tally = Tally::default();
        for diagnostic in files.iter().flat_map(FileReport::diagnostics) {
            tally.0[diagnostic.severity as usize] += 1;
        }
        tally
    }

    pub fn count(&self, severity: Severity) -> usize {
        self.0[severity as usize]
    }
}
