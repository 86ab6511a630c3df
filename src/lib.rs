//! policy-lsp: a language server and CI linter for policy drafts.
//!
//! - [`analysis`]: the pure core (text model, structure, term index, findings).
//! - [`rules`]: one module per rule, and the registry.
//! - [`config`]: `policy-lsp.toml`, parsed without I/O.
//! - [`glossary`]: the built-in glossary data, the workspace glossary's parser and term
//!   lookup (pure).
//! - [`workspace`]: reading the glossary files a configuration names (I/O), for both
//!   front ends.
//! - [`cli`]: `policy-lsp check`, `rule`, `outline` and `serve` (which hands over to the
//!   server).
//! - [`server`]: the language server (LSP 3.17 over stdio, on tower-lsp-server): diagnostics,
//!   hover, outline, navigation, code actions, completion, semantic tokens, and the
//!   workspace configuration with client settings under it.
//!
//! The CLI and the server are front ends: each reads text and configuration, calls
//! [`analysis::analyze`], and turns byte ranges into what its audience counts in.

pub mod analysis;
pub mod cli;
pub mod config;
pub mod glossary;
pub mod rules;
pub mod server;
pub mod workspace;
