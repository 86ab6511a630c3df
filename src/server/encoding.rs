//! Positions between the protocol and the text, in the one encoding negotiated at
//! `initialize`.
//!
//! Incoming positions (edits, request ranges) are clamped, never trusted: a column past the
//! end of its line lands at the line's end (before its break), a line past the end lands at
//! the end of the document, a column inside a character (half a surrogate pair, the middle
//! of a UTF-8 sequence) lands at the character's start. Nothing here panics on any input.

use ropey::{Rope, RopeSlice};
use tower_lsp_server::ls_types::{self as lsp, PositionEncodingKind};

use crate::analysis::{text::column_width, text::floor_char_boundary, Encoding, LineIndex};

/// Picks the position encoding from what the client offers: UTF-8 when offered, else UTF-16
/// (which every client must support), UTF-32 only when it is the sole known one offered.
pub(crate) fn negotiate(offered: Option<&[PositionEncodingKind]>) -> Encoding {
    let Some(offered) = offered else {
        return Encoding::Utf16;
    };
    let has = |kind: &PositionEncodingKind| offered.iter().any(|o| o == kind);
    if has(&PositionEncodingKind::UTF8) {
        Encoding::Utf8
    } else if has(&PositionEncodingKind::UTF16) {
        Encoding::Utf16
    } else if has(&PositionEncodingKind::UTF32) {
        Encoding::Utf32
    } else {
        Encoding::Utf16
    }
}

/// The protocol's name for an encoding.
pub(crate) fn kind(encoding: Encoding) -> PositionEncodingKind {
    match encoding {
        Encoding::Utf8 => PositionEncodingKind::UTF8,
        Encoding::Utf16 => PositionEncodingKind::UTF16,
        Encoding::Utf32 => PositionEncodingKind::UTF32,
    }
}

/// Length of the line break that ends `line` (0 for the last line).
fn break_len(line: RopeSlice<'_>) -> usize {
    let len = line.len_chars();
    match line.get_char(len.wrapping_sub(1)) {
        Some('\n') if len >= 2 && line.get_char(len - 2) == Some('\r') => 2,
        Some('\n' | '\r') => 1,
        _ => 0,
    }
}

/// The rope char index of an LSP position, clamped into the document.
pub(crate) fn char_index(rope: &Rope, position: lsp::Position, encoding: Encoding) -> usize {
    let line = position.line as usize;
    if line >= rope.len_lines() {
        return rope.len_chars();
    }
    let start = rope.line_to_char(line);
    let slice = rope.line(line);
    let end = start + slice.len_chars() - break_len(slice);
    let column = position.character as usize;
    match encoding {
        Encoding::Utf32 => start + column.min(end - start),
        Encoding::Utf8 => {
            let (first, last) = (rope.char_to_byte(start), rope.char_to_byte(end));
            rope.byte_to_char(first.saturating_add(column).min(last))
        }
        Encoding::Utf16 => {
            let (first, last) = (rope.char_to_utf16_cu(start), rope.char_to_utf16_cu(end));
            rope.utf16_cu_to_char(first.saturating_add(column).min(last))
        }
    }
}

/// The byte offset of an LSP position in `text`, clamped like [`char_index`].
pub(crate) fn offset(
    text: &str,
    lines: &LineIndex,
    position: lsp::Position,
    encoding: Encoding,
) -> usize {
    let position = crate::analysis::Position {
        line: position.line,
        column: position.character,
    };
    lines.offset(text, position, encoding).min(text.len())
}

/// The byte offset of an LSP position that names a real place in `text`: `None` for a line
/// past the end, a column past its line's end, or a column inside a character (half a
/// surrogate pair, the middle of a UTF-8 sequence). For requests that read the text at a
/// position, which answer nothing rather than guess.
pub(crate) fn exact_offset(
    text: &str,
    lines: &LineIndex,
    position: lsp::Position,
    encoding: Encoding,
) -> Option<usize> {
    if position.line as usize >= lines.line_count() {
        return None;
    }
    let at = offset(text, lines, position, encoding);
    (self::position(text, lines, at, encoding) == position).then_some(at)
}

/// The LSP position of byte `offset` in `text`. An offset past the end, inside a character
/// or inside a line break clamps back to the nearest boundary before it.
pub(crate) fn position(
    text: &str,
    lines: &LineIndex,
    offset: usize,
    encoding: Encoding,
) -> lsp::Position {
    let offset = clamp(text, offset);
    let line = lines.line_of(offset);
    let Some(range) = lines.line_range(text, line) else {
        return lsp::Position::new(line as u32, 0);
    };
    let end = offset.clamp(range.start, range.end);
    lsp::Position::new(
        line as u32,
        column_width(&text[range.start..end], encoding) as u32,
    )
}

/// The line of byte `offset` in `text`, as [`position`] gives it.
pub(crate) fn line_of(text: &str, lines: &LineIndex, offset: usize) -> usize {
    lines.line_of(clamp(text, offset))
}

/// The offset a position is computed for: `offset` clamped into `text`, back to the
/// nearest char boundary.
fn clamp(text: &str, offset: usize) -> usize {
    floor_char_boundary(text, offset.min(text.len()))
}

/// Positions of many byte offsets of one text, computed in one sweep so that a long line
/// with many findings stays linear rather than quadratic.
pub(crate) struct PositionMap {
    /// Sorted by offset, no duplicates.
    entries: Vec<(usize, lsp::Position)>,
}

impl PositionMap {
    pub(crate) fn new(
        text: &str,
        lines: &LineIndex,
        encoding: Encoding,
        offsets: impl IntoIterator<Item = usize>,
    ) -> Self {
        let mut offsets: Vec<usize> = offsets.into_iter().map(|o| clamp(text, o)).collect();
        offsets.sort_unstable();
        offsets.dedup();
        let mut entries = Vec::with_capacity(offsets.len());
        // The last position computed: (line, clamped byte offset, column).
        let mut last: Option<(usize, usize, u32)> = None;
        for offset in offsets {
            let line = lines.line_of(offset);
            let Some(range) = lines.line_range(text, line) else {
                entries.push((offset, lsp::Position::new(line as u32, 0)));
                continue;
            };
            let end = offset.clamp(range.start, range.end);
            let column = match last {
                Some((l, from, column)) if l == line && from <= end => {
                    column + column_width(&text[from..end], encoding) as u32
                }
                _ => column_width(&text[range.start..end], encoding) as u32,
            };
            last = Some((line, end, column));
            entries.push((offset, lsp::Position::new(line as u32, column)));
        }
        PositionMap { entries }
    }

    /// The position of `offset`, which should be one of the offsets the map was built from.
    pub(crate) fn get(
        &self,
        text: &str,
        lines: &LineIndex,
        offset: usize,
        encoding: Encoding,
    ) -> lsp::Position {
        let key = clamp(text, offset);
        match self.entries.binary_search_by_key(&key, |e| e.0) {
            Ok(i) => self.entries[i].1,
            Err(_) => position(text, lines, offset, encoding),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lsp::Position as P;

    const ALL: [Encoding; 3] = [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32];

    fn p(line: u32, character: u32) -> P {
        P::new(line, character)
    }

    #[test]
    fn negotiation() {
        use PositionEncodingKind as K;
        assert_eq!(negotiate(None), Encoding::Utf16);
        assert_eq!(negotiate(Some(&[])), Encoding::Utf16);
        assert_eq!(negotiate(Some(&[K::UTF16, K::UTF8])), Encoding::Utf8);
        assert_eq!(negotiate(Some(&[K::UTF32, K::UTF16])), Encoding::Utf16);
        assert_eq!(negotiate(Some(&[K::UTF32])), Encoding::Utf32);
        assert_eq!(negotiate(Some(&[K::new("utf-7")])), Encoding::Utf16);
    }

    #[test]
    fn korean_and_emoji_columns() {
        // 한 = 3 bytes / 1 unit / 1 char; 😀 = 4 bytes / 2 units / 1 char.
        let text = "한😀x\r\n둘";
        let rope = Rope::from_str(text);
        let x_char = 2;
        assert_eq!(char_index(&rope, p(0, 7), Encoding::Utf8), x_char);
        assert_eq!(char_index(&rope, p(0, 3), Encoding::Utf16), x_char);
        assert_eq!(char_index(&rope, p(0, 2), Encoding::Utf32), x_char);
        assert_eq!(
            char_index(&rope, p(1, 1), Encoding::Utf16),
            rope.len_chars()
        );
        let lines = LineIndex::new(text);
        let x = text.find('x').unwrap();
        assert_eq!(position(text, &lines, x, Encoding::Utf8), p(0, 7));
        assert_eq!(position(text, &lines, x, Encoding::Utf16), p(0, 3));
        assert_eq!(position(text, &lines, x, Encoding::Utf32), p(0, 2));
    }

    #[test]
    fn surrogate_halves_and_utf8_middles_clamp_to_the_char_start() {
        let rope = Rope::from_str("a😀b");
        assert_eq!(char_index(&rope, p(0, 2), Encoding::Utf16), 1);
        assert_eq!(char_index(&rope, p(0, 3), Encoding::Utf16), 2);
        for column in 2..5 {
            assert_eq!(char_index(&rope, p(0, column), Encoding::Utf8), 1);
        }
        let text = "a😀b";
        let lines = LineIndex::new(text);
        assert_eq!(position(text, &lines, 3, Encoding::Utf16), p(0, 1));
    }

    #[test]
    fn out_of_range_positions_clamp() {
        let text = "ab\r\ncd\n";
        let rope = Rope::from_str(text);
        for enc in ALL {
            // Past the end of a line: before its CRLF.
            assert_eq!(char_index(&rope, p(0, 99), enc), 2);
            assert_eq!(char_index(&rope, p(0, u32::MAX), enc), 2);
            assert_eq!(char_index(&rope, p(1, 99), enc), 6);
            // The empty last line, and lines past it.
            assert_eq!(char_index(&rope, p(2, 5), enc), 7);
            assert_eq!(char_index(&rope, p(9, 0), enc), 7);
            assert_eq!(char_index(&rope, p(u32::MAX, u32::MAX), enc), 7);
        }
        let lines = LineIndex::new(text);
        // Between CR and LF, and past the end.
        assert_eq!(position(text, &lines, 3, Encoding::Utf16), p(0, 2));
        assert_eq!(position(text, &lines, 2, Encoding::Utf16), p(0, 2));
        assert_eq!(position(text, &lines, 99, Encoding::Utf16), p(2, 0));
        assert_eq!(offset(text, &lines, p(0, 99), Encoding::Utf16), 2);
        assert_eq!(offset(text, &lines, p(99, 0), Encoding::Utf16), text.len());
    }

    #[test]
    fn empty_text() {
        let rope = Rope::new();
        let lines = LineIndex::new("");
        for enc in ALL {
            assert_eq!(char_index(&rope, p(0, 0), enc), 0);
            assert_eq!(char_index(&rope, p(3, 3), enc), 0);
            assert_eq!(position("", &lines, 5, enc), p(0, 0));
        }
    }

    #[test]
    fn lone_cr_is_a_line_break() {
        let rope = Rope::from_str("a\rb");
        assert_eq!(rope.len_lines(), 2);
        assert_eq!(char_index(&rope, p(1, 0), Encoding::Utf16), 2);
        assert_eq!(char_index(&rope, p(0, 5), Encoding::Utf16), 1);
    }

    #[test]
    fn position_map_agrees_with_single_lookups() {
        let text = "제목 😀 \"인용\"\r\n\r\nplain 😀😀 text\rlast 한국어";
        let lines = LineIndex::new(text);
        let offsets: Vec<usize> = (0..=text.len() + 2).rev().collect();
        for enc in ALL {
            let map = PositionMap::new(text, &lines, enc, offsets.iter().copied());
            for &o in &offsets {
                assert_eq!(
                    map.get(text, &lines, o, enc),
                    position(text, &lines, o, enc),
                    "offset {o} {enc:?}"
                );
            }
        }
    }

    #[test]
    fn round_trip_on_every_char_boundary() {
        let text = "한😀\r\nx😀y\rz\n";
        let lines = LineIndex::new(text);
        let rope = Rope::from_str(text);
        for enc in ALL {
            for (byte, ch) in text.char_indices() {
                let pos = position(text, &lines, byte, enc);
                let back = offset(text, &lines, pos, enc);
                assert_eq!(char_index(&rope, pos, enc), rope.byte_to_char(back));
                if ch != '\r' && ch != '\n' {
                    assert_eq!(back, byte, "{enc:?} {pos:?}");
                }
            }
        }
    }

    #[test]
    fn exact_offsets_refuse_what_clamping_would_guess() {
        let text = "a😀b\r\n한\n";
        let lines = LineIndex::new(text);
        let at = |l, c, enc| exact_offset(text, &lines, p(l, c), enc);
        assert_eq!(at(0, 3, Encoding::Utf16), Some(5));
        assert_eq!(at(0, 2, Encoding::Utf16), None);
        assert_eq!(at(0, 2, Encoding::Utf8), None);
        assert_eq!(at(0, 4, Encoding::Utf16), Some(6));
        assert_eq!(at(0, 5, Encoding::Utf16), None);
        assert_eq!(at(1, 1, Encoding::Utf16), Some(11));
        assert_eq!(at(1, 3, Encoding::Utf8), Some(11));
        assert_eq!(at(1, 2, Encoding::Utf8), None);
        assert_eq!(at(2, 0, Encoding::Utf16), Some(text.len()));
        assert_eq!(at(3, 0, Encoding::Utf16), None);
        assert_eq!(at(u32::MAX, u32::MAX, Encoding::Utf32), None);
        assert_eq!(
            exact_offset("", &LineIndex::new(""), p(0, 0), Encoding::Utf16),
            Some(0)
        );
    }
}
