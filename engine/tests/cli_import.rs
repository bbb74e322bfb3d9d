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

#[test]
fn who_can_prints_a_table_of_every_user_and_role() {
    let out = run(
        &[
            "import",
            &file("seed-7.json"),
            "--who-can",
            "s3:PutObject",
            "--resource",
            "arn:aws:s3:::dev-bucket/app.js",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stderr), "");
    let table = text(&out.stdout);
    let lines: Vec<&str> = table.lines().collect();
    assert!(lines[0].starts_with("DECISION "), "{table}");
    assert!(lines[0].ends_with("DECIDING"), "{table}");
    let line = |name: &str| {
        *lines
            .iter()
            .find(|l| l.split_whitespace().nth(3) == Some(name))
            .unwrap_or_else(|| panic!("no row for {name}:\n{table}"))
    };
    // alice: allowed only through her group's managed policy.
    let alice = line("alice");
    assert!(alice.starts_with("✓ Allow "), "{alice}");
    assert!(
        alice.contains("DeveloperAccess/DevBucket ")
            && alice.contains("(group Developers, attached managed policy DeveloperAccess"),
        "{alice}"
    );
    // bob: his boundary withholds the allow; a policy is missing.
    let bob = line("bob");
    assert!(bob.starts_with("· ImplicitDeny "), "{bob}");
    assert!(bob.contains("no allow (Permissions boundary)"), "{bob}");
    assert!(
        bob.ends_with("[may differ: ReadOnlyAccess not in the files]"),
        "{bob}"
    );
    let deploy = line("DeployRole");
    assert!(deploy.contains(" role "), "{deploy}");
    // The summary counts every row.
    let last = lines.last().unwrap();
    assert!(
        last.ends_with(
            ": s3:PutObject on arn:aws:s3:::dev-bucket/app.js for 13 of 13 users and roles"
        ),
        "{last}"
    );
    let rows = lines.len() - 2;
    let counted: usize = last
        .split(", ")
        .take(3)
        .map(|part| part.split(' ').next().unwrap().parse::<usize>().unwrap())
        .sum();
    assert_eq!(counted, rows, "{table}");
}

#[test]
fn who_can_writes_json_and_takes_a_resource_policy_and_principals() {
    let dir = std::env::temp_dir().join(format!("iam-eval-who-can-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let policy = dir.join("DevBucketPolicy.json");
    std::fs::write(
        &policy,
        r#"{"Version":"2012-10-17","Statement":[{"Sid":"NoPutsFromCarol","Effect":"Deny",
            "Principal":{"AWS":"arn:aws:iam::111122223333:user/carol"},
            "Action":"s3:PutObject","Resource":"arn:aws:s3:::dev-bucket/*"}]}"#,
    )
    .unwrap();
    let out = run(
        &[
            "import",
            &file("seed-7.json"),
            "--who-can",
            "s3:PutObject,s3:GetObject",
            "--resource",
            "arn:aws:s3:::dev-bucket/app.js",
            "--resource-policy",
            policy.to_str().unwrap(),
            "--principal",
            "carol",
            "--principal",
            "arn:aws:iam::111122223333:group/teams/Developers",
            "--format",
            "json",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let json: serde_json::Value = serde_json::from_str(&text(&out.stdout)).unwrap();
    let rows = json["rows"].as_array().unwrap();
    // carol, then the group's members (alice first), two actions each.
    assert_eq!(rows[0]["name"], "carol");
    assert_eq!(rows[0]["action"], "s3:PutObject");
    assert_eq!(rows[0]["decision"], "ExplicitDeny");
    assert_eq!(rows[0]["deciding"][0]["policy"], "DevBucketPolicy");
    assert_eq!(rows[0]["deciding"][0]["statement"], "NoPutsFromCarol");
    assert_eq!(rows[1]["action"], "s3:GetObject");
    assert_eq!(rows[1]["decision"], "Allow");
    assert_eq!(rows[2]["name"], "alice");
    assert_eq!(rows[2]["decision"], "Allow");
    assert!(rows.iter().all(|r| r["kind"] == "user"));
    assert_eq!(rows.len() % 2, 0);
    assert_eq!(
        json["counts"]["allow"].as_u64().unwrap()
            + json["counts"]["explicit_deny"].as_u64().unwrap()
            + json["counts"]["implicit_deny"].as_u64().unwrap(),
        rows.len() as u64
    );
}

#[test]
fn who_can_fails_if_allowed_and_reports_bad_input() {
    let nobody = run(
        &[
            "import",
            &file("seed-7.json"),
            "--who-can",
            "s3:DeleteObject",
            "--resource",
            "arn:aws:s3:::audit/log",
            "--kind",
            "role",
            "--fail-if-allowed",
        ],
        None,
    );
    assert_eq!(nobody.status.code(), Some(0), "{}", text(&nobody.stdout));
    let someone = run(
        &[
            "import",
            &file("seed-7.json"),
            "--who-can",
            "s3:GetObject",
            "--resource",
            "arn:aws:s3:::dev-bucket/x",
            "--fail-if-allowed",
        ],
        None,
    );
    assert_eq!(someone.status.code(), Some(1));
    let bad = run(
        &["import", &file("seed-7.json"), "--who-can", "nocolon"],
        None,
    );
    assert_eq!(bad.status.code(), Some(2));
    assert!(text(&bad.stderr).contains("error"), "{}", text(&bad.stderr));
    let unknown = run(
        &[
            "import",
            &file("seed-7.json"),
            "--who-can",
            "s3:GetObject",
            "--principal",
            "arn:aws:iam::111122223333:user/alcie",
        ],
        None,
    );
    assert_eq!(unknown.status.code(), Some(2));
    assert!(
        text(&unknown.stderr).contains("did you mean `arn:aws:iam::111122223333:user/alice`?"),
        "{}",
        text(&unknown.stderr)
    );
    let help = run(&["import", "x.json", "--who-can", "a:b", "--help"], None);
    assert_eq!(help.status.code(), Some(0));
    assert!(text(&help.stdout).contains("--fail-if-allowed"));
}
