//! # figure-without-unit
//!
//! ## What it does
//! Flags a figure — a number with any scale word, such as `30 trillion`, `6.5`, `1.2m` or
//! `5,000억` — that says neither what it is measured in nor what it counts. A figure has a
//! unit when a currency stands before or after it (`$685 billion`, `890 trillion KRW`,
//! `3,200억 원`), when it is a percentage (`%`, `per cent`, `percentage points`, `bp`),
//! when a unit of measure or time follows it (`km²`, `tonnes`, `days`, `3 times`,
//! `10-year`), or when it counts something (`12 national strategic industries`; in a range,
//! `1,800 to 1,900 domestic clusters`, both ends count clusters). In a table, a numeric
//! cell takes its unit from its column header (`Budget (KRW bn)`, `Share (%)`).
//!
//! Numbers that are not figures are never flagged: years (`by 2030`, `2023–2025`), dates
//! and times (`23 April`, `10:00`), ordinals (`5th`), names and identifiers (`Article 12`,
//! `COVID-19`, `G20`, `version 2.3`, phone numbers), list and heading numbering, footnote
//! markers and ranks (`top 10`).
//!
//! ## Why it matters
//! A bare number leaves the reader to guess: `30 trillion` won, dollars or tonnes?
//! `rose 6.5` per cent, percentage points or units? Guesses differ between readers, and a
//! figure quoted out of the draft loses whatever the surrounding text implied.
//!
//! ## Example
//! ```text
//! The fund will grow to 30 trillion by 2030. Exports rose 6.5 last quarter.
//! The ministry will hire 300.
//! ```
//!
//! ## Use instead
//! ```text
//! The fund will grow to 30 trillion won by 2030. Exports rose 6.5% last quarter.
//! The ministry will hire 300 researchers.
//! ```
//!
//! ## Options
//! Currencies and units beyond the built-in ones (ISO 4217 codes, common currency names and
//! symbols, SI and everyday units) go in the `[vocabulary]` section of `policy-lsp.toml`;
//! a figure followed or preceded by a listed currency, or followed by a listed unit, has
//! a unit:
//!
//! ```toml
//! [vocabulary]
//! currencies = ["XDR", "guilders", "Rs."]
//! units = ["TEU", "hectares"]
//! ```
//!
//! Severity as for every rule: `[rules] figure-without-unit = "hint"`, or `"off"`.

use super::{Context, Reporter, Rule, Scope};
use crate::analysis::{BlockKind, Severity};

pub static RULE: Rule = Rule {
    name: "figure-without-unit",
    default_severity: Severity::Warning,
    scope: Scope::Block,
    source: include_str!("figure_without_unit.rs"),
    check,
};

fn check(cx: &Context, out: &mut Reporter) {
    let doc = cx.doc;
    for figure in doc.figures.iter().filter(|f| f.unit.is_none()) {
        let number = doc.source(figure.range.clone());
        let message = match &doc.blocks[figure.block].kind {
            BlockKind::TableCell {
                header: Some(header),
                ..
            } => format!(
                "`{number}` has no unit and its column header `{}` names none: add the unit to the header, as in `Budget (KRW bn)`",
                doc.source(header.clone()),
            ),
            _ => format!(
                "`{number}` has no unit: add the currency, `%`, unit of measure or the noun it counts"
            ),
        };
        out.report(figure.range.clone(), message, None);
    }
}

#[cfg(test)]
mod tests {
    use crate::analysis::{analyze, DocumentKind};
    use crate::config::Config;
    use crate::rules::testing::{assert_flags, assert_no_findings};

    const RULE: &str = "figure-without-unit";

    #[track_caller]
    fn flags(text: &str, expected: &[&str]) {
        assert_flags(RULE, text, expected);
    }

    #[track_caller]
    fn clean(text: &str) {
        assert_no_findings(RULE, text);
    }

    #[test]
    fn flags_the_examples_of_the_rules() {
        flags(
            "The fund will grow to 30 trillion by 2030.",
            &["30 trillion"],
        );
        flags("Exports rose 6.5 last quarter.", &["6.5"]);
        flags("The plan would increase R&D spending by 15", &["15"]);
        flags("The council approved a budget of 1,200.", &["1,200"]);
        flags("The ministry will hire 300.", &["300"]);
        flags("A surcharge of 50 for each extra copy applies.", &["50"]);
    }

    #[test]
    fn flags_bare_figures_in_longer_text() {
        flags(
            "Grants rose to 4.5bn, and loans of 12 through the state bank were approved.",
            &["4.5bn", "12"],
        );
        flags(
            "The deficit reached 2.1 million after the reform.",
            &["2.1 million"],
        );
        flags("Average pay was 9,100 after tax.", &["9,100"]);
        flags("Prices climbed from 1,800 to 1,900.", &["1,800", "1,900"]);
    }

    #[test]
    fn units_of_every_kind() {
        clean("Exports reached $685 billion (approximately 890 trillion KRW).");
        clean("The fund holds 30 trillion won, €2.5m and US$ 40 billion, or £3bn and ¥900.");
        clean("The deal is worth KRW 3.4 trillion and 12 million dollars.");
        clean("Turnout rose 6.5% and 3 per cent, up 1.3 percentage points, rates fell 25 bp.");
        clean("The line runs 345 kV over 7.28 km² and 12 km, carrying 760,000 tonnes a day.");
        clean("It lasted 90 days, 3 years and 8 hours; output grew 2.5 times and 3-fold.");
        clean("Plants emit 400 ppm at 35 °C, or 12 MW and 4 GWh over 10-year contracts.");
        clean("A heat pump scheme covers 1.2m heat pumps and 45k people.");
    }

    #[test]
    fn counted_nouns_and_ranges() {
        clean("The plan covers 12 national strategic industries and 300 researchers.");
        clean("There are about 1,800 to 1,900 domestic clusters and 10–15 hubs.");
        clean("We will need 54,000 more engineers and 4 full-time programme managers.");
        clean("Nine of the 14 recommendations were met; 3 of them in full.");
        clean("Ranges of $5 to 10 million and ₩1.2–1.5 trillion are common.");
        clean("Roughly 300 US firms and 41 PPA contracts took part, with 50+ countries.");
    }

    #[test]
    fn numbers_that_are_not_figures() {
        clean("In 2023 and by 2030, over 2023–2025 and between 2015 and 2023, in FY2024.");
        clean("On April 23, on 23 April, on the 1st, at 10:00 and on 30 May 2024 they met.");
        clean("They meet on April 23 and 24, and on May 3–5, from 9:00 to 17:00.");
        clean("The 5th and 4th meetings were held at 9 am and 3 p.m. in the 1990s.");
        clean("COVID-19, the G20, Industry 4.0 and Seoul Startup Hub M+ were discussed.");
        clean("Under Article 12, Section 3.2, No. 5, Law 2013-45 and Notice No. 2024-318.");
        clean("See version 2.3, p. 12 and Articles 6 and 9, or call 044-200-1234.");
        clean("The firm is in the top 10 and ranked among the top 5 investors.");
        clean("Under 제1조 and 제12조 the campus is run.");
        clean("Call +82-44-203-4400 or (02) 2100-3000 between 1 and 5 March.");
    }

    #[test]
    fn legal_citations_and_lists_of_references() {
        clean("Works of the government (17 USC § 105) and 44 U.S.C. 3506 (b)(2) apply.");
        clean("See 44 U.S.C. Chapters 21, 22, 29, 31, and 33, and § 3504(d)(1) and 3516.");
        clean("Under subsection 6b and Section 503(a), Pub. L. No. 107-347 applies.");
        clean("The purpose is to: 1) set the terms; and 2) set the fees. See 2)a and 2)b.");
        clean("Details are in 12_1.html and report.pdf, on Windows 11 and ISO 9001 systems.");
        clean("Staff will move to the new campus (Building 3) next year.");
        clean("## 1A. Payment Processing\n\n### 4.1A. Disclaimer\n");
    }

    #[test]
    fn ages_ratios_and_participles() {
        clean("Applicants aged 18 to 34, or under the age of 13 with consent, may apply.");
        clean("Worldwide, 1 in 4 victims is a child and 9 of 14 regions agreed.");
        flags(
            "A further 1.2bn earmarked for 2027 and 40 remaining.",
            &["1.2bn", "40"],
        );
        flags("Inflation averaged 2.9 in 2024.", &["2.9"]);
    }

    #[test]
    fn numbering_and_footnotes() {
        clean("1. Background\n\nThe review began.\n\n2) Scope\n\n(3) Item three.\n");
        clean("# 1.1 Why a New Approach\n\nSome text.[^1]\n\n[^1]: A note.\n");
        clean("The fund grew fast.3 Later it shrank [12].");
    }

    #[test]
    fn tables_take_units_from_headers() {
        let table = "# Budget\n\n| Programme | 2024 (KRW bn) | Change (%) | Year | Total | Residents | Exports |\n|---|---|---|---|---|---|---|\n| Basic | 2,630 | -1.0 | 2025 | 12 | 310,000 | 45 |\n";
        flags(table, &["12", "45"]);
    }

    #[test]
    fn korean_figures() {
        flags("민간 투자 5,000억 유치를 목표로 한다.", &["5,000억"]);
        clean("총 3,200억 원을 2027년까지 투입한다. 300명이 참여하고 1조 2,000억 원이 든다.");
    }

    #[test]
    fn crlf_and_emoji_keep_ranges_right() {
        flags(
            "Budget Note\r\n\r\n🙂 The fund will grow to 30 trillion 🎉 by 2030.\r\n",
            &["30 trillion"],
        );
        flags("한국 🙂 grew by 15.\r\nNext line.\r\n", &["15"]);
    }

    #[test]
    fn headings_and_quotes_follow_the_same_rules() {
        flags("# Fund to Grow to 30 Trillion by 2030\n", &["30 Trillion"]);
        clean("He said, \"We will hire 300 researchers by 2030.\"");
    }

    #[test]
    fn configured_units_and_currencies() {
        let text = "The pipe is 5 in wide and costs Rs. 500.";
        let with = |currencies: &[&str], units: &[&str]| {
            let config = Config {
                currencies: currencies.iter().map(|&s| s.to_owned()).collect(),
                units: units.iter().map(|&s| s.to_owned()).collect(),
                ..Config::default()
            };
            analyze(text, DocumentKind::PlainText, &config)
                .diagnostics
                .iter()
                .filter(|d| d.rule == RULE)
                .map(|d| text[d.range.clone()].to_owned())
                .collect::<Vec<_>>()
        };
        assert_eq!(with(&[], &[]), ["5", "500"]);
        assert_eq!(with(&["Rs."], &["in"]), Vec::<String>::new());
    }

    #[test]
    fn message_says_what_to_do() {
        let text = "# Agencies\n\n| Agency | Allocation |\n|---|---|\n| Research Board | 1,150 |\n\nThe ministry will hire 300.\n";
        let found = analyze(text, DocumentKind::Markdown, &Config::default()).diagnostics;
        let messages: Vec<_> = found
            .iter()
            .filter(|d| d.rule == RULE)
            .map(|d| d.message.as_str())
            .collect();
        assert_eq!(messages.len(), 2, "{messages:?}");
        assert!(messages[0].contains("`Allocation`"), "{}", messages[0]);
        assert!(messages[1].contains("noun it counts"), "{}", messages[1]);
    }
}
