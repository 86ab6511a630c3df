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

/// Start offsets of every line of a text, plus column checkpoints inside long non-ASCII
/// lines so that converting any offset costs at most [`CHECKPOINT_BYTES`] of counting,
/// however long the line (a 5 MiB single-line draft stays linear overall).
#[derive(Clone, Debug, Default)]
pub struct LineIndex {
    /// Byte offset where each line starts; always begins with 0.
    line_starts: Vec<usize>,
    len: usize,
    /// Every column is a byte count: no checkpoints needed.
    ascii: bool,
    /// Sorted by offset; inside lines longer than [`CHECKPOINT_BYTES`] of non-ASCII text.
    checkpoints: Vec<Checkpoint>,
}

/// Bytes between two checkpoints of a long line.
const CHECKPOINT_BYTES: usize = 1024;

/// A char boundary inside a long line and its column there in UTF-16 and in characters.
#[derive(Clone, Copy, Debug, Default)]
struct Checkpoint {
    offset: usize,
    utf16: usize,
    chars: usize,
}

impl Checkpoint {
    fn column(&self, line_start: usize, encoding: Encoding) -> usize {
        match encoding {
            Encoding::Utf8 => self.offset - line_start,
            Encoding::Utf16 => self.utf16,
            Encoding::Utf32 => self.chars,
        }
    }
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
        let ascii = text.is_ascii();
        let checkpoints = if ascii {
            Vec::new()
        } else {
            long_line_checkpoints(text, &line_starts)
        };
        LineIndex {
            line_starts,
            len: text.len(),
            ascii,
            checkpoints,
        }
    }

    /// The index of texts laid end to end, from each one's offset in the whole and its
    /// index, in order; `len` is the length of the whole. Every text but the last must
    /// end with a line break, so that no line (and no `\r\n`) spans two of them: the
    /// result is then [`LineIndex::new`] of the whole, without reading it again.
    pub(crate) fn concat(parts: &[(usize, &LineIndex)], len: usize) -> LineIndex {
        let lines = parts.iter().map(|(_, p)| p.line_starts.len()).sum();
        let mut index = LineIndex {
            line_starts: Vec::with_capacity(lines),
            len,
            ascii: true,
            checkpoints: Vec::new(),
        };
        for &(offset, part) in parts {
            // A text's first line starts where the last (empty) line of the one before does.
            let skip = usize::from(index.line_starts.last() == Some(&offset));
            let starts = part.line_starts.iter().skip(skip);
            index.line_starts.extend(starts.map(|start| start + offset));
            index.ascii &= part.ascii;
            let checkpoints = part.checkpoints.iter().map(|c| Checkpoint {
                offset: c.offset + offset,
                ..*c
            });
            index.checkpoints.extend(checkpoints);
        }
        if index.line_starts.is_empty() {
            index.line_starts.push(0);
        }
        index
    }

    /// The last checkpoint at or before `offset` on the line starting at `line_start`.
    fn checkpoint_before(&self, line_start: usize, offset: usize) -> Option<&Checkpoint> {
        let i = self.checkpoints.partition_point(|c| c.offset <= offset);
        self.checkpoints[..i]
            .last()
            .filter(|c| c.offset >= line_start)
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
        if self.ascii {
            return Position {
                line: line as u32,
                column: (offset - start) as u32,
            };
        }
        let (from, base) = match self.checkpoint_before(start, offset) {
            Some(c) => (c.offset, c.column(start, encoding)),
            None => (start, 0),
        };
        Position {
            line: line as u32,
            column: (base + column_width(&text[from..offset], encoding)) as u32,
        }
    }

    /// Converts a position into a byte offset. A column past the end of its line clamps to
    /// the line's end (before the break); a line past the end clamps to the end of the
    /// text; a column inside a character (half a surrogate pair) clamps to its start.
    pub fn offset(&self, text: &str, position: Position, encoding: Encoding) -> usize {
        let Some(range) = self.line_range(text, position.line as usize) else {
            return text.len();
        };
        let wanted = position.column as usize;
        if self.ascii {
            return (range.start + wanted).min(range.end);
        }
        // Start from the last checkpoint of this line whose column is not past `wanted`.
        let line_checkpoints = {
            let first = self.checkpoints.partition_point(|c| c.offset < range.start);
            let end = self.checkpoints.partition_point(|c| c.offset < range.end);
            &self.checkpoints[first..end]
        };
        let i = line_checkpoints.partition_point(|c| c.column(range.start, encoding) <= wanted);
        let (from, mut seen) = match i.checked_sub(1).map(|i| &line_checkpoints[i]) {
            Some(c) => (c.offset, c.column(range.start, encoding)),
            None => (range.start, 0),
        };
        for (i, ch) in text[from..range.end].char_indices() {
            if seen >= wanted {
                return from + i;
            }
            seen += char_width(ch, encoding);
            if seen > wanted {
                return from + i;
            }
        }
        range.end
    }
}

/// Checkpoints every [`CHECKPOINT_BYTES`] inside the lines longer than that.
fn long_line_checkpoints(text: &str, line_starts: &[usize]) -> Vec<Checkpoint> {
    let mut checkpoints = Vec::new();
    let line_ends = line_starts
        .iter()
        .skip(1)
        .copied()
        .chain(std::iter::once(text.len()));
    for (&start, end) in line_starts.iter().zip(line_ends) {
        if end - start <= CHECKPOINT_BYTES {
            continue;
        }
        let mut at = Checkpoint {
            offset: start,
            ..Checkpoint::default()
        };
        loop {
            let next = floor_char_boundary(text, at.offset + CHECKPOINT_BYTES);
            if next >= end || next <= at.offset {
                break;
            }
            let chunk = &text[at.offset..next];
            at = Checkpoint {
                offset: next,
                utf16: at.utf16 + column_width(chunk, Encoding::Utf16),
                chars: at.chars + column_width(chunk, Encoding::Utf32),
            };
            checkpoints.push(at);
        }
    }
    checkpoints
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

/// [`char::is_alphanumeric`], answered without a Unicode table search for ASCII and for
/// Hangul syllables: the standard library searches its tables for every non-ASCII
/// character, and Korean drafts are mostly syllables.
#[inline]
pub fn is_alphanumeric(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric()
    } else {
        is_hangul_syllable(c) || c.is_alphanumeric()
    }
}

/// [`char::is_alphabetic`], with the same fast paths as [`is_alphanumeric`].
#[inline]
pub fn is_alphabetic(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphabetic()
    } else {
        is_hangul_syllable(c) || c.is_alphabetic()
    }
}

/// A precomposed Hangul syllable (`가`–`힣`): alphabetic, with no case.
#[inline]
fn is_hangul_syllable(c: char) -> bool {
    ('\u{AC00}'..='\u{D7A3}').contains(&c)
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
    fn concatenated_indices_equal_the_index_of_the_whole() {
        let long: String = "한글 text 😀 ".repeat(300);
        let parts = [
            "a\r\nb\n\n",
            "",
            "c\rd\n",
            &format!("{long}\r\n\n"),
            "tail\r\nend",
        ];
        let whole = parts.concat();
        let indices: Vec<LineIndex> = parts.iter().map(|p| LineIndex::new(p)).collect();
        let mut offset = 0;
        let placed: Vec<(usize, &LineIndex)> = parts
            .iter()
            .zip(&indices)
            .map(|(part, index)| {
                offset += part.len();
                (offset - part.len(), index)
            })
            .collect();
        let concatenated = LineIndex::concat(&placed, whole.len());
        assert_eq!(
            format!("{concatenated:?}"),
            format!("{:?}", LineIndex::new(&whole))
        );
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
    fn long_lines_convert_the_same_through_checkpoints() {
        // A 10 kB line of mixed scripts, then a short line: every offset must round-trip,
        // and agree with counting from the line start.
        let line: String = "한글 text 😀 ".repeat(600);
        let text = format!("{line}\r\nshort\n");
        let index = LineIndex::new(&text);
        assert!(!index.checkpoints.is_empty());
        for offset in (0..text.len())
            .filter(|&o| text.is_char_boundary(o))
            .step_by(7)
        {
            for enc in [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32] {
                let position = index.position(&text, offset, enc);
                let line_start = if position.line == 0 {
                    0
                } else {
                    line.len() + 2
                };
                let expected = column_width(&text[line_start..offset.max(line_start)], enc);
                if offset < line.len() || offset >= line_start {
                    assert_eq!(
                        position.column as usize, expected,
                        "offset {offset} {enc:?}"
                    );
                    assert_eq!(
                        index.offset(&text, position, enc),
                        offset,
                        "offset {offset} {enc:?}"
                    );
                }
            }
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

    #[test]
    fn character_classes_agree_with_the_standard_library() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            assert_eq!(is_alphanumeric(c), c.is_alphanumeric(), "{c:?}");
            assert_eq!(is_alphabetic(c), c.is_alphabetic(), "{c:?}");
        }
    }
}
