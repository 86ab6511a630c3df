//! A document's findings in protocol terms — their ranges in the negotiated encoding and,
//! when diagnostics are pushed, the `publishDiagnostics` notification ready to write —
//! converted from what the previous analysis of the same document left.
//!
//! Why: a keystroke changes a few findings of thousands, yet converting every finding
//! (positions, messages, documentation links) and serialising them all cost the server
//! more per edit than the analysis did (about 8 and 20 million instructions a publish for
//! 3,350 findings on 1 MiB). A finding equal to one of the previous analysis up to the
//! edit's shift — same rule, severity and message, its range wholly before the changed
//! bytes or wholly after them — keeps its positions where they cannot have moved and its
//! JSON object, which is copied, with only its range written again if that moved; the
//! others are converted and serialised as from scratch. The notification is assembled
//! from those pieces and equals byte for byte the one a fresh conversion serialises (the
//! tests below check it after random edits in every encoding).
//!
//! When positions cannot have moved: the text before the change is the same, so is any
//! position before its start. After the change, a position keeps its column if its line
//! begins after the change's end (the whole line, break included, is unchanged text), and
//! its line number moves by the lines the change added or removed. Everything else is
//! computed afresh, in one sweep ([`Ranges`]).

use std::ops::Range;
use std::sync::Arc;

use tower_lsp_server::ls_types::notification::PublishDiagnostics;
use tower_lsp_server::ls_types::{self as lsp, PublishDiagnosticsParams, Uri};

use super::documents::Changed;
use super::encoding;
use super::outbox;
use super::scheduler::Analyzed;
use super::to_proto::{self, Ranges, RuleLinks};
use crate::analysis::{Analysis, Diagnostic, Document, Encoding};

/// One analysis's findings in protocol terms.
#[derive(Default)]
pub(crate) struct Converted {
    /// Each finding's range in the negotiated encoding, index for index with the
    /// analysis's findings.
    pub ranges: Vec<lsp::Range>,
    /// The notification, when diagnostics are pushed.
    pub notification: Option<Notification>,
}

/// A `publishDiagnostics` notification, serialised.
pub(crate) struct Notification {
    pub body: Arc<Vec<u8>>,
    /// Where each finding's JSON object lies in `body`.
    objects: Vec<Object>,
}

#[derive(Clone)]
struct Object {
    bytes: Range<usize>,
    /// Where the part after the range begins (the object starts `{"range":RANGE,`).
    after_range: usize,
}

const RANGE_KEY: &[u8] = b"{\"range\":";

/// Where diagnostics go.
#[derive(Clone, Copy)]
pub(crate) struct Target<'a> {
    pub uri: &'a Uri,
    pub version: i32,
    /// Whether they are pushed (`publishDiagnostics`); else the client pulls them.
    pub push: bool,
}

/// Converts `analysis`, reusing what `previous` (the analysis of the document's text
/// before `changed`) converted.
pub(crate) fn convert(
    previous: Option<&Analyzed>,
    analysis: &Analysis,
    changed: Option<Changed>,
    encoding: Encoding,
    target: Target<'_>,
) -> Converted {
    let previous = previous
        .and_then(|p| Some((p.analysis.as_ref()?, &p.converted)))
        .filter(|(old, _)| fits(&old.document.text, &analysis.document.text, changed));
    let matches = match previous {
        Some((old, _)) => match_findings(&old.diagnostics, &analysis.diagnostics, changed),
        None => vec![None; analysis.diagnostics.len()],
    };
    let old_ranges = previous.map_or(&[][..], |(_, c)| &c.ranges);
    let shift = previous.map(|(old, _)| Shift::new(&old.document, &analysis.document, changed));
    let ranges = match &shift {
        Some(shift) => ranges(analysis, encoding, shift, &matches, old_ranges),
        None => to_proto::ranges(analysis, encoding),
    };
    let notification = target.push.then(|| {
        let old = previous.and_then(|(_, c)| Some((c.notification.as_ref()?, old_ranges)));
        serialise(target, &analysis.diagnostics, &ranges, &matches, old)
    });
    Converted {
        ranges,
        notification,
    }
}

/// Whether `changed` can describe the way from `old` to `new`; if not (it always can,
/// unless the document store and the analyses went out of step), nothing is reused.
fn fits(old: &str, new: &str, changed: Option<Changed>) -> bool {
    match changed {
        None => old.len() == new.len(),
        Some(c) => {
            c.start <= c.old_end.min(c.new_end)
                && c.old_end <= old.len()
                && c.new_end <= new.len()
                && new.len() - c.new_end == old.len() - c.old_end
        }
    }
}

/// For each new finding, the previous finding it equals up to the edit's shift, if any.
/// Both lists are sorted by start and the shift keeps that order, so one pass does.
fn match_findings(
    old: &[Diagnostic],
    new: &[Diagnostic],
    changed: Option<Changed>,
) -> Vec<Option<usize>> {
    let mut next = 0;
    new.iter()
        .map(|d| {
            let range = match changed {
                None => d.range.clone(),
                Some(c) => c.to_old(&d.range)?,
            };
            while old.get(next).is_some_and(|o| o.range.start < range.start) {
                next += 1;
            }
            let same = |o: &Diagnostic| {
                o.range == range
                    && o.rule == d.rule
                    && o.severity == d.severity
                    && o.message == d.message
            };
            old[next..]
                .iter()
                .take_while(|o| o.range.start == range.start)
                .position(same)
                .map(|i| next + i)
        })
        .collect()
}

/// Where positions of the previous analysis are in the new one, when they can be known
/// without reading the text (see the module's documentation).
struct Shift {
    changed: Option<Changed>,
    /// The old text's line where the change ends.
    last_changed_line: u32,
    /// Lines the change added (negative: removed).
    lines_added: i64,
}

impl Shift {
    fn new(old: &Document, new: &Document, changed: Option<Changed>) -> Self {
        let line = |doc: &Document, offset| encoding::line_of(&doc.text, &doc.lines, offset);
        Shift {
            changed,
            last_changed_line: changed.map_or(0, |c| line(old, c.old_end) as u32),
            lines_added: new.lines.line_count() as i64 - old.lines.line_count() as i64,
        }
    }

    /// The protocol range of a finding at `range` in the new text that matched one at
    /// `old`, if it can be known from that: a matched finding lies wholly before the
    /// change or wholly after it.
    fn range(&self, range: &Range<usize>, old: lsp::Range) -> Option<lsp::Range> {
        match self.changed {
            Some(c) if range.start >= c.start => Some(lsp::Range::new(
                self.after(old.start)?,
                self.after(old.end)?,
            )),
            _ => Some(old),
        }
    }

    /// Where a position after the change is now, if it is on a line after it.
    fn after(&self, old: lsp::Position) -> Option<lsp::Position> {
        let line = u32::try_from(i64::from(old.line) + self.lines_added).ok();
        let line = line.filter(|_| old.line > self.last_changed_line)?;
        Some(lsp::Position::new(line, old.character))
    }
}

/// Each finding's protocol range: a matched finding's old range where it cannot have
/// moved but by whole lines, the rest computed in one sweep.
fn ranges(
    analysis: &Analysis,
    encoding: Encoding,
    shift: &Shift,
    matches: &[Option<usize>],
    old_ranges: &[lsp::Range],
) -> Vec<lsp::Range> {
    let findings = &analysis.diagnostics;
    let known: Vec<Option<lsp::Range>> = findings
        .iter()
        .zip(matches)
        .map(|(d, m)| shift.range(&d.range, old_ranges[(*m)?]))
        .collect();
    let unknown = findings
        .iter()
        .zip(&known)
        .filter_map(|(d, k)| k.is_none().then_some(&d.range));
    let fresh = Ranges::new(&analysis.document, encoding, unknown);
    findings
        .iter()
        .zip(known)
        .map(|(d, known)| known.unwrap_or_else(|| fresh.range(&d.range)))
        .collect()
}

/// The notification for `findings` at `ranges`: each matched finding's old JSON object
/// (its range written again if it moved), the others serialised.
fn serialise(
    target: Target<'_>,
    findings: &[Diagnostic],
    ranges: &[lsp::Range],
    matches: &[Option<usize>],
    old: Option<(&Notification, &[lsp::Range])>,
) -> Notification {
    let (head, tail) = envelope(target);
    let mut body = Vec::with_capacity(old.map_or(head.len() + tail.len(), |(n, _)| n.body.len()));
    body.extend_from_slice(&head);
    let mut objects = Vec::with_capacity(findings.len());
    let mut links = RuleLinks::default();
    for (i, (d, range)) in findings.iter().zip(ranges).enumerate() {
        if i > 0 {
            body.push(b',');
        }
        let start = body.len();
        let reused = matches[i].and_then(|j| Some((old?, j)));
        let after_range = match reused {
            Some(((old, old_ranges), j)) => {
                let object = &old.objects[j];
                if old_ranges[j] == *range {
                    body.extend_from_slice(&old.body[object.bytes.clone()]);
                    start + (object.after_range - object.bytes.start)
                } else {
                    body.extend_from_slice(RANGE_KEY);
                    write(&mut body, range);
                    let after_range = body.len();
                    body.extend_from_slice(&old.body[object.after_range..object.bytes.end]);
                    after_range
                }
            }
            None => {
                write(
                    &mut body,
                    &to_proto::diagnostic(d, *range, links.get(d.rule)),
                );
                let range_json = serde_json::to_vec(range).unwrap_or_default();
                debug_assert!(
                    body[start..].starts_with(RANGE_KEY)
                        && body[start + RANGE_KEY.len()..].starts_with(&range_json),
                    "a diagnostic's JSON begins with its range"
                );
                start + RANGE_KEY.len() + range_json.len()
            }
        };
        objects.push(Object {
            bytes: start..body.len(),
            after_range,
        });
    }
    body.extend_from_slice(&tail);
    Notification {
        body: Arc::new(body),
        objects,
    }
}

/// Serialises a protocol value into `out`. Writing to memory, it fails only if the value
/// cannot be JSON, which the protocol's types always can.
fn write(out: &mut Vec<u8>, value: &impl serde::Serialize) {
    if let Err(error) = serde_json::to_writer(out, value) {
        unreachable!("a protocol value that is not JSON: {error}");
    }
}

/// The notification without its diagnostics, cut where they go: serialised as the outbox
/// serialises any notification, with an empty list, which is split between its brackets.
fn envelope(target: Target<'_>) -> (Vec<u8>, Vec<u8>) {
    const EMPTY: &[u8] = b"\"diagnostics\":[]";
    let params = PublishDiagnosticsParams {
        uri: target.uri.clone(),
        diagnostics: Vec::new(),
        version: Some(target.version),
    };
    let mut head = outbox::notification::<PublishDiagnostics>(&params)
        .unwrap_or_else(|error| unreachable!("a notification that is not JSON: {error}"));
    // The list comes after the URI, a JSON string in which no `"` stands unescaped, so
    // the first match is the list.
    let Some(at) = head.windows(EMPTY.len()).position(|w| w == EMPTY) else {
        unreachable!("publishDiagnostics without its list of diagnostics");
    };
    let tail = head.split_off(at + EMPTY.len() - 1);
    (head, tail)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::testing::Lcg;
    use crate::analysis::{analyze, DocumentKind};
    use crate::config::Config;
    use crate::server::documents::TextDocument;
    use crate::server::outbox::Outgoing;
    use tower_lsp_server::ls_types::TextDocumentContentChangeEvent;

    /// A draft with findings of every kind, Korean and emoji text and CRLF line breaks.
    const DRAFT: &str = "# 정책 😀 초안\r\n\r\n## 배경 Background\r\n\r\nThe clusters?concentrated \
                         in 2023 grew \"fast. Costs rose by 30 trillion last year, experts say.\r\n\r\n\
                         ### 😀 Details\r\n\r\nMinister Kim said: \"We will double it.\" 한국어 text â€™ \
                         here. The WTO and the OECD agree; see section 9.\r\n\r\n## Next steps\r\n\r\n\
                         Revenue grew 5,000억 and 1.2m recently.\n1. Done.\r\n";

    /// Pieces an edit inserts: line breaks of every kind, characters that make or unmake
    /// findings, text of every width.
    const PIECES: &[&str] = &[
        "",
        "a",
        " ",
        "한",
        "😀",
        "\r\n",
        "\n",
        "\r",
        "\"",
        "?",
        "30 billion",
        "â€™",
        "# ",
        "Experts say ",
        "NATO",
        "x\r\ny",
        "😀\n한",
    ];

    /// A change replacing bytes `range` of `text` with `new`, in the protocol's terms.
    fn change(
        text: &str,
        range: Range<usize>,
        new: &str,
        encoding: Encoding,
    ) -> TextDocumentContentChangeEvent {
        let lines = crate::analysis::LineIndex::new(text);
        let at = |offset| encoding::position(text, &lines, offset, encoding);
        TextDocumentContentChangeEvent {
            range: Some(lsp::Range::new(at(range.start), at(range.end))),
            range_length: None,
            text: new.to_owned(),
        }
    }

    fn floor(text: &str, offset: usize) -> usize {
        crate::analysis::text::floor_char_boundary(text, offset.min(text.len()))
    }

    /// What publishing `analysis` from scratch sends: converted and serialised whole.
    fn from_scratch(uri: &Uri, version: i32, analysis: &Analysis, encoding: Encoding) -> Vec<u8> {
        let diagnostics = to_proto::diagnostics(analysis, encoding);
        let body = Outgoing::Diagnostics {
            uri: uri.clone(),
            diagnostics,
            version: Some(version),
        }
        .into_json()
        .unwrap();
        body.to_vec()
    }

    /// Adds findings that end and start inside and around every line break, where a
    /// position depends on the characters on both sides of it (a CR then an LF is one
    /// break).
    fn with_findings_at_line_breaks(mut analysis: Analysis) -> Analysis {
        let text = &analysis.document.text;
        let breaks = text.match_indices(['\r', '\n']).map(|(at, _)| at);
        let at_breaks: Vec<Diagnostic> = breaks
            .flat_map(|at| [at..at + 1, at + 1..at + 1, at.saturating_sub(1)..at])
            .map(|range| Diagnostic {
                rule: "line-break",
                severity: crate::analysis::Severity::Hint,
                message: "a line break".into(),
                range,
                fix: None,
            })
            .collect();
        let findings = &mut analysis.diagnostics;
        findings.extend(at_breaks);
        findings.sort_by(|a, b| {
            (a.range.start, a.range.end, a.rule).cmp(&(b.range.start, b.range.end, b.rule))
        });
        analysis
    }

    #[test]
    fn after_random_edits_the_notification_equals_a_fresh_one() {
        let uri: Uri = "file:///tmp/%EC%A0%95%EC%B1%85%20draft.md".parse().unwrap();
        let config = Config::default();
        for encoding in [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32] {
            for kind in [DocumentKind::Markdown, DocumentKind::PlainText] {
                let mut rng = Lcg(7 + encoding as u64);
                let mut doc = TextDocument::new(&DRAFT.repeat(3), 1, kind);
                let mut previous: Option<Analyzed> = None;
                let (mut reused, mut total) = (0, 0);
                for version in 2..400 {
                    // One to three changes before each analysis (coalesced edits), now
                    // and then a whole new text.
                    for _ in 0..1 + rng.below(3) {
                        let text = doc.text();
                        let change = if rng.below(60) == 0 {
                            TextDocumentContentChangeEvent {
                                range: None,
                                range_length: None,
                                text: DRAFT[..floor(DRAFT, rng.below(DRAFT.len()))].repeat(2),
                            }
                        } else {
                            let start = floor(&text, rng.below(text.len() + 1));
                            let end = floor(&text, start + rng.below(4) * rng.below(8));
                            let new = PIECES[rng.below(PIECES.len())];
                            change(&text, start..end, new, encoding)
                        };
                        doc.apply_changes(vec![change], version, encoding);
                    }
                    let (text, changed) = doc.take_text();
                    let text = text.to_string();
                    let analysis = with_findings_at_line_breaks(analyze(&text, kind, &config));
                    let target = Target {
                        uri: &uri,
                        version,
                        push: true,
                    };
                    let converted =
                        convert(previous.as_ref(), &analysis, changed, encoding, target);
                    let fresh = to_proto::diagnostics(&analysis, encoding);
                    let fresh_ranges: Vec<lsp::Range> = fresh.iter().map(|d| d.range).collect();
                    assert_eq!(
                        converted.ranges, fresh_ranges,
                        "{encoding:?} {kind:?} v{version}"
                    );
                    let body = &converted.notification.as_ref().unwrap().body;
                    let want = from_scratch(&uri, version, &analysis, encoding);
                    assert_eq!(
                        String::from_utf8_lossy(body),
                        String::from_utf8_lossy(&want),
                        "{encoding:?} {kind:?} v{version}"
                    );
                    if let Some(old) = &previous {
                        let matches = match_findings(
                            &old.analysis.as_ref().unwrap().diagnostics,
                            &analysis.diagnostics,
                            changed,
                        );
                        reused += matches.iter().flatten().count();
                    }
                    total += analysis.diagnostics.len();
                    previous = Some(Analyzed::new(
                        version,
                        0,
                        String::new(),
                        Some(analysis),
                        converted,
                    ));
                }
                // Most findings are away from any one edit: the test exercises reuse.
                assert!(reused * 2 > total, "{reused} of {total} reused");
            }
        }
    }

    /// Converts `before`, edits it, and checks the incremental conversion against a fresh
    /// one, with a finding ending and one starting at every offset.
    fn check_edit(before: &str, edit: Range<usize>, new: &str) {
        let uri: Uri = "file:///d.txt".parse().unwrap();
        let everywhere = |text: &str| {
            let mut analysis = analyze(text, DocumentKind::PlainText, &Config::default());
            analysis.diagnostics = (0..=text.len())
                .filter(|&at| text.is_char_boundary(at))
                .flat_map(|at| [0..at, at..text.len()])
                .map(|range| Diagnostic {
                    rule: "test-rule",
                    severity: crate::analysis::Severity::Hint,
                    message: "here".into(),
                    range,
                    fix: None,
                })
                .collect();
            analysis
                .diagnostics
                .sort_by_key(|d| (d.range.start, d.range.end));
            analysis
        };
        for encoding in [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32] {
            let target = Target {
                uri: &uri,
                version: 1,
                push: true,
            };
            let mut doc = TextDocument::new(before, 1, DocumentKind::PlainText);
            let (text, changed) = doc.take_text();
            let analysis = everywhere(&text.to_string());
            let first = convert(None, &analysis, changed, encoding, target);
            let previous = Analyzed::new(1, 0, String::new(), Some(analysis), first);
            doc.apply_changes(
                vec![change(before, edit.clone(), new, encoding)],
                2,
                encoding,
            );
            let (text, changed) = doc.take_text();
            let analysis = everywhere(&text.to_string());
            let converted = convert(Some(&previous), &analysis, changed, encoding, target);
            assert_eq!(
                converted.ranges,
                to_proto::ranges(&analysis, encoding),
                "{before:?} {edit:?} {new:?} {encoding:?}"
            );
        }
    }

    #[test]
    fn positions_at_the_edges_of_an_edit_are_computed_again() {
        // A CR and an LF typed after it become one break: the offset between them is on
        // the line before.
        check_edit("ab\rcd", 3..3, "\n");
        check_edit("ab\r", 3..3, "\n");
        check_edit("ab\r\ncd", 3..3, "x");
        check_edit("ab\ncd", 2..2, "\r");
        check_edit("한😀\r\n😀\r\nx", 9..9, "\n");
        check_edit("a\r\nb\r\nc", 1..1, "😀\r");
    }

    #[test]
    fn pulled_diagnostics_are_not_serialised() {
        let uri: Uri = "file:///d.md".parse().unwrap();
        let analysis = analyze(DRAFT, DocumentKind::Markdown, &Config::default());
        let target = Target {
            uri: &uri,
            version: 1,
            push: false,
        };
        let converted = convert(None, &analysis, None, Encoding::Utf16, target);
        assert!(converted.notification.is_none());
        assert_eq!(converted.ranges.len(), analysis.diagnostics.len());
    }
}
