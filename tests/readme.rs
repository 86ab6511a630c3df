//! The README's rule table lists exactly the registry's rules, in the registry's order, with
//! their default severities. The table sits between `<!-- rules:start` and `<!-- rules:end`
//! lines; its first column holds the rule's name (in backticks), its second the default
//! severity. When this fails, the message prints the rows the README should have.

use policy_lsp::rules::RULES;

const README: &str = include_str!("../README.md");

/// `(name, default severity)` of every row of the README's rule table.
fn readme_rules(readme: &str) -> Result<Vec<(String, String)>, String> {
    let start = marker_line(readme, "<!-- rules:start")?;
    let end = marker_line(readme, "<!-- rules:end")?;
    if end <= start {
        return Err("`<!-- rules:end` comes before `<!-- rules:start`".into());
    }
    let rows: Vec<Vec<String>> = readme
        .lines()
        .skip(start + 1)
        .take(end - start - 1)
        .map(str::trim)
        .filter(|line| line.starts_with('|'))
        .map(cells)
        .collect();
    let Some((header, body)) = rows.split_first() else {
        return Err("the rules table between the markers is empty".into());
    };
    if header.len() < 3 {
        return Err(format!(
            "the rules table needs three columns, found {header:?}"
        ));
    }
    Ok(body
        .iter()
        .filter(|row| !is_separator(row))
        .map(|row| {
            let name = unquote(row.first().map_or("", String::as_str));
            let severity = unquote(row.get(1).map_or("", String::as_str)).to_lowercase();
            (name, severity)
        })
        .collect())
}

/// The index of the one line that starts with `marker`.
fn marker_line(readme: &str, marker: &str) -> Result<usize, String> {
    let found: Vec<usize> = readme
        .lines()
        .enumerate()
        .filter(|(_, line)| line.trim_start().starts_with(marker))
        .map(|(i, _)| i)
        .collect();
    match found[..] {
        [line] => Ok(line),
        [] => Err(format!("README.md has no `{marker}` line")),
        _ => Err(format!("README.md has `{marker}` more than once")),
    }
}

/// The cells of a Markdown table row, trimmed (`\|` is a literal bar, not a separator).
fn cells(row: &str) -> Vec<String> {
    let inner = row.trim().trim_start_matches('|');
    let inner = inner.strip_suffix('|').unwrap_or(inner);
    let mut out = vec![String::new()];
    let mut chars = inner.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&'|') => {
                out.last_mut().expect("never empty").push('|');
                chars.next();
            }
            '|' => out.push(String::new()),
            _ => out.last_mut().expect("never empty").push(c),
        }
    }
    out.iter().map(|c| c.trim().to_owned()).collect()
}

fn is_separator(row: &[String]) -> bool {
    row.iter()
        .all(|c| !c.is_empty() && c.chars().all(|ch| matches!(ch, '-' | ':' | ' ')))
}

/// A cell's plain text: `` `name` ``, `[`name`](#anchor)` and `**name**` all give `name`.
fn unquote(cell: &str) -> String {
    let text = match (cell.find('['), cell.find("](")) {
        (Some(open), Some(close)) if open < close => &cell[open + 1..close],
        _ => cell,
    };
    text.trim_matches(|c: char| c == '`' || c == '*' || c.is_whitespace())
        .to_owned()
}

#[test]
fn readme_lists_every_rule_with_its_default_severity() {
    let in_readme = readme_rules(README).unwrap_or_else(|err| panic!("{err}"));
    let in_registry: Vec<(String, String)> = RULES
        .iter()
        .map(|rule| {
            (
                rule.name.to_owned(),
                rule.default_severity.as_str().to_owned(),
            )
        })
        .collect();
    if in_readme != in_registry {
        let expected: Vec<String> = in_registry
            .iter()
            .map(|(name, severity)| {
                let was = in_readme
                    .iter()
                    .find(|(n, _)| n == name)
                    .map_or("  <- missing from README", |_| "");
                format!("| `{name}` | {severity} | … |{was}")
            })
            .collect();
        panic!(
            "README.md's rule table is out of date with src/rules/mod.rs.\n\
             README has:   {in_readme:?}\n\
             registry has: {in_registry:?}\n\
             The table's rows, in the registry's order, should be:\n{}",
            expected.join("\n")
        );
    }
}

#[test]
fn the_table_parser_reads_names_and_severities() {
    let readme = "intro\n<!-- rules:start -->\n| Rule | Default severity | What |\n|---|:-:|---|\n\
                  | `a-rule` | warning | one \\| two |\n| [`b-rule`](#b) | **Hint** | x |\n\
                  <!-- rules:end -->\n| `not-a-rule` | error | outside |\n";
    assert_eq!(
        readme_rules(readme).unwrap(),
        [
            ("a-rule".to_owned(), "warning".to_owned()),
            ("b-rule".to_owned(), "hint".to_owned())
        ]
    );
    assert!(readme_rules("no markers").is_err());
    assert!(readme_rules("<!-- rules:end -->\n<!-- rules:start -->\n").is_err());
}

/// The README's configuration reference is `Config::reference()` without its heading, so
/// the parser's documentation and the README cannot drift apart.
#[test]
fn readme_configuration_reference_matches_the_parser() {
    let start = marker_line(README, "<!-- config:start").expect("config start marker");
    let end = marker_line(README, "<!-- config:end").expect("config end marker");
    let in_readme: Vec<&str> = README
        .lines()
        .skip(start + 1)
        .take(end - start - 1)
        .collect();
    let reference = policy_lsp::config::Config::reference();
    let expected: Vec<&str> = reference
        .lines()
        .skip(1)
        .skip_while(|l| l.is_empty())
        .collect();
    assert_eq!(
        in_readme.join("\n").trim(),
        expected.join("\n").trim(),
        "README.md's configuration section differs from src/config.rs's reference; copy it over"
    );
}
