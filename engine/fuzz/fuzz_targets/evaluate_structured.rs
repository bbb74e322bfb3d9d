//! Scenarios built from a small vocabulary of principals, actions, resources,
//! condition operators, keys and values, so that most inputs are valid and
//! reach the deep evaluation paths (every policy type, cross-account,
//! organization levels, conditions with set operators and variables).
#![no_main]

use arbitrary::Arbitrary;
use iam_engine::Scenario;
use libfuzzer_sys::fuzz_target;
use serde_json::{json, Map, Value};

const PRINCIPALS: &[&str] = &[
    "arn:aws:iam::111122223333:user/alice",
    "arn:aws:iam::111122223333:user/division/bob",
    "arn:aws:iam::111122223333:role/Dev",
    "arn:aws:sts::111122223333:assumed-role/Dev/alice-session",
    "arn:aws:iam::444455556666:user/carol",
    "arn:aws:sts::444455556666:federated-user/dave",
    "arn:aws:iam::111122223333:root",
    "111122223333",
    "ec2.amazonaws.com",
    "*",
];

const ACTIONS: &[&str] = &[
    "s3:GetObject",
    "s3:PutObject",
    "s3:ListBucket",
    "iam:PassRole",
    "iam:CreateUser",
    "sts:AssumeRole",
    "ec2:RunInstances",
    "kms:Decrypt",
    "dynamodb:GetItem",
    "organizations:LeaveOrganization",
];

const ACTION_PATTERNS: &[&str] = &[
    "*",
    "s3:*",
    "s3:Get*",
    "s3:?etObject",
    "S3:getobject",
    "iam:*Role",
    "ec2:Run*",
    "kms:*",
    "sts:AssumeRole",
    "*:GetItem",
];

const RESOURCES: &[&str] = &[
    "arn:aws:s3:::bucket/home/alice/report.csv",
    "arn:aws:s3:::bucket",
    "arn:aws:iam::111122223333:role/Dev",
    "arn:aws:iam::111122223333:user/alice",
    "arn:aws:ec2:us-east-1:111122223333:instance/i-0123456789abcdef0",
    "arn:aws:kms:us-east-1:444455556666:key/1234abcd",
    "arn:aws:dynamodb:eu-west-1:444455556666:table/Books",
    "*",
];

const RESOURCE_PATTERNS: &[&str] = &[
    "*",
    "arn:aws:s3:::bucket/*",
    "arn:aws:s3:::bucket",
    "arn:aws:s3:::*",
    "arn:aws:s3:::bucket/home/${aws:username}/*",
    "arn:aws:*:*:111122223333:*",
    "arn:aws:iam::*:role/D?v",
    "arn:aws:iam::111122223333:user/${aws:PrincipalTag/team, 'none'}",
    "arn:aws:kms:*:444455556666:key/*",
    "arn:aws:dynamodb:eu-west-1:444455556666:table/${aws:ResourceTag/env}",
];

const OPERATORS: &[&str] = &[
    "StringEquals",
    "StringNotEquals",
    "StringEqualsIgnoreCase",
    "StringNotEqualsIgnoreCase",
    "StringLike",
    "StringNotLike",
    "NumericEquals",
    "NumericNotEquals",
    "NumericLessThan",
    "NumericLessThanEquals",
    "NumericGreaterThan",
    "NumericGreaterThanEquals",
    "DateEquals",
    "DateNotEquals",
    "DateLessThan",
    "DateLessThanEquals",
    "DateGreaterThan",
    "DateGreaterThanEquals",
    "Bool",
    "BinaryEquals",
    "IpAddress",
    "NotIpAddress",
    "ArnEquals",
    "ArnLike",
    "ArnNotEquals",
    "ArnNotLike",
    "Null",
];

const KEYS: &[&str] = &[
    "aws:SourceIp",
    "aws:username",
    "aws:userid",
    "aws:PrincipalTag/team",
    "aws:RequestTag/env",
    "aws:ResourceTag/env",
    "aws:TagKeys",
    "aws:CurrentTime",
    "aws:EpochTime",
    "aws:SecureTransport",
    "aws:MultiFactorAuthPresent",
    "aws:MultiFactorAuthAge",
    "aws:PrincipalArn",
    "aws:PrincipalAccount",
    "aws:PrincipalOrgID",
    "aws:PrincipalType",
    "aws:SourceArn",
    "aws:SourceAccount",
    "aws:ResourceAccount",
    "aws:CalledVia",
    "aws:ViaAWSService",
    "aws:RequestedRegion",
    "s3:prefix",
    "s3:x-amz-server-side-encryption",
    "iam:PassedToService",
];

const VALUES: &[&str] = &[
    "203.0.113.0/24",
    "203.0.113.7",
    "2001:db8::/32",
    "2001:db8::1",
    "alice",
    "dev",
    "prod",
    "env",
    "team",
    "${aws:username}",
    "${aws:PrincipalTag/team}",
    "${*}",
    "*",
    "d?v",
    "true",
    "false",
    "0",
    "10",
    "3600",
    "-1.5",
    "2026-01-01T00:00:00Z",
    "2026-11-22",
    "1767225600",
    "arn:aws:iam::111122223333:user/*",
    "arn:aws:iam::111122223333:role/Dev",
    "111122223333",
    "444455556666",
    "o-a1b2c3d4e5",
    "home/alice/",
    "",
    "dGVzdA==",
    "us-east-1",
    "AES256",
    "ec2.amazonaws.com",
    "IAMUser",
];

const PRINCIPAL_ELEMENTS: &[&str] = &[
    r#""*""#,
    r#"{"AWS": "*"}"#,
    r#"{"AWS": "111122223333"}"#,
    r#"{"AWS": "arn:aws:iam::111122223333:root"}"#,
    r#"{"AWS": "arn:aws:iam::111122223333:user/alice"}"#,
    r#"{"AWS": ["arn:aws:iam::444455556666:user/carol", "arn:aws:iam::111122223333:role/Dev"]}"#,
    r#"{"AWS": "arn:aws:sts::111122223333:assumed-role/Dev/alice-session"}"#,
    r#"{"AWS": "444455556666"}"#,
    r#"{"Service": "ec2.amazonaws.com"}"#,
    r#"{"Service": ["ec2.amazonaws.com", "lambda.amazonaws.com"]}"#,
    r#"{"Federated": "cognito-identity.amazonaws.com"}"#,
];

const LEVELS: &[&str] = &["root", "ou-dev", "account"];
const ACCOUNTS: &[&str] = &["111122223333", "444455556666"];

fn pick<'a>(list: &[&'a str], i: u8) -> &'a str {
    list.get(usize::from(i) % list.len()).copied().unwrap_or("")
}

#[derive(Arbitrary, Debug)]
struct Input {
    first: PolicyInput,
    more: Vec<PolicyInput>,
    principal: u8,
    action: u8,
    resource: u8,
    resource_account: Option<u8>,
    context: Vec<(u8, ContextInput)>,
}

#[derive(Arbitrary, Debug)]
struct PolicyInput {
    kind: u8,
    level: u8,
    account: Option<u8>,
    old_version: bool,
    as_text: bool,
    first: StatementInput,
    more: Vec<StatementInput>,
}

#[derive(Arbitrary, Debug)]
struct StatementInput {
    sid: Option<u8>,
    deny: bool,
    not_action: bool,
    actions: Vec<u8>,
    not_resource: bool,
    resources: Vec<u8>,
    not_principal: bool,
    principal: u8,
    conditions: Vec<ConditionInput>,
}

#[derive(Arbitrary, Debug)]
struct ConditionInput {
    operator: u8,
    if_exists: bool,
    set: u8,
    key: u8,
    values: Vec<u8>,
    single: bool,
}

#[derive(Arbitrary, Debug)]
enum ContextInput {
    Text(u8),
    Number(i16),
    Bool(bool),
    List(Vec<u8>),
}

fn list(items: &[u8], vocabulary: &[&str], max: usize) -> Value {
    let values: Vec<Value> = items
        .iter()
        .take(max)
        .map(|i| Value::from(pick(vocabulary, *i)))
        .collect();
    match values.as_slice() {
        [] => Value::from(pick(vocabulary, 0)),
        [one] => one.clone(),
        _ => Value::Array(values),
    }
}

fn statement(s: &StatementInput, kind: usize, index: usize) -> Value {
    let mut m = Map::new();
    if let Some(sid) = s.sid {
        // Unique within the policy; sometimes empty, as in AWS's own examples.
        let sid = if sid % 8 == 0 {
            String::new()
        } else {
            format!("S{index}")
        };
        m.insert("Sid".into(), Value::from(sid));
    }
    m.insert(
        "Effect".into(),
        Value::from(if s.deny { "Deny" } else { "Allow" }),
    );
    let action_key = if s.not_action { "NotAction" } else { "Action" };
    m.insert(action_key.into(), list(&s.actions, ACTION_PATTERNS, 4));
    // Identity-side policies need a resource; organization and resource
    // policies may leave it out.
    let needs_resource = matches!(kind, 0 | 2 | 5);
    if needs_resource || !s.resources.is_empty() {
        let key = if s.not_resource {
            "NotResource"
        } else {
            "Resource"
        };
        m.insert(key.into(), list(&s.resources, RESOURCE_PATTERNS, 4));
    }
    match kind {
        // Resource-based: any principal element.
        1 => {
            let key = if s.not_principal {
                "NotPrincipal"
            } else {
                "Principal"
            };
            let element =
                serde_json::from_str(pick(PRINCIPAL_ELEMENTS, s.principal)).unwrap_or(Value::Null);
            m.insert(key.into(), element);
        }
        // RCPs: always every principal.
        4 => {
            m.insert("Principal".into(), Value::from("*"));
        }
        _ => {}
    }
    if !s.conditions.is_empty() {
        let mut block = Map::new();
        for c in s.conditions.iter().take(3) {
            let prefix = match c.set % 4 {
                1 => "ForAnyValue:",
                2 => "ForAllValues:",
                _ => "",
            };
            let suffix = if c.if_exists { "IfExists" } else { "" };
            let operator = format!("{prefix}{}{suffix}", pick(OPERATORS, c.operator));
            let values: Vec<Value> = match c.values.as_slice() {
                [] => vec![Value::from(pick(VALUES, c.key))],
                items => items
                    .iter()
                    .take(3)
                    .map(|v| Value::from(pick(VALUES, *v)))
                    .collect(),
            };
            let values = match values.as_slice() {
                [one] if c.single => one.clone(),
                _ => Value::Array(values),
            };
            let entry = block
                .entry(operator)
                .or_insert_with(|| Value::Object(Map::new()));
            if let Value::Object(keys) = entry {
                keys.insert(pick(KEYS, c.key).to_owned(), values);
            }
        }
        m.insert("Condition".into(), Value::Object(block));
    }
    Value::Object(m)
}

fn policy(p: &PolicyInput, index: usize) -> Value {
    let kind = usize::from(p.kind) % 6;
    let type_name = [
        "identity",
        "resource",
        "permissions-boundary",
        "scp",
        "rcp",
        "session",
    ]
    .get(kind)
    .copied()
    .unwrap_or("identity");
    let statements: Vec<Value> = std::iter::once(&p.first)
        .chain(p.more.iter().take(3))
        .enumerate()
        .map(|(i, s)| statement(s, kind, i))
        .collect();
    // RCPs require the current version.
    let version = if p.old_version && kind != 4 {
        "2008-10-17"
    } else {
        "2012-10-17"
    };
    let document = json!({ "Version": version, "Statement": statements });
    let mut entry = Map::new();
    entry.insert("name".into(), Value::from(format!("P{index}")));
    entry.insert("type".into(), Value::from(type_name));
    if kind == 3 || kind == 4 {
        entry.insert("level".into(), Value::from(pick(LEVELS, p.level)));
    }
    if let (1, Some(account)) = (kind, p.account) {
        entry.insert("account".into(), Value::from(pick(ACCOUNTS, account)));
    }
    let document = if p.as_text {
        Value::from(serde_json::to_string_pretty(&document).unwrap_or_default())
    } else {
        document
    };
    entry.insert("document".into(), document);
    Value::Object(entry)
}

fn scenario_text(input: &Input) -> String {
    let policies: Vec<Value> = std::iter::once(&input.first)
        .chain(input.more.iter().take(5))
        .enumerate()
        .map(|(i, p)| policy(p, i))
        .collect();
    let mut request = Map::new();
    request.insert(
        "principal".into(),
        Value::from(pick(PRINCIPALS, input.principal)),
    );
    request.insert("action".into(), Value::from(pick(ACTIONS, input.action)));
    request.insert(
        "resource".into(),
        Value::from(pick(RESOURCES, input.resource)),
    );
    if let Some(account) = input.resource_account {
        request.insert(
            "resource_account".into(),
            Value::from(pick(ACCOUNTS, account)),
        );
    }
    let mut context = Map::new();
    for (key, value) in input.context.iter().take(6) {
        let value = match value {
            ContextInput::Text(v) => Value::from(pick(VALUES, *v)),
            ContextInput::Number(n) => Value::from(*n),
            ContextInput::Bool(b) => Value::from(*b),
            ContextInput::List(items) => Value::Array(
                items
                    .iter()
                    .take(4)
                    .map(|v| Value::from(pick(VALUES, *v)))
                    .collect(),
            ),
        };
        context.insert(pick(KEYS, *key).to_owned(), value);
    }
    if !context.is_empty() {
        request.insert("context".into(), Value::Object(context));
    }
    serde_json::to_string_pretty(&json!({ "policies": policies, "request": request }))
        .unwrap_or_default()
}

fuzz_target!(|input: Input| {
    let text = scenario_text(&input);
    let parsed = Scenario::parse(&text);
    let Some(scenario) = &parsed.scenario else {
        panic!(
            "a generated scenario does not read: {:?}\n{text}",
            parsed.diagnostics
        );
    };
    fuzz_checks::check_round_trip(scenario);
    fuzz_checks::evaluate_and_check(scenario);
    // The text entry point answers exactly as evaluating the parsed scenario.
    let via_text = iam_engine::ffi::evaluate_scenario_text(&text);
    if !parsed.has_errors() {
        assert_eq!(
            via_text.as_ref().ok(),
            iam_engine::evaluate(scenario).as_ref().ok()
        );
    } else {
        assert!(via_text.is_err(), "a scenario with errors was evaluated");
    }
});
