//! Code actions for the findings a request's range touches, all of kind `quickfix`:
//!
//! - the engine's fix, where the finding has one — preferred unless another fix competes
//!   for the same text;
//! - for `undefined-acronym`, "Add ACRONYM to the workspace glossary": an entry in
//!   `[glossary.terms]` of the workspace's `policy-lsp.toml` (the table, or the file, is
//!   created when missing);
//! - "Ignore RULE here": a `<!-- policy-lsp: ignore RULE -->` comment on a line of its own
//!   before the finding's line, with that line's indentation (and block-quote markers) and
//!   line break. Where a line of its own would split a paragraph or a table — the finding
//!   sits on a continuation line of its block, or in a table's body row — the comment goes
//!   at the end of the finding's line instead, which silences that line just the same
//!   (`analysis::suppress`). An `ignore` comment already aimed at the line gets the rule
//!   added to its list;
//! - "Ignore RULE in this file": `<!-- policy-lsp: ignore-file RULE -->` on the first line,
//!   after any YAML front matter.
//!
//! Every edit is made as byte edits on the analysed text, checked (character boundaries, no
//! overlaps) and converted to positions in the negotiated encoding in one place, so what
//! the client applies is exactly what the tests apply to a `String`.

use std::collections::HashMap;
use std::ops::Range;

use tower_lsp_server::ls_types::{
    self as lsp, CodeAction, CodeActionKind, CodeActionOrCommand, CreateFile, CreateFileOptions,
    DocumentChangeOperation, DocumentChanges, OneOf, OptionalVersionedTextDocumentIdentifier,
    ResourceOp, TextDocumentEdit, TextEdit, Uri, WorkspaceEdit,
};

use super::encoding;
use super::to_proto::{workspace_edit, EditStyle, Ranges};
use crate::analysis::suppress::own_line_ignore;
use crate::analysis::terms::term_key;
use crate::analysis::{
    Analysis, BlockKind, Document, DocumentKind, Edit, Encoding, Fix, LineIndex,
};
use crate::config::Config;

/// The rule whose findings can be added to the workspace glossary.
const UNDEFINED_ACRONYM: &str = "undefined-acronym";

/// Everything a code action request is answered from.
pub(crate) struct Request<'a> {
    pub uri: &'a Uri,
    /// The version the analysis is of; versioned edits carry it.
    pub version: i32,
    pub analysis: &'a Analysis,
    /// The findings as published, index for index with `analysis.diagnostics`.
    pub published: &'a [lsp::Diagnostic],
    /// The request's range in bytes of the analysed text.
    pub range: Range<usize>,
    pub encoding: Encoding,
    pub style: EditStyle,
    /// The workspace configuration file, when the draft belongs to a workspace folder.
    pub glossary: Option<&'a GlossaryTarget>,
}

/// The workspace's `policy-lsp.toml`, as the glossary action finds it.
pub(crate) struct GlossaryTarget {
    pub uri: Uri,
    /// The file's text; `None` when there is no file yet.
    pub text: Option<String>,
    /// The version of the text when the client has the file open with us.
    pub version: Option<i32>,
    /// The client accepts `create` operations in workspace edits.
    pub can_create: bool,
}

/// Whether a code action request's `only` filter lets quick fixes through.
pub(crate) fn wanted(only: Option<&[CodeActionKind]>) -> bool {
    let quickfix = CodeActionKind::QUICKFIX;
    let quickfix = quickfix.as_str();
    let Some(kinds) = only else {
        return true;
    };
    kinds.iter().any(|k| {
        let k = k.as_str();
        k.is_empty() || k == quickfix || quickfix.starts_with(&format!("{k}."))
    })
}

/// Whether the findings that touch `range` include one the glossary action is for: only
/// then is the configuration file worth reading.
pub(crate) fn wants_glossary(analysis: &Analysis, range: &Range<usize>) -> bool {
    analysis.diagnostics.iter().any(|d| {
        d.rule == UNDEFINED_ACRONYM && d.range.start <= range.end && range.start <= d.range.end
    })
}

/// The actions for the findings that touch the request's range (ends inclusive): fixes
/// first, then glossary entries, then the two kinds of suppression.
pub(crate) fn code_actions(req: &Request<'_>) -> Vec<CodeActionOrCommand> {
    let doc = &req.analysis.document;
    let range = &req.range;
    let touched: Vec<usize> = (0..req.analysis.diagnostics.len().min(req.published.len()))
        .filter(|&i| {
            let d = &req.analysis.diagnostics[i].range;
            d.start <= range.end && range.start <= d.end
        })
        .collect();
    let finding = |i: usize| &req.analysis.diagnostics[i];
    let mut actions = Vec::new();

    let fixes: Vec<(usize, &Fix)> = touched
        .iter()
        .filter_map(|&i| Some((i, finding(i).fix.as_ref()?)))
        .filter(|(_, fix)| edits_are_valid(doc, &fix.edits))
        .collect();
    for &(i, fix) in &fixes {
        let competing = fixes.iter().any(|&(j, other)| {
            j != i && overlaps(&finding(i).range, &finding(j).range) && other.edits != fix.edits
        });
        actions.push(draft_action(
            req,
            fix.title.clone(),
            &[i],
            &fix.edits,
            !competing,
        ));
    }

    if let Some(target) = req.glossary {
        let mut offered = Vec::new();
        for &i in &touched {
            let d = finding(i);
            if d.rule != UNDEFINED_ACRONYM {
                continue;
            }
            let Some(word) = doc.text.get(d.range.clone()) else {
                continue;
            };
            let key = term_key(word);
            if offered.contains(&key) {
                continue;
            }
            if let Some(action) = glossary_action(req, target, i, word) {
                offered.push(key);
                actions.push(action);
            }
        }
    }

    // One "here" per rule and line, one "in this file" per rule.
    let mut here: Vec<((&str, usize), Vec<usize>)> = Vec::new();
    let mut file: Vec<(&str, Vec<usize>)> = Vec::new();
    for &i in &touched {
        let d = finding(i);
        let line = doc.lines.line_of(d.range.start);
        match here.iter_mut().find(|(key, _)| *key == (d.rule, line)) {
            Some((_, found)) => found.push(i),
            None => here.push(((d.rule, line), vec![i])),
        }
        match file.iter_mut().find(|(rule, _)| *rule == d.rule) {
            Some((_, found)) => found.push(i),
            None => file.push((d.rule, vec![i])),
        }
    }
    for ((rule, _), found) in &here {
        if let Some(edit) = ignore_here(doc, rule, finding(found[0]).range.start) {
            let title = format!("Ignore {rule} here");
            actions.push(draft_action(req, title, found, &[edit], false));
        }
    }
    for (rule, found) in &file {
        let edit = ignore_in_file(doc, rule);
        let title = format!("Ignore {rule} in this file");
        actions.push(draft_action(req, title, found, &[edit], false));
    }
    actions
}

/// Whether two findings cover common text (or the same empty place).
fn overlaps(a: &Range<usize>, b: &Range<usize>) -> bool {
    (a.start < b.end && b.start < a.end) || a == b
}

/// A quick fix editing the draft, for the findings `indices`.
fn draft_action(
    req: &Request<'_>,
    title: String,
    indices: &[usize],
    edits: &[Edit],
    preferred: bool,
) -> CodeActionOrCommand {
    let doc = &req.analysis.document;
    let ranges = Ranges::new(doc, req.encoding, edits.iter().map(|e| &e.range));
    let edits: Vec<TextEdit> = edits
        .iter()
        .map(|e| TextEdit::new(ranges.range(&e.range), e.replacement.clone()))
        .collect();
    CodeActionOrCommand::CodeAction(CodeAction {
        title,
        kind: Some(CodeActionKind::QUICKFIX),
        diagnostics: Some(indices.iter().map(|&i| req.published[i].clone()).collect()),
        edit: Some(workspace_edit(req.uri, req.version, edits, req.style)),
        is_preferred: Some(preferred),
        ..CodeAction::default()
    })
}

/// Edits are offered only if each lies on character boundaries of the text and no two
/// overlap: an edit that cannot be applied exactly is not applied at all.
fn edits_are_valid(doc: &Document, edits: &[Edit]) -> bool {
    let mut ranges: Vec<&Range<usize>> = edits.iter().map(|e| &e.range).collect();
    ranges.sort_by_key(|r| (r.start, r.end));
    let in_text = ranges.iter().all(|r| {
        r.start <= r.end
            && r.end <= doc.text.len()
            && doc.text.is_char_boundary(r.start)
            && doc.text.is_char_boundary(r.end)
    });
    !edits.is_empty() && in_text && ranges.windows(2).all(|w| w[0].end <= w[1].start)
}

// ---------------------------------------------------------------------------------------
// Suppression comments

/// Nothing but whitespace and block-quote markers: blank, as `analysis::suppress` sees it.
fn is_blank(line: &str) -> bool {
    line.chars().all(|c| c.is_whitespace() || c == '>')
}

/// The line break that ends `line`, or the document's first one for the last line.
fn line_break(doc: &Document, line: usize) -> &str {
    let text = &doc.text;
    let Some(range) = doc.lines.line_range(text, line) else {
        return first_line_break(text);
    };
    let next = doc
        .lines
        .line_range(text, line + 1)
        .map_or(text.len(), |r| r.start);
    match &text[range.end..next] {
        "" => first_line_break(text),
        eol => eol,
    }
}

fn first_line_break(text: &str) -> &str {
    match text.find(['\r', '\n']) {
        Some(i) if text[i..].starts_with("\r\n") => "\r\n",
        Some(i) => &text[i..i + 1],
        None => "\n",
    }
}

/// The edit that silences `rule` on the line holding byte `offset`.
fn ignore_here(doc: &Document, rule: &str, offset: usize) -> Option<Edit> {
    let text = &doc.text;
    let line = doc.lines.line_of(offset);
    let line_range = doc.lines.line_range(text, line)?;
    // An `ignore` comment on its own line above (blank lines between) aims at this line.
    let above = (0..line)
        .rev()
        .filter_map(|l| doc.lines.line_range(text, l))
        .find(|r| !is_blank(&text[r.clone()]));
    if let Some(above) = above {
        if let Some(directive) = own_line_ignore(&text[above.clone()]) {
            if directive.names.is_empty() {
                return None; // It silences every rule already.
            }
            let at = above.start + directive.names.end;
            return Some(Edit {
                range: at..at,
                replacement: format!(", {rule}"),
            });
        }
    }
    let comment = format!("<!-- policy-lsp: ignore {rule} -->");
    let at = match end_of_line_spot(doc, offset, line, &line_range) {
        Some(at) => {
            return Some(Edit {
                range: at..at,
                replacement: format!(" {comment}"),
            })
        }
        // After a byte-order mark, which must stay first.
        None if line == 0 && text.starts_with('\u{feff}') => 3,
        None => line_range.start,
    };
    let content = &text[at..line_range.end];
    let quoted = doc.kind == DocumentKind::Markdown;
    let indent_len = content
        .find(|c: char| !(c == ' ' || c == '\t' || (quoted && c == '>')))
        .unwrap_or(content.len());
    let indent = &content[..indent_len];
    Some(Edit {
        range: at..at,
        replacement: format!("{indent}{comment}{}", line_break(doc, line)),
    })
}

/// Where an end-of-line comment goes when a line of its own would split the finding's
/// block: a table body row (before its closing `|`), or a line after the first of a
/// paragraph or list item (after its last character, before a Markdown hard break). `None`
/// when a line of its own is right.
fn end_of_line_spot(
    doc: &Document,
    offset: usize,
    line: usize,
    line_range: &Range<usize>,
) -> Option<usize> {
    let block = &doc.blocks[doc.block_at(offset)?];
    let content = doc.text[line_range.clone()].trim_end();
    let end = line_range.start + content.len();
    let markdown = doc.kind == DocumentKind::Markdown;
    match block.kind {
        BlockKind::TableCell {
            is_header: false, ..
        } => Some(match content.strip_suffix('|') {
            Some(row) => line_range.start + row.trim_end().len(),
            None => end,
        }),
        _ if doc.lines.line_of(block.range.start) < line => {
            Some(if markdown && content.ends_with('\\') {
                end - 1
            } else {
                end
            })
        }
        _ => None,
    }
}

/// The edit that silences `rule` in the whole file: a comment on the first line, after a
/// byte-order mark and any YAML front matter.
fn ignore_in_file(doc: &Document, rule: &str) -> Edit {
    let text = &doc.text;
    let mut at = if text.starts_with('\u{feff}') { 3 } else { 0 };
    if doc.kind == DocumentKind::Markdown {
        if let Some(end) = front_matter_end(text, at) {
            at = end;
        }
    }
    let eol = first_line_break(text);
    let comment = format!("<!-- policy-lsp: ignore-file {rule} -->");
    let replacement = if at == text.len() && at > 0 && !text.ends_with(['\n', '\r']) {
        format!("{eol}{comment}")
    } else {
        format!("{comment}{eol}")
    };
    Edit {
        range: at..at,
        replacement,
    }
}

/// The end (after its line break) of a YAML front matter block starting at `from`: a
/// `---` line followed by a non-blank line, closed by a `---` or `...` line.
fn front_matter_end(text: &str, from: usize) -> Option<usize> {
    let mut lines = text[from..].split_inclusive('\n').scan(from, |at, line| {
        let start = *at;
        *at += line.len();
        Some((start + line.len(), line.trim_end()))
    });
    let (_, first) = lines.next()?;
    if first != "---" {
        return None;
    }
    let mut lines = lines.peekable();
    if lines.peek().is_none_or(|(_, l)| l.is_empty()) {
        return None;
    }
    lines
        .find(|(_, l)| *l == "---" || *l == "...")
        .map(|(end, _)| end)
}

// ---------------------------------------------------------------------------------------
// The workspace glossary

/// What the glossary entry says: the draft's own expansion when it gives one later,
/// else a reminder to write it.
fn glossary_definition(doc: &Document, word: &str) -> String {
    let expansion = doc.terms.expansion(word).map(|d| {
        let text = doc.prose(d.definition_range.clone());
        text.split_whitespace().collect::<Vec<_>>().join(" ")
    });
    match expansion {
        Some(text) if !text.is_empty() => text,
        _ => format!("TODO: what {word} stands for"),
    }
}

fn glossary_action(
    req: &Request<'_>,
    target: &GlossaryTarget,
    index: usize,
    word: &str,
) -> Option<CodeActionOrCommand> {
    let definition = glossary_definition(&req.analysis.document, word);
    let edit = match &target.text {
        Some(toml) => {
            let edit = glossary_insertion(toml, word, &definition)?;
            let lines = LineIndex::new(toml);
            let at = |offset| encoding::position(toml, &lines, offset, req.encoding);
            let range = lsp::Range::new(at(edit.range.start), at(edit.range.end));
            let edits = vec![TextEdit::new(range, edit.replacement)];
            if req.style.document_changes {
                WorkspaceEdit {
                    document_changes: Some(DocumentChanges::Edits(vec![TextDocumentEdit {
                        text_document: OptionalVersionedTextDocumentIdentifier {
                            uri: target.uri.clone(),
                            version: target.version,
                        },
                        edits: edits.into_iter().map(OneOf::Left).collect(),
                    }])),
                    ..WorkspaceEdit::default()
                }
            } else {
                WorkspaceEdit {
                    changes: Some(HashMap::from([(target.uri.clone(), edits)])),
                    ..WorkspaceEdit::default()
                }
            }
        }
        // A new file needs a `create` operation, which only `documentChanges` can carry; a
        // client that takes `create` takes `documentChanges` for it (Neovim advertises the
        // one without the other).
        None if target.can_create => {
            let start = lsp::Position::new(0, 0);
            let insert = TextEdit::new(
                lsp::Range::new(start, start),
                new_glossary_file(word, &definition),
            );
            WorkspaceEdit {
                document_changes: Some(DocumentChanges::Operations(vec![
                    DocumentChangeOperation::Op(ResourceOp::Create(CreateFile {
                        uri: target.uri.clone(),
                        options: Some(CreateFileOptions {
                            overwrite: Some(false),
                            ignore_if_exists: Some(true),
                        }),
                        annotation_id: None,
                    })),
                    DocumentChangeOperation::Edit(TextDocumentEdit {
                        text_document: OptionalVersionedTextDocumentIdentifier {
                            uri: target.uri.clone(),
                            version: None,
                        },
                        edits: vec![OneOf::Left(insert)],
                    }),
                ])),
                ..WorkspaceEdit::default()
            }
        }
        None => return None,
    };
    Some(CodeActionOrCommand::CodeAction(CodeAction {
        title: format!("Add {word} to the workspace glossary"),
        kind: Some(CodeActionKind::QUICKFIX),
        diagnostics: Some(vec![req.published[index].clone()]),
        edit: Some(edit),
        is_preferred: Some(false),
        ..CodeAction::default()
    }))
}

/// A TOML basic string.
fn toml_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn glossary_line(term: &str, definition: &str) -> String {
    format!("{} = {}", toml_string(term), toml_string(definition))
}

/// A new `policy-lsp.toml` holding just the entry.
pub(crate) fn new_glossary_file(term: &str, definition: &str) -> String {
    format!("[glossary.terms]\n{}\n", glossary_line(term, definition))
}

/// The insertion that adds `term = definition` to `[glossary.terms]` of the configuration
/// `toml`: after the table's last entry, or as a new table at the end of the file. `None`
/// when the file does not parse as a configuration, already has the term, or keeps its
/// terms in a shape this does not edit (an inline table, dotted keys); every edit is checked
/// by parsing the result.
pub(crate) fn glossary_insertion(toml: &str, term: &str, definition: &str) -> Option<Edit> {
    let current = Config::parse(toml, "policy-lsp.toml").ok()?;
    let key = term_key(term);
    if current.glossary.keys().any(|t| term_key(t) == key) {
        return None;
    }
    let eol = if toml.contains("\r\n") { "\r\n" } else { "\n" };
    let entry = glossary_line(term, definition);
    let lands = |edit: &Edit| {
        let mut edited = toml.to_owned();
        edited.replace_range(edit.range.clone(), &edit.replacement);
        Config::parse(&edited, "policy-lsp.toml")
            .is_ok_and(|c| c.glossary.get(term).map(String::as_str) == Some(definition))
    };
    // Lines with their byte ranges, breaks included.
    let mut lines = Vec::new();
    let mut at = 0;
    for line in toml.split_inclusive('\n') {
        lines.push((at..at + line.len(), line));
        at += line.len();
    }
    let is_header = |line: &str| line.trim_start().starts_with('[');
    let header = lines.iter().position(|(_, line)| {
        let line = line.split('#').next().unwrap_or_default();
        let compact: String = line.chars().filter(|c| !c.is_whitespace()).collect();
        compact == "[glossary.terms]"
    });
    if let Some(header) = header {
        let section_end = lines[header + 1..]
            .iter()
            .position(|(_, line)| is_header(line))
            .map_or(lines.len(), |i| header + 1 + i);
        let last_entry = (header + 1..section_end)
            .rev()
            .find(|&i| {
                let line = lines[i].1.trim();
                !line.is_empty() && !line.starts_with('#')
            })
            .unwrap_or(header);
        let candidates = [last_entry, header];
        for after in candidates {
            let (range, line) = &lines[after];
            let edit = if line.ends_with('\n') {
                Edit {
                    range: range.end..range.end,
                    replacement: format!("{entry}{eol}"),
                }
            } else {
                Edit {
                    range: range.end..range.end,
                    replacement: format!("{eol}{entry}"),
                }
            };
            if lands(&edit) {
                return Some(edit);
            }
        }
        return None;
    }
    let mut replacement = String::new();
    if !toml.is_empty() {
        if !toml.ends_with('\n') {
            replacement.push_str(eol);
        }
        if !toml.trim().is_empty() {
            replacement.push_str(eol);
        }
    }
    replacement.push_str(&format!("[glossary.terms]{eol}{entry}{eol}"));
    let edit = Edit {
        range: toml.len()..toml.len(),
        replacement,
    };
    lands(&edit).then_some(edit)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{analyze, Diagnostic, Position, Severity};
    use crate::config::Config;
    use crate::server::to_proto;

    const ALL: [Encoding; 3] = [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32];

    /// Applies protocol edits to a string, converting with the analysis core's LineIndex
    /// (a model independent of the server's conversions).
    fn apply(text: &str, edits: &[TextEdit], enc: Encoding) -> String {
        let lines = LineIndex::new(text);
        let offset = |p: lsp::Position| {
            lines.offset(
                text,
                Position {
                    line: p.line,
                    column: p.character,
                },
                enc,
            )
        };
        let mut byte_edits: Vec<(usize, usize, &str)> = edits
            .iter()
            .map(|e| {
                (
                    offset(e.range.start),
                    offset(e.range.end),
                    e.new_text.as_str(),
                )
            })
            .collect();
        byte_edits.sort_by_key(|e| std::cmp::Reverse(e.0));
        let mut out = text.to_owned();
        for (start, end, new) in byte_edits {
            out.replace_range(start..end, new);
        }
        out
    }

    fn uri() -> Uri {
        "file:///ws/d.md".parse().unwrap()
    }

    fn span(text: &str, needle: &str) -> Range<usize> {
        let start = text.find(needle).expect(needle);
        start..start + needle.len()
    }

    const PLAIN: EditStyle = EditStyle {
        document_changes: false,
    };

    /// Every action for `range` of the analysed text.
    fn actions_at(
        analysis: &Analysis,
        range: Range<usize>,
        enc: Encoding,
        glossary: Option<&GlossaryTarget>,
        style: EditStyle,
    ) -> Vec<CodeAction> {
        let published = to_proto::diagnostics(analysis, enc);
        let uri = uri();
        let req = Request {
            uri: &uri,
            version: 3,
            analysis,
            published: &published,
            range,
            encoding: enc,
            style,
            glossary,
        };
        code_actions(&req)
            .into_iter()
            .map(|a| match a {
                CodeActionOrCommand::CodeAction(a) => a,
                CodeActionOrCommand::Command(_) => panic!("a command"),
            })
            .collect()
    }

    /// The edits of `action` for `uri`, whichever form they take.
    fn edits_for(action: &CodeAction, uri: &Uri) -> Vec<TextEdit> {
        let edit = action.edit.as_ref().expect("an edit");
        if let Some(changes) = &edit.changes {
            return changes[uri].clone();
        }
        let mut out = Vec::new();
        match edit.document_changes.as_ref().expect("changes") {
            DocumentChanges::Edits(edits) => {
                for e in edits.iter().filter(|e| &e.text_document.uri == uri) {
                    for one in &e.edits {
                        let OneOf::Left(edit) = one else {
                            panic!("annotated")
                        };
                        out.push(edit.clone());
                    }
                }
            }
            DocumentChanges::Operations(ops) => {
                for op in ops {
                    if let DocumentChangeOperation::Edit(e) = op {
                        for one in &e.edits {
                            let OneOf::Left(edit) = one else {
                                panic!("annotated")
                            };
                            out.push(edit.clone());
                        }
                    }
                }
            }
        }
        out
    }

    fn find<'a>(actions: &'a [CodeAction], title: &str) -> &'a CodeAction {
        actions
            .iter()
            .find(|a| a.title == title)
            .unwrap_or_else(|| {
                let titles: Vec<_> = actions.iter().map(|a| &a.title).collect();
                panic!("no `{title}` in {titles:?}")
            })
    }

    /// The draft every suppression test works on: front matter, Korean, emoji and CRLF
    /// around every finding; a two-line paragraph, an indented list item, a block quote
    /// and a table.
    const DRAFT: &str = "---\r\ntitle: 항구 계획 😀\r\n---\r\n# 항구 재생 전략 😀\r\n\r\nExports rose 6.5 last quarter, 한국어 😀 text.\r\nThe KIA will publish clusters?concentrated data.\r\n\r\n  - Officials said the 😀 harbour grew 12 last year.\r\n\r\n> “This is a long quotation with nobody credited at all.”\r\n\r\n| Project | Budget |\r\n|---|---|\r\n| 항구 walk | 38 |\r\n| Basin 😀 | 46 |\r\n";

    fn draft() -> Analysis {
        analyze(DRAFT, DocumentKind::Markdown, &Config::default())
    }

    /// The findings as (rule, message), which stay equal when lines move.
    fn findings(analysis: &Analysis) -> Vec<(&'static str, String)> {
        analysis
            .diagnostics
            .iter()
            .map(|d| (d.rule, d.message.to_string()))
            .collect()
    }

    #[test]
    fn the_draft_has_the_findings_the_tests_expect() {
        let rules: Vec<_> = draft().diagnostics.iter().map(|d| d.rule).collect();
        assert_eq!(
            rules,
            [
                "figure-without-unit",
                "undefined-acronym",
                "encoding-artifact",
                "vague-attribution",
                "figure-without-unit",
                "relative-date",
                "unattributed-quote",
                "figure-without-unit",
                "figure-without-unit",
            ]
        );
    }

    /// Applying "Ignore RULE here" to any finding yields the expected text, in every
    /// encoding, and silences exactly that finding (and no other).
    #[test]
    fn ignore_here_silences_exactly_its_finding() {
        let analysis = draft();
        let before = findings(&analysis);
        let expected: [&str; 9] = [
            // A paragraph's first line: a line of its own.
            "---\r\ntitle: 항구 계획 😀\r\n---\r\n# 항구 재생 전략 😀\r\n\r\n<!-- policy-lsp: ignore figure-without-unit -->\r\nExports rose 6.5 last quarter, 한국어 😀 text.\r\nThe KIA",
            // Its second line: the end of that line.
            "Exports rose 6.5 last quarter, 한국어 😀 text.\r\nThe KIA will publish clusters?concentrated data. <!-- policy-lsp: ignore undefined-acronym -->\r\n\r\n",
            "clusters?concentrated data. <!-- policy-lsp: ignore encoding-artifact -->\r\n\r\n",
            // An indented list item: its indentation.
            "\r\n\r\n  <!-- policy-lsp: ignore vague-attribution -->\r\n  - Officials said",
            "\r\n\r\n  <!-- policy-lsp: ignore figure-without-unit -->\r\n  - Officials said",
            "\r\n\r\n  <!-- policy-lsp: ignore relative-date -->\r\n  - Officials said",
            // A block quote: its marker.
            "\r\n\r\n> <!-- policy-lsp: ignore unattributed-quote -->\r\n> “This is",
            // Table rows: before the closing pipe.
            "| 항구 walk | 38 <!-- policy-lsp: ignore figure-without-unit --> |\r\n",
            "| Basin 😀 | 46 <!-- policy-lsp: ignore figure-without-unit --> |\r\n",
        ];
        for enc in ALL {
            for (i, d) in analysis.diagnostics.iter().enumerate() {
                let actions = actions_at(&analysis, d.range.clone(), enc, None, PLAIN);
                let action = find(&actions, &format!("Ignore {} here", d.rule));
                assert_eq!(action.kind, Some(CodeActionKind::QUICKFIX));
                assert_eq!(action.is_preferred, Some(false));
                let after = apply(DRAFT, &edits_for(action, &uri()), enc);
                assert!(
                    after.contains(expected[i]),
                    "{enc:?} #{i}: {after:?} lacks {:?}",
                    expected[i]
                );
                assert_eq!(after.len(), DRAFT.len() + edits_len(action), "{enc:?} #{i}");
                let reanalysed = analyze(&after, DocumentKind::Markdown, &Config::default());
                let mut want = before.clone();
                want.remove(i);
                assert_eq!(findings(&reanalysed), want, "{enc:?} #{i}: {after}");
            }
        }
    }

    fn edits_len(action: &CodeAction) -> usize {
        edits_for(action, &uri())
            .iter()
            .map(|e| e.new_text.len())
            .sum()
    }

    /// "Ignore RULE in this file" goes after the front matter and silences every finding of
    /// the rule.
    #[test]
    fn ignore_in_file_goes_after_front_matter() {
        let analysis = draft();
        let d = &analysis.diagnostics[0];
        for enc in ALL {
            let actions = actions_at(&analysis, d.range.clone(), enc, None, PLAIN);
            let action = find(&actions, "Ignore figure-without-unit in this file");
            let after = apply(DRAFT, &edits_for(action, &uri()), enc);
            let want = DRAFT.replacen(
                "---\r\n# ",
                "---\r\n<!-- policy-lsp: ignore-file figure-without-unit -->\r\n# ",
                1,
            );
            assert_eq!(after, want, "{enc:?}");
            let reanalysed = analyze(&after, DocumentKind::Markdown, &Config::default());
            let rest: Vec<_> = findings(&analysis)
                .into_iter()
                .filter(|(rule, _)| *rule != "figure-without-unit")
                .collect();
            assert_eq!(findings(&reanalysed), rest);
            // The outline is untouched.
            assert_eq!(
                reanalysed.document.sections.len(),
                analysis.document.sections.len()
            );
        }
    }

    fn finding(rule: &'static str, range: Range<usize>, fix: Option<Fix>) -> Diagnostic {
        Diagnostic {
            rule,
            severity: Severity::Warning,
            message: format!("{rule} here").into(),
            range,
            fix,
        }
    }

    /// Suppression edits on texts with and without front matter, BOM, final line break.
    #[test]
    fn suppression_edits_in_odd_places() {
        let cases: &[(&str, DocumentKind, &str, &str, &str)] = &[
            // (text, kind, finding at, expected "here", expected "in this file")
            (
                "\u{feff}한 😀 x?y",
                DocumentKind::PlainText,
                "?",
                "\u{feff}<!-- policy-lsp: ignore r -->\n한 😀 x?y",
                "\u{feff}<!-- policy-lsp: ignore-file r -->\n한 😀 x?y",
            ),
            (
                "---\ntitle: x\n---",
                DocumentKind::Markdown,
                "title",
                "---\n<!-- policy-lsp: ignore r -->\ntitle: x\n---",
                "---\ntitle: x\n---\n<!-- policy-lsp: ignore-file r -->",
            ),
            (
                // A rule already ignored by a comment above: the rule joins its list.
                "a\r\n\r\n<!-- policy-lsp: ignore other -->\r\n\r\n😀 x?y\r\n",
                DocumentKind::PlainText,
                "?",
                "a\r\n\r\n<!-- policy-lsp: ignore other, r -->\r\n\r\n😀 x?y\r\n",
                "<!-- policy-lsp: ignore-file r -->\r\na\r\n\r\n<!-- policy-lsp: ignore other -->\r\n\r\n😀 x?y\r\n",
            ),
            (
                // A Markdown hard break (backslash) stays at the end of its line.
                "First line\\\nsecond 😀 x?y  \nthird\n",
                DocumentKind::Markdown,
                "?",
                "First line\\\nsecond 😀 x?y <!-- policy-lsp: ignore r -->  \nthird\n",
                "<!-- policy-lsp: ignore-file r -->\nFirst line\\\nsecond 😀 x?y  \nthird\n",
            ),
            (
                "First 😀 line\\\nsecond\\\nthird\n",
                DocumentKind::Markdown,
                "second",
                "First 😀 line\\\nsecond <!-- policy-lsp: ignore r -->\\\nthird\n",
                "<!-- policy-lsp: ignore-file r -->\nFirst 😀 line\\\nsecond\\\nthird\n",
            ),
            (
                // `---` then a blank line is a rule, not front matter.
                "---\n\ntext x?y\n",
                DocumentKind::Markdown,
                "?",
                "---\n\n<!-- policy-lsp: ignore r -->\ntext x?y\n",
                "<!-- policy-lsp: ignore-file r -->\n---\n\ntext x?y\n",
            ),
        ];
        for &(text, kind, at, here, in_file) in cases {
            let mut analysis = analyze(text, kind, &Config::default());
            analysis.diagnostics = vec![finding("r", span(text, at), None)];
            for enc in ALL {
                let actions = actions_at(&analysis, span(text, at), enc, None, PLAIN);
                let got = apply(
                    text,
                    &edits_for(find(&actions, "Ignore r here"), &uri()),
                    enc,
                );
                assert_eq!(got, here, "{enc:?} {text:?}");
                let got = apply(
                    text,
                    &edits_for(find(&actions, "Ignore r in this file"), &uri()),
                    enc,
                );
                assert_eq!(got, in_file, "{enc:?} {text:?}");
            }
        }
    }

    /// A comment above that silences every rule: nothing more to add.
    #[test]
    fn nothing_to_add_under_a_catch_all_comment() {
        let text = "<!-- policy-lsp: ignore -->\nx?y\n";
        let mut analysis = analyze(text, DocumentKind::PlainText, &Config::default());
        analysis.diagnostics = vec![finding("r", span(text, "?"), None)];
        let actions = actions_at(&analysis, span(text, "?"), Encoding::Utf16, None, PLAIN);
        assert!(actions.iter().all(|a| a.title != "Ignore r here"));
        assert!(actions.iter().any(|a| a.title == "Ignore r in this file"));
    }

    /// One "here" per rule and line, one "in this file" per rule, however many findings.
    #[test]
    fn suppressions_are_offered_once_per_rule_and_line() {
        let analysis = draft();
        let line = span(
            DRAFT,
            "  - Officials said the 😀 harbour grew 12 last year.",
        );
        let actions = actions_at(&analysis, line, Encoding::Utf16, None, PLAIN);
        let titles: Vec<_> = actions.iter().map(|a| a.title.as_str()).collect();
        assert_eq!(
            titles,
            [
                "Ignore vague-attribution here",
                "Ignore figure-without-unit here",
                "Ignore relative-date here",
                "Ignore vague-attribution in this file",
                "Ignore figure-without-unit in this file",
                "Ignore relative-date in this file",
            ]
        );
        // A range over the table: both rows' findings share one "in this file".
        let table = span(DRAFT, "| 항구 walk | 38 |\r\n| Basin 😀 | 46 |");
        let actions = actions_at(&analysis, table, Encoding::Utf16, None, PLAIN);
        let in_file = find(&actions, "Ignore figure-without-unit in this file");
        assert_eq!(in_file.diagnostics.as_ref().unwrap().len(), 2);
        assert_eq!(
            actions
                .iter()
                .filter(|a| a.title == "Ignore figure-without-unit here")
                .count(),
            2
        );
    }

    #[test]
    fn engine_fixes_apply_exactly() {
        let text = "첫 줄 😀 clusters?concentrated\r\n둘째 â€™ 끝 🇰🇷\r\n";
        let mut analysis = analyze(text, DocumentKind::PlainText, &Config::default());
        let q = span(text, "?");
        let moji = span(text, "â€™");
        let two = Fix {
            title: "Two edits".into(),
            edits: vec![
                Edit {
                    range: span(text, "끝"),
                    replacement: "end".into(),
                },
                Edit {
                    range: span(text, "첫"),
                    replacement: "1st".into(),
                },
            ],
        };
        let broken = Fix::replace("Out of range", text.len()..text.len() + 3, "x");
        let inside_char = Fix::replace("Inside a char", 1..2, "x");
        analysis.diagnostics = vec![
            finding("a", 0..3, Some(two)),
            finding("b", q.clone(), Some(Fix::replace("Use —", q.clone(), "—"))),
            finding(
                "c",
                moji.clone(),
                Some(Fix::replace("Use ’", moji.clone(), "’")),
            ),
            finding("d", moji.clone(), None),
            finding("e", moji.clone(), Some(broken)),
            finding("f", moji.clone(), Some(inside_char)),
            finding(
                "g",
                moji.clone(),
                Some(Fix::replace("Use '", moji.clone(), "'")),
            ),
        ];
        let u = uri();
        for enc in ALL {
            let all = actions_at(&analysis, 0..text.len(), enc, None, PLAIN);
            let fixes: Vec<_> = all
                .iter()
                .filter(|a| !a.title.starts_with("Ignore"))
                .collect();
            let expected = [
                (
                    "Two edits",
                    true,
                    "1st 줄 😀 clusters?concentrated\r\n둘째 â€™ end 🇰🇷\r\n",
                ),
                (
                    "Use —",
                    true,
                    "첫 줄 😀 clusters—concentrated\r\n둘째 â€™ 끝 🇰🇷\r\n",
                ),
                // Two fixes compete for the same text: neither is preferred.
                (
                    "Use ’",
                    false,
                    "첫 줄 😀 clusters?concentrated\r\n둘째 ’ 끝 🇰🇷\r\n",
                ),
                (
                    "Use '",
                    false,
                    "첫 줄 😀 clusters?concentrated\r\n둘째 ' 끝 🇰🇷\r\n",
                ),
            ];
            assert_eq!(fixes.len(), expected.len(), "{enc:?}");
            for (action, (title, preferred, want)) in fixes.iter().zip(expected) {
                assert_eq!(action.title, title);
                assert_eq!(action.kind, Some(CodeActionKind::QUICKFIX));
                assert_eq!(action.is_preferred, Some(preferred), "{title}");
                assert_eq!(apply(text, &edits_for(action, &u), enc), want, "{enc:?}");
            }
            // A caret at the `?` only gets that finding's actions.
            let at = actions_at(&analysis, q.start..q.start, enc, None, PLAIN);
            let titles: Vec<_> = at.iter().map(|a| a.title.as_str()).collect();
            assert_eq!(titles, ["Use —", "Ignore b here", "Ignore b in this file"]);
            // The versioned form.
            let style = EditStyle {
                document_changes: true,
            };
            let versioned = actions_at(&analysis, q.clone(), enc, None, style);
            let Some(DocumentChanges::Edits(edits)) =
                &versioned[0].edit.as_ref().unwrap().document_changes
            else {
                panic!("no document changes");
            };
            assert_eq!(edits[0].text_document.version, Some(3));
        }
    }

    #[test]
    fn only_filters() {
        assert!(wanted(None));
        assert!(wanted(Some(&[CodeActionKind::QUICKFIX])));
        assert!(wanted(Some(&[CodeActionKind::EMPTY])));
        assert!(!wanted(Some(&[CodeActionKind::SOURCE_ORGANIZE_IMPORTS])));
        assert!(!wanted(Some(&[CodeActionKind::REFACTOR])));
    }

    // --- the workspace glossary -----------------------------------------------------------

    fn insert(toml: &str, term: &str, definition: &str) -> Option<String> {
        let edit = glossary_insertion(toml, term, definition)?;
        let mut out = toml.to_owned();
        out.replace_range(edit.range, &edit.replacement);
        Some(out)
    }

    #[test]
    fn glossary_entries_join_the_table_or_start_one() {
        let e = "\"KIA\" = \"Korea 😀 \\\"Internet\\\" Agency\"";
        let d = "Korea 😀 \"Internet\" Agency";
        // No file content, no table, a table in the middle, CRLF, no final line break.
        assert_eq!(
            insert("", "KIA", d).unwrap(),
            format!("[glossary.terms]\n{e}\n")
        );
        assert_eq!(
            insert("[rules]\nrelative-date = \"off\"", "KIA", d).unwrap(),
            format!("[rules]\nrelative-date = \"off\"\n\n[glossary.terms]\n{e}\n")
        );
        assert_eq!(
            insert(
                "[glossary.terms]\r\nhub = \"항구\"\r\n\r\n# rules below\r\n[rules]\r\n",
                "KIA",
                d
            )
            .unwrap(),
            format!(
                "[glossary.terms]\r\nhub = \"항구\"\r\n{e}\r\n\r\n# rules below\r\n[rules]\r\n"
            )
        );
        assert_eq!(
            insert("[glossary.terms]  # ours\nhub = \"x\"", "KIA", d).unwrap(),
            format!("[glossary.terms]  # ours\nhub = \"x\"\n{e}")
        );
        assert_eq!(
            insert("[ glossary.terms ]\n", "R&D", "x").unwrap(),
            "[ glossary.terms ]\n\"R&D\" = \"x\"\n"
        );
        // A multi-line string whose line looks like a table header: checked by parsing,
        // the entry goes after the header.
        let tricky = "[glossary.terms]\nhub = \"\"\"\n[a]\n\"\"\"\n";
        let got = insert(tricky, "KIA", "x").unwrap();
        assert!(Config::parse(&got, "t").unwrap().glossary["KIA"] == "x");
        assert_eq!(Config::parse(&got, "t").unwrap().glossary["hub"], "[a]\n");
    }

    #[test]
    fn glossary_entries_are_not_forced() {
        // Already there (in any inflection), a broken file, an inline table.
        assert_eq!(insert("[glossary.terms]\nKIA = \"x\"\n", "KIA", "y"), None);
        assert_eq!(insert("[glossary.terms]\nkias = \"x\"\n", "KIA", "y"), None);
        assert_eq!(insert("[[[ broken", "KIA", "y"), None);
        assert_eq!(
            insert("[glossary]\nterms = { a = \"b\" }\n", "KIA", "y"),
            None
        );
    }

    #[test]
    fn glossary_action_edits_the_workspace_file() {
        let text = "The KIA will publish 😀 data.\r\n";
        let analysis = analyze(text, DocumentKind::PlainText, &Config::default());
        assert_eq!(analysis.diagnostics[0].rule, UNDEFINED_ACRONYM);
        let toml_uri: Uri = "file:///ws/policy-lsp.toml".parse().unwrap();
        let toml = "[rules]\r\n# 한국어 😀\r\nrelative-date = \"off\"\r\n";
        for enc in ALL {
            for document_changes in [false, true] {
                let target = GlossaryTarget {
                    uri: toml_uri.clone(),
                    text: Some(toml.to_owned()),
                    version: None,
                    can_create: false,
                };
                let style = EditStyle { document_changes };
                let actions = actions_at(&analysis, span(text, "KIA"), enc, Some(&target), style);
                let action = find(&actions, "Add KIA to the workspace glossary");
                let after = apply(toml, &edits_for(action, &toml_uri), enc);
                assert_eq!(
                    after,
                    format!(
                        "{toml}\r\n[glossary.terms]\r\n\"KIA\" = \"TODO: what KIA stands for\"\r\n"
                    )
                );
                let config = Config::parse(&after, "policy-lsp.toml").unwrap();
                let silenced = analyze(text, DocumentKind::PlainText, &config);
                assert!(silenced.diagnostics.is_empty(), "{enc:?}");
            }
        }
    }

    #[test]
    fn glossary_action_creates_the_file_or_uses_the_drafts_expansion() {
        // Used before its expansion: the draft's own long form is the definition.
        let text = "KIA 😀 first.\n\nThe Korea Internet Agency (KIA) then.\n";
        let analysis = analyze(text, DocumentKind::PlainText, &Config::default());
        let at = span(text, "KIA");
        assert_eq!(analysis.diagnostics[0].range, at);
        let toml_uri: Uri = "file:///ws/policy-lsp.toml".parse().unwrap();
        let missing = |can_create| GlossaryTarget {
            uri: toml_uri.clone(),
            text: None,
            version: None,
            can_create,
        };
        let style = EditStyle {
            document_changes: true,
        };
        let target = missing(true);
        let actions = actions_at(&analysis, at.clone(), Encoding::Utf16, Some(&target), style);
        let action = find(&actions, "Add KIA to the workspace glossary");
        let Some(DocumentChanges::Operations(ops)) =
            &action.edit.as_ref().unwrap().document_changes
        else {
            panic!("no operations");
        };
        assert!(matches!(
            &ops[0],
            DocumentChangeOperation::Op(ResourceOp::Create(c)) if c.uri == toml_uri
        ));
        let created = apply("", &edits_for(action, &toml_uri), Encoding::Utf16);
        assert_eq!(
            created,
            "[glossary.terms]\n\"KIA\" = \"Korea Internet Agency\"\n"
        );
        // A client that takes `create` without `documentChanges`: the same operations.
        let target = missing(true);
        let actions = actions_at(&analysis, at.clone(), Encoding::Utf16, Some(&target), PLAIN);
        let action = find(&actions, "Add KIA to the workspace glossary");
        assert!(matches!(
            &action.edit.as_ref().unwrap().document_changes,
            Some(DocumentChanges::Operations(_))
        ));
        // A client that cannot create files: not offered.
        let target = missing(false);
        let actions = actions_at(&analysis, at, Encoding::Utf16, Some(&target), style);
        assert!(actions.iter().all(|a| !a.title.starts_with("Add")));
    }
}
