//! The analysis' types as protocol types. Byte ranges become positions in the negotiated
//! encoding here, and nowhere else.

use std::collections::HashMap;
use std::ops::Range;

use tower_lsp_server::ls_types::{
    self as lsp, CodeAction, CodeActionKind, CodeActionOrCommand, CodeDescription, DocumentChanges,
    DocumentSymbol, FoldingRange, Location, NumberOrString, OneOf,
    OptionalVersionedTextDocumentIdentifier, SymbolInformation, SymbolKind, TextDocumentEdit,
    TextEdit, Uri, WorkspaceEdit,
};

use super::encoding::{self, PositionMap};
use crate::analysis::{Analysis, Diagnostic, Document, Encoding, Fix, Severity};

/// The `source` of every diagnostic.
pub(crate) const SOURCE: &str = "policy-lsp";

/// Where each rule is documented: this plus the rule's name (the README's rule headings).
pub(crate) const RULE_DOCS: &str = "https://github.com/policy-lsp/policy-lsp/blob/main/README.md#";

pub(crate) fn severity(severity: Severity) -> lsp::DiagnosticSeverity {
    match severity {
        Severity::Error => lsp::DiagnosticSeverity::ERROR,
        Severity::Warning => lsp::DiagnosticSeverity::WARNING,
        Severity::Information => lsp::DiagnosticSeverity::INFORMATION,
        Severity::Hint => lsp::DiagnosticSeverity::HINT,
    }
}

/// Converts byte ranges of one document, sharing one sweep over its text.
pub(crate) struct Ranges<'a> {
    doc: &'a Document,
    encoding: Encoding,
    map: PositionMap,
}

impl<'a> Ranges<'a> {
    pub(crate) fn new<'r>(
        doc: &'a Document,
        encoding: Encoding,
        ranges: impl IntoIterator<Item = &'r Range<usize>>,
    ) -> Self {
        let offsets = ranges.into_iter().flat_map(|r| [r.start, r.end]);
        let map = PositionMap::new(&doc.text, &doc.lines, encoding, offsets);
        Ranges { doc, encoding, map }
    }

    pub(crate) fn position(&self, offset: usize) -> lsp::Position {
        self.map
            .get(&self.doc.text, &self.doc.lines, offset, self.encoding)
    }

    pub(crate) fn range(&self, range: &Range<usize>) -> lsp::Range {
        let start = self.position(range.start);
        let end = self.position(range.end.max(range.start));
        lsp::Range::new(start, end)
    }
}

/// Every finding of an analysis, in order.
pub(crate) fn diagnostics(analysis: &Analysis, encoding: Encoding) -> Vec<lsp::Diagnostic> {
    let ranges = Ranges::new(
        &analysis.document,
        encoding,
        analysis.diagnostics.iter().map(|d| &d.range),
    );
    analysis
        .diagnostics
        .iter()
        .map(|d| diagnostic(d, &ranges))
        .collect()
}

fn diagnostic(d: &Diagnostic, ranges: &Ranges<'_>) -> lsp::Diagnostic {
    lsp::Diagnostic {
        range: ranges.range(&d.range),
        severity: Some(severity(d.severity)),
        code: Some(NumberOrString::String(d.rule.to_owned())),
        code_description: format!("{RULE_DOCS}{}", d.rule)
            .parse()
            .ok()
            .map(|href| CodeDescription { href }),
        source: Some(SOURCE.to_owned()),
        message: d.message.clone(),
        related_information: None,
        tags: None,
        data: None,
    }
}

/// How a workspace edit is spelled for this client.
#[derive(Clone, Copy)]
pub(crate) struct EditStyle {
    /// `documentChanges` with the document's version, which lets the client refuse an
    /// edit computed for an older text; else the plain `changes` map.
    pub document_changes: bool,
}

/// Quick fixes for the findings that touch `range` (byte offsets, ends inclusive).
/// `lsp_diagnostics` are the findings as published, index for index.
pub(crate) fn quick_fixes(
    uri: &Uri,
    version: i32,
    analysis: &Analysis,
    lsp_diagnostics: &[lsp::Diagnostic],
    range: Range<usize>,
    encoding: Encoding,
    style: EditStyle,
) -> Vec<CodeActionOrCommand> {
    let doc = &analysis.document;
    let touched: Vec<(&Diagnostic, &lsp::Diagnostic, &Fix)> = analysis
        .diagnostics
        .iter()
        .zip(lsp_diagnostics)
        .filter(|(d, _)| d.range.start <= range.end && range.start <= d.range.end)
        .filter_map(|(d, l)| Some((d, l, d.fix.as_ref()?)))
        .filter(|(_, _, fix)| edits_are_valid(doc, fix))
        .collect();
    let ranges = Ranges::new(
        doc,
        encoding,
        touched
            .iter()
            .flat_map(|(_, _, fix)| fix.edits.iter().map(|e| &e.range)),
    );
    touched
        .into_iter()
        .map(|(_, lsp_diagnostic, fix)| {
            let edits: Vec<TextEdit> = fix
                .edits
                .iter()
                .map(|e| TextEdit::new(ranges.range(&e.range), e.replacement.clone()))
                .collect();
            CodeActionOrCommand::CodeAction(CodeAction {
                title: fix.title.clone(),
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![lsp_diagnostic.clone()]),
                edit: Some(workspace_edit(uri, version, edits, style)),
                is_preferred: Some(true),
                ..CodeAction::default()
            })
        })
        .collect()
}

/// A fix is offered only if every edit lies on character boundaries of the text and no two
/// overlap: an edit that cannot be applied exactly is not applied at all.
fn edits_are_valid(doc: &Document, fix: &Fix) -> bool {
    let mut ranges: Vec<&Range<usize>> = fix.edits.iter().map(|e| &e.range).collect();
    ranges.sort_by_key(|r| (r.start, r.end));
    let in_text = ranges.iter().all(|r| {
        r.start <= r.end
            && r.end <= doc.text.len()
            && doc.text.is_char_boundary(r.start)
            && doc.text.is_char_boundary(r.end)
    });
    !fix.edits.is_empty() && in_text && ranges.windows(2).all(|w| w[0].end <= w[1].start)
}

fn workspace_edit(uri: &Uri, version: i32, edits: Vec<TextEdit>, style: EditStyle) -> WorkspaceEdit {
    if style.document_changes {
        WorkspaceEdit {
            document_changes: Some(DocumentChanges::Edits(vec![TextDocumentEdit {
                text_document: OptionalVersionedTextDocumentIdentifier {
                    uri: uri.clone(),
                    version: Some(version),
                },
                edits: edits.into_iter().map(OneOf::Left).collect(),
            }])),
            ..WorkspaceEdit::default()
        }
    } else {
        WorkspaceEdit {
            changes: Some(HashMap::from([(uri.clone(), edits)])),
            ..WorkspaceEdit::default()
        }
    }
}

/// A section's symbol name: its heading on one line.
fn heading_name(doc: &Document, heading: &Range<usize>) -> String {
    let text = doc.text.get(heading.clone()).unwrap_or_default();
    let name = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() {
        "(untitled section)".to_owned()
    } else {
        name
    }
}

/// Words in a range of the prose (markup and code blanked out).
fn word_count(doc: &Document, range: &Range<usize>) -> usize {
    doc.prose
        .get(range.clone())
        .unwrap_or_default()
        .split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .count()
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// One section as a symbol, children not yet attached, with its level.
struct Flat {
    level: u8,
    symbol: DocumentSymbol,
}

fn section_symbols(analysis: &Analysis, encoding: Encoding) -> Vec<Flat> {
    let doc = &analysis.document;
    let ranges = Ranges::new(
        doc,
        encoding,
        doc.sections.iter().flat_map(|s| [&s.range, &s.heading]),
    );
    let findings = &analysis.diagnostics;
    doc.sections
        .iter()
        .map(|section| {
            // The whole section must contain its heading (`selectionRange ⊆ range`).
            let whole = section.range.start.min(section.heading.start)
                ..section.range.end.max(section.heading.end);
            let first = findings.partition_point(|d| d.range.start < whole.start);
            let last = findings.partition_point(|d| d.range.start < whole.end);
            let found = last.saturating_sub(first);
            let mut detail = plural(word_count(doc, &whole), "word", "words");
            if found > 0 {
                detail += &format!(" · {}", plural(found, "finding", "findings"));
            }
            let full = lsp::Range::new(
                ranges.position(whole.start),
                ranges.position(whole.end),
            );
            #[allow(deprecated)]
            let symbol = DocumentSymbol {
                name: heading_name(doc, &section.heading),
                detail: Some(detail),
                kind: SymbolKind::STRING,
                tags: None,
                deprecated: None,
                range: full,
                selection_range: ranges.range(&section.heading),
                children: None,
            };
            Flat {
                level: section.level,
                symbol,
            }
        })
        .collect()
}

/// The outline as a tree: each section holds the following sections of deeper levels.
/// Built with an explicit stack, so no depth of nesting can overflow anything.
pub(crate) fn document_symbols(analysis: &Analysis, encoding: Encoding) -> Vec<DocumentSymbol> {
    fn attach(roots: &mut Vec<DocumentSymbol>, stack: &mut [Flat], symbol: DocumentSymbol) {
        match stack.last_mut() {
            Some(parent) => parent.symbol.children.get_or_insert_with(Vec::new).push(symbol),
            None => roots.push(symbol),
        }
    }
    let mut roots = Vec::new();
    let mut stack: Vec<Flat> = Vec::new();
    for flat in section_symbols(analysis, encoding) {
        while stack.last().is_some_and(|top| top.level >= flat.level) {
            if let Some(done) = stack.pop() {
                attach(&mut roots, &mut stack, done.symbol);
            }
        }
        stack.push(flat);
    }
    while let Some(done) = stack.pop() {
        attach(&mut roots, &mut stack, done.symbol);
    }
    roots
}

/// The outline for clients without hierarchical symbols: one flat list in document order,
/// each entry naming its parent section.
pub(crate) fn flat_symbols(uri: &Uri, analysis: &Analysis, encoding: Encoding) -> Vec<SymbolInformation> {
    let mut stack: Vec<(u8, String)> = Vec::new();
    section_symbols(analysis, encoding)
        .into_iter()
        .map(|flat| {
            while stack.last().is_some_and(|(level, _)| *level >= flat.level) {
                stack.pop();
            }
            let container_name = stack.last().map(|(_, name)| name.clone());
            stack.push((flat.level, flat.symbol.name.clone()));
            #[allow(deprecated)]
            SymbolInformation {
                name: flat.symbol.name,
                kind: flat.symbol.kind,
                tags: None,
                deprecated: None,
                location: Location::new(uri.clone(), flat.symbol.range),
                container_name,
            }
        })
        .collect()
}

/// The last line of a range that holds something other than whitespace.
fn last_line(doc: &Document, range: &Range<usize>) -> usize {
    let end = range.end.min(doc.text.len());
    let start = range.start.min(end);
    let content = doc.text.get(start..end).unwrap_or_default().trim_end();
    let last = (start + content.len()).saturating_sub(1).max(start);
    doc.lines.line_of(last)
}

/// Folding ranges for sections and for block quotes of more than one line. Lines need no
/// encoding.
pub(crate) fn folding_ranges(analysis: &Analysis, limit: Option<usize>) -> Vec<FoldingRange> {
    let doc = &analysis.document;
    let sections = doc.sections.iter().map(|s| &s.range);
    let quotes = doc.block_quotes.iter().map(|q| &q.range);
    let mut folds: Vec<FoldingRange> = sections
        .chain(quotes)
        .filter_map(|range| {
            let start_line = doc.lines.line_of(range.start.min(doc.text.len()));
            let end_line = last_line(doc, range);
            (end_line > start_line).then(|| FoldingRange {
                start_line: start_line as u32,
                end_line: end_line as u32,
                ..FoldingRange::default()
            })
        })
        .collect();
    folds.sort_by_key(|f| (f.start_line, std::cmp::Reverse(f.end_line)));
    folds.dedup_by_key(|f| (f.start_line, f.end_line));
    if let Some(limit) = limit {
        folds.truncate(limit);
    }
    folds
}

/// The byte range of a protocol range in the analysed text.
pub(crate) fn byte_range(doc: &Document, range: lsp::Range, encoding: Encoding) -> Range<usize> {
    let start = encoding::offset(&doc.text, &doc.lines, range.start, encoding);
    let end = encoding::offset(&doc.text, &doc.lines, range.end, encoding);
    start.min(end)..start.max(end)
}
