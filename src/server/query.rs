//! What a request about one document reads: the analysis of its current version, the
//! configuration that applies to it and the negotiated encoding, handed to a feature's
//! pure function on the blocking pool.
//!
//! Unknown documents answer `None` (the protocol's `null`); a feature that panics answers
//! its one request with an internal error and the server goes on.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::{self as lsp, MessageType, Uri};

use super::backend::Backend;
use super::encoding;
use super::prepared::Answers;
use super::scheduler::Analyzed;
use super::state::Session;
use super::to_proto::Ranges;
use super::uri;
use crate::analysis::{Analysis, Document, Encoding};
use crate::config::Config;

/// One document's analysis with what it was read under.
pub(crate) struct Query {
    pub uri: Uri,
    analyzed: Arc<Analyzed>,
    pub config: Arc<Config>,
    /// The workspace folder the document's configuration comes from: glossary files are
    /// named relative to it.
    pub root: Option<PathBuf>,
    pub session: Session,
}

impl Query {
    /// For tests: an analysis as if the server had made it.
    #[cfg(test)]
    pub(crate) fn new(uri: Uri, analysis: Analysis, config: Config, encoding: Encoding) -> Self {
        Query {
            uri,
            analyzed: Arc::new(Analyzed::new(
                1,
                0,
                "1".to_owned(),
                Some(analysis),
                Default::default(),
            )),
            config: Arc::new(config),
            root: None,
            session: Session {
                encoding,
                ..Session::default()
            },
        }
    }

    pub(crate) fn encoding(&self) -> Encoding {
        self.session.encoding
    }

    pub(crate) fn version(&self) -> i32 {
        self.analyzed.version
    }

    /// `None` when the analysis failed (already logged).
    pub(crate) fn analysis(&self) -> Option<&Analysis> {
        self.analyzed.analysis.as_ref()
    }

    /// What is made once per analysis and kept beside it.
    pub(crate) fn answers(&self) -> &Answers {
        &self.analyzed.answers
    }

    pub(crate) fn document(&self) -> Option<&Document> {
        self.analysis().map(|a| &a.document)
    }

    /// The byte offset of a position that names a real place in the document; `None`
    /// (and so an empty answer) for anything out of range or inside a character.
    pub(crate) fn offset(&self, position: lsp::Position) -> Option<usize> {
        let doc = self.document()?;
        encoding::exact_offset(&doc.text, &doc.lines, position, self.encoding())
    }

    pub(crate) fn position(&self, offset: usize) -> Option<lsp::Position> {
        let doc = self.document()?;
        Some(encoding::position(
            &doc.text,
            &doc.lines,
            offset,
            self.encoding(),
        ))
    }

    /// Many byte ranges at once, in one sweep over the text: linear however many ranges
    /// a long line holds.
    pub(crate) fn ranges<'r>(
        &self,
        ranges: impl IntoIterator<Item = &'r std::ops::Range<usize>> + Clone,
    ) -> Vec<lsp::Range> {
        let Some(doc) = self.document() else {
            return Vec::new();
        };
        let map = Ranges::new(doc, self.encoding(), ranges.clone());
        ranges.into_iter().map(|r| map.range(r)).collect()
    }

    pub(crate) fn range(&self, range: std::ops::Range<usize>) -> Option<lsp::Range> {
        Some(lsp::Range::new(
            self.position(range.start)?,
            self.position(range.end.max(range.start))?,
        ))
    }
}

impl Backend {
    /// The query for `uri`, waiting for the analysis of its current version; `None` when
    /// the document is not open.
    pub(crate) async fn query(&self, uri: &Uri) -> Option<Query> {
        let analyzed = self.shared.current_analysis(uri).await?;
        let path = uri::to_path(uri);
        let (config, root) = {
            let state = self.shared.lock();
            let workspace = &state.workspace;
            let root = path
                .as_deref()
                .and_then(|path| {
                    workspace
                        .roots()
                        .filter(|root| path.starts_with(root))
                        .max_by_key(|root| root.components().count())
                })
                .or_else(|| workspace.roots().next())
                .map(Path::to_path_buf);
            (workspace.config_for(path.as_deref()), root)
        };
        Some(Query {
            uri: uri.clone(),
            analyzed,
            config,
            root,
            session: self.shared.session(),
        })
    }

    /// Runs `feature` on the query for `uri` on the blocking pool: a long computation never
    /// stalls the message loop, and a panic becomes this request's internal error.
    pub(crate) async fn answer<T: Send + 'static>(
        &self,
        what: &'static str,
        uri: &Uri,
        feature: impl FnOnce(&Query) -> Option<T> + Send + 'static,
    ) -> Result<Option<T>> {
        let Some(query) = self.query(uri).await else {
            return Ok(None);
        };
        tokio::task::spawn_blocking(move || feature(&query))
            .await
            .map_err(|e| {
                self.shared.outbox.log(
                    MessageType::ERROR,
                    format!("{what} for {} failed: {e}", uri.as_str()),
                );
                Error::internal_error()
            })
    }
}
