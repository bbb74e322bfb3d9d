//! The JavaScript API's JSON writer (`iam_engine::json::write`) writes
//! every answer byte for byte as `serde_json::to_string` does (what the
//! package returned before, and what the CLI prints): every JSON file of
//! the repository's tests is evaluated, decided as a list, validated as a
//! policy (with and without the catalogue) and, for account files, listed,
//! imported and asked "who can", and each answer is written both ways.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: a failure should stop the run loudly"
)]

use std::path::{Path, PathBuf};

use iam_engine::ffi::account::{import_account, list_account_principals, who_can};
use iam_engine::ffi::{
    evaluate_many_text, evaluate_scenario_text, explain_request_text, validate_policy_text, Answer,
};
use iam_engine::json::write::to_json_string;
use iam_engine::Catalog;
use serde::Serialize;

fn json_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("a test directory")
        .map(|e| e.expect("an entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            json_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "json") {
            out.push(path);
        }
    }
}

#[track_caller]
fn same<T: Serialize>(value: &T, what: &str, count: &mut usize) {
    let ours = to_json_string(value).expect("our writer writes every answer");
    let theirs = serde_json::to_string(value).expect("serde_json writes every answer");
    assert!(ours == theirs, "{what}: the writers differ");
    *count += 1;
}

#[test]
fn every_answer_is_written_as_serde_json_writes_it() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests");
    let mut files = Vec::new();
    json_files(&root, &mut files);
    assert!(files.len() > 500, "found only {} files", files.len());
    let catalog_bytes =
        std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("data/catalog.bin"))
            .expect("the catalogue");
    let catalog = Catalog::decode(&catalog_bytes).expect("the catalogue decodes");
    let mut count = 0;
    let mut evaluated = 0;
    let mut imported = 0;
    for path in &files {
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        let what = path.display().to_string();
        let answer = Answer::from(evaluate_scenario_text(&text));
        if matches!(answer, Answer::Evaluated(_)) {
            evaluated += 1;
        }
        same(&answer, &what, &mut count);
        same(&evaluate_many_text(&text, None), &what, &mut count);
        same(
            &evaluate_many_text(&text, Some(&catalog)),
            &what,
            &mut count,
        );
        same(&explain_request_text(&text, 0, None), &what, &mut count);
        same(
            &explain_request_text(&text, 1, Some(&catalog)),
            &what,
            &mut count,
        );
        for (kind, catalog) in [("identity", None), ("resource", Some(&catalog))] {
            match validate_policy_text(&text, kind, catalog) {
                Ok(diagnostics) => same(&diagnostics, &what, &mut count),
                Err(diagnostic) => same(&diagnostic, &what, &mut count),
            }
        }
        if text.contains("UserDetailList") || text.contains("RoleDetailList") {
            let files = [(what.clone(), text.clone())];
            let listing = list_account_principals(&files);
            same(&listing, &what, &mut count);
            let json = serde_json::to_value(&listing).expect("a listing");
            let arns: Vec<String> = json["principals"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|p| p["arn"].as_str().map(str::to_owned))
                .collect();
            for arn in arns.iter().take(20) {
                let answer = import_account(&files, arn, &Default::default());
                same(&answer, &what, &mut count);
                imported += 1;
            }
            let query = serde_json::json!({
                "actions": ["s3:GetObject", "iam:PassRole"],
                "resource": "arn:aws:s3:::bucket/key",
                "context": {"aws:SourceIp": "203.0.113.7", "n": 1.5, "b": true, "l": ["x", 2]},
            });
            same(&who_can(&files, &query.to_string()), &what, &mut count);
            same(&who_can(&files, "7"), &what, &mut count);
        }
    }
    assert!(evaluated > 300, "only {evaluated} scenarios evaluated");
    assert!(imported > 10, "only {imported} principals imported");
    assert!(count > 3000, "only {count} answers compared");
}
