//! Turning the paths on the command line into the drafts to check: explicit files as they
//! are, directories walked for drafts (honouring `.gitignore` and the configuration's
//! `include`/`exclude`), and `-` for standard input.

use std::collections::BTreeMap;
use std::fs;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use ignore::WalkBuilder;

use super::configs::{Configs, ProjectConfig};
use super::paths::display_path;
use super::problem::Problem;
use crate::analysis::DocumentKind;
use crate::config::{ByteSize, DEFAULT_MAX_FILE_SIZE};

/// Extensions of the files a directory walk picks up.
const DRAFT_EXTENSIONS: &[&str] = &["md", "markdown", "txt"];

/// The path that stands for standard input.
const STDIN_PATH: &str = "-";

/// Where a draft's text comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    File,
    Stdin,
}

/// A draft to check.
#[derive(Debug)]
pub struct Input {
    pub source: Source,
    /// The path reports show; for a file, also where to read it.
    pub path: PathBuf,
    pub kind: DocumentKind,
    pub config: Arc<ProjectConfig>,
}

/// Everything the command line asks to check, sorted by path, each draft once.
pub struct Inputs {
    pub drafts: Vec<Input>,
    pub problems: Vec<Problem>,
}

/// Resolves `paths` (relative to `cwd`). `stdin_name` names standard input in reports and
/// decides its kind and configuration.
pub fn collect(
    paths: &[PathBuf],
    stdin_name: Option<&Path>,
    configs: &mut Configs,
    cwd: &Path,
) -> Inputs {
    let mut collector = Collector {
        configs,
        cwd,
        drafts: BTreeMap::new(),
        problems: Vec::new(),
    };
    for path in paths {
        if path.as_os_str() == STDIN_PATH {
            collector.add_stdin(stdin_name);
        } else {
            collector.add_path(path);
        }
    }
    let mut problems = collector.problems;
    problems.append(&mut collector.configs.problems);
    Inputs {
        drafts: collector.drafts.into_values().collect(),
        problems,
    }
}

struct Collector<'a> {
    configs: &'a mut Configs,
    cwd: &'a Path,
    /// Keyed by the shown path: sorts the drafts and drops duplicates.
    drafts: BTreeMap<PathBuf, Input>,
    problems: Vec<Problem>,
}

impl Collector<'_> {
    fn add_stdin(&mut self, name: Option<&Path>) {
        let path = name.unwrap_or(Path::new(STDIN_PATH));
        let dir = match name.and_then(Path::parent) {
            Some(parent) => self.cwd.join(parent),
            None => self.cwd.to_owned(),
        };
        if let Some(config) = self.configs.for_dir(&dir) {
            self.add(Source::Stdin, path, config);
        }
    }

    fn add_path(&mut self, path: &Path) {
        match fs::metadata(path) {
            Ok(meta) if meta.is_dir() => self.walk(path),
            Ok(_) => {
                let absolute = self.cwd.join(path);
                if let Some(config) = self.configs.for_dir(parent(&absolute)) {
                    self.add(Source::File, path, config);
                }
            }
            Err(err) => {
                let shown = display_path(path, self.cwd);
                self.problems
                    .push(Problem::input(&shown, open_failure(path, err)));
            }
        }
    }

    fn walk(&mut self, root: &Path) {
        // Follow links so a link to a draft is checked; the walker reports loops.
        let walker = WalkBuilder::new(root)
            .follow_links(true)
            .require_git(false)
            .build();
        for entry in walker {
            let entry = match entry {
                Ok(entry) => entry,
                Err(err) => {
                    let (path, reason) = walk_failure(root, err, self.cwd);
                    let shown = display_path(&path, self.cwd);
                    self.problems.push(Problem::input(&shown, reason));
                    continue;
                }
            };
            let path = entry.path();
            if !entry.file_type().is_some_and(|t| t.is_file()) || !has_draft_extension(path) {
                continue;
            }
            let absolute = self.cwd.join(path);
            let Some(config) = self.configs.for_dir(parent(&absolute)) else {
                continue;
            };
            if config.selects(&absolute) {
                self.add(Source::File, path, config);
            }
        }
    }

    fn add(&mut self, source: Source, path: &Path, config: Arc<ProjectConfig>) {
        let shown = display_path(path, self.cwd);
        let kind = DocumentKind::from_file_name(&shown.to_string_lossy());
        self.drafts.entry(shown.clone()).or_insert(Input {
            source,
            path: shown,
            kind,
            config,
        });
    }
}

fn parent(path: &Path) -> &Path {
    path.parent().unwrap_or(path)
}

fn has_draft_extension(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| DRAFT_EXTENSIONS.iter().any(|d| e.eq_ignore_ascii_case(d)))
}

/// A walk error as the path and the reason. Where the walker names the path, the reason is
/// asked of the file system again, so it reads like one for a path on the command line.
fn walk_failure(root: &Path, err: ignore::Error, cwd: &Path) -> (PathBuf, String) {
    match err {
        ignore::Error::WithPath { path, err } => {
            let reason = fs::metadata(&path)
                .err()
                .map_or_else(|| err.to_string(), |e| open_failure(&path, e));
            (path, reason)
        }
        ignore::Error::Loop { ancestor, child } => {
            let ancestor = display_path(&ancestor, cwd);
            let reason = format!("directory loop (links back to {})", ancestor.display());
            (child, reason)
        }
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            walk_failure(root, *err, cwd)
        }
        other => (root.to_owned(), other.to_string()),
    }
}

/// Why `path` could not be opened, given the error from following it.
fn open_failure(path: &Path, err: io::Error) -> String {
    let is_link = fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    if is_link && err.kind() == io::ErrorKind::NotFound {
        "broken symbolic link (its target does not exist)".to_owned()
    } else {
        err.to_string()
    }
}

/// The draft's text, without a byte-order mark, under the default size limit. `path` is
/// where a file is read from and what errors name.
pub fn read_text(source: Source, path: &Path) -> Result<String, Problem> {
    read_text_within(source, path, DEFAULT_MAX_FILE_SIZE)
}

/// The draft's text, without a byte-order mark, or why it cannot be checked: unreadable,
/// larger than `max_size` bytes (`files.max-size`; never read past the limit), or not
/// UTF-8.
pub fn read_text_within(source: Source, path: &Path, max_size: u64) -> Result<String, Problem> {
    let too_large = |size: Option<u64>| {
        let size = size.map_or_else(String::new, |size| format!("{}, ", ByteSize(size)));
        Problem::input(
            path,
            format!(
                "too large to check ({size}more than the limit of {}; raise `files.max-size` \
                 in policy-lsp.toml to check it)",
                ByteSize(max_size)
            ),
        )
    };
    let mut reader: Box<dyn Read> = match source {
        Source::File => {
            let file = fs::File::open(path).map_err(|err| Problem::input(path, err))?;
            // A regular file says its size up front: refuse it without reading.
            if let Ok(meta) = file.metadata() {
                if meta.is_file() && meta.len() > max_size {
                    return Err(too_large(Some(meta.len())));
                }
            }
            Box::new(file)
        }
        Source::Stdin => Box::new(io::stdin().lock()),
    };
    // Whatever the metadata said (a pipe, a file still growing), read one byte past the
    // limit at most.
    let mut bytes = Vec::new();
    reader
        .by_ref()
        .take(max_size.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|err| Problem::input(path, err))?;
    if bytes.len() as u64 > max_size {
        return Err(too_large(None));
    }
    let mut text = String::from_utf8(bytes).map_err(|err| {
        let at = err.utf8_error().valid_up_to();
        Problem::input(
            path,
            format!("not valid UTF-8 (invalid byte at offset {at})"),
        )
    })?;
    if text.starts_with('\u{feff}') {
        text.drain(..'\u{feff}'.len_utf8());
    }
    Ok(text)
}
