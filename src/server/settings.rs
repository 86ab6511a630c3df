//! Client settings: `initializationOptions`, `workspace/didChangeConfiguration` and the
//! answer to `workspace/configuration`, read into a [`Config`] that lies *under* each
//! workspace folder's `policy-lsp.toml` (the file wins; see [`super::workspace`]).
//!
//! The settings mirror the file, in JSON, under a `policyLsp` key (or bare, as the
//! `workspace/configuration` answer for the section `policyLsp` is):
//!
//! ```json
//! { "policyLsp": {
//!     "rules": { "figure-without-unit": "off", "relative-date": { "severity": "hint" } },
//!     "vocabulary": { "currencies": ["XDR"], "units": ["TEU"], "speechVerbs": ["quipped"] },
//!     "glossary": { "files": ["docs/glossary.md"], "terms": { "hub": "A shared site." } }
//! } }
//! ```
//!
//! They are checked by the configuration file's own parser, so the same names, levels and
//! paths are valid in both, and an invalid value is reported the same way. Other keys
//! (an editor extension's own settings such as `trace` or `server`) are ignored.

use serde_json::Value;

use crate::config::Config;

/// The section clients keep our settings under.
pub(crate) const SECTION: &str = "policyLsp";

/// Where settings come from, for messages.
const ORIGIN: &str = "client settings";

/// Our settings in a notification or options object: `None` when it holds none (another
/// server's settings, `null`, an empty object), else the configuration or why it is
/// invalid.
pub(crate) fn from_client(value: &Value) -> Option<Result<Config, String>> {
    let object = value.as_object()?;
    let section = [SECTION, "policy-lsp", "policy_lsp"]
        .iter()
        .find_map(|key| object.get(*key));
    match section {
        Some(Value::Null) => None,
        Some(section) => Some(parse_section(section)),
        None if ["rules", "vocabulary", "glossary"]
            .iter()
            .any(|k| object.contains_key(*k)) =>
        {
            Some(parse_section(value))
        }
        None => None,
    }
}

/// The contents of the `policyLsp` section (as `workspace/configuration` answers it):
/// `None` for `null`.
pub(crate) fn from_section(value: &Value) -> Option<Result<Config, String>> {
    (!value.is_null()).then(|| parse_section(value))
}

fn parse_section(section: &Value) -> Result<Config, String> {
    let Some(section) = section.as_object() else {
        return Err(format!("{ORIGIN}: `{SECTION}` must be an object"));
    };
    let mut table = toml::Table::new();
    if let Some(rules) = section.get("rules") {
        let rules = match rules {
            // `{ "rule": { "severity": "off" } }` as well as `{ "rule": "off" }`.
            Value::Object(rules) => Value::Object(
                rules
                    .iter()
                    .map(|(name, level)| {
                        let level = match level {
                            Value::Object(o) => o
                                .get("severity")
                                .or_else(|| o.get("level"))
                                .cloned()
                                .unwrap_or(Value::Null),
                            Value::Bool(false) => Value::from("off"),
                            other => other.clone(),
                        };
                        (name.clone(), level)
                    })
                    .collect(),
            ),
            other => other.clone(),
        };
        insert(&mut table, "rules", &rules);
    }
    if let Some(vocabulary) = section.get("vocabulary") {
        let mut words = toml::Table::new();
        match vocabulary {
            Value::Object(o) => {
                for (key, value) in o {
                    let key = match key.as_str() {
                        "speechVerbs" | "speech_verbs" => "speech-verbs",
                        other => other,
                    };
                    insert(&mut words, key, value);
                }
                table.insert("vocabulary".into(), toml::Value::Table(words));
            }
            other => insert(&mut table, "vocabulary", other),
        }
    }
    if let Some(glossary) = section.get("glossary") {
        insert(&mut table, "glossary", glossary);
    }
    let text = toml::to_string(&table).map_err(|e| format!("{ORIGIN}: {e}"))?;
    Config::parse(&text, ORIGIN).map_err(|e| {
        // Lines of the generated TOML mean nothing to the user; the key does.
        match e.key {
            Some(key) => format!("{ORIGIN}: `{SECTION}.{key}`: {}", e.message),
            None => format!("{ORIGIN}: {}", e.message),
        }
    })
}

fn insert(table: &mut toml::Table, key: &str, value: &Value) {
    if let Some(value) = to_toml(value) {
        table.insert(key.to_owned(), value);
    }
}

/// JSON as TOML; `null` has no TOML form and is left out.
fn to_toml(value: &Value) -> Option<toml::Value> {
    Some(match value {
        Value::Null => return None,
        Value::Bool(b) => toml::Value::Boolean(*b),
        Value::Number(n) => match n.as_i64() {
            Some(i) => toml::Value::Integer(i),
            None => toml::Value::Float(n.as_f64().unwrap_or_default()),
        },
        Value::String(s) => toml::Value::String(s.clone()),
        Value::Array(items) => toml::Value::Array(items.iter().filter_map(to_toml).collect()),
        Value::Object(o) => toml::Value::Table(
            o.iter()
                .filter_map(|(k, v)| Some((k.clone(), to_toml(v)?)))
                .collect(),
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::Severity;
    use crate::config::RuleLevel;
    use serde_json::json;

    fn ok(value: Value) -> Config {
        from_client(&value).expect("ours").expect("valid")
    }

    #[test]
    fn rules_in_every_spelling() {
        let config = ok(json!({ "policyLsp": { "rules": {
            "figure-without-unit": "off",
            "relative-date": { "severity": "hint" },
            "vague-attribution": false,
            "encoding-artifact": "error",
        }}}));
        let level = |rule| config.level(rule, Severity::Warning);
        assert_eq!(level("figure-without-unit"), RuleLevel::Off);
        assert_eq!(level("relative-date"), RuleLevel::On(Severity::Hint));
        assert_eq!(level("vague-attribution"), RuleLevel::Off);
        assert_eq!(level("encoding-artifact"), RuleLevel::On(Severity::Error));
        // Bare, as some clients pass `initializationOptions`.
        let bare = ok(json!({ "rules": { "figure-without-unit": "off" } }));
        assert_eq!(
            bare.level("figure-without-unit", Severity::Warning),
            RuleLevel::Off
        );
    }

    #[test]
    fn vocabulary_and_glossary() {
        let config = ok(json!({ "policyLsp": {
            "vocabulary": { "currencies": ["XDR"], "units": ["TEU"], "speechVerbs": ["quipped"] },
            "glossary": { "files": ["docs/g.md"], "terms": { "항구 허브": "A shared site 😀." } },
            "trace": { "server": "verbose" },
        }}));
        assert_eq!(config.currencies, ["XDR"]);
        assert_eq!(config.units, ["TEU"]);
        assert_eq!(config.speech_verbs, ["quipped"]);
        assert_eq!(config.glossary_files, ["docs/g.md"]);
        assert_eq!(config.glossary["항구 허브"], "A shared site 😀.");
    }

    #[test]
    fn not_ours() {
        for value in [
            json!(null),
            json!({}),
            json!([]),
            json!({ "harper-ls": { "x": 1 } }),
            json!({ "policyLsp": null }),
        ] {
            assert!(from_client(&value).is_none(), "{value}");
        }
        assert!(from_section(&json!(null)).is_none());
        assert_eq!(
            from_section(&json!({})).unwrap().unwrap(),
            Config::default()
        );
        // An empty section is ours: it resets the settings.
        assert_eq!(
            ok(json!({ "policyLsp": {} })),
            Config::default(),
            "empty section"
        );
    }

    #[test]
    fn errors_name_the_setting() {
        let err = |value: Value| from_client(&value).expect("ours").unwrap_err();
        let e = err(json!({ "policyLsp": { "rules": { "no-such-rule": "off" } } }));
        assert!(
            e.starts_with("client settings: `policyLsp.rules.no-such-rule`: unknown rule"),
            "{e}"
        );
        let e = err(json!({ "policyLsp": { "rules": { "relative-date": "loud" } } }));
        assert!(e.contains("policyLsp.rules.relative-date"), "{e}");
        let e = err(json!({ "policyLsp": { "glossary": { "files": ["/etc/passwd"] } } }));
        assert!(
            e.contains("glossary.files") && e.contains("absolute"),
            "{e}"
        );
        let e = err(json!({ "policyLsp": 3 }));
        assert!(e.contains("must be an object"), "{e}");
        let e = err(json!({ "policyLsp": { "vocabulary": { "units": [3] } } }));
        assert!(e.contains("vocabulary"), "{e}");
    }
}
