//! policy-lsp: a language server and CI linter for policy drafts.
//!
//! - [`analysis`]: the pure core (text model, structure, term index, findings).
//! - [`rules`]: one module per rule, and the registry.
//! - [`config`]: `policy-lsp.toml`, parsed without I/O.
//! - [`glossary`]: the built-in glossary data, the workspace glossary's parser and term
//!   lookup (pure).
//! - [`workspace`]: reading the glossary files a configuration names (I/O).
//! - [`cli`]: `policy-lsp check`, `rule` and `outline`.
//! - [`server`]: `policy-lsp serve`, the language server.

pub mod analysis;
pub mod cli;
pub mod config;
pub mod glossary;
pub mod rules;
pub mod server;
pub mod workspace;
