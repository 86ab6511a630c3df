//! `policy-lsp check`: read the drafts, analyse them in parallel, report, pick the exit status.

use std::io::{self, Write};
use std::path::PathBuf;
use std::time::Instant;

use clap::{Args, ValueEnum};
use rayon::prelude::*;

use super::configs::Configs;
use super::exit::Exit;
use super::format::{human::write_summary, OutputFormat};
use super::inputs::{self, read_text_within, Input};
use super::problem::Problem;
use super::report::{FileReport, Tally};
use crate::analysis::{analyze, Severity};

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Drafts or directories to check; `-` reads standard input. Directories are searched
    /// for .md, .markdown and .txt files, honouring .gitignore and skipping hidden files.
    #[arg(default_value = ".")]
    paths: Vec<PathBuf>,

    /// How to print findings.
    #[arg(long, value_enum, default_value_t)]
    format: OutputFormat,

    /// The lowest severity that makes the run fail (exit status 1).
    #[arg(long, value_enum, default_value_t = FailOn::Warning)]
    fail_on: FailOn,

    /// Use this configuration file for every draft instead of looking for policy-lsp.toml.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,

    /// The file name standard input stands for: shown in reports, and its extension decides
    /// Markdown or plain text.
    #[arg(long, value_name = "NAME")]
    stdin_filename: Option<PathBuf>,
}

/// The lowest severity that fails the run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum FailOn {
    /// Fail on errors.
    Error,
    /// Fail on errors and warnings.
    Warning,
    /// Fail on anything but hints.
    Information,
    /// Never fail on findings (errors reading drafts still do).
    Never,
}

impl FailOn {
    fn threshold(self) -> Option<Severity> {
        match self {
            FailOn::Error => Some(Severity::Error),
            FailOn::Warning => Some(Severity::Warning),
            FailOn::Information => Some(Severity::Information),
            FailOn::Never => None,
        }
    }
}

pub fn run(args: CheckArgs) -> Exit {
    let started = Instant::now();
    let cwd = match super::working_dir() {
        Ok(cwd) => cwd,
        Err(exit) => return exit,
    };
    let mut configs = match &args.config {
        None => Configs::new(&cwd),
        Some(path) => match Configs::explicit(path, &cwd) {
            Ok(configs) => configs,
            Err(problem) => {
                eprintln!("error: {problem}");
                return Exit::Error;
            }
        },
    };
    let inputs = inputs::collect(
        &args.paths,
        args.stdin_filename.as_deref(),
        &mut configs,
        &cwd,
    );
    let mut problems = inputs.problems;

    // `collect` on an indexed parallel iterator keeps input order: the same as a serial run.
    let checked: Vec<Result<FileReport, Problem>> =
        inputs.drafts.into_par_iter().map(check_one).collect();
    let mut files = Vec::with_capacity(checked.len());
    for result in checked {
        match result {
            Ok(file) => files.push(file),
            Err(problem) => problems.push(problem),
        }
    }

    problems.sort_by_cached_key(ToString::to_string);
    for problem in &problems {
        eprintln!("error: {problem}");
    }
    let tally = Tally::of(&files);
    if let Err(err) = write_report(args.format, &files) {
        if err.kind() != io::ErrorKind::BrokenPipe {
            eprintln!("error: cannot write the report: {err}");
            return Exit::Error;
        }
    }
    if args.format == OutputFormat::Human {
        let _ = write_summary(&mut io::stderr(), files.len(), &tally, started.elapsed());
    }

    let fails = args.fail_on.threshold().is_some_and(|threshold| {
        Severity::ALL
            .iter()
            .any(|&s| s <= threshold && tally.count(s) > 0)
    });
    if !problems.is_empty() {
        Exit::Error
    } else if fails {
        Exit::Findings
    } else {
        Exit::Clean
    }
}

fn write_report(format: OutputFormat, files: &[FileReport]) -> io::Result<()> {
    if format == OutputFormat::Human {
        // Colour only on a terminal (and as NO_COLOR / CLICOLOR_FORCE say).
        let mut out = anstream::stdout().lock();
        format.write(files, &mut out)?;
        out.flush()
    } else {
        let mut out = io::BufWriter::new(io::stdout().lock());
        format.write(files, &mut out)?;
        out.flush()
    }
}

fn check_one(input: Input) -> Result<FileReport, Problem> {
    let config = &input.config.config;
    let text = read_text_within(input.source, &input.path, config.max_file_size())?;
    // The analysis never panics (ARCHITECTURE.md, guarantee 1); should it ever, the draft is
    // reported like any other that could not be checked, and the others still are.
    let analysis =
        std::panic::catch_unwind(|| analyze(&text, input.kind, config)).map_err(|_| {
            Problem::input(
                &input.path,
                "internal error while analysing this draft (a bug in policy-lsp; please report it)",
            )
        })?;
    Ok(FileReport {
        path: input.path,
        analysis,
    })
}
