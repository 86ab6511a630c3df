//! Terms as things to navigate: `textDocument/definition` (where the draft, or the
//! workspace glossary file, defines the term under the cursor), `textDocument/references`
//! (every use in the draft, in any inflection) and `textDocument/prepareRename` /
//! `textDocument/rename` (a term the draft defines, with every use, inflections kept).

use std::ops::Range;

use tower_lsp_server::jsonrpc::{Error, ErrorCode};
use tower_lsp_server::ls_types::{
    self as lsp, GotoDefinitionResponse, Location, PrepareRenameResponse, TextEdit, WorkspaceEdit,
};

use super::query::Query;
use super::{encoding, to_proto, uri};
use crate::analysis::terms::{find_uses, reinflect, term_key, uninflect};
use crate::analysis::{Document, Encoding, LineIndex};
use crate::glossary::lookup::{term_at, DefinitionSource};

/// The protocol's `RequestFailed`: the request was valid but cannot be carried out.
const REQUEST_FAILED: i64 = -32803;

/// The term under the cursor: its range and lookup key.
fn term_under(query: &Query, position: lsp::Position) -> Option<(Range<usize>, String)> {
    let offset = query.offset(position)?;
    let doc = query.document()?;
    let found = term_at(doc, &query.config, offset)?;
    let key = term_key(&doc.text[found.range.clone()]);
    Some((found.range, key))
}

/// Where the term under the cursor is defined: the draft's own definitions, else the
/// workspace glossary's entries (in their files). Built-in terms have no place to go.
pub(crate) fn definition(query: &Query, position: lsp::Position) -> Option<GotoDefinitionResponse> {
    let offset = query.offset(position)?;
    let doc = query.document()?;
    let found = term_at(doc, &query.config, offset)?;
    let defined: Vec<Range<usize>> = found
        .sources
        .iter()
        .filter_map(|source| match source {
            DefinitionSource::Draft(d) => Some(d.term_range.clone()),
            _ => None,
        })
        .collect();
    let mut locations: Vec<Location> = query
        .ranges(&defined)
        .into_iter()
        .map(|r| Location::new(query.uri.clone(), r))
        .collect();
    if locations.is_empty() {
        locations = found
            .sources
            .iter()
            .filter_map(|source| match source {
                DefinitionSource::Workspace {
                    term, origin, line, ..
                } => glossary_location(query, term, origin, *line),
                _ => None,
            })
            .collect();
    }
    locations.dedup();
    match locations.len() {
        0 => None,
        1 => locations.pop().map(GotoDefinitionResponse::Scalar),
        _ => Some(GotoDefinitionResponse::Array(locations)),
    }
}

/// The place in a glossary file (or `policy-lsp.toml`) that defines `term`: on `line`
/// (1-based) when known, else the first line that names the term; the term itself when
/// the line shows it.
fn glossary_location(
    query: &Query,
    term: &str,
    origin: &str,
    line: Option<usize>,
) -> Option<Location> {
    let path = query.root.as_deref()?.join(origin);
    let target = uri::from_path(&path)?;
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    let range = term_in_file(&text, term, line, query.encoding());
    Some(Location::new(target, range))
}

fn term_in_file(text: &str, term: &str, line: Option<usize>, encoding: Encoding) -> lsp::Range {
    let lines = LineIndex::new(text);
    let lower_term = term.to_lowercase();
    let find_in = |line: usize| -> Option<Range<usize>> {
        let range = lines.line_range(text, line)?;
        let content = &text[range.clone()];
        // Lower-casing keeps byte lengths for the ASCII terms glossaries hold; anything
        // else falls back to the line's start.
        let at = content.to_lowercase().find(&lower_term)?;
        let start = range.start + at;
        let end = start + term.len();
        (text.is_char_boundary(start) && text.get(start..end).is_some()).then_some(start..end)
    };
    let found = match line {
        Some(line) => find_in(line.saturating_sub(1)).or_else(|| {
            let start = lines.line_range(text, line.saturating_sub(1))?.start;
            Some(start..start)
        }),
        None => (0..lines.line_count()).find_map(find_in),
    };
    let found = found.unwrap_or(0..0);
    lsp::Range::new(
        encoding::position(text, &lines, found.start, encoding),
        encoding::position(text, &lines, found.end, encoding),
    )
}

/// Every use of the term under the cursor in the draft; its definitions too when asked.
pub(crate) fn references(
    query: &Query,
    position: lsp::Position,
    include_declaration: bool,
) -> Option<Vec<Location>> {
    let (_, key) = term_under(query, position)?;
    let doc = query.document()?;
    let ranges = term_ranges(doc, &key, include_declaration);
    Some(
        query
            .ranges(&ranges)
            .into_iter()
            .map(|r| Location::new(query.uri.clone(), r))
            .collect(),
    )
}

/// The uses of `key` in document order; with `declarations`, its definitions' terms too
/// (once each), else without them.
fn term_ranges(doc: &Document, key: &str, declarations: bool) -> Vec<Range<usize>> {
    let defined: Vec<Range<usize>> = doc
        .terms
        .lookup(key)
        .map(|d| d.term_range.clone())
        .collect();
    let overlaps = |r: &Range<usize>, s: &Range<usize>| r.start < s.end && s.start < r.end;
    let mut ranges: Vec<Range<usize>> = find_uses(doc, &[key])
        .into_iter()
        .map(|(range, _)| range)
        .filter(|r| declarations || !defined.iter().any(|d| overlaps(r, d)))
        .collect();
    if declarations {
        for d in defined {
            if !ranges.iter().any(|r| overlaps(r, &d)) {
                ranges.push(d);
            }
        }
        ranges.sort_by_key(|r| (r.start, r.end));
    }
    ranges
}

fn refuse(message: impl Into<String>) -> Error {
    Error {
        code: ErrorCode::ServerError(REQUEST_FAILED),
        message: message.into().into(),
        data: None,
    }
}

/// The term under the cursor if the draft defines it, else why it cannot be renamed.
fn renamable(
    query: &Query,
    position: lsp::Position,
) -> std::result::Result<(Range<usize>, String), Error> {
    let no_term = || refuse("Nothing to rename here: put the cursor on a term this draft defines.");
    let offset = query.offset(position).ok_or_else(no_term)?;
    let doc = query.document().ok_or_else(no_term)?;
    let found = term_at(doc, &query.config, offset).ok_or_else(no_term)?;
    let written = &doc.text[found.range.clone()];
    let key = term_key(written);
    if doc.terms.lookup(&key).next().is_none() {
        return Err(refuse(format!(
            "“{written}” is not defined in this draft (it comes from a glossary): only a term the draft defines can be renamed."
        )));
    }
    Ok((found.range, key))
}

pub(crate) fn prepare_rename(
    query: &Query,
    position: lsp::Position,
) -> std::result::Result<PrepareRenameResponse, Error> {
    let (range, _) = renamable(query, position)?;
    let doc = query
        .document()
        .ok_or_else(|| refuse("The draft is not analysed."))?;
    let placeholder = doc.text[range.clone()].to_owned();
    let range = query
        .range(range)
        .ok_or_else(|| refuse("The draft is not analysed."))?;
    Ok(PrepareRenameResponse::RangeWithPlaceholder { range, placeholder })
}

/// Renames a term the draft defines: its definitions and every use, each keeping its
/// plural, possessive and initial capital (`clusters` → `hubs`).
pub(crate) fn rename(
    query: &Query,
    position: lsp::Position,
    new_name: &str,
) -> std::result::Result<WorkspaceEdit, Error> {
    let new_name = new_name.trim();
    if new_name.is_empty() || new_name.contains(['\n', '\r']) {
        return Err(Error::invalid_params(
            "The new name must be one line of text, not empty.",
        ));
    }
    let (range, key) = renamable(query, position)?;
    let doc = query
        .document()
        .ok_or_else(|| refuse("The draft is not analysed."))?;
    let edits = rename_edits(doc, &key, &doc.text[range], new_name);
    let ranges = query.ranges(edits.iter().map(|(r, _)| r));
    let edits: Vec<TextEdit> = ranges
        .into_iter()
        .zip(edits)
        .map(|(range, (_, text))| TextEdit::new(range, text))
        .collect();
    Ok(to_proto::workspace_edit(
        &query.uri,
        query.version(),
        edits,
        query.session.edit_style,
    ))
}

/// The byte edits that rename `key` to `new_name`, typed over the use `written`.
fn rename_edits(
    doc: &Document,
    key: &str,
    written: &str,
    new_name: &str,
) -> Vec<(Range<usize>, String)> {
    let mut base = uninflect(written, new_name);
    // A capital typed over a capitalised use (a sentence's first word) is not part of the
    // new name when the term is written in lower case where it is defined.
    let defined_lower = doc
        .terms
        .lookup(key)
        .next()
        .is_some_and(|d| d.term.chars().next().is_some_and(char::is_lowercase));
    let written_upper = written.chars().next().is_some_and(char::is_uppercase);
    if defined_lower && written_upper && !base.chars().skip(1).any(char::is_uppercase) {
        base = lower_first(&base);
    }
    term_ranges(doc, key, true)
        .into_iter()
        .map(|r| {
            let replacement = reinflect(&doc.text[r.clone()], &base);
            (r, replacement)
        })
        .filter(|(r, replacement)| doc.text[r.clone()] != *replacement)
        .collect()
}

fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_lowercase().collect::<String>() + chars.as_str()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{analyze, DocumentKind};
    use crate::config::Config;
    use crate::glossary::workspace::GlossaryEntry;
    use lsp::Position as P;

    const TEXT: &str = "# 정책 😀 Plan\r\n\r\nThe plan funds clusters—concentrated bodies of firms and institutions—across regions.\r\n\r\nEach 😀 cluster's board reports. Clusters grow; clustering is not a use.\r\n";

    fn query(text: &str, encoding: Encoding) -> Query {
        let analysis = analyze(text, DocumentKind::Markdown, &Config::default());
        Query::new(
            "file:///d.md".parse().unwrap(),
            analysis,
            Config::default(),
            encoding,
        )
    }

    /// The protocol position of the `nth` occurrence of `needle` in `text`.
    fn pos(text: &str, needle: &str, encoding: Encoding) -> P {
        let offset = text.find(needle).expect("needle");
        let lines = LineIndex::new(text);
        encoding::position(text, &lines, offset, encoding)
    }

    fn texts(text: &str, encoding: Encoding, locations: &[Location]) -> Vec<String> {
        let lines = LineIndex::new(text);
        locations
            .iter()
            .map(|l| {
                let a = encoding::offset(text, &lines, l.range.start, encoding);
                let b = encoding::offset(text, &lines, l.range.end, encoding);
                text[a..b].to_owned()
            })
            .collect()
    }

    #[test]
    fn definition_and_references_in_every_encoding() {
        for encoding in [Encoding::Utf16, Encoding::Utf8, Encoding::Utf32] {
            let q = query(TEXT, encoding);
            let at = pos(TEXT, "cluster's", encoding);
            let Some(GotoDefinitionResponse::Scalar(target)) = definition(&q, at) else {
                panic!("one definition");
            };
            assert_eq!(
                texts(TEXT, encoding, std::slice::from_ref(&target)),
                ["clusters"]
            );
            assert_eq!(target.range.start.line, 2);
            let all = references(&q, at, true).unwrap();
            assert_eq!(
                texts(TEXT, encoding, &all),
                ["clusters", "cluster's", "Clusters"]
            );
            let uses = references(&q, at, false).unwrap();
            assert_eq!(texts(TEXT, encoding, &uses), ["cluster's", "Clusters"]);
            // Nothing at a word that is no term, out of range, or inside the emoji.
            assert!(definition(&q, pos(TEXT, "board", encoding)).is_none());
            assert!(references(&q, P::new(99, 0), true).is_none());
            assert!(definition(&q, P::new(4, 999)).is_none());
        }
        let q = query(TEXT, Encoding::Utf16);
        assert!(definition(&q, P::new(4, 6)).is_none(), "half an emoji");
    }

    #[test]
    fn rename_keeps_inflections_and_refuses_undefined_terms() {
        for encoding in [Encoding::Utf16, Encoding::Utf8] {
            let q = query(TEXT, encoding);
            let at = pos(TEXT, "Clusters grow", encoding);
            let PrepareRenameResponse::RangeWithPlaceholder { placeholder, .. } =
                prepare_rename(&q, at).unwrap()
            else {
                panic!("a placeholder");
            };
            assert_eq!(placeholder, "Clusters");
            let edit = rename(&q, at, "Hubs").unwrap();
            let edits = &edit.changes.as_ref().unwrap()[&q.uri];
            let mut text = TEXT.to_owned();
            let lines = LineIndex::new(TEXT);
            let mut byte_edits: Vec<(usize, usize, &str)> = edits
                .iter()
                .map(|e| {
                    (
                        encoding::offset(TEXT, &lines, e.range.start, encoding),
                        encoding::offset(TEXT, &lines, e.range.end, encoding),
                        e.new_text.as_str(),
                    )
                })
                .collect();
            byte_edits.sort_by_key(|e| std::cmp::Reverse(e.0));
            for (a, b, new) in byte_edits {
                text.replace_range(a..b, new);
            }
            assert_eq!(
                text,
                "# 정책 😀 Plan\r\n\r\nThe plan funds hubs—concentrated bodies of firms and institutions—across regions.\r\n\r\nEach 😀 hub's board reports. Hubs grow; clustering is not a use.\r\n"
            );
            // A built-in term the draft does not define, and a plain word.
            let plain = "The GDP grew.\n";
            let q = query(plain, encoding);
            let err = prepare_rename(&q, P::new(0, 5)).unwrap_err();
            assert!(err.message.contains("not defined in this draft"), "{err:?}");
            assert_eq!(err.code.code(), REQUEST_FAILED);
            assert!(prepare_rename(&q, P::new(0, 10)).is_err());
            assert!(rename(&q, P::new(0, 5), "x").is_err());
            let q = query(TEXT, encoding);
            assert!(rename(&q, at, "  ").is_err());
            assert!(rename(&q, at, "a\nb").is_err());
        }
    }

    #[test]
    fn glossary_terms_lead_to_their_file() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("glossary.md"),
            "# Glossary\n\n**Berth 😀**: x\n\n**Port levy**: a charge on ships.\n",
        )
        .unwrap();
        let mut config = Config::default();
        config.glossary_file_terms.push(GlossaryEntry {
            term: "Port levy".into(),
            definition: "a charge on ships.".into(),
            origin: "glossary.md".into(),
            line: Some(5),
        });
        let text = "한 The port levy rises.\n";
        let analysis = analyze(text, DocumentKind::PlainText, &config);
        let mut q = Query::new(
            "file:///d.txt".parse().unwrap(),
            analysis,
            config,
            Encoding::Utf16,
        );
        q.root = Some(dir.path().to_path_buf());
        let Some(GotoDefinitionResponse::Scalar(target)) = definition(&q, P::new(0, 7)) else {
            panic!("the glossary entry");
        };
        assert!(target.uri.as_str().ends_with("/glossary.md"));
        assert_eq!(target.range, lsp::Range::new(P::new(4, 2), P::new(4, 11)));
        assert_eq!(
            term_in_file("a\nb = \"Port levy\"\n", "port levy", None, Encoding::Utf16),
            lsp::Range::new(P::new(1, 5), P::new(1, 14))
        );
    }
}
