//! Catalogue benchmarks: decoding the committed file (budget 10 ms native)
//! and lookups (O(log n)).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "benchmark code"
)]

mod common;

use std::hint::black_box;

use criterion::measurement::Measurement;
use criterion::Criterion;
use iam_engine::catalog::BUNDLED;
use iam_engine::Catalog;

fn run<M: Measurement + 'static>(c: &mut Criterion<M>) {
    c.bench_function("catalog: decode engine/data/catalog.bin", |b| {
        b.iter(|| Catalog::decode(black_box(BUNDLED)).unwrap())
    });
    let catalog = Catalog::decode(BUNDLED).unwrap();
    c.bench_function("catalog: action `s3:GetObject`", |b| {
        b.iter(|| catalog.action(black_box("s3:GetObject")).unwrap())
    });
    c.bench_function("catalog: action `EC2:describeinstances` (any case)", |b| {
        b.iter(|| catalog.action(black_box("EC2:describeinstances")).unwrap())
    });
    c.bench_function("catalog: action `s3:NoSuchAction` (miss)", |b| {
        b.iter(|| catalog.action(black_box("s3:NoSuchAction")))
    });
    c.bench_function("catalog: condition key `aws:SourceIp`", |b| {
        b.iter(|| catalog.condition_key(black_box("aws:SourceIp")).unwrap())
    });
    c.bench_function(
        "catalog: condition key `aws:PrincipalTag/Department` (template)",
        |b| {
            b.iter(|| {
                catalog
                    .condition_key(black_box("aws:PrincipalTag/Department"))
                    .unwrap()
            })
        },
    );
    c.bench_function("catalog: actions matching `s3:Get*`", |b| {
        b.iter(|| catalog.actions_matching(black_box("s3:Get*")))
    });
    c.bench_function(
        "catalog: actions matching `*:Describe*` (every service)",
        |b| b.iter(|| catalog.actions_matching(black_box("*:Describe*"))),
    );
    c.bench_function("catalog: actions matching `*` (all)", |b| {
        b.iter(|| catalog.actions_matching(black_box("*")))
    });
    c.bench_function("catalog: suggest for `s3:GetObjcet`", |b| {
        b.iter(|| catalog.suggest_action(black_box("s3:GetObjcet")).unwrap())
    });
    c.bench_function(
        "catalog: suggest for `ec2:DescribeInstanse` (large service)",
        |b| {
            b.iter(|| {
                catalog
                    .suggest_action(black_box("ec2:DescribeInstanse"))
                    .unwrap()
            })
        },
    );
}

fn main() {
    common::run_benches(run, run);
}
