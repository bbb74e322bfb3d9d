//! Role trust policies (`PolicyKind::RoleTrust`): what IAM accepts in the
//! policy that says who may assume a role. The parser reads them as
//! resource-based policies; these checks add the trust policy's own rules.

use super::glob::covers;
use super::{Context, PolicyKind};
use crate::diagnostics::{Diagnostic, Severity};
use crate::policy::{Effect, PrincipalEntry, PrincipalKind, PrincipalSpec, Statement};

/// What a `Federated` principal value names.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Provider {
    /// A SAML provider ARN (`…:saml-provider/NAME`).
    Saml,
    /// An OIDC provider: its ARN (`…:oidc-provider/HOST`) or a domain name
    /// such as `cognito-identity.amazonaws.com`.
    Oidc,
}

/// The provider a `Federated` value names, or `None` when it has neither
/// form IAM accepts.
fn provider(value: &str) -> Option<Provider> {
    if let Some(rest) = value.strip_prefix("arn:") {
        let resource = rest.splitn(5, ':').nth(4)?;
        let service = rest.split(':').nth(1)?;
        if service != "iam" || value.contains(['*', '?']) {
            return None;
        }
        let name = |p: &str| resource.strip_prefix(p).is_some_and(|n| !n.is_empty());
        return if name("saml-provider/") {
            Some(Provider::Saml)
        } else if name("oidc-provider/") {
            Some(Provider::Oidc)
        } else {
            None
        };
    }
    let domain = value.contains('.')
        && !value.starts_with('.')
        && !value.ends_with('.')
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'/' | b'_' | b':'));
    domain.then_some(Provider::Oidc)
}

/// Whether `pattern` (an action, possibly with wildcards) matches `action`.
fn matches_action(pattern: &str, action: &str) -> bool {
    covers(&pattern.to_ascii_lowercase(), action, false)
}

/// Every role trust policy check.
pub(super) fn trust_policy(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    if cx.kind != PolicyKind::RoleTrust {
        return;
    }
    for statement in &cx.policy.statements {
        elements(statement, out);
        federated_values(statement, out);
        mismatched_actions(statement, out);
        other_services(statement, out);
    }
    roles_anywhere(cx, out);
}

/// `NotPrincipal`, `"Principal": "*"`, `Resource` and `NotResource`.
fn elements(statement: &Statement, out: &mut Vec<Diagnostic>) {
    if let Some(p) = &statement.principal {
        if p.negated {
            out.push(
                Diagnostic::error("trust-policy-notprincipal", "a role trust policy cannot use `NotPrincipal`, and IAM rejects it", p.span)
                    .with_help("name who may assume the role in `Principal`; to exclude someone, add a `Deny` with a condition on `aws:PrincipalArn`")
                    .with_aws_issue("ROLE_TRUST_POLICY_SYNTAX_ERROR_NOTPRINCIPAL", "error-role-trust-policy-syntax-error-notprincipal"),
            );
        } else if let PrincipalSpec::Any(span) = p.spec {
            out.push(
                Diagnostic::warning("trust-policy-any-principal", "a role trust policy cannot trust `\"Principal\": \"*\"`: name who may assume the role", span)
                    .with_help("name the accounts, roles, users, services or identity providers that may assume the role, e.g. {\"AWS\": \"arn:aws:iam::111122223333:root\"}")
                    .with_aws_issue("ROLE_TRUST_POLICY_UNSUPPORTED_WILDCARD_IN_PRINCIPAL", "error-role-trust-policy-unsupported-wildcard-in-principal"),
            );
        }
    }
    if let Some(r) = &statement.resource {
        let key = if r.negated { "NotResource" } else { "Resource" };
        out.push(
            Diagnostic::error("trust-policy-resource", format!("a role trust policy cannot have `{key}`, and IAM rejects it: the resource is always the role itself"), r.span)
                .with_help(format!("remove `{key}` from the statement"))
                .with_aws_issue("ROLE_TRUST_POLICY_SYNTAX_ERROR_RESOURCE", "error-role-trust-policy-syntax-error-resource"),
        );
    }
}

/// `INVALID_FEDERATED_PRINCIPAL_SYNTAX_IN_ROLE_TRUST_POLICY`.
fn federated_values(statement: &Statement, out: &mut Vec<Diagnostic>) {
    for entry in statement.listed_principals() {
        if entry.kind != PrincipalKind::Federated || provider(&entry.value.value).is_some() {
            continue;
        }
        out.push(
            Diagnostic::warning(
                "invalid-federated-principal",
                format!("`{}` is neither an identity provider's domain name nor a SAML or OIDC provider ARN", entry.value.value),
                entry.value.span,
            )
            .with_help("write the provider's ARN, `arn:aws:iam::111122223333:saml-provider/NAME` or `…:oidc-provider/HOST`, or a domain such as `cognito-identity.amazonaws.com`")
            .with_aws_issue("INVALID_FEDERATED_PRINCIPAL_SYNTAX_IN_ROLE_TRUST_POLICY", "error-invalid-federated-principal-syntax-in-role-trust-policy"),
        );
    }
}

/// `MISMATCHED_ACTION_FOR_PRINCIPAL`: `sts:AssumeRoleWithSAML` in a
/// statement that names no SAML provider, or `sts:AssumeRoleWithWebIdentity`
/// in one that names no OIDC provider: nobody can assume the role that way.
fn mismatched_actions(statement: &Statement, out: &mut Vec<Diagnostic>) {
    let principals = statement.listed_principals();
    if statement.action.negated || principals.is_empty() {
        return;
    }
    let names = |p: Provider| {
        principals
            .iter()
            .any(|e| e.kind == PrincipalKind::Federated && provider(&e.value.value) == Some(p))
    };
    for pattern in &statement.action.patterns {
        let (needed, what) = match pattern.value.to_ascii_lowercase().as_str() {
            "sts:assumerolewithsaml" => (Provider::Saml, "a SAML provider"),
            "sts:assumerolewithwebidentity" => (Provider::Oidc, "an OIDC provider"),
            _ => continue,
        };
        if names(needed) {
            continue;
        }
        out.push(
            Diagnostic::warning(
                "mismatched-action-for-principal",
                format!("`{}` needs {what} in `Federated`, and this statement names none ({}), so nobody can assume the role this way", pattern.value, listed(principals)),
                pattern.span,
            )
            .with_help("pair `sts:AssumeRoleWithSAML` with a SAML provider ARN and `sts:AssumeRoleWithWebIdentity` with an OIDC provider, both under `Federated`")
            .with_aws_issue("MISMATCHED_ACTION_FOR_PRINCIPAL", "error-mismatched-action-for-principal"),
        );
    }
}

/// The principals, in backticks, for a message.
fn listed(principals: &[PrincipalEntry]) -> String {
    principals
        .iter()
        .map(|e| format!("`{}`", e.value.value))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `UNSUPPORTED_ACTION_IN_POLICY`: an action of another service than `sts`,
/// which a role trust policy never matches (its only requests are role
/// assumptions and their session options).
fn other_services(statement: &Statement, out: &mut Vec<Diagnostic>) {
    if statement.action.negated {
        return;
    }
    for pattern in &statement.action.patterns {
        let Some((service, _)) = pattern.value.split_once(':') else {
            continue;
        };
        if service.contains(['*', '?']) || service.eq_ignore_ascii_case("sts") {
            continue;
        }
        out.push(
            Diagnostic::warning(
                "unsupported-action-in-policy",
                format!("`{}` is not an action a role trust policy controls: it only decides who may assume the role (`sts:` actions)", pattern.value),
                pattern.span,
            )
            .with_help("keep `sts:AssumeRole` (or `…WithSAML`, `…WithWebIdentity`) and session actions such as `sts:TagSession` here; grant other actions in the role's permissions policies")
            .with_aws_issue("UNSUPPORTED_ACTION_IN_POLICY", "error-unsupported-action-in-policy"),
        );
    }
}

/// The actions IAM Roles Anywhere needs to deliver a role's credentials.
const ROLES_ANYWHERE_ACTIONS: [&str; 3] =
    ["sts:assumerole", "sts:setsourceidentity", "sts:tagsession"];

/// `MISSING_ACTION_FOR_ROLES_ANYWHERE_TRUST_POLICY`: the policy trusts
/// `rolesanywhere.amazonaws.com` without allowing it all three actions
/// (counted over every `Allow` statement that names it).
fn roles_anywhere(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let names_it = |s: &&Statement| {
        s.effect.value == Effect::Allow
            && s.listed_principals().iter().any(|e| {
                e.kind == PrincipalKind::Service
                    && e.value
                        .value
                        .eq_ignore_ascii_case("rolesanywhere.amazonaws.com")
            })
    };
    let trusting: Vec<&Statement> = cx.policy.statements.iter().filter(names_it).collect();
    let Some(first) = trusting.first() else {
        return;
    };
    if trusting.iter().any(|s| s.action.negated) {
        return;
    }
    let missing: Vec<&str> = ROLES_ANYWHERE_ACTIONS
        .iter()
        .copied()
        .filter(|action| {
            !trusting
                .iter()
                .flat_map(|s| &s.action.patterns)
                .any(|p| matches_action(&p.value, action))
        })
        .collect();
    if missing.is_empty() {
        return;
    }
    let Some(entry) = first.listed_principals().iter().find(|e| {
        e.value
            .value
            .eq_ignore_ascii_case("rolesanywhere.amazonaws.com")
    }) else {
        return;
    };
    let names = ["sts:AssumeRole", "sts:SetSourceIdentity", "sts:TagSession"];
    let missing_names: Vec<String> = names
        .iter()
        .filter(|n| missing.contains(&n.to_ascii_lowercase().as_str()))
        .map(|n| format!("`{n}`"))
        .collect();
    out.push(
        Diagnostic::new(
            Severity::Warning,
            "roles-anywhere-missing-action",
            format!("IAM Roles Anywhere needs `sts:AssumeRole`, `sts:SetSourceIdentity` and `sts:TagSession` to use this role, and the policy does not allow it {}", missing_names.join(", ")),
            entry.value.span,
        )
        .with_help(format!("add {} to the statement's `Action`", missing_names.join(", ")))
        .with_aws_issue("MISSING_ACTION_FOR_ROLES_ANYWHERE_TRUST_POLICY", "error-missing-action-for-roles-anywhere-trust-policy"),
    );
}

#[cfg(test)]
mod tests {
    use super::{provider, Provider};
    use crate::validate::{validate, PolicyKind};

    fn codes(text: &str) -> Vec<(&'static str, &'static str)> {
        validate(text, PolicyKind::RoleTrust, None)
            .into_iter()
            .filter_map(|d| Some((d.code, d.aws_issue_code?)))
            .filter(|(_, aws)| *aws != "MISSING_VERSION")
            .collect()
    }

    #[test]
    fn providers_are_read() {
        assert!(provider("arn:aws:iam::111122223333:saml-provider/Okta") == Some(Provider::Saml));
        assert!(
            provider("arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com")
                == Some(Provider::Oidc)
        );
        assert!(provider("cognito-identity.amazonaws.com") == Some(Provider::Oidc));
        assert!(provider("*").is_none());
        assert!(provider("arn:aws:iam::111122223333:role/x").is_none());
        assert!(provider("okta").is_none());
    }

    #[test]
    fn a_good_trust_policy_has_no_findings() {
        let text = r#"{"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": ["sts:AssumeRole", "sts:TagSession"]},
            {"Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::111122223333:saml-provider/Okta"}, "Action": "sts:AssumeRoleWithSAML"},
            {"Effect": "Allow", "Principal": {"Service": "rolesanywhere.amazonaws.com"}, "Action": ["sts:AssumeRole", "sts:SetSourceIdentity", "sts:TagSession"]}]}"#;
        assert_eq!(codes(text), []);
    }

    #[test]
    fn trust_policy_rules() {
        let text = r#"{"Version": "2012-10-17", "Statement": [
            {"Effect": "Deny", "NotPrincipal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "sts:AssumeRole", "Resource": "*"},
            {"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole"},
            {"Effect": "Allow", "Principal": {"Federated": "okta"}, "Action": "sts:AssumeRoleWithWebIdentity"},
            {"Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::111122223333:saml-provider/Okta"}, "Action": "sts:AssumeRoleWithWebIdentity"},
            {"Effect": "Allow", "Principal": {"Service": "rolesanywhere.amazonaws.com"}, "Action": ["sts:AssumeRole", "s3:GetObject"]}]}"#;
        let got = codes(text);
        let want = [
            (
                "trust-policy-notprincipal",
                "ROLE_TRUST_POLICY_SYNTAX_ERROR_NOTPRINCIPAL",
            ),
            (
                "trust-policy-resource",
                "ROLE_TRUST_POLICY_SYNTAX_ERROR_RESOURCE",
            ),
            (
                "trust-policy-any-principal",
                "ROLE_TRUST_POLICY_UNSUPPORTED_WILDCARD_IN_PRINCIPAL",
            ),
            (
                "invalid-federated-principal",
                "INVALID_FEDERATED_PRINCIPAL_SYNTAX_IN_ROLE_TRUST_POLICY",
            ),
            (
                "mismatched-action-for-principal",
                "MISMATCHED_ACTION_FOR_PRINCIPAL",
            ),
            (
                "mismatched-action-for-principal",
                "MISMATCHED_ACTION_FOR_PRINCIPAL",
            ),
            (
                "roles-anywhere-missing-action",
                "MISSING_ACTION_FOR_ROLES_ANYWHERE_TRUST_POLICY",
            ),
            (
                "unsupported-action-in-policy",
                "UNSUPPORTED_ACTION_IN_POLICY",
            ),
        ];
        for w in want {
            assert!(got.contains(&w), "{w:?} not in {got:?}");
        }
        assert_eq!(got.len(), want.len(), "{got:?}");
    }

    #[test]
    fn other_kinds_are_left_alone() {
        let text = r#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "*"}}"#;
        assert!(validate(text, PolicyKind::Resource, None)
            .iter()
            .all(|d| !d.code.starts_with("trust-policy")));
    }
}
