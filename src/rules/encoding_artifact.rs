//! # encoding-artifact
//!
//! (documentation to come)

use super::{Context, Reporter, Rule};
use crate::analysis::Severity;

pub static RULE: Rule = Rule {
    name: "encoding-artifact",
    default_severity: Severity::Warning,
    source: include_str!("encoding_artifact.rs"),
    check,
};

fn check(_cx: &Context, _out: &mut Reporter) {}
