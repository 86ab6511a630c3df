//! Helpers for rule tests: run the whole analysis on a snippet and compare one rule's
//! findings by the text they cover.

use crate::analysis::{analyze, DocumentKind};
use crate::config::Config;

/// The text each finding of `rule` covers, in order. Snippets starting with `#` are read
/// as Markdown, everything else as plain text.
pub fn flagged(rule: &str, text: &str) -> Vec<String> {
    let kind = if text.starts_with('#') {
        DocumentKind::Markdown
    } else {
        DocumentKind::PlainText
    };
    analyze(text, kind, &Config::default())
        .diagnostics
        .into_iter()
        .filter(|d| d.rule == rule)
        .map(|d| text[d.range].to_owned())
        .collect()
}

#[track_caller]
pub fn assert_flags(rule: &str, text: &str, expected: &[&str]) {
    assert_eq!(
        flagged(rule, text),
        expected,
        "findings of {rule} in {text:?}"
    );
}

#[track_caller]
pub fn assert_no_findings(rule: &str, text: &str) {
    assert_flags(rule, text, &[]);
}
