//! Phrase patterns: the rules' word-list patterns (`relative-date`, `vague-attribution`),
//! searched case-insensitively by whichever of two equal matchers costs less so far.
//!
//! Compiling such a pattern with `regex` costs several million instructions (every `\s`
//! and `\d` is a Unicode class turned into a UTF-8 automaton) — more than checking a
//! one-page draft. A [`Phrase`], a small backtracking matcher, is parsed from the same
//! pattern text in microseconds, but costs some hundreds of instructions per byte searched
//! where the compiled automaton costs ten. So a [`PhrasePattern`] searches with the
//! `Phrase` until it has searched [`COMPILE_AFTER`] bytes in this process, then compiles
//! the regular expression and uses it from then on: a page is checked without compiling,
//! a large draft or a long session pays the compilation once. Both find exactly what `(?i)`
//! and the pattern find with `regex` (leftmost-first), at the same byte offsets; the tests
//! of the rules compare them on thousands of generated texts.
//!
//! Why not `regex-lite`, the regex authors' crate for cheap compilation: it was tried with
//! the patterns spelled out for it (its `\s`, `\d` and `\b` are ASCII-only) and cost more
//! than compiling `regex` — on the one-page example 74.3 M instructions against 48.2 M
//! with this matcher (68.5 M with `regex` alone): its only engine, a PikeVM without
//! prefilter, spends 1,000–2,000 instructions a byte on these many-alternative patterns,
//! and parsing the spelled-out Unicode classes costs 8 M more.
//!
//! The pattern language of a [`Phrase`] is the subset those patterns use: literal
//! characters (letters in lower-case ASCII), classes of literal characters `[./-]`, `\s`
//! (Unicode white space), `\d` (a Unicode decimal digit), `(?-u:\b)` (an ASCII word
//! boundary), groups `(?:…)`, alternation `|`, and the greedy quantifiers `?`, `*`, `+`,
//! `{m}`, `{m,}`, `{m,n}` — on a group only `?`, so that no input can make the matcher
//! recurse deeply. Anything else is a programming error and panics when the pattern is
//! parsed.

use std::cell::RefCell;
use std::ops::Range;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{LazyLock, OnceLock};

use regex::Regex;

/// Bytes a [`PhrasePattern`] searches with its [`Phrase`] before it compiles the regular
/// expression: about where the `Phrase`'s searches (some 300 instructions a byte, measured
/// with callgrind) have cost what compiling (4 to 6 million) would have.
pub(crate) const COMPILE_AFTER: usize = 16 * 1024;

/// A phrase pattern with its two matchers, each made when first needed; see the module
/// documentation.
pub(crate) struct PhrasePattern {
    pattern: fn() -> String,
    phrase: OnceLock<Phrase>,
    /// [`folded_pattern`] of the pattern, searched on the text with ASCII letters lower-cased.
    regex: OnceLock<Regex>,
    searched: AtomicUsize,
}

impl PhrasePattern {
    pub(crate) const fn new(pattern: fn() -> String) -> PhrasePattern {
        PhrasePattern {
            pattern,
            phrase: OnceLock::new(),
            regex: OnceLock::new(),
            searched: AtomicUsize::new(0),
        }
    }

    /// Every match in `haystack`, leftmost first, one after another.
    pub(crate) fn find_all(&self, haystack: &str) -> Vec<Range<usize>> {
        match self.regex(haystack) {
            Some(regex) => with_folded(haystack, |folded| {
                regex.find_iter(folded).map(|m| m.range()).collect()
            }),
            None => self.phrase().find_iter(haystack).collect(),
        }
    }

    pub(crate) fn is_match(&self, haystack: &str) -> bool {
        match self.regex(haystack) {
            Some(regex) => with_folded(haystack, |folded| regex.is_match(folded)),
            None => self.phrase().is_match(haystack),
        }
    }

    /// The compiled expression, if it has been compiled or searching `haystack` with the
    /// `Phrase` would take the bytes searched past [`COMPILE_AFTER`].
    fn regex(&self, haystack: &str) -> Option<&Regex> {
        if let Some(regex) = self.regex.get() {
            return Some(regex);
        }
        let searched = self.searched.fetch_add(haystack.len(), Ordering::Relaxed);
        (searched + haystack.len() > COMPILE_AFTER).then(|| self.compiled())
    }

    fn compiled(&self) -> &Regex {
        self.regex.get_or_init(|| {
            Regex::new(&folded_pattern(&(self.pattern)())).expect("phrase pattern is valid")
        })
    }

    fn phrase(&self) -> &Phrase {
        self.phrase.get_or_init(|| Phrase::new(&(self.pattern)()))
    }
}

/// Calls `search` with `haystack`'s ASCII letters lower-cased, in a buffer kept by each
/// thread: the rules search block after block, and a copy allocated for each cost more
/// than the copying. A buffer grown past 64 KiB by a long block is let go.
fn with_folded<T>(haystack: &str, search: impl FnOnce(&str) -> T) -> T {
    const KEEP_FOLDED: usize = 64 * 1024;
    thread_local! {
        static FOLDED: RefCell<String> = const { RefCell::new(String::new()) };
    }
    FOLDED.with_borrow_mut(|folded| {
        folded.clear();
        folded.push_str(haystack);
        folded.make_ascii_lowercase();
        let found = search(folded);
        if folded.capacity() > KEEP_FOLDED {
            *folded = String::new();
        }
        found
    })
}

/// A pattern whose literal letters are lower-case ASCII, rewritten so that it finds on a
/// copy of the text with its ASCII letters lower-cased exactly what `(?i)` and the pattern
/// find on the text itself, at the same byte offsets: the only letters outside ASCII whose
/// case folds onto an ASCII one are `ſ` (s) and the Kelvin sign `K` (k), so those two
/// letters become classes. Case-insensitive Unicode patterns over long alternations are
/// several times dearer to compile; this one stays case-sensitive. The pattern's escapes
/// (`\s`, `\b`) are kept as they are.
pub(crate) fn folded_pattern(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len() + 16);
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                out.push(c);
                out.extend(chars.next());
            }
            's' => out.push_str("[sſ]"),
            'k' => out.push_str("[k\u{212A}]"),
            _ => out.push(c),
        }
    }
    out
}

/// A set of Unicode scalar values given as a regular-expression class (`\p{L}`, `\d`),
/// with `regex`'s own Unicode tables: its ranges, from `regex-syntax`, are found by binary
/// search. Building one costs a few thousand instructions; compiling the class into an
/// automaton costs a thousand times more.
pub(crate) struct UnicodeClass {
    ranges: Vec<(char, char)>,
}

impl UnicodeClass {
    /// `class` is a class expression such as `\p{L}` or `[\p{L}\p{N}&]`.
    pub(crate) fn new(class: &str) -> UnicodeClass {
        let hir = regex_syntax::Parser::new()
            .parse(class)
            .expect("class expression is valid");
        let regex_syntax::hir::HirKind::Class(regex_syntax::hir::Class::Unicode(set)) = hir.kind()
        else {
            panic!("{class} is not a Unicode class");
        };
        UnicodeClass {
            ranges: set.ranges().iter().map(|r| (r.start(), r.end())).collect(),
        }
    }

    pub(crate) fn contains(&self, c: char) -> bool {
        self.ranges
            .binary_search_by(|&(start, end)| {
                if end < c {
                    std::cmp::Ordering::Less
                } else if start > c {
                    std::cmp::Ordering::Greater
                } else {
                    std::cmp::Ordering::Equal
                }
            })
            .is_ok()
    }
}

/// `\d`: Unicode decimal digits (general category Nd).
static DECIMAL_DIGIT: LazyLock<UnicodeClass> = LazyLock::new(|| UnicodeClass::new(r"\d"));

/// A set of bytes: which bytes a match can start with.
#[derive(Clone, Copy, Default)]
struct ByteSet([u64; 4]);

impl ByteSet {
    fn insert(&mut self, byte: u8) {
        self.0[usize::from(byte >> 6)] |= 1 << (byte & 63);
    }

    fn insert_non_ascii_leads(&mut self) {
        for byte in 0xC0..=0xFF {
            self.insert(byte);
        }
    }

    fn union(&mut self, other: &ByteSet) {
        for (word, other) in self.0.iter_mut().zip(other.0) {
            *word |= other;
        }
    }

    fn contains(&self, byte: u8) -> bool {
        self.0[usize::from(byte >> 6)] & (1 << (byte & 63)) != 0
    }
}

/// A parsed pattern.
enum Node {
    /// One literal character; an ASCII letter (written lower-case) matches in either case,
    /// `s` also matches `ſ` and `k` the Kelvin sign, the two letters outside ASCII whose
    /// case folds onto an ASCII one.
    Char(char),
    /// Several literal characters in a row, each matched as [`Node::Char`]: one node, so that
    /// a word is compared in one loop rather than character by character through the
    /// backtracking.
    Literal(Vec<char>),
    /// Any one of these single-character nodes ([`Node::Char`], [`Node::Space`],
    /// [`Node::Digit`]).
    Class(Vec<Node>),
    /// `\s`.
    Space,
    /// `\d`.
    Digit,
    /// `(?-u:\b)`.
    Boundary,
    Sequence(Vec<Node>),
    Alternation(Alternatives),
    /// Greedy: as many as possible, then fewer.
    Repeat {
        node: Box<Node>,
        min: usize,
        max: Option<usize>,
    },
}

/// The alternatives of `a|b|…`, tried in order.
struct Alternatives {
    nodes: Vec<Node>,
    /// By the byte at the place tried: the alternatives that can match there, in order (those
    /// that can start with that byte or match the empty string). Word lists have dozens of
    /// alternatives, of which a byte leaves one or two.
    by_byte: Vec<Vec<usize>>,
    /// The alternatives that can match at the end of the text: those that can match the
    /// empty string.
    at_end: Vec<usize>,
}

impl Alternatives {
    fn new(nodes: Vec<Node>) -> Alternatives {
        let mut by_byte = vec![Vec::new(); 256];
        let mut at_end = Vec::new();
        for (index, node) in nodes.iter().enumerate() {
            let (first, nullable) = node.first_bytes();
            for (byte, list) in by_byte.iter_mut().enumerate() {
                if nullable || first.contains(byte as u8) {
                    list.push(index);
                }
            }
            if nullable {
                at_end.push(index);
            }
        }
        Alternatives {
            nodes,
            by_byte,
            at_end,
        }
    }
}

/// A pattern searched case-insensitively by backtracking; see the module documentation.
pub(crate) struct Phrase {
    root: Node,
    /// The bytes a match can start with, for skipping the others without trying them.
    first: ByteSet,
    /// Whether every match starts at an ASCII word boundary.
    starts_at_boundary: bool,
}

impl Phrase {
    /// Parses `pattern`; panics if it is outside the supported subset.
    pub(crate) fn new(pattern: &str) -> Phrase {
        let mut parser = Parser {
            rest: pattern,
            whole: pattern,
        };
        let root = parser.alternation();
        assert!(
            parser.rest.is_empty(),
            "unsupported pattern at {:?}",
            parser.rest
        );
        let (first, nullable) = root.first_bytes();
        assert!(
            !nullable,
            "a phrase pattern must not match the empty string"
        );
        let starts_at_boundary = root.starts_at_boundary();
        Phrase {
            root,
            first,
            starts_at_boundary,
        }
    }

    /// The first match starting at or after `from` (a character boundary).
    pub(crate) fn find_at(&self, haystack: &str, from: usize) -> Option<Range<usize>> {
        let bytes = haystack.as_bytes();
        let mut previous_is_word = from > 0 && is_word_byte(bytes[from - 1]);
        for (start, &byte) in bytes.iter().enumerate().skip(from) {
            let is_word = is_word_byte(byte);
            let boundary = is_word != previous_is_word;
            previous_is_word = is_word;
            if !self.first.contains(byte)
                || (self.starts_at_boundary && !boundary)
                || !haystack.is_char_boundary(start)
            {
                continue;
            }
            let mut end = None;
            if self.root.matches(haystack, start, &mut |at| {
                end = Some(at);
                true
            }) {
                return end.map(|end| start..end);
            }
        }
        None
    }

    /// What `(?:^|[S])(PATTERN)(?:$|[S])` finds as its group 1 when searched from `from`,
    /// `S` being the characters `is_separator` accepts: the first match that starts at the
    /// start of the text (if `from` is 0) or after a separator at or after `from`, and ends
    /// at the end of the text or before a separator.
    pub(crate) fn find_delimited_at(
        &self,
        haystack: &str,
        from: usize,
        is_separator: impl Fn(char) -> bool,
    ) -> Option<Range<usize>> {
        let after_separators = haystack[from..]
            .char_indices()
            .filter(|&(_, c)| is_separator(c))
            .map(|(i, c)| from + i + c.len_utf8());
        let starts = (from == 0).then_some(0).into_iter().chain(after_separators);
        let ends_well = |at: usize| haystack[at..].chars().next().is_none_or(&is_separator);
        starts.into_iter().find_map(|start| {
            let mut end = None;
            self.root.matches(haystack, start, &mut |at| {
                end = Some(at).filter(|&at| ends_well(at));
                end.is_some()
            });
            end.map(|end| start..end)
        })
    }

    /// Every match, leftmost first, one after another.
    pub(crate) fn find_iter<'h>(
        &'h self,
        haystack: &'h str,
    ) -> impl Iterator<Item = Range<usize>> + 'h {
        let mut from = 0;
        std::iter::from_fn(move || {
            let found = self.find_at(haystack, from)?;
            from = found.end;
            Some(found)
        })
    }

    pub(crate) fn is_match(&self, haystack: &str) -> bool {
        self.find_at(haystack, 0).is_some()
    }
}

/// A word byte for `(?-u:\b)`: `[0-9A-Za-z_]`.
fn is_word_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'_'
}

/// The length of the character `c` (a pattern's literal) matches at `at`, if it does.
fn char_match(haystack: &str, at: usize, c: char) -> Option<usize> {
    let rest = &haystack.as_bytes()[at..];
    let &byte = rest.first()?;
    if c.is_ascii_lowercase() {
        if byte | 0x20 == c as u8 {
            return Some(1);
        }
        let folded: &[u8] = match c {
            's' => "ſ".as_bytes(),
            'k' => "\u{212A}".as_bytes(),
            _ => return None,
        };
        return rest.starts_with(folded).then_some(folded.len());
    }
    let mut buffer = [0; 4];
    let literal = c.encode_utf8(&mut buffer).as_bytes();
    rest.starts_with(literal).then_some(literal.len())
}

impl Node {
    /// Whether the node matches at `at` along some path, trying paths in priority order and
    /// calling `then` with where each ends until it returns true.
    fn matches(&self, haystack: &str, at: usize, then: &mut dyn FnMut(usize) -> bool) -> bool {
        match self {
            Node::Sequence(nodes) => sequence(nodes, haystack, at, then),
            Node::Alternation(alternatives) => {
                let candidates = match haystack.as_bytes().get(at) {
                    Some(&byte) => &alternatives.by_byte[usize::from(byte)],
                    None => &alternatives.at_end,
                };
                candidates
                    .iter()
                    .any(|&index| alternatives.nodes[index].matches(haystack, at, then))
            }
            Node::Literal(chars) => {
                let mut end = at;
                for &c in chars {
                    match char_match(haystack, end, c) {
                        Some(len) => end += len,
                        None => return false,
                    }
                }
                then(end)
            }
            Node::Boundary => {
                let bytes = haystack.as_bytes();
                let before = at > 0 && is_word_byte(bytes[at - 1]);
                let after = bytes.get(at).is_some_and(|&b| is_word_byte(b));
                before != after && then(at)
            }
            Node::Repeat { node, min, max } if node.is_single_char() => {
                repeat_char(node, *min, *max, haystack, at, then)
            }
            Node::Repeat { node, min, max } => {
                // Only `?` on a group (see the parser): at most one level deeper.
                debug_assert_eq!((*min, *max), (0, Some(1)));
                node.matches(haystack, at, then) || then(at)
            }
            single => single
                .char_len(haystack, at)
                .is_some_and(|len| then(at + len)),
        }
    }

    fn is_single_char(&self) -> bool {
        matches!(
            self,
            Node::Char(_) | Node::Class(_) | Node::Space | Node::Digit
        )
    }

    /// For a single-character node: the length of the character it matches at `at`.
    fn char_len(&self, haystack: &str, at: usize) -> Option<usize> {
        match self {
            Node::Char(c) => char_match(haystack, at, *c),
            Node::Class(items) => items.iter().find_map(|item| item.char_len(haystack, at)),
            Node::Space | Node::Digit => {
                let c = haystack[at..].chars().next()?;
                let is = if matches!(self, Node::Space) {
                    c.is_whitespace()
                } else {
                    c.is_ascii_digit() || (!c.is_ascii() && DECIMAL_DIGIT.contains(c))
                };
                is.then_some(c.len_utf8())
            }
            _ => unreachable!("not a single-character node"),
        }
    }

    /// The bytes a match can start with, and whether the node matches the empty string.
    fn first_bytes(&self) -> (ByteSet, bool) {
        let mut set = ByteSet::default();
        match self {
            Node::Char(c) => add_char(&mut set, *c),
            Node::Literal(chars) => add_char(&mut set, chars[0]),
            Node::Class(items) => items
                .iter()
                .for_each(|item| set.union(&item.first_bytes().0)),
            Node::Space => {
                b"\t\n\x0B\x0C\r ".iter().for_each(|&b| set.insert(b));
                set.insert_non_ascii_leads();
            }
            Node::Digit => {
                (b'0'..=b'9').for_each(|b| set.insert(b));
                set.insert_non_ascii_leads();
            }
            Node::Boundary => return (set, true),
            Node::Sequence(nodes) => {
                for node in nodes {
                    let (first, nullable) = node.first_bytes();
                    set.union(&first);
                    if !nullable {
                        return (set, false);
                    }
                }
                return (set, true);
            }
            Node::Alternation(alternatives) => {
                let mut any_nullable = false;
                for node in &alternatives.nodes {
                    let (first, nullable) = node.first_bytes();
                    set.union(&first);
                    any_nullable |= nullable;
                }
                return (set, any_nullable);
            }
            Node::Repeat { node, min, .. } => {
                let (first, nullable) = node.first_bytes();
                return (first, nullable || *min == 0);
            }
        }
        (set, false)
    }

    /// Whether every match starts with `(?-u:\b)`.
    fn starts_at_boundary(&self) -> bool {
        match self {
            Node::Boundary => true,
            Node::Sequence(nodes) => nodes.first().is_some_and(Node::starts_at_boundary),
            Node::Alternation(alternatives) => {
                alternatives.nodes.iter().all(Node::starts_at_boundary)
            }
            _ => false,
        }
    }
}

fn add_char(set: &mut ByteSet, c: char) {
    let mut buffer = [0; 4];
    set.insert(c.encode_utf8(&mut buffer).as_bytes()[0]);
    if c.is_ascii_lowercase() {
        set.insert(c.to_ascii_uppercase() as u8);
        match c {
            's' => set.insert("ſ".as_bytes()[0]),
            'k' => set.insert("\u{212A}".as_bytes()[0]),
            _ => {}
        }
    }
}

fn sequence(
    nodes: &[Node],
    haystack: &str,
    at: usize,
    then: &mut dyn FnMut(usize) -> bool,
) -> bool {
    match nodes.split_first() {
        None => then(at),
        Some((node, rest)) => node.matches(haystack, at, &mut |next| {
            sequence(rest, haystack, next, &mut *then)
        }),
    }
}

/// A greedy repetition of a single-character node, without recursion: the longest run
/// first, then one character fewer at a time.
fn repeat_char(
    node: &Node,
    min: usize,
    max: Option<usize>,
    haystack: &str,
    at: usize,
    then: &mut dyn FnMut(usize) -> bool,
) -> bool {
    let mut end = at;
    let mut count = 0;
    while max.is_none_or(|max| count < max) {
        let Some(len) = node.char_len(haystack, end) else {
            break;
        };
        end += len;
        count += 1;
    }
    while count >= min {
        if then(end) {
            return true;
        }
        if count == 0 {
            break;
        }
        // Every character of the run is one the node matched: step back over one.
        let last = haystack[..end]
            .chars()
            .next_back()
            .expect("the run is not empty");
        end -= last.len_utf8();
        count -= 1;
    }
    false
}

struct Parser<'p> {
    rest: &'p str,
    whole: &'p str,
}

impl Parser<'_> {
    fn eat(&mut self, prefix: &str) -> bool {
        match self.rest.strip_prefix(prefix) {
            Some(rest) => {
                self.rest = rest;
                true
            }
            None => false,
        }
    }

    fn next_char(&mut self) -> char {
        let c = self.rest.chars().next().expect("pattern ended early");
        self.rest = &self.rest[c.len_utf8()..];
        c
    }

    fn alternation(&mut self) -> Node {
        let mut alternatives = vec![self.sequence()];
        while self.eat("|") {
            alternatives.push(self.sequence());
        }
        if alternatives.len() == 1 {
            return alternatives.pop().expect("one alternative");
        }
        Node::Alternation(Alternatives::new(alternatives))
    }

    fn sequence(&mut self) -> Node {
        let mut nodes = Vec::new();
        while !self.rest.is_empty() && !self.rest.starts_with(['|', ')']) {
            let atom = self.atom();
            match (nodes.last_mut(), self.quantified(atom)) {
                (Some(Node::Literal(chars)), Node::Char(c)) => chars.push(c),
                (Some(last @ Node::Char(_)), Node::Char(c)) => {
                    let Node::Char(previous) = *last else {
                        unreachable!("matched a character")
                    };
                    *last = Node::Literal(vec![previous, c]);
                }
                (_, node) => nodes.push(node),
            }
        }
        Node::Sequence(nodes)
    }

    fn atom(&mut self) -> Node {
        if self.eat(r"(?-u:\b)") {
            return Node::Boundary;
        }
        if self.eat("(?:") {
            let group = self.alternation();
            assert!(self.eat(")"), "unclosed group in {}", self.whole);
            return group;
        }
        if self.eat("[") {
            let mut items = Vec::new();
            while !self.eat("]") {
                // No ranges: `-` only last, where it is itself.
                assert!(!self.rest.starts_with("-") || self.rest.starts_with("-]"));
                items.push(if self.eat(r"\s") {
                    Node::Space
                } else if self.eat(r"\d") {
                    Node::Digit
                } else {
                    Node::Char(self.literal("[]^"))
                });
            }
            return Node::Class(items);
        }
        if self.eat(r"\s") {
            return Node::Space;
        }
        if self.eat(r"\d") {
            return Node::Digit;
        }
        Node::Char(self.literal("()[]{}|?*+^$."))
    }

    /// A literal character, perhaps escaped (`\.`, `\(`); unescaped, none of `special`.
    fn literal(&mut self, special: &str) -> char {
        let c = match self.next_char() {
            '\\' => {
                let escaped = self.next_char();
                assert!(
                    escaped.is_ascii_punctuation(),
                    "unsupported escape \\{escaped} in {}",
                    self.whole
                );
                escaped
            }
            c => {
                assert!(
                    !special.contains(c),
                    "unsupported syntax {c:?} in {}",
                    self.whole
                );
                c
            }
        };
        assert!(
            !c.is_uppercase() && (c.is_ascii() || !c.is_alphabetic()),
            "letters must be lower-case ASCII in {}",
            self.whole
        );
        c
    }

    fn quantified(&mut self, atom: Node) -> Node {
        let (min, max) = if self.eat("?") {
            (0, Some(1))
        } else if self.eat("*") {
            (0, None)
        } else if self.eat("+") {
            (1, None)
        } else if self.eat("{") {
            let end = self.rest.find('}').expect("unclosed repetition");
            let bounds = &self.rest[..end];
            self.rest = &self.rest[end + 1..];
            let number = |s: &str| s.parse::<usize>().expect("repetition bound is a number");
            match bounds.split_once(',') {
                None => (number(bounds), Some(number(bounds))),
                Some((min, "")) => (number(min), None),
                Some((min, max)) => (number(min), Some(number(max))),
            }
        } else {
            return atom;
        };
        assert!(
            !self.rest.starts_with(['?', '+']),
            "only greedy repetitions"
        );
        assert!(
            atom.is_single_char() || (min, max) == (0, Some(1)),
            "a group may only be optional in {}",
            self.whole
        );
        Node::Repeat {
            node: Box::new(atom),
            min,
            max,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::testing::random_texts;

    /// `Phrase` finds what `regex` finds with `(?i)` on these patterns, which use every
    /// construct it knows.
    #[test]
    fn phrase_equals_the_case_insensitive_regex() {
        let patterns = [
            r"(?-u:\b)(?:on\s+)?(?:mon|tues)day(?-u:\b)",
            r"(?-u:\b)(?:week|weekend)(?-u:\b)|\(\s*(?:19|20)\d{2}\s*\)",
            r"\d{1,2}[./-]\d+,?\s*[sk]?",
            r"a\s*b|a\s+c|\d{4}(?-u:\b)",
        ];
        let pieces = [
            "on", "ON", " ", "\u{a0}", "\u{3000}", "\n", "monday", "Tuesday", "week", "WeekEnd",
            "(", ")", "19", "2024", "٣", "7", "12/", "3-4", ".", "/", "-", ",", "s", "ſ", "k",
            "\u{212A}", "K", "a", "b", "c", "x", "_", "é", "한", "😀",
        ];
        let texts = random_texts(&pieces, 5_000, 12);
        for pattern in patterns {
            let phrase = Phrase::new(pattern);
            let exact = regex::Regex::new(&format!("(?i){pattern}")).unwrap();
            let mut matches = 0;
            for text in &texts {
                let expected: Vec<_> = exact.find_iter(text).map(|m| m.range()).collect();
                let found: Vec<_> = phrase.find_iter(text).collect();
                assert_eq!(found, expected, "{pattern} on {text:?}");
                assert_eq!(phrase.is_match(text), exact.is_match(text));
                matches += expected.len();
            }
            assert!(matches > 100, "{pattern}: {matches}");
        }
    }

    /// `find_all` gives the same whether it searches with the `Phrase` or, past
    /// `COMPILE_AFTER`, with the compiled expression on folded text.
    #[test]
    fn both_matchers_of_a_phrase_pattern_agree() {
        static PATTERN: PhrasePattern = PhrasePattern::new(|| r"(?-u:\b)ta[sk]s?(?-u:\b)".into());
        let piece = "A task, two TASKS, a taſk, a ta\u{212A}, tas; ";
        let text = piece.repeat(COMPILE_AFTER / piece.len() / 4);
        let first = PATTERN.find_all(&text);
        let exact = regex::Regex::new(&format!("(?i){}", (PATTERN.pattern)())).unwrap();
        let expected: Vec<_> = exact.find_iter(&text).map(|m| m.range()).collect();
        assert_eq!(first, expected);
        assert!(first.len() >= text.len() / piece.len() * 2);
        while PATTERN.regex.get().is_none() {
            assert_eq!(PATTERN.find_all(&text), first);
        }
        assert_eq!(PATTERN.find_all(&text), first);
    }

    #[test]
    fn unicode_classes_use_regex_tables() {
        let letters = UnicodeClass::new(r"\p{L}");
        let exact = regex::Regex::new(r"^\p{L}$").unwrap();
        for c in [
            'a',
            'é',
            '한',
            'ǅ',
            '\u{345}',
            'Ⅳ',
            '7',
            ' ',
            '😀',
            '\u{10FFFF}',
        ] {
            assert_eq!(letters.contains(c), exact.is_match(&c.to_string()), "{c:?}");
        }
    }
}
