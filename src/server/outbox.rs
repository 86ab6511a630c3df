//! Everything the server tells the client on its own initiative goes through one queue,
//! drained by one task: handlers never `.await` the client (STYLE.md, known traps), and
//! what they queue under the document lock reaches the client in that order — so a
//! stale result can never overtake the newer one, nor a clear after close.

use tokio::sync::mpsc;
use tower_lsp_server::ls_types::{Diagnostic, MessageType, Uri};
use tower_lsp_server::Client;

pub(crate) enum Outgoing {
    Diagnostics {
        uri: Uri,
        diagnostics: Vec<Diagnostic>,
        version: Option<i32>,
    },
    Log(MessageType, String),
    Show(MessageType, String),
}

#[derive(Clone)]
pub(crate) struct Outbox {
    tx: mpsc::UnboundedSender<Outgoing>,
}

impl Outbox {
    /// Starts the task that forwards queued messages to `client`. Must run inside a tokio
    /// runtime.
    pub(crate) fn spawn(client: Client) -> Self {
        let (tx, mut rx) = mpsc::unbounded_channel();
        tokio::spawn(async move {
            while let Some(message) = rx.recv().await {
                match message {
                    Outgoing::Diagnostics {
                        uri,
                        diagnostics,
                        version,
                    } => client.publish_diagnostics(uri, diagnostics, version).await,
                    Outgoing::Log(kind, text) => client.log_message(kind, text).await,
                    Outgoing::Show(kind, text) => client.show_message(kind, text).await,
                }
            }
        });
        Outbox { tx }
    }

    pub(crate) fn send(&self, message: Outgoing) {
        // Fails only once the forwarding task is gone, i.e. the server is shutting down.
        let _ = self.tx.send(message);
    }

    /// Logs to stderr and to the client's log (`window/logMessage`); never to stdout,
    /// which carries the protocol.
    pub(crate) fn log(&self, kind: MessageType, text: impl Into<String>) {
        let text = text.into();
        to_stderr(kind, &text);
        self.send(Outgoing::Log(kind, text));
    }

    /// Shows a message to the user (`window/showMessage`) and logs it.
    pub(crate) fn show(&self, kind: MessageType, text: impl Into<String>) {
        let text = text.into();
        to_stderr(kind, &text);
        self.send(Outgoing::Show(kind, text.clone()));
        self.send(Outgoing::Log(kind, text));
    }
}

/// Writes one log line to stderr, ignoring failure: `eprintln!` would panic if the client
/// closed our stderr.
pub(crate) fn to_stderr(kind: MessageType, text: &str) {
    use std::io::Write;
    let _ = writeln!(
        std::io::stderr().lock(),
        "[policy-lsp {}] {text}",
        level(kind)
    );
}

fn level(kind: MessageType) -> &'static str {
    match kind {
        MessageType::ERROR => "error",
        MessageType::WARNING => "warning",
        MessageType::INFO => "info",
        _ => "log",
    }
}
