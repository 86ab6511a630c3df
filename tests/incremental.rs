//! The incremental analysis equals the whole one: `AnalysisCache::reanalyze` against
//! `analyze` on every fixture, example and generated draft, cold and after edits, and after
//! thousands of random edits of the kinds that move block boundaries.

#[path = "../benches/corpus/mod.rs"]
#[allow(dead_code)]
mod corpus;

use std::path::Path;

use policy_lsp::analysis::{analyze, Analysis, AnalysisCache, DocumentKind};
use policy_lsp::config::Config;

/// `reanalyze` of `text` on `cache` equals `analyze` of it.
fn assert_reanalysis_equal(
    cache: &mut AnalysisCache,
    text: &str,
    kind: DocumentKind,
    config: &Config,
    what: &str,
) {
    assert_same(
        &cache.reanalyze(text, kind, config),
        &analyze(text, kind, config),
        what,
    );
}

/// Panics, naming the first difference, unless `got` equals `want`.
#[track_caller]
fn assert_same(got: &Analysis, want: &Analysis, what: &str) {
    let (g, w) = (&got.document, &want.document);
    assert_eq!(g.text, w.text, "{what}: text");
    assert_eq!(g.kind, w.kind, "{what}: kind");
    if g.prose != w.prose {
        let at = g
            .prose
            .bytes()
            .zip(w.prose.bytes())
            .position(|(a, b)| a != b)
            .unwrap_or(0);
        let from = at.saturating_sub(300);
        let to = (at + 100).min(g.text.len());
        let _ = std::fs::write(
            std::env::temp_dir().join("incremental-failure.txt"),
            &g.text,
        );
        panic!(
            "{what}: prose mask differs at byte {at}:\n text {:?}\n got  {:?}\n want {:?}",
            String::from_utf8_lossy(&g.text.as_bytes()[from..to]),
            String::from_utf8_lossy(&g.prose.as_bytes()[from..to]),
            String::from_utf8_lossy(&w.prose.as_bytes()[from..to]),
        );
    }
    assert_eq!(
        format!("{:?}", g.lines),
        format!("{:?}", w.lines),
        "{what}: line index"
    );
    fn first_difference<T: PartialEq + std::fmt::Debug>(what: &str, field: &str, g: &[T], w: &[T]) {
        if let Some(i) = (0..g.len().min(w.len())).find(|&i| g[i] != w[i]) {
            panic!(
                "{what}: {field}[{i}] differs:\n got  {:?}\n want {:?}",
                g[i], w[i]
            );
        }
        assert_eq!(g.len(), w.len(), "{what}: number of {field}");
    }
    first_difference(what, "blocks", &g.blocks, &w.blocks);
    first_difference(what, "sentences", &g.sentences, &w.sentences);
    first_difference(what, "block_quotes", &g.block_quotes, &w.block_quotes);
    first_difference(what, "sections", &g.sections, &w.sections);
    first_difference(what, "quotations", &g.quotations, &w.quotations);
    first_difference(
        what,
        "unpaired_quote_marks",
        &g.unpaired_quote_marks,
        &w.unpaired_quote_marks,
    );
    first_difference(what, "figures", &g.figures, &w.figures);
    first_difference(
        what,
        "definitions",
        &g.terms.definitions,
        &w.terms.definitions,
    );
    for d in &w.terms.definitions {
        let a: Vec<_> = g.terms.lookup(&d.term).collect();
        let b: Vec<_> = w.terms.lookup(&d.term).collect();
        assert_eq!(a, b, "{what}: lookup of {:?}", d.term);
    }
    first_difference(what, "diagnostics", &got.diagnostics, &want.diagnostics);
}

fn kind_of(name: &str) -> DocumentKind {
    DocumentKind::from_file_name(name)
}

/// Every draft in the repository: rule fixtures, format fixtures, examples.
fn repository_drafts() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    for dir in ["tests/fixtures/rules", "tests/fixtures/formats", "examples"] {
        let mut entries: Vec<_> = std::fs::read_dir(root.join(dir))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.is_file())
            .collect();
        entries.sort();
        for path in entries {
            if let Ok(text) = std::fs::read_to_string(&path) {
                out.push((path.display().to_string(), text));
            }
        }
    }
    assert!(out.len() >= 10, "fixtures found: {}", out.len());
    out
}

fn generated_drafts(len: usize) -> Vec<(String, String)> {
    corpus::Flavor::ALL
        .iter()
        .map(|&f| {
            let ext = if f.is_markdown() { "md" } else { "txt" };
            (
                format!("generated-{}.{ext}", f.name()),
                corpus::draft(f, len),
            )
        })
        .collect()
}

/// A small deterministic generator (xorshift).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const PIECES: &[&str] = &[
    "a",
    "Z",
    " ",
    "\n",
    "\n\n",
    "\r\n",
    "\r\n\r\n",
    "\r",
    "\"",
    "“",
    "”",
    "'",
    "’",
    "「",
    "」",
    "# ",
    "## ",
    "\n# Title\n",
    "```",
    "\n```\n",
    "~~~",
    "|",
    " | ",
    "\n| a | b |\n|---|---|\n",
    "> ",
    "\n> ",
    "- ",
    "\n- ",
    "1. ",
    "\n1. Introduction\n",
    "   ",
    "    ",
    "\t",
    // A paragraph indented as licences and memos indent theirs.
    "\n\n  ",
    "<!--",
    "-->",
    "<!-- policy-lsp: ignore -->",
    "\n\n<div>\n",
    "</div>",
    "[^1]",
    "[x]",
    // Link references and their definitions, in other chunks: labels match without regard
    // to case or runs of white space.
    "\n\n[x]: http://example.org/x\n\n",
    "\n\n[Long  Label]: /u \"Title\"\n\n",
    "[X][]",
    "[the text][long label]",
    "![chart][x]",
    "\n\n[^1]: A note.\n\n",
    "정부는 ",
    "5조 원",
    "🚢",
    "✅",
    "30 trillion",
    " (KRW)",
    "\"the Fund\" means ",
    "(MOEF)",
    "Ministry of Economy and Finance (MOEF)",
    "Section 2",
    "see Section 3",
    "\n===\n",
    "\n---\n",
    "***",
    "*",
    "_",
    "`",
    "<",
    ">",
    "Article 5",
    "\n\nII. ",
    "\n\nDEFINITIONS\n\n",
    "\n## Definitions\n",
    "**Term**: meaning\n",
    "next week",
    "experts say",
    "NATO",
    // An acronym and the same word in lower case (emphasis, not an acronym).
    "NOTE ",
    " note ",
    "R&D",
    " r&d ",
    // A pronoun speaker explained, or not, by the paragraph before.
    "She added, \"We will publish every score.\" ",
    "Minister Choi closed the session. ",
    "\u{FFFD}",
    "Ã©",
    "http://example.org/a",
    "\u{3000}",
];

/// Applies one random edit at a character boundary.
fn random_edit(rng: &mut Rng, text: &mut String) {
    let mut at = rng.below(text.len() + 1);
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    match rng.below(3) {
        0 => {
            // Delete up to a few characters (sometimes a line or two).
            let longest = if rng.below(4) == 0 { 80 } else { 4 };
            let mut end = (at + 1 + rng.below(longest)).min(text.len());
            while !text.is_char_boundary(end) {
                end += 1;
            }
            text.replace_range(at..end, "");
        }
        _ => {
            let piece = PIECES[rng.below(PIECES.len())];
            text.insert_str(at, piece);
        }
    }
}

#[test]
fn equal_on_every_repository_draft() {
    let config = Config::default();
    for (name, text) in repository_drafts() {
        let kind = kind_of(&name);
        let mut cache = AnalysisCache::with_min_chunk(1);
        assert_reanalysis_equal(&mut cache, &text, kind, &config, &name);
        eprintln!("{name}: {:?}", cache.chunking());
        // The other kind too: a Markdown draft read as plain text and the reverse.
        let other = match kind {
            DocumentKind::Markdown => DocumentKind::PlainText,
            DocumentKind::PlainText => DocumentKind::Markdown,
        };
        assert_reanalysis_equal(
            &mut cache,
            &text,
            other,
            &config,
            &format!("{name} as {other:?}"),
        );
    }
}

#[test]
fn equal_on_generated_drafts_cold_and_edited() {
    let config = Config::default();
    for (name, mut text) in generated_drafts(60_000) {
        let kind = kind_of(&name);
        let mut cache = AnalysisCache::with_min_chunk(1);
        assert_reanalysis_equal(&mut cache, &text, kind, &config, &name);
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        for step in 0..40 {
            random_edit(&mut rng, &mut text);
            assert_reanalysis_equal(
                &mut cache,
                &text,
                kind,
                &config,
                &format!("{name} after edit {step}"),
            );
        }
    }
}

/// Many random edits to small drafts, compared after each.
#[test]
fn equal_after_random_edits() {
    let config = Config::default();
    let mut drafts = repository_drafts();
    drafts.extend(generated_drafts(8_000));
    let (mut steps, mut chunked) = (0, 0);
    for (seed, (name, original)) in drafts.into_iter().enumerate() {
        for kind in [DocumentKind::Markdown, DocumentKind::PlainText] {
            let mut rng = Rng(0x2545_F491_4F6C_DD1D ^ ((seed as u64 + 1) * 0x9E37_79B9));
            let mut text = original.clone();
            let mut cache = AnalysisCache::with_min_chunk(1);
            for step in 0..150 {
                random_edit(&mut rng, &mut text);
                let got = cache.reanalyze(&text, kind, &config);
                let want = analyze(&text, kind, &config);
                assert_same(&got, &want, &format!("{name} ({kind:?}) after edit {step}"));
                let (chunks, whole) = cache.chunking();
                steps += 1;
                if chunks > 1 && !whole {
                    chunked += 1;
                }
            }
        }
    }
    // The comparison means something only if most drafts were really cut into chunks.
    assert!(
        chunked * 2 > steps,
        "{chunked} of {steps} steps were chunked"
    );
}

/// Plain-text drafts that indent their paragraphs (licences, memos) are cut into chunks
/// like any other, and stay equal to `analyze` as their paragraphs are edited.
#[test]
fn indented_plain_text_paragraphs_are_chunked() {
    let config = Config::default();
    let mut text: String = (0..40)
        .map(|i| {
            format!(
                "  {i}. The Licensee (\"the Fund\") shall report 30 trillion won\n  \
                 within 12 months, as the Ministry of Finance (MOF) said.\n\n"
            )
        })
        .collect();
    let mut cache = AnalysisCache::new();
    assert_reanalysis_equal(
        &mut cache,
        &text,
        DocumentKind::PlainText,
        &config,
        "indented",
    );
    let (chunks, whole) = cache.chunking();
    assert!(chunks > 1 && !whole, "{chunks} chunks");
    let mut rng = Rng(0x5DEE_CE66_D1CE_4E5B);
    for step in 0..60 {
        random_edit(&mut rng, &mut text);
        let what = format!("indented after edit {step}");
        assert_reanalysis_equal(&mut cache, &text, DocumentKind::PlainText, &config, &what);
    }
}

/// A link reference definition applies to the whole draft: chunks read alone resolve
/// their references to definitions in other chunks, and are read again when the draft's
/// definitions change. A footnote definition is read with the whole draft, and so is a
/// draft whose references might exhaust the parser's budget for expanding them.
#[test]
fn link_reference_definitions_resolve_across_chunks() {
    let config = Config::default();
    let mut text = String::from(
        "# Plan\n\nSee [the fund] and [^1].\n\nThe fund grew 5 trillion.\n\n## Costs\n\nSome text.\n",
    );
    let mut cache = AnalysisCache::with_min_chunk(1);
    let kind = DocumentKind::Markdown;
    assert_reanalysis_equal(&mut cache, &text, kind, &config, "before");
    assert!(!cache.chunking().1);
    let unresolved = analyze(&text, kind, &config).document.prose;
    for (definition, whole) in [
        ("[The  Fund]: https://example.org\n", false),
        ("[^1]: A note.\n", false),
    ] {
        let at = text.len();
        text.push('\n');
        text.push_str(definition);
        assert_reanalysis_equal(&mut cache, &text, kind, &config, definition);
        assert_eq!(cache.chunking().1, whole, "{definition}");
        assert!(cache.chunking().0 > 1);
        // The reference's brackets are markup once it resolves.
        let prose = analyze(&text, kind, &config).document.prose;
        assert_ne!(prose[..at], unresolved[..at], "{definition}");
        text.truncate(at);
        assert_reanalysis_equal(&mut cache, &text, kind, &config, "after");
        assert!(!cache.chunking().1);
    }
    // A draft ending in an unclosed fence would take in footnote definitions appended to
    // its last chunk: read whole.
    text = "See [^1].\n\n[^1]: A note.\n\nMore [^1].\n\n```\nSee [^1].\n".to_owned();
    assert_reanalysis_equal(&mut cache, &text, kind, &config, "unclosed fence");
    assert!(cache.chunking().1);
    text.push_str("```\n");
    assert_reanalysis_equal(&mut cache, &text, kind, &config, "closed fence");
    assert!(!cache.chunking().1);
    // 100 references to a 1,000-byte destination could spend the whole budget.
    let long = format!("\n[far]: https://example.org/{}\n", "a".repeat(1_000));
    let references: String = (0..100)
        .map(|i| format!("\nPoint {i} is [far].\n"))
        .collect();
    text = format!("{references}{long}");
    assert_reanalysis_equal(&mut cache, &text, kind, &config, "budget");
    assert!(cache.chunking().1);
}

/// A changed configuration or kind is never answered from chunks read under another.
#[test]
fn configuration_changes_are_seen() {
    let text = "# Plan\n\nThe fund will grow to 30 trillion by 2030.\n\nNext week, NATO said so.\n";
    let mut cache = AnalysisCache::with_min_chunk(1);
    let default = Config::default();
    let quiet = Config::parse(
        "[rules]\nfigure-without-unit = \"off\"\n",
        "policy-lsp.toml",
    )
    .unwrap();
    for config in [&default, &quiet, &default] {
        assert_same(
            &cache.reanalyze(text, DocumentKind::Markdown, config),
            &analyze(text, DocumentKind::Markdown, config),
            "configuration change",
        );
    }
}

/// Where the time of one edit goes, on the draft named by `POLICY_LSP_PROFILE_FILE`: the
/// whole re-analysis, and each rule alone on the assembled document. A measuring aid, not
/// a test: `cargo test --release --test incremental profile -- --ignored --nocapture`.
#[test]
#[ignore]
fn profile() {
    use policy_lsp::rules::RULES;
    use std::time::Instant;
    let Some(path) = std::env::var_os("POLICY_LSP_PROFILE_FILE") else {
        return;
    };
    let path = Path::new(&path);
    let mut text = std::fs::read_to_string(path).unwrap();
    let kind = kind_of(&path.display().to_string());
    let config = Config::default();
    let cold_rounds: u32 = std::env::var("POLICY_LSP_PROFILE_COLD")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(1);
    let t = Instant::now();
    for _ in 1..cold_rounds {
        std::hint::black_box(AnalysisCache::new().reanalyze(&text, kind, &config));
    }
    let mut cache = AnalysisCache::new();
    let mut analysis = cache.reanalyze(&text, kind, &config);
    eprintln!(
        "cold: {:?}, chunks {:?}",
        t.elapsed() / cold_rounds,
        cache.chunking()
    );
    let at = text.len() / 2;
    let at = at + text[at..].find(|c: char| c.is_ascii_lowercase()).unwrap();
    let rounds: u32 = std::env::var("POLICY_LSP_PROFILE_EDITS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(20);
    let t = Instant::now();
    for i in 0..rounds {
        if i % 2 == 0 {
            text.insert(at, 'x');
        } else {
            text.remove(at);
        }
        analysis = cache.reanalyze(&text, kind, &config);
    }
    eprintln!("edit: {:?}", t.elapsed() / rounds);
    if std::env::var_os("POLICY_LSP_PROFILE_EDITS_ONLY").is_some() {
        return;
    }
    let t = Instant::now();
    for _ in 0..rounds {
        std::hint::black_box(analyze(&text, kind, &config));
    }
    eprintln!("analyze: {:?}", t.elapsed() / rounds);
    for rule in RULES {
        let mut source = String::from("[rules]\n");
        for other in RULES.iter().filter(|r| r.name != rule.name) {
            source.push_str(&format!("{} = \"off\"\n", other.name));
        }
        let only = Config::parse(&source, "policy-lsp.toml").unwrap();
        let t = Instant::now();
        for _ in 0..rounds {
            std::hint::black_box(policy_lsp::rules::run_all(&analysis.document, &only));
        }
        let scope = match rule.scope {
            policy_lsp::rules::Scope::Block => "block",
            policy_lsp::rules::Scope::Document => "document",
            policy_lsp::rules::Scope::Split { .. } => "split",
        };
        eprintln!("  {:<24} {:?} ({scope})", rule.name, t.elapsed() / rounds);
    }
    let t = Instant::now();
    for _ in 0..rounds {
        std::hint::black_box(policy_lsp::analysis::LineIndex::new(&text));
    }
    eprintln!("  line index {:?}", t.elapsed() / rounds);
    let t = Instant::now();
    for _ in 0..rounds {
        std::hint::black_box(policy_lsp::analysis::terms::TermIndex::build(
            &analysis.document,
        ));
    }
    eprintln!("  term index {:?}", t.elapsed() / rounds);
}

/// The same comparison on every `.md` and `.txt` file under `POLICY_LSP_COMPARE_DIR`
/// (drafts kept outside the repository), cold and after random edits:
/// `POLICY_LSP_COMPARE_DIR=… cargo test --release --test incremental compare_dir -- --ignored`.
#[test]
#[ignore]
fn compare_dir() {
    let Some(dir) = std::env::var_os("POLICY_LSP_COMPARE_DIR") else {
        return;
    };
    let edits: usize = std::env::var("POLICY_LSP_COMPARE_EDITS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(50);
    let mut pending = vec![std::path::PathBuf::from(dir)];
    let mut files = Vec::new();
    while let Some(path) = pending.pop() {
        if path.is_dir() {
            pending.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
        } else if path
            .extension()
            .is_some_and(|e| e == "md" || e == "txt" || e == "markdown")
        {
            files.push(path);
        }
    }
    files.sort();
    let config = Config::default();
    for path in &files {
        let Ok(mut text) = std::fs::read_to_string(path) else {
            continue;
        };
        let name = path.display().to_string();
        let kind = kind_of(&name);
        let mut cache = AnalysisCache::with_min_chunk(1);
        let mut rng = Rng(0x5EED ^ text.len() as u64);
        assert_reanalysis_equal(&mut cache, &text, kind, &config, &name);
        for step in 0..edits {
            random_edit(&mut rng, &mut text);
            assert_reanalysis_equal(
                &mut cache,
                &text,
                kind,
                &config,
                &format!("{name} after edit {step}"),
            );
        }
        eprintln!("{name}: equal ({:?})", cache.chunking());
    }
    assert!(!files.is_empty());
}

/// An ideographic space (U+3000, three bytes) before an acronym's expansion: the search for
/// the long form stepped one byte past each space and sliced inside it (a panic in
/// `analyze` itself, found by the random edits above).
#[test]
fn wide_space_before_an_expansion() {
    let text = "The fund was set up by the ministry\u{3000}of economy (MOE) in 2020.\n";
    let config = Config::default();
    for kind in [DocumentKind::Markdown, DocumentKind::PlainText] {
        assert_same(
            &AnalysisCache::new().reanalyze(text, kind, &config),
            &analyze(text, kind, &config),
            "wide space",
        );
    }
}
