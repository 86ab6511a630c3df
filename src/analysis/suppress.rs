//! Inline suppression comments.
//!
//! `<!-- policy-lsp: ignore RULE[, RULE…] -->` silences the rules on the next non-blank line
//! (or on its own line when it follows text there); `<!-- policy-lsp: ignore-file RULE… -->`
//! silences them in the whole file. No rule names means every rule.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;

use super::text::LineIndex;

static DIRECTIVE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"<!--\s*policy-lsp:\s*(ignore-file|ignore)\b([^>]*?)\s*-->")
        .expect("directive pattern is valid")
});

/// Which rules a directive names.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum RuleSet {
    #[default]
    None,
    All,
    Some(Vec<String>),
}

impl RuleSet {
    fn add(&mut self, names: &str) {
        let names: Vec<String> = names
            .split([',', ' '])
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map(str::to_owned)
            .collect();
        *self = match (std::mem::take(self), names.is_empty()) {
            (RuleSet::All, _) | (_, true) => RuleSet::All,
            (RuleSet::None, false) => RuleSet::Some(names),
            (RuleSet::Some(mut old), false) => {
                old.extend(names);
                RuleSet::Some(old)
            }
        };
    }

    pub fn contains(&self, rule: &str) -> bool {
        match self {
            RuleSet::None => false,
            RuleSet::All => true,
            RuleSet::Some(names) => names.iter().any(|n| n == rule),
        }
    }
}

/// Every suppression in a draft, by zero-based line.
#[derive(Clone, Debug, Default)]
pub struct Suppressions {
    file: RuleSet,
    lines: HashMap<usize, RuleSet>,
}

impl Suppressions {
    pub fn parse(text: &str) -> Self {
        let mut out = Suppressions::default();
        if !text.contains("policy-lsp:") {
            return out;
        }
        let index = LineIndex::new(text);
        for caps in DIRECTIVE.captures_iter(text) {
            let whole = caps.get(0).expect("group 0 always matches");
            let names = caps.get(2).map_or("", |m| m.as_str());
            if &caps[1] == "ignore-file" {
                out.file.add(names);
                continue;
            }
            let line = index.line_of(whole.start());
            let line_range = index.line_range(text, line).unwrap_or(0..0);
            let before = &text[line_range.start..whole.start()];
            let target = if before.trim().is_empty() {
                next_non_blank_line(text, &index, line + 1)
            } else {
                Some(line)
            };
            if let Some(target) = target {
                out.lines.entry(target).or_default().add(names);
            }
        }
        out
    }

    /// Whether `rule` is silenced on zero-based `line`.
    pub fn is_suppressed(&self, rule: &str, line: usize) -> bool {
        self.file.contains(rule) || self.lines.get(&line).is_some_and(|set| set.contains(rule))
    }
}

fn next_non_blank_line(text: &str, index: &LineIndex, from: usize) -> Option<usize> {
    (from..index.line_count()).find(|&l| {
        index
            .line_range(text, l)
            .is_some_and(|r| !text[r].trim().is_empty())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_line_and_file_directives() {
        let text = "<!-- policy-lsp: ignore figure-without-unit, unbalanced-quote -->\n\nA 12 here.\nB\n<!-- policy-lsp: ignore-file encoding-artifact -->\n";
        let s = Suppressions::parse(text);
        assert!(s.is_suppressed("figure-without-unit", 2));
        assert!(s.is_suppressed("unbalanced-quote", 2));
        assert!(!s.is_suppressed("unattributed-quote", 2));
        assert!(!s.is_suppressed("figure-without-unit", 3));
        assert!(s.is_suppressed("encoding-artifact", 0));
        assert!(s.is_suppressed("encoding-artifact", 3));
    }

    #[test]
    fn no_rule_means_all_and_trailing_comment_means_this_line() {
        let text = "x\nA \"quote <!-- policy-lsp: ignore -->\nB\n";
        let s = Suppressions::parse(text);
        assert!(s.is_suppressed("anything", 1));
        assert!(!s.is_suppressed("anything", 2));
    }
}
