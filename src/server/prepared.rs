//! Answers kept as JSON, made at most once per analysis: `textDocument/documentSymbol`,
//! `textDocument/foldingRange` and `textDocument/semanticTokens/full`.
//!
//! Why: tower-lsp-server turns every handler's result into a `serde_json::Value` tree and
//! then serializes the tree — for a large draft's outline that costs more than computing
//! it (about 3 ms on 1 MiB, 90 ms on 10 MiB) — and its standard methods cannot be
//! replaced (`custom_method` with a standard name is ignored). Editors ask for these three
//! after every edit, and again and again while the text stands still.
//!
//! How: the transport renames each such request to an internal method
//! ([`Answer::internal_method`]) before the library reads it. Its handler serializes the
//! result straight from the protocol types, once per analysis ([`Answers`], kept beside
//! the analysis, so a new version or configuration starts afresh), and answers with a
//! [`Ticket`]: a short string the library turns into a `Value` for nothing. As the response
//! leaves, the transport's relay exchanges the ticket for the JSON ([`Tickets::redeem`]).
//! Everything else about the request stays the library's, because the library still
//! handles it: refused before `initialize` (`-32002`) and after `shutdown` (`-32600`),
//! cancellation, duplicate ids, parameter errors (the same parameter type, so the same
//! message), and its place after the edits sent before it. Only the method's name and the
//! result's bytes change hands.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use serde::{Deserialize, Serialize, Serializer};
use tower_lsp_server::jsonrpc::Id;
use tower_lsp_server::ls_types::{DocumentSymbolResponse, SemanticTokensResult};

use super::query::Query;
use super::semantic_tokens::{self, Token};
use super::to_proto;

/// A result as serialized JSON, shared between the analysis's cache and the tickets.
pub(crate) type Json = Arc<[u8]>;

/// The requests answered from JSON made once per analysis.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Answer {
    DocumentSymbols,
    FoldingRanges,
    SemanticTokens,
}

impl Answer {
    const ALL: [Answer; 3] = [
        Answer::DocumentSymbols,
        Answer::FoldingRanges,
        Answer::SemanticTokens,
    ];

    fn method(self) -> &'static str {
        match self {
            Answer::DocumentSymbols => "textDocument/documentSymbol",
            Answer::FoldingRanges => "textDocument/foldingRange",
            Answer::SemanticTokens => "textDocument/semanticTokens/full",
        }
    }

    /// The name the library knows the request by once the transport has renamed it.
    pub(crate) fn internal_method(self) -> &'static str {
        match self {
            Answer::DocumentSymbols => "policyLsp/prepared/documentSymbol",
            Answer::FoldingRanges => "policyLsp/prepared/foldingRange",
            Answer::SemanticTokens => "policyLsp/prepared/semanticTokens/full",
        }
    }

    /// The answer a request for `method` gets from here, if any.
    pub(crate) fn for_method(method: &str) -> Option<Answer> {
        Answer::ALL.into_iter().find(|a| a.method() == method)
    }

    /// Whether `method` is one of the internal names, which only the transport may use.
    pub(crate) fn is_internal(method: &str) -> bool {
        Answer::ALL.iter().any(|a| a.internal_method() == method)
    }

    /// What the answer is, for messages.
    pub(crate) fn what(self) -> &'static str {
        match self {
            Answer::DocumentSymbols => "document symbols",
            Answer::FoldingRanges => "folding ranges",
            Answer::SemanticTokens => "semantic tokens",
        }
    }

    /// The result's JSON, from the query's analysis; `None` (the protocol's `null`) when
    /// the analysis failed.
    pub(crate) fn compute(self, query: &Query) -> Option<Json> {
        let json = match self {
            Answer::DocumentSymbols => {
                let analysis = query.analysis()?;
                let encoding = query.encoding();
                let response = if query.session.hierarchical_symbols {
                    DocumentSymbolResponse::Nested(to_proto::document_symbols(analysis, encoding))
                } else {
                    DocumentSymbolResponse::Flat(to_proto::flat_symbols(
                        &query.uri, analysis, encoding,
                    ))
                };
                serde_json::to_vec(&response)
            }
            Answer::FoldingRanges => serde_json::to_vec(&to_proto::folding_ranges(
                query.analysis()?,
                query.session.folding_limit,
            )),
            Answer::SemanticTokens => serde_json::to_vec(&SemanticTokensResult::Tokens(
                semantic_tokens::tokens(query, None)?,
            )),
        };
        // Protocol types always serialize (no maps with non-string keys, no failing
        // `Serialize` impls); the library makes the same assumption for what it sends.
        Some(json.expect("protocol types serialize").into())
    }
}

/// What is made once per analysis and kept beside it: the prepared answers, and the
/// semantic tokens as byte ranges (which `semanticTokens/range` shares).
#[derive(Default)]
pub(crate) struct Answers {
    document_symbols: OnceLock<Option<Json>>,
    folding_ranges: OnceLock<Option<Json>>,
    semantic_tokens: OnceLock<Option<Json>>,
    pub(super) tokens: OnceLock<Vec<Token>>,
}

impl Answers {
    pub(crate) fn slot(&self, answer: Answer) -> &OnceLock<Option<Json>> {
        match answer {
            Answer::DocumentSymbols => &self.document_symbols,
            Answer::FoldingRanges => &self.folding_ranges,
            Answer::SemanticTokens => &self.semantic_tokens,
        }
    }
}

/// Stands in for a prepared result in the library's response; serialized as
/// [`TICKET_PREFIX`] and its number.
#[derive(Debug)]
pub(crate) struct Ticket(u64);

const TICKET_PREFIX: &str = "policy-lsp:prepared:";

impl Serialize for Ticket {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&format_args!("{TICKET_PREFIX}{}", self.0))
    }
}

/// The start of the library's response body whose result is a ticket: tower-lsp-server
/// writes `jsonrpc`, then `result`, then `id`.
const TICKET_RESPONSE: &[u8] = br#"{"jsonrpc":"2.0","result":"policy-lsp:prepared:"#;

/// A response with its prepared result, in pieces, so that the result is copied only
/// once, into the frame.
pub(crate) struct Redeemed {
    json: Json,
    id: Vec<u8>,
}

impl Redeemed {
    /// The body's pieces, in order.
    pub(crate) fn parts(&self) -> [&[u8]; 5] {
        [
            br#"{"jsonrpc":"2.0","result":"#,
            &self.json,
            br#","id":"#,
            &self.id,
            b"}",
        ]
    }
}

/// The prepared results issued to the library and not yet redeemed by the transport.
#[derive(Default)]
pub(crate) struct Tickets {
    next: AtomicU64,
    issued: Mutex<HashMap<u64, Json>>,
}

impl Tickets {
    pub(crate) fn issue(&self, json: Json) -> Ticket {
        let number = self.next.fetch_add(1, Ordering::Relaxed);
        self.lock().insert(number, json);
        Ticket(number)
    }

    /// The response with its prepared result, if `body` is the library's response
    /// carrying a ticket; `None` for any other message.
    pub(crate) fn redeem(&self, body: &[u8]) -> Option<Redeemed> {
        if !body.starts_with(TICKET_RESPONSE) {
            return None;
        }
        #[derive(Deserialize)]
        struct Carrier<'a> {
            result: &'a str,
            id: Id,
        }
        let carrier: Carrier = serde_json::from_slice(body).ok()?;
        let number = carrier.result.strip_prefix(TICKET_PREFIX)?.parse().ok()?;
        let json = self.lock().remove(&number)?;
        let id = serde_json::to_vec(&carrier.id).ok()?;
        Some(Redeemed { json, id })
    }

    /// The table is left consistent by every operation, so poisoning is ignored.
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<u64, Json>> {
        self.issued.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{json, Value};
    use tower_lsp_server::jsonrpc::Response;

    use super::*;

    /// The body tower-lsp-server writes for a handler's result.
    fn library_body(id: Id, result: impl Serialize) -> Vec<u8> {
        let result = serde_json::to_value(result).unwrap();
        serde_json::to_vec(&Response::from_ok(id, result)).unwrap()
    }

    #[test]
    fn a_ticket_in_the_librarys_response_is_exchanged_for_its_json_once() {
        let tickets = Tickets::default();
        let json: Json = br#"[{"startLine":1,"endLine":3}]"#.as_slice().into();
        for id in [Id::Number(7), Id::String("a \"quoted\" id".to_owned())] {
            let ticket = tickets.issue(json.clone());
            let body = library_body(id.clone(), &ticket);
            let redeemed = tickets.redeem(&body).expect("a ticket").parts().concat();
            let redeemed: Value = serde_json::from_slice(&redeemed).unwrap();
            let expected = serde_json::to_value(Response::from_ok(
                id,
                json!([{"startLine": 1, "endLine": 3}]),
            ))
            .unwrap();
            assert_eq!(redeemed, expected);
            assert!(tickets.redeem(&body).is_none(), "redeemed twice");
        }
        assert!(tickets.lock().is_empty());
    }

    #[test]
    fn other_responses_pass_unchanged() {
        let tickets = Tickets::default();
        tickets.issue(b"1".as_slice().into());
        for body in [
            library_body(Id::Number(1), "policy-lsp:prepared:9"),
            library_body(Id::Number(1), "text"),
            library_body(Id::Number(1), json!({"result": "policy-lsp:prepared:0"})),
            br#"{"jsonrpc":"2.0","method":"window/logMessage","params":{}}"#.to_vec(),
        ] {
            assert!(tickets.redeem(&body).is_none());
        }
    }

    #[test]
    fn methods_and_their_internal_names() {
        for answer in Answer::ALL {
            assert_eq!(Answer::for_method(answer.method()), Some(answer));
            assert!(Answer::is_internal(answer.internal_method()));
            assert!(!Answer::is_internal(answer.method()));
        }
        assert_eq!(
            Answer::for_method("textDocument/semanticTokens/range"),
            None
        );
    }
}
