//! Output formats: one enum, one renderer module each.

mod github;
pub mod human;
mod json;
mod sarif;

use std::io::{self, Write};

use clap::ValueEnum;

use super::report::FileReport;

/// How `check` prints its findings.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// `path:line:col: severity[rule] message` and the source line, underlined.
    #[default]
    Human,
    /// A JSON array of flat objects, one per finding.
    Json,
    /// GitHub Actions workflow commands, which annotate the pull request.
    Github,
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.
    Sarif,
}

impl OutputFormat {
    /// Renders every finding of `files` (sorted by path, each sorted by position).
    pub fn write(self, files: &[FileReport], out: &mut dyn Write) -> io::Result<()> {
        match self {
            OutputFormat::Human => human::write(files, out),
            OutputFormat::Json => json::write(files, out),
            OutputFormat::Github => github::write(files, out),
            OutputFormat::Sarif => sarif::write(files, out),
        }
    }
}

/// Each format rendering the same hand-made findings, so these snapshots change only when a
/// renderer does, whatever the rules come to report (the CLI tests cover real findings).
#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{Analysis, Diagnostic, Document, DocumentKind, Fix, Severity};
    use crate::config::Config;

    fn report(path: &str, kind: DocumentKind, text: &str, findings: &[Finding]) -> FileReport {
        let document = Document::parse(text, kind, &Config::default());
        let diagnostics = findings
            .iter()
            .map(|f| {
                let start = text.find(f.at).expect("the finding's text is in the draft");
                let range = start..start + f.at.len();
                Diagnostic {
                    rule: f.rule,
                    severity: f.severity,
                    message: f.message.into(),
                    fix: f
                        .fix
                        .map(|(title, to)| Fix::replace(title, range.clone(), to)),
                    range,
                }
            })
            .collect();
        FileReport {
            path: path.into(),
            analysis: Analysis {
                document,
                diagnostics,
            },
        }
    }

    struct Finding {
        rule: &'static str,
        severity: Severity,
        at: &'static str,
        message: &'static str,
        fix: Option<(&'static str, &'static str)>,
    }

    /// Every severity; a non-ASCII line (columns count characters, not bytes); a range over
    /// two lines; a fix; a path with a space; messages with `%`, `,` and `:`.
    fn sample() -> Vec<FileReport> {
        let harbour = "# Harbour plan\n\nThe café?s budget grew to 30 trillion by 2030.\n\n\
                       “We will finish,\nthe minister said\n";
        let notes = "Ferry fares rose 12% last year.\n";
        vec![
            report(
                "drafts/harbour plan.md",
                DocumentKind::Markdown,
                harbour,
                &[
                    Finding {
                        rule: "encoding-artifact",
                        severity: Severity::Warning,
                        at: "?",
                        message: "`?` stands where `’` was: the text went through the wrong encoding",
                        fix: Some(("Replace `?` with `’`", "’")),
                    },
                    Finding {
                        rule: "figure-without-unit",
                        severity: Severity::Error,
                        at: "30 trillion",
                        message: "`30 trillion` has no unit: say 30 trillion of what (won, tonnes, 100%?)",
                        fix: None,
                    },
                    Finding {
                        rule: "unbalanced-quote",
                        severity: Severity::Information,
                        at: "“We will finish,\nthe",
                        message: "`“` is never closed",
                        fix: None,
                    },
                ],
            ),
            report(
                "notes.txt",
                DocumentKind::PlainText,
                notes,
                &[Finding {
                    rule: "relative-date",
                    severity: Severity::Hint,
                    at: "last year",
                    message: "`last year` depends on when the draft is read: give the year",
                    fix: None,
                }],
            ),
        ]
    }

    fn render(format: OutputFormat) -> String {
        let mut out = Vec::new();
        format.write(&sample(), &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn human() {
        insta::assert_snapshot!(
            anstream::adapter::strip_str(&render(OutputFormat::Human)).to_string()
        );
    }

    #[test]
    fn json() {
        insta::assert_snapshot!(render(OutputFormat::Json));
    }

    #[test]
    fn github() {
        insta::assert_snapshot!(render(OutputFormat::Github));
    }

    /// The CLI tests validate SARIF against the schema; this pins its shape.
    #[test]
    fn sarif() {
        let mut log: serde_json::Value =
            serde_json::from_str(&render(OutputFormat::Sarif)).unwrap();
        // The registry and the rules' documentation grow on their own schedule: keep one
        // rule's descriptor, with its doc text elided, and no rule indices.
        let driver = &mut log["runs"][0]["tool"]["driver"];
        driver["version"] = "[version]".into();
        let rules = driver["rules"].as_array_mut().unwrap();
        rules.retain(|rule| rule["id"] == "encoding-artifact");
        for text in ["fullDescription", "help"] {
            rules[0][text] = "[the rule's doc]".into();
        }
        for result in log["runs"][0]["results"].as_array_mut().unwrap() {
            result["ruleIndex"] = "[index]".into();
        }
        insta::assert_json_snapshot!(log);
    }
}
