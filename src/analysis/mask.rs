//! The prose mask: a copy of the draft where everything that is not prose is blanked.
//!
//! Keeping the mask the same length as the text means every rule can search plain `&str`
//! prose and report offsets that are valid in the original.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use super::phrase::UnicodeClass;

pub(crate) struct ProseMask {
    bytes: Vec<u8>,
}

/// What every bare URL and e-mail address ([`find_url`]) contains (`(?i)` folds `w` to
/// nothing but `W`).
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

    /// Blanks bare URLs, `www.` hosts and e-mail addresses: never linted.
    pub fn blank_urls(&mut self, text: &str) {
        // Every URL has `://` or `www.` and every address an `@`, and none runs past the
        // end of its line. A literal search finds the few lines with one, and only those
        // are read by `find_url`. A line is searched alone: the line break before it is no
        // word character, just like the start of a line.
        let bytes = text.as_bytes();
        let mut found = Vec::new();
        let mut from = 0;
        while let Some(hint) = URL_HINT.find_at(text, from) {
            let start = memchr::memrchr(b'\n', &bytes[..hint.start()]).map_or(0, |i| i + 1);
            let end = memchr::memchr(b'\n', &bytes[hint.start()..])
                .map_or(text.len(), |i| hint.start() + i);
            let line = &text[start..end];
            let mut at = 0;
            while let Some(url) = find_url(line, at) {
                at = url.end;
                found.push(start + url.start..start + url.end);
            }
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

/// `\w` in Unicode: what an e-mail address is made of, with `.`, `+` and `-`.
static WORD: LazyLock<UnicodeClass> = LazyLock::new(|| UnicodeClass::new(r"\w"));

/// The first bare URL or e-mail address in `line` starting at or after `from` (a character
/// boundary): what `regex` finds with
/// `(?i)(?-u:\b)(?:(?:https?|ftp)://|www\.)[^\s<>"'“”‘’()\[\]]+|(?-u:\b)[\w.+-]+@[\w-]+(?:\.[\w-]+)+`,
/// read directly: compiling that expression (its `\w` is a Unicode class, its `(?i)`
/// folds `s` to `ſ`) cost more than checking a one-page draft. Each start is tried in
/// order, the web address before the e-mail address, as `regex` does.
fn find_url(line: &str, from: usize) -> Option<Range<usize>> {
    let bytes = line.as_bytes();
    // The part of an address before its `@` is one run of address characters, so only a
    // start inside the run just before the first `@` after it can begin an address. That
    // run is found once for each `@`, with where the address would end.
    let mut next_address: Option<(Range<usize>, Option<usize>)> = None;
    let mut signs_left = true;
    let mut after_word = from > 0 && is_word_byte(bytes[from - 1]);
    for at in from..bytes.len() {
        // A start needs an ASCII word boundary, which is always a character boundary: a
        // byte after an ASCII one starts a character.
        let is_word = is_word_byte(bytes[at]);
        if is_word == after_word {
            continue;
        }
        after_word = is_word;
        if matches!(bytes[at] | 0x20, b'h' | b'f' | b'w') {
            if let Some(end) = web_address_end(line, at) {
                return Some(at..end);
            }
        }
        if signs_left
            && next_address
                .as_ref()
                .is_none_or(|(local, _)| local.end < at)
        {
            match memchr::memchr(b'@', &bytes[at..]) {
                Some(offset) => {
                    let sign = at + offset;
                    let local = char_run_back(&line[..sign], is_local_char)..sign;
                    next_address = Some((local, domain_end(line, sign + 1)));
                }
                None => signs_left = false,
            }
        }
        if let Some((local, Some(end))) = &next_address {
            if local.contains(&at) {
                return Some(at..*end);
            }
        }
    }
    None
}

/// `(?i)(?:(?:https?|ftp)://|www\.)[^\s<>"'“”‘’()\[\]]+` at `at`: where it ends.
fn web_address_end(line: &str, at: usize) -> Option<usize> {
    let rest = &line[at..];
    let starts = |prefix: &str, from: usize| {
        rest.get(from..from + prefix.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(prefix))
    };
    let scheme = if starts("www.", 0) {
        4
    } else if starts("ftp://", 0) {
        6
    } else if starts("http", 0) {
        // `(?i)s` is `s`, `S` or `ſ`.
        let s = rest[4..]
            .chars()
            .next()
            .filter(|c| matches!(c, 's' | 'S' | 'ſ'))
            .map_or(0, char::len_utf8);
        if !starts("://", 4 + s) {
            return None;
        }
        4 + s + 3
    } else {
        return None;
    };
    let body = char_run(&rest[scheme..], |c| {
        !(c.is_whitespace()
            || matches!(
                c,
                '<' | '>' | '"' | '\'' | '“' | '”' | '‘' | '’' | '(' | ')' | '[' | ']'
            ))
    });
    (body > 0).then_some(at + scheme + body)
}

/// `[\w-]+(?:\.[\w-]+)+` at `at`: where it ends. Greedy, so every label runs to its end.
fn domain_end(line: &str, at: usize) -> Option<usize> {
    let label = |from: usize| char_run(&line[from..], |c| c == '-' || is_word_char(c));
    let first = label(at);
    if first == 0 {
        return None;
    }
    let mut end = at + first;
    let mut labels = 1;
    while line.as_bytes().get(end) == Some(&b'.') {
        let next = label(end + 1);
        if next == 0 {
            break;
        }
        end += 1 + next;
        labels += 1;
    }
    (labels >= 2).then_some(end)
}

/// Where the run of characters at the end of `text` that `accept` takes starts.
fn char_run_back(text: &str, accept: impl Fn(char) -> bool) -> usize {
    text.char_indices()
        .rev()
        .take_while(|&(_, c)| accept(c))
        .last()
        .map_or(text.len(), |(i, _)| i)
}

/// The byte length of the run of characters at the start of `text` that `accept` takes.
fn char_run(text: &str, accept: impl Fn(char) -> bool) -> usize {
    text.char_indices()
        .find(|&(_, c)| !accept(c))
        .map_or(text.len(), |(i, _)| i)
}

/// A byte `(?-u:\b)` counts as a word: `[0-9A-Za-z_]`.
fn is_word_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'_'
}

/// `\w` in Unicode (ASCII answered without the table).
fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        is_word_byte(c as u8)
    } else {
        WORD.contains(c)
    }
}

/// `[\w.+-]`: the part of an e-mail address before its `@`.
fn is_local_char(c: char) -> bool {
    matches!(c, '.' | '+' | '-') || is_word_char(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The expression [`find_url`] reads.
    static URL: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r#"(?i)(?-u:\b)(?:(?:https?|ftp)://|www\.)[^\s<>"'“”‘’()\[\]]+|(?-u:\b)[\w.+-]+@[\w-]+(?:\.[\w-]+)+"#,
        )
        .expect("URL pattern is valid")
    });

    /// Blanking line by line where a hint is, with `find_url`, finds what one search of the
    /// whole text with the expression does.
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
            "+",
            "-",
            "a.b",
            "ü",
            "\u{301}",
            "\u{212A}",
            "HTTP",
            "s",
            "ſ",
            "Ftp://",
            "“",
            "]",
        ];
        for text in crate::analysis::testing::random_texts(&pieces, 20_000, 10) {
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
