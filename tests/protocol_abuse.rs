//! Protocol abuse (issue 7, guarantee 3): raw bytes to the real `policy-lsp serve` binary
//! over stdio. Every hostile message gets the JSON-RPC error the specification names, or is
//! logged and ignored when it is a notification; after each one, a hover and the outline
//! of another open draft still answer exactly as before, and the server never panics.
//!
//! | Case | Answer |
//! |---|---|
//! | body that is not JSON, not UTF-8, or empty; JSON nested 50,000–100,000 deep | `-32700` Parse error, id `null` (no stack overflow) |
//! | `Content-Length` too short, too long, not a number, negative, missing; no header at all; a kilobytes-long run of garbage | `-32700` once, id `null`; the stream resynchronises on the next `Content-Length` header |
//! | body that is JSON but not a JSON-RPC 2.0 object (array, number, string, `null`, `{}`, `"jsonrpc": "1.0"`, a method that is not a string, a fractional id) | `-32600` Invalid Request (the request's id when it has a usable one, else `null`) |
//! | unknown request | `-32601` Method not found |
//! | request for a `$/` method | `-32601` Method not found |
//! | unknown notification, `$/` notification, `$/cancelRequest` of nothing | ignored |
//! | request with wrong, missing or array parameters, or a negative position | `-32602` Invalid params |
//! | notification with wrong parameters (`didChange`, `didOpen` with a bad URI) | ignored, logged (`window/logMessage`) |
//! | response to a request the server never sent; a broken response | ignored (the broken one logged) |
//! | position past the end of a line or of the document, inside a surrogate pair, between `\r` and `\n`, `u32::MAX` | `null` (no hover) |
//! | change to a document that is not open (logged); close of one | ignored |
//! | change with ranges out of bounds, inside a surrogate pair, between `\r` and `\n`, reversed | clamped into the document (the server's text is checked) |
//! | duplicate `didOpen` | the newer text wins, logged |
//! | `initialize` twice | `-32600` Invalid Request |
//! | request before `initialize` | `-32002` Server not initialized (notifications dropped) |
//! | documentSymbol, foldingRange, semanticTokens/full (answered from prepared JSON) before `initialize`, with bad params, after `shutdown`; their internal names | the same errors as any other request; `-32601` Method not found |
//! | `initialize` with wrong parameters | `-32602`, and a proper `initialize` afterwards works |
//! | request after `shutdown`, `shutdown` twice | `-32600` Invalid Request; `exit` then exits with 0 |
//! | `Content-Length` above the 256 MiB limit | `-32600`, the body skipped; the end of input ends the server (exit 1) |
//! | input that ends inside a header or a body | the server exits (1), no panic |
//! | `initialized` without params or with `null` | taken as `{}` (the server says it is ready) |
//! | a client that closes the server's stdout | writes fail quietly; the end of input ends the server (1), no hang, no panic |
//!
//! No timing is asserted; timeouts only keep a broken server from hanging the test.

mod stdio_client;

use std::io::{Read, Write};
use std::ops::{Deref, DerefMut};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use stdio_client::{frame, ServerRequests, StdioServer};

const TIMEOUT: Duration = Duration::from_secs(60);

/// The draft that must keep answering: an acronym to hover, two sections for the outline.
const REFERENCE: &str =
    "# Plan 😀\r\n\r\nThe Harbour Safety Board (HSB) backs new hubs.\r\n\r\n## Budget\r\n\r\nThe HSB reports.\r\n";
const REFERENCE_URI: &str = "file:///tmp/policy-lsp-abuse/reference.md";
/// The draft the hostile edits go to.
const VICTIM_URI: &str = "file:///tmp/policy-lsp-abuse/victim.txt";

/// The client of these tests: the shared stdio client, which leaves the server's own
/// requests unanswered, and the count of hostile cases tried on this process.
struct Server {
    io: StdioServer,
    cases: usize,
}

impl Deref for Server {
    type Target = StdioServer;
    fn deref(&self) -> &StdioServer {
        &self.io
    }
}

impl DerefMut for Server {
    fn deref_mut(&mut self) -> &mut StdioServer {
        &mut self.io
    }
}

impl Server {
    fn spawn() -> Server {
        Server {
            io: StdioServer::spawn(ServerRequests::Ignore, TIMEOUT),
            cases: 0,
        }
    }

    /// A server past `initialize` (UTF-16 positions, Markdown hovers, nested symbols) with
    /// the reference draft open and answering.
    fn start() -> Server {
        let mut s = Server::spawn();
        let init = s.request("initialize", initialize_params());
        assert!(init.get("error").is_none(), "{init}");
        assert_eq!(init["result"]["capabilities"]["positionEncoding"], "utf-16");
        s.notify("initialized", json!({}));
        s.open(REFERENCE_URI, "markdown", 1, REFERENCE);
        s.assert_alive("start");
        s
    }

    /// The next error answered with id `null` (a message that could not be read as one).
    fn null_error(&mut self, case: &str, code: i64) -> Value {
        let error = self.wait(|m| m.get("method").is_none() && m["id"].is_null());
        assert_eq!(error["error"]["code"], code, "{case}: {error}");
        error
    }

    fn error_for(&mut self, case: &str, id: Value, code: i64) {
        let response = self.response(&id);
        assert_eq!(response["error"]["code"], code, "{case}: {response}");
        assert!(response.get("result").is_none(), "{case}: {response}");
    }

    fn open(&mut self, uri: &str, language: &str, version: i64, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": language, "version": version, "text": text}}),
        );
    }

    fn hover(&mut self, uri: &str, line: u64, character: u64) -> Value {
        self.request(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": character}}),
        )
    }

    fn server_text(&mut self, uri: &str) -> Value {
        let response = self.request(
            "policyLsp/documentText",
            json!({"textDocument": {"uri": uri}}),
        );
        response["result"].clone()
    }

    /// The reference draft still answers a hover and its outline correctly, the process is
    /// running, and no answer came that nothing asked for.
    fn assert_alive(&mut self, case: &str) {
        let hover = self.hover(REFERENCE_URI, 6, 5);
        let value = hover["result"]["contents"]["value"].as_str().unwrap_or("");
        assert!(
            value.starts_with("**HSB** — Harbour Safety Board"),
            "{case}: hover {hover}"
        );
        assert_eq!(
            hover["result"]["range"],
            json!({"start": {"line": 6, "character": 4}, "end": {"line": 6, "character": 7}}),
            "{case}"
        );
        let symbols = self.request(
            "textDocument/documentSymbol",
            json!({"textDocument": {"uri": REFERENCE_URI}}),
        );
        let outline = &symbols["result"];
        assert_eq!(outline[0]["name"], "Plan 😀", "{case}: {symbols}");
        assert_eq!(outline[0]["children"][0]["name"], "Budget", "{case}");
        assert!(
            self.child.try_wait().unwrap().is_none(),
            "{case}: the server exited"
        );
        let stray: Vec<&Value> = self
            .backlog
            .iter()
            .filter(|m| m.get("method").is_none())
            .collect();
        assert!(
            stray.is_empty(),
            "{case}: answers nobody asked for: {stray:?}"
        );
        self.assert_no_panic(case);
    }

    /// One hostile case done: the server must still serve.
    fn case_done(&mut self, case: &str) {
        self.cases += 1;
        self.assert_alive(case);
    }

    fn shutdown_and_exit(mut self) -> usize {
        self.io.shutdown_and_exit();
        self.cases
    }
}

fn initialize_params() -> Value {
    json!({
        "processId": null,
        "rootUri": null,
        "capabilities": {
            "general": {"positionEncodings": ["utf-16"]},
            "textDocument": {
                "hover": {"contentFormat": ["markdown", "plaintext"]},
                "documentSymbol": {"hierarchicalDocumentSymbolSupport": true},
            },
        },
    })
}

/// Malformed frames and bodies: each answered, the stream resynchronised.
#[test]
fn malformed_messages_are_answered_and_the_server_goes_on() {
    let mut s = Server::start();
    let hover_body = |id: i64| {
        json!({"jsonrpc": "2.0", "id": id, "method": "textDocument/hover",
               "params": {"textDocument": {"uri": REFERENCE_URI},
                          "position": {"line": 6, "character": 5}}})
        .to_string()
    };

    // Bodies that are not JSON.
    for (case, body) in [
        (
            "invalid JSON",
            &b"{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": "[..],
        ),
        ("not JSON at all", b"hello, server"),
        (
            "not UTF-8",
            b"{\"jsonrpc\":\"2.0\",\"method\":\"\xff\xfe\"}",
        ),
        ("an empty body", b""),
    ] {
        s.raw(&frame(body));
        s.null_error(case, -32700);
        s.case_done(case);
    }
    // JSON nested deeper than any parser goes: refused, no stack overflow.
    let deep = "[".repeat(100_000) + &"]".repeat(100_000);
    s.raw(&frame(deep.as_bytes()));
    s.null_error("an array nested 100,000 deep", -32700);
    s.case_done("an array nested 100,000 deep");
    let deep = format!(
        r#"{{"jsonrpc":"2.0","id":3,"method":"textDocument/hover","params":{}{}}}"#,
        r#"{"a":"#.repeat(50_000),
        "}".repeat(50_000)
    );
    s.raw(&frame(deep.as_bytes()));
    s.null_error("params nested 50,000 deep", -32700);
    s.case_done("params nested 50,000 deep");

    // Content-Length too short: the first part is not JSON, the rest is skipped up to the
    // next header.
    let body = hover_body(1001);
    s.raw(format!("Content-Length: {}\r\n\r\n{body}", body.len() - 7).as_bytes());
    s.null_error("Content-Length too short", -32700);
    s.case_done("Content-Length too short");

    // Content-Length too long: the body runs into the next message, which is lost with it;
    // the one after is served.
    let body = hover_body(1002);
    s.raw(format!("Content-Length: {}\r\n\r\n{body}", body.len() + 20).as_bytes());
    s.raw(&frame(hover_body(1003).as_bytes()));
    s.null_error("Content-Length too long", -32700);
    s.case_done("Content-Length too long");

    // Headers that name no length: the bodies after them are skipped.
    for (case, header) in [
        (
            "Content-Length not a number",
            "Content-Length: eleven\r\n\r\n",
        ),
        ("Content-Length negative", "Content-Length: -40\r\n\r\n"),
        (
            "Content-Length beyond any integer",
            "Content-Length: 99999999999999999999999999\r\n\r\n",
        ),
        (
            "Content-Length missing",
            "Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n",
        ),
    ] {
        s.raw(format!("{header}{}", hover_body(1004)).as_bytes());
        s.null_error(case, -32700);
        s.case_done(case);
    }

    // No header at all, then a kilobytes-long run of garbage with no header in it.
    s.raw(hover_body(1005).as_bytes());
    s.raw(&frame(b"{\"jsonrpc\":\"2.0\",\"method\":\"x/nothing\"}"));
    s.null_error("no header at all", -32700);
    s.case_done("no header at all");
    s.raw("garbage without a header ".repeat(800).as_bytes());
    s.raw(&frame(b"{\"jsonrpc\":\"2.0\",\"method\":\"x/nothing\"}"));
    s.null_error("20 kB of garbage", -32700);
    s.case_done("20 kB of garbage");

    // A header with `Content-Type` first, and a lax `\n\n` end: both are fine.
    let body = hover_body(1006);
    s.raw(
        format!(
            "Content-Type: application/vscode-jsonrpc; charset=utf-8\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        )
        .as_bytes(),
    );
    assert!(s.response(&json!(1006))["result"].is_object());
    let body = hover_body(1007);
    s.raw(format!("Content-Length: {}\n\n{body}", body.len()).as_bytes());
    assert!(s.response(&json!(1007))["result"].is_object());
    s.case_done("Content-Type header and bare line feeds");

    // JSON, but not a JSON-RPC 2.0 message.
    for (case, body) in [
        ("an array", "[]"),
        (
            "a batch",
            r#"[{"jsonrpc":"2.0","id":5,"method":"textDocument/hover"}]"#,
        ),
        ("a number", "42"),
        ("a string", r#""textDocument/hover""#),
        ("null", "null"),
        ("an empty object", "{}"),
        (
            "a fractional id",
            r#"{"jsonrpc":"2.0","id":1.5,"method":"shutdown"}"#,
        ),
        ("a request without a method", r#"{"jsonrpc":"2.0","id":8}"#),
    ] {
        s.raw(&frame(body.as_bytes()));
        s.null_error(case, -32600);
        s.case_done(case);
    }
    // Requests that are broken but name a usable id get it back.
    s.raw(&frame(br#"{"jsonrpc":"1.0","id":6,"method":"shutdown"}"#));
    s.error_for("JSON-RPC 1.0", json!(6), -32600);
    s.case_done("JSON-RPC 1.0");
    s.raw(&frame(br#"{"jsonrpc":"2.0","id":"m7","method":7}"#));
    s.error_for("a method that is a number", json!("m7"), -32600);
    s.case_done("a method that is a number");

    let cases = s.shutdown_and_exit();
    eprintln!("malformed messages: {cases} hostile cases");
    assert_eq!(cases, 25);
}

/// Well-formed messages with hostile content on one server.
#[test]
fn hostile_requests_and_notifications_are_refused_or_ignored() {
    let mut s = Server::start();

    // Unknown methods.
    let id = s.fresh_id();
    s.send(&json!({"jsonrpc": "2.0", "id": id, "method": "textDocument/teleport", "params": {}}));
    s.error_for("unknown request", json!(id), -32601);
    s.case_done("unknown request");
    let id = s.fresh_id();
    s.send(&json!({"jsonrpc": "2.0", "id": id, "method": "$/policyLsp/secret", "params": {}}));
    s.error_for("a $/ request", json!(id), -32601);
    s.case_done("a $/ request");
    let id = s.fresh_id();
    s.send(&json!({"jsonrpc": "2.0", "id": id, "method": ""}));
    s.error_for("an empty method", json!(id), -32601);
    s.case_done("an empty method");
    for (case, method) in [
        ("unknown notification", "textDocument/didTeleport"),
        ("a $/ notification", "$/policyLsp/whatever"),
        ("$/setTrace", "$/setTrace"),
    ] {
        s.notify(method, json!({"value": "verbose"}));
        s.case_done(case);
    }
    s.notify("$/cancelRequest", json!({"id": 987654}));
    s.case_done("cancelling a request that does not exist");
    s.notify("$/cancelRequest", json!({"id": {"nested": true}}));
    s.case_done("cancelling with a malformed id");

    // Wrong parameter types.
    let hover =
        |params: Value| json!({"jsonrpc": "2.0", "method": "textDocument/hover", "params": params});
    for (case, params) in [
        (
            "a position that is a string",
            json!({"textDocument": {"uri": REFERENCE_URI}, "position": "6:5"}),
        ),
        (
            "a line that is a string",
            json!({"textDocument": {"uri": REFERENCE_URI}, "position": {"line": "six", "character": 5}}),
        ),
        (
            "a negative position",
            json!({"textDocument": {"uri": REFERENCE_URI}, "position": {"line": -1, "character": 5}}),
        ),
        (
            "a position beyond u32",
            json!({"textDocument": {"uri": REFERENCE_URI}, "position": {"line": 1u64 << 40, "character": 0}}),
        ),
        (
            "a URI that is a number",
            json!({"textDocument": {"uri": 12}, "position": {"line": 0, "character": 0}}),
        ),
        ("params as an array", json!([REFERENCE_URI, 6, 5])),
        ("params null", Value::Null),
    ] {
        let id = s.fresh_id();
        let mut request = hover(params);
        request["id"] = json!(id);
        s.send(&request);
        s.error_for(case, json!(id), -32602);
        s.case_done(case);
    }
    let id = s.fresh_id();
    s.send(&json!({"jsonrpc": "2.0", "id": id, "method": "textDocument/documentSymbol"}));
    s.error_for("params missing", json!(id), -32602);
    s.case_done("params missing");

    // Notifications with wrong parameters: dropped, and the client's log says so.
    s.open(VICTIM_URI, "plaintext", 1, "ab😀\r\ncd\r\n");
    s.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": VICTIM_URI, "version": 2}, "contentChanges": "oops"}),
    );
    let log = s.wait(|m| {
        m["method"] == "window/logMessage"
            && m["params"]["message"]
                .as_str()
                .is_some_and(|t| t.contains("ignored a textDocument/didChange"))
    });
    assert_eq!(log["params"]["type"], 2);
    assert_eq!(
        s.server_text(VICTIM_URI),
        json!({"version": 1, "text": "ab😀\r\ncd\r\n"})
    );
    s.case_done("didChange with changes that are a string");
    s.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": "not a uri at all", "languageId": "markdown", "version": 1, "text": "x"}}),
    );
    s.case_done("didOpen with a URI that is not one");
    s.notify("textDocument/didOpen", json!({"textDocument": 5}));
    s.case_done("didOpen with a number for the document");
    s.notify("textDocument/didClose", Value::Null);
    s.case_done("didClose with null params");

    // Positions that name no place: no hover, and no error.
    for (case, line, character) in [
        ("past the end of a line", 6, 99),
        ("past the end of the document", 40, 0),
        ("u32::MAX", u64::from(u32::MAX), u64::from(u32::MAX)),
        // "# Plan 😀": the emoji's two UTF-16 units are characters 7 and 8.
        ("inside a surrogate pair", 0, 8),
        // Line 2 has 46 characters; its \r is character 46, its \n character 47.
        ("between \\r and \\n", 2, 47),
    ] {
        let response = s.hover(REFERENCE_URI, line, character);
        assert_eq!(response["result"], Value::Null, "{case}: {response}");
        assert!(response.get("error").is_none(), "{case}: {response}");
        s.case_done(case);
    }

    // Edits to a document that is not open, and its close.
    let ghost = "file:///tmp/policy-lsp-abuse/ghost.md";
    s.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": ghost, "version": 3}, "contentChanges": [{"text": "boo"}]}),
    );
    s.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": ghost}}),
    );
    assert_eq!(s.server_text(ghost), Value::Null);
    s.case_done("change and close of a document that is not open");

    // Edits with ranges out of bounds, inside a surrogate pair, between \r and \n,
    // reversed: clamped into the document, never split a character or a line break.
    let edits: [(&str, Value, &str, &str); 5] = [
        (
            "an edit inside a surrogate pair",
            json!({"start": {"line": 0, "character": 3}, "end": {"line": 0, "character": 3}}),
            "X",
            "abX😀\r\ncd\r\n",
        ),
        (
            "an edit between \\r and \\n",
            json!({"start": {"line": 0, "character": 6}, "end": {"line": 0, "character": 6}}),
            "Y",
            "abX😀Y\r\ncd\r\n",
        ),
        (
            "an edit whose end is past the end",
            json!({"start": {"line": 1, "character": 0}, "end": {"line": 99, "character": 99}}),
            "Z",
            "abX😀Y\r\nZ",
        ),
        (
            "an edit wholly past the end",
            json!({"start": {"line": 4000000000u32, "character": 5}, "end": {"line": 4000000000u32, "character": 0}}),
            "!",
            "abX😀Y\r\nZ!",
        ),
        (
            "a reversed range",
            json!({"start": {"line": 1, "character": 1}, "end": {"line": 0, "character": 0}}),
            "",
            "!",
        ),
    ];
    for (version, (case, range, new, expected)) in edits.into_iter().enumerate() {
        let version = version as i64 + 2;
        s.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": VICTIM_URI, "version": version},
                   "contentChanges": [{"range": range, "text": new}]}),
        );
        assert_eq!(
            s.server_text(VICTIM_URI),
            json!({"version": version, "text": expected}),
            "{case}"
        );
        // The clamped document is analysed and outlined like any other.
        let symbols = s.request(
            "textDocument/documentSymbol",
            json!({"textDocument": {"uri": VICTIM_URI}}),
        );
        assert!(symbols.get("error").is_none(), "{case}: {symbols}");
        s.case_done(case);
    }

    // A duplicate didOpen: the newer text wins.
    s.open(VICTIM_URI, "plaintext", 10, "Reopened 😀 text.\r\n");
    assert_eq!(
        s.server_text(VICTIM_URI),
        json!({"version": 10, "text": "Reopened 😀 text.\r\n"})
    );
    s.case_done("duplicate didOpen");
    s.open(REFERENCE_URI, "markdown", 1, REFERENCE);
    s.case_done("duplicate didOpen with the same text");

    // Responses nobody asked for.
    s.send(&json!({"jsonrpc": "2.0", "id": 424242, "result": {"surprise": true}}));
    s.send(&json!({"jsonrpc": "2.0", "id": null, "result": null}));
    s.case_done("responses to requests never sent");
    s.send(&json!({"jsonrpc": "2.0", "id": 434343, "error": "not an error object"}));
    s.case_done("a broken response");

    // initialize twice.
    let again = s.request("initialize", initialize_params());
    assert_eq!(again["error"]["code"], -32600, "{again}");
    s.case_done("initialize twice");

    let cases = s.shutdown_and_exit();
    eprintln!("hostile requests and notifications: {cases} cases");
    assert_eq!(cases, 36);
}

/// Before `initialize`: requests refused with -32002, notifications dropped, a broken
/// `initialize` refused with -32602; then a proper `initialize` works.
#[test]
fn before_initialize() {
    let mut s = Server::spawn();
    let early = s.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": REFERENCE_URI}}),
    );
    assert_eq!(early["error"]["code"], -32002, "{early}");
    let early = s.request("shutdown", Value::Null);
    assert_eq!(early["error"]["code"], -32002, "{early}");
    s.open(VICTIM_URI, "plaintext", 1, "dropped");
    // Broken bytes before initialize are answered the same way as after it.
    s.raw(&frame(b"{oops"));
    s.null_error("invalid JSON before initialize", -32700);
    let broken = s.request("initialize", json!({"capabilities": 5}));
    assert_eq!(broken["error"]["code"], -32602, "{broken}");
    let init = s.request("initialize", initialize_params());
    assert!(init.get("error").is_none(), "{init}");
    s.notify("initialized", json!({}));
    // The didOpen before initialize was dropped.
    assert_eq!(s.server_text(VICTIM_URI), Value::Null);
    s.open(REFERENCE_URI, "markdown", 1, REFERENCE);
    s.cases = 5;
    s.assert_alive("after a late initialize");
    s.shutdown_and_exit();
}

/// The requests answered from JSON prepared once per analysis (documentSymbol,
/// foldingRange, semanticTokens/full) are refused exactly as the library refuses the
/// others: before `initialize`, with parameters that do not fit, and after `shutdown`; and
/// the internal names the server gives them are unknown methods to a client.
#[test]
fn prepared_answers_are_refused_like_any_request() {
    const PREPARED: [&str; 3] = [
        "textDocument/documentSymbol",
        "textDocument/foldingRange",
        "textDocument/semanticTokens/full",
    ];
    let document = json!({"textDocument": {"uri": REFERENCE_URI}});
    let error = |response: Value| response["error"].clone();
    let mut s = Server::spawn();
    let refused = error(s.hover(REFERENCE_URI, 6, 5));
    assert_eq!(refused["code"], -32002, "{refused}");
    for method in PREPARED {
        assert_eq!(
            error(s.request(method, document.clone())),
            refused,
            "{method}"
        );
    }
    let init = s.request("initialize", initialize_params());
    assert!(init.get("error").is_none(), "{init}");
    s.notify("initialized", json!({}));
    s.open(REFERENCE_URI, "markdown", 1, REFERENCE);
    s.assert_alive("prepared answers after initialize");

    // Parameters that do not fit: the same error, message included, as the slow path's
    // (`semanticTokens/range` reads its `textDocument` the same way).
    for (case, params) in [
        (
            "a text document that is a number",
            json!({"textDocument": 5}),
        ),
        (
            "a URI that is a number",
            json!({"textDocument": {"uri": 12}}),
        ),
        ("no text document", json!({})),
    ] {
        let slow = error(s.request("textDocument/semanticTokens/range", params.clone()));
        assert_eq!(slow["code"], -32602, "{case}: {slow}");
        for method in PREPARED {
            let fast = error(s.request(method, params.clone()));
            assert_eq!(fast, slow, "{method}, {case}");
        }
    }
    for (method, params) in PREPARED.into_iter().zip([
        "DocumentSymbolParams",
        "FoldingRangeParams",
        "SemanticTokensParams",
    ]) {
        let null = error(s.request(method, Value::Null));
        let message = format!("invalid type: null, expected struct {params}");
        assert_eq!(
            null,
            json!({"code": -32602, "message": message}),
            "{method}"
        );
        let id = s.fresh_id();
        s.send(&json!({"jsonrpc": "2.0", "id": id, "method": method}));
        let missing = error(s.response(&json!(id)));
        assert_eq!(
            missing,
            json!({"code": -32602, "message": "Missing params field"}),
            "{method}"
        );
    }
    for internal in [
        "policyLsp/prepared/documentSymbol",
        "policyLsp/prepared/foldingRange",
        "policyLsp/prepared/semanticTokens/full",
    ] {
        let refused = error(s.request(internal, document.clone()));
        assert_eq!(
            refused,
            json!({"code": -32601, "message": "Method not found", "data": internal})
        );
    }
    s.assert_alive("prepared answers with bad parameters");

    let response = s.request("shutdown", Value::Null);
    assert!(response.get("error").is_none(), "{response}");
    let late = error(s.hover(REFERENCE_URI, 6, 5));
    assert_eq!(late["code"], -32600, "{late}");
    for method in PREPARED {
        assert_eq!(error(s.request(method, document.clone())), late, "{method}");
    }
    s.notify("exit", Value::Null);
    assert_eq!(s.wait_exit(), 0);
    s.assert_no_panic("prepared answers");
}

/// `initialized` without params (or `null`): taken as `{}` rather than dropped, so the
/// server still starts what it starts then (it says it is ready).
#[test]
fn initialized_without_params_is_taken() {
    for initialized in [
        &br#"{"jsonrpc":"2.0","method":"initialized"}"#[..],
        br#"{"jsonrpc":"2.0","method":"initialized","params":null}"#,
    ] {
        let mut s = Server::spawn();
        let init = s.request("initialize", initialize_params());
        assert!(init.get("error").is_none(), "{init}");
        s.raw(&frame(initialized));
        let ready = s.wait(|m| {
            m["method"] == "window/logMessage"
                && m["params"]["message"]
                    .as_str()
                    .is_some_and(|t| t.contains("ready"))
        });
        assert_eq!(ready["params"]["type"], 3);
        s.open(REFERENCE_URI, "markdown", 1, REFERENCE);
        s.assert_alive("initialized without params");
        s.shutdown_and_exit();
    }
}

/// A client that stops reading (closes the server's stdout): the server's writes fail,
/// it goes on reading, and the end of its input ends it — no hang, no panic.
#[test]
fn a_client_that_closes_the_servers_output() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_policy-lsp"))
        .arg("serve")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the server starts");
    drop(child.stdout.take());
    let mut stdin = child.stdin.take().unwrap();
    let mut send = |message: Value| {
        // The server may already be gone: that is what this test looks at.
        let _ = stdin.write_all(&frame(message.to_string().as_bytes()));
    };
    send(json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": initialize_params()}));
    send(json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}));
    send(
        json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument":
        {"uri": REFERENCE_URI, "languageId": "markdown", "version": 1, "text": REFERENCE}}}),
    );
    for id in 2..50 {
        send(
            json!({"jsonrpc": "2.0", "id": id, "method": "textDocument/hover", "params":
            {"textDocument": {"uri": REFERENCE_URI}, "position": {"line": 6, "character": 5}}}),
        );
    }
    drop(stdin);
    let deadline = Instant::now() + TIMEOUT;
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("the server did not exit");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(status.code(), Some(1), "{stderr}");
}

/// After `shutdown`: requests refused with -32600 (a second `shutdown` too), notifications
/// dropped; `exit` ends the process with 0.
#[test]
fn after_shutdown() {
    let mut s = Server::start();
    let response = s.request("shutdown", Value::Null);
    assert!(response.get("error").is_none(), "{response}");
    let late = s.hover(REFERENCE_URI, 6, 5);
    assert_eq!(late["error"]["code"], -32600, "{late}");
    let late = s.request("shutdown", Value::Null);
    assert_eq!(late["error"]["code"], -32600, "{late}");
    let late = s.request("initialize", initialize_params());
    assert_eq!(late["error"]["code"], -32600, "{late}");
    s.open(VICTIM_URI, "plaintext", 1, "too late");
    s.raw(&frame(b"[]"));
    s.null_error("a batch after shutdown", -32600);
    s.notify("exit", Value::Null);
    assert_eq!(s.wait_exit(), 0);
    s.assert_no_panic("after shutdown");
}

/// A declared length above the limit: refused, the body skipped as it arrives (the stream
/// cannot be trusted to resynchronise inside it); the end of input ends the server.
#[test]
fn a_length_above_the_limit_is_refused_without_reading_it_into_memory() {
    let mut s = Server::start();
    s.raw(b"Content-Length: 1099511627776\r\n\r\n{\"jsonrpc\":\"2.0\"");
    s.null_error("a terabyte Content-Length", -32600);
    s.raw(&[b' '; 1 << 16]);
    assert!(s.child.try_wait().unwrap().is_none());
    assert_eq!(s.wait_exit(), 1, "no shutdown: exit code 1");
    s.assert_no_panic("a terabyte Content-Length");
}

/// Input that ends inside a header or a body: the server exits cleanly (1: no shutdown).
#[test]
fn input_ending_inside_a_message() {
    for tail in [
        &b"Content-Len"[..],
        b"Content-Length: 500\r\n\r\n{\"jsonrpc\":",
        b"Content-Length: 5",
    ] {
        let mut s = Server::start();
        s.raw(tail);
        assert_eq!(s.wait_exit(), 1, "{:?}", String::from_utf8_lossy(tail));
        s.assert_no_panic("input ending inside a message");
    }
}
