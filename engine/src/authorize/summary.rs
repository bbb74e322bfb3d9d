//! The plain-language summary of a decision.

use std::fmt::Write as _;

use super::flow::{FlowOutcome, Reason};
use super::Facts;
use crate::explain::{ElementGist, PolicyTrace, Stage, StatementRef, StatementResult};
use crate::policy::PolicyType;

fn find<'a>(
    policies: &'a [PolicyTrace],
    at: &StatementRef,
) -> Option<(&'a PolicyTrace, &'a StatementResult)> {
    policies
        .iter()
        .filter(|p| p.name == at.policy)
        .find_map(|p| {
            p.statements
                .iter()
                .find(|s| s.index == at.index)
                .map(|s| (p, s))
        })
}

/// Appends each piece to `out`.
fn push(out: &mut String, pieces: &[&str]) {
    for piece in pieces {
        out.push_str(piece);
    }
}

/// "statement 'X' in identity-based policy 'P'".
fn name_statement(out: &mut String, policy: &PolicyTrace, statement: &StatementResult) {
    let at = policy.statements.at(statement);
    let label = &at.statement;
    if label.starts_with('#') {
        push(out, &["statement ", label, " (no Sid)"]);
    } else {
        push(out, &["statement '", label, "'"]);
    }
    push(
        out,
        &[" in ", policy.policy_type.label(), " '", &policy.name, "'"],
    );
}

/// Why a matching statement matched: "action s3:GetObject matches 's3:*' and …".
fn why_matched(out: &mut String, policy: &PolicyTrace, statement: &StatementResult) {
    let Some(gist) = policy.statements.gist(statement) else {
        out.push_str("it matches");
        return;
    };
    // The elements that say something, in the order Principal, Action,
    // Resource; the conditions last.
    let elements = [
        gist.principal
            .as_ref()
            .map(|g| ("principal ", "NotPrincipal", g)),
        Some(("action ", "NotAction", &gist.action)),
        gist.resource
            .as_ref()
            .map(|g| ("resource ", "NotResource", g)),
    ];
    let telling = |g: &ElementGist<'_>| g.negated || g.first_match.is_some();
    let parts = elements
        .iter()
        .flatten()
        .filter(|(_, _, g)| telling(g))
        .count()
        + usize::from(!gist.conditions.is_empty());
    if parts == 0 {
        out.push_str("it matches");
        return;
    }
    let mut written = 0;
    let mut separate = |out: &mut String| {
        if written > 0 {
            out.push_str(if written + 1 == parts { " and " } else { ", " });
        }
        written += 1;
    };
    for (what, element, g) in elements.iter().flatten() {
        if !telling(g) {
            continue;
        }
        separate(out);
        push(out, &[what, g.request_value]);
        if g.negated {
            if *what == "principal " {
                out.push_str(" is not excluded by NotPrincipal");
            } else {
                push(out, &[" is not listed in ", element]);
            }
        } else if let Some((pattern, substituted)) = g.first_match {
            push(
                out,
                &[" matches '", pattern.map_or("*", |p| p.as_str()), "'"],
            );
            if let Some(r) = substituted {
                push(out, &[" (after substitution: '", r, "')"]);
            }
        }
    }
    if let Some((first, rest)) = gist.conditions.split_first() {
        separate(out);
        push(
            out,
            &[
                "its conditions hold (",
                &first.operator_name,
                " on ",
                &first.key.value,
            ],
        );
        for c in rest {
            push(out, &[", ", &c.operator_name, " on ", &c.key.value]);
        }
        out.push(')');
    }
}

/// Describes the first of `refs` and how many more there are; false when
/// there is nothing to describe.
fn describe(out: &mut String, policies: &[PolicyTrace], refs: &[&StatementRef]) -> bool {
    let Some((policy, statement)) = refs.first().and_then(|first| find(policies, first)) else {
        return false;
    };
    name_statement(out, policy, statement);
    out.push_str(": ");
    why_matched(out, policy, statement);
    match refs.len() {
        1 => {}
        2 => out.push_str(" (one more statement matches too)"),
        n => {
            let _ = write!(out, " ({} more statements match too)", n - 1);
        }
    }
    true
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
            let mut text = String::with_capacity(1024);
            text.push_str("Denied explicitly by ");
            let refs: Vec<&StatementRef> = outcome.determining.iter().collect();
            describe(&mut text, policies, &refs);
            text.push_str(if *denied_by_not_principal_boundary {
                ". A Deny with NotPrincipal always denies a principal that has a permissions boundary, whatever NotPrincipal lists."
            } else {
                ". An explicit deny overrides every allow."
            });
            text
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
            let r = facts.resource_account.unwrap_or_default();
            let which = match (principal_side, resource_side) {
                (false, false) => format!("neither the principal's account ({p}) nor the resource's account ({r}) allows it"),
                (false, true) => format!("the resource's account ({r}) allows it, but the principal's account ({p}) does not: its identity-based policies (within any boundary and session policy) must allow too"),
                _ => format!("the principal's account ({p}) allows it, but the resource's account ({r}) does not: a resource-based policy there must name the principal or its account"),
            };
            format!("Denied implicitly across accounts: {which}. A cross-account request needs both sides to allow.")
        }
        Reason::Allowed { via } => {
            // Name the first granting statement of each kind: the principal's
            // side and the resource's side.
            let of_type = |t: PolicyType| -> Vec<&StatementRef> {
                outcome
                    .determining
                    .iter()
                    .filter(|r| policies.iter().any(|p| p.name == r.policy && p.policy_type == t))
                    .collect()
            };
            let mut text = String::with_capacity(1024);
            text.push_str("Allowed by ");
            let mut described = false;
            for t in [PolicyType::Identity, PolicyType::Resource] {
                let refs = of_type(t);
                let before = text.len();
                if described {
                    text.push_str(", and by ");
                }
                if describe(&mut text, policies, &refs) {
                    described = true;
                } else {
                    text.truncate(before);
                }
            }
            if !described {
                push(&mut text, &["the account root user's own permissions, which include ", action]);
            }
            text.push_str(". No policy denies it");
            let applies = |t: PolicyType| policies.iter().any(|p| p.policy_type == t && p.applies);
            if applies(PolicyType::Scp) {
                text.push_str(", SCPs allow it at every level");
            }
            if applies(PolicyType::Rcp) {
                text.push_str(", RCPs allow it at every level");
            }
            if applies(PolicyType::PermissionsBoundary) && via.contains(&Stage::IdentityPolicies) {
                text.push_str(", the permissions boundary allows it");
            }
            if applies(PolicyType::Session) && via.contains(&Stage::IdentityPolicies) {
                text.push_str(", the session policy allows it");
            }
            if facts.cross_account {
                text.push_str("; across accounts both the principal's and the resource's sides allow it");
            }
            text.push('.');
            text
        }
    }
}
