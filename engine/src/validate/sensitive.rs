//! `iam:PassRole` and `iam:CreateServiceLinkedRole` allowed on every role:
//! the `PASS_ROLE_WITH_…` security warnings and the `CREATE_SLR_WITH_…`
//! warnings of Access Analyzer.

use super::glob::{arn_segments, covers};
use super::Context;
use crate::diagnostics::{Diagnostic, Severity};
use crate::policy::{Effect, PolicyType, Statement};
use crate::source::Span;

/// One sensitive action and what keeps it in bounds.
struct Sensitive {
    action: &'static str,
    /// The resource part every matching role ARN fits (`role/*`).
    roles: &'static str,
    /// The condition key that narrows the action to one service.
    scoping_key: &'static str,
    severity: Severity,
    /// The issue code's prefix, e.g. `PASS_ROLE`.
    aws_prefix: &'static str,
    /// The reference anchor's prefix, e.g. `security-warning-pass-role`.
    anchor_prefix: &'static str,
    code: &'static str,
    risk: &'static str,
}

const SENSITIVE: [Sensitive; 2] = [
    Sensitive {
        action: "iam:PassRole",
        roles: "role/*",
        scoping_key: "iam:PassedToService",
        severity: Severity::SecurityWarning,
        aws_prefix: "PASS_ROLE",
        anchor_prefix: "security-warning-pass-role",
        code: "pass-role-any-role",
        risk: "lets the principal pass any role to any service, and so act with that role's permissions",
    },
    Sensitive {
        action: "iam:CreateServiceLinkedRole",
        roles: "role/aws-service-role/*",
        scoping_key: "iam:AWSServiceName",
        severity: Severity::Warning,
        aws_prefix: "CREATE_SLR",
        anchor_prefix: "general-warning-create-slr",
        code: "create-slr-any-role",
        risk: "lets the principal create the service-linked role of any service",
    },
];

/// How the statement's action element reaches the sensitive action.
enum ActionReach {
    /// Named exactly, at this span.
    Named(Span),
    /// Through a wildcard such as `iam:*`, at this span.
    Wildcard(Span, String),
    /// Through `NotAction`, which does not exclude it.
    NotAction(Span),
}

/// How the statement's resource element covers every role.
enum ResourceReach {
    Star(String),
    NotResource,
}

fn action_reach(statement: &Statement, action: &str) -> Option<ActionReach> {
    let element = &statement.action;
    if element.negated {
        let excluded = element
            .patterns
            .iter()
            .any(|p| covers(&p.value, action, true));
        return (!excluded).then_some(ActionReach::NotAction(element.span));
    }
    if let Some(p) = element
        .patterns
        .iter()
        .find(|p| p.value.eq_ignore_ascii_case(action))
    {
        return Some(ActionReach::Named(p.span));
    }
    element
        .patterns
        .iter()
        .find(|p| covers(&p.value, action, true))
        .map(|p| ActionReach::Wildcard(p.span, p.value.to_string()))
}

/// Whether `pattern` matches every role ARN: `*`, or an IAM ARN whose
/// resource part covers `roles` (`role/*`) in any account.
fn covers_every_role(pattern: &str, roles: &str) -> bool {
    if pattern == "*" {
        return true;
    }
    let Some(["arn", _partition, service, _region, _account, resource]) = arn_segments(pattern)
    else {
        return false;
    };
    (service == "iam" || service == "*") && covers(resource, roles, false)
}

fn resource_reach(statement: &Statement, roles: &str) -> Option<ResourceReach> {
    let resource = statement.resource.as_ref()?;
    if resource.negated {
        let excluded = resource
            .patterns
            .iter()
            .any(|p| covers_every_role(&p.value, roles));
        return (!excluded).then_some(ResourceReach::NotResource);
    }
    resource
        .patterns
        .iter()
        .find(|p| covers_every_role(&p.value, roles))
        .map(|p| ResourceReach::Star(p.value.to_string()))
}

/// Checks every `Allow` statement of an identity-based policy.
pub(super) fn sensitive_actions(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    if cx.kind.policy_type() != PolicyType::Identity {
        return;
    }
    for statement in &cx.policy.statements {
        if statement.effect.value != Effect::Allow {
            continue;
        }
        for s in &SENSITIVE {
            let scoped = statement.conditions.iter().any(|c| c.is_key(s.scoping_key));
            if scoped {
                continue;
            }
            let (Some(action), Some(resource)) = (
                action_reach(statement, s.action),
                resource_reach(statement, s.roles),
            ) else {
                continue;
            };
            out.push(finding(s, &action, &resource));
        }
    }
}

fn finding(s: &Sensitive, action: &ActionReach, resource: &ResourceReach) -> Diagnostic {
    let (aws_suffix, anchor_suffix) = match (action, resource) {
        (ActionReach::Named(_), ResourceReach::Star(_)) => {
            ("WITH_STAR_IN_RESOURCE", "with-star-in-resource")
        }
        (ActionReach::Wildcard(..), ResourceReach::Star(_)) => (
            "WITH_STAR_IN_ACTION_AND_RESOURCE",
            "with-star-in-action-and-resource",
        ),
        (ActionReach::NotAction(_), ResourceReach::Star(_)) => (
            "WITH_STAR_IN_RESOURCE_AND_NOT_ACTION",
            "with-star-in-resource-and-not-action",
        ),
        (ActionReach::Named(_), ResourceReach::NotResource) => {
            ("WITH_NOT_RESOURCE", "with-not-resource")
        }
        (ActionReach::Wildcard(..), ResourceReach::NotResource) => (
            "WITH_STAR_IN_ACTION_AND_NOT_RESOURCE",
            "with-star-in-action-and-not-resource",
        ),
        (ActionReach::NotAction(_), ResourceReach::NotResource) => (
            "WITH_NOT_ACTION_AND_NOT_RESOURCE",
            "with-not-action-and-not-resource",
        ),
    };
    let how_action = match action {
        ActionReach::Named(_) => format!("`{}`", s.action),
        ActionReach::Wildcard(_, p) => format!("`{p}`, which includes `{}`,", s.action),
        ActionReach::NotAction(_) => format!("`NotAction`, which does not exclude `{}`,", s.action),
    };
    let how_resource = match resource {
        ResourceReach::Star(p) => format!("on `{p}`"),
        ResourceReach::NotResource => "with `NotResource`".to_owned(),
    };
    let span = match action {
        ActionReach::Named(span)
        | ActionReach::Wildcard(span, _)
        | ActionReach::NotAction(span) => *span,
    };
    let aws = match (s.aws_prefix, aws_suffix) {
        ("PASS_ROLE", "WITH_STAR_IN_RESOURCE") => "PASS_ROLE_WITH_STAR_IN_RESOURCE",
        ("PASS_ROLE", "WITH_STAR_IN_ACTION_AND_RESOURCE") => {
            "PASS_ROLE_WITH_STAR_IN_ACTION_AND_RESOURCE"
        }
        ("PASS_ROLE", "WITH_STAR_IN_RESOURCE_AND_NOT_ACTION") => {
            "PASS_ROLE_WITH_STAR_IN_RESOURCE_AND_NOT_ACTION"
        }
        ("PASS_ROLE", "WITH_NOT_RESOURCE") => "PASS_ROLE_WITH_NOT_RESOURCE",
        ("PASS_ROLE", "WITH_STAR_IN_ACTION_AND_NOT_RESOURCE") => {
            "PASS_ROLE_WITH_STAR_IN_ACTION_AND_NOT_RESOURCE"
        }
        ("PASS_ROLE", _) => "PASS_ROLE_WITH_NOT_ACTION_AND_NOT_RESOURCE",
        (_, "WITH_STAR_IN_RESOURCE") => "CREATE_SLR_WITH_STAR_IN_RESOURCE",
        (_, "WITH_STAR_IN_ACTION_AND_RESOURCE") => "CREATE_SLR_WITH_STAR_IN_ACTION_AND_RESOURCE",
        (_, "WITH_STAR_IN_RESOURCE_AND_NOT_ACTION") => {
            "CREATE_SLR_WITH_STAR_IN_RESOURCE_AND_NOT_ACTION"
        }
        (_, "WITH_NOT_RESOURCE") => "CREATE_SLR_WITH_NOT_RESOURCE",
        (_, "WITH_STAR_IN_ACTION_AND_NOT_RESOURCE") => {
            "CREATE_SLR_WITH_STAR_IN_ACTION_AND_NOT_RESOURCE"
        }
        _ => "CREATE_SLR_WITH_NOT_ACTION_AND_NOT_RESOURCE",
    };
    Diagnostic::new(
        s.severity,
        s.code,
        format!("this statement allows {how_action} {how_resource}: it {}", s.risk),
        span,
    )
    .with_help(format!(
        "name the roles in `Resource` (e.g. `arn:aws:iam::111122223333:{}`), or add a condition on `{}`",
        s.roles.replace('*', "NAME"),
        s.scoping_key
    ))
    .with_aws_issue(aws, &format!("{}-{anchor_suffix}", s.anchor_prefix))
}

#[cfg(test)]
mod tests {
    use crate::validate::{validate, PolicyKind};

    fn aws(text: &str) -> Vec<&'static str> {
        validate(text, PolicyKind::Managed, None)
            .into_iter()
            .filter(|d| d.code.ends_with("-any-role"))
            .filter_map(|d| d.aws_issue_code)
            .collect()
    }

    fn policy(statement: &str) -> String {
        format!(r#"{{"Version": "2012-10-17", "Statement": {statement}}}"#)
    }

    #[test]
    fn pass_role_and_create_slr_on_every_role() {
        assert_eq!(
            aws(&policy(
                r#"{"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"}"#
            )),
            ["PASS_ROLE_WITH_STAR_IN_RESOURCE"]
        );
        assert_eq!(
            aws(&policy(
                r#"{"Effect": "Allow", "Action": "*", "Resource": "*"}"#
            )),
            [
                "PASS_ROLE_WITH_STAR_IN_ACTION_AND_RESOURCE",
                "CREATE_SLR_WITH_STAR_IN_ACTION_AND_RESOURCE"
            ]
        );
        assert_eq!(
            aws(&policy(
                r#"{"Effect": "Allow", "Action": "iam:PassRole", "Resource": "arn:aws:iam::*:role/*"}"#
            )),
            ["PASS_ROLE_WITH_STAR_IN_RESOURCE"]
        );
        assert_eq!(
            aws(&policy(
                r#"{"Effect": "Allow", "NotAction": "s3:*", "Resource": "*"}"#
            )),
            [
                "PASS_ROLE_WITH_STAR_IN_RESOURCE_AND_NOT_ACTION",
                "CREATE_SLR_WITH_STAR_IN_RESOURCE_AND_NOT_ACTION"
            ]
        );
        assert_eq!(
            aws(&policy(
                r#"{"Effect": "Allow", "Action": "iam:PassRole", "NotResource": "arn:aws:iam::*:role/admin"}"#
            )),
            ["PASS_ROLE_WITH_NOT_RESOURCE"]
        );
        // Scoped to one service, to named roles, or denied: nothing to say.
        assert!(aws(&policy(
            r#"{"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*",
            "Condition": {"StringEquals": {"iam:PassedToService": "ec2.amazonaws.com"}}}"#
        ))
        .is_empty());
        assert!(aws(&policy(r#"{"Effect": "Allow", "Action": "iam:PassRole", "Resource": "arn:aws:iam::*:role/app-*"}"#)).is_empty());
        assert!(aws(&policy(
            r#"{"Effect": "Deny", "Action": "iam:PassRole", "Resource": "*"}"#
        ))
        .is_empty());
        assert!(aws(&policy(
            r#"{"Effect": "Allow", "Action": "iam:CreateServiceLinkedRole",
            "Resource": "arn:aws:iam::*:role/aws-service-role/ecs.amazonaws.com/*"}"#
        ))
        .is_empty());
    }
}
