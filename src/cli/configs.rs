//! Finding and loading `policy-lsp.toml`: the one given with `--config`, or the nearest one
//! above each draft. Parsing itself is [`Config::parse`]; this module only reads files.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};

use super::paths::display_path;
use super::problem::Problem;
use crate::config::{Config, ConfigError};
use crate::workspace::load_glossary_files;

/// The file name looked for in a draft's directory and every directory above it.
const CONFIG_FILE_NAME: &str = "policy-lsp.toml";

/// A configuration and the directory its `include`/`exclude` globs are relative to.
#[derive(Debug)]
pub struct ProjectConfig {
    pub config: Config,
    root: PathBuf,
    include: GlobSet,
    exclude: GlobSet,
}

impl ProjectConfig {
    fn default_for(root: &Path) -> Self {
        ProjectConfig {
            config: Config::default(),
            root: root.to_owned(),
            include: GlobSet::empty(),
            exclude: GlobSet::empty(),
        }
    }

    /// Reads and parses the configuration file at the absolute path `path`.
    fn load(path: &Path, cwd: &Path) -> Result<Self, Problem> {
        let shown = display_path(path, cwd);
        let source = fs::read_to_string(path).map_err(|err| Problem::input(&shown, err))?;
        let origin = shown.display().to_string();
        let mut config = Config::parse(&source, &origin).map_err(Problem::Config)?;
        let dir = path.parent().unwrap_or(Path::new("/"));
        load_glossary_files(&mut config, dir, &origin).map_err(Problem::Config)?;
        // `Config::parse` has checked each glob; building the sets can still fail (a set
        // too large for the regex engine), and that is the configuration's fault too.
        let glob_error = |key: &str, message: String| {
            Problem::Config(ConfigError {
                origin: origin.clone(),
                line: None,
                column: None,
                key: Some(key.to_owned()),
                message,
            })
        };
        let include = compile_globs(&config.include).map_err(|m| glob_error("files.include", m))?;
        let exclude = compile_globs(&config.exclude).map_err(|m| glob_error("files.exclude", m))?;
        Ok(ProjectConfig {
            root: path.parent().unwrap_or(Path::new("/")).to_owned(),
            config,
            include,
            exclude,
        })
    }

    /// Whether a draft met while walking a directory is one this configuration selects.
    /// `path` is absolute. An excluded directory excludes everything below it.
    pub fn selects(&self, path: &Path) -> bool {
        let Ok(relative) = path.strip_prefix(&self.root) else {
            return true;
        };
        let included = self.include.is_empty() || self.include.is_match(relative);
        let excluded = relative
            .ancestors()
            .take_while(|p| !p.as_os_str().is_empty())
            .any(|p| self.exclude.is_match(p));
        included && !excluded
    }
}

/// `*` and `?` stay within one path component; `**` crosses directories.
fn compile_globs(patterns: &[String]) -> Result<GlobSet, String> {
    let mut set = GlobSetBuilder::new();
    for pattern in patterns {
        let glob = GlobBuilder::new(pattern)
            .literal_separator(true)
            .build()
            .map_err(|err| err.to_string())?;
        set.add(glob);
    }
    set.build().map_err(|err| err.to_string())
}

/// Configuration lookup, cached per directory so each file is read and parsed once.
pub struct Configs {
    cwd: PathBuf,
    /// The `--config` file, which then governs every draft.
    explicit: Option<Arc<ProjectConfig>>,
    /// What a draft with no configuration file above it gets.
    default: Arc<ProjectConfig>,
    /// Directory → the configuration governing it; `None` when that file is broken.
    by_dir: HashMap<PathBuf, Option<Arc<ProjectConfig>>>,
    /// Broken configuration files, each reported once.
    pub problems: Vec<Problem>,
}

impl Configs {
    /// Looks for `policy-lsp.toml` above each draft; `cwd` is where paths are shown from.
    pub fn new(cwd: &Path) -> Self {
        Configs {
            cwd: cwd.to_owned(),
            explicit: None,
            default: Arc::new(ProjectConfig::default_for(cwd)),
            by_dir: HashMap::new(),
            problems: Vec::new(),
        }
    }

    /// Uses the file at `path` (as the user gave it) for every draft; a broken file is an
    /// error straight away.
    pub fn explicit(path: &Path, cwd: &Path) -> Result<Self, Problem> {
        let config = ProjectConfig::load(&cwd.join(path), cwd)?;
        Ok(Configs {
            explicit: Some(Arc::new(config)),
            ..Configs::new(cwd)
        })
    }

    /// The configuration for drafts in the absolute directory `dir`, or `None` if the file
    /// that governs it is broken (the problem is then in [`Configs::problems`]).
    pub fn for_dir(&mut self, dir: &Path) -> Option<Arc<ProjectConfig>> {
        if let Some(explicit) = &self.explicit {
            return Some(explicit.clone());
        }
        let mut unresolved = Vec::new();
        let mut resolved = None;
        for ancestor in dir.ancestors() {
            if let Some(cached) = self.by_dir.get(ancestor) {
                resolved = Some(cached.clone());
                break;
            }
            unresolved.push(ancestor.to_owned());
            let candidate = ancestor.join(CONFIG_FILE_NAME);
            if candidate.is_file() {
                resolved = Some(match ProjectConfig::load(&candidate, &self.cwd) {
                    Ok(config) => Some(Arc::new(config)),
                    Err(problem) => {
                        self.problems.push(problem);
                        None
                    }
                });
                break;
            }
        }
        let resolved = resolved.unwrap_or_else(|| Some(self.default.clone()));
        for dir in unresolved {
            self.by_dir.insert(dir, resolved.clone());
        }
        resolved
    }
}
