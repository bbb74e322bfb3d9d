//! The account corpus: `tests/account/cases/*.json`, each a principal of
//! the account files under `tests/account/files/` (written by the seeded
//! generator, `iam_engine::account::generate`), a request, the policies to
//! switch off, and the expected decision, policies and missing policies.
//!
//! A case:
//! ```json
//! { "name": "…", "rule": "…", "files": ["seed-7.json"],
//!   "principal": "arn:aws:iam::111122223333:user/alice", "session": "optional",
//!   "request": { "action": "s3:PutObject", "resource": "arn:aws:s3:::dev-bucket/a",
//!                "context": { "aws:ResourceTag/project": "apollo" } },
//!   "switch_off": ["DenyDeletes"],
//!   "expect": { "decision": "Allow", "policies": ["…"], "missing": ["ReadOnlyAccess"],
//!               "determining": ["DeveloperAccess"] } }
//! ```
//! Run one: `cargo test -p iam-engine --test account -- alice`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: a failure should stop the run loudly"
)]

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::{json_files, repo_root};
use iam_engine::account::{generate::generate, read_account, ImportOptions};
use iam_engine::request::ContextValue;
use iam_engine::{evaluate, Decision};
use libtest_mimic::{Arguments, Failed, Trial};
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    rule: String,
    files: Vec<String>,
    principal: String,
    #[serde(default)]
    session: Option<String>,
    request: Request,
    #[serde(default)]
    switch_off: Vec<String>,
    expect: Expect,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Request {
    action: String,
    resource: String,
    #[serde(default)]
    context: BTreeMap<String, String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    decision: String,
    #[serde(default)]
    policies: Option<Vec<String>>,
    #[serde(default)]
    missing: Vec<String>,
    #[serde(default)]
    determining: Option<Vec<String>>,
}

fn check(path: &Path) -> Result<(), Failed> {
    let case: Case = serde_json::from_str(&std::fs::read_to_string(path)?)
        .map_err(|e| format!("not a case: {e}"))?;
    if case.rule.trim().is_empty() || case.name.trim().is_empty() {
        return Err("the case needs a `name` and a `rule`".into());
    }
    let dir = repo_root().join("tests/account/files");
    let files: Vec<(String, String)> = case
        .files
        .iter()
        .map(|f| Ok((f.clone(), std::fs::read_to_string(dir.join(f))?)))
        .collect::<Result<_, std::io::Error>>()?;
    let read = read_account(&files);
    if read.has_errors() {
        return Err(format!("the files do not read: {:?}", read.diagnostics).into());
    }
    let options = ImportOptions {
        session: case.session.clone(),
        action: Some(case.request.action.clone()),
        resource: Some(case.request.resource.clone()),
    };
    let imported = read
        .account
        .import(&case.principal, &options)
        .map_err(|d| d.to_string())?;
    let mut scenario = imported.scenario;
    let names: Vec<String> = scenario.policies.iter().map(|p| p.name.clone()).collect();
    if let Some(want) = &case.expect.policies {
        if *want != names {
            return Err(
                format!("policies differ\n  expected {want:?}\n  got      {names:?}").into(),
            );
        }
    }
    let missing: Vec<String> = imported.missing.iter().map(|m| m.name.clone()).collect();
    if missing != case.expect.missing {
        return Err(format!(
            "missing policies differ\n  expected {:?}\n  got      {missing:?}",
            case.expect.missing
        )
        .into());
    }
    for name in &case.switch_off {
        let policy = scenario
            .policies
            .iter_mut()
            .find(|p| &p.name == name)
            .ok_or_else(|| {
                format!("no policy `{name}` to switch off; the policies are {names:?}")
            })?;
        policy.enabled = false;
    }
    for (key, value) in &case.request.context {
        scenario
            .request
            .context
            .push((key.clone(), ContextValue::string(value.as_str())));
    }
    let evaluation = evaluate(&scenario).map_err(|e| e.to_string())?;
    let want = Decision::parse(&case.expect.decision).ok_or("unknown expected decision")?;
    if evaluation.decision != want {
        return Err(format!(
            "expected {}, got {}\n  rule: {}\n  summary: {}",
            case.expect.decision, evaluation.decision, case.rule, evaluation.summary
        )
        .into());
    }
    if let Some(want) = &case.expect.determining {
        let mut got: Vec<String> = evaluation
            .determining
            .iter()
            .map(|d| d.policy.to_string())
            .collect();
        got.dedup();
        if *want != got {
            return Err(format!(
                "determining policies differ\n  expected {want:?}\n  got      {got:?}"
            )
            .into());
        }
    }
    Ok(())
}

/// The committed files are exactly what the generator writes.
fn check_generated(path: &Path) -> Result<(), Failed> {
    let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
    let Some(seed) = stem
        .strip_prefix("seed-")
        .and_then(|s| s.parse::<u64>().ok())
    else {
        return Ok(());
    };
    let text = std::fs::read_to_string(path)?;
    if generate(seed, 30_000) != text {
        return Err(format!("{stem}.json is not what the generator writes for seed {seed}: regenerate it with `cargo run -p iam-engine --example gen_account -- {seed} 30000`").into());
    }
    Ok(())
}

fn main() {
    let args = Arguments::from_args();
    let mut tests = Vec::new();
    for (dir, check) in [
        (
            "tests/account/cases",
            check as fn(&Path) -> Result<(), Failed>,
        ),
        ("tests/account/files", check_generated),
    ] {
        let base = repo_root().join(dir);
        let mut files = Vec::new();
        json_files(&base, &mut files);
        for path in files {
            let name = path.file_stem().unwrap().to_string_lossy().into_owned();
            tests.push(Trial::test(format!("{dir}/{name}"), move || check(&path)));
        }
    }
    assert!(
        tests.len() >= 12,
        "the account corpus has {} cases",
        tests.len()
    );
    libtest_mimic::run(&args, tests).exit();
}
