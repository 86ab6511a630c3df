//! `textDocument/hover`: over a figure, its normalised value (and, for a figure restated
//! in brackets in another currency, the implied rate); over a term, its definitions from
//! every source in order — the draft's own, the workspace glossary, the built-in glossary
//! (RULES.md §3, §4). Diagnostics get nothing extra: editors show them already.
//!
//! Markdown for clients that list it first in `textDocument.hover.contentFormat`, plain
//! text (the same words, no markup) for the others: Eglot without markdown-mode, for one,
//! would show the asterisks.

use std::ops::Range;

use tower_lsp_server::ls_types::{self as lsp, Hover, HoverContents, MarkupContent, MarkupKind};

use super::query::Query;
use crate::analysis::figures::{currency_code, Figure, UnitKind};
use crate::analysis::terms::DefinitionKind;
use crate::analysis::Document;
use crate::config::Config;
use crate::glossary::lookup::{term_at, DefinitionSource};

/// The most definitions from the draft itself a hover lists (a draft that defines a term
/// over and over gets a count for the rest).
const MOST_DRAFT_DEFINITIONS: usize = 3;

/// The longest definition a hover shows, in characters; longer ones end in `…`.
const LONGEST_DEFINITION: usize = 600;

/// How a hover is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Markup {
    Markdown,
    PlainText,
}

impl Markup {
    /// Markdown if the client prefers it (lists it first), else plain text.
    pub(crate) fn preferred(markdown: bool) -> Self {
        if markdown {
            Markup::Markdown
        } else {
            Markup::PlainText
        }
    }

    pub(crate) fn kind(self) -> MarkupKind {
        match self {
            Markup::Markdown => MarkupKind::Markdown,
            Markup::PlainText => MarkupKind::PlainText,
        }
    }

    /// Words as they read: escaped for Markdown, as they are in plain text.
    pub(crate) fn text(self, text: &str) -> String {
        match self {
            Markup::Markdown => escape(text),
            Markup::PlainText => text.to_owned(),
        }
    }

    /// What the hover is about: bold in Markdown.
    pub(crate) fn strong(self, text: &str) -> String {
        match self {
            Markup::Markdown => format!("**{}**", escape(text)),
            Markup::PlainText => text.to_owned(),
        }
    }

    /// A remark (where a definition comes from, a count): italic in Markdown.
    fn aside(self, text: &str) -> String {
        match self {
            Markup::Markdown => format!("*{}*", escape(text)),
            Markup::PlainText => text.to_owned(),
        }
    }
}

pub(crate) fn hover(query: &Query, position: lsp::Position) -> Option<Hover> {
    let offset = query.offset(position)?;
    let doc = query.document()?;
    let markup = Markup::preferred(query.session.hover_markdown);
    let (range, value) = hover_text_in(doc, &query.config, offset, markup)?;
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: markup.kind(),
            value,
        }),
        range: query.range(range),
    })
}

/// What a hover at byte `offset` shows, as Markdown, and the range it is about.
#[cfg(test)]
pub(crate) fn hover_text(
    doc: &Document,
    config: &Config,
    offset: usize,
) -> Option<(Range<usize>, String)> {
    hover_text_in(doc, config, offset, Markup::Markdown)
}

/// What a hover at byte `offset` shows, written in `markup`, and the range it is about.
pub(crate) fn hover_text_in(
    doc: &Document,
    config: &Config,
    offset: usize,
    markup: Markup,
) -> Option<(Range<usize>, String)> {
    if let Some(index) = figure_at(doc, offset) {
        return Some(figure_hover(doc, index, markup));
    }
    let found = term_at(doc, config, offset)?;
    let mut entries: Vec<String> = Vec::new();
    let mut hidden = 0;
    for source in &found.sources {
        if matches!(source, DefinitionSource::Draft(_)) {
            let shown = entries.len();
            if shown >= MOST_DRAFT_DEFINITIONS {
                hidden += 1;
                continue;
            }
        } else if hidden > 0 {
            entries.push(markup.aside(&format!("… and {hidden} more in this draft")));
            hidden = 0;
        }
        entries.push(definition_entry(doc, source, markup));
    }
    if hidden > 0 {
        entries.push(markup.aside(&format!("… and {hidden} more in this draft")));
    }
    Some((found.range, entries.join("\n\n")))
}

/// The figure whose number (with its currency or percent sign) covers `offset`.
fn figure_at(doc: &Document, offset: usize) -> Option<usize> {
    let after = doc
        .figures
        .partition_point(|f| hover_range(doc, f).start <= offset);
    (0..after)
        .rev()
        .take(4)
        .find(|&i| hover_range(doc, &doc.figures[i]).contains(&offset))
        .or_else(|| {
            // The end of a figure's last character counts too (a caret after `trillion`).
            (0..after)
                .rev()
                .take(1)
                .find(|&i| hover_range(doc, &doc.figures[i]).end == offset)
        })
}

/// A figure's range with a currency symbol, code or percent sign written right next to it
/// (`$685 billion`, `890 trillion KRW`, `6.5%`); counted nouns stay separate terms.
fn hover_range(doc: &Document, figure: &Figure) -> Range<usize> {
    let mut range = figure.range.clone();
    if let Some(unit) = &figure.unit {
        if matches!(unit.kind, UnitKind::Currency | UnitKind::Percentage) {
            let gap = if unit.range.end <= range.start {
                doc.text.get(unit.range.end..range.start)
            } else {
                doc.text.get(range.end..unit.range.start)
            };
            if gap.is_some_and(|g| g.chars().count() <= 1 && g.trim().is_empty()) {
                range = range.start.min(unit.range.start)..range.end.max(unit.range.end);
            }
        }
    }
    range
}

fn figure_hover(doc: &Document, index: usize, markup: Markup) -> (Range<usize>, String) {
    let figure = &doc.figures[index];
    let written = collapse(&doc.text[hover_range(doc, figure)]);
    let mut out = format!(
        "{} = {}",
        markup.strong(&written),
        with_unit(doc, figure, markup)
    );
    // The restated pair: this figure restates an earlier one, or a later one restates it.
    let pair = match figure.restates {
        Some(earlier) => Some((earlier, index)),
        None => doc
            .figures
            .get(index + 1)
            .filter(|later| later.restates == Some(index))
            .map(|_| (index, index + 1)),
    };
    if let Some((from, to)) = pair {
        if let Some(rate) = rate(&doc.figures[from], &doc.figures[to], doc, markup) {
            out.push_str("\n\n");
            out.push_str(&rate);
        }
    }
    (hover_range(doc, figure), out)
}

/// The normalised value with its unit: `8.9 × 10^14 KRW`, `6.5%`, `300 researchers`.
fn with_unit(doc: &Document, figure: &Figure, markup: Markup) -> String {
    let value = normalised(figure.value);
    let Some(unit) = &figure.unit else {
        return format!("{value} {}", markup.aside("(no unit)"));
    };
    let written = collapse(doc.text.get(unit.range.clone()).unwrap_or_default());
    match unit.kind {
        UnitKind::Currency => match currency_code(&written) {
            Some(code) => format!("{value} {code}"),
            None => format!("{value} {}", markup.text(&written)),
        },
        UnitKind::Percentage if written == "%" => format!("{value}%"),
        UnitKind::ColumnHeader => format!(
            "{value} {}",
            markup.aside(&format!("(unit from the column header: {written})"))
        ),
        _ => format!("{value} {}", markup.text(&written)),
    }
}

/// `1 USD ≈ 1,299 KRW` for `$685 billion (approximately 890 trillion KRW)`.
fn rate(from: &Figure, to: &Figure, doc: &Document, markup: Markup) -> Option<String> {
    let code = |f: &Figure| {
        let unit = f.unit.as_ref()?;
        let written = collapse(doc.text.get(unit.range.clone())?);
        Some(currency_code(&written).map_or(written, str::to_owned))
    };
    let (a, b) = (code(from)?, code(to)?);
    if from.value == 0.0 || !from.value.is_finite() || !to.value.is_finite() {
        return None;
    }
    let rate = to.value / from.value;
    // Whole units from a hundred up (`1,299`), four decimals below (`0.0008`).
    let rate = if rate.abs() >= 100.0 {
        plain(rate.round())
    } else {
        plain(rate)
    };
    Some(format!(
        "Implied rate: 1 {} ≈ {rate} {}",
        markup.text(&a),
        markup.text(&b)
    ))
}

/// A value in the hover's notation: scientific from ten thousand up (`8.9 × 10^14`),
/// grouped digits below (`1,800`, `6.5`).
pub(crate) fn normalised(value: f64) -> String {
    if !value.is_finite() {
        return value.to_string();
    }
    let magnitude = value.abs();
    if magnitude < 10_000.0 {
        return plain(value);
    }
    let mut exponent = magnitude.log10().floor() as i32;
    let mut mantissa = value / 10f64.powi(exponent);
    // Six significant digits; rounding can carry into the next power (9.9999995 → 10).
    mantissa = (mantissa * 1e5).round() / 1e5;
    if mantissa.abs() >= 10.0 {
        mantissa /= 10.0;
        exponent += 1;
    }
    format!(
        "{} × 10^{exponent}",
        trim_decimals(format!("{mantissa:.5}"))
    )
}

/// Up to four decimals (two from a hundred up, none from ten thousand), thousands grouped.
fn plain(value: f64) -> String {
    let magnitude = value.abs();
    let decimals = if magnitude >= 10_000.0 {
        0
    } else if magnitude >= 100.0 {
        2
    } else {
        4
    };
    let text = trim_decimals(format!("{value:.decimals$}"));
    let (sign, digits) = match text.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", text.as_str()),
    };
    let (whole, fraction) = match digits.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (digits, None),
    };
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    match fraction {
        Some(f) => format!("{sign}{grouped}.{f}"),
        None => format!("{sign}{grouped}"),
    }
}

fn trim_decimals(text: String) -> String {
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        text
    }
}

/// One source's definition: `**cluster** — concentrated bodies … *(this draft, line 4)*`
/// in Markdown, the same without the asterisks in plain text.
fn definition_entry(doc: &Document, source: &DefinitionSource<'_>, markup: Markup) -> String {
    match source {
        DefinitionSource::Draft(d) => {
            let line = doc.lines.line_of(d.term_range.start) + 1;
            let what = if d.kind == DefinitionKind::Expansion {
                "expansion in this draft"
            } else {
                "this draft"
            };
            format!(
                "{} — {} {}",
                markup.strong(&collapse(&d.term)),
                markup.text(&shorten(&collapse(doc.prose(d.definition_range.clone())))),
                markup.aside(&format!("({what}, line {line})")),
            )
        }
        DefinitionSource::Workspace {
            term,
            definition,
            origin,
            line,
        } => {
            let place = match line {
                Some(line) => format!("{origin}, line {line}"),
                None => (*origin).to_owned(),
            };
            format!(
                "{} — {} {}",
                markup.strong(&collapse(term)),
                markup.text(&shorten(&collapse(definition))),
                markup.aside(&format!("(workspace glossary: {place})")),
            )
        }
        DefinitionSource::Builtin(entry) => {
            let expansion = entry
                .expansion
                .as_deref()
                .map(|e| format!(" ({})", markup.text(e)))
                .unwrap_or_default();
            format!(
                "{}{expansion} — {} {}",
                markup.strong(&entry.term),
                markup.text(&shorten(&collapse(&entry.definition))),
                markup.aside(&format!("(built-in glossary: {})", entry.source)),
            )
        }
    }
}

/// Whitespace runs (line breaks of a wrapped paragraph included) as one space.
fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn shorten(text: &str) -> String {
    match text.char_indices().nth(LONGEST_DEFINITION) {
        Some((at, _)) => format!("{}…", text[..at].trim_end()),
        None => text.to_owned(),
    }
}

/// Escapes what Markdown would read as markup.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(
            c,
            '\\' | '*' | '_' | '`' | '[' | ']' | '<' | '>' | '#' | '|'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{analyze, DocumentKind, Encoding};
    use crate::glossary::workspace::GlossaryEntry;

    fn at(text: &str, config: &Config, needle: &str) -> Option<(String, String)> {
        let doc = Document::parse(text, DocumentKind::PlainText, config);
        let offset = text.find(needle).expect("needle in text");
        hover_text(&doc, config, offset).map(|(range, md)| (text[range].to_owned(), md))
    }

    #[test]
    fn values_in_hover_notation() {
        assert_eq!(normalised(8.9e14), "8.9 × 10^14");
        assert_eq!(normalised(685e9), "6.85 × 10^11");
        assert_eq!(normalised(1_800.0), "1,800");
        assert_eq!(normalised(6.5), "6.5");
        assert_eq!(normalised(10_000.0), "1 × 10^4");
        assert_eq!(normalised(9_999_999.9), "1 × 10^7");
        assert_eq!(normalised(-2.5e6), "-2.5 × 10^6");
        assert_eq!(normalised(0.0), "0");
        assert_eq!(plain(1299.2701), "1,299.27");
        assert_eq!(plain(123_456.7), "123,457");
    }

    #[test]
    fn figures_show_value_unit_and_rate() {
        let config = Config::default();
        let text = "첫 😀 Exports will reach $685 billion (approximately 890 trillion KRW) by 2030.\r\nThe share rose to 6.5% and 300 researchers joined.\r\n";
        let (range, md) = at(text, &config, "890").expect("a hover");
        assert_eq!(range, "890 trillion KRW");
        assert!(md.contains("8.9 × 10^14 KRW"), "{md}");
        assert!(md.contains("1 USD ≈ 1,299 KRW"), "{md}");
        let (range, md) = at(text, &config, "685").expect("a hover");
        assert_eq!(range, "$685 billion");
        assert!(md.contains("6.85 × 10^11 USD"), "{md}");
        assert!(md.contains("1 USD ≈ 1,299 KRW"), "{md}");
        let (range, md) = at(text, &config, "$685").expect("on the symbol");
        assert_eq!(range, "$685 billion");
        assert!(!md.is_empty());
        let (range, md) = at(text, &config, "6.5%").unwrap();
        assert_eq!(
            (range.as_str(), md.contains("= 6.5%")),
            ("6.5%", true),
            "{md}"
        );
        let (_, md) = at(text, &config, "300").unwrap();
        assert!(md.contains("300 researchers"), "{md}");
        assert!(at(text, &config, "2030").is_none());
        assert!(at(text, &config, "첫").is_none());
    }

    #[test]
    fn terms_show_every_source_in_order() {
        let mut config = Config::default();
        config
            .glossary
            .insert("cluster".into(), "Team *wording*.".into());
        config.glossary_file_terms.push(GlossaryEntry {
            term: "cluster".into(),
            definition: "File wording.".into(),
            origin: "docs/glossary.md".into(),
            line: Some(3),
        });
        let text = "Intro 😀 line.\r\nThe plan funds clusters—concentrated bodies of firms and institutions—across regions.\r\n한국 Each cluster's board reports.\r\n";
        let (range, md) = at(text, &config, "cluster's").expect("a term");
        assert_eq!(range, "cluster's");
        let entries: Vec<&str> = md.split("\n\n").collect();
        assert_eq!(entries.len(), 4, "{md}");
        assert_eq!(
            entries,
            [
                "**clusters** — concentrated bodies of firms and institutions *(this draft, line 2)*",
                "**cluster** — Team \\*wording\\*. *(workspace glossary: policy-lsp.toml)*",
                "**cluster** — File wording. *(workspace glossary: docs/glossary.md, line 3)*",
                entries[3],
            ]
        );
        assert!(
            entries[3].starts_with("**cluster** — ") && entries[3].contains("built-in glossary")
        );
    }

    #[test]
    fn many_definitions_are_counted_not_listed() {
        let config = Config::default();
        let text = "The Harbour Board (HB) met. ".repeat(6) + "\nThe HB agreed.\n";
        let (_, md) = at(&text, &config, "HB agreed").unwrap();
        assert_eq!(md.matches("Harbour Board").count(), 3, "{md}");
        assert!(md.ends_with("*… and 3 more in this draft*"), "{md}");
    }

    #[test]
    fn plain_text_says_the_same_without_markup() {
        let mut config = Config::default();
        config
            .glossary
            .insert("cluster".into(), "Team *wording* [x]_y_.".into());
        let text = "The plan funds clusters—concentrated bodies of firms—across regions.\nEach cluster's board reports on 5 items_x and $685 billion (approximately 890 trillion KRW).\n";
        let doc = Document::parse(text, DocumentKind::PlainText, &config);
        let plain = |needle: &str| {
            let offset = text.find(needle).unwrap();
            hover_text_in(&doc, &config, offset, Markup::PlainText)
                .unwrap()
                .1
        };
        let entries: Vec<String> = plain("cluster's")
            .split("\n\n")
            .map(str::to_owned)
            .collect();
        assert_eq!(
            entries[..2],
            [
                "clusters — concentrated bodies of firms (this draft, line 1)",
                "cluster — Team *wording* [x]_y_. (workspace glossary: policy-lsp.toml)",
            ]
        );
        assert!(entries[2].starts_with("cluster — ") && entries[2].ends_with(')'));
        assert!(
            !entries[2].contains('\\') && !entries[2].contains("**"),
            "{}",
            entries[2]
        );
        assert_eq!(
            plain("890"),
            "890 trillion KRW = 8.9 × 10^14 KRW\n\nImplied rate: 1 USD ≈ 1,299 KRW"
        );
        // Markdown escapes and emphasises what plain text leaves alone.
        let offset = text.find("cluster's").unwrap();
        let md = hover_text(&doc, &config, offset).unwrap().1;
        assert!(
            md.contains("**cluster** — Team \\*wording\\* \\[x\\]\\_y\\_."),
            "{md}"
        );
    }

    #[test]
    fn acronyms_show_their_expansion() {
        let config = Config::default();
        let text =
            "The Ministry of Economy and Finance (MOEF) met.\n\nLater the MOEF agreed on GDP.\n";
        let (range, md) = at(text, &config, "MOEF agreed").unwrap();
        assert_eq!(range, "MOEF");
        assert_eq!(
            md,
            "**MOEF** — Ministry of Economy and Finance *(expansion in this draft, line 1)*"
        );
        let (_, md) = at(text, &config, "GDP").unwrap();
        assert!(md.contains("(gross domestic product)"), "{md}");
        assert!(at(text, &config, "agreed").is_none());
    }

    #[test]
    fn positions_in_every_encoding_and_out_of_range() {
        let text = "😀 한 The Harbour Board (HB) met.\r\nHB again.\r\n";
        let analysis = analyze(text, DocumentKind::PlainText, &Config::default());
        let uri: lsp::Uri = "file:///d.txt".parse().unwrap();
        for (encoding, column) in [
            (Encoding::Utf16, 2),
            (Encoding::Utf8, 2),
            (Encoding::Utf32, 1),
        ] {
            let query = Query::new(uri.clone(), analysis.clone(), Config::default(), encoding);
            let found = hover(&query, lsp::Position::new(1, column)).expect("a hover");
            assert_eq!(
                found.range,
                Some(lsp::Range::new(
                    lsp::Position::new(1, 0),
                    lsp::Position::new(1, 2)
                ))
            );
            assert!(hover(&query, lsp::Position::new(1, 99)).is_none());
            assert!(hover(&query, lsp::Position::new(9, 0)).is_none());
        }
        // Half an emoji in UTF-16, the middle of a Hangul syllable in UTF-8.
        let query = Query::new(
            uri.clone(),
            analysis.clone(),
            Config::default(),
            Encoding::Utf16,
        );
        assert!(hover(&query, lsp::Position::new(0, 1)).is_none());
        let query = Query::new(uri, analysis, Config::default(), Encoding::Utf8);
        assert!(hover(&query, lsp::Position::new(0, 6)).is_none());
    }
}
