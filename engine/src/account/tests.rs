//! Reading account files and importing principals.

use super::*;
use crate::authorize::evaluate;
use crate::explain::Decision;

fn read(text: &str) -> AccountRead {
    read_account(&[("details.json", text)])
}

fn small() -> Account {
    let r = read(&generate::generate(7, 30_000));
    assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
    r.account
}

fn decide(account: &Account, principal: &str, action: &str, resource: &str) -> Decision {
    let options = ImportOptions {
        action: Some(action.to_owned()),
        resource: Some(resource.to_owned()),
        ..ImportOptions::default()
    };
    let imported = account.import(principal, &options).unwrap();
    evaluate(&imported.scenario).unwrap().decision
}

#[test]
fn reads_users_groups_roles_and_default_versions() {
    let a = small();
    let alice = &a.users[0];
    assert_eq!(alice.name, "alice");
    assert_eq!(alice.groups, vec!["Developers"]);
    assert_eq!(alice.tags, vec![("team".to_owned(), "dev".to_owned())]);
    let dev = a
        .policy("arn:aws:iam::111122223333:policy/DeveloperAccess")
        .unwrap();
    assert_eq!(dev.versions, 3);
    assert_eq!(dev.default_version.as_deref(), Some("v3"));
    assert!(dev.document.as_ref().unwrap().text.contains("s3:PutObject"));
    // The object was re-indented from the file.
    assert!(dev
        .document
        .as_ref()
        .unwrap()
        .text
        .starts_with("{\n    \"Version\""));
    let deploy = a.role_named("DeployRole").unwrap();
    assert_eq!(deploy.instance_profiles, vec!["DeployProfile"]);
    assert!(deploy.last_used.is_some());
    // URL-encoded trust policy, decoded.
    assert!(deploy
        .trust
        .as_ref()
        .unwrap()
        .text
        .starts_with("{\"Version\":\"2012-10-17\""));
    let bob = &a.users[1];
    assert_eq!(bob.boundary.as_ref().unwrap().name, "S3ReadOnlyBoundary");
}

#[test]
fn a_user_gets_access_through_a_group_only() {
    let a = small();
    let imported = a
        .import(
            "arn:aws:iam::111122223333:user/alice",
            &ImportOptions::default(),
        )
        .unwrap();
    let origins: Vec<&str> = imported
        .scenario
        .policies
        .iter()
        .map(|p| p.origin.as_deref().unwrap())
        .collect();
    assert_eq!(
        origins,
        vec![
            "group Developers, inline policy AssumeDeploy",
            "group Developers, attached managed policy DeveloperAccess (arn:aws:iam::111122223333:policy/DeveloperAccess, version v3)",
        ]
    );
    assert_eq!(
        decide(&a, "alice", "s3:PutObject", "arn:aws:s3:::dev-bucket/x"),
        Decision::Allow
    );
    // The old version allowed everything; only the default counts.
    assert_eq!(
        decide(&a, "alice", "s3:DeleteObject", "arn:aws:s3:::dev-bucket/x"),
        Decision::ImplicitDeny
    );
}

#[test]
fn boundaries_missing_policies_and_tags() {
    let a = small();
    let imported = a.import("bob", &ImportOptions::default()).unwrap();
    assert_eq!(imported.missing.len(), 1);
    let missing = &imported.missing[0];
    assert_eq!(missing.arn, "arn:aws:iam::aws:policy/ReadOnlyAccess");
    assert!(missing.aws_managed);
    assert_eq!(missing.reason, "not in the file");
    assert!(imported
        .scenario
        .description
        .as_deref()
        .unwrap()
        .contains("ReadOnlyAccess"));
    assert_eq!(
        decide(&a, "bob", "s3:GetObject", "arn:aws:s3:::b/k"),
        Decision::Allow
    );
    assert_eq!(
        decide(&a, "bob", "s3:PutObject", "arn:aws:s3:::b/k"),
        Decision::ImplicitDeny
    );

    let carol = a.import("carol", &ImportOptions::default()).unwrap();
    assert_eq!(
        carol.scenario.request.principal_tags,
        vec![("project".to_owned(), "apollo".to_owned())]
    );
    let mut scenario = carol.scenario.clone();
    scenario.request.action = "ec2:StartInstances".to_owned();
    scenario.request.resource = "arn:aws:ec2:eu-west-1:111122223333:instance/i-1".to_owned();
    scenario.request.context.push((
        "aws:ResourceTag/project".to_owned(),
        crate::request::ContextValue::string("apollo"),
    ));
    let e = evaluate(&scenario).unwrap();
    assert_eq!(e.decision, Decision::Allow);
    let tag = e
        .request
        .context
        .iter()
        .find(|c| &*c.key == "aws:PrincipalTag/project")
        .unwrap();
    assert_eq!(tag.origin, crate::request::ValueOrigin::Derived);
}

#[test]
fn a_switched_off_policy_takes_no_part() {
    let a = small();
    let mut scenario = a
        .import(
            "carol",
            &ImportOptions {
                action: Some("s3:DeleteObject".into()),
                resource: Some("arn:aws:s3:::b/k".into()),
                ..Default::default()
            },
        )
        .unwrap()
        .scenario;
    assert_eq!(
        evaluate(&scenario).unwrap().decision,
        Decision::ExplicitDeny
    );
    let deny = scenario
        .policies
        .iter_mut()
        .find(|p| p.name == "DenyDeletes")
        .unwrap();
    deny.enabled = false;
    let e = evaluate(&scenario).unwrap();
    assert_eq!(e.decision, Decision::Allow);
    let trace = e
        .policies
        .iter()
        .find(|p| &*p.name == "DenyDeletes")
        .unwrap();
    assert!(!trace.enabled && !trace.applies);
    assert!(trace
        .not_applicable_reason
        .unwrap()
        .contains("switched off"));
    // Every identity policy off: nothing allows.
    for p in &mut scenario.policies {
        p.enabled = false;
    }
    assert_eq!(
        evaluate(&scenario).unwrap().decision,
        Decision::ImplicitDeny
    );
}

#[test]
fn roles_are_sessions_and_trust_policies_apply_to_assume_role() {
    let a = small();
    let role = "arn:aws:iam::111122223333:role/ci/DeployRole";
    let imported = a.import(role, &ImportOptions::default()).unwrap();
    assert_eq!(
        imported.scenario.request.principal,
        "arn:aws:sts::111122223333:assumed-role/DeployRole/simulated-session"
    );
    assert_eq!(
        decide(
            &a,
            role,
            "s3:PutObject",
            "arn:aws:s3:::deploy-artifacts/app.zip"
        ),
        Decision::Allow
    );
    let session = "arn:aws:sts::111122223333:assumed-role/DeployRole/ci-run-7";
    let imported = a.import(session, &ImportOptions::default()).unwrap();
    assert!(imported.scenario.request.principal.ends_with("/ci-run-7"));

    let assume = ImportOptions {
        action: Some("sts:AssumeRole".into()),
        resource: Some(role.into()),
        ..Default::default()
    };
    let alice = a.import("alice", &assume).unwrap();
    let trust = alice
        .scenario
        .policies
        .iter()
        .find(|p| p.policy_type == crate::PolicyType::Resource)
        .unwrap();
    assert_eq!(
        trust.origin.as_deref(),
        Some("trust policy of role DeployRole")
    );
    assert_eq!(trust.account.as_deref(), Some("111122223333"));
    assert_eq!(evaluate(&alice.scenario).unwrap().decision, Decision::Allow);
    assert_eq!(
        decide(&a, "dave", "sts:AssumeRole", role),
        Decision::ImplicitDeny
    );
}

#[test]
fn unknown_principals_say_what_is_near() {
    let a = small();
    let e = a
        .import(
            "arn:aws:iam::111122223333:user/alise",
            &ImportOptions::default(),
        )
        .unwrap_err();
    assert_eq!(e.diagnostic.code, "unknown-principal");
    assert_eq!(
        e.diagnostic.help.as_deref(),
        Some("did you mean `arn:aws:iam::111122223333:user/alice`?")
    );
}

#[test]
fn groups_are_members_without_policies_of_their_own() {
    let a = small();
    let g = a
        .import(
            "arn:aws:iam::111122223333:group/teams/Developers",
            &ImportOptions::default(),
        )
        .unwrap();
    assert_eq!(
        g.scenario.request.principal,
        "arn:aws:iam::111122223333:user/member-of-Developers"
    );
    assert_eq!(g.scenario.policies.len(), 2);
    assert_eq!(g.principal.groups, vec!["alice"]);
}

#[test]
fn pages_merge_and_repeats_count_once() {
    let page1 = r#"{"UserDetailList":[{"UserName":"u","Arn":"arn:aws:iam::111122223333:user/u","AttachedManagedPolicies":[{"PolicyName":"P","PolicyArn":"arn:aws:iam::111122223333:policy/P"}]}],"IsTruncated":true,"Marker":"x"}"#;
    let page2 = r#"{"Policies":[{"PolicyName":"P","Arn":"arn:aws:iam::111122223333:policy/P","DefaultVersionId":"v1","PolicyVersionList":[{"VersionId":"v1","IsDefaultVersion":true,"Document":"%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%22s3%3A*%22%2C%22Resource%22%3A%22*%22%7D%7D"}]}],"IsTruncated":false}"#;
    let r = read_account(&[
        ("p1.json", page1),
        ("p2.json", page2),
        ("p1-again.json", page1),
    ]);
    assert_eq!(r.account.users.len(), 1);
    assert_eq!(r.diagnostics.len(), 2, "{:?}", r.diagnostics);
    assert_eq!(r.diagnostics[0].diagnostic.code, "truncated-page");
    assert_eq!(r.diagnostics[0].at.file, "p1.json");
    assert!(!r.has_errors());
    let imported = r.account.import("u", &ImportOptions::default()).unwrap();
    assert!(imported.missing.is_empty());
    assert_eq!(
        evaluate(&imported.scenario).unwrap().decision,
        Decision::Allow
    );
}

#[test]
fn errors_name_the_file_the_path_and_the_position() {
    let text = "{\n  \"UserDetailList\": [\n    {\"UserName\": \"u\", \"Arn\": \"arn:aws:iam::1:user/u\",\n     \"UserPolicyList\": [{\"PolicyName\": \"p\", \"PolicyDocument\": 7}]}\n  ]\n}";
    let r = read(text);
    assert_eq!(r.diagnostics.len(), 1);
    let d = &r.diagnostics[0];
    assert_eq!(
        d.at.path,
        "$.UserDetailList[0].UserPolicyList[0].PolicyDocument"
    );
    assert_eq!((d.at.line, d.at.column), (4, 63));
    assert_eq!(d.diagnostic.code, "account-type");
    assert_eq!(
        d.to_string(),
        "details.json:4:63: error: a policy document is a number, not an object or its URL-encoded text (at `$.UserDetailList[0].UserPolicyList[0].PolicyDocument`)"
    );
    let bad = read("{\"UserDetailList\": [{\"UserName\": \"u\"}]}");
    assert_eq!(bad.diagnostics[0].diagnostic.message, "a user has no `Arn`");
    assert_eq!(bad.diagnostics[0].at.path, "$.UserDetailList[0]");
    let encoded = read(
        r#"{"RoleDetailList": [{"Arn": "arn:aws:iam::1:role/r", "AssumeRolePolicyDocument": "%7B%2"}]}"#,
    );
    assert_eq!(encoded.diagnostics[0].diagnostic.code, "bad-url-encoding");
    assert_eq!(encoded.diagnostics[0].at.column, 86);
    assert_eq!(
        read("[]").diagnostics[0].diagnostic.code,
        "not-account-details"
    );
    assert_eq!(
        read("{\"Statement\": []}").diagnostics[0]
            .diagnostic
            .help
            .as_deref(),
        Some("this looks like a single policy: import it as a policy, not as account details")
    );
    assert_eq!(read("{").diagnostics[0].diagnostic.code, "json-syntax");
}

#[test]
fn policy_errors_point_into_the_file() {
    let text = "{\"UserDetailList\": [{\"UserName\": \"u\", \"Arn\": \"arn:aws:iam::1:user/u\",\n  \"UserPolicyList\": [{\"PolicyName\": \"p\", \"PolicyDocument\": {\n    \"Version\": \"2012-10-17\",\n    \"Statement\": {\"Effect\": \"allow\", \"Action\": \"s3:*\", \"Resource\": \"*\"}\n  }}]}]}";
    let a = read(text);
    assert!(a.diagnostics.is_empty());
    let imported = a.account.import("u", &ImportOptions::default()).unwrap();
    let d = &imported.diagnostics[0];
    assert_eq!(d.diagnostic.policy.as_deref(), Some("p"));
    assert_eq!((d.at.line, d.at.column), (4, 29));
    assert_eq!(&text.lines().nth(3).unwrap()[28..35], "\"allow\"");
}

#[test]
fn search_by_name_path_and_arn() {
    let a = small();
    assert_eq!(a.search("alice", 10)[0].name, "alice");
    assert!(a.search("/ci/", 10).iter().any(|p| p.name == "DeployRole"));
    assert!(a
        .search("group/teams", 10)
        .iter()
        .all(|p| p.kind == EntityKind::Group));
    assert_eq!(a.search("", 3).len(), 3);
    let alice = a.summary(EntityKind::User, 0).unwrap();
    assert_eq!(alice.policies, 2);
}

#[test]
fn scenarios_round_trip_with_origins_switches_and_tags() {
    let a = small();
    let mut scenario = a
        .import("carol", &ImportOptions::default())
        .unwrap()
        .scenario;
    scenario.policies[1].enabled = false;
    for style in [
        crate::scenario::DocumentStyle::Text,
        crate::scenario::DocumentStyle::Embedded,
    ] {
        let text = scenario.to_json(style);
        let back = crate::Scenario::parse(&text);
        assert!(!back.has_errors(), "{:?}", back.diagnostics);
        let back = back.scenario.unwrap();
        assert_eq!(back.policies.len(), scenario.policies.len());
        for (x, y) in back.policies.iter().zip(&scenario.policies) {
            assert_eq!(
                (&x.name, x.enabled, &x.origin),
                (&y.name, y.enabled, &y.origin)
            );
            if style == crate::scenario::DocumentStyle::Text {
                assert_eq!(x.text, y.text);
            }
        }
        assert_eq!(back.request.principal_tags, scenario.request.principal_tags);
    }
}

#[test]
fn reading_in_small_steps_gives_the_same_account() {
    let text = generate::generate(5, 60_000);
    let whole = read(&text);
    let mut reader = AccountReader::new(vec![("details.json".to_owned(), text.clone())]);
    let mut last = 0;
    let mut steps = 0;
    while !reader.step(2_000) {
        let (done, total) = reader.progress();
        assert!(done >= last && done <= total, "{done} of {total}");
        last = done;
        steps += 1;
    }
    assert!(steps > 10, "{steps}");
    let stepped = reader.finish();
    assert_eq!(stepped.account.users, whole.account.users);
    assert_eq!(stepped.account.roles, whole.account.roles);
    assert_eq!(stepped.account.policies, whole.account.policies);
    assert_eq!(stepped.diagnostics, whole.diagnostics);
}

#[test]
fn syntax_errors_deep_in_a_list_are_exact() {
    let text = "{\"UserDetailList\": [\n  {\"UserName\": \"a\", \"Arn\": \"arn:aws:iam::1:user/a\"},\n  {\"UserName\": \"b\" \"Arn\": 1}\n]}";
    let r = read(text);
    let d = r
        .diagnostics
        .iter()
        .find(|d| d.diagnostic.code == "json-syntax")
        .unwrap();
    assert_eq!((d.at.line, d.at.column), (3, 19), "{d}");
    // What came before the error is kept.
    assert_eq!(r.account.users.len(), 1);
    let lists = read("{\"UserDetailList\": {}, \"Policies\": []}");
    assert_eq!(lists.diagnostics[0].to_string(), "details.json:1:20: error: `UserDetailList` is an object, not an array (at `$.UserDetailList`)");
    assert_eq!(
        read("{\"policies\": [], \"request\": {}}").diagnostics[0]
            .diagnostic
            .help
            .as_deref(),
        Some("this looks like a scenario: import it as a scenario")
    );
    assert_eq!(read("{} x").diagnostics[0].diagnostic.code, "json-syntax");
    assert_eq!(
        read("{\"UserDetailList\": [").diagnostics[0]
            .diagnostic
            .code,
        "json-syntax"
    );
    let syntax = |text: &str| {
        read(text)
            .diagnostics
            .iter()
            .any(|d| d.diagnostic.code == "json-syntax")
    };
    assert!(syntax("{\"UserDetailList\": [1,]}"));
    assert!(syntax("{\"UserDetailList\": [{} {}]}"));
    assert!(syntax("{\"UserDetailList\": [], }"));
    assert!(syntax("{\"UserDetailList\": [] \"Policies\": []}"));
    assert!(syntax("{\"UserDetailList\": [,]}"));
    assert!(!syntax("{\"UserDetailList\": [], \"Policies\": [] }"));
    assert_eq!(
        read("{\"UserDetailList\": [], \"Marker\": tru}").diagnostics[0]
            .diagnostic
            .code,
        "json-syntax"
    );
    assert!(
        read("{\"UserDetailList\": [\"\\\"]\"]}").diagnostics[0]
            .diagnostic
            .code
            == "account-type"
    );
}
