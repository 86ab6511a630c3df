//! Figures (RULES.md §3): numbers with their scale words, and the unit attached to each.
//!
//! One left-to-right pass over each block's prose. At every run of ASCII digits the number
//! is read (`1,800`, `6.5`) with its scale (`1.2m`, `30 trillion`, `5,000억`), and what
//! surrounds it decides what it is:
//! - not a figure: a year, date, time, ordinal, identifier (`Article 12`, `COVID-19`,
//!   `044-200-1234`, `제1조`), list or heading numbering, footnote marker or rank;
//! - a figure with a unit: a currency before or after it, a percentage, a unit of
//!   measure, or a counted noun;
//! - a figure without a unit;
//! - the start of a range (`1,800 to 1,900 clusters`), which shares the unit of its end.
//!
//! A counted noun is recognised by structure, not looked up: a content word after the
//! number (past any adjectives) is what the number counts, while a function word,
//! punctuation or the end of the block leaves it bare (`grow to 30 trillion by 2030`).
//! The vocabularies below only say what structure cannot: which words are function words,
//! scale words, months, naming words, and what glued suffixes (`km`, `bn`, `th`) mean.

use std::cell::Cell;
use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use super::document::{Block, BlockKind, Document};
use super::fnv::FnvHashMap;
use super::text::{is_alphabetic, is_alphanumeric};
use crate::config::Config;

/// A number with its scale word, and the unit attached to it if any.
#[derive(Clone, Debug, PartialEq)]
pub struct Figure {
    /// The number and any scale word: `30 trillion`, `1.2m`, `5,000억`.
    pub range: Range<usize>,
    pub block: usize,
    /// The number times its scale: `890 trillion` → 8.9 × 10^14.
    pub value: f64,
    pub unit: Option<Unit>,
    /// The index (in [`Document::figures`]) of the figure this one restates in another
    /// currency, when it is given in brackets right after it:
    /// `$685 billion (approximately 890 trillion KRW)`. The two values give the rate.
    pub restates: Option<usize>,
}

/// What a figure is measured or counted in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unit {
    /// The unit's text: `$`, `KRW`, `%`, `tonnes`, `national strategic industries`, or a
    /// table cell's column header.
    pub range: Range<usize>,
    pub kind: UnitKind,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnitKind {
    Currency,
    Percentage,
    /// A unit of measure or time, or a multiplier (`km`, `tonnes`, `days`, `times`).
    Measure,
    /// The noun counted: `12 national strategic industries`.
    Count,
    /// A table cell's column header that names the unit: `Budget (KRW bn)`.
    ColumnHeader,
}

pub(crate) fn find(doc: &Document, config: &Config) -> Vec<Figure> {
    let mut figures = Vec::new();
    let mut candidates = Vec::new();
    // Whether each column header names the unit: every cell of its column with a figure
    // asks.
    let mut header_names_units = FnvHashMap::default();
    for (index, block) in doc.blocks.iter().enumerate() {
        candidates.clear();
        let scanner = Scanner {
            text: doc.prose(block.range.clone()),
            base: block.range.start,
            is_heading: block.is_heading(),
            config,
            last_word: Cell::new((usize::MAX, 0)),
        };
        scanner.scan(&mut candidates);
        let first = figures.len();
        resolve(&candidates, index, &mut figures);
        // Only a cell with figures needs its column's unit.
        if figures.len() > first {
            if let Some(unit) = column_header_unit(doc, block, &mut header_names_units) {
                for figure in &mut figures[first..] {
                    figure.unit.get_or_insert_with(|| unit.clone());
                }
            }
        }
        link_restatements(&doc.prose, &mut figures, first);
    }
    figures
}

/// A number as the scanner read it, before ranges are resolved.
struct Candidate {
    /// The number with its scale word, in the draft.
    range: Range<usize>,
    /// The number alone, signed.
    number: f64,
    /// The factor of the scale word, when one is written.
    scale: Option<f64>,
    reading: Reading,
    /// The first number of a range (`5–10`, `1,800 to 1,900`): it takes its end's scale
    /// when it has none of its own.
    opens_range: bool,
}

#[derive(Clone, Debug, PartialEq)]
enum Reading {
    /// A year, date, time, ordinal, numbering or footnote marker.
    NotFigure,
    /// Part of a name or reference: `Article 12`, `§ 105`, `G20`. A list goes on naming
    /// (`Chapters 21, 22 and 29`).
    Name,
    Figure(Option<Unit>),
    /// The start of a range with no unit of its own: it has the unit of its end.
    SharesNextUnit,
}

/// Turns a block's candidates into figures, giving each range start its end's unit.
fn resolve(candidates: &[Candidate], block: usize, figures: &mut Vec<Figure>) {
    let first = figures.len();
    // Backwards, so a range's end is settled before its start; `next` is the figure read
    // just after the current candidate, if that candidate is a figure.
    let mut next: Option<(Option<Unit>, Option<f64>)> = None;
    for candidate in candidates.iter().rev() {
        let unit = match &candidate.reading {
            Reading::NotFigure | Reading::Name => None,
            Reading::Figure(unit) => Some(unit.clone()),
            Reading::SharesNextUnit => next.as_ref().map(|(unit, _)| unit.clone()),
        };
        let Some(unit) = unit else {
            next = None;
            continue;
        };
        let scale = match &next {
            Some((_, next_scale)) if candidate.opens_range && candidate.scale.is_none() => {
                *next_scale
            }
            _ => candidate.scale,
        };
        figures.push(Figure {
            range: candidate.range.clone(),
            block,
            value: candidate.number * scale.unwrap_or(1.0),
            unit: unit.clone(),
            restates: None,
        });
        next = Some((unit, scale));
    }
    figures[first..].reverse();
}

/// A table cell's column header, when it names the unit (`Budget (KRW bn)`, `Share (%)`,
/// `Year`): the cell's figures have no need to repeat it. `known` keeps the answer for
/// each header already read.
fn column_header_unit(
    doc: &Document,
    block: &Block,
    known: &mut FnvHashMap<Range<usize>, bool>,
) -> Option<Unit> {
    let BlockKind::TableCell {
        header: Some(header),
        is_header: false,
    } = &block.kind
    else {
        return None;
    };
    let names_unit = *known
        .entry(header.clone())
        .or_insert_with(|| header_names_unit(doc.prose(header.clone())));
    names_unit.then(|| Unit {
        range: header.clone(),
        kind: UnitKind::ColumnHeader,
    })
}

fn header_names_unit(header: &str) -> bool {
    // A bracketed note in a column header is where tables give the unit: `(terawatt-hours)`.
    if header.contains(['(', '[', '%', '‰']) || header.chars().any(is_currency_symbol) {
        return true;
    }
    let mut words = header
        .split(|c: char| !is_alphabetic(c))
        .filter(|word| !word.is_empty());
    let last = words.clone().next_back();
    let names_unit = words.any(|word| {
        let mut buf = [0; WORD_BUF];
        let lower = ascii_lower(word, &mut buf).unwrap_or_default();
        classify(word).has(Class::UNIT | Class::NAMING)
            || spaced_scale(lower).is_some()
            || matches!(lower, "number" | "count" | "date" | "fy")
    });
    names_unit || last.is_some_and(is_counted_plural)
}

/// A plural noun that a column of numbers counts (`Residents`, `New jobs`), as opposed to
/// one that sums an amount in some unspoken unit (`Exports`, `Costs`).
fn is_counted_plural(word: &str) -> bool {
    const AMOUNTS: &[&str] = &[
        "assets",
        "costs",
        "earnings",
        "emissions",
        "expenditures",
        "exports",
        "funds",
        "imports",
        "losses",
        "outlays",
        "payments",
        "prices",
        "profits",
        "receipts",
        "revenues",
        "sales",
        "savings",
        "taxes",
        "wages",
    ];
    let mut buf = [0; WORD_BUF];
    let Some(lower) = ascii_lower(word, &mut buf) else {
        return false;
    };
    lower.ends_with('s')
        && !lower.ends_with("ss")
        && !lower.ends_with("us")
        && !lower.ends_with("is")
        && !AMOUNTS.contains(&lower)
}

/// Text allowed between a figure and its restatement in another currency.
static RESTATEMENT_GAP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^\s*[(\[]\s*(?:(?:approximately|approx\.|about|around|roughly|some|nearly|almost|circa|ca\.|c\.|or|i\.e\.,?|equivalent\s+to|equal\s+to|worth|~|≈|약)\s*)*$",
    )
    .expect("restatement pattern is valid")
});

/// Marks `$685 billion (approximately 890 trillion KRW)`: the bracketed figure restates
/// the one before it. Only figures from `first` on (this block's) are considered.
fn link_restatements(prose: &str, figures: &mut [Figure], first: usize) {
    const LONGEST_GAP: usize = 40;
    for later in first + 1..figures.len() {
        let earlier = &figures[later - 1];
        let (Some(earlier_unit), Some(later_unit)) = (&earlier.unit, &figures[later].unit) else {
            continue;
        };
        if earlier_unit.kind != UnitKind::Currency || later_unit.kind != UnitKind::Currency {
            continue;
        }
        let gap_start = earlier.range.end.max(earlier_unit.range.end);
        let gap_end = figures[later].range.start.min(later_unit.range.start);
        if gap_start < gap_end
            && gap_end - gap_start <= LONGEST_GAP
            && RESTATEMENT_GAP.is_match(&prose[gap_start..gap_end])
        {
            figures[later].restates = Some(later - 1);
        }
    }
}

/// A number as written: where its digits are and what they say.
#[derive(Clone, Copy, Debug)]
struct Number {
    start: usize,
    end: usize,
    value: f64,
    /// Digits only, without a thousands separator or decimal point (`2023`, `044`).
    plain: bool,
    /// Written with a leading zero (`044`, `0417`): a code, not a quantity.
    leading_zero: bool,
}

impl Number {
    /// Reads `12`, `1,800`, `6.5` or `1,200,000.75` starting at the digit at `start`.
    fn parse(text: &str, start: usize) -> Number {
        let bytes = text.as_bytes();
        let digit = |at: usize| bytes.get(at).is_some_and(u8::is_ascii_digit);
        let mut mantissa = 0.0_f64;
        let mut push = |byte: u8| mantissa = mantissa * 10.0 + f64::from(byte - b'0');
        let mut at = start;
        while digit(at) {
            push(bytes[at]);
            at += 1;
        }
        let mut plain = true;
        // Thousands separators: `1,800`, not `1,2` or `2023,2024`.
        if at - start <= 3 {
            while bytes.get(at) == Some(&b',') && (1..=3).all(|k| digit(at + k)) && !digit(at + 4) {
                bytes[at + 1..at + 4].iter().for_each(|&b| push(b));
                at += 4;
                plain = false;
            }
        }
        let mut decimals = 0;
        if bytes.get(at) == Some(&b'.') && digit(at + 1) {
            at += 1;
            plain = false;
            while digit(at) {
                push(bytes[at]);
                decimals += 1;
                at += 1;
            }
        }
        Number {
            start,
            end: at,
            value: mantissa / 10f64.powi(decimals),
            plain,
            leading_zero: bytes[start] == b'0' && digit(start + 1),
        }
    }

    /// Four plain digits from 1800 to 2199: read as a year unless a unit says otherwise.
    fn is_year_like(&self) -> bool {
        self.plain && self.end - self.start == 4 && (1800.0..=2199.0).contains(&self.value)
    }

    /// Could be the day of a month.
    fn is_day(&self) -> bool {
        self.plain && self.end - self.start <= 2 && (1.0..=31.0).contains(&self.value)
    }
}

/// What is glued to the end of a number by a dash, colon, slash or dot.
enum Joint {
    None,
    /// `5–10`, `1,800-2,000`: a range whose second number starts here.
    Range(usize),
    /// `2023–2025`, `044-200-1234`, `Law 2013-45`, `10:00`, `12/05/2024`, `1.1.1`: not a
    /// figure; the joined token ends here.
    NotFigure(usize),
}

/// How a number is joined to the one before it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Link {
    /// `5 to 10`, `5–10`, `2015 and 2023`.
    Range,
    /// `21, 22`, `8, 9 and 301`.
    List,
}

/// Reads one block's prose.
struct Scanner<'a> {
    text: &'a str,
    /// Offset of `text` in the draft.
    base: usize,
    is_heading: bool,
    config: &'a Config,
    /// The last word [`Scanner::word_end`] read, as its start and end: the word after a
    /// number is read by the scale, the unit and the range checks in turn.
    last_word: Cell<(usize, usize)>,
}

/// What stands before a number.
enum Before {
    Nothing,
    /// A currency symbol or code (`$685`, `US$ 5`, `KRW 3.4 trillion`), or an age
    /// (`aged 65`, `the age of 13`).
    Unit(Range<usize>, UnitKind),
    /// A month (`April 23`) or punctuation glued on (a footnote marker `word.3`, `1/2`).
    NotFigure,
    /// A name, reference or rank the number belongs to: `Article 12`, `G20`, `top 10`.
    Name,
}

impl Scanner<'_> {
    fn scan(&self, out: &mut Vec<Candidate>) {
        let mut at = 0;
        while let Some(digit) = next_digit(self.text.as_bytes(), at) {
            at = self.read(digit, out);
        }
    }

    /// Reads the number at `start`, pushes what it is, and returns where to go on.
    fn read(&self, start: usize, out: &mut Vec<Candidate>) -> usize {
        let number = Number::parse(self.text, start);
        if self.is_numbering(&number) {
            return self.skip(&number, Reading::NotFigure, out);
        }
        let sign = if self.is_negative(&number) { -1.0 } else { 1.0 };
        let unit_before = match self.before(&number) {
            Before::Nothing => None,
            Before::Unit(range, kind) => Some(self.unit(range, kind)),
            Before::NotFigure => return self.skip(&number, Reading::NotFigure, out),
            Before::Name => return self.skip(&number, Reading::Name, out),
        };
        match self.joint(&number) {
            Joint::None => {}
            Joint::NotFigure(end) => {
                out.push(self.not_figure(start..end, Reading::NotFigure));
                return end;
            }
            Joint::Range(second) => {
                out.push(Candidate {
                    range: self.abs(start..number.end),
                    number: sign * number.value,
                    scale: None,
                    reading: unit_before
                        .map_or(Reading::SharesNextUnit, |unit| Reading::Figure(Some(unit))),
                    opens_range: true,
                });
                return second;
            }
        }
        let joined = self.joined_to_previous(&number, out);
        match joined {
            // `April 23 and 24`, `May 3–5`: days after a day.
            Some((previous, Link::Range))
                if previous.reading == Reading::NotFigure
                    && previous.range.len() <= 2
                    && number.is_day() =>
            {
                return self.skip(&number, Reading::NotFigure, out)
            }
            // `Articles 6 and 9`, `Chapters 21, 22 and 29`.
            Some((previous, _)) if previous.reading == Reading::Name => {
                return self.skip(&number, Reading::Name, out)
            }
            _ => {}
        }
        let currency_before = unit_before
            .as_ref()
            .is_some_and(|unit| unit.kind == UnitKind::Currency);
        let (end, scale, reading) = self.after(&number, currency_before);
        let reading = match (reading, unit_before) {
            (reading @ (Reading::NotFigure | Reading::Name), _) => {
                return self.skip(&number, reading, out)
            }
            (_, Some(unit)) => Reading::Figure(Some(unit)),
            // `$5 to 10 million`, `aged 18 to 34`: the end borrows the start's unit.
            (Reading::Figure(None), None) => Reading::Figure(match joined {
                Some((previous, Link::Range)) => lent_unit(previous),
                _ => None,
            }),
            (reading, None) => reading,
        };
        if number.is_year_like() && scale.is_none() && !has_explicit_unit(&reading) {
            return self.skip(&number, Reading::NotFigure, out);
        }
        let opens_range = reading == Reading::SharesNextUnit
            || (matches!(&reading, Reading::Figure(Some(_))) && self.connector_follows(end));
        out.push(Candidate {
            range: self.abs(start..end),
            number: sign * number.value,
            scale,
            reading,
            opens_range,
        });
        end
    }

    /// Pushes `number`, with the token it is part of, as not a figure; returns its end.
    fn skip(&self, number: &Number, reading: Reading, out: &mut Vec<Candidate>) -> usize {
        let end = token_end(self.text, number.end);
        out.push(self.not_figure(number.start..end, reading));
        end
    }

    fn not_figure(&self, range: Range<usize>, reading: Reading) -> Candidate {
        Candidate {
            range: self.abs(range),
            number: 0.0,
            scale: None,
            reading,
            opens_range: false,
        }
    }

    /// [`word_end`] in this block's prose, remembering the last word read.
    fn word_end(&self, at: usize) -> usize {
        let (start, end) = self.last_word.get();
        if start == at {
            return end;
        }
        let end = word_end(self.text, at);
        self.last_word.set((at, end));
        end
    }

    fn abs(&self, range: Range<usize>) -> Range<usize> {
        self.base + range.start..self.base + range.end
    }

    fn unit(&self, range: Range<usize>, kind: UnitKind) -> Unit {
        Unit {
            range: self.abs(range),
            kind,
        }
    }

    /// List or heading numbering: `1.`, `2)`, `3b)` opening a line, or a number opening
    /// a heading (`1.1 Scope`, `1A. Payments`, also a short title line not yet known to be
    /// a heading).
    fn is_numbering(&self, number: &Number) -> bool {
        let text = self.text;
        let line_start = skip_spaces_back(text, number.start);
        if !matches!(char_before(text, line_start), None | Some('\n' | '\r')) {
            return false;
        }
        if self.is_heading && line_start == 0 {
            return true;
        }
        let lettered = text
            .as_bytes()
            .get(number.end)
            .is_some_and(u8::is_ascii_alphabetic)
            && matches!(text.as_bytes().get(number.end + 1), Some(b'.' | b')'));
        let mark = number.end + usize::from(lettered);
        match char_at(text, mark) {
            Some('.' | ')' | ':') => char_at(text, mark + 1).is_none_or(char::is_whitespace),
            Some(c) if c.is_whitespace() => {
                let next = skip_spaces(text, number.end);
                char_at(text, next).is_some_and(char::is_uppercase)
                    && is_title_line(&text[number.end..])
            }
            _ => false,
        }
    }

    /// A minus sign that is not a hyphen: `-1.0`, `(−3)`, but not `COVID-19` or `5-10`.
    fn is_negative(&self, number: &Number) -> bool {
        let text = self.text;
        match char_before(text, number.start) {
            Some(sign @ ('-' | '−')) => {
                !char_before(text, number.start - sign.len_utf8()).is_some_and(is_alphanumeric)
            }
            _ => false,
        }
    }

    fn before(&self, number: &Number) -> Before {
        let text = self.text;
        let start = number.start;
        let Some(glued) = char_before(text, start) else {
            return Before::Nothing;
        };
        if glued.is_whitespace() {
            return self.word_before(number);
        }
        if is_alphabetic(glued) {
            // `FY2024`, `G20`, `제1조` name things; `USD5m` is money.
            let word = letters_back(text, start);
            let letters = &text[word.clone()];
            return if self.is_currency_code(letters, classify(letters)) {
                Before::Unit(word, UnitKind::Currency)
            } else {
                Before::Name
            };
        }
        if is_currency_symbol(glued) {
            return Before::Unit(symbol_range(text, start), UnitKind::Currency);
        }
        match glued {
            '-' | '−' | '–' | '—' => {
                let dash = start - glued.len_utf8();
                match char_before(text, dash) {
                    // `COVID-19`, `E-7` — but `5m–10m` is a range.
                    Some(c) if is_alphabetic(c) => {
                        let letters = letters_back(text, dash);
                        if char_before(text, letters.start).is_some_and(|c| c.is_ascii_digit()) {
                            Before::Nothing
                        } else {
                            Before::Name
                        }
                    }
                    _ => Before::Nothing,
                }
            }
            c if is_reference_mark(c) => Before::Name,
            // Footnote markers (`word.3`, `“…”12`), fractions and ratios.
            '.' | ',' | ';' | ':' | ')' | ']' | '}' | '”' | '’' | '/' | '\\' | '=' | '^' | '@'
            | '&' | '_' | '|' | '*' => Before::NotFigure,
            _ => Before::Nothing,
        }
    }

    /// What stands before a number, with space between: a currency (`$ 5`, `KRW 3.4`), an
    /// age (`aged 65`), a reference mark (`§ 105`), a naming word (`Article`, `No.`,
    /// `top`), a month (`April 23`) or a name (`Industry 4.0`, `U.S.C. 3506`).
    fn word_before(&self, number: &Number) -> Before {
        let text = self.text;
        let end = skip_spaces_back(text, number.start);
        let Some(previous) = char_before(text, end) else {
            return Before::Nothing;
        };
        if is_currency_symbol(previous) {
            return Before::Unit(symbol_range(text, end), UnitKind::Currency);
        }
        if is_reference_mark(previous) {
            return Before::Name;
        }
        if let Some(range) = self.configured_currency_before(end) {
            return Before::Unit(range, UnitKind::Currency);
        }
        let dotted = previous == '.';
        let word_end = if dotted { end - 1 } else { end };
        let range = letters_back(text, word_end);
        if range.is_empty() {
            return Before::Nothing;
        }
        let word = &text[range.clone()];
        let class = classify(word);
        if !dotted && self.is_currency_code(word, class) {
            return Before::Unit(range, UnitKind::Currency);
        }
        let mut buf = [0; WORD_BUF];
        let lower = ascii_lower(word, &mut buf).unwrap_or_default();
        if !dotted {
            if let Some(start) = self.age_before(lower, range.start) {
                return Before::Unit(start..range.end, UnitKind::Measure);
            }
        }
        // `U.S.C. 3506`, `C.F.R. 200`: a dotted initialism before a number cites a code.
        let initialism = dotted && is_capital(word) && char_before(text, range.start) == Some('.');
        if class.has(Class::NAMING)
            || dotted && class.has(Class::ABBREVIATION)
            || initialism
            || !dotted && is_name_like(word, lower, class)
        {
            Before::Name
        } else if class.has(Class::MONTH) && number.is_day() {
            Before::NotFigure
        } else {
            Before::Nothing
        }
    }

    /// `aged 65`, `ages 15`, `the age of 13`: where the words giving the age start.
    fn age_before(&self, word: &str, word_start: usize) -> Option<usize> {
        match word {
            "aged" | "age" | "ages" => Some(word_start),
            "of" => {
                let end = skip_spaces_back(self.text, word_start);
                let age = letters_back(self.text, end);
                let mut buf = [0; WORD_BUF];
                ascii_lower(&self.text[age.clone()], &mut buf)
                    .is_some_and(|w| matches!(w, "age" | "ages"))
                    .then_some(age.start)
            }
            _ => None,
        }
    }

    fn joint(&self, number: &Number) -> Joint {
        let text = self.text;
        let Some(glue) = char_at(text, number.end) else {
            return Joint::None;
        };
        let after = number.end + glue.len_utf8();
        if !text.as_bytes().get(after).is_some_and(u8::is_ascii_digit) {
            return Joint::None;
        }
        match glue {
            '.' | ':' | '/' => Joint::NotFigure(token_end(text, after)),
            c if is_dash(c) => {
                let second = Number::parse(text, after);
                let longer = char_at(text, second.end).is_some_and(|c| {
                    is_dash(c)
                        && text
                            .as_bytes()
                            .get(second.end + c.len_utf8())
                            .is_some_and(u8::is_ascii_digit)
                });
                let range = !longer
                    && !number.leading_zero
                    && !second.leading_zero
                    && !number.is_year_like()
                    && !second.is_year_like()
                    && second.value > number.value;
                if range {
                    Joint::Range(after)
                } else {
                    Joint::NotFigure(token_end(text, after))
                }
            }
            _ => Joint::None,
        }
    }

    /// The candidate just before `number` when only a range connector (`2015 and 2023`,
    /// `$5 to 10 million`) or a list comma (`21, 22`) stands between them.
    fn joined_to_previous<'c>(
        &self,
        number: &Number,
        out: &'c [Candidate],
    ) -> Option<(&'c Candidate, Link)> {
        let previous = out.last()?;
        let gap_start = previous.range.end.checked_sub(self.base)?;
        let gap = self.text.get(gap_start..number.start)?.trim();
        let (listed, gap) = match gap.strip_prefix(',') {
            Some(rest) => (true, rest.trim_start()),
            None => (false, gap),
        };
        let mut chars = gap.chars();
        let dash = matches!((chars.next(), chars.next()), (Some(c), None) if is_dash(c));
        let connects = dash || is_connector(gap);
        match (listed, connects || gap.is_empty()) {
            (true, true) => Some((previous, Link::List)),
            (false, true) if connects => Some((previous, Link::Range)),
            _ => None,
        }
    }

    /// Whether `to 10`, `– 10` or `and 10` follows `at`.
    fn connector_follows(&self, at: usize) -> bool {
        let text = self.text;
        let next = skip_spaces(text, at);
        let Some(c) = char_at(text, next) else {
            return false;
        };
        let after = if is_dash(c) {
            next + c.len_utf8()
        } else {
            let end = self.word_end(next);
            if !is_connector(&text[next..end]) {
                return false;
            }
            end
        };
        starts_number(text, skip_spaces(text, after))
    }

    /// The scale and unit after a number: returns the end of the number with its scale,
    /// the scale, and the reading. `currency_before` settles `1.2m` as a million.
    fn after(&self, number: &Number, currency_before: bool) -> (usize, Option<f64>, Reading) {
        let text = self.text;
        let mut end = number.end;
        let mut scale = None;
        // A glued `m` is a million before a counted noun or after a currency, else metres.
        let mut metres_or_million = None;
        match char_at(text, end) {
            Some(c) if c.is_ascii_alphabetic() => {
                let suffix = number.end..suffix_end(text, number.end);
                let word = &text[suffix.clone()];
                let mut buf = [0; WORD_BUF];
                let lower = ascii_lower(word, &mut buf).unwrap_or_default();
                // A glued `b` is a billion only after a currency: `$5b`, but `section 6b`.
                let scale_word =
                    glued_scale(word).filter(|_| currency_before || !matches!(word, "b" | "B"));
                if scale_word.is_some() {
                    scale = scale_word;
                    end = suffix.end;
                    if word == "m" && !currency_before {
                        metres_or_million = Some(suffix);
                    }
                } else if is_ordinal_suffix(lower)
                    || word == "s"
                    || classify(word).has(Class::TIME_OF_DAY)
                {
                    // `5th`, `1990s`, `9am`.
                    return (end, None, Reading::NotFigure);
                } else if let Some(kind) = self.glued_unit_kind(word).filter(|_| !is_capital(word))
                {
                    return (end, None, Reading::Figure(Some(self.unit(suffix, kind))));
                } else {
                    // `5G`, `3D`, `6b`: names.
                    return (end, None, Reading::Name);
                }
            }
            Some(c) if is_hangul(c) => return self.after_korean(number),
            // `(1)` and `1)` enumerate, `[1]` cites.
            Some(')')
                if number.plain
                    && number.value < 100.0
                    && (char_before(text, number.start) == Some('(')
                        || !inside_brackets(text, number.start)) =>
            {
                return (end, None, Reading::NotFigure)
            }
            Some(']') if char_before(text, number.start) == Some('[') => {
                return (end, None, Reading::NotFigure)
            }
            // File names, paths and addresses: `12_1.html`, `5.pdf`, `3/appendix`.
            Some('_' | '.' | '/' | '\\' | '@')
                if char_at(text, end + 1).is_some_and(is_alphanumeric) =>
            {
                return (end, None, Reading::Name)
            }
            _ => {}
        }
        if scale.is_none() {
            let next = skip_spaces(text, end);
            let word = next..self.word_end(next);
            scale = spaced_scale(&text[word.clone()]);
            if scale.is_some() {
                end = word.end;
            }
        }
        // `50+ countries`
        let unit_from = if char_at(text, end) == Some('+') {
            end + 1
        } else {
            end
        };
        let reading = self.unit_after(unit_from, number);
        match metres_or_million {
            Some(m)
                if !matches!(&reading, Reading::Figure(Some(u))
                    if matches!(u.kind, UnitKind::Count | UnitKind::Currency)) =>
            {
                (
                    number.end,
                    None,
                    Reading::Figure(Some(self.unit(m, UnitKind::Measure))),
                )
            }
            _ => (end, scale, reading),
        }
    }

    /// A number followed by Hangul: Korean scale characters (`5,000억`), then a currency
    /// (`원`), a counter (`명`), or a date (`2027년`).
    fn after_korean(&self, number: &Number) -> (usize, Option<f64>, Reading) {
        let text = self.text;
        let mut end = number.end;
        let mut scale = None;
        while let Some(c) = char_at(text, end) {
            let Some(factor) = korean_scale(c) else { break };
            scale = Some(scale.unwrap_or(1.0) * factor);
            end += c.len_utf8();
        }
        let rest = &text[end..hangul_end(text, end)];
        let unit = |len: usize, kind| Reading::Figure(Some(self.unit(end..end + len, kind)));
        let reading = if rest.is_empty() {
            if scale.is_some() && starts_number(text, skip_spaces(text, end)) {
                // `1조 2,000억 원`
                Reading::SharesNextUnit
            } else {
                self.unit_after(end, number)
            }
        } else if let Some(len) = korean_currency(rest) {
            unit(len, UnitKind::Currency)
        } else if rest.starts_with("시간") {
            unit("시간".len(), UnitKind::Measure)
        } else if scale.is_none() && rest.starts_with('년') && number.is_year_like()
            || scale.is_none() && rest.starts_with(['월', '일', '시', '분', '초'])
            || rest.starts_with([
                '차', '번', '위', '호', '등', '항', '장', '절', '관', '편', '권',
            ])
        {
            // Dates and times; ordinals, ranks and numbered parts (`2차`, `3위`, `2항`).
            Reading::NotFigure
        } else {
            let counter = rest.chars().next().map_or(0, char::len_utf8);
            unit(counter, UnitKind::Count)
        };
        (end, scale, reading)
    }

    /// The unit after the number and its scale, from `from` (glued or after spaces).
    fn unit_after(&self, from: usize, number: &Number) -> Reading {
        let text = self.text;
        let at = skip_spaces(text, from);
        if let Some(unit) = self.configured_unit_at(at) {
            return Reading::Figure(Some(unit));
        }
        let Some(c) = char_at(text, at) else {
            return Reading::Figure(None);
        };
        let single = |kind| Reading::Figure(Some(self.unit(at..at + c.len_utf8(), kind)));
        match c {
            // Most often a word, and no ASCII letter is a symbol, dash or Hangul below.
            c if c.is_ascii_alphabetic() => self.word_unit(at, number),
            '%' | '‰' | '％' => single(UnitKind::Percentage),
            '°' => {
                let end = at + c.len_utf8();
                let end = if char_at(text, end).is_some_and(|c| matches!(c, 'C' | 'F')) {
                    end + 1
                } else {
                    end
                };
                Reading::Figure(Some(self.unit(at..end, UnitKind::Measure)))
            }
            c if is_currency_symbol(c) => single(UnitKind::Currency),
            c if is_dash(c) => {
                let after = at + c.len_utf8();
                if starts_number(text, skip_spaces(text, after)) {
                    Reading::SharesNextUnit
                } else if at == from && char_at(text, after).is_some_and(is_alphabetic) {
                    // `10-year`, `3-fold`
                    let end = word_end(text, after);
                    let kind = if classify(&text[after..end]).has(Class::MEASURE) {
                        UnitKind::Measure
                    } else {
                        UnitKind::Count
                    };
                    Reading::Figure(Some(self.unit(at..end, kind)))
                } else {
                    Reading::Figure(None)
                }
            }
            c if is_hangul(c) => match korean_currency(&text[at..]) {
                Some(len) => Reading::Figure(Some(self.unit(at..at + len, UnitKind::Currency))),
                // Korean counters are glued to the number; a spaced word is not one.
                None => Reading::Figure(None),
            },
            c if is_alphabetic(c) => self.word_unit(at, number),
            _ => Reading::Figure(None),
        }
    }

    /// The unit a word after a number gives it, if any.
    fn word_unit(&self, at: usize, number: &Number) -> Reading {
        let text = self.text;
        let range = at..self.word_end(at);
        let word = &text[range.clone()];
        let mut buf = [0; WORD_BUF];
        let lower = ascii_lower(word, &mut buf).unwrap_or_default();
        let class = classify(word);
        let unit = |range: Range<usize>, kind| Reading::Figure(Some(self.unit(range, kind)));
        if class.has(Class::MONTH) && number.is_day() || class.has(Class::TIME_OF_DAY) {
            return Reading::NotFigure;
        }
        if class.has(Class::PERCENT) {
            return unit(range, UnitKind::Percentage);
        }
        if let Some(end) = self.percentage_phrase(lower, range.end) {
            return unit(at..end, UnitKind::Percentage);
        }
        if class.has(Class::CURRENCY) || self.is_currency_code(word, class) {
            return unit(range, UnitKind::Currency);
        }
        if class.has(Class::MEASURE) {
            return unit(range, UnitKind::Measure);
        }
        // Capitals make an acronym, never a function word: `300 US firms`, `41 IT staff`.
        if !is_all_caps(word) {
            if is_connector(lower) && starts_number(text, skip_spaces(text, range.end))
                || self.is_ratio(lower, range.end)
            {
                return Reading::SharesNextUnit;
            }
            if lower == "of" {
                if let Some(end) = self.partitive(range.end) {
                    return unit(at..end, UnitKind::Count);
                }
            }
            if class.has(Class::FUNCTION) {
                return Reading::Figure(None);
            }
        }
        self.counted_noun(range, lower)
    }

    /// `1 in 4`, `9 of 14`, `3 out of 5` (the word after the first number is `word`,
    /// ending at `word_end`): both count what follows the second. A year after `in`
    /// (`rose 6.5 in 2023`) is no ratio.
    fn is_ratio(&self, word: &str, word_end: usize) -> bool {
        let text = self.text;
        let next = skip_spaces(text, word_end);
        let second = match word {
            "in" | "of" => next,
            "out" if text[next..].starts_with("of ") => skip_spaces(text, next + 2),
            _ => return false,
        };
        text.as_bytes().get(second).is_some_and(u8::is_ascii_digit)
            && !Number::parse(text, second).is_year_like()
    }

    /// `per cent`, `percentage points`, `basis points`: where the phrase ends.
    fn percentage_phrase(&self, first: &str, first_end: usize) -> Option<usize> {
        if !matches!(first, "per" | "percentage" | "basis") {
            return None;
        }
        let next = skip_spaces(self.text, first_end);
        let end = word_end(self.text, next);
        let mut buf = [0; WORD_BUF];
        let second = ascii_lower(&self.text[next..end], &mut buf)?;
        let phrase = match first {
            "per" => second == "cent",
            _ => matches!(second, "point" | "points"),
        };
        phrase.then_some(end)
    }

    /// `of the`, `of them`, `of which` after a number (`9 of the 14`): the number counts
    /// what comes after. Returns the end of the determiner.
    fn partitive(&self, of_end: usize) -> Option<usize> {
        let next = skip_spaces(self.text, of_end);
        let end = word_end(self.text, next);
        let mut buf = [0; WORD_BUF];
        let word = ascii_lower(&self.text[next..end], &mut buf)?;
        matches!(
            word,
            "the" | "these" | "those" | "them" | "which" | "whom" | "its" | "their" | "our" | "all"
        )
        .then_some(end)
    }

    /// The noun phrase a number counts, starting at the content word `first` (`lower`
    /// lower-cased, which [`Scanner::word_unit`] has read and found no function word): up
    /// to four words, to the next function word or punctuation. Comparatives and adverbs
    /// (`more`, `annually`) count only when a content word follows them.
    fn counted_noun(&self, first: Range<usize>, lower: &str) -> Reading {
        const LONGEST: usize = 4;
        let text = self.text;
        let mut seen_content = is_all_caps(&text[first.clone()]) || !is_modifier(lower);
        let mut end = first.end;
        for _ in 1..LONGEST {
            let next = skip_spaces(text, end);
            if next == end || !char_at(text, next).is_some_and(is_alphabetic) {
                break;
            }
            let word = next..word_end(text, next);
            let mut buf = [0; WORD_BUF];
            let lower = ascii_lower(&text[word.clone()], &mut buf).unwrap_or_default();
            let all_caps = is_all_caps(&text[word.clone()]);
            if !all_caps && classify(lower).has(Class::FUNCTION) {
                break;
            }
            seen_content |= all_caps || !is_modifier(lower);
            end = word.end;
        }
        Reading::Figure(seen_content.then(|| self.unit(first.start..end, UnitKind::Count)))
    }

    /// A unit from the configuration (`currencies`, `units`) starting at `at`.
    fn configured_unit_at(&self, at: usize) -> Option<Unit> {
        let rest = &self.text[at..];
        let config = self.config;
        let entries = (config.currencies.iter().map(|e| (e, UnitKind::Currency)))
            .chain(config.units.iter().map(|e| (e, UnitKind::Measure)));
        for (entry, kind) in entries {
            let entry = entry.trim();
            let matches = !entry.is_empty()
                && rest
                    .get(..entry.len())
                    .is_some_and(|head| head.eq_ignore_ascii_case(entry))
                && ends_word(rest, entry.len());
            if matches {
                return Some(self.unit(at..at + entry.len(), kind));
            }
        }
        None
    }

    /// A configured currency ending at `end` (`Rs.`, `XDR`).
    fn configured_currency_before(&self, end: usize) -> Option<Range<usize>> {
        let head = &self.text[..end];
        self.config.currencies.iter().find_map(|entry| {
            let entry = entry.trim();
            let start = end.checked_sub(entry.len())?;
            let found = !entry.is_empty()
                && head
                    .get(start..)
                    .is_some_and(|tail| tail.eq_ignore_ascii_case(entry))
                && !(entry.starts_with(is_alphanumeric)
                    && char_before(head, start).is_some_and(is_alphanumeric));
            found.then_some(start..end)
        })
    }

    /// The kind of unit a suffix glued to a number names (`km`, `MW`, `USD`), if any.
    fn glued_unit_kind(&self, word: &str) -> Option<UnitKind> {
        let class = classify(word);
        if class.has(Class::PERCENT) {
            Some(UnitKind::Percentage)
        } else if self.is_currency_code(word, class) {
            Some(UnitKind::Currency)
        } else if class.has(Class::MEASURE) || self.is_configured_unit(word) {
            Some(UnitKind::Measure)
        } else {
            None
        }
    }

    /// An ISO 4217 code (by `class`, what the vocabulary says `word` is) or a configured
    /// currency.
    fn is_currency_code(&self, word: &str, class: Class) -> bool {
        class.has(Class::CURRENCY_CODE)
            || self
                .config
                .currencies
                .iter()
                .any(|c| c.trim().eq_ignore_ascii_case(word))
    }

    fn is_configured_unit(&self, word: &str) -> bool {
        self.config
            .units
            .iter()
            .any(|u| u.trim().eq_ignore_ascii_case(word))
    }
}

/// A reading whose unit says the number is a quantity, not a year: `2000 tonnes`.
fn has_explicit_unit(reading: &Reading) -> bool {
    matches!(reading, Reading::Figure(Some(unit)) if matches!(unit.kind, UnitKind::Currency | UnitKind::Percentage | UnitKind::Measure))
}

/// The unit a range's start lends its end when the unit stands before the start:
/// `$5 to 10 million`, `aged 18 to 34`.
fn lent_unit(start: &Candidate) -> Option<Unit> {
    match &start.reading {
        Reading::Figure(Some(unit)) if unit.range.end <= start.range.start => Some(unit.clone()),
        _ => None,
    }
}

/// A short line that does not end a sentence: a title after a number is numbering.
fn is_title_line(rest: &str) -> bool {
    const LONGEST_TITLE: usize = 12;
    let line = rest
        .split(['\n', '\r'])
        .next()
        .unwrap_or_default()
        .trim_end();
    !line.ends_with(['.', ';', ',', ':']) && line.split_whitespace().nth(LONGEST_TITLE).is_none()
}

// --- Characters and words -------------------------------------------------------------

/// Stack buffer for lower-casing a word: no vocabulary word is longer.
const WORD_BUF: usize = 24;

/// `word` in ASCII lower case, or `None` when it is too long or not ASCII (then it is in
/// none of the English vocabularies). A word already in lower case, as most are, is
/// returned as it is; only one with a capital is copied into `buf`.
fn ascii_lower<'w>(word: &'w str, buf: &'w mut [u8; WORD_BUF]) -> Option<&'w str> {
    let bytes = word.as_bytes();
    if bytes.len() > WORD_BUF || !word.is_ascii() {
        return None;
    }
    if !bytes.iter().any(u8::is_ascii_uppercase) {
        return Some(word);
    }
    let out = &mut buf[..bytes.len()];
    out.copy_from_slice(bytes);
    out.make_ascii_lowercase();
    std::str::from_utf8(out).ok()
}

/// The first ASCII digit at or after `from`. Most prose has none: whole chunks are
/// tested without a branch per byte, which the compiler vectorises.
fn next_digit(bytes: &[u8], from: usize) -> Option<usize> {
    const CHUNK: usize = 32;
    let mut at = from;
    while let Some(chunk) = bytes.get(at..at + CHUNK) {
        if chunk.iter().fold(false, |any, b| any | b.is_ascii_digit()) {
            break;
        }
        at += CHUNK;
    }
    bytes[at.min(bytes.len())..]
        .iter()
        .position(u8::is_ascii_digit)
        .map(|i| at + i)
}

// The helpers below read ASCII, most of any draft, byte by byte and decode UTF-8 only at a
// byte that is not ASCII: an ASCII byte is always a whole character, and the character
// boundary after it.

fn char_at(text: &str, at: usize) -> Option<char> {
    match text.as_bytes().get(at) {
        Some(&byte) if byte.is_ascii() => Some(char::from(byte)),
        _ => text.get(at..)?.chars().next(),
    }
}

fn char_before(text: &str, at: usize) -> Option<char> {
    match at
        .checked_sub(1)
        .and_then(|before| text.as_bytes().get(before))
    {
        Some(&byte) if byte.is_ascii() => Some(char::from(byte)),
        _ => text.get(..at)?.chars().next_back(),
    }
}

/// An ASCII byte that `char::is_whitespace` accepts (unlike `u8::is_ascii_whitespace`, it
/// includes the vertical tab).
fn is_ascii_space(byte: u8) -> bool {
    matches!(byte, b' ' | b'\t' | b'\n' | b'\r' | 0x0B | 0x0C)
}

/// Past any whitespace from `at`.
fn skip_spaces(text: &str, at: usize) -> usize {
    let bytes = text.as_bytes();
    let mut end = at;
    while bytes.get(end).copied().is_some_and(is_ascii_space) {
        end += 1;
    }
    if bytes.get(end).is_some_and(|byte| !byte.is_ascii()) {
        let rest = &text[end..];
        end += rest.len() - rest.trim_start().len();
    }
    end
}

/// Back over any whitespace before `at`.
fn skip_spaces_back(text: &str, at: usize) -> usize {
    let bytes = text.as_bytes();
    let mut start = at;
    while start > 0 && is_ascii_space(bytes[start - 1]) {
        start -= 1;
    }
    if start > 0 && !bytes[start - 1].is_ascii() {
        start = text[..start].trim_end().len();
    }
    start
}

/// The run of letters ending at `end`.
fn letters_back(text: &str, end: usize) -> Range<usize> {
    let bytes = text.as_bytes();
    let mut start = end;
    while start > 0 && bytes[start - 1].is_ascii_alphabetic() {
        start -= 1;
    }
    if start > 0 && !bytes[start - 1].is_ascii() {
        start = text[..start]
            .char_indices()
            .rev()
            .take_while(|(_, c)| is_alphabetic(*c))
            .last()
            .map_or(start, |(i, _)| i);
    }
    start..end
}

/// End of the word starting at `at`: letters and digits, joined by inner `-`, `'`, `’`,
/// `.` or `&` (`non-capital`, `a.m`, `R&D`), with `²`/`³` at the end (`km²`).
fn word_end(text: &str, at: usize) -> usize {
    // ASCII letters and digits, most of any word, need no decoding.
    let mut end = at
        + text.as_bytes()[at..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric())
            .count();
    // Most words end at ASCII that neither joins nor raises (a space, a comma).
    if text
        .as_bytes()
        .get(end)
        .is_none_or(|&b| b.is_ascii() && !matches!(b, b'-' | b'\'' | b'.' | b'&'))
    {
        return end;
    }
    let from = end;
    let mut chars = text[from..]
        .char_indices()
        .map(|(i, c)| (from + i, c))
        .peekable();
    while let Some((i, c)) = chars.next() {
        let joins = matches!(c, '-' | '\'' | '’' | '.' | '&')
            && chars.peek().is_some_and(|(_, n)| is_alphanumeric(*n));
        if is_alphanumeric(c) || joins || matches!(c, '²' | '³') && end == i {
            end = i + c.len_utf8();
        } else {
            break;
        }
    }
    end
}

/// End of the ASCII letters glued to a number, with `²`/`³` (`km²`).
fn suffix_end(text: &str, at: usize) -> usize {
    let letters = text[at..]
        .bytes()
        .take_while(u8::is_ascii_alphabetic)
        .count();
    let end = at + letters;
    match char_at(text, end) {
        Some(c @ ('²' | '³')) => end + c.len_utf8(),
        _ => end,
    }
}

/// End of the token a number is part of: letters, digits and inner joiners
/// (`044-200-1234`, `2024-318`, `1.1.1`, `5th`), and subdivisions in brackets
/// (`3504(d)(1)`).
fn token_end(text: &str, at: usize) -> usize {
    const LONGEST_SUBDIVISION: usize = 4;
    let mut end = at;
    let mut chars = text[at..].char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let joins = (is_dash(c) || matches!(c, '.' | ':' | '/' | ',' | '_'))
            && chars.peek().is_some_and(|(_, n)| is_alphanumeric(*n));
        if is_alphanumeric(c) || joins {
            end = at + i + c.len_utf8();
        } else if c == '(' && end == at + i {
            let inner = text[end + 1..]
                .bytes()
                .take_while(u8::is_ascii_alphanumeric)
                .count();
            if !(1..=LONGEST_SUBDIVISION).contains(&inner)
                || text.as_bytes().get(end + 1 + inner) != Some(&b')')
            {
                break;
            }
            end += inner + 2;
            // The bracket's contents are consumed; move the iterator past them.
            while chars.next_if(|(j, _)| at + j < end).is_some() {}
        } else {
            break;
        }
    }
    end
}

fn hangul_end(text: &str, at: usize) -> usize {
    text[at..]
        .char_indices()
        .find(|(_, c)| !is_hangul(*c))
        .map_or(text.len(), |(i, _)| at + i)
}

/// Whether `at` is inside brackets opened earlier on its line: `(total 300)`. Looks no
/// further back than a long parenthesis, so that scanning stays linear.
fn inside_brackets(text: &str, at: usize) -> bool {
    const LONGEST_PARENTHESIS: usize = 300;
    let mut depth = 0_usize;
    for c in text[..at].chars().rev().take(LONGEST_PARENTHESIS) {
        match c {
            '\n' | '\r' => break,
            ')' => depth += 1,
            '(' if depth == 0 => return true,
            '(' => depth -= 1,
            _ => {}
        }
    }
    false
}

/// Whether the `len` bytes at the start of `rest` end a word there.
fn ends_word(rest: &str, len: usize) -> bool {
    let last_is_letter = rest[..len].chars().next_back().is_some_and(is_alphanumeric);
    !last_is_letter || !char_at(rest, len).is_some_and(is_alphanumeric)
}

/// A number, possibly after a currency symbol: `10`, `$10`.
fn starts_number(text: &str, at: usize) -> bool {
    let at = match char_at(text, at) {
        Some(c) if is_currency_symbol(c) => at + c.len_utf8(),
        _ => at,
    };
    text.as_bytes().get(at).is_some_and(u8::is_ascii_digit)
}

/// The currency symbol ending at `end`, with any letters glued before it (`US$`, `HK$`).
fn symbol_range(text: &str, end: usize) -> Range<usize> {
    let symbol = char_before(text, end).map_or(0, char::len_utf8);
    let start = end - symbol;
    let letters = text[..start]
        .bytes()
        .rev()
        .take_while(u8::is_ascii_uppercase)
        .count();
    start - letters..end
}

/// Marks that make the next number a reference: `§ 105`, `#5`, `№ 3`.
fn is_reference_mark(c: char) -> bool {
    matches!(c, '§' | '¶' | '#' | '№')
}

fn is_dash(c: char) -> bool {
    matches!(c, '-' | '–' | '—' | '~' | '〜')
}

fn is_hangul(c: char) -> bool {
    matches!(c, '\u{AC00}'..='\u{D7A3}' | '\u{1100}'..='\u{11FF}' | '\u{3130}'..='\u{318F}')
}

/// `$`, `₩`, `€`, `£`, `¥` and every other sign in Unicode's currency block.
fn is_currency_symbol(c: char) -> bool {
    const CURRENCY_BLOCK: std::ops::RangeInclusive<char> = '\u{20A0}'..='\u{20C0}';
    matches!(
        c,
        '$' | '¢' | '£' | '¤' | '¥' | '৳' | '฿' | '﹩' | '＄' | '￠' | '￡' | '￥' | '￦'
    ) || CURRENCY_BLOCK.contains(&c)
}

/// The ISO 4217 code a currency unit stands for, as written after or before a figure:
/// `$`, `US$`, `dollars` → `USD`; `₩`, `won`, `원` → `KRW`; `€` → `EUR`; a code as itself.
/// `None` for a currency the text does not pin down (`¢`, `pence`, `rial`).
pub fn currency_code(unit: &str) -> Option<&'static str> {
    let unit = unit.trim();
    if let Some(code) = ISO_CURRENCIES.iter().find(|c| **c == unit) {
        return Some(if *code == "RMB" { "CNY" } else { code });
    }
    let lower = unit.to_lowercase();
    let singular = lower.strip_suffix('s').unwrap_or(&lower);
    Some(match singular {
        "$" | "us$" | "＄" | "﹩" | "dollar" | "us dollar" => "USD",
        "₩" | "￦" | "won" | "원" | "korean won" => "KRW",
        "€" | "euro" => "EUR",
        "£" | "￡" | "pound" | "pound sterling" | "sterling" => "GBP",
        "¥" | "￥" | "yen" | "엔" => "JPY",
        "yuan" | "renminbi" | "위안" => "CNY",
        "₹" | "rupee" => "INR",
        "a$" => "AUD",
        "c$" => "CAD",
        "hk$" => "HKD",
        "s$" => "SGD",
        "nt$" => "TWD",
        "₫" | "dong" => "VND",
        "฿" | "baht" => "THB",
        "₽" | "rouble" | "ruble" => "RUB",
        "₺" | "lira" => "TRY",
        "달러" => "USD",
        "유로" => "EUR",
        _ => return None,
    })
}

/// One capital letter: glued to a number it labels (`1A`, `Route 5B`) rather than
/// measures.
fn is_capital(word: &str) -> bool {
    word.len() == 1 && word.bytes().all(|b| b.is_ascii_uppercase())
}

/// Capitals only, two or more: an acronym or code.
fn is_all_caps(word: &str) -> bool {
    word.len() >= 2 && word.bytes().all(|b| b.is_ascii_uppercase())
}

/// A capitalised word (or acronym) that is not a function word or adverb: right before
/// a number it names something (`Industry 4.0`, `Windows 11`, `Building 3`, `SDG 7`). An
/// imperative (`Hire 300 nurses`) reads the same; its number almost always counts a noun
/// anyway.
fn is_name_like(word: &str, lower: &str, class: Class) -> bool {
    word.chars().next().is_some_and(char::is_uppercase)
        && !class.has(Class::FUNCTION | Class::MONTH)
        && !is_comparative_or_adverb(lower)
}

// --- Vocabularies -----------------------------------------------------------------------

/// Scale letters glued to a number: `45k`, `1.2m`, `30bn`.
fn glued_scale(suffix: &str) -> Option<f64> {
    match suffix {
        "k" | "K" => Some(1e3),
        "m" | "M" | "mn" | "mln" => Some(1e6),
        "b" | "B" | "bn" | "Bn" | "BN" => Some(1e9),
        "tn" | "trn" | "Tn" => Some(1e12),
        _ => None,
    }
}

/// Scale words after a space, in any case: `30 trillion`, `30 Trillion`.
fn spaced_scale(word: &str) -> Option<f64> {
    const SCALES: &[(&str, f64)] = &[
        ("thousand", 1e3),
        ("lakh", 1e5),
        ("lakhs", 1e5),
        ("million", 1e6),
        ("millions", 1e6),
        ("mn", 1e6),
        ("mln", 1e6),
        ("crore", 1e7),
        ("crores", 1e7),
        ("billion", 1e9),
        ("billions", 1e9),
        ("bn", 1e9),
        ("trillion", 1e12),
        ("trillions", 1e12),
        ("tn", 1e12),
        ("trn", 1e12),
    ];
    // Compared in place rather than lower-cased first: most words differ in length from
    // every scale word, which rules them out at once.
    SCALES
        .iter()
        .find(|(scale, _)| scale.eq_ignore_ascii_case(word))
        .map(|&(_, factor)| factor)
}

fn korean_scale(c: char) -> Option<f64> {
    match c {
        '천' => Some(1e3),
        '만' => Some(1e4),
        '억' => Some(1e8),
        '조' => Some(1e12),
        _ => None,
    }
}

/// The byte length of a Korean currency noun opening `word` (`원을` → `원`).
fn korean_currency(word: &str) -> Option<usize> {
    ["원", "달러", "엔", "유로", "위안", "파운드"]
        .iter()
        .find(|currency| word.starts_with(**currency))
        .map(|currency| currency.len())
}

fn is_ordinal_suffix(suffix: &str) -> bool {
    matches!(suffix, "st" | "nd" | "rd" | "th")
}

/// What the vocabularies say a word is. A word can be several things: `pp` is percentage
/// points, and with a dot, pages.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Class(u16);

impl Class {
    /// Cannot be what a number counts.
    const FUNCTION: Class = Class(1);
    const MEASURE_WORD: Class = Class(1 << 1);
    /// Case-sensitive: `MW` is not `mW`.
    const MEASURE_SYMBOL: Class = Class(1 << 2);
    /// A currency's name: `won`, `dollars`.
    const CURRENCY: Class = Class(1 << 3);
    /// An ISO 4217 code: `KRW`. Case-sensitive.
    const CURRENCY_CODE: Class = Class(1 << 4);
    const PERCENT: Class = Class(1 << 5);
    /// Before a number, names or ranks with it: `Article 12`, `top 10`.
    const NAMING: Class = Class(1 << 6);
    /// Names with a following number when written with its dot: `No. 5`.
    const ABBREVIATION: Class = Class(1 << 7);
    /// Case-sensitive: `May`, not the verb `may`.
    const MONTH: Class = Class(1 << 8);
    const TIME_OF_DAY: Class = Class(1 << 9);

    const MEASURE: Class = Class(Class::MEASURE_WORD.0 | Class::MEASURE_SYMBOL.0);
    const CASE_SENSITIVE: Class =
        Class(Class::MEASURE_SYMBOL.0 | Class::CURRENCY_CODE.0 | Class::MONTH.0);
    /// Any unit a table column header may name.
    const UNIT: Class =
        Class(Class::MEASURE.0 | Class::CURRENCY.0 | Class::CURRENCY_CODE.0 | Class::PERCENT.0);

    fn has(self, any: Class) -> bool {
        self.0 & any.0 != 0
    }
}

impl std::ops::BitOr for Class {
    type Output = Class;

    fn bitor(self, other: Class) -> Class {
        Class(self.0 | other.0)
    }
}

/// Every vocabulary below in one table, built once: case-sensitive entries as spelled,
/// the rest lower-cased with the plural of every noun. A lower-case word costs one
/// lookup.
static VOCABULARY: LazyLock<FnvHashMap<String, Class>> = LazyLock::new(|| {
    let mut table: FnvHashMap<String, Class> = FnvHashMap::default();
    for (words, class, nouns) in [
        (MEASURE_SYMBOLS, Class::MEASURE_SYMBOL, false),
        (ISO_CURRENCIES, Class::CURRENCY_CODE, false),
        (MONTHS, Class::MONTH, false),
        (FUNCTION_WORDS, Class::FUNCTION, false),
        (MEASURE_WORDS, Class::MEASURE_WORD, true),
        (CURRENCY_NAMES, Class::CURRENCY, true),
        (PERCENT_WORDS, Class::PERCENT, false),
        (NAMING_WORDS, Class::NAMING, true),
        (NAMING_ABBREVIATIONS, Class::ABBREVIATION, false),
        (TIMES_OF_DAY, Class::TIME_OF_DAY, false),
    ] {
        for word in words {
            let plurals = [format!("{word}s"), format!("{word}es")];
            let forms =
                std::iter::once((*word).to_owned()).chain(plurals.into_iter().filter(|_| nouns));
            for form in forms {
                let entry = table.entry(form).or_default();
                *entry = *entry | class;
            }
        }
    }
    table
});

/// What `word` is, in whatever case it is written.
fn classify(word: &str) -> Class {
    let lookup = |w: &str| VOCABULARY.get(w).copied().unwrap_or_default();
    let as_written = lookup(word);
    if !word.bytes().any(|b| b.is_ascii_uppercase()) {
        return as_written;
    }
    let mut buf = [0; WORD_BUF];
    let folded = ascii_lower(word, &mut buf).map_or(Class::default(), lookup);
    Class(as_written.0 | (folded.0 & !Class::CASE_SENSITIVE.0))
}

/// Unit symbols, case-sensitive.
const MEASURE_SYMBOLS: &[&str] = &[
    "A", "CO2e", "EJ", "GB", "GHz", "GJ", "GL", "GW", "GWh", "GWp", "Gbps", "Gt", "GtCO2e", "Hz",
    "J", "KB", "L", "MB", "MHz", "MJ", "ML", "MPa", "MW", "MWh", "MWp", "Mbps", "Mt", "MtCO2e",
    "Mtoe", "PB", "PJ", "Pa", "TB", "TEU", "TJ", "TW", "TWh", "V", "W", "Wh", "Wp", "bar", "bbl",
    "boe", "cal", "cm", "cm2", "cm²", "dB", "ft", "ft²", "g", "gal", "h", "hPa", "ha", "hr", "kA",
    "kB", "kHz", "kJ", "kPa", "kV", "kW", "kWh", "kWp", "kbps", "kcal", "kg", "kl", "km", "km2",
    "km²", "kph", "kt", "ktoe", "l", "lb", "lbs", "m", "m2", "m3", "mA", "mL", "mV", "mbar", "mg",
    "mi", "min", "ml", "mm", "mph", "ms", "m²", "m³", "nm", "oz", "ppb", "ppm", "rpm", "sq", "t",
    "tCO2", "tCO2e", "toe", "wk", "wks", "x", "yd", "yr", "yrs", "µm", "μm",
];

/// Units of measure and time written as words, lower-cased and singular; irregular plurals
/// listed too.
#[rustfmt::skip]
const MEASURE_WORDS: &[&str] = &[
    "acre", "amp", "ampere", "barrel", "bit", "byte", "calorie", "celsius", "centimeter",
    "centimetre", "centuries", "century", "cubic", "day", "decade", "decibel", "degree",
    "fahrenheit", "feet", "fold", "foot", "fortnight", "gallon", "gigabyte", "gigaton",
    "gigawatt", "gigawatt-hour", "gram", "gramme", "hectare", "hour", "inch", "joule", "kelvin",
    "kilo", "kilobyte", "kilocalorie", "kilogram", "kilometer", "kilometre", "kiloton",
    "kilovolt", "kilowatt", "kilowatt-hour", "knot", "liter", "litre", "megabyte", "megaton",
    "megawatt", "megawatt-hour", "meter", "metre", "mile", "millennia", "millennium",
    "milliliter", "millilitre", "millimeter", "millimetre", "minute", "month", "ounce",
    "pascal", "petabyte", "quarter", "second", "square", "terabyte", "terawatt",
    "terawatt-hour", "time", "ton", "tonne", "volt", "watt", "watt-hour", "week", "yard",
    "year",
];

/// Active ISO 4217 codes (test and placeholder codes left out).
const ISO_CURRENCIES: &[&str] = &[
    "AED", "AFN", "ALL", "AMD", "ANG", "AOA", "ARS", "AUD", "AWG", "AZN", "BAM", "BBD", "BDT",
    "BGN", "BHD", "BIF", "BMD", "BND", "BOB", "BOV", "BRL", "BSD", "BTN", "BWP", "BYN", "BZD",
    "CAD", "CDF", "CHE", "CHF", "CHW", "CLF", "CLP", "CNY", "COP", "COU", "CRC", "CUC", "CUP",
    "CVE", "CZK", "DJF", "DKK", "DOP", "DZD", "EGP", "ERN", "ETB", "EUR", "FJD", "FKP", "GBP",
    "GEL", "GHS", "GIP", "GMD", "GNF", "GTQ", "GYD", "HKD", "HNL", "HRK", "HTG", "HUF", "IDR",
    "ILS", "INR", "IQD", "IRR", "ISK", "JMD", "JOD", "JPY", "KES", "KGS", "KHR", "KMF", "KPW",
    "KRW", "KWD", "KYD", "KZT", "LAK", "LBP", "LKR", "LRD", "LSL", "LYD", "MAD", "MDL", "MGA",
    "MKD", "MMK", "MNT", "MOP", "MRU", "MUR", "MVR", "MWK", "MXN", "MXV", "MYR", "MZN", "NAD",
    "NGN", "NIO", "NOK", "NPR", "NZD", "OMR", "PAB", "PEN", "PGK", "PHP", "PLN", "PYG", "QAR",
    "RMB", "RON", "RSD", "RUB", "RWF", "SAR", "SBD", "SCR", "SDG", "SEK", "SGD", "SHP", "SLE",
    "SLL", "SOS", "SRD", "SSP", "STN", "SVC", "SYP", "SZL", "THB", "TJS", "TMT", "TND", "TOP",
    "TRY", "TTD", "TWD", "TZS", "UAH", "UGX", "USD", "USN", "UYI", "UYU", "UYW", "UZS", "VED",
    "VES", "VND", "VUV", "WST", "XAF", "XAG", "XAU", "XBA", "XBB", "XBC", "XBD", "XCD", "XCG",
    "XDR", "XOF", "XPD", "XPF", "XPT", "XSU", "XUA", "YER", "ZAR", "ZMW", "ZWG", "ZWL",
];

/// Currency names, lower-cased and singular.
const CURRENCY_NAMES: &[&str] = &[
    "baht", "cedi", "cent", "dinar", "dirham", "dollar", "dong", "euro", "forint", "franc",
    "krona", "krone", "kroner", "kronor", "kwacha", "lira", "naira", "pence", "penny", "peso",
    "pound", "rand", "renminbi", "rial", "ringgit", "riyal", "rouble", "ruble", "rupee", "rupiah",
    "shekel", "shilling", "sterling", "taka", "won", "yen", "yuan", "zloty",
];

#[rustfmt::skip]
const PERCENT_WORDS: &[&str] = &[
    "bp", "bps", "pct", "percent", "percentage", "pp", "ppt", "ppts",
];

/// Month names and their abbreviations, capitalised.
#[rustfmt::skip]
const MONTHS: &[&str] = &[
    "Apr", "April", "Aug", "August", "Dec", "December", "Feb", "February", "Jan", "January",
    "Jul", "July", "Jun", "June", "Mar", "March", "May", "Nov", "November", "Oct", "October",
    "Sep", "Sept", "September",
];

const TIMES_OF_DAY: &[&str] = &[
    "a.m", "am", "cet", "gmt", "hrs", "kst", "o'clock", "p.m", "pm", "utc",
];

/// Words after which a number names, numbers or ranks something, lower-cased and
/// singular: `Article 12`, `version 2.3`, `Phase 2`, `top 10`.
#[rustfmt::skip]
const NAMING_WORDS: &[&str] = &[
    "amendment", "annex", "annexe", "appendices", "appendix", "article", "bottom", "bulletin",
    "categories", "category", "chapter", "circular", "clause", "decree", "directive", "edition",
    "figure", "floor", "goal", "grade", "indicator", "industry", "iso", "item", "law", "lesson",
    "level", "memorandum", "model", "module", "notice", "objective", "option", "ordinance",
    "page", "paragraph", "part", "phase", "pillar", "priority", "protocol", "question", "rank",
    "ranked", "ranking", "regulation", "release", "resolution", "revision", "room", "round",
    "route", "scenario", "schedule", "sdg", "section", "session", "stage", "statute", "step",
    "subchapter", "subclause", "subparagraph", "subpart", "subsection", "target", "theme",
    "tier", "title", "top", "type", "version", "volume", "wave", "web",
];

/// Abbreviations that name with a following number only when written with their dot:
/// `No. 5`, `p. 12`, `Art. 3`.
const NAMING_ABBREVIATIONS: &[&str] = &[
    "art", "arts", "ch", "chap", "cl", "fig", "figs", "no", "nos", "op", "p", "para", "paras",
    "pp", "ref", "rev", "sec", "secs", "stat", "v", "ver", "vol", "vols",
];

/// Words that cannot be what a number counts, lower-cased: determiners, pronouns,
/// prepositions, conjunctions, auxiliaries, adverbs of time, place and degree, weekdays.
#[rustfmt::skip]
const FUNCTION_WORDS: &[&str] = &[
    "a", "about", "above", "across", "after", "again", "against", "ago", "ahead", "all",
    "almost", "alone", "along", "already", "also", "although", "altogether", "always", "amid",
    "among", "amongst", "an", "and", "another", "any", "apiece", "are", "around", "as", "at",
    "away", "back", "be", "because", "been", "before", "behind", "being", "below", "beside",
    "besides", "between", "beyond", "both", "but", "by", "can", "coming", "concerning", "could",
    "despite", "did", "do", "does", "down", "during", "each", "earlier", "either", "else",
    "even", "ever", "every", "except", "excluding", "following", "for", "friday", "from", "had",
    "has", "have", "having", "he", "hence", "her", "here", "him", "his", "however", "i", "if",
    "in", "including", "inside", "instead", "into", "is", "it", "its", "itself", "just", "last",
    "later", "least", "like", "may", "me", "might", "minus", "monday", "most", "must", "my",
    "near", "neither", "never", "next", "no", "nor", "not", "now", "of", "off", "often", "on",
    "once", "only", "onto", "onwards", "or", "our", "out", "outside", "over", "overall", "past",
    "per", "plus", "previous", "quite", "rather", "regarding", "respectively", "saturday",
    "shall", "she", "should", "since", "so", "some", "sometimes", "soon", "still", "such",
    "sunday", "than", "that", "the", "their", "them", "themselves", "then", "there",
    "therefore", "these", "they", "this", "those", "though", "through", "throughout",
    "thursday", "thus", "till", "to", "today", "together", "tomorrow", "tonight", "too",
    "toward", "towards", "tuesday", "under", "unless", "unlike", "until", "up", "upon", "us",
    "versus", "very", "via", "vs", "was", "we", "wednesday", "well", "were", "what", "whatever",
    "when", "whenever", "where", "whereas", "wherever", "whether", "which", "while", "who",
    "whom", "whose", "will", "with", "within", "without", "would", "yesterday", "yet", "you",
    "your",
];

/// Words that join the two ends of a range, in any case: `5 to 10`, `between 5 and 10`.
fn is_connector(word: &str) -> bool {
    ["to", "and", "or", "through", "until", "till"]
        .iter()
        .any(|connector| connector.eq_ignore_ascii_case(word))
}

/// Comparatives, adverbs and participles that may stand between a number and what it
/// counts (`54,000 more engineers`, `5 daily flights`, `300 skilled workers`) but count
/// nothing on their own (`300m pledged by 2027`, `the 40 remaining`).
fn is_modifier(word: &str) -> bool {
    is_comparative_or_adverb(word) || is_participle(word)
}

fn is_comparative_or_adverb(word: &str) -> bool {
    matches!(word, "more" | "fewer" | "less" | "other") || word.len() > 4 && word.ends_with("ly")
}

fn is_participle(word: &str) -> bool {
    matches!(
        word,
        "spent" | "paid" | "sold" | "lent" | "given" | "taken" | "made" | "built" | "held" | "kept"
    ) || word.len() > 4 && word.ends_with("ed")
        || word.len() > 5 && word.ends_with("ing")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::DocumentKind;

    /// Each figure of a plain-text draft: its text, value and unit text.
    fn figures(text: &str) -> Vec<(String, f64, Option<String>)> {
        let doc = Document::parse(text, DocumentKind::PlainText, &Config::default());
        doc.figures
            .iter()
            .map(|f| {
                let unit = f.unit.as_ref().map(|u| text[u.range.clone()].to_owned());
                (text[f.range.clone()].to_owned(), f.value, unit)
            })
            .collect()
    }

    fn figure(text: &str, value: f64, unit: Option<&str>) -> (String, f64, Option<String>) {
        (text.to_owned(), value, unit.map(str::to_owned))
    }

    #[test]
    fn values_are_number_times_scale() {
        assert_eq!(
            figures("It cost $685 billion, or 890 trillion KRW, 1.2m pumps and 5,000억 원."),
            [
                figure("685 billion", 6.85e11, Some("$")),
                figure("890 trillion", 8.9e14, Some("KRW")),
                figure("1.2m", 1.2e6, Some("pumps")),
                figure("5,000억", 5e11, Some("원")),
            ]
        );
        assert_eq!(
            figures("Margins fell to -1.5% and 30bn."),
            [figure("1.5", -1.5, Some("%")), figure("30bn", 3e10, None)]
        );
    }

    #[test]
    fn units_of_each_kind() {
        let doc = Document::parse(
            "Pay ₩5 for 3 tonnes, 4% and 12 industries.",
            DocumentKind::PlainText,
            &Config::default(),
        );
        let kinds: Vec<_> = doc
            .figures
            .iter()
            .map(|f| f.unit.as_ref().map(|u| u.kind))
            .collect();
        assert_eq!(
            kinds,
            [
                Some(UnitKind::Currency),
                Some(UnitKind::Measure),
                Some(UnitKind::Percentage),
                Some(UnitKind::Count)
            ]
        );
    }

    #[test]
    fn a_range_shares_its_ends_unit_and_scale() {
        assert_eq!(
            figures("About 1,800 to 1,900 domestic clusters and 1.2–1.5 trillion won."),
            [
                figure("1,800", 1800.0, Some("domestic clusters")),
                figure("1,900", 1900.0, Some("domestic clusters")),
                figure("1.2", 1.2e12, Some("won")),
                figure("1.5 trillion", 1.5e12, Some("won")),
            ]
        );
        assert_eq!(
            figures("Grants of $5 to 10 million."),
            [
                figure("5", 5e6, Some("$")),
                figure("10 million", 1e7, Some("$"))
            ]
        );
    }

    #[test]
    fn a_bracketed_conversion_restates_the_figure_before() {
        let text = "Exports reached $685 billion (approximately 890 trillion KRW) and 12 ships.";
        let doc = Document::parse(text, DocumentKind::PlainText, &Config::default());
        let restates: Vec<_> = doc.figures.iter().map(|f| f.restates).collect();
        assert_eq!(restates, [None, Some(0), None]);
        let rate = doc.figures[1].value / doc.figures[0].value;
        assert!((rate - 1299.27).abs() < 0.01, "{rate}");
    }

    #[test]
    fn not_figures_are_left_out() {
        let text = "On 23 April 2024, Article 12 of Law 2013-45 (see 044-200-1234) met the G20 at 10:00 for the 5th time in the 1990s.";
        assert_eq!(figures(text), []);
    }

    #[test]
    fn table_cells_take_their_header_as_unit() {
        let text = "| Region | Budget (KRW bn) |\n|---|---|\n| North | 450 |\n";
        let doc = Document::parse(text, DocumentKind::Markdown, &Config::default());
        let unit = doc.figures[0].unit.as_ref().expect("a unit");
        assert_eq!(unit.kind, UnitKind::ColumnHeader);
        assert_eq!(&text[unit.range.clone()], "Budget (KRW bn)");
    }

    #[test]
    fn every_vocabulary_word_fits_the_lowercasing_buffer() {
        for word in FUNCTION_WORDS
            .iter()
            .chain(MEASURE_WORDS)
            .chain(NAMING_WORDS)
        {
            assert!(word.len() <= WORD_BUF, "{word}");
        }
    }

    /// The helpers that read ASCII byte by byte (`char_at`, `skip_spaces`, `letters_back`,
    /// …), `ascii_lower` and `classify` agree with decoding every character and lower-casing
    /// first, next to letters outside ASCII, Korean, CRLF and every kind of white space.
    #[test]
    fn ascii_fast_paths_agree_with_decoding() {
        let pieces = [
            "a", "Z", "é", "한국", "😀", " ", "\t", "\r\n", "\u{0B}", "\u{0C}", "\u{a0}",
            "\u{3000}", "\u{85}", "3", ".", "-", "\u{212A}", "ſ", "Km", "APRIL", "April", "May",
        ];
        for text in crate::analysis::testing::random_texts(&pieces, 5_000, 8) {
            let boundaries = (0..=text.len()).filter(|&at| text.is_char_boundary(at));
            for at in boundaries {
                assert_eq!(char_at(&text, at), text[at..].chars().next(), "{text:?}");
                assert_eq!(char_before(&text, at), text[..at].chars().next_back());
                let rest = &text[at..];
                assert_eq!(
                    skip_spaces(&text, at),
                    at + rest.len() - rest.trim_start().len()
                );
                assert_eq!(skip_spaces_back(&text, at), text[..at].trim_end().len());
                let letters = text[..at]
                    .char_indices()
                    .rev()
                    .take_while(|(_, c)| c.is_alphabetic())
                    .last()
                    .map_or(at, |(i, _)| i);
                assert_eq!(letters_back(&text, at), letters..at, "{text:?} at {at}");
            }
            for word in text.split(' ') {
                let mut buf = [0; WORD_BUF];
                let lower = word.to_ascii_lowercase();
                let expected = (word.len() <= WORD_BUF && word.is_ascii()).then_some(&*lower);
                assert_eq!(ascii_lower(word, &mut buf), expected, "{word:?}");
                let lookup = |w: &str| VOCABULARY.get(w).copied().unwrap_or_default();
                let folded = expected.map_or(Class::default(), lookup);
                let class = Class(lookup(word).0 | (folded.0 & !Class::CASE_SENSITIVE.0));
                assert_eq!(classify(word), class, "{word:?}");
            }
        }
    }

    /// The shortcuts in `word_end` (a word ending at plain ASCII) and the words compared in
    /// any case (`spaced_scale`, `is_connector`) agree with decoding every character and
    /// lower-casing first.
    #[test]
    fn word_shortcuts_agree_with_decoding_and_lowercasing() {
        fn decoded_word_end(text: &str, at: usize) -> usize {
            let mut end = at;
            let mut chars = text[at..]
                .char_indices()
                .map(|(i, c)| (at + i, c))
                .peekable();
            while let Some((i, c)) = chars.next() {
                let joins = matches!(c, '-' | '\'' | '’' | '.' | '&')
                    && chars.peek().is_some_and(|(_, n)| n.is_alphanumeric());
                if c.is_alphanumeric() || joins || matches!(c, '²' | '³') && end == i {
                    end = i + c.len_utf8();
                } else {
                    break;
                }
            }
            end
        }
        fn lowered_scale(word: &str) -> Option<f64> {
            let mut buf = [0; WORD_BUF];
            match ascii_lower(word, &mut buf)? {
                "thousand" => Some(1e3),
                "lakh" | "lakhs" => Some(1e5),
                "million" | "millions" | "mn" | "mln" => Some(1e6),
                "crore" | "crores" => Some(1e7),
                "billion" | "billions" | "bn" => Some(1e9),
                "trillion" | "trillions" | "tn" | "trn" => Some(1e12),
                _ => None,
            }
        }
        fn lowered_connector(word: &str) -> bool {
            let mut buf = [0; WORD_BUF];
            ascii_lower(word, &mut buf)
                .is_some_and(|w| matches!(w, "to" | "and" | "or" | "through" | "until" | "till"))
        }
        let pieces = [
            "km", "²", "To", "AND", "and", "Million", "bn", "crores", "-", "'", "’", ".", "&", " ",
            ",", "é", "한", "3", "\u{212A}", "ſ",
        ];
        for text in crate::analysis::testing::random_texts(&pieces, 5_000, 6) {
            for (at, _) in text.char_indices() {
                let end = word_end(&text, at);
                assert_eq!(end, decoded_word_end(&text, at), "{text:?} at {at}");
                let word = &text[at..end];
                assert_eq!(spaced_scale(word), lowered_scale(word), "{word:?}");
                assert_eq!(is_connector(word), lowered_connector(word), "{word:?}");
            }
        }
    }

    #[test]
    fn currency_codes_of_symbols_names_and_codes() {
        for (unit, code) in [
            ("$", Some("USD")),
            ("US$", Some("USD")),
            ("dollars", Some("USD")),
            ("KRW", Some("KRW")),
            ("₩", Some("KRW")),
            ("won", Some("KRW")),
            ("원", Some("KRW")),
            ("€", Some("EUR")),
            ("euros", Some("EUR")),
            ("RMB", Some("CNY")),
            ("EUR", Some("EUR")),
            ("pence", None),
            ("tonnes", None),
        ] {
            assert_eq!(currency_code(unit), code, "{unit}");
        }
    }
}
