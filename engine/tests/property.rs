//! Property tests of the decision logic over generated scenarios:
//! - adding a Deny statement never turns a decision into Allow (it can only
//!   leave it as it was or make it an explicit deny);
//! - adding an Allow statement to an identity policy never turns Allow into
//!   a deny;
//! - a matching Deny in an applicable policy always wins;
//! - the same scenario always gives the same decision and trace;
//! - reformatting a scenario, the order of keys within objects, the order of
//!   statements and policies, and the case of action names change nothing
//!   that matters (defined precisely above the last `proptest!` block).
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
    not_action: bool,
    actions: Vec<usize>,
    resources: Vec<usize>,
    principal: usize,
    condition: Option<usize>,
    /// A second condition block, merged into the first one's `Condition`.
    extra_condition: Option<usize>,
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
        prop::bool::weighted(0.1),
        prop::collection::vec(0..ACTIONS.len(), 1..3),
        prop::collection::vec(0..RESOURCES.len(), 1..3),
        0..PRINCIPAL_ELEMENTS.len(),
        prop::option::weighted(0.4, 0..CONDITIONS.len()),
        prop::option::weighted(0.2, 0..CONDITIONS.len()),
    )
        .prop_map(
            |(deny, not_action, actions, resources, principal, condition, extra_condition)| {
                StatementSpec {
                    deny,
                    not_action,
                    actions,
                    resources,
                    principal,
                    condition,
                    extra_condition,
                }
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
            not_action: false,
            actions: vec![0],
            resources: vec![0],
            principal: 0,
            condition: None,
            extra_condition: None,
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
        "Resource": s.resources.iter().map(|i| RESOURCES[*i]).collect::<Vec<_>>(),
    });
    // RCPs have no `NotAction`.
    let not_action = s.not_action && kind != "rcp";
    st[if not_action { "NotAction" } else { "Action" }] =
        json!(s.actions.iter().map(|i| ACTIONS[*i]).collect::<Vec<_>>());
    if kind == "resource" {
        st["Principal"] = serde_json::from_str(PRINCIPAL_ELEMENTS[s.principal]).unwrap();
    } else if kind == "rcp" {
        st["Principal"] = json!("*");
    }
    let mut condition = serde_json::Map::new();
    for c in s.condition.iter().chain(&s.extra_condition) {
        let block: serde_json::Map<String, Value> = serde_json::from_str(CONDITIONS[*c]).unwrap();
        for (operator, keys) in block {
            let entry = condition.entry(operator).or_insert_with(|| json!({}));
            for (key, value) in keys.as_object().unwrap() {
                entry[key] = value.clone();
            }
        }
    }
    if !condition.is_empty() {
        st["Condition"] = Value::Object(condition);
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

// Invariance under changes that AWS says do not change a decision.
//
// What must stay the same, precisely:
// - Reformatting (whitespace, indentation, line ends, a policy given as an
//   object or as its text): the whole evaluation, apart from positions
//   (`span`, `line`, `column`), which point into the text that changed.
// - Key order within each JSON object (the scenario, the request, its
//   context, each policy entry, document, statement and condition block):
//   the evaluation as a multiset at every level (the trace lists a
//   condition block's operators in the order written), positions and the
//   summary aside (its prose names the conditions in the order written).
// - Reordering the statements of each policy and the policies of the
//   scenario (any permutation, across types and across SCP/RCP levels,
//   since levels are named, not positional), every statement having a Sid:
//   the decision, the deciding statements as a set of (policy, Sid), each
//   policy's applicability, each statement's outcome and checks, each
//   stage's outcome and statements, each SCP/RCP level's verdict, the
//   missing context keys and the diagnostics. Not the prose (the summary
//   and each step's detail): it names statements and levels in the order
//   they were found.
// - The case of action names (service prefix and action, in the request
//   and in every `Action`/`NotAction` pattern): all of the above, with
//   every text compared case-insensitively (the trace echoes the action as
//   written).

/// A small deterministic generator (SplitMix64) for layout choices, so a
/// failing case is reproduced from its seed.
struct Dice(u64);

impl Dice {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i + 1);
            items.swap(i, j);
        }
    }
}

/// How to lay JSON out.
struct Layout {
    /// Indentation per level; empty for one line.
    indent: &'static str,
    /// The line end.
    newline: &'static str,
    /// Shuffle the keys of every object.
    shuffle_keys: bool,
    /// Add random whitespace around `:` and `,`.
    noisy: bool,
}

const INDENTS: &[&str] = &["", "  ", "    ", "\t", " "];
const NEWLINES: &[&str] = &["\n", "\r\n"];
const NOISE: &[&str] = &["", " ", "  ", "\t", "\n", "\r\n "];

fn write_json(value: &Value, layout: &Layout, dice: &mut Dice, depth: usize, out: &mut String) {
    let noise = |dice: &mut Dice| {
        if layout.noisy {
            NOISE[dice.below(NOISE.len())]
        } else {
            ""
        }
    };
    let break_line = |out: &mut String, depth: usize| {
        if !layout.indent.is_empty() {
            out.push_str(layout.newline);
            out.push_str(&layout.indent.repeat(depth));
        }
    };
    match value {
        Value::Array(items) if !items.is_empty() => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(noise(dice));
                    out.push(',');
                }
                break_line(out, depth + 1);
                out.push_str(noise(dice));
                write_json(item, layout, dice, depth + 1, out);
            }
            break_line(out, depth);
            out.push(']');
        }
        Value::Object(map) if !map.is_empty() => {
            let mut entries: Vec<(&String, &Value)> = map.iter().collect();
            if layout.shuffle_keys {
                dice.shuffle(&mut entries);
            }
            out.push('{');
            for (i, (key, item)) in entries.into_iter().enumerate() {
                if i > 0 {
                    out.push_str(noise(dice));
                    out.push(',');
                }
                break_line(out, depth + 1);
                out.push_str(noise(dice));
                out.push_str(&serde_json::to_string(key).unwrap());
                out.push_str(noise(dice));
                out.push(':');
                out.push_str(if layout.indent.is_empty() { "" } else { " " });
                out.push_str(noise(dice));
                write_json(item, layout, dice, depth + 1, out);
            }
            break_line(out, depth);
            out.push('}');
        }
        other => out.push_str(&serde_json::to_string(other).unwrap()),
    }
}

/// The scenario laid out by `layout`; with `as_text`, each policy document
/// is given as its text (itself laid out by `layout`).
fn layout_scenario(value: &Value, layout: &Layout, as_text: bool, seed: u64) -> String {
    let mut dice = Dice(seed);
    let mut value = value.clone();
    if as_text {
        for policy in value["policies"].as_array_mut().unwrap() {
            let mut text = String::new();
            write_json(&policy["document"], layout, &mut dice, 0, &mut text);
            policy["document"] = Value::String(text);
        }
    }
    let mut text = String::new();
    write_json(&value, layout, &mut dice, 0, &mut text);
    text
}

fn run_text(text: &str) -> Evaluation {
    let parsed = Scenario::parse(text);
    let errors: Vec<String> = parsed
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.to_string())
        .collect();
    assert!(errors.is_empty(), "scenario has errors: {errors:?}\n{text}");
    evaluate(&parsed.scenario.unwrap()).unwrap()
}

/// How two evaluations are compared.
#[derive(Clone, Copy, PartialEq)]
enum Compare {
    /// Everything but positions.
    Exact,
    /// Every array as a multiset, without the summary.
    Unordered,
    /// As `Unordered`, without the prose that names statements, policies or
    /// levels in the order found (the summary, each step's detail) and
    /// without the statements' indexes.
    Reordered,
    /// As `Reordered`, with every text in lowercase.
    CaseFolded,
}

fn normalize(value: &Value, compare: Compare) -> Value {
    const POSITIONS: &[&str] = &["span", "line", "column"];
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(k, _)| !POSITIONS.contains(&k.as_str()) && !k.ends_with("_span"))
                .filter(|(k, _)| match compare {
                    Compare::Exact => true,
                    Compare::Unordered => k.as_str() != "summary",
                    Compare::Reordered | Compare::CaseFolded => {
                        !matches!(k.as_str(), "summary" | "detail" | "index")
                    }
                })
                .map(|(k, v)| (k.clone(), normalize(v, compare)))
                .collect(),
        ),
        Value::Array(items) => {
            let mut items: Vec<Value> = items.iter().map(|v| normalize(v, compare)).collect();
            if compare != Compare::Exact {
                items.sort_by_cached_key(|v| serde_json::to_string(v).unwrap());
            }
            Value::Array(items)
        }
        Value::String(text) if compare == Compare::CaseFolded => Value::String(text.to_lowercase()),
        other => other.clone(),
    }
}

/// The first place where `a` and `b` differ, as a path and both values.
fn first_difference(a: &Value, b: &Value, path: &str) -> Option<String> {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => x
            .iter()
            .find_map(|(k, v)| match y.get(k) {
                Some(w) => first_difference(v, w, &format!("{path}.{k}")),
                None => Some(format!("{path}.{k}: only on the left")),
            })
            .or_else(|| {
                y.keys()
                    .find(|k| !x.contains_key(*k))
                    .map(|k| format!("{path}.{k}: only on the right"))
            }),
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => x
            .iter()
            .zip(y)
            .enumerate()
            .find_map(|(i, (v, w))| first_difference(v, w, &format!("{path}[{i}]"))),
        _ if a == b => None,
        _ => Some(format!("{path}: {a} versus {b}")),
    }
}

fn view(evaluation: &Evaluation, compare: Compare) -> Value {
    normalize(&serde_json::to_value(evaluation).unwrap(), compare)
}

/// Gives every statement a Sid (`S<policy>_<statement>`), so statements keep
/// their names when they move.
fn name_statements(value: &mut Value) {
    for (p, policy) in value["policies"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .enumerate()
    {
        for (s, statement) in policy["document"]["Statement"]
            .as_array_mut()
            .unwrap()
            .iter_mut()
            .enumerate()
        {
            statement["Sid"] = json!(format!("S{p}x{s}"));
        }
    }
}

/// Changes the case of each letter of `text` where `dice` says so.
fn recase(text: &str, dice: &mut Dice) -> String {
    text.chars()
        .map(|c| {
            if dice.below(2) == 0 {
                c.to_ascii_uppercase()
            } else {
                c.to_ascii_lowercase()
            }
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn reformatting_changes_nothing_but_positions(
        spec in scenario_strategy(),
        indent in 0..INDENTS.len(),
        newline in 0..NEWLINES.len(),
        noisy in any::<bool>(),
        as_text in any::<bool>(),
        seed in any::<u64>(),
    ) {
        let value = scenario_json(&spec);
        let before = run(&value);
        let layout = Layout { indent: INDENTS[indent], newline: NEWLINES[newline], shuffle_keys: false, noisy };
        let text = layout_scenario(&value, &layout, as_text, seed);
        let after = run_text(&text);
        let difference = first_difference(&view(&before, Compare::Exact), &view(&after, Compare::Exact), "");
        prop_assert!(difference.is_none(), "{:?}\n{}", difference, text);
    }

    #[test]
    fn key_order_changes_nothing(spec in scenario_strategy(), as_text in any::<bool>(), seed in any::<u64>()) {
        let value = scenario_json(&spec);
        let before = run(&value);
        let layout = Layout { indent: "  ", newline: "\n", shuffle_keys: true, noisy: false };
        let text = layout_scenario(&value, &layout, as_text, seed);
        let after = run_text(&text);
        prop_assert_eq!(before.decision, after.decision);
        let difference = first_difference(&view(&before, Compare::Unordered), &view(&after, Compare::Unordered), "");
        prop_assert!(difference.is_none(), "{:?}\n{}", difference, text);
    }

    #[test]
    fn reordering_statements_and_policies_changes_nothing(spec in scenario_strategy(), seed in any::<u64>()) {
        let mut value = scenario_json(&spec);
        name_statements(&mut value);
        let before = run(&value);
        let mut dice = Dice(seed);
        let policies = value["policies"].as_array_mut().unwrap();
        dice.shuffle(policies);
        for policy in policies.iter_mut() {
            dice.shuffle(policy["document"]["Statement"].as_array_mut().unwrap());
        }
        let after = run(&value);
        prop_assert_eq!(before.decision, after.decision);
        let deciding = |e: &Evaluation| {
            let mut d: Vec<(String, String)> = e.determining.iter().map(|r| (r.policy.to_string(), r.statement.to_string())).collect();
            d.sort();
            d
        };
        prop_assert_eq!(deciding(&before), deciding(&after));
        let difference = first_difference(&view(&before, Compare::Reordered), &view(&after, Compare::Reordered), "");
        prop_assert!(difference.is_none(), "{:?}", difference);
    }

    #[test]
    fn the_case_of_action_names_changes_nothing(spec in scenario_strategy(), seed in any::<u64>()) {
        let mut value = scenario_json(&spec);
        let before = run(&value);
        let mut dice = Dice(seed);
        let action = recase(value["request"]["action"].as_str().unwrap(), &mut dice);
        value["request"]["action"] = json!(action);
        for policy in value["policies"].as_array_mut().unwrap() {
            for statement in policy["document"]["Statement"].as_array_mut().unwrap() {
                for element in ["Action", "NotAction"] {
                    if let Some(patterns) = statement.get_mut(element).and_then(Value::as_array_mut) {
                        for pattern in patterns {
                            *pattern = json!(recase(pattern.as_str().unwrap(), &mut dice));
                        }
                    }
                }
            }
        }
        let after = run(&value);
        prop_assert_eq!(before.decision, after.decision, "{}", serde_json::to_string_pretty(&value).unwrap());
        let difference = first_difference(&view(&before, Compare::CaseFolded), &view(&after, Compare::CaseFolded), "");
        prop_assert!(difference.is_none(), "{:?}", difference);
    }
}

/// The layouts above really change the text (so the properties are not
/// comparing a scenario with itself).
#[test]
fn layouts_change_the_text() {
    let value = json!({"b": [1, {"y": "x", "z": null}], "a": {"k": true}, "c": "d"});
    let plain = serde_json::to_string(&value).unwrap();
    let one_line = Layout {
        indent: "",
        newline: "\n",
        shuffle_keys: false,
        noisy: false,
    };
    assert_eq!(layout_scenario_value(&value, &one_line, 1), plain);
    let crlf = Layout {
        indent: "\t",
        newline: "\r\n",
        shuffle_keys: false,
        noisy: true,
    };
    let text = layout_scenario_value(&value, &crlf, 7);
    assert!(text.contains("\r\n\t"), "{text}");
    assert_eq!(serde_json::from_str::<Value>(&text).unwrap(), value);
    let shuffled = Layout {
        indent: "",
        newline: "\n",
        shuffle_keys: true,
        noisy: false,
    };
    let orders: std::collections::BTreeSet<String> = (0..20)
        .map(|seed| layout_scenario_value(&value, &shuffled, seed))
        .collect();
    assert!(orders.len() > 3, "{orders:?}");
    assert!(orders
        .iter()
        .all(|t| serde_json::from_str::<Value>(t).unwrap() == value));
}

fn layout_scenario_value(value: &Value, layout: &Layout, seed: u64) -> String {
    let mut text = String::new();
    write_json(value, layout, &mut Dice(seed), 0, &mut text);
    text
}
