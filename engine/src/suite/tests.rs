//! Unit tests for many requests against one policy set.

use super::*;
use crate::scenario::{DocumentStyle, Expectation, Matrix};

const SUITE: &str = r#"{
  "policies": [
    { "name": "Dev", "type": "identity", "document": { "Version": "2012-10-17", "Statement": [
      { "Sid": "Read", "Effect": "Allow", "Action": "s3:Get*", "Resource": "*" },
      { "Sid": "NoSecrets", "Effect": "Deny", "Action": "s3:*", "Resource": "arn:aws:s3:::secret/*" } ] } }
  ],
  "requests": [
    { "name": "reads reports", "principal": "arn:aws:iam::111122223333:user/alice", "action": "s3:GetObject",
      "resource": "arn:aws:s3:::reports/q3.csv", "expect": { "decision": "Allow", "determining": [{ "policy": "Dev", "statement": "Read" }] } },
    { "principal": "arn:aws:iam::111122223333:user/alice", "action": "s3:PutObject",
      "resource": "arn:aws:s3:::reports/q3.csv", "expect": { "decision": "Allow" } }
  ],
  "matrix": {
    "name": "secrets",
    "principals": ["arn:aws:iam::111122223333:user/alice", "arn:aws:iam::111122223333:user/bob"],
    "actions": ["s3:Get*", "s3:PutObject"],
    "resources": ["arn:aws:s3:::secret/a", "arn:aws:s3:::reports/b"],
    "context": { "aws:SourceIp": "203.0.113.7" },
    "expect": { "decision": "Deny" }
  }
}"#;

fn vocabulary() -> ActionList {
    ActionList::new([
        "s3:GetObject",
        "s3:GetObjectAcl",
        "s3:PutObject",
        "s3:ListBucket",
        "ec2:RunInstances",
    ])
}

#[test]
fn reads_lists_and_expands_them_in_order() {
    let parsed = Scenario::parse(SUITE);
    assert!(parsed.diagnostics.is_empty(), "{:#?}", parsed.diagnostics);
    let scenario = parsed.scenario.unwrap();
    assert!(scenario.requests.no_request);
    assert_eq!(scenario.requests.cases.len(), 2);
    assert_eq!(scenario.requests.len(), 2 + 2 * 2 * 2);
    let vocabulary = vocabulary();
    let cases = expand(&scenario, Some(&vocabulary)).unwrap();
    // 2 listed + (GetObject, GetObjectAcl, PutObject) x 2 principals x 2 resources.
    assert_eq!(cases.len(), 2 + 3 * 2 * 2);
    assert_eq!(cases[0].label(), "reads reports");
    assert_eq!(
        cases[1].label(),
        "s3:PutObject on arn:aws:s3:::reports/q3.csv"
    );
    let matrix: Vec<(&str, &str, &str)> = cases[2..]
        .iter()
        .map(|c| {
            (
                c.request.action.as_str(),
                &c.request.principal[31..],
                &c.request.resource[13..],
            )
        })
        .collect();
    assert_eq!(
        &matrix[..5],
        &[
            ("s3:GetObject", "alice", "secret/a"),
            ("s3:GetObject", "alice", "reports/b"),
            ("s3:GetObject", "bob", "secret/a"),
            ("s3:GetObject", "bob", "reports/b"),
            ("s3:GetObjectAcl", "alice", "secret/a"),
        ]
    );
    assert_eq!(cases[2].expanded_from.as_deref(), Some("s3:Get*"));
    assert_eq!(cases[10].expanded_from, None);
    assert_eq!(cases[2].request.context.len(), 1);
    let mut taken = scenario.clone();
    assert_eq!(expand_taking(&mut taken, Some(&vocabulary)).unwrap(), cases);
    assert!(taken.requests.cases.is_empty());
}

#[test]
fn decides_like_the_full_evaluation_and_checks_expectations() {
    let scenario = Scenario::parse(SUITE).scenario.unwrap();
    let set = PolicySet::prepare(&scenario).unwrap();
    let cases = expand(&scenario, Some(&vocabulary())).unwrap();
    let verdicts: Vec<Verdict> = cases
        .iter()
        .map(|c| set.decide(&c.request).unwrap())
        .collect();
    for (case, verdict) in cases.iter().zip(&verdicts) {
        let full = set.explain(&case.request).unwrap();
        assert_eq!(verdict.decision, full.decision, "{}", case.label());
        assert_eq!(verdict.determining, full.determining, "{}", case.label());
        let with_summary = set.decide_with(&case.request, Detail::Summary).unwrap();
        assert_eq!(with_summary.summary.as_deref(), Some(full.summary.as_str()));
        assert_eq!(with_summary.decision, full.decision);
    }
    // Many at once (sharing principals and contexts) decide alike.
    let all: Vec<Verdict> = set
        .decide_all(cases.iter().map(|c| &c.request), Detail::Decision)
        .into_iter()
        .map(Result::unwrap)
        .collect();
    assert_eq!(all, verdicts);
    let mut bad = cases[3].request.clone();
    bad.resource = "not an arn".to_owned();
    let mixed = set.decide_all(
        [&cases[2].request, &bad, &cases[4].request],
        Detail::Decision,
    );
    assert_eq!(
        mixed[1].as_ref().unwrap_err()[0].code,
        "invalid-request-resource"
    );
    assert_eq!(mixed[2].as_ref().unwrap(), &verdicts[4]);
    let report = SuiteReport::new(&cases, &verdicts);
    assert_eq!(report.total, 14);
    // PutObject on reports is not allowed (implicit deny), and the matrix
    // expects Deny on reports/b for GetObject and GetObjectAcl, which Read allows.
    let failed: Vec<String> = report
        .failures
        .iter()
        .map(|f| format!("{} {}", f.case.label(), f.verdict.decision))
        .collect();
    assert_eq!(failed.len(), 1 + 4, "{failed:#?}");
    assert_eq!(
        failed[0],
        "s3:PutObject on arn:aws:s3:::reports/q3.csv ImplicitDeny"
    );
    assert_eq!(report.passed, 14 - 5);
    assert!(!report.ok());
}

#[test]
fn explains_a_request_exactly_as_evaluate_does() {
    let text = SUITE.replace("\"requests\": [", "\"request\": { \"principal\": \"arn:aws:iam::111122223333:user/alice\", \"action\": \"s3:GetObject\", \"resource\": \"arn:aws:s3:::secret/x\" },\n  \"requests\": [");
    let scenario = Scenario::parse(&text).scenario.unwrap();
    assert!(!scenario.requests.no_request);
    let set = PolicySet::prepare(&scenario).unwrap();
    let full = crate::evaluate(&scenario).unwrap();
    assert_eq!(set.explain(&scenario.request).unwrap(), full);
    assert_eq!(
        serde_json::to_string(&set.explain(&scenario.request).unwrap()).unwrap(),
        serde_json::to_string(&full).unwrap()
    );
    let cases = expand(&scenario, Some(&vocabulary())).unwrap();
    assert_eq!(cases[0].origin, CaseOrigin::Request);
    assert_eq!(cases.len(), 15);
}

#[test]
fn a_wildcard_without_a_catalogue_is_an_error_at_its_place() {
    let scenario = Scenario::parse(SUITE).scenario.unwrap();
    let errors = expand(&scenario, None).unwrap_err();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].code, "wildcard-needs-catalogue");
    assert_eq!((errors[0].line, errors[0].column), (16, 17));
    assert!(
        errors[0].message.contains("`s3:Get*`"),
        "{}",
        errors[0].message
    );
    let nothing = SUITE.replace("s3:Get*", "s3:Gte*");
    let scenario = Scenario::parse(&nothing).scenario.unwrap();
    let errors = expand(&scenario, Some(&vocabulary())).unwrap_err();
    assert_eq!(errors[0].code, "wildcard-matches-nothing");
}

#[test]
fn bad_entries_are_reported_with_line_and_column() {
    let bad = SUITE
        .replace("\"action\": \"s3:PutObject\"", "\"action\": \"PutObject\"")
        .replace("\"name\": \"reads reports\"", "\"nmae\": \"reads reports\"")
        .replace(
            "\"resources\": [\"arn:aws:s3:::secret/a\"",
            "\"resources\": [\"secret/a\"",
        );
    let parsed = Scenario::parse(&bad);
    let found: Vec<(u32, u32, &str)> = parsed
        .diagnostics
        .iter()
        .map(|d| (d.line, d.column, d.code))
        .collect();
    assert!(found.contains(&(8, 7, "unknown-element")), "{found:?}");
    assert!(
        found.contains(&(10, 70, "invalid-request-action")),
        "{found:?}"
    );
    assert!(
        found.contains(&(17, 19, "invalid-request-resource")),
        "{found:?}"
    );
    assert!(parsed.has_errors());
}

#[test]
fn lists_round_trip() {
    let scenario = Scenario::parse(SUITE).scenario.unwrap();
    for style in [DocumentStyle::Text, DocumentStyle::Embedded] {
        let written = scenario.to_json(style);
        assert!(!written.contains("\"request\":"), "{written}");
        let again = Scenario::parse(&written);
        assert!(
            again.diagnostics.is_empty(),
            "{:#?}\n{written}",
            again.diagnostics
        );
        let again = again.scenario.unwrap();
        assert_eq!(again.requests.cases.len(), 2);
        assert_eq!(
            again.requests.cases[0].expect,
            scenario.requests.cases[0].expect
        );
        let (a, b) = (&again.requests.matrices[0], &scenario.requests.matrices[0]);
        assert_eq!(
            (&a.name, &a.context, &a.expect),
            (&b.name, &b.context, &b.expect)
        );
        let texts = |m: &Matrix| m.actions.iter().map(|a| a.text.clone()).collect::<Vec<_>>();
        assert_eq!(
            texts(&again.requests.matrices[0]),
            texts(&scenario.requests.matrices[0])
        );
        assert!(again.requests.matrix_object);
        if style == DocumentStyle::Text {
            assert_eq!(again.to_json(style), written);
        }
    }
}

#[test]
fn an_old_scenario_writes_as_before() {
    let text = r#"{ "policies": [], "request": { "principal": "*", "action": "s3:GetObject", "resource": "*" } }"#;
    let scenario = Scenario::parse(text).scenario.unwrap();
    assert!(scenario.requests.is_empty());
    assert_eq!(
        scenario.to_json(DocumentStyle::Text),
        "{\n  \"policies\": [],\n  \"request\": {\n    \"principal\": \"*\",\n    \"action\": \"s3:GetObject\",\n    \"resource\": \"*\"\n  }\n}\n"
    );
}

#[test]
fn a_scenario_needs_some_request() {
    let parsed = Scenario::parse(r#"{ "policies": [] }"#);
    assert_eq!(parsed.diagnostics[0].code, "missing-field");
    let parsed = Scenario::parse(
        r#"{ "policies": [], "matrix": { "principals": [], "actions": ["s3:GetObject"], "resources": ["*"] } }"#,
    );
    assert_eq!(parsed.diagnostics[0].code, "empty-matrix");
}

#[test]
fn deny_meets_either_deny() {
    let verdict = |decision| Verdict {
        decision,
        determining: Vec::new(),
        summary: None,
    };
    let expect = |d: &str| Expectation {
        decision: d.to_owned(),
        determining: None,
        notes: None,
    };
    assert!(meets(&expect("Deny"), &verdict(Decision::ImplicitDeny)));
    assert!(meets(&expect("Deny"), &verdict(Decision::ExplicitDeny)));
    assert!(!meets(&expect("Deny"), &verdict(Decision::Allow)));
    assert!(!meets(
        &expect("ImplicitDeny"),
        &verdict(Decision::ExplicitDeny)
    ));
    // The scenario's own `expect` takes `Deny` too, and still no unknown
    // decision.
    let text = r#"{ "policies": [], "request": { "principal": "*", "action": "s3:GetObject", "resource": "*" }, "expect": { "decision": "Deny" } }"#;
    let parsed = Scenario::parse(text);
    assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
    let scenario = parsed.scenario.unwrap();
    assert_eq!(scenario.expect.as_ref().unwrap().decision, "Deny");
    let again = Scenario::parse(&scenario.to_json(DocumentStyle::Embedded));
    assert_eq!(again.scenario.unwrap().expect, scenario.expect);
    let parsed = Scenario::parse(&text.replace("\"Deny\"", "\"Denied\""));
    assert_eq!(parsed.diagnostics[0].code, "unknown-decision");
    let help = parsed.diagnostics[0].help.as_deref().unwrap();
    assert!(help.contains("`Deny`"), "{help}");
}

/// An entry of `requests` whose wildcard action gives some of its actions
/// their own expectation.
const WILDCARD_ROWS: &str = r#"{
  "policies": [
    { "name": "Dev", "type": "identity", "document": { "Version": "2012-10-17", "Statement": [
      { "Sid": "Read", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*" } ] } }
  ],
  "requests": [
    { "principal": "arn:aws:iam::111122223333:user/alice", "action": "s3:Get*", "resource": "arn:aws:s3:::a/k",
      "expect": { "decision": "Deny" },
      "expectations": [
        { "action": "S3:getobject", "expect": { "decision": "Allow" } },
        { "action": "s3:GetObjectAcl", "expect": null } ] },
    { "principal": "arn:aws:iam::111122223333:user/alice", "action": "s3:PutObject", "resource": "arn:aws:s3:::a/k",
      "expectations": [ { "action": "s3:PutObject", "expect": { "decision": "ImplicitDeny" } } ] }
  ]
}"#;

#[test]
fn a_wildcard_entry_of_requests_takes_expectations_per_action() {
    let parsed = Scenario::parse(WILDCARD_ROWS);
    assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
    let scenario = parsed.scenario.unwrap();
    let expects = |s: &Scenario| -> Vec<(String, Option<String>)> {
        expand(s, Some(&vocabulary()))
            .unwrap()
            .iter()
            .map(|c| {
                (
                    c.request.action.clone(),
                    c.expect.as_ref().map(|e| e.decision.clone()),
                )
            })
            .collect()
    };
    let got = expects(&scenario);
    let want = [
        ("s3:GetObject", Some("Allow")),
        ("s3:GetObjectAcl", None),
        ("s3:PutObject", Some("ImplicitDeny")),
    ]
    .map(|(a, e)| (a.to_owned(), e.map(str::to_owned)));
    assert_eq!(got, want);
    // Written and read back: the same expectations.
    let text = scenario.to_json(DocumentStyle::Embedded);
    let again = Scenario::parse(&text);
    assert!(
        again.diagnostics.is_empty(),
        "{:?}\n{text}",
        again.diagnostics
    );
    assert_eq!(expects(&again.scenario.unwrap()), want);
}

#[test]
fn an_entry_expectation_its_action_does_not_cover_is_an_error() {
    let text = WILDCARD_ROWS
        .replace("\"S3:getobject\"", "\"s3:PutObject\"")
        .replace(
            "{ \"action\": \"s3:PutObject\", \"expect\": { \"decision\": \"ImplicitDeny\" } }",
            "{ \"action\": \"s3:PutObjectAcl\", \"expect\": { \"decision\": \"ImplicitDeny\" } }",
        );
    let parsed = Scenario::parse(&text);
    let found: Vec<(&str, &str)> = parsed
        .diagnostics
        .iter()
        .map(|d| (d.code, d.message.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            (
                "expectation-outside-entry",
                "the expectation's action `s3:PutObject` is not one the request's action `s3:Get*` covers"
            ),
            (
                "expectation-outside-entry",
                "the expectation's action `s3:PutObjectAcl` is not one the request's action `s3:PutObject` covers"
            ),
        ]
    );
    // An entry's expectation names no principal or resource.
    let text = WILDCARD_ROWS.replace(
        "\"S3:getobject\", ",
        "\"s3:GetObject\", \"resource\": \"arn:aws:s3:::a/k\", ",
    );
    let parsed = Scenario::parse(&text);
    assert_eq!(parsed.diagnostics[0].code, "unknown-element");
}

#[test]
fn a_wildcard_matrix_expectation_must_name_an_action_it_covers() {
    let text = ROWS.replace("\"s3:getobject\"", "\"ec2:RunInstances\"");
    let parsed = Scenario::parse(&text);
    let found: Vec<&str> = parsed.diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(found, ["expectation-outside-matrix"]);
}

#[test]
fn matrix_principals_carry_their_tags_into_each_request() {
    let text = r#"{
  "policies": [
    { "name": "Abac", "type": "identity", "document": { "Version": "2012-10-17", "Statement": [
      { "Sid": "OwnProject", "Effect": "Allow", "Action": "s3:GetObject",
        "Resource": "arn:aws:s3:::projects/${aws:PrincipalTag/project}/*" } ] } }
  ],
  "matrix": {
    "principals": [
      { "arn": "arn:aws:iam::111122223333:user/alice", "tags": { "project": "apollo" } },
      { "arn": "arn:aws:iam::111122223333:user/bob", "tags": { "project": "gemini", "team": "b" } },
      "arn:aws:iam::111122223333:user/carol"],
    "actions": ["s3:GetObject"],
    "resources": ["arn:aws:s3:::projects/apollo/x"],
    "expect": { "decision": "ImplicitDeny" },
    "expectations": [ { "action": "s3:GetObject", "principal": "arn:aws:iam::111122223333:user/alice", "expect": { "decision": "Allow" } } ]
  }
}"#;
    let parsed = Scenario::parse(text);
    assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
    let scenario = parsed.scenario.unwrap();
    let run = |s: &Scenario| -> (Vec<Decision>, usize) {
        let cases = expand(s, None).unwrap();
        let set = PolicySet::prepare(s).unwrap();
        let verdicts: Vec<Verdict> = set
            .decide_all(cases.iter().map(|c| &c.request), Detail::Decision)
            .into_iter()
            .map(Result::unwrap)
            .collect();
        let report = SuiteReport::new(&cases, &verdicts);
        (verdicts.iter().map(|v| v.decision).collect(), report.passed)
    };
    assert_eq!(
        run(&scenario),
        (
            vec![
                Decision::Allow,
                Decision::ImplicitDeny,
                Decision::ImplicitDeny
            ],
            3
        )
    );
    let cases = expand(&scenario, None).unwrap();
    assert_eq!(
        cases[1].request.principal_tags,
        [("project", "gemini"), ("team", "b")].map(|(k, v)| (k.to_owned(), v.to_owned()))
    );
    assert!(cases[2].request.principal_tags.is_empty());
    // The explanation shows the derived key.
    let explained = set_explain(&scenario, &cases[0].request);
    assert!(
        explained.contains("aws:PrincipalTag/project"),
        "{explained}"
    );
    // Written back: objects for the tagged principals, a string for carol.
    let written = scenario.to_json(DocumentStyle::Embedded);
    assert!(
        written.contains(
            r#"{ "arn": "arn:aws:iam::111122223333:user/alice", "tags": { "project": "apollo" } }"#
        ),
        "{written}"
    );
    assert!(
        written.contains(r#", "arn:aws:iam::111122223333:user/carol"]"#),
        "{written}"
    );
    let again = Scenario::parse(&written).scenario.unwrap();
    assert_eq!(run(&again).1, 3);
    assert_eq!(
        again.requests.matrices[0].principal_tags,
        scenario.requests.matrices[0].principal_tags
    );
}

fn set_explain(scenario: &Scenario, request: &RequestInput) -> String {
    let set = PolicySet::prepare(scenario).unwrap();
    serde_json::to_string(&set.explain(request).unwrap()).unwrap()
}

#[test]
fn a_principal_given_twice_with_other_tags_is_an_error() {
    let text = r#"{ "policies": [],
  "matrix": { "principals": [
      { "arn": "arn:aws:iam::111122223333:user/alice", "tags": { "team": "a" } },
      { "arn": "arn:aws:iam::111122223333:user/alice", "tags": { "team": "b" } },
      { "tags": { "team": "c" } }, 7, { "arn": "arn:aws:iam::111122223333:user/bob", "tag": {} } ],
    "actions": ["s3:GetObject"], "resources": ["*"] } }"#;
    let parsed = Scenario::parse(text);
    let found: Vec<&str> = parsed.diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(
        found,
        [
            "conflicting-principal-tags",
            "missing-field",
            "wrong-type",
            "unknown-element"
        ],
        "{:?}",
        parsed.diagnostics
    );
}

/// A matrix whose `expectations` override its `expect` row by row.
const ROWS: &str = r#"{
  "policies": [
    { "name": "Dev", "type": "identity", "document": { "Version": "2012-10-17", "Statement": [
      { "Sid": "Read", "Effect": "Allow", "Action": "s3:Get*", "Resource": "*" } ] } }
  ],
  "matrix": {
    "principals": ["arn:aws:iam::111122223333:user/alice", "arn:aws:iam::111122223333:user/bob"],
    "actions": ["s3:Get*", "s3:PutObject"],
    "resources": ["arn:aws:s3:::a/k"],
    "expect": { "decision": "Deny" },
    "expectations": [
      { "action": "s3:getobject", "expect": { "decision": "Allow" } },
      { "action": "s3:GetObjectAcl", "principal": "arn:aws:iam::111122223333:user/bob", "expect": { "decision": "Allow" } },
      { "action": "s3:PutObject", "principal": "arn:aws:iam::111122223333:user/bob", "resource": "arn:aws:s3:::a/k", "expect": null },
      { "action": "s3:GetObjectAcl", "principal": "arn:aws:iam::111122223333:user/bob", "expect": { "decision": "ImplicitDeny" } }
    ]
  }
}"#;

#[test]
fn a_matrix_row_expectation_overrides_the_matrix_expect() {
    let parsed = Scenario::parse(ROWS);
    assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
    let scenario = parsed.scenario.unwrap();
    let cases = expand(&scenario, Some(&vocabulary())).unwrap();
    let got: Vec<(&str, &str, Option<&str>)> = cases
        .iter()
        .map(|c| {
            (
                c.request.action.as_str(),
                c.request.principal.rsplit('/').next().unwrap(),
                c.expect.as_ref().map(|e| e.decision.as_str()),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("s3:GetObject", "alice", Some("Allow")),
            ("s3:GetObject", "bob", Some("Allow")),
            ("s3:GetObjectAcl", "alice", Some("Deny")),
            // The last entry naming it wins.
            ("s3:GetObjectAcl", "bob", Some("ImplicitDeny")),
            ("s3:PutObject", "alice", Some("Deny")),
            // `null`: no expectation.
            ("s3:PutObject", "bob", None),
        ]
    );
    // GetObjectAcl is allowed (`s3:Get*`): alice's Deny and bob's
    // ImplicitDeny both fail.
    let set = PolicySet::prepare(&scenario).unwrap();
    let verdicts: Vec<Verdict> = set
        .decide_all(cases.iter().map(|c| &c.request), Detail::Decision)
        .into_iter()
        .map(Result::unwrap)
        .collect();
    let report = SuiteReport::new(&cases, &verdicts);
    assert_eq!((report.passed, report.unchecked), (3, 1));
    let failed: Vec<usize> = report.failures.iter().map(|f| f.index).collect();
    assert_eq!(failed, [2, 3]);

    // Written and read back: the same cases.
    let again = Scenario::parse(&scenario.to_json(DocumentStyle::Embedded));
    assert!(again.diagnostics.is_empty(), "{:?}", again.diagnostics);
    let again = again.scenario.unwrap();
    let key = |cases: &[Case]| -> Vec<(String, String, Option<Expectation>)> {
        cases
            .iter()
            .map(|c| {
                (
                    c.request.action.clone(),
                    c.request.principal.clone(),
                    c.expect.clone(),
                )
            })
            .collect()
    };
    assert_eq!(
        key(&expand(&again, Some(&vocabulary())).unwrap()),
        key(&cases)
    );
    let entries = |s: &Scenario| -> Vec<(String, Option<String>, Option<Expectation>)> {
        s.requests.matrices[0]
            .expectations
            .iter()
            .map(|e| (e.action.clone(), e.resource.clone(), e.expect.clone()))
            .collect()
    };
    assert_eq!(entries(&again), entries(&scenario));
}

#[test]
fn a_row_expectation_outside_its_matrix_is_an_error() {
    let text = ROWS
        .replace(
            "\"actions\": [\"s3:Get*\", \"s3:PutObject\"]",
            "\"actions\": [\"s3:GetObject\", \"s3:PutObject\"]",
        )
        .replace(
            "user/bob\", \"resource\": \"arn:aws:s3:::a/k\"",
            "user/bob\", \"resource\": \"arn:aws:s3:::a/other\"",
        );
    let parsed = Scenario::parse(&text);
    let codes: Vec<(&str, &str)> = parsed
        .diagnostics
        .iter()
        .map(|d| (d.code, d.message.as_str()))
        .collect();
    assert!(
        codes.contains(&(
            "expectation-outside-matrix",
            "the expectation's action `s3:GetObjectAcl` is not one of the matrix's"
        )),
        "{codes:?}"
    );
    assert!(
        codes.contains(&(
            "expectation-outside-matrix",
            "the expectation's resource `arn:aws:s3:::a/other` is not one of the matrix's"
        )),
        "{codes:?}"
    );
    let missing = ROWS.replace(", \"expect\": null", "");
    let parsed = Scenario::parse(&missing);
    assert!(
        parsed.diagnostics.iter().any(|d| d.code == "missing-field"),
        "{:?}",
        parsed.diagnostics
    );
}
