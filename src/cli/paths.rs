//! How paths are shown in reports and errors.

use std::path::{Component, Path, PathBuf};

/// `path` as reports show it: relative to the working directory `cwd` when it lies inside
/// it, and without `./` components, so `./a.md`, `a.md` and `$PWD/a.md` are one file.
pub fn display_path(path: &Path, cwd: &Path) -> PathBuf {
    let relative = path.strip_prefix(cwd).unwrap_or(path);
    let shown: PathBuf = relative
        .components()
        .filter(|c| !matches!(c, Component::CurDir))
        .collect();
    if shown.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        shown
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_shown_relative_and_without_dot_components() {
        let cwd = Path::new("/work/repo");
        let shown = |p: &str| display_path(Path::new(p), cwd);
        assert_eq!(shown("./docs/./a.md"), Path::new("docs/a.md"));
        assert_eq!(shown("/work/repo/docs/a.md"), Path::new("docs/a.md"));
        assert_eq!(shown("/elsewhere/a.md"), Path::new("/elsewhere/a.md"));
        assert_eq!(shown("../a.md"), Path::new("../a.md"));
        assert_eq!(shown("."), Path::new("."));
    }
}
