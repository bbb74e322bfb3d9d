//! Unit tests of the flow's service rules and notes, and of what the
//! explanation shows for them (the corpus pins the decisions).

use super::*;
use crate::condition::ComparisonNote;
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

/// A policy whose statement (Allow `s3:GetObject`) has `element` (a
/// resource element and maybe a condition, as JSON members), with `${B}`
/// standing for 50 repetitions of `${s3:ExistingObjectTag/Big}`.
fn repeated(element: &str) -> String {
    let fifty = "${s3:ExistingObjectTag/Big}".repeat(50);
    let element = element.replace("${B}", &fifty);
    format!(
        r#"{{ "name": "P", "type": "identity", "document": {{ "Version": "2012-10-17", "Statement": [ {{ "Effect": "Allow", "Action": "s3:GetObject", {element} }} ] }} }}"#
    )
}

// `${B}` is past the limit, and 11 of them past the limit ignoring case.
const _: () = assert!(5_000_000 > crate::limits::MAX_SUBSTITUTED_BYTES);
const _: () =
    assert!(55_000_000 > crate::limits::MAX_SUBSTITUTED_BYTES * crate::limits::CASE_FOLDING_GROWTH);

/// Runs `repeated(element)` with a 100,000-byte `s3:ExistingObjectTag/Big`
/// (so `${B}` is 5,000,000 bytes, past the limit) and `extra` context.
fn run_big(element: &str, extra: &str) -> Evaluation {
    let big = "a".repeat(100_000);
    run(
        &repeated(element),
        SESSION,
        "s3:GetObject",
        "arn:aws:s3:::b/x",
        &format!(r#""s3:ExistingObjectTag/Big": "{big}"{extra}"#),
    )
}

fn resource_check(e: &Evaluation) -> crate::explain::PatternCheck {
    let statement = e.policies[0].statements.traces().next().unwrap();
    match statement.checks.get(1) {
        Some(Check::Resource(check)) => check.clone(),
        other => panic!("no resource check: {other:?}"),
    }
}

#[test]
fn a_resource_pattern_too_long_to_match_matches_nothing_and_says_its_length() {
    let e = run_big(r#""Resource": "arn:aws:s3:::b/${B}""#, "");
    assert_eq!(e.decision, Decision::ImplicitDeny);
    let check = resource_check(&e);
    assert!(!check.matched && !check.patterns[0].matched);
    assert_eq!(check.patterns[0].resolved, None);
    assert_eq!(check.patterns[0].unresolved, None);
    assert_eq!(
        check.patterns[0].note.as_deref(),
        Some("after substitution this pattern has 5,000,015 bytes of literal text, longer than any request value, so it matches no resource")
    );
    // Another entry of the element still matches.
    let e = run_big(
        r#""Resource": ["arn:aws:s3:::b/${B}", "arn:aws:s3:::b/*"]"#,
        "",
    );
    assert_eq!(e.decision, Decision::Allow);
    // Starting like the resource or not, the outcome is the same.
    let e = run_big(r#""Resource": "arn:aws:s3:::other/${B}""#, "");
    assert!(resource_check(&e).patterns[0]
        .note
        .as_deref()
        .unwrap()
        .contains("5,000,019 bytes"));
}

#[test]
fn a_not_resource_pattern_too_long_to_match_excludes_nothing() {
    // Unlike an unresolved variable, the value exists: the entry is
    // compared, and it matches no resource, so it excludes none.
    let e = run_big(r#""NotResource": "arn:aws:s3:::b/${B}""#, "");
    assert_eq!(e.decision, Decision::Allow);
    assert!(e.notes.is_empty(), "{:?}", e.notes);
    let check = resource_check(&e);
    assert!(check.negated && check.matched);
    assert!(check.patterns[0]
        .note
        .as_deref()
        .unwrap()
        .contains("it excludes nothing"));
    // Another entry still excludes the resource.
    let e = run_big(
        r#""NotResource": ["arn:aws:s3:::b/${B}", "arn:aws:s3:::b/x"]"#,
        "",
    );
    assert_eq!(e.decision, Decision::ImplicitDeny);
}

#[test]
fn a_substituted_resource_text_is_shown_cut_with_its_length() {
    // 5 × 100,000 bytes: under the limit, so built and matched, but the
    // explanation keeps only the first 4 KiB.
    let five = "${s3:ExistingObjectTag/Big}".repeat(5);
    let e = run_big(&format!(r#""Resource": "arn:aws:s3:::b/{five}""#), "");
    assert_eq!(e.decision, Decision::ImplicitDeny);
    let check = resource_check(&e);
    let pattern = &check.patterns[0];
    assert_eq!(
        pattern.resolved.as_deref().map(str::len),
        Some(crate::limits::MAX_SHOWN_SUBSTITUTION_BYTES)
    );
    assert_eq!(
        pattern.note.as_deref(),
        Some("after substitution this pattern is 500,015 bytes long; only its first 4,096 bytes are shown")
    );
}

/// The decision and the first comparison's note kind for `operator` with
/// the too-long value `${B}` against the request's `s3:ExistingObjectTag/Team`.
fn condition_with_too_long_value(operator: &str, pattern: &str) -> (Decision, serde_json::Value) {
    let e = run_big(
        &format!(
            r#""Resource": "*", "Condition": {{ "{operator}": {{ "s3:ExistingObjectTag/Team": "{pattern}" }} }}"#
        ),
        r#", "s3:ExistingObjectTag/Team": ["blue", "green"]"#,
    );
    let json = serde_json::to_value(&e).unwrap();
    let kind =
        json["policies"][0]["statements"][0]["checks"][2]["comparisons"][0]["note"]["kind"].clone();
    (e.decision, kind)
}

const IGNORING_CASE: &str = "${B}${B}${B}${B}${B}${B}${B}${B}${B}${B}${B}";

#[test]
fn a_condition_value_too_long_to_match_equals_and_is_like_nothing() {
    // Each case: the operator, and whether the condition holds (the
    // statement allows) when the policy value differs from every request
    // value. The request has two values, so plain operators meet the
    // multivalued rule; the set operators are the usual way.
    for (operator, pattern, allows) in [
        ("ForAnyValue:StringEquals", "${B}", false),
        ("ForAnyValue:StringNotEquals", "${B}", true),
        ("ForAllValues:StringEquals", "${B}", false),
        ("ForAllValues:StringNotEquals", "${B}", true),
        ("ForAnyValue:StringLike", "*${B}*", false),
        ("ForAllValues:StringNotLike", "*${B}*", true),
        // Ignoring case the limit is 12 times larger: 11 × 5,000,000 bytes.
        ("ForAnyValue:StringEqualsIgnoreCase", IGNORING_CASE, false),
        (
            "ForAllValues:StringNotEqualsIgnoreCase",
            IGNORING_CASE,
            true,
        ),
        ("ForAnyValue:ArnLike", "arn:*:${B}", false),
        ("ForAnyValue:StringEqualsIfExists", "${B}", false),
        ("ForAllValues:StringNotEqualsIfExists", "${B}", true),
    ] {
        let (decision, kind) = condition_with_too_long_value(operator, pattern);
        let expected = if allows {
            Decision::Allow
        } else {
            Decision::ImplicitDeny
        };
        assert_eq!(decision, expected, "{operator}");
        assert_eq!(kind, "substitution_too_long", "{operator}");
    }
}

#[test]
fn a_condition_value_too_long_to_match_with_one_request_value() {
    for (operator, allows) in [
        ("StringEquals", false),
        ("StringNotEquals", true),
        ("StringLike", false),
        ("StringNotLike", true),
        ("StringEqualsIfExists", false),
    ] {
        let e = run_big(
            &format!(
                r#""Resource": "*", "Condition": {{ "{operator}": {{ "s3:ExistingObjectTag/Team": ["blue", "x${{B}}"] }} }}"#
            ),
            r#", "s3:ExistingObjectTag/Team": "blue-team""#,
        );
        let expected = if allows {
            Decision::Allow
        } else {
            Decision::ImplicitDeny
        };
        assert_eq!(e.decision, expected, "{operator}");
        let statement = e.policies[0].statements.traces().next().unwrap();
        let Some(Check::Condition(c)) = statement.checks.last() else {
            panic!("no condition");
        };
        let note = c.comparisons[1].note.as_ref().map(ToString::to_string);
        assert_eq!(
            note.as_deref(),
            Some("the policy value after substitution has 5,000,001 bytes of literal text, longer than any request value, so it equals and is like none"),
            "{operator}"
        );
        assert_eq!(c.comparisons[1].resolved_value, None);
    }
}

#[test]
fn a_condition_value_longer_than_the_request_value_is_shown_and_differs() {
    // 5 × 100,000 bytes: under the limit but longer than the request's
    // value, so it cannot equal it: shown cut, compared as unequal.
    let five = "${s3:ExistingObjectTag/Big}".repeat(5);
    for (operator, allows) in [
        ("StringEquals", false),
        ("StringNotEquals", true),
        ("StringLike", false),
        ("StringNotLike", true),
        ("StringEqualsIgnoreCase", false),
        ("ForAnyValue:StringEquals", false),
        ("ForAllValues:StringNotEquals", true),
    ] {
        let e = run_big(
            &format!(
                r#""Resource": "*", "Condition": {{ "{operator}": {{ "s3:ExistingObjectTag/Team": "{five}" }} }}"#
            ),
            r#", "s3:ExistingObjectTag/Team": "blue""#,
        );
        let expected = if allows {
            Decision::Allow
        } else {
            Decision::ImplicitDeny
        };
        assert_eq!(e.decision, expected, "{operator}");
        let statement = e.policies[0].statements.traces().next().unwrap();
        let Some(Check::Condition(c)) = statement.checks.last() else {
            panic!("no condition");
        };
        assert_eq!(c.comparisons[0].note, None, "{operator}");
        assert_eq!(
            c.comparisons[0].resolved_value.as_deref().map(str::len),
            Some(crate::limits::MAX_SHOWN_SUBSTITUTION_BYTES),
            "{operator}"
        );
    }
    // Equal values of the same length still match.
    let big = "a".repeat(100_000);
    let e = run_big(
        r#""Resource": "*", "Condition": { "StringEquals": { "s3:ExistingObjectTag/Team": "${s3:ExistingObjectTag/Big}" } }"#,
        &format!(r#", "s3:ExistingObjectTag/Team": "{big}""#),
    );
    assert_eq!(e.decision, Decision::Allow);
}

#[test]
fn a_bool_value_longer_than_false_is_not_a_bool() {
    let e = run_big(
        r#""Resource": "*", "Condition": { "Bool": { "aws:SecureTransport": "${s3:ExistingObjectTag/Big}" } }"#,
        r#", "aws:SecureTransport": "true""#,
    );
    assert_eq!(e.decision, Decision::ImplicitDeny);
    let statement = e.policies[0].statements.traces().next().unwrap();
    let Some(Check::Condition(c)) = statement.checks.last() else {
        panic!("no condition");
    };
    let Some(ComparisonNote::NotABool { value, .. }) = &c.comparisons[0].note else {
        panic!("{:?}", c.comparisons[0].note);
    };
    assert_eq!(value.len(), crate::limits::MAX_SHOWN_SUBSTITUTION_BYTES);
    // Too long to build, it is still a substituted `Bool` value (noted).
    let e = run_big(
        r#""Resource": "*", "Condition": { "Bool": { "aws:SecureTransport": "${B}" } }"#,
        r#", "aws:SecureTransport": "true""#,
    );
    assert_eq!(e.decision, Decision::ImplicitDeny);
    assert!(
        e.notes.iter().any(|n| n.code == "bool-policy-variable"),
        "{:?}",
        e.notes
    );
}

#[test]
fn a_resource_pattern_longer_than_the_resource_is_shown_and_does_not_match() {
    let e = run_big(
        r#""Resource": "arn:aws:s3:::b/${s3:ExistingObjectTag/Big}""#,
        "",
    );
    assert_eq!(e.decision, Decision::ImplicitDeny);
    let pattern = &resource_check(&e).patterns[0];
    assert!(!pattern.matched);
    assert_eq!(
        pattern.note.as_deref(),
        Some("after substitution this pattern is 100,015 bytes long; only its first 4,096 bytes are shown")
    );
}
