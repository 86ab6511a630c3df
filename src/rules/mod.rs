//! The rule registry. One rule, one module: each declares a [`Rule`] with its name, default
//! severity and check function; its module doc comment (What it does / Why it matters /
//! Example / Use instead / Options) is what `policy-lsp rule NAME` prints and what the
//! README lists.

use crate::analysis::{Diagnostic, Document, Fix, Severity};
use crate::config::{Config, RuleLevel};
use std::ops::Range;

mod broken_cross_reference;
mod duplicate_definition;
mod encoding_artifact;
mod figure_without_unit;
mod relative_date;
mod section_numbering;
#[cfg(test)]
pub(crate) mod testing;
mod unattributed_quote;
mod unbalanced_quote;
mod undefined_acronym;
mod unused_definition;
mod vague_attribution;

/// A lint rule.
pub struct Rule {
    /// Stable name; never reused for another meaning.
    pub name: &'static str,
    pub default_severity: Severity,
    /// The rule module's source; its `//!` lines are the documentation.
    source: &'static str,
    check: fn(&Context, &mut Reporter),
}

impl Rule {
    /// The rule's documentation (its module doc comment), as Markdown.
    pub fn doc(&self) -> String {
        module_doc(self.source)
    }

    /// One line: the first sentence (or the clause before a list) under "What it does".
    pub fn summary(&self) -> String {
        let doc = self.doc();
        let body = doc
            .split_once("## What it does")
            .map_or(doc.as_str(), |(_, rest)| rest);
        let paragraph: Vec<&str> = body
            .lines()
            .map(str::trim)
            .skip_while(|l| l.is_empty())
            .take_while(|l| !l.is_empty() && !l.starts_with('#'))
            .collect();
        let paragraph = paragraph.join(" ");
        // The first sentence, or the clause before a colon that starts a list.
        match [". ", ": "].iter().filter_map(|p| paragraph.find(p)).min() {
            Some(end) => format!("{}.", &paragraph[..end]),
            None => paragraph,
        }
    }
}

/// The leading `//!` comment of a Rust source file, as Markdown.
pub(crate) fn module_doc(source: &str) -> String {
    source
        .lines()
        .map_while(|l| l.strip_prefix("//!"))
        .map(|l| l.strip_prefix(' ').unwrap_or(l))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every rule, in the order the README lists them.
pub static RULES: &[&Rule] = &[
    &unattributed_quote::RULE,
    &figure_without_unit::RULE,
    &encoding_artifact::RULE,
    &unbalanced_quote::RULE,
    &relative_date::RULE,
    &vague_attribution::RULE,
    &undefined_acronym::RULE,
    &duplicate_definition::RULE,
    &unused_definition::RULE,
    &section_numbering::RULE,
    &broken_cross_reference::RULE,
];

/// Looks a rule up by name.
pub fn find(name: &str) -> Option<&'static Rule> {
    RULES.iter().copied().find(|r| r.name == name)
}

/// What a rule sees.
pub struct Context<'a> {
    pub doc: &'a Document,
    pub config: &'a Config,
}

/// Collects one rule's findings, stamping its name and configured severity.
pub struct Reporter<'a> {
    rule: &'static str,
    severity: Severity,
    out: &'a mut Vec<Diagnostic>,
}

impl Reporter<'_> {
    pub fn report(&mut self, range: Range<usize>, message: impl Into<String>, fix: Option<Fix>) {
        self.out.push(Diagnostic {
            rule: self.rule,
            severity: self.severity,
            message: message.into(),
            range,
            fix,
        });
    }
}

/// Runs every rule the configuration leaves on.
pub fn run_all(doc: &Document, config: &Config) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let context = Context { doc, config };
    for rule in RULES {
        if let RuleLevel::On(severity) = config.level(rule.name, rule.default_severity) {
            let mut reporter = Reporter {
                rule: rule.name,
                severity,
                out: &mut out,
            };
            (rule.check)(&context, &mut reporter);
        }
    }
    out
}
