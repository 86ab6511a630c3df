//! The invariants of guarantees 1 and 2 (ARCHITECTURE.md, "Guarantees"), checked by the
//! property tests (`tests/properties.rs`) and the fuzzers (`fuzz/`), which include this
//! file by path so that both check exactly the same thing. Each check panics with what
//! broke.

#![allow(dead_code)]

use std::ops::Range;

use policy_lsp::analysis::{Analysis, Encoding, LineIndex, Position};
use policy_lsp::server::fuzzing::{self, ProtoRange};

pub const ENCODINGS: [Encoding; 3] = [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32];

/// `range` lies inside `text`, is not reversed, and both ends are character boundaries.
pub fn assert_range(text: &str, range: &Range<usize>, what: &str) {
    assert!(
        range.start <= range.end && range.end <= text.len(),
        "{what} {range:?} outside the text (length {})",
        text.len()
    );
    assert!(
        text.is_char_boundary(range.start) && text.is_char_boundary(range.end),
        "{what} {range:?} splits a character"
    );
}

/// Every range the analysis hands out lies inside the text, on character boundaries; the
/// prose mask has the text's length; every finding is also a valid protocol range in every
/// encoding.
pub fn check_analysis(text: &str, analysis: &Analysis) {
    let doc = &analysis.document;
    assert_eq!(doc.text, text, "the document keeps the text");
    assert_eq!(
        doc.prose.len(),
        text.len(),
        "the prose mask has the text's length"
    );
    for d in &analysis.diagnostics {
        assert_range(text, &d.range, d.rule);
        for edit in d.fix.iter().flat_map(|f| &f.edits) {
            assert_range(text, &edit.range, "fix edit");
        }
    }
    for (i, block) in doc.blocks.iter().enumerate() {
        assert_range(text, &block.range, "block");
        for sentence in doc.sentences_of(block) {
            assert_range(text, sentence, "sentence");
        }
        if let Some(q) = block.block_quote {
            assert!(q < doc.block_quotes.len(), "block {i}'s block quote {q}");
        }
    }
    for q in &doc.block_quotes {
        assert_range(text, &q.range, "block quote");
        assert!(
            q.blocks.end <= doc.blocks.len(),
            "block quote's blocks {:?}",
            q.blocks
        );
    }
    for s in &doc.sections {
        assert_range(text, &s.heading, "section heading");
        assert_range(text, &s.range, "section");
        assert!(s.block < doc.blocks.len(), "section's block {}", s.block);
        if let Some(n) = &s.numbering {
            assert_range(text, &n.label, "numbering label");
        }
    }
    for q in &doc.quotations {
        assert_range(text, &q.range, "quotation");
        assert_range(text, &q.inner, "quotation inner");
    }
    for m in &doc.unpaired_quote_marks {
        assert_range(text, &m.range, "unpaired quote mark");
    }
    for f in &doc.figures {
        assert_range(text, &f.range, "figure");
        if let Some(unit) = &f.unit {
            assert_range(text, &unit.range, "unit");
        }
    }
    for d in &doc.terms.definitions {
        assert_range(text, &d.term_range, "defined term");
        assert_range(text, &d.definition_range, "definition");
    }
    let lines = LineIndex::new(text);
    for encoding in ENCODINGS {
        let ranges = fuzzing::diagnostic_ranges(analysis, encoding);
        assert_eq!(ranges.len(), analysis.diagnostics.len());
        for range in ranges {
            assert_proto_range(text, &lines, range, encoding);
        }
    }
}

/// A protocol range names real places of `text` in `encoding`: its lines exist, its
/// columns lie within their lines and on character boundaries, and it is not reversed.
pub fn assert_proto_range(text: &str, lines: &LineIndex, range: ProtoRange, encoding: Encoding) {
    let [l1, c1, l2, c2] = range;
    assert!((l1, c1) <= (l2, c2), "reversed {range:?} ({encoding:?})");
    for (line, column) in [(l1, c1), (l2, c2)] {
        let position = Position { line, column };
        assert!(
            (line as usize) < lines.line_count(),
            "{position:?} past the last line ({encoding:?})"
        );
        let offset = lines.offset(text, position, encoding);
        assert_eq!(
            lines.position(text, offset, encoding),
            position,
            "{position:?} is past its line's end or inside a character ({encoding:?})"
        );
    }
}

/// The model of the server's document store: a `String` edited at the byte offsets the
/// analysis core's own `LineIndex` gives for the change's positions (clamped the same
/// way), a reversed range read as its mirror.
pub fn model_edit(text: &mut String, range: Option<ProtoRange>, new: &str, encoding: Encoding) {
    let Some([l1, c1, l2, c2]) = range else {
        *text = new.to_owned();
        return;
    };
    let lines = LineIndex::new(text);
    let at = |line, column| lines.offset(text, Position { line, column }, encoding);
    let (mut a, mut b) = (at(l1, c1), at(l2, c2));
    if b < a {
        std::mem::swap(&mut a, &mut b);
    }
    text.replace_range(a..b, new);
}
