//! The command line through the real binary: exit statuses, inputs that cannot be read,
//! standard input, configuration, directory walking, ordering, and `policy-lsp rule`.
//! Each test builds its own tree of drafts in a temporary directory.

use std::fs;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use serde_json::Value;
use tempfile::TempDir;

/// A draft every rule leaves alone.
const CLEAN: &str = "The board approved the harbour plan.\n";
/// A draft whose one finding is a warning (`encoding-artifact`).
const WARNING: &str = "The port authority?s budget was approved.\n";
/// A draft whose one finding is information (`relative-date`).
const INFORMATION: &str = "The board approved the harbour plan yesterday.\n";

struct Run {
    status: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    /// The `--format json` report.
    fn findings(&self) -> Vec<Value> {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| panic!("{e}: {}", self.stdout))
    }

    /// `path:rule` of every finding, in report order.
    fn found(&self) -> Vec<String> {
        self.findings()
            .iter()
            .map(|f| {
                format!(
                    "{}:{}",
                    f["path"].as_str().unwrap(),
                    f["rule"].as_str().unwrap()
                )
            })
            .collect()
    }
}

fn policy_lsp(dir: &Path, args: &[&str]) -> Run {
    policy_lsp_with_stdin(dir, args, "")
}

fn policy_lsp_with_stdin(dir: &Path, args: &[&str], stdin: &str) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_policy-lsp"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("CLICOLOR_FORCE")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    Run {
        status: output.status.code().expect("exited normally"),
        stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
    }
}

/// A temporary directory holding `files` (path → contents).
fn tree(files: &[(&str, &[u8])]) -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, contents) in files {
        let path = dir.path().join(path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, contents).unwrap();
    }
    dir
}

#[test]
fn fail_on_decides_the_exit_status() {
    let dir = tree(&[
        ("clean.md", CLEAN.as_bytes()),
        ("warning.md", WARNING.as_bytes()),
        ("information.md", INFORMATION.as_bytes()),
    ]);
    // (draft, --fail-on, status)
    let cases = [
        ("clean.md", "error", 0),
        ("clean.md", "warning", 0),
        ("clean.md", "information", 0),
        ("clean.md", "never", 0),
        ("warning.md", "error", 0),
        ("warning.md", "warning", 1),
        ("warning.md", "information", 1),
        ("warning.md", "never", 0),
        ("information.md", "error", 0),
        ("information.md", "warning", 0),
        ("information.md", "information", 1),
        ("information.md", "never", 0),
    ];
    for (draft, fail_on, status) in cases {
        let run = policy_lsp(dir.path(), &["check", "--fail-on", fail_on, draft]);
        assert_eq!(
            run.status, status,
            "{draft} --fail-on {fail_on}: {}",
            run.stdout
        );
    }
    // Without --fail-on, warnings fail.
    assert_eq!(policy_lsp(dir.path(), &["check", "warning.md"]).status, 1);
    assert_eq!(
        policy_lsp(dir.path(), &["check", "information.md"]).status,
        0
    );
}

#[test]
fn an_error_finding_fails_at_every_threshold_but_never() {
    let dir = tree(&[
        (
            "policy-lsp.toml",
            b"[rules]\nencoding-artifact = \"error\"\n",
        ),
        ("draft.md", WARNING.as_bytes()),
    ]);
    for (fail_on, status) in [
        ("error", 1),
        ("warning", 1),
        ("information", 1),
        ("never", 0),
    ] {
        let run = policy_lsp(dir.path(), &["check", "--fail-on", fail_on, "draft.md"]);
        assert_eq!(run.status, status, "--fail-on {fail_on}: {}", run.stderr);
    }
}

#[test]
fn a_non_utf8_file_is_reported_and_the_others_still_checked() {
    let dir = tree(&[
        ("a.md", WARNING.as_bytes()),
        ("b.md", b"The fund\xff grew.\n"),
        ("c.txt", INFORMATION.as_bytes()),
    ]);
    let run = policy_lsp(dir.path(), &["check", "--format", "json", "."]);
    assert_eq!(run.status, 2);
    assert!(
        run.stderr.contains("b.md: not valid UTF-8"),
        "stderr: {}",
        run.stderr
    );
    assert_eq!(
        run.found(),
        ["a.md:encoding-artifact", "c.txt:relative-date"]
    );
}

#[cfg(unix)]
#[test]
fn broken_links_and_directory_loops_are_reported_by_path() {
    use std::os::unix::fs::symlink;

    let dir = tree(&[("docs/a.md", WARNING.as_bytes())]);
    symlink("missing.md", dir.path().join("docs/broken.md")).unwrap();
    symlink("..", dir.path().join("docs/loop")).unwrap();
    let run = policy_lsp(dir.path(), &["check", "--format", "json", "docs"]);
    assert_eq!(run.status, 2);
    assert!(
        run.stderr.contains("docs/broken.md: broken symbolic link"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("docs/loop: directory loop"),
        "{}",
        run.stderr
    );
    assert_eq!(run.found(), ["docs/a.md:encoding-artifact"]);
}

/// Guarantee 4's limit in the normal suite: a draft over `files.max-size` is declined with
/// its size and the limit, never read whole, and the others are still checked; a draft at
/// the limit is checked. Standard input has the same limit.
#[test]
fn a_draft_over_the_size_limit_is_declined_and_the_others_checked() {
    let big = WARNING.repeat(60); // 2,520 bytes
    let dir = tree(&[
        ("policy-lsp.toml", b"[files]\nmax-size = \"2 KiB\"\n"),
        ("big.md", big.as_bytes()),
        ("at-limit.md", &WARNING.repeat(49).as_bytes()[..2048]),
        ("small.md", WARNING.as_bytes()),
    ]);
    let run = policy_lsp(dir.path(), &["check", "--format", "json", "."]);
    assert_eq!(run.status, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "big.md: too large to check (2.5 KiB, more than the limit of 2 KiB; raise \
             `files.max-size` in policy-lsp.toml to check it)"
        ),
        "{}",
        run.stderr
    );
    assert_eq!(
        run.found()
            .iter()
            .filter(|f| !f.starts_with("at-limit.md"))
            .collect::<Vec<_>>(),
        ["small.md:encoding-artifact"]
    );
    assert!(
        run.found()[0].starts_with("at-limit.md"),
        "{:?}",
        run.found()
    );

    // Without a configuration the default limit (64 MiB) lets the same draft through.
    let plain = tree(&[("big.md", big.as_bytes())]);
    assert_eq!(policy_lsp(plain.path(), &["check", "big.md"]).status, 1);

    let stdin = policy_lsp_with_stdin(
        dir.path(),
        &["check", "--stdin-filename", "piped.md", "-"],
        &big,
    );
    assert_eq!(stdin.status, 2, "{}", stdin.stderr);
    assert!(
        stdin
            .stderr
            .contains("piped.md: too large to check (more than the limit of 2 KiB;"),
        "{}",
        stdin.stderr
    );

    let outline = policy_lsp(dir.path(), &["outline", "big.md"]);
    assert_eq!(outline.status, 2);
    assert!(
        outline.stderr.contains("too large to check"),
        "{}",
        outline.stderr
    );
}

/// Guarantee 5: every input is checked or reported with its reason, in one run, and the
/// run exits 2: a draft that is not UTF-8, one over the size limit, a broken symbolic link
/// (walked and named), a directory loop, a path that does not exist, a path that cannot be
/// opened even as root (a socket), and one without read permission (skipped, saying so,
/// when the tests run with the privilege to read it anyway).
#[cfg(unix)]
#[test]
fn every_input_is_checked_or_reported_with_its_reason() {
    use std::os::unix::fs::{symlink, PermissionsExt};
    use std::os::unix::net::UnixListener;

    let dir = tree(&[
        ("policy-lsp.toml", b"[files]\nmax-size = 1000\n"),
        ("docs/good.md", WARNING.as_bytes()),
        ("docs/latin1.md", b"Caf\xe9 prices rose.\n"),
        ("docs/huge.txt", CLEAN.repeat(40).as_bytes()),
        ("docs/locked.md", WARNING.as_bytes()),
        ("other.md", WARNING.as_bytes()),
    ]);
    let docs = dir.path().join("docs");
    symlink("nowhere.md", docs.join("dangling.md")).unwrap();
    symlink("..", docs.join("up")).unwrap();
    symlink("nowhere.md", dir.path().join("named-dangling.md")).unwrap();
    let _socket = UnixListener::bind(dir.path().join("socket.md")).unwrap();
    let locked = docs.join("locked.md");
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).unwrap();
    let privileged = fs::read(&locked).is_ok();

    let run = policy_lsp(
        dir.path(),
        &[
            "check",
            "--format",
            "json",
            "docs",
            "other.md",
            "named-dangling.md",
            "missing.md",
            "socket.md",
        ],
    );
    assert_eq!(run.status, 2, "{}", run.stderr);
    let reasons = [
        "docs/latin1.md: not valid UTF-8 (invalid byte at offset 3)",
        "docs/huge.txt: too large to check (1.4 KiB, more than the limit of 1000 bytes;",
        "docs/dangling.md: broken symbolic link (its target does not exist)",
        "docs/up: directory loop (links back to ",
        "named-dangling.md: broken symbolic link (its target does not exist)",
        "missing.md: No such file or directory",
        // open(2) on a socket fails for everyone, root included.
        "socket.md: No such device or address",
    ];
    for reason in reasons {
        assert!(
            run.stderr.contains(&format!("error: {reason}")),
            "missing `{reason}` in:\n{}",
            run.stderr
        );
    }
    let mut checked = vec![
        "docs/good.md:encoding-artifact",
        "other.md:encoding-artifact",
    ];
    if privileged {
        eprintln!("skipped: the tests can read a mode-000 file (running as root)");
        checked.insert(1, "docs/locked.md:encoding-artifact");
    } else {
        assert!(
            run.stderr.contains("docs/locked.md: Permission denied"),
            "{}",
            run.stderr
        );
    }
    assert_eq!(run.found(), checked);
    // One line per problem, nothing else lost: every line names one of the inputs.
    let problems = run
        .stderr
        .lines()
        .filter(|l| l.starts_with("error: "))
        .count();
    assert_eq!(
        problems,
        reasons.len() + usize::from(!privileged),
        "{}",
        run.stderr
    );
}

#[test]
fn a_missing_path_is_an_error_and_the_others_still_checked() {
    let dir = tree(&[("a.md", WARNING.as_bytes())]);
    let run = policy_lsp(
        dir.path(),
        &["check", "--format", "json", "gone.md", "a.md"],
    );
    assert_eq!(run.status, 2);
    assert!(run.stderr.contains("gone.md: "), "{}", run.stderr);
    assert_eq!(run.found(), ["a.md:encoding-artifact"]);
}

#[test]
fn stdin_is_named_and_typed_by_stdin_filename() {
    let dir = tree(&[]);
    // Inline code is not prose in Markdown; in plain text the backticks are just characters.
    let draft = "The board met `yesterday`.\n";
    let as_markdown = policy_lsp_with_stdin(
        dir.path(),
        &[
            "check",
            "--format",
            "json",
            "--stdin-filename",
            "docs/minutes.md",
            "-",
        ],
        draft,
    );
    assert_eq!(as_markdown.status, 0, "{}", as_markdown.stderr);
    assert!(as_markdown.found().is_empty());

    let as_text = policy_lsp_with_stdin(
        dir.path(),
        &[
            "check",
            "--format",
            "json",
            "--stdin-filename",
            "docs/minutes.txt",
            "-",
        ],
        draft,
    );
    assert_eq!(as_text.found(), ["docs/minutes.txt:relative-date"]);

    let unnamed = policy_lsp_with_stdin(dir.path(), &["check", "--format", "json", "-"], WARNING);
    assert_eq!(unnamed.status, 1);
    assert_eq!(unnamed.found(), ["-:encoding-artifact"]);
}

#[test]
fn json_positions_are_one_based_and_count_characters() {
    let dir = tree(&[("a.md", "Intro.\n\nLe café?s budget.\n".as_bytes())]);
    let run = policy_lsp(dir.path(), &["check", "--format", "json", "a.md"]);
    let findings = run.findings();
    let finding = &findings[0];
    assert_eq!(finding["rule"], "encoding-artifact");
    assert_eq!(
        [
            &finding["line"],
            &finding["column"],
            &finding["end_line"],
            &finding["end_column"]
        ],
        [3, 8, 3, 9]
    );
    assert_eq!(finding["fix"]["edits"][0]["replacement"], "’");
}

#[test]
fn walking_honours_extensions_and_gitignore_but_explicit_files_are_always_checked() {
    let dir = tree(&[
        (".gitignore", b"old/\n"),
        ("a.markdown", WARNING.as_bytes()),
        ("b.rst", WARNING.as_bytes()),
        ("old/c.md", WARNING.as_bytes()),
        ("sub/d.TXT", WARNING.as_bytes()),
    ]);
    let walked = policy_lsp(dir.path(), &["check", "--format", "json"]);
    assert_eq!(
        walked.found(),
        [
            "a.markdown:encoding-artifact",
            "sub/d.TXT:encoding-artifact"
        ]
    );
    let explicit = policy_lsp(
        dir.path(),
        &["check", "--format", "json", "b.rst", "old/c.md"],
    );
    assert_eq!(
        explicit.found(),
        ["b.rst:encoding-artifact", "old/c.md:encoding-artifact"]
    );
}

#[test]
fn include_and_exclude_apply_relative_to_the_configuration() {
    let dir = tree(&[
        (
            "policy/policy-lsp.toml",
            b"[files]\ninclude = [\"drafts/**\"]\nexclude = [\"drafts/archive\"]\n",
        ),
        ("policy/drafts/a.md", WARNING.as_bytes()),
        ("policy/drafts/archive/b.md", WARNING.as_bytes()),
        ("policy/notes/c.md", WARNING.as_bytes()),
    ]);
    let walked = policy_lsp(dir.path(), &["check", "--format", "json", "policy"]);
    assert_eq!(walked.status, 1, "{}", walked.stderr);
    assert_eq!(walked.found(), ["policy/drafts/a.md:encoding-artifact"]);
    // A file named on the command line is checked even when excluded.
    let explicit = policy_lsp(
        dir.path(),
        &["check", "--format", "json", "policy/drafts/archive/b.md"],
    );
    assert_eq!(
        explicit.found(),
        ["policy/drafts/archive/b.md:encoding-artifact"]
    );
}

#[test]
fn the_nearest_configuration_governs_each_draft() {
    let dir = tree(&[
        ("policy-lsp.toml", b"[rules]\nencoding-artifact = \"off\"\n"),
        ("a.md", WARNING.as_bytes()),
        ("team/policy-lsp.toml", b""),
        ("team/b.md", WARNING.as_bytes()),
    ]);
    let run = policy_lsp(dir.path(), &["check", "--format", "json"]);
    assert_eq!(
        run.found(),
        ["team/b.md:encoding-artifact"],
        "{}",
        run.stderr
    );
    // --config overrides the lookup for every draft.
    let run = policy_lsp(
        dir.path(),
        &[
            "check",
            "--format",
            "json",
            "--config",
            "team/policy-lsp.toml",
        ],
    );
    assert_eq!(
        run.found(),
        ["a.md:encoding-artifact", "team/b.md:encoding-artifact"]
    );
}

#[test]
fn a_bad_configuration_is_an_error_naming_file_line_and_key() {
    let config = b"[rules]\nencoding-artifact = \"loud\"\n";
    let dir = tree(&[("policy-lsp.toml", config), ("a.md", WARNING.as_bytes())]);
    for args in [
        &["check", "a.md"][..],
        &["check", "--config", "policy-lsp.toml", "a.md"][..],
    ] {
        let run = policy_lsp(dir.path(), args);
        assert_eq!(run.status, 2, "{args:?}");
        assert!(
            run.stderr
                .contains("policy-lsp.toml:2:21: `rules.encoding-artifact`: unknown level"),
            "{args:?}: {}",
            run.stderr
        );
    }
}

#[test]
fn output_is_sorted_and_the_same_serial_or_parallel() {
    let mut files = Vec::new();
    for i in (0..40).rev() {
        let text = format!("{INFORMATION}\n{WARNING}");
        files.push((format!("d{}/draft-{i:02}.md", i % 3), text));
    }
    let files: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_bytes()))
        .collect();
    let dir = tree(&files);
    let run_with_threads = |threads: &str| {
        let output = Command::new(env!("CARGO_BIN_EXE_policy-lsp"))
            .args(["check", "--format", "json", "."])
            .current_dir(dir.path())
            .env("RAYON_NUM_THREADS", threads)
            .output()
            .unwrap();
        String::from_utf8(output.stdout).unwrap()
    };
    let serial = run_with_threads("1");
    assert_eq!(run_with_threads("8"), serial);
    assert_eq!(run_with_threads("8"), serial);

    let findings: Vec<Value> = serde_json::from_str(&serial).unwrap();
    let keys: Vec<(String, u64)> = findings
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_owned(),
                f["line"].as_u64().unwrap(),
            )
        })
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
    assert_eq!(keys.len(), 80);
}

#[test]
fn usage_errors_exit_2() {
    let dir = tree(&[]);
    assert_eq!(
        policy_lsp(dir.path(), &["check", "--format", "xml"]).status,
        2
    );
    assert_eq!(
        policy_lsp(dir.path(), &["check", "--fail-on", "hint"]).status,
        2
    );
    assert_eq!(policy_lsp(dir.path(), &["lint"]).status, 2);
}

#[test]
fn rule_lists_every_rule_with_its_default_severity() {
    let run = policy_lsp(Path::new("."), &["rule"]);
    assert_eq!(run.status, 0);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), policy_lsp::rules::RULES.len());
    for (line, rule) in lines.iter().zip(policy_lsp::rules::RULES) {
        let words: Vec<&str> = line.split_whitespace().collect();
        assert_eq!(words[..2], [rule.name, rule.default_severity.as_str()]);
    }
}

#[test]
fn rule_name_prints_the_rules_documentation() {
    for rule in policy_lsp::rules::RULES {
        let run = policy_lsp(Path::new("."), &["rule", rule.name]);
        assert_eq!(run.status, 0);
        assert!(run.stdout.starts_with(&format!(
            "{} (default severity: {})",
            rule.name, rule.default_severity
        )));
        assert!(run.stdout.contains(rule.doc().trim()), "{}", run.stdout);
    }
}

#[test]
fn an_unknown_rule_exits_2_listing_the_known_ones() {
    let run = policy_lsp(Path::new("."), &["rule", "no-such-rule"]);
    assert_eq!(run.status, 2);
    assert!(run.stderr.contains("no-such-rule"));
    for rule in policy_lsp::rules::RULES {
        assert!(run.stderr.contains(rule.name), "{}", run.stderr);
    }
}

#[test]
fn outline_prints_the_headings_indented_by_level() {
    let dir = tree(&[(
        "plan.md",
        b"# Harbour plan\n\nIntro.\n\n## Budget\n\nText.\n\n### Dredging\n\n## Jobs\n",
    )]);
    let run = policy_lsp(dir.path(), &["outline", "plan.md"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert_eq!(run.stdout, "Harbour plan\n  Budget\n    Dredging\n  Jobs\n");

    let missing = policy_lsp(dir.path(), &["outline", "gone.md"]);
    assert_eq!(missing.status, 2);
    assert!(missing.stderr.contains("gone.md: "), "{}", missing.stderr);
}
