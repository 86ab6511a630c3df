//! Quotations (RULES.md §2): text between paired quote marks, and Markdown block quotes.
//!
//! Marks are paired per block (paragraph) with one stack, each mark belonging to a family
//! (double, single, 「」, 『』). Curly and corner marks say which side they are on. Straight
//! marks (`"`, `'`) are read from their neighbours the way "smart quotes" are typeset: after
//! a space and before a word a mark opens, after a word and before a space it closes, and a
//! `'` between two letters (`Yoon's`) is an apostrophe, not a mark. What the neighbours leave
//! open is settled by what is already open. A closing `'`/`’` after a letter with nothing to
//! close is a possessive (`workers'`), and a straight mark after a digit a prime (`12"`).
//!
//! Whether a quotation is somebody's words ([`QuotationKind::Speech`]) or a quoted term is
//! decided here; who said it is the `unattributed-quote` rule's business, which needs the
//! sentences found after this pass.

use std::borrow::Cow;
use std::cmp::Reverse;
use std::collections::HashSet;
use std::ops::Range;
use std::sync::LazyLock;

use super::document::Document;
use super::text::{floor_char_boundary, is_alphabetic, is_alphanumeric};

/// Speech or a quoted term (RULES.md §2, NOTES decision 4).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QuotationKind {
    /// Somebody's words: five or more words, or a quotation standing on its own that ends
    /// in `.` `!` `?` `,` inside the marks.
    Speech,
    /// A quoted name or phrase (`'export plus'`, a Title-Case title, a short phrase that is
    /// part of the sentence): never needs a speaker; a glossary candidate.
    Term,
}

/// How a quotation is marked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum QuotationForm {
    /// Between quote marks.
    Marked,
    /// A Markdown block quote, `index` into [`Document::block_quotes`]. `source` is its
    /// attribution line (`— X, *Report*, 2023`) when that is the last line inside it; the
    /// quotation's range leaves it out.
    Block {
        index: usize,
        source: Option<Range<usize>>,
    },
}

/// Text between paired quote marks, or a Markdown block quote.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Quotation {
    /// The quotation with its marks (for a block quote: its text after `> `).
    pub range: Range<usize>,
    /// The quoted words, between the marks.
    pub inner: Range<usize>,
    /// Index of the block it starts in.
    pub block: usize,
    pub kind: QuotationKind,
    pub form: QuotationForm,
    /// Index (into [`Document::quotations`]) of the quotation this one sits inside: the
    /// outer speech of a quote within a quote, or the block quote around a marked quote.
    pub enclosing: Option<usize>,
}

/// Which side of a quotation a mark stands on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MarkSide {
    Opening,
    Closing,
}

/// A quote mark with no partner in its paragraph.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QuoteMark {
    /// The mark itself.
    pub range: Range<usize>,
    pub block: usize,
    pub side: MarkSide,
}

/// Every quotation (in document order, enclosing ones before those inside them) and every
/// unpaired mark.
pub(crate) fn find(doc: &Document) -> (Vec<Quotation>, Vec<QuoteMark>) {
    let verbs = SpeechVerbs::default();
    let mut quotations: Vec<Quotation> = (0..doc.block_quotes.len())
        .filter_map(|index| block_quotation(doc, index))
        .collect();
    let mut unpaired = Vec::new();
    for (index, block) in doc.blocks.iter().enumerate() {
        let prose = doc.prose(block.range.clone());
        let Pairing { mut pairs, strays } = pair(scan_marks(prose, block.range.start));
        pairs.sort_by_key(|(open, _)| open.range.start);
        // End of the last quoted term, so that a list of them (`the "GPL," "BSD," and
        // "MIT" licences`) reads as terms throughout.
        let mut last_term_end = None;
        for (open, close) in pairs {
            let inner = open.range.end..close.range.start;
            let before = doc.prose(block.range.start..open.range.start);
            let after = doc.prose(close.range.end..block.range.end);
            let continues_list = last_term_end.is_some_and(|end| {
                end <= open.range.start && doc.prose(end..open.range.start).trim().is_empty()
            });
            let setting = match setting(before, after, &verbs) {
                Setting::Free if continues_list => Setting::Woven,
                setting => setting,
            };
            let kind = classify(doc.prose(inner.clone()), setting);
            if kind == QuotationKind::Term {
                last_term_end = Some(close.range.end);
            }
            quotations.push(Quotation {
                range: open.range.start..close.range.end,
                inner,
                block: index,
                kind,
                form: QuotationForm::Marked,
                enclosing: None,
            });
        }
        unpaired.extend(strays.into_iter().map(|(mark, side)| QuoteMark {
            range: mark.range,
            block: index,
            side,
        }));
    }
    quotations.sort_by_key(|q| (q.range.start, Reverse(q.range.end)));
    link_enclosing(&mut quotations);
    unpaired.sort_by_key(|m| m.range.start);
    (quotations, unpaired)
}

/// A block quote's text as one quotation, its trailing source line set apart.
fn block_quotation(doc: &Document, index: usize) -> Option<Quotation> {
    let blocks = &doc.block_quotes[index].blocks;
    if blocks.is_empty() {
        return None;
    }
    let first = &doc.blocks[blocks.start];
    if is_admonition(doc.prose(first.range.clone())) {
        return None;
    }
    let last = &doc.blocks[blocks.end - 1];
    let start = first.range.start;
    let mut end = last.range.end;
    let last_prose = doc.prose(last.range.clone());
    let line_start = last.range.start + last_prose.rfind('\n').map_or(0, |i| i + 1);
    let source = source_line(doc, line_start..end);
    if source.is_some() {
        // The quoted text ends where the prose before the source line does; the `>` markers
        // in between are already blanked.
        end = start + doc.prose(start..line_start).trim_end().len();
    }
    if end <= start {
        return None;
    }
    let kind = classify(doc.prose(start..end), Setting::Free);
    Some(Quotation {
        range: start..end,
        inner: start..end,
        block: blocks.start,
        kind,
        form: QuotationForm::Block { index, source },
        enclosing: None,
    })
}

/// A GitHub alert (`> [!NOTE]`, `> [!WARNING]`) borrows block-quote syntax for a callout;
/// it quotes nobody.
fn is_admonition(first_block: &str) -> bool {
    first_block
        .strip_prefix("[!")
        .and_then(|rest| rest.split_once(']'))
        .is_some_and(|(label, _)| !label.is_empty() && label.chars().all(char::is_alphabetic))
}

/// The trimmed range of `line` if it is an attribution line: `— X`, `-- X`, `― X`.
pub(crate) fn source_line(doc: &Document, line: Range<usize>) -> Option<Range<usize>> {
    let prose = doc.prose(line.clone());
    let trimmed = prose.trim();
    let is_source = ["—", "―", "–", "--"]
        .iter()
        .any(|dash| trimmed.starts_with(dash))
        && trimmed.chars().any(char::is_alphabetic);
    is_source.then(|| {
        let start = line.start + (prose.len() - prose.trim_start().len());
        start..start + trimmed.len()
    })
}

/// Sets each quotation's `enclosing` from the nesting of ranges; `quotations` is sorted by
/// start, outer first.
fn link_enclosing(quotations: &mut [Quotation]) {
    let mut open: Vec<usize> = Vec::new();
    for i in 0..quotations.len() {
        let start = quotations[i].range.start;
        while open
            .last()
            .is_some_and(|&o| quotations[o].range.end <= start)
        {
            open.pop();
        }
        quotations[i].enclosing = open.last().copied();
        open.push(i);
    }
}

/// How the words around a quotation present it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Setting {
    /// Introduced as speech, or standing on its own.
    Free,
    /// Woven into the sentence (`to build a 'smart port.'`): a term unless it is long.
    Woven,
    /// Presented as a name or a defined term (`titled "…"`, `"…" means`): a term at any
    /// length.
    Named,
}

/// Quoted text longer than this (in bytes) is speech unless presented as a name: no title
/// runs so long, and reading no further keeps nested quotations linear.
const LONGEST_TERM: usize = 300;

/// Speech or term, from the quoted words and their setting.
fn classify(inner: &str, setting: Setting) -> QuotationKind {
    if setting == Setting::Named {
        return QuotationKind::Term;
    }
    if inner.len() > LONGEST_TERM {
        return QuotationKind::Speech;
    }
    // Most quotations are ASCII; splitting their bytes is cheaper than decoding them. The
    // vertical tab is whitespace to `char` but not to `u8`, so its rare presence takes the
    // general path.
    let words = if inner.is_ascii() && !inner.contains('\x0B') {
        count_words(inner.split_ascii_whitespace())
    } else {
        count_words(inner.split_whitespace())
    };
    let ends_like_speech = inner
        .trim_end()
        .ends_with(['.', '!', '?', ',', '。', '！', '？', '，']);
    if words.count >= 2 && words.title_case {
        QuotationKind::Term
    } else if words.count >= SPEECH_WORDS || (ends_like_speech && setting == Setting::Free) {
        QuotationKind::Speech
    } else {
        QuotationKind::Term
    }
}

/// Words enough for a quotation not in Title Case to be speech wherever it stands.
const SPEECH_WORDS: usize = 5;

/// How many words a quotation has and whether they are written in Title Case.
struct WordCount {
    /// Counted no further than [`SPEECH_WORDS`] once the words are not in Title Case:
    /// nothing more is decided by them.
    count: usize,
    /// The first word capitalised, every other one capitalised or minor.
    title_case: bool,
}

/// Counts the pieces with a letter or digit in them (the words), in one pass and
/// without collecting them.
fn count_words<'a>(pieces: impl Iterator<Item = &'a str>) -> WordCount {
    let mut words = WordCount {
        count: 0,
        title_case: true,
    };
    for word in pieces.filter(|w| w.chars().any(char::is_alphanumeric)) {
        if words.title_case {
            words.title_case = is_capitalised(word) || words.count > 0 && is_minor_word(word);
        }
        words.count += 1;
        if !words.title_case && words.count >= SPEECH_WORDS {
            break;
        }
    }
    words
}

/// Words before a quotation that present it as a name: `titled "…"`, `(hereinafter "…")`.
const NAMING_WORDS: &[&str] = &[
    "hereinafter",
    "called",
    "titled",
    "entitled",
    "named",
    "dubbed",
    "so-called",
    "term",
];

/// Words after a quotation that define it: `"…" means`, `"…" refers to`.
const DEFINING_WORDS: &[&[&str]] = &[
    &["means"],
    &["refers"],
    &["shall", "mean"],
    &["is", "defined"],
];

/// The setting of a quotation from the prose before and after it in its block.
fn setting(before: &str, after: &str, verbs: &SpeechVerbs) -> Setting {
    // A few words either side decide; looking no further keeps the pass linear.
    const WINDOW: usize = 48;
    let before = &before[floor_char_boundary(before, before.len().saturating_sub(WINDOW))..];
    let after = &after[..floor_char_boundary(after, after.len().min(WINDOW))];
    let mut previous = before
        .rsplit(|c: char| !(c.is_alphanumeric() || c == '-'))
        .filter(|w| !w.is_empty());
    let last = previous.next().unwrap_or_default();
    // `last` is compared in ASCII case, without a lower-case copy: no naming word has a
    // `k`, the one letter (from the Kelvin sign) that lower-cases into ASCII from outside.
    let named_before = NAMING_WORDS.iter().any(|w| w.eq_ignore_ascii_case(last))
        || (last.eq_ignore_ascii_case("as")
            && previous.next().is_some_and(|w| {
                matches!(w.to_lowercase().as_str(), "known" | "to" | "designated")
            }));
    let mut following = after.split_whitespace();
    let next_two = [following.next(), following.next()];
    let defined_after = DEFINING_WORDS
        .iter()
        .any(|d| d.iter().zip(next_two).all(|(w, next)| next == Some(*w)));
    if named_before || defined_after {
        return Setting::Named;
    }
    // A word running straight into the quotation weaves it into the sentence, unless that
    // word is a speech verb introducing it (`said "No."`).
    let trimmed = before.trim_end();
    let woven = trimmed.ends_with(char::is_alphanumeric)
        && matches!(verbs.form(last), None | Some(VerbForm::Base));
    if woven {
        Setting::Woven
    } else {
        Setting::Free
    }
}

/// Words that stay lower-case in a Title-Case name.
const MINOR_WORDS: &[&str] = &[
    "a", "an", "the", "and", "or", "but", "nor", "of", "in", "on", "at", "to", "for", "by", "with",
    "from", "as", "vs", "via", "per", "into",
];

/// A word whose first letter or digit is a capital or a digit.
fn is_capitalised(word: &str) -> bool {
    word.chars()
        .find(|c| c.is_alphanumeric())
        .is_some_and(|c| c.is_uppercase() || c.is_numeric())
}

/// A word that stays lower-case in a Title-Case name.
fn is_minor_word(word: &str) -> bool {
    let bare = word.trim_matches(|c: char| !c.is_alphanumeric());
    MINOR_WORDS.iter().any(|m| m.eq_ignore_ascii_case(bare))
}

/// Quote mark families: a mark pairs only with its own family.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Family {
    Double,
    Single,
    Corner,
    WhiteCorner,
}

/// What a mark may do, as far as its neighbours tell.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Role {
    Open,
    Close,
    /// Closes its family if open, otherwise opens (an ambiguous straight mark).
    OpenOrClose,
    /// Closes its family if open, otherwise is no mark (a possessive or a prime).
    CloseOrNothing,
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct Mark {
    range: Range<usize>,
    family: Family,
    role: Role,
}

/// What stands next to a mark.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Neighbour {
    /// Whitespace, or the edge of the block.
    Space,
    /// A letter or digit.
    Word,
    /// Punctuation that ends something: `.` `,` `)` a closing quote …
    Closer,
    /// Anything else: opening brackets, dashes, symbols, emoji, straight quotes.
    Other,
}

fn neighbour(c: Option<char>) -> Neighbour {
    match c {
        None => Neighbour::Space,
        Some(c) if c.is_whitespace() => Neighbour::Space,
        Some(c) if is_alphanumeric(c) => Neighbour::Word,
        Some(
            '.' | ',' | ';' | ':' | '!' | '?' | ')' | ']' | '}' | '…' | '%' | '。' | '、' | '，'
            | '！' | '？' | '）' | '”' | '’' | '」' | '』',
        ) => Neighbour::Closer,
        Some(_) => Neighbour::Other,
    }
}

/// Latin letters, where an apostrophe between two letters is part of the word.
fn is_latin_letter(c: Option<char>) -> bool {
    c.is_some_and(|c| c < '\u{0250}' && is_alphabetic(c))
}

/// The quote marks of one block's prose, with offsets from `base`.
fn scan_marks(prose: &str, base: usize) -> Vec<Mark> {
    // Only the bytes that can start a quote mark get a look at their neighbours: `"`, `'`,
    // and the lead bytes of the curly quotes (0xE2) and of the corner brackets (0xE3),
    // found with `memchr`. Most of a block is none of them. Most blocks have no corner
    // bracket either, and then the others are read as found, not gathered and sorted.
    let bytes = prose.as_bytes();
    let marks = memchr::memchr3_iter(b'"', b'\'', 0xE2, bytes);
    if memchr::memchr(0xE3, bytes).is_none() {
        return marks_at(prose, base, marks);
    }
    let mut candidates: Vec<usize> = marks.collect();
    candidates.extend(memchr::memchr_iter(0xE3, bytes));
    candidates.sort_unstable();
    marks_at(prose, base, candidates)
}

/// The quote marks among the bytes at `candidates` (in order), with offsets from `base`.
fn marks_at(prose: &str, base: usize, candidates: impl IntoIterator<Item = usize>) -> Vec<Mark> {
    let mut marks = Vec::new();
    for i in candidates {
        let c = prose[i..]
            .chars()
            .next()
            .expect("a lead byte starts a character");
        if !is_quote_mark(c) {
            continue;
        }
        let prev = prose[..i].chars().next_back();
        let next = prose[i + c.len_utf8()..].chars().next();
        if let Some((family, role)) = mark_role(c, prev, next) {
            marks.push(Mark {
                range: base + i..base + i + c.len_utf8(),
                family,
                role,
            });
        }
    }
    marks
}

/// The characters [`mark_role`] may take for a quote mark.
fn is_quote_mark(c: char) -> bool {
    matches!(
        c,
        '"' | '\'' | '“' | '”' | '‘' | '’' | '「' | '」' | '『' | '』'
    )
}

/// The family and role of `c` between `prev` and `next`, or `None` if it is no quote mark.
fn mark_role(c: char, prev: Option<char>, next: Option<char>) -> Option<(Family, Role)> {
    use Neighbour::{Closer, Other, Space, Word};
    let (before, after) = (neighbour(prev), neighbour(next));
    let inside_word = is_latin_letter(prev) && is_latin_letter(next);
    let after_digit = prev.is_some_and(|p| p.is_ascii_digit());
    match c {
        '“' => Some((Family::Double, Role::Open)),
        '”' => Some((Family::Double, Role::Close)),
        '「' => Some((Family::Corner, Role::Open)),
        '」' => Some((Family::Corner, Role::Close)),
        '『' => Some((Family::WhiteCorner, Role::Open)),
        '』' => Some((Family::WhiteCorner, Role::Close)),
        '‘' if inside_word => None,
        '‘' => Some((Family::Single, Role::Open)),
        '’' => match (before, after) {
            _ if inside_word => None,
            (Closer, _) => Some((Family::Single, Role::Close)),
            // `’90s`, `’tis`: an elision.
            (Space | Other, _) => None,
            (Word, _) => Some((Family::Single, Role::CloseOrNothing)),
        },
        '"' => Some((
            Family::Double,
            match (before, after) {
                (Space | Other, Word | Other) => Role::Open,
                (Word, Space | Closer) if after_digit => Role::CloseOrNothing,
                (Word | Closer, Space | Closer) => Role::Close,
                _ => Role::OpenOrClose,
            },
        )),
        '\'' => match (before, after) {
            _ if inside_word => None,
            // `'90s`: an elided century.
            (Space | Other, Word) if next.is_some_and(|n| n.is_ascii_digit()) => None,
            (Space | Other, Word | Other) => Some((Family::Single, Role::Open)),
            (Closer, Space | Closer) => Some((Family::Single, Role::Close)),
            _ => Some((Family::Single, Role::CloseOrNothing)),
        },
        _ => None,
    }
}

/// The marks of one block, paired.
struct Pairing {
    /// Opening and closing mark, in the order they close.
    pairs: Vec<(Mark, Mark)>,
    /// Unpaired marks with their side, in order.
    strays: Vec<(Mark, MarkSide)>,
}

/// Pairs marks with a stack.
fn pair(marks: Vec<Mark>) -> Pairing {
    let mut pairs = Vec::new();
    let mut strays = Vec::new();
    let mut open: Vec<Mark> = Vec::new();
    // How many marks of each family are open, so a closer with nothing to close costs
    // nothing and every stack search ends in a pop: pairing stays linear.
    let mut open_count = [0usize; 4];
    for mark in marks {
        let family = mark.family as usize;
        let can_close = open_count[family] > 0;
        let closes = match mark.role {
            Role::Open => false,
            Role::Close => true,
            Role::OpenOrClose => can_close,
            Role::CloseOrNothing if can_close => true,
            Role::CloseOrNothing => continue,
        };
        if !closes {
            open_count[family] += 1;
            open.push(mark);
            continue;
        }
        if !can_close {
            strays.push((mark, MarkSide::Closing));
            continue;
        }
        let at = open
            .iter()
            .rposition(|m| m.family == mark.family)
            .expect("open_count says one is open");
        // Marks opened inside the pair and never closed cross it: they are strays.
        for stray in open.drain(at + 1..) {
            open_count[stray.family as usize] -= 1;
            strays.push((stray, MarkSide::Opening));
        }
        let opener = open.pop().expect("the partner is on the stack");
        open_count[family] -= 1;
        pairs.push((opener, mark));
    }
    strays.extend(open.into_iter().map(|m| (m, MarkSide::Opening)));
    strays.sort_by_key(|(m, _)| m.range.start);
    Pairing { pairs, strays }
}

/// How a word stands as a speech verb.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VerbForm {
    /// `said`, `stated`, `wrote`.
    Past,
    /// `says`, `states`.
    Present,
    /// `saying`, `stating`.
    Participle,
    /// `say`, `state`: too often a noun (`state visit`) to count on its own.
    Base,
}

/// Verbs that introduce speech, by lemma: RULES.md's list and its common companions.
/// Other verbs count by their position next to a speaker and a quotation (see the
/// `unattributed-quote` rule), so this list need not be complete.
const SPEECH_VERBS: &[&str] = &[
    "say",
    "state",
    "add",
    "explain",
    "emphasize",
    "emphasise",
    "stress",
    "urge",
    "note",
    "argue",
    "announce",
    "tell",
    "write",
    "ask",
    "reply",
    "claim",
    "insist",
    "warn",
    "promise",
    "indicate",
    "evaluate",
    "elaborate",
    "convey",
    "declare",
    "comment",
    "remark",
    "respond",
    "answer",
    "observe",
    "mention",
    "assert",
    "affirm",
    "acknowledge",
    "admit",
    "concede",
    "confirm",
    "contend",
    "conclude",
    "recall",
    "recount",
    "pledge",
    "vow",
    "testify",
    "underline",
    "underscore",
    "reiterate",
    "proclaim",
    "quip",
    "joke",
    "exclaim",
    "shout",
    "complain",
    "lament",
    "caution",
    "assure",
    "reassure",
    "speak",
    "read",
    "tweet",
    "retort",
    "boast",
    "restate",
    "summarize",
    "summarise",
];

/// Irregular forms of the verbs above.
const IRREGULAR_FORMS: &[(&str, &str, VerbForm)] = &[
    ("said", "say", VerbForm::Past),
    ("says", "say", VerbForm::Present),
    ("told", "tell", VerbForm::Past),
    ("wrote", "write", VerbForm::Past),
    ("written", "write", VerbForm::Past),
    ("spoke", "speak", VerbForm::Past),
    ("spoken", "speak", VerbForm::Past),
];

/// The speech-verb vocabulary: the built-in lemmas plus any from the configuration
/// (`speech_verbs`, in any form: `quip`, `quipped`).
#[derive(Clone, Debug, Default)]
pub struct SpeechVerbs {
    extra: HashSet<String>,
    /// The first two bytes ([`head`]) of every entry of `extra`.
    extra_heads: HashSet<Vec<u8>>,
}

/// The first two letters of every built-in speech verb and irregular form, all lower-case
/// ASCII: bit `b` of entry `a` says some verb begins with letter `a` then letter `b`
/// (counted from `a`). Testing a word's start is two shifts, not a hash.
static BUILTIN_HEADS: LazyLock<[u32; 26]> = LazyLock::new(|| {
    let mut heads = [0; 26];
    for verb in SPEECH_VERBS
        .iter()
        .chain(IRREGULAR_FORMS.iter().map(|(form, _, _)| form))
    {
        let &[first, second, ..] = verb.as_bytes() else {
            unreachable!("every speech verb has two letters or more");
        };
        heads[usize::from(first - b'a')] |= 1 << (second - b'a');
    }
    heads
});

/// Whether a built-in speech verb or irregular form begins with `start` (lower-cased).
fn is_builtin_head(start: [u8; 2]) -> bool {
    match start {
        [first @ b'a'..=b'z', second @ b'a'..=b'z'] => {
            BUILTIN_HEADS[usize::from(first - b'a')] >> (second - b'a') & 1 == 1
        }
        _ => false,
    }
}

/// A word's first two bytes, or all of it if shorter.
fn head(word: &str) -> &[u8] {
    &word.as_bytes()[..word.len().min(2)]
}

impl SpeechVerbs {
    pub fn new(extra: &[String]) -> Self {
        let mut set = HashSet::new();
        for word in extra {
            let word = word.trim().to_lowercase();
            set.extend(lemmas(&word).map(|(stem, ending, _)| format!("{stem}{ending}")));
            set.insert(word);
        }
        let extra_heads = set.iter().map(|verb| head(verb).to_vec()).collect();
        SpeechVerbs {
            extra: set,
            extra_heads,
        }
    }

    /// The form of `word` if it is a speech verb. Case-insensitive.
    pub fn form(&self, word: &str) -> Option<VerbForm> {
        // Every form and lemma tried below begins with the word's first two bytes (a stem
        // keeps at least two), lower-cased. Most words begin like no speech verb and are
        // ruled out here, before they are lower-cased and inflected.
        if let [first, second, ..] = *word.as_bytes() {
            if first.is_ascii() && second.is_ascii() {
                let start = [first.to_ascii_lowercase(), second.to_ascii_lowercase()];
                if !is_builtin_head(start) && !self.extra_heads.contains(&start[..]) {
                    return None;
                }
            }
        }
        // Lower-case words, most of those that get this far, are read as they are.
        let lower = if word.bytes().all(|b| b.is_ascii_lowercase()) {
            Cow::Borrowed(word)
        } else {
            Cow::Owned(word.to_lowercase())
        };
        if let Some(&(_, _, form)) = IRREGULAR_FORMS.iter().find(|(w, _, _)| *w == lower) {
            return Some(form);
        }
        let lemma = lemmas(&lower).find(|&(stem, ending, _)| self.is_lemma(stem, ending));
        lemma.map(|(_, _, form)| form)
    }

    /// Whether `stem` followed by `ending` is a speech verb's lemma, built-in or
    /// configured. Only a configured one needs the two joined.
    fn is_lemma(&self, stem: &str, ending: &str) -> bool {
        let joins = |verb: &str| {
            verb.len() == stem.len() + ending.len()
                && verb.starts_with(stem)
                && verb.ends_with(ending)
        };
        SPEECH_VERBS.iter().any(|verb| joins(verb))
            || !self.extra.is_empty() && self.extra.contains(&format!("{stem}{ending}"))
    }
}

/// The lemmas `word` could be an inflection of, with the inflection, each as a stem of
/// `word` and an ending to add to it (so that trying them allocates nothing): `stated` →
/// `stat` + `e` (and `stat`), `replied` → `repl` + `y`, `quipping` → `quip`.
fn lemmas(word: &str) -> impl Iterator<Item = (&str, &'static str, VerbForm)> {
    let stem = move |suffix: &str| word.strip_suffix(suffix).filter(|s| s.len() >= 2);
    let regular = [
        ("ed", VerbForm::Past),
        ("ing", VerbForm::Participle),
        ("es", VerbForm::Present),
    ]
    .into_iter()
    .filter_map(move |(suffix, form)| Some((stem(suffix)?, form)))
    .flat_map(|(s, form)| {
        // A doubled final consonant: `quipped` → `quip`. An ASCII one: the last two bytes
        // of a longer character may be equal too (`၁` is E1 81 81), and cutting one off
        // would split it.
        let bytes = s.as_bytes();
        let doubled = bytes.len() >= 3
            && bytes[bytes.len() - 1].is_ascii()
            && bytes[bytes.len() - 1] == bytes[bytes.len() - 2];
        [
            Some((s, "", form)),
            Some((s, "e", form)),
            doubled.then(|| (&s[..s.len() - 1], "", form)),
        ]
        .into_iter()
        .flatten()
    });
    std::iter::once((word, "", VerbForm::Base))
        .chain(regular)
        .chain(stem("ied").map(|s| (s, "y", VerbForm::Past)))
        .chain(stem("ies").map(|s| (s, "y", VerbForm::Present)))
        .chain(
            stem("s")
                .filter(|s| !s.ends_with('s'))
                .map(|s| (s, "", VerbForm::Present)),
        )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::DocumentKind;
    use crate::config::Config;

    fn parse(text: &str, kind: DocumentKind) -> Document {
        Document::parse(text, kind, &Config::default())
    }

    /// Each quotation's source text and kind.
    fn quotations(text: &str) -> Vec<(&str, QuotationKind)> {
        parse(text, DocumentKind::PlainText)
            .quotations
            .iter()
            .map(|q| (&text[q.range.clone()], q.kind))
            .collect()
    }

    fn unpaired(text: &str) -> Vec<&str> {
        parse(text, DocumentKind::PlainText)
            .unpaired_quote_marks
            .iter()
            .map(|m| &text[m.range.clone()])
            .collect()
    }

    use QuotationKind::{Speech, Term};

    #[test]
    fn pairs_every_kind_of_mark() {
        let text = "A \"one two\" b “three” c ‘four’ d 'five' e 「six」 f 『seven』.";
        let found: Vec<_> = quotations(text).into_iter().map(|(t, _)| t).collect();
        assert_eq!(
            found,
            [
                "\"one two\"",
                "“three”",
                "‘four’",
                "'five'",
                "「six」",
                "『seven』"
            ]
        );
        assert!(unpaired(text).is_empty());
    }

    #[test]
    fn apostrophes_inside_words_are_not_marks() {
        let text = "The agency's plan and Kim’s 'pilot' don't change the '90s rules.";
        assert_eq!(quotations(text), [("'pilot'", Term)]);
        assert!(unpaired(text).is_empty());
    }

    #[test]
    fn trailing_possessives_and_primes_are_not_marks() {
        let text = "The workers' rights and a 12\" screen matter.";
        assert!(quotations(text).is_empty());
        assert!(unpaired(text).is_empty());
    }

    #[test]
    fn nested_quotes_pair_inside_out() {
        let text = "He said, \"The 'green corridor' between the two ports must open.\"";
        let doc = parse(text, DocumentKind::PlainText);
        let found: Vec<_> = doc
            .quotations
            .iter()
            .map(|q| (&text[q.range.clone()], q.enclosing))
            .collect();
        assert_eq!(
            found,
            [
                (
                    "\"The 'green corridor' between the two ports must open.\"",
                    None
                ),
                ("'green corridor'", Some(0)),
            ]
        );
        assert_eq!(
            &text[doc.quotations[0].inner.clone()],
            "The 'green corridor' between the two ports must open."
        );
    }

    #[test]
    fn speech_and_terms() {
        let text = concat!(
            "She said, \"We will act.\" The 'blue fund' grew. ",
            "It aims to build a 'smart port.' ",
            "The 'Coastal Freight Renewal Programme For Small Harbours.' opened. ",
            "\"Never,\" he said. \"The port will stay open all winter\" was the plan."
        );
        assert_eq!(
            quotations(text),
            [
                ("\"We will act.\"", Speech),
                ("'blue fund'", Term),
                ("'smart port.'", Term),
                (
                    "'Coastal Freight Renewal Programme For Small Harbours.'",
                    Term
                ),
                ("\"Never,\"", Speech),
                ("\"The port will stay open all winter\"", Speech),
            ]
        );
    }

    #[test]
    fn named_and_defined_quotations_are_terms_at_any_length() {
        let text = concat!(
            "A report titled \"Why small harbours lose their young people\" appeared. ",
            "\"Shared data access request for research use\" means an application. ",
            "Rules (hereinafter \"the rules for shared harbour data\") apply."
        );
        assert!(quotations(text).iter().all(|&(_, kind)| kind == Term));
    }

    #[test]
    fn unpaired_marks_in_a_paragraph() {
        let text = "He said, “Go now.\n\nStop here” she said.\n\nA \"quote\n";
        assert_eq!(unpaired(text), ["“", "”", "\""]);
    }

    #[test]
    fn a_quote_across_two_lines_of_one_paragraph_is_balanced() {
        let text = "He said, “Every hub\nmust publish a scorecard.”\n\nNext.\n";
        assert!(unpaired(text).is_empty());
        assert_eq!(quotations(text).len(), 1);
    }

    #[test]
    fn korean_marks_crlf_and_emoji() {
        let text = "장관은 「데이터가 농가를 살린다.」 라고 했다.\r\n🎉\"We did it, finally,\" she said.\r\n정부는 '수출 플러스'를 목표로 한다.\r\n";
        let found: Vec<_> = quotations(text).into_iter().map(|(t, _)| t).collect();
        assert_eq!(
            found,
            [
                "「데이터가 농가를 살린다.」",
                "\"We did it, finally,\"",
                "'수출 플러스'"
            ]
        );
        assert!(unpaired(text).is_empty());
    }

    #[test]
    fn block_quotes_are_quotations_with_their_source_line() {
        let text = "The board wrote:\n\n> Funding must follow results, not promises.\n> — Review Board, *Annual Review*, 2023\n\nAfter.\n";
        let doc = parse(text, DocumentKind::Markdown);
        let quote = &doc.quotations[0];
        assert_eq!(
            &text[quote.range.clone()],
            "Funding must follow results, not promises."
        );
        assert_eq!(quote.kind, Speech);
        let QuotationForm::Block {
            source: Some(source),
            ..
        } = &quote.form
        else {
            panic!("no source line: {:?}", quote.form);
        };
        assert_eq!(
            &text[source.clone()],
            "— Review Board, *Annual Review*, 2023"
        );
    }

    #[test]
    fn block_quote_source_lines_with_crlf() {
        let text = "Intro.\r\n\r\n> Funding must follow results.\r\n> -- Review Board, 2023\r\n";
        let doc = parse(text, DocumentKind::Markdown);
        assert_eq!(
            &text[doc.quotations[0].range.clone()],
            "Funding must follow results."
        );
        assert!(matches!(
            doc.quotations[0].form,
            QuotationForm::Block {
                source: Some(_),
                ..
            }
        ));
    }

    #[test]
    fn alerts_are_not_block_quotes() {
        let text = "> [!NOTE]\n> These terms were retired in 2021 and no longer apply.\n";
        assert!(parse(text, DocumentKind::Markdown).quotations.is_empty());
    }

    #[test]
    fn a_list_of_quoted_terms_stays_terms() {
        let text = "The \"Open,\" \"Shared,\" and \"Closed\" tiers apply.";
        assert!(quotations(text).iter().all(|&(_, kind)| kind == Term));
    }

    #[test]
    fn marked_quotes_inside_a_block_quote_are_enclosed_by_it() {
        let text = "> \"We will not wait for the market to fix this,\" the mayor said.\n";
        let doc = parse(text, DocumentKind::Markdown);
        assert_eq!(doc.quotations.len(), 2);
        assert!(matches!(
            doc.quotations[0].form,
            QuotationForm::Block { .. }
        ));
        assert_eq!(doc.quotations[1].enclosing, Some(0));
    }

    #[test]
    fn speech_verbs_in_any_form() {
        let verbs = SpeechVerbs::new(&["bantered".to_owned()]);
        assert_eq!(verbs.form("Stated"), Some(VerbForm::Past));
        assert_eq!(verbs.form("replied"), Some(VerbForm::Past));
        assert_eq!(verbs.form("says"), Some(VerbForm::Present));
        assert_eq!(verbs.form("stresses"), Some(VerbForm::Present));
        assert_eq!(verbs.form("saying"), Some(VerbForm::Participle));
        assert_eq!(verbs.form("state"), Some(VerbForm::Base));
        assert_eq!(verbs.form("banters"), Some(VerbForm::Present));
        assert_eq!(verbs.form("bantering"), Some(VerbForm::Participle));
        assert_eq!(verbs.form("BANTERS"), Some(VerbForm::Present));
        assert_eq!(verbs.form("Said"), Some(VerbForm::Past));
        assert_eq!(verbs.form("s"), None);
        assert_eq!(verbs.form("quipped"), Some(VerbForm::Past));
        assert_eq!(verbs.form("budget"), None);
        assert_eq!(SpeechVerbs::default().form("bantered"), None);
        // Its last two bytes are equal, but they are not a doubled consonant.
        assert_eq!(verbs.form("sa\u{1041}ed"), None);
    }

    /// Counting words in one pass, on the bytes of ASCII text, decides as collecting
    /// every word and testing them did.
    #[test]
    fn counting_words_classifies_as_collecting_them() {
        fn collected(inner: &str, setting: Setting) -> QuotationKind {
            if setting == Setting::Named {
                return Term;
            }
            if inner.len() > LONGEST_TERM {
                return Speech;
            }
            let words: Vec<&str> = inner
                .split_whitespace()
                .filter(|w| w.chars().any(char::is_alphanumeric))
                .collect();
            let ends_like_speech = inner
                .trim_end()
                .ends_with(['.', '!', '?', ',', '。', '！', '？', '，']);
            let title_case = words.first().is_some_and(|w| is_capitalised(w))
                && words.iter().all(|w| is_capitalised(w) || is_minor_word(w));
            if words.len() >= 2 && title_case {
                Term
            } else if words.len() >= 5 || (ends_like_speech && setting == Setting::Free) {
                Speech
            } else {
                Term
            }
        }
        let pieces = [
            " ", "  ", "\t", "\n", "\x0B", "\u{A0}", "The", "the", "of", "And", "port", "Port",
            "12", "-", "'", ".", ",", "!", "é", "Élan", "한", "(", "”",
        ];
        for text in crate::analysis::testing::random_texts(&pieces, 5_000, 12) {
            for setting in [Setting::Free, Setting::Woven] {
                assert_eq!(
                    classify(&text, setting),
                    collected(&text, setting),
                    "{text:?}"
                );
            }
        }
    }

    #[test]
    fn builtin_speech_verbs_are_lower_case_ascii_words() {
        for verb in SPEECH_VERBS
            .iter()
            .chain(IRREGULAR_FORMS.iter().map(|(form, _, _)| form))
        {
            assert!(verb.len() >= 2, "{verb}");
            assert!(verb.bytes().all(|b| b.is_ascii_lowercase()), "{verb}");
            assert!(is_builtin_head([verb.as_bytes()[0], verb.as_bytes()[1]]));
        }
        assert!(!is_builtin_head(*b"zz"));
        assert!(!is_builtin_head(*b"S "));
    }

    /// `setting` compares the word before a quotation with these in ASCII case, which
    /// equals lower-casing it first only while none has a `k` (the Kelvin sign lower-cases
    /// to one) and each is lower-case ASCII.
    #[test]
    fn naming_words_compare_in_ascii_case() {
        for word in NAMING_WORDS.iter().chain(&["as"]) {
            assert!(
                word.bytes()
                    .all(|b| (b.is_ascii_lowercase() || b == b'-') && b != b'k'),
                "{word}"
            );
        }
        let text =
            "A plan TITLED \"Harbour Data For Everyone In The Region\" and one known AS \"x\".";
        assert!(quotations(text).iter().all(|&(_, kind)| kind == Term));
    }

    /// Trying stems and endings in place reads every word as building each lemma did.
    #[test]
    fn speech_verb_forms_as_when_lemmas_were_built() {
        fn built(verbs: &SpeechVerbs, word: &str) -> Option<VerbForm> {
            let lower = word.to_lowercase();
            if let Some(&(_, _, form)) = IRREGULAR_FORMS.iter().find(|(w, _, _)| *w == lower) {
                return Some(form);
            }
            let stem = |suffix: &str| lower.strip_suffix(suffix).filter(|s| s.len() >= 2);
            let mut lemmas = vec![(lower.clone(), VerbForm::Base)];
            for (suffix, form) in [
                ("ed", VerbForm::Past),
                ("ing", VerbForm::Participle),
                ("es", VerbForm::Present),
            ] {
                if let Some(s) = stem(suffix) {
                    lemmas.push((s.to_owned(), form));
                    lemmas.push((format!("{s}e"), form));
                    let bytes = s.as_bytes();
                    if bytes.len() >= 3
                        && bytes[bytes.len() - 1].is_ascii()
                        && bytes[bytes.len() - 1] == bytes[bytes.len() - 2]
                    {
                        lemmas.push((s[..s.len() - 1].to_owned(), form));
                    }
                }
            }
            if let Some(s) = stem("ied") {
                lemmas.push((format!("{s}y"), VerbForm::Past));
            }
            if let Some(s) = stem("ies") {
                lemmas.push((format!("{s}y"), VerbForm::Present));
            }
            if let Some(s) = stem("s").filter(|s| !s.ends_with('s')) {
                lemmas.push((s.to_owned(), VerbForm::Present));
            }
            lemmas
                .into_iter()
                .find(|(lemma, _)| {
                    SPEECH_VERBS.contains(&lemma.as_str()) || verbs.extra.contains(lemma)
                })
                .map(|(_, form)| form)
        }
        let pieces = [
            "s", "sa", "id", "stat", "e", "ed", "es", "ing", "i", "y", "ies", "quip", "p", "S",
            "T", "repl", "ban", "ter", "told", "É", "ss", "\u{1041}",
        ];
        for verbs in [
            SpeechVerbs::default(),
            SpeechVerbs::new(&["bantered".to_owned(), "Opine".to_owned()]),
        ] {
            for word in crate::analysis::testing::random_texts(&pieces, 5_000, 3) {
                assert_eq!(verbs.form(&word), built(&verbs, &word), "{word:?}");
            }
        }
    }

    /// The scan that jumps to the bytes that can start a mark finds what looking at every
    /// character finds.
    #[test]
    fn scanning_candidate_bytes_finds_every_mark() {
        let pieces = [
            "\"", "'", "“", "”", "‘", "’", "「", "」", "『", "』", "—", "…", "。", "a", "Yoon",
            " ", "12", "한", "é", "🙂", ".", ",", "(", "\n",
        ];
        for text in crate::analysis::testing::random_texts(&pieces, 5_000, 12) {
            let mut every = Vec::new();
            let mut prev = None;
            let mut chars = text.char_indices().peekable();
            while let Some((i, c)) = chars.next() {
                let next = chars.peek().map(|&(_, n)| n);
                if let Some((family, role)) = mark_role(c, prev, next) {
                    every.push(Mark {
                        range: 7 + i..7 + i + c.len_utf8(),
                        family,
                        role,
                    });
                }
                prev = Some(c);
            }
            assert_eq!(scan_marks(&text, 7), every, "{text:?}");
        }
    }
}
