//! The parsed draft: its text, its blocks and everything found in them.
//!
//! Parsing never fails: any `&str` yields a `Document`; a broken draft yields findings.

use std::ops::Range;

use super::figures::Figure;
use super::headings::{HeadingMark, Section};
use super::markdown::{self, Definitions, LinkFacts};
use super::plaintext;
use super::quotations::{Quotation, QuoteMark};
use super::suppress::Suppressions;
use super::terms::TermIndex;
use super::text::LineIndex;
use crate::config::Config;

/// Markdown or plain text; decides how blocks are found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DocumentKind {
    Markdown,
    PlainText,
}

impl DocumentKind {
    /// `.md` and `.markdown` are Markdown; everything else is read as plain text.
    pub fn from_file_name(name: &str) -> Self {
        let lower = name.to_ascii_lowercase();
        if lower.ends_with(".md") || lower.ends_with(".markdown") {
            DocumentKind::Markdown
        } else {
            DocumentKind::PlainText
        }
    }
}

/// What a block is. Headings found by numbering or headline shape in plain text are
/// promoted from `Paragraph` by [`super::headings`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BlockKind {
    /// A heading; `level` is 1 for a title. Markdown headings know their level from the
    /// source, other headings get theirs when sections are built.
    Heading {
        level: u8,
    },
    Paragraph,
    ListItem,
    /// A table cell; `header` is the byte range of its column's header cell, if any.
    TableCell {
        header: Option<Range<usize>>,
        is_header: bool,
    },
}

/// A unit of prose: a paragraph, heading, list item or table cell.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Block {
    pub kind: BlockKind,
    /// Byte range of the block's text, from its first to its last prose character.
    pub range: Range<usize>,
    /// Index into [`Document::block_quotes`] when the block sits inside a block quote.
    pub block_quote: Option<usize>,
    /// Where the block's sentences are in [`Document::sentences`] (indices, in order);
    /// one list for the whole draft rather than one per block, so that a draft assembled
    /// from pieces costs no allocation per block.
    pub sentences: Range<usize>,
}

impl Block {
    pub fn new(kind: BlockKind, range: Range<usize>) -> Self {
        Block {
            kind,
            range,
            block_quote: None,
            sentences: 0..0,
        }
    }

    pub fn is_heading(&self) -> bool {
        matches!(self.kind, BlockKind::Heading { .. })
    }
}

/// A Markdown block quote (`> …`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BlockQuote {
    /// Byte range of the whole block quote, markers included.
    pub range: Range<usize>,
    /// Indices of the blocks inside it.
    pub blocks: Range<usize>,
}

/// The result of reading a draft: structure first, then the facts rules look at.
#[derive(Clone, Debug)]
pub struct Document {
    pub text: String,
    pub kind: DocumentKind,
    pub lines: LineIndex,
    /// `text` with every byte that is not prose (markup, code, URLs, link targets, HTML
    /// comments) replaced by a space. Same length as `text`, line breaks kept, so offsets
    /// into one are offsets into the other.
    pub prose: String,
    pub blocks: Vec<Block>,
    pub block_quotes: Vec<BlockQuote>,
    /// Sections in document order (the outline, flattened).
    pub sections: Vec<Section>,
    pub quotations: Vec<Quotation>,
    /// Quote marks with no partner in their paragraph.
    pub unpaired_quote_marks: Vec<QuoteMark>,
    pub figures: Vec<Figure>,
    /// Every block's sentence ranges, block after block; [`Block::sentences`] says which
    /// are a block's ([`Document::sentences_of`]).
    pub sentences: Vec<Range<usize>>,
    /// Terms the draft defines.
    pub terms: TermIndex,
    pub suppressions: Suppressions,
}

/// What the block builders hand back: blocks, block quotes and the prose mask.
pub(crate) struct Skeleton {
    pub prose: String,
    pub blocks: Vec<Block>,
    pub block_quotes: Vec<BlockQuote>,
}

impl Document {
    pub fn parse(text: &str, kind: DocumentKind, config: &Config) -> Document {
        let mut doc = Document::skeleton(text, kind);
        doc.suppressions = Suppressions::parse(text, &doc.lines);
        doc.sections = super::headings::build_sections(&mut doc);
        doc.find_block_facts(config);
        doc.terms = TermIndex::build(&doc);
        doc
    }

    /// The block-local stages of [`Document::parse`] on a piece of a draft that no block
    /// crosses: blocks and prose mask, headings recognised (level 0, no sections),
    /// quotations, sentences, figures. No terms, no suppressions. Returns the headings
    /// for [`super::headings::outline`].
    /// A Markdown piece's references to link definitions made elsewhere in the draft are
    /// resolved against `elsewhere`; what the piece says about links is returned too.
    pub(crate) fn parse_local(
        text: &str,
        kind: DocumentKind,
        config: &Config,
        elsewhere: &Definitions,
    ) -> (Document, Vec<HeadingMark>, LinkFacts) {
        let (skeleton, links) = match kind {
            DocumentKind::Markdown => markdown::skeleton_of_piece(text, elsewhere),
            DocumentKind::PlainText => (plaintext::skeleton(text), LinkFacts::default()),
        };
        let mut doc = Document::from_skeleton(text, kind, skeleton);
        let marks = super::headings::recognise_headings(&mut doc);
        doc.find_block_facts(config);
        (doc, marks, links)
    }

    /// The text with its blocks, block quotes and prose mask; nothing found in them yet.
    fn skeleton(text: &str, kind: DocumentKind) -> Document {
        let skeleton = match kind {
            DocumentKind::Markdown => markdown::skeleton(text),
            DocumentKind::PlainText => plaintext::skeleton(text),
        };
        Document::from_skeleton(text, kind, skeleton)
    }

    fn from_skeleton(text: &str, kind: DocumentKind, skeleton: Skeleton) -> Document {
        Document {
            text: text.to_owned(),
            kind,
            lines: LineIndex::new(text),
            prose: skeleton.prose,
            blocks: skeleton.blocks,
            block_quotes: skeleton.block_quotes,
            sections: Vec::new(),
            quotations: Vec::new(),
            unpaired_quote_marks: Vec::new(),
            figures: Vec::new(),
            sentences: Vec::new(),
            terms: TermIndex::default(),
            suppressions: Suppressions::default(),
        }
    }

    /// Quotations, sentences and figures: what is found inside blocks once headings are
    /// recognised.
    fn find_block_facts(&mut self, config: &Config) {
        let (quotations, unpaired) = super::quotations::find(self);
        self.quotations = quotations;
        self.unpaired_quote_marks = unpaired;
        super::sentences::split_all(self);
        self.figures = super::figures::find(self, config);
    }

    /// The sentence ranges of `block`, in order.
    pub fn sentences_of(&self, block: &Block) -> &[Range<usize>] {
        &self.sentences[block.sentences.clone()]
    }

    /// The prose of a range (non-prose bytes blanked).
    pub fn prose(&self, range: Range<usize>) -> &str {
        &self.prose[range]
    }

    /// The source text of a range.
    pub fn source(&self, range: Range<usize>) -> &str {
        &self.text[range]
    }

    /// The quotation that contains byte `offset`, if any (the innermost when nested).
    pub fn quotation_at(&self, offset: usize) -> Option<&Quotation> {
        let after = self.quotations.partition_point(|q| q.range.start <= offset);
        let block = self.block_at(offset)?;
        // The last quotation starting at or before `offset`, then those still open around
        // it (`enclosing`, innermost first): every quotation containing `offset` is among
        // them. Walking back over all the block's quotations instead made a long paragraph
        // with many quotations quadratic (ARCHITECTURE.md, guarantee 4).
        let mut next = after.checked_sub(1);
        std::iter::from_fn(|| {
            let quotation = &self.quotations[next?];
            next = quotation.enclosing;
            Some(quotation)
        })
        .take_while(|q| q.block == block)
        .find(|q| q.range.contains(&offset))
    }

    /// The sentence that contains byte `offset`; the whole block when sentences are
    /// unknown, and an empty range outside every block.
    pub fn sentence_at(&self, offset: usize) -> Range<usize> {
        let Some(block) = self.block_at(offset).map(|i| &self.blocks[i]) else {
            return offset..offset;
        };
        self.sentences_of(block)
            .iter()
            .find(|s| s.start <= offset && offset < s.end)
            .cloned()
            .unwrap_or_else(|| block.range.clone())
    }

    /// Index of the block that contains byte `offset`, if any.
    pub fn block_at(&self, offset: usize) -> Option<usize> {
        let i = self.blocks.partition_point(|b| b.range.end <= offset);
        (i < self.blocks.len() && self.blocks[i].range.start <= offset).then_some(i)
    }
}
