//! # broken-cross-reference
//!
//! ## What it does
//! Flags references to a part of the draft that the draft does not have: `Section 6`,
//! `see Section 5.2`, `Article 14`, `Article 14(2)`, `Articles 3 and 4`, `Chapter III`,
//! `Part II`, `Annex B`, `Appendix 2`, `Schedule 1`, `§ 4`, Korean `제12조`, `제3장`.
//! References resolve against the draft's own numbered headings:
//!
//! - `Section 2` (or `section 2`, `§ 2`) matches a heading numbered `2.` or `Section 2`;
//!   `Section 5.2` matches `5.2`; `Section D.3` matches `3.` under `D.`; `section 3.c`
//!   matches `c.` under `3.`. Roman and letter numbers (`Section IV`, `Section B`) match
//!   headings numbered that way.
//! - `Article 14` needs an `Article 14` or `제14조` heading; `Chapter III` matches
//!   `Chapter 3`; `Annex B` needs an `Annex B` heading.
//!
//! Only references into this draft are checked. A reference is taken to point elsewhere,
//! and is skipped, when it is followed by `of`/`to` and another document
//! (`Article 14 of the Hydrogen Economy Promotion Act`, `Section 3 of the Act`,
//! `Schedule 1 to the Regulations`) or preceded by one (`OMB Circular A-130, section 8`,
//! `44 U.S.C. § 3501`, `the Act's Article 5`, a law title in `「」` or a Korean law name
//! before `제N조`: `「수소경제법」 제12조`, `같은 법 제3조`). `of this Regulation` and
//! `이 규칙 제3조` are internal.
//!
//! The rule stays quiet where it cannot know:
//! - A `Section` reference is checked only when the draft numbers its headings in that
//!   style (decimal, Roman or letters): a draft with no numbered headings at all is
//!   probably citing another document.
//! - `Article`, `Chapter`, `Part` and Korean references are checked only when the draft
//!   has headings of that kind; otherwise they almost always cite a law.
//! - Annexes, appendices and schedules are attachments of the draft itself, so `Annex B`
//!   in a draft with no annex headings is reported — unless the draft has an unnumbered
//!   `Annex` heading.
//! - Sub-divisions below the headings (`Article 14(2)`, `section 6d`, `paragraph 4(b)`)
//!   are not checked: paragraphs and items are not headings, so only the heading part of
//!   the reference is resolved. `section 1.e` is reported only when section 1 has
//!   numbered sub-headings and none is `e`. Paragraph references are not checked at all.
//! - In Markdown footnotes (usually citations) only references marked as internal
//!   (`this Section 4`, `Section 4 above`, `of this Memorandum`) are checked.
//!
//! References inside headings and quotations are not checked. The finding covers the
//! reference (`Section 6`, `Article 14`, `제12조`, `Annex B`).
//!
//! ## Why it matters
//! A reference to a section that isn't there sends the reader nowhere, and usually means
//! a section was renumbered or removed without updating the text that points to it. In
//! legal drafts a dangling reference can change what a provision means.
//!
//! ## Example
//! ```text
//! 1. Scope
//! 2. Funding
//!
//! Eligible costs are listed in Section 3.
//! ```
//!
//! ## Use instead
//! ```text
//! 1. Scope
//! 2. Funding
//!
//! Eligible costs are listed in Section 2.
//! ```
//!
//! ## Options
//! Severity only (`[rules] broken-cross-reference = "warning"`, or `"off"`).

use std::ops::Range;
use std::sync::{Arc, LazyLock, Mutex};

use aho_corasick::{AhoCorasick, MatchKind};
use regex::Regex;

use super::{Context, Gathered, Reporter, Rule, Scope};
use crate::analysis::fnv::{FnvHashMap, FnvHashSet};
use crate::analysis::headings::{Keyword, KoreanUnit, Numbering, NumberingScheme};
use crate::analysis::numerals::{roman_value, to_roman};
use crate::analysis::{Block, Document, Severity};

pub static RULE: Rule = Rule {
    name: "broken-cross-reference",
    default_severity: Severity::Error,
    scope: Scope::Split { gather, judge },
    source: include_str!("broken_cross_reference.rs"),
    check,
};

/// The English words that introduce a reference, in lower case.
const KEYWORDS: &[&str] = &[
    "section",
    "sections",
    "article",
    "articles",
    "chapter",
    "chapters",
    "part",
    "parts",
    "annex",
    "annexes",
    "appendix",
    "appendices",
    "schedule",
    "schedules",
];

/// A Korean reference: `제12조`, `제3장`, `제4조의2`.
static KOREAN_REFERENCE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"제 ?([0-9]{1,4}) ?([조장절편])(?:의 ?([0-9]{1,3}))?")
        .expect("Korean reference pattern is valid")
});

/// What every [`KOREAN_REFERENCE`] starts with.
static KOREAN_MARK: LazyLock<memchr::memmem::Finder<'static>> =
    LazyLock::new(|| memchr::memmem::Finder::new("제"));

/// A reference word alone (any case, as `(?i)` folds it), to recognise a list of
/// references.
static KEYWORD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!("(?i)^(?:{}|§§?)$", KEYWORDS.join("|"))).expect("keyword pattern is valid")
});

/// One word character, as the `regex` crate's Unicode `\w` has it.
static WORD_CHARACTER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\w$").expect("word pattern is valid"));

fn check(cx: &Context, out: &mut Reporter) {
    super::check_split(&RULE, cx, out);
}

/// What [`gather`] keeps of a piece of the draft.
struct Piece {
    references: Vec<Reference>,
    /// The headings the references were last judged against and what was found then
    /// (ranges relative to the piece): a draft's headings rarely change from one edit to
    /// the next, so an unchanged piece is not judged again.
    judged: Mutex<Option<(Arc<Headings>, Broken)>>,
}

/// The broken items of a piece's references: each one's range in the piece, and the
/// message.
type Broken = Vec<(Range<usize>, String)>;

/// The block-local half: the references of every block that may point into the draft.
fn gather(cx: &Context) -> Gathered {
    let doc = cx.doc;
    let mut found: Vec<Reference> = Vec::new();
    for block in &doc.blocks {
        if block.is_heading() || block.block_quote.is_some() {
            continue;
        }
        let footnote = is_footnote(doc, block);
        for mut reference in references(doc, block) {
            let internal = reference.internal;
            if reference.external || (footnote && !internal) {
                continue;
            }
            reference
                .items
                .retain(|item| doc.quotation_at(item.range.start).is_none());
            if !reference.items.is_empty() {
                found.push(reference);
            }
        }
    }
    Box::new(Piece {
        references: found,
        judged: Mutex::new(None),
    })
}

/// The document-wide half: each gathered reference against the draft's headings.
fn judge(cx: &Context, pieces: &[(usize, &Gathered)], out: &mut Reporter) {
    let doc = cx.doc;
    let pieces: Vec<(usize, &Piece)> = pieces
        .iter()
        .filter_map(|(offset, gathered)| Some((*offset, gathered.downcast_ref::<Piece>()?)))
        .filter(|(_, piece)| !piece.references.is_empty())
        .collect();
    // Many drafts refer to no part of themselves: their headings need no index.
    if pieces.is_empty() {
        return;
    }
    let headings = Headings::of(doc, &pieces);
    for (offset, piece) in pieces {
        let mut judged = piece.judged.lock().unwrap_or_else(|e| e.into_inner());
        let current = matches!(&*judged, Some((h, _)) if Arc::ptr_eq(h, &headings));
        if !current {
            let found = headings.index.broken(doc, offset, &piece.references);
            *judged = Some((headings.clone(), found));
        }
        for (range, message) in judged.iter().flat_map(|(_, found)| found) {
            out.report(
                range.start + offset..range.end + offset,
                message.clone(),
                None,
            );
        }
    }
}

// ---------------------------------------------------------------------------------------
// The draft's headings

/// One part of a section number, as a heading writes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Part {
    Num(u32),
    Letter(u32),
    Roman(u32),
    Hangul(u32),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Style {
    Num,
    Letter,
    Roman,
    Hangul,
}

/// How many [`Style`]s there are.
const STYLES: usize = 4;

impl Part {
    fn style(self) -> Style {
        match self {
            Part::Num(_) => Style::Num,
            Part::Letter(_) => Style::Letter,
            Part::Roman(_) => Style::Roman,
            Part::Hangul(_) => Style::Hangul,
        }
    }

    fn value(self) -> u32 {
        match self {
            Part::Num(v) | Part::Letter(v) | Part::Roman(v) | Part::Hangul(v) => v,
        }
    }
}

/// Divisions named by a keyword, other than sections.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Kind {
    Part,
    Chapter,
    Article,
    Annex,
    Appendix,
    Schedule,
    /// Korean 절.
    KoreanSection,
}

impl Kind {
    /// Attachments belong to the draft: a reference to one is checked even when the draft
    /// has none.
    fn is_attachment(self) -> bool {
        matches!(self, Kind::Annex | Kind::Appendix | Kind::Schedule)
    }

    fn plural(self) -> &'static str {
        match self {
            Kind::Part => "parts",
            Kind::Chapter => "chapters",
            Kind::Article => "articles",
            Kind::Annex => "annexes",
            Kind::Appendix => "appendices",
            Kind::Schedule => "schedules",
            Kind::KoreanSection => "절 sections",
        }
    }
}

/// The draft's headings as the judgement reads them: the [`Index`], and the
/// [`Signature`] it was built from, to tell whether it still holds for the draft.
struct Headings {
    signature: Signature,
    index: Index,
}

impl Headings {
    /// The headings of `doc`: the ones a piece was last judged against if the draft's
    /// headings still read the same, else built afresh.
    fn of(doc: &Document, pieces: &[(usize, &Piece)]) -> Arc<Headings> {
        let previous = pieces.iter().find_map(|(_, piece)| {
            let judged = piece.judged.lock().unwrap_or_else(|e| e.into_inner());
            judged.as_ref().map(|(headings, _)| headings.clone())
        });
        let signature = Signature::of(doc, previous.as_ref().map(|h| &h.signature));
        match previous {
            Some(headings) if headings.signature == signature => headings,
            _ => Arc::new(Headings {
                index: Index::build(doc),
                signature,
            }),
        }
    }
}

/// Everything [`Index::build`] reads of the draft's sections, in order, without their
/// offsets (which move with every edit above them): equal signatures give equal indexes.
#[derive(PartialEq)]
struct Signature {
    /// Each section's level, and its numbering scheme or, unnumbered, the attachment its
    /// heading names (`Annex: Tables`), if any.
    sections: Vec<(u8, Result<NumberingScheme, Option<Kind>>)>,
    /// For each numbered section: its components' count, the components; and, if its
    /// label is read, the label's length in bytes.
    numbers: Vec<u32>,
    /// The labels read, end to end.
    labels: String,
}

impl Signature {
    /// The signature of `doc`'s sections, its buffers sized like `previous` (most likely
    /// equal).
    fn of(doc: &Document, previous: Option<&Signature>) -> Signature {
        let mut signature = Signature {
            sections: Vec::with_capacity(doc.sections.len()),
            numbers: Vec::with_capacity(previous.map_or(0, |p| p.numbers.len())),
            labels: String::with_capacity(previous.map_or(0, |p| p.labels.len())),
        };
        for section in &doc.sections {
            let numbering = match &section.numbering {
                None => Err(unnumbered_attachment(doc.source(section.heading.clone()))),
                Some(numbering) => {
                    signature.add_numbering(numbering, doc);
                    Ok(numbering.scheme)
                }
            };
            signature.sections.push((section.level, numbering));
        }
        signature
    }

    fn add_numbering(&mut self, numbering: &Numbering, doc: &Document) {
        let count = numbering.components.len();
        self.numbers.push(count_u32(count));
        // Element by element: a copy of one to three numbers costs less than a call.
        self.numbers.extend(numbering.components.iter().copied());
        // Only a keyword's label is read as written (a `Section` number is parsed from
        // it; an `Article` or Korean label is shown as the highest); the others are read
        // by their components alone.
        if matches!(
            numbering.scheme,
            NumberingScheme::Keyword(_) | NumberingScheme::Korean(_)
        ) {
            let label = doc.source(numbering.label.clone());
            self.numbers.push(count_u32(label.len()));
            self.labels.push_str(label);
        }
    }
}

/// A length as a [`Signature`] records it (one that does not fit is recorded as the
/// largest, which no real label or numbering reaches).
fn count_u32(length: usize) -> u32 {
    u32::try_from(length).unwrap_or(u32::MAX)
}

/// The attachment kind an unnumbered heading names by its first word (`Annex: Tables`).
fn unnumbered_attachment(heading: &str) -> Option<Kind> {
    let heading = heading.trim_start();
    // By bytes: the first byte of any other character is no ASCII letter either.
    let word_end = heading
        .bytes()
        .position(|b| !b.is_ascii_alphabetic())
        .unwrap_or(heading.len());
    keyword_kind(&heading[..word_end]).filter(|k| k.is_attachment())
}

/// The numbers the draft's headings carry. Kept from one judgement to the next while the
/// headings stay the same ([`Headings`]), so it owns its keys.
#[derive(Default)]
struct Index {
    /// Every section's path; the keys below are stretches of it.
    paths: SectionPaths,
    /// Every section number, alone and prefixed by its numbered ancestors' numbers:
    /// `3.` under `D.` is both `[3]` and `[D, 3]`; `1.1` is `[1, 1]`.
    sections: FnvHashSet<Box<[Part]>>,
    /// Section numbers that have numbered sub-headings.
    parents: FnvHashSet<Box<[Part]>>,
    /// The highest last part, by the number before it and (indexed by [`Style`]) the
    /// last part's style.
    highest: FnvHashMap<Box<[Part]>, [Option<Highest>; STYLES]>,
    /// The styles the draft numbers sections in (at most four).
    styles: Vec<Style>,
    /// Numbers of keyword headings (`Article 9` → `[9]`, `제4조의2` → `[4, 2]`).
    kinds: FnvHashMap<Kind, FnvHashSet<Box<[u32]>>>,
    /// The highest keyword heading of each kind with any, as written.
    highest_kind: FnvHashMap<Kind, (u32, String)>,
    /// Kinds with a heading that names the keyword but has no number (`Annex: Tables`).
    unnumbered: FnvHashSet<Kind>,
}

/// The highest section number below one stem, with how to write it.
#[derive(Clone)]
struct Highest {
    value: u32,
    /// Where the number lies in [`SectionPaths::parts`].
    number: Range<usize>,
    /// Its heading is numbered in lower case (`b.`, `iv.`).
    lower: bool,
}

/// The section number of every heading that has one, and where its segments start: one
/// segment per numbered heading on the way down, a decimal number extending its parent's
/// (`1.1` under `1.`) replacing it. The numbers lie end to end in one buffer.
#[derive(Default)]
struct SectionPaths {
    /// Every path's parts, one path after another.
    parts: Vec<Part>,
    /// Every path's segment starts, relative to the path's start, one path after another.
    cuts: Vec<usize>,
    /// Where each of the draft's sections has its path, if it has one.
    of_section: Vec<Option<PathSpan>>,
}

/// Where one path lies in [`SectionPaths`].
#[derive(Clone)]
struct PathSpan {
    parts: Range<usize>,
    cuts: Range<usize>,
}

impl SectionPaths {
    fn build(doc: &Document) -> SectionPaths {
        let sections = &doc.sections;
        let mut paths = SectionPaths {
            of_section: Vec::with_capacity(sections.len()),
            ..SectionPaths::default()
        };
        let mut open: Vec<usize> = Vec::new();
        let mut own: Vec<Part> = Vec::new();
        for (i, section) in sections.iter().enumerate() {
            while open
                .last()
                .is_some_and(|&o| sections[o].level >= section.level)
            {
                open.pop();
            }
            let parent = open.iter().rev().find_map(|&o| paths.of_section[o].clone());
            open.push(i);
            own.clear();
            let span = section
                .numbering
                .as_ref()
                .filter(|numbering| kind_of(numbering.scheme).is_none())
                .and_then(|numbering| {
                    push_section_parts(numbering, doc.source(numbering.label.clone()), &mut own)
                })
                .map(|()| paths.push(parent, &own));
            paths.of_section.push(span);
        }
        paths
    }

    /// Lays down the path of a heading numbered `own` below its nearest numbered
    /// ancestor's path, `parent`.
    fn push(&mut self, parent: Option<PathSpan>, own: &[Part]) -> PathSpan {
        let start = self.parts.len();
        let cuts_start = self.cuts.len();
        match parent {
            None => self.cuts.push(0),
            Some(parent) => {
                let last_cut = self.cuts[parent.cuts.clone()].last().copied().unwrap_or(0);
                let last = &self.parts[parent.parts.start + last_cut..parent.parts.end];
                let replaces_last = own.len() > last.len() && own.starts_with(last);
                let kept = if replaces_last {
                    last_cut
                } else {
                    parent.parts.len()
                };
                self.parts
                    .extend_from_within(parent.parts.start..parent.parts.start + kept);
                self.cuts.extend_from_within(parent.cuts);
                if !replaces_last {
                    self.cuts.push(kept);
                }
            }
        }
        self.parts.extend_from_slice(own);
        PathSpan {
            parts: start..self.parts.len(),
            cuts: cuts_start..self.cuts.len(),
        }
    }
}

impl Index {
    fn build(doc: &Document) -> Index {
        let paths = SectionPaths::build(doc);
        // Each segment start gives at most one key of each table.
        let keys = paths.cuts.len();
        let mut index = Index {
            sections: FnvHashSet::with_capacity_and_hasher(keys, Default::default()),
            parents: FnvHashSet::with_capacity_and_hasher(keys, Default::default()),
            highest: FnvHashMap::with_capacity_and_hasher(keys, Default::default()),
            ..Index::default()
        };
        for (section, span) in doc.sections.iter().zip(&paths.of_section) {
            let Some(numbering) = &section.numbering else {
                let heading = doc.source(section.heading.clone());
                index.unnumbered.extend(unnumbered_attachment(heading));
                continue;
            };
            if let Some(kind) = kind_of(numbering.scheme) {
                index.add_kind(kind, numbering, doc.source(numbering.label.clone()));
            } else if let Some(span) = span {
                index.add_path(&paths, span, numbering.scheme);
            }
        }
        index.paths = paths;
        index
    }

    fn add_kind(&mut self, kind: Kind, numbering: &Numbering, label: &str) {
        let Some(&first) = numbering.components.first() else {
            return;
        };
        let numbers = self.kinds.entry(kind).or_default();
        if !numbers.contains(numbering.components.as_slice()) {
            numbers.insert(numbering.components.as_slice().into());
        }
        let highest = self.highest_kind.entry(kind).or_insert((0, String::new()));
        if first >= highest.0 {
            highest.0 = first;
            highest.1.clear();
            highest.1.push_str(label);
        }
    }

    fn add_path(&mut self, paths: &SectionPaths, span: &PathSpan, scheme: NumberingScheme) {
        let lower = matches!(
            scheme,
            NumberingScheme::Letter { upper: false } | NumberingScheme::Roman { upper: false }
        );
        let parts = &paths.parts[span.parts.clone()];
        for part in parts {
            if !self.styles.contains(&part.style()) {
                self.styles.push(part.style());
            }
        }
        for &cut in &paths.cuts[span.cuts.clone()] {
            let key = &parts[cut..];
            let Some((last, stem)) = key.split_last() else {
                continue;
            };
            if !stem.is_empty() && !self.parents.contains(stem) {
                self.parents.insert(stem.into());
            }
            let highest = Highest {
                value: last.value(),
                number: span.parts.start + cut..span.parts.end,
                lower,
            };
            let slots = match self.highest.get_mut(stem) {
                Some(slots) => slots,
                None => self.highest.entry(stem.into()).or_default(),
            };
            let slot = &mut slots[last.style() as usize];
            if slot
                .as_ref()
                .is_none_or(|entry| highest.value >= entry.value)
            {
                *slot = Some(highest);
            }
            if !self.sections.contains(key) {
                self.sections.insert(key.into());
            }
        }
    }

    /// What `references`, gathered from the piece of `doc` at `offset`, point to that the
    /// draft does not have.
    fn broken(&self, doc: &Document, offset: usize, references: &[Reference]) -> Broken {
        let mut found = Vec::new();
        for reference in references {
            for item in &reference.items {
                let written = doc.source(item.range.start + offset..item.range.end + offset);
                if let Some(message) = self.missing(reference, item, written) {
                    found.push((item.range.clone(), message));
                }
            }
        }
        found
    }

    /// The message for `item` when it points nowhere; `None` when it resolves or can't be
    /// judged.
    fn missing(&self, reference: &Reference, item: &Item, written: &str) -> Option<String> {
        let gap = match reference.target {
            Target::Section => self.missing_section(item)?,
            Target::Kind(kind) => self.missing_kind(kind, item, false)?,
            Target::Korean(kind) => self.missing_kind(kind, item, true)?,
        };
        let shown = match &reference.target {
            Target::Korean(_) => written.split_whitespace().collect::<String>(),
            _ => format!("{} {}", reference.word, item.number),
        };
        Some(match gap {
            Gap::NoSuch {
                highest: Some(highest),
            } => format!("there is no {shown} in this draft; the highest is {highest}"),
            Gap::NoSuch { highest: None } => format!("there is no {shown} in this draft"),
            Gap::NoneOfKind(kind) => format!(
                "there is no {shown} in this draft, which has no {}",
                kind.plural()
            ),
        })
    }

    fn missing_section(&self, item: &Item) -> Option<Gap> {
        let mut missing = None;
        for parts in item.readings() {
            match self.resolve_section(&parts) {
                Outcome::Found | Outcome::Unknown => return None,
                Outcome::Missing => missing = missing.or(Some(parts)),
            }
        }
        let highest = self.highest_section(&missing?);
        Some(Gap::NoSuch { highest })
    }

    fn resolve_section(&self, parts: &[Part]) -> Outcome {
        if parts.is_empty() {
            return Outcome::Unknown;
        }
        if self.sections.contains(parts) {
            return Outcome::Found;
        }
        for known in (1..parts.len()).rev() {
            if self.sections.contains(&parts[..known]) {
                // Below a heading without numbered sub-headings the rest of the
                // reference may name a paragraph or list item.
                return if self.parents.contains(&parts[..known]) {
                    Outcome::Missing
                } else {
                    Outcome::Unknown
                };
            }
        }
        if self.styles.contains(&parts[0].style()) {
            Outcome::Missing
        } else {
            Outcome::Unknown
        }
    }

    /// The highest number beside the missing one, or failing that the highest at the
    /// top, as written.
    fn highest_section(&self, parts: &[Part]) -> Option<String> {
        let (last, stem) = parts.split_last()?;
        let top: &[Part] = &[];
        let highest_of =
            |stem: &[Part], style: Style| self.highest.get(stem)?[style as usize].as_ref();
        highest_of(stem, last.style())
            .or_else(|| highest_of(top, parts[0].style()))
            .map(|highest| render(&self.paths.parts[highest.number.clone()], highest.lower))
    }

    fn missing_kind(&self, kind: Kind, item: &Item, korean: bool) -> Option<Gap> {
        let Some((_, highest)) = self.highest_kind.get(&kind) else {
            let judged = kind.is_attachment() && !self.unnumbered.contains(&kind);
            return judged.then_some(Gap::NoneOfKind(kind));
        };
        let numbers = self.kinds.get(&kind);
        let mut found_main = false;
        for parts in item.readings() {
            let values: Vec<u32> = parts.iter().map(|p| p.value()).collect();
            let numbered = |values: &[u32]| numbers.is_some_and(|n| n.contains(values));
            if numbered(&values) {
                return None;
            }
            found_main |= values.len() > 1 && numbered(&values[..1]);
        }
        // `Article 5.2` may be paragraph 2 of Article 5; a Korean branch article
        // (`제4조의2`) is an article of its own.
        if found_main && !korean {
            return None;
        }
        Some(Gap::NoSuch {
            highest: Some(highest.clone()),
        })
    }
}

/// Why a reference points nowhere.
enum Gap {
    /// No heading has its number; the highest number beside it, as written, if any.
    NoSuch { highest: Option<String> },
    /// It names an attachment, and the draft has none of that kind.
    NoneOfKind(Kind),
}

enum Outcome {
    Found,
    /// Can't be judged: the draft doesn't number headings that deep or in that style.
    Unknown,
    Missing,
}

/// The kind of a keyword or Korean heading; `None` for sections.
fn kind_of(scheme: NumberingScheme) -> Option<Kind> {
    Some(match scheme {
        NumberingScheme::Keyword(keyword) => match keyword {
            Keyword::Part => Kind::Part,
            Keyword::Chapter => Kind::Chapter,
            Keyword::Section => return None,
            Keyword::Article => Kind::Article,
            Keyword::Annex => Kind::Annex,
            Keyword::Appendix => Kind::Appendix,
            Keyword::Schedule => Kind::Schedule,
        },
        NumberingScheme::Korean(unit) => match unit {
            KoreanUnit::Part => Kind::Part,
            KoreanUnit::Chapter => Kind::Chapter,
            KoreanUnit::Section => Kind::KoreanSection,
            KoreanUnit::Article => Kind::Article,
            KoreanUnit::SubSection => return None,
        },
        _ => return None,
    })
}

/// Appends the section-number parts of a heading label (`1.2`, `IV`, `B`, `가`,
/// `Section 4.2`) to `parts`; `None`, appending nothing, when it has none.
fn push_section_parts(numbering: &Numbering, label: &str, parts: &mut Vec<Part>) -> Option<()> {
    let single = || numbering.components.first().copied();
    match numbering.scheme {
        NumberingScheme::Decimal => {
            parts.extend(numbering.components.iter().map(|&v| Part::Num(v)))
        }
        NumberingScheme::Roman { .. } => parts.push(Part::Roman(single()?)),
        NumberingScheme::Letter { .. } => parts.push(Part::Letter(single()?)),
        NumberingScheme::HangulLetter => parts.push(Part::Hangul(single()?)),
        NumberingScheme::Keyword(Keyword::Section) => {
            let number = label.split_once(char::is_whitespace)?.1.trim_start();
            let item = parse_item(number)?;
            parts.extend(item.parts.iter().map(|p| match p {
                RefPart::Exact(part) => *part,
                RefPart::Either(roman, _) => *roman,
            }));
        }
        _ => return None,
    }
    Some(())
}

fn render(parts: &[Part], lower: bool) -> String {
    parts
        .iter()
        .map(|part| match *part {
            Part::Num(v) => v.to_string(),
            Part::Letter(v) => match u8::try_from(v) {
                Ok(v @ 1..=26) => {
                    let c = char::from(b'A' + v - 1);
                    if lower {
                        c.to_ascii_lowercase().to_string()
                    } else {
                        c.to_string()
                    }
                }
                _ => v.to_string(),
            },
            Part::Roman(v) => {
                let roman = to_roman(v);
                if lower {
                    roman.to_ascii_lowercase()
                } else {
                    roman
                }
            }
            Part::Hangul(v) => v.to_string(),
        })
        .collect::<Vec<_>>()
        .join(".")
}

// ---------------------------------------------------------------------------------------
// References in the prose

/// What a reference points at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Target {
    Section,
    Kind(Kind),
    /// `제N조`, `제N장`, …
    Korean(Kind),
}

/// A reference: a keyword and one or more numbers (`Articles 3 and 4`).
struct Reference {
    target: Target,
    /// The keyword as written, in the singular (`Article`, `section`, `§`).
    word: String,
    items: Vec<Item>,
    /// The context says it points into another document.
    external: bool,
    /// The context says it points into this one (`this Section`, `of this Act`).
    internal: bool,
}

/// One number of a reference.
struct Item {
    /// Byte range in the document: keyword and number for the first item, the number
    /// alone for the others; without trailing sub-divisions such as `(2)`.
    range: Range<usize>,
    /// The number as written (`5.2`, `III`, `D.3`).
    number: String,
    parts: Vec<RefPart>,
}

impl Item {
    /// Every way to read the number (a lone `I`, `V` or `X` is a Roman numeral or a
    /// letter).
    fn readings(&self) -> Vec<Vec<Part>> {
        let mut readings: Vec<Vec<Part>> = vec![Vec::new()];
        for part in &self.parts {
            readings = match *part {
                RefPart::Exact(p) => readings
                    .into_iter()
                    .map(|mut r| {
                        r.push(p);
                        r
                    })
                    .collect(),
                RefPart::Either(a, b) => readings
                    .into_iter()
                    .flat_map(|r| {
                        let mut with_b = r.clone();
                        with_b.push(b);
                        let mut with_a = r;
                        with_a.push(a);
                        [with_a, with_b]
                    })
                    .take(8)
                    .collect(),
            };
        }
        readings
    }
}

#[derive(Clone, Copy, Debug)]
enum RefPart {
    Exact(Part),
    /// A lone `I`, `V` or `X`: Roman numeral or letter.
    Either(Part, Part),
}

/// The references in one block, in order.
fn references(doc: &Document, block: &Block) -> Vec<Reference> {
    let base = block.range.start;
    let prose = doc.prose(block.range.clone());
    // Most blocks have no `제`; finding that out costs less than setting up a search.
    let korean: Vec<regex::Captures> = if KOREAN_MARK.find(prose.as_bytes()).is_some() {
        KOREAN_REFERENCE.captures_iter(prose).collect()
    } else {
        Vec::new()
    };
    let mut korean = korean.into_iter().peekable();
    let mut found = Vec::new();
    // The two kinds never overlap (a Korean reference has no Latin letter), so merging
    // them by position keeps the order of the text.
    for keyword in keywords(prose) {
        while let Some(captures) =
            korean.next_if(|c| c.get(0).is_some_and(|m| m.start() < keyword.start))
        {
            found.extend(korean_reference(prose, &captures, base));
        }
        found.extend(english_reference(prose, keyword, base));
    }
    for captures in korean {
        found.extend(korean_reference(prose, &captures, base));
    }
    found
}

/// The English reference words (`Section`, `annexes`, in any case) and section signs
/// (`§`, `§§`) of a block's prose, in order: what `(?i:\b(?:sections?|…)\b|§§?)` would
/// find. A keyword between word boundaries is a whole run of letters that can spell one
/// (ASCII letters, and `ſ`, which `(?i)` folds to `s`) with no word character either side,
/// so only such runs are compared. A run can spell a keyword only if it starts with one of
/// [`KEYWORD_STARTS`]: those are found by one literal search (SIMD) over an ASCII-lower-cased
/// copy of the prose, and only the runs they start are read. (Stepping through every
/// byte, or an Aho-Corasick automaton folding case itself, cost 15–20 instructions per
/// byte of the draft; the copy and the search cost about one.)
fn keywords(prose: &str) -> Vec<Range<usize>> {
    let bytes = prose.as_bytes();
    let folded = bytes.to_ascii_lowercase();
    let mut found = Vec::new();
    let mut from = 0;
    for hit in KEYWORD_STARTS.find_iter(&folded) {
        let start = hit.start();
        if start < from {
            continue;
        }
        if bytes[start] == SECTION_SIGN[0] {
            found.push(hit.range());
            from = hit.end();
            continue;
        }
        // A start inside a run of letters (`department`) starts no keyword: the run's own
        // start would have to, and it was seen first.
        let inside = start > 0
            && (bytes[start - 1].is_ascii_alphabetic()
                || (start >= 2 && bytes[start - 2..start] == *LONG_S));
        if inside {
            continue;
        }
        let end = run_end(bytes, start);
        push_keyword(prose, start..end, &mut found);
        from = end;
    }
    found
}

const SECTION_SIGN: &[u8] = "§".as_bytes();
const LONG_S: &[u8] = "ſ".as_bytes();

/// The first four letters of every keyword, lower-case (and with `ſ` for a leading `s`,
/// which `(?i)` folds to it), and the section signs, `§§` before `§`.
static KEYWORD_STARTS: LazyLock<AhoCorasick> = LazyLock::new(|| {
    AhoCorasick::builder()
        .match_kind(MatchKind::LeftmostFirst)
        .build([
            "§§", "§", "sect", "sche", "arti", "chap", "part", "anne", "appe", "ſect", "ſche",
        ])
        .expect("keyword starts are valid")
});

/// The end of the run of letters (ASCII, and `ſ`) starting at `at`.
fn run_end(bytes: &[u8], mut at: usize) -> usize {
    while at < bytes.len() {
        if bytes[at].is_ascii_alphabetic() {
            at += 1;
        } else if bytes[at..].starts_with(LONG_S) {
            at += LONG_S.len();
        } else {
            break;
        }
    }
    at
}

/// Pushes `run` if it is a keyword between word boundaries.
fn push_keyword(prose: &str, run: Range<usize>, found: &mut Vec<Range<usize>>) {
    if is_keyword(&prose[run.clone()])
        && !prose[..run.start]
            .chars()
            .next_back()
            .is_some_and(is_word_character)
        && !prose[run.end..]
            .chars()
            .next()
            .is_some_and(is_word_character)
    {
        found.push(run);
    }
}

/// Whether a run of letters is a reference word in any case.
fn is_keyword(run: &str) -> bool {
    // Every keyword has 4 to 10 letters and starts with `s`, `a`, `c` or `p` (or `ſ`): most
    // words fail here, before any comparison.
    let longest = "appendices".len() + "ſ".len();
    let first = run.as_bytes()[0].to_ascii_lowercase();
    if !(4..=longest).contains(&run.len()) || !matches!(first, b's' | b'a' | b'c' | b'p' | 0xC5) {
        return false;
    }
    if run.is_ascii() {
        // ASCII folds only to ASCII, so comparing bytes is enough.
        KEYWORDS
            .iter()
            .any(|k| k.len() == run.len() && k.eq_ignore_ascii_case(run))
    } else {
        KEYWORD.is_match(run)
    }
}

fn is_word_character(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric() || c == '_'
    } else {
        WORD_CHARACTER.is_match(c.encode_utf8(&mut [0; 4]))
    }
}

fn english_reference(prose: &str, keyword: Range<usize>, base: usize) -> Option<Reference> {
    let word = &prose[keyword.clone()];
    let lower = word.to_ascii_lowercase();
    let target = if word.starts_with('§') {
        Target::Section
    } else {
        match keyword_kind(&lower) {
            Some(kind) => Target::Kind(kind),
            None => Target::Section,
        }
    };
    // Attachments are named with a capital; `schedule 2 visits` is a verb.
    let capitalised = word.starts_with(|c: char| c.is_ascii_uppercase());
    if matches!(target, Target::Kind(kind) if kind.is_attachment()) && !capitalised {
        return None;
    }
    let plural = word == "§§"
        || matches!(
            lower.as_str(),
            "sections" | "articles" | "chapters" | "parts" | "annexes" | "appendices" | "schedules"
        );
    let mut at = keyword.end + gap(&prose[keyword.end..], word.starts_with('§'))?;
    let first = parse_item(&prose[at..])?;
    let after_first = at + first.end;
    // `Article 2024-15`, `Section 3/2`: an identifier, not a reference.
    if !plural && starts_identifier_tail(&prose[after_first..]) {
        return None;
    }
    let mut items = vec![item(prose, keyword.start, at, &first, base)];
    let style = first.parts.first().map(first_style);
    at = after_first;
    if plural {
        while let Some(sep) = list_separator(&prose[at..]) {
            let Some(next) = parse_item(&prose[at + sep..]) else {
                break;
            };
            if next.parts.first().map(first_style) != style {
                break;
            }
            items.push(item(prose, at + sep, at + sep, &next, base));
            at += sep + next.end;
        }
    }
    let before = &prose[..keyword.start];
    let after = &prose[at..];
    let (before_external, before_internal) = before_context(before);
    let after = after_context(after);
    if after == After::Scoped {
        return None;
    }
    Some(Reference {
        target,
        word: singular(word),
        items,
        external: before_external || after == After::External,
        internal: before_internal || after == After::Internal,
    })
}

fn item(prose: &str, start: usize, number_start: usize, parsed: &ParsedItem, base: usize) -> Item {
    let number_end = number_start + parsed.number_end;
    Item {
        range: base + start..base + number_end,
        number: prose[number_start..number_end].to_owned(),
        parts: parsed.parts.clone(),
    }
}

fn first_style(part: &RefPart) -> Style {
    match part {
        RefPart::Exact(p) => p.style(),
        RefPart::Either(..) => Style::Roman,
    }
}

fn korean_reference(prose: &str, captures: &regex::Captures, base: usize) -> Option<Reference> {
    let whole = captures.get(0)?;
    // `경제 1조 원` is "one trillion won in the economy", not an article.
    if prose[..whole.start()]
        .chars()
        .next_back()
        .is_some_and(is_hangul)
    {
        return None;
    }
    let main: u32 = captures.get(1)?.as_str().parse().ok()?;
    let kind = match captures.get(2)?.as_str() {
        "조" => Kind::Article,
        "장" => Kind::Chapter,
        "절" => Kind::KoreanSection,
        _ => Kind::Part,
    };
    let mut parts = vec![RefPart::Exact(Part::Num(main))];
    if let Some(branch) = captures.get(3).and_then(|b| b.as_str().parse().ok()) {
        parts.push(RefPart::Exact(Part::Num(branch)));
    }
    let (external, internal) = before_context(&prose[..whole.start()]);
    Some(Reference {
        target: Target::Korean(kind),
        word: String::new(),
        items: vec![Item {
            range: base + whole.start()..base + whole.end(),
            number: whole.as_str().to_owned(),
            parts,
        }],
        external,
        internal,
    })
}

/// The kind a keyword names; `None` for `section`.
fn keyword_kind(word: &str) -> Option<Kind> {
    const WORDS: &[(&str, Kind)] = &[
        ("part", Kind::Part),
        ("parts", Kind::Part),
        ("chapter", Kind::Chapter),
        ("chapters", Kind::Chapter),
        ("article", Kind::Article),
        ("articles", Kind::Article),
        ("annex", Kind::Annex),
        ("annexes", Kind::Annex),
        ("appendix", Kind::Appendix),
        ("appendices", Kind::Appendix),
        ("schedule", Kind::Schedule),
        ("schedules", Kind::Schedule),
    ];
    // Compared in place: the judgement asks this of every unnumbered heading.
    WORDS
        .iter()
        .find(|(keyword, _)| keyword.eq_ignore_ascii_case(word))
        .map(|&(_, kind)| kind)
}

/// `Articles` → `Article`, `Appendices` → `Appendix`, `§§` → `§`, case kept.
fn singular(word: &str) -> String {
    let lower = word.to_ascii_lowercase();
    let upper = word.chars().all(|c| !c.is_ascii_lowercase());
    let stem = if lower == "§§" {
        "§"
    } else if lower == "appendices" {
        return if upper {
            "APPENDIX".into()
        } else {
            format!("{}ppendix", &word[..1])
        };
    } else if lower == "annexes" {
        &word[..5]
    } else if lower.ends_with('s') {
        &word[..word.len() - 1]
    } else {
        word
    };
    stem.to_owned()
}

/// The whitespace between a keyword and its number (a line break included, for wrapped
/// text); `§4` needs none.
fn gap(text: &str, optional: bool) -> Option<usize> {
    let len = text.len()
        - text
            .trim_start_matches([' ', '\t', '\u{a0}', '\n', '\r'])
            .len();
    let breaks = text[..len].matches('\n').count();
    (breaks <= 1 && (len > 0 || optional) && len <= 4).then_some(len)
}

/// A number parsed after a reference keyword, offsets relative to its start.
struct ParsedItem {
    parts: Vec<RefPart>,
    /// End of the dotted number (`5.2`, `D.3`).
    number_end: usize,
    /// End of the number with its sub-divisions (`14(2)`, `6d`).
    end: usize,
}

/// `5`, `5.2`, `III`, `B`, `D.3`, `3.c`, `14(2)(b)`, `6d`.
fn parse_item(text: &str) -> Option<ParsedItem> {
    let bytes = text.as_bytes();
    let mut parts = Vec::new();
    let mut at = digits(text);
    if at > 0 {
        if at > 4 {
            return None;
        }
        parts.push(RefPart::Exact(Part::Num(text[..at].parse().ok()?)));
    } else {
        at = text.bytes().take_while(u8::is_ascii_uppercase).count();
        let letters = &text[..at];
        let part = match letters.as_bytes() {
            [] => return None,
            [b'I'] => RefPart::Either(Part::Roman(1), Part::Letter(9)),
            [b'V'] => RefPart::Either(Part::Roman(5), Part::Letter(22)),
            [b'X'] => RefPart::Either(Part::Roman(10), Part::Letter(24)),
            [c] => RefPart::Exact(Part::Letter(u32::from(c - b'A') + 1)),
            _ => RefPart::Exact(Part::Roman(roman_value(letters)?)),
        };
        parts.push(part);
    }
    // Further levels: `.2`, `.c`.
    loop {
        if bytes.get(at) != Some(&b'.') {
            break;
        }
        let rest = &text[at + 1..];
        let n = digits(rest);
        if (1..=4).contains(&n) {
            parts.push(RefPart::Exact(Part::Num(rest[..n].parse().ok()?)));
            at += 1 + n;
            continue;
        }
        let mut chars = rest.chars();
        match (chars.next(), chars.next()) {
            (Some(c), next)
                if c.is_ascii_alphabetic() && !next.is_some_and(char::is_alphanumeric) =>
            {
                let index = u32::from(c.to_ascii_uppercase() as u8 - b'A') + 1;
                parts.push(RefPart::Exact(Part::Letter(index)));
                at += 2;
            }
            _ => break,
        }
    }
    let number_end = at;
    // A letter glued to the number (`6d`) and bracketed sub-divisions (`(2)(b)`).
    let mut end = at;
    if matches!(parts.last(), Some(RefPart::Exact(Part::Num(_)))) {
        let mut chars = text[end..].chars();
        if let (Some(c), next) = (chars.next(), chars.next()) {
            if c.is_ascii_alphabetic() && !next.is_some_and(char::is_alphanumeric) {
                end += 1;
            }
        }
    }
    while let Some(len) = bracketed(&text[end..]) {
        end += len;
    }
    if text[end..].starts_with(char::is_alphanumeric) {
        return None;
    }
    Some(ParsedItem {
        parts,
        number_end,
        end,
    })
}

fn digits(text: &str) -> usize {
    text.bytes().take_while(u8::is_ascii_digit).count()
}

/// `(2)`, `(b)`, `(iv)`, `(A)`: length, or `None`.
fn bracketed(text: &str) -> Option<usize> {
    let inner = text.strip_prefix('(')?;
    let len = inner
        .bytes()
        .take_while(|b| b.is_ascii_digit() || b.is_ascii_lowercase())
        .count();
    let len = if len == 0 {
        usize::from(inner.starts_with(|c: char| c.is_ascii_uppercase()))
    } else {
        len
    };
    (len > 0 && len <= 4 && inner[len..].starts_with(')')).then_some(len + 2)
}

/// `-15`, `/2`: the number goes on as an identifier.
fn starts_identifier_tail(text: &str) -> bool {
    let mut chars = text.chars();
    matches!(chars.next(), Some('-' | '/' | '–'))
        && chars.next().is_some_and(|c| c.is_ascii_digit())
}

/// The separator before the next number of a list: `, `, ` and `, `, or `, ` to `,
/// ` through `, `-`. Returns its length.
fn list_separator(text: &str) -> Option<usize> {
    static SEPARATOR: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(?:\s*,\s*(?:(?:and|or)\s+)?|\s+(?:and|or|&|to|through|thru)\s+|\s*[-–—]\s*)")
            .expect("separator pattern is valid")
    });
    SEPARATOR.find(text).map(|m| m.end())
}

// ---------------------------------------------------------------------------------------
// Internal or external

/// Names of legal instruments: a reference right after one cites it (`the Act, Article
/// 5`, `the Directive's Article 3`).
const INSTRUMENTS: &[&str] = &[
    "Act",
    "Acts",
    "Law",
    "Laws",
    "Code",
    "Regulation",
    "Regulations",
    "Directive",
    "Decree",
    "Ordinance",
    "Constitution",
    "Convention",
    "Treaty",
    "Agreement",
    "Statute",
    "Circular",
    "Charter",
    "Protocol",
    "Bill",
    "License",
    "Licence",
    "Rules",
    "Decision",
    "Guidelines",
];

/// Korean law names end in one of these: `수소경제법`, `시행령`, `시행규칙`, `조례`.
const KOREAN_INSTRUMENTS: &[&str] = &[
    "법", "법률", "령", "규칙", "규정", "조례", "고시", "협약", "협정", "지침",
];

/// Whether the words before a reference cite another document (first) or this one
/// (second).
fn before_context(before: &str) -> (bool, bool) {
    let trimmed = before.trim_end();
    let trimmed = trimmed.strip_suffix(',').unwrap_or(trimmed).trim_end();
    if trimmed.ends_with(['」', '』']) {
        return (true, false);
    }
    let mut words = trimmed.rsplit(char::is_whitespace);
    let Some(last) = words.next() else {
        return (false, false);
    };
    let previous = words.next().unwrap_or("");
    let this = |word: &str| {
        matches!(
            word.to_lowercase().as_str(),
            "this" | "these" | "present" | "이" | "본"
        )
    };
    if this(last) {
        return (false, true);
    }
    let word = last.trim_matches(|c: char| {
        !c.is_alphanumeric() && c != '.' && c != '-' && c != '/' && c != '\'' && c != '’'
    });
    // Korean: `같은 법 제3조`, `시행령 제5조`; `이 규칙 제3조` is this document.
    if word.chars().any(is_hangul) {
        if KOREAN_INSTRUMENTS.iter().any(|s| word.ends_with(s)) {
            return if this(previous) {
                (false, true)
            } else {
                (true, false)
            };
        }
        return (false, false);
    }
    let word = word.trim_end_matches('.');
    if let Some(owner) = word.strip_suffix("'s").or_else(|| word.strip_suffix("’s")) {
        return (owner.starts_with(|c: char| c.is_uppercase()), false);
    }
    if INSTRUMENTS.contains(&word) {
        return if this(previous) {
            (false, true)
        } else {
            (true, false)
        };
    }
    // `section 3.c, section 7`: the word before is another reference's number.
    if KEYWORD.is_match(previous.trim_matches(|c: char| !c.is_alphanumeric() && c != '§')) {
        return (false, false);
    }
    let has_digit = word.chars().any(|c| c.is_ascii_digit());
    let identifier = has_digit
        && word
            .chars()
            .any(|c| c.is_ascii_alphabetic() || c == '/' || c == '-');
    let letters: String = word.chars().filter(|c| c.is_alphabetic()).collect();
    let acronym = letters.chars().count() >= 2
        && letters.chars().all(char::is_uppercase)
        && roman_value(&letters).is_none();
    (identifier || acronym, false)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum After {
    Nothing,
    /// `of this Regulation`, `above`.
    Internal,
    /// `of the Act`, `to the Regulations`.
    External,
    /// `Section 2 of Part III`: qualified by another division, not resolved.
    Scoped,
}

fn after_context(after: &str) -> After {
    static AFTER: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"^\s*(?:(?i:(?P<marker>above|below|hereof|herein|hereunder))\b|(?i:(?P<link>of|to))\s+(?:(?i:(?P<this>this|these|the\s+present))\b|(?i:(?P<division>sections?|articles?|chapters?|parts?|annex|appendix|schedule))\s+[0-9A-Z]|(?i:(?P<article>the|that|said|a|an))\s+(?P<named>\p{Lu})?|(?P<name>\p{Lu})))",
        )
        .expect("after pattern is valid")
    });
    let Some(captures) = AFTER.captures(after) else {
        return After::Nothing;
    };
    if captures.name("marker").is_some() || captures.name("this").is_some() {
        return After::Internal;
    }
    if captures.name("division").is_some() {
        return After::Scoped;
    }
    let of = captures
        .name("link")
        .is_some_and(|m| m.as_str().eq_ignore_ascii_case("of"));
    // `of the Act`, `of Regulation (EU) …`, `to the Regulations`: another document.
    // `of the plan` may mean this plan or another one: not judged either.
    let named = captures.name("named").is_some() || captures.name("name").is_some();
    if named || (of && captures.name("article").is_some()) {
        After::External
    } else {
        After::Nothing
    }
}

/// A Markdown footnote definition (`[^3]: …`): its references are usually citations.
fn is_footnote(doc: &Document, block: &Block) -> bool {
    let start = block.range.start;
    // `memrchr` directly: `rfind('\n')` reaches it only if the compiler inlines the char
    // searcher, and when it did not, the search cost twice as much.
    let line_start = memchr::memrchr(b'\n', &doc.text.as_bytes()[..start]).map_or(0, |i| i + 1);
    let lead = doc.text[line_start..start].trim_start();
    lead.starts_with("[^") && lead.contains("]:")
}

fn is_hangul(c: char) -> bool {
    matches!(c, '\u{AC00}'..='\u{D7A3}' | '\u{1100}'..='\u{11FF}' | '\u{3130}'..='\u{318F}')
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_flags, assert_no_findings, flagged};

    const RULE: &str = "broken-cross-reference";

    const PLAN: &str = "# Harbour Plan\n\n## 1. Scope\n\nText.\n\n## 2. Funding\n\n### 2.1 Grants\n\n### 2.2 Loans\n\n## 3. Timetable\n\n";

    fn plan(body: &str) -> String {
        format!("{PLAN}{body}\n")
    }

    /// The judgement keeps the headings index and each piece's verdicts between edits of
    /// the server's draft: after each edit, whether it renumbers a heading elsewhere,
    /// changes a level or leaves the headings alone, the findings are a fresh analysis's.
    #[test]
    fn kept_verdicts_follow_the_headings() {
        use crate::analysis::incremental::AnalysisCache;
        use crate::analysis::{analyze, DocumentKind};
        use crate::config::Config;
        let config = Config::default();
        let found = |analysis: crate::analysis::Analysis| -> Vec<(std::ops::Range<usize>, crate::analysis::Message)> {
            analysis
                .diagnostics
                .into_iter()
                .filter(|d| d.rule == RULE)
                .map(|d| (d.range, d.message))
                .collect()
        };
        let mut cache = AnalysisCache::with_min_chunk(1);
        let mut text = plan("See Section 4.\n\nSee Section 3 and Section 2.3.\n\nOther text.");
        let edits: &[(&str, &str)] = &[
            ("", ""),
            ("## 3. Timetable", "## 4. Timetable"),
            ("Other text.", "Other texts."),
            ("### 2.2 Loans", "### 2.3 Loans"),
            ("## 2. Funding", "# 2. Funding"),
            ("## 4. Timetable", "## 3. Timetable"),
        ];
        for (before, after) in edits {
            text = text.replacen(before, after, 1);
            let kept = found(cache.reanalyze(&text, DocumentKind::Markdown, &config));
            let fresh = found(analyze(&text, DocumentKind::Markdown, &config));
            assert_eq!(kept, fresh, "after {before:?} -> {after:?} in {text:?}");
        }
    }

    #[test]
    fn flags_missing_sections() {
        assert_flags(
            RULE,
            &plan("Costs are set out in Section 4 and in section 2.3; see also Section 2.1."),
            &["Section 4", "section 2.3"],
        );
    }

    #[test]
    fn message_names_the_highest() {
        let text = plan("See Section 6.");
        let analysis = crate::analysis::analyze(
            &text,
            crate::analysis::DocumentKind::Markdown,
            &crate::config::Config::default(),
        );
        let messages: Vec<&str> = analysis
            .diagnostics
            .iter()
            .filter(|d| d.rule == RULE)
            .map(|d| d.message.as_str())
            .collect();
        assert_eq!(
            messages,
            ["there is no Section 6 in this draft; the highest is 3"]
        );
    }

    #[test]
    fn resolves_sections_that_exist() {
        assert_no_findings(
            RULE,
            &plan("As Section 2 explains, the terms of sections 1 and 3 apply; Section 2.2(b) covers loans, §3 the dates."),
        );
    }

    #[test]
    fn lists_and_ranges() {
        assert_flags(
            RULE,
            &plan("Sections 1, 3 and 5 apply. Sections 2 to 7 do not."),
            &["5", "7"],
        );
    }

    #[test]
    fn external_references_are_skipped() {
        assert_no_findings(
            RULE,
            &plan("Operators keep the rights under Article 14 of the Port Authority Act and Section 9 of the Act. Schedule 4 to the Harbour Regulations lists fees. See Harbour Circular B-12, section 8(b), and 12 U.S.C. § 5301."),
        );
    }

    #[test]
    fn of_this_is_internal() {
        assert_flags(
            RULE,
            &plan("The duties in Section 7 of this Plan and Section 3 of this Plan apply."),
            &["Section 7"],
        );
    }

    #[test]
    fn references_in_headings_and_quotations_are_skipped() {
        assert_no_findings(
            RULE,
            "# Harbour Plan\n\n## 1. Scope and Section 9\n\nThe mayor said, \"Section 9 will be the best part of the plan.\"\n\n> Under Section 8, fees rise.\n",
        );
    }

    #[test]
    fn articles_and_korean_articles() {
        let rules = "Rules of the Reading Room\n\nArticle 1 (Purpose)\n\nThese rules govern the room.\n\nArticle 2 (Loans)\n\nLoans follow Article 1 and Article 2(1); breaches fall under Article 5.\n\n제3조 (벌칙) Penalties\n\n① 제2조를 위반하면 제9조에 따라 처리한다. 「도서관법」 제12조와 같은 법 제14조를 따른다.\n";
        assert_flags(RULE, rules, &["Article 5", "제9조"]);
    }

    #[test]
    fn korean_this_rule_is_internal_and_trillions_are_not_articles() {
        assert_flags(
            RULE,
            "마을 규칙\n\n제1조 (목적) Purpose\n\n이 규칙 제4조를 본다. 경제 1조 원 규모이다.\n",
            &["제4조"],
        );
    }

    #[test]
    fn articles_without_article_headings_are_not_judged() {
        assert_no_findings(
            RULE,
            "# Harbour Plan\n\n## 1. Scope\n\nThe port may act under Article 14. Chapter 3 and Part II of the old plan lapsed.\n",
        );
    }

    #[test]
    fn annexes() {
        assert_flags(
            RULE,
            "# Harbour Plan\n\n## 1. Scope\n\nSee Annex A and Annex B.\n\n## Annex A. Maps\n\nMaps.\n",
            &["Annex B"],
        );
        // No annexes at all: still broken.
        assert_flags(
            RULE,
            "# Harbour Plan\n\nSee Annex C for the maps.\n",
            &["Annex C"],
        );
        // An unnumbered annex heading: can't tell.
        assert_no_findings(
            RULE,
            "# Harbour Plan\n\nSee Annex C for the maps.\n\n## Annex: Maps\n\nMaps.\n",
        );
    }

    #[test]
    fn sections_without_numbered_headings_are_not_judged() {
        assert_no_findings(
            RULE,
            "# Harbour Plan\n\n## Scope\n\nSee Section 4 for the rules. Section 8 housing is excluded.\n",
        );
    }

    #[test]
    fn chapter_roman_matches_arabic() {
        assert_flags(
            RULE,
            "Library Code\n\nChapter 1 General\n\nText.\n\nChapter 2 Loans\n\nText.\n\nChapter 3 Fines\n\nChapter III sets fines; Chapter IV sets appeals.\n",
            &["Chapter IV"],
        );
    }

    #[test]
    fn lettered_sections_and_paths() {
        let text = "# Terms\n\n## A. Definitions\n\n## B. Accounts\n\n### 1. Controls\n\n### 2. Security\n\n## C. Content\n\nSee Section B, Section B.2 and Sections B.1 through B.3, and Section E.\n";
        assert_flags(RULE, text, &["B.3", "Section E"]);
    }

    #[test]
    fn references_in_a_row_are_not_citations() {
        assert_flags(
            RULE,
            &plan("See Section 2.1, Section 5 and Section 2.2, Section 6."),
            &["Section 5", "Section 6"],
        );
    }

    #[test]
    fn sub_items_below_unnumbered_levels_are_not_judged() {
        assert_no_findings(
            RULE,
            &plan("Under section 3d and Section 3.4, and paragraph 4(b), the dates hold."),
        );
    }

    #[test]
    fn plain_text_crlf_and_emoji() {
        assert_flags(
            RULE,
            "Ferry Notice 🚢\r\n\r\n1. Routes\r\n\r\nThe routes 🙂 change; see Section 2 and Section 1.\r\n",
            &["Section 2"],
        );
    }

    #[test]
    fn footnotes_cite_other_documents() {
        assert_no_findings(
            RULE,
            "# Harbour Plan\n\n## 1. Scope\n\nText.[^1]\n\n[^1]: Section 503(a), Port Law.\n",
        );
    }

    #[test]
    fn never_panics_on_odd_input() {
        for text in [
            "Section",
            "§",
            "Section 99999",
            "제",
            "Articles 1,",
            "Section I.",
            "Annex (a)",
            "Part 0",
        ] {
            let _ = flagged(RULE, text);
        }
    }

    /// The keyword scan finds exactly what the pattern it replaces found.
    #[test]
    fn keyword_scan_equals_the_pattern() {
        let pattern =
            regex::Regex::new(&format!(r"(?i:\b(?:{})\b|§§?)", super::KEYWORDS.join("|"))).unwrap();
        let pieces = [
            "Section",
            "sections",
            "PART",
            "parts",
            "Annexes",
            "annex",
            "appendix",
            "Appendices",
            "schedule",
            "ſection",
            "ſ",
            "ſchedules",
            "§",
            "§§",
            " ",
            "2",
            "_",
            "-",
            "sub",
            "x",
            "제1조",
            "한",
            "é",
            "K",
            "\u{301}",
            "’",
            ".",
            "département",
            "part2",
            "\n",
        ];
        for text in crate::analysis::testing::random_texts(&pieces, 5_000, 8) {
            let expected: Vec<_> = pattern.find_iter(&text).map(|m| m.range()).collect();
            assert_eq!(super::keywords(&text), expected, "{text:?}");
        }
    }
}
