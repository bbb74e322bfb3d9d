//! Matching one statement against a request, element by element, recording
//! every comparison. No cross-policy logic here: see [`crate::authorize`].

mod principal;

use crate::condition::{evaluate_condition, ConditionInput};
use crate::explain::{
    Check, PatternCheck, PatternResult, PrincipalMatch, StatementRef, StatementTrace,
};
use crate::matching::arn_matches;
use crate::policy::{ActionElement, Policy, ResourceElement, Statement};
use crate::request::Request;
use crate::text::Text;
use smallvec::SmallVec;

/// Evaluates every statement of `policy` (named `name`) against `request`.
pub(crate) fn evaluate_policy(
    name: &Text,
    policy: &Policy,
    request: &Request,
) -> Vec<StatementTrace> {
    let variables_enabled = policy.variables_enabled();
    policy
        .statements
        .iter()
        .map(|statement| evaluate_statement(name, statement, variables_enabled, request))
        .collect()
}

/// Evaluates one statement; all elements are checked (no short-circuit) so
/// the explanation shows every reason at once.
pub(crate) fn evaluate_statement(
    policy_name: &Text,
    statement: &Statement,
    variables_enabled: bool,
    request: &Request,
) -> StatementTrace {
    let mut checks = Vec::with_capacity(
        usize::from(statement.principal.is_some())
            + 1
            + usize::from(statement.resource.is_some())
            + statement.conditions.len(),
    );
    let mut principal_match = None;
    if let Some(element) = &statement.principal {
        let check =
            principal::check_principal(element, &request.principal, &request.principal_text);
        principal_match = check.1;
        checks.push(Check::Principal(check.0));
    }
    checks.push(Check::Action(check_action(
        &statement.action,
        &request.action,
    )));
    if let Some(resource) = &statement.resource {
        checks.push(Check::Resource(check_resource(resource, request)));
    }
    for entry in &statement.conditions {
        let trace = evaluate_condition(&ConditionInput {
            operator: &entry.operator.value,
            operator_name: &entry.operator_name,
            operator_span: entry.operator.span,
            key: &entry.key.value,
            key_span: entry.key.span,
            values: &entry.values,
            context: &request.context,
            variables_enabled,
        });
        checks.push(Check::Condition(Box::new(trace)));
    }
    let matched = checks.iter().all(Check::matched);
    StatementTrace {
        at: StatementRef {
            policy: policy_name.clone(),
            statement: statement.label.clone(),
            index: statement.index,
        },
        effect: statement.effect.value,
        matched,
        principal_match: if matched { principal_match } else { None },
        span: statement.span,
        checks,
    }
}

fn check_action(element: &ActionElement, action: &Text) -> PatternCheck {
    let patterns: SmallVec<[PatternResult; 2]> = element
        .patterns
        .iter()
        .zip(&element.compiled)
        .map(|(p, compiled)| PatternResult {
            pattern: p.value.clone(),
            resolved: None,
            matched: compiled.matches_ignore_case(action),
            note: None,
            span: p.span,
        })
        .collect();
    let any = patterns.iter().any(|p| p.matched);
    PatternCheck {
        negated: element.negated,
        matched: any != element.negated,
        request_value: action.clone(),
        patterns,
        span: element.span,
    }
}

fn check_resource(element: &ResourceElement, request: &Request) -> PatternCheck {
    let lookup = |key: &str| request.context.single_text(key);
    let patterns: SmallVec<[PatternResult; 2]> = element
        .patterns
        .iter()
        .zip(&element.templates)
        .map(|(p, template)| {
            if let Some(fixed) = template.fixed_pattern() {
                return PatternResult {
                    pattern: p.value.clone(),
                    matched: arn_matches(fixed, &request.resource),
                    resolved: None,
                    note: None,
                    span: p.span,
                };
            }
            // Most templates fail on their literal start: then only the
            // substituted text is needed, for the explanation.
            if !request.resource.starts_with(template.literal_prefix()) {
                return match template.resolve_text(&lookup) {
                    Ok(text) => PatternResult {
                        pattern: p.value.clone(),
                        matched: false,
                        resolved: Some(Text::from(text)),
                        note: None,
                        span: p.span,
                    },
                    Err(unresolved) => PatternResult {
                        pattern: p.value.clone(),
                        resolved: None,
                        matched: false,
                        note: Some(Text::from(unresolved.to_string())),
                        span: p.span,
                    },
                };
            }
            match template.resolve(&lookup) {
                Ok(resolved) => PatternResult {
                    pattern: p.value.clone(),
                    matched: arn_matches(&resolved.pattern, &request.resource),
                    resolved: Some(Text::from(resolved.text)),
                    note: None,
                    span: p.span,
                },
                Err(unresolved) => PatternResult {
                    pattern: p.value.clone(),
                    resolved: None,
                    matched: false,
                    note: Some(Text::from(unresolved.to_string())),
                    span: p.span,
                },
            }
        })
        .collect();
    let any = patterns.iter().any(|p| p.matched);
    PatternCheck {
        negated: element.negated,
        matched: any != element.negated,
        request_value: request.resource.clone(),
        patterns,
        span: element.span,
    }
}

/// Whether a principal match grants to the caller directly (not limited by
/// boundaries or session policies in the same account).
pub(crate) fn is_direct_grant(m: PrincipalMatch) -> bool {
    matches!(
        m,
        PrincipalMatch::Exact
            | PrincipalMatch::Everyone
            | PrincipalMatch::Service
            | PrincipalMatch::NotListed
    )
}
