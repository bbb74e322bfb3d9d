//! "Who can" on a generated account (the named principals of
//! [`crate::account::generate`]).

use super::*;
use crate::account::generate::generate;
use crate::account::read_account;
use crate::policy::PolicyType;

fn account() -> Account {
    let text = generate(7, 30_000);
    let read = read_account(&[("details.json", text.as_str())]);
    assert!(read.diagnostics.is_empty(), "{:?}", read.diagnostics);
    read.account
}

fn query(action: &str, resource: &str) -> WhoCanQuery {
    WhoCanQuery {
        actions: vec![action.to_owned()],
        resource: resource.to_owned(),
        ..WhoCanQuery::default()
    }
}

fn row<'a>(answer: &'a WhoCan, name: &str) -> &'a WhoCanRow {
    answer.rows.iter().find(|r| r.name == name).unwrap()
}

fn decided(row: &WhoCanRow) -> (Decision, Option<Stage>, Vec<String>) {
    match &row.outcome {
        RowOutcome::Decided {
            decision,
            stage,
            deciding,
        } => (
            *decision,
            *stage,
            deciding
                .iter()
                .map(|d| format!("{}/{}", d.policy, d.statement))
                .collect(),
        ),
        RowOutcome::Invalid { diagnostics } => panic!("{diagnostics:?}"),
    }
}

#[test]
fn every_user_and_role_gets_a_row_with_its_deciding_statement() {
    let a = account();
    let all = a.who_can_all();
    assert_eq!(all.len(), a.users.len() + a.roles.len());
    let answer = a
        .who_can(
            &all,
            &query("s3:PutObject", "arn:aws:s3:::dev-bucket/app.js"),
        )
        .unwrap();
    assert_eq!(answer.rows.len(), all.len());
    // alice: only through her group's attached managed policy.
    let alice = row(&answer, "alice");
    let (decision, stage, deciding) = decided(alice);
    assert_eq!(decision, Decision::Allow);
    assert_eq!(stage, Some(Stage::IdentityPolicies));
    assert_eq!(deciding.len(), 1, "{deciding:?}");
    assert!(deciding[0].starts_with("DeveloperAccess/"), "{deciding:?}");
    let RowOutcome::Decided { deciding, .. } = &alice.outcome else {
        unreachable!()
    };
    assert!(deciding[0]
        .origin
        .as_deref()
        .unwrap()
        .starts_with("group Developers, attached managed policy DeveloperAccess"));
    // bob: AmazonS3FullAccess allows, his boundary does not.
    let bob = row(&answer, "bob");
    assert_eq!(
        decided(bob),
        (
            Decision::ImplicitDeny,
            Some(Stage::PermissionsBoundary),
            vec![]
        )
    );
    assert_eq!(bob.missing, vec!["ReadOnlyAccess"]);
    // carol: her own S3All.
    assert_eq!(decided(row(&answer, "carol")).0, Decision::Allow);
    // The role, as a session of the role.
    let deploy = row(&answer, "DeployRole");
    assert_eq!(deploy.kind, EntityKind::Role);
    assert_eq!(
        deploy.principal,
        "arn:aws:sts::111122223333:assumed-role/DeployRole/simulated-session"
    );
    assert_eq!(decided(deploy).0, Decision::ImplicitDeny);
    // The counts add up.
    let counts = answer.counts();
    assert_eq!(counts.iter().sum::<usize>(), answer.rows.len());
    assert_eq!(counts[3], 0);
}

#[test]
fn an_explicit_deny_names_its_statement() {
    let a = account();
    let carol = a.who_can_principals(&["carol"]).unwrap();
    let answer = a
        .who_can(&carol, &query("s3:DeleteObject", "arn:aws:s3:::any/key"))
        .unwrap();
    let (decision, stage, deciding) = decided(&answer.rows[0]);
    assert_eq!(decision, Decision::ExplicitDeny);
    assert_eq!(stage, Some(Stage::DenyEvaluation));
    assert_eq!(deciding.len(), 1);
    assert!(deciding[0].starts_with("DenyDeletes/"));
}

#[test]
fn a_group_means_its_members_and_repeats_are_dropped() {
    let a = account();
    let members = a
        .who_can_principals(&["arn:aws:iam::111122223333:group/teams/Developers", "alice"])
        .unwrap();
    assert!(members.iter().all(|(k, _)| *k == EntityKind::User));
    let names: Vec<&str> = members
        .iter()
        .map(|&(_, i)| a.users[i].name.as_str())
        .collect();
    assert_eq!(names.first(), Some(&"alice"));
    let unique: HashSet<_> = members.iter().collect();
    assert_eq!(unique.len(), members.len());
    for &(_, i) in &members {
        assert!(a.users[i].groups.iter().any(|g| g == "Developers"));
    }
    assert!(a.who_can_principals(&["nobody-at-all"]).is_err());
}

#[test]
fn the_given_resource_policy_applies_to_everyone() {
    let a = account();
    let bucket = ScenarioPolicy::new(
        "BucketPolicy",
        PolicyType::Resource,
        r#"{"Version":"2012-10-17","Statement":[{"Sid":"NoPuts","Effect":"Deny","Principal":"*",
            "Action":"s3:PutObject","Resource":"arn:aws:s3:::dev-bucket/*"}]}"#,
    );
    let q = WhoCanQuery {
        resource_policy: Some(bucket),
        ..query("s3:PutObject", "arn:aws:s3:::dev-bucket/app.js")
    };
    let answer = a.who_can(&a.who_can_all(), &q).unwrap();
    assert!(answer
        .rows
        .iter()
        .all(|r| r.decision() == Some(Decision::ExplicitDeny)));
    let RowOutcome::Decided { deciding, .. } = &row(&answer, "alice").outcome else {
        panic!()
    };
    assert_eq!(deciding[0].policy, "BucketPolicy");
    assert_eq!(deciding[0].statement, "NoPuts");
    assert_eq!(
        deciding[0].origin.as_deref(),
        Some("resource-based policy given for the check")
    );
}

#[test]
fn assume_role_uses_the_trust_policy_and_several_actions_make_several_rows() {
    let a = account();
    let picks = a.who_can_principals(&["alice", "dave"]).unwrap();
    let q = WhoCanQuery {
        actions: vec!["sts:AssumeRole".to_owned(), "s3:GetObject".to_owned()],
        ..query("", "arn:aws:iam::111122223333:role/ci/DeployRole")
    };
    let answer = a.who_can(&picks, &q).unwrap();
    let got: Vec<(&str, &str, Decision)> = answer
        .rows
        .iter()
        .map(|r| (r.name.as_str(), r.action.as_str(), r.decision().unwrap()))
        .collect();
    // Non-assume actions first for each principal, then sts:AssumeRole*.
    assert_eq!(
        got,
        vec![
            ("alice", "s3:GetObject", Decision::ImplicitDeny),
            ("alice", "sts:AssumeRole", Decision::Allow),
            ("dave", "s3:GetObject", Decision::ImplicitDeny),
            ("dave", "sts:AssumeRole", Decision::ImplicitDeny),
        ]
    );
}

#[test]
fn the_explanation_of_a_row_agrees_with_the_row() {
    let a = account();
    let all = a.who_can_all();
    let q = query("s3:GetObject", "arn:aws:s3:::dev-bucket/readme.md");
    let answer = a.who_can(&all, &q).unwrap();
    for (row, &(kind, index)) in answer.rows.iter().zip(&all) {
        let full = a.who_can_explain(kind, index, &row.action, &q).unwrap();
        assert_eq!(Some(full.decision), row.decision(), "{}", row.name);
        let RowOutcome::Decided { deciding, .. } = &row.outcome else {
            panic!()
        };
        let names: Vec<(String, String)> = deciding
            .iter()
            .map(|d| (d.policy.clone(), d.statement.clone()))
            .collect();
        let full_names: Vec<(String, String)> = full
            .determining
            .iter()
            .map(|d| (d.policy.to_string(), d.statement.to_string()))
            .collect();
        assert_eq!(names, full_names, "{}", row.name);
    }
}

#[test]
fn a_wrong_query_is_an_error_and_context_reaches_the_request() {
    let a = account();
    let all = a.who_can_all();
    let none = WhoCanQuery::default();
    let errors = a.who_can(&all, &none).unwrap_err();
    assert_eq!(errors[0].code, "missing-action");
    assert!(a.who_can(&all, &query("nocolon", "*")).is_err());
    let broken = ScenarioPolicy::new("Bucket", PolicyType::Resource, "{ not json");
    let q = WhoCanQuery {
        resource_policy: Some(broken),
        ..query("s3:GetObject", "*")
    };
    let errors = a.who_can(&all, &q).unwrap_err();
    assert_eq!(errors[0].policy.as_deref(), Some("Bucket"));
    // carol may start instances tagged with her project only.
    let carol = a.who_can_principals(&["carol"]).unwrap();
    let mut q = query(
        "ec2:StartInstances",
        "arn:aws:ec2:us-east-1:111122223333:instance/i-1",
    );
    q.context = vec![(
        "aws:ResourceTag/project".to_owned(),
        ContextValue::string("apollo"),
    )];
    let answer = a.who_can(&carol, &q).unwrap();
    assert_eq!(answer.rows[0].decision(), Some(Decision::Allow));
    q.context = vec![(
        "aws:ResourceTag/project".to_owned(),
        ContextValue::string("gemini"),
    )];
    let answer = a.who_can(&carol, &q).unwrap();
    assert_eq!(answer.rows[0].decision(), Some(Decision::ImplicitDeny));
}

#[test]
fn json_for_tools() {
    let a = account();
    let picks = a.who_can_principals(&["alice", "bob"]).unwrap();
    let answer = a
        .who_can(&picks, &query("s3:PutObject", "arn:aws:s3:::dev-bucket/x"))
        .unwrap();
    let json = serde_json::to_value(answer.to_json()).unwrap();
    assert_eq!(json["counts"]["allow"], 1);
    assert_eq!(json["counts"]["implicit_deny"], 1);
    assert_eq!(json["rows"][0]["name"], "alice");
    assert_eq!(json["rows"][0]["decision"], "Allow");
    assert_eq!(json["rows"][0]["stage"], "identity_policies");
    assert_eq!(json["rows"][0]["deciding"][0]["policy"], "DeveloperAccess");
    assert_eq!(json["rows"][1]["decision"], "ImplicitDeny");
    assert_eq!(json["rows"][1]["stage"], "permissions_boundary");
    assert_eq!(json["rows"][1]["missing"][0], "ReadOnlyAccess");
}
