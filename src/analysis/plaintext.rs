//! Blocks of a plain-text draft.
//!
//! Two paragraph styles are real: one paragraph per line with no blank lines (news wires,
//! the sample draft), and hard-wrapped paragraphs separated by blank lines (licences,
//! memos). A run of non-blank lines is read as one wrapped paragraph when its lines look
//! wrapped (all but the last no longer than [`WRAP_WIDTH`]); otherwise every line is a
//! paragraph of its own. A line that starts with a list marker always starts a block.

use std::ops::Range;

use super::document::{Block, BlockKind, Skeleton};
use super::mask::ProseMask;

/// Lines longer than this are not hard-wrapped text.
const WRAP_WIDTH: usize = 100;

pub(crate) fn skeleton(text: &str) -> Skeleton {
    let mut mask = ProseMask::full(text);
    mask.blank_comments(text);
    mask.blank_urls(text);
    let prose = mask.into_string();

    let lines = content_lines(&prose);
    let mut blocks = Vec::new();
    let mut run: Vec<Range<usize>> = Vec::new();
    for line in lines {
        match line {
            Some(range) => run.push(range),
            None => split_run(&prose, &mut run, &mut blocks),
        }
    }
    split_run(&prose, &mut run, &mut blocks);
    Skeleton {
        prose,
        blocks,
        block_quotes: Vec::new(),
    }
}

/// Each line's trimmed range, or `None` for a blank line (comments count as blank).
fn content_lines(prose: &str) -> Vec<Option<Range<usize>>> {
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = prose.as_bytes();
    while start <= prose.len() {
        let end = memchr::memchr2(b'\n', b'\r', &bytes[start..]).map_or(prose.len(), |i| start + i);
        let line = &prose[start..end];
        let trimmed = line.trim();
        out.push(if trimmed.is_empty() {
            None
        } else {
            let lead = line.len() - line.trim_start().len();
            Some(start + lead..start + lead + trimmed.len())
        });
        if end == prose.len() {
            break;
        }
        start = if bytes[end] == b'\r' && bytes.get(end + 1) == Some(&b'\n') {
            end + 2
        } else {
            end + 1
        };
    }
    out
}

fn split_run(prose: &str, run: &mut Vec<Range<usize>>, blocks: &mut Vec<Block>) {
    if run.is_empty() {
        return;
    }
    let wrapped = run.len() > 1
        && run[..run.len() - 1]
            .iter()
            .all(|r| prose[r.clone()].chars().count() <= WRAP_WIDTH);
    let mut current: Option<(BlockKind, Range<usize>)> = None;
    for line in run.drain(..) {
        let item = is_list_item(&prose[line.clone()]);
        let starts_block = !wrapped || item || is_field(&prose[line.clone()]) || current.is_none();
        if starts_block {
            if let Some((kind, range)) = current.take() {
                blocks.push(Block::new(kind, range));
            }
            let kind = if item {
                BlockKind::ListItem
            } else {
                BlockKind::Paragraph
            };
            current = Some((kind, line));
        } else if let Some((_, range)) = &mut current {
            range.end = line.end;
        }
    }
    if let Some((kind, range)) = current {
        blocks.push(Block::new(kind, range));
    }
}

/// `Date: 14 October 2025`, `Venue: Room 2`: a labelled field of a memo or minutes (one or
/// two capitalised words, then a colon and a value) is a line of its own, never the
/// continuation of a wrapped paragraph.
fn is_field(line: &str) -> bool {
    line.split_once(": ").is_some_and(|(label, value)| {
        // One or two words: counting stops at the third.
        let words = label.split_whitespace().take(3).count();
        (1..=2).contains(&words)
            && label.starts_with(|c: char| c.is_uppercase())
            && !value.trim().is_empty()
    })
}

/// `- x`, `* x`, `• x`, Korean-style `□ ○ ◦ ▪ ※` items, and `1)` / `(a)` enumerations.
/// (`1.` is left to heading detection: it numbers headings as often as list items.)
fn is_list_item(line: &str) -> bool {
    let mut chars = line.chars();
    match chars.next() {
        Some(
            '-' | '*' | '+' | '•' | '·' | '□' | '■' | '○' | '●' | '◦' | '▪' | '※' | '◆' | '◇' | '▶'
            | '→',
        ) => chars.next().is_some_and(char::is_whitespace),
        Some('(') => {
            let inner: String = chars.by_ref().take_while(|c| *c != ')').collect();
            (1..=4).contains(&inner.len()) && inner.chars().all(|c| c.is_ascii_alphanumeric())
        }
        Some(c) if c.is_ascii_digit() => {
            let rest = line.trim_start_matches(|c: char| c.is_ascii_digit());
            rest.starts_with(") ")
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paragraphs(text: &str) -> Vec<&str> {
        skeleton(text)
            .blocks
            .iter()
            .map(|b| &text[b.range.clone()])
            .collect()
    }

    #[test]
    fn one_paragraph_per_line_when_lines_are_long() {
        let long = "word ".repeat(30);
        let text = format!("Title Line\n{long}\n{long}\n");
        assert_eq!(paragraphs(&text).len(), 3);
    }

    #[test]
    fn wrapped_paragraphs_between_blank_lines() {
        let text = "This paragraph is wrapped\nacross two lines.\n\nAnother one\r\nhere.\r\n";
        assert_eq!(
            paragraphs(text),
            [
                "This paragraph is wrapped\nacross two lines.",
                "Another one\r\nhere."
            ]
        );
    }

    #[test]
    fn labelled_fields_are_lines_of_their_own() {
        let text = "Date: 14 October 2025, 14:00\nVenue: Room 2, Harbour Building\n";
        assert_eq!(
            paragraphs(text),
            [
                "Date: 14 October 2025, 14:00",
                "Venue: Room 2, Harbour Building"
            ]
        );
    }

    #[test]
    fn list_items_start_blocks() {
        let text = "Measures:\n- first item\n- second item\n";
        let sk = skeleton(text);
        assert_eq!(sk.blocks.len(), 3);
        assert_eq!(sk.blocks[1].kind, BlockKind::ListItem);
    }

    #[test]
    fn comments_and_urls_are_blanked() {
        let text = "<!-- policy-lsp: ignore x -->\nSee https://example.org/a?b=c.\n";
        let sk = skeleton(text);
        assert_eq!(sk.blocks.len(), 1);
        assert!(!sk.prose.contains("example.org"));
        assert!(sk.prose.contains("See"));
        assert!(sk.prose.ends_with(".\n"));
    }
}
