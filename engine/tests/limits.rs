//! The input limits (`iam_engine::limits`, README "Limits") at their
//! boundaries: in the engine (a policy, a scenario, a policy embedded in a
//! scenario, nesting) and in `iam-eval` (a file, standard input, an endless
//! input, a batch). Each input at the limit is read; one byte or one level
//! more gets a `too-large` or `too-deep` error that says the limit, the
//! input's size and what to do.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: a failure should stop the run loudly"
)]

use std::io::Write;
use std::process::{Command, Stdio};

use iam_engine::limits::{MAX_DEPTH, MAX_POLICY_BYTES, MAX_SCENARIO_BYTES, MAX_SCENARIO_DEPTH};
use iam_engine::parse::parse_policy;
use iam_engine::{Diagnostic, PolicyType, Scenario};

const POLICY: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"#;

/// `text` padded with trailing spaces to exactly `size` bytes.
fn padded(text: &str, size: usize) -> String {
    assert!(text.len() <= size);
    format!("{text}{}", " ".repeat(size - text.len()))
}

/// `POLICY` padded with spaces before its closing `}` to exactly `size`
/// bytes (so the padding is inside the document's own text).
fn padded_inside(size: usize) -> String {
    let body = POLICY.strip_suffix('}').unwrap();
    format!("{body}{}}}", " ".repeat(size - POLICY.len()))
}

fn codes(diagnostics: &[Diagnostic]) -> Vec<&'static str> {
    diagnostics.iter().map(|d| d.code).collect()
}

/// A scenario with one identity policy whose `document` is `document` (a
/// JSON value as text) and padding to `size` bytes when given.
fn scenario(document: &str, size: Option<usize>) -> String {
    let text = format!(
        r#"{{"policies": [{{"name": "P", "type": "identity", "document": {document}}}], "request": {{"principal": "arn:aws:iam::111122223333:user/alice", "action": "s3:GetObject", "resource": "arn:aws:s3:::b/k"}}}}"#
    );
    match size {
        Some(size) => padded(&text, size),
        None => text,
    }
}

/// A policy document nested `levels` deep: the policy object, then arrays
/// under an `Id` (a type error, but not a nesting error).
fn nested_policy(levels: usize) -> String {
    format!(
        r#"{{"Version":"2012-10-17","Statement":[],"Id":{}"x"{}}}"#,
        "[".repeat(levels - 1),
        "]".repeat(levels - 1)
    )
}

#[test]
fn a_policy_at_the_size_limit_is_read_and_one_byte_more_is_refused() {
    let at = padded(POLICY, MAX_POLICY_BYTES);
    let parsed = parse_policy(&at, PolicyType::Identity);
    assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);

    let over = padded(POLICY, MAX_POLICY_BYTES + 1);
    let parsed = parse_policy(&over, PolicyType::Identity);
    assert_eq!(codes(&parsed.diagnostics), ["too-large"]);
    let d = &parsed.diagnostics[0];
    assert_eq!(
        d.message,
        "the policy is 1,048,577 bytes, over the limit of 1 MiB (1,048,576 bytes)"
    );
    assert_eq!(
        d.help.as_deref(),
        Some("AWS's own quotas are 2 to 20 KB per policy; split it into several policies")
    );
    assert_eq!((d.line, d.column), (1, 1));
}

#[test]
fn a_scenario_at_the_size_limit_is_read_and_one_byte_more_is_refused() {
    let at = scenario(POLICY, Some(MAX_SCENARIO_BYTES));
    let evaluation = iam_engine::ffi::evaluate_scenario_text(&at).unwrap();
    assert_eq!(evaluation.decision, iam_engine::Decision::Allow);

    let over = scenario(POLICY, Some(MAX_SCENARIO_BYTES + 1));
    let parsed = Scenario::parse(&over);
    assert!(parsed.scenario.is_none());
    assert_eq!(codes(&parsed.diagnostics), ["too-large"]);
    assert_eq!(
        parsed.diagnostics[0].message,
        "the scenario is 4,194,305 bytes, over the limit of 4 MiB (4,194,304 bytes)"
    );
    assert!(parsed.diagnostics[0]
        .help
        .as_deref()
        .unwrap()
        .contains("split it into several scenarios"));
}

#[test]
fn an_embedded_policy_has_the_same_size_limit_as_a_policy_text() {
    // As an object in the scenario: the policy's own text is what counts.
    let at = scenario(&padded_inside(MAX_POLICY_BYTES), None);
    let parsed = Scenario::parse(&at);
    assert!(!parsed.has_errors(), "{:?}", codes(&parsed.diagnostics));

    let over = scenario(&padded_inside(MAX_POLICY_BYTES + 1), None);
    let parsed = Scenario::parse(&over);
    assert_eq!(codes(&parsed.diagnostics), ["too-large"]);
    assert_eq!(parsed.diagnostics[0].policy.as_deref(), Some("P"));
    assert!(parsed.diagnostics[0].message.contains("1,048,577 bytes"));

    // As a string: the same.
    let text = serde_json::to_string(&padded(POLICY, MAX_POLICY_BYTES + 1)).unwrap();
    let parsed = Scenario::parse(&scenario(&text, None));
    assert_eq!(codes(&parsed.diagnostics), ["too-large"]);
}

#[test]
fn nesting_is_limited_alike_for_a_policy_alone_and_inside_a_scenario() {
    let at = nested_policy(MAX_DEPTH);
    let parsed = parse_policy(&at, PolicyType::Identity);
    assert!(
        !codes(&parsed.diagnostics).contains(&"too-deep"),
        "{:?}",
        parsed.diagnostics
    );
    // Embedded as an object, a policy at the limit still fits.
    let parsed = Scenario::parse(&scenario(&at, None));
    assert!(parsed.scenario.is_some(), "{:?}", parsed.diagnostics);
    assert!(!codes(&parsed.diagnostics).contains(&"too-deep"));

    let over = nested_policy(MAX_DEPTH + 1);
    let parsed = parse_policy(&over, PolicyType::Identity);
    assert_eq!(codes(&parsed.diagnostics), ["too-deep"]);
    assert_eq!(
        parsed.diagnostics[0].message,
        "the document is nested more than 64 levels deep, the limit"
    );
    let parsed = Scenario::parse(&scenario(&over, None));
    assert_eq!(codes(&parsed.diagnostics), ["too-deep"]);
    assert_eq!(
        parsed.diagnostics[0].message,
        format!("the scenario is nested more than {MAX_SCENARIO_DEPTH} levels deep, the limit (64 for a policy document, plus 3 for the scenario around it)")
    );
    // As a string, the policy's own limit applies.
    let text = serde_json::to_string(&over).unwrap();
    let parsed = Scenario::parse(&scenario(&text, None));
    assert_eq!(codes(&parsed.diagnostics), ["too-deep"]);
    assert_eq!(parsed.diagnostics[0].policy.as_deref(), Some("P"));
}

#[test]
fn a_message_quoting_a_megabyte_value_stays_readable() {
    // A Resource of almost a megabyte that is not an ARN: the error points
    // at all of it, and its message shows the value's start and end.
    let value = format!("arn:aws{}END", "x".repeat(MAX_POLICY_BYTES - 200));
    let policy = POLICY.replace(r#""Resource":"*""#, &format!(r#""Resource":"{value}""#));
    let parsed = parse_policy(&policy, PolicyType::Identity);
    let error = parsed
        .diagnostics
        .iter()
        .find(|d| d.is_error())
        .expect("an error about the resource");
    assert_eq!(
        (error.span.end - error.span.start) as usize,
        value.len() + 2
    );
    assert!(error.message.len() < 400, "{} bytes", error.message.len());
    assert!(
        error.message.starts_with("`arn:awsxxx"),
        "{}",
        error.message
    );
    assert!(error.message.contains("xxx…xxx"), "{}", error.message);
    assert!(error.message.contains("xEND`"), "{}", error.message);
}

fn iam_eval(args: &[&str], stdin: Option<&[u8]>) -> std::process::Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_iam-eval"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut pipe = child.stdin.take().unwrap();
    let input = stdin.map(<[u8]>::to_vec);
    // The program may stop reading early (that is the point): ignore EPIPE.
    let writer = std::thread::spawn(move || {
        if let Some(input) = input {
            let _ = pipe.write_all(&input);
        }
    });
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    out
}

fn temp_file(name: &str, text: &str) -> std::path::PathBuf {
    let path = std::env::temp_dir().join(format!("iam-limits-{}-{name}", std::process::id()));
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn the_cli_says_the_limit_and_the_size() {
    let at = temp_file("at.json", &scenario(POLICY, Some(MAX_SCENARIO_BYTES)));
    let out = iam_eval(&["--expect", "Allow", at.to_str().unwrap()], None);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let over = temp_file("over.json", &scenario(POLICY, Some(MAX_SCENARIO_BYTES + 1)));
    let out = iam_eval(&[over.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("the scenario is 4,194,305 bytes, over the limit of 4 MiB (4,194,304 bytes) (help: a scenario holds"),
        "{err}"
    );
    // On standard input the size is not known: it stops reading at the limit.
    let out = iam_eval(
        &["-"],
        Some(scenario(POLICY, Some(MAX_SCENARIO_BYTES + 1)).as_bytes()),
    );
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("the scenario is more than 4,194,304 bytes, over the limit of 4 MiB"),
        "{err}"
    );
    // An endless input ends.
    if std::path::Path::new("/dev/zero").exists() {
        let out = iam_eval(&["/dev/zero"], None);
        assert_eq!(out.status.code(), Some(2));
        assert!(String::from_utf8_lossy(&out.stderr).contains("over the limit"));
    }
    // A policy over its limit, reported like any diagnostic.
    let big_policy = temp_file(
        "policy.json",
        &scenario(&padded_inside(MAX_POLICY_BYTES + 1), None),
    );
    let out = iam_eval(&[big_policy.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    // Located at the start of the policy's document in the file.
    let column = scenario(POLICY, None).find("{\"Version\"").unwrap() + 1;
    assert!(
        err.starts_with(&format!(
            "P:1:{column}: error: the policy is 1,048,577 bytes, over the limit of 1 MiB"
        )),
        "{err}"
    );
    for path in [at, over, big_policy] {
        let _ = std::fs::remove_file(path);
    }
}

#[test]
fn a_batch_reads_scenarios_nested_to_their_limit() {
    let deep = scenario(&nested_policy(MAX_DEPTH), None);
    let batch = format!("[{deep}, {deep}]");
    let out = iam_eval(&["--batch", "-"], Some(batch.as_bytes()));
    let stdout = String::from_utf8_lossy(&out.stdout);
    // The policy's `Id` is not a string: invalid, but read, not refused.
    assert_eq!(stdout.lines().count(), 2, "{stdout}");
    assert!(!String::from_utf8_lossy(&out.stderr).contains("too-deep"));
    assert!(!String::from_utf8_lossy(&out.stderr).contains("nested more than"));
}
