//! Workspace I/O shared by the front ends: reading the glossary files a configuration
//! names, confined to the configuration's directory.

use std::fs;
use std::path::Path;

use crate::config::{Config, ConfigError};
use crate::glossary::workspace::parse_file;

/// Reads every file of `config.glossary_files` (relative to `config_dir`) into
/// `config.glossary_file_terms`. `origin` names the configuration file in errors. A file
/// that is missing, unreadable, not a glossary, or outside `config_dir` (through `..` or a
/// symbolic link) is an error naming the file.
pub fn load_glossary_files(
    config: &mut Config,
    config_dir: &Path,
    origin: &str,
) -> Result<(), ConfigError> {
    let error = |message: String| ConfigError {
        origin: origin.to_owned(),
        line: None,
        column: None,
        key: Some("glossary.files".to_owned()),
        message,
    };
    let root = fs::canonicalize(config_dir)
        .map_err(|err| error(format!("cannot resolve {}: {err}", config_dir.display())))?;
    let mut entries = Vec::new();
    for name in &config.glossary_files {
        let path = fs::canonicalize(config_dir.join(name))
            .map_err(|err| error(format!("cannot read `{name}`: {err}")))?;
        if !path.starts_with(&root) {
            return Err(error(format!(
                "`{name}` lies outside the workspace ({})",
                root.display()
            )));
        }
        let text = fs::read_to_string(&path)
            .map_err(|err| error(format!("cannot read `{name}`: {err}")))?;
        entries.extend(parse_file(&text, name).map_err(error)?);
    }
    config.glossary_file_terms = entries;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_files_and_refuses_escapes() {
        let dir = tempfile::tempdir().unwrap();
        let inner = dir.path().join("ws");
        fs::create_dir(&inner).unwrap();
        fs::write(inner.join("terms.toml"), "hub = \"A shared site.\"\n").unwrap();
        fs::write(dir.path().join("secret.toml"), "x = \"y\"\n").unwrap();
        let mut config = Config {
            glossary_files: vec!["terms.toml".into()],
            ..Config::default()
        };
        load_glossary_files(&mut config, &inner, "policy-lsp.toml").unwrap();
        assert_eq!(config.glossary_file_terms[0].term, "hub");

        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(dir.path().join("secret.toml"), inner.join("link.toml"))
                .unwrap();
            let mut linked = Config {
                glossary_files: vec!["link.toml".into()],
                ..Config::default()
            };
            let err = load_glossary_files(&mut linked, &inner, "policy-lsp.toml").unwrap_err();
            assert!(err.message.contains("outside the workspace"), "{err}");
        }
        let mut missing = Config {
            glossary_files: vec!["nope.md".into()],
            ..Config::default()
        };
        let err = load_glossary_files(&mut missing, &inner, "policy-lsp.toml").unwrap_err();
        assert!(err.to_string().contains("nope.md"), "{err}");
    }
}
