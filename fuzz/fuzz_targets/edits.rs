//! Guarantee 2: after any sequence of incremental edits, applied through the server's own
//! document store (a rope, positions clamped in the negotiated encoding), the server's text
//! equals a plain `String` edited the same way; and every finding of an analysis of the
//! result is a valid protocol range in that encoding. Edits are structure-aware
//! (`arbitrary`): positions near real line ends, inside CRLF and surrogate pairs, past the
//! end; inserted text from pieces with Korean, emoji, CR, LF and CRLF.

#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use policy_lsp::analysis::{analyze, DocumentKind, Encoding};
use policy_lsp::config::Config;
use policy_lsp::server::fuzzing::Document;

#[path = "../../tests/invariants/mod.rs"]
mod invariants;

const PIECES: &[&str] = &[
    "",
    "a",
    " ",
    "한",
    "😀",
    "🇰🇷",
    "\r\n",
    "\n",
    "\r",
    "\"",
    "“",
    "”",
    "# ",
    "1.1 ",
    "> ",
    "- ",
    "|",
    "제1조 ",
    "30 trillion",
    "(ABC)",
    "é",
    "\u{feff}",
    "\u{2028}",
    "x\r\ny",
    "😀\r\n😀",
    "\r\r\n\n",
];

#[derive(Arbitrary, Debug)]
enum Text {
    Piece(u8),
    Pieces(Vec<u8>),
    Raw(String),
}

impl Text {
    fn build(&self) -> String {
        let piece = |i: &u8| PIECES[*i as usize % PIECES.len()];
        match self {
            Text::Piece(i) => piece(i).to_owned(),
            Text::Pieces(list) => list.iter().map(piece).collect(),
            Text::Raw(s) => s.clone(),
        }
    }
}

#[derive(Arbitrary, Debug)]
struct Edit {
    /// `None` replaces the whole text.
    range: Option<[(u8, u8); 2]>,
    text: Text,
}

#[derive(Arbitrary, Debug)]
struct Session {
    encoding: u8,
    markdown: bool,
    start: Text,
    edits: Vec<Edit>,
}

fuzz_target!(|session: Session| {
    let encoding =
        [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32][session.encoding as usize % 3];
    let start = session.start.build();
    let mut doc = Document::new(&start);
    let mut model = start;
    for edit in session.edits.iter().take(64) {
        // Lines and columns are small numbers, so they often land on real places (and
        // inside CRLFs and surrogate pairs); 255 stands for "far past the end".
        let range = edit.range.map(|[(l1, c1), (l2, c2)]| {
            let line = |n: u8| {
                if n == 255 {
                    u32::MAX
                } else {
                    u32::from(n % 16)
                }
            };
            let column = |n: u8| if n == 255 { u32::MAX } else { u32::from(n) };
            [line(l1), column(c1), line(l2), column(c2)]
        });
        let text = edit.text.build();
        doc.edit(range, &text, encoding);
        invariants::model_edit(&mut model, range, &text, encoding);
        assert_eq!(doc.text(), model, "after {edit:?} in {encoding:?}");
    }
    let kind = if session.markdown {
        DocumentKind::Markdown
    } else {
        DocumentKind::PlainText
    };
    let analysis = analyze(&model, kind, &Config::default());
    invariants::check_analysis(&model, &analysis);
});
