//! The workspace glossary: terms from `[glossary.terms]` in `policy-lsp.toml` and from the
//! glossary files it names. Parsing is pure; reading the files is the front ends' job
//! (see `crate::workspace`).
//!
//! A glossary file is either TOML — `term = "definition"` pairs, or `[[term]]` tables with
//! `term` and `definition` like the built-in glossary — or a Markdown/plain-text glossary
//! in the Definitions format drafts use (`**Term**: …`, `- Term — …`, `"Term" means …`, a
//! two-column table).

use serde::Deserialize;

use crate::analysis::terms::{DefinitionKind, TermIndex};
use crate::analysis::{Document, DocumentKind};
use crate::config::Config;

/// One term of the workspace glossary and where it is written.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct GlossaryEntry {
    pub term: String,
    pub definition: String,
    /// The file that defines it, as the user names it.
    pub origin: String,
    /// 1-based line in `origin`, when known.
    pub line: Option<usize>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum TomlGlossary {
    Tables { term: Vec<TomlTerm> },
    Pairs(std::collections::BTreeMap<String, String>),
}

#[derive(Deserialize)]
struct TomlTerm {
    term: String,
    definition: String,
}

/// Parses a glossary file; `origin` names it in entries and errors. Files ending in
/// `.toml` are TOML, everything else is read as a draft-style glossary.
pub fn parse_file(text: &str, origin: &str) -> Result<Vec<GlossaryEntry>, String> {
    if origin.to_ascii_lowercase().ends_with(".toml") {
        parse_toml(text, origin)
    } else {
        Ok(parse_draft_style(text, origin))
    }
}

fn parse_toml(text: &str, origin: &str) -> Result<Vec<GlossaryEntry>, String> {
    let parsed: TomlGlossary = toml::from_str(text).map_err(|err| {
        format!(
            "{origin}: not a glossary (expected `term = \"definition\"` pairs or [[term]] tables): {}",
            err.message()
        )
    })?;
    let pairs: Vec<(String, String)> = match parsed {
        TomlGlossary::Tables { term } => term.into_iter().map(|t| (t.term, t.definition)).collect(),
        TomlGlossary::Pairs(map) => map.into_iter().collect(),
    };
    Ok(pairs
        .into_iter()
        .map(|(term, definition)| {
            let line = line_of_term(text, &term);
            GlossaryEntry {
                term,
                definition,
                origin: origin.to_owned(),
                line,
            }
        })
        .collect())
}

/// The first line mentioning `term` (quoted or bare), for go-to-definition.
fn line_of_term(text: &str, term: &str) -> Option<usize> {
    text.lines().position(|l| l.contains(term)).map(|i| i + 1)
}

fn parse_draft_style(text: &str, origin: &str) -> Vec<GlossaryEntry> {
    let doc = Document::parse(
        text,
        DocumentKind::from_file_name(origin),
        &Config::default(),
    );
    TermIndex::build_glossary(&doc)
        .definitions
        .iter()
        .filter(|d| d.kind != DefinitionKind::Appositive)
        .map(|d| GlossaryEntry {
            term: d.term.clone(),
            definition: doc.prose(d.definition_range.clone()).trim().to_owned(),
            origin: origin.to_owned(),
            line: Some(doc.lines.line_of(d.term_range.start) + 1),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toml_pairs_and_tables() {
        let pairs = parse_file(
            "hub = \"A shared site.\"\n\"port levy\" = \"A charge.\"\n",
            "g.toml",
        )
        .unwrap();
        assert_eq!(pairs.len(), 2);
        assert_eq!(pairs[0].term, "hub");
        assert_eq!(pairs[0].line, Some(1));
        let tables = parse_file(
            "[[term]]\nterm = \"hub\"\ndefinition = \"A shared site.\"\n",
            "g.toml",
        )
        .unwrap();
        assert_eq!(tables[0].definition, "A shared site.");
        assert!(parse_file("hub = 3\n", "g.toml")
            .unwrap_err()
            .contains("g.toml"));
    }

    #[test]
    fn markdown_glossary_without_a_heading() {
        let entries = parse_file(
            "**Hub**: a shared site for firms.\n\n- Port levy — a charge on ships.\n\n\"Berth\" means a place to moor.\n",
            "docs/glossary.md",
        )
        .unwrap();
        let terms: Vec<(&str, &str, Option<usize>)> = entries
            .iter()
            .map(|e| (e.term.as_str(), e.definition.as_str(), e.line))
            .collect();
        assert_eq!(
            terms,
            [
                ("Hub", "a shared site for firms.", Some(1)),
                ("Port levy", "a charge on ships.", Some(3)),
                ("Berth", "a place to moor", Some(5)),
            ]
        );
    }
}
