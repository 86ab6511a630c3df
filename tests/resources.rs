//! Guarantee 4 (ARCHITECTURE.md, "Guarantees"): hostile drafts analysed within bounds. Slow,
//! so ignored by default; run them, in release mode for meaningful times, with
//!
//! ```text
//! cargo test --release --test resources -- --ignored --nocapture --test-threads 1
//! ```
//!
//! Each prints its size and time; none asserts a time (timings are figures, not tests).
//! They run on the test harness's threads, whose 2 MiB stack is the size of the CLI's
//! rayon workers and the server's blocking pool, so unbounded recursion on document
//! structure would overflow here. `scripts/resource-bounds.sh` measures the same drafts
//! through the release binary with peak RSS.

mod invariants;

use std::time::Instant;

use policy_lsp::analysis::{analyze, DocumentKind};
use policy_lsp::config::Config;

fn measure(name: &str, text: &str, kind: DocumentKind) {
    let started = Instant::now();
    let analysis = analyze(text, kind, &Config::default());
    let elapsed = started.elapsed();
    println!(
        "{name}: {:.1} MiB in {:.2?}: {} blocks, {} sections, {} quotations, {} findings",
        text.len() as f64 / (1 << 20) as f64,
        elapsed,
        analysis.document.blocks.len(),
        analysis.document.sections.len(),
        analysis.document.quotations.len(),
        analysis.diagnostics.len(),
    );
    invariants::check_analysis(text, &analysis);
}

fn repeat_to(piece: &str, bytes: usize) -> String {
    let mut text = piece.repeat(bytes / piece.len() + 1);
    let mut end = bytes;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text.truncate(end);
    text
}

#[test]
#[ignore = "resource bound; see the module documentation"]
fn a_50_mib_draft() {
    let example = concat!(
        include_str!("../examples/harbour-renewal-strategy.md"),
        include_str!("../examples/island-ferry-fares.txt")
    );
    let text = repeat_to(example, 50 << 20);
    measure("50 MiB draft (Markdown)", &text, DocumentKind::Markdown);
    measure("50 MiB draft (plain text)", &text, DocumentKind::PlainText);
}

#[test]
#[ignore = "resource bound; see the module documentation"]
fn a_5_mib_single_line() {
    let text = repeat_to(
        "The Ministry said \"growth reached 30 trillion won in 2025\" — a 12% rise (MOEF); see Article 12. 한국 😀 ",
        5 << 20,
    );
    measure(
        "5 MiB single line (Markdown)",
        &text,
        DocumentKind::Markdown,
    );
    measure(
        "5 MiB single line (plain text)",
        &text,
        DocumentKind::PlainText,
    );
}

#[test]
#[ignore = "resource bound; see the module documentation"]
fn a_hundred_thousand_headings() {
    let text: String = (1..=100_000)
        .map(|i| format!("## {i}. Heading {i}\n\nThe board approved item {i}.\n\n"))
        .collect();
    measure("100,000 headings (Markdown)", &text, DocumentKind::Markdown);
    let numbered: String = (1..=100_000)
        .map(|i| {
            format!(
                "{}.{} Heading\n\nText of item {i}.\n\n",
                i / 100 + 1,
                i % 100 + 1
            )
        })
        .collect();
    measure(
        "100,000 numbered headings (plain text)",
        &numbered,
        DocumentKind::PlainText,
    );
}

#[test]
#[ignore = "resource bound; see the module documentation"]
fn ten_thousand_nested_block_quotes() {
    let text = format!("{}The board said \"yes\".\n", "> ".repeat(10_000));
    measure("10,000 nested block quotes", &text, DocumentKind::Markdown);
    let staircase: String = (1..=10_000)
        .map(|i| format!("{} level {i}\n", ">".repeat(i)))
        .collect();
    measure(
        "10,000 block quote levels, one line each",
        &staircase,
        DocumentKind::Markdown,
    );
}

#[test]
#[ignore = "resource bound; see the module documentation"]
fn ten_thousand_nested_list_levels() {
    let text = format!("{}The board said \"yes\".\n", "- ".repeat(10_000));
    measure("10,000 nested list levels", &text, DocumentKind::Markdown);
    let ordered = format!("{}item\n", "1. ".repeat(10_000));
    measure(
        "10,000 nested ordered list levels",
        &ordered,
        DocumentKind::Markdown,
    );
    let mixed = format!("{}item\n", "> - ".repeat(5_000));
    measure(
        "5,000 block quote and list pairs",
        &mixed,
        DocumentKind::Markdown,
    );
    let emphasis = format!("{}word{}\n", "*_".repeat(10_000), "_*".repeat(10_000));
    measure("10,000 nested emphases", &emphasis, DocumentKind::Markdown);
    let links = format!("{}x{}\n", "[".repeat(10_000), "](u)".repeat(10_000));
    measure(
        "10,000 nested link brackets",
        &links,
        DocumentKind::Markdown,
    );
}

#[test]
#[ignore = "resource bound; see the module documentation"]
fn a_million_quote_marks() {
    let paragraphs = "\"a\" “b” \"c\" ‘d’ \"e\" “f” \"g\" \"h\" \"i\" \"j\"\n\n".repeat(50_000);
    for kind in [DocumentKind::Markdown, DocumentKind::PlainText] {
        measure("1,000,000 quote marks in paragraphs", &paragraphs, kind);
        measure(
            "1,000,000 straight quote marks in one paragraph",
            &"\"".repeat(1_000_000),
            kind,
        );
        measure(
            "1,000,000 opening curly marks",
            &"“".repeat(1_000_000),
            kind,
        );
    }
}
