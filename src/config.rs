//! `policy-lsp.toml`: per-rule levels, extra vocabulary, the workspace glossary and which
//! drafts to check. Parsing is pure (text in, [`Config`] or a located [`ConfigError`] out);
//! finding the file on disk and reading the glossary files it names are the front ends' job.
//!
//! # Configuration reference
//!
//! Every section and key is optional; an empty file is the default configuration.
//!
//! ```toml
//! [rules]
//! figure-without-unit = "error"
//! unattributed-quote = "off"
//!
//! [vocabulary]
//! currencies = ["XDR", "guilders"]
//! units = ["hectares", "TEU"]
//! speech-verbs = ["quipped"]
//!
//! [glossary]
//! files = ["docs/glossary.toml", "docs/glossary.md"]
//! [glossary.terms]
//! cluster = "A geographic concentration of firms and institutions."
//!
//! [files]
//! include = ["drafts/**"]
//! exclude = ["drafts/archive/**"]
//! max-size = "16 MiB"
//! ```
//!
//! - `[rules]`: one key per rule name (`policy-lsp rule` lists them), set to `"error"`,
//!   `"warning"`, `"information"`, `"hint"` or `"off"`. Rules not listed keep their
//!   default severity.
//! - `[vocabulary]`: words the rules should know besides their built-in lists.
//!   - `currencies`: currency names, codes or symbols; a figure followed or preceded by one
//!     has a unit.
//!   - `units`: units of measure; a figure followed by one has a unit.
//!   - `speech-verbs`: verbs that attribute a quotation to a speaker.
//! - `[glossary]`: the workspace glossary, shown on hover after the draft's own definitions.
//!   - `files`: glossary files, as paths relative to the directory of `policy-lsp.toml`;
//!     they may not be absolute or leave that directory with `..`.
//!   - `[glossary.terms]`: one key per term (quote terms with spaces:
//!     `"regulatory sandbox" = "…"`), set to its definition.
//! - `[files]`: which drafts `policy-lsp check` reads, as globs relative to the directory of
//!   `policy-lsp.toml` (`*` stays within a directory, `**` crosses directories).
//!   - `include`: drafts to check; empty or absent means every `.md` and `.txt` draft.
//!   - `exclude`: drafts to skip even when included.
//!   - `max-size`: the largest draft analysed, as a number of bytes or a size such as
//!     `"16 MiB"` (units `B`, `kB`, `MB`, `GB`, `KiB`, `MiB`, `GiB`); default `"64 MiB"`.
//!     `policy-lsp check` reports a larger draft as an error (exit status 2) and the
//!     language server shows a message and publishes no findings for it.
//!
//! Errors name the file, the 1-based line and column (counted in characters) and the key:
//! `policy-lsp.toml:3:1: `rules.figure-without-units`: unknown rule; known rules: …`.

use std::collections::BTreeMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::ops::Range;

use serde::Deserialize;
use toml::de::{DeTable, DeValue};
use toml::Spanned;

use crate::analysis::Severity;
use crate::rules;

/// A rule's configured level: a severity, or off.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RuleLevel {
    On(Severity),
    Off,
}

/// The whole configuration. `Config::default()` is what a draft gets with no file.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
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
    /// The entries of `glossary_files`, once a front end has read them
    /// (`crate::workspace::load_glossary_files`); empty after [`Config::parse`].
    pub glossary_file_terms: Vec<crate::glossary::workspace::GlossaryEntry>,
    /// Globs of drafts to check (empty: every draft).
    pub include: Vec<String>,
    /// Globs of drafts to skip.
    pub exclude: Vec<String>,
    /// `files.max-size` in bytes, when the file sets it; [`Config::max_file_size`] is the
    /// limit in force.
    pub max_size: Option<u64>,
}

/// The largest draft analysed when the configuration does not say: 64 MiB.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 64 << 20;

impl Config {
    /// The level of `rule`, given its default severity.
    pub fn level(&self, rule: &str, default: Severity) -> RuleLevel {
        self.rules
            .get(rule)
            .copied()
            .unwrap_or(RuleLevel::On(default))
    }

    /// The largest draft, in bytes, that the front ends analyse (`files.max-size`).
    pub fn max_file_size(&self) -> u64 {
        self.max_size.unwrap_or(DEFAULT_MAX_FILE_SIZE)
    }

    /// A hash of the whole configuration, for keying caches of analysis results. Stable
    /// within one build of the program, not across builds: never persist it.
    pub fn fingerprint(&self) -> u64 {
        let mut hasher = DefaultHasher::new();
        self.hash(&mut hasher);
        hasher.finish()
    }

    /// The configuration reference (this module's documentation), as Markdown.
    pub fn reference() -> String {
        let doc = rules::module_doc(include_str!("config.rs"));
        match doc.find("# Configuration reference") {
            Some(start) => doc[start..].to_owned(),
            None => doc,
        }
    }
}

/// A size in bytes as people read it, in the units `files.max-size` takes: `64 MiB`,
/// `70.5 MiB`, `1000 bytes`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ByteSize(pub u64);

impl std::fmt::Display for ByteSize {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let bytes = self.0;
        let units = [(1u64 << 30, "GiB"), (1 << 20, "MiB"), (1 << 10, "KiB")];
        match units.iter().find(|(scale, _)| bytes >= *scale) {
            Some((scale, unit)) if bytes % scale == 0 => write!(f, "{} {unit}", bytes / scale),
            Some((scale, unit)) => write!(f, "{:.1} {unit}", bytes as f64 / *scale as f64),
            None if bytes == 1 => f.write_str("1 byte"),
            None => write!(f, "{bytes} bytes"),
        }
    }
}

/// A configuration file that could not be read: where, which key, and what is wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    /// The file's name as the user gave it.
    pub origin: String,
    /// 1-based line and column (in characters) of the offending key or value, when known.
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

/// The file as written, before rule names, levels, paths and globs are checked. Spans
/// locate what the checks reject.
#[derive(Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
struct RawConfig {
    rules: BTreeMap<Spanned<String>, Spanned<String>>,
    vocabulary: RawVocabulary,
    glossary: RawGlossary,
    files: RawFiles,
}

#[derive(Deserialize, Default)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
struct RawVocabulary {
    currencies: Vec<Spanned<String>>,
    units: Vec<Spanned<String>>,
    speech_verbs: Vec<Spanned<String>>,
}

#[derive(Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
struct RawGlossary {
    files: Vec<Spanned<String>>,
    terms: BTreeMap<Spanned<String>, Spanned<String>>,
}

#[derive(Deserialize, Default)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
struct RawFiles {
    include: Vec<Spanned<String>>,
    exclude: Vec<Spanned<String>>,
    max_size: Option<Spanned<toml::Value>>,
}

/// A rejected key or value: its dotted key path, where it is, and why.
struct Problem {
    key: Option<String>,
    span: Option<Range<usize>>,
    message: String,
}

impl Problem {
    fn new(key: String, span: Range<usize>, message: impl Into<String>) -> Self {
        Problem {
            key: Some(key),
            span: Some(span),
            message: message.into(),
        }
    }
}

impl Config {
    /// Parses the text of a `policy-lsp.toml`; `origin` names it in errors.
    pub fn parse(source: &str, origin: &str) -> Result<Config, ConfigError> {
        let located = |problem: Problem| {
            let (line, column) = match problem.span {
                Some(span) => {
                    let (line, column) = line_column(source, span.start);
                    (Some(line), Some(column))
                }
                None => (None, None),
            };
            ConfigError {
                origin: origin.to_owned(),
                line,
                column,
                key: problem.key,
                message: problem.message,
            }
        };
        let raw: RawConfig =
            toml::from_str(source).map_err(|err| located(toml_problem(source, &err)))?;
        Config::from_raw(raw).map_err(located)
    }

    fn from_raw(raw: RawConfig) -> Result<Config, Problem> {
        let vocabulary = raw.vocabulary;
        let glossary_files = raw.glossary.files;
        for file in &glossary_files {
            check_relative_path(file)?;
        }
        let include = raw.files.include;
        let exclude = raw.files.exclude;
        for (glob, key) in include
            .iter()
            .map(|g| (g, "files.include"))
            .chain(exclude.iter().map(|g| (g, "files.exclude")))
        {
            check_glob(glob, key)?;
        }
        let max_size = raw.files.max_size.as_ref().map(size).transpose()?;
        Ok(Config {
            rules: rule_levels(raw.rules)?,
            currencies: words(vocabulary.currencies, "vocabulary.currencies")?,
            units: words(vocabulary.units, "vocabulary.units")?,
            speech_verbs: words(vocabulary.speech_verbs, "vocabulary.speech-verbs")?,
            glossary: glossary_terms(raw.glossary.terms)?,
            glossary_files: glossary_files
                .into_iter()
                .map(Spanned::into_inner)
                .collect(),
            glossary_file_terms: Vec::new(),
            include: include.into_iter().map(Spanned::into_inner).collect(),
            exclude: exclude.into_iter().map(Spanned::into_inner).collect(),
            max_size,
        })
    }
}

/// `[rules]`: every name must be a known rule and every value a level.
fn rule_levels(
    raw: BTreeMap<Spanned<String>, Spanned<String>>,
) -> Result<BTreeMap<String, RuleLevel>, Problem> {
    let mut levels = BTreeMap::new();
    for (name, level) in raw {
        let key = key_path("rules", name.get_ref());
        if rules::find(name.get_ref()).is_none() {
            let known: Vec<&str> = rules::RULES.iter().map(|r| r.name).collect();
            let message = format!("unknown rule; known rules: {}", known.join(", "));
            return Err(Problem::new(key, name.span(), message));
        }
        let parsed = match level.get_ref().as_str() {
            "off" => RuleLevel::Off,
            other => match other.parse::<Severity>() {
                Ok(severity) => RuleLevel::On(severity),
                Err(_) => {
                    let message = format!(
                        "unknown level `{other}`; expected error, warning, information, hint or off"
                    );
                    return Err(Problem::new(key, level.span(), message));
                }
            },
        };
        levels.insert(name.into_inner(), parsed);
    }
    Ok(levels)
}

/// A vocabulary list; an empty word would match everywhere, so it is refused.
fn words(raw: Vec<Spanned<String>>, key: &str) -> Result<Vec<String>, Problem> {
    raw.into_iter()
        .map(|word| {
            if word.get_ref().trim().is_empty() {
                Err(Problem::new(key.to_owned(), word.span(), "empty word"))
            } else {
                Ok(word.into_inner())
            }
        })
        .collect()
}

/// `[glossary.terms]`: neither a term nor its definition may be blank.
fn glossary_terms(
    raw: BTreeMap<Spanned<String>, Spanned<String>>,
) -> Result<BTreeMap<String, String>, Problem> {
    let mut terms = BTreeMap::new();
    for (term, definition) in raw {
        let key = key_path("glossary.terms", term.get_ref());
        if term.get_ref().trim().is_empty() {
            return Err(Problem::new(key, term.span(), "empty term"));
        }
        if definition.get_ref().trim().is_empty() {
            return Err(Problem::new(key, definition.span(), "empty definition"));
        }
        terms.insert(term.into_inner(), definition.into_inner());
    }
    Ok(terms)
}

/// Glossary files must stay inside the configuration file's directory. Both separators
/// are checked so a file written on Windows is judged the same everywhere.
fn check_relative_path(path: &Spanned<String>) -> Result<(), Problem> {
    let text = path.get_ref();
    let problem = |message: String| Problem::new("glossary.files".to_owned(), path.span(), message);
    if text.trim().is_empty() {
        return Err(problem("empty path".to_owned()));
    }
    let has_drive = text.as_bytes().get(1) == Some(&b':');
    if text.starts_with(['/', '\\']) || has_drive || std::path::Path::new(text).is_absolute() {
        return Err(problem(format!(
            "`{text}` is absolute; give a path relative to the configuration file"
        )));
    }
    if text.split(['/', '\\']).any(|part| part == "..") {
        return Err(problem(format!(
            "`{text}` leaves the configuration file's directory; `..` is not allowed"
        )));
    }
    Ok(())
}

/// `files.max-size`: a positive number of bytes, or a string such as `"16 MiB"`.
fn size(value: &Spanned<toml::Value>) -> Result<u64, Problem> {
    const KEY: &str = "files.max-size";
    let problem = |message: String| Problem::new(KEY.to_owned(), value.span(), message);
    let bytes = match value.get_ref() {
        toml::Value::Integer(n) => u64::try_from(*n).ok(),
        toml::Value::String(text) => parse_size(text),
        other => {
            return Err(problem(format!(
                "wrong type: {}, expected a size such as \"16 MiB\" or a number of bytes",
                other.type_str()
            )))
        }
    };
    match bytes {
        Some(0) => Err(problem("the size limit must be at least 1 byte".to_owned())),
        Some(bytes) => Ok(bytes),
        None => Err(problem(format!(
            "invalid size {}; write a number of bytes or a size such as \"16 MiB\" \
             (units B, kB, MB, GB, KiB, MiB, GiB)",
            value.get_ref()
        ))),
    }
}

/// `"16 MiB"`, `"500kB"`, `"1024"`: whole numbers with an optional unit, as bytes.
fn parse_size(text: &str) -> Option<u64> {
    let text = text.trim();
    let digits = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(digits);
    let number: u64 = number.parse().ok()?;
    let scale: u64 = match unit.trim_start() {
        "" | "B" => 1,
        "kB" | "KB" => 1_000,
        "MB" => 1_000_000,
        "GB" => 1_000_000_000,
        "KiB" => 1 << 10,
        "MiB" => 1 << 20,
        "GiB" => 1 << 30,
        _ => return None,
    };
    number.checked_mul(scale)
}

/// A glob must parse and compile. Globs are the only patterns a configuration holds;
/// globset turns them into regular expressions built with size limits (10 MiB for the
/// automaton and for the lazy DFA's cache), so a pathological glob is refused here, with
/// its place, rather than taking time or memory later. Matching with them is linear.
fn check_glob(glob: &Spanned<String>, key: &str) -> Result<(), Problem> {
    let text = glob.get_ref();
    let problem = |message: String| Problem::new(key.to_owned(), glob.span(), message);
    let parsed = globset::GlobBuilder::new(text)
        .literal_separator(true)
        .build()
        .map_err(|err| problem(format!("invalid glob `{text}`: {}", err.kind())))?;
    globset::GlobSetBuilder::new()
        .add(parsed)
        .build()
        .map(drop)
        .map_err(|err| {
            let shown: String = text.chars().take(40).collect();
            let more = if shown.len() < text.len() { "…" } else { "" };
            problem(format!(
                "glob `{shown}{more}` is too complex to compile ({}); split it into simpler globs",
                err.kind()
            ))
        })
}

/// `parent.name`, quoting `name` when it is not a bare TOML key.
fn key_path(parent: &str, name: &str) -> String {
    let bare = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    let name = if bare {
        name.to_owned()
    } else {
        format!("{name:?}")
    };
    if parent.is_empty() {
        name
    } else {
        format!("{parent}.{name}")
    }
}

/// A TOML syntax error, or a key or value of the wrong shape (serde's error), located and
/// worded in TOML's terms.
fn toml_problem(source: &str, err: &toml::de::Error) -> Problem {
    let span = err.span();
    // Syntax errors come from the parser; if the document parses, serde rejected a value.
    match DeTable::parse(source) {
        Err(_) => Problem {
            key: None,
            span,
            message: format!("invalid TOML: {}", err.message()),
        },
        Ok(root) => Problem {
            key: span
                .as_ref()
                .and_then(|span| key_at(root.get_ref(), "", span)),
            span,
            message: in_toml_terms(err.message()),
        },
    }
}

/// The dotted path of the deepest key whose name or value covers `span`.
fn key_at(table: &DeTable<'_>, parent: &str, span: &Range<usize>) -> Option<String> {
    table.iter().find_map(|(name, value)| {
        let path = key_path(parent, name.get_ref());
        let inner = match value.get_ref() {
            DeValue::Table(inner) => key_at(inner, &path, span),
            DeValue::Array(items) => items.iter().find_map(|item| match item.get_ref() {
                DeValue::Table(inner) => key_at(inner, &path, span),
                _ => None,
            }),
            _ => None,
        };
        let covers = |s: Range<usize>| s.start <= span.start && span.end <= s.end;
        inner.or_else(|| (covers(name.span()) || covers(value.span())).then_some(path))
    })
}

/// Serde speaks of fields, maps and sequences; the user wrote keys, tables and arrays.
/// Only serde's own words are translated, never quoted values.
fn in_toml_terms(message: &str) -> String {
    if let Some(rest) = message.strip_prefix("unknown field") {
        return format!("unknown key{rest}");
    }
    let Some((found, expected)) = message
        .strip_prefix("invalid type: ")
        .and_then(|rest| rest.split_once(", expected "))
    else {
        return message.to_owned();
    };
    let toml_word = |serde_word: &str| {
        match serde_word {
            "sequence" => "array",
            "a sequence" => "an array",
            "map" => "table",
            "a map" => "a table",
            other => other,
        }
        .to_owned()
    };
    format!(
        "wrong type: {}, expected {}",
        toml_word(found),
        toml_word(expected)
    )
}

/// 1-based line and column (in characters) of byte `offset`.
fn line_column(source: &str, offset: usize) -> (usize, usize) {
    let before = &source[..offset.min(source.len())];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let line = before.matches('\n').count() + 1;
    (line, before[line_start..].chars().count() + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(source: &str) -> Config {
        Config::parse(source, "policy-lsp.toml").unwrap_or_else(|e| panic!("{e}"))
    }

    fn error(source: &str) -> ConfigError {
        Config::parse(source, "policy-lsp.toml").expect_err("configuration should be rejected")
    }

    /// Asserts the error's place, key and the start of its message.
    fn assert_error(source: &str, line: usize, column: usize, key: Option<&str>, message: &str) {
        let err = error(source);
        assert_eq!(
            (err.line, err.column, err.key.as_deref()),
            (Some(line), Some(column), key),
            "{err}"
        );
        assert!(
            err.message.starts_with(message),
            "`{}` should start with `{message}`",
            err.message
        );
    }

    #[test]
    fn empty_file_is_the_default() {
        assert_eq!(parse(""), Config::default());
        assert_eq!(parse("# nothing here\n\n"), Config::default());
        assert_eq!(
            parse("[rules]\n[vocabulary]\n[glossary]\n[files]\n"),
            Config::default()
        );
    }

    #[test]
    fn rule_levels_are_read() {
        let config = parse(
            "[rules]\nfigure-without-unit = \"error\"\nunattributed-quote = \"off\"\n\
             encoding-artifact = \"hint\"\nunbalanced-quote = \"information\"\n",
        );
        assert_eq!(
            config.level("figure-without-unit", Severity::Warning),
            RuleLevel::On(Severity::Error)
        );
        assert_eq!(
            config.level("unattributed-quote", Severity::Warning),
            RuleLevel::Off
        );
        assert_eq!(
            config.level("encoding-artifact", Severity::Warning),
            RuleLevel::On(Severity::Hint)
        );
        assert_eq!(
            config.level("unbalanced-quote", Severity::Warning),
            RuleLevel::On(Severity::Information)
        );
    }

    #[test]
    fn unlisted_rules_keep_their_default() {
        let config = parse("[rules]\nencoding-artifact = \"warning\"\n");
        assert_eq!(
            config.level("figure-without-unit", Severity::Information),
            RuleLevel::On(Severity::Information)
        );
    }

    #[test]
    fn vocabulary_is_read() {
        let config = parse(
            "[vocabulary]\ncurrencies = [\"XDR\", \"guilders\"]\nunits = [\"hectares\", \"TEU\"]\n\
             speech-verbs = [\"quipped\"]\n",
        );
        assert_eq!(config.currencies, ["XDR", "guilders"]);
        assert_eq!(config.units, ["hectares", "TEU"]);
        assert_eq!(config.speech_verbs, ["quipped"]);
    }

    #[test]
    fn glossary_is_read() {
        let config = parse(
            "[glossary]\nfiles = [\"docs/glossary.toml\", \"glossary.md\"]\n\
             [glossary.terms]\ncluster = \"A concentration of firms.\"\n\
             \"regulatory sandbox\" = \"A trial regime.\"\n",
        );
        assert_eq!(config.glossary_files, ["docs/glossary.toml", "glossary.md"]);
        assert_eq!(config.glossary["cluster"], "A concentration of firms.");
        assert_eq!(config.glossary["regulatory sandbox"], "A trial regime.");
    }

    #[test]
    fn glossary_terms_may_be_inline() {
        let config = parse("glossary.terms = { hub = \"A shared site.\" }\n");
        assert_eq!(config.glossary["hub"], "A shared site.");
    }

    #[test]
    fn files_are_read() {
        let config =
            parse("[files]\ninclude = [\"drafts/**\"]\nexclude = [\"drafts/archive/**\"]\n");
        assert_eq!(config.include, ["drafts/**"]);
        assert_eq!(config.exclude, ["drafts/archive/**"]);
    }

    #[test]
    fn reference_example_sets_every_field() {
        let reference = Config::reference();
        assert!(reference.starts_with("# Configuration reference"));
        let example = reference
            .split("```toml\n")
            .nth(1)
            .and_then(|rest| rest.split("```").next())
            .expect("the reference has a TOML example");
        let config = parse(example);
        let Config {
            rules,
            currencies,
            units,
            speech_verbs,
            glossary,
            glossary_files,
            glossary_file_terms: _, // filled by the front ends, not the file
            include,
            exclude,
            max_size,
        } = &config;
        assert_eq!(*max_size, Some(16 << 20));
        assert!(!rules.is_empty());
        for list in [
            currencies,
            units,
            speech_verbs,
            glossary_files,
            include,
            exclude,
        ] {
            assert!(!list.is_empty());
        }
        assert!(!glossary.is_empty());
    }

    #[test]
    fn max_size_takes_bytes_or_a_size_with_a_unit() {
        assert_eq!(Config::default().max_file_size(), DEFAULT_MAX_FILE_SIZE);
        for (value, bytes) in [
            ("1000", 1000),
            ("\"1000\"", 1000),
            ("\"16 MiB\"", 16 << 20),
            ("\"16MiB\"", 16 << 20),
            ("\"500 kB\"", 500_000),
            ("\"2 GB\"", 2_000_000_000),
            ("\" 3 KiB \"", 3 << 10),
            ("\"1 GiB\"", 1 << 30),
        ] {
            let config = parse(&format!("[files]\nmax-size = {value}\n"));
            assert_eq!(config.max_file_size(), bytes, "{value}");
        }
        assert_error(
            "[files]\nmax-size = \"12 parsecs\"\n",
            2,
            12,
            Some("files.max-size"),
            "invalid size \"12 parsecs\"",
        );
        assert_error(
            "[files]\nmax-size = 0\n",
            2,
            12,
            Some("files.max-size"),
            "the size limit must be at least 1 byte",
        );
        assert_error(
            "[files]\nmax-size = -5\n",
            2,
            12,
            Some("files.max-size"),
            "invalid size -5",
        );
        assert_error(
            "[files]\nmax-size = \"99999999999999 GiB\"\n",
            2,
            12,
            Some("files.max-size"),
            "invalid size",
        );
        assert_error(
            "[files]\nmax-size = 1.5\n",
            2,
            12,
            Some("files.max-size"),
            "wrong type: float",
        );
    }

    #[test]
    fn sizes_are_shown_in_the_units_the_key_takes() {
        let shown = |n: u64| ByteSize(n).to_string();
        assert_eq!(shown(64 << 20), "64 MiB");
        assert_eq!(shown((70 << 20) + (1 << 19)), "70.5 MiB");
        assert_eq!(shown(1 << 30), "1 GiB");
        assert_eq!(shown(1536), "1.5 KiB");
        assert_eq!(shown(1000), "1000 bytes");
        assert_eq!(shown(1), "1 byte");
    }

    #[test]
    fn fingerprint_follows_content() {
        let a = parse("[vocabulary]\nunits = [\"TEU\"]\n");
        let b = parse("[vocabulary]\nunits = [ \"TEU\" ] # same\n");
        let c = parse("[vocabulary]\nunits = [\"hectares\"]\n");
        assert_eq!(a.fingerprint(), b.fingerprint());
        assert_ne!(a.fingerprint(), c.fingerprint());
        assert_ne!(a.fingerprint(), Config::default().fingerprint());
    }

    #[test]
    fn unknown_rule_is_located_at_its_key() {
        let source = "# levels\n[rules]\nfigure-without-units = \"error\"\n";
        assert_error(
            source,
            3,
            1,
            Some("rules.figure-without-units"),
            "unknown rule; known rules: ",
        );
        let err = error(source);
        assert!(err.message.contains("figure-without-unit"));
        assert!(err
            .to_string()
            .starts_with("policy-lsp.toml:3:1: `rules.figure-without-units`: unknown rule"));
    }

    #[test]
    fn bad_level_is_located_at_its_value() {
        assert_error(
            "[rules]\nencoding-artifact = \"warn\"\n",
            2,
            21,
            Some("rules.encoding-artifact"),
            "unknown level `warn`",
        );
    }

    #[test]
    fn unknown_keys_are_rejected_at_every_level() {
        assert_error("[vocab]\n", 1, 2, Some("vocab"), "unknown key `vocab`");
        assert_error(
            "[vocabulary]\ncurrency = [\"XDR\"]\n",
            2,
            1,
            Some("vocabulary.currency"),
            "unknown key `currency`",
        );
        assert_error(
            "[glossary]\nfile = []\n",
            2,
            1,
            Some("glossary.file"),
            "unknown key `file`",
        );
        assert_error(
            "[files]\n  includes = []\n",
            2,
            3,
            Some("files.includes"),
            "unknown key `includes`",
        );
    }

    #[test]
    fn wrong_types_are_located_at_the_value() {
        assert_error(
            "[rules]\nencoding-artifact = 2\n",
            2,
            21,
            Some("rules.encoding-artifact"),
            "wrong type: integer `2`, expected a string",
        );
        assert_error(
            "[vocabulary]\nunits = \"TEU\"\n",
            2,
            9,
            Some("vocabulary.units"),
            "wrong type: string \"TEU\", expected an array",
        );
        assert_error(
            "[vocabulary]\nunits = [\"TEU\", 4]\n",
            2,
            17,
            Some("vocabulary.units"),
            "wrong type: integer `4`",
        );
        assert_error(
            "rules = 3\n",
            1,
            9,
            Some("rules"),
            "wrong type: integer `3`, expected a table",
        );
        assert_error(
            "[glossary.terms]\nhub = true\n",
            2,
            7,
            Some("glossary.terms.hub"),
            "wrong type: boolean `true`",
        );
        assert_error(
            "[[rules]]\n",
            1,
            1,
            Some("rules"),
            "wrong type: array, expected a table",
        );
        assert_error(
            "[glossary.terms]\nmap = \"a map\"\nhub = { a = 1 }\n",
            3,
            7,
            Some("glossary.terms.hub"),
            "wrong type: table, expected a string",
        );
    }

    #[test]
    fn invalid_toml_is_located() {
        assert_error("[rules\n", 1, 7, None, "invalid TOML: ");
        assert_error(
            "[files]\ninclude = [\"a\",\n",
            2,
            16,
            None,
            "invalid TOML: unclosed array",
        );
        assert_error(
            "[rules]\nencoding-artifact = \"off\"\nencoding-artifact = \"off\"\n",
            3,
            1,
            None,
            "invalid TOML: duplicate key",
        );
    }

    #[test]
    fn columns_count_characters_and_lines_count_crlf_once() {
        // `é` is two bytes but one column.
        assert_error(
            "[glossary.terms]\r\n\"café\" = 1\r\n",
            2,
            10,
            Some("glossary.terms.\"café\""),
            "wrong type",
        );
    }

    /// The configuration holds no regular expressions; globs are its only patterns, and
    /// one whose automaton would exceed globset's size limits is refused with its place,
    /// promptly (guarantee 6).
    #[test]
    fn a_pathological_glob_is_rejected_with_its_place() {
        let glob = "*a".repeat(100_000);
        let err = error(&format!("[files]\ninclude = [\"{glob}\"]\n"));
        assert_eq!(
            (err.line, err.column, err.key.as_deref()),
            (Some(2), Some(12), Some("files.include")),
            "{err}"
        );
        assert!(err.message.contains("too complex"), "{err}");
        assert!(
            err.to_string().len() < 400,
            "the message quotes a prefix: {err}"
        );
    }

    #[test]
    fn invalid_globs_are_rejected() {
        assert_error(
            "[files]\ninclude = [\"drafts/**\", \"drafts/[a\"]\n",
            2,
            25,
            Some("files.include"),
            "invalid glob `drafts/[a`: ",
        );
        assert_error(
            "[files]\nexclude = [\"{a,b\"]\n",
            2,
            12,
            Some("files.exclude"),
            "invalid glob `{a,b`: ",
        );
    }

    #[test]
    fn glossary_files_must_stay_inside_the_config_directory() {
        for (path, message) in [
            ("/etc/glossary.toml", "`/etc/glossary.toml` is absolute"),
            (
                "\\\\server\\glossary.md",
                "`\\\\server\\glossary.md` is absolute",
            ),
            ("C:/glossary.md", "`C:/glossary.md` is absolute"),
            ("../glossary.md", "`../glossary.md` leaves"),
            ("docs/../../glossary.md", "`docs/../../glossary.md` leaves"),
            (
                "docs\\..\\..\\glossary.md",
                "`docs\\..\\..\\glossary.md` leaves",
            ),
            ("", "empty path"),
        ] {
            let source = format!("[glossary]\nfiles = ['ok.md', '{path}']\n");
            assert_error(&source, 2, 19, Some("glossary.files"), message);
        }
        // `..` inside a name is not a parent directory.
        assert_eq!(
            parse("glossary.files = ['notes..md']\n").glossary_files,
            ["notes..md"]
        );
    }

    #[test]
    fn blank_words_and_terms_are_rejected() {
        assert_error(
            "[vocabulary]\nspeech-verbs = [\"quipped\", \" \"]\n",
            2,
            28,
            Some("vocabulary.speech-verbs"),
            "empty word",
        );
        assert_error(
            "[glossary.terms]\nhub = \"\"\n",
            2,
            7,
            Some("glossary.terms.hub"),
            "empty definition",
        );
        assert_error(
            "[glossary.terms]\n\"\" = \"x\"\n",
            2,
            1,
            Some("glossary.terms.\"\""),
            "empty term",
        );
    }
}
