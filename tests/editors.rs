//! The editor integrations, end to end in the real editors, through their own test scripts:
//!
//! - `editors/nvim/test/run.sh`: the Neovim plugin (`editors/nvim`) in headless Neovim — every
//!   binary in `POLICY_LSP_NVIM` (separated by `:`), else `nvim` on `PATH`;
//! - `editors/vscode/test/e2e.sh`: the VS Code extension, packaged as a `.vsix` and installed
//!   in code-server (`CODE_SERVER_BIN`, which `editors/vscode/test/install.sh` prints), driven
//!   through its UI in headless Chromium (`CHROMIUM_BIN`, default `/usr/bin/chromium`) with
//!   Node 20 and npm. Screenshots go to `target/tmp/vscode-e2e/`.
//!
//! Both run the server this `cargo test` built (`POLICY_LSP_BIN`). When a tool is missing the
//! test says it was skipped and why — unless `POLICY_LSP_REQUIRE_EDITORS=1` (`.ci/run` sets
//! it), where a missing tool fails the test.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::Mutex;

/// The two scripts run one after the other: each is heavy enough alone on a small machine.
static ONE_EDITOR_AT_A_TIME: Mutex<()> = Mutex::new(());

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn required() -> bool {
    std::env::var("POLICY_LSP_REQUIRE_EDITORS").is_ok_and(|v| v == "1")
}

/// Ends the test for a missing tool: a skip that says so, or a failure when required.
fn missing(test: &str, why: &str) {
    if required() {
        panic!("{test}: {why}, and POLICY_LSP_REQUIRE_EDITORS=1 forbids skipping");
    }
    // Straight to the process's stderr, past the test harness's capture: a skip shows in
    // plain `cargo test` output.
    let _ = writeln!(
        std::io::stderr(),
        "SKIPPED: {test} did not run: {why} (.ci/run installs it)"
    );
}

/// Whether `bin ARGS` runs and exits with success.
fn runs(bin: impl AsRef<std::ffi::OsStr>, args: &[&str]) -> bool {
    Command::new(bin)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Runs an editor's test script with the server this build made.
fn script(path: &str, env: &[(&str, &std::ffi::OsStr)]) -> Output {
    let mut cmd = Command::new("bash");
    cmd.arg(repo().join(path))
        .current_dir(repo())
        .env("POLICY_LSP_BIN", env!("CARGO_BIN_EXE_policy-lsp"))
        .stdin(Stdio::null());
    for (name, value) in env {
        cmd.env(name, value);
    }
    cmd.output()
        .unwrap_or_else(|e| panic!("cannot run bash {path}: {e}"))
}

/// Fails with the script's whole output unless it succeeded; on success shows its summary.
fn judge(path: &str, out: &Output, summary: impl Fn(&str) -> bool) {
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "{path} failed ({}):\n--- stdout\n{stdout}\n--- stderr\n{stderr}",
        out.status
    );
    for line in stdout.lines().filter(|l| summary(l)) {
        eprintln!("{line}");
    }
}

#[test]
fn neovim_plugin_in_headless_neovim() {
    const TEST: &str = "the Neovim plugin test (editors/nvim/test/run.sh)";
    let nvims: Vec<String> = match std::env::var("POLICY_LSP_NVIM") {
        Ok(list) => list
            .split(':')
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect(),
        Err(_) => vec!["nvim".to_owned()],
    };
    if let Some(nvim) = nvims.iter().find(|n| !runs(n, &["--version"])) {
        return missing(
            TEST,
            &format!("no Neovim runs as `{nvim}` (apt-get install neovim, or set POLICY_LSP_NVIM)"),
        );
    }
    if !runs("python3", &["--version"]) {
        return missing(TEST, "python3 is not installed (apt-get install python3)");
    }
    let _one = ONE_EDITOR_AT_A_TIME
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    let path = "editors/nvim/test/run.sh";
    let out = script(path, &[("POLICY_LSP_NVIM", nvims.join(":").as_ref())]);
    judge(path, &out, |l| {
        l.starts_with("---") || l.starts_with("nvim-plugin:")
    });
}

#[test]
fn vscode_extension_in_code_server() {
    const TEST: &str = "the VS Code end-to-end test (editors/vscode/test/e2e.sh)";
    // Not `code-server --version`, which writes ~/.config/code-server/config.yaml.
    let code_server = match std::env::var_os("CODE_SERVER_BIN") {
        Some(bin) if Path::new(&bin).is_file() => PathBuf::from(bin),
        Some(bin) => {
            return missing(
                TEST,
                &format!("CODE_SERVER_BIN={} is not a file", bin.to_string_lossy()),
            )
        }
        None => {
            return missing(
                TEST,
                "CODE_SERVER_BIN is not set (export \
                 CODE_SERVER_BIN=\"$(editors/vscode/test/install.sh | tail -n 1)\")",
            )
        }
    };
    let chromium = std::env::var_os("CHROMIUM_BIN")
        .map_or_else(|| PathBuf::from("/usr/bin/chromium"), PathBuf::from);
    if !chromium.is_file() {
        return missing(
            TEST,
            &format!(
                "no Chromium at {} (apt-get install chromium, or set CHROMIUM_BIN)",
                chromium.display()
            ),
        );
    }
    for tool in ["node", "npm"] {
        if !runs(tool, &["--version"]) {
            return missing(TEST, &format!("{tool} is not installed (Node 20 and npm)"));
        }
    }
    let artifacts = Path::new(env!("CARGO_TARGET_TMPDIR")).join("vscode-e2e");
    let _one = ONE_EDITOR_AT_A_TIME
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    let path = "editors/vscode/test/e2e.sh";
    let out = script(
        path,
        &[
            ("CODE_SERVER_BIN", code_server.as_os_str()),
            ("CHROMIUM_BIN", chromium.as_os_str()),
            ("E2E_ARTIFACTS", artifacts.as_os_str()),
        ],
    );
    judge(path, &out, |l| {
        l.starts_with("---") || l.starts_with("vscode-e2e:")
    });
    eprintln!("screenshots: {}", artifacts.display());
}
