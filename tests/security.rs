//! Guarantee 6 (ARCHITECTURE.md, "Guarantees"): the program only reads. It never writes a
//! file, runs a program or opens a connection — the only changes to files are the edits the
//! client applies from our code actions — and glossary paths in `policy-lsp.toml` cannot
//! reach outside the configuration's directory, end to end through the real binary. (The
//! configuration holds no regular expressions; its globs are compiled with globset's size
//! limits, tested in `src/config.rs`.)
//!
//! The first test reads `src/` and `Cargo.toml` with `std::fs`: it is a test, not the
//! program.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// What writing files, starting processes and networking are called in Rust and tokio.
const WRITES_EXECUTES_OR_CONNECTS: &[&str] = &[
    "fs::write",
    "File::create",
    "OpenOptions",
    "create_dir",
    "remove_file",
    "remove_dir",
    "fs::rename",
    "fs::copy",
    "set_permissions",
    "fs::symlink(",
    "process::Command",
    "Command::new",
    "std::net",
    "tokio::net",
    "tokio::process",
    "tokio::fs",
    "TcpStream",
    "TcpListener",
    "UdpSocket",
    "UnixStream",
    "UnixListener",
];

#[test]
fn the_program_never_writes_executes_or_connects() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    collect_rust_files(&root.join("src"), &mut files);
    assert!(
        files.len() > 20,
        "found the sources under {}",
        root.display()
    );
    let mut found = Vec::new();
    for file in &files {
        let source = fs::read_to_string(file).unwrap();
        // Unit tests (the `#[cfg(test)]` module at the end of a file) may write temporary
        // files; the program may not.
        let program = source.split("#[cfg(test)]").next().unwrap_or("");
        for (n, line) in program.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            for name in WRITES_EXECUTES_OR_CONNECTS {
                if code.contains(name) {
                    let shown = file.strip_prefix(root).unwrap_or(file);
                    found.push(format!("{}:{}: `{name}`", shown.display(), n + 1));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "the program only reads (guarantee 6); these lines write, execute or connect:\n  {}",
        found.join("\n  ")
    );

    // Nor can a dependency do it for us: no HTTP client, and tokio without its network,
    // process and file-system features.
    let manifest = fs::read_to_string(root.join("Cargo.toml")).unwrap();
    let dependencies = manifest
        .split("[dependencies]")
        .nth(1)
        .and_then(|rest| rest.split("\n[").next())
        .expect("Cargo.toml has [dependencies]");
    for crate_name in ["reqwest", "ureq", "hyper", "curl", "isahc", "surf"] {
        assert!(
            !dependencies
                .lines()
                .any(|l| l.trim_start().starts_with(crate_name)),
            "{crate_name}"
        );
    }
    let tokio = dependencies
        .lines()
        .find(|l| l.trim_start().starts_with("tokio"))
        .expect("tokio is a dependency");
    for feature in ["\"full\"", "\"net\"", "\"process\"", "\"fs\""] {
        assert!(!tokio.contains(feature), "tokio with {feature}: {tokio}");
    }
}

fn collect_rust_files(path: &Path, out: &mut Vec<PathBuf>) {
    if path.is_dir() {
        for entry in fs::read_dir(path).unwrap() {
            collect_rust_files(&entry.unwrap().path(), out);
        }
    } else if path.extension().is_some_and(|e| e == "rs") {
        out.push(path.to_owned());
    }
}

/// `policy-lsp check` in `dir`: (exit status, stderr).
fn check(dir: &Path) -> (i32, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_policy-lsp"))
        .args(["check", "draft.md"])
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    (
        output.status.code().unwrap(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// `../../etc/passwd`, an absolute path, and a path through a symbolic link that leads out
/// of the workspace are each refused, naming the key, before anything is read.
#[cfg(unix)]
#[test]
fn glossary_paths_cannot_leave_the_workspace() {
    let outside = tempfile::tempdir().unwrap();
    fs::write(outside.path().join("secret.toml"), "secret = \"leaked\"\n").unwrap();
    let cases = [
        (
            "../../etc/passwd",
            "`glossary.files`: `../../etc/passwd` leaves the configuration file's directory",
        ),
        (
            "docs/../../../etc/passwd",
            "leaves the configuration file's directory",
        ),
        ("/etc/passwd", "`/etc/passwd` is absolute"),
        (
            "linked/secret.toml",
            "`linked/secret.toml` lies outside the workspace",
        ),
        (
            "secret-link.toml",
            "`secret-link.toml` lies outside the workspace",
        ),
    ];
    for (path, message) in cases {
        let workspace = tempfile::tempdir().unwrap();
        let dir = workspace.path();
        fs::write(dir.join("draft.md"), "The board approved the plan.\n").unwrap();
        fs::write(
            dir.join("policy-lsp.toml"),
            format!("[glossary]\nfiles = [{path:?}]\n"),
        )
        .unwrap();
        std::os::unix::fs::symlink(outside.path(), dir.join("linked")).unwrap();
        std::os::unix::fs::symlink(
            outside.path().join("secret.toml"),
            dir.join("secret-link.toml"),
        )
        .unwrap();
        let (status, stderr) = check(dir);
        assert_eq!(status, 2, "{path}: {stderr}");
        assert!(stderr.contains(message), "{path}: {stderr}");
        assert!(!stderr.contains("leaked"), "{stderr}");
    }
}
