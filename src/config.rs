//! `policy-lsp.toml`: per-rule severities, vocabulary and glossary. Parsing is pure (text
//! in, `Config` or a located error out); finding the file on disk is the front ends' job.

use std::collections::BTreeMap;

use crate::analysis::Severity;

/// A rule's configured level: a severity, or off.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RuleLevel {
    On(Severity),
    Off,
}

/// The whole configuration. `Config::default()` is what a draft gets with no file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Config {
    /// Rule name → level; rules not listed keep their default severity.
    pub rules: BTreeMap<String, RuleLevel>,
    /// Extra currency names, codes or symbols (`XDR`, `guilders`).
    pub currencies: Vec<String>,
    /// Extra units of measure (`hectares`, `TEU`).
    pub units: Vec<String>,
    /// Extra speech verbs (`quipped`).
    pub speech_verbs: Vec<String>,
    /// Term → definition.
    pub glossary: BTreeMap<String, String>,
    /// Glossary files, relative to the configuration file.
    pub glossary_files: Vec<String>,
    /// Globs of drafts to check (empty: every draft).
    pub include: Vec<String>,
    /// Globs of drafts to skip.
    pub exclude: Vec<String>,
}

impl Config {
    /// The level of `rule`, given its default severity.
    pub fn level(&self, rule: &str, default: Severity) -> RuleLevel {
        self.rules
            .get(rule)
            .copied()
            .unwrap_or(RuleLevel::On(default))
    }
}
