//! policy-lsp: a language server and CI linter for policy drafts.
//!
//! - [`analysis`]: the pure core (text model, structure, findings).
//! - [`rules`]: one module per rule, and the registry.
//! - [`config`]: `policy-lsp.toml`, parsed without I/O.
//! - [`cli`]: `policy-lsp check` and `policy-lsp rule`, the only layer here that does I/O.

pub mod analysis;
pub mod cli;
pub mod config;
pub mod glossary;
pub mod rules;
pub mod server;
