//! Unit tests for reading and writing scenarios.

use super::*;
use crate::policy::PolicyType;

const EXAMPLE: &str = r##"{
  "name": "example",
  "rule": "Policy evaluation logic: identity allow",
  "policies": [
    { "name": "Dev", "type": "identity", "document": { "Version": "2012-10-17", "Statement": [ { "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*" } ] } },
    { "name": "Bucket", "type": "resource", "account": "444455556666", "document": "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:*\",\"Resource\":\"*\"}]}" },
    { "name": "Root", "type": "scp", "level": "root", "document": {"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}} }
  ],
  "request": {
    "principal": "arn:aws:iam::111122223333:user/alice",
    "action": "s3:GetObject",
    "resource": "arn:aws:s3:::examplebucket/report.csv",
    "resource_account": "444455556666",
    "context": { "aws:SourceIp": "203.0.113.7", "aws:MultiFactorAuthPresent": true, "aws:TagKeys": ["Dept", "Env"], "n": 5 }
  },
  "expect": { "decision": "Allow", "determining": [ { "policy": "Dev", "statement": "#0" } ] }
}"##;

#[test]
fn reads_the_documented_example() {
    let parsed = Scenario::parse(EXAMPLE);
    assert!(parsed.diagnostics.is_empty(), "{:#?}", parsed.diagnostics);
    let s = parsed.scenario.unwrap();
    assert_eq!(s.policies.len(), 3);
    assert_eq!(s.policies[0].policy_type, PolicyType::Identity);
    assert!(s.policies[0].text.starts_with("{ \"Version\""));
    assert!(s.policies[0].text_offset.is_some());
    assert_eq!(s.policies[1].account.as_deref(), Some("444455556666"));
    assert_eq!(s.policies[1].text_offset, None);
    assert_eq!(s.policies[2].level_name(), "root");
    assert_eq!(s.request.context.len(), 4);
    assert_eq!(s.expect.as_ref().unwrap().decision, "Allow");
    let request = s.build_request().unwrap();
    assert_eq!(
        request.context.single_text("aws:username").as_deref(),
        Some("alice")
    );
}

#[test]
fn round_trips_in_both_styles() {
    let s = Scenario::parse(EXAMPLE).scenario.unwrap();
    for style in [DocumentStyle::Text, DocumentStyle::Embedded] {
        let written = s.to_json(style);
        let again = Scenario::parse(&written);
        assert!(
            again.diagnostics.is_empty(),
            "{style:?}: {:#?}\n{written}",
            again.diagnostics
        );
        let again = again.scenario.unwrap();
        assert_eq!(
            again.request,
            Scenario {
                request: again.request.clone(),
                ..s.clone()
            }
            .request
        );
        assert_eq!(again.policies.len(), 3);
        for (a, b) in again.policies.iter().zip(&s.policies) {
            assert_eq!(a.parsed.policy, b.parsed.policy);
            if style == DocumentStyle::Text {
                assert_eq!(a.text, b.text);
            }
        }
        assert_eq!(again.expect, s.expect);
    }
}

#[test]
fn unknown_fields_are_errors_with_suggestions() {
    let text = EXAMPLE.replace("\"resource_account\"", "\"resource_acount\"");
    let parsed = Scenario::parse(&text);
    let d = parsed
        .diagnostics
        .iter()
        .find(|d| d.code == "unknown-element")
        .unwrap();
    assert_eq!(d.help.as_deref(), Some("did you mean `resource_account`?"));
    assert_eq!(d.line, 13);
    let text = EXAMPLE.replace("\"type\": \"identity\"", "\"type\": \"identiy\"");
    let parsed = Scenario::parse(&text);
    let d = parsed
        .diagnostics
        .iter()
        .find(|d| d.code == "unknown-policy-type")
        .unwrap();
    assert_eq!(d.help.as_deref(), Some("did you mean `identity`?"));
}

#[test]
fn embedded_policy_errors_point_into_the_file() {
    let text = EXAMPLE.replace(
        "\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\"",
        "\"Effect\": \"allow\", \"Action\": \"s3:GetObject\"",
    );
    let parsed = Scenario::parse(&text);
    let d = parsed
        .diagnostics
        .iter()
        .find(|d| d.code == "invalid-effect")
        .unwrap();
    assert_eq!(d.policy.as_deref(), Some("Dev"));
    assert_eq!(d.line, 5);
    assert_eq!(d.span.slice(&text), "\"allow\"");
}

#[test]
fn string_policy_errors_point_into_the_string() {
    let text = EXAMPLE.replace("\\\"Principal\\\":\\\"*\\\",", "");
    let parsed = Scenario::parse(&text);
    let d = parsed
        .diagnostics
        .iter()
        .find(|d| d.code == "missing-principal")
        .unwrap();
    assert_eq!(d.policy.as_deref(), Some("Bucket"));
    assert_eq!((d.line, d.column), (1, 38));
}

#[test]
fn context_keys_with_spaces_are_read_trimmed_with_a_warning() {
    let text = EXAMPLE.replace("\"aws:SourceIp\"", "\" aws:SourceIp \"");
    let parsed = Scenario::parse(&text);
    let warnings: Vec<&Diagnostic> = parsed
        .diagnostics
        .iter()
        .filter(|d| d.code == "context-key-spaces")
        .collect();
    assert_eq!(warnings.len(), 1, "{:#?}", parsed.diagnostics);
    let w = warnings[0];
    assert_eq!(w.severity, crate::diagnostics::Severity::Warning);
    assert_eq!(
        w.message,
        "the context key ` aws:SourceIp ` has spaces around it and is read as `aws:SourceIp`"
    );
    assert_eq!(
        w.help.as_deref(),
        Some("condition keys never contain spaces: write `aws:SourceIp`")
    );
    assert_eq!((w.line, w.column), (14, 18));
    assert!(!parsed.has_errors());
    let s = parsed.scenario.unwrap();
    // Kept as written (exports write it back so), read trimmed.
    assert_eq!(s.request.context[0].0, " aws:SourceIp ");
    let request = s.build_request().unwrap();
    assert_eq!(
        request.context.single_text("aws:SourceIp").as_deref(),
        Some("203.0.113.7")
    );
    // The same key with and without spaces is the same key.
    let twice = EXAMPLE.replace("\"n\": 5", "\"n\": 5, \"aws:sourceip \": \"198.51.100.1\"");
    let codes: Vec<&str> = Scenario::parse(&twice)
        .diagnostics
        .iter()
        .map(|d| d.code)
        .collect();
    assert_eq!(codes, ["context-key-spaces", "duplicate-context-key"]);
    // A request built by other means (the app, JavaScript objects) reads
    // keys the same way.
    let mut input = s.request.clone();
    input.context = vec![(
        " aws:SourceIp\t".to_owned(),
        ContextValue::string("192.0.2.1"),
    )];
    let request = build_request(&input).unwrap();
    assert_eq!(
        request.context.single_text("aws:SourceIp").as_deref(),
        Some("192.0.2.1")
    );
    assert_eq!(
        crate::request::key_spaces_warning("  ", crate::source::Span::default())
            .unwrap()
            .message,
        "the context key `  ` is only spaces, so it names no key"
    );
    assert!(
        crate::request::key_spaces_warning("aws:SourceIp", crate::source::Span::default())
            .is_none()
    );
}

#[test]
fn many_context_keys_are_read_in_one_pass() {
    // 20,000 keys: the duplicate check and the context are no longer
    // quadratic (this took seconds before).
    let keys: Vec<String> = (0..20_000).map(|i| format!("\"k{i}\": \"v{i}\"")).collect();
    let text = EXAMPLE.replace("\"n\": 5", &format!("\"n\": 5, {}", keys.join(", ")));
    let parsed = Scenario::parse(&text);
    assert!(!parsed.has_errors(), "{:?}", parsed.diagnostics.first());
    let request = parsed.scenario.unwrap().build_request().unwrap();
    assert_eq!(
        request.context.single_text("K19999").as_deref(),
        Some("v19999")
    );
    assert_eq!(request.context.single_text("k5").as_deref(), Some("v5"));
    assert!(request.context.single_text("k20000").is_none());
}

#[test]
fn request_problems_are_reported() {
    let text = EXAMPLE
        .replace("arn:aws:iam::111122223333:user/alice", "alice")
        .replace("\"action\": \"s3:GetObject\"", "\"action\": \"GetObject\"")
        .replace(
            "\"444455556666\",\n    \"context\"",
            "\"4444\",\n    \"context\"",
        );
    let parsed = Scenario::parse(&text);
    let codes: Vec<&str> = parsed.diagnostics.iter().map(|d| d.code).collect();
    assert!(codes.contains(&"invalid-request-principal"), "{codes:?}");
    assert!(codes.contains(&"invalid-request-action"), "{codes:?}");
    assert!(codes.contains(&"invalid-resource-account"), "{codes:?}");
    let d = parsed
        .diagnostics
        .iter()
        .find(|d| d.code == "invalid-request-principal")
        .unwrap();
    assert_eq!(d.line, 10);
}

#[test]
fn misplaced_fields_and_shapes() {
    let text = EXAMPLE.replace(
        "\"name\": \"Dev\", \"type\": \"identity\"",
        "\"name\": \"Dev\", \"type\": \"identity\", \"level\": \"root\"",
    );
    assert!(Scenario::parse(&text)
        .diagnostics
        .iter()
        .any(|d| d.code == "misplaced-field"));
    let policy_only = r#"{"Version":"2012-10-17","Statement":[]}"#;
    let parsed = Scenario::parse(policy_only);
    assert!(parsed.diagnostics.iter().any(|d| d
        .help
        .as_deref()
        .is_some_and(|h| h.contains("looks like a policy"))));
    for bad in [
        "",
        "[]",
        "{",
        "{\"policies\": 1, \"request\": 2}",
        "{\"policies\": [], \"request\": {}}",
    ] {
        let parsed = Scenario::parse(bad);
        assert!(parsed.has_errors(), "{bad}");
    }
}

#[test]
fn a_case_has_the_fields_of_a_request_then_name_and_expectations() {
    let mut fields = super::read::REQUEST_FIELDS.to_vec();
    fields.extend(["name", "expect", "expectations"]);
    assert_eq!(super::requests::CASE_FIELDS, fields.as_slice());
}

/// An entry of `requests` keeps its principal's tags when written back
/// (Export, share links and drafts write the scenario).
#[test]
fn an_entry_of_requests_writes_its_principal_tags_back() {
    let text = r#"{ "policies": [],
  "requests": [ { "principal": "arn:aws:iam::111122223333:user/alice", "action": "s3:GetObject",
    "resource": "*", "principal_tags": { "team": "dev", "cost-center": "12" } } ] }"#;
    let scenario = Scenario::parse(text).scenario.unwrap();
    let written = scenario.to_json(DocumentStyle::Text);
    let again = Scenario::parse(&written);
    assert!(again.diagnostics.is_empty(), "{:?}", again.diagnostics);
    let tags = |s: &Scenario| s.requests.cases[0].request.principal_tags.clone();
    assert_eq!(tags(&again.scenario.unwrap()), tags(&scenario));
    assert_eq!(tags(&scenario).len(), 2);
}

/// Lists without a request stand for it only when they hold one: an
/// unreadable `requests` gives its own error and no scenario, an empty one
/// the missing-request error (a scenario with neither could not be written
/// back; the read_scenario fuzz target found it).
#[test]
fn empty_or_unreadable_lists_do_not_stand_for_the_request() {
    let policies = r#""policies": [{"name": "P", "type": "identity", "document": {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}}}]"#;
    let not_a_list = Scenario::parse(&format!(
        r#"{{{policies}, "requests": {{"Version": "x"}}}}"#
    ));
    assert!(not_a_list.scenario.is_none());
    let codes: Vec<&str> = not_a_list.diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(codes, ["wrong-type"]);
    let empty = Scenario::parse(&format!(r#"{{{policies}, "requests": []}}"#));
    assert!(empty.scenario.is_none());
    assert!(
        empty.diagnostics.iter().any(|d| d.code == "missing-field"),
        "{:?}",
        empty.diagnostics
    );
}
