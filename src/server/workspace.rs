//! The workspace folders and the `policy-lsp.toml` of each. Reading the file is the front
//! end's job; parsing it is [`Config::parse`]'s.

use std::io::ErrorKind;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::config::Config;

/// The configuration file's name, in each workspace folder's root.
pub(crate) const CONFIG_FILE: &str = "policy-lsp.toml";

struct Folder {
    root: PathBuf,
    config: Arc<Config>,
}

/// Every workspace folder with its configuration.
#[derive(Default)]
pub(crate) struct Workspace {
    folders: Vec<Folder>,
    default: Arc<Config>,
}

impl Workspace {
    /// Loads each folder's configuration; a folder whose file is missing or broken gets the
    /// defaults, and each problem comes back as one message for the user.
    pub(crate) fn load(roots: Vec<PathBuf>) -> (Self, Vec<String>) {
        let mut errors = Vec::new();
        let folders = roots
            .into_iter()
            .map(|root| {
                let config = match read(&root) {
                    Ok(config) => config.unwrap_or_default(),
                    Err(message) => {
                        errors.push(message);
                        Config::default()
                    }
                };
                Folder {
                    root,
                    config: Arc::new(config),
                }
            })
            .collect();
        let workspace = Workspace {
            folders,
            default: Arc::default(),
        };
        (workspace, errors)
    }

    /// Reads every folder's configuration again. A broken file keeps the last good
    /// configuration; a deleted one falls back to the defaults. Returns whether anything
    /// changed, and the problems.
    pub(crate) fn reload(&mut self) -> (bool, Vec<String>) {
        let mut changed = false;
        let mut errors = Vec::new();
        for folder in &mut self.folders {
            match read(&folder.root) {
                Ok(config) => {
                    let config = config.unwrap_or_default();
                    if *folder.config != config {
                        folder.config = Arc::new(config);
                        changed = true;
                    }
                }
                Err(message) => errors.push(format!("{message} (keeping the last good one)")),
            }
        }
        (changed, errors)
    }

    /// The roots, for logging.
    pub(crate) fn roots(&self) -> impl Iterator<Item = &Path> {
        self.folders.iter().map(|f| f.root.as_path())
    }

    /// The configuration for a document: that of the innermost folder holding it; a
    /// document outside every folder (or not a file) gets the first folder's.
    pub(crate) fn config_for(&self, path: Option<&Path>) -> Arc<Config> {
        let inner = path.and_then(|path| {
            self.folders
                .iter()
                .filter(|f| path.starts_with(&f.root))
                .max_by_key(|f| f.root.components().count())
        });
        inner
            .or(self.folders.first())
            .map_or_else(|| self.default.clone(), |f| f.config.clone())
    }

    /// Whether `path` is one of the folders' configuration files.
    pub(crate) fn is_config_file(&self, path: &Path) -> bool {
        path.file_name().is_some_and(|n| n == CONFIG_FILE)
            && self
                .folders
                .iter()
                .any(|f| path.parent() == Some(f.root.as_path()))
    }
}

/// The folder's configuration: `None` when it has no file.
fn read(root: &Path) -> Result<Option<Config>, String> {
    let path = root.join(CONFIG_FILE);
    let origin = path.display().to_string();
    match std::fs::read_to_string(&path) {
        Ok(text) => Config::parse(&text, &origin)
            .map(Some)
            .map_err(|e| e.to_string()),
        Err(e) if e.kind() == ErrorKind::NotFound => Ok(None),
        Err(e) => Err(format!("{origin}: {e}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
    }

    #[test]
    fn no_folders_means_defaults() {
        let ws = Workspace::default();
        assert_eq!(*ws.config_for(None), Config::default());
        assert_eq!(
            *ws.config_for(Some(Path::new("/x/y.md"))),
            Config::default()
        );
    }
}
