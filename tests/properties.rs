//! Property tests for guarantees 1 and 2 (ARCHITECTURE.md, "Guarantees"): the same
//! invariants the fuzzers in `fuzz/` check for hours, here on a few hundred generated cases
//! so that the normal suite holds them in a few seconds.
//!
//! - `analyze` never panics, and every range it hands out (findings, fixes, blocks,
//!   sentences, sections, quotations, figures, definitions) lies inside the text on
//!   character boundaries, also as protocol ranges in UTF-8, UTF-16 and UTF-32 — on
//!   arbitrary strings and on strings built from policy-draft tokens.
//! - `LineIndex` converts offsets to positions and back in every encoding, agreeing with a
//!   naive count, on text with Korean, emoji, CRLF and lone CR.
//! - Edits applied through the server's document store give the text a `String` model does.
//! - `Config::parse` never panics.

mod invariants;

use policy_lsp::analysis::{analyze, DocumentKind, Encoding, LineIndex, Position};
use policy_lsp::config::Config;
use policy_lsp::server::fuzzing::Document;
use proptest::prelude::*;

use invariants::{check_analysis, model_edit, ENCODINGS};

/// Tokens policy drafts are made of, and the characters that break naive text handling.
const TOKENS: &[&str] = &[
    "\"",
    "'",
    "“",
    "”",
    "‘",
    "’",
    "«",
    "»",
    "「",
    "」",
    "『",
    "』",
    "„",
    "# ",
    "## ",
    "\n#",
    "> ",
    "> > ",
    "- ",
    "* ",
    "1. ",
    "|",
    "| --- |",
    "```",
    "    ",
    "`",
    "**",
    "[",
    "](",
    ")",
    "<!--",
    "-->",
    "<!-- policy-lsp: ignore -->",
    "<!-- policy-lsp: ignore-file -->",
    "<!-- policy-lsp: ignore unbalanced-quote -->",
    "1.1",
    "1.2.3 ",
    "Article 12",
    "Section 3",
    "§",
    "IV. ",
    "(a) ",
    "제1조",
    "제2장 ",
    "의",
    "\"X\" means ",
    " means ",
    "hereinafter",
    "(ABC)",
    "ABC",
    "MOEF",
    "Definitions",
    "e.g.",
    "Mr. ",
    "30 trillion",
    "1.2m",
    "5,000억",
    "%",
    " percent",
    "$",
    "€",
    "₩",
    "KRW",
    "won",
    "billion",
    "2025",
    "0.5",
    "1,000",
    "-3",
    "–",
    "—",
    "→",
    "said",
    "according to",
    "experts say",
    "last year",
    "recently",
    "â€™",
    "â€œ",
    "Ã©",
    "\u{fffd}",
    "\r\n",
    "\r",
    "\n",
    "\n\n",
    "\u{2028}",
    "\u{a0}",
    "\u{200b}",
    "\u{feff}",
    "😀",
    "🇰🇷",
    "e\u{301}",
    "한국",
    "정책",
    "。",
    " ",
    "  ",
    ".",
    ",",
    "word",
    "The Ministry",
    "http://example.org/a",
    "a@b.org",
];

/// Line breaks of every kind between Korean, emoji and ASCII: the text model's hard cases.
const PIECES: &[&str] = &[
    "a", "ab ", "한", "국어 ", "😀", "🇰🇷", "é", "\r\n", "\n", "\r", "\r\r\n", "\n\r", "\"",
    "\u{2028}", "\u{feff}",
];

/// Quotations nested, adjacent, unclosed and in block quotes, across paragraphs.
const QUOTES: &[&str] = &[
    "\"", "“", "”", "‘", "’", "'", "「", "」", "a ", "said ", "x", " ", "\n", "\n\n", "> ", "\n> ",
    ". ", "it's ",
];

fn from(list: &'static [&'static str], max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(list), 0..max).prop_map(|parts| parts.concat())
}

fn kind() -> impl Strategy<Value = DocumentKind> {
    prop_oneof![Just(DocumentKind::Markdown), Just(DocumentKind::PlainText)]
}

fn encoding() -> impl Strategy<Value = Encoding> {
    prop::sample::select(ENCODINGS.to_vec())
}

/// A content change: `None` (the whole text) now and then; line numbers small enough to
/// name real lines, sometimes far past the end; columns anywhere, inside characters too.
fn change() -> impl Strategy<Value = (Option<[u32; 4]>, String)> {
    let line = prop_oneof![8 => 0u32..8, 1 => Just(u32::MAX)];
    let column = prop_oneof![8 => 0u32..12, 1 => Just(u32::MAX)];
    let range = prop::option::weighted(0.95, (line.clone(), column.clone(), line, column))
        .prop_map(|r| r.map(|(l1, c1, l2, c2)| [l1, c1, l2, c2]));
    (range, from(PIECES, 4))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn analysis_of_any_string_stays_in_bounds(text in any::<String>(), kind in kind()) {
        let analysis = analyze(&text, kind, &Config::default());
        check_analysis(&text, &analysis);
    }

    #[test]
    fn analysis_of_policy_tokens_stays_in_bounds(text in from(TOKENS, 80), kind in kind()) {
        let analysis = analyze(&text, kind, &Config::default());
        check_analysis(&text, &analysis);
    }

    #[test]
    fn line_index_round_trips_in_every_encoding(text in from(PIECES, 40), enc in encoding()) {
        let lines = LineIndex::new(&text);
        let bytes = text.as_bytes();
        // The naive model: walk the text, counting lines and columns.
        let (mut line, mut column) = (0u32, 0u32);
        for (offset, c) in text.char_indices().chain([(text.len(), '\0')]) {
            let position = lines.position(&text, offset, enc);
            let mid_crlf = offset > 0 && bytes[offset - 1] == b'\r' && bytes.get(offset) == Some(&b'\n');
            if !mid_crlf {
                prop_assert_eq!(position, Position { line, column }, "offset {}", offset);
                prop_assert_eq!(lines.offset(&text, position, enc), offset);
            } else {
                // Between CR and LF: the same line, and back to the CR.
                prop_assert_eq!(lines.offset(&text, position, enc), offset - 1);
            }
            if offset == text.len() {
                break;
            }
            match c {
                '\n' => (line, column) = (line + 1, 0),
                '\r' if bytes.get(offset + 1) != Some(&b'\n') => (line, column) = (line + 1, 0),
                '\r' => {}
                c => {
                    column += match enc {
                        Encoding::Utf8 => c.len_utf8(),
                        Encoding::Utf16 => c.len_utf16(),
                        Encoding::Utf32 => 1,
                    } as u32
                }
            }
        }
        prop_assert_eq!(lines.line_count(), line as usize + 1);
    }

    #[test]
    fn document_store_edits_equal_the_string_model(
        start in from(PIECES, 20),
        changes in prop::collection::vec(change(), 0..40),
        enc in encoding(),
        kind in kind(),
    ) {
        let mut doc = Document::new(&start);
        let mut model = start;
        for (i, (range, new)) in changes.iter().enumerate() {
            doc.edit(*range, new, enc);
            model_edit(&mut model, *range, new, enc);
            prop_assert_eq!(doc.text(), model.clone(), "edit {} {:?} {:?}", i, range, new);
        }
        check_analysis(&model, &analyze(&model, kind, &Config::default()));
    }

    /// `Document::quotation_at` (which follows `enclosing` links, to stay linear on a
    /// paragraph with many quotations) answers what a walk over every quotation would.
    #[test]
    fn quotation_at_finds_the_innermost_quotation(text in from(QUOTES, 60), kind in kind()) {
        let doc = analyze(&text, kind, &Config::default()).document;
        for offset in (0..=text.len()).filter(|&o| text.is_char_boundary(o)) {
            let naive = doc.block_at(offset).and_then(|block| {
                doc.quotations
                    .iter()
                    .rev()
                    .filter(|q| q.range.start <= offset && q.block == block)
                    .find(|q| q.range.contains(&offset))
            });
            prop_assert_eq!(doc.quotation_at(offset), naive, "offset {}", offset);
        }
    }

    #[test]
    fn config_parse_never_panics(source in "(\\[[a-z.]{0,12}\\]\n|[a-z-]{1,12} = (\"[^\"]{0,8}\"|[0-9]{1,3}|\\[\\]|\\{\\})\n|.{0,10}\n){0,8}") {
        let _ = Config::parse(&source, "policy-lsp.toml");
    }
}

/// Every input a fuzzer ever crashed on, replayed as the fuzz target reads it:
/// `tests/fixtures/fuzz/analyze/` (first byte even: Markdown, odd: plain text; the rest the
/// draft) and `tests/fixtures/fuzz/config/` (a configuration file). Add a crash by copying
/// it from `fuzz/artifacts/TARGET/` under a name that says what it was.
#[test]
fn fuzz_crashes_stay_fixed() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fuzz");
    let read = |sub: &str| -> Vec<(String, Vec<u8>)> {
        let mut files: Vec<_> = std::fs::read_dir(dir.join(sub))
            .map(|entries| entries.map(|e| e.unwrap().path()).collect())
            .unwrap_or_default();
        files.sort();
        files
            .into_iter()
            .map(|p| (p.display().to_string(), std::fs::read(&p).unwrap()))
            .collect()
    };
    let analyze_cases = read("analyze");
    assert!(!analyze_cases.is_empty());
    for (name, bytes) in analyze_cases {
        let Some((&first, rest)) = bytes.split_first() else {
            continue;
        };
        let kind = if first & 1 == 0 {
            DocumentKind::Markdown
        } else {
            DocumentKind::PlainText
        };
        let text = String::from_utf8_lossy(rest);
        eprintln!("{name}");
        for kind in [kind, DocumentKind::Markdown, DocumentKind::PlainText] {
            check_analysis(&text, &analyze(&text, kind, &Config::default()));
        }
    }
    for (name, bytes) in read("config") {
        eprintln!("{name}");
        let _ = Config::parse(&String::from_utf8_lossy(&bytes), "policy-lsp.toml");
    }
}

/// The first crash `fuzz/analyze` found: a no-break space (two bytes in UTF-8) among the
/// words before an acronym's parentheses was stepped over as if it were one byte
/// (`terms::words_before`), slicing the text inside the character.
#[test]
fn a_wide_space_before_an_acronym_expansion() {
    for text in [
        "p\u{a0}uour Safety Board (HSB) met.",
        "The Harbour\u{3000}Safety Board (HSB) met.",
        "The\u{2003}Harbour Safety Board (HSB) met.",
    ] {
        for kind in [DocumentKind::Markdown, DocumentKind::PlainText] {
            check_analysis(text, &analyze(text, kind, &Config::default()));
        }
    }
}
