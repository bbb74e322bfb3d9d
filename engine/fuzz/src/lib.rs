//! Invariants shared by the fuzz targets. Each check panics (which libFuzzer
//! reports as a crash) when the engine breaks a promise it documents.

pub mod web;

use iam_engine::explain::Evaluation;
use iam_engine::parse::ParsedPolicy;
use iam_engine::policy::Effect;
use iam_engine::scenario::RequestInput;
use iam_engine::{Decision, Diagnostic, Scenario, SourceText};

/// Every diagnostic has a 1-based position; when `text` is the text it points
/// into, its span lies within the text, on character boundaries, and its line
/// and column are those of the span's start.
pub fn check_diagnostics(diagnostics: &[Diagnostic], text: Option<&str>) {
    for d in diagnostics {
        assert!(d.line >= 1, "line 0 in {d:?}");
        assert!(d.column >= 1, "column 0 in {d:?}");
        assert!(d.span.start <= d.span.end, "reversed span in {d:?}");
        assert!(!d.message.is_empty(), "empty message in {d:?}");
        if let Some(text) = text {
            let (start, end) = (d.span.start as usize, d.span.end as usize);
            assert!(
                end <= text.len(),
                "span past the end ({}) in {d:?}",
                text.len()
            );
            assert!(
                text.is_char_boundary(start),
                "span start inside a character in {d:?}"
            );
            assert!(
                text.is_char_boundary(end),
                "span end inside a character in {d:?}"
            );
            let at = SourceText::new(text).line_col(d.span.start);
            assert_eq!(
                (d.line, d.column),
                (at.line, at.column),
                "wrong position in {d:?}"
            );
        }
    }
}

/// The invariants of one parsed policy whose spans point into `text`.
pub fn check_parsed_policy(parsed: &ParsedPolicy, text: &str) {
    check_diagnostics(&parsed.diagnostics, Some(text));
    let errors = parsed.diagnostics.iter().any(Diagnostic::is_error);
    assert_eq!(parsed.has_errors(), errors);
    assert_eq!(
        parsed.valid_policy().is_some(),
        parsed.policy.is_some() && !errors
    );
    // Diagnostics come in document order.
    assert!(
        parsed
            .diagnostics
            .windows(2)
            .all(|w| matches!(w, [a, b] if a.span.start <= b.span.start)),
        "diagnostics out of order: {:?}",
        parsed.diagnostics
    );
    if let Some(policy) = &parsed.policy {
        let in_text = |s: iam_engine::Span| s.start <= s.end && s.end as usize <= text.len();
        assert!(in_text(policy.span), "policy span outside the text");
        // A statement that cannot be read is dropped; the others keep their
        // index in the document, so indexes only increase.
        assert!(
            policy
                .statements
                .windows(2)
                .all(|w| matches!(w, [a, b] if a.index < b.index)),
            "statement indexes out of order"
        );
        for st in &policy.statements {
            assert!(in_text(st.span), "statement span outside the text");
            assert!(in_text(st.effect.span), "effect span outside the text");
            for p in &st.action.patterns {
                assert!(in_text(p.span), "action span outside the text");
            }
            if let Some(r) = &st.resource {
                for p in &r.patterns {
                    assert!(in_text(p.span), "resource span outside the text");
                }
            }
        }
    }
}

/// The request fields a round trip must keep (spans are positions in a
/// file, so they legitimately move).
fn request_fields(r: &RequestInput) -> impl PartialEq + std::fmt::Debug + '_ {
    (
        &r.principal,
        &r.action,
        &r.resource,
        &r.resource_account,
        &r.context,
        &r.principal_tags,
    )
}

/// Writing `scenario` as text and reading it back gives the same scenario
/// (policies' names, types, levels, accounts, texts and parses; request;
/// corpus fields).
pub fn check_round_trip(scenario: &Scenario) {
    let written = scenario.to_json(iam_engine::scenario::DocumentStyle::Text);
    let reread = Scenario::parse(&written);
    let Some(again) = &reread.scenario else {
        panic!(
            "the written scenario does not read back: {:?}\n{written}",
            reread.diagnostics
        );
    };
    assert_eq!(again.name, scenario.name);
    assert_eq!(again.description, scenario.description);
    assert_eq!(again.rule, scenario.rule);
    assert_eq!(again.expect, scenario.expect);
    assert_eq!(
        request_fields(&again.request),
        request_fields(&scenario.request),
        "request changed in a round trip:\n{written}"
    );
    assert_eq!(
        again.policies.len(),
        scenario.policies.len(),
        "policy count"
    );
    for (a, b) in again.policies.iter().zip(&scenario.policies) {
        assert_eq!(a.name, b.name);
        assert_eq!(a.policy_type, b.policy_type);
        assert_eq!(a.level, b.level);
        assert_eq!(a.account, b.account);
        assert_eq!(a.enabled, b.enabled);
        assert_eq!(a.origin, b.origin);
        assert_eq!(a.text, b.text, "policy text changed in a round trip");
        assert_eq!(a.parsed, b.parsed, "policy `{}` parses differently", a.name);
    }
}

/// The invariants of an evaluation of `scenario`.
pub fn check_evaluation(evaluation: &Evaluation, scenario: &Scenario) {
    let mut effects = Vec::new();
    for d in &evaluation.determining {
        let policy = scenario
            .policy(&d.policy)
            .unwrap_or_else(|| panic!("determining names unknown policy `{}`", d.policy));
        let statement = policy
            .parsed
            .policy
            .as_ref()
            .and_then(|p| p.statements.get(d.index))
            .unwrap_or_else(|| panic!("determining names missing statement {d:?}"));
        effects.push(statement.effect.value);
    }
    match evaluation.decision {
        Decision::ExplicitDeny => {
            assert!(
                !evaluation.determining.is_empty(),
                "explicit deny without determining statements: {}",
                evaluation.summary
            );
            assert!(
                effects.iter().all(|e| *e == Effect::Deny),
                "explicit deny determined by a non-Deny statement: {:?}",
                evaluation.determining
            );
        }
        Decision::Allow => assert!(
            effects.iter().all(|e| *e == Effect::Allow),
            "allow determined by a non-Allow statement: {:?}",
            evaluation.determining
        ),
        Decision::ImplicitDeny => assert!(
            evaluation.determining.is_empty(),
            "implicit deny with determining statements: {:?}",
            evaluation.determining
        ),
    }
    assert!(!evaluation.summary.is_empty(), "empty summary");
    check_diagnostics(&evaluation.diagnostics, None);
}

/// Evaluates `scenario` twice (results must be equal) and checks the result.
pub fn evaluate_and_check(scenario: &Scenario) {
    let first = iam_engine::evaluate(scenario);
    let second = iam_engine::evaluate(scenario);
    assert_eq!(first, second, "evaluation is not deterministic");
    match &first {
        Ok(evaluation) => check_evaluation(evaluation, scenario),
        Err(e) => {
            assert!(
                e.errors().next().is_some(),
                "evaluation failed without an error"
            );
            check_diagnostics(&e.diagnostics, None);
        }
    }
}
