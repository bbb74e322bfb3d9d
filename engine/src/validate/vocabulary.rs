//! Checks that need AWS's vocabulary, the [`Catalog`]: actions and services
//! that do not exist (`INVALID_ACTION`, `INVALID_SERVICE_IN_ACTION`), and
//! condition keys that do not exist (`INVALID_SERVICE`,
//! `INVALID_SERVICE_CONDITION_KEY`).

use super::Context;
use crate::catalog::Catalog;
use crate::diagnostics::{Diagnostic, Severity};
use crate::source::Spanned;
use crate::suggest::closest;
use crate::text::Text;

/// Every action pattern of every statement (`Action` and `NotAction`).
pub(super) fn actions(cx: &Context<'_>, catalog: &Catalog, out: &mut Vec<Diagnostic>) {
    for statement in &cx.policy.statements {
        for pattern in &statement.action.patterns {
            if let Some(d) = check_action(catalog, pattern) {
                out.push(d);
            }
        }
    }
}

fn check_action(catalog: &Catalog, pattern: &Spanned<Text>) -> Option<Diagnostic> {
    let text = pattern.value.as_str();
    let (prefix, name) = text.split_once(':')?;
    if text == "*" || prefix.is_empty() || name.is_empty() || prefix == "arn" {
        return None; // the parser reports these
    }
    if text.contains("${") {
        return None; // `variable-not-allowed`
    }
    if prefix.contains(['*', '?']) {
        if !catalog.actions_matching(text).is_empty() {
            return None;
        }
        return Some(
            Diagnostic::new(
                Severity::Warning,
                "unknown-action",
                format!("`{text}` matches no action of any service"),
                pattern.span,
            )
            .with_help("check the spelling; wildcards in the service prefix are matched against every prefix")
            .with_aws_issue("INVALID_ACTION", "error-invalid-action"),
        );
    }
    let Some(service) = catalog.service(prefix) else {
        let mut d = Diagnostic::new(
            Severity::Warning,
            "unknown-service",
            format!(
                "`{prefix}` is not the prefix of an AWS service, so `{text}` matches no request"
            ),
            pattern.span,
        )
        .with_aws_issue(
            "INVALID_SERVICE_IN_ACTION",
            "error-invalid-service-in-action",
        );
        d = match catalog.suggest_service(prefix) {
            Some(s) => {
                let fixed = format!("{}:{name}", s.prefix());
                d.with_help(format!("did you mean `{fixed}`?"))
                    .with_fix(format!("replace with `{fixed}`"), vec![(pattern.span, format!("\"{fixed}\""))])
            }
            None => d.with_help("service prefixes are listed in the Service Authorization Reference, e.g. `s3`, `ec2`, `iam`"),
        };
        return Some(d);
    };
    if name.contains(['*', '?']) {
        if !catalog.actions_matching(text).is_empty() {
            return None;
        }
        return Some(
            Diagnostic::new(
                Severity::Warning,
                "unknown-action",
                format!("`{text}` matches no action of `{}`", service.prefix()),
                pattern.span,
            )
            .with_help(format!(
                "check the spelling; `{}:*` lists every action of the service",
                service.prefix()
            ))
            .with_aws_issue("INVALID_ACTION", "error-invalid-action"),
        );
    }
    if service.action(name).is_some() {
        return None;
    }
    let d = Diagnostic::new(
        Severity::Warning,
        "unknown-action",
        format!(
            "`{text}` is not an action of `{}`, so it matches no request",
            service.prefix()
        ),
        pattern.span,
    )
    .with_aws_issue("INVALID_ACTION", "error-invalid-action");
    Some(match catalog.suggest_action(text) {
        Some(a) => {
            let fixed = a.full_name();
            d.with_help(format!("did you mean `{fixed}`?")).with_fix(
                format!("replace with `{fixed}`"),
                vec![(pattern.span, format!("\"{fixed}\""))],
            )
        }
        None => d.with_help(format!(
            "the actions of `{}` are listed in the Service Authorization Reference",
            service.prefix()
        )),
    })
}

/// Whether a condition key belongs to an identity provider rather than a
/// service (`accounts.google.com:aud`, `token.actions.githubusercontent.com:sub`,
/// `cognito-identity.amazonaws.com:amr`, `saml:aud`).
fn is_federation_key(prefix: &str) -> bool {
    prefix.contains(['.', '/']) || prefix.eq_ignore_ascii_case("saml")
}

/// Condition keys that are neither global nor a service's.
pub(super) fn condition_keys(cx: &Context<'_>, catalog: &Catalog, out: &mut Vec<Diagnostic>) {
    for statement in &cx.policy.statements {
        for entry in &statement.conditions {
            let key = entry.key.value.as_str();
            let Some((prefix, name)) = key.split_once(':') else {
                continue; // `invalid-condition-key-format`
            };
            if key.contains("${") {
                continue; // `variable-not-allowed`
            }
            if prefix.eq_ignore_ascii_case("aws") || is_federation_key(prefix) || name.is_empty() {
                continue; // global keys: the parser, with the catalogue's list
            }
            if catalog.condition_key(key).is_some() || family_known(catalog, prefix, key) {
                continue;
            }
            let d = match catalog.service(prefix) {
                None => {
                    let d = Diagnostic::new(
                        Severity::Warning,
                        "unknown-condition-key-service",
                        format!("`{prefix}` is not the prefix of an AWS service, so the condition key `{key}` is never in a request"),
                        entry.key.span,
                    )
                    .with_aws_issue("INVALID_SERVICE", "error-invalid-service");
                    match catalog.suggest_service(prefix) {
                        Some(s) => d.with_help(format!("did you mean `{}:{name}`?", s.prefix())),
                        None => {
                            d.with_help("a condition key is `aws:NAME` (global) or `SERVICE:NAME`")
                        }
                    }
                }
                Some(service) => {
                    let names: Vec<&str> = service.condition_keys().map(|k| k.name()).collect();
                    let d = Diagnostic::new(
                        Severity::Warning,
                        "unknown-condition-key",
                        format!(
                            "`{key}` is not a condition key of `{}`, so it is never in a request",
                            service.prefix()
                        ),
                        entry.key.span,
                    )
                    .with_aws_issue(
                        "INVALID_SERVICE_CONDITION_KEY",
                        "error-invalid-service-condition-key",
                    );
                    match closest(key, names.iter().copied()) {
                        Some(s) => d.with_help(format!("did you mean `{s}`?")),
                        None => d.with_help(format!(
                            "the condition keys of `{}` are listed in the Service Authorization Reference",
                            service.prefix()
                        )),
                    }
                }
            };
            out.push(d);
        }
    }
}

/// Whether `key` (`secretsmanager:ResourceTag/team`) belongs to a family
/// of keys the service lists with a placeholder the catalogue does not
/// mark as one (`secretsmanager:ResourceTag/tag-key`): same text up to `/`.
fn family_known(catalog: &Catalog, prefix: &str, key: &str) -> bool {
    let Some(slash) = key.find('/') else {
        return false;
    };
    let Some(head) = key.get(..=slash) else {
        return false;
    };
    catalog.service(prefix).is_some_and(|service| {
        service.condition_keys().any(|k| {
            k.name()
                .get(..head.len())
                .is_some_and(|h| h.eq_ignore_ascii_case(head))
        })
    })
}
