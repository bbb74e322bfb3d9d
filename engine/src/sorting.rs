//! One sort for the whole engine. Every instantiation of the standard
//! library's sorts for another element type or key adds several kilobytes
//! of WebAssembly (its quicksort, merge and small-sort networks); these
//! functions sort a list of positions with one comparison through a
//! `dyn` closure, so the module carries one copy of the sort whatever the
//! engine sorts (BENCHMARKS.md, "Engine package size (size-engine,
//! 2026-12-06)"). Not for hot paths: each comparison is an indirect call.

use std::cmp::Ordering;

/// The positions `0..len` in the order `compare` gives, equal ones in
/// their original order.
fn order(len: usize, compare: &mut dyn FnMut(usize, usize) -> Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..len).collect();
    order.sort_unstable_by(|&a, &b| compare(a, b).then(a.cmp(&b)));
    order
}

/// Sorts `items` by `compare`, keeping equal items in their order: what
/// `items.sort_by(compare)` does.
pub fn sort_by<T>(items: &mut [T], mut compare: impl FnMut(&T, &T) -> Ordering) {
    let order = {
        let items = &*items;
        order(
            items.len(),
            &mut |a, b| match (items.get(a), items.get(b)) {
                (Some(x), Some(y)) => compare(x, y),
                _ => Ordering::Equal,
            },
        )
    };
    // Position `i` takes the item that was at `order[i]`; items already
    // moved away from a position before `i` are followed to where they went.
    for i in 0..order.len() {
        let mut from = order.get(i).copied().unwrap_or(i);
        while from < i {
            from = order.get(from).copied().unwrap_or(i);
        }
        items.swap(i, from);
    }
}

/// Sorts `items` by the key `key` gives, keeping equal items in their
/// order: what `items.sort_by_key(key)` does.
pub fn sort_by_key<T, K: Ord>(items: &mut [T], mut key: impl FnMut(&T) -> K) {
    sort_by(items, |a, b| key(a).cmp(&key(b)));
}

/// Sorts `items` in ascending order (equal items are equal, so which
/// comes first does not matter): what `items.sort_unstable()` gives.
pub fn sort<T: Ord>(items: &mut [T]) {
    sort_by(items, Ord::cmp);
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn sorts_as_the_standard_library_does(items in proptest::collection::vec((0u8..6, any::<u16>()), 0..80)) {
            let mut ours = items.clone();
            let mut theirs = items.clone();
            sort_by_key(&mut ours, |&(k, _)| k);
            theirs.sort_by_key(|&(k, _)| k);
            prop_assert_eq!(&ours, &theirs);
            let mut ours = items.clone();
            let mut theirs = items;
            sort(&mut ours);
            theirs.sort_unstable();
            prop_assert_eq!(ours, theirs);
        }
    }

    #[test]
    fn sorts_empty_and_single_lists() {
        let mut empty: Vec<u8> = Vec::new();
        sort(&mut empty);
        assert!(empty.is_empty());
        let mut one = vec![3];
        sort(&mut one);
        assert_eq!(one, [3]);
    }
}
