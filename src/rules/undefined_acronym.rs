//! # undefined-acronym
//!
//! ## What it does
//! Flags an acronym used before the draft expands it, or never expanded at all.
//! Acronyms are words of two or more capitals (`R&D` style included); an expansion is
//! `Korea Internet Agency (KIA)`, `KIA (Korea Internet Agency)` or an entry in a
//! Definitions / Abbreviations section. Reported once, at the first use.
//!
//! Not flagged: universally known acronyms (`US`, `UK`, `EU`, `UN`, `GDP`, `R&D`, …), ISO
//! 4217 currency codes (`KRW`, `USD`), terms in the workspace glossary, unit and time
//! symbols (`MW`, `KST`), fiscal years (`FY2025`), Roman numerals (`Part III`,
//! `Phase II`), words of an all-capitals headline, capitals used for emphasis (a word the
//! draft also writes in lower case, such as `NOTE` or `AS IS`), and acronyms in headings. An institution's initials (`MIT`, `NTIS`) are
//! flagged: a policy editor expands them on first use.
//!
//! ## Why it matters
//! Policy drafts are read by ministers, journalists and the public, not only by the team
//! that lives with the acronyms. An unexpanded acronym stops the reader or sends them to
//! a search engine.
//!
//! ## Example
//! ```text
//! NTIS will publish the data. The National Technology Information Service (NTIS) …
//! ```
//!
//! ## Use instead
//! ```text
//! The National Technology Information Service (NTIS) will publish the data.
//! ```
//!
//! ## Options
//! Add the team's own acronyms to the workspace glossary (`[glossary.terms]` in
//! `policy-lsp.toml`, or a glossary file listed in `[glossary] files`) and they are
//! treated as known.

use std::collections::HashSet;
use std::hash::{BuildHasher, BuildHasherDefault, Hash, Hasher};
use std::ops::Range;
use std::sync::{Arc, LazyLock, Mutex};

use regex::Regex;

use super::{Context, Gathered, Reporter, Rule, Scope};
use crate::analysis::fnv::{Fnv, FnvHashSet};
use crate::analysis::terms::term_key;
use crate::analysis::Severity;
use crate::glossary;

pub static RULE: Rule = Rule {
    name: "undefined-acronym",
    default_severity: Severity::Information,
    scope: Scope::Split { gather, judge },
    source: include_str!("undefined_acronym.rs"),
    check,
};

/// All-capital unit and time symbols that are not acronyms.
const SYMBOLS: &[&str] = &[
    "AM", "PM", "KST", "UTC", "GMT", "CET", "EST", "MW", "GW", "KW", "TW", "MWH", "GWH", "TWH",
    "KWH", "KV", "MT", "GT", "CO2", "NO2", "SO2", "NOX", "PM10", "PM2", "CH4", "N2O", "H2",
];

/// Words before a Roman numeral that make it numbering, not an acronym.
const NUMBERING_WORDS: &[&str] = &[
    "part", "chapter", "title", "annex", "schedule", "book", "section", "article", "phase",
    "stage", "tier", "type", "level", "round", "pillar", "volume", "vol", "appendix", "no",
    "category", "class", "grade", "war",
];

fn check(cx: &Context, out: &mut Reporter) {
    super::check_split(&RULE, cx, out);
}

/// An acronym's first use in a piece of the draft (outside headings, not shouted).
struct FirstUse {
    word: String,
    key: Key,
    /// Offset in the piece.
    at: usize,
    /// Known, a currency, a symbol, a fiscal year or a Roman numeral.
    exempt: bool,
}

/// A word's [`term_key`] and its hash, worked out once in [`gather`]: the judgement puts
/// every piece's keys in one set on every judgement (every keystroke in the server).
#[derive(PartialEq, Eq)]
struct Key {
    hash: u64,
    text: String,
}

impl Key {
    fn of(word: &str) -> Key {
        let text = term_key(word);
        Key {
            hash: BuildHasherDefault::<Fnv>::default().hash_one(&text),
            text,
        }
    }
}

impl Hash for Key {
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_u64(self.hash);
    }
}

/// Hashes a [`Key`] by the hash it carries.
#[derive(Default)]
struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write_u64(&mut self, hash: u64) {
        self.0 = hash;
    }

    /// Anything but a [`Key`]'s hash: folded in, byte by byte.
    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(byte);
        }
    }
}

/// What [`gather`] keeps of a piece of the draft.
struct Piece {
    /// Each acronym's first use here, in order.
    first_uses: Vec<FirstUse>,
    /// The last search for acronyms written in lower case run over this piece, and the
    /// words it found here (a draft's candidates rarely change from one edit to the next,
    /// so unchanged pieces are not searched again).
    lower_case: Mutex<Option<(Arc<LowerCaseSearch>, FnvHashSet<String>)>>,
}

/// The block-local half: each acronym's first use in the piece. A shouted use counts for
/// nothing (the word may be a real acronym elsewhere), so it is left out.
fn gather(cx: &Context) -> Gathered {
    let doc = cx.doc;
    let mut seen_words = FnvHashSet::default();
    let mut first_uses = Vec::new();
    for block in doc.blocks.iter().filter(|b| !b.is_heading()) {
        let prose = doc.prose(block.range.clone());
        let mut shouting = None;
        for (word, range) in acronyms(prose) {
            if seen_words.contains(word) {
                continue;
            }
            let shouted = has_capitals_beside(prose, &range)
                && shouting
                    .get_or_insert_with(|| shouting_runs(prose))
                    .iter()
                    .any(|r| r.contains(&range.start));
            if shouted {
                continue;
            }
            seen_words.insert(word);
            first_uses.push(FirstUse {
                word: word.to_owned(),
                key: Key::of(word),
                at: block.range.start + range.start,
                exempt: is_exempt(word, &prose[..range.start]),
            });
        }
    }
    Box::new(Piece {
        first_uses,
        lower_case: Mutex::new(None),
    })
}

/// The document-wide half: the first use of each acronym (of each key) in the draft,
/// unless exempt, in the glossary, written in lower case somewhere, or expanded before.
fn judge(cx: &Context, pieces: &[(usize, &Gathered)], out: &mut Reporter) {
    let doc = cx.doc;
    let glossary_keys: FnvHashSet<String> = cx
        .config
        .glossary
        .keys()
        .chain(
            cx.config
                .glossary_file_terms
                .iter()
                .map(|entry| &entry.term),
        )
        .map(|term| term_key(term))
        .collect();
    let pieces: Vec<(Range<usize>, &Piece)> = pieces
        .iter()
        .enumerate()
        .filter_map(|(i, (offset, gathered))| {
            let end = pieces.get(i + 1).map_or(doc.prose.len(), |(next, _)| *next);
            Some((*offset..end, gathered.downcast_ref::<Piece>()?))
        })
        .collect();
    // Every piece's first uses pass through this set on every judgement: keys borrowed
    // from the pieces, hashed there, and one set, not one per word and one per key (a
    // word seen before has its key in the set already).
    let mut seen_keys: HashSet<&Key, BuildHasherDefault<KeyHasher>> = HashSet::default();
    let mut first_uses = Vec::new();
    for (range, piece) in &pieces {
        for FirstUse {
            word,
            key,
            at,
            exempt,
        } in &piece.first_uses
        {
            if !seen_keys.insert(key) || *exempt || glossary_keys.contains(&key.text) {
                continue;
            }
            first_uses.push((word.as_str(), range.start + at));
        }
    }
    let emphasised = written_in_lower_case(&doc.prose, &pieces, &first_uses);
    for (word, start) in first_uses {
        if emphasised.contains(word.to_lowercase().as_str()) {
            continue;
        }
        let defined_at = doc.terms.lookup(word).map(|d| d.term_range.start).min();
        let message = match defined_at {
            Some(at) if at <= start => continue,
            Some(at) => format!(
                "`{word}` is used before it is expanded (line {}); spell it out here, at its first use",
                doc.lines.line_of(at) + 1
            ),
            None => format!(
                "`{word}` is never expanded; write it out at its first use, e.g. `Full Name ({word})`"
            ),
        };
        out.report(start..start + word.len(), message, None);
    }
}

/// The candidates that the draft also writes as ordinary lower-case words (`NOTE` and
/// `note`, `AS IS` and `as`): capitals for emphasis, not acronyms. One search over each
/// piece of the prose (a match holds no line break and a piece ends with one, so the
/// pieces' matches are the whole prose's), kept with the piece for the next call.
fn written_in_lower_case(
    prose: &str,
    pieces: &[(Range<usize>, &Piece)],
    candidates: &[(&str, usize)],
) -> FnvHashSet<String> {
    let mut alternatives: Vec<String> = candidates
        .iter()
        .map(|(w, _)| regex::escape(&w.to_lowercase()))
        .collect();
    alternatives.sort_unstable();
    alternatives.dedup();
    let mut caches: Vec<_> = pieces
        .iter()
        .map(|(_, piece)| piece.lower_case.lock().unwrap_or_else(|e| e.into_inner()))
        .collect();
    // The search of the previous call, if it looked for the same words.
    let previous = caches
        .iter()
        .find_map(|cache| cache.as_ref().map(|(search, _)| search))
        .filter(|search| search.alternatives == alternatives)
        .cloned();
    let search = previous.unwrap_or_else(|| Arc::new(LowerCaseSearch::new(alternatives)));
    let mut found = FnvHashSet::default();
    for ((range, _), cache) in pieces.iter().zip(&mut caches) {
        let current = matches!(&**cache, Some((s, _)) if Arc::ptr_eq(s, &search));
        if !current {
            **cache = Some((search.clone(), search.find(&prose[range.clone()])));
        }
        if let Some((_, words)) = &**cache {
            found.extend(words.iter().cloned());
        }
    }
    found
}

/// One search for lower-case words: `alternatives` (escaped, sorted) as whole words.
struct LowerCaseSearch {
    alternatives: Vec<String>,
    /// `None` when there is nothing to look for, or the pattern, built from the draft's
    /// own words, exceeds the size limit (then nothing is treated as emphasis rather than
    /// fail the rule).
    regex: Option<Regex>,
}

impl LowerCaseSearch {
    fn new(alternatives: Vec<String>) -> Self {
        let regex = (!alternatives.is_empty())
            .then(|| {
                let pattern = format!(r"(?-u:\b)(?:{})(?-u:\b)", alternatives.join("|"));
                regex::RegexBuilder::new(&pattern)
                    .size_limit(1 << 24)
                    .build()
                    .ok()
            })
            .flatten();
        LowerCaseSearch {
            alternatives,
            regex,
        }
    }

    /// The words found in `prose`.
    fn find(&self, prose: &str) -> FnvHashSet<String> {
        self.regex
            .as_ref()
            .map_or_else(FnvHashSet::default, |regex| {
                regex
                    .find_iter(prose)
                    .map(|m| m.as_str().to_owned())
                    .collect()
            })
    }
}

/// Words of ASCII capitals, digits and `&` with an optional plural `s`: the only shapes
/// [`is_acronym`] accepts, found by a DFA instead of a walk over every character.
static CANDIDATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?-u:\b)[A-Z][A-Z0-9&]*[A-Z][A-Z0-9&]*s?(?-u:\b)")
        .expect("candidate pattern is valid")
});

/// Acronym candidates in a block's prose: words of capitals (and `&`, digits after the
/// first letter, a plural `s`) with at least two capitals, not glued to other letters.
fn acronyms(prose: &str) -> impl Iterator<Item = (&str, Range<usize>)> {
    candidates(prose)
        .into_iter()
        .filter(move |range| {
            let glued_before = prose[..range.start]
                .chars()
                .next_back()
                .is_some_and(is_word_char);
            let glued_after = prose[range.end..].chars().next().is_some_and(is_word_char);
            !glued_before && !glued_after
        })
        .map(|range| (&prose[range.clone()], range))
        .filter(|(word, _)| is_acronym(word))
}

/// The matches of [`CANDIDATE`] in `prose`, without running it over every byte. A match
/// holds a capital followed by a capital, digit or `&`, and lies inside one run of ASCII
/// letters, digits, `_` and `&`; what borders such a run is no word character to
/// `(?-u:\b)`, just like the ends of a haystack. So only the runs holding such a pair are
/// searched, each on its own, and most blocks have none.
fn candidates(prose: &str) -> Vec<Range<usize>> {
    let bytes = prose.as_bytes();
    let in_run = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'&';
    let mut found = Vec::new();
    let mut i = 0;
    while let Some(capital) = bytes[i..].iter().position(u8::is_ascii_uppercase) {
        i += capital;
        let pair = bytes.get(i + 1).is_some_and(|&next| {
            next.is_ascii_uppercase() || next.is_ascii_digit() || next == b'&'
        });
        if !pair {
            i += 1;
            continue;
        }
        let start = bytes[..i]
            .iter()
            .rposition(|&b| !in_run(b))
            .map_or(0, |p| p + 1);
        let end = bytes[i..]
            .iter()
            .position(|&b| !in_run(b))
            .map_or(bytes.len(), |p| i + p);
        let run = &prose[start..end];
        found.extend(
            CANDIDATE
                .find_iter(run)
                .map(|m| start + m.start()..start + m.end()),
        );
        i = end;
    }
    found
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '&'
}

/// Words split on anything but letters, digits and `&`; `U.S.` splits into letters.
fn words(prose: &str) -> impl Iterator<Item = (&str, Range<usize>)> {
    let mut start = None;
    let mut chars = prose
        .char_indices()
        .chain(std::iter::once((prose.len(), ' ')));
    std::iter::from_fn(move || {
        for (i, c) in chars.by_ref() {
            match (start, is_word_char(c)) {
                (None, true) => start = Some(i),
                (Some(s), false) => {
                    start = None;
                    return Some((&prose[s..i], s..i));
                }
                _ => {}
            }
        }
        None
    })
}

fn is_acronym(word: &str) -> bool {
    let body = word.strip_suffix('s').unwrap_or(word);
    let capitals = body.chars().filter(char::is_ascii_uppercase).count();
    capitals >= 2
        && body.starts_with(|c: char| c.is_ascii_uppercase())
        && !body.ends_with('&')
        && body
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '&')
}

fn is_exempt(word: &str, before: &str) -> bool {
    let body = word
        .strip_suffix('s')
        .filter(|b| b.len() >= 2)
        .unwrap_or(word);
    let fiscal_year = body
        .strip_prefix("FY")
        .is_some_and(|year| !year.is_empty() && year.chars().all(|c| c.is_ascii_digit()));
    fiscal_year
        || glossary::is_known_acronym(body)
        || glossary::is_currency_code(body)
        || SYMBOLS.contains(&body)
        || is_roman_numeral(body, before)
}

/// `I`, `II`, `IV`, `XII`… always; longer or `L`/`C`/`D`/`M` numerals only after a
/// numbering word (`Part LX`), since `CD` or `MC` may well be acronyms.
fn is_roman_numeral(word: &str, before: &str) -> bool {
    if !word.chars().all(|c| "IVXLCDM".contains(c)) {
        return false;
    }
    if word.len() <= 4 && word.chars().all(|c| "IVX".contains(c)) {
        return true;
    }
    let previous = before
        .split_whitespace()
        .last()
        .unwrap_or_default()
        .trim_matches(|c: char| !c.is_alphanumeric())
        .to_lowercase();
    NUMBERING_WORDS.contains(&previous.as_str())
}

/// Runs of three or more all-capital words (a shouted headline), or of two or more at
/// the start of a block (a dateline such as `PORT ALDER, 3 May —`): not acronyms.
fn shouting_runs(prose: &str) -> Vec<Range<usize>> {
    let mut runs = Vec::new();
    let mut current: Option<(Range<usize>, usize)> = None;
    for (word, range) in words(prose) {
        let letters = word.chars().any(char::is_alphabetic);
        let upper = letters && word.chars().all(|c| !c.is_lowercase());
        match (&mut current, upper) {
            (Some((run, count)), true) => {
                run.end = range.end;
                *count += 1;
            }
            (None, true) => current = Some((range, 1)),
            (_, false) if letters => {
                if let Some((run, count)) = current.take() {
                    if is_shouting(prose, &run, count) {
                        runs.push(run);
                    }
                }
            }
            _ => {}
        }
    }
    if let Some((run, count)) = current {
        if is_shouting(prose, &run, count) {
            runs.push(run);
        }
    }
    runs
}

/// Whether the nearest word with letters before or after the acronym at `range` is
/// written in capitals. If neither is, the acronym is alone in its run of capitals, which
/// is then no shouting, and [`shouting_runs`] need not read the block.
fn has_capitals_beside(prose: &str, range: &Range<usize>) -> bool {
    let has_letters = |w: &&str| w.chars().any(char::is_alphabetic);
    let in_capitals = |w: &str| !w.chars().any(char::is_lowercase);
    // An acronym is glued to no word character, so these are [`words`]'s words around it.
    let after = words(&prose[range.end..]).map(|(w, _)| w).find(has_letters);
    let before = words_before(prose, range.start).find(has_letters);
    after.is_some_and(in_capitals) || before.is_some_and(in_capitals)
}

/// The words of `prose[..end]` as [`words`] splits them, last first.
fn words_before(prose: &str, mut end: usize) -> impl Iterator<Item = &str> {
    std::iter::from_fn(move || {
        let head = &prose[..end];
        let word_end = head
            .char_indices()
            .rev()
            .find(|&(_, c)| is_word_char(c))
            .map(|(i, c)| i + c.len_utf8())?;
        let word_start = head[..word_end]
            .char_indices()
            .rev()
            .find(|&(_, c)| !is_word_char(c))
            .map_or(0, |(i, c)| i + c.len_utf8());
        end = word_start;
        Some(&prose[word_start..word_end])
    })
}

fn is_shouting(prose: &str, run: &Range<usize>, words: usize) -> bool {
    words >= 3 || (words == 2 && prose[..run.start].trim().is_empty())
}

#[cfg(test)]
mod tests {
    use super::{words, words_before};
    use crate::rules::testing::{assert_flags, assert_no_findings};

    #[test]
    fn words_before_are_the_words_last_first() {
        for prose in [
            "",
            "  ",
            "NATO 2024, the R&D (EU) — 정부 U.S. x",
            "a&b&&c ,d",
            "é́ 😀X",
        ] {
            let mut backward: Vec<&str> = words_before(prose, prose.len()).collect();
            backward.reverse();
            let forward: Vec<&str> = words(prose).map(|(w, _)| w).collect();
            assert_eq!(backward, forward, "{prose:?}");
        }
    }

    #[test]
    fn flags_first_use_before_or_without_expansion() {
        assert_flags(
            "undefined-acronym",
            "NTIS will publish the data. The National Technology Information Service (NTIS) runs it. NTIS is free.\n\nScholars from MIT came. MIT agreed.\n",
            &["NTIS", "MIT"],
        );
    }

    #[test]
    fn expanded_acronyms_pass_in_either_order() {
        assert_no_findings(
            "undefined-acronym",
            "The Harbour Safety Board (HSB) met. The HSB agreed.\n\nKDX (Korea Data Exchange) opened. KDX grew. Small and medium-sized enterprises (SMEs) gained; SMEs hired.\n",
        );
    }

    #[test]
    fn leaves_known_units_numerals_and_headlines_alone() {
        assert_no_findings(
            "undefined-acronym",
            "GDP rose in the US, the UK and the EU. R&D spending reached 3 trillion KRW and 2 billion USD.\n\nThe plant adds 40 MW at 10:00 KST. Part III and Phase II follow. The U.S. agreed.\n\nGOVERNMENT UNVEILS NEW PORT PLAN today.\n\nPORT ALDER, 3 May 2025 — The ferry runs.\n\nThe fund is provided AS IS, as the law allows. It starts in FY2025 and FY26.\n",
        );
    }

    #[test]
    fn headings_are_not_first_uses() {
        assert_flags(
            "undefined-acronym",
            "# Role of the HSB\n\nThe HSB meets monthly. 한국 🙂\n",
            &["HSB"],
        );
    }

    /// Searching only the runs that can hold a match finds what searching everything does.
    #[test]
    fn candidates_equal_the_pattern_over_the_whole_block() {
        let pieces = [
            "AB", "R&D", "SMEs", "A", "b", "2", "_", "&", " ", "-", "é", "한", "CO2", "s", ".",
            "X&", "\n", "aB", "NOTE",
        ];
        for text in crate::analysis::testing::random_texts(&pieces, 5_000, 10) {
            let expected: Vec<_> = super::CANDIDATE
                .find_iter(&text)
                .map(|m| m.range())
                .collect();
            assert_eq!(super::candidates(&text), expected, "{text:?}");
        }
    }
}
