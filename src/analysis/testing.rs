//! Helpers for the unit tests that compare two ways of finding the same thing (a fast
//! matcher against the regular expression it replaces, an incremental result against a
//! fresh one) on many generated texts or edits.

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

/// A tiny deterministic generator (a linear congruential one) for tests that draw random
/// edits: the same sequence for the same seed, no dependency.
pub(crate) struct Lcg(pub u64);

impl Lcg {
    /// A number in `0..bound` (0 when `bound` is 0).
    pub(crate) fn below(&mut self, bound: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) % bound.max(1) as u64) as usize
    }
}
