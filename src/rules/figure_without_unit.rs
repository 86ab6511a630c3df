//! # figure-without-unit
//!
//! (documentation to come)

use super::{Context, Reporter, Rule};
use crate::analysis::Severity;

pub static RULE: Rule = Rule {
    name: "figure-without-unit",
    default_severity: Severity::Warning,
    source: include_str!("figure_without_unit.rs"),
    check,
};

fn check(_cx: &Context, _out: &mut Reporter) {}
