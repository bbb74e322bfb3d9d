//! Reading account files (`get-account-authorization-details`) and
//! importing a principal, and "who can" across every user and role:
//! generated files of 1 MB and 20 MB.
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
use iam_engine::account::{generate::generate, read_account, ImportOptions, WhoCanQuery};

fn reading<M: Measurement + 'static>(c: &mut Criterion<M>) {
    let mut group = c.benchmark_group("account");
    group.sample_size(10);
    for (label, bytes) in [("1 MB", 1_000_000), ("20 MB", 20_000_000)] {
        let text = generate(11, bytes);
        let files = [("details.json", text.as_str())];
        let read = read_account(&files);
        assert!(!read.has_errors());
        let a = &read.account;
        let name = format!(
            "read {label} ({} bytes: {} users, {} groups, {} roles, {} policies)",
            text.len(),
            a.users.len(),
            a.groups.len(),
            a.roles.len(),
            a.policies.len()
        );
        group.bench_function(&name, |b| {
            b.iter(|| read_account(std::hint::black_box(&files)))
        });
        let last = a.users.last().unwrap().arn.clone();
        group.bench_function(format!("import a user of {label} (and evaluate)"), |b| {
            b.iter(|| {
                let imported = a.import(&last, &ImportOptions::default()).unwrap();
                iam_engine::evaluate(&imported.scenario).unwrap()
            })
        });
        let all = a.who_can_all();
        let query = WhoCanQuery {
            actions: vec!["s3:PutObject".to_owned()],
            resource: "arn:aws:s3:::dev-bucket/app.js".to_owned(),
            ..WhoCanQuery::default()
        };
        let answer = a.who_can(&all, &query).unwrap();
        assert_eq!(answer.rows.len(), all.len());
        let name = format!(
            "who can s3:PutObject, {label} ({} users and roles)",
            all.len()
        );
        group.bench_function(&name, |b| {
            b.iter(|| a.who_can(std::hint::black_box(&all), &query).unwrap())
        });
    }
    group.finish();
}

fn run<M: Measurement + 'static>(c: &mut Criterion<M>) {
    reading(c);
}

fn main() {
    common::run_benches(run, run);
}
