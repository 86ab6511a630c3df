//! # vague-attribution
//!
//! ## What it does
//! Flags speech or claims credited to nobody in particular: `experts say`,
//! `officials said`, `critics argue`, `some believe`, `many people think`,
//! `it is said that`, `it has been reported`, `sources said`, and close variants — an
//! unnamed group or source with a speech or belief verb (`Industry sources said`,
//! `analysts warn`, `it is widely believed`).
//!
//! Not flagged when a name stands right before the group (`Ministry of Finance officials
//! said`, `Treasury officials said`): the body is credited.
//!
//! ## Why it matters
//! An unnamed authority cannot be checked or challenged. Policy readers discount it, and
//! opponents quote it back as evidence that the claim has no owner.
//!
//! ## Example
//! ```text
//! Experts say the levy will raise prices.
//! ```
//!
//! ## Use instead
//! ```text
//! The Korea Development Institute estimates the levy will raise prices by 0.3%.
//! ```
//!
//! ## Options
//! Severity only (`[rules] vague-attribution = "off"`).

use super::{Context, Reporter, Rule, Scope};
use crate::analysis::phrase::PhrasePattern;
use crate::analysis::Severity;

pub static RULE: Rule = Rule {
    name: "vague-attribution",
    default_severity: Severity::Information,
    scope: Scope::Block,
    source: include_str!("vague_attribution.rs"),
    check,
};

const VERB: &str = r"(?:say|says|said|argue|argues|argued|believe|believes|believed|think|thinks|thought|claim|claims|claimed|suggest|suggests|suggested|warn|warns|warned|note|notes|noted|contend|contends|contended|maintain|maintains|maintained|insist|insists|insisted|fear|fears|feared|predict|predicts|predicted|expect|expects|expected|estimate|estimates|estimated|point\s+out|pointed\s+out|told)";
const GROUP: &str = r"(?:experts|officials|critics|analysts|observers|sources|insiders|commentators|pundits|economists|scientists|(?:some|many|most)\s+people|some|many|others|detractors|sceptics|skeptics|supporters|opponents)";
const IMPERSONAL_VERB: &str = r"(?:said|believed|reported|claimed|thought|understood|rumou?red|alleged|argued|known|suggested|feared|expected)";

/// `GROUP VERB` (with an optional adjective such as "industry" or "some"), impersonal
/// passives (`it is said`, `it has been reported`) and `reports suggest`, in any case.
fn vague_pattern() -> String {
    format!(
        r"(?-u:\b)(?:(?:(?:some|many|most|several|other|industry|government|market|local|foreign|senior|unnamed|anonymous|independent)\s+)?{GROUP}\s+(?:have\s+|had\s+|widely\s+|often\s+|now\s+)?{VERB}(?-u:\b)|it\s+(?:is|was|has\s+been|had\s+been)\s+(?:widely\s+|often\s+|generally\s+)?{IMPERSONAL_VERB}(?-u:\b)|(?:reports|rumou?rs)\s+(?:suggest|say|said|indicate)(?-u:\b)|according\s+to\s+(?:some\s+|many\s+)?(?:experts|officials|sources|observers|analysts|critics|reports))"
    )
}

/// [`vague_pattern`], in any case.
static VAGUE: PhrasePattern = PhrasePattern::new(vague_pattern);

fn check(cx: &Context, out: &mut Reporter) {
    let doc = cx.doc;
    for block in &doc.blocks {
        let prose = doc.prose(block.range.clone());
        for found in VAGUE.find_all(prose) {
            if named_before(&prose[..found.start]) {
                continue;
            }
            let range = block.range.start + found.start..block.range.start + found.end;
            let phrase = prose[found]
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            out.report(
                range,
                format!("`{phrase}` credits nobody in particular; name the person or body"),
                None,
            );
        }
    }
}

/// Words that describe a group without naming it (`Leading experts say`).
const UNNAMING: &[&str] = &[
    "leading",
    "top",
    "prominent",
    "outside",
    "other",
    "western",
    "eastern",
    "private",
    "international",
    "domestic",
    "legal",
    "health",
    "security",
    "climate",
    "energy",
    "trade",
    "economic",
    "financial",
    "political",
    "these",
    "those",
    "the",
    "such",
];

/// Whether a capitalised name stands right before the match (`Treasury officials said`),
/// which credits a body.
fn named_before(before: &str) -> bool {
    let Some(word) = before.split_whitespace().last() else {
        return false;
    };
    if word.ends_with(['.', '!', '?', ':', ';', ',']) {
        return false; // another sentence or clause
    }
    let word = word.trim_matches(|c: char| !c.is_alphanumeric());
    word.chars().next().is_some_and(char::is_uppercase)
        && !UNNAMING.contains(&word.to_lowercase().as_str())
}

#[cfg(test)]
pub(crate) mod tests {
    use crate::analysis::phrase::{folded_pattern, Phrase};
    use crate::analysis::testing::random_texts;
    use crate::rules::testing::{assert_flags, assert_no_findings};

    /// Pieces of any text: letters that fold onto ASCII ones, Korean, emoji, accents,
    /// punctuation, line breaks.
    pub(crate) const ANY_TEXT: &[&str] = &[
        "a", "é", "É", "한국", "😀", "’", "'", "-", " ", "\u{a0}", "\t", "\n", "\r\n", ".", ",",
        ";", ":", "7", "12", "\u{301}", "ſ", "\u{212A}", "K", "x", "X", "_", "&", "İ", "ß",
    ];

    /// Both matchers of a `PhrasePattern` of `pattern` — the `Phrase` on the text, the
    /// folded expression on the text lower-cased — find what `(?i)` and `pattern` find with
    /// `regex`, match for match, and agree on whether there is one.
    pub(crate) fn assert_phrase_equals_case_insensitive(pattern: &str, texts: &[String]) {
        let exact = regex::Regex::new(&format!("(?i){pattern}")).unwrap();
        let phrase = Phrase::new(pattern);
        let folded = regex::Regex::new(&folded_pattern(pattern)).unwrap();
        let mut matches = 0;
        for text in texts {
            let expected: Vec<_> = exact.find_iter(text).map(|m| m.range()).collect();
            let found: Vec<_> = phrase.find_iter(text).collect();
            assert_eq!(found, expected, "{text:?}");
            assert_eq!(phrase.is_match(text), exact.is_match(text), "{text:?}");
            let lower = text.to_ascii_lowercase();
            let found: Vec<_> = folded.find_iter(&lower).map(|m| m.range()).collect();
            assert_eq!(found, expected, "{text:?}");
            matches += expected.len();
        }
        assert!(matches > 100, "{matches}");
    }

    /// The phrase search finds exactly what `(?i)` and the pattern found with `regex`.
    #[test]
    fn phrase_search_equals_the_case_insensitive_pattern() {
        let pieces = [
            "Experts",
            "EXPERTS",
            "experts",
            "ſources",
            "Some",
            "some",
            "many",
            "people",
            "Most ",
            "industry",
            "say",
            "SAID",
            "think",
            "thinks",
            "Pointed",
            "out",
            "point",
            "it",
            "It",
            "IS",
            "was",
            "has",
            "been",
            "widely",
            "reported",
            "rumoured",
            "rumored",
            "known",
            "\u{212A}nown",
            "reports",
            "Rumours",
            "suggest",
            "indicate",
            "according",
            "to",
            "According",
            "Officials",
            "officials",
            "analysts",
            "critics",
            " ",
            " ",
            " ",
            "  ",
            "\n",
            "have",
            "HAD",
            "often",
            "now",
            "told",
            "sayings",
            "_",
            "9",
            "Experts say",
            "experts ſaid",
            "EXPERTS THIN\u{212A}",
            "it is said",
            "It Has  Been\tsaid",
            "it was widely known",
            "reports suggest",
            "Rumours say",
            "according to experts",
            "ACCORDING TO SOME SOURCES",
            "many people think",
            "Industry sources said",
            "some believe",
            "others  have\u{a0}noted",
            "officials pointed out",
            "critics warn",
        ];
        let pieces: Vec<&str> = pieces.iter().chain(ANY_TEXT).copied().collect();
        let texts = random_texts(&pieces, 5_000, 16);
        assert_phrase_equals_case_insensitive(&super::vague_pattern(), &texts);
    }

    #[test]
    fn flags_unnamed_sources() {
        assert_flags(
            "vague-attribution",
            "Experts say the levy is too high. Critics argue it is too low.\n\nIt is said that the fund is empty. It has been reported that talks failed.\n\nIndustry sources said prices will rise. Many people think the plan is late. Some believe it will pass.\n\nThe plan was praised by Kim. Officials said it would pass.\n",
            &["Experts say", "Critics argue", "It is said", "It has been reported", "Industry sources said", "Many people think", "Some believe", "Officials said"],
        );
    }

    #[test]
    fn leaves_named_sources_alone() {
        assert_no_findings(
            "vague-attribution",
            "Treasury officials said the levy is fair. Minister Kim said the plan will pass.\n\nThe Korea Development Institute argues that rates will fall.\n\nParticipants agreed on the timetable. One respondent wrote that fees were high.\n",
        );
    }
}
