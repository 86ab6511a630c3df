//! Looking up the term at a position: the longest known term (up to [`MAX_WORDS`] words)
//! that covers an offset, with its definitions from every source in order — the draft's
//! own, then the workspace glossary, then the built-in glossary (RULES.md §4).

use std::collections::HashMap;
use std::ops::Range;
use std::sync::LazyLock;

use super::{builtin_terms, BuiltinTerm};
use crate::analysis::terms::{joined_by_spaces, term_key, word_spans, Definition};
use crate::analysis::Document;
use crate::config::Config;

/// The longest term looked for, in words (`national strategic industries` is three).
pub const MAX_WORDS: usize = 6;

/// One definition of a term and where it comes from.
#[derive(Clone, Debug, PartialEq)]
pub enum DefinitionSource<'a> {
    /// Defined in the draft itself.
    Draft(&'a Definition),
    /// The workspace glossary: `policy-lsp.toml` or a glossary file it names.
    Workspace {
        term: &'a str,
        definition: &'a str,
        origin: &'a str,
        line: Option<usize>,
    },
    Builtin(&'static BuiltinTerm),
}

/// A known term in the draft and its definitions.
#[derive(Clone, Debug, PartialEq)]
pub struct TermAt<'a> {
    /// Byte range of the term as written at the looked-up position.
    pub range: Range<usize>,
    /// Every definition, draft first, then workspace, then built-in.
    pub sources: Vec<DefinitionSource<'a>>,
}

static BUILTIN_BY_KEY: LazyLock<HashMap<String, &'static BuiltinTerm>> = LazyLock::new(|| {
    builtin_terms()
        .iter()
        .flat_map(|entry| entry.keys().map(move |key| (term_key(key), entry)))
        .collect()
});

/// The known term covering byte `offset`, preferring the longest.
pub fn term_at<'a>(doc: &'a Document, config: &'a Config, offset: usize) -> Option<TermAt<'a>> {
    let block = &doc.blocks[doc.block_at(offset)?];
    let words = word_spans(doc.prose(block.range.clone()), block.range.start);
    let target = words
        .iter()
        .position(|w| w.start <= offset && offset <= w.end)?;
    for len in (1..=MAX_WORDS).rev() {
        let first_start = target.saturating_sub(len - 1);
        for first in first_start..=target {
            let Some(last) = (first + len - 1)
                .checked_sub(0)
                .filter(|&l| l < words.len())
            else {
                continue;
            };
            if !joined_by_spaces(&doc.prose, &words[first..=last]) {
                continue;
            }
            let range = words[first].start..words[last].end;
            let sources = definitions(doc, config, &term_key(&doc.text[range.clone()]));
            if !sources.is_empty() {
                return Some(TermAt { range, sources });
            }
        }
    }
    None
}

/// Every definition of the term with lookup key `key`, in source order.
pub fn definitions<'a>(
    doc: &'a Document,
    config: &'a Config,
    key: &str,
) -> Vec<DefinitionSource<'a>> {
    if key.is_empty() {
        return Vec::new();
    }
    let mut sources: Vec<DefinitionSource> =
        doc.terms.lookup(key).map(DefinitionSource::Draft).collect();
    sources.extend(
        config
            .glossary
            .iter()
            .filter(|(term, _)| term_key(term) == key)
            .map(|(term, definition)| DefinitionSource::Workspace {
                term,
                definition,
                origin: "policy-lsp.toml",
                line: None,
            }),
    );
    sources.extend(
        config
            .glossary_file_terms
            .iter()
            .filter(|entry| term_key(&entry.term) == key)
            .map(|entry| DefinitionSource::Workspace {
                term: &entry.term,
                definition: &entry.definition,
                origin: &entry.origin,
                line: entry.line,
            }),
    );
    sources.extend(
        BUILTIN_BY_KEY
            .get(key)
            .map(|entry| DefinitionSource::Builtin(entry)),
    );
    sources
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::DocumentKind;
    use crate::glossary::workspace::GlossaryEntry;

    fn hover(text: &str, config: &Config, at: &str) -> Option<(String, Vec<String>)> {
        let doc = Document::parse(text, DocumentKind::PlainText, config);
        let offset = text.find(at).expect("probe text present");
        term_at(&doc, config, offset).map(|found| {
            let names = found
                .sources
                .iter()
                .map(|s| match s {
                    DefinitionSource::Draft(d) => {
                        format!("draft: {}", &text[d.definition_range.clone()])
                    }
                    DefinitionSource::Workspace {
                        definition, origin, ..
                    } => format!("{origin}: {definition}"),
                    DefinitionSource::Builtin(b) => format!("builtin: {}", b.term),
                })
                .collect();
            (text[found.range].to_owned(), names)
        })
    }

    #[test]
    fn draft_then_workspace_then_builtin() {
        let mut config = Config::default();
        config
            .glossary
            .insert("cluster".into(), "Team wording.".into());
        config.glossary_file_terms.push(GlossaryEntry {
            term: "clusters".into(),
            definition: "File wording.".into(),
            origin: "docs/glossary.md".into(),
            line: Some(3),
        });
        let text = "The plan funds clusters—groups of firms and institutions in one place—across regions.\nEach cluster's board reports.\n";
        let (term, sources) = hover(text, &config, "cluster's").expect("a term");
        assert_eq!(term, "cluster's");
        assert_eq!(
            sources,
            [
                "draft: groups of firms and institutions in one place",
                "policy-lsp.toml: Team wording.",
                "docs/glossary.md: File wording.",
                "builtin: cluster",
            ]
        );
    }

    #[test]
    fn longest_multi_word_term_wins_and_acronyms_expand() {
        let config = Config::default();
        let text = "The Harbour Safety Board (HSB) will back 12 national strategic industries. 한국 🙂 The HSB agreed.\n";
        let (term, _) = hover(text, &config, "strategic").expect("a term");
        assert_eq!(term, "national strategic industries");
        let (term, sources) = hover(text, &config, "HSB agreed").expect("an acronym");
        assert_eq!(term, "HSB");
        assert_eq!(sources, ["draft: Harbour Safety Board"]);
        assert!(hover(text, &config, "will").is_none());
    }
}
