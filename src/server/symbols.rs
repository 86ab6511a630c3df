//! `workspace/symbol`: the headings and defined terms of every open draft and of the
//! workspace's drafts on disk.
//!
//! The drafts on disk are found the way `policy-lsp check DIR` finds them (the `ignore`
//! crate: `.gitignore`, the configuration's `include`/`exclude`), read and parsed once, on
//! the first request; an open draft's current text always wins over its file.

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::Arc;

use tokio::sync::OnceCell;
use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::{
    Location, MessageType, SymbolInformation, SymbolKind, Uri, WorkspaceSymbolParams,
    WorkspaceSymbolResponse,
};

use super::backend::Backend;
use super::to_proto::Ranges;
use super::uri;
use crate::analysis::{Document, Encoding};
use crate::cli::configs::Configs;
use crate::cli::inputs::{self, Source};

/// The most symbols one answer holds; clients filter further as the user types.
const MOST_SYMBOLS: usize = 1000;
/// Drafts on disk larger than this are left out of the index.
const LARGEST_DRAFT: u64 = 8 << 20;
/// At most this many drafts on disk are indexed (a workspace folder could be a home
/// directory).
const MOST_DRAFTS: usize = 5000;

/// Each draft's symbols, by file.
type ByFile = Vec<(Uri, Vec<SymbolInformation>)>;

/// The symbols of the drafts on disk, computed on first use.
#[derive(Default)]
pub(crate) struct DiskIndex {
    cell: OnceCell<Arc<ByFile>>,
}

/// A draft's headings and defined terms (each term once, where first defined).
pub(crate) fn document_symbols(
    uri: &Uri,
    doc: &Document,
    encoding: Encoding,
) -> Vec<SymbolInformation> {
    let mut seen = HashSet::new();
    let terms: Vec<_> = doc
        .terms
        .definitions
        .iter()
        .filter(|d| seen.insert(d.key.clone()))
        .collect();
    let ranges = Ranges::new(
        doc,
        encoding,
        doc.sections
            .iter()
            .map(|s| &s.heading)
            .chain(terms.iter().map(|d| &d.term_range)),
    );
    let file = uri::file_name(uri);
    #[allow(deprecated)]
    let symbol = |name: String, kind, range| SymbolInformation {
        name,
        kind,
        tags: None,
        deprecated: None,
        location: Location::new(uri.clone(), range),
        container_name: Some(file.clone()),
    };
    let headings = doc.sections.iter().filter_map(|section| {
        let name = collapse(doc.text.get(section.heading.clone())?);
        (!name.is_empty()).then(|| symbol(name, SymbolKind::STRING, ranges.range(&section.heading)))
    });
    let defined = terms.iter().map(|d| {
        symbol(
            collapse(&d.term),
            SymbolKind::KEY,
            ranges.range(&d.term_range),
        )
    });
    headings.chain(defined).collect()
}

fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// How well `name` matches `query` (lower is better), or `None`: the whole name, its
/// start, a word's start, anywhere, or its letters in order.
fn score(query: &str, name: &str) -> Option<u8> {
    if query.is_empty() {
        return Some(0);
    }
    let name = name.to_lowercase();
    if name == query {
        return Some(0);
    }
    if name.starts_with(query) {
        return Some(1);
    }
    if let Some(at) = name.find(query) {
        let word_start = name[..at]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric());
        return Some(if word_start { 2 } else { 3 });
    }
    let mut letters = name.chars();
    query
        .chars()
        .filter(|c| !c.is_whitespace())
        .all(|q| letters.any(|c| c == q))
        .then_some(4)
}

/// The symbols matching `query`, best first.
pub(crate) fn search(
    query: &str,
    symbols: impl IntoIterator<Item = SymbolInformation>,
) -> Vec<SymbolInformation> {
    let query = query.trim().to_lowercase();
    let mut found: Vec<(u8, SymbolInformation)> = symbols
        .into_iter()
        .filter_map(|s| Some((score(&query, &s.name)?, s)))
        .collect();
    found.sort_by(|(a, x), (b, y)| {
        (a, x.name.len(), &x.name, x.location.uri.as_str()).cmp(&(
            b,
            y.name.len(),
            &y.name,
            y.location.uri.as_str(),
        ))
    });
    found.truncate(MOST_SYMBOLS);
    found.into_iter().map(|(_, s)| s).collect()
}

/// Finds, reads and indexes the drafts under `roots`.
fn scan(roots: &[PathBuf], encoding: Encoding) -> ByFile {
    let mut out = Vec::new();
    for root in roots {
        let mut configs = Configs::new(root);
        let found = inputs::collect(std::slice::from_ref(root), None, &mut configs, root);
        for draft in found.drafts {
            if out.len() >= MOST_DRAFTS {
                return out;
            }
            let path = root.join(&draft.path);
            let small = std::fs::metadata(&path).is_ok_and(|m| m.len() <= LARGEST_DRAFT);
            let (Some(uri), true) = (uri::from_path(&path), small) else {
                continue;
            };
            let Ok(text) = inputs::read_text(Source::File, &path) else {
                continue;
            };
            let doc = Document::parse(&text, draft.kind, &draft.config.config);
            let symbols = document_symbols(&uri, &doc, encoding);
            out.push((uri, symbols));
        }
    }
    out
}

impl Backend {
    pub(crate) async fn workspace_symbols(
        &self,
        params: WorkspaceSymbolParams,
    ) -> Result<Option<WorkspaceSymbolResponse>> {
        let encoding = self.shared.session().encoding;
        let (roots, open): (Vec<PathBuf>, Vec<Uri>) = {
            let state = self.shared.lock();
            (
                state.workspace.roots().map(PathBuf::from).collect(),
                state.docs.keys().cloned().collect(),
            )
        };
        let disk = self
            .disk_symbols
            .cell
            .get_or_init(|| async move {
                let scanned = tokio::task::spawn_blocking(move || scan(&roots, encoding)).await;
                Arc::new(scanned.unwrap_or_default())
            })
            .await
            .clone();
        let mut queries = Vec::new();
        for uri in &open {
            if let Some(query) = self.query(uri).await {
                queries.push(query);
            }
        }
        let wanted = params.query;
        let job = tokio::task::spawn_blocking(move || {
            let open: HashSet<&Uri> = queries.iter().map(|q| &q.uri).collect();
            let mut symbols: Vec<SymbolInformation> = queries
                .iter()
                .filter_map(|q| Some(document_symbols(&q.uri, q.document()?, encoding)))
                .flatten()
                .collect();
            for (uri, on_disk) in disk.iter() {
                if !open.contains(uri) {
                    symbols.extend(on_disk.iter().cloned());
                }
            }
            search(&wanted, symbols)
        });
        match job.await {
            Ok(found) => Ok(Some(WorkspaceSymbolResponse::Flat(found))),
            Err(e) => {
                self.shared
                    .outbox
                    .log(MessageType::ERROR, format!("workspace symbols failed: {e}"));
                Err(Error::internal_error())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::DocumentKind;
    use crate::config::Config;

    const DRAFT: &str = "# 정책 😀 Harbour Plan\r\n\r\n## Definitions\r\n\r\n**Port levy**: a charge on ships.\r\n\r\nThe Harbour Safety Board (HSB) meets.\r\n";

    fn names(symbols: &[SymbolInformation]) -> Vec<(&str, SymbolKind)> {
        symbols.iter().map(|s| (s.name.as_str(), s.kind)).collect()
    }

    #[test]
    fn headings_and_terms_of_a_draft() {
        let doc = Document::parse(DRAFT, DocumentKind::Markdown, &Config::default());
        let uri: Uri = "file:///ws/plan.md".parse().unwrap();
        let symbols = document_symbols(&uri, &doc, Encoding::Utf16);
        assert_eq!(
            names(&symbols),
            [
                ("정책 😀 Harbour Plan", SymbolKind::STRING),
                ("Definitions", SymbolKind::STRING),
                ("Port levy", SymbolKind::KEY),
                ("HSB", SymbolKind::KEY),
            ]
        );
        let title = &symbols[0].location.range;
        assert_eq!((title.start.character, title.end.character), (2, 20));
        let utf8 = document_symbols(&uri, &doc, Encoding::Utf8);
        assert_eq!(
            utf8[0].location.range.end.character,
            2 + "정책 😀 Harbour Plan".len() as u32
        );
        assert_eq!(symbols[2].location.range.start.line, 4);
        assert_eq!(symbols[0].container_name.as_deref(), Some("plan.md"));
    }

    #[test]
    fn search_ranks_exact_prefix_word_substring_and_letters() {
        let doc = Document::parse(DRAFT, DocumentKind::Markdown, &Config::default());
        let uri: Uri = "file:///ws/plan.md".parse().unwrap();
        let symbols = document_symbols(&uri, &doc, Encoding::Utf16);
        let found = |q: &str| {
            search(q, symbols.clone())
                .iter()
                .map(|s| s.name.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(found("hsb"), ["HSB"]);
        assert_eq!(found("levy"), ["Port levy"]);
        assert_eq!(found("DEF"), ["Definitions"]);
        assert_eq!(found("hbrpln"), ["정책 😀 Harbour Plan"]);
        assert_eq!(found("정책"), ["정책 😀 Harbour Plan"]);
        assert_eq!(found("").len(), 4);
        assert!(found("zzz").is_empty());
    }

    #[test]
    fn drafts_on_disk_are_found_once() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("plan.md"), DRAFT).unwrap();
        std::fs::create_dir(dir.path().join("notes")).unwrap();
        std::fs::write(
            dir.path().join("notes").join("brief.txt"),
            "Budget Brief\n\"Anchor firm\" means a company that locates research here.\n",
        )
        .unwrap();
        std::fs::write(dir.path().join("data.json"), "{}").unwrap();
        let scanned = scan(&[dir.path().to_path_buf()], Encoding::Utf16);
        let files: Vec<String> = scanned.iter().map(|(u, _)| uri::file_name(u)).collect();
        assert_eq!(files, ["brief.txt", "plan.md"]);
        let all: Vec<SymbolInformation> = scanned.into_iter().flat_map(|(_, s)| s).collect();
        assert_eq!(
            search("anchor", all)
                .iter()
                .map(|s| s.name.as_str())
                .collect::<Vec<_>>(),
            ["Anchor firm"]
        );
    }
}
