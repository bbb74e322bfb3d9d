//! `iam-eval validate`, run as the real binary.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: a failure should stop the run loudly"
)]

use std::io::Write;
use std::process::{Command, Stdio};

const TYPO: &str = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {"Effect": "Allow", "Action": "s3:GetObjcet", "Resource": "arn:aws:s3:::reports/*"}
  ]
}"#;

fn run(args: &[&str], stdin: &str) -> (i32, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_iam-eval"))
        .arg("validate")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn text_is_compiler_style_and_fail_on_sets_the_status() {
    let (status, out, _) = run(&["-"], TYPO);
    assert_eq!(status, 0, "warnings do not fail by default: {out}");
    assert!(
        out.starts_with(
            "<stdin>:4:35: warning[unknown-action]: `s3:GetObjcet` is not an action of `s3`"
        ),
        "{out}"
    );
    assert!(
        out.contains("(help: did you mean `s3:GetObject`?)"),
        "{out}"
    );
    let (status, _, _) = run(&["--fail-on", "warning", "-"], TYPO);
    assert_eq!(status, 1);
    let (status, _, _) = run(&["--fail-on", "security_warning", "-"], TYPO);
    assert_eq!(status, 0);
    let (status, out, _) = run(&["-"], "{\"Statement\": [}");
    assert_eq!(status, 1, "a JSON syntax error is an error: {out}");
}

#[test]
fn json_is_one_object_per_file() {
    let (status, out, _) = run(&["--format", "json", "-"], TYPO);
    assert_eq!(status, 0);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 1);
    let v: serde_json::Value = serde_json::from_str(lines[0]).unwrap();
    assert_eq!(v["file"], "<stdin>");
    let f = &v["findings"][0];
    assert_eq!(f["severity"], "warning");
    assert_eq!(f["code"], "unknown-action");
    assert_eq!(f["aws_issue_code"], "INVALID_ACTION");
    assert_eq!(
        (f["line"].as_u64(), f["column"].as_u64()),
        (Some(4), Some(35))
    );
    let span = &f["span"];
    let (start, end) = (
        span["start"].as_u64().unwrap() as usize,
        span["end"].as_u64().unwrap() as usize,
    );
    assert_eq!(&TYPO[start..end], "\"s3:GetObjcet\"");
    assert!(f["help"].as_str().unwrap().contains("s3:GetObject"));
}

#[test]
fn sarif_has_rules_with_help_uris_and_regions() {
    let (_, out, _) = run(&["--format", "sarif", "-"], TYPO);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["version"], "2.1.0");
    let run = &v["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "iam-eval");
    let rule = &run["tool"]["driver"]["rules"][0];
    assert_eq!(rule["id"], "unknown-action");
    assert!(rule["helpUri"]
        .as_str()
        .unwrap()
        .ends_with("#access-analyzer-reference-policy-checks-error-invalid-action"));
    let result = &run["results"][0];
    assert_eq!(result["ruleId"], "unknown-action");
    assert_eq!(result["level"], "warning");
    let region = &result["locations"][0]["physicalLocation"]["region"];
    assert_eq!(
        (region["startLine"].as_u64(), region["startColumn"].as_u64()),
        (Some(4), Some(35))
    );
}

#[test]
fn scenarios_are_validated_policy_by_policy_and_types_apply() {
    let scenario = format!(
        r#"{{"policies": [{{"name": "Reports", "type": "identity", "document": {TYPO}}}],
  "request": {{"principal": "arn:aws:iam::111122223333:user/alice", "action": "s3:GetObject",
               "resource": "arn:aws:s3:::reports/q3.csv"}}}}"#
    );
    let (_, out, _) = run(&["-"], &scenario);
    assert!(
        out.contains("warning[unknown-action]") && out.contains("(policy `Reports`)"),
        "{out}"
    );
    assert!(
        out.starts_with("<stdin>:4:"),
        "embedded documents point into the file: {out}"
    );
    let trust = r#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}}"#;
    let (status, out, _) = run(&["--type", "role-trust", "-"], trust);
    assert_eq!((status, out.as_str()), (0, ""));
}

#[test]
fn a_scenarios_resource_policy_that_can_only_be_a_trust_policy_is_checked_as_one() {
    let scenario = |document: &str| {
        format!(
            r#"{{"policies": [{{"name": "Trust", "type": "resource", "document": {document}}}],
  "request": {{"principal": "arn:aws:iam::111122223333:root", "action": "sts:AssumeRole",
               "resource": "arn:aws:iam::444455556666:role/Auditor"}}}}"#
        )
    };
    // STS actions only, no `Resource`: a role trust policy.
    let trust = r#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole"}}"#;
    let (_, out, _) = run(&["-"], &scenario(trust));
    assert!(
        out.contains("warning[trust-policy-any-principal]") && out.contains("(policy `Trust`)"),
        "{out}"
    );
    // With `Resource` it may be an STS VPC endpoint's policy: no trust checks.
    let endpoint = r#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole", "Resource": "*"}}"#;
    let (_, out, _) = run(&["-"], &scenario(endpoint));
    assert!(!out.contains("trust-policy"), "{out}");
}

#[test]
fn unreadable_input_and_bad_usage_exit_2() {
    let (status, _, err) = run(&["/nonexistent/policy.json"], "");
    assert_eq!(status, 2);
    assert!(err.contains("cannot read"), "{err}");
    let (status, _, err) = run(&["--type", "trust", "-"], "");
    assert_eq!(status, 2);
    assert!(err.contains("unknown policy type `trust`"), "{err}");
}

#[test]
fn files_saved_with_byte_order_marks_are_named() {
    let dir = std::env::temp_dir().join(format!("iam-eval-bom-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    // UTF-16 (Windows PowerShell 5.1's `>`): unreadable, exit 2.
    let utf16 = dir.join("utf16.json");
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(TYPO.encode_utf16().flat_map(u16::to_le_bytes));
    std::fs::write(&utf16, bytes).unwrap();
    let (status, _, err) = run(&[utf16.to_str().unwrap()], "");
    assert_eq!(status, 2);
    assert!(err.contains("the file is UTF-16"), "{err}");
    // UTF-8 with a byte-order mark: a finding at 1:1 that says so.
    let bom = dir.join("bom.json");
    std::fs::write(&bom, format!("\u{feff}{TYPO}")).unwrap();
    let (status, out, _) = run(&[bom.to_str().unwrap()], "");
    assert_eq!(status, 1);
    assert!(
        out.contains("bom.json:1:1: error[json-syntax]: the text starts with a byte-order mark"),
        "{out}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
