//! Incremental re-analysis: after an edit, only the pieces of the draft that changed are
//! read again.
//!
//! A draft is cut into *chunks* at places no block-local analysis crosses: the start of a
//! line, after a blank line, where a new top-level block begins — never inside a fenced
//! code block, an HTML block, a list, a table or a block quote (for Markdown, the parser
//! itself says where its top-level blocks start), nor inside a plain-text `<!-- … -->`
//! comment. Each chunk is analysed on its own ([`Document::parse_local`]: blocks, prose
//! mask, headings recognised, quotations, sentences, figures, the definitions each block
//! makes, the findings of the [`Scope::Block`] rules and what the [`Scope::Split`] rules
//! gather), with offsets relative to the chunk, and kept. On the next call the text is
//! compared with the previous one; the chunks before and after the changed bytes are
//! reused, the changed region is cut and analysed again, and the [`Document`] is
//! assembled: offsets shifted, then the document-wide facts computed from the chunks'
//! results (heading levels and sections, glossary entries, compound appositives and the
//! term index, suppressions, the line index), the [`Scope::Document`] rules run and the
//! [`Scope::Split`] rules judge. The chunks are independent: when several are read in one
//! call they are read on rayon's pool, and when many are (a freshly opened draft, a paste,
//! a configuration change) the assembly and the document-wide rules run side by side too.
//!
//! The result is always equal to [`super::analyze`] on the same text: same document, same
//! findings in the same order (the tests check it on every fixture, example and generated
//! draft, and after thousands of random edits). A chunk resolves its link references to
//! definitions made in other chunks through the draft's labels, and every chunk is read
//! again when an edit changes them; footnote definitions made elsewhere are appended to
//! the chunk as it is read. A Markdown draft with a metadata block left open is analysed
//! whole.

use std::ops::Range;
use std::sync::{Arc, Mutex};

use pulldown_cmark::{Event, Parser};
use rayon::prelude::*;

use super::document::{Block, BlockKind, BlockQuote, Document, DocumentKind};
use super::figures::Figure;
use super::headings::{self, HeadingMark};
use super::markdown::{self, Definitions, LinkFacts};
use super::quotations::{Quotation, QuotationForm, QuoteMark};
use super::suppress::Suppressions;
use super::terms::{self, CompoundCandidate, Definition, TermIndex, UseHints};
use super::text::LineIndex;
use super::{Analysis, Diagnostic};
use crate::config::Config;
use crate::rules::{self, Gathered, Scope};

/// Chunks are cut at the first top-level block start at least this far into them.
const MIN_CHUNK: usize = 2048;

/// From this many chunks read in one call, the document-wide work runs side by side too.
const PARALLEL_CHUNKS: usize = 8;

/// Uses of terms: byte range and index of the key.
type Uses = Vec<(Range<usize>, usize)>;

/// What one chunk of a draft holds, read on its own, offsets relative to its start.
#[derive(Debug)]
struct ChunkFacts {
    /// The chunk's prose mask (see [`Document::prose`]), kept whole so that assembling
    /// the draft's copies it a chunk at a time.
    prose: String,
    /// The chunk's lines (a chunk starts at a line start and all but the last end with a
    /// line break, so the draft's line index is the chunks' laid end to end).
    lines: LineIndex,
    /// Whether the chunk may hold a suppression directive (none crosses a line break).
    may_suppress: bool,
    blocks: Vec<Block>,
    block_quotes: Vec<BlockQuote>,
    headings: Vec<HeadingMark>,
    /// Whether each heading introduces a list of definitions
    /// ([`terms::is_glossary_heading`]), which depends on the heading alone.
    glossary_headings: Vec<bool>,
    quotations: Vec<Quotation>,
    unpaired_quote_marks: Vec<QuoteMark>,
    figures: Vec<Figure>,
    /// The blocks' sentences (see [`Document::sentences`]).
    sentences: Vec<Range<usize>>,
    /// The definitions each block makes by itself, block by block; `definition_starts[i]`
    /// is where block `i`'s begin (one entry more than there are blocks).
    definitions: Vec<Definition>,
    definition_starts: Vec<usize>,
    /// The compounds the chunk's appositives may end ([`terms::compound_candidates`]),
    /// naming them by their index in `definitions`.
    compound_candidates: Vec<CompoundCandidate>,
    /// Findings of the [`Scope::Block`] rules, unsuppressed, sorted as an analysis's are
    /// (a stable sort of them in rule order).
    diagnostics: Vec<Diagnostic>,
    /// What the [`Scope::Split`] rules gathered, by rule.
    gathered: Vec<(usize, Gathered)>,
    /// The uses found here of the keys of [`AnalysisCache::uses_keys`] (compound
    /// appositive candidates) in their generation, offsets relative to the chunk.
    uses: Mutex<Option<(u64, Uses)>>,
    /// Markdown only: the chunk may open a metadata block that closes only further on,
    /// which the parser reads on into the next chunks.
    document_wide_markup: bool,
    /// Markdown only: the link reference and footnote definitions it makes and the
    /// references it has.
    links: LinkFacts,
}

#[derive(Debug)]
struct Chunk {
    len: usize,
    facts: Arc<ChunkFacts>,
}

/// What [`AnalysisCache::reanalyze`] keeps of one document between calls: the previous
/// text and its chunks. One per open document.
#[derive(Debug)]
pub struct AnalysisCache {
    /// Kind and configuration fingerprint the chunks were read with.
    key: Option<(DocumentKind, u64)>,
    text: String,
    chunks: Vec<Chunk>,
    /// [`MIN_CHUNK`], or smaller in tests.
    min_chunk: usize,
    /// The last keys the term index looked for in the whole draft.
    uses_keys: UsesKeys,
    /// Markdown: the labels of the draft's link reference and footnote definitions the
    /// chunks were read with, and the same as [`Definitions`].
    labels: (Vec<String>, Vec<String>),
    definitions: Definitions,
}

/// How chunks are read: the configuration, the link definitions made anywhere in the
/// draft, and the least size of a chunk.
struct Reading<'a> {
    config: &'a Config,
    elsewhere: &'a Definitions,
    min_chunk: usize,
}

/// pulldown-cmark's least budget for expanding link references, in bytes of destinations
/// and titles (`Parser::new_ext`: the text's length, or this if more).
const EXPANSION_BUDGET: usize = 100_000;

/// Keys the term index looks for in the whole draft (compound appositive candidates).
#[derive(Debug, Default)]
struct UsesKeys {
    keys: Vec<String>,
    /// Bumped when the keys change; names the chunks' `uses`.
    generation: u64,
    /// The search for the keys' first words, compiled when the keys change.
    hints: UseHints,
}

impl Default for AnalysisCache {
    fn default() -> Self {
        AnalysisCache {
            key: None,
            text: String::new(),
            chunks: Vec::new(),
            min_chunk: MIN_CHUNK,
            uses_keys: UsesKeys::default(),
            labels: (Vec::new(), Vec::new()),
            definitions: Definitions::default(),
        }
    }
}

impl AnalysisCache {
    pub fn new() -> Self {
        AnalysisCache::default()
    }

    /// A cache that cuts chunks at every boundary at least `min_chunk` bytes in (tests use
    /// 1, to cut at every place allowed).
    #[doc(hidden)]
    pub fn with_min_chunk(min_chunk: usize) -> Self {
        AnalysisCache {
            min_chunk: min_chunk.max(1),
            ..AnalysisCache::default()
        }
    }

    /// How many chunks the text is cut into, and whether the draft is read whole for its
    /// document-wide markup (tests and benchmarks look).
    #[doc(hidden)]
    pub fn chunking(&self) -> (usize, bool) {
        let whole = self
            .key
            .is_some_and(|(kind, _)| kind == DocumentKind::Markdown)
            && self.read_whole();
        (self.chunks.len(), whole)
    }

    /// Whether a Markdown draft must be analysed whole: a chunk has markup the parser
    /// applies to the whole draft, or its references might exhaust the parser's budget for
    /// expanding them (at least 100,000 bytes of destinations and titles in a draft), which
    /// the whole draft and its chunks, each with a budget of its own, would spend differently.
    fn read_whole(&self) -> bool {
        let facts = || self.chunks.iter().map(|c| &c.facts);
        let references: usize = facts().map(|f| f.links.references).sum();
        let longest = facts()
            .map(|f| f.links.longest_definition)
            .max()
            .unwrap_or(0);
        facts().any(|f| f.document_wide_markup || f.links.swallowed)
            || references.saturating_mul(longest) >= EXPANSION_BUDGET
    }

    /// [`super::analyze`] of `text`, reusing what is known of the previous text: the work
    /// depends on the size of the change (and of the document-wide facts), not the draft.
    pub fn reanalyze(&mut self, text: &str, kind: DocumentKind, config: &Config) -> Analysis {
        let key = (kind, config.fingerprint());
        if self.key != Some(key) {
            self.key = Some(key);
            self.text.clear();
            self.chunks.clear();
        }
        let mut read = self.update_chunks(text, kind, config);
        if kind == DocumentKind::Markdown {
            // A chunk's references to definitions made in other chunks are resolved
            // through the draft's labels as they were when it was read: if an edit
            // changed them, every chunk is read again with the new ones.
            // Borrowed: only a change of labels (rare) needs them copied.
            let labels = |of: fn(&LinkFacts) -> &Vec<String>| {
                let mut labels: Vec<&String> = self
                    .chunks
                    .iter()
                    .flat_map(|c| of(&c.facts.links))
                    .collect();
                labels.sort_unstable();
                labels.dedup();
                labels
            };
            let (links, footnotes) = (labels(|l| &l.labels), labels(|l| &l.footnotes));
            if links.iter().copied().ne(&self.labels.0)
                || footnotes.iter().copied().ne(&self.labels.1)
            {
                let owned = |labels: Vec<&String>| labels.into_iter().cloned().collect();
                self.labels = (owned(links), owned(footnotes));
                self.definitions = Definitions::new(&self.labels.0, &self.labels.1);
                self.chunks.clear();
                read = self.update_chunks(text, kind, config);
            }
        }
        self.text.clear();
        self.text.push_str(text);
        if kind == DocumentKind::Markdown && self.read_whole() {
            return super::analyze(text, kind, config);
        }
        // Side by side only when many chunks were read (an open, a paste, a configuration
        // change): for a keystroke the hand-offs cost more than they save on two cores.
        let parallel = read >= PARALLEL_CHUNKS;
        assemble(
            text,
            kind,
            config,
            &self.chunks,
            &mut self.uses_keys,
            parallel,
        )
    }

    /// Brings the chunks up to date with `text`; returns how many were read.
    fn update_chunks(&mut self, text: &str, kind: DocumentKind, config: &Config) -> usize {
        let reading = Reading {
            config,
            elsewhere: &self.definitions,
            min_chunk: self.min_chunk,
        };
        if self.chunks.is_empty() {
            self.chunks = chunk_region(text, 0, 0, &[], kind, &reading).0;
            return self.chunks.len();
        }
        let old = self.text.as_bytes();
        let new = text.as_bytes();
        if old == new {
            return 0;
        }
        // The changed bytes: old[prefix..old.len() - suffix] became new[prefix..new.len() - suffix].
        let prefix = common_prefix(old, new);
        let suffix = common_suffix(&old[prefix..], &new[prefix..]);
        let old_end = old.len() - suffix;
        let delta = new.len() as isize - old.len() as isize;

        let starts: Vec<usize> = self
            .chunks
            .iter()
            .scan(0, |at, c| {
                let start = *at;
                *at += c.len;
                Some(start)
            })
            .collect();
        // The first chunk to read again: the one holding the first changed byte, or the one
        // before when the change touches its first line (which decides whether a new
        // top-level block starts there).
        let mut first = starts.partition_point(|&s| s <= prefix).saturating_sub(1);
        if first > 0 && prefix <= line_end(old, starts[first]) {
            first -= 1;
        }
        let region_start = starts[first];
        // Old chunk starts at or after the changed bytes, as places in the new text where
        // the region may end.
        let after: Vec<usize> = starts
            .iter()
            .filter(|&&s| s >= old_end && s > region_start)
            .map(|&s| (s as isize + delta) as usize)
            .collect();
        let new_edit_end = (old_end as isize + delta) as usize;
        let (fresh, end) = chunk_region(text, region_start, new_edit_end, &after, kind, &reading);
        // Old chunks up to `end` (old coordinates) are replaced.
        let old_region_end = (end as isize - delta) as usize;
        let last = starts.partition_point(|&s| s < old_region_end);
        let read = fresh.len();
        self.chunks.splice(first..last, fresh);
        read
    }
}

fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    const STEP: usize = 4096;
    let n = a.len().min(b.len());
    let mut i = 0;
    while i + STEP <= n && a[i..i + STEP] == b[i..i + STEP] {
        i += STEP;
    }
    while i < n && a[i] == b[i] {
        i += 1;
    }
    i
}

fn common_suffix(a: &[u8], b: &[u8]) -> usize {
    const STEP: usize = 4096;
    let n = a.len().min(b.len());
    let (la, lb) = (a.len(), b.len());
    let mut i = 0;
    while i + STEP <= n && a[la - i - STEP..la - i] == b[lb - i - STEP..lb - i] {
        i += STEP;
    }
    while i < n && a[la - i - 1] == b[lb - i - 1] {
        i += 1;
    }
    i
}

/// Offset just past the line break of the line holding `at` (or the end of the text).
fn line_end(text: &[u8], at: usize) -> usize {
    memchr::memchr(b'\n', &text[at.min(text.len())..]).map_or(text.len(), |i| at + i + 1)
}

/// Cuts `text[start..]` into chunks and reads them, stopping at the first of `ends` (in
/// order) at or after `min_end` that is a chunk boundary, else at the end of the text.
/// `start` must be a chunk boundary. Returns the chunks and where they end.
fn chunk_region(
    text: &str,
    start: usize,
    min_end: usize,
    ends: &[usize],
    kind: DocumentKind,
    reading: &Reading,
) -> (Vec<Chunk>, usize) {
    let bytes = text.as_bytes();
    let candidates: Vec<usize> = ends.iter().copied().filter(|&e| e >= min_end).collect();
    let mut tried = 0;
    let mut step = 1;
    let (boundaries, end) = loop {
        if tried >= candidates.len() {
            let found = boundaries(&text[start..], kind);
            break (found, text.len());
        }
        let index = (tried + step - 1).min(candidates.len() - 1);
        let window_end = line_end(bytes, candidates[index]);
        let found = boundaries(&text[start..window_end], kind);
        // The first candidate in the window that is a boundary there.
        let hit = candidates[tried..=index]
            .iter()
            .find(|&&c| found.binary_search(&(c - start)).is_ok());
        if let Some(&end) = hit {
            break (found, end);
        }
        tried = index + 1;
        step *= 2;
    };
    let mut pieces = Vec::new();
    let mut chunk_start = start;
    for boundary in boundaries.into_iter().map(|b| b + start) {
        if boundary >= end {
            break;
        }
        if boundary - chunk_start >= reading.min_chunk {
            pieces.push(chunk_start..boundary);
            chunk_start = boundary;
        }
    }
    if end > chunk_start || pieces.is_empty() {
        pieces.push(chunk_start..end);
    }
    (read_chunks(text, &pieces, kind, reading), end)
}

/// Reads the chunks `pieces` of `text`, in order. The chunks are independent, so a
/// freshly opened draft, a paste or a configuration change (many chunks) reads them on
/// rayon's pool; one chunk, the usual keystroke, is read on this thread.
fn read_chunks(
    text: &str,
    pieces: &[Range<usize>],
    kind: DocumentKind,
    reading: &Reading,
) -> Vec<Chunk> {
    if pieces.len() < 2 {
        return pieces
            .iter()
            .map(|r| read_chunk(&text[r.clone()], kind, reading))
            .collect();
    }
    pieces
        .par_iter()
        .map(|r| read_chunk(&text[r.clone()], kind, reading))
        .collect()
}

/// Offsets in `text` (itself starting at a chunk boundary) where a chunk may start: line
/// starts after a blank line ending in `\n`, where a top-level block begins — in Markdown
/// with no indentation (an indented line may continue a list item or be code); in plain
/// text on any line that is not blank, since a blank line ends every plain-text block
/// however the next line is indented (licences and memos indent their paragraphs).
/// Reliable for every offset whose line is complete in `text`.
fn boundaries(text: &str, kind: DocumentKind) -> Vec<usize> {
    let bytes = text.as_bytes();
    let starts_block = |at: usize| -> bool {
        match kind {
            DocumentKind::Markdown => bytes.get(at).is_some_and(|b| !b.is_ascii_whitespace()),
            DocumentKind::PlainText => bytes[at.min(bytes.len())..]
                .iter()
                .take_while(|&&b| b != b'\n' && b != b'\r')
                .any(|b| !matches!(b, b' ' | b'\t')),
        }
    };
    let after_blank_line = |at: usize| -> bool {
        if at == 0 || bytes[at - 1] != b'\n' || !starts_block(at) {
            return false;
        }
        let mut end = at - 1;
        if end > 0 && bytes[end - 1] == b'\r' {
            end -= 1;
        }
        let start = memchr::memrchr2(b'\n', b'\r', &bytes[..end]).map_or(0, |i| i + 1);
        bytes[start..end].iter().all(|b| matches!(b, b' ' | b'\t'))
    };
    match kind {
        DocumentKind::Markdown => {
            let mut out = Vec::new();
            let mut depth = 0usize;
            for (event, range) in Parser::new_ext(text, markdown::OPTIONS).into_offset_iter() {
                match event {
                    Event::Start(_) => {
                        if depth == 0 && after_blank_line(range.start) {
                            out.push(range.start);
                        }
                        depth += 1;
                    }
                    Event::End(_) => depth = depth.saturating_sub(1),
                    _ => {}
                }
            }
            out.dedup();
            out
        }
        DocumentKind::PlainText => {
            // Comments as the prose mask finds them: from `<!--` to the first `-->` after
            // it; one that never closes runs to the end.
            let mut comments = Vec::new();
            let mut from = 0;
            while let Some(open) = memchr::memmem::find(&bytes[from..], b"<!--") {
                let open = from + open;
                match memchr::memmem::find(&bytes[open + 4..], b"-->") {
                    Some(close) => {
                        comments.push(open..open + 4 + close + 3);
                        from = open + 4 + close + 3;
                    }
                    None => {
                        comments.push(open..usize::MAX);
                        break;
                    }
                }
            }
            let mut comments = comments.into_iter().peekable();
            let mut out = Vec::new();
            let mut at = 0;
            while at < bytes.len() {
                while comments.peek().is_some_and(|c| c.end <= at) {
                    comments.next();
                }
                let inside = comments.peek().is_some_and(|c| c.start < at);
                if !inside && after_blank_line(at) {
                    out.push(at);
                }
                at = line_end(bytes, at);
            }
            out
        }
    }
}

/// Reads one chunk on its own.
fn read_chunk(text: &str, kind: DocumentKind, reading: &Reading) -> Chunk {
    let config = reading.config;
    let (doc, headings, links) = Document::parse_local(text, kind, config, reading.elsewhere);
    let mut definitions = Vec::new();
    let mut definition_starts = Vec::with_capacity(doc.blocks.len() + 1);
    for (index, block) in doc.blocks.iter().enumerate() {
        definition_starts.push(definitions.len());
        if !block.is_heading() {
            terms::block_definitions(&doc, index, &mut definitions);
        }
    }
    definition_starts.push(definitions.len());
    let compound_candidates = terms::compound_candidates(&doc, &definitions);
    let mut diagnostics = rules::run_scope(&doc, config, Scope::is_block);
    // In the analysis's order, so that laid end to end they are already sorted.
    diagnostics.sort_by(super::finding_order);
    let gathered = rules::gather_split(&doc, config);
    // Link reference and footnote definitions are read through `Reading::elsewhere`.
    let document_wide_markup = kind == DocumentKind::Markdown && open_metadata_block(text);
    let glossary_headings = headings
        .iter()
        .map(|mark| terms::is_glossary_heading(doc.prose(mark.heading.clone())))
        .collect();
    let Document {
        lines,
        prose,
        blocks,
        block_quotes,
        quotations,
        unpaired_quote_marks,
        figures,
        sentences,
        ..
    } = doc;
    Chunk {
        len: text.len(),
        facts: Arc::new(ChunkFacts {
            prose,
            lines,
            may_suppress: Suppressions::may_hold_directives(text),
            blocks,
            block_quotes,
            headings,
            glossary_headings,
            quotations,
            unpaired_quote_marks,
            figures,
            sentences,
            definitions,
            definition_starts,
            compound_candidates,
            diagnostics,
            gathered,
            uses: Mutex::new(None),
            document_wide_markup,
            links,
        }),
    }
}

/// Whether `text` has a line that may open a YAML-style metadata block (`---` alone,
/// followed by a line that is neither blank nor a closing line) with no closing line (`---`
/// or `...`) after it: pulldown-cmark looks for the closing line as far as the end of the
/// draft, wherever the block starts.
fn open_metadata_block(text: &str) -> bool {
    let bytes = text.as_bytes();
    let line_at = |at: usize| -> &[u8] {
        let end = memchr::memchr(b'\n', &bytes[at..]).map_or(bytes.len(), |i| at + i);
        &bytes[at..end]
    };
    let is_closing = |line: &[u8]| -> bool {
        let body = line.strip_suffix(b"\r").unwrap_or(line);
        let trimmed = body
            .iter()
            .rposition(|&b| b != b' ')
            .map_or(&body[..0], |i| &body[..=i]);
        trimmed == b"---" || trimmed == b"..."
    };
    let mut from = 0;
    while let Some(found) = memchr::memmem::find(&bytes[from..], b"---") {
        let at = from + found;
        from = at + 3;
        if at > 0 && bytes[at - 1] != b'\n' {
            continue;
        }
        let line = line_at(at);
        if !(line.len() >= 3 && line[3..].iter().all(u8::is_ascii_whitespace)) {
            continue;
        }
        let next = line_end(bytes, at);
        if next >= bytes.len() {
            continue;
        }
        let first = line_at(next);
        if first.iter().all(u8::is_ascii_whitespace) || is_closing(first) {
            continue;
        }
        let mut at = line_end(bytes, next);
        let mut closed = false;
        while at < bytes.len() {
            if is_closing(line_at(at)) {
                closed = true;
                break;
            }
            at = line_end(bytes, at);
        }
        if !closed {
            return true;
        }
    }
    false
}

fn shift(range: &Range<usize>, by: usize) -> Range<usize> {
    range.start + by..range.end + by
}

/// The document and findings of `text` from its chunks.
fn assemble(
    text: &str,
    kind: DocumentKind,
    config: &Config,
    chunks: &[Chunk],
    uses_keys: &mut UsesKeys,
    parallel: bool,
) -> Analysis {
    // What depends on the text alone is computed beside what the chunks give.
    let whole = || {
        let mut offset = 0;
        let parts: Vec<(usize, &LineIndex)> = chunks
            .iter()
            .map(|c| {
                offset += c.len;
                (offset - c.len, &c.facts.lines)
            })
            .collect();
        let lines = LineIndex::concat(&parts, text.len());
        let suppressions = if chunks.iter().any(|c| c.facts.may_suppress) {
            Suppressions::parse(text, &lines)
        } else {
            Suppressions::default()
        };
        (text.to_owned(), lines, suppressions)
    };
    let (whole, parts) = join(parallel, whole, || shifted_facts(text, chunks));
    let (owned, lines, suppressions) = whole;
    let Shifted {
        prose,
        blocks,
        block_quotes,
        marks,
        quotations,
        unpaired,
        figures,
        sentences,
        diagnostics: local_diagnostics,
    } = parts;
    let mut doc = Document {
        text: owned,
        kind,
        lines,
        prose,
        blocks,
        block_quotes,
        sections: Vec::new(),
        quotations,
        unpaired_quote_marks: unpaired,
        figures,
        sentences,
        terms: TermIndex::default(),
        suppressions,
    };
    doc.sections = headings::outline(&doc.text, &mut doc.blocks, marks);
    doc.terms = term_index(&doc, chunks, uses_keys);

    let mut offset = 0;
    let pieces: Vec<(usize, &[(usize, Gathered)])> = chunks
        .iter()
        .map(|c| {
            let piece = (offset, c.facts.gathered.as_slice());
            offset += c.len;
            piece
        })
        .collect();
    // The document-wide rules and the judgements are independent: side by side.
    let (document_wide, judged) = join(
        parallel,
        || {
            if parallel {
                rules::run_scope_parallel(&doc, config, Scope::is_document)
            } else {
                rules::run_scope(&doc, config, Scope::is_document)
            }
        },
        || rules::judge_split(&doc, config, &pieces),
    );
    let mut others = document_wide;
    others.extend(judged);
    Analysis::merged(doc, local_diagnostics, others)
}

/// The chunks' facts laid end to end, offsets and indices shifted.
struct Shifted {
    prose: String,
    blocks: Vec<Block>,
    block_quotes: Vec<BlockQuote>,
    marks: Vec<HeadingMark>,
    quotations: Vec<Quotation>,
    unpaired: Vec<QuoteMark>,
    figures: Vec<Figure>,
    sentences: Vec<Range<usize>>,
    /// The [`Scope::Block`] rules' findings.
    diagnostics: Vec<Diagnostic>,
}

/// The chunks' facts laid end to end (see [`Shifted`]).
fn shifted_facts(text: &str, chunks: &[Chunk]) -> Shifted {
    let count = |f: fn(&ChunkFacts) -> usize| chunks.iter().map(|c| f(&c.facts)).sum::<usize>();
    let mut prose = String::with_capacity(text.len());
    let mut blocks = Vec::with_capacity(count(|f| f.blocks.len()));
    let mut block_quotes = Vec::with_capacity(count(|f| f.block_quotes.len()));
    let mut marks = Vec::with_capacity(count(|f| f.headings.len()));
    let mut quotations = Vec::with_capacity(count(|f| f.quotations.len()));
    let mut unpaired = Vec::with_capacity(count(|f| f.unpaired_quote_marks.len()));
    let mut figures = Vec::with_capacity(count(|f| f.figures.len()));
    let mut sentences = Vec::with_capacity(count(|f| f.sentences.len()));
    let mut local_diagnostics = Vec::with_capacity(count(|f| f.diagnostics.len()));
    let mut at = 0;
    for chunk in chunks {
        let f = &*chunk.facts;
        let (b0, bq0, q0, fig0, s0) = (
            blocks.len(),
            block_quotes.len(),
            quotations.len(),
            figures.len(),
            sentences.len(),
        );
        prose.push_str(&f.prose);
        blocks.extend(f.blocks.iter().map(|b| Block {
            kind: match &b.kind {
                BlockKind::TableCell { header, is_header } => BlockKind::TableCell {
                    header: header.as_ref().map(|h| shift(h, at)),
                    is_header: *is_header,
                },
                other => other.clone(),
            },
            range: shift(&b.range, at),
            block_quote: b.block_quote.map(|i| i + bq0),
            sentences: shift(&b.sentences, s0),
        }));
        sentences.extend(f.sentences.iter().map(|s| shift(s, at)));
        block_quotes.extend(f.block_quotes.iter().map(|q| BlockQuote {
            range: shift(&q.range, at),
            blocks: shift(&q.blocks, b0),
        }));
        marks.extend(f.headings.iter().map(|m| m.shifted(b0, at)));
        quotations.extend(f.quotations.iter().map(|q| Quotation {
            range: shift(&q.range, at),
            inner: shift(&q.inner, at),
            block: q.block + b0,
            kind: q.kind,
            form: match &q.form {
                QuotationForm::Marked => QuotationForm::Marked,
                QuotationForm::Block { index, source } => QuotationForm::Block {
                    index: index + bq0,
                    source: source.as_ref().map(|s| shift(s, at)),
                },
            },
            enclosing: q.enclosing.map(|e| e + q0),
        }));
        unpaired.extend(f.unpaired_quote_marks.iter().map(|m| QuoteMark {
            range: shift(&m.range, at),
            block: m.block + b0,
            side: m.side,
        }));
        figures.extend(f.figures.iter().map(|fig| Figure {
            range: shift(&fig.range, at),
            block: fig.block + b0,
            value: fig.value,
            unit: fig.unit.as_ref().map(|u| super::figures::Unit {
                range: shift(&u.range, at),
                kind: u.kind,
            }),
            restates: fig.restates.map(|r| r + fig0),
        }));
        local_diagnostics.extend(f.diagnostics.iter().map(|d| shift_diagnostic(d, at)));
        at += chunk.len;
    }
    Shifted {
        prose,
        blocks,
        block_quotes,
        marks,
        quotations,
        unpaired,
        figures,
        sentences,
        diagnostics: local_diagnostics,
    }
}

/// `rayon::join` when `parallel`, else one after the other on this thread.
fn join<A: Send, B: Send>(
    parallel: bool,
    a: impl FnOnce() -> A + Send,
    b: impl FnOnce() -> B + Send,
) -> (A, B) {
    if parallel {
        rayon::join(a, b)
    } else {
        (a(), b())
    }
}

fn shift_diagnostic(d: &Diagnostic, by: usize) -> Diagnostic {
    let mut d = d.clone();
    d.range = shift(&d.range, by);
    if let Some(fix) = &mut d.fix {
        for edit in &mut fix.edits {
            edit.range = shift(&edit.range, by);
        }
    }
    d
}

/// [`TermIndex::build`] from the chunks' definitions: glossary entries (which depend on
/// the sections) read now, every other definition shifted.
fn term_index(doc: &Document, chunks: &[Chunk], uses_keys: &mut UsesKeys) -> TermIndex {
    let glossary_headings = chunks
        .iter()
        .flat_map(|c| c.facts.glossary_headings.iter().copied());
    let glossary = TermIndex::glossary_blocks(doc, glossary_headings);
    let mut definitions = Vec::new();
    let mut candidates = Vec::new();
    // Where each of a chunk's definitions lands among the draft's.
    let mut landed = Vec::new();
    let (mut at, mut first_block) = (0, 0);
    let mut glossary_at = 0;
    for chunk in chunks {
        let f = &*chunk.facts;
        landed.clear();
        let block_count = f.blocks.len();
        let last_block = first_block + block_count;
        if glossary_at < glossary.len() && glossary[glossary_at] < last_block {
            // Block by block: a block's glossary entries come before its other definitions.
            for local in 0..block_count {
                let index = first_block + local;
                if glossary.get(glossary_at) == Some(&index) {
                    glossary_at += 1;
                    if !doc.blocks[index].is_heading() {
                        terms::glossary_definitions(doc, index, &mut definitions);
                    }
                }
                let own =
                    &f.definitions[f.definition_starts[local]..f.definition_starts[local + 1]];
                landed.extend(definitions.len()..definitions.len() + own.len());
                definitions.extend(own.iter().map(|d| shift_definition(d, at)));
            }
        } else {
            landed.extend(definitions.len()..definitions.len() + f.definitions.len());
            definitions.extend(f.definitions.iter().map(|d| shift_definition(d, at)));
        }
        candidates.extend(f.compound_candidates.iter().map(|c| CompoundCandidate {
            definition: landed[c.definition],
            range: shift(&c.range, at),
            key: c.key.clone(),
        }));
        at += chunk.len;
        first_block = last_block;
    }
    TermIndex::assemble(doc, definitions, candidates, |keys| {
        if uses_keys
            .keys
            .iter()
            .map(String::as_str)
            .ne(keys.iter().copied())
        {
            uses_keys.keys = keys.iter().map(|k| (*k).to_owned()).collect();
            uses_keys.generation += 1;
            uses_keys.hints = UseHints::new(keys);
        }
        let generation = uses_keys.generation;
        // Chunk by chunk, from what each found of these keys before if it did; the others
        // searched in one go.
        let mut caches: Vec<_> = chunks
            .iter()
            .map(|c| c.facts.uses.lock().unwrap_or_else(|e| e.into_inner()))
            .collect();
        let mut stale = Vec::new();
        let mut first_block = 0;
        for (i, chunk) in chunks.iter().enumerate() {
            let blocks = first_block..first_block + chunk.facts.blocks.len();
            if !matches!(&*caches[i], Some((g, _)) if *g == generation) {
                stale.push((i, blocks.clone()));
            }
            first_block = blocks.end;
        }
        let ranges: Vec<Range<usize>> = stale.iter().map(|(_, r)| r.clone()).collect();
        let found = terms::find_uses_in(doc, keys, &uses_keys.hints, &ranges);
        let starts: Vec<usize> = chunks
            .iter()
            .scan(0, |at, c| {
                let start = *at;
                *at += c.len;
                Some(start)
            })
            .collect();
        for ((i, _), found) in stale.into_iter().zip(found) {
            let at = starts[i];
            let relative = found.iter().map(|(r, k)| (r.start - at..r.end - at, *k));
            *caches[i] = Some((generation, relative.collect()));
        }
        let mut out = Vec::new();
        for (cache, &at) in caches.iter().zip(&starts) {
            if let Some((_, found)) = &**cache {
                out.extend(found.iter().map(|(r, k)| (shift(r, at), *k)));
            }
        }
        out
    })
}

fn shift_definition(d: &Definition, by: usize) -> Definition {
    Definition {
        term: d.term.clone(),
        key: d.key.clone(),
        kind: d.kind,
        term_range: shift(&d.term_range, by),
        definition_range: shift(&d.definition_range, by),
    }
}
