//! Parsing benchmarks: a managed policy at AWS's 6,144-character limit.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test and benchmark code: a failure should stop the run loudly"
)]

mod common;

use criterion::measurement::Measurement;
use criterion::Criterion;
use iam_engine::parse::parse_policy;
use iam_engine::PolicyType;

fn parse_managed_policy<M: Measurement + 'static>(c: &mut Criterion<M>) {
    let text = common::managed_policy_6144();
    let size = text.chars().filter(|c| !c.is_whitespace()).count();
    let parsed = parse_policy(&text, PolicyType::Identity);
    assert!(!parsed.has_errors(), "{:?}", parsed.diagnostics);
    let statements = parsed.policy.map_or(0, |p| p.statements.len());
    c.bench_function(
        &format!("parse managed policy ({size} chars, {statements} statements)"),
        |b| b.iter(|| parse_policy(std::hint::black_box(&text), PolicyType::Identity)),
    );
}

fn run<M: Measurement + 'static>(c: &mut Criterion<M>) {
    parse_managed_policy(c);
}

fn main() {
    common::run_benches(run, run);
}
