//! `--format human`: `path:line:col: severity[rule] message`, then the source lines with the
//! range underlined (drawn by annotate-snippets), and a summary for stderr.

use std::borrow::Cow;
use std::io::{self, Write};
use std::ops::Range;
use std::time::Duration;

use annotate_snippets::renderer::{
    Effects, Style, DEFAULT_ERROR_STYLE, DEFAULT_INFO_STYLE, DEFAULT_NOTE_STYLE,
    DEFAULT_WARNING_STYLE,
};
use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

use crate::analysis::text::floor_char_boundary;
use crate::analysis::{Diagnostic, Severity};
use crate::cli::report::{FileReport, Tally};

/// Always styled: the caller's stream drops the colours when they are not wanted.
pub fn write(files: &[FileReport], out: &mut dyn Write) -> io::Result<()> {
    let renderer = Renderer::styled();
    for file in files {
        for diagnostic in file.diagnostics() {
            write_header(file, diagnostic, out)?;
            writeln!(out, "{}\n", renderer.render(&[snippet(file, diagnostic)]))?;
        }
    }
    Ok(())
}

/// `path:line:col: severity[rule] message`, the line editors and terminals make clickable.
fn write_header(file: &FileReport, diagnostic: &Diagnostic, out: &mut dyn Write) -> io::Result<()> {
    let at = file.location(&diagnostic.range);
    let bold = Style::new().effects(Effects::BOLD);
    let level = severity_style(diagnostic.severity);
    writeln!(
        out,
        "{bold}{}:{}:{}:{bold:#} {level}{}[{}]{level:#} {}",
        file.path.display(),
        at.line,
        at.column,
        diagnostic.severity,
        diagnostic.rule,
        diagnostic.message,
    )
}

/// The lines the finding spans, with its range underlined and its fix, if any, as help.
fn snippet<'a>(file: &'a FileReport, diagnostic: &'a Diagnostic) -> Group<'a> {
    let document = &file.analysis.document;
    let lines = spanned_lines(file, &diagnostic.range);
    let span = diagnostic.range.start - lines.start..diagnostic.range.end - lines.start;
    let source = Snippet::source(lone_cr_as_lf(&document.text[lines]))
        .line_start(document.lines.line_of(diagnostic.range.start) + 1)
        .annotation(AnnotationKind::Primary.span(span));
    let group = Group::with_level(level(diagnostic.severity)).element(source);
    match &diagnostic.fix {
        Some(fix) => group.element(Level::HELP.message(fix.title.as_str())),
        None => group,
    }
}

/// How much of a long line to show on each side of the finding.
const CONTEXT_BYTES: usize = 100;

/// Byte range of the lines `range` touches, without the final line break, cropped to
/// [`CONTEXT_BYTES`] around the finding so a megabyte-long line costs no more to show
/// than a short one.
fn spanned_lines(file: &FileReport, range: &Range<usize>) -> Range<usize> {
    let document = &file.analysis.document;
    let text = &document.text;
    let line_range = |offset| {
        let line = document.lines.line_of(offset);
        document
            .lines
            .line_range(text, line)
            .unwrap_or(offset..offset)
    };
    let start = line_range(range.start).start.max(floor_char_boundary(
        text,
        range.start.saturating_sub(CONTEXT_BYTES),
    ));
    let mut end = line_range(range.end)
        .end
        .min(range.end.saturating_add(CONTEXT_BYTES))
        .max(range.end);
    while !text.is_char_boundary(end) {
        end += 1;
    }
    start..end
}

/// annotate-snippets breaks lines at `\n` only; the analysis also at a lone `\r`. Same
/// length, so byte offsets still hold.
fn lone_cr_as_lf(text: &str) -> Cow<'_, str> {
    let bytes = text.as_bytes();
    let lone = |i: usize| bytes[i] == b'\r' && bytes.get(i + 1) != Some(&b'\n');
    if !(0..bytes.len()).any(lone) {
        return Cow::Borrowed(text);
    }
    let mut fixed = text.to_owned();
    for i in (0..bytes.len()).filter(|&i| lone(i)) {
        fixed.replace_range(i..i + 1, "\n");
    }
    Cow::Owned(fixed)
}

fn level(severity: Severity) -> Level<'static> {
    match severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
        Severity::Information => Level::INFO,
        Severity::Hint => Level::NOTE,
    }
}

/// The header's colour for a severity: the one annotate-snippets gives its level below.
fn severity_style(severity: Severity) -> Style {
    match severity {
        Severity::Error => DEFAULT_ERROR_STYLE,
        Severity::Warning => DEFAULT_WARNING_STYLE,
        Severity::Information => DEFAULT_INFO_STYLE,
        Severity::Hint => DEFAULT_NOTE_STYLE,
    }
}

/// `Checked 3 files in 12 ms: 1 error, 2 warnings, 0 information, 0 hints.`
pub fn write_summary(
    out: &mut dyn Write,
    files: usize,
    tally: &Tally,
    elapsed: Duration,
) -> io::Result<()> {
    let counts: Vec<String> = Severity::ALL
        .iter()
        .map(|&severity| {
            let count = tally.count(severity);
            let noun = match severity {
                Severity::Information => "information".to_owned(),
                _ if count == 1 => severity.as_str().to_owned(),
                _ => format!("{severity}s"),
            };
            format!("{count} {noun}")
        })
        .collect();
    writeln!(
        out,
        "Checked {files} {} in {} ms: {}.",
        if files == 1 { "file" } else { "files" },
        elapsed.as_millis(),
        counts.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lone_carriage_returns_become_line_feeds() {
        assert_eq!(lone_cr_as_lf("a\rb\r\nc\r"), "a\nb\r\nc\n");
        assert!(matches!(lone_cr_as_lf("a\r\nb"), Cow::Borrowed(_)));
    }
}
