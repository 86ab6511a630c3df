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
use std::sync::LazyLock;

use regex::Regex;

use super::{Context, Reporter, Rule, Scope};
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

static RELATIVE_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)(?-u:\b)(?:on\s+the\s+(?:\d{{1,2}}(?:st|nd|rd|th)|same\s+day|following\s+day|previous\s+day)(?-u:\b)|(?:earlier|later)\s+this\s+{PERIOD}(?-u:\b)|(?:this|last|next)\s+(?:{PERIOD}|{WEEKDAY})(?-u:\b)|(?:on\s+)?{WEEKDAY}(?-u:\b)|{COUNT}\s+(?:days?|weeks?|months?|years?)\s+ago(?-u:\b)|yesterday(?-u:\b)|today(?-u:\b)|tomorrow(?-u:\b)|tonight(?-u:\b)|recently(?-u:\b)|the\s+day\s+before\s+yesterday(?-u:\b))"
    ))
    .expect("relative-date pattern is valid")
});

const MONTH: &str = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?";

/// A full date (day, month and year in any common order, or numeric) or a year in
/// brackets: what anchors a relative date in its sentence.
static ABSOLUTE_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)(?-u:\b)\d{{1,2}}\s+{MONTH}\s+\d{{4}}(?-u:\b)|(?-u:\b){MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}(?-u:\b)|(?-u:\b)\d{{4}}-\d{{2}}-\d{{2}}(?-u:\b)|(?-u:\b)\d{{1,2}}[./]\d{{1,2}}[./]\d{{4}}(?-u:\b)|\(\s*(?:19|20)\d{{2}}\s*\)|(?-u:\b){WEEKDAY},?\s+\d{{1,2}}\s+{MONTH}|(?-u:\b){WEEKDAY},?\s+{MONTH}\s+\d{{1,2}}|(?-u:\b)(?:19|20)\d{{2}}\s*[./-]\s*\d{{1,2}}\s*[./-]\s*\d{{1,2}}",
        WEEKDAY = WEEKDAY
    ))
    .expect("absolute-date pattern is valid")
});

fn check(cx: &Context, out: &mut Reporter) {
    let doc = cx.doc;
    for block in doc.blocks.iter().filter(|b| !b.is_heading()) {
        let prose = doc.prose(block.range.clone());
        for found in RELATIVE_DATE.find_iter(prose) {
            let range = block.range.start + found.start()..block.range.start + found.end();
            if doc.quotation_at(range.start).is_some()
                || recurring(&prose[..found.start()])
                || anchored(cx, range.clone())
            {
                continue;
            }
            let phrase = found
                .as_str()
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
    let sentence = cx.doc.sentence_at(range.start);
    ABSOLUTE_DATE.is_match(cx.doc.prose(sentence))
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_flags, assert_no_findings};

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
