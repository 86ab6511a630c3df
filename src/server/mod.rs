//! The language server (`policy-lsp serve`): LSP 3.17 over stdio, a thin layer over
//! [`crate::analysis::analyze`]. Only this module knows protocol types.
//!
//! - [`backend`]: the handlers.
//! - [`state`]: the negotiated session and the shared state.
//! - [`documents`]: a rope per open document, edited in arrival order.
//! - [`scheduler`]: analysis off the message loop, coalesced per document.
//! - [`outbox`]: everything sent to the client unasked, in order.
//! - [`publish`]: findings converted and serialised for the client, reusing the last edit's.
//! - [`encoding`]: positions ⇄ protocol, in the negotiated encoding.
//! - [`to_proto`]: findings, outline and folds as protocol types.
//! - [`code_actions`]: fixes, suppression comments and glossary entries as quick fixes.
//! - [`prepared`]: outline, folds and semantic tokens serialized once per analysis, passed
//!   through the library as tickets.
//! - [`query`]: what a request about one document reads, off the message loop.
//! - [`hover`]: figures' values and terms' definitions.
//! - [`navigation`]: go to definition, find references, rename of defined terms.
//! - [`symbols`]: `workspace/symbol` over open drafts and the drafts on disk.
//! - [`completion`]: defined and glossary terms.
//! - [`semantic_tokens`]: terms, quotations and figures for themes to colour.
//! - [`uri`]: URI ⇄ path.
//! - [`workspace`]: the workspace folders' `policy-lsp.toml` and glossary files, over the
//!   client settings.
//! - [`settings`]: client settings (`initializationOptions`, `didChangeConfiguration`).
//! - [`configure`]: configuration changes at run time, file watchers.
//! - [`transport`]: the framing in front of tower-lsp-server: a malformed message gets its
//!   JSON-RPC error and the session goes on.

use std::process::ExitCode;
use std::sync::atomic::Ordering;
use std::sync::Arc;

use tokio::io::{AsyncRead, AsyncWrite};
use tower_lsp_server::{LspService, Server};

mod backend;
mod code_actions;
mod completion;
mod configure;
mod documents;
mod encoding;
#[doc(hidden)]
pub mod fuzzing;
mod hover;
mod navigation;
mod outbox;
mod prepared;
mod publish;
mod query;
mod scheduler;
mod semantic_tokens;
mod settings;
mod state;
mod symbols;
mod to_proto;
mod transport;
mod uri;
mod workspace;

use backend::Backend;
use prepared::{Answer, Tickets};

/// Serves LSP on stdin/stdout until the client says `exit` or closes stdin. Exit code 0
/// after a proper `shutdown`, 1 otherwise (as the specification asks).
pub fn run_stdio() -> ExitCode {
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            use std::io::Write;
            let _ = writeln!(
                std::io::stderr(),
                "policy-lsp: cannot start the async runtime: {e}"
            );
            return ExitCode::FAILURE;
        }
    };
    let output = transport::Output::<tokio::io::Stdout>::Stdout;
    let code = runtime.block_on(serve_to(tokio::io::stdin(), output));
    // Reading stdin blocks a thread that would keep the runtime from shutting down.
    runtime.shutdown_background();
    code
}

/// Serves LSP over any byte streams (stdio, a pipe, an in-process duplex in tests) until
/// `exit` or the end of `input`. Must run inside a tokio runtime.
pub async fn serve<I, O>(input: I, output: O) -> ExitCode
where
    I: AsyncRead + Unpin,
    O: AsyncWrite,
{
    serve_to(input, transport::Output::Stream(output)).await
}

async fn serve_to<I, O>(input: I, output: transport::Output<O>) -> ExitCode
where
    I: AsyncRead + Unpin,
    O: AsyncWrite,
{
    // The client's output queue comes first: the outbox writes to it directly.
    let queue = transport::Queue::new();
    let writer = queue.writer();
    let tickets = Arc::new(Tickets::default());
    let issuer = tickets.clone();
    let (service, socket) = LspService::build(move |client| Backend::new(client, writer, issuer))
        .custom_method("policyLsp/documentText", Backend::document_text)
        .custom_method(
            Answer::DocumentSymbols.internal_method(),
            Backend::prepared_document_symbol,
        )
        .custom_method(
            Answer::FoldingRanges.internal_method(),
            Backend::prepared_folding_range,
        )
        .custom_method(
            Answer::SemanticTokens.internal_method(),
            Backend::prepared_semantic_tokens,
        )
        .finish();
    let shared = service.inner().shared.clone();
    // Behind our own framing: tower-lsp-server stops reading at the first message it
    // cannot decode (see `transport`).
    transport::serve(input, output, queue, tickets, |input, output| {
        Server::new(input, output, socket).serve(service)
    })
    .await;
    if shared.shutdown.load(Ordering::SeqCst) {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
