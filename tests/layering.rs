//! The layering invariant of ARCHITECTURE.md: the analysis core, the rules, the built-in
//! glossary and the configuration parser are pure. They never name I/O in the standard
//! library, the front ends' crates (the LSP server's, the command line's) or the front-end
//! modules of this crate. Only the code is checked: comments and string literals may
//! mention anything.
//!
//! The test reads `src/` with `std::fs`, which is fine: it is a test, not the core.

use std::path::{Path, PathBuf};

/// The pure layers: directories (searched recursively) and single files, from the crate root.
const PURE: &[&str] = &["src/analysis", "src/rules", "src/glossary", "src/config.rs"];

/// Paths pure code must not name.
const FORBIDDEN: &[&str] = &[
    // I/O and the environment.
    "std::fs",
    "std::io",
    "std::net",
    "std::process",
    "std::env",
    // The language server's crates, and the protocol types.
    "tower_lsp",
    "tower_lsp_server",
    "lsp_types",
    "ls_types",
    "tokio",
    // The command line's crates.
    "clap",
    "ignore",
    "annotate_snippets",
    "anstream",
    // The front ends of this crate.
    "crate::cli",
    "crate::server",
];

#[test]
fn pure_layers_name_no_io_protocol_or_front_end() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for entry in PURE {
        collect_rust_files(&root.join(entry), &mut files);
    }
    assert!(
        files.iter().any(|f| f.ends_with("src/analysis/mod.rs")),
        "the layering test found no analysis sources under {}",
        root.display()
    );

    let mut violations = Vec::new();
    for file in &files {
        let source = std::fs::read_to_string(file).expect("source files are readable UTF-8");
        for (line, path) in forbidden_mentions(&source) {
            let shown = file.strip_prefix(root).unwrap_or(file);
            violations.push(format!("{}:{line}: `{path}`", shown.display()));
        }
    }
    assert!(
        violations.is_empty(),
        "the pure layers (analysis, rules, glossary, config) must not do I/O or depend on a \
         front end; move this code to src/cli or src/server and pass plain data in:\n  {}",
        violations.join("\n  ")
    );
}

fn collect_rust_files(path: &Path, out: &mut Vec<PathBuf>) {
    if path.is_dir() {
        let mut entries: Vec<_> = std::fs::read_dir(path)
            .expect("source directories are readable")
            .map(|e| e.expect("directory entries are readable").path())
            .collect();
        entries.sort();
        for entry in entries {
            collect_rust_files(&entry, out);
        }
    } else if path.extension().is_some_and(|e| e == "rs") {
        out.push(path.to_owned());
    }
}

/// Every forbidden path named in `source`, with its 1-based line.
fn forbidden_mentions(source: &str) -> Vec<(usize, &'static str)> {
    let code = strip_comments_and_literals(source);
    let line_of = |offset: usize| code[..offset].matches('\n').count() + 1;
    let mut found = Vec::new();

    // Paths written out in full, anywhere: `std::fs::read`, `clap::Parser`, `::std::io`.
    for &path in FORBIDDEN {
        let single_segment = !path.contains("::");
        for (at, _) in code.match_indices(path) {
            let after = &code[at + path.len()..];
            let ends = !after.starts_with(is_ident_char);
            let continues_as_path = after.trim_start().starts_with("::");
            if starts_path(&code, at) && ends && (!single_segment || continues_as_path) {
                found.push((line_of(at), path));
            }
        }
    }

    // `use` trees, whose groups hide paths: `use std::{fs, io::Read};`, `use clap;`.
    for (at, tree) in use_trees(&code) {
        for path in expand_use_tree(&tree) {
            if let Some(&bad) = FORBIDDEN.iter().find(|f| names(&path, f)) {
                if !found.contains(&(line_of(at), bad)) {
                    found.push((line_of(at), bad));
                }
            }
        }
    }
    found.sort();
    found
}

fn is_ident_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Whether a path starts at `at`: not in the middle of an identifier, nor a later segment of
/// another path (`foo::std::fs`); a leading `::` is fine.
fn starts_path(code: &str, at: usize) -> bool {
    let before = code[..at].trim_end();
    let before = before.strip_suffix("::").map_or(before, str::trim_end);
    let stripped_colons = before.len() != code[..at].trim_end().len();
    match before.chars().next_back() {
        None => true,
        Some(c) if stripped_colons => !is_ident_char(c) && c != '>',
        Some(_) => !code[..at].ends_with(is_ident_char),
    }
}

/// Whether `path` (`std::io::Read`) is `prefix` (`std::io`) or lies inside it.
fn names(path: &str, prefix: &str) -> bool {
    let path = path.trim_start_matches("::");
    path == prefix
        || path
            .strip_prefix(prefix)
            .is_some_and(|rest| rest.starts_with("::"))
}

/// The tree of every `use` and `extern crate` item, with its offset, whitespace removed.
fn use_trees(code: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for keyword in ["use", "extern crate"] {
        for (at, _) in code.match_indices(keyword) {
            let after = &code[at + keyword.len()..];
            let standalone =
                !code[..at].ends_with(is_ident_char) && after.starts_with(char::is_whitespace);
            if !standalone {
                continue;
            }
            let end = after.find(';').unwrap_or(after.len());
            // Aliases become `@alias` (no path has an `@`), then whitespace goes.
            let words: Vec<&str> = after[..end].split_whitespace().collect();
            let tree = words.join(" ").replace(" as ", "@").replace(' ', "");
            out.push((at, tree));
        }
    }
    out
}

/// `std::{fs,io::{Read,Write}}` → `std::fs`, `std::io::Read`, `std::io::Write`.
fn expand_use_tree(tree: &str) -> Vec<String> {
    let Some(open) = tree.find('{') else {
        let path = tree.split('@').next().unwrap_or(tree);
        return vec![path.trim_end_matches("::self").to_owned()];
    };
    let prefix = &tree[..open];
    let inner = tree[open + 1..]
        .strip_suffix('}')
        .unwrap_or(&tree[open + 1..]);
    let mut items = Vec::new();
    let (mut depth, mut start) = (0, 0);
    for (i, c) in inner.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                items.push(&inner[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    items.push(&inner[start..]);
    items
        .into_iter()
        .filter(|item| !item.is_empty())
        .flat_map(|item| {
            expand_use_tree(item).into_iter().map(move |rest| {
                if rest == "self" {
                    prefix.trim_end_matches("::").to_owned()
                } else {
                    format!("{prefix}{rest}")
                }
            })
        })
        .collect()
}

/// `source` with comments, string literals and character literals blanked (line breaks
/// kept, so offsets and line numbers stay those of the source).
fn strip_comments_and_literals(source: &str) -> String {
    let chars: Vec<char> = source.chars().collect();
    let mut out = String::with_capacity(source.len());
    let blank = |c: char| if c == '\n' { '\n' } else { ' ' };
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        let prev_is_ident = i > 0 && is_ident_char(chars[i - 1]);
        // Line comment (`//`, `///`, `//!`).
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                out.push(' ');
                i += 1;
            }
            continue;
        }
        // Block comment, nested.
        if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    depth += 1;
                    out.push_str("  ");
                    i += 2;
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    out.push_str("  ");
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    out.push(blank(chars[i]));
                    i += 1;
                }
            }
            continue;
        }
        // Raw string: r"…", r#"…"#, br#"…"#.
        let raw_at = match (c, next) {
            ('r', Some('"' | '#')) if !prev_is_ident => Some(i + 1),
            ('b', Some('r')) if !prev_is_ident && matches!(chars.get(i + 2), Some('"' | '#')) => {
                Some(i + 2)
            }
            _ => None,
        };
        if let Some(mut j) = raw_at {
            let mut hashes = 0;
            while chars.get(j) == Some(&'#') {
                hashes += 1;
                j += 1;
            }
            if chars.get(j) == Some(&'"') {
                j += 1;
                loop {
                    if j >= chars.len() {
                        break;
                    }
                    if chars[j] == '"' && (1..=hashes).all(|k| chars.get(j + k) == Some(&'#')) {
                        j += 1 + hashes;
                        break;
                    }
                    j += 1;
                }
                for &ch in &chars[i..j.min(chars.len())] {
                    out.push(blank(ch));
                }
                i = j;
                continue;
            }
        }
        // String literal (also b"…").
        if c == '"' {
            out.push(' ');
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                if chars[i] == '\\' {
                    out.push(' ');
                    i += 1;
                }
                if i < chars.len() {
                    out.push(blank(chars[i]));
                    i += 1;
                }
            }
            out.push(' ');
            i += 1;
            continue;
        }
        // Character literal ('x', '\n', '\u{2014}'); a lifetime ('a) is left alone.
        if c == '\'' {
            let end = if next == Some('\\') {
                (i + 2..chars.len()).find(|&j| chars[j] == '\'')
            } else if chars.get(i + 2) == Some(&'\'') {
                Some(i + 2)
            } else {
                None
            };
            if let Some(end) = end {
                for &ch in &chars[i..=end] {
                    out.push(blank(ch));
                }
                i = end + 1;
                continue;
            }
        }
        out.push(c);
        i += 1;
    }
    // Offsets must agree with the source: keep multi-byte characters' byte lengths.
    debug_assert_eq!(out.chars().count(), chars.len());
    pad_to_bytes(source, &out)
}

/// Re-pads `stripped` (one char per source char) so each char has the byte length of the
/// source char it replaced.
fn pad_to_bytes(source: &str, stripped: &str) -> String {
    source
        .chars()
        .zip(stripped.chars())
        .map(|(orig, new)| {
            if orig.len_utf8() == new.len_utf8() {
                new.to_string()
            } else {
                " ".repeat(orig.len_utf8())
            }
        })
        .collect()
}

#[test]
fn the_checker_finds_what_it_must() {
    let bad = [
        ("use std::fs;", "std::fs"),
        (
            "use std::{collections::HashMap, io::{self, Read}};",
            "std::io",
        ),
        ("fn f() { let _ = std::fs::read_to_string(p); }", "std::fs"),
        ("fn f() { ::std::process::exit(1) }", "std::process"),
        ("use clap::Parser;", "clap"),
        ("use clap;", "clap"),
        ("extern crate clap;", "clap"),
        (
            "fn f(x: tower_lsp_server::ls_types::Range) {}",
            "tower_lsp_server",
        ),
        ("use crate::{analysis, cli::check};", "crate::cli"),
        (
            "pub(crate) use crate::server::Backend as B;",
            "crate::server",
        ),
        ("use std :: env;", "std::env"),
        ("use std::{fmt as f, io as has_io};", "std::io"),
    ];
    for (code, path) in bad {
        let found = forbidden_mentions(code);
        assert!(
            found.iter().any(|&(_, p)| p == path),
            "`{code}` should name `{path}`, found {found:?}"
        );
    }
}

#[test]
fn the_checker_leaves_look_alikes_alone() {
    let fine = [
        "// Pure: no std::fs, no clap, no crate::cli here.\nfn f() {}",
        "/// Converted to lsp_types at the edge (see crate::server).\nfn f() {}",
        "/* use std::io; /* nested */ */ fn f() {}",
        r#"const S: &str = "use std::fs; clap::Parser";"#,
        r##"const R: &str = r#"std::io "quoted" crate::cli"#;"##,
        "fn f(ignore: bool, clap: u8) -> bool { ignore }",
        "use std::fmt::Write;\nuse std::iter;\nuse crate::analysis::Document;",
        "use crate::text::{has_io as cli, ignore_case};\nfn reuse() {}",
        "fn f<'a>(s: &'a str) -> char { let _ = '\"'; 'x' }",
        "use crate::config::Config; mod client_io { }",
        "fn f() { my::std::fs::thing() }",
        "fn f() -> String { \"—\".into() } // std::fs",
    ];
    for code in fine {
        assert_eq!(
            forbidden_mentions(code),
            [],
            "`{code}` names nothing forbidden"
        );
    }
}

#[test]
fn violations_are_reported_on_their_line() {
    let code = "//! doc\n\nuse std::sync::LazyLock;\nuse std::fs::File;\n";
    assert_eq!(forbidden_mentions(code), [(4, "std::fs")]);
}
