//! # unbalanced-quote
//!
//! ## What it does
//! Flags a quote mark with no partner in its paragraph: an opening `“` `‘` `「` `『` or
//! straight `"` `'` that is never closed, or a closing mark that closes nothing. Marks pair
//! only within a paragraph (a quotation may run across the lines of one paragraph, not
//! across a blank line) and only with their own kind (`“…”`, `‘…’`, `「…」`, `『…』`,
//! `"…"`, `'…'`). Apostrophes are not quote marks: inside a word (`Yoon's`), after a plural
//! (`workers'`) or before a year (`'90s`). Neither is a prime after a digit (`12"`).
//!
//! ## Why it matters
//! A reader cannot tell where the quoted words end, so cannot tell what was said and what
//! the draft says; a stray mark is also often the sign of a lost or mangled edit.
//!
//! ## Example
//! ```text
//! The director added, “Officers should check the certificate before signing.
//!
//! Equipment labelled end of life” must be replaced first.
//! ```
//!
//! ## Use instead
//! ```text
//! The director added, “Officers should check the certificate before signing.”
//!
//! Equipment labelled “end of life” must be replaced first.
//! ```
//!
//! ## Options
//! None besides the rule's level (`[rules] unbalanced-quote = "off"`, …).

use super::{Context, Reporter, Rule, Scope};
use crate::analysis::quotations::MarkSide;
use crate::analysis::Severity;

pub static RULE: Rule = Rule {
    name: "unbalanced-quote",
    default_severity: Severity::Warning,
    scope: Scope::Block,
    source: include_str!("unbalanced_quote.rs"),
    check,
};

fn check(cx: &Context, out: &mut Reporter) {
    for mark in &cx.doc.unpaired_quote_marks {
        let text = cx.doc.source(mark.range.clone());
        let message = match mark.side {
            MarkSide::Opening => format!(
                "Opening quote mark `{text}` is never closed in this paragraph; \
                 close the quotation or remove the mark"
            ),
            MarkSide::Closing => format!(
                "Closing quote mark `{text}` has no opening mark in this paragraph; \
                 open the quotation or remove the mark"
            ),
        };
        out.report(mark.range.clone(), message, None);
    }
}

#[cfg(test)]
mod tests {
    use crate::analysis::{analyze, DocumentKind};
    use crate::config::Config;

    /// Asserts the rule flags exactly the marks in `expected`, in order.
    fn assert_flags(text: &str, kind: DocumentKind, expected: &[&str]) {
        let found: Vec<&str> = analyze(text, kind, &Config::default())
            .diagnostics
            .into_iter()
            .filter(|d| d.rule == "unbalanced-quote")
            .map(|d| &text[d.range])
            .collect();
        assert_eq!(found, expected, "in {text:?}");
    }

    fn assert_no_findings(text: &str) {
        assert_flags(text, DocumentKind::PlainText, &[]);
    }

    #[test]
    fn flags_marks_left_open_or_closing_nothing() {
        assert_flags(
            "The director added, “Check the certificate first.\n\nEquipment labelled end of life” goes first.\n",
            DocumentKind::PlainText,
            &["“", "”"],
        );
        assert_flags(
            "He said \"we will act and left.\n",
            DocumentKind::PlainText,
            &["\""],
        );
        assert_flags(
            "> 「Fishers need a fair price.\n",
            DocumentKind::Markdown,
            &["「"],
        );
        assert_flags(
            "A ‘term and a “quote” here.\n",
            DocumentKind::PlainText,
            &["‘"],
        );
    }

    #[test]
    fn a_quote_across_lines_of_one_paragraph_is_balanced() {
        assert_no_findings(
            "Director Yoo said at the briefing, “Every access point bought with public money\nmust be patchable for its whole life.”\n",
        );
        assert_flags(
            "Director Yoo said, “Every access point\r\nmust be patchable.”\r\n",
            DocumentKind::Markdown,
            &[],
        );
    }

    #[test]
    fn apostrophes_primes_and_code_are_not_marks() {
        assert_no_findings(
            "The agency's plan, the workers' rights, Kim’s view, the '90s and a 12\" pipe.\n",
        );
        assert_no_findings("Nested \"quotes with 'inner' terms\" and 「corner」 marks.\n");
        assert_flags(
            "Run `say \"hi` in the shell.\n",
            DocumentKind::Markdown,
            &[],
        );
    }
}
