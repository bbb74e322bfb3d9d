//! [`Bits`]: a set of small indexes, for which patterns or comparisons
//! matched.

use smallvec::SmallVec;

/// A set of small indexes (inline up to 64).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Bits(SmallVec<[u64; 1]>);

impl Default for Bits {
    /// The empty set, with its first word in place.
    fn default() -> Self {
        Bits(SmallVec::from_buf([0]))
    }
}

impl Bits {
    /// Adds `index`.
    #[inline]
    pub fn insert(&mut self, index: usize) {
        let (word, bit) = (index / 64, index % 64);
        if self.0.len() <= word {
            self.0.resize(word + 1, 0);
        }
        if let Some(w) = self.0.get_mut(word) {
            *w |= 1 << bit;
        }
    }

    /// Whether `index` is in the set.
    #[inline]
    pub fn contains(&self, index: usize) -> bool {
        self.0
            .get(index / 64)
            .is_some_and(|w| w & (1 << (index % 64)) != 0)
    }

    /// Whether the set is empty.
    pub fn is_empty(&self) -> bool {
        self.0.iter().all(|w| *w == 0)
    }
}

#[cfg(test)]
mod tests {
    use super::Bits;

    #[test]
    fn bits_hold_any_index() {
        let mut bits = Bits::default();
        assert!(bits.is_empty());
        for i in [0, 5, 63, 64, 200] {
            bits.insert(i);
        }
        for i in [0, 5, 63, 64, 200] {
            assert!(bits.contains(i), "{i}");
        }
        for i in [1, 62, 65, 199, 201, 10_000] {
            assert!(!bits.contains(i), "{i}");
        }
        assert!(!bits.is_empty());
    }
}
