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

/// How much of the draft a rule reads to judge one place in it.
#[derive(Clone, Copy)]
pub enum Scope {
    /// Only the blocks the finding is in (and their quotations, sentences, figures): run
    /// on a piece of the draft that no block crosses, it finds exactly what it finds
    /// there in the whole draft. The incremental analysis re-runs it on changed pieces
    /// only.
    Block,
    /// Anything: other blocks, sections, the term index, line numbers. Runs on the whole
    /// draft.
    Document,
    /// Document-wide, in two passes: `gather` reads a piece of the draft that no block
    /// crosses and keeps what the judgement needs (offsets relative to the piece); `judge`
    /// reads the whole draft and what was gathered in each piece, in order, with the
    /// piece's offset. The incremental analysis gathers from changed pieces only. The
    /// rule's `check` must be `judge` over one piece, the whole draft ([`check_split`]).
    Split {
        gather: fn(&Context) -> Gathered,
        judge: fn(&Context, &[(usize, &Gathered)], &mut Reporter),
    },
}

/// What a [`Scope::Split`] rule gathers from a piece of the draft.
pub type Gathered = Box<dyn std::any::Any + Send + Sync>;

/// The `check` of a [`Scope::Split`] rule: gather from the whole draft, then judge.
pub fn check_split(rule: &Rule, cx: &Context, out: &mut Reporter) {
    if let Scope::Split { gather, judge } = rule.scope {
        let gathered = gather(cx);
        judge(cx, &[(0, &gathered)], out);
    }
}

/// A lint rule.
pub struct Rule {
    /// Stable name; never reused for another meaning.
    pub name: &'static str,
    pub default_severity: Severity,
    /// What the rule reads; decides whether it can run on a piece of the draft.
    pub scope: Scope,
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
            message: message.into().into(),
            range,
            fix,
        });
    }
}

/// Runs every rule the configuration leaves on.
pub fn run_all(doc: &Document, config: &Config) -> Vec<Diagnostic> {
    run(doc, config, |_| true)
}

impl Scope {
    pub fn is_block(&self) -> bool {
        matches!(self, Scope::Block)
    }

    pub fn is_document(&self) -> bool {
        matches!(self, Scope::Document)
    }
}

/// Runs the rules whose scope `wanted` accepts and the configuration leaves on.
pub fn run_scope(doc: &Document, config: &Config, wanted: fn(&Scope) -> bool) -> Vec<Diagnostic> {
    run(doc, config, |rule| wanted(&rule.scope))
}

/// [`run_scope`], the rules run side by side on rayon's pool, their findings concatenated
/// in rule order: the same result. For the incremental analysis, where the document-wide
/// rules are what is left to do after an edit.
pub fn run_scope_parallel(
    doc: &Document,
    config: &Config,
    wanted: fn(&Scope) -> bool,
) -> Vec<Diagnostic> {
    use rayon::prelude::*;
    let rules: Vec<(&'static Rule, Severity)> = enabled(config)
        .filter(|(rule, _)| wanted(&rule.scope))
        .collect();
    let context = Context { doc, config };
    let found: Vec<Vec<Diagnostic>> = rules
        .par_iter()
        .map(|&(rule, severity)| {
            let mut out = Vec::new();
            check(&context, rule, severity, &mut out);
            out
        })
        .collect();
    found.concat()
}

/// The rules the configuration leaves on, with their configured severity.
fn enabled(config: &Config) -> impl Iterator<Item = (&'static Rule, Severity)> + '_ {
    RULES.iter().filter_map(
        |rule| match config.level(rule.name, rule.default_severity) {
            RuleLevel::On(severity) => Some((*rule, severity)),
            RuleLevel::Off => None,
        },
    )
}

/// For each [`Scope::Split`] rule the configuration leaves on (by index in [`RULES`]),
/// what it gathers from `doc`, a piece of a draft.
pub fn gather_split(doc: &Document, config: &Config) -> Vec<(usize, Gathered)> {
    let context = Context { doc, config };
    enabled(config)
        .filter_map(|(rule, _)| match rule.scope {
            Scope::Split { gather, .. } => {
                let index = RULES.iter().position(|r| std::ptr::eq(*r, rule))?;
                Some((index, gather(&context)))
            }
            _ => None,
        })
        .collect()
}

/// Runs the [`Scope::Split`] rules' judgements on `doc`, the whole draft: `pieces` are,
/// in order, each piece's offset and what [`gather_split`] found there.
pub fn judge_split(
    doc: &Document,
    config: &Config,
    pieces: &[(usize, &[(usize, Gathered)])],
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let context = Context { doc, config };
    for (rule, severity) in enabled(config) {
        let Scope::Split { judge, .. } = rule.scope else {
            continue;
        };
        let Some(index) = RULES.iter().position(|r| std::ptr::eq(*r, rule)) else {
            continue;
        };
        let mine: Vec<(usize, &Gathered)> = pieces
            .iter()
            .filter_map(|(offset, gathered)| {
                let (_, g) = gathered.iter().find(|(i, _)| *i == index)?;
                Some((*offset, g))
            })
            .collect();
        let mut reporter = Reporter {
            rule: rule.name,
            severity,
            out: &mut out,
        };
        judge(&context, &mine, &mut reporter);
    }
    out
}

fn run(doc: &Document, config: &Config, wanted: impl Fn(&Rule) -> bool) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let context = Context { doc, config };
    for (rule, severity) in enabled(config).filter(|(rule, _)| wanted(rule)) {
        check(&context, rule, severity, &mut out);
    }
    out
}

/// Runs one rule at `severity`, its findings appended to `out`.
fn check(context: &Context, rule: &Rule, severity: Severity, out: &mut Vec<Diagnostic>) {
    let mut reporter = Reporter {
        rule: rule.name,
        severity,
        out,
    };
    (rule.check)(context, &mut reporter);
}
