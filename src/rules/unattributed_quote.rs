//! # unattributed-quote
//!
//! (documentation to come)

use super::{Context, Reporter, Rule};
use crate::analysis::Severity;

pub static RULE: Rule = Rule {
    name: "unattributed-quote",
    default_severity: Severity::Warning,
    source: include_str!("unattributed_quote.rs"),
    check,
};

fn check(_cx: &Context, _out: &mut Reporter) {}
