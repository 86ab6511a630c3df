//! Helpers for the unit tests that compare two ways of finding the same thing (a fast
//! matcher against the regular expression it replaces) on many generated texts.

/// `count` random texts of `length` pieces drawn from `pieces`, the same every run
/// (xorshift, fixed seed).
pub(crate) fn random_texts(pieces: &[&str], count: usize, length: usize) -> Vec<String> {
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    (0..count)
        .map(|_| {
            let mut text = String::new();
            for _ in 0..length {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                text.push_str(pieces[(state % pieces.len() as u64) as usize]);
            }
            text
        })
        .collect()
}
