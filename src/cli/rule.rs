//! `policy-lsp rule [NAME]`: a rule's documentation, or the list of every rule.

use clap::Args;

use super::exit::Exit;
use crate::rules::{self, RULES};

#[derive(Debug, Args)]
pub struct RuleArgs {
    /// The rule to explain; without it, every rule is listed.
    name: Option<String>,
}

pub fn run(args: RuleArgs) -> Exit {
    let Some(name) = args.name else {
        return super::print(&rule_list());
    };
    match rules::find(&name) {
        Some(rule) => super::print(&format!(
            "{} (default severity: {})\n\n{}\n",
            rule.name,
            rule.default_severity,
            rule.doc().trim_end()
        )),
        None => {
            let known: Vec<&str> = RULES.iter().map(|r| r.name).collect();
            eprintln!(
                "error: unknown rule `{name}`; the rules are: {}",
                known.join(", ")
            );
            Exit::Error
        }
    }
}

/// One line per rule: name, default severity and summary, in aligned columns.
fn rule_list() -> String {
    let width = RULES.iter().map(|r| r.name.len()).max().unwrap_or(0);
    RULES
        .iter()
        .map(|rule| {
            let line = format!(
                "{:width$}  {:11}  {}",
                rule.name,
                rule.default_severity.as_str(),
                rule.summary()
            );
            format!("{}\n", line.trim_end())
        })
        .collect()
}
