//! The protocol handlers. Notifications that change documents apply their change
//! synchronously — no `.await` before the edit, the state behind a `std::sync::Mutex` —
//! because tower-lsp-server runs up to four handlers at once (STYLE.md §8, known traps).
//! Requests await the analysis of the document's current version.

use std::sync::atomic::Ordering;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, LanguageServer};

use super::documents::{OpenDocument, TextDocument};
use super::outbox::{Outbox, Outgoing};
use super::state::{Session, Shared};
use super::workspace::CONFIG_FILE;
use super::{encoding, to_proto, uri};

/// The diagnostics' identifier in pull mode.
const DIAGNOSTIC_ID: &str = "policy-lsp";
const WATCH_ID: &str = "policy-lsp/watch-config";

pub(crate) struct Backend {
    client: Client,
    pub(crate) shared: Arc<Shared>,
}

impl Backend {
    /// Must run inside a tokio runtime (it starts the outbox task).
    pub(crate) fn new(client: Client) -> Self {
        let outbox = Outbox::spawn(client.clone());
        Backend {
            client,
            shared: Arc::new(Shared::new(outbox)),
        }
    }

    fn log(&self, kind: MessageType, text: impl Into<String>) {
        self.shared.outbox.log(kind, text);
    }

    /// Reads the configuration files again; re-analyses everything if they changed.
    fn reload_config(&self) {
        let session = self.shared.session();
        let mut state = self.shared.lock();
        let (changed, errors) = state.workspace.reload();
        for error in errors {
            self.shared.outbox.show(MessageType::ERROR, error);
        }
        if !changed {
            return;
        }
        state.epoch += 1;
        self.log(
            MessageType::INFO,
            "configuration changed: re-checking open drafts",
        );
        self.shared.schedule_all(&mut state);
        drop(state);
        if session.pull && session.refresh {
            // A request to the client: never awaited inside a notification handler.
            let client = self.client.clone();
            tokio::spawn(async move {
                let _ = client.workspace_diagnostic_refresh().await;
            });
        }
    }

    /// Runs `compute` on the blocking pool: a large draft's conversion never stalls the
    /// message loop, and a bug that panics answers this one request with an internal
    /// error instead of taking the server down.
    async fn contained<T: Send + 'static>(
        &self,
        what: &str,
        uri: &Uri,
        compute: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T> {
        tokio::task::spawn_blocking(compute).await.map_err(|e| {
            self.log(
                MessageType::ERROR,
                format!("{what} for {} failed: {e}", uri.as_str()),
            );
            tower_lsp_server::jsonrpc::Error::internal_error()
        })
    }

    /// `policyLsp/documentText`: the server's copy of a document, for tests and debugging.
    pub(crate) async fn document_text(
        &self,
        params: DocumentTextParams,
    ) -> Result<Option<DocumentText>> {
        let state = self.shared.lock();
        Ok(state
            .docs
            .get(&params.text_document.uri)
            .map(|open| DocumentText {
                version: open.doc.version,
                text: open.doc.text(),
            }))
    }
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct DocumentTextParams {
    text_document: TextDocumentIdentifier,
}

#[derive(Debug, Serialize)]
pub(crate) struct DocumentText {
    version: i32,
    text: String,
}

fn capabilities(session: &Session) -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(encoding::kind(session.encoding)),
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::INCREMENTAL),
                save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions {
                    include_text: Some(false),
                })),
                ..TextDocumentSyncOptions::default()
            },
        )),
        diagnostic_provider: session.pull.then(|| {
            DiagnosticServerCapabilities::Options(DiagnosticOptions {
                identifier: Some(DIAGNOSTIC_ID.to_owned()),
                inter_file_dependencies: false,
                workspace_diagnostics: false,
                work_done_progress_options: WorkDoneProgressOptions::default(),
            })
        }),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![CodeActionKind::QUICKFIX]),
            resolve_provider: Some(false),
            work_done_progress_options: WorkDoneProgressOptions::default(),
        })),
        document_symbol_provider: Some(OneOf::Right(DocumentSymbolOptions {
            label: Some("policy-lsp".to_owned()),
            work_done_progress_options: WorkDoneProgressOptions::default(),
        })),
        folding_range_provider: Some(FoldingRangeProviderCapability::Simple(true)),
        ..ServerCapabilities::default()
    }
}

fn encoding_name(session: &Session) -> &'static str {
    match session.encoding {
        crate::analysis::Encoding::Utf8 => "UTF-8",
        crate::analysis::Encoding::Utf16 => "UTF-16",
        crate::analysis::Encoding::Utf32 => "UTF-32",
    }
}

/// Whether a code action request's `only` filter lets quick fixes through.
fn wants_quick_fixes(only: Option<&[CodeActionKind]>) -> bool {
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

impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        let session = self.shared.start_session(&params);
        Ok(InitializeResult {
            capabilities: capabilities(&session),
            server_info: Some(ServerInfo {
                name: "policy-lsp".to_owned(),
                version: Some(env!("CARGO_PKG_VERSION").to_owned()),
            }),
            offset_encoding: None,
        })
    }

    async fn initialized(&self, _: InitializedParams) {
        let session = self.shared.session();
        self.log(
            MessageType::INFO,
            format!(
                "policy-lsp {} ready: {} positions, {} diagnostics",
                env!("CARGO_PKG_VERSION"),
                encoding_name(&session),
                if session.pull { "pulled" } else { "pushed" },
            ),
        );
        let errors = std::mem::take(&mut self.shared.lock().pending_errors);
        for error in errors {
            self.shared.outbox.show(
                MessageType::ERROR,
                format!("{error} (using the default configuration)"),
            );
        }
        if session.watch {
            let client = self.client.clone();
            let outbox = self.shared.outbox.clone();
            // A request to the client: never awaited inside a notification handler.
            tokio::spawn(async move {
                let options = DidChangeWatchedFilesRegistrationOptions {
                    watchers: vec![FileSystemWatcher {
                        glob_pattern: GlobPattern::String(format!("**/{CONFIG_FILE}")),
                        kind: None,
                    }],
                };
                let registration = Registration {
                    id: WATCH_ID.to_owned(),
                    method: "workspace/didChangeWatchedFiles".to_owned(),
                    register_options: serde_json::to_value(options).ok(),
                };
                if let Err(e) = client.register_capability(vec![registration]).await {
                    outbox.log(
                        MessageType::WARNING,
                        format!("could not watch {CONFIG_FILE}: {e}"),
                    );
                }
            });
        }
    }

    async fn shutdown(&self) -> Result<()> {
        self.shared.shutdown.store(true, Ordering::SeqCst);
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        let item = params.text_document;
        let kind = uri::document_kind(&item.uri, &item.language_id);
        let instance = self.shared.next_id();
        let doc = TextDocument::new(&item.text, item.version, kind);
        let mut state = self.shared.lock();
        state
            .docs
            .insert(item.uri.clone(), OpenDocument::new(doc, instance));
        self.shared.schedule(&mut state, &item.uri);
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        let encoding = self.shared.session().encoding;
        let id = params.text_document;
        let mut state = self.shared.lock();
        let Some(open) = state.docs.get_mut(&id.uri) else {
            drop(state);
            self.log(
                MessageType::WARNING,
                format!(
                    "ignoring a change to {}, which is not open",
                    id.uri.as_str()
                ),
            );
            return;
        };
        let previous = open.doc.version;
        open.doc
            .apply_changes(params.content_changes, id.version, encoding);
        self.shared.schedule(&mut state, &id.uri);
        drop(state);
        if id.version <= previous {
            self.log(
                MessageType::WARNING,
                format!(
                    "{}: version {} after {previous}; applied in arrival order",
                    id.uri.as_str(),
                    id.version
                ),
            );
        }
    }

    async fn did_save(&self, params: DidSaveTextDocumentParams) {
        let is_config = {
            let state = self.shared.lock();
            uri::to_path(&params.text_document.uri)
                .is_some_and(|path| state.workspace.is_config_file(&path))
        };
        if is_config {
            self.reload_config();
        }
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        let uri = params.text_document.uri;
        let mut state = self.shared.lock();
        if state.docs.remove(&uri).is_some() && !self.shared.session().pull {
            // Queued under the lock: after any result published before the close.
            self.shared.outbox.send(Outgoing::Diagnostics {
                uri,
                diagnostics: Vec::new(),
                version: None,
            });
        }
    }

    async fn did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
        let touches_config = params
            .changes
            .iter()
            .any(|change| uri::file_name(&change.uri) == CONFIG_FILE);
        if touches_config {
            self.reload_config();
        }
    }

    async fn diagnostic(
        &self,
        params: DocumentDiagnosticParams,
    ) -> Result<DocumentDiagnosticReportResult> {
        let uri = params.text_document.uri;
        let report = match self.shared.current_analysis(&uri).await {
            Some(analyzed) if params.previous_result_id.as_deref() == Some(&analyzed.result_id) => {
                DocumentDiagnosticReport::Unchanged(RelatedUnchangedDocumentDiagnosticReport {
                    related_documents: None,
                    unchanged_document_diagnostic_report: UnchangedDocumentDiagnosticReport {
                        result_id: analyzed.result_id.clone(),
                    },
                })
            }
            found => {
                if found.is_none() {
                    self.log(
                        MessageType::LOG,
                        format!("diagnostics asked for {}, which is not open", uri.as_str()),
                    );
                }
                DocumentDiagnosticReport::Full(RelatedFullDocumentDiagnosticReport {
                    related_documents: None,
                    full_document_diagnostic_report: FullDocumentDiagnosticReport {
                        result_id: found.as_ref().map(|a| a.result_id.clone()),
                        items: found.map(|a| a.diagnostics.clone()).unwrap_or_default(),
                    },
                })
            }
        };
        Ok(DocumentDiagnosticReportResult::Report(report))
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        if !wants_quick_fixes(params.context.only.as_deref()) {
            return Ok(None);
        }
        let uri = params.text_document.uri;
        let Some(analyzed) = self.shared.current_analysis(&uri).await else {
            return Ok(None);
        };
        let session = self.shared.session();
        let range = params.range;
        self.contained("code actions", &uri.clone(), move || {
            let analysis = analyzed.analysis.as_ref()?;
            let range = to_proto::byte_range(&analysis.document, range, session.encoding);
            Some(to_proto::quick_fixes(
                &uri,
                analyzed.version,
                analysis,
                &analyzed.diagnostics,
                range,
                session.encoding,
                session.edit_style,
            ))
        })
        .await
    }

    async fn document_symbol(
        &self,
        params: DocumentSymbolParams,
    ) -> Result<Option<DocumentSymbolResponse>> {
        let uri = params.text_document.uri;
        let Some(analyzed) = self.shared.current_analysis(&uri).await else {
            return Ok(None);
        };
        let session = self.shared.session();
        self.contained("document symbols", &uri.clone(), move || {
            let analysis = analyzed.analysis.as_ref()?;
            let encoding = session.encoding;
            Some(if session.hierarchical_symbols {
                DocumentSymbolResponse::Nested(to_proto::document_symbols(analysis, encoding))
            } else {
                DocumentSymbolResponse::Flat(to_proto::flat_symbols(&uri, analysis, encoding))
            })
        })
        .await
    }

    async fn folding_range(&self, params: FoldingRangeParams) -> Result<Option<Vec<FoldingRange>>> {
        let uri = params.text_document.uri;
        let Some(analyzed) = self.shared.current_analysis(&uri).await else {
            return Ok(None);
        };
        let limit = self.shared.session().folding_limit;
        self.contained("folding ranges", &uri, move || {
            let analysis = analyzed.analysis.as_ref()?;
            Some(to_proto::folding_ranges(analysis, limit))
        })
        .await
    }
}
