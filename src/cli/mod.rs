//! The command line: `policy-lsp check`, `rule` and `outline`. The only layer that reads
//! files, walks directories, looks for configuration and writes to the terminal; everything
//! it learns about a draft comes from the analysis core.

mod check;
mod configs;
mod exit;
mod format;
mod inputs;
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
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check drafts and report findings.
    Check(check::CheckArgs),
    /// Explain a rule, or list every rule.
    Rule(rule::RuleArgs),
    /// Print a draft's outline: its headings, indented by level.
    Outline(outline::OutlineArgs),
}

/// Parses the command line, runs the command and returns its exit status.
pub fn run() -> ExitCode {
    // clap exits with status 2 on usage errors, as the exit-code contract wants.
    let cli = Cli::parse();
    let exit = match cli.command {
        Command::Check(args) => check::run(args),
        Command::Rule(args) => rule::run(args),
        Command::Outline(args) => outline::run(args),
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
