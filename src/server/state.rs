//! What the server knows: the session negotiated at `initialize`, the open documents and
//! the workspace configuration, behind one `std::sync::Mutex` that no one holds across an
//! `.await`.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard, OnceLock};

use tower_lsp_server::ls_types::{
    ClientCapabilities, InitializeParams, MarkupKind, MessageType, ResourceOperationKind, Uri,
};

use super::documents::OpenDocument;
use super::encoding;
use super::outbox::Outbox;
use super::to_proto::EditStyle;
use super::uri;
use super::workspace::Workspace;
use crate::analysis::Encoding;

/// What was agreed at `initialize`; fixed for the rest of the session.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Session {
    pub encoding: Encoding,
    /// The client pulls diagnostics (`textDocument/diagnostic`) and can be asked to pull
    /// again (`workspace/diagnostic/refresh`); else they are pushed. A client that pulls
    /// but cannot be asked to refresh (Neovim 0.10, 0.11, 0.12-dev) would keep stale
    /// findings after a configuration change, and mixing push and pull shows each finding
    /// twice (neovim #29927) or makes one set erase the other (neovim #37936): such
    /// clients get push.
    pub pull: bool,
    /// The client accepts `workspace/diagnostic/refresh`.
    pub refresh: bool,
    /// The client can register file watchers at run time.
    pub watch: bool,
    /// The client answers `workspace/configuration`.
    pub configuration: bool,
    /// The client accepts `create` operations in workspace edits.
    pub create_files: bool,
    pub hierarchical_symbols: bool,
    pub edit_style: EditStyle,
    pub folding_limit: Option<usize>,
    /// The client lists Markdown first in `textDocument.hover.contentFormat`; else hovers
    /// are plain text.
    pub hover_markdown: bool,
    /// The same for completion items' documentation
    /// (`textDocument.completion.completionItem.documentationFormat`).
    pub completion_markdown: bool,
}

impl Session {
    pub(crate) fn new(capabilities: &ClientCapabilities) -> Self {
        let general = capabilities.general.as_ref();
        let text = capabilities.text_document.as_ref();
        let workspace = capabilities.workspace.as_ref();
        let refresh = workspace
            .and_then(|w| w.diagnostics.as_ref())
            .and_then(|d| d.refresh_support)
            .unwrap_or(false);
        Session {
            encoding: encoding::negotiate(general.and_then(|g| g.position_encodings.as_deref())),
            pull: refresh && text.is_some_and(|t| t.diagnostic.is_some()),
            refresh,
            watch: workspace
                .and_then(|w| w.did_change_watched_files.as_ref())
                .and_then(|w| w.dynamic_registration)
                .unwrap_or(false),
            configuration: workspace.and_then(|w| w.configuration).unwrap_or(false),
            create_files: workspace
                .and_then(|w| w.workspace_edit.as_ref())
                .and_then(|e| e.resource_operations.as_ref())
                .is_some_and(|ops| ops.contains(&ResourceOperationKind::Create)),
            hierarchical_symbols: text
                .and_then(|t| t.document_symbol.as_ref())
                .and_then(|s| s.hierarchical_document_symbol_support)
                .unwrap_or(false),
            edit_style: EditStyle {
                document_changes: workspace
                    .and_then(|w| w.workspace_edit.as_ref())
                    .and_then(|e| e.document_changes)
                    .unwrap_or(false),
            },
            folding_limit: text
                .and_then(|t| t.folding_range.as_ref())
                .and_then(|f| f.range_limit)
                .map(|l| l as usize),
            hover_markdown: text
                .and_then(|t| t.hover.as_ref())
                .and_then(|h| h.content_format.as_ref())
                .and_then(|formats| formats.first())
                .is_some_and(|first| *first == MarkupKind::Markdown),
            completion_markdown: text
                .and_then(|t| t.completion.as_ref())
                .and_then(|c| c.completion_item.as_ref())
                .and_then(|i| i.documentation_format.as_ref())
                .and_then(|formats| formats.first())
                .is_some_and(|first| *first == MarkupKind::Markdown),
        }
    }
}

impl Default for Session {
    fn default() -> Self {
        Session::new(&ClientCapabilities::default())
    }
}

/// The mutable state.
#[derive(Default)]
pub(crate) struct State {
    pub docs: HashMap<Uri, OpenDocument>,
    pub workspace: Workspace,
    /// Bumped whenever the configuration changes: analyses of an older epoch are stale.
    pub epoch: u64,
    /// Configuration problems found at `initialize`, shown once the client is ready.
    pub pending_errors: Vec<String>,
}

/// Everything the handlers share.
pub(crate) struct Shared {
    pub outbox: Outbox,
    session: OnceLock<Session>,
    state: Mutex<State>,
    next_id: AtomicU64,
    /// Set by `shutdown`; decides the exit code.
    pub shutdown: AtomicBool,
}

impl Shared {
    pub(crate) fn new(outbox: Outbox) -> Self {
        Shared {
            outbox,
            session: OnceLock::new(),
            state: Mutex::default(),
            next_id: AtomicU64::new(1),
            shutdown: AtomicBool::new(false),
        }
    }

    /// Locks the state. A handler that panicked while holding the lock leaves the state as
    /// consistent as any single edit leaves it, so poisoning is ignored.
    pub(crate) fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub(crate) fn session(&self) -> Session {
        self.session.get().copied().unwrap_or_default()
    }

    /// Fixes the session; the first `initialize` wins.
    pub(crate) fn start_session(&self, params: &InitializeParams) -> Session {
        let _ = self.session.set(Session::new(&params.capabilities));
        let session = self.session();
        let (workspace, errors) = Workspace::load(roots(params));
        let mut state = self.lock();
        for root in workspace.roots() {
            self.outbox.log(
                MessageType::INFO,
                format!("workspace folder {}", root.display()),
            );
        }
        state.workspace = workspace;
        state.pending_errors = errors;
        session
    }

    /// A fresh number: document instances, diagnostic result ids.
    pub(crate) fn next_id(&self) -> u64 {
        self.next_id.fetch_add(1, Ordering::Relaxed)
    }
}

/// The workspace folders' paths, else the root URI's, else the root path.
#[allow(deprecated)]
fn roots(params: &InitializeParams) -> Vec<std::path::PathBuf> {
    if let Some(folders) = &params.workspace_folders {
        if !folders.is_empty() {
            return folders
                .iter()
                .filter_map(|f| uri::to_path(&f.uri))
                .collect();
        }
    }
    if let Some(root) = params.root_uri.as_ref().and_then(uri::to_path) {
        return vec![root];
    }
    params
        .root_path
        .as_ref()
        .map(|p| vec![std::path::PathBuf::from(p)])
        .unwrap_or_default()
}
