//! Built-in term data (RULES.md §4): the glossary of common policy and economic
//! terms, the short list of universally known acronyms and the ISO 4217 currency
//! codes. Pure data, embedded in the binary; no I/O.
//!
//! - [`builtin_terms`]: the built-in glossary, the last source a hover shows (after the
//!   draft's own definitions and the workspace glossary). Each entry has a short
//!   definition and the source where the term is defined.
//! - [`is_known_acronym`]: acronyms `undefined-acronym` never reports (`US`, `UK`,
//!   `EU`, `UN`, `GDP`, `R&D`, …). Being in the built-in glossary does *not* make an
//!   acronym known: `MIT`, `OECD` or `SME` must still be expanded on first use.
//! - [`is_currency_code`]: ISO 4217 alphabetic codes (`KRW`, `USD`, …), also never
//!   reported by `undefined-acronym`.
//!
//! The data files sit beside this module: `builtin.toml`, `known_acronyms.txt` and
//! `iso4217.txt`; each explains its format and policy in its header.

pub mod lookup;
pub mod workspace;

use std::collections::HashSet;
use std::sync::LazyLock;

use serde::Deserialize;

const BUILTIN_TOML: &str = include_str!("builtin.toml");
const KNOWN_ACRONYMS_TXT: &str = include_str!("known_acronyms.txt");
const ISO4217_TXT: &str = include_str!("iso4217.txt");

/// One entry of the built-in glossary.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BuiltinTerm {
    /// The headword, singular (`cluster`, `R&D`, `fiscal year`).
    pub term: String,
    /// Other spellings and names for the same thing (`industrial cluster`, `SMEs`).
    #[serde(default)]
    pub aliases: Vec<String>,
    /// One or two sentences, written for this project.
    pub definition: String,
    /// Where the term is defined: an institution's glossary, a statute or a
    /// standard reference work.
    pub source: String,
    /// Set only when [`term`](Self::term) is an acronym: its spelled-out form
    /// (`gross domestic product` for `GDP`).
    #[serde(default)]
    pub expansion: Option<String>,
}

impl BuiltinTerm {
    /// Every string the entry can be looked up by: the term, its aliases and its
    /// expansion, in that order. No two entries share a key (case-insensitively).
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.term.as_str())
            .chain(self.aliases.iter().map(String::as_str))
            .chain(self.expansion.as_deref())
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct GlossaryFile {
    term: Vec<BuiltinTerm>,
}

fn parse_builtin(text: &str) -> Result<Vec<BuiltinTerm>, toml::de::Error> {
    toml::from_str::<GlossaryFile>(text).map(|file| file.term)
}

static BUILTIN: LazyLock<Vec<BuiltinTerm>> = LazyLock::new(|| {
    parse_builtin(BUILTIN_TOML)
        .expect("embedded src/glossary/builtin.toml parses; covered by glossary::tests")
});

/// Entries of a one-per-line list: `#` starts a comment, blank lines are skipped.
fn list_entries(text: &'static str) -> impl Iterator<Item = &'static str> {
    text.lines().filter_map(|line| {
        let entry = line.split('#').next().unwrap_or_default().trim();
        (!entry.is_empty()).then_some(entry)
    })
}

static KNOWN_ACRONYMS: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| list_entries(KNOWN_ACRONYMS_TXT).collect());

static CURRENCY_CODES: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| list_entries(ISO4217_TXT).collect());

/// The built-in glossary, in file order.
pub fn builtin_terms() -> &'static [BuiltinTerm] {
    &BUILTIN
}

/// Whether `word` is a universally known acronym that `undefined-acronym` never
/// reports. Case-sensitive (`IT` is known, `It` is not). A plural or possessive of a
/// listed acronym counts too: `CEOs`, `CEO's`, `CEO’s`.
pub fn is_known_acronym(word: &str) -> bool {
    if KNOWN_ACRONYMS.contains(word) {
        return true;
    }
    ["'s", "\u{2019}s", "s"].iter().any(|suffix| {
        word.strip_suffix(suffix)
            .is_some_and(|stem| !stem.is_empty() && KNOWN_ACRONYMS.contains(stem))
    })
}

/// Whether `word` is an ISO 4217 alphabetic currency code (`KRW`, `USD`, `EUR`).
/// Exact and case-sensitive: `krw` is not a code.
pub fn is_currency_code(word: &str) -> bool {
    CURRENCY_CODES.contains(word)
}

/// The known acronyms, in file order.
pub fn known_acronyms() -> impl Iterator<Item = &'static str> {
    list_entries(KNOWN_ACRONYMS_TXT)
}

/// The ISO 4217 codes, in file order (current codes, then recently withdrawn ones).
pub fn currency_codes() -> impl Iterator<Item = &'static str> {
    list_entries(ISO4217_TXT)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn normalise(key: &str) -> String {
        key.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
    }

    fn has_key(wanted: &str) -> bool {
        let wanted = normalise(wanted);
        builtin_terms()
            .iter()
            .any(|entry| entry.keys().any(|key| normalise(key) == wanted))
    }

    #[test]
    fn embedded_glossary_parses() {
        let parsed = parse_builtin(BUILTIN_TOML);
        assert!(parsed.is_ok(), "builtin.toml: {}", parsed.unwrap_err());
        assert_eq!(parsed.unwrap(), builtin_terms());
    }

    #[test]
    fn glossary_has_at_least_150_entries() {
        assert!(
            builtin_terms().len() >= 150,
            "only {} entries",
            builtin_terms().len()
        );
    }

    #[test]
    fn every_entry_has_a_definition_and_a_source() {
        for entry in builtin_terms() {
            let name = &entry.term;
            assert!(!name.trim().is_empty(), "an entry has an empty term");
            assert_eq!(name.trim(), name, "{name:?}: stray whitespace");
            let definition = entry.definition.trim();
            assert!(!definition.is_empty(), "{name}: empty definition");
            assert!(
                definition.ends_with('.'),
                "{name}: definition is not a sentence"
            );
            assert!(
                definition.len() <= 320,
                "{name}: definition longer than two short sentences"
            );
            assert!(
                entry.source.trim().len() >= 10,
                "{name}: missing or too short source"
            );
            for alias in &entry.aliases {
                assert!(!alias.trim().is_empty(), "{name}: empty alias");
            }
            if let Some(expansion) = &entry.expansion {
                assert!(!expansion.trim().is_empty(), "{name}: empty expansion");
                let capitals = name.chars().filter(char::is_ascii_uppercase).count();
                assert!(capitals >= 2, "{name}: has an expansion but is no acronym");
            }
        }
    }

    #[test]
    fn no_key_is_used_twice() {
        let mut seen = std::collections::HashMap::new();
        for entry in builtin_terms() {
            for key in entry.keys() {
                if let Some(previous) = seen.insert(normalise(key), &entry.term) {
                    panic!(
                        "{key:?} of {:?} is already a key of {previous:?}",
                        entry.term
                    );
                }
            }
        }
    }

    #[test]
    fn required_terms_are_present() {
        let required = [
            // RULES.md §4 and issue 3
            "cluster",
            "R&D",
            "GDP",
            "regulatory sandbox",
            "national strategic industries",
            "fiscal year",
            "export",
            // economy and trade
            "GNI",
            "CPI",
            "inflation",
            "current account",
            "trade balance",
            "FDI",
            "ODA",
            "tariff",
            "non-tariff barrier",
            "free trade agreement",
            "WTO",
            "OECD",
            "supply chain",
            "value chain",
            // industry and innovation
            "SME",
            "start-up",
            "venture capital",
            "public-private partnership",
            "subsidy",
            "tax credit",
            "semiconductor",
            "secondary battery",
            "industrial complex",
            "special economic zone",
            "smart farm",
            "digital transformation",
            // climate and energy
            "carbon neutrality",
            "net zero",
            "emissions trading",
            "renewable energy",
            // data
            "personal information",
            "pseudonymised data",
            "open data",
            // government and law-making
            "public procurement",
            "consultation",
            "white paper",
            "green paper",
            "impact assessment",
            "regulatory impact assessment",
            "sunset clause",
            "enforcement decree",
            "ordinance",
            "statute",
            "bill",
            "amendment",
            "ministerial meeting",
            "press release",
            "embargo",
            // budget
            "appropriation",
            "supplementary budget",
            "deficit",
            "debt-to-GDP ratio",
            "fiscal rule",
            "baseline",
            "KPI",
        ];
        let missing: Vec<_> = required.iter().filter(|term| !has_key(term)).collect();
        assert!(missing.is_empty(), "missing from builtin.toml: {missing:?}");
    }

    #[test]
    fn acronym_entries_look_up_by_expansion() {
        assert!(has_key("research and development"));
        assert!(has_key("gross domestic product"));
        assert!(has_key("small and medium-sized enterprise"));
    }

    #[test]
    fn every_currency_code_is_three_capital_letters() {
        let codes: Vec<_> = currency_codes().collect();
        for code in &codes {
            assert!(
                code.len() == 3 && code.bytes().all(|b| b.is_ascii_uppercase()),
                "{code:?} is not a 3-letter code"
            );
        }
        let unique: HashSet<_> = codes.iter().collect();
        assert_eq!(unique.len(), codes.len(), "iso4217.txt repeats a code");
        assert!(
            (170..=200).contains(&codes.len()),
            "{} codes: ISO 4217 has about 180",
            codes.len()
        );
    }

    #[test]
    fn currency_lookup() {
        for code in [
            "KRW", "USD", "EUR", "JPY", "CNY", "GBP", "CHF", "XDR", "ZWG",
        ] {
            assert!(is_currency_code(code), "{code}");
        }
        for word in ["krw", "Krw", "KRW ", "MIT", "GDP", "US", ""] {
            assert!(!is_currency_code(word), "{word:?}");
        }
    }

    #[test]
    fn known_acronyms_include_the_rules_ones_and_not_institutions() {
        for acronym in ["US", "UK", "EU", "UN", "GDP", "R&D"] {
            assert!(is_known_acronym(acronym), "{acronym} must be known");
        }
        // An institution's initials are expanded on first use (RULES.md §4).
        for acronym in ["MIT", "NTIS", "KISA", "OECD", "MOEF", "SME", "CBAM"] {
            assert!(!is_known_acronym(acronym), "{acronym} must not be known");
        }
    }

    #[test]
    fn known_acronym_lookup_is_case_sensitive_and_takes_plurals() {
        assert!(is_known_acronym("IT"));
        assert!(!is_known_acronym("It"));
        assert!(!is_known_acronym("us"));
        assert!(is_known_acronym("CEOs"));
        assert!(is_known_acronym("PDF's"));
        assert!(is_known_acronym("CEO\u{2019}s"));
        assert!(is_known_acronym("COVID-19"));
        assert!(!is_known_acronym("s"));
        assert!(!is_known_acronym(""));
        assert!(!is_known_acronym("MITs"));
    }

    #[test]
    fn known_acronym_list_is_well_formed() {
        let entries: Vec<_> = known_acronyms().collect();
        let unique: HashSet<_> = entries.iter().collect();
        assert_eq!(
            unique.len(),
            entries.len(),
            "known_acronyms.txt repeats an entry"
        );
        for entry in &entries {
            assert!(
                !entry.contains(char::is_whitespace),
                "{entry:?}: one acronym per line"
            );
            assert!(
                entry.chars().any(|c| c.is_ascii_uppercase()),
                "{entry:?}: not an acronym"
            );
            assert!(
                !is_currency_code(entry),
                "{entry:?}: currency codes belong in iso4217.txt"
            );
        }
    }
}
