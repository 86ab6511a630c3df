//! The text model: byte offsets ⇄ (line, column) in UTF-8, UTF-16 or Unicode scalar values.
//!
//! Lines end at `\n`, `\r\n` or a lone `\r` — exactly the breaks LSP recognises (not U+2028,
//! form feed or NEL). Building the index is one byte scan, so rebuilding it for a paragraph
//! or a whole draft is cheap.

use std::ops::Range;

/// How a column is counted. LSP defaults to UTF-16; the CLI reports Unicode characters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Encoding {
    /// Bytes of UTF-8.
    Utf8,
    /// UTF-16 code units (LSP's default).
    #[default]
    Utf16,
    /// Unicode scalar values ("characters").
    Utf32,
}

/// A zero-based line and column, the column counted in some [`Encoding`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Position {
    pub line: u32,
    pub column: u32,
}

/// Start offsets of every line of a text.
#[derive(Clone, Debug, Default)]
pub struct LineIndex {
    /// Byte offset where each line starts; always begins with 0.
    line_starts: Vec<usize>,
    len: usize,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let bytes = text.as_bytes();
        let mut line_starts = vec![0];
        let mut i = 0;
        while let Some(found) = memchr::memchr2(b'\n', b'\r', &bytes[i..]) {
            let at = i + found;
            let next = if bytes[at] == b'\r' && bytes.get(at + 1) == Some(&b'\n') {
                at + 2
            } else {
                at + 1
            };
            line_starts.push(next);
            i = next;
        }
        LineIndex {
            line_starts,
            len: text.len(),
        }
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// Byte range of line `line` without its line break; `None` past the last line.
    pub fn line_range(&self, text: &str, line: usize) -> Option<Range<usize>> {
        let start = *self.line_starts.get(line)?;
        let mut end = self.line_starts.get(line + 1).copied().unwrap_or(self.len);
        let bytes = text.as_bytes();
        while end > start && matches!(bytes[end - 1], b'\n' | b'\r') {
            end -= 1;
        }
        Some(start..end)
    }

    /// The line that contains byte `offset` (offsets past the end map to the last line).
    pub fn line_of(&self, offset: usize) -> usize {
        match self.line_starts.binary_search(&offset) {
            Ok(line) => line,
            Err(next) => next - 1,
        }
    }

    /// Converts a byte offset into a position. An offset inside a character or past the
    /// end is clamped to the nearest boundary before it.
    pub fn position(&self, text: &str, offset: usize, encoding: Encoding) -> Position {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let line = self.line_of(offset);
        let start = self.line_starts[line];
        let prefix = &text[start..offset];
        Position {
            line: line as u32,
            column: column_width(prefix, encoding) as u32,
        }
    }

    /// Converts a position into a byte offset. A column past the end of its line clamps to
    /// the line's end (before the break); a line past the end clamps to the end of the
    /// text; a column inside a character (half a surrogate pair) clamps to its start.
    pub fn offset(&self, text: &str, position: Position, encoding: Encoding) -> usize {
        let Some(range) = self.line_range(text, position.line as usize) else {
            return text.len();
        };
        let line = &text[range.clone()];
        let wanted = position.column as usize;
        let mut seen = 0;
        for (i, ch) in line.char_indices() {
            if seen >= wanted {
                return range.start + i;
            }
            seen += char_width(ch, encoding);
            if seen > wanted {
                return range.start + i;
            }
        }
        range.end
    }
}

/// The width of `text` in `encoding` units.
pub fn column_width(text: &str, encoding: Encoding) -> usize {
    match encoding {
        Encoding::Utf8 => text.len(),
        Encoding::Utf16 => text.chars().map(char::len_utf16).sum(),
        Encoding::Utf32 => text.chars().count(),
    }
}

fn char_width(ch: char, encoding: Encoding) -> usize {
    match encoding {
        Encoding::Utf8 => ch.len_utf8(),
        Encoding::Utf16 => ch.len_utf16(),
        Encoding::Utf32 => 1,
    }
}

/// The largest char boundary at or before `offset`.
pub fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_breaks_of_every_kind() {
        let text = "a\nb\r\nc\rd";
        let index = LineIndex::new(text);
        assert_eq!(index.line_count(), 4);
        let lines: Vec<_> = (0..4)
            .map(|l| &text[index.line_range(text, l).unwrap()])
            .collect();
        assert_eq!(lines, ["a", "b", "c", "d"]);
        assert_eq!(index.line_range(text, 4), None);
    }

    #[test]
    fn columns_in_each_encoding() {
        // "한" is 3 bytes / 1 UTF-16 unit; "😀" is 4 bytes / 2 UTF-16 units.
        let text = "x\r\n한😀z";
        let index = LineIndex::new(text);
        let z = text.find('z').unwrap();
        let at = |enc| index.position(text, z, enc);
        assert_eq!(at(Encoding::Utf8), Position { line: 1, column: 7 });
        assert_eq!(at(Encoding::Utf16), Position { line: 1, column: 3 });
        assert_eq!(at(Encoding::Utf32), Position { line: 1, column: 2 });
        for enc in [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32] {
            assert_eq!(index.offset(text, at(enc), enc), z);
        }
    }

    #[test]
    fn out_of_range_positions_clamp() {
        let text = "ab\r\n😀";
        let index = LineIndex::new(text);
        // Past the end of line 0: clamps before the CRLF.
        assert_eq!(
            index.offset(
                text,
                Position {
                    line: 0,
                    column: 99
                },
                Encoding::Utf16
            ),
            2
        );
        // Inside the surrogate pair: clamps to the emoji's start.
        assert_eq!(
            index.offset(text, Position { line: 1, column: 1 }, Encoding::Utf16),
            4
        );
        // Past the last line: the end of the text.
        assert_eq!(
            index.offset(text, Position { line: 7, column: 0 }, Encoding::Utf16),
            text.len()
        );
        // An offset inside a character clamps back to its start.
        assert_eq!(
            index.position(text, 6, Encoding::Utf8),
            Position { line: 1, column: 0 }
        );
    }
}
