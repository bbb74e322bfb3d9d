//! AWS's decision logic across every policy type, producing the decision and
//! its explanation in one pass.
//!
//! Order (AWS "Policy evaluation logic"): an explicit deny anywhere; RCPs of
//! the resource's account and SCPs of the principal's account, every level
//! of which must allow; then resource-based policies, the permissions
//! boundary, session policies and identity-based policies, combined as AWS
//! documents for requests within one account and across accounts.

pub(crate) mod flow;
mod notes;
mod service;
pub(crate) mod summary;

use crate::diagnostics::{has_errors, Diagnostic};
use crate::explain::{
    Decision, Evaluation, MissingKey, Note, PolicyTrace, RequestTrace, StatementRef,
};
use crate::policy::{Effect, PolicyType};
use crate::request::{Principal, Request};
use crate::scenario::{Scenario, ScenarioPolicy};
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
    if scenario.requests.no_request {
        diagnostics.push(
            Diagnostic::error(
                "no-single-request",
                format!(
                    "the scenario has no `request`, only a list of {} requests",
                    scenario.requests.len()
                ),
                scenario.requests.span,
            )
            .with_help("decide them all with `iam-eval test`, `iam-eval FILE` or `evaluateMany` in JavaScript"),
        );
        return Err(EvaluationError { diagnostics });
    }
    match scenario.build_request() {
        Ok(request) if !has_errors(&diagnostics) => Ok(authorize(
            &scenario.policies,
            &scenario.request.principal,
            request,
            diagnostics,
        )),
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
    /// A KMS key policy must allow (a KMS key, or an alias used for a key).
    pub key_policy_required: bool,
    /// The bucket owner's root user asks for the bucket policy: its `Deny`s
    /// do not apply.
    pub root_bucket_policy: bool,
}

pub(crate) fn resolve_resource_account(
    policies: &[ScenarioPolicy],
    request: &Request,
) -> (Option<String>, &'static str) {
    if let Some(account) = &request.resource_account {
        return (Some(account.clone()), "given in the request");
    }
    if service::is_aws_managed_policy(request) {
        if let Some(account) = request.principal.account() {
            return (
                Some(account.to_owned()),
                "an AWS managed policy, available in every account",
            );
        }
    }
    if request.resource.starts_with("arn:") {
        if let Some(account) = crate::matching::arn::split_colons(&request.resource)
            .nth(4)
            .filter(|a| !a.is_empty())
        {
            return (Some(account.to_owned()), "the resource ARN");
        }
    }
    if let Some(account) = policies
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
pub(crate) fn applicability(
    policy_type: PolicyType,
    principal: &Principal,
) -> Result<(), &'static str> {
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
        (PolicyType::Scp, P::Role { arn, .. }) if arn.contains(":role/aws-service-role/") => {
            Err("SCPs do not affect service-linked roles (AWS Organizations: SCP effects on permissions)")
        }
        _ => Ok(()),
    }
}

impl<'a> Facts<'a> {
    /// The facts of `request` whose resource is in `resource_account`.
    pub(crate) fn new(request: &'a Request, resource_account: Option<&'a str>) -> Self {
        let principal_account = request.principal.account();
        let cross_account =
            matches!((principal_account, resource_account), (Some(p), Some(r)) if p != r);
        Facts {
            request,
            principal_account,
            resource_account,
            cross_account,
            key_policy_required: service::needs_key_policy(request),
            root_bucket_policy: service::root_bucket_policy(request, cross_account),
        }
    }
}

/// Whether `policy` takes part in `request`, and why not: a switched-off
/// policy never does (`alias_management`: the request manages a KMS alias,
/// which has no resource-based policy).
pub(crate) fn policy_applies(
    policy: &ScenarioPolicy,
    request: &Request,
    alias_management: bool,
) -> Result<(), &'static str> {
    let policy_type = policy.policy_type;
    if !policy.enabled {
        Err(SWITCHED_OFF)
    } else if alias_management && policy_type == PolicyType::Resource {
        Err("a KMS alias has no resource-based policy: IAM policies govern it (a key policy applies to its key, a separate request)")
    } else {
        applicability(policy_type, &request.principal)
    }
}

/// Whether a request manages a KMS alias (see [`policy_applies`]).
pub(crate) fn is_alias_management(request: &Request) -> bool {
    service::is_alias_management(request)
}

fn bucket_policy_denies(policies: &[PolicyTrace]) -> bool {
    policies.iter().any(|p| {
        p.applies
            && p.policy_type == PolicyType::Resource
            && p.statements
                .iter()
                .any(|s| s.effect == Effect::Deny && s.matched)
    })
}

/// What [`settle`] adds to the flow's outcome.
pub(crate) struct Settled {
    /// The summary, when asked for.
    pub summary: Option<String>,
    /// The note of a service rule that decided the request.
    pub rule_note: Option<Note>,
}

/// Completes the flow's outcome with what no policy says: a service rule
/// that decides the request whatever the policies say
/// (`sts:GetCallerIdentity`, reserved KMS aliases, AWS managed policies,
/// service-linked roles) takes the decision, with no deciding statement or
/// decisive step; and, when `want_summary`, writes the summary (saying why
/// a bucket policy's Deny does not bind the bucket owner's root user).
/// Both the single evaluation and the many-requests path call it, so they
/// decide alike.
pub(crate) fn settle(
    facts: &Facts<'_>,
    policies: &[PolicyTrace],
    outcome: &mut flow::FlowOutcome,
    want_summary: bool,
) -> Settled {
    let mut summary = want_summary.then(|| summary::summarize(facts, policies, outcome));
    if let Some(summary) = summary.as_mut() {
        if facts.root_bucket_policy
            && outcome.decision != Decision::ExplicitDeny
            && bucket_policy_denies(policies)
        {
            *summary = summary.replacen(
                ". No policy denies it",
                ". No Deny that applies matches it",
                1,
            );
            summary.push_str(" The bucket policy's Deny does not apply: the root user of the bucket owner's account can always read, replace and delete the bucket policy (Amazon S3 API Reference).");
        }
    }
    let Some(rule) = service::deciding(facts.request) else {
        return Settled {
            summary,
            rule_note: None,
        };
    };
    let policies_decision = outcome.decision;
    outcome.decision = rule.decision;
    outcome.determining.clear();
    for step in &mut outcome.steps {
        step.decisive = false;
    }
    Settled {
        summary: summary.map(|s| notes::decided_by_rule(&rule, policies_decision, &s)),
        rule_note: Some(rule.note),
    }
}

/// Decides `request` against `policies` with the whole explanation;
/// `principal` is the request's principal as written.
pub(crate) fn authorize(
    scenario_policies: &[ScenarioPolicy],
    principal: &str,
    request: Request,
    diagnostics: Vec<Diagnostic>,
) -> Evaluation {
    let (resource_account, resource_account_source) =
        resolve_resource_account(scenario_policies, &request);
    let facts = Facts::new(&request, resource_account.as_deref());
    let principal_account = facts.principal_account;
    let cross_account = facts.cross_account;

    let alias_management = service::is_alias_management(&request);
    let policies: Vec<PolicyTrace> = scenario_policies
        .iter()
        .map(|p| {
            let applies = policy_applies(p, &request, alias_management);
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

    let mut outcome = flow::run(&facts, &policies);
    let settled = settle(&facts, &policies, &mut outcome, true);
    let summary = settled.summary.unwrap_or_default();
    let mut notes = service::notes(&request, cross_account);
    notes.append(&mut outcome.notes);
    notes::statement_rules(&policies, &mut notes);
    if let Some(note) = settled.rule_note {
        notes.insert(0, note);
    }
    let missing_context_keys = missing_keys(scenario_policies, &request, &policies);
    let principal_account = principal_account.map(str::to_owned);
    Evaluation {
        decision: outcome.decision,
        summary,
        request: RequestTrace {
            principal: principal.to_owned(),
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
        notes,
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
fn missing_keys(
    policies: &[ScenarioPolicy],
    request: &Request,
    traces: &[PolicyTrace],
) -> Vec<MissingKey> {
    let mut missing: Vec<MissingKey> = Vec::new();
    for (policy, trace) in policies.iter().zip(traces) {
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
