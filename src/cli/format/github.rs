//! `--format github`: GitHub Actions workflow commands, which GitHub shows as annotations on
//! the pull request's diff.

use std::io::{self, Write};

use crate::analysis::Severity;
use crate::cli::report::FileReport;

pub fn write(files: &[FileReport], out: &mut dyn Write) -> io::Result<()> {
    for file in files {
        let path = escape_property(&file.slash_path());
        for diagnostic in file.diagnostics() {
            let at = file.location(&diagnostic.range);
            writeln!(
                out,
                "::{command} file={path},line={},col={},endLine={},endColumn={},title={}::{}",
                at.line,
                at.column,
                at.end_line,
                at.end_column,
                escape_property(diagnostic.rule),
                escape_data(&diagnostic.message),
                command = command(diagnostic.severity),
            )?;
        }
    }
    Ok(())
}

/// GitHub annotations come in three levels.
fn command(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Information | Severity::Hint => "notice",
    }
}

/// Escapes a command's message, as the Actions runner's `escapeData` does.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value, which also must not contain the `:` and `,` that delimit
/// properties (the runner's `escapeProperty`).
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_follow_the_runner() {
        assert_eq!(escape_data("50% a,b: c\r\nd"), "50%25 a,b: c%0D%0Ad");
        assert_eq!(escape_property("a,b: 5%\n"), "a%2Cb%3A 5%25%0A");
    }
}
