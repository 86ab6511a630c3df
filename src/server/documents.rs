//! The open documents: a rope per document, edited in place as changes arrive.
//!
//! Changes are applied synchronously, in the order the notifications arrive (STYLE.md §8,
//! §10); a change without a range replaces the whole text. Positions are clamped (see
//! [`super::encoding`]), so no change, however malformed, can panic.

use std::ops::Range;
use std::sync::{mpsc, Arc};

use ropey::Rope;
use tokio::sync::watch;
use tower_lsp_server::ls_types::TextDocumentContentChangeEvent;

use super::encoding;
use super::scheduler::Analyzed;
use crate::analysis::{AnalysisCache, DocumentKind, Encoding};

/// A document's text and version as the client last described them.
#[derive(Clone, Debug)]
pub(crate) struct TextDocument {
    pub rope: Rope,
    pub version: i32,
    pub kind: DocumentKind,
    /// Where the text changed since it was last taken ([`TextDocument::take_text`]);
    /// `None` while it has not.
    changed: Option<Changed>,
}

/// Where a text changed between an old and a new version, in bytes: the two agree before
/// `start`, and from `old_end` (old) and `new_end` (new) on. What changed in between is
/// not known; it may be nothing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Changed {
    pub start: usize,
    pub old_end: usize,
    pub new_end: usize,
}

impl Changed {
    /// The change after this one replaced the bytes `removed` of the text this one made
    /// with `inserted` bytes.
    fn then(self, removed: Range<usize>, inserted: usize) -> Changed {
        // The rest after both: from the later of the two ends, as the second edit leaves
        // it; the first had shifted it by `new_end - old_end`.
        let rest = self.new_end.max(removed.end);
        Changed {
            start: self.start.min(removed.start),
            old_end: rest - self.new_end + self.old_end,
            new_end: rest - removed.len() + inserted,
        }
    }

    /// The range in the old text that holds the same bytes as `range` of the new one, if
    /// `range` lies wholly before the change or wholly after it.
    pub(crate) fn to_old(self, range: &Range<usize>) -> Option<Range<usize>> {
        if range.end < self.start {
            Some(range.clone())
        } else if range.start >= self.new_end {
            let back = |x: usize| x - self.new_end + self.old_end;
            Some(back(range.start)..back(range.end))
        } else {
            None
        }
    }
}

impl TextDocument {
    pub(crate) fn new(text: &str, version: i32, kind: DocumentKind) -> Self {
        TextDocument {
            rope: Rope::from_str(text),
            version,
            kind,
            changed: None,
        }
    }

    /// Applies `changes` in order and takes `version`.
    pub(crate) fn apply_changes(
        &mut self,
        changes: Vec<TextDocumentContentChangeEvent>,
        version: i32,
        encoding: Encoding,
    ) {
        for change in changes {
            self.apply_change(change, encoding);
        }
        self.version = version;
    }

    fn apply_change(&mut self, change: TextDocumentContentChangeEvent, encoding: Encoding) {
        let Some(range) = change.range else {
            self.note_change(0..self.rope.len_bytes(), change.text.len());
            self.rope = Rope::from_str(&change.text);
            return;
        };
        let mut start = encoding::char_index(&self.rope, range.start, encoding);
        let mut end = encoding::char_index(&self.rope, range.end, encoding);
        if end < start {
            std::mem::swap(&mut start, &mut end);
        }
        let removed = self.rope.char_to_byte(start)..self.rope.char_to_byte(end);
        // Both indices are clamped into the rope, so neither call can fail; the `try_`
        // forms keep that a guarantee rather than an argument.
        if self.rope.try_remove(start..end).is_ok() {
            let inserted = match self.rope.try_insert(start, &change.text) {
                Ok(()) => change.text.len(),
                Err(_) => 0,
            };
            self.note_change(removed, inserted);
        }
    }

    fn note_change(&mut self, removed: Range<usize>, inserted: usize) {
        let unchanged = Changed {
            start: removed.start,
            old_end: removed.start,
            new_end: removed.start,
        };
        self.changed = Some(self.changed.unwrap_or(unchanged).then(removed, inserted));
    }

    pub(crate) fn text(&self) -> String {
        // Sized once: `to_string` goes through `Display` and grows the string chunk by chunk.
        String::from(&self.rope)
    }

    /// The text, for an analysis, with where it changed since the text was last taken
    /// (`None`: it has not). A rope, cloned in constant time: copying it out whole into
    /// a `String` is the analysis worker's job, outside the lock.
    pub(crate) fn take_text(&mut self) -> (Rope, Option<Changed>) {
        (self.rope.clone(), self.changed.take())
    }
}

/// An open document and the state of its analysis.
pub(crate) struct OpenDocument {
    pub doc: TextDocument,
    /// Distinguishes this opening from an earlier one of the same URI, so a worker of a
    /// closed document never touches the reopened one.
    pub instance: u64,
    /// The latest analysis, possibly of an older version or configuration.
    pub analyzed: Option<Arc<Analyzed>>,
    /// Whether this document's worker is analysing it, or has been woken to.
    pub worker: bool,
    /// Wakes the document's worker thread (see `scheduler`); dropped with the document,
    /// which ends the thread. `None` until the first analysis.
    pub wake: Option<mpsc::Sender<()>>,
    /// Signalled whenever `analyzed` changes; dropped (which wakes every waiter) when the
    /// document closes.
    pub changed: watch::Sender<()>,
    /// What the last analysis left for the next one, so that an edit costs what it
    /// changes. Lent to the worker while it analyses, so `None` meanwhile.
    pub caches: Option<Caches>,
}

/// What one analysis of a document leaves for the next.
#[derive(Default)]
pub(crate) struct Caches {
    /// The chunks of the text read so far.
    pub analysis: AnalysisCache,
    /// The latest analysis and its findings' conversion (`publish`), of the text as last
    /// taken ([`TextDocument::take_text`]).
    pub analyzed: Option<Arc<Analyzed>>,
    /// The text as last taken, copied out of its rope for the analysis (which reads a
    /// `&str`); the text of `analyzed` whenever that is `Some`. Kept and brought up to
    /// date by the next copy: a fresh `String` each keystroke would allocate, and fault
    /// in, the draft's size again.
    pub text: String,
}

impl Caches {
    /// Makes `self.text` equal `rope`, which differs from the text last taken where
    /// `changed` says. Only the changed bytes are copied out of the rope when `self.text`
    /// holds that text (there is an `analyzed`); otherwise, the whole rope, in the buffer
    /// `self.text` already has.
    pub(crate) fn copy_text(&mut self, rope: &Rope, changed: Option<Changed>) {
        if self.analyzed.is_some() && self.patch_text(rope, changed) {
            return;
        }
        self.text.clear();
        self.text.reserve(rope.len_bytes());
        for chunk in rope.chunks() {
            self.text.push_str(chunk);
        }
    }

    /// Replaces the changed bytes of `self.text` with the rope's; `false`, with
    /// `self.text` unchanged, when they do not fit (which would be a bug elsewhere).
    fn patch_text(&mut self, rope: &Rope, changed: Option<Changed>) -> bool {
        let Some(Changed {
            start,
            old_end,
            new_end,
        }) = changed
        else {
            return self.text.len() == rope.len_bytes();
        };
        let fits = old_end <= self.text.len()
            && self.text.is_char_boundary(start)
            && self.text.is_char_boundary(old_end)
            && self.text.len() - (old_end - start) + (new_end - start) == rope.len_bytes();
        let Some(new) = rope.get_byte_slice(start..new_end).filter(|_| fits) else {
            return false;
        };
        self.text.replace_range(start..old_end, &String::from(new));
        true
    }
}

impl OpenDocument {
    pub(crate) fn new(doc: TextDocument, instance: u64) -> Self {
        OpenDocument {
            doc,
            instance,
            analyzed: None,
            worker: false,
            wake: None,
            changed: watch::Sender::new(()),
            caches: Some(Caches::default()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::testing::Lcg;
    use crate::analysis::{LineIndex, Position};
    use tower_lsp_server::ls_types::{Position as P, Range};

    /// The model: a `String` edited through the analysis core's own position conversion.
    fn model_apply(text: &mut String, range: Range, new: &str, enc: Encoding) {
        let lines = LineIndex::new(text);
        let at = |p: P| {
            lines.offset(
                text,
                Position {
                    line: p.line,
                    column: p.character,
                },
                enc,
            )
        };
        let (mut a, mut b) = (at(range.start), at(range.end));
        if b < a {
            std::mem::swap(&mut a, &mut b);
        }
        text.replace_range(a..b, new);
    }

    fn change(range: Range, text: &str) -> TextDocumentContentChangeEvent {
        TextDocumentContentChangeEvent {
            range: Some(range),
            range_length: None,
            text: text.to_owned(),
        }
    }

    fn r(l1: u32, c1: u32, l2: u32, c2: u32) -> Range {
        Range::new(P::new(l1, c1), P::new(l2, c2))
    }

    #[test]
    fn edits_across_crlf_and_emoji() {
        let start = "첫 줄 😀\r\n둘째 \"인용\"\r\n끝";
        let cases: &[(Encoding, Range, &str, &str)] = &[
            // Join the first two lines: delete from after the emoji to the start of line 1.
            (
                Encoding::Utf16,
                r(0, 6, 1, 0),
                " ",
                "첫 줄 😀 둘째 \"인용\"\r\n끝",
            ),
            // Replace the emoji (two UTF-16 units) with text.
            (
                Encoding::Utf16,
                r(0, 4, 0, 6),
                "🙂🙂",
                "첫 줄 🙂🙂\r\n둘째 \"인용\"\r\n끝",
            ),
            // The same in UTF-8: the emoji is bytes 8..12.
            (
                Encoding::Utf8,
                r(0, 8, 0, 12),
                "x",
                "첫 줄 x\r\n둘째 \"인용\"\r\n끝",
            ),
            // Half a surrogate pair clamps to the emoji's start: inserts before it.
            (
                Encoding::Utf16,
                r(0, 5, 0, 5),
                "!",
                "첫 줄 !😀\r\n둘째 \"인용\"\r\n끝",
            ),
            // Past the end of line 0: before the CRLF.
            (
                Encoding::Utf32,
                r(0, 99, 0, 99),
                "?",
                "첫 줄 😀?\r\n둘째 \"인용\"\r\n끝",
            ),
            // Past the last line: appends.
            (
                Encoding::Utf16,
                r(9, 0, 9, 0),
                "\n",
                "첫 줄 😀\r\n둘째 \"인용\"\r\n끝\n",
            ),
            // A reversed range is read as its mirror.
            (Encoding::Utf32, r(2, 1, 1, 0), "", "첫 줄 😀\r\n"),
        ];
        for (enc, range, new, want) in cases {
            let mut doc = TextDocument::new(start, 1, DocumentKind::PlainText);
            doc.apply_changes(vec![change(*range, new)], 2, *enc);
            assert_eq!(doc.text(), *want, "{enc:?} {range:?}");
            let mut model = start.to_owned();
            model_apply(&mut model, *range, new, *enc);
            assert_eq!(model, *want, "model {enc:?} {range:?}");
        }
    }

    #[test]
    fn full_text_change_replaces_everything() {
        let mut doc = TextDocument::new("old", 1, DocumentKind::Markdown);
        doc.apply_changes(
            vec![
                change(r(0, 0, 0, 0), "x"),
                TextDocumentContentChangeEvent {
                    range: None,
                    range_length: None,
                    text: "new\r\n".into(),
                },
                change(r(1, 0, 1, 0), "tail"),
            ],
            7,
            Encoding::Utf16,
        );
        assert_eq!(doc.text(), "new\r\ntail");
        assert_eq!(doc.version, 7);
    }

    #[test]
    fn random_edits_match_the_string_model() {
        const PIECES: &[&str] = &[
            "",
            "a",
            "한",
            "😀",
            "\r\n",
            "\n",
            "\r",
            "국어 ",
            "🇰🇷",
            "\"",
            "x\r\ny",
            "😀\r\n😀",
        ];
        for enc in [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32] {
            let mut rng = Lcg(42 + enc as u64);
            let start = "정책 😀 초안\r\nline two\rthree\n\n끝 😀";
            let mut doc = TextDocument::new(start, 0, DocumentKind::PlainText);
            let mut model = start.to_owned();
            for version in 1..=2000 {
                let lines = model.split(['\n']).count() as u32 + 2;
                let mut pos = || P::new(rng.below(lines as usize) as u32, rng.below(14) as u32);
                let range = Range::new(pos(), pos());
                let new = PIECES[rng.below(PIECES.len())];
                doc.apply_changes(vec![change(range, new)], version, enc);
                model_apply(&mut model, range, new, enc);
                assert_eq!(
                    doc.text(),
                    model,
                    "{enc:?} step {version} {range:?} {new:?}"
                );
            }
        }
    }

    #[test]
    fn the_analysis_copy_follows_the_rope_through_random_edits() {
        const PIECES: &[&str] = &["", "a", "한", "😀", "\r\n", "\r", "국어 ", "x\ny"];
        let mut rng = Lcg(7);
        let mut doc = TextDocument::new(
            "정책 😀 초안\r\nline two\rthree\n\n끝 😀",
            0,
            DocumentKind::PlainText,
        );
        let mut caches = Caches::default();
        for version in 1..=3000 {
            let lines = doc.rope.len_lines();
            let mut pos = || P::new(rng.below(lines + 1) as u32, rng.below(14) as u32);
            let range = Range::new(pos(), pos());
            let new = PIECES[rng.below(PIECES.len())];
            doc.apply_changes(vec![change(range, new)], version, Encoding::Utf16);
            // Taken now and then, as a worker would, so that changes pile up in between.
            if rng.below(3) == 0 {
                let (rope, changed) = doc.take_text();
                caches.copy_text(&rope, changed);
                assert_eq!(caches.text, doc.text(), "step {version}");
                // From the second copy on, `text` is the text of the last analysis.
                let analyzed = Analyzed::new(version, 0, String::new(), None, Default::default());
                caches.analyzed = Some(Arc::new(analyzed));
            }
        }
    }
}
