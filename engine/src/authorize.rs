//! AWS's decision logic across every policy type, producing the decision and
//! its explanation in one pass.
//!
//! Order (AWS "Policy evaluation logic"): an explicit deny anywhere; RCPs of
//! the resource's account and SCPs of the principal's account, every level
//! of which must allow; then resource-based policies, the permissions
//! boundary, session policies and identity-based policies, combined as AWS
//! documents for requests within one account and across accounts.

mod flow;
mod summary;

use crate::diagnostics::{has_errors, Diagnostic};
use crate::explain::{Evaluation, MissingKey, PolicyTrace, RequestTrace, StatementRef};
use crate::policy::PolicyType;
use crate::request::{Principal, Request};
use crate::scenario::Scenario;
use crate::text::Text;

/// Why a scenario could not be evaluated.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("the scenario has {} error(s); the first: {}", self.errors().count(), self.errors().next().map(|d| d.to_string()).unwrap_or_default())]
pub struct EvaluationError {
    /// Every diagnostic (errors and warnings), each naming its policy.
    pub diagnostics: Vec<Diagnostic>,
}

impl EvaluationError {
    /// The errors only.
    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics.iter().filter(|d| d.is_error())
    }
}

/// Evaluates a scenario: its request against its policies.
///
/// Fails when any policy or the request has an error (AWS would reject the
/// policy, so there is nothing faithful to decide).
pub fn evaluate(scenario: &Scenario) -> Result<Evaluation, EvaluationError> {
    let mut diagnostics = scenario.policy_diagnostics();
    match scenario.build_request() {
        Ok(request) if !has_errors(&diagnostics) => Ok(authorize(scenario, request, diagnostics)),
        Ok(_) => Err(EvaluationError { diagnostics }),
        Err(errors) => {
            diagnostics.extend(errors);
            Err(EvaluationError { diagnostics })
        }
    }
}

/// The parts of the request the flow needs, resolved once.
pub(crate) struct Facts<'a> {
    pub request: &'a Request,
    pub principal_account: Option<&'a str>,
    pub resource_account: Option<&'a str>,
    pub cross_account: bool,
}

fn resolve_resource_account(
    scenario: &Scenario,
    request: &Request,
) -> (Option<String>, &'static str) {
    if let Some(account) = &request.resource_account {
        return (Some(account.clone()), "given in the request");
    }
    if request.resource.starts_with("arn:") {
        if let Some(account) = crate::matching::arn::split_colons(&request.resource)
            .nth(4)
            .filter(|a| !a.is_empty())
        {
            return (Some(account.to_owned()), "the resource ARN");
        }
    }
    if let Some(account) = scenario
        .policies
        .iter()
        .find(|p| p.enabled && p.policy_type == PolicyType::Resource)
        .and_then(|p| p.account.clone())
    {
        return (Some(account), "the resource-based policy's account");
    }
    match request.principal.account() {
        Some(account) => (
            Some(account.to_owned()),
            "assumed to be the principal's account",
        ),
        None => (None, "unknown"),
    }
}

/// Why a switched-off policy takes no part.
const SWITCHED_OFF: &str =
    "it is switched off: kept in the scenario but not evaluated, as if it were detached";

/// Whether policies of `policy_type` take part for this principal, and why not.
fn applicability(policy_type: PolicyType, principal: &Principal) -> Result<(), &'static str> {
    use Principal as P;
    match (policy_type, principal) {
        (PolicyType::Identity, P::Root { .. }) => {
            Err("identity-based policies do not limit the account root user")
        }
        (PolicyType::PermissionsBoundary, P::Root { .. }) => {
            Err("the root user has no permissions boundary")
        }
        (
            PolicyType::Identity | PolicyType::PermissionsBoundary | PolicyType::Session,
            P::Anonymous,
        ) => Err("an anonymous caller has no identity, boundary or session"),
        (
            PolicyType::Identity | PolicyType::PermissionsBoundary | PolicyType::Session,
            P::Service { .. },
        ) => Err("a service principal has no identity-based policies"),
        (PolicyType::Session, P::User { .. } | P::Root { .. }) => {
            Err("session policies apply only to role sessions and federated-user sessions")
        }
        (PolicyType::Scp, P::Anonymous) => {
            Err("SCPs apply to principals of member accounts; an anonymous caller has none")
        }
        (PolicyType::Scp, P::Service { .. }) => {
            Err("SCPs limit principals of member accounts, not AWS service principals")
        }
        _ => Ok(()),
    }
}

fn authorize(scenario: &Scenario, request: Request, diagnostics: Vec<Diagnostic>) -> Evaluation {
    let (resource_account, resource_account_source) = resolve_resource_account(scenario, &request);
    let principal_account = request.principal.account();
    let cross_account =
        matches!((principal_account, &resource_account), (Some(p), Some(r)) if p != r);
    let facts = Facts {
        request: &request,
        principal_account,
        resource_account: resource_account.as_deref(),
        cross_account,
    };

    let policies: Vec<PolicyTrace> = scenario
        .policies
        .iter()
        .map(|p| {
            let applies = if p.enabled {
                applicability(p.policy_type, &request.principal)
            } else {
                Err(SWITCHED_OFF)
            };
            let name = Text::from(&p.name);
            let statements = p
                .parsed
                .policy
                .as_ref()
                .filter(|_| p.enabled)
                .map(|policy| crate::evaluate::evaluate_policy(&name, policy, &request))
                .unwrap_or_default();
            PolicyTrace {
                name,
                enabled: p.enabled,
                origin: p.origin.as_deref().map(Text::from),
                policy_type: p.policy_type,
                level: p
                    .policy_type
                    .has_levels()
                    .then(|| Text::from(p.level_name())),
                applies: applies.is_ok(),
                not_applicable_reason: applies.err(),
                statements,
            }
        })
        .collect();

    let outcome = flow::run(&facts, &policies);
    let summary = summary::summarize(&facts, &policies, &outcome);
    let missing_context_keys = missing_keys(scenario, &request, &policies);
    let principal_account = principal_account.map(str::to_owned);
    Evaluation {
        decision: outcome.decision,
        summary,
        request: RequestTrace {
            principal: scenario.request.principal.clone(),
            principal_description: request.principal.describe(),
            principal_kind: principal_kind(&request.principal),
            principal_account,
            action: request.action,
            resource: request.resource,
            resource_account,
            resource_account_source,
            cross_account,
            context: request.context.into_entries(),
        },
        steps: outcome.steps,
        determining: outcome.determining,
        cross_account: outcome.cross_account,
        missing_context_keys,
        policies,
        diagnostics,
    }
}

fn principal_kind(principal: &Principal) -> &'static str {
    match principal {
        Principal::User { .. } => "user",
        Principal::Role { .. } => "role",
        Principal::AssumedRole { .. } => "assumed_role",
        Principal::FederatedUser { .. } => "federated_user",
        Principal::Root { .. } => "root",
        Principal::Service { .. } => "service",
        Principal::Anonymous => "anonymous",
    }
}

/// Condition keys (and policy-variable keys) referenced by applicable
/// policies that the request's context does not have.
fn missing_keys(scenario: &Scenario, request: &Request, traces: &[PolicyTrace]) -> Vec<MissingKey> {
    let mut missing: Vec<MissingKey> = Vec::new();
    for (policy, trace) in scenario.policies.iter().zip(traces) {
        let Some(parsed) = &policy.parsed.policy else {
            continue;
        };
        if !trace.applies {
            continue;
        }
        for (index, key) in &parsed.context_keys {
            if request.context.contains(key) {
                continue;
            }
            let at = StatementRef {
                policy: trace.name.clone(),
                statement: parsed
                    .statements
                    .get(*index)
                    .map(|s| s.label.clone())
                    .unwrap_or_default(),
                index: *index,
            };
            match missing.iter_mut().find(|m| m.key.eq_ignore_ascii_case(key)) {
                Some(m) => {
                    if !m.referenced_by.contains(&at) {
                        m.referenced_by.push(at);
                    }
                }
                None => missing.push(MissingKey {
                    key: key.clone(),
                    referenced_by: vec![at],
                }),
            }
        }
    }
    missing
}

#[cfg(test)]
mod tests;
