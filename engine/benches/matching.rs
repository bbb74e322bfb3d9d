//! Matching benchmarks: wildcard matching is linear-time (no backtracking
//! blow-up): a pattern of 100 `*` against a 64 KB string.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "benchmark code"
)]

mod common;

use criterion::measurement::Measurement;
use criterion::Criterion;
use iam_engine::matching::Pattern;

fn hundred_stars<M: Measurement + 'static>(c: &mut Criterion<M>) {
    let text = "a".repeat(65_536);
    // The classic worst case for backtracking matchers: many stars, and a
    // last literal that is missing, so every split would be tried.
    let missing = Pattern::wildcard(&format!("{}b", "*a".repeat(100)));
    let present = Pattern::wildcard(&"*a".repeat(100));
    assert!(!missing.matches(&text));
    assert!(present.matches(&text));
    let stars_only = Pattern::wildcard(&"*".repeat(100));
    c.bench_function(
        "wildcard: 100 `*a` + missing `b` vs 64 KB (no match)",
        |b| b.iter(|| missing.matches(std::hint::black_box(&text))),
    );
    c.bench_function("wildcard: 100 `*a` vs 64 KB (match)", |b| {
        b.iter(|| present.matches(std::hint::black_box(&text)))
    });
    c.bench_function("wildcard: 100 `*` vs 64 KB (match)", |b| {
        b.iter(|| stars_only.matches(std::hint::black_box(&text)))
    });
}

/// Long middle segments that nearly fit at every position: a matcher that
/// tries each position costs pattern × text (4.6 s in a debug build before
/// the linear searches).
fn long_segments<M: Measurement + 'static>(c: &mut Criterion<M>) {
    let text = "a".repeat(40_000);
    let literal = Pattern::wildcard(&format!("*{}b*", "a".repeat(20_000)));
    let with_any = Pattern::wildcard(&format!("*{}b*", "a?".repeat(10_000)));
    let short_any = Pattern::wildcard(&format!("*{}b*", "a?".repeat(30)));
    assert!(!literal.matches(&text));
    assert!(!with_any.matches(&text));
    assert!(!short_any.matches(&text));
    c.bench_function(
        "wildcard: `*` + 20,000 `a` + `b*` vs 40,000 `a` (no match)",
        |b| b.iter(|| literal.matches(std::hint::black_box(&text))),
    );
    c.bench_function(
        "wildcard: `*` + 10,000 `a?` + `b*` vs 40,000 `a` (no match)",
        |b| b.iter(|| with_any.matches(std::hint::black_box(&text))),
    );
    c.bench_function(
        "wildcard: `*` + 30 `a?` + `b*` vs 40,000 `a` (no match)",
        |b| b.iter(|| short_any.matches(std::hint::black_box(&text))),
    );
}

fn run<M: Measurement + 'static>(c: &mut Criterion<M>) {
    hundred_stars(c);
    long_segments(c);
}

fn main() {
    common::run_benches(run, run);
}
