//! Matching one statement against a request, element by element, recording
//! every comparison. No cross-policy logic here: see [`crate::authorize`].

mod principal;

use std::rc::Rc;

use crate::condition::evaluate::decide_condition;
use crate::condition::{is_undocumented_date_form, ConditionInput, OperatorFamily};
use crate::explain::{
    Bits, Details, ElementResults, Noted, PrincipalMatch, StatementResult, StatementResults,
    Substituted, TraceSource,
};
use crate::limits::{MAX_SHOWN_SUBSTITUTION_BYTES, MAX_SUBSTITUTED_BYTES};
use crate::matching::{arn_matches, shown_substitution, TooLong, Unsubstituted};
use crate::policy::{ActionElement, Policy, PrincipalSpec, ResourceElement, Statement};
use crate::request::Request;
use crate::text::Text;

/// Evaluates every statement of `policy` (named `name`) against `request`.
pub(crate) fn evaluate_policy(
    name: &Text,
    policy: &Rc<Policy>,
    request: &Request,
) -> StatementResults {
    let variables_enabled = policy.variables_enabled();
    let source = TraceSource {
        policy_name: name.clone(),
        policy: Rc::clone(policy),
        principal: request.principal_text.clone(),
        action: request.action.clone(),
        resource: request.resource.clone(),
    };
    let mut details = Vec::new();
    let results = policy
        .statements
        .iter()
        .map(|statement| evaluate_statement(statement, variables_enabled, request, &mut details))
        .collect();
    StatementResults::new(results, details, source)
}

/// Evaluates the statements of `policy` at `candidates` (0-based indexes,
/// ascending) for the decision only: a statement whose action element does
/// not match is left out of the results, as are the statements not among
/// the candidates (the caller knows their action cannot match). The
/// decision and the deciding statements are the same as
/// [`evaluate_policy`]'s; the explanation is not.
pub(crate) fn evaluate_policy_quick(
    name: &Text,
    policy: &Rc<Policy>,
    request: &Request,
    candidates: &[usize],
) -> StatementResults {
    let variables_enabled = policy.variables_enabled();
    let mut details = Vec::new();
    let results = candidates
        .iter()
        .filter_map(|&i| policy.statements.get(i))
        .filter(|statement| check_action(&statement.action, &request.action).0)
        .map(|statement| evaluate_statement(statement, variables_enabled, request, &mut details))
        .collect();
    StatementResults::new(results, details, trace_source(name, policy, request))
}

fn trace_source(name: &Text, policy: &Rc<Policy>, request: &Request) -> TraceSource {
    TraceSource {
        policy_name: name.clone(),
        policy: Rc::clone(policy),
        principal: request.principal_text.clone(),
        action: request.action.clone(),
        resource: request.resource.clone(),
    }
}

/// Evaluates one statement; all elements are checked (no short-circuit) so
/// the explanation shows every reason at once.
fn evaluate_statement(
    statement: &Statement,
    variables_enabled: bool,
    request: &Request,
    all_details: &mut Vec<Details>,
) -> StatementResult {
    let mut elements = ElementResults {
        conditions_hold: true,
        ..ElementResults::default()
    };
    let mut principal_match = None;
    let mut matched = true;
    if let Some(element) = &statement.principal {
        let (entries, element_matched, how) =
            principal::check_principal(element, &request.principal);
        principal_match = how;
        matched &= element_matched;
        // `${…}` in Principal is literal text, which names no principal:
        // only worth a note when no entry matched.
        if variables_enabled
            && entries.iter().all(Option::is_none)
            && matches!(&element.spec, PrincipalSpec::Entries(list) if list.iter().any(|e| e.value.value.contains("${")))
        {
            elements.noted |= Noted::PRINCIPAL_VARIABLE;
        }
        elements.not_principal = element.negated;
        elements.principal = Some((element_matched, entries));
    }
    let (action_matched, action_patterns) = check_action(&statement.action, &request.action);
    elements.action_matched = action_matched;
    elements.action_patterns = action_patterns;
    matched &= action_matched;
    let mut details: Option<Details> = None;
    if let Some(resource) = &statement.resource {
        let (resource_matched, patterns, unresolved) =
            check_resource(resource, request, &mut details);
        if unresolved && resource.negated {
            elements.noted |= Noted::NOT_RESOURCE_UNRESOLVED;
        }
        elements.resource_matched = Some(resource_matched);
        elements.resource_patterns = patterns;
        matched &= resource_matched;
    }
    if !statement.conditions.is_empty() {
        let conditions = &mut details.get_or_insert_with(Details::default).conditions;
        conditions.reserve(statement.conditions.len());
        for entry in &statement.conditions {
            let result = decide_condition(&ConditionInput {
                operator: &entry.operator.value,
                operator_name: &entry.operator_name,
                operator_span: entry.operator.span,
                key: &entry.key.value,
                key_span: entry.key.span,
                values: &entry.values,
                context: &request.context,
                variables_enabled,
                prepared: &entry.prepared,
            });
            elements.conditions_hold &= result.outcome.is_match();
            elements.noted |= result.undocumented();
            match entry.operator.value.base.family() {
                OperatorFamily::Bool if result.substituted_a_variable() => {
                    elements.noted |= Noted::BOOL_VARIABLE;
                }
                OperatorFamily::Date
                    if entry
                        .values
                        .iter()
                        .map(|v| v.text.as_str())
                        .chain(result.request_values.iter().flatten().map(|v| v.as_str()))
                        .any(is_undocumented_date_form) =>
                {
                    elements.noted |= Noted::DATE_FORM;
                }
                _ => {}
            }
            conditions.push(result);
        }
        matched &= elements.conditions_hold;
    }
    if let Some(details) = details {
        elements.details = u32::try_from(all_details.len()).ok();
        all_details.push(details);
    }
    StatementResult {
        index: statement.index,
        effect: statement.effect.value,
        matched,
        principal_match: if matched { principal_match } else { None },
        span: statement.span,
        elements,
    }
}

/// Whether the action element matched, and which patterns did.
fn check_action(element: &ActionElement, action: &str) -> (bool, Bits) {
    let mut bits = Bits::default();
    for (i, compiled) in element.compiled.iter().enumerate() {
        if compiled.matches_ignore_case(action) {
            bits.insert(i);
        }
    }
    (bits.is_empty() == element.negated, bits)
}

/// Whether the resource element matched, which patterns did, and whether
/// some pattern's policy variable had no value; substituted text (or the
/// unresolved key) goes to `details`.
///
/// AWS ("Policy variables with no value"): a `Resource` or `NotResource`
/// entry whose variable has no value matches no resource, and an
/// unresolved variable makes the statement not take effect. So in
/// `Resource` the entry simply fails; in `NotResource` the element does
/// not match at all (reading the entry as "excludes nothing" would let the
/// statement apply to every resource: docs/semantics.md).
fn check_resource(
    element: &ResourceElement,
    request: &Request,
    details: &mut Option<Details>,
) -> (bool, Bits, bool) {
    let lookup = |key: &str| request.context.single_text(key);
    let resource = request.resource.as_str();
    let mut bits = Bits::default();
    let mut any_unresolved = false;
    let limit = MAX_SUBSTITUTED_BYTES.max(resource.len());
    for (i, template) in element.templates.iter().enumerate() {
        if let Some(fixed) = template.fixed_pattern() {
            if arn_matches(fixed, resource) {
                bits.insert(i);
            }
            continue;
        }
        // The pattern is built (at most `resource.len()` literal bytes,
        // no more work than matching it) only when it could match: it
        // starts like the resource and has no more literal text than the
        // resource. Otherwise only its shown part is built, for the
        // explanation; past `limit` it is reported as too long.
        let outcome = match template.literal_len(&lookup) {
            Err(unresolved) => Err(Unsubstituted::Unresolved(unresolved)),
            Ok(length) if length > limit => Err(Unsubstituted::TooLong(TooLong { length })),
            Ok(length)
                if length <= resource.len() && resource.starts_with(template.literal_prefix()) =>
            {
                template.resolve(&lookup, resource.len()).map(|r| {
                    if arn_matches(&r.pattern, resource) {
                        bits.insert(i);
                    }
                    (shown_substitution(&r.text), r.text.len())
                })
            }
            Ok(_) => template
                .resolve_text(&lookup, MAX_SHOWN_SUBSTITUTION_BYTES)
                .map_err(Unsubstituted::Unresolved),
        };
        let entry = match outcome {
            Ok((text, length)) => Substituted {
                index: i,
                text: Some(text),
                length,
                unresolved: None,
                too_long: false,
            },
            Err(Unsubstituted::Unresolved(unresolved)) => {
                any_unresolved = true;
                Substituted {
                    index: i,
                    text: None,
                    length: 0,
                    unresolved: Some(Text::from(unresolved.key)),
                    too_long: false,
                }
            }
            // Exactly what comparing it would give: no match. In
            // `NotResource` the entry then excludes nothing (unlike an
            // unresolved variable: docs/semantics.md).
            Err(Unsubstituted::TooLong(TooLong { length })) => Substituted {
                index: i,
                text: None,
                length,
                unresolved: None,
                too_long: true,
            },
        };
        details
            .get_or_insert_with(Details::default)
            .resolved
            .push(entry);
    }
    let matched = if element.negated {
        bits.is_empty() && !any_unresolved
    } else {
        !bits.is_empty()
    };
    (matched, bits, any_unresolved)
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
