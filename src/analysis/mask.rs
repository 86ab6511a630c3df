//! The prose mask: a copy of the draft where everything that is not prose is blanked.
//!
//! Keeping the mask the same length as the text means every rule can search plain `&str`
//! prose and report offsets that are valid in the original.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

pub(crate) struct ProseMask {
    bytes: Vec<u8>,
}

/// Bare URLs, `www.` hosts and e-mail addresses: never linted.
static URL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?i)(?-u:\b)(?:(?:https?|ftp)://|www\.)[^\s<>"'“”‘’()\[\]]+|(?-u:\b)[\w.+-]+@[\w-]+(?:\.[\w-]+)+"#,
    )
    .expect("URL pattern is valid")
});

/// HTML comments, in plain text (Markdown's are already excluded by the parser).
static COMMENT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?s)<!--.*?-->").expect("comment pattern is valid"));

impl ProseMask {
    /// Everything blank except line breaks.
    pub fn blank(text: &str) -> Self {
        let bytes = text
            .bytes()
            .map(|b| if matches!(b, b'\n' | b'\r') { b } else { b' ' })
            .collect();
        ProseMask { bytes }
    }

    /// The whole text is prose.
    pub fn full(text: &str) -> Self {
        ProseMask {
            bytes: text.as_bytes().to_vec(),
        }
    }

    /// Marks `range` of `text` as prose.
    pub fn reveal(&mut self, text: &str, range: Range<usize>) {
        self.bytes[range.clone()].copy_from_slice(&text.as_bytes()[range]);
    }

    /// Blanks `range`, keeping line breaks.
    pub fn hide(&mut self, range: Range<usize>) {
        for b in &mut self.bytes[range] {
            if !matches!(*b, b'\n' | b'\r') {
                *b = b' ';
            }
        }
    }

    pub fn blank_urls(&mut self, text: &str) {
        let found: Vec<_> = URL.find_iter(text).map(|m| m.range()).collect();
        for range in found {
            // Trailing sentence punctuation belongs to the prose, not the URL.
            let trimmed = text[range.clone()].trim_end_matches(['.', ',', ';', ':', '!', '?']);
            self.hide(range.start..range.start + trimmed.len());
        }
    }

    pub fn blank_comments(&mut self, text: &str) {
        let found: Vec<_> = COMMENT.find_iter(text).map(|m| m.range()).collect();
        for range in found {
            self.hide(range);
        }
    }

    pub fn into_string(self) -> String {
        // Only whole characters are ever copied in and only ASCII bytes written, so this
        // is valid UTF-8; should that ever break, blank the offending bytes rather than
        // shift any offset.
        match String::from_utf8(self.bytes) {
            Ok(s) => s,
            Err(err) => {
                let mut bytes = err.into_bytes();
                let mut start = 0;
                while let Err(e) = std::str::from_utf8(&bytes[start..]) {
                    let bad = start + e.valid_up_to();
                    let len = e.error_len().unwrap_or(bytes.len() - bad);
                    bytes[bad..bad + len].fill(b' ');
                    start = bad + len;
                }
                String::from_utf8(bytes).unwrap_or_default()
            }
        }
    }
}
