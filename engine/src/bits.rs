//! [`Bits`]: a set of small indexes, for which patterns or comparisons
//! matched.

/// A set of small indexes: the first 64 in a word, any beyond in a boxed
/// slice (statements rarely list more than a few patterns, so the set is
/// usually just the word, and dropping it costs nothing).
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Bits {
    first: u64,
    rest: Option<Box<[u64]>>,
}

impl Bits {
    /// Adds `index`.
    #[inline]
    pub fn insert(&mut self, index: usize) {
        if index < 64 {
            self.first |= 1 << index;
            return;
        }
        let (word, bit) = (index / 64 - 1, index % 64);
        let mut rest = self.rest.take().map(Vec::from).unwrap_or_default();
        if rest.len() <= word {
            rest.resize(word + 1, 0);
        }
        if let Some(w) = rest.get_mut(word) {
            *w |= 1 << bit;
        }
        self.rest = Some(rest.into_boxed_slice());
    }

    /// Whether `index` is in the set.
    #[inline]
    pub fn contains(&self, index: usize) -> bool {
        if index < 64 {
            return self.first & (1 << index) != 0;
        }
        self.rest
            .as_deref()
            .and_then(|rest| rest.get(index / 64 - 1))
            .is_some_and(|w| w & (1 << (index % 64)) != 0)
    }

    /// Whether the set is empty.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.first == 0
            && self
                .rest
                .as_deref()
                .is_none_or(|rest| rest.iter().all(|w| *w == 0))
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
        let mut only_far = Bits::default();
        only_far.insert(130);
        assert!(!only_far.is_empty());
        assert!(only_far.contains(130) && !only_far.contains(2));
    }
}
