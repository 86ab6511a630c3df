//! The byte streams in front of tower-lsp-server: every message from the client is framed
//! and checked here before the protocol library sees it, and everything the server says
//! goes out through one writer — tower-lsp-server's output (its responses and requests,
//! a ticket for a prepared result exchanged for that result's JSON on the way: see
//! `prepared`) and the outbox's notifications, which it serialises itself (see `outbox`),
//! whole frames in the order they were queued.
//!
//! Why: tower-lsp-server reads its input through a `tokio_util` codec, and a codec that
//! fails once ends the stream — so a single frame of invalid JSON, a body that is not a
//! JSON-RPC message, or a broken `Content-Length` header made the library answer with an
//! error and then stop reading: the server exited and the editor lost it. Here:
//!
//! | What arrives | What the client gets |
//! |---|---|
//! | a body that is not JSON (or not UTF-8, or empty) | `-32700` Parse error, id `null` |
//! | JSON that is not a JSON-RPC 2.0 message (an array, a number, a string, `null`, an object without `"jsonrpc": "2.0"`, a method that is not a string, an id that is neither an integer nor a string) | `-32600` Invalid Request, with the message's id when it has a usable one, else `null` |
//! | a request for a `$/` method (tower-lsp-server would never answer it) | `-32601` Method not found |
//! | a request for `textDocument/documentSymbol`, `foldingRange` or `semanticTokens/full` | forwarded under an internal name; its result leaves as JSON prepared once per analysis (see `prepared`) |
//! | a request that names one of those internal names | `-32601` Method not found, as for any method the server does not have |
//! | a notification whose parameters do not fit | nothing (a notification has no answer): logged (stderr, `window/logMessage`) and dropped, as the library would drop it silently |
//! | `initialized` without params, or with `null` | forwarded as `{}` (the library would drop it, and the server would never start watching files) |
//! | a response that is neither a result nor an error | logged and dropped |
//! | bytes outside any message (a missing, wrong or unreadable `Content-Length`) | `-32700` once, then the stream resynchronises on the next `Content-Length` header |
//! | a declared length above [`MAX_BODY`] | `-32600`, the body skipped unread |
//!
//! Everything else goes to tower-lsp-server unchanged, which answers unknown methods
//! (`-32601`), wrong parameters (`-32602`), requests before `initialize` (`-32002`) and
//! after `shutdown` (`-32600`) itself.

use std::future::Future;
use std::sync::Arc;

use serde::Deserialize;
use serde_json::Value;
use tokio::io::{
    AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader, DuplexStream,
};
use tokio::sync::mpsc;
use tower_lsp_server::jsonrpc::{Error, ErrorCode, Id, Request, Response};
use tower_lsp_server::ls_types::notification::{self as note, Notification};
use tower_lsp_server::ls_types::{LogMessageParams, MessageType};

use super::outbox::to_stderr;
use super::prepared::{Answer, Tickets};

/// The longest header block read before the bytes are taken for garbage.
const MAX_HEADER: usize = 8 * 1024;

/// The largest message accepted: well above the largest draft the analysis takes by
/// default (`max-size`, 64 MiB of text, about as much JSON), and a bound on what one
/// message can make the server hold (the body, its parse here and the library's).
pub(crate) const MAX_BODY: usize = 256 << 20;

/// The messages queued for the client before the writer blocks the queue (backpressure
/// when the client does not read).
const QUEUE: usize = 64;

const CONTENT_LENGTH: &[u8] = b"content-length";

/// The tail kept when bytes without a header are skipped: room for the header lines
/// that may come before `Content-Length`.
const KEEP: usize = 1024;

/// Serves `server` — a function of its input and output streams, tower-lsp-server's
/// `Server::serve` — behind the checking reader and the single writer, until the server
/// stops (after `exit`, or the end of `input`).
pub(crate) async fn serve<I, O, F, Fut>(
    input: I,
    output: Output<O>,
    queue: Queue,
    tickets: Arc<Tickets>,
    server: F,
) where
    I: AsyncRead + Unpin,
    O: AsyncWrite,
    F: FnOnce(DuplexStream, DuplexStream) -> Fut,
    Fut: Future<Output = ()>,
{
    let (to_server, server_input) = tokio::io::duplex(1 << 16);
    let (server_output, from_server) = tokio::io::duplex(1 << 16);
    let Queue {
        tx: frames,
        rx: queue,
    } = queue;
    let replies = frames.clone();
    let reading = async move {
        read_client(input, to_server, replies).await;
        // The end of input reaches the server as the end of its stream; serving goes on
        // until it has answered what it read.
        std::future::pending::<()>().await
    };
    let serving = async move {
        tokio::join!(
            server(server_input, server_output),
            relay_server(from_server, frames, &tickets)
        )
    };
    let control = async move {
        tokio::select! {
            _ = serving => {}
            _ = reading => {}
        }
    };
    let writing = async move {
        match output {
            Output::Stream(output) => write_client(queue, output).await,
            Output::Stdout => {
                let writer =
                    tokio::task::spawn_blocking(move || write_client_blocking(queue, stdout()));
                // Fails only if the writer panicked: then there is no one to tell.
                let _ = writer.await;
            }
        }
    };
    tokio::join!(control, writing);
}

/// Where the client's frames go.
pub(crate) enum Output<O> {
    /// An async stream (in-process pipes in the tests), written by a task.
    Stream(O),
    /// The process's standard output, written with plain blocking writes by a thread of
    /// its own. Not tokio's `Stdout`: it copies each frame into a buffer of its own and
    /// hands every write, and every flush, to the blocking pool — a copy of the whole
    /// `publishDiagnostics` and two thread hand-offs per keystroke.
    Stdout,
}

/// One message for the client.
pub(crate) enum Frame {
    /// Header and body (the library's output, framed by the library).
    Whole(Vec<u8>),
    /// A body the server serialised itself, framed as it is written rather than copied
    /// into a frame: it is shared (a document's findings, kept for the next edit to reuse)
    /// and can be most of a megabyte.
    Body(Arc<Vec<u8>>),
}

impl Frame {
    /// The header to write before [`Frame::bytes`], if they do not include it.
    fn header(&self) -> Option<String> {
        match self {
            Frame::Whole(_) => None,
            Frame::Body(body) => Some(header_for(body.len())),
        }
    }

    fn bytes(&self) -> &[u8] {
        match self {
            Frame::Whole(bytes) => bytes,
            Frame::Body(body) => body,
        }
    }
}

/// The header of a frame whose body is `length` bytes long.
fn header_for(length: usize) -> String {
    format!("Content-Length: {length}\r\n\r\n")
}

/// The queue in front of the one writer of the client's stream, made before the server
/// so that the outbox can hold a [`Writer`] on it.
pub(crate) struct Queue {
    tx: mpsc::Sender<Frame>,
    rx: mpsc::Receiver<Frame>,
}

impl Queue {
    pub(crate) fn new() -> Self {
        let (tx, rx) = mpsc::channel(QUEUE);
        Queue { tx, rx }
    }

    pub(crate) fn writer(&self) -> Writer {
        Writer(self.tx.downgrade())
    }
}

/// Sends message bodies the server serialised itself (the outbox's notifications) to the
/// client, behind whatever is queued already. Weak: it does not keep the writer running
/// once the reader and tower-lsp-server are done.
#[derive(Clone)]
pub(crate) struct Writer(mpsc::WeakSender<Frame>);

impl Writer {
    /// Queues one JSON-RPC message body (its `Content-Length` header is added here);
    /// `false` once the transport has stopped.
    pub(crate) async fn send(&self, body: Arc<Vec<u8>>) -> bool {
        let Some(tx) = self.0.upgrade() else {
            return false;
        };
        tx.send(Frame::Body(body)).await.is_ok()
    }
}

/// Frames from the client, checked; good ones go on to the server unchanged.
async fn read_client<I: AsyncRead + Unpin>(
    input: I,
    mut server: DuplexStream,
    replies: mpsc::Sender<Frame>,
) {
    let mut frames = Framer::new(input);
    // Bytes outside any message right after a message that was cut wrong are the rest of
    // that same problem: reported once.
    let mut desynced = false;
    loop {
        let event = frames.next().await;
        let verdict = match event {
            Event::End => return,
            Event::Body(body) => {
                let (verdict, body) = match check(&body) {
                    Verdict::Forward => (Verdict::Forward, Some(body)),
                    Verdict::ForwardAs(fixed) => (Verdict::Forward, Some(fixed)),
                    other => (other, None),
                };
                if let Some(body) = body {
                    desynced = false;
                    let header = header_for(body.len());
                    let sent = async {
                        server.write_all(header.as_bytes()).await?;
                        server.write_all(&body).await?;
                        server.flush().await
                    };
                    if sent.await.is_err() {
                        // The server stopped reading (after `exit`).
                        return;
                    }
                    continue;
                }
                desynced = matches!(
                    verdict,
                    Verdict::Reply {
                        code: ErrorCode::ParseError,
                        ..
                    }
                );
                verdict
            }
            Event::Garbage { bytes } if desynced => {
                to_stderr(
                    MessageType::WARNING,
                    &format!("skipped {bytes} more bytes of the same broken message"),
                );
                continue;
            }
            Event::Garbage { bytes } => {
                desynced = true;
                Verdict::Reply {
                    id: Id::Null,
                    code: ErrorCode::ParseError,
                    detail: format!(
                        "{bytes} bytes outside any message (a missing or wrong \
                         Content-Length header?); skipped to the next header"
                    ),
                }
            }
            Event::BadHeader(reason) => {
                desynced = true;
                Verdict::Reply {
                    id: Id::Null,
                    code: ErrorCode::ParseError,
                    detail: reason,
                }
            }
            Event::TooLarge(length) => Verdict::Reply {
                id: Id::Null,
                code: ErrorCode::InvalidRequest,
                detail: format!(
                    "a message of {length} bytes is larger than the limit of {MAX_BODY}; skipped"
                ),
            },
        };
        let frame = match verdict {
            Verdict::Forward | Verdict::ForwardAs(_) => continue,
            Verdict::Reply { id, code, detail } => {
                to_stderr(
                    MessageType::WARNING,
                    &format!(
                        "answered {} ({}): {detail}",
                        code.code(),
                        code.description()
                    ),
                );
                let error = Error {
                    code,
                    message: code.description().into(),
                    data: Some(Value::String(detail)),
                };
                serde_json::to_vec(&Response::from_error(id, error))
            }
            Verdict::Drop(text) => {
                to_stderr(MessageType::WARNING, &text);
                let params = LogMessageParams {
                    typ: MessageType::WARNING,
                    message: text,
                };
                let log = Request::build(note::LogMessage::METHOD)
                    .params(serde_json::to_value(params).unwrap_or_default())
                    .finish();
                serde_json::to_vec(&log)
            }
        };
        let Ok(body) = frame else { continue };
        if replies.send(Frame::Body(Arc::new(body))).await.is_err() {
            return;
        }
    }
}

/// A frame whose body is `parts`, one after the other.
fn frame_of_parts(parts: &[&[u8]]) -> Vec<u8> {
    let length: usize = parts.iter().map(|part| part.len()).sum();
    let header = header_for(length);
    let mut frame = Vec::with_capacity(header.len() + length);
    frame.extend_from_slice(header.as_bytes());
    for part in parts {
        frame.extend_from_slice(part);
    }
    frame
}

/// What becomes of one message body.
enum Verdict {
    Forward,
    /// Forwarded as this body instead: a harmless slip the library would drop the message
    /// for (`initialized` without its empty params).
    ForwardAs(Vec<u8>),
    Reply {
        id: Id,
        code: ErrorCode,
        detail: String,
    },
    /// A notification the server would drop silently, or a broken response: logged.
    Drop(String),
}

/// Whether tower-lsp-server can take `body` as it is, and what to answer if not.
fn check(body: &[u8]) -> Verdict {
    // The common case first: a request or a notification, read once. (A body that reads
    // as one is valid UTF-8: serde_json checks every string, and takes nothing but ASCII
    // outside them.)
    let parsed = match serde_json::from_slice::<Request>(body) {
        Ok(request) if !request.method().is_empty() => return check_request(request),
        other => other.map(drop),
    };
    let parse_error = |detail: String| Verdict::Reply {
        id: Id::Null,
        code: ErrorCode::ParseError,
        detail,
    };
    if let Err(e) = std::str::from_utf8(body) {
        return parse_error(format!("the message is not UTF-8: {e}"));
    }
    if body.iter().all(u8::is_ascii_whitespace) {
        return parse_error("an empty message".to_owned());
    }
    if let Err(e) = &parsed {
        if !e.is_data() {
            return parse_error(format!("invalid JSON: {e}"));
        }
    }
    if serde_json::from_slice::<Response>(body).is_ok() {
        return Verdict::Forward;
    }
    let value: Value = match serde_json::from_slice(body) {
        Ok(value) => value,
        // Nested deeper than the parser goes.
        Err(e) => return parse_error(format!("unreadable JSON: {e}")),
    };
    if parsed.is_ok() {
        // A request without a method name, or a broken response.
        match value.get("method") {
            // A method named "": the server answers that there is no such method.
            Some(_) => return Verdict::Forward,
            None if value.get("result").is_some() || value.get("error").is_some() => {
                // Nothing answers a response.
                return Verdict::Drop(
                    "ignored a response that is neither a result nor a JSON-RPC error".to_owned(),
                );
            }
            None => {}
        }
    }
    // Valid JSON, but not a JSON-RPC 2.0 request, notification or response.
    let what = match &value {
        Value::Array(_) => "a batch (an array), which LSP does not use".to_owned(),
        Value::Object(_) => {
            "an object that is not a JSON-RPC 2.0 request, notification or response".to_owned()
        }
        other => format!("{other}, not a JSON-RPC object"),
    };
    // The id is worth echoing only for what looks like a request: a broken response must
    // not be mistaken for the answer to one of the client's own requests.
    let id = match (&value["method"], Id::deserialize(&value["id"])) {
        (Value::Null, _) | (_, Err(_)) => Id::Null,
        (_, Ok(id)) => id,
    };
    Verdict::Reply {
        id,
        code: ErrorCode::InvalidRequest,
        detail: format!("the message is {what}"),
    }
}

fn check_request(request: Request) -> Verdict {
    let method = request.method();
    if let Some(id) = request.id() {
        if method.starts_with("$/") {
            // The specification asks for MethodNotFound; tower-lsp-server would not answer
            // at all, leaving the client waiting.
            return Verdict::Reply {
                id: id.clone(),
                code: ErrorCode::MethodNotFound,
                detail: format!("no request {method}"),
            };
        }
        if Answer::is_internal(method) {
            // Only the transport names these; to the client they do not exist, and it
            // gets the library's answer for an unknown method.
            return Verdict::Reply {
                id: id.clone(),
                code: ErrorCode::MethodNotFound,
                detail: method.to_owned(),
            };
        }
        if let Some(answer) = Answer::for_method(method) {
            return Verdict::ForwardAs(renamed(request, answer.internal_method()));
        }
        return Verdict::Forward;
    }
    if method == note::Initialized::METHOD && request.params().is_none_or(Value::is_null) {
        // `initialized` has nothing to say, and some clients say it with no params or
        // `null`; dropped, the server would never watch files or ask for settings.
        let fixed = Request::build(method.to_owned())
            .params(serde_json::json!({}))
            .finish();
        return Verdict::ForwardAs(serde_json::to_vec(&fixed).unwrap_or_default());
    }
    let (method, _, params) = request.into_parts();
    match notification_params_problem(&method, params) {
        Some(detail) => Verdict::Drop(format!("ignored a {method} notification: {detail}")),
        None => Verdict::Forward,
    }
}

/// `request` under the internal name of its prepared answer (see `prepared`), its id and
/// params unchanged.
fn renamed(request: Request, method: &'static str) -> Vec<u8> {
    let (_, id, params) = request.into_parts();
    let mut renamed = Request::build(method);
    if let Some(params) = params {
        renamed = renamed.params(params);
    }
    if let Some(id) = id {
        renamed = renamed.id(id);
    }
    serde_json::to_vec(&renamed.finish()).unwrap_or_default()
}

/// Why the parameters of a notification the server handles would not deserialize (the
/// library drops such a notification without a word), or `None`. The params are moved
/// into the typed reading, not copied: a `didOpen` is mostly one long string.
fn notification_params_problem(method: &str, params: Option<Value>) -> Option<String> {
    fn fits<N: Notification>(params: Option<Value>) -> Option<String> {
        let Some(params) = params else {
            return Some("no params".to_owned());
        };
        serde_json::from_value::<N::Params>(params)
            .err()
            .map(|e| format!("invalid params: {e}"))
    }
    match method {
        note::DidOpenTextDocument::METHOD => fits::<note::DidOpenTextDocument>(params),
        note::DidChangeTextDocument::METHOD => fits::<note::DidChangeTextDocument>(params),
        note::DidCloseTextDocument::METHOD => fits::<note::DidCloseTextDocument>(params),
        note::DidSaveTextDocument::METHOD => fits::<note::DidSaveTextDocument>(params),
        note::DidChangeConfiguration::METHOD => fits::<note::DidChangeConfiguration>(params),
        note::DidChangeWatchedFiles::METHOD => fits::<note::DidChangeWatchedFiles>(params),
        note::Initialized::METHOD => fits::<note::Initialized>(params),
        _ => None,
    }
}

/// What the framer found next in the client's byte stream.
enum Event {
    /// A message body, as long as its `Content-Length` said.
    Body(Vec<u8>),
    /// Bytes (not counting whitespace) before the next header, skipped.
    Garbage { bytes: usize },
    /// A header block that names no usable length; skipped.
    BadHeader(String),
    /// A length above [`MAX_BODY`]; the body is skipped as it arrives.
    TooLarge(usize),
    /// The end of input (or a read error).
    End,
}

/// Splits the client's bytes into messages by their `Content-Length` headers; after
/// anything that is not a header, looks for the next one.
struct Framer<I> {
    input: I,
    buf: Vec<u8>,
    /// Bytes of a too-large body still to skip.
    discard: usize,
    eof: bool,
}

impl<I: AsyncRead + Unpin> Framer<I> {
    fn new(input: I) -> Self {
        Framer {
            input,
            buf: Vec::new(),
            discard: 0,
            eof: false,
        }
    }

    /// Reads more input; `false` at the end.
    async fn fill(&mut self) -> bool {
        if self.eof {
            return false;
        }
        self.buf.reserve(1 << 16);
        match self.input.read_buf(&mut self.buf).await {
            Ok(0) | Err(_) => {
                self.eof = true;
                false
            }
            Ok(_) => true,
        }
    }

    /// Drops the first `n` bytes, returning how many of them were not whitespace.
    fn skip(&mut self, n: usize) -> usize {
        let counted = self.buf[..n]
            .iter()
            .filter(|b| !b.is_ascii_whitespace())
            .count();
        self.buf.drain(..n);
        counted
    }

    async fn next(&mut self) -> Event {
        let mut skipped = 0;
        loop {
            if self.discard > 0 {
                let n = self.discard.min(self.buf.len());
                self.buf.drain(..n);
                self.discard -= n;
                if self.discard > 0 && !self.fill().await {
                    return Event::End;
                }
                continue;
            }
            // A complete header block without a `Content-Length`: reported now, not when
            // the next message comes (the client may be waiting for an answer).
            if let Some((length, end)) = header_end(&self.buf) {
                let block = &self.buf[..length];
                if skipped == 0
                    && header_start(block).is_none()
                    && block
                        .split(|&b| b == b'\n')
                        .all(|line| is_header_line(line.strip_suffix(b"\r").unwrap_or(line)))
                {
                    self.skip(end);
                    return Event::BadHeader("no Content-Length header".to_owned());
                }
            }
            // The next header block.
            let Some(start) = header_start(&self.buf) else {
                // Past a whole header block's worth of bytes without a `Content-Length`:
                // garbage, but for a tail that could be the start of a header block cut
                // by the read (`Content-Type` first).
                if self.buf.len() > MAX_HEADER {
                    skipped += self.skip(self.buf.len() - KEEP);
                }
                if !self.fill().await {
                    skipped += self.skip(self.buf.len());
                    return if skipped > 0 {
                        Event::Garbage { bytes: skipped }
                    } else {
                        Event::End
                    };
                }
                continue;
            };
            skipped += self.skip(start);
            if skipped > 0 {
                return Event::Garbage { bytes: skipped };
            }
            let Some((length, end)) = header_end(&self.buf) else {
                if self.buf.len() >= MAX_HEADER {
                    // No end in sight: not a header. Look for the next one.
                    self.skip(1);
                    return Event::BadHeader(format!(
                        "a header block longer than {MAX_HEADER} bytes"
                    ));
                }
                if !self.fill().await {
                    self.skip(self.buf.len());
                    return Event::BadHeader("the input ended inside a header".to_owned());
                }
                continue;
            };
            let header = String::from_utf8_lossy(&self.buf[..length]).into_owned();
            self.skip(end);
            let length = match content_length(&header) {
                Ok(length) => length,
                Err(reason) => return Event::BadHeader(reason),
            };
            if length > MAX_BODY {
                self.discard = length;
                return Event::TooLarge(length);
            }
            while self.buf.len() < length {
                if !self.fill().await {
                    to_stderr(
                        MessageType::WARNING,
                        &format!(
                            "the input ended {} bytes into a message of {length}",
                            self.buf.len()
                        ),
                    );
                    return Event::End;
                }
            }
            let rest = self.buf.split_off(length);
            return Event::Body(std::mem::replace(&mut self.buf, rest));
        }
    }
}

/// Where the next header block starts: the first `Content-Length` (any case), moved back
/// over the header lines right before it (`Content-Type` may come first).
fn header_start(buf: &[u8]) -> Option<usize> {
    let found = buf
        .windows(CONTENT_LENGTH.len())
        .position(|w| w.eq_ignore_ascii_case(CONTENT_LENGTH))?;
    let mut start = found;
    loop {
        let before = &buf[..start];
        let Some(line_end) = before.strip_suffix(b"\n") else {
            break;
        };
        let line_end = line_end.strip_suffix(b"\r").unwrap_or(line_end);
        let line_start = line_end
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        if !is_header_line(&line_end[line_start..]) {
            break;
        }
        start = line_start;
    }
    Some(start)
}

/// `Name: value`, the name made of letters, digits and `-`.
fn is_header_line(line: &[u8]) -> bool {
    match line.iter().position(|&b| b == b':') {
        Some(colon) if colon > 0 => line[..colon]
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || *b == b'-'),
        _ => false,
    }
}

/// The header block's length and where its body starts: up to the first empty line
/// (`\r\n\r\n`, or `\n\n` from a lax client), within [`MAX_HEADER`].
fn header_end(buf: &[u8]) -> Option<(usize, usize)> {
    let window = &buf[..buf.len().min(MAX_HEADER)];
    let crlf = window
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map(|i| (i, i + 4));
    let lf = window
        .windows(2)
        .position(|w| w == b"\n\n")
        .map(|i| (i, i + 2));
    match (crlf, lf) {
        (Some(a), Some(b)) => Some(if a.0 <= b.0 { a } else { b }),
        (a, b) => a.or(b),
    }
}

/// The body length a header block names; other headers (`Content-Type`) are ignored —
/// the body is checked for UTF-8 itself.
fn content_length(header: &str) -> Result<usize, String> {
    let mut length = None;
    for line in header.split('\n') {
        let line = line.trim_end_matches('\r');
        let Some((name, value)) = line.split_once(':') else {
            return Err(format!("not a header line: {line:?}"));
        };
        if !name.trim().eq_ignore_ascii_case("content-length") {
            continue;
        }
        let value = value.trim();
        let parsed: usize = match value.parse() {
            Ok(n) if value.bytes().all(|b| b.is_ascii_digit()) => n,
            _ => return Err(format!("Content-Length {value:?} is not a length")),
        };
        if length.is_some_and(|l| l != parsed) {
            return Err("two different Content-Length headers".to_owned());
        }
        length = Some(parsed);
    }
    length.ok_or_else(|| "no Content-Length header".to_owned())
}

/// tower-lsp-server's output, one whole frame at a time, onto the queue; a response
/// carrying a ticket leaves with the prepared result instead (see `prepared`).
async fn relay_server(from_server: DuplexStream, frames: mpsc::Sender<Frame>, tickets: &Tickets) {
    let mut read = BufReader::new(from_server);
    loop {
        let mut header = Vec::new();
        let mut length = None;
        loop {
            let start = header.len();
            match read.read_until(b'\n', &mut header).await {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
            let line = String::from_utf8_lossy(&header[start..]);
            let line = line.trim();
            if line.is_empty() {
                break;
            }
            if let Some((name, value)) = line.split_once(':') {
                if name.eq_ignore_ascii_case("content-length") {
                    length = value.trim().parse::<usize>().ok();
                }
            }
        }
        let Some(length) = length else { return };
        let mut frame = header;
        let start = frame.len();
        frame.resize(start + length, 0);
        if read.read_exact(&mut frame[start..]).await.is_err() {
            return;
        }
        if let Some(redeemed) = tickets.redeem(&frame[start..]) {
            frame = frame_of_parts(&redeemed.parts());
        }
        if frames.send(Frame::Whole(frame)).await.is_err() {
            return;
        }
    }
}

/// The one writer of the client's stream: whole frames, flushed whenever the queue is empty.
/// After a failed write (the client closed its end) the queue is still drained, so that
/// nothing upstream blocks and the server ends at the end of its input as usual.
async fn write_client<O: AsyncWrite>(mut queue: mpsc::Receiver<Frame>, output: O) {
    tokio::pin!(output);
    let mut broken = false;
    while let Some(frame) = queue.recv().await {
        if broken {
            continue;
        }
        let written = async {
            if let Some(header) = frame.header() {
                output.write_all(header.as_bytes()).await?;
            }
            output.write_all(frame.bytes()).await?;
            if queue.is_empty() {
                output.flush().await?;
            }
            Ok(())
        };
        broken = failed(written.await);
    }
    let _ = output.flush().await;
}

/// [`write_client`] with blocking writes, on the calling thread (for [`Output::Stdout`]).
fn write_client_blocking(mut queue: mpsc::Receiver<Frame>, mut output: impl std::io::Write) {
    let mut broken = false;
    while let Some(frame) = queue.blocking_recv() {
        if broken {
            continue;
        }
        let mut written = || {
            if let Some(header) = frame.header() {
                output.write_all(header.as_bytes())?;
            }
            output.write_all(frame.bytes())?;
            if queue.is_empty() {
                output.flush()?;
            }
            Ok(())
        };
        broken = failed(written());
    }
    let _ = output.flush();
}

/// The process's standard output, for [`write_client_blocking`]: where it can be, a file
/// on the same descriptor, unbuffered — `Stdout` is line-buffered and searches every frame
/// for its last line break.
fn stdout() -> Box<dyn std::io::Write> {
    #[cfg(unix)]
    {
        use std::os::fd::AsFd;
        if let Ok(stdout) = std::io::stdout().as_fd().try_clone_to_owned() {
            return Box::new(std::fs::File::from(stdout));
        }
    }
    Box::new(std::io::stdout())
}

/// Whether writing to the client failed; says so once, when it does.
fn failed(written: std::io::Result<()>) -> bool {
    if written.is_err() {
        to_stderr(
            MessageType::ERROR,
            "cannot write to the client; discarding what the server says",
        );
    }
    written.is_err()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(verdict: &Verdict) -> Option<i64> {
        match verdict {
            Verdict::Reply { code, .. } => Some(code.code()),
            _ => None,
        }
    }

    #[test]
    fn bodies_are_sorted_by_what_they_get() {
        let cases: &[(&str, Option<i64>)] = &[
            (
                r#"{"jsonrpc":"2.0","id":1,"method":"textDocument/hover","params":{}}"#,
                None,
            ),
            (r#"{"jsonrpc":"2.0","method":"unknown/thing"}"#, None),
            (r#"{"jsonrpc":"2.0","id":1,"result":null}"#, None),
            (r#"{"jsonrpc":"2.0","id":1,"method":"#, Some(-32700)),
            ("", Some(-32700)),
            ("[]", Some(-32600)),
            ("[1]", Some(-32600)),
            ("42", Some(-32600)),
            (r#""text""#, Some(-32600)),
            ("null", Some(-32600)),
            ("{}", Some(-32600)),
            (r#"{"jsonrpc":"1.0","id":1,"method":"x"}"#, Some(-32600)),
            (r#"{"jsonrpc":"2.0","id":1.5,"method":"x"}"#, Some(-32600)),
            (r#"{"jsonrpc":"2.0","id":1,"method":7}"#, Some(-32600)),
            (
                r#"{"jsonrpc":"2.0","id":1,"method":"$/anything"}"#,
                Some(-32601),
            ),
            (r#"{"jsonrpc":"2.0","method":"$/anything"}"#, None),
            (
                r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#,
                None,
            ),
        ];
        for (body, want) in cases {
            assert_eq!(code(&check(body.as_bytes())), *want, "{body}");
        }
        assert_eq!(code(&check(b"\xff\xfe{}")), Some(-32700));
        let deep = "[".repeat(100_000) + &"]".repeat(100_000);
        assert_eq!(code(&check(deep.as_bytes())), Some(-32700));
        for initialized in [
            r#"{"jsonrpc":"2.0","method":"initialized"}"#,
            r#"{"jsonrpc":"2.0","method":"initialized","params":null}"#,
        ] {
            let Verdict::ForwardAs(fixed) = check(initialized.as_bytes()) else {
                panic!("{initialized}")
            };
            let fixed: Value = serde_json::from_slice(&fixed).unwrap();
            assert_eq!(fixed["params"], serde_json::json!({}));
            assert_eq!(fixed["method"], "initialized");
        }
        let bad_open =
            r#"{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":5}}"#;
        assert!(matches!(check(bad_open.as_bytes()), Verdict::Drop(_)));
        let broken_response = br#"{"jsonrpc":"2.0","id":7,"error":5}"#;
        assert!(matches!(check(broken_response), Verdict::Drop(_)));
        assert!(matches!(
            check(br#"{"jsonrpc":"2.0","id":7,"method":""}"#),
            Verdict::Forward
        ));
        // A broken request keeps its id, a broken response does not lend it.
        let Verdict::Reply { id, .. } = check(br#"{"jsonrpc":"2.0","id":7,"method":7}"#) else {
            panic!()
        };
        assert_eq!(id, Id::Number(7));
        let Verdict::Reply { id, code, .. } = check(br#"{"jsonrpc":"2.0","id":7}"#) else {
            panic!()
        };
        assert_eq!((id, code), (Id::Null, ErrorCode::InvalidRequest));
    }

    #[test]
    fn header_blocks() {
        assert_eq!(content_length("Content-Length: 12"), Ok(12));
        assert_eq!(
            content_length(
                "Content-Type: application/vscode-jsonrpc; charset=utf-8\r\ncontent-length:3"
            ),
            Ok(3)
        );
        assert!(content_length("Content-Length: abc").is_err());
        assert!(content_length("Content-Length: -1").is_err());
        assert!(content_length("Content-Length: +1").is_err());
        assert!(content_length("Content-Length: 99999999999999999999999").is_err());
        assert!(content_length("Content-Type: text").is_err());
        assert!(content_length("Content-Length: 1\r\nContent-Length: 2").is_err());
        let buf = b"junk}\r\nContent-Type: x\r\nContent-Length: 2\r\n\r\n{}";
        assert_eq!(header_start(buf), Some(7));
        assert_eq!(header_start(b"Content-Length: 2\r\n\r\n{}"), Some(0));
        assert_eq!(header_start(b"no header here"), None);
    }

    async fn frames_of(input: &[u8]) -> Vec<String> {
        let mut framer = Framer::new(input);
        let mut out = Vec::new();
        loop {
            out.push(match framer.next().await {
                Event::End => return out,
                Event::Body(b) => String::from_utf8(b).unwrap(),
                Event::Garbage { bytes } => format!("garbage {bytes}"),
                Event::BadHeader(_) => "bad header".to_owned(),
                Event::TooLarge(n) => format!("too large {n}"),
            });
        }
    }

    #[tokio::test]
    async fn the_framer_resynchronises() {
        let input = b"Content-Length: 2\r\n\r\n{}\
            Content-Length: 1\r\n\r\n{}\
            Content-Length: x\r\n\r\n{}\
            {\"no\":\"header\"}\r\n\
            Content-Type: a\r\nContent-Length: 3\n\n[1]\
            Content-Type: b\r\n\r\n{}\
            Content-Length: 999999999999\r\n\r\nabc";
        assert_eq!(
            frames_of(input).await,
            [
                "{}",
                "{",
                "garbage 1",
                "bad header",
                "garbage 17",
                "[1]",
                "bad header",
                "garbage 2",
                "too large 999999999999",
            ]
        );
    }
}
