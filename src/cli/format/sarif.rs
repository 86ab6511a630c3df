//! `--format sarif`: SARIF 2.1.0 as GitHub code scanning accepts it: the tool with every rule
//! (its documentation and default level), and each finding with its file and region.

use std::io::{self, Write};

use serde_json::{json, Value};

use crate::analysis::{Diagnostic, Severity};
use crate::cli::report::FileReport;
use crate::rules::{Rule, RULES};

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

pub fn write(files: &[FileReport], out: &mut dyn Write) -> io::Result<()> {
    let results: Vec<Value> = files
        .iter()
        .flat_map(|file| file.diagnostics().iter().map(move |d| result(file, d)))
        .collect();
    let log = json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": driver() },
            // Our columns count Unicode characters, not SARIF's usual UTF-16 units.
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    serde_json::to_writer_pretty(&mut *out, &log)?;
    writeln!(out)
}

fn driver() -> Value {
    let mut driver = json!({
        "name": env!("CARGO_PKG_NAME"),
        "version": env!("CARGO_PKG_VERSION"),
        "rules": RULES.iter().map(|rule| descriptor(rule)).collect::<Vec<_>>(),
    });
    // Cargo sets this from the manifest's `repository`, empty when there is none.
    let repository = env!("CARGO_PKG_REPOSITORY");
    if !repository.is_empty() {
        driver["informationUri"] = json!(repository);
    }
    driver
}

fn descriptor(rule: &Rule) -> Value {
    let doc = rule.doc();
    json!({
        "id": rule.name,
        "name": rule.name,
        "shortDescription": { "text": rule.summary() },
        "fullDescription": { "text": doc },
        "help": { "text": doc, "markdown": doc },
        "defaultConfiguration": { "level": level(rule.default_severity) },
    })
}

fn result(file: &FileReport, diagnostic: &Diagnostic) -> Value {
    let at = file.location(&diagnostic.range);
    let mut result = json!({
        "ruleId": diagnostic.rule,
        "level": level(diagnostic.severity),
        "message": { "text": diagnostic.message },
        "locations": [{
            "physicalLocation": {
                "artifactLocation": { "uri": uri(&file.slash_path(), file.path.is_absolute()) },
                "region": {
                    "startLine": at.line,
                    "startColumn": at.column,
                    "endLine": at.end_line,
                    "endColumn": at.end_column,
                },
            },
        }],
    });
    if let Some(index) = RULES.iter().position(|r| r.name == diagnostic.rule) {
        result["ruleIndex"] = json!(index);
    }
    result
}

/// SARIF has no level below `note`.
fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Information | Severity::Hint => "note",
    }
}

/// A path as a URI: relative paths (the usual case, resolved against the repository root
/// by code scanning) as relative references, absolute ones as `file:` URIs. Bytes other
/// than unreserved characters and `/` are percent-encoded.
fn uri(path: &str, absolute: bool) -> String {
    let mut uri = String::with_capacity(path.len());
    if absolute {
        uri.push_str(if path.starts_with('/') {
            "file://"
        } else {
            "file:///"
        });
    }
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            uri.push(byte as char);
        } else {
            uri.push_str(&format!("%{byte:02X}"));
        }
    }
    uri
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_become_uri_references() {
        assert_eq!(uri("docs/a b/ü.md", false), "docs/a%20b/%C3%BC.md");
        assert_eq!(uri("/srv/drafts/a.md", true), "file:///srv/drafts/a.md");
        assert_eq!(uri("C:/drafts/a.md", true), "file:///C%3A/drafts/a.md");
    }
}
