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
    match args.name {
        None => {
            print!("{}", rule_list());
            Exit::Clean
        }
        Some(name) => match rules::find(&name) {
            Some(rule) => {
                println!(
                    "{} (default severity: {})\n",
                    rule.name, rule.default_severity
                );
                println!("{}", rule.doc().trim_end());
                Exit::Clean
            }
            None => {
                let known: Vec<&str> = RULES.iter().map(|r| r.name).collect();
                eprintln!(
                    "error: unknown rule `{name}`; the rules are: {}",
                    known.join(", ")
                );
                Exit::Error
            }
        },
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
