//! Many requests at the JSON boundary: every request's compact result, and
//! one request's whole explanation on demand (the JavaScript package's
//! `evaluateMany` and `explainRequest`).

use serde::Serialize;

use super::Answer;
use crate::diagnostics::Diagnostic;
use crate::explain::{Decision, StatementRef};
use crate::scenario::{Expectation, Scenario};
use crate::suite::{expand, meets, Case, Detail, PolicySet, Vocabulary};
use crate::EvaluationError;

/// One request's compact result.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct RequestResult {
    /// Its position among the scenario's requests (for `explainRequest`).
    pub index: usize,
    /// Its name, when given.
    pub name: Option<String>,
    /// The principal.
    pub principal: String,
    /// The action (one concrete action).
    pub action: String,
    /// The resource.
    pub resource: String,
    /// The wildcard action it was expanded from, if any.
    pub expanded_from: Option<String>,
    /// The decision.
    pub decision: Decision,
    /// The deciding statements.
    pub determining: Vec<StatementRef>,
    /// What it expects, when given.
    pub expect: Option<Expectation>,
    /// Whether it met its expectation (`null` without one).
    pub passed: Option<bool>,
    /// Warnings about the request (a resource its action does not act on).
    pub warnings: Vec<Diagnostic>,
}

/// The answer of `evaluateMany`: every request's result, or the
/// diagnostics that prevented any.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum ManyAnswer {
    /// Every request was decided.
    Evaluated {
        /// One result per request, in order: `request`, `requests`, then
        /// each matrix (actions × principals × resources).
        results: Vec<RequestResult>,
        /// Requests that met their expectation.
        passed: usize,
        /// Requests that did not.
        failed: usize,
        /// Requests without an expectation.
        unchecked: usize,
        /// Warnings of the policies.
        diagnostics: Vec<Diagnostic>,
    },
    /// The scenario has errors; nothing was decided.
    Invalid {
        /// Every diagnostic, errors first.
        diagnostics: Vec<Diagnostic>,
    },
}

fn invalid(mut diagnostics: Vec<Diagnostic>) -> ManyAnswer {
    crate::sorting::sort_by_key(&mut diagnostics, |d| d.severity);
    ManyAnswer::Invalid { diagnostics }
}

/// The scenario and its requests, or the diagnostics.
fn read(
    text: &str,
    vocabulary: Option<&dyn Vocabulary>,
) -> Result<(Scenario, Vec<Case>), Vec<Diagnostic>> {
    let parsed = Scenario::parse(text);
    let has_errors = parsed.has_errors();
    let scenario = match parsed.scenario {
        Some(s) if !has_errors => s,
        _ => return Err(parsed.diagnostics),
    };
    let cases = expand(&scenario, vocabulary)?;
    Ok((scenario, cases))
}

/// Reads scenario JSON text and decides every request.
pub fn evaluate_many_text(text: &str, vocabulary: Option<&dyn Vocabulary>) -> ManyAnswer {
    let (scenario, cases) = match read(text, vocabulary) {
        Ok(v) => v,
        Err(diagnostics) => return invalid(diagnostics),
    };
    let set = match PolicySet::prepare(&scenario) {
        Ok(set) => set,
        Err(e) => return invalid(e.diagnostics),
    };
    let verdicts = set.decide_all(cases.iter().map(|c| &c.request), Detail::Decision);
    let mut results = Vec::with_capacity(cases.len());
    let (mut passed, mut failed, mut unchecked) = (0, 0, 0);
    for (index, (case, verdict)) in cases.into_iter().zip(verdicts).enumerate() {
        let verdict = match verdict {
            Ok(v) => v,
            Err(diagnostics) => {
                let source = crate::SourceText::new(text);
                return invalid(diagnostics.into_iter().map(|d| d.locate(&source)).collect());
            }
        };
        let met = case.expect.as_ref().map(|e| meets(e, &verdict));
        match met {
            Some(true) => passed += 1,
            Some(false) => failed += 1,
            None => unchecked += 1,
        }
        results.push(RequestResult {
            index,
            name: case.name,
            principal: case.request.principal,
            action: case.request.action,
            resource: case.request.resource,
            expanded_from: case.expanded_from,
            decision: verdict.decision,
            determining: verdict.determining,
            expect: case.expect,
            passed: met,
            warnings: case.warnings,
        });
    }
    ManyAnswer::Evaluated {
        results,
        passed,
        failed,
        unchecked,
        diagnostics: set.diagnostics().to_vec(),
    }
}

/// Reads scenario JSON text and explains its request at `index` (as
/// [`evaluate_many_text`] numbers them) in full.
pub fn explain_request_text(
    text: &str,
    index: usize,
    vocabulary: Option<&dyn Vocabulary>,
) -> Answer {
    let (scenario, cases) = match read(text, vocabulary) {
        Ok(v) => v,
        Err(diagnostics) => return Answer::from(Err(EvaluationError { diagnostics })),
    };
    let Some(case) = cases.get(index) else {
        return Answer::from(Err(EvaluationError {
            diagnostics: vec![Diagnostic::error(
                "no-such-request",
                format!(
                    "the scenario has {} requests; there is no request {index}",
                    cases.len()
                ),
                crate::Span::default(),
            )
            .with_help("requests are numbered from 0, in the order `evaluateMany` returns them")],
        }));
    };
    let result = PolicySet::prepare(&scenario).and_then(|set| set.explain(&case.request));
    Answer::from(result)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SUITE: &str = r#"{ "policies": [ { "name": "P", "type": "identity", "document": { "Version": "2012-10-17",
        "Statement": { "Sid": "Reads", "Effect": "Allow", "Action": "s3:Get*", "Resource": "*" } } } ],
      "requests": [ { "name": "read", "principal": "arn:aws:iam::111122223333:user/alice", "action": "s3:GetObject",
                      "resource": "arn:aws:s3:::b/k", "expect": { "decision": "Allow" } },
                    { "principal": "arn:aws:iam::111122223333:user/alice", "action": "s3:PutObject",
                      "resource": "arn:aws:s3:::b/k", "expect": { "decision": "Allow" } } ] }"#;

    #[test]
    fn decides_every_request_and_explains_one() {
        let ManyAnswer::Evaluated {
            results,
            passed,
            failed,
            unchecked,
            ..
        } = evaluate_many_text(SUITE, None)
        else {
            panic!("not evaluated");
        };
        assert_eq!((passed, failed, unchecked), (1, 1, 0));
        assert_eq!(results[1].decision, Decision::ImplicitDeny);
        assert_eq!(results[1].passed, Some(false));
        assert_eq!(results[0].determining[0].statement.as_str(), "Reads");
        let Answer::Evaluated(evaluation) = explain_request_text(SUITE, 1, None) else {
            panic!("not explained");
        };
        assert_eq!(evaluation.request.action.as_str(), "s3:PutObject");
        assert!(matches!(
            explain_request_text(SUITE, 2, None),
            Answer::Invalid { .. }
        ));
        let wild = SUITE.replace("\"s3:PutObject\"", "\"s3:Put*\"");
        let ManyAnswer::Invalid { diagnostics } = evaluate_many_text(&wild, None) else {
            panic!("a wildcard without a catalogue is an error");
        };
        assert_eq!(diagnostics[0].code, "wildcard-needs-catalogue");
        let vocabulary = crate::suite::ActionList::new(["s3:PutObject", "s3:PutObjectAcl"]);
        let ManyAnswer::Evaluated { results, .. } = evaluate_many_text(&wild, Some(&vocabulary))
        else {
            panic!("expanded");
        };
        assert_eq!(results.len(), 3);
        assert_eq!(results[2].expanded_from.as_deref(), Some("s3:Put*"));
    }
}
