//! Unit tests for the policy parser: every grammar element and every rejection.

use super::*;
use crate::diagnostics::Severity;
use crate::policy::{Effect, PolicyVersion, PrincipalKind, PrincipalSpec};

fn parse(text: &str, policy_type: PolicyType) -> ParsedPolicy {
    parse_policy(text, policy_type)
}

fn identity(text: &str) -> ParsedPolicy {
    parse(text, PolicyType::Identity)
}

/// Wraps statement JSON in a 2012-10-17 policy.
fn stmt(statement: &str) -> String {
    format!("{{\"Version\": \"2012-10-17\", \"Statement\": [{statement}]}}")
}

fn errors(parsed: &ParsedPolicy) -> Vec<&Diagnostic> {
    parsed.diagnostics.iter().filter(|d| d.is_error()).collect()
}

/// Asserts exactly one error whose message contains `fragment` and whose
/// span underlines `underlined`.
fn expect_error(
    text: &str,
    policy_type: PolicyType,
    fragment: &str,
    underlined: &str,
) -> Diagnostic {
    let parsed = parse(text, policy_type);
    let errs = errors(&parsed);
    assert_eq!(
        errs.len(),
        1,
        "expected one error, got {:#?}",
        parsed.diagnostics
    );
    let d = errs[0].clone();
    assert!(
        d.message.contains(fragment),
        "message {:?} lacks {fragment:?}",
        d.message
    );
    assert_eq!(d.span.slice(text), underlined, "underline of {d:?}");
    assert!(d.line >= 1 && d.column >= 1);
    d
}

fn expect_warning(text: &str, policy_type: PolicyType, code: &str) -> Diagnostic {
    let parsed = parse(text, policy_type);
    assert!(
        errors(&parsed).is_empty(),
        "unexpected errors {:#?}",
        parsed.diagnostics
    );
    parsed
        .diagnostics
        .iter()
        .find(|d| d.code == code && d.severity == Severity::Warning)
        .cloned()
        .unwrap_or_else(|| panic!("no warning {code} in {:#?}", parsed.diagnostics))
}

#[test]
fn parses_a_full_identity_policy() {
    let text = r#"{
  "Version": "2012-10-17",
  "Id": "Example",
  "Statement": [
    {"Sid": "Read", "Effect": "Allow", "Action": ["s3:GetObject", "s3:List*"], "Resource": "arn:aws:s3:::b/*",
     "Condition": {"StringEquals": {"aws:username": ["alice", "bob"]}, "Bool": {"aws:SecureTransport": true}}},
    {"Effect": "Deny", "NotAction": "iam:*", "NotResource": ["arn:aws:s3:::b/secret/*"]}
  ]
}"#;
    let parsed = identity(text);
    assert!(parsed.diagnostics.is_empty(), "{:#?}", parsed.diagnostics);
    let policy = parsed.policy.unwrap();
    assert_eq!(
        policy.version.as_ref().unwrap().value,
        PolicyVersion::V2012_10_17
    );
    assert_eq!(policy.id.as_ref().unwrap().value, "Example");
    assert_eq!(policy.statements.len(), 2);
    let read = &policy.statements[0];
    assert_eq!(read.label(), "Read");
    assert_eq!(read.effect.value, Effect::Allow);
    assert_eq!(read.action.patterns.len(), 2);
    assert_eq!(read.conditions.len(), 2);
    assert_eq!(read.conditions[0].values.len(), 2);
    assert_eq!(read.conditions[1].values[0].text, "true");
    let deny = &policy.statements[1];
    assert_eq!(deny.label(), "#1");
    assert!(deny.action.negated);
    assert!(deny.resource.as_ref().unwrap().negated);
    assert_eq!(deny.span.slice(text).chars().next(), Some('{'));
}

#[test]
fn statement_may_be_a_single_object() {
    let parsed = identity(
        r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}"#,
    );
    assert!(parsed.diagnostics.is_empty());
    assert_eq!(parsed.policy.unwrap().statements.len(), 1);
}

#[test]
fn versions() {
    let old = r#"{"Version":"2008-10-17","Statement":[]}"#;
    let parsed = identity(old);
    assert!(!parsed.policy.unwrap().variables_enabled());
    expect_warning(old, PolicyType::Identity, "old-version");
    let none = r#"{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}"#;
    expect_warning(none, PolicyType::Identity, "missing-version");
    let d = expect_error(
        r#"{"Version":"2024-01-01","Statement":[]}"#,
        PolicyType::Identity,
        "not a policy language version",
        "\"2024-01-01\"",
    );
    assert!(d.help.unwrap().contains("2012-10-17"));
}

#[test]
fn unknown_elements_suggest_the_right_name() {
    let text = stmt(r#"{"Efect":"Allow","Effect":"Allow","Action":"*","Resource":"*"}"#);
    let d = expect_error(
        &text,
        PolicyType::Identity,
        "unknown element `Efect`",
        "\"Efect\"",
    );
    assert_eq!(d.help.as_deref(), Some("did you mean `Effect`?"));
    let text = stmt(r#"{"Effect":"Allow","Actions":"*","Resource":"*"}"#);
    let parsed = identity(&text);
    assert!(parsed
        .diagnostics
        .iter()
        .any(|d| d.help.as_deref() == Some("did you mean `Action`?")));
    let d = expect_error(
        r#"{"Version":"2012-10-17","Effect":"Allow","Statement":[]}"#,
        PolicyType::Identity,
        "unknown element `Effect` in the policy",
        "\"Effect\"",
    );
    assert!(d.help.unwrap().contains("inside a statement"));
}

#[test]
fn effect_rules() {
    let d = expect_error(
        &stmt(r#"{"Effect":"allow","Action":"*","Resource":"*"}"#),
        PolicyType::Identity,
        "`allow` is not an effect",
        "\"allow\"",
    );
    assert!(d.help.unwrap().contains("case-sensitive"));
    expect_error(
        &stmt(r#"{"Action":"*","Resource":"*"}"#),
        PolicyType::Identity,
        "no `Effect`",
        "{",
    );
    expect_error(
        &stmt(r#"{"Effect":true,"Action":"*","Resource":"*"}"#),
        PolicyType::Identity,
        "`Effect` must be a string, found a boolean",
        "true",
    );
}

#[test]
fn action_rules() {
    expect_error(
        &stmt(r#"{"Effect":"Allow","Action":"*","NotAction":"s3:*","Resource":"*"}"#),
        PolicyType::Identity,
        "both `Action` and `NotAction`",
        "\"NotAction\"",
    );
    expect_error(
        &stmt(r#"{"Effect":"Allow","Resource":"*"}"#),
        PolicyType::Identity,
        "no `Action` or `NotAction`",
        "{",
    );
    let d = expect_error(
        &stmt(r#"{"Effect":"Allow","Action":"GetObject","Resource":"*"}"#),
        PolicyType::Identity,
        "no service prefix",
        "\"GetObject\"",
    );
    assert!(d.help.unwrap().contains("s3:GetObject"));
    expect_error(
        &stmt(r#"{"Effect":"Allow","Action":[],"Resource":"*"}"#),
        PolicyType::Identity,
        "empty array",
        "[]",
    );
    expect_error(
        &stmt(r#"{"Effect":"Allow","Action":["s3:*", 5],"Resource":"*"}"#),
        PolicyType::Identity,
        "must be a string, found a number",
        "5",
    );
    expect_error(
        &stmt(r#"{"Effect":"Allow","Action":"s3:Get Object","Resource":"*"}"#),
        PolicyType::Identity,
        "whitespace",
        "\"s3:Get Object\"",
    );
}

#[test]
fn resource_rules() {
    expect_error(
        &stmt(r#"{"Effect":"Allow","Action":"*","Resource":"*","NotResource":"*"}"#),
        PolicyType::Identity,
        "both `Resource` and `NotResource`",
        "\"NotResource\"",
    );
    expect_error(
        &stmt(r#"{"Effect":"Allow","Action":"*"}"#),
        PolicyType::Identity,
        "no `Resource`",
        "{",
    );
    let d = expect_error(
        &stmt(r#"{"Effect":"Allow","Action":"s3:*","Resource":"bucket/*"}"#),
        PolicyType::Identity,
        "`bucket/*` is not an ARN",
        "\"bucket/*\"",
    );
    assert!(d.help.unwrap().contains("arn:aws:s3:::bucket/*"));
    expect_error(
        &stmt(r#"{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3"}"#),
        PolicyType::Identity,
        "3 of the 6 parts",
        "\"arn:aws:s3\"",
    );
    expect_warning(
        &stmt(r#"{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws::s3:*"}"#),
        PolicyType::Identity,
        "never-matches",
    );
    expect_warning(
        &stmt(r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket"}"#),
        PolicyType::Identity,
        "s3-object-action-on-bucket",
    );
    expect_warning(
        &stmt(r#"{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::bucket/*"}"#),
        PolicyType::Identity,
        "s3-bucket-action-on-object",
    );
    // Trust policies and SCPs may leave Resource out.
    let trust = stmt(
        r#"{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}"#,
    );
    assert!(parse(&trust, PolicyType::Resource).diagnostics.is_empty());
    let scp = stmt(r#"{"Effect":"Deny","Action":"ec2:*"}"#);
    assert!(parse(&scp, PolicyType::Scp).diagnostics.is_empty());
}

#[test]
fn principal_rules() {
    let with_principal = stmt(r#"{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}"#);
    expect_error(
        &with_principal,
        PolicyType::Identity,
        "cannot have `Principal`",
        "\"Principal\"",
    );
    expect_error(
        &with_principal,
        PolicyType::PermissionsBoundary,
        "cannot have `Principal`",
        "\"Principal\"",
    );
    expect_error(
        &with_principal,
        PolicyType::Scp,
        "cannot have `Principal`",
        "\"Principal\"",
    );
    assert!(parse(&with_principal, PolicyType::Rcp)
        .diagnostics
        .is_empty());
    expect_error(
        &stmt(r#"{"Effect":"Allow","Action":"s3:*","Resource":"*"}"#),
        PolicyType::Resource,
        "needs a `Principal`",
        "{",
    );
    expect_error(
        &stmt(
            r#"{"Effect":"Allow","Principal":"*","NotPrincipal":{"AWS":"111122223333"},"Action":"s3:*","Resource":"*"}"#,
        ),
        PolicyType::Resource,
        "both `Principal` and `NotPrincipal`",
        "\"NotPrincipal\"",
    );
    let d = expect_error(
        &stmt(
            r#"{"Effect":"Allow","Principal":{"Aws":"111122223333"},"Action":"s3:*","Resource":"*"}"#,
        ),
        PolicyType::Resource,
        "unknown element `Aws`",
        "\"Aws\"",
    );
    assert_eq!(d.help.as_deref(), Some("did you mean `AWS`?"));
    expect_error(
        &stmt(r#"{"Effect":"Allow","Principal":{"AWS":"alice"},"Action":"s3:*","Resource":"*"}"#),
        PolicyType::Resource,
        "not an account id or an IAM ARN",
        "\"alice\"",
    );
    expect_error(
        &stmt(
            r#"{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:user/*"},"Action":"s3:*","Resource":"*"}"#,
        ),
        PolicyType::Resource,
        "wildcards are not allowed",
        "\"arn:aws:iam::111122223333:user/*\"",
    );
    expect_error(
        &stmt(r#"{"Effect":"Allow","Principal":"alice","Action":"s3:*","Resource":"*"}"#),
        PolicyType::Resource,
        "can only be \"*\"",
        "\"alice\"",
    );
    expect_error(
        &stmt(
            r#"{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:group/devs"},"Action":"s3:*","Resource":"*"}"#,
        ),
        PolicyType::Resource,
        "group cannot be a principal",
        "\"arn:aws:iam::111122223333:group/devs\"",
    );
    expect_error(
        &stmt(
            r#"{"Effect":"Deny","Principal":{"AWS":"111122223333"},"Action":"s3:*","Resource":"*"}"#,
        ),
        PolicyType::Rcp,
        "must be \"Principal\": \"*\"",
        "\"Principal\":{\"AWS\":\"111122223333\"}",
    );
    expect_warning(
        &stmt(
            r#"{"Effect":"Allow","NotPrincipal":{"AWS":"111122223333"},"Action":"s3:*","Resource":"*"}"#,
        ),
        PolicyType::Resource,
        "notprincipal-allow",
    );

    let ok = stmt(
        r#"{"Effect":"Allow","Principal":{"AWS":["111122223333","arn:aws:iam::444455556666:root","arn:aws:sts::111122223333:assumed-role/R/s"],"Service":"ec2.amazonaws.com","Federated":"cognito-identity.amazonaws.com","CanonicalUser":"79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"},"Action":"s3:*","Resource":"*"}"#,
    );
    let parsed = parse(&ok, PolicyType::Resource);
    assert!(parsed.diagnostics.is_empty(), "{:#?}", parsed.diagnostics);
    let policy = parsed.policy.unwrap();
    let PrincipalSpec::Entries(entries) = &policy.statements[0].principal.as_ref().unwrap().spec
    else {
        panic!()
    };
    assert_eq!(entries.len(), 6);
    assert_eq!(entries[4].kind, PrincipalKind::Federated);
}

#[test]
fn condition_rules() {
    expect_error(
        &stmt(r#"{"Effect":"Allow","Action":"*","Resource":"*","Condition":"x"}"#),
        PolicyType::Identity,
        "`Condition` must be an object",
        "\"x\"",
    );
    expect_error(
        &stmt(r#"{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":"x"}}"#),
        PolicyType::Identity,
        "`StringEquals` must be an object",
        "\"x\"",
    );
    expect_error(
        &stmt(
            r#"{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"aws:username":[]}}}"#,
        ),
        PolicyType::Identity,
        "has no values",
        "[]",
    );
    expect_error(
        &stmt(
            r#"{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"aws:username":{"a":1}}}}"#,
        ),
        PolicyType::Identity,
        "must be a string, number or boolean",
        "{\"a\":1}",
    );
    expect_error(
        &stmt(r#"{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{}}}"#),
        PolicyType::Identity,
        "has no condition keys",
        "{}",
    );
    expect_error(
        &stmt(
            r#"{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"aws:username":"a","AWS:UserName":"b"}}}"#,
        ),
        PolicyType::Identity,
        "appears twice",
        "\"AWS:UserName\"",
    );
}

#[test]
fn duplicate_sids_and_keys() {
    expect_error(
        &stmt(
            r#"{"Sid":"A","Effect":"Allow","Action":"*","Resource":"*"},{"Sid":"A","Effect":"Deny","Action":"*","Resource":"*"}"#,
        ),
        PolicyType::Identity,
        "`Sid` `A`",
        "\"A\"",
    );
    expect_error(
        &stmt(r#"{"Effect":"Allow","Effect":"Deny","Action":"*","Resource":"*"}"#),
        PolicyType::Identity,
        "`Effect` appears twice",
        "\"Effect\"",
    );
    expect_error(
        &stmt(r#"{"Sid":"Allow reads","Effect":"Allow","Action":"*","Resource":"*"}"#),
        PolicyType::Identity,
        "only letters and digits",
        "\"Allow reads\"",
    );
    let s3 = stmt(
        r#"{"Sid":"Allow reads","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}"#,
    );
    assert!(parse(&s3, PolicyType::Resource).diagnostics.is_empty());
}

#[test]
fn document_shape_errors() {
    expect_error(
        "[]",
        PolicyType::Identity,
        "must be a JSON object, found an array",
        "[]",
    );
    expect_error(
        r#"{"Version":"2012-10-17"}"#,
        PolicyType::Identity,
        "no `Statement`",
        r#"{"Version":"2012-10-17"}"#,
    );
    expect_error(
        r#"{"Version":"2012-10-17","Statement":"x"}"#,
        PolicyType::Identity,
        "`Statement` must be an object or an array",
        "\"x\"",
    );
    expect_error(
        r#"{"Version":"2012-10-17","Statement":[1]}"#,
        PolicyType::Identity,
        "each statement",
        "1",
    );
    expect_warning(
        r#"{"Version":"2012-10-17","Statement":[]}"#,
        PolicyType::Identity,
        "empty-statement",
    );
    let d = expect_error(
        "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [,]\n}",
        PolicyType::Identity,
        "a value is missing before `,`",
        ",",
    );
    assert_eq!((d.line, d.column), (3, 17));
}

#[test]
fn size_limits_are_warnings() {
    let actions: Vec<String> = (0..600).map(|i| format!("\"s3:Action{i}\"")).collect();
    let text = stmt(&format!(
        r#"{{"Effect":"Allow","Action":[{}],"Resource":"*"}}"#,
        actions.join(",")
    ));
    let d = expect_warning(&text, PolicyType::Scp, "size-limit");
    assert!(d.message.contains("5120"));
    assert!(parse(&text, PolicyType::Identity)
        .diagnostics
        .iter()
        .any(|d| d.code == "size-limit"));
}

#[test]
fn hostile_input_never_panics() {
    let huge = format!(
        "{{\"Version\":\"2012-10-17\",\"Statement\":[{}]}}",
        vec![r#"{"Effect":"Allow","Action":"*","Resource":"*"}"#; 60_000].join(",")
    );
    assert!(huge.len() > 2_000_000);
    let parsed = identity(&huge);
    assert_eq!(parsed.diagnostics[0].code, "too-large");
    let deep = "[".repeat(100_000);
    assert_eq!(identity(&deep).diagnostics[0].code, "too-deep");
    for text in [
        "",
        "null",
        "\"x\"",
        "{",
        "{\"Statement\":[{\"Effect\":\"Allow\"",
        "\u{0}\u{1}",
    ] {
        let _ = identity(text);
    }
}

/// The help of the only diagnostic with `code`.
fn help_of(text: &str, policy_type: PolicyType, code: &str) -> String {
    let parsed = parse(text, policy_type);
    let found: Vec<&Diagnostic> = parsed
        .diagnostics
        .iter()
        .filter(|d| d.code == code)
        .collect();
    assert_eq!(found.len(), 1, "{:#?}", parsed.diagnostics);
    found[0].help.clone().unwrap_or_default()
}

#[test]
fn messages_use_the_right_article_for_each_policy_type() {
    let with_principal = stmt(r#"{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}"#);
    for (policy_type, want) in [
        (PolicyType::Identity, "an identity-based policy cannot"),
        (
            PolicyType::PermissionsBoundary,
            "a permissions boundary cannot",
        ),
        (PolicyType::Scp, "a service control policy (SCP) cannot"),
        (PolicyType::Session, "a session policy cannot"),
    ] {
        expect_error(&with_principal, policy_type, want, "\"Principal\"");
    }
    let help = help_of(
        &stmt(r#"{"Effect":"Allow","Action":"*"}"#),
        PolicyType::Session,
        "missing-resource",
    );
    assert!(
        help.starts_with("a statement in a session policy"),
        "{help}"
    );
}

#[test]
fn help_shows_the_learners_own_text_fixed() {
    let help = help_of(
        &stmt(r#"{"Effect":"Allow","Action":"ec2:Describe Instances","Resource":"*"}"#),
        PolicyType::Identity,
        "invalid-action",
    );
    assert!(help.contains("`ec2:DescribeInstances`"), "{help}");
    let help = help_of(
        &stmt(r#"{"Effect":"Allow","Action":"s3:","Resource":"*"}"#),
        PolicyType::Identity,
        "invalid-action",
    );
    assert!(help.contains("`s3:*`"), "{help}");
    let help = help_of(
        &stmt(r#"{"Sid":"Allow read access","Effect":"Allow","Action":"s3:*","Resource":"*"}"#),
        PolicyType::Identity,
        "invalid-sid",
    );
    assert!(help.contains("`AllowReadAccess`"), "{help}");
    let help = help_of(
        &stmt(r#"{"Effect":"Allow","Action":"s3:*","Resource":"s3:::bucket/*"}"#),
        PolicyType::Identity,
        "invalid-resource",
    );
    assert!(
        help.contains("did you mean `arn:aws:s3:::bucket/*`?"),
        "{help}"
    );
    let help = help_of(
        &stmt(r#"{"Effect":"Allow","Principal":"111122223333","Action":"s3:*"}"#),
        PolicyType::Resource,
        "invalid-principal",
    );
    assert_eq!(
        help,
        "name principals in an object: {\"AWS\": \"111122223333\"}"
    );
    let help = help_of(
        &stmt(
            r#"{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalTag":{"Team":"a"}}}}"#,
        ),
        PolicyType::Identity,
        "wrong-type",
    );
    assert!(help.contains("\"aws:PrincipalTag/Team\""), "{help}");
    let help = help_of(
        &stmt(r#"{"Effect":"Allow","Effect":"Deny","Action":"s3:*","Resource":"*"}"#),
        PolicyType::Identity,
        "duplicate-element",
    );
    assert!(!help.contains("byte"), "{help}");
}

#[test]
fn empty_effect_and_statement_items_read_naturally() {
    expect_error(
        &stmt(r#"{"Effect":"","Action":"s3:*","Resource":"*"}"#),
        PolicyType::Identity,
        "`Effect` is empty",
        "\"\"",
    );
    let d = expect_error(
        r#"{"Version":"2012-10-17","Statement":["s3:GetObject"]}"#,
        PolicyType::Identity,
        "each statement must be an object, found a string",
        "\"s3:GetObject\"",
    );
    assert!(!d.message.contains('`'), "{}", d.message);
}

#[test]
fn arns_in_action_and_service_wildcards() {
    let d = expect_warning(
        &stmt(r#"{"Effect":"Allow","Action":"arn:aws:s3:::b/*","Resource":"*"}"#),
        PolicyType::Identity,
        "arn-in-action",
    );
    assert!(d.message.contains("is an ARN, not an action"));
    expect_error(
        &stmt(r#"{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s*:::b/*"}"#),
        PolicyType::Identity,
        "wildcards in the service part",
        "\"arn:aws:s*:::b/*\"",
    );
    // A whole-segment `*` service stays accepted.
    assert!(!parse(
        &stmt(r#"{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:*:*:*:*"}"#),
        PolicyType::Identity
    )
    .has_errors());
    let d = expect_warning(
        &stmt(r#"{"Effect":"Allow","Action":"s3:*","Resource":"arn::s3:::b"}"#),
        PolicyType::Identity,
        "never-matches",
    );
    assert!(d.message.contains("empty partition"), "{}", d.message);
}

#[test]
fn variables_in_condition_values_are_literal_without_2012() {
    let text = r#"{"Version":"2008-10-17","Statement":{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*","Condition":{"StringLike":{"s3:prefix":"home/${aws:username}/*"}}}}"#;
    let d = expect_warning(text, PolicyType::Identity, "literal-variable");
    assert_eq!(d.span.slice(text), "\"home/${aws:username}/*\"");
    let modern = text.replace("2008-10-17", "2012-10-17");
    assert!(identity(&modern).diagnostics.is_empty());
}

#[test]
fn resource_control_policy_rules() {
    let no_version =
        r#"{"Statement":{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*"}}"#;
    expect_error(
        no_version,
        PolicyType::Rcp,
        "must have \"Version\": \"2012-10-17\"",
        "{",
    );
    let old = r#"{"Version":"2008-10-17","Statement":{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*"}}"#;
    expect_error(
        old,
        PolicyType::Rcp,
        "must use version 2012-10-17",
        "\"2008-10-17\"",
    );
    expect_error(
        &stmt(r#"{"Effect":"Deny","Principal":"*","NotAction":"s3:GetObject","Resource":"*"}"#),
        PolicyType::Rcp,
        "do not support `NotAction`",
        "\"NotAction\"",
    );
    expect_warning(
        &stmt(r#"{"Effect":"Allow","Principal":"*","Action":"sqs:*","Resource":"*"}"#),
        PolicyType::Rcp,
        "rcp-allow",
    );
    // RCPFullAWSAccess itself is fine.
    assert!(parse(
        &stmt(r#"{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}"#),
        PolicyType::Rcp
    )
    .diagnostics
    .is_empty());
}

#[test]
fn pasted_spaces_get_one_fix_for_all_of_them() {
    let text = "{\n\u{a0}\u{a0}\"Version\": \"2012-10-17\",\u{200b}\n\u{a0}\u{a0}\"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::b/\u{a0}x\"}]\n}";
    let parsed = identity(text);
    let d = &parsed.diagnostics[0];
    assert_eq!(
        d.message,
        "a no-break space (U+00A0) is not whitespace in JSON"
    );
    assert_eq!((d.line, d.column), (2, 1));
    let fix = d.fix.as_ref().expect("a quick fix");
    assert_eq!(
        fix.title,
        "replace the 4 unusual spaces with plain ones and delete the invisible character"
    );
    // The space inside the ARN is the value's own and stays.
    let fixed = fix.apply(text).expect("the edits fit");
    assert!(fixed.contains("b/\u{a0}x"));
    let reparsed = identity(&fixed);
    assert!(!reparsed.has_errors(), "{:#?}", reparsed.diagnostics);
}

#[test]
fn a_byte_order_mark_is_named_and_removed_by_the_fix() {
    let text = "\u{feff}{\"Version\": \"2012-10-17\", \"Statement\": []}";
    let parsed = identity(text);
    let d = &parsed.diagnostics[0];
    assert!(d
        .message
        .starts_with("the text starts with a byte-order mark"));
    let fix = d.fix.as_ref().expect("a quick fix");
    assert_eq!(fix.title, "delete the invisible character");
    assert_eq!(fix.apply(text).as_deref(), Some(&text[3..]));
}
