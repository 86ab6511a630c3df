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

use super::code_actions::{self, GlossaryTarget};
use super::configure::Configurator;
use super::documents::{OpenDocument, TextDocument};
use super::outbox::{Outbox, Outgoing};
use super::prepared::{Answer, Ticket, Tickets};
use super::state::{Session, Shared};
use super::transport::Writer;
use super::{completion, encoding, hover, navigation, semantic_tokens, symbols, to_proto, uri};

/// The diagnostics' identifier in pull mode.
const DIAGNOSTIC_ID: &str = "policy-lsp";

pub(crate) struct Backend {
    pub(crate) shared: Arc<Shared>,
    configurator: Configurator,
    pub(crate) disk_symbols: symbols::DiskIndex,
    /// Prepared results handed to the library as tickets, redeemed by the transport.
    tickets: Arc<Tickets>,
}

impl Backend {
    /// Must run inside a tokio runtime (it starts the outbox task).
    pub(crate) fn new(client: Client, writer: Writer, tickets: Arc<Tickets>) -> Self {
        let outbox = Outbox::spawn(writer);
        let shared = Arc::new(Shared::new(outbox));
        Backend {
            configurator: Configurator::new(client, shared.clone()),
            shared,
            disk_symbols: symbols::DiskIndex::default(),
            tickets,
        }
    }

    fn log(&self, kind: MessageType, text: impl Into<String>) {
        self.shared.outbox.log(kind, text);
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

    /// A prepared answer about `uri`'s current analysis, made on the blocking pool the
    /// first time it is asked for; `None` when the document is not open or its analysis
    /// failed.
    async fn prepared(&self, answer: Answer, uri: &Uri) -> Result<Option<Ticket>> {
        let Some(query) = self.query(uri).await else {
            return Ok(None);
        };
        let json = match query.answers().slot(answer).get() {
            Some(json) => json.clone(),
            None => {
                self.contained(answer.what(), uri, move || {
                    let slot = query.answers().slot(answer);
                    slot.get_or_init(|| answer.compute(&query)).clone()
                })
                .await?
            }
        };
        Ok(json.map(|json| self.tickets.issue(json)))
    }

    /// `textDocument/documentSymbol`, renamed by the transport (see `prepared`).
    pub(crate) async fn prepared_document_symbol(
        &self,
        params: DocumentSymbolParams,
    ) -> Result<Option<Ticket>> {
        self.prepared(Answer::DocumentSymbols, &params.text_document.uri)
            .await
    }

    /// `textDocument/foldingRange`, renamed by the transport (see `prepared`).
    pub(crate) async fn prepared_folding_range(
        &self,
        params: FoldingRangeParams,
    ) -> Result<Option<Ticket>> {
        self.prepared(Answer::FoldingRanges, &params.text_document.uri)
            .await
    }

    /// `textDocument/semanticTokens/full`, renamed by the transport (see `prepared`).
    pub(crate) async fn prepared_semantic_tokens(
        &self,
        params: SemanticTokensParams,
    ) -> Result<Option<Ticket>> {
        self.prepared(Answer::SemanticTokens, &params.text_document.uri)
            .await
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
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        rename_provider: Some(OneOf::Right(RenameOptions {
            prepare_provider: Some(true),
            work_done_progress_options: WorkDoneProgressOptions::default(),
        })),
        workspace_symbol_provider: Some(OneOf::Left(true)),
        completion_provider: Some(CompletionOptions::default()),
        semantic_tokens_provider: Some(semantic_tokens::capability()),
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

impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        let session = self.shared.start_session(&params);
        self.configurator
            .initial_settings(params.initialization_options.as_ref());
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
        self.configurator.start();
    }

    async fn shutdown(&self) -> Result<()> {
        self.shared.shutdown.store(true, Ordering::SeqCst);
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        // A client that cannot watch files: catch up with configuration changes on disk.
        self.configurator.files_changed(&[]);
        let item = params.text_document;
        let kind = uri::document_kind(&item.uri, &item.language_id);
        let instance = self.shared.next_id();
        let doc = TextDocument::new(&item.text, item.version, kind);
        let mut state = self.shared.lock();
        let reopened = state
            .docs
            .insert(item.uri.clone(), OpenDocument::new(doc, instance))
            .is_some();
        self.shared.schedule(&mut state, &item.uri);
        drop(state);
        if reopened {
            // The protocol forbids it; the newer text wins, as after a close and an open.
            self.log(
                MessageType::WARNING,
                format!(
                    "{} was opened again without a close; taking the new text",
                    item.uri.as_str()
                ),
            );
        }
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
        // For clients that cannot watch files: a saved configuration or glossary file, or
        // any such file changed on disk meanwhile.
        let paths: Vec<_> = uri::to_path(&params.text_document.uri)
            .into_iter()
            .collect();
        self.configurator.files_changed(&paths);
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
        let paths: Vec<_> = params
            .changes
            .iter()
            .filter_map(|change| uri::to_path(&change.uri))
            .collect();
        self.configurator.files_changed(&paths);
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        self.configurator.settings_changed(&params.settings);
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
                        items: found.map(|a| a.diagnostics().to_vec()).unwrap_or_default(),
                    },
                })
            }
        };
        Ok(DocumentDiagnosticReportResult::Report(report))
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        if !code_actions::wanted(params.context.only.as_deref()) {
            return Ok(None);
        }
        let uri = params.text_document.uri;
        let Some(analyzed) = self.shared.current_analysis(&uri).await else {
            return Ok(None);
        };
        let session = self.shared.session();
        // The configuration file the glossary action edits, and our copy if it is open.
        let (config_file, open_copy) = {
            let state = self.shared.lock();
            let file = state
                .workspace
                .config_file_for(uri::to_path(&uri).as_deref())
                .and_then(|path| Some((uri::from_path(&path)?, path)));
            let open = file.as_ref().and_then(|(config_uri, _)| {
                let open = state.docs.get(config_uri)?;
                Some((open.doc.text(), open.doc.version))
            });
            (file, open)
        };
        let range = params.range;
        self.contained("code actions", &uri.clone(), move || {
            let analysis = analyzed.analysis.as_ref()?;
            let range = to_proto::byte_range(&analysis.document, range, session.encoding);
            let wanted = code_actions::wants_glossary(analysis, &range);
            let glossary = config_file.filter(|_| wanted).map(|(config_uri, path)| {
                let (text, version) = match open_copy {
                    Some((text, version)) => (Some(text), Some(version)),
                    None => (std::fs::read_to_string(path).ok(), None),
                };
                GlossaryTarget {
                    uri: config_uri,
                    text,
                    version,
                    can_create: session.create_files,
                }
            });
            let request = code_actions::Request {
                uri: &uri,
                version: analyzed.version,
                analysis,
                published: analyzed.diagnostics(),
                range,
                encoding: session.encoding,
                style: session.edit_style,
                glossary: glossary.as_ref(),
            };
            Some(code_actions::code_actions(&request))
        })
        .await
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        let at = params.text_document_position_params;
        let position = at.position;
        self.answer("hover", &at.text_document.uri, move |q| {
            hover::hover(q, position)
        })
        .await
    }

    async fn goto_definition(
        &self,
        params: GotoDefinitionParams,
    ) -> Result<Option<GotoDefinitionResponse>> {
        let at = params.text_document_position_params;
        let position = at.position;
        self.answer("definition", &at.text_document.uri, move |q| {
            navigation::definition(q, position)
        })
        .await
    }

    async fn references(&self, params: ReferenceParams) -> Result<Option<Vec<Location>>> {
        let at = params.text_document_position;
        let (position, declaration) = (at.position, params.context.include_declaration);
        self.answer("references", &at.text_document.uri, move |q| {
            navigation::references(q, position, declaration)
        })
        .await
    }

    async fn prepare_rename(
        &self,
        params: TextDocumentPositionParams,
    ) -> Result<Option<PrepareRenameResponse>> {
        let position = params.position;
        let answer = self
            .answer("prepare rename", &params.text_document.uri, move |q| {
                Some(navigation::prepare_rename(q, position))
            })
            .await?;
        answer.transpose()
    }

    async fn rename(&self, params: RenameParams) -> Result<Option<WorkspaceEdit>> {
        let at = params.text_document_position;
        let (position, new_name) = (at.position, params.new_name);
        let answer = self
            .answer("rename", &at.text_document.uri, move |q| {
                Some(navigation::rename(q, position, &new_name))
            })
            .await?;
        answer.transpose()
    }

    async fn symbol(
        &self,
        params: WorkspaceSymbolParams,
    ) -> Result<Option<WorkspaceSymbolResponse>> {
        self.workspace_symbols(params).await
    }

    async fn completion(&self, params: CompletionParams) -> Result<Option<CompletionResponse>> {
        let at = params.text_document_position;
        let position = at.position;
        self.answer("completion", &at.text_document.uri, move |q| {
            completion::completion(q, position)
        })
        .await
    }

    async fn semantic_tokens_range(
        &self,
        params: SemanticTokensRangeParams,
    ) -> Result<Option<SemanticTokensRangeResult>> {
        let range = params.range;
        self.answer("semantic tokens", &params.text_document.uri, move |q| {
            semantic_tokens::tokens(q, Some(range)).map(SemanticTokensRangeResult::Tokens)
        })
        .await
    }
}
