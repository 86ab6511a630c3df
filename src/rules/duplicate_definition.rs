//! # duplicate-definition
//!
//! ## What it does
//! Flags a term the draft defines more than once: the same term in two `"X" means …`
//! sentences, a Definitions entry and a later `X refers to …`, or an acronym expanded
//! twice (the same way or two different ways). The second and later definitions are
//! reported, pointing at the first.
//!
//! Appositives (`hubs—partnerships of …—`) are explanations rather than definitions and
//! are not compared.
//!
//! ## Why it matters
//! Two definitions of one term either repeat each other, which wastes the reader's time,
//! or disagree, which makes the text ambiguous — in a regulation, a legal defect.
//!
//! ## Example
//! ```text
//! "Data steward" means the official who handles applications.
//! …
//! "Data steward" means the official who publishes the data.
//! ```
//!
//! ## Use instead
//! Keep one definition and refer to it.
//!
//! ## Options
//! Severity only.

use std::collections::HashMap;

use super::{Context, Reporter, Rule, Scope};
use crate::analysis::terms::DefinitionKind;
use crate::analysis::Severity;

pub static RULE: Rule = Rule {
    name: "duplicate-definition",
    default_severity: Severity::Warning,
    scope: Scope::Document,
    source: include_str!("duplicate_definition.rs"),
    check,
};

fn check(cx: &Context, out: &mut Reporter) {
    let doc = cx.doc;
    let mut first_by_key = HashMap::new();
    for definition in &doc.terms.definitions {
        if definition.kind == DefinitionKind::Appositive {
            continue;
        }
        let Some(first) = first_by_key.get(&definition.key) else {
            first_by_key.insert(definition.key.clone(), definition);
            continue;
        };
        let line = doc.lines.line_of(first.term_range.start) + 1;
        let same = doc
            .prose(first.definition_range.clone())
            .trim()
            .eq_ignore_ascii_case(doc.prose(definition.definition_range.clone()).trim());
        let message = if same {
            format!(
                "`{}` is already defined the same way on line {line}; remove this repetition",
                definition.term
            )
        } else {
            format!(
                "`{}` is already defined differently on line {line}; keep one definition",
                definition.term
            )
        };
        out.report(definition.term_range.clone(), message, None);
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_flags, assert_no_findings};

    #[test]
    fn flags_second_definitions() {
        assert_flags(
            "duplicate-definition",
            "\"Data steward\" means the official who handles applications.\nThe Harbour Board (HB) met.\n\"Data steward\" means the official who publishes data.\nThe Harbour Budget (HB) rose.\n",
            &["Data steward", "HB"],
        );
    }

    #[test]
    fn single_definitions_and_appositives_pass() {
        assert_no_findings(
            "duplicate-definition",
            "\"Data steward\" means the official who handles applications.\nThe data steward decides. Hubs—partnerships of firms and a university—grow.\nThe Harbour Board (HB) met; the HB agreed. 한국 🙂\n",
        );
    }
}
