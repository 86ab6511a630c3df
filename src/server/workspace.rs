//! The workspace folders and what configures the drafts in each: the folder's
//! `policy-lsp.toml` (with the glossary files it names) over the client's settings.
//! Reading files is this module's job; parsing is [`Config::parse`]'s and
//! [`crate::workspace::load_glossary_files`]'s.
//!
//! **The file wins.** A folder's configuration is the client settings
//! ([`super::settings`]) with the file laid over them: a rule the file sets takes the
//! file's level, a rule only the settings set takes theirs; vocabulary lists, glossary
//! terms and glossary files are combined, the file's definition winning for a term both
//! define. A file that is missing leaves the settings alone; a file that breaks keeps the
//! last good one (the defaults, if it never was good).

use std::io::ErrorKind;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::config::Config;
use crate::workspace::load_glossary_files;

/// The configuration file's name, in each workspace folder's root.
pub(crate) const CONFIG_FILE: &str = "policy-lsp.toml";

/// Where the glossary files named by the client settings come from, for messages.
const SETTINGS_GLOSSARY: &str = "client settings (`policyLsp.glossary.files`)";

struct Folder {
    root: PathBuf,
    /// The folder's file as last read without error, glossary files loaded; `None` when
    /// there is none (or it never read without error).
    file: Option<Config>,
    /// What its drafts get: the settings under the file.
    config: Arc<Config>,
}

/// Every workspace folder with its configuration.
#[derive(Default)]
pub(crate) struct Workspace {
    folders: Vec<Folder>,
    /// The client's settings, under every folder's file.
    settings: Config,
    /// What a draft outside every folder gets when there are no folders: the settings.
    default: Arc<Config>,
    /// Each watched file's modification time and length when the configuration was
    /// last computed, for clients that cannot watch files.
    stamps: Vec<(PathBuf, Option<Stamp>)>,
}

type Stamp = (std::time::SystemTime, u64);

fn stamp(path: &Path) -> Option<Stamp> {
    let meta = std::fs::metadata(path).ok()?;
    Some((meta.modified().ok()?, meta.len()))
}

impl Workspace {
    /// Loads each folder's configuration; a folder whose file is missing or broken gets the
    /// defaults, and each problem comes back as one message for the user.
    pub(crate) fn load(roots: Vec<PathBuf>) -> (Self, Vec<String>) {
        let mut errors = Vec::new();
        let folders = roots
            .into_iter()
            .map(|root| {
                let file = read(&root).unwrap_or_else(|message| {
                    errors.push(message);
                    None
                });
                Folder {
                    root,
                    file,
                    config: Arc::default(),
                }
            })
            .collect();
        let mut workspace = Workspace {
            folders,
            ..Workspace::default()
        };
        let (_, more) = workspace.combine();
        errors.extend(more);
        (workspace, errors)
    }

    /// Reads every folder's configuration (and glossary files) again. A broken file keeps
    /// the last good configuration; a deleted one falls back to the settings. Returns
    /// whether any folder's configuration changed, and the problems.
    pub(crate) fn reload(&mut self) -> (bool, Vec<String>) {
        let mut errors = Vec::new();
        for folder in &mut self.folders {
            match read(&folder.root) {
                Ok(file) => folder.file = file,
                Err(message) => errors.push(format!("{message} (keeping the last good one)")),
            }
        }
        let (changed, more) = self.combine();
        errors.extend(more);
        (changed, errors)
    }

    /// Takes new client settings. Returns whether any configuration changed, and the
    /// problems (a glossary file the settings name that cannot be read).
    pub(crate) fn set_settings(&mut self, settings: Config) -> (bool, Vec<String>) {
        self.settings = settings;
        self.combine()
    }

    /// Recomputes every folder's configuration from its file and the settings.
    fn combine(&mut self) -> (bool, Vec<String>) {
        let mut changed = false;
        let mut errors = Vec::new();
        for folder in &mut self.folders {
            let mut config = under(&self.settings, folder.file.as_ref());
            // The settings' glossary files, relative to the folder, that the file does not
            // already name (and so has already read).
            let extra: Vec<String> = self
                .settings
                .glossary_files
                .iter()
                .filter(|f| {
                    folder
                        .file
                        .as_ref()
                        .is_none_or(|file| !file.glossary_files.contains(f))
                })
                .cloned()
                .collect();
            if !extra.is_empty() {
                let mut from_settings = Config {
                    glossary_files: extra,
                    ..Config::default()
                };
                match load_glossary_files(&mut from_settings, &folder.root, SETTINGS_GLOSSARY) {
                    Ok(()) => config
                        .glossary_file_terms
                        .extend(from_settings.glossary_file_terms),
                    Err(e) => errors.push(format!("{e} (in {})", folder.root.display())),
                }
            }
            if *folder.config != config {
                folder.config = Arc::new(config);
                changed = true;
            }
        }
        let default = under(&self.settings, None);
        if *self.default != default {
            self.default = Arc::new(default);
            changed = true;
        }
        self.stamps = self
            .watched_files()
            .into_iter()
            .map(|path| {
                let stamp = stamp(&path);
                (path, stamp)
            })
            .collect();
        (changed, errors)
    }

    /// Whether a watched file changed on disk (or appeared, or went) since the
    /// configuration was last computed: a few `stat` calls, for clients that cannot watch.
    pub(crate) fn is_stale(&self) -> bool {
        self.stamps.iter().any(|(path, old)| stamp(path) != *old)
    }

    /// The roots, for logging.
    pub(crate) fn roots(&self) -> impl Iterator<Item = &Path> {
        self.folders.iter().map(|f| f.root.as_path())
    }

    /// The innermost folder holding `path`, else the first folder.
    fn folder_for(&self, path: Option<&Path>) -> Option<&Folder> {
        let inner = path.and_then(|path| {
            self.folders
                .iter()
                .filter(|f| path.starts_with(&f.root))
                .max_by_key(|f| f.root.components().count())
        });
        inner.or(self.folders.first())
    }

    /// The configuration for a document: that of the innermost folder holding it; a
    /// document outside every folder (or not a file) gets the first folder's, and with no
    /// folders at all, the client settings alone.
    pub(crate) fn config_for(&self, path: Option<&Path>) -> Arc<Config> {
        self.folder_for(path)
            .map_or_else(|| self.default.clone(), |f| f.config.clone())
    }

    /// The configuration file that governs a document (it may not exist yet); `None` with
    /// no workspace folders.
    pub(crate) fn config_file_for(&self, path: Option<&Path>) -> Option<PathBuf> {
        self.folder_for(path).map(|f| f.root.join(CONFIG_FILE))
    }

    /// Whether `path` is one of the folders' configuration files.
    pub(crate) fn is_config_file(&self, path: &Path) -> bool {
        path.file_name().is_some_and(|n| n == CONFIG_FILE)
            && self
                .folders
                .iter()
                .any(|f| path.parent() == Some(f.root.as_path()))
    }

    /// Every file the configuration is read from: each folder's `policy-lsp.toml` and the
    /// glossary files it and the settings name.
    pub(crate) fn watched_files(&self) -> Vec<PathBuf> {
        let mut files = Vec::new();
        for folder in &self.folders {
            files.push(folder.root.join(CONFIG_FILE));
            for name in &folder.config.glossary_files {
                files.push(folder.root.join(name));
            }
        }
        files.sort();
        files.dedup();
        files
    }

    /// Whether a change to `path` can change a configuration.
    pub(crate) fn is_watched(&self, path: &Path) -> bool {
        let canonical = |p: &Path| std::fs::canonicalize(p).ok();
        let wanted = canonical(path);
        self.watched_files()
            .iter()
            .any(|f| f == path || (wanted.is_some() && canonical(f) == wanted))
    }

    /// Glob patterns for the client's file watcher: one per file name watched, matched
    /// in any folder (the server checks the exact path when a change arrives).
    pub(crate) fn watch_patterns(&self) -> Vec<String> {
        let mut patterns: Vec<String> = self
            .watched_files()
            .iter()
            .filter_map(|f| f.file_name()?.to_str().map(glob_literal))
            .map(|name| format!("**/{name}"))
            .collect();
        patterns.push(format!("**/{CONFIG_FILE}"));
        patterns.sort();
        patterns.dedup();
        patterns
    }
}

/// A file name as a glob that matches just that name.
fn glob_literal(name: &str) -> String {
    name.chars()
        .map(|c| match c {
            '*' | '?' | '[' | ']' | '{' | '}' | '\\' => format!("[{c}]"),
            c => c.to_string(),
        })
        .collect()
}

/// The settings with the file over them (see the module's documentation).
fn under(settings: &Config, file: Option<&Config>) -> Config {
    let Some(file) = file else {
        let mut config = settings.clone();
        // Settings' glossary files are read per folder, never here.
        config.glossary_file_terms.clear();
        return config;
    };
    let mut config = file.clone();
    for (rule, level) in &settings.rules {
        config.rules.entry(rule.clone()).or_insert(*level);
    }
    for (list, extra) in [
        (&mut config.currencies, &settings.currencies),
        (&mut config.units, &settings.units),
        (&mut config.speech_verbs, &settings.speech_verbs),
        (&mut config.glossary_files, &settings.glossary_files),
    ] {
        for item in extra {
            if !list.contains(item) {
                list.push(item.clone());
            }
        }
    }
    for (term, definition) in &settings.glossary {
        config
            .glossary
            .entry(term.clone())
            .or_insert_with(|| definition.clone());
    }
    config
}

/// The folder's configuration with its glossary files read: `None` when it has no file,
/// an error message (naming the file, and the line where known) when it cannot be used.
fn read(root: &Path) -> Result<Option<Config>, String> {
    let path = root.join(CONFIG_FILE);
    let origin = path.display().to_string();
    match std::fs::read_to_string(&path) {
        Ok(text) => {
            let mut config = Config::parse(&text, &origin).map_err(|e| e.to_string())?;
            load_glossary_files(&mut config, root, &origin).map_err(|e| e.to_string())?;
            Ok(Some(config))
        }
        Err(e) if e.kind() == ErrorKind::NotFound => Ok(None),
        Err(e) => Err(format!("{origin}: {e}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::Severity;
    use crate::config::RuleLevel;

    #[test]
    fn missing_broken_and_nested_configs() {
        let dir = tempfile::tempdir().unwrap();
        let outer = dir.path().to_path_buf();
        let inner = outer.join("inner");
        std::fs::create_dir(&inner).unwrap();
        std::fs::write(inner.join(CONFIG_FILE), "[[[ not toml").unwrap();
        let (mut ws, errors) = Workspace::load(vec![outer.clone(), inner.clone()]);
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(errors[0].contains(CONFIG_FILE), "{errors:?}");
        assert_eq!(*ws.config_for(Some(&inner.join("a.md"))), Config::default());
        assert!(ws.is_config_file(&inner.join(CONFIG_FILE)));
        assert!(!ws.is_config_file(&inner.join("x").join(CONFIG_FILE)));
        let (changed, errors) = ws.reload();
        assert!(!changed);
        assert!(errors[0].contains("last good"), "{errors:?}");
        assert_eq!(ws.roots().count(), 2);
        assert_eq!(
            ws.config_file_for(Some(&inner.join("a.md"))),
            Some(inner.join(CONFIG_FILE))
        );
        assert_eq!(
            ws.config_file_for(Some(Path::new("/elsewhere/a.md"))),
            Some(outer.join(CONFIG_FILE))
        );
    }

    #[test]
    fn no_folders_means_the_settings() {
        let mut ws = Workspace::default();
        assert_eq!(*ws.config_for(None), Config::default());
        assert_eq!(ws.config_file_for(None), None);
        let settings = Config::parse("[rules]\nrelative-date = \"off\"\n", "s").unwrap();
        let (changed, errors) = ws.set_settings(settings.clone());
        assert!(changed && errors.is_empty());
        assert_eq!(*ws.config_for(Some(Path::new("/x/y.md"))), settings);
    }

    #[test]
    fn the_file_wins_over_the_settings() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().to_path_buf();
        std::fs::write(
            root.join(CONFIG_FILE),
            "[rules]\nrelative-date = \"error\"\n[vocabulary]\nunits = [\"TEU\"]\n\
             [glossary]\nfiles = [\"g.toml\"]\n[glossary.terms]\nhub = \"file\"\n",
        )
        .unwrap();
        std::fs::write(root.join("g.toml"), "berth = \"A place to moor.\"\n").unwrap();
        std::fs::write(root.join("s.toml"), "quay = \"A landing place.\"\n").unwrap();
        let (mut ws, errors) = Workspace::load(vec![root.clone()]);
        assert!(errors.is_empty(), "{errors:?}");
        let settings = Config::parse(
            "[rules]\nrelative-date = \"off\"\nfigure-without-unit = \"off\"\n\
             [vocabulary]\nunits = [\"hectares\", \"TEU\"]\n\
             [glossary]\nfiles = [\"s.toml\", \"g.toml\"]\n\
             [glossary.terms]\nhub = \"settings\"\npier = \"settings\"\n",
            "s",
        )
        .unwrap();
        let (changed, errors) = ws.set_settings(settings);
        assert!(changed && errors.is_empty(), "{errors:?}");
        let config = ws.config_for(Some(&root.join("d.md")));
        assert_eq!(
            config.level("relative-date", Severity::Hint),
            RuleLevel::On(Severity::Error)
        );
        assert_eq!(
            config.level("figure-without-unit", Severity::Hint),
            RuleLevel::Off
        );
        assert_eq!(config.units, ["TEU", "hectares"]);
        assert_eq!(config.glossary["hub"], "file");
        assert_eq!(config.glossary["pier"], "settings");
        let terms: Vec<_> = config
            .glossary_file_terms
            .iter()
            .map(|e| e.term.as_str())
            .collect();
        assert_eq!(terms, ["berth", "quay"]);
        // Watched: the file and both glossary files.
        let watched = ws.watched_files();
        assert_eq!(
            watched,
            [
                root.join("g.toml"),
                root.join(CONFIG_FILE),
                root.join("s.toml")
            ]
        );
        assert!(ws.is_watched(&root.join("s.toml")));
        assert!(!ws.is_watched(&root.join("d.md")));
        assert_eq!(
            ws.watch_patterns(),
            ["**/g.toml", "**/policy-lsp.toml", "**/s.toml"]
        );
        // Nothing changed on disk, then something did.
        assert!(!ws.is_stale());
        std::fs::write(
            root.join("s.toml"),
            "quay = \"A landing stage for boats.\"\n",
        )
        .unwrap();
        assert!(ws.is_stale());
        let (changed, _) = ws.reload();
        assert!(changed && !ws.is_stale());
        // A glossary file that breaks keeps the last good configuration.
        std::fs::remove_file(root.join("g.toml")).unwrap();
        assert!(ws.is_stale());
        let (changed, errors) = ws.reload();
        assert!(!changed);
        assert!(errors[0].contains("g.toml") && errors[0].contains("last good"));
        // A settings glossary file that is missing is reported, the rest applies.
        let (_, errors) =
            ws.set_settings(Config::parse("[glossary]\nfiles = [\"nope.md\"]\n", "s").unwrap());
        assert!(errors[0].contains("nope.md"), "{errors:?}");
    }

    #[test]
    fn glob_literals() {
        assert_eq!(glob_literal("a[1]*.md"), "a[[]1[]][*].md");
    }
}
