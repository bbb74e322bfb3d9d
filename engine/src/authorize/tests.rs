//! Unit tests of the flow's service rules and notes, and of what the
//! explanation shows for them (the corpus pins the decisions).

use super::*;
use crate::explain::{Check, NoteKind};

fn run(policies: &str, principal: &str, action: &str, resource: &str, context: &str) -> Evaluation {
    let text = format!(
        r#"{{ "policies": [{policies}], "request": {{ "principal": "{principal}", "action": "{action}", "resource": "{resource}", "context": {{ {context} }} }} }}"#
    );
    let parsed = Scenario::parse(&text);
    assert!(!parsed.has_errors(), "{:#?}", parsed.diagnostics);
    evaluate(&parsed.scenario.unwrap()).unwrap()
}

const SESSION: &str = "arn:aws:sts::111122223333:assumed-role/DevRole/s1";
const OUTSIDE_HOME: &str = r#"{ "name": "P", "type": "identity", "document": { "Version": "2012-10-17", "Statement": [ { "Sid": "S", "Effect": "Allow", "Action": "s3:GetObject", "NotResource": "arn:aws:s3:::b/home/${aws:username}/*" } ] } }"#;

#[test]
fn not_resource_with_an_unresolved_variable_does_not_apply_and_says_why() {
    let e = run(
        OUTSIDE_HOME,
        SESSION,
        "s3:GetObject",
        "arn:aws:s3:::b/x",
        "",
    );
    assert_eq!(e.decision, Decision::ImplicitDeny);
    let note = e
        .notes
        .iter()
        .find(|n| n.code == "not-resource-unresolved-variable");
    assert_eq!(note.map(|n| n.kind), Some(NoteKind::Undocumented));
    let statement = e.policies[0].statements.traces().next().unwrap();
    let Some(Check::Resource(check)) = statement.checks.get(1) else {
        panic!("no resource check: {statement:?}");
    };
    assert!(check.negated && !check.matched);
    assert_eq!(
        check.patterns[0].unresolved.as_deref(),
        Some("aws:username")
    );
    assert!(check.patterns[0]
        .note
        .as_deref()
        .unwrap()
        .contains("NotResource"));
    // The JSON carries both, additively.
    let json = serde_json::to_value(&e).unwrap();
    assert_eq!(json["notes"][0]["kind"], "undocumented");
    assert_eq!(
        json["policies"][0]["statements"][0]["checks"][1]["patterns"][0]["unresolved"],
        "aws:username"
    );
}

#[test]
fn a_resolved_variable_has_no_marker_and_no_note() {
    let e = run(
        OUTSIDE_HOME,
        "arn:aws:iam::111122223333:user/alice",
        "s3:GetObject",
        "arn:aws:s3:::b/x",
        "",
    );
    assert_eq!(e.decision, Decision::Allow);
    assert!(e.notes.is_empty(), "{:?}", e.notes);
    let statement = e.policies[0].statements.traces().next().unwrap();
    let Some(Check::Resource(check)) = statement.checks.get(1) else {
        panic!("no resource check");
    };
    assert_eq!(check.patterns[0].unresolved, None);
    assert_eq!(
        check.patterns[0].resolved.as_deref(),
        Some("arn:aws:s3:::b/home/alice/*")
    );
}

#[test]
fn condition_comparisons_mark_the_unresolved_variable() {
    let policy = r#"{ "name": "P", "type": "identity", "document": { "Version": "2012-10-17", "Statement": [ { "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": { "StringEquals": { "s3:ExistingObjectTag/Team": "${aws:PrincipalTag/Team}" } } } ] } }"#;
    let e = run(
        policy,
        SESSION,
        "s3:GetObject",
        "arn:aws:s3:::b/x",
        r#""s3:ExistingObjectTag/Team": "blue""#,
    );
    assert_eq!(e.decision, Decision::ImplicitDeny);
    let statement = e.policies[0].statements.traces().next().unwrap();
    let Some(Check::Condition(c)) = statement.checks.last() else {
        panic!("no condition");
    };
    assert_eq!(
        c.comparisons[0].unresolved.as_deref(),
        Some("aws:PrincipalTag/Team")
    );
}

#[test]
fn get_caller_identity_is_allowed_over_an_explicit_deny_and_keeps_the_policies_verdict() {
    let deny = r#"{ "name": "D", "type": "identity", "document": { "Version": "2012-10-17", "Statement": [ { "Effect": "Deny", "Action": "*", "Resource": "*" } ] } }"#;
    let e = run(deny, SESSION, "sts:GetCallerIdentity", "*", "");
    assert_eq!(e.decision, Decision::Allow);
    assert!(e.determining.is_empty());
    assert!(e.steps.iter().all(|s| !s.decisive));
    assert!(e.notes[0].decisive && e.notes[0].code == "sts-get-caller-identity");
    assert!(
        e.summary.starts_with("Allowed by a service rule"),
        "{}",
        e.summary
    );
    assert!(
        e.summary
            .contains("The policies alone would deny it explicitly"),
        "{}",
        e.summary
    );
}

#[test]
fn refused_requests_name_the_rule() {
    let admin = r#"{ "name": "A", "type": "identity", "document": { "Version": "2012-10-17", "Statement": [ { "Effect": "Allow", "Action": "*", "Resource": "*" } ] } }"#;
    for (action, resource, code) in [
        (
            "kms:CreateAlias",
            "arn:aws:kms:us-east-1:111122223333:alias/aws/s3",
            "kms-reserved-alias",
        ),
        (
            "iam:DeletePolicy",
            "arn:aws:iam::aws:policy/ReadOnlyAccess",
            "iam-aws-managed-policy",
        ),
        (
            "iam:PutRolePolicy",
            "arn:aws:iam::111122223333:role/aws-service-role/ec2.amazonaws.com/AWSServiceRoleForX",
            "iam-service-linked-role",
        ),
    ] {
        let e = run(admin, SESSION, action, resource, "");
        assert_eq!(e.decision, Decision::ImplicitDeny, "{action}");
        assert_eq!(e.notes[0].code, code);
        assert!(
            e.summary.contains("The policies alone would allow it"),
            "{}",
            e.summary
        );
    }
}

#[test]
fn ordinary_requests_carry_no_notes() {
    let admin = r#"{ "name": "A", "type": "identity", "document": { "Version": "2012-10-17", "Statement": [ { "Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": { "StringEquals": { "aws:PrincipalTag/team": "x" } } } ] } }"#;
    let e = run(
        admin,
        SESSION,
        "s3:GetObject",
        "arn:aws:s3:::b/x",
        r#""aws:PrincipalTag/team": "x""#,
    );
    assert_eq!(e.decision, Decision::Allow);
    assert!(e.notes.is_empty(), "{:?}", e.notes);
}

#[test]
fn the_everyone_note_only_when_the_choice_decides() {
    let session_policy = r#"{ "name": "S", "type": "session", "document": { "Version": "2012-10-17", "Statement": [ { "Effect": "Allow", "Action": "dynamodb:*", "Resource": "*" } ] } }"#;
    let everyone = r#"{ "name": "B", "type": "resource", "account": "111122223333", "document": { "Version": "2012-10-17", "Statement": [ { "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "*" } ] } }"#;
    let named = format!(
        r#"{{ "name": "N", "type": "resource", "account": "111122223333", "document": {{ "Version": "2012-10-17", "Statement": [ {{ "Effect": "Allow", "Principal": {{ "AWS": "{SESSION}" }}, "Action": "s3:GetObject", "Resource": "*" }} ] }} }}"#
    );
    let code = "resource-grant-to-everyone-vs-limits";
    let e = run(
        &format!("{everyone}, {session_policy}"),
        SESSION,
        "s3:GetObject",
        "arn:aws:s3:::b/x",
        "",
    );
    assert_eq!(e.decision, Decision::Allow);
    assert!(e.notes.iter().any(|n| n.code == code));
    // The session's own ARN is documented: no note, even beside "*".
    let e = run(
        &format!("{everyone}, {named}, {session_policy}"),
        SESSION,
        "s3:GetObject",
        "arn:aws:s3:::b/x",
        "",
    );
    assert_eq!(e.decision, Decision::Allow);
    assert!(!e.notes.iter().any(|n| n.code == code), "{:?}", e.notes);
    // Without a session policy nothing limits: no note.
    let e = run(everyone, SESSION, "s3:GetObject", "arn:aws:s3:::b/x", "");
    assert!(e.notes.is_empty(), "{:?}", e.notes);
}
