//! The diagnostics corpus: every `tests/diagnostics/**/*.json` case is one
//! named test. A case holds a policy (as an array of lines) and the
//! diagnostics the parser must report for it: each with its exact line,
//! column, severity and code, and fragments of its message and help. Every
//! error the parser reports must be expected; warnings that are not listed
//! are allowed only when the case sets `"other_warnings": true`.
//!
//! Run one case: `cargo test -p iam-engine --test diagnostics -- effect/`.

mod common;

use common::{json_files, repo_root};

use std::path::Path;

use iam_engine::parse::parse_policy;
use iam_engine::{Diagnostic, PolicyType};
use libtest_mimic::{Arguments, Failed, Trial};
use serde::Deserialize;

/// Fewer cases than this means files went missing.
const MIN_CASES: usize = 60;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    #[serde(rename = "type")]
    policy_type: String,
    text: Vec<String>,
    expect: Vec<Expected>,
    #[serde(default)]
    other_warnings: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Expected {
    line: u32,
    column: u32,
    severity: String,
    code: String,
    message: String,
    #[serde(default)]
    help: Option<String>,
}

impl Expected {
    fn matches(&self, d: &Diagnostic) -> bool {
        d.line == self.line
            && d.column == self.column
            && d.severity.to_string() == self.severity
            && d.code == self.code
            && d.message.contains(&self.message)
            && self
                .help
                .as_ref()
                .is_none_or(|h| d.help.as_deref().is_some_and(|dh| dh.contains(h.as_str())))
    }

    fn describe(&self) -> String {
        let help = self
            .help
            .as_ref()
            .map(|h| format!(" (help contains {h:?})"))
            .unwrap_or_default();
        format!(
            "{}:{}: {} [{}] message contains {:?}{help}",
            self.line, self.column, self.severity, self.code, self.message
        )
    }
}

fn describe(d: &Diagnostic) -> String {
    let help = d
        .help
        .as_ref()
        .map(|h| format!("\n      help: {h}"))
        .unwrap_or_default();
    format!(
        "{}:{}: {} [{}] {}{help}",
        d.line, d.column, d.severity, d.code, d.message
    )
}

fn check_case(path: &Path) -> Result<(), Failed> {
    let raw = std::fs::read_to_string(path).map_err(|e| format!("cannot read: {e}"))?;
    let case: Case =
        serde_json::from_str(&raw).map_err(|e| format!("not a diagnostics case: {e}"))?;
    if case.name.trim().is_empty() {
        return Err("the case has no `name`".into());
    }
    let policy_type = PolicyType::parse(&case.policy_type)
        .ok_or_else(|| format!("unknown policy type `{}`", case.policy_type))?;
    if case.expect.is_empty() {
        return Err("the case expects no diagnostics; it belongs in tests/policies".into());
    }
    let text = case.text.join("\n");
    let parsed = parse_policy(&text, policy_type);
    let actual = &parsed.diagnostics;

    let mut problems = Vec::new();
    for expected in &case.expect {
        if !actual.iter().any(|d| expected.matches(d)) {
            problems.push(format!("missing: {}", expected.describe()));
        }
    }
    for d in actual {
        let listed = case.expect.iter().any(|e| e.matches(d));
        if !listed && (d.is_error() || !case.other_warnings) {
            problems.push(format!("not expected: {}", describe(d)));
        }
    }
    if problems.is_empty() {
        return Ok(());
    }
    let reported: Vec<String> = actual.iter().map(describe).collect();
    Err(format!(
        "{}\n  {}\nthe parser reported:\n  {}",
        case.name,
        problems.join("\n  "),
        if reported.is_empty() {
            "nothing".to_owned()
        } else {
            reported.join("\n  ")
        }
    )
    .into())
}

fn main() {
    let args = Arguments::from_args();
    let dir = repo_root().join("tests/diagnostics");
    let mut files = Vec::new();
    json_files(&dir, &mut files);
    let mut tests: Vec<Trial> = files
        .iter()
        .map(|path| {
            let name = path
                .strip_prefix(&dir)
                .unwrap_or(path)
                .with_extension("")
                .to_string_lossy()
                .replace('\\', "/");
            let path = path.clone();
            Trial::test(name, move || check_case(&path))
        })
        .collect();
    let count = files.len();
    tests.push(Trial::test("corpus_has_enough_cases", move || {
        if count >= MIN_CASES {
            Ok(())
        } else {
            Err(format!(
                "found {count} cases under tests/diagnostics; expected at least {MIN_CASES}"
            )
            .into())
        }
    }));
    libtest_mimic::run(&args, tests).exit();
}
