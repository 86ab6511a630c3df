//! FNV-1a hashing for the analysis's hash tables. Their keys are short words, for which
//! the standard library's SipHash costs more in setup than in hashing, and the tables are
//! built from the draft and the program's own vocabularies, not from untrusted requests.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

/// FNV-1a, 64 bits.
pub(crate) struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.0 = (self.0 ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
        }
    }
}

pub(crate) type FnvHashMap<K, V> = HashMap<K, V, BuildHasherDefault<Fnv>>;
pub(crate) type FnvHashSet<T> = HashSet<T, BuildHasherDefault<Fnv>>;
