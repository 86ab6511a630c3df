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

/// What every match of [`URL`] contains (`(?i)` folds `w` to nothing but `W`).
static URL_HINT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"://|@|(?i)www\.").expect("URL hint pattern is valid"));

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
        // Every URL has `://` or `www.` and every address an `@`, and none runs past the
        // end of its line. A literal search finds the few lines with one, and only those
        // go through `URL`, which has no literal to start from and would otherwise run its
        // automaton over every byte of the draft. A line is searched alone: the line
        // break before it is no word character, just like the start of a haystack.
        let bytes = text.as_bytes();
        let mut found = Vec::new();
        let mut from = 0;
        while let Some(hint) = URL_HINT.find_at(text, from) {
            let start = memchr::memrchr(b'\n', &bytes[..hint.start()]).map_or(0, |i| i + 1);
            let end = memchr::memchr(b'\n', &bytes[hint.start()..])
                .map_or(text.len(), |i| hint.start() + i);
            let line = &text[start..end];
            found.extend(
                URL.find_iter(line)
                    .map(|m| start + m.start()..start + m.end()),
            );
            from = end;
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Blanking line by line where a hint is finds what one search of the whole text does.
    #[test]
    fn urls_found_line_by_line_as_in_the_whole_text() {
        let pieces = [
            "see ",
            "https://x.org/a",
            "HTTPS://Y.ORG",
            "httpſ://z.kr",
            "www.",
            "WwW.k.org",
            "mail@host.org",
            "a@b",
            "@",
            "://",
            "\n",
            "\r\n",
            " ",
            "한",
            "é",
            ".",
            "_",
            "ftp://f",
            "(",
            "x",
        ];
        for text in crate::analysis::testing::random_texts(&pieces, 5_000, 10) {
            let mut expected = ProseMask::full(&text);
            for m in URL.find_iter(&text) {
                let trimmed = m.as_str().trim_end_matches(['.', ',', ';', ':', '!', '?']);
                expected.hide(m.start()..m.start() + trimmed.len());
            }
            let mut mask = ProseMask::full(&text);
            mask.blank_urls(&text);
            assert_eq!(mask.bytes, expected.bytes, "{text:?}");
        }
    }

    #[test]
    fn www_folds_only_to_upper_case() {
        let w = Regex::new("(?i)^w$").unwrap();
        let folds: Vec<char> = (0..=0x10FFFF)
            .filter_map(char::from_u32)
            .filter(|c| w.is_match(c.encode_utf8(&mut [0; 4])))
            .collect();
        assert_eq!(folds, ['W', 'w']);
    }
}
