//! # relative-date
//!
//! ## What it does
//! Flags dates that only make sense on the day they were written: `on the 1st`,
//! `yesterday`, `today`, `tomorrow`, `this week`, `last year`, `next month`,
//! `earlier this month`, a weekday such as `next Monday`, `three weeks ago`, `recently`,
//! `on the same day` — unless the same sentence also gives an absolute date
//! (`On the same day (14 March 2024)`, `this year (2024)`).
//!
//! Not flagged: a bare month (`in April`), `currently`, `now`, the adjective `recent`,
//! anaphora such as `at that time`, schedules (`every Monday`), relative dates inside quotations (they are the
//! speaker's words) and in headings.
//!
//! ## Why it matters
//! Drafts circulate for weeks and are archived for years. "Last month" in a briefing
//! read next quarter points to the wrong month; readers cannot recover the date.
//!
//! ## Example
//! ```text
//! The minister announced the fund yesterday.
//! ```
//!
//! ## Use instead
//! ```text
//! The minister announced the fund on 14 March 2024.
//! ```
//!
//! ## Options
//! Severity only (`[rules] relative-date = "hint"`, or `"off"`).

use std::ops::Range;

use super::{Context, Reporter, Rule, Scope};
use crate::analysis::phrase::PhrasePattern;
use crate::analysis::Severity;

pub static RULE: Rule = Rule {
    name: "relative-date",
    default_severity: Severity::Information,
    scope: Scope::Block,
    source: include_str!("relative_date.rs"),
    check,
};

const WEEKDAY: &str = r"(?:mon|tues|wednes|thurs|fri|satur|sun)day";
const PERIOD: &str = r"(?:week|month|year|weekend)";
const COUNT: &str =
    r"(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|a\s+few|several)";

/// Relative dates, in any case.
fn relative_pattern() -> String {
    format!(
        r"(?-u:\b)(?:on\s+the\s+(?:\d{{1,2}}(?:st|nd|rd|th)|same\s+day|following\s+day|previous\s+day)(?-u:\b)|(?:earlier|later)\s+this\s+{PERIOD}(?-u:\b)|(?:this|last|next)\s+(?:{PERIOD}|{WEEKDAY})(?-u:\b)|(?:on\s+)?{WEEKDAY}(?-u:\b)|{COUNT}\s+(?:days?|weeks?|months?|years?)\s+ago(?-u:\b)|yesterday(?-u:\b)|today(?-u:\b)|tomorrow(?-u:\b)|tonight(?-u:\b)|recently(?-u:\b)|the\s+day\s+before\s+yesterday(?-u:\b))"
    )
}

/// [`relative_pattern`], in any case.
static RELATIVE_DATE: PhrasePattern = PhrasePattern::new(relative_pattern);

const MONTH: &str = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?";

/// A full date (day, month and year in any common order, or numeric) or a year in
/// brackets, in any case: what anchors a relative date in its sentence.
fn absolute_pattern() -> String {
    format!(
        r"(?-u:\b)\d{{1,2}}\s+{MONTH}\s+\d{{4}}(?-u:\b)|(?-u:\b){MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}(?-u:\b)|(?-u:\b)\d{{4}}-\d{{2}}-\d{{2}}(?-u:\b)|(?-u:\b)\d{{1,2}}[./]\d{{1,2}}[./]\d{{4}}(?-u:\b)|\(\s*(?:19|20)\d{{2}}\s*\)|(?-u:\b){WEEKDAY},?\s+\d{{1,2}}\s+{MONTH}|(?-u:\b){WEEKDAY},?\s+{MONTH}\s+\d{{1,2}}|(?-u:\b)(?:19|20)\d{{2}}\s*[./-]\s*\d{{1,2}}\s*[./-]\s*\d{{1,2}}",
        WEEKDAY = WEEKDAY
    )
}

/// [`absolute_pattern`], in any case.
static ABSOLUTE_DATE: PhrasePattern = PhrasePattern::new(absolute_pattern);

fn check(cx: &Context, out: &mut Reporter) {
    let doc = cx.doc;
    for block in doc.blocks.iter().filter(|b| !b.is_heading()) {
        let prose = doc.prose(block.range.clone());
        for found in RELATIVE_DATE.find_all(prose) {
            let range = block.range.start + found.start..block.range.start + found.end;
            if doc.quotation_at(range.start).is_some()
                || recurring(&prose[..found.start])
                || anchored(cx, range.clone())
            {
                continue;
            }
            let phrase = prose[found]
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            out.report(
                range,
                format!(
                    "`{phrase}` is a relative date that loses its meaning once the draft circulates; give the date"
                ),
                None,
            );
        }
    }
}

/// `every Monday`, `each week`: a schedule, not a date.
fn recurring(before: &str) -> bool {
    let previous = before.split_whitespace().last().unwrap_or_default();
    previous.eq_ignore_ascii_case("every") || previous.eq_ignore_ascii_case("each")
}

/// Whether the sentence around `range` also states an absolute date.
fn anchored(cx: &Context, range: Range<usize>) -> bool {
    let sentence = cx.doc.prose(cx.doc.sentence_at(range.start));
    // Every date the pattern knows has a digit (`\d`, any Unicode digit, so any byte that
    // is not ASCII may start one); a sentence without one is not anchored.
    sentence
        .bytes()
        .any(|b| b.is_ascii_digit() || !b.is_ascii())
        && ABSOLUTE_DATE.is_match(sentence)
}

#[cfg(test)]
mod tests {
    use crate::analysis::testing::random_texts;
    use crate::rules::testing::{assert_flags, assert_no_findings};
    use crate::rules::vague_attribution::tests::{assert_phrase_equals_case_insensitive, ANY_TEXT};

    /// The phrase searches find exactly what `(?i)` and the patterns found with `regex`.
    #[test]
    fn phrases_equal_the_case_insensitive_patterns() {
        let pieces = [
            "on the 1st",
            "On The 22ND",
            "on the same day",
            "this week",
            "LAST ",
            "next",
            "Monday",
            "tueſday",
            "SUNDAY",
            "weekend",
            "earlier this month",
            "Later This Year",
            "three weeks ago",
            "2 DAYS AGO",
            "a few months ago",
            "yesterday",
            "Today",
            "TOMORROW",
            "tonight",
            "recently",
            "the day before yesterday",
            "12 March 2026",
            "March 12th, 2026",
            "2026-03-12",
            "12/03/2026",
            "(2026)",
            "( 1999 )",
            "Monday, 12 March",
            "mon, sept. 3",
            "2026 . 3 . 12",
            "Sep",
            "Dec.",
            "\u{212A}",
            "ago",
            "day",
            " ",
            " ",
            "  ",
            ", ",
            "_",
            "2026",
            "3",
            "٣",
        ];
        let pieces: Vec<&str> = pieces.iter().chain(ANY_TEXT).copied().collect();
        let texts = random_texts(&pieces, 5_000, 16);
        assert_phrase_equals_case_insensitive(&super::relative_pattern(), &texts);
        assert_phrase_equals_case_insensitive(&super::absolute_pattern(), &texts);
    }

    /// The same on dates in ASCII text, where the absolute-date pattern matches often.
    #[test]
    fn absolute_date_phrase_equals_the_case_insensitive_pattern_on_ascii() {
        let pieces = [
            "12 March 2026",
            "March 12th, 2026",
            "2026-03-12",
            "12/03/2026",
            "(2026)",
            "( 1999 )",
            "Monday, 12 March",
            "MON, SEPT. 3",
            "2026 . 3 . 12",
            "Sep",
            "Dec.",
            "May",
            "2026",
            "3",
            "45",
            " ",
            "\t",
            "\n",
            "\r\n",
            "\x0B",
            "\x0C",
            ",",
            ".",
            "/",
            "-",
            "(",
            ")",
            "x",
            "_",
            "Tuesday",
            "jan",
            "JUNE",
            "1",
        ];
        let texts = random_texts(&pieces, 5_000, 12);
        assert_phrase_equals_case_insensitive(&super::absolute_pattern(), &texts);
    }

    #[test]
    fn flags_relative_dates() {
        assert_flags(
            "relative-date",
            "The minister spoke on the 1st. Exports fell last year. Talks resume next Monday.\n\nThe board met yesterday and will meet again tomorrow.\n\nEarlier this month the fund opened. Prices rose three weeks ago. The plan was recently revised.\n",
            &["on the 1st", "last year", "next Monday", "yesterday", "tomorrow", "Earlier this month", "three weeks ago", "recently"],
        );
    }

    #[test]
    fn same_day_and_crlf() {
        assert_flags(
            "relative-date",
            "Heading Line\r\n\r\nOn the same day, the council voted. 한국 🙂 this week.\r\n",
            &["On the same day", "this week"],
        );
    }

    #[test]
    fn leaves_anchored_and_non_dates_alone() {
        assert_no_findings(
            "relative-date",
            "On the same day (14 March 2024) the council voted.\n\nThis year (2024) exports rose.\n\nThe fund opened on Monday, 3 June 2024.\n\nIn April the plan was published. Currently, the plan is under review. The recent visit was useful. At that time, rates were high.\n\nShe said, \"We will decide tomorrow, not next week.\"\n\nThe ferry sails every Saturday and on Sundays.\n",
        );
    }

    #[test]
    fn headings_are_exempt() {
        assert_no_findings(
            "relative-date",
            "# What Changed Last Year\n\nThe plan is new.\n",
        );
    }
}
