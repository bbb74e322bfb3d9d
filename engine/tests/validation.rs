//! The validation corpus: every `tests/validation/**/*.json` case is one
//! named test. A case holds a policy (as an array of lines), its kind
//! (`identity`, `inline-role`, `role-trust`, `scp`, …) and the findings
//! `validate` must report with the built-in catalogue: each with its exact
//! line, column, severity, code, Access Analyzer issue code, and a fragment
//! of its message. Every finding must be expected unless the case sets
//! `"other_findings": true`. A case may also give the text its quick fix
//! must produce (`"fixed"`, for the finding with that code).
//!
//! Run one case: `cargo test -p iam-engine --test validation -- action/`.

#![allow(
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a failure should stop the run loudly"
)]

mod common;

use std::path::Path;

use common::{json_files, repo_root};

use iam_engine::catalog::Catalog;
use iam_engine::validate::{validate, PolicyKind};
use iam_engine::Diagnostic;
use libtest_mimic::{Arguments, Failed, Trial};
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    #[serde(rename = "type")]
    kind: String,
    text: Vec<String>,
    expect: Vec<Expected>,
    #[serde(default)]
    other_findings: bool,
    #[serde(default)]
    fixed: Option<Fixed>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Fixed {
    code: String,
    text: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Expected {
    line: u32,
    column: u32,
    severity: String,
    code: String,
    aws_issue_code: Option<String>,
    message: String,
}

impl Expected {
    fn matches(&self, d: &Diagnostic) -> bool {
        d.line == self.line
            && d.column == self.column
            && d.severity.as_str() == self.severity
            && d.code == self.code
            && d.aws_issue_code == self.aws_issue_code.as_deref()
            && d.message.contains(&self.message)
    }
}

fn describe(d: &Diagnostic) -> String {
    format!(
        "{}:{}: {}[{}] ({}) {}",
        d.line,
        d.column,
        d.severity,
        d.code,
        d.aws_issue_code.unwrap_or("-"),
        d.message
    )
}

fn check_case(path: &Path, catalog: &Catalog) -> Result<(), Failed> {
    let raw = std::fs::read_to_string(path).map_err(|e| format!("cannot read: {e}"))?;
    let case: Case =
        serde_json::from_str(&raw).map_err(|e| format!("not a validation case: {e}"))?;
    let kind =
        PolicyKind::parse(&case.kind).ok_or_else(|| format!("unknown kind `{}`", case.kind))?;
    let text = case.text.join("\n");
    let found = validate(&text, kind, Some(catalog));
    let mut problems = Vec::new();
    for e in &case.expect {
        if !found.iter().any(|d| e.matches(d)) {
            problems.push(format!(
                "missing: {}:{}: {}[{}] ({}) message contains {:?}",
                e.line,
                e.column,
                e.severity,
                e.code,
                e.aws_issue_code.as_deref().unwrap_or("-"),
                e.message
            ));
        }
    }
    for d in &found {
        if !case.other_findings && !case.expect.iter().any(|e| e.matches(d)) {
            problems.push(format!("not expected: {}", describe(d)));
        }
    }
    if let Some(fixed) = &case.fixed {
        let want = fixed.text.join("\n");
        let got = found
            .iter()
            .find(|d| d.code == fixed.code)
            .and_then(|d| d.fix.as_ref())
            .and_then(|f| f.apply(&text));
        if got.as_deref() != Some(want.as_str()) {
            problems.push(format!(
                "the `{}` fix gives {got:?}, expected {want:?}",
                fixed.code
            ));
        }
    }
    if problems.is_empty() {
        return Ok(());
    }
    let reported: Vec<String> = found.iter().map(describe).collect();
    Err(format!(
        "{}\n  {}\nvalidate reported:\n  {}",
        case.name,
        problems.join("\n  "),
        reported.join("\n  ")
    )
    .into())
}

fn main() {
    let args = Arguments::from_args();
    let catalog = std::sync::Arc::new(Catalog::bundled().expect("the bundled catalogue decodes"));
    let dir = repo_root().join("tests/validation");
    let mut files = Vec::new();
    json_files(&dir, &mut files);
    let tests: Vec<Trial> = files
        .iter()
        .map(|path| {
            let name = path
                .strip_prefix(&dir)
                .unwrap_or(path)
                .with_extension("")
                .to_string_lossy()
                .replace('\\', "/");
            let path = path.clone();
            let catalog = catalog.clone();
            Trial::test(name, move || check_case(&path, &catalog))
        })
        .collect();
    libtest_mimic::run(&args, tests).exit();
}
