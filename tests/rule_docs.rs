//! `docs/rules/NAME.md` holds each rule's documentation — its module's `//!` comment, what
//! `policy-lsp rule NAME` prints — so that diagnostics can link to a page
//! (`codeDescription`). The pages are generated; this test keeps them equal to the registry.
//! After changing a rule's doc comment, regenerate them with
//! `POLICY_LSP_UPDATE_DOCS=1 cargo test --test rule_docs`.

use std::path::{Path, PathBuf};

use policy_lsp::rules::{Rule, RULES};

const UPDATE: &str = "POLICY_LSP_UPDATE_DOCS";

fn docs_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/rules")
}

/// The page for one rule: a generated-file notice, the doc's title, the default severity,
/// then the rest of the doc.
fn page(rule: &Rule) -> String {
    let doc = rule.doc();
    let (title, body) = doc.split_once('\n').unwrap_or((doc.as_str(), ""));
    format!(
        "<!-- Generated from the rule's module doc comment in src/rules/ by tests/rule_docs.rs; \
         do not edit by hand. -->\n{title}\n\nDefault severity: {}.\n{}\n",
        rule.default_severity.as_str(),
        body.trim_end()
    )
}

#[test]
fn every_rule_has_its_page_and_nothing_else_is_there() {
    let dir = docs_dir();
    let update = std::env::var_os(UPDATE).is_some();
    let mut stale = Vec::new();
    for rule in RULES {
        let path = dir.join(format!("{}.md", rule.name));
        let expected = page(rule);
        if update {
            std::fs::write(&path, &expected).expect("write the rule's page");
        } else if std::fs::read_to_string(&path).ok().as_deref() != Some(expected.as_str()) {
            stale.push(path.display().to_string());
        }
    }
    let extra: Vec<String> = std::fs::read_dir(&dir)
        .expect("docs/rules exists")
        .map(|entry| entry.expect("a directory entry").file_name())
        .map(|name| name.to_string_lossy().into_owned())
        .filter(|name| {
            !RULES
                .iter()
                .any(|rule| name.strip_suffix(".md") == Some(rule.name))
        })
        .collect();
    assert!(
        stale.is_empty(),
        "out of date (run `{UPDATE}=1 cargo test --test rule_docs`): {stale:?}"
    );
    assert!(
        extra.is_empty(),
        "pages for no rule in docs/rules: {extra:?}"
    );
}
