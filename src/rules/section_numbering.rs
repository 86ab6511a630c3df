//! # section-numbering
//!
//! ## What it does
//! Flags numbered headings that skip or repeat a number. Each numbered heading is checked
//! against the previous heading numbered the same way (decimal `1.`/`1.1`, Roman `IV.`/`Ⅳ`,
//! letters `B.`, Korean `가.`, `Article 9`, `Part III`, `Annex B`, `제4조`, …) under the same
//! parent section, so one mistake gives one finding: `7, 9, 10` flags only `9`, and
//! `4, 4, 5` flags only the second `4`.
//!
//! - The first heading under a parent starts at 1 (`1.`, `I.`, `A.`, `Article 1`); a
//!   top-level decimal sequence may start at `0.`.
//! - A subsection's number must continue its parent's: under `2.` come `2.1`, `2.2`, …;
//!   `2.1` under `3.` is reported.
//! - Numbering that continues across parents is accepted: articles numbered on through
//!   chapters (`Chapter 2` opening with `Article 6` after `Article 5`) are as valid as
//!   articles that restart at 1 in each chapter.
//! - A branch article (`제4조의2`) may follow `제4조`.
//! - A draft whose very first heading is numbered (`# 5. Budget`) is an excerpt or one
//!   file of a larger document: it may open on any number.
//! - A headline that opens with a quantity (`1.2 Trillion Won for Chips`) is not numbered.
//!
//! Headings without a numbering word (`Theme 1: …`, `Item 2. …`) are ordinary headings
//! and are not checked. The finding covers the number label (`9`, `1.1`, `Article 9`,
//! `제4조`, `Ⅴ`).
//!
//! ## Why it matters
//! Readers, reviewers and cross-references navigate a draft by its numbers. A skipped
//! number reads as a deleted section; a repeated one makes "see Section 4" ambiguous.
//! Both usually mean a section was moved, merged or removed without renumbering.
//!
//! ## Example
//! ```text
//! 1. Background
//! 2. Goals
//! 4. Budget
//! ```
//!
//! ## Use instead
//! ```text
//! 1. Background
//! 2. Goals
//! 3. Budget
//! ```
//!
//! ## Options
//! Severity only (`[rules] section-numbering = "error"`, or `"off"`).

use crate::analysis::fnv::FnvHashMap;

use super::{Context, Reporter, Rule, Scope};
use crate::analysis::headings::{Keyword, KoreanUnit, Numbering, NumberingScheme};
use crate::analysis::numerals::to_roman;
use crate::analysis::{Document, Severity};

pub static RULE: Rule = Rule {
    name: "section-numbering",
    default_severity: Severity::Warning,
    scope: Scope::Document,
    source: include_str!("section_numbering.rs"),
    check,
};

/// The previous heading of a sequence: same parent section, scheme and label depth.
type SiblingKey = (Option<usize>, NumberingScheme, usize);
/// The previous heading of a sequence anywhere in the draft (for numbering that runs on
/// across parents).
type RunKey = (NumberingScheme, usize);

fn check(cx: &Context, out: &mut Reporter) {
    let doc = cx.doc;
    let sections = &doc.sections;
    // Open sections, outermost first: the last one with a lower level is the parent.
    let mut open: Vec<usize> = Vec::new();
    let mut previous: FnvHashMap<SiblingKey, Vec<u32>> = FnvHashMap::default();
    let mut run: FnvHashMap<RunKey, Vec<u32>> = FnvHashMap::default();
    for (index, section) in sections.iter().enumerate() {
        while open
            .last()
            .is_some_and(|&o| sections[o].level >= section.level)
        {
            open.pop();
        }
        let parent = open.last().copied();
        open.push(index);
        let Some(numbering) = &section.numbering else {
            continue;
        };
        if is_quantity(doc, numbering) {
            continue;
        }
        let as_letter = as_letter_if_continuing(doc, numbering, parent, &previous);
        let numbering = as_letter.as_ref().unwrap_or(numbering);
        let Some(label) = Label::read(doc, numbering) else {
            continue;
        };
        let depth = label.depth();
        let scheme = numbering.scheme;
        let prefix = expected_prefix(doc, parent, &label, &previous);
        let situation = Situation {
            previous: previous.get(&(parent, scheme, depth)),
            run: run.get(&(scheme, depth)),
            prefix,
        };
        // A draft that opens on `5.` (or `Chapter 3`) is an excerpt or one file of a
        // larger document: its first number is where it starts.
        let opens_draft = index == 0 && parent.is_none();
        let chosen = match label
            .readings()
            .find(|reading| opens_draft || situation.accepts(&label, reading))
        {
            Some(reading) => reading,
            None => {
                out.report(
                    numbering.label.clone(),
                    situation.message(&label, label.number),
                    None,
                );
                label.number
            }
        };
        remember(&mut previous, (parent, scheme, depth), chosen);
        remember(&mut run, (scheme, depth), chosen);
    }
}

/// Keeps `number` as the latest of its sequence, in the space the previous one had (a
/// draft with thousands of numbered headings then allocates per sequence, not per heading).
fn remember<K: std::hash::Hash + Eq>(latest: &mut FnvHashMap<K, Vec<u32>>, key: K, number: &[u32]) {
    let kept = latest.entry(key).or_default();
    kept.clear();
    kept.extend_from_slice(number);
}

/// `1.2 Trillion Won for Chips`: a headline that starts with a quantity, not a numbered
/// heading.
fn is_quantity(doc: &Document, numbering: &Numbering) -> bool {
    const SCALES: [&str; 10] = [
        "thousand", "million", "billion", "trillion", "percent", "per", "times", "fold", "bn", "m",
    ];
    if numbering.scheme != NumberingScheme::Decimal || numbering.components.len() < 2 {
        return false;
    }
    let after = doc
        .text
        .get(numbering.label.end..)
        .unwrap_or("")
        .trim_start();
    let word = &after[..after
        .find(|c: char| !c.is_alphabetic())
        .unwrap_or(after.len())];
    if word.is_ascii() {
        SCALES.iter().any(|scale| scale.eq_ignore_ascii_case(word))
    } else {
        SCALES.contains(&word.to_lowercase().as_str())
    }
}

/// A lone `I`, `V` or `X` that follows `H`, `U` or `W` under the same parent is a letter,
/// not a Roman numeral (the outline reads plain-text labels that way; Markdown headings
/// keep the Roman reading): the numbering read as that letter, or `None` to keep it.
fn as_letter_if_continuing(
    doc: &Document,
    numbering: &Numbering,
    parent: Option<usize>,
    previous: &FnvHashMap<SiblingKey, Vec<u32>>,
) -> Option<Numbering> {
    let NumberingScheme::Roman { upper } = numbering.scheme else {
        return None;
    };
    let text = doc.text.get(numbering.label.clone()).unwrap_or("");
    let index = lone_letter_index(&text.to_ascii_uppercase())?;
    let letter = NumberingScheme::Letter { upper };
    previous
        .get(&(parent, letter, 1))
        .is_some_and(|p| p[..] == [index - 1])
        .then(|| Numbering {
            label: numbering.label.clone(),
            scheme: letter,
            components: vec![index],
        })
}

/// What a subsection's number must start with: its parent section's number, or, when
/// subsections sit beside their parents (`1.`, `1.1`, `1.2`, `2.` all at one level), the
/// number of the latest heading one level up.
fn expected_prefix<'a>(
    doc: &'a Document,
    parent: Option<usize>,
    label: &Label,
    previous: &'a FnvHashMap<SiblingKey, Vec<u32>>,
) -> Option<&'a [u32]> {
    if !label.is_hierarchical() || label.depth() < 2 {
        return None;
    }
    let depth = label.depth();
    let from_parent = parent
        .and_then(|p| doc.sections[p].numbering.as_ref())
        .filter(|p| p.components.len() + 1 == depth && same_family(p.scheme, label.scheme))
        .map(|p| p.components.as_slice());
    from_parent.or_else(|| {
        previous
            .get(&(parent, label.scheme, depth - 1))
            .map(Vec::as_slice)
    })
}

/// Decimal numbers and `Section 4.2` continue each other (`Section 2` is followed by `2.1`).
fn same_family(a: NumberingScheme, b: NumberingScheme) -> bool {
    let decimal_like = |s| {
        matches!(
            s,
            NumberingScheme::Decimal | NumberingScheme::Keyword(Keyword::Section)
        )
    };
    a == b || (decimal_like(a) && decimal_like(b))
}

/// What a heading's number is compared with.
struct Situation<'a> {
    /// The previous number of the sequence under the same parent.
    previous: Option<&'a Vec<u32>>,
    /// The previous number of the sequence anywhere.
    run: Option<&'a Vec<u32>>,
    /// What the number must start with, from its parent.
    prefix: Option<&'a [u32]>,
}

impl Situation<'_> {
    fn accepts(&self, label: &Label, found: &[u32]) -> bool {
        if label.is_korean() {
            return match self.previous {
                Some(previous) => korean_follows(previous, found),
                None => found == [1] || self.run.is_some_and(|run| korean_follows(run, found)),
            };
        }
        let (stem, last) = split_last(found);
        if self.prefix.is_some_and(|prefix| prefix != stem) {
            return false;
        }
        match self.previous {
            Some(previous) if split_last(previous).0 == stem => {
                last == split_last(previous).1.saturating_add(1)
            }
            // A new run of subsections beside the previous one: `1.2` then `2.1`.
            Some(previous) if self.prefix.is_none() => {
                self.starts(label, last)
                    && successor(split_last(previous).0).as_deref() == Some(stem)
            }
            _ => {
                self.starts(label, last)
                    || self.run.is_some_and(|run| {
                        split_last(run).0 == stem && split_last(run).1.saturating_add(1) == last
                    })
            }
        }
    }

    /// Whether `last` can open a sequence: 1, or 0 for a decimal sequence that no parent
    /// numbers (`0. Definitions`, or `2.0` beside `1.2`).
    fn starts(&self, label: &Label, last: u32) -> bool {
        last == 1
            || (last == 0 && label.scheme == NumberingScheme::Decimal && self.prefix.is_none())
    }

    fn message(&self, label: &Label, found: &[u32]) -> String {
        let shown = label.render(found);
        if label.is_korean() {
            return match self.previous.or(self.run) {
                Some(previous) => {
                    let next = label.render(&[previous[0].saturating_add(1)]);
                    let before = label.render(previous);
                    compare(&shown, found, &before, previous, &next)
                }
                None => format!(
                    "numbering starts at {shown}: expected {}",
                    label.render(&[1])
                ),
            };
        }
        let (stem, _) = split_last(found);
        if let Some(prefix) = self.prefix.filter(|prefix| *prefix != stem) {
            let next = match self.previous {
                Some(previous) if split_last(previous).0 == prefix => bump(previous),
                _ => with_last(prefix, 1),
            };
            return format!(
                "{shown} does not continue its section's number {}: expected {}",
                label.render(prefix),
                label.render(&next)
            );
        }
        match self.previous {
            Some(previous) if split_last(previous).0 == stem => {
                let before = label.render(previous);
                compare(
                    &shown,
                    found,
                    &before,
                    previous,
                    &label.render(&bump(previous)),
                )
            }
            Some(previous) => {
                let mut options = vec![label.render(&bump(previous))];
                if let Some(next_stem) = successor(split_last(previous).0) {
                    options.push(label.render(&with_last(&next_stem, 1)));
                }
                format!(
                    "numbering jumps from {} to {shown}: expected {} after {}",
                    label.render(previous),
                    options.join(" or "),
                    label.render(previous)
                )
            }
            None => {
                let first = label.render(&with_last(stem, 1));
                match self.run.filter(|run| split_last(run).0 == stem) {
                    Some(run) => format!(
                        "numbering starts at {shown}: expected {first}, or {} to continue from {}",
                        label.render(&bump(run)),
                        label.render(run)
                    ),
                    None => format!("numbering starts at {shown}: expected {first}"),
                }
            }
        }
    }
}

/// The message for a number that does not follow `previous`.
fn compare(shown: &str, found: &[u32], before: &str, previous: &[u32], next: &str) -> String {
    if found == previous {
        format!("{shown} repeats the previous number: expected {next} after {before}")
    } else if found < previous {
        format!("numbering goes back from {before} to {shown}: expected {next} after {before}")
    } else {
        format!("numbering skips from {before} to {shown}: expected {next} after {before}")
    }
}

/// `제5조` follows `제4조` or `제4조의3`; `제4조의2` follows `제4조`, `제4조의3` follows
/// `제4조의2`.
fn korean_follows(previous: &[u32], found: &[u32]) -> bool {
    let Some(&main) = previous.first() else {
        return false;
    };
    match found {
        [next] => *next == main.saturating_add(1),
        [same, branch] => {
            *same == main && *branch == previous.get(1).copied().unwrap_or(1).saturating_add(1)
        }
        _ => false,
    }
}

/// The number without its last part, and its last part.
fn split_last(number: &[u32]) -> (&[u32], u32) {
    match number.split_last() {
        Some((last, stem)) => (stem, *last),
        None => (&[], 0),
    }
}

/// The number with its last part increased: `1.3` after `1.2`.
fn bump(number: &[u32]) -> Vec<u32> {
    let (stem, last) = split_last(number);
    with_last(stem, last.saturating_add(1))
}

fn with_last(stem: &[u32], last: u32) -> Vec<u32> {
    let mut number = stem.to_vec();
    number.push(last);
    number
}

/// The next number at the same depth, if there is one: `2` after `1`, `1.3` after `1.2`.
fn successor(number: &[u32]) -> Option<Vec<u32>> {
    (!number.is_empty()).then(|| bump(number))
}

/// A heading's number label, ready to compare and to print.
struct Label<'a> {
    scheme: NumberingScheme,
    /// The parsed value.
    number: &'a [u32],
    /// Another way the label reads (a lone `I`, `V` or `X` after a keyword may be a
    /// letter: `Annex H`, `Annex I`), as that letter's index.
    as_letter: Option<u32>,
    format: Format<'a>,
}

/// How a number is written, to print the expected one the same way.
#[derive(Clone, Debug)]
enum Format<'a> {
    Decimal,
    Roman {
        upper: bool,
        unicode: bool,
    },
    Letter {
        upper: bool,
    },
    Hangul,
    /// `Article 9`, `Part III`, `Annex B`: the keyword as written and the number's style.
    Keyword {
        word: &'a str,
        number: NumberStyle,
    },
    Korean(KoreanUnit),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum NumberStyle {
    Decimal,
    Roman,
    Letter,
}

impl<'a> Label<'a> {
    fn read(doc: &'a Document, numbering: &'a Numbering) -> Option<Label<'a>> {
        if numbering.components.is_empty() {
            return None;
        }
        let text = doc.text.get(numbering.label.clone())?;
        let mut as_letter = None;
        let format = match numbering.scheme {
            NumberingScheme::Decimal => Format::Decimal,
            NumberingScheme::Roman { upper } => Format::Roman {
                upper,
                unicode: !text.is_ascii(),
            },
            NumberingScheme::Letter { upper } => Format::Letter { upper },
            NumberingScheme::HangulLetter => Format::Hangul,
            NumberingScheme::Korean(unit) => Format::Korean(unit),
            NumberingScheme::Keyword(_) => {
                let (word, number) = text.split_once(char::is_whitespace)?;
                let number = number.trim();
                let style = if number.starts_with(|c: char| c.is_ascii_digit()) {
                    NumberStyle::Decimal
                } else if number.len() == 1 && !matches!(number, "I" | "V" | "X") {
                    NumberStyle::Letter
                } else {
                    as_letter = lone_letter_index(number);
                    NumberStyle::Roman
                };
                Format::Keyword {
                    word,
                    number: style,
                }
            }
        };
        Some(Label {
            scheme: numbering.scheme,
            number: &numbering.components,
            as_letter,
            format,
        })
    }

    /// How the label reads: the parsed value first, then the alternative, if any.
    fn readings(&self) -> impl Iterator<Item = &[u32]> {
        std::iter::once(self.number).chain(self.as_letter.as_ref().map(std::slice::from_ref))
    }

    /// Decimal and keyword labels carry their parents' numbers (`1.2`, `Section 4.2`).
    fn is_hierarchical(&self) -> bool {
        matches!(
            self.scheme,
            NumberingScheme::Decimal | NumberingScheme::Keyword(_)
        )
    }

    fn is_korean(&self) -> bool {
        matches!(self.scheme, NumberingScheme::Korean(_))
    }

    fn depth(&self) -> usize {
        if self.is_hierarchical() {
            self.number.len()
        } else {
            1
        }
    }

    /// A number written the way this label writes numbers.
    fn render(&self, number: &[u32]) -> String {
        match &self.format {
            Format::Decimal => decimal(number),
            Format::Roman { upper, unicode } => {
                let value = number.first().copied().unwrap_or(0);
                match unicode_roman(value, *upper).filter(|_| *unicode) {
                    Some(c) => c.to_string(),
                    None => roman(value, *upper),
                }
            }
            Format::Letter { upper } => letter(number.first().copied().unwrap_or(0), *upper),
            Format::Hangul => hangul(number.first().copied().unwrap_or(0)),
            Format::Keyword {
                word,
                number: style,
            } => {
                let value = match style {
                    NumberStyle::Decimal => decimal(number),
                    NumberStyle::Roman if number.len() == 1 => roman(number[0], true),
                    NumberStyle::Letter if number.len() == 1 => letter(number[0], true),
                    _ => decimal(number),
                };
                format!("{word} {value}")
            }
            Format::Korean(unit) => {
                let unit = match unit {
                    KoreanUnit::Part => '편',
                    KoreanUnit::Chapter => '장',
                    KoreanUnit::Section => '절',
                    KoreanUnit::SubSection => '관',
                    KoreanUnit::Article => '조',
                };
                match number {
                    [main] => format!("제{main}{unit}"),
                    [main, branch, ..] => format!("제{main}{unit}의{branch}"),
                    [] => format!("제{unit}"),
                }
            }
        }
    }
}

/// `I`, `V` and `X` read as letters: 9, 22, 24.
fn lone_letter_index(number: &str) -> Option<u32> {
    match number {
        "I" => Some(9),
        "V" => Some(22),
        "X" => Some(24),
        _ => None,
    }
}

fn decimal(number: &[u32]) -> String {
    number
        .iter()
        .map(u32::to_string)
        .collect::<Vec<_>>()
        .join(".")
}

fn letter(value: u32, upper: bool) -> String {
    let base = if upper { b'A' } else { b'a' };
    match u8::try_from(value) {
        Ok(v @ 1..=26) => char::from(base + v - 1).to_string(),
        _ => value.to_string(),
    }
}

fn roman(value: u32, upper: bool) -> String {
    let numeral = to_roman(value);
    if upper {
        numeral
    } else {
        numeral.to_ascii_lowercase()
    }
}

/// `Ⅰ`..`Ⅻ`, `ⅰ`..`ⅻ`.
fn unicode_roman(value: u32, upper: bool) -> Option<char> {
    let first = if upper { 'Ⅰ' } else { 'ⅰ' };
    (1..=12)
        .contains(&value)
        .then(|| char::from_u32(first as u32 + value - 1))
        .flatten()
}

fn hangul(value: u32) -> String {
    const ORDER: [char; 14] = [
        '가', '나', '다', '라', '마', '바', '사', '아', '자', '차', '카', '타', '파', '하',
    ];
    usize::try_from(value)
        .ok()
        .and_then(|v| v.checked_sub(1))
        .and_then(|i| ORDER.get(i))
        .map_or_else(|| value.to_string(), char::to_string)
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_flags, assert_no_findings, flagged};

    const RULE: &str = "section-numbering";

    #[test]
    fn flags_only_the_skip() {
        assert_flags(
            RULE,
            "Harbour Plan\n\n1. Ferries\n\nText.\n\n2. Piers\n\nText.\n\n4. Tolls\n\nText.\n\n5. Budget\n",
            &["4"],
        );
    }

    #[test]
    fn flags_only_the_repeat() {
        assert_flags(
            RULE,
            "# Harbour Plan\n\n## 1. Ferries\n\n## 2. Piers\n\n## 2. Tolls\n\n## 3. Budget\n",
            &["2"],
        );
    }

    #[test]
    fn messages_say_what_was_expected() {
        let text = "Harbour Plan\n\n1. Ferries\n\n2. Piers\n\n4. Tolls\n\n4. Budget\n";
        let doc = crate::analysis::analyze(
            text,
            crate::analysis::DocumentKind::PlainText,
            &crate::config::Config::default(),
        );
        let messages: Vec<&str> = doc
            .diagnostics
            .iter()
            .filter(|d| d.rule == RULE)
            .map(|d| d.message.as_str())
            .collect();
        assert_eq!(
            messages,
            [
                "numbering skips from 2 to 4: expected 3 after 2",
                "4 repeats the previous number: expected 5 after 4"
            ]
        );
    }

    #[test]
    fn subsections_repeat_and_mismatch() {
        assert_flags(
            RULE,
            "# Tram Strategy\n\n## 1. Context\n\n### 1.1 Routes\n\n### 1.1 Depots\n\n## 2. Money\n\n### 2.1 Fares\n\n## 3. Staff\n\n### 2.2 Drivers\n",
            &["1.1", "2.2"],
        );
    }

    #[test]
    fn subsections_start_at_one() {
        assert_flags(
            RULE,
            "# Tram Strategy\n\n## 1. Context\n\n### 1.2 Routes\n\n## 2. Money\n\n### 2.1 Fares\n",
            &["1.2"],
        );
    }

    #[test]
    fn flat_subsections_follow_their_parents() {
        assert_no_findings(
            RULE,
            "Tram Strategy\n\n1. Context\n\n1.1 Routes\n\n1.2 Depots\n\n2. Money\n\n2.1 Fares\n\n2.2 Grants\n",
        );
        assert_no_findings(
            RULE,
            "# Tram Strategy\n\n## 1.0 Context\n\n## 1.1 Routes\n\n## 2.0 Money\n\n## 2.1 Fares\n",
        );
    }

    #[test]
    fn a_draft_may_open_mid_sequence() {
        assert_flags(
            RULE,
            "# 5. Budget\n\n## 5.1 Grants\n\n## 5.3 Loans\n",
            &["5.3"],
        );
    }

    #[test]
    fn quantities_in_headlines_are_not_numbering() {
        assert_no_findings(
            RULE,
            "# Chip Plan\n\n## 1.2 Trillion Won for Chip Plants\n\nText.\n\n## 3.5 Million Jobs by 2030\n",
        );
    }

    #[test]
    fn decimal_may_start_at_zero() {
        assert_no_findings(
            RULE,
            "Terms of Use\n\n0. Definitions\n\nText.\n\n1. Scope\n\nText.\n\n2. Duties\n",
        );
    }

    #[test]
    fn numbering_restarts_under_each_parent() {
        assert_no_findings(
            RULE,
            "I. Overview\n\nText.\n\nA. Aims\n\nB. Means\n\nII. Details\n\nA. Costs\n\nB. Risks\n\nIII. Annexes\n",
        );
    }

    #[test]
    fn roman_and_unicode_roman() {
        assert_flags(
            RULE,
            "Smart Port Plan\n\nⅠ. 추진 배경\n\n□ 항만을 개선한다.\n\nⅡ. 목표\n\nⅢ. 과제\n\nⅤ. 체계\n",
            &["Ⅴ"],
        );
        assert_flags(
            RULE,
            "I. Overview\n\nText.\n\nII. Details\n\nText.\n\nII. Money\n",
            &["II"],
        );
    }

    /// `A.` to `J.` headings, each with a line of text.
    fn lettered(title: &str, heading: &str, word: &str) -> String {
        let mut text = format!("{title}Depot Rules\n\n");
        for c in 'A'..='J' {
            text.push_str(&format!("{heading}{c}. {word} {c}\n\nText.\n\n"));
        }
        text
    }

    #[test]
    fn letters_and_hangul_letters() {
        assert_flags(
            RULE,
            "Depot Rules\n\nA. Access\n\nText.\n\nB. Parking\n\nText.\n\nD. Fees\n",
            &["D"],
        );
        assert_flags(
            RULE,
            "Depot Rules\n\n가. 출입\n\n나. 주차\n\n라. 요금\n",
            &["라"],
        );
        // `I.` after `H.` is a letter.
        assert_no_findings(RULE, &lettered("", "", "Rule"));
        assert_no_findings(RULE, &lettered("# ", "## ", "Rule"));
    }

    #[test]
    fn articles() {
        assert_flags(
            RULE,
            "Rules of the Lending Library\n\nArticle 1 (Purpose)\n\nText.\n\nArticle 2 (Loans)\n\nText.\n\nArticle 4 (Fines)\n\nText.\n\nArticle 5 (Entry into Force)\n",
            &["Article 4"],
        );
    }

    #[test]
    fn articles_may_run_on_across_chapters_or_restart() {
        assert_no_findings(
            RULE,
            "Chapter 1 General\n\nArticle 1 (Aim)\n\nText.\n\nArticle 2 (Terms)\n\nChapter 2 Licences\n\nArticle 3 (Grant)\n\nArticle 4 (Refusal)\n",
        );
        assert_no_findings(
            RULE,
            "Chapter 1 General\n\nArticle 1 (Aim)\n\nText.\n\nArticle 2 (Terms)\n\nChapter 2 Licences\n\nArticle 1 (Grant)\n\nArticle 2 (Refusal)\n",
        );
        assert_flags(
            RULE,
            "Chapter 1 General\n\nArticle 1 (Aim)\n\nChapter 2 Licences\n\nArticle 3 (Grant)\n\nChapter 4 Final\n",
            &["Article 3", "Chapter 4"],
        );
    }

    #[test]
    fn korean_articles() {
        assert_flags(
            RULE,
            "마을 회관 규칙\n\n제1조 (목적) Purpose\n\n① 회관을 운영한다.\n\n제2조 (정의) Terms\n\n제2조 (운영) Running\n\n제3조 (시행일) Start\n",
            &["제2조"],
        );
        assert_flags(
            RULE,
            "Village Hall Rules\n\n제3조 (목적) Purpose\n\n제5조 (정의) Terms\n",
            &["제3조", "제5조"],
        );
        assert_no_findings(
            RULE,
            "마을 회관 규칙\n\n제1조 (목적) Purpose\n\n제1조의2 (정의) Terms\n\n제2조 (운영) Running\n",
        );
    }

    #[test]
    fn crlf_and_emoji() {
        assert_flags(
            RULE,
            "# Harbour 🚢 Plan\r\n\r\n## 1. Ferries 🚢\r\n\r\nText 🙂.\r\n\r\n## 3. Piers\r\n",
            &["3"],
        );
    }

    #[test]
    fn unnumbered_and_theme_headings_are_ignored() {
        assert_no_findings(
            RULE,
            "# Plan\n\n## Theme 1: Ports\n\n## Theme 3: Roads\n\n## Background\n\n## Item 2. Money\n",
        );
    }

    #[test]
    fn keyword_letters_read_i_as_a_letter_when_continuing() {
        let annexes: String = ('A'..='J')
            .map(|c| format!("Annex {c} Forms\n\nText.\n\n"))
            .collect();
        assert_no_findings(RULE, &format!("Plan\n\nText.\n\n{annexes}"));
        assert_flags(
            RULE,
            "Plan\n\nText.\n\nAnnex A Forms\n\nAnnex C Maps\n",
            &["Annex C"],
        );
    }

    #[test]
    fn never_panics_on_odd_input() {
        for text in [
            "",
            "1.",
            "\n\n0.\n",
            "Article 0\n\nArticle 0\n",
            "제0조\n",
            "Ⅻ. X\n\nⅫ. Y\n",
        ] {
            let _ = flagged(RULE, text);
        }
    }
}
