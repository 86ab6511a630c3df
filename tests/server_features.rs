//! End-to-end tests of the term and navigation features: the real `policy-lsp serve`
//! binary, spoken to over its stdio with JSON-RPC, in UTF-16 and UTF-8, on drafts with
//! Korean, emoji and CRLF line breaks.
//!
//! The client waits for the `initialize` response before sending anything else, and a
//! reader thread drains the server's messages all the time, answering the server's own
//! requests (`client/registerCapability`, `workspace/configuration`) with `null`.
//! Positions are computed here from the text, independently of the crate.

mod stdio_client;

use std::ops::{Deref, DerefMut};
use std::path::Path;
use std::time::Duration;

use serde_json::{json, Value};

use stdio_client::{ServerRequests, StdioServer};

const TIMEOUT: Duration = Duration::from_secs(30);

#[derive(Clone, Copy, Debug, PartialEq)]
enum Enc {
    Utf8,
    Utf16,
}

const BOTH: [Enc; 2] = [Enc::Utf16, Enc::Utf8];

/// The shared stdio client, answering the server's own requests, and the encoding this
/// server negotiated.
struct Server {
    io: StdioServer,
    enc: Enc,
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
    /// Starts the binary and completes the `initialize` handshake, offering only `enc`.
    fn start(enc: Enc, root: Option<&Path>) -> (Server, Value) {
        Server::start_with(enc, root, json!({}))
    }

    /// [`Server::start`], with more `textDocument` client capabilities.
    fn start_with(enc: Enc, root: Option<&Path>, text_document: Value) -> (Server, Value) {
        let mut server = Server {
            io: StdioServer::spawn(ServerRequests::Answer, TIMEOUT),
            enc,
        };
        let name = match enc {
            Enc::Utf8 => "utf-8",
            Enc::Utf16 => "utf-16",
        };
        let root_uri = root.map(file_uri);
        let folders = root_uri
            .as_ref()
            .map_or(Value::Null, |u| json!([{"uri": u, "name": "ws"}]));
        let mut text_capabilities = json!({
            "hover": {"contentFormat": ["markdown", "plaintext"]},
            "rename": {"prepareSupport": true},
            "publishDiagnostics": {"versionSupport": true},
        });
        for (key, value) in text_document.as_object().into_iter().flatten() {
            text_capabilities[key] = value.clone();
        }
        let init = server.request(
            "initialize",
            json!({
                "processId": null,
                "rootUri": root_uri,
                "workspaceFolders": folders,
                "capabilities": {
                    "general": {"positionEncodings": [name]},
                    "textDocument": text_capabilities,
                },
            }),
        );
        assert_eq!(
            init["result"]["capabilities"]["positionEncoding"],
            json!(name)
        );
        server.notify("initialized", json!({}));
        (server, init["result"].clone())
    }

    /// The whole response to a request (a method of its own, so that its parameters can
    /// borrow the server, which a call through `DerefMut` would not allow).
    fn request(&mut self, method: &str, params: Value) -> Value {
        self.io.request(method, params)
    }

    /// The result of a request that must succeed.
    fn result(&mut self, method: &str, params: Value) -> Value {
        let response = self.request(method, params);
        assert!(response.get("error").is_none(), "{method}: {response}");
        response["result"].clone()
    }

    fn open(&mut self, uri: &str, text: &str) {
        let language = if uri.ends_with(".md") {
            "markdown"
        } else {
            "plaintext"
        };
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": language, "version": 1, "text": text}}),
        );
    }

    /// The protocol position of byte `offset`, counted here.
    fn position(&self, text: &str, offset: usize) -> Value {
        let before = &text[..offset];
        let line = before.matches('\n').count();
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = &before[line_start..];
        let character = match self.enc {
            Enc::Utf8 => column.len(),
            Enc::Utf16 => column.encode_utf16().count(),
        };
        json!({"line": line, "character": character})
    }

    /// The position of the start of the `nth` (0-based) occurrence of `needle`.
    fn at(&self, text: &str, needle: &str, nth: usize) -> Value {
        let offset = text
            .match_indices(needle)
            .nth(nth)
            .unwrap_or_else(|| panic!("{needle:?} #{nth}"))
            .0;
        self.position(text, offset)
    }

    /// The byte offset of a protocol position (for reading ranges back).
    fn offset(&self, text: &str, position: &Value) -> usize {
        let line = position["line"].as_u64().unwrap() as usize;
        let character = position["character"].as_u64().unwrap() as usize;
        let start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
        let mut units = 0;
        for (i, c) in text[start..].char_indices() {
            if units >= character || c == '\n' || c == '\r' {
                return start + i;
            }
            units += match self.enc {
                Enc::Utf8 => c.len_utf8(),
                Enc::Utf16 => c.len_utf16(),
            };
        }
        text.len()
    }

    fn text_of(&self, text: &str, range: &Value) -> String {
        text[self.offset(text, &range["start"])..self.offset(text, &range["end"])].to_owned()
    }

    fn stop(mut self) {
        self.io.shutdown_and_exit();
    }
}

fn file_uri(path: &Path) -> String {
    let mut uri = String::from("file://");
    for byte in path.to_string_lossy().bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'/' | b'-' | b'_' | b'.' | b'~' => {
                uri.push(byte as char)
            }
            _ => uri.push_str(&format!("%{byte:02X}")),
        }
    }
    uri
}

fn doc(uri: &str, position: Value) -> Value {
    json!({"textDocument": {"uri": uri}, "position": position})
}

/// Applies a list of protocol text edits to `text`.
fn apply(server: &Server, text: &str, edits: &[Value]) -> String {
    let mut byte_edits: Vec<(usize, usize, String)> = edits
        .iter()
        .map(|e| {
            (
                server.offset(text, &e["range"]["start"]),
                server.offset(text, &e["range"]["end"]),
                e["newText"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    byte_edits.sort_by_key(|e| std::cmp::Reverse(e.0));
    let mut out = text.to_owned();
    for (a, b, new) in byte_edits {
        out.replace_range(a..b, &new);
    }
    out
}

/// A draft with Korean, emoji, CRLF breaks, a definition by appositive, an acronym, a
/// bracketed currency conversion and a quotation.
const DRAFT: &str = "# 정책 😀 Harbour Plan\r\n\r\nThe plan funds hubs—partnerships of a university and local firms—across regions. The Harbour Safety Board (HSB) backs 12 new hubs.\r\n\r\n## 재원 🇰🇷 Budget\r\n\r\nExports reach $685 billion (approximately 890 trillion KRW) by 2030. Each 😀 hub's board said, \"We will grow the hubs.\"\r\n\r\nHubs report to the HSB.\r\n";

const URI: &str = "file:///tmp/policy-lsp-features/plan.md";

#[test]
fn capabilities_are_advertised() {
    let (server, init) = Server::start(Enc::Utf16, None);
    let caps = &init["capabilities"];
    assert_eq!(caps["hoverProvider"], json!(true));
    assert_eq!(caps["definitionProvider"], json!(true));
    assert_eq!(caps["referencesProvider"], json!(true));
    assert_eq!(caps["renameProvider"]["prepareProvider"], json!(true));
    assert_eq!(caps["workspaceSymbolProvider"], json!(true));
    assert!(caps["completionProvider"].is_object());
    let tokens = &caps["semanticTokensProvider"];
    assert_eq!(
        tokens["legend"]["tokenTypes"],
        json!(["variable", "string", "number"])
    );
    assert_eq!(tokens["legend"]["tokenModifiers"], json!(["definition"]));
    assert_eq!(tokens["range"], json!(true));
    assert_eq!(tokens["full"], json!(true));
    server.stop();
}

#[test]
fn hover_over_terms_acronyms_and_figures() {
    for enc in BOTH {
        let (mut s, _) = Server::start(enc, None);
        s.open(URI, DRAFT);
        // A term: the draft's own definition with its line, then the built-in one.
        let hover = s.result("textDocument/hover", doc(URI, s.at(DRAFT, "hub's", 0)));
        let text = hover["contents"]["value"].as_str().unwrap();
        assert_eq!(hover["contents"]["kind"], "markdown");
        assert!(
            text.starts_with(
                "**hubs** — partnerships of a university and local firms *(this draft, line 3)*"
            ),
            "{enc:?}: {text}"
        );
        assert_eq!(s.text_of(DRAFT, &hover["range"]), "hub's");
        // An acronym: its expansion.
        let hover = s.result("textDocument/hover", doc(URI, s.at(DRAFT, "HSB", 1)));
        let text = hover["contents"]["value"].as_str().unwrap();
        assert!(text.contains("Harbour Safety Board"), "{text}");
        assert_eq!(s.text_of(DRAFT, &hover["range"]), "HSB");
        // A figure restated in brackets: its value and the implied rate.
        let hover = s.result("textDocument/hover", doc(URI, s.at(DRAFT, "890", 0)));
        let text = hover["contents"]["value"].as_str().unwrap();
        assert!(text.contains("8.9 × 10^14 KRW"), "{text}");
        assert!(text.contains("1 USD ≈ 1,299 KRW"), "{text}");
        assert_eq!(s.text_of(DRAFT, &hover["range"]), "890 trillion KRW");
        let hover = s.result("textDocument/hover", doc(URI, s.at(DRAFT, "685", 0)));
        assert_eq!(s.text_of(DRAFT, &hover["range"]), "$685 billion");
        // Nothing over an ordinary word, a year, past the end, inside an emoji, or in a
        // document that is not open.
        for position in [
            s.at(DRAFT, "backs", 0),
            s.at(DRAFT, "2030", 0),
            json!({"line": 99, "character": 0}),
            json!({"line": 2, "character": 9999}),
        ] {
            let response = s.request("textDocument/hover", doc(URI, position.clone()));
            assert_eq!(response["result"], Value::Null, "{position}");
        }
        if enc == Enc::Utf16 {
            // Between the two halves of the 😀 in the title.
            let inside = json!({"line": 0, "character": 6});
            let response = s.request("textDocument/hover", doc(URI, inside));
            assert_eq!(response["result"], Value::Null);
        }
        let other = "file:///tmp/policy-lsp-features/never-opened.md";
        let response = s.request(
            "textDocument/hover",
            doc(other, json!({"line": 0, "character": 0})),
        );
        assert_eq!(response["result"], Value::Null);
        s.stop();
    }
}

#[test]
fn definition_and_references() {
    for enc in BOTH {
        let (mut s, _) = Server::start(enc, None);
        s.open(URI, DRAFT);
        let target = s.result(
            "textDocument/definition",
            doc(URI, s.at(DRAFT, "Hubs report", 0)),
        );
        assert_eq!(target["uri"], URI);
        assert_eq!(s.text_of(DRAFT, &target["range"]), "hubs");
        assert_eq!(target["range"]["start"]["line"], 2);
        let mut params = doc(URI, s.at(DRAFT, "hub's", 0));
        params["context"] = json!({"includeDeclaration": true});
        let all = s.result("textDocument/references", params.clone());
        let found: Vec<String> = all
            .as_array()
            .unwrap()
            .iter()
            .map(|l| s.text_of(DRAFT, &l["range"]))
            .collect();
        assert_eq!(found, ["hubs", "hubs", "hub's", "hubs", "Hubs"], "{enc:?}");
        params["context"] = json!({"includeDeclaration": false});
        let uses = s.result("textDocument/references", params);
        assert_eq!(uses.as_array().unwrap().len(), 4);
        // The acronym's definition is its expansion.
        let target = s.result("textDocument/definition", doc(URI, s.at(DRAFT, "HSB", 1)));
        assert_eq!(s.text_of(DRAFT, &target["range"]), "HSB");
        assert_eq!(target["range"]["start"]["line"], 2);
        // No term, no answer.
        let response = s.request("textDocument/definition", doc(URI, s.at(DRAFT, "backs", 0)));
        assert_eq!(response["result"], Value::Null);
        s.stop();
    }
}

#[test]
fn definition_in_a_glossary_file() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(
        root.join("policy-lsp.toml"),
        "[glossary]\nfiles = [\"glossary.md\"]\n",
    )
    .unwrap();
    std::fs::write(
        root.join("glossary.md"),
        "# 용어 Glossary\r\n\r\n**Port levy**: a charge on ships 🚢 entering the harbour.\r\n",
    )
    .unwrap();
    let uri = format!("{}/levy.txt", file_uri(root));
    let text = "한국 😀 The port levy rises.\r\n";
    for enc in BOTH {
        let (mut s, _) = Server::start(enc, Some(root));
        s.open(&uri, text);
        let hover = s.result("textDocument/hover", doc(&uri, s.at(text, "levy", 0)));
        let markdown = hover["contents"]["value"].as_str().unwrap();
        assert!(
            markdown.contains("a charge on ships 🚢 entering the harbour.")
                && markdown.contains("workspace glossary: glossary.md, line 3"),
            "{markdown}"
        );
        let target = s.result("textDocument/definition", doc(&uri, s.at(text, "port", 0)));
        assert_eq!(target["uri"], format!("{}/glossary.md", file_uri(root)));
        assert_eq!(
            target["range"],
            json!({"start": {"line": 2, "character": 2}, "end": {"line": 2, "character": 11}})
        );
        s.stop();
    }
}

#[test]
fn rename_a_defined_term_keeping_inflections() {
    for enc in BOTH {
        let (mut s, _) = Server::start(enc, None);
        s.open(URI, DRAFT);
        let at = s.at(DRAFT, "hub's", 0);
        let prepared = s.result("textDocument/prepareRename", doc(URI, at.clone()));
        assert_eq!(prepared["placeholder"], "hub's");
        assert_eq!(s.text_of(DRAFT, &prepared["range"]), "hub's");
        let mut params = doc(URI, at);
        params["newName"] = json!("centre's");
        let edit = s.result("textDocument/rename", params);
        let edits = edit["changes"][URI].as_array().unwrap();
        assert_eq!(
            apply(&s, DRAFT, edits),
            DRAFT
                .replace("hubs", "centres")
                .replace("hub's", "centre's")
                .replace("Hubs", "Centres"),
            "{enc:?}"
        );
        // A word the draft does not define, a built-in term, a figure: refused.
        for needle in ["backs", "plan", "685"] {
            let response = s.request(
                "textDocument/prepareRename",
                doc(URI, s.at(DRAFT, needle, 0)),
            );
            assert_eq!(response["error"]["code"], -32803, "{needle}: {response}");
            assert!(response["error"]["message"].as_str().unwrap().len() > 20);
        }
        let mut params = doc(URI, s.at(DRAFT, "hub's", 0));
        params["newName"] = json!("");
        assert!(s.request("textDocument/rename", params)["error"].is_object());
        s.stop();
    }
}

#[test]
fn workspace_symbols_from_open_drafts_and_disk() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir(root.join("notes")).unwrap();
    std::fs::write(
        root.join("notes").join("brief.txt"),
        "Budget Brief For The Port\r\n\"Anchor firm\" means a company 😀 that locates research here.\r\n",
    )
    .unwrap();
    std::fs::write(root.join("plan.md"), "# Stale Title On Disk\n").unwrap();
    let plan = format!("{}/plan.md", file_uri(root));
    for enc in BOTH {
        let (mut s, _) = Server::start(enc, Some(root));
        s.open(&plan, DRAFT);
        let found = s.result("workspace/symbol", json!({"query": "harbour"}));
        let names: Vec<&str> = found
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["name"].as_str().unwrap())
            .collect();
        assert_eq!(names, ["정책 😀 Harbour Plan"]);
        let title = &found[0]["location"];
        assert_eq!(title["uri"], plan);
        assert_eq!(s.text_of(DRAFT, &title["range"]), "정책 😀 Harbour Plan");
        let found = s.result("workspace/symbol", json!({"query": "anchor"}));
        assert_eq!(found[0]["name"], "Anchor firm");
        assert_eq!(found[0]["kind"], 20, "a key");
        assert!(found[0]["location"]["uri"]
            .as_str()
            .unwrap()
            .ends_with("/notes/brief.txt"));
        let found = s.result("workspace/symbol", json!({"query": "stale"}));
        assert_eq!(found, json!([]), "the open draft replaces its file");
        let found = s.result("workspace/symbol", json!({"query": "hsb"}));
        assert_eq!(found[0]["name"], "HSB");
        s.stop();
    }
}

#[test]
fn completion_of_defined_and_glossary_terms() {
    let text = "The Harbour Safety Board (HSB) met.\r\n😀 한국 the HS\r\nA new clu\r\nx\r\n";
    for enc in BOTH {
        let (mut s, _) = Server::start(enc, None);
        let uri = "file:///tmp/policy-lsp-features/complete.txt";
        s.open(uri, text);
        let end_of = |s: &Server, needle: &str| {
            let offset = text.find(needle).unwrap() + needle.len();
            s.position(text, offset)
        };
        let list = s.result("textDocument/completion", doc(uri, end_of(&s, "the HS")));
        let first = &list["items"][0];
        assert_eq!(first["label"], "HSB");
        assert_eq!(first["detail"], "this draft, line 1");
        assert!(first["documentation"]["value"]
            .as_str()
            .unwrap()
            .contains("Harbour Safety Board"));
        let edit = &first["textEdit"];
        assert_eq!(edit["newText"], "HSB");
        assert_eq!(s.text_of(text, &edit["range"]), "HS");
        let list = s.result("textDocument/completion", doc(uri, end_of(&s, "new clu")));
        let cluster = list["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["label"] == "cluster")
            .expect("the built-in term");
        assert!(cluster["detail"]
            .as_str()
            .unwrap()
            .starts_with("built-in glossary"));
        assert!(!cluster["documentation"]["value"]
            .as_str()
            .unwrap()
            .is_empty());
        // One letter: nothing yet, but ask again.
        let list = s.result("textDocument/completion", doc(uri, end_of(&s, "\r\nx")));
        assert_eq!(list["items"], json!([]));
        assert_eq!(list["isIncomplete"], json!(true));
        s.stop();
    }
}

/// Decodes semantic tokens into (text, type, modifiers).
fn decode_tokens(s: &Server, text: &str, data: &[Value]) -> Vec<(String, u64, u64)> {
    let data: Vec<u64> = data.iter().map(|v| v.as_u64().unwrap()).collect();
    let (mut line, mut column) = (0, 0);
    data.chunks_exact(5)
        .map(|t| {
            if t[0] > 0 {
                line += t[0];
                column = t[1];
            } else {
                column += t[1];
            }
            let start = json!({"line": line, "character": column});
            let end = json!({"line": line, "character": column + t[2]});
            let range = json!({"start": start, "end": end});
            (s.text_of(text, &range), t[3], t[4])
        })
        .collect()
}

#[test]
fn semantic_tokens_full_and_range() {
    let text = "The Harbour Safety Board (HSB) said 😀 한국:\r\n\r\n> \"We will add 300 berths, 한국 and\r\n> the HSB agrees.\"\r\n";
    for enc in BOTH {
        let (mut s, _) = Server::start(enc, None);
        let uri = "file:///tmp/policy-lsp-features/tokens.md";
        s.open(uri, text);
        let full = s.result(
            "textDocument/semanticTokens/full",
            json!({"textDocument": {"uri": uri}}),
        );
        let tokens = decode_tokens(&s, text, full["data"].as_array().unwrap());
        let (term, string, number) = (0, 1, 2);
        assert_eq!(
            tokens,
            [
                ("HSB".to_owned(), term, 1),
                ("\"We will add".to_owned(), string, 0),
                ("300".to_owned(), number, 0),
                ("berths, 한국 and".to_owned(), string, 0),
                ("the".to_owned(), string, 0),
                ("HSB".to_owned(), term, 0),
                ("agrees.\"".to_owned(), string, 0),
            ],
            "{enc:?}"
        );
        let range =
            json!({"start": {"line": 3, "character": 0}, "end": {"line": 4, "character": 0}});
        let part = s.result(
            "textDocument/semanticTokens/range",
            json!({"textDocument": {"uri": uri}, "range": range}),
        );
        let data = part["data"].as_array().unwrap();
        assert_eq!(data.len(), 15);
        assert_eq!(data[0], 3, "the first token's line is absolute");
        let unknown = s.request(
            "textDocument/semanticTokens/full",
            json!({"textDocument": {"uri": "file:///nowhere.md"}}),
        );
        assert_eq!(unknown["result"], Value::Null);
        s.stop();
    }
}

/// The outline, the folds and the semantic tokens — answered from JSON made once per
/// analysis — are those of the text as every edit sent before the request left it (even
/// when the request follows the edit without waiting), under the current configuration;
/// asking again gives the same answer.
#[test]
fn outline_folds_and_tokens_follow_edits_and_configuration() {
    let text = "# Plan 😀\r\n\r\nThe Harbour Safety Board (HSB) will add 300 berths next year.\r\n\r\n## Budget\r\n\r\n> \"The HSB pays,\r\n> we hope.\"\r\n";
    let uri = "file:///tmp/policy-lsp-features/prepared.md";
    let range = |start: (u32, u32), end: (u32, u32)| json!({"start": {"line": start.0, "character": start.1}, "end": {"line": end.0, "character": end.1}});
    let section = |name: &str, detail: &str, whole: Value, heading: Value| json!({"name": name, "detail": detail, "kind": 15, "range": whole, "selectionRange": heading});
    let folds = |folds: &[(u32, u32)]| -> Value {
        folds
            .iter()
            .map(|(start, end)| json!({"startLine": start, "endLine": end}))
            .collect()
    };
    for enc in BOTH {
        let (mut s, _) = Server::start_with(
            enc,
            None,
            json!({"documentSymbol": {"hierarchicalDocumentSymbolSupport": true}}),
        );
        let ask = |s: &mut Server| -> Vec<Value> {
            [
                "textDocument/documentSymbol",
                "textDocument/foldingRange",
                "textDocument/semanticTokens/full",
            ]
            .into_iter()
            .map(|method| s.result(method, json!({"textDocument": {"uri": uri}})))
            .collect()
        };
        // "# Plan 😀": the emoji is two UTF-16 units, four bytes.
        let plan_end = match enc {
            Enc::Utf16 => 9,
            Enc::Utf8 => 11,
        };
        s.open(uri, text);
        let budget = section(
            "Budget",
            "6 words · 1 finding",
            range((4, 3), (7, 11)),
            range((4, 3), (4, 9)),
        );
        let mut plan = section(
            "Plan 😀",
            "18 words · 2 findings",
            range((0, 2), (7, 11)),
            range((0, 2), (0, plan_end)),
        );
        plan["children"] = json!([budget]);
        let before = vec![
            json!([plan]),
            folds(&[(0, 7), (4, 7), (6, 7)]),
            json!({"data": [2, 26, 3, 0, 1, 0, 14, 3, 2, 0, 4, 2, 4, 1, 0, 0, 5, 3, 0, 0, 0, 4, 5, 1, 0, 1, 2, 9, 1, 0]}),
        ];
        assert_eq!(ask(&mut s), before, "{enc:?}");
        assert_eq!(ask(&mut s), before, "{enc:?}: asked again");

        // A new section, and the requests right behind the edit.
        s.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{
                "range": range((4, 0), (4, 0)),
                "text": "## Ferries\r\n\r\nThe HSB runs 12 ferries.\r\n\r\n",
            }]}),
        );
        let ferries = section(
            "Ferries",
            "6 words",
            range((4, 3), (6, 24)),
            range((4, 3), (4, 10)),
        );
        let budget = section(
            "Budget",
            "6 words · 1 finding",
            range((8, 3), (11, 11)),
            range((8, 3), (8, 9)),
        );
        let mut plan = section(
            "Plan 😀",
            "24 words · 2 findings",
            range((0, 2), (11, 11)),
            range((0, 2), (0, plan_end)),
        );
        plan["children"] = json!([ferries, budget]);
        let tokens = json!({"data": [2, 26, 3, 0, 1, 0, 14, 3, 2, 0, 4, 4, 3, 0, 0, 0, 9, 2, 2, 0, 4, 2, 4, 1, 0, 0, 5, 3, 0, 0, 0, 4, 5, 1, 0, 1, 2, 9, 1, 0]});
        let after = vec![
            json!([plan.clone()]),
            folds(&[(0, 11), (4, 6), (8, 11), (10, 11)]),
            tokens,
        ];
        assert_eq!(ask(&mut s), after, "{enc:?}: after the edit");

        // The outline counts the findings of the current configuration.
        s.notify(
            "workspace/didChangeConfiguration",
            json!({"settings": {"policyLsp": {"rules": {"relative-date": "off"}}}}),
        );
        plan["detail"] = json!("24 words · 1 finding");
        let outline = s.result(
            "textDocument/documentSymbol",
            json!({"textDocument": {"uri": uri}}),
        );
        assert_eq!(outline, json!([plan]), "{enc:?}: after the configuration");
        s.stop();
    }
}

#[test]
fn unknown_documents_and_bad_positions_get_empty_answers() {
    for enc in BOTH {
        let (mut s, _) = Server::start(enc, None);
        s.open(URI, DRAFT);
        let unknown = "file:///tmp/policy-lsp-features/unknown.md";
        let bad = [
            json!({"line": 99, "character": 0}),
            json!({"line": 0, "character": 9999}),
            json!({"line": 4294967295u32, "character": 4294967295u32}),
        ];
        for (uri, position) in bad
            .iter()
            .map(|p| (URI, p.clone()))
            .chain([(unknown, json!({"line": 0, "character": 0}))])
        {
            let at = doc(uri, position.clone());
            let mut refs = at.clone();
            refs["context"] = json!({"includeDeclaration": true});
            let mut rename = at.clone();
            rename["newName"] = json!("x");
            for (method, params) in [
                ("textDocument/hover", at.clone()),
                ("textDocument/definition", at.clone()),
                ("textDocument/references", refs),
                ("textDocument/completion", at.clone()),
            ] {
                let response = s.request(method, params);
                assert_eq!(response["result"], Value::Null, "{method} {uri} {position}");
            }
            // Rename answers nothing for an unknown document, and refuses a bad position.
            for method in ["textDocument/prepareRename", "textDocument/rename"] {
                let params = if method.ends_with("/rename") {
                    rename.clone()
                } else {
                    at.clone()
                };
                let response = s.request(method, params);
                if uri == unknown {
                    assert_eq!(response["result"], Value::Null, "{method}");
                } else {
                    assert!(response["error"].is_object(), "{method} {response}");
                }
            }
        }
        // A reversed range and one past the end still answer.
        let range =
            json!({"start": {"line": 50, "character": 3}, "end": {"line": 0, "character": 0}});
        let tokens = s.result(
            "textDocument/semanticTokens/range",
            json!({"textDocument": {"uri": URI}, "range": range}),
        );
        assert!(!tokens["data"].as_array().unwrap().is_empty());
        // The server is still alive and well.
        let hover = s.result("textDocument/hover", doc(URI, s.at(DRAFT, "hub's", 0)));
        assert!(hover["contents"]["value"].is_string());
        s.stop();
    }
}
