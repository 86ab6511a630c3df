//! Tests are data: every rule has a fixture draft under `tests/fixtures/rules/<rule>.md` (or
//! `.txt`) holding what it must flag and the look-alikes it must leave alone, and an insta
//! snapshot of exactly what it reports there — position, flagged text, message and fix.

use std::fmt::Write;
use std::path::Path;

use policy_lsp::analysis::{analyze, DocumentKind, Encoding};
use policy_lsp::config::Config;
use policy_lsp::rules::RULES;

fn fixture(rule: &str) -> (String, String) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rules");
    for ext in ["md", "txt"] {
        let name = format!("{rule}.{ext}");
        if let Ok(text) = std::fs::read_to_string(dir.join(&name)) {
            return (name, text);
        }
    }
    panic!("rule `{rule}` has no fixture: add tests/fixtures/rules/{rule}.md or .txt");
}

/// `line:column-end_column `text` message [fix: …]`, one finding per line; columns in
/// characters, 1-based.
fn findings(rule: &str) -> String {
    let (name, text) = fixture(rule);
    let analysis = analyze(
        &text,
        DocumentKind::from_file_name(&name),
        &Config::default(),
    );
    let doc = &analysis.document;
    let mut out = String::new();
    for d in analysis.diagnostics.iter().filter(|d| d.rule == rule) {
        let start = doc.lines.position(&text, d.range.start, Encoding::Utf32);
        let end = doc.lines.position(&text, d.range.end, Encoding::Utf32);
        write!(
            out,
            "{}:{}-{}:{} `{}` {}",
            start.line + 1,
            start.column + 1,
            end.line + 1,
            end.column + 1,
            &text[d.range.clone()],
            d.message
        )
        .unwrap();
        if let Some(fix) = &d.fix {
            let edits: Vec<String> = fix
                .edits
                .iter()
                .map(|e| format!("`{}` → `{}`", &text[e.range.clone()], e.replacement))
                .collect();
            write!(out, " [fix: {}: {}]", fix.title, edits.join(", ")).unwrap();
        }
        out.push('\n');
    }
    out
}

#[test]
fn every_rule_on_its_fixture() {
    for rule in RULES {
        let found = findings(rule.name);
        assert!(
            !found.is_empty(),
            "`{}` flags nothing in its fixture",
            rule.name
        );
        insta::assert_snapshot!(rule.name, found);
    }
}
