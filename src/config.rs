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

/// A configuration file that could not be read: where, which key, and what is wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    /// The file's name as the user gave it.
    pub origin: String,
    /// 1-based line and column of the offending key or value, when known.
    pub line: Option<usize>,
    pub column: Option<usize>,
    /// The offending key, when there is one (`rules.figure-without-unit`).
    pub key: Option<String>,
    pub message: String,
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.origin)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        if let Some(key) = &self.key {
            write!(f, ": `{key}`")?;
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for ConfigError {}

impl Config {
    /// Parses the text of a `policy-lsp.toml`; `origin` names it in errors.
    pub fn parse(source: &str, origin: &str) -> Result<Config, ConfigError> {
        // Placeholder until the configuration work lands: accept only an empty file.
        if source.trim().is_empty() {
            Ok(Config::default())
        } else {
            Err(ConfigError {
                origin: origin.to_owned(),
                line: None,
                column: None,
                key: None,
                message: "configuration files are not supported yet".to_owned(),
            })
        }
    }
}
