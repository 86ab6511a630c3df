//! What a rule reports: a byte range in the draft, the rule, a message and perhaps a fix.

use std::fmt;
use std::ops::{Deref, Range};
use std::str::FromStr;
use std::sync::Arc;

/// How serious a finding is. Ordered from most to least serious.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
    Information,
    Hint,
}

impl Severity {
    pub const ALL: [Severity; 4] = [
        Severity::Error,
        Severity::Warning,
        Severity::Information,
        Severity::Hint,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Information => "information",
            Severity::Hint => "hint",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Severity {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Severity::ALL
            .into_iter()
            .find(|sev| sev.as_str() == s)
            .ok_or_else(|| {
                format!("unknown severity `{s}` (expected error, warning, information or hint)")
            })
    }
}

/// One replacement of a byte range of the draft.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edit {
    pub range: Range<usize>,
    pub replacement: String,
}

/// A mechanical correction the author can accept with one action.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fix {
    /// Imperative title shown in the editor, e.g. "Replace `?` with `—`".
    pub title: String,
    pub edits: Vec<Edit>,
}

impl Fix {
    /// A fix that replaces one range.
    pub fn replace(
        title: impl Into<String>,
        range: Range<usize>,
        replacement: impl Into<String>,
    ) -> Self {
        Fix {
            title: title.into(),
            edits: vec![Edit {
                range,
                replacement: replacement.into(),
            }],
        }
    }
}

/// A finding in a draft. Ranges are byte offsets into the draft's text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// The rule's stable name, e.g. `figure-without-unit`.
    pub rule: &'static str,
    pub severity: Severity,
    /// One line: what is wrong and what to do.
    pub message: Message,
    pub range: Range<usize>,
    pub fix: Option<Fix>,
}

/// A finding's message: one line, read as a `&str`. Shared, not copied, when a finding is:
/// the incremental analysis lays out the same findings again on every keystroke.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Message(Arc<str>);

impl Message {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Deref for Message {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl From<String> for Message {
    fn from(message: String) -> Self {
        Message(message.into())
    }
}

impl From<&str> for Message {
    fn from(message: &str) -> Self {
        Message(message.into())
    }
}

impl fmt::Display for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self)
    }
}

impl fmt::Debug for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl PartialEq<str> for Message {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Message {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl serde::Serialize for Message {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self)
    }
}
