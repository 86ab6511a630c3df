//! `textDocument/semanticTokens/full` and `/range`: defined terms (`variable`, their
//! definitions with the `definition` modifier), quotations (`string`) and figures
//! (`number`), so themes can colour them.
//!
//! Tokens never overlap: terms and figures are cut out of the quotations around them. A
//! token never spans a line break (not every client takes multi-line tokens), and its
//! start and length count in the negotiated encoding.

use std::ops::Range;

use tower_lsp_server::ls_types::{
    self as lsp, SemanticToken, SemanticTokenModifier, SemanticTokenType, SemanticTokens,
    SemanticTokensFullOptions, SemanticTokensLegend, SemanticTokensOptions,
    SemanticTokensServerCapabilities, WorkDoneProgressOptions,
};

use super::query::Query;
use crate::analysis::terms::find_uses;
use crate::analysis::text::column_width;
use crate::analysis::{Document, Encoding};

/// Indices into the legend's token types.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u32)]
enum Kind {
    Term = 0,
    Quotation = 1,
    Figure = 2,
}

/// The legend's modifier bits.
const DEFINITION: u32 = 1;

pub(crate) fn capability() -> SemanticTokensServerCapabilities {
    SemanticTokensServerCapabilities::SemanticTokensOptions(SemanticTokensOptions {
        work_done_progress_options: WorkDoneProgressOptions::default(),
        legend: SemanticTokensLegend {
            token_types: vec![
                SemanticTokenType::VARIABLE,
                SemanticTokenType::STRING,
                SemanticTokenType::NUMBER,
            ],
            token_modifiers: vec![SemanticTokenModifier::DEFINITION],
        },
        range: Some(true),
        full: Some(SemanticTokensFullOptions::Bool(true)),
    })
}

/// A token as byte offsets, before it is cut into lines; a document's tokens are found
/// once per analysis and kept beside it (`prepared::Answers`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Token {
    range: Range<usize>,
    kind: Kind,
    modifiers: u32,
}

/// The tokens of the whole document, or of the lines `range` touches.
pub(crate) fn tokens(query: &Query, range: Option<lsp::Range>) -> Option<SemanticTokens> {
    let doc = query.document()?;
    let within = match range {
        Some(range) => {
            let start =
                super::encoding::offset(&doc.text, &doc.lines, range.start, query.encoding());
            let end = super::encoding::offset(&doc.text, &doc.lines, range.end, query.encoding());
            start.min(end)..start.max(end)
        }
        None => 0..doc.text.len(),
    };
    Some(SemanticTokens {
        result_id: None,
        data: encode(
            doc,
            query.answers().tokens.get_or_init(|| collect(doc)),
            within,
            query.encoding(),
        ),
    })
}

/// Terms and figures, and the parts of quotations outside them, in order, disjoint.
fn collect(doc: &Document) -> Vec<Token> {
    let mut points: Vec<Token> = Vec::new();
    let mut keys: Vec<&str> = doc
        .terms
        .definitions
        .iter()
        .map(|d| d.key.as_str())
        .collect();
    keys.sort_unstable();
    keys.dedup();
    points.extend(find_uses(doc, &keys).into_iter().map(|(range, _)| Token {
        range,
        kind: Kind::Term,
        modifiers: 0,
    }));
    // A definition's own term: marked as such, replacing the use found at the same place.
    let mut defined: Vec<Range<usize>> = doc
        .terms
        .definitions
        .iter()
        .map(|d| d.term_range.clone())
        .collect();
    defined.sort_by_key(|r| r.start);
    points.retain(|t| {
        let after = defined.partition_point(|d| d.start < t.range.end);
        !defined[..after]
            .iter()
            .rev()
            .take(8)
            .any(|d| t.range.start < d.end)
    });
    points.extend(defined.into_iter().map(|range| Token {
        range,
        kind: Kind::Term,
        modifiers: DEFINITION,
    }));
    points.extend(doc.figures.iter().map(|f| Token {
        range: f.range.clone(),
        kind: Kind::Figure,
        modifiers: 0,
    }));
    points.retain(|t| t.range.start < t.range.end);
    points.sort_by_key(|t| (t.range.start, std::cmp::Reverse(t.range.end)));
    let mut disjoint: Vec<Token> = Vec::with_capacity(points.len());
    for token in points {
        if disjoint
            .last()
            .is_none_or(|last| last.range.end <= token.range.start)
        {
            disjoint.push(token);
        }
    }
    // Quotations (the outermost of nested ones), minus the tokens inside them.
    let mut out = Vec::with_capacity(disjoint.len());
    let mut next = 0;
    let mut covered_to = 0;
    for quotation in &doc.quotations {
        let range = quotation.range.start.max(covered_to)..quotation.range.end;
        if range.start >= range.end {
            continue;
        }
        covered_to = range.end;
        let mut at = range.start;
        while next < disjoint.len() && disjoint[next].range.start < range.end {
            let token = disjoint[next].clone();
            next += 1;
            if token.range.start > at {
                out.push(Token {
                    range: at..token.range.start,
                    kind: Kind::Quotation,
                    modifiers: 0,
                });
            }
            at = at.max(token.range.end);
            out.push(token);
        }
        if at < range.end {
            out.push(Token {
                range: at..range.end,
                kind: Kind::Quotation,
                modifiers: 0,
            });
        }
    }
    out.extend(disjoint.drain(next..));
    out.sort_by_key(|t| t.range.start);
    out
}

/// The protocol's relative encoding of the tokens inside `within`, cut at line breaks,
/// each piece trimmed of the blanks and markup around it (a block quote's `> `).
fn encode(
    doc: &Document,
    tokens: &[Token],
    within: Range<usize>,
    encoding: Encoding,
) -> Vec<SemanticToken> {
    let mut data = Vec::new();
    let (mut last_line, mut last_start) = (0usize, 0usize);
    // The column of a byte offset, computed incrementally along each line.
    let mut cursor: Option<(usize, usize, usize)> = None; // (line, offset, column)
    let text = &doc.text;
    for token in tokens {
        if token.range.end <= within.start || token.range.start >= within.end {
            continue;
        }
        let first_line = doc.lines.line_of(token.range.start);
        let last = doc
            .lines
            .line_of(token.range.end.saturating_sub(1).max(token.range.start));
        for line in first_line..=last {
            let Some(line_range) = doc.lines.line_range(text, line) else {
                continue;
            };
            let mut start = token.range.start.max(line_range.start);
            let mut end = token.range.end.min(line_range.end);
            let prose = &doc.prose;
            while start < end && prose[start..].starts_with(char::is_whitespace) {
                start += prose[start..].chars().next().map_or(1, char::len_utf8);
            }
            while end > start && prose[..end].ends_with(char::is_whitespace) {
                end -= prose[..end].chars().next_back().map_or(1, char::len_utf8);
            }
            let outside = end <= within.start || start >= within.end;
            if outside
                || start >= end
                || !text.is_char_boundary(start)
                || !text.is_char_boundary(end)
            {
                continue;
            }
            let column = match cursor {
                Some((l, offset, column)) if l == line && offset <= start => {
                    column + column_width(&text[offset..start], encoding)
                }
                _ => column_width(&text[line_range.start..start], encoding),
            };
            cursor = Some((line, start, column));
            let length = column_width(&text[start..end], encoding);
            let delta_line = line - last_line;
            let delta_start = if delta_line == 0 {
                column - last_start
            } else {
                column
            };
            data.push(SemanticToken {
                delta_line: delta_line as u32,
                delta_start: delta_start as u32,
                length: length as u32,
                token_type: token.kind as u32,
                token_modifiers_bitset: token.modifiers,
            });
            (last_line, last_start) = (line, column);
        }
    }
    data
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{analyze, DocumentKind};
    use crate::config::Config;

    /// Decodes the relative data into (line, column, length, kind, modifiers).
    fn decode(data: &[SemanticToken]) -> Vec<(u32, u32, u32, u32, u32)> {
        let (mut line, mut column) = (0, 0);
        data.iter()
            .map(|t| {
                let c = [
                    t.delta_line,
                    t.delta_start,
                    t.length,
                    t.token_type,
                    t.token_modifiers_bitset,
                ];
                if c[0] > 0 {
                    line += c[0];
                    column = c[1];
                } else {
                    column += c[1];
                }
                (line, column, c[2], c[3], c[4])
            })
            .collect()
    }

    fn query(text: &str, kind: DocumentKind, encoding: Encoding) -> Query {
        let analysis = analyze(text, kind, &Config::default());
        Query::new(
            "file:///d".parse().unwrap(),
            analysis,
            Config::default(),
            encoding,
        )
    }

    #[test]
    fn terms_quotations_and_figures_in_utf16_and_utf8() {
        let text = "😀 The Harbour Safety Board (HSB) said: \"We will add 300 berths for the HSB soon.\"\r\n한국 HSB spent $12 billion.\r\n";
        for encoding in [Encoding::Utf16, Encoding::Utf8] {
            let q = query(text, DocumentKind::PlainText, encoding);
            let data = tokens(&q, None).unwrap().data;
            let w = |s: &str| column_width(s, encoding) as u32;
            let col = |needle: &str| {
                let at = text.find(needle).unwrap();
                let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
                w(&text[line_start..at])
            };
            let quote_at = text.find('"').unwrap();
            let second_hsb = quote_at + text[quote_at..].find("HSB").unwrap();
            let second_hsb_col = w(&text[..second_hsb]);
            assert_eq!(
                decode(&data),
                [
                    (0, col("HSB)"), 3, Kind::Term as u32, DEFINITION),
                    (
                        0,
                        col("\"We"),
                        w("\"We will add"),
                        Kind::Quotation as u32,
                        0
                    ),
                    (0, col("300"), 3, Kind::Figure as u32, 0),
                    (
                        0,
                        col("berths"),
                        w("berths for the"),
                        Kind::Quotation as u32,
                        0
                    ),
                    (0, second_hsb_col, 3, Kind::Term as u32, 0),
                    (
                        0,
                        second_hsb_col + 4,
                        w("soon.\""),
                        Kind::Quotation as u32,
                        0
                    ),
                    (1, col("HSB spent"), 3, Kind::Term as u32, 0),
                    (
                        1,
                        col("12 billion"),
                        w("12 billion"),
                        Kind::Figure as u32,
                        0
                    ),
                ],
                "{encoding:?}"
            );
            // A range request: only the second line.
            let second = lsp::Range::new(lsp::Position::new(1, 0), lsp::Position::new(2, 0));
            let data = tokens(&q, Some(second)).unwrap().data;
            assert_eq!(decode(&data).len(), 2);
            assert_eq!(
                data[0].delta_line, 1,
                "lines stay absolute from the document's start"
            );
        }
    }

    #[test]
    fn multi_line_quotations_split_per_line() {
        let text = "Intro.\n\n> Growth needs 한국 clusters\n> and 😀 patience.\n\nEnd.\n";
        let q = query(text, DocumentKind::Markdown, Encoding::Utf16);
        let found = decode(&tokens(&q, None).unwrap().data);
        let strings: Vec<_> = found
            .iter()
            .filter(|t| t.3 == Kind::Quotation as u32)
            .collect();
        assert_eq!(strings.len(), 2, "{found:?}");
        assert_eq!((strings[0].0, strings[0].1, strings[0].2), (2, 2, 24));
        assert_eq!((strings[1].0, strings[1].1, strings[1].2), (3, 2, 16));
        let q = query(text, DocumentKind::Markdown, Encoding::Utf8);
        let found = decode(&tokens(&q, None).unwrap().data);
        assert_eq!(found[0].2, "Growth needs 한국 clusters".len() as u32);
        assert_eq!(found[1].2, "and 😀 patience.".len() as u32);
        // A range over the second line takes only that line's piece.
        let second = lsp::Range::new(lsp::Position::new(3, 0), lsp::Position::new(4, 0));
        let found = decode(&tokens(&q, Some(second)).unwrap().data);
        assert_eq!(found.len(), 1);
        assert_eq!((found[0].0, found[0].1), (3, 2));
    }

    #[test]
    fn empty_and_odd_documents() {
        for text in ["", "\r\n", "\"", "\"unclosed 😀"] {
            let q = query(text, DocumentKind::PlainText, Encoding::Utf16);
            let out = tokens(
                &q,
                Some(lsp::Range::new(
                    lsp::Position::new(9, 9),
                    lsp::Position::new(0, 0),
                )),
            );
            assert!(out.is_some());
        }
    }
}
