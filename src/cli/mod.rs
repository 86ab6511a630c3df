//! The command line: `policy-lsp check`, `rule`, `outline` and `serve`. It reads files,
//! walks directories, looks for configuration and writes to the terminal; everything it
//! learns about a draft comes from the analysis core. `serve` hands over to
//! [`crate::server`].

mod check;
pub(crate) mod configs;
mod exit;
mod format;
pub(crate) mod inputs;
mod outline;
mod paths;
mod problem;
mod report;
mod rule;

use std::env;
use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use exit::Exit;

/// A linter for policy drafts.
#[derive(Debug, Parser)]
#[command(name = "policy-lsp", version, about)]
struct Cli {
    /// Run the language server on stdin/stdout (the same as `serve`).
    #[arg(long)]
    stdio: bool,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check drafts and report findings.
    Check(check::CheckArgs),
    /// Explain a rule, or list every rule.
    Rule(rule::RuleArgs),
    /// Print a draft's outline: its headings, indented by level.
    Outline(outline::OutlineArgs),
    /// Run the language server: LSP 3.17 over stdin/stdout.
    Serve(ServeArgs),
}

#[derive(Debug, clap::Args)]
struct ServeArgs {
    /// Accepted for clients that always pass it; stdio is the only transport.
    #[arg(long)]
    stdio: bool,
    /// Accepted and ignored: some clients pass their process id this way.
    #[arg(long = "clientProcessId", hide = true)]
    client_process_id: Option<String>,
}

/// Parses the command line, runs the command and returns its exit status.
pub fn run() -> ExitCode {
    // clap exits with status 2 on usage errors, as the exit-code contract wants.
    let cli = Cli::parse();
    let exit = match (cli.command, cli.stdio) {
        (Some(Command::Serve(_)), _) | (None, true) => return crate::server::run_stdio(),
        (Some(Command::Check(args)), _) => check::run(args),
        (Some(Command::Rule(args)), _) => rule::run(args),
        (Some(Command::Outline(args)), _) => outline::run(args),
        (None, false) => {
            let _ = <Cli as clap::CommandFactory>::command().print_help();
            Exit::Error
        }
    };
    exit.into()
}

/// The working directory, which command-line paths are relative to and reports show paths
/// from; a failure is reported and ends the command.
fn working_dir() -> Result<PathBuf, Exit> {
    env::current_dir().map_err(|err| {
        eprintln!("error: cannot read the working directory: {err}");
        Exit::Error
    })
}

/// Writes a command's whole output to stdout. A reader that stopped early (`| head`) is not
/// a failure.
fn print(text: &str) -> Exit {
    match io::stdout().lock().write_all(text.as_bytes()) {
        Ok(()) => Exit::Clean,
        Err(err) if err.kind() == io::ErrorKind::BrokenPipe => Exit::Clean,
        Err(err) => {
            eprintln!("error: cannot write the output: {err}");
            Exit::Error
        }
    }
}
