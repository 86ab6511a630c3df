//! Everything the server tells the client on its own initiative goes through one queue,
//! drained by one task: handlers never `.await` the client (STYLE.md, known traps), and
//! what they queue under the document lock reaches the client in that order — so a
//! stale result can never overtake the newer one, nor a clear after close.
//!
//! The task serialises each notification itself, straight from the `ls_types` structs,
//! and hands the bytes to the transport's one writer (`transport::Writer`), bypassing
//! tower-lsp-server's `Client`. Why: the library turns every notification into a
//! `serde_json::Value` tree first and then serialises that tree — for a draft with
//! thousands of findings most of the time from an edit to its `publishDiagnostics`
//! (about 20 ms of 31 for 3,350 findings on 1 MiB). The JSON is the same (the tests
//! compare it with the library's), and since logs and shown messages take the same path,
//! their order relative to diagnostics is kept. A document's findings arrive serialised
//! already (`Outgoing::Serialised`, assembled by `publish` from the previous edit's JSON)
//! and are passed on as they are. Unlike the library's `Client`, nothing
//! here waits for `initialize`: the server publishes only for open documents, which the
//! library lets in only after it.

use std::sync::Arc;

use serde::Serialize;
use tokio::sync::mpsc;
use tower_lsp_server::ls_types::notification::{
    LogMessage, Notification, PublishDiagnostics, ShowMessage,
};
use tower_lsp_server::ls_types::{
    Diagnostic, LogMessageParams, MessageType, PublishDiagnosticsParams, ShowMessageParams, Uri,
};

use super::transport::Writer;

pub(crate) enum Outgoing {
    /// A notification serialised already (`publish`'s, which assembles it from pieces).
    Serialised(Arc<Vec<u8>>),
    Diagnostics {
        uri: Uri,
        diagnostics: Vec<Diagnostic>,
        version: Option<i32>,
    },
    Log(MessageType, String),
    Show(MessageType, String),
}

impl Outgoing {
    /// The JSON-RPC notification, serialised.
    pub(crate) fn into_json(self) -> serde_json::Result<Arc<Vec<u8>>> {
        let body = match self {
            Outgoing::Serialised(body) => return Ok(body),
            Outgoing::Diagnostics {
                uri,
                diagnostics,
                version,
            } => notification::<PublishDiagnostics>(&PublishDiagnosticsParams {
                uri,
                diagnostics,
                version,
            }),
            Outgoing::Log(typ, message) => {
                notification::<LogMessage>(&LogMessageParams { typ, message })
            }
            Outgoing::Show(typ, message) => {
                notification::<ShowMessage>(&ShowMessageParams { typ, message })
            }
        };
        body.map(Arc::new)
    }
}

/// A JSON-RPC 2.0 notification as tower-lsp-server's `Request` writes one (no `id`).
#[derive(Serialize)]
struct Note<'a, P> {
    jsonrpc: &'static str,
    method: &'static str,
    params: &'a P,
}

pub(super) fn notification<N: Notification>(params: &N::Params) -> serde_json::Result<Vec<u8>> {
    serde_json::to_vec(&Note {
        jsonrpc: "2.0",
        method: N::METHOD,
        params,
    })
}

#[derive(Clone)]
pub(crate) struct Outbox {
    tx: mpsc::UnboundedSender<Outgoing>,
}

impl Outbox {
    /// Starts the task that forwards queued messages to the client through `writer`.
    /// Must run inside a tokio runtime.
    pub(crate) fn spawn(writer: Writer) -> Self {
        let (tx, mut rx) = mpsc::unbounded_channel::<Outgoing>();
        tokio::spawn(async move {
            while let Some(message) = rx.recv().await {
                match message.into_json() {
                    Ok(body) => {
                        if !writer.send(body).await {
                            // The transport has stopped: the server is exiting.
                            return;
                        }
                    }
                    Err(e) => to_stderr(
                        MessageType::ERROR,
                        &format!("cannot serialise a notification: {e}"),
                    ),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{analyze, DocumentKind, Encoding};
    use crate::config::Config;
    use serde_json::Value;
    use tower_lsp_server::jsonrpc::Request;
    use tower_lsp_server::ls_types as lsp;

    /// What tower-lsp-server's `Client` sends: its `Request::from_notification`, a
    /// `Value` tree of the params in a `Request`, serialised.
    fn library<N: Notification>(params: N::Params) -> Vec<u8> {
        let request = Request::build(N::METHOD)
            .params(serde_json::to_value(params).unwrap())
            .finish();
        serde_json::to_vec(&request).unwrap()
    }

    fn assert_same(ours: &[u8], theirs: &[u8]) {
        let ours_parsed: Value = serde_json::from_slice(ours).unwrap();
        let theirs_parsed: Value = serde_json::from_slice(theirs).unwrap();
        assert_eq!(ours_parsed, theirs_parsed);
        // Only the order of an object's keys may differ: written from the parsed tree,
        // the bytes are the library's exactly.
        assert_eq!(serde_json::to_vec(&ours_parsed).unwrap(), theirs);
    }

    #[test]
    fn published_diagnostics_are_the_librarys_json() {
        let draft = "# 정책 😀 초안\r\n\r\n## 배경 Background\r\n\r\nThe clusters?concentrated \
                     in 2023 grew \"fast.\r\n\r\n### 😀 Details\r\n\r\nMinister Kim said: \"We \
                     will double it.\" 한국어 text â€™ here.\r\n\r\n## Next steps\r\n\r\nDone.\r\n";
        let analysis = analyze(draft, DocumentKind::Markdown, &Config::default());
        assert!(!analysis.diagnostics.is_empty());
        let uri: Uri = "file:///tmp/%EC%A0%95%EC%B1%85%20draft.md".parse().unwrap();
        for encoding in [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32] {
            let mut diagnostics = super::super::to_proto::diagnostics(&analysis, encoding);
            // Every optional field, and a message that needs escaping.
            diagnostics.push(lsp::Diagnostic {
                message: "\"quoted\" \\ tab\t nul\u{0} 😀 한".to_owned(),
                related_information: Some(vec![lsp::DiagnosticRelatedInformation {
                    location: lsp::Location::new(uri.clone(), lsp::Range::default()),
                    message: "see".to_owned(),
                }]),
                tags: Some(vec![lsp::DiagnosticTag::UNNECESSARY]),
                data: Some(serde_json::json!({"fix": [1, "😀"]})),
                code: Some(lsp::NumberOrString::Number(7)),
                ..diagnostics[0].clone()
            });
            for version in [Some(3), None] {
                let ours = Outgoing::Diagnostics {
                    uri: uri.clone(),
                    diagnostics: diagnostics.clone(),
                    version,
                }
                .into_json()
                .unwrap();
                let theirs = library::<PublishDiagnostics>(PublishDiagnosticsParams {
                    uri: uri.clone(),
                    diagnostics: diagnostics.clone(),
                    version,
                });
                assert_same(&ours, &theirs);
            }
        }
        let cleared = Outgoing::Diagnostics {
            uri: uri.clone(),
            diagnostics: Vec::new(),
            version: Some(1),
        };
        let theirs = library::<PublishDiagnostics>(PublishDiagnosticsParams {
            uri,
            diagnostics: Vec::new(),
            version: Some(1),
        });
        assert_same(&cleared.into_json().unwrap(), &theirs);
    }

    #[test]
    fn logs_and_shown_messages_are_the_librarys_json() {
        let text = "line\r\n\"two\" 😀 한";
        let log = Outgoing::Log(MessageType::WARNING, text.to_owned());
        let theirs = library::<LogMessage>(LogMessageParams {
            typ: MessageType::WARNING,
            message: text.to_owned(),
        });
        assert_same(&log.into_json().unwrap(), &theirs);
        let show = Outgoing::Show(MessageType::ERROR, text.to_owned());
        let theirs = library::<ShowMessage>(ShowMessageParams {
            typ: MessageType::ERROR,
            message: text.to_owned(),
        });
        assert_same(&show.into_json().unwrap(), &theirs);
    }
}
