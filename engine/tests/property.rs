//! Property tests of the decision logic over generated scenarios:
//! - adding a Deny statement never turns a decision into Allow (it can only
//!   leave it as it was or make it an explicit deny);
//! - adding an Allow statement to an identity policy never turns Allow into
//!   a deny;
//! - a matching Deny in an applicable policy always wins;
//! - the same scenario always gives the same decision and trace.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test and benchmark code: a failure should stop the run loudly"
)]

use iam_engine::{evaluate, Decision, Evaluation, Scenario};
use proptest::prelude::*;
use serde_json::{json, Value};

const PRINCIPALS: &[&str] = &[
    "arn:aws:iam::111122223333:user/alice",
    "arn:aws:iam::111122223333:user/bob",
    "arn:aws:sts::111122223333:assumed-role/Dev/alice",
    "arn:aws:sts::111122223333:federated-user/carol",
    "arn:aws:iam::111122223333:root",
    "arn:aws:iam::444455556666:user/mallory",
    "cloudtrail.amazonaws.com",
    "*",
];
const REQUESTS: &[(&str, &str)] = &[
    ("s3:GetObject", "arn:aws:s3:::examplebucket/report.csv"),
    ("s3:PutObject", "arn:aws:s3:::secret/a"),
    ("s3:ListBucket", "arn:aws:s3:::examplebucket"),
    (
        "ec2:StartInstances",
        "arn:aws:ec2:us-east-1:111122223333:instance/i-1",
    ),
    ("kms:Decrypt", "arn:aws:kms:us-east-1:111122223333:key/k-1"),
    ("sts:AssumeRole", "arn:aws:iam::111122223333:role/Deploy"),
    ("iam:ListUsers", "*"),
];
const ACTIONS: &[&str] = &[
    "*",
    "s3:*",
    "s3:Get*",
    "s3:GetObject",
    "s3:PutObject",
    "ec2:*",
    "kms:Decrypt",
    "sts:AssumeRole",
    "iam:List*",
];
const RESOURCES: &[&str] = &[
    "*",
    "arn:aws:s3:::examplebucket/*",
    "arn:aws:s3:::examplebucket",
    "arn:aws:s3:::secret/*",
    "arn:aws:ec2:*:*:instance/*",
    "arn:aws:kms:us-east-1:111122223333:key/*",
    "arn:aws:iam::111122223333:role/Deploy",
    "arn:aws:s3:::home/${aws:username}/*",
];
const PRINCIPAL_ELEMENTS: &[&str] = &[
    "\"*\"",
    "{\"AWS\": \"111122223333\"}",
    "{\"AWS\": \"arn:aws:iam::111122223333:user/alice\"}",
    "{\"AWS\": \"arn:aws:iam::111122223333:role/Dev\"}",
    "{\"AWS\": \"arn:aws:sts::111122223333:assumed-role/Dev/alice\"}",
    "{\"AWS\": \"444455556666\"}",
    "{\"Service\": \"cloudtrail.amazonaws.com\"}",
];
const CONDITIONS: &[&str] = &[
    "{\"StringEquals\": {\"aws:username\": \"alice\"}}",
    "{\"Bool\": {\"aws:MultiFactorAuthPresent\": \"true\"}}",
    "{\"IpAddress\": {\"aws:SourceIp\": \"203.0.113.0/24\"}}",
    "{\"NotIpAddress\": {\"aws:SourceIp\": \"203.0.113.0/24\"}}",
    "{\"ForAllValues:StringEquals\": {\"aws:TagKeys\": [\"Env\", \"Dept\"]}}",
    "{\"ForAnyValue:StringLike\": {\"aws:TagKeys\": \"E*\"}}",
    "{\"StringNotEqualsIfExists\": {\"aws:RequestedRegion\": \"us-east-1\"}}",
    "{\"Null\": {\"aws:PrincipalTag/team\": \"true\"}}",
    "{\"NumericLessThan\": {\"aws:MultiFactorAuthAge\": \"3600\"}}",
];
const CONTEXTS: &[(&str, &str)] = &[
    ("aws:MultiFactorAuthPresent", "true"),
    ("aws:SourceIp", "\"203.0.113.9\""),
    ("aws:SourceIp", "\"198.51.100.1\""),
    ("aws:TagKeys", "[\"Env\"]"),
    ("aws:TagKeys", "[\"Owner\"]"),
    ("aws:RequestedRegion", "\"eu-west-1\""),
    ("aws:MultiFactorAuthAge", "120"),
];
const TYPES: &[&str] = &[
    "identity",
    "resource",
    "permissions-boundary",
    "scp",
    "rcp",
    "session",
];

#[derive(Debug, Clone)]
struct StatementSpec {
    deny: bool,
    actions: Vec<usize>,
    resources: Vec<usize>,
    principal: usize,
    condition: Option<usize>,
}

#[derive(Debug, Clone)]
struct PolicySpec {
    kind: usize,
    level: usize,
    statements: Vec<StatementSpec>,
}

#[derive(Debug, Clone)]
struct ScenarioSpec {
    principal: usize,
    request: usize,
    policies: Vec<PolicySpec>,
    context: Vec<usize>,
}

fn statement_strategy() -> impl Strategy<Value = StatementSpec> {
    (
        prop::bool::weighted(0.25),
        prop::collection::vec(0..ACTIONS.len(), 1..3),
        prop::collection::vec(0..RESOURCES.len(), 1..3),
        0..PRINCIPAL_ELEMENTS.len(),
        prop::option::weighted(0.4, 0..CONDITIONS.len()),
    )
        .prop_map(
            |(deny, actions, resources, principal, condition)| StatementSpec {
                deny,
                actions,
                resources,
                principal,
                condition,
            },
        )
}

fn scenario_strategy() -> impl Strategy<Value = ScenarioSpec> {
    let policy = (
        0..TYPES.len(),
        0..2usize,
        prop::collection::vec(statement_strategy(), 1..4),
    )
        .prop_map(|(kind, level, statements)| PolicySpec {
            kind,
            level,
            statements,
        });
    (
        0..PRINCIPALS.len(),
        0..REQUESTS.len(),
        prop::collection::vec(policy, 0..6),
        prop::collection::vec(0..CONTEXTS.len(), 0..4),
    )
        .prop_map(|(principal, request, policies, context)| ScenarioSpec {
            principal,
            request,
            policies,
            context,
        })
}

/// Scenarios whose first policy is an identity policy allowing everything,
/// so that many of them are allowed.
fn allowing_scenario_strategy() -> impl Strategy<Value = ScenarioSpec> {
    scenario_strategy().prop_map(|mut spec| {
        let allow_all = StatementSpec {
            deny: false,
            actions: vec![0],
            resources: vec![0],
            principal: 0,
            condition: None,
        };
        spec.policies.insert(
            0,
            PolicySpec {
                kind: 0,
                level: 0,
                statements: vec![allow_all],
            },
        );
        spec
    })
}

fn statement_json(s: &StatementSpec, kind: &str) -> Value {
    let mut st = json!({
        "Effect": if s.deny { "Deny" } else { "Allow" },
        "Action": s.actions.iter().map(|i| ACTIONS[*i]).collect::<Vec<_>>(),
        "Resource": s.resources.iter().map(|i| RESOURCES[*i]).collect::<Vec<_>>(),
    });
    if kind == "resource" {
        st["Principal"] = serde_json::from_str(PRINCIPAL_ELEMENTS[s.principal]).unwrap();
    } else if kind == "rcp" {
        st["Principal"] = json!("*");
    }
    if let Some(c) = s.condition {
        st["Condition"] = serde_json::from_str(CONDITIONS[c]).unwrap();
    }
    st
}

fn scenario_json(spec: &ScenarioSpec) -> Value {
    let policies: Vec<Value> = spec
        .policies
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let kind = TYPES[p.kind];
            let statements: Vec<Value> = p
                .statements
                .iter()
                .map(|s| statement_json(s, kind))
                .collect();
            let mut policy = json!({
                "name": format!("P{i}"),
                "type": kind,
                "document": { "Version": "2012-10-17", "Statement": statements },
            });
            if kind == "scp" || kind == "rcp" {
                policy["level"] = json!(["root", "ou-dev"][p.level]);
            }
            policy
        })
        .collect();
    let (action, resource) = REQUESTS[spec.request];
    let mut context = serde_json::Map::new();
    for i in &spec.context {
        let (k, v) = CONTEXTS[*i];
        context.insert(k.to_owned(), serde_json::from_str(v).unwrap());
    }
    json!({
        "policies": policies,
        "request": { "principal": PRINCIPALS[spec.principal], "action": action, "resource": resource, "context": context },
    })
}

fn run(value: &Value) -> Evaluation {
    let text = serde_json::to_string_pretty(value).unwrap();
    let parsed = Scenario::parse(&text);
    let errors: Vec<String> = parsed
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.to_string())
        .collect();
    assert!(
        errors.is_empty(),
        "generated scenario has errors: {errors:?}\n{text}"
    );
    evaluate(&parsed.scenario.unwrap()).unwrap()
}

fn push_statement(value: &mut Value, policy: usize, statement: Value) {
    value["policies"][policy]["document"]["Statement"]
        .as_array_mut()
        .unwrap()
        .push(statement);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, max_global_rejects: 20_000, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn adding_a_deny_never_allows(spec in scenario_strategy(), extra in statement_strategy(), pick in any::<prop::sample::Index>()) {
        prop_assume!(!spec.policies.is_empty());
        let mut value = scenario_json(&spec);
        let before = run(&value).decision;
        let index = pick.index(spec.policies.len());
        let kind = TYPES[spec.policies[index].kind];
        push_statement(&mut value, index, statement_json(&StatementSpec { deny: true, ..extra }, kind));
        let after = run(&value).decision;
        prop_assert!(after == before || after == Decision::ExplicitDeny, "{before:?} became {after:?}");
    }

    #[test]
    fn adding_an_identity_allow_keeps_allow(spec in allowing_scenario_strategy(), extra in statement_strategy(), pick in any::<prop::sample::Index>()) {
        let identity: Vec<usize> = spec.policies.iter().enumerate().filter(|(_, p)| TYPES[p.kind] == "identity").map(|(i, _)| i).collect();
        prop_assume!(!identity.is_empty());
        let mut value = scenario_json(&spec);
        let before = run(&value).decision;
        prop_assume!(before == Decision::Allow);
        let index = identity[pick.index(identity.len())];
        push_statement(&mut value, index, statement_json(&StatementSpec { deny: false, ..extra }, "identity"));
        prop_assert_eq!(run(&value).decision, Decision::Allow);
    }

    #[test]
    fn a_matching_deny_always_wins(spec in scenario_strategy(), pick in any::<prop::sample::Index>()) {
        prop_assume!(!spec.policies.is_empty());
        let mut value = scenario_json(&spec);
        let index = pick.index(spec.policies.len());
        let applies = run(&value).policies[index].applies;
        let kind = TYPES[spec.policies[index].kind];
        let mut deny = json!({"Sid": "DenyEverything", "Effect": "Deny", "Action": "*", "Resource": "*"});
        if kind == "resource" || kind == "rcp" {
            deny["Principal"] = json!("*");
        }
        push_statement(&mut value, index, deny);
        let evaluation = run(&value);
        if applies {
            prop_assert_eq!(evaluation.decision, Decision::ExplicitDeny);
            prop_assert!(evaluation.determining.iter().any(|d| d.statement == "DenyEverything"));
        } else {
            prop_assert!(!evaluation.determining.iter().any(|d| d.statement == "DenyEverything"));
        }
    }

    #[test]
    fn evaluation_is_deterministic(spec in scenario_strategy()) {
        let value = scenario_json(&spec);
        let first = run(&value);
        let second = run(&value);
        prop_assert_eq!(serde_json::to_string(&first).unwrap(), serde_json::to_string(&second).unwrap());
        prop_assert_eq!(first, second);
    }

    #[test]
    fn arbitrary_text_never_panics(text in ".{0,400}") {
        let _ = Scenario::parse(&text);
        let _ = iam_engine::parse::parse_policy(&text, iam_engine::PolicyType::Identity);
    }
}
