//! Headings and sections (RULES.md §1).
//!
//! One pass over the blocks. Each block is recognised as a heading or not:
//! - Markdown ATX/Setext headings (levels written in the source);
//! - numbered heading lines (`1.`, `1.1`, `IV.`, `A.`, `Article 12`, `Part III`, `제1조`,
//!   `Ⅰ.`, …) followed by a short title;
//! - in plain text, lines underlined with `===`/`---` (reStructuredText style) and
//!   *headline lines*: short, mostly capitalised lines without sentence punctuation.
//!
//! Levels come from the source (Markdown), from the title rule (the first plain-text
//! headline is the title, the headlines right under it its deck), from numbering depth
//! (`1` < `1.1`), from the keyword hierarchy (Part > Chapter > Section/Article), and
//! otherwise from the order styles first appear: the open headings form a stack; a style
//! already open goes back to its level, a new style goes one deeper. That stack is also
//! the stack of open sections, so a section closes when a heading of the same or a
//! higher level arrives.

use std::ops::Range;

use super::document::{Block, BlockKind, Document, DocumentKind};
use super::numerals::roman_value;

/// A section of the draft: its heading and everything up to the next heading of the same
/// or a higher level.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Section {
    /// 1 for the title or top-level sections.
    pub level: u8,
    /// Index of the heading block.
    pub block: usize,
    /// The heading text as written (numbering kept, Markdown markers removed).
    pub heading: Range<usize>,
    /// From the heading to the end of the section's last content (trailing blank lines
    /// excluded).
    pub range: Range<usize>,
    /// The heading's numbering label, if it has one.
    pub numbering: Option<Numbering>,
}

/// The numbering label of a heading: `5`, `1.1`, `IV`, `B`, `Article 9`, `제4조`, `Ⅴ`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Numbering {
    /// Byte range of the label, without the `.` that may follow it.
    pub label: Range<usize>,
    pub scheme: NumberingScheme,
    /// The numbers in the label: `[1, 2]` for `1.2`, `[4]` for `IV`, `[2]` for `B`,
    /// `[9]` for `Article 9`, `[4, 2]` for `제4조의2`.
    pub components: Vec<u32>,
}

impl Numbering {
    /// How many levels the label itself spans: `1.1.1` is three deep, everything else one.
    fn depth(&self) -> u8 {
        match self.scheme {
            NumberingScheme::Decimal | NumberingScheme::Keyword(_) => {
                u8::try_from(self.components.len()).unwrap_or(u8::MAX)
            }
            _ => 1,
        }
    }
}

/// How a label counts; two labels continue the same sequence when their schemes are equal.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum NumberingScheme {
    /// `1.`, `1.1`, `1.1.1`
    Decimal,
    /// `I.`, `IV.`, `Ⅴ`; `upper` is false for `iv.`, `ⅳ`.
    Roman { upper: bool },
    /// `A.`, `b.`
    Letter { upper: bool },
    /// Korean ordinal syllables `가.`, `나.`, `다.`, …
    HangulLetter,
    /// `Article 9`, `Part III`, `Annex A`.
    Keyword(Keyword),
    /// `제2장`, `제4조`.
    Korean(KoreanUnit),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Keyword {
    Part,
    Chapter,
    Section,
    Article,
    Annex,
    Appendix,
    Schedule,
}

/// The units of Korean legislative numbering, outermost first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum KoreanUnit {
    /// 편
    Part,
    /// 장
    Chapter,
    /// 절
    Section,
    /// 관
    SubSection,
    /// 조
    Article,
}

impl NumberingScheme {
    /// Place in a fixed legislative hierarchy (smaller is outer), for schemes that have
    /// one. Section and Article share a rank: documents nest them either way round, so
    /// between the two the order of appearance decides.
    fn rank(self) -> Option<u8> {
        match self {
            NumberingScheme::Keyword(Keyword::Part) => Some(0),
            NumberingScheme::Keyword(Keyword::Chapter) => Some(1),
            NumberingScheme::Keyword(Keyword::Section | Keyword::Article) => Some(2),
            NumberingScheme::Korean(unit) => Some(match unit {
                KoreanUnit::Part => 0,
                KoreanUnit::Chapter => 1,
                KoreanUnit::Section => 2,
                KoreanUnit::SubSection => 3,
                KoreanUnit::Article => 4,
            }),
            _ => None,
        }
    }

    /// Annexes and schedules sit at the top, whatever precedes them.
    fn is_top_level(self) -> bool {
        matches!(
            self,
            NumberingScheme::Keyword(Keyword::Annex | Keyword::Appendix | Keyword::Schedule)
        )
    }
}

/// Reads the draft's headings, promotes heading paragraphs to [`BlockKind::Heading`] (a
/// plain-text paragraph that starts with a heading line is split in two), and returns the
/// sections in document order.
pub(crate) fn build_sections(doc: &mut Document) -> Vec<Section> {
    let marks = recognise_headings(doc);
    outline(&doc.text, &mut doc.blocks, marks)
}

/// A heading found in a block, before its level is known: what the outline needs of it.
/// Recognising is local to the block; levels and sections depend on every heading before.
#[derive(Clone, Debug)]
pub(crate) struct HeadingMark {
    /// Index of the heading block.
    pub block: usize,
    /// The heading text, markers excluded (its section's `heading`).
    pub heading: Range<usize>,
    shape: Shape,
}

impl HeadingMark {
    /// The same mark in a text where its blocks start `blocks` later and its bytes `bytes`
    /// later.
    pub(crate) fn shifted(&self, blocks: usize, bytes: usize) -> HeadingMark {
        let shift_numbering = |n: &Numbering| Numbering {
            label: n.label.start + bytes..n.label.end + bytes,
            scheme: n.scheme,
            components: n.components.clone(),
        };
        let shape = match &self.shape {
            Shape::Markdown { level, numbering } => Shape::Markdown {
                level: *level,
                numbering: numbering.as_ref().map(shift_numbering),
            },
            Shape::Numbered(n) => Shape::Numbered(shift_numbering(n)),
            Shape::Underlined {
                adornment,
                numbering,
            } => Shape::Underlined {
                adornment: *adornment,
                numbering: numbering.as_ref().map(shift_numbering),
            },
            Shape::Headline => Shape::Headline,
        };
        HeadingMark {
            block: self.block + blocks,
            heading: self.heading.start + bytes..self.heading.end + bytes,
            shape,
        }
    }
}

/// The block-local half of [`build_sections`]: recognises each block as a heading or not,
/// promotes headings to [`BlockKind::Heading`] (level 0 until [`outline`] gives them
/// theirs) and splits a plain-text paragraph that starts with a heading line.
pub(crate) fn recognise_headings(doc: &mut Document) -> Vec<HeadingMark> {
    let original = std::mem::take(&mut doc.blocks);
    let mut blocks = Vec::with_capacity(original.len());
    let mut marks = Vec::new();
    for block in original {
        let Some(found) = recognise(&doc.text, &doc.prose, doc.kind, &block) else {
            blocks.push(block);
            continue;
        };
        let mut heading = block;
        heading.kind = BlockKind::Heading { level: 0 };
        heading.range = found.heading.clone();
        marks.push(HeadingMark {
            block: blocks.len(),
            heading: found.heading,
            shape: found.shape,
        });
        blocks.push(heading);
        if let Some(body) = found.body {
            blocks.push(Block::new(BlockKind::Paragraph, body));
        }
    }
    doc.blocks = blocks;
    marks
}

/// The document-wide half of [`build_sections`]: levels for the headings `marks` (in
/// order) found in `blocks`, and the sections. Every block that is not a heading is body
/// text between headings.
pub(crate) fn outline(
    text: &str,
    blocks: &mut [Block],
    marks: impl IntoIterator<Item = HeadingMark>,
) -> Vec<Section> {
    let marks = marks.into_iter();
    let mut outline = Outline::new(text, marks.size_hint().0);
    let mut next = 0;
    for mark in marks {
        if mark.block > next {
            outline.body_block();
        }
        let level = outline.open(mark.block, mark.heading, mark.shape);
        blocks[mark.block].kind = BlockKind::Heading { level };
        next = mark.block + 1;
    }
    outline.finish()
}

/// The outline as text, in the format of the corpus `.outline` files: one heading per
/// line as written, two spaces of indent per level below the top level present.
pub fn outline_text(doc: &Document) -> String {
    let top = doc.sections.iter().map(|s| s.level).min().unwrap_or(1);
    let mut out = String::new();
    for section in &doc.sections {
        for _ in top..section.level {
            out.push_str("  ");
        }
        // A heading wrapped over several lines reads as one line in an outline.
        let lines = doc
            .source(section.heading.clone())
            .split(['\n', '\r'])
            .map(str::trim);
        for (i, line) in lines.filter(|l| !l.is_empty()).enumerate() {
            if i > 0 {
                out.push(' ');
            }
            out.push_str(line);
        }
        out.push('\n');
    }
    out
}

// ---------------------------------------------------------------------------------------
// Recognising headings

/// How a block was recognised as a heading; decides how its level is found.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Shape {
    /// Markdown ATX or Setext heading, with the level written in the source.
    Markdown {
        level: u8,
        numbering: Option<Numbering>,
    },
    /// A numbering label and a short title.
    Numbered(Numbering),
    /// Plain text: a line underlined with `adornment`.
    Underlined {
        adornment: char,
        numbering: Option<Numbering>,
    },
    /// Plain text: a short, mostly capitalised line.
    Headline,
}

struct Recognised {
    /// The heading text, markers excluded.
    heading: Range<usize>,
    shape: Shape,
    /// Text of the block after its heading line, when the heading only opened the block.
    body: Option<Range<usize>>,
}

/// Plain-text headline lines are at most this many words (RULES.md: "~20"; press
/// headlines with a quoted deck run to about that length).
const MAX_HEADLINE_WORDS: usize = 22;
/// A numbered heading's title is a few words; beyond this it is a numbered paragraph.
const MAX_TITLE_WORDS: usize = 12;

fn recognise(text: &str, prose: &str, kind: DocumentKind, block: &Block) -> Option<Recognised> {
    let range = block.range.clone();
    // Quoted text is someone else's words: a heading-like line in it doesn't structure
    // the draft (a Markdown heading written inside a quote still counts).
    if block.block_quote.is_some() && !block.is_heading() {
        return None;
    }
    match block.kind {
        BlockKind::Heading { level } => Some(Recognised {
            shape: Shape::Markdown {
                level,
                numbering: first_line(prose, range.clone()).and_then(|line| label_at(prose, line)),
            },
            heading: range,
            body: None,
        }),
        BlockKind::Paragraph => match kind {
            DocumentKind::Markdown => numbered_line(prose, range, Strictness::Alone),
            DocumentKind::PlainText => recognise_plain_paragraph(prose, range),
        },
        BlockKind::ListItem if kind == DocumentKind::Markdown => underlined_list_item(text, range),
        _ => None,
    }
}

/// `1. Introduction` over a `---` or `===` line. CommonMark reads a list item (and a
/// thematic break), but the author wrote a numbered Setext heading: `=` is level 1, `-`
/// level 2. The heading keeps its number, which the parser took as a list marker.
fn underlined_list_item(text: &str, item: Range<usize>) -> Option<Recognised> {
    let line_start = text[..item.start].rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let item_line_end = line_end(text, item.start);
    let next_start = item_line_end + line_break_len(&text[item_line_end..]);
    let underline = next_start..line_end(text, next_start);
    if underline.is_empty() || item.end > underline.end {
        return None;
    }
    let level = match adornment(text[underline].trim())? {
        '=' => 1,
        '-' => 2,
        _ => return None,
    };
    let heading = first_line(text, line_start..item_line_end)?;
    let numbering = label_at(text, heading.clone())
        .filter(|numbering| numbering.scheme == NumberingScheme::Decimal)?;
    Some(Recognised {
        heading,
        shape: Shape::Markdown {
            level,
            numbering: Some(numbering),
        },
        body: None,
    })
}

/// Offset of the line break (or the end of the text) at or after `offset`.
fn line_end(text: &str, offset: usize) -> usize {
    text[offset..]
        .find(['\n', '\r'])
        .map_or(text.len(), |i| offset + i)
}

/// Length of the line break `text` starts with: 2 for CRLF, 1 for LF or CR, 0 for none.
fn line_break_len(text: &str) -> usize {
    if text.starts_with("\r\n") {
        2
    } else {
        usize::from(text.starts_with(['\n', '\r']))
    }
}

/// How sure the title of a numbered line must look.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Strictness {
    /// The line is a block of its own: a short title is enough.
    Alone,
    /// Body text follows on the next line of the same block: only a numbering that cannot
    /// be a list item (a keyword) or a Title Case title is trusted to start a heading.
    Opening,
}

fn recognise_plain_paragraph(prose: &str, range: Range<usize>) -> Option<Recognised> {
    let mut lines = line_ranges(prose, range.clone());
    let first = lines.next()?;
    let Some(second) = lines.next() else {
        return numbered_line(prose, first.clone(), Strictness::Alone).or_else(|| {
            is_headline(&prose[first.clone()]).then_some(Recognised {
                heading: first,
                shape: Shape::Headline,
                body: None,
            })
        });
    };
    if let Some(adornment) = adornment(&prose[second]) {
        let text = &prose[first.clone()];
        if has_more_words_than(text, MAX_HEADLINE_WORDS) || is_credit_line(text) {
            return None;
        }
        return Some(Recognised {
            shape: Shape::Underlined {
                adornment,
                numbering: label_at(prose, first.clone()),
            },
            heading: first,
            body: lines.next().map(|third| third.start..range.end),
        });
    }
    if let Some(mut heading) = numbered_line(prose, first.clone(), Strictness::Opening) {
        let body_start = line_ranges(prose, first.end..range.end).next()?.start;
        heading.body = Some(body_start..range.end);
        return Some(heading);
    }
    is_headline(&prose[range.clone()]).then_some(Recognised {
        heading: range,
        shape: Shape::Headline,
        body: None,
    })
}

/// A numbered heading: a single line with a label and a short title.
fn numbered_line(prose: &str, range: Range<usize>, strictness: Strictness) -> Option<Recognised> {
    let line = &prose[range.clone()];
    if line.contains(['\n', '\r']) {
        return None;
    }
    let label = parse_label(line)?;
    let title = line[label.title_start..].trim();
    let keyworded = matches!(
        label.scheme,
        NumberingScheme::Keyword(_) | NumberingScheme::Korean(_)
    );
    let title_ok = if title.is_empty() {
        keyworded
    } else {
        is_short_title(title)
            && (strictness == Strictness::Alone || keyworded || is_mostly_capitalised(title))
    };
    title_ok.then(|| Recognised {
        shape: Shape::Numbered(label.numbering(range.start)),
        heading: range,
        body: None,
    })
}

/// A numbered heading's title: a few words, starting with a capital (or a script without
/// case), not a sentence that runs on or stops mid-way.
fn is_short_title(title: &str) -> bool {
    if has_more_words_than(title, MAX_TITLE_WORDS)
        || title
            .chars()
            .find(|c| c.is_alphabetic())
            .is_some_and(char::is_lowercase)
        || ends_mid_sentence(title)
        || has_sentence_break(title)
    {
        return false;
    }
    match final_punctuation(title) {
        Some(',' | ';' | ':') => false,
        // `Definitions.` is a title; `Designate seven hubs.` is a list item.
        Some('.') => is_mostly_capitalised(title),
        _ => true,
    }
}

/// A plain-text headline line (RULES.md §1).
fn is_headline(text: &str) -> bool {
    let starts_like_text = text
        .chars()
        .next()
        .is_some_and(|c| c.is_alphabetic() || c.is_ascii_digit() || is_opening_quote(c));
    starts_like_text
        && !has_more_words_than(text, MAX_HEADLINE_WORDS)
        // Case can't be judged in Hangul.
        && !text.chars().any(is_hangul)
        && !is_credit_line(text)
        && !matches!(final_punctuation(text), Some('.' | ';' | ':' | ','))
        && !ends_mid_sentence(text)
        && !has_sentence_break(text)
        && is_mostly_capitalised(text)
        && !is_dateline(text)
        && !text.contains(['\n', '\r'])
        && !is_field_line(text)
}

/// `Date: 14 October 2025`, `Venue: Room 2`: a labelled field of a memo or minutes, not a
/// heading (one or two words, then a colon).
fn is_field_line(text: &str) -> bool {
    text.split_once(':').is_some_and(|(label, value)| {
        !value.trim().is_empty() && (1..=2).contains(&label.split_whitespace().take(3).count())
    })
}

/// A line whose only words are dates (`14 March 2024`, `Monday, June 3`): a dateline.
fn is_dateline(text: &str) -> bool {
    const CALENDAR_WORDS: [&str; 19] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ];
    text.split_whitespace()
        .map(word_core)
        .filter(|word| word.chars().next().is_some_and(char::is_alphabetic))
        .all(|word| CALENDAR_WORDS.contains(&word.to_lowercase().as_str()))
}

/// `© …`, `Copyright …`, `… All rights reserved`: a credit, never a heading.
fn is_credit_line(text: &str) -> bool {
    let lower = text.to_lowercase();
    text.contains('©') || lower.starts_with("copyright") || lower.contains("all rights reserved")
}

/// A reStructuredText-style underline: three or more of one punctuation character.
fn adornment(line: &str) -> Option<char> {
    let mut chars = line.chars();
    let first = chars.next().filter(|c| "=-~^*#+_".contains(*c))?;
    (line.len() >= 3 && chars.all(|c| c == first)).then_some(first)
}

/// Words a title leaves in lower case. They don't count when judging capitalisation, and
/// a line that ends in one was cut mid-sentence.
const SMALL_WORDS: &[&str] = &[
    "a", "about", "across", "after", "against", "among", "an", "and", "as", "at", "before",
    "between", "but", "by", "during", "for", "from", "if", "in", "into", "nor", "of", "off", "on",
    "onto", "or", "over", "per", "since", "so", "than", "that", "the", "through", "to", "under",
    "until", "up", "upon", "versus", "via", "vs", "when", "where", "whether", "which", "while",
    "who", "with", "within", "without", "yet",
];

fn is_small_word(word: &str) -> bool {
    SMALL_WORDS.contains(&word)
}

/// At least two thirds of the words that could be capitalised are (small words and
/// numbers aside).
fn is_mostly_capitalised(text: &str) -> bool {
    let mut significant = 0;
    let mut capitalised = 0;
    for word in text.split_whitespace().map(word_core) {
        let Some(first) = word.chars().next().filter(|c| c.is_alphabetic()) else {
            continue;
        };
        if first.is_lowercase() && is_small_word(word) {
            continue;
        }
        significant += 1;
        if first.is_uppercase() {
            capitalised += 1;
        }
    }
    significant > 0 && capitalised * 3 >= significant * 2
}

/// The last word is a lower-case article, preposition or conjunction: the line breaks off.
fn ends_mid_sentence(text: &str) -> bool {
    text.split_whitespace()
        .next_back()
        .map(word_core)
        .is_some_and(is_small_word)
}

/// A sentence ends inside the text (`… the scheme. The ministry …`). An ellipsis between
/// headline parts and abbreviations such as `U.S.` don't count.
fn has_sentence_break(text: &str) -> bool {
    let words: Vec<&str> = text.split_whitespace().collect();
    words.windows(2).any(|pair| {
        let (word, next) = (pair[0], pair[1]);
        let Some(stem) = word.strip_suffix(['.', '!', '?']) else {
            return false;
        };
        let ends_in_lowercase_word = stem.len() >= 3
            && !stem.ends_with('.')
            && stem.chars().rev().take(3).all(char::is_lowercase);
        ends_in_lowercase_word && next.chars().next().is_some_and(char::is_uppercase)
    })
}

/// The punctuation a text ends with, looking through closing quotes and brackets; `None`
/// for an ellipsis, which headlines use freely.
fn final_punctuation(text: &str) -> Option<char> {
    let text = text.trim_end_matches(|c: char| is_closing_quote(c) || c.is_whitespace());
    if text.ends_with("...") || text.ends_with('…') {
        return None;
    }
    text.chars()
        .next_back()
        .filter(|c| c.is_ascii_punctuation())
}

/// A word without the quotes and punctuation around it.
fn word_core(word: &str) -> &str {
    word.trim_matches(|c: char| !c.is_alphanumeric())
}

/// Whether `text` has more than `limit` words; reads no further than the word after the
/// limit, so a long paragraph costs no more than a short one.
fn has_more_words_than(text: &str, limit: usize) -> bool {
    text.split_whitespace().nth(limit).is_some()
}

fn is_opening_quote(c: char) -> bool {
    matches!(c, '"' | '\'' | '“' | '‘' | '「' | '『' | '(' | '[')
}

fn is_closing_quote(c: char) -> bool {
    matches!(c, '"' | '\'' | '”' | '’' | '」' | '』' | ')' | ']')
}

fn is_hangul(c: char) -> bool {
    matches!(c, '\u{AC00}'..='\u{D7A3}' | '\u{1100}'..='\u{11FF}' | '\u{3130}'..='\u{318F}')
}

/// The trimmed, non-empty lines inside `range` (a CRLF leaves an empty piece, skipped).
fn line_ranges(text: &str, range: Range<usize>) -> impl Iterator<Item = Range<usize>> + '_ {
    let base = range.start;
    text[range]
        .split(['\n', '\r'])
        .scan(base, |start, line| {
            let line_start = *start;
            *start += line.len() + 1;
            let lead = line.len() - line.trim_start().len();
            let trimmed = line.trim();
            Some(line_start + lead..line_start + lead + trimmed.len())
        })
        .filter(|r| !r.is_empty())
}

fn first_line(text: &str, range: Range<usize>) -> Option<Range<usize>> {
    line_ranges(text, range).next()
}

// ---------------------------------------------------------------------------------------
// Numbering labels

/// A numbering label found at the start of a line, offsets relative to the line.
struct Label {
    range: Range<usize>,
    scheme: NumberingScheme,
    components: Vec<u32>,
    /// Where the title starts, past the label and its delimiter.
    title_start: usize,
}

impl Label {
    fn numbering(self, line_start: usize) -> Numbering {
        Numbering {
            label: line_start + self.range.start..line_start + self.range.end,
            scheme: self.scheme,
            components: self.components,
        }
    }
}

/// The numbering of the line at `range`, if it starts with a label.
fn label_at(text: &str, range: Range<usize>) -> Option<Numbering> {
    parse_label(&text[range.clone()]).map(|label| label.numbering(range.start))
}

fn parse_label(line: &str) -> Option<Label> {
    korean_label(line)
        .or_else(|| keyword_label(line))
        .or_else(|| ordinal_label(line))
}

/// `제4조`, `제 2 장`, `제4조의2`, followed by a space, a bracket or the end.
fn korean_label(line: &str) -> Option<Label> {
    let rest = line.strip_prefix('제')?;
    let mut at = line.len() - rest.len();
    at += spaces(&line[at..]);
    let (digits, number) = decimal_run(&line[at..], 4)?;
    at += digits;
    at += spaces(&line[at..]);
    let unit_char = line[at..].chars().next()?;
    let unit = match unit_char {
        '편' => KoreanUnit::Part,
        '장' => KoreanUnit::Chapter,
        '절' => KoreanUnit::Section,
        '관' => KoreanUnit::SubSection,
        '조' => KoreanUnit::Article,
        _ => return None,
    };
    at += unit_char.len_utf8();
    let mut components = vec![number];
    // A branch article: 제4조의2.
    if let Some(branch) = line[at..].strip_prefix('의') {
        if let Some((digits, number)) = decimal_run(branch, 4) {
            at += '의'.len_utf8() + digits;
            components.push(number);
        }
    }
    let end = at;
    let next = line[end..].chars().next();
    if !next.is_none_or(|c| c.is_whitespace() || matches!(c, '(' | '.' | ':' | '（')) {
        return None;
    }
    Some(Label {
        range: 0..end,
        scheme: NumberingScheme::Korean(unit),
        components,
        title_start: end + delimiter_len(&line[end..]),
    })
}

/// `Article 12`, `Part III`, `Annex A`, `Section 4.2`, `CHAPTER 2`, followed by the end,
/// a space, a bracket or a delimiter such as `.`, `:` or a dash.
fn keyword_label(line: &str) -> Option<Label> {
    let word_len = line
        .find(|c: char| !c.is_ascii_alphabetic())
        .unwrap_or(line.len());
    let keyword = keyword(&line[..word_len])?;
    let gap = spaces(&line[word_len..]);
    if gap == 0 {
        return None;
    }
    let number_start = word_len + gap;
    let (number_len, components) = keyword_number(&line[number_start..])?;
    let end = number_start + number_len;
    let next = line[end..].chars().next();
    if !next.is_none_or(|c| c.is_whitespace() || matches!(c, '(' | '.' | ':' | '-' | '–' | '—'))
    {
        return None;
    }
    Some(Label {
        range: 0..end,
        scheme: NumberingScheme::Keyword(keyword),
        components,
        title_start: end + delimiter_len(&line[end..]),
    })
}

/// A keyword written `Article` or `ARTICLE`.
fn keyword(word: &str) -> Option<Keyword> {
    let title_case = word.chars().next().is_some_and(|c| c.is_ascii_uppercase())
        && (word[1..].chars().all(|c| c.is_ascii_lowercase())
            || word.chars().all(|c| c.is_ascii_uppercase()));
    if !title_case {
        return None;
    }
    Some(match word.to_ascii_lowercase().as_str() {
        "part" => Keyword::Part,
        "chapter" => Keyword::Chapter,
        "section" => Keyword::Section,
        "article" => Keyword::Article,
        "annex" => Keyword::Annex,
        "appendix" => Keyword::Appendix,
        "schedule" => Keyword::Schedule,
        _ => return None,
    })
}

/// The number after a keyword: `12`, `4.2`, `III`, `A`. Returns its length and value.
fn keyword_number(text: &str) -> Option<(usize, Vec<u32>)> {
    if let Some(decimal) = decimal_label(text, 4) {
        return Some(decimal);
    }
    let len = text
        .find(|c: char| !c.is_ascii_uppercase())
        .unwrap_or(text.len());
    let value = letter_or_roman(&text[..len])?.1;
    Some((len, vec![value]))
}

/// `1.`, `1.1`, `IV.`, `a.`, `Ⅴ.`, `가.` followed by a title.
fn ordinal_label(line: &str) -> Option<Label> {
    let first = line.chars().next()?;
    let (len, scheme, components, dot_required) = if first.is_ascii_digit() {
        let (len, components) = decimal_label(line, 3)?;
        // A lone number needs its dot: `2025 Budget` is not numbered, `1.1 Scope` is.
        let single = components.len() == 1;
        (len, NumberingScheme::Decimal, components, single)
    } else if let Some((value, upper)) = unicode_roman(first) {
        (
            first.len_utf8(),
            NumberingScheme::Roman { upper },
            vec![value],
            false,
        )
    } else if let Some(index) = hangul_letter(first) {
        (
            first.len_utf8(),
            NumberingScheme::HangulLetter,
            vec![index],
            true,
        )
    } else {
        let len = line
            .find(|c: char| !c.is_ascii_alphabetic())
            .unwrap_or(line.len());
        let (scheme, value) = letter_or_roman(&line[..len])?;
        (len, scheme, vec![value], true)
    };
    let rest = &line[len..];
    let (dot, after) = match rest.strip_prefix('.') {
        Some(after) => (1, after),
        None if dot_required => return None,
        None => (0, rest),
    };
    // Korean titles often follow the dot without a space: `1.추진 배경`.
    let separated = after
        .chars()
        .next()
        .is_some_and(|c| c.is_whitespace() || (dot == 1 && is_hangul(c)));
    if !separated {
        return None;
    }
    Some(Label {
        range: 0..len,
        scheme,
        components,
        title_start: len + dot,
    })
}

/// A letter or Roman numeral label, upper or lower case. Multi-letter labels must be
/// well-formed Roman numerals; a lone `I`, `V` or `X` reads as Roman (the outline turns
/// it into a letter when it continues a lettered list), other lone letters as letters.
fn letter_or_roman(label: &str) -> Option<(NumberingScheme, u32)> {
    let upper = label.chars().all(|c| c.is_ascii_uppercase());
    let lower = label.chars().all(|c| c.is_ascii_lowercase());
    if label.is_empty() || !(upper || lower) {
        return None;
    }
    if label.len() == 1 && !matches!(label, "I" | "V" | "X" | "i" | "v" | "x") {
        let index = u32::from(label.to_ascii_uppercase().as_bytes()[0] - b'A') + 1;
        return Some((NumberingScheme::Letter { upper }, index));
    }
    roman_value(&label.to_ascii_uppercase()).map(|value| (NumberingScheme::Roman { upper }, value))
}

/// `Ⅰ`..`Ⅻ` (upper case) and `ⅰ`..`ⅻ`.
fn unicode_roman(c: char) -> Option<(u32, bool)> {
    match c {
        'Ⅰ'..='Ⅻ' => Some((c as u32 - 'Ⅰ' as u32 + 1, true)),
        'ⅰ'..='ⅻ' => Some((c as u32 - 'ⅰ' as u32 + 1, false)),
        _ => None,
    }
}

/// The position of `가 나 다 …` in the Korean ordinal sequence.
fn hangul_letter(c: char) -> Option<u32> {
    const ORDER: [char; 14] = [
        '가', '나', '다', '라', '마', '바', '사', '아', '자', '차', '카', '타', '파', '하',
    ];
    ORDER.iter().position(|&o| o == c).map(|i| i as u32 + 1)
}

/// `1`, `1.1`, `1.1.1` (each part at most `max_digits` long). Returns its length and parts.
fn decimal_label(text: &str, max_digits: usize) -> Option<(usize, Vec<u32>)> {
    let mut len = 0;
    let mut components = Vec::new();
    loop {
        let (digits, value) = decimal_run(&text[len..], max_digits)?;
        len += digits;
        components.push(value);
        let continues = text[len..].starts_with('.')
            && text[len + 1..].starts_with(|c: char| c.is_ascii_digit());
        if !continues {
            return Some((len, components));
        }
        len += 1;
    }
}

/// Leading ASCII digits, at most `max_digits` of them, and their value.
fn decimal_run(text: &str, max_digits: usize) -> Option<(usize, u32)> {
    let len = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    if len == 0 || len > max_digits {
        return None;
    }
    Some((len, text[..len].parse().ok()?))
}

/// Length of leading spaces and tabs.
fn spaces(text: &str) -> usize {
    text.len() - text.trim_start_matches([' ', '\t']).len()
}

/// Length of what separates a keyword label from its title: spaces and one of `.`, `:`,
/// or a dash (a bracket stays with the title: `Article 1 (Purpose)`).
fn delimiter_len(text: &str) -> usize {
    let trimmed = text.trim_start_matches(|c: char| c.is_whitespace());
    let after = trimmed
        .strip_prefix(['.', ':', '-', '–', '—'])
        .unwrap_or(trimmed);
    text.len() - after.trim_start().len()
}

// ---------------------------------------------------------------------------------------
// Levels and section ranges

/// How a heading takes part in finding levels.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Style {
    /// The level is fixed: a Markdown heading, or the plain-text title.
    Fixed,
    /// A sub-title right under the plain-text title: level 2, never a parent.
    Deck,
    Numbered(NumberingScheme),
    Underlined(char),
    Headline,
}

impl Style {
    fn rank(self) -> Option<u8> {
        match self {
            Style::Numbered(scheme) => scheme.rank(),
            _ => None,
        }
    }
}

/// A heading whose section is still open.
struct OpenHeading {
    section: usize,
    style: Style,
    level: u8,
    /// Level of this style's first numbering depth: `1.1` at level 3 has base 2.
    base: u8,
}

/// Assigns levels and builds sections, one heading at a time.
struct Outline<'a> {
    text: &'a str,
    sections: Vec<Section>,
    /// Open sections, outermost first; their levels strictly increase.
    open: Vec<OpenHeading>,
    /// Only headings since the plain-text title: a headline line here is its deck.
    after_title: bool,
}

impl<'a> Outline<'a> {
    /// An outline for about `headings` headings.
    fn new(text: &'a str, headings: usize) -> Self {
        Outline {
            text,
            sections: Vec::with_capacity(headings),
            open: Vec::new(),
            after_title: false,
        }
    }

    fn body_block(&mut self) {
        self.after_title = false;
    }

    /// Opens the section of heading block `block` and returns its level.
    fn open(&mut self, block: usize, heading: Range<usize>, shape: Shape) -> u8 {
        let is_title = shape == Shape::Headline && self.sections.is_empty();
        let (style, level, base, numbering) = match shape {
            Shape::Markdown { level, numbering } => (Style::Fixed, level, level, numbering),
            Shape::Headline if is_title => (Style::Fixed, 1, 1, None),
            Shape::Headline if self.after_title => (Style::Deck, 2, 2, None),
            Shape::Headline => {
                let (level, base) = self.nest(Style::Headline, 1);
                (Style::Headline, level, base, None)
            }
            Shape::Underlined {
                adornment,
                numbering,
            } => {
                let style = Style::Underlined(adornment);
                let (level, base) = self.nest(style, 1);
                (style, level, base, numbering)
            }
            Shape::Numbered(mut numbering) => {
                self.read_as_letter_if_continuing(&mut numbering);
                let style = Style::Numbered(numbering.scheme);
                let (level, base) = self.nest(style, numbering.depth());
                (style, level, base, Some(numbering))
            }
        };
        self.after_title = is_title || style == Style::Deck;
        self.close_from(level, heading.start);
        self.open.push(OpenHeading {
            section: self.sections.len(),
            style,
            level,
            base,
        });
        self.sections.push(Section {
            level,
            block,
            range: heading.clone(),
            heading,
            numbering,
        });
        level
    }

    /// Level and base for a heading of `style` whose label is `depth` deep.
    fn nest(&self, style: Style, depth: u8) -> (u8, u8) {
        let base = self.base_for(style);
        (base.saturating_add(depth.max(1) - 1), base)
    }

    fn base_for(&self, style: Style) -> u8 {
        // A style already open: back to its level.
        if let Some(same) = self.open.iter().rev().find(|h| h.style == style) {
            return same.base;
        }
        if let Style::Numbered(scheme) = style {
            if scheme.is_top_level() {
                return self.enclosing_fixed_level() + 1;
            }
        }
        // Part before Chapter before Article, whatever came first.
        if let Some(rank) = style.rank() {
            let outranked = self
                .open
                .iter()
                .find(|h| h.style.rank().is_some_and(|r| r > rank));
            if let Some(outranked) = outranked {
                return outranked.base;
            }
        }
        // A new style: one deeper than the innermost open heading.
        let parent = self.open.iter().rev().find(|h| h.style != Style::Deck);
        parent.map_or(0, |h| h.level).saturating_add(1)
    }

    fn enclosing_fixed_level(&self) -> u8 {
        let fixed = self.open.iter().rev().find(|h| h.style == Style::Fixed);
        fixed.map_or(0, |h| h.level)
    }

    /// `I.`, `V.` and `X.` are letters when they follow `H.`, `U.` and `W.`.
    fn read_as_letter_if_continuing(&self, numbering: &mut Numbering) {
        let NumberingScheme::Roman { upper } = numbering.scheme else {
            return;
        };
        if numbering.label.len() != 1 {
            return;
        }
        let letter_index = match numbering.components[..] {
            [1] => 9,
            [5] => 22,
            [10] => 24,
            _ => return,
        };
        let letter = NumberingScheme::Letter { upper };
        let continues = self.open.iter().rev().any(|h| {
            h.style == Style::Numbered(letter)
                && self.sections[h.section]
                    .numbering
                    .as_ref()
                    .is_some_and(|n| n.components == [letter_index - 1])
        });
        if continues {
            numbering.scheme = letter;
            numbering.components = vec![letter_index];
        }
    }

    /// Closes every open section at `level` or deeper, ending it before `next_heading`.
    fn close_from(&mut self, level: u8, next_heading: usize) {
        let end = content_end_before(self.text, next_heading);
        while self.open.last().is_some_and(|h| h.level >= level) {
            if let Some(closed) = self.open.pop() {
                let range = &mut self.sections[closed.section].range;
                range.end = range.end.max(end);
            }
        }
    }

    fn finish(mut self) -> Vec<Section> {
        self.close_from(0, self.text.len());
        self.sections
    }
}

/// Where content ends before the line holding `offset`: trailing blank lines and the
/// heading's own markers (`## `) excluded. Tables and code at a section's end belong to it.
fn content_end_before(text: &str, offset: usize) -> usize {
    let line_start = if offset >= text.len() {
        text.len()
    } else {
        memchr::memrchr2(b'\n', b'\r', &text.as_bytes()[..offset]).map_or(0, |i| i + 1)
    };
    text[..line_start].trim_end().len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    fn parse(text: &str, kind: DocumentKind) -> Document {
        Document::parse(text, kind, &Config::default())
    }

    fn outline(text: &str, kind: DocumentKind) -> String {
        outline_text(&parse(text, kind))
    }

    fn plain(text: &str) -> String {
        outline(text, DocumentKind::PlainText)
    }

    fn markdown(text: &str) -> String {
        outline(text, DocumentKind::Markdown)
    }

    fn numbering(text: &str, kind: DocumentKind) -> Vec<(String, NumberingScheme, Vec<u32>)> {
        let doc = parse(text, kind);
        doc.sections
            .iter()
            .filter_map(|s| s.numbering.as_ref())
            .map(|n| {
                (
                    doc.source(n.label.clone()).to_owned(),
                    n.scheme,
                    n.components.clone(),
                )
            })
            .collect()
    }

    #[test]
    fn markdown_levels_come_from_the_source() {
        let text = "# Harbour Plan\n\nIntro.\n\n## 1. Context\n\nText.\n\n### 1.1 Ports\n\nMore.\n\nTargets\n-------\n\nLast.\n";
        assert_eq!(
            markdown(text),
            "Harbour Plan\n  1. Context\n    1.1 Ports\n  Targets\n"
        );
    }

    #[test]
    fn memo_fields_are_not_headlines() {
        assert_eq!(
            plain("Minutes of the Harbour Council\n\nDate: 14 October 2025, 14:00\nVenue: Room 2, Harbour Building\n\nThe council met.\n"),
            "Minutes of the Harbour Council\n"
        );
    }

    #[test]
    fn markdown_list_items_are_never_headings() {
        let text = "# Plan\n\n1. Build two depots.\n2. Hire drivers.\n\n1. Short Item\n";
        assert_eq!(markdown(text), "Plan\n");
    }

    #[test]
    fn markdown_numbered_setext_headings_read_as_written() {
        let text = "Harbour Plan\n============\n\n1. Context\n----------\n\nText.\n\n2. Targets\n----------\n\n1. Build a depot.\n\n---\n";
        assert_eq!(markdown(text), "Harbour Plan\n  1. Context\n  2. Targets\n");
        let doc = parse(text, DocumentKind::Markdown);
        assert_eq!(
            doc.sections[1]
                .numbering
                .as_ref()
                .map(|n| n.components.clone()),
            Some(vec![1])
        );
    }

    #[test]
    fn markdown_article_paragraphs_are_promoted() {
        let text = "# Rules of the Lending Library\n\nArticle 1 (Purpose)\n\nThe purpose is to lend.\n\nArticle 2 (Loans)\n\nLoans last two weeks.\n";
        assert_eq!(
            markdown(text),
            "Rules of the Lending Library\n  Article 1 (Purpose)\n  Article 2 (Loans)\n"
        );
        let doc = parse(text, DocumentKind::Markdown);
        assert_eq!(doc.blocks[1].kind, BlockKind::Heading { level: 2 });
    }

    #[test]
    fn plain_title_deck_and_headlines() {
        let text = "Council Approves New Tram Line for the Riverside District\n\
            Work to Start in Spring... \"A Long Wait Is Over\"\n\
            The council voted on Monday to approve the tram line after a long debate that ran well into the night and past midnight.\n\
            Residents Raise Concerns Over Noise\n\
            Several residents said the line would pass too close to homes and asked the council to study other routes first.\n\
            © Riverside Gazette. All rights reserved.\n";
        assert_eq!(
            plain(text),
            "Council Approves New Tram Line for the Riverside District\n  \
             Work to Start in Spring... \"A Long Wait Is Over\"\n  \
             Residents Raise Concerns Over Noise\n"
        );
    }

    #[test]
    fn look_alikes_are_not_headlines() {
        let text = "Annual Report of the Parks Board\n\n\
            The board met four times this year.\n\n\
            Members Present:\n\n\
            - Planting Schedule Review\n\n\
            © Parks Board, All Rights Reserved\n\n\
            Friday, 14 March 2025\n\n\
            the board will report again\n\n\
            Plans for the Next Season Depend on the\n";
        assert_eq!(plain(text), "Annual Report of the Parks Board\n");
    }

    #[test]
    fn numbered_plain_headings_sit_under_the_title() {
        let text = "Notice on Bus Fares\n\nIssued by the Transport Office.\n\n1. Background\n\nFares last rose in 2019.\n\n2. New Fares\n\n2.1 Adults\n\nAdults pay more.\n\n2.2 Children\n\n3. Timetable\n";
        assert_eq!(
            plain(text),
            "Notice on Bus Fares\n  1. Background\n  2. New Fares\n    2.1 Adults\n    2.2 Children\n  3. Timetable\n"
        );
    }

    #[test]
    fn keyword_hierarchy_puts_articles_inside_chapters() {
        let text = "Part I General Provisions\n\nChapter 1 Purpose\n\nArticle 1 (Aim)\n\nText.\n\nArticle 2 (Terms)\n\nChapter 2 Licences\n\nArticle 3 (Grant)\n\nPart II Final Provisions\n\nArticle 4 (Entry into Force)\n\nAnnex A Forms\n";
        assert_eq!(
            plain(text),
            "Part I General Provisions\n  Chapter 1 Purpose\n    Article 1 (Aim)\n    Article 2 (Terms)\n  Chapter 2 Licences\n    Article 3 (Grant)\nPart II Final Provisions\n  Article 4 (Entry into Force)\nAnnex A Forms\n"
        );
    }

    #[test]
    fn styles_nest_in_order_of_first_appearance() {
        let text = "I. Overview\n\nText.\n\nA. Aims\n\nB. Means\n\nII. Details\n\nA. Costs\n";
        assert_eq!(
            plain(text),
            "I. Overview\n  A. Aims\n  B. Means\nII. Details\n  A. Costs\n"
        );
    }

    #[test]
    fn a_lone_i_continues_a_lettered_list() {
        let text = "H. Eighth Point\n\nI. Ninth Point\n";
        let got = numbering(text, DocumentKind::PlainText);
        assert_eq!(got[1].1, NumberingScheme::Letter { upper: true });
        assert_eq!(got[1].2, [9]);
        assert_eq!(plain(text), "H. Eighth Point\nI. Ninth Point\n");
    }

    #[test]
    fn korean_numbering() {
        let text = "Village Hall Rules\n\n제1조 (목적) Purpose\n\n① These rules govern the hall.\n\n제1조의2 (정의) Terms\n\nⅠ. 추진 배경\n\n□ 마을 회관을 운영한다.\n\nⅡ. 목표\n";
        assert_eq!(
            plain(text),
            "Village Hall Rules\n  제1조 (목적) Purpose\n  제1조의2 (정의) Terms\n    Ⅰ. 추진 배경\n    Ⅱ. 목표\n"
        );
        let got = numbering(text, DocumentKind::PlainText);
        assert_eq!(
            got[0],
            (
                "제1조".into(),
                NumberingScheme::Korean(KoreanUnit::Article),
                vec![1]
            )
        );
        assert_eq!(got[1].0, "제1조의2");
        assert_eq!(got[1].2, [1, 2]);
        assert_eq!(got[2].0, "Ⅰ");
        assert_eq!(got[3].2, [2]);
    }

    #[test]
    fn korean_sentences_are_not_headings() {
        let text = "제5조에 따라 선정한다.\n\n회관은 매일 연다\n";
        assert_eq!(plain(text), "");
    }

    #[test]
    fn numbering_labels_and_components() {
        let text = "1. Scope\n\n1.2 Terms\n\nIV. Money\n\nB. Items\n\nArticle 9 Fees\n\nPart III\n\nAnnex B. Forms\n\nSection 4.2: Rates\n";
        let got: Vec<_> = numbering(text, DocumentKind::PlainText)
            .into_iter()
            .map(|(label, _, components)| (label, components))
            .collect();
        let expected: Vec<(String, Vec<u32>)> = vec![
            ("1".into(), vec![1]),
            ("1.2".into(), vec![1, 2]),
            ("IV".into(), vec![4]),
            ("B".into(), vec![2]),
            ("Article 9".into(), vec![9]),
            ("Part III".into(), vec![3]),
            ("Annex B".into(), vec![2]),
            ("Section 4.2".into(), vec![4, 2]),
        ];
        assert_eq!(got, expected);
    }

    #[test]
    fn numbered_paragraphs_and_sentences_are_not_headings() {
        let text = "1. The committee reviewed every application received during the spring round and found most of them complete.\n\n\
            2. Hire more staff.\n\n\
            3.5 million households were affected\n\n\
            Article 4 applies to all lenders.\n\n\
            2024 Was a Good Year\n\n\
            4. Background\n";
        assert_eq!(plain(text), "2024 Was a Good Year\n  4. Background\n");
    }

    #[test]
    fn a_numbered_line_opening_a_wrapped_paragraph_is_split_off() {
        let text = "1. General Rules\nMembers must sign in at the desk and\nshow their card.\n\n2. Opening Hours\nThe hall opens at nine.\n";
        let doc = parse(text, DocumentKind::PlainText);
        assert_eq!(outline_text(&doc), "1. General Rules\n2. Opening Hours\n");
        assert_eq!(
            doc.source(doc.blocks[1].range.clone()),
            "Members must sign in at the desk and\nshow their card."
        );
        assert_eq!(doc.blocks[1].kind, BlockKind::Paragraph);
        // A wrapped list item whose first line reads like a sentence stays whole.
        let item = "1. The members agreed that\nthe hall should open earlier.\n";
        assert_eq!(plain(item), "");
    }

    #[test]
    fn underlined_plain_headings() {
        let text = "The Archive\n===========\n\nIntro text here.\n\nMain area\n---------\n\nBody.\n\nOther area\n----------\n";
        assert_eq!(plain(text), "The Archive\n  Main area\n  Other area\n");
    }

    #[test]
    fn section_ranges_span_to_the_next_heading_of_same_or_higher_level() {
        let text = "# Title\n\nIntro.\n\n## One\n\nBody one.\n\n### One A\n\nDeep.\n\n## Two\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n\n";
        let doc = parse(text, DocumentKind::Markdown);
        let ranges: Vec<(&str, &str)> = doc
            .sections
            .iter()
            .map(|s| (doc.source(s.heading.clone()), doc.source(s.range.clone())))
            .collect();
        assert_eq!(ranges[0].0, "Title");
        assert!(ranges[0].1.ends_with("| 1 | 2 |"));
        assert_eq!(ranges[1], ("One", "One\n\nBody one.\n\n### One A\n\nDeep."));
        assert_eq!(ranges[2], ("One A", "One A\n\nDeep."));
        assert_eq!(ranges[3].1, "Two\n\n| a | b |\n|---|---|\n| 1 | 2 |");
    }

    #[test]
    fn headings_in_block_quotes_and_tables_are_not_promoted() {
        let text = "> Article 1 (Quoted)\n\n| Article 2 (Cell) |\n|---|\n| x |\n";
        assert_eq!(markdown(text), "");
    }
}
