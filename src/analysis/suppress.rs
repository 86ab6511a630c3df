//! Inline suppression comments.
//!
//! `<!-- policy-lsp: ignore RULE[, RULE…] -->` silences the rules on the next non-blank line
//! (or on its own line when it follows text there); `<!-- policy-lsp: ignore-file RULE… -->`
//! silences them in the whole file. No rule names means every rule. Block-quote markers
//! count as blank: `> <!-- policy-lsp: ignore … -->` inside a block quote is a comment on a
//! line of its own, and a line holding nothing but `>` is a blank line.

use std::collections::HashMap;
use std::ops::Range;
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

/// What every directive holds. It holds no line break, so a piece of a draft cut at line
/// starts holds all of each directive it has a part of.
const MARKER: &str = "policy-lsp:";

impl Suppressions {
    /// The directives of `text`, whose line index is `index`.
    pub fn parse(text: &str, index: &LineIndex) -> Self {
        let mut out = Suppressions::default();
        if !Suppressions::may_hold_directives(text) {
            return out;
        }
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
            let target = if is_blank(before) {
                next_non_blank_line(text, index, line + 1)
            } else {
                Some(line)
            };
            if let Some(target) = target {
                out.lines.entry(target).or_default().add(names);
            }
        }
        out
    }

    /// Whether `text` may hold a directive; without one it has no suppressions.
    pub fn may_hold_directives(text: &str) -> bool {
        text.contains(MARKER)
    }

    /// Whether no directive silences anything (then no finding needs looking up).
    pub fn is_empty(&self) -> bool {
        self.file == RuleSet::None && self.lines.is_empty()
    }

    /// Whether `rule` is silenced on zero-based `line`.
    pub fn is_suppressed(&self, rule: &str, line: usize) -> bool {
        self.file.contains(rule) || self.lines.get(&line).is_some_and(|set| set.contains(rule))
    }
}

/// Nothing but whitespace and block-quote markers.
fn is_blank(text: &str) -> bool {
    text.chars().all(|c| c.is_whitespace() || c == '>')
}

fn next_non_blank_line(text: &str, index: &LineIndex, from: usize) -> Option<usize> {
    (from..index.line_count()).find(|&l| {
        index
            .line_range(text, l)
            .is_some_and(|r| !is_blank(&text[r]))
    })
}

/// An `ignore` directive that is a line of its own (see [`own_line_ignore`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OwnLineIgnore {
    /// The rule list, as byte offsets into the line; empty when the directive names no
    /// rule (and so silences every rule).
    pub names: Range<usize>,
}

/// The `ignore` directive that `line` (one line, without its break) consists of, with
/// nothing but whitespace and block-quote markers around it; `None` for any other line,
/// including `ignore-file` directives. Such a directive applies to the next non-blank line,
/// so a new rule for that line belongs in its list rather than on a new line between them.
pub fn own_line_ignore(line: &str) -> Option<OwnLineIgnore> {
    let caps = DIRECTIVE.captures(line)?;
    let whole = caps.get(0)?;
    let own_line = &caps[1] == "ignore"
        && is_blank(&line[..whole.start()])
        && line[whole.end()..].trim().is_empty();
    if !own_line {
        return None;
    }
    let names = caps.get(2).map_or(whole.start()..whole.start(), |m| {
        // The group may start with the spaces after `ignore`; the list is the rest.
        let inner = m.as_str();
        let lead = inner.len() - inner.trim_start().len();
        m.start() + lead..m.end()
    });
    Some(OwnLineIgnore { names })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_line_and_file_directives() {
        let text = "<!-- policy-lsp: ignore figure-without-unit, unbalanced-quote -->\n\nA 12 here.\nB\n<!-- policy-lsp: ignore-file encoding-artifact -->\n";
        let s = Suppressions::parse(text, &LineIndex::new(text));
        assert!(s.is_suppressed("figure-without-unit", 2));
        assert!(s.is_suppressed("unbalanced-quote", 2));
        assert!(!s.is_suppressed("unattributed-quote", 2));
        assert!(!s.is_suppressed("figure-without-unit", 3));
        assert!(s.is_suppressed("encoding-artifact", 0));
        assert!(s.is_suppressed("encoding-artifact", 3));
    }

    #[test]
    fn block_quote_markers_count_as_blank() {
        let text = "> <!-- policy-lsp: ignore unattributed-quote -->\n>\n> \"Quote here,\" x\n";
        let s = Suppressions::parse(text, &LineIndex::new(text));
        assert!(s.is_suppressed("unattributed-quote", 2));
        assert!(!s.is_suppressed("unattributed-quote", 0));
    }

    #[test]
    fn own_line_directives() {
        let line = "  > <!-- policy-lsp: ignore  a, b -->  ";
        let found = own_line_ignore(line).unwrap();
        assert_eq!(&line[found.names.clone()], "a, b");
        let all = own_line_ignore("<!-- policy-lsp: ignore -->").unwrap();
        assert!(all.names.is_empty());
        assert_eq!(own_line_ignore("x <!-- policy-lsp: ignore a -->"), None);
        assert_eq!(own_line_ignore("<!-- policy-lsp: ignore-file a -->"), None);
        assert_eq!(own_line_ignore("<!-- policy-lsp: ignore a --> x"), None);
    }

    #[test]
    fn no_rule_means_all_and_trailing_comment_means_this_line() {
        let text = "x\nA \"quote <!-- policy-lsp: ignore -->\nB\n";
        let s = Suppressions::parse(text, &LineIndex::new(text));
        assert!(s.is_suppressed("anything", 1));
        assert!(!s.is_suppressed("anything", 2));
    }
}
