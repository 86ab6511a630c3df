//! `policy-lsp outline FILE`: the draft's headings as an indented outline, as the language
//! server's document symbols will show them.

use std::path::PathBuf;

use clap::Args;

use super::configs::Configs;
use super::exit::Exit;
use super::inputs::{read_text_within, Source};
use crate::analysis::headings::outline_text;
use crate::analysis::{Document, DocumentKind};

#[derive(Debug, Args)]
pub struct OutlineArgs {
    /// The draft; `.md` and `.markdown` are read as Markdown, anything else as plain text.
    file: PathBuf,
}

pub fn run(args: OutlineArgs) -> Exit {
    let cwd = match super::working_dir() {
        Ok(cwd) => cwd,
        Err(exit) => return exit,
    };
    let mut configs = Configs::new(&cwd);
    let absolute = cwd.join(&args.file);
    let Some(config) = configs.for_dir(absolute.parent().unwrap_or(&absolute)) else {
        for problem in &configs.problems {
            eprintln!("error: {problem}");
        }
        return Exit::Error;
    };
    let text = match read_text_within(Source::File, &args.file, config.config.max_file_size()) {
        Ok(text) => text,
        Err(problem) => {
            eprintln!("error: {problem}");
            return Exit::Error;
        }
    };
    let kind = DocumentKind::from_file_name(&args.file.to_string_lossy());
    let document = Document::parse(&text, kind, &config.config);
    super::print(&outline_text(&document))
}
