//! Throughput of the analysis, and the cost of position conversion.
//!
//! ```text
//! cargo bench --bench analysis                    # everything, a few minutes
//! cargo bench --bench analysis -- --quick         # one quick pass
//! cargo bench --bench analysis -- 'analyze/1MiB'  # one group (a regex on the names)
//! ```
//!
//! - `analyze/{10kB,1MiB,10MiB}/{markdown,markdown-crlf,plaintext}`: the whole of
//!   [`analyze`] (structure and every rule), reported in bytes of draft per second;
//! - `parse/1MiB/…`: [`Document::parse`] alone, so the rules' share is the difference;
//! - `text/1MiB/…`: building a [`LineIndex`], and converting offsets ⇄ positions in each
//!   encoding (per conversion);
//! - `rules/1MiB/<rule>`: [`analyze`] with only that rule on, with
//!   `POLICY_LSP_BENCH_RULES=1` (the rule's own cost is the difference from `parse/1MiB`).
//!
//! The drafts come from `corpus::draft`, generated from this project's own phrases with a
//! fixed seed. Under `cargo test --all-targets` criterion runs each benchmark once as a
//! smoke test, on an unoptimised build: there only the 10 kB drafts are analysed, and the
//! `parse` and `text` groups use 100 kB.
//!
//! `POLICY_LSP_BENCH_DUMP=DIR cargo bench --bench analysis` writes the drafts to `DIR`
//! instead of measuring (see `scripts/bench-cli.sh`).

mod corpus;

use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use criterion::{criterion_group, BenchmarkId, Criterion, SamplingMode, Throughput};
use policy_lsp::analysis::{
    analyze, AnalysisCache, Document, DocumentKind, Encoding, LineIndex, Position,
};
use policy_lsp::config::Config;

use corpus::{draft, Flavor};

const KB: usize = 1_000;
const MIB: usize = 1 << 20;

struct Size {
    name: &'static str,
    bytes: usize,
    samples: usize,
}

const SIZES: [Size; 3] = [
    Size {
        name: "10kB",
        bytes: 10 * KB,
        samples: 100,
    },
    Size {
        name: "1MiB",
        bytes: MIB,
        samples: 20,
    },
    Size {
        name: "10MiB",
        bytes: 10 * MIB,
        samples: 10,
    },
];

/// Whether criterion is measuring (`cargo bench`) rather than smoke-testing (`cargo test`).
/// Mirrors criterion's own rule: `--bench` without `--test`.
fn measuring() -> bool {
    let args: Vec<String> = std::env::args().collect();
    args.iter().any(|a| a == "--bench") && !args.iter().any(|a| a == "--test")
}

/// The largest draft worth analysing: everything when measuring; under `cargo test`, where
/// the crate is built without optimisation, only the small drafts.
fn smoke_limit() -> usize {
    if measuring() {
        usize::MAX
    } else {
        10 * KB
    }
}

/// The draft size of the `parse` and `text` groups, and its label: 1 MiB, or 100 kB under
/// `cargo test`.
fn large() -> (usize, &'static str) {
    if measuring() {
        (MIB, "1MiB")
    } else {
        (100 * KB, "100kB")
    }
}

fn kind(flavor: Flavor) -> DocumentKind {
    if flavor.is_markdown() {
        DocumentKind::Markdown
    } else {
        DocumentKind::PlainText
    }
}

fn bench_analyze(c: &mut Criterion) {
    let config = Config::default();
    for size in &SIZES {
        if size.bytes > smoke_limit() {
            continue;
        }
        let mut group = c.benchmark_group(format!("analyze/{}", size.name));
        group.sample_size(size.samples);
        if size.bytes > MIB {
            // A few runs per sample, each ~0.1 s: flat sampling keeps the total bounded.
            group.sampling_mode(SamplingMode::Flat);
            group.measurement_time(Duration::from_secs(8));
        }
        for flavor in Flavor::ALL {
            let text = draft(flavor, size.bytes);
            assert!(text.len() >= size.bytes);
            group.throughput(Throughput::Bytes(text.len() as u64));
            group.bench_with_input(
                BenchmarkId::from_parameter(flavor.name()),
                &text,
                |b, text| b.iter(|| analyze(black_box(text), kind(flavor), &config)),
            );
        }
        group.finish();
    }
}

fn bench_parse(c: &mut Criterion) {
    let config = Config::default();
    let (bytes, label) = large();
    let mut group = c.benchmark_group(format!("parse/{label}"));
    group.sample_size(20);
    for flavor in [Flavor::Markdown, Flavor::PlainText] {
        let text = draft(flavor, bytes);
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_with_input(
            BenchmarkId::from_parameter(flavor.name()),
            &text,
            |b, text| b.iter(|| Document::parse(black_box(text), kind(flavor), &config)),
        );
    }
    group.finish();
}

/// Offsets spread over the text (not always on a character boundary: conversion clamps).
fn scattered_offsets(len: usize, count: usize) -> Vec<usize> {
    let mut state: u64 = 0x2545_F491_4F6C_DD1D;
    (0..count)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % len as u64) as usize
        })
        .collect()
}

fn bench_positions(c: &mut Criterion) {
    const CONVERSIONS: usize = 10_000;
    // The Markdown flavour has Korean and emoji, so the three encodings differ.
    let (bytes, label) = large();
    let text = draft(Flavor::MarkdownCrlf, bytes);
    let index = LineIndex::new(&text);
    let offsets = scattered_offsets(text.len(), CONVERSIONS);

    let mut group = c.benchmark_group(format!("text/{label}"));
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.bench_function("line-index", |b| {
        b.iter(|| LineIndex::new(black_box(&text)))
    });

    group.throughput(Throughput::Elements(CONVERSIONS as u64));
    for (name, encoding) in [
        ("utf8", Encoding::Utf8),
        ("utf16", Encoding::Utf16),
        ("utf32", Encoding::Utf32),
    ] {
        group.bench_function(format!("position/{name}"), |b| {
            b.iter(|| {
                offsets
                    .iter()
                    .map(|&o| index.position(&text, black_box(o), encoding).column)
                    .fold(0u32, u32::wrapping_add)
            })
        });
        let positions: Vec<Position> = offsets
            .iter()
            .map(|&o| index.position(&text, o, encoding))
            .collect();
        group.bench_function(format!("offset/{name}"), |b| {
            b.iter(|| {
                positions
                    .iter()
                    .map(|&p| index.offset(&text, black_box(p), encoding))
                    .fold(0usize, usize::wrapping_add)
            })
        });
    }
    group.finish();
}

/// The draft sizes of the server's benchmarks (`edit/`, `open/`), with their labels: 1 and
/// 10 MiB when measuring; under `cargo test`, one 100 kB draft.
fn server_sizes() -> Vec<(usize, &'static str)> {
    if measuring() {
        SIZES
            .iter()
            .filter(|s| s.bytes >= MIB)
            .map(|s| (s.bytes, s.name))
            .collect()
    } else {
        vec![(100 * KB, "100kB")]
    }
}

/// The cost of one keystroke: a character typed into (then deleted from) the middle of a
/// draft whose [`AnalysisCache`] is warm, re-analysed each time — what the server does per
/// `didChange`. Reported per edit.
fn bench_edit(c: &mut Criterion) {
    let config = Config::default();
    for (bytes, label) in server_sizes() {
        let mut group = c.benchmark_group(format!("edit/{label}"));
        group.sample_size(50);
        for flavor in Flavor::ALL {
            let mut text = draft(flavor, bytes);
            let kind = kind(flavor);
            // A letter in the middle of a paragraph line near the middle of the draft.
            let middle = text.len() / 2;
            let line = text[middle..].find('\n').map_or(middle, |i| middle + i + 1);
            let at = line
                + text[line..]
                    .find(|c: char| c.is_ascii_lowercase())
                    .unwrap_or(0);
            let mut cache = AnalysisCache::new();
            cache.reanalyze(&text, kind, &config);
            let mut typed = false;
            group.bench_function(BenchmarkId::from_parameter(flavor.name()), |b| {
                b.iter(|| {
                    if typed {
                        text.remove(at);
                    } else {
                        text.insert(at, 'x');
                    }
                    typed = !typed;
                    cache.reanalyze(black_box(&text), kind, &config)
                })
            });
        }
        group.finish();
    }
}

/// The first analysis of a freshly opened draft: an empty [`AnalysisCache`] cutting the
/// draft into chunks, reading them and assembling the document — what the server does on
/// `didOpen` (and after a configuration change).
fn bench_open(c: &mut Criterion) {
    let config = Config::default();
    for (bytes, label) in server_sizes() {
        let mut group = c.benchmark_group(format!("open/{label}"));
        group.sample_size(if bytes > MIB { 10 } else { 20 });
        for flavor in Flavor::ALL {
            let text = draft(flavor, bytes);
            let kind = kind(flavor);
            group.throughput(Throughput::Bytes(text.len() as u64));
            group.bench_function(BenchmarkId::from_parameter(flavor.name()), |b| {
                b.iter(|| AnalysisCache::new().reanalyze(black_box(&text), kind, &config))
            });
        }
        group.finish();
    }
}

/// Writes the generated drafts to `dir` (for `scripts/bench-cli.sh`, which times the
/// binary on the very bytes measured here).
fn dump(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    for size in &SIZES {
        for flavor in Flavor::ALL {
            let extension = if flavor.is_markdown() { "md" } else { "txt" };
            let name = format!("draft-{}-{}.{extension}", size.name, flavor.name());
            std::fs::write(dir.join(&name), draft(flavor, size.bytes))?;
            println!("{}", dir.join(&name).display());
        }
    }
    Ok(())
}

/// Each rule's own cost: [`analyze`] on the 1 MiB Markdown draft with only that rule on,
/// next to `parse/…` (no rule at all). A rule's share is its time minus the parse's. With
/// `POLICY_LSP_BENCH_RULES=1` only (the group is skipped otherwise, to keep a full run short).
fn bench_rules(c: &mut Criterion) {
    if std::env::var_os("POLICY_LSP_BENCH_RULES").is_none() {
        return;
    }
    let (bytes, label) = large();
    let text = draft(Flavor::Markdown, bytes);
    let mut group = c.benchmark_group(format!("rules/{label}"));
    group.sample_size(10);
    group.throughput(Throughput::Bytes(text.len() as u64));
    for rule in policy_lsp::rules::RULES {
        let only: String = policy_lsp::rules::RULES
            .iter()
            .map(|r| {
                let level = if r.name == rule.name { "error" } else { "off" };
                format!("{} = \"{level}\"\n", r.name)
            })
            .collect();
        let config = Config::parse(&format!("[rules]\n{only}"), "bench")
            .expect("every rule name is a valid key");
        group.bench_with_input(BenchmarkId::from_parameter(rule.name), &text, |b, text| {
            b.iter(|| analyze(black_box(text), DocumentKind::Markdown, &config))
        });
    }
    group.finish();
}

criterion_group!(
    benches,
    bench_analyze,
    bench_parse,
    bench_positions,
    bench_edit,
    bench_open,
    bench_rules
);

fn main() {
    if let Some(dir) = std::env::var_os("POLICY_LSP_BENCH_DUMP") {
        if let Err(err) = dump(Path::new(&dir)) {
            eprintln!("cannot write the drafts: {err}");
            std::process::exit(2);
        }
        return;
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
}
