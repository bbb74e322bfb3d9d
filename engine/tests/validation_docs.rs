//! `docs/validation.md` against the corpora: every Access Analyzer issue
//! code a corpus case expects is listed in the document, with the finding
//! code the case expects; and every finding code the document gives for an
//! Access Analyzer check has a corpus case (`tests/validation/` or
//! `tests/diagnostics/`) that pins its line, column and severity.

#![allow(
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: a failure should stop the run loudly"
)]

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::{json_files, repo_root};

/// The document's table rows: issue code → the finding codes named in its
/// "ours" column (empty for a check we skip).
fn documented() -> BTreeMap<String, BTreeSet<String>> {
    let text = std::fs::read_to_string(repo_root().join("docs/validation.md"))
        .expect("docs/validation.md");
    let mut rows = BTreeMap::new();
    for line in text.lines() {
        let Some(rest) = line.strip_prefix("| [") else {
            continue;
        };
        let Some((code, rest)) = rest.split_once(']') else {
            continue;
        };
        let ours = rest.split('|').nth(1).unwrap_or_default();
        let findings = ours
            .split('`')
            .skip(1)
            .step_by(2)
            .filter(|c| {
                c.chars()
                    .all(|ch| ch.is_ascii_lowercase() || ch == '-' || ch.is_ascii_digit())
            })
            .map(str::to_owned)
            .collect();
        rows.insert(code.to_owned(), findings);
    }
    rows
}

/// `(finding code, issue code)` of every expectation of both corpora.
fn expected() -> Vec<(String, Option<String>, String)> {
    let mut files = Vec::new();
    json_files(&repo_root().join("tests/validation"), &mut files);
    json_files(&repo_root().join("tests/diagnostics"), &mut files);
    let mut out = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).expect("a corpus file");
        let case: serde_json::Value = serde_json::from_str(&text).expect("corpus JSON");
        for e in case["expect"].as_array().into_iter().flatten() {
            let code = e["code"].as_str().unwrap_or_default().to_owned();
            let aws = e["aws_issue_code"].as_str().map(str::to_owned);
            out.push((code, aws, file.display().to_string()));
        }
    }
    out
}

#[test]
fn the_document_lists_every_page_code_once() {
    let rows = documented();
    // The page's 153 distinct issue codes (docs/validation.md, "Every
    // check on the page").
    assert_eq!(rows.len(), 153, "{:?}", rows.keys());
}

#[test]
fn every_issue_code_a_case_expects_is_documented_with_its_finding() {
    let rows = documented();
    let mut wrong = Vec::new();
    for (code, aws, file) in expected() {
        let Some(aws) = aws else { continue };
        // Not on the current page (see the document's source paragraph).
        if aws == "UNSUPPORTED_SYMBOL_IN_VARIABLE" {
            continue;
        }
        match rows.get(&aws) {
            Some(ours) if ours.contains(&code) => {}
            Some(ours) => wrong.push(format!(
                "{file}: {aws} is documented as {ours:?}, the case expects `{code}`"
            )),
            None => wrong.push(format!("{file}: {aws} is not in docs/validation.md")),
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn every_documented_finding_has_a_corpus_case() {
    let cased: BTreeSet<String> = expected().into_iter().map(|(code, _, _)| code).collect();
    let missing: BTreeSet<String> = documented()
        .into_values()
        .flatten()
        .filter(|code| !cased.contains(code))
        .collect();
    assert!(
        missing.is_empty(),
        "finding codes in docs/validation.md without a case in tests/validation or tests/diagnostics: {missing:?}"
    );
}
