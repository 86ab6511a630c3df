//! # unused-definition
//!
//! ## What it does
//! Flags a defined term that the draft never uses again. Definitions are `"X" means …`,
//! `X (hereinafter "Y")` and Definitions entries; a use is the term in any inflection
//! (`cluster`, `clusters`, `cluster's`) or its acronym.
//!
//! Acronym expansions are not checked: introducing a body by its full name and initials
//! is house style in press releases even when the initials are not needed again, and
//! appositives explain rather than define.
//!
//! ## Why it matters
//! A definition the text never relies on is noise at best; at worst it signals that a
//! provision using the term was deleted and the draft no longer says what was intended.
//!
//! ## Example
//! ```text
//! "Port levy" means a charge on ships entering the harbour.   ← never used again
//! ```
//!
//! ## Use instead
//! Drop the definition, or use the term where the text means it.
//!
//! ## Options
//! Severity only (default `hint`).

use std::collections::HashMap;
use std::ops::Range;
use std::sync::{Arc, LazyLock, Mutex};

use regex::{Regex, RegexBuilder};

use super::{Context, Reporter, Rule, Scope};
use crate::analysis::phrase::{folded_pattern, Phrase, UnicodeClass, COMPILE_AFTER};
use crate::analysis::terms::{term_key, Definition, DefinitionKind};
use crate::analysis::Severity;

pub static RULE: Rule = Rule {
    name: "unused-definition",
    default_severity: Severity::Hint,
    scope: Scope::Document,
    source: include_str!("unused_definition.rs"),
    check,
};

fn check(cx: &Context, out: &mut Reporter) {
    let doc = cx.doc;
    let defined: Vec<&Definition> = doc
        .terms
        .definitions
        .iter()
        .filter(|d| {
            !matches!(
                d.kind,
                DefinitionKind::Appositive | DefinitionKind::Expansion
            )
        })
        .filter(|d| !d.key.is_empty())
        .collect();
    if defined.is_empty() {
        return;
    }
    // `Regional innovation agency (RIA)`: a use of the acronym is a use of the term.
    let acronym_of: HashMap<String, String> = doc
        .terms
        .definitions
        .iter()
        .filter(|d| d.kind == DefinitionKind::Expansion)
        .map(|d| {
            (
                term_key(doc.prose(d.definition_range.clone())),
                d.key.clone(),
            )
        })
        .collect();
    let mut keys: Vec<&str> = defined.iter().map(|d| d.key.as_str()).collect();
    keys.extend(
        defined
            .iter()
            .filter_map(|d| acronym_of.get(&d.key))
            .map(String::as_str),
    );
    let Some(uses) = find_uses(&doc.prose, &keys) else {
        return;
    };
    for definition in defined {
        let acronym = acronym_of.get(&definition.key);
        let used = uses.iter().any(|(key, range)| {
            (*key == definition.key || is_verb_form(key, &definition.key) || Some(key) == acronym)
                && range.start != definition.term_range.start
                && !overlaps(range, &definition.term_range)
                && !overlaps(range, &definition.definition_range)
        });
        if !used {
            out.report(
                definition.term_range.clone(),
                format!(
                    "`{}` is defined but never used; drop the definition or use the term",
                    definition.term
                ),
                None,
            );
        }
    }
}

/// `mentoring`, `mentored` for `mentor`.
fn is_verb_form(found: &str, key: &str) -> bool {
    found
        .strip_prefix(key)
        .is_some_and(|ending| ending == "ing" || ending == "ed")
}

fn overlaps(a: &Range<usize>, b: &Range<usize>) -> bool {
    a.start < b.end && b.start < a.end
}

/// Every occurrence of any defined term in one pass over the prose, with its key.
fn find_uses(prose: &str, keys: &[&str]) -> Option<Vec<(String, Range<usize>)>> {
    // The pattern is the draft's own: compiling it costs more than searching a draft of a
    // few pages with a `Phrase`, which finds the same.
    let key_bytes: usize = keys.iter().map(|k| k.len()).sum();
    if prose.len() <= COMPILE_AFTER
        && key_bytes <= PHRASE_KEYS_BYTES
        && keys.iter().all(|k| k.is_ascii())
    {
        Some(uses_by_phrase(prose, keys))
    } else {
        uses_by_regex(prose, keys)
    }
}

/// The most bytes of keys [`find_uses`] searches with a [`Phrase`]: far more than a few
/// pages define, and few enough that the compiled pattern would never have been too large
/// (so the two searches find the same).
const PHRASE_KEYS_BYTES: usize = 4096;

/// [`find_uses`] with a [`Phrase`] of the keys' alternatives for ASCII keys, which finds
/// what [`uses_pattern`] finds with `(?i)`: a use starts at the start of the prose or after
/// a separator, and ends before one or at the end.
fn uses_by_phrase(prose: &str, keys: &[&str]) -> Vec<(String, Range<usize>)> {
    let phrase = Phrase::new(&alternatives(keys));
    let is_separator = |c: char| !LETTER_DIGIT_AMPERSAND.contains(c);
    let mut uses = Vec::new();
    let mut at = 0;
    while let Some(found) = phrase.find_delimited_at(prose, at, is_separator) {
        at = found.end;
        uses.push((term_key(&prose[found.clone()]), found));
    }
    uses
}

/// `[\p{L}\p{N}&]`: what a use may not start after or end before.
static LETTER_DIGIT_AMPERSAND: LazyLock<UnicodeClass> =
    LazyLock::new(|| UnicodeClass::new(r"[\p{L}\p{N}&]"));

/// [`find_uses`] with the compiled [`uses_pattern`]; `None` if it is too large.
fn uses_by_regex(prose: &str, keys: &[&str]) -> Option<Vec<(String, Range<usize>)>> {
    let pattern = uses_pattern(keys);
    // Keys are lower case. When they are ASCII, the pattern is searched, case-sensitive, on
    // a copy of the prose with its ASCII letters lower-cased, which finds what `(?i)` finds
    // on the prose at the same offsets (`folded_pattern`) and compiles several times faster.
    let ascii = keys.iter().all(|k| k.is_ascii());
    let lower;
    let (pattern, haystack) = if ascii {
        lower = prose.to_ascii_lowercase();
        (folded_pattern(&pattern), lower.as_str())
    } else {
        (format!("(?i){pattern}"), prose)
    };
    let regex = compiled(pattern)?;
    let mut uses = Vec::new();
    let mut at = 0;
    while let Some(caps) = regex.captures_at(haystack, at) {
        let found = caps.get(1).expect("group 1 is not optional");
        uses.push((term_key(&prose[found.range()]), found.range()));
        at = found.end();
    }
    Some(uses)
}

/// The compiled [`uses_pattern`]'s size limit, in bytes.
const USES_SIZE_LIMIT: usize = 1 << 22;

/// How many of the drafts' patterns [`compiled`] keeps: one per draft being edited.
const KEPT_PATTERNS: usize = 8;

/// `pattern` compiled, or `None` if it is too large. A draft's pattern changes only when
/// its definitions do, and the language server analyses the same draft at every
/// keystroke: compiling it cost several times the search (7.7 M instructions of a 35 kB
/// licence's 12.8 M per keystroke), so the last few are kept.
fn compiled(pattern: String) -> Option<Arc<Regex>> {
    static KEPT: Mutex<KeptPatterns> = Mutex::new(KeptPatterns(Vec::new()));
    KEPT.lock()
        .unwrap_or_else(|e| e.into_inner())
        .compiled(pattern)
}

/// The last [`KEPT_PATTERNS`] patterns compiled, most recently used last.
struct KeptPatterns(Vec<(String, Arc<Regex>)>);

impl KeptPatterns {
    fn compiled(&mut self, pattern: String) -> Option<Arc<Regex>> {
        let kept = &mut self.0;
        if let Some(at) = kept.iter().position(|(p, _)| *p == pattern) {
            let entry = kept.remove(at);
            let regex = entry.1.clone();
            kept.push(entry);
            return Some(regex);
        }
        // Terms come from the draft; a pathological one only costs this rule, never the run.
        let regex = Arc::new(
            RegexBuilder::new(&pattern)
                .size_limit(USES_SIZE_LIMIT)
                .build()
                .ok()?,
        );
        if kept.len() == KEPT_PATTERNS {
            kept.remove(0);
        }
        kept.push((pattern, regex.clone()));
        Some(regex)
    }
}

/// Any of `keys` in any inflection, between characters that are not letters, digits or `&`,
/// as group 1; case-sensitive.
fn uses_pattern(keys: &[&str]) -> String {
    format!(
        r"(?:^|[^\p{{L}}\p{{N}}&])((?:{}))(?:$|[^\p{{L}}\p{{N}}&])",
        alternatives(keys)
    )
}

/// The keys, each in any inflection, longest pattern first: `a|b|…`.
fn alternatives(keys: &[&str]) -> String {
    let mut alternatives: Vec<String> = keys.iter().map(|k| inflected(k)).collect();
    alternatives.sort_by_key(|a| std::cmp::Reverse(a.len()));
    alternatives.dedup();
    alternatives.join("|")
}

/// A pattern for a key in any inflection: words separated by any whitespace, the last
/// with an optional plural or possessive ending, or the `-ing`/`-ed` of a term that is also
/// a verb (`"Mentor" means …` is used by `mentoring`).
fn inflected(key: &str) -> String {
    let words: Vec<String> = key.split(' ').map(regex::escape).collect();
    let (last, rest) = words
        .split_last()
        .expect("empty keys are filtered out before");
    let last = match last.strip_suffix('y') {
        Some(stem) => format!("{stem}(?:y|ies)"),
        None => format!("{last}(?:s|es|ing|ed)?"),
    };
    let mut parts = rest.to_vec();
    parts.push(format!("{last}(?:['’]s)?"));
    parts.join(r"[\s\-]+")
}

#[cfg(test)]
mod tests {
    use crate::analysis::testing::random_texts;
    use crate::rules::testing::{assert_flags, assert_no_findings};
    use crate::rules::vague_attribution::tests::ANY_TEXT;

    /// The search for uses finds what the case-insensitive pattern found on the prose, for
    /// ASCII keys (searched folded) and others.
    #[test]
    fn uses_equal_the_case_insensitive_pattern() {
        let keys: &[&[&str]] = &[
            &[
                "port levy",
                "mentor",
                "harbour safety board",
                "hsb",
                "r&d",
                "agency",
                "task",
            ],
            &["café", "port levy", "ſhip"],
        ];
        let pieces = [
            "Port",
            "PORT",
            "port",
            " levy",
            " Levies",
            "-levy",
            "'s",
            "’s",
            "Mentor",
            "mentoring",
            "MENTORED",
            "Harbour Safety Board",
            "HSB",
            "hsbs",
            "R&D",
            "agency",
            "Agencies",
            "ſhip",
            "\u{212A}",
            "tasks",
            "TAS\u{212A}",
            "café",
            "CAFÉ",
            "Cafés",
            " ",
            "  ",
            "\n",
            "é",
            "9",
            "&",
        ];
        let pieces: Vec<&str> = pieces.iter().chain(ANY_TEXT).copied().collect();
        for keys in keys {
            let exact = regex::Regex::new(&format!("(?i){}", super::uses_pattern(keys))).unwrap();
            let mut matches = 0;
            for text in random_texts(&pieces, 400, 24) {
                let mut expected = Vec::new();
                let mut at = 0;
                while let Some(caps) = exact.captures_at(&text, at) {
                    let found = caps.get(1).unwrap();
                    expected.push((
                        crate::analysis::terms::term_key(found.as_str()),
                        found.range(),
                    ));
                    at = found.end();
                }
                matches += expected.len();
                assert_eq!(
                    super::find_uses(&text, keys),
                    Some(expected.clone()),
                    "{text:?}"
                );
                assert_eq!(
                    super::uses_by_regex(&text, keys),
                    Some(expected),
                    "{text:?}"
                );
            }
            assert!(matches > 100, "{matches}");
        }
    }

    /// A draft's pattern is compiled once while it is among the last few searched, and
    /// compiled again once enough other drafts' patterns have pushed it out.
    #[test]
    fn compiled_patterns_are_kept_for_the_next_keystroke() {
        let pattern = |n: usize| super::uses_pattern(&[&format!("kept term {n}")]);
        let mut kept = super::KeptPatterns(Vec::new());
        let first = kept.compiled(pattern(0)).unwrap();
        let again = kept.compiled(pattern(0)).unwrap();
        assert!(std::sync::Arc::ptr_eq(&first, &again));
        for n in 1..=super::KEPT_PATTERNS {
            kept.compiled(pattern(n)).unwrap();
        }
        let recompiled = kept.compiled(pattern(0)).unwrap();
        assert!(!std::sync::Arc::ptr_eq(&first, &recompiled));
    }

    /// Keys that `find_uses` searches with a `Phrase` never make a pattern that the
    /// compiled search would have refused as too large (and so found nothing): not even
    /// `PHRASE_KEYS_BYTES` of the words that compile largest, `s` and `k` (each a class when
    /// folded) between separators (each a class of all white space).
    #[test]
    fn keys_searched_by_phrase_compile_within_the_limit() {
        for shape in ["s{} k s k s k", "sks{} sks sks sks sks sks"] {
            let mut keys = Vec::new();
            while keys.iter().map(|k: &String| k.len()).sum::<usize>() < super::PHRASE_KEYS_BYTES {
                keys.push(shape.replace("{}", &keys.len().to_string()));
            }
            let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
            assert!(
                super::uses_by_regex("s1 k s k s k", &keys).is_some(),
                "{shape}"
            );
        }
    }

    #[test]
    fn flags_terms_never_used_again() {
        assert_flags(
            "unused-definition",
            "The Harbour Safety Board (HSB) met.\n\"Port levy\" means a charge on ships.\nThe board agreed.\n",
            &["Port levy"],
        );
    }

    #[test]
    fn an_acronym_given_with_the_term_counts_as_a_use() {
        assert_no_findings(
            "unused-definition",
            "# Plan\n\n## Definitions\n\n**Harbour agency (HA)**: the body that runs the port.\n\n## Governance\n\nEach HA reports yearly.\n",
        );
    }

    #[test]
    fn a_verb_form_counts_as_a_use() {
        assert_no_findings(
            "unused-definition",
            "## Definitions\n\n③ \"Mentor\" means an expert who advises tenants.\n\n## Support\n\nTenants get mentoring.\n",
        );
    }

    #[test]
    fn any_inflection_counts_as_a_use() {
        assert_no_findings(
            "unused-definition",
            "The Harbour Safety Board (HSB) met.\n\"Port levy\" means a charge on ships.\nThe HSB's members set port levies. 한국 🙂\r\n",
        );
    }
}
