//! Sentence boundaries inside blocks.
//!
//! A sentence ends at `.` `!` `?` followed by a space and a capital, digit, opening quote or
//! anything else that is not a lower-case letter or continuing punctuation (`。` `！` `？`
//! need no space), and never inside a quotation: a multi-sentence quote stays in one
//! sentence with its attribution (`"… economy," the minister said.`). A quotation whose
//! words end in `.` `!` `?` ends its sentence when a new one starts after it. A `.` after
//! an abbreviation (`Mr.`, `U.S.`, `e.g.`) or an initial (`J.`) ends nothing. One pass over
//! each block: linear in the length of the draft.

use std::ops::Range;

use super::document::Document;
use super::quotations::{Quotation, QuotationForm};
use super::text::is_alphabetic;

/// Words that end in `.` without ending a sentence (compared lower-case, inner dots kept),
/// in byte order for a binary search.
const ABBREVIATIONS: &[&str] = &[
    "al", "approx", "apr", "art", "aug", "capt", "cf", "col", "dec", "dept", "dr", "etc", "feb",
    "fig", "gen", "gov", "hon", "jan", "jr", "jul", "jun", "lt", "mr", "mrs", "ms", "no", "nos",
    "nov", "oct", "p", "para", "pp", "prof", "rep", "rev", "sen", "sep", "sept", "sr", "st", "vol",
    "vs",
];

/// The length of the longest of [`ABBREVIATIONS`]: a longer word is none of them.
const LONGEST_ABBREVIATION: usize = 6;

/// Fills the document's `sentences` and every block's share of them. Needs the quotations.
pub(crate) fn split_all(doc: &mut Document) {
    let Document {
        blocks,
        prose,
        quotations,
        sentences,
        ..
    } = doc;
    sentences.clear();
    // Quotations are in document order, so one cursor serves every block.
    let mut first = 0;
    let mut marked: Vec<&Quotation> = Vec::new();
    for block in blocks.iter_mut() {
        while quotations
            .get(first)
            .is_some_and(|q| q.range.start < block.range.start)
        {
            first += 1;
        }
        let count = quotations[first..].partition_point(|q| q.range.start < block.range.end);
        marked.clear();
        marked.extend(
            quotations[first..first + count]
                .iter()
                .filter(|q| q.form == QuotationForm::Marked),
        );
        let from = sentences.len();
        if block.is_heading() {
            sentences.push(block.range.clone());
        } else {
            split(prose, block.range.clone(), &marked, sentences);
        }
        block.sentences = from..sentences.len();
    }
}

/// Appends to `sentences` the sentences of the prose in `range`; `quotations` are the
/// marked quotations in it, in order.
fn split(
    prose: &str,
    range: Range<usize>,
    quotations: &[&Quotation],
    sentences: &mut Vec<Range<usize>>,
) {
    let mut quotations = quotations.iter().peekable();
    // Start of the sentence being read, and whether it has a word yet: numbering such as
    // `1.` or `(a).` ends no sentence.
    let mut start = None;
    let mut has_word = false;
    let mut i = range.start;
    while i < range.end {
        while quotations.next_if(|q| q.range.start < i).is_some() {}
        if let Some(q) = quotations.next_if(|q| q.range.start == i) {
            start.get_or_insert(i);
            has_word = true;
            i = q.range.end;
            if ends_with_terminator(&prose[q.inner.clone()]) {
                if let Some(next) = next_sentence_start(prose, i, range.end, false) {
                    sentences.push(start.take().unwrap_or(i)..i);
                    has_word = false;
                    i = next;
                }
            }
            continue;
        }
        if start.is_some() && has_word {
            // Inside a sentence that has a word, only a terminator or the next quotation
            // can change anything: skip straight to the first of them.
            let limit = quotations
                .peek()
                .map_or(range.end, |q| q.range.start.min(range.end));
            match next_terminator(prose, i, limit) {
                Some(at) => i = at,
                None => {
                    i = limit;
                    continue;
                }
            }
        }
        let c = prose[i..].chars().next().expect("i is a char boundary");
        if c.is_whitespace() {
            i += c.len_utf8();
            continue;
        }
        start.get_or_insert(i);
        has_word |= is_alphabetic(c);
        if !is_terminator(c) {
            i += c.len_utf8();
            continue;
        }
        let run_end = i + prose[i..range.end]
            .find(|c: char| !is_terminator(c))
            .unwrap_or(range.end - i);
        let ends = has_word
            && !is_ellipsis(&prose[i..run_end])
            && !follows_abbreviation(prose, range.start, i, c);
        if ends {
            let full_width = matches!(c, '。' | '！' | '？');
            let closed = skip_closers(prose, run_end, range.end);
            if let Some(next) = next_sentence_start(prose, closed, range.end, full_width) {
                sentences.push(start.take().unwrap_or(i)..closed);
                has_word = false;
                i = next;
                continue;
            }
        }
        i = run_end;
    }
    if let Some(start) = start {
        let end = start + prose[start..range.end].trim_end().len();
        sentences.push(start..end);
    }
}

/// The offset of the first terminator in `prose[from..to]`: `.` `!` `?` by `memchr`, or
/// before that a full-width one, whose UTF-8 starts with 0xE3 (`。`) or 0xEF (`！` `？`).
fn next_terminator(prose: &str, from: usize, to: usize) -> Option<usize> {
    let bytes = &prose.as_bytes()[from..to];
    let ascii = memchr::memchr3(b'.', b'!', b'?', bytes);
    // Only up to the ASCII terminator, so that a block's sentences cost one pass over it.
    let before = &bytes[..ascii.unwrap_or(bytes.len())];
    let full_width = memchr::memchr2_iter(0xE3, 0xEF, before)
        .find(|&i| prose[from + i..].starts_with(is_terminator));
    full_width.or(ascii).map(|i| from + i)
}

fn is_terminator(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | '。' | '！' | '？')
}

fn is_ellipsis(run: &str) -> bool {
    run.starts_with("..")
}

fn ends_with_terminator(inner: &str) -> bool {
    let trimmed = inner.trim_end();
    trimmed.ends_with(is_terminator) && !trimmed.ends_with("..")
}

/// Closing brackets and quote marks that belong to the sentence just ended.
fn skip_closers(prose: &str, from: usize, end: usize) -> usize {
    from + prose[from..end]
        .find(|c: char| !matches!(c, ')' | ']' | '}' | '”' | '’' | '」' | '』' | '）'))
        .unwrap_or(end - from)
}

/// Where the next sentence starts if one starts after `from`: past whitespace, at anything
/// but a lower-case letter or continuing punctuation. Full-width terminators need no
/// space. At the end of the block there is no next sentence, but the current one still
/// ends, so the end is returned.
fn next_sentence_start(prose: &str, from: usize, end: usize, full_width: bool) -> Option<usize> {
    let rest = &prose[from..end];
    let trimmed = rest.trim_start();
    let next = from + (rest.len() - trimmed.len());
    let Some(c) = trimmed.chars().next() else {
        return Some(end);
    };
    if full_width {
        return Some(next);
    }
    let spaced = next > from;
    // Anything but a lower-case letter or punctuation that continues a sentence: capitals,
    // digits, opening quotes and brackets, letters with no case (Hangul), symbols, emoji.
    // A dash attributes what went before (`"…" — Minister Choi`).
    let continues =
        c.is_lowercase() || matches!(c, ',' | ';' | ':' | '.' | ')' | ']' | '}' | '-' | '—' | '–');
    (spaced && !continues).then_some(next)
}

/// Whether the `.` at `dot` closes an abbreviation or an initial rather than a sentence.
fn follows_abbreviation(prose: &str, block_start: usize, dot: usize, terminator: char) -> bool {
    if terminator != '.' {
        return false;
    }
    let word = &prose[word_start(prose, block_start, dot)..dot];
    let mut letters = word.chars();
    let is_initial = letters.next().is_some_and(char::is_uppercase) && letters.next().is_none();
    is_initial || word.bytes().any(|b| b == b'.') || is_abbreviation(word)
}

/// Where the run of letters and dots ending at `end` starts, no earlier than `from`. ASCII
/// is read byte by byte; a letter outside it is decoded.
fn word_start(prose: &str, from: usize, end: usize) -> usize {
    let bytes = prose.as_bytes();
    let mut start = end;
    while start > from && (bytes[start - 1].is_ascii_alphabetic() || bytes[start - 1] == b'.') {
        start -= 1;
    }
    if start == from || bytes[start - 1].is_ascii() {
        return start;
    }
    prose[from..start]
        .char_indices()
        .rev()
        .find(|&(_, c)| !(is_alphabetic(c) || c == '.'))
        .map_or(from, |(i, c)| from + i + c.len_utf8())
}

/// One of [`ABBREVIATIONS`], in any case. Compared in ASCII case: the only letter outside
/// ASCII that lower-cases into it is the Kelvin sign (to `k`), and no abbreviation has a
/// `k`.
fn is_abbreviation(word: &str) -> bool {
    let mut lower = [0; LONGEST_ABBREVIATION];
    let Some(lower) = lower.get_mut(..word.len()) else {
        return false;
    };
    lower.copy_from_slice(word.as_bytes());
    lower.make_ascii_lowercase();
    ABBREVIATIONS
        .binary_search_by(|abbreviation| abbreviation.as_bytes().cmp(lower))
        .is_ok()
}

#[cfg(test)]
mod tests {
    use crate::analysis::{Document, DocumentKind};
    use crate::config::Config;

    fn sentences(text: &str) -> Vec<&str> {
        let doc = Document::parse(text, DocumentKind::PlainText, &Config::default());
        doc.blocks
            .iter()
            .flat_map(|b| doc.sentences_of(b).iter().map(|s| &text[s.clone()]))
            .collect()
    }

    /// `follows_abbreviation` compares words with the list in ASCII case only, which equals
    /// lower-casing them first as long as no abbreviation has a `k` (the Kelvin sign
    /// lower-cases to one) and each is lower-case ASCII.
    #[test]
    fn abbreviations_compare_in_ascii_case() {
        assert!(
            super::ABBREVIATIONS
                .windows(2)
                .all(|pair| pair[0] < pair[1]),
            "sorted for the binary search"
        );
        for abbreviation in super::ABBREVIATIONS {
            assert!(abbreviation.len() <= super::LONGEST_ABBREVIATION);
            assert!(
                abbreviation
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() && b != b'k'),
                "{abbreviation}"
            );
        }
        assert_eq!(
            sentences("See Fig. 3 and DEPT. Heads. \u{212A}m. Then.\n"),
            ["See Fig. 3 and DEPT. Heads.", "\u{212A}m.", "Then."]
        );
    }

    /// The word before a dot is read back byte by byte while it is ASCII, then decoded:
    /// words outside ASCII, or ending in ASCII, are found whole.
    #[test]
    fn words_before_a_dot_outside_ascii() {
        assert_eq!(
            sentences("국비로 부담한다. Then café. Mrs. Ünal. Ö. Kim. É.g. no. 총 3개. Done.\n"),
            [
                "국비로 부담한다.",
                "Then café.",
                "Mrs. Ünal.",
                "Ö. Kim.",
                "É.g. no. 총 3개.",
                "Done."
            ]
        );
    }

    #[test]
    fn splits_on_terminators_before_capitals() {
        assert_eq!(
            sentences("Growth has stalled. Budgets rise! Why? 2025 will tell.\n"),
            [
                "Growth has stalled.",
                "Budgets rise!",
                "Why?",
                "2025 will tell."
            ]
        );
    }

    #[test]
    fn not_before_lower_case_or_inside_numbers() {
        assert_eq!(
            sentences("It rose 3.5 percent. then fell.\n"),
            ["It rose 3.5 percent. then fell."]
        );
    }

    #[test]
    fn abbreviations_and_initials_end_nothing() {
        let text = "Mr. Lee met Dr. Park in the U.S. The meeting (e.g. Art. 5) went well. J. Smith agreed.\n";
        assert_eq!(
            sentences(text),
            [
                "Mr. Lee met Dr. Park in the U.S. The meeting (e.g. Art. 5) went well.",
                "J. Smith agreed."
            ]
        );
    }

    #[test]
    fn quotations_stay_with_their_attribution() {
        let text =
            "He spoke. \"Costs rose. We must act,\" the minister said. \"Never again.\" The end.\n";
        assert_eq!(
            sentences(text),
            [
                "He spoke.",
                "\"Costs rose. We must act,\" the minister said.",
                "\"Never again.\"",
                "The end."
            ]
        );
    }

    #[test]
    fn a_question_in_quotes_runs_into_its_speech_verb() {
        let text = "\"Will bills rise?\" asked a member. The minister replied, \"Yes.\"\n";
        assert_eq!(
            sentences(text),
            [
                "\"Will bills rise?\" asked a member.",
                "The minister replied, \"Yes.\""
            ]
        );
    }

    #[test]
    fn full_width_stops_korean_and_numbering() {
        assert_eq!(
            sentences("목표를 세웠다. 예산은 늘었다。다음 단계.\n1. Scope of the plan.\n"),
            [
                "목표를 세웠다.",
                "예산은 늘었다。",
                "다음 단계.",
                "1. Scope of the plan."
            ]
        );
    }

    #[test]
    fn ellipses_and_closing_brackets() {
        assert_eq!(
            sentences("Wait... Then go. (It ended.) Next one.\n"),
            ["Wait... Then go.", "(It ended.)", "Next one."]
        );
    }

    use super::*;

    /// `split` as first written, a character at a time, to check the skipping against.
    fn split_char_by_char(
        prose: &str,
        range: Range<usize>,
        quotations: &[&Quotation],
    ) -> Vec<Range<usize>> {
        let mut sentences = Vec::new();
        let mut quotations = quotations.iter().peekable();
        // Start of the sentence being read, and whether it has a word yet: numbering such as
        // `1.` or `(a).` ends no sentence.
        let mut start = None;
        let mut has_word = false;
        let mut i = range.start;
        while i < range.end {
            while quotations.next_if(|q| q.range.start < i).is_some() {}
            if let Some(q) = quotations.next_if(|q| q.range.start == i) {
                start.get_or_insert(i);
                has_word = true;
                i = q.range.end;
                if ends_with_terminator(&prose[q.inner.clone()]) {
                    if let Some(next) = next_sentence_start(prose, i, range.end, false) {
                        sentences.push(start.take().unwrap_or(i)..i);
                        has_word = false;
                        i = next;
                    }
                }
                continue;
            }
            let c = prose[i..].chars().next().expect("i is a char boundary");
            if c.is_whitespace() {
                i += c.len_utf8();
                continue;
            }
            start.get_or_insert(i);
            has_word |= c.is_alphabetic();
            if !is_terminator(c) {
                i += c.len_utf8();
                continue;
            }
            let run_end = i + prose[i..range.end]
                .find(|c: char| !is_terminator(c))
                .unwrap_or(range.end - i);
            let ends = has_word
                && !is_ellipsis(&prose[i..run_end])
                && !follows_abbreviation(prose, range.start, i, c);
            if ends {
                let full_width = matches!(c, '。' | '！' | '？');
                let closed = skip_closers(prose, run_end, range.end);
                if let Some(next) = next_sentence_start(prose, closed, range.end, full_width) {
                    sentences.push(start.take().unwrap_or(i)..closed);
                    has_word = false;
                    i = next;
                    continue;
                }
            }
            i = run_end;
        }
        if let Some(start) = start {
            let end = start + prose[start..range.end].trim_end().len();
            sentences.push(start..end);
        }
        sentences
    }

    #[test]
    fn skipping_to_terminators_splits_as_reading_every_character() {
        let pieces = [
            "Growth rose",
            " ",
            ". ",
            "! ",
            "? ",
            "...",
            "。",
            "！",
            "？",
            "Mr.",
            "U.S.",
            "J.",
            "\"Costs rose. We act,\"",
            " the minister said",
            "(a).",
            "1.",
            "한국",
            "é",
            "\n",
            "“Yes.”",
            "'term'",
            ")",
            " — ",
            "next",
            "Then",
            "🙂",
            "3.5",
        ];
        for text in crate::analysis::testing::random_texts(&pieces, 3_000, 14) {
            let doc = Document::parse(&text, DocumentKind::PlainText, &Config::default());
            for block in &doc.blocks {
                if block.is_heading() {
                    continue;
                }
                let marked: Vec<&Quotation> = doc
                    .quotations
                    .iter()
                    .filter(|q| {
                        q.form == QuotationForm::Marked && block.range.contains(&q.range.start)
                    })
                    .collect();
                let mut sentences = Vec::new();
                split(&doc.prose, block.range.clone(), &marked, &mut sentences);
                assert_eq!(
                    sentences,
                    split_char_by_char(&doc.prose, block.range.clone(), &marked),
                    "{text:?}"
                );
            }
        }
    }
}
