//! URI ⇄ path, in one place: the URI type of the LSP crates changes between releases
//! (`url::Url` in lsp-types, `fluent_uri` behind `ls_types::Uri` today).

use std::path::{Path, PathBuf};

use tower_lsp_server::ls_types::Uri;

use crate::analysis::DocumentKind;

/// The local path of a `file:` URI; `None` for other schemes.
pub(crate) fn to_path(uri: &Uri) -> Option<PathBuf> {
    if !uri.scheme().as_str().eq_ignore_ascii_case("file") {
        return None;
    }
    uri.to_file_path().map(|path| path.into_owned())
}

/// The `file:` URI of an absolute path.
pub(crate) fn from_path(path: &Path) -> Option<Uri> {
    Uri::from_file_path(path)
}

/// The last segment of the URI's path, percent-decoded (`draft.md`).
pub(crate) fn file_name(uri: &Uri) -> String {
    let path = uri.path().decode().to_string_lossy().into_owned();
    path.rsplit('/').next().unwrap_or_default().to_owned()
}

/// Markdown when the client says so or the name ends in `.md`/`.markdown`, else plain text.
pub(crate) fn document_kind(uri: &Uri, language_id: &str) -> DocumentKind {
    match language_id {
        "markdown" | "md" => DocumentKind::Markdown,
        _ => DocumentKind::from_file_name(&file_name(uri)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn uri(s: &str) -> Uri {
        s.parse().unwrap()
    }

    #[test]
    fn paths_round_trip() {
        let path = Path::new("/tmp/정책 초안/draft 1.md");
        let u = from_path(path).unwrap();
        assert_eq!(to_path(&u).unwrap(), path);
        assert_eq!(file_name(&u), "draft 1.md");
        assert_eq!(document_kind(&u, "plaintext"), DocumentKind::Markdown);
    }

    #[test]
    fn other_schemes_have_no_path() {
        let u = uri("untitled:Untitled-1");
        assert_eq!(to_path(&u), None);
        assert_eq!(document_kind(&u, "markdown"), DocumentKind::Markdown);
        assert_eq!(document_kind(&u, "plaintext"), DocumentKind::PlainText);
        assert_eq!(file_name(&uri("file:///a/%ED%95%9C.md")), "한.md");
    }
}
