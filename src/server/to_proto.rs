//! The analysis' types as protocol types. Byte ranges become positions in the negotiated
//! encoding here, and nowhere else.

use std::collections::HashMap;
use std::ops::Range;

use tower_lsp_server::ls_types::{
    self as lsp, CodeDescription, DocumentChanges, DocumentSymbol, FoldingRange, Location,
    NumberOrString, OneOf, OptionalVersionedTextDocumentIdentifier, SymbolInformation, SymbolKind,
    TextDocumentEdit, TextEdit, Uri, WorkspaceEdit,
};

use super::encoding::{self, PositionMap};
use crate::analysis::{Analysis, Diagnostic, Document, Encoding, Section, Severity};

/// The `source` of every diagnostic.
pub(crate) const SOURCE: &str = "policy-lsp";

/// Where each rule is documented: this plus `NAME.md` (the pages `tests/rule_docs.rs`
/// generates from the rules' doc comments).
pub(crate) const RULE_DOCS: &str = "https://github.com/policy-lsp/policy-lsp/blob/main/docs/rules/";

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
    diagnostics_at(&analysis.diagnostics, &ranges(analysis, encoding))
}

/// Every finding's range, in order.
pub(crate) fn ranges(analysis: &Analysis, encoding: Encoding) -> Vec<lsp::Range> {
    let ranges = Ranges::new(
        &analysis.document,
        encoding,
        analysis.diagnostics.iter().map(|d| &d.range),
    );
    analysis
        .diagnostics
        .iter()
        .map(|d| ranges.range(&d.range))
        .collect()
}

/// Findings whose protocol ranges are known, index for index.
pub(crate) fn diagnostics_at(
    findings: &[Diagnostic],
    ranges: &[lsp::Range],
) -> Vec<lsp::Diagnostic> {
    let mut links = RuleLinks::default();
    findings
        .iter()
        .zip(ranges)
        .map(|(d, range)| diagnostic(d, *range, links.get(d.rule)))
        .collect()
}

/// Each rule's documentation link, parsed once rather than once per finding.
#[derive(Default)]
pub(crate) struct RuleLinks(Vec<(&'static str, Option<CodeDescription>)>);

impl RuleLinks {
    pub(crate) fn get(&mut self, rule: &'static str) -> Option<CodeDescription> {
        if let Some((_, link)) = self.0.iter().find(|(r, _)| *r == rule) {
            return link.clone();
        }
        let link = format!("{RULE_DOCS}{rule}.md")
            .parse()
            .ok()
            .map(|href| CodeDescription { href });
        self.0.push((rule, link.clone()));
        link
    }
}

/// One finding at `range`, linked to its rule's documentation.
pub(crate) fn diagnostic(
    d: &Diagnostic,
    range: lsp::Range,
    code_description: Option<CodeDescription>,
) -> lsp::Diagnostic {
    lsp::Diagnostic {
        range,
        severity: Some(severity(d.severity)),
        code: Some(NumberOrString::String(d.rule.to_owned())),
        code_description,
        source: Some(SOURCE.to_owned()),
        message: d.message.to_string(),
        related_information: None,
        tags: None,
        data: None,
    }
}

/// How a workspace edit is spelled for this client.
#[derive(Clone, Copy, Debug)]
pub(crate) struct EditStyle {
    /// `documentChanges` with the document's version, which lets the client refuse an
    /// edit computed for an older text; else the plain `changes` map.
    pub document_changes: bool,
}

/// A workspace edit of one document, versioned when the client takes `documentChanges`.
pub(crate) fn workspace_edit(
    uri: &Uri,
    version: i32,
    edits: Vec<TextEdit>,
    style: EditStyle,
) -> WorkspaceEdit {
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

/// The words of the prose (markup and code blanked out) — its whitespace-separated pieces
/// that hold a letter or a digit — counted at a set of offsets in one pass over the text,
/// then in any range between two of them without reading it again. Counting each section
/// anew read the text once per level of nesting (a top-level section spans most of the
/// draft): most of an outline's time on 1 MiB.
struct Words<'a> {
    prose: &'a str,
    /// The offsets asked for, sorted, each with the words that end at or before it and the
    /// piece that straddles it (starts before it and ends after it), if any.
    at: Vec<(usize, usize, Option<Range<usize>>)>,
}

impl<'a> Words<'a> {
    fn new(prose: &'a str, offsets: impl IntoIterator<Item = usize>) -> Self {
        let mut offsets: Vec<usize> = offsets.into_iter().collect();
        offsets.sort_unstable();
        offsets.dedup();
        let mut offsets = offsets.into_iter().peekable();
        let mut at = Vec::with_capacity(offsets.len());
        let mut count = 0;
        for piece in prose.split_whitespace() {
            let start = piece.as_ptr() as usize - prose.as_ptr() as usize;
            let end = start + piece.len();
            while let Some(x) = offsets.next_if(|&x| x <= start) {
                at.push((x, count, None));
            }
            while let Some(x) = offsets.next_if(|&x| x < end) {
                at.push((x, count, Some(start..end)));
            }
            count += usize::from(is_word(piece));
        }
        at.extend(offsets.map(|x| (x, count, None)));
        Words { prose, at }
    }

    /// As many as `prose[range].split_whitespace()` has words (a piece cut by an end of
    /// the range counts as what is left of it inside); both ends must be among the
    /// offsets given to [`Words::new`].
    fn count(&self, range: &Range<usize>) -> usize {
        if self.prose.get(range.clone()).is_none() || range.is_empty() {
            return 0;
        }
        let find = |x: usize| {
            let i = self.at.partition_point(|(y, ..)| *y < x);
            self.at.get(i).filter(|(y, ..)| *y == x)
        };
        let (Some((_, before_start, cut_start)), Some((_, before_end, cut_end))) =
            (find(range.start), find(range.end))
        else {
            debug_assert!(false, "an offset not counted at: {range:?}");
            return 0;
        };
        // The whole words inside: those that end by the end but not by the start, except
        // the one cut by the start.
        let mut n = before_end - before_start;
        if let Some(cut) = cut_start {
            if cut.end <= range.end && is_word(&self.prose[cut.clone()]) {
                n -= 1;
            }
            n += usize::from(is_word(&self.prose[range.start..cut.end.min(range.end)]));
        }
        if let Some(cut) = cut_end.as_ref().filter(|c| c.start >= range.start) {
            n += usize::from(is_word(&self.prose[cut.start..range.end]));
        }
        n
    }
}

fn is_word(piece: &str) -> bool {
    piece.bytes().any(|b| b.is_ascii_alphanumeric())
        || (!piece.is_ascii() && piece.chars().any(char::is_alphanumeric))
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// One section as a symbol, children not yet attached, with its level.
struct Flat {
    level: u8,
    symbol: DocumentSymbol,
}

/// The whole section, which must contain its heading (`selectionRange ⊆ range`).
fn whole_section(section: &Section) -> Range<usize> {
    section.range.start.min(section.heading.start)..section.range.end.max(section.heading.end)
}

fn section_symbols(analysis: &Analysis, encoding: Encoding) -> Vec<Flat> {
    let doc = &analysis.document;
    let ranges = Ranges::new(
        doc,
        encoding,
        doc.sections.iter().flat_map(|s| [&s.range, &s.heading]),
    );
    let findings = &analysis.diagnostics;
    let words = Words::new(
        &doc.prose,
        doc.sections.iter().flat_map(|s| {
            let whole = whole_section(s);
            [whole.start, whole.end]
        }),
    );
    doc.sections
        .iter()
        .map(|section| {
            let whole = whole_section(section);
            let first = findings.partition_point(|d| d.range.start < whole.start);
            let last = findings.partition_point(|d| d.range.start < whole.end);
            let found = last.saturating_sub(first);
            let mut detail = plural(words.count(&whole), "word", "words");
            if found > 0 {
                detail += &format!(" · {}", plural(found, "finding", "findings"));
            }
            let full = lsp::Range::new(ranges.position(whole.start), ranges.position(whole.end));
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
            Some(parent) => parent
                .symbol
                .children
                .get_or_insert_with(Vec::new)
                .push(symbol),
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
pub(crate) fn flat_symbols(
    uri: &Uri,
    analysis: &Analysis,
    encoding: Encoding,
) -> Vec<SymbolInformation> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::document::BlockQuote;
    use crate::analysis::{analyze, DocumentKind, Fix};
    use crate::config::Config;

    const ALL: [Encoding; 3] = [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32];

    #[test]
    fn words_in_any_range_as_if_counted_there() {
        let prose = "  One two-3 — «x» 제4조 규정\u{3000}적용 😀 ... 42\r\n\tend, - 🇰🇷 \
                     a\u{b}b\u{c}c\u{85}d\u{a0}e\u{2028}f\u{1c}g\u{200b}h ½ ²";
        let ends: Vec<usize> = (0..=prose.len()).collect();
        let words = Words::new(prose, ends.iter().copied());
        for &start in &ends {
            for &end in &ends {
                let naive = prose.get(start..end).map_or(0, |t| {
                    t.split_whitespace()
                        .filter(|w| w.chars().any(char::is_alphanumeric))
                        .count()
                });
                assert_eq!(words.count(&(start..end)), naive, "{start}..{end}");
            }
        }
    }

    fn span(text: &str, needle: &str) -> Range<usize> {
        let start = text.find(needle).expect(needle);
        start..start + needle.len()
    }

    fn finding(rule: &'static str, range: Range<usize>, fix: Option<Fix>) -> Diagnostic {
        Diagnostic {
            rule,
            severity: Severity::Warning,
            message: format!("{rule} here").into(),
            range,
            fix,
        }
    }

    /// A section with the given fields (the rest from a parsed heading).
    fn section(level: u8, heading: Range<usize>, range: Range<usize>) -> Section {
        let parsed = analyze("# T\n", DocumentKind::Markdown, &Config::default());
        let template = parsed.document.sections[0].clone();
        Section {
            level,
            heading,
            range,
            ..template
        }
    }

    /// Markdown sections by `#` count, computed here the simple way for the test.
    fn sections(text: &str) -> Vec<Section> {
        let mut heads = Vec::new();
        let mut at = 0;
        for line in text.split_inclusive('\n') {
            let hashes = line.bytes().take_while(|&b| b == b'#').count();
            if hashes > 0 {
                let title = line[hashes..].trim();
                let start = at + line.find(title).unwrap_or(hashes);
                heads.push((hashes as u8, at, start..start + title.len()));
            }
            at += line.len();
        }
        heads
            .iter()
            .enumerate()
            .map(|(i, (level, start, heading))| {
                let end = heads[i + 1..]
                    .iter()
                    .find(|h| h.0 <= *level)
                    .map_or(text.len(), |h| h.1);
                section(*level, heading.clone(), *start..end)
            })
            .collect()
    }

    const OUTLINE: &str = "# 정책 😀 Title\r\n\r\nIntro words.\r\n\r\n## A\r\n\r\nAlpha 한국어 text.\r\n\r\n### A.1\r\n\r\nDeep 😀.\r\n\r\n## B\r\n\r\nBeta.\r\n";

    fn outline_analysis() -> Analysis {
        let mut analysis = analyze(OUTLINE, DocumentKind::Markdown, &Config::default());
        analysis.document.sections = sections(OUTLINE);
        analysis.diagnostics = vec![finding("test-rule", span(OUTLINE, "Deep"), None)];
        analysis
    }

    fn contains(outer: &lsp::Range, inner: &lsp::Range) -> bool {
        outer.start <= inner.start && inner.end <= outer.end
    }

    #[test]
    fn outline_is_a_tree_with_details() {
        let analysis = outline_analysis();
        for enc in ALL {
            let roots = document_symbols(&analysis, enc);
            assert_eq!(roots.len(), 1);
            let title = &roots[0];
            assert_eq!(title.name, "정책 😀 Title");
            let children = title.children.as_ref().unwrap();
            let names: Vec<_> = children.iter().map(|c| c.name.as_str()).collect();
            assert_eq!(names, ["A", "B"]);
            let a1 = &children[0].children.as_ref().unwrap()[0];
            assert_eq!(a1.name, "A.1");
            assert!(a1.children.is_none());
            assert_eq!(a1.detail.as_deref(), Some("2 words · 1 finding"));
            assert!(children[1].detail.as_ref().unwrap().ends_with("words"));
            assert!(title.detail.as_ref().unwrap().ends_with("· 1 finding"));
            for s in [title, &children[0], a1, &children[1]] {
                assert!(contains(&s.range, &s.selection_range), "{s:?}");
                assert!(contains(&title.range, &s.range));
            }
            // The title's heading: line 0, after "# "; the emoji is 2 UTF-16 units.
            let end = match enc {
                Encoding::Utf8 => 2 + "정책 😀 Title".len() as u32,
                Encoding::Utf16 => 2 + 11,
                Encoding::Utf32 => 2 + 10,
            };
            assert_eq!(
                title.selection_range,
                lsp::Range::new(lsp::Position::new(0, 2), lsp::Position::new(0, end))
            );
            assert_eq!(title.range.start, lsp::Position::new(0, 0));
            assert_eq!(title.range.end, lsp::Position::new(15, 0));
        }
    }

    #[test]
    fn outline_with_skipped_and_shallower_levels() {
        let mut analysis = outline_analysis();
        let text = analysis.document.text.clone();
        let levels = [2, 1, 3, 3, 1];
        analysis.document.sections = levels
            .iter()
            .enumerate()
            .map(|(i, &level)| section(level, i..i + 1, i..text.len() - i))
            .collect();
        analysis.diagnostics.clear();
        let roots = document_symbols(&analysis, Encoding::Utf16);
        let shape: Vec<usize> = roots
            .iter()
            .map(|r| r.children.as_ref().map_or(0, Vec::len))
            .collect();
        assert_eq!(shape, [0, 2, 0]);
        let flat = flat_symbols(&"file:///d.md".parse().unwrap(), &analysis, Encoding::Utf16);
        let containers: Vec<_> = flat.iter().map(|s| s.container_name.is_some()).collect();
        assert_eq!(containers, [false, false, true, true, false]);
    }

    #[test]
    fn deep_nesting_is_fine() {
        let mut analysis = outline_analysis();
        let len = analysis.document.text.len();
        analysis.document.sections = (0..5000)
            .map(|i| section((i % 255 + 1) as u8, 0..1, 0..len))
            .collect();
        let roots = document_symbols(&analysis, Encoding::Utf16);
        assert_eq!(roots.len(), 20);
        assert_eq!(
            flat_symbols(&"file:///d.md".parse().unwrap(), &analysis, Encoding::Utf8).len(),
            5000
        );
    }

    #[test]
    fn folds_for_sections_and_long_block_quotes() {
        let mut analysis = outline_analysis();
        let text = analysis.document.text.clone();
        analysis.document.block_quotes = vec![
            BlockQuote {
                range: span(&text, "Alpha 한국어 text.\r\n\r\n### A.1"),
                blocks: 0..0,
            },
            BlockQuote {
                range: span(&text, "Beta."),
                blocks: 0..0,
            },
        ];
        let folds: Vec<(u32, u32)> = folding_ranges(&analysis, None)
            .iter()
            .map(|f| (f.start_line, f.end_line))
            .collect();
        assert_eq!(folds, [(0, 14), (4, 10), (6, 8), (8, 10), (12, 14)]);
        assert_eq!(folding_ranges(&analysis, Some(2)).len(), 2);
    }

    #[test]
    fn diagnostics_carry_rule_source_and_docs() {
        let text = "첫 😀 줄\r\nx?y\r\n";
        let mut analysis = analyze(text, DocumentKind::PlainText, &Config::default());
        analysis.diagnostics = vec![Diagnostic {
            severity: Severity::Hint,
            ..finding("encoding-artifact", span(text, "?"), None)
        }];
        let d = &diagnostics(&analysis, Encoding::Utf16)[0];
        assert_eq!(
            d.code,
            Some(NumberOrString::String("encoding-artifact".into()))
        );
        assert_eq!(d.source.as_deref(), Some("policy-lsp"));
        assert_eq!(d.severity, Some(lsp::DiagnosticSeverity::HINT));
        let href = d.code_description.as_ref().unwrap().href.as_str();
        assert!(href.starts_with(RULE_DOCS) && href.ends_with("/encoding-artifact.md"));
        assert_eq!(
            d.range,
            lsp::Range::new(lsp::Position::new(1, 1), lsp::Position::new(1, 2))
        );
    }

    #[test]
    fn byte_ranges_from_protocol_ranges_clamp() {
        let text = "한😀\r\nab";
        let analysis = analyze(text, DocumentKind::PlainText, &Config::default());
        let r = |l1, c1, l2, c2| {
            lsp::Range::new(lsp::Position::new(l1, c1), lsp::Position::new(l2, c2))
        };
        let doc = &analysis.document;
        assert_eq!(byte_range(doc, r(0, 2, 0, 1), Encoding::Utf16), 3..3);
        assert_eq!(
            byte_range(doc, r(0, 0, 9, 9), Encoding::Utf16),
            0..text.len()
        );
        assert_eq!(byte_range(doc, r(0, 99, 1, 1), Encoding::Utf8), 7..10);
    }
}
