//! # encoding-artifact
//!
//! ## What it does
//! Finds characters damaged when the draft passed through the wrong character encoding:
//! - a `?` standing between two letters with no space (`harbours?busy`), where a
//!   character the target encoding lacked (a dash, a curly apostrophe) was replaced.
//!   Letters of any script count (`항만?물류`); a `?` next to a digit is left alone, since
//!   `at 10?11` may be a question missing its space;
//! - the replacement character `�` (U+FFFD), left where bytes could not be decoded;
//! - mojibake: UTF-8 text read as Windows-1252 or Latin-1, so that one character became
//!   several (`â€™` for `’`, `Ã©` for `é`). Any such sequence is found, not only a list of
//!   common ones, including text damaged twice.
//!
//! Code, URLs (a `?` in a query string is fine), link targets and comments are not checked.
//!
//! ## Why it matters
//! Damaged characters look careless in a published document and can change the meaning of
//! a sentence (a lost dash joins two clauses). They also hide the original wording from
//! search and from the other rules.
//!
//! ## Example
//! ```text
//! Harbours?busy places where ships meet?are the portâ€™s priority.
//! The caf� will close.
//! ```
//!
//! ## Use instead
//! ```text
//! Harbours—busy places where ships meet—are the port’s priority.
//! The café will close.
//! ```
//! The quick fix restores the likely original: an em dash for a lone `?` (an apostrophe
//! before `s`, `t`, `d`, `m`, `ll`, `re`, `ve`, as in `port?s`), and the decoded
//! character for mojibake. A `�` has no mechanical fix: the original character is lost and
//! must be retyped.
//!
//! ## Options
//! None besides the rule's level (`[rules] encoding-artifact = "off"`, …).

use std::ops::Range;

use super::{Context, Reporter, Rule, Scope};
use crate::analysis::{Fix, Severity};

pub static RULE: Rule = Rule {
    name: "encoding-artifact",
    default_severity: Severity::Warning,
    scope: Scope::Block,
    source: include_str!("encoding_artifact.rs"),
    check,
};

const REPLACEMENT_CHARACTER: char = '\u{FFFD}';

/// One damaged stretch of the draft.
#[derive(Debug, PartialEq, Eq)]
enum Damage {
    /// `?` run between letters; the character most likely meant.
    LostCharacter { likely: &'static str },
    /// A run of U+FFFD.
    Undecodable,
    /// Mojibake, with the text it decodes to.
    Mojibake { original: String },
}

fn check(cx: &Context, out: &mut Reporter) {
    let prose = cx.doc.prose(0..cx.doc.prose.len());
    for (range, damage) in find_damage(prose) {
        let found = &prose[range.clone()];
        match damage {
            Damage::LostCharacter { likely } => out.report(
                range.clone(),
                format!(
                    "`{found}` between two letters is likely a character lost in conversion; \
                     restore it (probably `{likely}`)"
                ),
                Some(Fix::replace(
                    format!("Replace `{found}` with `{likely}`"),
                    range,
                    likely,
                )),
            ),
            Damage::Undecodable => out.report(
                range,
                "`\u{FFFD}` (U+FFFD) marks a character lost in conversion; it cannot be restored \
                 mechanically, so retype the original",
                None,
            ),
            Damage::Mojibake { original } if original.is_empty() => out.report(
                range.clone(),
                format!("`{found}` is a byte-order mark read as Windows-1252; remove it"),
                Some(Fix::replace(format!("Remove `{found}`"), range, "")),
            ),
            Damage::Mojibake { original } => {
                let shown = visible(&original);
                out.report(
                    range.clone(),
                    format!(
                        "`{found}` is mojibake (UTF-8 read as Windows-1252); replace it with {shown}"
                    ),
                    Some(Fix::replace(
                        format!("Replace `{found}` with {shown}"),
                        range,
                        original,
                    )),
                );
            }
        }
    }
}

/// Every damaged stretch of `prose`, in order. One pass over the bytes: only `?`, U+FFFD
/// (whose UTF-8 starts with 0xEF) and the characters that can start mojibake (U+00C2 to
/// U+00F4, whose UTF-8 starts with 0xC3) are looked at, so clean ASCII costs one `memchr`.
fn find_damage(prose: &str) -> Vec<(Range<usize>, Damage)> {
    let mut found = Vec::new();
    let mut resume = 0;
    for at in memchr::memchr3_iter(b'?', 0xC3, 0xEF, prose.as_bytes()) {
        if at < resume {
            continue;
        }
        let hit = match prose.as_bytes()[at] {
            b'?' => lost_character(prose, at),
            0xC3 => mojibake(prose, at),
            _ => undecodable(prose, at),
        };
        if let Some((range, damage)) = hit {
            resume = range.end;
            found.push((range, damage));
        }
    }
    found
}

/// A run of `?` starting at `at`, between two letters of any script, outside anything that
/// looks like a URL or path.
fn lost_character(prose: &str, at: usize) -> Option<(Range<usize>, Damage)> {
    let end = at + prose[at..].bytes().take_while(|&b| b == b'?').count();
    let before = prose[..at].chars().next_back()?;
    let after = prose[end..].chars().next()?;
    if !before.is_alphabetic() || !after.is_alphabetic() || in_url_like_token(prose, at, end) {
        return None;
    }
    let likely = if end - at == 1 && is_contraction_ending(&prose[end..]) {
        "’"
    } else {
        "—"
    };
    Some((at..end, Damage::LostCharacter { likely }))
}

/// How far around a `?` to look for signs of a URL. Bounded so a long run of text without
/// spaces cannot make the scan quadratic; real query strings sit well within it.
const TOKEN_WINDOW: usize = 256;

/// Whether the space-free token around `?` (at `at..end`) reads as a URL or path: a `/`
/// before the `?` or a `key=value` after it (`example.org/page?lang=en`). URLs with a
/// scheme or `www.` are already blanked in the prose; this catches the bare ones.
fn in_url_like_token(prose: &str, at: usize, end: usize) -> bool {
    let bytes = prose.as_bytes();
    let is_space = |b: &u8| b.is_ascii_whitespace();
    let window_start = at.saturating_sub(TOKEN_WINDOW);
    let window_end = (end + TOKEN_WINDOW).min(bytes.len());
    let head = &bytes[window_start..at];
    let head = &head[head.iter().rposition(is_space).map_or(0, |i| i + 1)..];
    let tail = &bytes[end..window_end];
    let tail = &tail[..tail.iter().position(is_space).unwrap_or(tail.len())];
    head.contains(&b'/') || tail.contains(&b'=')
}

/// Whether the word after a lost character is an English contraction or possessive ending
/// (`port?s`, `don?t`), so the lost character was an apostrophe.
fn is_contraction_ending(rest: &str) -> bool {
    // Three letters are enough to tell: no ending is longer than two.
    let word: String = rest
        .chars()
        .take_while(|c| c.is_alphabetic())
        .take(3)
        .collect();
    matches!(
        word.to_ascii_lowercase().as_str(),
        "s" | "t" | "d" | "m" | "ll" | "re" | "ve"
    )
}

/// A run of U+FFFD starting at `at` (which holds a character whose UTF-8 starts with 0xEF).
fn undecodable(prose: &str, at: usize) -> Option<(Range<usize>, Damage)> {
    let run = prose[at..]
        .chars()
        .take_while(|&c| c == REPLACEMENT_CHARACTER)
        .count();
    (run > 0).then(|| {
        let end = at + run * REPLACEMENT_CHARACTER.len_utf8();
        (at..end, Damage::Undecodable)
    })
}

/// Mojibake starting at `at`: the longest run of characters that, turned back into the
/// Windows-1252 bytes they were decoded from, is valid multi-byte UTF-8. Text damaged
/// twice (`Ã¢â‚¬â„¢`) is decoded until it no longer changes.
fn mojibake(prose: &str, at: usize) -> Option<(Range<usize>, Damage)> {
    let (len, mut original) = decode_run(&prose[at..])?;
    // A few rounds cover every real case and keep a pathological input bounded.
    for _ in 0..3 {
        match decode_run(&original) {
            Some((whole, again)) if whole == original.len() => original = again,
            _ => break,
        }
    }
    // A stray byte-order mark (`ï»¿`) carries no text: the fix removes it.
    if original == "\u{FEFF}" {
        original.clear();
    }
    Some((at..at + len, Damage::Mojibake { original }))
}

/// The byte length of the run of mojibake at the start of `text`, and what it decodes to.
fn decode_run(text: &str) -> Option<(usize, String)> {
    let mut len = 0;
    let mut decoded = String::new();
    while let Some((sequence_len, c)) = decode_sequence(&text[len..]) {
        len += sequence_len;
        decoded.push(c);
    }
    (len > 0).then_some((len, decoded))
}

/// One character's worth of mojibake at the start of `text`: its byte length there and
/// the character it stands for.
fn decode_sequence(text: &str) -> Option<(usize, char)> {
    let mut chars = text.chars();
    let first = chars.next()?;
    let lead = windows_1252_byte(first)?;
    let width = match lead {
        0xC2..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xF4 => 4,
        _ => return None,
    };
    let mut bytes = [lead, 0, 0, 0];
    let mut len = first.len_utf8();
    for slot in &mut bytes[1..width] {
        let c = chars.next()?;
        *slot = windows_1252_byte(c).filter(|b| (0x80..=0xBF).contains(b))?;
        len += c.len_utf8();
    }
    // `from_utf8` rejects overlong forms and surrogates.
    let c = std::str::from_utf8(&bytes[..width]).ok()?.chars().next()?;
    is_plausible_original(c).then_some((len, c))
}

/// Whether `c` could be what a damaged sequence stood for. A control character is more
/// likely real Latin-1 text than damage. U+0700 to U+07FF (Syriac, Thaana, NKo) is what
/// `ß`, `Ü`, `Ý`, `Þ` followed by punctuation decode to (`Fuß“` in German), and real text
/// in those scripts is far rarer in drafts than German.
fn is_plausible_original(c: char) -> bool {
    !c.is_control() && !('\u{0700}'..='\u{07FF}').contains(&c)
}

/// What Windows-1252 decodes bytes 0x80 to 0x9F to; `None` for the five bytes it leaves
/// undefined. Every other byte decodes to the character with the same number (Latin-1).
#[rustfmt::skip]
const WINDOWS_1252_HIGH: [Option<char>; 32] = [
    // 0x80 to 0x87
    Some('€'), None, Some('‚'), Some('ƒ'), Some('„'), Some('…'), Some('†'), Some('‡'),
    // 0x88 to 0x8F
    Some('ˆ'), Some('‰'), Some('Š'), Some('‹'), Some('Œ'), None, Some('Ž'), None,
    // 0x90 to 0x97
    None, Some('‘'), Some('’'), Some('“'), Some('”'), Some('•'), Some('–'), Some('—'),
    // 0x98 to 0x9F
    Some('˜'), Some('™'), Some('š'), Some('›'), Some('œ'), None, Some('ž'), Some('Ÿ'),
];

/// The byte `c` was decoded from, by Windows-1252 or Latin-1 (which also covers the
/// C1 controls some decoders leave for Windows-1252's undefined bytes).
fn windows_1252_byte(c: char) -> Option<u8> {
    match u8::try_from(c) {
        Ok(byte) => Some(byte),
        Err(_) => WINDOWS_1252_HIGH
            .iter()
            .position(|&high| high == Some(c))
            .and_then(|i| u8::try_from(0x80 + i).ok()),
    }
}

/// `text` in backticks for a message, or its code points when it would be invisible
/// (a no-break space, a soft hyphen).
fn visible(text: &str) -> String {
    let invisible = |c: char| {
        c.is_whitespace()
            || matches!(
                c,
                '\u{AD}' | '\u{200B}'..='\u{200F}' | '\u{2060}' | '\u{FEFF}'
            )
    };
    if text.chars().any(invisible) {
        let points: Vec<String> = text
            .chars()
            .map(|c| format!("U+{:04X}", c as u32))
            .collect();
        points.join(" ")
    } else {
        format!("`{text}`")
    }
}

#[cfg(test)]
mod tests {
    use crate::analysis::{analyze, DocumentKind};
    use crate::config::Config;

    /// What the rule reports in `text`: the offending source text and the fix's replacement.
    fn findings(text: &str, kind: DocumentKind) -> Vec<(String, Option<String>)> {
        analyze(text, kind, &Config::default())
            .diagnostics
            .into_iter()
            .filter(|d| d.rule == "encoding-artifact")
            .map(|d| {
                let replacement = d.fix.map(|fix| fix.edits[0].replacement.clone());
                (text[d.range].to_owned(), replacement)
            })
            .collect()
    }

    fn plain(text: &str) -> Vec<(String, Option<String>)> {
        findings(text, DocumentKind::PlainText)
    }

    fn markdown(text: &str) -> Vec<(String, Option<String>)> {
        findings(text, DocumentKind::Markdown)
    }

    fn found(text: &str, fix: Option<&str>) -> (String, Option<String>) {
        (text.to_owned(), fix.map(str::to_owned))
    }

    /// Applies every fix to `text` and compares with `expected`.
    fn assert_fixed(text: &str, expected: &str) {
        let mut edits: Vec<_> = analyze(text, DocumentKind::PlainText, &Config::default())
            .diagnostics
            .into_iter()
            .filter(|d| d.rule == "encoding-artifact")
            .flat_map(|d| d.fix.expect("every finding here has a fix").edits)
            .collect();
        edits.sort_by_key(|e| std::cmp::Reverse(e.range.start));
        let mut fixed = text.to_owned();
        for edit in edits {
            fixed.replace_range(edit.range, &edit.replacement);
        }
        assert_eq!(fixed, expected);
    }

    fn assert_no_findings(text: &str) {
        assert_eq!(plain(text), [], "plain text: {text:?}");
        assert_eq!(markdown(text), [], "Markdown: {text:?}");
    }

    #[test]
    fn question_mark_between_letters_is_a_lost_dash() {
        assert_eq!(
            plain("Harbours?busy places where ships meet?are growing.\n"),
            [found("?", Some("—")), found("?", Some("—"))]
        );
        assert_fixed(
            "Harbours?busy places where ships meet?are growing.",
            "Harbours—busy places where ships meet—are growing.",
        );
    }

    #[test]
    fn letters_of_any_script_count() {
        assert_eq!(plain("항만?물류 거점"), [found("?", Some("—"))]);
        assert_eq!(plain("Städte?Zentren"), [found("?", Some("—"))]);
    }

    #[test]
    fn a_run_of_question_marks_is_one_lost_character() {
        assert_eq!(plain("ports???docks"), [found("???", Some("—"))]);
    }

    #[test]
    fn contraction_endings_point_to_an_apostrophe() {
        assert_fixed(
            "The port?s plan won?t wait; we?ll see, they?re sure.",
            "The port’s plan won’t wait; we’ll see, they’re sure.",
        );
        // A longer word after the `?` is not a contraction.
        assert_eq!(plain("ports?shipping"), [found("?", Some("—"))]);
    }

    #[test]
    fn real_question_marks_are_not_flagged() {
        assert_no_findings("Why? Because the fleet is old.\n");
        assert_no_findings("Will the port grow?\nNobody knows.\n");
        assert_no_findings("Will the port grow?\r\nNobody knows.\r\n");
        assert_no_findings("Is it \"ready?\" he asked. What?!No.\n");
        assert_no_findings("Can we meet at 10?11 is too late.\n");
        assert_no_findings("Is it ready?");
    }

    #[test]
    fn question_marks_in_urls_and_code_are_not_flagged() {
        assert_no_findings("See https://example.org/ports?lang=en for details.\n");
        assert_no_findings("See example.org/ports?lang=en for details.\n");
        assert_no_findings("See ports.example.org/list?region for details.\n");
        assert_eq!(markdown("Run `port?query` now.\n"), []);
        assert_eq!(markdown("See [the list](list?region=north).\n"), []);
        assert_eq!(markdown("```\nships?docks\n```\n"), []);
    }

    #[test]
    fn replacement_characters_are_flagged_without_a_fix() {
        assert_eq!(plain("The caf\u{FFFD} closed."), [found("\u{FFFD}", None)]);
        assert_eq!(
            plain("Two \u{FFFD}\u{FFFD} bytes."),
            [found("\u{FFFD}\u{FFFD}", None)]
        );
    }

    #[test]
    fn mojibake_is_decoded() {
        assert_eq!(
            plain("The portâ€™s plan for Ã©tudes."),
            [found("â€™", Some("’")), found("Ã©", Some("é"))]
        );
        assert_fixed(
            "â€œPortsâ€\u{9D} and naÃ¯ve cafÃ© owners paid 5Â\u{A0}â‚¬.",
            "“Ports” and naïve café owners paid 5\u{A0}€.",
        );
    }

    #[test]
    fn adjacent_mojibake_is_one_finding() {
        assert_eq!(plain("Ã©Ã¨ are vowels."), [found("Ã©Ã¨", Some("éè"))]);
        // Korean read as Windows-1252: three characters per syllable.
        assert_eq!(
            plain("í•\u{AD}ë§Œ is a port."),
            [found("í•\u{AD}ë§Œ", Some("항만"))]
        );
    }

    #[test]
    fn mojibake_of_emoji_and_double_damage_is_decoded() {
        assert_eq!(plain("Great ðŸš¢ news"), [found("ðŸš¢", Some("🚢"))]);
        assert_eq!(
            plain("the portÃ¢â‚¬â„¢s plan"),
            [found("Ã¢â‚¬â„¢", Some("’"))]
        );
    }

    #[test]
    fn byte_order_mark_mojibake_is_removed() {
        assert_fixed("ï»¿Port plan\n", "Port plan\n");
    }

    #[test]
    fn correct_text_is_not_flagged() {
        assert_no_findings("Café, naïve, résumé, São Paulo, Zürich, Ærø, ÉCOLE.\n");
        assert_no_findings("The government’s “plan” — and the ‘port’ – is 5 € … ™.\n");
        assert_no_findings("항만 물류 거점과 클러스터. 港湾. Порт. 🚢🚀\n");
        assert_no_findings("CAFÉ «Port» and Ä, Ö, Ü.\r\nNext line.\r\n");
        assert_no_findings("Fullwidth？ marks and ﬁ ligatures.\n");
        assert_no_findings("Er sagte „Fuß“ und „Maß’ oder „MÜ…“\n");
    }

    #[test]
    fn ranges_are_exact_after_crlf_and_multibyte_text() {
        let text = "Über die Häfen.\r\nThe cafÃ© and ports?docks.\r\n";
        let found: Vec<String> = plain(text).into_iter().map(|(text, _)| text).collect();
        assert_eq!(found, ["Ã©", "?"]);
    }

    #[test]
    fn messages_say_what_to_do() {
        let text = "ports?docks, caf\u{FFFD}, 5Â\u{A0}km\n";
        let messages: Vec<String> = analyze(text, DocumentKind::PlainText, &Config::default())
            .diagnostics
            .into_iter()
            .filter(|d| d.rule == "encoding-artifact")
            .map(|d| d.message.to_string())
            .collect();
        assert_eq!(
            messages,
            [
                "`?` between two letters is likely a character lost in conversion; restore it \
                 (probably `—`)",
                "`\u{FFFD}` (U+FFFD) marks a character lost in conversion; it cannot be restored \
                 mechanically, so retype the original",
                "`Â\u{A0}` is mojibake (UTF-8 read as Windows-1252); replace it with U+00A0",
            ]
        );
    }

    #[test]
    fn markdown_inline_code_is_not_flagged() {
        assert_eq!(markdown("Type `cafÃ©` or `\u{FFFD}` here.\n"), []);
        assert_eq!(markdown("But cafÃ© here.\n"), [found("Ã©", Some("é"))]);
    }
}
