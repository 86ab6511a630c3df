//! `textDocument/completion`: the terms the draft defines and the glossaries' terms, once
//! two letters are typed, each with its definition as documentation (Markdown when the
//! client lists it first in `completionItem.documentationFormat`, else plain text).
//!
//! What is typed is the word before the cursor, or that word with up to
//! [`MAX_WORDS`]` - 1` words before it, so `national str` completes to
//! `national strategic industries` and replaces both words.

use std::collections::HashSet;
use std::ops::Range;

use tower_lsp_server::ls_types::{
    self as lsp, CompletionItem, CompletionItemKind, CompletionList, CompletionResponse,
    CompletionTextEdit, Documentation, MarkupContent, TextEdit,
};

use super::hover::Markup;
use super::query::Query;
use crate::analysis::terms::{term_key, DefinitionKind};
use crate::analysis::Document;
use crate::config::Config;
use crate::glossary::builtin_terms;
use crate::glossary::lookup::MAX_WORDS;

/// Letters typed before anything is offered.
const MIN_TYPED: usize = 2;
/// The most items one answer holds.
const MOST_ITEMS: usize = 200;

/// A term that can be offered, with where it comes from.
struct Candidate<'a> {
    term: &'a str,
    /// The definition, whitespace collapsed, as plain text.
    definition: String,
    /// For an acronym's long form: the acronym (the definition is then empty).
    abbreviation: Option<&'a str>,
    detail: String,
    kind: CompletionItemKind,
}

pub(crate) fn completion(query: &Query, position: lsp::Position) -> Option<CompletionResponse> {
    let offset = query.offset(position)?;
    let doc = query.document()?;
    let Some(typed) = typed_before(doc, offset) else {
        // Too little typed: ask again as the user goes on.
        return Some(CompletionResponse::List(CompletionList {
            is_incomplete: true,
            items: Vec::new(),
        }));
    };
    let markup = Markup::preferred(query.session.completion_markdown);
    let items = items(doc, &query.config, &typed, offset, markup)
        .into_iter()
        .filter_map(|(range, item)| {
            let range = query.range(range)?;
            let new_text = item.insert_text.clone().unwrap_or_default();
            Some(CompletionItem {
                text_edit: Some(CompletionTextEdit::Edit(TextEdit::new(range, new_text))),
                insert_text: None,
                ..item
            })
        })
        .collect();
    Some(CompletionResponse::List(CompletionList {
        is_incomplete: false,
        items,
    }))
}

/// Where each typed prefix starts: the current word's start first, then the starts of up
/// to `MAX_WORDS - 1` words before it on the same line (one space apart). `None` when the
/// current word has fewer than two letters or sits in markup or code.
fn typed_before(doc: &Document, offset: usize) -> Option<Vec<usize>> {
    let line = doc.lines.line_of(offset);
    let line_start = doc.lines.line_range(&doc.text, line)?.start;
    let before = doc.text.get(line_start..offset)?;
    let is_word = |c: char| c.is_alphanumeric() || matches!(c, '&' | '\'' | '’' | '-');
    let word_start = |end: usize| {
        let text = &before[..end];
        text.char_indices()
            .rev()
            .take_while(|&(_, c)| is_word(c))
            .last()
            .map_or(end, |(i, _)| i)
    };
    let start = word_start(before.len());
    let letters = before[start..]
        .chars()
        .filter(|c| c.is_alphanumeric())
        .count();
    let prose = doc.prose.get(line_start + start..offset)?;
    if letters < MIN_TYPED || prose != &before[start..] {
        return None;
    }
    let mut starts = vec![start];
    let mut at = start;
    while starts.len() < MAX_WORDS && at > 1 && before[..at].ends_with(' ') {
        let end = at - 1;
        let previous = word_start(end);
        if previous == end {
            break;
        }
        starts.push(previous);
        at = previous;
    }
    Some(starts.into_iter().map(|s| line_start + s).collect())
}

/// The items for what is typed before `offset` (prefix starts from [`typed_before`]), each
/// with the byte range it replaces and its text in `insert_text`.
fn items(
    doc: &Document,
    config: &Config,
    starts: &[usize],
    offset: usize,
    markup: Markup,
) -> Vec<(Range<usize>, CompletionItem)> {
    let typed: Vec<(usize, String)> = starts
        .iter()
        .map(|&s| {
            let text = doc.text[s..offset].split_whitespace().collect::<Vec<_>>();
            (s, text.join(" ").to_lowercase())
        })
        .collect();
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for (rank, candidate) in candidates(doc, config).enumerate() {
        let key = term_key(candidate.term);
        if key.is_empty() || !seen.insert(key) {
            continue;
        }
        let lower = candidate.term.to_lowercase();
        // The longest typed prefix the term starts with.
        let Some((start, _)) = typed
            .iter()
            .rev()
            .find(|(_, t)| lower.starts_with(t.as_str()))
        else {
            continue;
        };
        let written = &doc.text[*start..offset];
        let insert = match_case(written, candidate.term);
        let documentation = documentation(&candidate, markup);
        let item = CompletionItem {
            label: candidate.term.to_owned(),
            kind: Some(candidate.kind),
            detail: Some(candidate.detail),
            documentation: Some(Documentation::MarkupContent(documentation)),
            sort_text: Some(format!("{rank:05}")),
            filter_text: Some(insert.clone()),
            insert_text: Some(insert),
            ..CompletionItem::default()
        };
        out.push((*start..offset, item));
        if out.len() >= MOST_ITEMS {
            break;
        }
    }
    out
}

/// `**term** — definition`, or `**long form** — abbreviated **ACRONYM**`; the same without
/// the asterisks in plain text.
fn documentation(candidate: &Candidate<'_>, markup: Markup) -> MarkupContent {
    let about = match candidate.abbreviation {
        Some(short) => format!("abbreviated {}", markup.strong(short)),
        None => markup.text(&candidate.definition),
    };
    MarkupContent {
        kind: markup.kind(),
        value: format!("{} — {about}", markup.strong(candidate.term)),
    }
}

/// `term` as it should be inserted over `written`: capitalised when the user started with
/// a capital and the term does not.
fn match_case(written: &str, term: &str) -> String {
    let upper = written.chars().next().is_some_and(char::is_uppercase);
    let mut chars = term.chars();
    match chars.next() {
        Some(first) if upper && first.is_lowercase() => {
            first.to_uppercase().collect::<String>() + chars.as_str()
        }
        _ => term.to_owned(),
    }
}

/// Every term on offer, in source order: the draft's, the workspace glossary's, the
/// built-in glossary's.
fn candidates<'a>(doc: &'a Document, config: &'a Config) -> impl Iterator<Item = Candidate<'a>> {
    let collapse = |text: &str| text.split_whitespace().collect::<Vec<_>>().join(" ");
    let draft = doc.terms.definitions.iter().flat_map(move |d| {
        let detail = format!(
            "this draft, line {}",
            doc.lines.line_of(d.term_range.start) + 1
        );
        let defined = doc.prose(d.definition_range.clone());
        let term = Candidate {
            term: &d.term,
            definition: collapse(defined),
            abbreviation: None,
            detail: detail.clone(),
            kind: CompletionItemKind::VARIABLE,
        };
        // An acronym's long form is worth offering too: `Ha` → `Harbour Safety Board`.
        let long_form = (d.kind == DefinitionKind::Expansion).then(|| Candidate {
            term: defined.trim(),
            definition: String::new(),
            abbreviation: Some(&d.term),
            detail,
            kind: CompletionItemKind::VARIABLE,
        });
        std::iter::once(term).chain(long_form)
    });
    let settings = config
        .glossary
        .iter()
        .map(move |(term, definition)| Candidate {
            term,
            definition: collapse(definition),
            abbreviation: None,
            detail: "workspace glossary: policy-lsp.toml".to_owned(),
            kind: CompletionItemKind::TEXT,
        });
    let files = config.glossary_file_terms.iter().map(move |e| Candidate {
        term: &e.term,
        definition: collapse(&e.definition),
        abbreviation: None,
        detail: format!("workspace glossary: {}", e.origin),
        kind: CompletionItemKind::TEXT,
    });
    let builtin = builtin_terms().iter().flat_map(move |entry| {
        std::iter::once(entry.term.as_str())
            .chain(entry.aliases.iter().map(String::as_str))
            .map(move |term| Candidate {
                term,
                definition: collapse(&entry.definition),
                abbreviation: None,
                detail: format!("built-in glossary: {}", entry.source),
                kind: CompletionItemKind::TEXT,
            })
    });
    draft.chain(settings).chain(files).chain(builtin)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{analyze, DocumentKind, Encoding};
    use lsp::Position as P;

    const TEXT: &str = "The Harbour Safety Board (HSB) met. \"Port levy\" means a charge on ships.\r\n😀 한국 Ha\r\nthe port le\r\nnational str\r\nx\r\n`code Ha`\r\nClu";

    fn complete(text: &str, line: u32, character: u32, encoding: Encoding) -> CompletionList {
        let analysis = analyze(text, DocumentKind::Markdown, &Config::default());
        let query = Query::new(
            "file:///d.md".parse().unwrap(),
            analysis,
            Config::default(),
            encoding,
        );
        match completion(&query, P::new(line, character)) {
            Some(CompletionResponse::List(list)) => list,
            other => panic!("{other:?}"),
        }
    }

    fn edit(item: &CompletionItem) -> &TextEdit {
        match item.text_edit.as_ref().unwrap() {
            CompletionTextEdit::Edit(e) => e,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn defined_terms_first_then_glossaries() {
        for (encoding, column) in [
            (Encoding::Utf16, 8),
            (Encoding::Utf8, 14),
            (Encoding::Utf32, 7),
        ] {
            let list = complete(TEXT, 1, column, encoding);
            assert!(!list.is_incomplete);
            let labels: Vec<&str> = list.items.iter().map(|i| i.label.as_str()).collect();
            assert_eq!(labels[0], "Harbour Safety Board", "{labels:?}");
            let e = edit(&list.items[0]);
            assert_eq!(e.new_text, "Harbour Safety Board");
            assert_eq!(e.range.end, P::new(1, column));
            assert_eq!(e.range.start, P::new(1, column - 2));
            assert_eq!(list.items[0].detail.as_deref(), Some("this draft, line 1"));
            let Some(Documentation::MarkupContent(doc)) = &list.items[0].documentation else {
                panic!("documentation");
            };
            assert!(doc.value.contains("Harbour Safety Board"), "{}", doc.value);
        }
    }

    #[test]
    fn documentation_in_the_format_the_client_prefers() {
        let text =
            "The Harbour Safety Board (HSB) met; \"Port_levy\" means a *charge* on ships.\nHa\nPor";
        let analysis = analyze(text, DocumentKind::PlainText, &Config::default());
        let uri: lsp::Uri = "file:///d.txt".parse().unwrap();
        let mut query = Query::new(uri, analysis, Config::default(), Encoding::Utf16);
        let docs = |query: &Query, line: u32, character: u32| {
            let Some(CompletionResponse::List(list)) = completion(query, P::new(line, character))
            else {
                panic!("a list")
            };
            let Some(Documentation::MarkupContent(doc)) = &list.items[0].documentation else {
                panic!("documentation")
            };
            doc.clone()
        };
        let plain = docs(&query, 1, 2);
        assert_eq!(plain.kind, lsp::MarkupKind::PlainText);
        assert_eq!(plain.value, "Harbour Safety Board — abbreviated HSB");
        let plain = docs(&query, 2, 3);
        assert_eq!(plain.value, "Port_levy — a *charge* on ships");
        query.session.completion_markdown = true;
        let markdown = docs(&query, 1, 2);
        assert_eq!(markdown.kind, lsp::MarkupKind::Markdown);
        assert_eq!(
            markdown.value,
            "**Harbour Safety Board** — abbreviated **HSB**"
        );
        let markdown = docs(&query, 2, 3);
        assert_eq!(markdown.value, "**Port\\_levy** — a \\*charge\\* on ships");
    }

    #[test]
    fn several_typed_words_are_replaced_together() {
        let list = complete(TEXT, 2, 11, Encoding::Utf16);
        let levy = list.items.iter().find(|i| i.label == "Port levy").unwrap();
        // `port le` → `Port levy`, over both words; the user's lower case start is kept
        // only when the term has none of its own.
        assert_eq!(
            edit(levy).range,
            lsp::Range::new(P::new(2, 4), P::new(2, 11))
        );
        assert_eq!(list.items[0].label, "Port levy");
        let list = complete(TEXT, 3, 12, Encoding::Utf16);
        let nsi = list
            .items
            .iter()
            .find(|i| i.label == "national strategic industries")
            .expect("the built-in term");
        assert_eq!(edit(nsi).range.start, P::new(3, 0));
        assert!(nsi
            .detail
            .as_deref()
            .unwrap()
            .starts_with("built-in glossary"));
    }

    #[test]
    fn nothing_before_two_letters_in_code_or_out_of_range() {
        let list = complete(TEXT, 4, 1, Encoding::Utf16);
        assert!(list.is_incomplete && list.items.is_empty());
        let list = complete(TEXT, 5, 8, Encoding::Utf16);
        assert!(list.items.is_empty(), "in code");
        let analysis = analyze(TEXT, DocumentKind::Markdown, &Config::default());
        let query = Query::new(
            "file:///d.md".parse().unwrap(),
            analysis,
            Config::default(),
            Encoding::Utf16,
        );
        assert!(completion(&query, P::new(99, 0)).is_none());
        assert!(completion(&query, P::new(1, 1)).is_none(), "half an emoji");
        // A capital typed first capitalises a lower-case term.
        let list = complete(TEXT, 6, 3, Encoding::Utf16);
        let cluster = list.items.iter().find(|i| i.label == "cluster").unwrap();
        assert_eq!(edit(cluster).new_text, "Cluster");
    }
}
