//! The term index: what the draft itself defines (RULES.md §4).
//!
//! Definitions come in a handful of shapes, each found by one small function over a
//! block's prose:
//! - `"X" means …`, `"X" refers to …`, `X is defined as …`, `X refers to …`;
//! - `… (hereinafter "Y")`;
//! - an expansion `Ministry of Economy and Finance (MOEF)` or the reverse
//!   `MOEF (Ministry of Economy and Finance)`, matched by the Schwartz–Hearst algorithm;
//! - an appositive between dashes, `clusters—concentrated bodies where …—as` (also when
//!   the dashes were lost as `?`);
//! - entries of a section titled Definitions, Glossary, Terms or Abbreviations
//!   (`**Term**: …`, `- Term — …`, `Term: …`, a two-column table).
//!
//! Lookup is case-insensitive and forgives inflection: keys are lower-cased, possessives
//! dropped and the last word singularised ([`term_key`]).

use std::collections::HashMap;
use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use super::document::{BlockKind, Document};
use super::fnv::{FnvHashMap, FnvHashSet};
use super::text::is_alphanumeric;

/// How a definition was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DefinitionKind {
    /// `"X" means …`, `X refers to …`, `X is defined as …`.
    Means,
    /// `… (hereinafter "Y")`.
    Hereinafter,
    /// `Long Form (LF)` or `LF (Long Form)`.
    Expansion,
    /// `term—what it is—`.
    Appositive,
    /// An entry of a Definitions / Glossary / Terms / Abbreviations section.
    GlossaryEntry,
}

/// A term the draft defines.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Definition {
    /// The term as written (`Mobility data`, `MOEF`).
    pub term: String,
    /// The lookup key ([`term_key`] of `term`).
    pub key: String,
    pub kind: DefinitionKind,
    /// Where the term is written in the definition.
    pub term_range: Range<usize>,
    /// The defining text (for an expansion: the long form).
    pub definition_range: Range<usize>,
}

/// Every definition in a draft, by key.
#[derive(Clone, Debug, Default)]
pub struct TermIndex {
    /// In document order.
    pub definitions: Vec<Definition>,
    by_key: FnvHashMap<String, Vec<usize>>,
}

impl TermIndex {
    pub fn build(doc: &Document) -> TermIndex {
        Self::build_with(doc, &glossary_section_blocks(doc))
    }

    /// The index of a glossary file: every block may be an entry, headings or not.
    pub fn build_glossary(doc: &Document) -> TermIndex {
        let every_block: Vec<usize> = (0..doc.blocks.len()).collect();
        Self::build_with(doc, &every_block)
    }

    /// `glossary_blocks` (sorted) are read as Definitions entries as well.
    fn build_with(doc: &Document, glossary_blocks: &[usize]) -> TermIndex {
        let mut definitions = Vec::new();
        for (index, block) in doc.blocks.iter().enumerate() {
            if block.is_heading() {
                continue;
            }
            if glossary_blocks.binary_search(&index).is_ok() {
                glossary_definitions(doc, index, &mut definitions);
            }
            block_definitions(doc, index, &mut definitions);
        }
        let candidates = compound_candidates(doc, &definitions);
        Self::assemble(doc, definitions, candidates, |keys| find_uses(doc, keys))
    }

    /// The document-wide half of [`TermIndex::build`]: from the definitions found block by
    /// block (in block order, a block's glossary entries before its other definitions) and
    /// their [`compound_candidates`], adds the compound appositives — `uses` finds a list
    /// of keys in the whole draft, as [`find_uses`] does — and indexes them.
    pub(crate) fn assemble(
        doc: &Document,
        mut definitions: Vec<Definition>,
        candidates: Vec<CompoundCandidate>,
        uses: impl FnOnce(&[&str]) -> Vec<(Range<usize>, usize)>,
    ) -> TermIndex {
        compound_appositives(doc, &mut definitions, candidates, uses);
        definitions.sort_by_key(|d| (d.term_range.start, d.term_range.end));
        definitions.dedup_by(|a, b| a.term_range == b.term_range);
        let mut by_key: FnvHashMap<String, Vec<usize>> = FnvHashMap::default();
        for (i, d) in definitions.iter().enumerate() {
            by_key.entry(d.key.clone()).or_default().push(i);
        }
        TermIndex {
            definitions,
            by_key,
        }
    }

    /// The sorted indices of the blocks read as Definitions entries, given whether each
    /// section's heading is a glossary heading ([`is_glossary_heading`], which reads the
    /// heading alone and so can be kept with it).
    pub(crate) fn glossary_blocks(
        doc: &Document,
        glossary_headings: impl IntoIterator<Item = bool>,
    ) -> Vec<usize> {
        glossary_blocks_under(doc, glossary_headings)
    }

    /// Definitions of a term (any inflection), in document order.
    pub fn lookup(&self, term: &str) -> impl Iterator<Item = &Definition> {
        self.by_key
            .get(&term_key(term))
            .into_iter()
            .flatten()
            .map(|&i| &self.definitions[i])
    }

    /// The first expansion of an acronym, if the draft gives one.
    pub fn expansion(&self, acronym: &str) -> Option<&Definition> {
        self.lookup(acronym)
            .find(|d| d.kind == DefinitionKind::Expansion)
    }
}

fn shift(range: Range<usize>, by: usize) -> Range<usize> {
    range.start + by..range.end + by
}

/// The definitions block `index` (not a heading) makes by itself, wherever it stands.
pub(crate) fn block_definitions(doc: &Document, index: usize, out: &mut Vec<Definition>) {
    let block = &doc.blocks[index];
    let base = block.range.start;
    let prose = doc.prose(block.range.clone());
    let mut found = Vec::new();
    means(prose, &mut found);
    hereinafter(prose, &mut found);
    expansions(prose, &mut found);
    appositives(prose, &mut found);
    out.extend(found.into_iter().map(|mut definition| {
        definition.term_range = shift(definition.term_range, base);
        definition.definition_range = shift(definition.definition_range, base);
        definition
    }));
}

/// Block `index` read as an entry of a Definitions section.
pub(crate) fn glossary_definitions(doc: &Document, index: usize, out: &mut Vec<Definition>) {
    let base = doc.blocks[index].range.start;
    let mut found = Vec::new();
    glossary_entry(doc, index, &mut found);
    out.extend(found.into_iter().map(|mut definition| {
        definition.term_range = shift(definition.term_range, base);
        definition.definition_range = shift(definition.definition_range, base);
        definition
    }));
}

/// The lookup key of a term: lower case, possessive dropped, last word singular.
pub fn term_key(term: &str) -> String {
    let mut key = String::with_capacity(term.len());
    let words = term
        .split_whitespace()
        .map(|word| word.trim_matches(|c: char| !c.is_alphanumeric() && c != '&'))
        .filter(|word| !word.is_empty());
    write_key(&mut key, words);
    key
}

/// Writes into `key` (cleared first) the key of `words`, each a trimmed, non-empty word.
fn write_key<'w>(key: &mut String, words: impl Iterator<Item = &'w str>) {
    key.clear();
    let mut last = 0;
    for word in words {
        if !key.is_empty() {
            key.push(' ');
        }
        last = key.len();
        push_key_word(key, word);
    }
    singularise(key, last);
}

/// Appends `word` (one word, already trimmed) as [`term_key`] writes a word: lower case,
/// possessive dropped. `find_uses` builds keys word by word with it into reused buffers,
/// so the per-word pass over a draft allocates nothing.
fn push_key_word(key: &mut String, word: &str) {
    let start = key.len();
    push_lowercase(key, word);
    drop_possessive(key, start);
}

/// Drops a possessive `'s` / `’s` that ends `key[from..]`.
fn drop_possessive(key: &mut String, from: usize) {
    let written = &key[from..];
    if let Some(stem) = written
        .strip_suffix("'s")
        .or_else(|| written.strip_suffix("’s"))
    {
        key.truncate(from + stem.len());
    }
}

/// Appends `text` in lower case, exactly as [`str::to_lowercase`] would write it.
fn push_lowercase(out: &mut String, text: &str) {
    if text.is_ascii() {
        let start = out.len();
        out.push_str(text);
        out[start..].make_ascii_lowercase();
    } else if text.contains('Σ') {
        // Only capital sigma lower-cases differently by position (final `ς`): leave it to
        // the standard library.
        out.push_str(&text.to_lowercase());
    } else {
        out.extend(text.chars().flat_map(char::to_lowercase));
    }
}

/// English plural → singular for the common regular patterns; acronyms' plural `s`
/// (`SMEs`) is dropped too. Irregular plurals are left as written.
fn singular(word: &str) -> String {
    let mut out = word.to_owned();
    singularise(&mut out, 0);
    out
}

/// [`singular`] of `text[from..]`, in place.
fn singularise(text: &mut String, from: usize) {
    let word = &text[from..];
    let len = word.len();
    let cut = if word.chars().count() <= 3 {
        usize::from(word.ends_with('s') && len > 2)
    } else if word.ends_with("ies") {
        text.truncate(from + len - 3);
        text.push('y');
        return;
    } else if ["sses", "shes", "ches", "xes", "zes"]
        .iter()
        .any(|suffix| word.ends_with(suffix))
    {
        2
    } else if word.ends_with("ss") || word.ends_with("us") || word.ends_with("is") {
        0
    } else {
        usize::from(word.ends_with('s'))
    };
    text.truncate(from + len - cut);
}

/// Word spans (letters, digits, `&`, inner `'`/`’`/`-`) of a block's prose, as absolute
/// byte ranges.
pub fn word_spans(prose: &str, base: usize) -> Vec<Range<usize>> {
    let mut spans = Vec::new();
    push_word_spans(prose, base, &mut spans);
    spans
}

/// [`word_spans`], appended to `spans`.
fn push_word_spans(prose: &str, base: usize, spans: &mut Vec<Range<usize>>) {
    let bytes = prose.as_bytes();
    let char_at = |i: usize| match bytes[i] {
        b if b.is_ascii() => char::from(b),
        _ => prose[i..].chars().next().expect("i is a char boundary"),
    };
    let is_word = |c: char| is_alphanumeric(c) || c == '&';
    let mut start = None;
    let mut i = 0;
    while i < bytes.len() {
        // ASCII letters and digits, the bulk of most words, need no decoding.
        if bytes[i].is_ascii_alphanumeric() {
            start.get_or_insert(i);
            i += 1;
            continue;
        }
        let c = char_at(i);
        let next = i + c.len_utf8();
        let inner = matches!(c, '\'' | '’' | '-')
            && start.is_some()
            && next < bytes.len()
            && is_word(char_at(next));
        match (start, is_word(c) || inner) {
            (None, true) => start = Some(i),
            (Some(s), false) => {
                spans.push(base + s..base + i);
                start = None;
            }
            _ => {}
        }
        i = next;
    }
    if let Some(s) = start {
        spans.push(base + s..base + prose.len());
    }
}

/// Whether consecutive words are separated by whitespace only (no punctuation between
/// them, so a term never spans a comma or a sentence end). `prose` is the whole
/// document's prose; the ranges are absolute.
pub fn joined_by_spaces(prose: &str, words: &[Range<usize>]) -> bool {
    words.windows(2).all(|pair| {
        prose[pair[0].end..pair[1].start]
            .chars()
            .all(char::is_whitespace)
    })
}

/// Every place the draft writes one of `keys` ([`term_key`]s), in any inflection and case:
/// `(byte range, index into keys)` in document order. Where uses overlap, the one starting
/// first wins, and at one start the longest. Headings and quotations count; markup and
/// code do not. One pass over the words, whatever the number of keys.
pub fn find_uses(doc: &Document, keys: &[&str]) -> Vec<(Range<usize>, usize)> {
    let every_block = 0..doc.blocks.len();
    find_uses_in(
        doc,
        keys,
        &UseHints::new(keys),
        std::slice::from_ref(&every_block),
    )
    .pop()
    .unwrap_or_default()
}

/// The literal search that tells which blocks may hold a use of some keys (see
/// [`blocks_with_first_words`]): compiled once for a list of keys, which the incremental
/// analysis keeps while the keys stay the same.
#[derive(Clone, Debug, Default)]
pub(crate) struct UseHints(Option<regex::bytes::Regex>);

impl UseHints {
    pub(crate) fn new(keys: &[&str]) -> UseHints {
        let first_words: FnvHashSet<&str> = keys
            .iter()
            .filter(|key| !key.is_empty())
            .map(|key| first_word(key))
            .collect();
        UseHints(
            (!first_words.is_empty())
                .then(|| first_word_hints(&first_words))
                .flatten(),
        )
    }
}

/// A key's first word, as written in the key.
fn first_word(key: &str) -> &str {
    key.split(' ').next().unwrap_or_default()
}

/// [`find_uses`] in each range of blocks of `ranges`: a use never crosses a block, so the
/// uses of consecutive ranges of blocks, in order, are the uses of the whole.
pub(crate) fn find_uses_in(
    doc: &Document,
    keys: &[&str],
    hints: &UseHints,
    ranges: &[Range<usize>],
) -> Vec<Vec<(Range<usize>, usize)>> {
    let mut by_key: FnvHashMap<&str, usize> = FnvHashMap::default();
    let mut lengths: Vec<usize> = Vec::new();
    // First words as a key spells them: singular only when the key is one word.
    let mut first_words: FnvHashSet<&str> = FnvHashSet::default();
    let mut shapes = FirstWordShapes::default();
    for (i, key) in keys.iter().enumerate() {
        if key.is_empty() {
            continue;
        }
        by_key.entry(key).or_insert(i);
        let words = key.split(' ').count();
        if !lengths.contains(&words) {
            lengths.push(words);
        }
        let first = first_word(key);
        first_words.insert(first);
        shapes.add(first);
    }
    lengths.sort_unstable_by(|a, b| b.cmp(a));
    if by_key.is_empty() {
        return vec![Vec::new(); ranges.len()];
    }
    ranges
        .iter()
        .map(|blocks| {
            let worth_reading = blocks_with_first_words(doc, hints.0.as_ref(), blocks.clone());
            uses_in(
                doc,
                &by_key,
                &lengths,
                &first_words,
                &shapes,
                worth_reading,
                blocks.clone(),
            )
        })
        .collect()
}

/// The uses in `blocks` of the keys `by_key`, reading only the blocks `worth_reading` marks
/// (all when `None`).
fn uses_in(
    doc: &Document,
    by_key: &FnvHashMap<&str, usize>,
    lengths: &[usize],
    first_words: &FnvHashSet<&str>,
    shapes: &FirstWordShapes,
    worth_reading: Option<Vec<bool>>,
    blocks: Range<usize>,
) -> Vec<(Range<usize>, usize)> {
    let mut uses = Vec::new();
    // Keys are built word by word into these buffers: a span is already a trimmed word,
    // and a window of spans joined by spaces splits into exactly those words, so this is
    // `term_key` without an allocation per word.
    let mut words = Vec::new();
    let mut lower = String::new();
    let mut key = String::new();
    for (index, block) in doc.blocks[blocks].iter().enumerate() {
        if worth_reading.as_ref().is_some_and(|blocks| !blocks[index]) {
            continue;
        }
        words.clear();
        push_word_spans(
            doc.prose(block.range.clone()),
            block.range.start,
            &mut words,
        );
        let mut i = 0;
        while i < words.len() {
            let word = &doc.prose[words[i].clone()];
            if !shapes.may_start(word) {
                i += 1;
                continue;
            }
            lower.clear();
            push_lowercase(&mut lower, word);
            key.clear();
            key.push_str(&lower);
            drop_possessive(&mut key, 0);
            singularise(&mut key, 0);
            if !first_words.contains(key.as_str()) && !first_words.contains(lower.as_str()) {
                i += 1;
                continue;
            }
            let found = lengths.iter().find_map(|&n| {
                let window = words.get(i..i + n)?;
                if !joined_by_spaces(&doc.prose, window) {
                    return None;
                }
                write_key(&mut key, window.iter().map(|w| &doc.prose[w.clone()]));
                let index = *by_key.get(key.as_str())?;
                Some((window[0].start..window[n - 1].end, index, n))
            });
            match found {
                Some((range, index, n)) => {
                    uses.push((range, index));
                    i += n;
                }
                None => i += 1,
            }
        }
    }
    uses
}

/// Which blocks may hold a word whose key or lower case is one of `first_words`, from one
/// literal search over the prose; `None` when every block may. Such a word starts with the
/// first word in some case (for a first word ending in `y`, perhaps with its `-ies`
/// plural instead), provided its ASCII letters were ASCII before lower-casing: only the
/// Kelvin sign lower-cases to an ASCII letter, so a draft with one is read in full, as is
/// any set of first words that are not all ASCII.
/// A search for every first word (and its `-ies` plural), ASCII case-insensitive; `None`
/// when the first words are not all ASCII or the pattern would be too large, and every
/// block must be read.
fn first_word_hints(first_words: &FnvHashSet<&str>) -> Option<regex::bytes::Regex> {
    if first_words.iter().any(|w| w.is_empty() || !w.is_ascii()) {
        return None;
    }
    let mut literals = Vec::new();
    for word in first_words {
        literals.push(regex::escape(word));
        if let Some(stem) = word.strip_suffix('y') {
            literals.push(regex::escape(&format!("{stem}ies")));
        }
    }
    // Keys come from the draft; should the pattern be too large, read every block.
    regex::bytes::RegexBuilder::new(&literals.join("|"))
        .case_insensitive(true)
        .unicode(false)
        .size_limit(1 << 24)
        .build()
        .ok()
}

fn blocks_with_first_words(
    doc: &Document,
    hints: Option<&regex::bytes::Regex>,
    blocks: Range<usize>,
) -> Option<Vec<bool>> {
    // The prose of `blocks`, from the first one's start to the last one's end.
    let span = match (doc.blocks.get(blocks.start), blocks.end.checked_sub(1)) {
        (Some(first), Some(last)) if last >= blocks.start => {
            first.range.start..doc.blocks[last].range.end
        }
        _ => return Some(Vec::new()),
    };
    let hints = hints?;
    if doc.prose[span.clone()].contains('\u{212A}') {
        return None;
    }
    let mut marked = vec![false; blocks.len()];
    let prose = &doc.prose.as_bytes()[..span.end];
    let mut from = span.start;
    // Restarting one byte after each hit finds every place a literal starts, overlapping
    // or not.
    while let Some(hit) = hints.find_at(prose, from) {
        if let Some(block) = doc.block_at(hit.start()) {
            if blocks.contains(&block) {
                marked[block - blocks.start] = true;
            }
        }
        from = hit.start() + 1;
    }
    Some(marked)
}

/// The first letters and lengths of the keys' first words, so that [`find_uses`] can
/// pass over most words of a draft without lower-casing or hashing them. An ASCII word
/// whose key, or whose lower case, is such a first word starts with the same letter
/// (lower-cased) and is as long or up to four bytes longer (a possessive `'s` and a plural
/// ending dropped). Other words are always looked up.
struct FirstWordShapes {
    /// By lower-case ASCII first byte: bit `n` set when an ASCII word of `n` bytes (63 for
    /// any longer) may match.
    lengths: [u64; 128],
}

impl Default for FirstWordShapes {
    fn default() -> Self {
        FirstWordShapes { lengths: [0; 128] }
    }
}

impl FirstWordShapes {
    fn add(&mut self, first_word: &str) {
        // A word that is not ASCII is always looked up, so only ASCII first words count.
        let Some(&byte) = first_word.as_bytes().first().filter(|b| b.is_ascii()) else {
            return;
        };
        for extra in 0..=4 {
            self.lengths[usize::from(byte)] |= 1 << (first_word.len() + extra).min(63);
        }
    }

    fn may_start(&self, word: &str) -> bool {
        if !word.is_ascii() {
            return true;
        }
        let Some(&byte) = word.as_bytes().first() else {
            return true;
        };
        self.lengths[usize::from(byte.to_ascii_lowercase())] & (1 << word.len().min(63)) != 0
    }
}

/// `replacement` written the way `written` (a use of some term) is inflected: its plural,
/// its possessive and its initial capital carry over, so renaming `cluster` to `hub` turns
/// `Clusters` into `Hubs` and `cluster's` into `hub's`. `replacement` is the new term's
/// base (singular) form; see [`uninflect`].
pub fn reinflect(written: &str, replacement: &str) -> String {
    let (stem, possessive) = split_possessive(written);
    let mut out = if is_plural(stem) {
        plural(replacement)
    } else {
        replacement.to_owned()
    };
    let starts_upper = stem.chars().next().is_some_and(char::is_uppercase);
    if starts_upper && out.chars().next().is_some_and(char::is_lowercase) {
        let mut chars = out.chars();
        let first: String = chars
            .next()
            .into_iter()
            .flat_map(char::to_uppercase)
            .collect();
        out = first + chars.as_str();
    }
    out + possessive
}

/// The base form of `new_text`, typed over `written`: what [`reinflect`] needs to give
/// `new_text` back for `written`. Typing `hubs` over `clusters` renames `cluster` to `hub`.
pub fn uninflect(written: &str, new_text: &str) -> String {
    let (stem, possessive) = split_possessive(written);
    let new_text = new_text.trim();
    let new_text = match possessive {
        "" => new_text,
        p => new_text.strip_suffix(p).unwrap_or(new_text),
    };
    if !is_plural(stem) {
        return new_text.to_owned();
    }
    let (head, last) = match new_text.rfind(char::is_whitespace) {
        Some(i) => new_text.split_at(i + 1),
        None => ("", new_text),
    };
    format!("{head}{}", singular(last))
}

fn split_possessive(written: &str) -> (&str, &'static str) {
    ["'s", "’s"]
        .iter()
        .find_map(|p| {
            written
                .strip_suffix(p)
                .filter(|s| !s.is_empty())
                .map(|s| (s, *p))
        })
        .unwrap_or((written, ""))
}

/// Whether the last word of a term is written in the plural.
fn is_plural(term: &str) -> bool {
    let last = term.split_whitespace().last().unwrap_or_default();
    let lower = last.to_lowercase();
    singular(&lower) != lower
}

/// English singular → plural, the inverse of [`singular`] for the regular patterns;
/// acronyms take a bare `s` (`SME` → `SMEs`).
fn plural(term: &str) -> String {
    let last = term.split_whitespace().last().unwrap_or_default();
    let is_acronym = last.chars().filter(|c| c.is_alphabetic()).count() >= 2
        && last.chars().all(|c| !c.is_lowercase());
    let lower = last.to_lowercase();
    let before_y = lower.chars().rev().nth(1);
    if is_acronym {
        format!("{term}s")
    } else if lower.ends_with('y') && before_y.is_some_and(|c| !"aeiou".contains(c)) {
        format!("{}ies", &term[..term.len() - 1])
    } else if ["s", "x", "z", "ch", "sh"]
        .iter()
        .any(|e| lower.ends_with(e))
    {
        format!("{term}es")
    } else {
        format!("{term}s")
    }
}

fn definition(
    term: &str,
    term_range: Range<usize>,
    definition_range: Range<usize>,
    kind: DefinitionKind,
) -> Definition {
    Definition {
        term: term.to_owned(),
        key: term_key(term),
        kind,
        term_range,
        definition_range,
    }
}

/// `"X" means …` (quoted) and `X refers to …` / `X is defined as …` (quoted or not).
static MEANS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?:^|[.;:]\s+|\n\s*)(?:[-*+•·□■○●◦▪※◆◇▶①-⑳]\s*)?(?:(?:[Aa]n?|[Tt]he)\s+)?(?:[“"‘']([^"“”‘’'\n]{1,80})[”"’']|(?:[Tt]he\s+term\s+)?(?:(?:An?|The)\s+)?([A-Z][\w&’'-]*(?:[ \t]+[\w&’'-]+){0,5}?))\s+(?:means|shall\s+mean|refers\s+to|is\s+defined\s+as|is\s+used\s+to\s+mean)\s+([^.;\n]+)"#,
    )
    .expect("means pattern is valid")
});

/// [`MEANS`] without the upper bounds `{1,80}` and `{0,5}?`, for [`bounded_captures`].
static MEANS_RELAXED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?:^|[.;:]\s+|\n\s*)(?:[-*+•·□■○●◦▪※◆◇▶①-⑳]\s*)?(?:(?:[Aa]n?|[Tt]he)\s+)?(?:[“"‘']([^"“”‘’'\n]+)[”"’']|(?:[Tt]he\s+term\s+)?(?:(?:An?|The)\s+)?([A-Z][\w&’'-]*(?:[ \t]+[\w&’'-]+)*?))\s+(?:means|shall\s+mean|refers\s+to|is\s+defined\s+as|is\s+used\s+to\s+mean)\s+([^.;\n]+)"#,
    )
    .expect("means pattern is valid")
});

fn means_within(caps: &regex::Captures<'_>) -> bool {
    caps.get(1).is_none_or(|m| m.as_str().chars().count() <= 80)
        && caps.get(2).is_none_or(|m| blank_runs(m.as_str()) <= 5)
}

/// A term in double quotes followed by a defining verb is a definition wherever it stands
/// in the sentence: `In this Act, "berth operator" means …`.
static QUOTED_MEANS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?:^|[\s(,:;])[“"]([^"“”\n]{1,80})[”"]\s+(?:means|shall\s+mean|refers\s+to|is\s+defined\s+as|is\s+used\s+to\s+mean)\s+([^.;\n]+)"#,
    )
    .expect("quoted means pattern is valid")
});

/// [`QUOTED_MEANS`] without the upper bound `{1,80}`, for [`bounded_captures`].
static QUOTED_MEANS_RELAXED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?:^|[\s(,:;])[“"]([^"“”\n]+)[”"]\s+(?:means|shall\s+mean|refers\s+to|is\s+defined\s+as|is\s+used\s+to\s+mean)\s+([^.;\n]+)"#,
    )
    .expect("quoted means pattern is valid")
});

fn quoted_means_within(caps: &regex::Captures<'_>) -> bool {
    caps.get(1).is_none_or(|m| m.as_str().chars().count() <= 80)
}

/// A clause after a comma that defines a lower-case term with an unambiguous verb:
/// `Under the bill, a gig courier is defined as …`.
static CLAUSE_DEFINED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#",\s+(?:[Aa]n?|[Tt]he)\s+([a-z][\w’'-]*(?:[ \t]+[a-z][\w’'-]*){0,3}?)\s+(?:is\s+defined\s+as|shall\s+mean)\s+([^.;\n]+)"#,
    )
    .expect("clause pattern is valid")
});

/// [`CLAUSE_DEFINED`] without the upper bound `{0,3}?`, for [`bounded_captures`].
static CLAUSE_DEFINED_RELAXED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#",\s+(?:[Aa]n?|[Tt]he)\s+([a-z][\w’'-]*(?:[ \t]+[a-z][\w’'-]*)*?)\s+(?:is\s+defined\s+as|shall\s+mean)\s+([^.;\n]+)"#,
    )
    .expect("clause pattern is valid")
});

fn clause_defined_within(caps: &regex::Captures<'_>) -> bool {
    caps.get(1).is_none_or(|m| blank_runs(m.as_str()) <= 3)
}

/// Subjects that make `X means …` an ordinary sentence, not a definition.
const NOT_A_TERM: &[&str] = &[
    "this",
    "that",
    "it",
    "which",
    "what",
    "there",
    "he",
    "she",
    "they",
    "we",
    "the plan",
    "this plan",
];

/// Every defining verb above contains one of these words. A block without them defines
/// nothing by [`MEANS`], [`QUOTED_MEANS`] or [`CLAUSE_DEFINED`], and a literal search says
/// so many times faster than those patterns, which have no literal to start from.
static DEFINING_VERB: LazyLock<Regex> =
    LazyLock::new(|| Regex::new("mean|refers|defined").expect("verb pattern is valid"));

fn means(prose: &str, out: &mut Vec<Definition>) {
    if !DEFINING_VERB.is_match(prose) {
        return;
    }
    for caps in bounded_captures(&MEANS_RELAXED, &MEANS, means_within, prose) {
        let (Some(term), Some(body)) = (caps.get(1).or(caps.get(2)), caps.get(3)) else {
            continue;
        };
        let quoted = caps.get(1).is_some();
        let verb_is_means = prose[term.end()..body.start()]
            .trim_start_matches(['"', '”', '’', '\''])
            .trim_start()
            .starts_with("mean");
        if !quoted
            && (verb_is_means
                || NOT_A_TERM.contains(&term.as_str().to_lowercase().as_str())
                || has_adverb(term.as_str()))
        {
            continue;
        }
        let written = term.as_str();
        let bare = ["A ", "An ", "The "]
            .iter()
            .find_map(|article| written.strip_prefix(article))
            .unwrap_or(written);
        let start = term.end() - bare.len();
        out.push(definition(
            bare,
            start..term.end(),
            body.range(),
            DefinitionKind::Means,
        ));
    }
    for caps in bounded_captures(
        &QUOTED_MEANS_RELAXED,
        &QUOTED_MEANS,
        quoted_means_within,
        prose,
    )
    .chain(bounded_captures(
        &CLAUSE_DEFINED_RELAXED,
        &CLAUSE_DEFINED,
        clause_defined_within,
        prose,
    )) {
        let (Some(term), Some(body)) = (caps.get(1), caps.get(2)) else {
            continue;
        };
        if NOT_A_TERM.contains(&term.as_str().to_lowercase().as_str()) {
            continue;
        }
        out.push(definition(
            term.as_str(),
            term.range(),
            body.range(),
            DefinitionKind::Means,
        ));
    }
}

/// `The Social Contract simply refers to …`: an adverb means the words before the verb are
/// a sentence's subject, not a term.
fn has_adverb(words: &str) -> bool {
    words
        .split_whitespace()
        .any(|w| w.len() > 3 && w.ends_with("ly"))
}

/// `the Ministry of Science and ICT (hereinafter "the Ministry")`.
static HEREINAFTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"\((?:hereinafter|hereafter)(?:\s+(?:referred\s+to\s+as|called))?\s*,?\s*[“"‘']([^"“”‘’'\n]{1,60})[”"’']\s*\)"#)
        .expect("hereinafter pattern is valid")
});

fn hereinafter(prose: &str, out: &mut Vec<Definition>) {
    // The pattern starts with this literal; most blocks do not have it, and looking for it
    // costs less than setting up a search.
    if memchr::memmem::find(prose.as_bytes(), b"(here").is_none() {
        return;
    }
    for caps in HEREINAFTER.captures_iter(prose) {
        let whole = caps.get(0).expect("group 0 always matches");
        let term = caps.get(1).expect("group 1 is not optional");
        let before = &prose[..whole.start()];
        let start = before
            .rfind([',', ';', ':', '.', '\n', '('])
            .map_or(0, |i| i + 1);
        let defined = before[start..].trim();
        if defined.is_empty() {
            continue;
        }
        let lead = before[start..].len() - before[start..].trim_start().len();
        let definition_range = start + lead..start + lead + defined.len();
        out.push(definition(
            term.as_str(),
            term.range(),
            definition_range,
            DefinitionKind::Hereinafter,
        ));
    }
}

/// An acronym in brackets: `(MOEF)`, `(R&D)`, `(SMEs)`, or a hyphenated short name
/// (`(K-water)`).
static BRACKETED_ACRONYM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\(([A-Z][A-Za-z&]*[A-Z][A-Za-z0-9&]*s?|[A-Z][A-Za-z0-9]*-[A-Za-z0-9]+)\)")
        .expect("acronym pattern is valid")
});

/// An acronym followed by its long form in brackets: `MOEF (Ministry of …)`.
static ACRONYM_THEN_LONG_FORM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?-u:\b)([A-Z][A-Z0-9&]*[A-Z][A-Z0-9]*s?)\s+\(([^()\n]{4,120})\)")
        .expect("reverse pattern is valid")
});

/// [`ACRONYM_THEN_LONG_FORM`] without the upper bound `{4,120}`, for [`bounded_captures`].
static ACRONYM_THEN_LONG_FORM_RELAXED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?-u:\b)([A-Z][A-Z0-9&]*[A-Z][A-Z0-9]*s?)\s+\(([^()\n]{4,})\)")
        .expect("reverse pattern is valid")
});

fn acronym_then_long_form_within(caps: &regex::Captures<'_>) -> bool {
    caps.get(2)
        .is_none_or(|m| m.as_str().chars().count() <= 120)
}

fn expansions(prose: &str, out: &mut Vec<Definition>) {
    // Both shapes have a bracket; most blocks have none.
    if memchr::memchr(b'(', prose.as_bytes()).is_none() {
        return;
    }
    for caps in BRACKETED_ACRONYM.captures_iter(prose) {
        let acronym = caps.get(1).expect("group 1 is not optional");
        let open = caps.get(0).expect("group 0 always matches").start();
        let window = words_before(prose, open, acronym.as_str().len() + 5);
        if let Some(long) = long_form(acronym.as_str(), &prose[window.clone()]) {
            let range = window.start + long..window.end;
            out.push(definition(
                acronym.as_str(),
                acronym.range(),
                trim_range(prose, range),
                DefinitionKind::Expansion,
            ));
        }
    }
    for caps in bounded_captures(
        &ACRONYM_THEN_LONG_FORM_RELAXED,
        &ACRONYM_THEN_LONG_FORM,
        acronym_then_long_form_within,
        prose,
    ) {
        let acronym = caps.get(1).expect("group 1 is not optional");
        let inside = caps.get(2).expect("group 2 is not optional");
        if long_form(acronym.as_str(), inside.as_str()) == Some(0) {
            out.push(definition(
                acronym.as_str(),
                acronym.range(),
                inside.range(),
                DefinitionKind::Expansion,
            ));
        }
    }
}

/// The range of at most `max_words` words before `end`, stopping at a sentence or
/// clause boundary.
fn words_before(prose: &str, end: usize, max_words: usize) -> Range<usize> {
    let before = &prose[..end];
    let clause_start = before
        .rfind(['.', ';', ':', '(', ')', '\n'])
        .map_or(0, |i| i + 1);
    let mut start = end;
    let mut words = 0;
    for (i, space) in before[clause_start..]
        .match_indices(char::is_whitespace)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
    {
        // After the space, which may be wider than a byte (U+3000).
        let at = clause_start + i + space.len();
        if at >= end || before[at..end].trim().is_empty() {
            continue;
        }
        start = at;
        words += 1;
        if words >= max_words {
            break;
        }
    }
    if words < max_words {
        start = clause_start;
    }
    start..end
}

/// Schwartz & Hearst (2003): the shortest suffix of `candidate` whose characters contain
/// the acronym's letters in order, the first at the start of a word. Returns the byte
/// offset in `candidate` where the long form starts.
fn long_form(acronym: &str, candidate: &str) -> Option<usize> {
    let short: Vec<char> = acronym
        .trim_end_matches('s')
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect();
    let long: Vec<(usize, char)> = candidate.char_indices().collect();
    if short.len() < 2 || long.is_empty() {
        return None;
    }
    let mut l = long.len() as isize - 1;
    for s in (0..short.len()).rev() {
        loop {
            if l < 0 {
                return None;
            }
            let (_, c) = long[l as usize];
            let matches = c.to_lowercase().eq(std::iter::once(short[s]));
            let word_start = l == 0 || !long[l as usize - 1].1.is_alphanumeric();
            if matches && (s > 0 || word_start) {
                break;
            }
            l -= 1;
        }
        l -= 1;
    }
    let start = long[(l + 1) as usize].0;
    // The long form must be words, not the acronym repeated.
    (candidate[start..].split_whitespace().count() >= 2 || candidate[start..].contains('-'))
        .then_some(start)
}

fn trim_range(prose: &str, range: Range<usize>) -> Range<usize> {
    let s = &prose[range.clone()];
    let start = range.start + (s.len() - s.trim_start().len());
    let end = range.end - (s.len() - s.trim_end().len());
    start..end.max(start)
}

/// `word—appositive—` with em dashes, en dashes with spaces, or dashes lost as `?`.
static APPOSITIVE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"([\p{L}][\p{L}'’-]*)(?:—|\s–\s|\s—\s|\?)(\p{Ll}[^—–?\n]{8,240}?)(?:—|\s–\s|\s—\s|\?)\p{L}")
        .expect("appositive pattern is valid")
});

/// [`APPOSITIVE`] without the upper bound, for [`bounded_captures`].
static APPOSITIVE_RELAXED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"([\p{L}][\p{L}'’-]*)(?:—|\s–\s|\s—\s|\?)(\p{Ll}[^—–?\n]{8,}?)(?:—|\s–\s|\s—\s|\?)\p{L}",
    )
    .expect("appositive pattern is valid")
});

/// The longest appositive, in characters: its first lower-case letter and 240 more.
const APPOSITIVE_MAX_CHARS: usize = 241;

/// The matches `exact` finds, one after another like `captures_iter`, searched with
/// `relaxed`: the same pattern with a bounded repetition's upper bound dropped, which is
/// many times cheaper to compile (each bound copies its class, and Unicode classes are
/// large). `within` tells from a match's groups whether every such repetition kept its
/// bound. The relaxed pattern orders the paths it can take exactly as the bounded one does
/// and has more of them, so when its match is within the bounds it is the bounded pattern's
/// match too; otherwise that one search is made with `exact`, compiled only then. Neither
/// pattern may match the empty string.
pub(crate) fn bounded_captures<'h>(
    relaxed: &'h Regex,
    exact: &'h LazyLock<Regex>,
    within: impl Fn(&regex::Captures<'_>) -> bool + 'h,
    haystack: &'h str,
) -> impl Iterator<Item = regex::Captures<'h>> + 'h {
    let mut at = 0;
    std::iter::from_fn(move || {
        if at > haystack.len() {
            return None;
        }
        let mut caps = relaxed.captures_at(haystack, at)?;
        if !within(&caps) {
            caps = exact.captures_at(haystack, at)?;
        }
        let whole = caps.get(0).expect("group 0 is the match");
        debug_assert!(
            !whole.is_empty(),
            "the patterns never match the empty string"
        );
        at = whole.end().max(whole.start() + 1);
        Some(caps)
    })
}

/// How many runs of blanks (spaces, tabs) `text` has: the repetitions of `[ \t]+word`
/// after a first word.
fn blank_runs(text: &str) -> usize {
    text.split([' ', '\t'])
        .filter(|w| !w.is_empty())
        .count()
        .saturating_sub(1)
}

/// Words that start an aside rather than say what something is.
const NOT_AN_APPOSITIVE: &[&str] = &[
    "which",
    "who",
    "that",
    "and",
    "but",
    "or",
    "if",
    "when",
    "while",
    "although",
    "though",
    "because",
    "as",
    "for",
    "in",
    "on",
    "at",
    "by",
    "to",
    "from",
    "with",
    "without",
    "after",
    "before",
    "during",
    "including",
    "not",
    "so",
    "then",
    "even",
    "perhaps",
    "especially",
];

/// Whether a word after a leading `-ed` word makes it a participle clause (`approved in
/// May`, `launched last year`, `signed jointly`) rather than an adjective before its noun
/// (`concentrated bodies where …`, `advanced materials`).
fn participle_clause(next: &str) -> bool {
    const CLAUSE_WORDS: &[&str] = &[
        "in", "on", "at", "by", "for", "to", "from", "with", "without", "into", "onto", "under",
        "over", "through", "during", "since", "until", "after", "before", "as", "and", "or", "but",
        "last", "this", "next", "earlier", "later", "the", "a", "an", "its", "their", "his", "her",
        "our", "it", "them", "out", "up", "down", "off", "back", "only",
    ];
    let next = next.trim_matches(|c: char| !c.is_alphanumeric());
    next.is_empty() || CLAUSE_WORDS.contains(&next) || (next.len() > 3 && next.ends_with("ly"))
}

/// The dashes [`APPOSITIVE`] needs, by a literal search that rules most blocks out faster
/// than the pattern itself could.
static APPOSITIVE_DASH: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"—|–|\?").expect("dash pattern is valid"));

fn appositives(prose: &str, out: &mut Vec<Definition>) {
    if !APPOSITIVE_DASH.is_match(prose) {
        return;
    }
    let within = |caps: &regex::Captures<'_>| {
        caps.get(2).map_or(0, |m| m.as_str().chars().count()) <= APPOSITIVE_MAX_CHARS
    };
    for caps in bounded_captures(&APPOSITIVE_RELAXED, &APPOSITIVE, within, prose) {
        let term = caps.get(1).expect("group 1 is not optional");
        let body = caps.get(2).expect("group 2 is not optional");
        let mut words = body.as_str().split_whitespace();
        let first_lower = words.next().unwrap_or_default().to_lowercase();
        let second_lower = words.next().unwrap_or_default().to_lowercase();
        if NOT_AN_APPOSITIVE.contains(&first_lower.as_str())
            || (first_lower.ends_with("ed") && participle_clause(&second_lower))
            || body.as_str().split_whitespace().count() < 3
        {
            continue;
        }
        out.push(definition(
            term.as_str(),
            term.range(),
            body.range(),
            DefinitionKind::Appositive,
        ));
    }
}

/// Words that never begin a compound term.
const NOT_IN_A_COMPOUND: &[&str] = &[
    "a", "an", "the", "of", "in", "on", "at", "by", "for", "to", "from", "with", "and", "or",
    "but", "as", "into", "its", "their", "our", "his", "her", "this", "that", "these", "those",
    "some", "many", "few", "more", "most", "all", "each", "every", "any", "no", "such", "other",
    "is", "are", "was", "were", "be", "been", "has", "have", "had", "will", "would", "can",
    "could", "may", "might", "should", "must", "than", "then", "which", "who", "whose", "where",
    "when", "while", "not", "only", "also", "very",
];

/// `a small number of innovation hubs—self-governing partnerships …—`: the appositive
/// pattern sees one word before the dash, but the term is the compound the draft goes on
/// using. The one or two words before it join the term when the compound they make is
/// written again elsewhere in the draft; the one-word definition stays as well.
/// A compound an appositive's term may end (`innovation hubs` for `hubs`), which becomes
/// a definition itself if the draft writes it again elsewhere.
#[derive(Clone, Debug)]
pub(crate) struct CompoundCandidate {
    /// Index of the appositive among the definitions.
    pub definition: usize,
    pub range: Range<usize>,
    pub key: String,
}

/// The compound candidates of the appositives among `definitions`, in their order. Each
/// is read from the appositive's own block, so a piece of a draft finds the same ones.
pub(crate) fn compound_candidates(
    doc: &Document,
    definitions: &[Definition],
) -> Vec<CompoundCandidate> {
    let mut candidates = Vec::new();
    for (index, d) in definitions.iter().enumerate() {
        if d.kind != DefinitionKind::Appositive {
            continue;
        }
        let Some(block) = doc.block_at(d.term_range.start).map(|b| &doc.blocks[b]) else {
            continue;
        };
        // Two words back is all that is looked at: a window keeps long lines linear.
        let from = super::text::floor_char_boundary(
            &doc.prose,
            d.term_range
                .start
                .saturating_sub(120)
                .max(block.range.start),
        );
        let before = from..d.term_range.start;
        let words = word_spans(doc.prose(before.clone()), before.start);
        // The window's first word may be cut short.
        let whole = usize::from(from > block.range.start).min(words.len());
        let mut start = d.term_range.start;
        for word in words[whole..].iter().rev().take(2) {
            let text = &doc.prose[word.clone()];
            let lower = text.to_lowercase();
            if &doc.prose[word.end..start] != " "
                || !text.chars().all(|c| c.is_alphabetic() || c == '-')
                || NOT_IN_A_COMPOUND.contains(&lower.as_str())
            {
                break;
            }
            start = word.start;
            let range = start..d.term_range.end;
            candidates.push(CompoundCandidate {
                definition: index,
                key: term_key(&doc.prose[range.clone()]),
                range,
            });
        }
    }
    candidates
}

fn compound_appositives(
    doc: &Document,
    definitions: &mut Vec<Definition>,
    candidates: Vec<CompoundCandidate>,
    find: impl FnOnce(&[&str]) -> Vec<(Range<usize>, usize)>,
) {
    if candidates.is_empty() {
        return;
    }
    let keys: Vec<&str> = candidates.iter().map(|c| c.key.as_str()).collect();
    let mut uses: HashMap<&str, Vec<Range<usize>>> = HashMap::new();
    for (range, key) in find(&keys) {
        uses.entry(keys[key]).or_default().push(range);
    }
    // The longest compound written again wins, per definition. A definition's candidates
    // are adjacent, so the last one added is the only one to compare with.
    let mut last_added: Option<usize> = None;
    for candidate in candidates.iter().rev() {
        let (index, range) = (candidate.definition, &candidate.range);
        let again = uses
            .get(candidate.key.as_str())
            .is_some_and(|found| found.iter().any(|r| r != range));
        if !again || last_added == Some(index) {
            continue;
        }
        last_added = Some(index);
        let original = &definitions[index];
        let compound = definition(
            &doc.prose[range.clone()],
            range.clone(),
            original.definition_range.clone(),
            DefinitionKind::Appositive,
        );
        definitions.push(compound);
    }
}

/// Headings that introduce a list of definitions: the word alone, perhaps numbered
/// (`2. Definitions`, `Article 2 (Definitions)`, `제2조 (정의)`) — not `Terms and Conditions`.
static GLOSSARY_HEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^[\s\d.()\-—:]*(?:(?:article|section|part|annex|chapter)\s+[\dIVXivx]+\.?|[IVXivx]+\.|제\s*\d+\s*[조장절])?[\s\d.()\-—:]*\(?\s*(?:definitions?|glossary|(?:key\s+)?terms|terminology|(?:abbreviations|acronyms)(?:\s+and\s+(?:abbreviations|acronyms))?|정의|용어(?:의\s*정의)?)\s*\)?\s*$",
    )
    .expect("glossary heading pattern is valid")
});

/// Whether a heading's prose introduces a list of definitions.
pub(crate) fn is_glossary_heading(prose: &str) -> bool {
    GLOSSARY_HEADING.is_match(prose)
}

/// Blocks inside sections whose heading is a glossary heading.
fn glossary_section_blocks(doc: &Document) -> Vec<usize> {
    let glossary_headings = doc
        .sections
        .iter()
        .map(|section| is_glossary_heading(doc.prose(section.heading.clone())));
    glossary_blocks_under(doc, glossary_headings)
}

/// Blocks inside the sections `glossary_headings` marks (one flag per section, in order).
fn glossary_blocks_under(
    doc: &Document,
    glossary_headings: impl IntoIterator<Item = bool>,
) -> Vec<usize> {
    let mut out = Vec::new();
    for (section, _) in doc
        .sections
        .iter()
        .zip(glossary_headings)
        .filter(|(_, glossary)| *glossary)
    {
        let first = section.block + 1;
        let end = doc
            .blocks
            .partition_point(|b| b.range.start < section.range.end);
        for index in first..end {
            if doc.blocks[index].is_heading() {
                break;
            }
            out.push(index);
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// `**Term**: definition`, `Term — definition`, `- Term: definition`, `"Term" means …`
/// (left to [`means`]) or a table row `| Term | definition |`.
static ENTRY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(?:[-*•]\s+)?([^:—–\n]{1,60}?)\s*(?::|\s[—–-]\s|—)\s*(\S.*)")
        .expect("entry pattern is valid")
});

fn glossary_entry(doc: &Document, index: usize, out: &mut Vec<Definition>) {
    let block = &doc.blocks[index];
    let base = block.range.start;
    let prose = doc.prose(block.range.clone());
    if let BlockKind::TableCell {
        is_header: false, ..
    } = block.kind
    {
        // A definition table: the first cell of a row is the term, the next its meaning.
        let next = doc.blocks.get(index + 1);
        let same_row = next.is_some_and(|n| {
            doc.lines.line_of(n.range.start) == doc.lines.line_of(block.range.start)
        });
        let first_in_row = index == 0
            || doc.lines.line_of(doc.blocks[index - 1].range.start)
                != doc.lines.line_of(block.range.start);
        if let (true, true, Some(next)) = (same_row, first_in_row, next) {
            let term = prose.trim();
            out.push(definition(
                term,
                0..prose.len(),
                next.range.start - base..next.range.end - base,
                DefinitionKind::GlossaryEntry,
            ));
        }
        return;
    }
    if let Some(caps) = ENTRY.captures(prose) {
        let term = caps.get(1).expect("group 1 is not optional");
        let body = caps.get(2).expect("group 2 is not optional");
        let cleaned = term.as_str().trim_matches(|c: char| {
            c == '*' || c == '_' || c.is_whitespace() || c == '"' || c == '“' || c == '”'
        });
        // `Regional innovation agency (RIA)`: the bracketed acronym is its own expansion.
        let cleaned = match cleaned.rfind(" (") {
            Some(i) if cleaned.ends_with(')') => cleaned[..i].trim_end(),
            _ => cleaned,
        };
        if cleaned.is_empty()
            || cleaned.split_whitespace().count() > 8
            || prose[..term.start()].contains(['"', '“'])
        {
            return;
        }
        let offset = term.start() + term.as_str().find(cleaned).unwrap_or(0);
        out.push(definition(
            cleaned,
            offset..offset + cleaned.len(),
            body.range(),
            DefinitionKind::GlossaryEntry,
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::testing::random_texts;
    use crate::analysis::DocumentKind;
    use crate::config::Config;

    /// `bounded_captures` finds what `exact.captures_iter` finds, on texts where the
    /// relaxed pattern alone would find something else more than `min_different` times.
    fn assert_bounded_equals_exact(
        relaxed: &Regex,
        exact: &LazyLock<Regex>,
        within: impl Fn(&regex::Captures<'_>) -> bool + Copy,
        texts: &[String],
        min_different: usize,
    ) {
        let groups = |caps: regex::Captures<'_>| -> Vec<Option<Range<usize>>> {
            caps.iter().map(|g| g.map(|g| g.range())).collect()
        };
        let mut different = 0;
        for text in texts {
            let expected: Vec<_> = exact.captures_iter(text).map(groups).collect();
            let found: Vec<_> = bounded_captures(relaxed, exact, within, text)
                .map(groups)
                .collect();
            assert_eq!(found, expected, "{text:?}");
            let unbounded: Vec<_> = relaxed.captures_iter(text).map(groups).collect();
            different += usize::from(unbounded != expected);
        }
        // The texts do reach the bounds, so the comparison tests them.
        assert!(different > min_different, "{different}");
    }

    const ANY_TEXT: &[&str] = &[
        "a", "é", "É", "ǅ", "한국", "😀", "’", "'", "-", " ", "\u{a0}", "\t", "\n", "\r\n", ".",
        ",", ";", ":", "7", "\u{301}", "ſ", "K", "x", "X", "_", "&",
    ];

    /// The appositive search finds exactly what the pattern with `{8,240}?` found.
    #[test]
    fn appositive_search_equals_the_bounded_pattern() {
        let pieces = [
            "hub",
            "Hub",
            "—",
            "–",
            "?",
            " — ",
            " – ",
            "—self-governing ",
            "partnerships of ports and towns ",
            "a very long aside that goes on and on about the harbour, its berths and its levies ",
        ];
        // Long stretches without a dash, to reach the bound.
        let long = "and then a very long aside that goes on and on about the harbour, its levies ";
        let pieces: Vec<&str> = pieces
            .iter()
            .chain(ANY_TEXT)
            .copied()
            .chain([long; 40])
            .collect();
        let within = |caps: &regex::Captures<'_>| {
            caps.get(2).map_or(0, |m| m.as_str().chars().count()) <= APPOSITIVE_MAX_CHARS
        };
        let texts = random_texts(&pieces, 5_000, 24);
        assert_bounded_equals_exact(&APPOSITIVE_RELAXED, &APPOSITIVE, within, &texts, 10);
    }

    /// The acronym-then-long-form search finds exactly what the pattern with `{4,120}` found.
    #[test]
    fn long_form_search_equals_the_bounded_pattern() {
        let pieces = [
            "MOEF", "R&D", "SMEs", "ICT", "Moef", " ", "  ", "(", ")", " (", "Ministry of ",
            "Economy and Finance", "a long form that goes on for forty characters ",
            "(a long form that goes on and on for well over a hundred and twenty characters, so that it reaches the bound) ",
            "MOEF (a long form of some hundred characters, give or take a few, that may reach the bound ",
            "ICT (", "R&D (", "Ministry) ", "and more words that go on ",
        ];
        let pieces: Vec<&str> = pieces.iter().chain(ANY_TEXT).copied().collect();
        let texts = random_texts(&pieces, 5_000, 24);
        assert_bounded_equals_exact(
            &ACRONYM_THEN_LONG_FORM_RELAXED,
            &ACRONYM_THEN_LONG_FORM,
            acronym_then_long_form_within,
            &texts,
            10,
        );
    }

    /// The definition searches find exactly what the patterns with `{1,80}`, `{0,5}?` and
    /// `{0,3}?` found.
    #[test]
    fn definition_searches_equal_the_bounded_patterns() {
        let pieces = [
            "\"", "“", "”", "‘", "’", "'", " means ", " shall mean ", " refers to ",
            " is defined as ", " is used to mean ", "means", " shall  mean ", ", the ", ", a ",
            ", An ", "The ", "The term ", "A ", "An ", "Port levy", "port", " levy", " Harbour",
            " of", "\t", "• ", "① ", "- ", "* ", " a charge on ships", ". ", "; ", ":\n",
            "a long quoted name that runs on well past eighty characters if it keeps going ",
            " one two three four five six", " Alpha Beta Gamma Delta Epsilon Zeta Eta",
            " berth operator ", "x_y",
            "“a quoted name that runs on for seventy characters or so, not much more” means ",
            "\"a quoted name that runs on past eighty characters if it keeps going on and on\" means ",
            "\"a quoted name of nearly eighty characters, give or take a word or two",
        ];
        let pieces: Vec<&str> = pieces.iter().chain(ANY_TEXT).copied().collect();
        let texts = random_texts(&pieces, 5_000, 24);
        assert_bounded_equals_exact(&MEANS_RELAXED, &MEANS, means_within, &texts, 10);
        assert_bounded_equals_exact(
            &QUOTED_MEANS_RELAXED,
            &QUOTED_MEANS,
            quoted_means_within,
            &texts,
            10,
        );
        assert_bounded_equals_exact(
            &CLAUSE_DEFINED_RELAXED,
            &CLAUSE_DEFINED,
            clause_defined_within,
            &texts,
            10,
        );
    }

    fn index(text: &str, kind: DocumentKind) -> (Document, Vec<(String, String, DefinitionKind)>) {
        let doc = Document::parse(text, kind, &Config::default());
        let found = doc
            .terms
            .definitions
            .iter()
            .map(|d| {
                (
                    d.term.clone(),
                    text[d.definition_range.clone()].to_owned(),
                    d.kind,
                )
            })
            .collect();
        (doc, found)
    }

    #[test]
    fn keys_forgive_case_possessives_and_plurals() {
        assert_eq!(term_key("Clusters"), "cluster");
        assert_eq!(term_key("cluster's"), "cluster");
        assert_eq!(term_key("Innovation Hubs"), "innovation hub");
        assert_eq!(term_key("policies"), "policy");
        assert_eq!(term_key("SMEs"), "sme");
        assert_eq!(term_key("R&D"), "r&d");
        assert_eq!(term_key("process"), "process");
    }

    #[test]
    fn means_refers_to_and_defined_as() {
        let (_, found) = index(
            "\"Transit data\" means records of trips made on public transport.\nA \"data steward\" refers to the official who handles requests.\nA levy is defined as a charge on imports.\nThis means that fees rise.\n",
            DocumentKind::PlainText,
        );
        let terms: Vec<_> = found.iter().map(|f| f.0.as_str()).collect();
        assert_eq!(terms, ["Transit data", "data steward", "levy"]);
        assert_eq!(found[0].1, "records of trips made on public transport");
    }

    #[test]
    fn definitions_in_list_items_clauses_and_anywhere_quoted() {
        let (_, found) = index(
            "Plan\n\n□ Goals\n  ○ Vertical farm refers to a building that grows crops in stacked trays.\n① In this Act, \"berth operator\" means a firm licensed under 제3조 to run a berth.\nUnder the bill, a gig courier is defined as a person who delivers parcels for an app.\nThe Harbour Water Authority (H-water) runs dams. Yesterday, the change means nothing; the fees, as the report said (Annex B), rise.\n",
            DocumentKind::PlainText,
        );
        let terms: Vec<_> = found.iter().map(|f| (f.0.as_str(), f.1.as_str())).collect();
        assert_eq!(
            terms,
            [
                (
                    "Vertical farm",
                    "a building that grows crops in stacked trays"
                ),
                (
                    "berth operator",
                    "a firm licensed under 제3조 to run a berth"
                ),
                ("gig courier", "a person who delivers parcels for an app"),
                ("H-water", "Harbour Water Authority"),
            ]
        );
    }

    #[test]
    fn expansions_both_ways_and_hereinafter() {
        let (doc, found) = index(
            "The Ministry of Ocean Affairs (MOA) and the Harbour Safety Board (HSB) met. The KDX (Korea Data Exchange) opened. The National Port Authority (hereinafter \"the Authority\") agreed.\n",
            DocumentKind::PlainText,
        );
        assert!(found.contains(&(
            "MOA".into(),
            "Ministry of Ocean Affairs".into(),
            DefinitionKind::Expansion
        )));
        assert!(found.contains(&(
            "HSB".into(),
            "Harbour Safety Board".into(),
            DefinitionKind::Expansion
        )));
        assert!(found.contains(&(
            "KDX".into(),
            "Korea Data Exchange".into(),
            DefinitionKind::Expansion
        )));
        assert!(found.contains(&(
            "the Authority".into(),
            "The National Port Authority".into(),
            DefinitionKind::Hereinafter
        )));
        assert!(doc.terms.expansion("moa").is_some());
        assert!(doc.terms.expansion("XYZ").is_none());
    }

    #[test]
    fn appositives_with_real_and_lost_dashes() {
        let (doc, found) = index(
            "The plan targets hubs—partnerships of a university and local firms—rather than provinces. It funds corridors?strips of land reserved for transit lines?as a priority. The fund—approved in May—opens soon. Its belts—concentrated bands of mills and yards—grow. The port—expanded last year by the city—reopened.\n",
            DocumentKind::PlainText,
        );
        let terms: Vec<_> = found.iter().map(|f| (f.0.as_str(), f.2)).collect();
        assert_eq!(
            terms,
            [
                ("hubs", DefinitionKind::Appositive),
                ("corridors", DefinitionKind::Appositive),
                ("belts", DefinitionKind::Appositive)
            ]
        );
        assert_eq!(doc.terms.lookup("Hub").count(), 1);
        assert_eq!(doc.terms.lookup("corridor's").count(), 1);
    }

    #[test]
    fn appositive_compounds_the_draft_uses_again() {
        let text = "The plan backs a few port hubs—cooperatives of shippers, a port authority and lenders—rather than every harbour. It funds belts—rows of mills along a river—too.\n\n1. Name 3 port hubs by 2027.\n";
        let (doc, found) = index(text, DocumentKind::PlainText);
        let terms: Vec<_> = found.iter().map(|f| f.0.as_str()).collect();
        assert_eq!(terms, ["port hubs", "hubs", "belts"]);
        assert_eq!(
            found[0].1,
            "cooperatives of shippers, a port authority and lenders"
        );
        assert_eq!(doc.terms.lookup("port hub").count(), 1);
        assert_eq!(doc.terms.lookup("hub").count(), 1);
    }

    #[test]
    fn glossary_headings_are_the_word_alone() {
        for heading in [
            "Definitions",
            "2. Definitions",
            "Article 2 (Definitions)",
            "제2조 (정의)",
            "Glossary",
            "Key terms",
            "Abbreviations and acronyms",
        ] {
            assert!(GLOSSARY_HEADING.is_match(heading), "{heading}");
        }
        for heading in [
            "Terms and Conditions",
            "Definitions of success",
            "Budget terms of reference",
        ] {
            assert!(!GLOSSARY_HEADING.is_match(heading), "{heading}");
        }
    }

    #[test]
    fn glossary_section_entries() {
        let text = "# Plan\n\n## Definitions\n\n**Anchor firm**: a company that locates research in a hub.\n\n- Matching ratio — the share paid by the region.\n\n| Term | Meaning |\n|---|---|\n| Hub | a place where firms meet |\n\n## Targets\n\nNote: this is not an entry.\n";
        let (_, found) = index(text, DocumentKind::Markdown);
        let entries: Vec<_> = found
            .iter()
            .filter(|f| f.2 == DefinitionKind::GlossaryEntry)
            .map(|f| (f.0.as_str(), f.1.as_str()))
            .collect();
        assert_eq!(
            entries,
            [
                ("Anchor firm", "a company that locates research in a hub."),
                ("Matching ratio", "the share paid by the region."),
                ("Hub", "a place where firms meet"),
            ]
        );
    }

    #[test]
    fn uses_in_any_inflection_longest_first() {
        let text = "# Clusters\n\nA cluster's board funds **innovation hubs**. Clusters—and each\ninnovation hub—report. The clustering of firms is not a use; nor is \"hub\" alone, 한국 😀 cluster.\n\n```\ncluster in code\n```\n";
        let doc = Document::parse(text, DocumentKind::Markdown, &Config::default());
        let uses: Vec<(&str, usize)> = find_uses(&doc, &["cluster", "innovation hub", "hub"])
            .into_iter()
            .map(|(range, key)| (&text[range], key))
            .collect();
        assert_eq!(
            uses,
            [
                ("Clusters", 0),
                ("cluster's", 0),
                ("innovation hubs", 1),
                ("Clusters", 0),
                ("innovation hub", 1),
                ("hub", 2),
                ("cluster", 0),
            ]
        );
        assert!(find_uses(&doc, &[]).is_empty());
        assert!(find_uses(&doc, &[""]).is_empty());
    }

    #[test]
    fn renaming_keeps_inflection() {
        assert_eq!(reinflect("clusters", "hub"), "hubs");
        assert_eq!(reinflect("Clusters", "hub"), "Hubs");
        assert_eq!(reinflect("cluster's", "hub"), "hub's");
        assert_eq!(reinflect("Cluster’s", "hub"), "Hub’s");
        assert_eq!(reinflect("cluster", "innovation hub"), "innovation hub");
        assert_eq!(reinflect("policies", "policy"), "policies");
        assert_eq!(reinflect("SMEs", "KSME"), "KSMEs");
        assert_eq!(reinflect("boxes", "church"), "churches");
        assert_eq!(reinflect("process", "flow"), "flow");
        assert_eq!(uninflect("clusters", "hubs"), "hub");
        assert_eq!(uninflect("cluster's", "hub's"), "hub");
        assert_eq!(uninflect("Clusters", "Innovation Hubs"), "Innovation Hub");
        assert_eq!(uninflect("cluster", "hubs"), "hubs");
        for (written, new) in [
            ("clusters", "hubs"),
            ("cluster's", "hub's"),
            ("agencies", "bodies"),
        ] {
            assert_eq!(reinflect(written, &uninflect(written, new)), new);
        }
    }

    /// `find_uses` as first written: a key built with `term_key` for every word.
    fn find_uses_word_by_word(doc: &Document, keys: &[&str]) -> Vec<(Range<usize>, usize)> {
        let mut by_key: HashMap<&str, usize> = HashMap::new();
        let mut lengths: Vec<usize> = Vec::new();
        let mut first_words = std::collections::HashSet::new();
        for (i, key) in keys.iter().enumerate() {
            if key.is_empty() {
                continue;
            }
            by_key.entry(key).or_insert(i);
            let words = key.split(' ').count();
            if !lengths.contains(&words) {
                lengths.push(words);
            }
            first_words.insert(key.split(' ').next().unwrap_or_default());
        }
        lengths.sort_unstable_by(|a, b| b.cmp(a));
        let mut uses = Vec::new();
        for block in &doc.blocks {
            let words = word_spans(doc.prose(block.range.clone()), block.range.start);
            let mut i = 0;
            while i < words.len() {
                let first = term_key(&doc.prose[words[i].clone()]);
                let lower = doc.prose[words[i].clone()].to_lowercase();
                if !first_words.contains(first.as_str()) && !first_words.contains(lower.as_str()) {
                    i += 1;
                    continue;
                }
                let found = lengths.iter().find_map(|&n| {
                    let window = words.get(i..i + n)?;
                    if !joined_by_spaces(&doc.prose, window) {
                        return None;
                    }
                    let range = window[0].start..window[n - 1].end;
                    let index = *by_key.get(term_key(&doc.prose[range.clone()]).as_str())?;
                    Some((range, index, n))
                });
                match found {
                    Some((range, index, n)) => {
                        uses.push((range, index));
                        i += n;
                    }
                    None => i += 1,
                }
            }
        }
        uses
    }

    #[test]
    fn find_uses_agrees_with_a_key_for_every_word() {
        let words = [
            "Policy",
            "policies",
            "POLICY's",
            "policy’s",
            "hub",
            "Hubs",
            "hub-city",
            "R&D",
            "research",
            "Research",
            "body",
            "bodies",
            "ΣΟΦΊΑ",
            "σοφία",
            "\u{212A}ey",
            "key",
            "keys",
            "İnnovation",
            "innovation",
            "bus",
            "buses",
            "a",
            "the",
            "x",
            "한국",
            "é",
            "2024",
        ];
        let separators = [" ", " ", " ", ", ", ". ", "\n", "\n\n", " — ", "'", "-"];
        let keys = [
            "policy",
            "hub",
            "research body",
            "innovation hub",
            "key",
            "σοφία",
            "bus",
            "r&d",
            "hub-city",
            "policy hub",
        ];
        let mut state: u64 = 0x0123_4567_89AB_CDEF;
        let mut next = |n: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % n as u64) as usize
        };
        for _ in 0..400 {
            let mut text = String::new();
            for _ in 0..30 {
                text.push_str(words[next(words.len())]);
                text.push_str(separators[next(separators.len())]);
            }
            let doc = Document::parse(&text, DocumentKind::PlainText, &Config::default());
            let chosen: Vec<&str> = (0..3).map(|_| keys[next(keys.len())]).collect();
            assert_eq!(
                find_uses(&doc, &chosen),
                find_uses_word_by_word(&doc, &chosen),
                "{text:?} {chosen:?}"
            );
        }
    }

    #[test]
    fn term_keys() {
        for (term, key) in [
            ("Policies", "policy"),
            ("the Hub's", "the hub"),
            ("R&D", "r&d"),
            ("ΣΟΦΊΑΣ", "σοφίας"),
            ("  Boxes ", "box"),
            ("SMEs", "sme"),
            ("as", "as"),
            ("ads", "ad"),
            ("\"Port levy\"", "port levy"),
            ("", ""),
        ] {
            assert_eq!(term_key(term), key, "{term}");
        }
    }
}
