//! `--format json`: an array of flat objects, one per finding, for scripts and scorers.

use std::io::{self, Write};

use serde::Serialize;

use crate::cli::report::{FileReport, Location};

#[derive(Serialize)]
struct JsonFinding<'a> {
    path: String,
    rule: &'static str,
    severity: &'static str,
    message: &'a str,
    #[serde(flatten)]
    location: Location,
    #[serde(skip_serializing_if = "Option::is_none")]
    fix: Option<JsonFix<'a>>,
}

#[derive(Serialize)]
struct JsonFix<'a> {
    title: &'a str,
    edits: Vec<JsonEdit<'a>>,
}

#[derive(Serialize)]
struct JsonEdit<'a> {
    #[serde(flatten)]
    location: Location,
    replacement: &'a str,
}

pub fn write(files: &[FileReport], out: &mut dyn Write) -> io::Result<()> {
    let findings: Vec<JsonFinding> = files
        .iter()
        .flat_map(|file| {
            let path = file.path.to_string_lossy().into_owned();
            file.diagnostics().iter().map(move |d| JsonFinding {
                path: path.clone(),
                rule: d.rule,
                severity: d.severity.as_str(),
                message: &d.message,
                location: file.location(&d.range),
                fix: d.fix.as_ref().map(|fix| JsonFix {
                    title: &fix.title,
                    edits: fix
                        .edits
                        .iter()
                        .map(|edit| JsonEdit {
                            location: file.location(&edit.range),
                            replacement: &edit.replacement,
                        })
                        .collect(),
                }),
            })
        })
        .collect();
    serde_json::to_writer_pretty(&mut *out, &findings)?;
    writeln!(out)
}
