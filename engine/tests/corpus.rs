//! The conformance corpus: every `tests/corpus/**/*.json` scenario is one
//! named test that must reach its expected decision (and determining
//! statements, where the case names them). Also: every AWS documentation
//! example policy under `tests/policies/aws-docs` parses without error.
//!
//! Run one case: `cargo test -p iam-engine --test corpus -- conditions/ip/`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test and benchmark code: a failure should stop the run loudly"
)]

mod common;

use common::{json_files, repo_root};

use std::path::Path;

use iam_engine::suite::{expand, PolicySet, SuiteReport};
use iam_engine::{evaluate, PolicyType, Scenario};
use libtest_mimic::{Arguments, Failed, Trial};

fn check_scenario(path: &Path) -> Result<(), Failed> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read: {e}"))?;
    let parsed = Scenario::parse(&text);
    let has_errors = parsed.has_errors();
    let Some(scenario) = parsed.scenario.filter(|_| !has_errors) else {
        let errors: Vec<String> = parsed
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .map(|d| d.to_string())
            .collect();
        return Err(format!("scenario does not parse:\n  {}", errors.join("\n  ")).into());
    };
    let rule = scenario.rule.as_deref().unwrap_or("");
    if rule.trim().is_empty() {
        return Err("the case names no `rule`".into());
    }
    if !scenario.requests.is_empty() {
        return check_suite(&scenario);
    }
    let expect = scenario.expect.as_ref().ok_or("the case has no `expect`")?;
    let evaluation = evaluate(&scenario).map_err(|e| e.to_string())?;
    // The many-requests path decides alike and explains byte for byte alike.
    let set = PolicySet::prepare(&scenario).map_err(|e| e.to_string())?;
    let verdict = set
        .decide(&scenario.request)
        .map_err(|e| format!("{e:?}"))?;
    if (verdict.decision, &verdict.determining) != (evaluation.decision, &evaluation.determining) {
        return Err(format!(
            "PolicySet::decide differs from evaluate: {verdict:?} vs {} {:?}",
            evaluation.decision, evaluation.determining
        )
        .into());
    }
    let explained = set.explain(&scenario.request).map_err(|e| e.to_string())?;
    if serde_json::to_string(&explained).ok() != serde_json::to_string(&evaluation).ok() {
        return Err("PolicySet::explain differs from evaluate".into());
    }
    // `Deny` is either kind of deny.
    let decision_ok = match expect.decision.as_str() {
        "Deny" => evaluation.decision != iam_engine::Decision::Allow,
        want => evaluation.decision.as_str() == want,
    };
    if !decision_ok {
        return Err(format!(
            "expected {}, got {}\n  rule: {rule}\n  summary: {}",
            expect.decision, evaluation.decision, evaluation.summary
        )
        .into());
    }
    if let Some(determining) = &expect.determining {
        let mut want: Vec<(String, String)> = determining
            .iter()
            .map(|d| (d.policy.clone(), d.statement.clone()))
            .collect();
        let mut got: Vec<(String, String)> = evaluation
            .determining
            .iter()
            .map(|d| (d.policy.to_string(), d.statement.to_string()))
            .collect();
        want.sort();
        got.sort();
        if want != got {
            return Err(format!("determining statements differ\n  expected {want:?}\n  got      {got:?}\n  summary: {}", evaluation.summary).into());
        }
    }
    if let Some(notes) = &expect.notes {
        let got: Vec<&str> = evaluation.notes.iter().map(|n| n.code).collect();
        for code in notes {
            if !got.contains(&code.as_str()) {
                return Err(format!(
                    "the explanation lacks note `{code}`\n  notes: {got:?}\n  summary: {}",
                    evaluation.summary
                )
                .into());
            }
        }
    }
    Ok(())
}

/// A scenario with `requests` or `matrix`: every request expects something,
/// and meets it.
fn check_suite(scenario: &Scenario) -> Result<(), Failed> {
    let set = PolicySet::prepare(scenario).map_err(|e| e.to_string())?;
    // Wildcard actions expand through AWS's catalogue, as `iam-eval test`
    // does; loaded only for the suites that have one.
    let wildcards = scenario
        .requests
        .cases
        .iter()
        .map(|c| c.request.action.as_str())
        .chain(
            scenario
                .requests
                .matrices
                .iter()
                .flat_map(|m| m.actions.iter().map(|a| a.text.as_str())),
        )
        .any(|a| iam_engine::scenario::is_wildcard_action(a.trim()));
    let catalog = if wildcards {
        Some(iam_engine::Catalog::bundled().map_err(|e| e.to_string())?)
    } else {
        None
    };
    let vocabulary = catalog
        .as_ref()
        .map(|c| c as &dyn iam_engine::suite::Vocabulary);
    let cases = expand(scenario, vocabulary).map_err(|e| format!("{e:?}"))?;
    let mut verdicts = Vec::with_capacity(cases.len());
    for case in &cases {
        if case.expect.is_none() {
            return Err(format!("the request `{}` has no `expect`", case.label()).into());
        }
        verdicts.push(set.decide(&case.request).map_err(|e| format!("{e:?}"))?);
    }
    let report = SuiteReport::new(&cases, &verdicts);
    match report.failures.first() {
        None => Ok(()),
        Some(f) => Err(format!(
            "{} of {} requests fail; the first: `{}` expected {:?}, got {} {:?}",
            report.failures.len(),
            report.total,
            f.case.label(),
            f.case.expect,
            f.verdict.decision,
            f.verdict.determining
        )
        .into()),
    }
}

fn check_doc_policy(path: &Path) -> Result<(), Failed> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read: {e}"))?;
    let wrapper: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| format!("not JSON: {e}"))?;
    let policy_type = wrapper
        .get("type")
        .and_then(|t| t.as_str())
        .and_then(PolicyType::parse)
        .ok_or("the file has no valid `type`")?;
    let document = wrapper
        .get("document")
        .ok_or("the file has no `document`")?;
    let document = serde_json::to_string_pretty(document).map_err(|e| e.to_string())?;
    let parsed = iam_engine::parse::parse_policy(&document, policy_type);
    let errors: Vec<String> = parsed
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.to_string())
        .collect();
    if errors.is_empty() && parsed.policy.is_some() {
        Ok(())
    } else {
        Err(format!("AWS's example does not parse:\n  {}", errors.join("\n  ")).into())
    }
}

fn trials(dir: &str, check: fn(&Path) -> Result<(), Failed>) -> Vec<Trial> {
    let base = repo_root().join(dir);
    let mut files = Vec::new();
    json_files(&base, &mut files);
    files
        .into_iter()
        .map(|path| {
            let name = path
                .strip_prefix(&base)
                .unwrap_or(&path)
                .with_extension("")
                .to_string_lossy()
                .into_owned();
            Trial::test(format!("{dir}/{name}"), move || check(&path))
        })
        .collect()
}

fn main() {
    let args = Arguments::from_args();
    let mut tests = trials("tests/corpus", check_scenario);
    let scenario_count = tests.len();
    tests.extend(trials("tests/policies/aws-docs", check_doc_policy));
    assert!(
        scenario_count >= 250,
        "the corpus has {scenario_count} scenarios; at least 250 are required"
    );
    libtest_mimic::run(&args, tests).exit();
}
