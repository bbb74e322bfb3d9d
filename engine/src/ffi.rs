//! Text in, result out: the entry points shared by the CLI and the
//! JavaScript API, so both answer exactly alike.

pub mod account;
mod many;

pub use many::{evaluate_many_text, explain_request_text, ManyAnswer, RequestResult};

use serde::Serialize;

use crate::authorize::{evaluate, EvaluationError};
use crate::catalog::Catalog;
use crate::diagnostics::Diagnostic;
use crate::explain::Evaluation;
use crate::scenario::Scenario;
use crate::validate::{validate, PolicyKind};

/// Reads scenario JSON text and evaluates it.
pub fn evaluate_scenario_text(text: &str) -> Result<Evaluation, EvaluationError> {
    let parsed = Scenario::parse(text);
    match parsed.scenario {
        Some(scenario) if !parsed.has_errors() => evaluate(&scenario)
            .map(|mut evaluation| {
                // The reader's warnings about the request (a context key
                // with spaces around it) go with the decision.
                evaluation.diagnostics.extend(
                    parsed
                        .diagnostics
                        .iter()
                        .filter(|d| d.code == "context-key-spaces")
                        .cloned(),
                );
                evaluation
            })
            .map_err(|e| {
                // The reader's diagnostics (warnings only: it found no
                // error) keep their positions in the scenario file; the
                // errors found while deciding are added after them. A
                // scenario-level one (no single `request`) has a span in
                // the file but no line yet.
                let source = crate::SourceText::new(text);
                let mut diagnostics = parsed.diagnostics.clone();
                for d in e.diagnostics {
                    let known = diagnostics.iter().any(|p| {
                        p.code == d.code && p.message == d.message && p.policy == d.policy
                    });
                    if !known {
                        diagnostics.push(if d.line == 0 && d.policy.is_none() {
                            d.locate(&source)
                        } else {
                            d
                        });
                    }
                }
                EvaluationError { diagnostics }
            }),
        _ => Err(EvaluationError {
            diagnostics: parsed.diagnostics,
        }),
    }
}

/// The diagnostics and validation findings of one policy's text, for a
/// policy of `policy_type` (a [`PolicyKind`] name: `identity`, `resource`,
/// `permissions-boundary`, `scp`, `rcp`, `session`, or the finer
/// `inline-user`, `inline-group`, `inline-role`, `role-trust`). With a
/// catalogue, the findings that need AWS's vocabulary are included.
pub fn validate_policy_text(
    text: &str,
    policy_type: &str,
    catalog: Option<&Catalog>,
) -> Result<Vec<Diagnostic>, Box<Diagnostic>> {
    let Some(kind) = PolicyKind::parse(policy_type) else {
        let names: Vec<&str> = PolicyKind::ALL.iter().map(|t| t.as_str()).collect();
        return Err(Box::new(
            Diagnostic::error(
                "unknown-policy-type",
                format!("unknown policy type `{policy_type}`"),
                crate::source::Span::default(),
            )
            .with_help(format!("the types are {}", names.join(", "))),
        ));
    };
    Ok(validate(text, kind, catalog))
}

/// The answer of the JSON boundary: a result, or the diagnostics that
/// prevented one.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Answer {
    /// The scenario was evaluated.
    Evaluated(Box<Evaluation>),
    /// The scenario has errors; nothing was decided.
    Invalid {
        /// Every diagnostic, errors first.
        diagnostics: Vec<Diagnostic>,
    },
}

impl From<Result<Evaluation, EvaluationError>> for Answer {
    fn from(result: Result<Evaluation, EvaluationError>) -> Self {
        match result {
            Ok(evaluation) => Answer::Evaluated(Box::new(evaluation)),
            Err(e) => {
                let mut diagnostics = e.diagnostics;
                crate::sorting::sort_by_key(&mut diagnostics, |d| d.severity);
                Answer::Invalid { diagnostics }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_in_result_out() {
        let text = r#"{"policies":[{"name":"P","type":"identity","document":{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}}],
                      "request":{"principal":"arn:aws:iam::111122223333:user/alice","action":"s3:GetObject","resource":"arn:aws:s3:::b/k"}}"#;
        let evaluation = evaluate_scenario_text(text).unwrap();
        assert_eq!(evaluation.decision, crate::Decision::Allow);
        let bad = text.replace("\"Allow\"", "\"allow\"");
        let err = evaluate_scenario_text(&bad).unwrap_err();
        let first = err.errors().next().unwrap();
        assert_eq!(first.policy.as_deref(), Some("P"));
        assert_eq!(first.line, 1);
        let answer = Answer::from(evaluate_scenario_text("{"));
        assert!(matches!(answer, Answer::Invalid { .. }));
    }

    /// A file with only a list of requests cannot be decided as one
    /// request: the error points at the list, with its line and column
    /// (the `evaluate` fuzz target found it at line 0).
    #[test]
    fn a_list_without_a_request_is_an_error_at_the_list() {
        let text = include_str!("../../tests/corpus/requests/02-matrix-with-context.json");
        let err = evaluate_scenario_text(text).unwrap_err();
        let first = err.errors().next().unwrap();
        assert_eq!(first.code, "no-single-request");
        let at = crate::SourceText::new(text).line_col(first.span.start);
        assert!(first.line >= 1);
        assert_eq!((first.line, first.column), (at.line, at.column));
        // With a warning from the reader (an unknown `aws:` key), the
        // error is still there (the fuzz target found it dropped).
        let warned = text.replace("aws:SourceIp\": \"203", "aws:SourceIpx\": \"203");
        assert_ne!(warned, text);
        let err = evaluate_scenario_text(&warned).unwrap_err();
        assert!(
            err.errors().any(|d| d.code == "no-single-request"),
            "{err:?}"
        );
    }

    #[test]
    fn validates_single_policies() {
        let d = validate_policy_text(r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"GetObject","Resource":"*"}}"#, "identity", None).unwrap();
        assert_eq!(d[0].code, "missing-service-prefix");
        assert!(validate_policy_text("{}", "idenity", None).is_err());
    }
}
