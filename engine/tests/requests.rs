//! Malformed `requests` and `matrix` entries: every `tests/requests/*.json`
//! case is one named test holding a scenario (as an array of lines) and the
//! errors reading it (and expanding its requests without a catalogue) must
//! give, each with its exact line, column, code and a fragment of its
//! message. Every error reported must be expected.
//!
//! Run one case: `cargo test -p iam-engine --test requests -- bad-action`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: a failure should stop the run loudly"
)]

mod common;

use common::{json_files, repo_root};

use std::path::Path;

use iam_engine::suite::expand;
use iam_engine::{Diagnostic, Scenario};
use libtest_mimic::{Arguments, Failed, Trial};
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    #[allow(dead_code, reason = "documents the case")]
    name: String,
    text: Vec<String>,
    expect: Vec<Expected>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Expected {
    line: u32,
    column: u32,
    severity: String,
    code: String,
    message: String,
}

impl Expected {
    fn matches(&self, d: &Diagnostic) -> bool {
        d.line == self.line
            && d.column == self.column
            && d.severity.to_string() == self.severity
            && d.code == self.code
            && d.message.contains(&self.message)
    }
}

fn check(path: &Path) -> Result<(), Failed> {
    let case: Case =
        serde_json::from_str(&std::fs::read_to_string(path).map_err(|e| e.to_string())?)
            .map_err(|e| format!("not a case: {e}"))?;
    let text = case.text.join("\n");
    let parsed = Scenario::parse(&text);
    let mut found: Vec<Diagnostic> = parsed.diagnostics.clone();
    if let Some(scenario) = &parsed.scenario {
        if let Err(errors) = expand(scenario, None) {
            found.extend(errors);
        }
    }
    let show = |ds: &[Diagnostic]| {
        ds.iter()
            .map(|d| {
                format!(
                    "{}:{}: {} {}: {}",
                    d.line, d.column, d.severity, d.code, d.message
                )
            })
            .collect::<Vec<_>>()
            .join("\n  ")
    };
    for e in &case.expect {
        if !found.iter().any(|d| e.matches(d)) {
            return Err(format!(
                "expected {}:{}: {} {}: {}\nfound\n  {}",
                e.line,
                e.column,
                e.severity,
                e.code,
                e.message,
                show(&found)
            )
            .into());
        }
    }
    let unexpected: Vec<Diagnostic> = found
        .iter()
        .filter(|d| d.is_error() && !case.expect.iter().any(|e| e.matches(d)))
        .cloned()
        .collect();
    if !unexpected.is_empty() {
        return Err(format!("unexpected errors:\n  {}", show(&unexpected)).into());
    }
    Ok(())
}

fn main() {
    let args = Arguments::from_args();
    let base = repo_root().join("tests/requests");
    let mut files = Vec::new();
    json_files(&base, &mut files);
    assert!(
        files.len() >= 6,
        "tests/requests has only {} cases",
        files.len()
    );
    let tests = files
        .into_iter()
        .map(|path| {
            let name = path.file_stem().unwrap().to_string_lossy().into_owned();
            Trial::test(format!("requests/{name}"), move || check(&path))
        })
        .collect();
    libtest_mimic::run(&args, tests).exit();
}
