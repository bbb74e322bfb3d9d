//! `iam-eval import` end to end: the real binary on generated account files.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: a failure should stop the run loudly"
)]

#[path = "common/run_cli.rs"]
mod run_cli;
use run_cli::run;

fn file(name: &str) -> String {
    format!(
        "{}/../tests/account/files/{name}",
        env!("CARGO_MANIFEST_DIR")
    )
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn writes_a_scenario_that_evaluates() {
    let out = run(
        &[
            "import",
            &file("seed-7.json"),
            "--principal",
            "arn:aws:iam::111122223333:user/bob",
            "--action",
            "s3:PutObject",
            "--resource",
            "arn:aws:s3:::dev-bucket/x",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let scenario = text(&out.stdout);
    let json: serde_json::Value = serde_json::from_str(&scenario).unwrap();
    assert_eq!(json["policies"][0]["name"], "AmazonS3FullAccess");
    assert_eq!(json["policies"][1]["type"], "permissions-boundary");
    assert!(json["policies"][1]["origin"]
        .as_str()
        .unwrap()
        .starts_with("permissions boundary of user bob"));
    assert_eq!(
        text(&out.stderr),
        "warning: `ReadOnlyAccess` (arn:aws:iam::aws:policy/ReadOnlyAccess) is left out: not in the file (user bob, attached managed policy ReadOnlyAccess)\n"
    );
    // The scenario goes straight into evaluation.
    let evaluated = run(&["--expect", "ImplicitDeny", "-"], Some(&scenario));
    assert_eq!(
        evaluated.status.code(),
        Some(0),
        "{}",
        text(&evaluated.stderr)
    );
}

#[test]
fn roles_become_sessions_with_their_tags() {
    let dir = std::env::temp_dir().join(format!("iam-eval-import-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let target = dir.join("deploy.json");
    let out = run(
        &[
            "import",
            &file("seed-7.json"),
            "--principal",
            "arn:aws:iam::111122223333:role/ci/DeployRole",
            "--session",
            "ci-7",
            "--action",
            "s3:PutObject",
            "--resource",
            "arn:aws:s3:::deploy-artifacts/a.zip",
            "--output",
            target.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(out.stdout.is_empty());
    let written = std::fs::read_to_string(&target).unwrap();
    let json: serde_json::Value = serde_json::from_str(&written).unwrap();
    assert_eq!(
        json["request"]["principal"],
        "arn:aws:sts::111122223333:assumed-role/DeployRole/ci-7"
    );
    assert_eq!(json["request"]["principal_tags"]["env"], "prod");
    let evaluated = run(&["--expect", "Allow", target.to_str().unwrap()], None);
    assert_eq!(
        evaluated.status.code(),
        Some(0),
        "{}",
        text(&evaluated.stderr)
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn lists_and_searches_principals() {
    let out = run(
        &[
            "import",
            &file("seed-7.json"),
            "--list",
            "--search",
            "deploy",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        text(&out.stdout),
        "role\tarn:aws:iam::111122223333:role/ci/DeployRole\t1 policy\n"
    );
}

#[test]
fn pages_from_standard_input_and_files_merge() {
    let page = r#"{"UserDetailList":[{"UserName":"u","Arn":"arn:aws:iam::111122223333:user/u","GroupList":["Developers"]}]}"#;
    let out = run(
        &[
            "import",
            "-",
            &file("seed-7.json"),
            "--principal",
            "u",
            "--action",
            "s3:GetObject",
            "--resource",
            "arn:aws:s3:::dev-bucket/k",
        ],
        Some(page),
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let evaluated = run(&["--expect", "Allow", "-"], Some(&text(&out.stdout)));
    assert_eq!(
        evaluated.status.code(),
        Some(0),
        "{}",
        text(&evaluated.stderr)
    );
}

#[test]
fn unknown_principals_and_bad_files_exit_2() {
    let out = run(
        &[
            "import",
            &file("seed-7.json"),
            "--principal",
            "arn:aws:iam::111122223333:user/alise",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        text(&out.stderr),
        "import: error: `arn:aws:iam::111122223333:user/alise` is not a user, role or group of the files (help: did you mean `arn:aws:iam::111122223333:user/alice`?)\n"
    );
    let bad = r#"{"UserDetailList": [{"UserName": "u", "Arn": 7}]}"#;
    let out = run(&["import", "-", "--principal", "u"], Some(bad));
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        text(&out.stderr),
        "<stdin>:1:46: error: `Arn` is a number, not a string (at `$.UserDetailList[0].Arn`)\n"
    );
    let out = run(&["import", &file("seed-7.json")], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("give --principal ARN"));
    let out = run(&["import", "--help"], None);
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out.stdout).starts_with("usage: iam-eval import"));
}
