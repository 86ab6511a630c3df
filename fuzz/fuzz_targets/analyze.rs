//! Guarantee 1: `analyze` never panics, on any text, Markdown or plain text, and every
//! range it hands out lies inside the text on character boundaries (also as protocol
//! ranges in every encoding). The first byte picks the kind; the rest is the draft (made
//! UTF-8 lossily, so every input is a draft). Run with the dictionary:
//! `cargo +nightly fuzz run analyze -- -dict=dict/policy.dict`.

#![no_main]

use libfuzzer_sys::fuzz_target;
use policy_lsp::analysis::{analyze, DocumentKind};
use policy_lsp::config::Config;

#[path = "../../tests/invariants/mod.rs"]
mod invariants;

fuzz_target!(|data: &[u8]| {
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    let kind = if first & 1 == 0 {
        DocumentKind::Markdown
    } else {
        DocumentKind::PlainText
    };
    let text = String::from_utf8_lossy(rest);
    let analysis = analyze(&text, kind, &Config::default());
    invariants::check_analysis(&text, &analysis);
});
