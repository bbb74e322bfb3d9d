//! Evaluation benchmarks (decision and full trace): a typical scenario, a
//! large one, and a series showing cost grows linearly with statements.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test and benchmark code: a failure should stop the run loudly"
)]

mod common;

use criterion::measurement::Measurement;
use criterion::{BenchmarkId, Criterion, Throughput};
use iam_engine::evaluate;

fn typical<M: Measurement + 'static>(c: &mut Criterion<M>) {
    let scenario = common::typical_scenario();
    let statements: usize = scenario
        .policies
        .iter()
        .filter_map(|p| p.parsed.policy.as_ref())
        .map(|p| p.statements.len())
        .sum();
    let conditions: usize = scenario
        .policies
        .iter()
        .filter_map(|p| p.parsed.policy.as_ref())
        .flat_map(|p| &p.statements)
        .map(|s| s.conditions.len())
        .sum();
    let evaluation = evaluate(&scenario).expect("the typical scenario is valid");
    assert!(!evaluation.summary.is_empty());
    c.bench_function(
        &format!(
            "evaluate typical ({} policies, {statements} statements, {conditions} conditions)",
            scenario.policies.len()
        ),
        |b| b.iter(|| evaluate(std::hint::black_box(&scenario))),
    );
    // The same, then every statement's trace read out and the whole
    // evaluation written as JSON (what the CLI and the JS API return): the
    // cost of the full explanation on top of the decision.
    c.bench_function("evaluate typical, then its whole trace as JSON", |b| {
        b.iter(|| {
            let evaluation = evaluate(std::hint::black_box(&scenario)).expect("valid");
            serde_json::to_string(&evaluation).expect("serializes")
        })
    });
}

fn large<M: Measurement + 'static>(c: &mut Criterion<M>) {
    let scenario = common::scenario(1_000, 20, 2);
    assert!(evaluate(&scenario).is_ok());
    let mut group = c.benchmark_group("evaluate large");
    group.sample_size(20);
    group.bench_function("1000 policies x 20 statements", |b| {
        b.iter(|| evaluate(std::hint::black_box(&scenario)))
    });
    group.finish();
}

fn series<M: Measurement + 'static>(c: &mut Criterion<M>) {
    let mut group = c.benchmark_group("evaluate series");
    group.sample_size(20);
    for statements in [100usize, 1_000, 10_000, 20_000] {
        let scenario = common::scenario(statements / 20, 20, 2);
        group.throughput(Throughput::Elements(statements as u64));
        group.bench_with_input(
            BenchmarkId::from_parameter(statements),
            &scenario,
            |b, s| b.iter(|| evaluate(std::hint::black_box(s))),
        );
    }
    group.finish();
}

fn run<M: Measurement + 'static>(c: &mut Criterion<M>) {
    typical(c);
    large(c);
    series(c);
}

fn main() {
    common::run_benches(run, run);
}
