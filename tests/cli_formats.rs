//! Each output format on the drafts in `tests/fixtures/formats`, through the real binary.
//! The findings follow the rules, so these snapshots move when a rule changes; the
//! renderers' own details are pinned by the unit snapshots in `src/cli/format`.

use std::process::Command;

use serde_json::Value;

const FIXTURES: &str = "tests/fixtures/formats";

/// `policy-lsp check --format FORMAT` on the fixtures; findings never fail the run here.
fn check(format: &str) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_policy-lsp"))
        .args(["check", "--fail-on", "never", "--format", format, FIXTURES])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .env_remove("CLICOLOR_FORCE")
        .output()
        .expect("the binary runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "stderr: {stderr}");
    String::from_utf8(output.stdout).expect("the report is UTF-8")
}

#[test]
fn human() {
    insta::assert_snapshot!(check("human"));
}

#[test]
fn json() {
    insta::assert_snapshot!(check("json"));
}

#[test]
fn github() {
    insta::assert_snapshot!(check("github"));
}

#[test]
fn sarif() {
    let mut log: Value = serde_json::from_str(&check("sarif")).expect("SARIF is JSON");
    assert_valid_sarif(&log);

    let run = &log["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    let registry: Vec<&str> = policy_lsp::rules::RULES.iter().map(|r| r.name).collect();
    assert_eq!(
        ids, registry,
        "the driver lists every rule, in registry order"
    );
    let results = run["results"].as_array().unwrap();
    assert!(!results.is_empty(), "the fixtures have findings");
    for result in results {
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], result["ruleId"]);
    }

    // The rules' documentation and the version change on their own schedule.
    let driver = &mut log["runs"][0]["tool"]["driver"];
    driver["version"] = "[version]".into();
    for rule in driver["rules"].as_array_mut().unwrap() {
        for text in ["fullDescription", "help"] {
            rule[text] = "[the rule's doc]".into();
        }
    }
    insta::assert_json_snapshot!(log);
}

/// Validates against the vendored OASIS schema (see `tests/schemas/README.md`).
fn assert_valid_sarif(log: &Value) {
    let text = include_str!("schemas/sarif-schema-2.1.0.json");
    let mut schema: Value = serde_json::from_str(text).unwrap();
    // The schema's two `language` patterns contain a stray `]` that a strict ECMA-262 regex
    // parser (as jsonschema uses to check the schema itself) rejects. We never write
    // `language`, so dropping those patterns leaves every check on our output intact.
    for definition in ["run", "toolComponent"] {
        let language = &mut schema["definitions"][definition]["properties"]["language"];
        language.as_object_mut().unwrap().remove("pattern");
    }
    let validator = jsonschema::validator_for(&schema).expect("the schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(log)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "invalid SARIF:\n{}", errors.join("\n"));
}
