//! The command line: `policy-lsp check` and `policy-lsp rule`. The only layer that reads
//! files, walks directories, looks for configuration and writes to the terminal; everything
//! it learns about a draft comes from [`crate::analysis::analyze`].

mod check;
mod configs;
mod exit;
mod format;
mod inputs;
mod paths;
mod problem;
mod report;
mod rule;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// A linter for policy drafts.
#[derive(Debug, Parser)]
#[command(name = "policy-lsp", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check drafts and report findings.
    Check(check::CheckArgs),
    /// Explain a rule, or list every rule.
    Rule(rule::RuleArgs),
}

/// Parses the command line, runs the command and returns its exit status.
pub fn run() -> ExitCode {
    // clap exits with status 2 on usage errors, as the exit-code contract wants.
    let cli = Cli::parse();
    let exit = match cli.command {
        Command::Check(args) => check::run(args),
        Command::Rule(args) => rule::run(args),
    };
    exit.into()
}
