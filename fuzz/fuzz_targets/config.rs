//! `Config::parse` never panics on any text: it returns a configuration or an error that
//! names a line and column inside the text. Accepted configurations are then used for an
//! analysis, so vocabulary and glossary words of any shape are exercised too.

#![no_main]

use libfuzzer_sys::fuzz_target;
use policy_lsp::analysis::{analyze, DocumentKind};
use policy_lsp::config::Config;

#[path = "../../tests/invariants/mod.rs"]
mod invariants;

const DRAFT: &str = "# 1. Purpose\n\nThe Ministry (MOEF) said \"we will invest 30 trillion won\" \
    in 2025.\n\n\"Cluster\" means a hub. See Article 12 and 제1조. Sources say 12% growth.\n";

fuzz_target!(|source: &str| {
    match Config::parse(source, "policy-lsp.toml") {
        Ok(config) => {
            let analysis = analyze(DRAFT, DocumentKind::Markdown, &config);
            invariants::check_analysis(DRAFT, &analysis);
        }
        Err(error) => {
            let lines = source.split('\n').count();
            if let Some(line) = error.line {
                assert!((1..=lines).contains(&line), "{error}");
            }
            assert!(!error.message.is_empty());
            let _ = error.to_string();
        }
    }
});
