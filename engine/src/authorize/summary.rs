//! The plain-language summary of a decision.

use super::flow::{FlowOutcome, Reason};
use super::Facts;
use crate::explain::{Check, PolicyTrace, Stage, StatementRef, StatementTrace};
use crate::policy::PolicyType;

fn find<'a>(
    policies: &'a [PolicyTrace],
    at: &StatementRef,
) -> Option<(&'a PolicyTrace, &'a StatementTrace)> {
    policies
        .iter()
        .filter(|p| p.name == at.policy)
        .find_map(|p| {
            p.statements
                .iter()
                .find(|s| s.at.index == at.index)
                .map(|s| (p, s))
        })
}

/// "statement 'X' in identity-based policy 'P'".
fn name_statement(policy: &PolicyTrace, statement: &StatementTrace) -> String {
    let which = if statement.at.statement.starts_with('#') {
        format!("statement {} (no Sid)", statement.at.statement)
    } else {
        format!("statement '{}'", statement.at.statement)
    };
    format!(
        "{which} in {} '{}'",
        policy.policy_type.label(),
        policy.name
    )
}

/// Why a matching statement matched: "action s3:GetObject matches 's3:*' and …".
pub(crate) fn why_matched(statement: &StatementTrace) -> String {
    let mut parts = Vec::new();
    let mut conditions = Vec::new();
    for check in &statement.checks {
        match check {
            Check::Action(c) | Check::Resource(c) => {
                let what = if matches!(check, Check::Action(_)) {
                    "action"
                } else {
                    "resource"
                };
                if c.negated {
                    let element = if what == "action" {
                        "NotAction"
                    } else {
                        "NotResource"
                    };
                    parts.push(format!(
                        "{what} {} is not listed in {element}",
                        c.request_value
                    ));
                } else if let Some(p) = c.patterns.iter().find(|p| p.matched) {
                    let shown = match &p.resolved {
                        Some(r) => format!("'{}' (after substitution: '{r}')", p.pattern),
                        None => format!("'{}'", p.pattern),
                    };
                    parts.push(format!("{what} {} matches {shown}", c.request_value));
                }
            }
            Check::Principal(c) => {
                if c.negated {
                    parts.push(format!(
                        "principal {} is not excluded by NotPrincipal",
                        c.request_value
                    ));
                } else if let Some(e) = c.entries.iter().find(|e| e.matched.is_some()) {
                    parts.push(format!(
                        "principal {} matches '{}'",
                        c.request_value, e.value
                    ));
                }
            }
            Check::Condition(c) => conditions.push(format!("{} on {}", c.operator, c.key)),
        }
    }
    if !conditions.is_empty() {
        parts.push(format!("its conditions hold ({})", conditions.join(", ")));
    }
    match parts.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        Some((last, _)) => last.clone(),
        None => "it matches".to_owned(),
    }
}

fn describe(policies: &[PolicyTrace], refs: &[StatementRef]) -> Option<String> {
    let first = refs.first()?;
    let (policy, statement) = find(policies, first)?;
    let more = match refs.len() {
        1 => String::new(),
        2 => " (one more statement matches too)".to_owned(),
        n => format!(" ({} more statements match too)", n - 1),
    };
    Some(format!(
        "{}: {}{more}",
        name_statement(policy, statement),
        why_matched(statement)
    ))
}

pub(crate) fn summarize(
    facts: &Facts<'_>,
    policies: &[PolicyTrace],
    outcome: &FlowOutcome,
) -> String {
    let action = &facts.request.action;
    let resource = &facts.request.resource;
    let names = |t: PolicyType| {
        policies
            .iter()
            .filter(|p| p.policy_type == t)
            .map(|p| format!("'{}'", p.name))
            .collect::<Vec<_>>()
            .join(", ")
    };
    match &outcome.reason {
        Reason::ExplicitDeny { denied_by_not_principal_boundary } => {
            let what = describe(policies, &outcome.determining).unwrap_or_default();
            if *denied_by_not_principal_boundary {
                format!("Denied explicitly by {what}. A Deny with NotPrincipal always denies a principal that has a permissions boundary, whatever NotPrincipal lists.")
            } else {
                format!("Denied explicitly by {what}. An explicit deny overrides every allow.")
            }
        }
        Reason::OrgLevel { stage, level } => {
            let kind = if *stage == Stage::ServiceControlPolicies { "SCPs" } else { "RCPs" };
            let whose = if *stage == Stage::ServiceControlPolicies { "principal's" } else { "resource's" };
            format!("Denied implicitly: no {kind} attached at level '{level}' of the {whose} organization allow {action}. Every level (root, each OU, the account) must allow; {kind} never grant by themselves.")
        }
        Reason::ResourcePolicyRequired { what } => {
            format!("Denied implicitly: {what} must allow {action} on {resource} (identity-based policies alone are not enough), and none does.")
        }
        Reason::Anonymous => format!("Denied implicitly: the caller is anonymous, and only a resource-based policy with \"Principal\": \"*\" can allow an anonymous {action}; none does."),
        Reason::Service => format!("Denied implicitly: no resource-based policy allows the service principal to call {action} on {resource}."),
        Reason::Withheld { stage } => match stage {
            Stage::PermissionsBoundary => format!("Denied implicitly: the permissions boundary {} does not allow {action}. A boundary caps what identity-based policies can grant.", names(PolicyType::PermissionsBoundary)),
            Stage::SessionPolicies => format!("Denied implicitly: the session policy {} does not allow {action}. A session policy caps what the role's policies can grant for this session.", names(PolicyType::Session)),
            _ => {
                let has_identity = policies.iter().any(|p| p.policy_type == PolicyType::Identity && p.applies);
                if has_identity {
                    format!("Denied implicitly: no statement in the identity-based policies {} allows {action} on {resource}, and no resource-based policy grants it. Access is denied unless something allows it.", names(PolicyType::Identity))
                } else {
                    format!("Denied implicitly: nothing allows {action} on {resource}. Access is denied unless a policy allows it.")
                }
            }
        },
        Reason::CrossAccount { principal_side, resource_side } => {
            let p = facts.principal_account.unwrap_or_default();
            let r = facts.resource_account.as_deref().unwrap_or_default();
            let which = match (principal_side, resource_side) {
                (false, false) => format!("neither the principal's account ({p}) nor the resource's account ({r}) allows it"),
                (false, true) => format!("the resource's account ({r}) allows it, but the principal's account ({p}) does not: its identity-based policies (within any boundary and session policy) must allow too"),
                _ => format!("the principal's account ({p}) allows it, but the resource's account ({r}) does not: a resource-based policy there must name the principal or its account"),
            };
            format!("Denied implicitly across accounts: {which}. A cross-account request needs both sides to allow.")
        }
        Reason::Allowed { via } => {
            // Name the first granting statement of each kind: the resource's
            // side and the principal's side.
            let of_type = |t: PolicyType| -> Vec<StatementRef> {
                outcome
                    .determining
                    .iter()
                    .filter(|r| policies.iter().any(|p| p.name == r.policy && p.policy_type == t))
                    .cloned()
                    .collect()
            };
            let parts: Vec<String> = [PolicyType::Identity, PolicyType::Resource]
                .into_iter()
                .filter_map(|t| describe(policies, &of_type(t)))
                .collect();
            let what = if parts.is_empty() {
                format!("the account root user's own permissions, which include {action}")
            } else {
                parts.join(", and by ")
            };
            let mut extra = Vec::new();
            if policies.iter().any(|p| p.policy_type == PolicyType::Scp && p.applies) {
                extra.push("SCPs allow it at every level");
            }
            if policies.iter().any(|p| p.policy_type == PolicyType::Rcp && p.applies) {
                extra.push("RCPs allow it at every level");
            }
            if policies.iter().any(|p| p.policy_type == PolicyType::PermissionsBoundary && p.applies) && via.contains(&Stage::IdentityPolicies) {
                extra.push("the permissions boundary allows it");
            }
            if policies.iter().any(|p| p.policy_type == PolicyType::Session && p.applies) && via.contains(&Stage::IdentityPolicies) {
                extra.push("the session policy allows it");
            }
            let mut text = format!("Allowed by {what}. No policy denies it");
            for e in extra {
                text.push_str(", ");
                text.push_str(e);
            }
            if facts.cross_account {
                text.push_str("; across accounts both the principal's and the resource's sides allow it");
            }
            text.push('.');
            text
        }
    }
}
